package web

// Find a patient (GET /patients) and the patient page (GET
// /patients/{nhs}): the demographic register searched by NHS number or by
// family name and date of birth, and the patient's appointments at every
// practice of the user's group, amended and cancelled over GP Connect.
// The pages that book across practices (/search) are in search.go; this
// file mounts them too.

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

// routesPatients mounts the patient pages and the book-across-practices
// pages.
func (u *UI) routesPatients(mux *http.ServeMux) {
	mux.HandleFunc("GET /patients", u.page(staff.FindPatients, u.patFind))
	mux.HandleFunc("GET /patients/{nhs}", u.page(staff.FindPatients, u.patPage))
	mux.HandleFunc("POST /patients/{nhs}/appointments/{practice}/{id}/amend", u.page(staff.BookAppointments, u.patAmend))
	mux.HandleFunc("POST /patients/{nhs}/appointments/{practice}/{id}/cancel", u.page(staff.BookAppointments, u.patCancel))

	mux.HandleFunc("GET /search", u.page(staff.SearchSlots, u.searchPage))
	mux.HandleFunc("GET /search/practices", u.page(staff.SearchSlots, u.searchPracticeChoices))
	mux.HandleFunc("GET /search/book", u.page(staff.BookAppointments, u.searchBookForm))
	mux.HandleFunc("POST /search/book", u.page(staff.BookAppointments, u.searchBook))
	mux.HandleFunc("GET /search/booked", u.page(staff.BookAppointments, u.searchBooked))
}

const (
	// patAppointmentDays is how far ahead the patient page lists
	// appointments (the demo's books run six weeks ahead).
	patAppointmentDays = 42
)

// patRegister is the PDS-like register with PDS's rules on top of the
// store: superseded numbers followed, invalidated entries hidden, and a
// sensitive person's address, telecom and GP withheld.
func (u *UI) patRegister() *spine.Register { return &spine.Register{Store: u.Store} }

// patAudit records an access to the demographic register from the UI,
// on behalf of the user's organisation (OrgODS and RequesterODS both: the
// register belongs to no practice). It never holds a name: the NHS
// number (when the user gave or opened one) and counts only.
func (u *UI) patAudit(ctx context.Context, pg *Page, action string, nhs pcnhub.NHSNumber, outcome, detail string) error {
	trace := ""
	if rq, ok := pcnhub.RequesterFrom(ctx); ok {
		trace = rq.TraceID
	}
	return u.Store.AppendAudit(ctx, &pcnhub.AuditEvent{At: u.now(), TraceID: trace, Action: action, Actor: pg.P.User.Username,
		OrgODS: pg.P.Membership.OrgODS, RequesterODS: pg.P.Membership.OrgODS, Practitioner: pg.P.User.SDSUserID, Device: "pcnhub", NHSNumber: nhs,
		Outcome: outcome, Detail: detail})
}

// patParseNHS checks an NHS number as typed (spaces and hyphens allowed)
// and returns the message for the field when it is wrong.
func patParseNHS(s string) (pcnhub.NHSNumber, string) {
	digits := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
	if len(digits) != 10 || strings.Trim(digits, "0123456789") != "" {
		return "", "Enter a 10-digit NHS number"
	}
	n, err := pcnhub.ParseNHSNumber(digits)
	if err != nil {
		return "", "This NHS number is not valid: check it and try again"
	}
	return n, ""
}

// ---- People as the pages show them

// patPerson is a register entry as a page shows it.
type patPerson struct {
	NHS       pcnhub.NHSNumber
	Name      string
	Family    string
	Born      string // "15 Mar 1984"
	Age       int
	Gender    string
	Sensitive bool
	Postcode  string // "" when withheld or unknown
	Address   string // one line; "" when withheld or unknown
	Telecom   []pcnhub.ContactPoint
	Deceased  string // the date of death, "" while alive
	Practice  pcnhub.ODSCode
	// PracticeName is the registered practice's name ("" when the
	// practice is not known here, or there is none); PracticeLabel is
	// how the pages name it: "Mill Lane Surgery (A99992)", or
	// "practice B99999" for one outside this network.
	PracticeName, PracticeLabel string
}

func patFullName(n pcnhub.HumanName) string {
	var parts []string
	if n.Prefix != "" {
		parts = append(parts, n.Prefix)
	}
	parts = append(parts, n.Given...)
	if n.Family != "" {
		parts = append(parts, n.Family)
	}
	return strings.Join(parts, " ")
}

func patDate(d pcnhub.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time(pcnhub.London).Format("2 Jan 2006")
}

// patPersonOf describes a register entry; names are the organisations'
// names by ODS code (missing ones are looked up and remembered). A
// sensitive person's address and contact details are never shown, even
// if the entry still held them.
func (u *UI) patPersonOf(ctx context.Context, p *pcnhub.Person, names map[pcnhub.ODSCode]string) patPerson {
	v := patPerson{NHS: p.NHSNumber, Name: patFullName(p.Name), Family: p.Name.Family, Born: patDate(p.BirthDate),
		Age: p.BirthDate.AgeOn(u.today()), Gender: upperFirst(string(p.Gender)), Sensitive: p.Sensitive,
		Deceased: patDate(p.DeceasedDate), Practice: p.GPPractice}
	if !p.Sensitive {
		v.Postcode = p.Address.Postcode
		v.Address = strings.Join(slices.DeleteFunc(append(slices.Clone(p.Address.Lines), p.Address.City, p.Address.Postcode),
			func(s string) bool { return strings.TrimSpace(s) == "" }), ", ")
		v.Telecom = p.Telecom
	}
	if p.GPPractice != "" {
		v.PracticeName = u.patOrgName(ctx, p.GPPractice, names)
		v.PracticeLabel = "practice " + string(p.GPPractice)
		if v.PracticeName != "" {
			v.PracticeLabel = v.PracticeName + " (" + string(p.GPPractice) + ")"
		}
	}
	return v
}

// patOrgName is an organisation's name, "" when it is not known here.
func (u *UI) patOrgName(ctx context.Context, ods pcnhub.ODSCode, names map[pcnhub.ODSCode]string) string {
	if n, ok := names[ods]; ok {
		return n
	}
	n := ""
	if o, err := u.Store.OrganisationByODS(ctx, ods); err == nil {
		n = o.Name
	}
	names[ods] = n
	return n
}

// ---- The group a user works across

// patGroups are the organisation groups a user's pages work across.
//
// The choice: the groups that contain the user's organisation and at
// least one other organisation; when the user's organisation is in none
// of those, every group. A group whose only member is the user's own
// organisation (the demo's "111 direct booking" holds just the NHS 111
// service) lists who may book, not where to book, so it does not count.
// The patient page searches every practice of the chosen groups; the
// search page offers every group and selects one of them by default: the
// chosen group with the most members (the first by name on a tie).
type patGroups struct {
	All     []*pcnhub.OrganisationGroup
	Chosen  []*pcnhub.OrganisationGroup
	Default string
	Orgs    map[pcnhub.ODSCode]*pcnhub.Organisation
}

func (u *UI) patGroupsFor(ctx context.Context, org pcnhub.ODSCode) (*patGroups, error) {
	all, err := u.Store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := u.Store.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	g := &patGroups{All: all, Orgs: map[pcnhub.ODSCode]*pcnhub.Organisation{}}
	for _, o := range orgs {
		g.Orgs[o.ODS] = o
	}
	for _, gr := range all {
		if slices.Contains(gr.Members, org) && slices.ContainsFunc(gr.Members, func(m pcnhub.ODSCode) bool { return m != org }) {
			g.Chosen = append(g.Chosen, gr)
		}
	}
	if len(g.Chosen) == 0 {
		g.Chosen = all
	}
	best := -1
	for _, gr := range g.Chosen { // by name already: a tie keeps the first
		if len(gr.Members) > best {
			best, g.Default = len(gr.Members), gr.Name
		}
	}
	return g, nil
}

// byName returns the named group (nil when there is none).
func (g *patGroups) byName(name string) *pcnhub.OrganisationGroup {
	for _, gr := range g.All {
		if gr.Name == name {
			return gr
		}
	}
	return nil
}

// bookHolders are the members of the chosen groups that may hold
// appointments: every member except urgent-care services (NHS 111 books
// into practices and holds no book of its own). Members this deployment
// does not know are kept: they may answer GP Connect elsewhere.
func (g *patGroups) bookHolders() []pcnhub.ODSCode {
	var out []pcnhub.ODSCode
	for _, gr := range g.Chosen {
		for _, m := range gr.Members {
			if o := g.Orgs[m]; o != nil && o.Type == pcnhub.OrgUrgentCare {
				continue
			}
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ---- Find a patient

// patFindView is the find-a-patient page: the two forms (by NHS number,
// by family name and date of birth) and what was found.
type patFindView struct {
	Form     *Form
	By       string // "nhs", "name"; "" before a search
	Searched bool
	Found    []patPerson
	Max      bool // the trace stopped at its most results
	DOBError string
}

func (u *UI) patFind(w http.ResponseWriter, r *http.Request, pg *Page) {
	q := r.URL.Query()
	f := NewForm(q)
	v := &patFindView{Form: f}
	pg.Title, pg.Data = "Find a patient", v
	ctx := r.Context()
	switch {
	case q.Has("nhs"):
		v.By = "nhs"
		nhs, msg := patParseNHS(f.Get("nhs"))
		if msg != "" {
			f.Fail("nhs", msg)
			break
		}
		p, err := u.patRegister().Retrieve(ctx, nhs)
		if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			u.fail(w, r, pg, err)
			return
		}
		outcome, detail := "ok", "by NHS number: 1 found"
		if err != nil {
			outcome, detail = pcnhub.ENOTFOUND, "by NHS number: none found"
		}
		if err := u.patAudit(ctx, pg, "ui.patient.search", nhs, outcome, detail); err != nil {
			u.fail(w, r, pg, err)
			return
		}
		v.Searched = true
		if p != nil {
			v.Found = []patPerson{u.patPersonOf(ctx, p, map[pcnhub.ODSCode]string{})}
		}
	case q.Has("family") || q.Has("dob-day") || q.Has("dob-month") || q.Has("dob-year"):
		v.By = "name"
		family := f.Get("family")
		if family == "" {
			f.Fail("family", "Enter the patient's family name")
		} else if utf8.RuneCountInString(family) > 100 {
			f.Fail("family", "The family name must be 100 characters or fewer")
		}
		birth, field, msg := patParseDOB(f, u.today())
		if msg != "" {
			f.Fail(field, msg)
			v.DOBError = msg
		}
		if !f.OK() {
			break
		}
		matches, err := u.patRegister().Trace(ctx, pcnhub.TraceQuery{Family: family, BirthDate: birth})
		if err != nil {
			if pcnhub.ErrorCode(err) == pcnhub.EINVALID {
				f.Fail("family", upperFirst(pcnhub.ErrorMessage(err)))
				break
			}
			u.fail(w, r, pg, err)
			return
		}
		outcome := "ok"
		if len(matches) == 0 {
			outcome = pcnhub.ENOTFOUND
		}
		// The name and the date of birth are not logged: only that a
		// trace was made, and how many it found.
		if err := u.patAudit(ctx, pg, "ui.patient.search", "", outcome,
			fmt.Sprintf("by family name and date of birth: %d found", len(matches))); err != nil {
			u.fail(w, r, pg, err)
			return
		}
		v.Searched, v.Max = true, len(matches) >= spine.MaxTraceResults
		names := map[pcnhub.ODSCode]string{}
		for i := range matches {
			v.Found = append(v.Found, u.patPersonOf(ctx, &matches[i].Person, names))
		}
	}
	status := http.StatusOK
	if !f.OK() {
		status = http.StatusUnprocessableEntity
	}
	u.render(w, status, "patients.html", pg)
}

// patParseDOB reads the date of birth's three inputs (dob-day,
// dob-month, dob-year) as the NHS.UK date input pattern asks: the
// message names what is missing or wrong, and field is the first input
// to correct.
func patParseDOB(f *Form, today pcnhub.Date) (d pcnhub.Date, field, msg string) {
	day, month, year := f.Get("dob-day"), f.Get("dob-month"), f.Get("dob-year")
	switch {
	case day == "" && month == "" && year == "":
		return d, "dob-day", "Enter the patient's date of birth"
	case day == "":
		return d, "dob-day", "Date of birth must include a day"
	case month == "":
		return d, "dob-month", "Date of birth must include a month"
	case year == "":
		return d, "dob-year", "Date of birth must include a year"
	}
	dd, err1 := strconv.Atoi(day)
	mm, err2 := strconv.Atoi(month)
	yy, err3 := strconv.Atoi(year)
	switch {
	case err1 != nil || dd < 1 || dd > 31:
		return d, "dob-day", "Date of birth must be a real date"
	case err2 != nil || mm < 1 || mm > 12:
		return d, "dob-month", "Date of birth must be a real date"
	case err3 != nil || len(year) != 4:
		return d, "dob-year", "Year must include 4 numbers"
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd || yy < 1870 {
		return d, "dob-day", "Date of birth must be a real date"
	}
	d = pcnhub.DateOf(t)
	if today.Before(d) {
		return pcnhub.Date{}, "dob-day", "Date of birth must be today or in the past"
	}
	return d, "", ""
}

// ---- The patient page

// patPageView is the patient page: the register's entry, the patient's
// appointments across the practices, the practices that did not answer,
// and the amend and cancel forms (one of them reopened when it failed).
type patPageView struct {
	Person       patPerson
	Appointments []patAppointment
	Unavailable  []hub.Unavailable
	Searched     int
	Failed       *Form
}

// patAppointment is one appointment as the patient page shows it.
type patAppointment struct {
	hub.Booking
	Key        string // "A99992-123": the ids of its forms' fields
	Changeable bool   // booked and still ahead: amend and cancel
	Open       string // "amend" or "cancel": the form to show open (it failed)
	Form       *Form  // that form's values and messages
	Amend      string // the amend form's action
	Cancel     string // the cancel form's action
}

// patFailed is a change form that failed validation, to show again.
type patFailed struct {
	practice pcnhub.ODSCode
	id, kind string
	form     *Form
}

func (u *UI) patPage(w http.ResponseWriter, r *http.Request, pg *Page) {
	u.patShow(w, r, pg, nil)
}

func (u *UI) patShow(w http.ResponseWriter, r *http.Request, pg *Page, failed *patFailed) {
	ctx := r.Context()
	nhs, err := pcnhub.ParseNHSNumber(r.PathValue("nhs"))
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	if u.Hub == nil {
		u.fail(w, r, pg, errNoHub)
		return
	}
	p, err := u.patRegister().Retrieve(ctx, nhs)
	if err != nil {
		u.patAudit(ctx, pg, "ui.patient.view", nhs, pcnhub.ErrorCode(err), "patient page")
		u.fail(w, r, pg, err)
		return
	}
	if p.NHSNumber != nhs && failed == nil {
		// A superseded number: the page of the number that replaced it.
		redirect(w, r, "/patients/"+string(p.NHSNumber))
		return
	}
	groups, err := u.patGroupsFor(ctx, pg.P.Membership.OrgODS)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	targets := groups.bookHolders()
	v := &patPageView{Person: u.patPersonOf(ctx, p, map[pcnhub.ODSCode]string{}), Searched: len(targets)}
	if err := u.patAudit(ctx, pg, "ui.patient.view", p.NHSNumber, "ok", "patient page"); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	if len(targets) > 0 {
		appts, down, err := u.Hub.PatientAppointments(ctx, pg.P, p.NHSNumber, "", targets, patAppointmentDays)
		if err != nil {
			u.fail(w, r, pg, err)
			return
		}
		v.Unavailable = down
		now := u.now()
		canBook := pg.P.Can(staff.BookAppointments)
		base := "/patients/" + string(p.NHSNumber) + "/appointments/"
		for _, a := range appts {
			pa := patAppointment{Booking: a, Key: string(a.Practice) + "-" + a.AppointmentID,
				Changeable: canBook && a.Status == "booked" && a.Start.After(now),
				Amend:      base + url.PathEscape(string(a.Practice)) + "/" + url.PathEscape(a.AppointmentID) + "/amend",
				Cancel:     base + url.PathEscape(string(a.Practice)) + "/" + url.PathEscape(a.AppointmentID) + "/cancel"}
			if failed != nil && failed.practice == a.Practice && failed.id == a.AppointmentID {
				pa.Open, pa.Form = failed.kind, failed.form
			}
			v.Appointments = append(v.Appointments, pa)
		}
	}
	status := http.StatusOK
	if failed != nil {
		v.Failed = failed.form
		status = http.StatusUnprocessableEntity
	}
	pg.Title, pg.Data = v.Person.Name, v
	u.render(w, status, "patient.html", pg)
}

// patChangeTarget reads the patient, practice and appointment of an
// amend or cancel form's path.
func (u *UI) patChangeTarget(r *http.Request) (pcnhub.NHSNumber, pcnhub.ODSCode, string, error) {
	if u.Hub == nil {
		return "", "", "", errNoHub
	}
	nhs, err := pcnhub.ParseNHSNumber(r.PathValue("nhs"))
	if err != nil {
		return "", "", "", err
	}
	ods, err := pcnhub.ParseODSCode(r.PathValue("practice"))
	if err != nil {
		return "", "", "", err
	}
	id := r.PathValue("id")
	if id == "" {
		return "", "", "", pcnhub.Errorf(pcnhub.EINVALID, "which appointment?")
	}
	return nhs, ods, id, nil
}

// patAmend (POST /patients/{nhs}/appointments/{practice}/{id}/amend:
// description, comment).
func (u *UI) patAmend(w http.ResponseWriter, r *http.Request, pg *Page) {
	nhs, ods, id, err := u.patChangeTarget(r)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	f := NewForm(r.PostForm)
	key := string(ods) + "-" + id
	f.AppointmentText("-"+key, "Enter a description of the appointment")
	if !f.OK() {
		u.patShow(w, r, pg, &patFailed{ods, id, "amend", f})
		return
	}
	b, err := u.Hub.Amend(r.Context(), pg.P, ods, id, f.Get("description"), f.Get("comment"))
	if err != nil {
		u.fail(w, r, pg, u.patPracticeError(r.Context(), ods, err))
		return
	}
	redirect(w, r, "/patients/"+string(nhs)+"?done="+url.QueryEscape(fmt.Sprintf("Appointment at %s on %s changed",
		b.PracticeName, b.Start.In(pcnhub.London).Format("Mon 2 Jan 2006 at 15:04"))))
}

// patCancel (POST /patients/{nhs}/appointments/{practice}/{id}/cancel:
// reason).
func (u *UI) patCancel(w http.ResponseWriter, r *http.Request, pg *Page) {
	nhs, ods, id, err := u.patChangeTarget(r)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	f := NewForm(r.PostForm)
	key := string(ods) + "-" + id
	f.CancelReason("-"+key, "Enter the reason for cancelling")
	if !f.OK() {
		u.patShow(w, r, pg, &patFailed{ods, id, "cancel", f})
		return
	}
	b, err := u.Hub.Cancel(r.Context(), pg.P, ods, id, f.Get("reason"))
	if err != nil {
		u.fail(w, r, pg, u.patPracticeError(r.Context(), ods, err))
		return
	}
	redirect(w, r, "/patients/"+string(nhs)+"?done="+url.QueryEscape(fmt.Sprintf("Appointment at %s on %s cancelled",
		b.PracticeName, b.Start.In(pcnhub.London).Format("Mon 2 Jan 2006 at 15:04"))))
}

// patPracticeError names the practice in an error a user reads (other
// errors — a provider's own refusal, a timeout, a fault of ours — go to
// fail as they are).
func (u *UI) patPracticeError(ctx context.Context, ods pcnhub.ODSCode, err error) error {
	code := pcnhub.ErrorCode(err)
	if code == pcnhub.EINTERNAL {
		return err
	}
	name := cmp.Or(u.patOrgName(ctx, ods, map[pcnhub.ODSCode]string{}), string(ods))
	return &pcnhub.Error{Code: code, Message: fmt.Sprintf("%s (%s): %s", name, ods, pcnhub.ErrorMessage(err)), Err: err}
}
