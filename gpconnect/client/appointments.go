package client

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
)

// Limits a consumer keeps to (gpconnect.md §2.4, §2.6): providers must
// store what comes, but consumers send no more.
const (
	MaxDescription = 100
	MaxComment     = 500
)

// BookingOrganisation is the organisation booking: it goes into the
// Appointment as a contained CareConnect-GPC-Organization-1 that the
// BookingOrganisation extension references.
type BookingOrganisation struct {
	ODS     pcnhub.ODSCode
	Name    string
	Telecom []pcnhub.ContactPoint // at least one (the specification requires a telecom)
	// Type is the organisation type sent in the slot search, "" when none
	// was sent (the specification says to omit it then).
	Type pcnhub.OrgType
}

// BookingRequest is what a booking says. BookingFromSearch fills the slot,
// time, location and practitioner fields from a slot search.
type BookingRequest struct {
	PatientID string   // logical id of the patient at the provider (FindPatient, RegisterPatient)
	SlotIDs   []string // logical ids of one or more contiguous free slots of one schedule
	// Start and End are those of the slots: the first slot's start, the
	// last slot's end. They are sent as UK local time with its offset.
	Start, End     time.Time
	LocationID     string // the schedule's Location (mandatory participant)
	PractitionerID string // the schedule's Practitioner, "" when none (a SHOULD participant)
	Description    string // required, at most MaxDescription characters, non-clinical
	Comment        string // optional, at most MaxComment characters
	Organisation   BookingOrganisation
}

// BookingFromSearch returns a BookingRequest for the slots with the given
// logical ids in a slot search answer: their ids in time order, the
// first start and last end, and the Location and Practitioner of their
// Schedule. It fails unless the slots are all in the Bundle, free, of one
// Schedule, contiguous (each starts where the previous ends), of one
// delivery channel and one slot type (gpconnect.md §2.4).
func BookingFromSearch(b *fhir.Bundle, slotIDs ...string) (BookingRequest, error) {
	var br BookingRequest
	if len(slotIDs) == 0 {
		return br, pcnhub.Errorf(pcnhub.EINVALID, "a booking needs at least one slot")
	}
	slots := map[string]*fhir.Slot{}
	schedules := map[string]*fhir.Schedule{}
	for _, s := range entries[*fhir.Slot](b) {
		slots[s.ID] = s
	}
	for _, s := range entries[*fhir.Schedule](b) {
		schedules[s.ID] = s
	}
	var chosen []*fhir.Slot
	seen := map[string]bool{}
	for _, id := range slotIDs {
		s := slots[id]
		switch {
		case s == nil:
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slot %s is not in the search answer", id)
		case seen[id]:
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slot %s is named twice", id)
		case s.Status != "free":
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slot %s is %s, not free", id, s.Status)
		case s.Start.IsZero() || s.End.IsZero():
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slot %s has no start or end", id)
		}
		seen[id] = true
		chosen = append(chosen, s)
	}
	sort.SliceStable(chosen, func(i, j int) bool { return chosen[i].Start.Time().Before(chosen[j].Start.Time()) })
	first := chosen[0]
	scheduleRef := ""
	if first.Schedule != nil {
		scheduleRef = first.Schedule.Reference
	}
	for i, s := range chosen {
		ref := ""
		if s.Schedule != nil {
			ref = s.Schedule.Reference
		}
		switch {
		case ref != scheduleRef:
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slots %s and %s are of different schedules", first.ID, s.ID)
		case deliveryChannel(s.Extension) != deliveryChannel(first.Extension):
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slots %s and %s have different delivery channels", first.ID, s.ID)
		case serviceType(s) != serviceType(first):
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slots %s and %s are of different slot types", first.ID, s.ID)
		case i > 0 && !s.Start.Time().Equal(chosen[i-1].End.Time()):
			return br, pcnhub.Errorf(pcnhub.EINVALID, "slot %s does not start where slot %s ends", s.ID, chosen[i-1].ID)
		}
		br.SlotIDs = append(br.SlotIDs, s.ID)
	}
	br.Start, br.End = first.Start.Time(), chosen[len(chosen)-1].End.Time()
	sc := schedules[strings.TrimPrefix(scheduleRef, "Schedule/")]
	if sc == nil || !strings.HasPrefix(scheduleRef, "Schedule/") {
		return br, pcnhub.Errorf(pcnhub.EINVALID, "the schedule %q of the slots is not in the search answer", scheduleRef)
	}
	for _, a := range sc.Actor {
		kind, id, _ := strings.Cut(a.Reference, "/")
		switch kind {
		case "Location":
			if br.LocationID == "" {
				br.LocationID = id
			}
		case "Practitioner":
			if br.PractitionerID == "" {
				br.PractitionerID = id
			}
		}
	}
	if br.LocationID == "" {
		return br, pcnhub.Errorf(pcnhub.EINVALID, "schedule %s names no Location", sc.ID)
	}
	return br, nil
}

func deliveryChannel(exts []fhir.Extension) string {
	for _, e := range exts {
		if e.URL == fhir.ExtDeliveryChannel {
			return e.ValueCode
		}
	}
	return ""
}

func serviceType(s *fhir.Slot) string {
	if len(s.ServiceType) == 0 {
		return ""
	}
	return s.ServiceType[0].Text
}

// NewAppointment is the Appointment a booking sends (gpconnect.md §2.4,
// the specification's book request example): GPConnect-Appointment-1,
// status booked, start and end in UK local time with the offset, the
// slots, created, description and comment, the Patient, Location (and
// Practitioner) participants accepted, and the booking organisation
// contained and referenced by the BookingOrganisation extension. It sends
// no reason, specialty, appointmentType, cancellation reason, nor the
// optional delivery channel and practitioner role extensions (the slot
// decides them and providers return their own).
func NewAppointment(b BookingRequest, created time.Time) (*fhir.Appointment, error) {
	org := b.Organisation
	switch {
	case !validID(b.PatientID):
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: patient id %q is not a logical id", b.PatientID)
	case !validID(b.LocationID):
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: location id %q is not a logical id", b.LocationID)
	case b.PractitionerID != "" && !validID(b.PractitionerID):
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: practitioner id %q is not a logical id", b.PractitionerID)
	case len(b.SlotIDs) == 0:
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: at least one slot is needed")
	case b.Start.IsZero() || !b.End.After(b.Start):
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: the end must come after the start")
	case strings.TrimSpace(b.Description) == "":
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: a description is required")
	case utf8.RuneCountInString(b.Description) > MaxDescription:
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: the description may hold %d characters", MaxDescription)
	case utf8.RuneCountInString(b.Comment) > MaxComment:
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: the comment may hold %d characters", MaxComment)
	case org.ODS == "" || strings.TrimSpace(org.Name) == "" || len(org.Telecom) == 0:
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: the booking organisation needs an ODS code, a name and a telecom")
	}
	if _, err := pcnhub.ParseODSCode(string(org.ODS)); err != nil {
		return nil, err
	}
	const containedID = "1"
	o := &fhir.Organization{
		ID:         containedID,
		Meta:       &fhir.Meta{Profile: []string{fhir.ProfileOrganization}},
		Identifier: []fhir.Identifier{{System: fhir.SystemODSOrganization, Value: string(org.ODS)}},
		Name:       org.Name,
	}
	if org.Type != "" {
		o.Type = []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CodeSystemOrganisationType, Code: string(org.Type)}}}}
	}
	for _, t := range org.Telecom {
		o.Telecom = append(o.Telecom, fhir.ContactPoint{System: t.System, Value: t.Value, Use: t.Use})
	}
	a := &fhir.Appointment{
		Meta:        &fhir.Meta{Profile: []string{fhir.ProfileAppointment}},
		Contained:   []fhir.Resource{o},
		Extension:   []fhir.Extension{{URL: fhir.ExtBookingOrganisation, ValueReference: &fhir.Reference{Reference: "#" + containedID}}},
		Status:      "booked",
		Description: b.Description,
		Start:       fhir.NewInstant(b.Start.In(pcnhub.London)),
		End:         fhir.NewInstant(b.End.In(pcnhub.London)),
		Created:     fhir.NewDateTime(created.In(pcnhub.London)),
		Comment:     b.Comment,
		Participant: []fhir.AppointmentParticipant{
			{Actor: &fhir.Reference{Reference: "Patient/" + b.PatientID}, Status: "accepted"},
			{Actor: &fhir.Reference{Reference: "Location/" + b.LocationID}, Status: "accepted"},
		},
	}
	seen := map[string]bool{}
	for _, id := range b.SlotIDs {
		if !validID(id) || seen[id] {
			return nil, pcnhub.Errorf(pcnhub.EINVALID, "booking: slot id %q is not a logical id or is named twice", id)
		}
		seen[id] = true
		a.Slot = append(a.Slot, fhir.Reference{Reference: "Slot/" + id})
	}
	if b.PractitionerID != "" {
		a.Participant = append(a.Participant, fhir.AppointmentParticipant{
			Actor: &fhir.Reference{Reference: "Practitioner/" + b.PractitionerID}, Status: "accepted"})
	}
	return a, nil
}

// BookAppointment books (POST [base]/Appointment, gpconnect.md §2.4) and
// returns the Appointment the provider stored, with its logical id and
// meta.versionId. A slot taken meanwhile is a *ProviderError 409
// DUPLICATE_REJECTED (IsSlotTaken). A booking is never retried: after a
// transport error or a 5xx the slot may or may not be booked, and the
// caller must find out (PatientAppointments) before booking again.
func (c *Client) BookAppointment(ctx context.Context, ep Endpoint, b BookingRequest) (*fhir.Appointment, error) {
	now := time.Now
	if c.Clock != nil {
		now = c.Clock
	}
	a, err := NewAppointment(b, now())
	if err != nil {
		return nil, err
	}
	body, err := fhir.Marshal(fhir.JSON, a)
	if err != nil {
		return nil, fmt.Errorf("gpconnect book appointment: %w", err)
	}
	resp, err := c.do(ctx, http.MethodPost, ep, "/Appointment", "", gpconnect.IDBookAppointment, scopePatientWrite, body)
	if err != nil {
		return nil, err
	}
	out, err := decodeAppointment(resp, "book appointment", "")
	if err != nil {
		return nil, err
	}
	if out.ID == "" {
		return nil, fmt.Errorf("gpconnect book appointment: the stored Appointment has no id")
	}
	return out, nil
}

// ReadAppointment reads an appointment (GET [base]/Appointment/{id},
// gpconnect.md §2.5) and returns it with its version, from the ETag
// (W/"v") or else meta.versionId, for AmendAppointment and
// CancelAppointment. An unknown or past appointment is a *ProviderError
// 404 NO_RECORD_FOUND.
func (c *Client) ReadAppointment(ctx context.Context, ep Endpoint, id string) (*fhir.Appointment, string, error) {
	if !validID(id) {
		return nil, "", pcnhub.Errorf(pcnhub.EINVALID, "appointment id %q is not a logical id", id)
	}
	resp, err := c.do(ctx, http.MethodGet, ep, "/Appointment/"+id, "", gpconnect.IDReadAppointment, scopePatientRead, nil)
	if err != nil {
		return nil, "", err
	}
	a, err := decodeAppointment(resp, "read appointment", id)
	if err != nil {
		return nil, "", err
	}
	version := etagVersion(resp.header.Get("ETag"))
	if version == "" && a.Meta != nil {
		version = a.Meta.VersionID
	}
	return a, version, nil
}

// AmendAppointment changes the description and comment of an appointment
// (PUT [base]/Appointment/{id}, interaction update:appointment-1,
// If-Match: W/"version"; gpconnect.md §2.6). a must be the Appointment
// as ReadAppointment returned it with only Description and Comment
// changed: providers refuse any other difference (422 INVALID_RESOURCE),
// so never rebuild it from local data. version "" means
// a.Meta.VersionID. A stale version is a *ProviderError 409. It is never
// retried.
func (c *Client) AmendAppointment(ctx context.Context, ep Endpoint, a *fhir.Appointment, version string) (*fhir.Appointment, error) {
	if a == nil {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "amend: no appointment")
	}
	switch {
	case a.Status != "booked":
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "amend: only a booked appointment can be amended (status %q)", a.Status)
	case hasExtension(a.Extension, fhir.ExtAppointmentCancellationReason):
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "amend: an amendment cannot carry a cancellation reason")
	case strings.TrimSpace(a.Description) == "":
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "amend: a description is required")
	case utf8.RuneCountInString(a.Description) > MaxDescription:
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "amend: the description may hold %d characters", MaxDescription)
	case utf8.RuneCountInString(a.Comment) > MaxComment:
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "amend: the comment may hold %d characters", MaxComment)
	}
	return c.putAppointment(ctx, ep, a, version, gpconnect.IDAmendAppointment, "amend appointment")
}

// CancelAppointment cancels an appointment (PUT [base]/Appointment/{id},
// interaction cancel:appointment-1, If-Match: W/"version"; gpconnect.md
// §2.7): it sends a as read with the status cancelled and the
// AppointmentCancellationReason-1 extension (valueString reason) and
// nothing else changed; a itself is not modified. version "" means
// a.Meta.VersionID. It is never retried.
func (c *Client) CancelAppointment(ctx context.Context, ep Endpoint, a *fhir.Appointment, version, reason string) (*fhir.Appointment, error) {
	if a == nil {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "cancel: no appointment")
	}
	if strings.TrimSpace(reason) == "" {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "cancel: a cancellation reason is required")
	}
	cancelled := *a
	cancelled.Status = "cancelled"
	cancelled.Extension = make([]fhir.Extension, 0, len(a.Extension)+1)
	for _, e := range a.Extension {
		if e.URL != fhir.ExtAppointmentCancellationReason {
			cancelled.Extension = append(cancelled.Extension, e)
		}
	}
	cancelled.Extension = append(cancelled.Extension, fhir.Extension{URL: fhir.ExtAppointmentCancellationReason, ValueString: reason})
	return c.putAppointment(ctx, ep, &cancelled, version, gpconnect.IDCancelAppointment, "cancel appointment")
}

// putAppointment sends an amended or cancelled Appointment, once.
func (c *Client) putAppointment(ctx context.Context, ep Endpoint, a *fhir.Appointment, version, interaction, what string) (*fhir.Appointment, error) {
	if !validID(a.ID) {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "%s: appointment id %q is not a logical id", what, a.ID)
	}
	if version == "" && a.Meta != nil {
		version = a.Meta.VersionID
	}
	body, err := fhir.Marshal(fhir.JSON, a)
	if err != nil {
		return nil, fmt.Errorf("gpconnect %s: %w", what, err)
	}
	var h http.Header
	if version != "" {
		if strings.ContainsAny(version, "\"\r\n") {
			return nil, pcnhub.Errorf(pcnhub.EINVALID, "%s: version %q", what, version)
		}
		h = http.Header{"If-Match": {`W/"` + version + `"`}}
	}
	resp, err := c.doWith(ctx, http.MethodPut, ep, "/Appointment/"+a.ID, "", interaction, scopePatientWrite, body, h)
	if err != nil {
		return nil, err
	}
	return decodeAppointment(resp, what, a.ID)
}

// PatientAppointments retrieves a patient's appointments from one day to
// another inclusive (GET [base]/Patient/{id}/Appointment?start=ge{from}&
// start=le{to}, gpconnect.md §2.5), cancelled ones included. The range
// must not start in the past (providers answer 422 INVALID_PARAMETER).
func (c *Client) PatientAppointments(ctx context.Context, ep Endpoint, patientID string, from, to pcnhub.Date) ([]*fhir.Appointment, error) {
	switch {
	case !validID(patientID):
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "patient id %q is not a logical id", patientID)
	case from.IsZero() || to.IsZero() || to.Before(from):
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "the range %s to %s is empty", from, to)
	}
	q := "start=ge" + from.String() + "&start=le" + to.String()
	resp, err := c.do(ctx, http.MethodGet, ep, "/Patient/"+patientID+"/Appointment", q, gpconnect.IDPatientAppointments, scopePatientRead, nil)
	if err != nil {
		return nil, err
	}
	b, err := decodeBundle(resp, "patient appointments")
	if err != nil {
		return nil, err
	}
	return entries[*fhir.Appointment](b), nil
}

// decodeAppointment decodes an answer that must be an Appointment, with
// the logical id id when id is not "".
func decodeAppointment(resp *response, what, id string) (*fhir.Appointment, error) {
	if len(resp.body) == 0 {
		return nil, fmt.Errorf("gpconnect %s: HTTP %d with an empty body, want the Appointment", what, resp.status)
	}
	res, err := decode(resp)
	if err != nil {
		return nil, err
	}
	a, ok := res.(*fhir.Appointment)
	if !ok {
		return nil, fmt.Errorf("gpconnect %s: got a %s, want an Appointment", what, res.ResourceType())
	}
	if id != "" && a.ID != "" && a.ID != id {
		return nil, fmt.Errorf("gpconnect %s: asked for Appointment/%s, got Appointment/%s", what, id, a.ID)
	}
	return a, nil
}

// etagVersion is the version of an ETag W/"v" (or "v"), or "".
func etagVersion(etag string) string {
	etag = strings.TrimPrefix(strings.TrimSpace(etag), "W/")
	if len(etag) >= 2 && etag[0] == '"' && etag[len(etag)-1] == '"' {
		return etag[1 : len(etag)-1]
	}
	return ""
}

// CancellationReason is the reason of a cancelled Appointment, or "".
func CancellationReason(a *fhir.Appointment) string {
	for _, e := range a.Extension {
		if e.URL == fhir.ExtAppointmentCancellationReason {
			return e.ValueString
		}
	}
	return ""
}

func hasExtension(exts []fhir.Extension, url string) bool {
	for _, e := range exts {
		if e.URL == url {
			return true
		}
	}
	return false
}

// validID reports whether s is a FHIR logical id ([A-Za-z0-9\-\.]{1,64}),
// safe to put in a path.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return s != "." && s != ".."
}
