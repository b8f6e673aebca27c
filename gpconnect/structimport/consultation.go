package structimport

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// listInfo holds what classify learned from the Lists.
type listInfo struct {
	consultations []*node // consultation Lists, in Bundle order
}

// encounter maps an Encounter to a Consultation: period, the primary
// performer (PPRF, else the first participant) as Clinician, the recorder
// (REC) as Author, the first location's name, the first type. Title,
// Recorded (the List date) and the topics come from its consultation List
// (readLists).
func (im *importer) encounter(n *node, e *fhir.Encounter) {
	if im.aboutOther(n, e.Subject) {
		return
	}
	if e.Status == "entered-in-error" || e.Status == "cancelled" {
		im.skip(n, "Encounter status is "+e.Status)
		return
	}
	c := record.Consultation{
		Item: record.Item{
			ID:           im.ids[n.key],
			Confidential: confidential(e.Meta),
		},
		Period: im.period(n, "period", e.Period),
	}
	var performer, recorder, first *fhir.Reference
	for i := range e.Participant {
		p := &e.Participant[i]
		if p.Individual == nil {
			continue
		}
		if first == nil {
			first = p.Individual
		}
		for _, t := range p.Type {
			for _, x := range t.Coding {
				switch x.Code {
				case "PPRF":
					if performer == nil {
						performer = p.Individual
					}
				case "REC":
					if recorder == nil {
						recorder = p.Individual
					}
				}
			}
		}
	}
	if performer == nil {
		performer = first
	}
	c.Clinician = im.clinician(performer, n)
	c.Author = im.clinician(recorder, n)
	if len(e.Location) > 0 {
		c.Location = im.locationName(n, e.Location[0].Location)
	}
	if len(e.Type) > 0 {
		c.Type = code(&e.Type[0])
		c.Title = ccText(&e.Type[0])
	}
	im.consIdx[n.key] = len(im.rec.Consultations)
	im.rec.Consultations = append(im.rec.Consultations, c)
	im.emit(n, c.ID)
}

// locationName returns the name of a Location (or its reference display, or
// its id).
func (im *importer) locationName(n *node, ref *fhir.Reference) string {
	if ref == nil {
		return ""
	}
	if l := im.resolve(ref, n.key); l != nil {
		if loc, ok := l.r.(*fhir.Location); ok && loc.Name != "" {
			return loc.Name
		}
	}
	if ref.Display != "" {
		return ref.Display
	}
	key, _ := im.refKey(ref, n.key)
	return key
}

// readLists reads the Lists: warnings on any List (data-in-transit sets
// record.InTransit; all are noted), and the consultation structure.
//
// A consultation List (SNOMED 325851000000107) names its Encounter; its
// entries are topic Lists (25851000000105), whose entries are category Lists
// (24781000000107, the headings) holding the items. A topic's title is its
// List's title, its problem the Condition its RelatedProblemHeader extension
// names. A heading's Code is the category List's code with the List's title
// ("History", "Examination", …) as OriginalText. Items a topic names
// directly go in a heading without code. Entries that are not in the record
// (e.g. QuestionnaireResponses) are dropped with a note.
func (im *importer) readLists() {
	for _, n := range im.nodes {
		l, ok := n.r.(*fhir.List)
		if !ok || im.done[n.key] {
			continue
		}
		for _, e := range exts(l.Extension, extListWarning) {
			w := e.ValueCode
			if w == "" && e.ValueCoding != nil {
				w = e.ValueCoding.Code
			}
			if w == "data-in-transit" {
				im.rec.InTransit = true
			}
			im.note(n, "List %q carries the warning %s%s", l.Title, w, noteText(l.Note))
		}
	}
	for _, n := range im.lists.consultations {
		l := n.r.(*fhir.List)
		key, ok := im.refKey(l.Encounter, n.key)
		idx, isCons := im.consIdx[key]
		if !ok || !isCons {
			im.skip(n, "a consultation List whose Encounter ("+refName(key, l.Encounter)+") is not in the record: "+im.why(key, ok))
			continue
		}
		c := &im.rec.Consultations[idx]
		if l.Title != "" {
			c.Title = l.Title
		}
		if c.Recorded.IsZero() {
			c.Recorded = im.date(n, "date", l.Date.String())
		}
		c.Confidential = c.Confidential || confidential(l.Meta)
		im.read(n)
		for i := range l.Entry {
			child := im.resolve(l.Entry[i].Item, n.key)
			cl, isList := listOf(child)
			switch {
			case isList && hasCode(cl.Code, record.SNOMED, listTopic):
				c.Topics = append(c.Topics, im.topic(child, cl))
			case isList && hasCode(cl.Code, record.SNOMED, listCategory):
				c.Topics = append(c.Topics, record.Topic{Headings: []record.Heading{im.heading(child, cl)}})
				im.read(child)
			default:
				t := record.Topic{Headings: []record.Heading{{}}}
				im.addItem(n, &t.Headings[0], l.Entry[i].Item)
				c.Topics = append(c.Topics, t)
			}
		}
	}
}

func listOf(n *node) (*fhir.List, bool) {
	if n == nil {
		return nil, false
	}
	l, ok := n.r.(*fhir.List)
	return l, ok
}

func noteText(ns []fhir.Annotation) string {
	if t := notes(ns); t != "" {
		return " (" + t + ")"
	}
	return ""
}

// topic reads a topic List.
func (im *importer) topic(n *node, l *fhir.List) record.Topic {
	im.read(n)
	t := record.Topic{Title: l.Title}
	if t.Code = code(l.Code); t.Code.System == record.SNOMED && t.Code.Code == listTopic {
		t.Code = record.Code{} // the generic "Topic (EHR)" code says nothing
	}
	if e := ext(l.Extension, extRelatedProblem); e != nil {
		target := e.ValueReference
		if s := sub(e, "target"); s != nil {
			target = s.ValueReference
		}
		key, ok := im.refKey(target, n.key)
		if idx, isProblem := im.problemIdx[key]; ok && isProblem {
			t.ProblemID = im.rec.Problems[idx].ID
		} else {
			im.note(n, "topic's problem %s dropped: %s", refName(key, target), im.why(key, ok))
		}
	}
	direct := -1
	for i := range l.Entry {
		child := im.resolve(l.Entry[i].Item, n.key)
		if cl, ok := listOf(child); ok && hasCode(cl.Code, record.SNOMED, listCategory) {
			t.Headings = append(t.Headings, im.heading(child, cl))
			im.read(child)
			continue
		}
		if direct < 0 {
			direct = len(t.Headings)
			t.Headings = append(t.Headings, record.Heading{})
		}
		im.addItem(n, &t.Headings[direct], l.Entry[i].Item)
	}
	return t
}

// heading reads a category List.
func (im *importer) heading(n *node, l *fhir.List) record.Heading {
	h := record.Heading{Code: code(l.Code)}
	if l.Title != "" && l.Title != h.Code.Display {
		h.Code.OriginalText = l.Title
	}
	for i := range l.Entry {
		im.addItem(n, &h, l.Entry[i].Item)
	}
	return h
}

// addItem adds the record item a List entry names to a heading, once.
func (im *importer) addItem(n *node, h *record.Heading, ref *fhir.Reference) {
	key, ok := im.refKey(ref, n.key)
	id := ""
	if ok {
		id = im.itemLink(key)
	}
	if id == "" {
		im.note(n, "entry %s dropped: %s", refName(key, ref), im.why(key, ok))
		return
	}
	for _, x := range h.Items {
		if x == id {
			return
		}
	}
	h.Items = append(h.Items, id)
}
