package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
	"github.com/pcnhub/pcnhub/staff"
)

// An end-to-end world of two pcnhub deployments, each with its own
// database, talking GP Connect over HTTP:
//
//   - the hub's deployment H hosts the hub Y99990 and the practice A99991,
//     knows NHS 111 (Y99911) and the remote practice A81001;
//   - the practice's deployment P hosts A81001 (as EMIS or TPP would).
//
// Both hold the patient on their demographic register; the patient is
// registered at A99991 only.
const (
	e2eHub      pcnhub.ODSCode = "Y99990"
	e2eLocal    pcnhub.ODSCode = "A99991"
	e2eRemote   pcnhub.ODSCode = "A81001"
	e2e111      pcnhub.ODSCode = "Y99911"
	e2eHanging  pcnhub.ODSCode = "A81002"
	e2eHubASID  pcnhub.ASID    = "999900000100"
	e2e111ASID  pcnhub.ASID    = "999900000200"
	e2eGroup                   = "Riverside and Pennine"
	e2eReferral                = "Direct booking test"
)

var e2eOrgs = map[pcnhub.ODSCode]pcnhub.Organisation{
	e2eHub:    {ODS: e2eHub, ASID: e2eHubASID, Type: pcnhub.OrgPCNHub, Name: "Riverside PCN Hub", Telecom: []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: "0113 496 0100"}}},
	e2eLocal:  {ODS: e2eLocal, ASID: "999900000101", Type: pcnhub.OrgGPPractice, Name: "Riverside Medical Centre", ListSize: 9000},
	e2eRemote: {ODS: e2eRemote, ASID: "200000000610", Type: pcnhub.OrgGPPractice, Name: "Pennine Surgery", ListSize: 6000},
	e2e111:    {ODS: e2e111, ASID: e2e111ASID, Type: pcnhub.OrgUrgentCare, Name: "NHS 111 Yorkshire", Telecom: []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: "111"}}},
}

type e2eDeployment struct {
	t     *testing.T
	store *sqlstore.Store
	srv   *httptest.Server
}

// startDeployment starts a pcnhub server as serve assembles it, on its own
// database, hosting the given organisations (and knowing the others).
func startDeployment(t *testing.T, engine string, hosted []pcnhub.ODSCode, timeout time.Duration) *e2eDeployment {
	t.Helper()
	ctx := context.Background()
	s := sqltest.Open(t, engine, nil)
	for ods, o := range e2eOrgs {
		o.Hosted = contains(hosted, ods)
		if _, err := s.UpsertOrganisation(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewUnstartedServer(nil)
	self := "http://" + srv.Listener.Addr().String()
	srv.Config.Handler = newHandler(s, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry(),
		deployment{calendar: duty.NewCalendar(nil), self: self, providerTimeout: timeout, clock: pcnhub.SystemClock{}})
	srv.Start()
	t.Cleanup(srv.Close)
	return &e2eDeployment{t: t, store: s, srv: srv}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// practice gives a hosted practice a location, a GP, GP Connect switched
// on and a book with a session every day: 09:00–12:00, 15-minute slots,
// bookable by GP practices (and so by the hub), the 09:00 one for NHS 111
// only.
func (d *e2eDeployment) practice(ods pcnhub.ODSCode) {
	t, ctx := d.t, context.Background()
	org, err := d.store.OrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.store.UpsertLocation(ctx, &pcnhub.Location{OrganisationID: org.ID, Name: org.Name + " surgery"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.store.UpsertPractitioner(ctx, &pcnhub.Practitioner{OrganisationID: org.ID, SDSUserID: "G" + string(ods[1:]) + "01",
		Name: pcnhub.HumanName{Prefix: "Dr", Given: []string{"Amara"}, Family: "Okafor"}, JobRoleCode: "R0260"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{gpconnect.CapGlobal, gpconnect.CapAppointments} {
		if err := d.store.SetGPConnectEnabled(ctx, org.ID, c, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	t111, yes := "NHS 111 direct booking appointment", true
	b := &rota.Book{Organisation: ods, BankHolidays: rota.BankHolidaysOpen, Sessions: []rota.Session{{
		Name: "okafor-am", Days: []rota.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: 9 * 60, End: 12 * 60,
		Practitioner: "G" + string(ods[1:]) + "01", Location: org.Name + " surgery", SlotMinutes: 15,
		SlotType: "Routine GP appointment", SessionName: "Morning surgery", Channel: schedule.InPerson, Role: "R0260",
		Bookable: true, Restrictions: rota.Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgGPPractice}},
		Slots: []rota.SlotRule{{At: 9 * 60, SlotType: &t111, Bookable: &yes,
			Restrictions: &rota.Restrictions{OrgTypes: []pcnhub.OrgType{pcnhub.OrgUrgentCare}}}},
	}}}
	if _, err := d.store.ImportBook(ctx, b, sqlstore.BookOptions{Weeks: 2}); err != nil {
		t.Fatal(err)
	}
}

// person puts the patient on the demographic register (and, when
// registeredAt is hosted here, a record at that practice).
func (d *e2eDeployment) person(p pcnhub.Person, holdRecord bool) {
	t, ctx := d.t, context.Background()
	w, err := d.store.BeginPeopleWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if holdRecord {
		org, _ := d.store.OrganisationByODS(ctx, p.GPPractice)
		if _, err := d.store.UpsertPatient(ctx, &pcnhub.Patient{OrganisationID: org.ID, NHSNumber: p.NHSNumber, Name: p.Name,
			BirthDate: p.BirthDate, Gender: p.Gender, Address: p.Address,
			Registration: pcnhub.Registration{Type: pcnhub.RegGMS, Status: pcnhub.RegActive, Start: pcnhub.Date{Year: 2015, Month: 3, Day: 2}}}); err != nil {
			t.Fatal(err)
		}
	}
}

func (d *e2eDeployment) agree(provider, consumer pcnhub.ODSCode) {
	if err := d.store.AddAgreement(context.Background(), &spine.Agreement{Provider: provider, Consumer: consumer,
		Capability: spine.Appointments, From: pcnhub.Date{Year: 2026, Month: 1, Day: 1}, CreatedBy: "test"}); err != nil {
		d.t.Fatal(err)
	}
}

// user makes a staff user with an API token and returns a caller of the
// JSON API acting as them.
func (d *e2eDeployment) user(name string, ods pcnhub.ODSCode, role staff.Role) *apiCaller {
	t, ctx := d.t, context.Background()
	u := &staff.User{Username: name, Service: true, Family: "Tester", Memberships: []staff.Membership{{OrgODS: ods, Role: role}}}
	if err := d.store.CreateStaffUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	token, hash := staff.NewToken(staff.APITokenPrefix)
	if err := d.store.CreateAPIToken(ctx, &staff.APIToken{Hash: hash, Name: "e2e", UserID: u.ID, OrgODS: ods, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return &apiCaller{t: t, base: d.srv.URL, token: token}
}

type apiCaller struct {
	t     *testing.T
	base  string
	token string
}

func (a *apiCaller) call(method, path string, body any, out any) int {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.base+path, r)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			a.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode
}

type searchAnswer struct {
	Slots []struct {
		Practice                           pcnhub.ODSCode
		SlotID, LocationID, PractitionerID string
		Start, End                         time.Time
		SlotType                           string
	}
	Unavailable []struct {
		Practice pcnhub.ODSCode
		Reason   string
	}
}

type apiError struct {
	Error struct{ Code, Message string }
}

// audited counts a store's audit events matching.
func audited(t *testing.T, s *sqlstore.Store, match func(e pcnhub.AuditEvent) bool) int {
	t.Helper()
	events, err := s.AuditEvents(context.Background(), sqlstore.AuditFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if match(e) {
			n++
		}
	}
	return n
}

func TestTwoDeploymentsEndToEnd(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done() // a provider that never answers
			}))
			defer hanging.Close()

			P := startDeployment(t, engine, []pcnhub.ODSCode{e2eRemote}, 2*time.Second)
			H := startDeployment(t, engine, []pcnhub.ODSCode{e2eHub, e2eLocal}, 2*time.Second)
			P.practice(e2eRemote)
			H.practice(e2eLocal)
			if _, err := H.store.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: e2eHanging, ASID: "200000000611",
				Type: pcnhub.OrgGPPractice, Name: "Hanging Surgery"}); err != nil {
				t.Fatal(err)
			}
			for ods, ep := range map[pcnhub.ODSCode][2]string{e2eRemote: {P.srv.URL, "200000000610"}, e2eHanging: {hanging.URL, "200000000611"}} {
				if err := H.store.PutEndpoint(ctx, &spine.Endpoint{ODS: ods, Service: spine.ServiceGPConnect,
					URL: spine.HostedRoot(ep[0], ods, spine.ServiceGPConnect), ASID: pcnhub.ASID(ep[1])}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := H.store.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: e2eGroup, Members: []pcnhub.ODSCode{e2eLocal, e2eRemote}}); err != nil {
				t.Fatal(err)
			}
			nhs, ok := pcnhub.NHSNumberFromPrefix(999_123_457)
			if !ok {
				t.Fatal("no valid NHS number with that prefix")
			}
			patient := pcnhub.Person{NHSNumber: nhs, Name: pcnhub.HumanName{Given: []string{"Beatrice"}, Family: "Ashworth"},
				BirthDate: pcnhub.Date{Year: 1958, Month: 6, Day: 14}, Gender: pcnhub.GenderFemale, GPPractice: e2eLocal,
				Address: pcnhub.Address{Lines: []string{"4 Mill Lane"}, City: "Riverside", Postcode: "LS1 4AP"}}
			H.person(patient, true)
			P.person(patient, false)
			H.agree(e2eLocal, e2eHub)
			H.agree(e2eLocal, e2e111)

			reception := H.user("hub.reception", e2eHub, staff.Receptionist)
			from := pcnhub.DateOf(time.Now().In(pcnhub.London)).AddDays(1)
			searchPath := fmt.Sprintf("/api/slots?group=%s&from=%s&to=%s", strings.ReplaceAll(e2eGroup, " ", "+"), from, from.AddDays(1))

			// No agreement at P: A81001 is named unavailable, A99991's slots come back.
			var res searchAnswer
			if code := reception.call("GET", searchPath, nil, &res); code != 200 {
				t.Fatalf("search: %d", code)
			}
			if len(res.Unavailable) != 1 || res.Unavailable[0].Practice != e2eRemote || !strings.Contains(res.Unavailable[0].Reason, "refused") {
				t.Fatalf("unavailable without an agreement: %+v", res.Unavailable)
			}
			for _, s := range res.Slots {
				if s.Practice != e2eLocal || s.SlotType == "NHS 111 direct booking appointment" {
					t.Fatalf("slot %+v in the hub's search", s)
				}
			}
			if len(res.Slots) != 2*11 { // two days, 12 slots less the 111 one
				t.Fatalf("%d slots from A99991", len(res.Slots))
			}
			// A booking into A81001 is refused too, and both sides audit it.
			var refused apiError
			book := map[string]any{"practice": e2eRemote, "slotIds": []string{"1"}, "start": time.Now().Add(48 * time.Hour),
				"end": time.Now().Add(48*time.Hour + 15*time.Minute), "locationId": "1", "nhsNumber": nhs, "description": e2eReferral}
			if code := reception.call("POST", "/api/bookings", book, &refused); code != 403 || refused.Error.Code != pcnhub.EFORBIDDEN {
				t.Fatalf("booking without an agreement: %d %+v", code, refused)
			}
			if n := audited(t, P.store, func(e pcnhub.AuditEvent) bool {
				return e.RequesterODS == e2eHub && e.Outcome == gpconnect.SpineNoOrganisationalConsent
			}); n < 2 {
				t.Fatalf("P audited %d refusals of the hub", n)
			}
			if n := audited(t, H.store, func(e pcnhub.AuditEvent) bool {
				return e.Action == "hub.book" && e.Outcome == gpconnect.SpineNoOrganisationalConsent && e.NHSNumber == nhs
			}); n != 1 {
				t.Fatalf("H audited %d refused bookings", n)
			}

			// P agrees to share its appointments with the hub.
			P.agree(e2eRemote, e2eHub)
			res = searchAnswer{}
			reception.call("GET", searchPath, nil, &res)
			var remote []int
			for i, s := range res.Slots {
				if s.Practice == e2eRemote {
					remote = append(remote, i)
				}
			}
			if len(res.Unavailable) != 0 || len(remote) != 2*11 {
				t.Fatalf("with an agreement: %d remote slots, unavailable %+v", len(remote), res.Unavailable)
			}
			for i := 1; i < len(res.Slots); i++ {
				if res.Slots[i].Start.Before(res.Slots[i-1].Start) {
					t.Fatal("the merged slots are not in time order")
				}
			}
			// Book the patient, not registered at A81001: traced and
			// registered temporarily there, then booked.
			s := res.Slots[remote[0]]
			bookSlot := func(s struct {
				Practice                           pcnhub.ODSCode
				SlotID, LocationID, PractitionerID string
				Start, End                         time.Time
				SlotType                           string
			}) map[string]any {
				return map[string]any{"practice": s.Practice, "slotIds": []string{s.SlotID}, "start": s.Start, "end": s.End,
					"locationId": s.LocationID, "practitionerId": s.PractitionerID, "nhsNumber": nhs, "description": e2eReferral}
			}
			var booked struct {
				AppointmentID, Version, Status string
				Registered                     bool `json:"registeredTemporarily"`
			}
			if code := reception.call("POST", "/api/bookings", bookSlot(s), &booked); code != 201 || !booked.Registered || booked.Status != "booked" {
				t.Fatalf("booking: %d %+v", code, booked)
			}
			remoteOrg, _ := P.store.OrganisationByODS(ctx, e2eRemote)
			pt, err := P.store.PatientByNHSNumber(ctx, remoteOrg.ID, nhs)
			if err != nil || pt.Registration.Type != pcnhub.RegTemporary {
				t.Fatalf("temporary registration at P: %+v %v", pt, err)
			}
			appts, err := P.store.AppointmentsForPatient(ctx, pt.ID, time.Now(), time.Now().AddDate(0, 0, 7))
			if err != nil || len(appts) != 1 || appts[0].BookingOrganisation.ODS != e2eHub || appts[0].BookedVia != schedule.BookedViaGPConnect {
				t.Fatalf("P's appointments of the patient: %+v %v", appts, err)
			}
			// Their appointments across the group.
			var list struct {
				Appointments []struct {
					Practice      pcnhub.ODSCode
					AppointmentID string
				}
				Unavailable []any
			}
			if code := reception.call("GET", "/api/patients/"+string(nhs)+"/appointments?group="+strings.ReplaceAll(e2eGroup, " ", "+"), nil, &list); code != 200 ||
				len(list.Appointments) != 1 || list.Appointments[0].Practice != e2eRemote || list.Appointments[0].AppointmentID != booked.AppointmentID {
				t.Fatalf("appointments across the group: %d %+v", code, list)
			}
			// Amend, then cancel: the slot is free again at P.
			var amended struct{ Comment, Version string }
			if code := reception.call("PATCH", "/api/bookings/"+string(e2eRemote)+"/"+booked.AppointmentID,
				map[string]string{"comment": "Prefers a female GP"}, &amended); code != 200 || amended.Comment != "Prefers a female GP" || amended.Version == booked.Version {
				t.Fatalf("amend: %d %+v", code, amended)
			}
			var cancelled struct{ Status string }
			if code := reception.call("POST", "/api/bookings/"+string(e2eRemote)+"/"+booked.AppointmentID+"/cancel",
				map[string]string{"reason": "Patient feels better"}, &cancelled); code != 200 || cancelled.Status != "cancelled" {
				t.Fatalf("cancel: %d %+v", code, cancelled)
			}
			free, err := P.store.FreeSlots(ctx, remoteOrg.ID, s.Start, s.End)
			if err != nil || len(free) != 1 {
				t.Fatalf("the cancelled slot is not free again: %d %v", len(free), err)
			}

			// Two receptionists book the same slot at once: one booking and
			// one clear "no longer available".
			other := H.user("hub.reception2", e2eHub, staff.Receptionist)
			target := res.Slots[remote[1]]
			codes := make([]int, 2)
			errs := make([]apiError, 2)
			var wg sync.WaitGroup
			for i, c := range []*apiCaller{reception, other} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i] = c.call("POST", "/api/bookings", bookSlot(target), &errs[i])
				}()
			}
			wg.Wait()
			if !(codes[0] == 201 && codes[1] == 409 || codes[0] == 409 && codes[1] == 201) {
				t.Fatalf("concurrent bookings: %v %+v", codes, errs)
			}
			loser := errs[0]
			if codes[1] == 409 {
				loser = errs[1]
			}
			if loser.Error.Code != pcnhub.ECONFLICT || !strings.Contains(loser.Error.Message, "no longer available") {
				t.Fatalf("the second booking: %+v", loser)
			}

			// NHS 111: the call handler finds the registered practice and
			// sees only the slots open to urgent care.
			handler := H.user("nhs111.handler", e2e111, staff.CallHandler)
			var reg struct{ Practice pcnhub.ODSCode }
			if code := handler.call("GET", "/api/patients/"+string(nhs)+"/registered-practice", nil, &reg); code != 200 || reg.Practice != e2eLocal {
				t.Fatalf("registered practice: %d %+v", code, reg)
			}
			var urgent searchAnswer
			handler.call("GET", fmt.Sprintf("/api/slots?practice=%s&from=%s&to=%s", reg.Practice, from, from), nil, &urgent)
			if len(urgent.Slots) != 1 || urgent.Slots[0].SlotType != "NHS 111 direct booking appointment" {
				t.Fatalf("111's view: %+v", urgent)
			}
			if code := handler.call("POST", "/api/bookings", bookSlot(urgent.Slots[0]), &booked); code != 201 || booked.Registered {
				t.Fatalf("111 booking into the registered practice: %d %+v", code, booked)
			}
			// A call handler may not manage agreements.
			if code := handler.call("GET", "/api/agreements", nil, &refused); code != 403 {
				t.Fatalf("call handler listing agreements: %d", code)
			}

			// A provider that hangs is named unavailable; the others answer.
			if _, err := H.store.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: "With a hanging one", Members: []pcnhub.ODSCode{e2eLocal, e2eRemote, e2eHanging}}); err != nil {
				t.Fatal(err)
			}
			res = searchAnswer{}
			reception.call("GET", fmt.Sprintf("/api/slots?group=With+a+hanging+one&from=%s&to=%s", from, from), nil, &res)
			if len(res.Unavailable) != 1 || res.Unavailable[0].Practice != e2eHanging || !strings.Contains(res.Unavailable[0].Reason, "did not answer within 2s") {
				t.Fatalf("hanging provider: %+v", res.Unavailable)
			}
			if len(res.Slots) == 0 {
				t.Fatal("the hanging provider took the others' slots with it")
			}
		})
	}
}

// The consumer commands drive a running server's API with an API token.
func TestConsumerCommands(t *testing.T) {
	ctx := context.Background()
	d := startDeployment(t, "sqlite", []pcnhub.ODSCode{e2eHub, e2eLocal}, 2*time.Second)
	d.practice(e2eLocal)
	d.agree(e2eLocal, e2eHub)
	nhs, _ := pcnhub.NHSNumberFromPrefix(999_123_457)
	d.person(pcnhub.Person{NHSNumber: nhs, Name: pcnhub.HumanName{Given: []string{"Beatrice"}, Family: "Ashworth"},
		BirthDate: pcnhub.Date{Year: 1958, Month: 6, Day: 14}, Gender: pcnhub.GenderFemale, GPPractice: e2eLocal}, true)
	token := d.user("hub.cli", e2eHub, staff.Receptionist).token
	api := []string{"--server", d.srv.URL, "--token", token}
	day := pcnhub.DateOf(time.Now().In(pcnhub.London)).AddDays(2).String()

	var out bytes.Buffer
	if err := run(ctx, append([]string{"slots", "search", "--practice", string(e2eLocal), "--from", day, "--format", "json"}, api...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Slots []struct{ SlotID string }
		Total int
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Total != 11 || len(res.Slots) != 11 {
		t.Fatalf("slots search: %v %s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, append([]string{"book", "--practice", string(e2eLocal), "--date", day, "--slot", res.Slots[3].SlotID,
		"--nhs", string(nhs), "--description", "Blood pressure review"}, api...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(out.String())
	if len(fields) < 3 || fields[0] != "booked" || !strings.Contains(out.String(), "Blood pressure review") {
		t.Fatalf("book: %q", out.String())
	}
	id := fields[2]
	// The same slot again: no longer free.
	err := run(ctx, append([]string{"book", "--practice", string(e2eLocal), "--date", day, "--slot", res.Slots[3].SlotID,
		"--nhs", string(nhs), "--description", "Again"}, api...), io.Discard, io.Discard)
	if pcnhub.ErrorCode(err) != pcnhub.ECONFLICT {
		t.Fatalf("booking a taken slot: %v", err)
	}
	out.Reset()
	if err := run(ctx, append([]string{"book", "list", "--nhs", string(nhs), "--practice", string(e2eLocal)}, api...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), id) || !strings.Contains(out.String(), "Riverside PCN Hub") {
		t.Fatalf("book list: %v %q", err, out.String())
	}
	// Outcomes are the practice's own: the hub cannot record one; the
	// practice's receptionist can (a patient's cancellation here; arrival
	// waits for the day).
	var apiErr apiError
	hubCaller := &apiCaller{t: t, base: d.srv.URL, token: token}
	if code := hubCaller.call("POST", "/api/appointments/"+id+"/outcome", map[string]string{"outcome": "cancelled-by-patient"}, &apiErr); code != 404 {
		t.Fatalf("the hub recording an outcome at A99991: %d %+v", code, apiErr)
	}
	desk := d.user("a99991.reception", e2eLocal, staff.Receptionist)
	if code := desk.call("POST", "/api/appointments/"+id+"/outcome", map[string]string{"outcome": "arrived"}, &apiErr); code != 400 {
		t.Fatalf("arrived two days early: %d %+v", code, apiErr)
	}
	var outcome struct{ Status, Outcome string }
	if code := desk.call("POST", "/api/appointments/"+id+"/outcome", map[string]string{"outcome": "cancelled-by-patient", "reason": "Feeling better"}, &outcome); code != 200 ||
		outcome.Status != "cancelled" {
		t.Fatalf("outcome: %d %+v", code, outcome)
	}
	out.Reset()
	if err := run(ctx, append([]string{"book", "list", "--nhs", string(nhs), "--practice", string(e2eLocal)}, api...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "cancelled") {
		t.Fatalf("after the outcome: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, append([]string{"book", "--practice", string(e2eLocal), "--date", day, "--slot", res.Slots[5].SlotID,
		"--nhs", string(nhs), "--description", "Review"}, api...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	second := strings.Fields(out.String())[2]
	out.Reset()
	if err := run(ctx, append([]string{"book", "cancel", "--practice", string(e2eLocal), "--id", second, "--reason", "Feeling better"}, api...), &out, io.Discard); err != nil ||
		!strings.HasPrefix(out.String(), "cancelled appointment "+second) {
		t.Fatalf("book cancel: %v %q", err, out.String())
	}
	if err := run(ctx, []string{"slots", "search", "--server", d.srv.URL, "--token", "pct_nonsense", "--practice", "A99991"}, io.Discard, io.Discard); pcnhub.ErrorCode(err) != pcnhub.EUNAUTHORIZED {
		t.Fatalf("a bad token: %v", err)
	}
}
