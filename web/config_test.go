package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/staff"
)

// cfgOrg is the practice the configuration tests change: Old Forge
// Surgery, which no other UI test uses (other tests book Riverside's
// slots). Its changes are made by a practice manager the test creates.
const cfgOrg pcnhub.ODSCode = "A99998"

const cfgPassword = "old-forge-config-2026"

// The configuration pages: the index by role; session templates, a
// template's bookability (page, store and the future slots) and a new
// template, with every validation message; agreements added and ended,
// and the rule that a manager grants only their own organisation's
// sharing; staff users added (who can then sign in), given roles,
// disabled (who can then not sign in) and given new passwords, with the
// rules on administrators and oneself; 403 for a receptionist; CSRF.
func testConfig(t *testing.T, e *env) {
	pm := cfgUser(t, e, "cfg.pm.a99998", "Ann Forge", staff.Membership{OrgODS: cfgOrg, Role: staff.PracticeManager})
	b := cfgSignIn(t, e, "cfg.pm.a99998", cfgPassword)

	t.Run("index", func(t *testing.T) {
		code, page := b.get("/config")
		if code != 200 {
			t.Fatalf("/config = %d\n%s", code, text(page))
		}
		for _, id := range []string{`id="config-templates"`, `id="config-agreements"`, `id="config-staff"`} {
			if !strings.Contains(page, id) {
				t.Errorf("/config lacks %s", id)
			}
		}
	})
	t.Run("receptionist", func(t *testing.T) { testConfigForbidden(t, e) })
	t.Run("templates", func(t *testing.T) { testConfigTemplates(t, e, b) })
	t.Run("new-template", func(t *testing.T) { testConfigNewTemplate(t, e, b) })
	t.Run("agreements", func(t *testing.T) { testConfigAgreements(t, e, b) })
	t.Run("staff", func(t *testing.T) { testConfigStaff(t, e, b, pm) })
	t.Run("administrator", func(t *testing.T) {
		admin := e.signIn(t, "admin")
		code, page := admin.get("/config/templates?org=" + string(cfgOrg))
		if code != 200 || !strings.Contains(text(page), "The appointment book of Old Forge Surgery (A99998)") {
			t.Fatalf("admin templates of %s = %d\n%s", cfgOrg, code, text(page))
		}
		if code, page = admin.get("/config/staff"); code != 200 || !strings.Contains(page, `id="user-rosa.reception"`) ||
			!strings.Contains(page, `id="user-cfg.pm.a99998"`) {
			t.Fatalf("admin staff page = %d, want every user\n%s", code, text(page))
		}
		// An organisation this deployment does not host has no book here.
		if code, _ := admin.get("/config/templates?org=Y99911"); code != http.StatusBadRequest {
			t.Errorf("admin templates of an unhosted organisation = %d, want 400", code)
		}
		// A manager may not look at another organisation's configuration.
		if code, page := b.get("/config/templates?org=A99991"); code != http.StatusForbidden {
			t.Errorf("manager templates of A99991 = %d, want 403\n%s", code, text(page))
		}
	})
}

// cfgUser creates a staff user with cfgPassword.
func cfgUser(t *testing.T, e *env, name, display string, ms ...staff.Membership) *staff.User {
	t.Helper()
	fields := strings.Fields(display)
	u := &staff.User{Username: name, DisplayName: display, Given: fields[0], Family: fields[len(fields)-1],
		PasswordHash: staff.HashPassword(cfgPassword), Memberships: ms}
	if err := e.Store.CreateStaffUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// cfgSignIn signs a user in with a password; it fails the test unless the
// start page follows.
func cfgSignIn(t *testing.T, e *env, username, password string) *browser {
	t.Helper()
	b := e.browser(t)
	code, page := b.post("/sign-in", url.Values{"username": {username}, "password": {password}})
	if code != 200 || !strings.Contains(page, `id="signed-in-as"`) {
		t.Fatalf("sign in as %s: %d\n%s", username, code, text(page))
	}
	return b
}

// cfgWants fails the test for each message the page's text lacks.
func cfgWants(t *testing.T, what, page string, messages ...string) {
	t.Helper()
	txt := text(page)
	for _, m := range messages {
		if !strings.Contains(txt, m) {
			t.Errorf("%s: the page does not say %q:\n%s", what, m, txt)
		}
	}
}

// cfgFieldError fails the test unless the page shows an error message
// next to the field (its -error element) and links it from the summary.
func cfgFieldError(t *testing.T, page string, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if !strings.Contains(page, `id="`+f+`-error"`) || !strings.Contains(page, `href="#`+f+`"`) {
			t.Errorf("no error next to field %q, or no link to it from the summary", f)
		}
	}
}

func testConfigForbidden(t *testing.T, e *env) {
	rosa := e.signIn(t, "rosa.reception")
	for _, p := range []string{"/config", "/config/templates", "/config/templates/new", "/config/templates/bookability?session=x",
		"/config/agreements", "/config/staff", "/config/staff/1/password"} {
		if code, page := rosa.get(p); code != http.StatusForbidden || !strings.Contains(text(page), "You cannot do this") {
			t.Errorf("receptionist GET %s = %d, want 403\n%s", p, code, text(page))
		}
	}
	before, _ := e.Store.Agreements(ctx, "A99991")
	for _, p := range []string{"/config/templates/new", "/config/templates/bookability?session=x", "/config/agreements",
		"/config/agreements/1/end", "/config/staff", "/config/staff/grant", "/config/staff/1/role", "/config/staff/1/disable",
		"/config/staff/1/enable", "/config/staff/1/password"} {
		rosa.get("/") // a fresh, valid CSRF token
		code, _ := rosa.post(p, url.Values{"consumer": {"B99999"}, "capability": {"tasks"}, "from": {"2026-01-01"},
			"username": {"cfg.rosa.made"}, "display_name": {"Made By Rosa"}, "role": {"administrator"}, "password": {cfgPassword}})
		if code != http.StatusForbidden {
			t.Errorf("receptionist POST %s = %d, want 403", p, code)
		}
	}
	after, _ := e.Store.Agreements(ctx, "A99991")
	if len(after) != len(before) {
		t.Errorf("a receptionist's POST changed the agreements: %d, then %d", len(before), len(after))
	}
	if _, err := e.Store.StaffUserByName(ctx, "cfg.rosa.made"); err == nil {
		t.Errorf("a receptionist's POST created a user")
	}
}

// cfgChosen picks the template the test changes: a session that is not
// bookable, has no slot rules and is not a home visit.
func cfgChosen(t *testing.T, e *env) rota.Session {
	t.Helper()
	book, _, err := e.Store.Book(ctx, cfgOrg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range book.Sessions {
		if !s.Bookable && len(s.Slots) == 0 && s.Channel == schedule.InPerson && s.Practitioner != "" && s.Restrictions.None() {
			return s
		}
	}
	t.Fatalf("%s has no plain session template to change", cfgOrg)
	return rota.Session{}
}

// cfgSessionSlots are the slots of a session template from now on: the
// slots of its practitioner's schedules inside its hours on its days.
func cfgSessionSlots(t *testing.T, e *env, s rota.Session, from, to time.Time) []schedule.Slot {
	t.Helper()
	org, err := e.Store.OrganisationByODS(ctx, cfgOrg)
	if err != nil {
		t.Fatal(err)
	}
	prs, err := e.Store.PractitionersBySDSUserID(ctx, org.ID, s.Practitioner)
	if err != nil || len(prs) == 0 {
		t.Fatalf("practitioner %s: %v", s.Practitioner, err)
	}
	slots, err := e.Store.SlotsBetween(ctx, org.ID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, sl := range slots {
		ids = append(ids, sl.ScheduleID)
	}
	schedules, err := e.Store.SchedulesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	var out []schedule.Slot
	for _, sl := range slots {
		sc := schedules[sl.ScheduleID]
		local := sl.Start.In(pcnhub.London)
		at := rota.ClockTime(local.Hour()*60 + local.Minute())
		if sc != nil && sc.PractitionerID == prs[0].ID && at >= s.Start && at < s.End &&
			slices.Contains(s.Days, rota.Weekday(local.Weekday())) && sl.Status != schedule.SlotEnteredInError {
			out = append(out, sl)
		}
	}
	return out
}

// cfgRow is the visible text of a template's row on the templates page.
func cfgRow(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr class="nhsuk-table__row" data-template="` + regexp.QuoteMeta(name) + `">.*?</tr>`).FindString(page)
	if m == "" {
		t.Fatalf("no row for template %s on the page", name)
	}
	return text(m)
}

func testConfigTemplates(t *testing.T, e *env, b *browser) {
	s := cfgChosen(t, e)
	edit := "/config/templates/bookability?session=" + url.QueryEscape(s.Name)
	code, page := b.get("/config/templates")
	if code != 200 || !strings.Contains(page, `id="session-templates"`) {
		t.Fatalf("/config/templates = %d\n%s", code, text(page))
	}
	cfgWants(t, "templates page", page, "The appointment book of Old Forge Surgery (A99998)", "Booked appointments are kept")
	row := cfgRow(t, page, s.Name)
	if !strings.Contains(row, "Not bookable") || !strings.Contains(row, s.Start.String()+" to "+s.End.String()) ||
		!strings.Contains(row, s.SlotType) || !strings.Contains(row, s.SessionName) {
		t.Errorf("row of %s before the change: %s", s.Name, row)
	}
	// NHS 111 reservations show on the templates that have them.
	if !strings.Contains(text(page), "NHS 111: 1 slot a day reserved") {
		t.Errorf("the templates page shows no NHS 111 reservation")
	}

	code, page = b.get(edit)
	if code != 200 || !strings.Contains(page, `id="bookable-no" name="bookable" type="radio" value="no" checked`) {
		t.Fatalf("GET %s = %d, want the form with No checked\n%s", edit, code, page)
	}
	_, version, _ := e.Store.Book(ctx, cfgOrg)

	// Every validation message, next to its field; nothing is saved.
	good := func() url.Values {
		return url.Values{"version": {strconv.FormatInt(version, 10)}, "bookable": {"yes"}, "org_types": {"gp-practice"},
			"ods_codes": {"a99997"}, "booking_window": {"0"}, "embargo_minutes": {"30"}, "slots_111": {""}}
	}
	bad := good()
	bad.Set("bookable", "")
	bad["org_types"] = []string{"martian"}
	bad.Set("ods_codes", "a9")
	bad.Set("slots_111", "25:00")
	bad.Set("booking_window", "soon")
	bad.Set("embargo_minutes", "-5")
	code, page = b.post(edit, bad)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad bookability = %d, want 422\n%s", code, text(page))
	}
	cfgWants(t, "bad bookability", page, "Choose whether other organisations may book these slots over GP Connect",
		"Choose organisation types from the list", "Enter ODS codes like A99991", "“25:00” is not a time",
		"Enter the booking window as a number of days", "The embargo cannot be negative")
	cfgFieldError(t, page, "bookable", "org_types", "ods_codes", "slots_111", "booking_window", "embargo_minutes")

	bad = good()
	bad.Set("ods_codes", "A99997, ZZ99999")
	bad.Set("slots_111", (s.Start + 5).String())
	bad.Set("booking_window", "1")
	bad.Set("embargo_minutes", "1440")
	code, page = b.post(edit, bad)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad bookability 2 = %d, want 422\n%s", code, text(page))
	}
	cfgWants(t, "bad bookability 2", page, "No organisation has ODS code ZZ99999", "No slot starts at "+(s.Start+5).String(),
		"leaves no time in which the slots can be booked")
	cfgFieldError(t, page, "ods_codes", "slots_111", "embargo_minutes")

	bad = good()
	bad.Set("slots_111", s.End.String())
	bad.Set("version", strconv.FormatInt(version-1, 10))
	code, page = b.post(edit, bad)
	cfgWants(t, "bad bookability 3", page, s.End.String()+" is outside the session", "Someone else changed this appointment book")
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad bookability 3 = %d, want 422", code)
	}
	if _, v, _ := e.Store.Book(ctx, cfgOrg); v != version {
		t.Fatalf("a refused form changed the book: version %d, then %d", version, v)
	}

	// A forged CSRF token changes nothing.
	forged := good()
	forged.Set("csrf", "forged")
	if code, page := b.post(edit, forged); code != http.StatusForbidden || !strings.Contains(text(page), "This form has expired") {
		t.Errorf("bookability with a forged CSRF token = %d\n%s", code, text(page))
	}
	if _, v, _ := e.Store.Book(ctx, cfgOrg); v != version {
		t.Fatalf("a forged form changed the book")
	}

	// The change: bookable by GP practices, only A99997 (a practice no
	// test searches from), not in the last 30 minutes.
	now := time.Now()
	to := now.AddDate(0, 0, 7*6)
	before := cfgSessionSlots(t, e, s, now.Add(time.Hour), to)
	if len(before) == 0 {
		t.Fatalf("template %s has no future slots", s.Name)
	}
	booked := map[int64]bool{}
	for _, sl := range before {
		if sl.Bookable {
			t.Fatalf("slot %d of %s is bookable before the change", sl.ID, s.Name)
		}
		if sl.Status == schedule.SlotBusy {
			booked[sl.ID] = true
		}
	}
	t.Logf("template %s: %d future slots, %d of them booked", s.Name, len(before), len(booked))
	b.get(edit)
	code, page = b.post(edit, good())
	if code != 200 {
		t.Fatalf("save bookability = %d\n%s", code, text(page))
	}
	cfgWants(t, "after saving", page, "Bookability of "+s.Name+" saved", "Booked appointments are kept")
	row = cfgRow(t, page, s.Name)
	for _, want := range []string{"Bookable only by", "GP practices", "Brookside Surgery (A99997)", "Not bookable in the last 30 minutes before the start"} {
		if !strings.Contains(row, want) {
			t.Errorf("row of %s after the change lacks %q: %s", s.Name, want, row)
		}
	}
	book, _, err := e.Store.Book(ctx, cfgOrg)
	if err != nil {
		t.Fatal(err)
	}
	got := book.Sessions[slices.IndexFunc(book.Sessions, func(x rota.Session) bool { return x.Name == s.Name })]
	if !got.Bookable || !slices.Equal(got.Restrictions.OrgTypes, []pcnhub.OrgType{pcnhub.OrgGPPractice}) ||
		!slices.Equal(got.Restrictions.ODSCodes, []pcnhub.ODSCode{"A99997"}) || len(got.Restrictions.Groups) != 0 ||
		time.Duration(got.Embargo) != 30*time.Minute || got.BookingWindow != 0 || len(got.Slots) != 0 {
		t.Errorf("stored template after the change: %+v", got)
	}
	// The future slots follow; the booked ones keep their appointment.
	after := cfgSessionSlots(t, e, s, now.Add(time.Hour), to)
	if len(after) != len(before) {
		t.Errorf("%s had %d future slots, now %d", s.Name, len(before), len(after))
	}
	free := 0
	for _, sl := range after {
		if sl.Status == schedule.SlotFree {
			free++
		}
		if !sl.Bookable || !slices.Equal(sl.OrgTypes, []pcnhub.OrgType{pcnhub.OrgGPPractice}) ||
			!slices.Equal(sl.ODSCodes, []pcnhub.ODSCode{"A99997"}) || sl.Embargo != 30*time.Minute {
			t.Errorf("slot %d (%s, %s) after the change: bookable %v types %v codes %v embargo %s", sl.ID, sl.Start.In(pcnhub.London),
				sl.Status, sl.Bookable, sl.OrgTypes, sl.ODSCodes, sl.Embargo)
		}
		if booked[sl.ID] && sl.Status != schedule.SlotBusy {
			t.Errorf("booked slot %d is %s after the change", sl.ID, sl.Status)
		}
		delete(booked, sl.ID)
	}
	if free == 0 {
		t.Errorf("no free slot of %s after the change", s.Name)
	}
	if len(booked) > 0 {
		t.Errorf("booked slots gone after the change: %v", booked)
	}
	// Audited, saying what changed.
	evs, err := e.Store.AuditEvents(ctx, sqlstore.AuditFilter{Action: "ui.config.book", OrgODS: cfgOrg})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range evs {
		if ev.Actor == "cfg.pm.a99998" && strings.Contains(ev.Detail, s.Name) && strings.Contains(ev.Detail, "bookable no→yes") &&
			strings.Contains(ev.Detail, "ods_codes none→A99997") && strings.Contains(ev.Detail, "embargo 0→30m") {
			found = true
		}
	}
	if !found {
		t.Errorf("no ui.config.book audit event for the change: %+v", evs)
	}

	// NHS 111 slots: reserve the second slot of the session for NHS 111;
	// the stored rule and that slot follow.
	at := s.Start + rota.ClockTime(s.SlotMinutes)
	b.get(edit)
	_, version, _ = e.Store.Book(ctx, cfgOrg)
	with111 := good()
	with111.Set("version", strconv.FormatInt(version, 10))
	with111.Set("slots_111", at.String())
	if code, page = b.post(edit, with111); code != 200 || !strings.Contains(cfgRow(t, page, s.Name), "NHS 111: 1 slot a day reserved ("+at.String()+")") {
		t.Fatalf("reserve %s for 111 = %d\n%s", at, code, text(page))
	}
	if n := cfgCount111(t, e, s, at, now.Add(time.Hour), to); n == 0 {
		t.Errorf("no free slot at %s is reserved for NHS 111", at)
	}
	// And release it again (the duty reports count 111 slots): the slot
	// is back to the template's own bookability.
	b.get(edit)
	_, version, _ = e.Store.Book(ctx, cfgOrg)
	with111.Set("version", strconv.FormatInt(version, 10))
	with111.Set("slots_111", "")
	if code, page = b.post(edit, with111); code != 200 || strings.Contains(cfgRow(t, page, s.Name), "NHS 111") {
		t.Fatalf("release the 111 slot = %d\n%s", code, text(page))
	}
	if n := cfgCount111(t, e, s, at, now.Add(time.Hour), to); n != 0 {
		t.Errorf("%d slots at %s still reserved for NHS 111 after releasing them", n, at)
	}
	if book, _, _ := e.Store.Book(ctx, cfgOrg); len(book.Sessions[slices.IndexFunc(book.Sessions, func(x rota.Session) bool { return x.Name == s.Name })].Slots) != 0 {
		t.Errorf("the released 111 slot left a slot rule")
	}
}

// cfgCount111 counts the free slots of a template at a time of day that
// are bookable by urgent care only; it fails the test for a free slot at
// that time open to anyone else.
func cfgCount111(t *testing.T, e *env, s rota.Session, at rota.ClockTime, from, to time.Time) int {
	t.Helper()
	n := 0
	for _, sl := range cfgSessionSlots(t, e, s, from, to) {
		local := sl.Start.In(pcnhub.London)
		if rota.ClockTime(local.Hour()*60+local.Minute()) != at || sl.Status != schedule.SlotFree {
			continue
		}
		if sl.Bookable && slices.Equal(sl.OrgTypes, []pcnhub.OrgType{pcnhub.OrgUrgentCare}) && len(sl.ODSCodes) == 0 {
			n++
		} else if !sl.Bookable || !slices.Equal(sl.OrgTypes, []pcnhub.OrgType{pcnhub.OrgGPPractice}) {
			t.Errorf("slot %d at %s: bookable %v types %v codes %v", sl.ID, local, sl.Bookable, sl.OrgTypes, sl.ODSCodes)
		}
	}
	return n
}

func testConfigNewTemplate(t *testing.T, e *env, b *browser) {
	s := cfgChosen(t, e) // another plain template: its practitioner and location
	code, page := b.get("/config/templates/new")
	if code != 200 || !strings.Contains(page, `name="days"`) {
		t.Fatalf("GET /config/templates/new = %d\n%s", code, text(page))
	}
	_, version, _ := e.Store.Book(ctx, cfgOrg)
	good := func() url.Values {
		return url.Values{"version": {strconv.FormatInt(version, 10)}, "name": {"cfg-sunday-early"}, "days": {"Sun"},
			"start": {"07:00"}, "end": {"08:00"}, "slot_minutes": {"15"}, "practitioner": {s.Practitioner}, "location": {s.Location},
			"session_name": {"Sunday clinic"}, "slot_type": {"Sunday review"}, "channel": {"Telephone"},
			"gpad_category": {"Planned Clinics"}, "gpad_setting": {"General Practice"}, "bookable": {"no"},
			"booking_window": {"0"}, "embargo_minutes": {"0"}}
	}
	bad := url.Values{"version": {strconv.FormatInt(version, 10)}, "name": {s.Name}, "start": {"25:00"}, "end": {""},
		"slot_minutes": {"ten"}, "practitioner": {"NOPE"}, "location": {""}, "session_name": {""}, "slot_type": {""},
		"channel": {"Pigeon"}, "bookable": {"no"}}
	code, page = b.post("/config/templates/new", bad)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad template = %d, want 422\n%s", code, text(page))
	}
	cfgWants(t, "bad template", page, "A template named “"+s.Name+"” already exists", "Choose the days of the week the session runs",
		"Enter the start time as a real time of day", "Enter the time the session ends", "Enter the slot length as a whole number of minutes",
		"Choose one of the organisation's practitioners", "Choose where the session runs", "Enter the slot type", "Enter the session name",
		"Choose how the appointments are delivered")
	cfgFieldError(t, page, "name", "days", "start", "end", "slot_minutes", "practitioner", "location", "slot_type", "session_name", "channel")

	bad = good()
	bad.Set("start", "09:00")
	bad.Set("end", "08:00")
	code, page = b.post("/config/templates/new", bad)
	cfgWants(t, "end before start", page, "The end time must be after the start time")
	cfgFieldError(t, page, "end")
	bad = good()
	bad.Set("end", "08:05")
	code, page = b.post("/config/templates/new", bad)
	cfgWants(t, "slot length", page, "15-minute slots do not fit the 07:00 to 08:05 session (65 minutes) exactly")
	cfgFieldError(t, page, "slot_minutes")
	// The practitioner cannot be in two sessions at once: the book's own
	// validation, shown next to the start time.
	bad = good()
	bad["days"] = []string{s.Days[0].String()}
	bad.Set("start", s.Start.String())
	bad.Set("end", (s.Start + rota.ClockTime(s.SlotMinutes)).String())
	bad.Set("slot_minutes", strconv.Itoa(s.SlotMinutes))
	code, page = b.post("/config/templates/new", bad)
	cfgWants(t, "overlap", page, `Overlaps session "`+s.Name+`"`)
	cfgFieldError(t, page, "start")
	if code != http.StatusUnprocessableEntity {
		t.Errorf("overlapping template = %d, want 422", code)
	}
	if _, v, _ := e.Store.Book(ctx, cfgOrg); v != version {
		t.Fatalf("a refused template changed the book")
	}

	code, page = b.post("/config/templates/new", good())
	if code != 200 {
		t.Fatalf("add template = %d\n%s", code, text(page))
	}
	cfgWants(t, "template added", page, "Template cfg-sunday-early added", "Booked appointments are kept")
	if row := cfgRow(t, page, "cfg-sunday-early"); !strings.Contains(row, "Sun") || !strings.Contains(row, "07:00 to 08:00") ||
		!strings.Contains(row, "4 × 15 minutes") || !strings.Contains(row, "Sunday review") {
		t.Errorf("row of the new template: %s", row)
	}
	book, _, err := e.Store.Book(ctx, cfgOrg)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(book.Sessions, func(x rota.Session) bool { return x.Name == "cfg-sunday-early" })
	if i < 0 {
		t.Fatalf("the new template is not in the stored book")
	}
	n := book.Sessions[i]
	if n.Start != 7*60 || n.End != 8*60 || n.SlotMinutes != 15 || !slices.Equal(n.Days, []rota.Weekday{0}) || n.Bookable ||
		n.Practitioner != s.Practitioner || n.Channel != schedule.Telephone || n.GPADCategory != "Planned Clinics" {
		t.Errorf("stored new template: %+v", n)
	}
	// Its slots exist: four on the Sunday after next.
	sunday := pcnhub.DateOf(time.Now().In(pcnhub.London)).AddDays(8)
	for sunday.Time(pcnhub.London).Weekday() != time.Sunday {
		sunday = sunday.AddDays(1)
	}
	slots := cfgSessionSlots(t, e, n, sunday.Time(pcnhub.London), sunday.AddDays(1).Time(pcnhub.London))
	var starts []string
	for _, sl := range slots {
		starts = append(starts, sl.Start.In(pcnhub.London).Format("15:04"))
		if sl.Bookable || sl.ServiceType != "Sunday review" || sl.DeliveryChannel != schedule.Telephone || sl.Status != schedule.SlotFree {
			t.Errorf("new slot %+v", sl)
		}
	}
	if !slices.Equal(starts, []string{"07:00", "07:15", "07:30", "07:45"}) {
		t.Errorf("slots of the new template on %s: %v", sunday, starts)
	}
	// Adding it again is refused by name.
	_, version, _ = e.Store.Book(ctx, cfgOrg)
	again := good()
	again.Set("version", strconv.FormatInt(version, 10))
	if code, page = b.post("/config/templates/new", again); code != http.StatusUnprocessableEntity {
		t.Errorf("adding the template twice = %d", code)
	}
	cfgWants(t, "template twice", page, "A template named “cfg-sunday-early” already exists")
}

func testConfigAgreements(t *testing.T, e *env, b *browser) {
	code, page := b.get("/config/agreements")
	if code != 200 || !strings.Contains(page, `id="agreements"`) {
		t.Fatalf("/config/agreements = %d\n%s", code, text(page))
	}
	cfgWants(t, "agreements page", page, "Riverside PCN data sharing agreement 2026", "Old Forge Surgery (A99998)")
	today := pcnhub.DateOf(time.Now().In(pcnhub.London))
	count := func(provider pcnhub.ODSCode) int {
		as, err := e.Store.Agreements(ctx, provider)
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	n0, riverside := count(cfgOrg), count("A99991")

	// Validation messages.
	code, page = b.post("/config/agreements", url.Values{"consumer": {"ZZ12345"}, "capability": {"gossip"}, "from": {"2026-02-30"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad agreement = %d\n%s", code, text(page))
	}
	cfgWants(t, "bad agreement", page, "No organisation has ODS code ZZ12345", "Choose what is shared", "must be a real date")
	cfgFieldError(t, page, "consumer", "capability", "from")
	code, page = b.post("/config/agreements", url.Values{"consumer": {string(cfgOrg)}, "capability": {"tasks"},
		"from": {today.String()}, "until": {today.AddDays(-1).String()}})
	cfgWants(t, "bad agreement 2", page, "An organisation needs no agreement with itself", "The last day must be on or after")
	cfgFieldError(t, page, "consumer", "until")
	// A manager grants only their own organisation's sharing.
	code, page = b.post("/config/agreements", url.Values{"provider": {"A99991"}, "consumer": {"B99999"}, "capability": {"tasks"},
		"from": {today.String()}})
	if code != http.StatusForbidden || !strings.Contains(text(page), "Only A99991 can grant its own sharing") {
		t.Errorf("granting A99991's sharing = %d\n%s", code, text(page))
	}
	// Without this session's CSRF token nothing is stored.
	if code, _ := b.post("/config/agreements", url.Values{"csrf": {"forged"}, "consumer": {"B99999"}, "capability": {"tasks"},
		"from": {today.String()}}); code != http.StatusForbidden {
		t.Errorf("agreement with a forged CSRF token = %d, want 403", code)
	}
	if count(cfgOrg) != n0 || count("A99991") != riverside {
		t.Fatalf("refused forms stored agreements")
	}

	// Add one, started ten days ago; then end it yesterday.
	from := today.AddDays(-10)
	b.get("/config/agreements")
	code, page = b.post("/config/agreements", url.Values{"provider": {string(cfgOrg)}, "consumer": {"y99911"}, "capability": {"tasks"},
		"from": {from.String()}, "reference": {"CFG-TEST-1"}})
	if code != 200 {
		t.Fatalf("add agreement = %d\n%s", code, text(page))
	}
	cfgWants(t, "agreement added", page, "A99998 shares tasks with Y99911")
	as, _ := e.Store.Agreements(ctx, cfgOrg)
	var a *spine.Agreement
	for i := range as {
		if as[i].Reference == "CFG-TEST-1" {
			a = &as[i]
		}
	}
	if a == nil || a.Provider != cfgOrg || a.Consumer != "Y99911" || a.Capability != spine.Tasks || a.From != from ||
		!a.Until.IsZero() || a.CreatedBy != "cfg.pm.a99998" {
		t.Fatalf("stored agreement: %+v", a)
	}
	if row := cfgAgreementRow(t, page, a.ID); !strings.Contains(row, "In force") || !strings.Contains(row, "CFG-TEST-1") {
		t.Errorf("agreement row: %s", row)
	}
	// The same sharing again, overlapping, is refused.
	code, page = b.post("/config/agreements", url.Values{"provider": {string(cfgOrg)}, "consumer": {"Y99911"}, "capability": {"tasks"},
		"from": {today.String()}})
	cfgWants(t, "duplicate agreement", page, fmt.Sprintf("A99998 already shares tasks with Y99911 under agreement %d", a.ID))

	endPath := fmt.Sprintf("/config/agreements/%d/end", a.ID)
	field := fmt.Sprintf("until-%d", a.ID)
	code, page = b.post(endPath, url.Values{field: {from.AddDays(-1).String()}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("end before start = %d\n%s", code, text(page))
	}
	cfgWants(t, "end before start", page, "The last day cannot be before the agreement came into force")
	cfgFieldError(t, page, field)
	code, page = b.post(endPath, url.Values{field: {today.AddDays(-1).String()}})
	if code != 200 {
		t.Fatalf("end agreement = %d\n%s", code, text(page))
	}
	if row := cfgAgreementRow(t, page, a.ID); !strings.Contains(row, "Ended") {
		t.Errorf("ended agreement row: %s", row)
	}
	// An ended agreement is not revived by ending it later.
	code, page = b.post(endPath, url.Values{field: {today.AddDays(30).String()}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("ending an ended agreement again = %d, want 422", code)
	}
	cfgWants(t, "ended twice", page, fmt.Sprintf("Agreement %d already ended", a.ID))
	as, _ = e.Store.Agreements(ctx, cfgOrg)
	for _, x := range as {
		if x.ID == a.ID && x.Until != today.AddDays(-1) {
			t.Errorf("stored agreement after ending: %+v", x)
		}
	}
	evs, _ := e.Store.AuditEvents(ctx, sqlstore.AuditFilter{Action: "agreement.end", OrgODS: cfgOrg})
	if len(evs) == 0 || evs[len(evs)-1].Actor != "cfg.pm.a99998" {
		t.Errorf("ending is not audited with the manager as actor: %+v", evs)
	}

	// An agreement in which A99998 is only the consumer cannot be ended
	// by its manager.
	var theirs *spine.Agreement
	for i := range as {
		if as[i].Provider == "A99991" && as[i].Consumer == cfgOrg {
			theirs = &as[i]
		}
	}
	if theirs == nil {
		t.Fatalf("no demo agreement from A99991 to %s", cfgOrg)
	}
	code, page = b.post(fmt.Sprintf("/config/agreements/%d/end", theirs.ID), url.Values{fmt.Sprintf("until-%d", theirs.ID): {today.String()}})
	if code != http.StatusForbidden {
		t.Errorf("ending A99991's agreement = %d, want 403\n%s", code, text(page))
	}
	as, _ = e.Store.Agreements(ctx, "A99991")
	for _, x := range as {
		if x.ID == theirs.ID && !x.Until.IsZero() {
			t.Errorf("A99991's agreement was ended by A99998's manager: %+v", x)
		}
	}
}

func cfgAgreementRow(t *testing.T, page string, id int64) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`(?s)<tr class="nhsuk-table__row[^"]*" id="agreement-%d">.*?</tr>`, id)).FindString(page)
	if m == "" {
		t.Fatalf("no row for agreement %d", id)
	}
	return text(m)
}

func testConfigStaff(t *testing.T, e *env, b *browser, pm *staff.User) {
	code, page := b.get("/config/staff")
	if code != 200 || !strings.Contains(page, `id="staff-users"`) || !strings.Contains(page, `id="user-cfg.pm.a99998"`) {
		t.Fatalf("/config/staff = %d\n%s", code, text(page))
	}
	if strings.Contains(page, `id="user-rosa.reception"`) {
		t.Errorf("a practice manager sees another practice's staff")
	}
	if strings.Contains(page, `<option value="administrator"`) {
		t.Errorf("a practice manager is offered the administrator role")
	}

	// Validation messages; the password is never sent back.
	code, page = b.post("/config/staff", url.Values{"username": {"ab"}, "display_name": {""}, "role": {"receptionist"},
		"password": {"short-pw"}, "sds_user_id": {"12 34"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad user = %d\n%s", code, text(page))
	}
	cfgWants(t, "bad user", page, "A user name has 3 to 64 characters", "Enter the person's name",
		"A password has at least 12 characters", "An SDS user id has up to 20 letters and digits")
	cfgFieldError(t, page, "username", "display_name", "password", "sds_user_id")
	if strings.Contains(page, "short-pw") {
		t.Errorf("the password is sent back in the page")
	}
	code, page = b.post("/config/staff", url.Values{"username": {"cfg.rec.a99998"}, "display_name": {"Rita Forge"},
		"role": {"receptionist"}, "password": {"cfg.rec.a99998-secret"}})
	cfgWants(t, "password with user name", page, "A password may not contain the user name")
	// A manager cannot create an administrator.
	code, page = b.post("/config/staff", url.Values{"username": {"cfg.admin.a99998"}, "display_name": {"Adam Forge"},
		"role": {"administrator"}, "password": {cfgPassword}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("manager creating an administrator = %d, want 422", code)
	}
	cfgWants(t, "administrator", page, "Only an administrator can give the administrator role")
	cfgFieldError(t, page, "role")
	if _, err := e.Store.StaffUserByName(ctx, "cfg.admin.a99998"); err == nil {
		t.Fatalf("a practice manager created an administrator")
	}

	// Add a receptionist, who can then sign in.
	code, page = b.post("/config/staff", url.Values{"username": {"Cfg.Rec.A99998"}, "display_name": {"Rita Forge"},
		"role": {"receptionist"}, "password": {cfgPassword}, "sds_user_id": {"555000111222"}})
	if code != 200 {
		t.Fatalf("add user = %d\n%s", code, text(page))
	}
	cfgWants(t, "user added", page, "Rita Forge added as receptionist")
	rec, err := e.Store.StaffUserByName(ctx, "cfg.rec.a99998")
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := rec.Membership(cfgOrg); !ok || m.Role != staff.Receptionist || len(rec.Memberships) != 1 ||
		rec.Family != "Forge" || rec.Given != "Rita" || rec.SDSUserID != "555000111222" || !staff.CheckPassword(rec.PasswordHash, cfgPassword) {
		t.Fatalf("stored user: %+v", rec)
	}
	rb := cfgSignIn(t, e, "cfg.rec.a99998", cfgPassword)
	if code, _ := rb.get("/config"); code != http.StatusForbidden {
		t.Errorf("the new receptionist's /config = %d, want 403", code)
	}
	id := strconv.FormatInt(rec.ID, 10)

	// Change their role; not to administrator; not one's own.
	if code, page = b.post("/config/staff/"+id+"/role", url.Values{"role": {"clinician"}}); code != 200 {
		t.Fatalf("change role = %d\n%s", code, text(page))
	}
	cfgWants(t, "role changed", page, "Rita Forge is now clinician at Old Forge Surgery")
	if code, _ = b.post("/config/staff/"+id+"/role", url.Values{"role": {"administrator"}}); code != http.StatusForbidden {
		t.Errorf("make an administrator = %d, want 403", code)
	}
	if code, _ = b.post("/config/staff/"+strconv.FormatInt(pm.ID, 10)+"/role", url.Values{"role": {"receptionist"}}); code != http.StatusForbidden {
		t.Errorf("change one's own role = %d, want 403", code)
	}
	rec, _ = e.Store.StaffUserByName(ctx, "cfg.rec.a99998")
	if m, _ := rec.Membership(cfgOrg); m.Role != staff.Clinician {
		t.Errorf("role after the changes: %s, want clinician", m.Role)
	}
	pmNow, _ := e.Store.StaffUserByID(ctx, pm.ID)
	if m, _ := pmNow.Membership(cfgOrg); m.Role != staff.PracticeManager {
		t.Errorf("the manager's own role changed to %s", m.Role)
	}

	// Disable them: they can no longer sign in, and their session ends.
	if code, page = b.post("/config/staff/"+id+"/disable", nil); code != 200 {
		t.Fatalf("disable = %d\n%s", code, text(page))
	}
	if rec, _ = e.Store.StaffUserByName(ctx, "cfg.rec.a99998"); !rec.Disabled {
		t.Errorf("the user is not disabled in the store")
	}
	if _, page := rb.get("/"); !strings.Contains(page, `action="/sign-in"`) {
		t.Errorf("a disabled user's session goes on")
	}
	code, page = e.browser(t).post("/sign-in", url.Values{"username": {"cfg.rec.a99998"}, "password": {cfgPassword}})
	if code != http.StatusUnprocessableEntity || strings.Contains(page, `id="signed-in-as"`) || !strings.Contains(text(page), "disabled") {
		t.Errorf("a disabled user signing in = %d\n%s", code, text(page))
	}
	// Nobody disables themselves.
	if code, _ = b.post("/config/staff/"+strconv.FormatInt(pm.ID, 10)+"/disable", nil); code != http.StatusForbidden {
		t.Errorf("disable oneself = %d, want 403", code)
	}
	if me, _ := e.Store.StaffUserByID(ctx, pm.ID); me.Disabled {
		t.Fatalf("the manager disabled themselves")
	}
	// Enable them again, and give them a new password.
	if code, _ = b.post("/config/staff/"+id+"/enable", nil); code != 200 {
		t.Fatalf("enable = %d", code)
	}
	pwPath := "/config/staff/" + id + "/password"
	if code, page = b.get(pwPath); code != 200 || !strings.Contains(page, `name="confirm"`) {
		t.Fatalf("GET %s = %d", pwPath, code)
	}
	code, page = b.post(pwPath, url.Values{"password": {"forge-new-password-1"}, "confirm": {"forge-new-password-2"}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("different passwords = %d", code)
	}
	cfgWants(t, "different passwords", page, "The two passwords are not the same")
	cfgFieldError(t, page, "confirm")
	if code, page = b.post(pwPath, url.Values{"password": {"forge-new-password-1"}, "confirm": {"forge-new-password-1"}}); code != 200 {
		t.Fatalf("reset password = %d\n%s", code, text(page))
	}
	cfgSignIn(t, e, "cfg.rec.a99998", "forge-new-password-1")

	// Someone who also works elsewhere is an administrator's to disable.
	both := cfgUser(t, e, "cfg.both.a99998", "Bo Both", staff.Membership{OrgODS: cfgOrg, Role: staff.Clinician},
		staff.Membership{OrgODS: "A99997", Role: staff.Clinician})
	if code, _ = b.post("/config/staff/"+strconv.FormatInt(both.ID, 10)+"/disable", nil); code != http.StatusForbidden {
		t.Errorf("disable a user of two practices = %d, want 403", code)
	}
	if u, _ := e.Store.StaffUserByID(ctx, both.ID); u.Disabled {
		t.Errorf("a practice manager disabled a user of another practice")
	}
	// But their role here is the manager's to change.
	if code, _ = b.post("/config/staff/"+strconv.FormatInt(both.ID, 10)+"/role", url.Values{"role": {"receptionist"}}); code != 200 {
		t.Errorf("change the role here of a user of two practices = %d", code)
	}
	if u, _ := e.Store.StaffUserByID(ctx, both.ID); u.Memberships[0].Role != staff.Clinician || u.Memberships[1].Role != staff.Receptionist {
		t.Errorf("memberships after the change: %+v", u.Memberships)
	}
	// Giving an existing user a role here.
	if code, page = b.post("/config/staff/grant", url.Values{"grant_username": {"hub.reception"}, "grant_role": {"administrator"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("grant administrator = %d", code)
	}
	cfgWants(t, "grant administrator", page, "Only an administrator can give the administrator role")
	if code, page = b.post("/config/staff/grant", url.Values{"grant_username": {"nobody.here"}, "grant_role": {"receptionist"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("grant to nobody = %d", code)
	}
	cfgWants(t, "grant to nobody", page, "There is no user named nobody.here")

	// Every change is audited, never with a password.
	evs, err := e.Store.AuditEvents(ctx, sqlstore.AuditFilter{Action: "ui.config.staff", OrgODS: cfgOrg})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, ev := range evs {
		details = append(details, ev.Outcome+" "+ev.Detail)
		for _, pw := range []string{cfgPassword, "forge-new-password-1", "short-pw"} {
			if strings.Contains(ev.Detail, pw) {
				t.Errorf("audit detail holds a password: %s", ev.Detail)
			}
		}
	}
	all := strings.Join(details, "\n")
	for _, want := range []string{"ok added user cfg.rec.a99998", "ok role of cfg.rec.a99998 at A99998 receptionist→clinician",
		"ok disabled user cfg.rec.a99998", "ok enabled user cfg.rec.a99998", "ok reset the password of cfg.rec.a99998",
		"forbidden refused: add user \"cfg.admin.a99998\" as administrator"} {
		if !strings.Contains(all, want) {
			t.Errorf("no audit event %q in:\n%s", want, all)
		}
	}
}
