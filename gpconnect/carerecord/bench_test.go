package carerecord

import (
	"fmt"
	"testing"

	"github.com/pcnhub/pcnhub/record"
)

// bigRecord builds a shareable record of n clinical items spread over the
// areas and over 30 years, with consultations linking to other items.
func bigRecord(n int) *record.Record {
	rec := &record.Record{NHSNumber: richNHS}
	d := func(i int) record.PartialDate { return day(1994+i%30, 1+i%12, 1+i%28) }
	id := func(k string, i int) record.Item { return record.Item{ID: fmt.Sprintf("%s%d", k, i), Recorded: d(i)} }
	for i, items := 0, 0; items < n; i++ {
		items++
		switch i % 10 {
		case 0, 1: // observations; consultations (case 4) link to them
			rec.Observations = append(rec.Observations, record.Observation{Item: id("o", i), Code: snomed("Observation & note " + fmt.Sprint(i)),
				Effective: d(i), Value: q(fmt.Sprint(i%200), "mmol/L"), Comment: "Some comment <b>"})
		case 2:
			rec.Medications = append(rec.Medications, record.Medication{Item: id("m", i), Drug: snomed("Drug " + fmt.Sprint(i)),
				Authorisation: record.Authorisation{Type: []record.PrescriptionType{record.PrescriptionAcute, record.PrescriptionRepeat}[i%2],
					Effective: record.Period{Start: d(i)}, Dosage: "One daily", Quantity: q("28", "tablet")},
				Issues: []record.Issue{{ID: fmt.Sprint("m", i, "a"), Date: d(i)}, {ID: fmt.Sprint("m", i, "b"), Date: d(i + 1)}}})
		case 3:
			rec.Problems = append(rec.Problems, record.Problem{Item: id("p", i), Code: snomed("Problem " + fmt.Sprint(i)),
				Status: []record.ProblemStatus{record.ProblemActive, record.ProblemInactive}[i%2], Significance: record.Major, Onset: d(i)})
		case 4:
			c := record.Consultation{Item: id("c", i), Period: record.Period{Start: d(i)}, Title: "Consultation " + fmt.Sprint(i),
				Clinician: record.Clinician{Name: "Dr Who"}}
			{
				c.Topics = []record.Topic{{Title: "Topic", Headings: []record.Heading{{Code: snomed("History"), Items: []string{fmt.Sprint("o", i-4), fmt.Sprint("o", i-3)}}}}}
			}
			rec.Consultations = append(rec.Consultations, c)
		case 5:
			rec.Immunisations = append(rec.Immunisations, record.Immunisation{Item: id("i", i), Vaccine: snomed("Vaccine"), Date: d(i), Dose: 1})
		case 6:
			rec.Allergies = append(rec.Allergies, record.Allergy{Item: id("a", i), Code: snomed("Allergy"), Onset: d(i), Status: record.AllergyActive})
		case 7:
			rec.Referrals = append(rec.Referrals, record.Referral{Item: id("r", i), Date: d(i), Service: "Service", Priority: "routine"})
		case 8:
			rec.Investigations = append(rec.Investigations, record.Investigation{Item: id("x", i), Code: snomed("Test"), Effective: d(i)})
			items++
			rec.TestResults = append(rec.TestResults, record.TestResult{Item: id("t", i), Kind: record.ResultValue, Code: snomed("Result"), Effective: d(i), Value: q("5", "g/L")})
		case 9:
			rec.DiaryEntries = append(rec.DiaryEntries, record.DiaryEntry{Item: id("d", i), Code: snomed("Recall"), Due: d(i)})
		}
	}
	return rec
}

func TestBigRecordRenders(t *testing.T) {
	rec := bigRecord(10000)
	if err := rec.Validate(); err != nil {
		t.Fatal(err)
	}
	if rec.Items() != 10000 {
		t.Fatalf("%d items", rec.Items())
	}
	for _, sec := range Sections {
		div, v := render(t, rec, req(sec, Period{}))
		if len(v.tables) == 0 {
			t.Errorf("%s: no tables", sec)
		}
		if _, err := Response(XML, req(sec, Period{}), subjectFor(richNHS), div, now); err != nil {
			t.Errorf("%s: %v", sec, err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	rec := bigRecord(10000)
	shared, w := rec.Shareable()
	sub := subjectFor(richNHS)
	for _, sec := range Sections {
		r := req(sec, Period{})
		b.Run(string(sec), func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				div, err := Render(shared, w, r, sub, today)
				if err != nil {
					b.Fatal(err)
				}
				n = len(div)
			}
			b.ReportMetric(float64(n), "bytes/div")
		})
	}
}

func BenchmarkResponse(b *testing.B) {
	rec := bigRecord(10000)
	shared, w := rec.Shareable()
	sub := subjectFor(richNHS)
	r := req(Medications, Period{})
	div, err := Render(shared, w, r, sub, today)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []Format{JSON, XML} {
		b.Run(f.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Response(f, r, sub, div, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
