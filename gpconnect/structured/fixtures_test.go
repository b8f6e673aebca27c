package structured

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/pcnhub/pcnhub/fhir/fhirtest"
)

// shapes is what a set of bundles uses, per resource type (contained
// resources counted under their own type): profiles, extension urls, and
// the titles of Lists by code.
type shapes struct {
	profiles   map[string]map[string]bool
	extensions map[string]map[string]bool
	listTitles map[string]string
}

func newShapes() *shapes {
	return &shapes{profiles: map[string]map[string]bool{}, extensions: map[string]map[string]bool{}, listTitles: map[string]string{}}
}

func (s *shapes) add(r map[string]any) {
	rt, _ := r["resourceType"].(string)
	set := func(m map[string]map[string]bool, v string) {
		if m[rt] == nil {
			m[rt] = map[string]bool{}
		}
		m[rt][v] = true
	}
	if meta, ok := r["meta"].(map[string]any); ok {
		for _, p := range meta["profile"].([]any) {
			set(s.profiles, p.(string))
		}
	}
	var walk func(v any, inExtension bool)
	walk = func(v any, inExtension bool) {
		switch x := v.(type) {
		case map[string]any:
			if _, isResource := x["resourceType"]; isResource && x["resourceType"] != rt {
				return // a contained resource: counted on its own
			}
			if u, ok := x["url"].(string); ok && inExtension {
				set(s.extensions, u)
			}
			for k, e := range x {
				walk(e, k == "extension")
			}
		case []any:
			for _, e := range x {
				walk(e, inExtension)
			}
		}
	}
	walk(r, false)
	if cs, ok := r["contained"].([]any); ok {
		for _, c := range cs {
			s.add(c.(map[string]any))
		}
	}
	if rt == "List" && r["title"] != nil {
		s.listTitles[str(firstCoding(r["code"]), "code")] = r["title"].(string)
	}
}

// TestShapesMatchFixtures checks our rich answer against the NHS example
// bundles: every profile and every extension we write on a resource type
// is one the examples use on it, and every List code the examples use
// has the examples' title.
func TestShapesMatchFixtures(t *testing.T) {
	dir := fhirtest.SharedPath(t, "fixtures/structured-records")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("no structured-record fixtures")
	}
	nhs := newShapes()
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var b struct {
			Entry []struct {
				Resource map[string]any `json:"resource"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		for _, e := range b.Entry {
			nhs.add(e.Resource)
		}
	}
	rec := richRecord()
	rec.InTransit = true
	ours := newShapes()
	for _, d := range []*doc{mustBuild(t, rec, fullQuery(testNHS)), mustBuild(t, rec, &Query{Problems: &ProblemsQuery{Status: "active"}}),
		mustBuild(t, rec, &Query{Consultations: &ConsultationsQuery{}})} {
		for _, r := range d.entries {
			ours.add(r)
		}
	}
	// Ours, not in the examples (documented where they are made): the
	// uncategorised List (no example), the OperationOutcome profile.
	for rt, ps := range ours.profiles {
		for _, p := range sortedSet(ps) {
			if nhs.profiles[rt] != nil && !nhs.profiles[rt][p] {
				t.Errorf("%s: profile %s is not the examples' %v", rt, p, sortedSet(nhs.profiles[rt]))
			}
		}
	}
	for rt, us := range ours.extensions {
		for _, u := range sortedSet(us) {
			if !nhs.extensions[rt][u] {
				t.Errorf("%s: extension %s appears in no example %s", rt, u, rt)
			}
		}
	}
	for code, title := range ours.listTitles {
		if want, ok := nhs.listTitles[code]; ok && !structureCodes[code] && title != want {
			t.Errorf("List %s is titled %q, the examples %q", code, title, want)
		}
	}
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// structureCodes are the consultation structure Lists, whose titles are
// the consultation's, topic's or heading's own.
var structureCodes = map[string]bool{"325851000000107": true, "25851000000105": true, "24781000000107": true}
