package record

import (
	"reflect"
	"testing"
)

func TestDisclosed(t *testing.T) {
	r := &Record{
		NHSNumber: "9990000018", PracticeODS: "A81001", InTransit: true,
		Allergies: []Allergy{
			{Item: Item{ID: "a-conf", Confidential: true}, Status: AllergyActive, Manifestations: []Code{SNOMEDCode("1", "rash")}},
			{Item: Item{ID: "a-wait", AwaitingFiling: true}, Status: AllergyActive},
			{Item: Item{ID: "a-both", Confidential: true, AwaitingFiling: true}, Status: AllergyActive},
		},
		Medications:    []Medication{{Item: Item{ID: "m", Confidential: true}}},
		Problems:       []Problem{{Item: Item{ID: "p", Confidential: true}, LinkedItems: []string{"m", "a-wait"}}},
		Consultations:  []Consultation{{Item: Item{ID: "c", Confidential: true}}},
		Observations:   []Observation{{Item: Item{ID: "o", Confidential: true}}},
		Immunisations:  []Immunisation{{Item: Item{ID: "i", Confidential: true}}},
		Investigations: []Investigation{{Item: Item{ID: "inv", Confidential: true}, Results: []string{"res"}}},
		TestResults:    []TestResult{{Item: Item{ID: "res"}}},
		Referrals:      []Referral{{Item: Item{ID: "ref", Confidential: true}}},
		DiaryEntries:   []DiaryEntry{{Item: Item{ID: "d", Confidential: true}}},
		Documents:      []Document{{Item: Item{ID: "doc", Confidential: true}}},
	}
	before := deepCopyForTest(r)

	d := r.Disclosed()
	if !reflect.DeepEqual(r, before) {
		t.Fatal("Disclosed modified its receiver")
	}
	if d.NHSNumber != r.NHSNumber || d.PracticeODS != r.PracticeODS || !d.InTransit {
		t.Errorf("record fields not kept: %+v", d)
	}
	confidential := 0
	d.eachItem(func(_ Area, it Item) {
		if it.Confidential {
			confidential++
		}
	})
	if confidential != 0 {
		t.Errorf("%d items still confidential", confidential)
	}
	if !d.Allergies[1].AwaitingFiling || !d.Allergies[2].AwaitingFiling {
		t.Error("AwaitingFiling was not kept")
	}
	if d.Items() != r.Items() {
		t.Errorf("Items() = %d, want %d", d.Items(), r.Items())
	}

	// Shared: every formerly confidential item stays; items awaiting
	// filing still go, and the withholdings say so and only so.
	s, w := d.Shareable()
	if got := s.Items(); got != r.Items()-2 {
		t.Errorf("shareable items = %d, want %d", got, r.Items()-2)
	}
	for a, why := range w {
		if why.Confidential {
			t.Errorf("area %s reports confidential items withheld", a)
		}
	}
	if !w.AwaitingFiling(AreaAllergies) || !w.AwaitingFiling(AreaProblems) {
		t.Errorf("withholdings = %v, want awaiting filing in allergies and problems", w)
	}
	if got := s.Problems[0].LinkedItems; !reflect.DeepEqual(got, []string{"m"}) {
		t.Errorf("problem links = %v, want [m]", got)
	}

	var empty Record
	if e := empty.Disclosed(); !reflect.DeepEqual(e, &empty) {
		t.Errorf("Disclosed of an empty record = %+v", e)
	}
}

func deepCopyForTest(r *Record) *Record {
	c := *r
	c.Allergies = append([]Allergy(nil), r.Allergies...)
	c.Medications = append([]Medication(nil), r.Medications...)
	c.Problems = append([]Problem(nil), r.Problems...)
	c.Consultations = append([]Consultation(nil), r.Consultations...)
	c.Observations = append([]Observation(nil), r.Observations...)
	c.Immunisations = append([]Immunisation(nil), r.Immunisations...)
	c.Investigations = append([]Investigation(nil), r.Investigations...)
	c.TestResults = append([]TestResult(nil), r.TestResults...)
	c.Referrals = append([]Referral(nil), r.Referrals...)
	c.DiaryEntries = append([]DiaryEntry(nil), r.DiaryEntries...)
	c.Documents = append([]Document(nil), r.Documents...)
	return &c
}
