package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
)

const structuredFixtureDir = "fixtures/structured-records"

// structuredDefect is a genuine defect of a structured-record fixture that
// our strict decoder refuses. repair fixes every occurrence in the fixture
// (decoded as generic JSON with json.Number) and returns how many it fixed,
// which must be count: a new defect, or one fewer, fails the test. Only the
// repaired elements differ from the original in the round-trip comparison.
type structuredDefect struct {
	why    string
	path   *regexp.Regexp // the DecodeError.Path of the unrepaired fixture
	count  int
	repair func(v any) int
}

// validID is the STU3 id type, anchored: the STU3 JSON schema writes the same
// pattern unanchored, so it lets these defects through.
var validID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// invalidResourceIDs: the EMIS-style ids hold '_' (e.g.
// "5000000000000000_8ddb070000000000", "1004837_1",
// "1000000000000000_61aff60000000000_order") or run to more than 64
// characters, and STU3 ids are [A-Za-z0-9\-\.]{1,64}.
var invalidResourceIDs = structuredDefect{
	why:  "resource ids outside the STU3 id type [A-Za-z0-9\\-\\.]{1,64} ('_' characters, or longer than 64 characters)",
	path: regexp.MustCompile(`^Bundle\.entry\[\d+\]\.resource(\.contained\[\d+\])?\.id$`),
	repair: func(v any) int {
		return walkResources(v, func(r map[string]any) int {
			id, ok := r["id"].(string)
			if !ok || validID.MatchString(id) {
				return 0
			}
			id = regexp.MustCompile(`[^A-Za-z0-9\-.]`).ReplaceAllString(id, "-")
			if len(id) > 64 {
				id = id[:64]
			}
			r["id"] = id
			return 1
		})
	},
}

var structuredDefects = map[string][]structuredDefect{
	"Consolidated_allergies_test_record.json": {withCount(invalidResourceIDs, 22)},
	"Consolidation_meds_test_record.json":     {withCount(invalidResourceIDs, 69)},
	"Consultations_ConsumerData_v0_2.json": {{
		why: "QuestionnaireResponse.item without linkId, which STU3 requires (1..1); " +
			"the STU3 JSON schema cannot require primitives, so it lets this through",
		path:  regexp.MustCompile(`^Bundle\.entry\[\d+\]\.resource\.item\[\d+\]\.linkId$`),
		count: 4,
		repair: func(v any) int {
			return walkResources(v, func(r map[string]any) int {
				if r["resourceType"] != "QuestionnaireResponse" {
					return 0
				}
				return addLinkIDs(r["item"], "item")
			})
		},
	}},
}

func withCount(d structuredDefect, n int) structuredDefect {
	d.count = n
	return d
}

// addLinkIDs gives every QuestionnaireResponse item (at any depth) that
// lacks a linkId a placeholder one.
func addLinkIDs(items any, prefix string) int {
	list, _ := items.([]any)
	n := 0
	for i, it := range list {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		name := fmt.Sprintf("%s-%d", prefix, i)
		if _, ok := m["linkId"]; !ok {
			m["linkId"] = "repaired-" + name
			n++
		}
		n += addLinkIDs(m["item"], name)
		if answers, ok := m["answer"].([]any); ok {
			for j, a := range answers {
				if am, ok := a.(map[string]any); ok {
					n += addLinkIDs(am["item"], fmt.Sprintf("%s-answer-%d", name, j))
				}
			}
		}
	}
	return n
}

// walkResources calls f on every resource (an object with a resourceType)
// in v, including nested ones, and sums what f returns.
func walkResources(v any, f func(map[string]any) int) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["resourceType"].(string); ok {
			n += f(x)
		}
		for _, e := range x {
			n += walkResources(e, f)
		}
	case []any:
		for _, e := range x {
			n += walkResources(e, f)
		}
	}
	return n
}

// TestStructuredRecordFixtures decodes every GP Connect Access Record
// Structured bundle, checks that its entries are the typed resources, that
// it validates against the STU3 schema, and that JSON → structs → JSON and
// JSON → structs → XML → structs → JSON give the fixture back (see
// roundTrip). Fixtures with genuine defects (structuredDefects) must be
// refused as they are, and round trip once repaired.
func TestStructuredRecordFixtures(t *testing.T) {
	dir := fhirtest.SharedPath(t, structuredFixtureDir)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("skipping: no *.json fixtures in %s", dir)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fhirtest.ValidateJSON(t, raw)
			data := raw
			if defects, ok := structuredDefects[name]; ok {
				data = repairStructured(t, raw, defects)
			}
			want := rawResourceCounts(t, data)

			r, err := fhir.Unmarshal(fhir.JSON, data)
			if err != nil {
				t.Fatalf("Unmarshal JSON: %v", err)
			}
			b, ok := r.(*fhir.Bundle)
			if !ok {
				t.Fatalf("decoded a %T, want *fhir.Bundle", r)
			}
			got := map[string]int{}
			for i, e := range b.Entry {
				if e.Resource == nil {
					t.Errorf("entry[%d] has no resource", i)
					continue
				}
				rt := e.Resource.ResourceType()
				if gt := reflect.TypeOf(e.Resource).Elem().Name(); gt != rt {
					t.Errorf("entry[%d] is a %T for resourceType %s", i, e.Resource, rt)
				}
				got[rt]++
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("entry resource types = %v, want %v", got, want)
			}
			roundTrip(t, name, data)
			if !t.Failed() {
				t.Logf("%d entries %v: decode, schema, JSON and XML round trips OK", len(b.Entry), got)
			}
		})
	}
	for name := range structuredDefects {
		if !containsBase(files, name) {
			t.Errorf("structuredDefects lists %s, which is not among the fixtures", name)
		}
	}
}

// repairStructured checks that the fixture is refused because of its
// defects, repairs them and returns the repaired JSON.
func repairStructured(t *testing.T, raw []byte, defects []structuredDefect) []byte {
	t.Helper()
	_, err := fhir.Unmarshal(fhir.JSON, raw)
	var de *fhir.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("expected a *DecodeError for a known defect, got %v", err)
	}
	matched := false
	for _, d := range defects {
		matched = matched || d.path.MatchString(de.Path)
	}
	if !matched {
		t.Fatalf("the fixture is refused for an unexpected reason: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep numbers as written
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	for _, d := range defects {
		if n := d.repair(v); n != d.count {
			t.Fatalf("repaired %d occurrences of %q, want %d", n, d.why, d.count)
		}
		t.Logf("known fixture defect, %d occurrences repaired (and so left out of the comparison): %s", d.count, d.why)
	}
	if n := walkResources(v, func(r map[string]any) int {
		if id, ok := r["id"].(string); ok && !validID.MatchString(id) {
			return 1
		}
		return 0
	}); n != 0 {
		t.Fatalf("%d invalid ids remain after repair", n)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rawResourceCounts counts the resourceTypes of the Bundle entries with
// encoding/json alone.
func rawResourceCounts(t *testing.T, data []byte) map[string]int {
	t.Helper()
	var b struct {
		ResourceType string
		Entry        []struct {
			Resource struct{ ResourceType string }
		}
	}
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	if b.ResourceType != "Bundle" {
		t.Fatalf("fixture is a %q, not a Bundle", b.ResourceType)
	}
	counts := map[string]int{}
	for _, e := range b.Entry {
		counts[e.Resource.ResourceType]++
	}
	return counts
}

// TestStructuredFixturesHaveNoUnlistedInvalidIDs makes sure the fixtures not
// listed with invalidResourceIDs really have none (so the list is complete).
func TestStructuredFixturesHaveNoUnlistedInvalidIDs(t *testing.T) {
	dir := fhirtest.SharedPath(t, structuredFixtureDir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, file := range files {
		name := filepath.Base(file)
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		n := walkResources(v, func(r map[string]any) int {
			if id, ok := r["id"].(string); ok && !validID.MatchString(id) {
				return 1
			}
			return 0
		})
		listed := false
		for _, d := range structuredDefects[name] {
			listed = listed || strings.HasPrefix(d.why, "resource ids")
		}
		if n > 0 && !listed {
			t.Errorf("%s: %d invalid resource ids, but invalidResourceIDs is not listed for it", name, n)
		}
	}
}

// TestClinicalDataTypesRoundTrip covers the data types clinical.go adds that
// the fixtures do not use (SampledData, Timing with boundsDuration, Age,
// Dosage rate and dose), in both formats and against the schema.
func TestClinicalDataTypesRoundTrip(t *testing.T) {
	docs := map[string]string{
		"observation": `{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"ECG"},
			"valueSampledData":{"origin":{"value":2048},"period":10.50,"factor":1.0,"dimensions":3,"data":"2041 2043 E"},
			"component":[{"code":{"text":"x"},"valueTime":"10:20:30"}]}`,
		"condition": `{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/1"},
			"onsetAge":{"value":42,"unit":"a","system":"http://unitsofmeasure.org","code":"a"},"abatementBoolean":true}`,
		"medicationRequest": `{"resourceType":"MedicationRequest","id":"m1","intent":"plan",
			"medicationReference":{"reference":"Medication/1"},"subject":{"reference":"Patient/1"},
			"dosageInstruction":[{"sequence":1,"text":"one twice a day","timing":{"event":["2024-01-02"],
			"repeat":{"boundsDuration":{"value":7,"unit":"d"},"frequency":2,"period":1,"periodUnit":"d","when":["MORN","EVE"],"timeOfDay":["08:00:00"]}},
			"asNeededBoolean":false,"doseQuantity":{"value":1,"unit":"tablet"},"rateRatio":{"numerator":{"value":1}}}],
			"dispenseRequest":{"numberOfRepeatsAllowed":2,"expectedSupplyDuration":{"value":28,"unit":"day"}}}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			fhirtest.ValidateJSON(t, []byte(doc))
			roundTrip(t, name, []byte(doc))
		})
	}
}

// TestClinicalStrictness spot-checks that the new types get the codec's
// usual strictness: choice groups, required elements and required bindings.
func TestClinicalStrictness(t *testing.T) {
	cases := []struct{ doc, path string }{
		{`{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","valueBoolean":true}`, "Observation.valueBoolean"},
		{`{"resourceType":"Observation","code":{"text":"x"}}`, "Observation.status"},
		{`{"resourceType":"List","status":"current","mode":"nonsense"}`, "List.mode"},
		{`{"resourceType":"Immunization","status":"completed","notGiven":false,"vaccineCode":{"text":"x"},"patient":{"reference":"Patient/1"}}`, "Immunization.primarySource"},
		{`{"resourceType":"MedicationStatement","status":"active","subject":{"reference":"Patient/1"},"taken":"y","dosage":[{"timing":{"repeat":{"boundsAge":{"value":1}}}}]}`, "MedicationStatement.dosage[0].timing.repeat.boundsAge"},
	}
	for _, c := range cases {
		_, err := fhir.Unmarshal(fhir.JSON, []byte(c.doc))
		var de *fhir.DecodeError
		if !errors.As(err, &de) || de.Path != c.path {
			t.Errorf("%s: got %v, want a DecodeError at %s", c.doc, err, c.path)
		}
	}
}
