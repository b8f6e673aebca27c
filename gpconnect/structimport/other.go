package structimport

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// referral maps a ReferralRequest: authoredOn as Date and Recorded (else the
// occurrence), the first reason code (else the type), priority, status, the
// service (the recipient HealthcareService's name, else serviceRequested or
// specialty text), the recipient (the first recipient Practitioner,
// PractitionerRole or Organization; the ODS code of an Organization or
// service recipient when the practitioner has none), the requester as
// Author, and description and notes as Note.
func (im *importer) referral(n *node, r *fhir.ReferralRequest) {
	if im.aboutOther(n, r.Subject) {
		return
	}
	if r.Status == "entered-in-error" {
		im.skip(n, "ReferralRequest status is entered-in-error")
		return
	}
	x := record.Referral{
		Item: record.Item{
			ID:           im.ids[n.key],
			Recorded:     im.date(n, "authoredOn", r.AuthoredOn.String()),
			Confidential: confidential(r.Meta),
		},
		Priority: r.Priority,
		Status:   r.Status,
		Note:     joinNonEmpty("\n", r.Description, notes(r.Note)),
	}
	x.Date = x.Recorded
	if x.Date.IsZero() {
		x.Date = im.date(n, "occurrenceDateTime", r.OccurrenceDateTime.String())
		if x.Date.IsZero() && r.OccurrencePeriod != nil {
			x.Date = im.date(n, "occurrencePeriod", periodStart(r.OccurrencePeriod))
		}
	}
	if len(r.ReasonCode) > 0 {
		x.Reason = code(&r.ReasonCode[0])
	} else if r.Type != nil {
		x.Reason = code(r.Type)
	}
	if r.Requester != nil {
		x.Author = im.clinician(r.Requester.Agent, n)
	}
	var person, org record.Clinician
	for i := range r.Recipient {
		ref := &r.Recipient[i]
		k, _ := im.refKey(ref, n.key)
		c := im.clinician(ref, n)
		typ := ""
		if rn := im.byKey[k]; rn != nil {
			typ = rn.typ
		}
		switch typ {
		case "Practitioner", "PractitionerRole":
			if person == (record.Clinician{}) {
				person = c
			}
		case "HealthcareService":
			if x.Service == "" {
				x.Service = c.Name
			}
			if org.OrganisationODS == "" {
				org.OrganisationODS = c.OrganisationODS
			}
		default:
			if org == (record.Clinician{}) {
				org = c
			}
		}
	}
	x.Recipient = person
	if x.Recipient == (record.Clinician{}) {
		x.Recipient = org
	} else if x.Recipient.OrganisationODS == "" {
		x.Recipient.OrganisationODS = org.OrganisationODS
	}
	if x.Service == "" {
		for i := range r.ServiceRequested {
			if t := ccText(&r.ServiceRequested[i]); t != "" {
				x.Service = t
				break
			}
		}
	}
	if x.Service == "" {
		x.Service = ccText(r.Specialty)
	}
	im.rec.Referrals = append(im.rec.Referrals, x)
	im.emit(n, x.ID)
}

// procedureRequest maps a ProcedureRequest to a DiaryEntry (GP Connect
// sends diary entries as ProcedureRequests): code, the occurrence as Due,
// status, notes, authoredOn as Recorded, the requester as Author. A
// ProcedureRequest that is a DiagnosticReport's request is read into that
// Investigation instead.
func (im *importer) procedureRequest(n *node, r *fhir.ProcedureRequest) {
	if im.drRequests[n.key] {
		im.read(n) // the request of an investigation (diagnosticReport)
		return
	}
	if im.aboutOther(n, r.Subject) {
		return
	}
	if r.Status == "entered-in-error" {
		im.skip(n, "ProcedureRequest status is entered-in-error")
		return
	}
	x := record.DiaryEntry{
		Item: record.Item{
			ID:           im.ids[n.key],
			Recorded:     im.date(n, "authoredOn", r.AuthoredOn.String()),
			Confidential: confidential(r.Meta),
		},
		Code:   code(r.Code),
		Due:    im.date(n, "occurrenceDateTime", r.OccurrenceDateTime.String()),
		Status: r.Status,
		Note:   notes(r.Note),
	}
	if x.Due.IsZero() && r.OccurrencePeriod != nil {
		x.Due = im.date(n, "occurrencePeriod", periodStart(r.OccurrencePeriod))
	}
	if x.Due.IsZero() && r.OccurrenceTiming != nil && len(r.OccurrenceTiming.Event) > 0 {
		x.Due = im.date(n, "occurrenceTiming", r.OccurrenceTiming.Event[0].String())
	}
	if r.Requester != nil {
		x.Author = im.clinician(r.Requester.Agent, n)
	}
	im.rec.DiaryEntries = append(im.rec.DiaryEntries, x)
	im.emit(n, x.ID)
}

// document maps a DocumentReference's metadata: type, title (the first
// attachment's title, else the description), created, the custodian's ODS
// code, the first attachment's content type and size, indexed as Recorded,
// the first author as Author. securityLabel NOPAT marks it confidential.
func (im *importer) document(n *node, d *fhir.DocumentReference) {
	if im.aboutOther(n, d.Subject) {
		return
	}
	if d.Status == "entered-in-error" {
		im.skip(n, "DocumentReference status is entered-in-error")
		return
	}
	x := record.Document{
		Item: record.Item{
			ID:           im.ids[n.key],
			Recorded:     im.date(n, "indexed", d.Indexed.String()),
			Confidential: confidential(d.Meta, d.SecurityLabel...),
		},
		Type:    code(d.Type),
		Title:   d.Description,
		Created: im.date(n, "created", d.Created.String()),
	}
	if len(d.Author) > 0 {
		x.Author = im.clinician(&d.Author[0], n)
	}
	if c := im.clinician(d.Custodian, n); c.OrganisationODS != "" {
		x.Custodian = c.OrganisationODS
	} else if d.Custodian != nil {
		im.note(n, "custodian has no ODS code in the Bundle")
	}
	for _, c := range d.Content {
		if a := c.Attachment; a != nil {
			if a.Title != "" {
				x.Title = a.Title
			}
			x.ContentType = a.ContentType
			if a.Size != nil && *a.Size >= 0 {
				x.Size = int64(*a.Size)
			}
			if x.Created.IsZero() {
				x.Created = im.date(n, "attachment creation", a.Creation.String())
			}
			break
		}
	}
	im.rec.Documents = append(im.rec.Documents, x)
	im.emit(n, x.ID)
}
