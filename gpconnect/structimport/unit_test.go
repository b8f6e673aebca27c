package structimport_test

import (
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/structimport"
	"github.com/pcnhub/pcnhub/record"
)

// Small hand-written Bundles for the cases the NHS examples do not cover.

const (
	nhs1 = "9465698830"
	nhs2 = "9450038082"

	patientJSON = `{"resourceType":"Patient","id":"p1",
		"identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"` + nhs1 + `"}],
		"generalPractitioner":[{"reference":"Organization/o1"}]}`
	practiceJSON = `{"resourceType":"Organization","id":"o1",
		"identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A82038"}],"name":"Practice"}`
	practitionerJSON = `{"resourceType":"Practitioner","id":"dr1",
		"identifier":[{"system":"https://fhir.nhs.uk/Id/sds-user-id","value":"555079033108"}],
		"name":[{"use":"official","family":"Smith","given":["Jo"],"prefix":["Dr"]}]}`
	roleJSON = `{"resourceType":"PractitionerRole","id":"r1",
		"practitioner":{"reference":"Practitioner/dr1"},"organization":{"reference":"Organization/o1"}}`
)

func bundleOf(t *testing.T, resources ...string) *fhir.Bundle {
	t.Helper()
	doc := `{"resourceType":"Bundle","type":"collection","entry":[`
	for i, r := range resources {
		if i > 0 {
			doc += ","
		}
		doc += `{"resource":` + r + `}`
	}
	doc += `]}`
	r, err := fhir.Unmarshal(fhir.JSON, []byte(doc))
	if err != nil {
		t.Fatalf("test Bundle does not decode: %v", err)
	}
	return r.(*fhir.Bundle)
}

func importOK(t *testing.T, resources ...string) (*record.Record, *structimport.Report) {
	t.Helper()
	rec, rep, err := structimport.Import(bundleOf(t, resources...))
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if err := rec.Validate(); err != nil {
		t.Fatalf("Validate: %v\n%s", err, rep)
	}
	return rec, rep
}

func hasEntry(es []structimport.Entry, typ, id, reason string) bool {
	for _, e := range es {
		if e.ResourceType == typ && e.ID == id && strings.Contains(e.Reason, reason) {
			return true
		}
	}
	return false
}

func TestImportFailsWithoutPatient(t *testing.T) {
	cases := []struct {
		name string
		b    *fhir.Bundle
		want []string
	}{
		{"nil", nil, []string{"no Bundle"}},
		{"no patient", bundleOf(t, practiceJSON), []string{"no Patient"}},
		{"no NHS number", bundleOf(t, `{"resourceType":"Patient","id":"p9",
			"identifier":[{"system":"https://example.org/mrn","value":"123"}]}`),
			[]string{"Patient/p9", "no NHS number", "https://fhir.nhs.uk/Id/nhs-number"}},
		{"invalid NHS number", bundleOf(t, `{"resourceType":"Patient","id":"p9",
			"identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"1234567890"}]}`),
			[]string{"Patient/p9", "not valid"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, rep, err := structimport.Import(c.b)
			if err == nil || rec != nil || rep != nil {
				t.Fatalf("Import = %v, %v, %v; want an error", rec, rep, err)
			}
			if pcnhub.ErrorCode(err) != pcnhub.EINVALID {
				t.Errorf("error code %q, want %q", pcnhub.ErrorCode(err), pcnhub.EINVALID)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestImportPatientAndClinician(t *testing.T) {
	rec, _ := importOK(t, patientJSON, practiceJSON, practitionerJSON, roleJSON,
		`{"resourceType":"AllergyIntolerance","id":"a1","verificationStatus":"confirmed",
			"code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005","display":"Allergy to penicillin"}],"text":"Penicillin allergy"},
			"patient":{"reference":"Patient/p1"},"assertedDate":"2019-07","recorder":{"reference":"Practitioner/dr1"}}`,
		`{"resourceType":"AllergyIntolerance","id":"a2","verificationStatus":"confirmed",
			"code":{"text":"Mystery allergy"},"patient":{"reference":"Patient/p1"},
			"recorder":{"reference":"Practitioner/gone","display":"Dr Gone"}}`)
	if rec.NHSNumber != nhs1 || rec.PracticeODS != "A82038" {
		t.Errorf("patient %q practice %q", rec.NHSNumber, rec.PracticeODS)
	}
	a := rec.Allergies[0]
	want := record.Clinician{PractitionerID: "555079033108", OrganisationODS: "A82038", Name: "Dr Jo Smith"}
	if a.Author != want {
		t.Errorf("author %+v, want %+v", a.Author, want)
	}
	if a.Code != (record.Code{System: record.SNOMED, Code: "91936005", Display: "Allergy to penicillin", OriginalText: "Penicillin allergy"}) {
		t.Errorf("code %+v", a.Code)
	}
	if a.Recorded.Precision != record.DateMonth || a.Recorded.String() != "2019-07" {
		t.Errorf("recorded %v", a.Recorded)
	}
	b := rec.Allergies[1]
	if b.Author != (record.Clinician{PractitionerID: "Practitioner/gone", Name: "Dr Gone"}) {
		t.Errorf("author of a practitioner not in the Bundle: %+v", b.Author)
	}
	if b.Code != (record.Code{OriginalText: "Mystery allergy"}) || b.Code.Text() != "Mystery allergy" {
		t.Errorf("text-only code %+v", b.Code)
	}
}

// TestImportConfidentialAndNoKnownAllergies: NOPAT marks an item
// confidential, which Shareable then withholds; a "no known allergy" code
// sets NoKnownAllergies; the ended-allergy extension resolves an allergy.
func TestImportConfidentialAndNoKnownAllergies(t *testing.T) {
	rec, _ := importOK(t, patientJSON, practiceJSON,
		`{"resourceType":"AllergyIntolerance","id":"nka","verificationStatus":"confirmed","clinicalStatus":"active",
			"code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003","display":"No known allergy"}]},
			"patient":{"reference":"Patient/p1"}}`,
		`{"resourceType":"AllergyIntolerance","id":"secret","verificationStatus":"confirmed",
			"meta":{"security":[{"system":"http://hl7.org/fhir/v3/ActCode","code":"NOPAT"}]},
			"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-AllergyIntoleranceEnd-1",
				"extension":[{"url":"endDate","valueDateTime":"2020"},{"url":"reasonEnded","valueString":"Desensitised"}]}],
			"code":{"coding":[{"system":"http://snomed.info/sct","code":"91935009","display":"Allergy to peanut"}]},
			"patient":{"reference":"Patient/p1"}}`,
		`{"resourceType":"DocumentReference","id":"d1","status":"current","type":{"text":"Letter"},
			"indexed":"2020-01-02T10:00:00+00:00","securityLabel":[{"coding":[{"code":"NOPAT"}]}],
			"content":[{"attachment":{"contentType":"application/pdf","size":12}}]}`)
	if len(rec.Allergies) != 2 || !rec.Allergies[0].NoKnownAllergies || rec.Allergies[1].NoKnownAllergies {
		t.Fatalf("allergies %+v", rec.Allergies)
	}
	secret := rec.Allergies[1]
	if !secret.Confidential || secret.Status != record.AllergyResolved || secret.EndReason != "Desensitised" ||
		secret.Ended.Precision != record.DateYear {
		t.Errorf("confidential ended allergy %+v", secret)
	}
	if !rec.Documents[0].Confidential {
		t.Errorf("document with securityLabel NOPAT is not confidential")
	}
	shared, w := rec.Shareable()
	if len(shared.Allergies) != 1 || len(shared.Documents) != 0 || !w.Confidential(record.AreaAllergies) {
		t.Errorf("Shareable kept %d allergies, %d documents; withholdings %v", len(shared.Allergies), len(shared.Documents), w)
	}
}

// TestImportIDCollision: two mapped resources of different types with the
// same logical id get "Type/id" ids, and links follow them.
func TestImportIDCollision(t *testing.T) {
	rec, _ := importOK(t, patientJSON, practiceJSON,
		`{"resourceType":"Observation","id":"x","status":"final","code":{"text":"Note"},"valueString":"fine"}`,
		`{"resourceType":"Immunization","id":"x","status":"completed","notGiven":true,"primarySource":true,
			"vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/v3/NullFlavor","code":"UNK"}]},
			"extension":[{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1",
				"valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"1324681000000101","display":"Administration of first dose of SARS-CoV-2 vaccine"}]}}],
			"explanation":{"reasonNotGiven":[{"text":"Patient declined"}]},
			"vaccinationProtocol":[{"doseSequence":1,"targetDisease":[{"text":"COVID-19"}],"doseStatus":{"text":"counts"}}],
			"patient":{"reference":"Patient/p1"},"date":"2021-01"}`,
		`{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},
			"meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-ProblemHeader-Condition-1"]},
			"extension":[{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1","valueReference":{"reference":"Observation/x"}},
				{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1","valueReference":{"reference":"Immunization/x"}}],
			"clinicalStatus":"active","code":{"text":"Problem"}}`)
	if got := rec.Observations[0].ID; got != "Observation/x" {
		t.Errorf("observation id %q", got)
	}
	im := rec.Immunisations[0]
	if im.ID != "Immunization/x" || im.Kind != record.ImmunisationNotGiven || im.Vaccine.Code != "1324681000000101" ||
		im.Reason.Text() != "Patient declined" || im.Dose != 1 || im.Date.Precision != record.DateMonth {
		t.Errorf("immunisation %+v", im)
	}
	if got := rec.Problems[0].LinkedItems; len(got) != 2 || got[0] != "Observation/x" || got[1] != "Immunization/x" {
		t.Errorf("linked items %v", got)
	}
}

// TestImportSkipsAndNotes: what cannot be mapped is skipped with a reason,
// unresolvable links are dropped with a note, and the import goes on.
func TestImportSkipsAndNotes(t *testing.T) {
	rec, rep := importOK(t, patientJSON, practiceJSON, practitionerJSON,
		`{"resourceType":"OperationOutcome","id":"oo","issue":[{"severity":"warning","code":"not-supported",
			"details":{"text":"includeFoo is an unrecognised parameter"}}]}`,
		`{"resourceType":"Slot","id":"s1","schedule":{"reference":"Schedule/1"},"status":"free",
			"start":"2024-01-01T09:00:00+00:00","end":"2024-01-01T09:10:00+00:00"}`,
		`{"resourceType":"Condition","id":"dx","subject":{"reference":"Patient/p1"},"code":{"text":"Not a header"}}`,
		`{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},
			"category":[{"coding":[{"code":"problem-list-item"}]}],
			"extension":[{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1","valueReference":{"reference":"Observation/missing"}},
				{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1","valueReference":{"reference":"MedicationRequest/plan2"}},
				{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedProblemHeader-1",
					"extension":[{"url":"type","valueCode":"parent"},{"url":"target","valueReference":{"reference":"Condition/dx"}}]},
				{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ProblemSignificance-1","valueCode":"major"}],
			"code":{"text":"Problem"},"abatementDateTime":"2020-02"}`,
		`{"resourceType":"MedicationRequest","id":"order1","intent":"order","status":"completed",
			"basedOn":[{"reference":"MedicationRequest/gone"}],"medicationCodeableConcept":{"text":"Aspirin"},"subject":{"reference":"Patient/p1"}}`,
		`{"resourceType":"MedicationRequest","id":"plan2","intent":"plan","status":"active",
			"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-PrescriptionType-1",
				"valueCodeableConcept":{"coding":[{"code":"repeat"}]}}],
			"medicationCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"39720311000001101","display":"Paracetamol 500mg tablets"}]},
			"subject":{"reference":"Patient/p1"},"requester":{"agent":{"reference":"Practitioner/dr1"}},
			"dispenseRequest":{"validityPeriod":{"start":"2020-01-01"},"quantity":{"value":100,"unit":"tablet"},
				"expectedSupplyDuration":{"value":4,"unit":"week","system":"http://unitsofmeasure.org","code":"wk"}}}`,
		`{"resourceType":"MedicationRequest","id":"order2","intent":"order","status":"completed",
			"basedOn":[{"reference":"MedicationRequest/plan2"}],"medicationCodeableConcept":{"text":"Paracetamol"},
			"subject":{"reference":"Patient/p1"},"dispenseRequest":{"validityPeriod":{"start":"2020-01-01","end":"2020-01-28"}}}`)
	for _, s := range []struct{ typ, id, reason string }{
		{"OperationOutcome", "oo", "includeFoo is an unrecognised parameter"},
		{"Slot", "s1", "not part of a structured record"},
		{"Condition", "dx", "not a problem header"},
		{"MedicationRequest", "order1", "authorisation"},
	} {
		if !hasEntry(rep.Skipped, s.typ, s.id, s.reason) {
			t.Errorf("no skip of %s/%s for %q in\n%s", s.typ, s.id, s.reason, rep)
		}
	}
	for _, n := range []struct{ typ, id, reason string }{
		{"Condition", "c1", "Observation/missing dropped: not in the Bundle"},
		{"Condition", "c1", "related problem Condition/dx dropped: it was skipped"},
		{"MedicationRequest", "plan2", "no MedicationStatement"},
	} {
		if !hasEntry(rep.Notes, n.typ, n.id, n.reason) {
			t.Errorf("no note on %s/%s for %q in\n%s", n.typ, n.id, n.reason, rep)
		}
	}
	p := rec.Problems[0]
	if p.Status != record.ProblemInactive || p.Significance != record.Major || len(p.Related) != 0 ||
		len(p.LinkedItems) != 1 || p.LinkedItems[0] != "plan2" {
		t.Errorf("problem %+v", p)
	}
	if len(rec.Medications) != 1 {
		t.Fatalf("medications %+v", rec.Medications)
	}
	m := rec.Medications[0]
	if m.ID != "plan2" || m.Drug.Code != "39720311000001101" || m.Authorisation.Type != record.PrescriptionRepeat ||
		m.Authorisation.SupplyDays != 28 || m.Authorisation.Quantity != (record.Quantity{Value: "100", Unit: "tablet"}) ||
		m.Authorisation.Prescriber.PractitionerID != "555079033108" || len(m.Issues) != 1 || m.Issues[0].ID != "order2" ||
		m.Issues[0].Date.String() != "2020-01-01" {
		t.Errorf("medication %+v", m)
	}
}

// TestImportOtherPatient: items about another patient in the Bundle are
// left out.
func TestImportOtherPatient(t *testing.T) {
	rec, rep := importOK(t, patientJSON, practiceJSON,
		`{"resourceType":"Patient","id":"p2","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"`+nhs2+`"}]}`,
		`{"resourceType":"Observation","id":"mine","status":"final","code":{"text":"a"},"subject":{"reference":"Patient/p1"}}`,
		`{"resourceType":"Observation","id":"theirs","status":"final","code":{"text":"b"},"subject":{"reference":"Patient/p2"}}`)
	if len(rec.Observations) != 1 || rec.Observations[0].ID != "mine" {
		t.Errorf("observations %+v", rec.Observations)
	}
	if !hasEntry(rep.Skipped, "Observation", "theirs", "Patient/p2") || !hasEntry(rep.Skipped, "Patient", "p2", "another") {
		t.Errorf("report:\n%s", rep)
	}
}

// TestImportObservations: a blood pressure keeps its components; an
// Observation with a reference range and interpretation keeps them.
func TestImportObservations(t *testing.T) {
	rec, _ := importOK(t, patientJSON, practiceJSON,
		`{"resourceType":"Observation","id":"bp","status":"final",
			"code":{"coding":[{"system":"http://snomed.info/sct","code":"75367002","display":"Blood pressure"}]},
			"effectiveDateTime":"2020-05-12T16:06:00+01:00",
			"component":[
				{"code":{"coding":[{"system":"http://snomed.info/sct","code":"72313002","display":"Systolic arterial pressure"}]},
				 "valueQuantity":{"value":120,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
				{"code":{"coding":[{"system":"http://snomed.info/sct","code":"1091811000000102","display":"Diastolic arterial pressure"}]},
				 "valueQuantity":{"value":80.0,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}`,
		`{"resourceType":"Observation","id":"na","status":"final","code":{"text":"Sodium"},
			"valueQuantity":{"value":150.10,"comparator":">","unit":"mmol/L"},
			"interpretation":{"coding":[{"system":"http://hl7.org/fhir/v2/0078","code":"H"}]},
			"referenceRange":[{"low":{"value":133},"high":{"value":146},"type":{"text":"Normal"}}]}`)
	s, d, ok := rec.Observations[0].BloodPressure()
	if !ok || s.Value != "120" || d.Value != "80.0" || s.UCUM != "mm[Hg]" {
		t.Errorf("blood pressure %+v / %+v (%v)", s, d, ok)
	}
	if eff := rec.Observations[0].Effective; eff.Precision != record.DateTime || eff.String() != "2020-05-12T16:06:00+01:00" {
		t.Errorf("effective %v", eff)
	}
	na := rec.Observations[1]
	if na.Value != (record.Quantity{Value: "150.10", Comparator: ">", Unit: "mmol/L"}) || na.Interpretation != "high" ||
		na.Range == nil || na.Range.Low.Value != "133" || na.Range.High.Value != "146" {
		t.Errorf("observation %+v range %+v", na, na.Range)
	}
}

// TestImportContainedAndFullURL: resources contained in a List are read
// and can be linked to; references by fullUrl resolve.
func TestImportContainedAndFullURL(t *testing.T) {
	doc := `{"resourceType":"Bundle","type":"collection","entry":[
		{"resource":` + patientJSON + `},{"resource":` + practiceJSON + `},
		{"fullUrl":"urn:uuid:11111111-2222-3333-4444-555555555555","resource":
			{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"by url"}}},
		{"resource":{"resourceType":"List","id":"ended","status":"current","mode":"snapshot",
			"code":{"coding":[{"system":"http://snomed.info/sct","code":"1103671000000101","display":"Ended allergies"}]},
			"contained":[{"resourceType":"AllergyIntolerance","id":"old","verificationStatus":"confirmed",
				"code":{"text":"Old allergy"},"patient":{"reference":"Patient/p1"}}],
			"entry":[{"item":{"reference":"#old"}}]}},
		{"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},
			"category":[{"coding":[{"code":"problem-list-item"}]}],"code":{"text":"P"},
			"extension":[{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1","valueReference":{"reference":"AllergyIntolerance/old"}},
				{"url":"https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1","valueReference":{"reference":"urn:uuid:11111111-2222-3333-4444-555555555555"}}]}}]}`
	r, err := fhir.Unmarshal(fhir.JSON, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rec, rep, err := structimport.Import(r.(*fhir.Bundle))
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(rec.Allergies) != 1 || rec.Allergies[0].Status != record.AllergyResolved {
		t.Errorf("allergies %+v", rec.Allergies)
	}
	if got := rec.Problems[0].LinkedItems; len(got) != 2 || got[0] != "old" || got[1] != "o1" {
		t.Errorf("linked items %v\n%s", got, rep)
	}
}

// TestImportNilEntries: a Bundle built in Go with empty entries does not
// stop the import.
func TestImportNilEntries(t *testing.T) {
	b := bundleOf(t, patientJSON)
	b.Entry = append(b.Entry, fhir.BundleEntry{}, fhir.BundleEntry{Resource: (*fhir.Observation)(nil)})
	rec, rep, err := structimport.Import(b)
	if err != nil || rec.Validate() != nil {
		t.Fatalf("Import: %v", err)
	}
	if len(rep.Skipped) != 2 {
		t.Errorf("skipped %v", rep.Skipped)
	}
	if !strings.Contains(rep.String(), "entry without a resource") {
		t.Errorf("report:\n%s", rep)
	}
}
