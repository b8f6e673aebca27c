package rota

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// Shared helpers of the rota tests.

func date(y int, m time.Month, d int) pcnhub.Date { return pcnhub.Date{Year: y, Month: m, Day: d} }

// hm is the wall-clock time h:m.
func hm(h, m int) ClockTime { return ClockTime(h*60 + m) }

func ptr[T any](v T) *T { return &v }

func days(ds ...time.Weekday) []Weekday {
	out := make([]Weekday, len(ds))
	for i, d := range ds {
		out[i] = Weekday(d)
	}
	return out
}

var weekdays = days(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)

// testDir knows everything the books of these tests name.
func testDir() Directory {
	return Directory{
		Organisations: map[pcnhub.ODSCode]bool{"A99991": true, "B82001": true, "Y00001": true, "A00001": true},
		Groups: map[string][]pcnhub.ODSCode{
			"Enhanced access booking": {"Y00001", "B82001"},
			"Empty group":             {},
		},
		Practitioners: map[string]bool{"G1000001": true, "G1000002": true, "G1000003": true},
		Locations:     map[string]bool{"Riverside Surgery": true, "Y12345": true, "Hillside Branch": true},
	}
}

// validBook is a valid book with four sessions; tests change a copy of it
// (see cloneBook).
func validBook() *Book {
	return &Book{
		Organisation: "A99991",
		Closures:     []Period{{From: date(2026, 12, 24), To: date(2026, 12, 24), Reason: "Training"}},
		Sessions: []Session{
			{
				Name: "gp-am", Days: weekdays, Start: hm(8, 30), End: hm(12, 0),
				Practitioner: "G1000001", Location: "Riverside Surgery", Room: "Room 1",
				SlotMinutes: 10, SlotType: "Routine GP appointment", SessionName: "Morning surgery",
				Channel: schedule.InPerson, Role: "R0260", GPADCategory: "General Consultation Routine",
				BookingWindow: Duration(28 * 24 * time.Hour),
				Slots: []SlotRule{
					{At: hm(9, 0), SlotType: ptr("NHS 111 direct booking"), Bookable: ptr(true),
						Restrictions: &Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}}, Embargo: ptr(Duration(30 * time.Minute))},
					{At: hm(10, 30), Count: 2, Blocked: true},
				},
			},
			{
				Name: "gp-pm", Days: weekdays, Start: hm(14, 0), End: hm(17, 0),
				Practitioner: "G1000001", Location: "Riverside Surgery", Room: "Room 1",
				SlotMinutes: 15, SlotType: "Routine GP appointment", SessionName: "Afternoon surgery",
				Channel: schedule.InPerson, Role: "R0260",
			},
			{
				Name: "nurse-bloods", Days: days(time.Tuesday, time.Thursday), Start: hm(8, 0), End: hm(10, 0),
				Location: "Riverside Surgery", Room: "Treatment room",
				SlotMinutes: 15, SlotType: "Blood test", SessionName: "Phlebotomy clinic", Channel: schedule.InPerson,
				Bookable:     true,
				Restrictions: Restrictions{ODSCodes: []pcnhub.ODSCode{"A00001"}, Groups: []string{"Enhanced access booking"}},
				From:         date(2026, 12, 1),
			},
			{
				Name: "visits", Days: days(time.Monday), Start: hm(13, 0), End: hm(14, 0),
				Practitioner: "G1000002", Location: "Riverside Surgery",
				SlotMinutes: 30, SlotType: "Home visit", SessionName: "Home visits", Channel: schedule.Visit,
				GPADCategory: "Home Visit", GPADSetting: "General Practice",
			},
		},
	}
}

// cloneBook is a deep copy (via JSON, which keeps every field but Line).
func cloneBook(t testing.TB, b *Book) *Book {
	t.Helper()
	data, err := Encode(b, JSON)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(data, JSON)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Sessions {
		c.Sessions[i].Line = b.Sessions[i].Line
	}
	return c
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// canonical returns a copy of b that equalBooks compares: lines cleared
// and empty slices made nil (YAML writes a nil list as [] and omits empty
// restrictions; neither changes what the book says).
func canonical(b *Book) Book {
	c := *b
	c.Closures = nilIfEmpty(c.Closures)
	c.Sessions = nilIfEmpty(append([]Session(nil), c.Sessions...))
	for i := range c.Sessions {
		s := &c.Sessions[i]
		s.Line = 0
		s.Days = nilIfEmpty(s.Days)
		s.Suspensions = nilIfEmpty(s.Suspensions)
		s.Restrictions = canonicalRestrictions(s.Restrictions)
		s.Slots = nilIfEmpty(append([]SlotRule(nil), s.Slots...))
		for k := range s.Slots {
			if r := s.Slots[k].Restrictions; r != nil {
				s.Slots[k].Restrictions = ptr(canonicalRestrictions(*r))
			}
		}
	}
	return c
}

func canonicalRestrictions(r Restrictions) Restrictions {
	return Restrictions{OrgTypes: nilIfEmpty(r.OrgTypes), ODSCodes: nilIfEmpty(r.ODSCodes), Groups: nilIfEmpty(r.Groups)}
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// equalBooks reports whether two books say the same, Session.Line aside.
func equalBooks(a, b *Book) bool {
	ca, cb := canonical(a), canonical(b)
	return reflect.DeepEqual(ca, cb)
}

// londonDay returns the London calendar date of t.
func londonDay(t time.Time) pcnhub.Date { return pcnhub.DateOf(t.In(pcnhub.London)) }

// breaksYAMLHeader reports whether an organisation code would break the
// comment line Encode writes at the top of a YAML book (a known bug, see
// TestEncodeYAMLOrganisationLineBreak): YAML line breaks and characters
// YAML does not allow in a file.
func breaksYAMLHeader(org string) bool {
	if !utf8.ValidString(org) {
		return true
	}
	for _, r := range org {
		switch {
		case r == '\t':
		case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfffe, r == 0xffff:
			return true
		}
	}
	return false
}

// hasEmptyRuleRestrictions reports whether a slot rule of the book has
// empty, non-nil restrictions (lifting the session's), which YAML
// encoding drops (a known bug, see TestEncodeYAMLKeepsEmptyRuleRestrictions).
func hasEmptyRuleRestrictions(b *Book) bool {
	for _, s := range b.Sessions {
		for _, r := range s.Slots {
			if r.Restrictions != nil && r.Restrictions.None() {
				return true
			}
		}
	}
	return false
}

// anyText reports whether pred holds for some text field of the book.
func anyText(b *Book, pred func(string) bool) bool {
	var walk func(v reflect.Value) bool
	walk = func(v reflect.Value) bool {
		switch v.Kind() {
		case reflect.String:
			return pred(v.String())
		case reflect.Pointer:
			return !v.IsNil() && walk(v.Elem())
		case reflect.Slice:
			for i := range v.Len() {
				if walk(v.Index(i)) {
					return true
				}
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() && walk(v.Field(i)) {
					return true
				}
			}
		}
		return false
	}
	return walk(reflect.ValueOf(b))
}

// tabLiteral reports whether YAML encoding writes s as a literal block
// whose first line starts with a tab, which the YAML decoder then rejects
// (a known bug, see TestEncodeYAMLTabIndentedText).
func tabLiteral(s string) bool { return strings.HasPrefix(s, "\t") && strings.Contains(s, "\n") }
