package structured

import (
	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// kind is the kind of a clinical item of the record, one per slice.
type kind uint8

const (
	kAllergy kind = iota
	kMedication
	kProblem
	kConsultation
	kObservation
	kImmunisation
	kInvestigation
	kResult
	kReferral
	kDiary
	kDocument
	numKinds
)

// areaOf is the record area of each kind.
var areaOf = [numKinds]record.Area{
	kAllergy:       record.AreaAllergies,
	kMedication:    record.AreaMedications,
	kProblem:       record.AreaProblems,
	kConsultation:  record.AreaConsultations,
	kObservation:   record.AreaUncategorised,
	kImmunisation:  record.AreaImmunisations,
	kInvestigation: record.AreaInvestigations,
	kResult:        record.AreaInvestigations,
	kReferral:      record.AreaReferrals,
	kDiary:         record.AreaDiaryEntries,
	kDocument:      record.AreaDocuments,
}

// loc locates an item of the shareable record: its kind and index.
type loc struct {
	k kind
	i int32
}

// Flags of an item.
const (
	fTop       uint8 = 1 << iota // its resources are Bundle entries
	fListed                      // a primary List lists it (as an entry)
	fContained                   // the Ended allergies List contains it
	fStructure                   // a consultation sent with its topic and category Lists
	fEmitted                     // its resources have been written
)

// topicRef is a topic of a consultation.
type topicRef struct{ c, t int32 }

// specimenRef is a specimen of an investigation.
type specimenRef struct{ inv, s int32 }

// builder builds one answer.
type builder struct {
	src *record.Record // the record before sharing
	rec *record.Record // what may be shared
	w   record.Withholdings
	q   *Query
	sub Subject
	dir Directory
	opt Options

	ids        *ids
	patientRef string
	practice   string // reference of the practice Organization
	today      fhir.DateTime
	system     string // identifier system
	issues     bool   // send prescription issues
	disabled   map[record.Area]bool

	// Indexes of the shareable record.
	idx        map[string]loc
	rid        [numKinds][]string // the logical id of each item's resource
	refs       [numKinds][]string // the reference List entries use (cached)
	encRefs    []*fhir.Reference  // the shared Reference of each consultation's Encounter
	hashedIDs  map[string]bool    // item ids that had to be hashed
	flags      [numKinds][]uint8
	linking    map[string][]int32    // item id → problems linking it
	topics     map[string][]topicRef // problem id → topics naming it
	inConsult  map[string]int32      // item id → first consultation listing it
	report     map[string]int32      // test result id → its investigation
	parent     map[string]string     // test result id → its test group
	specimens  map[string]specimenRef
	itemsCount int

	// Lists.
	primary   []*listSpec
	secondary map[string]*listSpec

	// Parts shared by the resources of one Bundle (which is read-only).
	m          metas
	fx         fixedCodes
	c          caches
	patient    *fhir.Reference
	sharedRefs map[string]*fhir.Reference
	idSlab     []fhir.Identifier

	// Output.
	head, body, people []fhir.Resource
	have               map[string]bool          // "Type/id" of every head and people entry
	callers            map[string]fhir.Resource // "Type/id" → a resource given to Build
	prByID             map[string]string        // practitioner id → reference ("" none)
	prByName           map[string]string        // practitioner name (no id) → reference
	orgByODS           map[pcnhub.ODSCode]string
	orgByName          map[string]string
	locRefs            map[string]string      // location name → reference
	medRefs            map[record.Code]string // drug → Medication reference
	roleDone           map[string]bool        // practitioner reference → role decided
	related            map[string]struct{}    // scratch: a Condition's related content
	usualGPRef         string
	transferDate       pcnhub.Date
}

func newBuilder(src, rec *record.Record, w record.Withholdings, q *Query, sub Subject, dir Directory, opt Options) *builder {
	n := rec.Items()
	b := &builder{
		src: src, rec: rec, w: w, q: q, sub: sub, dir: dir, opt: opt,
		ids:        newIDs(64),
		patientRef: "Patient/" + sub.Patient.ID,
		practice:   "Organization/" + sub.Practice.ID,
		today:      fhirDate(opt.Today),
		system:     IdentifierSystem,
		disabled:   map[record.Area]bool{},
		secondary:  map[string]*listSpec{},
		have:       map[string]bool{},
		callers:    map[string]fhir.Resource{},
		prByID:     map[string]string{},
		prByName:   map[string]string{},
		orgByODS:   map[pcnhub.ODSCode]string{},
		orgByName:  map[string]string{},
		locRefs:    map[string]string{},
		medRefs:    map[record.Code]string{},
		roleDone:   map[string]bool{},
		related:    map[string]struct{}{},
		itemsCount: n,
		sharedRefs: map[string]*fhir.Reference{},
		hashedIDs:  map[string]bool{},
	}
	b.m = newMetas()
	b.fx = newFixedCodes()
	b.c = newCaches()
	b.patient = &fhir.Reference{Reference: b.patientRef}
	b.sharedRefs[b.patientRef] = b.patient
	b.ids.items = func(id string) bool {
		_, ok := b.idx[id]
		return ok || b.hashedIDs[id]
	}
	if src.PracticeODS != "" {
		b.system += "/" + string(src.PracticeODS)
	}
	for _, p := range opt.Disabled {
		if a, ok := paramArea[p]; ok {
			b.disabled[a] = true
		}
	}
	b.issues = q.Medication == nil || q.Medication.IncludePrescriptionIssues

	// The resources given to Build keep their ids: reserve them, and index
	// them so that references among them resolve.
	addCaller := func(r fhir.Resource, id string) {
		if id == "" || r == nil {
			return
		}
		key := r.ResourceType() + "/" + id
		if _, dup := b.callers[key]; !dup {
			b.callers[key] = r
		}
		b.ids.reserve(r.ResourceType(), id)
	}
	addCaller(sub.Patient, sub.Patient.ID)
	addCaller(sub.Practice, sub.Practice.ID)
	if sub.UsualGP != nil {
		addCaller(sub.UsualGP, sub.UsualGP.ID)
		if sub.UsualGP.ID != "" {
			b.usualGPRef = "Practitioner/" + sub.UsualGP.ID
		}
	}
	for _, r := range sub.UsualGPRoles {
		if r != nil {
			addCaller(r, r.ID)
		}
	}
	for _, p := range sortedKeys(dir.Practitioners) {
		if r := dir.Practitioners[p]; r != nil {
			addCaller(r, r.ID)
		}
	}
	for _, p := range sortedKeys(dir.Roles) {
		for _, r := range dir.Roles[p] {
			if r != nil {
				addCaller(r, r.ID)
			}
		}
	}
	for _, o := range sortedKeys(dir.Organizations) {
		if r := dir.Organizations[o]; r != nil {
			addCaller(r, r.ID)
		}
	}
	b.transferDate = registrationStart(sub.Patient)
	if b.transferDate.IsZero() {
		b.transferDate = opt.Today
	}
	return b
}

// paramArea maps the area parameters (and DocumentReferences, the name
// §3.4 gives documents) to the record areas they switch off.
var paramArea = map[string]record.Area{
	"includeAllergies":         record.AreaAllergies,
	"includeMedication":        record.AreaMedications,
	"includeConsultations":     record.AreaConsultations,
	"includeProblems":          record.AreaProblems,
	"includeImmunisations":     record.AreaImmunisations,
	"includeUncategorisedData": record.AreaUncategorised,
	"includeInvestigations":    record.AreaInvestigations,
	"includeReferrals":         record.AreaReferrals,
	"includeDiaryEntries":      record.AreaDiaryEntries,
	"DocumentReferences":       record.AreaDocuments,
}

// registrationStart is the start of the Patient's registration period
// (Extension-CareConnect-GPC-RegistrationDetails-1), the date from which
// a record received by GP2GP may be incomplete; zero when not given.
func registrationStart(p *fhir.Patient) pcnhub.Date {
	for _, e := range p.Extension {
		if e.URL != fhir.ExtRegistrationDetails {
			continue
		}
		for _, x := range e.Extension {
			if x.URL == fhir.ExtRegistrationPeriod && x.ValuePeriod != nil && !x.ValuePeriod.Start.IsZero() {
				t := x.ValuePeriod.Start.Time()
				if x.ValuePeriod.Start.HasOffset() {
					t = t.In(pcnhub.London)
				}
				return pcnhub.DateOf(t)
			}
		}
	}
	return pcnhub.Date{}
}

// on reports whether an area is not disabled.
func (b *builder) on(a record.Area) bool { return !b.disabled[a] }

// index builds the indexes of the shareable record: ids, reverse links,
// the results and specimens of each investigation. Linear in the record.
func (b *builder) index() {
	r := b.rec
	b.idx = make(map[string]loc, b.itemsCount)
	add := func(id string, k kind, i int) {
		if _, dup := b.idx[id]; !dup {
			b.idx[id] = loc{k, int32(i)}
		}
	}
	for i := range r.Allergies {
		add(r.Allergies[i].ID, kAllergy, i)
	}
	for i := range r.Medications {
		add(r.Medications[i].ID, kMedication, i)
	}
	for i := range r.Problems {
		add(r.Problems[i].ID, kProblem, i)
	}
	for i := range r.Consultations {
		add(r.Consultations[i].ID, kConsultation, i)
	}
	for i := range r.Observations {
		add(r.Observations[i].ID, kObservation, i)
	}
	for i := range r.Immunisations {
		add(r.Immunisations[i].ID, kImmunisation, i)
	}
	for i := range r.Investigations {
		add(r.Investigations[i].ID, kInvestigation, i)
	}
	for i := range r.TestResults {
		add(r.TestResults[i].ID, kResult, i)
	}
	for i := range r.Referrals {
		add(r.Referrals[i].ID, kReferral, i)
	}
	for i := range r.DiaryEntries {
		add(r.DiaryEntries[i].ID, kDiary, i)
	}
	for i := range r.Documents {
		add(r.Documents[i].ID, kDocument, i)
	}
	lens := [numKinds]int{len(r.Allergies), len(r.Medications), len(r.Problems), len(r.Consultations),
		len(r.Observations), len(r.Immunisations), len(r.Investigations), len(r.TestResults),
		len(r.Referrals), len(r.DiaryEntries), len(r.Documents)}
	b.encRefs = make([]*fhir.Reference, len(r.Consultations))
	for k, n := range lens {
		b.flags[k] = make([]uint8, n)
		b.rid[k] = make([]string, n)
		b.refs[k] = make([]string, n)
	}
	// Item ids: a valid FHIR id held by one item is its resource's id;
	// any other (invalid, or a duplicate) is hashed, clear of every item
	// id, in record order.
	var pending []loc
	for k := kind(0); k < numKinds; k++ {
		for i := range b.rid[k] {
			x := loc{k, int32(i)}
			id := b.itemID(x)
			if validID(id) && b.idx[id] == x {
				b.rid[k][i] = id
			} else {
				pending = append(pending, x)
			}
		}
	}
	for _, x := range pending {
		raw := b.itemID(x)
		id := hashed(raw, 0)
		for salt := 1; b.ids.items(id); salt++ {
			id = hashed(raw, salt)
		}
		b.hashedIDs[id] = true
		b.rid[x.k][x.i] = id
	}

	b.linking = make(map[string][]int32, len(r.Problems))
	for i := range r.Problems {
		for _, id := range r.Problems[i].LinkedItems {
			b.linking[id] = append(b.linking[id], int32(i))
		}
	}
	b.topics = map[string][]topicRef{}
	b.inConsult = map[string]int32{}
	for ci := range r.Consultations {
		for ti, t := range r.Consultations[ci].Topics {
			if t.ProblemID != "" {
				b.topics[t.ProblemID] = append(b.topics[t.ProblemID], topicRef{int32(ci), int32(ti)})
			}
			for _, h := range t.Headings {
				for _, id := range h.Items {
					if _, ok := b.inConsult[id]; !ok {
						b.inConsult[id] = int32(ci)
					}
				}
			}
		}
	}
	b.report = make(map[string]int32, len(r.TestResults))
	b.parent = make(map[string]string, len(r.TestResults))
	b.specimens = map[string]specimenRef{}
	var stack []string
	for ii := range r.Investigations {
		inv := &r.Investigations[ii]
		for si := range inv.Specimens {
			if _, dup := b.specimens[inv.Specimens[si].ID]; !dup {
				b.specimens[inv.Specimens[si].ID] = specimenRef{int32(ii), int32(si)}
			}
		}
		stack = append(stack[:0], inv.Results...)
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			l, ok := b.idx[id]
			if !ok || l.k != kResult {
				continue
			}
			if _, seen := b.report[id]; seen {
				continue
			}
			b.report[id] = int32(ii)
			for _, m := range r.TestResults[l.i].Members {
				if _, ok := b.parent[m]; !ok {
					b.parent[m] = id
				}
				stack = append(stack, m)
			}
		}
	}
}

// itemID returns the record id of an item.
func (b *builder) itemID(l loc) string { return b.item(l).ID }

// item returns the common part of an item.
func (b *builder) item(l loc) *record.Item {
	r := b.rec
	switch l.k {
	case kAllergy:
		return &r.Allergies[l.i].Item
	case kMedication:
		return &r.Medications[l.i].Item
	case kProblem:
		return &r.Problems[l.i].Item
	case kConsultation:
		return &r.Consultations[l.i].Item
	case kObservation:
		return &r.Observations[l.i].Item
	case kImmunisation:
		return &r.Immunisations[l.i].Item
	case kInvestigation:
		return &r.Investigations[l.i].Item
	case kResult:
		return &r.TestResults[l.i].Item
	case kReferral:
		return &r.Referrals[l.i].Item
	case kDiary:
		return &r.DiaryEntries[l.i].Item
	case kDocument:
		return &r.Documents[l.i].Item
	}
	panic("structured: unknown item kind")
}

func (b *builder) flag(l loc) *uint8 { return &b.flags[l.k][l.i] }
