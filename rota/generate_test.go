package rota

import (
	"slices"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// simpleSession runs on weekdays 08:30–12:00 with 10-minute slots.
func simpleSession() Session {
	return Session{
		Name: "simple", Days: weekdays, Start: hm(8, 30), End: hm(12, 0),
		Location: "Riverside Surgery", SlotMinutes: 10, SlotType: "Routine", SessionName: "Morning",
		Channel: schedule.Telephone, Bookable: true,
		BookingWindow: Duration(14 * 24 * time.Hour), Embargo: Duration(time.Hour),
	}
}

// slotAt returns the slot starting at the instant, or nil.
func slotAt(slots []schedule.Slot, start time.Time) *schedule.Slot {
	for i := range slots {
		if slots[i].Start.Equal(start) {
			return &slots[i]
		}
	}
	return nil
}

// onDay returns the slots that start on the London date d.
func onDay(slots []schedule.Slot, d pcnhub.Date) []schedule.Slot {
	var out []schedule.Slot
	for _, s := range slots {
		if londonDay(s.Start) == d {
			out = append(out, s)
		}
	}
	return out
}

// utcWall is the instant of wall-clock time h:m on d when London is
// offset hours ahead of UTC — worked out without the zone database.
func utcWall(d pcnhub.Date, h, m, offset int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, h-offset, m, 0, 0, time.UTC)
}

func TestGenerateSimpleWeek(t *testing.T) {
	for _, week := range []struct {
		name   string
		monday pcnhub.Date
		offset int // London's UTC offset that week, in hours
	}{
		{"winter", date(2026, 11, 2), 0},
		{"summer", date(2026, 6, 1), 1},
	} {
		t.Run(week.name, func(t *testing.T) {
			b := &Book{Organisation: "A99991", Sessions: []Session{simpleSession()}}
			from, to := week.monday.AddDays(-2), week.monday.AddDays(7) // Sat … Sun
			got := Generate(b, from, to, Env{})
			if len(got) != 1 {
				t.Fatalf("got %d sessions, want 1", len(got))
			}
			// Expected slots from first principles.
			var want []schedule.Slot
			for i := 0; i < 9; i++ {
				d := from.AddDays(i)
				wd := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday()
				if wd == time.Saturday || wd == time.Sunday {
					continue
				}
				for m := 8*60 + 30; m+10 <= 12*60; m += 10 {
					start := utcWall(d, m/60, m%60, week.offset)
					want = append(want, schedule.Slot{
						Start: start, End: start.Add(10 * time.Minute), Status: schedule.SlotFree,
						ServiceType: "Routine", DeliveryChannel: schedule.Telephone, Bookable: true,
						BookingWindow: 14 * 24 * time.Hour, Embargo: time.Hour,
					})
				}
			}
			if len(want) != 5*21 {
				t.Fatalf("test is wrong: %d expected slots", len(want))
			}
			if len(got[0]) != len(want) {
				t.Fatalf("got %d slots, want %d", len(got[0]), len(want))
			}
			for i, w := range want {
				g := got[0][i]
				if !g.Start.Equal(w.Start) || !g.End.Equal(w.End) {
					t.Fatalf("slot %d: %v–%v, want %v–%v", i, g.Start, g.End, w.Start, w.End)
				}
				g.Start, g.End = w.Start, w.End
				if !slotFieldsEqual(g, w) || g.ID != 0 || g.ScheduleID != 0 || g.Version != 0 {
					t.Fatalf("slot %d: %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// slotFieldsEqual compares slots field by field (times as instants).
func slotFieldsEqual(a, b schedule.Slot) bool {
	return a.ID == b.ID && a.ScheduleID == b.ScheduleID && a.Start.Equal(b.Start) && a.End.Equal(b.End) &&
		a.Status == b.Status && a.ServiceType == b.ServiceType && a.DeliveryChannel == b.DeliveryChannel &&
		a.Bookable == b.Bookable && slices.Equal(a.OrgTypes, b.OrgTypes) && slices.Equal(a.ODSCodes, b.ODSCodes) &&
		a.BookingWindow == b.BookingWindow && a.Embargo == b.Embargo && a.Version == b.Version
}

func TestGenerateOneListPerSession(t *testing.T) {
	b := validBook()
	// 2026-11-07 and 08 are a weekend: no session runs.
	got := Generate(b, date(2026, 11, 7), date(2026, 11, 9), Env{})
	if len(got) != len(b.Sessions) {
		t.Fatalf("got %d lists, want %d", len(got), len(b.Sessions))
	}
	for i, l := range got {
		if len(l) != 0 {
			t.Errorf("session %d: %d slots at the weekend", i, len(l))
		}
	}
	// An empty range yields nothing; so does a reversed one.
	for _, r := range [][2]pcnhub.Date{{date(2026, 11, 2), date(2026, 11, 2)}, {date(2026, 11, 9), date(2026, 11, 2)}} {
		for i, l := range Generate(b, r[0], r[1], Env{}) {
			if len(l) != 0 {
				t.Errorf("range %v: session %d has %d slots", r, i, len(l))
			}
		}
	}
}

func TestGenerateSlotRules(t *testing.T) {
	b, err := Decode(readTestdata(t, "riverside.yaml"), YAML)
	if err != nil {
		t.Fatal(err)
	}
	monday := date(2026, 11, 2)
	got := Generate(b, monday, monday.AddDays(7), Env{})
	gp := got[0]
	if len(gp) != 5*21 {
		t.Fatalf("got %d slots, want 105", len(gp))
	}
	if len(got[1]) != 0 {
		t.Errorf("nurse-bloods runs from 2026-12-01 but has %d slots in November", len(got[1]))
	}
	for i := 0; i < 5; i++ {
		d := monday.AddDays(i)
		for m := 8*60 + 30; m < 12*60; m += 10 {
			sl := slotAt(gp, utcWall(d, m/60, m%60, 0))
			if sl == nil {
				t.Fatalf("%s: no slot at minute %d", d, m)
			}
			want := schedule.Slot{
				Start: sl.Start, End: sl.Start.Add(10 * time.Minute), Status: schedule.SlotFree,
				ServiceType: "Routine GP appointment", DeliveryChannel: schedule.InPerson,
				BookingWindow: 28 * 24 * time.Hour,
			}
			switch m {
			case 9 * 60: // the 111 slot
				want.ServiceType = "NHS 111 direct booking appointment"
				want.Bookable = true
				want.OrgTypes = []pcnhub.OrgType{pcnhub.OrgUrgentCare}
				want.Embargo = 30 * time.Minute
			case 10*60 + 30, 10*60 + 40: // blocked
				want.Status = schedule.SlotBusyUnavailable
			}
			if !slotFieldsEqual(*sl, want) {
				t.Errorf("%s %02d:%02d: got %+v, want %+v", d, m/60, m%60, *sl, want)
			}
		}
	}
}

func TestGenerateDateRuleAndRuleOrder(t *testing.T) {
	s := simpleSession()
	s.Slots = []SlotRule{
		{At: hm(11, 0), Date: date(2026, 11, 4), Blocked: true},
		{At: hm(9, 0), Count: 3, SlotType: ptr("First")},
		{At: hm(9, 10), SlotType: ptr("Second"), Bookable: ptr(false), BookingWindow: ptr(Duration(0)), Embargo: ptr(Duration(2 * time.Hour))},
		{At: hm(9, 40), Count: 2, SlotType: ptr("Third")},
		{At: hm(9, 40), SlotType: ptr("Fourth")},
	}
	b := &Book{Organisation: "A99991", Sessions: []Session{s}}
	monday := date(2026, 11, 2)
	got := Generate(b, monday, monday.AddDays(5), Env{})[0]
	for i := 0; i < 5; i++ {
		d := monday.AddDays(i)
		at := func(h, m int) *schedule.Slot {
			sl := slotAt(got, utcWall(d, h, m, 0))
			if sl == nil {
				t.Fatalf("%s: no slot at %02d:%02d", d, h, m)
			}
			return sl
		}
		wantBlocked := d == date(2026, 11, 4)
		if blocked := at(11, 0).Status == schedule.SlotBusyUnavailable; blocked != wantBlocked {
			t.Errorf("%s 11:00 blocked = %v, want %v", d, blocked, wantBlocked)
		}
		for _, tc := range []struct {
			h, m     int
			typ      string
			bookable bool
			window   time.Duration
			embargo  time.Duration
		}{
			{8, 50, "Routine", true, 14 * 24 * time.Hour, time.Hour},
			{9, 0, "First", true, 14 * 24 * time.Hour, time.Hour},
			{9, 10, "Second", false, 0, 2 * time.Hour}, // the later rule wins
			{9, 20, "First", true, 14 * 24 * time.Hour, time.Hour},
			{9, 30, "Routine", true, 14 * 24 * time.Hour, time.Hour},
			{9, 40, "Fourth", true, 14 * 24 * time.Hour, time.Hour},
			{9, 50, "Third", true, 14 * 24 * time.Hour, time.Hour},
			{10, 0, "Routine", true, 14 * 24 * time.Hour, time.Hour},
		} {
			sl := at(tc.h, tc.m)
			if sl.ServiceType != tc.typ || sl.Bookable != tc.bookable || sl.BookingWindow != tc.window || sl.Embargo != tc.embargo || sl.Status != schedule.SlotFree {
				t.Errorf("%s %02d:%02d: got %+v, want type %q, bookable %v, window %v, embargo %v", d, tc.h, tc.m, *sl, tc.typ, tc.bookable, tc.window, tc.embargo)
			}
		}
	}
	// The date rule blocks exactly one slot in the week.
	n := 0
	for _, sl := range got {
		if sl.Status == schedule.SlotBusyUnavailable {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d blocked slots, want 1", n)
	}
}

func TestGenerateClosuresAndBankHolidays(t *testing.T) {
	// Mon 2026-12-21 … Sun 2027-01-03: bank holidays on Fri 25, Mon 28 Dec
	// and Fri 1 Jan; the practice is closed on Thu 24 Dec.
	from, to := date(2026, 12, 21), date(2027, 1, 4)
	env := Env{BankHolidays: map[pcnhub.Date]bool{date(2026, 12, 25): true, date(2026, 12, 28): true, date(2027, 1, 1): true}}
	closure := Period{From: date(2026, 12, 24), To: date(2026, 12, 24), Reason: "Training"}
	for _, tc := range []struct {
		policy string
		closed []pcnhub.Date
	}{
		{"", []pcnhub.Date{date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}},
		{BankHolidaysClosed, []pcnhub.Date{date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}},
		{BankHolidaysOpen, []pcnhub.Date{date(2026, 12, 24)}},
	} {
		b := &Book{Organisation: "A99991", BankHolidays: tc.policy, Closures: []Period{closure}, Sessions: []Session{simpleSession(), simpleSession()}}
		b.Sessions[1].Name, b.Sessions[1].Start, b.Sessions[1].End = "pm", hm(14, 0), hm(15, 0)
		got := Generate(b, from, to, env)
		for si, slots := range got {
			for d := from; d.Before(to); d = d.AddDays(1) {
				wd := d.Time(time.UTC).Weekday()
				want := wd != time.Saturday && wd != time.Sunday && !slices.Contains(tc.closed, d)
				per := 21
				if si == 1 {
					per = 6
				}
				if n := len(onDay(slots, d)); want && n != per || !want && n != 0 {
					t.Errorf("policy %q, session %d, %s: %d slots, want open=%v", tc.policy, si, d, n, want)
				}
			}
		}
	}
	// A closure spanning several days.
	b := &Book{Organisation: "A99991", Closures: []Period{{From: date(2026, 11, 3), To: date(2026, 11, 5)}}, Sessions: []Session{simpleSession()}}
	got := Generate(b, date(2026, 11, 2), date(2026, 11, 7), Env{})[0]
	for d, want := range map[pcnhub.Date]int{date(2026, 11, 2): 21, date(2026, 11, 3): 0, date(2026, 11, 4): 0, date(2026, 11, 5): 0, date(2026, 11, 6): 21} {
		if n := len(onDay(got, d)); n != want {
			t.Errorf("%s: %d slots, want %d", d, n, want)
		}
	}
}

func TestGenerateSuspensionsAndFromUntil(t *testing.T) {
	s := simpleSession()
	s.From, s.Until = date(2026, 11, 3), date(2026, 11, 12)
	s.Suspensions = []Period{{From: date(2026, 11, 5), To: date(2026, 11, 6)}, {From: date(2026, 11, 10), To: date(2026, 11, 10)}}
	b := &Book{Organisation: "A99991", Sessions: []Session{s}}
	got := Generate(b, date(2026, 11, 1), date(2026, 11, 20), Env{})[0]
	running := []pcnhub.Date{date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 11), date(2026, 11, 12)}
	for d := date(2026, 11, 1); d.Before(date(2026, 11, 20)); d = d.AddDays(1) {
		want := 0
		if slices.Contains(running, d) {
			want = 21
		}
		if n := len(onDay(got, d)); n != want {
			t.Errorf("%s: %d slots, want %d", d, n, want)
		}
	}
	if len(got) != 5*21 {
		t.Errorf("%d slots, want %d", len(got), 5*21)
	}
}

func TestGenerateRestrictions(t *testing.T) {
	s := simpleSession()
	s.Restrictions = Restrictions{
		OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare, pcnhub.OrgGPPractice, pcnhub.OrgUrgentCare},
		ODSCodes: []pcnhub.ODSCode{"Y00002", "B82001"},
		Groups:   []string{"EA", "EA2"},
	}
	s.Slots = []SlotRule{
		{At: hm(9, 0), Restrictions: &Restrictions{Groups: []string{"EA2"}}},
		{At: hm(9, 10), Restrictions: &Restrictions{}}, // lifts the restrictions
	}
	env := Env{Groups: map[string][]pcnhub.ODSCode{
		"EA":  {"Y00001", "B82001"},
		"EA2": {"B82001", "A00001"},
	}}
	b := &Book{Organisation: "A99991", Sessions: []Session{s}}
	d := date(2026, 11, 2)
	got := Generate(b, d, d.AddDays(1), env)[0]
	check := func(h, m int, types []pcnhub.OrgType, codes []pcnhub.ODSCode) {
		t.Helper()
		sl := slotAt(got, utcWall(d, h, m, 0))
		if !slices.Equal(sl.OrgTypes, types) || !slices.Equal(sl.ODSCodes, codes) {
			t.Errorf("%02d:%02d: types %v, codes %v; want %v, %v", h, m, sl.OrgTypes, sl.ODSCodes, types, codes)
		}
	}
	check(8, 30, []pcnhub.OrgType{pcnhub.OrgGPPractice, pcnhub.OrgUrgentCare}, []pcnhub.ODSCode{"A00001", "B82001", "Y00001", "Y00002"})
	check(9, 0, nil, []pcnhub.ODSCode{"A00001", "B82001"}) // the rule replaces types, codes and groups
	check(9, 10, nil, nil)
	check(11, 50, []pcnhub.OrgType{pcnhub.OrgGPPractice, pcnhub.OrgUrgentCare}, []pcnhub.ODSCode{"A00001", "B82001", "Y00001", "Y00002"})
	// Neither the book nor the environment is changed.
	if !slices.Equal(env.Groups["EA"], []pcnhub.ODSCode{"Y00001", "B82001"}) || !slices.Equal(env.Groups["EA2"], []pcnhub.ODSCode{"B82001", "A00001"}) {
		t.Errorf("env.Groups changed: %v", env.Groups)
	}
	if !slices.Equal(b.Sessions[0].Restrictions.OrgTypes, []pcnhub.OrgType{pcnhub.OrgUrgentCare, pcnhub.OrgGPPractice, pcnhub.OrgUrgentCare}) ||
		!slices.Equal(b.Sessions[0].Restrictions.ODSCodes, []pcnhub.ODSCode{"Y00002", "B82001"}) {
		t.Errorf("book's restrictions changed: %+v", b.Sessions[0].Restrictions)
	}
}

// The rule at 09:00 overrides the session's restrictions only, and says
// nothing of org types: a rule's Restrictions replace all three lists.
func TestGenerateRuleRestrictionsReplaceAll(t *testing.T) {
	s := simpleSession()
	s.Restrictions = Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgGPPractice}}
	s.Slots = []SlotRule{{At: hm(9, 0), Restrictions: &Restrictions{ODSCodes: []pcnhub.ODSCode{"A00001"}}}}
	d := date(2026, 11, 2)
	got := Generate(&Book{Organisation: "A99991", Sessions: []Session{s}}, d, d.AddDays(1), Env{})[0]
	sl := slotAt(got, utcWall(d, 9, 0, 0))
	if len(sl.OrgTypes) != 0 || !slices.Equal(sl.ODSCodes, []pcnhub.ODSCode{"A00001"}) {
		t.Errorf("got types %v, codes %v", sl.OrgTypes, sl.ODSCodes)
	}
}

func TestGenerateVisitNeverBookable(t *testing.T) {
	visit := simpleSession()
	visit.Name, visit.Channel, visit.Bookable = "visit", schedule.Visit, true // invalid, but Generate still refuses
	visit.Slots = []SlotRule{{At: hm(9, 0), Bookable: ptr(true)}, {At: hm(9, 10), Channel: ptr(schedule.Telephone)}}
	phone := simpleSession()
	phone.Name = "phone"
	phone.Slots = []SlotRule{{At: hm(9, 0), Channel: ptr(schedule.Visit)}, {At: hm(9, 10), Channel: ptr(schedule.Visit), Bookable: ptr(true)}}
	d := date(2026, 11, 2)
	got := Generate(&Book{Organisation: "A99991", Sessions: []Session{visit, phone}}, d, d.AddDays(1), Env{})
	for si, slots := range got {
		for _, sl := range slots {
			if sl.DeliveryChannel == schedule.Visit && sl.Bookable {
				t.Errorf("session %d: bookable Visit slot %+v", si, sl)
			}
		}
	}
	// The Visit session's 09:10 slot, made a telephone slot, keeps the
	// session's unbookable-as-a-visit value: false.
	if sl := slotAt(got[0], utcWall(d, 9, 10, 0)); sl.DeliveryChannel != schedule.Telephone || sl.Bookable {
		t.Errorf("visit 09:10: %+v", *sl)
	}
	// The telephone session's other slots stay bookable.
	if sl := slotAt(got[1], utcWall(d, 9, 20, 0)); !sl.Bookable || sl.DeliveryChannel != schedule.Telephone {
		t.Errorf("phone 09:20: %+v", *sl)
	}
	if n := len(got[0]); n != 21 {
		t.Errorf("visit session: %d slots, want 21", n)
	}
}

// checkContiguous asserts that slots are distinct instants, each length
// long, each starting where the previous one ended.
func checkContiguous(t *testing.T, slots []schedule.Slot, first time.Time, length time.Duration) {
	t.Helper()
	seen := map[int64]bool{}
	for i, sl := range slots {
		want := first.Add(time.Duration(i) * length)
		if !sl.Start.Equal(want) || sl.End.Sub(sl.Start) != length {
			t.Errorf("slot %d: %v–%v, want %v + %v", i, sl.Start.UTC(), sl.End.UTC(), want.UTC(), length)
		}
		if seen[sl.Start.UnixNano()] {
			t.Errorf("slot %d: start %v used twice", i, sl.Start.UTC())
		}
		seen[sl.Start.UnixNano()] = true
	}
}

func TestGenerateClockChanges(t *testing.T) {
	s := Session{
		Name: "night", Days: days(time.Sunday), Start: hm(0, 0), End: hm(3, 0),
		Location: "Riverside Surgery", SlotMinutes: 30, SlotType: "Night", SessionName: "Night", Channel: schedule.Telephone,
	}
	b := &Book{Organisation: "A99991", Sessions: []Session{s}}
	for _, tc := range []struct {
		name  string
		day   pcnhub.Date
		first time.Time // 00:00 London in UTC
		n     int
	}{
		// Clocks go forward at 01:00 GMT: 00:00 GMT to 03:00 BST is 2 hours.
		{"spring", date(2027, 3, 28), time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC), 4},
		// Clocks go back at 02:00 BST: 00:00 BST to 03:00 GMT is 4 hours.
		{"autumn", date(2026, 10, 25), time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC), 8},
		// An ordinary Sunday.
		{"ordinary", date(2026, 11, 1), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if wd := tc.day.Time(time.UTC).Weekday(); wd != time.Sunday {
				t.Fatalf("test is wrong: %s is a %s", tc.day, wd)
			}
			got := Generate(b, tc.day, tc.day.AddDays(1), Env{})[0]
			if len(got) != tc.n {
				t.Fatalf("got %d slots, want %d: %v", len(got), tc.n, got)
			}
			checkContiguous(t, got, tc.first, 30*time.Minute)
			// The session ends at 03:00 London time.
			last := got[len(got)-1].End.In(pcnhub.London)
			if last.Hour() != 3 || last.Minute() != 0 || londonDay(last) != tc.day {
				t.Errorf("last slot ends at %v, want 03:00 London", last)
			}
		})
	}
	// A whole-day session: 23, 25 and 24 hours of slots.
	s.Start, s.End, s.SlotMinutes = hm(0, 0), hm(24, 0), 60
	b.Sessions[0] = s
	for day, n := range map[pcnhub.Date]int{date(2027, 3, 28): 23, date(2026, 10, 25): 25, date(2026, 11, 1): 24} {
		got := Generate(b, day, day.AddDays(1), Env{})[0]
		if len(got) != n {
			t.Errorf("%s: %d hourly slots, want %d", day, len(got), n)
			continue
		}
		checkContiguous(t, got, day.Time(pcnhub.London), time.Hour)
		if !got[n-1].End.Equal(day.AddDays(1).Time(pcnhub.London)) {
			t.Errorf("%s: last slot ends %v, want the next midnight", day, got[n-1].End)
		}
	}
}

func TestGenerateWallClockOffsets(t *testing.T) {
	s := simpleSession()
	b := &Book{Organisation: "A99991", Sessions: []Session{s}}
	for _, tc := range []struct {
		day  pcnhub.Date
		want string
		zone string
	}{
		{date(2026, 10, 23), "2026-10-23T08:30:00+01:00", "BST"}, // Friday before the clocks go back
		// time.RFC3339 writes a zero offset as "Z".
		{date(2026, 10, 26), "2026-10-26T08:30:00Z", "GMT"}, // Monday after
		{date(2027, 3, 26), "2027-03-26T08:30:00Z", "GMT"},
		{date(2027, 3, 29), "2027-03-29T08:30:00+01:00", "BST"},
	} {
		got := Generate(b, tc.day, tc.day.AddDays(1), Env{})[0]
		if len(got) != 21 {
			t.Fatalf("%s: %d slots, want 21", tc.day, len(got))
		}
		first := got[0].Start.In(pcnhub.London)
		if f := first.Format(time.RFC3339); f != tc.want {
			t.Errorf("%s: first slot starts %s, want %s", tc.day, f, tc.want)
		}
		if name, _ := first.Zone(); name != tc.zone {
			t.Errorf("%s: zone %s, want %s", tc.day, name, tc.zone)
		}
		if last := got[20].End.In(pcnhub.London); last.Hour() != 12 || last.Minute() != 0 {
			t.Errorf("%s: last slot ends %v, want 12:00", tc.day, last)
		}
	}
}

func TestClockTimeOn(t *testing.T) {
	for _, tc := range []struct {
		c    ClockTime
		d    pcnhub.Date
		want time.Time
	}{
		{hm(8, 30), date(2026, 7, 1), time.Date(2026, 7, 1, 7, 30, 0, 0, time.UTC)},
		{hm(8, 30), date(2026, 12, 1), time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)},
		// 01:30 on the spring night does not exist: read as if the clocks
		// had not changed yet, it is 01:30 GMT (02:30 BST).
		{hm(1, 30), date(2027, 3, 28), time.Date(2027, 3, 28, 1, 30, 0, 0, time.UTC)},
		{hm(24, 0), date(2026, 12, 31), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if got := tc.c.On(tc.d); !got.Equal(tc.want) {
			t.Errorf("%s.On(%s) = %v, want %v", tc.c, tc.d, got.UTC(), tc.want)
		}
	}
}
