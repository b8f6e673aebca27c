package fhir_test

import (
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
)

// TestConstructedResourcesValidate checks what a provider builds in code
// against the STU3 JSON schema, and that it round trips in both formats.
func TestConstructedResourcesValidate(t *testing.T) {
	register := &fhir.Parameters{Parameter: []fhir.ParametersParameter{{
		Name: "registerPatient",
		Resource: &fhir.Patient{
			Meta: &fhir.Meta{Profile: []string{fhir.ProfilePatient}},
			Identifier: []fhir.Identifier{{
				Extension: []fhir.Extension{{URL: fhir.ExtNHSNumberVerificationStatus, ValueCodeableConcept: &fhir.CodeableConcept{
					Coding: []fhir.Coding{{System: fhir.CodeSystemNHSNumberVerificationStatus, Code: "01", Display: "Number present and verified"}},
				}}},
				System: fhir.SystemNHSNumber,
				Value:  "9000000009",
			}},
			Name:      []fhir.HumanName{{Use: "official", Family: "Jackson", Given: []string{"Jane"}}},
			Gender:    "female",
			BirthDate: fhir.NewDate(1952, 5, 31),
			Text: &fhir.Narrative{Status: "generated",
				Div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>Jane Jackson &amp; family</p></div>`},
		},
	}}}
	cancelled := testAppointment()
	cancelled.Status = "cancelled"
	cancelled.Extension = append(cancelled.Extension, fhir.Extension{URL: fhir.ExtAppointmentCancellationReason, ValueString: "Patient unwell"})
	tests := []struct {
		name string
		r    fhir.Resource
	}{
		{"Appointment", testAppointment()},
		{"cancelled Appointment", cancelled},
		{"slot Bundle", slotBundle(200, 5)},
		{"OperationOutcome", fhir.NewOperationOutcome("error", "invalid", fhir.CodeSystemSpineErrorOrWarningCode,
			"INVALID_RESOURCE", "Invalid validation of resource", "Appointment.reason: not allowed")},
		{"CapabilityStatement", testCapabilityStatement()},
		{"register patient Parameters", register},
		{"requesting Device", &fhir.Device{
			Identifier: []fhir.Identifier{{System: "GPConnectTestSystem", Value: "Client"}},
			Model:      "v1",
			Version:    "1.1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertRoundTrips(t, tt.r)
			data, err := fhir.Marshal(fhir.JSON, tt.r)
			if err != nil {
				t.Fatal(err)
			}
			fhirtest.ValidateJSON(t, data) // skips without ../shared, so last
		})
	}
}

// TestValidatorCatchesErrors makes sure the schema oracle is not vacuous: it
// must reject what the STU3 schema forbids, inside Bundle entries too.
func TestValidatorCatchesErrors(t *testing.T) {
	fhirtest.SharedPath(t, fhirtest.SchemaPath)
	bad := []string{
		`{"resourceType":"Slot","status":"bogus","schedule":{"reference":"Schedule/1"}}`,
		`{"resourceType":"Slot","status":"free"}`,
		`{"resourceType":"Patient","telecom":{"system":"phone"}}`,
		`{"resourceType":"Patient","unknownElement":true}`,
		`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Slot","status":"free"}}]}`,
	}
	for _, in := range bad {
		r := &recorder{TB: t}
		fhirtest.ValidateJSON(r, []byte(in))
		if len(r.errs) == 0 {
			t.Errorf("ValidateJSON accepted %s", in)
		}
	}
	r := &recorder{TB: t}
	fhirtest.ValidateJSON(r, []byte(`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Slot","status":"free"}}]}`))
	if !strings.Contains(strings.Join(r.errs, "\n"), "Bundle.entry[0].resource (Slot)") {
		t.Errorf("the error does not name the entry: %v", r.errs)
	}
}

// recorder is a testing.TB that records errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, sprintf(format, args...))
}

// TestDepthLimit checks that both formats accept MaxDepth levels of complex
// elements and refuse one more, counting the same way.
func TestDepthLimit(t *testing.T) {
	nested := func(depth int) fhir.Resource {
		// Bundle(1) > entry(2) > Patient(3) > contained Organization(4) > extensions…
		org := &fhir.Organization{Name: "x"}
		ext := &org.Extension
		for i := 4; i < depth; i++ {
			*ext = []fhir.Extension{{URL: "http://x", ValueString: "deepest"}}
			ext = &(*ext)[0].Extension
		}
		return &fhir.Bundle{Type: "collection", Entry: []fhir.BundleEntry{{
			Resource: &fhir.Patient{Contained: []fhir.Resource{org}},
		}}}
	}
	for _, f := range []fhir.Format{fhir.JSON, fhir.XML} {
		ok := nested(fhir.MaxDepth)
		data, err := fhir.Marshal(f, ok)
		if err != nil {
			t.Fatalf("%v: Marshal at MaxDepth: %v", f, err)
		}
		if _, err := fhir.Unmarshal(f, data); err != nil {
			t.Fatalf("%v: Unmarshal at MaxDepth: %v", f, err)
		}
		if _, err := fhir.Marshal(f, nested(fhir.MaxDepth+1)); err == nil {
			t.Errorf("%v: Marshal beyond MaxDepth succeeded", f)
		}
		// A document one level too deep, written by hand.
		if f == fhir.JSON {
			data = []byte(strings.Replace(string(data), `"valueString":"deepest"`,
				`"valueString":"deepest","extension":[{"url":"http://x","valueString":"deeper"}]`, 1))
		} else {
			data = []byte(strings.Replace(string(data), `<valueString value="deepest"/>`,
				`<extension url="http://x"><valueString value="deeper"/></extension><valueString value="deepest"/>`, 1))
		}
		_, err = fhir.Unmarshal(f, data)
		if err == nil || !strings.Contains(err.Error(), "nesting deeper than 100") {
			t.Errorf("%v: Unmarshal beyond MaxDepth: %v", f, err)
		}
	}
}
