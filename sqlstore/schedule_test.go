package sqlstore_test

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

var _ schedule.Store = (*sqlstore.Store)(nil)

// book is a practice with a location, a practitioner, a patient and a schedule.
type book struct {
	org, loc, pract, patient, sched int64
}

func newBook(t *testing.T, s *sqlstore.Store, ods string) book {
	t.Helper()
	var b book
	var err error
	b.org = mustOrg(t, s, ods)
	if b.loc, err = s.UpsertLocation(ctx, &pcnhub.Location{OrganisationID: b.org, Name: "Main surgery " + ods}); err != nil {
		t.Fatal(err)
	}
	if b.pract, err = s.UpsertPractitioner(ctx, &pcnhub.Practitioner{OrganisationID: b.org, SDSUserID: "G13579135",
		Name: pcnhub.HumanName{Family: "Greenhalgh"}, JobRoleCode: "R0260"}); err != nil {
		t.Fatal(err)
	}
	p := testPatient(t, b.org, 1)
	got, err := s.UpsertPatient(ctx, &p)
	if err != nil {
		t.Fatal(err)
	}
	b.patient = got.ID
	if b.sched, err = s.UpsertSchedule(ctx, &schedule.Schedule{OrganisationID: b.org, LocationID: b.loc, PractitionerID: b.pract,
		ServiceCategory: "Morning surgery", PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner"}); err != nil {
		t.Fatal(err)
	}
	return b
}

func london(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, pcnhub.London)
}

// slotsFrom returns n adjacent 10-minute free slots of schedule sched from start.
func slotsFrom(sched int64, start time.Time, n int) []schedule.Slot {
	out := make([]schedule.Slot, n)
	for i := range out {
		st := start.Add(time.Duration(i) * 10 * time.Minute)
		out[i] = schedule.Slot{ScheduleID: sched, Start: st, End: st.Add(10 * time.Minute), Status: schedule.SlotFree,
			ServiceType: "Routine GP appointment", DeliveryChannel: schedule.InPerson, Bookable: true}
	}
	return out
}

func writeSlots(t *testing.T, s *sqlstore.Store, slots []schedule.Slot) sqlstore.UpsertStats {
	t.Helper()
	w, err := s.BeginSlotWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	for i := range slots {
		if err := w.Add(ctx, &slots[i]); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func freeSlots(t *testing.T, s *sqlstore.Store, org int64, from, to time.Time) []schedule.Slot {
	t.Helper()
	got, err := s.FreeSlots(ctx, org, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func appointmentFor(b book, slots ...schedule.Slot) *schedule.Appointment {
	a := &schedule.Appointment{PatientID: b.patient, Description: "Test appointment", BookedVia: schedule.BookedViaGPConnect,
		BookingOrganisation: schedule.BookingOrganisation{ODS: "Y99911", Name: "NHS 111",
			Telecom: []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: "01823938938"}}, Type: pcnhub.OrgUrgentCare}}
	a.SetSlots(&schedule.Schedule{ID: b.sched, OrganisationID: b.org, LocationID: b.loc, PractitionerID: b.pract,
		ServiceCategory: "Morning surgery", PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner"}, slots)
	return a
}

func wantConflict(t *testing.T, err error, spine string) {
	t.Helper()
	var e *pcnhub.Error
	if !errors.As(err, &e) || e.Code != pcnhub.ECONFLICT || e.Spine != spine {
		t.Fatalf("got %v, want ECONFLICT %s", err, spine)
	}
}

func TestScheduleRoundTrip(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		b := newBook(t, s, "A99991")
		got, err := s.ScheduleByID(ctx, b.sched)
		if err != nil {
			t.Fatal(err)
		}
		want := schedule.Schedule{ID: b.sched, OrganisationID: b.org, LocationID: b.loc, PractitionerID: b.pract,
			ServiceCategory: "Morning surgery", PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner", Version: 1}
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("got %+v\nwant %+v", *got, want)
		}
		// Explicit id, no practitioner, a planning horizon.
		sc := schedule.Schedule{ID: 42, OrganisationID: b.org, LocationID: b.loc, ServiceCategory: "Nurse clinic",
			PlanningStart: london(2026, 10, 25, 0, 0), PlanningEnd: london(2026, 10, 26, 0, 0)}
		if id, err := s.UpsertSchedule(ctx, &sc); err != nil || id != 42 {
			t.Fatalf("explicit id: %d %v", id, err)
		}
		got, _ = s.ScheduleByID(ctx, 42)
		if got.PractitionerID != 0 || !got.PlanningStart.Equal(sc.PlanningStart) || !got.PlanningEnd.Equal(sc.PlanningEnd) ||
			got.PlanningEnd.Sub(got.PlanningStart) != 25*time.Hour || got.Version != 1 {
			t.Fatalf("explicit: %+v", got)
		}
		// The same again changes nothing; a change moves the version.
		s.UpsertSchedule(ctx, &sc)
		if got, _ = s.ScheduleByID(ctx, 42); got.Version != 1 {
			t.Fatalf("identical upsert moved the version to %d", got.Version)
		}
		sc.PractitionerID = b.pract
		s.UpsertSchedule(ctx, &sc)
		if got, _ = s.ScheduleByID(ctx, 42); got.Version != 2 || got.PractitionerID != b.pract {
			t.Fatalf("after change: %+v", got)
		}
		// A new schedule gets an id past the explicit one.
		if id, err := s.UpsertSchedule(ctx, &schedule.Schedule{OrganisationID: b.org, LocationID: b.loc}); err != nil || id <= 42 {
			t.Fatalf("new id %d %v", id, err)
		}
		all, err := s.SchedulesByID(ctx, []int64{42, b.sched, 999, 42})
		if err != nil || len(all) != 2 || all[42].ServiceCategory != "Nurse clinic" || all[b.sched] == nil {
			t.Fatalf("by ids: %v %v", all, err)
		}
		if _, err := s.ScheduleByID(ctx, 999); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("missing: %v", err)
		}
		if _, err := s.UpsertSchedule(ctx, &schedule.Schedule{OrganisationID: b.org}); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("no location: %v", err)
		}
		if _, err := s.UpsertSchedule(ctx, &schedule.Schedule{OrganisationID: b.org, LocationID: 9999}); err == nil {
			t.Fatal("unknown location accepted")
		}
	})
}

func TestSlotRoundTripAndWindow(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		b := newBook(t, s, "A99991")
		other := newBook(t, s, "A99992")
		day := london(2026, 11, 2, 9, 0)
		slots := slotsFrom(b.sched, day, 6) // 09:00 … 10:00
		slots[1].OrgTypes = []pcnhub.OrgType{pcnhub.OrgUrgentCare, pcnhub.OrgGPPractice}
		slots[1].ODSCodes = []pcnhub.ODSCode{"Y99911"}
		slots[1].BookingWindow, slots[1].Embargo = 14*24*time.Hour, 2*time.Hour
		slots[2].DeliveryChannel, slots[2].ServiceType = schedule.Telephone, "Telephone consultation"
		slots[3].Status = schedule.SlotBusyUnavailable
		slots[4].DeliveryChannel, slots[4].Bookable = schedule.Visit, false
		if st := writeSlots(t, s, slots); st != (sqlstore.UpsertStats{Inserted: 6}) {
			t.Fatalf("write: %+v", st)
		}
		writeSlots(t, s, slotsFrom(other.sched, day, 3))

		got := freeSlots(t, s, b.org, day, day.Add(time.Hour))
		if len(got) != 5 {
			t.Fatalf("%d free slots, want 5 (one is busy-unavailable): %+v", len(got), got)
		}
		for i, g := range got {
			w := slots[i]
			if i >= 3 {
				w = slots[i+1]
			}
			w.ID, w.Version = g.ID, 1
			if !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Start.Location() != time.UTC {
				t.Errorf("slot %d: %s–%s, want %s–%s in UTC", i, g.Start, g.End, w.Start, w.End)
			}
			g.Start, g.End = w.Start, w.End
			if !reflect.DeepEqual(g, w) {
				t.Errorf("slot %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
		// Window edges: start ≥ from, end ≤ to; a slot ending after to is left out.
		for _, tt := range []struct {
			from, to time.Time
			want     int
		}{
			{day, day.Add(10 * time.Minute), 1},
			{day, day.Add(15 * time.Minute), 1},                       // 09:10–09:20 ends after to
			{day.Add(time.Minute), day.Add(time.Hour), 4},             // 09:00 starts before from
			{day.Add(10 * time.Minute), day.Add(50 * time.Minute), 3}, // 09:10, 09:20, 09:40
			{day.Add(time.Hour), day.Add(2 * time.Hour), 0},
			{day.Add(-time.Hour), day, 0},
		} {
			if got := freeSlots(t, s, b.org, tt.from, tt.to); len(got) != tt.want {
				t.Errorf("[%s, %s]: %d slots, want %d", tt.from.Format("15:04"), tt.to.Format("15:04"), len(got), tt.want)
			}
		}
		// Only the organisation's own slots.
		if got := freeSlots(t, s, other.org, day, day.Add(time.Hour)); len(got) != 3 || got[0].ScheduleID != other.sched {
			t.Errorf("other organisation: %+v", got)
		}
		// SlotsByID: existing ones, by id, busy included.
		byID, err := s.SlotsByID(ctx, []int64{got[2].ID, 999999, got[0].ID})
		if err != nil || len(byID) != 2 || byID[0].ID != got[0].ID {
			t.Fatalf("by id: %+v %v", byID, err)
		}
		all := freeSlots(t, s, b.org, day, day.Add(time.Hour))
		if m := schedule.MatchSlots([]int64{all[0].ID, 999999}, byID); m[1].ScheduleID != 0 {
			t.Errorf("MatchSlots found a missing slot: %+v", m)
		}
		// Invalid slots are refused.
		w, _ := s.BeginSlotWrite(ctx)
		defer w.Rollback()
		bad := slotsFrom(b.sched, day.Add(5*time.Hour), 1)[0]
		for name, mutate := range map[string]func(*schedule.Slot){
			"bookable visit": func(sl *schedule.Slot) { sl.DeliveryChannel = schedule.Visit },
			"no channel":     func(sl *schedule.Slot) { sl.DeliveryChannel = "" },
			"ends before":    func(sl *schedule.Slot) { sl.End = sl.Start },
			"unknown status": func(sl *schedule.Slot) { sl.Status = "open" },
			"no schedule":    func(sl *schedule.Slot) { sl.ScheduleID = 0 },
		} {
			sl := bad
			mutate(&sl)
			if err := w.Add(ctx, &sl); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
		sl := bad
		sl.ScheduleID = 999
		if err := w.Add(ctx, &sl); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Errorf("unknown schedule: %v, want ENOTFOUND", err)
		}
	})
}

func TestSlotWriteLeavesStoredSlotsAlone(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		b := newBook(t, s, "A99991")
		day := london(2026, 11, 2, 8, 0)
		slots := slotsFrom(b.sched, day, 1000) // several batches and a partial one
		if st := writeSlots(t, s, slots); st != (sqlstore.UpsertStats{Inserted: 1000}) {
			t.Fatalf("first write: %+v", st)
		}
		if st := writeSlots(t, s, slots); st != (sqlstore.UpsertStats{Unchanged: 1000}) {
			t.Fatalf("second write: %+v", st)
		}
		free := freeSlots(t, s, b.org, day, day.Add(24*time.Hour))
		a := appointmentFor(b, free[5])
		if err := s.BookAppointment(ctx, a); err != nil {
			t.Fatal(err)
		}
		// Writing again — even with the slot marked free and changed — never frees or changes it.
		changed := slices2(slots)
		changed[5].ServiceType, changed[5].Bookable = "Changed", false
		changed = append(changed, slotsFrom(b.sched, day.Add(1000*10*time.Minute), 2)...)
		if st := writeSlots(t, s, changed); st != (sqlstore.UpsertStats{Inserted: 2, Unchanged: 1000}) {
			t.Fatalf("third write: %+v", st)
		}
		got, _ := s.SlotsByID(ctx, []int64{free[5].ID})
		if got[0].Status != schedule.SlotBusy || got[0].ServiceType != "Routine GP appointment" || !got[0].Bookable || got[0].Version != 2 {
			t.Fatalf("booked slot after re-write: %+v", got[0])
		}
		// A rolled-back write leaves nothing.
		w, _ := s.BeginSlotWrite(ctx)
		for _, sl := range slotsFrom(b.sched, day.Add(-24*time.Hour), 500) {
			if err := w.Add(ctx, &sl); err != nil {
				t.Fatal(err)
			}
		}
		w.Rollback()
		if got := freeSlots(t, s, b.org, day.Add(-24*time.Hour), day); len(got) != 0 {
			t.Fatalf("%d slots after rollback", len(got))
		}
	})
}

func slices2(s []schedule.Slot) []schedule.Slot { return append([]schedule.Slot(nil), s...) }

func TestBookReadCancelRebook(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		now := london(2026, 11, 1, 12, 0)
		_ = now
		b := newBook(t, s, "A99991")
		day := london(2026, 11, 2, 9, 0)
		writeSlots(t, s, slotsFrom(b.sched, day, 4))
		free := freeSlots(t, s, b.org, day, day.Add(time.Hour))

		// A two-slot booking.
		a := appointmentFor(b, free[0], free[1])
		a.Comment, a.Identifiers = "Please bring your inhaler", []schedule.Identifier{{System: "https://example.org/appt", Value: "A-1"}}
		a.Created = london(2026, 11, 1, 11, 59)
		if err := s.BookAppointment(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.Version != 1 || a.Updated.IsZero() || a.Status != schedule.Booked {
			t.Fatalf("after booking: %+v", a)
		}
		got, err := s.AppointmentByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Start.Equal(a.Start) || !got.End.Equal(a.End) || !got.Created.Equal(a.Created) || !got.Updated.Equal(a.Updated) {
			t.Fatalf("times: got %s %s %s %s", got.Start, got.End, got.Created, got.Updated)
		}
		got.Start, got.End, got.Created, got.Updated = a.Start, a.End, a.Created, a.Updated
		if !reflect.DeepEqual(got, a) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, a)
		}
		if got.End.Sub(got.Start) != 20*time.Minute || fmt.Sprint(got.SlotIDs) != fmt.Sprint([]int64{free[0].ID, free[1].ID}) {
			t.Fatalf("slots %v, %s", got.SlotIDs, got.End.Sub(got.Start))
		}
		if left := freeSlots(t, s, b.org, day, day.Add(time.Hour)); len(left) != 2 || left[0].ID != free[2].ID {
			t.Fatalf("free after booking: %+v", left)
		}
		taken, _ := s.SlotsByID(ctx, a.SlotIDs)
		for _, sl := range taken {
			if sl.Status != schedule.SlotBusy || sl.Version != 2 {
				t.Fatalf("taken slot %+v", sl)
			}
		}
		// The same slot again: DUPLICATE_REJECTED, and nothing written.
		again := appointmentFor(b, free[1], free[2])
		wantConflict(t, s.BookAppointment(ctx, again), "DUPLICATE_REJECTED")
		if left := freeSlots(t, s, b.org, day, day.Add(time.Hour)); len(left) != 2 {
			t.Fatalf("a failed booking took a slot: %+v", left)
		}
		list, err := s.AppointmentsForPatient(ctx, b.patient, day.Add(-time.Hour), day.Add(time.Hour))
		if err != nil || len(list) != 1 {
			t.Fatalf("patient's appointments: %d %v", len(list), err)
		}

		// Amend: stale version is a conflict; the right one moves the version.
		amend := *got
		amend.Description = "Changed description"
		wantConflict(t, s.UpdateAppointment(ctx, &amend, 7), "FHIR_CONSTRAINT_VIOLATION")
		if err := s.UpdateAppointment(ctx, &amend, 1); err != nil || amend.Version != 2 {
			t.Fatalf("amend: %v, version %d", err, amend.Version)
		}
		wantConflict(t, s.UpdateAppointment(ctx, &amend, 1), "FHIR_CONSTRAINT_VIOLATION")

		// Cancel: the slots are free again and can be booked.
		cancel := amend
		cancel.Status, cancel.CancellationReason = schedule.Cancelled, "Patient feels better"
		if err := s.UpdateAppointment(ctx, &cancel, 2); err != nil || cancel.Version != 3 {
			t.Fatalf("cancel: %v %d", err, cancel.Version)
		}
		got, _ = s.AppointmentByID(ctx, a.ID)
		if got.Status != schedule.Cancelled || got.CancellationReason != "Patient feels better" || got.Description != "Changed description" ||
			got.Version != 3 || len(got.SlotIDs) != 2 {
			t.Fatalf("cancelled: %+v", got)
		}
		if left := freeSlots(t, s, b.org, day, day.Add(time.Hour)); len(left) != 4 {
			t.Fatalf("free after cancelling: %d, want 4", len(left))
		}
		rebook := appointmentFor(b, free[1])
		if err := s.BookAppointment(ctx, rebook); err != nil {
			t.Fatalf("re-booking a freed slot: %v", err)
		}
		// Cancelling the cancelled appointment again must not free the re-booked slot.
		if err := s.UpdateAppointment(ctx, &cancel, 0); err != nil {
			t.Fatal(err)
		}
		if sl, _ := s.SlotsByID(ctx, []int64{free[1].ID}); sl[0].Status != schedule.SlotBusy {
			t.Fatalf("slot of the new booking was freed: %+v", sl[0])
		}
		reinstate := cancel
		reinstate.Status = schedule.Booked
		if err := s.UpdateAppointment(ctx, &reinstate, 0); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("reinstating: %v", err)
		}
		// Retrieve sees both, cancelled included, by start.
		list, err = s.AppointmentsForPatient(ctx, b.patient, day, day.Add(time.Hour))
		if err != nil || len(list) != 2 || list[0].ID != a.ID || list[0].Status != schedule.Cancelled || list[1].ID != rebook.ID ||
			len(list[1].SlotIDs) != 1 || list[1].SlotIDs[0] != free[1].ID {
			t.Fatalf("retrieve: %+v %v", list, err)
		}
		// [from, to): an appointment starting at to is left out.
		if list, _ := s.AppointmentsForPatient(ctx, b.patient, day.Add(-time.Hour), day); len(list) != 0 {
			t.Fatalf("appointment starting at to was returned")
		}
		if _, err := s.AppointmentByID(ctx, 999); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("missing appointment: %v", err)
		}
		if err := s.UpdateAppointment(ctx, &schedule.Appointment{ID: 999, Status: schedule.Booked}, 0); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("update missing: %v", err)
		}
		// Invalid bookings.
		for name, mutate := range map[string]func(*schedule.Appointment){
			"no slots":       func(a *schedule.Appointment) { a.SlotIDs = nil },
			"slot twice":     func(a *schedule.Appointment) { a.SlotIDs = []int64{free[3].ID, free[3].ID} },
			"unknown slot":   func(a *schedule.Appointment) { a.SlotIDs = []int64{free[3].ID, 999999} },
			"cancelled":      func(a *schedule.Appointment) { a.Status = schedule.Cancelled },
			"no patient":     func(a *schedule.Appointment) { a.PatientID = 0 },
			"booked via fax": func(a *schedule.Appointment) { a.BookedVia = "fax" },
		} {
			a := appointmentFor(b, free[3])
			mutate(a)
			if err := s.BookAppointment(ctx, a); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
		if sl, _ := s.SlotsByID(ctx, []int64{free[3].ID}); sl[0].Status != schedule.SlotFree {
			t.Fatalf("an invalid booking took slot %+v", sl[0])
		}
	})
}

// 200 bookers aimed at 20 slots, ten at each, at once: exactly 20 win,
// 180 get DUPLICATE_REJECTED, and slots and appointments agree.
func TestConcurrentBooking(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		b := newBook(t, s, "A99991")
		day := london(2026, 11, 2, 9, 0)
		writeSlots(t, s, slotsFrom(b.sched, day, 20))
		free := freeSlots(t, s, b.org, day, day.Add(24*time.Hour))
		if len(free) != 20 {
			t.Fatalf("%d slots", len(free))
		}
		const bookers = 200
		errs := make([]error, bookers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range bookers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := appointmentFor(b, free[i%20])
				a.Description = fmt.Sprint("booker ", i)
				<-start
				errs[i] = s.BookAppointment(ctx, a)
			}()
		}
		close(start)
		wg.Wait()
		ok, dup := 0, 0
		for i, err := range errs {
			var e *pcnhub.Error
			switch {
			case err == nil:
				ok++
			case errors.As(err, &e) && e.Code == pcnhub.ECONFLICT && e.Spine == "DUPLICATE_REJECTED":
				dup++
			default:
				t.Errorf("booker %d: unexpected error %v", i, err)
			}
		}
		if ok != 20 || dup != 180 {
			t.Fatalf("%d booked, %d rejected; want 20 and 180", ok, dup)
		}
		var n int
		db := s.DB()
		q := func(query string) int {
			t.Helper()
			if s.Dialect() == sqlstore.Postgres {
				query = rebind(query)
			}
			if err := db.QueryRow(query).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := q(`SELECT COUNT(*) FROM appointments`); n != 20 {
			t.Errorf("%d appointments, want 20", n)
		}
		if n := q(`SELECT COUNT(*) FROM slots WHERE status = 'busy'`); n != 20 {
			t.Errorf("%d busy slots, want 20", n)
		}
		if n := q(`SELECT COUNT(*) FROM slots WHERE status = 'busy' AND id NOT IN (SELECT slot_id FROM appointment_slots)`); n != 0 {
			t.Errorf("%d busy slots without an appointment", n)
		}
		if n := q(`SELECT COUNT(*) FROM appointments WHERE id NOT IN (SELECT appointment_id FROM appointment_slots)`); n != 0 {
			t.Errorf("%d appointments without a slot", n)
		}
		if n := q(`SELECT COUNT(*) FROM (SELECT slot_id FROM appointment_slots GROUP BY slot_id HAVING COUNT(*) > 1) x`); n != 0 {
			t.Errorf("%d slots held by two appointments", n)
		}
		if n := q(`SELECT COUNT(DISTINCT slot_id) FROM appointment_slots`); n != 20 {
			t.Errorf("appointments hold %d distinct slots, want 20", n)
		}
		if n := q(`SELECT COUNT(*) FROM slots WHERE version <> 2`); n != 0 {
			t.Errorf("%d slots were taken other than once", n)
		}
	})
}

func rebind(q string) string {
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// tinyDataset is one practice with one schedule: two slots a day for three
// days from the load day, and a practice booking of each day's first slot.
func tinyDataset(t testing.TB) seed.Dataset {
	ds := seed.Dataset{
		Name:          "tiny",
		Organisations: []pcnhub.Organisation{*practice("A99991")},
		Practitioners: []seed.Practitioner{{OrgODS: "A99991", Practitioner: pcnhub.Practitioner{ID: 7, Name: pcnhub.HumanName{Family: "Doc"}, JobRoleCode: "R0260"}}},
		Locations:     []seed.Location{{OrgODS: "A99991", Location: pcnhub.Location{ID: 3, Name: "Main"}}},
		Schedules: []seed.Schedule{{OrgODS: "A99991", Schedule: schedule.Schedule{ID: 70, LocationID: 3, PractitionerID: 7,
			ServiceCategory: "Morning surgery", PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner"}}},
	}
	p := testPatient(t, 0, 1)
	nhs := p.NHSNumber
	ds.Patients = func(yield func(pcnhub.ODSCode, pcnhub.Patient) bool) { yield("A99991", p) }
	ds.Slots = func(today pcnhub.Date) iter.Seq[schedule.Slot] {
		return func(yield func(schedule.Slot) bool) {
			for i := range 3 {
				d := today.AddDays(i)
				for _, sl := range slotsFrom(70, london(d.Year, d.Month, d.Day, 9, 0), 2) {
					if !yield(sl) {
						return
					}
				}
			}
		}
	}
	ds.Appointments = func(today pcnhub.Date) iter.Seq[seed.Appointment] {
		return func(yield func(seed.Appointment) bool) {
			for i := range 3 {
				d := today.AddDays(i)
				start := london(d.Year, d.Month, d.Day, 9, 0)
				if !yield(seed.Appointment{Patient: nhs, Appointment: schedule.Appointment{ScheduleID: 70, Start: start,
					End: start.Add(10 * time.Minute), Description: "Booked at reception", BookedVia: schedule.BookedViaPractice}}) {
					return
				}
			}
		}
	}
	return ds
}

func TestLoadDatasetSlotsAndAppointments(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			c := &clock{t: london(2026, 10, 24, 7, 0)} // the window crosses the BST change on the 25th
			s := sqltest.Open(t, engine, c)
			load := func() sqlstore.LoadStats {
				t.Helper()
				st, err := s.LoadDataset(ctx, tinyDataset(t), "test")
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
			st := load()
			if st.Schedules != 1 || st.Slots != (sqlstore.UpsertStats{Inserted: 6}) || st.Appointments != (sqlstore.UpsertStats{Inserted: 3}) {
				t.Fatalf("first load: %+v", st)
			}
			org, _ := s.OrganisationByODS(ctx, "A99991")
			all := func() []schedule.Slot {
				t.Helper()
				free := freeSlots(t, s, org.ID, london(2026, 10, 1, 0, 0), london(2026, 11, 30, 0, 0))
				return free
			}
			free := all()
			if len(free) != 3 {
				t.Fatalf("%d free slots, want 3", len(free))
			}
			for _, sl := range free {
				if sl.Start.In(pcnhub.London).Format("15:04") != "09:10" {
					t.Errorf("free slot at %s, want the 09:10 ones", sl.Start.In(pcnhub.London))
				}
			}
			pat, err := s.PatientByNHSNumber(ctx, org.ID, testPatient(t, 0, 1).NHSNumber)
			if err != nil {
				t.Fatal(err)
			}
			appts, err := s.AppointmentsForPatient(ctx, pat.ID, london(2026, 10, 24, 0, 0), london(2026, 10, 30, 0, 0))
			if err != nil || len(appts) != 3 {
				t.Fatalf("%d appointments, %v", len(appts), err)
			}
			a := appts[1] // 2026-10-25, the day the clocks go back
			if a.Start.In(pcnhub.London).Format(time.RFC3339) != "2026-10-25T09:00:00Z" || a.BookedVia != schedule.BookedViaPractice ||
				a.ServiceCategory != "Morning surgery" || a.ServiceType != "Routine GP appointment" || a.PractitionerID != 7 ||
				a.LocationID != 3 || a.DeliveryChannel != schedule.InPerson || a.PractitionerRoleCode != "R0260" ||
				len(a.SlotIDs) != 1 || a.Status != schedule.Booked || a.Version != 1 || !a.Created.Equal(c.Now()) {
				t.Fatalf("seed appointment %+v", a)
			}
			// Cancel one seed appointment, book a free slot through GP Connect.
			cancel := appts[0]
			cancel.Status, cancel.CancellationReason = schedule.Cancelled, "Not needed"
			if err := s.UpdateAppointment(ctx, &cancel, 1); err != nil {
				t.Fatal(err)
			}
			sc, _ := s.ScheduleByID(ctx, 70)
			gpc := &schedule.Appointment{PatientID: pat.ID, Description: "111 booking", BookedVia: schedule.BookedViaGPConnect}
			gpc.SetSlots(sc, free[2:3])
			if err := s.BookAppointment(ctx, gpc); err != nil {
				t.Fatal(err)
			}
			before := all()

			// Again on the same day: nothing changes; the cancelled one is not re-booked.
			c.set(london(2026, 10, 24, 18, 0))
			st = load()
			if st.Slots != (sqlstore.UpsertStats{Unchanged: 6}) || st.Appointments != (sqlstore.UpsertStats{Unchanged: 3}) {
				t.Fatalf("second load: %+v", st)
			}
			if after := all(); !reflect.DeepEqual(after, before) {
				t.Fatalf("free slots changed:\n%+v\n%+v", before, after)
			}
			if sc2, _ := s.ScheduleByID(ctx, 70); sc2.Version != 1 {
				t.Fatalf("schedule version %d after re-load", sc2.Version)
			}

			// Two days later: two new days of slots and their bookings;
			// the old slots, booked or not, are left as they are.
			c.set(london(2026, 10, 26, 8, 0))
			st = load()
			if st.Slots != (sqlstore.UpsertStats{Inserted: 4, Unchanged: 2}) || st.Appointments != (sqlstore.UpsertStats{Inserted: 2, Unchanged: 1}) {
				t.Fatalf("later load: %+v", st)
			}
			after := all()
			if len(after) != len(before)+2 {
				t.Fatalf("%d free slots, want %d", len(after), len(before)+2)
			}
			for i := range before {
				if !reflect.DeepEqual(after[i], before[i]) {
					t.Errorf("slot %d changed: %+v → %+v", i, before[i], after[i])
				}
			}
			if got, _ := s.AppointmentByID(ctx, gpc.ID); got.Status != schedule.Booked || got.Version != 1 {
				t.Errorf("GP Connect booking after re-load: %+v", got)
			}
			if got, _ := s.AppointmentByID(ctx, cancel.ID); got.Status != schedule.Cancelled {
				t.Errorf("cancelled seed appointment after re-load: %+v", got)
			}
		})
	}
}

// Outcomes are stored with their times, and a cancellation by the patient
// frees the slot.
func TestAppointmentOutcomes(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		b := newBook(t, s, "A99991")
		writeSlots(t, s, slotsFrom(b.sched, london(2026, 12, 1, 9, 0), 2))
		slots := freeSlots(t, s, b.org, london(2026, 12, 1, 0, 0), london(2026, 12, 2, 0, 0))
		first, second := appointmentFor(b, slots[0]), appointmentFor(b, slots[1])
		for _, a := range []*schedule.Appointment{first, second} {
			if err := s.BookAppointment(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		now := london(2026, 12, 1, 12, 0)
		if err := first.RecordOutcome(schedule.OutcomeArrived, london(2026, 12, 1, 8, 55), now); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAppointment(ctx, first, first.Version); err != nil {
			t.Fatal(err)
		}
		if err := first.RecordOutcome(schedule.OutcomeAttended, london(2026, 12, 1, 9, 12), now); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAppointment(ctx, first, first.Version); err != nil {
			t.Fatal(err)
		}
		got, err := s.AppointmentByID(ctx, first.ID)
		if err != nil || got.Status != schedule.Fulfilled || !got.ArrivedAt.Equal(london(2026, 12, 1, 8, 55)) ||
			!got.OutcomeAt.Equal(london(2026, 12, 1, 9, 12)) {
			t.Fatalf("attended appointment: %+v %v", got, err)
		}
		if err := second.RecordOutcome(schedule.OutcomeCancelledByPatient, london(2026, 12, 1, 8, 0), now); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAppointment(ctx, second, second.Version); err != nil {
			t.Fatal(err)
		}
		got, _ = s.AppointmentByID(ctx, second.ID)
		if got.Status != schedule.Cancelled || got.CancelledBy != "patient" {
			t.Fatalf("cancelled by patient: %+v", got)
		}
		if free := freeSlots(t, s, b.org, london(2026, 12, 1, 0, 0), london(2026, 12, 2, 0, 0)); len(free) != 1 || free[0].ID != slots[1].ID {
			t.Fatalf("the cancelled appointment's slot was not freed: %+v", free)
		}
	})
}
