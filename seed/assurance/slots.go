package assurance

import (
	"iter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed"
)

// Schedules and slots (Part A, "Slots"): rolling free slots for ORG1 and
// ORG2 from the load day on, none for ORG3, and ORG1's fixed historic
// slots. Every rolling slot of ORG1 is visible to the suite's default slot
// search (searchFilter urgent-care and ORG1's ODS code); ORG1 has 12 a
// day, ORG2 4 a day, weekends included, so that any 14-day window from
// the load day holds at least 30 and 20.
//
// Schedule ids:
const (
	// ScheduleGP1 is practitioner1's ORG1 surgery at Location 1: 09:00–10:00,
	// four 15-minute In-person slots a day; it also holds the three historic
	// slots.
	ScheduleGP1 int64 = 1
	// ScheduleGP2 is practitioner2's ORG1 telephone clinic at Location 1:
	// 11:00–11:30, three 10-minute Telephone slots a day.
	ScheduleGP2 int64 = 2
	// ScheduleGP3 is practitioner3's ORG1 afternoon surgery at Location 1:
	// 15:00–15:45, three 15-minute In-person slots a day.
	ScheduleGP3 int64 = 3
	// ScheduleGP5 is practitioner5's (id 5) ORG1 urgent-care session at
	// Location 1: 17:00–17:30, two 15-minute In-person slots a day,
	// restricted to urgent-care consumers.
	ScheduleGP5 int64 = 4
	// ScheduleORG2 is ORG2's clinic at Location 8 (SIT2), with no
	// practitioner: 10:00–10:30 In-person and 16:00–16:30 Telephone, two
	// 15-minute slots each.
	ScheduleORG2 int64 = 5
)

// RollingSlotDays is how many days of slots a load creates, from its day on.
const RollingSlotDays = 28

// HistoricSlots are the fixed historic ORG1 slots of Part A
// (Europe/London local start times), each 10 minutes long. No other ORG1
// slot falls on 2017-12-29.
var HistoricSlots = []time.Time{
	time.Date(2017, 1, 2, 12, 40, 0, 0, pcnhub.London),
	time.Date(2017, 2, 26, 10, 35, 0, 0, pcnhub.London),
	time.Date(2017, 12, 29, 12, 40, 0, 0, pcnhub.London),
}

// planningStart is the start of every schedule's planning horizon: before
// the historic slots.
var planningStart = time.Date(2017, 1, 1, 0, 0, 0, 0, pcnhub.London)

const gpRole, gpRoleDisplay = JobRoleGP, "General Medical Practitioner"

func schedules() []seed.Schedule {
	sc := func(id int64, org pcnhub.ODSCode, loc, pract int64, category string) seed.Schedule {
		return seed.Schedule{OrgODS: org, Schedule: schedule.Schedule{
			ID: id, LocationID: loc, PractitionerID: pract, ServiceCategory: category,
			PractitionerRoleCode: gpRole, PractitionerRoleDisplay: gpRoleDisplay, PlanningStart: planningStart,
		}}
	}
	return []seed.Schedule{
		sc(ScheduleGP1, ORG1, SIT1LocationID, 1, "General GP surgery"),
		sc(ScheduleGP2, ORG1, SIT1LocationID, 2, "Telephone clinic"),
		sc(ScheduleGP3, ORG1, SIT1LocationID, 3, "Afternoon surgery"),
		sc(ScheduleGP5, ORG1, SIT1LocationID, 5, "Urgent care session"),
		sc(ScheduleORG2, ORG2, SIT2LocationID, 0, "Main surgery session"),
	}
}

// block is a run of equal slots in one schedule each day.
type block struct {
	schedule     int64
	hour, minute int
	n            int
	length       time.Duration
	serviceType  string
	channel      schedule.DeliveryChannel
	orgTypes     []pcnhub.OrgType
}

var dailyBlocks = []block{
	{ScheduleGP1, 9, 0, 4, 15 * time.Minute, "Routine GP appointment", schedule.InPerson, nil},
	{ScheduleGP2, 11, 0, 3, 10 * time.Minute, "Telephone consultation", schedule.Telephone, nil},
	{ScheduleGP3, 15, 0, 3, 15 * time.Minute, "Routine GP appointment", schedule.InPerson, nil},
	{ScheduleGP5, 17, 0, 2, 15 * time.Minute, "Urgent GP appointment", schedule.InPerson, []pcnhub.OrgType{pcnhub.OrgUrgentCare}},
	{ScheduleORG2, 10, 0, 2, 15 * time.Minute, "Routine GP appointment", schedule.InPerson, nil},
	{ScheduleORG2, 16, 0, 2, 15 * time.Minute, "Telephone consultation", schedule.Telephone, nil},
}

// slots yields the historic slots, then RollingSlotDays days of slots from
// today. Every slot is free and GP Connect bookable.
func slots(today pcnhub.Date) iter.Seq[schedule.Slot] {
	return func(yield func(schedule.Slot) bool) {
		for _, t := range HistoricSlots {
			if !yield(schedule.Slot{ScheduleID: ScheduleGP1, Start: t, End: t.Add(10 * time.Minute), Status: schedule.SlotFree,
				ServiceType: "Routine GP appointment", DeliveryChannel: schedule.InPerson, Bookable: true}) {
				return
			}
		}
		for i := range RollingSlotDays {
			day := today.AddDays(i)
			for _, b := range dailyBlocks {
				start := time.Date(day.Year, day.Month, day.Day, b.hour, b.minute, 0, 0, pcnhub.London)
				for j := range b.n {
					t := start.Add(time.Duration(j) * b.length)
					if !yield(schedule.Slot{ScheduleID: b.schedule, Start: t, End: t.Add(b.length), Status: schedule.SlotFree,
						ServiceType: b.serviceType, DeliveryChannel: b.channel, Bookable: true, OrgTypes: b.orgTypes}) {
						return
					}
				}
			}
		}
	}
}
