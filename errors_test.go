package pcnhub

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestErrorCodeAndMessage(t *testing.T) {
	secret := errors.New("pq: password authentication failed for user pcnhub at 10.0.0.5")
	notFound := Errorf(ENOTFOUND, "patient %s not found", NHSNumber("9434765919").Masked())
	tests := []struct {
		name    string
		err     error
		code    string
		message string
	}{
		{"nil", nil, "", ""},
		{"an *Error", Errorf(EINVALID, "date %q must be written YYYY-MM-DD", "x"), EINVALID, `date "x" must be written YYYY-MM-DD`},
		{"wrapped with %w", fmt.Errorf("load patient: %w", notFound), ENOTFOUND, "patient ******5919 not found"},
		{"wrapped twice", fmt.Errorf("handler: %w", fmt.Errorf("store: %w", notFound)), ENOTFOUND, "patient ******5919 not found"},
		{"joined", errors.Join(io.EOF, notFound), ENOTFOUND, "patient ******5919 not found"},
		{"with a hidden cause", &Error{Code: ECONFLICT, Message: "the slot was taken", Err: secret}, ECONFLICT, "the slot was taken"},
		{"with a Spine code", &Error{Code: EFORBIDDEN, Message: "no access", Spine: "ACCESS_DENIED"}, EFORBIDDEN, "no access"},
		{"a plain error", secret, EINTERNAL, "An internal error has occurred."},
		{"a wrapped plain error", fmt.Errorf("query: %w", secret), EINTERNAL, "An internal error has occurred."},
		{"wrapped with %v", fmt.Errorf("load: %v", notFound), EINTERNAL, "An internal error has occurred."},
		{"an internal *Error", &Error{Code: EINTERNAL, Message: "password=hunter2", Err: secret}, EINTERNAL, "An internal error has occurred."},
		{"an internal *Error wrapped", fmt.Errorf("x: %w", Errorf(EINTERNAL, "connection string %s", "host=db password=hunter2")), EINTERNAL, "An internal error has occurred."},
		{"the outermost *Error wins", &Error{Code: EINVALID, Message: "outer", Err: notFound}, EINVALID, "outer"},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.err); got != tt.code {
			t.Errorf("%s: ErrorCode = %q, want %q", tt.name, got, tt.code)
		}
		got := ErrorMessage(tt.err)
		if got != tt.message {
			t.Errorf("%s: ErrorMessage = %q, want %q", tt.name, got, tt.message)
		}
		for _, leak := range []string{"password", "10.0.0.5", "hunter2", "9434765919"} {
			if strings.Contains(got, leak) {
				t.Errorf("%s: ErrorMessage %q leaks %q", tt.name, got, leak)
			}
		}
	}
}

func TestErrorError(t *testing.T) {
	cause := errors.New("disk full")
	e := &Error{Code: EINTERNAL, Message: "saving the patient failed", Err: cause}
	if got, want := e.Error(), "saving the patient failed: disk full"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, cause) || !errors.Is(fmt.Errorf("x: %w", e), cause) {
		t.Error("errors.Is does not find the cause through Unwrap")
	}
	if got, want := Errorf(EINVALID, "%d rows", 3).Error(), "3 rows"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var target *Error
	if !errors.As(fmt.Errorf("x: %w", e), &target) || target != e {
		t.Error("errors.As does not find the *Error")
	}
	if e := Errorf(ENOTIMPLEMENTED, "no"); e.Code != ENOTIMPLEMENTED || e.Err != nil || e.Spine != "" {
		t.Errorf("Errorf = %+v", e)
	}
}
