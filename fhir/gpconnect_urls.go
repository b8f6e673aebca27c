package fhir

// URLs of GP Connect (STU3, 1.2.x) profiles, extensions, identifier systems,
// code systems and operations, as they appear in the GP Connect
// specification and its examples.

// Profiles (meta.profile).
const (
	ProfilePatient                = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1"
	ProfileOrganization           = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"
	ProfilePractitioner           = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Practitioner-1"
	ProfilePractitionerRole       = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-PractitionerRole-1"
	ProfileLocation               = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Location-1"
	ProfileAppointment            = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"
	ProfileSchedule               = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Schedule-1"
	ProfileSlot                   = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1"
	ProfileOperationOutcome       = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"
	ProfileSearchsetBundle        = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1"
	ProfileStructuredRecordBundle = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-StructuredRecord-Bundle-1"
	ProfileAllergyIntolerance     = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-AllergyIntolerance-1"
	ProfileMedication             = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Medication-1"
	ProfileMedicationStatement    = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-MedicationStatement-1"
	ProfileMedicationRequest      = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-MedicationRequest-1"
	ProfileList                   = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-List-1"
)

// Extensions (Extension.url). The nested extensions of RegistrationDetails
// and NHSCommunication use the relative urls given after them.
const (
	ExtDeliveryChannel                 = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2"
	ExtPractitionerRole                = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1"
	ExtBookingOrganisation             = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1"
	ExtAppointmentCancellationReason   = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1"
	ExtRegistrationDetails             = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1"
	ExtRegistrationPeriod              = "registrationPeriod"
	ExtRegistrationType                = "registrationType"
	ExtPreferredBranchSurgery          = "preferredBranchSurgery"
	ExtNHSCommunication                = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSCommunication-1"
	ExtNHSCommunicationLanguage        = "language"
	ExtNHSCommunicationInterpreterReqd = "interpreterRequired"
	ExtNHSNumberVerificationStatus     = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSNumberVerificationStatus-1"
)

// Identifier systems (Identifier.system).
const (
	SystemNHSNumber        = "https://fhir.nhs.uk/Id/nhs-number"
	SystemODSOrganization  = "https://fhir.nhs.uk/Id/ods-organization-code"
	SystemODSSite          = "https://fhir.nhs.uk/Id/ods-site-code"
	SystemSDSUserID        = "https://fhir.nhs.uk/Id/sds-user-id"
	SystemSDSRoleProfileID = "https://fhir.nhs.uk/Id/sds-role-profile-id"
	// SystemODSOrganizationLegacy is the pre-STU3 ODS system that consumers
	// may still send in the JWT requesting_organization.
	SystemODSOrganizationLegacy = "http://fhir.nhs.net/Id/ods-organization-code"
)

// Code systems (Coding.system).
const (
	CodeSystemOrganisationType = "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1"
	CodeSystemDeliveryChannel  = "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-DeliveryChannel-1"
	CodeSystemSDSJobRoleName   = "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1"
	CodeSystemHumanLanguage    = "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1"
	// The GP Connect examples write these two without the STU3/CodeSystem path.
	CodeSystemNHSNumberVerificationStatus = "https://fhir.nhs.uk/CareConnect-NHSNumberVerificationStatus-1"
	CodeSystemRegistrationType            = "https://fhir.nhs.uk/CareConnect-RegistrationType-1"
	// Spine error and warning codes (OperationOutcome.issue.details.coding).
	// GP Connect 1.2.x pages use the ValueSet URL; 1.5+ and the CodeSystem
	// itself use the CodeSystem URL.
	CodeSystemSpineErrorOrWarningCode = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1"
	ValueSetSpineErrorOrWarningCode   = "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1"
)

// Codes of the GP Connect code systems.
const (
	OrganisationTypeGPPractice = "gp-practice"
	OrganisationTypeUrgentCare = "urgent-care"
	DeliveryChannelInPerson    = "In-person"
	DeliveryChannelTelephone   = "Telephone"
	DeliveryChannelVideo       = "Video"
)

// Operations (CapabilityStatement.rest.operation.definition).
const (
	OperationRegisterPatient     = "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-RegisterPatient-Operation-1"
	OperationGetStructuredRecord = "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-GetStructuredRecord-Operation-1"
)
