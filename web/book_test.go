package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// The appointment book: the day and week views of Riverside's real demo
// book, booking a free slot (and the form's refusals), amending,
// recording an arrival and an attendance, cancelling, two bookers racing
// for one slot, and who may not touch the book.
func testBook(t *testing.T, e *env) {
	riverside, err := e.Store.OrganisationByODS(ctx, "A99991")
	if err != nil {
		t.Fatal(err)
	}
	today := pcnhub.DateOf(time.Now().In(pcnhub.London))
	// Slots no other test uses: the last free ones of the book 20 to 34
	// days ahead, latest first.
	free := bookFreeSlots(t, e, riverside.ID, today.AddDays(20), today.AddDays(35))
	if len(free) < 3 {
		t.Fatalf("Riverside has %d free slots 20 to 34 days ahead, want at least 3", len(free))
	}
	s1, s2, s3 := free[0], free[1], free[2]
	day := bookDayOf(s1.Start)
	patient := bookPatient(t, e, "A99991", 1789)
	stranger := bookPatient(t, e, "A99992", 1789) // registered at another practice

	rosa := e.signIn(t, "rosa.reception")

	// ---- The day view: the real sessions and slots of the day.
	daySlots, err := e.Store.SlotsBetween(ctx, riverside.ID, day.Time(pcnhub.London), day.AddDays(1).Time(pcnhub.London))
	if err != nil {
		t.Fatal(err)
	}
	dayAppts, err := e.Store.AppointmentsBetween(ctx, riverside.ID, day.Time(pcnhub.London), day.AddDays(1).Time(pcnhub.London))
	if err != nil {
		t.Fatal(err)
	}
	code, page := rosa.get("/book?date=" + day.String())
	if code != 200 || !strings.Contains(page, `id="appointment-book"`) {
		t.Fatalf("day view of %s = %d\n%s", day, code, text(page))
	}
	if !strings.Contains(text(page), day.Time(pcnhub.London).Format("Mon 2 Jan 2006")) {
		t.Errorf("the day view does not name its date %s", day)
	}
	sc := bookSchedule(t, e, s1.ScheduleID)
	pr, err := e.Store.PractitionerByID(ctx, sc.PractitionerID)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := e.Store.LocationByID(ctx, sc.LocationID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{sc.ServiceCategory, pr.Name.Family, loc.Name, sc.PractitionerRoleDisplay} {
		if !strings.Contains(text(page), want) {
			t.Errorf("the day view lacks %q of the session of slot %d", want, s1.ID)
		}
	}
	// The day's sessions are listed at the top, each linking to its place.
	sessions := map[int64]bool{}
	for _, sl := range daySlots {
		sessions[sl.ScheduleID] = true
	}
	if jump := regexp.MustCompile(`(?s)<nav class="book-jump".*?</nav>`).FindString(page); len(sessions) > 1 &&
		(!strings.Contains(text(jump), fmt.Sprintf("Sessions (%d)", len(sessions))) || strings.Count(jump, `<a href="#`) != len(sessions)) {
		t.Errorf("the day's %d sessions are not all listed at the top:\n%s", len(sessions), text(jump))
	}
	shown, elements := 0, bookSlots(page)
	for _, sl := range daySlots {
		if elements[sl.ID][0] != "" {
			shown++
		}
	}
	if shown != len(daySlots) {
		t.Errorf("the day view shows %d of the day's %d slots", shown, len(daySlots))
	}
	if got := bookSlotClass(page, s1.ID); got != "slot-free" {
		t.Errorf("slot %d (free) has class %q, want slot-free", s1.ID, got)
	}
	if li := bookSlotHTML(page, s1.ID); !strings.Contains(text(li), "Free") || !strings.Contains(text(li), s1.ServiceType) ||
		!strings.Contains(text(li), s1.Start.In(pcnhub.London).Format("15:04")) {
		t.Errorf("slot %d does not say Free, its time and its type:\n%s", s1.ID, text(li))
	}
	// A demo booking of the day shows its patient; a slot kept for NHS 111
	// says so; a slot that is not bookable over GP Connect says so.
	var booked *schedule.Appointment
	for i := range dayAppts {
		if dayAppts[i].Status == schedule.Booked {
			booked = &dayAppts[i]
			break
		}
	}
	if booked == nil {
		t.Fatalf("the demo has no booked appointment at Riverside on %s", day)
	}
	bookedPt, err := e.Store.PatientByID(ctx, booked.PatientID)
	if err != nil {
		t.Fatal(err)
	}
	if li := bookSlotHTML(page, booked.SlotIDs[0]); bookSlotClass(page, booked.SlotIDs[0]) != "slot-booked" ||
		!strings.Contains(text(li), bookedPt.Name.Family) || !strings.Contains(text(li), bookedPt.NHSNumber.Formatted()) ||
		!strings.Contains(text(li), booked.Description) {
		t.Errorf("the demo appointment %d does not show as booked with its patient and description:\n%s", booked.ID, text(li))
	}
	var kept111, practiceOnly *schedule.Slot
	for i := range daySlots {
		sl := &daySlots[i]
		if kept111 == nil && sl.Bookable && slices.Contains(sl.OrgTypes, pcnhub.OrgUrgentCare) {
			kept111 = sl
		}
		if practiceOnly == nil && !sl.Bookable && sl.DeliveryChannel != schedule.Visit {
			practiceOnly = sl
		}
	}
	if kept111 == nil || practiceOnly == nil {
		t.Fatalf("Riverside's book on %s has no 111 slot or no practice-only slot", day)
	}
	if li := text(bookSlotHTML(page, kept111.ID)); !strings.Contains(li, " 111 ") || !strings.Contains(li, "111 only") {
		t.Errorf("the 111 slot %d is not marked 111 only:\n%s", kept111.ID, li)
	}
	if li := text(bookSlotHTML(page, practiceOnly.ID)); !strings.Contains(li, "Not bookable over GP Connect") {
		t.Errorf("slot %d does not say it is not bookable over GP Connect:\n%s", practiceOnly.ID, li)
	}
	for _, want := range []string{"Key", "Free", "Booked", "Unavailable", "kept for NHS 111"} {
		if !strings.Contains(text(page), want) {
			t.Errorf("the key lacks %q", want)
		}
	}
	// The view is audited, without an NHS number.
	events, err := e.Store.AuditEvents(ctx, sqlstore.AuditFilter{Action: "ui.book.view", OrgODS: "A99991"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(ev pcnhub.AuditEvent) bool {
		return ev.Actor == "rosa.reception" && ev.NHSNumber == "" && strings.Contains(ev.Detail, "date="+day.String()) && strings.Contains(ev.Detail, "view=day")
	}) {
		t.Errorf("no ui.book.view audit event for rosa.reception on %s: %+v", day, events)
	}

	// ---- The week view: Monday to Sunday, every slot of the week.
	monday := day
	for monday.Time(time.UTC).Weekday() != time.Monday {
		monday = monday.AddDays(-1)
	}
	weekSlots, err := e.Store.SlotsBetween(ctx, riverside.ID, monday.Time(pcnhub.London), monday.AddDays(7).Time(pcnhub.London))
	if err != nil {
		t.Fatal(err)
	}
	code, page = rosa.get("/book?view=week&date=" + day.String())
	if code != 200 || !strings.Contains(page, `id="appointment-book"`) {
		t.Fatalf("week view = %d\n%s", code, text(page))
	}
	for i := range 7 {
		if d := monday.AddDays(i).Time(pcnhub.London).Format("Mon 2 Jan 2006"); !strings.Contains(text(page), d) {
			t.Errorf("the week view lacks %s", d)
		}
	}
	days, chips := map[pcnhub.Date]bool{}, map[string]bool{}
	for _, m := range regexp.MustCompile(`class="book-wslot (?:slot-free|slot-booked|slot-busy)" data-slot-id="(\d+)"`).FindAllStringSubmatch(page, -1) {
		chips[m[1]] = true
	}
	for _, sl := range weekSlots {
		if !chips[strconv.FormatInt(sl.ID, 10)] {
			t.Errorf("the week view lacks slot %d", sl.ID)
			break
		}
		days[bookDayOf(sl.Start)] = true
	}
	if len(days) < 4 {
		t.Errorf("the week of %s has slots on %d days; the demo has a weekday book", monday, len(days))
	}
	if strings.Contains(text(page), bookedPt.NHSNumber.Formatted()) {
		t.Errorf("the week view names patients; it is an overview of capacity")
	}
	// Previous and next go by a week; a date that does not exist is refused.
	if !strings.Contains(page, `href="/book?date=`+day.AddDays(7).String()+`&amp;view=week"`) {
		t.Errorf("the week view has no link to the next week")
	}
	if code, page = rosa.get("/book?date=2026-02-30"); code != http.StatusBadRequest || !strings.Contains(text(page), "2026-02-30") {
		t.Errorf("/book?date=2026-02-30 = %d\n%s", code, text(page))
	}

	// ---- Booking: the form refuses what it must, and saves nothing.
	bookPath := "/book/slots/" + strconv.FormatInt(s1.ID, 10) + "/book"
	code, page = rosa.get(bookPath + "?view=day")
	if code != 200 || !strings.Contains(page, `action="`+bookPath+`"`) || !strings.Contains(page, `id="nhs"`) || !strings.Contains(page, `for="description"`) {
		t.Fatalf("book form = %d\n%s", code, text(page))
	}
	for _, c := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"empty", url.Values{}, []string{"Enter the patient's NHS number", "Enter a description of the appointment"}},
		{"bad check digit", url.Values{"nhs": {"943 476 5918"}, "description": {"Review"}}, []string{"Check the NHS number: 943 476 5918 is not a valid NHS number"}},
		{"short NHS number", url.Values{"nhs": {"943 476 591"}, "description": {"Review"}}, []string{"Enter a 10-digit NHS number"}},
		{"too long", url.Values{"nhs": {string(patient.NHSNumber)}, "description": {strings.Repeat("x", 101)}}, []string{"The description must be 100 characters or fewer"}},
		{"not registered here", url.Values{"nhs": {string(stranger.NHSNumber)}, "description": {"Review"}},
			[]string{"No patient with NHS number " + stranger.NHSNumber.Formatted() + " is registered at Riverside Medical Centre. Use Find a patient to register them temporarily or book across practices."}},
	} {
		code, page = rosa.post(bookPath, c.form)
		if code != http.StatusUnprocessableEntity {
			t.Errorf("book (%s) = %d, want 422\n%s", c.name, code, text(page))
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(text(page), w) {
				t.Errorf("book (%s) lacks %q:\n%s", c.name, w, text(page))
			}
		}
		if !strings.Contains(page, `class="nhsuk-error-summary"`) {
			t.Errorf("book (%s) has no error summary", c.name)
		}
	}
	if sl := bookSlotNow(t, e, s1.ID); sl.Status != schedule.SlotFree {
		t.Fatalf("refused bookings left slot %d %s", s1.ID, sl.Status)
	}

	// ---- Booking for a registered patient.
	code, page = rosa.post(bookPath, url.Values{"nhs": {patient.NHSNumber.Formatted()}, "description": {"Blood pressure review"},
		"comment": {"Prefers a late slot"}, "view": {"day"}})
	if code != 200 || !strings.Contains(text(page), "Appointment booked for "+bookName(patient)) {
		t.Fatalf("book = %d\n%s", code, text(page))
	}
	if got := bookSlotClass(page, s1.ID); got != "slot-booked" {
		t.Errorf("after booking, slot %d has class %q", s1.ID, got)
	}
	if li := text(bookSlotHTML(page, s1.ID)); !strings.Contains(li, bookName(patient)) || !strings.Contains(li, patient.NHSNumber.Formatted()) ||
		!strings.Contains(li, "Blood pressure review") {
		t.Errorf("the booked slot does not show the patient and description:\n%s", li)
	}
	a := bookLiveAppointment(t, e, riverside.ID, s1)
	if a == nil {
		t.Fatalf("no live appointment holds slot %d after booking", s1.ID)
	}
	if a.PatientID != patient.ID || a.Description != "Blood pressure review" || a.Comment != "Prefers a late slot" ||
		a.Status != schedule.Booked || a.BookedVia != schedule.BookedViaPractice || a.BookingOrganisation.ODS != "A99991" ||
		a.ScheduleID != sc.ID || a.LocationID != sc.LocationID || a.PractitionerID != sc.PractitionerID ||
		!a.Start.Equal(s1.Start) || !a.End.Equal(s1.End) || a.ServiceType != s1.ServiceType || a.ServiceCategory != sc.ServiceCategory ||
		a.Created.IsZero() {
		t.Errorf("stored appointment = %+v", a)
	}
	if sl := bookSlotNow(t, e, s1.ID); sl.Status != schedule.SlotBusy {
		t.Errorf("the booked slot is %s, want busy", sl.Status)
	}
	bookAudited(t, e, "ui.appointment.book", patient.NHSNumber)
	apptPath := "/book/appointments/" + strconv.FormatInt(a.ID, 10)

	// ---- Amending: description and comment, with a version check.
	code, page = rosa.get(apptPath + "/amend?view=day")
	if code != 200 || !strings.Contains(page, `value="Blood pressure review"`) || !strings.Contains(page, `name="version" value="1"`) {
		t.Fatalf("amend form = %d\n%s", code, text(page))
	}
	code, page = rosa.post(apptPath+"/amend", url.Values{"description": {""}, "comment": {""}, "version": {"1"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "Enter a description of the appointment") {
		t.Errorf("amend without a description = %d\n%s", code, text(page))
	}
	code, page = rosa.post(apptPath+"/amend", url.Values{"description": {"Blood pressure and weight"}, "comment": {""}, "version": {"1"}, "view": {"day"}})
	if code != 200 || !strings.Contains(text(page), "Appointment changed for "+bookName(patient)) || !strings.Contains(text(bookSlotHTML(page, s1.ID)), "Blood pressure and weight") {
		t.Fatalf("amend = %d\n%s", code, text(page))
	}
	if got, _ := e.Store.AppointmentByID(ctx, a.ID); got.Description != "Blood pressure and weight" || got.Comment != "" || got.Version != 2 {
		t.Errorf("after amending: description %q comment %q version %d", got.Description, got.Comment, got.Version)
	}
	// A form drawn from version 1 is someone else's past: refused, and
	// nothing changes.
	code, page = rosa.post(apptPath+"/amend", url.Values{"description": {"Stale"}, "version": {"1"}})
	// The page shows the appointment as it now stands, and keeps what was typed.
	if code != http.StatusConflict || !strings.Contains(text(page), "Someone else changed this appointment") ||
		!strings.Contains(text(page), "Description Blood pressure and weight") || !strings.Contains(page, `value="Stale"`) {
		t.Errorf("stale amend = %d\n%s", code, text(page))
	}
	if got, _ := e.Store.AppointmentByID(ctx, a.ID); got.Description != "Blood pressure and weight" || got.Version != 2 {
		t.Errorf("a stale amend changed the appointment: %q version %d", got.Description, got.Version)
	}
	bookAudited(t, e, "ui.appointment.amend", patient.NHSNumber)

	// An arrival cannot be recorded 20 days early.
	code, page = rosa.post(apptPath+"/outcome", url.Values{"outcome": {"arrived"}, "version": {"2"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "The patient cannot have arrived before the day of the appointment") {
		t.Errorf("early arrival = %d\n%s", code, text(page))
	}

	// ---- Another organisation cannot touch it; a 111 call handler keeps
	// no book; a form without the session's CSRF token does nothing.
	hub := e.signIn(t, "hub.reception")
	if code, page = hub.get("/book?date=" + day.String()); code != 200 || bookSlotClass(page, s1.ID) != "" {
		t.Errorf("the hub's book = %d and shows Riverside's slot: %q", code, bookSlotClass(page, s1.ID))
	}
	for _, p := range []string{apptPath + "/amend", apptPath + "/cancel", apptPath + "/outcome", "/book/slots/" + strconv.FormatInt(s2.ID, 10) + "/book"} {
		if code, page = hub.get(p); code != http.StatusNotFound {
			t.Errorf("hub.reception GET %s = %d, want 404\n%s", p, code, text(page))
		}
	}
	if code, page = hub.post(apptPath+"/cancel", url.Values{"reason": {"not ours"}, "version": {"2"}}); code != http.StatusNotFound {
		t.Errorf("hub.reception cancels Riverside's appointment: %d\n%s", code, text(page))
	}
	handler := e.signIn(t, "nhs111.handler")
	if code, _ = handler.get("/book"); code != http.StatusForbidden {
		t.Errorf("111 call handler GET /book = %d, want 403", code)
	}
	if code, _ = handler.post(apptPath+"/cancel", url.Values{"reason": {"x"}, "version": {"2"}}); code != http.StatusForbidden {
		t.Errorf("111 call handler POST cancel = %d, want 403", code)
	}
	if code, _ = rosa.post(apptPath+"/cancel", url.Values{"csrf": {"forged"}, "reason": {"forged"}, "version": {"2"}}); code != http.StatusForbidden {
		t.Errorf("cancel with a forged CSRF token = %d, want 403", code)
	}
	if code, _ = rosa.post("/book/slots/"+strconv.FormatInt(s3.ID, 10)+"/book", url.Values{"csrf": {""}, "nhs": {string(patient.NHSNumber)}, "description": {"x"}}); code != http.StatusForbidden {
		t.Errorf("book without a CSRF token = %d, want 403", code)
	}
	if got, _ := e.Store.AppointmentByID(ctx, a.ID); got.Status != schedule.Booked || got.Version != 2 {
		t.Errorf("refused requests changed the appointment: %s version %d", got.Status, got.Version)
	}
	if sl := bookSlotNow(t, e, s3.ID); sl.Status != schedule.SlotFree {
		t.Errorf("a booking without a CSRF token took slot %d", s3.ID)
	}

	// ---- Cancelling: a reason is required; the slot is free again.
	code, page = rosa.get(apptPath + "/cancel?view=day")
	if code != 200 || !strings.Contains(page, `id="reason"`) || !strings.Contains(page, `id="confirm-cancel"`) || !strings.Contains(text(page), bookName(patient)) {
		t.Fatalf("cancel form = %d\n%s", code, text(page))
	}
	bookAudited(t, e, "ui.appointment.view", patient.NHSNumber) // the form shows the patient
	// The book links to it.
	_, page = rosa.get("/book?date=" + day.String())
	if !strings.Contains(bookSlotHTML(page, s1.ID), `class="book-action cancel-appointment" href="`+apptPath+`/cancel?view=day"`) {
		t.Errorf("the booked slot has no cancel link:\n%s", bookSlotHTML(page, s1.ID))
	}
	code, page = rosa.post(apptPath+"/cancel", url.Values{"reason": {" "}, "version": {"2"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "Enter why the appointment is cancelled") {
		t.Errorf("cancel without a reason = %d\n%s", code, text(page))
	}
	code, page = rosa.post(apptPath+"/cancel", url.Values{"reason": {"Patient asked to cancel"}, "version": {"2"}, "view": {"day"}})
	if code != 200 || !strings.Contains(page, `id="flash"`) || !strings.Contains(text(page), "Appointment cancelled for "+bookName(patient)) ||
		bookSlotClass(page, s1.ID) != "slot-free" || !strings.Contains(text(page), day.Time(pcnhub.London).Format("Mon 2 Jan 2006")) {
		t.Fatalf("cancel = %d, slot %q\n%s", code, bookSlotClass(page, s1.ID), text(page))
	}
	if got, _ := e.Store.AppointmentByID(ctx, a.ID); got.Status != schedule.Cancelled || got.CancellationReason != "Patient asked to cancel" {
		t.Errorf("after cancelling: %s %q", got.Status, got.CancellationReason)
	}
	if sl := bookSlotNow(t, e, s1.ID); sl.Status != schedule.SlotFree {
		t.Errorf("the cancelled appointment's slot is %s, want free", sl.Status)
	}
	bookAudited(t, e, "ui.appointment.cancel", patient.NHSNumber)
	// A cancelled appointment can no longer change.
	if code, page = rosa.post(apptPath+"/cancel", url.Values{"reason": {"again"}, "version": {"3"}}); code != http.StatusBadRequest || !strings.Contains(text(page), "has been cancelled") {
		t.Errorf("cancel twice = %d\n%s", code, text(page))
	}

	// ---- Two bookings of one slot: the second is told, and the store
	// holds one appointment.
	pm := e.signIn(t, "pm.riverside")
	path2 := "/book/slots/" + strconv.FormatInt(s2.ID, 10) + "/book"
	rosa.get(path2)
	pm.get(path2)
	if code, page = rosa.post(path2, url.Values{"nhs": {string(patient.NHSNumber)}, "description": {"First"}}); code != 200 {
		t.Fatalf("first booking of slot %d = %d\n%s", s2.ID, code, text(page))
	}
	code, page = pm.post(path2, url.Values{"nhs": {string(patient.NHSNumber)}, "description": {"Second"}})
	if code != http.StatusConflict || !strings.Contains(text(page), "That slot is no longer available: someone else booked it. The book below is up to date.") ||
		bookSlotClass(page, s2.ID) != "slot-booked" {
		t.Errorf("second booking of slot %d = %d, slot %q\n%s", s2.ID, code, bookSlotClass(page, s2.ID), text(page))
	}
	if n := bookHolders(t, e, riverside.ID, s2); n != 1 {
		t.Errorf("slot %d is held by %d appointments, want 1", s2.ID, n)
	}
	// The same, at the same moment: exactly one wins.
	path3 := "/book/slots/" + strconv.FormatInt(s3.ID, 10) + "/book"
	rosa.get(path3)
	pm.get(path3)
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, b := range []*browser{rosa, pm} {
		form := url.Values{"csrf": {b.csrf}, "nhs": {string(patient.NHSNumber)}, "description": {"Race " + strconv.Itoa(i)}}
		wg.Go(func() {
			resp, err := b.c.PostForm(e.URL+path3, form)
			if err == nil {
				resp.Body.Close()
				codes[i] = resp.StatusCode
			}
		})
	}
	wg.Wait()
	slices.Sort(codes)
	if codes[0] != 200 || codes[1] != http.StatusConflict {
		t.Errorf("two bookers at once got %v, want one 200 (after the redirect) and one 409", codes)
	}
	if n := bookHolders(t, e, riverside.ID, s3); n != 1 {
		t.Errorf("slot %d is held by %d appointments after the race, want 1", s3.ID, n)
	}

	// ---- Outcomes, on an appointment of today (in a list of this test's
	// own, at midnight, so that no other test sees it).
	own := bookTodaySlot(t, e, sc, today)
	oa := &schedule.Appointment{PatientID: patient.ID, Status: schedule.Booked, Description: "Outcome test",
		BookedVia: schedule.BookedViaPractice, BookingOrganisation: schedule.BookingOrganisation{ODS: "A99991", Name: riverside.Name}}
	oa.SetSlots(bookSchedule(t, e, own.ScheduleID), []schedule.Slot{own})
	if err := e.Store.BookAppointment(ctx, oa); err != nil {
		t.Fatal(err)
	}
	ownPath := "/book/appointments/" + strconv.FormatInt(oa.ID, 10)
	code, page = rosa.get("/book?date=" + today.String())
	if code != 200 || !strings.Contains(bookSlotHTML(page, own.ID), `value="arrived"`) {
		t.Fatalf("today's book = %d; the appointment offers no arrival:\n%s", code, bookSlotHTML(page, own.ID))
	}
	code, page = rosa.post(ownPath+"/outcome", url.Values{"outcome": {"arrived"}, "version": {"1"}, "view": {"day"}})
	if code != 200 || !strings.Contains(text(page), "Arrival recorded for "+bookName(patient)) || !strings.Contains(text(bookSlotHTML(page, own.ID)), "Arrived at") {
		t.Fatalf("arrived = %d\n%s", code, text(page))
	}
	if got, _ := e.Store.AppointmentByID(ctx, oa.ID); got.Status != schedule.Arrived || got.ArrivedAt.IsZero() || got.Version != 2 {
		t.Errorf("after arrival: %s arrived %v version %d", got.Status, got.ArrivedAt, got.Version)
	}
	bookAudited(t, e, "appointment.outcome", patient.NHSNumber)
	code, page = rosa.post(ownPath+"/outcome", url.Values{"outcome": {"dna"}, "version": {"2"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "The patient arrived for appointment") {
		t.Errorf("did not attend after arriving = %d\n%s", code, text(page))
	}
	code, page = rosa.post(ownPath+"/outcome", url.Values{"outcome": {""}, "version": {"2"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "Choose what happened") {
		t.Errorf("no outcome = %d\n%s", code, text(page))
	}
	code, page = rosa.post(ownPath+"/outcome", url.Values{"outcome": {"attended"}, "version": {"2"}, "view": {"day"}})
	if code != 200 || !strings.Contains(text(page), "Attendance recorded") || !strings.Contains(text(bookSlotHTML(page, own.ID)), "Attended") {
		t.Errorf("attended = %d\n%s", code, text(page))
	}
	if got, _ := e.Store.AppointmentByID(ctx, oa.ID); got.Status != schedule.Fulfilled || got.OutcomeAt.IsZero() {
		t.Errorf("after attending: %s outcome %v", got.Status, got.OutcomeAt)
	}

	// ---- htmx opens the cancel form inside the slot.
	code, page, _ = rosa.htmx("GET", "/book/slots/"+strconv.FormatInt(s1.ID, 10)+"/book?view=day", nil)
	if code != 200 || strings.Contains(page, "<html") || !strings.Contains(page, `action="`+bookPath+`"`) {
		t.Errorf("htmx book form = %d\n%s", code, page)
	}
}

// bookFreeSlots are an organisation's free slots (not home visits)
// starting on the days [from, to), latest first.
func bookFreeSlots(t *testing.T, e *env, orgID int64, from, to pcnhub.Date) []schedule.Slot {
	t.Helper()
	slots, err := e.Store.SlotsBetween(ctx, orgID, from.Time(pcnhub.London), to.Time(pcnhub.London))
	if err != nil {
		t.Fatal(err)
	}
	slots = slices.DeleteFunc(slots, func(s schedule.Slot) bool {
		return s.Status != schedule.SlotFree || s.DeliveryChannel == schedule.Visit
	})
	slices.Reverse(slots)
	return slots
}

// bookPatient is the n-th bookable patient of a practice in the demo.
func bookPatient(t *testing.T, e *env, ods pcnhub.ODSCode, n int) *pcnhub.Patient {
	t.Helper()
	org, err := e.Store.OrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for at, p := range e.Demo.Patients {
		if at != ods || p.Registration.Status != pcnhub.RegActive || p.Deceased() || p.Sensitive || p.MergedInto != "" || p.SupersededBy != "" {
			continue
		}
		if i++; i == n {
			pt, err := e.Store.PatientByNHSNumber(ctx, org.ID, p.NHSNumber)
			if err != nil {
				t.Fatal(err)
			}
			return pt
		}
	}
	t.Fatalf("%s has fewer than %d bookable patients", ods, n)
	return nil
}

func bookName(p *pcnhub.Patient) string {
	return strings.Join(slices.DeleteFunc(append(append([]string{p.Name.Prefix}, p.Name.Given...), p.Name.Family),
		func(s string) bool { return s == "" }), " ")
}

func bookDayOf(t time.Time) pcnhub.Date { return pcnhub.DateOf(t.In(pcnhub.London)) }

func bookSchedule(t *testing.T, e *env, id int64) *schedule.Schedule {
	t.Helper()
	sc, err := e.Store.ScheduleByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// bookSlotNow reads a slot back from the store.
func bookSlotNow(t *testing.T, e *env, id int64) schedule.Slot {
	t.Helper()
	got, err := e.Store.SlotsByID(ctx, []int64{id})
	if err != nil || len(got) != 1 {
		t.Fatalf("slot %d: %v", id, err)
	}
	return got[0]
}

// bookLiveAppointment is the appointment holding a slot (nil: none).
func bookLiveAppointment(t *testing.T, e *env, orgID int64, s schedule.Slot) *schedule.Appointment {
	t.Helper()
	appts, err := e.Store.AppointmentsBetween(ctx, orgID, s.Start, s.End)
	if err != nil {
		t.Fatal(err)
	}
	for i := range appts {
		if appts[i].Status != schedule.Cancelled && slices.Contains(appts[i].SlotIDs, s.ID) {
			return &appts[i]
		}
	}
	return nil
}

// bookHolders counts the live appointments holding a slot.
func bookHolders(t *testing.T, e *env, orgID int64, s schedule.Slot) int {
	t.Helper()
	appts, err := e.Store.AppointmentsBetween(ctx, orgID, s.Start, s.End)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range appts {
		if a.Status != schedule.Cancelled && slices.Contains(a.SlotIDs, s.ID) {
			n++
		}
	}
	return n
}

// bookTodaySlot adds a schedule of this test's own to the organisation of
// like (same location, practitioner and role) with one free slot at
// 00:01 today.
func bookTodaySlot(t *testing.T, e *env, like *schedule.Schedule, today pcnhub.Date) schedule.Slot {
	t.Helper()
	sc := *like
	sc.ID, sc.ServiceCategory = 0, "Book test list"
	id, err := e.Store.UpsertSchedule(ctx, &sc)
	if err != nil {
		t.Fatal(err)
	}
	start := today.Time(pcnhub.London).Add(time.Minute)
	w, err := e.Store.BeginSlotWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, &schedule.Slot{ScheduleID: id, Start: start, End: start.Add(10 * time.Minute), Status: schedule.SlotFree,
		ServiceType: "Routine GP appointment", DeliveryChannel: schedule.InPerson}); err != nil {
		w.Rollback()
		t.Fatal(err)
	}
	if _, err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	slots, err := e.Store.SlotsBetween(ctx, sc.OrganisationID, start, start.Add(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if s.ScheduleID == id {
			return s
		}
	}
	t.Fatal("the test's own slot was not stored")
	return schedule.Slot{}
}

// bookAudited checks that an action was audited for the patient.
func bookAudited(t *testing.T, e *env, action string, nhs pcnhub.NHSNumber) {
	t.Helper()
	events, err := e.Store.AuditEvents(ctx, sqlstore.AuditFilter{Action: action, NHSNumber: nhs})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(ev pcnhub.AuditEvent) bool { return ev.Outcome == "ok" && ev.OrgODS == "A99991" }) {
		t.Errorf("no successful %s audit event for %s: %+v", action, nhs.Masked(), events)
	}
}

var bookSlotOpen = regexp.MustCompile(`^<li class="book-slot (slot-[a-z]+)[^"]*" data-slot-id="(\d+)"`)

// bookSlots are the slot elements of a day view, by slot id: their slot-*
// class and their HTML.
func bookSlots(page string) map[int64][2]string {
	out := map[int64][2]string{}
	for rest := page; ; {
		i := strings.Index(rest, `<li class="book-slot `)
		if i < 0 {
			return out
		}
		rest = rest[i:]
		end := strings.Index(rest, "</li>")
		if end < 0 {
			return out
		}
		if m := bookSlotOpen.FindStringSubmatch(rest[:end]); m != nil {
			id, _ := strconv.ParseInt(m[2], 10, 64)
			out[id] = [2]string{m[1], rest[:end+len("</li>")]}
		}
		rest = rest[end:]
	}
}

// bookSlotHTML is the element of a slot in the day view ("" when absent).
func bookSlotHTML(page string, id int64) string { return bookSlots(page)[id][1] }

// bookSlotClass is the slot-* class of a slot in the day view.
func bookSlotClass(page string, id int64) string { return bookSlots(page)[id][0] }
