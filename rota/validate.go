package rota

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/schedule"
)

// Directory is what validating a book needs to know about the world: the
// organisations, groups, practitioners and locations its sessions may name.
type Directory struct {
	// Organisations are the ODS codes pcnhub knows (hosted or not).
	Organisations map[pcnhub.ODSCode]bool
	// Groups are the organisation groups by name, with their members.
	Groups map[string][]pcnhub.ODSCode
	// Practitioners are the SDS user ids of the book organisation's
	// practitioners.
	Practitioners map[string]bool
	// Locations are the names and ODS site codes of the book
	// organisation's locations.
	Locations map[string]bool
}

// Problem is one thing wrong with a book, located as precisely as possible.
type Problem struct {
	Session string // the session's name; "" for the book as a whole
	Line    int    // the session's line in its file; 0: unknown
	Field   string // e.g. "slot_minutes", "slots[2].at"
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Session != "" {
		fmt.Fprintf(&b, "session %q: ", p.Session)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is the list Validate returns; as an error it reads as one line
// per problem.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

var roleCode = regexp.MustCompile(`^R[0-9]{4}$`)

// Validate checks a whole book and returns every problem it finds (nil
// when there is none): missing or malformed fields, sessions crossing
// midnight, slot lengths that do not divide the session, overlapping
// sessions of one practitioner or one room, unknown GPAD categories, one
// slot type given two categories, restrictions naming unknown
// organisations or groups, slot rules outside their session, and Visit
// slots marked bookable.
func Validate(b *Book, dir Directory) Problems {
	v := &validator{dir: dir}
	if b.Organisation == "" {
		v.add(nil, "organisation", "the book must name its organisation's ODS code")
	} else if _, err := pcnhub.ParseODSCode(string(b.Organisation)); err != nil {
		v.add(nil, "organisation", err.Error())
	}
	switch b.BankHolidays {
	case "", BankHolidaysClosed, BankHolidaysOpen:
	default:
		v.add(nil, "bank_holidays", fmt.Sprintf("%q must be %q or %q", clip(b.BankHolidays), BankHolidaysClosed, BankHolidaysOpen))
	}
	for i, p := range b.Closures {
		v.period(nil, fmt.Sprintf("closures[%d]", i), p)
	}
	names := map[string]bool{}
	categories := map[string]string{} // slot type → GPAD category
	for i := range b.Sessions {
		s := &b.Sessions[i]
		if s.Name == "" {
			v.add(s, "name", fmt.Sprintf("session %d has no name; every session needs a unique name", i+1))
		} else if names[s.Name] {
			v.add(s, "name", "two sessions have this name; names must be unique within a book")
		}
		names[s.Name] = true
		v.session(s, categories)
	}
	v.overlaps(b.Sessions)
	return v.problems
}

type validator struct {
	dir      Directory
	problems Problems
}

func (v *validator) add(s *Session, field, msg string) {
	p := Problem{Field: field, Message: msg}
	if s != nil {
		p.Session, p.Line = s.Name, s.Line
	}
	v.problems = append(v.problems, p)
}

func (v *validator) period(s *Session, field string, p Period) {
	switch {
	case p.From.IsZero() || p.To.IsZero():
		v.add(s, field, "a period needs both from and to dates")
	case p.To.Before(p.From):
		v.add(s, field, fmt.Sprintf("ends (%s) before it starts (%s)", p.To, p.From))
	}
}

func (v *validator) session(s *Session, categories map[string]string) {
	if len(s.Days) == 0 {
		v.add(s, "days", "name the weekdays the session runs, e.g. [Mon, Wed]")
	}
	seen := map[Weekday]bool{}
	for _, d := range s.Days {
		if d < 0 || d > 6 {
			v.add(s, "days", fmt.Sprintf("%d is not a day of the week", int(d)))
		} else if seen[d] {
			v.add(s, "days", fmt.Sprintf("%s is listed twice", d))
		}
		seen[d] = true
	}
	length := int(s.End) - int(s.Start)
	switch {
	case s.End <= s.Start:
		v.add(s, "end", fmt.Sprintf("the session starts at %s and ends at %s: it must end later the same day; a session crossing midnight must be split into two, one each side of midnight", s.Start, s.End))
	case s.SlotMinutes <= 0:
		v.add(s, "slot_minutes", "give the slot length in minutes, e.g. 10")
	case length%s.SlotMinutes != 0:
		v.add(s, "slot_minutes", fmt.Sprintf("%d-minute slots do not divide the %s–%s session (%d minutes) exactly: the last slot would be cut short", s.SlotMinutes, s.Start, s.End, length))
	}
	if strings.TrimSpace(s.SlotType) == "" {
		v.add(s, "slot_type", "name the slot type (shown to consumers as Slot.serviceType.text)")
	}
	if strings.TrimSpace(s.SessionName) == "" {
		v.add(s, "session_name", "name the session (shown to consumers as Schedule.serviceCategory.text)")
	}
	v.channel(s, "channel", s.Channel, s.Bookable)
	if s.Practitioner != "" && !v.dir.Practitioners[s.Practitioner] {
		v.add(s, "practitioner", fmt.Sprintf("no practitioner of this organisation has SDS user id %q", clip(s.Practitioner)))
	}
	if s.Location == "" {
		v.add(s, "location", "name one of the organisation's locations (its name or ODS site code)")
	} else if !v.dir.Locations[s.Location] {
		v.add(s, "location", fmt.Sprintf("the organisation has no location named %q", clip(s.Location)))
	}
	switch {
	case s.Role == "":
	case !roleCode.MatchString(s.Role):
		v.add(s, "role", fmt.Sprintf("%q is not an SDS job role code (R and four digits, e.g. R0260)", clip(s.Role)))
	case s.RoleDisplayText() == "":
		v.add(s, "role_display", fmt.Sprintf("give the display text of SDS job role %s (pcnhub knows the displays of %s only)", s.Role, strings.Join(knownRoles(), ", ")))
	}
	sessionCategory, sessionOK := "", true
	if s.GPADCategory != "" {
		if sessionCategory, sessionOK = gpad.Category(s.GPADCategory); !sessionOK {
			v.add(s, "gpad_category", fmt.Sprintf("%q is not a national GPAD category (see pcnhub gpad categories)", clip(s.GPADCategory)))
		} else {
			v.category(s, "gpad_category", s.SlotType, sessionCategory, categories)
		}
	}
	for i, r := range s.Slots {
		field := fmt.Sprintf("slots[%d].gpad_category", i)
		switch {
		case r.GPADCategory != "":
			c, ok := gpad.Category(r.GPADCategory)
			switch {
			case !ok:
				v.add(s, field, fmt.Sprintf("%q is not a national GPAD category (see pcnhub gpad categories)", clip(r.GPADCategory)))
			case r.SlotType == nil:
				v.add(s, field, "a slot rule's GPAD category needs the slot type it categorises (slot_type)")
			default:
				v.category(s, field, *r.SlotType, c, categories)
			}
		case r.SlotType != nil && sessionCategory != "" && sessionOK:
			v.category(s, field, *r.SlotType, sessionCategory, categories)
		}
	}
	if s.GPADSetting != "" {
		if _, ok := gpad.Setting(s.GPADSetting); !ok {
			v.add(s, "gpad_setting", fmt.Sprintf("%q is not a GPAD setting (%s)", clip(s.GPADSetting), strings.Join(gpad.Settings, ", ")))
		}
	}
	v.restrictions(s, "restrictions", s.Restrictions)
	v.window(s, "", s.BookingWindow, s.Embargo)
	if !s.From.IsZero() && !s.Until.IsZero() && s.Until.Before(s.From) {
		v.add(s, "until", fmt.Sprintf("the session ends (%s) before it starts (%s)", s.Until, s.From))
	}
	for i, p := range s.Suspensions {
		v.period(s, fmt.Sprintf("suspensions[%d]", i), p)
	}
	for i, r := range s.Slots {
		v.rule(s, fmt.Sprintf("slots[%d]", i), r)
	}
}

func knownRoles() []string {
	var out []string
	for c := range schedule.JobRoleDisplays {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

func (v *validator) category(s *Session, field, slotType, category string, seen map[string]string) {
	if prev, ok := seen[slotType]; ok && prev != category {
		v.add(s, field, fmt.Sprintf("slot type %q is given GPAD category %q here and %q elsewhere in the book; a slot type has one category", clip(slotType), category, prev))
		return
	}
	seen[slotType] = category
}

func (v *validator) channel(s *Session, field string, c schedule.DeliveryChannel, bookable bool) {
	switch {
	case !c.Valid():
		v.add(s, field, fmt.Sprintf("%q is not a delivery channel (In-person, Telephone, Video, Visit)", clip(string(c))))
	case c == schedule.Visit && bookable:
		v.add(s, field, "Visit slots (home visits) are never GP Connect bookable: set bookable to false")
	}
}

func (v *validator) restrictions(s *Session, field string, r Restrictions) {
	for _, t := range r.OrgTypes {
		if !t.Valid() {
			v.add(s, field+".org_types", fmt.Sprintf("%q is not an organisation type (gp-practice, urgent-care, pcn-hub)", clip(string(t))))
		}
	}
	for _, c := range r.ODSCodes {
		if !v.dir.Organisations[c] {
			v.add(s, field+".ods_codes", fmt.Sprintf("no organisation has ODS code %q; add it first (pcnhub org add)", clip(string(c))))
		}
	}
	for _, g := range r.Groups {
		members, ok := v.dir.Groups[g]
		switch {
		case !ok:
			v.add(s, field+".groups", fmt.Sprintf("there is no organisation group named %q", clip(g)))
		case len(members) == 0:
			v.add(s, field+".groups", fmt.Sprintf("group %q has no members: restricting slots to it would restrict them to nobody", clip(g)))
		}
	}
}

func (v *validator) window(s *Session, prefix string, window, embargo Duration) {
	switch {
	case window < 0 || embargo < 0:
		v.add(s, prefix+"booking_window", "booking window and embargo cannot be negative")
	case window > 0 && embargo >= window:
		v.add(s, prefix+"embargo", fmt.Sprintf("an embargo of %s with a booking window of %s leaves no time in which the slots can be booked", embargo, window))
	}
}

func (v *validator) rule(s *Session, field string, r SlotRule) {
	if s.SlotMinutes <= 0 || s.End <= s.Start {
		return // the session's own problem is reported
	}
	switch {
	case r.At < s.Start || r.At >= s.End:
		v.add(s, field+".at", fmt.Sprintf("%s is outside the session (%s–%s)", r.At, s.Start, s.End))
	case (int(r.At)-int(s.Start))%s.SlotMinutes != 0:
		v.add(s, field+".at", fmt.Sprintf("no slot starts at %s: the session's %d-minute slots start at %s, %s, …", r.At, s.SlotMinutes, s.Start, s.Start+ClockTime(s.SlotMinutes)))
	case r.Count < 0:
		v.add(s, field+".count", "count cannot be negative")
	case r.count() > (int(s.End)-int(r.At))/s.SlotMinutes:
		v.add(s, field+".count", fmt.Sprintf("%d slots from %s run past the end of the session (%s)", r.count(), r.At, s.End))
	}
	if !r.Date.IsZero() && !s.runsOn(r.Date) {
		v.add(s, field+".date", fmt.Sprintf("the session does not run on %s (%s)", r.Date, Weekday(r.Date.Time(pcnhub.London).Weekday())))
	}
	channel, bookable := s.Channel, s.Bookable
	if r.Channel != nil {
		channel = *r.Channel
	}
	if r.Bookable != nil {
		bookable = *r.Bookable
	}
	if r.Channel != nil || r.Bookable != nil {
		v.channel(s, field+".channel", channel, bookable)
	}
	if r.SlotType != nil && strings.TrimSpace(*r.SlotType) == "" {
		v.add(s, field+".slot_type", "a slot type cannot be empty")
	}
	if r.Restrictions != nil {
		v.restrictions(s, field+".restrictions", *r.Restrictions)
	}
	if r.BookingWindow != nil || r.Embargo != nil { // else the session's own check covers it
		window, embargo := s.BookingWindow, s.Embargo
		if r.BookingWindow != nil {
			window = *r.BookingWindow
		}
		if r.Embargo != nil {
			embargo = *r.Embargo
		}
		v.window(s, field+".", window, embargo)
	}
}

// overlaps reports pairs of sessions that would have one practitioner, or
// one room, in two places at once: they share a weekday, their date ranges
// meet and their times overlap.
func (v *validator) overlaps(ss []Session) {
	for i := range ss {
		for j := i + 1; j < len(ss); j++ {
			a, b := &ss[i], &ss[j]
			samePractitioner := a.Practitioner != "" && a.Practitioner == b.Practitioner
			sameRoom := a.Room != "" && strings.EqualFold(a.Room, b.Room) && a.Location == b.Location
			if !samePractitioner && !sameRoom || a.Start >= b.End || b.Start >= a.End ||
				!sharesDay(a.Days, b.Days) || !datesMeet(a, b) {
				continue
			}
			what := "practitioner " + a.Practitioner
			if !samePractitioner {
				what = fmt.Sprintf("room %q at %s", a.Room, a.Location)
			}
			v.add(b, "start", fmt.Sprintf("overlaps session %q (%s–%s) on %s: %s cannot be in two sessions at once",
				a.Name, a.Start, a.End, commonDays(a.Days, b.Days), what))
		}
	}
}

func sharesDay(a, b []Weekday) bool { return commonDays(a, b) != "" }

func commonDays(a, b []Weekday) string {
	var out []string
	for _, d := range a {
		if slices.Contains(b, d) {
			out = append(out, d.String())
		}
	}
	return strings.Join(out, ", ")
}

// datesMeet reports whether the sessions' from–until ranges intersect.
func datesMeet(a, b *Session) bool {
	if !a.Until.IsZero() && !b.From.IsZero() && a.Until.Before(b.From) {
		return false
	}
	if !b.Until.IsZero() && !a.From.IsZero() && b.Until.Before(a.From) {
		return false
	}
	return true
}

// Normalize rewrites what Validate accepts loosely into its canonical
// form: GPAD categories and settings in their published spelling, the
// default setting filled in, the bank-holiday policy spelt out. Call it on
// a valid book.
func Normalize(b *Book) {
	if b.BankHolidays == "" {
		b.BankHolidays = BankHolidaysClosed
	}
	for i := range b.Sessions {
		s := &b.Sessions[i]
		categorised := false
		if c, ok := gpad.Category(s.GPADCategory); ok {
			s.GPADCategory, categorised = c, true
		}
		for k := range s.Slots {
			if c, ok := gpad.Category(s.Slots[k].GPADCategory); ok {
				s.Slots[k].GPADCategory, categorised = c, true
			}
		}
		if categorised && s.GPADSetting == "" {
			s.GPADSetting = "General Practice"
		}
		if st, ok := gpad.Setting(s.GPADSetting); ok {
			s.GPADSetting = st
		}
	}
}

// GPADMappings are the slot-type mappings the book states: each slot type
// of a session with a GPAD category (and of its slot rules) to that
// category and setting. Call it on a valid, normalized book.
func GPADMappings(b *Book) []gpad.Mapping {
	var out []gpad.Mapping
	seen := map[string]bool{}
	add := func(t, category, setting string) {
		if !seen[t] && category != "" {
			seen[t] = true
			out = append(out, gpad.Mapping{SlotType: t, Category: category, Setting: setting})
		}
	}
	for i := range b.Sessions {
		s := &b.Sessions[i]
		add(s.SlotType, s.GPADCategory, s.GPADSetting)
		for _, r := range s.Slots {
			if r.SlotType == nil {
				continue
			}
			if r.GPADCategory != "" {
				add(*r.SlotType, r.GPADCategory, s.GPADSetting)
			} else {
				add(*r.SlotType, s.GPADCategory, s.GPADSetting)
			}
		}
	}
	return out
}
