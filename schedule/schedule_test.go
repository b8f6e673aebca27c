package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
)

var london = pcnhub.London

func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, london)
}

func freeSlot() Slot {
	start := at(2026, 11, 2, 9, 0)
	return Slot{ID: 1, ScheduleID: 10, Start: start, End: start.Add(10 * time.Minute), Status: SlotFree,
		ServiceType: "Routine GP appointment", DeliveryChannel: InPerson, Bookable: true}
}

func TestVisibleTo(t *testing.T) {
	const (
		uc  = pcnhub.OrgUrgentCare
		gp  = pcnhub.OrgGPPractice
		own = pcnhub.ODSCode("A99991")
		oth = pcnhub.ODSCode("B82617")
	)
	none := SearchFilter{}
	tOnly := SearchFilter{OrgType: uc}
	cOnly := SearchFilter{ODS: own}
	both := SearchFilter{OrgType: uc, ODS: own}
	type restr struct {
		types []pcnhub.OrgType
		ods   []pcnhub.ODSCode
	}
	var (
		unrestricted = restr{}
		typeUC       = restr{types: []pcnhub.OrgType{uc}}
		typeGP       = restr{types: []pcnhub.OrgType{gp}}
		typeBoth     = restr{types: []pcnhub.OrgType{gp, uc}}
		odsOwn       = restr{ods: []pcnhub.ODSCode{oth, own}}
		odsOther     = restr{ods: []pcnhub.ODSCode{oth}}
		ucOwn        = restr{types: []pcnhub.OrgType{uc}, ods: []pcnhub.ODSCode{own}}
		ucOther      = restr{types: []pcnhub.OrgType{uc}, ods: []pcnhub.ODSCode{oth}}
		gpOwn        = restr{types: []pcnhub.OrgType{gp}, ods: []pcnhub.ODSCode{own}}
		gpOther      = restr{types: []pcnhub.OrgType{gp}, ods: []pcnhub.ODSCode{oth}}
	)
	tests := []struct {
		name   string
		r      restr
		f      SearchFilter
		want   bool
		mutate func(*Slot)
	}{
		// Row "none": no type restriction AND no ODS restriction.
		{"none/unrestricted", unrestricted, none, true, nil},
		{"none/type", typeUC, none, false, nil},
		{"none/ods", odsOwn, none, false, nil},
		{"none/type+ods", ucOwn, none, false, nil},
		// Row "T only": no ODS restriction AND (no type restriction OR contains T).
		{"T/unrestricted", unrestricted, tOnly, true, nil},
		{"T/type holds T", typeUC, tOnly, true, nil},
		{"T/type list holds T", typeBoth, tOnly, true, nil},
		{"T/type lacks T", typeGP, tOnly, false, nil},
		{"T/ods", odsOwn, tOnly, false, nil},
		{"T/type holds T+ods", ucOwn, tOnly, false, nil},
		// Row "C only": no type restriction AND (no ODS restriction OR contains C).
		{"C/unrestricted", unrestricted, cOnly, true, nil},
		{"C/ods holds C", odsOwn, cOnly, true, nil},
		{"C/ods lacks C", odsOther, cOnly, false, nil},
		{"C/type", typeUC, cOnly, false, nil},
		{"C/type+ods holds C", ucOwn, cOnly, false, nil},
		// Row "T and C": (no type restriction OR contains T) AND (no ODS restriction OR contains C).
		{"TC/unrestricted", unrestricted, both, true, nil},
		{"TC/type holds T", typeUC, both, true, nil},
		{"TC/type lacks T", typeGP, both, false, nil},
		{"TC/ods holds C", odsOwn, both, true, nil},
		{"TC/ods lacks C", odsOther, both, false, nil},
		{"TC/T and C held", ucOwn, both, true, nil},
		{"TC/T held, C not", ucOther, both, false, nil},
		{"TC/C held, T not", gpOwn, both, false, nil},
		{"TC/neither held", gpOther, both, false, nil},
		// Always: bookable, free, not a visit.
		{"not bookable", unrestricted, none, false, func(s *Slot) { s.Bookable = false }},
		{"busy", unrestricted, both, false, func(s *Slot) { s.Status = SlotBusy }},
		{"busy-tentative", unrestricted, both, false, func(s *Slot) { s.Status = SlotBusyTentative }},
		{"visit", unrestricted, none, false, func(s *Slot) { s.DeliveryChannel = Visit }},
		{"visit reserved for 111", typeUC, both, false, func(s *Slot) { s.DeliveryChannel = Visit }},
		{"telephone", unrestricted, none, true, func(s *Slot) { s.DeliveryChannel = Telephone }},
		{"video", typeUC, tOnly, true, func(s *Slot) { s.DeliveryChannel = Video }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := freeSlot()
			s.OrgTypes, s.ODSCodes = tt.r.types, tt.r.ods
			if tt.mutate != nil {
				tt.mutate(&s)
			}
			if got := s.VisibleTo(tt.f); got != tt.want {
				t.Errorf("VisibleTo(%+v) with types %v, ODS %v = %v, want %v", tt.f, s.OrgTypes, s.ODSCodes, got, tt.want)
			}
		})
	}
}

func TestBookableAt(t *testing.T) {
	start := at(2026, 11, 20, 9, 0)
	tests := []struct {
		name            string
		window, embargo time.Duration
		now             time.Time
		wantErr         string // substring; "" = no error
	}{
		{"no limits, a minute before", 0, 0, start.Add(-time.Minute), ""},
		{"no limits, a year before", 0, 0, start.AddDate(-1, 0, 0), ""},
		{"starts now", 0, 0, start, "already started"},
		{"started", 0, 0, start.Add(time.Minute), "already started"},
		{"inside window", 14 * 24 * time.Hour, 0, start.Add(-13 * 24 * time.Hour), ""},
		{"window boundary", 14 * 24 * time.Hour, 0, start.Add(-14 * 24 * time.Hour), ""},
		{"outside window", 14 * 24 * time.Hour, 0, start.Add(-14*24*time.Hour - time.Minute), "at most 14 days ahead"},
		{"outside embargo", 0, 2 * time.Hour, start.Add(-3 * time.Hour), ""},
		{"embargo boundary", 0, 2 * time.Hour, start.Add(-2 * time.Hour), ""},
		{"inside embargo", 0, 2 * time.Hour, start.Add(-time.Hour), "later than 2h0m before"},
		{"both, between", 7 * 24 * time.Hour, time.Hour, start.Add(-24 * time.Hour), ""},
		{"both, too early", 7 * 24 * time.Hour, time.Hour, start.Add(-8 * 24 * time.Hour), "at most 7 days ahead"},
		{"both, too late", 7 * 24 * time.Hour, time.Hour, start.Add(-30 * time.Minute), "in 30m"},
		{"both, started", 7 * 24 * time.Hour, time.Hour, start.Add(time.Hour), "already started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := freeSlot()
			s.Start, s.End, s.BookingWindow, s.Embargo = start, start.Add(10*time.Minute), tt.window, tt.embargo
			err := s.BookableAt(tt.now)
			checkErr(t, err, pcnhub.EINVALID, tt.wantErr)
		})
	}
}

// checkErr checks that err is nil when want is "", else an *pcnhub.Error
// with code and a message containing want.
func checkErr(t *testing.T, err error, code, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	var e *pcnhub.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want *pcnhub.Error %s containing %q", err, err, code, want)
	}
	if e.Code != code || !strings.Contains(e.Message, want) {
		t.Fatalf("got %s %q, want %s containing %q", e.Code, e.Message, code, want)
	}
}

// run returns n adjacent free slots of schedule 10 from start, each d long.
func run(firstID int64, start time.Time, n int, d time.Duration) []Slot {
	out := make([]Slot, n)
	for i := range out {
		s := freeSlot()
		s.ID = firstID + int64(i)
		s.Start = start.Add(time.Duration(i) * d)
		s.End = s.Start.Add(d)
		out[i] = s
	}
	return out
}

func TestCheckSlotsForBooking(t *testing.T) {
	now := at(2026, 11, 1, 12, 0)
	start := at(2026, 11, 2, 9, 0)
	ten := 10 * time.Minute
	uc := SearchFilter{OrgType: pcnhub.OrgUrgentCare, ODS: "Y99911"}
	tests := []struct {
		name    string
		slots   func() []Slot
		f       SearchFilter
		code    string
		spine   string
		wantErr string
	}{
		{"one slot", func() []Slot { return run(1, start, 1, ten) }, uc, "", "", ""},
		{"three adjacent", func() []Slot { return run(1, start, 3, ten) }, uc, "", "", ""},
		{"three adjacent, given out of order", func() []Slot {
			s := run(1, start, 3, ten)
			s[0], s[2] = s[2], s[0]
			return s
		}, uc, "", "", ""},
		{"adjacent, different lengths", func() []Slot {
			s := run(1, start, 2, ten)
			s[1].End = s[1].Start.Add(15 * time.Minute)
			return s
		}, SearchFilter{}, "", "", ""},
		{"none", func() []Slot { return nil }, uc, pcnhub.EINVALID, "", "at least one slot"},
		{"named twice", func() []Slot { s := run(1, start, 1, ten); return append(s, s[0]) }, uc, pcnhub.EINVALID, "", "slot 1 is named twice"},
		{"not found", func() []Slot {
			return MatchSlots([]int64{1, 99}, run(1, start, 1, ten))
		}, uc, pcnhub.EINVALID, "", "slot 99 does not exist"},
		{"visit", func() []Slot {
			s := run(1, start, 1, ten)
			s[0].DeliveryChannel = Visit
			return s
		}, uc, pcnhub.EINVALID, "", "visits cannot be booked"},
		{"busy", func() []Slot {
			s := run(1, start, 2, ten)
			s[1].Status = SlotBusy
			return s
		}, uc, pcnhub.ECONFLICT, "DUPLICATE_REJECTED", "slot 2 is not free"},
		{"busy-unavailable", func() []Slot {
			s := run(1, start, 1, ten)
			s[0].Status = SlotBusyUnavailable
			return s
		}, uc, pcnhub.ECONFLICT, "DUPLICATE_REJECTED", "not free"},
		{"not bookable", func() []Slot {
			s := run(1, start, 1, ten)
			s[0].Bookable = false
			return s
		}, uc, pcnhub.EINVALID, "", "not bookable through GP Connect"},
		{"reserved for others", func() []Slot {
			s := run(1, start, 1, ten)
			s[0].OrgTypes = []pcnhub.OrgType{pcnhub.OrgGPPractice}
			return s
		}, uc, pcnhub.EINVALID, "", "reserved for other organisations"},
		{"reserved for 111, booked by 111", func() []Slot {
			s := run(1, start, 1, ten)
			s[0].OrgTypes = []pcnhub.OrgType{pcnhub.OrgUrgentCare}
			return s
		}, uc, "", "", ""},
		{"in the past", func() []Slot { return run(1, now.Add(-time.Hour), 1, ten) }, uc, pcnhub.EINVALID, "", "already started"},
		{"outside the booking window", func() []Slot {
			s := run(1, start, 1, ten)
			s[0].BookingWindow = time.Hour
			return s
		}, uc, pcnhub.EINVALID, "", "at most 1h0m ahead"},
		{"inside the embargo", func() []Slot {
			s := run(1, now.Add(30*time.Minute), 1, ten)
			s[0].Embargo = time.Hour
			return s
		}, uc, pcnhub.EINVALID, "", "cannot be booked later than 1h0m"},
		{"gap", func() []Slot {
			s := run(1, start, 3, ten)
			return []Slot{s[0], s[2]}
		}, uc, pcnhub.EINVALID, "", "slot 3 does not start where slot 1 ends"},
		{"overlap", func() []Slot {
			s := run(1, start, 2, ten)
			s[1].Start = s[1].Start.Add(-5 * time.Minute)
			return s
		}, uc, pcnhub.EINVALID, "", "does not start where"},
		{"two schedules", func() []Slot {
			s := run(1, start, 2, ten)
			s[1].ScheduleID = 11
			return s
		}, uc, pcnhub.EINVALID, "", "different schedules"},
		{"two channels", func() []Slot {
			s := run(1, start, 2, ten)
			s[1].DeliveryChannel = Telephone
			return s
		}, uc, pcnhub.EINVALID, "", "different delivery channels"},
		{"two slot types", func() []Slot {
			s := run(1, start, 2, ten)
			s[1].ServiceType = "Pharmacist review"
			return s
		}, uc, pcnhub.EINVALID, "", "different slot types"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSlotsForBooking(tt.slots(), tt.f, now)
			checkErr(t, err, tt.code, tt.wantErr)
			if tt.spine != "" {
				if e := err.(*pcnhub.Error); e.Spine != tt.spine {
					t.Errorf("Spine %q, want %q", e.Spine, tt.spine)
				}
			}
		})
	}
}

// On 2026-10-25 clocks go back at 02:00 BST to 01:00 GMT, so 01:30 local
// happens twice. Slots are instants: those that follow each other in real
// time are adjacent whatever the wall clock says.
func TestCheckSlotsAcrossBSTChange(t *testing.T) {
	now := at(2026, 10, 24, 12, 0)
	utc := func(h, m int) time.Time { return time.Date(2026, 10, 25, h, m, 0, 0, time.UTC) }
	// 01:30 BST (00:30Z) to 02:30 GMT (02:30Z): four half-hour slots, two
	// hours of real time; the wall clock reads 01:30, 01:00, 01:30, 02:00.
	slots := run(1, utc(0, 30), 4, 30*time.Minute)
	for i := range slots { // as a GP Connect request would carry them: local with offset
		slots[i].Start, slots[i].End = slots[i].Start.In(london), slots[i].End.In(london)
	}
	if got := slots[0].Start.Format(time.RFC3339); got != "2026-10-25T01:30:00+01:00" {
		t.Fatalf("first slot starts %s", got)
	}
	if got := slots[3].End.Format(time.RFC3339); got != "2026-10-25T02:30:00Z" && got != "2026-10-25T02:30:00+00:00" {
		t.Fatalf("last slot ends %s", got)
	}
	if err := CheckSlotsForBooking(slots, SearchFilter{}, now); err != nil {
		t.Fatalf("four adjacent slots across the change: %v", err)
	}
	// Mixed zones (one read back from storage in UTC) still join.
	slots[1].Start, slots[1].End = slots[1].Start.UTC(), slots[1].End.UTC()
	if err := CheckSlotsForBooking(slots, SearchFilter{}, now); err != nil {
		t.Fatalf("mixed zones: %v", err)
	}
	// A slot ending 02:00+01:00 and one starting 02:00+00:00 both read
	// 02:00 on the clock, but an hour of real time lies between them.
	bst, gmt := time.FixedZone("BST", 3600), time.FixedZone("GMT", 0)
	a := run(1, time.Date(2026, 10, 25, 1, 30, 0, 0, bst), 1, 30*time.Minute)[0]
	b := run(2, time.Date(2026, 10, 25, 2, 0, 0, 0, gmt), 1, 30*time.Minute)[0]
	if a.End.Format("15:04") != "02:00" || b.Start.Format("15:04") != "02:00" {
		t.Fatalf("wall clock: a ends %s, b starts %s", a.End.Format(time.RFC3339), b.Start.Format(time.RFC3339))
	}
	checkErr(t, CheckSlotsForBooking([]Slot{a, b}, SearchFilter{}, now), pcnhub.EINVALID, "slot 2 does not start where slot 1 ends")

	// The appointment spans the slots: earliest start, latest end.
	var appt Appointment
	appt.SetSlots(&Schedule{ID: 10, OrganisationID: 3, LocationID: 4, ServiceCategory: "Night surgery"}, run(1, utc(0, 30), 4, 30*time.Minute))
	if !appt.Start.Equal(utc(0, 30)) || !appt.End.Equal(utc(2, 30)) || appt.End.Sub(appt.Start) != 2*time.Hour {
		t.Errorf("appointment %s – %s", appt.Start, appt.End)
	}
}

func TestSetSlots(t *testing.T) {
	sc := &Schedule{ID: 10, OrganisationID: 3, LocationID: 4, PractitionerID: 5, ServiceCategory: "Morning surgery",
		PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner"}
	slots := run(7, at(2026, 11, 2, 9, 0), 2, 15*time.Minute)
	slots[0], slots[1] = slots[1], slots[0]
	slots[0].DeliveryChannel, slots[1].DeliveryChannel = Telephone, Telephone
	a := Appointment{Description: "kept"}
	a.SetSlots(sc, slots)
	want := Appointment{Description: "kept", OrganisationID: 3, LocationID: 4, PractitionerID: 5, ScheduleID: 10,
		SlotIDs: []int64{8, 7}, Start: at(2026, 11, 2, 9, 0), End: at(2026, 11, 2, 9, 30),
		ServiceType: "Routine GP appointment", ServiceCategory: "Morning surgery", DeliveryChannel: Telephone,
		PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner"}
	if a.OrganisationID != want.OrganisationID || a.LocationID != want.LocationID || a.PractitionerID != want.PractitionerID ||
		a.ScheduleID != want.ScheduleID || len(a.SlotIDs) != 2 || a.SlotIDs[0] != 8 || a.SlotIDs[1] != 7 ||
		!a.Start.Equal(want.Start) || !a.End.Equal(want.End) || a.ServiceType != want.ServiceType ||
		a.ServiceCategory != want.ServiceCategory || a.DeliveryChannel != want.DeliveryChannel ||
		a.PractitionerRoleCode != want.PractitionerRoleCode || a.PractitionerRoleDisplay != want.PractitionerRoleDisplay ||
		a.Description != "kept" {
		t.Errorf("got %+v\nwant %+v", a, want)
	}
}

func TestMatchSlots(t *testing.T) {
	found := run(1, at(2026, 11, 2, 9, 0), 3, 10*time.Minute)
	got := MatchSlots([]int64{3, 9, 1}, found)
	if len(got) != 3 || got[0].ID != 3 || got[0].ScheduleID != 10 || got[1].ID != 9 || got[1].ScheduleID != 0 || got[2].ID != 1 {
		t.Errorf("got %+v", got)
	}
}

func TestNHS111Duty(t *testing.T) {
	for _, tt := range []struct{ list, want int }{
		{0, 1}, {2750, 1}, {3000, 1}, {5823, 1}, {5999, 1}, {6000, 2}, {9027, 3}, {19800, 6},
	} {
		if got := NHS111Duty(tt.list); got != tt.want {
			t.Errorf("NHS111Duty(%d) = %d, want %d", tt.list, got, tt.want)
		}
	}
}

func TestValid(t *testing.T) {
	for _, c := range []DeliveryChannel{InPerson, Telephone, Video, Visit} {
		if !c.Valid() {
			t.Errorf("%q not valid", c)
		}
	}
	for _, c := range []DeliveryChannel{"", "in-person", "Home"} {
		if c.Valid() {
			t.Errorf("%q valid", c)
		}
	}
	for _, s := range []SlotStatus{SlotFree, SlotBusy, SlotBusyUnavailable, SlotBusyTentative, SlotEnteredInError} {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	if SlotStatus("Free").Valid() || AppointmentStatus("pending").Valid() || !NoShow.Valid() || !Cancelled.Valid() {
		t.Error("status validity")
	}
}
