package structimport_test

import (
	"encoding/json"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/structimport"
)

// FuzzImport decodes arbitrary JSON and imports whatever Bundle it gives. It
// must never panic; an import that succeeds must give a record that passes
// Validate and a Report; one that fails must say why.
func FuzzImport(f *testing.F) {
	for _, file := range fixtureFiles(f) {
		fx := loadFixture(f, file)
		f.Add(fx.data)
		// Small Bundles cut from the fixture (its Patient plus a run of
		// entries), so that the fuzzer has small inputs to mutate.
		for _, chunk := range chunks(f, fx.json, 12) {
			f.Add(chunk)
		}
	}
	f.Add([]byte(`{"resourceType":"Bundle","type":"collection","entry":[{"resource":` + patientJSON + `},
		{"resource":{"resourceType":"Observation","id":"x","status":"final","code":{"text":"a"},
			"related":[{"type":"has-member","target":{"reference":"Observation/x"}}]}},
		{"resource":{"resourceType":"DiagnosticReport","id":"x","status":"final","code":{"text":"r"},
			"result":[{"reference":"Observation/x"},{"reference":"Observation/x"}],"specimen":[{"reference":"#s"}]}}]}`))
	f.Add([]byte(`{"resourceType":"Bundle","type":"collection"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.Unmarshal(fhir.JSON, data)
		if err != nil {
			return
		}
		b, ok := r.(*fhir.Bundle)
		if !ok {
			return
		}
		rec, rep, err := structimport.Import(b)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if rep == nil {
			t.Fatal("no Report")
		}
		if err := rec.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		_ = rep.String()
		_, _ = rec.Shareable()
	})
}

// chunks cuts a Bundle into Bundles of the Patient and up to n other
// entries each.
func chunks(f *testing.F, b map[string]any, n int) [][]byte {
	var patient any
	var rest []any
	for _, e := range arr(b["entry"]) {
		if field(e.(obj), "resource", "resourceType") == "Patient" && patient == nil {
			patient = e
			continue
		}
		rest = append(rest, e)
	}
	var out [][]byte
	for i := 0; i < len(rest); i += n {
		part := rest[i:min(i+n, len(rest))]
		data, err := json.Marshal(map[string]any{
			"resourceType": "Bundle", "type": "collection", "entry": append([]any{patient}, part...),
		})
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}
