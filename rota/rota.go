// Package rota is a practice's or hub's appointment-book configuration:
// session templates (who works when, where, with what slots and who may
// book them), per-slot rules, closures and bank holidays, and the pure
// functions that validate a book and turn it into the slots of a date
// range (Generate) and into the changes that bring stored slots in line
// (Reconcile).
//
// It holds no I/O. A book is the unit a practice edits, keeps under version
// control as a YAML or JSON file (see Decode and Encode) and imports: the
// import validates the whole book before anything changes.
//
// Times of day are wall-clock times in Europe/London. A session from 08:30
// to 12:00 starts at 08:30 local time on every day it runs, whatever the
// UTC offset; slots step through the session in real (absolute) time, so on
// the nights the clocks change a session spanning 01:00–02:00 has an hour
// more or less of slots, and no two slots ever share an instant.
package rota

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// Book is the appointment-book configuration of one organisation.
type Book struct {
	// Organisation is the ODS code of the practice or hub the book belongs
	// to. An import refuses a book naming another organisation.
	Organisation pcnhub.ODSCode `json:"organisation" yaml:"organisation"`

	// BankHolidays says whether sessions run on bank holidays: "closed"
	// (the default, also written as "") or "open".
	BankHolidays string `json:"bank_holidays,omitempty" yaml:"bank_holidays,omitempty"`

	// Closures are whole days on which no session runs (training
	// afternoons are a session's suspension, not a closure).
	Closures []Period `json:"closures,omitempty" yaml:"closures,omitempty"`

	Sessions []Session `json:"sessions" yaml:"sessions"`
}

// Bank-holiday policies (Book.BankHolidays).
const (
	BankHolidaysClosed = "closed"
	BankHolidaysOpen   = "open"
)

// Period is an inclusive range of dates with a reason shown to staff.
type Period struct {
	From   pcnhub.Date `json:"from" yaml:"from"`
	To     pcnhub.Date `json:"to" yaml:"to"`
	Reason string      `json:"reason,omitempty" yaml:"reason,omitempty"`
}

// Contains reports whether d is within the period.
func (p Period) Contains(d pcnhub.Date) bool { return !d.Before(p.From) && !p.To.Before(d) }

// Session is a session template: one recurring session of a practitioner
// (or of a room, or of neither, e.g. a telephone triage list) on some
// weekdays. Each template becomes one GP Connect Schedule.
type Session struct {
	// Name identifies the template within its book; it must be unique and
	// stable, because generated slots belong to it (renaming a template is
	// removing one and adding another).
	Name string `json:"name" yaml:"name"`

	Days  []Weekday `json:"days" yaml:"days"`
	Start ClockTime `json:"start" yaml:"start"`
	End   ClockTime `json:"end" yaml:"end"`

	// Practitioner is the SDS user id of the practitioner; empty for a
	// session without one.
	Practitioner string `json:"practitioner,omitempty" yaml:"practitioner,omitempty"`
	// Location is the name or ODS site code of one of the organisation's
	// locations.
	Location string `json:"location" yaml:"location"`
	// Room, when set, is checked for double use: two sessions may not
	// share a location's room at the same time.
	Room string `json:"room,omitempty" yaml:"room,omitempty"`

	SlotMinutes int                      `json:"slot_minutes" yaml:"slot_minutes"`
	SlotType    string                   `json:"slot_type" yaml:"slot_type"`       // Slot.serviceType.text
	SessionName string                   `json:"session_name" yaml:"session_name"` // Schedule.serviceCategory.text
	Channel     schedule.DeliveryChannel `json:"channel" yaml:"channel"`

	// Role is the practitioner's SDS job role code (e.g. R0260), shown in
	// the PractitionerRole-1 extension; RoleDisplay is needed only for
	// codes outside schedule.JobRoleDisplays.
	Role        string `json:"role,omitempty" yaml:"role,omitempty"`
	RoleDisplay string `json:"role_display,omitempty" yaml:"role_display,omitempty"`

	// GPADCategory, when set, is the national GPAD category of the
	// session's slot type (and of the slot types its slot rules name,
	// unless a rule gives its own); the import records it in the
	// organisation's GPAD mapping. GPADSetting defaults to "General
	// Practice".
	GPADCategory string `json:"gpad_category,omitempty" yaml:"gpad_category,omitempty"`
	GPADSetting  string `json:"gpad_setting,omitempty" yaml:"gpad_setting,omitempty"`

	// Bookable marks the slots GP Connect bookable; Restrictions narrow who
	// may see and book them. BookingWindow is how far ahead they may be
	// booked (0: no limit), Embargo how close to the start they may no
	// longer be booked (0: none).
	Bookable      bool         `json:"bookable,omitempty" yaml:"bookable,omitempty"`
	Restrictions  Restrictions `json:"restrictions,omitzero" yaml:"restrictions,omitempty"`
	BookingWindow Duration     `json:"booking_window,omitempty" yaml:"booking_window,omitempty"`
	Embargo       Duration     `json:"embargo,omitempty" yaml:"embargo,omitempty"`

	// From and Until bound the dates the session runs (inclusive; zero:
	// unbounded). Suspensions are periods it does not run.
	From        pcnhub.Date `json:"from,omitzero" yaml:"from,omitempty"`
	Until       pcnhub.Date `json:"until,omitzero" yaml:"until,omitempty"`
	Suspensions []Period    `json:"suspensions,omitempty" yaml:"suspensions,omitempty"`

	// Slots are per-slot rules: overrides of some slots of the session,
	// every day or on one date.
	Slots []SlotRule `json:"slots,omitempty" yaml:"slots,omitempty"`

	// Line is where the session starts in the file it was decoded from
	// (0: unknown); problems quote it.
	Line int `json:"-" yaml:"-"`
}

// Restrictions narrow who may see and book a GP Connect bookable slot:
// consumers of these organisation types, with these ODS codes, or members
// of these organisation groups (resolved to their ODS codes when slots are
// generated). Empty: anyone. See schedule.Slot.VisibleTo for how type and
// ODS restrictions combine.
type Restrictions struct {
	OrgTypes []pcnhub.OrgType `json:"org_types,omitempty" yaml:"org_types,omitempty"`
	ODSCodes []pcnhub.ODSCode `json:"ods_codes,omitempty" yaml:"ods_codes,omitempty"`
	Groups   []string         `json:"groups,omitempty" yaml:"groups,omitempty"`
}

// None reports whether there is no restriction. (It is not IsZero on
// purpose: the YAML encoder would then drop a rule's "restrictions: {}",
// which lifts the session's restrictions.)
func (r Restrictions) None() bool {
	return len(r.OrgTypes) == 0 && len(r.ODSCodes) == 0 && len(r.Groups) == 0
}

// SlotRule overrides some slots of a session: Count consecutive slots
// (default 1) from the one starting at At, on every day the session runs or
// only on Date. A nil field keeps the session's value. Blocked slots are
// generated busy-unavailable (a break, a meeting). Later rules win over
// earlier ones.
type SlotRule struct {
	At    ClockTime   `json:"at" yaml:"at"`
	Date  pcnhub.Date `json:"date,omitzero" yaml:"date,omitempty"`
	Count int         `json:"count,omitempty" yaml:"count,omitempty"`

	SlotType      *string                   `json:"slot_type,omitempty" yaml:"slot_type,omitempty"`
	Channel       *schedule.DeliveryChannel `json:"channel,omitempty" yaml:"channel,omitempty"`
	Bookable      *bool                     `json:"bookable,omitempty" yaml:"bookable,omitempty"`
	Restrictions  *Restrictions             `json:"restrictions,omitempty" yaml:"restrictions,omitempty"`
	BookingWindow *Duration                 `json:"booking_window,omitempty" yaml:"booking_window,omitempty"`
	Embargo       *Duration                 `json:"embargo,omitempty" yaml:"embargo,omitempty"`
	Blocked       bool                      `json:"blocked,omitempty" yaml:"blocked,omitempty"`

	// GPADCategory is the national category of the slot type this rule
	// names; empty: the session's category.
	GPADCategory string `json:"gpad_category,omitempty" yaml:"gpad_category,omitempty"`
}

func (r SlotRule) count() int { return max(1, r.Count) }

// Weekday is a day of the week, written "Mon" … "Sun" (full names and any
// case are accepted).
type Weekday time.Weekday

var weekdayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

func (w Weekday) String() string {
	if w < 0 || w > 6 {
		return fmt.Sprintf("Weekday(%d)", int(w))
	}
	return weekdayNames[w]
}

// MarshalText writes "Mon" … "Sun".
func (w Weekday) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText reads a day name: "Mon", "monday", "MON".
func (w *Weekday) UnmarshalText(b []byte) error {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	for i, n := range weekdayNames {
		full := strings.ToLower(time.Weekday(i).String())
		if s == strings.ToLower(n) || s == full {
			*w = Weekday(i)
			return nil
		}
	}
	return fmt.Errorf("%q is not a day of the week (Mon, Tue, Wed, Thu, Fri, Sat, Sun)", clip(string(b)))
}

// ClockTime is a wall-clock time of day in minutes after midnight, written
// "HH:MM" (24-hour). "24:00" is the end of the day.
type ClockTime int

// ParseClockTime parses "HH:MM".
func ParseClockTime(s string) (ClockTime, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if ok && len(h) == 2 && len(m) == 2 && digits(h) && digits(m) {
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if err1 == nil && err2 == nil && hh >= 0 && mm >= 0 && mm < 60 && (hh < 24 || hh == 24 && mm == 0) {
			return ClockTime(hh*60 + mm), nil
		}
	}
	return 0, fmt.Errorf("%q is not a time of day written HH:MM (00:00 to 24:00)", clip(s))
}

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes "HH:MM".
func (c ClockTime) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "HH:MM".
func (c *ClockTime) UnmarshalText(b []byte) error {
	v, err := ParseClockTime(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// On returns the instant of this wall-clock time on date d in London. A
// time inside the hour the clocks skip is read as if the clocks had not
// changed yet (01:30 on the spring night is 02:30 BST).
func (c ClockTime) On(d pcnhub.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, pcnhub.London)
}

// Duration is a length of time written with d, h and m units: "14d",
// "2h", "1d12h", "30m". "0" is no duration. At most maxDuration.
type Duration time.Duration

// maxDuration is the longest Duration: ten years.
const maxDuration = 3660 * 24 * time.Hour

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// ParseDuration parses a Duration.
func ParseDuration(s string) (Duration, error) {
	t := strings.TrimSpace(s)
	if t == "0" {
		return 0, nil
	}
	var total time.Duration
	rest := t
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) || i > 6 {
			return 0, fmt.Errorf("%q is not a duration: write a number and a unit, e.g. 14d, 2h, 30m or 1d12h", clip(s))
		}
		n, _ := strconv.Atoi(rest[:i])
		unit := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute}[rest[i]]
		if unit == 0 {
			return 0, fmt.Errorf("%q is not a duration: the units are d (days), h (hours) and m (minutes)", clip(s))
		}
		// n·unit and the sum stay far from overflow: each term is
		// checked against the cap before it is added.
		if time.Duration(n) > maxDuration/unit {
			return 0, fmt.Errorf("%q is longer than %d days, the longest booking window or embargo", clip(s), maxDuration/(24*time.Hour))
		}
		total += time.Duration(n) * unit
		if total > maxDuration {
			return 0, fmt.Errorf("%q is longer than %d days, the longest booking window or embargo", clip(s), maxDuration/(24*time.Hour))
		}
		rest = rest[i+1:]
	}
	if t == "" {
		return 0, fmt.Errorf("an empty text is not a duration")
	}
	return Duration(total), nil
}

func (d Duration) String() string {
	if d <= 0 {
		return "0"
	}
	var b strings.Builder
	rest := time.Duration(d)
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if n := rest / u.unit; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
			rest -= n * u.unit
		}
	}
	if b.Len() == 0 {
		return "0"
	}
	return b.String()
}

// MarshalText writes the duration with d, h and m units.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a duration with d, h and m units.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// runsOn reports whether the session runs on date d, and if not, why.
func (s *Session) runsOn(d pcnhub.Date) bool {
	if !slices.Contains(s.Days, Weekday(d.Time(time.UTC).Weekday())) {
		return false
	}
	if !s.From.IsZero() && d.Before(s.From) || !s.Until.IsZero() && s.Until.Before(d) {
		return false
	}
	for _, p := range s.Suspensions {
		if p.Contains(d) {
			return false
		}
	}
	return true
}

// RoleDisplayText is the display of the session's job role: the known
// display of its code, else the book's RoleDisplay.
func (s *Session) RoleDisplayText() string {
	if d, ok := schedule.JobRoleDisplays[s.Role]; ok {
		return d
	}
	return s.RoleDisplay
}
