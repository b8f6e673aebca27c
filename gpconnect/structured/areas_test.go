package structured

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// Per-area mapping and filters. Expectations are computed from the input
// record, or spelled out where the rule is the point of the test.

func mustBuild(t testing.TB, rec *record.Record, q *Query) *doc {
	t.Helper()
	b, err := Build(rec, q, testSubject(), testDirectory(), testOptions())
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return checkAll(t, b)
}

// shared returns the ids of the items of a slice that Shareable keeps.
func sharedIDs[T any](xs []T, item func(*T) record.Item, keep func(*T) bool) []string {
	var out []string
	for i := range xs {
		if it := item(&xs[i]); !it.Withheld() && (keep == nil || keep(&xs[i])) {
			out = append(out, it.ID)
		}
	}
	return out
}

func wantList(t *testing.T, d *doc, code string, want []string) map[string]any {
	t.Helper()
	l := d.list(code)
	if l == nil {
		t.Fatalf("no List %s; lists: %v", code, d.listCodes())
	}
	if got := entryRefs(l); !equalSets(got, want) {
		t.Errorf("List %s entries:\n got  %v\n want %v", code, sorted(got), sorted(want))
	}
	if len(want) == 0 && str(l, "emptyReason") == "" {
		t.Errorf("List %s is empty without an emptyReason", code)
	}
	return l
}

func TestAllergies(t *testing.T) {
	rec := richRecord()
	active := sharedIDs(rec.Allergies, func(a *record.Allergy) record.Item { return a.Item },
		func(a *record.Allergy) bool { return a.Status != record.AllergyResolved })
	ended := sharedIDs(rec.Allergies, func(a *record.Allergy) record.Item { return a.Item },
		func(a *record.Allergy) bool { return a.Status == record.AllergyResolved })
	if len(active) != 2 || len(ended) != 2 {
		t.Fatalf("test record changed: active %v ended %v", active, ended)
	}

	t.Run("active only", func(t *testing.T) {
		d := mustBuild(t, rec, &Query{Allergies: &AllergiesQuery{}})
		l := wantList(t, d, listAllergies.code, prefixed("AllergyIntolerance/", active...))
		if got := warnings(l); !equalSets(got, []string{"confidential-items"}) {
			t.Errorf("warnings = %v, want confidential-items (alg-secret)", got)
		}
		if !strings.Contains(noteText(l), noteConfidential) {
			t.Errorf("note = %q", noteText(l))
		}
		if d.list(listEndedAllergies.code) != nil {
			t.Error("Ended allergies List without includeResolvedAllergies")
		}
		if got := d.keys("AllergyIntolerance"); !equalSets(got, prefixed("AllergyIntolerance/", active...)) {
			t.Errorf("AllergyIntolerance entries = %v", got)
		}

		a := d.byKey["AllergyIntolerance/alg-penicillin"]
		checks := map[string]string{
			str(a, "clinicalStatus"):                             "active",
			str(a, "verificationStatus"):                         "unconfirmed",
			str(a, "onsetDateTime"):                              "2001-05",
			str(a, "assertedDate"):                               "2001-05-01",
			str(a, "recorder", "reference"):                      "Practitioner/10",
			str(a, "patient", "reference"):                       "Patient/pat-1",
			fmt.Sprint(a["category"]):                            "[medication]",
			firstCoding(a["code"])["code"].(string):              "91936005",
			str(a["reaction"].([]any)[0], "substance", "coding"): fmt.Sprint([]any{map[string]any{"system": record.SNOMED, "code": "764146007", "display": "Penicillin"}}),
			str(a["note"].([]any)[0], "text"):                    "Widespread rash",
			str(a["identifier"].([]any)[0], "system"):            IdentifierSystem + "/A81001",
			str(a["identifier"].([]any)[0], "value"):             "alg-penicillin",
		}
		for got, want := range checks {
			if got != want {
				t.Errorf("alg-penicillin: got %q, want %q", got, want)
			}
		}
		m := a["reaction"].([]any)[0].(map[string]any)["manifestation"].([]any)
		if len(m) != 1 || firstCoding(m[0])["code"] != "271807003" {
			t.Errorf("manifestation = %v", m)
		}
		if r := d.byKey["AllergyIntolerance/alg-nuts-old"]; r["recorder"] != nil || r["onsetDateTime"] != nil {
			t.Errorf("an allergy recorded by an unknown nobody, with no dates: %v", r)
		}
	})

	t.Run("with ended", func(t *testing.T) {
		d := mustBuild(t, rec, &Query{Allergies: &AllergiesQuery{IncludeResolved: true}})
		wantList(t, d, listAllergies.code, prefixed("AllergyIntolerance/", active...))
		l := wantList(t, d, listEndedAllergies.code, prefixed("#", ended...))
		if w := warnings(l); len(w) != 0 {
			t.Errorf("Ended allergies warnings = %v; the confidential allergy is an active one", w)
		}
		contained := map[string]map[string]any{}
		for _, c := range l["contained"].([]any) {
			m := c.(map[string]any)
			contained[m["id"].(string)] = m
		}
		if len(contained) != len(ended) {
			t.Fatalf("contained = %d, want %d", len(contained), len(ended))
		}
		for _, id := range ended {
			if _, top := d.byKey["AllergyIntolerance/"+id]; top {
				t.Errorf("ended allergy %s is also a Bundle entry", id)
			}
		}
		end := func(id string) (string, string) {
			var endDate, reason string
			for _, e := range extensions(contained[id], ExtAllergyIntoleranceEnd) {
				for _, x := range e["extension"].([]any) {
					m := x.(map[string]any)
					switch m["url"] {
					case "endDate":
						endDate = fmt.Sprint(m["valueDateTime"])
					case "reasonEnded":
						reason = fmt.Sprint(m["valueString"])
					}
				}
			}
			return endDate, reason
		}
		if e, r := end("alg-latex-ended"); e != "2018-08" || r != "Allergy testing negative" {
			t.Errorf("alg-latex-ended end = %q %q", e, r)
		}
		if e, r := end("alg-ended-noreason"); e != "2019" || r != "No information available" {
			t.Errorf("alg-ended-noreason end = %q %q", e, r)
		}
		if s := str(contained["alg-latex-ended"], "clinicalStatus"); s != "resolved" {
			t.Errorf("clinicalStatus = %q", s)
		}
	})

	t.Run("no known allergies", func(t *testing.T) {
		r := &record.Record{PracticeODS: testPractice, Allergies: []record.Allergy{{Item: it("nka", day(2020, 1, 15), gpA),
			NoKnownAllergies: true, Code: record.SNOMEDCode("716186003", "No known allergy"), Asserted: day(2020, 1, 15), Status: record.AllergyActive}}}
		d := mustBuild(t, r, &Query{Allergies: &AllergiesQuery{}})
		wantList(t, d, listAllergies.code, []string{"AllergyIntolerance/nka"})
		a := d.byKey["AllergyIntolerance/nka"]
		if firstCoding(a["code"])["code"] != "716186003" || a["category"] != nil || a["reaction"] != nil || a["clinicalStatus"] != "active" {
			t.Errorf("no known allergies = %v", a)
		}
	})
}

func TestMedications(t *testing.T) {
	rec := richRecord()
	t.Run("search from", func(t *testing.T) {
		from := date(2024, 1, 1)
		d := mustBuild(t, rec, &Query{Medication: &MedicationQuery{IncludePrescriptionIssues: true, SearchFrom: from}})
		// The §3.1 rule, spelled out for this record: a repeat with no end
		// and an unknown type with no end stay active; an acute started
		// after the date is returned; prescribed elsewhere always is;
		// courses that ended before the date are not.
		want := []string{"med-amlodipine", "med-amox-2026", "med-elsewhere", "med-salbutamol"}
		// And the rule as the record package states it gives the same.
		oracle := sharedIDs(rec.Medications, func(m *record.Medication) record.Item { return m.Item },
			func(m *record.Medication) bool { return record.MedicationActiveFrom(m.Authorisation, from) })
		if !equalSets(want, oracle) {
			t.Fatalf("MedicationActiveFrom disagrees with the spelled-out rule: %v", oracle)
		}
		wantList(t, d, listMedications.code, prefixed("MedicationStatement/", want...))
		if got := d.keys("MedicationStatement"); !equalSets(got, prefixed("MedicationStatement/", want...)) {
			t.Errorf("statements = %v", got)
		}
	})

	t.Run("shapes", func(t *testing.T) {
		d := mustBuild(t, rec, &Query{Medication: &MedicationQuery{IncludePrescriptionIssues: true}})
		all := sharedIDs(rec.Medications, func(m *record.Medication) record.Item { return m.Item }, nil)
		wantList(t, d, listMedications.code, prefixed("MedicationStatement/", all...))
		drugs := map[string]bool{}
		for i := range rec.Medications {
			m := &rec.Medications[i]
			if m.Withheld() {
				continue
			}
			drugs[m.Drug.Code] = true
			st := d.byKey["MedicationStatement/"+m.ID]
			plan := d.byKey["MedicationRequest/"+m.ID]
			if st == nil || plan == nil {
				t.Fatalf("%s: statement %v plan %v", m.ID, st != nil, plan != nil)
			}
			if got := str(st["basedOn"].([]any)[0], "reference"); got != "MedicationRequest/"+m.ID {
				t.Errorf("%s basedOn %s", m.ID, got)
			}
			if plan["intent"] != "plan" || str(plan, "medicationReference", "reference") != str(st, "medicationReference", "reference") {
				t.Errorf("%s plan = %v", m.ID, plan)
			}
			med := d.byKey[str(st, "medicationReference", "reference")]
			if firstCoding(med["code"])["code"] != m.Drug.Code {
				t.Errorf("%s drug = %v, want %s", m.ID, med["code"], m.Drug.Code)
			}
			for _, is := range m.Issues {
				o := d.byKey["MedicationRequest/"+is.ID]
				if o == nil || o["intent"] != "order" || str(o["basedOn"].([]any)[0], "reference") != "MedicationRequest/"+m.ID ||
					str(o, "authoredOn") != is.Date.String() {
					t.Errorf("issue %s = %v", is.ID, o)
				}
			}
		}
		if got := len(d.keys("Medication")); got != len(drugs) {
			t.Errorf("%d Medication resources for %d drugs", got, len(drugs))
		}

		st := d.byKey["MedicationStatement/med-elsewhere"]
		if c := firstCoding(extensions(st, ExtPrescribingAgency)[0]["valueCodeableConcept"]); c["code"] != "prescribed-by-another-organisation" {
			t.Errorf("prescribed elsewhere agency = %v", c)
		}
		if got := str(d.byKey["MedicationRequest/med-elsewhere"], "requester", "agent", "reference"); got != "Organization/50" {
			t.Errorf("hospital prescriber = %q, want the directory's Organization/50", got)
		}
		plan := d.byKey["MedicationRequest/med-stopped"]
		if plan["status"] != "stopped" || st["status"] == nil {
			t.Errorf("stopped plan = %v", plan["status"])
		}
		reason := extensions(plan, ExtMedicationStatusReason)
		if len(reason) != 1 || !strings.Contains(fmt.Sprint(reason[0]), "Side effects") || !strings.Contains(fmt.Sprint(reason[0]), "2021-06-30") {
			t.Errorf("status reason = %v", reason)
		}
		repeat := extensions(plan, ExtRepeatInformation)
		if len(repeat) != 1 || !strings.Contains(fmt.Sprint(repeat[0]), "numberOfRepeatPrescriptionsIssued valueUnsignedInt:2") {
			t.Errorf("repeat information = %v", repeat)
		}
		if got := str(d.byKey["MedicationStatement/med-amlodipine"], "extension"); !strings.Contains(got, "2025-04-01") {
			t.Errorf("last issue date missing: %s", got)
		}
	})

	t.Run("no issues", func(t *testing.T) {
		d := mustBuild(t, rec, &Query{Medication: &MedicationQuery{IncludePrescriptionIssues: false}})
		for _, k := range d.keys("MedicationRequest") {
			if d.byKey[k]["intent"] != "plan" {
				t.Errorf("%s has intent %v with includePrescriptionIssues=false", k, d.byKey[k]["intent"])
			}
		}
		if len(d.keys("MedicationRequest")) != len(d.keys("MedicationStatement")) {
			t.Error("one plan per statement expected")
		}
	})
}

func TestConsultations(t *testing.T) {
	rec := richRecord()
	all := sharedIDs(rec.Consultations, func(c *record.Consultation) record.Item { return c.Item }, nil)
	cases := []struct {
		name string
		q    ConsultationsQuery
		want []string
	}{
		{"all", ConsultationsQuery{}, all},
		{"period", ConsultationsQuery{SearchPeriod: DatePeriod{Start: date(2026, 1, 1), End: date(2026, 6, 15)}}, []string{"cons-2026", "cons-undated"}},
		{"period open start", ConsultationsQuery{SearchPeriod: DatePeriod{End: date(2019, 6, 4)}}, []string{"cons-2019", "cons-undated"}},
		{"most recent 1", ConsultationsQuery{MostRecent: 1}, []string{"cons-2026"}},
		{"most recent 2", ConsultationsQuery{MostRecent: 2}, []string{"cons-2026", "cons-2019"}},
		{"most recent 9", ConsultationsQuery{MostRecent: 9}, all},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			d := mustBuild(t, rec, &Query{Consultations: &q})
			wantList(t, d, listConsultations.code, prefixed("Encounter/", c.want...))
			for _, id := range c.want {
				if d.byKey["List/"+id+"-LST"] == nil {
					t.Errorf("%s has no consultation List", id)
				}
			}
		})
	}

	d := mustBuild(t, rec, &Query{Consultations: &ConsultationsQuery{}})
	c := &rec.Consultations[0] // cons-2026
	cl := d.byKey["List/cons-2026-LST"]
	if firstCoding(cl["code"])["code"] != "325851000000107" || str(cl, "encounter", "reference") != "Encounter/cons-2026" || cl["title"] != c.Title {
		t.Errorf("consultation List = %v", cl)
	}
	if got, want := len(entryRefs(cl)), len(c.Topics); got != want {
		t.Errorf("topics = %d, want %d", got, want)
	}
	topic := d.byKey["List/cons-2026-PG0"]
	if firstCoding(topic["code"])["code"] != "25851000000105" || topic["title"] != "Diabetes" {
		t.Errorf("topic = %v", topic)
	}
	if got := fmt.Sprint(extensions(topic, ExtRelatedProblemHeader)); !strings.Contains(got, "Condition/prob-diabetes") {
		t.Errorf("topic problem = %s", got)
	}
	for hi, h := range c.Topics[0].Headings {
		cat := d.byKey[fmt.Sprintf("List/cons-2026-PG0-HD%d", hi)]
		if firstCoding(cat["code"])["code"] != "24781000000107" || cat["title"] != h.Code.Display {
			t.Errorf("category %d = %v", hi, cat)
		}
		var want []string
		for _, id := range h.Items {
			x, ok := findItem(rec, id)
			if !ok || x.Withheld() {
				continue
			}
			want = append(want, headingRef(id))
		}
		if got := entryRefs(cat); !equalSets(got, want) {
			t.Errorf("category %d entries = %v, want %v", hi, got, want)
		}
	}
	// Everything listed under a heading is in the Bundle, complete.
	for _, ref := range []string{"Observation/obs-bp-1", "DiagnosticReport/inv-fbc", "Observation/res-hb", "Specimen/spec-fbc",
		"MedicationStatement/med-amox-2026", "MedicationRequest/med-amox-2026", "MedicationRequest/med-amox-2026-issue1",
		"ProcedureRequest/diary-review", "ReferralRequest/ref-eyes", "AllergyIntolerance/alg-penicillin", "Condition/prob-diabetes"} {
		if d.byKey[ref] == nil {
			t.Errorf("%s is missing", ref)
		}
	}
	if d.byKey["Observation/obs-secret"] != nil || strings.Contains(string(d.raw), "obs-secret") {
		t.Error("the confidential observation is named")
	}
	secondary := map[string][]string{
		secConsUncategorised:  {"Observation/obs-bp-1", "Observation/obs-smoker"},
		secConsInvestigations: {"DiagnosticReport/inv-fbc"},
		secConsMedications:    {"MedicationStatement/med-amox-2026"},
		secConsDiaryEntries:   {"ProcedureRequest/diary-review"},
		secConsReferrals:      {"ReferralRequest/ref-eyes"},
		secConsAllergies:      {"AllergyIntolerance/alg-penicillin"},
		secConsProblems:       {"Condition/prob-diabetes"},
		secLinkedProblems:     {"Condition/prob-diabetes"},
	}
	for code, want := range secondary {
		wantList(t, d, code, want)
	}
	if w := warnings(d.list(secConsUncategorised)); !equalSets(w, []string{"confidential-items"}) {
		t.Errorf("uncategorised-in-consultations warnings = %v (obs-secret was withheld from a heading)", w)
	}
	if w := warnings(d.list(listConsultations.code)); !equalSets(w, []string{"confidential-items"}) {
		t.Errorf("consultations warnings = %v", w)
	}
	if got := len(d.listCodes()); got != 1+len(secondary) {
		t.Errorf("lists = %v", d.listCodes())
	}
	enc := d.byKey["Encounter/cons-2026"]
	if str(enc, "period", "start") != "2026-03-10T09:30:00+00:00" || !strings.Contains(fmt.Sprint(enc["participant"]), "Practitioner/11") ||
		!strings.HasPrefix(str(enc["location"].([]any)[0], "location", "reference"), "Location/") {
		t.Errorf("encounter = %v", enc)
	}
	if got := str(d.byKey["Observation/obs-bp-1"], "context", "reference"); got != "Encounter/cons-2026" {
		t.Errorf("context of an item recorded in the consultation = %q", got)
	}
	if e := d.byKey["List/cons-undated-LST"]; str(e, "emptyReason") == "" {
		t.Errorf("a consultation with no topics = %v", e)
	}
}

// headingRef is how a category List names a richRecord item.
func headingRef(id string) string {
	switch {
	case strings.HasPrefix(id, "obs-"), strings.HasPrefix(id, "res-"):
		return "Observation/" + id
	case strings.HasPrefix(id, "inv-"):
		return "DiagnosticReport/" + id
	case strings.HasPrefix(id, "med-"):
		return "MedicationRequest/" + id
	case strings.HasPrefix(id, "diary-"):
		return "ProcedureRequest/" + id
	case strings.HasPrefix(id, "ref-"):
		return "ReferralRequest/" + id
	case strings.HasPrefix(id, "alg-"):
		return "AllergyIntolerance/" + id
	case strings.HasPrefix(id, "prob-"):
		return "Condition/" + id
	}
	return "?" + id
}

func TestProblems(t *testing.T) {
	rec := richRecord()
	byFilter := func(status, sig string) []string {
		return sharedIDs(rec.Problems, func(p *record.Problem) record.Item { return p.Item }, func(p *record.Problem) bool {
			return (status == "" || string(p.Status) == status) && (sig == "" || string(p.Significance) == sig)
		})
	}
	for _, c := range []struct{ status, sig string }{{"", ""}, {"active", ""}, {"inactive", ""}, {"", "major"}, {"", "minor"}, {"active", "minor"}} {
		t.Run(c.status+"/"+c.sig, func(t *testing.T) {
			d := mustBuild(t, rec, &Query{Problems: &ProblemsQuery{Status: c.status, Significance: c.sig}})
			want := byFilter(c.status, c.sig)
			wantList(t, d, listProblems.code, prefixed("Condition/", want...))
			for _, id := range want {
				cond := d.byKey["Condition/"+id]
				if cond == nil {
					t.Fatalf("no Condition/%s", id)
				}
				prob := findProblem(rec, id)
				if cond["clinicalStatus"] != string(prob.Status) {
					t.Errorf("%s clinicalStatus = %v", id, cond["clinicalStatus"])
				}
				if sig := extensions(cond, ExtProblemSignificance); len(sig) != 1 || sig[0]["valueCode"] != string(prob.Significance) {
					t.Errorf("%s significance = %v", id, sig)
				}
			}
		})
	}

	d := mustBuild(t, rec, &Query{Problems: &ProblemsQuery{Status: "active"}})
	// The inactive retinopathy comes in as a linked problem of diabetes.
	wantList(t, d, secLinkedProblems, []string{"Condition/prob-retinopathy"})
	secondary := map[string][]string{
		secProblemsMedications:   {"MedicationStatement/med-stopped", "MedicationStatement/med-amlodipine"},
		secProblemsInvestigation: {"DiagnosticReport/inv-fbc"},
		secProblemsReferrals:     {"ReferralRequest/ref-eyes"},
		secProblemsUncategorised: {"Observation/obs-weight", "Observation/obs-bp-1"},
		secProblemsDocuments:     {"DocumentReference/doc-letter"},
		secProblemsDiaryEntries:  {"ProcedureRequest/diary-review"},
		secProblemsImmunisations: {"Immunization/imm-flu-2025"},
		secProblemsAllergies:     {"AllergyIntolerance/alg-penicillin"},
		secProblemsConsultations: {"Encounter/cons-2026", "Encounter/cons-2019"},
	}
	for code, want := range secondary {
		wantList(t, d, code, want)
	}
	if w := warnings(d.list(secProblemsMedications)); !equalSets(w, []string{"confidential-items"}) {
		t.Errorf("medications-related warnings = %v (diabetes lost its link to med-secret)", w)
	}
	if w := warnings(d.list(secProblemsUncategorised)); len(w) != 0 {
		t.Errorf("uncategorised-related warnings = %v", w)
	}
	// A consultation brought in by a problem is its Encounter alone.
	for _, r := range d.entries {
		if r["resourceType"] == "List" && r["encounter"] != nil {
			t.Errorf("consultation structure List %v without includeConsultations", r["id"])
		}
	}
	diabetes := d.byKey["Condition/prob-diabetes"]
	wantRelated := []string{"MedicationRequest/med-stopped", "DiagnosticReport/inv-fbc", "ReferralRequest/ref-eyes", "Observation/obs-weight",
		"DocumentReference/doc-letter", "ProcedureRequest/diary-review", "Immunization/imm-flu-2025", "AllergyIntolerance/alg-penicillin",
		"Encounter/cons-2026", "Encounter/cons-2019"}
	if got := extRefs(diabetes, ExtRelatedClinicalContent); !equalSets(got, wantRelated) {
		t.Errorf("diabetes related content:\n got  %v\n want %v", sorted(got), sorted(wantRelated))
	}
	rel := extensions(diabetes, ExtRelatedProblemHeader)
	if len(rel) != 1 || !strings.Contains(fmt.Sprint(rel[0]), "valueCode:child") || !strings.Contains(fmt.Sprint(rel[0]), "Condition/prob-retinopathy") {
		t.Errorf("related problem = %v", rel)
	}
	retino := d.byKey["Condition/prob-retinopathy"]
	if retino["clinicalStatus"] != "inactive" || retino["abatementDateTime"] != "2025-09-09" {
		t.Errorf("retinopathy = %v", retino)
	}
	if w := warnings(d.list(listProblems.code)); !equalSets(w, []string{"confidential-items"}) {
		t.Errorf("problems warnings = %v", w)
	}
}

func TestLinkedProblemsOfOtherAreas(t *testing.T) {
	rec := richRecord()
	d := mustBuild(t, rec, &Query{Medication: &MedicationQuery{IncludePrescriptionIssues: true}})
	// Every returned course linked from a problem brings the problem.
	var want []string
	for i := range rec.Problems {
		p := &rec.Problems[i]
		if p.Withheld() {
			continue
		}
		for _, id := range p.LinkedItems {
			if strings.HasPrefix(id, "med-") && id != "med-secret" {
				want = append(want, "Condition/"+p.ID)
				break
			}
		}
	}
	l := wantList(t, d, secLinkedProblems, want)
	if w := warnings(l); len(w) != 0 {
		t.Errorf("warnings = %v", w)
	}
	if d.list(listProblems.code) != nil {
		t.Error("a Problems List without includeProblems")
	}
	// Their links name only what the Bundle holds.
	if got := extRefs(d.byKey["Condition/prob-hypertension"], ExtRelatedClinicalContent); !equalSets(got, []string{"MedicationRequest/med-amlodipine"}) {
		t.Errorf("hypertension related content = %v", got)
	}
	if d.byKey["Observation/obs-bp-1"] != nil {
		t.Error("a linked problem brought in its own linked items")
	}

	b, err := Build(rec, &Query{Medication: &MedicationQuery{}}, testSubject(), testDirectory(),
		Options{Today: testToday, Disabled: []string{"includeProblems"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := checkAll(t, b); len(d.keys("Condition")) != 0 || d.list(secLinkedProblems) != nil {
		t.Error("problems disabled, yet linked problems are sent")
	}
}

func TestImmunisations(t *testing.T) {
	rec := richRecord()
	cases := []struct {
		q    ImmunisationsQuery
		want []string
	}{
		{ImmunisationsQuery{IncludeStatus: true}, []string{"Immunization/imm-flu-2025", "Observation/imm-mmr-dissent"}},
		{ImmunisationsQuery{}, []string{"Immunization/imm-flu-2025"}},
		{ImmunisationsQuery{IncludeNotGiven: true}, []string{"Immunization/imm-flu-2025", "Immunization/imm-flu-2024-declined"}},
		{ImmunisationsQuery{IncludeNotGiven: true, IncludeStatus: true}, []string{"Immunization/imm-flu-2025", "Immunization/imm-flu-2024-declined", "Observation/imm-mmr-dissent"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("notGiven=%v status=%v", c.q.IncludeNotGiven, c.q.IncludeStatus), func(t *testing.T) {
			q := c.q
			d := mustBuild(t, rec, &Query{Immunisations: &q})
			wantList(t, d, listImmunisations.code, c.want)
		})
	}
	d := mustBuild(t, rec, &Query{Immunisations: &ImmunisationsQuery{IncludeNotGiven: true, IncludeStatus: true}})
	flu := d.byKey["Immunization/imm-flu-2025"]
	if flu["notGiven"] != false || flu["lotNumber"] != "FLU123" || firstCoding(flu["vaccineCode"])["code"] != "UNK" || flu["date"] != "2025-10-14" {
		t.Errorf("flu = %v", flu)
	}
	if got := fmt.Sprint(extensions(flu, ExtVaccinationProcedure)); !strings.Contains(got, codeFlu.Code) {
		t.Errorf("vaccination procedure = %s", got)
	}
	actor := str(flu["practitioner"].([]any)[0], "actor", "reference")
	if pr := d.byKey[actor]; pr == nil || !strings.Contains(fmt.Sprint(pr["name"]), "Nina Nurse") {
		t.Errorf("performer %s = %v (a practitioner the directory lacks, named from the record)", actor, pr)
	}
	declined := d.byKey["Immunization/imm-flu-2024-declined"]
	if declined["notGiven"] != true || !strings.Contains(fmt.Sprint(declined["explanation"]), "591000119102") {
		t.Errorf("declined = %v", declined)
	}
	status := d.byKey["Observation/imm-mmr-dissent"]
	if firstCoding(status["code"])["code"] != "247151000000100" || status["effectiveDateTime"] != "2001-03-04" {
		t.Errorf("status = %v", status)
	}
}

func TestUncategorised(t *testing.T) {
	rec := richRecord()
	cases := []struct {
		p    DatePeriod
		want []string
	}{
		{DatePeriod{}, sharedIDs(rec.Observations, func(o *record.Observation) record.Item { return o.Item }, nil)},
		{DatePeriod{Start: date(2026, 1, 1), End: date(2026, 6, 15)}, []string{"obs-bp-1", "obs-smoker", "obs-undated"}},
		// A year-only date matches a period within its year.
		{DatePeriod{Start: date(2019, 6, 1), End: date(2019, 6, 30)}, []string{"obs-bp-2019", "obs-undated"}},
		{DatePeriod{Start: date(2024, 6, 2)}, []string{"obs-bp-1", "obs-smoker", "obs-undated"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.p), func(t *testing.T) {
			d := mustBuild(t, rec, &Query{Uncategorised: &PeriodQuery{Period: c.p}})
			l := wantList(t, d, listUncategorised.code, prefixed("Observation/", c.want...))
			if l["title"] != "Uncategorised data" || firstCoding(l["code"])["display"] != "Miscellaneous record" {
				t.Errorf("List title %v code %v", l["title"], l["code"])
			}
			if w := warnings(l); !equalSets(w, []string{"confidential-items", "data-awaiting-filing"}) {
				t.Errorf("warnings = %v", w)
			}
			if n := noteText(l); !strings.Contains(n, noteConfidential+" "+noteAwaitingFiling) {
				t.Errorf("note = %q", n)
			}
		})
	}
	d := mustBuild(t, rec, &Query{Uncategorised: &PeriodQuery{}})
	bp := d.byKey["Observation/obs-bp-1"]
	comps := bp["component"].([]any)
	if len(comps) != 2 {
		t.Fatalf("blood pressure components = %v", comps)
	}
	for i, want := range []struct{ code, value string }{{record.SystolicCode.Code, "142"}, {record.DiastolicCode.Code, "88"}} {
		c := comps[i].(map[string]any)
		if firstCoding(c["code"])["code"] != want.code || str(c, "valueQuantity", "value") != want.value ||
			str(c, "valueQuantity", "code") != "mm[Hg]" || str(c, "valueQuantity", "system") != CodeSystemUCUM {
			t.Errorf("component %d = %v", i, c)
		}
	}
	if str(bp["performer"].([]any)[0], "reference") != "Practitioner/pr-nurse-n" {
		t.Errorf("performer = %v", bp["performer"])
	}
	w := d.byKey["Observation/obs-weight"]
	if str(w, "valueQuantity", "value") != "72.5" && str(w, "valueQuantity", "value") != "72.50" {
		t.Errorf("weight = %v", w["valueQuantity"])
	}
	if !strings.Contains(string(d.raw), `"value":72.50`) {
		t.Error("the decimal 72.50 lost its precision")
	}
	if firstCoding(w["interpretation"])["code"] != "H" || w["comment"] != "Weighed in clinic" || len(w["referenceRange"].([]any)) != 1 {
		t.Errorf("weight = %v", w)
	}
	if d.byKey["Observation/obs-smoker"]["valueString"] != "10 a day" {
		t.Error("text value")
	}
	if u := d.byKey["Observation/obs-undated"]; str(u, "code", "text") != "Comment" || u["effectiveDateTime"] != nil {
		t.Errorf("undated = %v", u)
	}
	if d.byKey["Observation/obs-pending"] != nil || strings.Contains(string(d.raw), "obs-pending") {
		t.Error("an item awaiting filing was sent")
	}
}

func TestInvestigations(t *testing.T) {
	rec := richRecord()
	d := mustBuild(t, rec, &Query{Investigations: &PeriodQuery{Period: DatePeriod{Start: date(2026, 1, 1)}}})
	l := wantList(t, d, listInvestigations.code, []string{"DiagnosticReport/inv-fbc"})
	if w := warnings(l); !equalSets(w, []string{"confidential-items"}) {
		t.Errorf("warnings = %v", w)
	}
	dr := d.byKey["DiagnosticReport/inv-fbc"]
	var results []string
	for _, r := range dr["result"].([]any) {
		results = append(results, str(r, "reference"))
	}
	if !equalSets(results, []string{"Observation/res-fbc-group", "Observation/res-fbc-comment"}) {
		t.Errorf("results = %v", results)
	}
	if str(dr["specimen"].([]any)[0], "reference") != "Specimen/spec-fbc" || dr["status"] != "final" ||
		firstCoding(dr["code"])["code"] != "721981007" || !strings.Contains(fmt.Sprint(dr["code"]), codeFBC.Code) {
		t.Errorf("report = %v", dr)
	}
	pr := d.byKey[str(dr["basedOn"].([]any)[0], "reference")]
	if pr == nil || pr["intent"] != "order" || str(pr, "requester", "agent", "reference") != "Practitioner/11" {
		t.Errorf("request = %v", pr)
	}
	lab := d.byKey[str(dr["performer"].([]any)[0], "actor", "reference")]
	if lab == nil || lab["name"] != "Riverside Pathology" {
		t.Errorf("laboratory = %v", lab)
	}
	group := d.byKey["Observation/res-fbc-group"]
	var members []string
	for _, r := range group["related"].([]any) {
		if str(r, "type") == "has-member" {
			members = append(members, str(r, "target", "reference"))
		}
	}
	if !equalSets(members, []string{"Observation/res-hb", "Observation/res-wcc"}) {
		t.Errorf("members = %v", members)
	}
	hb := d.byKey["Observation/res-hb"]
	if str(hb, "specimen", "reference") != "Specimen/spec-fbc" || !strings.Contains(fmt.Sprint(hb["related"]), "derived-from") ||
		firstCoding(hb["category"].([]any)[0])["code"] != "laboratory" || str(hb, "valueQuantity", "value") != "138" ||
		len(hb["referenceRange"].([]any)) != 1 || str(hb, "issued") != "2026-03-12T14:05:00+00:00" {
		t.Errorf("haemoglobin = %v", hb)
	}
	comment := d.byKey["Observation/res-fbc-comment"]
	if firstCoding(comment["code"])["code"] != "37331000000100" || comment["comment"] != "Repeat in 3 months" {
		t.Errorf("filing comment = %v", comment)
	}
	sp := d.byKey["Specimen/spec-fbc"]
	if str(sp, "collection", "collectedDateTime") != "2026-03-11" || !strings.Contains(fmt.Sprint(sp["note"]), "Haemolysed") {
		t.Errorf("specimen = %v", sp)
	}
	for _, s := range []string{"inv-secret", "res-secret", "HIV"} {
		if strings.Contains(string(d.raw), s) {
			t.Errorf("the confidential investigation shows: %q", s)
		}
	}

	d = mustBuild(t, rec, &Query{Investigations: &PeriodQuery{}})
	wantList(t, d, listInvestigations.code, []string{"DiagnosticReport/inv-fbc", "DiagnosticReport/inv-hba1c-2019"})
	hba1c := d.byKey["DiagnosticReport/inv-hba1c-2019"]
	if got := str(hba1c["performer"].([]any)[0], "actor", "reference"); got != "Organization/50" {
		t.Errorf("an ODS-coded laboratory = %s, want the directory's Organization/50", got)
	}
}

func TestReferrals(t *testing.T) {
	rec := richRecord()
	for _, c := range []struct {
		p    DatePeriod
		want []string
	}{
		{DatePeriod{}, []string{"ref-eyes", "ref-2015"}},
		{DatePeriod{Start: date(2024, 1, 1), End: date(2024, 12, 31)}, []string{"ref-eyes"}},
		{DatePeriod{Start: date(2015, 3, 15), End: date(2015, 3, 20)}, []string{"ref-2015"}}, // March 2015 meets it
		{DatePeriod{Start: date(2015, 4, 1), End: date(2024, 9, 9)}, nil},
	} {
		t.Run(fmt.Sprint(c.p), func(t *testing.T) {
			d := mustBuild(t, rec, &Query{Referrals: &PeriodQuery{Period: c.p}})
			wantList(t, d, listReferrals.code, prefixed("ReferralRequest/", c.want...))
		})
	}
	d := mustBuild(t, rec, &Query{Referrals: &PeriodQuery{}})
	r := d.byKey["ReferralRequest/ref-eyes"]
	if str(r["recipient"].([]any)[0], "reference") != "Organization/50" || str(r, "specialty", "text") != "Ophthalmology" ||
		r["priority"] != "routine" || r["status"] != "active" || r["intent"] != "order" || firstCoding(r["reasonCode"].([]any)[0])["code"] != codeRetinopathy.Code {
		t.Errorf("referral = %v", r)
	}
	odd := d.byKey["ReferralRequest/ref-2015"]
	if odd["priority"] != nil || odd["status"] != "unknown" || odd["authoredOn"] != "2015-03" {
		t.Errorf("a referral with codes outside the value sets = %v", odd)
	}
}

func TestDiaryEntries(t *testing.T) {
	rec := richRecord()
	for _, c := range []struct {
		on   pcnhub.Date
		want []string
	}{
		{pcnhub.Date{}, []string{"diary-review", "diary-decade", "diary-undated"}},
		{date(2027, 3, 9), []string{"diary-undated"}},
		{date(2027, 3, 10), []string{"diary-review", "diary-undated"}},
		{date(2036, 1, 1), []string{"diary-review", "diary-decade", "diary-undated"}}, // due some time in 2036
	} {
		t.Run(c.on.String(), func(t *testing.T) {
			d := mustBuild(t, rec, &Query{DiaryEntries: &DiaryQuery{SearchDate: c.on}})
			wantList(t, d, listDiaryEntries.code, prefixed("ProcedureRequest/", c.want...))
		})
	}
	d := mustBuild(t, rec, &Query{DiaryEntries: &DiaryQuery{}})
	p := d.byKey["ProcedureRequest/diary-review"]
	if p["intent"] != "plan" || p["status"] != "active" || p["occurrenceDateTime"] != "2027-03-10" ||
		str(p, "requester", "agent", "reference") != "Practitioner/10" || !strings.Contains(fmt.Sprint(p["note"]), "Annual diabetes review") {
		t.Errorf("diary entry = %v", p)
	}
}

// TestEachAreaAlone asks for each area on its own: its List is the only
// primary List, and the answer is complete.
func TestEachAreaAlone(t *testing.T) {
	full := fullQuery(testNHS)
	areas := []struct {
		name string
		q    *Query
		code string
	}{
		{"allergies", &Query{Allergies: full.Allergies}, listAllergies.code},
		{"medication", &Query{Medication: full.Medication}, listMedications.code},
		{"consultations", &Query{Consultations: full.Consultations}, listConsultations.code},
		{"problems", &Query{Problems: full.Problems}, listProblems.code},
		{"immunisations", &Query{Immunisations: full.Immunisations}, listImmunisations.code},
		{"uncategorised", &Query{Uncategorised: full.Uncategorised}, listUncategorised.code},
		{"investigations", &Query{Investigations: full.Investigations}, listInvestigations.code},
		{"referrals", &Query{Referrals: full.Referrals}, listReferrals.code},
		{"diary", &Query{DiaryEntries: full.DiaryEntries}, listDiaryEntries.code},
	}
	primary := map[string]bool{}
	for _, a := range []primaryArea{listAllergies, listEndedAllergies, listMedications, listConsultations, listProblems,
		listImmunisations, listUncategorised, listInvestigations, listReferrals, listDiaryEntries} {
		primary[a.code] = true
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) {
			for _, rec := range []*record.Record{richRecord(), weirdRecord()} {
				d := mustBuild(t, rec, a.q)
				for _, code := range d.listCodes() {
					if primary[code] && code != a.code && !(a.name == "allergies" && code == listEndedAllergies.code) {
						t.Errorf("List %s in an answer about %s", code, a.name)
					}
				}
				if d.list(a.code) == nil {
					t.Errorf("no List %s", a.code)
				}
				if d.raw[0] != '{' || d.byKey["Patient/pat-1"] == nil || d.byKey["Organization/1"] == nil {
					t.Error("no Patient or practice")
				}
			}
		})
	}
}

// weirdRecord holds ids that are not FHIR ids: spaces, slashes, unicode,
// a 100-character id, and two ids that sanitise alike.
func weirdRecord() *record.Record {
	long := strings.Repeat("x", 100)
	r := &record.Record{
		PracticeODS: testPractice,
		Allergies:   []record.Allergy{{Item: it("a b", day(2020, 1, 1), gpA), Code: codeAsthma, Status: record.AllergyActive}},
		Medications: []record.Medication{
			course("med/1", drugAmlodipine, record.PrescriptionRepeat, day(2024, 1, 1), record.PartialDate{}, day(2024, 1, 1)),
			course("med 1", drugAmlodipine, record.PrescriptionRepeat, day(2024, 1, 1), record.PartialDate{}, day(2024, 2, 1)),
			course("med-1", drugSalbutamol, record.PrescriptionAcute, day(2024, 1, 1), record.PartialDate{}),
		},
		Problems: []record.Problem{{Item: it("problème", day(2020, 1, 1), gpA), Code: codeAsthma, Status: record.ProblemActive,
			LinkedItems: []string{"med/1", long, "a b"}}},
		Consultations: []record.Consultation{{Item: it(long+"-c", day(2024, 1, 1), gpA), Period: record.Period{Start: day(2024, 1, 1)},
			Location: "Room 1 / Annex", Topics: []record.Topic{{Title: "T", ProblemID: "problème", Headings: []record.Heading{{Code: codeHistory, Items: []string{long, "a b"}}}}}}},
		Observations: []record.Observation{{Item: it(long, day(2024, 1, 1), record.Clinician{PractitionerID: "pr id/with spaces", Name: "Dr Odd"}), Code: codeWeight,
			Value: record.Quantity{Value: "about 70", Unit: "kg"}}},
		Investigations: []record.Investigation{{Item: it("inv#1", day(2024, 1, 1), gpA), Code: codeFBC, Results: []string{"res 1"},
			Specimens: []record.Specimen{{ID: "spec 1", Type: codeHb}}, Performer: "lab@example"}},
		TestResults:  []record.TestResult{{Item: it("res 1", day(2024, 1, 1), gpA), Kind: record.ResultValue, Code: codeHb, SpecimenID: "spec 1"}},
		Referrals:    []record.Referral{{Item: it("ref:1", day(2024, 1, 1), gpA), Reason: codeAsthma}},
		DiaryEntries: []record.DiaryEntry{{Item: it("diary 1", day(2024, 1, 1), gpA), Code: codeRecall}},
	}
	r.Medications[1].Issues[0].ID = "med 1 issue"
	return r
}

func TestIDs(t *testing.T) {
	rec := weirdRecord()
	d := mustBuild(t, rec, fullQuery(testNHS))
	// Three medications whose ids sanitise alike are three statements.
	if n := len(d.keys("MedicationStatement")); n != 3 {
		t.Errorf("%d statements, want 3: %v", n, d.keys("MedicationStatement"))
	}
	if n := len(d.keys("Medication")); n != 2 {
		t.Errorf("%d Medications for 2 drugs", n)
	}
	// Identifiers keep the record's own ids.
	ids := map[string]bool{}
	for _, r := range d.entries {
		if idf, ok := r["identifier"].([]any); ok && len(idf) > 0 {
			ids[str(idf[0], "value")] = true
		}
	}
	for _, want := range []string{"a b", "med/1", "med 1", "problème", strings.Repeat("x", 100)} {
		if !ids[want] {
			t.Errorf("no identifier %q", want)
		}
	}
	// The same item has the same id in different answers.
	id := func(d *doc, value string) string {
		for _, r := range d.entries {
			if idf, ok := r["identifier"].([]any); ok && len(idf) > 0 && str(idf[0], "value") == value {
				return fmt.Sprint(r["resourceType"], "/", r["id"])
			}
		}
		return ""
	}
	other := mustBuild(t, rec, &Query{Uncategorised: &PeriodQuery{}})
	long := strings.Repeat("x", 100)
	if a, b := id(d, long), id(other, long); a == "" || a != b {
		t.Errorf("the long-id observation is %q in one answer and %q in another", a, b)
	}
	if got := id(d, "a b"); got != "AllergyIntolerance/"+hashed("a b", 0) {
		t.Errorf("a b = %q", got)
	}

	for _, c := range []string{"", "x", "a b", "ü", strings.Repeat("é", 80), strings.Repeat("a", 64), strings.Repeat("a", 65)} {
		a := newIDs(0)
		got := a.get("T", c, c)
		if !validID(got) {
			t.Errorf("id of %q = %q, not a FHIR id", c, got)
		}
		if validID(c) && got != c {
			t.Errorf("a valid id %q became %q", c, got)
		}
	}
	a := newIDs(0)
	a.reserve("T", "taken")
	if got := a.get("T", "k", "taken"); got == "taken" || !validID(got) {
		t.Errorf("a reserved id was handed out: %q", got)
	}
	if a.get("T", "k", "taken") != a.get("T", "k", "other") {
		t.Error("ids are not memoised")
	}
	if a.get("U", "k", "taken") != "taken" {
		t.Error("ids of another resource type collide")
	}
}

// TestUnknownDates: an item with no date is in every period.
func TestUnknownDates(t *testing.T) {
	rec := richRecord()
	far := DatePeriod{Start: date(1900, 1, 1), End: date(1900, 1, 2)}
	d := mustBuild(t, rec, &Query{
		Uncategorised:  &PeriodQuery{Period: far},
		Consultations:  &ConsultationsQuery{SearchPeriod: far},
		DiaryEntries:   &DiaryQuery{SearchDate: date(1900, 1, 1)},
		Medication:     &MedicationQuery{SearchFrom: date(2099, 1, 1)},
		Investigations: &PeriodQuery{Period: far},
	})
	wantList(t, d, listUncategorised.code, []string{"Observation/obs-undated"})
	wantList(t, d, listConsultations.code, []string{"Encounter/cons-undated"})
	wantList(t, d, listDiaryEntries.code, []string{"ProcedureRequest/diary-undated"})
	// Repeat with no end, unknown type with no end, prescribed elsewhere.
	wantList(t, d, listMedications.code, prefixed("MedicationStatement/", "med-amlodipine", "med-elsewhere", "med-salbutamol"))
	wantList(t, d, listInvestigations.code, nil)
}

func TestDateRendering(t *testing.T) {
	bst := record.At(time.Date(2024, 7, 1, 11, 50, 40, 0, time.UTC))
	for _, c := range []struct {
		p    record.PartialDate
		want string
	}{
		{record.YearOnly(2019), "2019"},
		{record.YearMonth(2019, 7), "2019-07"},
		{day(2019, 7, 1), "2019-07-01"},
		{bst, "2024-07-01T12:50:40+01:00"},
		{record.PartialDate{}, ""},
	} {
		if got := dateTime(c.p).String(); got != c.want {
			t.Errorf("dateTime(%v) = %q, want %q", c.p, got, c.want)
		}
	}
	if got := instant(day(2024, 7, 1)).String(); got != "2024-07-01T00:00:00+01:00" {
		t.Errorf("instant of a summer day = %q", got)
	}
	if !instant(record.YearOnly(2019)).IsZero() {
		t.Error("a year is not an instant")
	}
	if got := noteInTransit(date(2025, 3, 1)); !strings.Contains(got, "before 01-Mar-2025 may be missing") {
		t.Errorf("in-transit note = %q", got)
	}
	_ = fhir.JSON
}
