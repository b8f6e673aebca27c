package structured

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
	"github.com/pcnhub/pcnhub/record"
)

// Synthetic people, places and records for the tests. NHS numbers are in
// the 999 test range.

const (
	testPractice = pcnhub.ODSCode("A81001")
	testNHS      = pcnhub.NHSNumber("9990000018")
)

var testToday = pcnhub.Date{Year: 2026, Month: time.June, Day: 15}

func day(y int, m time.Month, d int) record.PartialDate {
	return record.OnDate(pcnhub.Date{Year: y, Month: m, Day: d})
}

func date(y int, m time.Month, d int) pcnhub.Date { return pcnhub.Date{Year: y, Month: m, Day: d} }

var (
	gpA      = record.Clinician{PractitionerID: "gp-a", OrganisationODS: testPractice, Name: "Dr Ada Able"}
	gpB      = record.Clinician{PractitionerID: "gp-b", OrganisationODS: testPractice, Name: "Dr Ben Baker"}
	nurse    = record.Clinician{PractitionerID: "nurse-n", Name: "Nina Nurse"}   // not in the directory
	locum    = record.Clinician{PractitionerID: "locum-l", Name: "Dr Lou Locum"} // two roles
	nobody   = record.Clinician{PractitionerID: "ghost"}                         // no name, not known
	hospital = record.Clinician{OrganisationODS: "R1A14"}
)

// testSubject is the Patient (registered 2025-03-01), the practice
// (Organization/1), the usual GP (Practitioner/2) and their one role.
func testSubject() Subject {
	patient := &fhir.Patient{
		ID:   "pat-1",
		Meta: &fhir.Meta{Profile: []string{fhir.ProfilePatient}},
		Extension: []fhir.Extension{{URL: fhir.ExtRegistrationDetails, Extension: []fhir.Extension{
			{URL: fhir.ExtRegistrationPeriod, ValuePeriod: &fhir.Period{Start: mustDateTime("2025-03-01")}},
		}}},
		Identifier:           []fhir.Identifier{{System: fhir.SystemNHSNumber, Value: string(testNHS)}},
		Name:                 []fhir.HumanName{{Use: "official", Family: "Testpatient", Given: []string{"Tess"}}},
		Gender:               "female",
		GeneralPractitioner:  []fhir.Reference{{Reference: "Practitioner/2"}},
		ManagingOrganization: &fhir.Reference{Reference: "Organization/1"},
	}
	return Subject{
		Patient:  patient,
		Practice: testOrg("1", testPractice, "Test Practice"),
		UsualGP:  testPractitioner("2", "Usual"),
		UsualGPRoles: []*fhir.PractitionerRole{{
			ID: "role-2", Meta: &fhir.Meta{Profile: []string{fhir.ProfilePractitionerRole}},
			Practitioner: &fhir.Reference{Reference: "Practitioner/2"}, Organization: &fhir.Reference{Reference: "Organization/1"},
			Code: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CodeSystemSDSJobRoleName, Code: "R0260"}}}},
		}},
	}
}

func testOrg(id string, ods pcnhub.ODSCode, name string) *fhir.Organization {
	return &fhir.Organization{ID: id, Meta: &fhir.Meta{Profile: []string{fhir.ProfileOrganization}},
		Identifier: []fhir.Identifier{{System: fhir.SystemODSOrganization, Value: string(ods)}}, Name: name}
}

func testPractitioner(id, family string) *fhir.Practitioner {
	return &fhir.Practitioner{ID: id, Meta: &fhir.Meta{Profile: []string{fhir.ProfilePractitioner}},
		Name: []fhir.HumanName{{Family: family}}}
}

func testRole(id, practitioner, org string) *fhir.PractitionerRole {
	return &fhir.PractitionerRole{ID: id, Meta: &fhir.Meta{Profile: []string{fhir.ProfilePractitionerRole}},
		Practitioner: &fhir.Reference{Reference: practitioner}, Organization: &fhir.Reference{Reference: org}}
}

// testDirectory knows gp-a (Practitioner/10, one role), gp-b
// (Practitioner/11, no role), locum-l (Practitioner/12, two roles) and the
// practice and the hospital R1A14 (Organization/50).
func testDirectory() Directory {
	return Directory{
		Practitioners: map[string]*fhir.Practitioner{
			"gp-a":    testPractitioner("10", "Able"),
			"gp-b":    testPractitioner("11", "Baker"),
			"locum-l": testPractitioner("12", "Locum"),
		},
		Roles: map[string][]*fhir.PractitionerRole{
			"gp-a":    {testRole("role-10", "Practitioner/10", "Organization/1")},
			"locum-l": {testRole("role-12a", "Practitioner/12", "Organization/1"), testRole("role-12b", "Practitioner/12", "Organization/50")},
		},
		Organizations: map[pcnhub.ODSCode]*fhir.Organization{
			testPractice: testOrg("1", testPractice, "Test Practice"),
			"R1A14":      testOrg("50", "R1A14", "Test Hospital"),
		},
	}
}

func testOptions() Options { return Options{Today: testToday} }

func mustDateTime(s string) fhir.DateTime {
	d, err := fhir.ParseDateTime(s)
	if err != nil {
		panic(err)
	}
	return d
}

func it(id string, when record.PartialDate, by record.Clinician) record.Item {
	return record.Item{ID: id, Recorded: when, Author: by}
}

var (
	codeHypertension = record.SNOMEDCode("38341003", "Hypertensive disorder")
	codeDiabetes     = record.SNOMEDCode("44054006", "Type 2 diabetes mellitus")
	codeRetinopathy  = record.SNOMEDCode("4855003", "Diabetic retinopathy")
	codeAsthma       = record.SNOMEDCode("195967001", "Asthma")
	codeDepression   = record.SNOMEDCode("35489007", "Depressive disorder")
	drugAmlodipine   = record.SNOMEDCode("319283006", "Amlodipine 5mg tablets")
	drugMetformin    = record.SNOMEDCode("325278007", "Metformin 500mg tablets")
	drugAmoxicillin  = record.SNOMEDCode("323510009", "Amoxicillin 500mg capsules")
	drugSalbutamol   = record.SNOMEDCode("320176004", "Salbutamol 100micrograms/dose inhaler")
	drugSertraline   = record.SNOMEDCode("321958001", "Sertraline 50mg tablets")
	codeBP           = record.SNOMEDCode("75367002", "Blood pressure")
	codeWeight       = record.SNOMEDCode("27113001", "Body weight")
	codeSmoker       = record.SNOMEDCode("77176002", "Smoker")
	codeFlu          = record.SNOMEDCode("822851000000102", "Seasonal influenza vaccination")
	codeFBC          = record.SNOMEDCode("26604007", "Full blood count")
	codeHb           = record.SNOMEDCode("1022431000000105", "Haemoglobin estimation")
	codeWCC          = record.SNOMEDCode("1022541000000102", "Total white blood count")
	codeRecall       = record.SNOMEDCode("390906007", "Follow-up encounter")
	codeSurgery      = record.SNOMEDCode("185345009", "Encounter for symptom")
	codeHistory      = record.SNOMEDCode("371529009", "History taking")
	codeExamination  = record.SNOMEDCode("5880005", "Physical examination procedure")
	codePlan         = record.SNOMEDCode("736264007", "Plan")
	codeLetter       = record.SNOMEDCode("371525003", "Clinical procedure report")
)

func course(id string, drug record.Code, kind record.PrescriptionType, from, to record.PartialDate, issues ...record.PartialDate) record.Medication {
	m := record.Medication{Item: it(id, from, gpA), Drug: drug,
		Statement: record.Statement{Status: "active"},
		Authorisation: record.Authorisation{Type: kind, Effective: record.Period{Start: from, End: to}, Status: "active",
			Dosage: "One daily", Quantity: record.Quantity{Value: "28", Unit: "tablet"}, SupplyDays: 28, Prescriber: gpA}}
	if !to.IsZero() {
		m.Statement.Status, m.Authorisation.Status = "completed", "completed"
	}
	for i, d := range issues {
		m.Issues = append(m.Issues, record.Issue{ID: fmt.Sprintf("%s-issue%d", id, i+1), Date: d,
			Quantity: m.Authorisation.Quantity, SupplyDays: 28, Prescriber: gpB})
	}
	return m
}

func bpObs(id string, when record.PartialDate, sys, dia string) record.Observation {
	return record.Observation{Item: it(id, when, gpA), Code: codeBP, Effective: when, Performer: nurse, Components: []record.Component{
		{Code: record.SystolicCode, Value: record.Quantity{Value: sys, Unit: "mm[Hg]", UCUM: "mm[Hg]"}},
		{Code: record.DiastolicCode, Value: record.Quantity{Value: dia, Unit: "mm[Hg]", UCUM: "mm[Hg]"}},
	}}
}

// richRecord holds data in every area, links of every kind, items with
// unknown and partial dates, a confidential item in several areas, an
// item awaiting filing, ended allergies and a "no known allergies"
// statement. Its ids are valid FHIR ids.
func richRecord() *record.Record {
	conf := func(it record.Item) record.Item { it.Confidential = true; return it }
	wait := func(it record.Item) record.Item { it.AwaitingFiling = true; return it }

	secret := course("med-secret", drugSertraline, record.PrescriptionRepeat, day(2025, 1, 6), record.PartialDate{}, day(2025, 1, 6))
	secret.Confidential = true
	elsewhere := course("med-elsewhere", drugAmoxicillin, record.PrescriptionAcute, day(2010, 5, 1), record.PartialDate{})
	elsewhere.Authorisation.PrescribedElsewhere = true
	elsewhere.Authorisation.Prescriber = hospital
	stopped := course("med-stopped", drugMetformin, record.PrescriptionRepeat, day(2020, 1, 1), day(2021, 6, 30), day(2020, 1, 1), day(2020, 7, 1))
	stopped.Authorisation.Status, stopped.Statement.Status = "stopped", "stopped"
	stopped.Authorisation.StoppedReason = "Side effects"

	return &record.Record{
		NHSNumber:   testNHS,
		PracticeODS: testPractice,
		Allergies: []record.Allergy{
			{Item: it("alg-penicillin", day(2001, 5, 1), gpA), Code: record.SNOMEDCode("91936005", "Allergy to penicillin"),
				Substance: record.SNOMEDCode("764146007", "Penicillin"), Category: "medication", Onset: record.YearMonth(2001, 5),
				Status: record.AllergyActive, Manifestations: []record.Code{record.SNOMEDCode("271807003", "Eruption of skin")}, Note: "Widespread rash"},
			{Item: it("alg-latex-ended", day(2005, 1, 1), gpB), Code: record.SNOMEDCode("300916003", "Latex allergy"), Category: "environment",
				Onset: record.YearOnly(2005), Status: record.AllergyResolved, Ended: record.YearMonth(2018, 8), EndReason: "Allergy testing negative"},
			{Item: it("alg-ended-noreason", day(2008, 1, 1), gpB), Code: record.SNOMEDCode("294505008", "Amoxicillin allergy"),
				Status: record.AllergyResolved, Ended: record.YearOnly(2019)},
			{Item: conf(it("alg-secret", day(2012, 1, 1), gpA)), Code: record.SNOMEDCode("91935009", "Allergy to peanuts"), Status: record.AllergyActive},
			{Item: it("alg-nuts-old", record.PartialDate{}, nobody), Code: record.SNOMEDCode("91934008", "Allergy to nut"), Status: record.AllergyActive},
		},
		Medications: []record.Medication{
			course("med-amlodipine", drugAmlodipine, record.PrescriptionRepeat, day(2023, 4, 3), record.PartialDate{},
				day(2023, 4, 3), day(2024, 4, 2), day(2025, 4, 1)),
			course("med-amox-2023", drugAmoxicillin, record.PrescriptionAcute, day(2023, 2, 14), day(2023, 2, 21), day(2023, 2, 14)),
			course("med-amox-2026", drugAmoxicillin, record.PrescriptionAcute, day(2026, 5, 2), record.PartialDate{}, day(2026, 5, 2)),
			stopped,
			elsewhere,
			secret,
			course("med-salbutamol", drugSalbutamol, record.PrescriptionUnknown, record.PartialDate{}, record.PartialDate{}),
		},
		Problems: []record.Problem{
			{Item: it("prob-diabetes", day(2019, 6, 4), gpA), Code: codeDiabetes, Status: record.ProblemActive, Significance: record.Major,
				Onset: day(2019, 6, 4), Related: []record.ProblemLink{{Relation: record.RelationChild, ProblemID: "prob-retinopathy"}},
				LinkedItems: []string{"med-stopped", "inv-fbc", "ref-eyes", "obs-weight", "doc-letter", "diary-review", "imm-flu-2025", "med-secret", "alg-penicillin"}},
			{Item: it("prob-retinopathy", day(2024, 9, 9), gpA), Code: codeRetinopathy, Status: record.ProblemInactive, Significance: record.Minor,
				Onset: day(2024, 9, 9), Abatement: day(2025, 9, 9), Related: []record.ProblemLink{{Relation: record.RelationParent, ProblemID: "prob-diabetes"}}},
			{Item: it("prob-hypertension", day(2018, 2, 2), gpA), Code: codeHypertension, Status: record.ProblemActive, Significance: record.Major,
				Onset: record.YearOnly(2018), LinkedItems: []string{"med-amlodipine", "obs-bp-1"}},
			{Item: it("prob-asthma", day(2004, 1, 1), gpB), Code: codeAsthma, Status: record.ProblemInactive, Significance: record.Minor,
				LinkedItems: []string{"med-salbutamol"}},
			{Item: conf(it("prob-secret", day(2020, 1, 1), gpA)), Code: codeDepression, Status: record.ProblemActive, Significance: record.Major,
				LinkedItems: []string{"med-secret", "obs-smoker"}},
		},
		Consultations: []record.Consultation{
			{Item: it("cons-2026", day(2026, 3, 10), gpA), Period: record.Period{Start: record.At(time.Date(2026, 3, 10, 9, 30, 0, 0, pcnhub.London))},
				Clinician: gpB, Location: "Main Surgery", Type: codeSurgery, Title: "Diabetes review",
				Topics: []record.Topic{
					{Title: "Diabetes", ProblemID: "prob-diabetes", Headings: []record.Heading{
						{Code: codeHistory, Items: []string{"obs-bp-1", "obs-secret"}},
						{Code: codeExamination, Items: []string{"inv-fbc"}},
						{Code: codePlan, Items: []string{"med-amox-2026", "diary-review", "ref-eyes"}},
					}},
					{Title: "Smoking", Headings: []record.Heading{{Code: codeHistory, Items: []string{"obs-smoker"}}}},
				}},
			{Item: it("cons-2019", day(2019, 6, 4), gpA), Period: record.Period{Start: day(2019, 6, 4)}, Clinician: gpA, Type: codeSurgery,
				Topics: []record.Topic{{Title: "New diagnosis", ProblemID: "prob-diabetes", Headings: []record.Heading{
					{Code: codeHistory, Items: []string{"alg-penicillin"}}}}}},
			{Item: it("cons-undated", record.PartialDate{}, locum), Clinician: locum, Title: "Telephone call"},
			{Item: conf(it("cons-secret", day(2024, 1, 1), gpA)), Period: record.Period{Start: day(2024, 1, 1)}, Clinician: gpA,
				Topics: []record.Topic{{Title: "Private", Headings: []record.Heading{{Code: codeHistory, Items: []string{"obs-weight"}}}}}},
		},
		Observations: []record.Observation{
			bpObs("obs-bp-1", day(2026, 3, 10), "142", "88"),
			bpObs("obs-bp-2019", record.YearOnly(2019), "150", "95"),
			{Item: it("obs-weight", day(2024, 6, 1), gpA), Code: codeWeight, Effective: day(2024, 6, 1),
				Value: record.Quantity{Value: "72.50", Unit: "kg", UCUM: "kg"}, Interpretation: "high", Comment: "Weighed in clinic",
				Range: &record.ReferenceRange{Low: record.Quantity{Value: "50", Unit: "kg"}, High: record.Quantity{Value: "70", Unit: "kg"}}},
			{Item: it("obs-smoker", day(2026, 3, 10), gpA), Code: codeSmoker, Effective: day(2026, 3, 10), ValueText: "10 a day"},
			{Item: it("obs-undated", record.PartialDate{}, gpA), Code: record.Code{Display: "Comment"}, ValueText: "Free text"},
			{Item: conf(it("obs-secret", day(2026, 3, 10), gpA)), Code: record.SNOMEDCode("225337009", "Suicide risk assessment")},
			{Item: wait(it("obs-pending", day(2026, 6, 1), gpA)), Code: codeWeight, Value: record.Quantity{Value: "71", Unit: "kg"}},
		},
		Immunisations: []record.Immunisation{
			{Item: it("imm-flu-2025", day(2025, 10, 14), gpA), Kind: record.ImmunisationGiven, Vaccine: codeFlu, Date: day(2025, 10, 14),
				Dose: 1, Batch: "FLU123", Site: record.SNOMEDCode("368208006", "Left upper arm"), Performer: nurse},
			{Item: it("imm-flu-2024-declined", day(2024, 10, 1), gpA), Kind: record.ImmunisationNotGiven, Vaccine: codeFlu, Date: day(2024, 10, 1),
				Reason: record.SNOMEDCode("591000119102", "Vaccine refused by patient")},
			{Item: it("imm-mmr-dissent", day(2001, 3, 4), gpA), Kind: record.ImmunisationStatus,
				Status: record.SNOMEDCode("247151000000100", "Measles, mumps and rubella vaccination declined"), Date: day(2001, 3, 4)},
		},
		Investigations: []record.Investigation{
			{Item: it("inv-fbc", day(2026, 3, 12), gpA), Code: codeFBC, Issued: record.At(time.Date(2026, 3, 12, 14, 5, 0, 0, pcnhub.London)),
				Effective: day(2026, 3, 11), Status: "final", Requester: gpB, Performer: "Riverside Pathology",
				Specimens: []record.Specimen{{ID: "spec-fbc", Type: record.SNOMEDCode("119297000", "Blood specimen"), Collected: day(2026, 3, 11), Received: day(2026, 3, 11), Note: "Haemolysed"}},
				Results:   []string{"res-fbc-group", "res-fbc-comment"}},
			{Item: it("inv-hba1c-2019", day(2019, 6, 10), gpA), Code: record.SNOMEDCode("43396009", "Haemoglobin A1c measurement"),
				Issued: day(2019, 6, 10), Status: "final", Performer: "R1A14", Results: []string{"res-hba1c"}},
			{Item: conf(it("inv-secret", day(2025, 1, 1), gpA)), Code: record.SNOMEDCode("31676001", "HIV antigen test"),
				Issued: day(2025, 1, 1), Results: []string{"res-secret"}},
		},
		TestResults: []record.TestResult{
			{Item: it("res-fbc-group", day(2026, 3, 12), gpA), Kind: record.ResultGroup, Code: codeFBC, Effective: day(2026, 3, 11),
				Members: []string{"res-hb", "res-wcc"}},
			{Item: it("res-hb", day(2026, 3, 12), gpA), Kind: record.ResultValue, Code: codeHb, Effective: day(2026, 3, 11), SpecimenID: "spec-fbc",
				Value: record.Quantity{Value: "138", Unit: "g/L", UCUM: "g/L"}, Range: &record.ReferenceRange{
					Low: record.Quantity{Value: "115", Unit: "g/L"}, High: record.Quantity{Value: "165", Unit: "g/L"}}},
			{Item: it("res-wcc", day(2026, 3, 12), gpA), Kind: record.ResultValue, Code: codeWCC, Effective: day(2026, 3, 11), SpecimenID: "spec-fbc",
				Value: record.Quantity{Value: "11.2", Unit: "10*9/L"}, Interpretation: "high"},
			{Item: it("res-fbc-comment", day(2026, 3, 13), gpA), Kind: record.ResultFilingComment, Comment: "Repeat in 3 months"},
			{Item: it("res-hba1c", day(2019, 6, 10), gpA), Kind: record.ResultValue, Code: record.SNOMEDCode("1003671000000109", "Haemoglobin A1c level"),
				Value: record.Quantity{Value: "53", Unit: "mmol/mol"}},
			{Item: it("res-secret", day(2025, 1, 1), gpA), Kind: record.ResultValue, Code: record.SNOMEDCode("31676001", "HIV antigen test"), ValueText: "Negative"},
		},
		Referrals: []record.Referral{
			{Item: it("ref-eyes", day(2024, 9, 10), gpA), Date: day(2024, 9, 10), Reason: codeRetinopathy, Priority: "routine",
				Status: "active", Service: "Ophthalmology", Recipient: hospital, Note: "Please assess"},
			{Item: it("ref-2015", day(2015, 3, 1), gpB), Date: record.YearMonth(2015, 3), Reason: codeAsthma, Priority: "soon", Status: "odd"},
		},
		DiaryEntries: []record.DiaryEntry{
			{Item: it("diary-review", day(2026, 3, 10), gpA), Code: codeRecall, Due: day(2027, 3, 10), Status: "active", Note: "Annual diabetes review"},
			{Item: it("diary-decade", day(2026, 3, 10), gpA), Code: codeRecall, Due: record.YearOnly(2036), Status: "active"},
			{Item: it("diary-undated", day(2026, 3, 10), gpA), Code: codeRecall},
		},
		Documents: []record.Document{
			{Item: it("doc-letter", day(2024, 10, 1), gpA), Type: codeLetter, Title: "Ophthalmology clinic letter",
				Created: day(2024, 10, 1), Custodian: testPractice, ContentType: "application/pdf", Size: 348_211},
		},
	}
}

// --- checking answers ---

// doc is a Bundle decoded as generic JSON.
type doc struct {
	raw     []byte
	entries []map[string]any
	byKey   map[string]map[string]any // "Type/id" → resource
}

// encode marshals the Bundle to JSON and back to generic JSON, failing on
// any encoding error, a duplicate entry or an entry without an id.
func encode(t testing.TB, b *fhir.Bundle) *doc {
	t.Helper()
	raw, err := fhir.Marshal(fhir.JSON, b)
	if err != nil {
		t.Fatalf("Marshal JSON: %v", err)
	}
	var v struct {
		Entry []struct {
			Resource map[string]any `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	d := &doc{raw: raw, byKey: map[string]map[string]any{}}
	for _, e := range v.Entry {
		r := e.Resource
		key := fmt.Sprint(r["resourceType"], "/", r["id"])
		if r["id"] == nil {
			t.Errorf("entry without an id: %v", r["resourceType"])
		}
		if _, dup := d.byKey[key]; dup {
			t.Errorf("%s is in the Bundle twice", key)
		}
		d.byKey[key] = r
		d.entries = append(d.entries, r)
	}
	return d
}

// checkReferences fails on any reference that does not resolve: to an
// entry of the Bundle, or ("#id") to a resource contained in the same
// resource.
func checkReferences(t testing.TB, d *doc) {
	t.Helper()
	for _, r := range d.entries {
		contained := map[string]bool{}
		if cs, ok := r["contained"].([]any); ok {
			for _, c := range cs {
				contained["#"+fmt.Sprint(c.(map[string]any)["id"])] = true
			}
		}
		where := fmt.Sprint(r["resourceType"], "/", r["id"])
		walkJSON(r, func(ref string) {
			if strings.HasPrefix(ref, "#") {
				if !contained[ref] {
					t.Errorf("%s: contained reference %s does not resolve", where, ref)
				}
				return
			}
			if _, ok := d.byKey[ref]; !ok {
				t.Errorf("%s: reference %s does not resolve", where, ref)
			}
		})
	}
}

// walkJSON calls f with the value of every "reference" member.
func walkJSON(v any, f func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "reference" {
				f(s)
				continue
			}
			walkJSON(e, f)
		}
	case []any:
		for _, e := range x {
			walkJSON(e, f)
		}
	}
}

// checkWire checks that the Bundle encodes in JSON and XML, that each
// decodes again (the decoders check required elements, value sets and
// types), that XML and JSON carry the same Bundle, and that the JSON
// validates against the STU3 schema.
func checkWire(t testing.TB, b *fhir.Bundle) {
	t.Helper()
	js, err := fhir.Marshal(fhir.JSON, b)
	if err != nil {
		t.Fatalf("Marshal JSON: %v", err)
	}
	fromJSON, err := fhir.Unmarshal(fhir.JSON, js)
	if err != nil {
		t.Fatalf("Unmarshal JSON: %v", err)
	}
	x, err := fhir.Marshal(fhir.XML, b)
	if err != nil {
		t.Fatalf("Marshal XML: %v", err)
	}
	fromXML, err := fhir.Unmarshal(fhir.XML, x)
	if err != nil {
		t.Fatalf("Unmarshal XML: %v", err)
	}
	if !reflect.DeepEqual(fromJSON, fromXML) {
		t.Errorf("the XML and JSON encodings carry different Bundles")
	}
	// The schema's polymorphic ResourceList makes validation cost grow
	// with entries × resource types: big synthetic answers skip it (the
	// decoders above still check types, value sets and required elements).
	if fhirtest.SharedDir() != "" && len(b.Entry) <= 400 {
		fhirtest.ValidateJSON(t, js)
	}
}

// checkAll runs every structural check on an answer.
func checkAll(t testing.TB, b *fhir.Bundle) *doc {
	t.Helper()
	d := encode(t, b)
	checkReferences(t, d)
	checkIDs(t, d)
	checkWire(t, b)
	checkPeople(t, d)
	return d
}

// checkIDs fails on any logical id that is not a FHIR id.
func checkIDs(t testing.TB, d *doc) {
	t.Helper()
	for _, r := range d.entries {
		ids := []any{r["id"]}
		if cs, ok := r["contained"].([]any); ok {
			for _, c := range cs {
				ids = append(ids, c.(map[string]any)["id"])
			}
		}
		for _, id := range ids {
			if s, _ := id.(string); !validID(s) {
				t.Errorf("%v has the invalid id %q", r["resourceType"], id)
			}
		}
	}
}

// checkPeople checks §3.2's known issue: at most one PractitionerRole per
// Practitioner.
func checkPeople(t testing.TB, d *doc) {
	t.Helper()
	roles := map[string]int{}
	for _, r := range d.entries {
		if r["resourceType"] == "PractitionerRole" {
			p, _ := r["practitioner"].(map[string]any)
			roles[fmt.Sprint(p["reference"])]++
		}
	}
	for p, n := range roles {
		if n > 1 {
			t.Errorf("%s has %d PractitionerRoles", p, n)
		}
	}
}

// list returns the List of a code, or nil.
func (d *doc) list(code string) map[string]any {
	for _, r := range d.entries {
		if r["resourceType"] != "List" {
			continue
		}
		if c := firstCoding(r["code"]); c["code"] == code {
			return r
		}
	}
	return nil
}

// lists returns the codes of the primary and secondary Lists, in order.
func (d *doc) listCodes() []string {
	var out []string
	for _, r := range d.entries {
		if r["resourceType"] != "List" || r["encounter"] != nil {
			continue
		}
		out = append(out, fmt.Sprint(firstCoding(r["code"])["code"]))
	}
	return out
}

func firstCoding(v any) map[string]any {
	cc, _ := v.(map[string]any)
	cs, _ := cc["coding"].([]any)
	if len(cs) == 0 {
		return map[string]any{}
	}
	c, _ := cs[0].(map[string]any)
	return c
}

// entryRefs returns the references of a List's entries.
func entryRefs(l map[string]any) []string {
	var out []string
	es, _ := l["entry"].([]any)
	for _, e := range es {
		item := e.(map[string]any)["item"].(map[string]any)
		out = append(out, fmt.Sprint(item["reference"]))
	}
	return out
}

// warnings returns the warning codes of a List.
func warnings(l map[string]any) []string {
	var out []string
	exts, _ := l["extension"].([]any)
	for _, e := range exts {
		m := e.(map[string]any)
		if m["url"] == ExtListWarningCode {
			out = append(out, fmt.Sprint(m["valueCode"]))
		}
	}
	return out
}

// noteText returns a List's notes, joined by "|".
func noteText(l map[string]any) string {
	var out []string
	ns, _ := l["note"].([]any)
	for _, n := range ns {
		out = append(out, fmt.Sprint(n.(map[string]any)["text"]))
	}
	return strings.Join(out, "|")
}

// keys returns the "Type/id" of every entry of a type, sorted.
func (d *doc) keys(typ string) []string {
	var out []string
	for k := range d.byKey {
		if strings.HasPrefix(k, typ+"/") {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func prefixed(prefix string, ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = prefix + id
	}
	return out
}

func sorted(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func equalSets(a, b []string) bool { return reflect.DeepEqual(sorted(a), sorted(b)) }

// extensions returns the extensions of a resource with a url.
func extensions(r map[string]any, url string) []map[string]any {
	var out []map[string]any
	exts, _ := r["extension"].([]any)
	for _, e := range exts {
		if m := e.(map[string]any); m["url"] == url {
			out = append(out, m)
		}
	}
	return out
}

// extRefs returns the valueReference of the extensions with a url.
func extRefs(r map[string]any, url string) []string {
	var out []string
	for _, e := range extensions(r, url) {
		if v, ok := e["valueReference"].(map[string]any); ok {
			out = append(out, fmt.Sprint(v["reference"]))
		}
	}
	return out
}

func str(v any, path ...string) string {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// findItem returns the item of a record id.
func findItem(r *record.Record, id string) (record.Item, bool) {
	var out record.Item
	found := false
	visit := func(it record.Item) {
		if !found && it.ID == id {
			out, found = it, true
		}
	}
	for _, x := range r.Allergies {
		visit(x.Item)
	}
	for _, x := range r.Medications {
		visit(x.Item)
	}
	for _, x := range r.Problems {
		visit(x.Item)
	}
	for _, x := range r.Consultations {
		visit(x.Item)
	}
	for _, x := range r.Observations {
		visit(x.Item)
	}
	for _, x := range r.Immunisations {
		visit(x.Item)
	}
	for _, x := range r.Investigations {
		visit(x.Item)
	}
	for _, x := range r.TestResults {
		visit(x.Item)
	}
	for _, x := range r.Referrals {
		visit(x.Item)
	}
	for _, x := range r.DiaryEntries {
		visit(x.Item)
	}
	for _, x := range r.Documents {
		visit(x.Item)
	}
	return out, found
}

func findProblem(r *record.Record, id string) *record.Problem {
	for i := range r.Problems {
		if r.Problems[i].ID == id {
			return &r.Problems[i]
		}
	}
	return nil
}
