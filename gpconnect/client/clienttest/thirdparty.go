package clienttest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
)

// ThirdPartyASID is the ASID the fake third-party provider answers to.
const ThirdPartyASID = "918999100001"

// ThirdPartyRoot is the fake third-party provider's service root path.
const ThirdPartyRoot = "/A00001/STU3/1/gpconnect"

// CapabilityPayload is the NHS example CapabilityStatement the fake
// third-party provider serves at [base]/metadata.
const CapabilityPayload = "foundations-get-capability-statement-response-payload-1.json"

// ThirdPartyContentType is the content type of the fake's answers.
const ThirdPartyContentType = "application/fhir+json;charset=utf-8"

// SlotSearch is a slot search the fake third-party provider received and
// accepted.
type SlotSearch struct {
	Query  url.Values
	Header http.Header
}

// Payloads of the NHS examples the fake third-party provider answers the
// patient and appointment interactions with (in the ThirdParty dir).
const (
	// FindPatientPayload answers a find-patient search for the NHS number
	// of its Patient; FindPatientEmptyPayload (an empty searchset) any other.
	FindPatientPayload      = "foundations-find-patient-response-payload-1a.json"
	FindPatientEmptyPayload = "foundations-find-patient-response-payload-1b.json"
	// RegisterPatientPayload answers $gpc.registerpatient (200).
	RegisterPatientPayload = "foundations-register-patient-response-payload-1.json"
	// BookPayload answers a booking (201).
	BookPayload = "appointments-book-appt-response-payload-1.json"
	// ReadPayload answers a read of its Appointment's id; other ids are 404
	// NO_RECORD_FOUND.
	ReadPayload = "appointments-read-appt-response-payload-1.json"
	// AmendPayload and CancelPayload answer an amend or a cancel of their
	// Appointment's id; other ids are 404 NO_RECORD_FOUND.
	AmendPayload  = "appointments-amend-appt-response-payload-1.json"
	CancelPayload = "appointments-cancel-appt-response-payload-1.json"
	// RetrievePayload answers a patient's appointments search for the
	// patient its Appointments name; RetrieveEmptyPayload any other.
	RetrievePayload      = "appointments-retrieve-patient-appts-response-payload-1a.json"
	RetrieveEmptyPayload = "appointments-retrieve-patient-appts-response-payload-1b.json"
)

// Request is a request the fake third-party provider received, accepted
// or not.
type Request struct {
	Method      string
	Path        string // relative to the service root, e.g. "/Appointment/9"
	RawQuery    string
	Header      http.Header
	Body        []byte
	Interaction string // the Ssp-InteractionID sent
	Scope       string // the JWT requested_scope sent
	Status      int    // the status answered
}

// FakeProvider is another supplier's GP Connect provider as a consumer
// sees it: it speaks the protocol but serves fixed files.
type FakeProvider struct {
	Endpoint client.Endpoint

	dir      string
	mu       sync.Mutex
	searches []SlotSearch
	requests []Request
	files    map[string][]byte
}

// Searches returns the slot searches received so far, in order.
func (f *FakeProvider) Searches() []SlotSearch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]SlotSearch(nil), f.searches...)
}

// Requests returns every request received so far, in order.
func (f *FakeProvider) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// file returns a payload of the fake's directory, read once.
func (f *FakeProvider) file(name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b, ok := f.files[name]; ok {
		return b, nil
	}
	b, err := os.ReadFile(filepath.Join(f.dir, name))
	if err != nil {
		return nil, err
	}
	f.files[name] = b
	return b, nil
}

// route is what the fake expects of a request to one path and method.
type route struct {
	interactions []string // the acceptable Ssp-InteractionIDs (one, or update and cancel)
	scope        string
	id           string // the logical id in the path
}

// routeOf maps a request to its route; ok is false for a path and
// method the fake does not serve.
func routeOf(method, path string) (rt route, ok bool) {
	rest, found := strings.CutPrefix(path, ThirdPartyRoot+"/")
	if !found {
		return rt, false
	}
	segs := strings.Split(rest, "/")
	switch {
	case method == http.MethodGet && rest == "metadata":
		return route{interactions: []string{gpconnect.IDMetadata}, scope: "organization/*.read"}, true
	case method == http.MethodGet && rest == "Slot":
		return route{interactions: []string{gpconnect.IDSearchSlots}, scope: "organization/*.read"}, true
	case method == http.MethodGet && rest == "Patient":
		return route{interactions: []string{gpconnect.IDSearchPatient}, scope: "patient/*.read"}, true
	case method == http.MethodPost && rest == "Patient/$gpc.registerpatient":
		return route{interactions: []string{gpconnect.IDRegisterPatient}, scope: "patient/*.write"}, true
	case method == http.MethodPost && rest == "Appointment":
		return route{interactions: []string{gpconnect.IDBookAppointment}, scope: "patient/*.write"}, true
	case method == http.MethodGet && len(segs) == 2 && segs[0] == "Appointment" && segs[1] != "":
		return route{interactions: []string{gpconnect.IDReadAppointment}, scope: "patient/*.read", id: segs[1]}, true
	case method == http.MethodPut && len(segs) == 2 && segs[0] == "Appointment" && segs[1] != "":
		return route{interactions: []string{gpconnect.IDAmendAppointment, gpconnect.IDCancelAppointment}, scope: "patient/*.write", id: segs[1]}, true
	case method == http.MethodGet && len(segs) == 3 && segs[0] == "Patient" && segs[1] != "" && segs[2] == "Appointment":
		return route{interactions: []string{gpconnect.IDPatientAppointments}, scope: "patient/*.read", id: segs[1]}, true
	}
	return rt, false
}

// ThirdParty starts a fake GP Connect provider of another supplier that
// serves the NHS example payloads in dir (the GP Connect specification
// examples, ../shared/fixtures/gpconnect-spec-examples): GET
// [base]/metadata answers CapabilityPayload, and the n-th GET [base]/Slot
// answers payloads[n] (the last one repeating). It also answers find
// patient (FindPatientPayload or FindPatientEmptyPayload), register
// patient (RegisterPatientPayload, 200), book (BookPayload, 201 with
// Location), read, amend and cancel appointment (ReadPayload, AmendPayload,
// CancelPayload, for the id of their Appointment; 404 NO_RECORD_FOUND
// otherwise) and a patient's appointments (RetrievePayload or
// RetrieveEmptyPayload); those payloads are read when first needed.
// Answers are sent as they are in the files, with content type
// ThirdPartyContentType and, for a single Appointment, the ETag of its
// meta.versionId.
//
// The fake checks that each request is a proper GP Connect request (a
// Bearer JWT of three parts whose header and claims are base64url JSON
// objects, the requested_scope claim that of the interaction, Ssp-TraceID
// a UUID, Ssp-From present, Ssp-To ThirdPartyASID, Ssp-InteractionID that
// of the verb and path, Accept FHIR JSON when sent); that a slot search
// has status=free, _include=Slot:schedule, one start=ge… and one end=le…
// date or date-time, and searchFilter values of the form system|code for
// the ODS or organisation type system; that a find-patient search has one
// identifier nhs-number|{10 digits}; that a patient's appointments search
// has exactly start=ge{date} and start=le{date}; that a POST or PUT body
// is FHIR JSON (Content-Type application/fhir+json) decoding as the
// resource of the interaction: Parameters with one registerPatient
// Patient; a new booked Appointment with slots, Patient and Location
// participants, times with a UK offset and the BookingOrganisation
// extension referencing a contained Organization; for amend and cancel an
// If-Match W/"…" header and the Appointment of the path, status booked
// without a cancellation reason (amend) or cancelled with one (cancel). A
// request that fails is reported with t.Errorf and answered 400
// BAD_REQUEST with an OperationOutcome, as a real provider would.
func ThirdParty(t testing.TB, dir string, payloads ...string) *FakeProvider {
	t.Helper()
	if len(payloads) == 0 {
		t.Fatal("clienttest.ThirdParty: no slot search payload")
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	capability := read(CapabilityPayload)
	bodies := make([][]byte, len(payloads))
	for i, p := range payloads {
		bodies[i] = read(p)
	}
	f := &FakeProvider{dir: dir, files: map[string][]byte{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		rec := Request{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, ThirdPartyRoot), RawQuery: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: body, Interaction: r.Header.Get("Ssp-InteractionID"), Scope: tokenScope(r.Header.Get("Authorization"))}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			rec.Status = sw.status
			f.mu.Lock()
			f.requests = append(f.requests, rec)
			f.mu.Unlock()
		}()
		w = sw
		rt, ok := routeOf(r.Method, r.URL.Path)
		if !ok {
			t.Errorf("third-party provider: unexpected request %s %s", r.Method, r.URL)
			outcome(w, http.StatusNotFound, "NO_RECORD_FOUND", "Not found", "no such path: "+r.URL.Path)
			return
		}
		interaction := rt.interactions[0]
		for _, in := range rt.interactions {
			if in == rec.Interaction {
				interaction = in
			}
		}
		faults := checkRequest(r, interaction, rt.scope)
		switch interaction {
		case gpconnect.IDSearchSlots:
			faults = append(faults, checkSlotQuery(r.URL.Query())...)
		case gpconnect.IDSearchPatient:
			faults = append(faults, checkPatientQuery(r.URL.Query())...)
		case gpconnect.IDPatientAppointments:
			faults = append(faults, checkAppointmentsQuery(r.URL.Query())...)
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPut {
			faults = append(faults, checkBody(r, body, interaction, rt.id)...)
		}
		if len(faults) > 0 {
			t.Errorf("third-party provider: %s %s is not a proper GP Connect request:\n  %s", r.Method, r.URL, strings.Join(faults, "\n  "))
			outcome(w, http.StatusBadRequest, "BAD_REQUEST", "Bad request", strings.Join(faults, "; "))
			return
		}
		switch interaction {
		case gpconnect.IDMetadata:
			send(w, http.StatusOK, capability, nil)
		case gpconnect.IDSearchSlots:
			f.mu.Lock()
			n := len(f.searches)
			f.searches = append(f.searches, SlotSearch{Query: r.URL.Query(), Header: r.Header.Clone()})
			f.mu.Unlock()
			send(w, http.StatusOK, bodies[min(n, len(bodies)-1)], nil)
		default:
			f.answer(t, w, r, interaction, rt.id)
		}
	}))
	t.Cleanup(srv.Close)
	f.Endpoint = client.Endpoint{Base: srv.URL + ThirdPartyRoot, ASID: ThirdPartyASID}
	return f
}

// answer serves the example payload of a patient or appointment interaction.
func (f *FakeProvider) answer(t testing.TB, w http.ResponseWriter, r *http.Request, interaction, id string) {
	load := func(name string) (map[string]any, []byte, bool) {
		b, err := f.file(name)
		var doc map[string]any
		if err == nil {
			err = json.Unmarshal(b, &doc)
		}
		if err != nil {
			t.Errorf("third-party provider: payload %s: %v", name, err)
			outcome(w, http.StatusNotImplemented, "NOT_IMPLEMENTED", "Not implemented", "payload "+name+" is not available")
			return nil, nil, false
		}
		return doc, b, true
	}
	switch interaction {
	case gpconnect.IDSearchPatient:
		doc, b, ok := load(FindPatientPayload)
		if !ok {
			return
		}
		_, nhs, _ := strings.Cut(r.URL.Query().Get("identifier"), "|")
		for _, res := range bundleResources(doc) {
			if res["resourceType"] == "Patient" && nhsNumberOf(res) == nhs {
				send(w, http.StatusOK, b, nil)
				return
			}
		}
		if _, b, ok = load(FindPatientEmptyPayload); ok {
			send(w, http.StatusOK, b, nil)
		}
	case gpconnect.IDRegisterPatient:
		if _, b, ok := load(RegisterPatientPayload); ok {
			send(w, http.StatusOK, b, nil)
		}
	case gpconnect.IDBookAppointment:
		doc, b, ok := load(BookPayload)
		if !ok {
			return
		}
		h := http.Header{}
		if v := versionOf(doc); v != "" {
			h.Set("ETag", `W/"`+v+`"`)
			h.Set("Location", "http://"+r.Host+ThirdPartyRoot+"/Appointment/"+str(doc["id"])+"/_history/"+v)
		}
		send(w, http.StatusCreated, b, h)
	case gpconnect.IDReadAppointment, gpconnect.IDAmendAppointment, gpconnect.IDCancelAppointment:
		name := map[string]string{gpconnect.IDReadAppointment: ReadPayload, gpconnect.IDAmendAppointment: AmendPayload,
			gpconnect.IDCancelAppointment: CancelPayload}[interaction]
		doc, b, ok := load(name)
		if !ok {
			return
		}
		if str(doc["id"]) != id {
			outcome(w, http.StatusNotFound, "NO_RECORD_FOUND", "No record found", "no appointment with id "+id)
			return
		}
		h := http.Header{}
		if v := versionOf(doc); v != "" {
			h.Set("ETag", `W/"`+v+`"`)
		}
		send(w, http.StatusOK, b, h)
	case gpconnect.IDPatientAppointments:
		doc, b, ok := load(RetrievePayload)
		if !ok {
			return
		}
		for _, res := range bundleResources(doc) {
			for _, p := range list(res["participant"]) {
				if str(obj(obj(p)["actor"])["reference"]) == "Patient/"+id {
					send(w, http.StatusOK, b, nil)
					return
				}
			}
		}
		if _, b, ok = load(RetrieveEmptyPayload); ok {
			send(w, http.StatusOK, b, nil)
		}
	}
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// send writes a payload as it is in its file.
func send(w http.ResponseWriter, status int, body []byte, h http.Header) {
	for k, vs := range h {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", ThirdPartyContentType)
	w.WriteHeader(status)
	w.Write(body)
}

// checkRequest returns what is wrong with the GP Connect headers of r for
// an interaction that needs scope.
func checkRequest(r *http.Request, interaction, scope string) []string {
	var faults []string
	h := r.Header
	if tok, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer "); !ok {
		faults = append(faults, fmt.Sprintf("Authorization %q is not a Bearer token", h.Get("Authorization")))
	} else if err := jwtShape(tok); err != nil {
		faults = append(faults, "Authorization: "+err.Error())
	} else if got := tokenScope(h.Get("Authorization")); got != scope {
		faults = append(faults, fmt.Sprintf("JWT requested_scope %q, want %s", got, scope))
	}
	if !isUUID(h.Get("Ssp-TraceID")) {
		faults = append(faults, fmt.Sprintf("Ssp-TraceID %q is not a UUID", h.Get("Ssp-TraceID")))
	}
	if h.Get("Ssp-From") == "" {
		faults = append(faults, "Ssp-From is missing")
	}
	if got := h.Get("Ssp-To"); got != ThirdPartyASID {
		faults = append(faults, fmt.Sprintf("Ssp-To %q, want %s", got, ThirdPartyASID))
	}
	if got := h.Get("Ssp-InteractionID"); got != interaction {
		faults = append(faults, fmt.Sprintf("Ssp-InteractionID %q, want %s", got, interaction))
	}
	if a := h.Get("Accept"); a != "" && !strings.HasPrefix(a, fhir.MIMEJSON) {
		faults = append(faults, fmt.Sprintf("Accept %q, want %s", a, fhir.MIMEJSON))
	}
	return faults
}

// tokenScope is the requested_scope claim of a Bearer JWT, or "".
func tokenScope(authorization string) string {
	tok, _ := strings.CutPrefix(authorization, "Bearer ")
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Scope string `json:"requested_scope"`
	}
	json.Unmarshal(b, &claims)
	return claims.Scope
}

// checkPatientQuery returns what is wrong with a find-patient query.
func checkPatientQuery(q url.Values) []string {
	var faults []string
	for name := range q {
		if name != "identifier" {
			faults = append(faults, fmt.Sprintf("unexpected parameter %q", name))
		}
	}
	ids := q["identifier"]
	if len(ids) != 1 {
		return append(faults, fmt.Sprintf("identifier %q, want one value", ids))
	}
	system, value, _ := strings.Cut(ids[0], "|")
	if system != fhir.SystemNHSNumber || len(value) != 10 || strings.Trim(value, "0123456789") != "" {
		faults = append(faults, fmt.Sprintf("identifier %q, want %s|{10 digits}", ids[0], fhir.SystemNHSNumber))
	}
	return faults
}

// checkAppointmentsQuery returns what is wrong with a patient's
// appointments query: exactly start=ge{date}&start=le{date}.
func checkAppointmentsQuery(q url.Values) []string {
	var faults []string
	for name := range q {
		if name != "start" {
			faults = append(faults, fmt.Sprintf("unexpected parameter %q", name))
		}
	}
	starts := q["start"]
	if len(starts) != 2 {
		return append(faults, fmt.Sprintf("start %q, want two values", starts))
	}
	seen := map[string]bool{}
	for _, s := range starts {
		if len(s) != 12 || (s[:2] != "ge" && s[:2] != "le") || seen[s[:2]] {
			faults = append(faults, fmt.Sprintf("start %q, want one ge{yyyy-mm-dd} and one le{yyyy-mm-dd}", s))
			continue
		}
		seen[s[:2]] = true
		if _, err := time.Parse(time.DateOnly, s[2:]); err != nil {
			faults = append(faults, fmt.Sprintf("start %q is not a date", s))
		}
	}
	return faults
}

// checkBody returns what is wrong with the body of a POST or PUT.
func checkBody(r *http.Request, body []byte, interaction, id string) []string {
	var faults []string
	ct := r.Header.Get("Content-Type")
	media, params, _ := strings.Cut(ct, ";")
	if media != fhir.MIMEJSON || (params != "" && !strings.EqualFold(params, "charset=utf-8")) {
		faults = append(faults, fmt.Sprintf("Content-Type %q, want %s;charset=utf-8", ct, fhir.MIMEJSON))
	}
	res, err := fhir.Unmarshal(fhir.JSON, body)
	if err != nil {
		return append(faults, "the body is not FHIR JSON: "+err.Error())
	}
	if interaction == gpconnect.IDRegisterPatient {
		return append(faults, checkRegisterBody(res)...)
	}
	a, ok := res.(*fhir.Appointment)
	if !ok {
		return append(faults, fmt.Sprintf("the body is a %s, want an Appointment", res.ResourceType()))
	}
	for name, t := range map[string]fhir.Instant{"start": a.Start, "end": a.End} {
		if t.IsZero() || t.IsZ() {
			faults = append(faults, fmt.Sprintf("Appointment.%s %q is not a UK local time with an offset", name, t))
		}
	}
	if len(a.Slot) == 0 || a.Description == "" || a.Created.IsZero() {
		faults = append(faults, "the Appointment needs slots, a description and created")
	}
	var patient, location bool
	for _, p := range a.Participant {
		if p.Actor != nil {
			patient = patient || strings.HasPrefix(p.Actor.Reference, "Patient/")
			location = location || strings.HasPrefix(p.Actor.Reference, "Location/")
		}
	}
	if !patient || !location {
		faults = append(faults, "the Appointment needs a Patient and a Location participant")
	}
	if !bookingOrganisationContained(a) {
		faults = append(faults, "the BookingOrganisation extension does not reference a contained Organization with an ODS code, name and telecom")
	}
	reason := ""
	for _, e := range a.Extension {
		if e.URL == fhir.ExtAppointmentCancellationReason {
			reason = e.ValueString
			if reason == "" {
				reason = " " // present but empty
			}
		}
	}
	switch interaction {
	case gpconnect.IDBookAppointment:
		if a.ID != "" || a.Status != "booked" || reason != "" {
			faults = append(faults, fmt.Sprintf("a new Appointment needs no id (got %q), status booked (got %q) and no cancellation reason", a.ID, a.Status))
		}
	case gpconnect.IDAmendAppointment, gpconnect.IDCancelAppointment:
		if im := r.Header.Get("If-Match"); !strings.HasPrefix(im, `W/"`) || !strings.HasSuffix(im, `"`) || len(im) < 5 {
			faults = append(faults, fmt.Sprintf("If-Match %q, want W/\"{versionId}\"", im))
		}
		if a.ID != id {
			faults = append(faults, fmt.Sprintf("Appointment.id %q, want %q of the path", a.ID, id))
		}
		if interaction == gpconnect.IDAmendAppointment && (a.Status != "booked" || reason != "") {
			faults = append(faults, fmt.Sprintf("an amendment keeps status booked (got %q) and has no cancellation reason", a.Status))
		}
		if interaction == gpconnect.IDCancelAppointment && (a.Status != "cancelled" || strings.TrimSpace(reason) == "") {
			faults = append(faults, fmt.Sprintf("a cancellation has status cancelled (got %q) and a cancellation reason", a.Status))
		}
	}
	return faults
}

// checkRegisterBody returns what is wrong with a $gpc.registerpatient body.
func checkRegisterBody(res fhir.Resource) []string {
	p, ok := res.(*fhir.Parameters)
	if !ok {
		return []string{fmt.Sprintf("the body is a %s, want Parameters", res.ResourceType())}
	}
	if len(p.Parameter) != 1 || p.Parameter[0].Name != "registerPatient" {
		return []string{"the Parameters must hold exactly one parameter, registerPatient"}
	}
	pt, ok := p.Parameter[0].Resource.(*fhir.Patient)
	if !ok {
		return []string{"registerPatient does not hold a Patient"}
	}
	var faults []string
	nhs := 0
	for _, id := range pt.Identifier {
		if id.System == fhir.SystemNHSNumber && len(id.Value) == 10 {
			nhs++
		}
	}
	if nhs != 1 {
		faults = append(faults, "the Patient needs one NHS number identifier")
	}
	if len(pt.Name) != 1 || pt.Name[0].Use != "official" || pt.Name[0].Family == "" || len(pt.Name[0].Given) == 0 {
		faults = append(faults, "the Patient needs one official name with family and given")
	}
	if pt.BirthDate.IsZero() {
		faults = append(faults, "the Patient needs a birth date")
	}
	if pt.ID != "" {
		faults = append(faults, "the Patient must not have an id")
	}
	return faults
}

func bookingOrganisationContained(a *fhir.Appointment) bool {
	for _, e := range a.Extension {
		if e.URL != fhir.ExtBookingOrganisation || e.ValueReference == nil {
			continue
		}
		want, ok := strings.CutPrefix(e.ValueReference.Reference, "#")
		if !ok {
			return false
		}
		for _, c := range a.Contained {
			if o, ok := c.(*fhir.Organization); ok && o.ID == want {
				ods := false
				for _, id := range o.Identifier {
					ods = ods || (id.System == fhir.SystemODSOrganization && id.Value != "")
				}
				return ods && o.Name != "" && len(o.Telecom) > 0
			}
		}
	}
	return false
}

// Helpers to walk example JSON.
func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any         { l, _ := v.([]any); return l }
func str(v any) string         { s, _ := v.(string); return s }

func bundleResources(doc map[string]any) []map[string]any {
	var out []map[string]any
	for _, e := range list(doc["entry"]) {
		if r := obj(obj(e)["resource"]); r != nil {
			out = append(out, r)
		}
	}
	return out
}

func nhsNumberOf(patient map[string]any) string {
	for _, id := range list(patient["identifier"]) {
		if str(obj(id)["system"]) == fhir.SystemNHSNumber {
			return str(obj(id)["value"])
		}
	}
	return ""
}

func versionOf(doc map[string]any) string { return str(obj(doc["meta"])["versionId"]) }

// checkSlotQuery returns what is wrong with a free-slot search query.
func checkSlotQuery(q url.Values) []string {
	var faults []string
	if got := q["status"]; len(got) != 1 || got[0] != "free" {
		faults = append(faults, fmt.Sprintf("status %q, want [free]", got))
	}
	hasSchedule := false
	for _, inc := range q["_include"] {
		hasSchedule = hasSchedule || inc == "Slot:schedule"
	}
	if !hasSchedule {
		faults = append(faults, fmt.Sprintf("_include %q lacks Slot:schedule", q["_include"]))
	}
	for _, p := range []struct{ name, prefix string }{{"start", "ge"}, {"end", "le"}} {
		vs := q[p.name]
		if len(vs) != 1 {
			faults = append(faults, fmt.Sprintf("%s %q, want one value", p.name, vs))
			continue
		}
		v, ok := strings.CutPrefix(vs[0], p.prefix)
		if !ok {
			faults = append(faults, fmt.Sprintf("%s %q lacks the %s prefix", p.name, vs[0], p.prefix))
			continue
		}
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				faults = append(faults, fmt.Sprintf("%s %q is neither a date nor a date-time", p.name, vs[0]))
			}
		}
	}
	for _, sf := range q["searchFilter"] {
		system, code, ok := strings.Cut(sf, "|")
		if !ok || code == "" || (system != fhir.SystemODSOrganization && system != fhir.CodeSystemOrganisationType) {
			faults = append(faults, fmt.Sprintf("searchFilter %q is not an ODS code or organisation type", sf))
		}
	}
	return faults
}

// jwtShape checks that tok is a JWT: three dot-separated parts whose first
// two are base64url-encoded JSON objects.
func jwtShape(tok string) error {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return fmt.Errorf("JWT has %d parts, want 3", len(parts))
	}
	for i, name := range []string{"header", "claims"} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		var obj map[string]any
		if err == nil {
			err = json.Unmarshal(b, &obj)
		}
		if err != nil {
			return fmt.Errorf("JWT %s is not a base64url JSON object: %v", name, err)
		}
	}
	return nil
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// outcome writes a GP Connect 1.2.x error.
func outcome(w http.ResponseWriter, status int, code, display, diagnostics string) {
	oo := map[string]any{
		"resourceType": "OperationOutcome",
		"meta":         map[string]any{"profile": []string{"https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"}},
		"issue": []any{map[string]any{
			"severity": "error", "code": "invalid", "diagnostics": diagnostics,
			"details": map[string]any{"coding": []any{map[string]any{
				"system": fhir.ValueSetSpineErrorOrWarningCode, "code": code, "display": display}}},
		}},
	}
	b, _ := json.Marshal(oo)
	w.Header().Set("Content-Type", ThirdPartyContentType)
	w.WriteHeader(status)
	w.Write(b)
}
