package fhir_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
)

const fixtureDir = "fixtures/gpconnect-spec-examples"

// expectedRejections are the NHS examples our strict decoder refuses because
// of a genuine defect in the example. repair turns the example into what it
// meant, which must then round trip like the others.
var expectedRejections = map[string]struct {
	path, why string
	repair    func(string) string
}{
	"foundations-get-capability-statement-response-payload-1.json": {
		path: "CapabilityStatement.software.releaseDate",
		why: "the example keeps the template placeholder \"[Provider Software Release Date]\" " +
			"where STU3 requires a dateTime (the STU3 JSON schema rejects it too)",
		repair: func(s string) string {
			return strings.Replace(s, `"[Provider Software Release Date]"`, `"2020-01-15"`, 1)
		},
	},
}

// emptyArrayFixtures are the examples that hold an empty array, which FHIR
// does not allow but the decoder reads as an absent element (the spec's own
// empty search results are written this way). Their round trip drops the
// array; the value is the path of the array.
var emptyArrayFixtures = map[string]string{
	"appointments-retrieve-patient-appts-response-payload-1b.json": "Bundle.entry",
	"appointments-search-for-free-slots-response-payload-3.json":   "Bundle.entry",
	"foundations-find-organization-response-payload-1b.json":       "Bundle.entry",
	"foundations-find-patient-response-payload-1b.json":            "Bundle.entry",
	"foundations-find-practitioner-response-payload-1b.json":       "Bundle.entry",
}

func fixtureFiles(t testing.TB) []string {
	dir := fhirtest.SharedPath(t, fixtureDir)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("skipping: no *.json fixtures in %s", dir)
	}
	return files
}

// TestFixturesRoundTrip decodes every GP Connect example, and checks that
// JSON → structs → JSON and JSON → structs → XML → structs → JSON give back
// the example (as generic JSON: key order, white space and the spelling of
// numbers aside), and that what we write validates against the STU3 schema.
func TestFixturesRoundTrip(t *testing.T) {
	files := fixtureFiles(t)
	var rejected []string
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			data := string(raw)
			if rej, ok := expectedRejections[name]; ok {
				_, err := fhir.Unmarshal(fhir.JSON, raw)
				var de *fhir.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("expected a *DecodeError at %s (%s), got %v", rej.path, rej.why, err)
				}
				if de.Path != rej.path {
					t.Fatalf("DecodeError path = %q, want %q (%s); error: %v", de.Path, rej.path, rej.why, err)
				}
				rejected = append(rejected, name+": "+err.Error()+" — "+rej.why)
				data = rej.repair(data)
			} else {
				fhirtest.ValidateJSON(t, raw)
			}
			roundTrip(t, name, []byte(data))
		})
	}
	for _, r := range rejected {
		t.Logf("expected rejection: %s", r)
	}
	for name := range expectedRejections {
		if !containsBase(files, name) {
			t.Errorf("expectedRejections lists %s, which is not among the fixtures", name)
		}
	}
	for name := range emptyArrayFixtures {
		if !containsBase(files, name) {
			t.Errorf("emptyArrayFixtures lists %s, which is not among the fixtures", name)
		}
	}
}

func containsBase(files []string, name string) bool {
	for _, f := range files {
		if filepath.Base(f) == name {
			return true
		}
	}
	return false
}

func roundTrip(t *testing.T, name string, data []byte) {
	t.Helper()
	want, err := fhirtest.Generic(data)
	if err != nil {
		t.Fatalf("fixture is not JSON: %v", err)
	}
	if stripped, n := stripEmptyArrays(want); n > 0 {
		if _, ok := emptyArrayFixtures[name]; !ok {
			t.Fatalf("fixture holds %d empty arrays but is not listed in emptyArrayFixtures", n)
		}
		want = stripped
	} else if _, ok := emptyArrayFixtures[name]; ok {
		t.Fatalf("emptyArrayFixtures lists this fixture, but it holds no empty array")
	}

	r, err := fhir.Unmarshal(fhir.JSON, data)
	if err != nil {
		t.Fatalf("Unmarshal JSON: %v", err)
	}
	// UnmarshalInto a resource of the right type gives the same value.
	into := reflect.New(reflect.TypeOf(r).Elem()).Interface().(fhir.Resource)
	if err := fhir.UnmarshalInto(fhir.JSON, data, into); err != nil {
		t.Fatalf("UnmarshalInto: %v", err)
	}
	if !reflect.DeepEqual(r, into) {
		t.Fatalf("UnmarshalInto and Unmarshal disagree")
	}

	out, err := fhir.Marshal(fhir.JSON, r)
	if err != nil {
		t.Fatalf("Marshal JSON: %v", err)
	}
	assertSameJSON(t, "JSON → structs → JSON", out, want)
	fhirtest.ValidateJSON(t, out)

	x, err := fhir.Marshal(fhir.XML, r)
	if err != nil {
		t.Fatalf("Marshal XML: %v", err)
	}
	r2, err := fhir.Unmarshal(fhir.XML, x)
	if err != nil {
		t.Fatalf("Unmarshal XML: %v\n%s", err, x)
	}
	if !reflect.DeepEqual(r, r2) {
		t.Errorf("JSON → structs → XML → structs changed the value")
	}
	out2, err := fhir.Marshal(fhir.JSON, r2)
	if err != nil {
		t.Fatalf("Marshal JSON after XML: %v", err)
	}
	assertSameJSON(t, "JSON → structs → XML → structs → JSON", out2, want)
	x2, err := fhir.Marshal(fhir.XML, r2)
	if err != nil {
		t.Fatal(err)
	}
	if string(x) != string(x2) {
		t.Errorf("XML is not stable across a round trip:\n%s\n%s", x, x2)
	}
}

func assertSameJSON(t *testing.T, what string, got []byte, want any) {
	t.Helper()
	g, err := fhirtest.Generic(got)
	if err != nil {
		t.Fatalf("%s: output is not JSON: %v\n%s", what, err, got)
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("%s differs from the original:\n%s", what, diffJSON("", g, want))
	}
}

// stripEmptyArrays returns v without the object members whose value is an
// empty array, and how many it removed.
func stripEmptyArrays(v any) (any, int) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		n := 0
		for k, e := range x {
			if a, ok := e.([]any); ok && len(a) == 0 {
				n++
				continue
			}
			s, m := stripEmptyArrays(e)
			out[k] = s
			n += m
		}
		return out, n
	case []any:
		out := make([]any, len(x))
		n := 0
		for i, e := range x {
			s, m := stripEmptyArrays(e)
			out[i] = s
			n += m
		}
		return out, n
	}
	return v, 0
}

// diffJSON describes the first few differences between two generic JSON values.
func diffJSON(path string, got, want any) string {
	var lines []string
	var walk func(path string, g, w any)
	walk = func(path string, g, w any) {
		if len(lines) >= 10 {
			return
		}
		switch wv := w.(type) {
		case map[string]any:
			gv, ok := g.(map[string]any)
			if !ok {
				lines = append(lines, path+": got "+short(g)+", want an object")
				return
			}
			for k, e := range wv {
				if ge, ok := gv[k]; ok {
					walk(path+"."+k, ge, e)
				} else {
					lines = append(lines, path+"."+k+": missing")
				}
			}
			for k := range gv {
				if _, ok := wv[k]; !ok {
					lines = append(lines, path+"."+k+": unexpected "+short(gv[k]))
				}
			}
		case []any:
			gv, ok := g.([]any)
			if !ok || len(gv) != len(wv) {
				lines = append(lines, path+": got "+short(g)+", want "+short(w))
				return
			}
			for i := range wv {
				walk(path+"["+itoa(i)+"]", gv[i], wv[i])
			}
		default:
			if !reflect.DeepEqual(g, w) {
				lines = append(lines, path+": got "+short(g)+", want "+short(w))
			}
		}
	}
	walk(path, got, want)
	return strings.Join(lines, "\n")
}

func short(v any) string {
	s := strings.ReplaceAll(strings.TrimSpace(fmtAny(v)), "\n", " ")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}
