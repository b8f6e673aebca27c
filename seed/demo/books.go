package demo

import (
	"slices"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
)

// The appointment books of the demo PCN, as the practices and the hub
// would write them (pcnhub book export shows them as YAML).
//
// Every practice clinician has a morning (08:30–12:00) and an afternoon
// (14:00–18:00) session at the practice's main site and works eight of the
// ten weekday sessions (a midwife runs one antenatal clinic a week). GPs
// and sessional GPs have 10-minute slots, the first six of the morning
// same-day, three telephone slots late in the morning, two at 16:00 that
// the PCN's practices and the hub may book over GP Connect ("Enhanced
// access booking" group), and three telephone and three video slots at the
// end of the afternoon; registrars,
// pharmacists, nurses and midwives 15-minute slots; healthcare assistants
// 10-minute slots, blood tests before 10:00. The first two GPs keep the
// last morning slot for a home visit (Visit, never bookable).
//
// NHS 111: some GP sessions reserve one slot (10:00 in the morning, 15:00
// in the afternoon) for NHS 111 — GP Connect bookable, urgent-care only —
// chosen so that every weekday offers the practice's duty, max(1, list
// size / 3000), except at ShortPractice, which stays below its duty on
// every weekday so that the 111 report shows a shortfall. Pharmacist clinics are bookable by
// the "Enhanced access booking" group.
//
// The hub runs enhanced access in the Network Standard Hours: weekdays
// 18:30–20:00 and Saturdays 09:00–17:00, all six hub clinicians (four
// sessional GPs, a pharmacist and a nurse), which meets the PCN's
// enhanced-access duty; 15-minute
// slots, bookable up to 14 days ahead; three in four are for the group and
// one in four is released to NHS 111 (urgent-care).
//
// Every book is closed on bank holidays (England and Wales).

// BookWeeks is how many weeks ahead a load generates the books' slots.
const BookWeeks = 6

// SlotDays is how many days of slots a load creates, from its day on.
const SlotDays = 7 * BookWeeks

// ShortPractice is the practice whose books fall one slot a day short of
// the NHS 111 duty.
const ShortPractice pcnhub.ODSCode = "A99993"

// Slot types (Slot.serviceType.text).
const (
	typeRoutineGP     = "Routine GP appointment"
	typeSameDayGP     = "Same-day GP appointment"
	typeRegistrar     = "GP registrar appointment"
	type111           = "NHS 111 direct booking appointment"
	typePharmacist    = "Pharmacist review"
	typeNurse         = "Practice nurse appointment"
	typeHCA           = "Healthcare assistant appointment"
	typeBloodTest     = "Blood test"
	typeAntenatal     = "Antenatal appointment"
	typeHomeVisit     = "Home visit"
	typeEnhancedGP    = "Enhanced access GP appointment"
	typeEnhancedPharm = "Enhanced access pharmacist review"
	typeEnhancedNurse = "Enhanced access nurse appointment"
)

const eaGroup = "Enhanced access booking"

var weekdays = []rota.Weekday{1, 2, 3, 4, 5}

// ClockTimes used by the books.
const (
	t0830 rota.ClockTime = 8*60 + 30
	t1000 rota.ClockTime = 10 * 60
	t1100 rota.ClockTime = 11 * 60
	t1150 rota.ClockTime = 11*60 + 50
	t1200 rota.ClockTime = 12 * 60
	t1400 rota.ClockTime = 14 * 60
	t1500 rota.ClockTime = 15 * 60
	t1600 rota.ClockTime = 16 * 60
	t1630 rota.ClockTime = 16*60 + 30
	t1715 rota.ClockTime = 17*60 + 15
	t1730 rota.ClockTime = 17*60 + 30
	t1800 rota.ClockTime = 18 * 60
	t1830 rota.ClockTime = 18*60 + 30
	t2000 rota.ClockTime = 20 * 60
	t0900 rota.ClockTime = 9 * 60
	t1700 rota.ClockTime = 17 * 60
)

func ptr[T any](v T) *T { return &v }

// BankHolidays are the days every demo book is closed.
var BankHolidays = duty.EnglandAndWales2026To2027

// Books returns the appointment books of the eight practices and the hub.
func Books() []rota.Book {
	var out []rota.Book
	staff := map[pcnhub.ODSCode][]pcnhub.Practitioner{}
	for _, p := range practitioners() {
		staff[p.OrgODS] = append(staff[p.OrgODS], p.Practitioner)
	}
	for k := range practices {
		out = append(out, practiceBook(k, staff[practices[k].ods]))
	}
	return append(out, hubBook(staff[hubODS]))
}

// except returns the weekdays without day (1–5); 0 removes nothing.
func except(day int) []rota.Weekday {
	return slices.DeleteFunc(slices.Clone(weekdays), func(w rota.Weekday) bool { return int(w) == day })
}

func practiceBook(k int, staff []pcnhub.Practitioner) rota.Book {
	p := &practices[k]
	b := rota.Book{Organisation: p.ods, BankHolidays: rota.BankHolidaysClosed}
	session := func(pr *pcnhub.Practitioner, suffix string, days []rota.Weekday, start, end rota.ClockTime,
		minutes int, slotType, name, category string, channel schedule.DeliveryChannel) rota.Session {
		return rota.Session{
			Name: strings.ToLower(pr.Name.Family) + "-" + pr.SDSUserID[8:] + "-" + suffix, Days: days, Start: start, End: end,
			Practitioner: pr.SDSUserID, Location: string(p.mainSite()), SlotMinutes: minutes,
			SlotType: slotType, SessionName: name, Channel: channel, Role: pr.JobRoleCode,
			GPADCategory: category, GPADSetting: "General Practice",
		}
	}
	gps := 0
	for i := range staff {
		pr := &staff[i]
		id := int(pr.ID)
		offAM, offPM := 1+id%5, 1+(id+2)%5
		switch pr.JobRoleCode {
		case roleGP, roleSessional:
			am := session(pr, "am", except(offAM), t0830, t1200, 10, typeRoutineGP, "Morning surgery", "General Consultation Routine", inPerson)
			am.Slots = []rota.SlotRule{
				{At: t0830, Count: 6, SlotType: ptr(typeSameDayGP), GPADCategory: categoryOf[typeSameDayGP]},
				{At: t1100, Count: 3, Channel: ptr(schedule.Telephone)},
			}
			if pr.JobRoleCode == roleGP && gps < 2 {
				am.Slots = append(am.Slots, rota.SlotRule{At: t1150, SlotType: ptr(typeHomeVisit), Channel: ptr(schedule.Visit),
					GPADCategory: categoryOf[typeHomeVisit]})
			}
			if pr.JobRoleCode == roleGP {
				gps++
			}
			pm := session(pr, "pm", except(offPM), t1400, t1800, 10, typeRoutineGP, "Afternoon surgery", "General Consultation Routine", inPerson)
			pm.Slots = []rota.SlotRule{
				{At: t1600, Count: 2, Bookable: ptr(true), Restrictions: &rota.Restrictions{Groups: []string{eaGroup}}},
				{At: t1630, Count: 3, Channel: ptr(schedule.Telephone)},
				{At: t1730, Count: 3, Channel: ptr(schedule.Video)},
			}
			b.Sessions = append(b.Sessions, am, pm)
		case roleRegistrar:
			am := session(pr, "am", except(offAM), t0830, t1200, 15, typeRegistrar, "Morning surgery", "General Consultation Routine", inPerson)
			pm := session(pr, "pm", except(offPM), t1400, t1800, 15, typeRegistrar, "Afternoon surgery", "General Consultation Routine", inPerson)
			pm.Slots = []rota.SlotRule{{At: t1715, Count: 3, Channel: ptr(schedule.Telephone)}}
			b.Sessions = append(b.Sessions, am, pm)
		case rolePharmacist:
			for _, s := range []rota.Session{
				session(pr, "am", except(offAM), t0830, t1200, 15, typePharmacist, "Pharmacist clinic", "Structured Medication Review", telephone),
				session(pr, "pm", except(offPM), t1400, t1800, 15, typePharmacist, "Pharmacist clinic", "Structured Medication Review", inPerson),
			} {
				s.Bookable, s.Restrictions = true, rota.Restrictions{Groups: []string{eaGroup}}
				b.Sessions = append(b.Sessions, s)
			}
		case roleNurse:
			am := session(pr, "am", except(offAM), t0830, t1200, 15, typeNurse, "Nurse clinic", "Planned Clinics", inPerson)
			am.Slots = []rota.SlotRule{{At: t1100, Count: 2, Channel: ptr(schedule.Telephone)}}
			pm := session(pr, "pm", except(offPM), t1400, t1800, 15, typeNurse, "Nurse clinic", "Planned Clinics", inPerson)
			b.Sessions = append(b.Sessions, am, pm)
		case roleHCA:
			am := session(pr, "am", except(offAM), t0830, t1200, 10, typeHCA, "Treatment room", "Planned Clinics", inPerson)
			am.Slots = []rota.SlotRule{{At: t0830, Count: 9, SlotType: ptr(typeBloodTest), GPADCategory: categoryOf[typeBloodTest]}}
			pm := session(pr, "pm", except(offPM), t1400, t1800, 10, typeHCA, "Treatment room", "Planned Clinics", inPerson)
			b.Sessions = append(b.Sessions, am, pm)
		case roleMidwife:
			only := 1 + (id+1)%5
			b.Sessions = append(b.Sessions, session(pr, "antenatal", []rota.Weekday{rota.Weekday(only)}, t0830, t1200, 15,
				typeAntenatal, "Antenatal clinic", "Planned Clinics", inPerson))
		}
	}
	reserve111(&b, schedule.NHS111Duty(p.listSize), p.ods == ShortPractice)
	return b
}

const (
	inPerson  = schedule.InPerson
	telephone = schedule.Telephone
)

// reserve111 gives GP sessions one NHS 111 slot each, choosing sessions
// greedily (the one that helps the most weekdays still short, first in
// book order on ties) until every weekday has duty of them. When short,
// the target is duty − 1 and a session is chosen only if none of its days
// has reached that target, so no day reaches the duty.
func reserve111(b *rota.Book, duty int, short bool) {
	target := duty
	if short {
		target = duty - 1
	}
	var candidates []int
	for i, s := range b.Sessions {
		if s.SlotType == typeRoutineGP {
			candidates = append(candidates, i)
		}
	}
	count := map[rota.Weekday]int{}
	chosen := map[int]bool{}
	for {
		best, bestGain := -1, 0
		for _, i := range candidates {
			if chosen[i] {
				continue
			}
			gain := 0
			for _, d := range b.Sessions[i].Days {
				switch {
				case count[d] < target:
					gain++
				case short:
					gain = -len(weekdays) // never reach the duty on any day
				}
			}
			if gain > bestGain {
				best, bestGain = i, gain
			}
		}
		if best < 0 {
			return
		}
		chosen[best] = true
		s := &b.Sessions[best]
		for _, d := range s.Days {
			count[d]++
		}
		at := t1000
		if s.Start == t1400 {
			at = t1500
		}
		s.Slots = append(s.Slots, rota.SlotRule{At: at, SlotType: ptr(type111), Bookable: ptr(true),
			Restrictions: &rota.Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}}, GPADCategory: categoryOf[type111]})
	}
}

func hubBook(staff []pcnhub.Practitioner) rota.Book {
	b := rota.Book{Organisation: hubODS, BankHolidays: rota.BankHolidaysClosed}
	var hubLocs []string
	for _, l := range locations() {
		if l.OrgODS == hubODS {
			hubLocs = append(hubLocs, l.Name)
		}
	}
	for i := range staff {
		pr := &staff[i]
		slotType := typeEnhancedGP
		switch pr.JobRoleCode {
		case rolePharmacist:
			slotType = typeEnhancedPharm
		case roleNurse:
			slotType = typeEnhancedNurse
		}
		category := categoryOf[slotType]
		for _, def := range []struct {
			suffix, name string
			days         []rota.Weekday
			start, end   rota.ClockTime
		}{
			{"evening", "Enhanced access evening session", weekdays, t1830, t2000},
			{"saturday", "Enhanced access Saturday session", []rota.Weekday{6}, t0900, t1700},
		} {
			s := rota.Session{
				Name: strings.ToLower(pr.Name.Family) + "-" + pr.SDSUserID[8:] + "-" + def.suffix, Days: def.days,
				Start: def.start, End: def.end, Practitioner: pr.SDSUserID, Location: hubLocs[i%len(hubLocs)],
				SlotMinutes: 15, SlotType: slotType, SessionName: def.name, Channel: schedule.InPerson, Role: pr.JobRoleCode,
				GPADCategory: category, GPADSetting: "Extended Access Provision",
				Bookable: true, Restrictions: rota.Restrictions{Groups: []string{eaGroup}},
				BookingWindow: rota.Duration(14 * 24 * time.Hour),
			}
			// Every fourth slot is released to NHS 111.
			for at := def.start + 45; at < def.end; at += 60 {
				s.Slots = append(s.Slots, rota.SlotRule{At: at,
					Restrictions: &rota.Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}}})
			}
			b.Sessions = append(b.Sessions, s)
		}
	}
	return b
}

// categoryOf is the GPAD category of each demo slot type (the books carry
// it per session; types only slot rules name are listed here too).
var categoryOf = map[string]string{
	typeRoutineGP: "General Consultation Routine", typeSameDayGP: "General Consultation Acute",
	typeRegistrar: "General Consultation Routine", type111: "General Consultation Acute",
	typePharmacist: "Structured Medication Review", typeNurse: "Planned Clinics", typeHCA: "Planned Clinics",
	typeBloodTest: "Planned Clinical Procedure", typeAntenatal: "Planned Clinics", typeHomeVisit: "Home Visit",
	typeEnhancedGP: "General Consultation Routine", typeEnhancedPharm: "Structured Medication Review",
	typeEnhancedNurse: "Planned Clinics",
}
