package hub

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/staff"
)

// BookRequest is a booking into a practice's slots, from a search result.
type BookRequest struct {
	Practice       pcnhub.ODSCode   `json:"practice"`
	SlotIDs        []string         `json:"slotIds"`
	Start          time.Time        `json:"start"` // the first slot's start
	End            time.Time        `json:"end"`   // the last slot's end
	LocationID     string           `json:"locationId"`
	PractitionerID string           `json:"practitionerId"`
	NHSNumber      pcnhub.NHSNumber `json:"nhsNumber"`
	Description    string           `json:"description"`
	Comment        string           `json:"comment"`
}

// Booking is an appointment as the practice's provider holds it.
type Booking struct {
	Practice      pcnhub.ODSCode `json:"practice"`
	PracticeName  string         `json:"practiceName"`
	AppointmentID string         `json:"appointmentId"`
	Version       string         `json:"version"`
	Status        string         `json:"status"`
	Start         time.Time      `json:"start"`
	End           time.Time      `json:"end"`
	Description   string         `json:"description"`
	Comment       string         `json:"comment"`
	PatientID     string         `json:"patientId"`
	// Registered is true when the patient was registered temporarily at
	// the practice for this booking.
	Registered bool `json:"registeredTemporarily"`
	// BookedBy is the organisation that made the booking, when known.
	BookedBy string `json:"bookedBy,omitempty"`
}

// Book books a patient, by NHS number, into a practice's slots: it finds
// the patient at the practice, and when they are not registered there it
// traces them on the demographic register and registers them temporarily
// ($gpc.registerpatient); then it books. The booking organisation is the
// user's. Requires staff.BookAppointments.
//
// Errors: EINVALID for a bad request or a patient the register cannot
// trace; ECONFLICT ("no longer available") when a slot was taken
// meanwhile; EFORBIDDEN when the practice refuses (no agreement, GP
// Connect off); any other provider refusal as a *client.ProviderError.
func (h *Hub) Book(ctx context.Context, p *staff.Principal, r BookRequest) (*Booking, error) {
	if err := p.Require(staff.BookAppointments); err != nil {
		return nil, err
	}
	if _, err := pcnhub.ParseNHSNumber(string(r.NHSNumber)); err != nil {
		return nil, err
	}
	if len(r.SlotIDs) == 0 || r.LocationID == "" || r.Start.IsZero() || !r.End.After(r.Start) {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "a booking names the slots, their location and their times, as the search gave them")
	}
	if strings.TrimSpace(r.Description) == "" {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "say what the appointment is for (the description)")
	}
	c, org, err := h.clientFor(ctx, p)
	if err != nil {
		return nil, err
	}
	ep, err := h.endpoint(ctx, r.Practice)
	if err != nil {
		return nil, err
	}
	patient, registered, err := h.patientAt(ctx, p, c, ep, r.Practice, r.NHSNumber)
	if err != nil {
		h.audit(ctx, p, "hub.book", r.Practice, r.NHSNumber, "patient not found or registered", err)
		return nil, refusal(err)
	}
	orgType := org.Type
	if orgType == pcnhub.OrgPCNHub {
		orgType = pcnhub.OrgGPPractice
	}
	telecom := org.Telecom
	if len(telecom) == 0 {
		telecom = []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: "0300 311 2233"}}
	}
	a, err := c.BookAppointment(ctx, ep, client.BookingRequest{
		PatientID: patient.ID, SlotIDs: r.SlotIDs, Start: r.Start, End: r.End,
		LocationID: r.LocationID, PractitionerID: r.PractitionerID,
		Description: r.Description, Comment: r.Comment,
		Organisation: client.BookingOrganisation{ODS: org.ODS, Name: org.Name, Telecom: telecom, Type: orgType},
	})
	detail := fmt.Sprintf("%d slot(s) at %s", len(r.SlotIDs), r.Start.In(pcnhub.London).Format(time.RFC3339))
	if registered {
		detail += ", registered temporarily"
	}
	h.audit(ctx, p, "hub.book", r.Practice, r.NHSNumber, detail, err)
	if err != nil {
		return nil, refusal(err)
	}
	b := bookingOf(a, r.Practice, h.nameOf(ctx, r.Practice))
	b.PatientID, b.Registered = patient.ID, registered
	return b, nil
}

// patientAt finds the patient at the practice, registering them
// temporarily when the practice does not hold them.
func (h *Hub) patientAt(ctx context.Context, p *staff.Principal, c *client.Client, ep client.Endpoint, practice pcnhub.ODSCode,
	nhs pcnhub.NHSNumber) (*fhir.Patient, bool, error) {
	pt, err := c.FindPatient(ctx, ep, nhs)
	if err != nil || pt != nil {
		return pt, false, err
	}
	person, err := h.Register.Retrieve(ctx, nhs)
	if err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
			return nil, false, pcnhub.Errorf(pcnhub.EINVALID, "the demographic register has no patient with NHS number %s", nhs.Masked())
		}
		return nil, false, err
	}
	if person.DeceasedDate != (pcnhub.Date{}) {
		return nil, false, pcnhub.Errorf(pcnhub.EINVALID, "the demographic register records this patient as deceased")
	}
	reg := client.RegisterRequest{NHSNumber: person.NHSNumber, Family: person.Name.Family, Given: person.Name.Given,
		Gender: person.Gender, BirthDate: person.BirthDate}
	if !person.Sensitive {
		reg.Address = person.Address
	}
	pt, err = c.RegisterPatient(ctx, ep, reg)
	if err != nil {
		return nil, false, err
	}
	h.audit(ctx, p, "hub.register-patient", practice, nhs, "temporary registration for a booking", nil)
	return pt, true, nil
}

// refusal turns a provider's refusal into the error a user reads.
func refusal(err error) error {
	var pe *client.ProviderError
	switch {
	case client.IsSlotTaken(err):
		return &pcnhub.Error{Code: pcnhub.ECONFLICT, Err: err,
			Message: "that slot is no longer available: someone else booked it; search again for fresh results"}
	case client.IsAccessRefused(err):
		return &pcnhub.Error{Code: pcnhub.EFORBIDDEN, Err: err,
			Message: "the practice refused: there is no data sharing agreement in force, or GP Connect is switched off there"}
	case errors.As(err, &pe) && pe.Status == 404:
		return &pcnhub.Error{Code: pcnhub.ENOTFOUND, Err: err, Message: "the practice does not hold that record"}
	case errors.As(err, &pe) && pe.Status == 409:
		return &pcnhub.Error{Code: pcnhub.ECONFLICT, Err: err, Message: "the appointment changed meanwhile; read it again"}
	case errors.As(err, &pe) && pe.Status >= 400 && pe.Status < 500:
		return &pcnhub.Error{Code: pcnhub.EINVALID, Err: err, Message: "the practice refused the request: " + pe.Error()}
	}
	return err
}

// bookingOf describes an appointment read from a provider.
func bookingOf(a *fhir.Appointment, practice pcnhub.ODSCode, name string) *Booking {
	b := &Booking{Practice: practice, PracticeName: name, AppointmentID: a.ID, Status: a.Status,
		Start: a.Start.Time(), End: a.End.Time(), Description: a.Description, Comment: a.Comment}
	if a.Meta != nil {
		b.Version = a.Meta.VersionID
	}
	for _, pt := range a.Participant {
		if pt.Actor != nil && strings.HasPrefix(pt.Actor.Reference, "Patient/") {
			b.PatientID = strings.TrimPrefix(pt.Actor.Reference, "Patient/")
		}
	}
	for _, r := range a.Contained {
		if o, ok := r.(*fhir.Organization); ok {
			b.BookedBy = o.Name
		}
	}
	return b
}

// Cancel cancels an appointment at a practice, reading it first so that
// only its status and cancellation reason change. Requires
// staff.BookAppointments.
func (h *Hub) Cancel(ctx context.Context, p *staff.Principal, practice pcnhub.ODSCode, id, reason string) (*Booking, error) {
	if err := p.Require(staff.BookAppointments); err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "give the reason for cancelling")
	}
	return h.change(ctx, p, practice, id, "hub.cancel", func(c *client.Client, ep client.Endpoint, a *fhir.Appointment, v string) (*fhir.Appointment, error) {
		return c.CancelAppointment(ctx, ep, a, v, reason)
	})
}

// Amend changes an appointment's description and comment (all GP Connect
// lets a consumer change). Requires staff.BookAppointments.
func (h *Hub) Amend(ctx context.Context, p *staff.Principal, practice pcnhub.ODSCode, id, description, comment string) (*Booking, error) {
	if err := p.Require(staff.BookAppointments); err != nil {
		return nil, err
	}
	return h.change(ctx, p, practice, id, "hub.amend", func(c *client.Client, ep client.Endpoint, a *fhir.Appointment, v string) (*fhir.Appointment, error) {
		if strings.TrimSpace(description) != "" {
			a.Description = description
		}
		a.Comment = comment
		return c.AmendAppointment(ctx, ep, a, v)
	})
}

func (h *Hub) change(ctx context.Context, p *staff.Principal, practice pcnhub.ODSCode, id, action string,
	do func(*client.Client, client.Endpoint, *fhir.Appointment, string) (*fhir.Appointment, error)) (*Booking, error) {
	c, _, err := h.clientFor(ctx, p)
	if err != nil {
		return nil, err
	}
	ep, err := h.endpoint(ctx, practice)
	if err != nil {
		return nil, err
	}
	a, version, err := c.ReadAppointment(ctx, ep, id)
	if err == nil {
		a, err = do(c, ep, a, version)
	}
	h.audit(ctx, p, action, practice, "", "appointment "+id, err)
	if err != nil {
		return nil, refusal(err)
	}
	return bookingOf(a, practice, h.nameOf(ctx, practice)), nil
}

// PatientAppointments lists a patient's appointments from today on (for
// days) at every practice of a group and the named ones, found by NHS
// number at each; practices that fail are listed as unavailable. Requires
// staff.FindPatients.
func (h *Hub) PatientAppointments(ctx context.Context, p *staff.Principal, nhs pcnhub.NHSNumber, group string,
	practices []pcnhub.ODSCode, days int) ([]Booking, []Unavailable, error) {
	if err := p.Require(staff.FindPatients); err != nil {
		return nil, nil, err
	}
	if _, err := pcnhub.ParseNHSNumber(string(nhs)); err != nil {
		return nil, nil, err
	}
	targets, err := h.targets(ctx, group, practices)
	if err != nil {
		return nil, nil, err
	}
	c, _, err := h.clientFor(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	from := pcnhub.DateOf(h.now().In(pcnhub.London))
	to := from.AddDays(max(1, days))
	var mu sync.Mutex
	var out []Booking
	var down []Unavailable
	var wg sync.WaitGroup
	for _, ods := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := h.nameOf(ctx, ods)
			got, err := h.appointmentsAt(ctx, c, ods, name, nhs, from, to)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				down = append(down, Unavailable{Practice: ods, Name: name, Reason: reasonOf(err, h.timeout())})
				return
			}
			out = append(out, got...)
		}()
	}
	wg.Wait()
	slices.SortFunc(out, func(a, b Booking) int { return a.Start.Compare(b.Start) })
	slices.SortFunc(down, func(a, b Unavailable) int { return strings.Compare(string(a.Practice), string(b.Practice)) })
	h.audit(ctx, p, "hub.patient-appointments", "", nhs, fmt.Sprintf("%d practices, %d appointments", len(targets), len(out)), nil)
	return out, down, nil
}

func (h *Hub) appointmentsAt(ctx context.Context, c *client.Client, ods pcnhub.ODSCode, name string, nhs pcnhub.NHSNumber,
	from, to pcnhub.Date) ([]Booking, error) {
	ctx, cancel := context.WithTimeout(ctx, h.timeout())
	defer cancel()
	ep, err := h.endpoint(ctx, ods)
	if err != nil {
		return nil, err
	}
	pt, err := c.FindPatient(ctx, ep, nhs)
	if err != nil || pt == nil {
		return nil, err
	}
	as, err := c.PatientAppointments(ctx, ep, pt.ID, from, to)
	if err != nil {
		return nil, err
	}
	var out []Booking
	for _, a := range as {
		out = append(out, *bookingOf(a, ods, name))
	}
	return out, nil
}

// RegisteredPractice is the NHS 111 flow's first step: the practice the
// demographic register says the patient is registered with. Requires
// staff.FindPatients. ENOTFOUND when the register does not hold the
// patient; EINVALID when they are not registered with any practice.
func (h *Hub) RegisteredPractice(ctx context.Context, p *staff.Principal, nhs pcnhub.NHSNumber) (*pcnhub.Person, error) {
	if err := p.Require(staff.FindPatients); err != nil {
		return nil, err
	}
	person, err := h.Register.Retrieve(ctx, nhs)
	h.audit(ctx, p, "hub.trace", "", nhs, "registered practice", err)
	if err != nil {
		return nil, err
	}
	if person.GPPractice == "" {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "the register shows no registered practice for this patient")
	}
	return person, nil
}
