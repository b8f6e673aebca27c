package sqlstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// bookMonday is a Monday morning before surgery opens.
var bookMonday = london(2026, 11, 23, 7, 0)

// rotaBook is A99991's book as newBook sets the practice up: one GP
// session 09:00–10:00 on weekdays with the 09:00 slot reserved for NHS 111.
func rotaBook() *rota.Book {
	yes := true
	t111 := "NHS 111 direct booking appointment"
	return &rota.Book{Organisation: "A99991", Sessions: []rota.Session{{
		Name: "gp-am", Days: []rota.Weekday{1, 2, 3, 4, 5}, Start: 9 * 60, End: 10 * 60,
		Practitioner: "G13579135", Location: "Main surgery A99991", SlotMinutes: 10,
		SlotType: "Routine GP appointment", SessionName: "Morning surgery", Channel: schedule.InPerson, Role: "R0260",
		GPADCategory: "general consultation routine",
		Slots: []rota.SlotRule{{At: 9 * 60, SlotType: &t111, Bookable: &yes,
			Restrictions: &rota.Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}}}},
	}}}
}

func importBook(t *testing.T, s *sqlstore.Store, b *rota.Book, now time.Time, weeks int) *sqlstore.BookResult {
	t.Helper()
	res, err := s.ImportBook(ctx, b, sqlstore.BookOptions{Now: now, Weeks: weeks})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportBookGeneratesIdempotently(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		bk := newBook(t, s, "A99991")
		res := importBook(t, s, rotaBook(), bookMonday, 2)
		// Two weeks from Monday: ten weekdays of six 10-minute slots.
		if res.Inserted != 60 || res.Updated != 0 || res.Deleted != 0 || len(res.Conflicts) != 0 {
			t.Fatalf("first import: %+v", res)
		}
		slots, err := s.SlotsBetween(ctx, bk.org, bookMonday, bookMonday.AddDate(0, 0, 14))
		if err != nil {
			t.Fatal(err)
		}
		if len(slots) != 60 {
			t.Fatalf("%d slots stored", len(slots))
		}
		first := slots[0]
		if got := first.Start.In(pcnhub.London).Format("2006-01-02 15:04"); got != "2026-11-23 09:00" ||
			first.ServiceType != "NHS 111 direct booking appointment" || !first.Bookable ||
			len(first.OrgTypes) != 1 || first.OrgTypes[0] != pcnhub.OrgUrgentCare {
			t.Fatalf("first slot %s %+v", got, first)
		}
		if second := slots[1]; second.Bookable || second.ServiceType != "Routine GP appointment" || second.Duration() != 10*time.Minute {
			t.Fatalf("second slot %+v", second)
		}
		// Only the 09:00 slots are GP Connect bookable.
		bookable, err := s.BookableSlotsBetween(ctx, bk.org, bookMonday, bookMonday.AddDate(0, 0, 14))
		if err != nil || len(bookable) != 10 {
			t.Fatalf("%d bookable slots (%v)", len(bookable), err)
		}
		for _, sl := range bookable {
			if !sl.Bookable || sl.Start.In(pcnhub.London).Format("15:04") != "09:00" {
				t.Fatalf("bookable slot %+v", sl)
			}
		}
		// Importing the same book again changes nothing.
		if res := importBook(t, s, rotaBook(), bookMonday, 2); res.Changed() != 0 || len(res.Conflicts) != 0 {
			t.Fatalf("second import: %+v", res)
		}
		// The book is stored normalized, and the slot types are mapped.
		stored, version, err := s.Book(ctx, "A99991")
		if err != nil {
			t.Fatal(err)
		}
		if version != 1 || stored.Sessions[0].GPADCategory != "General Consultation Routine" || stored.BankHolidays != "closed" {
			t.Fatalf("stored book v%d: %+v", version, stored)
		}
		maps, err := s.GPADMappings(ctx, bk.org)
		if err != nil {
			t.Fatal(err)
		}
		if m := maps["NHS 111 direct booking appointment"]; m.Category != "General Consultation Routine" || m.Setting != "General Practice" {
			t.Fatalf("mappings %+v", maps)
		}
		// A week later, extending adds one new week and leaves the rest.
		later := bookMonday.AddDate(0, 0, 7)
		ext, err := s.ExtendBooks(ctx, "", sqlstore.BookOptions{Now: later, Weeks: 2})
		if err != nil || len(ext) != 1 {
			t.Fatal(ext, err)
		}
		if ext[0].Inserted != 30 || ext[0].Updated != 0 || ext[0].Deleted != 0 {
			t.Fatalf("extend: %+v", ext[0])
		}
	})
}

func TestImportBookKeepsBookedAppointments(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		bk := newBook(t, s, "A99991")
		importBook(t, s, rotaBook(), bookMonday, 1)
		tuesday := london(2026, 11, 24, 9, 0)
		free := freeSlots(t, s, bk.org, tuesday.Add(10*time.Minute), tuesday.Add(20*time.Minute))
		if len(free) != 1 {
			t.Fatalf("free %+v", free)
		}
		a := appointmentFor(bk, free[0])
		if err := s.BookAppointment(ctx, a); err != nil {
			t.Fatal(err)
		}
		// Suspend the session on Tuesday and make its slots 15 minutes
		// from Wednesday.
		b := rotaBook()
		b.Sessions[0].Suspensions = []rota.Period{{From: pcnhub.Date{Year: 2026, Month: 11, Day: 24}, To: pcnhub.Date{Year: 2026, Month: 11, Day: 24}}}
		res := importBook(t, s, b, bookMonday, 1)
		if len(res.Conflicts) != 1 || res.Conflicts[0].SlotID != free[0].ID || res.Conflicts[0].Session != "gp-am" ||
			!strings.Contains(res.Conflicts[0].Reason, "no longer has this slot") {
			t.Fatalf("conflicts %+v", res.Conflicts)
		}
		if res.Deleted != 5 || res.Inserted != 0 {
			t.Fatalf("suspension: %+v", res)
		}
		got, err := s.AppointmentByID(ctx, a.ID)
		if err != nil || got.Status != schedule.Booked || got.Version != a.Version {
			t.Fatalf("appointment after the change: %+v %v", got, err)
		}
		left, err := s.SlotsBetween(ctx, bk.org, tuesday.Add(-time.Hour), tuesday.Add(2*time.Hour))
		if err != nil || len(left) != 1 || left[0].ID != free[0].ID || left[0].Status != schedule.SlotBusy {
			t.Fatalf("Tuesday after suspension: %+v %v", left, err)
		}
		// Taking the suspension out brings Tuesday back around the booking.
		res = importBook(t, s, rotaBook(), bookMonday, 1)
		if res.Inserted != 5 || len(res.Conflicts) != 0 {
			t.Fatalf("lifting the suspension: %+v", res)
		}
	})
}

func TestImportBookLengthChangeAroundBooking(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		bk := newBook(t, s, "A99991")
		importBook(t, s, rotaBook(), bookMonday, 1)
		tuesday := london(2026, 11, 24, 9, 0)
		free := freeSlots(t, s, bk.org, tuesday.Add(10*time.Minute), tuesday.Add(20*time.Minute))
		a := appointmentFor(bk, free[0])
		if err := s.BookAppointment(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := rotaBook()
		b.Sessions[0].SlotMinutes = 15
		res := importBook(t, s, b, bookMonday, 1)
		if len(res.Conflicts) != 1 || res.Conflicts[0].SlotID != free[0].ID {
			t.Fatalf("conflicts %+v", res.Conflicts)
		}
		day, err := s.SlotsBetween(ctx, bk.org, tuesday, tuesday.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// 09:30 and 09:45 stay or appear; 09:00–09:15 and 09:15–09:30
		// would overlap the booked 09:10–09:20 slot and are not kept or made.
		var got []string
		for _, sl := range day {
			got = append(got, sl.Start.In(pcnhub.London).Format("15:04")+"/"+sl.Duration().String()+"/"+string(sl.Status))
		}
		want := "09:10/10m0s/busy 09:30/15m0s/free 09:45/15m0s/free"
		if strings.Join(got, " ") != want {
			t.Fatalf("Tuesday:\n got %s\nwant %s", strings.Join(got, " "), want)
		}
	})
}

func TestImportBookRejectsInvalidAndDryRun(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		bk := newBook(t, s, "A99991")
		bad := rotaBook()
		bad.Sessions[0].SlotMinutes = 7
		bad.Sessions[0].Restrictions.ODSCodes = []pcnhub.ODSCode{"Y12345"}
		_, err := s.ImportBook(ctx, bad, sqlstore.BookOptions{Now: bookMonday, Weeks: 1})
		var problems rota.Problems
		if pcnhub.ErrorCode(err) != pcnhub.EINVALID || !errors.As(err, &problems) || len(problems) != 2 {
			t.Fatalf("invalid book: %v", err)
		}
		if _, _, err := s.Book(ctx, "A99991"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("an invalid book was stored: %v", err)
		}
		res, err := s.ImportBook(ctx, rotaBook(), sqlstore.BookOptions{Now: bookMonday, Weeks: 1, DryRun: true})
		if err != nil || res.Inserted != 30 || !res.DryRun {
			t.Fatalf("dry run: %+v %v", res, err)
		}
		slots, err := s.SlotsBetween(ctx, bk.org, bookMonday, bookMonday.AddDate(0, 0, 7))
		if err != nil || len(slots) != 0 {
			t.Fatalf("a dry run stored %d slots (%v)", len(slots), err)
		}
		if _, _, err := s.Book(ctx, "A99991"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("a dry run stored the book: %v", err)
		}
		other := rotaBook()
		other.Organisation = "A99992"
		if _, err := s.ImportBook(ctx, other, sqlstore.BookOptions{Now: bookMonday}); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("book of an unknown organisation: %v", err)
		}
	})
}

func TestImportBookRemovedSessionAndBankHoliday(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		bk := newBook(t, s, "A99991")
		holiday := pcnhub.Date{Year: 2026, Month: 11, Day: 25}
		opts := sqlstore.BookOptions{Now: bookMonday, Weeks: 1, BankHolidays: map[pcnhub.Date]bool{holiday: true}}
		if res, err := s.ImportBook(ctx, rotaBook(), opts); err != nil || res.Inserted != 24 {
			t.Fatalf("with a bank holiday: %+v %v", res, err)
		}
		open := rotaBook()
		open.BankHolidays = rota.BankHolidaysOpen
		if res, err := s.ImportBook(ctx, open, opts); err != nil || res.Inserted != 6 {
			t.Fatalf("open on bank holidays: %+v %v", res, err)
		}
		// A book without the session takes its free slots away.
		empty := &rota.Book{Organisation: "A99991"}
		res, err := s.ImportBook(ctx, empty, opts)
		if err != nil || res.Deleted != 30 || len(res.Conflicts) != 0 {
			t.Fatalf("session removed: %+v %v", res, err)
		}
		if left := freeSlots(t, s, bk.org, bookMonday, bookMonday.AddDate(0, 0, 7)); len(left) != 0 {
			t.Fatalf("%d free slots left", len(left))
		}
	})
}

// A later generation only adds days while nothing the slots were made from
// has changed; a change of a group the book names, or of the book, brings
// every generated day in line, also beyond a shorter horizon.
func TestExtendBooksFollowsGroupsAndBookChanges(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		bk := newBook(t, s, "A99991")
		mustOrg(t, s, "A99992")
		if _, err := s.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: "Neighbours", Members: []pcnhub.ODSCode{"A99991"}}); err != nil {
			t.Fatal(err)
		}
		b := rotaBook()
		b.Sessions[0].Bookable = true
		b.Sessions[0].Restrictions = rota.Restrictions{Groups: []string{"Neighbours"}}
		if res := importBook(t, s, b, bookMonday, 3); res.Inserted != 90 {
			t.Fatalf("first import: %+v", res)
		}
		ext, err := s.ExtendBooks(ctx, "", sqlstore.BookOptions{Now: bookMonday.Add(time.Hour), Weeks: 3})
		if err != nil || ext[0].Changed() != 0 {
			t.Fatalf("nothing changed: %+v %v", ext, err)
		}
		if _, err := s.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: "Neighbours", Members: []pcnhub.ODSCode{"A99991", "A99992"}}); err != nil {
			t.Fatal(err)
		}
		// Every slot but the 111 ones (whose rule replaces the
		// restrictions) takes the new member, on all three weeks.
		ext, err = s.ExtendBooks(ctx, "", sqlstore.BookOptions{Now: bookMonday.Add(time.Hour), Weeks: 1})
		if err != nil || ext[0].Updated != 75 || ext[0].Inserted != 0 {
			t.Fatalf("after the group changed: %+v %v", ext, err)
		}
		last, err := s.SlotsBetween(ctx, bk.org, bookMonday.AddDate(0, 0, 18), bookMonday.AddDate(0, 0, 19))
		if err != nil || len(last) != 6 || len(last[1].ODSCodes) != 2 {
			t.Fatalf("third week: %+v %v", last, err)
		}
		// A changed book with a one-week horizon still reaches the third week.
		b.Sessions[0].SlotType = "GP appointment"
		if res := importBook(t, s, b, bookMonday.Add(time.Hour), 1); res.Updated != 75 {
			t.Fatalf("changed book: %+v", res)
		}
	})
}
