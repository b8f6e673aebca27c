package structured

import (
	"math"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// referral renders an outbound referral as CareConnect-GPC-ReferralRequest-1
// (intent order): the author requests it; the recipient practitioner
// and/or organisation receive it; the service referred to is its
// specialty.
func (b *builder) referral(x loc) *fhir.ReferralRequest {
	r := &b.rec.Referrals[x.i]
	out := &fhir.ReferralRequest{
		ID:         b.id(x),
		Meta:       b.m.referral,
		Identifier: b.identifier(r.ID),
		Status:     oneOf(r.Status, "unknown", "draft", "active", "suspended", "cancelled", "completed", "entered-in-error", "unknown"),
		Intent:     "order",
		Priority:   oneOf(r.Priority, "", "routine", "urgent", "asap", "stat"),
		Subject:    b.patient,
		Context:    b.encounter(r.ID),
		AuthoredOn: b.date(r.Date),
		Specialty:  textConcept(r.Service),
		ReasonCode: b.codes(r.Reason),
		Note:       notes(r.Note),
	}
	if out.AuthoredOn.IsZero() {
		out.AuthoredOn = b.date(r.Recorded)
	}
	if a := b.actor(r.Author); a != "" {
		out.Requester = &fhir.ReferralRequestRequester{Agent: b.refTo(a)}
	}
	pr, org := b.clinician(r.Recipient)
	out.Recipient = references(pr, org)
	return out
}

// diaryEntry renders a diary entry as CareConnect-GPC-ProcedureRequest-1
// (intent plan), due on its occurrence date.
func (b *builder) diaryEntry(x loc) *fhir.ProcedureRequest {
	d := &b.rec.DiaryEntries[x.i]
	out := &fhir.ProcedureRequest{
		ID:                 b.id(x),
		Meta:               b.m.procedure,
		Identifier:         b.identifier(d.ID),
		Status:             oneOf(d.Status, "active", "draft", "active", "suspended", "completed", "entered-in-error", "cancelled", "unknown"),
		Intent:             "plan",
		Code:               b.codeOr(d.Code, "Diary entry"),
		Subject:            b.patient,
		Context:            b.encounter(d.ID),
		OccurrenceDateTime: b.date(d.Due),
		AuthoredOn:         b.date(d.Recorded),
		Note:               notes(d.Note),
	}
	if a := b.actor(d.Author); a != "" {
		out.Requester = &fhir.ProcedureRequestRequester{Agent: b.refTo(a)}
	}
	return out
}

// document renders a document's metadata as
// CareConnect-GPC-DocumentReference-1 (the content itself is not held:
// the attachment carries its type, size and title).
func (b *builder) document(x loc) *fhir.DocumentReference {
	d := &b.rec.Documents[x.i]
	title := d.Title
	if title == "" {
		title = d.Type.Text()
	}
	if title == "" {
		title = "Document"
	}
	out := &fhir.DocumentReference{
		ID:          b.id(x),
		Meta:        b.m.document,
		Identifier:  b.identifier(d.ID),
		Status:      "current",
		Type:        b.codeOr(d.Type, title),
		Subject:     b.patient,
		Created:     b.date(d.Created),
		Indexed:     b.indexed(d),
		Author:      references(b.actor(d.Author)),
		Custodian:   b.refTo(b.organisation(d.Custodian)),
		Description: d.Title,
	}
	att := &fhir.Attachment{ContentType: d.ContentType, Title: title}
	if d.Size > 0 && d.Size <= math.MaxInt32 {
		att.Size = fhir.Int(int(d.Size))
	}
	out.Content = []fhir.DocumentReferenceContent{{Attachment: att}}
	if enc := b.encounter(d.ID); enc != nil {
		out.Context = &fhir.DocumentReferenceContext{Encounter: enc}
	}
	return out
}

// indexed is when a document was filed (required): when recorded, else
// created, to the instant or the start of the day, month or year known;
// else the start of today.
func (b *builder) indexed(d *record.Document) fhir.Instant {
	for _, p := range []record.PartialDate{d.Recorded, d.Created} {
		if !p.IsZero() {
			start, _ := p.Interval()
			return fhir.NewInstant(start.In(pcnhub.London))
		}
	}
	if !b.opt.Today.IsZero() {
		return fhir.NewInstant(b.opt.Today.Time(pcnhub.London))
	}
	return fhir.NewInstant(time.Unix(0, 0).In(pcnhub.London))
}
