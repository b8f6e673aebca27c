// Package gpconnect is pcnhub's GP Connect provider: every hosted practice
// answers Foundations and Appointment Management 1.2.x at its own service
// root, /{ODS}/STU3/1/gpconnect. A request passes the checks of the
// specification in its order (§1.8): Ssp headers, Ssp-To against the
// practice's ASID, the interaction id against verb and path, the JWT,
// Content-Type, Accept / _format, the JWT scope, the practice's enablement
// switches; then the interaction's handler runs. Every call, failures
// included, is audited; every error is an OperationOutcome written by
// writeError, the one place that turns errors into answers.
package gpconnect

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/spine"
)

// Interaction ids of Foundations and Appointment Management 1.2.x (§1.5).
const (
	IDMetadata            = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"
	IDReadPatient         = "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1"
	IDSearchPatient       = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1"
	IDReadPractitioner    = "urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1"
	IDSearchPractitioner  = "urn:nhs:names:services:gpconnect:fhir:rest:search:practitioner-1"
	IDReadOrganization    = "urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1"
	IDSearchOrganization  = "urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1"
	IDReadLocation        = "urn:nhs:names:services:gpconnect:fhir:rest:read:location-1"
	IDRegisterPatient     = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1"
	IDSearchSlots         = "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1"
	IDReadAppointment     = "urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1"
	IDBookAppointment     = "urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1"
	IDAmendAppointment    = "urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1"
	IDCancelAppointment   = "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1"
	IDPatientAppointments = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1"
)

// Capabilities a practice switches on and off (§6 enablement). Global is
// GP Connect as a whole; each other capability also needs Global.
const (
	CapGlobal       = "gpconnect"
	CapAppointments = "appointments"
	CapStructured   = "structured" // Access Record Structured
)

// Scopes of the JWT requested_scope claim.
const (
	scopePatientRead  = "patient/*.read"
	scopePatientWrite = "patient/*.write"
	scopeOrgRead      = "organization/*.read"
)

// interaction is one row of §1.5: verb, path pattern (relative to the
// service root; "{id}" matches a logical id), its scope, the capability
// it belongs to and its handler.
type interaction struct {
	id         string
	method     string
	path       string
	scope      string
	capability string
	handle     func(p *Provider, rq *request) (*response, error)
	// reason is the JWT reason_for_request the interaction needs;
	// "" means directcare.
	reason string
}

var interactions = []interaction{
	{IDMetadata, "GET", "metadata", scopeOrgRead, CapGlobal, (*Provider).metadata, ""},
	{IDReadPatient, "GET", "Patient/{id}", scopePatientRead, CapGlobal, (*Provider).readPatient, ""},
	{IDSearchPatient, "GET", "Patient", scopePatientRead, CapGlobal, (*Provider).searchPatient, ""},
	{IDRegisterPatient, "POST", "Patient/$gpc.registerpatient", scopePatientWrite, CapGlobal, (*Provider).registerPatient, ""},
	{IDReadPractitioner, "GET", "Practitioner/{id}", scopeOrgRead, CapGlobal, (*Provider).readPractitioner, ""},
	{IDSearchPractitioner, "GET", "Practitioner", scopeOrgRead, CapGlobal, (*Provider).searchPractitioner, ""},
	{IDReadOrganization, "GET", "Organization/{id}", scopeOrgRead, CapGlobal, (*Provider).readOrganization, ""},
	{IDSearchOrganization, "GET", "Organization", scopeOrgRead, CapGlobal, (*Provider).searchOrganization, ""},
	{IDReadLocation, "GET", "Location/{id}", scopeOrgRead, CapGlobal, (*Provider).readLocation, ""},
	{IDSearchSlots, "GET", "Slot", scopeOrgRead, CapAppointments, (*Provider).searchSlots, ""},
	{IDReadAppointment, "GET", "Appointment/{id}", scopePatientRead, CapAppointments, (*Provider).readAppointment, ""},
	{IDBookAppointment, "POST", "Appointment", scopePatientWrite, CapAppointments, (*Provider).bookAppointment, ""},
	{IDAmendAppointment, "PUT", "Appointment/{id}", scopePatientWrite, CapAppointments, (*Provider).amendAppointment, ""},
	{IDCancelAppointment, "PUT", "Appointment/{id}", scopePatientWrite, CapAppointments, (*Provider).cancelAppointment, ""},
	{IDPatientAppointments, "GET", "Patient/{id}/Appointment", scopePatientRead, CapAppointments, (*Provider).patientAppointments, ""},

	{IDStructuredMetadata, "GET", structuredRoot + "metadata", scopeOrgRead, CapStructured, (*Provider).structuredMetadata, ""},
	{IDGetStructuredRecord, "POST", structuredRoot + "Patient/$gpc.getstructuredrecord", scopePatientRead, CapStructured, (*Provider).getStructuredRecord, ""},
	// Migration ignores the Structured switches (§3.3): it needs GP
	// Connect on, and the patient's registration, not an agreement.
	{IDMigrateStructuredRecord, "POST", structuredRoot + "Patient/$gpc.migratestructuredrecord", scopePatientRead, CapGlobal, (*Provider).migrateStructuredRecord, "migration"},
}

// RootPrefix is what follows the ODS code in a service root.
const RootPrefix = "/STU3/1/gpconnect"

// Provider serves GP Connect for every hosted practice.
type Provider struct {
	Store Store
	Clock pcnhub.Clock
	Log   *slog.Logger
	// MaxFutureIAT is how far in the future a token's iat may be
	// (clock skew; the reference implementation allows 600 s).
	MaxFutureIAT time.Duration
	// Software names this system in the CapabilityStatement.
	SoftwareName, SoftwareVersion string
	SoftwareRelease               time.Time
	// BaseURL is the scheme and host of absolute URLs (Location headers),
	// e.g. "https://pcnhub.example.nhs.uk"; when empty it is taken from the request.
	BaseURL string
	// SearchCacheBytes bounds the memory of rendered slot-search answers
	// (0: 64 MB; negative: no cache).
	SearchCacheBytes int
	cacheOnce        sync.Once
	cache            *answerCache

	// RecordFallback, when set, gives the clinical record of a patient
	// with none stored (a synthetic data set that generates records on
	// read); without it such a patient has an empty record.
	RecordFallback func(ods pcnhub.ODSCode, pt *pcnhub.Patient) *record.Record

	// Observe, when set, is told of every answered call: the interaction
	// id ("" when the request named none we know), the outcome ("ok" or
	// the Spine code) and the time taken. Metrics hang here.
	Observe func(interaction, outcome string, elapsed time.Duration)
}

// request is one GP Connect call on its way through the checks.
type request struct {
	r           *http.Request
	ctx         context.Context
	practice    *pcnhub.Organisation
	interaction *interaction
	params      map[string]string // path parameters ("id")
	claims      *Claims
	format      fhir.Format // of the response
	traceID     string
	base        string           // absolute service root URL
	patient     pcnhub.NHSNumber // the patient concerned, for the audit trail
}

// response is what a handler answers: a resource to encode, or an
// answer already encoded in the negotiated format.
type response struct {
	status   int
	resource fhir.Resource
	encoded  *answer
	etag     string // version id, written as W/"…"
	location string // absolute URL of a created resource
	modified time.Time
}

// ServeHTTP answers a request under /{ODS}/STU3/1/gpconnect/ (Foundations,
// Appointment Management and, under structured/, Access Record
// Structured) or /{ODS}/DSTU2/1/gpconnect/ (Access Record HTML).
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isHTMLPath(r.URL.Path) {
		p.serveHTML(w, r)
		return
	}
	start := time.Now()
	w.Header().Set("Cache-Control", "no-store")
	rq := &request{r: r, ctx: r.Context(), traceID: r.Header.Get("Ssp-TraceID")}
	format, ferr := negotiate(r)
	rq.format = format
	resp, err := p.serve(rq, ferr)
	if err != nil {
		p.writeError(w, rq, err)
	} else {
		p.write(w, rq, resp)
	}
	p.done(rq, err, start)
}

// done audits an answered call and tells Observe of it.
func (p *Provider) done(rq *request, err error, start time.Time) {
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

// serve runs the checks in the specification's order, then the handler.
func (p *Provider) serve(rq *request, formatErr error) (*response, error) {
	if err := p.route(rq, stu3Line, formatErr); err != nil {
		return nil, err
	}
	return rq.interaction.handle(p, rq)
}

// line is what differs between the STU3 roots and the DSTU2 (Access
// Record HTML) root in the checks every request passes.
type line struct {
	root       string        // what follows the ODS code in a service root
	table      []interaction // the interactions under that root
	parseToken func(authorization string, now time.Time, maxFuture time.Duration) (*Claims, error)
	bodyFormat func(r *http.Request) error // the Content-Type of a POST or PUT body
}

var stu3Line = line{
	root:       RootPrefix,
	table:      interactions,
	parseToken: ParseToken,
	bodyFormat: func(r *http.Request) error { _, err := bodyFormat(r); return err },
}

// route finds the practice and the interaction of a request under one of
// l's service roots and runs the checks of §1.8 in order: the root and
// the practice, the path and verb, the Ssp headers, Ssp-To against the
// practice's ASID, the interaction id among the candidates for the verb
// and path, the token, the body's Content-Type, the response format
// (formatErr from negotiation), the scope and the reason for request, the
// practice's switches, and the data sharing agreement. It fills in
// rq.practice, rq.base, rq.params, rq.interaction and rq.claims.
func (p *Provider) route(rq *request, l line, formatErr error) error {
	r := rq.r
	ods, rest, ok := splitRoot(r.URL.Path, l.root)
	if !ok {
		return spineError(SpineNoRecordFound, "%s is not a GP Connect service root", r.URL.Path)
	}
	candidates, params, pathKnown := match(r.Method, rest, l.table)
	capability := CapGlobal
	if len(candidates) > 0 {
		capability = candidates[0].capability // interactions sharing a path share a capability
	}
	practice, globalOn, capOn, err := p.Store.GPConnectPractice(rq.ctx, ods, capability)
	if err != nil || !practice.Hosted {
		if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			return err
		}
		return spineError(SpineOrganisationNotFound, "no GP Connect provider for organisation %s here", ods)
	}
	rq.practice = practice
	rq.base = p.baseURL(r) + "/" + string(ods) + l.root
	if !pathKnown {
		return spineError(SpineNoRecordFound, "unknown path %s (paths are case-sensitive)", r.URL.Path)
	}
	if len(candidates) == 0 {
		return spineError(SpineBadRequest, "%s is not allowed on %s", r.Method, r.URL.Path)
	}
	rq.params = params

	for _, h := range []string{"Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID"} {
		if strings.TrimSpace(r.Header.Get(h)) == "" {
			return spineError(SpineBadRequest, "the %s header is missing", h)
		}
	}
	if to := r.Header.Get("Ssp-To"); practice.ASID == "" || to != string(practice.ASID) {
		return spineError(SpineBadRequest, "Ssp-To %q is not the ASID of %s", to, ods)
	}
	iid := r.Header.Get("Ssp-InteractionID")
	for i := range candidates {
		if candidates[i].id == iid {
			rq.interaction = &candidates[i]
		}
	}
	if rq.interaction == nil {
		return spineError(SpineBadRequest, "Ssp-InteractionID %q does not match %s %s", iid, r.Method, r.URL.Path)
	}

	// The token, then the formats, then the scope.
	maxFuture := p.MaxFutureIAT
	if maxFuture == 0 {
		maxFuture = defaultFutureIAT
	}
	if rq.claims, err = l.parseToken(r.Header.Get("Authorization"), p.Clock.Now(), maxFuture); err != nil {
		return err
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		if err := l.bodyFormat(r); err != nil {
			return err
		}
	}
	if formatErr != nil {
		return formatErr
	}
	if rq.claims.Scope != rq.interaction.scope {
		return spineError(SpineBadRequest, "requested_scope %s does not allow this interaction (it needs %s)", rq.claims.Scope, rq.interaction.scope)
	}
	reason := rq.interaction.reason
	if reason == "" {
		reason = "directcare"
	}
	if rq.claims.Reason != reason {
		return spineError(SpineBadRequest, "reason_for_request must be %s for this interaction", reason)
	}

	// The practice's switches.
	if !globalOn {
		return spineError(SpineAccessDenied, "%s has not enabled GP Connect", ods)
	}
	if !capOn {
		return spineError(SpineAccessDenied, "%s has not enabled GP Connect %s", ods, capabilityName(capability))
	}
	return p.checkSharing(rq, ods, capability)
}

// checkSharing is the data sharing agreement check the Spine Secure Proxy
// makes, made here before any data leaves: the requesting organisation
// needs an agreement in force with the practice covering the interaction
// — appointments for Appointment Management, any for the other
// Foundations interactions; the CapabilityStatement needs none. A refusal
// is 403 NO_ORGANISATIONAL_CONSENT (and is audited like every answer).
func (p *Provider) checkSharing(rq *request, ods pcnhub.ODSCode, capability string) error {
	switch rq.interaction.id {
	case IDMetadata, IDStructuredMetadata, IDCareRecordMetadata:
		return nil
	}
	// The Spine Secure Proxy ties Ssp-From to the sending organisation;
	// without it in front, this is where a consumer claiming another
	// organisation (the practice itself, say) is caught.
	consumer := rq.claims.OrganisationODS
	from := rq.r.Header.Get("Ssp-From")
	known, err := p.Store.OrganisationByODS(rq.ctx, consumer)
	switch {
	case err == nil && known.ASID != "" && string(known.ASID) != from:
		return spineError(SpineAccessDenied, "Ssp-From %s is not the ASID of the requesting organisation %s", from, consumer)
	case err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND:
		return err
	case consumer == ods:
		return nil
	case rq.interaction.id == IDMigrateStructuredRecord:
		return nil // the patient's registration decides (migrateStructuredRecord)
	}
	today := pcnhub.DateOf(p.Clock.Now().In(pcnhub.London))
	shared, err := p.Store.SharingCapabilities(rq.ctx, ods, consumer, today)
	if err != nil {
		return err
	}
	switch capability {
	case CapAppointments:
		if slices.Contains(shared, spine.Appointments) {
			return nil
		}
		return spineError(SpineNoOrganisationalConsent, "%s has no data sharing agreement in force with %s for appointments", ods, consumer)
	case CapStructured, CapHTML:
		if slices.Contains(shared, spine.CareRecord) {
			return nil
		}
		return spineError(SpineNoOrganisationalConsent, "%s has no data sharing agreement in force with %s for the care record", ods, consumer)
	default:
		if len(shared) > 0 {
			return nil
		}
		return spineError(SpineNoOrganisationalConsent, "%s has no data sharing agreement in force with %s", ods, consumer)
	}
}

func capabilityName(c string) string {
	switch c {
	case CapGlobal:
		return ""
	case CapStructured:
		return "Access Record Structured"
	case CapHTML:
		return "Access Record HTML"
	}
	return strings.ToUpper(c[:1]) + c[1:]
}

// splitRoot splits "/{ODS}{root}/rest" (root e.g. "/STU3/1/gpconnect")
// into the ODS code and "rest". ok is false when the path is not under
// such a service root.
func splitRoot(path, root string) (pcnhub.ODSCode, string, bool) {
	path = strings.TrimPrefix(path, "/")
	ods, rest, found := strings.Cut(path, "/")
	if !found {
		return "", "", false
	}
	code, err := pcnhub.ParseODSCode(ods)
	if err != nil || string(code) != ods {
		return "", "", false
	}
	rest, ok := strings.CutPrefix("/"+rest, root+"/")
	return code, rest, ok
}

// match finds the interactions of table whose pattern fits the path, and
// those of them allowed for the method. pathKnown is false when no pattern
// fits.
func match(method, rest string, table []interaction) (allowed []interaction, params map[string]string, pathKnown bool) {
	segs := strings.Split(rest, "/")
	for _, in := range table {
		pat := strings.Split(in.path, "/")
		if len(pat) != len(segs) {
			continue
		}
		ps := map[string]string{}
		fits := true
		for i := range pat {
			if pat[i] == "{id}" {
				if !validID(segs[i]) {
					fits = false
					break
				}
				ps["id"] = segs[i]
			} else if pat[i] != segs[i] {
				fits = false
				break
			}
		}
		if !fits {
			continue
		}
		pathKnown = true
		if in.method == method {
			allowed, params = append(allowed, in), ps
		}
	}
	return allowed, params, pathKnown
}

// validID reports whether s is a FHIR logical id: [A-Za-z0-9\-\.]{1,64}.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func (p *Provider) baseURL(r *http.Request) string {
	if p.BaseURL != "" {
		return strings.TrimSuffix(p.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// write sends a handler's response: status, ETag, Location, the body in
// the negotiated format unless Prefer: return=minimal, gzip when accepted.
func (p *Provider) write(w http.ResponseWriter, rq *request, resp *response) {
	h := w.Header()
	if resp.etag != "" {
		h.Set("ETag", `W/"`+resp.etag+`"`)
	}
	if resp.location != "" {
		h.Set("Location", resp.location)
	}
	if !resp.modified.IsZero() {
		h.Set("Last-Modified", resp.modified.UTC().Format(http.TimeFormat))
	}
	status := resp.status
	if status == 0 {
		status = http.StatusOK
	}
	minimal := strings.Contains(rq.r.Header.Get("Prefer"), "return=minimal") &&
		(rq.r.Method == http.MethodPost || rq.r.Method == http.MethodPut)
	if (resp.resource == nil && resp.encoded == nil) || minimal {
		w.WriteHeader(status)
		return
	}
	a := resp.encoded
	if a == nil {
		body, err := fhir.Marshal(rq.format, resp.resource)
		if err != nil {
			p.writeError(w, rq, fmt.Errorf("encode %s: %w", resp.resource.ResourceType(), err))
			return
		}
		a = &answer{body: body}
	}
	p.send(w, rq.r, status, contentType(rq.format), a)
}

// answers returns the slot-search answer cache.
func (p *Provider) answers() *answerCache {
	p.cacheOnce.Do(func() {
		budget := p.SearchCacheBytes
		switch {
		case budget == 0:
			budget = 64 << 20
		case budget < 0:
			budget = 0 // every answer is too large to keep
		}
		p.cache = newAnswerCache(budget)
	})
	return p.cache
}

// writeError is the one place that turns an error into an answer: an
// OperationOutcome with the Spine code, in the negotiated format (JSON
// when negotiation itself failed). Internal errors are logged, and their
// text never leaves.
func (p *Provider) writeError(w http.ResponseWriter, rq *request, err error) {
	spine, sc, diagnostics := classify(err)
	if sc.status >= 500 {
		p.Log.Error("gpconnect internal error", "interaction", interactionID(rq), "trace_id", rq.traceID, "err", err)
	}
	format := rq.format
	if spine == SpineUnsupportedMediaType {
		format = fhir.JSON
	}
	system := SpineSystem
	if strings.Contains(rq.r.URL.Path, RootPrefix+"/"+structuredRoot) {
		system = fhir.CodeSystemSpineErrorOrWarningCode // the 1.5+ pages name the CodeSystem
	}
	oo := fhir.NewOperationOutcome("error", sc.issue, system, spine, sc.display, diagnostics)
	body, merr := fhir.Marshal(format, oo)
	if merr != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Del("ETag")
	w.Header().Del("Location")
	p.send(w, rq.r, sc.status, contentType(format), &answer{body: body})
}

// SpineSystem is the coding system of Spine error codes on the 1.2.x
// service root (the 1.2.x pages name the ValueSet URL; 1.5+ the CodeSystem).
const SpineSystem = fhir.ValueSetSpineErrorOrWarningCode

// send writes a body, gzipped when the client accepts gzip.
func (p *Provider) send(w http.ResponseWriter, r *http.Request, status int, ctype string, a *answer) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Add("Vary", "Accept-Encoding")
	body := a.body
	if acceptsGzip(r) && len(body) > 0 {
		h.Set("Content-Encoding", "gzip")
		body = a.gzipped()
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && !strings.Contains(strings.ReplaceAll(q, " ", ""), "q=0") {
			return true
		}
	}
	return false
}

func interactionID(rq *request) string {
	if rq.interaction != nil {
		return rq.interaction.id
	}
	return rq.r.Header.Get("Ssp-InteractionID")
}

// audit records the call: time, trace id, interaction, requesting
// organisation, practitioner and device from the token, the patient, and
// the outcome (ok or the Spine code). It cannot be switched off.
func (p *Provider) audit(rq *request, err error) {
	e := &pcnhub.AuditEvent{
		TraceID: rq.traceID,
		Action:  interactionID(rq),
		Actor:   "asid:" + rq.r.Header.Get("Ssp-From"),
		Outcome: "ok",
	}
	if e.Action == "" {
		e.Action = "gpconnect:" + rq.r.Method
	}
	if rq.practice != nil {
		e.OrgODS = rq.practice.ODS
	}
	if c := rq.claims; c != nil {
		e.RequesterODS, e.Practitioner = c.OrganisationODS, c.PractitionerSDSUserID
		e.Device = c.DeviceSystem + "|" + c.DeviceValue
	}
	e.NHSNumber = rq.patient
	if err != nil {
		e.Outcome, _, _ = classify(err)
	}
	if aerr := p.Store.AppendAudit(context.WithoutCancel(rq.ctx), e); aerr != nil {
		p.Log.Error("gpconnect audit failed", "trace_id", rq.traceID, "err", aerr)
	}
}

// readBody reads a request body of at most 1 MB (the FHIR string limit).
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		return nil, spineError(SpineBadRequest, "the request body could not be read")
	}
	if len(b) > 1<<20 {
		return nil, spineError(SpineInvalidResource, "the request body is larger than 1 MB")
	}
	return b, nil
}
