package hub_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
	"github.com/pcnhub/pcnhub/hub"
)

// general is the slow, general way: the FHIR codec, then Flatten.
func general(t testing.TB, raw []byte) ([]hub.FoundSlot, bool) {
	res, err := fhir.Unmarshal(fhir.JSON, raw)
	if err != nil {
		return nil, false
	}
	b, ok := res.(*fhir.Bundle)
	if !ok {
		return nil, false
	}
	return hub.Flatten(b, "A99991", "Riverside"), true
}

func sameRows(t *testing.T, what string, got, want []hub.FoundSlot) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.Start.Equal(w.Start) || !g.End.Equal(w.End) {
			t.Fatalf("%s row %d: times %s–%s, want %s–%s", what, i, g.Start, g.End, w.Start, w.End)
		}
		g.Start, g.End = w.Start, w.End
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("%s row %d:\n got %+v\nwant %+v", what, i, g, w)
		}
	}
}

// The fast path reads our own provider's answer exactly as the general
// decoder does.
func TestFlattenJSONOwnProvider(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, pcnhub.London)
	day := pcnhub.DateOf(now)
	ep := clienttest.Provider(t, now, day)
	c := &client.Client{Clock: func() time.Time { return now }, Identity: client.Identity{OrgODS: clienttest.ConsumerODS, OrgName: "Test 111",
		PractitionerID: "1", PractitionerFamily: "Tester", DeviceSystem: "https://pcnhub.example/Id/device", DeviceValue: "t",
		DeviceModel: "pcnhub", DeviceVersion: "test", ASID: "200000000359", Issuer: "https://consumer.example"}}
	raw, err := c.SearchSlotsRaw(t.Context(), ep, client.SlotQuery{From: day, To: day.AddDays(13)})
	if err != nil {
		t.Fatal(err)
	}
	fast, err := hub.FlattenJSON(raw, "A99991", "Riverside")
	if err != nil {
		t.Fatal(err)
	}
	want, ok := general(t, raw)
	if !ok || len(want) < clienttest.BookSlots {
		t.Fatalf("general decode: %d rows", len(want))
	}
	sameRows(t, "own provider", fast, want)
	if fast[0].Location == "" || fast[0].Practitioner == "" || fast[0].Role == "" || fast[0].Channel == "" || fast[0].SessionName == "" {
		t.Fatalf("resolved fields missing: %+v", fast[0])
	}
}

// And the NHS example answers, and escapes, and anything unexpected sends
// the caller back to the general decoder rather than misreading.
func TestFlattenJSONExamples(t *testing.T) {
	dir := fhirtest.SharedPath(t, "fixtures/gpconnect-spec-examples")
	for _, n := range []string{"1", "2", "3"} {
		raw, err := os.ReadFile(filepath.Join(dir, "appointments-search-for-free-slots-response-payload-"+n+".json"))
		if err != nil {
			t.Fatal(err)
		}
		fast, err := hub.FlattenJSON(raw, "A99991", "Riverside")
		if err != nil {
			t.Fatalf("payload %s: %v", n, err)
		}
		want, _ := general(t, raw)
		sameRows(t, "payload "+n, fast, want)
	}
	escaped := `{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Slot","id":"1","status":"free",` +
		`"start":"2026-11-24T09:00:00+00:00","end":"2026-11-24T09:10:00+00:00","serviceType":[{"text":"Caf\u00e9 \"clinic\""}],` +
		`"schedule":{"reference":"Schedule/9"}}}]}`
	rows, err := hub.FlattenJSON([]byte(escaped), "A99991", "Riverside")
	if err != nil || len(rows) != 1 || rows[0].SlotType != `Café "clinic"` {
		t.Fatalf("escapes: %+v %v", rows, err)
	}
	for _, bad := range []string{``, `[]`, `{"resourceType":"OperationOutcome"}`, `{"resourceType":"Bundle","entry":[{"resource":{"start":"9am"` +
		`,"resourceType":"Slot","status":"free","end":"x"}}]}`, `{"resourceType":"Bundle"} trailing`, `{"resourceType":"Bundle","entry":[}`} {
		if _, err := hub.FlattenJSON([]byte(bad), "A99991", ""); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}

func FuzzFlattenJSON(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Slot","id":"1","status":"free","start":"2026-11-24T09:00:00+00:00","end":"2026-11-24T09:10:00+00:00"}}]}`))
	if dir, err := filepath.Abs("../../shared/fixtures/gpconnect-spec-examples"); err == nil {
		if names, _ := filepath.Glob(filepath.Join(dir, "appointments-search-for-free-slots-response-payload-*.json")); len(names) > 0 {
			for _, n := range names {
				b, _ := os.ReadFile(n)
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, err := hub.FlattenJSON(raw, "A99991", "Riverside")
		if err != nil {
			return
		}
		if want, ok := general(t, raw); ok && !strings.Contains(string(raw), `\/`) {
			sameRows(t, "fuzz", fast, want)
		}
	})
}
