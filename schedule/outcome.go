package schedule

import (
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
)

// Outcome is what became of an appointment, as staff record it.
type Outcome string

const (
	OutcomeArrived             Outcome = "arrived"
	OutcomeAttended            Outcome = "attended"
	OutcomeDidNotAttend        Outcome = "dna"
	OutcomeCancelledByPatient  Outcome = "cancelled-by-patient"
	OutcomeCancelledByPractice Outcome = "cancelled-by-practice"
)

// ParseOutcome accepts the outcome names (any case; "did-not-attend" for dna).
func ParseOutcome(s string) (Outcome, error) {
	switch o := Outcome(strings.ToLower(strings.TrimSpace(s))); o {
	case OutcomeArrived, OutcomeAttended, OutcomeDidNotAttend, OutcomeCancelledByPatient, OutcomeCancelledByPractice:
		return o, nil
	case "did-not-attend":
		return OutcomeDidNotAttend, nil
	}
	return "", pcnhub.Errorf(pcnhub.EINVALID, "outcome %q: use arrived, attended, dna, cancelled-by-patient or cancelled-by-practice", s)
}

// RecordOutcome applies an outcome recorded at `at` (not after now) to the
// appointment: arrived (status arrived, ArrivedAt), attended (fulfilled),
// did not attend (noshow), or cancelled by the patient or the practice
// (cancelled, CancelledBy, a cancellation reason; the slots are freed when
// stored). EINVALID when the outcome cannot be: any outcome of a
// cancelled appointment; arrived or attended before the appointment's
// day; did not attend before it started; a cancellation after it ended;
// an outcome in the future.
func (a *Appointment) RecordOutcome(o Outcome, at, now time.Time) error {
	if at.After(now) {
		return pcnhub.Errorf(pcnhub.EINVALID, "an outcome cannot be recorded for a time still to come")
	}
	if a.Status == Cancelled {
		return pcnhub.Errorf(pcnhub.EINVALID, "appointment %d is cancelled", a.ID)
	}
	day := pcnhub.DateOf(a.Start.In(pcnhub.London)).Time(pcnhub.London)
	switch o {
	case OutcomeArrived, OutcomeAttended:
		if at.Before(day) {
			return pcnhub.Errorf(pcnhub.EINVALID, "the patient cannot have %s before the day of the appointment", o)
		}
		if o == OutcomeArrived {
			a.Status, a.ArrivedAt = Arrived, at
		} else {
			a.Status = Fulfilled
		}
	case OutcomeDidNotAttend:
		if at.Before(a.Start) {
			return pcnhub.Errorf(pcnhub.EINVALID, "a patient cannot miss an appointment that has not started")
		}
		if a.Status == Arrived || a.Status == Fulfilled {
			return pcnhub.Errorf(pcnhub.EINVALID, "the patient arrived for appointment %d", a.ID)
		}
		a.Status = NoShow
	case OutcomeCancelledByPatient, OutcomeCancelledByPractice:
		if at.After(a.End) {
			return pcnhub.Errorf(pcnhub.EINVALID, "appointment %d has ended: record did not attend instead", a.ID)
		}
		who := strings.TrimPrefix(string(o), "cancelled-by-")
		a.Status, a.CancelledBy = Cancelled, who
		if a.CancellationReason == "" {
			a.CancellationReason = "Cancelled by the " + who
		}
	default:
		return pcnhub.Errorf(pcnhub.EINVALID, "unknown outcome %q", o)
	}
	a.OutcomeAt = at
	return nil
}
