package structured

import (
	"strconv"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// condition renders a problem as CareConnect-GPC-ProblemHeader-Condition-1.
//
// Its links are the extensions of the NHS problems example, naming only
// what this Bundle holds (so every reference resolves; the NHS examples
// also name items they do not send): RelatedProblemHeader per related
// problem (type parent, child or sibling; target), RelatedClinicalContent
// per linked item (a medication by its authorisation, a consultation by
// its Encounter and, when sent with its structure, the topic List about
// the problem), then ProblemSignificance. The record keeps no separate
// "actual problem" item, so the ActualProblem extension is not written.
func (b *builder) condition(x loc) *fhir.Condition {
	p := &b.rec.Problems[x.i]
	out := &fhir.Condition{
		ID:            b.id(x),
		Meta:          b.m.condition,
		Identifier:    b.identifier(p.ID),
		Category:      b.fx.listProblemCategory,
		Code:          b.code(p.Code),
		Subject:       b.patient,
		Context:       b.encounter(p.ID),
		OnsetDateTime: b.date(p.Onset),
		AssertedDate:  b.date(p.Recorded),
		Asserter:      b.refTo(b.practitioner(p.Author)),
		Note:          notes(p.Note),
		Extension:     make([]fhir.Extension, 0, len(p.Related)+len(p.LinkedItems)+2*len(b.topics[p.ID])+1),
	}
	if p.Status == record.ProblemInactive {
		out.ClinicalStatus = "inactive"
		out.AbatementDateTime = b.date(p.Abatement)
	} else {
		out.ClinicalStatus = "active"
	}

	for _, rel := range p.Related {
		rx, ok := b.inID(rel.ProblemID)
		if !ok || rx.k != kProblem {
			continue
		}
		ext := fhir.Extension{URL: ExtRelatedProblemHeader}
		switch rel.Relation {
		case record.RelationParent, record.RelationChild, record.RelationSibling:
			ext.Extension = append(ext.Extension, fhir.Extension{URL: "type", ValueCode: string(rel.Relation)})
		}
		ext.Extension = append(ext.Extension, fhir.Extension{URL: "target", ValueReference: b.refTo(b.ref(rx))})
		out.Extension = append(out.Extension, ext)
	}

	clear(b.related)
	content := func(ref string) {
		if _, dup := b.related[ref]; ref == "" || dup {
			return
		}
		b.related[ref] = struct{}{}
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtRelatedClinicalContent, ValueReference: b.refTo(ref)})
	}
	for _, id := range p.LinkedItems {
		if lx, ok := b.inID(id); ok {
			content(b.linkRef(lx))
		}
	}
	for _, t := range b.topics[p.ID] {
		c := loc{kConsultation, t.c}
		if !b.in(c) {
			continue
		}
		content(b.ref(c))
		if *b.flag(c)&fStructure != 0 {
			content("List/" + b.topicListID(t.c, t.t))
		}
	}

	switch p.Significance {
	case record.Major, record.Minor:
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtProblemSignificance, ValueCode: string(p.Significance)})
	}
	return out
}

// The ids of a consultation's structure Lists, as the NHS consultations
// example forms them: the Encounter's id with -LST, -PG<topic> and
// -PG<topic>-HD<heading>.

//
// They need no allocator: Encounter ids are unique, the suffixes keep the
// ids of different Encounters apart, and an id too long for FHIR is
// hashed into a form (ending in 20 hex digits) that no suffixed id and no
// fixed List id has.

func (b *builder) consultationListID(ci int32) string {
	return structureID(b.id(loc{kConsultation, ci}) + "-LST")
}

func (b *builder) topicListID(ci, ti int32) string {
	return structureID(b.id(loc{kConsultation, ci}) + "-PG" + itoa(ti))
}

func (b *builder) categoryListID(ci, ti, hi int32) string {
	return structureID(b.id(loc{kConsultation, ci}) + "-PG" + itoa(ti) + "-HD" + itoa(hi))
}

func structureID(s string) string {
	if len(s) <= maxID {
		return s
	}
	return hashed(s, 0)
}

func itoa(i int32) string { return strconv.Itoa(int(i)) }
