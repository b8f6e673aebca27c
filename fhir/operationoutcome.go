package fhir

// NewOperationOutcome returns a GP Connect OperationOutcome (profile
// GPConnect-OperationOutcome-1) with one issue: severity ("error",
// "warning", …) and code from the FHIR issue-type value set ("invalid",
// "not-found", …), details.coding[0] = the Spine code (system, e.g.
// CodeSystemSpineErrorOrWarningCode, code such as "INVALID_RESOURCE", and
// its display), and the diagnostics text. Empty arguments leave their
// elements out; details is left out when system, code and display are all
// empty.
func NewOperationOutcome(severity, code, spineSystem, spineCode, spineDisplay, diagnostics string) *OperationOutcome {
	issue := OperationOutcomeIssue{
		Severity:    severity,
		Code:        code,
		Diagnostics: diagnostics,
	}
	if spineSystem != "" || spineCode != "" || spineDisplay != "" {
		issue.Details = &CodeableConcept{Coding: []Coding{{
			System:  spineSystem,
			Code:    spineCode,
			Display: spineDisplay,
		}}}
	}
	return &OperationOutcome{
		Meta:  &Meta{Profile: []string{ProfileOperationOutcome}},
		Issue: []OperationOutcomeIssue{issue},
	}
}
