package patientcsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
)

// Row is a patient read from the file.
type Row struct {
	Line    int            // line on which the row starts (1-based)
	Patient pcnhub.Patient // ID, OrganisationID, Version and Updated are zero
	// Fields are the row's raw fields, in file order. The slice is only
	// valid until the next call to Next (the strings themselves stay
	// valid): copy it to keep it.
	Fields []string
}

// Reader reads patients from a demographics CSV file. It is not safe for
// concurrent use. Create one with NewReader.
type Reader struct {
	cr     *csv.Reader
	in     *countingReader
	bom    int64 // bytes of byte order mark skipped
	header []string
	width  int          // number of header columns
	idx    [numCols]int // file index of each canonical column, -1 when absent
	today  pcnhub.Date
	seen   map[uint64]int32      // NHS number → line of first appearance
	strs   []string              // slab from which Given and Address.Lines are cut
	tels   []pcnhub.ContactPoint // slab from which Telecom is cut
	line   int                   // start line of the last record read
	err    error                 // sticky: io.EOF or a fatal error

	// Rows are read in batches: while the rows of one batch are checked
	// on another goroutine, the CSV of the next is parsed. cur is the
	// batch whose rows Next returns; raw is the batch read ahead.
	cur, raw batch
	started  bool
	parallel bool
}

// Batch limits: rows and bytes of CSV.
const (
	batchRows  = 512
	batchBytes = 256 << 10
)

// batch is a run of records read from the CSV.
type batch struct {
	items  []item
	fields []string // raw fields of all items, end to end
	next   int      // index of the next item to return
}

// item is one record of a batch: a row to check, a row already known to be
// wrong, or the end of the input.
type item struct {
	line   int
	lo, hi int // its fields are batch.fields[lo:hi]
	check  bool
	// Set by check:
	p      pcnhub.Patient
	key    uint64 // NHS number, for the duplicate check
	hasKey bool
	err    *RowError // a wrong row
	end    error     // io.EOF or a fatal error: the last item of a batch
}

func (b *batch) reset() {
	b.items = b.items[:0] // append overwrites whole items
	b.fields = b.fields[:0]
	b.next = 0
}

// errRowTooLong is returned by countingReader when a row grows beyond
// MaxRowBytes.
var errRowTooLong = errors.New("row too long")

// countingReader counts the bytes read through it, and fails when more than
// limit bytes have been read since start (the offset at which the current
// row began), so that an unclosed quote cannot make the CSV reader buffer
// the whole file.
type countingReader struct {
	r     io.Reader
	n     int64
	start int64
	limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n-c.start > c.limit {
		return 0, errRowTooLong
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

const bufSize = 64 << 10

// NewReader reads and checks the header of the file in r. Dates after today
// are rejected. It returns a *HeaderError when the header is wrong, and
// another error when r fails.
func NewReader(r io.Reader, today pcnhub.Date) (*Reader, error) {
	if today.IsZero() {
		return nil, errors.New("patientcsv: NewReader needs today's date")
	}
	in := &countingReader{r: r, limit: MaxRowBytes}
	br := bufio.NewReaderSize(in, bufSize)
	rd := &Reader{in: in, today: today, seen: make(map[uint64]int32, 1024)}
	b, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return nil, rd.fatal(err)
	}
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		rd.bom = 3
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		return nil, &HeaderError{Reason: "the file is UTF-16; save it as CSV UTF-8"}
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	rd.cr = cr

	rec, err := rd.read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return nil, &HeaderError{Reason: "the file is empty: the first row must be the header"}
		case errors.As(err, &pe):
			return nil, &HeaderError{Column: len(rec) + 1, Reason: parseReason(pe)}
		}
		return nil, rd.fatal(err)
	}
	rd.header = append([]string(nil), rec...)
	rd.parallel = runtime.GOMAXPROCS(0) > 1
	if err := rd.mapHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

// mapHeader fills idx from the header.
func (r *Reader) mapHeader() error {
	for i := range r.idx {
		r.idx[i] = -1
	}
	r.width = len(r.header)
	// A file without a header row has a patient in its first row: say so
	// without repeating any of it.
	known := false
	for _, h := range r.header {
		known = known || canonicalName(h) != ""
	}
	if !known {
		return &HeaderError{Reason: "the first row is not a header: it has none of the column names (" +
			strings.Join(Columns[:3], ", ") + ", …)"}
	}
	for i, h := range r.header {
		name := strings.ToLower(strings.TrimSpace(h))
		if name == "" {
			return &HeaderError{Column: i + 1, Reason: "the column has no name"}
		}
		col := -1
		for c, want := range Columns {
			if name == want {
				col = c
				break
			}
		}
		if col < 0 {
			return &HeaderError{Column: i + 1, Field: strings.TrimSpace(h), Reason: "unknown column"}
		}
		if r.idx[col] >= 0 {
			return &HeaderError{Column: i + 1, Field: Columns[col],
				Reason: fmt.Sprintf("the column appears twice (also column %d)", r.idx[col]+1)}
		}
		r.idx[col] = i
	}
	for c, name := range Columns {
		if required(c) && r.idx[c] < 0 {
			return &HeaderError{Field: name, Reason: "a required column is missing"}
		}
	}
	return nil
}

// read reads the next record and notes where it started.
func (r *Reader) read() ([]string, error) {
	rec, err := r.cr.Read()
	r.in.start = r.bom + r.cr.InputOffset()
	if err == nil {
		if len(rec) > 0 {
			r.line, _ = r.cr.FieldPos(0)
		}
		return rec, nil
	}
	if pe, ok := err.(*csv.ParseError); ok {
		r.line = pe.StartLine
	}
	return rec, err
}

// fatal turns a read error into the error returned to the caller.
func (r *Reader) fatal(err error) error {
	if errors.Is(err, errRowTooLong) {
		if r.line == 0 {
			return fmt.Errorf("patientcsv: the header row is longer than %d bytes (is a closing quote missing?)", MaxRowBytes)
		}
		return fmt.Errorf("patientcsv: the row after line %d is longer than %d bytes (is a closing quote missing?)", r.line, MaxRowBytes)
	}
	return fmt.Errorf("patientcsv: reading the file: %w", err)
}

// Header returns the header row as written in the file (without any byte
// order mark).
func (r *Reader) Header() []string { return append([]string(nil), r.header...) }

// BytesRead returns the number of bytes read from the underlying reader so
// far, for a progress bar. It runs ahead of the rows returned by up to two
// batches.
func (r *Reader) BytesRead() int64 { return r.in.n }

// Next returns the next row. At the end of the file it returns io.EOF. A
// row that is wrong gives a *RowError, after which Next may be called again
// for the following rows. Any other error (a failing reader, a row longer
// than MaxRowBytes) is fatal and is returned again by every later call.
func (r *Reader) Next() (Row, error) {
	for {
		if r.err != nil {
			return Row{}, r.err
		}
		b := &r.cur
		if b.next == len(b.items) {
			r.advance()
			continue
		}
		it := &b.items[b.next]
		b.next++
		if it.end != nil {
			r.err = it.end
			continue
		}
		fields := b.fields[it.lo:it.hi:it.hi]
		if it.hasKey {
			if first, dup := r.seen[it.key]; dup {
				return Row{}, &RowError{Line: it.line, Column: r.idx[colNHS] + 1, Field: Columns[colNHS],
					Reason: "NHS number already appears on line " + strconv.Itoa(int(first)), Fields: copyFields(fields)}
			}
			r.seen[it.key] = int32(min(it.line, 1<<31-1))
		}
		if it.err != nil {
			return Row{}, it.err
		}
		return Row{Line: it.line, Patient: it.p, Fields: fields}, nil
	}
}

// advance makes the batch read ahead the current one, checks its rows and
// reads the next batch, on two goroutines when there are two processors.
// No goroutine outlives the call.
func (r *Reader) advance() {
	if !r.started {
		r.started = true
		r.fill(&r.raw)
	}
	r.cur, r.raw = r.raw, r.cur
	r.raw.reset()
	b := &r.cur
	if n := len(b.items); n > 0 && b.items[n-1].end != nil {
		r.check(b) // the end of the input: nothing more to read
		return
	}
	if !r.parallel {
		r.check(b)
		r.fill(&r.raw)
		return
	}
	done := make(chan struct{})
	var panicked any
	go func() {
		defer close(done)
		defer func() { panicked = recover() }() // re-raised below, on the caller's goroutine
		r.check(b)
	}()
	r.fill(&r.raw)
	<-done
	if panicked != nil {
		panic(panicked)
	}
}

// fill reads records into b until it is full or the input ends.
func (r *Reader) fill(b *batch) {
	start := r.cr.InputOffset()
	for len(b.items) < batchRows && r.cr.InputOffset()-start < batchBytes {
		rec, err := r.read()
		if err != nil {
			var pe *csv.ParseError
			switch {
			case err == io.EOF:
				b.items = append(b.items, item{end: io.EOF})
				return
			case errors.As(err, &pe):
				col := len(rec) + 1
				field := ""
				if col <= r.width {
					field = canonicalName(r.header[col-1])
				}
				b.items = append(b.items, item{line: pe.StartLine, err: &RowError{Line: pe.StartLine, Column: col, Field: field,
					Reason: parseReason(pe), Fields: copyFields(rec)}})
				continue
			default:
				b.items = append(b.items, item{end: r.fatal(err)})
				return
			}
		}
		if allEmpty(rec) {
			continue
		}
		lo := len(b.fields)
		b.fields = append(b.fields, rec...)
		it := item{line: r.line, lo: lo, hi: len(b.fields), check: true}
		if len(rec) != r.width {
			it.check = false
			it.err = &RowError{Line: r.line,
				Reason: fmt.Sprintf("row has %d fields but the header has %d", len(rec), r.width),
				Fields: copyFields(rec)}
		}
		b.items = append(b.items, it)
	}
}

// check checks the rows of b. It uses only the Reader's header, its date
// and its slabs, so that it may run while fill reads the next batch.
func (r *Reader) check(b *batch) {
	for i := range b.items {
		it := &b.items[i]
		if it.check {
			it.key, it.hasKey, it.err = r.parse(b.fields[it.lo:it.hi], it.line, &it.p)
		}
	}
}

// canonicalName returns the canonical column name for a header name.
func canonicalName(h string) string {
	name := strings.ToLower(strings.TrimSpace(h))
	for _, c := range Columns {
		if c == name {
			return c
		}
	}
	return ""
}

// parseReason describes a CSV syntax error without quoting the data.
func parseReason(pe *csv.ParseError) string {
	var what string
	switch pe.Err {
	case csv.ErrBareQuote:
		what = `a quote (") in a field that does not start with a quote`
	case csv.ErrQuote:
		what = `a quoted field is not closed, or a quote inside it is not doubled ("")`
	default:
		what = pe.Err.Error()
	}
	if pe.Line != pe.StartLine {
		return fmt.Sprintf("%s (line %d, byte %d)", what, pe.Line, pe.Column)
	}
	return fmt.Sprintf("%s (byte %d)", what, pe.Column)
}

func allEmpty(rec []string) bool {
	for _, f := range rec {
		if trim(f) != "" {
			return false
		}
	}
	return true
}

func copyFields(rec []string) []string {
	return append(make([]string, 0, len(rec)), rec...)
}

// values fills v with the trimmed value of every canonical column ("" when
// the column is absent).
func (r *Reader) values(rec []string, v *[numCols]string) {
	for c, i := range r.idx {
		if i >= 0 {
			v[c] = trim(rec[i])
		}
	}
}

func (r *Reader) rowError(rec []string, line, col int, reason string) *RowError {
	return &RowError{Line: line, Column: r.idx[col] + 1, Field: Columns[col], Reason: reason, Fields: copyFields(rec)}
}

// parse fills p from rec, the row starting on line, or returns the first
// problem. When the NHS number is valid, hasKey is true and key is the
// number, for the duplicate check, which the caller makes: a duplicate is
// reported before any problem found in later columns.
func (r *Reader) parse(rec []string, line int, p *pcnhub.Patient) (key uint64, hasKey bool, _ *RowError) {
	fail := func(col int, reason string) (uint64, bool, *RowError) {
		return key, hasKey, r.rowError(rec, line, col, reason)
	}
	var v [numCols]string
	r.values(rec, &v)

	// NHS number, and the duplicate check.
	s := v[colNHS]
	if s == "" {
		return fail(colNHS, reasonEmpty)
	}
	nhs, err := parseNHSNumber(s)
	if err != nil {
		return fail(colNHS, pcnhub.ErrorMessage(err))
	}
	key, hasKey = nhsKey(nhs), true
	p.NHSNumber = nhs

	// Name.
	for _, col := range [...]int{colFamily, colGiven} {
		s := v[col]
		if s == "" {
			return fail(col, reasonEmpty)
		}
		if why := checkText(s); why != "" {
			return fail(col, why)
		}
	}
	p.Name.Family = v[colFamily]
	p.Name.Given = r.splitGiven(v[colGiven])
	if s := v[colTitle]; s != "" {
		if why := checkText(s); why != "" {
			return fail(colTitle, why)
		}
		p.Name.Prefix = s
	}

	// Birth date and gender.
	s = v[colBirth]
	if s == "" {
		return fail(colBirth, reasonEmpty)
	}
	birth, why := r.date(s)
	if why == "" && birth.Before(earliestBirth) {
		why = "must not be before " + earliestBirth.String()
	}
	if why != "" {
		return fail(colBirth, why)
	}
	p.BirthDate = birth
	s = v[colGender]
	if s == "" {
		return fail(colGender, reasonEmpty)
	}
	if p.Gender = quickGender(s); p.Gender == "" {
		if p.Gender, err = pcnhub.ParseGender(s); err != nil {
			return fail(colGender, pcnhub.ErrorMessage(err))
		}
	}

	// Address.
	var lines [3]string
	nl := 0
	for _, col := range [...]int{colAddr1, colAddr2, colAddr3} {
		if s := v[col]; s != "" {
			if why := checkText(s); why != "" {
				return fail(col, why)
			}
			lines[nl] = s
			nl++
		}
	}
	if nl > 0 {
		p.Address.Lines = r.strings(lines[:nl])
	}
	for _, col := range [...]int{colCity, colDistrict} {
		if why := checkText(v[col]); why != "" {
			return fail(col, why)
		}
	}
	p.Address.City = v[colCity]
	p.Address.District = v[colDistrict]
	if s := v[colPostcode]; s != "" {
		pc, ok := normPostcode(s)
		if !ok {
			return fail(colPostcode, reasonPostcode)
		}
		p.Address.Postcode = pc
	}

	// Contact details.
	var tel [3]pcnhub.ContactPoint
	nt := 0
	if s := v[colHomePhone]; s != "" {
		if why := checkPhone(s); why != "" {
			return fail(colHomePhone, why)
		}
		tel[nt] = pcnhub.ContactPoint{System: "phone", Use: "home", Value: s}
		nt++
	}
	if s := v[colMobile]; s != "" {
		if why := checkPhone(s); why != "" {
			return fail(colMobile, why)
		}
		tel[nt] = pcnhub.ContactPoint{System: "phone", Use: "mobile", Value: s}
		nt++
	}
	if s := v[colEmail]; s != "" {
		if why := checkEmail(s); why != "" {
			return fail(colEmail, why)
		}
		tel[nt] = pcnhub.ContactPoint{System: "email", Use: "home", Value: s}
		nt++
	}
	if nt > 0 {
		p.Telecom = r.contacts(tel[:nt])
	}

	// Language.
	if s := v[colLanguage]; s != "" {
		lang, ok := normLanguage(s)
		if !ok {
			return fail(colLanguage, fmt.Sprintf("must be a two-letter ISO 639-1 language code such as en, not %q", clip(s)))
		}
		p.Language = lang
	}
	var ok bool
	if p.InterpreterRequired, ok = parseBool(v[colInterpreter]); !ok {
		return fail(colInterpreter, reasonBool)
	}

	// Registration.
	reg := &p.Registration
	switch s := v[colRegType]; s {
	case "", string(pcnhub.RegGMS): // fast path for the usual values
		reg.Type = pcnhub.RegGMS
	case string(pcnhub.RegTemporary):
		reg.Type = pcnhub.RegTemporary
	default:
		if reg.Type, err = pcnhub.ParseRegistrationType(s); err != nil {
			return fail(colRegType, pcnhub.ErrorMessage(err))
		}
	}
	switch s := v[colRegStatus]; s {
	case "", string(pcnhub.RegActive):
		reg.Status = pcnhub.RegActive
	case string(pcnhub.RegInactive):
		reg.Status = pcnhub.RegInactive
	default:
		if reg.Status, err = pcnhub.ParseRegistrationStatus(s); err != nil {
			return fail(colRegStatus, pcnhub.ErrorMessage(err))
		}
	}
	if s := v[colRegDate]; s != "" {
		d, why := r.date(s)
		if why == "" && d.Before(birth) {
			why = "must not be before birth_date"
		}
		if why != "" {
			return fail(colRegDate, why)
		}
		reg.Start = d
	}
	if s := v[colRegEnd]; s != "" {
		d, why := parseDate(s)
		switch {
		case why != "":
		case !reg.Start.IsZero() && d.Before(reg.Start):
			why = "must not be before registration_date"
		case d.Before(birth):
			why = "must not be before birth_date"
		}
		if why != "" {
			return fail(colRegEnd, why)
		}
		reg.End = d
	}
	if s := v[colBranch]; s != "" {
		if reg.PreferredBranch, err = pcnhub.ParseODSCode(s); err != nil {
			return fail(colBranch, pcnhub.ErrorMessage(err))
		}
	}

	// Flags.
	if p.Sensitive, ok = parseBool(v[colSensitive]); !ok {
		return fail(colSensitive, reasonBool)
	}
	if s := v[colDeceased]; s != "" {
		d, why := r.date(s)
		if why == "" && d.Before(birth) {
			why = "must not be before birth_date"
		}
		if why != "" {
			return fail(colDeceased, why)
		}
		p.DeceasedDate = d
	}
	for _, col := range [...]int{colSuperseded, colMerged} {
		s := v[col]
		if s == "" {
			continue
		}
		n, err := parseNHSNumber(s)
		if err != nil {
			return fail(col, pcnhub.ErrorMessage(err))
		}
		if n == nhs {
			return fail(col, "must differ from nhs_number")
		}
		if col == colSuperseded {
			p.SupersededBy = n
		} else {
			p.MergedInto = n
		}
	}
	if p.InTransit, ok = parseBool(v[colInTransit]); !ok {
		return fail(colInTransit, reasonBool)
	}
	if p.DissentFromSharing, ok = parseBool(v[colDissent]); !ok {
		return fail(colDissent, reasonBool)
	}
	return key, hasKey, nil
}

// date parses a date that must not be after today.
func (r *Reader) date(s string) (pcnhub.Date, string) {
	d, why := parseDate(s)
	if why != "" {
		return d, why
	}
	if r.today.Before(d) {
		return d, "must not be after today (" + r.today.String() + ")"
	}
	return d, ""
}

// parseNHSNumber is pcnhub.ParseNHSNumber with a fast path for the usual
// form, ten digits with a right check digit, which it returns without
// copying. Anything else goes to pcnhub.ParseNHSNumber. TestParseNHSNumber
// and FuzzParseNHSNumber check that both agree.
func parseNHSNumber(s string) (pcnhub.NHSNumber, error) {
	if len(s) == 10 {
		sum := 0
		for i := 0; i < 10; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return pcnhub.ParseNHSNumber(s)
			}
			if i < 9 {
				sum += int(c-'0') * (10 - i)
			}
		}
		check := (11 - sum%11) % 11 // 11 → 0; 10 means invalid and never equals a digit
		if check == int(s[9]-'0') {
			return pcnhub.NHSNumber(s), nil
		}
	}
	return pcnhub.ParseNHSNumber(s)
}

// nhsKey turns a valid NHS number into a number for the duplicate set.
func nhsKey(n pcnhub.NHSNumber) uint64 {
	var k uint64
	for i := 0; i < len(n); i++ {
		k = k*10 + uint64(n[i]-'0')
	}
	return k
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const max = 20
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && s[n]&0xc0 == 0x80 { // do not cut a character in two
		n--
	}
	return s[:n] + "…"
}

// quickGender returns the gender for the most common spellings, without
// the allocation that pcnhub.ParseGender makes to fold case, or "" for
// anything else. TestQuickGender checks it against pcnhub.ParseGender.
func quickGender(s string) pcnhub.Gender {
	switch s {
	case "male", "M", "m", "Male":
		return pcnhub.GenderMale
	case "female", "F", "f", "Female":
		return pcnhub.GenderFemale
	case "unknown", "U", "u", "Unknown":
		return pcnhub.GenderUnknown
	case "other", "O", "o", "Other":
		return pcnhub.GenderOther
	}
	return ""
}

// parseDate parses a YYYY-MM-DD date as pcnhub.ParseDate does; it returns
// "" or the reason. Well-formed dates are parsed here without time.Parse,
// which takes a quarter of the time of a row; anything else goes to
// pcnhub.ParseDate, whose result (and message) is used. TestParseDate
// checks that both agree.
func parseDate(s string) (pcnhub.Date, string) {
	if d, ok := quickDate(s); ok {
		return d, ""
	}
	d, err := pcnhub.ParseDate(s)
	if err != nil {
		return d, pcnhub.ErrorMessage(err)
	}
	return d, ""
}

// quickDate parses a valid YYYY-MM-DD date; ok is false for anything else.
func quickDate(s string) (d pcnhub.Date, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return d, false
	}
	var v [8]int
	for i, j := range [8]int{0, 1, 2, 3, 5, 6, 8, 9} {
		c := s[j]
		if c < '0' || c > '9' {
			return d, false
		}
		v[i] = int(c - '0')
	}
	y := v[0]*1000 + v[1]*100 + v[2]*10 + v[3]
	m := v[4]*10 + v[5]
	day := v[6]*10 + v[7]
	if m < 1 || m > 12 || day < 1 || day > daysIn(m, y) {
		return d, false
	}
	return pcnhub.Date{Year: y, Month: time.Month(m), Day: day}, true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

const slabSize = 4096

// strings returns a copy of s cut from the Reader's slab, so that many
// small slices share one allocation.
func (r *Reader) strings(s []string) []string {
	if len(r.strs) < len(s) {
		r.strs = make([]string, max(slabSize, len(s)))
	}
	out := r.strs[:len(s):len(s)]
	r.strs = r.strs[len(s):]
	copy(out, s)
	return out
}

// contacts returns a copy of c cut from the Reader's slab.
func (r *Reader) contacts(c []pcnhub.ContactPoint) []pcnhub.ContactPoint {
	if len(r.tels) < len(c) {
		r.tels = make([]pcnhub.ContactPoint, max(slabSize, len(c)))
	}
	out := r.tels[:len(c):len(c)]
	r.tels = r.tels[len(c):]
	copy(out, c)
	return out
}

// splitGiven splits the given names at runs of white space.
func (r *Reader) splitGiven(s string) []string {
	var buf [8]string
	parts := buf[:0]
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		return r.strings(strings.Fields(s))
	}
	// s is trimmed and has no control characters: split at spaces.
	for s != "" {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			parts = append(parts, s)
			break
		}
		if i > 0 {
			parts = append(parts, s[:i])
		}
		s = s[i+1:]
	}
	return r.strings(parts)
}
