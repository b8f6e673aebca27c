package web

import (
	"cmp"
	"context"
	"errors"
	"html"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect/carerecord"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/staff"
)

// The patient record page: a clinician reads a patient's GP record from
// the practice the patient is registered with, through GP Connect (the
// hub's PatientRecord and CareRecordSection). The page shows the patient
// banner, the structured lists a clinician works from (allergies,
// medications, problems) with the warnings the practice attached to them,
// and the practice's own HTML views of the record, one section at a time,
// sanitised (SanitiseXHTML): that markup comes from another
// organisation's system.

// routesRecord mounts the record page.
func (u *UI) routesRecord(mux *http.ServeMux) {
	// The permission is checked in the handler, to say why and audit it.
	mux.HandleFunc("GET /patients/{nhs}/record", u.page("", u.recordPage))
}

// recordView is the record page's data.
type recordView struct {
	NHS         pcnhub.NHSNumber
	Name        string
	Born        string
	Gender      string
	Practice    string
	PracticeODS pcnhub.ODSCode
	Banners     []string // warnings about the whole record (a transfer not yet complete)
	Notices     []string // what the practice said it could not do
	Allergies   allergiesView
	Medications medicationsView
	Problems    problemsView
	Sections    []sectionTab
	Section     sectionView
	Partial     bool // an htmx request for the section only
}

// areaView is what every structured list shows besides its rows.
type areaView struct {
	Shared   bool     // the practice shared the area (its List came back)
	Warnings []string // the area's warnings, in the practice's words
}

type allergiesView struct {
	areaView
	NoKnown string // "No known allergies (recorded Mon 15 Jan 2020)", when recorded
	Active  []allergyRow
	Ended   []allergyRow
}

type allergyRow struct {
	Name, Reaction, Since, Category, Ended, EndReason string
}

type medicationsView struct {
	areaView
	Current []medicationRow
	Past    []medicationRow
}

type medicationRow struct {
	Drug, Type, Dosage, Quantity, Started, LastIssued, Issued, Ended, Reason string
}

type problemsView struct {
	areaView
	Active   []problemRow
	Inactive []problemRow
}

type problemRow struct {
	Name, Significance, Since, Ended string
	Major                            bool
}

// sectionTab is a link to one Access Record HTML section.
type sectionTab struct {
	Code, Title, Href string
	Current           bool
}

// sectionView is the chosen HTML section: the practice's view, sanitised,
// or why it could not be shown.
type sectionView struct {
	Code, Title string
	HTML        template.HTML
	Error       string
}

// recordPage (GET /patients/{nhs}/record?section=SUM). An htmx request
// from the section links gets the sections block only (the links and the
// chosen section), without reading the structured record again.
func (u *UI) recordPage(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	nhs, err := pcnhub.ParseNHSNumber(r.PathValue("nhs"))
	if err != nil {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "that is not a valid NHS number: it has 10 digits, the last one a check digit"))
		return
	}
	section := cmp.Or(r.URL.Query().Get("section"), string(carerecord.Summary))
	if !carerecord.Section(section).Valid() {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EINVALID, "there is no record section %q: choose one of the sections on the record page", section))
		return
	}
	if !pg.P.Can(staff.ViewRecord) {
		err := pcnhub.Errorf(pcnhub.EFORBIDDEN, "only clinicians can view GP records: your role (%s at %s) does not allow it",
			roleName(pg.P.Membership.Role), pg.P.Membership.OrgName)
		u.auditRecord(ctx, pg, nhs, "", "section "+section, err)
		u.fail(w, r, pg, err)
		return
	}

	// htmx asks for the sections block alone (a history restore asks
	// for the whole page).
	if u.Hub == nil {
		u.fail(w, r, pg, errNoHub)
		return
	}
	v := &recordView{NHS: nhs, Partial: r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "record-html"}
	detail := "section " + section
	if !v.Partial {
		rec, err := u.Hub.PatientRecord(ctx, pg.P, nhs)
		if err != nil {
			u.auditRecord(ctx, pg, nhs, "", detail+"; allergies, medications, problems", err)
			u.fail(w, r, pg, err)
			return
		}
		v.fill(rec, u.today())
		detail += "; allergies, medications, problems"
	}
	sec, err := u.Hub.CareRecordSection(ctx, pg.P, nhs, section)
	v.setSection(section, sec, err)
	practice := v.PracticeODS
	if sec != nil {
		practice = sec.Practice
	}
	if err != nil {
		u.logSectionError(r, err)
	}
	u.auditRecord(ctx, pg, nhs, practice, detail, err)

	pg.Title, pg.Data = "GP record", v
	if v.Partial {
		u.renderBlock(w, http.StatusOK, "record.html", "record-html", pg)
		return
	}
	u.render(w, http.StatusOK, "record.html", pg)
}

// auditRecord records a view of (or an attempt to view) a patient's
// record: who, which patient, which practice, what was shown, and how it
// ended.
func (u *UI) auditRecord(ctx context.Context, pg *Page, nhs pcnhub.NHSNumber, practice pcnhub.ODSCode, detail string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = pcnhub.ErrorCode(err)
		if pe, ok := client.IsProviderError(err); ok && pe.SpineCode != "" {
			outcome = pe.SpineCode
		}
	}
	trace := ""
	if rq, ok := pcnhub.RequesterFrom(ctx); ok {
		trace = rq.TraceID
	}
	e := &pcnhub.AuditEvent{At: u.now(), TraceID: trace, Action: "ui.record.view", Actor: pg.P.User.Username, OrgODS: practice,
		RequesterODS: pg.P.Membership.OrgODS, Practitioner: pg.P.User.SDSUserID, Device: "pcnhub-web", NHSNumber: nhs,
		Outcome: outcome, Detail: detail}
	if aerr := u.Store.AppendAudit(context.WithoutCancel(ctx), e); aerr != nil {
		u.Log.Error("audit failed", "action", e.Action, "err", aerr)
	}
}

// logSectionError logs an HTML section that failed for a reason of ours
// (refusals are the practice's answer, not a fault).
func (u *UI) logSectionError(r *http.Request, err error) {
	_, refused := client.IsProviderError(err)
	if !refused && pcnhub.ErrorCode(err) == pcnhub.EINTERNAL && !errors.Is(err, context.DeadlineExceeded) {
		u.Log.Error("record section failed", "route", r.Pattern, "err", err)
	}
}

// fill builds the banner and the structured lists from what the practice
// shared.
func (v *recordView) fill(rec *hub.PatientRecord, today pcnhub.Date) {
	v.Name = fullName(rec.Name)
	if !rec.BirthDate.IsZero() {
		v.Born = rec.BirthDate.Time(pcnhub.London).Format("Mon 2 Jan 2006")
		if age := rec.BirthDate.AgeOn(today); age >= 0 {
			v.Born += " (" + strconv.Itoa(age) + " years)"
		}
	}
	v.Gender = upperFirst(string(rec.Gender))
	v.Practice, v.PracticeODS = rec.PracticeName, rec.Practice
	v.Notices = rec.Notices

	seen := map[string]bool{}
	area := func(a record.Area) areaView {
		av := areaView{Shared: rec.Shared[a]}
		for _, w := range rec.WarningsFor(a) {
			if w.Code == hub.WarningInTransit {
				if !seen[w.Text] {
					seen[w.Text] = true
					v.Banners = append(v.Banners, w.Text)
				}
				continue
			}
			av.Warnings = append(av.Warnings, w.Text)
		}
		return av
	}
	v.Allergies.areaView = area(record.AreaAllergies)
	v.Medications.areaView = area(record.AreaMedications)
	v.Problems.areaView = area(record.AreaProblems)
	for _, w := range rec.Warnings { // a transfer warning on any other List
		if w.Code == hub.WarningInTransit && !seen[w.Text] {
			seen[w.Text] = true
			v.Banners = append(v.Banners, w.Text)
		}
	}
	v.allergies(rec.Record.Allergies)
	v.medications(rec.Record.Medications, today)
	v.problems(rec.Record.Problems)
}

func (v *recordView) allergies(all []record.Allergy) {
	var active, ended []record.Allergy
	for _, a := range all {
		switch {
		case a.NoKnownAllergies && a.Status != record.AllergyResolved:
			v.Allergies.NoKnown = "No known allergies (recorded " + partialDate(cmpDate(a.Asserted, a.Recorded)) + ")"
		case a.Status == record.AllergyResolved:
			ended = append(ended, a)
		default:
			active = append(active, a)
		}
	}
	since := func(a record.Allergy) record.PartialDate { return cmpDate(a.Onset, a.Asserted, a.Recorded) }
	slices.SortStableFunc(active, func(a, b record.Allergy) int { return laterFirst(since(a), since(b)) })
	slices.SortStableFunc(ended, func(a, b record.Allergy) int { return laterFirst(a.Ended, b.Ended) })
	row := func(a record.Allergy) allergyRow {
		name := a.Code.Text()
		if name == "" {
			name = a.Substance.Text()
		}
		var reactions []string
		for _, m := range a.Manifestations {
			if t := m.Text(); t != "" {
				reactions = append(reactions, t)
			}
		}
		return allergyRow{Name: cmp.Or(name, "(no description)"), Reaction: strings.Join(reactions, ", "),
			Since: partialDate(since(a)), Category: upperFirst(a.Category), Ended: partialDate(a.Ended), EndReason: a.EndReason}
	}
	for _, a := range active {
		v.Allergies.Active = append(v.Allergies.Active, row(a))
	}
	for _, a := range ended {
		v.Allergies.Ended = append(v.Allergies.Ended, row(a))
	}
}

// current reports whether a medication is one the patient is on: its
// authorisation (or, without one, its statement) is active and has not
// ended before today.
func currentMedication(m *record.Medication, today pcnhub.Date) bool {
	status := cmp.Or(m.Authorisation.Status, m.Statement.Status)
	if status != "active" {
		return false
	}
	end := m.Authorisation.Effective.End
	return end.IsZero() || end.Overlaps(today, pcnhub.Date{})
}

func lastIssue(m *record.Medication) record.PartialDate {
	last := m.Statement.LastIssued
	for _, is := range m.Issues {
		if laterFirst(is.Date, last) < 0 {
			last = is.Date
		}
	}
	return last
}

func (v *recordView) medications(all []record.Medication, today pcnhub.Date) {
	var current, past []*record.Medication
	for i := range all {
		if currentMedication(&all[i], today) {
			current = append(current, &all[i])
		} else {
			past = append(past, &all[i])
		}
	}
	order := func(m *record.Medication) int {
		switch {
		case m.Authorisation.PrescribedElsewhere:
			return 3
		case m.Authorisation.Type == record.PrescriptionRepeat, m.Authorisation.Type == record.PrescriptionRepeatDispensing:
			return 0
		case m.Authorisation.Type == record.PrescriptionAcute:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(current, func(a, b *record.Medication) int {
		return cmp.Or(cmp.Compare(order(a), order(b)), strings.Compare(strings.ToLower(a.Drug.Text()), strings.ToLower(b.Drug.Text())))
	})
	ended := func(m *record.Medication) record.PartialDate {
		return cmpDate(m.Authorisation.Effective.End, lastIssue(m), m.Authorisation.Effective.Start)
	}
	slices.SortStableFunc(past, func(a, b *record.Medication) int { return laterFirst(ended(a), ended(b)) })
	row := func(m *record.Medication) medicationRow {
		a := m.Authorisation
		r := medicationRow{Drug: cmp.Or(m.Drug.Text(), "(no description)"), Type: prescriptionType(a), Dosage: a.Dosage,
			Quantity: quantity(a.Quantity), Started: partialDate(a.Effective.Start), LastIssued: partialDate(lastIssue(m)),
			Ended: partialDate(a.Effective.End), Reason: a.StoppedReason}
		if n := len(m.Issues); n > 0 || a.RepeatsAllowed > 0 {
			r.Issued = strconv.Itoa(max(n, a.RepeatsIssued))
			if a.RepeatsAllowed > 0 {
				r.Issued += " of " + strconv.Itoa(a.RepeatsAllowed)
			}
		}
		if r.Reason == "" && cmp.Or(a.Status, m.Statement.Status) == "stopped" {
			r.Reason = "Stopped"
		}
		return r
	}
	for _, m := range current {
		v.Medications.Current = append(v.Medications.Current, row(m))
	}
	for _, m := range past {
		v.Medications.Past = append(v.Medications.Past, row(m))
	}
}

func prescriptionType(a record.Authorisation) string {
	if a.PrescribedElsewhere {
		return "Prescribed elsewhere"
	}
	switch a.Type {
	case record.PrescriptionAcute:
		return "Acute"
	case record.PrescriptionRepeat:
		return "Repeat"
	case record.PrescriptionRepeatDispensing:
		return "Repeat dispensing"
	}
	return "Not recorded"
}

func (v *recordView) problems(all []record.Problem) {
	var active, inactive []record.Problem
	for _, p := range all {
		if p.Status == record.ProblemActive {
			active = append(active, p)
		} else {
			inactive = append(inactive, p)
		}
	}
	since := func(p record.Problem) record.PartialDate { return cmpDate(p.Onset, p.Recorded) }
	major := func(p record.Problem) int {
		if p.Significance == record.Major {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(active, func(a, b record.Problem) int {
		return cmp.Or(cmp.Compare(major(a), major(b)), laterFirst(since(a), since(b)))
	})
	slices.SortStableFunc(inactive, func(a, b record.Problem) int {
		return cmp.Or(cmp.Compare(major(a), major(b)), laterFirst(a.Abatement, b.Abatement))
	})
	row := func(p record.Problem) problemRow {
		r := problemRow{Name: cmp.Or(p.Code.Text(), "(no description)"), Since: partialDate(since(p)), Ended: partialDate(p.Abatement),
			Major: p.Significance == record.Major}
		switch p.Significance {
		case record.Major:
			r.Significance = "Major"
		case record.Minor:
			r.Significance = "Minor"
		}
		return r
	}
	for _, p := range active {
		v.Problems.Active = append(v.Problems.Active, row(p))
	}
	for _, p := range inactive {
		v.Problems.Inactive = append(v.Problems.Inactive, row(p))
	}
}

// setSection fills the section links and the chosen section.
func (v *recordView) setSection(code string, sec *hub.RecordSection, err error) {
	for _, s := range carerecord.Sections {
		v.Sections = append(v.Sections, sectionTab{Code: string(s), Title: s.Title(), Current: string(s) == code,
			Href: "/patients/" + string(v.NHS) + "/record?section=" + string(s)})
	}
	v.Section = sectionView{Code: code, Title: carerecord.Section(code).Title()}
	if err != nil {
		v.Section.Error = sectionMessage(err)
		return
	}
	v.Section.Title = cmp.Or(sec.Title, v.Section.Title)
	v.Practice = cmp.Or(v.Practice, sec.PracticeName)
	v.Section.HTML = SanitiseXHTML(sec.XHTML)
}

// sectionMessage says why a section could not be shown.
func sectionMessage(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "The practice's system did not answer in time. Try again in a moment."
	case pcnhub.ErrorCode(err) != pcnhub.EINTERNAL:
		return upperFirst(pcnhub.ErrorMessage(err)) + "."
	}
	if pe, ok := client.IsProviderError(err); ok {
		return "The practice's system refused: " + providerMessage(pe) + "."
	}
	return "This section could not be read from the practice's system. Try again, and tell your system administrator if it keeps happening."
}

// ---- Formatting

func fullName(n pcnhub.HumanName) string {
	parts := append([]string{n.Prefix}, n.Given...)
	parts = append(parts, strings.ToUpper(n.Family))
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// partialDate shows a recorded date to the precision it was recorded:
// "Mon 24 Nov 2026", "Nov 2026", "2026", or "Not recorded".
func partialDate(p record.PartialDate) string {
	switch p.Precision {
	case record.DateDay, record.DateTime:
		return pcnhub.Date{Year: p.Year, Month: p.Month, Day: p.Day}.Time(pcnhub.London).Format("Mon 2 Jan 2006")
	case record.DateMonth:
		return time.Date(p.Year, p.Month, 1, 0, 0, 0, 0, time.UTC).Format("Jan 2006")
	case record.DateYear:
		return strconv.Itoa(p.Year)
	}
	return "Not recorded"
}

// cmpDate is the first known date.
func cmpDate(ds ...record.PartialDate) record.PartialDate {
	for _, d := range ds {
		if !d.IsZero() {
			return d
		}
	}
	return record.PartialDate{}
}

// laterFirst orders dates latest first, unknown dates last.
func laterFirst(a, b record.PartialDate) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	as, _ := a.Interval()
	bs, _ := b.Interval()
	return bs.Compare(as)
}

func quantity(q record.Quantity) string {
	if q.IsZero() {
		return ""
	}
	return strings.TrimSpace(q.Comparator + q.Value + " " + q.Unit)
}

// ---- Sanitising another organisation's XHTML

// The practice's HTML view comes from another organisation's system, so
// it is rebuilt from an allow-list, never passed on: the elements of
// allowedTags with at most a class (tokens of allowedClasses, the banner
// and column classes of Access Record HTML) and an id (the mandated table
// ids, which cannot clash with the page's own), and text, escaped. Every
// other element is dropped but its text kept, except those whose content
// is code or controls (droppedWithContent, rawText), which go with all
// they hold. Comments, processing instructions and doctype are dropped;
// CDATA is text. The output is well formed: end tags without a start are
// dropped and open elements closed at the end, so the markup cannot close
// the page's own elements around it.
var (
	allowedTags = map[string]bool{"div": true, "h1": true, "h2": true, "h3": true, "p": true, "table": true, "thead": true,
		"tbody": true, "tr": true, "th": true, "td": true, "ul": true, "li": true, "b": true, "i": true, "span": true, "br": true}
	allowedClasses = map[string]bool{"content-banner": true, "date-banner": true, "exclusion-banner": true,
		"gptransfer-banner": true, "date-column": true, "med-item-column": true}
	allowedID = regexp.MustCompile(`^[a-z]{3}-tab(-[a-z]{1,20}){0,3}$`)
	// rawText elements hold text a browser does not read as markup; they
	// are skipped to their end tag.
	rawText = map[string]bool{"script": true, "style": true, "textarea": true, "title": true, "xmp": true, "iframe": true,
		"noembed": true, "noframes": true, "noscript": true}
	// droppedWithContent elements go with everything inside them.
	droppedWithContent = map[string]bool{"template": true, "object": true, "applet": true, "svg": true, "math": true,
		"select": true, "option": true, "datalist": true, "button": true, "form": true, "head": true, "audio": true,
		"video": true, "canvas": true, "map": true, "frameset": true, "picture": true, "dialog": true}
)

// Limits of the sanitiser: the input it reads and the nesting it keeps.
const (
	maxNarrative = 2 << 20
	maxDepth     = 64
)

// SanitiseXHTML rebuilds untrusted XHTML (an Access Record HTML section)
// from the allow-list above. It never fails: whatever it cannot read as
// markup is text. Its output is stable: sanitising it again gives the
// same.
func SanitiseXHTML(in string) template.HTML {
	truncated := false
	if len(in) > maxNarrative {
		in, truncated = in[:maxNarrative], true
	}
	s := &sanitiser{in: in, lower: asciiLower(in)}
	s.run()
	if truncated {
		s.out.WriteString("<p>(The rest of this section is too long to show here.)</p>")
	}
	return template.HTML(s.out.String())
}

type sanitiser struct {
	in, lower string // the input, and its ASCII lower-case copy (same offsets)
	i         int
	out       strings.Builder
	open      []string // allowed elements open in the output
}

func (s *sanitiser) run() {
	for s.i < len(s.in) {
		j := strings.IndexByte(s.in[s.i:], '<')
		if j < 0 {
			s.text(s.in[s.i:])
			break
		}
		s.text(s.in[s.i : s.i+j])
		s.i += j
		s.markup()
	}
	for len(s.open) > 0 {
		s.closeTop()
	}
}

// markup reads what starts with "<" at s.i.
func (s *sanitiser) markup() {
	rest := s.in[s.i:]
	switch {
	case strings.HasPrefix(rest, "<!--"):
		s.skipPast("-->", 4)
	case strings.HasPrefix(rest, "<![CDATA["):
		end := strings.Index(rest[9:], "]]>")
		if end < 0 {
			s.text(html.EscapeString(rest[9:]))
			s.i = len(s.in)
			return
		}
		s.text(html.EscapeString(rest[9 : 9+end])) // CDATA is text as it stands
		s.i += 9 + end + 3
	case strings.HasPrefix(rest, "<!"), strings.HasPrefix(rest, "<?"):
		s.skipPast(">", 2)
	case strings.HasPrefix(rest, "</"):
		name := s.name(s.i + 2)
		s.skipPast(">", 2)
		if name != "" {
			s.end(name)
		}
	case len(rest) > 1 && isLetter(rest[1]):
		s.startTag()
	default:
		s.text("<")
		s.i++
	}
}

// skipPast moves s.i past the next marker after from bytes, or to the end.
func (s *sanitiser) skipPast(marker string, from int) {
	if j := strings.Index(s.in[s.i+min(from, len(s.in)-s.i):], marker); j >= 0 {
		s.i += from + j + len(marker)
		return
	}
	s.i = len(s.in)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// name reads a tag name at i, lower case ("" when none).
func (s *sanitiser) name(i int) string {
	j := i
	for j < len(s.in) && !isSpace(s.in[j]) && s.in[j] != '/' && s.in[j] != '>' {
		j++
	}
	return s.lower[i:j]
}

// startTag reads a start tag at s.i and its attributes. An unterminated
// tag is dropped with the rest of the input, as a browser would.
func (s *sanitiser) startTag() {
	name := s.name(s.i + 1)
	i := s.i + 1 + len(name)
	attrs := map[string]string{}
	selfClosing := false
	for {
		for i < len(s.in) && (isSpace(s.in[i]) || s.in[i] == '/') {
			selfClosing = s.in[i] == '/'
			i++
		}
		if i >= len(s.in) {
			s.i = len(s.in)
			return
		}
		if s.in[i] == '>' {
			i++
			break
		}
		selfClosing = false
		j := i + 1 // an attribute name may start with "="
		for j < len(s.in) && !isSpace(s.in[j]) && s.in[j] != '/' && s.in[j] != '>' && s.in[j] != '=' {
			j++
		}
		attr := s.lower[i:j]
		for j < len(s.in) && isSpace(s.in[j]) {
			j++
		}
		value := ""
		if j < len(s.in) && s.in[j] == '=' {
			j++
			for j < len(s.in) && isSpace(s.in[j]) {
				j++
			}
			switch {
			case j >= len(s.in):
			case s.in[j] == '"' || s.in[j] == '\'':
				q := s.in[j]
				k := strings.IndexByte(s.in[j+1:], q)
				if k < 0 {
					s.i = len(s.in)
					return
				}
				value = s.in[j+1 : j+1+k]
				j += k + 2
			default:
				k := j
				for k < len(s.in) && !isSpace(s.in[k]) && s.in[k] != '>' {
					k++
				}
				value, j = s.in[j:k], k
			}
		}
		if _, dup := attrs[attr]; !dup {
			attrs[attr] = html.UnescapeString(value)
		}
		i = j
	}
	s.i = i
	s.start(name, attrs, selfClosing)
}

// start handles a start tag.
func (s *sanitiser) start(name string, attrs map[string]string, selfClosing bool) {
	switch {
	case allowedTags[name]:
		if name == "br" {
			s.out.WriteString("<br>")
			return
		}
		if len(s.open) >= maxDepth {
			return // too deep: the text stays, the element goes
		}
		s.out.WriteString("<" + name)
		var classes []string
		for _, c := range strings.Fields(attrs["class"]) {
			if allowedClasses[c] && !slices.Contains(classes, c) {
				classes = append(classes, c)
			}
		}
		if len(classes) > 0 {
			s.out.WriteString(` class="` + html.EscapeString(strings.Join(classes, " ")) + `"`)
		}
		if id := attrs["id"]; allowedID.MatchString(id) {
			s.out.WriteString(` id="` + html.EscapeString(id) + `"`)
		}
		s.out.WriteString(">")
		if selfClosing {
			s.out.WriteString("</" + name + ">")
			return
		}
		s.open = append(s.open, name)
	case selfClosing:
	case rawText[name]:
		// To the end tag: "</name" followed by a space, "/" or ">".
		for {
			j := strings.Index(s.lower[s.i:], "</"+name)
			if j < 0 {
				s.i = len(s.in)
				return
			}
			s.i += j + 2 + len(name)
			if s.i >= len(s.in) || isSpace(s.in[s.i]) || s.in[s.i] == '/' || s.in[s.i] == '>' {
				s.skipPast(">", 0)
				return
			}
		}
	case droppedWithContent[name]:
		s.skipElement(name)
	}
}

// skipElement skips to the end tag matching an element just started,
// counting the same elements nested in it; to the end when there is none.
func (s *sanitiser) skipElement(name string) {
	depth := 1
	for depth > 0 {
		j := strings.IndexByte(s.in[s.i:], '<')
		if j < 0 {
			s.i = len(s.in)
			return
		}
		s.i += j
		rest := s.lower[s.i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			s.skipPast("-->", 4)
			continue
		case strings.HasPrefix(rest, "</") && s.name(s.i+2) == name:
			depth--
		case strings.HasPrefix(rest, "<") && s.name(s.i+1) == name:
			tagEnd := strings.IndexByte(rest, '>')
			if tagEnd < 0 || rest[tagEnd-1] != '/' {
				depth++
			}
		}
		s.skipPast(">", 1)
	}
}

// end handles an end tag: it closes the element if it is open in the
// output (and any opened inside it), else it is dropped.
func (s *sanitiser) end(name string) {
	if !allowedTags[name] || !slices.Contains(s.open, name) {
		return
	}
	for {
		top := s.open[len(s.open)-1]
		s.closeTop()
		if top == name {
			return
		}
	}
}

func (s *sanitiser) closeTop() {
	s.out.WriteString("</" + s.open[len(s.open)-1] + ">")
	s.open = s.open[:len(s.open)-1]
}

// text writes text, its character references read and the result
// escaped; NULs and invalid UTF-8 are dropped.
func (s *sanitiser) text(t string) {
	if t == "" {
		return
	}
	t = html.UnescapeString(t)
	if strings.IndexByte(t, 0) >= 0 {
		t = strings.ReplaceAll(t, "\x00", "")
	}
	if !utf8.ValidString(t) {
		t = strings.ToValidUTF8(t, "")
	}
	s.out.WriteString(html.EscapeString(t))
}

// asciiLower lower-cases ASCII letters only, so offsets stay the same.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
