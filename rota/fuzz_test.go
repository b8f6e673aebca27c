package rota

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// yamlSeeds are the testdata books and a few mutations of them.
func yamlSeeds(f *testing.F) [][]byte {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no testdata: %v", err)
	}
	var seeds [][]byte
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
		s := string(data)
		seeds = append(seeds,
			[]byte(strings.Replace(s, "08:30", "8.30", 1)),
			[]byte(strings.Replace(s, "slot_minutes: 10", "slot_minutes: 7", 1)),
			[]byte(strings.Replace(s, "Mon", "Funday", 1)),
			[]byte(strings.Replace(s, "28d", "213504d", 1)),
			[]byte(strings.Replace(s, "name:", "nmae:", 1)),
			[]byte(s+"---\n"+s),
			[]byte(s[:len(s)/2]),
			[]byte(strings.ReplaceAll(s, "  ", "\t")),
		)
	}
	for _, s := range []string{
		"", "~", "---\n", "[]", "organisation: A99991\n", "organisation: [\n", "organisation: A99991\nsessions: {}\n",
		"a: &x [*x]\n",
		"organisation: &o A99991\nclosures: [{from: 2026-01-01, to: 2026-01-02, reason: *o}]\n",
		"sessions:\n  - &s {name: a, days: [Mon], start: 08:00, end: 09:00}\n  - <<: *s\n    name: b\n",
		"organisation: !!binary QTk5OTkx\n",
		"organisation: \"A\\n\\u2028\"\nclosures: [{reason: \"\\ta\\nb\"}]\n",
		"sessions:\n  - name: x\n    slots:\n      - at: 09:00\n        restrictions: {}\n        count: 4611686018427387904\n",
		"sessions:\n  - {name: n, days: [sun], start: 01:00, end: 02:00, slot_minutes: 20, location: L, slot_type: T, session_name: S, channel: Video}\n",
		"organisation: A99991\nbank_holidays: open\nsessions:\n  - {name: m, days: [Sat, Sun], start: 00:00, end: 24:00, slot_minutes: 1, location: L, slot_type: T, session_name: S, channel: Telephone}\n",
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func jsonSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, y := range yamlSeeds(f) {
		if b, err := Decode(y, YAML); err == nil {
			if data, err := Encode(b, JSON); err == nil {
				seeds = append(seeds, data)
				s := string(data)
				seeds = append(seeds,
					[]byte(strings.Replace(s, `"08:30"`, `510`, 1)),
					[]byte(strings.Replace(s, `",`, `" `, 1)),
					[]byte(strings.Replace(s, `"name"`, `"nmae"`, 1)),
					[]byte(s+s),
					[]byte(s[:len(s)/2]),
				)
			}
		}
	}
	for _, s := range []string{
		"", "null", "{}", "[]", `{"organisation": "\u0000\n"}`, `{"sessions": [{"days": ["Mon", 1]}]}`,
		`{"sessions": [{"slots": [{"restrictions": {}, "booking_window": "999999d"}]}]}`,
		strings.Repeat("[", 10000),
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func FuzzDecodeYAML(f *testing.F) {
	for _, s := range yamlSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode(t, data, YAML) })
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range jsonSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode(t, data, JSON) })
}

// checkDecode: Decode never panics, fails only with EINVALID, and a book it
// reads survives Encode and Decode in both formats.
func checkDecode(t *testing.T, data []byte, f Format) {
	b, err := Decode(data, f)
	if err != nil {
		var e *pcnhub.Error
		if !errors.As(err, &e) || e.Code != pcnhub.EINVALID {
			t.Fatalf("Decode: %v (%T), want *pcnhub.Error with EINVALID", err, err)
		}
		if b != nil {
			t.Fatalf("Decode returned a book with its error")
		}
		if e.Message == "" {
			t.Fatalf("error without a message")
		}
		return
	}
	if b == nil {
		t.Fatal("Decode returned neither a book nor an error")
	}
	for _, out := range []Format{YAML, JSON} {
		data2, err := Encode(b, out)
		if err != nil {
			t.Fatalf("Encode(%s): %v", out, err)
		}
		b2, err := Decode(data2, out)
		if err == nil && equalBooks(b, b2) {
			continue
		}
		if err != nil {
			t.Fatalf("Decode(Encode(b, %s)): %v\n%s", out, err, data2)
		}
		t.Fatalf("Decode(Encode(b, %s)) changed the book:\n%s\ngot  %#v\nwant %#v", out, data2, canonical(b2), canonical(b))
	}
}

// permissiveDir knows every practitioner, location, organisation and group
// the book names (groups with one member), so that fuzzed books can pass
// Validate.
func permissiveDir(b *Book) Directory {
	dir := Directory{Organisations: map[pcnhub.ODSCode]bool{}, Groups: map[string][]pcnhub.ODSCode{}, Practitioners: map[string]bool{}, Locations: map[string]bool{}}
	addR := func(r Restrictions) {
		for _, c := range r.ODSCodes {
			dir.Organisations[c] = true
		}
		for _, g := range r.Groups {
			dir.Groups[g] = []pcnhub.ODSCode{"Y00001", pcnhub.ODSCode(g)}
		}
	}
	for _, s := range b.Sessions {
		dir.Practitioners[s.Practitioner] = true
		dir.Locations[s.Location] = true
		addR(s.Restrictions)
		for _, r := range s.Slots {
			if r.Restrictions != nil {
				addR(*r.Restrictions)
			}
		}
	}
	return dir
}

func FuzzValidateGenerate(f *testing.F) {
	for _, s := range yamlSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Decode(data, YAML)
		if err != nil {
			return
		}
		dir := permissiveDir(b)
		if ps := Validate(b, dir); ps != nil {
			for _, p := range ps {
				if p.Message == "" || p.String() == "" {
					t.Fatalf("empty problem %#v", p)
				}
			}
			return
		}
		env := Env{Groups: dir.Groups, BankHolidays: map[pcnhub.Date]bool{date(2026, 10, 26): true, date(2027, 3, 29): true}}
		for _, from := range []pcnhub.Date{date(2026, 10, 19), date(2027, 3, 22)} {
			to := from.AddDays(14)
			got := Generate(b, from, to, env)
			if len(got) != len(b.Sessions) {
				t.Fatalf("%d lists for %d sessions", len(got), len(b.Sessions))
			}
			for i := range got {
				checkGenerated(t, b, &b.Sessions[i], got[i], from, to, env)
			}
		}
	})
}

// checkGenerated checks one session's generated slots against the book.
func checkGenerated(t *testing.T, b *Book, s *Session, slots []schedule.Slot, from, to pcnhub.Date, env Env) {
	t.Helper()
	length := time.Duration(s.SlotMinutes) * time.Minute
	wall := func(tm time.Time, d pcnhub.Date) int { // minutes after midnight of d, on the wall clock
		l := tm.In(pcnhub.London)
		if londonDay(l) != d {
			return 24 * 60 // midnight ending d
		}
		return l.Hour()*60 + l.Minute()
	}
	for i, sl := range slots {
		d := londonDay(sl.Start)
		if d.Before(from) || !d.Before(to) {
			t.Fatalf("session %q: slot on %s outside %s–%s", s.Name, d, from, to)
		}
		if !sl.End.After(sl.Start) || sl.End.Sub(sl.Start) != length {
			t.Fatalf("session %q: slot %v–%v is not %v long", s.Name, sl.Start, sl.End, length)
		}
		if sl.Start.Before(s.Start.On(d)) || sl.End.After(s.End.On(d)) {
			t.Fatalf("session %q: slot %v–%v outside the session %s–%s on %s", s.Name, sl.Start, sl.End, s.Start, s.End, d)
		}
		// (On the night the clocks go back a slot may end earlier on the
		// wall clock than it starts: 01:30 BST to 01:00 GMT.)
		if wall(sl.Start, d) < int(s.Start) || wall(sl.End, d) > int(s.End) {
			t.Fatalf("session %q: slot %v–%v outside wall-clock %s–%s", s.Name, sl.Start.In(pcnhub.London), sl.End.In(pcnhub.London), s.Start, s.End)
		}
		if i > 0 && sl.Start.Before(slots[i-1].End) {
			t.Fatalf("session %q: slots %v–%v and %v–%v overlap or are out of order", s.Name, slots[i-1].Start, slots[i-1].End, sl.Start, sl.End)
		}
		wd := Weekday(d.Time(time.UTC).Weekday())
		suspended := slices.ContainsFunc(s.Suspensions, func(p Period) bool { return p.Contains(d) })
		closed := slices.ContainsFunc(b.Closures, func(p Period) bool { return p.Contains(d) }) || env.BankHolidays[d] && b.BankHolidays != BankHolidaysOpen
		if !slices.Contains(s.Days, wd) || suspended || closed || !s.From.IsZero() && d.Before(s.From) || !s.Until.IsZero() && s.Until.Before(d) {
			t.Fatalf("session %q: slot on %s (%s), when it does not run", s.Name, d, wd)
		}
		if sl.Status != schedule.SlotFree && sl.Status != schedule.SlotBusyUnavailable {
			t.Fatalf("session %q: status %s", s.Name, sl.Status)
		}
		if sl.DeliveryChannel == schedule.Visit && sl.Bookable {
			t.Fatalf("session %q: bookable Visit slot", s.Name)
		}
		if !slices.IsSorted(sl.ODSCodes) || len(slices.Compact(slices.Clone(sl.ODSCodes))) != len(sl.ODSCodes) {
			t.Fatalf("session %q: ODS codes %v not sorted and unique", s.Name, sl.ODSCodes)
		}
		if sl.ID != 0 || sl.ScheduleID != 0 || sl.Version != 0 {
			t.Fatalf("session %q: generated slot carries ids: %+v", s.Name, sl)
		}
	}
}

// The DST seed book is valid, and its slots pass the fuzz checks.
func TestDSTBook(t *testing.T) {
	b, err := Decode(readTestdata(t, "dst.yaml"), YAML)
	if err != nil {
		t.Fatal(err)
	}
	if ps := Validate(b, testDir()); ps != nil {
		t.Fatal(ps)
	}
	env := Env{BankHolidays: map[pcnhub.Date]bool{date(2026, 10, 26): true}}
	for _, from := range []pcnhub.Date{date(2026, 10, 19), date(2027, 3, 22)} {
		got := Generate(b, from, from.AddDays(14), env)
		for i := range got {
			checkGenerated(t, b, &b.Sessions[i], got[i], from, from.AddDays(14), env)
		}
	}
	// Slot rules address slots by their place in the session: on the
	// night the clocks go back, the rule "at 02:30" of the 00:00 session
	// is its sixth slot, which starts at 01:30 GMT (the repeated hour
	// shifts the later slots' wall-clock times by an hour).
	d := date(2026, 10, 25)
	night := Generate(b, d, d.AddDays(1), env)[0]
	if len(night) != 8 {
		t.Fatalf("%d slots, want 8", len(night))
	}
	var types []string
	for _, sl := range night {
		types = append(types, sl.Start.In(pcnhub.London).Format("15:04 MST")+" "+sl.ServiceType+" "+string(sl.Status))
	}
	want := []string{
		"00:00 BST Telephone triage free", "00:30 BST Telephone triage free",
		"01:00 BST Telephone triage busy-unavailable", "01:30 BST Telephone triage busy-unavailable",
		"01:00 GMT Telephone triage free", "01:30 GMT Call back free",
		"02:00 GMT Telephone triage free", "02:30 GMT Telephone triage free",
	}
	if !slices.Equal(types, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(types, "\n"), strings.Join(want, "\n"))
	}
}
