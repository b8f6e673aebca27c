package structimport

import (
	"strings"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// classify works out the roles that depend on other resources:
//
//   - the consultation Lists;
//   - the Observations the Immunisations List names (immunisation status
//     records: consent, dissent, declined, contraindicated…);
//   - the Observations a DiagnosticReport reaches through result and then
//     has-member links: each is a filing comment (SNOMED 37331000000100
//     "Comment note"), a test group (it has members other than filing
//     comments) or a test result;
//   - the ProcedureRequests a DiagnosticReport is basedOn (the test
//     request, read into the Investigation rather than as a diary entry).
func (im *importer) classify() {
	var reports []*node
	for _, n := range im.nodes {
		switch r := n.r.(type) {
		case *fhir.List:
			switch {
			case hasCode(r.Code, record.SNOMED, listConsultation):
				im.lists.consultations = append(im.lists.consultations, n)
			case hasCode(r.Code, record.SNOMED, listImmunisations):
				for i := range r.Entry {
					if k, ok := im.refKey(r.Entry[i].Item, n.key); ok && im.byKey[k].typ == "Observation" {
						im.immStatus[k] = true
					}
				}
			}
		case *fhir.DiagnosticReport:
			reports = append(reports, n)
			for i := range r.BasedOn {
				if k, ok := im.refKey(&r.BasedOn[i], n.key); ok && im.byKey[k].typ == "ProcedureRequest" {
					im.drRequests[k] = true
				}
			}
		}
	}
	var queue []string
	for _, n := range reports {
		r := n.r.(*fhir.DiagnosticReport)
		for i := range r.Result {
			if k, ok := im.refKey(&r.Result[i], n.key); ok && im.byKey[k].typ == "Observation" {
				queue = append(queue, k)
			}
		}
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if _, seen := im.obsKind[k]; seen {
			continue
		}
		o := im.byKey[k].r.(*fhir.Observation)
		im.obsKind[k] = record.ResultValue
		for _, m := range im.members(im.byKey[k], o) {
			queue = append(queue, m)
		}
	}
	for k := range im.obsKind {
		n := im.byKey[k]
		o := n.r.(*fhir.Observation)
		switch {
		case isComment(o):
			im.obsKind[k] = record.ResultFilingComment
		default:
			for _, m := range im.members(n, o) {
				if !isComment(im.byKey[m].r.(*fhir.Observation)) {
					im.obsKind[k] = record.ResultGroup
					break
				}
			}
		}
	}
}

// members returns the keys of the Observations an Observation has as
// members (related type has-member), itself excepted.
func (im *importer) members(n *node, o *fhir.Observation) []string {
	var out []string
	for i := range o.Related {
		r := &o.Related[i]
		if r.Type != "has-member" {
			continue
		}
		if k, ok := im.refKey(r.Target, n.key); ok && k != n.key && im.byKey[k].typ == "Observation" {
			out = append(out, k)
		}
	}
	return out
}

// isComment reports whether an Observation is a comment note (a filing
// comment when in a report).
func isComment(o *fhir.Observation) bool { return hasCode(o.Code, record.SNOMED, conceptComment) }

// obsValue maps an Observation's (or component's) value[x]: a quantity, or
// text for the other kinds.
func obsValue(q *fhir.Quantity, cc *fhir.CodeableConcept, s string, b *bool, rng *fhir.Range,
	ratio *fhir.Ratio, dt fhir.DateTime, tm string, per *fhir.Period) (record.Quantity, string) {
	switch {
	case q != nil:
		return quantity(q), ""
	case cc != nil:
		return record.Quantity{}, ccText(cc)
	case s != "":
		return record.Quantity{}, s
	case b != nil:
		if *b {
			return record.Quantity{}, "true"
		}
		return record.Quantity{}, "false"
	case rng != nil:
		return record.Quantity{}, joinNonEmpty(" – ", qText(rng.Low), qText(rng.High))
	case ratio != nil:
		return record.Quantity{}, qText(ratio.Numerator) + " / " + qText(ratio.Denominator)
	case !dt.IsZero():
		return record.Quantity{}, dt.String()
	case tm != "":
		return record.Quantity{}, tm
	case per != nil:
		return record.Quantity{}, joinNonEmpty(" – ", per.Start.String(), per.End.String())
	}
	return record.Quantity{}, ""
}

func qText(q *fhir.Quantity) string {
	if q == nil {
		return ""
	}
	return strings.TrimSpace(q.Comparator + q.Value.String() + " " + q.Unit)
}

// observation maps an Observation by its role (classify): a TestResult, an
// Immunisation status record, or an uncategorised Observation.
func (im *importer) observation(n *node, o *fhir.Observation) {
	if im.aboutOther(n, o.Subject) {
		return
	}
	if o.Status == "entered-in-error" || o.Status == "cancelled" {
		im.skip(n, "Observation status is "+o.Status)
		return
	}
	if kind, ok := im.obsKind[n.key]; ok {
		im.testResult(n, o, kind)
		return
	}
	performer := im.performer(n, o.Performer)
	effective := im.date(n, "effectiveDateTime", o.EffectiveDateTime.String())
	if effective.IsZero() && o.EffectivePeriod != nil {
		effective = im.date(n, "effectivePeriod", periodStart(o.EffectivePeriod))
	}
	item := record.Item{
		ID:           im.ids[n.key],
		Recorded:     im.date(n, "issued", o.Issued.String()),
		Author:       performer,
		Confidential: confidential(o.Meta),
	}
	if im.immStatus[n.key] {
		x := record.Immunisation{
			Item:      item,
			Kind:      record.ImmunisationStatus,
			Status:    code(o.Code),
			Date:      effective,
			Performer: performer,
			Note:      o.Comment,
		}
		im.rec.Immunisations = append(im.rec.Immunisations, x)
		im.emit(n, x.ID)
		return
	}
	x := record.Observation{
		Item:           item,
		Code:           code(o.Code),
		Effective:      effective,
		Performer:      performer,
		Range:          referenceRange(o.ReferenceRange),
		Interpretation: interpretation(o.Interpretation),
		Comment:        o.Comment,
	}
	x.Value, x.ValueText = obsValue(o.ValueQuantity, o.ValueCodeableConcept, o.ValueString, o.ValueBoolean,
		o.ValueRange, o.ValueRatio, o.ValueDateTime, o.ValueTime, o.ValuePeriod)
	for _, c := range o.Component {
		comp := record.Component{Code: code(c.Code)}
		comp.Value, comp.Text = obsValue(c.ValueQuantity, c.ValueCodeableConcept, c.ValueString, nil,
			c.ValueRange, c.ValueRatio, c.ValueDateTime, c.ValueTime, c.ValuePeriod)
		x.Components = append(x.Components, comp)
	}
	if x.ValueText == "" && o.DataAbsentReason != nil {
		x.ValueText = ccText(o.DataAbsentReason)
	}
	im.rec.Observations = append(im.rec.Observations, x)
	im.emit(n, x.ID)
}

// performer maps the first performer of an Observation.
func (im *importer) performer(n *node, refs []fhir.Reference) record.Clinician {
	for i := range refs {
		if c := im.clinician(&refs[i], n); c != (record.Clinician{}) {
			return c
		}
	}
	return record.Clinician{}
}

// resultLinks are a TestResult's links, resolved once every item has its id.
type resultLinks struct {
	n        *node
	idx      int
	members  []string // Observation keys
	specimen *fhir.Reference
}

// testResult maps an Observation a DiagnosticReport reaches.
func (im *importer) testResult(n *node, o *fhir.Observation, kind record.ResultKind) {
	x := record.TestResult{
		Item: record.Item{
			ID:           im.ids[n.key],
			Recorded:     im.date(n, "issued", o.Issued.String()),
			Author:       im.performer(n, o.Performer),
			Confidential: confidential(o.Meta),
		},
		Kind:           kind,
		Code:           code(o.Code),
		Effective:      im.date(n, "effectiveDateTime", o.EffectiveDateTime.String()),
		Range:          referenceRange(o.ReferenceRange),
		Interpretation: interpretation(o.Interpretation),
		Comment:        o.Comment,
	}
	if x.Effective.IsZero() && o.EffectivePeriod != nil {
		x.Effective = im.date(n, "effectivePeriod", periodStart(o.EffectivePeriod))
	}
	x.Value, x.ValueText = obsValue(o.ValueQuantity, o.ValueCodeableConcept, o.ValueString, o.ValueBoolean,
		o.ValueRange, o.ValueRatio, o.ValueDateTime, o.ValueTime, o.ValuePeriod)
	if x.ValueText == "" && o.DataAbsentReason != nil {
		x.ValueText = ccText(o.DataAbsentReason)
	}
	if len(o.Component) > 0 {
		im.note(n, "%d component(s) of a test result left out: record.TestResult has no components", len(o.Component))
	}
	im.resultIdx[n.key] = len(im.rec.TestResults)
	im.resultLinks = append(im.resultLinks, resultLinks{n: n, idx: len(im.rec.TestResults), members: im.members(n, o), specimen: o.Specimen})
	im.rec.TestResults = append(im.rec.TestResults, x)
	im.emit(n, x.ID)
}

// immunization maps an Immunization: given, or not given (notGiven, with
// explanation.reasonNotGiven). The vaccine is the vaccineCode, or when it
// has no usable code (GP Connect senders often send the null flavour UNK)
// the VaccinationProcedure extension's code. Recorded is the DateRecorded
// extension; the performer is the administering practitioner (role AP,
// else the first), also taken as Author.
func (im *importer) immunization(n *node, r *fhir.Immunization) {
	if im.aboutOther(n, r.Patient) {
		return
	}
	if r.Status == "entered-in-error" {
		im.skip(n, "Immunization status is entered-in-error")
		return
	}
	x := record.Immunisation{
		Item: record.Item{
			ID:           im.ids[n.key],
			Confidential: confidential(r.Meta),
		},
		Kind:    record.ImmunisationGiven,
		Vaccine: code(r.VaccineCode),
		Date:    im.date(n, "date", r.Date.String()),
		Batch:   r.LotNumber,
		Site:    code(r.Site),
		Route:   code(r.Route),
		Note:    notes(r.Note),
	}
	if x.Vaccine.Code == "" {
		if e := ext(r.Extension, extVaccinationProc); e != nil && e.ValueCodeableConcept != nil {
			if c := code(e.ValueCodeableConcept); c.Code != "" {
				x.Vaccine = c
			}
		}
	}
	if e := ext(r.Extension, extDateRecorded); e != nil {
		x.Recorded = im.date(n, "date recorded", e.ValueDateTime.String())
	}
	if r.NotGiven != nil && *r.NotGiven {
		x.Kind = record.ImmunisationNotGiven
		if r.Explanation != nil && len(r.Explanation.ReasonNotGiven) > 0 {
			x.Reason = code(&r.Explanation.ReasonNotGiven[0])
		}
	}
	for _, p := range r.VaccinationProtocol {
		if p.DoseSequence != nil && *p.DoseSequence > 0 {
			x.Dose = *p.DoseSequence
			break
		}
	}
	var performer *fhir.Reference
	for i := range r.Practitioner {
		p := &r.Practitioner[i]
		if p.Role != nil && hasCodeValue(p.Role, "AP") {
			performer = p.Actor
			break
		}
		if performer == nil {
			performer = p.Actor
		}
	}
	x.Performer = im.clinician(performer, n)
	x.Author = x.Performer
	im.rec.Immunisations = append(im.rec.Immunisations, x)
	im.emit(n, x.ID)
}

// invLinks are an Investigation's results, resolved once every test result
// has its id.
type invLinks struct {
	n       *node
	idx     int
	results []fhir.Reference
}

// diagnosticReport maps a DiagnosticReport to an Investigation: code,
// issued (also Recorded), effective, status, its Specimens (each Specimen
// belongs to the first report that names it), its results (the test groups,
// results and filing comments it names), the requester of the
// ProcedureRequest it is basedOn, and as Performer the first performing
// HealthcareService's name, else the first Organization's ODS code, else its
// name.
func (im *importer) diagnosticReport(n *node, r *fhir.DiagnosticReport) {
	if im.aboutOther(n, r.Subject) {
		return
	}
	if r.Status == "entered-in-error" || r.Status == "cancelled" {
		im.skip(n, "DiagnosticReport status is "+r.Status)
		return
	}
	x := record.Investigation{
		Item: record.Item{
			ID:           im.ids[n.key],
			Recorded:     im.date(n, "issued", r.Issued.String()),
			Confidential: confidential(r.Meta),
		},
		Code:      code(r.Code),
		Issued:    im.date(n, "issued", r.Issued.String()),
		Effective: im.date(n, "effectiveDateTime", r.EffectiveDateTime.String()),
		Status:    r.Status,
	}
	if x.Effective.IsZero() && r.EffectivePeriod != nil {
		x.Effective = im.date(n, "effectivePeriod", periodStart(r.EffectivePeriod))
	}
	for i := range r.BasedOn {
		if p := im.resolve(&r.BasedOn[i], n.key); p != nil {
			if pr, ok := p.r.(*fhir.ProcedureRequest); ok {
				if pr.Requester != nil {
					x.Requester = im.clinician(pr.Requester.Agent, p)
				}
				im.read(p)
				break
			}
		}
	}
	var service, orgODS, orgName string
	for i := range r.Performer {
		p := im.resolve(r.Performer[i].Actor, n.key)
		if p == nil {
			continue
		}
		switch a := p.r.(type) {
		case *fhir.HealthcareService:
			if service == "" {
				service = a.Name
			}
		case *fhir.Organization:
			if orgODS == "" {
				orgODS = string(odsOf(a))
			}
			if orgName == "" {
				orgName = a.Name
			}
		}
	}
	x.Performer = service
	if x.Performer == "" {
		x.Performer = orgODS
	}
	if x.Performer == "" {
		x.Performer = orgName
	}
	for i := range r.Specimen {
		key, ok := im.refKey(&r.Specimen[i], n.key)
		if !ok {
			im.note(n, "specimen %s dropped: not in the Bundle", refName(key, &r.Specimen[i]))
			continue
		}
		sn := im.byKey[key]
		sp, isSpecimen := sn.r.(*fhir.Specimen)
		switch {
		case !isSpecimen:
			im.note(n, "specimen reference %s does not name a Specimen; dropped", key)
		case im.specimenOf[key] != "":
			im.note(n, "specimen %s already belongs to another report; not repeated", key)
		default:
			x.Specimens = append(x.Specimens, im.specimen(sn, sp))
			im.specimenOf[key] = im.ids[key]
		}
	}
	if r.Conclusion != "" {
		im.note(n, "conclusion %q left out: record.Investigation has no field for it", clip(r.Conclusion, 60))
	}
	im.invLinks = append(im.invLinks, invLinks{n: n, idx: len(im.rec.Investigations), results: r.Result})
	im.rec.Investigations = append(im.rec.Investigations, x)
	im.emit(n, x.ID)
}

// specimen maps a Specimen: type, collection time (or period start),
// received time, notes.
func (im *importer) specimen(n *node, s *fhir.Specimen) record.Specimen {
	im.read(n)
	x := record.Specimen{
		ID:       im.ids[n.key],
		Type:     code(s.Type),
		Received: im.date(n, "receivedTime", s.ReceivedTime.String()),
		Note:     notes(s.Note),
	}
	if c := s.Collection; c != nil {
		x.Collected = im.date(n, "collectedDateTime", c.CollectedDateTime.String())
		if x.Collected.IsZero() && c.CollectedPeriod != nil {
			x.Collected = im.date(n, "collectedPeriod", periodStart(c.CollectedPeriod))
		}
	}
	return x
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// resolveInvestigationLinks fills an Investigation's Results.
func (im *importer) resolveInvestigationLinks(l invLinks) {
	x := &im.rec.Investigations[l.idx]
	for i := range l.results {
		key, ok := im.refKey(&l.results[i], l.n.key)
		idx, isResult := im.resultIdx[key]
		if !ok || !isResult {
			im.note(l.n, "result %s dropped: %s", refName(key, &l.results[i]), im.why(key, ok))
			continue
		}
		id := im.rec.TestResults[idx].ID
		dup := false
		for _, r := range x.Results {
			dup = dup || r == id
		}
		if !dup {
			x.Results = append(x.Results, id)
		}
	}
}

// resolveResultLinks fills a TestResult's Members (its has-member
// Observations: a group's tests, or a result's filing comment) and its
// specimen (when one of the reports holds that Specimen).
func (im *importer) resolveResultLinks(l resultLinks) {
	x := &im.rec.TestResults[l.idx]
	for _, k := range l.members {
		idx, ok := im.resultIdx[k]
		if !ok {
			im.note(l.n, "member %s dropped: %s", k, im.why(k, true))
			continue
		}
		id := im.rec.TestResults[idx].ID
		dup := false
		for _, m := range x.Members {
			dup = dup || m == id
		}
		if !dup {
			x.Members = append(x.Members, id)
		}
	}
	if l.specimen != nil {
		key, ok := im.refKey(l.specimen, l.n.key)
		if id := im.specimenOf[key]; ok && id != "" {
			x.SpecimenID = id
		} else {
			im.note(l.n, "specimen %s dropped: no report of the record holds it", refName(key, l.specimen))
		}
	}
}

// resolveLinks resolves every link between items, now that all have ids.
func (im *importer) resolveLinks() {
	for _, l := range im.problemLinks {
		im.resolveProblemLinks(l)
	}
	for _, l := range im.invLinks {
		im.resolveInvestigationLinks(l)
	}
	for _, l := range im.resultLinks {
		im.resolveResultLinks(l)
	}
}
