package fhir_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
)

// fuzzSeeds returns the JSON fixtures (when ../shared is present) and a few
// documents of our own.
func fuzzSeeds() [][]byte {
	seeds := [][]byte{
		[]byte(`{"resourceType":"Patient","id":"1","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x &amp; y</p></div>"}}`),
		[]byte(`{"resourceType":"Parameters","parameter":[{"name":"a","valueDecimal":-0.50},{"name":"b","part":[{"name":"c","valueInteger":-7}]},{"name":"d","resource":{"resourceType":"Device","model":"v1"}}]}`),
		[]byte(`{"resourceType":"Bundle","type":"searchset","total":1,"link":[{"relation":"self","url":"http://x/Slot?status=free"}],"entry":[{"fullUrl":"http://x/Slot/1","resource":{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"free","start":"2026-03-29T10:00:00+01:00","end":"2026-03-29T10:10:00Z"},"search":{"mode":"match","score":1}}]}`),
		[]byte(`{"resourceType":"Location","position":{"longitude":-1.5,"latitude":53.8},"address":{"line":["a\u00e9\n"]}}`),
	}
	if dir := fhirtest.SharedDir(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, fixtureDir, "*.json"))
		for _, f := range files {
			if data, err := os.ReadFile(f); err == nil {
				seeds = append(seeds, data)
			}
		}
	}
	return seeds
}

// checkDecodeError insists that a decoding failure is a *DecodeError with a
// message.
func checkDecodeError(t *testing.T, err error) {
	var de *fhir.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %T is not a *DecodeError: %v", err, err)
	}
	if de.Msg == "" {
		t.Fatalf("DecodeError without a message: %#v", de)
	}
}

// checkReencode insists that an accepted resource marshals in both formats,
// and that each output decodes to the same value and is stable.
func checkReencode(t *testing.T, r fhir.Resource) {
	if r == nil || reflect.ValueOf(r).IsNil() {
		t.Fatal("Unmarshal returned no resource and no error")
	}
	for _, f := range []fhir.Format{fhir.JSON, fhir.XML} {
		data, err := fhir.Marshal(f, r)
		if err != nil {
			t.Fatalf("an accepted resource does not marshal as %v: %v", f, err)
		}
		back, err := fhir.Unmarshal(f, data)
		if err != nil {
			t.Fatalf("%v written by Marshal does not decode: %v\n%s", f, err, data)
		}
		if !reflect.DeepEqual(back, r) {
			t.Fatalf("%v round trip changed the value:\n%s", f, data)
		}
		again, err := fhir.Marshal(f, back)
		if err != nil || string(again) != string(data) {
			t.Fatalf("%v output is not stable: %v\n%s\n%s", f, err, data, again)
		}
	}
}

func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.Unmarshal(fhir.JSON, data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		checkReencode(t, r)
	})
}

func FuzzUnmarshalXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8"?><Patient xmlns="http://hl7.org/fhir"><id value="1"/><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></text><name id="n"><given value="a&#xA;b"/></name></Patient>`))
	f.Add([]byte(`<f:Patient xmlns:f="http://hl7.org/fhir"><!-- c --><f:contained><f:Organization><f:name value="x"/></f:Organization></f:contained></f:Patient>`))
	for _, s := range fuzzSeeds() {
		r, err := fhir.Unmarshal(fhir.JSON, s)
		if err != nil {
			continue
		}
		if x, err := fhir.Marshal(fhir.XML, r); err == nil {
			f.Add(x)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.Unmarshal(fhir.XML, data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		checkReencode(t, r)
	})
}
