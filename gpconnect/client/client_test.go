package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
)

var ctx = context.Background()

// testNow is a Tuesday in winter; the test book is the next day.
var testNow = time.Date(2026, 11, 24, 9, 0, 0, 0, pcnhub.London)
var bookDay = time.Date(2026, 11, 25, 9, 0, 0, 0, pcnhub.London)

const providerASID = clienttest.ProviderASID

func provider(t *testing.T) client.Endpoint {
	return clienttest.Provider(t, testNow, pcnhub.DateOf(bookDay))
}

func newClient() *client.Client {
	return &client.Client{
		Identity: client.Identity{OrgODS: "Y99911", OrgName: "Test 111", PractitionerID: "1",
			PractitionerFamily: "Tester", PractitionerGiven: "Tess",
			DeviceSystem: "https://pcnhub.example/Id/device", DeviceValue: "client-test", DeviceModel: "pcnhub", DeviceVersion: "test",
			ASID: "200000000359", Issuer: "https://consumer.example"},
		Clock:   func() time.Time { return testNow },
		Backoff: time.Millisecond,
	}
}

func TestMetadataAndSearch(t *testing.T) {
	ep := provider(t)
	c := newClient()
	cs, err := c.Metadata(ctx, ep)
	if err != nil {
		t.Fatal(err)
	}
	if cs.FHIRVersion != "3.0.1" || cs.Software == nil || cs.Software.Name != "pcnhub" {
		t.Errorf("capability: fhirVersion %q software %+v", cs.FHIRVersion, cs.Software)
	}
	day := pcnhub.DateOf(bookDay)
	b, raw, err := c.SearchSlots(ctx, ep, client.SlotQuery{From: day, To: day, OrgType: pcnhub.OrgUrgentCare, ConsumerODS: "Y99911"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Type != "searchset" || !strings.Contains(string(raw), `"searchset"`) {
		t.Errorf("bundle type %q", b.Type)
	}
	n := 0
	for _, en := range b.Entry {
		if s, ok := en.Resource.(*fhir.Slot); ok && s.Schedule.Reference == "Schedule/900" {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d slots of schedule 900, want 6", n)
	}
}

func TestProviderError(t *testing.T) {
	ep := provider(t)
	ep.ASID = "123456789012"
	_, err := newClient().Metadata(ctx, ep)
	var pe *client.ProviderError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *ProviderError", err, err)
	}
	if pe.Status != 400 || pe.SpineCode != "BAD_REQUEST" {
		t.Errorf("got %+v, want 400 BAD_REQUEST", pe)
	}
	if !strings.Contains(pe.Error(), "BAD_REQUEST") {
		t.Errorf("message %q", pe.Error())
	}
	// A bad window is a 422 with a Spine code too.
	ep.ASID = providerASID
	day := pcnhub.DateOf(bookDay)
	_, _, err = newClient().SearchSlots(ctx, ep, client.SlotQuery{From: day, To: day.AddDays(20)})
	if !errors.As(err, &pe) || pe.Status != 422 || pe.SpineCode != "INVALID_PARAMETER" {
		t.Errorf("21-day window: %v", err)
	}
}

func TestHeadersAndQuery(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Header().Set("Content-Type", fhir.MIMEJSON)
		io.WriteString(w, `{"resourceType":"Bundle","type":"searchset"}`)
	}))
	defer srv.Close()
	c := newClient()
	from, _ := pcnhub.ParseDate("2026-11-25")
	_, _, err := c.SearchSlots(ctx, client.Endpoint{Base: srv.URL + "/X/", ASID: "918999198738"},
		client.SlotQuery{From: from, To: from.AddDays(6), OrgType: pcnhub.OrgUrgentCare, ConsumerODS: "Y99911"})
	if err != nil {
		t.Fatal(err)
	}
	want := "status=free&_include=Slot:schedule&_include:recurse=Schedule:actor:Practitioner" +
		"&_include:recurse=Schedule:actor:Location&_include:recurse=Location:managingOrganization" +
		"&start=ge2026-11-25&end=le2026-12-01" +
		"&searchFilter=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fods-organization-code%7CY99911" +
		"&searchFilter=https%3A%2F%2Ffhir.nhs.uk%2FSTU3%2FCodeSystem%2FGPConnect-OrganisationType-1%7Curgent-care"
	if got.URL.Path != "/X/Slot" || got.URL.RawQuery != want {
		t.Errorf("path %s query\n%s\nwant\n%s", got.URL.Path, got.URL.RawQuery, want)
	}
	h := got.Header
	if h.Get("Ssp-From") != "200000000359" || h.Get("Ssp-To") != "918999198738" || h.Get("Ssp-InteractionID") != gpconnect.IDSearchSlots ||
		len(h.Get("Ssp-TraceID")) != 36 || h.Get("Accept") != fhir.MIMEJSON || !strings.HasPrefix(h.Get("Authorization"), "Bearer ") ||
		!strings.HasSuffix(h.Get("Authorization"), ".") {
		t.Errorf("headers %v", h)
	}
}

func TestRetriesGET(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", fhir.MIMEJSON)
		io.WriteString(w, `{"resourceType":"CapabilityStatement","status":"active","date":"2026-11-24","kind":"instance","acceptUnknown":"both","fhirVersion":"3.0.1","format":["application/fhir+json"],"version":"1.2.7"}`)
	}))
	defer srv.Close()
	cs, err := newClient().Metadata(ctx, client.Endpoint{Base: srv.URL, ASID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if cs.Version != "1.2.7" || calls.Load() != 3 {
		t.Errorf("version %q after %d calls, want 3 calls", cs.Version, calls.Load())
	}
	// Out of retries: the last 503 is a ProviderError.
	calls.Store(-10)
	_, err = newClient().Metadata(ctx, client.Endpoint{Base: srv.URL, ASID: "1"})
	var pe *client.ProviderError
	if !errors.As(err, &pe) || pe.Status != 503 || calls.Load() != -7 {
		t.Errorf("error %v after %d calls", err, calls.Load()+10)
	}
	// A 500 is not retried.
	var n500 atomic.Int32
	srv500 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n500.Add(1)
		w.WriteHeader(500)
	}))
	defer srv500.Close()
	if _, err := newClient().Metadata(ctx, client.Endpoint{Base: srv500.URL}); err == nil || n500.Load() != 1 {
		t.Errorf("500: error %v after %d calls", err, n500.Load())
	}
}
