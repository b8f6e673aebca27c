package structured

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/seed/assurance"
)

// confidentialIDs are the confidential items of richRecord and what
// only they would show.
var confidentialIDs = []string{"alg-secret", "med-secret", "prob-secret", "cons-secret", "obs-secret", "inv-secret", "res-secret",
	drugSertraline.Code, codeDepression.Code, "Suicide", "HIV"}

func TestRichRecordFullQuery(t *testing.T) {
	rec := richRecord()
	d := mustBuild(t, rec, fullQuery(testNHS))
	for _, s := range confidentialIDs {
		if bytes.Contains(d.raw, []byte(s)) {
			t.Errorf("the answer shows %q, which only a confidential item holds", s)
		}
	}
	want := []string{listAllergies.code, listEndedAllergies.code, listMedications.code, listConsultations.code, listProblems.code,
		listImmunisations.code, listUncategorised.code, listInvestigations.code, listReferrals.code, listDiaryEntries.code,
		secProblemsMedications, secProblemsDocuments, secConsUncategorised}
	if got := d.listCodes(); !reflect.DeepEqual(got, want) {
		t.Errorf("Lists:\n got  %v\n want %v", got, want)
	}
	// Every primary List lists exactly what the record shares.
	counts := map[string]int{
		listAllergies.code:      2,
		listEndedAllergies.code: 2,
		listMedications.code:    len(rec.Medications) - 1,
		listConsultations.code:  len(rec.Consultations) - 1,
		listProblems.code:       len(rec.Problems) - 1,
		listImmunisations.code:  len(rec.Immunisations),
		listUncategorised.code:  len(rec.Observations) - 2,
		listInvestigations.code: len(rec.Investigations) - 1,
		listReferrals.code:      len(rec.Referrals),
		listDiaryEntries.code:   len(rec.DiaryEntries),
	}
	for code, n := range counts {
		if got := len(entryRefs(d.list(code))); got != n {
			t.Errorf("List %s has %d entries, want %d", code, got, n)
		}
	}
	wantWarnings := map[string][]string{
		listAllergies.code:      {"confidential-items"},
		listEndedAllergies.code: nil,
		listMedications.code:    {"confidential-items"},
		listConsultations.code:  {"confidential-items"},
		listProblems.code:       {"confidential-items"},
		listImmunisations.code:  nil,
		listUncategorised.code:  {"confidential-items", "data-awaiting-filing"},
		listInvestigations.code: {"confidential-items"},
		listReferrals.code:      nil,
		listDiaryEntries.code:   nil,
		secProblemsMedications:  {"confidential-items"},
		secProblemsDocuments:    nil,
		secConsUncategorised:    {"confidential-items"},
	}
	for code, w := range wantWarnings {
		if got := warnings(d.list(code)); !equalSets(got, w) {
			t.Errorf("List %s warnings = %v, want %v", code, got, w)
		}
	}
	// One Medication per drug; the amoxicillin courses share theirs.
	amox := 0
	for _, k := range d.keys("Medication") {
		if firstCoding(d.byKey[k]["code"])["code"] == drugAmoxicillin.Code {
			amox++
		}
	}
	if amox != 1 {
		t.Errorf("%d Medications of amoxicillin", amox)
	}
	// The head of the Bundle.
	b, _ := Build(rec, fullQuery(testNHS), testSubject(), testDirectory(), testOptions())
	if b.Type != "collection" || !reflect.DeepEqual(b.Meta.Profile, []string{fhir.ProfileStructuredRecordBundle}) {
		t.Errorf("Bundle type %q profile %v", b.Type, b.Meta.Profile)
	}
	heads := []string{"Patient/pat-1", "Organization/1", "Practitioner/2", "PractitionerRole/role-2"}
	for i, want := range heads {
		r := b.Entry[i].Resource
		if got := r.ResourceType() + "/" + fhir.LogicalID(r); got != want {
			t.Errorf("entry %d = %s, want %s", i, got, want)
		}
	}
	for _, e := range b.Entry {
		if e.Resource.ResourceType() == "OperationOutcome" {
			t.Error("an OperationOutcome with no warnings")
		}
	}
}

func TestConfidentialLinksGo(t *testing.T) {
	// The confidential problem linked items that are not confidential:
	// they stay in their own Lists; the problem and every reference to it
	// go.
	rec := richRecord()
	for i := range rec.Problems {
		if rec.Problems[i].ID == "prob-secret" {
			rec.Problems[i].LinkedItems = []string{"obs-smoker", "med-amlodipine"}
		}
	}
	d := mustBuild(t, rec, &Query{Uncategorised: &PeriodQuery{}, Medication: &MedicationQuery{}})
	if bytes.Contains(d.raw, []byte("prob-secret")) {
		t.Error("the confidential problem is named")
	}
	if d.byKey["Observation/obs-smoker"] == nil || d.byKey["MedicationStatement/med-amlodipine"] == nil {
		t.Error("items linked to a confidential problem were dropped")
	}
	// A List made only of confidential items is empty, with its warning.
	only := &record.Record{PracticeODS: testPractice, Referrals: []record.Referral{{Item: record.Item{ID: "r", Confidential: true}}}}
	d = mustBuild(t, only, &Query{Referrals: &PeriodQuery{}})
	l := wantList(t, d, listReferrals.code, nil)
	if w := warnings(l); !equalSets(w, []string{"confidential-items"}) || noteText(l) != noteEmpty+"|"+noteConfidential {
		t.Errorf("warnings %v note %q", w, noteText(l))
	}
	if bytes.Contains(d.raw, []byte(`"r"`)) {
		t.Error("the confidential referral is named")
	}
}

func TestInTransit(t *testing.T) {
	rec := richRecord()
	rec.InTransit = true
	check := func(t *testing.T, d *doc, date string) {
		t.Helper()
		n := 0
		for _, r := range d.entries {
			if r["resourceType"] != "List" {
				continue
			}
			structure := r["encounter"] != nil
			has := false
			for _, w := range warnings(r) {
				has = has || w == "data-in-transit"
			}
			if has == structure {
				t.Errorf("List %v: data-in-transit %v", r["id"], has)
			}
			if !structure {
				n++
				if !strings.Contains(noteText(r), "information recorded before "+date+" may be missing.") {
					t.Errorf("List %v note = %q", r["id"], noteText(r))
				}
			}
		}
		if n == 0 {
			t.Error("no Lists")
		}
	}
	check(t, mustBuild(t, rec, fullQuery(testNHS)), "01-Mar-2025") // the registration date

	sub := testSubject()
	sub.Patient.Extension = nil
	b, err := Build(rec, &Query{Allergies: &AllergiesQuery{}}, sub, testDirectory(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	check(t, checkAll(t, b), "15-Jun-2026") // today, when the registration is unknown
}

func TestEmptyRecord(t *testing.T) {
	for _, rec := range []*record.Record{{PracticeODS: testPractice}, nil} {
		d := mustBuild(t, rec, fullQuery(testNHS))
		codes := d.listCodes()
		if len(codes) != 10 {
			t.Errorf("Lists = %v, want the 10 primary ones", codes)
		}
		for _, code := range codes {
			l := d.list(code)
			if len(entryRefs(l)) != 0 || str(l, "emptyReason", "coding") == "" || noteText(l) != noteEmpty {
				t.Errorf("List %s = %v", code, l)
			}
			if c := firstCoding(l["emptyReason"]); c["code"] != "no-content-recorded" || c["system"] != CodeSystemListEmptyReason {
				t.Errorf("emptyReason = %v", c)
			}
		}
		if len(d.entries) != 4+10 {
			t.Errorf("%d entries", len(d.entries))
		}
	}
}

func TestPractitionerRoles(t *testing.T) {
	rec := richRecord()
	d := mustBuild(t, rec, fullQuery(testNHS))
	want := map[string]bool{
		"PractitionerRole/role-2":   true,  // the usual GP's one role
		"PractitionerRole/role-10":  true,  // gp-a's one role
		"PractitionerRole/role-12a": false, // the locum has two: none
		"PractitionerRole/role-12b": false,
	}
	for k, in := range want {
		if _, got := d.byKey[k]; got != in {
			t.Errorf("%s in the Bundle: %v, want %v", k, got, in)
		}
	}
	if d.byKey["Practitioner/12"] == nil {
		t.Error("the locum is not in the Bundle")
	}
	// Practitioners the directory lacks: from the record's name, or not
	// at all.
	if n := d.byKey["Practitioner/pr-nurse-n"]; n == nil || !strings.Contains(fmt.Sprint(n["name"]), "Nina Nurse") {
		t.Errorf("nurse = %v", n)
	}
	if bytes.Contains(d.raw, []byte("ghost")) {
		t.Error("a practitioner known neither to the directory nor by name is referenced")
	}

	sub := testSubject()
	sub.UsualGPRoles = append(sub.UsualGPRoles, testRole("role-2b", "Practitioner/2", "Organization/1"))
	dir := testDirectory()
	dir.Practitioners["gp-b"] = testPractitioner("2", "Usual") // gp-b is the usual GP
	b, err := Build(rec, fullQuery(testNHS), sub, dir, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	d = checkAll(t, b)
	for _, k := range []string{"PractitionerRole/role-2", "PractitionerRole/role-2b"} {
		if d.byKey[k] != nil {
			t.Errorf("%s sent for a usual GP with two roles", k)
		}
	}
	if len(d.keys("Practitioner")) != len(dedupe(d.keys("Practitioner"))) {
		t.Error("a practitioner twice")
	}

	// A practitioner known to the record by id only and one known by name
	// only whose ids could coincide stay two people.
	r := &record.Record{PracticeODS: testPractice, Observations: []record.Observation{
		{Item: it("o1", day(2024, 1, 1), record.Clinician{PractitionerID: "name-x", Name: "Dr By Id"}), Code: codeWeight},
		{Item: it("o2", day(2024, 1, 1), record.Clinician{Name: "x"}), Code: codeWeight},
		{Item: it("o3", day(2024, 1, 1), record.Clinician{PractitionerID: "ghost"}), Code: codeWeight},
		{Item: it("o4", day(2024, 1, 1), record.Clinician{PractitionerID: "ghost", Name: "Dr Ghost"}), Code: codeWeight},
	}}
	d = mustBuild(t, r, &Query{Uncategorised: &PeriodQuery{}})
	names := map[string]string{}
	for _, o := range []string{"o1", "o2", "o3", "o4"} {
		ref := ""
		if ps, ok := d.byKey["Observation/"+o]["performer"].([]any); ok {
			ref = str(ps[0], "reference")
		}
		names[o] = fmt.Sprint(d.byKey[ref]["name"])
	}
	if !strings.Contains(names["o1"], "Dr By Id") || !strings.Contains(names["o2"], "text:x") || !strings.Contains(names["o4"], "Dr Ghost") || names["o3"] != "<nil>" {
		t.Errorf("practitioners named by the record = %v", names)
	}
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func TestOperationOutcome(t *testing.T) {
	opt := testOptions()
	opt.Warnings = []Warning{
		{Text: "includeAllergies.includePrescriptionIssues is an unrecognised parameter", Diagnostics: "includeAllergies.includePrescriptionIssues"},
		{Text: "inlcudeUnknownAllergies is an unrecognised parameter", Diagnostics: "inlcudeUnknownAllergies"},
	}
	opt.Disabled = []string{"includeImmunisations", "DocumentReferences"}
	q := &Query{Allergies: &AllergiesQuery{}, Problems: &ProblemsQuery{}, Immunisations: &ImmunisationsQuery{IncludeStatus: true}}
	b, err := Build(richRecord(), q, testSubject(), testDirectory(), opt)
	if err != nil {
		t.Fatal(err)
	}
	d := checkAll(t, b)
	var oos []map[string]any
	for _, r := range d.entries {
		if r["resourceType"] == "OperationOutcome" {
			oos = append(oos, r)
		}
	}
	if len(oos) != 1 {
		t.Fatalf("%d OperationOutcomes, want 1", len(oos))
	}
	oo := oos[0]
	if !reflect.DeepEqual(oo["meta"], map[string]any{"profile": []any{fhir.ProfileOperationOutcome}}) {
		t.Errorf("meta = %v", oo["meta"])
	}
	issues := oo["issue"].([]any)
	wantText := []string{opt.Warnings[0].Text, opt.Warnings[1].Text, "includeImmunisations has been disabled", "DocumentReferences has been disabled"}
	wantDiag := []string{opt.Warnings[0].Diagnostics, opt.Warnings[1].Diagnostics, "includeImmunisations", "DocumentReferences"}
	if len(issues) != len(wantText) {
		t.Fatalf("issues = %v", issues)
	}
	for i, x := range issues {
		is := x.(map[string]any)
		c := firstCoding(is["details"])
		if is["severity"] != "warning" || is["code"] != "not-supported" || c["system"] != fhir.CodeSystemSpineErrorOrWarningCode ||
			c["code"] != "NOT_IMPLEMENTED" || c["display"] != "Not implemented" || str(is, "details", "text") != wantText[i] || is["diagnostics"] != wantDiag[i] {
			t.Errorf("issue %d = %v", i, is)
		}
	}
	// A disabled area has no List, and its items do not come in by links.
	if d.list(listImmunisations.code) != nil || len(d.keys("Immunization")) != 0 || d.list(secProblemsImmunisations) != nil {
		t.Error("immunisations are disabled, yet sent")
	}
	if len(d.keys("DocumentReference")) != 0 || d.list(secProblemsDocuments) != nil {
		t.Error("documents are disabled, yet sent")
	}
	if d.list(listAllergies.code) == nil || d.list(listProblems.code) == nil {
		t.Error("the other areas are missing")
	}
	// The diabetes problem's link to the immunisation is gone.
	if strings.Contains(fmt.Sprint(d.byKey["Condition/prob-diabetes"]), "imm-flu") {
		t.Error("a link to a disabled area's item")
	}
}

func TestDeterministic(t *testing.T) {
	for _, q := range []*Query{fullQuery(testNHS), {Problems: &ProblemsQuery{Status: "active"}}, {Consultations: &ConsultationsQuery{MostRecent: 2}}} {
		var first [2][]byte
		for i := 0; i < 5; i++ {
			// Fresh inputs each time: maps are iterated in a new order.
			b, err := Build(richRecord(), q, testSubject(), testDirectory(), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			for f, format := range []fhir.Format{fhir.JSON, fhir.XML} {
				out, err := fhir.Marshal(format, b)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first[f] = out
				} else if !bytes.Equal(out, first[f]) {
					t.Fatalf("answer %d differs from the first in %v", i, format)
				}
			}
		}
	}
}

func TestInputsNotModified(t *testing.T) {
	rec, sub, dir := richRecord(), testSubject(), testDirectory()
	sub.Patient.Extension[0].Extension = append(sub.Patient.Extension[0].Extension,
		fhir.Extension{URL: fhir.ExtPreferredBranchSurgery, ValueReference: &fhir.Reference{Reference: "Location/unknown"}})
	recCopy, subCopy := richRecord(), testSubject()
	subCopy.Patient.Extension[0].Extension = append(subCopy.Patient.Extension[0].Extension,
		fhir.Extension{URL: fhir.ExtPreferredBranchSurgery, ValueReference: &fhir.Reference{Reference: "Location/unknown"}})
	if _, err := Build(rec, fullQuery(testNHS), sub, dir, testOptions()); err != nil {
		t.Fatal(err)
	}
	if _, err := Migrate(rec, true, sub, dir, testOptions()); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec, recCopy) {
		t.Error("Build modified the record")
	}
	if !reflect.DeepEqual(sub, subCopy) || !reflect.DeepEqual(dir, testDirectory()) {
		t.Error("Build modified the subject or the directory")
	}
}

// TestGivenResourcesPruned: a given resource that names something the
// Bundle cannot hold loses that reference (and what holds only it); one
// that names another given resource brings it.
func TestGivenResourcesPruned(t *testing.T) {
	sub := testSubject()
	reg := &sub.Patient.Extension[0]
	reg.Extension = append(reg.Extension, fhir.Extension{URL: fhir.ExtPreferredBranchSurgery, ValueReference: &fhir.Reference{Reference: "Location/nowhere"}})
	sub.Patient.Link = []fhir.PatientLink{{Other: &fhir.Reference{Reference: "Patient/merged"}, Type: "replaces"}}
	sub.Practice.PartOf = &fhir.Reference{Reference: "Organization/50"} // the hospital, given by the directory
	dir := testDirectory()
	dir.Roles["gp-a"][0].Organization = &fhir.Reference{Reference: "Organization/999"}
	dir.Roles["gp-a"][0].Location = []fhir.Reference{{Reference: "Location/1"}, {Reference: "#here"}, {Reference: "#gone"}}
	dir.Roles["gp-a"][0].Contained = []fhir.Resource{&fhir.Location{ID: "here", Name: "Here"}}

	b, err := Build(richRecord(), &Query{Allergies: &AllergiesQuery{}}, sub, dir, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	d := checkAll(t, b)
	p := d.byKey["Patient/pat-1"]
	if strings.Contains(fmt.Sprint(p), "nowhere") || p["link"] != nil {
		t.Errorf("Patient = %v", p)
	}
	if !strings.Contains(fmt.Sprint(p["extension"]), "2025-03-01") {
		t.Error("the registration period went with the unresolvable branch surgery")
	}
	if d.byKey["Organization/50"] == nil {
		t.Error("the practice's parent organisation was not brought in")
	}
	role := d.byKey["PractitionerRole/role-10"]
	if role == nil || role["organization"] != nil || str(role, "practitioner", "reference") != "Practitioner/10" {
		t.Errorf("role = %v", role)
	}
	if locs := role["location"].([]any); len(locs) != 1 || str(locs[0], "reference") != "#here" {
		t.Errorf("role locations = %v", locs)
	}
}

func TestMigrate(t *testing.T) {
	rec := richRecord()
	opt := testOptions()
	opt.Disabled = []string{"includeMedication"} // switches do not apply to a migration

	b, err := Migrate(rec, true, testSubject(), testDirectory(), opt)
	if err != nil {
		t.Fatal(err)
	}
	d := checkAll(t, b)
	for _, ref := range []string{"AllergyIntolerance/alg-secret", "MedicationStatement/med-secret", "Condition/prob-secret", "Encounter/cons-secret",
		"Observation/obs-secret", "DiagnosticReport/inv-secret", "Observation/res-secret", "Immunization/imm-flu-2024-declined",
		"Observation/imm-mmr-dissent", "MedicationRequest/med-amlodipine-issue1"} {
		if d.byKey[ref] == nil {
			t.Errorf("%s is missing from a migration with sensitive information", ref)
		}
	}
	if bytes.Contains(d.raw, []byte("obs-pending")) {
		t.Error("an item awaiting filing was migrated")
	}
	for _, r := range d.entries {
		if r["resourceType"] != "List" {
			continue
		}
		for _, w := range warnings(r) {
			if w == "confidential-items" {
				t.Errorf("List %v warns of confidential items in a migration that includes them", r["id"])
			}
		}
	}
	if w := warnings(d.list(listUncategorised.code)); !equalSets(w, []string{"data-awaiting-filing"}) {
		t.Errorf("uncategorised warnings = %v", w)
	}
	if ended := d.list(listEndedAllergies.code); ended == nil || len(entryRefs(ended)) != 2 {
		t.Error("ended allergies missing")
	}

	b, err = Migrate(rec, false, testSubject(), testDirectory(), opt)
	if err != nil {
		t.Fatal(err)
	}
	d = checkAll(t, b)
	for _, s := range confidentialIDs {
		if bytes.Contains(d.raw, []byte(s)) {
			t.Errorf("a migration without sensitive information shows %q", s)
		}
	}
	want, err := Build(rec, fullQuery(""), testSubject(), testDirectory(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if wantJSON, _ := fhir.Marshal(fhir.JSON, want); !bytes.Equal(d.raw, wantJSON) {
		t.Error("a migration without sensitive information differs from the full Build")
	}
}

func TestAssuranceRecords(t *testing.T) {
	ds := assurance.Dataset()
	if len(ds.Records) == 0 {
		t.Skip("no assurance records")
	}
	dir := Directory{Practitioners: map[string]*fhir.Practitioner{"2": testPractitioner("2", "Pennington")}}
	for _, cr := range ds.Records {
		rec := cr.Record
		t.Run(string(rec.NHSNumber), func(t *testing.T) {
			sub := testSubject()
			sub.Practice = testOrg("1", cr.OrgODS, "Assurance Practice")
			b, err := Build(&rec, fullQuery(rec.NHSNumber), sub, dir, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			d := checkAll(t, b)
			if rec.InTransit {
				if w := warnings(d.list(listAllergies.code)); !equalSets(w, []string{"data-in-transit"}) {
					t.Errorf("in transit: warnings = %v", w)
				}
			}
			for i := range rec.Allergies {
				if rec.Allergies[i].NoKnownAllergies {
					a := d.byKey["AllergyIntolerance/"+rec.Allergies[i].ID]
					if a == nil || firstCoding(a["code"])["code"] != "716186003" {
						t.Errorf("no known allergies = %v", a)
					}
				}
			}
			for _, sensitive := range []bool{true, false} {
				b, err := Migrate(&rec, sensitive, sub, dir, testOptions())
				if err != nil {
					t.Fatal(err)
				}
				checkAll(t, b)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	if _, err := Build(richRecord(), nil, testSubject(), testDirectory(), testOptions()); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Errorf("nil query: %v", err)
	}
	sub := testSubject()
	sub.Patient = nil
	if _, err := Build(richRecord(), fullQuery(""), sub, testDirectory(), testOptions()); pcnhub.ErrorCode(err) != pcnhub.EINTERNAL {
		t.Errorf("no patient: %v", err)
	}
	sub = testSubject()
	sub.Practice = nil
	if _, err := Migrate(richRecord(), true, sub, testDirectory(), testOptions()); pcnhub.ErrorCode(err) != pcnhub.EINTERNAL {
		t.Errorf("no practice: %v", err)
	}
	sub = testSubject()
	sub.UsualGP, sub.UsualGPRoles = nil, nil
	sub.Patient.GeneralPractitioner = nil
	b, err := Build(richRecord(), fullQuery(""), sub, Directory{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := checkAll(t, b) // no usual GP, no directory, no date
	if d.list(listAllergies.code)["date"] != nil {
		t.Error("a List date without a today")
	}
}

// --- scale ---

// syntheticRecord returns a record of about n clinical items, with
// problems linking items of every area, consultations whose topics name
// problems and whose headings list items, investigations with groups,
// and 20 practitioners.
func syntheticRecord(n int) *record.Record {
	u := n / 100
	r := &record.Record{NHSNumber: testNHS, PracticeODS: testPractice}
	clin := func(i int) record.Clinician {
		return record.Clinician{PractitionerID: fmt.Sprintf("gp-%d", i%20), OrganisationODS: testPractice, Name: fmt.Sprintf("Dr %d", i%20)}
	}
	when := func(i int) record.PartialDate {
		return record.OnDate(pcnhub.Date{Year: 2000 + i%26, Month: time.Month(1 + i%12), Day: 1 + i%28})
	}
	item := func(prefix string, i int) record.Item {
		return record.Item{ID: fmt.Sprintf("%s-%d", prefix, i), Recorded: when(i), Author: clin(i), Confidential: i%97 == 0}
	}
	for i := 0; i < u; i++ {
		r.Allergies = append(r.Allergies, record.Allergy{Item: item("alg", i), Code: codeAsthma, Category: "food",
			Status: []record.AllergyStatus{record.AllergyActive, record.AllergyResolved}[i%2], Onset: when(i)})
	}
	for i := 0; i < 15*u; i++ {
		m := course(fmt.Sprintf("med-%d", i), []record.Code{drugAmlodipine, drugMetformin, drugSalbutamol, drugAmoxicillin}[i%4],
			record.PrescriptionRepeat, when(i), record.PartialDate{}, when(i), when(i+1), when(i+2))
		m.Item = item("med", i)
		for j := range m.Issues {
			m.Issues[j].ID = fmt.Sprintf("med-%d-issue-%d", i, j)
		}
		r.Medications = append(r.Medications, m)
	}
	for i := 0; i < 40*u; i++ {
		r.Observations = append(r.Observations, bpObs(fmt.Sprintf("obs-%d", i), when(i), "120", "80"))
		r.Observations[i].Item = item("obs", i)
	}
	for i := 0; i < 5*u; i++ {
		r.Immunisations = append(r.Immunisations, record.Immunisation{Item: item("imm", i), Kind: record.ImmunisationGiven, Vaccine: codeFlu, Date: when(i), Performer: clin(i)})
	}
	for i := 0; i < 4*u; i++ {
		id := fmt.Sprintf("inv-%d", i)
		r.Investigations = append(r.Investigations, record.Investigation{Item: item("inv", i), Code: codeFBC, Issued: when(i), Status: "final",
			Specimens: []record.Specimen{{ID: id + "-spec", Type: codeHb}}, Results: []string{id + "-group"}, Requester: clin(i), Performer: "Riverside Pathology"})
		r.Investigations[i].Item.Confidential = false
		r.TestResults = append(r.TestResults,
			record.TestResult{Item: record.Item{ID: id + "-group", Author: clin(i)}, Kind: record.ResultGroup, Code: codeFBC, Members: []string{id + "-a", id + "-b", id + "-c"}},
			record.TestResult{Item: record.Item{ID: id + "-a", Author: clin(i)}, Kind: record.ResultValue, Code: codeHb, SpecimenID: id + "-spec", Value: record.Quantity{Value: "130", Unit: "g/L"}},
			record.TestResult{Item: record.Item{ID: id + "-b", Author: clin(i)}, Kind: record.ResultValue, Code: codeWCC, SpecimenID: id + "-spec", Value: record.Quantity{Value: "7.1", Unit: "10*9/L"}},
			record.TestResult{Item: record.Item{ID: id + "-c", Author: clin(i)}, Kind: record.ResultFilingComment, Comment: "Normal"})
	}
	for i := 0; i < 2*u; i++ {
		r.Referrals = append(r.Referrals, record.Referral{Item: item("ref", i), Date: when(i), Reason: codeRetinopathy, Recipient: hospital})
		r.DiaryEntries = append(r.DiaryEntries, record.DiaryEntry{Item: item("diary", i), Code: codeRecall, Due: when(i + 3)})
	}
	for i := 0; i < u; i++ {
		r.Documents = append(r.Documents, record.Document{Item: item("doc", i), Type: codeLetter, Title: "Letter", Created: when(i)})
	}
	for i := 0; i < 5*u; i++ {
		p := record.Problem{Item: item("prob", i), Code: codeHypertension, Status: []record.ProblemStatus{record.ProblemActive, record.ProblemInactive}[i%2],
			Significance: []record.Significance{record.Major, record.Minor}[i%2], Onset: when(i)}
		for _, id := range []string{fmt.Sprintf("med-%d", 3*i), fmt.Sprintf("obs-%d", 8*i), fmt.Sprintf("obs-%d", 8*i+1), fmt.Sprintf("inv-%d", i%(4*u)),
			fmt.Sprintf("imm-%d", i), fmt.Sprintf("ref-%d", i%(2*u)), fmt.Sprintf("diary-%d", i%(2*u)), fmt.Sprintf("doc-%d", i%u), fmt.Sprintf("alg-%d", i%u)} {
			p.LinkedItems = append(p.LinkedItems, id)
		}
		if i > 0 {
			p.Related = []record.ProblemLink{{Relation: record.RelationChild, ProblemID: fmt.Sprintf("prob-%d", i-1)}}
		}
		r.Problems = append(r.Problems, p)
	}
	for i := 0; i < 10*u; i++ {
		c := record.Consultation{Item: item("cons", i), Period: record.Period{Start: when(i)}, Clinician: clin(i + 1), Type: codeSurgery,
			Location: fmt.Sprintf("Room %d", i%5), Topics: []record.Topic{{Title: "Review", ProblemID: fmt.Sprintf("prob-%d", i%(5*u)), Headings: []record.Heading{
				{Code: codeHistory, Items: []string{fmt.Sprintf("obs-%d", 4*i+2), fmt.Sprintf("obs-%d", 4*i+3)}},
				{Code: codePlan, Items: []string{fmt.Sprintf("med-%d", i+1), fmt.Sprintf("diary-%d", i%(2*u))}},
			}}}}
		r.Consultations = append(r.Consultations, c)
	}
	return r
}

func syntheticDirectory() Directory {
	dir := Directory{Practitioners: map[string]*fhir.Practitioner{}, Roles: map[string][]*fhir.PractitionerRole{},
		Organizations: map[pcnhub.ODSCode]*fhir.Organization{testPractice: testOrg("1", testPractice, "Test Practice")}}
	for i := 0; i < 15; i++ {
		id := fmt.Sprintf("gp-%d", i)
		dir.Practitioners[id] = testPractitioner(fmt.Sprint(100+i), id)
		dir.Roles[id] = []*fhir.PractitionerRole{testRole(fmt.Sprintf("role-%d", 100+i), fmt.Sprintf("Practitioner/%d", 100+i), "Organization/1")}
	}
	return dir
}

func TestSyntheticRecord(t *testing.T) {
	rec := syntheticRecord(2000)
	if err := rec.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, q := range []*Query{fullQuery(testNHS), {Problems: &ProblemsQuery{Status: "inactive"}}, {Consultations: &ConsultationsQuery{MostRecent: 3}},
		{Medication: &MedicationQuery{SearchFrom: date(2020, 1, 1)}}} {
		b, err := Build(rec, q, testSubject(), syntheticDirectory(), testOptions())
		if err != nil {
			t.Fatal(err)
		}
		checkAll(t, b)
	}
}

// TestLinearMemory: four times the record, about four times the memory
// (maps grow in steps, hence the margin).
func TestLinearMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	alloc := func(n int) float64 {
		rec, dir, q := syntheticRecord(n), syntheticDirectory(), fullQuery(testNHS)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := 0; i < 3; i++ {
			if _, err := Build(rec, q, testSubject(), dir, testOptions()); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	small, large := alloc(2500), alloc(10000)
	if ratio := large / small; ratio < 3 || ratio > 5 {
		t.Errorf("4× the items took %.2f× the memory", ratio)
	}
}

func BenchmarkBuild10k(b *testing.B) {
	rec, dir, sub, q := syntheticRecord(10000), syntheticDirectory(), testSubject(), fullQuery(testNHS)
	b.ReportMetric(float64(rec.Items()), "items")
	b.ReportAllocs()
	var entries int
	for b.Loop() {
		bundle, err := Build(rec, q, sub, dir, testOptions())
		if err != nil {
			b.Fatal(err)
		}
		entries = len(bundle.Entry)
	}
	b.ReportMetric(float64(entries), "entries")
}

func BenchmarkBuild10kProblemsOnly(b *testing.B) {
	rec, dir, sub := syntheticRecord(10000), syntheticDirectory(), testSubject()
	q := &Query{Problems: &ProblemsQuery{Status: "active"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(rec, q, sub, dir, testOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
