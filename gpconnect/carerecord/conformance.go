package carerecord

import (
	"time"

	"github.com/pcnhub/pcnhub"
)

// Software names the answering system in the Conformance statement.
type Software struct {
	Name, Version string
	Release       time.Time
}

// SpecVersion is the Access Record HTML version served.
const SpecVersion = "0.7.4"

// OperationGetCareRecord is the OperationDefinition of $gpc.getcarerecord.
const OperationGetCareRecord = "http://fhir.nhs.net/OperationDefinition/gpconnect-carerecord-operation-1"

type wConformance struct {
	ResourceType  string                `json:"resourceType"`
	Version       string                `json:"version,omitempty"`
	Name          string                `json:"name,omitempty"`
	Status        string                `json:"status,omitempty"`
	Publisher     string                `json:"publisher,omitempty"`
	Date          string                `json:"date,omitempty"`
	Description   string                `json:"description,omitempty"`
	Kind          string                `json:"kind,omitempty"`
	Software      *wConformanceSoftware `json:"software,omitempty"`
	FHIRVersion   string                `json:"fhirVersion,omitempty"`
	AcceptUnknown string                `json:"acceptUnknown,omitempty"`
	Format        []string              `json:"format,omitempty"`
	Rest          []wConformanceRest    `json:"rest,omitempty"`
}

type wConformanceSoftware struct {
	Name        string `json:"name,omitempty"`
	Version     string `json:"version,omitempty"`
	ReleaseDate string `json:"releaseDate,omitempty"`
}

type wConformanceRest struct {
	Mode      string                  `json:"mode,omitempty"`
	Operation []wConformanceOperation `json:"operation,omitempty"`
}

type wConformanceOperation struct {
	Name       string     `json:"name,omitempty"`
	Definition wReference `json:"definition"`
}

// Conformance encodes the DSTU2 Conformance statement of a practice's
// Access Record HTML service root (GET metadata): FHIR 1.0.2, both
// formats, the one operation gpc.getcarerecord.
func Conformance(format Format, sw Software, practice Practice) ([]byte, error) {
	c := &wConformance{
		ResourceType: "Conformance", Version: SpecVersion, Name: "GP Connect Access Record HTML", Status: "active",
		Publisher: "pcnhub", Date: sw.Release.In(pcnhub.London).Format("2006-01-02"),
		Description: clean("GP Connect Access Record HTML " + SpecVersion + " for " + practice.Name + " (" + string(practice.ODS) + ")"),
		Kind:        "instance",
		Software: &wConformanceSoftware{Name: clean(sw.Name), Version: clean(sw.Version),
			ReleaseDate: sw.Release.In(pcnhub.London).Format(dateTimeLayout)},
		FHIRVersion: "1.0.2", AcceptUnknown: "both",
		Format: []string{"application/json+fhir", "application/xml+fhir"},
		Rest: []wConformanceRest{{Mode: "server", Operation: []wConformanceOperation{{Name: "gpc.getcarerecord",
			Definition: wReference{Reference: OperationGetCareRecord}}}}},
	}
	return encode(format, c)
}
