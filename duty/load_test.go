package duty_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

var ctx = context.Background()

// Load111 over a real store: only hosted GP practices, the 111 group's
// members as consumers, bookings by 111 counted.
func TestLoad111(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := func(ods string, typ pcnhub.OrgType, list int, hosted bool) int64 {
			id, err := s.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: pcnhub.ODSCode(ods), Type: typ, Name: ods, ListSize: list, Hosted: hosted})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		a := org("A99991", pcnhub.OrgGPPractice, 9027, true) // duty 3
		org("A99992", pcnhub.OrgGPPractice, 2750, false)     // not hosted: not reported
		org("Y99990", pcnhub.OrgPCNHub, 0, true)             // a hub: no 111 duty
		org("Y99911", pcnhub.OrgUrgentCare, 0, false)
		if _, err := s.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: duty.Group111, Members: []pcnhub.ODSCode{"Y99911"}}); err != nil {
			t.Fatal(err)
		}
		loc, _ := s.UpsertLocation(ctx, &pcnhub.Location{OrganisationID: a, Name: "Main"})
		sc, err := s.UpsertSchedule(ctx, &schedule.Schedule{OrganisationID: a, LocationID: loc, ServiceCategory: "Morning surgery"})
		if err != nil {
			t.Fatal(err)
		}
		mon := time.Date(2026, 11, 23, 9, 0, 0, 0, pcnhub.London)
		w, _ := s.BeginSlotWrite(ctx)
		for i, restrict := range [][]pcnhub.ODSCode{nil, nil, {"Y99911"}, {"Y12345"}} {
			start := mon.Add(time.Duration(i*10) * time.Minute)
			if err := w.Add(ctx, &schedule.Slot{ScheduleID: sc, Start: start, End: start.Add(10 * time.Minute), Status: schedule.SlotFree,
				DeliveryChannel: schedule.Telephone, Bookable: true, OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}, ODSCodes: restrict}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		free, _ := s.FreeSlots(ctx, a, mon, mon.Add(time.Hour))
		appt := &schedule.Appointment{OrganisationID: a, PatientID: patient(t, s, a), LocationID: loc, ScheduleID: sc, SlotIDs: []int64{free[0].ID},
			Start: free[0].Start, End: free[0].End, Status: schedule.Booked, Description: "111 booking", BookedVia: schedule.BookedViaGPConnect,
			BookingOrganisation: schedule.BookingOrganisation{ODS: "Y99911", Name: "NHS 111"}}
		if err := s.BookAppointment(ctx, appt); err != nil {
			t.Fatal(err)
		}
		cal := duty.NewCalendar(duty.EnglandAndWales2026To2027)
		from, to := pcnhub.Date{Year: 2026, Month: 11, Day: 23}, pcnhub.Date{Year: 2026, Month: 11, Day: 24}
		rows, err := duty.Load111(ctx, s, from, to, cal, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []duty.Day111{
			{ODS: "A99991", Practice: "A99991", Date: "2026-11-23", ListSize: 9027, Required: 3, Offered: 3, Booked111: 1, Shortfall: 0},
			{ODS: "A99991", Practice: "A99991", Date: "2026-11-24", ListSize: 9027, Required: 3, Offered: 0, Booked111: 0, Shortfall: 3},
		}
		if len(rows) != len(want) {
			t.Fatalf("%d rows: %+v", len(rows), rows)
		}
		for i := range want {
			if rows[i] != want[i] {
				t.Errorf("row %d:\n got  %+v\n want %+v", i, rows[i], want[i])
			}
		}
		// Naming one practice reports that practice only, not the ones
		// listed after it.
		org("A99993", pcnhub.OrgGPPractice, 3000, true)
		org("A99994", pcnhub.OrgGPPractice, 3000, true)
		for _, only := range [][]pcnhub.ODSCode{{"A99991"}, {"A99993"}} {
			rows, err := duty.Load111(ctx, s, from, to, cal, only)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.ODS != only[0] {
					t.Errorf("Load111 for %s reported %s too", only[0], r.ODS)
				}
			}
			if len(rows) != 2 {
				t.Errorf("Load111 for %s: %d rows, want 2 (one per day)", only[0], len(rows))
			}
		}
		if _, err := duty.Load111(ctx, s, from, to, cal, []pcnhub.ODSCode{"A99991", "A99995"}); pcnhub.ErrorCode(err) != pcnhub.EINVALID ||
			!strings.Contains(err.Error(), "A99995") || strings.Contains(err.Error(), "A99991") {
			t.Errorf("an unknown practice named with a known one: %v", err)
		}
		if _, err := duty.Load111(ctx, s, to, from, cal, nil); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Errorf("reversed period: %v", err)
		}
		if _, err := duty.Load111(ctx, s, from, from.AddDays(100), cal, nil); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Errorf("100-day period: %v", err)
		}
		if _, err := duty.Load111(ctx, s, from, to, cal, []pcnhub.ODSCode{"Y99990"}); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Errorf("a hub named: %v", err)
		}
		if _, err := duty.ParseBankHolidays("2026-12-25, 2026-13-01"); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Errorf("bad bank holiday: %v", err)
		}
	})
}

func patient(t *testing.T, s *sqlstore.Store, org int64) int64 {
	t.Helper()
	nhs, _ := pcnhub.NHSNumberFromPrefix(999_123_456)
	p, err := s.UpsertPatient(ctx, &pcnhub.Patient{OrganisationID: org, NHSNumber: nhs, Name: pcnhub.HumanName{Family: "Test", Given: []string{"Pat"}},
		BirthDate: pcnhub.Date{Year: 1980, Month: 1, Day: 1}, Gender: pcnhub.GenderFemale,
		Registration: pcnhub.Registration{Type: pcnhub.RegGMS, Status: pcnhub.RegActive}})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// LoadEA over a real store: the hub's population is its PCN's practices'
// lists unless the hub has one of its own.
func TestLoadEA(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		up := func(o pcnhub.Organisation) int64 {
			id, err := s.UpsertOrganisation(ctx, &o)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		up(pcnhub.Organisation{ODS: "A99991", Type: pcnhub.OrgGPPractice, Name: "P1", ListSize: 6000, PCN: "U99990", Hosted: true})
		up(pcnhub.Organisation{ODS: "A99992", Type: pcnhub.OrgGPPractice, Name: "P2", ListSize: 4000, PCN: "U99990", Hosted: true})
		up(pcnhub.Organisation{ODS: "A99993", Type: pcnhub.OrgGPPractice, Name: "Elsewhere", ListSize: 9000, PCN: "U99991", Hosted: true})
		hub := up(pcnhub.Organisation{ODS: "Y99990", Type: pcnhub.OrgPCNHub, Name: "Hub", PCN: "U99990", Hosted: true})
		loc, _ := s.UpsertLocation(ctx, &pcnhub.Location{OrganisationID: hub, Name: "Hub room"})
		sc, err := s.UpsertSchedule(ctx, &schedule.Schedule{OrganisationID: hub, LocationID: loc, ServiceCategory: "Evening clinic"})
		if err != nil {
			t.Fatal(err)
		}
		w, _ := s.BeginSlotWrite(ctx)
		evening := time.Date(2026, 11, 24, 18, 30, 0, 0, pcnhub.London)
		for i := 0; i < 6; i++ { // 18:30–20:00 in 15-minute slots: 90 minutes
			st := evening.Add(time.Duration(i*15) * time.Minute)
			w.Add(ctx, &schedule.Slot{ScheduleID: sc, Start: st, End: st.Add(15 * time.Minute), Status: schedule.SlotFree, DeliveryChannel: schedule.InPerson})
		}
		if _, err := w.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		cal := duty.NewCalendar(nil)
		rows, err := duty.LoadEA(ctx, s, pcnhub.Date{Year: 2026, Month: 11, Day: 23}, pcnhub.Date{Year: 2026, Month: 11, Day: 29}, cal)
		if err != nil {
			t.Fatal(err)
		}
		want := duty.WeekEA{ODS: "Y99990", Hub: "Hub", WeekOf: "2026-11-23", Population: 10000, Required: 600, Offered: 90, Booked: 0, Shortfall: 510}
		if len(rows) != 1 || rows[0] != want {
			t.Fatalf("rows %+v, want %+v", rows, want)
		}
		up(pcnhub.Organisation{ODS: "Y99990", Type: pcnhub.OrgPCNHub, Name: "Hub", PCN: "U99990", Hosted: true, ListSize: 11234}) // the adjusted population
		rows, _ = duty.LoadEA(ctx, s, pcnhub.Date{Year: 2026, Month: 11, Day: 23}, pcnhub.Date{Year: 2026, Month: 11, Day: 29}, cal)
		if len(rows) != 1 || rows[0].Population != 11234 || rows[0].Required != 675 {
			t.Fatalf("with the hub's own population: %+v", rows)
		}
	})
}
