package web

// Book across practices: GET /search searches the free slots of every
// practice of an organisation group at once over GP Connect
// (Hub.SearchSlots) and lists them merged in start order; each slot's
// Book button opens a confirmation form (GET /search/book) that books it
// (POST /search/book, Hub.Book), registering the patient temporarily at a
// practice that does not hold them. The results load in place with htmx
// (the same URL: an htmx request gets the search area alone, which it
// swaps), and the form works as a plain GET without JavaScript. The
// routes are mounted by routesPatients (patients.go).

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/staff"
)

const (
	// searchDefaultLimit is how many slots a search shows at first;
	// "Show more" adds as many again, up to searchMaxLimit.
	searchDefaultLimit = 200
	searchMaxLimit     = 2000
)

// searchChannels are the delivery channels a search can ask for
// (GPConnect-DeliveryChannel-1; home visits are never bookable).
var searchChannels = []string{string(schedule.InPerson), string(schedule.Telephone), string(schedule.Video)}

// searchFilters are the query parameters of a search, carried from the
// results to the booking form and back (to search again after a
// conflict).
var searchFilters = []string{"from", "to", "group", "practice", "channel", "type", "role", "limit"}

// searchView is the book-across-practices page.
type searchView struct {
	Form      *Form
	Groups    []*pcnhub.OrganisationGroup
	Group     string
	Practices []searchPractice // the group's hosted members, to tick
	Channels  []string
	Roles     []searchRole
	Patient   *patPerson // the patient being booked for, when named
	MinDate   string     // today, for the date inputs' min

	Ran      bool // a search was made
	Result   *hub.SearchResult
	Rows     []searchRow
	Types    []string // the slot types seen, for the slot type's suggestions
	MoreURL  string   // the same search showing more slots
	Conflict bool     // a booking failed because its slot was taken
	CanBook  bool
}

type searchPractice struct {
	ODS     pcnhub.ODSCode
	Name    string
	Checked bool
}

type searchRole struct{ Code, Display string }

// searchRow is one slot of the results.
type searchRow struct {
	hub.FoundSlot
	StartRFC3339 string
	BookURL      string
}

// searchPrepare builds the page from the query's values; when submitted
// it validates them and returns the search to run (nil when a field is
// wrong: the form says which). Unsubmitted, the form gets its defaults:
// from today for seven days, the user's default group.
func (u *UI) searchPrepare(ctx context.Context, pg *Page, vals url.Values, submitted bool) (*searchView, *hub.SlotSearch, error) {
	groups, err := u.patGroupsFor(ctx, pg.P.Membership.OrgODS)
	if err != nil {
		return nil, nil, err
	}
	// Only the filters: a booking form's other fields are not the search's.
	own := url.Values{}
	for _, k := range append(slices.Clone(searchFilters), "nhs") {
		if vs, ok := vals[k]; ok {
			own[k] = slices.Clone(vs)
		}
	}
	f := NewForm(own)
	today := u.today()
	v := &searchView{Form: f, Groups: groups.All, Channels: searchChannels, MinDate: today.String(),
		CanBook: pg.P.Can(staff.BookAppointments)}
	for code, display := range schedule.JobRoleDisplays {
		v.Roles = append(v.Roles, searchRole{code, display})
	}
	slices.SortFunc(v.Roles, func(a, b searchRole) int { return strings.Compare(a.Display, b.Display) })

	// The organisation group, and its hosted members to tick.
	v.Group = f.Get("group")
	if v.Group == "" {
		v.Group = groups.Default
		f.Values.Set("group", v.Group)
	}
	g := groups.byName(v.Group)
	if g == nil {
		f.Fail("group", "Choose an organisation group from the list")
	}
	v.Practices = searchPracticesOf(groups, g, f.Values["practice"])
	var ticked []pcnhub.ODSCode
	for _, p := range v.Practices {
		if p.Checked {
			ticked = append(ticked, p.ODS)
		}
	}
	// Practices ticked for another group (the group changed without
	// JavaScript) are dropped: the form shows only this group's.
	f.Values.Del("practice")
	for _, ods := range ticked {
		f.Values.Add("practice", string(ods))
	}

	// The patient, when named: optional to search, needed to book.
	if s := f.Get("nhs"); s != "" {
		nhs, msg := patParseNHS(s)
		if msg != "" {
			f.Fail("nhs", msg)
		} else {
			f.Values.Set("nhs", string(nhs))
			person, err := u.searchPatient(ctx, pg, nhs, "book across practices")
			switch {
			case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
				f.Fail("nhs", "No patient with this NHS number is on the demographic register: check it with the patient")
			case err != nil:
				return nil, nil, err
			default:
				v.Patient = person
			}
		}
	}

	if !submitted {
		if f.Get("from") == "" {
			f.Values.Set("from", today.String())
		}
		if f.Get("to") == "" {
			if from, err := pcnhub.ParseDate(f.Get("from")); err == nil {
				f.Values.Set("to", from.AddDays(6).String())
			}
		}
		return v, nil, nil
	}

	q := hub.SlotSearch{}
	from, to := f.Get("from"), f.Get("to")
	switch d, err := pcnhub.ParseDate(from); {
	case from == "":
		f.Fail("from", "Enter the first day to search")
	case err != nil:
		f.Fail("from", "The from date must be a real date")
	case d.Before(today):
		f.Fail("from", "The from date must be today or later")
	default:
		q.From = d
	}
	if to == "" && !q.From.IsZero() {
		to = q.From.AddDays(6).String()
		f.Values.Set("to", to)
	}
	switch d, err := pcnhub.ParseDate(to); {
	case to == "":
		f.Fail("to", "Enter the last day to search")
	case err != nil:
		f.Fail("to", "The to date must be a real date")
	case q.From.IsZero():
	case d.Before(q.From):
		f.Fail("to", "The to date must be the same as or after the from date")
	case q.From.AddDays(hub.MaxSearchDays - 1).Before(d):
		f.Fail("to", fmt.Sprintf("A search covers at most %d days: the to date must be on or before %s",
			hub.MaxSearchDays, q.From.AddDays(hub.MaxSearchDays-1).Time(pcnhub.London).Format("2 January 2006")))
	default:
		q.To = d
	}
	if c := f.Get("channel"); c != "" && !slices.Contains(searchChannels, c) {
		f.Fail("channel", "Choose a delivery channel from the list")
	}
	if utf8.RuneCountInString(f.Get("type")) > 100 {
		f.Fail("type", "The slot type must be 100 characters or fewer")
	}
	if r := f.Get("role"); r != "" {
		if _, ok := schedule.JobRoleDisplays[r]; !ok {
			f.Fail("role", "Choose a clinician role from the list")
		}
	}
	// How many slots to show: only "Show more" sets it; anything out of
	// range is the default.
	q.Limit = searchDefaultLimit
	if n, err := strconv.Atoi(f.Get("limit")); err == nil && n >= 1 && n <= searchMaxLimit {
		q.Limit = n
	} else {
		f.Values.Del("limit")
	}
	if !f.OK() {
		return v, nil, nil
	}
	q.Channel, q.SlotType, q.Role = f.Get("channel"), f.Get("type"), f.Get("role")
	if len(ticked) > 0 {
		q.Practices = ticked
	} else {
		q.Group = g.Name
	}
	return v, &q, nil
}

// searchPracticesOf are a group's hosted members as checkboxes, ticked
// when in ticked.
func searchPracticesOf(groups *patGroups, g *pcnhub.OrganisationGroup, ticked []string) []searchPractice {
	if g == nil {
		return nil
	}
	var out []searchPractice
	for _, m := range g.Members {
		o := groups.Orgs[m]
		if o == nil || !o.Hosted {
			continue
		}
		out = append(out, searchPractice{ODS: m, Name: o.Name, Checked: slices.Contains(ticked, string(m))})
	}
	return out
}

// searchPatient looks a patient up on the register to name them on the
// booking pages; the look-up is audited with their NHS number.
func (u *UI) searchPatient(ctx context.Context, pg *Page, nhs pcnhub.NHSNumber, why string) (*patPerson, error) {
	p, err := u.patRegister().Retrieve(ctx, nhs)
	outcome := "ok"
	if err != nil {
		outcome = pcnhub.ErrorCode(err)
	}
	if aerr := u.patAudit(ctx, pg, "ui.patient.lookup", nhs, outcome, why); aerr != nil {
		return nil, aerr
	}
	if err != nil {
		return nil, err
	}
	v := u.patPersonOf(ctx, p, map[pcnhub.ODSCode]string{})
	return &v, nil
}

// searchRun runs a prepared search into the view. A search the hub finds
// invalid (a group with no members) is a message on the group field.
func (u *UI) searchRun(ctx context.Context, pg *Page, v *searchView, q *hub.SlotSearch) error {
	if u.Hub == nil {
		return errNoHub
	}
	res, err := u.Hub.SearchSlots(ctx, pg.P, *q)
	if err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.EINVALID {
			v.Form.Fail("group", upperFirst(pcnhub.ErrorMessage(err)))
			return nil
		}
		return err
	}
	v.Ran, v.Result = true, res
	filters := searchFilterValues(v.Form.Values)
	types := map[string]bool{}
	for _, s := range res.Slots {
		link := searchSlotValues(&s)
		for k, vs := range filters {
			link[k] = vs
		}
		v.Rows = append(v.Rows, searchRow{FoundSlot: s, StartRFC3339: s.Start.In(pcnhub.London).Format(time.RFC3339),
			BookURL: "/search/book?" + link.Encode()})
		if s.SlotType != "" {
			types[s.SlotType] = true
		}
	}
	for t := range types {
		v.Types = append(v.Types, t)
	}
	slices.Sort(v.Types)
	if res.Total > len(res.Slots) && q.Limit < searchMaxLimit {
		more := searchFilterValues(v.Form.Values)
		more.Set("limit", strconv.Itoa(min(searchMaxLimit, q.Limit+searchDefaultLimit)))
		v.MoreURL = "/search?" + more.Encode()
	}
	return nil
}

// searchFilterValues are the search's filters and patient from a form's
// values, to put in a link.
func searchFilterValues(vals url.Values) url.Values {
	out := url.Values{}
	for _, k := range append(slices.Clone(searchFilters), "nhs") {
		for _, v := range vals[k] {
			if v = strings.TrimSpace(v); v != "" {
				out.Add(k, v)
			}
		}
	}
	return out
}

// searchSlotValues are the fields of a found slot that its booking needs
// (ids and times) and shows (the rest).
func searchSlotValues(s *hub.FoundSlot) url.Values {
	return url.Values{
		"slot-practice": {string(s.Practice)}, "slot-id": {s.SlotID},
		"slot-start": {s.Start.UTC().Format(time.RFC3339)}, "slot-end": {s.End.UTC().Format(time.RFC3339)},
		"slot-location": {s.LocationID}, "slot-practitioner": {s.PractitionerID},
		"slot-type": {s.SlotType}, "slot-session": {s.SessionName}, "slot-clinician": {s.Practitioner},
		"slot-role": {s.Role}, "slot-channel": {s.Channel}, "slot-where": {s.Location},
	}
}

// searchSlotFrom reads a slot back from a booking form's fields; the
// practice's name comes from the directory, not the form.
func (u *UI) searchSlotFrom(ctx context.Context, vals url.Values) (*hub.FoundSlot, error) {
	bad := pcnhub.Errorf(pcnhub.EINVALID, "this booking form is incomplete: search again and choose the slot")
	ods, err := pcnhub.ParseODSCode(vals.Get("slot-practice"))
	if err != nil {
		return nil, bad
	}
	s := &hub.FoundSlot{Practice: ods, SlotID: vals.Get("slot-id"), LocationID: vals.Get("slot-location"),
		PractitionerID: vals.Get("slot-practitioner"), SlotType: vals.Get("slot-type"), SessionName: vals.Get("slot-session"),
		Practitioner: vals.Get("slot-clinician"), Role: vals.Get("slot-role"), Channel: vals.Get("slot-channel"),
		Location: vals.Get("slot-where")}
	if s.Start, err = time.Parse(time.RFC3339, vals.Get("slot-start")); err != nil {
		return nil, bad
	}
	if s.End, err = time.Parse(time.RFC3339, vals.Get("slot-end")); err != nil || !s.End.After(s.Start) {
		return nil, bad
	}
	if s.SlotID == "" || s.LocationID == "" {
		return nil, bad
	}
	s.PracticeName = cmp.Or(u.patOrgName(ctx, ods, map[pcnhub.ODSCode]string{}), string(ods))
	return s, nil
}

// searchIsHTMX reports whether the request is htmx asking for the search
// area alone: the form or its "show more" link, not a boosted link nor
// htmx restoring a page it no longer holds (those want the whole page).
func searchIsHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" &&
		r.Header.Get("HX-Boosted") != "true"
}

// searchPage (GET /search: from, to, group, practice…, channel, type,
// role, nhs, limit). The search runs once the form is submitted (from
// is in the query); before that the form shows its defaults.
func (u *UI) searchPage(w http.ResponseWriter, r *http.Request, pg *Page) {
	w.Header().Set("Vary", "HX-Request")
	q := r.URL.Query()
	v, s, err := u.searchPrepare(r.Context(), pg, q, q.Has("from"))
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	if s != nil {
		if err := u.searchRun(r.Context(), pg, v, s); err != nil {
			u.fail(w, r, pg, err)
			return
		}
	}
	pg.Title, pg.Data = "Book across practices", v
	if searchIsHTMX(r) {
		// htmx swaps only 2xx answers: the form's messages come with 200.
		u.renderBlock(w, http.StatusOK, "search.html", "search-area", pg)
		return
	}
	status := http.StatusOK
	if !v.Form.OK() {
		status = http.StatusUnprocessableEntity
	}
	u.render(w, status, "search.html", pg)
}

// searchPracticeChoices (GET /search/practices?group=) is the practice
// checkboxes of a group, for htmx when the group changes.
func (u *UI) searchPracticeChoices(w http.ResponseWriter, r *http.Request, pg *Page) {
	groups, err := u.patGroupsFor(r.Context(), pg.P.Membership.OrgODS)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	name := r.URL.Query().Get("group")
	pg.Data = &searchView{Group: name, Practices: searchPracticesOf(groups, groups.byName(name), nil)}
	u.renderBlock(w, http.StatusOK, "search.html", "practice-choices", pg)
}

// ---- Booking a slot

// searchBookView is the booking confirmation form.
type searchBookView struct {
	Form    *Form
	Slot    *hub.FoundSlot
	Patient *patPerson
	Hidden  []searchHidden // the slot and the search, carried through
	BackURL string         // the search again
	// Refused is a practice's refusal of the booking, and its heading.
	RefusedHeading, Refused string
}

type searchHidden struct{ Name, Value string }

// searchBookData builds the confirmation form's view from the request's
// values (the slot's fields and the search's filters).
func (u *UI) searchBookData(ctx context.Context, pg *Page, vals url.Values) (*searchBookView, error) {
	slot, err := u.searchSlotFrom(ctx, vals)
	if err != nil {
		return nil, err
	}
	v := &searchBookView{Form: NewForm(vals), Slot: slot}
	filters := searchFilterValues(vals)
	v.BackURL = "/search?" + filters.Encode()
	filters.Del("nhs") // the patient is a field of the form itself
	for k, vs := range searchSlotValues(slot) {
		filters[k] = vs
	}
	keys := make([]string, 0, len(filters))
	for k := range filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, val := range filters[k] {
			v.Hidden = append(v.Hidden, searchHidden{k, val})
		}
	}
	return v, nil
}

// searchBookForm (GET /search/book?slot-…&nhs=) asks to confirm a
// booking: the slot, the patient, a description and a comment.
func (u *UI) searchBookForm(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	v, err := u.searchBookData(ctx, pg, r.URL.Query())
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	f := v.Form
	if s := f.Get("nhs"); s != "" {
		nhs, msg := patParseNHS(s)
		if msg != "" {
			f.Fail("nhs", msg)
		} else if v.Patient, err = u.searchPatient(ctx, pg, nhs, "booking form"); err != nil {
			if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
				u.fail(w, r, pg, err)
				return
			}
			f.Fail("nhs", "No patient with this NHS number is on the demographic register: check it with the patient")
		} else {
			f.Values.Set("nhs", string(nhs))
		}
	}
	pg.Title, pg.Data = "Confirm the booking", v
	u.render(w, http.StatusOK, "search-book.html", pg)
}

// searchBookedView is the booking's confirmation.
type searchBookedView struct {
	Booking    *hub.Booking
	Patient    *patPerson
	Registered bool // registered temporarily at the practice for it
	// Unread is why the practice could not give the appointment back
	// ("" when it did).
	Unread string
}

// searchBooked (GET /search/booked?practice=&id=&nhs=&on=&registered=)
// confirms a booking: the appointment as the practice now holds it, read
// back over GP Connect (so that reloading the page books nothing).
func (u *UI) searchBooked(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	q := r.URL.Query()
	ods, err := pcnhub.ParseODSCode(q.Get("practice"))
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	nhs, err := pcnhub.ParseNHSNumber(q.Get("nhs"))
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	on, err := pcnhub.ParseDate(q.Get("on"))
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	id := q.Get("id")
	if id == "" || u.Hub == nil {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "which appointment?"))
		return
	}
	person, err := u.searchPatient(ctx, pg, nhs, "booking confirmation")
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	days := int(on.Time(time.UTC).Sub(u.today().Time(time.UTC)).Hours()/24) + 1
	v := &searchBookedView{Patient: person, Registered: q.Get("registered") == "1",
		Booking: &hub.Booking{Practice: ods, AppointmentID: id, PracticeName: cmp.Or(u.patOrgName(ctx, ods, map[pcnhub.ODSCode]string{}), string(ods))}}
	appts, down, err := u.Hub.PatientAppointments(ctx, pg.P, nhs, "", []pcnhub.ODSCode{ods}, min(max(days, 1), 400))
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	v.Unread = "the practice did not list it when asked just now"
	for _, d := range down {
		v.Unread = d.Reason
	}
	for i := range appts {
		if appts[i].AppointmentID == id {
			v.Booking, v.Unread = &appts[i], ""
		}
	}
	pg.Title, pg.Data = "Appointment booked", v
	u.render(w, http.StatusOK, "search-booked.html", pg)
}

// searchBook (POST /search/book: the slot's fields, nhs, description,
// comment, and the search's filters) books the slot. A slot taken
// meanwhile answers 409 with the same search run again; a practice that
// refuses is named on the form.
func (u *UI) searchBook(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	v, err := u.searchBookData(ctx, pg, r.PostForm)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Data = "Confirm the booking", v
	f := v.Form
	nhs, msg := patParseNHS(f.Get("nhs"))
	if msg != "" {
		f.Fail("nhs", msg)
	} else {
		f.Values.Set("nhs", string(nhs))
		v.Patient, err = u.searchPatient(ctx, pg, nhs, "booking")
		switch {
		case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
			f.Fail("nhs", "No patient with this NHS number is on the demographic register: check it with the patient")
		case err != nil:
			u.fail(w, r, pg, err)
			return
		case v.Patient.Deceased != "":
			f.Fail("nhs", "The demographic register records this patient as deceased")
		}
	}
	f.AppointmentText("", "Enter what the appointment is for")
	if !f.OK() {
		u.render(w, http.StatusUnprocessableEntity, "search-book.html", pg)
		return
	}
	if u.Hub == nil {
		u.fail(w, r, pg, errNoHub)
		return
	}
	s := v.Slot
	b, err := u.Hub.Book(ctx, pg.P, hub.BookRequest{Practice: s.Practice, SlotIDs: []string{s.SlotID}, Start: s.Start, End: s.End,
		LocationID: s.LocationID, PractitionerID: s.PractitionerID, NHSNumber: nhs,
		Description: f.Get("description"), Comment: f.Get("comment")})
	switch code := pcnhub.ErrorCode(err); {
	case err == nil:
		done := url.Values{"practice": {string(b.Practice)}, "id": {b.AppointmentID}, "nhs": {string(nhs)},
			"on": {pcnhub.DateOf(b.Start.In(pcnhub.London)).String()}}
		if b.Registered {
			done.Set("registered", "1")
		}
		redirect(w, r, "/search/booked?"+done.Encode())
	case code == pcnhub.ECONFLICT:
		// Taken meanwhile: the same search again, fresh.
		sv, prepared, perr := u.searchPrepare(ctx, pg, r.PostForm, true)
		if perr == nil && prepared != nil {
			perr = u.searchRun(ctx, pg, sv, prepared)
		}
		if perr != nil {
			u.fail(w, r, pg, perr)
			return
		}
		sv.Conflict = true
		pg.Title, pg.Data = "Book across practices", sv
		u.render(w, http.StatusConflict, "search.html", pg)
	default:
		status, message := searchRefusal(err)
		if status == 0 {
			u.fail(w, r, pg, err) // a fault of ours: logged, never shown
			return
		}
		v.RefusedHeading = fmt.Sprintf("%s (%s) did not book this appointment", s.PracticeName, s.Practice)
		v.Refused = message
		u.render(w, status, "search-book.html", pg)
	}
}

// searchRefusal is the status and message of a booking the practice (or
// the hub, for it) refused; 0 for a fault of ours.
func searchRefusal(err error) (int, string) {
	var pe *client.ProviderError
	switch code := pcnhub.ErrorCode(err); {
	case code != pcnhub.EINTERNAL:
		return searchStatus(code), upperFirst(pcnhub.ErrorMessage(err))
	case errors.As(err, &pe):
		return http.StatusBadGateway, "Its system refused: " + providerMessage(pe)
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "Its system did not answer in time: try again in a moment"
	}
	return 0, ""
}

// searchStatus is the HTTP status of an error code, as fail gives it.
func searchStatus(code string) int {
	switch code {
	case pcnhub.EINVALID:
		return http.StatusBadRequest
	case pcnhub.EFORBIDDEN:
		return http.StatusForbidden
	case pcnhub.ENOTFOUND:
		return http.StatusNotFound
	case pcnhub.ECONFLICT:
		return http.StatusConflict
	case pcnhub.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case pcnhub.ENOTIMPLEMENTED:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}
