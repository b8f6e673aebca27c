package structured

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// observation renders an uncategorised item as CareConnect-GPC-Observation-1:
// its value as a quantity (or text), a blood pressure's systolic and
// diastolic as components, reference range, interpretation and comment.
// The performer is the clinician who performed it, else its author.
func (b *builder) observation(x loc) *fhir.Observation {
	o := &b.rec.Observations[x.i]
	perf := o.Performer
	if perf == (record.Clinician{}) {
		perf = o.Author
	}
	out := &fhir.Observation{
		ID:                b.id(x),
		Meta:              b.m.observation,
		Identifier:        b.identifier(o.ID),
		Status:            "final",
		Code:              b.codeOr(o.Code, "Observation"),
		Subject:           b.patient,
		Context:           b.encounter(o.ID),
		EffectiveDateTime: b.date(o.Effective),
		Issued:            b.instantOf(o.Recorded),
		Performer:         references(b.actor(perf)),
		Interpretation:    interpretation(o.Interpretation),
		Comment:           o.Comment,
		ReferenceRange:    referenceRange(o.Range),
	}
	b.setValue(out, o.Value, o.ValueText)
	if len(o.Components) > 0 {
		out.Component = make([]fhir.ObservationComponent, 0, len(o.Components))
	}
	for _, c := range o.Components {
		comp := fhir.ObservationComponent{Code: b.codeOr(c.Code, "Component")}
		switch {
		case isDecimal(c.Value.Value):
			comp.ValueQuantity = b.qty(c.Value)
		case c.Text != "":
			comp.ValueString = c.Text
		case !c.Value.IsZero():
			comp.ValueString = quantityText(c.Value)
		}
		out.Component = append(out.Component, comp)
	}
	return out
}

// setValue sets an Observation's value: a quantity when its value is a
// decimal, else the text (a quantity that is not a decimal as text). A
// text recorded beside a quantity goes in the comment.
func (b *builder) setValue(o *fhir.Observation, q record.Quantity, text string) {
	switch {
	case isDecimal(q.Value):
		o.ValueQuantity = b.qty(q)
		if text != "" {
			if o.Comment != "" {
				o.Comment += "\n"
			}
			o.Comment += text
		}
	case text != "":
		o.ValueString = text
	case !q.IsZero():
		o.ValueString = quantityText(q)
	}
}

// immunisation renders a vaccination given or not given as
// CareConnect-GPC-Immunization-1, and an immunisation status record
// (consent, dissent, declined…) as an Observation, as the NHS
// immunisations example does.
//
// As in that example, the recorded vaccination is the
// VaccinationProcedure extension and vaccineCode is the null flavour UNK:
// the record holds the procedure, not the product. The date recorded is
// the DateRecorded extension. The dose sequence is not written: STU3's
// vaccinationProtocol also requires the target disease and dose status,
// which the record does not hold.
func (b *builder) immunisation(x loc) fhir.Resource {
	im := &b.rec.Immunisations[x.i]
	perf := im.Performer
	if perf == (record.Clinician{}) {
		perf = im.Author
	}
	enc := b.encounter(im.ID)
	if im.Kind == record.ImmunisationStatus {
		code := b.code(im.Status)
		if code == nil {
			code = b.codeOr(im.Vaccine, "Immunisation status")
		}
		return &fhir.Observation{
			ID:                b.id(x),
			Meta:              b.m.observation,
			Identifier:        b.identifier(im.ID),
			Status:            "final",
			Code:              code,
			Subject:           b.patient,
			Context:           enc,
			EffectiveDateTime: b.date(im.Date),
			Issued:            b.instantOf(im.Recorded),
			Performer:         references(b.actor(perf)),
			Comment:           im.Note,
		}
	}
	notGiven := im.Kind == record.ImmunisationNotGiven
	out := &fhir.Immunization{
		ID:            b.id(x),
		Meta:          b.m.immunization,
		Identifier:    b.identifier(im.ID),
		Status:        "completed",
		NotGiven:      fhir.Bool(notGiven),
		VaccineCode:   b.fx.unknownVaccine,
		Patient:       b.patient,
		Encounter:     enc,
		Date:          b.date(im.Date),
		PrimarySource: fhir.Bool(true),
		LotNumber:     im.Batch,
		Site:          b.code(im.Site),
		Route:         b.code(im.Route),
		Note:          notes(im.Note),
	}
	if d := b.date(im.Recorded); !d.IsZero() {
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtDateRecorded, ValueDateTime: d})
	}
	if v := b.code(im.Vaccine); v != nil {
		out.Extension = append(out.Extension, fhir.Extension{URL: ExtVaccinationProcedure, ValueCodeableConcept: v})
	}
	if a := b.actor(perf); a != "" {
		out.Practitioner = []fhir.ImmunizationPractitioner{{
			Role:  b.fx.administering,
			Actor: b.refTo(a),
		}}
	}
	if notGiven {
		if r := b.code(im.Reason); r != nil {
			out.Explanation = &fhir.ImmunizationExplanation{ReasonNotGiven: []fhir.CodeableConcept{*r}}
		}
	}
	return out
}
