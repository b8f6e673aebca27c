package structured

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// Selection: which items an answer holds and in which Lists, decided on
// the record alone before any FHIR is written.

// primaryArea describes the primary List of an area (§3.2).
type primaryArea struct {
	area          record.Area
	id            string // the List's logical id
	code, display string // SNOMED CT
	title         string
}

var (
	listAllergies      = primaryArea{record.AreaAllergies, "allergies", "886921000000105", "Allergies and adverse reactions", "Allergies and adverse reactions"}
	listEndedAllergies = primaryArea{record.AreaAllergies, "ended-allergies", "1103671000000101", "Ended allergies", "Ended allergies"}
	listMedications    = primaryArea{record.AreaMedications, "medications", "933361000000108", "Medications and medical devices", "Medications and medical devices"}
	listConsultations  = primaryArea{record.AreaConsultations, "consultations", "1149501000000101", "List of consultations", "List of consultations"}
	listProblems       = primaryArea{record.AreaProblems, "problems", "717711000000103", "Problems", "Problems"}
	listImmunisations  = primaryArea{record.AreaImmunisations, "immunisations", "1102181000000102", "Immunisations", "Immunisations"}
	listUncategorised  = primaryArea{record.AreaUncategorised, "uncategorised-data", "826501000000100", "Miscellaneous record", "Uncategorised data"}
	listInvestigations = primaryArea{record.AreaInvestigations, "investigations", "887191000000108", "Investigations and results", "Investigations and results"}
	listReferrals      = primaryArea{record.AreaReferrals, "referrals", "792931000000107", "Outbound referral", "Outbound referral"}
	listDiaryEntries   = primaryArea{record.AreaDiaryEntries, "diary-entries", "714311000000108", "Patient recall administration", "Patient recall administration"}
)

// Secondary List codes (GPConnect-SecondaryListValues-1), in the order
// the Bundle holds them. The investigations codes are not among the
// fixtures; they follow the pattern of the others.
const (
	secLinkedProblems        = "problems-linked-problems-not-relating-to-the-primary-query"
	secProblemsAllergies     = "problems-allergies-related-to-problems"
	secProblemsMedications   = "problems-medications-related-to-problems"
	secProblemsConsultations = "problems-consultations-related-to-problems"
	secProblemsUncategorised = "problems-uncategorised-data-related-to-problems"
	secProblemsImmunisations = "problems-immunisations-related-to-problems"
	secProblemsInvestigation = "problems-investigations-related-to-problems"
	secProblemsReferrals     = "problems-outbound-referrals-related-to-problems"
	secProblemsDiaryEntries  = "problems-diary-entries-related-to-problems"
	secProblemsDocuments     = "problems-documents-related-to-problems"
	secConsAllergies         = "consultations-allergies-contained-in-consultations"
	secConsMedications       = "consultations-medications-contained-in-consultations"
	secConsProblems          = "consultations-problems-contained-in-consultations"
	secConsUncategorised     = "consultations-uncategorised-data-contained-in-consultations"
	secConsImmunisations     = "consultations-immunisations-contained-in-consultations"
	secConsInvestigations    = "consultations-investigations-contained-in-consultations"
	secConsReferrals         = "consultations-outbound-referrals-in-consultations"
	secConsDiaryEntries      = "consultations-diary-entries-contained-in-consultations"
	secConsDocuments         = "consultations-documents-contained-in-consultations"
)

// secondaryLists are the secondary List codes with their displays (which
// are also their titles), in Bundle order.
var secondaryLists = []struct{ code, display string }{
	{secLinkedProblems, "Problems - linked problems not relating to the primary query"},
	{secProblemsAllergies, "Problems - allergies related to problems"},
	{secProblemsMedications, "Problems - medications related to problems"},
	{secProblemsConsultations, "Problems - consultations related to problems"},
	{secProblemsUncategorised, "Problems - uncategorised data related to problems"},
	{secProblemsImmunisations, "Problems - immunisations related to problems"},
	{secProblemsInvestigation, "Problems - investigations related to problems"},
	{secProblemsReferrals, "Problems - outbound referrals related to problems"},
	{secProblemsDiaryEntries, "Problems - diary entries related to problems"},
	{secProblemsDocuments, "Problems - documents related to problems"},
	{secConsAllergies, "Consultations - allergies contained in consultations"},
	{secConsMedications, "Consultations - medications contained in consultations"},
	{secConsProblems, "Consultations - problems contained in consultations"},
	{secConsUncategorised, "Consultations - uncategorised data contained in consultations"},
	{secConsImmunisations, "Consultations - immunisations contained in consultations"},
	{secConsInvestigations, "Consultations - investigations contained in consultations"},
	{secConsReferrals, "Consultations - outbound referrals in consultations"},
	{secConsDiaryEntries, "Consultations - diary entries contained in consultations"},
	{secConsDocuments, "Consultations - documents contained in consultations"},
}

// problemsList is the secondary List of an item linked from a problem.
var problemsList = [numKinds]string{
	kAllergy: secProblemsAllergies, kMedication: secProblemsMedications, kProblem: secLinkedProblems,
	kConsultation: secProblemsConsultations, kObservation: secProblemsUncategorised,
	kImmunisation: secProblemsImmunisations, kInvestigation: secProblemsInvestigation, kResult: secProblemsInvestigation,
	kReferral: secProblemsReferrals, kDiary: secProblemsDiaryEntries, kDocument: secProblemsDocuments,
}

// consultationsList is the secondary List of an item recorded in a
// consultation (a consultation within a consultation has none).
var consultationsList = [numKinds]string{
	kAllergy: secConsAllergies, kMedication: secConsMedications, kProblem: secConsProblems,
	kObservation: secConsUncategorised, kImmunisation: secConsImmunisations,
	kInvestigation: secConsInvestigations, kResult: secConsInvestigations,
	kReferral: secConsReferrals, kDiary: secConsDiaryEntries, kDocument: secConsDocuments,
}

// listSpec is a primary or secondary List before it is written.
type listSpec struct {
	id           string
	system, code string
	display      string
	title        string
	items        []loc
	seen         map[loc]bool // secondary Lists: items already listed
	confidential bool
	awaiting     bool
	ended        bool // the Ended allergies List: items are contained
}

func (l *listSpec) add(x loc) {
	if l.seen != nil {
		if l.seen[x] {
			return
		}
		l.seen[x] = true
	}
	l.items = append(l.items, x)
}

func (l *listSpec) warn(confidential, awaiting bool) {
	l.confidential = l.confidential || confidential
	l.awaiting = l.awaiting || awaiting
}

// newPrimary starts the primary List of an area, with the area's
// withholdings as its warnings.
func (b *builder) newPrimary(a primaryArea) *listSpec {
	l := &listSpec{id: a.id, system: record.SNOMED, code: a.code, display: a.display, title: a.title}
	l.warn(b.w.Confidential(a.area), b.w.AwaitingFiling(a.area))
	b.ids.reserve("List", a.id)
	b.primary = append(b.primary, l)
	return l
}

// sec returns the secondary List of a code, started on first use.
func (b *builder) sec(code string) *listSpec {
	if l := b.secondary[code]; l != nil {
		return l
	}
	l := &listSpec{id: code, system: CodeSystemSecondaryList, code: code, seen: map[loc]bool{}}
	for _, s := range secondaryLists {
		if s.code == code {
			l.display, l.title = s.display, s.display
		}
	}
	b.ids.reserve("List", code)
	b.secondary[code] = l
	return l
}

// list puts an item in a primary List.
func (b *builder) list(l *listSpec, x loc) {
	*b.flag(x) |= fListed
	b.include(x)
	l.add(x)
}

// include makes an item's resources Bundle entries, with what makes them
// complete: an investigation brings its results (and, when written, its
// specimens); a test result brings its investigation.
func (b *builder) include(x loc) {
	f := b.flag(x)
	if *f&fTop != 0 {
		return
	}
	switch x.k {
	case kResult:
		if inv, ok := b.report[b.rec.TestResults[x.i].ID]; ok {
			b.include(loc{kInvestigation, inv})
			if *f&fTop != 0 {
				return
			}
		}
		*f |= fTop
		b.includeResults(b.rec.TestResults[x.i].Members)
	case kInvestigation:
		*f |= fTop
		b.includeResults(b.rec.Investigations[x.i].Results)
	default:
		*f |= fTop
	}
}

// includeResults includes test results and, transitively, their members.
func (b *builder) includeResults(ids []string) {
	stack := append([]string(nil), ids...)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, ok := b.idx[id]
		if !ok || x.k != kResult || *b.flag(x)&fTop != 0 {
			continue
		}
		*b.flag(x) |= fTop
		stack = append(stack, b.rec.TestResults[x.i].Members...)
	}
}

// link brings in an item named by a returned problem (secondaryOf =
// problemsList) or consultation (consultationsList): unless its area is
// disabled it is included, and unless a primary List lists it, it goes in
// the secondary List of its kind. It returns whether the item is in.
func (b *builder) link(id string, secondaryOf *[numKinds]string) bool {
	x, ok := b.idx[id]
	if id == "" || !ok || !b.on(areaOf[x.k]) {
		return false
	}
	b.include(x)
	if *b.flag(x)&fListed == 0 {
		if code := secondaryOf[x.k]; code != "" {
			b.sec(code).add(x)
		}
		if x.k == kProblem && secondaryOf == &consultationsList {
			// A problem named in a consultation is also a linked problem,
			// as the NHS consultations example lists it.
			b.sec(secLinkedProblems).add(x)
		}
	}
	return true
}

// selectItems decides the content of the answer.
func (b *builder) selectItems() {
	q, r := b.q, b.rec

	if q.Allergies != nil && b.on(record.AreaAllergies) {
		active := b.newPrimary(listAllergies)
		var ended *listSpec
		if q.Allergies.IncludeResolved {
			ended = b.newPrimary(listEndedAllergies)
			ended.ended = true
		}
		// The allergy warnings are per List: a withheld ended allergy says
		// nothing about the active ones.
		active.confidential, active.awaiting = false, false
		if ended != nil {
			ended.confidential, ended.awaiting = false, false
		}
		for i := range b.src.Allergies {
			a := &b.src.Allergies[i]
			if !a.Withheld() {
				continue
			}
			if a.Status == record.AllergyResolved {
				if ended != nil {
					ended.warn(a.Confidential, a.AwaitingFiling)
				}
			} else {
				active.warn(a.Confidential, a.AwaitingFiling)
			}
		}
		for i := range r.Allergies {
			x := loc{kAllergy, int32(i)}
			if r.Allergies[i].Status == record.AllergyResolved {
				if ended != nil {
					*b.flag(x) |= fContained
					ended.add(x)
				}
				continue
			}
			b.list(active, x)
		}
	}

	if q.Medication != nil && b.on(record.AreaMedications) {
		l := b.newPrimary(listMedications)
		for i := range r.Medications {
			if record.MedicationActiveFrom(r.Medications[i].Authorisation, q.Medication.SearchFrom) {
				b.list(l, loc{kMedication, int32(i)})
			}
		}
	}

	if q.Consultations != nil && b.on(record.AreaConsultations) {
		l := b.newPrimary(listConsultations)
		for _, i := range b.consultations(q.Consultations) {
			x := loc{kConsultation, i}
			*b.flag(x) |= fStructure
			b.list(l, x)
		}
	}

	if q.Problems != nil && b.on(record.AreaProblems) {
		l := b.newPrimary(listProblems)
		for i := range r.Problems {
			p := &r.Problems[i]
			if (q.Problems.Status == "" || string(p.Status) == q.Problems.Status) &&
				(q.Problems.Significance == "" || string(p.Significance) == q.Problems.Significance) {
				b.list(l, loc{kProblem, int32(i)})
			}
		}
	}

	if q.Immunisations != nil && b.on(record.AreaImmunisations) {
		l := b.newPrimary(listImmunisations)
		for i := range r.Immunisations {
			switch r.Immunisations[i].Kind {
			case record.ImmunisationNotGiven:
				if !q.Immunisations.IncludeNotGiven {
					continue
				}
			case record.ImmunisationStatus:
				if !q.Immunisations.IncludeStatus {
					continue
				}
			}
			b.list(l, loc{kImmunisation, int32(i)})
		}
	}

	if q.Uncategorised != nil && b.on(record.AreaUncategorised) {
		l := b.newPrimary(listUncategorised)
		p := q.Uncategorised.Period
		for i := range r.Observations {
			if r.Observations[i].Effective.Overlaps(p.Start, p.End) {
				b.list(l, loc{kObservation, int32(i)})
			}
		}
	}

	if q.Investigations != nil && b.on(record.AreaInvestigations) {
		l := b.newPrimary(listInvestigations)
		p := q.Investigations.Period
		for i := range r.Investigations {
			inv := &r.Investigations[i]
			when := inv.Effective
			if when.IsZero() {
				when = inv.Issued
			}
			if when.Overlaps(p.Start, p.End) {
				b.list(l, loc{kInvestigation, int32(i)})
			}
		}
	}

	if q.Referrals != nil && b.on(record.AreaReferrals) {
		l := b.newPrimary(listReferrals)
		p := q.Referrals.Period
		for i := range r.Referrals {
			if r.Referrals[i].Date.Overlaps(p.Start, p.End) {
				b.list(l, loc{kReferral, int32(i)})
			}
		}
	}

	if q.DiaryEntries != nil && b.on(record.AreaDiaryEntries) {
		l := b.newPrimary(listDiaryEntries)
		for i := range r.DiaryEntries {
			if r.DiaryEntries[i].Due.Overlaps(pcnhub.Date{}, q.DiaryEntries.SearchDate) {
				b.list(l, loc{kDiary, int32(i)})
			}
		}
	}

	b.expandProblems()
	b.expandConsultations()
	b.linkedProblems()
	b.lostLinks()
}

// consultations returns the indexes of the consultations a query asks
// for, in record order.
func (b *builder) consultations(q *ConsultationsQuery) []int32 {
	cs := b.rec.Consultations
	var out []int32
	if q.MostRecent <= 0 {
		p := q.SearchPeriod
		for i := range cs {
			c := &cs[i]
			// A consultation is an event: with both ends recorded it
			// matches a period it meets; otherwise it is dated by its
			// start (else its end, else when it was recorded), and an
			// unknown date always matches. (record.Period.Overlaps reads a
			// missing end as "still going", which suits a course, not a
			// consultation.)
			match := consultationDate(c).Overlaps(p.Start, p.End)
			if !c.Period.Start.IsZero() && !c.Period.End.IsZero() {
				match = c.Period.Overlaps(p.Start, p.End)
			}
			if match {
				out = append(out, int32(i))
			}
		}
		return out
	}
	// The most recent: latest first (by consultationDate), unknown dates
	// last, ties in record order.
	type dated struct {
		i     int32
		known bool
		at    time.Time
	}
	ds := make([]dated, len(cs))
	for i := range cs {
		when := consultationDate(&cs[i])
		ds[i] = dated{i: int32(i), known: !when.IsZero()}
		if ds[i].known {
			ds[i].at, _ = when.Interval()
		}
	}
	slices.SortStableFunc(ds, func(a, c dated) int {
		switch {
		case a.known != c.known:
			if a.known {
				return -1
			}
			return 1
		case !a.known:
			return 0
		}
		return c.at.Compare(a.at)
	})
	if len(ds) > q.MostRecent {
		ds = ds[:q.MostRecent]
	}
	for _, d := range ds {
		out = append(out, d.i)
	}
	slices.Sort(out)
	return out
}

// consultationDate is when a consultation happened: its start, else its
// end, else when it was recorded.
func consultationDate(c *record.Consultation) record.PartialDate {
	for _, d := range []record.PartialDate{c.Period.Start, c.Period.End} {
		if !d.IsZero() {
			return d
		}
	}
	return c.Recorded
}

// expandProblems brings in what the problems of the Problems List link:
// their linked items, related problems and the consultations whose topics
// name them.
func (b *builder) expandProblems() {
	if b.q.Problems == nil || !b.on(record.AreaProblems) {
		return
	}
	r := b.rec
	for i := range r.Problems {
		if *b.flag(loc{kProblem, int32(i)})&fListed == 0 {
			continue
		}
		p := &r.Problems[i]
		for _, id := range p.LinkedItems {
			b.link(id, &problemsList)
		}
		for _, rel := range p.Related {
			b.link(rel.ProblemID, &problemsList)
		}
		for _, t := range b.topics[p.ID] {
			b.link(r.Consultations[t.c].ID, &problemsList)
		}
	}
}

// expandConsultations brings in what the consultations of the
// consultations List hold: their topics' problems and their headings'
// items.
func (b *builder) expandConsultations() {
	r := b.rec
	for i := range r.Consultations {
		if *b.flag(loc{kConsultation, int32(i)})&fStructure == 0 {
			continue
		}
		for _, t := range r.Consultations[i].Topics {
			if t.ProblemID != "" {
				b.link(t.ProblemID, &consultationsList)
			}
			for _, h := range t.Headings {
				for _, id := range h.Items {
					b.link(id, &consultationsList)
				}
			}
		}
	}
}

// linkedProblems brings in the problems linked to the items of the
// primary Lists (§3.2 "a List of linked problems"), for every area. Only
// one level: the items of such a problem are not brought in.
func (b *builder) linkedProblems() {
	if !b.on(record.AreaProblems) || len(b.linking) == 0 {
		return
	}
	for k := kind(0); k < numKinds; k++ {
		if k == kProblem {
			continue
		}
		for i, f := range b.flags[k] {
			x := loc{k, int32(i)}
			if f&(fListed|fContained) == 0 {
				if k != kResult || f&fTop == 0 {
					continue
				}
				// A result counts when its investigation is listed.
				inv, ok := b.report[b.rec.TestResults[i].ID]
				if !ok || *b.flag(loc{kInvestigation, inv})&fListed == 0 {
					continue
				}
			}
			for _, p := range b.linking[b.itemID(x)] {
				b.link(b.rec.Problems[p].ID, &problemsList)
			}
		}
	}
}

// lostLinks warns the secondary Lists of the links that returned
// problems and consultations lost to withheld items (§3.3: each List that
// would have contained them).
func (b *builder) lostLinks() {
	if len(b.w) == 0 {
		return
	}
	type goneItem struct {
		k                      kind
		confidential, awaiting bool
	}
	gone := map[string]goneItem{}
	note := func(k kind, it *record.Item) {
		if _, kept := b.idx[it.ID]; kept {
			return
		}
		g := goneItem{k: k, confidential: it.Confidential, awaiting: it.AwaitingFiling}
		if !it.Withheld() { // carried away with its investigation
			g.confidential, g.awaiting = b.w.Confidential(record.AreaInvestigations), b.w.AwaitingFiling(record.AreaInvestigations)
		}
		gone[it.ID] = g
	}
	s := b.src
	for i := range s.Allergies {
		note(kAllergy, &s.Allergies[i].Item)
	}
	for i := range s.Medications {
		note(kMedication, &s.Medications[i].Item)
	}
	for i := range s.Problems {
		note(kProblem, &s.Problems[i].Item)
	}
	for i := range s.Consultations {
		note(kConsultation, &s.Consultations[i].Item)
	}
	for i := range s.Observations {
		note(kObservation, &s.Observations[i].Item)
	}
	for i := range s.Immunisations {
		note(kImmunisation, &s.Immunisations[i].Item)
	}
	for i := range s.Investigations {
		note(kInvestigation, &s.Investigations[i].Item)
	}
	for i := range s.TestResults {
		note(kResult, &s.TestResults[i].Item)
	}
	for i := range s.Referrals {
		note(kReferral, &s.Referrals[i].Item)
	}
	for i := range s.DiaryEntries {
		note(kDiary, &s.DiaryEntries[i].Item)
	}
	for i := range s.Documents {
		note(kDocument, &s.Documents[i].Item)
	}
	if len(gone) == 0 {
		return
	}
	warn := func(id string, lists *[numKinds]string) {
		g, ok := gone[id]
		if !ok || !b.on(areaOf[g.k]) {
			return
		}
		if code := lists[g.k]; code != "" {
			b.sec(code).warn(g.confidential, g.awaiting)
		}
	}
	if b.q.Problems != nil && b.on(record.AreaProblems) {
		for i := range s.Problems {
			p := &s.Problems[i]
			x, ok := b.idx[p.ID]
			if !ok || x.k != kProblem || *b.flag(x)&fListed == 0 {
				continue
			}
			for _, id := range p.LinkedItems {
				warn(id, &problemsList)
			}
			for _, rel := range p.Related {
				warn(rel.ProblemID, &problemsList)
			}
		}
	}
	for i := range s.Consultations {
		c := &s.Consultations[i]
		x, ok := b.idx[c.ID]
		if !ok || x.k != kConsultation || *b.flag(x)&fStructure == 0 {
			continue
		}
		for _, t := range c.Topics {
			warn(t.ProblemID, &consultationsList)
			for _, h := range t.Headings {
				for _, id := range h.Items {
					warn(id, &consultationsList)
				}
			}
		}
	}
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// primaryLists are every primary List, for ListArea.
var primaryLists = []primaryArea{listAllergies, listEndedAllergies, listMedications, listConsultations, listProblems,
	listImmunisations, listUncategorised, listInvestigations, listReferrals, listDiaryEntries}

// ListArea is the clinical area of a List by its SNOMED code or secondary
// List code, and whether it is the area's primary List (§3.2): ended
// allergies belong to allergies but are not its primary List; secondary
// Lists belong to the area of their query, problems or consultations. ok
// is false for a code that is none of these.
func ListArea(code string) (area record.Area, primary, ok bool) {
	for _, p := range primaryLists {
		if p.code == code {
			return p.area, p != listEndedAllergies, true
		}
	}
	switch {
	case strings.HasPrefix(code, "problems-"):
		return record.AreaProblems, false, true
	case strings.HasPrefix(code, "consultations-"):
		return record.AreaConsultations, false, true
	}
	return "", false, false
}
