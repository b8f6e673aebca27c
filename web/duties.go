package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/staff"
)

// routesDuties mounts the duties dashboard and the audit view (audit.go).
func (u *UI) routesDuties(mux *http.ServeMux) {
	mux.HandleFunc("GET /duties", u.page(staff.ViewReports, u.duties))
	mux.HandleFunc("GET /audit", u.page(staff.ViewAudit, u.audit))
}

// maxDutyWeeks bounds the dashboard's period (the duty reports allow 93
// days; eight weeks keep the tables readable).
const (
	defaultDutyWeeks = 2
	maxDutyWeeks     = 8
)

// dutiesView is the duties dashboard: the period, and the three parts.
type dutiesView struct {
	Form     *Form
	From, To pcnhub.Date
	Weeks    int
	Report   bool   // false when the form failed: only the form is shown
	Scope    string // who the figures cover, in words

	Practices []practice111
	Total111  total111
	Hubs      []hubEA
	GPAD      []gpadOrg
	Unmapped  int // slot types in use without a national category, all organisations shown
	Charts    dutyCharts
}

// practice111 is one practice's NHS 111 duty over the period.
type practice111 struct {
	ODS       pcnhub.ODSCode
	Name      string
	ListSize  count
	PerDay    int // slots required per core day
	Days      []day111
	Required  int
	Offered   int
	Booked    int
	Shortfall int // sum of the days' shortfalls
	ShortDays int
	ChartID   string
	ChartText string // the chart's aria-label
}

// day111 is one core day of a practice.
type day111 struct {
	ID                                   string // the table row's id
	Date                                 pcnhub.Date
	Required, Offered, Booked, Shortfall int
}

// total111 sums every practice shown.
type total111 struct {
	Practices, Days                      int
	Required, Offered, Booked, Shortfall int
	ShortDays                            int
}

// hubEA is one hub's enhanced-access duty, week by week.
type hubEA struct {
	ODS        pcnhub.ODSCode
	Name       string
	Population count
	Weeks      []weekEA
	Required   count
	Offered    count
	Booked     count
	ShortWeeks int
	ChartID    string
	ChartText  string
}

// weekEA is one week (Monday to Sunday) of a hub.
type weekEA struct {
	ID                                   string
	WeekOf                               pcnhub.Date
	Required, Offered, Booked, Shortfall count
}

// gpadOrg is an organisation's slot types in use and their national
// (GPAD) mapping.
type gpadOrg struct {
	ODS      pcnhub.ODSCode
	Name     string
	Types    []gpadType
	Unmapped int
}

type gpadType struct {
	ID       string
	SlotType string
	Category string // "" when not mapped
	Setting  string
}

// dutyCharts is the charts' data, put in the page as JSON for duties.js;
// the tables carry the same numbers.
type dutyCharts struct {
	NHS111 []dutyChart `json:"nhs111"`
	EA     []dutyChart `json:"ea"`
}

// dutyChart is one chart: a category axis of days or weeks, and the
// required, offered, booked and shortfall figures of each.
type dutyChart struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Unit      string   `json:"unit"`   // "slots" or "minutes"
	XLabel    string   `json:"xLabel"` // "Day" or "Week beginning"
	Labels    []string `json:"labels"` // short axis labels
	Dates     []string `json:"dates"`  // YYYY-MM-DD of each point
	Required  []int    `json:"required"`
	Offered   []int    `json:"offered"`
	Booked    []int    `json:"booked"`
	Shortfall []int    `json:"shortfall"`
}

// count is a number shown with thousands separators ("4,800").
type count int

func (c count) String() string {
	s := strconv.Itoa(int(c))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// mondayOf is the Monday of d's week.
func mondayOf(d pcnhub.Date) pcnhub.Date {
	return d.AddDays(-((int(d.Time(time.UTC).Weekday()) + 6) % 7))
}

// duties (GET /duties?from=YYYY-MM-DD&weeks=N) shows the NHS 111 direct
// booking duty, the enhanced-access minutes and the GPAD slot mappings.
//
// Who sees what: a hub manager and the administrator see every hosted
// organisation (the hub runs the network's duties and answers for all of
// them). Anyone else with the reports permission — a practice manager —
// sees their own practice's 111 duty and slot mappings, and the
// enhanced-access figures of their own PCN's hub, a network duty their
// practice shares in; nothing of the other practices. The figures are
// counts: no patient is named.
func (u *UI) duties(w http.ResponseWriter, r *http.Request, pg *Page) {
	q := r.URL.Query()
	f := NewForm(q)
	v := &dutiesView{Form: f, Weeks: defaultDutyWeeks, From: mondayOf(u.today())}
	if s := f.Get("from"); s != "" {
		if d, err := pcnhub.ParseDate(s); err != nil {
			f.Fail("from", "The first day must be a real date, like "+v.From.String())
		} else if d.Year < 2000 || d.Year > 2100 {
			f.Fail("from", "The first day must be between the years 2000 and 2100")
		} else {
			v.From = d
		}
	} else {
		f.Values.Set("from", v.From.String())
	}
	if s := f.Get("weeks"); s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 1 || n > maxDutyWeeks {
			f.Fail("weeks", "Enter a number of weeks from 1 to "+strconv.Itoa(maxDutyWeeks))
		} else {
			v.Weeks = n
		}
	} else {
		f.Values.Set("weeks", strconv.Itoa(v.Weeks))
	}
	pg.Title = "Duties"
	if !f.OK() {
		pg.Data = v
		u.render(w, http.StatusUnprocessableEntity, "duties.html", pg)
		return
	}
	v.To = v.From.AddDays(7*v.Weeks - 1)
	if err := u.loadDuties(r, pg.P, v); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	v.Report = true
	pg.Data = v
	u.render(w, http.StatusOK, "duties.html", pg)
}

// loadDuties fills the three parts of the dashboard for the principal.
func (u *UI) loadDuties(r *http.Request, p *staff.Principal, v *dutiesView) error {
	ctx := r.Context()
	orgs, err := u.Store.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	seesAll := p.Membership.Role == staff.HubManager || p.Membership.Role == staff.Administrator
	var me *pcnhub.Organisation
	for _, o := range orgs {
		if o.ODS == p.Membership.OrgODS {
			me = o
		}
	}
	if me == nil {
		return pcnhub.Errorf(pcnhub.ENOTFOUND, "organisation %s is not known here", p.Membership.OrgODS)
	}
	if seesAll {
		v.Scope = "every organisation hosted here"
	} else {
		v.Scope = me.Name + " (" + string(me.ODS) + ")"
	}

	// a. NHS 111 direct booking.
	if seesAll || (me.Hosted && me.Type == pcnhub.OrgGPPractice) {
		var only []pcnhub.ODSCode
		if !seesAll {
			only = []pcnhub.ODSCode{me.ODS}
		}
		rows, err := duty.Load111(ctx, u.Store, v.From, v.To, u.Calendar, only)
		if err != nil {
			return err
		}
		if !seesAll {
			// Load111 returns more than the practices named when the
			// first named one is not the last hosted practice (it
			// forgets the filter once every name is found); keep only
			// the practice manager's own.
			rows = slices.DeleteFunc(rows, func(d duty.Day111) bool { return d.ODS != me.ODS })
		}
		v.Practices, v.Total111 = group111(rows)
	}
	v.Charts.NHS111 = []dutyChart{}
	for _, pr := range v.Practices {
		c := newChart(pr.ChartID, "NHS 111 slots at "+pr.Name, "slots", "Day")
		for _, d := range pr.Days {
			c.add(d.Date.Time(time.UTC).Format("Mon 2 Jan"), d.Date, d.Required, d.Offered, d.Booked, d.Shortfall)
		}
		v.Charts.NHS111 = append(v.Charts.NHS111, c)
	}

	// b. Enhanced access: the hubs' minutes (a practice manager's: the
	// hubs of their own PCN).
	weeks, err := duty.LoadEA(ctx, u.Store, v.From, v.To, u.Calendar)
	if err != nil {
		return err
	}
	pcnOf := map[pcnhub.ODSCode]pcnhub.ODSCode{}
	for _, o := range orgs {
		pcnOf[o.ODS] = o.PCN
	}
	var mine []duty.WeekEA
	for _, wk := range weeks {
		if seesAll || wk.ODS == me.ODS || (me.PCN != "" && pcnOf[wk.ODS] == me.PCN) {
			mine = append(mine, wk)
		}
	}
	v.Hubs = groupEA(mine)
	v.Charts.EA = []dutyChart{}
	for _, h := range v.Hubs {
		c := newChart(h.ChartID, "Enhanced access minutes at "+h.Name, "minutes", "Week beginning")
		for _, wk := range h.Weeks {
			c.add("w/c "+wk.WeekOf.Time(time.UTC).Format("2 Jan"), wk.WeekOf, int(wk.Required), int(wk.Offered), int(wk.Booked), int(wk.Shortfall))
		}
		v.Charts.EA = append(v.Charts.EA, c)
	}

	// c. GPAD mapping status of the slot types in use.
	for _, o := range orgs {
		if !o.Hosted || (o.Type != pcnhub.OrgGPPractice && o.Type != pcnhub.OrgPCNHub) || (!seesAll && o.ODS != me.ODS) {
			continue
		}
		inUse, err := u.Store.SlotTypesInUse(ctx, o.ID)
		if err != nil {
			return err
		}
		maps, err := u.Store.GPADMappings(ctx, o.ID)
		if err != nil {
			return err
		}
		g := gpadOrg{ODS: o.ODS, Name: o.Name}
		for i, t := range inUse {
			row := gpadType{ID: "gpad-" + string(o.ODS) + "-" + strconv.Itoa(i+1), SlotType: t}
			if m, ok := maps[t]; ok && m.Category != "" {
				row.Category, row.Setting = m.Category, m.Setting
			} else {
				g.Unmapped++
			}
			g.Types = append(g.Types, row)
		}
		v.Unmapped += g.Unmapped
		v.GPAD = append(v.GPAD, g)
	}
	return nil
}

// group111 groups the report's rows (by practice, then date) by practice,
// with each practice's totals and the grand total.
func group111(rows []duty.Day111) ([]practice111, total111) {
	var out []practice111
	var tot total111
	for _, row := range rows {
		if len(out) == 0 || out[len(out)-1].ODS != row.ODS {
			out = append(out, practice111{ODS: row.ODS, Name: row.Practice, ListSize: count(row.ListSize), PerDay: row.Required,
				ChartID: "chart-111-" + string(row.ODS)})
		}
		p := &out[len(out)-1]
		d, _ := pcnhub.ParseDate(row.Date)
		p.Days = append(p.Days, day111{ID: "d111-" + string(row.ODS) + "-" + row.Date, Date: d,
			Required: row.Required, Offered: row.Offered, Booked: row.Booked111, Shortfall: row.Shortfall})
		p.Required += row.Required
		p.Offered += row.Offered
		p.Booked += row.Booked111
		p.Shortfall += row.Shortfall
		if row.Shortfall > 0 {
			p.ShortDays++
		}
	}
	for i := range out {
		p := &out[i]
		tot.Practices++
		tot.Days += len(p.Days)
		tot.Required += p.Required
		tot.Offered += p.Offered
		tot.Booked += p.Booked
		tot.Shortfall += p.Shortfall
		tot.ShortDays += p.ShortDays
		lo, hi := 0, 0
		for j, d := range p.Days {
			if j == 0 || d.Offered < lo {
				lo = d.Offered
			}
			if d.Offered > hi {
				hi = d.Offered
			}
		}
		p.ChartText = "Chart of NHS 111 slots at " + p.Name + " by core day: " + strconv.Itoa(p.PerDay) + " required a day, " +
			offeredRange(lo, hi) + " offered, " + strconv.Itoa(p.Booked) + " booked by 111 in all; short on " +
			strconv.Itoa(p.ShortDays) + " of " + strconv.Itoa(len(p.Days)) + " days. The table below has the figures."
	}
	return out, tot
}

// groupEA groups the weeks by hub, in the report's order.
func groupEA(rows []duty.WeekEA) []hubEA {
	var out []hubEA
	for _, row := range rows {
		if len(out) == 0 || out[len(out)-1].ODS != row.ODS {
			out = append(out, hubEA{ODS: row.ODS, Name: row.Hub, Population: count(row.Population), ChartID: "chart-ea-" + string(row.ODS)})
		}
		h := &out[len(out)-1]
		d, _ := pcnhub.ParseDate(row.WeekOf)
		h.Weeks = append(h.Weeks, weekEA{ID: "ea-" + string(row.ODS) + "-" + row.WeekOf, WeekOf: d, Required: count(row.Required),
			Offered: count(row.Offered), Booked: count(row.Booked), Shortfall: count(row.Shortfall)})
		h.Required += count(row.Required)
		h.Offered += count(row.Offered)
		h.Booked += count(row.Booked)
		if row.Shortfall > 0 {
			h.ShortWeeks++
		}
	}
	for i := range out {
		h := &out[i]
		lo, hi := 0, 0
		for j, wk := range h.Weeks {
			if j == 0 || int(wk.Offered) < lo {
				lo = int(wk.Offered)
			}
			if int(wk.Offered) > hi {
				hi = int(wk.Offered)
			}
		}
		req := count(0)
		if len(h.Weeks) > 0 {
			req = h.Weeks[0].Required
		}
		h.ChartText = "Chart of enhanced access minutes at " + h.Name + " by week: " + req.String() + " minutes required a week, " +
			offeredRange(lo, hi) + " minutes offered; short in " + strconv.Itoa(h.ShortWeeks) + " of " + strconv.Itoa(len(h.Weeks)) +
			" weeks. The table below has the figures."
	}
	return out
}

func offeredRange(lo, hi int) string {
	if lo == hi {
		return count(lo).String()
	}
	return count(lo).String() + " to " + count(hi).String()
}

func newChart(id, title, unit, xLabel string) dutyChart {
	return dutyChart{ID: id, Title: title, Unit: unit, XLabel: xLabel, Labels: []string{}, Dates: []string{},
		Required: []int{}, Offered: []int{}, Booked: []int{}, Shortfall: []int{}}
}

func (c *dutyChart) add(label string, d pcnhub.Date, required, offered, booked, shortfall int) {
	c.Labels = append(c.Labels, label)
	c.Dates = append(c.Dates, d.String())
	c.Required = append(c.Required, required)
	c.Offered = append(c.Offered, offered)
	c.Booked = append(c.Booked, booked)
	c.Shortfall = append(c.Shortfall, shortfall)
}
