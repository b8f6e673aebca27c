package clienttest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// FakeProvider is another supplier's GP Connect provider as a consumer
// sees it: it speaks the protocol but serves fixed files.
type FakeProvider struct {
	Endpoint client.Endpoint

	mu       sync.Mutex
	searches []SlotSearch
}

// Searches returns the slot searches received so far, in order.
func (f *FakeProvider) Searches() []SlotSearch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]SlotSearch(nil), f.searches...)
}

// ThirdParty starts a fake GP Connect provider of another supplier that
// serves the NHS example payloads in dir (the GP Connect specification
// examples, ../shared/fixtures/gpconnect-spec-examples): GET
// [base]/metadata answers CapabilityPayload, and the n-th GET [base]/Slot
// answers payloads[n] (the last one repeating). Answers are sent as they
// are in the files, with content type ThirdPartyContentType.
//
// The fake checks that each request is a proper GP Connect request (a
// Bearer JWT of three parts whose header and claims are base64url JSON
// objects, Ssp-TraceID a UUID, Ssp-From present, Ssp-To ThirdPartyASID,
// Ssp-InteractionID that of the interaction, Accept FHIR JSON when sent)
// and that a slot search has status=free, _include=Slot:schedule, one
// start=ge… and one end=le… date or date-time, and searchFilter values of
// the form system|code for the ODS or organisation type system. A request
// that fails is reported with t.Errorf and answered 400 BAD_REQUEST with
// an OperationOutcome, as a real provider would. The JWT claims are not
// otherwise read.
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
	f := &FakeProvider{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var interaction string
		switch r.URL.Path {
		case ThirdPartyRoot + "/metadata":
			interaction = gpconnect.IDMetadata
		case ThirdPartyRoot + "/Slot":
			interaction = gpconnect.IDSearchSlots
		default:
			t.Errorf("third-party provider: unexpected request %s %s", r.Method, r.URL)
			outcome(w, http.StatusNotFound, "NO_RECORD_FOUND", "Not found", "no such path: "+r.URL.Path)
			return
		}
		faults := checkRequest(r, interaction)
		if interaction == gpconnect.IDSearchSlots {
			faults = append(faults, checkSlotQuery(r.URL.Query())...)
		}
		if len(faults) > 0 {
			t.Errorf("third-party provider: %s %s is not a proper GP Connect request:\n  %s", r.Method, r.URL, strings.Join(faults, "\n  "))
			outcome(w, http.StatusBadRequest, "BAD_REQUEST", "Bad request", strings.Join(faults, "; "))
			return
		}
		body := capability
		if interaction == gpconnect.IDSearchSlots {
			f.mu.Lock()
			n := len(f.searches)
			f.searches = append(f.searches, SlotSearch{Query: r.URL.Query(), Header: r.Header.Clone()})
			f.mu.Unlock()
			body = bodies[min(n, len(bodies)-1)]
		}
		w.Header().Set("Content-Type", ThirdPartyContentType)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	f.Endpoint = client.Endpoint{Base: srv.URL + ThirdPartyRoot, ASID: ThirdPartyASID}
	return f
}

// checkRequest returns what is wrong with the GP Connect headers of r.
func checkRequest(r *http.Request, interaction string) []string {
	var faults []string
	if r.Method != http.MethodGet {
		faults = append(faults, "method "+r.Method+", want GET")
	}
	h := r.Header
	if tok, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer "); !ok {
		faults = append(faults, fmt.Sprintf("Authorization %q is not a Bearer token", h.Get("Authorization")))
	} else if err := jwtShape(tok); err != nil {
		faults = append(faults, "Authorization: "+err.Error())
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
