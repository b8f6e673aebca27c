// Package duty measures the contract duties of a PCN's practices and hub
// against their appointment books. It holds rules, not I/O.
//
// NHS 111 direct booking (GMS contract 7.9B.1, nhs-interop.md §4.1): on
// every core-hours day (Monday to Friday 08:00–18:30, bank holidays
// excepted) a practice makes at least max(1, floor(list size / 3000))
// appointments directly bookable by NHS 111.
package duty

import (
	"sort"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// Core hours of a core day, Europe/London local time.
const (
	coreStartHour, coreStartMinute = 8, 0
	coreEndHour, coreEndMinute     = 18, 30
)

// CoreHours returns the start and end of core hours on a day.
func CoreHours(d pcnhub.Date) (time.Time, time.Time) {
	return time.Date(d.Year, d.Month, d.Day, coreStartHour, coreStartMinute, 0, 0, pcnhub.London),
		time.Date(d.Year, d.Month, d.Day, coreEndHour, coreEndMinute, 0, 0, pcnhub.London)
}

// Calendar knows which days are bank holidays.
type Calendar struct{ BankHolidays map[pcnhub.Date]bool }

// IsCoreDay reports whether d is Monday to Friday and not a bank holiday.
func (c Calendar) IsCoreDay(d pcnhub.Date) bool {
	wd := d.Time(time.UTC).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !c.BankHolidays[d]
}

// EnglandAndWales2026To2027 are the bank holidays of England and Wales in
// 2026 and 2027 (substitute days included), the default calendar.
var EnglandAndWales2026To2027 = mustDates("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
	"2026-08-31", "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
	"2027-08-30", "2027-12-27", "2027-12-28")

func mustDates(ss ...string) []pcnhub.Date {
	out := make([]pcnhub.Date, len(ss))
	for i, s := range ss {
		d, err := pcnhub.ParseDate(s)
		if err != nil {
			panic(err)
		}
		out[i] = d
	}
	return out
}

// NewCalendar makes a calendar of the given bank holidays.
func NewCalendar(bankHolidays []pcnhub.Date) Calendar {
	c := Calendar{BankHolidays: map[pcnhub.Date]bool{}}
	for _, d := range bankHolidays {
		c.BankHolidays[d] = true
	}
	return c
}

// Consumers are the NHS 111 services whose view of the books counts: a
// slot is offered to 111 when an urgent-care consumer with one of these
// ODS codes (or, with none, any urgent-care consumer) may see and book it.
type Consumers []pcnhub.ODSCode

// offeredTo111 reports whether a slot is offered for direct booking by
// NHS 111: GP Connect bookable, not a visit, open to urgent-care (and to
// one of the consumers when its ODS list restricts it), and not withdrawn
// (free, or taken by a booking — a booked slot was offered).
func (cs Consumers) offeredTo111(s schedule.Slot) bool {
	if s.Status != schedule.SlotFree && s.Status != schedule.SlotBusy {
		return false
	}
	s.Status = schedule.SlotFree // visibility as when it was free
	if len(cs) == 0 {
		return s.VisibleTo(schedule.SearchFilter{OrgType: pcnhub.OrgUrgentCare})
	}
	for _, ods := range cs {
		if s.VisibleTo(schedule.SearchFilter{OrgType: pcnhub.OrgUrgentCare, ODS: ods}) {
			return true
		}
	}
	return false
}

// bookedBy111 reports whether an appointment was booked by NHS 111: its
// booking organisation is urgent-care or one of the consumers.
func (cs Consumers) bookedBy111(a schedule.Appointment) bool {
	if a.Status == schedule.Cancelled {
		return false
	}
	if a.BookingOrganisation.Type == pcnhub.OrgUrgentCare {
		return true
	}
	for _, ods := range cs {
		if a.BookingOrganisation.ODS == ods {
			return true
		}
	}
	return false
}

// Book is what the report needs of one practice.
type Book struct {
	Practice     *pcnhub.Organisation
	Slots        []schedule.Slot        // every slot in the period, any status
	Appointments []schedule.Appointment // every appointment in the period
}

// Day111 is one practice's 111 duty on one core day.
type Day111 struct {
	ODS       pcnhub.ODSCode `json:"ods"`
	Practice  string         `json:"practice"`
	Date      string         `json:"date"`
	ListSize  int            `json:"listSize"`
	Required  int            `json:"required"`
	Offered   int            `json:"offered"`
	Booked111 int            `json:"bookedBy111"`
	Shortfall int            `json:"shortfall"` // Required − Offered when positive
}

// Report111 measures the 111 duty of each book on each core day in
// [from, to] (dates inclusive), by practice ODS then date. A slot counts
// on a day when it lies wholly inside that day's core hours.
func Report111(books []Book, from, to pcnhub.Date, cal Calendar, cs Consumers) []Day111 {
	var out []Day111
	for _, b := range books {
		required := schedule.NHS111Duty(b.Practice.ListSize)
		// Each slot and appointment belongs to the day it starts on.
		slotsOn := map[pcnhub.Date][]*schedule.Slot{}
		for i := range b.Slots {
			d := pcnhub.DateOf(b.Slots[i].Start.In(pcnhub.London))
			slotsOn[d] = append(slotsOn[d], &b.Slots[i])
		}
		apptsOn := map[pcnhub.Date][]*schedule.Appointment{}
		for i := range b.Appointments {
			d := pcnhub.DateOf(b.Appointments[i].Start.In(pcnhub.London))
			apptsOn[d] = append(apptsOn[d], &b.Appointments[i])
		}
		for d := from; !to.Before(d); d = d.AddDays(1) {
			if !cal.IsCoreDay(d) {
				continue
			}
			start, end := CoreHours(d)
			row := Day111{ODS: b.Practice.ODS, Practice: b.Practice.Name, Date: d.String(), ListSize: b.Practice.ListSize, Required: required}
			for _, s := range slotsOn[d] {
				if !s.Start.Before(start) && !s.End.After(end) && cs.offeredTo111(*s) {
					row.Offered++
				}
			}
			for _, a := range apptsOn[d] {
				if !a.Start.Before(start) && !a.End.After(end) && cs.bookedBy111(*a) {
					row.Booked111++
				}
			}
			row.Shortfall = max(0, row.Required-row.Offered)
			out = append(out, row)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ODS != out[j].ODS {
			return out[i].ODS < out[j].ODS
		}
		return out[i].Date < out[j].Date
	})
	return out
}
