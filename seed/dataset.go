// Package seed holds the data sets that `pcnhub serve --seed NAME` loads:
// a Dataset is pure data (no I/O); Load writes one into a store
// idempotently, so loading the same data set twice changes nothing.
package seed

import (
	"iter"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

// Dataset is a complete set of organisations, people and records.
//
// Organisations are keyed by ODS code. Practitioners and Locations carry
// explicit, stable IDs (GP Connect logical ids that assurance scenarios
// depend on) and name their organisation by ODS code; their
// OrganisationID fields are ignored and filled in by Load.
type Dataset struct {
	Name          string
	Organisations []pcnhub.Organisation
	Groups        []pcnhub.OrganisationGroup
	Practitioners []Practitioner
	Locations     []Location
	// Patients yields each patient record with the ODS code of the
	// organisation that holds it. Its OrganisationID and ID are ignored;
	// patients are upserted by (organisation, NHS number). It is a
	// sequence, not a slice, so that large sets stream.
	Patients iter.Seq2[pcnhub.ODSCode, pcnhub.Patient]
	// People yields the entries of the PDS-like demographic register.
	People iter.Seq[pcnhub.Person]

	// Schedules carry explicit, stable IDs and name their organisation by
	// ODS code (OrganisationID is filled in by Load); their LocationID and
	// PractitionerID are the explicit ids of Locations and Practitioners.
	Schedules []Schedule
	// Slots yields the slots of the Schedules for a data set loaded on
	// day today (Europe/London): rolling slots relative to today, and any
	// fixed ones. For a given day it yields the same slots every time, and
	// a slot's fields depend only on its schedule and start, never on
	// today, so that loading on a later day adds the new days' slots and
	// agrees with the old ones. Slots are keyed by (schedule, start); a
	// stored slot is never changed by a load. ID and Version are ignored.
	Slots func(today pcnhub.Date) iter.Seq[schedule.Slot]
	// Appointments yields appointments booked outside GP Connect (at the
	// practice) for a data set loaded on day today. Each takes the slots
	// of its schedule that tile [Start, End); Load skips one whose slots
	// are not all free or were ever booked before, so re-loading changes
	// nothing and a cancelled seed appointment stays cancelled.
	Appointments func(today pcnhub.Date) iter.Seq[Appointment]
	// GPADMappings are the organisations' national slot mappings.
	GPADMappings []GPADMapping

	// Books are appointment books (session templates) that Load imports
	// like pcnhub book import, after the organisations, groups,
	// practitioners and locations they name; their slots are generated
	// BookWeeks ahead of the load, with no session on BankHolidays where
	// a book is closed on them.
	Books        []rota.Book
	BookWeeks    int
	BankHolidays []pcnhub.Date

	// Agreements are data sharing agreements; Load adds each one not yet
	// stored (same parties, capability and dates).
	Agreements []spine.Agreement

	// Staff are staff users with their password; Load adds each one whose
	// user name is not taken (an existing user is left as it is).
	Staff []StaffUser

	// Records are patients' clinical records, each stored for the patient
	// record of OrgODS with its NHS number (replacing what was stored).
	Records []ClinicalRecord
	// RecordSource yields more clinical records, stored like Records; it
	// is a sequence so that a large set is generated as it is loaded.
	RecordSource iter.Seq[ClinicalRecord]
	// GenerateRecord, when set, is the record the data set gives a patient
	// of organisation ods whose record it did not store (a large synthetic
	// data set generates the rest on read, exactly as it would have stored
	// them). Serving with the data set (--seed) answers with it.
	GenerateRecord func(ods pcnhub.ODSCode, p *pcnhub.Patient) *record.Record
}

// ClinicalRecord is a patient's clinical record at an organisation.
type ClinicalRecord struct {
	OrgODS pcnhub.ODSCode
	record.Record
}

// StaffUser is a staff user of a data set and their password.
type StaffUser struct {
	staff.User
	Password string
}

// GPADMapping maps a slot type of the organisation OrgODS (GPAD).
type GPADMapping struct {
	OrgODS pcnhub.ODSCode
	gpad.Mapping
}

// Schedule is a schedule with the ODS code of its organisation.
type Schedule struct {
	OrgODS pcnhub.ODSCode
	schedule.Schedule
}

// Appointment is an appointment of a patient record of its schedule's
// organisation, named by NHS number. Its schedule is ScheduleID, or, for
// a book's slots, the schedule of session Session of OrgODS's book. Load
// fills in the ids, the slot ids and what the appointment copies from its
// schedule and slots (schedule.Appointment.SetSlots), and skips one that
// starts before the load; Created defaults to the load time.
type Appointment struct {
	Patient pcnhub.NHSNumber
	OrgODS  pcnhub.ODSCode
	Session string
	schedule.Appointment
}

// Practitioner is a practitioner with the ODS code of their organisation.
type Practitioner struct {
	OrgODS pcnhub.ODSCode
	pcnhub.Practitioner
}

// Location is a location with the ODS code of its managing organisation.
type Location struct {
	OrgODS pcnhub.ODSCode
	pcnhub.Location
}
