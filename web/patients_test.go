package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// ---- Helpers (pat…: the patient pages; search…: booking across practices)

// patToday is the date in England.
func patToday() pcnhub.Date { return pcnhub.DateOf(time.Now().In(pcnhub.London)) }

// patPerson returns the skip-th person of the demo register (from 0)
// that ok accepts, read back from the store.
func patPerson(t *testing.T, e *env, skip int, ok func(*pcnhub.Person) bool) *pcnhub.Person {
	t.Helper()
	for p := range e.Demo.People {
		if p.DeceasedDate.IsZero() && p.SupersededBy == "" && !p.Invalidated && ok(&p) {
			if skip--; skip < 0 {
				got, err := e.Store.PersonByNHSNumber(ctx, p.NHSNumber)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
		}
	}
	t.Fatal("no such person in the demo register")
	return nil
}

// patSeeded is a seeded appointment of the demo as the store holds it.
type patSeeded struct {
	Person *pcnhub.Person
	ODS    pcnhub.ODSCode
	Appt   schedule.Appointment
}

// patSeededAppointment returns the skip-th appointment booked at the
// practice when the demo was loaded that starts at least two days ahead,
// of a patient registered there (not sensitive), at a practice other than
// those excluded.
func patSeededAppointment(t *testing.T, e *env, skip int, exclude ...pcnhub.ODSCode) patSeeded {
	t.Helper()
	after := time.Now().Add(48 * time.Hour)
	for a := range e.Demo.Appointments(patToday()) {
		if a.Start.Before(after) || slices.Contains(exclude, a.OrgODS) {
			continue
		}
		p, err := e.Store.PersonByNHSNumber(ctx, a.Patient)
		if err != nil || p.Sensitive || p.GPPractice != a.OrgODS || !p.DeceasedDate.IsZero() {
			continue
		}
		if skip--; skip >= 0 {
			continue
		}
		rec := patRecordAt(t, e, a.Patient, a.OrgODS)
		appts, err := e.Store.AppointmentsForPatient(ctx, rec.ID, a.Start.Add(-time.Minute), a.Start.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range appts {
			if got.Start.Equal(a.Start) && got.Status == schedule.Booked {
				return patSeeded{p, a.OrgODS, got}
			}
		}
		skip = 0 // not stored as booked (a load skipped it): the next one
	}
	t.Fatal("no seeded appointment found")
	return patSeeded{}
}

// patRecordAt is the patient's record at a practice (nil when it holds none).
func patRecordAt(t *testing.T, e *env, nhs pcnhub.NHSNumber, ods pcnhub.ODSCode) *pcnhub.Patient {
	t.Helper()
	org, err := e.Store.OrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := e.Store.PatientsByNHSNumber(ctx, nhs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.OrganisationID == org.ID {
			return r
		}
	}
	return nil
}

// patAppointment reads an appointment back from the store.
func patAppointment(t *testing.T, e *env, id int64) *schedule.Appointment {
	t.Helper()
	a, err := e.Store.AppointmentByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// patAudits are the audit events of an action (and patient, when given).
func patAudits(t *testing.T, e *env, action string, nhs pcnhub.NHSNumber) []pcnhub.AuditEvent {
	t.Helper()
	evs, err := e.Store.AuditEvents(ctx, sqlstore.AuditFilter{Action: action, NHSNumber: nhs, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// patUnusedNHSNumber is a valid NHS number the demo register does not hold.
func patUnusedNHSNumber(t *testing.T, e *env) pcnhub.NHSNumber {
	t.Helper()
	for prefix := uint32(999_950_000); ; prefix++ {
		if n, ok := pcnhub.NHSNumberFromPrefix(prefix); ok {
			if _, err := e.Store.PersonByNHSNumber(ctx, n); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
				continue
			}
			return n
		}
	}
}

func patDOBQuery(family string, d pcnhub.Date) string {
	return "/patients?" + url.Values{"family": {family}, "dob-day": {strconv.Itoa(d.Day)},
		"dob-month": {strconv.Itoa(int(d.Month))}, "dob-year": {strconv.Itoa(d.Year)}}.Encode()
}

func patName(p *pcnhub.Person) string {
	return strings.Join(slices.DeleteFunc(append(append([]string{p.Name.Prefix}, p.Name.Given...), p.Name.Family),
		func(s string) bool { return s == "" }), " ")
}

// searchRow is one slot row of the results table.
type searchRow struct {
	Practice pcnhub.ODSCode
	Start    time.Time
	Book     string // the Book link
}

var (
	searchRowRE  = regexp.MustCompile(`(?s)<tr class="[^"]*\bslot-result\b[^"]*" data-practice="([^"]+)" data-start="([^"]+)">(.*?)</tr>`)
	searchBookRE = regexp.MustCompile(`<a class="book-slot[^"]*"[^>]*href="([^"]+)"`)
	searchHidden = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

func searchRows(t *testing.T, page string) []searchRow {
	t.Helper()
	var out []searchRow
	for _, m := range searchRowRE.FindAllStringSubmatch(page, -1) {
		start, err := time.Parse(time.RFC3339, m[2])
		if err != nil {
			t.Fatalf("data-start %q: %v", m[2], err)
		}
		r := searchRow{Practice: pcnhub.ODSCode(m[1]), Start: start}
		if b := searchBookRE.FindStringSubmatch(m[3]); b != nil {
			r.Book = html.UnescapeString(b[1])
		}
		out = append(out, r)
	}
	return out
}

// searchFor is a search's URL.
func searchFor(nhs pcnhub.NHSNumber, from, to pcnhub.Date, group string, practices ...pcnhub.ODSCode) string {
	v := url.Values{"from": {from.String()}, "to": {to.String()}, "group": {group}}
	if nhs != "" {
		v.Set("nhs", string(nhs))
	}
	for _, p := range practices {
		v.Add("practice", string(p))
	}
	return "/search?" + v.Encode()
}

// searchBookingForm reads the confirmation form's hidden fields.
func searchBookingForm(page string) url.Values {
	v := url.Values{}
	for _, m := range searchHidden.FindAllStringSubmatch(page, -1) {
		if m[1] != "csrf" {
			v.Add(m[1], html.UnescapeString(m[2]))
		}
	}
	return v
}

// searchSlotID is the slot id of a Book link.
func searchSlotID(t *testing.T, book string) int64 {
	t.Helper()
	u, err := url.Parse(book)
	if err != nil {
		t.Fatal(err)
	}
	id, err := strconv.ParseInt(u.Query().Get("slot-id"), 10, 64)
	if err != nil {
		t.Fatalf("book link %s: %v", book, err)
	}
	return id
}

const searchEAGroup = "Enhanced access booking"

// ---- Find a patient and the patient page

func testPatients(t *testing.T, e *env) {
	b := e.signIn(t, "rosa.reception")
	code, page := b.get("/patients")
	if code != 200 || !strings.Contains(page, `id="nhs"`) || !strings.Contains(page, `id="find-patient"`) ||
		!strings.Contains(page, `id="dob-day"`) || !strings.Contains(page, `id="dob-month"`) || !strings.Contains(page, `id="dob-year"`) {
		t.Fatalf("/patients = %d, want the search forms\n%s", code, text(page))
	}

	// By NHS number, typed with spaces: the patient, formatted, with a
	// link to their page; the search is audited with the number.
	p := patPerson(t, e, 4321, func(p *pcnhub.Person) bool {
		return !p.Sensitive && p.GPPractice == "A99993" && len(p.Name.Given) > 0 && p.Address.Postcode != ""
	})
	code, page = b.get("/patients?nhs=" + url.QueryEscape(p.NHSNumber.Formatted()))
	body := text(page)
	for _, want := range []string{"1 patient found", patName(p), p.BirthDate.Time(time.UTC).Format("2 Jan 2006"),
		p.NHSNumber.Formatted(), p.Address.Postcode, "The Willows Health Centre (A99993)", patUpperFirst(string(p.Gender))} {
		if !strings.Contains(body, want) {
			t.Errorf("find by NHS number: %q missing\n%s", want, body)
		}
	}
	if code != 200 || !strings.Contains(page, `class="patient-result" href="/patients/`+string(p.NHSNumber)+`"`) {
		t.Fatalf("find by NHS number = %d, want a patient-result link to /patients/%s", code, p.NHSNumber)
	}
	evs := patAudits(t, e, "ui.patient.search", p.NHSNumber)
	if len(evs) == 0 || evs[len(evs)-1].Actor != "rosa.reception" || evs[len(evs)-1].Outcome != "ok" || evs[len(evs)-1].RequesterODS != "A99991" {
		t.Fatalf("no ui.patient.search audit event for the NHS number search by rosa: %+v", evs)
	}

	// By family name (any case) and date of birth; the audit has neither.
	code, page = b.get(patDOBQuery(strings.ToLower(p.Name.Family), p.BirthDate))
	if code != 200 || !strings.Contains(page, `class="patient-result" href="/patients/`+string(p.NHSNumber)+`"`) {
		t.Fatalf("find by name and date of birth = %d, want %s among the results\n%s", code, p.NHSNumber, text(page))
	}
	byName := false
	for _, ev := range patAudits(t, e, "ui.patient.search", "") {
		if strings.Contains(strings.ToLower(ev.Detail), strings.ToLower(p.Name.Family)) || strings.Contains(ev.Detail, p.BirthDate.String()) {
			t.Fatalf("an audit event holds the name or date of birth searched: %+v", ev)
		}
		if ev.Actor == "rosa.reception" && ev.NHSNumber == "" && strings.HasPrefix(ev.Detail, "by family name and date of birth: ") &&
			!strings.HasSuffix(ev.Detail, ": 0 found") {
			byName = true
		}
	}
	if !byName {
		t.Fatal("no audit event for the search by name and date of birth")
	}

	// Every validation message, next to its field and in the summary.
	wrongCheck := p.NHSNumber[:9] + pcnhub.NHSNumber(strconv.Itoa((int(p.NHSNumber[9]-'0')+1)%10))
	future := patToday().AddDays(400)
	for _, tc := range []struct{ path, want, anchor string }{
		{"/patients?nhs=", "Enter a 10-digit NHS number", "#nhs"},
		{"/patients?nhs=12345", "Enter a 10-digit NHS number", "#nhs"},
		{"/patients?nhs=999+000+00x8", "Enter a 10-digit NHS number", "#nhs"},
		{"/patients?nhs=" + string(wrongCheck), "This NHS number is not valid: check it and try again", "#nhs"},
		{"/patients?family=&dob-day=&dob-month=&dob-year=", "Enter the patient's family name", "#family"},
		{"/patients?family=&dob-day=&dob-month=&dob-year=", "Enter the patient's date of birth", "#dob-day"},
		{"/patients?family=Smith&dob-day=&dob-month=3&dob-year=1984", "Date of birth must include a day", "#dob-day"},
		{"/patients?family=Smith&dob-day=15&dob-month=&dob-year=1984", "Date of birth must include a month", "#dob-month"},
		{"/patients?family=Smith&dob-day=15&dob-month=3&dob-year=", "Date of birth must include a year", "#dob-year"},
		{"/patients?family=Smith&dob-day=30&dob-month=2&dob-year=1984", "Date of birth must be a real date", "#dob-day"},
		{"/patients?family=Smith&dob-day=15&dob-month=13&dob-year=1984", "Date of birth must be a real date", "#dob-month"},
		{"/patients?family=Smith&dob-day=15&dob-month=3&dob-year=84", "Year must include 4 numbers", "#dob-year"},
		{patDOBQuery("Smith", future), "Date of birth must be today or in the past", "#dob-day"},
	} {
		code, page := b.get(tc.path)
		if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), tc.want) || !strings.Contains(page, `href="`+tc.anchor+`"`) {
			t.Errorf("%s = %d, want 422 with %q linked to %s\n%s", tc.path, code, tc.want, tc.anchor, text(page))
		}
	}

	// Not found: said plainly, with what to try; audited as not found.
	unused := patUnusedNHSNumber(t, e)
	code, page = b.get("/patients?nhs=" + string(unused))
	if body := text(page); code != 200 || !strings.Contains(body, "No patient found") || !strings.Contains(body, "search by family name and date of birth instead") ||
		strings.Contains(page, `class="patient-result"`) {
		t.Fatalf("unknown NHS number = %d\n%s", code, body)
	}
	if evs := patAudits(t, e, "ui.patient.search", unused); len(evs) != 1 || evs[0].Outcome != pcnhub.ENOTFOUND {
		t.Fatalf("the not-found search's audit = %+v", evs)
	}
	code, page = b.get(patDOBQuery("Zzyzxqwv", p.BirthDate))
	if body := text(page); code != 200 || !strings.Contains(body, "No patient found") || !strings.Contains(body, "Check the spelling") {
		t.Fatalf("unknown name = %d\n%s", code, body)
	}

	// A sensitive patient's address is never shown, in the results or on
	// their page.
	s := patPerson(t, e, 7, func(p *pcnhub.Person) bool { return p.Sensitive && p.GPPractice != "" && p.Address.Postcode != "" })
	for _, path := range []string{"/patients?nhs=" + string(s.NHSNumber), patDOBQuery(s.Name.Family, s.BirthDate), "/patients/" + string(s.NHSNumber)} {
		code, page := b.get(path)
		if code != 200 || !strings.Contains(page, string(s.NHSNumber)) || !strings.Contains(text(page), "Withheld") {
			t.Fatalf("%s (sensitive patient) = %d, want them shown with the address withheld\n%s", path, code, text(page))
		}
		if strings.Count(page, `class="patient-result"`) > 1 {
			continue // others found by name (a twin) may show their own postcode
		}
		for _, secret := range append([]string{s.Address.Postcode}, s.Address.Lines...) {
			if strings.Contains(page, secret) {
				t.Errorf("%s shows the sensitive patient's address (%q)", path, secret)
			}
		}
	}

	// The patient page: demographics, registered practice, appointments
	// at the group's practices; audited as a view.
	sa := patSeededAppointment(t, e, 250)
	nhs := sa.Person.NHSNumber
	practice, err := e.Store.OrganisationByODS(ctx, sa.ODS)
	if err != nil {
		t.Fatal(err)
	}
	code, page = b.get("/patients/" + string(nhs))
	body = text(page)
	row := fmt.Sprintf(`id="appointment-%s-%d"`, sa.ODS, sa.Appt.ID)
	for _, want := range []string{patName(sa.Person), nhs.Formatted(), practice.Name + " (" + string(sa.ODS) + ")",
		sa.Appt.Start.In(pcnhub.London).Format("Mon 2 Jan 2006"), sa.Appt.Start.In(pcnhub.London).Format("15:04"), "At the 9 practices"} {
		if !strings.Contains(body, want) {
			t.Errorf("patient page: %q missing\n%s", want, body)
		}
	}
	if code != 200 || !strings.Contains(page, row) || !strings.Contains(page, `id="book-across" href="/search?nhs=`+string(nhs)+`"`) {
		t.Fatalf("patient page = %d, want the appointment row %s and the book-across link\n%s", code, row, body)
	}
	if strings.Contains(page, "View GP record") {
		t.Error("a receptionist's patient page offers the GP record")
	}
	if evs := patAudits(t, e, "ui.patient.view", nhs); len(evs) == 0 || evs[len(evs)-1].Actor != "rosa.reception" {
		t.Fatalf("no ui.patient.view audit event: %+v", evs)
	}

	// Amend: validated, then changed at the practice.
	base := fmt.Sprintf("/patients/%s/appointments/%s/%d", nhs, sa.ODS, sa.Appt.ID)
	code, page = b.post(base+"/amend", url.Values{"description": {""}, "comment": {"x"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "Enter a description of the appointment") {
		t.Fatalf("amend without a description = %d\n%s", code, text(page))
	}
	code, page = b.post(base+"/amend", url.Values{"description": {strings.Repeat("d", 101)}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "The description must be 100 characters or fewer") {
		t.Fatalf("amend with a long description = %d\n%s", code, text(page))
	}
	code, page = b.post(base+"/amend", url.Values{"description": {"Review of blood results (web test)"}, "comment": {"Prefers a phone call first"}})
	if code != 200 || !strings.Contains(text(page), "changed") || !strings.Contains(text(page), "Review of blood results (web test)") {
		t.Fatalf("amend = %d\n%s", code, text(page))
	}
	if a := patAppointment(t, e, sa.Appt.ID); a.Description != "Review of blood results (web test)" || a.Comment != "Prefers a phone call first" || a.Status != schedule.Booked {
		t.Fatalf("after the amend the store holds %q / %q (%s)", a.Description, a.Comment, a.Status)
	}
	// Cancel without a reason is refused, and nothing changes.
	code, page = b.post(base+"/cancel", url.Values{"reason": {" "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "Enter the reason for cancelling") {
		t.Fatalf("cancel without a reason = %d\n%s", code, text(page))
	}
	if a := patAppointment(t, e, sa.Appt.ID); a.Status != schedule.Booked {
		t.Fatalf("a refused cancel changed the appointment to %s", a.Status)
	}

	// A clinician may open the GP record from the page.
	gp := e.signIn(t, "gp.riverside")
	if _, page := gp.get("/patients/" + string(nhs)); !strings.Contains(page, `href="/patients/`+string(nhs)+`/record"`) ||
		!strings.Contains(page, "View GP record") {
		t.Fatalf("the clinician's patient page lacks the GP record link\n%s", text(page))
	}
	// A bad or unknown number in the path is a clear error page.
	if code, page := b.get("/patients/1234567890"); code != http.StatusBadRequest {
		t.Errorf("/patients/1234567890 = %d\n%s", code, text(page))
	}
	if code, page := b.get("/patients/" + string(unused)); code != http.StatusNotFound || !strings.Contains(text(page), "not found") {
		t.Errorf("/patients/<unknown> = %d\n%s", code, text(page))
	}
}

// patUpperFirst is "Male" for "male".
func patUpperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ---- Book across practices

func testSearch(t *testing.T, e *env) {
	today := patToday()
	b := e.signIn(t, "rosa.reception")

	// The form: today for seven days, the user's group, its practices.
	code, page := b.get("/search")
	for _, want := range []string{`id="from" name="from" type="date" value="` + today.String() + `"`,
		`id="to" name="to" type="date" value="` + today.AddDays(6).String() + `"`,
		`name="practice" type="checkbox" value="A99992"`, `name="practice" type="checkbox" value="Y99990"`,
		`id="search-slots"`, `<option value="` + searchEAGroup + `" selected>`} {
		if !strings.Contains(page, want) {
			t.Errorf("/search: %s missing", want)
		}
	}
	if code != 200 || strings.Contains(page, `id="slot-results"`) {
		t.Fatalf("/search = %d; it must not search before the form is submitted\n%s", code, text(page))
	}

	// Validation.
	for _, tc := range []struct{ path, want string }{
		{"/search?from=&to=", "Enter the first day to search"},
		{"/search?from=2026-02-30&to=", "The from date must be a real date"},
		{"/search?from=" + today.AddDays(-1).String() + "&to=" + today.String(), "The from date must be today or later"},
		{"/search?from=" + today.AddDays(3).String() + "&to=" + today.AddDays(2).String(), "The to date must be the same as or after the from date"},
		{"/search?from=" + today.String() + "&to=" + today.AddDays(14).String(), "A search covers at most 14 days"},
		{"/search?from=" + today.String() + "&nhs=12345", "Enter a 10-digit NHS number"},
		{"/search?from=" + today.String() + "&group=No+such+group", "Choose an organisation group from the list"},
	} {
		code, page := b.get(tc.path)
		if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), tc.want) || strings.Contains(page, `id="slot-results"`) {
			t.Errorf("%s = %d, want 422 with %q and no results\n%s", tc.path, code, tc.want, text(page))
		}
	}

	// The whole group: slots of several practices, merged in start order.
	from := today.AddDays(7)
	code, page = b.get(searchFor("", from, from.AddDays(6), searchEAGroup))
	rows := searchRows(t, page)
	if code != 200 || len(rows) < 2 || !strings.Contains(page, `id="slot-results"`) {
		t.Fatalf("group search = %d with %d rows\n%s", code, len(rows), text(page))
	}
	practices := map[pcnhub.ODSCode]bool{}
	for i, r := range rows {
		practices[r.Practice] = true
		if i > 0 && r.Start.Before(rows[i-1].Start) {
			t.Fatalf("row %d (%s) starts before row %d (%s)", i, r.Start, i-1, rows[i-1].Start)
		}
		if r.Book == "" {
			t.Fatalf("row %d has no Book link", i)
		}
	}
	if len(practices) < 2 {
		t.Fatalf("the group search found slots at %d practice(s), want several", len(practices))
	}
	if m := regexp.MustCompile(`(\d+) slots found \(showing the first (\d+)\)`).FindStringSubmatch(text(page)); m == nil || m[2] != strconv.Itoa(len(rows)) {
		t.Fatalf("want \"N slots found (showing the first %d)\"\n%s", len(rows), text(page)[:min(2000, len(text(page)))])
	}
	// htmx gets the search area alone, to swap in place.
	code, part, _ := b.htmx("GET", searchFor("", from, from.AddDays(6), searchEAGroup), nil)
	if code != 200 || !strings.HasPrefix(strings.TrimSpace(part), `<div id="search-area">`) || strings.Contains(part, "<html") ||
		len(searchRows(t, part)) != len(rows) {
		t.Fatalf("htmx search = %d, want the search area alone\n%.500s", code, part)
	}
	// … and the practices of another group when the group changes.
	code, part, _ = b.htmx("GET", "/search/practices?group="+url.QueryEscape("Riverside PCN practices"), nil)
	if code != 200 || !strings.Contains(part, `id="practice-choices"`) || !strings.Contains(part, `value="A99998"`) || strings.Contains(part, `value="Y99990"`) {
		t.Fatalf("practice choices = %d\n%s", code, part)
	}

	// Booking for a patient registered at another practice, into a
	// practice that does not hold them: the last slot of a late week at
	// Brookside Surgery (A99997).
	sa := patSeededAppointment(t, e, 900, "A99997")
	q := sa.Person
	if patRecordAt(t, e, q.NHSNumber, "A99997") != nil {
		t.Fatalf("%s is already held by A99997", q.NHSNumber)
	}
	_, page = b.get("/patients/" + string(q.NHSNumber))
	if !strings.Contains(page, `id="book-across" href="/search?nhs=`+string(q.NHSNumber)+`"`) {
		t.Fatal("the patient page has no book-across link")
	}
	code, page = b.get("/search?nhs=" + string(q.NHSNumber))
	if code != 200 || !strings.Contains(text(page), "Booking for "+patName(q)) || !strings.Contains(page, `value="`+string(q.NHSNumber)+`"`) {
		t.Fatalf("/search?nhs= = %d, want the patient named and the number kept\n%s", code, text(page))
	}
	late := today.AddDays(34)
	search := searchFor(q.NHSNumber, late, late.AddDays(6), searchEAGroup, "A99997")
	code, page = b.get(search)
	rows = searchRows(t, page)
	if code != 200 || len(rows) == 0 {
		t.Fatalf("search at A99997 = %d, %d rows\n%s", code, len(rows), text(page))
	}
	for _, r := range rows {
		if r.Practice != "A99997" {
			t.Fatalf("a search of A99997 alone found a slot at %s", r.Practice)
		}
	}
	slot := rows[len(rows)-1]
	slotID := searchSlotID(t, slot.Book)
	code, page = b.get(slot.Book)
	body := text(page)
	if code != 200 || !strings.Contains(page, `id="description"`) || !strings.Contains(page, `id="confirm-booking"`) ||
		!strings.Contains(body, patName(q)) || !strings.Contains(body, "Brookside Surgery (A99997)") ||
		!strings.Contains(body, slot.Start.In(pcnhub.London).Format("Mon 2 Jan 2006")) {
		t.Fatalf("booking form = %d\n%s", code, body)
	}
	form := searchBookingForm(page)
	if form.Get("nhs") != string(q.NHSNumber) || form.Get("slot-id") != strconv.FormatInt(slotID, 10) {
		t.Fatalf("the booking form carries nhs %q, slot %q", form.Get("nhs"), form.Get("slot-id"))
	}
	form.Set("description", "")
	code, page = b.post("/search/book", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "Enter what the appointment is for") || !strings.Contains(page, `href="#description"`) {
		t.Fatalf("booking without a description = %d\n%s", code, text(page))
	}
	form.Set("description", strings.Repeat("x", 101))
	if code, page = b.post("/search/book", form); code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "100 characters or fewer") {
		t.Fatalf("booking with a long description = %d\n%s", code, text(page))
	}
	form.Set("description", "Wound check (web test)")
	form.Set("comment", "Booked across practices")
	code, page = b.post("/search/book", form)
	body = text(page)
	if code != 200 || !strings.Contains(page, `id="booking-confirmation"`) {
		t.Fatalf("booking = %d, want the confirmation\n%s", code, body)
	}
	for _, want := range []string{"Brookside Surgery", slot.Start.In(pcnhub.London).Format("Mon 2 Jan 2006"),
		slot.Start.In(pcnhub.London).Format("15:04"), "Wound check (web test)", "registered temporarily at Brookside Surgery"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation: %q missing\n%s", want, body)
		}
	}
	// The store: a temporary registration at A99997 and the appointment.
	rec := patRecordAt(t, e, q.NHSNumber, "A99997")
	if rec == nil || rec.Registration.Type != pcnhub.RegTemporary {
		t.Fatalf("after booking, A99997 holds %+v, want a temporary registration", rec)
	}
	appts, err := e.Store.AppointmentsForPatient(ctx, rec.ID, slot.Start.Add(-time.Minute), slot.Start.Add(time.Hour))
	if err != nil || len(appts) != 1 || appts[0].Status != schedule.Booked || appts[0].Description != "Wound check (web test)" ||
		!slices.Contains(appts[0].SlotIDs, slotID) {
		t.Fatalf("the booked appointment in the store: %+v (%v)", appts, err)
	}
	booked := appts[0]

	// The same slot again: taken. 409, the message, fresh results
	// without it.
	code, page = b.post("/search/book", form)
	body = text(page)
	if code != http.StatusConflict || !strings.Contains(body, "That slot is no longer available: someone else booked it. Here are fresh results.") {
		t.Fatalf("booking a taken slot = %d\n%s", code, body)
	}
	fresh := searchRows(t, page)
	if len(fresh) == 0 {
		t.Fatalf("no fresh results after the conflict\n%s", body)
	}
	for _, r := range fresh {
		if searchSlotID(t, r.Book) == slotID {
			t.Fatal("the fresh results still offer the taken slot")
		}
	}

	// The patient page lists the appointments at both practices, and the
	// new one is cancelled there.
	_, page = b.get("/patients/" + string(q.NHSNumber))
	home, _ := e.Store.OrganisationByODS(ctx, sa.ODS)
	newRow := fmt.Sprintf(`id="appointment-A99997-%d"`, booked.ID)
	if !strings.Contains(page, newRow) || !strings.Contains(page, fmt.Sprintf(`id="appointment-%s-%d"`, sa.ODS, sa.Appt.ID)) ||
		!strings.Contains(text(page), "Brookside Surgery (A99997)") || !strings.Contains(text(page), home.Name) {
		t.Fatalf("the patient page lacks the appointments at %s and A99997\n%s", sa.ODS, text(page))
	}
	code, page = b.post(fmt.Sprintf("/patients/%s/appointments/A99997/%d/cancel", q.NHSNumber, booked.ID), url.Values{"reason": {"No longer needed (web test)"}})
	if code != 200 || !strings.Contains(text(page), "cancelled") {
		t.Fatalf("cancel = %d\n%s", code, text(page))
	}
	if a := patAppointment(t, e, booked.ID); a.Status != schedule.Cancelled || a.CancellationReason != "No longer needed (web test)" {
		t.Fatalf("after cancelling, the store holds %s (%q)", a.Status, a.CancellationReason)
	}
	if a := patAppointment(t, e, sa.Appt.ID); a.Status != schedule.Booked {
		t.Fatalf("cancelling one appointment changed the other to %s", a.Status)
	}

	// A practice that stops sharing its book with Riverside (A99991): the
	// search names it as unavailable, and a booking there is refused.
	// Old Forge (A99998) → A99991 appointments is ended for this test only
	// and restored afterwards.
	_, page = b.get(searchFor("", late, late.AddDays(6), searchEAGroup, "A99998"))
	var oldForge *searchRow
	for _, r := range searchRows(t, page) {
		if r.Practice == "A99998" {
			oldForge = &r
		}
	}
	if oldForge == nil {
		t.Fatalf("no slot at A99998 to try\n%s", text(page))
	}
	as, err := e.Store.Agreements(ctx, "A99998")
	if err != nil {
		t.Fatal(err)
	}
	var agreement *spine.Agreement
	for i := range as {
		if as[i].Provider == "A99998" && as[i].Consumer == "A99991" && as[i].Capability == spine.Appointments && as[i].InForce(today) {
			agreement = &as[i]
		}
	}
	if agreement == nil {
		t.Fatal("the demo has no A99998 → A99991 appointments agreement")
	}
	if err := e.Store.EndAgreement(ctx, agreement.ID, today.AddDays(-1), "web-test"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Store.EndAgreement(ctx, agreement.ID, pcnhub.Date{}, "web-test"); err != nil {
			t.Errorf("restore agreement %d: %v", agreement.ID, err)
		}
	})
	code, page = b.get(searchFor("", late, late.AddDays(6), searchEAGroup))
	if !strings.Contains(page, `id="unavailable-practices"`) || !strings.Contains(page, `<li class="unavailable-practice" data-practice="A99998"><strong>Old Forge Surgery (A99998)</strong>: refused: no data sharing agreement`) {
		t.Fatalf("search without the agreement = %d, want Old Forge named as unavailable\n%s", code, text(page))
	}
	for _, r := range searchRows(t, page) {
		if r.Practice == "A99998" {
			t.Fatal("a practice that refused still has slots in the results")
		}
	}
	_, page = b.get(oldForge.Book)
	form = searchBookingForm(page)
	form.Set("nhs", string(q.NHSNumber))
	form.Set("description", "Should be refused (web test)")
	code, page = b.post("/search/book", form)
	if body := text(page); code != http.StatusForbidden || !strings.Contains(body, "Old Forge Surgery (A99998) did not book this appointment") ||
		!strings.Contains(body, "no data sharing agreement") {
		t.Fatalf("booking at a practice without an agreement = %d\n%s", code, body)
	}
	if got, err := e.Store.SlotsByID(ctx, []int64{searchSlotID(t, oldForge.Book)}); err != nil || len(got) != 1 || got[0].Status != schedule.SlotFree {
		t.Fatalf("the refused slot is %+v (%v), want it still free", got, err)
	}

	// The NHS 111 call handler searches (their group by default: the one
	// with the practices, not "111 direct booking" that holds only
	// themselves), books, and has no GP record link.
	h := e.signIn(t, "nhs111.handler")
	_, page = h.get("/search")
	if !strings.Contains(page, `<option value="`+searchEAGroup+`" selected>`) {
		t.Fatalf("the call handler's default group is not %q\n%s", searchEAGroup, text(page))
	}
	r := patPerson(t, e, 333, func(p *pcnhub.Person) bool { return !p.Sensitive && p.GPPractice == "A99995" })
	code, page = h.get(searchFor(r.NHSNumber, late, late.AddDays(6), searchEAGroup, "A99996"))
	rows = searchRows(t, page)
	if code != 200 || len(rows) == 0 {
		t.Fatalf("the call handler's search = %d, %d rows\n%s", code, len(rows), text(page))
	}
	slot = rows[len(rows)-1]
	_, page = h.get(slot.Book)
	form = searchBookingForm(page)
	form.Set("description", "NHS 111 disposition: see GP (web test)")
	code, page = h.post("/search/book", form)
	if body := text(page); code != 200 || !strings.Contains(page, `id="booking-confirmation"`) || !strings.Contains(body, "Northgate Family Practice") ||
		!strings.Contains(body, slot.Start.In(pcnhub.London).Format("15:04")) {
		t.Fatalf("the call handler's booking = %d\n%s", code, body)
	}
	code, page = h.get("/patients/" + string(r.NHSNumber))
	if code != 200 || !strings.Contains(page, `id="book-across"`) || strings.Contains(page, "View GP record") || strings.Contains(page, "/record\"") {
		t.Fatalf("the call handler's patient page = %d: want book-across and no GP record link\n%s", code, text(page))
	}
	if !strings.Contains(text(page), "Northgate Family Practice (A99996)") {
		t.Fatalf("the call handler's booking is not on the patient page\n%s", text(page))
	}
}
