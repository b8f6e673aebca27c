package structimport

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// noKnownAllergy holds the SNOMED CT "no known allergy" situations: an
// AllergyIntolerance with one of these codes records the absence of
// allergies, not an allergy.
var noKnownAllergy = map[string]bool{
	"716186003": true, // No known allergy
	"409137002": true, // No known drug allergy
	"428607008": true, // No known environmental allergy
	"429625007": true, // No known food allergy
	"428197003": true, // No known insect allergy
}

// allergy maps an AllergyIntolerance. It is resolved when its clinicalStatus
// is resolved or inactive, when it carries the AllergyIntoleranceEnd
// extension (endDate, reasonEnded), or when it is contained in the "Ended
// allergies" List; otherwise active. Recorded and Asserted are its
// assertedDate, Author its recorder.
func (im *importer) allergy(n *node, a *fhir.AllergyIntolerance) {
	if im.aboutOther(n, a.Patient) {
		return
	}
	if a.VerificationStatus == "entered-in-error" {
		im.skip(n, "verificationStatus is entered-in-error")
		return
	}
	x := record.Allergy{
		Item: record.Item{
			ID:           im.ids[n.key],
			Recorded:     im.date(n, "assertedDate", a.AssertedDate.String()),
			Author:       im.clinician(a.Recorder, n),
			Confidential: confidential(a.Meta),
		},
		Code:     code(a.Code),
		Onset:    im.date(n, "onsetDateTime", a.OnsetDateTime.String()),
		Asserted: im.date(n, "assertedDate", a.AssertedDate.String()),
		Status:   record.AllergyActive,
		Note:     notes(a.Note),
	}
	if x.Onset.IsZero() && a.OnsetPeriod != nil {
		x.Onset = im.date(n, "onsetPeriod", periodStart(a.OnsetPeriod))
	}
	x.NoKnownAllergies = x.Code.System == record.SNOMED && noKnownAllergy[x.Code.Code]
	for _, c := range a.Category {
		if c == "medication" || c == "food" || c == "environment" {
			x.Category = c
			break
		}
	}
	for _, r := range a.Reaction {
		if x.Substance.IsZero() && r.Substance != nil {
			x.Substance = code(r.Substance)
		}
		for i := range r.Manifestation {
			if m := code(&r.Manifestation[i]); !m.IsZero() {
				x.Manifestations = append(x.Manifestations, m)
			}
		}
		if r.Description != "" {
			x.Note = joinNonEmpty("\n", x.Note, r.Description)
		}
	}
	end := ext(a.Extension, extAllergyEnd)
	inEndedList := false
	if n.container != "" {
		if l, ok := im.byKey[n.container].r.(*fhir.List); ok && hasCode(l.Code, record.SNOMED, listEndedAllergy) {
			inEndedList = true
		}
	}
	if a.ClinicalStatus == "resolved" || a.ClinicalStatus == "inactive" || end != nil || inEndedList {
		x.Status = record.AllergyResolved
		if e := sub(end, "endDate"); e != nil {
			x.Ended = im.date(n, "endDate", e.ValueDateTime.String())
		}
		if e := sub(end, "reasonEnded"); e != nil {
			x.EndReason = e.ValueString
		}
	}
	im.rec.Allergies = append(im.rec.Allergies, x)
	im.emit(n, x.ID)
}
