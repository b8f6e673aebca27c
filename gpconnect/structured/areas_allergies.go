package structured

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// allergy renders an allergy, an ended allergy or a "no known allergies"
// statement as CareConnect-GPC-AllergyIntolerance-1.
//
//   - verificationStatus is "unconfirmed", as in every NHS example: GP
//     systems do not record a verification.
//   - An ended allergy is clinicalStatus "resolved" with the
//     AllergyIntoleranceEnd extension (endDate when known; reasonEnded
//     "No information available" when none was recorded, as the examples
//     write it).
//   - A "no known allergies" statement is an active AllergyIntolerance
//     whose code is the concept recorded (e.g. 716186003), with no
//     category and no reaction (no NHS example shows one; this is the
//     shape the GP Connect guidance describes).
//   - The reaction is written when manifestations were recorded (STU3
//     requires one), with the causative substance.
func (b *builder) allergy(x loc) *fhir.AllergyIntolerance {
	a := &b.rec.Allergies[x.i]
	out := &fhir.AllergyIntolerance{
		ID:                 b.id(x),
		Meta:               b.m.allergy,
		Identifier:         b.identifier(a.ID),
		ClinicalStatus:     "active",
		VerificationStatus: "unconfirmed",
		Code:               b.code(a.Code),
		Patient:            b.patient,
		OnsetDateTime:      b.date(a.Onset),
		AssertedDate:       b.date(a.Asserted),
		Recorder:           b.refTo(b.practitioner(a.Author)),
		Note:               notes(a.Note),
	}
	if out.Code == nil {
		out.Code = b.code(a.Substance)
	}
	if out.AssertedDate.IsZero() {
		out.AssertedDate = b.date(a.Recorded)
	}
	if a.Status == record.AllergyResolved {
		out.ClinicalStatus = "resolved"
		end := fhir.Extension{URL: ExtAllergyIntoleranceEnd}
		if d := b.date(a.Ended); !d.IsZero() {
			end.Extension = append(end.Extension, fhir.Extension{URL: "endDate", ValueDateTime: d})
		}
		reason := a.EndReason
		if reason == "" {
			reason = "No information available"
		}
		end.Extension = append(end.Extension, fhir.Extension{URL: "reasonEnded", ValueString: reason})
		out.Extension = append(out.Extension, end)
	}
	if enc := b.encounter(a.ID); enc != nil {
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtAssociatedEncounter, ValueReference: enc})
	}
	if a.NoKnownAllergies {
		return out
	}
	switch a.Category {
	case "food", "medication", "environment", "biologic":
		out.Category = []string{a.Category}
	}
	if ms := b.codes(a.Manifestations...); len(ms) > 0 {
		out.Reaction = []fhir.AllergyIntoleranceReaction{{Substance: b.code(a.Substance), Manifestation: ms}}
	}
	return out
}
