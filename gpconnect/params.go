package gpconnect

import (
	"github.com/pcnhub/pcnhub/fhir"
	"net/url"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// tolerated are parameters every search accepts and ignores (or handles
// elsewhere): paging and sorting hints, and the format.
var tolerated = map[string]bool{"_count": true, "_sort": true, "_format": true}

// identifierParam reads the one `identifier` parameter of a find
// interaction and checks its system: a missing, repeated or misspelt
// identifier parameter is 400 BAD_REQUEST; a system other than
// wantSystem, or an empty value, is 422 INVALID_PARAMETER.
func identifierParam(q url.Values, wantSystem string) (string, error) {
	for name := range q {
		if name != "identifier" && !tolerated[name] {
			return "", spineError(SpineBadRequest, "unknown search parameter %q (the search takes identifier)", name)
		}
	}
	vals := q["identifier"]
	switch {
	case len(vals) == 0:
		return "", spineError(SpineBadRequest, "the identifier parameter is missing")
	case len(vals) > 1:
		return "", spineError(SpineBadRequest, "the identifier parameter may be given only once")
	}
	system, value, found := strings.Cut(vals[0], "|")
	if !found || system == "" {
		return "", spineError(SpineInvalidParameter, "identifier must be %s|value", wantSystem)
	}
	if system != wantSystem {
		return "", spineError(SpineInvalidParameter, "identifier system %q is not supported here: use %s", system, wantSystem)
	}
	if value == "" {
		return "", spineError(SpineInvalidParameter, "identifier has no value")
	}
	return value, nil
}

// slotQuery is a parsed free-slot search.
type slotQuery struct {
	from, to     time.Time // slots must lie wholly inside [from, to]
	filter       schedule.SearchFilter
	practitioner bool // _include:recurse=Schedule:actor:Practitioner
	location     bool // _include:recurse=Schedule:actor:Location
	organisation bool // _include:recurse=Location:managingOrganization
}

// maxSlotWindow is the longest slot search, with an hour's leeway for a
// window whose ends straddle a clock change (+01:00 to +00:00).
const maxSlotWindow = 14*24*time.Hour + time.Hour

// parseSlotQuery checks a Slot search (§2.3). Missing mandatory
// parameters are 400 BAD_REQUEST; bad values, prefixes, Z or missing
// offsets, windows over 14 days or reversed are 422 INVALID_PARAMETER.
func parseSlotQuery(q url.Values) (*slotQuery, error) {
	sq := &slotQuery{}
	for _, name := range []string{"start", "end", "status"} {
		switch len(q[name]) {
		case 0:
			return nil, spineError(SpineBadRequest, "the %s parameter is missing", name)
		case 1:
		default:
			return nil, spineError(SpineBadRequest, "the %s parameter may be given only once", name)
		}
	}
	if q.Get("status") != "free" {
		return nil, spineError(SpineInvalidParameter, "status must be free")
	}
	// A date as start means that day's midnight; as end, the next
	// midnight: ge tomorrow & le today+14 is 14 days, le today+15 is 15.
	from, err := prefixedTime(q.Get("start"), "ge", "start", false)
	if err != nil {
		return nil, err
	}
	to, err := prefixedTime(q.Get("end"), "le", "end", true)
	if err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, spineError(SpineInvalidParameter, "end must be after start")
	}
	if to.Sub(from) > maxSlotWindow {
		return nil, spineError(SpineInvalidParameter, "the search covers more than 14 days")
	}
	sq.from, sq.to = from, to

	includes := q["_include"]
	if len(includes) != 1 || includes[0] != "Slot:schedule" {
		return nil, spineError(SpineBadRequest, "the search must include _include=Slot:schedule once")
	}
	for _, inc := range q["_include:recurse"] {
		switch inc {
		case "Schedule:actor:Practitioner":
			sq.practitioner = true
		case "Schedule:actor:Location":
			sq.location = true
		case "Location:managingOrganization":
			sq.organisation = true
		default:
			return nil, spineError(SpineInvalidParameter, "_include:recurse=%s is not supported", inc)
		}
	}
	for _, f := range q["searchFilter"] {
		system, value, _ := strings.Cut(f, "|")
		switch system {
		case fhir.CodeSystemOrganisationType:
			t := pcnhub.OrgType(value)
			if t != pcnhub.OrgGPPractice && t != pcnhub.OrgUrgentCare {
				return nil, spineError(SpineInvalidParameter, "searchFilter organisation type %q is not gp-practice or urgent-care", value)
			}
			sq.filter.OrgType = t
		case fhir.SystemODSOrganization:
			ods, err := pcnhub.ParseODSCode(value)
			if err != nil || string(ods) != value {
				return nil, spineError(SpineInvalidParameter, "searchFilter ODS code %q is not valid", value)
			}
			sq.filter.ODS = ods
		default:
			// Unknown filter systems (e.g. UC dispositions) are ignored, as the specification says.
		}
	}
	return sq, nil
}

// prefixedTime parses "ge2026-11-21" or "ge2026-11-21T09:00:00+00:00".
// A date alone means the start of that day in London, or with endOfDay
// the start of the next day.
func prefixedTime(v, prefix, name string, endOfDay bool) (time.Time, error) {
	rest, ok := strings.CutPrefix(v, prefix)
	if !ok {
		return time.Time{}, spineError(SpineInvalidParameter, "%s must have the prefix %s (got %q)", name, prefix, clipParam(v))
	}
	if len(rest) == 10 {
		d, err := pcnhub.ParseDate(rest)
		if err != nil {
			return time.Time{}, spineError(SpineInvalidParameter, "%s: %s", name, pcnhub.ErrorMessage(err))
		}
		if endOfDay {
			d = d.AddDays(1)
		}
		return d.Time(pcnhub.London), nil
	}
	t, err := parseUKDateTime(rest)
	if err != nil {
		return time.Time{}, spineError(SpineInvalidParameter, "%s: %v", name, err)
	}
	return t, nil
}

// parseUKDateTime accepts yyyy-mm-ddThh:mm:ss±hh:mm with the offset
// +00:00 or +01:00 (UK local time); Z and missing offsets are refused.
func parseUKDateTime(s string) (time.Time, error) {
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		return time.Time{}, errorString("times must carry a UK offset (+00:00 or +01:00), not Z")
	}
	t, err := time.Parse("2006-01-02T15:04:05-07:00", s)
	if err != nil {
		return time.Time{}, errorString("must be a date (yyyy-mm-dd) or a time yyyy-mm-ddThh:mm:ss+hh:mm")
	}
	if _, off := t.Zone(); off != 0 && off != 3600 {
		return time.Time{}, errorString("the offset must be +00:00 or +01:00 (UK local time)")
	}
	return t, nil
}

func clipParam(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// parseAppointmentRange checks the start parameters of a patient's
// appointments search (§2.5): exactly two, one ge and one le, dates only,
// le not before ge, and ge not before today. Returns [from, to).
func parseAppointmentRange(q url.Values, today pcnhub.Date) (time.Time, time.Time, error) {
	starts := q["start"]
	if len(starts) != 2 {
		return time.Time{}, time.Time{}, spineError(SpineInvalidParameter, "give start twice: start=ge{date}&start=le{date}")
	}
	var ge, le string
	for _, s := range starts {
		switch {
		case strings.HasPrefix(s, "ge") && ge == "":
			ge = s[2:]
		case strings.HasPrefix(s, "le") && le == "":
			le = s[2:]
		default:
			return time.Time{}, time.Time{}, spineError(SpineInvalidParameter, "start %q: use one ge and one le prefix", clipParam(s))
		}
	}
	from, err := pcnhub.ParseDate(ge)
	if err != nil {
		return time.Time{}, time.Time{}, spineError(SpineInvalidParameter, "start=ge must be a date yyyy-mm-dd: %s", pcnhub.ErrorMessage(err))
	}
	to, err := pcnhub.ParseDate(le)
	if err != nil {
		return time.Time{}, time.Time{}, spineError(SpineInvalidParameter, "start=le must be a date yyyy-mm-dd: %s", pcnhub.ErrorMessage(err))
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, spineError(SpineInvalidParameter, "start=le is before start=ge")
	}
	if from.Before(today) {
		return time.Time{}, time.Time{}, spineError(SpineInvalidParameter, "the range starts in the past: appointments before today belong to the record")
	}
	return from.Time(pcnhub.London), to.AddDays(1).Time(pcnhub.London), nil
}
