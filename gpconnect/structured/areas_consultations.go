package structured

import "github.com/pcnhub/pcnhub/fhir"

// consultation writes a consultation as the NHS consultations example
// shapes it: an Encounter (primary performer, recorder, period, location,
// the practice as service provider) and, when it is one the query asked
// for, its structure: a consultation List (SNOMED 325851000000107) of
// topic Lists (25851000000105, with RelatedProblemHeader naming the
// problem a topic is about) of category Lists (24781000000107, one per
// heading, titled by the heading) of the items recorded under them. A
// consultation brought in by a problem is its Encounter alone, as in the
// NHS problems example.
func (b *builder) consultation(x loc) {
	c := &b.rec.Consultations[x.i]
	encID := b.id(x)
	encRef := b.refTo(b.ref(x))
	start := c.Period.Start
	if start.IsZero() {
		start = c.Recorded
	}
	enc := &fhir.Encounter{
		ID:              encID,
		Meta:            b.m.encounter,
		Identifier:      b.identifier(c.ID),
		Status:          "finished",
		Type:            b.codes(c.Type),
		Subject:         b.patient,
		Period:          b.period(start, c.Period.End),
		ServiceProvider: b.refTo(b.practice),
	}
	if enc.Type == nil && c.Title != "" {
		enc.Type = []fhir.CodeableConcept{{Text: c.Title}}
	}
	if pr := b.practitioner(c.Clinician); pr != "" {
		enc.Participant = append(enc.Participant, fhir.EncounterParticipant{
			Type:       b.fx.performerTypes,
			Individual: b.refTo(pr),
		})
	}
	if rec := b.practitioner(c.Author); rec != "" {
		enc.Participant = append(enc.Participant, fhir.EncounterParticipant{
			Type:       b.fx.recorderTypes,
			Individual: b.refTo(rec),
		})
	}
	if l := b.location(c.Location); l != "" {
		enc.Location = []fhir.EncounterLocation{{Location: b.refTo(l)}}
	}
	b.add(enc)
	if *b.flag(x)&fStructure == 0 {
		return
	}

	structure := func(id string, code *fhir.CodeableConcept, title string) *fhir.List {
		return &fhir.List{
			ID:        id,
			Meta:      b.m.list,
			Status:    "current",
			Mode:      "snapshot",
			Title:     title,
			Code:      code,
			Subject:   b.patient,
			Encounter: encRef,
			Date:      b.today,
			OrderedBy: b.fx.orderedBy,
		}
	}
	title := c.Title
	if title == "" {
		title = c.Type.Text()
	}
	cl := structure(b.consultationListID(x.i), b.fx.consultationList, title)
	var lists []*fhir.List
	for ti := range c.Topics {
		t := &c.Topics[ti]
		topicTitle := t.Title
		if topicTitle == "" {
			topicTitle = t.Code.Text()
		}
		tl := structure(b.topicListID(x.i, int32(ti)), b.fx.topicList, topicTitle)
		if px, ok := b.inID(t.ProblemID); ok && px.k == kProblem {
			tl.Extension = []fhir.Extension{{URL: ExtRelatedProblemHeader, Extension: []fhir.Extension{
				{URL: "target", ValueReference: b.refTo(b.ref(px))}}}}
		}
		for hi := range t.Headings {
			h := &t.Headings[hi]
			hl := structure(b.categoryListID(x.i, int32(ti), int32(hi)), b.fx.categoryList, h.Code.Text())
			hl.Entry = make([]fhir.ListEntry, 0, len(h.Items))
			for _, id := range h.Items {
				if ix, ok := b.inID(id); ok {
					hl.Entry = append(hl.Entry, fhir.ListEntry{Item: b.newRef(b.linkRef(ix))})
				}
			}
			if len(hl.Entry) == 0 {
				hl.Entry = nil
				b.setEmpty(hl)
			}
			lists = append(lists, hl)
			tl.Entry = append(tl.Entry, fhir.ListEntry{Item: b.newRef("List/" + hl.ID)})
		}
		if len(tl.Entry) == 0 {
			b.setEmpty(tl)
		}
		lists = append(lists, tl)
		cl.Entry = append(cl.Entry, fhir.ListEntry{Item: b.newRef("List/" + tl.ID)})
	}
	if len(cl.Entry) == 0 {
		b.setEmpty(cl)
	}
	b.add(cl)
	for _, l := range lists {
		b.add(l)
	}
}
