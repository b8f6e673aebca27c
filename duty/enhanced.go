package duty

import (
	"context"
	"math"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// Enhanced access (Network Contract DES, nhs-interop.md §4.2): a PCN
// offers at least 60 minutes of appointments per 1,000 of its adjusted
// population each week, in Network Standard Hours: 18:30–20:00 Monday to
// Friday and 09:00–17:00 on Saturday (Sundays and bank holidays are not
// required). Minutes delivered outside those hours by agreement with the
// commissioner are not counted here.

// MinutesPer1000 is the weekly enhanced-access volume per 1,000 patients.
const MinutesPer1000 = 60

// RequiredEAMinutes is the weekly duty for a population, rounded up to a
// whole minute (the DES's rounding is unconfirmed; rounding up never
// understates the duty).
func RequiredEAMinutes(population int) int {
	return int(math.Ceil(float64(MinutesPer1000*population) / 1000))
}

// NetworkStandardHours returns the NSH window of a day, and false when
// the day has none (Sunday, or a bank holiday).
func (c Calendar) NetworkStandardHours(d pcnhub.Date) (time.Time, time.Time, bool) {
	if c.BankHolidays[d] {
		return time.Time{}, time.Time{}, false
	}
	at := func(h, m int) time.Time { return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, pcnhub.London) }
	switch d.Time(time.UTC).Weekday() {
	case time.Sunday:
		return time.Time{}, time.Time{}, false
	case time.Saturday:
		return at(9, 0), at(17, 0), true
	}
	return at(18, 30), at(20, 0), true
}

// WeekEA is a hub's enhanced-access duty in one week (Monday to Sunday).
type WeekEA struct {
	ODS        pcnhub.ODSCode `json:"ods"`
	Hub        string         `json:"hub"`
	WeekOf     string         `json:"weekOf"` // the Monday
	Population int            `json:"population"`
	Required   int            `json:"requiredMinutes"`
	Offered    int            `json:"offeredMinutes"`
	Booked     int            `json:"bookedMinutes"`
	Shortfall  int            `json:"shortfallMinutes"`
}

// HubBook is what the enhanced-access report needs of one hub.
type HubBook struct {
	Hub          *pcnhub.Organisation
	Population   int
	Slots        []schedule.Slot
	Appointments []schedule.Appointment
}

// ReportEA measures each hub's enhanced-access minutes in every week that
// starts on a Monday in [from, to]. A slot counts when it lies wholly in
// a day's NSH window and is not withdrawn (free, or taken by a booking);
// booked minutes are those of appointments not cancelled.
func ReportEA(books []HubBook, from, to pcnhub.Date, cal Calendar) []WeekEA {
	var out []WeekEA
	monday := from
	for monday.Time(time.UTC).Weekday() != time.Monday {
		monday = monday.AddDays(1)
	}
	for _, b := range books {
		for w := monday; !to.Before(w); w = w.AddDays(7) {
			row := WeekEA{ODS: b.Hub.ODS, Hub: b.Hub.Name, WeekOf: w.String(), Population: b.Population, Required: RequiredEAMinutes(b.Population)}
			var offered, booked time.Duration
			for d := w; d.Before(w.AddDays(7)); d = d.AddDays(1) {
				start, end, ok := cal.NetworkStandardHours(d)
				if !ok {
					continue
				}
				for _, s := range b.Slots {
					if !s.Start.Before(start) && !s.End.After(end) && (s.Status == schedule.SlotFree || s.Status == schedule.SlotBusy) {
						offered += s.Duration()
					}
				}
				for _, a := range b.Appointments {
					if !a.Start.Before(start) && !a.End.After(end) && a.Status != schedule.Cancelled {
						booked += a.End.Sub(a.Start)
					}
				}
			}
			row.Offered, row.Booked = int(offered/time.Minute), int(booked/time.Minute)
			row.Shortfall = max(0, row.Required-row.Offered)
			out = append(out, row)
		}
	}
	return out
}

// LoadEA reads the books of every hosted PCN hub for the weeks starting
// in [from, to] and measures their enhanced-access duty. A hub's
// population is its list size when set (the PCN adjusted population,
// entered by whoever runs the hub) or else the sum of the list sizes of
// the hosted GP practices of its PCN. EINVALID for a reversed or
// over-long period (at most 93 days).
func LoadEA(ctx context.Context, st Store, from, to pcnhub.Date, cal Calendar) ([]WeekEA, error) {
	if to.Before(from) {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "the period ends (%s) before it starts (%s)", to, from)
	}
	if from.AddDays(93).Before(to) {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "a report covers at most 93 days")
	}
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	start, end := from.Time(pcnhub.London), to.AddDays(7).Time(pcnhub.London)
	var books []HubBook
	for _, hub := range orgs {
		if !hub.Hosted || hub.Type != pcnhub.OrgPCNHub {
			continue
		}
		b := HubBook{Hub: hub, Population: hub.ListSize}
		if b.Population == 0 {
			for _, o := range orgs {
				if o.Type == pcnhub.OrgGPPractice && o.Hosted && o.PCN != "" && o.PCN == hub.PCN {
					b.Population += o.ListSize
				}
			}
		}
		if b.Slots, err = st.SlotsBetween(ctx, hub.ID, start, end); err != nil {
			return nil, err
		}
		if b.Appointments, err = st.AppointmentsBetween(ctx, hub.ID, start, end); err != nil {
			return nil, err
		}
		books = append(books, b)
	}
	return ReportEA(books, from, to, cal), nil
}
