// Package clienttest starts our own GP Connect provider over HTTP for
// consumer tests: SQLite with the assurance data, GP Connect enabled at
// ORG1 (B82617) and a test session of ten-minute slots.
package clienttest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// ProviderASID is the ASID our provider answers to.
const ProviderASID = "918999198738"

// Root is ORG1's service root path.
const Root = "/B82617/STU3/1/gpconnect"

// BookSlots is the number of slots in the test session.
const BookSlots = 6

// ConsumerODS is the organisation the tests' consumer acts for: it has
// data sharing agreements for appointments with the assurance practices.
const ConsumerODS pcnhub.ODSCode = "Y99911"

// Provider starts the provider with its clock fixed at now and returns
// ORG1's endpoint. The test session is schedule 900 (Location 1,
// practitioner 2, "Morning surgery", General Medical Practitioner) on
// day, BookSlots free, bookable, unrestricted In-person slots from 09:00
// London time.
func Provider(t testing.TB, now time.Time, day pcnhub.Date) client.Endpoint {
	t.Helper()
	return ProviderWithPeople(t, now, day)
}

// ProviderWithPeople is Provider with more people on the PDS-like
// demographic register, such as synthetic 999-range persons a test
// registers with $gpc.registerpatient (the provider traces a registration
// there and refuses people it does not hold). They have no patient
// record at any practice.
func ProviderWithPeople(t testing.TB, now time.Time, day pcnhub.Date, people ...pcnhub.Person) client.Endpoint {
	t.Helper()
	ctx := context.Background()
	clock := pcnhub.FixedClock(now)
	s := sqltest.Open(t, "sqlite", clock)
	if _, err := s.LoadDataset(ctx, assurance.Dataset(), "test"); err != nil {
		t.Fatal(err)
	}
	// The consumer the tests act as (an NHS 111 service) and its data
	// sharing agreements with the three practices.
	if _, err := s.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: ConsumerODS, ASID: "200000000359", Type: pcnhub.OrgUrgentCare,
		Name: "Test NHS 111"}); err != nil {
		t.Fatal(err)
	}
	for _, org := range []pcnhub.ODSCode{assurance.ORG1, assurance.ORG2, assurance.ORG3} {
		if err := s.AddAgreement(ctx, &spine.Agreement{Provider: org, Consumer: ConsumerODS, Capability: spine.Appointments,
			From: pcnhub.Date{Year: 2020, Month: 1, Day: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	if len(people) > 0 {
		pw, err := s.BeginPeopleWrite(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range people {
			if err := pw.Add(ctx, &people[i]); err != nil {
				pw.Rollback()
				t.Fatal(err)
			}
		}
		if _, err := pw.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	org1, err := s.OrganisationByODS(ctx, assurance.ORG1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{gpconnect.CapGlobal, gpconnect.CapAppointments} {
		if err := s.SetGPConnectEnabled(ctx, org1.ID, c, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	start := day.Time(pcnhub.London).Add(9 * time.Hour)
	sc := &schedule.Schedule{ID: 900, OrganisationID: org1.ID, LocationID: 1, PractitionerID: 2,
		ServiceCategory: "Morning surgery", PractitionerRoleCode: "R0260", PractitionerRoleDisplay: "General Medical Practitioner",
		PlanningStart: start, PlanningEnd: start.Add(3 * time.Hour)}
	if _, err := s.UpsertSchedule(ctx, sc); err != nil {
		t.Fatal(err)
	}
	w, err := s.BeginSlotWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < BookSlots; i++ {
		st := start.Add(time.Duration(10*i) * time.Minute)
		if err := w.Add(ctx, &schedule.Slot{ScheduleID: 900, Start: st, End: st.Add(10 * time.Minute), Status: schedule.SlotFree,
			ServiceType: "Routine GP appointment", DeliveryChannel: schedule.InPerson, Bookable: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	p := &gpconnect.Provider{Store: s, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SoftwareName: "pcnhub", SoftwareVersion: "test", SoftwareRelease: now}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return client.Endpoint{Base: srv.URL + Root, ASID: ProviderASID}
}
