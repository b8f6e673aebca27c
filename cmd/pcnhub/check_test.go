package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/checker"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
)

// pcnhub check slots against our own provider: no problems, exit 0.
func TestCheckSlotsOwnProvider(t *testing.T) {
	now := time.Now().In(pcnhub.London)
	tomorrow := pcnhub.DateOf(now).AddDays(1)
	ep := clienttest.Provider(t, now, tomorrow)
	var out bytes.Buffer
	err := run(context.Background(), []string{"check", "slots", "--endpoint", ep.Base, "--ods", "B82617",
		"--as", "urgent-care", "--consumer-ods", "Y99911"}, &out, io.Discard)
	if err != nil {
		t.Fatalf("exit %d: %v\n%s", exitCode(err), err, out.String())
	}
	s := out.String()
	for _, want := range []string{"Capability: GP Connect", "FHIR 3.0.1", `software "pcnhub test"`, "Slot search declared",
		"Search   " + tomorrow.String() + " .. " + tomorrow.AddDays(6).String() + " as urgent-care, consumer Y99911",
		"By day", "  " + tomorrow.String(), "By delivery channel", "In-person", "By slot type", "Routine GP appointment",
		"By session", "Morning surgery", "By practitioner role", "General Medical Practitioner", "By location", "Problems: none"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	// JSON.
	out.Reset()
	if err := run(context.Background(), []string{"check", "slots", "--endpoint", ep.Base, "--ods", "B82617",
		"--as", "gp-practice", "--consumer-ods", "Y99911", "--format", "json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Capability struct{ FHIRVersion string }
		Report     checker.Report
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if doc.Capability.FHIRVersion != "3.0.1" || doc.Report.BySession["Morning surgery"] != clienttest.BookSlots || len(doc.Report.Problems) != 0 {
		t.Errorf("json %s", out.String())
	}
	// A wrong ASID: the provider refuses, exit 2, the Spine code shown.
	out.Reset()
	err = run(context.Background(), []string{"check", "slots", "--endpoint", ep.Base, "--ods", "B82617",
		"--as", "urgent-care", "--consumer-ods", "Y99911", "--asid", "123456789012"}, &out, io.Discard)
	if exitCode(err) != 2 || !strings.Contains(out.String(), "BAD_REQUEST") {
		t.Errorf("wrong ASID: exit %d %v\n%s", exitCode(err), err, out.String())
	}
}

// A fake provider with a Z time, a Visit slot and the channel extension
// second: exit 2 and each problem named.
func TestCheckSlotsProblems(t *testing.T) {
	now := time.Now().In(pcnhub.London)
	day := pcnhub.DateOf(now).AddDays(2).Time(pcnhub.London).Add(10 * time.Hour)
	inst := func(t time.Time) fhir.Instant { return fhir.NewInstant(t.In(pcnhub.London)) }
	zt, _ := fhir.ParseInstant(day.UTC().Format("2006-01-02T15:04:05Z"))
	ch := func(code string) fhir.Extension { return fhir.Extension{URL: fhir.ExtDeliveryChannel, ValueCode: code} }
	st := []fhir.CodeableConcept{{Text: "Routine"}}
	ref := &fhir.Reference{Reference: "Schedule/1"}
	b := &fhir.Bundle{Type: "searchset", Entry: []fhir.BundleEntry{
		{Resource: &fhir.Slot{ID: "1", Extension: []fhir.Extension{ch("In-person")}, ServiceType: st, Schedule: ref, Status: "free",
			Start: zt, End: inst(day.Add(10 * time.Minute))}},
		{Resource: &fhir.Slot{ID: "2", Extension: []fhir.Extension{ch("Visit")}, ServiceType: st, Schedule: ref, Status: "free",
			Start: inst(day.Add(10 * time.Minute)), End: inst(day.Add(20 * time.Minute))}},
		{Resource: &fhir.Slot{ID: "3", Extension: []fhir.Extension{{URL: "https://example.org/x", ValueString: "x"}, ch("Telephone")},
			ServiceType: st, Schedule: ref, Status: "free", Start: inst(day.Add(20 * time.Minute)), End: inst(day.Add(30 * time.Minute))}},
		{Resource: &fhir.Schedule{ID: "1", Extension: []fhir.Extension{{URL: fhir.ExtPractitionerRole, ValueCodeableConcept: &fhir.CodeableConcept{
			Coding: []fhir.Coding{{Code: "R0260", Display: "General Medical Practitioner"}}}}},
			ServiceCategory: &fhir.CodeableConcept{Text: "Clinic"}, Actor: []fhir.Reference{{Reference: "Location/1"}}}},
		{Resource: &fhir.Location{ID: "1", Name: "Surgery", ManagingOrganization: &fhir.Reference{Reference: "Organization/1"}}},
		{Resource: &fhir.Organization{ID: "1"}},
	}}
	bundle, err := fhir.Marshal(fhir.JSON, b)
	if err != nil {
		t.Fatal(err)
	}
	capability := `{"resourceType":"CapabilityStatement","version":"1.2.7","status":"active","date":"2026-01-01","publisher":"Fake",` +
		`"kind":"instance","software":{"name":"FakeGP","version":"9"},"fhirVersion":"3.0.1","acceptUnknown":"both","format":["application/fhir+json"],` +
		`"rest":[{"mode":"server","resource":[{"type":"Slot","interaction":[{"code":"search-type"}]}]}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", fhir.MIMEJSON)
		switch r.URL.Path {
		case "/fake/metadata":
			io.WriteString(w, capability)
		case "/fake/Slot":
			w.Write(bundle)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	var out bytes.Buffer
	err = run(context.Background(), []string{"check", "slots", "--endpoint", srv.URL + "/fake", "--ods", "A12345",
		"--as", "urgent-care", "--consumer-ods", "Y99911"}, &out, io.Discard)
	if err == nil || exitCode(err) != 2 {
		t.Fatalf("exit %d (%v), want 2\n%s", exitCode(err), err, out.String())
	}
	s := out.String()
	for _, want := range []string{`software "FakeGP 9"`, checker.TimeZ, checker.VisitSlot, checker.ChannelNotFirst, "Visit", "Telephone"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestCheckUsage(t *testing.T) {
	ctx := context.Background()
	for _, args := range [][]string{
		{"check"},
		{"check", "slots"},
		{"check", "slots", "--endpoint", "http://x", "--ods", "A12345", "--as", "pharmacy", "--consumer-ods", "Y99911"},
		{"check", "slots", "--endpoint", "http://x", "--ods", "A12345", "--as", "urgent-care", "--consumer-ods", "Y99911", "--format", "xml"},
	} {
		if err := run(ctx, args, io.Discard, io.Discard); exitCode(err) != 2 {
			t.Errorf("%v: %v", args, err)
		}
	}
	var help bytes.Buffer
	err := run(ctx, []string{"check", "slots", "--help"}, io.Discard, &help)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"-endpoint", "-ods", "-as", "-consumer-ods", "-from", "-to", "-asid", "-format", "tomorrow"} {
		if !strings.Contains(help.String(), f) {
			t.Errorf("--help lacks %s:\n%s", f, help.String())
		}
	}
}
