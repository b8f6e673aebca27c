package gpad

import (
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

func TestCategoryNames(t *testing.T) {
	for in, want := range map[string]string{
		"General Consultation Routine":            "General Consultation Routine",
		"general  consultation   ROUTINE":         "General Consultation Routine",
		"Scheduled/Planned Clinical Procedure":    "Planned Clinical Procedure",
		"Unscheduled/Unplanned Clinical Activity": "Unplanned Clinical Activity",
		"Home Visit and Care Home Visit":          "Home Visit",
		"Patient contact during Care Home Round":  "Patient contact during Care Home Round",
	} {
		if got, ok := Category(in); !ok || got != want {
			t.Errorf("Category(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"Screening", "Patient contact as part of a Care Home Round", "", "Unmapped"} {
		if got, ok := Category(bad); ok {
			t.Errorf("Category(%q) = %q, want not a category", bad, got)
		}
	}
	if len(Categories) != 17 {
		t.Errorf("%d categories, want the 16 published and the catch-all", len(Categories))
	}
	if s, ok := Setting("extended access provision"); !ok || s != "Extended Access Provision" {
		t.Errorf("Setting: %q %v", s, ok)
	}
}

func at(day string, hh int) time.Time {
	d, _ := pcnhub.ParseDate(day)
	return time.Date(d.Year, d.Month, d.Day, hh, 0, 0, 0, pcnhub.London)
}

func TestTimeBetweenBuckets(t *testing.T) {
	for days, want := range map[int]string{0: "Same Day", 1: "1 Day", 2: "2 to 7 Days", 7: "2 to 7 Days", 8: "8  to 14 Days",
		14: "8  to 14 Days", 15: "15  to 21 Days", 22: "22  to 28 Days", 29: "More than 28 Days", -1: "Unknown / Data Quality"} {
		booked := at("2026-10-20", 23) // late evening: days are calendar days
		if got := TimeBetween(booked, at("2026-10-20", 9).AddDate(0, 0, days)); got != want {
			t.Errorf("%d days: %q, want %q", days, got, want)
		}
	}
	if got := TimeBetween(time.Time{}, at("2026-10-20", 9)); got != "Unknown / Data Quality" {
		t.Errorf("no booking time: %q", got)
	}
}

func TestExtract(t *testing.T) {
	org := &pcnhub.Organisation{ODS: "A99991", Name: "Riverside", PCN: "U99990", PCNName: "Riverside PCN"}
	appt := func(start time.Time, typ string, ch schedule.DeliveryChannel, role string, st schedule.AppointmentStatus) schedule.Appointment {
		return schedule.Appointment{Start: start, End: start.Add(10 * time.Minute), Created: at("2026-11-02", 8), ServiceType: typ,
			DeliveryChannel: ch, PractitionerRoleCode: role, Status: st}
	}
	appts := []schedule.Appointment{
		appt(at("2026-11-02", 9), "Routine GP appointment", schedule.InPerson, "R0260", schedule.Fulfilled),
		appt(at("2026-11-02", 10), "Routine GP appointment", schedule.InPerson, "R0260", schedule.Fulfilled),
		appt(at("2026-11-03", 9), "Routine GP appointment", schedule.Telephone, "R0260", schedule.NoShow),
		appt(at("2026-11-20", 9), "Pharmacist review", schedule.Video, "R1290", schedule.Booked),
		appt(at("2026-11-21", 9), "Ear syringing", schedule.InPerson, "R1480", schedule.Booked),             // unmapped
		appt(at("2026-11-22", 9), "Routine GP appointment", schedule.InPerson, "R0260", schedule.Cancelled), // not counted
		appt(at("2026-12-01", 9), "Routine GP appointment", schedule.InPerson, "R0260", schedule.Fulfilled), // next month
	}
	maps := map[string]Mapping{
		"Routine GP appointment": {SlotType: "Routine GP appointment", Category: "General Consultation Routine", Setting: "General Practice"},
		"Pharmacist review":      {SlotType: "Pharmacist review", Category: "Structured Medication Review", Setting: "General Practice"},
	}
	rows := Extract(org, pcnhub.Date{Year: 2026, Month: 11, Day: 15}, appts, maps)
	got := map[string]int{}
	for _, r := range rows {
		if r.MonthStart != "01NOV2026" || r.GPCode != "A99991" || r.PCNCode != "U99990" {
			t.Fatalf("row %+v", r)
		}
		got[r.HCPType+"|"+r.Mode+"|"+r.Category+"|"+r.TimeBetween+"|"+r.Status] += r.Count
	}
	want := map[string]int{
		"GP|Face-to-Face|General Consultation Routine|Same Day|Attended":                                   2,
		"GP|Telephone|General Consultation Routine|1 Day|DNA":                                              1,
		"Other Practice staff|Video Conference/Online|Structured Medication Review|15  to 21 Days|Unknown": 1,
		"Other Practice staff|Face-to-Face|Unmapped|15  to 21 Days|Unknown":                                1,
	}
	if len(got) != len(want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d, want %d", k, got[k], n)
		}
	}
	if u := UnmappedTypes([]string{"Routine GP appointment", "Ear syringing", "Pharmacist review"}, maps); len(u) != 1 || u[0] != "Ear syringing" {
		t.Errorf("unmapped %v", u)
	}
	if f := rows[0].Fields(); len(f) != len(Columns) {
		t.Errorf("%d fields for %d columns", len(f), len(Columns))
	}
}
