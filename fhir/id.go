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
	}
	return ""
}
