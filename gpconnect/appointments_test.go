package gpconnect_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed/assurance"
)

// book is ORG1's test appointment book: schedule 900 (Location 1,
// practitioner 2) on Wednesday 2026-11-25, ten-minute slots from 09:00.
type book struct {
	slots map[string]int64 // by name
}

var slotPlan = []struct {
	name     string
	minute   int
	channel  schedule.DeliveryChannel
	bookable bool
	types    []pcnhub.OrgType
	ods      []pcnhub.ODSCode
}{
	{"open1", 0, schedule.InPerson, true, nil, nil},
	{"open2", 10, schedule.InPerson, true, nil, nil},
	{"open3", 20, schedule.InPerson, true, nil, nil},
	{"urgent", 30, schedule.Telephone, true, []pcnhub.OrgType{pcnhub.OrgUrgentCare}, nil},
	{"ods111", 40, schedule.InPerson, true, nil, []pcnhub.ODSCode{"Y99911"}},
	{"unbookable", 50, schedule.InPerson, false, nil, nil},
	{"visit", 60, schedule.Visit, false, nil, nil},
	{"gpOnly", 70, schedule.Video, true, []pcnhub.OrgType{pcnhub.OrgGPPractice}, nil},
}

var bookDay = time.Date(2026, 11, 25, 9, 0, 0, 0, pcnhub.London)

func (e *env) makeBook() *book {
	e.t.Helper()
	sc := &schedule.Schedule{ID: 900, OrganisationID: e.org1.ID, LocationID: 1, PractitionerID: 2,
		ServiceCategory: "Morning surgery", PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner",
		PlanningStart: bookDay, PlanningEnd: bookDay.Add(3 * time.Hour)}
	if _, err := e.store.UpsertSchedule(ctx, sc); err != nil {
		e.t.Fatal(err)
	}
	w, err := e.store.BeginSlotWrite(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range slotPlan {
		start := bookDay.Add(time.Duration(p.minute) * time.Minute)
		if err := w.Add(ctx, &schedule.Slot{ScheduleID: 900, Start: start, End: start.Add(10 * time.Minute), Status: schedule.SlotFree,
			ServiceType: "Routine GP appointment", DeliveryChannel: p.channel, Bookable: p.bookable, OrgTypes: p.types, ODSCodes: p.ods}); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := w.Commit(ctx); err != nil {
		e.t.Fatal(err)
	}
	slots, err := e.store.FreeSlots(ctx, e.org1.ID, bookDay, bookDay.Add(3*time.Hour))
	if err != nil {
		e.t.Fatal(err)
	}
	b := &book{slots: map[string]int64{}}
	for _, s := range slots {
		for _, p := range slotPlan {
			if s.ScheduleID == 900 && s.Start.Equal(bookDay.Add(time.Duration(p.minute)*time.Minute)) {
				b.slots[p.name] = s.ID
			}
		}
	}
	return b
}

const slotSearch = "/Slot?status=free&_include=Slot:schedule&_include:recurse=Schedule:actor:Practitioner" +
	"&_include:recurse=Schedule:actor:Location&_include:recurse=Location:managingOrganization" +
	"&start=ge2026-11-25&end=le2026-11-25"

func (e *env) search(query string) (*result, []*fhir.Slot, *fhir.Bundle) {
	e.t.Helper()
	r := e.do(call{method: "GET", path: root + query, interaction: gpconnect.IDSearchSlots})
	if r.status != 200 {
		return r, nil, nil
	}
	b := bundle(e.t, e.ok(r))
	// Only the test book's slots (schedule 900): the assurance data has
	// slots of its own at ORG1.
	var slots []*fhir.Slot
	for _, en := range b.Entry {
		if s, ok := en.Resource.(*fhir.Slot); ok && s.Schedule.Reference == "Schedule/900" {
			slots = append(slots, s)
		}
	}
	return r, slots, b
}

func slotIDs(slots []*fhir.Slot) map[string]bool {
	out := map[string]bool{}
	for _, s := range slots {
		out[s.ID] = true
	}
	return out
}

func (b *book) ids(names ...string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		out[strconv.FormatInt(b.slots[n], 10)] = true
	}
	return out
}

func same(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestSlotSearch(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			bk := e.makeBook()
			filter := func(typ, ods string) string {
				s := ""
				if typ != "" {
					s += "&searchFilter=" + q("https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|"+typ)
				}
				if ods != "" {
					s += "&searchFilter=" + q("https://fhir.nhs.uk/Id/ods-organization-code|"+ods)
				}
				return s
			}
			// The matching table of §2.2.
			for _, c := range []struct {
				name, typ, ods string
				want           []string
			}{
				{"no filters", "", "", []string{"open1", "open2", "open3"}},
				{"urgent-care", "urgent-care", "", []string{"open1", "open2", "open3", "urgent"}},
				{"gp-practice", "gp-practice", "", []string{"open1", "open2", "open3", "gpOnly"}},
				{"ODS Y99911", "", "Y99911", []string{"open1", "open2", "open3", "ods111"}},
				{"urgent-care and Y99911", "urgent-care", "Y99911", []string{"open1", "open2", "open3", "urgent", "ods111"}},
				{"urgent-care and B82617 (assurance)", "urgent-care", "B82617", []string{"open1", "open2", "open3", "urgent"}},
			} {
				_, slots, b := e.search(slotSearch + filter(c.typ, c.ods))
				if got, want := slotIDs(slots), bk.ids(c.want...); !same(got, want) {
					t.Errorf("%s: slots %v, want %v", c.name, got, want)
				}
				included := map[string]bool{}
				counts := map[string]int{}
				for _, en := range b.Entry {
					included[en.FullURL[strings.Index(en.FullURL, root)+len(root)+1:]] = true
					counts[en.Resource.ResourceType()]++
				}
				for _, want := range []string{"Schedule/900", "Practitioner/2", "Location/1", "Organization/" + itoa(e.org1.ID)} {
					if !included[want] {
						t.Errorf("%s: %s not included", c.name, want)
					}
				}
				if counts["Organization"] != 1 || counts["Location"] != 1 {
					t.Errorf("%s: included %v", c.name, counts)
				}
			}
			// What consumers read: the channel extension first on Slot, the
			// role extension first on Schedule, UK offsets, never Z.
			_, slots, b := e.search(slotSearch)
			for _, s := range slots {
				if len(s.Extension) == 0 || !strings.HasSuffix(s.Extension[0].URL, "DeliveryChannel-2") || s.Extension[0].ValueCode == "" {
					t.Errorf("slot %s: delivery channel extension not first: %+v", s.ID, s.Extension)
				}
				if !strings.HasSuffix(s.Start.String(), "+00:00") || s.Start.IsZero() {
					t.Errorf("slot %s start %s: want +00:00 in November", s.ID, s.Start)
				}
				if len(s.ServiceType) == 0 || s.ServiceType[0].Text != "Routine GP appointment" {
					t.Errorf("slot %s: serviceType %+v", s.ID, s.ServiceType)
				}
			}
			for _, en := range b.Entry {
				if sc, ok := en.Resource.(*fhir.Schedule); ok && sc.ID == "900" {
					if len(sc.Extension) == 0 || !strings.HasSuffix(sc.Extension[0].URL, "PractitionerRole-1") ||
						sc.ServiceCategory == nil || sc.ServiceCategory.Text != "Morning surgery" {
						t.Errorf("schedule: %+v", sc)
					}
				}
			}
			// Without the recurse includes: Slots, Schedule, and the Organization.
			_, _, b = e.search("/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-26")
			for _, en := range b.Entry {
				if rt := en.Resource.ResourceType(); rt == "Practitioner" || rt == "Location" {
					t.Errorf("%s included without being asked", rt)
				}
			}
			// An empty window (beyond the seeded weeks) is an empty Bundle.
			if _, slots, b := e.search("/Slot?status=free&_include=Slot:schedule&start=ge2027-06-01&end=le2027-06-02"); len(slots) != 0 || len(b.Entry) != 0 {
				t.Errorf("empty window: %d entries", len(b.Entry))
			}
			// Slots must lie wholly inside the window.
			if _, slots, _ := e.search("/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25T09:05:00%2B00:00&end=le2026-11-25T09:30:00%2B00:00"); !same(slotIDs(slots), bk.ids("open2", "open3")) {
				t.Errorf("window 09:05–09:30: %v", slotIDs(slots))
			}
			// Bad parameters.
			for _, c := range []struct {
				query  string
				status int
				spine  string
			}{
				{"/Slot?_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-25", 400, "BAD_REQUEST"},
				{"/Slot?status=busy&_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-25", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&end=le2026-11-25", 400, "BAD_REQUEST"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25", 400, "BAD_REQUEST"},
				{"/Slot?status=free&start=ge2026-11-25&end=le2026-11-25", 400, "BAD_REQUEST"},
				{"/Slot?status=free&_include=Slot:schedule&start=gt2026-11-25&end=le2026-11-25", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=2026-11-25&end=le2026-11-25", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=lt2026-11-25", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25T09:00:00Z&end=le2026-11-25", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25T09:00:00&end=le2026-11-25", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11&end=le2026-11-25", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-24", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-12-09", 422, "INVALID_PARAMETER"},
				{"/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-25&searchFilter=" + q("https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|hospital"), 422, "INVALID_PARAMETER"},
			} {
				r, _, _ := e.search(c.query)
				e.outcome(r, c.status, c.spine)
			}
			// 14 days is the most: ge tomorrow & le +14 passes; unknown filter systems are ignored.
			if r, _, _ := e.search("/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-12-08&searchFilter=" + q("https://example.org/disposition|Dx01")); r.status != 200 {
				t.Errorf("14-day window: %d %s", r.status, r.body)
			}
		})
	}
}

// appointmentBody is a consumer's booking, as in the specification's example.
func appointmentBody(slotIDs []int64, patientID int64, start, end time.Time, orgType string) string {
	var slots []string
	for _, id := range slotIDs {
		slots = append(slots, fmt.Sprintf(`{"reference":"Slot/%d"}`, id))
	}
	typ := ""
	if orgType != "" {
		typ = `,"type":[{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1","code":"` + orgType + `"}]}]`
	}
	return `{"resourceType":"Appointment","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"]},
	"contained":[{"resourceType":"Organization","id":"1","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"]},
	  "identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"B82617"}]` + typ + `,"name":"Test Suite Validator","telecom":[{"system":"phone","value":"01823938938"}]}],
	"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1","valueReference":{"reference":"#1"}}],
	"status":"booked","description":"Sore throat, booked by 111","start":"` + start.In(pcnhub.London).Format("2006-01-02T15:04:05-07:00") + `","end":"` + end.In(pcnhub.London).Format("2006-01-02T15:04:05-07:00") + `",
	"slot":[` + strings.Join(slots, ",") + `],"created":"2026-11-24T08:55:00+00:00","comment":"Please call on arrival",
	"participant":[{"actor":{"reference":"Patient/` + strconv.FormatInt(patientID, 10) + `"},"status":"accepted"},{"actor":{"reference":"Location/1"},"status":"accepted"}]}`
}

func (e *env) patient1() *pcnhub.Patient {
	e.t.Helper()
	p, err := e.store.PatientByNHSNumber(ctx, e.org1.ID, assurance.Patient1)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) bookCall(body string, header map[string]string) *result {
	return e.do(call{method: "POST", path: root + "/Appointment", interaction: gpconnect.IDBookAppointment, scope: "patient/*.write",
		body: []byte(body), header: header})
}

func at(minute int) time.Time { return bookDay.Add(time.Duration(minute) * time.Minute) }

func TestBookReadAmendCancelRetrieve(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			bk := e.makeBook()
			pt := e.patient1()

			// Book one slot as an urgent-care consumer.
			r := e.bookCall(appointmentBody([]int64{bk.slots["urgent"]}, pt.ID, at(30), at(40), "urgent-care"), nil)
			if r.status != 201 {
				t.Fatalf("book: %d %s", r.status, r.body)
			}
			a := e.ok(r).(*fhir.Appointment)
			if a.ID == "" || a.Meta.VersionID == "" || a.Status != "booked" || a.ServiceType[0].Text != "Routine GP appointment" ||
				a.ServiceCategory.Text != "Morning surgery" || a.Description != "Sore throat, booked by 111" {
				t.Fatalf("booked appointment %+v", a)
			}
			if loc := r.header.Get("Location"); !strings.HasSuffix(loc, root+"/Appointment/"+a.ID+"/_history/"+a.Meta.VersionID) {
				t.Errorf("Location %q", loc)
			}
			if r.header.Get("ETag") != `W/"`+a.Meta.VersionID+`"` {
				t.Errorf("ETag %q", r.header.Get("ETag"))
			}
			// The slot is taken: not searchable, not bookable again.
			if _, slots, _ := e.search(slotSearch + "&searchFilter=" + q("https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|urgent-care")); slotIDs(slots)[strconv.FormatInt(bk.slots["urgent"], 10)] {
				t.Error("booked slot still searchable")
			}
			e.outcome(e.bookCall(appointmentBody([]int64{bk.slots["urgent"]}, pt.ID, at(30), at(40), "urgent-care"), nil), 409, "DUPLICATE_REJECTED")

			// Rule breaches are 422.
			for name, body := range map[string]string{
				"start not the slot's": appointmentBody([]int64{bk.slots["open1"]}, pt.ID, at(1), at(10), ""),
				"slots not contiguous": appointmentBody([]int64{bk.slots["open1"], bk.slots["open3"]}, pt.ID, at(0), at(30), ""),
				"restricted to urgent": appointmentBody([]int64{bk.slots["gpOnly"]}, pt.ID, at(70), at(80), "urgent-care"),
				"not bookable":         appointmentBody([]int64{bk.slots["unbookable"]}, pt.ID, at(50), at(60), ""),
				"unknown slot":         appointmentBody([]int64{987654}, pt.ID, at(0), at(10), ""),
				"unknown patient":      appointmentBody([]int64{bk.slots["open1"]}, 987654, at(0), at(10), ""),
				"reason":               strings.Replace(appointmentBody([]int64{bk.slots["open1"]}, pt.ID, at(0), at(10), ""), `"status":"booked"`, `"status":"booked","reason":[{"text":"x"}]`, 1),
				"Z times":              strings.Replace(appointmentBody([]int64{bk.slots["open1"]}, pt.ID, at(0), at(10), ""), "2026-11-25T09:00:00+00:00", "2026-11-25T09:00:00Z", 1),
				"absolute slot":        strings.Replace(appointmentBody([]int64{bk.slots["open1"]}, pt.ID, at(0), at(10), ""), `"Slot/`, `"https://other.example/Slot/`, 1),
				"no booking org":       strings.Replace(appointmentBody([]int64{bk.slots["open1"]}, pt.ID, at(0), at(10), ""), "BookingOrganisation-1", "BookingOrganization-9", 1),
				"not an appointment":   `{"resourceType":"Patient"}`,
				"unknown element":      strings.Replace(appointmentBody([]int64{bk.slots["open1"]}, pt.ID, at(0), at(10), ""), `"status":"booked"`, `"status":"booked","colour":"blue"`, 1),
			} {
				t.Run(name, func(t *testing.T) {
					e.t = t
					e.outcome(e.bookCall(body, nil), 422, "INVALID_RESOURCE")
				})
			}
			e.t = t

			// Two contiguous slots, booked in XML with Prefer: return=minimal.
			xmlBody := toXML(t, appointmentBody([]int64{bk.slots["open1"], bk.slots["open2"]}, pt.ID, at(0), at(20), ""))
			r = e.bookCall(xmlBody, map[string]string{"Content-Type": fhir.MIMEXML, "Accept": fhir.MIMEXML, "Prefer": "return=minimal"})
			if r.status != 201 || len(r.body) != 0 || r.header.Get("Location") == "" {
				t.Fatalf("minimal XML booking: %d %q", r.status, r.body)
			}
			twoID := r.header.Get("Location")[strings.Index(r.header.Get("Location"), "/Appointment/")+len("/Appointment/"):]
			twoID = twoID[:strings.Index(twoID, "/")]

			// Read it back in XML.
			r = e.do(call{method: "GET", path: root + "/Appointment/" + twoID, interaction: gpconnect.IDReadAppointment, scope: "patient/*.read",
				header: map[string]string{"Accept": fhir.MIMEXML}})
			res, err := decode(r)
			if err != nil || r.status != 200 {
				t.Fatalf("read XML: %d %v %s", r.status, err, r.body)
			}
			two := res.(*fhir.Appointment)
			if len(two.Slot) != 2 || !two.Start.Time().Equal(at(0)) || !two.End.Time().Equal(at(20)) {
				t.Fatalf("two-slot appointment: %+v", two)
			}

			// Amend: description and comment only.
			readJSON := func(id string) (*fhir.Appointment, string) {
				r := e.do(call{method: "GET", path: root + "/Appointment/" + id, interaction: gpconnect.IDReadAppointment, scope: "patient/*.read"})
				return e.ok(r).(*fhir.Appointment), r.header.Get("ETag")
			}
			put := func(id, interaction string, a *fhir.Appointment, etag string) *result {
				body, err := fhir.Marshal(fhir.JSON, a)
				if err != nil {
					t.Fatal(err)
				}
				return e.do(call{method: "PUT", path: root + "/Appointment/" + id, interaction: interaction, scope: "patient/*.write",
					body: body, header: map[string]string{"If-Match": etag}})
			}
			cur, etag := readJSON(a.ID)
			cur.Description, cur.Comment = "Sore throat and fever", "Patient will ring from the car park"
			r = put(a.ID, gpconnect.IDAmendAppointment, cur, etag)
			amended := e.ok(r).(*fhir.Appointment)
			if amended.Description != "Sore throat and fever" || amended.Meta.VersionID == a.Meta.VersionID {
				t.Fatalf("amend: %+v", amended)
			}
			// The old ETag is stale now.
			e.outcome(put(a.ID, gpconnect.IDAmendAppointment, cur, etag), 409, "FHIR_CONSTRAINT_VIOLATION")
			cur, etag = readJSON(a.ID)
			prio := 1
			cur.Priority = &prio
			e.outcome(put(a.ID, gpconnect.IDAmendAppointment, cur, etag), 422, "INVALID_RESOURCE")
			cur, etag = readJSON(a.ID)
			cur.Participant = cur.Participant[:1]
			e.outcome(put(a.ID, gpconnect.IDAmendAppointment, cur, etag), 422, "INVALID_RESOURCE")

			// Cancel: status and reason only; the slot is free again.
			cur, etag = readJSON(a.ID)
			cur.Status = "cancelled"
			e.outcome(put(a.ID, gpconnect.IDCancelAppointment, cur, etag), 422, "INVALID_RESOURCE") // no reason
			cur.Extension = append(cur.Extension, fhir.Extension{URL: "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1", ValueString: " "})
			e.outcome(put(a.ID, gpconnect.IDCancelAppointment, cur, etag), 422, "INVALID_PARAMETER") // empty reason
			cur.Extension[len(cur.Extension)-1].ValueString = "Patient feels better"
			cur.Comment = "changed too"
			e.outcome(put(a.ID, gpconnect.IDCancelAppointment, cur, etag), 422, "INVALID_RESOURCE") // another change
			cur, etag = readJSON(a.ID)
			cur.Status = "cancelled"
			cur.Extension = append(cur.Extension, fhir.Extension{URL: "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1", ValueString: "Patient feels better"})
			e.outcome(put(a.ID, gpconnect.IDAmendAppointment, cur, etag), 422, "INVALID_RESOURCE") // cancel sent as an amend
			cancelled := e.ok(put(a.ID, gpconnect.IDCancelAppointment, cur, etag)).(*fhir.Appointment)
			if cancelled.Status != "cancelled" || cancelled.Meta.VersionID == cur.Meta.VersionID {
				t.Fatalf("cancel: %+v", cancelled)
			}
			if _, slots, _ := e.search(slotSearch + "&searchFilter=" + q("https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|urgent-care")); !slotIDs(slots)[strconv.FormatInt(bk.slots["urgent"], 10)] {
				t.Error("the cancelled appointment's slot was not released")
			}
			cur, etag = readJSON(a.ID)
			cur.Description = "again"
			e.outcome(put(a.ID, gpconnect.IDAmendAppointment, cur, etag), 422, "INVALID_RESOURCE") // amend a cancelled one

			// Retrieve: both appointments, the cancelled one included.
			retrieve := func(query string) *result {
				return e.do(call{method: "GET", path: root + "/Patient/" + strconv.FormatInt(pt.ID, 10) + "/Appointment" + query,
					interaction: gpconnect.IDPatientAppointments, scope: "patient/*.read"})
			}
			rb := bundle(t, e.ok(retrieve("?start=ge2026-11-24&start=le2026-12-01")))
			statuses := map[string]int{}
			for _, en := range rb.Entry {
				statuses[en.Resource.(*fhir.Appointment).Status]++
			}
			if statuses["booked"] != 1 || statuses["cancelled"] != 1 {
				t.Errorf("retrieve: %v", statuses)
			}
			e.outcome(retrieve("?start=ge2026-11-20&start=le2026-12-01"), 422, "INVALID_PARAMETER") // starts in the past
			e.outcome(retrieve("?start=ge2026-11-24"), 422, "INVALID_PARAMETER")
			e.outcome(retrieve("?start=ge2026-11-24&start=le2026-11-20"), 422, "INVALID_PARAMETER")
			e.outcome(retrieve("?start=ge2026-11-24&start=le2026-12-01T10:00:00%2B00:00"), 422, "INVALID_PARAMETER")
			e.outcome(e.do(call{method: "GET", path: root + "/Patient/999999/Appointment?start=ge2026-11-24&start=le2026-12-01",
				interaction: gpconnect.IDPatientAppointments, scope: "patient/*.read"}), 404, "PATIENT_NOT_FOUND")
			e.outcome(e.do(call{method: "GET", path: root + "/Appointment/999999", interaction: gpconnect.IDReadAppointment, scope: "patient/*.read"}), 404, "NO_RECORD_FOUND")
		})
	}
}

// An appointment booked at reception, outside GP Connect, can be read,
// amended and cancelled over GP Connect.
func TestAppointmentsMadeOutsideGPConnect(t *testing.T) {
	e := newEnv(t, "sqlite")
	bk := e.makeBook()
	pt := e.patient1()
	slots, _ := e.store.SlotsByID(ctx, []int64{bk.slots["open3"]})
	a := &schedule.Appointment{OrganisationID: e.org1.ID, PatientID: pt.ID, LocationID: 1, PractitionerID: 2, ScheduleID: 900,
		SlotIDs: []int64{slots[0].ID}, Start: slots[0].Start, End: slots[0].End, Status: schedule.Booked, Description: "Booked at reception",
		Created: testNow, BookingOrganisation: schedule.BookingOrganisation{ODS: "B82617", Name: "Reception"},
		ServiceType: slots[0].ServiceType, ServiceCategory: "Morning surgery", DeliveryChannel: slots[0].DeliveryChannel, BookedVia: schedule.BookedViaPractice}
	if err := e.store.BookAppointment(ctx, a); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(a.ID, 10)
	r := e.do(call{method: "GET", path: root + "/Appointment/" + id, interaction: gpconnect.IDReadAppointment, scope: "patient/*.read"})
	got := e.ok(r).(*fhir.Appointment)
	got.Status = "cancelled"
	got.Extension = append(got.Extension, fhir.Extension{URL: "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1", ValueString: "Rebooked by 111"})
	body, _ := fhir.Marshal(fhir.JSON, got)
	r = e.do(call{method: "PUT", path: root + "/Appointment/" + id, interaction: gpconnect.IDCancelAppointment, scope: "patient/*.write", body: body})
	if c := e.ok(r).(*fhir.Appointment); c.Status != "cancelled" {
		t.Fatalf("cancel: %+v", c)
	}
}

// 200 concurrent bookings aimed at 20 slots give exactly 20 appointments
// and 180 DUPLICATE_REJECTED, and no 5xx — over HTTP, on both engines.
func TestConcurrentBookingOverHTTP(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			pt := e.patient1()
			sc := &schedule.Schedule{ID: 901, OrganisationID: e.org1.ID, LocationID: 1, PractitionerID: 3, ServiceCategory: "Busy clinic",
				PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner"}
			if _, err := e.store.UpsertSchedule(ctx, sc); err != nil {
				t.Fatal(err)
			}
			w, _ := e.store.BeginSlotWrite(ctx)
			day := time.Date(2026, 11, 26, 8, 0, 0, 0, pcnhub.London)
			for i := 0; i < 20; i++ {
				start := day.Add(time.Duration(i*5) * time.Minute)
				if err := w.Add(ctx, &schedule.Slot{ScheduleID: 901, Start: start, End: start.Add(5 * time.Minute), Status: schedule.SlotFree,
					ServiceType: "Urgent", DeliveryChannel: schedule.InPerson, Bookable: true}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := w.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			slots := e.scheduleSlots(901, day)
			if len(slots) != 20 {
				t.Fatalf("%d slots", len(slots))
			}
			var mu sync.Mutex
			codes := map[int]int{}
			var wg sync.WaitGroup
			for i := 0; i < 200; i++ {
				s := slots[i%20]
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := e.bookCall(appointmentBody([]int64{s.ID}, pt.ID, s.Start, s.End, ""), nil)
					mu.Lock()
					codes[r.status]++
					mu.Unlock()
				}()
			}
			wg.Wait()
			if codes[201] != 20 || codes[409] != 180 || len(codes) != 2 {
				t.Fatalf("answers %v, want 20 × 201 and 180 × 409", codes)
			}
			// No slot busy without its appointment, none free with one.
			appts, err := e.store.AppointmentsForPatient(ctx, pt.ID, day, day.Add(2*time.Hour))
			if err != nil || len(appts) != 20 {
				t.Fatalf("%d appointments, err %v", len(appts), err)
			}
			if free := e.scheduleSlots(901, day); len(free) != 0 {
				t.Fatalf("%d slots still free", len(free))
			}
		})
	}
}

// scheduleSlots returns the free slots of one schedule on a day.
func (e *env) scheduleSlots(scheduleID int64, day time.Time) []schedule.Slot {
	e.t.Helper()
	all, err := e.store.FreeSlots(ctx, e.org1.ID, day, day.Add(24*time.Hour))
	if err != nil {
		e.t.Fatal(err)
	}
	var out []schedule.Slot
	for _, s := range all {
		if s.ScheduleID == scheduleID {
			out = append(out, s)
		}
	}
	return out
}

// toXML converts a JSON resource to FHIR XML with our codec.
func toXML(t testing.TB, js string) string {
	t.Helper()
	r, err := fhir.Unmarshal(fhir.JSON, []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	b, err := fhir.Marshal(fhir.XML, r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A cached slot-search answer is never served after something it shows
// changed, whichever way the change was made.
func TestSlotSearchAnswersFollowChanges(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			e.makeBook()
			locationName := func() string {
				_, _, b := e.search(slotSearch)
				for _, en := range b.Entry {
					if l, ok := en.Resource.(*fhir.Location); ok && l.ID == "1" {
						return l.Name
					}
				}
				return ""
			}
			before := locationName()
			if before == "" || locationName() != before {
				t.Fatalf("location 1 name %q", before)
			}
			loc, err := e.store.LocationByID(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			loc.Name = "Renamed Surgery"
			if _, err := e.store.UpsertLocation(ctx, loc); err != nil {
				t.Fatal(err)
			}
			if got := locationName(); got != "Renamed Surgery" {
				t.Fatalf("after the rename the search shows %q", got)
			}
			// A slot written straight into the store shows at once.
			_, slots, _ := e.search(slotSearch)
			n := len(slots)
			w, _ := e.store.BeginSlotWrite(ctx)
			extra := bookDay.Add(2 * time.Hour)
			w.Add(ctx, &schedule.Slot{ScheduleID: 900, Start: extra, End: extra.Add(10 * time.Minute), Status: schedule.SlotFree,
				ServiceType: "Routine GP appointment", DeliveryChannel: schedule.InPerson, Bookable: true})
			if _, err := w.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			if _, slots, _ := e.search(slotSearch); len(slots) != n+1 {
				t.Fatalf("%d slots after adding one to %d", len(slots), n)
			}
			// The same search in XML is its own answer.
			r := e.do(call{method: "GET", path: root + slotSearch, interaction: gpconnect.IDSearchSlots, header: map[string]string{"Accept": fhir.MIMEXML}})
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), fhir.MIMEXML) || !bytes.Contains(r.body, []byte("Renamed Surgery")) {
				t.Fatalf("XML search: %d %s", r.status, r.header.Get("Content-Type"))
			}
		})
	}
}

// A visit booked at the practice reads with the generic visit Location
// and its type in comment (§2.1), and cannot be cancelled over GP Connect.
func TestVisitAppointments(t *testing.T) {
	e := newEnv(t, "sqlite")
	e.makeBook()
	pt := e.patient1()
	var visit schedule.Slot
	for _, s := range e.scheduleSlots(900, bookDay.Add(-9*time.Hour)) {
		if s.DeliveryChannel == schedule.Visit {
			visit = s
		}
	}
	if visit.ID == 0 {
		t.Fatal("no visit slot in the test book")
	}
	a := &schedule.Appointment{OrganisationID: e.org1.ID, PatientID: pt.ID, LocationID: 1, PractitionerID: 2, ScheduleID: 900,
		SlotIDs: []int64{visit.ID}, Start: visit.Start, End: visit.End, Status: schedule.Booked, Description: "Housebound review",
		Created: testNow, BookingOrganisation: schedule.BookingOrganisation{ODS: "B82617", Name: "Reception"},
		ServiceType: "Home visit", ServiceCategory: "Morning surgery", DeliveryChannel: schedule.Visit, BookedVia: schedule.BookedViaPractice}
	if err := e.store.BookAppointment(ctx, a); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(a.ID, 10)
	got := e.ok(e.do(call{method: "GET", path: root + "/Appointment/" + id, interaction: gpconnect.IDReadAppointment, scope: "patient/*.read"})).(*fhir.Appointment)
	var location string
	for _, pa := range got.Participant {
		if strings.HasPrefix(pa.Actor.Reference, "Location/") {
			location = pa.Actor.Reference
		}
	}
	if location != "Location/visit" || !strings.HasPrefix(got.Comment, "Home visit") {
		t.Fatalf("visit rendered with %s and comment %q", location, got.Comment)
	}
	loc := e.ok(e.do(call{method: "GET", path: root + "/Location/visit", interaction: gpconnect.IDReadLocation})).(*fhir.Location)
	if loc.ManagingOrganization == nil || loc.ManagingOrganization.Reference != "Organization/"+itoa(e.org1.ID) {
		t.Fatalf("visit location %+v", loc)
	}
	got.Status = "cancelled"
	got.Extension = append(got.Extension, fhir.Extension{URL: fhir.ExtAppointmentCancellationReason, ValueString: "Not needed"})
	body, _ := fhir.Marshal(fhir.JSON, got)
	e.outcome(e.do(call{method: "PUT", path: root + "/Appointment/" + id, interaction: gpconnect.IDCancelAppointment, scope: "patient/*.write", body: body}), 422, "INVALID_RESOURCE")
}
