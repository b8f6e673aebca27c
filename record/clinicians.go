package record

import (
	"slices"

	"github.com/pcnhub/pcnhub"
)

// Clinicians returns the distinct practitioner ids and organisation ODS
// codes the record names — authors, performers, prescribers, requesters,
// recipients, document custodians — each sorted, for resolving them in
// one pass.
func (r *Record) Clinicians() (practitioners []string, organisations []pcnhub.ODSCode) {
	people := map[string]bool{}
	orgs := map[pcnhub.ODSCode]bool{}
	add := func(c Clinician) {
		if c.PractitionerID != "" {
			people[c.PractitionerID] = true
		}
		if c.OrganisationODS != "" {
			orgs[c.OrganisationODS] = true
		}
	}
	r.eachItem(func(_ Area, it Item) { add(it.Author) })
	for i := range r.Medications {
		m := &r.Medications[i]
		add(m.Authorisation.Prescriber)
		for _, is := range m.Issues {
			add(is.Prescriber)
		}
	}
	for i := range r.Consultations {
		add(r.Consultations[i].Clinician)
	}
	for i := range r.Observations {
		add(r.Observations[i].Performer)
	}
	for i := range r.Immunisations {
		add(r.Immunisations[i].Performer)
	}
	for i := range r.Investigations {
		add(r.Investigations[i].Requester)
	}
	for i := range r.Referrals {
		add(r.Referrals[i].Recipient)
	}
	for i := range r.Documents {
		if c := r.Documents[i].Custodian; c != "" {
			orgs[c] = true
		}
	}
	for id := range people {
		practitioners = append(practitioners, id)
	}
	for ods := range orgs {
		organisations = append(organisations, ods)
	}
	slices.Sort(practitioners)
	slices.Sort(organisations)
	return practitioners, organisations
}
