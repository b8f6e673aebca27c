// Package seed holds the data sets that `pcnhub serve --seed NAME` loads:
// a Dataset is pure data (no I/O); Load writes one into a store
// idempotently, so loading the same data set twice changes nothing.
package seed

import (
	"iter"

	"github.com/pcnhub/pcnhub"
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
