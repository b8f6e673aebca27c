package structured

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// investigation writes a test report as the NHS investigations example
// shapes it: a DiagnosticReport naming its specimens and top-level
// results, the Specimens, and the test group, result and filing comment
// Observations (a group has-member its members, a member is derived-from
// its group). When the record names who requested it, the request is a
// ProcedureRequest (intent order) the report is basedOn.
//
// DiagnosticReport.code is SNOMED 721981007 "Diagnostic studies report",
// as in every NHS example; the investigation's own code follows it as a
// second coding, with its text.
func (b *builder) investigation(x loc) {
	inv := &b.rec.Investigations[x.i]
	enc := b.encounter(inv.ID)
	dr := &fhir.DiagnosticReport{
		ID:                b.id(x),
		Meta:              b.m.report,
		Identifier:        b.identifier(inv.ID),
		Status:            oneOf(inv.Status, "unknown", "registered", "partial", "preliminary", "final", "amended", "corrected", "appended", "cancelled", "entered-in-error", "unknown"),
		Code:              b.reportCode(inv.Code),
		Subject:           b.patient,
		Context:           enc,
		EffectiveDateTime: b.date(inv.Effective),
		Issued:            b.instantOf(inv.Issued),
	}
	if lab := b.performer(inv.Performer); lab != "" {
		dr.Performer = []fhir.DiagnosticReportPerformer{{Actor: b.refTo(lab)}}
	}
	var request *fhir.ProcedureRequest
	if req := b.actor(inv.Requester); req != "" {
		id := b.ids.get("ProcedureRequest", "\x00request\x00"+itoa(x.i), inv.ID+"-request")
		request = &fhir.ProcedureRequest{
			ID:         id,
			Meta:       b.m.procedure,
			Identifier: b.identifier(inv.ID + "/request"),
			Status:     "completed",
			Intent:     "order",
			Code:       b.codeOr(inv.Code, "Investigation"),
			Subject:    b.patient,
			Context:    enc,
			AuthoredOn: b.date(inv.Recorded),
			Requester:  &fhir.ProcedureRequestRequester{Agent: b.refTo(req)},
		}
		dr.BasedOn = []fhir.Reference{{Reference: "ProcedureRequest/" + id}}
	}
	var specimens []*fhir.Specimen
	for i := range inv.Specimens {
		s := &inv.Specimens[i]
		sp := &fhir.Specimen{
			ID:           b.specimenID(x.i, int32(i)),
			Meta:         b.m.specimen,
			Identifier:   b.identifier(s.ID),
			Type:         b.code(s.Type),
			Subject:      b.patient,
			ReceivedTime: b.date(s.Received),
			Note:         notes(s.Note),
		}
		if d := b.date(s.Collected); !d.IsZero() {
			sp.Collection = &fhir.SpecimenCollection{CollectedDateTime: d}
		}
		if request != nil {
			sp.Request = dr.BasedOn
		}
		specimens = append(specimens, sp)
		dr.Specimen = append(dr.Specimen, fhir.Reference{Reference: "Specimen/" + sp.ID})
	}
	for _, id := range inv.Results {
		if rx, ok := b.inID(id); ok && rx.k == kResult {
			dr.Result = append(dr.Result, fhir.Reference{Reference: b.ref(rx)})
		}
	}
	b.add(dr)
	if request != nil {
		b.add(request)
	}
	for _, sp := range specimens {
		b.add(sp)
	}
	// The results, groups before their members, in record order.
	var walk func(ids []string)
	walk = func(ids []string) {
		for _, id := range ids {
			rx, ok := b.inID(id)
			if !ok || rx.k != kResult || *b.flag(rx)&fEmitted != 0 {
				continue
			}
			b.emitItem(rx)
			walk(b.rec.TestResults[rx.i].Members)
		}
	}
	walk(inv.Results)
}

// specimenID is the logical id of a specimen of an investigation.
func (b *builder) specimenID(inv, s int32) string {
	return b.ids.get("Specimen", "\x00specimen\x00"+itoa(inv)+"\x00"+itoa(s), b.rec.Investigations[inv].Specimens[s].ID)
}

func (b *builder) reportCode(c record.Code) *fhir.CodeableConcept {
	out := coding(record.SNOMED, "721981007", "Diagnostic studies report")
	if own := b.code(c); own != nil {
		out.Coding = append(out.Coding, own.Coding...)
		out.Text = c.Text()
	}
	return out
}

// testResult renders a test group, result or filing comment as
// CareConnect-GPC-Observation-1: a result carries the laboratory
// category, its value, range and interpretation and its specimen; a
// filing comment is coded 37331000000100 "Comment note" unless recorded
// otherwise. Its performer is the report's laboratory, else its author.
func (b *builder) testResult(x loc) *fhir.Observation {
	t := &b.rec.TestResults[x.i]
	var inv *record.Investigation
	if ii, ok := b.report[t.ID]; ok {
		inv = &b.rec.Investigations[ii]
	}
	out := &fhir.Observation{
		ID:                b.id(x),
		Meta:              b.m.observation,
		Identifier:        b.identifier(t.ID),
		Status:            "unknown",
		Code:              b.code(t.Code),
		Subject:           b.patient,
		Context:           b.encounter(t.ID),
		EffectiveDateTime: b.date(t.Effective),
		Interpretation:    interpretation(t.Interpretation),
		Comment:           t.Comment,
		ReferenceRange:    referenceRange(t.Range),
	}
	performer := ""
	if inv != nil {
		out.Status = oneOf(inv.Status, "unknown", "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown")
		out.Issued = b.instantOf(inv.Issued)
		if out.Context == nil {
			out.Context = b.encounter(inv.ID)
		}
		performer = b.performer(inv.Performer)
	}
	if performer == "" {
		performer = b.actor(t.Author)
	}
	if performer != "" {
		out.Performer = []fhir.Reference{{Reference: performer}}
	}
	switch t.Kind {
	case record.ResultFilingComment:
		if out.Code == nil {
			out.Code = b.fx.commentNote
		}
	case record.ResultGroup:
		if out.Code == nil {
			out.Code = &fhir.CodeableConcept{Text: "Test group"}
		}
	default:
		out.Category = b.fx.laboratoryCategory
		if out.Code == nil {
			out.Code = &fhir.CodeableConcept{Text: "Test result"}
		}
	}
	b.setValue(out, t.Value, t.ValueText)
	if sr, ok := b.specimens[t.SpecimenID]; ok && t.SpecimenID != "" && b.in(loc{kInvestigation, sr.inv}) {
		out.Specimen = &fhir.Reference{Reference: "Specimen/" + b.specimenID(sr.inv, sr.s)}
	}
	for _, m := range t.Members {
		if mx, ok := b.inID(m); ok && mx.k == kResult {
			out.Related = append(out.Related, fhir.ObservationRelated{Type: "has-member", Target: b.refTo(b.ref(mx))})
		}
	}
	if p, ok := b.parent[t.ID]; ok {
		if px, ok := b.inID(p); ok && px.k == kResult {
			out.Related = append(out.Related, fhir.ObservationRelated{Type: "derived-from", Target: b.refTo(b.ref(px))})
		}
	}
	return out
}
