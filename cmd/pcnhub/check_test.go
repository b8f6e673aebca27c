package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/checker"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
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

// pcnhub check slots against another supplier's provider serving the GP
// Connect specification's own examples (CapabilityStatement and free-slot
// search payload 1): the counts printed are those of the example JSON,
// walked here; a window the slots fall outside exits 2 and says so.
func TestCheckSlotsThirdPartyProvider(t *testing.T) {
	dir := fhirtest.SharedPath(t, "fixtures/gpconnect-spec-examples")
	const payload = "appointments-search-for-free-slots-response-payload-1.json"
	fake := clienttest.ThirdParty(t, dir, payload)
	readDoc := func(name string) map[string]any {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return doc
	}
	capDoc, doc := readDoc(clienttest.CapabilityPayload), readDoc(payload)
	obj := func(v any, k string) map[string]any {
		m, _ := v.(map[string]any)
		o, _ := m[k].(map[string]any)
		return o
	}
	arr := func(v any, k string) []any { m, _ := v.(map[string]any); a, _ := m[k].([]any); return a }
	str := func(v any, k string) string { m, _ := v.(map[string]any); s, _ := m[k].(string); return s }
	extValue := func(res any, url string) any {
		for _, x := range arr(res, "extension") {
			if str(x, "url") == url {
				return x
			}
		}
		return nil
	}

	// The payload's slots are on Fri 15 Sep 2017; now is the day before.
	now := time.Date(2017, 9, 14, 11, 35, 0, 0, pcnhub.London)
	saved := checkNow
	checkNow = func() time.Time { return now }
	t.Cleanup(func() { checkNow = saved })

	// The counts, from the example: each Slot, its Schedule and the
	// Schedule's Location actor, resolved by reference.
	byRef := map[string]any{}
	var slots []any
	for _, en := range arr(doc, "entry") {
		res := en.(map[string]any)["resource"]
		byRef[str(res, "resourceType")+"/"+str(res, "id")] = res
		if str(res, "resourceType") == "Slot" {
			slots = append(slots, res)
		}
	}
	if len(slots) == 0 {
		t.Fatalf("%s has no slots", payload)
	}
	type row struct{ title, key string }
	counts := map[row]int{}
	free, past, next24, next72 := 0, 0, 0, 0
	var earliest time.Time
	starts := map[string]time.Time{}
	for _, s := range slots {
		start, err := time.Parse(time.RFC3339, str(s, "start"))
		if err != nil {
			t.Fatal(err)
		}
		starts[str(s, "id")] = start
		if start.After(now) && str(s, "status") == "free" {
			free++
			if earliest.IsZero() || start.Before(earliest) {
				earliest = start
			}
			if !start.After(now.Add(24 * time.Hour)) {
				next24++
			}
			if !start.After(now.Add(72 * time.Hour)) {
				next72++
			}
		} else if !start.After(now) {
			past++
		}
		sc := byRef[str(obj(s, "schedule"), "reference")]
		location := ""
		for _, a := range arr(sc, "actor") {
			if ref := str(a, "reference"); strings.HasPrefix(ref, "Location/") && location == "" {
				location = str(byRef[ref], "name")
			}
		}
		role := obj(extValue(sc, "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1"), "valueCodeableConcept")
		counts[row{"By day", start.In(pcnhub.London).Format(time.DateOnly)}]++
		counts[row{"By delivery channel", str(extValue(s, "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2"), "valueCode")}]++
		counts[row{"By slot type", str(arr(s, "serviceType")[0], "text")}]++
		counts[row{"By session", str(obj(sc, "serviceCategory"), "text")}]++
		counts[row{"By practitioner role", str(arr(role, "coding")[0], "display")}]++
		counts[row{"By location", location}]++
	}

	args := func(from, to string) []string {
		return []string{"check", "slots", "--endpoint", fake.Endpoint.Base, "--asid", fake.Endpoint.ASID, "--ods", "A00001",
			"--as", "gp-practice", "--consumer-ods", "A1001", "--from", from, "--to", to}
	}
	var out bytes.Buffer
	if err := run(context.Background(), args("2017-09-11", "2017-09-17"), &out, io.Discard); err != nil {
		t.Fatalf("exit %d: %v\n%s", exitCode(err), err, out.String())
	}
	s := out.String()
	for _, want := range []string{
		fmt.Sprintf("Capability: GP Connect %s, FHIR %s, software %q, publisher %q", str(capDoc, "version"), str(capDoc, "fhirVersion"),
			str(obj(capDoc, "software"), "name")+" "+str(obj(capDoc, "software"), "version"), str(capDoc, "publisher")),
		"Slot search declared",
		fmt.Sprintf("%d free slot(s) found, %d past slot(s) found (%d slot(s) in the bundle)", free, past, len(slots)),
		fmt.Sprintf("Earliest free slot %s; %d in the next 24h, %d in the next 72h",
			earliest.In(pcnhub.London).Format("Mon 2006-01-02 15:04"), next24, next72),
		"Problems: none",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	for r, n := range counts {
		if r.key == "" {
			t.Fatalf("%s: empty key in the example walk", r.title)
		}
		// The row must sit in its own table.
		i := strings.Index(s, "\n"+r.title+"\n")
		if i < 0 {
			t.Errorf("output lacks the %q table:\n%s", r.title, s)
			continue
		}
		table, _, _ := strings.Cut(s[i+len(r.title)+2:], "\n\n")
		re := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(r.key) + ` +` + strconv.Itoa(n) + ` *$`)
		if !re.MatchString(table) {
			t.Errorf("%s: no row %q %d in\n%s", r.title, r.key, n, table)
		}
	}
	if got := fake.Searches(); len(got) != 1 || got[0].Query.Get("start") != "ge2017-09-11" || got[0].Query.Get("end") != "le2017-09-17" ||
		len(got[0].Query["searchFilter"]) != 2 {
		t.Errorf("slot searches seen by the provider: %+v", got)
	}

	// The week after: the provider still sends the 15 Sep slots, every one
	// of them outside the window and past; exit 2.
	now = time.Date(2017, 9, 17, 9, 0, 0, 0, pcnhub.London)
	from, to := time.Date(2017, 9, 18, 0, 0, 0, 0, pcnhub.London), time.Date(2017, 9, 25, 0, 0, 0, 0, pcnhub.London)
	outside := 0
	for _, s := range slots {
		end, err := time.Parse(time.RFC3339, str(s, "end"))
		if err != nil {
			t.Fatal(err)
		}
		if starts[str(s, "id")].Before(from) || end.After(to) {
			outside++
		}
	}
	out.Reset()
	err := run(context.Background(), args("2017-09-18", "2017-09-24"), &out, io.Discard)
	if exitCode(err) != 2 {
		t.Fatalf("week after: exit %d (%v), want 2\n%s", exitCode(err), err, out.String())
	}
	s = out.String()
	re := regexp.MustCompile(`(?m)^  ` + checker.SlotOutsideWindow + ` +` + strconv.Itoa(outside) + ` +` + regexp.QuoteMeta(checker.Message(checker.SlotOutsideWindow)))
	if !strings.Contains(s, fmt.Sprintf("0 free slot(s) found, %d past slot(s) found (%d slot(s) in the bundle)", len(slots), len(slots))) ||
		!strings.Contains(s, "Problems (1)") || !re.MatchString(s) {
		t.Errorf("week after: want %d slots past and %d outside the window:\n%s", len(slots), outside, s)
	}
}
