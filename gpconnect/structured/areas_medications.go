package structured

import (
	"slices"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// medication writes a medication course as the NHS medications example
// shapes it: a MedicationStatement (based on the authorisation), the
// authorisation as a MedicationRequest of intent plan, each issue as a
// MedicationRequest of intent order based on the plan (unless the query
// leaves issues out), and the drug as a Medication shared by every
// course of the same drug.
func (b *builder) medication(x loc) {
	m := &b.rec.Medications[x.i]
	auth := &m.Authorisation
	drug := b.refTo(b.drug(m.Drug))
	planID := b.id(x)
	planRef := b.linkRef(x)
	basedOn := []fhir.Reference{{Reference: planRef}}
	enc := b.encounter(m.ID)
	author := b.refTo(b.practitioner(m.Author))
	dosage := dosageOf(auth.Dosage, auth.PatientNote)
	kind := b.fx.prescriptionTypes[auth.Type]

	start := auth.Effective.Start
	if start.IsZero() {
		start = m.Recorded
	}
	st := &fhir.MedicationStatement{
		ID:                  planID,
		Meta:                b.m.statement,
		Identifier:          b.identifier(m.ID),
		BasedOn:             basedOn,
		Context:             enc,
		Status:              statementStatus(m),
		MedicationReference: drug,
		EffectivePeriod:     b.period(start, auth.Effective.End),
		DateAsserted:        b.date(m.Recorded),
		Subject:             b.patient,
		Taken:               "unk",
		Note:                notes(m.Statement.Note),
		Dosage:              dosage,
	}
	if st.DateAsserted.IsZero() {
		st.DateAsserted = b.date(start)
	}
	last := m.Statement.LastIssued
	if last.IsZero() && len(m.Issues) > 0 {
		last = m.Issues[len(m.Issues)-1].Date
	}
	agency := b.fx.agencyPractice
	if auth.PrescribedElsewhere {
		agency = b.fx.agencyElsewhere
	}
	if d := b.date(last); !d.IsZero() {
		st.Extension = []fhir.Extension{{URL: ExtLastIssueDate, ValueDateTime: d}, agency[0]}
	} else {
		st.Extension = agency
	}
	b.add(st)

	plan := &fhir.MedicationRequest{
		ID:                  planID,
		Meta:                b.m.request,
		Identifier:          b.identifier(m.ID + "/authorisation"),
		Status:              oneOf(auth.Status, "active", "active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown"),
		Intent:              "plan",
		MedicationReference: drug,
		Subject:             b.patient,
		Context:             enc,
		AuthoredOn:          b.date(m.Recorded),
		Requester:           b.requester(auth.Prescriber),
		Recorder:            author,
		DosageInstruction:   dosage,
		DispenseRequest:     b.dispense(b.period(auth.Effective.Start, auth.Effective.End), auth.Quantity, auth.SupplyDays),
	}
	if plan.AuthoredOn.IsZero() {
		plan.AuthoredOn = b.date(start)
	}
	plan.Extension = slices.Clip(kind) // shared: appending must copy
	if auth.Type == record.PrescriptionRepeat || auth.Type == record.PrescriptionRepeatDispensing {
		rep := fhir.Extension{URL: ExtRepeatInformation}
		if auth.RepeatsAllowed > 0 {
			rep.Extension = append(rep.Extension, fhir.Extension{URL: "numberOfRepeatPrescriptionsAllowed", ValueUnsignedInt: fhir.Int(auth.RepeatsAllowed)})
		}
		issued := auth.RepeatsIssued
		if issued == 0 {
			issued = len(m.Issues)
		}
		rep.Extension = append(rep.Extension, fhir.Extension{URL: "numberOfRepeatPrescriptionsIssued", ValueUnsignedInt: fhir.Int(issued)})
		if d := b.date(auth.Effective.End); !d.IsZero() {
			rep.Extension = append(rep.Extension, fhir.Extension{URL: "authorisationExpiryDate", ValueDateTime: d})
		}
		plan.Extension = append(plan.Extension, rep)
	}
	if auth.StoppedReason != "" {
		reason := fhir.Extension{URL: ExtMedicationStatusReason, Extension: []fhir.Extension{
			{URL: "statusReason", ValueCodeableConcept: textConcept(auth.StoppedReason)}}}
		if d := b.date(auth.Effective.End); !d.IsZero() {
			reason.Extension = append(reason.Extension, fhir.Extension{URL: "statusChangeDate", ValueDateTime: d})
		}
		plan.Extension = append(plan.Extension, reason)
	}
	b.add(plan)

	if !b.issues {
		return
	}
	for i := range m.Issues {
		is := &m.Issues[i]
		b.add(&fhir.MedicationRequest{
			ID:                  b.ids.fresh("MedicationRequest", is.ID), // each issue is written once
			Meta:                b.m.request,
			Extension:           kind,
			Identifier:          b.identifier(is.ID),
			BasedOn:             basedOn,
			Status:              "completed",
			Intent:              "order",
			MedicationReference: drug,
			Subject:             b.patient,
			Context:             enc,
			AuthoredOn:          b.date(is.Date),
			Requester:           b.requester(is.Prescriber),
			Recorder:            author,
			DosageInstruction:   dosage,
			DispenseRequest:     b.dispense(b.period(is.Date, record.PartialDate{}), is.Quantity, is.SupplyDays),
		})
	}
}

// drug returns the reference of the Medication of a drug, writing it the
// first time: one Medication per drug, however many courses name it.
func (b *builder) drug(c record.Code) string {
	if ref, ok := b.medRefs[c]; ok {
		return ref
	}
	want := "med-" + c.Code
	if c.Code == "" {
		want = "med-" + c.Text()
	}
	id := b.ids.get("Medication", c.System+"\x00"+c.Code+"\x00"+c.Display+"\x00"+c.OriginalText, want)
	b.add(&fhir.Medication{ID: id, Meta: b.m.medication, Code: b.code(c)})
	ref := "Medication/" + id
	b.medRefs[c] = ref
	return ref
}

// statementStatus is the course's status as recorded, else its
// authorisation's, else active.
func statementStatus(m *record.Medication) string {
	const none = ""
	for _, s := range []string{m.Statement.Status, m.Authorisation.Status} {
		if v := oneOf(s, none, "active", "completed", "entered-in-error", "intended", "stopped", "on-hold"); v != none {
			return v
		}
	}
	return "active"
}

// prescriptionType is the PrescriptionType extension; nil when the type
// is not known.
func prescriptionType(t record.PrescriptionType) *fhir.Extension {
	var code, display string
	switch t {
	case record.PrescriptionAcute:
		code, display = "acute", "Acute"
	case record.PrescriptionRepeat:
		code, display = "repeat", "Repeat"
	case record.PrescriptionRepeatDispensing:
		code, display = "repeat-dispensing", "Repeat dispensing"
	default:
		return nil
	}
	return &fhir.Extension{URL: ExtPrescriptionType, ValueCodeableConcept: coding(CodeSystemPrescriptionType, code, display)}
}

// requester names a prescriber: the practitioner on behalf of their
// organisation, or the organisation alone.
func (b *builder) requester(c record.Clinician) *fhir.MedicationRequestRequester {
	if r, ok := b.c.requesters[c]; ok {
		return r
	}
	var r *fhir.MedicationRequestRequester
	pr, org := b.clinician(c)
	switch {
	case pr != "":
		r = &fhir.MedicationRequestRequester{Agent: b.refTo(pr), OnBehalfOf: b.refTo(org)}
	case org != "":
		r = &fhir.MedicationRequestRequester{Agent: b.refTo(org)}
	}
	b.c.requesters[c] = r
	return r
}

func dosageOf(text, patient string) []fhir.Dosage {
	if text == "" && patient == "" {
		return nil
	}
	return []fhir.Dosage{{Text: text, PatientInstruction: patient}}
}

// dispense is a dispenseRequest: the quantity as the NHS examples write
// it (the value, with its unit in the MedicationQuantityText extension)
// and the expected supply in days.
func (b *builder) dispense(validity *fhir.Period, q record.Quantity, days int) *fhir.MedicationRequestDispenseRequest {
	d := &fhir.MedicationRequestDispenseRequest{ValidityPeriod: validity, Quantity: b.dispensed(q), ExpectedSupplyDuration: b.supply(days)}
	if d.ValidityPeriod == nil && d.Quantity == nil && d.ExpectedSupplyDuration == nil {
		return nil
	}
	return d
}

// dispensed is a quantity to dispense, shared.
func (b *builder) dispensed(q record.Quantity) *fhir.Quantity {
	if q.IsZero() {
		return nil
	}
	if fq, ok := b.c.dispensed[q]; ok {
		return fq
	}
	fq := &fhir.Quantity{}
	text := q.Unit
	if isDecimal(q.Value) {
		fq.Value, _ = fhir.ParseDecimal(q.Value)
	} else {
		text = quantityText(q)
	}
	if text != "" {
		fq.Extension = []fhir.Extension{{URL: ExtMedicationQuantityText, ValueString: text}}
	}
	if fq.Value.IsZero() && fq.Extension == nil {
		fq = nil
	}
	b.c.dispensed[q] = fq
	return fq
}

// supply is an expected supply of days, shared.
func (b *builder) supply(days int) *fhir.Duration {
	if days <= 0 {
		return nil
	}
	if d, ok := b.c.supplies[days]; ok {
		return d
	}
	d := &fhir.Duration{Value: fhir.NewDecimal(float64(days)), Unit: "day", System: CodeSystemUCUM, Code: "d"}
	b.c.supplies[days] = d
	return d
}
