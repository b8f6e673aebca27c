package demo

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// slotDay is a Monday four weeks before the BST change of 2026-10-25, so
// that six weeks of slots cross it.
var slotDay = pcnhub.Date{Year: 2026, Month: 9, Day: 28}

// directory is what the demo data set itself says about the world, for
// validating its books without a database.
func directory(ods pcnhub.ODSCode) rota.Directory {
	ds := Dataset()
	dir := rota.Directory{Organisations: map[pcnhub.ODSCode]bool{}, Groups: map[string][]pcnhub.ODSCode{},
		Practitioners: map[string]bool{}, Locations: map[string]bool{}}
	for _, o := range ds.Organisations {
		dir.Organisations[o.ODS] = true
	}
	for _, g := range ds.Groups {
		dir.Groups[g.Name] = g.Members
	}
	for _, p := range ds.Practitioners {
		if p.OrgODS == ods {
			dir.Practitioners[p.SDSUserID] = true
		}
	}
	for _, l := range ds.Locations {
		if l.OrgODS == ods {
			dir.Locations[l.Name] = true
			if l.SiteODS != "" {
				dir.Locations[string(l.SiteODS)] = true
			}
		}
	}
	return dir
}

func env() rota.Env {
	e := rota.Env{BankHolidays: map[pcnhub.Date]bool{}, Groups: map[string][]pcnhub.ODSCode{}}
	for _, d := range BankHolidays {
		e.BankHolidays[d] = true
	}
	for _, g := range organisationGroups() {
		e.Groups[g.Name] = g.Members
	}
	return e
}

// Every book is valid, deterministic, and covers every organisation that
// runs sessions; every clinician works.
func TestBooksAreValid(t *testing.T) {
	books := Books()
	if !reflect.DeepEqual(books, Books()) {
		t.Fatal("books differ between two calls")
	}
	if len(books) != len(practices)+1 {
		t.Fatalf("%d books", len(books))
	}
	working := map[string]bool{}
	for i := range books {
		b := &books[i]
		if problems := rota.Validate(b, directory(b.Organisation)); problems != nil {
			t.Errorf("%s:\n%v", b.Organisation, problems)
		}
		for _, s := range b.Sessions {
			working[s.Practitioner] = true
		}
	}
	for _, p := range practitioners() {
		if !working[p.SDSUserID] {
			t.Errorf("practitioner %d (%s at %s) has no session", p.ID, p.JobRoleCode, p.OrgODS)
		}
	}
}

// The books' slots over six weeks: the 111 duty met every weekday except
// at ShortPractice, which is short every weekday; home visits never
// bookable; pharmacist clinics for the enhanced-access group only; hub
// slots in Network Standard Hours, bookable 14 days ahead, one in four for
// NHS 111; nothing on bank holidays; every slot type mapped to GPAD.
func TestBookSlots(t *testing.T) {
	e := env()
	group := e.Groups[eaGroup]
	cal := duty.NewCalendar(BankHolidays)
	from := pcnhub.Date{Year: 2026, Month: 12, Day: 14} // six weeks over Christmas
	for i, b := range Books() {
		mapped := map[string]gpad.Mapping{}
		for _, m := range rota.GPADMappings(&b) {
			mapped[m.SlotType] = m
		}
		per111 := map[pcnhub.Date]int{}
		var visits, hub111, hubSlots, want111 int
		for _, slots := range rota.Generate(&b, from, from.AddDays(SlotDays), e) {
			perDay := map[pcnhub.Date]int{}
			for _, s := range slots {
				perDay[pcnhub.DateOf(s.Start.In(pcnhub.London))]++
			}
			for _, n := range perDay {
				want111 += n / 4 // the fourth, eighth, … slot of each session
			}
			for _, s := range slots {
				day := pcnhub.DateOf(s.Start.In(pcnhub.London))
				if e.BankHolidays[day] {
					t.Fatalf("%s: a slot on bank holiday %s", b.Organisation, day)
				}
				if m, ok := mapped[s.ServiceType]; !ok {
					t.Errorf("%s: slot type %q has no GPAD mapping", b.Organisation, s.ServiceType)
				} else if c, ok := gpad.Category(m.Category); !ok || c != m.Category {
					t.Errorf("%s: %q maps to %q, not a published category", b.Organisation, s.ServiceType, m.Category)
				}
				switch {
				case s.DeliveryChannel == schedule.Visit:
					visits++
					if s.Bookable {
						t.Errorf("%s: a bookable Visit slot", b.Organisation)
					}
				case s.ServiceType == type111:
					if !s.Bookable || !reflect.DeepEqual(s.OrgTypes, []pcnhub.OrgType{pcnhub.OrgUrgentCare}) || len(s.ODSCodes) != 0 {
						t.Errorf("%s: 111 slot %+v", b.Organisation, s)
					}
					start, end := duty.CoreHours(day)
					if s.Start.Before(start) || s.End.After(end) {
						t.Errorf("%s: 111 slot outside core hours at %s", b.Organisation, s.Start)
					}
					per111[day]++
				case s.ServiceType == typeRoutineGP && s.Bookable:
					at := s.Start.In(pcnhub.London)
					if !reflect.DeepEqual(s.ODSCodes, sorted(group)) || at.Hour() != 16 || at.Minute() >= 20 {
						t.Errorf("%s: bookable GP slot %s restricted to %v", b.Organisation, at.Format("15:04"), s.ODSCodes)
					}
				case s.ServiceType == typePharmacist:
					if !s.Bookable || !reflect.DeepEqual(s.ODSCodes, sorted(group)) {
						t.Errorf("%s: pharmacist slot %+v", b.Organisation, s)
					}
				case b.Organisation == hubODS:
					hubSlots++
					start, end, ok := cal.NetworkStandardHours(day)
					if !ok || s.Start.Before(start) || s.End.After(end) || !s.Bookable || s.BookingWindow != 14*24*time.Hour {
						t.Errorf("hub slot %+v", s)
					}
					if len(s.OrgTypes) > 0 {
						hub111++
					} else if !reflect.DeepEqual(s.ODSCodes, sorted(group)) {
						t.Errorf("hub slot restricted to %v", s.ODSCodes)
					}
				case s.Bookable:
					t.Errorf("%s: %q slot is GP Connect bookable", b.Organisation, s.ServiceType)
				}
			}
		}
		if b.Organisation == hubODS {
			if hubSlots == 0 || hub111 != want111 {
				t.Errorf("hub: %d slots, %d for 111, want %d (every fourth slot of a session)", hubSlots, hub111, want111)
			}
			continue
		}
		p := &practices[i]
		need := schedule.NHS111Duty(p.listSize)
		if visits == 0 {
			t.Errorf("%s: no home visits", p.ods)
		}
		for d := from; d.Before(from.AddDays(SlotDays)); d = d.AddDays(1) {
			if !cal.IsCoreDay(d) {
				continue
			}
			got := per111[d]
			switch {
			case p.ods == ShortPractice && got >= need:
				t.Errorf("%s (short on purpose) offers %d of %d on %s", p.ods, got, need, d)
			case p.ods != ShortPractice && got < need:
				t.Errorf("%s offers %d of %d NHS 111 slots on %s", p.ods, got, need, d)
			}
		}
	}
}

func sorted(codes []pcnhub.ODSCode) []pcnhub.ODSCode {
	out := append([]pcnhub.ODSCode(nil), codes...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// Bookings are deterministic per day, agree between loads on different
// days, never take NHS 111 slots, and suit their patient.
func TestAppointments(t *testing.T) {
	type key struct {
		org     pcnhub.ODSCode
		session string
		start   int64
		patient pcnhub.NHSNumber
	}
	collect := func(day pcnhub.Date) []key {
		var out []key
		for a := range appointments(day) {
			if a.Description == "" || a.Status != schedule.Booked || a.End.Sub(a.Start) <= 0 {
				t.Fatalf("appointment %+v", a)
			}
			out = append(out, key{a.OrgODS, a.Session, a.Start.Unix(), a.Patient})
		}
		return out
	}
	first, again := collect(slotDay), collect(slotDay)
	if len(first) == 0 || !reflect.DeepEqual(first, again) {
		t.Fatalf("%d and %d appointments, or different", len(first), len(again))
	}
	later := map[key]bool{}
	for _, k := range collect(slotDay.AddDays(3)) {
		later[k] = true
	}
	cut := slotDay.AddDays(3).Time(pcnhub.London).Unix()
	overlap := 0
	for _, k := range first {
		if k.start >= cut {
			overlap++
			if !later[k] {
				t.Fatalf("appointment %+v is not in the load three days later", k)
			}
		}
	}
	if overlap == 0 {
		t.Fatal("no overlapping days")
	}
	// No booking takes a 111 slot.
	for i, b := range Books() {
		if b.Organisation == hubODS {
			continue
		}
		reserved := map[int64]bool{}
		for _, slots := range rota.Generate(&b, slotDay, slotDay.AddDays(SlotDays), env()) {
			for _, s := range slots {
				if s.ServiceType == type111 {
					reserved[s.Start.Unix()] = true
				}
			}
		}
		for _, k := range first {
			if k.org == practices[i].ods && reserved[k.start] && sessionHas111(&b, k.session, k.start) {
				t.Errorf("%s: a practice booking takes the 111 slot of %s at %d", k.org, k.session, k.start)
			}
		}
	}
}

// sessionHas111 reports whether the named session's slot at start is an
// NHS 111 slot.
func sessionHas111(b *rota.Book, session string, start int64) bool {
	day := pcnhub.DateOf(time.Unix(start, 0).In(pcnhub.London))
	for i, slots := range rota.Generate(b, day, day.AddDays(1), env()) {
		if b.Sessions[i].Name != session {
			continue
		}
		for _, s := range slots {
			if s.Start.Unix() == start {
				return s.ServiceType == type111
			}
		}
	}
	return false
}

func TestDemoBooksThroughTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo data set")
	}
	ctx := context.Background()
	now := time.Date(slotDay.Year, slotDay.Month, slotDay.Day, 7, 0, 0, 0, pcnhub.London)
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			s := sqltest.Open(t, engine, pcnhub.FixedClock(now))
			ds := Dataset()
			ds.People = nil // not needed here
			st, err := s.LoadDataset(ctx, ds, "test")
			if err != nil {
				t.Fatal(err)
			}
			if st.Books != len(practices)+1 || st.Slots.Inserted == 0 || st.Appointments.Inserted == 0 || st.Appointments.Unchanged != 0 {
				t.Fatalf("first load: %+v", st)
			}
			var busy, bookedAppts, bookableVisits int
			q := func(query string, dst *int) {
				t.Helper()
				if err := s.DB().QueryRowContext(ctx, query).Scan(dst); err != nil {
					t.Fatal(err)
				}
			}
			q(`SELECT COUNT(*) FROM slots WHERE status = 'busy'`, &busy)
			q(`SELECT COUNT(*) FROM appointments WHERE status = 'booked'`, &bookedAppts)
			q(`SELECT COUNT(*) FROM slots WHERE delivery_channel = 'Visit' AND bookable`, &bookableVisits)
			if busy != st.Appointments.Inserted || bookedAppts != busy || bookableVisits != 0 {
				t.Fatalf("%d busy slots, %d booked appointments, %d loaded; %d bookable visits", busy, bookedAppts,
					st.Appointments.Inserted, bookableVisits)
			}
			// The 111 report shows the shortfall at ShortPractice only.
			days, err := duty.Load111(ctx, s, slotDay, slotDay.AddDays(13), duty.NewCalendar(BankHolidays), nil)
			if err != nil {
				t.Fatal(err)
			}
			short := map[pcnhub.ODSCode]int{}
			for _, d := range days {
				if d.Shortfall > 0 {
					short[d.ODS]++
				}
			}
			if len(days) != 8*10 || len(short) != 1 || short[ShortPractice] != 10 {
				t.Fatalf("%d practice-days, short: %v", len(days), short)
			}
			// The hub meets its enhanced-access duty.
			weeks, err := duty.LoadEA(ctx, s, slotDay, slotDay.AddDays(13), duty.NewCalendar(BankHolidays))
			if err != nil || len(weeks) != 2 {
				t.Fatal(weeks, err)
			}
			for _, w := range weeks {
				if w.Offered < w.Required {
					t.Errorf("enhanced access week %+v short", w)
				}
			}
			again, err := s.LoadDataset(ctx, ds, "test")
			if err != nil {
				t.Fatal(err)
			}
			if again.Slots != (sqlstore.UpsertStats{}) || again.Appointments != (sqlstore.UpsertStats{Unchanged: st.Appointments.Inserted}) ||
				again.Patients.Inserted+again.Patients.Updated != 0 {
				t.Fatalf("second load on the same day: %+v", again)
			}
			var maxVersion int64
			if err := s.DB().QueryRowContext(ctx, `SELECT MAX(version) FROM schedules`).Scan(&maxVersion); err != nil || maxVersion != 1 {
				t.Errorf("schedule versions up to %d after a second load (%v)", maxVersion, err)
			}
		})
	}
}
