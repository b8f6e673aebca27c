package duty

import (
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

func TestRequiredEAMinutes(t *testing.T) {
	for pop, want := range map[int]int{0: 0, 1000: 60, 80720: 4844, 80734: 4845, 12345: 741} {
		if got := RequiredEAMinutes(pop); got != want {
			t.Errorf("population %d: %d minutes, want %d", pop, got, want)
		}
	}
}

func TestReportEA(t *testing.T) {
	hub := &pcnhub.Organisation{ODS: "Y99990", Name: "Hub"}
	slot := func(day string, hh, mm, minutes int, status schedule.SlotStatus) schedule.Slot {
		return schedule.Slot{Start: at(day, hh, mm), End: at(day, hh, mm).Add(time.Duration(minutes) * time.Minute), Status: status}
	}
	book := HubBook{Hub: hub, Population: 2000, Slots: []schedule.Slot{
		slot("2026-11-23", 18, 30, 15, schedule.SlotFree),           // Monday NSH
		slot("2026-11-23", 19, 45, 15, schedule.SlotBusy),           // booked: still offered
		slot("2026-11-23", 19, 50, 15, schedule.SlotFree),           // runs past 20:00
		slot("2026-11-23", 18, 15, 15, schedule.SlotFree),           // before 18:30
		slot("2026-11-24", 19, 0, 30, schedule.SlotBusyUnavailable), // withdrawn
		slot("2026-11-28", 9, 0, 60, schedule.SlotFree),             // Saturday NSH
		slot("2026-11-28", 16, 30, 60, schedule.SlotFree),           // past 17:00
		slot("2026-11-29", 10, 0, 60, schedule.SlotFree),            // Sunday: no NSH
		slot("2026-12-28", 19, 0, 30, schedule.SlotFree),            // bank holiday (next week)
		slot("2026-12-29", 19, 0, 30, schedule.SlotFree),            // ordinary Tuesday (same week)
	}, Appointments: []schedule.Appointment{
		{Start: at("2026-11-23", 19, 45), End: at("2026-11-23", 20, 0), Status: schedule.Booked},
		{Start: at("2026-11-28", 9, 0), End: at("2026-11-28", 9, 15), Status: schedule.Cancelled},
	}}
	rows := ReportEA([]HubBook{book}, pcnhub.Date{Year: 2026, Month: 11, Day: 22}, pcnhub.Date{Year: 2026, Month: 12, Day: 31}, NewCalendar(EnglandAndWales2026To2027))
	if len(rows) != 6 || rows[0].WeekOf != "2026-11-23" {
		t.Fatalf("weeks %+v", rows)
	}
	if got, want := rows[0], (WeekEA{ODS: "Y99990", Hub: "Hub", WeekOf: "2026-11-23", Population: 2000, Required: 120, Offered: 90, Booked: 15, Shortfall: 30}); got != want {
		t.Errorf("week of 23 Nov:\n got  %+v\n want %+v", got, want)
	}
	if got := rows[5]; got.WeekOf != "2026-12-28" || got.Offered != 30 {
		t.Errorf("Christmas week: %+v (the bank holiday's minutes must not count)", got)
	}
	// NSH across the clock change keeps its wall-clock hours.
	s, e, ok := NewCalendar(nil).NetworkStandardHours(pcnhub.Date{Year: 2026, Month: 10, Day: 26})
	if !ok || s.Format("15:04 -07:00") != "18:30 +00:00" || e.Format("15:04") != "20:00" {
		t.Errorf("NSH on 2026-10-26: %s – %s", s, e)
	}
}
