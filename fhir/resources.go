package fhir

// Resources of FHIR STU3 used by GP Connect Foundations and Appointment
// Management, with their elements in STU3 order. Every DomainResource starts
// with id, meta, implicitRules, language, text, contained, extension and
// modifierExtension; Bundle and Parameters are plain Resources (id, meta,
// implicitRules, language).

// Patient is a STU3 Patient (GP Connect profile CareConnect-GPC-Patient-1).
type Patient struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier           []Identifier           `fhir:"identifier"`
	Active               *bool                  `fhir:"active"`
	Name                 []HumanName            `fhir:"name"`
	Telecom              []ContactPoint         `fhir:"telecom"`
	Gender               string                 `fhir:"gender,code,enum=male|female|other|unknown"`
	BirthDate            Date                   `fhir:"birthDate"`
	DeceasedBoolean      *bool                  `fhir:"deceasedBoolean,choice=deceased"`
	DeceasedDateTime     DateTime               `fhir:"deceasedDateTime,choice=deceased"`
	Address              []Address              `fhir:"address"`
	MaritalStatus        *CodeableConcept       `fhir:"maritalStatus"`
	MultipleBirthBoolean *bool                  `fhir:"multipleBirthBoolean,choice=multipleBirth"`
	MultipleBirthInteger *int                   `fhir:"multipleBirthInteger,choice=multipleBirth"`
	Photo                []Attachment           `fhir:"photo"`
	Contact              []PatientContact       `fhir:"contact"`
	Animal               *PatientAnimal         `fhir:"animal"`
	Communication        []PatientCommunication `fhir:"communication"`
	GeneralPractitioner  []Reference            `fhir:"generalPractitioner"`
	ManagingOrganization *Reference             `fhir:"managingOrganization"`
	Link                 []PatientLink          `fhir:"link"`
}

// PatientContact is Patient.contact.
type PatientContact struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Relationship []CodeableConcept `fhir:"relationship"`
	Name         *HumanName        `fhir:"name"`
	Telecom      []ContactPoint    `fhir:"telecom"`
	Address      *Address          `fhir:"address"`
	Gender       string            `fhir:"gender,code,enum=male|female|other|unknown"`
	Organization *Reference        `fhir:"organization"`
	Period       *Period           `fhir:"period"`
}

// PatientAnimal is Patient.animal.
type PatientAnimal struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Species      *CodeableConcept `fhir:"species,req"`
	Breed        *CodeableConcept `fhir:"breed"`
	GenderStatus *CodeableConcept `fhir:"genderStatus"`
}

// PatientCommunication is Patient.communication.
type PatientCommunication struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Language  *CodeableConcept `fhir:"language,req"`
	Preferred *bool            `fhir:"preferred"`
}

// PatientLink is Patient.link.
type PatientLink struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Other *Reference `fhir:"other,req"`
	Type  string     `fhir:"type,code,enum=replaced-by|replaces|refer|seealso,req"`
}

// Practitioner is a STU3 Practitioner (CareConnect-GPC-Practitioner-1).
type Practitioner struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier    []Identifier                `fhir:"identifier"`
	Active        *bool                       `fhir:"active"`
	Name          []HumanName                 `fhir:"name"`
	Telecom       []ContactPoint              `fhir:"telecom"`
	Address       []Address                   `fhir:"address"`
	Gender        string                      `fhir:"gender,code,enum=male|female|other|unknown"`
	BirthDate     Date                        `fhir:"birthDate"`
	Photo         []Attachment                `fhir:"photo"`
	Qualification []PractitionerQualification `fhir:"qualification"`
	Communication []CodeableConcept           `fhir:"communication"`
}

// PractitionerQualification is Practitioner.qualification.
type PractitionerQualification struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier []Identifier     `fhir:"identifier"`
	Code       *CodeableConcept `fhir:"code,req"`
	Period     *Period          `fhir:"period"`
	Issuer     *Reference       `fhir:"issuer"`
}

// PractitionerRole is a STU3 PractitionerRole (CareConnect-GPC-PractitionerRole-1).
type PractitionerRole struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier             []Identifier                    `fhir:"identifier"`
	Active                 *bool                           `fhir:"active"`
	Period                 *Period                         `fhir:"period"`
	Practitioner           *Reference                      `fhir:"practitioner"`
	Organization           *Reference                      `fhir:"organization"`
	Code                   []CodeableConcept               `fhir:"code"`
	Specialty              []CodeableConcept               `fhir:"specialty"`
	Location               []Reference                     `fhir:"location"`
	HealthcareService      []Reference                     `fhir:"healthcareService"`
	Telecom                []ContactPoint                  `fhir:"telecom"`
	AvailableTime          []PractitionerRoleAvailableTime `fhir:"availableTime"`
	NotAvailable           []PractitionerRoleNotAvailable  `fhir:"notAvailable"`
	AvailabilityExceptions string                          `fhir:"availabilityExceptions"`
	Endpoint               []Reference                     `fhir:"endpoint"`
}

// PractitionerRoleAvailableTime is PractitionerRole.availableTime.
type PractitionerRoleAvailableTime struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	DaysOfWeek         []string `fhir:"daysOfWeek,code,enum=mon|tue|wed|thu|fri|sat|sun"`
	AllDay             *bool    `fhir:"allDay"`
	AvailableStartTime string   `fhir:"availableStartTime,time"`
	AvailableEndTime   string   `fhir:"availableEndTime,time"`
}

// PractitionerRoleNotAvailable is PractitionerRole.notAvailable.
type PractitionerRoleNotAvailable struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Description string  `fhir:"description,req"`
	During      *Period `fhir:"during"`
}

// Organization is a STU3 Organization (CareConnect-GPC-Organization-1).
type Organization struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier []Identifier          `fhir:"identifier"`
	Active     *bool                 `fhir:"active"`
	Type       []CodeableConcept     `fhir:"type"`
	Name       string                `fhir:"name"`
	Alias      []string              `fhir:"alias"`
	Telecom    []ContactPoint        `fhir:"telecom"`
	Address    []Address             `fhir:"address"`
	PartOf     *Reference            `fhir:"partOf"`
	Contact    []OrganizationContact `fhir:"contact"`
	Endpoint   []Reference           `fhir:"endpoint"`
}

// OrganizationContact is Organization.contact.
type OrganizationContact struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Purpose *CodeableConcept `fhir:"purpose"`
	Name    *HumanName       `fhir:"name"`
	Telecom []ContactPoint   `fhir:"telecom"`
	Address *Address         `fhir:"address"`
}

// Location is a STU3 Location (CareConnect-GPC-Location-1).
type Location struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier           []Identifier      `fhir:"identifier"`
	Status               string            `fhir:"status,code,enum=active|suspended|inactive"`
	OperationalStatus    *Coding           `fhir:"operationalStatus"`
	Name                 string            `fhir:"name"`
	Alias                []string          `fhir:"alias"`
	Description          string            `fhir:"description"`
	Mode                 string            `fhir:"mode,code,enum=instance|kind"`
	Type                 *CodeableConcept  `fhir:"type"`
	Telecom              []ContactPoint    `fhir:"telecom"`
	Address              *Address          `fhir:"address"`
	PhysicalType         *CodeableConcept  `fhir:"physicalType"`
	Position             *LocationPosition `fhir:"position"`
	ManagingOrganization *Reference        `fhir:"managingOrganization"`
	PartOf               *Reference        `fhir:"partOf"`
	Endpoint             []Reference       `fhir:"endpoint"`
}

// LocationPosition is Location.position.
type LocationPosition struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Longitude Decimal `fhir:"longitude,req"`
	Latitude  Decimal `fhir:"latitude,req"`
	Altitude  Decimal `fhir:"altitude"`
}

// Schedule is a STU3 Schedule (GPConnect-Schedule-1).
type Schedule struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier      []Identifier      `fhir:"identifier"`
	Active          *bool             `fhir:"active"`
	ServiceCategory *CodeableConcept  `fhir:"serviceCategory"`
	ServiceType     []CodeableConcept `fhir:"serviceType"`
	Specialty       []CodeableConcept `fhir:"specialty"`
	Actor           []Reference       `fhir:"actor,req"`
	PlanningHorizon *Period           `fhir:"planningHorizon"`
	Comment         string            `fhir:"comment"`
}

// Slot is a STU3 Slot (GPConnect-Slot-1).
type Slot struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier      []Identifier      `fhir:"identifier"`
	ServiceCategory *CodeableConcept  `fhir:"serviceCategory"`
	ServiceType     []CodeableConcept `fhir:"serviceType"`
	Specialty       []CodeableConcept `fhir:"specialty"`
	AppointmentType *CodeableConcept  `fhir:"appointmentType"`
	Schedule        *Reference        `fhir:"schedule,req"`
	Status          string            `fhir:"status,code,enum=busy|free|busy-unavailable|busy-tentative|entered-in-error,req"`
	Start           Instant           `fhir:"start,req"`
	End             Instant           `fhir:"end,req"`
	Overbooked      *bool             `fhir:"overbooked"`
	Comment         string            `fhir:"comment"`
}

// Appointment is a STU3 Appointment (GPConnect-Appointment-1) with every
// STU3 element, so that a provider can see, and refuse, the ones GP Connect
// forbids (reason, specialty, appointmentType, indication,
// supportingInformation, incomingReferral, requestedPeriod, …).
type Appointment struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier            []Identifier             `fhir:"identifier"`
	Status                string                   `fhir:"status,code,enum=proposed|pending|booked|arrived|fulfilled|cancelled|noshow|entered-in-error,req"`
	ServiceCategory       *CodeableConcept         `fhir:"serviceCategory"`
	ServiceType           []CodeableConcept        `fhir:"serviceType"`
	Specialty             []CodeableConcept        `fhir:"specialty"`
	AppointmentType       *CodeableConcept         `fhir:"appointmentType"`
	Reason                []CodeableConcept        `fhir:"reason"`
	Indication            []Reference              `fhir:"indication"`
	Priority              *int                     `fhir:"priority,unsignedInt"`
	Description           string                   `fhir:"description"`
	SupportingInformation []Reference              `fhir:"supportingInformation"`
	Start                 Instant                  `fhir:"start"`
	End                   Instant                  `fhir:"end"`
	MinutesDuration       *int                     `fhir:"minutesDuration,positiveInt"`
	Slot                  []Reference              `fhir:"slot"`
	Created               DateTime                 `fhir:"created"`
	Comment               string                   `fhir:"comment"`
	IncomingReferral      []Reference              `fhir:"incomingReferral"`
	Participant           []AppointmentParticipant `fhir:"participant,req"`
	RequestedPeriod       []Period                 `fhir:"requestedPeriod"`
}

// AppointmentParticipant is Appointment.participant.
type AppointmentParticipant struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Type     []CodeableConcept `fhir:"type"`
	Actor    *Reference        `fhir:"actor"`
	Required string            `fhir:"required,code,enum=required|optional|information-only"`
	Status   string            `fhir:"status,code,enum=accepted|declined|tentative|needs-action,req"`
}

// Device is a STU3 Device (the JWT requesting_device claim).
type Device struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Identifier      []Identifier      `fhir:"identifier"`
	UDI             *DeviceUDI        `fhir:"udi"`
	Status          string            `fhir:"status,code,enum=active|inactive|entered-in-error|unknown"`
	Type            *CodeableConcept  `fhir:"type"`
	LotNumber       string            `fhir:"lotNumber"`
	Manufacturer    string            `fhir:"manufacturer"`
	ManufactureDate DateTime          `fhir:"manufactureDate"`
	ExpirationDate  DateTime          `fhir:"expirationDate"`
	Model           string            `fhir:"model"`
	Version         string            `fhir:"version"`
	Patient         *Reference        `fhir:"patient"`
	Owner           *Reference        `fhir:"owner"`
	Contact         []ContactPoint    `fhir:"contact"`
	Location        *Reference        `fhir:"location"`
	URL             string            `fhir:"url,uri"`
	Note            []Annotation      `fhir:"note"`
	Safety          []CodeableConcept `fhir:"safety"`
}

// DeviceUDI is Device.udi.
type DeviceUDI struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	DeviceIdentifier string `fhir:"deviceIdentifier"`
	Name             string `fhir:"name"`
	Jurisdiction     string `fhir:"jurisdiction,uri"`
	CarrierHRF       string `fhir:"carrierHRF"`
	CarrierAIDC      string `fhir:"carrierAIDC,base64Binary"`
	Issuer           string `fhir:"issuer,uri"`
	EntryType        string `fhir:"entryType,code,enum=barcode|rfid|manual|card|self-reported|unknown"`
}

// OperationOutcome is a STU3 OperationOutcome (GPConnect-OperationOutcome-1
// for GP Connect errors; see NewOperationOutcome).
type OperationOutcome struct {
	ID                string      `fhir:"id,id"`
	Meta              *Meta       `fhir:"meta"`
	ImplicitRules     string      `fhir:"implicitRules,uri"`
	Language          string      `fhir:"language,code"`
	Text              *Narrative  `fhir:"text"`
	Contained         []Resource  `fhir:"contained"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Issue []OperationOutcomeIssue `fhir:"issue,req"`
}

// OperationOutcomeIssue is OperationOutcome.issue.
type OperationOutcomeIssue struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Severity    string           `fhir:"severity,code,enum=fatal|error|warning|information,req"`
	Code        string           `fhir:"code,code,enum=invalid|structure|required|value|invariant|security|login|unknown|expired|forbidden|suppressed|processing|not-supported|duplicate|not-found|too-long|code-invalid|extension|too-costly|business-rule|conflict|incomplete|transient|lock-error|no-store|exception|timeout|throttled|informational,req"`
	Details     *CodeableConcept `fhir:"details"`
	Diagnostics string           `fhir:"diagnostics"`
	Location    []string         `fhir:"location"`
	Expression  []string         `fhir:"expression"`
}
