package fhir_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
)

// decodeErr decodes data and returns its *DecodeError, failing the test when
// decoding succeeds or fails otherwise.
func decodeErr(t *testing.T, f fhir.Format, data string) *fhir.DecodeError {
	t.Helper()
	r, err := fhir.Unmarshal(f, []byte(data))
	if err == nil {
		out, _ := fhir.Marshal(fhir.JSON, r)
		t.Fatalf("Unmarshal accepted invalid input %s\nas %s", data, out)
	}
	var de *fhir.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error is %T, not *DecodeError: %v", err, err)
	}
	return de
}

func TestUnmarshalJSONErrors(t *testing.T) {
	appt := func(participant1 string) string {
		return `{"resourceType":"Appointment","status":"booked","participant":[` +
			`{"actor":{"reference":"Patient/1"},"status":"accepted"},` + participant1 + `]}`
	}
	tests := []struct {
		name, in, path, msg string
	}{
		{"unknown nested element", appt(`{"actor":{"reference":"Location/1","foo":"x"},"status":"accepted"}`),
			"Appointment.participant[1].actor.foo", "unknown element"},
		{"bad reference type", appt(`{"actor":{"reference":1},"status":"accepted"}`),
			"Appointment.participant[1].actor.reference", "expected a string"},
		{"empty string", `{"resourceType":"Patient","gender":""}`, "Patient.gender", "empty"},
		{"empty string in array", `{"resourceType":"Patient","name":[{"given":["a",""]}]}`, "Patient.name[0].given[1]", "empty"},
		{"null", `{"resourceType":"Patient","active":null}`, "Patient.active", "null"},
		{"null in array", `{"resourceType":"Patient","name":[null]}`, "Patient.name[0]", "null"},
		{"duplicate element", `{"resourceType":"Patient","gender":"male","gender":"male"}`, "Patient.gender", "twice"},
		{"duplicate resourceType", `{"resourceType":"Patient","resourceType":"Patient"}`, "Patient.resourceType", "twice"},
		{"two values", `{"resourceType":"Patient","extension":[{"url":"http://x","valueString":"a","valueCode":"b"}]}`,
			"Patient.extension[0].valueCode", "more than one value[x]"},
		{"two deceased", `{"resourceType":"Patient","deceasedBoolean":true,"deceasedDateTime":"2017"}`,
			"Patient.deceasedDateTime", "more than one deceased[x]"},
		{"primitive extension", `{"resourceType":"Patient","gender":"male","_gender":{"id":"1"}}`, "Patient._gender", "not supported"},
		{"unknown underscore", `{"resourceType":"Patient","_foo":{}}`, "Patient._foo", "unknown element"},
		{"enum", `{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"bogus","start":"2017-05-30T10:00:00+01:00","end":"2017-05-30T10:10:00+01:00"}`,
			"Slot.status", "not one of"},
		{"missing required", `{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"free","end":"2017-05-30T10:10:00+01:00"}`,
			"Slot.start", "missing required"},
		{"missing extension url", `{"resourceType":"Patient","extension":[{"valueString":"a"}]}`, "Patient.extension[0].url", "missing required"},
		{"required array only empty", `{"resourceType":"Appointment","status":"booked","participant":[]}`, "Appointment.participant", "missing required"},
		{"empty object", `{"resourceType":"Patient","meta":{}}`, "Patient.meta", "empty object"},
		{"object of empty arrays", `{"resourceType":"Patient","meta":{"profile":[]}}`, "Patient.meta", "empty object"},
		{"empty entry", `{"resourceType":"Bundle","type":"searchset","entry":[{}]}`, "Bundle.entry[0]", "empty object"},
		{"string for boolean", `{"resourceType":"Patient","active":"true"}`, "Patient.active", "expected a boolean"},
		{"array for single", `{"resourceType":"Patient","gender":["male"]}`, "Patient.gender", "single value"},
		{"single for array", `{"resourceType":"Patient","name":{"family":"x"}}`, "Patient.name", "expected an array"},
		{"nested array", `{"resourceType":"Patient","name":[[]]}`, "Patient.name[0]", "single value"},
		{"no such date", `{"resourceType":"Patient","birthDate":"2017-02-30"}`, "Patient.birthDate", "does not exist"},
		{"month 13", `{"resourceType":"Patient","birthDate":"2017-13-01"}`, "Patient.birthDate", "invalid date"},
		{"date with time", `{"resourceType":"Patient","birthDate":"2017-02-03T10:00:00Z"}`, "Patient.birthDate", "cannot have a time"},
		{"time without offset", `{"resourceType":"Patient","deceasedDateTime":"2017-05-30T10:00:00"}`, "Patient.deceasedDateTime", "offset"},
		{"instant without time", `{"resourceType":"Slot","schedule":{"reference":"Schedule/1"},"status":"free","start":"2017-05-30","end":"2017-05-30T10:10:00+01:00"}`,
			"Slot.start", "time is required"},
		{"integer overflow", `{"resourceType":"Bundle","type":"searchset","total":3000000000}`, "Bundle.total", "32-bit"},
		{"negative unsignedInt", `{"resourceType":"Bundle","type":"searchset","total":-1}`, "Bundle.total", "negative"},
		{"zero positiveInt", `{"resourceType":"Appointment","status":"booked","minutesDuration":0,"participant":[{"status":"accepted"}]}`,
			"Appointment.minutesDuration", "positive"},
		{"fractional integer", `{"resourceType":"Bundle","type":"searchset","total":1.0}`, "Bundle.total", "not an integer"},
		{"decimal exponent", `{"resourceType":"Parameters","parameter":[{"name":"x","valueDecimal":1e5}]}`, "Parameters.parameter[0].valueDecimal", "exponent"},
		{"string for number", `{"resourceType":"Bundle","type":"searchset","total":"1"}`, "Bundle.total", "expected a number"},
		{"code with double space", `{"resourceType":"Patient","extension":[{"url":"http://x","valueCode":"a  b"}]}`,
			"Patient.extension[0].valueCode", "two white space"},
		{"bad id", `{"resourceType":"Patient","id":"a b"}`, "Patient.id", "invalid id"},
		{"long id", `{"resourceType":"Patient","id":"` + strings.Repeat("a", 65) + `"}`, "Patient.id", "64"},
		{"uri with space", `{"resourceType":"Patient","meta":{"profile":["http://x y"]}}`, "Patient.meta.profile[0]", "white space"},
		{"escaped control character", `{"resourceType":"Patient","name":[{"family":"a\u0001b"}]}`, "Patient.name[0].family", "control character"},
		{"raw control character", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a\x01b\"}]}", "Patient.name[0].family", "control character"},
		{"lone surrogate", `{"resourceType":"Patient","name":[{"family":"\ud800"}]}`, "Patient.name[0].family", "surrogate"},
		{"U+FFFE", `{"resourceType":"Patient","name":[{"family":"\ufffe"}]}`, "Patient.name[0].family", "not allowed"},
		{"invalid UTF-8", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"\xff\"}]}", "Patient.name[0].family", "UTF-8"},
		{"div not XHTML", `{"resourceType":"Patient","text":{"status":"generated","div":"<p>x</p>"}}`, "Patient.text.div", "div"},
		{"div without namespace", `{"resourceType":"Patient","text":{"status":"generated","div":"<div>x</div>"}}`, "Patient.text.div", "div"},
		{"div not well formed", `{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</div>"}}`,
			"Patient.text.div", "well-formed"},
		{"div with entity", `{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">&nbsp;</div>"}}`,
			"Patient.text.div", "well-formed"},
		{"div with trailing text", `{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div> "}}`,
			"Patient.text.div", "div"},
		{"resourceType in a data type", `{"resourceType":"Patient","meta":{"resourceType":"Meta"}}`, "Patient.meta.resourceType", "unknown element"},
		{"unknown contained type", `{"resourceType":"Patient","contained":[{"resourceType":"Foo"}]}`, "Patient.contained[0]", "unknown or unsupported resourceType"},
		{"contained without type", `{"resourceType":"Patient","contained":[{"id":"1"}]}`, "Patient.contained[0]", "missing resourceType"},
		{"unknown resource type", `{"resourceType":"Foo"}`, "", "unknown or unsupported resourceType"},
		{"no resourceType", `{"id":"1"}`, "", "missing resourceType"},
		{"not an object", `[1]`, "", "must be a JSON object"},
		{"trailing data", `{"resourceType":"Patient"} x`, "", "after the resource"},
		{"truncated", `{"resourceType":"Patient","name":[{"family":"x"`, "Patient.name[0]", "invalid JSON"},
		{"missing comma", `{"resourceType":"Patient" "id":"1"}`, "Patient", "invalid JSON"},
		{"bad literal", `{"resourceType":"Patient","active":tru}`, "Patient.active", "invalid JSON"},
		{"too deep", `{"resourceType":"Patient","extension":[` + strings.Repeat(`{"url":"http://x","extension":[`, 120) +
			`{"url":"http://x","valueString":"x"}` + strings.Repeat(`]}`, 120) + `]}`, "Patient.extension[0]", "nesting deeper than 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			de := decodeErr(t, fhir.JSON, tt.in)
			if !strings.HasPrefix(de.Path, tt.path) || (tt.path == "" && de.Path != "") {
				t.Errorf("path = %q, want %q (error: %v)", de.Path, tt.path, de)
			}
			if tt.path != "" && de.Path != tt.path && !strings.Contains(tt.name, "deep") {
				t.Errorf("path = %q, want exactly %q (error: %v)", de.Path, tt.path, de)
			}
			if !strings.Contains(de.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", de.Msg, tt.msg)
			}
		})
	}
}

func TestUnmarshalJSONAccepts(t *testing.T) {
	tests := []struct {
		name, in string
		check    func(t *testing.T, r fhir.Resource)
	}{
		{"resourceType not first", `{"id":"1","gender":"male","resourceType":"Patient"}`, func(t *testing.T, r fhir.Resource) {
			if p := r.(*fhir.Patient); p.ID != "1" || p.Gender != "male" {
				t.Errorf("got %+v", p)
			}
		}},
		{"entry resourceType last", `{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"id":"1","resourceType":"Slot","status":"free","schedule":{"reference":"Schedule/1"},"start":"2017-05-30T10:00:00+01:00","end":"2017-05-30T10:10:00+01:00"}}]}`,
			func(t *testing.T, r fhir.Resource) {
				if s, ok := r.(*fhir.Bundle).Entry[0].Resource.(*fhir.Slot); !ok || s.ID != "1" {
					t.Errorf("got %#v", r.(*fhir.Bundle).Entry[0].Resource)
				}
			}},
		{"nested resources with resourceType last", `{"parameter":[{"name":"p","resource":{"entry":[{"resource":{"id":"1","resourceType":"Patient"}}],"type":"collection","resourceType":"Bundle"}}],"resourceType":"Parameters"}`,
			func(t *testing.T, r fhir.Resource) {
				b := r.(*fhir.Parameters).Parameter[0].Resource.(*fhir.Bundle)
				if p, ok := b.Entry[0].Resource.(*fhir.Patient); !ok || p.ID != "1" {
					t.Errorf("got %#v", b.Entry[0].Resource)
				}
			}},
		{"empty array is absent", `{"resourceType":"Patient","identifier":[],"name":[{"family":"x","given":[]}]}`, func(t *testing.T, r fhir.Resource) {
			p := r.(*fhir.Patient)
			if p.Identifier != nil || p.Name[0].Given != nil {
				t.Errorf("got %+v", p)
			}
		}},
		{"BOM and white space", "\xef\xbb\xbf \n{ \"resourceType\" : \"Patient\" ,\t\"active\" : false }\r\n", func(t *testing.T, r fhir.Resource) {
			if p := r.(*fhir.Patient); p.Active == nil || *p.Active {
				t.Errorf("got %+v", p)
			}
		}},
		{"escapes", `{"resourceType":"Patient","name":[{"family":"O\u2019Brien \"Jr\" \\ \/ \ud83d\ude00\n"}]}`, func(t *testing.T, r fhir.Resource) {
			if got, want := r.(*fhir.Patient).Name[0].Family, "O\u2019Brien \"Jr\" \\ / \U0001F600\n"; got != want {
				t.Errorf("family = %q, want %q", got, want)
			}
		}},
		{"decimal keeps its digits", `{"resourceType":"Location","position":{"longitude":-1.50,"latitude":53.800}}`, func(t *testing.T, r fhir.Resource) {
			pos := r.(*fhir.Location).Position
			if pos.Longitude.String() != "-1.50" || pos.Latitude.String() != "53.800" || pos.Latitude.Float64() != 53.8 {
				t.Errorf("got %v %v", pos.Longitude, pos.Latitude)
			}
		}},
		{"resource with nothing else", `{"resourceType":"Patient"}`, nil},
		{"div", `{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"x\">A &amp; B<br/></p><!-- c --></div>"}}`, nil},
		{"prefixed div", `{"resourceType":"Patient","text":{"status":"generated","div":"<h:div xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:p>x</h:p></h:div>"}}`, nil},
		{"integer bounds", `{"resourceType":"Parameters","parameter":[{"name":"a","valueInteger":-2147483648},{"name":"b","valueInteger":2147483647},{"name":"c","valueUnsignedInt":0}]}`, nil},
		{"forbidden Appointment elements are read", `{"resourceType":"Appointment","status":"booked","reason":[{"text":"x"}],"specialty":[{"text":"y"}],"appointmentType":{"text":"z"},"indication":[{"reference":"Condition/1"}],"priority":1,"supportingInformation":[{"reference":"Observation/1"}],"incomingReferral":[{"reference":"ReferralRequest/1"}],"requestedPeriod":[{"start":"2017"}],"minutesDuration":10,"participant":[{"status":"accepted"}]}`,
			func(t *testing.T, r fhir.Resource) {
				a := r.(*fhir.Appointment)
				if a.Reason == nil || a.Specialty == nil || a.AppointmentType == nil || a.Indication == nil || a.Priority == nil ||
					a.SupportingInformation == nil || a.IncomingReferral == nil || a.RequestedPeriod == nil || *a.MinutesDuration != 10 {
					t.Errorf("got %+v", a)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := fhir.Unmarshal(fhir.JSON, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
			assertRoundTrips(t, r)
		})
	}
}

// assertRoundTrips checks that r survives JSON and XML round trips unchanged.
func assertRoundTrips(t *testing.T, r fhir.Resource) {
	t.Helper()
	for _, f := range []fhir.Format{fhir.JSON, fhir.XML} {
		data, err := fhir.Marshal(f, r)
		if err != nil {
			t.Fatalf("Marshal %v: %v", f, err)
		}
		back, err := fhir.Unmarshal(f, data)
		if err != nil {
			t.Fatalf("Unmarshal %v: %v\n%s", f, err, data)
		}
		if !reflect.DeepEqual(back, r) {
			again, _ := fhir.Marshal(fhir.JSON, back)
			orig, _ := fhir.Marshal(fhir.JSON, r)
			t.Fatalf("%v round trip changed the resource:\n%s\n%s", f, orig, again)
		}
	}
}

func TestUnmarshalInto(t *testing.T) {
	var p fhir.Patient
	p.Gender = "stale"
	if err := fhir.UnmarshalInto(fhir.JSON, []byte(`{"resourceType":"Patient","id":"2"}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != "2" || p.Gender != "" {
		t.Errorf("got %+v, want only id 2 (UnmarshalInto resets the resource)", p)
	}
	var a fhir.Appointment
	for _, f := range []fhir.Format{fhir.JSON, fhir.XML} {
		data, _ := fhir.Marshal(f, &fhir.Patient{ID: "2"})
		err := fhir.UnmarshalInto(f, data, &a)
		var de *fhir.DecodeError
		if !errors.As(err, &de) || !strings.Contains(de.Msg, "expected resourceType Appointment, found Patient") {
			t.Errorf("%v: UnmarshalInto of a Patient into an Appointment: %v", f, err)
		}
	}
	var nilAppt *fhir.Appointment
	if err := fhir.UnmarshalInto(fhir.JSON, []byte(`{"resourceType":"Appointment"}`), nilAppt); err == nil {
		t.Error("UnmarshalInto a nil pointer succeeded")
	}
}

func TestUnmarshalXMLErrors(t *testing.T) {
	const ns = ` xmlns="http://hl7.org/fhir"`
	tests := []struct {
		name, in, path, msg string
	}{
		{"unknown element", `<Patient` + ns + `><foo value="x"/></Patient>`, "Patient.foo", "unknown element"},
		{"unknown nested element", `<Appointment` + ns + `><status value="booked"/><participant><status value="accepted"/></participant>` +
			`<participant><actor><reference value="Location/1"/><foo value="x"/></actor><status value="accepted"/></participant></Appointment>`,
			"Appointment.participant[1].actor.foo", "unknown element"},
		{"bad value in repeated element", `<Appointment` + ns + `><status value="booked"/><participant><status value="accepted"/></participant>` +
			`<participant><actor><reference value=""/></actor><status value="accepted"/></participant></Appointment>`,
			"Appointment.participant[1].actor.reference", "empty"},
		{"out of order", `<Patient` + ns + `><gender value="male"/><active value="true"/></Patient>`, "Patient.active", "out of order"},
		{"repeated single element", `<Patient` + ns + `><gender value="male"/><gender value="male"/></Patient>`, "Patient.gender", "twice"},
		{"repeating element split", `<Patient` + ns + `><name><family value="a"/></name><gender value="male"/><name><family value="b"/></name></Patient>`,
			"Patient.name", "out of order"},
		{"two values", `<Patient` + ns + `><extension url="http://x"><valueString value="a"/><valueCode value="b"/></extension></Patient>`,
			"Patient.extension[0].valueCode", "more than one value[x]"},
		{"primitive extension", `<Patient` + ns + `><gender value="male"><extension url="http://x"><valueString value="y"/></extension></gender></Patient>`,
			"Patient.gender", "extensions on primitive elements are not supported"},
		{"primitive id", `<Patient` + ns + `><gender id="a" value="male"/></Patient>`, "Patient.gender", "ids on primitive elements"},
		{"missing value", `<Patient` + ns + `><gender/></Patient>`, "Patient.gender", "missing value attribute"},
		{"empty value", `<Patient` + ns + `><gender value=""/></Patient>`, "Patient.gender", "empty"},
		{"text content", `<Patient` + ns + `><gender value="male">x</gender></Patient>`, "Patient.gender", "text content"},
		{"text in complex element", `<Patient` + ns + `><name>x<family value="a"/></name></Patient>`, "Patient.name[0]", "text content"},
		{"empty element", `<Patient` + ns + `><meta/></Patient>`, "Patient.meta", "empty element"},
		{"missing required", `<Patient` + ns + `><extension><valueString value="a"/></extension></Patient>`, "Patient.extension[0].url", "missing required"},
		{"unknown attribute", `<Patient` + ns + `><name foo="x"><family value="a"/></name></Patient>`, "Patient.name[0]", "unknown attribute"},
		{"enum", `<Patient` + ns + `><gender value="bloke"/></Patient>`, "Patient.gender", "not one of"},
		{"bad boolean", `<Patient` + ns + `><active value="yes"/></Patient>`, "Patient.active", "invalid boolean"},
		{"bad dateTime", `<Patient` + ns + `><deceasedDateTime value="2017-05-30T10:00:00"/></Patient>`, "Patient.deceasedDateTime", "offset"},
		{"element in another namespace", `<Patient` + ns + `><x:gender xmlns:x="urn:x" value="male"/></Patient>`, "Patient.gender", "namespace"},
		{"div in FHIR namespace", `<Patient` + ns + `><text><status value="generated"/><div>x</div></text></Patient>`, "Patient.text.div", "XHTML namespace"},
		{"div using the root's prefix", `<Patient` + ns + ` xmlns:h="http://www.w3.org/1999/xhtml"><text><status value="generated"/><h:div>x</h:div></text></Patient>`,
			"Patient.text", "div"},
		{"root not FHIR", `<Patient><id value="1"/></Patient>`, "", "not in the FHIR namespace"},
		{"unknown root", `<Foo` + ns + `/>`, "", "unknown or unsupported resourceType"},
		{"unknown contained", `<Patient` + ns + `><contained><Foo/></contained></Patient>`, "Patient.contained[0]", "unknown or unsupported resource type"},
		{"two contained", `<Patient` + ns + `><contained><Patient/><Patient/></contained></Patient>`, "Patient.contained[0]", "more than one resource"},
		{"empty contained", `<Patient` + ns + `><contained/></Patient>`, "Patient.contained[0]", "empty element"},
		{"doctype", `<!DOCTYPE Patient [<!ENTITY x "y">]><Patient` + ns + `/>`, "", "DTD"},
		{"entity", `<Patient` + ns + `><gender value="&x;"/></Patient>`, "Patient", "invalid XML"},
		{"two roots", `<Patient` + ns + `/><Patient` + ns + `/>`, "", "second root"},
		{"text after root", `<Patient` + ns + `/>x`, "", "text after"},
		{"not XML", `{"resourceType":"Patient"}`, "", "text before the root"},
		{"empty", ``, "", "no root element"},
		{"unclosed", `<Patient` + ns + `><name>`, "Patient.name[0]", "invalid XML"},
		{"mismatched", `<Patient` + ns + `><name></nam></Patient>`, "Patient.name[0]", "invalid XML"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><Patient` + ns + `/>`, "", "invalid XML"},
		{"invalid UTF-8", "<Patient" + ns + "><gender value=\"\xff\"/></Patient>", "", "UTF-8"},
		{"control character", `<Patient` + ns + `><name><family value="a&#x1;"/></name></Patient>`, "Patient.name[0]", "invalid XML"},
		{"too deep", `<Patient` + ns + `>` + strings.Repeat(`<extension url="http://x">`, 120) + strings.Repeat(`</extension>`, 120) + `</Patient>`,
			"Patient.extension[0]", "nesting deeper than 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			de := decodeErr(t, fhir.XML, tt.in)
			if (tt.path == "" && de.Path != "") || !strings.HasPrefix(de.Path, tt.path) {
				t.Errorf("path = %q, want %q (error: %v)", de.Path, tt.path, de)
			}
			if !strings.Contains(de.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", de.Msg, tt.msg)
			}
		})
	}
}

func TestUnmarshalXMLAccepts(t *testing.T) {
	const ns = ` xmlns="http://hl7.org/fhir"`
	tests := []struct{ name, in, wantJSON string }{
		{"declaration, comments, white space", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n<Patient" + ns + ">\n  <!-- c -->\n  <id value=\"1\"/>\n  <gender value=\"male\"></gender>\n</Patient>\n",
			`{"resourceType":"Patient","id":"1","gender":"male"}`},
		{"prefixed FHIR namespace", `<f:Patient xmlns:f="http://hl7.org/fhir"><f:id value="1"/></f:Patient>`, `{"resourceType":"Patient","id":"1"}`},
		{"schema location", `<Patient` + ns + ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://hl7.org/fhir patient.xsd"><id value="1"/></Patient>`,
			`{"resourceType":"Patient","id":"1"}`},
		{"element ids and extension urls", `<Patient` + ns + `><extension id="e1" url="http://x"><valueString value="a &amp; b&#xA;c"/></extension><name id="n1"><family value="x"/></name></Patient>`,
			`{"resourceType":"Patient","extension":[{"id":"e1","url":"http://x","valueString":"a & b\nc"}],"name":[{"id":"n1","family":"x"}]}`},
		{"narrative", `<Patient` + ns + `><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>A &amp; B</p></div></text></Patient>`,
			`{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>A &amp; B</p></div>"}}`},
		{"contained and entries", `<Bundle` + ns + `><type value="searchset"/><entry><resource><Patient><contained><Organization><name value="x"/></Organization></contained></Patient></resource></entry></Bundle>`,
			`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Patient","contained":[{"resourceType":"Organization","name":"x"}]}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := fhir.Unmarshal(fhir.XML, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := fhir.Marshal(fhir.JSON, r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.wantJSON {
				t.Errorf("got  %s\nwant %s", got, tt.wantJSON)
			}
			assertRoundTrips(t, r)
		})
	}
}

// TestMarshalGolden pins the exact output of both formats for a booked
// appointment: element order, offsets, escaping.
func TestMarshalGolden(t *testing.T) {
	a := testAppointment()
	a.Comment = `Bring "letter" & <notes>`
	wantJSON := `{"resourceType":"Appointment","id":"9","meta":{"versionId":"636068818095315079","profile":["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"]},` +
		`"contained":[{"resourceType":"Organization","id":"1","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"]},` +
		`"identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A00001"}],"type":[{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1","code":"urgent-care"}]}],` +
		`"name":"North Ambulance Service","telecom":[{"system":"phone","value":"01111222333"}]}],` +
		`"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1","valueReference":{"reference":"#1"}},` +
		`{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1","code":"R0260","display":"General Medical Practitioner"}]}},` +
		`{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2","valueCode":"In-person"}],` +
		`"status":"booked","serviceCategory":{"text":"General GP Appointments"},"serviceType":[{"text":"General GP Appointment"}],` +
		`"description":"Free text description.","start":"2026-03-30T10:00:00+01:00","end":"2026-03-30T10:10:00+01:00","slot":[{"reference":"Slot/1"}],` +
		`"created":"2026-03-27T13:48:41+00:00","comment":"Bring \"letter\" & <notes>","participant":[{"actor":{"reference":"Patient/1"},"status":"accepted"},` +
		`{"actor":{"reference":"Location/32"},"status":"accepted"},{"actor":{"reference":"Practitioner/18"},"status":"accepted"}]}`
	wantXML := `<Appointment xmlns="http://hl7.org/fhir"><id value="9"/><meta><versionId value="636068818095315079"/><profile value="https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"/></meta>` +
		`<contained><Organization><id value="1"/><meta><profile value="https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"/></meta>` +
		`<identifier><system value="https://fhir.nhs.uk/Id/ods-organization-code"/><value value="A00001"/></identifier><type><coding><system value="https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1"/><code value="urgent-care"/></coding></type>` +
		`<name value="North Ambulance Service"/><telecom><system value="phone"/><value value="01111222333"/></telecom></Organization></contained>` +
		`<extension url="https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1"><valueReference><reference value="#1"/></valueReference></extension>` +
		`<extension url="https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1"><valueCodeableConcept><coding><system value="https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1"/><code value="R0260"/><display value="General Medical Practitioner"/></coding></valueCodeableConcept></extension>` +
		`<extension url="https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2"><valueCode value="In-person"/></extension>` +
		`<status value="booked"/><serviceCategory><text value="General GP Appointments"/></serviceCategory><serviceType><text value="General GP Appointment"/></serviceType>` +
		`<description value="Free text description."/><start value="2026-03-30T10:00:00+01:00"/><end value="2026-03-30T10:10:00+01:00"/><slot><reference value="Slot/1"/></slot>` +
		`<created value="2026-03-27T13:48:41+00:00"/><comment value="Bring &quot;letter&quot; &amp; &lt;notes&gt;"/>` +
		`<participant><actor><reference value="Patient/1"/></actor><status value="accepted"/></participant>` +
		`<participant><actor><reference value="Location/32"/></actor><status value="accepted"/></participant>` +
		`<participant><actor><reference value="Practitioner/18"/></actor><status value="accepted"/></participant></Appointment>`
	for _, tt := range []struct {
		f    fhir.Format
		want string
	}{{fhir.JSON, wantJSON}, {fhir.XML, wantXML}} {
		got, err := fhir.Marshal(tt.f, a)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%v:\ngot  %s\nwant %s", tt.f, got, tt.want)
		}
	}
	assertRoundTrips(t, a)
}

func TestMarshalNeverWritesEmpty(t *testing.T) {
	p := &fhir.Patient{
		Meta:       &fhir.Meta{Profile: []string{""}},
		Identifier: []fhir.Identifier{{}, {Type: &fhir.CodeableConcept{Coding: []fhir.Coding{{}}}}},
		Name:       []fhir.HumanName{{Given: []string{"", ""}}},
		Extension:  []fhir.Extension{{Extension: []fhir.Extension{{}}}},
		Contained:  []fhir.Resource{nil, (*fhir.Organization)(nil)},
		Address:    []fhir.Address{{Period: &fhir.Period{}}},
	}
	tests := []struct {
		f    fhir.Format
		want string
	}{{fhir.JSON, `{"resourceType":"Patient"}`}, {fhir.XML, `<Patient xmlns="http://hl7.org/fhir"/>`}}
	for _, tt := range tests {
		got, err := fhir.Marshal(tt.f, p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%v: got %s, want %s", tt.f, got, tt.want)
		}
	}
	// An element with only an id attribute is not empty.
	q := &fhir.Patient{Name: []fhir.HumanName{{ID: "n"}, {}}, Gender: "male"}
	for _, tt := range []struct {
		f    fhir.Format
		want string
	}{{fhir.JSON, `{"resourceType":"Patient","name":[{"id":"n"}],"gender":"male"}`},
		{fhir.XML, `<Patient xmlns="http://hl7.org/fhir"><name id="n"/><gender value="male"/></Patient>`}} {
		got, err := fhir.Marshal(tt.f, q)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%v: got %s, want %s", tt.f, got, tt.want)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		r    fhir.Resource
		msg  string
	}{
		{"nil", nil, "nil resource"},
		{"nil pointer", (*fhir.Patient)(nil), "nil resource"},
		{"two values", &fhir.Patient{Extension: []fhir.Extension{{URL: "http://x", ValueString: "a", ValueBoolean: fhir.Bool(true)}}}, "more than one value[x]"},
		{"two deceased", &fhir.Patient{DeceasedBoolean: fhir.Bool(true), DeceasedDateTime: fhir.NewDateTime(testTime)}, "more than one deceased[x]"},
		{"bad div", &fhir.Patient{Text: &fhir.Narrative{Status: "generated", Div: "<b>x"}}, "narrative div"},
		{"not a struct", notAResource{}, "not a struct"},
	}
	for _, tt := range tests {
		for _, f := range []fhir.Format{fhir.JSON, fhir.XML} {
			_, err := fhir.Marshal(f, tt.r)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("%s, %v: err = %v, want one containing %q", tt.name, f, err, tt.msg)
			}
		}
	}
	deep := &fhir.Patient{}
	ext := &deep.Extension
	for i := 0; i < 120; i++ {
		*ext = []fhir.Extension{{URL: "http://x"}}
		ext = &(*ext)[0].Extension
	}
	for _, f := range []fhir.Format{fhir.JSON, fhir.XML} {
		if _, err := fhir.Marshal(f, deep); err == nil || !strings.Contains(err.Error(), "nesting") {
			t.Errorf("%v: Marshal of 120 nested extensions: %v", f, err)
		}
	}
}

type notAResource []int

func (notAResource) ResourceType() string { return "Nothing" }

// TestStringsAreSanitised checks that characters FHIR does not allow are
// replaced rather than written, so the output always reads back.
func TestStringsAreSanitised(t *testing.T) {
	p := &fhir.Patient{Name: []fhir.HumanName{{
		Family: "a\x01b\xffc\uFFFEd\ttab\nnl\rcr\u2028 \"q\" <&> é",
	}}}
	want := "a\uFFFDb\uFFFDc\uFFFDd\ttab\nnl\rcr\u2028 \"q\" <&> é"
	for _, f := range []fhir.Format{fhir.JSON, fhir.XML} {
		data, err := fhir.Marshal(f, p)
		if err != nil {
			t.Fatal(err)
		}
		back, err := fhir.Unmarshal(f, data)
		if err != nil {
			t.Fatalf("%v: %v\n%q", f, err, data)
		}
		if got := back.(*fhir.Patient).Name[0].Family; got != want {
			t.Errorf("%v: family = %q, want %q", f, got, want)
		}
	}
}

func TestNewOperationOutcome(t *testing.T) {
	oo := fhir.NewOperationOutcome("error", "invalid", fhir.CodeSystemSpineErrorOrWarningCode,
		"INVALID_RESOURCE", "Invalid validation of resource", "Appointment.participant[1].actor.reference: empty value")
	got, err := fhir.Marshal(fhir.JSON, oo)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"resourceType":"OperationOutcome","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"]},` +
		`"issue":[{"severity":"error","code":"invalid","details":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1",` +
		`"code":"INVALID_RESOURCE","display":"Invalid validation of resource"}]},"diagnostics":"Appointment.participant[1].actor.reference: empty value"}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if oo := fhir.NewOperationOutcome("error", "exception", "", "", "", ""); oo.Issue[0].Details != nil {
		t.Errorf("details without a Spine code: %+v", oo.Issue[0].Details)
	}
	assertRoundTrips(t, oo)
}

func TestFormat(t *testing.T) {
	if fhir.JSON.MIMEType() != "application/fhir+json" || fhir.XML.MIMEType() != "application/fhir+xml" {
		t.Error("MIME types")
	}
	if fhir.JSON.String() != "JSON" || fhir.XML.String() != "XML" || fhir.Format(7).String() != "Format(7)" {
		t.Error("Format.String")
	}
	if _, err := fhir.Marshal(fhir.Format(7), &fhir.Patient{}); err == nil {
		t.Error("Marshal in an unknown format succeeded")
	}
	if _, err := fhir.Unmarshal(fhir.Format(7), []byte(`{}`)); err == nil {
		t.Error("Unmarshal in an unknown format succeeded")
	}
	want := []string{"AllergyIntolerance", "Appointment", "Bundle", "CapabilityStatement", "Condition", "Device",
		"DiagnosticReport", "DocumentReference", "Encounter", "HealthcareService", "Immunization", "List", "Location",
		"Medication", "MedicationRequest", "MedicationStatement", "Observation", "Operation" + "Outcome",
		"Organization", "Parameters", "Patient", "Practitioner", "PractitionerRole", "ProcedureRequest",
		"QuestionnaireResponse", "ReferralRequest", "Schedule", "Slot", "Specimen"}
	if got := fhir.ResourceTypes(); !reflect.DeepEqual(got, want) {
		t.Errorf("ResourceTypes() = %v", got)
	}
}

// TestDeepErrorPath checks the indexes of a long path (longer than the
// decoders' initial path capacity).
func TestDeepErrorPath(t *testing.T) {
	const levels = 30
	jsonDoc := `{"resourceType":"Patient","extension":[`
	xmlDoc := `<Patient xmlns="http://hl7.org/fhir">`
	want := "Patient"
	for i := 0; i < levels; i++ {
		jsonDoc += `{"url":"http://x","valueString":"a"},{"url":"http://x","extension":[`
		xmlDoc += `<extension url="http://x"><valueString value="a"/></extension><extension url="http://x">`
		want += ".extension[1]"
	}
	jsonDoc += `{"url":"http://x","valueString":"a"},{"url":"http://x","valueCode":" bad"}` + strings.Repeat(`]}`, levels) + `]}`
	xmlDoc += `<extension url="http://x"><valueString value="a"/></extension><extension url="http://x"><valueCode value=" bad"/></extension>` +
		strings.Repeat(`</extension>`, levels) + `</Patient>`
	want += ".extension[1].valueCode"
	for _, tt := range []struct {
		f   fhir.Format
		doc string
	}{{fhir.JSON, jsonDoc}, {fhir.XML, xmlDoc}} {
		de := decodeErr(t, tt.f, tt.doc)
		if de.Path != want {
			t.Errorf("%v: path = %s\nwant %s", tt.f, de.Path, want)
		}
	}
}

// TestConcurrentUse runs the codec from several goroutines (go test -race
// checks the plan cache and the buffer pool).
func TestConcurrentUse(t *testing.T) {
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func(g int) {
			var err error
			for i := 0; i < 20 && err == nil; i++ {
				var r fhir.Resource = testAppointment()
				if (g+i)%2 == 0 {
					r = slotBundle(10, 2)
				}
				f := fhir.Format((g + i) % 2)
				var data []byte
				if data, err = fhir.Marshal(f, r); err == nil {
					var back fhir.Resource
					if back, err = fhir.Unmarshal(f, data); err == nil && !reflect.DeepEqual(back, r) {
						err = errors.New("round trip changed the resource")
					}
				}
			}
			done <- err
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
