package gpconnect

import (
	"strconv"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/schedule"
)

// bookingOrgContainedID is the id of the contained booking Organization.
const bookingOrgContainedID = "1"

// visitLocationID is the logical id of the generic Location that a Visit
// (home or care-home visit) appointment names instead of where it takes
// place (§2.1): GP Connect does not disclose a visit's address.
const visitLocationID = "visit"

// visitLocation is that generic Location, managed by the practice.
func visitLocation(practice *pcnhub.Organisation) *fhir.Location {
	return &fhir.Location{ID: visitLocationID, Meta: meta(fhir.ProfileLocation, "1"),
		Name: "Visit (location not disclosed)", ManagingOrganization: ref("Organization", practice.ID)}
}

func meta(profile, version string) *fhir.Meta {
	return &fhir.Meta{VersionID: version, Profile: []string{profile}}
}

func ref(kind string, id int64) *fhir.Reference {
	return &fhir.Reference{Reference: kind + "/" + strconv.FormatInt(id, 10)}
}

func idOf(id int64) string { return strconv.FormatInt(id, 10) }

// instant renders t as UK local time with its offset (+00:00 / +01:00), never Z.
func instant(t time.Time) fhir.Instant { return fhir.NewInstant(t.In(pcnhub.London)) }

func dateTime(t time.Time) fhir.DateTime { return fhir.NewDateTime(t.In(pcnhub.London)) }

func address(a pcnhub.Address, use string) fhir.Address {
	return fhir.Address{Use: use, Line: a.Lines, City: a.City, District: a.District, PostalCode: a.Postcode}
}

func telecom(cps []pcnhub.ContactPoint) []fhir.ContactPoint {
	out := make([]fhir.ContactPoint, 0, len(cps))
	for _, c := range cps {
		out = append(out, fhir.ContactPoint{System: c.System, Value: c.Value, Use: c.Use})
	}
	return out
}

func humanName(n pcnhub.HumanName, use string) fhir.HumanName {
	h := fhir.HumanName{Use: use, Family: n.Family, Given: n.Given}
	if n.Prefix != "" {
		h.Prefix = []string{n.Prefix}
	}
	return h
}

// patientResource renders a patient record as CareConnect-GPC-Patient-1:
// one official name, NHS number with verification status, registration
// details, NHS communication, managingOrganization the practice.
func (p *Provider) patientResource(rq *request, pt *pcnhub.Patient) *fhir.Patient {
	active := pt.Registration.Status == pcnhub.RegActive
	regType := "R"
	if pt.Registration.Type == pcnhub.RegTemporary {
		regType = "T"
	}
	reg := fhir.Extension{URL: fhir.ExtRegistrationDetails}
	if !pt.Registration.Start.IsZero() {
		period := &fhir.Period{Start: dateTime(pt.Registration.Start.Time(pcnhub.London))}
		if !pt.Registration.End.IsZero() {
			period.End = dateTime(pt.Registration.End.Time(pcnhub.London))
		}
		reg.Extension = append(reg.Extension, fhir.Extension{URL: "registrationPeriod", ValuePeriod: period})
	}
	reg.Extension = append(reg.Extension, fhir.Extension{URL: "registrationType", ValueCodeableConcept: &fhir.CodeableConcept{
		Coding: []fhir.Coding{{System: fhir.CodeSystemRegistrationType, Code: regType}}}})
	out := &fhir.Patient{
		ID:        idOf(pt.ID),
		Meta:      meta(fhir.ProfilePatient, versionID(pt.Version)),
		Extension: []fhir.Extension{reg},
		Identifier: []fhir.Identifier{{
			Extension: []fhir.Extension{{URL: fhir.ExtNHSNumberVerificationStatus, ValueCodeableConcept: &fhir.CodeableConcept{
				Coding: []fhir.Coding{{System: fhir.CodeSystemNHSNumberVerificationStatus, Code: "01", Display: "Number present and verified"}}}}},
			System: fhir.SystemNHSNumber, Value: string(pt.NHSNumber),
		}},
		Active:               &active,
		Name:                 []fhir.HumanName{humanName(pt.Name, "official")},
		Telecom:              telecom(pt.Telecom),
		Gender:               string(pt.Gender),
		BirthDate:            fhir.NewDate(pt.BirthDate.Year, pt.BirthDate.Month, pt.BirthDate.Day),
		ManagingOrganization: ref("Organization", rq.practice.ID),
	}
	if pt.Language != "" {
		interpreter := pt.InterpreterRequired
		out.Extension = append(out.Extension, fhir.Extension{URL: fhir.ExtNHSCommunication, Extension: []fhir.Extension{
			{URL: "language", ValueCodeableConcept: &fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.CodeSystemHumanLanguage, Code: pt.Language}}}},
			{URL: "interpreterRequired", ValueBoolean: &interpreter},
		}})
	}
	if !pt.Address.IsZero() {
		out.Address = []fhir.Address{address(pt.Address, "home")}
	}
	return out
}

func practitionerResource(pr *pcnhub.Practitioner) *fhir.Practitioner {
	out := &fhir.Practitioner{
		ID:     idOf(pr.ID),
		Meta:   meta(fhir.ProfilePractitioner, "1"),
		Name:   []fhir.HumanName{humanName(pr.Name, "usual")},
		Gender: string(pr.Gender),
	}
	if pr.SDSUserID != "" {
		out.Identifier = append(out.Identifier, fhir.Identifier{System: fhir.SystemSDSUserID, Value: pr.SDSUserID})
	}
	for _, rp := range pr.RoleProfileIDs {
		out.Identifier = append(out.Identifier, fhir.Identifier{System: fhir.SystemSDSRoleProfileID, Value: rp})
	}
	return out
}

func organizationResource(o *pcnhub.Organisation) *fhir.Organization {
	out := &fhir.Organization{
		ID:         idOf(o.ID),
		Meta:       meta(fhir.ProfileOrganization, versionID(o.Updated.UnixMicro())),
		Identifier: []fhir.Identifier{{System: fhir.SystemODSOrganization, Value: string(o.ODS)}},
		Name:       o.Name,
		Telecom:    telecom(o.Telecom),
	}
	if !o.Address.IsZero() {
		out.Address = []fhir.Address{address(o.Address, "work")}
	}
	return out
}

func locationResource(l *pcnhub.Location, org *pcnhub.Organisation) *fhir.Location {
	out := &fhir.Location{
		ID:                   idOf(l.ID),
		Meta:                 meta(fhir.ProfileLocation, "1"),
		Name:                 l.Name,
		Telecom:              telecom(l.Telecom),
		ManagingOrganization: ref("Organization", org.ID),
	}
	if l.SiteODS != "" {
		out.Identifier = []fhir.Identifier{{System: fhir.SystemODSSite, Value: string(l.SiteODS)}}
	}
	if !l.Address.IsZero() {
		a := address(l.Address, "work")
		out.Address = &a
	}
	return out
}

// scheduleResource renders a session; the PractitionerRole extension
// comes first, where real consumers read it.
func scheduleResource(sc *schedule.Schedule) *fhir.Schedule {
	out := &fhir.Schedule{
		ID:    idOf(sc.ID),
		Meta:  meta(fhir.ProfileSchedule, versionID(sc.Version)),
		Actor: []fhir.Reference{*ref("Location", sc.LocationID)},
	}
	if sc.PractitionerRoleCode != "" {
		out.Extension = []fhir.Extension{{URL: fhir.ExtPractitionerRole, ValueCodeableConcept: &fhir.CodeableConcept{
			Coding: []fhir.Coding{{System: fhir.CodeSystemSDSJobRoleName, Code: sc.PractitionerRoleCode, Display: sc.PractitionerRoleDisplay}}}}}
	}
	if sc.ServiceCategory != "" {
		out.ServiceCategory = &fhir.CodeableConcept{Text: sc.ServiceCategory}
	}
	if sc.PractitionerID != 0 {
		out.Actor = append(out.Actor, *ref("Practitioner", sc.PractitionerID))
	}
	if !sc.PlanningStart.IsZero() && !sc.PlanningEnd.IsZero() {
		out.PlanningHorizon = &fhir.Period{Start: dateTime(sc.PlanningStart), End: dateTime(sc.PlanningEnd)}
	}
	return out
}

// slotResource renders a slot; the DeliveryChannel extension comes first.
func slotResource(s *schedule.Slot) *fhir.Slot {
	out := &fhir.Slot{
		ID:        idOf(s.ID),
		Meta:      meta(fhir.ProfileSlot, versionID(s.Version)),
		Extension: []fhir.Extension{{URL: fhir.ExtDeliveryChannel, ValueCode: string(s.DeliveryChannel)}},
		Schedule:  ref("Schedule", s.ScheduleID),
		Status:    string(s.Status),
		Start:     instant(s.Start),
		End:       instant(s.End),
	}
	if s.ServiceType != "" {
		out.ServiceType = []fhir.CodeableConcept{{Text: s.ServiceType}}
	}
	return out
}

// appointmentResource renders an appointment with its booking
// organisation contained, delivery channel and practitioner role, and the
// cancellation reason when cancelled.
func appointmentResource(a *schedule.Appointment) *fhir.Appointment {
	bo := a.BookingOrganisation
	org := &fhir.Organization{
		ID:         bookingOrgContainedID,
		Meta:       &fhir.Meta{Profile: []string{fhir.ProfileOrganization}},
		Identifier: []fhir.Identifier{{System: fhir.SystemODSOrganization, Value: string(bo.ODS)}},
		Name:       bo.Name,
		Telecom:    telecom(bo.Telecom),
	}
	if bo.Type != "" {
		org.Type = []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CodeSystemOrganisationType, Code: string(bo.Type)}}}}
	}
	out := &fhir.Appointment{
		ID:          idOf(a.ID),
		Meta:        meta(fhir.ProfileAppointment, versionID(a.Version)),
		Contained:   []fhir.Resource{org},
		Status:      string(a.Status),
		Description: a.Description,
		Start:       instant(a.Start),
		End:         instant(a.End),
		Created:     dateTime(a.Created),
		Comment:     a.Comment,
	}
	if a.DeliveryChannel != "" {
		out.Extension = append(out.Extension, fhir.Extension{URL: fhir.ExtDeliveryChannel, ValueCode: string(a.DeliveryChannel)})
	}
	if a.PractitionerRoleCode != "" {
		out.Extension = append(out.Extension, fhir.Extension{URL: fhir.ExtPractitionerRole, ValueCodeableConcept: &fhir.CodeableConcept{
			Coding: []fhir.Coding{{System: fhir.CodeSystemSDSJobRoleName, Code: a.PractitionerRoleCode, Display: a.PractitionerRoleDisplay}}}})
	}
	out.Extension = append(out.Extension, fhir.Extension{URL: fhir.ExtBookingOrganisation, ValueReference: &fhir.Reference{Reference: "#" + bookingOrgContainedID}})
	if a.Status == schedule.Cancelled && a.CancellationReason != "" {
		out.Extension = append(out.Extension, fhir.Extension{URL: fhir.ExtAppointmentCancellationReason, ValueString: a.CancellationReason})
	}
	for _, id := range a.Identifiers {
		out.Identifier = append(out.Identifier, fhir.Identifier{System: id.System, Value: id.Value})
	}
	if a.ServiceCategory != "" {
		out.ServiceCategory = &fhir.CodeableConcept{Text: a.ServiceCategory}
	}
	if a.ServiceType != "" {
		out.ServiceType = []fhir.CodeableConcept{{Text: a.ServiceType}}
	}
	for _, id := range a.SlotIDs {
		out.Slot = append(out.Slot, *ref("Slot", id))
	}
	location := ref("Location", a.LocationID)
	if a.DeliveryChannel == schedule.Visit {
		// A visit names the generic visit Location and says its type in comment (§2.1).
		location = &fhir.Reference{Reference: "Location/" + visitLocationID}
		visit := a.ServiceType
		if visit == "" {
			visit = "Visit"
		}
		if out.Comment != "" {
			visit += "; " + out.Comment
		}
		out.Comment = visit
	}
	out.Participant = append(out.Participant,
		fhir.AppointmentParticipant{Actor: ref("Patient", a.PatientID), Status: "accepted"},
		fhir.AppointmentParticipant{Actor: location, Status: "accepted"})
	if a.PractitionerID != 0 {
		out.Participant = append(out.Participant, fhir.AppointmentParticipant{Actor: ref("Practitioner", a.PractitionerID), Status: "accepted"})
	}
	return out
}

// searchset wraps resources in a searchset Bundle, each entry with its
// absolute fullUrl.
func searchset(rq *request, resources ...fhir.Resource) *fhir.Bundle {
	b := &fhir.Bundle{Meta: &fhir.Meta{Profile: []string{fhir.ProfileSearchsetBundle}}, Type: "searchset"}
	b.Entry = make([]fhir.BundleEntry, 0, len(resources))
	for _, r := range resources {
		b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: rq.base + "/" + r.ResourceType() + "/" + fhir.LogicalID(r), Resource: r})
	}
	return b
}
