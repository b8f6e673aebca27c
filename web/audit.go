package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/staff"
)

// auditPageSize is how many events one page of the audit view shows.
const auditPageSize = 100

// auditBatch is how many events the view reads from the store at a time
// while it looks for a page.
const auditBatch = 2000

// defaultAuditDays is the period shown when no date is given: today and
// the days before it.
const defaultAuditDays = 7

// knownActions are the audited actions, for the action filter's list
// (the field takes any other action as free text too).
var knownActions = []auditAction{
	{"staff.sign-in", "Sign-in"},
	{"staff.switch-organisation", "Switch organisation"},
	{"ui.audit.view", "Audit trail viewed"},
	{"hub.search-slots", "Search slots across practices"},
	{"hub.book", "Book at a practice"},
	{"hub.amend", "Amend a booking at a practice"},
	{"hub.cancel", "Cancel a booking at a practice"},
	{"hub.register-patient", "Temporary registration"},
	{"hub.patient-appointments", "A patient's appointments at practices"},
	{"hub.trace", "Registered practice look-up"},
	{"appointment.outcome", "Appointment outcome"},
	{"agreement.add", "Data sharing agreement added"},
	{"agreement.end", "Data sharing agreement ended"},
	{"book.import", "Appointment book imported"},
	{"book.extend", "Appointment book extended"},
	{"gpconnect.enablement", "GP Connect enablement"},
	{"import.patients", "Patients imported"},
	{"export.patients", "Patients exported"},
	{"record.import", "Record imported"},
	{"seed.load", "Data set loaded"},
	{gpconnect.IDReadPatient, "GP Connect: read patient"},
	{gpconnect.IDSearchPatient, "GP Connect: search patient"},
	{gpconnect.IDRegisterPatient, "GP Connect: register patient"},
	{gpconnect.IDSearchSlots, "GP Connect: search slots"},
	{gpconnect.IDReadAppointment, "GP Connect: read appointment"},
	{gpconnect.IDBookAppointment, "GP Connect: book appointment"},
	{gpconnect.IDAmendAppointment, "GP Connect: amend appointment"},
	{gpconnect.IDCancelAppointment, "GP Connect: cancel appointment"},
	{gpconnect.IDPatientAppointments, "GP Connect: patient's appointments"},
	{gpconnect.IDGetStructuredRecord, "GP Connect: structured record"},
	{gpconnect.IDMigrateStructuredRecord, "GP Connect: migrate structured record"},
	{gpconnect.IDGetCareRecord, "GP Connect: Access Record HTML"},
}

type auditAction struct{ Code, Label string }

// actionLabel is an action's name in words, "" when it is not known.
func actionLabel(code string) string {
	for _, a := range knownActions {
		if a.Code == code {
			return a.Label
		}
	}
	return ""
}

// auditView is the audit page.
type auditView struct {
	Form      *Form
	Listed    bool // false when the form failed
	Events    []auditRow
	Newer     string // the first (newest) page, when this is a later one
	Older     string // the next page of older events, "" when none
	Scope     string // whose events, in words
	Orgs      []orgOption
	FixedOrg  string // a practice manager's own organisation (no choice)
	Actions   []auditAction
	Verified  int
	Intact    bool
	ChainNote string // what is wrong with the chain
	PageSize  int
}

type orgOption struct {
	ODS  pcnhub.ODSCode
	Name string
}

// auditRow is one event as the table shows it.
type auditRow struct {
	Seq           int64
	At            string // London time
	ISO           string
	Action        string
	ActionParts   []string // the action cut after each ":", where a long URN may wrap
	ActionLabel   string
	Actor         string
	Org           pcnhub.ODSCode
	OrgName       string
	Requester     pcnhub.ODSCode
	RequesterName string
	NHS           string
	Outcome       string
	OK            bool
	Detail        string
}

// audit (GET /audit?nhs=&org=&action=&from=&to=&before=) lists the audit
// trail, newest first, auditPageSize events a page.
//
// Who sees what: a hub manager and the administrator see every event (the
// hub answers for the network's data, and the administrator for the
// system); anyone else with the audit permission — a practice manager —
// sees the events of their own organisation only: those whose
// organisation or requesting organisation is theirs. Events that name no
// organisation (sign-ins, data set loads) are therefore the hub's and the
// administrator's to see.
//
// The store reads oldest first, after a sequence number; the view reads
// the period (by default the last seven days) in batches, keeps the last
// auditPageSize+1 events that match and come before the page's cursor
// ("before", a sequence number), and shows them newest first; the extra
// event says whether an older page exists.
//
// Viewing is itself audited ("ui.audit.view", with the filter's NHS
// number), and the page shows whether the hash chain is intact.
func (u *UI) audit(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	p := pg.P
	seesAll := p.Membership.Role == staff.HubManager || p.Membership.Role == staff.Administrator
	orgs, err := u.Store.ListOrganisations(ctx)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	names := map[pcnhub.ODSCode]string{}
	for _, o := range orgs {
		names[o.ODS] = o.Name
	}
	q := r.URL.Query()
	f := NewForm(q)
	v := &auditView{Form: f, Actions: knownActions, PageSize: auditPageSize}
	var scope pcnhub.ODSCode
	if seesAll {
		v.Scope = "every organisation"
		for _, o := range orgs {
			v.Orgs = append(v.Orgs, orgOption{o.ODS, o.Name})
		}
	} else {
		scope = p.Membership.OrgODS
		v.Scope = p.Membership.OrgName + " (" + string(scope) + ")"
		v.FixedOrg = v.Scope
	}

	// The filter.
	var filter sqlstore.AuditFilter
	if s := f.Get("nhs"); s != "" {
		n, err := pcnhub.ParseNHSNumber(s)
		if err != nil {
			f.Fail("nhs", upperFirst(pcnhub.ErrorMessage(err)))
		} else {
			filter.NHSNumber = n
		}
	}
	var org pcnhub.ODSCode
	if s := f.Get("org"); s != "" {
		if _, known := names[pcnhub.ODSCode(s)]; !known {
			f.Fail("org", "Choose an organisation from the list")
		} else if !seesAll && pcnhub.ODSCode(s) != scope {
			f.Fail("org", "You can see the events of "+v.Scope+" only")
		} else {
			org = pcnhub.ODSCode(s)
		}
	}
	if s := f.Get("action"); s != "" {
		if len(s) > 200 || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			f.Fail("action", "Enter an action of at most 200 characters, such as staff.sign-in")
		} else {
			filter.Action = s
		}
	}
	today := u.today()
	from, to := today.AddDays(-(defaultAuditDays - 1)), today
	fromSet := false
	if s := f.Get("from"); s != "" {
		if d, err := pcnhub.ParseDate(s); err != nil || d.Year < 2000 || d.Year > 2100 {
			f.Fail("from", "The first day must be a real date, like "+from.String())
		} else {
			from, fromSet = d, true
		}
	}
	if s := f.Get("to"); s != "" {
		if d, err := pcnhub.ParseDate(s); err != nil || d.Year < 2000 || d.Year > 2100 {
			f.Fail("to", "The last day must be a real date, like "+today.String())
		} else {
			to = d
			if !fromSet {
				from = to.AddDays(-(defaultAuditDays - 1))
			}
		}
	}
	if f.OK() && to.Before(from) {
		f.Fail("to", "The last day must be the same as or after the first day")
	}
	var before int64
	if s := f.Get("before"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			before = n
		} else {
			u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "this page link is not valid; start again from the audit page"))
			return
		}
	}
	pg.Title = "Audit trail"
	if !f.OK() {
		pg.Data = v
		u.render(w, http.StatusUnprocessableEntity, "audit.html", pg)
		return
	}
	f.Values.Set("from", from.String())
	f.Values.Set("to", to.String())
	filter.From, filter.To = from.Time(pcnhub.London), to.AddDays(1).Time(pcnhub.London)

	// The page: the newest matching events before the cursor.
	match := func(e *pcnhub.AuditEvent) bool {
		if scope != "" && e.OrgODS != scope && e.RequesterODS != scope {
			return false
		}
		return org == "" || e.OrgODS == org || e.RequesterODS == org
	}
	var window []pcnhub.AuditEvent
	filter.Limit = auditBatch
	for {
		events, err := u.Store.AuditEvents(ctx, filter)
		if err != nil {
			u.fail(w, r, pg, err)
			return
		}
		done := len(events) < auditBatch
		for i := range events {
			e := &events[i]
			if before > 0 && e.Seq >= before {
				done = true
				break
			}
			if match(e) {
				window = append(window, *e)
				if len(window) > auditPageSize+1 {
					window = window[1:]
				}
			}
		}
		if done || len(events) == 0 {
			break
		}
		filter.AfterSeq = events[len(events)-1].Seq
	}
	page := window
	if len(window) > auditPageSize {
		page = window[1:]
		link := url.Values{}
		for _, k := range []string{"nhs", "org", "action", "from", "to"} {
			if s := f.Get(k); s != "" {
				link.Set(k, s)
			}
		}
		link.Set("before", strconv.FormatInt(page[0].Seq, 10))
		v.Older = "/audit?" + link.Encode()
	}
	if before > 0 {
		link := url.Values{}
		for _, k := range []string{"nhs", "org", "action", "from", "to"} {
			if s := f.Get(k); s != "" {
				link.Set(k, s)
			}
		}
		v.Newer = "/audit?" + link.Encode()
	}
	for i := len(page) - 1; i >= 0; i-- {
		e := &page[i]
		at := e.At.In(pcnhub.London)
		row := auditRow{Seq: e.Seq, At: at.Format("2 Jan 2006 15:04:05"), ISO: at.Format(time.RFC3339), Action: e.Action,
			ActionLabel: actionLabel(e.Action), Actor: e.Actor, Org: e.OrgODS, OrgName: names[e.OrgODS], Requester: e.RequesterODS,
			RequesterName: names[e.RequesterODS], Outcome: e.Outcome, OK: e.Outcome == "ok", Detail: e.Detail}
		row.ActionParts = cutAfter(e.Action, ":")
		if e.NHSNumber != "" {
			row.NHS = e.NHSNumber.Formatted()
		}
		v.Events = append(v.Events, row)
	}
	v.Listed = true

	// The hash chain. VerifyAudit reads the chain and then its head, so an
	// event appended by someone else in between reads as a break; a real
	// break persists, so a failed check is tried twice more before the
	// page warns. (It runs before this view's own event is appended.)
	var verr error
	for try := 0; try < 3; try++ {
		var n int64
		n, verr = u.Store.VerifyAudit(ctx)
		v.Verified = int(n)
		if verr == nil {
			break
		}
	}
	switch {
	case verr == nil:
		v.Intact = true
	case strings.HasPrefix(verr.Error(), "audit chain broken"):
		v.ChainNote = upperFirst(verr.Error())
	default:
		u.Log.Error("audit chain check failed", "err", verr)
		v.ChainNote = "The check of the audit trail could not be completed; the problem has been logged"
	}

	// Viewing the trail is audited; without the record, nothing is shown.
	trace := ""
	if rq, ok := pcnhub.RequesterFrom(ctx); ok {
		trace = rq.TraceID
	}
	detail := "from " + from.String() + " to " + to.String()
	if filter.Action != "" {
		detail += ", action " + clipText(filter.Action, 80)
	}
	if org != "" {
		detail += ", organisation " + string(org)
	}
	if before > 0 {
		detail += ", before event " + strconv.FormatInt(before, 10)
	}
	detail += ", " + strconv.Itoa(len(v.Events)) + " events shown"
	if err := u.Store.AppendAudit(ctx, &pcnhub.AuditEvent{At: u.now(), TraceID: trace, Action: "ui.audit.view",
		Actor: p.User.Username, OrgODS: p.Membership.OrgODS, RequesterODS: p.Membership.OrgODS, Practitioner: p.User.SDSUserID,
		Device: "pcnhub", NHSNumber: filter.NHSNumber, Outcome: "ok", Detail: detail}); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	pg.Data = v
	u.render(w, http.StatusOK, "audit.html", pg)
}

// clipText shortens s to at most n bytes on a rune boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// cutAfter cuts s after each of the separator bytes.
func cutAfter(s, seps string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s, seps)
		if i < 0 {
			break
		}
		out, s = append(out, s[:i+1]), s[i+1:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
