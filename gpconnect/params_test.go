package gpconnect

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
)

func FuzzParseSlotQuery(f *testing.F) {
	f.Add("status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-12-08")
	f.Add("status=free&_include=Slot:schedule&start=ge2026-03-29T00:30:00%2B00:00&end=le2026-03-29T03:00:00%2B01:00&searchFilter=x|y")
	f.Add("status=free&_include=Slot:schedule&start=ge2026-11-25T09:00:00Z&end=le2026-11-26")
	f.Add("start=ge&end=le&status=")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		sq, err := parseSlotQuery(q)
		if err != nil {
			var e *pcnhub.Error
			if !errors.As(err, &e) || (e.Spine != SpineBadRequest && e.Spine != SpineInvalidParameter) {
				t.Fatalf("error without a 400/422 Spine code: %v", err)
			}
			return
		}
		if !sq.to.After(sq.from) || sq.to.Sub(sq.from) > maxSlotWindow {
			t.Fatalf("accepted window %s – %s", sq.from, sq.to)
		}
	})
}

// The 14-day rule across the clock change, and the offsets allowed.
func TestSlotWindowAcrossClockChange(t *testing.T) {
	for _, c := range []struct {
		start, end string
		ok         bool
	}{
		{"ge2026-10-18", "le2026-10-31", true},                               // 14 days over the October change
		{"ge2026-10-18", "le2026-11-01", false},                              // 15 days
		{"ge2026-03-22", "le2026-04-04", true},                               // 14 days over the March change
		{"ge2026-10-18T00:00:00+01:00", "le2026-11-01T00:00:00+00:00", true}, // 14 d + 1 h by the clock: allowed
		{"ge2026-10-18T00:00:00+01:00", "le2026-11-01T02:00:00+00:00", false},
		{"ge2026-06-01T09:00:00+02:00", "le2026-06-02", false}, // not a UK offset
	} {
		q := url.Values{"status": {"free"}, "_include": {"Slot:schedule"}, "start": {c.start}, "end": {c.end}}
		_, err := parseSlotQuery(q)
		if (err == nil) != c.ok {
			t.Errorf("%s – %s: err %v, want ok %v", c.start, c.end, err, c.ok)
		}
	}
	from, err := prefixedTime("ge2026-03-29", "ge", "start", false)
	if err != nil || !from.Equal(time.Date(2026, 3, 29, 0, 0, 0, 0, pcnhub.London)) {
		t.Errorf("date start: %v %v", from, err)
	}
}
