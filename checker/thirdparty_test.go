package checker_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/checker"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
)

// specExamples is the folder of GP Connect specification examples in the
// shared directory beside the repository.
const specExamples = "fixtures/gpconnect-spec-examples"

// The element URLs the expectations below are computed from, spelled out
// as the specification writes them rather than taken from package fhir.
const (
	urlDeliveryChannel  = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2"
	urlPractitionerRole = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1"
)

// tpCase is one search against the fake provider.
type tpCase struct {
	name string
	q    client.SlotQuery
	// from and to are the window analysed; zero means the query's days in
	// UK time, [From 00:00, To+1 00:00), as pcnhub check slots analyses it.
	from, to time.Time
	now      time.Time
	// excludes says the window deliberately leaves out fixture slots.
	excludes bool
}

func date(s string) pcnhub.Date {
	d, err := pcnhub.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func london(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, pcnhub.London)
}

// TestThirdPartyProvider runs the consumer client and the checker against
// another supplier's provider that answers with the NHS specification's
// own example payloads, and compares the report with counts computed
// here, independently, from the example JSON.
func TestThirdPartyProvider(t *testing.T) {
	dir := fhirtest.SharedPath(t, specExamples)
	capDoc := readJSON(t, filepath.Join(dir, clienttest.CapabilityPayload))

	both := func(from, to string) client.SlotQuery {
		// The filters of the specification's request example (request-header-1).
		return client.SlotQuery{From: date(from), To: date(to), OrgType: pcnhub.OrgGPPractice, ConsumerODS: "A1001"}
	}
	for _, p := range []struct {
		file string
		// empty says the payload is a search that found nothing.
		empty bool
		// problems are the configuration problems the payload genuinely
		// has whatever the window, decided by reading the JSON (see below);
		// SLOT_OUTSIDE_WINDOW is added per case from the computed count.
		problems map[string]int
		cases    []tpCase
	}{
		{
			// Two free In-person slots, Fri 15 Sep 2017 11:30 and 11:40,
			// written +01:00 (BST, right for September), of Schedule/14
			// whose extension[0] is the PractitionerRole, with
			// serviceCategory.text, and actors Location/17 and Practitioner/2,
			// both included; Location/17 has managingOrganization
			// Organization/23, included. Each Slot's extension[0] is the
			// DeliveryChannel, each has serviceType[0].text. No problem.
			file:     "appointments-search-for-free-slots-response-payload-1.json",
			problems: map[string]int{},
			cases: []tpCase{
				// The Monday-to-Sunday week of the slots, as the Appointment
				// Checker searches; now is the day before, 11:35, so one slot
				// starts within 24 hours and the other just after.
				{name: "week", q: both("2017-09-11", "2017-09-17"), now: london(2017, 9, 14, 11, 35)},
				{name: "week, org type only", q: client.SlotQuery{From: date("2017-09-11"), To: date("2017-09-17"), OrgType: pcnhub.OrgUrgentCare},
					now: london(2017, 9, 14, 11, 35)},
				{name: "week, no filter", q: client.SlotQuery{From: date("2017-09-11"), To: date("2017-09-17")}, now: london(2017, 9, 14, 11, 35)},
				// The following week: the provider ignores start/end and
				// sends last week's slots, all outside the window (and past).
				{name: "week after", q: both("2017-09-18", "2017-09-24"), now: london(2017, 9, 17, 9, 0), excludes: true},
				// A window from 11:35 on the day (the full date-time form of
				// the 2020 apptconfig-checker): the 11:30 slot starts before
				// it; now is 11:35, so that slot is past and the other free.
				{name: "from 11:35", q: both("2017-09-15", "2017-09-15"),
					from: london(2017, 9, 15, 11, 35), to: london(2017, 9, 16, 0, 0), now: london(2017, 9, 15, 11, 35), excludes: true},
			},
		},
		{
			// The same two slots on Fri 29 Mar 2019, but Schedule/14's only
			// actor is Location/17 (no Practitioner: optional, not a
			// problem) and the Bundle includes no Location at all, only
			// Organization/23: Schedule.actor[0] "Location/17" does not
			// resolve, so SCHEDULE_DANGLING_REF once. The actor is a
			// Location reference, so not SCHEDULE_NO_LOCATION; there is no
			// Location resource, so no LOCATION_NO_ORG; the slots' location
			// is "missing".
			//
			// And the times are written +01:00, but 29 Mar 2019 is before
			// the clock change (31 Mar), so UK local time is +00:00: the
			// slots are at 10:30 and 10:40 UK time, an hour from what they
			// read. TIME_WRONG_OFFSET for each of the six date-times: two
			// slots' start and end, and Schedule/14's planningHorizon
			// start and end.
			file:     "appointments-search-for-free-slots-response-payload-2.json",
			problems: map[string]int{checker.ScheduleDanglingRef: 1, checker.TimeWrongOffset: 6},
			cases: []tpCase{
				{name: "week", q: both("2019-03-25", "2019-03-31"), now: london(2019, 3, 28, 9, 0)},
				{name: "week before", q: both("2019-03-18", "2019-03-24"), now: london(2019, 3, 17, 9, 0), excludes: true},
				{name: "from 10:35", q: both("2019-03-29", "2019-03-29"),
					from: london(2019, 3, 29, 10, 35), to: london(2019, 3, 30, 0, 0), now: london(2019, 3, 28, 9, 0), excludes: true},
			},
		},
		{
			// A searchset with "entry": []: nothing found, nothing wrong.
			file: "appointments-search-for-free-slots-response-payload-3.json", empty: true,
			problems: map[string]int{},
			cases: []tpCase{
				// The window of the specification's request example (request-header-3).
				{name: "week", q: both("2017-10-01", "2017-10-07"), now: london(2017, 9, 30, 9, 0)},
			},
		},
	} {
		t.Run(strings.TrimSuffix(p.file, ".json"), func(t *testing.T) {
			doc := readJSON(t, filepath.Join(dir, p.file))
			fake := clienttest.ThirdParty(t, dir, p.file)
			for _, tc := range p.cases {
				t.Run(tc.name, func(t *testing.T) {
					c := &client.Client{Clock: func() time.Time { return tc.now }, Identity: client.Identity{
						OrgODS: "Y99911", OrgName: "Test 111", PractitionerID: "1", PractitionerFamily: "Tester",
						DeviceSystem: "https://pcnhub.example/Id/device", DeviceValue: "checker-test", DeviceModel: "pcnhub", DeviceVersion: "test",
						ASID: "200000000359", Issuer: "https://consumer.example"}}
					ctx := context.Background()

					cs, err := c.Metadata(ctx, fake.Endpoint)
					if err != nil {
						t.Fatalf("metadata: %v", err)
					}
					checkCapability(t, cs, capDoc)

					before := len(fake.Searches())
					b, raw, err := c.SearchSlots(ctx, fake.Endpoint, tc.q)
					if err != nil {
						t.Fatalf("slot search: %v", err)
					}
					searches := fake.Searches()
					if len(searches) != before+1 {
						t.Fatalf("the provider saw %d slot searches, want %d", len(searches), before+1)
					}
					checkSearch(t, searches[before], tc.q, c.Identity.ASID)

					from, to := tc.from, tc.to
					if from.IsZero() {
						from, to = tc.q.From.Time(pcnhub.London), tc.q.To.AddDays(1).Time(pcnhub.London)
					}
					want := expect(t, doc, from, to, tc.now)
					if (want.slots == 0) != p.empty {
						t.Fatalf("fixture walk found %d slots; empty = %v", want.slots, p.empty)
					}
					if (want.outside > 0) != tc.excludes {
						t.Fatalf("fixture walk: %d slots outside [%v, %v), but excludes = %v", want.outside, from, to, tc.excludes)
					}
					r := checker.Analyse(raw, b, from, to, tc.now)

					if r.BundleType != want.bundleType {
						t.Errorf("bundle type %q, want %q", r.BundleType, want.bundleType)
					}
					for _, n := range []struct {
						name      string
						got, want int
					}{
						{"slots", r.Slots, want.slots}, {"free", r.Free, want.free}, {"past", r.Past, want.past},
						{"next 24h", r.Next24h, want.next24h}, {"next 72h", r.Next72h, want.next72h},
					} {
						if n.got != n.want {
							t.Errorf("%s: %d, want %d", n.name, n.got, n.want)
						}
					}
					if !r.Earliest.Equal(want.earliest) {
						t.Errorf("earliest %v, want %v", r.Earliest, want.earliest)
					}
					for _, m := range []struct {
						name      string
						got, want map[string]int
					}{
						{"day", r.ByDay, want.byDay}, {"channel", r.ByChannel, want.byChannel}, {"type", r.ByType, want.byType},
						{"session", r.BySession, want.bySession}, {"role", r.ByRole, want.byRole}, {"location", r.ByLocation, want.byLocation},
					} {
						if !maps.Equal(m.got, m.want) {
							t.Errorf("by %s: %v, want %v", m.name, m.got, m.want)
						}
					}

					wantProblems := maps.Clone(p.problems)
					if want.outside > 0 {
						wantProblems[checker.SlotOutsideWindow] = want.outside
					}
					gotProblems := map[string]int{}
					for _, pr := range r.Problems {
						gotProblems[pr.Code] = pr.Count
						if !strings.HasPrefix(pr.Message, checker.Message(pr.Code)) {
							t.Errorf("%s: message %q", pr.Code, pr.Message)
						}
					}
					if !maps.Equal(gotProblems, wantProblems) {
						t.Errorf("problems %+v, want %v", r.Problems, wantProblems)
					}
				})
			}
		})
	}
}

// checkSearch checks the slot search the provider received against the
// query: the fake itself has checked the headers and the query's form.
func checkSearch(t *testing.T, s clienttest.SlotSearch, q client.SlotQuery, consumerASID string) {
	t.Helper()
	if got := s.Header.Get("Ssp-From"); got != consumerASID {
		t.Errorf("Ssp-From %q, want %s", got, consumerASID)
	}
	if got := s.Query.Get("start"); got != "ge"+q.From.String() {
		t.Errorf("start %q, want ge%s", got, q.From)
	}
	if got := s.Query.Get("end"); got != "le"+q.To.String() {
		t.Errorf("end %q, want le%s", got, q.To)
	}
	var want []string
	if q.ConsumerODS != "" {
		want = append(want, "https://fhir.nhs.uk/Id/ods-organization-code|"+string(q.ConsumerODS))
	}
	if q.OrgType != "" {
		want = append(want, "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|"+string(q.OrgType))
	}
	got := slices.Clone(s.Query["searchFilter"])
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("searchFilter %q, want %q", got, want)
	}
}

// checkCapability compares what the client read of the provider's
// CapabilityStatement with the example JSON.
func checkCapability(t *testing.T, cs *fhir.CapabilityStatement, doc map[string]any) {
	t.Helper()
	software := ""
	if cs.Software != nil {
		software = cs.Software.Name + "|" + cs.Software.Version
	}
	for _, f := range []struct{ name, got, want string }{
		{"version", cs.Version, str(doc, "version")},
		{"fhirVersion", cs.FHIRVersion, str(doc, "fhirVersion")},
		{"publisher", cs.Publisher, str(doc, "publisher")},
		{"software", software, str(doc, "software", "name") + "|" + str(doc, "software", "version")},
	} {
		if f.got != f.want || f.want == "" {
			t.Errorf("capability %s %q, want %q", f.name, f.got, f.want)
		}
	}
	var formats []string
	for _, f := range list(doc, "format") {
		s, _ := f.(string)
		formats = append(formats, s)
	}
	if !slices.Equal(cs.Format, formats) {
		t.Errorf("capability formats %q, want %q", cs.Format, formats)
	}
	wantSlotSearch := false
	for _, rest := range list(doc, "rest") {
		for _, res := range list(rest, "resource") {
			for _, in := range list(res, "interaction") {
				wantSlotSearch = wantSlotSearch || str(res, "type") == "Slot" && str(in, "code") == "search-type"
			}
		}
	}
	gotSlotSearch := false
	for _, rest := range cs.Rest {
		for _, res := range rest.Resource {
			for _, in := range res.Interaction {
				gotSlotSearch = gotSlotSearch || res.Type == "Slot" && in.Code == "search-type"
			}
		}
	}
	if !wantSlotSearch || gotSlotSearch != wantSlotSearch {
		t.Errorf("Slot search-type declared: got %v, the example says %v", gotSlotSearch, wantSlotSearch)
	}
}

// expected is a report computed from the example JSON.
type expected struct {
	bundleType                                              string
	slots, free, past, next24h, next72h, outside            int
	earliest                                                time.Time
	byDay, byChannel, byType, bySession, byRole, byLocation map[string]int
}

// expect walks the Bundle's entries as a consumer reads them (assurance.md
// Part C §1.3): each Slot, its Schedule by reference, the Schedule's
// Location actor by reference, and the DeliveryChannel and
// PractitionerRole extensions by URL.
func expect(t *testing.T, doc map[string]any, from, to, now time.Time) expected {
	t.Helper()
	e := expected{bundleType: str(doc, "type"), byDay: map[string]int{}, byChannel: map[string]int{}, byType: map[string]int{},
		bySession: map[string]int{}, byRole: map[string]int{}, byLocation: map[string]int{}}
	byRef := map[string]any{}
	var slots []any
	for _, en := range list(doc, "entry") {
		res := get(en, "resource")
		byRef[str(res, "resourceType")+"/"+str(res, "id")] = res
		if str(res, "resourceType") == "Slot" {
			slots = append(slots, res)
		}
	}
	parse := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("fixture time %q: %v", s, err)
		}
		return tm
	}
	ext := func(res any, url string) any {
		for _, x := range list(res, "extension") {
			if str(x, "url") == url {
				return x
			}
		}
		return nil
	}
	orMissing := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return checker.Missing
		}
		return s
	}
	for _, s := range slots {
		e.slots++
		start, end := parse(str(s, "start")), parse(str(s, "end"))
		if start.After(now) {
			if str(s, "status") == "free" {
				e.free++
				if e.earliest.IsZero() || start.Before(e.earliest) {
					e.earliest = start
				}
				if !start.After(now.Add(24 * time.Hour)) {
					e.next24h++
				}
				if !start.After(now.Add(72 * time.Hour)) {
					e.next72h++
				}
			}
		} else {
			e.past++
		}
		if start.Before(from) || end.After(to) {
			e.outside++
		}
		e.byDay[start.In(pcnhub.London).Format(time.DateOnly)]++
		e.byChannel[orMissing(str(ext(s, urlDeliveryChannel), "valueCode"))]++
		e.byType[orMissing(str(s, "serviceType", 0, "text"))]++

		sc := byRef[str(s, "schedule", "reference")]
		location := ""
		for _, a := range list(sc, "actor") {
			if ref := str(a, "reference"); strings.HasPrefix(ref, "Location/") && location == "" {
				location = str(byRef[ref], "name")
			}
		}
		e.bySession[orMissing(str(sc, "serviceCategory", "text"))]++
		e.byRole[orMissing(str(ext(sc, urlPractitionerRole), "valueCodeableConcept", "coding", 0, "display"))]++
		e.byLocation[orMissing(location)]++
	}
	return e
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

// get follows a path of object keys (string) and array indexes (int); it
// returns nil when the path is absent.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any, path ...any) string { s, _ := get(v, path...).(string); return s }
func list(v any, path ...any) []any { a, _ := get(v, path...).([]any); return a }
