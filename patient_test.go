package pcnhub

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseGender(t *testing.T) {
	tests := []struct {
		in   string
		want Gender // "" when invalid
	}{
		{"male", GenderMale}, {"M", GenderMale}, {"m", GenderMale}, {"MALE", GenderMale}, {" Male ", GenderMale},
		{"female", GenderFemale}, {"F", GenderFemale}, {"f", GenderFemale}, {"Female", GenderFemale},
		{"other", GenderOther}, {"O", GenderOther},
		{"unknown", GenderUnknown}, {"U", GenderUnknown}, {"u", GenderUnknown},
		{"", ""}, {"x", ""}, {"mal", ""}, {"man", ""}, {"1", ""}, {"not known", ""},
	}
	for _, tt := range tests {
		got, err := ParseGender(tt.in)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseGender(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != "" || ErrorCode(err) != EINVALID {
			t.Errorf("ParseGender(%q) = %q, %v; want an EINVALID error", tt.in, got, err)
		}
	}
}

func TestParseRegistrationType(t *testing.T) {
	tests := []struct {
		in   string
		want RegistrationType // "" when invalid
	}{
		{"", RegGMS}, {"GMS", RegGMS}, {"gms", RegGMS}, {"regular", RegGMS}, {" GMS ", RegGMS},
		{"temporary", RegTemporary}, {"Temporary", RegTemporary}, {"T", RegTemporary}, {"temp", RegTemporary},
		{"private", ""}, {"g", ""}, {"permanent", ""},
	}
	for _, tt := range tests {
		got, err := ParseRegistrationType(tt.in)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseRegistrationType(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != "" || ErrorCode(err) != EINVALID {
			t.Errorf("ParseRegistrationType(%q) = %q, %v; want an EINVALID error", tt.in, got, err)
		}
	}
}

func TestParseRegistrationStatus(t *testing.T) {
	tests := []struct {
		in   string
		want RegistrationStatus // "" when invalid
	}{
		{"", RegActive}, {"active", RegActive}, {"ACTIVE", RegActive}, {" Active", RegActive},
		{"inactive", RegInactive}, {"Inactive", RegInactive},
		{"gone", ""}, {"a", ""}, {"deducted", ""},
	}
	for _, tt := range tests {
		got, err := ParseRegistrationStatus(tt.in)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseRegistrationStatus(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != "" || ErrorCode(err) != EINVALID {
			t.Errorf("ParseRegistrationStatus(%q) = %q, %v; want an EINVALID error", tt.in, got, err)
		}
	}
}

func TestTraceQueryValidate(t *testing.T) {
	born := Date{1980, time.May, 17}
	tests := []struct {
		name string
		q    TraceQuery
		ok   bool
	}{
		{"family and birth date", TraceQuery{Family: "Smith", BirthDate: born}, true},
		{"every field", TraceQuery{Family: "Smith", Given: "Mary", BirthDate: born, Gender: GenderFemale, Postcode: "LS6 3AP"}, true},
		{"family wildcard", TraceQuery{Family: "Sm*", BirthDate: born}, true},
		{"given wildcard", TraceQuery{Family: "Smith", Given: "Ma*", BirthDate: born}, true},
		{"two non-ASCII letters", TraceQuery{Family: "Öz*", BirthDate: born}, true},

		{"no family name", TraceQuery{BirthDate: born}, false},
		{"blank family name", TraceQuery{Family: "  ", BirthDate: born}, false},
		{"no birth date", TraceQuery{Family: "Smith"}, false},
		{"wildcard alone", TraceQuery{Family: "*", BirthDate: born}, false},
		{"one letter before the wildcard", TraceQuery{Family: "S*", BirthDate: born}, false},
		{"one non-ASCII letter before the wildcard", TraceQuery{Family: "Ö*", BirthDate: born}, false},
		{"space and one letter before the wildcard", TraceQuery{Family: " S*", BirthDate: born}, false},
		{"wildcard inside", TraceQuery{Family: "Sm*th", BirthDate: born}, false},
		{"two wildcards", TraceQuery{Family: "Sm**", BirthDate: born}, false},
		{"leading wildcard", TraceQuery{Family: "*ith", BirthDate: born}, false},
		{"bad given wildcard", TraceQuery{Family: "Smith", Given: "M*", BirthDate: born}, false},
	}
	for _, tt := range tests {
		err := tt.q.Validate()
		if tt.ok && err != nil {
			t.Errorf("%s: got %v, want no error", tt.name, err)
		}
		if !tt.ok && ErrorCode(err) != EINVALID {
			t.Errorf("%s: got %v, want EINVALID", tt.name, err)
		}
	}
}

func TestPatientDeceased(t *testing.T) {
	p := Patient{}
	if p.Deceased() {
		t.Error("a patient without a date of death is deceased")
	}
	p.DeceasedDate = Date{2024, time.January, 2}
	if !p.Deceased() {
		t.Error("a patient with a date of death is not deceased")
	}
}

// TestParseErrorsAreSafe: parse errors may quote a code, but clipped, and
// remain valid UTF-8 when the input is cut in the middle of a character.
func TestParseErrorsAreSafe(t *testing.T) {
	long := strings.Repeat("é", 30)
	for _, f := range []func(string) error{
		func(s string) error { _, err := ParseGender(s); return err },
		func(s string) error { _, err := ParseRegistrationType(s); return err },
		func(s string) error { _, err := ParseRegistrationStatus(s); return err },
		func(s string) error { _, err := ParseODSCode(s); return err },
		func(s string) error { _, err := ParseASID(s); return err },
	} {
		err := f(long)
		if err == nil {
			t.Fatalf("%q accepted", long)
		}
		if strings.Contains(err.Error(), long) || !strings.Contains(err.Error(), "…") {
			t.Errorf("error %q does not clip the value", err)
		}
		if !utf8.ValidString(err.Error()) {
			t.Errorf("error %q is not valid UTF-8", err)
		}
	}
}
