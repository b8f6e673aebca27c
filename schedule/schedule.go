// Package schedule is the appointment book of pcnhub: schedules (diaries,
// sessions), their slots, appointments, and the rules that decide which
// slots a consumer may see and book (GP Connect Appointment Management
// 1.2.x, reference §2.2 and §2.4), and the NHS 111 capacity duty.
//
// It holds no I/O: the Store interface says what it needs from storage,
// and sqlstore implements it. Times are instants; compare them with
// Equal/Before/After, never with ==, because a time read back from storage
// is in UTC while one parsed from a GP Connect request carries its UK
// offset.
package schedule

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
)

// DeliveryChannel is how an appointment is delivered: a code of the GP
// Connect CodeSystem GPConnect-DeliveryChannel-1, plus Visit (home and
// care-home visits), which is never exposed to GP Connect slot search or
// booking.
type DeliveryChannel string

const (
	InPerson  DeliveryChannel = "In-person"
	Telephone DeliveryChannel = "Telephone"
	Video     DeliveryChannel = "Video"
	Visit     DeliveryChannel = "Visit"
)

// Valid reports whether c is one of the four channels.
func (c DeliveryChannel) Valid() bool {
	return c == InPerson || c == Telephone || c == Video || c == Visit
}

// SlotStatus is the FHIR status of a slot. Only free slots are searchable.
type SlotStatus string

const (
	SlotFree            SlotStatus = "free"
	SlotBusy            SlotStatus = "busy"
	SlotBusyUnavailable SlotStatus = "busy-unavailable"
	SlotBusyTentative   SlotStatus = "busy-tentative"
	SlotEnteredInError  SlotStatus = "entered-in-error"
)

// Valid reports whether s is a FHIR slot status.
func (s SlotStatus) Valid() bool {
	switch s {
	case SlotFree, SlotBusy, SlotBusyUnavailable, SlotBusyTentative, SlotEnteredInError:
		return true
	}
	return false
}

// AppointmentStatus is the FHIR status of an appointment. GP Connect
// writes booked and cancelled; the others are set by the practice.
type AppointmentStatus string

const (
	Booked    AppointmentStatus = "booked"
	Cancelled AppointmentStatus = "cancelled"
	Arrived   AppointmentStatus = "arrived"
	Fulfilled AppointmentStatus = "fulfilled"
	NoShow    AppointmentStatus = "noshow"
)

// Valid reports whether s is one of the five statuses pcnhub keeps.
func (s AppointmentStatus) Valid() bool {
	switch s {
	case Booked, Cancelled, Arrived, Fulfilled, NoShow:
		return true
	}
	return false
}

// Where an appointment was booked (Appointment.BookedVia).
const (
	BookedViaGPConnect = "gpconnect" // by a GP Connect consumer
	BookedViaPractice  = "practice"  // outside GP Connect, e.g. at reception
)

// Schedule is a diary or session: a practitioner (optional) at a
// location, with the session name GP Connect shows as
// Schedule.serviceCategory.text and the practitioner role it shows in the
// PractitionerRole-1 extension.
type Schedule struct {
	ID             int64
	OrganisationID int64
	LocationID     int64
	PractitionerID int64 // 0: no practitioner

	ServiceCategory         string // session name, e.g. "Morning surgery"
	PractitionerRoleCode    string // SDS job role, e.g. "R0260"
	PractitionerRoleDisplay string // e.g. "General Medical Practitioner"

	// PlanningStart and PlanningEnd are the planning horizon; a zero
	// time means "not stated" (PlanningEnd zero: open-ended).
	PlanningStart, PlanningEnd time.Time

	Version int64 // increases on every change
}

// Slot is a bookable period of a schedule.
type Slot struct {
	ID         int64
	ScheduleID int64
	Start, End time.Time
	Status     SlotStatus

	ServiceType     string // slot type, Slot.serviceType[0].text
	DeliveryChannel DeliveryChannel

	// Bookable marks the slot GP Connect bookable. OrgTypes and ODSCodes
	// restrict it to consumers of those organisation types or ODS codes;
	// empty means no restriction (see VisibleTo).
	Bookable bool
	OrgTypes []pcnhub.OrgType
	ODSCodes []pcnhub.ODSCode

	// BookingWindow is how far ahead of its start the slot may be
	// booked (0: no limit); Embargo is how close to its start it may no
	// longer be booked (0: none). See BookableAt.
	BookingWindow time.Duration
	Embargo       time.Duration

	Version int64 // increases on every change (booked, freed)
}

// Duration is End − Start.
func (s *Slot) Duration() time.Duration { return s.End.Sub(s.Start) }

// SearchFilter is what a consumer sent in the searchFilter parameters of
// a slot search: its organisation type and its ODS code. A zero field
// means that filter was not sent.
type SearchFilter struct {
	OrgType pcnhub.OrgType
	ODS     pcnhub.ODSCode
}

// VisibleTo reports whether slot search returns s to a consumer that sent
// filter f. The slot must be GP Connect bookable, free and not a Visit;
// then the matching table of §2.2 applies, with T the type filter and C
// the ODS filter:
//
//	none sent: no type restriction and no ODS restriction
//	T only:    no ODS restriction and (no type restriction or it holds T)
//	C only:    no type restriction and (no ODS restriction or it holds C)
//	T and C:   (no type restriction or it holds T) and (no ODS restriction or it holds C)
func (s *Slot) VisibleTo(f SearchFilter) bool {
	if !s.Bookable || s.Status != SlotFree || s.DeliveryChannel == Visit {
		return false
	}
	typeOK := len(s.OrgTypes) == 0
	if f.OrgType != "" && !typeOK {
		typeOK = contains(s.OrgTypes, f.OrgType)
	}
	odsOK := len(s.ODSCodes) == 0
	if f.ODS != "" && !odsOK {
		odsOK = contains(s.ODSCodes, f.ODS)
	}
	return typeOK && odsOK
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// BookableAt reports whether a booking made at now may take the slot:
// the slot has not started (a slot starting exactly at now has), it starts
// no more than BookingWindow after now (when a window is set), and no
// less than Embargo after now (when an embargo is set). The boundaries
// themselves are allowed. Otherwise it returns an *pcnhub.Error with code
// EINVALID whose message says which rule was broken.
func (s *Slot) BookableAt(now time.Time) error {
	if !now.Before(s.Start) {
		return pcnhub.Errorf(pcnhub.EINVALID, "slot %d has already started (%s); only future slots can be booked",
			s.ID, s.Start.In(pcnhub.London).Format(time.RFC3339))
	}
	ahead := s.Start.Sub(now)
	if s.BookingWindow > 0 && ahead > s.BookingWindow {
		return pcnhub.Errorf(pcnhub.EINVALID, "slot %d starts %s ahead; it can be booked at most %s ahead",
			s.ID, roundDuration(ahead), roundDuration(s.BookingWindow))
	}
	if s.Embargo > 0 && ahead < s.Embargo {
		return pcnhub.Errorf(pcnhub.EINVALID, "slot %d starts in %s; it cannot be booked later than %s before its start",
			s.ID, roundDuration(ahead), roundDuration(s.Embargo))
	}
	return nil
}

// roundDuration writes d to the minute, in days and hours when long.
func roundDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	if days := d / (24 * time.Hour); days > 0 && d%(24*time.Hour) == 0 {
		if days == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", days)
	}
	return strings.TrimSuffix(d.String(), "0s")
}

// MatchSlots lines found slots up with the slot ids an appointment names:
// it returns one Slot per id, in the order of ids; an id that is not
// among found yields Slot{ID: id} with ScheduleID 0, which
// CheckSlotsForBooking reports as not found.
func MatchSlots(ids []int64, found []Slot) []Slot {
	byID := make(map[int64]Slot, len(found))
	for _, s := range found {
		byID[s.ID] = s
	}
	out := make([]Slot, len(ids))
	for i, id := range ids {
		if s, ok := byID[id]; ok {
			out[i] = s
		} else {
			out[i] = Slot{ID: id}
		}
	}
	return out
}

// CheckSlotsForBooking checks the slots of one appointment before it is
// booked by a GP Connect consumer that searched with filter f, at now.
// slots holds one entry per slot the appointment names (MatchSlots builds
// it); an entry with ScheduleID 0 stands for a slot that does not exist.
// The rules, in the order they are checked:
//
//   - at least one slot, none named twice, every slot exists;
//   - no slot is a Visit slot;
//   - every slot is free — else ECONFLICT with Spine code
//     DUPLICATE_REJECTED;
//   - every slot is GP Connect bookable and visible to f (VisibleTo);
//   - every slot is bookable at now (BookableAt);
//   - sorted by start, each slot starts where the previous one ends, and
//     all share one schedule, one delivery channel and one service type.
//
// Any other broken rule is EINVALID with a message naming it. Times are
// compared as instants, so slots across a clock change join correctly.
func CheckSlotsForBooking(slots []Slot, f SearchFilter, now time.Time) error {
	if len(slots) == 0 {
		return pcnhub.Errorf(pcnhub.EINVALID, "an appointment must name at least one slot")
	}
	seen := make(map[int64]bool, len(slots))
	for i := range slots {
		s := &slots[i]
		if seen[s.ID] {
			return pcnhub.Errorf(pcnhub.EINVALID, "slot %d is named twice", s.ID)
		}
		seen[s.ID] = true
		if s.ScheduleID == 0 {
			return pcnhub.Errorf(pcnhub.EINVALID, "slot %d does not exist", s.ID)
		}
	}
	for i := range slots {
		if slots[i].DeliveryChannel == Visit {
			return pcnhub.Errorf(pcnhub.EINVALID, "slot %d is for a visit; visits cannot be booked through GP Connect", slots[i].ID)
		}
	}
	for i := range slots {
		if slots[i].Status != SlotFree {
			return &pcnhub.Error{Code: pcnhub.ECONFLICT, Spine: "DUPLICATE_REJECTED",
				Message: "slot " + strconv.FormatInt(slots[i].ID, 10) + " is not free"}
		}
	}
	for i := range slots {
		s := &slots[i]
		if !s.Bookable {
			return pcnhub.Errorf(pcnhub.EINVALID, "slot %d is not bookable through GP Connect", s.ID)
		}
		if !s.VisibleTo(f) {
			return pcnhub.Errorf(pcnhub.EINVALID, "slot %d is reserved for other organisations", s.ID)
		}
	}
	for i := range slots {
		if err := slots[i].BookableAt(now); err != nil {
			return err
		}
	}
	sorted := make([]*Slot, len(slots))
	for i := range slots {
		sorted[i] = &slots[i]
	}
	sortByStart(sorted)
	first := sorted[0]
	for _, s := range sorted[1:] {
		switch {
		case s.ScheduleID != first.ScheduleID:
			return pcnhub.Errorf(pcnhub.EINVALID, "slots %d and %d belong to different schedules; an appointment's slots must share one", first.ID, s.ID)
		case s.DeliveryChannel != first.DeliveryChannel:
			return pcnhub.Errorf(pcnhub.EINVALID, "slots %d and %d have different delivery channels (%s, %s)", first.ID, s.ID, first.DeliveryChannel, s.DeliveryChannel)
		case s.ServiceType != first.ServiceType:
			return pcnhub.Errorf(pcnhub.EINVALID, "slots %d and %d have different slot types (%q, %q)", first.ID, s.ID, first.ServiceType, s.ServiceType)
		}
	}
	for i := 1; i < len(sorted); i++ {
		if prev, s := sorted[i-1], sorted[i]; !s.Start.Equal(prev.End) {
			return pcnhub.Errorf(pcnhub.EINVALID, "slot %d does not start where slot %d ends; an appointment's slots must be adjacent", s.ID, prev.ID)
		}
	}
	return nil
}

// sortByStart sorts by start, then id (insertion sort: a handful of slots).
func sortByStart(s []*Slot) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (s[j].Start.Before(s[j-1].Start) || s[j].Start.Equal(s[j-1].Start) && s[j].ID < s[j-1].ID); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// BookingOrganisation is the organisation that booked an appointment (the
// contained Organization of the BookingOrganisation-1 extension). Type is
// the organisation type the consumer searched with, and may be empty.
type BookingOrganisation struct {
	ODS     pcnhub.ODSCode
	Name    string
	Telecom []pcnhub.ContactPoint
	Type    pcnhub.OrgType
}

// Identifier is a business identifier of an appointment (system + value).
type Identifier struct {
	System, Value string
}

// Appointment is a booking of one or more adjacent slots of one schedule
// for a patient record of the schedule's organisation.
type Appointment struct {
	ID             int64
	OrganisationID int64
	PatientID      int64
	LocationID     int64
	PractitionerID int64 // 0: none
	ScheduleID     int64
	SlotIDs        []int64

	Start, End time.Time // the earliest slot start and the latest slot end
	Status     AppointmentStatus

	Description        string // 1..1 in GP Connect; non-clinical
	Comment            string
	CancellationReason string

	Created             time.Time
	BookingOrganisation BookingOrganisation
	Identifiers         []Identifier

	// Copied from the slots and the schedule at booking; a consumer's own
	// values are ignored.
	ServiceType             string
	ServiceCategory         string
	DeliveryChannel         DeliveryChannel
	PractitionerRoleCode    string
	PractitionerRoleDisplay string

	BookedVia string // BookedViaGPConnect or BookedViaPractice

	// Outcome: when the patient arrived, when the outcome (attended, did
	// not attend, cancelled) was recorded, and who cancelled ("patient" or
	// "practice"; "" when not cancelled or cancelled over GP Connect).
	ArrivedAt, OutcomeAt time.Time
	CancelledBy          string

	Version int64 // increases on every change; GP Connect versionId
	Updated time.Time
}

// SetSlots fills in what an appointment takes from its schedule and its
// slots: organisation, location, practitioner, schedule, slot ids, start
// (earliest slot start), end (latest slot end), slot type, session name,
// delivery channel and practitioner role. The slots should have passed
// CheckSlotsForBooking (or the equivalent rules for a practice booking);
// slots must not be empty.
func (a *Appointment) SetSlots(sc *Schedule, slots []Slot) {
	a.OrganisationID, a.LocationID, a.PractitionerID, a.ScheduleID = sc.OrganisationID, sc.LocationID, sc.PractitionerID, sc.ID
	a.ServiceCategory, a.PractitionerRoleCode, a.PractitionerRoleDisplay = sc.ServiceCategory, sc.PractitionerRoleCode, sc.PractitionerRoleDisplay
	a.SlotIDs = make([]int64, len(slots))
	a.Start, a.End = slots[0].Start, slots[0].End
	for i := range slots {
		s := &slots[i]
		a.SlotIDs[i] = s.ID
		if s.Start.Before(a.Start) {
			a.Start = s.Start
		}
		if s.End.After(a.End) {
			a.End = s.End
		}
	}
	a.ServiceType, a.DeliveryChannel = slots[0].ServiceType, slots[0].DeliveryChannel
}

// NHS111Duty is the number of appointments a practice must make directly
// bookable by NHS 111 each core-hours day (GMS contract para 7.9B.1):
// one per whole 3,000 registered patients, and at least one.
func NHS111Duty(listSize int) int { return max(1, listSize/3000) }

// JobRoleDisplays are the display texts of the SDS job roles pcnhub uses
// for the PractitionerRole-1 extension (CodeSystem
// CareConnect-SDSJobRoleName-1).
var JobRoleDisplays = map[string]string{
	"R0260": "General Medical Practitioner",
	// R0600 is in the GP Connect 1.2.x practitioner-role value set; the
	// reference names no display for it, and this one (the SDS name as
	// recalled) is unverified.
	"R0600": "Specialist Nurse Practitioner",
	"R0680": "Midwife",
	"R1290": "Pharmacist",
	"R1480": "Healthcare Assistant",
	"R6200": "GP Registrar",
	"R6300": "Sessional GP",
}

// Store is what the appointment book needs from storage. Errors carry
// the codes documented on sqlstore's methods: ENOTFOUND for an unknown
// id, ECONFLICT (Spine DUPLICATE_REJECTED) when a slot was taken
// meanwhile, ECONFLICT (Spine FHIR_CONSTRAINT_VIOLATION) for a stale
// version.
type Store interface {
	ScheduleByID(ctx context.Context, id int64) (*Schedule, error)
	SchedulesByID(ctx context.Context, ids []int64) (map[int64]*Schedule, error)
	FreeSlots(ctx context.Context, orgID int64, from, to time.Time) ([]Slot, error)
	SlotsByID(ctx context.Context, ids []int64) ([]Slot, error)
	BookAppointment(ctx context.Context, a *Appointment) error
	AppointmentByID(ctx context.Context, id int64) (*Appointment, error)
	AppointmentsForPatient(ctx context.Context, patientID int64, from, to time.Time) ([]Appointment, error)
	UpdateAppointment(ctx context.Context, a *Appointment, ifVersion int64) error
}
