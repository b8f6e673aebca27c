package gpconnect

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/schedule"
)

// Length limits of the free text a consumer may send (§2.4 asks consumers
// for 100 and 500 characters; we store what comes, up to these).
const (
	maxDescription = 1000
	maxComment     = 5000
	maxReason      = 1000
)

// invalidResource is a 422 INVALID_RESOURCE.
func invalidResource(format string, args ...any) error {
	return spineError(SpineInvalidResource, format, args...)
}

// decodeAppointment reads the body as an Appointment: 422
// INVALID_RESOURCE naming what is wrong when it is not one, or carries
// an element GP Connect forbids.
func (p *Provider) decodeAppointment(rq *request) (*fhir.Appointment, error) {
	body, err := readBody(rq.r)
	if err != nil {
		return nil, err
	}
	format, _ := bodyFormat(rq.r)
	var a fhir.Appointment
	if err := fhir.UnmarshalInto(format, body, &a); err != nil {
		var de *fhir.DecodeError
		if errors.As(err, &de) {
			return nil, invalidResource("the body is not a valid Appointment: %s", de.Error())
		}
		return nil, invalidResource("the body is not a valid Appointment")
	}
	switch {
	case len(a.Reason) > 0:
		return nil, invalidResource("Appointment.reason must not be sent")
	case len(a.Specialty) > 0:
		return nil, invalidResource("Appointment.specialty must not be sent")
	case a.AppointmentType != nil:
		return nil, invalidResource("Appointment.appointmentType must not be sent")
	case len(a.Indication) > 0:
		return nil, invalidResource("Appointment.indication must not be sent")
	case len(a.SupportingInformation) > 0:
		return nil, invalidResource("Appointment.supportingInformation must not be sent")
	case len(a.IncomingReferral) > 0:
		return nil, invalidResource("Appointment.incomingReferral must not be sent")
	case len(a.RequestedPeriod) > 0:
		return nil, invalidResource("Appointment.requestedPeriod must not be sent")
	}
	if id := rq.params["id"]; id != "" && a.ID != "" && a.ID != id {
		return nil, invalidResource("Appointment.id %q does not match the URL (%s)", a.ID, id)
	}
	return &a, nil
}

// booking is what a valid booking request says.
type booking struct {
	patientID   string
	slotIDs     []int64
	start, end  time.Time
	description string
	comment     string
	booking     schedule.BookingOrganisation
	identifiers []schedule.Identifier
}

// bookingRequest checks a new Appointment by §2.4 and extracts the booking.
func bookingRequest(a *fhir.Appointment) (*booking, error) {
	b := &booking{}
	if a.ID != "" {
		return nil, invalidResource("a new Appointment must not have an id")
	}
	if a.Status != "booked" {
		return nil, invalidResource("Appointment.status must be booked, not %q", a.Status)
	}
	if strings.TrimSpace(a.Description) == "" {
		return nil, invalidResource("Appointment.description is required")
	}
	if len(a.Description) > maxDescription || len(a.Comment) > maxComment {
		return nil, invalidResource("description may hold %d characters and comment %d", maxDescription, maxComment)
	}
	b.description, b.comment = a.Description, a.Comment
	if a.Created.IsZero() {
		return nil, invalidResource("Appointment.created is required")
	}
	for name, t := range map[string]fhir.Instant{"start": a.Start, "end": a.End} {
		if t.IsZero() {
			return nil, invalidResource("Appointment.%s is required", name)
		}
		if t.IsZ() {
			return nil, invalidResource("Appointment.%s must be UK local time with an offset (+00:00 or +01:00), not Z", name)
		}
	}
	b.start, b.end = a.Start.Time(), a.End.Time()
	if len(a.Slot) == 0 {
		return nil, invalidResource("Appointment.slot must name at least one slot")
	}
	seen := map[int64]bool{}
	for _, s := range a.Slot {
		id, err := localRef(s.Reference, "Slot")
		if err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, invalidResource("slot %d is named twice", id)
		}
		seen[id] = true
		b.slotIDs = append(b.slotIDs, id)
	}
	var hasLocation bool
	for i, pa := range a.Participant {
		if pa.Actor == nil || pa.Actor.Reference == "" || pa.Status == "" {
			return nil, invalidResource("Appointment.participant[%d] needs an actor reference and a status", i)
		}
		kind, id, _ := strings.Cut(pa.Actor.Reference, "/")
		switch kind {
		case "Patient":
			if b.patientID != "" {
				return nil, invalidResource("the appointment names more than one patient")
			}
			if _, err := localRef(pa.Actor.Reference, "Patient"); err != nil {
				return nil, err
			}
			b.patientID = id
		case "Location":
			if _, err := localRef(pa.Actor.Reference, "Location"); err != nil {
				return nil, err
			}
			hasLocation = true
		case "Practitioner":
			if _, err := localRef(pa.Actor.Reference, "Practitioner"); err != nil {
				return nil, err
			}
		default:
			return nil, invalidResource("participant %q must be a relative Patient, Location or Practitioner reference", clipParam(pa.Actor.Reference))
		}
	}
	if b.patientID == "" || !hasLocation {
		return nil, invalidResource("the appointment needs a Patient and a Location participant")
	}
	for _, ext := range a.Extension {
		switch ext.URL {
		case fhir.ExtAppointmentCancellationReason:
			return nil, invalidResource("a new appointment cannot carry a cancellation reason")
		case fhir.ExtBookingOrganisation:
			org, err := bookingOrganisation(a, ext)
			if err != nil {
				return nil, err
			}
			b.booking = *org
		case fhir.ExtDeliveryChannel, fhir.ExtPractitionerRole:
			// Accepted and ignored: the slot decides.
		}
	}
	if b.booking.ODS == "" {
		return nil, invalidResource("the appointment needs the BookingOrganisation extension")
	}
	for _, id := range a.Identifier {
		if id.System == "" || id.Value == "" {
			return nil, invalidResource("an Appointment.identifier needs both system and value")
		}
		b.identifiers = append(b.identifiers, schedule.Identifier{System: id.System, Value: id.Value})
	}
	return b, nil
}

// localRef parses a relative reference "Kind/id" to a numeric id; an
// absolute URL or another kind is 422.
func localRef(reference, kind string) (int64, error) {
	rest, ok := strings.CutPrefix(reference, kind+"/")
	if !ok || strings.Contains(rest, "/") {
		return 0, invalidResource("%q must be a relative reference %s/{id}", clipParam(reference), kind)
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id <= 0 {
		return 0, invalidResource("%s/%s does not exist", kind, clipParam(rest))
	}
	return id, nil
}

// bookingOrganisation resolves the BookingOrganisation extension to its
// contained Organization.
func bookingOrganisation(a *fhir.Appointment, ext fhir.Extension) (*schedule.BookingOrganisation, error) {
	if ext.ValueReference == nil || !strings.HasPrefix(ext.ValueReference.Reference, "#") {
		return nil, invalidResource("the BookingOrganisation extension must reference a contained Organization (#id)")
	}
	want := strings.TrimPrefix(ext.ValueReference.Reference, "#")
	for _, c := range a.Contained {
		org, ok := c.(*fhir.Organization)
		if !ok || org.ID != want {
			continue
		}
		out := &schedule.BookingOrganisation{Name: org.Name}
		for _, id := range org.Identifier {
			if id.System == fhir.SystemODSOrganization {
				ods, err := pcnhub.ParseODSCode(id.Value)
				if err != nil || string(ods) != id.Value {
					return nil, invalidResource("the booking organisation's ODS code %q is not valid", clipParam(id.Value))
				}
				out.ODS = ods
			}
		}
		if out.ODS == "" || out.Name == "" {
			return nil, invalidResource("the booking organisation needs an ODS code identifier and a name")
		}
		if len(org.Telecom) == 0 {
			return nil, invalidResource("the booking organisation needs a telecom")
		}
		for _, t := range org.Telecom {
			out.Telecom = append(out.Telecom, pcnhub.ContactPoint{System: t.System, Use: t.Use, Value: t.Value})
		}
		for _, t := range org.Type {
			for _, c := range t.Coding {
				if c.System == fhir.CodeSystemOrganisationType {
					out.Type = pcnhub.OrgType(c.Code)
				}
			}
		}
		return out, nil
	}
	return nil, invalidResource("the BookingOrganisation extension references #%s, which is not contained", clipParam(want))
}

// amendmentOnly checks that an amend changes nothing but description and
// comment (§2.6), and returns them.
func amendmentOnly(stored, in *fhir.Appointment) (string, string, error) {
	if in.Status != "booked" {
		return "", "", invalidResource("an amendment cannot change the status (cancel with the cancel interaction)")
	}
	for _, e := range in.Extension {
		if e.URL == fhir.ExtAppointmentCancellationReason {
			return "", "", invalidResource("an amendment cannot add a cancellation reason")
		}
	}
	if strings.TrimSpace(in.Description) == "" {
		return "", "", invalidResource("Appointment.description is required")
	}
	if len(in.Description) > maxDescription || len(in.Comment) > maxComment {
		return "", "", invalidResource("description may hold %d characters and comment %d", maxDescription, maxComment)
	}
	if diff := differs(stored, in, func(a *fhir.Appointment) { a.Description, a.Comment = "", "" }); diff != "" {
		return "", "", invalidResource("an amendment may change only description and comment; %s changed", diff)
	}
	return in.Description, in.Comment, nil
}

// cancellationOnly checks that a cancel changes nothing but the status to
// cancelled and adds the cancellation reason (§2.7), and returns the reason.
func cancellationOnly(stored, in *fhir.Appointment) (string, error) {
	if in.Status != "cancelled" {
		return "", invalidResource("a cancellation must set the status to cancelled")
	}
	reason, found := "", false
	for _, e := range in.Extension {
		if e.URL == fhir.ExtAppointmentCancellationReason {
			found, reason = true, strings.TrimSpace(e.ValueString)
		}
	}
	if !found {
		return "", invalidResource("a cancellation needs the extension %s", fhir.ExtAppointmentCancellationReason)
	}
	if reason == "" {
		return "", spineError(SpineInvalidParameter, "the cancellation reason is empty")
	}
	if len(reason) > maxReason {
		return "", invalidResource("the cancellation reason may hold %d characters", maxReason)
	}
	strip := func(a *fhir.Appointment) {
		a.Status = ""
		kept := a.Extension[:0:0]
		for _, e := range a.Extension {
			if e.URL != fhir.ExtAppointmentCancellationReason {
				kept = append(kept, e)
			}
		}
		a.Extension = kept
	}
	if diff := differs(stored, in, strip); diff != "" {
		return "", invalidResource("a cancellation may change only the status and add a reason; %s changed", diff)
	}
	return reason, nil
}

// differs compares two Appointments element by element, ignoring id and
// meta and whatever clear blanks in both, as JSON: it returns the name of
// the first top-level element that differs, or "". Times compare as
// instants, so the same moment written with another offset is no change.
func differs(stored, in *fhir.Appointment, clear func(*fhir.Appointment)) string {
	a, b := *stored, *in
	a.ID, b.ID, a.Meta, b.Meta, a.Text, b.Text = "", "", nil, nil, nil, nil
	clear(&a)
	clear(&b)
	if !a.Start.IsZero() && !b.Start.IsZero() && a.Start.Time().Equal(b.Start.Time()) {
		b.Start = a.Start
	}
	if !a.End.IsZero() && !b.End.IsZero() && a.End.Time().Equal(b.End.Time()) {
		b.End = a.End
	}
	if !a.Created.IsZero() && !b.Created.IsZero() && a.Created.Time().Equal(b.Created.Time()) {
		b.Created = a.Created
	}
	ja, err1 := fhir.Marshal(fhir.JSON, &a)
	jb, err2 := fhir.Marshal(fhir.JSON, &b)
	if err1 != nil || err2 != nil {
		return "the appointment"
	}
	var ma, mb map[string]any
	json.Unmarshal(ja, &ma)
	json.Unmarshal(jb, &mb)
	for _, k := range sortedKeys(ma, mb) {
		if !reflect.DeepEqual(ma[k], mb[k]) {
			return k
		}
	}
	return ""
}

func sortedKeys(ms ...map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys) // a deterministic first difference for the message
	return keys
}

// registration is what a register-patient request says.
type registration struct {
	NHSNumber           pcnhub.NHSNumber
	Name                pcnhub.HumanName
	BirthDate           pcnhub.Date
	Gender              pcnhub.Gender
	Address             pcnhub.Address
	Telecom             []pcnhub.ContactPoint
	Language            string
	InterpreterRequired bool
}

// decodeRegisterPatient reads a $gpc.registerpatient Parameters body
// (§1.10): exactly one parameter registerPatient holding a Patient with
// an NHS number, one official name, a birth date; anything the operation
// forbids is 422 INVALID_RESOURCE; an invalid NHS number is 400.
func decodeRegisterPatient(format fhir.Format, body []byte) (*registration, error) {
	var params fhir.Parameters
	if err := fhir.UnmarshalInto(format, body, &params); err != nil {
		return nil, invalidResource("the body is not a valid Parameters resource: %v", err)
	}
	if len(params.Parameter) != 1 || params.Parameter[0].Name != "registerPatient" {
		return nil, invalidResource("the Parameters must hold exactly one parameter, registerPatient")
	}
	pt, ok := params.Parameter[0].Resource.(*fhir.Patient)
	if !ok {
		return nil, invalidResource("the registerPatient parameter must hold a Patient")
	}
	switch {
	case pt.ID != "":
		return nil, invalidResource("the Patient to register must not have an id")
	case pt.MaritalStatus != nil, pt.MultipleBirthBoolean != nil, pt.MultipleBirthInteger != nil,
		pt.DeceasedBoolean != nil, !pt.DeceasedDateTime.IsZero(), len(pt.Photo) > 0, pt.Animal != nil,
		len(pt.Contact) > 0, len(pt.GeneralPractitioner) > 0, pt.ManagingOrganization != nil, len(pt.Link) > 0,
		pt.Active != nil, len(pt.Communication) > 0:
		return nil, invalidResource("the Patient to register carries an element the operation does not allow")
	}
	out := &registration{}
	var nhs []string
	for _, id := range pt.Identifier {
		if id.System == fhir.SystemNHSNumber {
			nhs = append(nhs, id.Value)
		}
	}
	if len(nhs) != 1 {
		return nil, invalidResource("the Patient needs exactly one NHS number identifier")
	}
	n, err := pcnhub.ParseNHSNumber(nhs[0])
	if err != nil {
		return nil, spineError(SpineInvalidNHSNumber, "%s", pcnhub.ErrorMessage(err))
	}
	out.NHSNumber = n
	var official []fhir.HumanName
	for _, nm := range pt.Name {
		if nm.Use == "official" {
			official = append(official, nm)
		}
	}
	if len(official) != 1 || official[0].Family == "" || len(official[0].Given) == 0 {
		return nil, invalidResource("the Patient needs exactly one official name with family and given names")
	}
	out.Name = pcnhub.HumanName{Family: official[0].Family, Given: official[0].Given}
	if len(official[0].Prefix) > 0 {
		out.Name.Prefix = official[0].Prefix[0]
	}
	if pt.BirthDate.IsZero() || pt.BirthDate.Precision() != fhir.PrecisionDay {
		return nil, invalidResource("the Patient needs a full birth date")
	}
	out.BirthDate = pcnhub.DateOf(pt.BirthDate.Time())
	if pt.Gender != "" {
		g, err := pcnhub.ParseGender(pt.Gender)
		if err != nil {
			return nil, invalidResource("%s", pcnhub.ErrorMessage(err))
		}
		out.Gender = g
	}
	homes := 0
	for _, a := range pt.Address {
		switch a.Use {
		case "home":
			homes++
			out.Address = pcnhub.Address{Lines: a.Line, City: a.City, District: a.District, Postcode: a.PostalCode}
		case "temp":
		default:
			return nil, invalidResource("only one home and one temp address may be sent")
		}
	}
	if homes > 1 {
		return nil, invalidResource("only one home address may be sent")
	}
	uses := map[string]int{}
	for _, t := range pt.Telecom {
		key := t.System + "/" + t.Use
		if uses[key]++; uses[key] > 1 {
			return nil, invalidResource("only one %s %s may be sent", t.Use, t.System)
		}
		out.Telecom = append(out.Telecom, pcnhub.ContactPoint{System: t.System, Use: t.Use, Value: t.Value})
	}
	for _, e := range pt.Extension {
		if e.URL != fhir.ExtNHSCommunication {
			return nil, invalidResource("the Patient carries an extension the operation does not allow (%s)", clipParam(e.URL))
		}
		for _, sub := range e.Extension {
			switch {
			case sub.URL == "language" && sub.ValueCodeableConcept != nil && len(sub.ValueCodeableConcept.Coding) > 0:
				out.Language = sub.ValueCodeableConcept.Coding[0].Code
			case sub.URL == "interpreterRequired" && sub.ValueBoolean != nil:
				out.InterpreterRequired = *sub.ValueBoolean
			}
		}
	}
	return out, nil
}
