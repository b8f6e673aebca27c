package carerecord

import (
	"mime"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// DSTU2 identifier and code systems of the 0.7 line (§4).
const (
	SystemNHSNumber     = "http://fhir.nhs.net/Id/nhs-number"
	SystemODSOrgCode    = "http://fhir.nhs.net/Id/ods-organization-code"
	SystemSDSUserID     = "http://fhir.nhs.net/Id/sds-user-id"
	SystemRecordSection = "http://fhir.nhs.net/ValueSet/gpconnect-record-section-1"
	SystemErrorCode     = "http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1"
)

// Parameter names of $gpc.getcarerecord.
const (
	ParamNHSNumber  = "patientNHSNumber"
	ParamSection    = "recordSection"
	ParamTimePeriod = "timePeriod"
)

// Format is a DSTU2 wire format.
type Format int

const (
	JSON Format = iota + 1 // application/json+fhir
	XML                    // application/xml+fhir
)

// String returns "JSON", "XML" or "Format(n)".
func (f Format) String() string {
	switch f {
	case JSON:
		return "JSON"
	case XML:
		return "XML"
	}
	return "Format(" + itoa(int(f)) + ")"
}

// ContentType returns the media type to send with the format, with its
// charset ("application/json+fhir;charset=utf-8"); the JSON type for any
// value but XML.
func (f Format) ContentType() string {
	if f == XML {
		return "application/xml+fhir;charset=utf-8"
	}
	return "application/json+fhir;charset=utf-8"
}

// ParseFormat maps a DSTU2 media type (parameters such as charset are
// ignored, case is not significant) to its Format: application/json+fhir →
// JSON, application/xml+fhir → XML. Any other type gives ok false; the
// caller answers 415.
func ParseFormat(mediaType string) (f Format, ok bool) {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return 0, false
	}
	switch mt {
	case "application/json+fhir":
		return JSON, true
	case "application/xml+fhir":
		return XML, true
	}
	return 0, false
}

// Period is a requested time period of whole calendar days in
// Europe/London, both ends inclusive; a zero Start or End leaves that side
// open, and the zero Period means "no period" (all relevant items).
type Period struct {
	Start pcnhub.Date
	End   pcnhub.Date
}

// IsZero reports whether no period was requested.
func (p Period) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// Request is a checked $gpc.getcarerecord request: a valid NHS number, one
// valid section, and a Period that is zero unless the section allows one
// (Section.AllowsPeriod) and, when both ends are set, Start ≤ End.
type Request struct {
	NHSNumber pcnhub.NHSNumber
	Section   Section
	Period    Period
}

// ParseRequest decodes and checks the body of a $gpc.getcarerecord
// request: a DSTU2 Parameters resource in the format given. It returns the
// request, or an *Error whose status, code and diagnostics follow the 0.7
// provider test suite (§4); diagnostics name the parameter at fault:
//
//   - empty body → 400 BAD_REQUEST;
//   - unparseable body, or a resource other than Parameters, or a
//     parameter without a name or with two value[x] → 422 INVALID_RESOURCE;
//   - a parameter other than patientNHSNumber, recordSection and timePeriod
//     → 422 INVALID_PARAMETER;
//   - patientNHSNumber missing or repeated, or not a valueIdentifier →
//     400 BAD_REQUEST; its system missing or not
//     http://fhir.nhs.net/Id/nhs-number → 400 INVALID_IDENTIFIER_SYSTEM;
//     its value not 10 digits with a valid Modulus 11 check digit (no spaces)
//     → 400 INVALID_NHS_NUMBER;
//   - recordSection missing or repeated, or not a valueCodeableConcept
//     (e.g. a valueString), or with more than one coding of the section
//     system → 400 BAD_REQUEST; no coding of the system
//     http://fhir.nhs.net/ValueSet/gpconnect-record-section-1 (no coding,
//     an empty or other system), an empty code, or a code that is not one
//     of the ten upper-case codes → 422 INVALID_PARAMETER;
//   - timePeriod repeated, not a valuePeriod, or sent with SUM, ALL or IMM
//     → 400 BAD_REQUEST; with neither start nor end, a malformed or
//     impossible date (FHIR dateTime: YYYY, YYYY-MM, YYYY-MM-DD, or a
//     date-time with seconds and an offset), or start after end →
//     422 INVALID_PARAMETER.
//
// Checks run in that order, so the first fault found is reported. A format
// other than JSON or XML is 415 UNSUPPORTED_MEDIA_TYPE (the caller should
// have answered 415 already, see ParseFormat). A start
// or end known only to the year or month is widened to the whole year or
// month (start to its first day, end to its last); a date-time is taken
// as its calendar date in Europe/London. A period may lie in the future
// (recalls and diary entries are future-dated).
func ParseRequest(format Format, body []byte) (*Request, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, badRequest("the request body is empty: it must be a Parameters resource with %s and %s", ParamNHSNumber, ParamSection)
	}
	var params []param
	var e *Error
	switch format {
	case JSON:
		params, e = decodeJSON(body)
	case XML:
		params, e = decodeXML(body)
	default:
		return nil, NewError(CodeUnsupportedMediaType, "the body format is not application/json+fhir or application/xml+fhir")
	}
	if e != nil {
		return nil, e
	}
	r, e := check(params)
	if e != nil {
		return nil, e
	}
	return r, nil
}

// param is one Parameters.parameter in a format-neutral shape.
type param struct {
	name  string
	kinds []string // the value[x] element names present, e.g. "valueIdentifier"
	ident *identifier
	cc    *codeableConcept
	per   *period
}

// opt is an optional primitive: present (possibly empty) or absent.
type opt struct {
	set bool
	v   string
}

type identifier struct{ system, value opt }

type coding struct{ system, code opt }

type codeableConcept struct{ codings []coding }

type period struct{ start, end opt }

func (p *param) kind() string {
	if len(p.kinds) == 0 {
		return ""
	}
	return p.kinds[0]
}

// check applies the rules of ParseRequest to the decoded parameters.
func check(params []param) (*Request, *Error) {
	byName := map[string][]*param{}
	for i := range params {
		p := &params[i]
		if p.name == "" {
			return nil, invalidResource("Parameters.parameter[%d] has no name", i)
		}
		if len(p.kinds) > 1 {
			return nil, invalidResource("%s has more than one value[x] (%s)", clip(p.name), strings.Join(p.kinds, ", "))
		}
		switch p.name {
		case ParamNHSNumber, ParamSection, ParamTimePeriod:
		default:
			return nil, invalidParameter("%q is not a parameter of $gpc.getcarerecord (expected %s, %s and optionally %s)",
				clip(p.name), ParamNHSNumber, ParamSection, ParamTimePeriod)
		}
		byName[p.name] = append(byName[p.name], p)
	}
	for _, n := range []string{ParamNHSNumber, ParamSection} {
		switch len(byName[n]) {
		case 0:
			return nil, badRequest("%s is required", n)
		case 1:
		default:
			return nil, badRequest("%s may be given only once, not %d times", n, len(byName[n]))
		}
	}
	if len(byName[ParamTimePeriod]) > 1 {
		return nil, badRequest("%s may be given only once, not %d times", ParamTimePeriod, len(byName[ParamTimePeriod]))
	}

	r := &Request{}
	var e *Error
	if r.NHSNumber, e = checkNHSNumber(byName[ParamNHSNumber][0]); e != nil {
		return nil, e
	}
	if r.Section, e = checkSection(byName[ParamSection][0]); e != nil {
		return nil, e
	}
	if tp := byName[ParamTimePeriod]; len(tp) == 1 {
		if !r.Section.AllowsPeriod() {
			return nil, badRequest("%s may not be sent with the %s section (%s)", ParamTimePeriod, r.Section, r.Section.Title())
		}
		if r.Period, e = checkPeriod(tp[0]); e != nil {
			return nil, e
		}
	}
	return r, nil
}

func checkNHSNumber(p *param) (pcnhub.NHSNumber, *Error) {
	if p.kind() != "valueIdentifier" || p.ident == nil {
		return "", badRequest("%s must be a valueIdentifier, not %s", ParamNHSNumber, kindName(p))
	}
	id := p.ident
	if id.system.v != SystemNHSNumber {
		if !id.system.set || id.system.v == "" {
			return "", NewError(CodeInvalidIdentifierSystem, "%s has no identifier system (expected %s)", ParamNHSNumber, SystemNHSNumber)
		}
		return "", NewError(CodeInvalidIdentifierSystem, "%s has the identifier system %q (expected %s)", ParamNHSNumber, clip(id.system.v), SystemNHSNumber)
	}
	if id.value.v == "" {
		return "", NewError(CodeInvalidNHSNumber, "%s has no value", ParamNHSNumber)
	}
	n, err := pcnhub.ParseNHSNumber(id.value.v)
	if err == nil && string(n) != id.value.v {
		err = pcnhub.Errorf(pcnhub.EINVALID, "NHS number must be 10 digits without spaces or hyphens")
	}
	if err != nil {
		// The value is not quoted: it may be a mistyped real NHS number.
		return "", NewError(CodeInvalidNHSNumber, "%s is not a valid NHS number: %s", ParamNHSNumber, pcnhub.ErrorMessage(err))
	}
	return n, nil
}

func checkSection(p *param) (Section, *Error) {
	if p.kind() != "valueCodeableConcept" || p.cc == nil {
		return "", badRequest("%s must be a valueCodeableConcept, not %s", ParamSection, kindName(p))
	}
	var ours []coding
	for _, c := range p.cc.codings {
		if c.system.v == SystemRecordSection {
			ours = append(ours, c)
		}
	}
	switch {
	case len(ours) > 1:
		return "", badRequest("%s must hold exactly one section, not %d", ParamSection, len(ours))
	case len(ours) == 0 && len(p.cc.codings) == 0:
		return "", invalidParameter("%s has no coding (expected one with system %s)", ParamSection, SystemRecordSection)
	case len(ours) == 0:
		s := p.cc.codings[0].system
		if s.v == "" {
			return "", invalidParameter("%s has a coding with no system (expected %s)", ParamSection, SystemRecordSection)
		}
		return "", invalidParameter("%s has the coding system %q (expected %s)", ParamSection, clip(s.v), SystemRecordSection)
	}
	code := ours[0].code.v
	if code == "" {
		return "", invalidParameter("%s has no code", ParamSection)
	}
	s := Section(code)
	if !s.Valid() {
		return "", invalidParameter("%s %q is not a record section code (expected one of SUM, ENC, CLI, PRB, ALL, MED, REF, OBS, IMM, ADM; codes are upper case)", ParamSection, clip(code))
	}
	return s, nil
}

func checkPeriod(p *param) (Period, *Error) {
	if p.kind() != "valuePeriod" || p.per == nil {
		return Period{}, badRequest("%s must be a valuePeriod, not %s", ParamTimePeriod, kindName(p))
	}
	if !p.per.start.set && !p.per.end.set {
		return Period{}, invalidParameter("%s has neither a start nor an end", ParamTimePeriod)
	}
	var start, end record.PartialDate
	var out Period
	if p.per.start.set {
		d, e := periodDate(ParamTimePeriod+".start", p.per.start.v)
		if e != nil {
			return Period{}, e
		}
		start, out.Start = d, firstDay(d)
	}
	if p.per.end.set {
		d, e := periodDate(ParamTimePeriod+".end", p.per.end.v)
		if e != nil {
			return Period{}, e
		}
		end, out.End = d, lastDay(d)
	}
	if p.per.start.set && p.per.end.set {
		s0, _ := start.Interval()
		_, e1 := end.Interval()
		if !s0.Before(e1) {
			return Period{}, invalidParameter("%s.start (%s) is after %s.end (%s)", ParamTimePeriod, clip(p.per.start.v), ParamTimePeriod, clip(p.per.end.v))
		}
	}
	return out, nil
}

// periodDate reads a FHIR DSTU2 dateTime: YYYY, YYYY-MM, YYYY-MM-DD or a
// date-time with seconds and an offset (Z or ±hh:mm).
func periodDate(name, s string) (record.PartialDate, *Error) {
	bad := func() (record.PartialDate, *Error) {
		return record.PartialDate{}, invalidParameter("%s %q is not a valid date (expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with an offset)", name, clip(s))
	}
	if len(s) > 10 && !validDateTimeShape(s) {
		return bad()
	}
	d, err := record.ParsePartialDate(s)
	if err != nil || d.IsZero() {
		return bad()
	}
	if d.Year < 1 || d.Year > 9999 {
		return bad()
	}
	return d, nil
}

// validDateTimeShape checks what time.RFC3339Nano parsing lets through but
// FHIR does not: the date-time must be YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)
// with an upper-case T and Z.
func validDateTimeShape(s string) bool {
	if len(s) < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return false
	}
	rest := s[19:]
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	if rest == "Z" {
		return true
	}
	return len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':'
}

// firstDay is the first calendar day (Europe/London) a date covers.
func firstDay(d record.PartialDate) pcnhub.Date {
	switch d.Precision {
	case record.DateYear:
		return pcnhub.Date{Year: d.Year, Month: time.January, Day: 1}
	case record.DateMonth:
		return pcnhub.Date{Year: d.Year, Month: d.Month, Day: 1}
	}
	return pcnhub.Date{Year: d.Year, Month: d.Month, Day: d.Day}
}

// lastDay is the last calendar day (Europe/London) a date covers.
func lastDay(d record.PartialDate) pcnhub.Date {
	switch d.Precision {
	case record.DateYear:
		return pcnhub.Date{Year: d.Year, Month: time.December, Day: 31}
	case record.DateMonth:
		return pcnhub.DateOf(time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC))
	}
	return pcnhub.Date{Year: d.Year, Month: d.Month, Day: d.Day}
}

func kindName(p *param) string {
	if k := p.kind(); k != "" {
		return clip(k)
	}
	return "no value"
}
