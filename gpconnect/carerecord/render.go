package carerecord

import (
	"slices"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// Render builds the XHTML narrative of the requested section: one
// <div xmlns="http://www.w3.org/1999/xhtml"> holding an <h1> with the
// section title, the banners, then for each subsection an inner <div> with
// an <h2> (sections with several tables), an optional date banner, and
// either a table with the mandated id or the fragment
// "No '<title>' data is recorded for this patient.".
//
// rec must be what record.Record.Shareable returned and withheld its
// Withholdings: Render refuses (500) a record that still holds an item
// marked Confidential or AwaitingFiling, and a record, request and subject
// whose NHS numbers differ. today is the Europe/London date; it fixes
// "current" medication and the 12-month window of acute medication.
//
// Banners: gptransfer-banner when rec.InTransit; content-banner when
// items awaiting filing were left out of the section's areas;
// exclusion-banner when confidential items were; date-banner on every
// section but SUM ("All relevant items", or the requested range), and on
// subsections the requested period does not filter ("Date filter not
// applied") or that have a fixed window (acute medication). Rows are
// ordered most recent first; undated items last.
//
// Filters, by the §4 table:
//
//   - SUM: active problems; current allergies; acute medication of the last
//     12 months; current repeats; the 3 most recent encounters; emergency
//     codes are not held in the record model and show the "cannot be
//     provided" fragment.
//   - ENC: encounters whose period meets the requested one (an encounter
//     with only a start lasts that day; with no period, its recorded date).
//   - CLI: uncategorised entries without a value, investigation reports and
//     filing comments, by date. OBS: uncategorised entries with a value
//     (quantity, text or components such as blood pressure) and test
//     results, by date.
//   - PRB: active problems unfiltered; major and other (minor or unknown
//     significance) inactive problems when onset–end meets the period.
//   - ALL: current and historical (resolved) allergies, unfiltered.
//   - MED: acute (last 12 months before today), current repeat and
//     discontinued repeat unfiltered; All Medication when the authorisation
//     period meets the requested one (an acute with no end lasts its start
//     day); All Medication Issues by issue date.
//   - REF: referrals by date. IMM: all immunisation records (given, not
//     given, status). ADM: diary entries (by due date) and documents (by
//     date created).
//
// An item with no recorded date is always shown (record.PartialDate.Overlaps).
// Errors are *Error with status 500: they are the caller's mistakes.
func Render(rec *record.Record, withheld record.Withholdings, req *Request, sub Subject, today pcnhub.Date) (string, error) {
	if rec == nil || req == nil {
		return "", internalError("Render needs a record and a request")
	}
	if !req.Section.Valid() {
		return "", internalError("Render: %q is not a record section", clip(string(req.Section)))
	}
	if rec.NHSNumber != req.NHSNumber || sub.Patient.NHSNumber != req.NHSNumber {
		return "", internalError("Render: the record, request and subject are not for the same NHS number")
	}
	if !req.Period.IsZero() && !req.Section.AllowsPeriod() {
		return "", internalError("Render: the %s section takes no time period", req.Section)
	}
	if !req.Period.Start.IsZero() && !req.Period.End.IsZero() && req.Period.End.Before(req.Period.Start) {
		return "", internalError("Render: the time period starts after it ends")
	}
	if today.IsZero() {
		return "", internalError("Render needs today's date")
	}
	if holdsWithheld(rec) {
		return "", internalError("Render: the record holds items that may not be shared; pass the result of Shareable")
	}
	r := &renderer{rec: rec, withheld: withheld, req: req, today: today}
	r.w.b = make([]byte, 0, 16<<10)
	r.w.raw(`<div xmlns="` + xhtmlNS + `">`)
	r.w.elem("h1", req.Section.Title())
	r.banners()
	switch req.Section {
	case Summary:
		r.summary()
	case Encounters:
		r.encounters("", 0, true)
	case ClinicalItems:
		r.clinicalItems()
	case Problems:
		r.problems()
	case Allergies:
		r.allergies(true)
	case Medications:
		r.medications()
	case Referrals:
		r.referrals()
	case Observations:
		r.observations()
	case Immunisations:
		r.immunisations()
	case Administrative:
		r.administrative()
	}
	r.w.close("div")
	return string(r.w.b), nil
}

// holdsWithheld reports whether any item of rec is marked Confidential or
// AwaitingFiling.
func holdsWithheld(rec *record.Record) bool {
	for i := range rec.Allergies {
		if rec.Allergies[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Medications {
		if rec.Medications[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Problems {
		if rec.Problems[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Consultations {
		if rec.Consultations[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Observations {
		if rec.Observations[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Immunisations {
		if rec.Immunisations[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Investigations {
		if rec.Investigations[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.TestResults {
		if rec.TestResults[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Referrals {
		if rec.Referrals[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.DiaryEntries {
		if rec.DiaryEntries[i].Item.Withheld() {
			return true
		}
	}
	for i := range rec.Documents {
		if rec.Documents[i].Item.Withheld() {
			return true
		}
	}
	return false
}

type renderer struct {
	rec      *record.Record
	withheld record.Withholdings
	req      *Request
	today    pcnhub.Date
	w        xw

	first bool // no part written yet in the current cell
	index map[string]itemRef
}

// ---- banners ----

func (r *renderer) banner(class string) {
	r.w.openA("div", "class", class)
	r.w.open("p")
}

func (r *renderer) endBanner() {
	r.w.close("p")
	r.w.close("div")
}

func (r *renderer) textBanner(class, text string) {
	r.banner(class)
	r.w.text(text)
	r.endBanner()
}

func (r *renderer) banners() {
	if r.rec.InTransit {
		r.textBanner(classGPTransfer, textTransfer)
	}
	var conf, filing bool
	for _, a := range sectionInfos[r.req.Section].areas {
		conf = conf || r.withheld.Confidential(a)
		filing = filing || r.withheld.AwaitingFiling(a)
	}
	if filing {
		r.textBanner(classContentBanner, textAwaitingFiling)
	}
	if conf {
		r.textBanner(classExclusion, textExclusion)
	}
	if r.req.Section != Summary {
		r.dateBanner(r.req.Period)
	}
}

// dateBanner writes the range a period applies, or "All relevant items".
func (r *renderer) dateBanner(p Period) {
	r.banner(classDateBanner)
	switch {
	case p.IsZero():
		r.w.text(textAllItems)
	case p.End.IsZero():
		r.w.text(textFrom)
		r.w.b = appendDate(r.w.b, p.Start)
	case p.Start.IsZero():
		r.w.text(textUntil)
		r.w.b = appendDate(r.w.b, p.End)
	default:
		r.w.text(textBetween)
		r.w.b = appendDate(r.w.b, p.Start)
		r.w.text(textBetweenTo)
		r.w.b = appendDate(r.w.b, p.End)
	}
	r.endBanner()
}

// ---- subsections and tables ----

// sub describes a subsection: its <h2> title ("" for single-table
// sections), the name used in the empty fragment, its table id and
// columns, and its date banner.
type sub struct {
	title, label string
	id           string
	cols         []column
	banner       int // bannerNone, bannerNotFiltered, bannerLast12
}

const (
	bannerNone = iota
	bannerNotFiltered
	bannerLast12
)

// section writes a subsection with n rows; rows writes them.
func (r *renderer) section(s sub, n int, rows func()) {
	r.w.open("div")
	if s.title != "" {
		r.w.elem("h2", s.title)
	}
	switch {
	case s.banner == bannerNotFiltered && !r.req.Period.IsZero():
		r.textBanner(classDateBanner, textFilterNotApplied)
	case s.banner == bannerLast12:
		r.banner(classDateBanner)
		r.w.text(textLast12Months)
		r.w.b = appendDate(r.w.b, r.acuteFrom())
		r.w.text(textBetweenTo)
		r.w.b = appendDate(r.w.b, r.today)
		r.endBanner()
	}
	if n == 0 {
		r.w.open("p")
		r.w.text(textNoDataPre)
		r.w.text(s.label)
		r.w.text(textNoDataPost)
		r.w.close("p")
		r.w.close("div")
		return
	}
	r.w.openA("table", "id", s.id)
	r.w.open("thead")
	r.w.open("tr")
	for _, c := range s.cols {
		if c.class != "" {
			r.w.openA("th", "class", c.class)
		} else {
			r.w.open("th")
		}
		r.w.text(c.head)
		r.w.close("th")
	}
	r.w.close("tr")
	r.w.close("thead")
	r.w.open("tbody")
	rows()
	r.w.close("tbody")
	r.w.close("table")
	r.w.close("div")
}

// notProvided writes a subsection the system cannot provide.
func (r *renderer) notProvided(title string) {
	r.w.open("div")
	r.w.elem("h2", title)
	r.w.open("p")
	r.w.text(textNotProvidedPre)
	r.w.text(title)
	r.w.text(textNotProvidedPost)
	r.w.close("p")
	r.w.close("div")
}

func (r *renderer) tr()    { r.w.open("tr") }
func (r *renderer) endTr() { r.w.close("tr") }

// td writes a plain cell.
func (r *renderer) td(text string) {
	r.w.open("td")
	r.w.text(text)
	r.w.close("td")
}

// tdClass writes a cell of a classed column (med-item-column).
func (r *renderer) tdClass(class, text string) {
	r.w.openA("td", "class", class)
	r.w.text(text)
	r.w.close("td")
}

// tdDate writes a date-column cell.
func (r *renderer) tdDate(p record.PartialDate) {
	r.w.openA("td", "class", classDateColumn)
	r.w.b = appendPartial(r.w.b, p)
	r.w.close("td")
}

// tdDateOpt writes a date-column cell that is empty when no date is known
// (an end, review or last-issued date that does not apply).
func (r *renderer) tdDateOpt(p record.PartialDate) {
	r.w.openA("td", "class", classDateColumn)
	if !p.IsZero() {
		r.w.b = appendPartial(r.w.b, p)
	}
	r.w.close("td")
}

func (r *renderer) tdInt(n int) {
	r.w.open("td")
	if n > 0 {
		r.w.raw(itoa(n))
	}
	r.w.close("td")
}

// Cells of several parts: open, then part/partQ…, then endParts. Parts
// are separated by "; " and empty values are skipped.
func (r *renderer) parts() {
	r.w.open("td")
	r.first = true
}

func (r *renderer) endParts() { r.w.close("td") }

func (r *renderer) sep() {
	if !r.first {
		r.w.raw("; ")
	}
	r.first = false
}

// part writes label+value when value is not empty.
func (r *renderer) part(label, value string) {
	if value == "" {
		return
	}
	r.sep()
	r.w.text(label)
	r.w.text(value)
}

func (r *renderer) quantity(q record.Quantity) {
	r.w.text(q.Comparator)
	r.w.text(q.Value)
	if q.Unit != "" {
		if q.Value != "" {
			r.w.raw(" ")
		}
		r.w.text(q.Unit)
	}
}

func (r *renderer) tdQuantity(q record.Quantity) {
	r.w.open("td")
	r.quantity(q)
	r.w.close("td")
}

// partRange writes a reference range: its text if recorded, else
// "low - high unit", ">= low unit" or "<= high unit".
func (r *renderer) partRange(rg *record.ReferenceRange) {
	if rg == nil || (rg.Low.IsZero() && rg.High.IsZero() && rg.Text == "") {
		return
	}
	r.sep()
	r.w.text(textRange)
	switch {
	case rg.Text != "":
		r.w.text(rg.Text)
	case !rg.Low.IsZero() && !rg.High.IsZero():
		r.w.text(rg.Low.Value)
		r.w.raw(" - ")
		r.quantity(rg.High)
	case !rg.Low.IsZero():
		r.w.text(">= ")
		r.quantity(rg.Low)
	default:
		r.w.text("<= ")
		r.quantity(rg.High)
	}
}

// entry returns a code's text, or a placeholder when there is none.
func entry(c record.Code) string {
	if t := c.Text(); t != "" {
		return t
	}
	return textUnknownEntry
}

// ---- dates, filters and ordering ----

// in reports whether a recorded date meets the requested period.
func (r *renderer) in(p record.PartialDate) bool {
	return r.req.Period.IsZero() || p.Overlaps(r.req.Period.Start, r.req.Period.End)
}

// inPeriod reports whether a clinical period meets the requested period.
func (r *renderer) inPeriod(p record.Period) bool {
	return r.req.Period.IsZero() || p.Overlaps(r.req.Period.Start, r.req.Period.End)
}

// acuteFrom is the first day of the 12-month window of acute medication.
func (r *renderer) acuteFrom() pcnhub.Date {
	return pcnhub.DateOf(time.Date(r.today.Year-1, r.today.Month, r.today.Day, 0, 0, 0, 0, time.UTC))
}

// or returns p if known, else q.
func or(p, q record.PartialDate) record.PartialDate {
	if p.IsZero() {
		return q
	}
	return p
}

// sortKey orders dates: later dates have larger keys; an unknown date has
// the smallest. A date known to the year or month sorts before the days
// of that year or month when ordering most recent first.
func sortKey(p record.PartialDate) int64 {
	if p.IsZero() {
		return -1
	}
	k := int64(p.Year)*10000 + int64(p.Month)*100 + int64(p.Day)
	k *= 100000
	if p.Precision == record.DateTime {
		h, m, s := p.At.In(pcnhub.London).Clock()
		k += int64(h*3600 + m*60 + s + 1)
	}
	return k
}

// keyed is a row to write: its sort key, what it is and where.
type keyed struct {
	key  int64
	kind uint8
	i, j int32 // index in the record's slice; j: a medication's issue
}

// sortRows orders rows most recent first, then by kind and record order.
func sortRows(rows []keyed) {
	slices.SortFunc(rows, func(a, b keyed) int {
		switch {
		case a.key != b.key:
			if a.key > b.key {
				return -1
			}
			return 1
		case a.kind != b.kind:
			return int(a.kind) - int(b.kind)
		case a.i != b.i:
			return int(a.i - b.i)
		}
		return int(a.j - b.j)
	})
}
