package duty

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// Store is what the duty reports read.
type Store interface {
	ListOrganisations(ctx context.Context) ([]*pcnhub.Organisation, error)
	GroupByName(ctx context.Context, name string) (*pcnhub.OrganisationGroup, error)
	SlotsBetween(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Slot, error)
	// BookableSlotsBetween is SlotsBetween for GP Connect bookable slots
	// only (the only ones that can be offered to NHS 111).
	BookableSlotsBetween(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Slot, error)
	AppointmentsBetween(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Appointment, error)
}

// Group111 names the organisation group whose members are the NHS 111
// services of the PCN (the demo's "111 direct booking").
const Group111 = "111 direct booking"

// Load111 reads the books of the hosted GP practices (or only those named)
// for [from, to] and measures their 111 duty. The members of the group
// Group111, when it exists, are the 111 consumers. EINVALID for a reversed
// or over-long period (at most 93 days) or a named practice that is not a
// hosted GP practice.
func Load111(ctx context.Context, st Store, from, to pcnhub.Date, cal Calendar, only []pcnhub.ODSCode) ([]Day111, error) {
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
	want := map[pcnhub.ODSCode]bool{}
	for _, o := range only {
		want[o] = true
	}
	var consumers Consumers
	if g, err := st.GroupByName(ctx, Group111); err == nil {
		consumers = g.Members
	} else if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
		return nil, err
	}
	start, end := from.Time(pcnhub.London), to.AddDays(1).Time(pcnhub.London)
	var books []Book
	found := map[pcnhub.ODSCode]bool{}
	for _, o := range orgs {
		if !o.Hosted || o.Type != pcnhub.OrgGPPractice || (len(want) > 0 && !want[o.ODS]) {
			continue
		}
		found[o.ODS] = true
		b := Book{Practice: o}
		if b.Slots, err = st.BookableSlotsBetween(ctx, o.ID, start, end); err != nil {
			return nil, err
		}
		if b.Appointments, err = st.AppointmentsBetween(ctx, o.ID, start, end); err != nil {
			return nil, err
		}
		books = append(books, b)
	}
	var missing []string
	for o := range want {
		if !found[o] {
			missing = append(missing, string(o))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "not a GP practice hosted here: %s", strings.Join(missing, ", "))
	}
	return Report111(books, from, to, cal, consumers), nil
}

// ParseBankHolidays reads a comma-separated list of dates; an empty list
// means the default calendar (England and Wales, 2026–2027). EINVALID.
func ParseBankHolidays(s string) (Calendar, error) {
	if strings.TrimSpace(s) == "" {
		return NewCalendar(EnglandAndWales2026To2027), nil
	}
	var days []pcnhub.Date
	for _, f := range strings.Split(s, ",") {
		d, err := pcnhub.ParseDate(strings.TrimSpace(f))
		if err != nil {
			return Calendar{}, fmt.Errorf("bank holidays: %w", err)
		}
		days = append(days, d)
	}
	return NewCalendar(days), nil
}
