package record

import (
	"slices"

	"github.com/pcnhub/pcnhub"
)

// Area is a clinical area of the record, one per GP Connect primary List.
type Area string

const (
	AreaAllergies      Area = "allergies"
	AreaMedications    Area = "medications"
	AreaProblems       Area = "problems"
	AreaConsultations  Area = "consultations"
	AreaUncategorised  Area = "uncategorised"
	AreaImmunisations  Area = "immunisations"
	AreaInvestigations Area = "investigations"
	AreaReferrals      Area = "referrals"
	AreaDiaryEntries   Area = "diary-entries"
	AreaDocuments      Area = "documents"
)

// Withheld says why items of an area were left out of a shared record.
type Withheld struct {
	Confidential   bool // → List warning confidential-items
	AwaitingFiling bool // → List warning data-awaiting-filing
}

// Withholdings maps each area from which Shareable removed something to why.
// Areas with nothing removed are absent.
type Withholdings map[Area]Withheld

// Confidential reports whether confidential items were removed from the area.
func (w Withholdings) Confidential(a Area) bool { return w[a].Confidential }

// AwaitingFiling reports whether items awaiting filing were removed from the area.
func (w Withholdings) AwaitingFiling(a Area) bool { return w[a].AwaitingFiling }

func (w Withholdings) note(a Area, it Item) {
	v := w[a]
	v.Confidential = v.Confidential || it.Confidential
	v.AwaitingFiling = v.AwaitingFiling || it.AwaitingFiling
	w[a] = v
}

// Shareable returns a deep copy of the record holding only what may be
// shared (GP Connect §3.3): items that are Confidential or AwaitingFiling
// are omitted, not redacted, and no reference to an omitted item remains.
//
//   - An omitted problem or consultation vanishes entirely with its links;
//     the items it linked stay unless they are withheld themselves.
//   - Links to omitted items are dropped from problems (linked items and
//     related problems), consultations (heading items; a topic's problem is
//     cleared), investigations (results) and test groups (members); a
//     heading, and then a topic, left empty by the removal is dropped.
//   - The results of an omitted investigation, and the members of an
//     omitted test group, are omitted with it (a result reveals its
//     report); a result that stays but whose specimen went with an omitted
//     investigation loses its specimen reference.
//
// The Withholdings name every area an omitted item belonged to, plus
// Problems, Consultations and Investigations when a problem, consultation,
// investigation or test group that remains lost a link to an omitted item,
// since the lists of those areas would have contained it. The receiver is not
// modified. InTransit, NHS number and practice are copied as they are.
func (r *Record) Shareable() (*Record, Withholdings) {
	w := Withholdings{}
	gone := map[string]Item{} // withheld item id → the item
	r.eachItem(func(a Area, it Item) {
		if it.Withheld() {
			gone[it.ID] = it
			w.note(a, it)
		}
	})
	// A withheld investigation takes its results with it, and a withheld
	// test group its members: a result would reveal its report.
	results := map[string]TestResult{}
	for _, x := range r.TestResults {
		results[x.ID] = x
	}
	// A carried item is withheld for its parent's reason.
	carry := func(parent Item, ids []string) bool {
		changed := false
		for _, id := range ids {
			if res, ok := results[id]; ok {
				if _, g := gone[id]; !g {
					it := res.Item
					it.Confidential, it.AwaitingFiling = parent.Confidential, parent.AwaitingFiling
					gone[id] = it
					changed = true
				}
			}
		}
		return changed
	}
	for changed := true; changed; {
		changed = false
		for _, x := range r.Investigations {
			if p, g := gone[x.ID]; g && carry(p, x.Results) {
				changed = true
			}
		}
		for _, x := range r.TestResults {
			if p, g := gone[x.ID]; g && carry(p, x.Members) {
				changed = true
			}
		}
	}
	// filter keeps the ids not withheld, noting withheld ones against area.
	filter := func(a Area, ids []string) []string {
		var out []string
		for _, id := range ids {
			if it, ok := gone[id]; ok {
				w.note(a, it)
				continue
			}
			out = append(out, id)
		}
		return out
	}

	out := &Record{NHSNumber: r.NHSNumber, PracticeODS: r.PracticeODS, InTransit: r.InTransit}
	for _, x := range r.Allergies {
		if !x.Withheld() {
			x.Manifestations = slices.Clone(x.Manifestations)
			out.Allergies = append(out.Allergies, x)
		}
	}
	for _, x := range r.Medications {
		if !x.Withheld() {
			x.Issues = slices.Clone(x.Issues)
			out.Medications = append(out.Medications, x)
		}
	}
	for _, x := range r.Problems {
		if x.Withheld() {
			continue
		}
		x.LinkedItems = filter(AreaProblems, x.LinkedItems)
		var rel []ProblemLink
		for _, l := range x.Related {
			if it, ok := gone[l.ProblemID]; ok {
				w.note(AreaProblems, it)
				continue
			}
			rel = append(rel, l)
		}
		x.Related = rel
		out.Problems = append(out.Problems, x)
	}
	for _, x := range r.Consultations {
		if x.Withheld() {
			continue
		}
		var topics []Topic
		for _, t := range x.Topics {
			if it, ok := gone[t.ProblemID]; ok {
				w.note(AreaConsultations, it)
				t.ProblemID = ""
			}
			var hs []Heading
			for _, h := range t.Headings {
				items := filter(AreaConsultations, h.Items)
				if len(items) == 0 && len(h.Items) > 0 {
					continue // emptied by the removal
				}
				h.Items = items
				hs = append(hs, h)
			}
			if len(hs) == 0 && len(t.Headings) > 0 {
				continue // emptied by the removal
			}
			t.Headings = hs
			topics = append(topics, t)
		}
		x.Topics = topics
		out.Consultations = append(out.Consultations, x)
	}
	for _, x := range r.Observations {
		if !x.Withheld() {
			x.Components = slices.Clone(x.Components)
			x.Range = cloneRange(x.Range)
			out.Observations = append(out.Observations, x)
		}
	}
	for _, x := range r.Immunisations {
		if !x.Withheld() {
			out.Immunisations = append(out.Immunisations, x)
		}
	}
	specimens := map[string]bool{}
	for _, x := range r.Investigations {
		if x.Withheld() {
			continue
		}
		x.Specimens = slices.Clone(x.Specimens)
		for _, s := range x.Specimens {
			specimens[s.ID] = true
		}
		x.Results = filter(AreaInvestigations, x.Results)
		out.Investigations = append(out.Investigations, x)
	}
	for _, x := range r.TestResults {
		if _, g := gone[x.ID]; g {
			continue
		}
		x.Members = filter(AreaInvestigations, x.Members)
		x.Range = cloneRange(x.Range)
		if !specimens[x.SpecimenID] {
			x.SpecimenID = ""
		}
		out.TestResults = append(out.TestResults, x)
	}
	for _, x := range r.Referrals {
		if !x.Withheld() {
			out.Referrals = append(out.Referrals, x)
		}
	}
	for _, x := range r.DiaryEntries {
		if !x.Withheld() {
			out.DiaryEntries = append(out.DiaryEntries, x)
		}
	}
	for _, x := range r.Documents {
		if !x.Withheld() {
			out.Documents = append(out.Documents, x)
		}
	}
	return out, w
}

func cloneRange(r *ReferenceRange) *ReferenceRange {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

// eachItem calls f with every clinical item of the record and its area, in
// slice order. Medication issues and specimens are parts of their items and
// are not visited.
func (r *Record) eachItem(f func(Area, Item)) {
	for _, x := range r.Allergies {
		f(AreaAllergies, x.Item)
	}
	for _, x := range r.Medications {
		f(AreaMedications, x.Item)
	}
	for _, x := range r.Problems {
		f(AreaProblems, x.Item)
	}
	for _, x := range r.Consultations {
		f(AreaConsultations, x.Item)
	}
	for _, x := range r.Observations {
		f(AreaUncategorised, x.Item)
	}
	for _, x := range r.Immunisations {
		f(AreaImmunisations, x.Item)
	}
	for _, x := range r.Investigations {
		f(AreaInvestigations, x.Item)
	}
	for _, x := range r.TestResults {
		f(AreaInvestigations, x.Item)
	}
	for _, x := range r.Referrals {
		f(AreaReferrals, x.Item)
	}
	for _, x := range r.DiaryEntries {
		f(AreaDiaryEntries, x.Item)
	}
	for _, x := range r.Documents {
		f(AreaDocuments, x.Item)
	}
}

// Validate checks the record's internal consistency:
//
//   - every item, medication issue and specimen has a non-empty id, and ids
//     are unique across the record;
//   - every recorded date names a possible date consistent with its precision;
//   - every link names something that exists: problem linked items and
//     consultation heading items name any clinical item; related problems
//     and topic problems name a problem; investigation results and test
//     group members name a TestResult; a result's specimen names a specimen.
//
// It returns the first fault found as an EINVALID *pcnhub.Error whose
// message names the offending id, or nil.
func (r *Record) Validate() error {
	kinds := map[string]string{} // id → "item", "issue" or "specimen"
	problems := map[string]bool{}
	results := map[string]bool{}
	var err error
	claim := func(id, kind, owner string) {
		if err != nil {
			return
		}
		switch {
		case id == "" && owner == "":
			err = pcnhub.Errorf(pcnhub.EINVALID, "a clinical item has an empty id")
		case id == "":
			err = pcnhub.Errorf(pcnhub.EINVALID, "item %q has a %s with an empty id", owner, kind)
		case kinds[id] != "":
			err = pcnhub.Errorf(pcnhub.EINVALID, "id %q is used more than once", id)
		default:
			kinds[id] = kind
		}
	}
	date := func(id string, p PartialDate) {
		if err == nil && !p.valid() {
			err = pcnhub.Errorf(pcnhub.EINVALID, "item %q has an impossible or inconsistent date", id)
		}
	}
	r.eachItem(func(a Area, it Item) {
		claim(it.ID, "item", "")
		date(it.ID, it.Recorded)
	})
	for _, x := range r.Medications {
		for _, is := range x.Issues {
			claim(is.ID, "issue", x.ID)
			date(x.ID, is.Date)
		}
		date(x.ID, x.Authorisation.Effective.Start)
		date(x.ID, x.Authorisation.Effective.End)
	}
	for _, x := range r.Investigations {
		for _, s := range x.Specimens {
			claim(s.ID, "specimen", x.ID)
		}
	}
	if err != nil {
		return err
	}
	for _, x := range r.Problems {
		problems[x.ID] = true
		date(x.ID, x.Onset)
		date(x.ID, x.Abatement)
	}
	for _, x := range r.TestResults {
		results[x.ID] = true
	}
	link := func(from, to, what string, ok bool) {
		if err != nil || ok {
			return
		}
		err = pcnhub.Errorf(pcnhub.EINVALID, "item %q links to %q, which is not %s in the record", from, to, what)
	}
	isItem := func(id string) bool { return kinds[id] == "item" }
	for _, x := range r.Problems {
		for _, id := range x.LinkedItems {
			link(x.ID, id, "a clinical item", isItem(id))
		}
		for _, l := range x.Related {
			link(x.ID, l.ProblemID, "a problem", problems[l.ProblemID])
		}
	}
	for _, x := range r.Consultations {
		for _, t := range x.Topics {
			if t.ProblemID != "" {
				link(x.ID, t.ProblemID, "a problem", problems[t.ProblemID])
			}
			for _, h := range t.Headings {
				for _, id := range h.Items {
					link(x.ID, id, "a clinical item", isItem(id))
				}
			}
		}
	}
	for _, x := range r.Investigations {
		for _, id := range x.Results {
			link(x.ID, id, "a test result", results[id])
		}
	}
	for _, x := range r.TestResults {
		for _, id := range x.Members {
			link(x.ID, id, "a test result", results[id])
		}
		if x.SpecimenID != "" {
			link(x.ID, x.SpecimenID, "a specimen", kinds[x.SpecimenID] == "specimen")
		}
	}
	return err
}

// Items counts the record's clinical items (test results included).
func (r *Record) Items() int {
	n := 0
	r.eachItem(func(Area, Item) { n++ })
	return n
}
