package fhir

// CapabilityStatement is a STU3 CapabilityStatement, the answer to
// GET [base]/metadata.
type CapabilityStatement struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	URL                 string                             `fhir:"url,uri"`
	Version             string                             `fhir:"version"`
	Name                string                             `fhir:"name"`
	Title               string                             `fhir:"title"`
	Status              string                             `fhir:"status,code,enum=draft|active|retired|unknown,req"`
	Experimental        *bool                              `fhir:"experimental"`
	Date                DateTime                           `fhir:"date,req"`
	Publisher           string                             `fhir:"publisher"`
	Contact             []ContactDetail                    `fhir:"contact"`
	Description         string                             `fhir:"description,markdown"`
	UseContext          []UsageContext                     `fhir:"useContext"`
	Jurisdiction        []CodeableConcept                  `fhir:"jurisdiction"`
	Purpose             string                             `fhir:"purpose,markdown"`
	Copyright           string                             `fhir:"copyright,markdown"`
	Kind                string                             `fhir:"kind,code,enum=instance|capability|requirements,req"`
	Instantiates        []string                           `fhir:"instantiates,uri"`
	Software            *CapabilityStatementSoftware       `fhir:"software"`
	Implementation      *CapabilityStatementImplementation `fhir:"implementation"`
	FHIRVersion         string                             `fhir:"fhirVersion,id,req"`
	AcceptUnknown       string                             `fhir:"acceptUnknown,code,enum=no|extensions|elements|both,req"`
	Format              []string                           `fhir:"format,code,req"`
	PatchFormat         []string                           `fhir:"patchFormat,code"`
	ImplementationGuide []string                           `fhir:"implementationGuide,uri"`
	Profile             []Reference                        `fhir:"profile"`
	Rest                []CapabilityStatementRest          `fhir:"rest"`
	Messaging           []CapabilityStatementMessaging     `fhir:"messaging"`
	Document            []CapabilityStatementDocument      `fhir:"document"`
}

// CapabilityStatementSoftware is CapabilityStatement.software.
type CapabilityStatementSoftware struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Name        string   `fhir:"name,req"`
	Version     string   `fhir:"version"`
	ReleaseDate DateTime `fhir:"releaseDate"`
}

// CapabilityStatementImplementation is CapabilityStatement.implementation.
type CapabilityStatementImplementation struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Description string `fhir:"description,req"`
	URL         string `fhir:"url,uri"`
}

// CapabilityStatementRest is CapabilityStatement.rest.
type CapabilityStatementRest struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Mode          string                               `fhir:"mode,code,enum=client|server,req"`
	Documentation string                               `fhir:"documentation"`
	Security      *CapabilityStatementRestSecurity     `fhir:"security"`
	Resource      []CapabilityStatementRestResource    `fhir:"resource"`
	Interaction   []CapabilityStatementRestInteraction `fhir:"interaction"`
	SearchParam   []CapabilityStatementSearchParam     `fhir:"searchParam"`
	Operation     []CapabilityStatementRestOperation   `fhir:"operation"`
	Compartment   []string                             `fhir:"compartment,uri"`
}

// CapabilityStatementRestSecurity is CapabilityStatement.rest.security.
type CapabilityStatementRestSecurity struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	CORS        *bool                                        `fhir:"cors"`
	Service     []CodeableConcept                            `fhir:"service"`
	Description string                                       `fhir:"description"`
	Certificate []CapabilityStatementRestSecurityCertificate `fhir:"certificate"`
}

// CapabilityStatementRestSecurityCertificate is
// CapabilityStatement.rest.security.certificate.
type CapabilityStatementRestSecurityCertificate struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Type string `fhir:"type,code"`
	Blob string `fhir:"blob,base64Binary"`
}

// CapabilityStatementRestResource is CapabilityStatement.rest.resource.
type CapabilityStatementRestResource struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Type              string                                       `fhir:"type,code,req"`
	Profile           *Reference                                   `fhir:"profile"`
	Documentation     string                                       `fhir:"documentation,markdown"`
	Interaction       []CapabilityStatementRestResourceInteraction `fhir:"interaction,req"`
	Versioning        string                                       `fhir:"versioning,code,enum=no-version|versioned|versioned-update"`
	ReadHistory       *bool                                        `fhir:"readHistory"`
	UpdateCreate      *bool                                        `fhir:"updateCreate"`
	ConditionalCreate *bool                                        `fhir:"conditionalCreate"`
	ConditionalRead   string                                       `fhir:"conditionalRead,code,enum=not-supported|modified-since|not-match|full-support"`
	ConditionalUpdate *bool                                        `fhir:"conditionalUpdate"`
	ConditionalDelete string                                       `fhir:"conditionalDelete,code,enum=not-supported|single|multiple"`
	ReferencePolicy   []string                                     `fhir:"referencePolicy,code,enum=literal|logical|resolves|enforced|local"`
	SearchInclude     []string                                     `fhir:"searchInclude"`
	SearchRevInclude  []string                                     `fhir:"searchRevInclude"`
	SearchParam       []CapabilityStatementSearchParam             `fhir:"searchParam"`
}

// CapabilityStatementRestResourceInteraction is
// CapabilityStatement.rest.resource.interaction.
type CapabilityStatementRestResourceInteraction struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Code          string `fhir:"code,code,enum=read|vread|update|patch|delete|history-instance|history-type|create|search-type,req"`
	Documentation string `fhir:"documentation"`
}

// CapabilityStatementSearchParam is CapabilityStatement.rest.resource.searchParam
// and CapabilityStatement.rest.searchParam.
type CapabilityStatementSearchParam struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Name          string `fhir:"name,req"`
	Definition    string `fhir:"definition,uri"`
	Type          string `fhir:"type,code,enum=number|date|string|token|reference|composite|quantity|uri,req"`
	Documentation string `fhir:"documentation"`
}

// CapabilityStatementRestInteraction is CapabilityStatement.rest.interaction.
type CapabilityStatementRestInteraction struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Code          string `fhir:"code,code,enum=transaction|batch|search-system|history-system,req"`
	Documentation string `fhir:"documentation"`
}

// CapabilityStatementRestOperation is CapabilityStatement.rest.operation.
type CapabilityStatementRestOperation struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Name       string     `fhir:"name,req"`
	Definition *Reference `fhir:"definition,req"`
}

// CapabilityStatementMessaging is CapabilityStatement.messaging.
type CapabilityStatementMessaging struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Endpoint         []CapabilityStatementMessagingEndpoint         `fhir:"endpoint"`
	ReliableCache    *int                                           `fhir:"reliableCache,unsignedInt"`
	Documentation    string                                         `fhir:"documentation"`
	SupportedMessage []CapabilityStatementMessagingSupportedMessage `fhir:"supportedMessage"`
	Event            []CapabilityStatementMessagingEvent            `fhir:"event"`
}

// CapabilityStatementMessagingEndpoint is CapabilityStatement.messaging.endpoint.
type CapabilityStatementMessagingEndpoint struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Protocol *Coding `fhir:"protocol,req"`
	Address  string  `fhir:"address,uri,req"`
}

// CapabilityStatementMessagingSupportedMessage is
// CapabilityStatement.messaging.supportedMessage.
type CapabilityStatementMessagingSupportedMessage struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Mode       string     `fhir:"mode,code,enum=sender|receiver,req"`
	Definition *Reference `fhir:"definition,req"`
}

// CapabilityStatementMessagingEvent is CapabilityStatement.messaging.event.
type CapabilityStatementMessagingEvent struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Code          *Coding    `fhir:"code,req"`
	Category      string     `fhir:"category,code,enum=Consequence|Currency|Notification"`
	Mode          string     `fhir:"mode,code,enum=sender|receiver,req"`
	Focus         string     `fhir:"focus,code,req"`
	Request       *Reference `fhir:"request,req"`
	Response      *Reference `fhir:"response,req"`
	Documentation string     `fhir:"documentation"`
}

// CapabilityStatementDocument is CapabilityStatement.document.
type CapabilityStatementDocument struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Mode          string     `fhir:"mode,code,enum=producer|consumer,req"`
	Documentation string     `fhir:"documentation"`
	Profile       *Reference `fhir:"profile,req"`
}
