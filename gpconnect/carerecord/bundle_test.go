package carerecord

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
)

// flatJSON lists a FHIR JSON document as sorted "path=value" lines, array
// indices left out and a resource's type made part of the path, so that it
// can be compared with flatXML of the same content.
func flatJSON(t *testing.T, b []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	var out []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if rt, ok := x["resourceType"].(string); ok {
				path += "." + rt
			}
			for k, kv := range x {
				if k != "resourceType" {
					walk(path+"."+k, kv)
				}
			}
		case []any:
			for _, e := range x {
				walk(path, e)
			}
		case string:
			out = append(out, path+"="+x)
		default:
			t.Fatalf("%s: unexpected JSON value %v", path, x)
		}
	}
	walk("", v)
	sort.Strings(out)
	return out
}

// flatXML lists FHIR XML the same way; the XHTML div is taken verbatim.
func flatXML(t *testing.T, b []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var out []string
	var path []string
	for {
		start := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if x.Name.Space == xhtmlNS && x.Name.Local == "div" {
				if err := d.Skip(); err != nil {
					t.Fatal(err)
				}
				out = append(out, "."+strings.Join(path, ".")+".div="+string(b[start:d.InputOffset()]))
				continue
			}
			if x.Name.Space != fhirNS {
				t.Fatalf("element %s outside the FHIR namespace", x.Name.Local)
			}
			if len(path) == 0 && !slices.ContainsFunc(x.Attr, func(a xml.Attr) bool { return a.Name.Local == "xmlns" && a.Value == fhirNS }) {
				t.Fatal("root element does not declare the FHIR namespace")
			}
			path = append(path, x.Name.Local)
			for _, a := range x.Attr {
				if a.Name.Local == "value" {
					out = append(out, "."+strings.Join(path, ".")+"="+a.Value)
				}
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		case xml.CharData:
			if len(bytes.TrimSpace(x)) > 0 {
				t.Fatalf("text %q in FHIR XML", x)
			}
		}
	}
	sort.Strings(out)
	return out
}

var now = time.Date(2024, 3, 5, 14, 30, 15, 0, time.UTC)

func response(t *testing.T, f Format, r *Request, sub Subject) ([]byte, string) {
	t.Helper()
	shared, w := richRecord().Shareable()
	div, err := Render(shared, w, r, sub, today)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Response(f, r, sub, div, now)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(out, '\r') || bytes.HasSuffix(out, []byte("\n")) {
		t.Errorf("%v: carriage return or trailing newline", f)
	}
	return out, div
}

func TestResponseJSON(t *testing.T) {
	sub := subjectFor(richNHS)
	sub.Patient.DeceasedDate = date(2024, 3, 1)
	r := req(Problems, year(2019))
	out, div := response(t, JSON, r, sub)

	var b struct {
		ResourceType, ID, Type string
		Meta                   struct{ LastUpdated string }
		Entry                  []struct{ Resource map[string]any }
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if b.ResourceType != "Bundle" || b.Type != "searchset" || b.ID == "" || b.Meta.LastUpdated != "2024-03-05T14:30:15+00:00" {
		t.Fatalf("bundle %+v", b)
	}
	var types []string
	for _, e := range b.Entry {
		types = append(types, e.Resource["resourceType"].(string))
	}
	wantEq(t, "entries", types, []string{"Composition", "Patient", "Organization", "Practitioner", "Device"})

	flat := flatJSON(t, out)
	has := func(line string) {
		t.Helper()
		if !slices.Contains(flat, line) {
			t.Errorf("missing %s", line)
		}
	}
	const c, p = ".Bundle.entry.resource.Composition", ".Bundle.entry.resource.Patient"
	has(c + ".meta.profile=http://fhir.nhs.net/StructureDefinition/gpconnect-carerecord-composition-1")
	has(c + ".title=Patient Care Record")
	has(c + ".status=final")
	has(c + ".date=2024-03-05T14:30:15+00:00")
	has(c + ".type.coding.system=http://snomed.info/sct")
	has(c + ".subject.reference=Patient/p1")
	has(c + ".author.reference=Device/pcnhub")
	has(c + ".custodian.reference=Organization/org1")
	has(c + ".section.title=Problems and Issues")
	has(c + ".section.code.coding.system=http://fhir.nhs.net/ValueSet/gpconnect-record-section-1")
	has(c + ".section.code.coding.code=PRB")
	has(c + ".section.text.status=generated")
	has(c + ".section.text.div=" + div)
	has(p + ".meta.profile=http://fhir.nhs.net/StructureDefinition/gpconnect-patient-1")
	has(p + ".identifier.system=http://fhir.nhs.net/Id/nhs-number")
	has(p + ".identifier.value=9990000018")
	has(p + ".name.family=Smith")
	has(p + ".name.text=Mrs Jane Ann SMITH")
	has(p + ".gender=female")
	has(p + ".birthDate=1960-07-14")
	has(p + ".deceasedDateTime=2024-03-01")
	has(p + ".address.postalCode=LS1 1AA")
	has(p + ".careProvider.reference=Practitioner/gp1")
	has(p + ".managingOrganization.reference=Organization/org1")
	has(".Bundle.entry.resource.Organization.identifier.system=http://fhir.nhs.net/Id/ods-organization-code")
	has(".Bundle.entry.resource.Organization.identifier.value=A81001")
	has(".Bundle.entry.resource.Organization.name=The Surgery & Health Centre")
	has(".Bundle.entry.resource.Practitioner.identifier.system=http://fhir.nhs.net/Id/sds-user-id")
	has(".Bundle.entry.resource.Practitioner.identifier.value=G13579135")
	has(".Bundle.entry.resource.Practitioner.meta.profile=http://fhir.nhs.net/StructureDefinition/gpconnect-practitioner-1")
	has(".Bundle.entry.resource.Device.meta.profile=http://fhir.nhs.net/StructureDefinition/gpconnect-device-1")

	// The div in the JSON is the narrative, namespace declared.
	if !strings.HasPrefix(div, `<div xmlns="http://www.w3.org/1999/xhtml">`) {
		t.Errorf("div %.60s", div)
	}
	// Same call, same ids; another instant, other ids.
	again, _ := response(t, JSON, r, sub)
	if !bytes.Equal(out, again) {
		t.Error("the same call gave different output")
	}
	later, err := Response(JSON, r, sub, div, now.Add(time.Second))
	if err != nil || bytes.Equal(later, out) {
		t.Error("a later call kept the ids")
	}
}

// The JSON and XML answers carry the same content, for every section and
// for a subject without GP, address or deceased date.
func TestResponseJSONAndXMLAgree(t *testing.T) {
	bare := Subject{Patient: Patient{ID: "x.1", NHSNumber: richNHS}, Practice: Practice{ID: "o-1"}}
	for _, sub := range []Subject{subjectFor(richNHS), bare} {
		for _, sec := range Sections {
			r := req(sec, Period{})
			j, _ := response(t, JSON, r, sub)
			x, _ := response(t, XML, r, sub)
			if !bytes.HasPrefix(x, []byte(`<?xml version="1.0" encoding="UTF-8"?><Bundle xmlns="http://hl7.org/fhir">`)) {
				t.Errorf("XML starts %.80s", x)
			}
			fj, fx := flatJSON(t, j), flatXML(t, x)
			if !slices.Equal(fj, fx) {
				for _, l := range fj {
					if !slices.Contains(fx, l) {
						t.Errorf("%s: only in JSON: %.200s", sec, l)
					}
				}
				for _, l := range fx {
					if !slices.Contains(fj, l) {
						t.Errorf("%s: only in XML: %.200s", sec, l)
					}
				}
			}
		}
	}
	// Without a GP there is no Practitioner and no careProvider.
	j, _ := response(t, JSON, req(Summary, Period{}), bare)
	if bytes.Contains(j, []byte("Practitioner")) {
		t.Error("Practitioner without a GP")
	}
}

// Demographics with markup, quotes, line breaks and bad bytes survive
// both encodings alike.
func TestResponseAwkwardText(t *testing.T) {
	sub := subjectFor(richNHS)
	sub.Patient.Name = pcnhub.HumanName{Given: []string{`Zoë "Jo" <b>`}, Family: "O'Brien & Sons\r\nLtd\x01"}
	sub.Patient.Address.Lines = []string{"Flat 1\tBlock \xff"}
	sub.Practice.Name = "]]> <![CDATA["
	j, _ := response(t, JSON, req(Summary, Period{}), sub)
	x, _ := response(t, XML, req(Summary, Period{}), sub)
	fj, fx := flatJSON(t, j), flatXML(t, x)
	if !slices.Equal(fj, fx) {
		t.Errorf("JSON and XML differ:\n%q\n%q", fj, fx)
	}
	if !slices.Contains(fj, ".Bundle.entry.resource.Patient.name.family=O'Brien & Sons\nLtd\ufffd") {
		t.Errorf("family name not cleaned as expected: %q", fj)
	}
}

func TestResponseRefuses(t *testing.T) {
	sub := subjectFor(richNHS)
	r := req(Summary, Period{})
	good := `<div xmlns="http://www.w3.org/1999/xhtml"><h1>Summary</h1></div>`
	for name, c := range map[string]struct {
		req *Request
		sub func(*Subject)
		div string
	}{
		"nil request":       {nil, nil, good},
		"other patient":     {&Request{NHSNumber: "9990000026", Section: Summary}, nil, good},
		"bad patient id":    {r, func(s *Subject) { s.Patient.ID = "p/1" }, good},
		"empty practice id": {r, func(s *Subject) { s.Practice.ID = "" }, good},
		"long GP id":        {r, func(s *Subject) { s.GP.ID = strings.Repeat("a", 65) }, good},
		"not a div":         {r, nil, `<p>x</p>`},
		"two divs":          {r, nil, good + good},
		"script":            {r, nil, `<div><script>alert(1)</script></div>`},
		"event attribute":   {r, nil, `<div onclick="x()">a</div>`},
		"style attribute":   {r, nil, `<div style="color:red">a</div>`},
		"other namespace":   {r, nil, `<div xmlns="http://hl7.org/fhir">a</div>`},
		"not well-formed":   {r, nil, `<div><p>a</div>`},
		"carriage return":   {r, nil, "<div>a\r\nb</div>"},
		"text after":        {r, nil, good + "x"},
	} {
		s := subjectFor(richNHS)
		if c.sub != nil {
			c.sub(&s)
		}
		_, err := Response(JSON, c.req, s, c.div, now)
		var e *Error
		if !errors.As(err, &e) || e.Status != 500 {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A div without the namespace gets it.
	out, err := Response(XML, r, sub, `<div><p>a &amp; b</p></div>`, now)
	if err != nil || !bytes.Contains(out, []byte(`<div xmlns="http://www.w3.org/1999/xhtml"><p>a &amp; b</p></div>`)) {
		t.Errorf("namespace not added: %v %s", err, out)
	}
	if _, err := Response(JSON, r, sub, good, time.Time{}); err == nil {
		t.Error("zero time accepted")
	}
	if _, err := Response(Format(0), r, sub, good, now); err == nil {
		t.Error("unknown format accepted")
	}
	// Summer time is written +01:00.
	out, err = Response(JSON, r, sub, good, time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC))
	if err != nil || !bytes.Contains(out, []byte(`"date":"2024-07-01T13:00:00+01:00"`)) {
		t.Errorf("BST date: %v %s", err, out)
	}
}

func TestOperationOutcome(t *testing.T) {
	_, err := ParseRequest(JSON, jsonBody(nhs("9000000008"), sectionP("SUM")))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	j, err := OperationOutcome(JSON, e)
	if err != nil {
		t.Fatal(err)
	}
	var oo struct {
		ResourceType string
		Meta         struct{ Profile []string }
		Issue        []struct {
			Severity, Code, Diagnostics string
			Details                     struct {
				Coding []struct{ System, Code, Display string }
			}
		}
	}
	if err := json.Unmarshal(j, &oo); err != nil {
		t.Fatal(err)
	}
	if oo.ResourceType != "OperationOutcome" || len(oo.Meta.Profile) != 1 || oo.Meta.Profile[0] != "http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1" {
		t.Fatalf("outcome %s", j)
	}
	is := oo.Issue[0]
	if len(oo.Issue) != 1 || is.Severity != "error" || is.Code != "value" || !strings.Contains(is.Diagnostics, ParamNHSNumber) {
		t.Fatalf("issue %+v", is)
	}
	if c := is.Details.Coding; len(c) != 1 || c[0].System != "http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1" ||
		c[0].Code != "INVALID_NHS_NUMBER" || c[0].Display != "Invalid NHS number" {
		t.Fatalf("coding %+v", c)
	}
	if j0, err := OperationOutcome(Format(0), e); err != nil || !bytes.Equal(j0, j) {
		t.Error("unknown format does not give JSON")
	}
	x, err := OperationOutcome(XML, e)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(flatJSON(t, j), flatXML(t, x)) {
		t.Errorf("JSON and XML differ:\n%s\n%s", j, x)
	}
	// Errors made by the provider, a bare code and nil.
	for _, c := range []struct {
		e            *Error
		status       int
		code, issue  string
		display      string
		diagContains string
	}{
		{NewError(CodePatientNotFound, "no patient %s", "x"), 404, CodePatientNotFound, "not-found", "Patient not found", "no patient x"},
		{NewError(CodeNoPatientConsent, "dissent"), 403, CodeNoPatientConsent, "forbidden", "No patient consent to share", "dissent"},
		{NewError(CodeAccessDenied, "off"), 403, "ACCESS DENIED", "forbidden", "Access denied", "off"},
		{NewError("SOMETHING_NEW", "?"), 500, "SOMETHING_NEW", "exception", "SOMETHING_NEW", "?"},
		{&Error{Status: 422, Code: CodeInvalidParameter}, 422, CodeInvalidParameter, "invalid", "Invalid parameter", ""},
		{nil, 500, CodeInternalServerError, "exception", "Internal server error", "unexpected"},
	} {
		if c.e != nil && c.e.Status != c.status {
			t.Errorf("%s: status %d", c.code, c.e.Status)
		}
		out, err := OperationOutcome(XML, c.e)
		if err != nil {
			t.Fatal(err)
		}
		f := flatXML(t, out)
		for _, want := range []string{
			".OperationOutcome.issue.code=" + c.issue,
			".OperationOutcome.issue.details.coding.code=" + c.code,
			".OperationOutcome.issue.details.coding.display=" + c.display,
		} {
			if !slices.Contains(f, want) {
				t.Errorf("%s: missing %s in %q", c.code, want, f)
			}
		}
		if c.diagContains != "" && !slices.ContainsFunc(f, func(l string) bool {
			return strings.HasPrefix(l, ".OperationOutcome.issue.diagnostics=") && strings.Contains(l, c.diagContains)
		}) {
			t.Errorf("%s: diagnostics", c.code)
		}
	}
}
