package record

import "github.com/pcnhub/pcnhub"

// MedicationActiveFrom reports whether a medication search from the date
// `from` (GP Connect medicationSearchFromDate, §3.1) returns the
// authorisation, that is whether it was active on from or any later day:
//
//   - prescribed elsewhere: always returned;
//   - a zero from (no search date): always returned;
//   - with an effective end: active from start to end inclusive, so returned
//     when the end is on or after from (a partial end counts to the end of its
//     year or month);
//   - no end, acute: active only on its start day, so returned when the start
//     is on or after from (a partial start matches if any day of it is);
//   - no end, repeat, repeat dispensing or unknown type: active from the
//     start onwards, so always returned;
//   - an unknown start with no end: the date is unknown, so returned.
//
// Days are calendar days in Europe/London.
func MedicationActiveFrom(auth Authorisation, from pcnhub.Date) bool {
	if auth.PrescribedElsewhere || from.IsZero() {
		return true
	}
	if !auth.Effective.End.IsZero() {
		return auth.Effective.End.Overlaps(from, pcnhub.Date{})
	}
	if auth.Type != PrescriptionAcute {
		return true
	}
	return auth.Effective.Start.Overlaps(from, pcnhub.Date{})
}
