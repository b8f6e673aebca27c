package checker_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/checker"
	"github.com/pcnhub/pcnhub/fhir"
)

var (
	day  = time.Date(2026, 11, 25, 0, 0, 0, 0, pcnhub.London)
	now  = time.Date(2026, 11, 24, 9, 0, 0, 0, pcnhub.London)
	from = day
	to   = day.AddDate(0, 0, 1)
)

func at(h, m int) fhir.Instant {
	return fhir.NewInstant(day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute))
}

func slot(id string, h, m int) *fhir.Slot {
	return &fhir.Slot{ID: id, Extension: []fhir.Extension{{URL: fhir.ExtDeliveryChannel, ValueCode: "In-person"}},
		ServiceType: []fhir.CodeableConcept{{Text: "Routine GP appointment"}},
		Schedule:    &fhir.Reference{Reference: "Schedule/1"}, Status: "free", Start: at(h, m), End: at(h, m+10)}
}

// good is a correct answer: two slots of one morning session at one surgery.
func good() *fhir.Bundle {
	sc := &fhir.Schedule{ID: "1",
		Extension: []fhir.Extension{{URL: fhir.ExtPractitionerRole, ValueCodeableConcept: &fhir.CodeableConcept{
			Coding: []fhir.Coding{{System: fhir.CodeSystemSDSJobRoleName, Code: "R0260", Display: "General Medical Practitioner"}}}}},
		ServiceCategory: &fhir.CodeableConcept{Text: "Morning surgery"},
		Actor:           []fhir.Reference{{Reference: "Location/1"}, {Reference: "Practitioner/2"}}}
	return &fhir.Bundle{Type: "searchset", Entry: []fhir.BundleEntry{
		{Resource: slot("10", 9, 0)}, {Resource: slot("11", 9, 10)}, {Resource: sc},
		{Resource: &fhir.Practitioner{ID: "2"}},
		{Resource: &fhir.Location{ID: "1", Name: "Main Surgery", ManagingOrganization: &fhir.Reference{Reference: "Organization/7"}}},
		{Resource: &fhir.Organization{ID: "7", Name: "Practice"}},
	}}
}

func analyse(t *testing.T, b *fhir.Bundle) checker.Report {
	t.Helper()
	raw, err := fhir.Marshal(fhir.JSON, b)
	if err != nil {
		t.Fatal(err)
	}
	return checker.Analyse(raw, b, from, to, now)
}

func slotN(b *fhir.Bundle, i int) *fhir.Slot { return b.Entry[i].Resource.(*fhir.Slot) }
func schedOf(b *fhir.Bundle) *fhir.Schedule  { return b.Entry[2].Resource.(*fhir.Schedule) }
func locOf(b *fhir.Bundle) *fhir.Location    { return b.Entry[4].Resource.(*fhir.Location) }
func mustInstant(t *testing.T, s string) fhir.Instant {
	t.Helper()
	i, err := fhir.ParseInstant(s)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestGood(t *testing.T) {
	r := analyse(t, good())
	if len(r.Problems) != 0 {
		t.Fatalf("problems %+v", r.Problems)
	}
	if r.Slots != 2 || r.Free != 2 || r.Past != 0 || r.Next24h != 1 || r.Next72h != 2 || !r.Earliest.Equal(day.Add(9*time.Hour)) {
		t.Errorf("counts %+v", r)
	}
	for name, m := range map[string]map[string]int{
		"day": r.ByDay, "channel": r.ByChannel, "type": r.ByType, "session": r.BySession, "role": r.ByRole, "location": r.ByLocation} {
		if len(m) != 1 {
			t.Errorf("by %s: %v", name, m)
		}
	}
	if r.ByDay["2026-11-25"] != 2 || r.ByChannel["In-person"] != 2 || r.ByType["Routine GP appointment"] != 2 ||
		r.BySession["Morning surgery"] != 2 || r.ByRole["General Medical Practitioner"] != 2 || r.ByLocation["Main Surgery"] != 2 {
		t.Errorf("breakdowns %+v", r)
	}
}

func TestProblems(t *testing.T) {
	for _, c := range []struct {
		code  string
		count int
		edit  func(t *testing.T, b *fhir.Bundle)
	}{
		{checker.BundleNotSearchset, 1, func(t *testing.T, b *fhir.Bundle) { b.Type = "collection" }},
		{checker.SlotNoSchedule, 1, func(t *testing.T, b *fhir.Bundle) { slotN(b, 0).Schedule.Reference = "Schedule/99" }},
		{checker.ScheduleNoLocation, 1, func(t *testing.T, b *fhir.Bundle) { schedOf(b).Actor = schedOf(b).Actor[1:] }},
		{checker.ScheduleDanglingRef, 1, func(t *testing.T, b *fhir.Bundle) { schedOf(b).Actor[1].Reference = "Practitioner/404" }},
		{checker.LocationNoOrg, 1, func(t *testing.T, b *fhir.Bundle) { locOf(b).ManagingOrganization = nil }},
		{checker.ChannelMissing, 2, func(t *testing.T, b *fhir.Bundle) { slotN(b, 0).Extension = nil; slotN(b, 1).Extension = nil }},
		{checker.ChannelNotFirst, 1, func(t *testing.T, b *fhir.Bundle) {
			s := slotN(b, 0)
			s.Extension = append([]fhir.Extension{{URL: "https://example.org/other", ValueString: "x"}}, s.Extension...)
		}},
		{checker.ChannelUnknown, 1, func(t *testing.T, b *fhir.Bundle) { slotN(b, 1).Extension[0].ValueCode = "Carrier-pigeon" }},
		{checker.VisitSlot, 1, func(t *testing.T, b *fhir.Bundle) { slotN(b, 1).Extension[0].ValueCode = "Visit" }},
		{checker.RoleMissing, 1, func(t *testing.T, b *fhir.Bundle) { schedOf(b).Extension = nil }},
		{checker.RoleNotFirst, 1, func(t *testing.T, b *fhir.Bundle) {
			sc := schedOf(b)
			sc.Extension = append([]fhir.Extension{{URL: "https://example.org/other", ValueString: "x"}}, sc.Extension...)
		}},
		{checker.SlotTypeMissing, 1, func(t *testing.T, b *fhir.Bundle) { slotN(b, 0).ServiceType = nil }},
		{checker.SessionNameMissing, 1, func(t *testing.T, b *fhir.Bundle) { schedOf(b).ServiceCategory = nil }},
		{checker.TimeZ, 2, func(t *testing.T, b *fhir.Bundle) {
			slotN(b, 0).Start = mustInstant(t, "2026-11-25T09:00:00Z")
			slotN(b, 0).End = mustInstant(t, "2026-11-25T09:10:00Z")
		}},
		{checker.SlotOutsideWindow, 1, func(t *testing.T, b *fhir.Bundle) {
			slotN(b, 1).Start, slotN(b, 1).End = at(23, 55), at(24, 5)
		}},
		{checker.SlotDuplicate, 1, func(t *testing.T, b *fhir.Bundle) { slotN(b, 1).Start, slotN(b, 1).End = at(9, 0), at(9, 10) }},
		{checker.SlotOverlap, 1, func(t *testing.T, b *fhir.Bundle) { slotN(b, 1).Start = at(9, 5) }},
		{checker.SlotNotFree, 1, func(t *testing.T, b *fhir.Bundle) { slotN(b, 0).Status = "busy" }},
	} {
		t.Run(c.code, func(t *testing.T) {
			b := good()
			c.edit(t, b)
			r := analyse(t, b)
			if len(r.Problems) != 1 || r.Problems[0].Code != c.code || r.Problems[0].Count != c.count {
				t.Fatalf("problems %+v, want only %s ×%d", r.Problems, c.code, c.count)
			}
			if !strings.HasPrefix(r.Problems[0].Message, checker.Message(c.code)) {
				t.Errorf("message %q", r.Problems[0].Message)
			}
		})
	}
}

// A time without an offset does not decode: the raw JSON still names it.
func TestNoOffset(t *testing.T) {
	raw, err := fhir.Marshal(fhir.JSON, good())
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(raw), "2026-11-25T09:00:00+00:00", "2026-11-25T09:00:00", 1)
	if bad == string(raw) {
		t.Fatalf("no time to edit in %s", raw)
	}
	r := checker.Analyse([]byte(bad), nil, from, to, now)
	if !r.Has(checker.TimeNoOffset) || !r.Has(checker.NotFHIR) || len(r.Problems) != 2 {
		t.Errorf("problems %+v", r.Problems)
	}
	r = checker.Analyse([]byte("<html>oops</html>"), nil, from, to, now)
	if !r.Has(checker.NotFHIR) {
		t.Errorf("problems %+v", r.Problems)
	}
}

// A time whose offset is not UK time's at that instant (+01:00 in
// November) is an hour out, and said so; the right offset is not.
func TestWrongOffset(t *testing.T) {
	raw, err := fhir.Marshal(fhir.JSON, good())
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(raw), "2026-11-25T09:00:00+00:00", "2026-11-25T10:00:00+01:00", 1)
	if bad == string(raw) {
		t.Fatalf("no time to edit in %s", raw)
	}
	r := checker.Analyse([]byte(bad), good(), from, to, now)
	if !r.Has(checker.TimeWrongOffset) || len(r.Problems) != 1 || r.Problems[0].Count != 1 ||
		!strings.Contains(r.Problems[0].Message, "(UK time then is 09:00+00:00)") {
		t.Errorf("problems %+v", r.Problems)
	}
	if r := checker.Analyse(raw, good(), from, to, now); r.Has(checker.TimeWrongOffset) {
		t.Errorf("the right offset flagged: %+v", r.Problems)
	}
}

func TestPastAndMissingBreakdowns(t *testing.T) {
	b := good()
	slotN(b, 0).Extension = nil
	r := checker.Analyse(mustJSON(t, b), b, from, to, day.Add(9*time.Hour+5*time.Minute))
	if r.Past != 1 || r.Free != 1 || r.ByChannel[checker.Missing] != 1 || r.ByChannel["In-person"] != 1 {
		t.Errorf("report %+v", r)
	}
	if rows := checker.Sorted(r.ByChannel); len(rows) != 2 || rows[0].Key != "In-person" {
		t.Errorf("sorted %v", rows)
	}
}

func mustJSON(t *testing.T, b *fhir.Bundle) []byte {
	raw, err := fhir.Marshal(fhir.JSON, b)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
