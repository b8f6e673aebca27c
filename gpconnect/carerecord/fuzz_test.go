package carerecord

import (
	"errors"
	"testing"
)

// fuzzSeeds are the bodies of the request tests, valid and not.
func fuzzSeeds(f Format) [][]byte {
	body := jsonBody
	if f == XML {
		body = xmlBody
	}
	return [][]byte{
		body(nhs(validNHS), sectionP("SUM")),
		body(nhs(validNHS), sectionP("ENC"), periodP(s("2016-01-01"), s("2016-12-31"))),
		body(nhs(validNHS), sectionP("MED"), periodP(s("2015-10-23T11:08:32.5+01:00"), nil)),
		body(nhs("9000000008"), sectionP("sum")),
		body(nhs(validNHS), sectionP("ALL"), periodP(nil, s("2016-13"))),
		body(pspec{name: ParamSection, kind: "valueString", prim: "SUM"}),
		body(),
		[]byte(""),
		[]byte(`{"resourceType":"Parameters","parameter":[{"name":5}]}`),
		[]byte(`<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="recordSection"/><valueCodeableConcept><coding/></valueCodeableConcept></parameter></Parameters>`),
	}
}

// checkParse asserts ParseRequest's contract on any input: a valid request
// or an *Error with status 400 or 422 and diagnostics.
func checkParse(t *testing.T, f Format, body []byte) {
	r, err := ParseRequest(f, body)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %T %v is not *Error", err, err)
		}
		if e.Status != 400 && e.Status != 422 {
			t.Fatalf("status %d (%s)", e.Status, e)
		}
		if e.Code == "" || e.Display == "" || e.IssueCode == "" || e.Diagnostics == "" {
			t.Fatalf("incomplete error %+v", e)
		}
		if r != nil {
			t.Fatal("request and error")
		}
		return
	}
	if !r.Section.Valid() || len(r.NHSNumber) != 10 {
		t.Fatalf("invalid request %+v", r)
	}
	if !r.Period.IsZero() && !r.Section.AllowsPeriod() {
		t.Fatalf("period on %s", r.Section)
	}
	if !r.Period.Start.IsZero() && !r.Period.End.IsZero() && r.Period.End.Before(r.Period.Start) {
		t.Fatalf("period ends before it starts: %+v", r.Period)
	}
}

func FuzzParseRequestJSON(f *testing.F) {
	for _, b := range fuzzSeeds(JSON) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkParse(t, JSON, body) })
}

func FuzzParseRequestXML(f *testing.F) {
	for _, b := range fuzzSeeds(XML) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkParse(t, XML, body) })
}

// FuzzRender: any text in any field gives valid narrative for any section
// (seeds: every section), which Response accepts, with the same content in
// JSON and XML.
func FuzzRender(f *testing.F) {
	for i := range Sections {
		f.Add(`<script>alert("x")</script> & Sons`, "line\r\nbreak", uint8(i))
		f.Add("\x00\xff\ufffe]]>", "&amp; &#0;", uint8(i))
	}
	f.Fuzz(func(t *testing.T, a, b string, n uint8) {
		rec := richRecord()
		rec.Consultations[1].Title = a
		rec.Consultations[1].Location = b
		rec.Consultations[1].Topics[0].Title = b
		rec.Problems[0].Note = a
		rec.Allergies[0].Manifestations[0].OriginalText = b
		rec.Medications[0].Authorisation.Dosage = a
		rec.Medications[2].Drug.OriginalText = b
		rec.Observations[0].Components[0].Value.Unit = a
		rec.Observations[1].Range.Text = b
		rec.Observations[2].Code.Display = a
		rec.Immunisations[0].Batch = b
		rec.Referrals[0].Priority = a
		rec.DiaryEntries[0].Note = b
		rec.Documents[0].Title = a
		rec.TestResults[1].Comment = b
		sub := subjectFor(richNHS)
		sub.Patient.Name.Family = a
		sub.Practice.Name = b
		for _, sec := range Sections[int(n)%len(Sections) : int(n)%len(Sections)+1] {
			r := req(sec, Period{})
			div, _ := render(t, rec, r)
			j, err := Response(JSON, r, sub, div, now)
			if err != nil {
				t.Fatalf("%s: %v", sec, err)
			}
			x, err := Response(XML, r, sub, div, now)
			if err != nil {
				t.Fatalf("%s: %v", sec, err)
			}
			fj, fx := flatJSON(t, j), flatXML(t, x)
			if len(fj) != len(fx) {
				t.Fatalf("%s: JSON and XML differ", sec)
			}
			for i := range fj {
				if fj[i] != fx[i] {
					t.Fatalf("%s: JSON %q, XML %q", sec, fj[i], fx[i])
				}
			}
		}
	})
}
