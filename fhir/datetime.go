package fhir

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Precision is how much of a Date, DateTime or Instant is known.
type Precision int

// Precisions, from the least to the most precise. The zero value is for an
// absent value.
const (
	PrecisionNone     Precision = iota // absent
	PrecisionYear                      // 2017
	PrecisionMonth                     // 2017-05
	PrecisionDay                       // 2017-05-30
	PrecisionSecond                    // 2017-05-30T10:00:00+01:00
	PrecisionFraction                  // 2017-05-30T10:00:00.123+01:00 (any number of digits)
)

func (p Precision) String() string {
	switch p {
	case PrecisionNone:
		return "none"
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	case PrecisionSecond:
		return "second"
	case PrecisionFraction:
		return "fraction"
	}
	return "Precision(" + strconv.Itoa(int(p)) + ")"
}

// Date is a FHIR date: a year, a year and month, or a full date, without a
// time or time zone. It keeps the exact text it was parsed from. The zero
// value is an absent date.
type Date struct{ s string }

// DateTime is a FHIR dateTime: a partial or full date, or a date and time to
// the second (optionally with fractional seconds) with a time zone offset. It
// keeps the exact text it was parsed from, so a value read as
// 2017-05-30T10:00:00+01:00 is written back the same way, and one read with
// "Z" keeps its "Z". The zero value is an absent dateTime.
type DateTime struct{ s string }

// Instant is a FHIR instant: a date and time to the second (optionally with
// fractional seconds) with a time zone offset. Like DateTime it keeps its
// exact text. The zero value is an absent instant.
type Instant struct{ s string }

// temporal kinds, for parsing.
const (
	kindDate = iota
	kindDateTime
	kindInstant
)

// NewDate returns the date year-month-day. Out of range values are
// normalised as time.Date does (2017-02-30 becomes 2017-03-02). Years outside
// -9999…9999 cannot be written in FHIR; for them NewDate returns the zero
// (absent) Date.
func NewDate(year int, month time.Month, day int) Date {
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if !yearOK(t.Year()) {
		return Date{}
	}
	b := make([]byte, 0, 11)
	b = appendYMD(b, t.Year(), t.Month(), t.Day())
	return Date{string(b)}
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	return NewDate(t.Year(), t.Month(), t.Day())
}

// NewDateTime returns t as a dateTime to the second, written in t's location
// with an explicit numeric offset: a time in Europe/London is written
// 2017-05-30T10:00:00+01:00 in summer and 2017-12-30T10:00:00+00:00 in
// winter, and a time in UTC with +00:00, never "Z". Fractions of a second are
// dropped; an offset with seconds (only historical local mean times have
// them) is rounded to the minute. For a year outside -9999…9999 it returns
// the zero (absent) DateTime.
func NewDateTime(t time.Time) DateTime {
	return DateTime{formatSeconds(t)}
}

// NewInstant returns t as an instant, written as NewDateTime writes it.
func NewInstant(t time.Time) Instant {
	return Instant{formatSeconds(t)}
}

func yearOK(y int) bool { return y >= -9999 && y <= 9999 }

func formatSeconds(t time.Time) string {
	_, off := t.Zone()
	if off%60 != 0 {
		rounded := (off + 30) / 60 * 60
		if off < 0 {
			rounded = (off - 30) / 60 * 60
		}
		t = t.In(fixedZone(rounded))
		off = rounded
	}
	if !yearOK(t.Year()) {
		return ""
	}
	b := make([]byte, 0, 25)
	b = appendYMD(b, t.Year(), t.Month(), t.Day())
	b = append(b, 'T')
	b = append2(b, t.Hour())
	b = append(b, ':')
	b = append2(b, t.Minute())
	b = append(b, ':')
	b = append2(b, t.Second())
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = append2(b, off/3600)
	b = append(b, ':')
	b = append2(b, off%3600/60)
	return string(b)
}

func appendYMD(b []byte, y int, m time.Month, d int) []byte {
	if y < 0 {
		b = append(b, '-')
		y = -y
	}
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append2(b, int(m))
	b = append(b, '-')
	return append2(b, d)
}

func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

// ParseDate parses a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD (the year may be
// negative). The date must exist.
func ParseDate(s string) (Date, error) {
	if _, err := parseTemporal(s, kindDate); err != nil {
		return Date{}, &temporalError{"date", s, err}
	}
	return Date{s}, nil
}

// ParseDateTime parses a FHIR dateTime: a date as ParseDate takes it, or a
// full date and a time hh:mm:ss with optional fractional seconds and a
// mandatory offset (Z or ±hh:mm).
func ParseDateTime(s string) (DateTime, error) {
	if _, err := parseTemporal(s, kindDateTime); err != nil {
		return DateTime{}, &temporalError{"dateTime", s, err}
	}
	return DateTime{s}, nil
}

// ParseInstant parses a FHIR instant: a full date and a time hh:mm:ss with
// optional fractional seconds and a mandatory offset (Z or ±hh:mm).
func ParseInstant(s string) (Instant, error) {
	if _, err := parseTemporal(s, kindInstant); err != nil {
		return Instant{}, &temporalError{"instant", s, err}
	}
	return Instant{s}, nil
}

type temporalError struct {
	typ, s string
	err    error
}

func (e *temporalError) Error() string {
	return "invalid " + e.typ + " " + strconv.Quote(e.s) + ": " + e.err.Error()
}

func (e *temporalError) Unwrap() error { return e.err }

// fields of a parsed date or time.
type temporal struct {
	prec                Precision
	year                int
	month               time.Month
	day, hour, min, sec int
	nsec                int
	offset              int // seconds east of UTC
	hasOffset, z        bool
}

var (
	errSyntax    = errors.New("does not match the FHIR format")
	errNoDay     = errors.New("day does not exist in that month")
	errNoTime    = errors.New("a time is required")
	errNoTimeOK  = errors.New("a date cannot have a time")
	errNoOffset  = errors.New("a time must have a time zone offset (Z or ±hh:mm)")
	errBadOffset = errors.New("the time zone offset must be Z or ±hh:mm between -14:00 and +14:00")
)

// parseTemporal validates s against the FHIR regular expression for the
// kind, and that the date exists, and returns its fields.
//
// date:     -?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?
// dateTime: date, or a full date followed by
// T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))
// instant:  a full date followed by that time, which is required.
func parseTemporal(s string, kind int) (temporal, error) {
	var t temporal
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	y, ok := digits(s, i, 4)
	if !ok {
		return t, errSyntax
	}
	i += 4
	t.year = y
	if neg {
		t.year = -y
	}
	t.prec = PrecisionYear
	t.month, t.day = 1, 1
	if i < len(s) {
		if s[i] != '-' {
			return t, errSyntax
		}
		m, ok := digits(s, i+1, 2)
		if !ok || m < 1 || m > 12 {
			return t, errSyntax
		}
		t.month = time.Month(m)
		t.prec = PrecisionMonth
		i += 3
	}
	if i < len(s) {
		if s[i] != '-' {
			return t, errSyntax
		}
		d, ok := digits(s, i+1, 2)
		if !ok || d > 31 {
			return t, errSyntax
		}
		if d < 1 || d > daysIn(t.month, t.year) {
			return t, errNoDay
		}
		t.day = d
		t.prec = PrecisionDay
		i += 3
	}
	if i == len(s) {
		if kind == kindInstant {
			return t, errNoTime
		}
		return t, nil
	}
	if s[i] != 'T' || t.prec != PrecisionDay {
		return t, errSyntax
	}
	if kind == kindDate {
		return t, errNoTimeOK
	}
	i++
	h, ok1 := digits(s, i, 2)
	mi, ok2 := digits(s, i+3, 2)
	se, ok3 := digits(s, i+6, 2)
	if !ok1 || !ok2 || !ok3 || s[i+2] != ':' || s[i+5] != ':' || h > 23 || mi > 59 || se > 59 {
		return t, errSyntax
	}
	t.hour, t.min, t.sec = h, mi, se
	t.prec = PrecisionSecond
	i += 8
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 {
			return t, errSyntax
		}
		ns := 0
		for k := 0; k < 9; k++ {
			ns *= 10
			if i+1+k < j {
				ns += int(s[i+1+k] - '0')
			}
		}
		t.nsec = ns
		t.prec = PrecisionFraction
		i = j
	}
	if i == len(s) {
		return t, errNoOffset
	}
	switch s[i] {
	case 'Z':
		if i+1 != len(s) {
			return t, errSyntax
		}
		t.hasOffset, t.z = true, true
		return t, nil
	case '+', '-':
		if len(s) != i+6 || s[i+3] != ':' {
			return t, errBadOffset
		}
		oh, ok1 := digits(s, i+1, 2)
		om, ok2 := digits(s, i+4, 2)
		if !ok1 || !ok2 || om > 59 || oh > 14 || (oh == 14 && om != 0) {
			return t, errBadOffset
		}
		t.offset = oh*3600 + om*60
		if s[i] == '-' {
			t.offset = -t.offset
		}
		t.hasOffset = true
		return t, nil
	}
	return t, errSyntax
}

// digits reads n decimal digits at s[i:].
func digits(s string, i, n int) (int, bool) {
	if i < 0 || i+n > len(s) {
		return 0, false
	}
	v := 0
	for k := i; k < i+n; k++ {
		c := s[k]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

var (
	zoneUTC0 = time.FixedZone("+00:00", 0)
	zoneBST  = time.FixedZone("+01:00", 3600)
)

func fixedZone(off int) *time.Location {
	switch off {
	case 0:
		return zoneUTC0
	case 3600:
		return zoneBST
	}
	return time.FixedZone("", off)
}

// timeOf returns the start of the period s denotes. s has been validated.
func timeOf(s string, kind int) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := parseTemporal(s, kind)
	if err != nil {
		return time.Time{}
	}
	loc := time.UTC
	if t.hasOffset && !t.z {
		loc = fixedZone(t.offset)
	}
	return time.Date(t.year, t.month, t.day, t.hour, t.min, t.sec, t.nsec, loc)
}

func precisionOf(s string, kind int) Precision {
	if s == "" {
		return PrecisionNone
	}
	t, _ := parseTemporal(s, kind)
	return t.prec
}

// String returns the date as written in FHIR, or "" for the zero Date.
func (d Date) String() string { return d.s }

// IsZero reports whether the date is absent.
func (d Date) IsZero() bool { return d.s == "" }

// Precision reports whether the date is a year, a month or a day.
func (d Date) Precision() Precision { return precisionOf(d.s, kindDate) }

// Time returns the first day of the date's period, at midnight UTC (a date
// has no time zone). It returns the zero time for the zero Date.
func (d Date) Time() time.Time { return timeOf(d.s, kindDate) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.s), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text is the zero Date.
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

// String returns the dateTime as written in FHIR, or "" for the zero DateTime.
func (d DateTime) String() string { return d.s }

// IsZero reports whether the dateTime is absent.
func (d DateTime) IsZero() bool { return d.s == "" }

// Precision reports how much of the dateTime is known.
func (d DateTime) Precision() Precision { return precisionOf(d.s, kindDateTime) }

// HasOffset reports whether the dateTime has a time, and so an offset.
func (d DateTime) HasOffset() bool { return strings.IndexByte(d.s, 'T') >= 0 }

// IsZ reports whether the offset is written "Z".
func (d DateTime) IsZ() bool { return d.s != "" && d.s[len(d.s)-1] == 'Z' }

// Time returns the dateTime as a time.Time. A dateTime with a time is in a
// fixed zone of its offset (UTC for "Z"), so formatting it shows the same
// offset; a partial or date-only dateTime gives the start of its period at
// midnight UTC. It returns the zero time for the zero DateTime.
func (d DateTime) Time() time.Time { return timeOf(d.s, kindDateTime) }

// MarshalText implements encoding.TextMarshaler.
func (d DateTime) MarshalText() ([]byte, error) { return []byte(d.s), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text is the zero DateTime.
func (d *DateTime) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = DateTime{}
		return nil
	}
	v, err := ParseDateTime(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// String returns the instant as written in FHIR, or "" for the zero Instant.
func (i Instant) String() string { return i.s }

// IsZero reports whether the instant is absent.
func (i Instant) IsZero() bool { return i.s == "" }

// Precision is PrecisionSecond or PrecisionFraction (PrecisionNone when absent).
func (i Instant) Precision() Precision { return precisionOf(i.s, kindInstant) }

// HasOffset reports whether the instant is present (an instant always has an offset).
func (i Instant) HasOffset() bool { return i.s != "" }

// IsZ reports whether the offset is written "Z".
func (i Instant) IsZ() bool { return i.s != "" && i.s[len(i.s)-1] == 'Z' }

// Time returns the instant in a fixed zone of its offset (UTC for "Z"), or
// the zero time for the zero Instant.
func (i Instant) Time() time.Time { return timeOf(i.s, kindInstant) }

// DateTime returns the instant as a dateTime (every instant is one).
func (i Instant) DateTime() DateTime { return DateTime(i) }

// MarshalText implements encoding.TextMarshaler.
func (i Instant) MarshalText() ([]byte, error) { return []byte(i.s), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text is the zero Instant.
func (i *Instant) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*i = Instant{}
		return nil
	}
	v, err := ParseInstant(string(b))
	if err != nil {
		return err
	}
	*i = v
	return nil
}
