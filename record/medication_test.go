package record

import (
	"testing"

	"github.com/pcnhub/pcnhub"
	"pgregory.net/rapid"
)

func TestMedicationActiveFrom(t *testing.T) {
	pd := func(s string) PartialDate {
		p, err := ParsePartialDate(s)
		if err != nil {
			panic(err)
		}
		return p
	}
	tests := []struct {
		name       string
		typ        PrescriptionType
		elsewhere  bool
		start, end string
		from       string
		want       bool
	}{
		{"acute no end, from day before start", PrescriptionAcute, false, "2024-05-10", "", "2024-05-09", true},
		{"acute no end, from start day", PrescriptionAcute, false, "2024-05-10", "", "2024-05-10", true},
		{"acute no end, from day after start", PrescriptionAcute, false, "2024-05-10", "", "2024-05-11", false},
		{"acute no end, start 00:30 BST next day", PrescriptionAcute, false, "2024-05-10T23:30:00Z", "", "2024-05-11", true},
		{"acute no end, start 23:30 BST", PrescriptionAcute, false, "2024-05-10T22:30:00Z", "", "2024-05-11", false},
		{"acute no end, partial start month", PrescriptionAcute, false, "2024-05", "", "2024-05-31", true},
		{"acute no end, partial start month, from next month", PrescriptionAcute, false, "2024-05", "", "2024-06-01", false},
		{"acute no end, unknown start", PrescriptionAcute, false, "", "", "2024-06-01", true},
		{"repeat no end, from long after", PrescriptionRepeat, false, "2024-05-10", "", "2030-01-01", true},
		{"repeat no end, from before", PrescriptionRepeat, false, "2024-05-10", "", "2024-01-01", true},
		{"repeat dispensing no end", PrescriptionRepeatDispensing, false, "2024-05-10", "", "2029-01-01", true},
		{"unknown type no end", PrescriptionUnknown, false, "2024-05-10", "", "2029-01-01", true},
		{"repeat ended, from before start", PrescriptionRepeat, false, "2024-05-10", "2024-06-10", "2024-05-01", true},
		{"repeat ended, from end day", PrescriptionRepeat, false, "2024-05-10", "2024-06-10", "2024-06-10", true},
		{"repeat ended, from day after end", PrescriptionRepeat, false, "2024-05-10", "2024-06-10", "2024-06-11", false},
		{"acute with end, from end day", PrescriptionAcute, false, "2024-05-10", "2024-05-17", "2024-05-17", true},
		{"acute with end, from day after end", PrescriptionAcute, false, "2024-05-10", "2024-05-17", "2024-05-18", false},
		{"end partial month, last day", PrescriptionRepeat, false, "2024-01-01", "2024-06", "2024-06-30", true},
		{"end partial month, next month", PrescriptionRepeat, false, "2024-01-01", "2024-06", "2024-07-01", false},
		{"end instant 00:30 BST on 11 June", PrescriptionRepeat, false, "2024-01-01", "2024-06-10T23:30:00Z", "2024-06-11", true},
		{"end instant 23:30 GMT on 10 Jan", PrescriptionRepeat, false, "2024-01-01", "2024-01-10T23:30:00Z", "2024-01-11", false},
		{"end on clock-change day", PrescriptionRepeat, false, "2024-01-01", "2024-03-31", "2024-03-31", true},
		{"prescribed elsewhere, long ended", PrescriptionAcute, true, "2010-01-01", "2010-01-02", "2024-01-01", true},
		{"prescribed elsewhere, acute no end", PrescriptionAcute, true, "2010-01-01", "", "2024-01-01", true},
		{"no search date", PrescriptionAcute, false, "2010-01-01", "2010-01-01", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Authorisation{Type: tt.typ, PrescribedElsewhere: tt.elsewhere, Effective: Period{pd(tt.start), pd(tt.end)}}
			var from pcnhub.Date
			if tt.from != "" {
				from = day(tt.from)
			}
			if got := MedicationActiveFrom(a, from); got != tt.want {
				t.Errorf("MedicationActiveFrom(start %q end %q, from %s) = %v, want %v", tt.start, tt.end, tt.from, got, tt.want)
			}
		})
	}
}

// A medication returned for a search from d is returned for any earlier d;
// and with start and end full dates, the answer is "end ≥ from" when there is
// an end, "start ≥ from" for an acute without one.
func TestMedicationActiveFromProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := day("2020-01-01")
		start := base.AddDays(rapid.IntRange(0, 2000).Draw(t, "start"))
		var end pcnhub.Date
		if rapid.Bool().Draw(t, "ended") {
			end = start.AddDays(rapid.IntRange(0, 400).Draw(t, "len"))
		}
		typ := rapid.SampledFrom([]PrescriptionType{PrescriptionUnknown, PrescriptionAcute, PrescriptionRepeat, PrescriptionRepeatDispensing}).Draw(t, "type")
		a := Authorisation{Type: typ, Effective: Period{OnDate(start), OnDate(end)}}
		from := base.AddDays(rapid.IntRange(-100, 2500).Draw(t, "from"))
		earlier := from.AddDays(-rapid.IntRange(0, 500).Draw(t, "back"))

		got := MedicationActiveFrom(a, from)
		var want bool
		switch {
		case !end.IsZero():
			want = !end.Before(from)
		case typ == PrescriptionAcute:
			want = !start.Before(from)
		default:
			want = true
		}
		if got != want {
			t.Fatalf("MedicationActiveFrom(%v %s..%s, %s) = %v, want %v", typ, start, end, from, got, want)
		}
		if got && !MedicationActiveFrom(a, earlier) {
			t.Fatalf("active from %s but not from earlier %s", from, earlier)
		}
	})
}
