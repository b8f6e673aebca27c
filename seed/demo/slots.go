package demo

import (
	"iter"
	"slices"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed"
)

// The appointment books of the demo PCN.
//
// Every practice clinician has a morning (08:30–12:00) and an afternoon
// (14:00–18:00) schedule at the practice's main location, and works eight
// of the ten weekday sessions (a midwife runs one antenatal clinic a week).
// GPs, sessional GPs and healthcare assistants have 10-minute slots;
// registrars, pharmacists and midwives 15-minute ones. Within a session,
// slots come in runs of three with one delivery channel: mostly
// In-person, some Telephone and Video.
//
// On each weekday each practice reserves max(1, list size / 3000) GP slots
// (schedule.NHS111Duty), spread through the day, for NHS 111: GP Connect
// bookable, restricted to urgent-care. Its pharmacist reviews are bookable
// by the "Enhanced access booking" group (restricted to the group's ODS
// codes). One home visit a weekday (the last morning slot of the first GP
// on duty) is a Visit slot, never bookable. Other slots are booked at the
// reception desk only.
//
// The hub runs enhanced access in the Network Standard Hours: weekdays
// 18:30–20:00 and Saturdays 09:00–17:00, all four hub clinicians, 15-minute
// slots, bookable up to 14 days ahead; three in four are restricted to the
// group's ODS codes and one in four is released to NHS 111 (urgent-care).
//
// About one slot in twenty (half the home visits) is booked at the
// practice for one of its patients. Slots and bookings of a day depend
// only on that day, so loading on a later day agrees with what is stored.

// SlotDays is how many days of slots a load creates, from its day on.
const SlotDays = 42

// Session times (Europe/London).
type session struct {
	startH, startM, endH, endM int
}

var (
	morning   = session{8, 30, 12, 0}
	afternoon = session{14, 0, 18, 0}
	evening   = session{18, 30, 20, 0} // enhanced access, Monday–Friday
	saturday  = session{9, 0, 17, 0}   // enhanced access, Saturday
)

// Session kinds, also the last digit of a schedule id.
const (
	kindMorning   = 1
	kindAfternoon = 2
	kindEvening   = 3
	kindSaturday  = 4
)

// Slot types (Slot.serviceType.text).
const (
	typeRoutineGP     = "Routine GP appointment"
	typeSameDayGP     = "Same-day GP appointment"
	typeRegistrar     = "GP registrar appointment"
	type111           = "NHS 111 direct booking appointment"
	typePharmacist    = "Pharmacist review"
	typeHCA           = "Healthcare assistant appointment"
	typeBloodTest     = "Blood test"
	typeAntenatal     = "Antenatal appointment"
	typeHomeVisit     = "Home visit"
	typeEnhancedGP    = "Enhanced access GP appointment"
	typeEnhancedPharm = "Enhanced access pharmacist review"
)

// scheduleDef is one schedule of the data set and how its slots are made.
type scheduleDef struct {
	seed.Schedule
	practice int // index into practices, -1 for the hub
	role     string
	kind     int
	length   time.Duration
	offDay   int // weekday (1–5) this session is not run; 0: none
	onlyDay  int // weekday (1–5) this session is the only one run; 0: any
}

// planningStart is the start of every demo schedule's planning horizon.
var planningStart = ReferenceDate.Time(pcnhub.London)

// scheduleDefs returns the schedules of the data set, in id order. A
// schedule's id is its practitioner's id times ten plus its session kind.
func scheduleDefs() []scheduleDef {
	mainLoc := map[pcnhub.ODSCode]int64{}
	var hubLocs []int64
	for _, l := range locations() {
		if l.OrgODS == hubODS {
			hubLocs = append(hubLocs, l.ID)
		} else if l.SiteODS == l.OrgODS+"0" {
			mainLoc[l.OrgODS] = l.ID
		}
	}
	practiceIndex := map[pcnhub.ODSCode]int{hubODS: -1}
	for k, p := range practices {
		practiceIndex[p.ods] = k
	}
	var out []scheduleDef
	hubStaff := 0
	for _, p := range practitioners() {
		add := func(kind int, loc int64, category string, length time.Duration, offDay, onlyDay int) {
			out = append(out, scheduleDef{
				Schedule: seed.Schedule{OrgODS: p.OrgODS, Schedule: schedule.Schedule{
					ID:                      p.ID*10 + int64(kind),
					LocationID:              loc,
					PractitionerID:          p.ID,
					ServiceCategory:         category,
					PractitionerRoleCode:    p.JobRoleCode,
					PractitionerRoleDisplay: schedule.JobRoleDisplays[p.JobRoleCode],
					PlanningStart:           planningStart,
				}},
				practice: practiceIndex[p.OrgODS], role: p.JobRoleCode, kind: kind, length: length,
				offDay: offDay, onlyDay: onlyDay,
			})
		}
		id := int(p.ID)
		offAM, offPM := 1+id%5, 1+(id+2)%5
		loc := mainLoc[p.OrgODS]
		switch {
		case p.OrgODS == hubODS:
			loc = hubLocs[hubStaff%len(hubLocs)]
			hubStaff++
			add(kindEvening, loc, "Enhanced access evening session", 15*time.Minute, 0, 0)
			add(kindSaturday, loc, "Enhanced access Saturday session", 15*time.Minute, 0, 0)
		case p.JobRoleCode == roleGP || p.JobRoleCode == roleSessional:
			add(kindMorning, loc, "Morning surgery", 10*time.Minute, offAM, 0)
			add(kindAfternoon, loc, "Afternoon surgery", 10*time.Minute, offPM, 0)
		case p.JobRoleCode == roleRegistrar:
			add(kindMorning, loc, "Morning surgery", 15*time.Minute, offAM, 0)
			add(kindAfternoon, loc, "Afternoon surgery", 15*time.Minute, offPM, 0)
		case p.JobRoleCode == rolePharmacist:
			add(kindMorning, loc, "Pharmacist clinic", 15*time.Minute, offAM, 0)
			add(kindAfternoon, loc, "Pharmacist clinic", 15*time.Minute, offPM, 0)
		case p.JobRoleCode == roleHCA:
			add(kindMorning, loc, "Treatment room", 10*time.Minute, offAM, 0)
			add(kindAfternoon, loc, "Treatment room", 10*time.Minute, offPM, 0)
		case p.JobRoleCode == roleMidwife:
			add(kindMorning, loc, "Antenatal clinic", 15*time.Minute, 0, 1+(id+1)%5)
		}
	}
	return out
}

func schedules() []seed.Schedule {
	defs := scheduleDefs()
	out := make([]seed.Schedule, len(defs))
	for i := range defs {
		out[i] = defs[i].Schedule
	}
	return out
}

// books groups the schedule definitions by practice (index 8 is the hub).
type books struct {
	practice [len(practices) + 1][]scheduleDef
	group    []pcnhub.ODSCode // members of "Enhanced access booking"
}

func newBooks() *books {
	b := &books{}
	for _, d := range scheduleDefs() {
		k := d.practice
		if k < 0 {
			k = len(practices)
		}
		b.practice[k] = append(b.practice[k], d)
	}
	for _, g := range organisationGroups() {
		if g.Name == "Enhanced access booking" {
			b.group = g.Members
		}
	}
	return b
}

// mix is a splitmix64 hash of two values: the deterministic "randomness"
// of a slot, from its schedule and start.
func mix(a, b uint64) uint64 {
	z := a*0x9e3779b97f4a7c15 ^ (b + 0x632be59bd9b4e019)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// sessionSlots appends the slots of one session of schedule d on date day.
func sessionSlots(out []schedule.Slot, d *scheduleDef, day pcnhub.Date, ss session) []schedule.Slot {
	start := time.Date(day.Year, day.Month, day.Day, ss.startH, ss.startM, 0, 0, pcnhub.London)
	end := time.Date(day.Year, day.Month, day.Day, ss.endH, ss.endM, 0, 0, pcnhub.London)
	for i, t := 0, start; !t.Add(d.length).After(end); i, t = i+1, t.Add(d.length) {
		out = append(out, schedule.Slot{
			ScheduleID:      d.ID,
			Start:           t,
			End:             t.Add(d.length),
			Status:          schedule.SlotFree,
			DeliveryChannel: channelOf(d, t, i),
			ServiceType:     slotType(d, t, i),
		})
	}
	return out
}

// channelOf draws the channel of the run of three slots that slot i of a
// session belongs to.
func channelOf(d *scheduleDef, t time.Time, i int) schedule.DeliveryChannel {
	day := uint64(t.Unix() / 86400)
	u := mix(uint64(d.ID), day<<8|uint64(i/3)) % 100
	switch d.role {
	case roleHCA, roleMidwife:
		return schedule.InPerson
	case rolePharmacist:
		switch {
		case u < 50:
			return schedule.Telephone
		case u < 90:
			return schedule.InPerson
		}
		return schedule.Video
	}
	switch {
	case u < 72:
		return schedule.InPerson
	case u < 92:
		return schedule.Telephone
	}
	return schedule.Video
}

func slotType(d *scheduleDef, t time.Time, i int) string {
	switch {
	case d.kind == kindEvening || d.kind == kindSaturday:
		if d.role == rolePharmacist {
			return typeEnhancedPharm
		}
		return typeEnhancedGP
	case d.role == roleRegistrar:
		return typeRegistrar
	case d.role == rolePharmacist:
		return typePharmacist
	case d.role == roleMidwife:
		return typeAntenatal
	case d.role == roleHCA:
		if t.In(pcnhub.London).Hour() < 10 {
			return typeBloodTest
		}
		return typeHCA
	case d.kind == kindMorning && i < 6:
		return typeSameDayGP
	}
	return typeRoutineGP
}

// practiceDay returns the slots of practice k on date day (weekday w, 0 is
// Sunday), by start then schedule, with the 111 reservation, the home
// visit and the bookability rules applied.
func (b *books) practiceDay(k int, day pcnhub.Date, w int) []schedule.Slot {
	if w < 1 || w > 5 {
		return nil
	}
	var out []schedule.Slot
	firstGP := true
	for i := range b.practice[k] {
		d := &b.practice[k][i]
		if d.offDay == w || (d.onlyDay != 0 && d.onlyDay != w) {
			continue
		}
		ss := morning
		if d.kind == kindAfternoon {
			ss = afternoon
		}
		n := len(out)
		out = sessionSlots(out, d, day, ss)
		if d.kind == kindMorning && d.role == roleGP && firstGP && len(out) > n {
			firstGP = false
			v := &out[len(out)-1]
			v.DeliveryChannel, v.ServiceType = schedule.Visit, typeHomeVisit
		}
	}
	slices.SortStableFunc(out, func(a, c schedule.Slot) int {
		if c := a.Start.Compare(c.Start); c != 0 {
			return c
		}
		return int(a.ScheduleID - c.ScheduleID)
	})
	// NHS 111: duty slots spread evenly over the day's GP slots.
	var gp []int
	for i := range out {
		if s := &out[i]; s.ServiceType == typeRoutineGP || s.ServiceType == typeSameDayGP {
			gp = append(gp, i)
		}
	}
	duty := schedule.NHS111Duty(practices[k].listSize)
	for j := range duty {
		s := &out[gp[(2*j+1)*len(gp)/(2*duty)]]
		s.ServiceType, s.Bookable, s.OrgTypes = type111, true, urgentCare
		if s.DeliveryChannel == schedule.Video {
			s.DeliveryChannel = schedule.Telephone
		}
	}
	for i := range out {
		if s := &out[i]; s.ServiceType == typePharmacist {
			s.Bookable, s.ODSCodes = true, b.group
		}
	}
	return out
}

var urgentCare = []pcnhub.OrgType{pcnhub.OrgUrgentCare}

// hubDay returns the hub's enhanced-access slots on date day.
func (b *books) hubDay(day pcnhub.Date, w int) []schedule.Slot {
	var out []schedule.Slot
	for i := range b.practice[len(practices)] {
		d := &b.practice[len(practices)][i]
		var ss session
		switch {
		case d.kind == kindEvening && w >= 1 && w <= 5:
			ss = evening
		case d.kind == kindSaturday && w == 6:
			ss = saturday
		default:
			continue
		}
		n := len(out)
		out = sessionSlots(out, d, day, ss)
		for j := n; j < len(out); j++ {
			s := &out[j]
			s.Bookable, s.BookingWindow = true, 14*24*time.Hour
			if (j-n)%4 == 3 {
				s.OrgTypes = urgentCare
			} else {
				s.ODSCodes = b.group
			}
		}
	}
	return out
}

// slots yields the slots of the SlotDays days from today.
func slots(today pcnhub.Date) iter.Seq[schedule.Slot] {
	return func(yield func(schedule.Slot) bool) {
		b := newBooks()
		first := dayNumber(today)
		for z := first; z < first+SlotDays; z++ {
			day, w := dateOfDay(z), weekday(z)
			for k := range practices {
				for _, s := range b.practiceDay(k, day, w) {
					if !yield(s) {
						return
					}
				}
			}
			for _, s := range b.hubDay(day, w) {
				if !yield(s) {
					return
				}
			}
		}
	}
}

// bookedPerMille is how many slots in a thousand are booked at the
// practice; visitPerMille is the same for home visits.
const (
	bookedPerMille = 55
	visitPerMille  = 500
)

// patientInfo is what choosing a patient for a booking needs.
type patientInfo struct {
	nhs    pcnhub.NHSNumber
	female bool
	age    int
}

// activePatients returns the active list of practice k, in NHS number order.
func activePatients(k int) []patientInfo {
	p := &practices[k]
	out := make([]patientInfo, 0, p.listSize)
	for pt := range Patients(0xDE30_0000+uint64(k), p.listSize, uint32(activeBlock+k*blockSize), p.mainSite()) {
		out = append(out, patientInfo{pt.NHSNumber, pt.Gender == pcnhub.GenderFemale, pt.BirthDate.AgeOn(ReferenceDate)})
	}
	return out
}

// suits reports whether a patient is plausible for a slot type.
func suits(p *patientInfo, slotType string) bool {
	switch slotType {
	case typeAntenatal:
		return p.female && p.age >= 18 && p.age <= 44
	case typePharmacist, typeBloodTest:
		return p.age >= 18
	case typeHomeVisit:
		return p.age >= 70
	}
	return true
}

var descriptions = map[string]string{
	typeRoutineGP:  "Routine appointment booked at reception",
	typeSameDayGP:  "Same-day appointment booked at reception",
	typeRegistrar:  "Appointment with the GP registrar",
	typePharmacist: "Medication review",
	typeHCA:        "Healthcare assistant appointment",
	typeBloodTest:  "Blood test",
	typeAntenatal:  "Antenatal check",
	typeHomeVisit:  "Home visit",
}

// appointments yields the bookings made at the practices for the SlotDays
// days from today: each a single slot, for a patient of the practice.
func appointments(today pcnhub.Date) iter.Seq[seed.Appointment] {
	return func(yield func(seed.Appointment) bool) {
		b := newBooks()
		orgs := organisations()
		byODS := map[pcnhub.ODSCode]*pcnhub.Organisation{}
		for i := range orgs {
			byODS[orgs[i].ODS] = &orgs[i]
		}
		first := dayNumber(today)
		for k := range practices {
			var list []patientInfo // made on first use
			org := byODS[practices[k].ods]
			for z := first; z < first+SlotDays; z++ {
				for _, s := range b.practiceDay(k, dateOfDay(z), weekday(z)) {
					if s.Bookable && s.ServiceType == type111 {
						continue // kept for NHS 111
					}
					h := mix(uint64(s.ScheduleID)^0xB00C, uint64(s.Start.Unix()))
					rate := uint64(bookedPerMille)
					if s.DeliveryChannel == schedule.Visit {
						rate = visitPerMille
					}
					if h%1000 >= rate {
						continue
					}
					if list == nil {
						list = activePatients(k)
					}
					i := int((h >> 20) % uint64(len(list)))
					for n := 0; n < len(list) && !suits(&list[i], s.ServiceType); n++ {
						i = (i + 1) % len(list)
					}
					a := seed.Appointment{Patient: list[i].nhs, Appointment: schedule.Appointment{
						ScheduleID:  s.ScheduleID,
						Start:       s.Start,
						End:         s.End,
						Status:      schedule.Booked,
						Description: descriptions[s.ServiceType],
						BookedVia:   schedule.BookedViaPractice,
						BookingOrganisation: schedule.BookingOrganisation{ODS: org.ODS, Name: org.Name,
							Telecom: org.Telecom, Type: pcnhub.OrgGPPractice},
					}}
					if s.DeliveryChannel == schedule.Visit {
						a.Comment = "Home visit: housebound patient"
					}
					if !yield(a) {
						return
					}
				}
			}
		}
	}
}
