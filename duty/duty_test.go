package duty

import (
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

func date(s string) pcnhub.Date {
	d, err := pcnhub.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func at(day string, hh, mm int) time.Time {
	d := date(day)
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, pcnhub.London)
}

func TestCoreDays(t *testing.T) {
	cal := NewCalendar(EnglandAndWales2026To2027)
	for day, want := range map[string]bool{
		"2026-11-23": true,  // Monday
		"2026-11-27": true,  // Friday
		"2026-11-28": false, // Saturday
		"2026-11-29": false, // Sunday
		"2026-12-25": false, // Christmas Day
		"2026-12-28": false, // Boxing Day substitute
		"2026-12-29": true,
	} {
		if got := cal.IsCoreDay(date(day)); got != want {
			t.Errorf("%s: core day %v, want %v", day, got, want)
		}
	}
	// Core hours keep their wall clock across the clock change.
	s, e := CoreHours(date("2026-10-26"))
	if s.Format("15:04 -07:00") != "08:00 +00:00" || e.Format("15:04") != "18:30" {
		t.Errorf("core hours on 2026-10-26: %s – %s", s, e)
	}
	s, _ = CoreHours(date("2026-10-23"))
	if s.Format("15:04 -07:00") != "08:00 +01:00" {
		t.Errorf("core hours on 2026-10-23 start %s", s)
	}
}

func TestReport111(t *testing.T) {
	practice := &pcnhub.Organisation{ODS: "A99991", Name: "Riverside", ListSize: 9027} // duty 3
	slot := func(day string, hh, mm int, mutate func(*schedule.Slot)) schedule.Slot {
		s := schedule.Slot{Start: at(day, hh, mm), End: at(day, hh, mm).Add(10 * time.Minute), Status: schedule.SlotFree,
			DeliveryChannel: schedule.Telephone, Bookable: true, OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}}
		if mutate != nil {
			mutate(&s)
		}
		return s
	}
	const mon, tue = "2026-11-23", "2026-11-24"
	book := Book{Practice: practice, Slots: []schedule.Slot{
		slot(mon, 9, 0, nil),
		slot(mon, 9, 10, func(s *schedule.Slot) { s.Status = schedule.SlotBusy }),                        // booked: still offered
		slot(mon, 9, 20, func(s *schedule.Slot) { s.OrgTypes = nil }),                                    // open to all: offered
		slot(mon, 9, 30, func(s *schedule.Slot) { s.OrgTypes = []pcnhub.OrgType{pcnhub.OrgGPPractice} }), // not to 111
		slot(mon, 9, 40, func(s *schedule.Slot) { s.Bookable = false }),                                  // not bookable
		slot(mon, 9, 50, func(s *schedule.Slot) { s.Status = schedule.SlotBusyUnavailable }),             // withdrawn
		slot(mon, 18, 25, nil), // runs past 18:30
		slot(mon, 7, 50, nil),  // starts before 08:00
		slot(mon, 10, 0, func(s *schedule.Slot) { s.ODSCodes = []pcnhub.ODSCode{"Y99911"} }),  // the 111 service's own
		slot(mon, 10, 10, func(s *schedule.Slot) { s.ODSCodes = []pcnhub.ODSCode{"Y12345"} }), // another consumer's
		slot(tue, 9, 0, nil),
		slot("2026-11-28", 9, 0, nil), // Saturday: not a core day
	}, Appointments: []schedule.Appointment{
		{Start: at(mon, 9, 10), End: at(mon, 9, 20), Status: schedule.Booked, BookingOrganisation: schedule.BookingOrganisation{ODS: "Y99911", Type: pcnhub.OrgUrgentCare}},
		{Start: at(mon, 11, 0), End: at(mon, 11, 10), Status: schedule.Booked, BookingOrganisation: schedule.BookingOrganisation{ODS: "Y99911"}},
		{Start: at(mon, 11, 30), End: at(mon, 11, 40), Status: schedule.Cancelled, BookingOrganisation: schedule.BookingOrganisation{ODS: "Y99911"}},
		{Start: at(mon, 12, 0), End: at(mon, 12, 10), Status: schedule.Booked, BookingOrganisation: schedule.BookingOrganisation{ODS: "A99991"}},
	}}
	rows := Report111([]Book{book}, date(mon), date("2026-11-29"), NewCalendar(EnglandAndWales2026To2027), Consumers{"Y99911"})
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5 core days", len(rows))
	}
	want := []Day111{
		{ODS: "A99991", Practice: "Riverside", Date: mon, ListSize: 9027, Required: 3, Offered: 4, Booked111: 2, Shortfall: 0},
		{ODS: "A99991", Practice: "Riverside", Date: tue, ListSize: 9027, Required: 3, Offered: 1, Booked111: 0, Shortfall: 2},
		{ODS: "A99991", Practice: "Riverside", Date: "2026-11-25", ListSize: 9027, Required: 3, Offered: 0, Booked111: 0, Shortfall: 3},
	}
	for i, w := range want {
		if rows[i] != w {
			t.Errorf("row %d:\n got  %+v\n want %+v", i, rows[i], w)
		}
	}
	// The duty itself, with the contract's worked examples.
	for list, want := range map[int]int{0: 1, 2750: 1, 3000: 1, 5823: 1, 6000: 2, 9027: 3, 19800: 6} {
		if got := schedule.NHS111Duty(list); got != want {
			t.Errorf("duty for %d patients = %d, want %d", list, got, want)
		}
	}
}
