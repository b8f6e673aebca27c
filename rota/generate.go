package rota

import (
	"slices"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// Env is what generation needs beyond the book: the bank holidays and the
// members of organisation groups (group restrictions become ODS codes).
type Env struct {
	BankHolidays map[pcnhub.Date]bool
	Groups       map[string][]pcnhub.ODSCode
}

// Generate returns the slots a valid book describes on the dates from ≤ d
// < to: for each session (same index as b.Sessions), its slots in start
// order. The slots carry no id and no schedule; their status is free, or
// busy-unavailable where a slot rule blocks them.
//
// A session runs on a date when the date is one of its weekdays, within
// its from–until range, not in one of its suspensions, not a closure of
// the book, and not a bank holiday unless the book is open on them.
func Generate(b *Book, from, to pcnhub.Date, env Env) [][]schedule.Slot {
	out := make([][]schedule.Slot, len(b.Sessions))
	var days []pcnhub.Date
	for d := from; d.Before(to); d = d.AddDays(1) {
		if b.closedOn(d, env) {
			continue
		}
		days = append(days, d)
	}
	for i := range b.Sessions {
		s := &b.Sessions[i]
		base := s.baseSlot(env)
		for _, d := range days {
			if s.runsOn(d) {
				out[i] = s.appendDay(out[i], d, base, env)
			}
		}
	}
	return out
}

// closedOn reports whether the whole organisation is closed on d.
func (b *Book) closedOn(d pcnhub.Date, env Env) bool {
	if b.BankHolidays != BankHolidaysOpen && env.BankHolidays[d] {
		return true
	}
	for _, p := range b.Closures {
		if p.Contains(d) {
			return true
		}
	}
	return false
}

// baseSlot is the session's slot before slot rules: everything but times.
func (s *Session) baseSlot(env Env) schedule.Slot {
	sl := schedule.Slot{
		Status:          schedule.SlotFree,
		ServiceType:     s.SlotType,
		DeliveryChannel: s.Channel,
		BookingWindow:   time.Duration(s.BookingWindow),
		Embargo:         time.Duration(s.Embargo),
	}
	sl.Bookable = s.Bookable && s.Channel != schedule.Visit
	var open bool
	sl.OrgTypes, sl.ODSCodes, open = resolve(s.Restrictions, env)
	sl.Bookable = sl.Bookable && open
	return sl
}

// resolve turns restrictions into the organisation types and the sorted,
// de-duplicated ODS codes a slot carries. It fails closed: when the
// restrictions name groups and no ODS code results (the groups are gone
// or empty), open is false and the slot must not be bookable, because an
// empty list would open it to everyone.
func resolve(r Restrictions, env Env) (types []pcnhub.OrgType, codes []pcnhub.ODSCode, open bool) {
	types = slices.Clone(r.OrgTypes)
	codes = slices.Clone(r.ODSCodes)
	for _, g := range r.Groups {
		codes = append(codes, env.Groups[g]...)
	}
	slices.Sort(types)
	slices.Sort(codes)
	return slices.Compact(types), slices.Compact(codes), len(r.Groups) == 0 || len(codes) > 0
}

// appendDay appends the session's slots on d. Slots step through the
// session in absolute time from its wall-clock start to its wall-clock end
// (see the package comment for the nights the clocks change); slot rules
// address slots by their place in the session, the slot at At being number
// (At − Start) / SlotMinutes.
func (s *Session) appendDay(out []schedule.Slot, d pcnhub.Date, base schedule.Slot, env Env) []schedule.Slot {
	start, end := s.Start.On(d), s.End.On(d)
	if s.End == 24*60 {
		end = d.AddDays(1).Time(pcnhub.London) // midnight at the end of d
	}
	length := time.Duration(s.SlotMinutes) * time.Minute
	first := len(out)
	for t, k := start, 0; !t.Add(length).After(end); t, k = t.Add(length), k+1 {
		sl := base
		sl.Start, sl.End = t, t.Add(length)
		out = append(out, sl)
	}
	for _, r := range s.Slots {
		if !r.Date.IsZero() && r.Date != d {
			continue
		}
		k0 := (int(r.At) - int(s.Start)) / s.SlotMinutes
		for k := k0; k < k0+r.count() && first+k < len(out); k++ {
			r.apply(&out[first+k], env)
		}
	}
	return out
}

// apply overrides sl with the rule's fields.
func (r *SlotRule) apply(sl *schedule.Slot, env Env) {
	if r.SlotType != nil {
		sl.ServiceType = *r.SlotType
	}
	if r.Channel != nil {
		sl.DeliveryChannel = *r.Channel
	}
	if r.Bookable != nil {
		sl.Bookable = *r.Bookable
	}
	if sl.DeliveryChannel == schedule.Visit {
		sl.Bookable = false
	}
	if r.Restrictions != nil {
		var open bool
		sl.OrgTypes, sl.ODSCodes, open = resolve(*r.Restrictions, env)
		sl.Bookable = sl.Bookable && open
	}
	if r.BookingWindow != nil {
		sl.BookingWindow = time.Duration(*r.BookingWindow)
	}
	if r.Embargo != nil {
		sl.Embargo = time.Duration(*r.Embargo)
	}
	if r.Blocked {
		sl.Status = schedule.SlotBusyUnavailable
	}
}

// Changes are what brings one schedule's stored slots in line with its
// session: slots to insert (no id), slots to update (id and version of the
// stored slot, new fields; a booked slot keeps its status) and ids of
// slots to delete.
type Changes struct {
	Insert []schedule.Slot
	Update []schedule.Slot
	Delete []int64
}

// Len is the number of changes.
func (c *Changes) Len() int { return len(c.Insert) + len(c.Update) + len(c.Delete) }

// Conflict is a booked slot that the book no longer agrees with. The slot
// and its appointment are left as they are; staff move or cancel the
// appointment, and the next generation then applies the book.
type Conflict struct {
	Session string
	SlotID  int64
	Start   time.Time
	End     time.Time
	Reason  string
}

// Reconcile compares the slots a session should have (want, from Generate)
// with the slots its schedule has (have, over the same dates) and returns
// the changes, leaving alone every slot that has started at now. Booked
// slots (status busy) are never changed in time or status and never
// deleted: where the book disagrees with one, Reconcile reports a conflict
// and keeps the booked slot, and no new slot is made that would overlap it.
// Free and blocked slots follow the book exactly.
func Reconcile(session string, want, have []schedule.Slot, now time.Time) (Changes, []Conflict) {
	var ch Changes
	var conflicts []Conflict
	byStart := make(map[int64]*schedule.Slot, len(have))
	for i := range have {
		if have[i].Start.After(now) {
			byStart[have[i].Start.UnixMicro()] = &have[i]
		}
	}
	// Booked slots the book no longer has, or has with other times, stay
	// where they are and block their time.
	var kept []*schedule.Slot
	wanted := make(map[int64]*schedule.Slot, len(want))
	for i := range want {
		if want[i].Start.After(now) {
			wanted[want[i].Start.UnixMicro()] = &want[i]
		}
	}
	for i := range have {
		h := &have[i]
		if h.Status != schedule.SlotBusy || !h.End.After(now) {
			continue
		}
		if !h.Start.After(now) {
			kept = append(kept, h) // under way: nothing may be made over it
			continue
		}
		w, ok := wanted[h.Start.UnixMicro()]
		switch {
		case !ok:
			kept = append(kept, h)
			conflicts = append(conflicts, Conflict{session, h.ID, h.Start, h.End,
				"booked, but the book no longer has this slot (the session was removed, suspended, closed or moved); the appointment was kept"})
		case !w.End.Equal(h.End):
			kept = append(kept, h)
			conflicts = append(conflicts, Conflict{session, h.ID, h.Start, h.End,
				"booked, but the book now makes this slot " + w.End.Sub(w.Start).String() + " long; the appointment was kept at its old length"})
		case w.Status == schedule.SlotBusyUnavailable:
			conflicts = append(conflicts, Conflict{session, h.ID, h.Start, h.End,
				"booked, but the book now blocks this slot; the appointment was kept"})
		}
	}
	overlapsKept := func(sl *schedule.Slot) bool {
		for _, k := range kept {
			if sl.Start.Before(k.End) && k.Start.Before(sl.End) && !sl.Start.Equal(k.Start) {
				return true
			}
		}
		return false
	}
	for i := range want {
		w := &want[i]
		if !w.Start.After(now) {
			continue
		}
		h, ok := byStart[w.Start.UnixMicro()]
		if ok {
			delete(byStart, w.Start.UnixMicro())
		}
		switch {
		case !ok && overlapsKept(w):
			// not made: a kept booked slot holds part of its time
		case !ok:
			ch.Insert = append(ch.Insert, *w)
		case h.Status == schedule.SlotBusy:
			if w.End.Equal(h.End) && !sameFields(w, h) {
				u := *w
				u.ID, u.ScheduleID, u.Version, u.Status = h.ID, h.ScheduleID, h.Version, h.Status
				ch.Update = append(ch.Update, u)
			}
		case overlapsKept(w):
			ch.Delete = append(ch.Delete, h.ID)
		case !w.End.Equal(h.End) || w.Status != h.Status || !sameFields(w, h):
			u := *w
			u.ID, u.ScheduleID, u.Version = h.ID, h.ScheduleID, h.Version
			ch.Update = append(ch.Update, u)
		}
	}
	for _, h := range byStart {
		if h.Status != schedule.SlotBusy {
			ch.Delete = append(ch.Delete, h.ID)
		}
	}
	slices.Sort(ch.Delete)
	slices.SortFunc(conflicts, func(a, b Conflict) int { return a.Start.Compare(b.Start) })
	return ch, conflicts
}

// sameFields compares what a book decides about a slot, times and status
// aside.
func sameFields(a, b *schedule.Slot) bool {
	return a.ServiceType == b.ServiceType && a.DeliveryChannel == b.DeliveryChannel && a.Bookable == b.Bookable &&
		slices.Equal(a.OrgTypes, b.OrgTypes) && slices.Equal(a.ODSCodes, b.ODSCodes) &&
		a.BookingWindow == b.BookingWindow && a.Embargo == b.Embargo
}
