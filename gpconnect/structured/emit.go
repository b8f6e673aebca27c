package structured

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// Writing: the Lists, then every included item's resources, once.

// emit writes the primary Lists with their items, the secondary Lists
// with theirs, and then whatever else was included (linked items already
// listed elsewhere are written once, where first met).
func (b *builder) emit() {
	for _, l := range b.primary {
		b.writeList(l)
		if !l.ended {
			for _, x := range l.items {
				b.emitItem(x)
			}
		}
	}
	for _, s := range secondaryLists {
		l := b.secondary[s.code]
		// Only when non-empty or carrying a warning of its own (§3.2); in
		// transit alone does not make an empty one worth sending.
		if l == nil || len(l.items) == 0 && !l.confidential && !l.awaiting {
			continue
		}
		b.writeList(l)
		for _, x := range l.items {
			b.emitItem(x)
		}
	}
	for k := kind(0); k < numKinds; k++ {
		for i, f := range b.flags[k] {
			if f&fTop != 0 && f&fEmitted == 0 {
				b.emitItem(loc{k, int32(i)})
			}
		}
	}
}

// in reports whether an item's resources are Bundle entries.
func (b *builder) in(x loc) bool { return *b.flag(x)&fTop != 0 }

// inID reports whether the item of a record id is in the Bundle, and
// where it is.
func (b *builder) inID(id string) (loc, bool) {
	if id == "" {
		return loc{}, false
	}
	x, ok := b.idx[id]
	return x, ok && b.in(x)
}

// id returns the logical id of an item's (main) resource.
func (b *builder) id(x loc) string { return b.rid[x.k][x.i] }

// ref returns the reference a List entry uses for an item: a
// medication's MedicationStatement, an investigation's DiagnosticReport,
// a consultation's Encounter, a status immunisation's Observation.
func (b *builder) ref(x loc) string {
	if r := b.refs[x.k][x.i]; r != "" {
		return r
	}
	var typ string
	switch x.k {
	case kAllergy:
		typ = "AllergyIntolerance/"
	case kMedication:
		typ = "MedicationStatement/"
	case kProblem:
		typ = "Condition/"
	case kConsultation:
		typ = "Encounter/"
	case kObservation, kResult:
		typ = "Observation/"
	case kImmunisation:
		typ = "Immunization/"
		if b.rec.Immunisations[x.i].Kind == record.ImmunisationStatus {
			typ = "Observation/"
		}
	case kInvestigation:
		typ = "DiagnosticReport/"
	case kReferral:
		typ = "ReferralRequest/"
	case kDiary:
		typ = "ProcedureRequest/"
	case kDocument:
		typ = "DocumentReference/"
	}
	r := typ + b.id(x)
	b.refs[x.k][x.i] = r
	return r
}

// linkRef returns the reference a problem's related content or a
// consultation heading uses for an item: as ref, but a medication is its
// authorisation (MedicationRequest intent plan), as the NHS examples
// link it.
func (b *builder) linkRef(x loc) string {
	if x.k == kMedication {
		return "MedicationRequest/" + b.id(x)
	}
	return b.ref(x)
}

// encounter returns the reference of the Encounter of the consultation
// an item was recorded in, when that Encounter is in the Bundle.
func (b *builder) encounter(itemID string) *fhir.Reference {
	ci, ok := b.inConsult[itemID]
	if !ok || !b.in(loc{kConsultation, ci}) {
		return nil
	}
	if r := b.encRefs[ci]; r != nil {
		return r
	}
	r := &fhir.Reference{Reference: b.ref(loc{kConsultation, ci})}
	b.encRefs[ci] = r
	return r
}

// identifier is the persistent business identifier of a resource made
// from a record item (or a part of one, with a suffix). They are cut from
// a slab, one allocation per 256.
func (b *builder) identifier(value string) []fhir.Identifier {
	if len(b.idSlab) == 0 {
		b.idSlab = make([]fhir.Identifier, 256)
	}
	out := b.idSlab[:1:1]
	b.idSlab = b.idSlab[1:]
	out[0] = fhir.Identifier{System: b.system, Value: value}
	return out
}

// emitItem writes an item's resources.
func (b *builder) emitItem(x loc) {
	f := b.flag(x)
	if *f&fEmitted != 0 {
		return
	}
	*f |= fEmitted
	switch x.k {
	case kAllergy:
		b.add(b.allergy(x))
	case kMedication:
		b.medication(x)
	case kProblem:
		b.add(b.condition(x))
	case kConsultation:
		b.consultation(x)
	case kObservation:
		b.add(b.observation(x))
	case kImmunisation:
		b.add(b.immunisation(x))
	case kInvestigation:
		b.investigation(x)
	case kResult:
		b.add(b.testResult(x))
	case kReferral:
		b.add(b.referral(x))
	case kDiary:
		b.add(b.diaryEntry(x))
	case kDocument:
		b.add(b.document(x))
	}
}

// add writes a clinical resource the builder made (each is made once, so
// it needs no check for duplicates).
func (b *builder) add(r fhir.Resource) {
	b.body = append(b.body, r)
}

// writeList writes a primary or secondary List.
func (b *builder) writeList(l *listSpec) {
	out := &fhir.List{
		ID:        l.id,
		Meta:      b.m.list,
		Extension: []fhir.Extension{{URL: ExtClinicalSetting, ValueCodeableConcept: b.fx.clinicalSetting}},
		Status:    "current",
		Mode:      "snapshot",
		Title:     l.title,
		Code:      coding(l.system, l.code, l.display),
		Subject:   b.patient,
		Date:      b.today,
		OrderedBy: b.fx.orderedBy,
	}
	var warnings []string
	if l.confidential {
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtListWarningCode, ValueCode: "confidential-items"})
		warnings = append(warnings, noteConfidential)
	}
	if b.rec.InTransit {
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtListWarningCode, ValueCode: "data-in-transit"})
		warnings = append(warnings, noteInTransit(b.transferDate))
	}
	if l.awaiting {
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtListWarningCode, ValueCode: "data-awaiting-filing"})
		warnings = append(warnings, noteAwaitingFiling)
	}
	out.Entry = make([]fhir.ListEntry, 0, len(l.items))
	for _, x := range l.items {
		if l.ended {
			a := b.allergy(x)
			out.Contained = append(out.Contained, a)
			out.Entry = append(out.Entry, fhir.ListEntry{Item: &fhir.Reference{Reference: "#" + a.ID}})
			continue
		}
		out.Entry = append(out.Entry, fhir.ListEntry{Item: b.newRef(b.ref(x))})
	}
	if len(out.Entry) == 0 {
		out.Entry = nil
		b.setEmpty(out)
	}
	if len(warnings) > 0 {
		// One note, the warnings in the order of their codes, as the NHS
		// examples write it.
		text := warnings[0]
		for _, w := range warnings[1:] {
			text += " " + w
		}
		out.Note = append(out.Note, fhir.Annotation{Text: text})
	}
	b.add(out)
}

// setEmpty marks a List with no entries (§3.2).
func (b *builder) setEmpty(l *fhir.List) {
	l.EmptyReason = b.fx.emptyReason
	l.Note = append([]fhir.Annotation{{Text: noteEmpty}}, l.Note...)
}

// bundle assembles the answer.
func (b *builder) bundle() *fhir.Bundle {
	entries := make([]fhir.BundleEntry, 0, len(b.head)+len(b.body)+len(b.people))
	for _, section := range [][]fhir.Resource{b.head, b.body, b.people} {
		for _, r := range section {
			entries = append(entries, fhir.BundleEntry{Resource: r})
		}
	}
	return &fhir.Bundle{
		Meta:  meta(fhir.ProfileStructuredRecordBundle),
		Type:  "collection",
		Entry: entries,
	}
}
