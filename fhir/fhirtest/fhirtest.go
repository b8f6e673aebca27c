// Package fhirtest holds test helpers for FHIR STU3 payloads: validation of
// JSON resources against the STU3 JSON schema kept in ../shared beside the
// repository, and the lookup of that shared directory.
//
// The schema is a test-time oracle only. It checks element names, JSON shapes
// and required-binding enums; it does not check GP Connect profiles, and its
// instant type has no pattern.
//
// Tests that use these helpers are skipped, with a message saying why, when
// ../shared is absent (a plain clone of the repository).
package fhirtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaPath is the location of the STU3 JSON schema relative to the shared
// directory.
const SchemaPath = "fhir-stu3/fhir.schema.json"

// SharedDir returns the shared reference directory: the directory named
// "shared" beside the repository root, the repository root being the nearest
// directory at or above the working directory that holds a go.mod file. It
// returns "" when there is no such directory.
func SharedDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if st, err := os.Stat(shared); err == nil && st.IsDir() {
				return shared
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// SharedPath returns the path of rel inside the shared directory, or skips the
// test with a message naming what is missing.
func SharedPath(t testing.TB, rel string) string {
	t.Helper()
	shared := SharedDir()
	if shared == "" {
		t.Skipf("skipping: the shared reference directory (../shared beside the repository root) is absent, so %s is not available", rel)
	}
	p := filepath.Join(shared, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s is not available in the shared reference directory: %v", rel, err)
	}
	return p
}

type validator struct {
	once     sync.Once
	err      error
	compiler *jsonschema.Compiler
	url      string

	mu      sync.Mutex
	schemas map[string]*jsonschema.Schema
}

var stu3 validator

func (v *validator) load(path string) error {
	v.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			v.err = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			v.err = fmt.Errorf("reading %s: %w", path, err)
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft6)
		v.url = "file://" + filepath.ToSlash(path)
		if err := c.AddResource(v.url, doc); err != nil {
			v.err = err
			return
		}
		v.compiler = c
		v.schemas = map[string]*jsonschema.Schema{}
	})
	return v.err
}

// schema returns the compiled schema of one resource type, compiling it on
// first use through #/definitions/<Type>.
func (v *validator) schema(resourceType string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.schemas[resourceType]; ok {
		return s, nil
	}
	s, err := v.compiler.Compile(v.url + "#/definitions/" + resourceType)
	if err != nil {
		return nil, err
	}
	v.schemas[resourceType] = s
	return s, nil
}

// ValidateJSON validates the JSON resource in data against the FHIR STU3 JSON
// schema, using the definition named by its resourceType. The resources of a
// Bundle's entries (and of contained resources) are validated again on their
// own against their own definitions, because the schema's polymorphic
// ResourceList reports errors inside them poorly. Every violation is reported
// with t.Errorf. Where the schema is not available (no ../shared), validation
// is skipped with a log line and the calling test goes on.
func ValidateJSON(t testing.TB, data []byte) {
	t.Helper()
	// Without the shared folder (a plain clone) the test goes on without
	// schema validation: the rest of what it checks still matters.
	shared := SharedDir()
	if shared == "" {
		skipNote.Do(func() {
			t.Logf("STU3 schema validation skipped: the shared reference directory (../shared beside the repository root) is absent")
		})
		return
	}
	path := filepath.Join(shared, filepath.FromSlash(SchemaPath))
	if err := stu3.load(path); err != nil {
		t.Fatalf("loading the STU3 schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Errorf("ValidateJSON: not JSON: %v", err)
		return
	}
	for _, msg := range validateResource(inst, "") {
		t.Errorf("ValidateJSON: %s", msg)
	}
}

// skipNote says once per test binary that validation was skipped.
var skipNote sync.Once

// validateResource validates one resource and, separately, the resources
// nested in it. It returns one message per violation, prefixed by where.
func validateResource(inst any, where string) []string {
	obj, ok := inst.(map[string]any)
	if !ok {
		return []string{where + ": a resource must be a JSON object"}
	}
	rt, _ := obj["resourceType"].(string)
	if rt == "" {
		return []string{where + ": no resourceType"}
	}
	if where == "" {
		where = rt
	}
	var msgs []string
	s, err := stu3.schema(rt)
	if err != nil {
		return []string{fmt.Sprintf("%s: no schema for resourceType %q: %v", where, rt, err)}
	}
	if err := s.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			msgs = append(msgs, fmt.Sprintf("%s (%s) does not match the STU3 schema:\n%s", where, rt, leafErrors(ve)))
		} else {
			msgs = append(msgs, fmt.Sprintf("%s (%s): %v", where, rt, err))
		}
	}
	if entries, ok := obj["entry"].([]any); ok && rt == "Bundle" {
		for i, e := range entries {
			if eo, ok := e.(map[string]any); ok {
				if r, ok := eo["resource"]; ok {
					msgs = append(msgs, validateResource(r, fmt.Sprintf("%s.entry[%d].resource", where, i))...)
				}
			}
		}
	}
	if contained, ok := obj["contained"].([]any); ok {
		for i, r := range contained {
			msgs = append(msgs, validateResource(r, fmt.Sprintf("%s.contained[%d]", where, i))...)
		}
	}
	return msgs
}

// leafErrors lists the innermost causes of a validation error, one per line,
// as "instance location: message", which is far more readable than the whole
// tree for a schema made of oneOf and $ref.
func leafErrors(ve *jsonschema.ValidationError) string {
	var lines []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			loc := "/" + strings.Join(e.InstanceLocation, "/")
			lines = append(lines, fmt.Sprintf("  at %s: %s", loc, firstLine(e.Error())))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Strings(lines)
	lines = dedupe(lines)
	if len(lines) > 20 {
		lines = append(lines[:20], fmt.Sprintf("  … and %d more", len(lines)-20))
	}
	return strings.Join(lines, "\n")
}

// firstLine returns the message of a leaf error without its location (which
// the caller prints already).
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if strings.HasPrefix(s, "at '") {
		if i := strings.Index(s, "': "); i >= 0 {
			s = s[i+3:]
		}
	}
	return s
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// Generic returns data decoded as generic JSON (objects as map[string]any,
// numbers as float64), for comparing JSON documents regardless of key order,
// white space and the spelling of numbers.
func Generic(data []byte) (any, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return v, nil
}
