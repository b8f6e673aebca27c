package structured

import (
	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// Subject is who and where an answer is about, resolved by the provider
// before building: the Patient resource (id, meta and the references to
// Practice and UsualGP already set), the registered practice, and the
// usual GP with their roles. UsualGP may be nil.
type Subject struct {
	Patient      *fhir.Patient
	Practice     *fhir.Organization
	UsualGP      *fhir.Practitioner
	UsualGPRoles []*fhir.PractitionerRole
}

// Directory resolves the people and organisations a record names, keyed
// as the record names them: practitioners by record.Clinician.PractitionerID,
// organisations by ODS code. A name the directory lacks is answered from
// what the record itself holds (record.Clinician.Name).
type Directory struct {
	Practitioners map[string]*fhir.Practitioner
	Roles         map[string][]*fhir.PractitionerRole
	Organizations map[pcnhub.ODSCode]*fhir.Organization
}

// Options are the circumstances of one answer.
type Options struct {
	// Today is the Europe/London date of the request.
	Today pcnhub.Date
	// Disabled are the area parameters (e.g. "includeImmunisations") the
	// practice has switched off: each gets a "<param> has been disabled"
	// warning and no data (§3.4).
	Disabled []string
	// Warnings are the unrecognised parameters the parser found (§3.4).
	Warnings []Warning
}

// Build answers $gpc.getstructuredrecord: the collection Bundle of §3.2
// for the areas q asks for, from the patient's whole record (Build
// applies the confidentiality rules of §3.3 and the query's filters
// itself).
func Build(rec *record.Record, q *Query, sub Subject, dir Directory, opt Options) (*fhir.Bundle, error) {
	panic("not yet written")
}

// Migrate answers $gpc.migratestructuredrecord: every area in full
// (ended allergies, prescription issues, immunisations not given and
// status records included). With includeSensitive, confidential items are
// kept; without, they are withheld as Build withholds them. Items
// awaiting filing are never sent.
func Migrate(rec *record.Record, includeSensitive bool, sub Subject, dir Directory, opt Options) (*fhir.Bundle, error) {
	panic("not yet written")
}
