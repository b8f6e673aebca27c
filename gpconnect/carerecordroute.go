package gpconnect

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect/carerecord"
	"github.com/pcnhub/pcnhub/record"
)

// Access Record HTML 0.7 (§4) at /{ODS}/DSTU2/1/gpconnect: the DSTU2
// line, with its own content types (application/json+fhir,
// application/xml+fhir), identifier systems and OperationOutcome. The
// checks are the same as on the STU3 roots, in the same order; the
// section is rendered by package carerecord from the record's shareable
// part.

// HTMLRootPrefix is what follows the ODS code in an Access Record HTML
// service root.
const HTMLRootPrefix = "/DSTU2/1/gpconnect"

// Interaction ids of Access Record HTML 0.7 (no "-1" suffix, §1.5).
const (
	IDCareRecordMetadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata"
	IDGetCareRecord      = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord"
)

// CapHTML is the switch of Access Record HTML.
const CapHTML = "html"

// DeceasedShareDays is how long after death a record stays available on
// Access Record HTML (§4: configurable, 28 days by default).
const DeceasedShareDays = 28

var htmlInteractions = []interaction{
	{IDCareRecordMetadata, "GET", "metadata", scopeOrgRead, CapHTML, nil, ""},
	{IDGetCareRecord, "POST", "Patient/$gpc.getcarerecord", scopePatientRead, CapHTML, nil, ""},
}

// isHTMLPath reports whether a path is under an Access Record HTML root.
func isHTMLPath(path string) bool {
	_, rest, found := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return found && strings.HasPrefix("/"+rest, HTMLRootPrefix+"/")
}

// serveHTML answers a request under /{ODS}/DSTU2/1/gpconnect/.
func (p *Provider) serveHTML(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w.Header().Set("Cache-Control", "no-store")
	rq := &request{r: r, ctx: r.Context(), traceID: r.Header.Get("Ssp-TraceID")}
	format, ferr := negotiateDSTU2(r)
	body, err := p.careRecord(rq, format, ferr)
	if err != nil {
		p.writeHTMLError(w, rq, format, err)
	} else {
		p.send(w, r, http.StatusOK, format.ContentType(), &answer{body: body})
	}
	p.audit(rq, err)
	if p.Observe != nil {
		outcome, known := "ok", ""
		if err != nil {
			outcome, _, _ = classify(err)
		}
		if rq.interaction != nil {
			known = rq.interaction.id
		}
		p.Observe(known, outcome, time.Since(start))
	}
}

// careRecord runs the checks of §1.8 in order and then the interaction.
func (p *Provider) careRecord(rq *request, format carerecord.Format, formatErr error) ([]byte, error) {
	r := rq.r
	path := strings.TrimPrefix(r.URL.Path, "/")
	odsText, rest, _ := strings.Cut(path, "/")
	ods, err := pcnhub.ParseODSCode(odsText)
	if err != nil || string(ods) != odsText {
		return nil, spineError(SpineNoRecordFound, "%s is not a GP Connect service root", r.URL.Path)
	}
	rest = strings.TrimPrefix("/"+rest, HTMLRootPrefix+"/")
	var candidates []interaction
	pathKnown := false
	for _, in := range htmlInteractions {
		if in.path == rest {
			pathKnown = true
			if in.method == r.Method {
				candidates = append(candidates, in)
			}
		}
	}
	practice, globalOn, capOn, err := p.Store.GPConnectPractice(rq.ctx, ods, CapHTML)
	if err != nil || !practice.Hosted {
		if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			return nil, err
		}
		return nil, spineError(SpineOrganisationNotFound, "no GP Connect provider for organisation %s here", ods)
	}
	rq.practice = practice
	if !pathKnown {
		return nil, spineError(SpineNoRecordFound, "unknown path %s (paths are case-sensitive)", r.URL.Path)
	}
	if len(candidates) == 0 {
		return nil, spineError(SpineBadRequest, "%s is not allowed on %s", r.Method, r.URL.Path)
	}
	for _, h := range []string{"Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID"} {
		if strings.TrimSpace(r.Header.Get(h)) == "" {
			return nil, spineError(SpineBadRequest, "the %s header is missing", h)
		}
	}
	if to := r.Header.Get("Ssp-To"); practice.ASID == "" || to != string(practice.ASID) {
		return nil, spineError(SpineBadRequest, "Ssp-To %q is not the ASID of %s", to, ods)
	}
	if iid := r.Header.Get("Ssp-InteractionID"); iid != candidates[0].id {
		return nil, spineError(SpineBadRequest, "Ssp-InteractionID %q does not match %s %s", iid, r.Method, r.URL.Path)
	}
	rq.interaction = &candidates[0]
	maxFuture := p.MaxFutureIAT
	if maxFuture == 0 {
		maxFuture = defaultFutureIAT
	}
	if rq.claims, err = ParseTokenDSTU2(r.Header.Get("Authorization"), p.Clock.Now(), maxFuture); err != nil {
		return nil, err
	}
	var bodyFormat carerecord.Format
	if r.Method == http.MethodPost {
		ct := r.Header.Get("Content-Type")
		f, ok := carerecord.ParseFormat(ct)
		if !ok {
			return nil, spineError(SpineUnsupportedMediaType, "Content-Type %q is not supported: use application/json+fhir or application/xml+fhir", ct)
		}
		bodyFormat = f
	}
	if formatErr != nil {
		return nil, formatErr
	}
	if rq.claims.Scope != rq.interaction.scope {
		return nil, spineError(SpineBadRequest, "requested_scope %s does not allow this interaction (it needs %s)", rq.claims.Scope, rq.interaction.scope)
	}
	if rq.claims.Reason != "directcare" {
		return nil, spineError(SpineBadRequest, "reason_for_request must be directcare for this interaction")
	}
	if !globalOn {
		return nil, spineError(SpineAccessDenied, "%s has not enabled GP Connect", ods)
	}
	if !capOn {
		return nil, spineError(SpineAccessDenied, "%s has not enabled GP Connect Access Record HTML", ods)
	}
	if err := p.checkSharing(rq, ods, CapHTML); err != nil {
		return nil, err
	}
	if rq.interaction.id == IDCareRecordMetadata {
		return carerecord.Conformance(format, carerecord.Software{Name: p.SoftwareName, Version: p.SoftwareVersion, Release: p.SoftwareRelease},
			carerecord.Practice{ID: idOf(practice.ID), ODS: practice.ODS, Name: practice.Name})
	}
	return p.getCareRecord(rq, format, bodyFormat)
}

// getCareRecord answers $gpc.getcarerecord: one section of the record.
func (p *Provider) getCareRecord(rq *request, format, bodyFormat carerecord.Format) ([]byte, error) {
	body, err := readBody(rq.r)
	if err != nil {
		return nil, err
	}
	req, err := carerecord.ParseRequest(bodyFormat, body)
	if err != nil {
		return nil, fromCareRecord(err)
	}
	rq.patient = req.NHSNumber
	now := p.Clock.Now()
	today := pcnhub.DateOf(now.In(pcnhub.London))
	pt, rec, err := p.htmlPatient(rq, req.NHSNumber, today)
	if err != nil {
		return nil, err
	}
	shared, withheld := rec.Shareable()
	sub := carerecord.Subject{
		Patient: carerecord.Patient{ID: idOf(pt.ID), NHSNumber: pt.NHSNumber, Name: pt.Name, Gender: pt.Gender,
			BirthDate: pt.BirthDate, DeceasedDate: pt.DeceasedDate, Address: pt.Address},
		Practice: carerecord.Practice{ID: idOf(rq.practice.ID), ODS: rq.practice.ODS, Name: rq.practice.Name},
		Device:   carerecord.Device{Version: p.SoftwareVersion},
	}
	div, err := carerecord.Render(shared, withheld, req, sub, today)
	if err != nil {
		return nil, fromCareRecord(err)
	}
	out, err := carerecord.Response(format, req, sub, div, now)
	if err != nil {
		return nil, fromCareRecord(err)
	}
	return out, nil
}

// htmlPatient finds the patient of a care record request (§4): unknown,
// not GMS-registered here, sensitive, superseded, merged, not on the
// demographic register, or dead for longer than DeceasedShareDays (or
// not registered here when they died) → 404 PATIENT_NOT_FOUND; dissent →
// 403 NO_PATIENT_CONSENT.
func (p *Provider) htmlPatient(rq *request, nhs pcnhub.NHSNumber, today pcnhub.Date) (*pcnhub.Patient, *record.Record, error) {
	notFound := spineError(SpinePatientNotFound, "no patient with NHS number %s whose record %s can share", nhs, rq.practice.ODS)
	pt, err := p.Store.PatientByNHSNumber(rq.ctx, rq.practice.ID, nhs)
	if err != nil {
		if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			return nil, nil, err
		}
		return nil, nil, notFound
	}
	if pt.Sensitive || pt.Registration.Type != pcnhub.RegGMS || pt.SupersededBy != "" || pt.MergedInto != "" {
		return nil, nil, notFound
	}
	if pt.Deceased() {
		// Registered here at death (their registration ended no earlier)
		// and within the window.
		reg := pt.Registration
		atDeath := reg.End.IsZero() || !reg.End.Before(pt.DeceasedDate)
		if !atDeath || pt.DeceasedDate.AddDays(DeceasedShareDays).Before(today) {
			return nil, nil, notFound
		}
	} else if pt.Registration.Status != pcnhub.RegActive {
		return nil, nil, notFound
	}
	if _, err := p.Store.PersonByNHSNumber(rq.ctx, nhs); err != nil {
		if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			return nil, nil, err
		}
		return nil, nil, notFound
	}
	if pt.DissentFromSharing {
		return nil, nil, spineError(SpineNoPatientConsent, "the patient has dissented from sharing their record")
	}
	rec, err := p.patientRecord(rq.ctx, pt, rq.practice.ODS)
	return pt, rec, err
}

// fromCareRecord turns a carerecord error into the provider's own error
// carrying its Spine code; 500s stay internal (logged, never shown).
func fromCareRecord(err error) error {
	var e *carerecord.Error
	if !errors.As(err, &e) || e.Status >= 500 {
		return err
	}
	return spineError(e.Code, "%s", e.Diagnostics)
}

// writeHTMLError answers an error on the HTML root: a DSTU2
// OperationOutcome in the negotiated format (JSON when negotiation
// failed), with the status of the Spine code. Internal errors are logged
// and their text never leaves.
func (p *Provider) writeHTMLError(w http.ResponseWriter, rq *request, format carerecord.Format, err error) {
	spine, sc, diagnostics := classify(err)
	if sc.status >= 500 {
		p.Log.Error("gpconnect internal error", "interaction", interactionID(rq), "trace_id", rq.traceID, "err", err)
	}
	if spine == SpineUnsupportedMediaType {
		format = carerecord.JSON
	}
	body, merr := carerecord.OperationOutcome(format, &carerecord.Error{Status: sc.status, Code: spine, Display: sc.display,
		IssueCode: sc.issue, Diagnostics: diagnostics})
	if merr != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.send(w, rq.r, sc.status, format.ContentType(), &answer{body: body})
}

// negotiateDSTU2 chooses the response format of the HTML root as
// negotiate does for STU3 (§1.4), with the DSTU2 media types; _format
// also takes "json" and "xml".
func negotiateDSTU2(r *http.Request) (carerecord.Format, error) {
	unsupported := func(what, v string) error {
		return spineError(SpineUnsupportedMediaType, "%s %q is not supported: use application/json+fhir or application/xml+fhir", what, v)
	}
	parse := func(v string) (carerecord.Format, bool) {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "json":
			return carerecord.JSON, true
		case "xml":
			return carerecord.XML, true
		}
		return carerecord.ParseFormat(v)
	}
	if fs := r.URL.Query()["_format"]; len(fs) > 0 {
		f, ok := parse(fs[0])
		if !ok {
			return carerecord.JSON, unsupported("_format", fs[0])
		}
		return f, nil
	}
	if accept := r.Header.Get("Accept"); accept != "" {
		for _, part := range strings.Split(accept, ",") {
			if f, ok := parse(part); ok {
				return f, nil
			}
			if mt, _, _ := strings.Cut(strings.TrimSpace(part), ";"); mt == "*/*" {
				return carerecord.JSON, nil
			}
		}
		return carerecord.JSON, unsupported("Accept", accept)
	}
	if f, ok := parse(r.Header.Get("Content-Type")); ok {
		return f, nil
	}
	return carerecord.JSON, nil
}
