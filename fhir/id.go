package fhir

// LogicalID returns the logical id of a resource ("" when it has none).
func LogicalID(r Resource) string {
	switch v := r.(type) {
	case *Patient:
		return v.ID
	case *Practitioner:
		return v.ID
	case *PractitionerRole:
		return v.ID
	case *Organization:
		return v.ID
	case *Location:
		return v.ID
	case *Schedule:
		return v.ID
	case *Slot:
		return v.ID
	case *Appointment:
		return v.ID
	case *Device:
		return v.ID
	case *Bundle:
		return v.ID
	case *OperationOutcome:
		return v.ID
	case *Parameters:
		return v.ID
	case *CapabilityStatement:
		return v.ID
	case *AllergyIntolerance:
		return v.ID
	case *Medication:
		return v.ID
	case *MedicationStatement:
		return v.ID
	case *MedicationRequest:
		return v.ID
	case *Condition:
		return v.ID
	case *Encounter:
		return v.ID
	case *List:
		return v.ID
	case *Observation:
		return v.ID
	case *Immunization:
		return v.ID
	case *DiagnosticReport:
		return v.ID
	case *Specimen:
		return v.ID
	case *ProcedureRequest:
		return v.ID
	case *ReferralRequest:
		return v.ID
	case *DocumentReference:
		return v.ID
	case *HealthcareService:
		return v.ID
	case *QuestionnaireResponse:
		return v.ID
	}
	return ""
}
