package schedule

import (
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
)

func TestRecordOutcome(t *testing.T) {
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, pcnhub.London)
	fresh := func() *Appointment {
		return &Appointment{ID: 7, Start: start, End: start.Add(10 * time.Minute), Status: Booked}
	}
	cases := []struct {
		name   string
		prep   func(a *Appointment)
		o      Outcome
		at     time.Time
		ok     bool
		status AppointmentStatus
	}{
		{"arrived early that morning", nil, OutcomeArrived, start.Add(-2 * time.Hour), true, Arrived},
		{"arrived the day before", nil, OutcomeArrived, start.Add(-24 * time.Hour), false, ""},
		{"attended", nil, OutcomeAttended, start.Add(15 * time.Minute), true, Fulfilled},
		{"did not attend", nil, OutcomeDidNotAttend, start.Add(20 * time.Minute), true, NoShow},
		{"did not attend before the start", nil, OutcomeDidNotAttend, start.Add(-time.Minute), false, ""},
		{"did not attend after arriving", func(a *Appointment) { a.Status = Arrived }, OutcomeDidNotAttend, start.Add(time.Hour), false, ""},
		{"cancelled by patient", nil, OutcomeCancelledByPatient, start.Add(-3 * time.Hour), true, Cancelled},
		{"cancelled by practice after the end", nil, OutcomeCancelledByPractice, start.Add(time.Hour), false, ""},
		{"outcome of a cancelled one", func(a *Appointment) { a.Status = Cancelled }, OutcomeAttended, start, false, ""},
		{"an outcome in the future", nil, OutcomeAttended, start.Add(48 * time.Hour), false, ""},
	}
	now := start.Add(24 * time.Hour)
	for _, c := range cases {
		a := fresh()
		if c.prep != nil {
			c.prep(a)
		}
		err := a.RecordOutcome(c.o, c.at, now)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v, want ok %v", c.name, err, c.ok)
			continue
		}
		if !c.ok {
			if pcnhub.ErrorCode(err) != pcnhub.EINVALID {
				t.Errorf("%s: %v, want EINVALID", c.name, err)
			}
			continue
		}
		if a.Status != c.status || !a.OutcomeAt.Equal(c.at) {
			t.Errorf("%s: status %s at %s", c.name, a.Status, a.OutcomeAt)
		}
	}
	a := fresh()
	a.RecordOutcome(OutcomeCancelledByPatient, start.Add(-time.Hour), now)
	if a.CancelledBy != "patient" || a.CancellationReason != "Cancelled by the patient" {
		t.Errorf("cancellation: %q %q", a.CancelledBy, a.CancellationReason)
	}
	for in, want := range map[string]Outcome{"DNA": OutcomeDidNotAttend, "did-not-attend": OutcomeDidNotAttend, " Arrived ": OutcomeArrived} {
		if got, err := ParseOutcome(in); err != nil || got != want {
			t.Errorf("ParseOutcome(%q) = %q %v", in, got, err)
		}
	}
	if _, err := ParseOutcome("left early"); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Errorf("bad outcome: %v", err)
	}
}
