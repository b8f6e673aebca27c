package carerecord

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
)

// pspec describes one request parameter, written in JSON or XML by body.
type pspec struct {
	name string
	kind string // value[x] element name

	// valueIdentifier
	system, value *string
	// valueCodeableConcept
	codings []cspec
	// valuePeriod
	start, end *string
	// valueString and other primitives
	prim string
}

type cspec struct{ system, code *string }

func s(v string) *string { return &v }

func nhs(v string) pspec {
	return pspec{name: ParamNHSNumber, kind: "valueIdentifier", system: s(SystemNHSNumber), value: s(v)}
}

func sectionP(code string) pspec {
	return pspec{name: ParamSection, kind: "valueCodeableConcept", codings: []cspec{{s(SystemRecordSection), s(code)}}}
}

func periodP(start, end *string) pspec {
	return pspec{name: ParamTimePeriod, kind: "valuePeriod", start: start, end: end}
}

func jsonBody(ps ...pspec) []byte {
	var params []map[string]any
	for _, p := range ps {
		m := map[string]any{"name": p.name}
		switch p.kind {
		case "valueIdentifier":
			v := map[string]any{}
			if p.system != nil {
				v["system"] = *p.system
			}
			if p.value != nil {
				v["value"] = *p.value
			}
			m[p.kind] = v
		case "valueCodeableConcept":
			var cs []map[string]any
			for _, c := range p.codings {
				cm := map[string]any{}
				if c.system != nil {
					cm["system"] = *c.system
				}
				if c.code != nil {
					cm["code"] = *c.code
				}
				cs = append(cs, cm)
			}
			v := map[string]any{}
			if cs != nil {
				v["coding"] = cs
			}
			m[p.kind] = v
		case "valuePeriod":
			v := map[string]any{}
			if p.start != nil {
				v["start"] = *p.start
			}
			if p.end != nil {
				v["end"] = *p.end
			}
			m[p.kind] = v
		case "":
		default:
			m[p.kind] = p.prim
		}
		params = append(params, m)
	}
	b, err := json.Marshal(map[string]any{"resourceType": "Parameters", "parameter": params})
	if err != nil {
		panic(err)
	}
	return b
}

func xv(name string, v *string) string {
	if v == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("<" + name + ` value="`)
	b.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;").Replace(*v))
	b.WriteString(`"/>`)
	return b.String()
}

func xmlBody(ps ...pspec) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Parameters xmlns="http://hl7.org/fhir">`)
	for _, p := range ps {
		b.WriteString("<parameter>" + xv("name", &p.name))
		switch p.kind {
		case "valueIdentifier":
			b.WriteString("<valueIdentifier>" + xv("system", p.system) + xv("value", p.value) + "</valueIdentifier>")
		case "valueCodeableConcept":
			b.WriteString("<valueCodeableConcept>")
			for _, c := range p.codings {
				b.WriteString("<coding>" + xv("system", c.system) + xv("code", c.code) + "</coding>")
			}
			b.WriteString("</valueCodeableConcept>")
		case "valuePeriod":
			b.WriteString("<valuePeriod>" + xv("start", p.start) + xv("end", p.end) + "</valuePeriod>")
		case "":
		default:
			b.WriteString(xv(p.kind, &p.prim))
		}
		b.WriteString("</parameter>")
	}
	b.WriteString("</Parameters>")
	return []byte(b.String())
}

const validNHS = "9000000009"

func date(y, m, d int) pcnhub.Date { return pcnhub.Date{Year: y, Month: time.Month(m), Day: d} }

func TestParseRequestValid(t *testing.T) {
	cases := []struct {
		name string
		ps   []pspec
		want Request
	}{
		{"summary", []pspec{nhs(validNHS), sectionP("SUM")}, Request{NHSNumber: validNHS, Section: Summary}},
		{"order does not matter", []pspec{sectionP("MED"), nhs(validNHS)}, Request{NHSNumber: validNHS, Section: Medications}},
		{"days", []pspec{nhs(validNHS), sectionP("ENC"), periodP(s("2016-01-01"), s("2016-12-31"))},
			Request{validNHS, Encounters, Period{date(2016, 1, 1), date(2016, 12, 31)}}},
		{"years widen", []pspec{nhs(validNHS), sectionP("PRB"), periodP(s("2014"), s("2015"))},
			Request{validNHS, Problems, Period{date(2014, 1, 1), date(2015, 12, 31)}}},
		{"months widen", []pspec{nhs(validNHS), sectionP("OBS"), periodP(s("2016-02"), s("2016-02"))},
			Request{validNHS, Observations, Period{date(2016, 2, 1), date(2016, 2, 29)}}},
		{"date-times in London", []pspec{nhs(validNHS), sectionP("CLI"), periodP(s("2015-10-23T23:30:00Z"), s("2016-06-30T23:30:00+00:00"))},
			Request{validNHS, ClinicalItems, Period{date(2015, 10, 24), date(2016, 7, 1)}}}, // both in BST
		{"fractional seconds", []pspec{nhs(validNHS), sectionP("CLI"), periodP(s("2015-10-23T11:08:32.123+01:00"), nil)},
			Request{validNHS, ClinicalItems, Period{Start: date(2015, 10, 23)}}},
		{"start only", []pspec{nhs(validNHS), sectionP("REF"), periodP(s("2014-05-01"), nil)},
			Request{validNHS, Referrals, Period{Start: date(2014, 5, 1)}}},
		{"end only", []pspec{nhs(validNHS), sectionP("ADM"), periodP(nil, s("2014-05"))},
			Request{validNHS, Administrative, Period{End: date(2014, 5, 31)}}},
		{"same day", []pspec{nhs(validNHS), sectionP("MED"), periodP(s("2020-03-05"), s("2020-03-05"))},
			Request{validNHS, Medications, Period{date(2020, 3, 5), date(2020, 3, 5)}}},
		{"future period", []pspec{nhs(validNHS), sectionP("ADM"), periodP(s("2090-01-01"), nil)},
			Request{validNHS, Administrative, Period{Start: date(2090, 1, 1)}}},
		{"translation coding ignored", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCodeableConcept",
			codings: []cspec{{s("http://snomed.info/sct"), s("123")}, {s(SystemRecordSection), s("IMM")}}}},
			Request{NHSNumber: validNHS, Section: Immunisations}},
	}
	for _, c := range cases {
		for _, f := range []Format{JSON, XML} {
			body := jsonBody(c.ps...)
			if f == XML {
				body = xmlBody(c.ps...)
			}
			got, err := ParseRequest(f, body)
			if err != nil {
				t.Errorf("%s (%v): %v", c.name, f, err)
				continue
			}
			if *got != c.want {
				t.Errorf("%s (%v): got %+v, want %+v", c.name, f, *got, c.want)
			}
		}
	}
}

func TestParseRequestErrors(t *testing.T) {
	const (
		bad  = CodeBadRequest
		nhsE = CodeInvalidNHSNumber
		sys  = CodeInvalidIdentifierSystem
		par  = CodeInvalidParameter
		res  = CodeInvalidResource
	)
	ok := []pspec{nhs(validNHS), sectionP("ENC")}
	with := func(extra ...pspec) []pspec { return append(append([]pspec(nil), ok...), extra...) }
	cases := []struct {
		name   string
		ps     []pspec
		status int
		code   string
		diag   string // must appear in Diagnostics
	}{
		{"no section", []pspec{nhs(validNHS)}, 400, bad, ParamSection},
		{"no parameters", nil, 400, bad, ParamNHSNumber},
		{"two sections", with(sectionP("SUM")), 400, bad, ParamSection},
		{"duplicate section", with(sectionP("ENC")), 400, bad, ParamSection},
		{"two codings", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCodeableConcept",
			codings: []cspec{{s(SystemRecordSection), s("SUM")}, {s(SystemRecordSection), s("ENC")}}}}, 400, bad, ParamSection},
		{"section as string", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueString", prim: "SUM"}}, 400, bad, ParamSection},
		{"section as code", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCode", prim: "SUM"}}, 400, bad, ParamSection},
		{"section without value", []pspec{nhs(validNHS), {name: ParamSection}}, 400, bad, ParamSection},
		{"no NHS number", []pspec{sectionP("SUM")}, 400, bad, ParamNHSNumber},
		{"duplicate NHS numbers", with(nhs(validNHS)), 400, bad, ParamNHSNumber},
		{"two different NHS numbers", with(nhs("9476719931")), 400, bad, ParamNHSNumber},
		{"NHS number as string", []pspec{{name: ParamNHSNumber, kind: "valueString", prim: validNHS}, sectionP("SUM")}, 400, bad, ParamNHSNumber},
		{"check digit", []pspec{nhs("9000000008"), sectionP("SUM")}, 400, nhsE, ParamNHSNumber},
		{"nine digits", []pspec{nhs("999999999"), sectionP("SUM")}, 400, nhsE, ParamNHSNumber},
		{"eleven digits", []pspec{nhs("90000000090"), sectionP("SUM")}, 400, nhsE, ParamNHSNumber},
		{"letters", []pspec{nhs("hello"), sectionP("SUM")}, 400, nhsE, ParamNHSNumber},
		{"spaces", []pspec{nhs("900 000 0009"), sectionP("SUM")}, 400, nhsE, ParamNHSNumber},
		{"empty NHS number", []pspec{nhs(""), sectionP("SUM")}, 400, nhsE, ParamNHSNumber},
		{"no NHS value", []pspec{{name: ParamNHSNumber, kind: "valueIdentifier", system: s(SystemNHSNumber)}, sectionP("SUM")}, 400, nhsE, ParamNHSNumber},
		{"bad identifier system", []pspec{{name: ParamNHSNumber, kind: "valueIdentifier", system: s("http://test.net/types/internalIdentifier"), value: s(validNHS)}, sectionP("SUM")}, 400, sys, ParamNHSNumber},
		{"STU3 identifier system", []pspec{{name: ParamNHSNumber, kind: "valueIdentifier", system: s("https://fhir.nhs.uk/Id/nhs-number"), value: s(validNHS)}, sectionP("SUM")}, 400, sys, ParamNHSNumber},
		{"empty identifier system", []pspec{{name: ParamNHSNumber, kind: "valueIdentifier", system: s(""), value: s(validNHS)}, sectionP("SUM")}, 400, sys, ParamNHSNumber},
		{"no identifier system", []pspec{{name: ParamNHSNumber, kind: "valueIdentifier", value: s(validNHS)}, sectionP("SUM")}, 400, sys, ParamNHSNumber},
		{"unknown section", []pspec{nhs(validNHS), sectionP("XXX")}, 422, par, ParamSection},
		{"lower-case section", []pspec{nhs(validNHS), sectionP("sum")}, 422, par, ParamSection},
		{"mixed-case section", []pspec{nhs(validNHS), sectionP("Enc")}, 422, par, ParamSection},
		{"empty section code", []pspec{nhs(validNHS), sectionP("")}, 422, par, ParamSection},
		{"no section code", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCodeableConcept", codings: []cspec{{s(SystemRecordSection), nil}}}}, 422, par, ParamSection},
		{"empty section system", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCodeableConcept", codings: []cspec{{s(""), s("SUM")}}}}, 422, par, ParamSection},
		{"no section system", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCodeableConcept", codings: []cspec{{nil, s("SUM")}}}}, 422, par, ParamSection},
		{"wrong section system", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCodeableConcept", codings: []cspec{{s("http://example.org/sections"), s("SUM")}}}}, 422, par, ParamSection},
		{"no coding", []pspec{nhs(validNHS), {name: ParamSection, kind: "valueCodeableConcept"}}, 422, par, ParamSection},
		{"start after end", with(periodP(s("2016-01-01"), s("2015-01-01"))), 422, par, ParamTimePeriod},
		{"start after end same day", with(periodP(s("2016-01-01T12:00:00Z"), s("2016-01-01T10:00:00Z"))), 422, par, ParamTimePeriod},
		{"empty date range", with(periodP(nil, nil)), 422, par, ParamTimePeriod},
		{"empty start", with(periodP(s(""), s("2016"))), 422, par, ParamTimePeriod},
		{"short month", with(periodP(s("2014-0"), nil)), 422, par, ParamTimePeriod},
		{"no seconds", with(periodP(s("2015-10-23T11:08"), nil)), 422, par, ParamTimePeriod},
		{"no offset", with(periodP(s("2015-10-23T11:08:32"), nil)), 422, par, ParamTimePeriod},
		{"lower-case t", with(periodP(s("2015-10-23t11:08:32Z"), nil)), 422, par, ParamTimePeriod},
		{"trailing T", with(periodP(s("2014-02-01T"), nil)), 422, par, ParamTimePeriod},
		{"impossible day", with(periodP(s("2016-02-30"), nil)), 422, par, ParamTimePeriod},
		{"month 13", with(periodP(nil, s("2016-13"))), 422, par, ParamTimePeriod},
		{"words", with(periodP(s("yesterday"), nil)), 422, par, ParamTimePeriod},
		{"year zero", with(periodP(s("0000"), nil)), 422, par, ParamTimePeriod},
		{"period as string", with(pspec{name: ParamTimePeriod, kind: "valueString", prim: "2016"}), 400, bad, ParamTimePeriod},
		{"duplicate period", with(periodP(s("2016"), nil), periodP(s("2016"), nil)), 400, bad, ParamTimePeriod},
		{"period on SUM", []pspec{nhs(validNHS), sectionP("SUM"), periodP(s("2016"), nil)}, 400, bad, ParamTimePeriod},
		{"period on ALL", []pspec{nhs(validNHS), sectionP("ALL"), periodP(s("2016"), nil)}, 400, bad, ParamTimePeriod},
		{"period on IMM", []pspec{nhs(validNHS), sectionP("IMM"), periodP(nil, s("2016"))}, 400, bad, ParamTimePeriod},
		{"bad period on IMM is still 400", []pspec{nhs(validNHS), sectionP("IMM"), periodP(s("x"), nil)}, 400, bad, ParamTimePeriod},
		{"unknown parameter", with(pspec{name: "includeAllergies", kind: "valueBoolean", prim: "true"}), 422, par, "includeAllergies"},
		{"unnamed parameter", with(pspec{name: "", kind: "valueString", prim: "x"}), 422, res, "parameter[2]"},
		{"NHS check before section", []pspec{nhs("hello"), sectionP("xyz")}, 400, nhsE, ParamNHSNumber},
	}
	for _, c := range cases {
		for _, f := range []Format{JSON, XML} {
			body := jsonBody(c.ps...)
			if f == XML {
				body = xmlBody(c.ps...)
			}
			_, err := ParseRequest(f, body)
			checkErr(t, c.name+" ("+f.String()+")", err, c.status, c.code, c.diag)
		}
	}
}

func checkErr(t *testing.T, name string, err error, status int, code, diag string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s: got %v, want *Error %d %s", name, err, status, code)
		return
	}
	if e.Status != status || e.Code != code {
		t.Errorf("%s: got %d %s (%s), want %d %s", name, e.Status, e.Code, e.Diagnostics, status, code)
	}
	if !strings.Contains(e.Diagnostics, diag) {
		t.Errorf("%s: diagnostics %q do not name %q", name, e.Diagnostics, diag)
	}
	if want := NewError(code, ""); e.Display != want.Display || e.IssueCode != want.IssueCode {
		t.Errorf("%s: display/issue %q/%q, want %q/%q", name, e.Display, e.IssueCode, want.Display, want.IssueCode)
	}
}

func TestParseRequestBodies(t *testing.T) {
	cases := []struct {
		name   string
		f      Format
		body   string
		status int
		code   string
		diag   string
	}{
		{"empty JSON", JSON, "", 400, CodeBadRequest, "empty"},
		{"blank XML", XML, " \n\t", 400, CodeBadRequest, "empty"},
		{"not JSON", JSON, "SUM please", 422, CodeInvalidResource, "Parameters"},
		{"truncated JSON", JSON, `{"resourceType":"Parameters","parameter":[`, 422, CodeInvalidResource, "Parameters"},
		{"JSON array", JSON, `[1,2]`, 422, CodeInvalidResource, "Parameters"},
		{"JSON trailing", JSON, `{"resourceType":"Parameters"} {}`, 422, CodeInvalidResource, "Parameters"},
		{"Patient JSON", JSON, `{"resourceType":"Patient","id":"1"}`, 422, CodeInvalidResource, "Patient"},
		{"no resourceType", JSON, `{"parameter":[]}`, 422, CodeInvalidResource, "Parameters"},
		{"parameter not array", JSON, `{"resourceType":"Parameters","parameter":{"name":"recordSection"}}`, 422, CodeInvalidResource, "parameter"},
		{"name not string", JSON, `{"resourceType":"Parameters","parameter":[{"name":5}]}`, 422, CodeInvalidResource, "name"},
		{"identifier not object", JSON, `{"resourceType":"Parameters","parameter":[{"name":"patientNHSNumber","valueIdentifier":"9000000009"}]}`, 422, CodeInvalidResource, ParamNHSNumber},
		{"two value[x]", JSON, `{"resourceType":"Parameters","parameter":[{"name":"recordSection","valueString":"SUM","valueCode":"SUM"}]}`, 422, CodeInvalidResource, ParamSection},
		{"empty Parameters JSON", JSON, `{"resourceType":"Parameters"}`, 400, CodeBadRequest, ParamNHSNumber},
		{"not XML", XML, "SUM please", 422, CodeInvalidResource, "XML"},
		{"unclosed XML", XML, `<Parameters xmlns="http://hl7.org/fhir"><parameter>`, 422, CodeInvalidResource, "XML"},
		{"Patient XML", XML, `<Patient xmlns="http://hl7.org/fhir"/>`, 422, CodeInvalidResource, "Patient"},
		{"XML without namespace", XML, `<Parameters><parameter><name value="recordSection"/></parameter></Parameters>`, 422, CodeInvalidResource, "namespace"},
		{"two roots", XML, `<Parameters xmlns="http://hl7.org/fhir"/><Parameters xmlns="http://hl7.org/fhir"/>`, 422, CodeInvalidResource, "root"},
		{"DOCTYPE", XML, `<!DOCTYPE x [<!ENTITY a "b">]><Parameters xmlns="http://hl7.org/fhir"/>`, 422, CodeInvalidResource, "DOCTYPE"},
		{"repeated name", XML, `<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="a"/><name value="b"/></parameter></Parameters>`, 422, CodeInvalidResource, "name"},
		{"repeated system", XML, `<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="patientNHSNumber"/><valueIdentifier><system value="a"/><system value="b"/></valueIdentifier></parameter></Parameters>`, 422, CodeInvalidResource, ParamNHSNumber},
		{"JSON body sent as XML", XML, string(jsonBody(nhs(validNHS), sectionP("SUM"))), 422, CodeInvalidResource, "XML"},
		{"XML body sent as JSON", JSON, string(xmlBody(nhs(validNHS), sectionP("SUM"))), 422, CodeInvalidResource, "JSON"},
	}
	for _, c := range cases {
		_, err := ParseRequest(c.f, []byte(c.body))
		checkErr(t, c.name, err, c.status, c.code, c.diag)
	}
	if _, err := ParseRequest(Format(9), jsonBody(nhs(validNHS), sectionP("SUM"))); err == nil {
		t.Error("unknown format accepted")
	}
}

// A FHIR XML body as a HAPI client writes it, with comments, an id
// attribute and an extension, parses.
func TestParseRequestXMLForms(t *testing.T) {
	body := `<?xml version="1.0" encoding="UTF-8"?>
<!-- care record request -->
<Parameters xmlns="http://hl7.org/fhir">
  <id value="p1"/>
  <parameter id="a">
    <name value="patientNHSNumber"/>
    <valueIdentifier>
      <system value="http://fhir.nhs.net/Id/nhs-number"/>
      <value value="9000000009"/>
    </valueIdentifier>
  </parameter>
  <parameter>
    <extension url="http://example.org/x"><valueString value="ignored"/></extension>
    <name value="recordSection"/>
    <valueCodeableConcept>
      <coding><system value="http://fhir.nhs.net/ValueSet/gpconnect-record-section-1"/><code value="MED"/><display value="Medications"/></coding>
      <text value="Medications"/>
    </valueCodeableConcept>
  </parameter>
  <parameter>
    <name value="timePeriod"/>
    <valuePeriod><start value="2019-04"/><end value="2020-03-31"/></valuePeriod>
  </parameter>
</Parameters>`
	got, err := ParseRequest(XML, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := Request{validNHS, Medications, Period{date(2019, 4, 1), date(2020, 3, 31)}}
	if *got != want {
		t.Fatalf("got %+v, want %+v", *got, want)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{
		"application/json+fhir":                JSON,
		"application/json+fhir;charset=utf-8":  JSON,
		"Application/XML+FHIR; charset=UTF-8":  XML,
		"application/fhir+json":                0,
		"application/json":                     0,
		"text/html":                            0,
		"":                                     0,
		"application/xml+fhir;;;charset=utf-8": 0,
	} {
		got, ok := ParseFormat(in)
		if got != want || ok != (want != 0) {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if JSON.ContentType() != "application/json+fhir;charset=utf-8" || XML.ContentType() != "application/xml+fhir;charset=utf-8" {
		t.Error("content types")
	}
}

func TestSections(t *testing.T) {
	if len(Sections) != 10 {
		t.Fatalf("%d sections", len(Sections))
	}
	noPeriod := map[Section]bool{Summary: true, Allergies: true, Immunisations: true}
	for _, sec := range Sections {
		if !sec.Valid() || sec.Title() == "" || len(sec.Areas()) == 0 {
			t.Errorf("%s: incomplete", sec)
		}
		if sec.AllowsPeriod() == noPeriod[sec] {
			t.Errorf("%s: AllowsPeriod = %v", sec, sec.AllowsPeriod())
		}
	}
	if Section("sum").Valid() || Section("").AllowsPeriod() {
		t.Error("invalid section accepted")
	}
}
