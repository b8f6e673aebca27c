package client

// Spine error codes (CodeSystem Spine-ErrorOrWarningCode-1, gpconnect.md
// §1.8) a consumer branches on. They are spelled here as the
// specification spells them, independently of our provider.
const (
	// SpineBadRequest: a header, the JWT or the query was refused (400).
	SpineBadRequest = "BAD_REQUEST"
	// SpineInvalidResource: the body broke the profile or the business
	// rules, e.g. an amend that changed more than description and comment,
	// or a change to a cancelled appointment (422).
	SpineInvalidResource = "INVALID_RESOURCE"
	// SpineInvalidParameter: a search or operation parameter was refused,
	// e.g. a date range in the past or an empty cancellation reason (422).
	SpineInvalidParameter = "INVALID_PARAMETER"
	// SpineReferenceNotFound: the body names something that does not
	// exist (422; the assurance suite expects INVALID_RESOURCE for an
	// unknown slot).
	SpineReferenceNotFound = "REFERENCE_NOT_FOUND"
	// SpineInvalidNHSNumber: the NHS number fails the check digit, or is
	// superseded or invalid on PDS (400).
	SpineInvalidNHSNumber = "INVALID_NHS_NUMBER"
	// SpineInvalidDemographics: registration failed the PDS trace or
	// verification, or the person is deceased or sensitive (400).
	SpineInvalidDemographics = "INVALID_PATIENT_DEMOGRAPHICS"
	// SpinePatientNotFound: a Patient logical id unknown to the provider (404).
	SpinePatientNotFound = "PATIENT_NOT_FOUND"
	// SpineNoRecordFound: any other unknown resource, e.g. an Appointment
	// id, or a past appointment (404).
	SpineNoRecordFound = "NO_RECORD_FOUND"
	// SpineDuplicateRejected: a slot was taken meanwhile, or the patient
	// is already registered (409). Search again and offer another slot.
	SpineDuplicateRejected = "DUPLICATE_REJECTED"
	// SpineConstraintViolation: the If-Match version is stale (409). Read
	// the appointment again and reapply the change.
	SpineConstraintViolation = "FHIR_CONSTRAINT_VIOLATION"
	// SpineAccessDenied: the practice has not enabled GP Connect or the
	// capability (403). The specification spells it with a space.
	SpineAccessDenied = "ACCESS DENIED"
	// SpineNoOrganisationalConsent: organisation-level sharing refused
	// (403), as the CodeSystem spells it; SpineNoOrganisationConsent is
	// the spelling of the 1.2.x error page.
	SpineNoOrganisationalConsent = "NO_ORGANISATIONAL_CONSENT"
	SpineNoOrganisationConsent   = "NO_ORGANISATION_CONSENT"
	// SpineInternalServerError: the provider failed (500).
	SpineInternalServerError = "INTERNAL_SERVER_ERROR"
	// SpineNotImplemented: the provider does not offer the interaction (501).
	SpineNotImplemented = "NOT_IMPLEMENTED"
)

// IsSpineCode reports whether err is a provider's refusal (*ProviderError)
// carrying one of the Spine codes.
func IsSpineCode(err error, codes ...string) bool {
	pe, ok := IsProviderError(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if pe.SpineCode == c {
			return true
		}
	}
	return false
}

// IsSlotTaken reports whether a booking failed because a slot is no
// longer free: 409 DUPLICATE_REJECTED.
func IsSlotTaken(err error) bool {
	pe, ok := IsProviderError(err)
	return ok && pe.Status == 409 && pe.SpineCode == SpineDuplicateRejected
}

// IsAccessRefused reports whether the provider, or the Spine Secure Proxy
// in front of it, refused the call for want of permission: any 403 —
// ACCESS DENIED (GP Connect or the capability disabled at the practice),
// NO_ORGANISATIONAL_CONSENT in either spelling, or an SSP sharing
// agreement / ASID check failure.
func IsAccessRefused(err error) bool {
	pe, ok := IsProviderError(err)
	return ok && pe.Status == 403
}
