package web

// Session templates and bookability: the organisation's appointment book
// (rota.Book) as a manager reads it, a form to change one template's GP
// Connect bookability and restrictions, and a form to add a template.
// Both forms change the stored book through Store.ImportBook, which
// validates the whole book, stores it and brings the slots of the next
// configBookWeeks weeks in line in one transaction: an invalid book
// changes nothing, and booked slots keep their appointment (rota.Reconcile
// never moves, frees or deletes a booked slot; it reports a conflict).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// cfgOption is one choice of a select, a checkbox list or radios.
type cfgOption struct {
	Value, Label, Hint string
}

// cfgOrgTypes are the organisation types a slot can be restricted to.
var cfgOrgTypes = []cfgOption{
	{string(pcnhub.OrgGPPractice), "GP practices", ""},
	{string(pcnhub.OrgUrgentCare), "NHS 111 and urgent care", "NHS 111, clinical assessment services, urgent treatment centres"},
	{string(pcnhub.OrgPCNHub), "PCN hubs", "Enhanced access hubs"},
}

func cfgOrgTypeLabel(t pcnhub.OrgType) string {
	for _, o := range cfgOrgTypes {
		if o.Value == string(t) {
			return o.Label
		}
	}
	return string(t)
}

// cfgWeekdays are the days of the week in the order staff read them.
var cfgWeekdays = []rota.Weekday{1, 2, 3, 4, 5, 6, 0}

// cfgBookDir is what the pages show names with: practitioners by SDS user
// id, locations by name and site code, groups by name.
type cfgBookDir struct {
	practitioners map[string]*pcnhub.Practitioner
	pracOrder     []*pcnhub.Practitioner
	locations     map[string]*pcnhub.Location
	locOrder      []*pcnhub.Location
	groups        map[string]*pcnhub.OrganisationGroup
	groupOrder    []*pcnhub.OrganisationGroup
	orgNames      map[pcnhub.ODSCode]string
}

func (u *UI) configBookDir(ctx context.Context, org *pcnhub.Organisation) (*cfgBookDir, error) {
	d := &cfgBookDir{practitioners: map[string]*pcnhub.Practitioner{}, locations: map[string]*pcnhub.Location{},
		groups: map[string]*pcnhub.OrganisationGroup{}, orgNames: map[pcnhub.ODSCode]string{}}
	ps, err := u.Store.ListPractitioners(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.SDSUserID == "" {
			continue
		}
		if _, dup := d.practitioners[p.SDSUserID]; !dup {
			d.practitioners[p.SDSUserID] = p
			d.pracOrder = append(d.pracOrder, p)
		}
	}
	ls, err := u.Store.ListLocations(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		d.locOrder = append(d.locOrder, l)
		for _, k := range []string{l.Name, string(l.SiteODS)} {
			if _, dup := d.locations[k]; k != "" && !dup {
				d.locations[k] = l
			}
		}
	}
	gs, err := u.Store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		d.groups[g.Name] = g
	}
	d.groupOrder = gs
	orgs, err := u.Store.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		d.orgNames[o.ODS] = o.Name
	}
	return d, nil
}

func cfgPersonName(n pcnhub.HumanName) string {
	return strings.TrimSpace(strings.Join(append(append([]string{n.Prefix}, n.Given...), n.Family), " "))
}

func (d *cfgBookDir) practitioner(sds string) string {
	if sds == "" {
		return "None (a list without a practitioner)"
	}
	if p, ok := d.practitioners[sds]; ok {
		name := cfgPersonName(p.Name)
		if role := schedule.JobRoleDisplays[p.JobRoleCode]; role != "" {
			name += ", " + role
		}
		return name
	}
	return "Unknown practitioner (SDS user id " + sds + ")"
}

func (d *cfgBookDir) location(key string) string {
	if l, ok := d.locations[key]; ok {
		if l.SiteODS != "" {
			return l.Name + " (" + string(l.SiteODS) + ")"
		}
		return l.Name
	}
	return key + " (unknown location)"
}

func (d *cfgBookDir) org(ods pcnhub.ODSCode) string {
	if n, ok := d.orgNames[ods]; ok {
		return n + " (" + string(ods) + ")"
	}
	return string(ods) + " (unknown organisation)"
}

func (d *cfgBookDir) practitionerOptions() []cfgOption {
	out := []cfgOption{{"", "None (a list without a practitioner)", ""}}
	for _, p := range d.pracOrder {
		out = append(out, cfgOption{p.SDSUserID, d.practitioner(p.SDSUserID) + " – SDS " + p.SDSUserID, ""})
	}
	return out
}

func (d *cfgBookDir) locationOptions() []cfgOption {
	var out []cfgOption
	for _, l := range d.locOrder {
		v := l.Name
		if l.SiteODS != "" {
			v = string(l.SiteODS)
		}
		out = append(out, cfgOption{v, d.location(v), ""})
	}
	return out
}

func (d *cfgBookDir) groupOptions() []cfgOption {
	var out []cfgOption
	for _, g := range d.groupOrder {
		out = append(out, cfgOption{g.Name, g.Name, strings.TrimSpace(cfgPlural(len(g.Members), "member") + ". " + g.Description)})
	}
	return out
}

func cfgPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// cfgSessionView is one session template as the page shows it.
type cfgSessionView struct {
	Name, Days, Times, Practitioner, Location, Room string
	SessionName, SlotType, Channel, Role            string
	SlotMinutes, SlotsPerDay                        int
	Bookable                                        bool
	Visit                                           bool // Visit slots are never bookable
	Anyone                                          bool // bookable with no restriction
	OrgTypes, Groups, ODSCodes                      []string
	Slots111                                        []string
	Example111                                      string
	RuleBookable                                    int // slots a day made bookable by other slot rules
	Window, Embargo                                 string
	GPAD, Dates                                     string
	Suspensions, Rules                              []string
	EditURL                                         string
}

func cfgDays(days []rota.Weekday) string {
	var idx []int // 0 = Mon … 6 = Sun
	for _, d := range days {
		idx = append(idx, (int(d)+6)%7)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	name := func(i int) string { return rota.Weekday((i + 1) % 7).String() }
	if len(idx) >= 3 && idx[len(idx)-1]-idx[0] == len(idx)-1 {
		return name(idx[0]) + " to " + name(idx[len(idx)-1])
	}
	var out []string
	for _, i := range idx {
		out = append(out, name(i))
	}
	return strings.Join(out, ", ")
}

func cfgDuration(d rota.Duration) string {
	if d <= 0 {
		return ""
	}
	t := time.Duration(d)
	switch {
	case t%(24*time.Hour) == 0:
		return cfgPlural(int(t/(24*time.Hour)), "day")
	case t%time.Hour == 0:
		return cfgPlural(int(t/time.Hour), "hour")
	case t < time.Hour:
		return cfgPlural(int(t/time.Minute), "minute")
	}
	return d.String()
}

func cfgDate(d pcnhub.Date) string { return d.Time(pcnhub.London).Format("Mon 2 Jan 2006") }

// cfgIs111 reports whether a slot rule reserves its slots for NHS 111:
// an every-day rule making them GP Connect bookable by urgent care only
// (by organisation type or the "111 direct booking" group).
func cfgIs111(s *rota.Session, r rota.SlotRule) bool {
	if !r.Date.IsZero() || r.Blocked || r.Restrictions == nil {
		return false
	}
	bookable := s.Bookable
	if r.Bookable != nil {
		bookable = *r.Bookable
	}
	if !bookable || r.Channel != nil && *r.Channel == schedule.Visit {
		return false
	}
	x := r.Restrictions
	byType := len(x.OrgTypes) == 1 && x.OrgTypes[0] == pcnhub.OrgUrgentCare && len(x.ODSCodes) == 0 && len(x.Groups) == 0
	byGroup := len(x.Groups) == 1 && x.Groups[0] == duty.Group111 && len(x.OrgTypes) == 0 && len(x.ODSCodes) == 0
	return byType || byGroup
}

// cfg111Times are the start times of the session's slots reserved for
// NHS 111, in order.
func cfg111Times(s *rota.Session) []rota.ClockTime {
	var out []rota.ClockTime
	for _, r := range s.Slots {
		if !cfgIs111(s, r) || s.SlotMinutes <= 0 {
			continue
		}
		for k := 0; k < max(1, r.Count); k++ {
			out = append(out, r.At+rota.ClockTime(k*s.SlotMinutes))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func cfgTimes(ts []rota.ClockTime) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.String())
	}
	return out
}

func (d *cfgBookDir) restrictionText(x rota.Restrictions) []string {
	var out []string
	for _, t := range x.OrgTypes {
		out = append(out, cfgOrgTypeLabel(t))
	}
	for _, g := range x.Groups {
		out = append(out, "group “"+g+"”")
	}
	for _, c := range x.ODSCodes {
		out = append(out, d.org(c))
	}
	return out
}

func (d *cfgBookDir) ruleText(s *rota.Session, r rota.SlotRule) string {
	n := max(1, r.Count)
	when := r.At.String()
	if n > 1 && s.SlotMinutes > 0 {
		when = fmt.Sprintf("%s to %s (%d slots)", r.At, r.At+rota.ClockTime(n*s.SlotMinutes), n)
	}
	if r.Date.IsZero() {
		when += ", every day"
	} else {
		when += ", on " + cfgDate(r.Date) + " only"
	}
	var what []string
	if r.Blocked {
		what = append(what, "blocked (not bookable by anyone)")
	}
	if r.SlotType != nil {
		what = append(what, "slot type “"+*r.SlotType+"”")
	}
	if r.Channel != nil {
		what = append(what, string(*r.Channel))
	}
	if r.Bookable != nil {
		if *r.Bookable {
			what = append(what, "GP Connect bookable")
		} else {
			what = append(what, "not GP Connect bookable")
		}
	}
	if r.Restrictions != nil {
		if who := d.restrictionText(*r.Restrictions); len(who) > 0 {
			what = append(what, "only "+strings.Join(who, ", "))
		} else {
			what = append(what, "open to any organisation")
		}
	}
	if r.BookingWindow != nil {
		what = append(what, "booking window "+cfgOr(cfgDuration(*r.BookingWindow), "none"))
	}
	if r.Embargo != nil {
		what = append(what, "embargo "+cfgOr(cfgDuration(*r.Embargo), "none"))
	}
	if r.GPADCategory != "" {
		what = append(what, "GPAD “"+r.GPADCategory+"”")
	}
	if cfgIs111(s, r) {
		what = append(what, "(reserved for NHS 111)")
	}
	return when + ": " + strings.Join(what, "; ")
}

func cfgOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func (d *cfgBookDir) sessionView(s *rota.Session, sc *configScope) cfgSessionView {
	v := cfgSessionView{Name: s.Name, Days: cfgDays(s.Days), Times: s.Start.String() + " to " + s.End.String(),
		Practitioner: d.practitioner(s.Practitioner), Location: d.location(s.Location), Room: s.Room,
		SessionName: s.SessionName, SlotType: s.SlotType, Channel: string(s.Channel), Role: s.RoleDisplayText(),
		SlotMinutes: s.SlotMinutes, Bookable: s.Bookable && s.Channel != schedule.Visit, Visit: s.Channel == schedule.Visit,
		Slots111: cfgTimes(cfg111Times(s)), Window: cfgDuration(s.BookingWindow), Embargo: cfgDuration(s.Embargo),
		EditURL: "/config/templates/bookability?session=" + url.QueryEscape(s.Name) + sc.And()}
	if s.SlotMinutes > 0 && s.End > s.Start {
		v.SlotsPerDay = (int(s.End) - int(s.Start)) / s.SlotMinutes
		v.Example111 = s.Start.String()
		if v.SlotsPerDay > 1 {
			v.Example111 += ", " + (s.Start + rota.ClockTime(s.SlotMinutes)).String()
		}
	}
	v.OrgTypes = nil
	for _, t := range s.Restrictions.OrgTypes {
		v.OrgTypes = append(v.OrgTypes, cfgOrgTypeLabel(t))
	}
	v.Groups = append(v.Groups, s.Restrictions.Groups...)
	for _, c := range s.Restrictions.ODSCodes {
		v.ODSCodes = append(v.ODSCodes, d.org(c))
	}
	v.Anyone = v.Bookable && s.Restrictions.None()
	if s.GPADCategory != "" {
		v.GPAD = s.GPADCategory
		if s.GPADSetting != "" {
			v.GPAD += " (" + s.GPADSetting + ")"
		}
	}
	switch {
	case !s.From.IsZero() && !s.Until.IsZero():
		v.Dates = "From " + cfgDate(s.From) + " until " + cfgDate(s.Until)
	case !s.From.IsZero():
		v.Dates = "From " + cfgDate(s.From)
	case !s.Until.IsZero():
		v.Dates = "Until " + cfgDate(s.Until)
	}
	for _, p := range s.Suspensions {
		sus := "Not running " + cfgDate(p.From) + " to " + cfgDate(p.To)
		if p.Reason != "" {
			sus += " (" + p.Reason + ")"
		}
		v.Suspensions = append(v.Suspensions, sus)
	}
	for _, r := range s.Slots {
		v.Rules = append(v.Rules, d.ruleText(s, r))
		if r.Date.IsZero() && r.Bookable != nil && *r.Bookable && !cfgIs111(s, r) && (r.Channel == nil || *r.Channel != schedule.Visit) {
			v.RuleBookable += max(1, r.Count)
		}
	}
	return v
}

// cfgTemplatesView is the session templates page.
type cfgTemplatesView struct {
	Scope        *configScope
	HasBook      bool
	BankHolidays string
	Closures     []string
	Sessions     []cfgSessionView
	Weeks        int
	NewURL       string
}

// configTemplates (GET /config/templates[?org=ODS]) shows the
// organisation's session templates and their bookability.
func (u *UI) configTemplates(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	v := cfgTemplatesView{Scope: sc, Weeks: configBookWeeks, NewURL: "/config/templates/new" + sc.Query()}
	b, _, err := u.Store.Book(ctx, sc.Org.ODS)
	switch {
	case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
	case err != nil:
		u.fail(w, r, pg, err)
		return
	default:
		dir, err := u.configBookDir(ctx, sc.Org)
		if err != nil {
			u.fail(w, r, pg, err)
			return
		}
		v.HasBook = true
		v.BankHolidays = "Closed on bank holidays"
		if b.BankHolidays == rota.BankHolidaysOpen {
			v.BankHolidays = "Open on bank holidays"
		}
		for _, c := range b.Closures {
			text := "Closed " + cfgDate(c.From) + " to " + cfgDate(c.To)
			if c.Reason != "" {
				text += " (" + c.Reason + ")"
			}
			v.Closures = append(v.Closures, text)
		}
		for i := range b.Sessions {
			v.Sessions = append(v.Sessions, dir.sessionView(&b.Sessions[i], sc))
		}
	}
	pg.Title, pg.Data = "Session templates and bookability", v
	u.render(w, http.StatusOK, "config_templates.html", pg)
}

// cfgBookabilityView is the form that changes one template's bookability.
type cfgBookabilityView struct {
	New      bool // false: this is not the new-template form
	Scope    *configScope
	Session  cfgSessionView
	Form     *Form
	OrgTypes []cfgOption
	Groups   []cfgOption
	Action   string
	Back     string
	Weeks    int
}

// Checked reports whether a checkbox or radio of the form is on.
func (v *cfgBookabilityView) Checked(field, value string) bool {
	return slices.Contains(v.Form.Values[field], value)
}

// cfgBookabilityValues are the form's values for a template as stored.
func cfgBookabilityValues(s *rota.Session, version int64) url.Values {
	vals := url.Values{"version": {strconv.FormatInt(version, 10)}}
	vals.Set("bookable", "no")
	if s.Bookable {
		vals.Set("bookable", "yes")
	}
	for _, t := range s.Restrictions.OrgTypes {
		vals.Add("org_types", string(t))
	}
	vals["groups"] = slices.Clone(s.Restrictions.Groups)
	var codes []string
	for _, c := range s.Restrictions.ODSCodes {
		codes = append(codes, string(c))
	}
	vals.Set("ods_codes", strings.Join(codes, ", "))
	vals.Set("slots_111", strings.Join(cfgTimes(cfg111Times(s)), ", "))
	vals.Set("booking_window", cfgWindowValue(s.BookingWindow))
	vals.Set("embargo_minutes", strconv.Itoa(int(time.Duration(s.Embargo)/time.Minute)))
	return vals
}

// cfgWindowValue is a booking window as the form shows it: whole days as
// a number, anything else in the book's own notation (1d12h).
func cfgWindowValue(d rota.Duration) string {
	if time.Duration(d)%(24*time.Hour) == 0 {
		return strconv.Itoa(int(time.Duration(d) / (24 * time.Hour)))
	}
	return d.String()
}

func cfgFindSession(b *rota.Book, name string) int {
	for i := range b.Sessions {
		if b.Sessions[i].Name == name {
			return i
		}
	}
	return -1
}

// configLoadSession reads the book and finds the template ?session= names.
func (u *UI) configLoadSession(ctx context.Context, r *http.Request, sc *configScope) (*rota.Book, int64, int, error) {
	name := r.URL.Query().Get("session")
	b, version, err := u.Store.Book(ctx, sc.Org.ODS)
	if err != nil {
		return nil, 0, -1, err
	}
	i := cfgFindSession(b, name)
	if i < 0 {
		return nil, 0, -1, pcnhub.Errorf(pcnhub.ENOTFOUND, "%s has no session template named %q", sc.Org.Name, name)
	}
	return b, version, i, nil
}

// configBookabilityPage (GET /config/templates/bookability?session=NAME)
// is the form that changes one template's bookability and restrictions.
func (u *UI) configBookabilityPage(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	b, version, i, err := u.configLoadSession(ctx, r, sc)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	dir, err := u.configBookDir(ctx, sc.Org)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	u.renderBookability(w, http.StatusOK, pg, sc, dir, &b.Sessions[i], NewForm(cfgBookabilityValues(&b.Sessions[i], version)))
}

func (u *UI) renderBookability(w http.ResponseWriter, status int, pg *Page, sc *configScope, dir *cfgBookDir, s *rota.Session, f *Form) {
	pg.Title = "Change who may book " + s.Name
	pg.Data = &cfgBookabilityView{Scope: sc, Session: dir.sessionView(s, sc), Form: f, OrgTypes: cfgOrgTypes,
		Groups: dir.groupOptions(), Action: "/config/templates/bookability?session=" + url.QueryEscape(s.Name) + sc.And(),
		Back: "/config/templates" + sc.Query(), Weeks: configBookWeeks}
	u.render(w, status, "config_template_form.html", pg)
}

// cfgBookability is what the bookability fields of a form say.
type cfgBookability struct {
	Bookable     bool
	Restrictions rota.Restrictions
	Window       rota.Duration
	Embargo      rota.Duration
}

// cfgParseBookability reads and checks the bookability fields: bookable,
// org_types, groups, ods_codes, booking_window, embargo_minutes. Every
// problem is recorded on its field.
func (u *UI) cfgParseBookability(f *Form, dir *cfgBookDir, channel schedule.DeliveryChannel) cfgBookability {
	var bk cfgBookability
	switch f.Get("bookable") {
	case "yes":
		bk.Bookable = true
		if channel == schedule.Visit {
			f.Fail("bookable", "Home visit (Visit) slots are never bookable over GP Connect: choose No")
		}
	case "no":
	default:
		f.Fail("bookable", "Choose whether other organisations may book these slots over GP Connect")
	}
	for _, t := range f.Values["org_types"] {
		ot := pcnhub.OrgType(t)
		if !ot.Valid() {
			f.Fail("org_types", "Choose organisation types from the list")
			continue
		}
		if !slices.Contains(bk.Restrictions.OrgTypes, ot) {
			bk.Restrictions.OrgTypes = append(bk.Restrictions.OrgTypes, ot)
		}
	}
	for _, g := range f.Values["groups"] {
		grp, ok := dir.groups[g]
		switch {
		case !ok:
			f.Fail("groups", fmt.Sprintf("There is no organisation group named “%s”", g))
		case len(grp.Members) == 0:
			f.Fail("groups", fmt.Sprintf("The group “%s” has no members: restricting slots to it would let nobody book them", g))
		case !slices.Contains(bk.Restrictions.Groups, g):
			bk.Restrictions.Groups = append(bk.Restrictions.Groups, g)
		}
	}
	for _, c := range strings.FieldsFunc(f.Get("ods_codes"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\n' || r == '\r' || r == '\t' }) {
		ods, err := pcnhub.ParseODSCode(strings.ToUpper(c))
		if err != nil {
			f.Fail("ods_codes", "Enter ODS codes like A99991, separated by commas: "+pcnhub.ErrorMessage(err))
			continue
		}
		if _, known := dir.orgNames[ods]; !known {
			f.Fail("ods_codes", fmt.Sprintf("No organisation has ODS code %s: check the code, or ask an administrator to add the organisation", ods))
			continue
		}
		if !slices.Contains(bk.Restrictions.ODSCodes, ods) {
			bk.Restrictions.ODSCodes = append(bk.Restrictions.ODSCodes, ods)
		}
	}
	if v := f.Get("booking_window"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			switch {
			case n < 0:
				f.Fail("booking_window", "The booking window cannot be negative: enter 0 for no limit")
			case n > 3660:
				f.Fail("booking_window", "The booking window can be at most 3660 days")
			default:
				bk.Window = rota.Duration(time.Duration(n) * 24 * time.Hour)
			}
		} else if d, err := rota.ParseDuration(v); err == nil {
			bk.Window = d
		} else {
			f.Fail("booking_window", "Enter the booking window as a number of days, like 14, or 0 for no limit")
		}
	}
	if v := f.Get("embargo_minutes"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			f.Fail("embargo_minutes", "Enter the embargo as a whole number of minutes, like 30, or 0 for none")
		case n < 0:
			f.Fail("embargo_minutes", "The embargo cannot be negative: enter 0 for none")
		case n > 527040:
			f.Fail("embargo_minutes", "The embargo can be at most 527040 minutes (a year)")
		default:
			bk.Embargo = rota.Duration(time.Duration(n) * time.Minute)
		}
	}
	if bk.Window > 0 && bk.Embargo >= bk.Window && f.Errors["booking_window"] == "" && f.Errors["embargo_minutes"] == "" {
		f.Fail("embargo_minutes", fmt.Sprintf("An embargo of %s with a booking window of %s leaves no time in which the slots can be booked: make the embargo shorter than the window",
			cfgDuration(bk.Embargo), cfgDuration(bk.Window)))
	}
	return bk
}

// cfgParse111 reads the slots_111 field: start times of slots of s, each
// a real time on a slot boundary inside the session, not a visit or a
// blocked slot.
func cfgParse111(f *Form, s *rota.Session) []rota.ClockTime {
	var out []rota.ClockTime
	raw := strings.FieldsFunc(f.Get("slots_111"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	if len(raw) > 0 && s.Channel == schedule.Visit {
		f.Fail("slots_111", "This template's slots are home visits, which are never bookable: leave NHS 111 slots empty")
		return nil
	}
	for _, v := range raw {
		t, err := rota.ParseClockTime(v)
		if err != nil {
			f.Fail("slots_111", fmt.Sprintf("“%s” is not a time: enter each NHS 111 slot's start as a time like 10:00, separated by commas", v))
			continue
		}
		switch {
		case t < s.Start || t >= s.End:
			f.Fail("slots_111", fmt.Sprintf("%s is outside the session (%s to %s)", t, s.Start, s.End))
			continue
		case s.SlotMinutes > 0 && (int(t)-int(s.Start))%s.SlotMinutes != 0:
			f.Fail("slots_111", fmt.Sprintf("No slot starts at %s: this template's %d-minute slots start at %s, %s, %s and so on",
				t, s.SlotMinutes, s.Start, s.Start+rota.ClockTime(s.SlotMinutes), s.Start+rota.ClockTime(2*s.SlotMinutes)))
			continue
		}
		for _, r := range s.Slots {
			if cfgIs111(s, r) || !r.Date.IsZero() || t < r.At || int(t) >= int(r.At)+max(1, r.Count)*s.SlotMinutes {
				continue
			}
			if r.Blocked {
				f.Fail("slots_111", fmt.Sprintf("The slot at %s is blocked (a break or a meeting): choose another", t))
			}
			if r.Channel != nil && *r.Channel == schedule.Visit {
				f.Fail("slots_111", fmt.Sprintf("The slot at %s is a home visit, which is never bookable: choose another", t))
			}
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// cfgSet111 reserves exactly the slots at times for NHS 111. While the
// times stay the same and the reserving rules stay bookable, the rules
// are left as they are; otherwise the reserving rules are replaced by one
// rule per time, each keeping what the rule it replaces said (its slot
// type and GPAD category), or else copying another reserving rule of the
// book, and each explicitly bookable by urgent care only.
func cfgSet111(b *rota.Book, i int, orig *rota.Session, times []rota.ClockTime) {
	s := &b.Sessions[i]
	same := slices.Equal(cfg111Times(orig), times)
	for _, r := range orig.Slots {
		if cfgIs111(orig, r) && r.Bookable == nil && !s.Bookable {
			same = false // the rule leaned on the session being bookable
		}
	}
	if same {
		return
	}
	var kept, old []rota.SlotRule
	insertAt := -1
	for _, r := range orig.Slots {
		if cfgIs111(orig, r) {
			if insertAt < 0 {
				insertAt = len(kept)
			}
			old = append(old, r)
			continue
		}
		kept = append(kept, r)
	}
	if insertAt < 0 {
		insertAt = len(kept)
	}
	// What a new reserving rule says besides its time: the session's own
	// reserving rule, else one of another session, else urgent care only.
	model := rota.SlotRule{Restrictions: &rota.Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}}}
	if len(old) > 0 {
		model = old[0]
	} else {
	find:
		for k := range b.Sessions {
			o := &b.Sessions[k]
			for _, r := range o.Slots {
				if k != i && cfgIs111(o, r) {
					model = r
					break find
				}
			}
		}
	}
	var add []rota.SlotRule
	for _, t := range times {
		nr := model
		for _, r := range old {
			if t >= r.At && int(t) < int(r.At)+max(1, r.Count)*orig.SlotMinutes {
				nr = r
				break
			}
		}
		nr.At, nr.Count, nr.Date, nr.Blocked = t, 0, pcnhub.Date{}, false
		yes := true
		nr.Bookable = &yes
		nr.Channel = nil
		if nr.Restrictions != nil {
			x := *nr.Restrictions
			x.OrgTypes, x.Groups, x.ODSCodes = slices.Clone(x.OrgTypes), slices.Clone(x.Groups), slices.Clone(x.ODSCodes)
			nr.Restrictions = &x
		}
		add = append(add, nr)
	}
	s.Slots = slices.Concat(kept[:insertAt], add, kept[insertAt:])
}

// cfgProblems puts the problems ImportBook found on the form's fields
// (fields maps a rota field to the form's; session is the template the
// form is about). Problems of other templates go to the "book" entry.
func cfgProblems(f *Form, err error, session string, fields func(string) string) bool {
	var ps rota.Problems
	if !errors.As(err, &ps) {
		return false
	}
	for _, p := range ps {
		if p.Session != session {
			where := "The book"
			if p.Session != "" {
				where = "The template “" + p.Session + "”"
			}
			f.Fail("book", where+" has a problem that must be fixed first: "+p.Field+": "+p.Message)
			continue
		}
		f.Fail(fields(p.Field), upperFirst(p.Message))
	}
	return true
}

// cfgBookabilityField maps a rota problem field to the bookability form.
func cfgBookabilityField(field string) string {
	switch {
	case strings.HasPrefix(field, "restrictions.org_types"):
		return "org_types"
	case strings.HasPrefix(field, "restrictions.ods_codes"):
		return "ods_codes"
	case strings.HasPrefix(field, "restrictions.groups"):
		return "groups"
	case field == "booking_window":
		return "booking_window"
	case field == "embargo":
		return "embargo_minutes"
	case field == "channel":
		return "bookable"
	case strings.HasPrefix(field, "slots["):
		return "slots_111"
	}
	return "book"
}

func cfgYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func cfgList[T ~string](xs []T) string {
	if len(xs) == 0 {
		return "none"
	}
	var s []string
	for _, x := range xs {
		s = append(s, string(x))
	}
	return strings.Join(s, ",")
}

// cfgBookabilityChanges describes what changed, for the audit trail.
func cfgBookabilityChanges(before, after *rota.Session) []string {
	var out []string
	change := func(what, a, b string) {
		if a != b {
			out = append(out, what+" "+a+"→"+b)
		}
	}
	change("bookable", cfgYesNo(before.Bookable), cfgYesNo(after.Bookable))
	change("org_types", cfgList(before.Restrictions.OrgTypes), cfgList(after.Restrictions.OrgTypes))
	change("groups", cfgList(before.Restrictions.Groups), cfgList(after.Restrictions.Groups))
	change("ods_codes", cfgList(before.Restrictions.ODSCodes), cfgList(after.Restrictions.ODSCodes))
	change("slots_111", cfgOr(strings.Join(cfgTimes(cfg111Times(before)), ","), "none"), cfgOr(strings.Join(cfgTimes(cfg111Times(after)), ","), "none"))
	change("booking_window", before.BookingWindow.String(), after.BookingWindow.String())
	change("embargo", before.Embargo.String(), after.Embargo.String())
	if len(out) == 0 && !slices.EqualFunc(before.Slots, after.Slots, func(a, b rota.SlotRule) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
		out = append(out, "slots_111 rules made explicitly bookable")
	}
	return out
}

// configSaveBookability (POST /config/templates/bookability?session=NAME)
// changes a template's bookability and restrictions and brings its
// future slots in line.
func (u *UI) configSaveBookability(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	b, version, i, err := u.configLoadSession(ctx, r, sc)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	dir, err := u.configBookDir(ctx, sc.Org)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	r.ParseForm()
	f := NewForm(r.PostForm)
	s := &b.Sessions[i]
	orig := *s
	orig.Slots = slices.Clone(s.Slots)
	bk := u.cfgParseBookability(f, dir, s.Channel)
	times := cfgParse111(f, s)
	if f.Get("version") != strconv.FormatInt(version, 10) {
		f.Fail("book", "Someone else changed this appointment book after you opened this page. Check what the template says now, then save again")
		f.Values.Set("version", strconv.FormatInt(version, 10))
	}
	if !f.OK() {
		u.renderBookability(w, http.StatusUnprocessableEntity, pg, sc, dir, s, f)
		return
	}
	s.Bookable, s.Restrictions, s.BookingWindow, s.Embargo = bk.Bookable, bk.Restrictions, bk.Window, bk.Embargo
	cfgSet111(b, i, &orig, times)
	changes := cfgBookabilityChanges(&orig, s)
	back := "/config/templates" + sc.Query()
	if len(changes) == 0 {
		configDone(w, r, back, "Nothing changed in "+s.Name)
		return
	}
	res, err := u.Store.ImportBook(ctx, b, sqlstore.BookOptions{Now: u.now(), Weeks: configBookWeeks,
		BankHolidays: u.Calendar.BankHolidays, Actor: pg.P.User.Username})
	if err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.EINVALID && cfgProblems(f, err, orig.Name, cfgBookabilityField) {
			u.renderBookability(w, http.StatusUnprocessableEntity, pg, sc, dir, &orig, f)
			return
		}
		u.fail(w, r, pg, err)
		return
	}
	u.auditConfig(ctx, pg, "ui.config.book", sc.Org.ODS, "ok", fmt.Sprintf("template %q: %s; %s", s.Name, strings.Join(changes, "; "), cfgResult(res)))
	configDone(w, r, back, cfgSavedMessage("Bookability of "+s.Name+" saved", res))
}

func cfgResult(res *sqlstore.BookResult) string {
	return fmt.Sprintf("slots %s to %s: inserted=%d updated=%d deleted=%d conflicts=%d", res.From, res.To.AddDays(-1),
		res.Inserted, res.Updated, res.Deleted, len(res.Conflicts))
}

// cfgSavedMessage is the confirmation after a book change: what happened
// to the slots, and the booked ones that disagree with the book.
func cfgSavedMessage(what string, res *sqlstore.BookResult) string {
	msg := fmt.Sprintf("%s. Slots to %s: %s new, %s changed, %s removed. Booked appointments are kept.", what,
		cfgDate(res.To.AddDays(-1)), strconv.Itoa(res.Inserted), strconv.Itoa(res.Updated), strconv.Itoa(res.Deleted))
	if n := len(res.Conflicts); n > 0 {
		msg += fmt.Sprintf(" %s no longer match the template and were left as they are: move or cancel them in the appointment book.",
			cfgPlural(n, "booked appointment"))
	}
	return msg
}

// cfgNewTemplateView is the form that adds a session template.
type cfgNewTemplateView struct {
	New           bool // true: the new-template form
	Scope         *configScope
	Form          *Form
	HasBook       bool
	Days          []cfgOption
	Practitioners []cfgOption
	Locations     []cfgOption
	Channels      []cfgOption
	Categories    []cfgOption
	Settings      []cfgOption
	OrgTypes      []cfgOption
	Groups        []cfgOption
	SlotTypes     []string
	SessionNames  []string
	Action, Back  string
	Weeks         int
}

// Checked reports whether a checkbox or radio of the form is on.
func (v *cfgNewTemplateView) Checked(field, value string) bool {
	return slices.Contains(v.Form.Values[field], value)
}

func cfgStrings(ss []string) []cfgOption {
	var out []cfgOption
	for _, s := range ss {
		out = append(out, cfgOption{s, s, ""})
	}
	return out
}

var cfgChannels = []cfgOption{
	{string(schedule.InPerson), "In person", ""},
	{string(schedule.Telephone), "Telephone", ""},
	{string(schedule.Video), "Video", ""},
	{string(schedule.Visit), "Home visit (never bookable over GP Connect)", ""},
}

func (u *UI) renderNewTemplate(w http.ResponseWriter, status int, pg *Page, sc *configScope, dir *cfgBookDir, b *rota.Book, f *Form) {
	v := &cfgNewTemplateView{New: true, Scope: sc, Form: f, HasBook: b != nil, Practitioners: dir.practitionerOptions(),
		Locations: dir.locationOptions(), Channels: cfgChannels, Categories: cfgStrings(gpad.Categories), Settings: cfgStrings(gpad.Settings),
		OrgTypes: cfgOrgTypes, Groups: dir.groupOptions(), Action: "/config/templates/new" + sc.Query(),
		Back: "/config/templates" + sc.Query(), Weeks: configBookWeeks}
	for _, d := range cfgWeekdays {
		v.Days = append(v.Days, cfgOption{d.String(), time.Weekday(d).String(), ""})
	}
	if b != nil {
		for _, s := range b.Sessions {
			if !slices.Contains(v.SlotTypes, s.SlotType) {
				v.SlotTypes = append(v.SlotTypes, s.SlotType)
			}
			if !slices.Contains(v.SessionNames, s.SessionName) {
				v.SessionNames = append(v.SessionNames, s.SessionName)
			}
		}
		slices.Sort(v.SlotTypes)
		slices.Sort(v.SessionNames)
	}
	pg.Title, pg.Data = "Add a session template", v
	u.render(w, status, "config_template_form.html", pg)
}

// configNewTemplatePage (GET /config/templates/new) is the form that adds
// a session template.
func (u *UI) configNewTemplatePage(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	b, version, err := u.Store.Book(ctx, sc.Org.ODS)
	if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
		u.fail(w, r, pg, err)
		return
	}
	dir, err := u.configBookDir(ctx, sc.Org)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	setting := "General Practice"
	if sc.Org.Type == pcnhub.OrgPCNHub {
		setting = "Extended Access Provision"
	}
	f := NewForm(url.Values{"version": {strconv.FormatInt(version, 10)}, "slot_minutes": {"10"},
		"channel": {string(schedule.InPerson)}, "bookable": {"no"}, "gpad_setting": {setting},
		"booking_window": {"0"}, "embargo_minutes": {"0"}})
	u.renderNewTemplate(w, http.StatusOK, pg, sc, dir, b, f)
}

// cfgNewTemplateField maps a rota problem field to the new-template form.
func cfgNewTemplateField(field string) string {
	switch field {
	case "name", "days", "start", "end", "slot_minutes", "practitioner", "location", "slot_type", "session_name",
		"channel", "gpad_category", "gpad_setting", "until":
		return field
	case "role", "role_display":
		return "practitioner"
	}
	if f := cfgBookabilityField(field); f != "book" && f != "slots_111" && f != "bookable" {
		return f
	}
	return "book"
}

// cfgParseNewTemplate reads and checks the new-template form: every
// problem the book's own validation would find in one session alone is
// recorded on its field here, in words staff understand; what needs the
// whole book (overlaps) is left to ImportBook.
func (u *UI) cfgParseNewTemplate(f *Form, b *rota.Book, dir *cfgBookDir) rota.Session {
	s := rota.Session{Name: f.Get("name")}
	var err error
	switch {
	case s.Name == "":
		f.Fail("name", "Enter a name for the template, like “smith-am”")
	case len(s.Name) > 80:
		f.Fail("name", "The name can be at most 80 characters")
	case cfgFindSession(b, s.Name) >= 0:
		f.Fail("name", fmt.Sprintf("A template named “%s” already exists: choose another name", s.Name))
	}
	for _, d := range f.Values["days"] {
		var wd rota.Weekday
		if err := wd.UnmarshalText([]byte(d)); err != nil {
			f.Fail("days", "Choose days from the list")
			continue
		}
		if !slices.Contains(s.Days, wd) {
			s.Days = append(s.Days, wd)
		}
	}
	if len(s.Days) == 0 && f.Errors["days"] == "" {
		f.Fail("days", "Choose the days of the week the session runs")
	}
	slices.SortFunc(s.Days, func(a, b rota.Weekday) int { return (int(a)+6)%7 - (int(b)+6)%7 })
	startOK, endOK := false, false
	if v := f.Get("start"); v == "" {
		f.Fail("start", "Enter the time the session starts, like 08:30")
	} else if s.Start, err = rota.ParseClockTime(v); err != nil {
		f.Fail("start", "Enter the start time as a real time of day in hours and minutes, like 08:30")
	} else {
		startOK = true
	}
	if v := f.Get("end"); v == "" {
		f.Fail("end", "Enter the time the session ends, like 12:00")
	} else if s.End, err = rota.ParseClockTime(v); err != nil {
		f.Fail("end", "Enter the end time as a real time of day in hours and minutes, like 12:00")
	} else {
		endOK = true
	}
	if startOK && endOK && s.End <= s.Start {
		f.Fail("end", fmt.Sprintf("The end time must be after the start time (%s); a session that runs past midnight must be two templates", s.Start))
		endOK = false
	}
	if v := f.Get("slot_minutes"); v == "" {
		f.Fail("slot_minutes", "Enter the length of each slot in minutes, like 10")
	} else if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 24*60 {
		f.Fail("slot_minutes", "Enter the slot length as a whole number of minutes, like 10")
	} else {
		s.SlotMinutes = n
		if length := int(s.End) - int(s.Start); startOK && endOK && length%n != 0 {
			f.Fail("slot_minutes", fmt.Sprintf("%d-minute slots do not fit the %s to %s session (%d minutes) exactly: choose a length that divides it, or change the times",
				n, s.Start, s.End, length))
		}
	}
	if s.Practitioner = f.Get("practitioner"); s.Practitioner != "" {
		p, ok := dir.practitioners[s.Practitioner]
		if !ok {
			f.Fail("practitioner", "Choose one of the organisation's practitioners from the list")
		} else if _, known := schedule.JobRoleDisplays[p.JobRoleCode]; known {
			s.Role = p.JobRoleCode
		}
	}
	if s.Location = f.Get("location"); s.Location == "" {
		f.Fail("location", "Choose where the session runs")
	} else if _, ok := dir.locations[s.Location]; !ok {
		f.Fail("location", "Choose one of the organisation's locations from the list")
	}
	s.Room = f.Get("room")
	if s.SlotType = f.Get("slot_type"); s.SlotType == "" {
		f.Fail("slot_type", "Enter the slot type, like “Routine GP appointment”")
	} else if len(s.SlotType) > 100 {
		f.Fail("slot_type", "The slot type can be at most 100 characters")
	}
	if s.SessionName = f.Get("session_name"); s.SessionName == "" {
		f.Fail("session_name", "Enter the session name, like “Morning surgery”")
	} else if len(s.SessionName) > 100 {
		f.Fail("session_name", "The session name can be at most 100 characters")
	}
	if s.Channel = schedule.DeliveryChannel(f.Get("channel")); !s.Channel.Valid() {
		f.Fail("channel", "Choose how the appointments are delivered")
	}
	if s.GPADCategory = f.Get("gpad_category"); s.GPADCategory != "" {
		if _, ok := gpad.Category(s.GPADCategory); !ok {
			f.Fail("gpad_category", "Choose a national GPAD category from the list")
		}
	}
	if s.GPADSetting = f.Get("gpad_setting"); s.GPADSetting != "" {
		if _, ok := gpad.Setting(s.GPADSetting); !ok {
			f.Fail("gpad_setting", "Choose a GPAD service setting from the list")
		}
	}
	if v := f.Get("from"); v != "" {
		if s.From, err = pcnhub.ParseDate(v); err != nil {
			f.Fail("from", "The first day must be a real date, like 2026-11-24")
		}
	}
	if v := f.Get("until"); v != "" {
		if s.Until, err = pcnhub.ParseDate(v); err != nil {
			f.Fail("until", "The last day must be a real date, like 2027-03-31")
		} else if !s.From.IsZero() && s.Until.Before(s.From) {
			f.Fail("until", "The last day must be on or after the first day")
		}
	}
	bk := u.cfgParseBookability(f, dir, s.Channel)
	s.Bookable, s.Restrictions, s.BookingWindow, s.Embargo = bk.Bookable, bk.Restrictions, bk.Window, bk.Embargo
	return s
}

// configAddTemplate (POST /config/templates/new) adds a session template
// and generates its slots.
func (u *UI) configAddTemplate(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	b, version, err := u.Store.Book(ctx, sc.Org.ODS)
	hadBook := err == nil
	switch {
	case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
		b = &rota.Book{Organisation: sc.Org.ODS, BankHolidays: rota.BankHolidaysClosed}
	case err != nil:
		u.fail(w, r, pg, err)
		return
	}
	dir, err := u.configBookDir(ctx, sc.Org)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	r.ParseForm()
	f := NewForm(r.PostForm)
	s := u.cfgParseNewTemplate(f, b, dir)
	if hadBook && f.Get("version") != strconv.FormatInt(version, 10) {
		f.Fail("book", "Someone else changed this appointment book after you opened this page. Check the templates, then add this one again")
		f.Values.Set("version", strconv.FormatInt(version, 10))
	}
	var book *rota.Book
	if hadBook {
		book = b
	}
	if !f.OK() {
		u.renderNewTemplate(w, http.StatusUnprocessableEntity, pg, sc, dir, book, f)
		return
	}
	b.Sessions = append(b.Sessions, s)
	res, err := u.Store.ImportBook(ctx, b, sqlstore.BookOptions{Now: u.now(), Weeks: configBookWeeks,
		BankHolidays: u.Calendar.BankHolidays, Actor: pg.P.User.Username})
	if err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.EINVALID && cfgProblems(f, err, s.Name, cfgNewTemplateField) {
			b.Sessions = b.Sessions[:len(b.Sessions)-1]
			u.renderNewTemplate(w, http.StatusUnprocessableEntity, pg, sc, dir, book, f)
			return
		}
		u.fail(w, r, pg, err)
		return
	}
	who := "bookable " + cfgYesNo(s.Bookable)
	if !s.Restrictions.None() {
		who += fmt.Sprintf(" (org_types %s; groups %s; ods_codes %s)", cfgList(s.Restrictions.OrgTypes),
			cfgList(s.Restrictions.Groups), cfgList(s.Restrictions.ODSCodes))
	}
	u.auditConfig(ctx, pg, "ui.config.book", sc.Org.ODS, "ok", fmt.Sprintf("template %q added: %s %s-%s, %d-minute %q slots, %s, practitioner %s, location %s, %s; %s",
		s.Name, cfgDays(s.Days), s.Start, s.End, s.SlotMinutes, s.SlotType, s.Channel, cfgOr(s.Practitioner, "none"), s.Location, who, cfgResult(res)))
	configDone(w, r, "/config/templates"+sc.Query(), cfgSavedMessage("Template "+s.Name+" added", res))
}
