// Package web is the staff UI: server-rendered pages (html/template), htmx
// for the parts of a page that change in place, the NHS.UK frontend's
// styles and uPlot charts, all vendored under static/ (vendor.sh re-vendors
// them from the npm registry; there is no bundler and nothing is fetched
// from another site at run time).
//
// Every page goes through UI.page, which signs the user in (or sends them
// to the sign-in page), checks the permission the page needs, checks the
// CSRF token of every POST, and puts the requester in the context; every
// error becomes a page through UI.fail. Forms validate on the server and
// show their messages next to the fields (Form).
package web

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/staff"
)

//go:embed static
var staticFS embed.FS

// Sessions is the sign-in machinery the UI shares with the JSON API (the
// server implements it): the same passwords, lockout, sessions, CSRF
// tokens and audit.
type Sessions interface {
	// Authenticate returns who a request's session cookie belongs to
	// (EUNAUTHORIZED when there is none or it has ended).
	Authenticate(r *http.Request) (*staff.Principal, *staff.Session, error)
	// SignIn checks a user name and password and starts a session acting
	// for org ("" the user's first organisation); it sets the cookie.
	// EUNAUTHORIZED for a wrong name or password, EFORBIDDEN for a locked
	// or disabled account.
	SignIn(w http.ResponseWriter, r *http.Request, username, password string, org pcnhub.ODSCode) (*staff.Principal, error)
	// SignOut ends the request's session and clears the cookie.
	SignOut(w http.ResponseWriter, r *http.Request)
	// SwitchOrganisation makes the session act for another of the user's
	// organisations. EFORBIDDEN when the user does not work there.
	SwitchOrganisation(r *http.Request, p *staff.Principal, ods pcnhub.ODSCode) error
}

// UI serves the staff pages.
type UI struct {
	Store    *sqlstore.Store
	Hub      *hub.Hub // the consumer side: federated search, booking, records
	Sessions Sessions
	Calendar duty.Calendar
	Clock    pcnhub.Clock
	Log      *slog.Logger
}

// Routes mounts the pages and static assets on mux.
func (u *UI) Routes(mux *http.ServeMux) {
	// Single-segment asset paths: a deeper pattern would overlap the
	// practices' GP Connect roots (/{ods}/STU3/1/gpconnect/).
	mux.Handle("GET /static/{file}", cacheFor(24*time.Hour, serveAsset("static", "static/vendor")))
	// The NHS.UK stylesheet refers to its icons at /assets/images/.
	mux.Handle("GET /assets/images/{file}", cacheFor(24*time.Hour, serveAsset("static/vendor/images")))
	mux.HandleFunc("GET /{$}", u.page("", u.home))
	mux.HandleFunc("GET /sign-in", u.signInPage)
	mux.HandleFunc("POST /sign-in", u.signIn)
	mux.HandleFunc("POST /sign-out", u.page("", u.signOut))
	mux.HandleFunc("POST /organisation", u.page("", u.switchOrganisation))

	u.routesBook(mux)
	u.routesPatients(mux)
	u.routesRecord(mux)
	u.routesDuties(mux)
	u.routesConfig(mux)
}

// serveAsset serves the embedded file named by the path's {file} from
// the first of dirs that holds it.
func serveAsset(dirs ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		for _, d := range dirs {
			if st, err := fs.Stat(staticFS, d+"/"+name); err == nil && !st.IsDir() {
				http.ServeFileFS(w, r, staticFS, d+"/"+name)
				return
			}
		}
		http.NotFound(w, r)
	})
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(int(d.Seconds())))
		h.ServeHTTP(w, r)
	})
}

// errNoHub is the answer of a page that needs the GP Connect consumer on a
// server set up without one (server.New alone; server.Assemble sets it).
var errNoHub = pcnhub.Errorf(pcnhub.ENOTIMPLEMENTED, "this server is not set up to work across practices")

func (u *UI) now() time.Time {
	if u.Clock != nil {
		return u.Clock.Now()
	}
	return time.Now()
}

// today is the date in England.
func (u *UI) today() pcnhub.Date { return pcnhub.DateOf(u.now().In(pcnhub.London)) }

// Page is what every page template gets: who is signed in, the CSRF
// token for its forms, the navigation, and the page's own data.
type Page struct {
	Title     string
	P         *staff.Principal
	CSRF      string
	Path      string // the request's path, to mark the current navigation item
	Flash     string // a confirmation to show at the top ("Appointment booked")
	Data      any
	ErrorPage *ErrorView
}

// Can reports whether the signed-in user may do perm (templates use it to
// show only what the role allows).
func (pg *Page) Can(perm string) bool { return pg.P != nil && pg.P.Can(staff.Permission(perm)) }

// NavItem is one link of the header navigation.
type NavItem struct {
	Href, Label string
	Current     bool
}

// Nav is the navigation the signed-in user's role allows.
func (pg *Page) Nav() []NavItem {
	if pg.P == nil {
		return nil
	}
	var items []NavItem
	add := func(perm staff.Permission, href, label string) {
		if perm == "" || pg.P.Can(perm) {
			items = append(items, NavItem{href, label, pg.Path == href || strings.HasPrefix(pg.Path, href+"/")})
		}
	}
	add(staff.RecordOutcomes, "/book", "Appointment book")
	add(staff.FindPatients, "/patients", "Find a patient")
	add(staff.SearchSlots, "/search", "Book across practices")
	add(staff.ViewReports, "/duties", "Duties")
	add(staff.ManageBooks, "/config", "Configuration")
	add(staff.ViewAudit, "/audit", "Audit")
	return items
}

// handler is a page handler: the request, and the page it fills.
type handler func(w http.ResponseWriter, r *http.Request, pg *Page)

// page wraps a page handler: the user must be signed in (else they are
// sent to the sign-in page, and back here afterwards), hold perm (when
// not ""), and send this session's CSRF token with every POST (the form
// field "csrf" or, from htmx, the X-CSRF-Token header). The requester is
// put in the context, as the API does.
func (u *UI) page(perm staff.Permission, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		p, se, err := u.Sessions.Authenticate(r)
		if err != nil || se == nil {
			if r.Method == http.MethodGet {
				next := r.URL.RequestURI()
				target := "/sign-in"
				if next != "/" {
					target += "?next=" + url.QueryEscape(next)
				}
				redirect(w, r, target)
				return
			}
			u.fail(w, r, &Page{Path: r.URL.Path}, pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "your session has ended; sign in again"))
			return
		}
		pg := &Page{P: p, CSRF: se.CSRF, Path: r.URL.Path, Flash: r.URL.Query().Get("done")}
		if r.Method == http.MethodPost {
			token := r.Header.Get("X-CSRF-Token")
			if token == "" {
				token = r.PostFormValue("csrf")
			}
			if subtle.ConstantTimeCompare([]byte(token), []byte(se.CSRF)) != 1 {
				u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EFORBIDDEN, "this form has expired; go back, reload the page and try again"))
				return
			}
		}
		if perm != "" && !p.Can(perm) {
			u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EFORBIDDEN, "your role (%s at %s) does not allow this page", roleName(p.Membership.Role), p.Membership.OrgName))
			return
		}
		ctx := pcnhub.WithRequester(r.Context(), p.Requester(r.Header.Get("X-Request-ID")))
		h(w, r.WithContext(ctx), pg)
	}
}

// redirect sends the browser to target: a 303 for a normal request, and
// for an htmx request the HX-Redirect header (htmx follows it itself).
func redirect(w http.ResponseWriter, r *http.Request, target string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// ErrorView is what the error page shows.
type ErrorView struct {
	Status  int
	Heading string
	Message string
}

// fail is the one place an error becomes a page: the status of its code,
// a heading a receptionist understands and the error's safe message;
// internal errors are logged (never shown) and get a generic message.
// Signed-out users are sent to sign in.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, pg *Page, err error) {
	code := pcnhub.ErrorCode(err)
	v := &ErrorView{Message: pcnhub.ErrorMessage(err)}
	switch code {
	case pcnhub.EINVALID:
		v.Status, v.Heading = 400, "There is a problem with the request"
	case pcnhub.EUNAUTHORIZED:
		v.Status, v.Heading = 401, "Sign in to continue"
	case pcnhub.EFORBIDDEN:
		v.Status, v.Heading = 403, "You cannot do this"
	case pcnhub.ENOTFOUND:
		v.Status, v.Heading = 404, "Not found"
	case pcnhub.ECONFLICT:
		v.Status, v.Heading = 409, "Someone else changed this first"
	case pcnhub.ENOTIMPLEMENTED:
		v.Status, v.Heading = 501, "Not available on this server"
	default:
		var pe *client.ProviderError
		if errors.As(err, &pe) {
			v.Status, v.Heading, v.Message = 502, "The practice's system refused", providerMessage(pe)
			break
		}
		if errors.Is(err, context.DeadlineExceeded) {
			v.Status, v.Heading, v.Message = 504, "Another system did not answer in time", "try again in a moment"
			break
		}
		u.Log.Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
		v.Status, v.Heading, v.Message = 500, "Sorry, something went wrong", "the problem has been logged; try again, and tell your system administrator if it keeps happening"
	}
	pg.Title, pg.ErrorPage = v.Heading, v
	if r.Header.Get("HX-Request") == "true" {
		// htmx swaps only 2xx answers by default; the error partial is
		// swapped into the page's target through HX-Retarget.
		w.Header().Set("HX-Retarget", "#htmx-error")
		w.Header().Set("HX-Reswap", "innerHTML")
		u.renderBlock(w, http.StatusOK, "error.html", "error-panel", pg)
		return
	}
	u.render(w, v.Status, "error.html", pg)
}

// Form is a submitted form and its validation messages, field by field.
type Form struct {
	Values url.Values
	Errors map[string]string
	order  []string
}

// NewForm wraps submitted values (nil: an empty form).
func NewForm(v url.Values) *Form {
	if v == nil {
		v = url.Values{}
	}
	return &Form{Values: v, Errors: map[string]string{}}
}

// Get is a field's trimmed value.
func (f *Form) Get(field string) string { return strings.TrimSpace(f.Values.Get(field)) }

// Fail records a message for a field (the first message of a field wins).
func (f *Form) Fail(field, message string) {
	if _, seen := f.Errors[field]; seen {
		return
	}
	f.Errors[field] = message
	f.order = append(f.order, field)
}

// OK reports whether no field failed.
func (f *Form) OK() bool { return len(f.Errors) == 0 }

// FormError is one entry of the error summary: the field's id and message.
type FormError struct{ Field, Message string }

// Summary lists the messages in the order the fields failed.
func (f *Form) Summary() []FormError {
	var out []FormError
	for _, k := range f.order {
		out = append(out, FormError{k, f.Errors[k]})
	}
	return out
}

// Limits of an appointment's free text, the same wherever it is entered
// (the book, a patient's page, booking across practices): GP Connect asks
// consumers for at most 100 characters of description and 500 of
// comment; it sets no limit on a cancellation reason, so ours is 500.
const (
	maxDescription = 100
	maxComment     = 500
	maxReason      = 500
)

// AppointmentText checks a submitted appointment's "description"
// (required: missing is the message when it is empty; at most
// maxDescription characters) and "comment" (at most maxComment), and
// returns both trimmed. Messages are recorded under the field's name plus
// idSuffix: a page with one form per appointment gives each its own ids.
func (f *Form) AppointmentText(idSuffix, missing string) (string, string) {
	d, c := f.Get("description"), f.Get("comment")
	switch {
	case d == "":
		f.Fail("description"+idSuffix, missing)
	case utf8.RuneCountInString(d) > maxDescription:
		f.Fail("description"+idSuffix, fmt.Sprintf("The description must be %d characters or fewer", maxDescription))
	}
	if utf8.RuneCountInString(c) > maxComment {
		f.Fail("comment"+idSuffix, fmt.Sprintf("The comment must be %d characters or fewer", maxComment))
	}
	return d, c
}

// CancelReason checks a submitted "reason" for cancelling (required:
// missing is the message when it is empty; at most maxReason characters),
// recording messages as AppointmentText does.
func (f *Form) CancelReason(idSuffix, missing string) string {
	r := f.Get("reason")
	switch {
	case r == "":
		f.Fail("reason"+idSuffix, missing)
	case utf8.RuneCountInString(r) > maxReason:
		f.Fail("reason"+idSuffix, fmt.Sprintf("The reason must be %d characters or fewer", maxReason))
	}
	return r
}

// signInView is the sign-in page's data.
type signInView struct {
	Form *Form
	Next string
}

func (u *UI) signInPage(w http.ResponseWriter, r *http.Request) {
	if _, se, err := u.Sessions.Authenticate(r); err == nil && se != nil {
		redirect(w, r, "/")
		return
	}
	f := NewForm(nil)
	u.render(w, http.StatusOK, "signin.html", &Page{Title: "Sign in", Path: "/sign-in", Data: signInView{f, safeNext(r.URL.Query().Get("next"))}})
}

// signIn (POST /sign-in: username, password, next).
func (u *UI) signIn(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.ParseForm()
	f := NewForm(r.PostForm)
	next := safeNext(f.Get("next"))
	if f.Get("username") == "" {
		f.Fail("username", "Enter your user name")
	}
	if f.Values.Get("password") == "" {
		f.Fail("password", "Enter your password")
	}
	if f.OK() {
		if _, err := u.Sessions.SignIn(w, r, f.Get("username"), f.Values.Get("password"), ""); err != nil {
			switch pcnhub.ErrorCode(err) {
			case pcnhub.EUNAUTHORIZED:
				f.Fail("password", "The user name or password is wrong")
			case pcnhub.EFORBIDDEN:
				f.Fail("username", upperFirst(pcnhub.ErrorMessage(err)))
			default:
				u.fail(w, r, &Page{Path: "/sign-in"}, err)
				return
			}
		}
	}
	if !f.OK() {
		f.Values.Del("password")
		u.render(w, http.StatusUnprocessableEntity, "signin.html", &Page{Title: "Sign in", Path: "/sign-in", Data: signInView{f, next}})
		return
	}
	redirect(w, r, next)
}

// safeNext keeps a post-sign-in destination on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

func (u *UI) signOut(w http.ResponseWriter, r *http.Request, pg *Page) {
	u.Sessions.SignOut(w, r)
	redirect(w, r, "/sign-in")
}

// switchOrganisation (POST /organisation: organisation, next).
func (u *UI) switchOrganisation(w http.ResponseWriter, r *http.Request, pg *Page) {
	ods := pcnhub.ODSCode(r.PostFormValue("organisation"))
	if err := u.Sessions.SwitchOrganisation(r, pg.P, ods); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	redirect(w, r, "/")
}

// homeView is the start page: the tasks the role allows, and today's
// figures for the organisation.
type homeView struct {
	Org *pcnhub.Organisation
}

func (u *UI) home(w http.ResponseWriter, r *http.Request, pg *Page) {
	org, err := u.Store.OrganisationByODS(r.Context(), pg.P.Membership.OrgODS)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	pg.Title, pg.Data = org.Name, homeView{Org: org}
	u.render(w, http.StatusOK, "home.html", pg)
}

// render executes a page template (layout plus the page's file) into a
// buffer first, so that a template error is a clean 500, never half a page.
func (u *UI) render(w http.ResponseWriter, status int, name string, pg *Page) {
	u.renderBlock(w, status, name, "layout", pg)
}

// renderBlock executes one named template of a page's set (an htmx
// partial, or "layout" for the whole page).
func (u *UI) renderBlock(w http.ResponseWriter, status int, name, block string, data any) {
	t, ok := pages[name]
	if !ok {
		u.Log.Error("no such page template", "name", name)
		http.Error(w, "Sorry, something went wrong", 500)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		u.Log.Error("page template failed", "name", name, "block", block, "err", err)
		http.Error(w, "Sorry, something went wrong", 500)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// roleName is a role as staff say it.
func roleName(r staff.Role) string {
	switch r {
	case staff.CallHandler:
		return "111 call handler"
	default:
		return strings.ReplaceAll(string(r), "-", " ")
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// providerMessage is what a receptionist is told of another system's
// refusal: its own words when it gave some, and its Spine code.
func providerMessage(e *client.ProviderError) string {
	msg := e.Display
	if e.Diagnostics != "" {
		msg = e.Diagnostics
	}
	if msg == "" {
		msg = "it answered HTTP " + strconv.Itoa(e.Status)
	}
	if e.SpineCode != "" {
		msg += " (" + e.SpineCode + ")"
	}
	return msg
}
