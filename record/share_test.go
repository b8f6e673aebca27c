package record

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"pgregory.net/rapid"
)

func it(id string) Item { return Item{ID: id} }

func conf(id string) Item { return Item{ID: id, Confidential: true} }

func TestShareableExample(t *testing.T) {
	r := &Record{
		NHSNumber: "9000000009",
		InTransit: true,
		Problems: []Problem{
			{Item: conf("p-secret"), LinkedItems: []string{"o-bp", "o-hiv"}, Related: []ProblemLink{{RelationChild, "p-open"}}},
			{Item: it("p-open"), LinkedItems: []string{"o-bp", "o-hiv", "o-lab"}, Related: []ProblemLink{{RelationParent, "p-secret"}}},
		},
		Consultations: []Consultation{
			{Item: conf("c-secret"), Topics: []Topic{{Headings: []Heading{{Items: []string{"o-note"}}}}}},
			{Item: it("c-open"), Topics: []Topic{
				{ProblemID: "p-secret", Headings: []Heading{{Items: []string{"o-hiv"}}, {Items: []string{"o-bp", "o-hiv"}}}},
				{Title: "only confidential", Headings: []Heading{{Items: []string{"o-hiv"}}}},
				{Title: "no headings"},
			}},
		},
		Observations: []Observation{
			{Item: it("o-bp"), Components: []Component{{Code: SystolicCode, Value: Quantity{Value: "120", Unit: "mm[Hg]"}}, {Code: DiastolicCode, Value: Quantity{Value: "80", Unit: "mm[Hg]"}}}},
			{Item: conf("o-hiv")},
			{Item: it("o-note")},
			{Item: Item{ID: "o-lab", AwaitingFiling: true}},
		},
		Allergies: []Allergy{{Item: it("a-nka"), NoKnownAllergies: true}},
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	got, w := r.Shareable()
	if err := got.Validate(); err != nil {
		t.Fatalf("shared record invalid: %v", err)
	}
	want := &Record{
		NHSNumber: "9000000009",
		InTransit: true,
		Problems:  []Problem{{Item: it("p-open"), LinkedItems: []string{"o-bp"}}},
		Consultations: []Consultation{{Item: it("c-open"), Topics: []Topic{
			{Headings: []Heading{{Items: []string{"o-bp"}}}},
			{Title: "no headings"},
		}}},
		Observations: []Observation{r.Observations[0], r.Observations[2]},
		Allergies:    r.Allergies,
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("Shareable() =\n%s", g)
	}
	wantW := Withholdings{
		AreaProblems:      {Confidential: true, AwaitingFiling: true},
		AreaConsultations: {Confidential: true},
		AreaUncategorised: {Confidential: true, AwaitingFiling: true},
	}
	if !reflect.DeepEqual(w, wantW) {
		t.Errorf("withholdings = %v, want %v", w, wantW)
	}
	if sys, dia, ok := got.Observations[0].BloodPressure(); !ok || sys.Value != "120" || dia.Value != "80" {
		t.Errorf("BloodPressure() = %v, %v, %v", sys, dia, ok)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		r      Record
		wantID string // "" = valid
	}{
		{"empty", Record{}, ""},
		{"empty id", Record{Allergies: []Allergy{{}}}, "empty id"},
		{"duplicate across areas", Record{Allergies: []Allergy{{Item: it("x")}}, Documents: []Document{{Item: it("x")}}}, `"x"`},
		{"issue id clashes", Record{Medications: []Medication{{Item: it("m"), Issues: []Issue{{ID: "m"}}}}}, `"m"`},
		{"problem links missing item", Record{Problems: []Problem{{Item: it("p"), LinkedItems: []string{"nope"}}}}, `"nope"`},
		{"problem links issue", Record{Problems: []Problem{{Item: it("p"), LinkedItems: []string{"i1"}}}, Medications: []Medication{{Item: it("m"), Issues: []Issue{{ID: "i1"}}}}}, `"i1"`},
		{"related is not a problem", Record{Problems: []Problem{{Item: it("p"), Related: []ProblemLink{{RelationChild, "o"}}}}, Observations: []Observation{{Item: it("o")}}}, `"o"`},
		{"heading item missing", Record{Consultations: []Consultation{{Item: it("c"), Topics: []Topic{{Headings: []Heading{{Items: []string{"gone"}}}}}}}}, `"gone"`},
		{"topic problem missing", Record{Consultations: []Consultation{{Item: it("c"), Topics: []Topic{{ProblemID: "p9"}}}}}, `"p9"`},
		{"result not a test result", Record{Investigations: []Investigation{{Item: it("inv"), Results: []string{"o"}}}, Observations: []Observation{{Item: it("o")}}}, `"o"`},
		{"group member missing", Record{TestResults: []TestResult{{Item: it("g"), Kind: ResultGroup, Members: []string{"r9"}}}}, `"r9"`},
		{"specimen missing", Record{TestResults: []TestResult{{Item: it("r"), SpecimenID: "s9"}}}, `"s9"`},
		{"impossible date", Record{Allergies: []Allergy{{Item: Item{ID: "a", Recorded: PartialDate{Precision: DateDay, Year: 2023, Month: 2, Day: 30}}}}}, `"a"`},
		{"valid links", Record{
			Problems:       []Problem{{Item: it("p"), LinkedItems: []string{"o", "c"}, Related: []ProblemLink{{RelationSibling, "p2"}}}, {Item: it("p2")}},
			Consultations:  []Consultation{{Item: it("c"), Topics: []Topic{{ProblemID: "p", Headings: []Heading{{Items: []string{"o", "r"}}}}}}},
			Observations:   []Observation{{Item: it("o")}},
			Investigations: []Investigation{{Item: it("inv"), Results: []string{"g"}, Specimens: []Specimen{{ID: "s"}}}},
			TestResults:    []TestResult{{Item: it("g"), Kind: ResultGroup, Members: []string{"r"}}, {Item: it("r"), SpecimenID: "s"}},
		}, ""},
	}
	for _, tt := range tests {
		err := tt.r.Validate()
		switch {
		case tt.wantID == "" && err != nil:
			t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
		case tt.wantID != "" && (pcnhub.ErrorCode(err) != pcnhub.EINVALID || !strings.Contains(pcnhub.ErrorMessage(err), tt.wantID)):
			t.Errorf("%s: Validate() = %v, want EINVALID naming %s", tt.name, err, tt.wantID)
		}
	}
}

// genRecord draws a valid record whose items are randomly confidential or
// awaiting filing and randomly linked to one another.
func genRecord(t *rapid.T) *Record {
	kinds := []Area{AreaAllergies, AreaMedications, AreaProblems, AreaConsultations, AreaUncategorised,
		AreaImmunisations, AreaInvestigations, "results", AreaReferrals, AreaDiaryEntries, AreaDocuments}
	n := rapid.IntRange(0, 30).Draw(t, "n")
	var all, problems, results, specimens []string
	byKind := map[Area][]Item{}
	for i := range n {
		k := rapid.SampledFrom(kinds).Draw(t, "kind")
		item := Item{
			ID:             fmt.Sprintf("%s-%d", k, i),
			Confidential:   rapid.IntRange(0, 3).Draw(t, "conf") == 0,
			AwaitingFiling: rapid.IntRange(0, 5).Draw(t, "awaiting") == 0,
		}
		byKind[k] = append(byKind[k], item)
		all = append(all, item.ID)
		switch k {
		case AreaProblems:
			problems = append(problems, item.ID)
		case "results":
			results = append(results, item.ID)
		}
	}
	pick := func(pool []string, label string) []string {
		if len(pool) == 0 {
			return nil
		}
		return rapid.SliceOfN(rapid.SampledFrom(pool), 0, 4).Draw(t, label)
	}
	one := func(pool []string, label string) string {
		if len(pool) == 0 || rapid.Bool().Draw(t, label+"?") {
			return ""
		}
		return rapid.SampledFrom(pool).Draw(t, label)
	}
	r := &Record{NHSNumber: "9000000009", PracticeODS: "A82038"}
	for _, x := range byKind[AreaInvestigations] {
		inv := Investigation{Item: x, Results: pick(results, "results")}
		for j := range rapid.IntRange(0, 2).Draw(t, "specimens") {
			inv.Specimens = append(inv.Specimens, Specimen{ID: fmt.Sprintf("%s-s%d", x.ID, j)})
			specimens = append(specimens, inv.Specimens[j].ID)
		}
		r.Investigations = append(r.Investigations, inv)
	}
	for _, x := range byKind[AreaAllergies] {
		r.Allergies = append(r.Allergies, Allergy{Item: x})
	}
	for _, x := range byKind[AreaMedications] {
		m := Medication{Item: x}
		for j := range rapid.IntRange(0, 2).Draw(t, "issues") {
			m.Issues = append(m.Issues, Issue{ID: fmt.Sprintf("%s-i%d", x.ID, j)})
		}
		r.Medications = append(r.Medications, m)
	}
	for _, x := range byKind[AreaProblems] {
		p := Problem{Item: x, LinkedItems: pick(all, "linked")}
		for _, id := range pick(problems, "related") {
			p.Related = append(p.Related, ProblemLink{RelationSibling, id})
		}
		r.Problems = append(r.Problems, p)
	}
	for _, x := range byKind[AreaConsultations] {
		c := Consultation{Item: x}
		for range rapid.IntRange(0, 3).Draw(t, "topics") {
			tp := Topic{ProblemID: one(problems, "topicProblem")}
			for range rapid.IntRange(0, 3).Draw(t, "headings") {
				tp.Headings = append(tp.Headings, Heading{Items: pick(all, "heading")})
			}
			c.Topics = append(c.Topics, tp)
		}
		r.Consultations = append(r.Consultations, c)
	}
	for _, x := range byKind[AreaUncategorised] {
		r.Observations = append(r.Observations, Observation{Item: x})
	}
	for _, x := range byKind[AreaImmunisations] {
		r.Immunisations = append(r.Immunisations, Immunisation{Item: x})
	}
	for _, x := range byKind["results"] {
		r.TestResults = append(r.TestResults, TestResult{Item: x, Members: pick(results, "members"), SpecimenID: one(specimens, "specimen")})
	}
	for _, x := range byKind[AreaReferrals] {
		r.Referrals = append(r.Referrals, Referral{Item: x})
	}
	for _, x := range byKind[AreaDiaryEntries] {
		r.DiaryEntries = append(r.DiaryEntries, DiaryEntry{Item: x})
	}
	for _, x := range byKind[AreaDocuments] {
		r.Documents = append(r.Documents, Document{Item: x})
	}
	return r
}

func TestShareableProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRecord(t)
		if err := r.Validate(); err != nil {
			t.Fatalf("generator made an invalid record: %v", err)
		}
		before, _ := json.Marshal(r)
		s, w := r.Shareable()
		if after, _ := json.Marshal(r); string(after) != string(before) {
			t.Fatalf("Shareable modified its receiver")
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("shared record invalid: %v", err)
		}
		kept := map[string]bool{}
		s.eachItem(func(a Area, x Item) {
			if x.Withheld() {
				t.Fatalf("%s item %q withheld (%+v) but shared", a, x.ID, x)
			}
			kept[x.ID] = true
		})
		// Results of withheld investigations (and members of withheld
		// test groups) go with them.
		carried := map[string]bool{}
		withheldIDs := map[string]bool{}
		r.eachItem(func(_ Area, x Item) {
			if x.Withheld() {
				withheldIDs[x.ID] = true
			}
		})
		for changed := true; changed; {
			changed = false
			mark := func(parent string, ids []string) {
				if !withheldIDs[parent] && !carried[parent] {
					return
				}
				for _, id := range ids {
					if !carried[id] {
						carried[id], changed = true, true
					}
				}
			}
			for _, x := range r.Investigations {
				mark(x.ID, x.Results)
			}
			for _, x := range r.TestResults {
				mark(x.ID, x.Members)
			}
		}
		wantW := map[Area]Withheld{}
		r.eachItem(func(a Area, x Item) {
			if carried[x.ID] && kept[x.ID] {
				t.Fatalf("%s item %q belongs to a withheld investigation but was shared", a, x.ID)
			}
			if !x.Withheld() && !kept[x.ID] && !carried[x.ID] {
				t.Fatalf("%s item %q is shareable but was dropped", a, x.ID)
			}
			if x.Withheld() {
				v := wantW[a]
				v.Confidential = v.Confidential || x.Confidential
				v.AwaitingFiling = v.AwaitingFiling || x.AwaitingFiling
				wantW[a] = v
			}
		})
		for a, v := range wantW {
			if v.Confidential && !w.Confidential(a) || v.AwaitingFiling && !w.AwaitingFiling(a) {
				t.Fatalf("area %s: withholdings %+v, but removed items need %+v", a, w[a], v)
			}
		}
		for a, v := range w {
			if v.Confidential && len(wantW) == 0 || v == (Withheld{}) {
				t.Fatalf("area %s flagged %+v with nothing withheld", a, v)
			}
		}
		// Surviving problems keep exactly their links to shared items.
		orig := map[string]Problem{}
		for _, p := range r.Problems {
			orig[p.ID] = p
		}
		for _, p := range s.Problems {
			var want []string
			for _, id := range orig[p.ID].LinkedItems {
				if kept[id] {
					want = append(want, id)
				}
			}
			if !reflect.DeepEqual(p.LinkedItems, want) {
				t.Fatalf("problem %q links %v, want %v", p.ID, p.LinkedItems, want)
			}
		}
		// Sharing is idempotent.
		s2, w2 := s.Shareable()
		if !reflect.DeepEqual(s, s2) || len(w2) != 0 {
			t.Fatalf("Shareable of a shared record changed it (withholdings %v)", w2)
		}
	})
}
