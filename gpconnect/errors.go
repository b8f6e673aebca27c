package gpconnect

import (
	"errors"
	"net/http"

	"github.com/pcnhub/pcnhub"
)

// Spine error codes (CodeSystem Spine-ErrorOrWarningCode-1) used by the provider.
const (
	SpineBadRequest              = "BAD_REQUEST"
	SpineConflictingValues       = "CONFLICTING_VALUES" // 1.6 migrate: conf/N with sensitive information asked for
	SpineInvalidIdentifierSystem = "INVALID_IDENTIFIER_SYSTEM"
	SpineInvalidIdentifierValue  = "INVALID_IDENTIFIER_VALUE"
	SpineInvalidNHSNumber        = "INVALID_NHS_NUMBER"
	SpineInvalidDemographics     = "INVALID_PATIENT_DEMOGRAPHICS"
	SpineAccessDenied            = "ACCESS DENIED" // with a space, as the specification spells it
	SpineNoOrganisationalConsent = "NO_ORGANISATIONAL_CONSENT"
	SpineNoPatientConsent        = "NO_PATIENT_CONSENT" // Access Record: the patient dissented
	SpineNoRelationship          = "NO_RELATIONSHIP"    // 1.6 migrate: not the patient's registered practice
	SpinePatientNotFound         = "PATIENT_NOT_FOUND"
	SpineOrganisationNotFound    = "ORGANISATION_NOT_FOUND"
	SpinePractitionerNotFound    = "PRACTITIONER_NOT_FOUND"
	SpineNoRecordFound           = "NO_RECORD_FOUND"
	SpineDuplicateRejected       = "DUPLICATE_REJECTED"
	SpineConstraintViolation     = "FHIR_CONSTRAINT_VIOLATION"
	SpineUnsupportedMediaType    = "UNSUPPORTED_MEDIA_TYPE"
	SpineInvalidResource         = "INVALID_RESOURCE"
	SpineInvalidParameter        = "INVALID_PARAMETER"
	SpineReferenceNotFound       = "REFERENCE_NOT_FOUND"
	SpineInternalServerError     = "INTERNAL_SERVER_ERROR"
	SpineNotImplemented          = "NOT_IMPLEMENTED"
)

// spineCode is how one Spine code is answered: HTTP status, FHIR issue
// type, and the display of the CodeSystem.
type spineCode struct {
	status  int
	issue   string
	display string
}

var spineCodes = map[string]spineCode{
	SpineBadRequest:              {400, "invalid", "Bad request"},
	SpineConflictingValues:       {400, "invalid", "Conflicting values"},
	SpineInvalidIdentifierSystem: {400, "value", "Invalid identifier system"},
	SpineInvalidIdentifierValue:  {400, "value", "Invalid identifier value"},
	SpineInvalidNHSNumber:        {400, "value", "Invalid NHS number"},
	SpineInvalidDemographics:     {400, "business-rule", "Invalid patient demographics"},
	SpineAccessDenied:            {403, "forbidden", "Access denied"},
	SpineNoOrganisationalConsent: {403, "forbidden", "Organisational consent has not been given"},
	SpineNoPatientConsent:        {403, "forbidden", "Patient has not provided consent to share data"},
	SpineNoRelationship:          {403, "forbidden", "No legitimate relationship exists for this patient"},
	SpinePatientNotFound:         {404, "not-found", "Patient record not found"},
	SpineOrganisationNotFound:    {404, "not-found", "Organisation record not found"},
	SpinePractitionerNotFound:    {404, "not-found", "Practitioner record not found"},
	SpineNoRecordFound:           {404, "not-found", "No record found"},
	SpineDuplicateRejected:       {409, "duplicate", "Duplicate rejected"},
	SpineConstraintViolation:     {409, "conflict", "FHIR constraint violation"},
	SpineUnsupportedMediaType:    {415, "not-supported", "Unsupported media type"},
	SpineInvalidResource:         {422, "invalid", "Invalid validation of resource"},
	SpineInvalidParameter:        {422, "invalid", "Invalid parameter"},
	SpineReferenceNotFound:       {422, "invalid", "Reference not found"},
	SpineInternalServerError:     {500, "exception", "Internal server error"},
	SpineNotImplemented:          {501, "not-supported", "Not implemented"},
}

// defaultSpine is the Spine code for an error that did not name one.
var defaultSpine = map[string]string{
	pcnhub.EINVALID:        SpineBadRequest,
	pcnhub.ENOTFOUND:       SpineNoRecordFound,
	pcnhub.ECONFLICT:       SpineDuplicateRejected,
	pcnhub.EFORBIDDEN:      SpineAccessDenied,
	pcnhub.EUNAUTHORIZED:   SpineBadRequest,
	pcnhub.ENOTIMPLEMENTED: SpineNotImplemented,
	pcnhub.EINTERNAL:       SpineInternalServerError,
}

// spineError builds the error for a Spine code with a diagnostic.
func spineError(spine, format string, args ...any) error {
	code := pcnhub.EINVALID
	switch spineCodes[spine].status {
	case 403:
		code = pcnhub.EFORBIDDEN
	case 404:
		code = pcnhub.ENOTFOUND
	case 409:
		code = pcnhub.ECONFLICT
	case 500:
		code = pcnhub.EINTERNAL
	case 501:
		code = pcnhub.ENOTIMPLEMENTED
	}
	e := pcnhub.Errorf(code, format, args...)
	e.Spine = spine
	return e
}

// classify returns the Spine code, its answer, and the diagnostics safe
// to send for err. Internal errors get a generic diagnostic.
func classify(err error) (string, spineCode, string) {
	var e *pcnhub.Error
	spine := ""
	if errors.As(err, &e) {
		spine = e.Spine
	}
	code := pcnhub.ErrorCode(err)
	if spine == "" {
		spine = defaultSpine[code]
	}
	sc, ok := spineCodes[spine]
	if !ok {
		spine, sc = SpineInternalServerError, spineCodes[SpineInternalServerError]
	}
	return spine, sc, pcnhub.ErrorMessage(err)
}

// statusOf is the HTTP status an error is answered with.
func statusOf(err error) int {
	_, sc, _ := classify(err)
	if sc.status == 0 {
		return http.StatusInternalServerError
	}
	return sc.status
}
