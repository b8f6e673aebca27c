package fhir_test

import (
	"fmt"
	"time"

	"github.com/pcnhub/pcnhub/fhir"
)

var london = mustLoadLocation("Europe/London")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testAppointment is a booked GP Connect appointment as a provider returns it.
func testAppointment() *fhir.Appointment {
	start := time.Date(2026, 3, 30, 10, 0, 0, 0, london)
	return &fhir.Appointment{
		ID: "9",
		Meta: &fhir.Meta{
			VersionID: "636068818095315079",
			Profile:   []string{fhir.ProfileAppointment},
		},
		Contained: []fhir.Resource{&fhir.Organization{
			ID:   "1",
			Meta: &fhir.Meta{Profile: []string{fhir.ProfileOrganization}},
			Identifier: []fhir.Identifier{{
				System: fhir.SystemODSOrganization,
				Value:  "A00001",
			}},
			Type: []fhir.CodeableConcept{{Coding: []fhir.Coding{{
				System: fhir.CodeSystemOrganisationType,
				Code:   fhir.OrganisationTypeUrgentCare,
			}}}},
			Name:    "North Ambulance Service",
			Telecom: []fhir.ContactPoint{{System: "phone", Value: "01111222333"}},
		}},
		Extension: []fhir.Extension{
			{URL: fhir.ExtBookingOrganisation, ValueReference: &fhir.Reference{Reference: "#1"}},
			{URL: fhir.ExtPractitionerRole, ValueCodeableConcept: &fhir.CodeableConcept{Coding: []fhir.Coding{{
				System: fhir.CodeSystemSDSJobRoleName, Code: "R0260", Display: "General Medical Practitioner",
			}}}},
			{URL: fhir.ExtDeliveryChannel, ValueCode: fhir.DeliveryChannelInPerson},
		},
		Status:          "booked",
		ServiceCategory: &fhir.CodeableConcept{Text: "General GP Appointments"},
		ServiceType:     []fhir.CodeableConcept{{Text: "General GP Appointment"}},
		Description:     "Free text description.",
		Start:           fhir.NewInstant(start),
		End:             fhir.NewInstant(start.Add(10 * time.Minute)),
		Slot:            []fhir.Reference{{Reference: "Slot/1"}},
		Created:         fhir.NewDateTime(time.Date(2026, 3, 27, 13, 48, 41, 0, london)),
		Comment:         "Free text comment.",
		Participant: []fhir.AppointmentParticipant{
			{Actor: &fhir.Reference{Reference: "Patient/1"}, Status: "accepted"},
			{Actor: &fhir.Reference{Reference: "Location/32"}, Status: "accepted"},
			{Actor: &fhir.Reference{Reference: "Practitioner/18"}, Status: "accepted"},
		},
	}
}

// slotBundle is the searchset a slot search answers with: nSlots free Slots,
// then nSchedules Schedules, as many Practitioners and Locations, and the
// managing Organization.
func slotBundle(nSlots, nSchedules int) *fhir.Bundle {
	b := &fhir.Bundle{
		Meta: &fhir.Meta{Profile: []string{fhir.ProfileSearchsetBundle}},
		Type: "searchset",
	}
	day := time.Date(2026, 10, 19, 8, 0, 0, 0, london) // the week of the change to GMT
	for i := 0; i < nSlots; i++ {
		sched := i % nSchedules
		start := day.AddDate(0, 0, i/(nSchedules*48)).Add(time.Duration(i/nSchedules%48) * 10 * time.Minute)
		b.Entry = append(b.Entry, fhir.BundleEntry{Resource: &fhir.Slot{
			ID: fmt.Sprint(100000 + i),
			Meta: &fhir.Meta{
				VersionID: fmt.Sprint(1471219260000 + i),
				Profile:   []string{fhir.ProfileSlot},
			},
			Extension:   []fhir.Extension{{URL: fhir.ExtDeliveryChannel, ValueCode: fhir.DeliveryChannelInPerson}},
			ServiceType: []fhir.CodeableConcept{{Text: "GP Appointment"}},
			Schedule:    &fhir.Reference{Reference: fmt.Sprint("Schedule/", sched)},
			Status:      "free",
			Start:       fhir.NewInstant(start),
			End:         fhir.NewInstant(start.Add(10 * time.Minute)),
		}})
	}
	for s := 0; s < nSchedules; s++ {
		b.Entry = append(b.Entry, fhir.BundleEntry{Resource: &fhir.Schedule{
			ID:   fmt.Sprint(s),
			Meta: &fhir.Meta{VersionID: "1469444400000", Profile: []string{fhir.ProfileSchedule}},
			Extension: []fhir.Extension{{URL: fhir.ExtPractitionerRole, ValueCodeableConcept: &fhir.CodeableConcept{
				Coding: []fhir.Coding{{System: fhir.CodeSystemSDSJobRoleName, Code: "R0260", Display: "General Medical Practitioner"}},
			}}},
			ServiceCategory: &fhir.CodeableConcept{Text: "General GP Appointments"},
			Actor: []fhir.Reference{
				{Reference: fmt.Sprint("Location/", s)},
				{Reference: fmt.Sprint("Practitioner/", s)},
			},
			PlanningHorizon: &fhir.Period{
				Start: fhir.NewDateTime(day),
				End:   fhir.NewDateTime(day.AddDate(0, 0, 14)),
			},
		}})
	}
	for s := 0; s < nSchedules; s++ {
		b.Entry = append(b.Entry, fhir.BundleEntry{Resource: &fhir.Practitioner{
			ID:         fmt.Sprint(s),
			Meta:       &fhir.Meta{VersionID: "636064088099800115", Profile: []string{fhir.ProfilePractitioner}},
			Identifier: []fhir.Identifier{{System: fhir.SystemSDSUserID, Value: fmt.Sprint(111122223333 + s)}},
			Name:       []fhir.HumanName{{Family: "Black", Given: []string{"Sarah"}, Prefix: []string{"Mrs"}}},
			Gender:     "female",
		}})
	}
	for s := 0; s < nSchedules; s++ {
		b.Entry = append(b.Entry, fhir.BundleEntry{Resource: &fhir.Location{
			ID:      fmt.Sprint(s),
			Meta:    &fhir.Meta{VersionID: "636064088100870233", Profile: []string{fhir.ProfileLocation}},
			Name:    fmt.Sprint("The Trevelyan Practice, site ", s),
			Telecom: []fhir.ContactPoint{{System: "phone", Value: "03003035678", Use: "work"}},
			Address: &fhir.Address{
				Line:       []string{"Trevelyan Square", "Boar Ln"},
				City:       "Leeds",
				PostalCode: "LS1 6AE",
			},
			ManagingOrganization: &fhir.Reference{Reference: "Organization/23"},
		}})
	}
	b.Entry = append(b.Entry, fhir.BundleEntry{Resource: &fhir.Organization{
		ID:         "23",
		Meta:       &fhir.Meta{VersionID: "636064088098730113", Profile: []string{fhir.ProfileOrganization}},
		Identifier: []fhir.Identifier{{System: fhir.SystemODSOrganization, Value: "A00001"}},
		Name:       "The Trevelyan Practice",
		Address:    []fhir.Address{{Line: []string{"Trevelyan Square", "Boar Ln"}, City: "Leeds", PostalCode: "LS1 6AE"}},
		Telecom:    []fhir.ContactPoint{{System: "phone", Value: "03003035678", Use: "work"}},
	}})
	return b
}

// testCapabilityStatement is a GP Connect 1.2.7 provider's capability statement.
func testCapabilityStatement() *fhir.CapabilityStatement {
	read := fhir.CapabilityStatementRestResourceInteraction{Code: "read"}
	search := fhir.CapabilityStatementRestResourceInteraction{Code: "search-type"}
	ident := func(doc string) []fhir.CapabilityStatementSearchParam {
		return []fhir.CapabilityStatementSearchParam{{Name: "identifier", Type: "token", Documentation: doc}}
	}
	return &fhir.CapabilityStatement{
		Version:     "1.2.7",
		Name:        "GP Connect",
		Status:      "active",
		Date:        fhir.NewDateTime(time.Date(2026, 1, 15, 9, 0, 0, 0, london)),
		Publisher:   "pcnhub",
		Contact:     []fhir.ContactDetail{{Name: "pcnhub maintainers"}},
		Description: "This server implements the GP Connect API version 1.2.7",
		Kind:        "capability",
		Software: &fhir.CapabilityStatementSoftware{
			Name:        "pcnhub",
			Version:     "0.1.0",
			ReleaseDate: fhir.NewDateTime(time.Date(2026, 1, 15, 0, 0, 0, 0, london)),
		},
		FHIRVersion:   "3.0.1",
		AcceptUnknown: "both",
		Format:        []string{fhir.MIMEJSON, fhir.MIMEXML},
		Profile: []fhir.Reference{
			{Reference: fhir.ProfilePatient}, {Reference: fhir.ProfileOrganization},
			{Reference: fhir.ProfilePractitioner}, {Reference: fhir.ProfilePractitionerRole},
			{Reference: fhir.ProfileLocation}, {Reference: fhir.ProfileOperationOutcome},
			{Reference: fhir.ProfileAppointment}, {Reference: fhir.ProfileSchedule}, {Reference: fhir.ProfileSlot},
		},
		Rest: []fhir.CapabilityStatementRest{{
			Mode:     "server",
			Security: &fhir.CapabilityStatementRestSecurity{CORS: fhir.Bool(true)},
			Resource: []fhir.CapabilityStatementRestResource{
				{Type: "Patient", Interaction: []fhir.CapabilityStatementRestResourceInteraction{read, search},
					SearchParam: ident("NHS Number (i.e. https://fhir.nhs.uk/Id/nhs-number|123456789)")},
				{Type: "Organization", Interaction: []fhir.CapabilityStatementRestResourceInteraction{read, search},
					SearchParam: ident("ODS Code (i.e. https://fhir.nhs.uk/Id/ods-organization-code|Y12345)")},
				{Type: "Practitioner", Interaction: []fhir.CapabilityStatementRestResourceInteraction{read, search},
					SearchParam: ident("SDS User Id (i.e. https://fhir.nhs.uk/Id/sds-user-id|999999)")},
				{Type: "Location", Interaction: []fhir.CapabilityStatementRestResourceInteraction{read}},
				{Type: "Appointment", Interaction: []fhir.CapabilityStatementRestResourceInteraction{
					read, {Code: "create"}, {Code: "update"}, search,
				}, UpdateCreate: fhir.Bool(false)},
				{Type: "Slot", Interaction: []fhir.CapabilityStatementRestResourceInteraction{search},
					SearchInclude: []string{"Schedule:actor:Location", "Schedule:actor:Practitioner", "Slot:schedule", "Location:managingOrganization"},
					SearchParam: []fhir.CapabilityStatementSearchParam{
						{Name: "start", Type: "date"}, {Name: "end", Type: "date"},
						{Name: "status", Type: "token"}, {Name: "searchFilter", Type: "token"},
					}},
			},
			Operation: []fhir.CapabilityStatementRestOperation{{
				Name:       "gpc.registerpatient",
				Definition: &fhir.Reference{Reference: fhir.OperationRegisterPatient},
			}},
		}},
	}
}
