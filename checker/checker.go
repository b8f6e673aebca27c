// Package checker analyses a GP Connect free-slot search answer the way a
// consumer sees it (the NHS GP Connect Appointment Checker, assurance.md
// Part C §1.3): slot counts and breakdowns, and the configuration defects
// that make slots invisible or misleading (§1.5). It does no I/O.
package checker

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
)

// Problem codes.
const (
	NotFHIR             = "NOT_FHIR"              // the body does not decode as a FHIR Bundle
	BundleNotSearchset  = "BUNDLE_NOT_SEARCHSET"  // Bundle.type is not searchset
	SlotNoSchedule      = "SLOT_NO_SCHEDULE"      // Slot.schedule does not resolve to an included Schedule
	ScheduleNoLocation  = "SCHEDULE_NO_LOCATION"  // Schedule without a Location actor
	ScheduleDanglingRef = "SCHEDULE_DANGLING_REF" // Schedule actor not included in the Bundle
	LocationNoOrg       = "LOCATION_NO_ORG"       // Location without managingOrganization
	ChannelMissing      = "CHANNEL_MISSING"       // no DeliveryChannel extension on a Slot
	ChannelNotFirst     = "CHANNEL_NOT_FIRST"     // DeliveryChannel extension not Slot.extension[0]
	ChannelUnknown      = "CHANNEL_UNKNOWN"       // delivery channel not In-person, Telephone or Video
	VisitSlot           = "VISIT_SLOT"            // a home-visit slot is exposed
	RoleMissing         = "ROLE_MISSING"          // no PractitionerRole extension on a Schedule
	RoleNotFirst        = "ROLE_NOT_FIRST"        // PractitionerRole extension not Schedule.extension[0]
	SlotTypeMissing     = "SLOT_TYPE_MISSING"     // Slot.serviceType[0].text missing
	SessionNameMissing  = "SESSION_NAME_MISSING"  // Schedule.serviceCategory.text missing
	TimeZ               = "TIME_Z"                // a time written with Z
	TimeNoOffset        = "TIME_NO_OFFSET"        // a time written without an offset
	TimeWrongOffset     = "TIME_WRONG_OFFSET"     // an offset that is not UK time's at that instant
	SlotOutsideWindow   = "SLOT_OUTSIDE_WINDOW"   // a slot not wholly inside the requested window
	SlotDuplicate       = "SLOT_DUPLICATE"        // two slots of one schedule with the same times
	SlotOverlap         = "SLOT_OVERLAP"          // two slots of one schedule overlap
	SlotNotFree         = "SLOT_NOT_FREE"         // a slot whose status is not free
)

var messages = map[string]string{
	NotFHIR:             "the answer does not decode as a FHIR STU3 Bundle; consumers see nothing",
	BundleNotSearchset:  "Bundle.type is not searchset",
	SlotNoSchedule:      "Slot whose schedule is not an included Schedule; consumers cannot show it",
	ScheduleNoLocation:  "Schedule without a Location actor",
	ScheduleDanglingRef: "Schedule actor reference not included in the Bundle",
	LocationNoOrg:       "Location without managingOrganization",
	ChannelMissing:      "Slot without a DeliveryChannel extension",
	ChannelNotFirst:     "DeliveryChannel extension is not the Slot's first extension; consumers read only extension[0]",
	ChannelUnknown:      "unknown delivery channel (want In-person, Telephone or Video)",
	VisitSlot:           "home-visit (Visit) slot exposed to GP Connect",
	RoleMissing:         "Schedule without a PractitionerRole extension",
	RoleNotFirst:        "PractitionerRole extension is not the Schedule's first extension; consumers read only extension[0]",
	SlotTypeMissing:     "Slot without serviceType[0].text (slot type)",
	SessionNameMissing:  "Schedule without serviceCategory.text (session name)",
	TimeZ:               "time written in Z (UTC); GP Connect wants UK local time with +00:00/+01:00",
	TimeNoOffset:        "time written without an offset",
	TimeWrongOffset:     "time written with an offset that is not UK local time's at that instant (+00:00 in winter, +01:00 in summer): the slot is an hour from where it reads",
	SlotOutsideWindow:   "slot not wholly inside the requested window",
	SlotDuplicate:       "duplicate slot (same schedule, same start and end)",
	SlotOverlap:         "overlapping slots of one schedule",
	SlotNotFree:         "slot whose status is not free returned for status=free",
}

// Message is the description of a problem code.
func Message(code string) string { return messages[code] }

// Problem is a defect seen Count times; Message names it and gives up to
// three examples.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Count   int    `json:"count"`
}

// Report is what a consumer would see of one search answer.
type Report struct {
	BundleType string `json:"bundleType"`
	Slots      int    `json:"slots"` // every Slot in the Bundle
	Free       int    `json:"free"`  // free slots starting after now
	Past       int    `json:"past"`  // slots starting at or before now
	// Earliest is the start of the earliest free slot after now (zero if none).
	Earliest time.Time `json:"earliest,omitzero"`
	Next24h  int       `json:"next24h"`
	Next72h  int       `json:"next72h"`

	ByDay      map[string]int `json:"byDay"`      // UK date YYYY-MM-DD
	ByChannel  map[string]int `json:"byChannel"`  // delivery channel, "missing"
	ByType     map[string]int `json:"byType"`     // Slot.serviceType[0].text
	BySession  map[string]int `json:"bySession"`  // Schedule.serviceCategory.text
	ByRole     map[string]int `json:"byRole"`     // PractitionerRole display
	ByLocation map[string]int `json:"byLocation"` // Location.name

	Problems []Problem `json:"problems"`
}

// Missing is the breakdown key of an absent value.
const Missing = "missing"

// Count is one row of a breakdown.
type Count struct {
	Key string
	N   int
}

// Sorted returns a breakdown's rows by key.
func Sorted(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Has reports whether the report has a problem with the code.
func (r *Report) Has(code string) bool {
	for _, p := range r.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

type problems struct {
	order    []string
	count    map[string]int
	examples map[string][]string
}

func (p *problems) add(code, example string) {
	if p.count[code] == 0 {
		p.order = append(p.order, code)
	}
	p.count[code]++
	if example != "" && len(p.examples[code]) < 3 {
		p.examples[code] = append(p.examples[code], example)
	}
}

func (p *problems) list() []Problem {
	out := make([]Problem, 0, len(p.order))
	for _, c := range p.order {
		msg := messages[c]
		if ex := p.examples[c]; len(ex) > 0 {
			msg += " (e.g. " + strings.Join(ex, ", ") + ")"
		}
		out = append(out, Problem{Code: c, Message: msg, Count: p.count[c]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// refKey reduces a reference to "Type/id" (absolute URLs and _history
// suffixes too).
func refKey(ref string) string {
	if i := strings.Index(ref, "/_history/"); i >= 0 {
		ref = ref[:i]
	}
	parts := strings.Split(strings.TrimRight(ref, "/"), "/")
	if len(parts) < 2 {
		return ref
	}
	return parts[len(parts)-2] + "/" + parts[len(parts)-1]
}

// Analyse reads a slot search answer: raw is the body as received (its
// time strings are checked as written), b the decoded Bundle (nil when it
// did not decode), [from, to) the requested window and now the time of
// the search.
func Analyse(raw []byte, b *fhir.Bundle, from, to time.Time, now time.Time) Report {
	r := Report{ByDay: map[string]int{}, ByChannel: map[string]int{}, ByType: map[string]int{},
		BySession: map[string]int{}, ByRole: map[string]int{}, ByLocation: map[string]int{}}
	p := &problems{count: map[string]int{}, examples: map[string][]string{}}
	rawTimes(raw, p)
	if b == nil {
		if d, err := fhir.Unmarshal(fhir.JSON, raw); err == nil {
			b, _ = d.(*fhir.Bundle)
		}
	}
	if b == nil {
		p.add(NotFHIR, "")
		r.Problems = p.list()
		return r
	}
	r.BundleType = b.Type
	if b.Type != "searchset" {
		p.add(BundleNotSearchset, "type "+b.Type)
	}

	byKey := map[string]fhir.Resource{}
	var slots []*fhir.Slot
	var schedules []*fhir.Schedule
	var locations []*fhir.Location
	for _, en := range b.Entry {
		if en.Resource == nil {
			continue
		}
		byKey[en.Resource.ResourceType()+"/"+fhir.LogicalID(en.Resource)] = en.Resource
		switch v := en.Resource.(type) {
		case *fhir.Slot:
			slots = append(slots, v)
		case *fhir.Schedule:
			schedules = append(schedules, v)
		case *fhir.Location:
			locations = append(locations, v)
		}
	}

	// Schedules and locations, once each.
	scheduleLocation := map[*fhir.Schedule]*fhir.Location{}
	for _, sc := range schedules {
		name := "Schedule/" + sc.ID
		hasLoc := false
		for _, a := range sc.Actor {
			k := refKey(a.Reference)
			if !strings.HasPrefix(k, "Location/") && !strings.HasPrefix(k, "Practitioner/") {
				continue
			}
			res, ok := byKey[k]
			if !ok {
				p.add(ScheduleDanglingRef, name+" → "+a.Reference)
				continue
			}
			if l, ok := res.(*fhir.Location); ok {
				hasLoc = true
				if scheduleLocation[sc] == nil {
					scheduleLocation[sc] = l
				}
			}
		}
		if !hasLoc && !hasLocationRef(sc) {
			p.add(ScheduleNoLocation, name)
		}
		switch i := extIndex(sc.Extension, fhir.ExtPractitionerRole); {
		case i < 0:
			p.add(RoleMissing, name)
		case i > 0:
			p.add(RoleNotFirst, name)
		}
		if sc.ServiceCategory == nil || strings.TrimSpace(sc.ServiceCategory.Text) == "" {
			p.add(SessionNameMissing, name)
		}
	}
	for _, l := range locations {
		if l.ManagingOrganization == nil || l.ManagingOrganization.Reference == "" {
			p.add(LocationNoOrg, "Location/"+l.ID)
		}
	}

	type span struct {
		id         string
		start, end time.Time
	}
	perSchedule := map[string][]span{}
	for _, s := range slots {
		name := "Slot/" + s.ID
		r.Slots++
		start, end := s.Start.Time(), s.End.Time()
		if s.Status != "free" {
			p.add(SlotNotFree, name+" "+s.Status)
		}
		if start.After(now) {
			if s.Status == "free" {
				r.Free++
				if r.Earliest.IsZero() || start.Before(r.Earliest) {
					r.Earliest = start
				}
				if !start.After(now.Add(24 * time.Hour)) {
					r.Next24h++
				}
				if !start.After(now.Add(72 * time.Hour)) {
					r.Next72h++
				}
			}
		} else {
			r.Past++
		}
		if !start.IsZero() {
			r.ByDay[start.In(pcnhub.London).Format(time.DateOnly)]++
		}
		if start.Before(from) || end.After(to) {
			p.add(SlotOutsideWindow, name+" "+s.Start.String())
		}

		channel := Missing
		switch i := extIndex(s.Extension, fhir.ExtDeliveryChannel); {
		case i < 0:
			p.add(ChannelMissing, name)
		default:
			if i > 0 {
				p.add(ChannelNotFirst, name)
			}
			channel = s.Extension[i].ValueCode
			if channel == "" {
				channel = Missing
				p.add(ChannelMissing, name)
			}
		}
		r.ByChannel[channel]++
		switch channel {
		case fhir.DeliveryChannelInPerson, fhir.DeliveryChannelTelephone, fhir.DeliveryChannelVideo, Missing:
		case "Visit":
			p.add(VisitSlot, name)
		default:
			p.add(ChannelUnknown, name+" "+channel)
		}

		slotType := Missing
		if len(s.ServiceType) > 0 && strings.TrimSpace(s.ServiceType[0].Text) != "" {
			slotType = s.ServiceType[0].Text
		} else {
			p.add(SlotTypeMissing, name)
		}
		r.ByType[slotType]++

		var sc *fhir.Schedule
		if s.Schedule != nil {
			sc, _ = byKey[refKey(s.Schedule.Reference)].(*fhir.Schedule)
		}
		session, role, location := Missing, Missing, Missing
		if sc == nil {
			p.add(SlotNoSchedule, name)
		} else {
			if sc.ServiceCategory != nil && strings.TrimSpace(sc.ServiceCategory.Text) != "" {
				session = sc.ServiceCategory.Text
			}
			if i := extIndex(sc.Extension, fhir.ExtPractitionerRole); i >= 0 {
				if cc := sc.Extension[i].ValueCodeableConcept; cc != nil && len(cc.Coding) > 0 && cc.Coding[0].Display != "" {
					role = cc.Coding[0].Display
				}
			}
			if l := scheduleLocation[sc]; l != nil && l.Name != "" {
				location = l.Name
			}
			k := "Schedule/" + sc.ID
			perSchedule[k] = append(perSchedule[k], span{name, start, end})
		}
		r.BySession[session]++
		r.ByRole[role]++
		r.ByLocation[location]++
	}

	keys := make([]string, 0, len(perSchedule))
	for k := range perSchedule {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sp := perSchedule[k]
		sort.SliceStable(sp, func(i, j int) bool { return sp[i].start.Before(sp[j].start) })
		var maxEnd time.Time
		for i, s := range sp {
			if i > 0 {
				prev := sp[i-1]
				switch {
				case s.start.Equal(prev.start) && s.end.Equal(prev.end):
					p.add(SlotDuplicate, prev.id+" = "+s.id)
				case s.start.Before(maxEnd):
					p.add(SlotOverlap, prev.id+" ∩ "+s.id)
				}
			}
			if s.end.After(maxEnd) {
				maxEnd = s.end
			}
		}
	}
	r.Problems = p.list()
	return r
}

func hasLocationRef(sc *fhir.Schedule) bool {
	for _, a := range sc.Actor {
		if strings.HasPrefix(refKey(a.Reference), "Location/") {
			return true
		}
	}
	return false
}

func extIndex(exts []fhir.Extension, url string) int {
	for i, e := range exts {
		if e.URL == url {
			return i
		}
	}
	return -1
}

// rawTimes checks the Slot start/end and Schedule planningHorizon strings
// as the provider wrote them.
func rawTimes(raw []byte, p *problems) {
	var doc struct {
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
				ID           string `json:"id"`
				Start        any    `json:"start"`
				End          any    `json:"end"`
				Planning     *struct {
					Start any `json:"start"`
					End   any `json:"end"`
				} `json:"planningHorizon"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if json.Unmarshal(raw, &doc) != nil {
		return
	}
	check := func(name string, v any) {
		s, ok := v.(string)
		if !ok || strings.IndexByte(s, 'T') < 0 {
			return // absent, or a date without a time
		}
		switch {
		case strings.HasSuffix(s, "Z"):
			p.add(TimeZ, fmt.Sprintf("%s %s", name, s))
		case !hasOffset(s):
			p.add(TimeNoOffset, fmt.Sprintf("%s %s", name, s))
		default:
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				_, written := t.Zone()
				if _, uk := t.In(pcnhub.London).Zone(); written != uk {
					p.add(TimeWrongOffset, fmt.Sprintf("%s %s (UK time then is %s)", name, s, t.In(pcnhub.London).Format("15:04-07:00")))
				}
			}
		}
	}
	for _, en := range doc.Entry {
		res := en.Resource
		name := res.ResourceType + "/" + res.ID
		switch res.ResourceType {
		case "Slot":
			check(name, res.Start)
			check(name, res.End)
		case "Schedule":
			if res.Planning != nil {
				check(name, res.Planning.Start)
				check(name, res.Planning.End)
			}
		}
	}
}

// hasOffset reports whether a date-time string ends with ±hh:mm.
func hasOffset(s string) bool {
	if len(s) < 6 {
		return false
	}
	o := s[len(s)-6:]
	return (o[0] == '+' || o[0] == '-') && o[3] == ':'
}
