package structimport_test

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/gpconnect/structimport"
	"github.com/pcnhub/pcnhub/record"
)

// Helpers over the fixture's generic JSON. They compute what the record
// should hold straight from the JSON, without the importer or the fhir
// package, so that the importer is checked against an independent reading.

type obj = map[string]any

func str(v any) string { s, _ := v.(string); return s }

func arr(v any) []any { a, _ := v.([]any); return a }

func field(o obj, path ...string) any {
	var v any = o
	for _, p := range path {
		m, ok := v.(obj)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// entries returns the Bundle's entry resources.
func entries(b obj) []obj {
	var out []obj
	for _, e := range arr(b["entry"]) {
		if r, ok := field(e.(obj), "resource").(obj); ok {
			out = append(out, r)
		}
	}
	return out
}

func ofType(rs []obj, typ string) []obj {
	var out []obj
	for _, r := range rs {
		if r["resourceType"] == typ {
			out = append(out, r)
		}
	}
	return out
}

// containedOfType returns the contained resources of the type, in any entry.
func containedOfType(rs []obj, typ string) []obj {
	var out []obj
	for _, r := range rs {
		for _, c := range arr(r["contained"]) {
			if c.(obj)["resourceType"] == typ {
				out = append(out, c.(obj))
			}
		}
	}
	return out
}

// key is "Type/id" of a resource.
func key(r obj) string { return str(r["resourceType"]) + "/" + str(r["id"]) }

// refOf returns the "Type/id" a reference object names.
func refOf(v any) string {
	m, _ := v.(obj)
	return str(m["reference"])
}

// snomed returns the SNOMED code and display of a CodeableConcept.
func snomed(cc any) (code, display string, ok bool) {
	for _, c := range arr(field(asObj(cc), "coding")) {
		c := c.(obj)
		if c["system"] == record.SNOMED && str(c["code"]) != "" {
			return str(c["code"]), str(c["display"]), true
		}
	}
	return "", "", false
}

func asObj(v any) obj { m, _ := v.(obj); return m }

func listCode(l obj) string {
	for _, c := range arr(field(l, "code", "coding")) {
		if c.(obj)["system"] == record.SNOMED {
			return str(c.(obj)["code"])
		}
	}
	return ""
}

// extensionsNamed returns the extensions whose url contains the name.
func extensionsNamed(r obj, name string) []obj {
	var out []obj
	for _, e := range arr(r["extension"]) {
		if strings.Contains(str(e.(obj)["url"]), name) {
			out = append(out, e.(obj))
		}
	}
	return out
}

func subExt(e obj, url string) obj {
	for _, s := range arr(e["extension"]) {
		if s.(obj)["url"] == url {
			return s.(obj)
		}
	}
	return nil
}

// precisionOf is the precision of a FHIR date/dateTime text.
func precisionOf(s string) record.Precision {
	switch len(s) {
	case 0:
		return record.DateUnknown
	case 4:
		return record.DateYear
	case 7:
		return record.DateMonth
	case 10:
		return record.DateDay
	}
	return record.DateTime
}

// expected counts the record areas from the JSON.
type expected struct {
	allergies, medications, problems, consultations, observations,
	immunisations, investigations, testResults, referrals, diary, documents int
}

func countFromJSON(b obj) expected {
	rs := entries(b)
	var x expected
	x.allergies = len(ofType(rs, "AllergyIntolerance")) + len(containedOfType(rs, "AllergyIntolerance"))

	// Medications: one per statement, plus plans no statement is basedOn.
	statements := ofType(rs, "MedicationStatement")
	basedOn := map[string]bool{}
	for _, s := range statements {
		for _, r := range arr(s["basedOn"]) {
			basedOn[refOf(r)] = true
		}
	}
	x.medications = len(statements)
	for _, r := range ofType(rs, "MedicationRequest") {
		if r["intent"] == "plan" && !basedOn[key(r)] {
			x.medications++
		}
	}

	for _, c := range ofType(rs, "Condition") {
		for _, p := range arr(field(c, "meta", "profile")) {
			if strings.HasSuffix(str(p), "CareConnect-GPC-ProblemHeader-Condition-1") {
				x.problems++
			}
		}
	}
	x.consultations = len(ofType(rs, "Encounter"))

	// Observations: those reached from a DiagnosticReport (result, then
	// related has-member) are test results; those the Immunisations List
	// names are immunisation status records; the rest are uncategorised.
	present := map[string]bool{}
	for _, r := range rs {
		present[key(r)] = true
	}
	byKey := map[string]obj{}
	for _, r := range rs {
		byKey[key(r)] = r
	}
	results := map[string]bool{}
	var queue []string
	for _, d := range ofType(rs, "DiagnosticReport") {
		for _, r := range arr(d["result"]) {
			queue = append(queue, refOf(r))
		}
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if results[k] || !present[k] || !strings.HasPrefix(k, "Observation/") {
			continue
		}
		results[k] = true
		for _, rel := range arr(byKey[k]["related"]) {
			if rel.(obj)["type"] == "has-member" {
				queue = append(queue, refOf(rel.(obj)["target"]))
			}
		}
	}
	x.testResults = len(results)
	status := map[string]bool{}
	for _, l := range ofType(rs, "List") {
		if listCode(l) == "1102181000000102" {
			for _, e := range arr(l["entry"]) {
				if k := refOf(field(e.(obj), "item")); strings.HasPrefix(k, "Observation/") && present[k] {
					status[k] = true
				}
			}
		}
	}
	x.observations = len(ofType(rs, "Observation")) - len(results) - len(status)
	x.immunisations = len(ofType(rs, "Immunization")) + len(status)
	x.investigations = len(ofType(rs, "DiagnosticReport"))
	x.referrals = len(ofType(rs, "ReferralRequest"))
	requests := map[string]bool{}
	for _, d := range ofType(rs, "DiagnosticReport") {
		for _, r := range arr(d["basedOn"]) {
			requests[refOf(r)] = true
		}
	}
	for _, p := range ofType(rs, "ProcedureRequest") {
		if !requests[key(p)] {
			x.diary++
		}
	}
	x.documents = len(ofType(rs, "DocumentReference"))
	return x
}

func countRecord(r *record.Record) expected {
	return expected{
		allergies: len(r.Allergies), medications: len(r.Medications), problems: len(r.Problems),
		consultations: len(r.Consultations), observations: len(r.Observations),
		immunisations: len(r.Immunisations), investigations: len(r.Investigations),
		testResults: len(r.TestResults), referrals: len(r.Referrals), diary: len(r.DiaryEntries),
		documents: len(r.Documents),
	}
}

// TestFixtures imports each NHS example Bundle and checks that the record
// validates, that every area holds as many items as the JSON says, and
// spot-checks fields against the JSON.
func TestFixtures(t *testing.T) {
	for _, file := range fixtureFiles(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			f := loadFixture(t, file)
			rec, rep, err := structimport.Import(f.bundle)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if err := rec.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if got, want := countRecord(rec), countFromJSON(f.json); got != want {
				t.Errorf("record areas\n got %+v\nwant %+v", got, want)
			}
			checkPatient(t, f.json, rec)
			checkAllergies(t, f.json, rec)
			checkMedications(t, f.json, rec)
			checkProblems(t, f.json, rec)
			checkConsultations(t, f.json, rec)
			checkImmunisations(t, f.json, rec)
			checkInvestigations(t, f.json, rec)
			checkOthers(t, f.json, rec)
			checkReport(t, f.json, rep)
			for _, s := range rep.Skipped {
				t.Logf("skipped %s", s)
			}
			t.Logf("%d items; read %v; %d skipped, %d notes", rec.Items(), rep.Read, len(rep.Skipped), len(rep.Notes))
			if testing.Verbose() {
				for _, n := range rep.Notes {
					t.Logf("note %s", n)
				}
			}
		})
	}
}

func checkPatient(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	rs := entries(b)
	p := ofType(rs, "Patient")[0]
	for _, id := range arr(p["identifier"]) {
		if id.(obj)["system"] == "https://fhir.nhs.uk/Id/nhs-number" && string(rec.NHSNumber) != str(id.(obj)["value"]) {
			t.Errorf("NHSNumber = %q, want %q", rec.NHSNumber, id.(obj)["value"])
		}
	}
	// The practice: the first generalPractitioner or managingOrganization
	// Organization with an ODS code.
	byKey := map[string]obj{}
	for _, r := range rs {
		byKey[key(r)] = r
	}
	var refs []any
	refs = append(refs, arr(p["generalPractitioner"])...)
	refs = append(refs, p["managingOrganization"])
	want := ""
	for _, r := range refs {
		o := byKey[refOf(r)]
		if o == nil || o["resourceType"] != "Organization" {
			continue
		}
		for _, id := range arr(o["identifier"]) {
			if id.(obj)["system"] == "https://fhir.nhs.uk/Id/ods-organization-code" && want == "" {
				want = str(id.(obj)["value"])
			}
		}
		if want != "" {
			break
		}
	}
	if want == "" {
		t.Fatalf("fixture names no practice ODS code")
	}
	if string(rec.PracticeODS) != want {
		t.Errorf("PracticeODS = %q, want %q", rec.PracticeODS, want)
	}
	inTransit := false
	for _, l := range ofType(rs, "List") {
		for _, e := range extensionsNamed(l, "ListWarningCode") {
			inTransit = inTransit || e["valueCode"] == "data-in-transit"
		}
	}
	if rec.InTransit != inTransit {
		t.Errorf("InTransit = %v, want %v", rec.InTransit, inTransit)
	}
}

func checkAllergies(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	got := map[string]record.Allergy{}
	for _, a := range rec.Allergies {
		got[a.ID] = a
	}
	rs := entries(b)
	type allergy struct {
		r     obj
		ended bool // contained in the Ended allergies List
	}
	var all []allergy
	for _, a := range ofType(rs, "AllergyIntolerance") {
		all = append(all, allergy{a, false})
	}
	for _, l := range ofType(rs, "List") {
		for _, c := range arr(l["contained"]) {
			if c.(obj)["resourceType"] == "AllergyIntolerance" {
				all = append(all, allergy{c.(obj), listCode(l) == "1103671000000101"})
			}
		}
	}
	var precisions []record.Precision
	for _, x := range all {
		a, ok := got[str(x.r["id"])]
		if !ok {
			t.Errorf("allergy %s is not in the record", x.r["id"])
			continue
		}
		if c, d, ok := snomed(x.r["code"]); ok && (a.Code.Code != c || a.Code.Display != d || a.Code.System != record.SNOMED) {
			t.Errorf("allergy %s code = %+v, want SNOMED %s %q", a.ID, a.Code, c, d)
		}
		if text := str(field(x.r, "code", "text")); text != "" && text != a.Code.Display && a.Code.OriginalText != text {
			t.Errorf("allergy %s OriginalText = %q, want %q", a.ID, a.Code.OriginalText, text)
		}
		onset := str(x.r["onsetDateTime"])
		if a.Onset.Precision != precisionOf(onset) {
			t.Errorf("allergy %s onset %q read with precision %v", a.ID, onset, a.Onset.Precision)
		}
		precisions = append(precisions, a.Onset.Precision)
		if asserted := str(x.r["assertedDate"]); a.Asserted.Precision != precisionOf(asserted) {
			t.Errorf("allergy %s assertedDate %q read with precision %v", a.ID, asserted, a.Asserted.Precision)
		}
		resolved := x.r["clinicalStatus"] == "resolved" || x.ended
		if (a.Status == record.AllergyResolved) != resolved {
			t.Errorf("allergy %s status %s, want resolved=%v", a.ID, a.Status, resolved)
		}
		if end := extensionsNamed(x.r, "AllergyIntoleranceEnd"); len(end) > 0 {
			if want := str(subExt(end[0], "reasonEnded")["valueString"]); a.EndReason != want {
				t.Errorf("allergy %s EndReason = %q, want %q", a.ID, a.EndReason, want)
			}
			if want := str(subExt(end[0], "endDate")["valueDateTime"]); a.Ended.String() != want {
				t.Errorf("allergy %s Ended = %q, want %q", a.ID, a.Ended, want)
			}
		}
		if cats := arr(x.r["category"]); len(cats) > 0 && a.Category != str(cats[0]) {
			t.Errorf("allergy %s category %q, want %q", a.ID, a.Category, cats[0])
		}
	}
	if len(all) > 0 {
		t.Logf("allergy onset precisions: %v", precisions)
	}
}

func checkMedications(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	rs := entries(b)
	byKey := map[string]obj{}
	for _, r := range rs {
		byKey[key(r)] = r
	}
	got := map[string]record.Medication{}
	for _, m := range rec.Medications {
		got[m.ID] = m
	}
	types := map[string]record.PrescriptionType{
		"acute": record.PrescriptionAcute, "repeat": record.PrescriptionRepeat,
		"repeat-dispensing": record.PrescriptionRepeatDispensing,
	}
	seenTypes := map[record.PrescriptionType]int{}
	for _, s := range ofType(rs, "MedicationStatement") {
		m, ok := got[str(s["id"])]
		if !ok {
			t.Errorf("medication %s is not in the record", s["id"])
			continue
		}
		if c, _, ok := snomed(byKey[refOf(s["medicationReference"])]["code"]); ok && m.Drug.Code != c {
			t.Errorf("medication %s drug %s, want %s", m.ID, m.Drug.Code, c)
		}
		if m.Statement.Status != str(s["status"]) {
			t.Errorf("medication %s statement status %q, want %q", m.ID, m.Statement.Status, s["status"])
		}
		agency := extensionsNamed(s, "PrescribingAgency")
		elsewhere := len(agency) > 0 && strings.Contains(refCode(agency[0]["valueCodeableConcept"]), "prescribed-by-another-organisation")
		if m.Authorisation.PrescribedElsewhere != elsewhere {
			t.Errorf("medication %s PrescribedElsewhere = %v, want %v", m.ID, m.Authorisation.PrescribedElsewhere, elsewhere)
		}
		plan := byKey[refOf(arr(s["basedOn"])[0])]
		pt := extensionsNamed(plan, "PrescriptionType")
		code := refCode(pt[0]["valueCodeableConcept"])
		if want := types[code]; m.Authorisation.Type != want {
			t.Errorf("medication %s prescription type %q, want %q (fixture %q)", m.ID, m.Authorisation.Type, want, code)
		}
		seenTypes[m.Authorisation.Type]++
		if start := str(field(plan, "dispenseRequest", "validityPeriod", "start")); m.Authorisation.Effective.Start.String() != start {
			t.Errorf("medication %s authorisation start %q, want %q", m.ID, m.Authorisation.Effective.Start, start)
		}
		var issues []string
		for _, o := range ofType(rs, "MedicationRequest") {
			if o["intent"] == "order" && refOf(arr(o["basedOn"])[0]) == key(plan) {
				issues = append(issues, str(o["id"]))
			}
		}
		var gotIssues []string
		for _, is := range m.Issues {
			gotIssues = append(gotIssues, is.ID)
		}
		if !slices.Equal(gotIssues, issues) {
			t.Errorf("medication %s issues %v, want %v", m.ID, gotIssues, issues)
		}
		if ri := extensionsNamed(plan, "MedicationRepeatInformation"); len(ri) > 0 {
			// EMIS sends the count as unsignedInt, TPP as positiveInt.
			if a := subExt(ri[0], "numberOfRepeatPrescriptionsAllowed"); a != nil {
				want := jsonInt(a["valuePositiveInt"]) + jsonInt(a["valueUnsignedInt"])
				if want != m.Authorisation.RepeatsAllowed {
					t.Errorf("medication %s repeats allowed %d, want %d", m.ID, m.Authorisation.RepeatsAllowed, want)
				}
			}
		}
	}
	if len(rec.Medications) > 0 {
		t.Logf("prescription types: %v", seenTypes)
	}
}

// refCode returns the codes of a CodeableConcept, joined.
func refCode(cc any) string {
	var codes []string
	for _, c := range arr(field(asObj(cc), "coding")) {
		codes = append(codes, str(c.(obj)["code"]))
	}
	return strings.Join(codes, ",")
}

func jsonInt(v any) int {
	s, _ := v.(interface{ String() string })
	if s == nil {
		return 0
	}
	n := 0
	for _, c := range s.String() {
		n = n*10 + int(c-'0')
	}
	return n
}

// recordIDOf maps a FHIR reference to the record item id the JSON says it
// should name: a MedicationRequest names the MedicationStatement based on
// its plan; anything else its own id. ok is false for what is not an item.
func recordIDOf(rs []obj, ref string) (string, bool) {
	byKey := map[string]obj{}
	for _, r := range rs {
		byKey[key(r)] = r
	}
	r := byKey[ref]
	if r == nil {
		return "", false
	}
	switch r["resourceType"] {
	case "List", "QuestionnaireResponse", "Practitioner", "Organization", "Location", "HealthcareService":
		return "", false
	case "MedicationRequest":
		plan := ref
		if r["intent"] == "order" {
			plan = refOf(arr(r["basedOn"])[0])
		}
		for _, s := range ofType(rs, "MedicationStatement") {
			if refOf(arr(s["basedOn"])[0]) == plan {
				return str(s["id"]), true
			}
		}
		return "", false
	}
	return str(r["id"]), true
}

func checkProblems(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	rs := entries(b)
	got := map[string]record.Problem{}
	for _, p := range rec.Problems {
		got[p.ID] = p
	}
	links, related := 0, 0
	for _, c := range ofType(rs, "Condition") {
		p, ok := got[str(c["id"])]
		if !ok {
			t.Errorf("problem %s is not in the record", c["id"])
			continue
		}
		if code, _, ok := snomed(c["code"]); ok && p.Code.Code != code {
			t.Errorf("problem %s code %s, want %s", p.ID, p.Code.Code, code)
		}
		if want := map[string]record.ProblemStatus{"active": record.ProblemActive, "inactive": record.ProblemInactive}[str(c["clinicalStatus"])]; p.Status != want {
			t.Errorf("problem %s status %q, want %q", p.ID, p.Status, want)
		}
		if sig := extensionsNamed(c, "ProblemSignificance"); len(sig) > 0 && string(p.Significance) != str(sig[0]["valueCode"]) {
			t.Errorf("problem %s significance %q, want %q", p.ID, p.Significance, sig[0]["valueCode"])
		}
		if ab := str(c["abatementDateTime"]); p.Abatement.Precision != precisionOf(ab) || (ab != "" && !strings.HasPrefix(p.Abatement.String(), ab[:4])) {
			t.Errorf("problem %s abatement %q read as %q", p.ID, ab, p.Abatement)
		}
		// Every RelatedProblemHeader whose target is in the Bundle is a
		// related problem with the same type.
		for _, e := range extensionsNamed(c, "RelatedProblemHeader") {
			target := refOf(subExt(e, "target")["valueReference"])
			id, ok := recordIDOf(rs, target)
			if !ok {
				continue
			}
			want := record.ProblemLink{Relation: record.ProblemRelation(str(subExt(e, "type")["valueCode"])), ProblemID: id}
			if !slices.Contains(p.Related, want) {
				t.Errorf("problem %s related %v, want it to hold %v", p.ID, p.Related, want)
			}
			related++
		}
		// Every clinical item an ActualProblem or RelatedClinicalContent
		// extension names that is in the Bundle is a linked item.
		var want []string
		for _, name := range []string{"ActualProblem", "RelatedClinicalContent"} {
			for _, e := range extensionsNamed(c, name) {
				if id, ok := recordIDOf(rs, refOf(e["valueReference"])); ok && !slices.Contains(want, id) {
					want = append(want, id)
				}
			}
		}
		if !slices.Equal(p.LinkedItems, want) {
			t.Errorf("problem %s linked items\n got %v\nwant %v", p.ID, p.LinkedItems, want)
		}
		links += len(want)
	}
	if len(rec.Problems) > 0 {
		t.Logf("problems: %d linked items, %d related problems checked", links, related)
	}
}

func checkConsultations(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	rs := entries(b)
	byKey := map[string]obj{}
	for _, r := range rs {
		byKey[key(r)] = r
	}
	got := map[string]record.Consultation{}
	for _, c := range rec.Consultations {
		got[c.ID] = c
	}
	for _, e := range ofType(rs, "Encounter") {
		c, ok := got[str(e["id"])]
		if !ok {
			t.Errorf("consultation %s is not in the record", e["id"])
			continue
		}
		if start := str(field(e, "period", "start")); c.Period.Start.Precision != precisionOf(start) {
			t.Errorf("consultation %s start %q read with precision %v", c.ID, start, c.Period.Start.Precision)
		}
	}
	headings := 0
	for _, l := range ofType(rs, "List") {
		if listCode(l) != "325851000000107" {
			continue
		}
		enc := byKey[refOf(l["encounter"])]
		c := got[str(enc["id"])]
		if c.Title != str(l["title"]) {
			t.Errorf("consultation %s title %q, want %q", c.ID, c.Title, l["title"])
		}
		if len(c.Topics) != len(arr(l["entry"])) {
			t.Errorf("consultation %s has %d topics, want %d", c.ID, len(c.Topics), len(arr(l["entry"])))
			continue
		}
		for i, te := range arr(l["entry"]) {
			topic := byKey[refOf(field(te.(obj), "item"))]
			tp := c.Topics[i]
			if tp.Title != str(topic["title"]) {
				t.Errorf("consultation %s topic %d title %q, want %q", c.ID, i, tp.Title, topic["title"])
			}
			if rp := extensionsNamed(topic, "RelatedProblemHeader"); len(rp) > 0 {
				if want := str(byKey[refOf(subExt(rp[0], "target")["valueReference"])]["id"]); tp.ProblemID != want {
					t.Errorf("consultation %s topic %d problem %q, want %q", c.ID, i, tp.ProblemID, want)
				}
			}
			if len(tp.Headings) != len(arr(topic["entry"])) {
				t.Errorf("consultation %s topic %d has %d headings, want %d", c.ID, i, len(tp.Headings), len(arr(topic["entry"])))
				continue
			}
			for j, he := range arr(topic["entry"]) {
				cat := byKey[refOf(field(he.(obj), "item"))]
				h := tp.Headings[j]
				if h.Code.Text() != str(cat["title"]) {
					t.Errorf("consultation %s heading %q, want %q", c.ID, h.Code.Text(), cat["title"])
				}
				var want []string
				for _, ie := range arr(cat["entry"]) {
					if id, ok := recordIDOf(rs, refOf(field(ie.(obj), "item"))); ok && !slices.Contains(want, id) {
						want = append(want, id)
					}
				}
				if !slices.Equal(h.Items, want) {
					t.Errorf("consultation %s heading %q items\n got %v\nwant %v", c.ID, h.Code.Text(), h.Items, want)
				}
				headings++
			}
		}
	}
	if headings > 0 {
		t.Logf("consultations: %d headings checked", headings)
	}
}

func checkImmunisations(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	rs := entries(b)
	got := map[string]record.Immunisation{}
	for _, x := range rec.Immunisations {
		got[x.ID] = x
	}
	for _, im := range ofType(rs, "Immunization") {
		x, ok := got[str(im["id"])]
		if !ok {
			t.Errorf("immunisation %s is not in the record", im["id"])
			continue
		}
		want, _, ok := snomed(im["vaccineCode"])
		if !ok {
			if vp := extensionsNamed(im, "VaccinationProcedure"); len(vp) > 0 {
				want, _, _ = snomed(vp[0]["valueCodeableConcept"])
			}
		}
		if want != "" && x.Vaccine.Code != want {
			t.Errorf("immunisation %s vaccine %s, want %s", x.ID, x.Vaccine.Code, want)
		}
		if d := str(im["date"]); x.Date.Precision != precisionOf(d) {
			t.Errorf("immunisation %s date %q read with precision %v", x.ID, d, x.Date.Precision)
		}
		if x.Batch != str(im["lotNumber"]) {
			t.Errorf("immunisation %s batch %q, want %q", x.ID, x.Batch, im["lotNumber"])
		}
		if kind := map[bool]record.ImmunisationKind{false: record.ImmunisationGiven, true: record.ImmunisationNotGiven}[im["notGiven"] == true]; x.Kind != kind {
			t.Errorf("immunisation %s kind %s, want %s", x.ID, x.Kind, kind)
		}
	}
	for _, x := range rec.Immunisations {
		if x.Kind == record.ImmunisationStatus && x.Status.IsZero() {
			t.Errorf("immunisation status %s has no status code", x.ID)
		}
	}
}

func checkInvestigations(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	rs := entries(b)
	byKey := map[string]obj{}
	for _, r := range rs {
		byKey[key(r)] = r
	}
	got := map[string]record.Investigation{}
	for _, x := range rec.Investigations {
		got[x.ID] = x
	}
	results := map[string]record.TestResult{}
	for _, x := range rec.TestResults {
		results[x.ID] = x
	}
	for _, d := range ofType(rs, "DiagnosticReport") {
		x := got[str(d["id"])]
		var want []string
		for _, r := range arr(d["result"]) {
			want = append(want, str(byKey[refOf(r)]["id"]))
		}
		if !slices.Equal(x.Results, want) {
			t.Errorf("investigation %s results %v, want %v", x.ID, x.Results, want)
		}
		var specimens, wantSpecimens []string
		for _, s := range x.Specimens {
			specimens = append(specimens, s.ID)
		}
		for _, s := range arr(d["specimen"]) {
			wantSpecimens = append(wantSpecimens, str(byKey[refOf(s)]["id"]))
		}
		if !slices.Equal(specimens, wantSpecimens) {
			t.Errorf("investigation %s specimens %v, want %v", x.ID, specimens, wantSpecimens)
		}
		if x.Issued.String() == "" && str(d["issued"]) != "" {
			t.Errorf("investigation %s issued not read", x.ID)
		}
	}
	kinds := map[record.ResultKind]int{}
	for _, x := range rec.TestResults {
		o := byKey["Observation/"+x.ID]
		var members []string
		for _, rel := range arr(o["related"]) {
			if rel.(obj)["type"] == "has-member" {
				if m := str(byKey[refOf(rel.(obj)["target"])]["id"]); m != x.ID {
					members = append(members, m)
				}
			}
		}
		if !slices.Equal(x.Members, members) {
			t.Errorf("test result %s members %v, want %v", x.ID, x.Members, members)
		}
		code, _, _ := snomed(o["code"])
		if (x.Kind == record.ResultFilingComment) != (code == "37331000000100") {
			t.Errorf("test result %s (code %s) kind %s", x.ID, code, x.Kind)
		}
		if q := asObj(o["valueQuantity"]); q != nil {
			if v, _ := q["value"].(interface{ String() string }); v == nil || x.Value.Value != v.String() || x.Value.Unit != str(q["unit"]) {
				t.Errorf("test result %s value %+v, want %v %v", x.ID, x.Value, q["value"], q["unit"])
			}
		}
		if s := refOf(o["specimen"]); s != "" && x.SpecimenID != str(byKey[s]["id"]) {
			t.Errorf("test result %s specimen %q, want %q", x.ID, x.SpecimenID, byKey[s]["id"])
		}
		kinds[x.Kind]++
	}
	if len(rec.TestResults) > 0 {
		t.Logf("test results by kind: %v", kinds)
	}
	// Blood pressures: an uncategorised Observation with systolic and
	// diastolic components.
	bp := 0
	for _, o := range rec.Observations {
		if s, d, ok := o.BloodPressure(); ok {
			bp++
			if s.Value == "" || d.Value == "" || s.Unit == "" {
				t.Errorf("blood pressure %s: %+v / %+v", o.ID, s, d)
			}
		}
	}
	wantBP := 0
	for _, o := range ofType(rs, "Observation") {
		n := 0
		for _, c := range arr(o["component"]) {
			if code, _, _ := snomed(c.(obj)["code"]); code == "72313002" || code == "1091811000000102" {
				n++
			}
		}
		if n == 2 {
			wantBP++
		}
	}
	if bp != wantBP {
		t.Errorf("%d blood pressures, want %d", bp, wantBP)
	}
}

func checkOthers(t *testing.T, b obj, rec *record.Record) {
	t.Helper()
	rs := entries(b)
	refs := map[string]record.Referral{}
	for _, x := range rec.Referrals {
		refs[x.ID] = x
	}
	for _, r := range ofType(rs, "ReferralRequest") {
		x := refs[str(r["id"])]
		if code, _, ok := snomed(arr(r["reasonCode"])[0]); ok && x.Reason.Code != code {
			t.Errorf("referral %s reason %s, want %s", x.ID, x.Reason.Code, code)
		}
		if x.Priority != str(r["priority"]) || x.Date.String() != str(r["authoredOn"]) {
			t.Errorf("referral %s priority %q date %q, want %q %q", x.ID, x.Priority, x.Date, r["priority"], r["authoredOn"])
		}
	}
	diary := map[string]record.DiaryEntry{}
	for _, x := range rec.DiaryEntries {
		diary[x.ID] = x
	}
	for _, p := range ofType(rs, "ProcedureRequest") {
		x, ok := diary[str(p["id"])]
		if !ok {
			continue // an investigation's request
		}
		if due := str(p["occurrenceDateTime"]); x.Due.String() != due {
			t.Errorf("diary entry %s due %q, want %q", x.ID, x.Due, due)
		}
	}
	docs := map[string]record.Document{}
	for _, x := range rec.Documents {
		docs[x.ID] = x
	}
	for _, d := range ofType(rs, "DocumentReference") {
		x := docs[str(d["id"])]
		a := asObj(field(arr(d["content"])[0].(obj), "attachment"))
		if x.ContentType != str(a["contentType"]) || x.Size != int64(jsonInt(a["size"])) {
			t.Errorf("document %s %q %d, want %v %v", x.ID, x.ContentType, x.Size, a["contentType"], a["size"])
		}
		if x.Type.Text() != str(field(d, "type", "text")) {
			t.Errorf("document %s type %q, want %q", x.ID, x.Type.Text(), field(d, "type", "text"))
		}
	}
}

// checkReport checks that every resource of the Bundle is in the report,
// read or skipped, and that each List warning is noted.
func checkReport(t *testing.T, b obj, rep *structimport.Report) {
	t.Helper()
	rs := entries(b)
	n := len(rs) + len(containedOfType(rs, "AllergyIntolerance"))
	accounted := len(rep.Skipped)
	for _, c := range rep.Read {
		accounted += c
	}
	dups := map[string]int{}
	for _, r := range rs {
		dups[key(r)]++
	}
	if accounted != n {
		var types []string
		for k, c := range dups {
			if c > 1 {
				types = append(types, k)
			}
		}
		sort.Strings(types)
		t.Errorf("report accounts for %d resources, the Bundle has %d (duplicates: %v)", accounted, n, types)
	}
	warnings := 0
	for _, l := range ofType(rs, "List") {
		warnings += len(extensionsNamed(l, "ListWarningCode"))
	}
	noted := 0
	for _, e := range rep.Notes {
		if e.ResourceType == "List" && strings.Contains(e.Reason, "carries the warning") {
			noted++
		}
	}
	if noted != warnings {
		t.Errorf("%d List warnings noted, want %d", noted, warnings)
	}
}
