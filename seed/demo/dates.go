package demo

import (
	"time"

	"github.com/pcnhub/pcnhub"
)

// Day numbers (days since 1970-01-01) let the generator draw dates with
// integer arithmetic instead of time.Time, which matters at a million
// patients. The algorithms are Howard Hinnant's days_from_civil and
// civil_from_days, valid for the proleptic Gregorian calendar.

func dayNumber(d pcnhub.Date) int { return daysFromCivil(d.Year, int(d.Month), d.Day) }

func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dateOfDay(z int) pcnhub.Date {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return pcnhub.Date{Year: y, Month: time.Month(m), Day: d}
}

// weekday of a day number: 0 is Sunday (1970-01-01 was a Thursday).
func weekday(z int) int { return ((z+4)%7 + 7) % 7 }

// workingDay moves a Saturday or Sunday forward to the Monday, unless that
// would pass limit.
func workingDay(z, limit int) int {
	w := weekday(z)
	n := z
	switch w {
	case 6:
		n = z + 2
	case 0:
		n = z + 1
	}
	if n > limit {
		return z
	}
	return n
}
