package record

import (
	"fmt"
	"strconv"
	"time"

	"github.com/pcnhub/pcnhub"
)

// Precision says how much of a PartialDate is known.
type Precision int

const (
	// DateUnknown: no date was recorded. An unknown date matches every
	// search period (GP Connect §3.1: "records with unknown dates are
	// always returned").
	DateUnknown Precision = iota
	DateYear              // only the year is known ("2019")
	DateMonth             // year and month are known ("2019-07")
	DateDay               // a calendar date ("2019-07-01")
	DateTime              // an instant ("2019-07-01T11:50:40+01:00")
)

// PartialDate is a recorded clinical date that may be known only to the
// year or month, to the day, or to the instant. The zero value is an unknown
// date.
//
// Year, Month and Day hold the known calendar fields (fields finer than
// Precision are zero). For DateTime, At holds the instant and Year/Month/Day
// hold its calendar date in Europe/London.
type PartialDate struct {
	Precision Precision
	Year      int
	Month     time.Month
	Day       int
	At        time.Time // DateTime only
}

// YearOnly returns a date known only to the year.
func YearOnly(y int) PartialDate { return PartialDate{Precision: DateYear, Year: y} }

// YearMonth returns a date known to the month.
func YearMonth(y int, m time.Month) PartialDate {
	return PartialDate{Precision: DateMonth, Year: y, Month: m}
}

// OnDate returns a date known to the day; the zero pcnhub.Date gives an
// unknown PartialDate.
func OnDate(d pcnhub.Date) PartialDate {
	if d.IsZero() {
		return PartialDate{}
	}
	return PartialDate{Precision: DateDay, Year: d.Year, Month: d.Month, Day: d.Day}
}

// At returns a date known to the instant; the zero time gives an unknown
// PartialDate.
func At(t time.Time) PartialDate {
	if t.IsZero() {
		return PartialDate{}
	}
	y, m, d := t.In(pcnhub.London).Date()
	return PartialDate{Precision: DateTime, Year: y, Month: m, Day: d, At: t}
}

// ParsePartialDate reads the FHIR date/dateTime forms "YYYY", "YYYY-MM",
// "YYYY-MM-DD" and RFC 3339 date-times with an offset; "" is an unknown date.
// Returns EINVALID for anything else or an impossible date.
func ParsePartialDate(s string) (PartialDate, error) {
	switch {
	case s == "":
		return PartialDate{}, nil
	case len(s) == 4:
		y, err := strconv.Atoi(s)
		if err != nil || y < 1 || !digits(s) {
			break
		}
		return YearOnly(y), nil
	case len(s) == 7 && s[4] == '-':
		y, err1 := strconv.Atoi(s[:4])
		m, err2 := strconv.Atoi(s[5:])
		if err1 != nil || err2 != nil || y < 1 || m < 1 || m > 12 || !digits(s[:4]) || !digits(s[5:]) {
			break
		}
		return YearMonth(y, time.Month(m)), nil
	case len(s) == 10:
		d, err := pcnhub.ParseDate(s)
		if err != nil {
			return PartialDate{}, err
		}
		return OnDate(d), nil
	default:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			break
		}
		return At(t), nil
	}
	return PartialDate{}, pcnhub.Errorf(pcnhub.EINVALID, "date %q must be YYYY, YYYY-MM, YYYY-MM-DD or a date-time with an offset", clip(s, 30))
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// IsZero reports whether the date is unknown.
func (p PartialDate) IsZero() bool { return p.Precision == DateUnknown }

// String writes the date in the form ParsePartialDate reads ("" if unknown);
// a DateTime is written in Europe/London with its offset.
func (p PartialDate) String() string {
	switch p.Precision {
	case DateYear:
		return fmt.Sprintf("%04d", p.Year)
	case DateMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month))
	case DateDay:
		return fmt.Sprintf("%04d-%02d-%02d", p.Year, int(p.Month), p.Day)
	case DateTime:
		return p.At.In(pcnhub.London).Format(time.RFC3339)
	}
	return ""
}

// valid reports whether the fields are consistent with Precision and name a
// date that exists.
func (p PartialDate) valid() bool {
	switch p.Precision {
	case DateUnknown:
		return p == PartialDate{}
	case DateYear:
		return p.Year >= 1 && p.Year <= 9999 && p.Month == 0 && p.Day == 0
	case DateMonth:
		return p.Year >= 1 && p.Year <= 9999 && p.Month >= 1 && p.Month <= 12 && p.Day == 0
	case DateDay:
		if p.Year < 1 || p.Year > 9999 || p.Month < 1 || p.Month > 12 || p.Day < 1 {
			return false
		}
		return time.Date(p.Year, p.Month, p.Day, 0, 0, 0, 0, time.UTC).Day() == p.Day
	case DateTime:
		return !p.At.IsZero()
	}
	return false
}

// Interval returns the half-open interval [start, end) of instants the date
// covers, with calendar boundaries at midnight Europe/London: a year covers
// 1 January to 1 January, a month its first to the next month's first, a day
// midnight to midnight (23 or 25 hours on the clock-change days), and an
// instant the single nanosecond [At, At+1ns). For an unknown date both are
// the zero time; callers must check IsZero (Overlaps does).
func (p PartialDate) Interval() (start, end time.Time) {
	L := pcnhub.London
	switch p.Precision {
	case DateYear:
		return time.Date(p.Year, 1, 1, 0, 0, 0, 0, L), time.Date(p.Year+1, 1, 1, 0, 0, 0, 0, L)
	case DateMonth:
		return time.Date(p.Year, p.Month, 1, 0, 0, 0, 0, L), time.Date(p.Year, p.Month+1, 1, 0, 0, 0, 0, L)
	case DateDay:
		return time.Date(p.Year, p.Month, p.Day, 0, 0, 0, 0, L), time.Date(p.Year, p.Month, p.Day+1, 0, 0, 0, 0, L)
	case DateTime:
		return p.At, p.At.Add(time.Nanosecond)
	}
	return time.Time{}, time.Time{}
}

// Overlaps reports whether the date matches the search period of whole days
// from..to inclusive (GP Connect §3.1): the period runs from midnight
// Europe/London at the start of from to midnight at the end of to; a zero
// from or to leaves that side open. A partial date matches if any part of
// its year or month lies in the period; an unknown date always matches.
func (p PartialDate) Overlaps(from, to pcnhub.Date) bool {
	if p.IsZero() {
		return true
	}
	start, end := p.Interval()
	if !from.IsZero() && !end.After(dayStart(from)) {
		return false
	}
	if !to.IsZero() && !start.Before(dayStart(to.AddDays(1))) {
		return false
	}
	return true
}

// dayStart is midnight Europe/London at the start of d.
func dayStart(d pcnhub.Date) time.Time { return d.Time(pcnhub.London) }

// Period is a clinical period (effective dates, onset to abatement); either
// end may be unknown.
type Period struct {
	Start PartialDate
	End   PartialDate
}

// Overlaps reports whether the period meets the search period from..to
// (whole days, inclusive, Europe/London; zero bounds are open). An unknown
// start is treated as "since ever" and an unknown end as "still going"; a
// period with neither always matches.
func (pp Period) Overlaps(from, to pcnhub.Date) bool {
	if pp.Start.IsZero() && pp.End.IsZero() {
		return true
	}
	if !from.IsZero() && !pp.End.IsZero() {
		if _, end := pp.End.Interval(); !end.After(dayStart(from)) {
			return false
		}
	}
	if !to.IsZero() && !pp.Start.IsZero() {
		if start, _ := pp.Start.Interval(); !start.Before(dayStart(to.AddDays(1))) {
			return false
		}
	}
	return true
}
