// Package pcnhub holds the shared vocabulary of pcnhub: typed identifiers
// (NHS numbers, ODS codes, ASIDs, SDS ids), organisations, patients,
// practitioners and locations, the closed set of error codes, and the
// requester carried in a context. It imports only the standard library.
package pcnhub

import (
	"errors"
	"fmt"
)

// Error codes: a small closed set. Every error that reaches a user is turned
// into an answer by its code, in exactly one place per surface (HTTP, CLI).
const (
	EINVALID        = "invalid"      // the input is wrong; the message says how
	ENOTFOUND       = "not_found"    // the thing asked for does not exist
	ECONFLICT       = "conflict"     // the thing changed or was taken meanwhile
	EFORBIDDEN      = "forbidden"    // the requester may not do this
	EUNAUTHORIZED   = "unauthorized" // the requester is not known
	ENOTIMPLEMENTED = "not_implemented"
	EINTERNAL       = "internal" // a fault of ours; its text is never shown
)

// Error is an application error with a code, a message safe to show to the
// person who caused it, and, for GP Connect answers, an optional Spine code.
type Error struct {
	Code    string // one of the E* constants
	Message string // safe to show; never holds clinical data
	Spine   string // optional Spine error code, e.g. "DUPLICATE_REJECTED"
	Err     error  // optional wrapped cause (not shown)
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the first *Error in err's
// chain, or a generic message for internal errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "An internal error has occurred."
}
