package demo

import (
	"context"
	"github.com/pcnhub/pcnhub/gpad"
	"reflect"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// slotDay is a Monday four weeks before the BST change of 2026-10-25, so
// that six weeks of slots cross it.
var slotDay = pcnhub.Date{Year: 2026, Month: 9, Day: 28}

func collectSlots(today pcnhub.Date) []schedule.Slot {
	var out []schedule.Slot
	for s := range Dataset().Slots(today) {
		out = append(out, s)
	}
	return out
}

func TestSchedules(t *testing.T) {
	ds := Dataset()
	locOrg := map[int64]pcnhub.ODSCode{}
	for _, l := range ds.Locations {
		locOrg[l.ID] = l.OrgODS
	}
	practOrg := map[int64]pcnhub.ODSCode{}
	practRole := map[int64]string{}
	for _, p := range ds.Practitioners {
		practOrg[p.ID], practRole[p.ID] = p.OrgODS, p.JobRoleCode
	}
	ids := map[int64]bool{}
	perPract := map[int64]int{}
	for _, sc := range ds.Schedules {
		if sc.ID == 0 || ids[sc.ID] {
			t.Errorf("schedule id %d is zero or repeated", sc.ID)
		}
		ids[sc.ID] = true
		if locOrg[sc.LocationID] != sc.OrgODS || practOrg[sc.PractitionerID] != sc.OrgODS {
			t.Errorf("schedule %d of %s: location %d (%s), practitioner %d (%s)", sc.ID, sc.OrgODS,
				sc.LocationID, locOrg[sc.LocationID], sc.PractitionerID, practOrg[sc.PractitionerID])
		}
		if sc.ServiceCategory == "" || sc.PractitionerRoleCode != practRole[sc.PractitionerID] || sc.PractitionerRoleDisplay == "" {
			t.Errorf("schedule %d: %+v", sc.ID, sc.Schedule)
		}
		if sc.OrgODS != hubODS && locOrg[sc.LocationID] == sc.OrgODS {
			for _, l := range ds.Locations {
				if l.ID == sc.LocationID && l.SiteODS != sc.OrgODS+"0" {
					t.Errorf("schedule %d is not at its practice's main location", sc.ID)
				}
			}
		}
		perPract[sc.PractitionerID]++
	}
	for _, p := range ds.Practitioners {
		if perPract[p.ID] == 0 {
			t.Errorf("practitioner %d (%s) has no schedule", p.ID, p.JobRoleCode)
		}
	}
}

func TestSlotsAreDeterministicPerDay(t *testing.T) {
	a, b := collectSlots(slotDay), collectSlots(slotDay)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls yield different slots")
	}
	// Generated from three days earlier, the days in common are the same.
	early := collectSlots(slotDay.AddDays(-3))
	from := slotDay.Time(pcnhub.London)
	last := slotDay.AddDays(SlotDays - 3).Time(pcnhub.London)
	var common []schedule.Slot
	for _, s := range early {
		if !s.Start.Before(from) {
			common = append(common, s)
		}
	}
	var mine []schedule.Slot
	for _, s := range a {
		if s.Start.Before(last) {
			mine = append(mine, s)
		}
	}
	if len(common) == 0 || !reflect.DeepEqual(common, mine) {
		t.Fatalf("slots of the same days differ between load days (%d vs %d)", len(common), len(mine))
	}
	// Appointments too.
	ds := Dataset()
	var x, y []any
	for ap := range ds.Appointments(slotDay) {
		x = append(x, ap)
	}
	for ap := range ds.Appointments(slotDay) {
		y = append(y, ap)
	}
	if len(x) == 0 || !reflect.DeepEqual(x, y) {
		t.Fatalf("appointments differ between calls (%d, %d)", len(x), len(y))
	}
}

// checkDemoSlots checks the demo's slot rules on a set of slots (all of
// them, free or booked) of the SlotDays days from slotDay.
func checkDemoSlots(t *testing.T, slots []schedule.Slot) {
	t.Helper()
	ds := Dataset()
	orgOf := map[int64]pcnhub.ODSCode{}
	for _, sc := range ds.Schedules {
		orgOf[sc.ID] = sc.OrgODS
	}
	listSize := map[pcnhub.ODSCode]int{}
	for _, o := range ds.Organisations {
		listSize[o.ODS] = o.ListSize
	}
	var members []pcnhub.ODSCode
	for _, g := range ds.Groups {
		if g.Name == "Enhanced access booking" {
			members = g.Members
		}
	}
	type orgDay struct {
		org pcnhub.ODSCode
		day pcnhub.Date
	}
	perDay := map[orgDay]int{}
	reserved := map[orgDay]int{}
	visits := map[orgDay]int{}
	channels := map[schedule.DeliveryChannel]int{}
	types := map[string]int{}
	seen := map[[2]int64]bool{}
	for _, s := range slots {
		key := [2]int64{s.ScheduleID, s.Start.UnixMicro()}
		if seen[key] {
			t.Fatalf("two slots of schedule %d at %s", s.ScheduleID, s.Start)
		}
		seen[key] = true
		org := orgOf[s.ScheduleID]
		local := s.Start.In(pcnhub.London)
		d := pcnhub.DateOf(local)
		wd := local.Weekday()
		hm := local.Format("15:04")
		endHM := s.End.In(pcnhub.London).Format("15:04")
		if l := s.End.Sub(s.Start); l != 10*time.Minute && l != 15*time.Minute {
			t.Errorf("slot %s %s is %s long", org, local, l)
		}
		channels[s.DeliveryChannel]++
		types[s.ServiceType]++
		if s.DeliveryChannel == schedule.Visit && s.Bookable {
			t.Errorf("bookable Visit slot %s %s", org, local)
		}
		if s.ServiceType == "" {
			t.Errorf("slot %s %s has no type", org, local)
		}
		if org == hubODS {
			switch {
			case wd >= time.Monday && wd <= time.Friday && hm >= "18:30" && endHM <= "20:00":
			case wd == time.Saturday && hm >= "09:00" && endHM <= "17:00":
			default:
				t.Errorf("hub slot outside the Network Standard Hours: %s", local)
			}
			ea := s.Bookable && s.BookingWindow == 14*24*time.Hour &&
				((len(s.OrgTypes) == 1 && s.OrgTypes[0] == pcnhub.OrgUrgentCare && len(s.ODSCodes) == 0) ||
					(len(s.OrgTypes) == 0 && reflect.DeepEqual(s.ODSCodes, members)))
			if !ea {
				t.Errorf("hub slot %s: bookable %v, window %s, types %v, ODS %v", local, s.Bookable, s.BookingWindow, s.OrgTypes, s.ODSCodes)
			}
			continue
		}
		if wd == time.Saturday || wd == time.Sunday || hm < "08:30" || endHM > "18:00" || (hm >= "12:00" && hm < "14:00") {
			t.Errorf("practice slot outside core sessions: %s %s", org, local)
		}
		perDay[orgDay{org, d}]++
		if s.DeliveryChannel == schedule.Visit {
			visits[orgDay{org, d}]++
		}
		if s.VisibleTo(schedule.SearchFilter{OrgType: pcnhub.OrgUrgentCare, ODS: nhs111ODS}) {
			reserved[orgDay{org, d}]++
			if len(s.OrgTypes) != 1 || s.OrgTypes[0] != pcnhub.OrgUrgentCare {
				t.Errorf("slot %s %s visible to NHS 111 without being reserved for urgent-care", org, local)
			}
		}
		// A practice consumer sees only the pharmacist reviews.
		if s.VisibleTo(schedule.SearchFilter{OrgType: pcnhub.OrgGPPractice, ODS: "A99992"}) && s.ServiceType != typePharmacist {
			t.Errorf("slot %s %s (%s) visible to another practice", org, local, s.ServiceType)
		}
	}
	for _, p := range practices {
		duty := schedule.NHS111Duty(p.listSize)
		for i := range SlotDays {
			d := slotDay.AddDays(i)
			wd := d.Time(time.UTC).Weekday()
			if wd == time.Saturday || wd == time.Sunday {
				continue
			}
			k := orgDay{p.ods, d}
			if perDay[k] < 100 {
				t.Errorf("%s on %s: %d slots", p.ods, d, perDay[k])
			}
			if reserved[k] < duty {
				t.Errorf("%s (%d patients) on %s: %d slots for NHS 111, want ≥ %d", p.ods, p.listSize, d, reserved[k], duty)
			}
			if visits[k] != 1 {
				t.Errorf("%s on %s: %d home visits, want 1", p.ods, d, visits[k])
			}
		}
	}
	total := len(slots)
	if channels[schedule.InPerson] < total/2 || channels[schedule.Telephone] < total/20 || channels[schedule.Video] == 0 {
		t.Errorf("channels %v", channels)
	}
	for _, ty := range []string{typeRoutineGP, typeSameDayGP, type111, typePharmacist, typeHCA, typeBloodTest, typeAntenatal,
		typeHomeVisit, typeRegistrar, typeEnhancedGP, typeEnhancedPharm} {
		if types[ty] == 0 {
			t.Errorf("no %q slot", ty)
		}
	}
}

func TestSlotRules(t *testing.T) {
	slots := collectSlots(slotDay)
	checkDemoSlots(t, slots)
	t.Logf("%d slots over %d days", len(slots), SlotDays)

	// Appointments: single slots, ~5% of them, never an NHS 111 slot,
	// each for an active patient of the practice.
	bySlot := map[[2]int64]schedule.Slot{}
	for _, s := range slots {
		bySlot[[2]int64{s.ScheduleID, s.Start.UnixMicro()}] = s
	}
	ds := Dataset()
	orgOf := map[int64]pcnhub.ODSCode{}
	for _, sc := range ds.Schedules {
		orgOf[sc.ID] = sc.OrgODS
	}
	active := map[pcnhub.NHSNumber]pcnhub.ODSCode{}
	for ods, p := range ds.Patients {
		if p.Registration.Status == pcnhub.RegActive {
			active[p.NHSNumber] = ods
		}
	}
	n, visits := 0, 0
	for a := range ds.Appointments(slotDay) {
		n++
		s, ok := bySlot[[2]int64{a.ScheduleID, a.Start.UnixMicro()}]
		if !ok || !s.End.Equal(a.End) {
			t.Fatalf("appointment %+v matches no slot", a)
		}
		if s.ServiceType == type111 || orgOf[a.ScheduleID] == hubODS {
			t.Errorf("appointment in a %s slot of %s", s.ServiceType, orgOf[a.ScheduleID])
		}
		if active[a.Patient] != orgOf[a.ScheduleID] {
			t.Errorf("appointment at %s for %s, not an active patient of it", orgOf[a.ScheduleID], a.Patient)
		}
		if a.Description == "" || a.BookedVia != schedule.BookedViaPractice || a.BookingOrganisation.ODS != orgOf[a.ScheduleID] {
			t.Errorf("appointment %+v", a.Appointment)
		}
		if s.DeliveryChannel == schedule.Visit {
			visits++
			if a.Comment == "" {
				t.Errorf("visit without a comment")
			}
		}
	}
	if pm := n * 1000 / len(slots); pm < 40 || pm > 70 {
		t.Errorf("%d appointments for %d slots (%d‰), want about 5%%", n, len(slots), pm)
	}
	if visits == 0 {
		t.Error("no home visit is booked")
	}
	t.Logf("%d appointments (%d home visits)", n, visits)
}

// The demo data set loaded into the store: every practice has slots each
// weekday for six weeks, the 111 duty is met every weekday, no Visit slot
// is bookable, and loading twice on the same day changes nothing.
func TestDemoSlotsThroughTheStore(t *testing.T) {
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
			start := time.Now()
			st, err := s.LoadDataset(ctx, ds, "test")
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("first load %s: %d schedules, slots %+v, appointments %+v", time.Since(start).Round(time.Millisecond),
				st.Schedules, st.Slots, st.Appointments)
			if st.Slots.Inserted == 0 || st.Slots.Unchanged != 0 || st.Appointments.Inserted == 0 || st.Appointments.Unchanged != 0 {
				t.Fatalf("first load: %+v", st)
			}
			var stored []schedule.Slot
			var free int
			for _, o := range ds.Organisations {
				org, err := s.OrganisationByODS(ctx, o.ODS)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.FreeSlots(ctx, org.ID, slotDay.Time(pcnhub.London), slotDay.AddDays(SlotDays).Time(pcnhub.London))
				if err != nil {
					t.Fatal(err)
				}
				free += len(got)
				stored = append(stored, got...)
			}
			// Booked slots too: they are still slots of the day.
			var ids []int64
			rows, err := s.DB().QueryContext(ctx, `SELECT id FROM slots WHERE status <> 'free'`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ids = append(ids, id)
			}
			rows.Close()
			busy, err := s.SlotsByID(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			if len(busy) != st.Appointments.Inserted || free+len(busy) != st.Slots.Inserted {
				t.Fatalf("%d free + %d busy slots, %d appointments, %d slots written", free, len(busy), st.Appointments.Inserted, st.Slots.Inserted)
			}
			checkDemoSlots(t, append(stored, busy...))
			var bookableVisits int
			if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM slots WHERE delivery_channel = 'Visit' AND bookable`).Scan(&bookableVisits); err != nil || bookableVisits != 0 {
				t.Errorf("%d bookable Visit slots (%v)", bookableVisits, err)
			}

			start = time.Now()
			again, err := s.LoadDataset(ctx, ds, "test")
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("second load %s", time.Since(start).Round(time.Millisecond))
			if again.Slots != (sqlstore.UpsertStats{Unchanged: st.Slots.Inserted}) ||
				again.Appointments != (sqlstore.UpsertStats{Unchanged: st.Appointments.Inserted}) ||
				again.Patients.Inserted+again.Patients.Updated != 0 {
				t.Fatalf("second load on the same day: %+v", again)
			}
			var maxVersion int64
			if err := s.DB().QueryRowContext(ctx, `SELECT MAX(version) FROM schedules`).Scan(&maxVersion); err != nil || maxVersion != 1 {
				t.Errorf("schedule versions up to %d after a second load (%v)", maxVersion, err)
			}
			var appts int
			if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM appointments`).Scan(&appts); err != nil || appts != st.Appointments.Inserted {
				t.Errorf("%d appointments after a second load, want %d (%v)", appts, st.Appointments.Inserted, err)
			}
		})
	}
}

// Every slot type of the demo maps to a published GPAD category and setting.
func TestDemoSlotTypesAreMapped(t *testing.T) {
	mapped := map[string]bool{}
	for _, m := range slotCategories {
		if c, ok := gpad.Category(m.Category); !ok || c != m.Category {
			t.Errorf("%s: category %q is not a published name", m.SlotType, m.Category)
		}
		if s, ok := gpad.Setting(m.Setting); !ok || s != m.Setting {
			t.Errorf("%s: setting %q is not a published name", m.SlotType, m.Setting)
		}
		mapped[m.SlotType] = true
	}
	for sl := range Dataset().Slots(ReferenceDate) {
		if !mapped[sl.ServiceType] {
			t.Fatalf("slot type %q has no GPAD mapping", sl.ServiceType)
		}
	}
}
