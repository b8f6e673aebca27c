package sqlstore_test

import (
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// The slot-search version moves with every change a slot search would
// show, for that organisation only, on both engines.
func TestSlotSearchVersionMoves(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		a := newBook(t, s, "A99991")
		b := newBook(t, s, "A99992")
		version := func(org int64) string {
			t.Helper()
			v, err := s.SlotSearchVersion(ctx, org)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		moved := func(what string, change func(), movesA, movesB bool) {
			t.Helper()
			va, vb := version(a.org), version(b.org)
			change()
			if got := version(a.org) != va; got != movesA {
				t.Errorf("%s: A99991's version moved %v, want %v", what, got, movesA)
			}
			if got := version(b.org) != vb; got != movesB {
				t.Errorf("%s: A99992's version moved %v, want %v", what, got, movesB)
			}
		}
		var slots []schedule.Slot
		moved("slots written at A", func() {
			writeSlots(t, s, slotsFrom(a.sched, london(2026, 12, 1, 9, 0), 3))
			slots = freeSlots(t, s, a.org, london(2026, 12, 1, 0, 0), london(2026, 12, 2, 0, 0))
		}, true, false)
		moved("the same slots written again", func() { writeSlots(t, s, slotsFrom(a.sched, london(2026, 12, 1, 9, 0), 3)) }, false, false)
		appt := appointmentFor(a, slots[0])
		moved("a booking at A", func() {
			if err := s.BookAppointment(ctx, appt); err != nil {
				t.Fatal(err)
			}
		}, true, false)
		moved("a cancellation at A", func() {
			appt.Status, appt.CancellationReason = schedule.Cancelled, "test"
			if err := s.UpdateAppointment(ctx, appt, 0); err != nil {
				t.Fatal(err)
			}
		}, true, false)
		moved("a schedule of B renamed", func() {
			if _, err := s.UpsertSchedule(ctx, &schedule.Schedule{ID: b.sched, OrganisationID: b.org, LocationID: b.loc,
				PractitionerID: b.pract, ServiceCategory: "Evening surgery", PractitionerRoleCode: "R0260"}); err != nil {
				t.Fatal(err)
			}
		}, false, true)
		moved("a practitioner renamed", func() {
			if _, err := s.UpsertPractitioner(ctx, &pcnhub.Practitioner{ID: a.pract, OrganisationID: a.org, SDSUserID: "G13579135",
				Name: pcnhub.HumanName{Family: "Renamed"}, JobRoleCode: "R0260"}); err != nil {
				t.Fatal(err)
			}
		}, true, true)
		moved("a location renamed", func() {
			if _, err := s.UpsertLocation(ctx, &pcnhub.Location{ID: b.loc, OrganisationID: b.org, Name: "Renamed surgery"}); err != nil {
				t.Fatal(err)
			}
		}, true, true)
		moved("a patient added", func() {
			p := testPatient(t, a.org, 99)
			if _, err := s.UpsertPatient(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}, false, false)
		// A new organisation gets a version of its own.
		c := mustOrg(t, s, "A99993")
		if v := version(c); v == "" || v[:2] == "0." {
			t.Errorf("new organisation's version %q", v)
		}
	})
}
