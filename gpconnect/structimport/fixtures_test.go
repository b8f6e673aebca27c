package structimport_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
)

// The NHS structured-record examples, and their known defects, as in
// fhir/clinical_test.go (whose repair code is copied here: a _test file
// cannot be imported). The repair there fixes resource ids only; since the
// importer links resources by reference, the references to a repaired id are
// repaired the same way here, so that the fixture keeps meaning what it
// meant.

const structuredFixtureDir = "fixtures/structured-records"

// validID is the STU3 id type, anchored.
var validID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

var invalidIDChars = regexp.MustCompile(`[^A-Za-z0-9\-.]`)

// repairID is the repair of fhir/clinical_test.go's invalidResourceIDs.
func repairID(id string) string {
	id = invalidIDChars.ReplaceAllString(id, "-")
	if len(id) > 64 {
		id = id[:64]
	}
	return id
}

// defect is a known defect of a fixture: repair fixes it in the generic
// JSON and returns how many occurrences it fixed, which must be count.
type defect struct {
	why    string
	count  int
	repair func(v any) int
}

var invalidResourceIDs = defect{
	why: "resource ids outside the STU3 id type [A-Za-z0-9\\-\\.]{1,64}",
	repair: func(v any) int {
		return walkResources(v, func(r map[string]any) int {
			id, ok := r["id"].(string)
			if !ok || validID.MatchString(id) {
				return 0
			}
			r["id"] = repairID(id)
			return 1
		})
	},
}

var missingLinkIDs = defect{
	why:   "QuestionnaireResponse.item without linkId, which STU3 requires (1..1)",
	count: 4,
	repair: func(v any) int {
		return walkResources(v, func(r map[string]any) int {
			if r["resourceType"] != "QuestionnaireResponse" {
				return 0
			}
			return addLinkIDs(r["item"], "item")
		})
	},
}

func withCount(d defect, n int) defect {
	d.count = n
	return d
}

var fixtureDefects = map[string][]defect{
	"Consolidated_allergies_test_record.json": {withCount(invalidResourceIDs, 22)},
	"Consolidation_meds_test_record.json":     {withCount(invalidResourceIDs, 69)},
	"Consultations_ConsumerData_v0_2.json":    {missingLinkIDs},
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

// repairReferences applies repairID to the id part of every reference
// ("Type/id" or "#id") whose id is not a valid STU3 id, and returns how many
// it changed.
func repairReferences(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "reference" {
				i := strings.LastIndexAny(s, "/#")
				if i >= 0 && !validID.MatchString(s[i+1:]) {
					x[k] = s[:i+1] + repairID(s[i+1:])
					n++
				}
				continue
			}
			n += repairReferences(e)
		}
	case []any:
		for _, e := range x {
			n += repairReferences(e)
		}
	}
	return n
}

// fixture is a decoded, repaired structured-record fixture.
type fixture struct {
	name   string
	data   []byte         // the repaired JSON
	json   map[string]any // the repaired JSON, generic
	bundle *fhir.Bundle
}

func fixtureFiles(t testing.TB) []string {
	dir := fhirtest.SharedPath(t, structuredFixtureDir)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("skipping: no *.json fixtures in %s", dir)
	}
	return files
}

// loadFixture reads, repairs (checking the defect is there, as
// fhir/clinical_test.go does) and decodes a fixture.
func loadFixture(t testing.TB, file string) fixture {
	t.Helper()
	name := filepath.Base(file)
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data := raw
	if defects, ok := fixtureDefects[name]; ok {
		if _, err := fhir.Unmarshal(fhir.JSON, raw); err == nil {
			t.Fatalf("%s: expected the known defects to make decoding fail", name)
		} else if de := (*fhir.DecodeError)(nil); !errors.As(err, &de) {
			t.Fatalf("%s: expected a *fhir.DecodeError, got %v", name, err)
		}
		v := decodeGeneric(t, raw)
		for _, d := range defects {
			if n := d.repair(v); n != d.count {
				t.Fatalf("%s: repaired %d occurrences of %q, want %d", name, n, d.why, d.count)
			}
		}
		if refs := repairReferences(v); refs > 0 {
			t.Logf("%s: %d references to repaired ids repaired the same way", name, refs)
		}
		if data, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	r, err := fhir.Unmarshal(fhir.JSON, data)
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	b, ok := r.(*fhir.Bundle)
	if !ok {
		t.Fatalf("%s: decoded a %T, want a Bundle", name, r)
	}
	return fixture{name: name, data: data, json: decodeGeneric(t, data).(map[string]any), bundle: b}
}

func decodeGeneric(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
