package client_test

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
	"github.com/pcnhub/pcnhub/seed/assurance"
)

// seedPatient is the assurance data set's record of a patient of ORG1.
func seedPatient(t *testing.T, nhs pcnhub.NHSNumber) pcnhub.Patient {
	t.Helper()
	for ods, p := range assurance.Dataset().Patients {
		if ods == assurance.ORG1 && p.NHSNumber == nhs {
			return p
		}
	}
	t.Fatalf("no patient %s at ORG1 in the assurance data set", nhs)
	return pcnhub.Patient{}
}

// syntheticNumber is the first valid NHS number of the 999 test range
// from prefix on that the assurance data set does not use.
func syntheticNumber(t *testing.T, prefix uint32) pcnhub.NHSNumber {
	t.Helper()
	used := map[pcnhub.NHSNumber]bool{assurance.PatientNotInSystem: true,
		assurance.Patient11SupersededBy: true, assurance.Patient12MergedInto: true}
	for p := range assurance.Dataset().People {
		used[p.NHSNumber] = true
	}
	for ; prefix < 1_000_000_000; prefix++ {
		if n, ok := pcnhub.NHSNumberFromPrefix(prefix); ok && !used[n] {
			if _, err := pcnhub.ParseNHSNumber(string(n)); err != nil || !n.IsTestRange() {
				t.Fatalf("%s: not a valid test-range number: %v", n, err)
			}
			return n
		}
	}
	t.Fatal("no synthetic NHS number")
	return ""
}

func bookingOrg() client.BookingOrganisation {
	return client.BookingOrganisation{ODS: clienttest.ConsumerODS, Name: "Test NHS 111", Type: pcnhub.OrgUrgentCare,
		Telecom: []pcnhub.ContactPoint{{System: "phone", Value: "0300 555 0111", Use: "work"}}}
}

// TestPatientsOurProvider finds assurance patients, registers a synthetic
// person of the 999 range and finds them after.
func TestPatientsOurProvider(t *testing.T) {
	synthetic := pcnhub.Person{
		NHSNumber: syntheticNumber(t, 999_012_345),
		Name:      pcnhub.HumanName{Prefix: "Ms", Given: []string{"Sorrel"}, Family: "Quintrell"},
		BirthDate: pcnhub.Date{Year: 1987, Month: time.April, Day: 19},
		Gender:    pcnhub.GenderFemale,
		Address:   pcnhub.Address{Lines: []string{"7 Test Row"}, City: "Leeds", Postcode: "LS2 7AA"},
		Telecom:   []pcnhub.ContactPoint{{System: "phone", Use: "mobile", Value: "07700 900123"}},
	}
	unregistered := syntheticNumber(t, 999_054_321) // valid, on no register
	ep := clienttest.ProviderWithPeople(t, testNow, pcnhub.DateOf(bookDay), synthetic)
	c := newClient()

	want := seedPatient(t, assurance.Patient1)
	pt, err := c.FindPatient(ctx, ep, assurance.Patient1)
	if err != nil {
		t.Fatal(err)
	}
	if pt == nil {
		t.Fatal("patient1 not found")
	}
	if client.NHSNumberOf(pt) != assurance.Patient1 || pt.ID == "" || len(pt.Name) != 1 || pt.Name[0].Family != want.Name.Family ||
		pt.BirthDate.String() != want.BirthDate.String() || pt.Gender != string(want.Gender) {
		t.Errorf("patient1: id %q name %+v born %s gender %s; want %s %s %s", pt.ID, pt.Name, pt.BirthDate, pt.Gender,
			want.Name.Family, want.BirthDate, want.Gender)
	}
	for _, n := range []pcnhub.NHSNumber{synthetic.NHSNumber, unregistered, assurance.PatientNotInSystem} {
		if got, err := c.FindPatient(ctx, ep, n); err != nil || got != nil {
			t.Errorf("find %s before registration: %+v, %v; want nil, nil", n, got, err)
		}
	}
	// A bad NHS number is refused before any call.
	if _, err := c.FindPatient(ctx, ep, "9000000008"); err == nil || errors.As(err, new(*client.ProviderError)) {
		t.Errorf("bad NHS number: %v", err)
	}

	reg := client.RegisterRequest{NHSNumber: synthetic.NHSNumber, Family: synthetic.Name.Family, Given: synthetic.Name.Given,
		Prefix: synthetic.Name.Prefix, Gender: synthetic.Gender, BirthDate: synthetic.BirthDate,
		Address: synthetic.Address, Telecom: synthetic.Telecom}
	registered, err := c.RegisterPatient(ctx, ep, reg)
	if err != nil {
		t.Fatal(err)
	}
	if client.NHSNumberOf(registered) != synthetic.NHSNumber || registered.ID == "" || registered.Name[0].Family != synthetic.Name.Family ||
		registered.BirthDate.String() != synthetic.BirthDate.String() || registrationType(registered) != "T" {
		t.Errorf("registered %+v (registration type %q)", registered, registrationType(registered))
	}
	found, err := c.FindPatient(ctx, ep, synthetic.NHSNumber)
	if err != nil || found == nil || found.ID != registered.ID {
		t.Fatalf("find after registration: %+v, %v; want id %s", found, err, registered.ID)
	}
	// Registered twice: 409 DUPLICATE_REJECTED.
	_, err = c.RegisterPatient(ctx, ep, reg)
	if pe, ok := client.IsProviderError(err); !ok || pe.Status != 409 || !client.IsSpineCode(err, client.SpineDuplicateRejected) {
		t.Errorf("second registration: %v", err)
	}
	// Not on the demographic register: 400 INVALID_PATIENT_DEMOGRAPHICS.
	reg.NHSNumber = unregistered
	_, err = c.RegisterPatient(ctx, ep, reg)
	if pe, ok := client.IsProviderError(err); !ok || pe.Status != 400 || !client.IsSpineCode(err, client.SpineInvalidDemographics) {
		t.Errorf("registration of a number PDS does not hold: %v", err)
	}
}

func registrationType(p *fhir.Patient) string {
	for _, e := range p.Extension {
		if e.URL != fhir.ExtRegistrationDetails {
			continue
		}
		for _, sub := range e.Extension {
			if sub.URL == fhir.ExtRegistrationType && sub.ValueCodeableConcept != nil && len(sub.ValueCodeableConcept.Coding) > 0 {
				return sub.ValueCodeableConcept.Coding[0].Code
			}
		}
	}
	return ""
}

// freeSlots searches the test day and returns the Bundle and the free
// slots of the test session in time order.
func freeSlots(t *testing.T, c *client.Client, ep client.Endpoint) (*fhir.Bundle, []*fhir.Slot) {
	t.Helper()
	day := pcnhub.DateOf(bookDay)
	b, _, err := c.SearchSlots(ctx, ep, client.SlotQuery{From: day, To: day, OrgType: pcnhub.OrgUrgentCare, ConsumerODS: clienttest.ConsumerODS})
	if err != nil {
		t.Fatal(err)
	}
	var slots []*fhir.Slot
	for _, e := range b.Entry {
		if s, ok := e.Resource.(*fhir.Slot); ok && s.Schedule != nil && s.Schedule.Reference == "Schedule/900" {
			slots = append(slots, s)
		}
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i].Start.Time().Before(slots[j].Start.Time()) })
	return b, slots
}

func scheduleActors(t *testing.T, b *fhir.Bundle, id string) (location, practitioner string) {
	t.Helper()
	for _, e := range b.Entry {
		if sc, ok := e.Resource.(*fhir.Schedule); ok && sc.ID == id {
			for _, a := range sc.Actor {
				switch kind, ref, _ := strings.Cut(a.Reference, "/"); kind {
				case "Location":
					location = ref
				case "Practitioner":
					practitioner = ref
				}
			}
			return
		}
	}
	t.Fatalf("schedule %s not in the search answer", id)
	return
}

func participants(a *fhir.Appointment) []string {
	var out []string
	for _, p := range a.Participant {
		if p.Actor != nil {
			out = append(out, p.Actor.Reference)
		}
	}
	return out
}

func slotRefs(a *fhir.Appointment) []string {
	var out []string
	for _, s := range a.Slot {
		out = append(out, s.Reference)
	}
	return out
}

func bookingODS(a *fhir.Appointment) string {
	for _, e := range a.Extension {
		if e.URL != fhir.ExtBookingOrganisation || e.ValueReference == nil {
			continue
		}
		for _, c := range a.Contained {
			if o, ok := c.(*fhir.Organization); ok && "#"+o.ID == e.ValueReference.Reference {
				for _, id := range o.Identifier {
					if id.System == fhir.SystemODSOrganization {
						return id.Value
					}
				}
			}
		}
	}
	return ""
}

// londonOffset is the offset a UK local time at t is written with.
func londonOffset(t time.Time) string { return t.In(pcnhub.London).Format("-07:00") }

// TestAppointmentsOurProvider books, reads, amends, cancels and lists
// appointments at our provider, the way a consumer does.
func TestAppointmentsOurProvider(t *testing.T) {
	ep := provider(t)
	c := newClient()
	pt, err := c.FindPatient(ctx, ep, assurance.Patient1)
	if err != nil || pt == nil {
		t.Fatalf("patient1: %v", err)
	}
	day := pcnhub.DateOf(bookDay)
	before, err := c.PatientAppointments(ctx, ep, pt.ID, day, day)
	if err != nil {
		t.Fatal(err)
	}

	b, slots := freeSlots(t, c, ep)
	if len(slots) != clienttest.BookSlots {
		t.Fatalf("%d free slots in the test session, want %d", len(slots), clienttest.BookSlots)
	}
	wantLoc, wantPr := scheduleActors(t, b, "900")

	// One slot.
	br, err := client.BookingFromSearch(b, slots[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(br.SlotIDs, []string{slots[0].ID}) || !br.Start.Equal(slots[0].Start.Time()) || !br.End.Equal(slots[0].End.Time()) ||
		br.LocationID != wantLoc || br.PractitionerID != wantPr {
		t.Errorf("booking from search: %+v", br)
	}
	br.PatientID, br.Description, br.Comment, br.Organisation = pt.ID, "Sore throat, 111 referral", "Prefers mornings", bookingOrg()
	booked, err := c.BookAppointment(ctx, ep, br)
	if err != nil {
		t.Fatal(err)
	}
	if booked.ID == "" || booked.Status != "booked" || booked.Meta == nil || booked.Meta.VersionID == "" ||
		!booked.Start.Time().Equal(br.Start) || !booked.End.Time().Equal(br.End) ||
		booked.Description != br.Description || booked.Comment != br.Comment || bookingODS(booked) != string(clienttest.ConsumerODS) ||
		!slices.Equal(slotRefs(booked), []string{"Slot/" + slots[0].ID}) ||
		!slices.Contains(participants(booked), "Patient/"+pt.ID) || !slices.Contains(participants(booked), "Location/"+wantLoc) {
		t.Errorf("booked %+v", booked)
	}
	if off := londonOffset(br.Start); booked.Start.IsZ() || !strings.HasSuffix(booked.Start.String(), off) {
		t.Errorf("start %s, want UK local time with offset %s", booked.Start, off)
	}
	// The slot is no longer free.
	if _, after := freeSlots(t, c, ep); len(after) != len(slots)-1 || slices.ContainsFunc(after, func(s *fhir.Slot) bool { return s.ID == slots[0].ID }) {
		t.Errorf("after booking, %d free slots", len(after))
	}

	read, version, err := c.ReadAppointment(ctx, ep, booked.ID)
	if err != nil {
		t.Fatal(err)
	}
	if read.ID != booked.ID || version != booked.Meta.VersionID || read.Description != br.Description || read.Comment != br.Comment {
		t.Errorf("read %s version %q: %+v", read.ID, version, read)
	}

	// Amend the comment of what was read.
	read.Comment = "Prefers mornings; hard of hearing"
	amended, err := c.AmendAppointment(ctx, ep, read, version)
	if err != nil {
		t.Fatal(err)
	}
	if amended.Comment != read.Comment || amended.Description != br.Description || amended.Status != "booked" ||
		amended.Meta == nil || amended.Meta.VersionID == version {
		t.Errorf("amended %+v", amended)
	}
	// The old version is stale now: 409.
	read.Comment = "lost update"
	_, err = c.AmendAppointment(ctx, ep, read, version)
	if pe, ok := client.IsProviderError(err); !ok || pe.Status != 409 || !client.IsSpineCode(err, client.SpineConstraintViolation) {
		t.Errorf("amend with a stale version: %v", err)
	}
	// Anything but description and comment changed: 422 INVALID_RESOURCE.
	reread, v2, err := c.ReadAppointment(ctx, ep, booked.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reread.Comment != amended.Comment || v2 != amended.Meta.VersionID {
		t.Errorf("re-read comment %q version %q, want %q %q", reread.Comment, v2, amended.Comment, amended.Meta.VersionID)
	}
	changed := *reread
	changed.Participant = slices.Clone(reread.Participant[:2])
	if _, err := c.AmendAppointment(ctx, ep, &changed, v2); !client.IsSpineCode(err, client.SpineInvalidResource) {
		t.Errorf("amend dropping a participant: %v", err)
	}

	// Cancel.
	const reason = "Patient called to cancel"
	cancelled, err := c.CancelAppointment(ctx, ep, reread, v2, reason)
	if err != nil {
		t.Fatal(err)
	}
	if cancelled.Status != "cancelled" || client.CancellationReason(cancelled) != reason || cancelled.Meta.VersionID == v2 ||
		cancelled.Comment != amended.Comment {
		t.Errorf("cancelled %+v", cancelled)
	}
	if reread.Status != "booked" || client.CancellationReason(reread) != "" {
		t.Errorf("CancelAppointment changed its argument: %+v", reread)
	}

	// Two contiguous slots in one appointment.
	b, slots = freeSlots(t, c, ep)
	var pair []string
	for i := 0; i+1 < len(slots) && pair == nil; i++ {
		if slots[i].End.Time().Equal(slots[i+1].Start.Time()) {
			pair = []string{slots[i+1].ID, slots[i].ID} // out of order on purpose
		}
	}
	if pair == nil {
		t.Fatal("no two contiguous free slots")
	}
	br2, err := client.BookingFromSearch(b, pair...)
	if err != nil {
		t.Fatal(err)
	}
	br2.PatientID, br2.Description, br2.Organisation = pt.ID, "Double appointment", bookingOrg()
	double, err := c.BookAppointment(ctx, ep, br2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(slotRefs(double), []string{"Slot/" + pair[1], "Slot/" + pair[0]}) ||
		!double.Start.Time().Equal(br2.Start) || !double.End.Time().Equal(br2.End) || br2.End.Sub(br2.Start) != 2*(slots[0].End.Time().Sub(slots[0].Start.Time())) {
		t.Errorf("double booking: slots %v from %s to %s", slotRefs(double), double.Start, double.End)
	}
	// Not contiguous: refused before any call.
	if len(slots) >= 4 {
		if _, err := client.BookingFromSearch(b, slots[0].ID, slots[len(slots)-1].ID); err == nil {
			t.Error("non-contiguous slots accepted")
		}
	}

	// The patient's appointments of the day: what was there, the cancelled
	// one and the double one.
	list, err := c.PatientAppointments(ctx, ep, pt.ID, day, day)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, a := range list {
		status[a.ID] = a.Status
	}
	if len(list) != len(before)+2 || status[booked.ID] != "cancelled" || status[double.ID] != "booked" {
		t.Errorf("patient appointments %v (before: %d)", status, len(before))
	}
	// A range in the past is refused by the provider.
	_, err = c.PatientAppointments(ctx, ep, pt.ID, day.AddDays(-3), day)
	if pe, ok := client.IsProviderError(err); !ok || pe.Status != 422 || !client.IsSpineCode(err, client.SpineInvalidParameter) {
		t.Errorf("range in the past: %v", err)
	}
	// An unknown appointment: 404 NO_RECORD_FOUND.
	_, _, err = c.ReadAppointment(ctx, ep, "999999")
	if pe, ok := client.IsProviderError(err); !ok || pe.Status != 404 || !client.IsSpineCode(err, client.SpineNoRecordFound) {
		t.Errorf("unknown appointment: %v", err)
	}
}

// TestConcurrentBookingOurProvider books one slot from two goroutines at
// once: exactly one booking succeeds; the other is told the slot is taken.
func TestConcurrentBookingOurProvider(t *testing.T) {
	ep := provider(t)
	c := newClient()
	var patients []*fhir.Patient
	for _, n := range []pcnhub.NHSNumber{assurance.Patient1, assurance.Patient2} {
		pt, err := c.FindPatient(ctx, ep, n)
		if err != nil || pt == nil {
			t.Fatalf("%s: %+v %v", n, pt, err)
		}
		patients = append(patients, pt)
	}
	b, slots := freeSlots(t, c, ep)
	if len(slots) == 0 {
		t.Fatal("no free slot")
	}
	target := slots[len(slots)-1]
	start := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]error, len(patients))
	booked := make([]*fhir.Appointment, len(patients))
	for i, pt := range patients {
		br, err := client.BookingFromSearch(b, target.ID)
		if err != nil {
			t.Fatal(err)
		}
		br.PatientID, br.Description, br.Organisation = pt.ID, "Concurrent booking "+pt.ID, bookingOrg()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			booked[i], results[i] = c.BookAppointment(ctx, ep, br)
		}()
	}
	close(start)
	wg.Wait()
	wins, taken := 0, 0
	for i, err := range results {
		switch {
		case err == nil:
			wins++
			if !slices.Equal(slotRefs(booked[i]), []string{"Slot/" + target.ID}) || !slices.Contains(participants(booked[i]), "Patient/"+patients[i].ID) {
				t.Errorf("winner's appointment %+v", booked[i])
			}
		case client.IsSlotTaken(err):
			taken++
		default:
			t.Errorf("booking %d: %v", i, err)
		}
	}
	if wins != 1 || taken != 1 {
		t.Errorf("%d bookings succeeded and %d were told the slot is taken, want 1 and 1 (%v)", wins, taken, results)
	}
}

// TestAccessRefusedOurProvider: an organisation with no data sharing
// agreement with the practice is refused with a 403 the caller can tell
// from other failures.
func TestAccessRefusedOurProvider(t *testing.T) {
	ep := provider(t)
	c := newClient()
	c.Identity.OrgODS = "Y99900" // no agreement with ORG1
	_, err := c.FindPatient(ctx, ep, assurance.Patient1)
	if !client.IsAccessRefused(err) ||
		!client.IsSpineCode(err, client.SpineNoOrganisationalConsent, client.SpineNoOrganisationConsent, client.SpineAccessDenied) {
		t.Errorf("find patient without an agreement: %v", err)
	}
	if client.IsAccessRefused(nil) || client.IsSlotTaken(err) || client.IsSpineCode(errors.New("x"), client.SpineAccessDenied) {
		t.Error("helpers report a refusal that is not one")
	}
}
