package carerecord

import "fmt"

// Spine error codes of the 0.7 line that this package produces or that a
// provider of this interaction answers with (§1.8, §4).
const (
	CodeBadRequest              = "BAD_REQUEST"
	CodeInvalidNHSNumber        = "INVALID_NHS_NUMBER"
	CodeInvalidIdentifierSystem = "INVALID_IDENTIFIER_SYSTEM"
	CodeInvalidParameter        = "INVALID_PARAMETER"
	CodeInvalidResource         = "INVALID_RESOURCE"
	CodePatientNotFound         = "PATIENT_NOT_FOUND"
	CodeNoPatientConsent        = "NO_PATIENT_CONSENT"
	CodeAccessDenied            = "ACCESS DENIED" // the space is part of the code
	CodeUnsupportedMediaType    = "UNSUPPORTED_MEDIA_TYPE"
	CodeNotImplemented          = "NOT_IMPLEMENTED"
	CodeInternalServerError     = "INTERNAL_SERVER_ERROR"
)

// Error is a failed request, as the OperationOutcome that answers it:
// the HTTP status, the Spine code and its display, the FHIR issue type
// (issue.code) and diagnostics. Diagnostics name the parameter at fault and
// never hold clinical data; they may quote (clipped) request values.
type Error struct {
	Status      int    // HTTP status: 400, 403, 404, 415, 422, 500 …
	Code        string // Spine code, e.g. INVALID_NHS_NUMBER
	Display     string // the code's display, e.g. "Invalid NHS number"
	IssueCode   string // FHIR issue type, e.g. "invalid", "value", "not-found"
	Diagnostics string
}

// Error returns "CODE: diagnostics".
func (e *Error) Error() string { return e.Code + ": " + e.Diagnostics }

// spineCodes gives the status, issue type and display of each known code.
var spineCodes = map[string]struct {
	status         int
	issue, display string
}{
	CodeBadRequest:              {400, "invalid", "Bad request"},
	CodeInvalidNHSNumber:        {400, "value", "Invalid NHS number"},
	CodeInvalidIdentifierSystem: {400, "value", "Invalid identifier system"},
	CodeInvalidParameter:        {422, "invalid", "Invalid parameter"},
	CodeInvalidResource:         {422, "invalid", "Invalid validation of resource"},
	CodePatientNotFound:         {404, "not-found", "Patient not found"},
	CodeNoPatientConsent:        {403, "forbidden", "No patient consent to share"},
	CodeAccessDenied:            {403, "forbidden", "Access denied"},
	CodeUnsupportedMediaType:    {415, "not-supported", "Unsupported media type"},
	CodeNotImplemented:          {501, "not-supported", "Not implemented"},
	CodeInternalServerError:     {500, "exception", "Internal server error"},
}

// NewError returns the *Error for a Spine code with its usual status,
// issue type and display (BAD_REQUEST → 400 invalid, INVALID_NHS_NUMBER →
// 400 value, INVALID_IDENTIFIER_SYSTEM → 400 value, INVALID_PARAMETER and
// INVALID_RESOURCE → 422 invalid, PATIENT_NOT_FOUND → 404 not-found,
// NO_PATIENT_CONSENT and "ACCESS DENIED" → 403 forbidden,
// UNSUPPORTED_MEDIA_TYPE → 415 not-supported, NOT_IMPLEMENTED → 501
// not-supported, INTERNAL_SERVER_ERROR → 500 exception). A code not in that
// list keeps its text but is given 500 and issue type exception.
func NewError(code, format string, args ...any) *Error {
	c, ok := spineCodes[code]
	if !ok {
		c = spineCodes[CodeInternalServerError]
		c.display = code
	}
	return &Error{Status: c.status, Code: code, Display: c.display, IssueCode: c.issue, Diagnostics: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *Error {
	return NewError(CodeBadRequest, format, args...)
}

func invalidParameter(format string, args ...any) *Error {
	return NewError(CodeInvalidParameter, format, args...)
}

func invalidResource(format string, args ...any) *Error {
	return NewError(CodeInvalidResource, format, args...)
}

func internalError(format string, args ...any) *Error {
	return NewError(CodeInternalServerError, format, args...)
}

// clip shortens a request value quoted in diagnostics.
func clip(s string) string {
	const n = 40
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
