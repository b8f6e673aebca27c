package structimport_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/structimport"
	"github.com/pcnhub/pcnhub/gpconnect/structured"
	"github.com/pcnhub/pcnhub/record"
)

// The round trip of issue 6: each NHS example Bundle is imported into a
// record, that record is answered by $gpc.getstructuredrecord's builder
// asking for every area, and the answer imported again. The clinical
// content — per area, every item's code, dates, status and values — must
// come back the same as the first import's shareable part (the builder
// leaves confidential items out, by design).
func TestFixtureRoundTrip(t *testing.T) {
	today := pcnhub.Date{Year: 2026, Month: 11, Day: 24}
	everything := &structured.Query{
		Allergies:      &structured.AllergiesQuery{IncludeResolved: true},
		Medication:     &structured.MedicationQuery{IncludePrescriptionIssues: true},
		Consultations:  &structured.ConsultationsQuery{},
		Problems:       &structured.ProblemsQuery{},
		Immunisations:  &structured.ImmunisationsQuery{IncludeNotGiven: true, IncludeStatus: true},
		Uncategorised:  &structured.PeriodQuery{},
		Investigations: &structured.PeriodQuery{},
		Referrals:      &structured.PeriodQuery{},
		DiaryEntries:   &structured.DiaryQuery{},
	}
	for _, file := range fixtureFiles(t) {
		f := loadFixture(t, file)
		t.Run(f.name, func(t *testing.T) {
			rec, _, err := structimport.Import(f.bundle)
			if err != nil {
				t.Fatal(err)
			}
			everything.NHSNumber = rec.NHSNumber
			sub := structured.Subject{
				Patient: &fhir.Patient{ID: "patient", Meta: &fhir.Meta{Profile: []string{fhir.ProfilePatient}},
					Identifier: []fhir.Identifier{{System: fhir.SystemNHSNumber, Value: string(rec.NHSNumber)}}},
				Practice: &fhir.Organization{ID: "practice", Meta: &fhir.Meta{Profile: []string{fhir.ProfileOrganization}},
					Identifier: []fhir.Identifier{{System: fhir.SystemODSOrganization, Value: string(rec.PracticeODS)}}, Name: "Practice"},
			}
			sub.Patient.GeneralPractitioner = []fhir.Reference{{Reference: "Organization/practice"}}
			out, err := structured.Build(rec, everything, sub, structured.Directory{}, structured.Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			// What goes on the wire, not the Go value, is what comes back.
			wire, err := fhir.Marshal(fhir.JSON, out)
			if err != nil {
				t.Fatal(err)
			}
			res, err := fhir.Unmarshal(fhir.JSON, wire)
			if err != nil {
				t.Fatal(err)
			}
			again, _, err := structimport.Import(res.(*fhir.Bundle))
			if err != nil {
				t.Fatal(err)
			}
			shared, _ := rec.Shareable()
			want, got := content(shared), content(again)
			for _, area := range slices.Sorted(mapKeys(want, got)) {
				w, g := want[area], got[area]
				if !slices.Equal(w, g) {
					t.Errorf("%s: %d items in, %d back\n  lost:   %v\n  gained: %v", area, len(w), len(g), minus(w, g), minus(g, w))
				}
			}
			t.Logf("%d items in, %d back, %d bytes on the wire", shared.Items(), again.Items(), len(wire))
		})
	}
}

// content is the clinical content of a record by area, each item as a
// sorted line of what a clinician reads: codes, dates, status, values.
func content(r *record.Record) map[string][]string {
	out := map[string][]string{}
	add := func(area string, parts ...any) {
		out[area] = append(out[area], fmt.Sprint(parts...))
	}
	code := func(c record.Code) string { return c.System + "|" + c.Code }
	for _, a := range r.Allergies {
		add("allergies", code(a.Code), " ", a.Status, " ", a.Onset, " ", a.Ended, " ", a.NoKnownAllergies)
	}
	for _, m := range r.Medications {
		add("medications", code(m.Drug), " ", m.Authorisation.Type, " ", m.Authorisation.Effective.Start, " ",
			m.Authorisation.Effective.End, " ", len(m.Issues), " ", m.Authorisation.Dosage)
	}
	for _, p := range r.Problems {
		add("problems", code(p.Code), " ", p.Status, " ", p.Significance, " ", p.Onset, " ", p.Abatement)
	}
	for _, c := range r.Consultations {
		add("consultations", c.Period.Start, " ", len(c.Topics))
	}
	for _, o := range r.Observations {
		add("observations", code(o.Code), " ", o.Effective, " ", o.Value.Value, o.Value.Unit, " ", o.ValueText, " ", len(o.Components))
	}
	for _, i := range r.Immunisations {
		add("immunisations", code(i.Vaccine), " ", i.Kind, " ", i.Date)
	}
	for _, i := range r.Investigations {
		add("investigations", i.Issued, " ", len(i.Results))
	}
	for _, x := range r.TestResults {
		add("test results", code(x.Code), " ", x.Kind, " ", x.Value.Value, x.Value.Unit, " ", strings.TrimSpace(x.ValueText))
	}
	for _, x := range r.Referrals {
		add("referrals", x.Date, " ", x.Priority)
	}
	for _, x := range r.DiaryEntries {
		add("diary entries", code(x.Code), " ", x.Due)
	}
	for _, l := range out {
		slices.Sort(l)
	}
	return out
}

func mapKeys(ms ...map[string][]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		seen := map[string]bool{}
		for _, m := range ms {
			for k := range m {
				if !seen[k] {
					seen[k] = true
					if !yield(k) {
						return
					}
				}
			}
		}
	}
}

// minus returns the lines of a not in b (as multisets).
func minus(a, b []string) []string {
	left := slices.Clone(b)
	var out []string
	for _, x := range a {
		if i := slices.Index(left, x); i >= 0 {
			left = slices.Delete(left, i, i+1)
		} else {
			out = append(out, x)
		}
	}
	return out
}
