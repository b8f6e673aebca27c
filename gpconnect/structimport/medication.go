package structimport

import (
	"strings"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// medications maps MedicationStatements with their MedicationRequests.
//
// A MedicationStatement is one record.Medication (its id is the statement's):
// the statement gives Statement (status, last issue date extension, notes),
// Drug (its Medication), Recorded (dateAsserted) and PrescribedElsewhere
// (PrescribingAgency prescribed-by-another-organisation). The plan it is
// basedOn (MedicationRequest intent plan) gives the Authorisation:
// prescription type from the PrescriptionType extension, validityPeriod as
// Effective, status and the MedicationStatusReason text, quantity, expected
// supply, dosage, patient instruction, repeats allowed/issued from the
// MedicationRepeatInformation extension (else numberOfRepeatsAllowed), the
// prescriber (requester, else recorder). Each MedicationRequest intent order
// basedOn the plan (else sharing its groupIdentifier) is an Issue: id, the
// date its validityPeriod starts (else authoredOn), quantity, supply and
// prescriber. A plan no statement names is still a Medication (noted); an
// order with no plan is skipped. Links to a plan or an order name the
// Medication.
func (im *importer) medications() {
	var statements []*node
	plans := map[string]*node{}
	var planOrder []*node
	var orders []*node
	for _, n := range im.nodes {
		if im.done[n.key] {
			continue
		}
		switch r := n.r.(type) {
		case *fhir.MedicationStatement:
			if im.aboutOther(n, r.Subject) {
				continue
			}
			statements = append(statements, n)
		case *fhir.MedicationRequest:
			if im.aboutOther(n, r.Subject) {
				continue
			}
			switch r.Intent {
			case "plan":
				plans[n.key] = n
				planOrder = append(planOrder, n)
			case "order", "original-order", "instance-order":
				orders = append(orders, n)
			default:
				im.skip(n, "MedicationRequest intent "+r.Intent+" is neither plan (an authorisation) nor order (an issue)")
			}
		}
	}

	// Issues, grouped by plan.
	issues := map[string][]*node{}
	for _, o := range orders {
		req := o.r.(*fhir.MedicationRequest)
		plan := ""
		for i := range req.BasedOn {
			if k, ok := im.refKey(&req.BasedOn[i], o.key); ok && plans[k] != nil {
				plan = k
				break
			}
		}
		if plan == "" && req.GroupIdentifier != nil && req.GroupIdentifier.Value != "" {
			for _, p := range planOrder {
				g := p.r.(*fhir.MedicationRequest).GroupIdentifier
				if g != nil && g.Value == req.GroupIdentifier.Value && g.System == req.GroupIdentifier.System {
					plan = p.key
					break
				}
			}
		}
		if plan == "" {
			im.skip(o, "an issue (intent order) whose authorisation (the MedicationRequest intent plan it is basedOn) is not in the Bundle")
			continue
		}
		issues[plan] = append(issues[plan], o)
	}

	claimed := map[string]bool{}
	for _, s := range statements {
		st := s.r.(*fhir.MedicationStatement)
		var plan *node
		for i := range st.BasedOn {
			if k, ok := im.refKey(&st.BasedOn[i], s.key); ok && plans[k] != nil {
				if claimed[k] {
					im.note(s, "its authorisation %s was already used by another MedicationStatement", k)
					continue
				}
				plan = plans[k]
				break
			}
		}
		if plan == nil {
			im.note(s, "no authorisation (MedicationRequest intent plan) in the Bundle: imported without authorisation and issues")
		} else {
			claimed[plan.key] = true
		}
		im.medication(s, st, plan, issues)
	}
	for _, p := range planOrder {
		if claimed[p.key] || im.done[p.key] {
			continue
		}
		im.note(p, "no MedicationStatement names this authorisation: imported from the authorisation alone")
		im.medication(nil, nil, p, issues)
	}
}

// medication adds one record.Medication from a statement and/or a plan.
func (im *importer) medication(s *node, st *fhir.MedicationStatement, p *node, issues map[string][]*node) {
	var plan *fhir.MedicationRequest
	if p != nil {
		plan = p.r.(*fhir.MedicationRequest)
	}
	owner := s
	if owner == nil {
		owner = p
	}
	m := record.Medication{Item: record.Item{ID: im.ids[owner.key]}}
	if st != nil {
		m.Recorded = im.date(s, "dateAsserted", st.DateAsserted.String())
		m.Author = im.clinician(st.InformationSource, s)
		m.Confidential = confidential(st.Meta)
		m.Drug = im.drug(s, st.MedicationReference, st.MedicationCodeableConcept)
		m.Statement = record.Statement{Status: st.Status, Note: notes(st.Note)}
		if e := ext(st.Extension, extLastIssue); e != nil {
			m.Statement.LastIssued = im.date(s, "last issue date", e.ValueDateTime.String())
		}
		if e := ext(st.Extension, extPrescribingAgent); e != nil && e.ValueCodeableConcept != nil {
			m.Authorisation.PrescribedElsewhere = hasCodeValue(e.ValueCodeableConcept, "prescribed-by-another-organisation")
		}
	}
	if plan != nil {
		im.authorisation(p, plan, &m)
		if m.Recorded.IsZero() {
			m.Recorded = im.date(p, "authoredOn", plan.AuthoredOn.String())
		}
		if c := im.clinician(plan.Recorder, p); c != (record.Clinician{}) {
			m.Author = c // who entered the authorisation
		}
		m.Confidential = m.Confidential || confidential(plan.Meta)
		if m.Drug.IsZero() {
			m.Drug = im.drug(p, plan.MedicationReference, plan.MedicationCodeableConcept)
		}
		if st == nil {
			m.Statement.Status = plan.Status
		}
		for _, o := range issues[p.key] {
			m.Issues = append(m.Issues, im.issue(o, o.r.(*fhir.MedicationRequest)))
			im.emit(o, m.ID)
		}
		im.emit(p, m.ID)
	}
	if st != nil && m.Authorisation.Effective == (record.Period{}) {
		if st.EffectivePeriod != nil {
			m.Authorisation.Effective = im.period(s, "effectivePeriod", st.EffectivePeriod)
		} else {
			m.Authorisation.Effective.Start = im.date(s, "effectiveDateTime", st.EffectiveDateTime.String())
		}
	}
	im.rec.Medications = append(im.rec.Medications, m)
	im.emit(owner, m.ID)
}

// hasCodeValue reports whether any coding of the CodeableConcept has the code.
func hasCodeValue(cc *fhir.CodeableConcept, c string) bool {
	for _, x := range cc.Coding {
		if x.Code == c {
			return true
		}
	}
	return false
}

// drug maps the medication of a statement or request: its Medication's code,
// else the CodeableConcept.
func (im *importer) drug(n *node, ref *fhir.Reference, cc *fhir.CodeableConcept) record.Code {
	if ref != nil {
		if k, ok := im.refKey(ref, n.key); ok {
			if med, ok := im.byKey[k].r.(*fhir.Medication); ok {
				im.read(im.byKey[k])
				if c := code(med.Code); !c.IsZero() {
					return c
				}
			}
		} else if k != "" {
			im.note(n, "its Medication %s is not in the Bundle", k)
		}
		if ref.Display != "" && cc == nil {
			return record.Code{OriginalText: ref.Display}
		}
	}
	return code(cc)
}

// prescriptionType maps the GP Connect PrescriptionType codes. Codes with no
// record equivalent (delayed-prescribing, …) give PrescriptionUnknown.
func prescriptionType(c string) (record.PrescriptionType, bool) {
	switch {
	case c == "acute" || strings.HasPrefix(c, "acute-"):
		return record.PrescriptionAcute, true
	case c == "repeat-dispensing" || strings.HasPrefix(c, "repeat-dispensing-"):
		return record.PrescriptionRepeatDispensing, true
	case c == "repeat" || strings.HasPrefix(c, "repeat-"):
		return record.PrescriptionRepeat, true
	}
	return record.PrescriptionUnknown, c == ""
}

// authorisation fills m.Authorisation from the plan.
func (im *importer) authorisation(p *node, plan *fhir.MedicationRequest, m *record.Medication) {
	a := &m.Authorisation
	a.Status = plan.Status
	if e := ext(plan.Extension, extPrescriptionType); e != nil && e.ValueCodeableConcept != nil {
		c := ""
		if len(e.ValueCodeableConcept.Coding) > 0 {
			c = e.ValueCodeableConcept.Coding[0].Code
		}
		t, ok := prescriptionType(c)
		a.Type = t
		if !ok {
			im.note(p, "prescription type %q has no record equivalent; left unknown", c)
		}
	}
	if e := ext(plan.Extension, extStatusReason); e != nil {
		if r := sub(e, "statusReason"); r != nil {
			a.StoppedReason = ccText(r.ValueCodeableConcept)
		}
	}
	if e := ext(plan.Extension, extRepeatInfo); e != nil {
		if r := sub(e, "numberOfRepeatPrescriptionsAllowed"); r != nil {
			a.RepeatsAllowed = intOf(r)
		}
		if r := sub(e, "numberOfRepeatPrescriptionsIssued"); r != nil {
			a.RepeatsIssued = intOf(r)
		}
	}
	if dr := plan.DispenseRequest; dr != nil {
		a.Effective = im.period(p, "validityPeriod", dr.ValidityPeriod)
		a.Quantity = quantity(dr.Quantity)
		a.SupplyDays = days(dr.ExpectedSupplyDuration)
		if a.RepeatsAllowed == 0 && dr.NumberOfRepeatsAllowed != nil && *dr.NumberOfRepeatsAllowed > 0 {
			a.RepeatsAllowed = *dr.NumberOfRepeatsAllowed
		}
	}
	var dosage, patient []string
	for _, d := range plan.DosageInstruction {
		dosage = append(dosage, d.Text)
		patient = append(patient, d.PatientInstruction)
	}
	a.Dosage = joinNonEmpty("\n", dosage...)
	a.PatientNote = joinNonEmpty("\n", patient...)
	a.Prescriber = im.requester(p, plan)
	if n := notes(plan.Note); n != "" && m.Statement.Note == "" {
		m.Statement.Note = n
	}
}

// requester is the prescriber of a MedicationRequest: requester.agent, else
// the recorder.
func (im *importer) requester(n *node, r *fhir.MedicationRequest) record.Clinician {
	if r.Requester != nil && r.Requester.Agent != nil {
		if c := im.clinician(r.Requester.Agent, n); c != (record.Clinician{}) {
			return c
		}
	}
	return im.clinician(r.Recorder, n)
}

// issue maps an order.
func (im *importer) issue(n *node, r *fhir.MedicationRequest) record.Issue {
	is := record.Issue{ID: im.ids[n.key], Prescriber: im.requester(n, r)}
	if dr := r.DispenseRequest; dr != nil {
		is.Date = im.date(n, "validityPeriod start", periodStart(dr.ValidityPeriod))
		is.Quantity = quantity(dr.Quantity)
		is.SupplyDays = days(dr.ExpectedSupplyDuration)
	}
	if is.Date.IsZero() {
		is.Date = im.date(n, "authoredOn", r.AuthoredOn.String())
	}
	return is
}

// intOf returns the integer value of an extension, or 0.
func intOf(e *fhir.Extension) int {
	for _, p := range []*int{e.ValueUnsignedInt, e.ValuePositiveInt, e.ValueInteger} {
		if p != nil && *p > 0 {
			return *p
		}
	}
	return 0
}
