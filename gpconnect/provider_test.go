package gpconnect_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

var ctx = context.Background()

// testNow is the fixed "now" of the provider tests: a Tuesday in winter.
var testNow = time.Date(2026, 11, 24, 9, 0, 0, 0, pcnhub.London)

const providerASID = "918999198738"

// env is a provider on a real HTTP server over a store holding the
// assurance data, with GP Connect enabled at ORG1 (B82617).
type env struct {
	t     testing.TB
	store *sqlstore.Store
	srv   *httptest.Server
	org1  *pcnhub.Organisation
}

func newEnv(t testing.TB, engine string) *env {
	t.Helper()
	clock := pcnhub.FixedClock(testNow)
	s := sqltest.Open(t, engine, clock)
	if _, err := s.LoadDataset(ctx, assurance.Dataset(), "test"); err != nil {
		t.Fatal(err)
	}
	org1, err := s.OrganisationByODS(ctx, assurance.ORG1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{gpconnect.CapGlobal, gpconnect.CapAppointments} {
		if err := s.SetGPConnectEnabled(ctx, org1.ID, c, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	p := &gpconnect.Provider{Store: s, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SoftwareName: "pcnhub", SoftwareVersion: "test", SoftwareRelease: testNow}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return &env{t: t, store: s, srv: srv, org1: org1}
}

// call is one GP Connect request with the assurance identity.
type call struct {
	method, path, interaction, scope string
	body                             []byte
	header                           map[string]string // overrides; "" deletes
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) do(c call) *result {
	e.t.Helper()
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, e.srv.URL+c.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	scope := c.scope
	if scope == "" {
		scope = "organization/*.read"
	}
	h := map[string]string{
		"Ssp-TraceID": "09a01679-2564-0fb4-5129-aecc81ea2706", "Ssp-From": "200000000359", "Ssp-To": providerASID,
		"Ssp-InteractionID": c.interaction, "Authorization": token(scope), "Accept": fhir.MIMEJSON,
	}
	if c.body != nil {
		h["Content-Type"] = fhir.MIMEJSON + ";charset=utf-8"
	}
	for k, v := range c.header {
		h[k] = v
	}
	for k, v := range h {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	tr := &http.Transport{DisableCompression: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			e.t.Fatalf("bad gzip: %v", err)
		}
		b, _ = io.ReadAll(zr)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		e.t.Errorf("%s %s: Cache-Control %q, want no-store", c.method, c.path, cc)
	}
	return &result{status: resp.StatusCode, header: resp.Header, body: b}
}

// token is the assurance default JWT (assurance.md Part B) for a scope.
func token(scope string) string { return gpctest.Token(scope, testNow) }

const root = "/B82617/STU3/1/gpconnect"

// outcome checks that r is an OperationOutcome with the status and Spine code.
func (e *env) outcome(r *result, status int, spine string) {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	res, err := decode(r)
	if err != nil {
		e.t.Fatalf("error body is not FHIR: %v\n%s", err, r.body)
	}
	oo, ok := res.(*fhir.OperationOutcome)
	if !ok || len(oo.Issue) != 1 || oo.Issue[0].Details == nil || len(oo.Issue[0].Details.Coding) == 0 {
		e.t.Fatalf("not a one-issue OperationOutcome: %s", r.body)
	}
	if got := oo.Issue[0].Details.Coding[0].Code; got != spine {
		e.t.Fatalf("Spine code %q, want %q (%s)", got, spine, oo.Issue[0].Diagnostics)
	}
	if oo.Meta == nil || len(oo.Meta.Profile) == 0 || oo.Meta.Profile[0] != "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1" {
		e.t.Errorf("OperationOutcome profile missing: %s", r.body)
	}
	if oo.Issue[0].Diagnostics == "" {
		e.t.Errorf("OperationOutcome without diagnostics: %s", r.body)
	}
	if strings.HasPrefix(r.header.Get("Content-Type"), fhir.MIMEJSON) {
		fhirtest.ValidateJSON(e.t, r.body)
	}
}

func decode(r *result) (fhir.Resource, error) {
	format := fhir.JSON
	if strings.HasPrefix(r.header.Get("Content-Type"), fhir.MIMEXML) {
		format = fhir.XML
	}
	return fhir.Unmarshal(format, r.body)
}

// ok checks a 200 answer in JSON, validates it against the STU3 schema, and decodes it.
func (e *env) ok(r *result) fhir.Resource {
	e.t.Helper()
	if r.status != 200 && r.status != 201 {
		e.t.Fatalf("status %d: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/fhir+json;charset=utf-8" {
		e.t.Fatalf("Content-Type %q", ct)
	}
	fhirtest.ValidateJSON(e.t, r.body)
	res, err := decode(r)
	if err != nil {
		e.t.Fatalf("decode: %v\n%s", err, r.body)
	}
	return res
}

func bundle(t testing.TB, res fhir.Resource) *fhir.Bundle {
	t.Helper()
	b, ok := res.(*fhir.Bundle)
	if !ok || b.Type != "searchset" {
		t.Fatalf("not a searchset Bundle: %#v", res)
	}
	return b
}

func q(s string) string { return url.QueryEscape(s) }

func TestMetadataAndContentNegotiation(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			cs, ok := e.ok(e.do(call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDMetadata})).(*fhir.CapabilityStatement)
			if !ok || cs.FHIRVersion != "3.0.1" || cs.Version != gpconnect.SpecVersion || cs.Software == nil || cs.Software.Name == "" ||
				cs.AcceptUnknown != "both" || len(cs.Rest) != 1 {
				t.Fatalf("capability statement %+v", cs)
			}
			// XML by Accept, by _format over a JSON Accept; JSON by _format over an XML Accept.
			for _, c := range []struct {
				accept, format, want string
			}{
				{fhir.MIMEXML, "", fhir.MIMEXML},
				{fhir.MIMEJSON, fhir.MIMEXML, fhir.MIMEXML},
				{fhir.MIMEXML, fhir.MIMEJSON, fhir.MIMEJSON},
				{"", "", fhir.MIMEJSON},
				{"application/fhir+xml;charset=utf-8", "", fhir.MIMEXML},
			} {
				path := root + "/metadata"
				if c.format != "" {
					path += "?_format=" + q(c.format)
				}
				r := e.do(call{method: "GET", path: path, interaction: gpconnect.IDMetadata, header: map[string]string{"Accept": c.accept}})
				if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), c.want) {
					t.Fatalf("Accept %q _format %q: %d %s", c.accept, c.format, r.status, r.header.Get("Content-Type"))
				}
				if res, err := decode(r); err != nil || res.ResourceType() != "CapabilityStatement" {
					t.Fatalf("Accept %q _format %q: %v", c.accept, c.format, err)
				}
			}
			// gzip when asked.
			r := e.do(call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDMetadata, header: map[string]string{"Accept-Encoding": "gzip"}})
			if r.header.Get("Content-Encoding") != "gzip" || r.status != 200 {
				t.Fatalf("no gzip: %v", r.header)
			}
			// Unsupported formats are 415 (in JSON).
			e.outcome(e.do(call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDMetadata, header: map[string]string{"Accept": "application/json+fhir"}}), 415, "UNSUPPORTED_MEDIA_TYPE")
			e.outcome(e.do(call{method: "GET", path: root + "/metadata?_format=text/html", interaction: gpconnect.IDMetadata}), 415, "UNSUPPORTED_MEDIA_TYPE")
		})
	}
}

func TestCrossCuttingRejections(t *testing.T) {
	e := newEnv(t, "sqlite")
	meta := call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDMetadata}
	with := func(c call, h map[string]string) call { c.header = h; return c }
	cases := []struct {
		name   string
		c      call
		status int
		spine  string
	}{
		{"no trace id", with(meta, map[string]string{"Ssp-TraceID": ""}), 400, "BAD_REQUEST"},
		{"no Ssp-From", with(meta, map[string]string{"Ssp-From": ""}), 400, "BAD_REQUEST"},
		{"Ssp-To not ours", with(meta, map[string]string{"Ssp-To": "200000000359"}), 400, "BAD_REQUEST"},
		{"unknown interaction", with(meta, map[string]string{"Ssp-InteractionID": "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata"}), 400, "BAD_REQUEST"},
		{"interaction of another path", call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDReadPatient}, 400, "BAD_REQUEST"},
		{"no token", with(meta, map[string]string{"Authorization": ""}), 400, "BAD_REQUEST"},
		{"patient scope for metadata", call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDMetadata, scope: "patient/*.read"}, 400, "BAD_REQUEST"},
		{"wrong-case path", call{method: "GET", path: root + "/Metadata", interaction: gpconnect.IDMetadata}, 404, "NO_RECORD_FOUND"},
		{"unknown resource", call{method: "GET", path: root + "/Medication/1", interaction: gpconnect.IDMetadata}, 404, "NO_RECORD_FOUND"},
		{"DELETE metadata", call{method: "DELETE", path: root + "/metadata", interaction: gpconnect.IDMetadata}, 400, "BAD_REQUEST"},
		{"PATCH metadata", call{method: "PATCH", path: root + "/metadata", interaction: gpconnect.IDMetadata}, 400, "BAD_REQUEST"},
		{"OPTIONS metadata", call{method: "OPTIONS", path: root + "/metadata", interaction: gpconnect.IDMetadata}, 400, "BAD_REQUEST"},
		{"practice not hosted", call{method: "GET", path: "/GPCA0001/STU3/1/gpconnect/metadata", interaction: gpconnect.IDMetadata}, 404, "ORGANISATION_NOT_FOUND"},
		{"unknown practice", call{method: "GET", path: "/INVOC1/STU3/1/gpconnect/metadata", interaction: gpconnect.IDMetadata}, 404, "ORGANISATION_NOT_FOUND"},
		{"practice not enabled", call{method: "GET", path: "/R1A14/STU3/1/gpconnect/metadata", interaction: gpconnect.IDMetadata}, 403, "ACCESS DENIED"},
		{"POST without Content-Type", call{method: "POST", path: root + "/Appointment", interaction: gpconnect.IDBookAppointment, scope: "patient/*.write",
			body: []byte("{}"), header: map[string]string{"Content-Type": ""}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			e.outcome(e.do(c.c), c.status, c.spine)
		})
	}
	// XML errors come in XML.
	e.t = t
	r := e.do(call{method: "GET", path: root + "/Metadata?_format=" + q(fhir.MIMEXML), interaction: gpconnect.IDMetadata})
	if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), fhir.MIMEXML) || !bytes.Contains(r.body, []byte("<OperationOutcome")) {
		t.Fatalf("XML error: %d %s", r.status, r.body)
	}
}

// Switching Appointments off refuses appointment interactions with 403
// ACCESS DENIED and leaves Foundations working; the practice-wide switch
// refuses everything.
func TestEnablementSwitches(t *testing.T) {
	e := newEnv(t, "sqlite")
	slots := call{method: "GET", path: root + "/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-26", interaction: gpconnect.IDSearchSlots}
	meta := call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDMetadata}
	if r := e.do(slots); r.status != 200 {
		t.Fatalf("enabled slot search: %d", r.status)
	}
	if err := e.store.SetGPConnectEnabled(ctx, e.org1.ID, gpconnect.CapAppointments, false, "test"); err != nil {
		t.Fatal(err)
	}
	e.outcome(e.do(slots), 403, "ACCESS DENIED")
	if r := e.do(meta); r.status != 200 {
		t.Fatalf("metadata with Appointments off: %d", r.status)
	}
	if err := e.store.SetGPConnectEnabled(ctx, e.org1.ID, gpconnect.CapGlobal, false, "test"); err != nil {
		t.Fatal(err)
	}
	e.outcome(e.do(meta), 403, "ACCESS DENIED")
}

func TestFoundations(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			find := func(nhs string) *result {
				return e.do(call{method: "GET", path: root + "/Patient?identifier=" + q("https://fhir.nhs.uk/Id/nhs-number|"+nhs),
					interaction: gpconnect.IDSearchPatient, scope: "patient/*.read"})
			}
			b := bundle(t, e.ok(find(string(assurance.Patient1))))
			if len(b.Entry) != 1 {
				t.Fatalf("patient1: %d entries", len(b.Entry))
			}
			pt := b.Entry[0].Resource.(*fhir.Patient)
			if pt.Identifier[0].Value != string(assurance.Patient1) || len(pt.Name) != 1 || pt.Name[0].Use != "official" ||
				pt.Meta.VersionID == "" || pt.ManagingOrganization.Reference != "Organization/"+itoa(e.org1.ID) {
				t.Fatalf("patient1 resource %+v", pt)
			}
			for name, nhs := range map[string]pcnhub.NHSNumber{"sensitive": assurance.Patient9, "inactive": assurance.Patient21,
				"deceased": assurance.Patient18, "not in system": assurance.PatientNotInSystem, "superseded": assurance.Patient11} {
				if b := bundle(t, e.ok(find(string(nhs)))); len(b.Entry) != 0 {
					t.Errorf("%s patient found", name)
				}
			}
			e.outcome(find("9000000008"), 400, "INVALID_NHS_NUMBER")
			e.outcome(find("hello"), 400, "INVALID_NHS_NUMBER")
			e.outcome(e.do(call{method: "GET", path: root + "/Patient?identifier=" + q("https://fhir.nhs.uk/Id/nhs-numberx|"+string(assurance.Patient1)),
				interaction: gpconnect.IDSearchPatient, scope: "patient/*.read"}), 422, "INVALID_PARAMETER")
			e.outcome(e.do(call{method: "GET", path: root + "/Patient?Identifier=" + q("https://fhir.nhs.uk/Id/nhs-number|"+string(assurance.Patient1)),
				interaction: gpconnect.IDSearchPatient, scope: "patient/*.read"}), 400, "BAD_REQUEST")
			e.outcome(e.do(call{method: "GET", path: root + "/Patient?identifier=" + q("https://fhir.nhs.uk/Id/nhs-number|"+string(assurance.Patient1)) +
				"&identifier=" + q("https://fhir.nhs.uk/Id/nhs-number|"+string(assurance.Patient1)),
				interaction: gpconnect.IDSearchPatient, scope: "patient/*.read"}), 400, "BAD_REQUEST")

			// Read by logical id, with ETag.
			r := e.do(call{method: "GET", path: root + "/Patient/" + pt.ID, interaction: gpconnect.IDReadPatient, scope: "patient/*.read"})
			if got := e.ok(r).(*fhir.Patient); got.ID != pt.ID || r.header.Get("ETag") != `W/"`+pt.Meta.VersionID+`"` {
				t.Fatalf("read patient: %s ETag %q", got.ID, r.header.Get("ETag"))
			}
			e.outcome(e.do(call{method: "GET", path: root + "/Patient/999999", interaction: gpconnect.IDReadPatient, scope: "patient/*.read"}), 404, "PATIENT_NOT_FOUND")

			// Practitioners: G22222226 is two people; G99999999 none.
			findPr := func(sds string) *fhir.Bundle {
				return bundle(t, e.ok(e.do(call{method: "GET", path: root + "/Practitioner?identifier=" + q("https://fhir.nhs.uk/Id/sds-user-id|"+sds),
					interaction: gpconnect.IDSearchPractitioner})))
			}
			if n := len(findPr("G22222226").Entry); n != 2 {
				t.Errorf("G22222226: %d practitioners, want 2", n)
			}
			if n := len(findPr("G99999999").Entry); n != 0 {
				t.Errorf("G99999999: %d practitioners", n)
			}
			pr := e.ok(e.do(call{method: "GET", path: root + "/Practitioner/1", interaction: gpconnect.IDReadPractitioner})).(*fhir.Practitioner)
			if pr.Identifier[0].Value != "G13579135" {
				t.Errorf("practitioner 1: %+v", pr.Identifier)
			}
			e.outcome(e.do(call{method: "GET", path: root + "/Practitioner/4040", interaction: gpconnect.IDReadPractitioner}), 404, "PRACTITIONER_NOT_FOUND")

			// Organisations and locations.
			ob := bundle(t, e.ok(e.do(call{method: "GET", path: root + "/Organization?identifier=" + q("https://fhir.nhs.uk/Id/ods-organization-code|R1A14"),
				interaction: gpconnect.IDSearchOrganization})))
			if len(ob.Entry) != 1 || ob.Entry[0].Resource.(*fhir.Organization).Name == "" {
				t.Fatalf("find ORG2: %+v", ob)
			}
			if b := bundle(t, e.ok(e.do(call{method: "GET", path: root + "/Organization?identifier=" + q("https://fhir.nhs.uk/Id/ods-organization-code|INVOC1"),
				interaction: gpconnect.IDSearchOrganization}))); len(b.Entry) != 0 {
				t.Errorf("INVOC1 found")
			}
			e.ok(e.do(call{method: "GET", path: root + "/Organization/" + itoa(e.org1.ID), interaction: gpconnect.IDReadOrganization}))
			e.outcome(e.do(call{method: "GET", path: root + "/Organization/424242", interaction: gpconnect.IDReadOrganization}), 404, "ORGANISATION_NOT_FOUND")
			loc := e.ok(e.do(call{method: "GET", path: root + "/Location/1", interaction: gpconnect.IDReadLocation})).(*fhir.Location)
			if loc.ManagingOrganization == nil || loc.ManagingOrganization.Reference != "Organization/"+itoa(e.org1.ID) {
				t.Errorf("location 1 managing organisation: %+v", loc.ManagingOrganization)
			}
			e.outcome(e.do(call{method: "GET", path: root + "/Location/777", interaction: gpconnect.IDReadLocation}), 404, "NO_RECORD_FOUND")

			// Every call above was audited, failures with their Spine code.
			evs, err := e.store.AuditEvents(ctx, sqlstore.AuditFilter{OrgODS: assurance.ORG1, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var invalid, read int
			for _, ev := range evs {
				if ev.Outcome == "INVALID_NHS_NUMBER" {
					invalid++
				}
				if ev.Action == gpconnect.IDReadPatient && ev.Outcome == "ok" && ev.NHSNumber == assurance.Patient1 &&
					ev.RequesterODS == "GPCA0001" && ev.Practitioner == "GCASDS0001" && ev.TraceID != "" {
					read++
				}
			}
			if invalid != 2 || read != 1 {
				t.Errorf("audit: %d INVALID_NHS_NUMBER events (want 2), %d patient reads (want 1)", invalid, read)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
