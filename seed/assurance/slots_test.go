package assurance

import (
	"context"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// The "Slots" conditions of Part A, checked through the store after
// loading the data set on a fixed day (2026-10-20, so that the windows
// cross the BST change of 2026-10-25), on every engine. The literals are
// the reference's, not the package's constants.
func TestSlotConditionsThroughTheStore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 10, 20, 16, 30, 0, 0, pcnhub.London)
	today := pcnhub.DateOf(now)
	day := func(d pcnhub.Date) time.Time { return d.Time(pcnhub.London) }
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			s := sqltest.Open(t, engine, pcnhub.FixedClock(now))
			st, err := s.LoadDataset(ctx, Dataset(), "test")
			if err != nil {
				t.Fatal(err)
			}
			if st.Schedules != 5 || st.Slots.Inserted == 0 || st.Appointments != (sqlstore.UpsertStats{}) {
				t.Fatalf("load: %+v", st)
			}
			org := func(ods pcnhub.ODSCode) int64 {
				o, err := s.OrganisationByODS(ctx, ods)
				if err != nil {
					t.Fatal(err)
				}
				return o.ID
			}
			org1, org2, org3 := org("B82617"), org("R1A14"), org("X12345")
			free := func(orgID int64, from, to time.Time) []schedule.Slot {
				got, err := s.FreeSlots(ctx, orgID, from, to)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			visible := func(slots []schedule.Slot, f schedule.SearchFilter) int {
				n := 0
				for i := range slots {
					if slots[i].VisibleTo(f) {
						n++
					}
				}
				return n
			}
			suite := schedule.SearchFilter{OrgType: pcnhub.OrgUrgentCare, ODS: "B82617"}

			// Every 14-day window starting today or on any of the next
			// 13 days (the suite searches tomorrow → +14).
			for i := range 14 {
				from := day(today.AddDays(i))
				to := day(today.AddDays(i + 14))
				s1 := free(org1, from, to)
				if n := visible(s1, suite); n < 30 {
					t.Errorf("ORG1 %s → %s: %d slots visible to urgent-care B82617, want ≥ 30", from.Format(time.DateOnly), to.Format(time.DateOnly), n)
				}
				if n := visible(s1, schedule.SearchFilter{}); n < 30 {
					t.Errorf("ORG1 %s: %d slots visible with no filter, want ≥ 30", from.Format(time.DateOnly), n)
				}
				s2 := free(org2, from, to)
				if n := visible(s2, suite); n < 20 {
					t.Errorf("ORG2 %s: %d slots visible, want ≥ 20", from.Format(time.DateOnly), n)
				}
			}
			// The rest of today still has slots the suite can book.
			if n := visible(free(org1, now, day(today.AddDays(1))), suite); n == 0 {
				t.Errorf("no ORG1 slot later today")
			}
			if got := free(org3, day(pcnhub.Date{Year: 2017, Month: 1, Day: 1}), day(today.AddDays(60))); len(got) != 0 {
				t.Errorf("ORG3 has %d slots, want none", len(got))
			}

			// Slot types, session names, channels, locations, practitioners.
			all := free(org1, day(today), day(today.AddDays(14)))
			all = append(all, free(org2, day(today), day(today.AddDays(14)))...)
			ids := map[int64]bool{}
			for _, sl := range all {
				ids[sl.ScheduleID] = true
				if sl.ServiceType == "" {
					t.Errorf("slot %d has no slot type", sl.ID)
				}
				if sl.DeliveryChannel != schedule.InPerson && sl.DeliveryChannel != schedule.Telephone {
					t.Errorf("slot %d: channel %s", sl.ID, sl.DeliveryChannel)
				}
				if sl.End.Sub(sl.Start) < 5*time.Minute {
					t.Errorf("slot %d is %s long", sl.ID, sl.End.Sub(sl.Start))
				}
			}
			var idList []int64
			for id := range ids {
				idList = append(idList, id)
			}
			scheds, err := s.SchedulesByID(ctx, idList)
			if err != nil || len(scheds) != len(idList) {
				t.Fatalf("schedules: %d of %d, %v", len(scheds), len(idList), err)
			}
			practs := map[int64]bool{}
			for _, sc := range scheds {
				if sc.ServiceCategory == "" || sc.PractitionerRoleCode != "R0260" || sc.PractitionerRoleDisplay != "General Medical Practitioner" {
					t.Errorf("schedule %d: %+v", sc.ID, sc)
				}
				switch sc.OrganisationID {
				case org1:
					if sc.LocationID != 1 {
						t.Errorf("ORG1 schedule %d at location %d, want 1", sc.ID, sc.LocationID)
					}
					switch sc.PractitionerID {
					case 1, 2, 3, 5:
						practs[sc.PractitionerID] = true
					default:
						t.Errorf("ORG1 schedule %d: practitioner %d", sc.ID, sc.PractitionerID)
					}
				case org2:
					if sc.LocationID != 8 {
						t.Errorf("ORG2 schedule %d at location %d, want 8", sc.ID, sc.LocationID)
					}
				default:
					t.Errorf("schedule %d of organisation %d", sc.ID, sc.OrganisationID)
				}
			}
			if len(practs) != 4 {
				t.Errorf("ORG1 schedules use practitioners %v, want 1, 2, 3 and 5", practs)
			}

			// The fixed historic ORG1 slots.
			for _, h := range []struct {
				day  pcnhub.Date
				time string
			}{{pcnhub.Date{Year: 2017, Month: 2, Day: 26}, "10:35"}, {pcnhub.Date{Year: 2017, Month: 1, Day: 2}, "12:40"}, {pcnhub.Date{Year: 2017, Month: 12, Day: 29}, "12:40"}} {
				got := free(org1, day(h.day), day(h.day.AddDays(1)))
				if len(got) != 1 || got[0].Start.In(pcnhub.London).Format("15:04") != h.time || got[0].End.Sub(got[0].Start) < 5*time.Minute ||
					visible(got, suite) != 1 {
					t.Errorf("ORG1 on %s: %+v, want one visible slot at %s of at least 5 minutes", h.day, got, h.time)
				}
			}
			var n int
			if err := s.DB().QueryRowContext(ctx, rebind(s, `SELECT COUNT(*) FROM slots WHERE org_id = ? AND start_us >= ? AND start_us < ?`),
				org1, day(pcnhub.Date{Year: 2017, Month: 12, Day: 29}).UnixMicro(), day(pcnhub.Date{Year: 2017, Month: 12, Day: 30}).UnixMicro()).Scan(&n); err != nil || n != 1 {
				t.Errorf("ORG1 has %d slots of any status on 2017-12-29, want 1 (%v)", n, err)
			}

			// Loading again on the same day changes nothing.
			st, err = s.LoadDataset(ctx, Dataset(), "test")
			if err != nil || st.Slots.Inserted != 0 || st.Slots.Unchanged == 0 {
				t.Fatalf("second load: %+v %v", st, err)
			}
		})
	}
}

func rebind(s *sqlstore.Store, q string) string {
	if s.Dialect() != sqlstore.Postgres {
		return q
	}
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, '$', byte('0'+n))
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// Pure checks of the slot sequence.
func TestSlotsSequence(t *testing.T) {
	today := pcnhub.Date{Year: 2026, Month: 10, Day: 20}
	seen := map[[2]int64]bool{}
	n := 0
	for sl := range Dataset().Slots(today) {
		key := [2]int64{sl.ScheduleID, sl.Start.UnixMicro()}
		if seen[key] {
			t.Errorf("slot of schedule %d at %s twice", sl.ScheduleID, sl.Start)
		}
		seen[key] = true
		if !sl.Bookable || sl.Status != schedule.SlotFree || sl.DeliveryChannel == schedule.Visit {
			t.Errorf("slot %+v", sl)
		}
		n++
	}
	if want := 3 + RollingSlotDays*(12+4); n != want {
		t.Errorf("%d slots, want %d", n, want)
	}
	// Deterministic and stops early.
	var a, b []schedule.Slot
	for sl := range Dataset().Slots(today) {
		a = append(a, sl)
	}
	for sl := range Dataset().Slots(today) {
		b = append(b, sl)
	}
	for i := range a {
		if !a[i].Start.Equal(b[i].Start) || a[i].ScheduleID != b[i].ScheduleID {
			t.Fatalf("slot %d differs", i)
		}
	}
	i := 0
	for range Dataset().Slots(today) {
		i++
		if i == 5 {
			break
		}
	}
}
