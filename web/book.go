package web

// The appointment book: the sessions and slots of the organisation the
// user acts for (a practice or the hub), a day or a week at a time, and
// what reception does with them — book a free slot for a registered
// patient, amend the description or comment, cancel (which frees the
// slot), and record arrivals and outcomes.
//
// Bookings go through the same store path as the GP Connect provider's
// (Store.BookAppointment takes the slots in the booking transaction, so a
// slot taken meanwhile is ECONFLICT and nothing is written); amendments,
// cancellations and outcomes through Store.UpdateAppointment with the
// version the form was drawn from, so that someone else's change meanwhile
// is never overwritten. Every view of the book (it shows patients' names)
// and every change is audited.

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/staff"
)

// The messages of a change that lost a race.
const (
	bookTakenMessage   = "That slot is no longer available: someone else booked it. The book below is up to date."
	bookChangedMessage = "Someone else changed this appointment while you were working on it. It is shown below as it now stands: make your change again if it is still needed."
)

// bookPatientLookups is how many patient records a page reads at once.
const bookPatientLookups = 8

func (u *UI) routesBook(mux *http.ServeMux) {
	// Booking, amending and cancelling need the booking permission on top
	// of the book's own (a 111 call handler books, but keeps no book).
	keeper := func(h handler) http.HandlerFunc {
		return u.page(staff.RecordOutcomes, func(w http.ResponseWriter, r *http.Request, pg *Page) {
			if !pg.P.Can(staff.BookAppointments) {
				u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EFORBIDDEN, "your role (%s at %s) does not allow booking", roleName(pg.P.Membership.Role), pg.P.Membership.OrgName))
				return
			}
			h(w, r, pg)
		})
	}
	mux.HandleFunc("GET /book", u.page(staff.RecordOutcomes, u.bookPage))
	mux.HandleFunc("GET /book/slots/{id}/book", keeper(u.bookNew))
	mux.HandleFunc("POST /book/slots/{id}/book", keeper(u.bookNew))
	mux.HandleFunc("GET /book/appointments/{id}/amend", keeper(u.bookAmend))
	mux.HandleFunc("POST /book/appointments/{id}/amend", keeper(u.bookAmend))
	mux.HandleFunc("GET /book/appointments/{id}/cancel", keeper(u.bookCancel))
	mux.HandleFunc("POST /book/appointments/{id}/cancel", keeper(u.bookCancel))
	mux.HandleFunc("GET /book/appointments/{id}/outcome", u.page(staff.RecordOutcomes, u.bookOutcome))
	mux.HandleFunc("POST /book/appointments/{id}/outcome", u.page(staff.RecordOutcomes, u.bookOutcome))
}

// ---- What the pages show

// bookView is the book page: a day, or the seven days of a week.
type bookView struct {
	OrgName string
	OrgODS  pcnhub.ODSCode
	Date    pcnhub.Date // the date asked for
	View    string      // "day" or "week"
	Week    bool
	Heading string
	Unit    string // "day" or "week", for the previous/next links
	Days    []*bookDay
	Alert   string // a change that failed, shown above the book
	Counts  bookCounts

	// Links: the previous and next day or week, today, and this date in
	// either view.
	PrevURL, NextURL, TodayURL string
	DayURL, WeekURL            string
}

// bookCounts are a day's (or week's) slots by state.
type bookCounts struct{ Free, Booked, Busy, Reserved111 int }

func (c *bookCounts) add(s *bookSlot) {
	switch s.State {
	case "free":
		c.Free++
	case "booked":
		c.Booked++
	default:
		c.Busy++
	}
	if s.Reserved111 {
		c.Reserved111++
	}
}

// bookDay is one day of the book.
type bookDay struct {
	Date      pcnhub.Date
	Today     bool
	URL       string // the day view of this day
	Sessions  []*bookSession
	Cancelled []*bookAppt // the day's cancelled appointments (day view)
	Counts    bookCounts
}

// bookSession is a schedule's slots on one day.
type bookSession struct {
	ScheduleID   int64
	Day          pcnhub.Date
	Practitioner string // "Dr Anna Price", or "" when the session names none
	Role         string // "General Medical Practitioner"
	Location     string
	Name         string // the session name, e.g. "Morning surgery"
	Channels     string // the delivery channels of its slots
	Start, End   time.Time
	Slots        []*bookSlot
}

// FreeCount is how many of the session's slots are free.
func (s *bookSession) FreeCount() int {
	n := 0
	for _, sl := range s.Slots {
		if sl.State == "free" {
			n++
		}
	}
	return n
}

// Anchor is the session's id in the page.
func (s *bookSession) Anchor() string {
	return "session-" + strconv.FormatInt(s.ScheduleID, 10) + "-" + s.Day.String()
}

// bookSlot is a slot as the book shows it.
type bookSlot struct {
	schedule.Slot
	Session     *bookSession
	State       string // free, booked or busy: the slot-* class
	StatusLabel string // the tag: Free, Booked, Unavailable
	TagColour   string // the tag's nhsuk-tag modifier
	Reserved111 bool   // bookable over GP Connect by NHS 111 (urgent care) only
	Access      []string
	Appt        *bookAppt // the live appointment holding it
	Continues   bool      // not the appointment's first slot
	Ended       bool
}

// Day is the slot's date in England.
func (s *bookSlot) Day() pcnhub.Date { return pcnhub.DateOf(s.Start.In(pcnhub.London)) }

// bookAppt is an appointment as the book shows it.
type bookAppt struct {
	schedule.Appointment
	PatientName  string
	NHS          pcnhub.NHSNumber
	BookedBy     string // the booking organisation when not this one
	StatusText   string // "Booked", "Arrived at 10:02", "Attended", …
	StatusColour string
	// What may be done with it now (the handlers check again).
	CanChange, CanCancel, CanArrive, CanAttend, CanDNA bool
}

// Live reports whether the appointment still holds its slots.
func (a *bookAppt) Live() bool { return a.Status != schedule.Cancelled }

// ---- The book page

// bookPage (GET /book?date=YYYY-MM-DD&view=day|week).
func (u *UI) bookPage(w http.ResponseWriter, r *http.Request, pg *Page) {
	q := r.URL.Query()
	date := u.today()
	if v := strings.TrimSpace(q.Get("date")); v != "" {
		d, err := pcnhub.ParseDate(v)
		if err != nil {
			u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "the date %q is not a date: write it as YYYY-MM-DD, for example %s", bookClip(v, 20), u.today()))
			return
		}
		date = d
	}
	view := q.Get("view")
	switch view {
	case "":
		view = "day"
	case "day", "week":
	default:
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "the view %q is not one of day or week", bookClip(view, 20)))
		return
	}
	u.bookShow(w, r, pg, date, view, "", http.StatusOK)
}

// bookShow loads and renders the book at date in view, with an alert
// above it (a change that failed) and the given status. It audits the
// view: the book shows patients' names.
func (u *UI) bookShow(w http.ResponseWriter, r *http.Request, pg *Page, date pcnhub.Date, view, alert string, status int) {
	ctx := r.Context()
	m := pg.P.Membership
	from, days := date, 1
	if view == "week" {
		from, days = bookMonday(date), 7
	}
	to := from.AddDays(days)
	start, end := from.Time(pcnhub.London), to.Time(pcnhub.London)
	slots, err := u.Store.SlotsBetween(ctx, m.OrgID, start, end)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	appts, err := u.Store.AppointmentsBetween(ctx, m.OrgID, start, end)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	// The week is an overview of capacity: it names no patients, so it
	// reads no patient records.
	bd, err := u.bookLoad(ctx, pg, slots, appts, view == "day")
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	today := u.today()
	v := &bookView{OrgName: m.OrgName, OrgODS: m.OrgODS, Date: date, View: view, Week: view == "week", Alert: alert,
		TodayURL: bookURL(today, view, ""), DayURL: bookURL(date, "day", ""), WeekURL: bookURL(date, "week", "")}
	step := 1
	if v.Week {
		step = 7
		v.Unit = "week"
		v.Heading = "Week of " + bookDate(from)
	} else {
		v.Unit = "day"
		v.Heading = bookDate(date)
	}
	v.PrevURL, v.NextURL = bookURL(date.AddDays(-step), view, ""), bookURL(date.AddDays(step), view, "")
	byDate := map[pcnhub.Date]*bookDay{}
	for i := range days {
		d := from.AddDays(i)
		day := &bookDay{Date: d, Today: d == today, URL: bookURL(d, "day", "")}
		v.Days = append(v.Days, day)
		byDate[d] = day
	}
	for _, s := range bd.sessions {
		day := byDate[s.Day]
		if day == nil {
			continue
		}
		day.Sessions = append(day.Sessions, s)
		for _, sl := range s.Slots {
			day.Counts.add(sl)
			v.Counts.add(sl)
		}
	}
	named := 0
	if !v.Week {
		for _, a := range bd.appts {
			if a.Live() {
				named++
			} else if day := byDate[pcnhub.DateOf(a.Start.In(pcnhub.London))]; day != nil {
				day.Cancelled = append(day.Cancelled, a)
				named++
			}
		}
		for _, day := range v.Days {
			slices.SortFunc(day.Cancelled, func(a, b *bookAppt) int { return a.Start.Compare(b.Start) })
		}
	}
	if err := u.bookAudit(ctx, pg, "ui.book.view", "", "date="+date.String()+" view="+view+" appointments="+strconv.Itoa(named), nil); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Data = "Appointment book – "+v.Heading, v
	u.render(w, status, "book.html", pg)
}

// bookMonday is the Monday of d's week.
func bookMonday(d pcnhub.Date) pcnhub.Date {
	wd := int(d.Time(time.UTC).Weekday()) // Sunday is 0
	return d.AddDays(-((wd + 6) % 7))
}

// bookURL is the book at a date and view, with a done message.
func bookURL(d pcnhub.Date, view, done string) string {
	q := url.Values{"date": {d.String()}, "view": {view}}
	if done != "" {
		q.Set("done", done)
	}
	return "/book?" + q.Encode()
}

// bookDate is a date as the book's headings say it.
func bookDate(d pcnhub.Date) string { return d.Time(pcnhub.London).Format("Mon 2 Jan 2006") }

// ---- Loading

// bookData is a part of the book: sessions with their slots, and the
// appointments among them, by id.
type bookData struct {
	sessions []*bookSession
	appts    map[int64]*bookAppt
	slots    map[int64]*bookSlot
}

// bookLoad puts slots and appointments of the user's organisation
// together: each slot with its schedule's practitioner, role, location
// and session name, its live appointment, and (withPatients) the
// appointments' patients. It reads schedules, practitioners, locations
// and patients once each, however many slots there are.
func (u *UI) bookLoad(ctx context.Context, pg *Page, slots []schedule.Slot, appts []schedule.Appointment, withPatients bool) (*bookData, error) {
	m := pg.P.Membership
	now := u.now()
	today := pcnhub.DateOf(now.In(pcnhub.London))
	bd := &bookData{appts: map[int64]*bookAppt{}, slots: map[int64]*bookSlot{}}
	holder := map[int64]*bookAppt{} // slot id → the live appointment holding it
	first := map[int64]int64{}      // appointment id → its first slot
	var patientIDs []int64
	for i := range appts {
		a := &bookAppt{Appointment: appts[i]}
		bd.appts[a.ID] = a
		patientIDs = append(patientIDs, a.PatientID)
		if !a.Live() {
			continue
		}
		for _, id := range a.SlotIDs {
			holder[id] = a
		}
	}

	var scheduleIDs []int64
	for i := range slots {
		scheduleIDs = append(scheduleIDs, slots[i].ScheduleID)
	}
	schedules, err := u.Store.SchedulesByID(ctx, scheduleIDs)
	if err != nil {
		return nil, err
	}
	var practitionerIDs []int64
	for _, sc := range schedules {
		if sc.PractitionerID != 0 && !slices.Contains(practitionerIDs, sc.PractitionerID) {
			practitionerIDs = append(practitionerIDs, sc.PractitionerID)
		}
	}
	slices.Sort(practitionerIDs)
	practitioners, err := u.Store.PractitionersByID(ctx, practitionerIDs)
	if err != nil {
		return nil, err
	}
	locations := map[int64]*pcnhub.Location{}
	if len(schedules) > 0 {
		ls, err := u.Store.ListLocations(ctx, m.OrgID)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			locations[l.ID] = l
		}
		for _, sc := range schedules {
			// A session may be held at another organisation's site.
			if locations[sc.LocationID] == nil {
				l, err := u.Store.LocationByID(ctx, sc.LocationID)
				if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
					return nil, err
				}
				if l == nil {
					l = &pcnhub.Location{ID: sc.LocationID, Name: "Location " + strconv.FormatInt(sc.LocationID, 10)}
				}
				locations[sc.LocationID] = l
			}
		}
	}
	var patients map[int64]*pcnhub.Patient
	if withPatients {
		if patients, err = u.bookPatients(ctx, patientIDs); err != nil {
			return nil, err
		}
	}

	for _, a := range bd.appts {
		if pt := patients[a.PatientID]; pt != nil {
			a.PatientName, a.NHS = bookPersonName(pt.Name), pt.NHSNumber
		} else if withPatients {
			a.PatientName = "Unknown patient"
		}
		if b := a.BookingOrganisation; b.ODS != "" && b.ODS != m.OrgODS {
			a.BookedBy = strings.TrimSpace(b.Name + " (" + string(b.ODS) + ")")
		}
		a.describe(now, today)
		ids := slices.Clone(a.SlotIDs)
		slices.Sort(ids)
		if len(ids) > 0 {
			first[a.ID] = ids[0]
		}
	}

	sessions := map[string]*bookSession{}
	for i := range slots {
		sl := &bookSlot{Slot: slots[i], Ended: !now.Before(slots[i].End)}
		sc := schedules[sl.ScheduleID]
		if sc == nil || sc.OrganisationID != m.OrgID {
			continue
		}
		day := sl.Day()
		key := strconv.FormatInt(sc.ID, 10) + "/" + day.String()
		s := sessions[key]
		if s == nil {
			s = &bookSession{ScheduleID: sc.ID, Day: day, Name: sc.ServiceCategory, Start: sl.Start, End: sl.End,
				Role: sc.PractitionerRoleDisplay, Location: locations[sc.LocationID].Name}
			if s.Role == "" {
				s.Role = schedule.JobRoleDisplays[sc.PractitionerRoleCode]
			}
			if pr := practitioners[sc.PractitionerID]; pr != nil {
				s.Practitioner = bookPersonName(pr.Name)
			}
			sessions[key] = s
			bd.sessions = append(bd.sessions, s)
		}
		if sl.Start.Before(s.Start) {
			s.Start = sl.Start
		}
		if sl.End.After(s.End) {
			s.End = sl.End
		}
		if c := string(sl.DeliveryChannel); !strings.Contains(s.Channels, c) {
			if s.Channels != "" {
				s.Channels += ", "
			}
			s.Channels += c
		}
		sl.Session = s
		sl.Access, sl.Reserved111 = bookAccess(&sl.Slot)
		switch a := holder[sl.ID]; {
		case a != nil:
			sl.State, sl.StatusLabel, sl.TagColour = "booked", "Booked", "nhsuk-tag--blue"
			sl.Appt, sl.Continues = a, first[a.ID] != sl.ID
		case sl.Status == schedule.SlotFree:
			sl.State, sl.StatusLabel, sl.TagColour = "free", "Free", "nhsuk-tag--green"
		case sl.Status == schedule.SlotEnteredInError:
			sl.State, sl.StatusLabel, sl.TagColour = "busy", "Withdrawn", "nhsuk-tag--grey"
		default:
			sl.State, sl.StatusLabel, sl.TagColour = "busy", "Unavailable", "nhsuk-tag--grey"
		}
		s.Slots = append(s.Slots, sl)
		bd.slots[sl.ID] = sl
	}
	for _, s := range bd.sessions {
		slices.SortFunc(s.Slots, func(a, b *bookSlot) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
	}
	slices.SortFunc(bd.sessions, func(a, b *bookSession) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := strings.Compare(a.Practitioner, b.Practitioner); c != 0 {
			return c
		}
		return cmp.Compare(a.ScheduleID, b.ScheduleID)
	})
	return bd, nil
}

// bookPatients reads the patient records with the given ids (repeats
// once), a few at a time; a record that is gone is left out.
func (u *UI) bookPatients(ctx context.Context, ids []int64) (map[int64]*pcnhub.Patient, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[int64]*pcnhub.Patient, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		fault error
	)
	next := make(chan int64)
	for range min(bookPatientLookups, len(ids)) {
		wg.Go(func() {
			for id := range next {
				p, err := u.Store.PatientByID(ctx, id)
				mu.Lock()
				if err == nil {
					out[id] = p
				} else if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND && fault == nil {
					fault = err
				}
				mu.Unlock()
			}
		})
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	return out, fault
}

// describe sets what the book says of the appointment's status and what
// may be done with it at now.
func (a *bookAppt) describe(now time.Time, today pcnhub.Date) {
	day := pcnhub.DateOf(a.Start.In(pcnhub.London))
	onTheDay := !today.Before(day)
	switch a.Status {
	case schedule.Booked:
		a.StatusText, a.StatusColour = "Booked", "nhsuk-tag--blue"
		a.CanArrive, a.CanAttend, a.CanDNA = onTheDay, onTheDay, !now.Before(a.Start)
	case schedule.Arrived:
		a.StatusText, a.StatusColour = "Arrived", "nhsuk-tag--aqua-green"
		if !a.ArrivedAt.IsZero() {
			a.StatusText += " at " + a.ArrivedAt.In(pcnhub.London).Format("15:04")
		}
		a.CanAttend = true
	case schedule.Fulfilled:
		a.StatusText, a.StatusColour = "Attended", "nhsuk-tag--green"
	case schedule.NoShow:
		a.StatusText, a.StatusColour = "Did not attend", "nhsuk-tag--red"
	case schedule.Cancelled:
		a.StatusText, a.StatusColour = "Cancelled", "nhsuk-tag--grey"
		if a.CancelledBy != "" {
			a.StatusText += " by the " + a.CancelledBy
		}
	default:
		a.StatusText, a.StatusColour = string(a.Status), "nhsuk-tag--grey"
	}
	if (a.Status == schedule.Fulfilled || a.Status == schedule.NoShow) && !a.OutcomeAt.IsZero() {
		a.StatusText += " (recorded " + a.OutcomeAt.In(pcnhub.London).Format("2 Jan 15:04") + ")"
	}
	a.CanChange = a.Status != schedule.Cancelled
	a.CanCancel = (a.Status == schedule.Booked || a.Status == schedule.Arrived) && now.Before(a.End)
}

// bookAccess says who may book a slot over GP Connect, and whether it is
// kept for NHS 111.
func bookAccess(s *schedule.Slot) (notes []string, reserved111 bool) {
	if s.DeliveryChannel == schedule.Visit {
		return []string{"Home visit: never bookable over GP Connect"}, false
	}
	if !s.Bookable {
		return []string{"Not bookable over GP Connect"}, false
	}
	var types []string
	for _, t := range s.OrgTypes {
		switch t {
		case pcnhub.OrgUrgentCare:
			reserved111 = true
			types = append(types, "111")
		case pcnhub.OrgGPPractice:
			types = append(types, "GP practices")
		case pcnhub.OrgPCNHub:
			types = append(types, "hubs")
		default:
			types = append(types, string(t))
		}
	}
	switch {
	case len(types) > 0 && len(s.ODSCodes) > 0:
		notes = append(notes, bookJoin(types)+" only, and only "+bookCodes(s.ODSCodes))
	case len(types) > 0:
		notes = append(notes, bookJoin(types)+" only")
	case len(s.ODSCodes) > 0:
		notes = append(notes, "Only "+bookCodes(s.ODSCodes))
	default:
		notes = append(notes, "Bookable over GP Connect")
	}
	if s.BookingWindow > 0 {
		notes = append(notes, "up to "+bookDuration(s.BookingWindow)+" ahead")
	}
	if s.Embargo > 0 {
		notes = append(notes, "embargo: not in the last "+bookDuration(s.Embargo)+" before it starts")
	}
	return notes, reserved111
}

func bookJoin(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func bookCodes(codes []pcnhub.ODSCode) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// bookDuration writes a booking window or embargo as people say it.
func bookDuration(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	switch {
	case d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour")
	default:
		return unit(int64(d.Round(time.Minute)/time.Minute), "minute")
	}
}

// bookPersonName is a name as the book shows it: "Mrs Jane Smith".
func bookPersonName(n pcnhub.HumanName) string {
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

// ---- The action pages

// bookActionView is a form page of the book (or its htmx panel).
type bookActionView struct {
	Kind     string // book, amend, cancel or outcome
	Heading  string
	Inline   bool // an htmx panel inside the book
	View     string
	Back     string // the book at the slot's date
	Action   string // where the form posts
	Slot     *bookSlot
	Appt     *bookAppt
	Form     *Form
	Conflict string // someone else's change, shown above the form
	Closed   string // why the form is not offered
	Warn111  bool   // booking a slot kept for NHS 111
}

// bookID is the path's {id}; a malformed one is as unknown as a missing one.
func bookID(r *http.Request, what string, org pcnhub.ODSCode) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, pcnhub.Errorf(pcnhub.ENOTFOUND, "%s has no %s %q", org, what, bookClip(r.PathValue("id"), 20))
	}
	return id, nil
}

// bookFormView is the view a form came from ("day" unless "week").
func bookFormView(r *http.Request) string {
	v := r.FormValue("view")
	if v == "week" {
		return v
	}
	return "day"
}

// bookLoadSlot loads a slot of the user's organisation with its session and
// the live appointment holding it (ENOTFOUND for another's).
func (u *UI) bookLoadSlot(ctx context.Context, pg *Page, id int64) (*bookSlot, error) {
	m := pg.P.Membership
	missing := pcnhub.Errorf(pcnhub.ENOTFOUND, "there is no slot %d in the book of %s", id, m.OrgName)
	slots, err := u.Store.SlotsByID(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(slots) == 0 {
		return nil, missing
	}
	sl := slots[0]
	dayStart := pcnhub.DateOf(sl.Start.In(pcnhub.London)).Time(pcnhub.London)
	appts, err := u.Store.AppointmentsBetween(ctx, m.OrgID, dayStart, sl.End)
	if err != nil {
		return nil, err
	}
	appts = slices.DeleteFunc(appts, func(a schedule.Appointment) bool {
		return a.Status == schedule.Cancelled || !slices.Contains(a.SlotIDs, id)
	})
	bd, err := u.bookLoad(ctx, pg, slots, appts, true)
	if err != nil {
		return nil, err
	}
	s := bd.slots[id]
	if s == nil { // its schedule is another organisation's
		return nil, missing
	}
	return s, nil
}

// bookLoadAppointment loads an appointment of the user's organisation (ENOTFOUND
// for another's), with its patient and its first slot.
func (u *UI) bookLoadAppointment(ctx context.Context, pg *Page, id int64) (*bookAppt, *bookSlot, error) {
	m := pg.P.Membership
	a, err := u.Store.AppointmentByID(ctx, id)
	if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND || (err == nil && a.OrganisationID != m.OrgID) {
		return nil, nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "%s has no appointment %d", m.OrgName, id)
	} else if err != nil {
		return nil, nil, err
	}
	slots, err := u.Store.SlotsByID(ctx, a.SlotIDs)
	if err != nil {
		return nil, nil, err
	}
	bd, err := u.bookLoad(ctx, pg, slots, []schedule.Appointment{*a}, true)
	if err != nil {
		return nil, nil, err
	}
	ba := bd.appts[a.ID]
	var first *bookSlot
	for _, s := range bd.slots {
		if first == nil || s.Start.Before(first.Start) {
			first = s
		}
	}
	if first == nil {
		return nil, nil, pcnhub.Errorf(pcnhub.EINTERNAL, "appointment %d has no slots in the book", a.ID)
	}
	return ba, first, nil
}

// bookShowAction renders a form page, or only its panel for htmx.
func (u *UI) bookShowAction(w http.ResponseWriter, r *http.Request, pg *Page, v *bookActionView, status int) {
	v.Back = bookURL(v.Slot.Day(), v.View, "")
	pg.Title, pg.Data = v.Heading, v
	if r.Method == http.MethodGet && r.Header.Get("HX-Request") == "true" {
		// Inside the book, which already shows (and audited) the patient.
		v.Inline = true
		u.renderBlock(w, http.StatusOK, "book-action.html", "book-panel", pg)
		return
	}
	if r.Method == http.MethodGet && v.Appt != nil {
		// The page shows the patient; a POST is audited as the change.
		if err := u.bookAudit(r.Context(), pg, "ui.appointment.view", v.Appt.NHS, "appointment "+strconv.FormatInt(v.Appt.ID, 10)+": "+v.Kind+" form", nil); err != nil {
			u.fail(w, r, pg, err)
			return
		}
	}
	u.render(w, status, "book-action.html", pg)
}

// bookNew (GET, POST /book/slots/{id}/book: nhs, description, comment,
// view) books a free slot of the user's organisation for one of its
// registered patients.
func (u *UI) bookNew(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	m := pg.P.Membership
	id, err := bookID(r, "slot", m.OrgODS)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	sl, err := u.bookLoadSlot(ctx, pg, id)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	view := bookFormView(r)
	v := &bookActionView{Kind: "book", View: view, Slot: sl, Warn111: sl.Reserved111,
		Heading: "Book the " + sl.Start.In(pcnhub.London).Format("15:04") + " slot", Action: "/book/slots/" + strconv.FormatInt(id, 10) + "/book"}
	if sl.State != "free" {
		if r.Method == http.MethodGet && r.Header.Get("HX-Request") == "true" {
			v.Closed = "That slot is no longer available: someone else booked it. Reload the book to see it as it is now."
			u.bookShowAction(w, r, pg, v, http.StatusOK)
			return
		}
		if r.Method == http.MethodPost {
			u.bookAudit(ctx, pg, "ui.appointment.book", "", "slot "+strconv.FormatInt(id, 10)+" is not free", pcnhub.Errorf(pcnhub.ECONFLICT, "slot taken"))
		}
		u.bookShow(w, r, pg, sl.Day(), view, bookTakenMessage, http.StatusConflict)
		return
	}
	if sl.Ended {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "the slot at %s on %s has ended; it can no longer be booked",
			sl.Start.In(pcnhub.London).Format("15:04"), bookDate(sl.Day())))
		return
	}
	if r.Method == http.MethodGet {
		v.Form = NewForm(nil)
		u.bookShowAction(w, r, pg, v, http.StatusOK)
		return
	}

	f := bookPostForm(r)
	v.Form = f
	var pt *pcnhub.Patient
	if raw := f.Get("nhs"); raw == "" {
		f.Fail("nhs", "Enter the patient's NHS number")
	} else if nhs, err := pcnhub.ParseNHSNumber(raw); err != nil {
		f.Fail("nhs", bookNHSProblem(raw))
	} else {
		pt, err = u.Store.PatientByNHSNumber(ctx, m.OrgID, nhs)
		switch {
		case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
			f.Fail("nhs", "No patient with NHS number "+nhs.Formatted()+" is registered at "+m.OrgName+
				". Use Find a patient to register them temporarily or book across practices.")
		case err != nil:
			u.fail(w, r, pg, err)
			return
		default:
			if msg := bookUnbookable(pt, m.OrgName); msg != "" {
				f.Fail("nhs", msg)
			}
		}
	}
	description, comment := f.AppointmentText("", "Enter a description of the appointment")
	if !f.OK() {
		u.bookShowAction(w, r, pg, v, http.StatusUnprocessableEntity)
		return
	}
	org, err := u.Store.OrganisationByODS(ctx, m.OrgODS)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	sc, err := u.Store.ScheduleByID(ctx, sl.ScheduleID)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	// As the GP Connect provider builds one: the schedule's organisation,
	// location, practitioner and role; the slot's times, type and channel;
	// this organisation as the booking one.
	a := &schedule.Appointment{PatientID: pt.ID, Status: schedule.Booked, Description: description, Comment: comment,
		Created: u.now(), BookedVia: schedule.BookedViaPractice,
		BookingOrganisation: schedule.BookingOrganisation{ODS: org.ODS, Name: org.Name, Telecom: org.Telecom, Type: org.Type}}
	a.SetSlots(sc, []schedule.Slot{sl.Slot})
	err = u.Store.BookAppointment(ctx, a)
	detail := "slot " + strconv.FormatInt(id, 10) + " at " + sl.Start.In(pcnhub.London).Format("2006-01-02 15:04")
	if err != nil {
		u.bookAudit(ctx, pg, "ui.appointment.book", pt.NHSNumber, detail, err)
		if pcnhub.ErrorCode(err) == pcnhub.ECONFLICT {
			u.bookShow(w, r, pg, sl.Day(), view, bookTakenMessage, http.StatusConflict)
			return
		}
		u.fail(w, r, pg, err)
		return
	}
	u.bookAudit(ctx, pg, "ui.appointment.book", pt.NHSNumber, "appointment "+strconv.FormatInt(a.ID, 10)+": "+detail, nil)
	redirect(w, r, bookURL(sl.Day(), view, "Appointment booked for "+bookPersonName(pt.Name)+" at "+
		sl.Start.In(pcnhub.London).Format("15:04")+" on "+bookDate(sl.Day())+"."))
}

// bookNHSProblem says what is wrong with an NHS number that does not parse.
func bookNHSProblem(raw string) string {
	digits := 0
	for _, c := range raw {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '-':
		default:
			return "An NHS number has only digits, like 999 123 4567"
		}
	}
	if digits != 10 {
		return "Enter a 10-digit NHS number, like 999 123 4567"
	}
	return "Check the NHS number: " + raw + " is not a valid NHS number (its last digit does not match the others)"
}

// bookUnbookable says why a patient record of the organisation cannot be
// booked ("" when it can).
func bookUnbookable(pt *pcnhub.Patient, orgName string) string {
	n := pt.NHSNumber.Formatted()
	switch {
	case pt.MergedInto != "":
		return "The record with NHS number " + n + " was merged into " + pt.MergedInto.Formatted() + ": book with that number."
	case pt.SupersededBy != "":
		return "NHS number " + n + " was replaced by " + pt.SupersededBy.Formatted() + ": book with that number."
	case pt.Deceased():
		return "The patient with NHS number " + n + " is recorded as deceased."
	case pt.Registration.Status != pcnhub.RegActive:
		return "The patient with NHS number " + n + " is no longer registered at " + orgName +
			". Use Find a patient to register them temporarily or book across practices."
	}
	return ""
}

// bookPostForm is the submitted form (the CSRF token may have come in a
// header, so the body may not be parsed yet).
func bookPostForm(r *http.Request) *Form {
	r.ParseForm()
	return NewForm(r.PostForm)
}

// bookVersion is the version a change form was drawn from (0 when it is
// missing, which no stored appointment has, so the change is refused as
// someone else's).
func bookVersion(f *Form) int64 {
	v, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	return v
}

// bookChangeTarget loads the appointment a change form names.
func (u *UI) bookChangeTarget(w http.ResponseWriter, r *http.Request, pg *Page, kind, heading string) (*bookActionView, bool) {
	m := pg.P.Membership
	id, err := bookID(r, "appointment", m.OrgODS)
	if err != nil {
		u.fail(w, r, pg, err)
		return nil, false
	}
	a, sl, err := u.bookLoadAppointment(r.Context(), pg, id)
	if err != nil {
		u.fail(w, r, pg, err)
		return nil, false
	}
	return &bookActionView{Kind: kind, Heading: heading, View: bookFormView(r), Slot: sl, Appt: a,
		Action: "/book/appointments/" + strconv.FormatInt(id, 10) + "/" + kind}, true
}

// bookConflict shows a change form again with the appointment as it now
// stands, after someone else's change (409).
func (u *UI) bookConflict(w http.ResponseWriter, r *http.Request, pg *Page, v *bookActionView, values map[string]string) {
	fresh, sl, err := u.bookLoadAppointment(r.Context(), pg, v.Appt.ID)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	v.Appt, v.Slot, v.Conflict = fresh, sl, bookChangedMessage
	v.Form = NewForm(url.Values{"version": {strconv.FormatInt(fresh.Version, 10)}})
	for k, val := range values {
		v.Form.Values.Set(k, val)
	}
	u.bookClosedFor(v)
	u.bookShowAction(w, r, pg, v, http.StatusConflict)
}

// bookClosedFor sets why v's form is not offered for the appointment as it
// stands ("" when it is).
func (u *UI) bookClosedFor(v *bookActionView) {
	a := v.Appt
	switch {
	case a.Status == schedule.Cancelled:
		v.Closed = "This appointment has been cancelled; it can no longer change. Book a new one if needed."
	case v.Kind == "cancel" && !a.CanCancel:
		if a.Status == schedule.Fulfilled || a.Status == schedule.NoShow {
			v.Closed = "This appointment has an outcome recorded (" + strings.ToLower(a.StatusText) + "); it can no longer be cancelled."
		} else {
			v.Closed = "This appointment has ended; it can no longer be cancelled. Record did not attend instead."
		}
	default:
		v.Closed = ""
	}
}

// bookAmend (GET, POST /book/appointments/{id}/amend: description,
// comment, version, view) changes an appointment's description and
// comment, as GP Connect's amend does.
func (u *UI) bookAmend(w http.ResponseWriter, r *http.Request, pg *Page) {
	v, ok := u.bookChangeTarget(w, r, pg, "amend", "Change the appointment")
	if !ok {
		return
	}
	a := v.Appt
	if r.Method == http.MethodGet {
		v.Form = NewForm(url.Values{"description": {a.Description}, "comment": {a.Comment}, "version": {strconv.FormatInt(a.Version, 10)}})
		u.bookClosedFor(v)
		u.bookShowAction(w, r, pg, v, http.StatusOK)
		return
	}
	f := bookPostForm(r)
	v.Form = f
	if bookVersion(f) != a.Version {
		u.bookConflict(w, r, pg, v, map[string]string{"description": f.Get("description"), "comment": f.Get("comment")})
		return
	}
	if u.bookClosedFor(v); v.Closed != "" {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "%s", v.Closed))
		return
	}
	description, comment := f.AppointmentText("", "Enter a description of the appointment")
	if !f.OK() {
		u.bookShowAction(w, r, pg, v, http.StatusUnprocessableEntity)
		return
	}
	changed := a.Appointment
	changed.Description, changed.Comment = description, comment
	err := u.Store.UpdateAppointment(r.Context(), &changed, a.Version)
	u.bookAudit(r.Context(), pg, "ui.appointment.amend", a.NHS, "appointment "+strconv.FormatInt(a.ID, 10), err)
	if pcnhub.ErrorCode(err) == pcnhub.ECONFLICT {
		u.bookConflict(w, r, pg, v, map[string]string{"description": description, "comment": comment})
		return
	} else if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	redirect(w, r, bookURL(v.Slot.Day(), v.View, "Appointment changed for "+a.PatientName+" at "+a.Start.In(pcnhub.London).Format("15:04")+"."))
}

// bookCancel (GET, POST /book/appointments/{id}/cancel: reason, version,
// view) cancels an appointment and frees its slots, as GP Connect's
// cancel does.
func (u *UI) bookCancel(w http.ResponseWriter, r *http.Request, pg *Page) {
	v, ok := u.bookChangeTarget(w, r, pg, "cancel", "Cancel the appointment")
	if !ok {
		return
	}
	a := v.Appt
	if r.Method == http.MethodGet {
		v.Form = NewForm(url.Values{"version": {strconv.FormatInt(a.Version, 10)}})
		u.bookClosedFor(v)
		u.bookShowAction(w, r, pg, v, http.StatusOK)
		return
	}
	f := bookPostForm(r)
	v.Form = f
	if bookVersion(f) != a.Version {
		u.bookConflict(w, r, pg, v, map[string]string{"reason": f.Get("reason")})
		return
	}
	if u.bookClosedFor(v); v.Closed != "" {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "%s", v.Closed))
		return
	}
	reason := f.CancelReason("", "Enter why the appointment is cancelled")
	if !f.OK() {
		u.bookShowAction(w, r, pg, v, http.StatusUnprocessableEntity)
		return
	}
	changed := a.Appointment
	changed.Status, changed.CancellationReason = schedule.Cancelled, reason
	err := u.Store.UpdateAppointment(r.Context(), &changed, a.Version)
	u.bookAudit(r.Context(), pg, "ui.appointment.cancel", a.NHS, "appointment "+strconv.FormatInt(a.ID, 10), err)
	if pcnhub.ErrorCode(err) == pcnhub.ECONFLICT {
		u.bookConflict(w, r, pg, v, map[string]string{"reason": reason})
		return
	} else if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	redirect(w, r, bookURL(v.Slot.Day(), v.View, "Appointment cancelled for "+a.PatientName+" at "+
		a.Start.In(pcnhub.London).Format("15:04")+"; the slot is free again."))
}

// bookOutcomes are the outcomes the book records (cancellations go
// through the cancel form).
var bookOutcomes = []struct {
	Value schedule.Outcome
	Label string
	Done  string
}{
	{schedule.OutcomeArrived, "Arrived", "Arrival recorded"},
	{schedule.OutcomeAttended, "Attended", "Attendance recorded"},
	{schedule.OutcomeDidNotAttend, "Did not attend", "Did not attend recorded"},
}

// bookOutcome (GET, POST /book/appointments/{id}/outcome: outcome,
// version, view) records an arrival, an attendance or a missed
// appointment, as the API's outcome does.
func (u *UI) bookOutcome(w http.ResponseWriter, r *http.Request, pg *Page) {
	v, ok := u.bookChangeTarget(w, r, pg, "outcome", "Record what happened")
	if !ok {
		return
	}
	a := v.Appt
	if r.Method == http.MethodGet {
		v.Form = NewForm(url.Values{"version": {strconv.FormatInt(a.Version, 10)}})
		u.bookClosedFor(v)
		u.bookShowAction(w, r, pg, v, http.StatusOK)
		return
	}
	f := bookPostForm(r)
	v.Form = f
	if bookVersion(f) != a.Version {
		u.bookConflict(w, r, pg, v, map[string]string{"outcome": f.Get("outcome")})
		return
	}
	var o schedule.Outcome
	done := ""
	if raw := f.Get("outcome"); raw == "" {
		f.Fail("outcome", "Choose what happened")
	} else if parsed, err := schedule.ParseOutcome(raw); err != nil {
		f.Fail("outcome", "Choose arrived, attended or did not attend")
	} else {
		for _, c := range bookOutcomes {
			if c.Value == parsed {
				o, done = parsed, c.Done
			}
		}
		if o == "" {
			f.Fail("outcome", "Cancel the appointment with its cancel form")
		}
	}
	changed := a.Appointment
	if f.OK() {
		now := u.now()
		if err := changed.RecordOutcome(o, now, now); err != nil {
			if pcnhub.ErrorCode(err) != pcnhub.EINVALID {
				u.fail(w, r, pg, err)
				return
			}
			f.Fail("outcome", upperFirst(pcnhub.ErrorMessage(err)))
		}
	}
	if !f.OK() {
		u.bookClosedFor(v)
		u.bookShowAction(w, r, pg, v, http.StatusUnprocessableEntity)
		return
	}
	err := u.Store.UpdateAppointment(r.Context(), &changed, a.Version)
	u.bookAudit(r.Context(), pg, "appointment.outcome", a.NHS, "appointment "+strconv.FormatInt(a.ID, 10)+": "+string(o), err)
	if pcnhub.ErrorCode(err) == pcnhub.ECONFLICT {
		u.bookConflict(w, r, pg, v, map[string]string{"outcome": string(o)})
		return
	} else if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	redirect(w, r, bookURL(v.Slot.Day(), v.View, done+" for "+a.PatientName+" ("+a.Start.In(pcnhub.London).Format("15:04")+")."))
}

// bookAudit records a view of or change to the book: who, at which
// organisation, about which patient (nhs, when one), and how it ended.
// A failure to record is logged and returned.
func (u *UI) bookAudit(ctx context.Context, pg *Page, action string, nhs pcnhub.NHSNumber, detail string, err error) error {
	outcome := "ok"
	if err != nil {
		outcome = pcnhub.ErrorCode(err)
	}
	trace := ""
	if rq, ok := pcnhub.RequesterFrom(ctx); ok {
		trace = rq.TraceID
	}
	m := pg.P.Membership
	e := &pcnhub.AuditEvent{At: u.now(), TraceID: trace, Action: action, Actor: pg.P.User.Username, OrgODS: m.OrgODS,
		RequesterODS: m.OrgODS, Practitioner: pg.P.User.SDSUserID, Device: "pcnhub", NHSNumber: nhs, Outcome: outcome, Detail: detail}
	if aerr := u.Store.AppendAudit(context.WithoutCancel(ctx), e); aerr != nil {
		u.Log.Error("book audit failed", "action", action, "err", aerr)
		return aerr
	}
	return nil
}

// bookClip shortens what a user typed for a message.
func bookClip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
