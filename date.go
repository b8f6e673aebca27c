package pcnhub

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time of day or zone (a birth date, a
// registration date). The zero value means "unknown".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses an ISO 8601 calendar date "YYYY-MM-DD" and rejects
// impossible dates (2023-02-30). Returns EINVALID.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !allDigits(s[:4]) || !allDigits(s[5:7]) || !allDigits(s[8:]) {
		return Date{}, Errorf(EINVALID, "date %q must be written YYYY-MM-DD", clip(s, 20))
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "date %q does not exist", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d == Date{} }

// String returns "YYYY-MM-DD", or "" for the zero date. Years outside
// 0–9999 are written with fmt (they never pass ParseDate).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	// Hand-formatted: this runs for every date of every row of an import.
	b := [10]byte{byte('0' + d.Year/1000), byte('0' + d.Year/100%10), byte('0' + d.Year/10%10), byte('0' + d.Year%10),
		'-', byte('0' + int(d.Month)/10), byte('0' + int(d.Month)%10), '-', byte('0' + d.Day/10), byte('0' + d.Day%10)}
	return string(b[:])
}

// Time returns midnight of the date in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }

// AgeOn returns the age in whole years on day `on` of a person born on d.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// MarshalText writes "YYYY-MM-DD" ("" for the zero date), so that dates
// read and write as ISO 8601 text in JSON and YAML.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD" (ParseDate); "" is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
