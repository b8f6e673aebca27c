package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed/demo"
)

// The duties dashboard: the 111 figures of a practice manager's own
// practice and the enhanced-access figures of the hub equal what the
// duty package computes for the same period; shortfalls are highlighted
// in words; the GPAD part lists the slot types in use with their mapping;
// the chart data carries the same numbers; the form validates; a
// receptionist may not see it.
func testDuties(t *testing.T, e *env) {
	cal := duty.NewCalendar(duty.EnglandAndWales2026To2027)
	today := pcnhub.DateOf(time.Now().In(pcnhub.London))
	thisMonday := today.AddDays(-((int(today.Time(time.UTC).Weekday()) + 6) % 7))
	// From last week (before the demo's books were generated, so short)
	// into the weeks the books fill.
	from := thisMonday.AddDays(-7)
	const weeks = 3
	to := from.AddDays(7*weeks - 1)
	query := "/duties?from=" + from.String() + "&weeks=" + strconv.Itoa(weeks)

	// A practice manager sees their own practice's 111 duty, day by day.
	pm := e.signIn(t, "pm.riverside")
	code, page := pm.get(query)
	if code != http.StatusOK {
		t.Fatalf("pm.riverside %s = %d\n%s", query, code, text(page))
	}
	for _, id := range []string{`id="duty-111"`, `id="duty-ea"`, `id="duty-gpad"`, `class="app-chart"`, `/static/uPlot.iife.min.js`, `/static/duties.js`, `/static/uPlot.min.css`} {
		if !strings.Contains(page, id) {
			t.Errorf("the duties page lacks %s", id)
		}
	}
	want, err := duty.Load111(ctx, e.Store, from, to, cal, []pcnhub.ODSCode{"A99991"})
	if err != nil {
		t.Fatal(err)
	}
	// duty.Load111 also returns the practices after the one named (it
	// drops its filter once every name is found); Riverside's are these.
	want = slices.DeleteFunc(want, func(d duty.Day111) bool { return d.ODS != "A99991" })
	if len(want) != 15-dutyBankHolidays(cal, from, to) {
		t.Fatalf("duty.Load111 gave %d days for three weeks", len(want))
	}
	var sum struct{ required, offered, booked, shortDays int }
	for _, d := range want {
		class, cells := dutyRow(t, page, "d111-A99991-"+d.Date)
		if len(cells) != 5 {
			t.Fatalf("111 row of %s: cells %q", d.Date, cells)
		}
		if got := [3]int{dutyNum(t, cells[1]), dutyNum(t, cells[2]), dutyNum(t, cells[3])}; got != [3]int{d.Required, d.Offered, d.Booked111} {
			t.Errorf("111 row of %s: required, offered, booked %v, want %v", d.Date, got, [3]int{d.Required, d.Offered, d.Booked111})
		}
		dutyCheckShortfall(t, "111 row of "+d.Date, class, cells[4], d.Shortfall, "Short by "+strconv.Itoa(d.Shortfall))
		sum.required += d.Required
		sum.offered += d.Offered
		sum.booked += d.Booked111
		if d.Shortfall > 0 {
			sum.shortDays++
		}
	}
	if sum.shortDays == 0 {
		t.Errorf("the week before the books were generated should be short at Riverside")
	}
	_, cells := dutyRow(t, page, "t111-A99991")
	if got := [3]int{dutyNum(t, cells[1]), dutyNum(t, cells[2]), dutyNum(t, cells[3])}; got != [3]int{sum.required, sum.offered, sum.booked} {
		t.Errorf("Riverside's 111 totals %v, want %v", got, [3]int{sum.required, sum.offered, sum.booked})
	}
	// Only their own practice.
	if strings.Contains(page, "d111-A99992-") || strings.Contains(page, `id="ggpad-A99992"`) || strings.Contains(page, "chart-111-A99992") {
		t.Errorf("pm.riverside sees another practice's duty")
	}
	// The chart data: parseable JSON with the same numbers.
	charts := dutyChartData(t, page)
	if len(charts.NHS111) != 1 || charts.NHS111[0].ID != "chart-111-A99991" || !strings.Contains(page, `class="app-chart" id="chart-111-A99991" role="img" aria-label="Chart of NHS 111 slots at Riverside Medical Centre`) {
		t.Fatalf("pm.riverside's 111 charts: %+v", charts.NHS111)
	}
	c := charts.NHS111[0]
	if len(c.Dates) != len(want) {
		t.Fatalf("chart has %d days, want %d", len(c.Dates), len(want))
	}
	for i, d := range want {
		if c.Dates[i] != d.Date || c.Required[i] != d.Required || c.Offered[i] != d.Offered || c.Booked[i] != d.Booked111 || c.Shortfall[i] != d.Shortfall {
			t.Errorf("chart point %d: %s %d/%d/%d/%d, want %+v", i, c.Dates[i], c.Required[i], c.Offered[i], c.Booked[i], c.Shortfall[i], d)
		}
	}

	// The hub manager sees every practice; the practice short by design
	// is highlighted in words.
	hm := e.signIn(t, "hub.manager")
	code, page = hm.get(query)
	if code != http.StatusOK {
		t.Fatalf("hub.manager %s = %d\n%s", query, code, text(page))
	}
	all, err := duty.Load111(ctx, e.Store, from, to, cal, nil)
	if err != nil {
		t.Fatal(err)
	}
	shortSeen := false
	for _, d := range all {
		class, cells := dutyRow(t, page, "d111-"+string(d.ODS)+"-"+d.Date)
		if dutyNum(t, cells[2]) != d.Offered {
			t.Errorf("%s %s offered %s, want %d", d.ODS, d.Date, cells[2], d.Offered)
		}
		dutyCheckShortfall(t, string(d.ODS)+" "+d.Date, class, cells[4], d.Shortfall, "Short by "+strconv.Itoa(d.Shortfall))
		if d.ODS == demo.ShortPractice && !dutyDate(d.Date).Before(today) && d.Shortfall > 0 {
			shortSeen = true
		}
	}
	if !shortSeen {
		t.Errorf("%s should be short in the weeks ahead", demo.ShortPractice)
	}
	if len(dutyChartData(t, dutyGet(t, hm, query)).NHS111) != 8 {
		t.Errorf("the hub manager should have a 111 chart per practice")
	}

	// Enhanced access: the hub's minutes, week by week, as duty.LoadEA.
	ea, err := duty.LoadEA(ctx, e.Store, from, to, cal)
	if err != nil {
		t.Fatal(err)
	}
	if len(ea) != weeks {
		t.Fatalf("duty.LoadEA gave %d weeks", len(ea))
	}
	charts = dutyChartData(t, page)
	if len(charts.EA) != 1 || charts.EA[0].ID != "chart-ea-Y99990" || !strings.Contains(page, `id="chart-ea-Y99990" role="img"`) {
		t.Fatalf("EA charts: %+v", charts.EA)
	}
	for i, w := range ea {
		class, cells := dutyRow(t, page, "ea-"+string(w.ODS)+"-"+w.WeekOf)
		if got := [3]int{dutyNum(t, cells[1]), dutyNum(t, cells[2]), dutyNum(t, cells[3])}; got != [3]int{w.Required, w.Offered, w.Booked} {
			t.Errorf("EA week %s: required, offered, booked %v, want %+v", w.WeekOf, got, w)
		}
		dutyCheckShortfall(t, "EA week "+w.WeekOf, class, cells[4], w.Shortfall, "Short by "+dutyThousands(w.Shortfall)+" minutes")
		ce := charts.EA[0]
		if ce.Dates[i] != w.WeekOf || ce.Required[i] != w.Required || ce.Offered[i] != w.Offered || ce.Booked[i] != w.Booked || ce.Shortfall[i] != w.Shortfall {
			t.Errorf("EA chart point %d: %s %d/%d/%d/%d, want %+v", i, ce.Dates[i], ce.Required[i], ce.Offered[i], ce.Booked[i], ce.Shortfall[i], w)
		}
	}
	if ea[0].Shortfall == 0 {
		t.Errorf("last week (no slots) should be short of enhanced access minutes: %+v", ea[0])
	}

	// GPAD: two new slot types come into use at Old Forge (slots no one
	// can book, on a Sunday night far ahead); one is mapped through the
	// store, the other not.
	org, err := e.Store.OrganisationByODS(ctx, "A99998")
	if err != nil {
		t.Fatal(err)
	}
	existing, err := e.Store.SlotsBetween(ctx, org.ID, time.Now(), time.Now().Add(14*24*time.Hour))
	if err != nil || len(existing) == 0 {
		t.Fatalf("Old Forge's slots: %d, %v", len(existing), err)
	}
	sunday := thisMonday.AddDays(7*20 + 6).Time(pcnhub.London).Add(23 * time.Hour)
	sw, err := e.Store.BeginSlotWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, typ := range []string{"UI test mapped type", "UI test unmapped type"} {
		start := sunday.Add(time.Duration(i*10) * time.Minute)
		if err := sw.Add(ctx, &schedule.Slot{ScheduleID: existing[0].ScheduleID, Start: start, End: start.Add(10 * time.Minute),
			Status: schedule.SlotBusyUnavailable, ServiceType: typ, DeliveryChannel: schedule.InPerson}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sw.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetGPADMapping(ctx, org.ID, gpad.Mapping{SlotType: "UI test mapped type",
		Category: "Group Consultation and Group Education", Setting: "General Practice"}); err != nil {
		t.Fatal(err)
	}
	page = dutyGet(t, hm, query)
	inUse, err := e.Store.SlotTypesInUse(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range inUse {
		if !strings.Contains(page, "<td class=\"nhsuk-table__cell\">"+html.EscapeString(typ)+"</td>") {
			t.Errorf("GPAD part lacks Old Forge's slot type %q", typ)
		}
	}
	class, cells := dutyGPADRow(t, page, "A99998", "UI test mapped type")
	if cells[1] != "Group Consultation and Group Education" || cells[2] != "General Practice" || strings.Contains(class, "app-shortfall") {
		t.Errorf("mapped type: class %q cells %q", class, cells)
	}
	class, cells = dutyGPADRow(t, page, "A99998", "UI test unmapped type")
	if cells[1] != "Not mapped" || !strings.Contains(class, "app-shortfall") {
		t.Errorf("unmapped type: class %q cells %q", class, cells)
	}
	if !regexp.MustCompile(`Old Forge Surgery \(A99998\): 1 not mapped`).MatchString(text(page)) {
		t.Errorf("the GPAD part should count Old Forge's unmapped types")
	}
	// A practice manager sees only their own practice's slot types.
	_, page = pm.get(query)
	if !strings.Contains(page, `id="ggpad-A99991"`) || strings.Contains(page, `id="ggpad-A99998"`) || strings.Contains(page, "UI test unmapped type") {
		t.Errorf("pm.riverside's GPAD part should hold Riverside only")
	}

	// The defaults: this week's Monday, two weeks.
	page = dutyGet(t, pm, "/duties")
	if !strings.Contains(page, `value="`+thisMonday.String()+`"`) || !regexp.MustCompile(`name="weeks"\s+type="text" value="2"`).MatchString(page) {
		t.Errorf("/duties should default to this week's Monday and two weeks")
	}
	defaults := dutyChartData(t, page).NHS111[0].Dates
	if len(defaults) < 8 || defaults[0] < thisMonday.String() || defaults[len(defaults)-1] > thisMonday.AddDays(13).String() {
		t.Errorf("/duties should cover this week and the next by default: %v", defaults)
	}

	// Validation: the form again, with the message by the field.
	for q, msg := range map[string]string{
		"/duties?from=2026-02-30&weeks=2":                       "The first day must be a real date, like ",
		"/duties?from=next+week":                                "The first day must be a real date, like ",
		"/duties?from=" + from.String() + "&weeks=9":            "Enter a number of weeks from 1 to 8",
		"/duties?from=" + from.String() + "&weeks=0":            "Enter a number of weeks from 1 to 8",
		"/duties?from=" + from.String() + "&weeks=two":          "Enter a number of weeks from 1 to 8",
		"/duties?from=" + from.String() + "&weeks=%3Cscript%3E": "Enter a number of weeks from 1 to 8",
	} {
		code, page := pm.get(q)
		field := "from"
		if strings.Contains(msg, "weeks") {
			field = "weeks"
		}
		if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), msg) || !strings.Contains(page, `id="`+field+`-error"`) ||
			!strings.Contains(page, `href="#`+field+`"`) || strings.Contains(page, `id="duty-111"`) || strings.Contains(page, "<script>") {
			t.Errorf("%s = %d, want 422 with %q by %s:\n%s", q, code, msg, field, text(page))
		}
	}

	// A receptionist may not see the duties.
	rec := e.signIn(t, "rosa.reception")
	if code, page := rec.get("/duties"); code != http.StatusForbidden || strings.Contains(page, `id="duty-111"`) {
		t.Errorf("receptionist /duties = %d, want 403", code)
	}
}

// dutyChartJSON is the page's chart data.
type dutyChartJSON struct {
	NHS111, EA []struct {
		ID                                   string
		Dates                                []string
		Required, Offered, Booked, Shortfall []int
	}
}

var dutyChartScript = regexp.MustCompile(`(?s)<script type="application/json" id="duty-chart-data">(.*?)</script>`)

func dutyChartData(t *testing.T, page string) dutyChartJSON {
	t.Helper()
	m := dutyChartScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no chart data in the page")
	}
	var c dutyChartJSON
	if err := json.Unmarshal([]byte(m[1]), &c); err != nil {
		t.Fatalf("chart data: %v\n%s", err, m[1])
	}
	return c
}

// dutyRow returns the class and the cells' text of the table row with id.
func dutyRow(t *testing.T, page, id string) (string, []string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr class="([^"]*)" id="` + regexp.QuoteMeta(id) + `">(.*?)</tr>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no table row %s", id)
	}
	return m[1], dutyCells(m[2])
}

func dutyGPADRow(t *testing.T, page string, ods, slotType string) (string, []string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr class="([^"]*)" id="gpad-` + ods + `-\d+">\s*<td class="nhsuk-table__cell">` +
		regexp.QuoteMeta(slotType) + `</td>(.*?)</tr>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no GPAD row for %s at %s", slotType, ods)
	}
	return m[1], append([]string{slotType}, dutyCells(m[2])...)
}

var dutyCellPattern = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)

func dutyCells(row string) []string {
	var out []string
	for _, c := range dutyCellPattern.FindAllStringSubmatch(row, -1) {
		out = append(out, text(c[1]))
	}
	return out
}

// dutyCheckShortfall checks a row's highlight and words against its shortfall.
func dutyCheckShortfall(t *testing.T, what, class, cell string, shortfall int, words string) {
	t.Helper()
	if shortfall > 0 {
		if !strings.Contains(class, "app-shortfall") || cell != words {
			t.Errorf("%s: short by %d but class %q, cell %q (want %q)", what, shortfall, class, cell, words)
		}
	} else if strings.Contains(class, "app-shortfall") || cell != "Met" {
		t.Errorf("%s: not short but class %q, cell %q", what, class, cell)
	}
}

func dutyNum(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return n
}

func dutyThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func dutyDate(s string) pcnhub.Date {
	d, err := pcnhub.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dutyBankHolidays(cal duty.Calendar, from, to pcnhub.Date) int {
	n := 0
	for d := from; !to.Before(d); d = d.AddDays(1) {
		wd := d.Time(time.UTC).Weekday()
		if wd != time.Saturday && wd != time.Sunday && !cal.IsCoreDay(d) {
			n++
		}
	}
	return n
}

// dutyGet fetches a page that must answer 200.
func dutyGet(t *testing.T, b *browser, path string) string {
	t.Helper()
	code, page := b.get(path)
	if code != http.StatusOK {
		t.Fatalf("%s = %d\n%s", path, code, text(page))
	}
	return page
}
