package gpconnect

import (
	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
)

// SpecVersion is the GP Connect version this provider implements.
const SpecVersion = "1.2.7"

// capabilityStatement describes the practice's Foundations and
// Appointment Management service root, after the specification's template.
func (p *Provider) capabilityStatement(practice *pcnhub.Organisation) *fhir.CapabilityStatement {
	yes, no := true, false
	identifier := func(doc string) []fhir.CapabilityStatementSearchParam {
		return []fhir.CapabilityStatementSearchParam{{Name: "identifier", Type: "token", Documentation: doc}}
	}
	read := []fhir.CapabilityStatementRestResourceInteraction{{Code: "read"}, {Code: "search-type"}}
	profiles := []string{fhir.ProfilePatient, fhir.ProfileOrganization, fhir.ProfilePractitioner,
		fhir.ProfilePractitionerRole, fhir.ProfileLocation,
		fhir.ProfileOperationOutcome, fhir.ProfileAppointment,
		fhir.ProfileSchedule, fhir.ProfileSlot}
	cs := &fhir.CapabilityStatement{
		Version:       SpecVersion,
		Name:          "GP Connect",
		Status:        "active",
		Date:          fhir.NewDateTime(p.SoftwareRelease),
		Publisher:     "pcnhub",
		Description:   "GP Connect Foundations and Appointment Management " + SpecVersion + " for " + practice.Name + " (" + string(practice.ODS) + ")",
		Kind:          "capability",
		Software:      &fhir.CapabilityStatementSoftware{Name: p.SoftwareName, Version: p.SoftwareVersion, ReleaseDate: fhir.NewDateTime(p.SoftwareRelease)},
		FHIRVersion:   "3.0.1",
		AcceptUnknown: "both",
		Format:        []string{fhir.MIMEJSON, fhir.MIMEXML},
		Rest: []fhir.CapabilityStatementRest{{
			Mode:     "server",
			Security: &fhir.CapabilityStatementRestSecurity{CORS: &yes},
			Resource: []fhir.CapabilityStatementRestResource{
				{Type: "Patient", Interaction: read, SearchParam: identifier("NHS Number (i.e. https://fhir.nhs.uk/Id/nhs-number|123456789)")},
				{Type: "Organization", Interaction: read, SearchParam: identifier("ODS Code (i.e. https://fhir.nhs.uk/Id/ods-organization-code|Y12345)")},
				{Type: "Practitioner", Interaction: read, SearchParam: identifier("SDS User Id (i.e. https://fhir.nhs.uk/Id/sds-user-id|999999)")},
				{Type: "Location", Interaction: []fhir.CapabilityStatementRestResourceInteraction{{Code: "read"}}},
				{Type: "Appointment", Interaction: []fhir.CapabilityStatementRestResourceInteraction{{Code: "read"}, {Code: "create"}, {Code: "update"}, {Code: "search-type"}},
					UpdateCreate: &no, SearchParam: []fhir.CapabilityStatementSearchParam{{Name: "start", Type: "date"}}},
				{Type: "Slot", Interaction: []fhir.CapabilityStatementRestResourceInteraction{{Code: "search-type"}},
					SearchInclude: []string{"Schedule:actor:Location", "Schedule:actor:Practitioner", "Slot:schedule", "Location:managingOrganization"},
					SearchParam: []fhir.CapabilityStatementSearchParam{{Name: "start", Type: "date"}, {Name: "end", Type: "date"},
						{Name: "status", Type: "token"}, {Name: "searchFilter", Type: "token"}}},
			},
			Operation: []fhir.CapabilityStatementRestOperation{{Name: "gpc.registerpatient",
				Definition: &fhir.Reference{Reference: fhir.OperationRegisterPatient}}},
		}},
	}
	for _, pr := range profiles {
		cs.Profile = append(cs.Profile, fhir.Reference{Reference: pr})
	}
	return cs
}
