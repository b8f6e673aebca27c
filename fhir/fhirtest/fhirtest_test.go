package fhirtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestSharedDir(t *testing.T) {
	dir := SharedDir()
	if dir == "" {
		t.Skip("skipping: the shared reference directory (../shared beside the repository root) is absent")
	}
	// This package is two levels below the repository root.
	wd, _ := os.Getwd()
	root := filepath.Dir(filepath.Dir(wd))
	if want := filepath.Join(filepath.Dir(root), "shared"); dir != want {
		t.Errorf("SharedDir() = %s, want %s", dir, want)
	}
	if p := SharedPath(t, SchemaPath); filepath.Base(p) != "fhir.schema.json" {
		t.Errorf("SharedPath = %s", p)
	}
}

// TestValidateJSONFixtures validates the GP Connect examples: all pass but
// the capability statement, whose software.releaseDate is a template
// placeholder rather than a dateTime.
func TestValidateJSONFixtures(t *testing.T) {
	dir := SharedPath(t, "fixtures/gpconnect-spec-examples")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("skipping: no fixtures")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := &recorder{TB: t}
		ValidateJSON(r, data)
		name := filepath.Base(f)
		if name == "foundations-get-capability-statement-response-payload-1.json" {
			if len(r.errs) != 1 || !strings.Contains(r.errs[0], "at /software/releaseDate:") {
				t.Errorf("%s: want one error at /software/releaseDate, got %v", name, r.errs)
			}
			continue
		}
		if len(r.errs) > 0 {
			t.Errorf("%s:\n%s", name, strings.Join(r.errs, "\n"))
		}
	}
}

func TestValidateJSONRejects(t *testing.T) {
	SharedPath(t, SchemaPath)
	tests := []struct{ in, want string }{
		{`{"resourceType":"Slot","status":"bogus","schedule":{"reference":"Schedule/1"}}`, "/status"},
		{`{"resourceType":"Slot","status":"free"}`, "schedule"},
		{`{"resourceType":"Patient","telecom":{"system":"phone"}}`, "/telecom"},
		{`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Slot","status":"free"}}]}`, "Bundle.entry[0].resource (Slot)"},
		{`{"resourceType":"Appointment","status":"booked","participant":[{"status":"accepted"}],"contained":[{"resourceType":"Organization","active":"yes"}]}`, "Appointment.contained[0] (Organization)"},
		{`{"resourceType":"NoSuchType"}`, "no schema for resourceType"},
		{`{"id":"1"}`, "no resourceType"},
		{`not json`, "not JSON"},
	}
	for _, tt := range tests {
		r := &recorder{TB: t}
		ValidateJSON(r, []byte(tt.in))
		if !strings.Contains(strings.Join(r.errs, "\n"), tt.want) {
			t.Errorf("ValidateJSON(%s): errors %v, want one mentioning %q", tt.in, r.errs, tt.want)
		}
	}
	r := &recorder{TB: t}
	ValidateJSON(r, []byte(`{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"free","start":"2017-05-30T10:00:00+01:00","end":"2017-05-30T10:10:00+01:00"}`))
	if len(r.errs) != 0 {
		t.Errorf("a valid Slot: %v", r.errs)
	}
}

func TestGeneric(t *testing.T) {
	a, err := Generic([]byte(`{"a":[1.50,{"b":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generic([]byte(` { "a" : [ 1.5 , { "b" : true } ] } `))
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("%v != %v", a, b)
	}
	if _, err := Generic([]byte(`{`)); err == nil {
		t.Error("Generic accepted bad JSON")
	}
}
