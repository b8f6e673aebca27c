package client_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
)

// specExamples is the folder of GP Connect specification examples in the
// shared directory beside the repository.
const specExamples = "fixtures/gpconnect-spec-examples"

// The element URLs the expectations are computed with, spelled out as the
// specification writes them rather than taken from package fhir.
const (
	urlBookingOrg   = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1"
	urlCancelReason = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1"
	urlDelivery     = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2"
	urlRole         = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1"
	urlNHSNumber    = "https://fhir.nhs.uk/Id/nhs-number"
	urlODS          = "https://fhir.nhs.uk/Id/ods-organization-code"
	urlRegDetails   = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1"
)

// JSON walking of the example payloads.
func jobj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func jlist(v any) []any         { l, _ := v.([]any); return l }
func jstr(v any) string         { s, _ := v.(string); return s }

func readDoc(t *testing.T, dir, name string) map[string]any {
	t.Helper()
	return decodeDoc(t, name, readFile(t, dir, name))
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeDoc(t *testing.T, what string, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return doc
}

// header is the verb and request target of a *-header-*.txt example.
func header(t *testing.T, dir, name string) (method, path string, query url.Values) {
	t.Helper()
	line := strings.TrimSpace(strings.SplitN(string(readFile(t, dir, name)), "\n", 2)[0])
	method, target, ok := strings.Cut(line, " ")
	if !ok {
		t.Fatalf("%s: %q is not a request line", name, line)
	}
	path, rawQuery, _ := strings.Cut(target, "?")
	// The examples write the query unencoded (identifier=system|value).
	query, err := url.ParseQuery(strings.ReplaceAll(rawQuery, "|", "%7C"))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return method, "/" + strings.TrimPrefix(path, "/"), query
}

func bundlePatients(doc map[string]any) []map[string]any {
	var out []map[string]any
	for _, e := range jlist(doc["entry"]) {
		if r := jobj(jobj(e)["resource"]); jstr(r["resourceType"]) == "Patient" {
			out = append(out, r)
		}
	}
	return out
}

func docNHSNumber(p map[string]any) string {
	for _, id := range jlist(p["identifier"]) {
		if jstr(jobj(id)["system"]) == urlNHSNumber {
			return jstr(jobj(id)["value"])
		}
	}
	return ""
}

// checkPatient compares a decoded Patient with an example's JSON.
func checkPatient(t *testing.T, what string, got *fhir.Patient, want map[string]any) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no patient", what)
	}
	name := jobj(jlist(want["name"])[0])
	var given []string
	for _, g := range jlist(name["given"]) {
		given = append(given, jstr(g))
	}
	if got.ID != jstr(want["id"]) || got.Meta == nil || got.Meta.VersionID != jstr(jobj(want["meta"])["versionId"]) ||
		string(client.NHSNumberOf(got)) != docNHSNumber(want) || len(got.Name) != 1 || got.Name[0].Family != jstr(name["family"]) ||
		!slices.Equal(got.Name[0].Given, given) || got.Gender != jstr(want["gender"]) || got.BirthDate.String() != jstr(want["birthDate"]) {
		t.Errorf("%s: got id %q NHS %s name %+v gender %s born %s; want %s %s %s %v %s %s", what, got.ID, client.NHSNumberOf(got),
			got.Name, got.Gender, got.BirthDate, jstr(want["id"]), docNHSNumber(want), jstr(name["family"]), given, jstr(want["gender"]), jstr(want["birthDate"]))
	}
	if ref := jstr(jobj(want["managingOrganization"])["reference"]); got.ManagingOrganization == nil || got.ManagingOrganization.Reference != ref {
		t.Errorf("%s: managingOrganization %+v, want %s", what, got.ManagingOrganization, ref)
	}
	if len(got.Address) != len(jlist(want["address"])) || len(got.Telecom) != len(jlist(want["telecom"])) {
		t.Errorf("%s: %d addresses and %d telecoms, want %d and %d", what, len(got.Address), len(got.Telecom),
			len(jlist(want["address"])), len(jlist(want["telecom"])))
	}
}

// appointmentFacts are the values a consumer shows of an Appointment.
type appointmentFacts struct {
	ID, Version, Status, Description, Comment, Start, End, Created string
	Slots, Participants                                            []string
	BookingODS, BookingName, CancelReason, Delivery, Role          string
	ServiceType, ServiceCategory                                   string
}

func factsOf(a *fhir.Appointment) appointmentFacts {
	f := appointmentFacts{ID: a.ID, Status: a.Status, Description: a.Description, Comment: a.Comment,
		Start: a.Start.String(), End: a.End.String(), Created: a.Created.String(), CancelReason: client.CancellationReason(a)}
	if a.Meta != nil {
		f.Version = a.Meta.VersionID
	}
	f.Slots = slotRefs(a)
	for _, p := range a.Participant {
		f.Participants = append(f.Participants, p.Actor.Reference+" "+p.Status)
	}
	for _, e := range a.Extension {
		switch e.URL {
		case fhir.ExtDeliveryChannel:
			f.Delivery = e.ValueCode
		case fhir.ExtPractitionerRole:
			f.Role = e.ValueCodeableConcept.Coding[0].Code
		case fhir.ExtBookingOrganisation:
			for _, c := range a.Contained {
				if o, ok := c.(*fhir.Organization); ok && "#"+o.ID == e.ValueReference.Reference {
					f.BookingName = o.Name
					f.BookingODS = o.Identifier[0].Value
				}
			}
		}
	}
	if len(a.ServiceType) > 0 {
		f.ServiceType = a.ServiceType[0].Text
	}
	if a.ServiceCategory != nil {
		f.ServiceCategory = a.ServiceCategory.Text
	}
	return f
}

func factsOfDoc(d map[string]any) appointmentFacts {
	f := appointmentFacts{ID: jstr(d["id"]), Version: jstr(jobj(d["meta"])["versionId"]), Status: jstr(d["status"]),
		Description: jstr(d["description"]), Comment: jstr(d["comment"]), Start: jstr(d["start"]), End: jstr(d["end"]),
		Created: jstr(d["created"]), ServiceCategory: jstr(jobj(d["serviceCategory"])["text"])}
	for _, s := range jlist(d["slot"]) {
		f.Slots = append(f.Slots, jstr(jobj(s)["reference"]))
	}
	for _, p := range jlist(d["participant"]) {
		f.Participants = append(f.Participants, jstr(jobj(jobj(p)["actor"])["reference"])+" "+jstr(jobj(p)["status"]))
	}
	if st := jlist(d["serviceType"]); len(st) > 0 {
		f.ServiceType = jstr(jobj(st[0])["text"])
	}
	for _, e := range jlist(d["extension"]) {
		e := jobj(e)
		switch jstr(e["url"]) {
		case urlDelivery:
			f.Delivery = jstr(e["valueCode"])
		case urlRole:
			f.Role = jstr(jobj(jlist(jobj(e["valueCodeableConcept"])["coding"])[0])["code"])
		case urlCancelReason:
			f.CancelReason = jstr(e["valueString"])
		case urlBookingOrg:
			ref := jstr(jobj(e["valueReference"])["reference"])
			for _, c := range jlist(d["contained"]) {
				if c := jobj(c); "#"+jstr(c["id"]) == ref {
					f.BookingName = jstr(c["name"])
					for _, id := range jlist(c["identifier"]) {
						if jstr(jobj(id)["system"]) == urlODS {
							f.BookingODS = jstr(jobj(id)["value"])
						}
					}
				}
			}
		}
	}
	return f
}

func checkAppointment(t *testing.T, what string, got *fhir.Appointment, want map[string]any) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no appointment", what)
	}
	g, w := factsOf(got), factsOfDoc(want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: decoded\n  %+v\nwant (from the example)\n  %+v", what, g, w)
	}
	if w.ID == "" || w.Status == "" || w.Start == "" || len(w.Participants) == 0 {
		t.Fatalf("%s: the example lacks what the test compares: %+v", what, w)
	}
}

// lastRequest is the fake's last request, which must be of interaction.
func lastRequest(t *testing.T, fake *clienttest.FakeProvider, interaction string) clienttest.Request {
	t.Helper()
	rs := fake.Requests()
	if len(rs) == 0 {
		t.Fatal("the fake received nothing")
	}
	r := rs[len(rs)-1]
	if r.Interaction != interaction {
		t.Fatalf("last request %s %s is %s, want %s", r.Method, r.Path, r.Interaction, interaction)
	}
	return r
}

// generic is JSON as maps, for comparing bodies whatever their key order.
func generic(t *testing.T, b []byte) map[string]any {
	t.Helper()
	return decodeDoc(t, "body", b)
}

// TestThirdPartyProvider runs every patient and appointment operation
// against another supplier's provider answering with the specification's
// own examples: requests go where the example request headers say, the
// booking body is the example booking request, and each answer decodes to
// the values read here from the example JSON.
func TestThirdPartyProvider(t *testing.T) {
	dir := fhirtest.SharedPath(t, specExamples)
	fake := clienttest.ThirdParty(t, dir, "appointments-search-for-free-slots-response-payload-1.json")
	c := newClient()
	ep := fake.Endpoint

	// Find patient: the example number is found, another is not.
	found := readDoc(t, dir, clienttest.FindPatientPayload)
	wantPt := bundlePatients(found)[0]
	nhs := pcnhub.NHSNumber(docNHSNumber(wantPt))
	method, path, query := header(t, dir, "foundations-find-patient-request-header-1.txt")
	if query.Get("identifier") != urlNHSNumber+"|"+string(nhs) {
		t.Fatalf("the find-patient examples disagree: header %v, payload %s", query, nhs)
	}
	pt, err := c.FindPatient(ctx, ep, nhs)
	if err != nil {
		t.Fatal(err)
	}
	checkPatient(t, "find patient", pt, wantPt)
	r := lastRequest(t, fake, gpconnect.IDSearchPatient)
	if r.Method != method || r.Path != path || r.RawQuery != "identifier="+url.QueryEscape(urlNHSNumber+"|"+string(nhs)) ||
		!strings.Contains(r.RawQuery, "%7C") || r.Scope != "patient/*.read" {
		t.Errorf("find patient sent %s %s?%s scope %s; want %s %s, pipe percent-encoded", r.Method, r.Path, r.RawQuery, r.Scope, method, path)
	}
	other, _ := pcnhub.NHSNumberFromPrefix(999_000_001)
	if pt, err := c.FindPatient(ctx, ep, other); pt != nil || err != nil {
		t.Errorf("find an unknown number: %+v, %v; want nil, nil", pt, err)
	}

	// Register patient: the example request's person.
	regReq := jobj(jlist(readDoc(t, dir, "foundations-register-patient-request-payload-1.json")["parameter"])[0])
	regPt := jobj(regReq["resource"])
	rq := registerRequestOf(t, regPt)
	registered, err := c.RegisterPatient(ctx, ep, rq)
	if err != nil {
		t.Fatal(err)
	}
	regResp := readDoc(t, dir, clienttest.RegisterPatientPayload)
	checkPatient(t, "register patient", registered, bundlePatients(regResp)[0])
	if got, want := registrationType(registered), registrationTypeDoc(bundlePatients(regResp)[0]); got != want || want == "" {
		t.Errorf("registration type %q, want %q", got, want)
	}
	r = lastRequest(t, fake, gpconnect.IDRegisterPatient)
	method, path, _ = header(t, dir, "foundations-register-patient-request-headers-1.txt")
	if r.Method != method || r.Path != path || r.Scope != "patient/*.write" || r.Status != 200 {
		t.Errorf("register sent %s %s scope %s (answered %d); want %s %s", r.Method, r.Path, r.Scope, r.Status, method, path)
	}
	// The body carries what the example request carries, less the
	// verification status (the consumer does not verify) and name.text.
	sent := jobj(jobj(jlist(generic(t, r.Body)["parameter"])[0])["resource"])
	wantSent := stripRegister(regPt)
	if !reflect.DeepEqual(sent, wantSent) {
		t.Errorf("register body Patient\n  %v\nwant (the example, less verification status and name.text)\n  %v", sent, wantSent)
	}

	// Book: the example booking request, from its values.
	bookReqRaw := readFile(t, dir, "appointments-book-appt-request-payload-1.json")
	bookReq := decodeDoc(t, "book request", bookReqRaw)
	br, created := bookingRequestOf(t, bookReq)
	cb := newClient()
	cb.Clock = func() time.Time { return created }
	booked, err := cb.BookAppointment(ctx, ep, br)
	if err != nil {
		t.Fatal(err)
	}
	bookResp := readDoc(t, dir, clienttest.BookPayload)
	checkAppointment(t, "book", booked, bookResp)
	r = lastRequest(t, fake, gpconnect.IDBookAppointment)
	method, path, _ = header(t, dir, "appointments-book-appt-request-header-1.txt")
	if r.Method != method || r.Path != path || r.Scope != "patient/*.write" || r.Status != http.StatusCreated ||
		r.Header.Get("Content-Type") != "application/fhir+json;charset=utf-8" {
		t.Errorf("book sent %s %s scope %s content type %q (answered %d)", r.Method, r.Path, r.Scope, r.Header.Get("Content-Type"), r.Status)
	}
	if got := generic(t, r.Body); !reflect.DeepEqual(got, bookReq) {
		b, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("the booking body is not the specification's example booking request:\n%s", b)
	}

	// Read: the example's appointment; another id is 404.
	readResp := readDoc(t, dir, clienttest.ReadPayload)
	method, path, _ = header(t, dir, "appointments-read-appt-request-header-1.txt")
	readID := strings.TrimPrefix(path, "/Appointment/")
	read, version, err := c.ReadAppointment(ctx, ep, readID)
	if err != nil {
		t.Fatal(err)
	}
	checkAppointment(t, "read", read, readResp)
	if version != jstr(jobj(readResp["meta"])["versionId"]) {
		t.Errorf("read version %q, want the example's meta.versionId", version)
	}
	r = lastRequest(t, fake, gpconnect.IDReadAppointment)
	if r.Method != method || r.Path != path || r.Scope != "patient/*.read" {
		t.Errorf("read sent %s %s scope %s; want %s %s", r.Method, r.Path, r.Scope, method, path)
	}
	_, _, err = c.ReadAppointment(ctx, ep, readID+"0")
	if pe, ok := client.IsProviderError(err); !ok || pe.Status != 404 || !client.IsSpineCode(err, client.SpineNoRecordFound) {
		t.Errorf("read of an unknown id: %v", err)
	}

	// Amend the booked appointment's description, as the example amend
	// request does, from the answer to the booking.
	amendReq := readDoc(t, dir, "appointments-amend-appt-request-payload-1.json")
	method, path, _ = header(t, dir, "appointments-amend-appt-request-header-1.txt")
	if "/Appointment/"+booked.ID != path || booked.Meta.VersionID != jstr(jobj(amendReq["meta"])["versionId"]) {
		t.Fatalf("the examples disagree: booked %s version %s, amend %s version %s", booked.ID, booked.Meta.VersionID, path, jstr(jobj(amendReq["meta"])["versionId"]))
	}
	edit := *booked
	edit.Description = jstr(amendReq["description"])
	amended, err := c.AmendAppointment(ctx, ep, &edit, booked.Meta.VersionID)
	if err != nil {
		t.Fatal(err)
	}
	amendResp := readDoc(t, dir, clienttest.AmendPayload)
	checkAppointment(t, "amend", amended, amendResp)
	r = lastRequest(t, fake, gpconnect.IDAmendAppointment)
	if r.Method != method || r.Path != path || r.Scope != "patient/*.write" || r.Header.Get("If-Match") != `W/"`+booked.Meta.VersionID+`"` {
		t.Errorf("amend sent %s %s scope %s If-Match %q", r.Method, r.Path, r.Scope, r.Header.Get("If-Match"))
	}
	// The body is the booked appointment as answered, description aside.
	sentAmend, wantAmend := generic(t, r.Body), cloneDoc(t, bookResp)
	if sentAmend["description"] != jstr(amendReq["description"]) {
		t.Errorf("amend sent description %v", sentAmend["description"])
	}
	delete(sentAmend, "description")
	delete(wantAmend, "description")
	if !reflect.DeepEqual(sentAmend, wantAmend) {
		t.Errorf("the amend body is not the appointment as read with a new description:\n%v", sentAmend)
	}

	// Cancel the amended appointment with the example's reason.
	cancelReq := readDoc(t, dir, "appointments-cancel-appt-request-payload-1.json")
	reason := factsOfDoc(cancelReq).CancelReason
	method, path, _ = header(t, dir, "appointments-cancel-appt-request-header-1.txt")
	cancelled, err := c.CancelAppointment(ctx, ep, amended, "", reason)
	if err != nil {
		t.Fatal(err)
	}
	checkAppointment(t, "cancel", cancelled, readDoc(t, dir, clienttest.CancelPayload))
	r = lastRequest(t, fake, gpconnect.IDCancelAppointment)
	if r.Method != method || r.Path != path || r.Scope != "patient/*.write" || r.Header.Get("If-Match") != `W/"`+amended.Meta.VersionID+`"` {
		t.Errorf("cancel sent %s %s scope %s If-Match %q", r.Method, r.Path, r.Scope, r.Header.Get("If-Match"))
	}
	sentCancel, wantCancel := generic(t, r.Body), cloneDoc(t, amendResp)
	wantCancel["status"] = "cancelled"
	wantCancel["extension"] = append(jlist(wantCancel["extension"]), map[string]any{"url": urlCancelReason, "valueString": reason})
	if !reflect.DeepEqual(sentCancel, wantCancel) {
		t.Errorf("the cancel body is not the appointment as amended, cancelled with a reason:\n%v", sentCancel)
	}

	// A patient's appointments: the example request's patient and range.
	method, path, query = header(t, dir, "appointments-retrieve-patient-appts-request-header-1.txt")
	patientID := strings.TrimSuffix(strings.TrimPrefix(path, "/Patient/"), "/Appointment")
	var from, to pcnhub.Date
	for _, s := range query["start"] {
		d, err := pcnhub.ParseDate(s[2:])
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(s, "ge") {
			from = d
		} else {
			to = d
		}
	}
	list, err := c.PatientAppointments(ctx, ep, patientID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	r = lastRequest(t, fake, gpconnect.IDPatientAppointments)
	if r.Method != method || r.Path != path || !reflect.DeepEqual(mustQuery(t, r.RawQuery), query) || r.Scope != "patient/*.read" {
		t.Errorf("retrieve sent %s %s?%s scope %s; want %s %s?%v", r.Method, r.Path, r.RawQuery, r.Scope, method, path, query)
	}
	retrieved := readDoc(t, dir, clienttest.RetrievePayload)
	entries := jlist(retrieved["entry"])
	if len(list) != len(entries) || len(entries) == 0 {
		t.Fatalf("%d appointments, want %d", len(list), len(entries))
	}
	for i, e := range entries {
		checkAppointment(t, fmt.Sprintf("retrieve[%d]", i), list[i], jobj(jobj(e)["resource"]))
	}
	if list, err := c.PatientAppointments(ctx, ep, patientID+"9", from, to); err != nil || len(list) != 0 {
		t.Errorf("another patient's appointments: %d, %v; want none", len(list), err)
	}

	// Every request was accepted, with the scope of its kind.
	for _, r := range fake.Requests() {
		want := "patient/*.read"
		switch {
		case r.Method != http.MethodGet:
			want = "patient/*.write"
		case r.Interaction == gpconnect.IDMetadata || r.Interaction == gpconnect.IDSearchSlots:
			want = "organization/*.read"
		}
		if r.Scope != want || r.Status >= 500 || (r.Status == 400) {
			t.Errorf("%s %s (%s): scope %q answered %d", r.Method, r.Path, r.Interaction, r.Scope, r.Status)
		}
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func cloneDoc(t *testing.T, d map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return decodeDoc(t, "clone", b)
}

func registrationTypeDoc(p map[string]any) string {
	for _, e := range jlist(p["extension"]) {
		if jstr(jobj(e)["url"]) != urlRegDetails {
			continue
		}
		for _, sub := range jlist(jobj(e)["extension"]) {
			if jstr(jobj(sub)["url"]) == "registrationType" {
				return jstr(jobj(jlist(jobj(jobj(sub)["valueCodeableConcept"])["coding"])[0])["code"])
			}
		}
	}
	return ""
}

// registerRequestOf reads a RegisterRequest from the example's Patient.
func registerRequestOf(t *testing.T, p map[string]any) client.RegisterRequest {
	t.Helper()
	name := jobj(jlist(p["name"])[0])
	birth, err := pcnhub.ParseDate(jstr(p["birthDate"]))
	if err != nil {
		t.Fatal(err)
	}
	rq := client.RegisterRequest{NHSNumber: pcnhub.NHSNumber(docNHSNumber(p)), Family: jstr(name["family"]),
		Gender: pcnhub.Gender(jstr(p["gender"])), BirthDate: birth}
	for _, g := range jlist(name["given"]) {
		rq.Given = append(rq.Given, jstr(g))
	}
	if pre := jlist(name["prefix"]); len(pre) > 0 {
		rq.Prefix = jstr(pre[0])
	}
	for _, tc := range jlist(p["telecom"]) {
		tc := jobj(tc)
		rq.Telecom = append(rq.Telecom, pcnhub.ContactPoint{System: jstr(tc["system"]), Use: jstr(tc["use"]), Value: jstr(tc["value"])})
	}
	if as := jlist(p["address"]); len(as) > 0 {
		a := jobj(as[0])
		for _, l := range jlist(a["line"]) {
			rq.Address.Lines = append(rq.Address.Lines, jstr(l))
		}
		rq.Address.City, rq.Address.District, rq.Address.Postcode = jstr(a["city"]), jstr(a["district"]), jstr(a["postalCode"])
	}
	return rq
}

// stripRegister is the example's Patient less what a consumer does not
// send: the NHS number verification status, name.text and address.type.
func stripRegister(p map[string]any) map[string]any {
	b, _ := json.Marshal(p)
	var out map[string]any
	json.Unmarshal(b, &out)
	for _, id := range jlist(out["identifier"]) {
		delete(jobj(id), "extension")
	}
	for _, n := range jlist(out["name"]) {
		delete(jobj(n), "text")
	}
	for _, a := range jlist(out["address"]) {
		delete(jobj(a), "type")
	}
	return out
}

// bookingRequestOf reads a BookingRequest and the created time from the
// example booking request.
func bookingRequestOf(t *testing.T, d map[string]any) (client.BookingRequest, time.Time) {
	t.Helper()
	parse := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	br := client.BookingRequest{Description: jstr(d["description"]), Comment: jstr(d["comment"]),
		Start: parse(jstr(d["start"])), End: parse(jstr(d["end"]))}
	for _, s := range jlist(d["slot"]) {
		br.SlotIDs = append(br.SlotIDs, strings.TrimPrefix(jstr(jobj(s)["reference"]), "Slot/"))
	}
	for _, p := range jlist(d["participant"]) {
		kind, id, _ := strings.Cut(jstr(jobj(jobj(p)["actor"])["reference"]), "/")
		switch kind {
		case "Patient":
			br.PatientID = id
		case "Location":
			br.LocationID = id
		case "Practitioner":
			br.PractitionerID = id
		}
	}
	org := jobj(jlist(d["contained"])[0])
	br.Organisation.Name = jstr(org["name"])
	br.Organisation.ODS = pcnhub.ODSCode(jstr(jobj(jlist(org["identifier"])[0])["value"]))
	br.Organisation.Type = pcnhub.OrgType(jstr(jobj(jlist(jobj(jlist(org["type"])[0])["coding"])[0])["code"]))
	for _, tc := range jlist(org["telecom"]) {
		tc := jobj(tc)
		br.Organisation.Telecom = append(br.Organisation.Telecom, pcnhub.ContactPoint{System: jstr(tc["system"]), Use: jstr(tc["use"]), Value: jstr(tc["value"])})
	}
	return br, parse(jstr(d["created"]))
}

// recorder is a testing.TB that keeps the fake's complaints instead of
// failing the test.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) complaints() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// TestThirdPartyFakeRefuses: the fake refuses what a provider would, so
// that the test above can fail: an amend without If-Match, a booking with
// a read scope, a body that is not FHIR JSON, a cancel without a reason.
func TestThirdPartyFakeRefuses(t *testing.T) {
	dir := fhirtest.SharedPath(t, specExamples)
	rec := &recorder{TB: t}
	fake := clienttest.ThirdParty(rec, dir, "appointments-search-for-free-slots-response-payload-1.json")
	c := newClient()
	book := readFile(t, dir, "appointments-book-appt-request-payload-1.json")
	amend := readFile(t, dir, "appointments-amend-appt-request-payload-1.json")
	cancelNoReason := strings.Replace(string(amend), `"status": "booked"`, `"status": "cancelled"`, 1)
	for _, tc := range []struct {
		name, method, path, interaction, scope, contentType, ifMatch string
		body                                                         []byte
		complaint                                                    string
	}{
		{"amend without If-Match", "PUT", "/Appointment/9", gpconnect.IDAmendAppointment, "patient/*.write", "application/fhir+json", "", amend, "If-Match"},
		{"book with a read scope", "POST", "/Appointment", gpconnect.IDBookAppointment, "patient/*.read", "application/fhir+json", "", book, "requested_scope"},
		{"book as XML", "POST", "/Appointment", gpconnect.IDBookAppointment, "patient/*.write", "application/xml", "", book, "Content-Type"},
		{"cancel without a reason", "PUT", "/Appointment/9", gpconnect.IDCancelAppointment, "patient/*.write", "application/fhir+json", `W/"1"`, []byte(cancelNoReason), "cancellation reason"},
		{"amend of another id", "PUT", "/Appointment/8", gpconnect.IDAmendAppointment, "patient/*.write", "application/fhir+json", `W/"1"`, amend, "of the path"},
		{"book with the amend interaction", "POST", "/Appointment", gpconnect.IDAmendAppointment, "patient/*.write", "application/fhir+json", "", book, "Ssp-InteractionID"},
	} {
		before := len(rec.complaints())
		req, err := http.NewRequest(tc.method, fake.Endpoint.Base+tc.path, strings.NewReader(string(tc.body)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Ssp-TraceID", "5c5b3f7e-3b1a-4a8e-9c3d-1f2e3d4c5b6a")
		req.Header.Set("Ssp-From", "200000000359")
		req.Header.Set("Ssp-To", fake.Endpoint.ASID)
		req.Header.Set("Ssp-InteractionID", tc.interaction)
		req.Header.Set("Authorization", "Bearer "+c.Token(fake.Endpoint, tc.scope, testNow))
		req.Header.Set("Content-Type", tc.contentType)
		if tc.ifMatch != "" {
			req.Header.Set("If-Match", tc.ifMatch)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := rec.complaints()[before:]
		if resp.StatusCode != 400 || len(got) != 1 || !strings.Contains(got[0], tc.complaint) {
			t.Errorf("%s: answered %d, complaints %q; want 400 and one naming %q", tc.name, resp.StatusCode, got, tc.complaint)
		}
	}
}
