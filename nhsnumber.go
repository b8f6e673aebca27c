package pcnhub

import (
	"log/slog"
	"strings"
)

// NHSNumber is a validated 10-digit NHS number (Modulus 11 check digit).
// The zero value means "none". Its LogValue masks all but the last four
// digits, so a patient's identity never reaches the logs whole.
type NHSNumber string

// ParseNHSNumber validates s as an NHS number. Spaces and hyphens between
// digit groups ("943 476 5919", "943-476-5919") are accepted and removed.
// It returns an EINVALID error that says what is wrong: length, non-digits,
// or the check digit.
func ParseNHSNumber(s string) (NHSNumber, error) {
	digits := make([]byte, 0, 10)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-':
			// group separators
		default:
			return "", Errorf(EINVALID, "NHS number must contain only digits")
		}
		if len(digits) > 10 {
			return "", Errorf(EINVALID, "NHS number must have 10 digits")
		}
	}
	if len(digits) != 10 {
		return "", Errorf(EINVALID, "NHS number must have 10 digits, not %d", len(digits))
	}
	check, ok := nhsCheckDigit(digits[:9])
	if !ok {
		return "", Errorf(EINVALID, "NHS number has an invalid check digit (it can never be issued)")
	}
	if check != digits[9]-'0' {
		return "", Errorf(EINVALID, "NHS number check digit is wrong")
	}
	return NHSNumber(digits), nil
}

// nhsCheckDigit computes the Modulus 11 check digit of the first nine digits
// (ASCII). ok is false when the check would be 10: such numbers are invalid.
func nhsCheckDigit(nine []byte) (digit byte, ok bool) {
	sum := 0
	for i, c := range nine {
		sum += int(c-'0') * (10 - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return byte(check), true
}

// NHSNumberFromPrefix completes a nine-digit prefix with its check digit.
// ok is false when no valid NHS number starts with that prefix.
func NHSNumberFromPrefix(prefix uint32) (NHSNumber, bool) {
	if prefix >= 1_000_000_000 {
		return "", false
	}
	var b [10]byte
	p := prefix
	for i := 8; i >= 0; i-- {
		b[i] = byte('0' + p%10)
		p /= 10
	}
	d, ok := nhsCheckDigit(b[:9])
	if !ok {
		return "", false
	}
	b[9] = '0' + d
	return NHSNumber(b[:]), true
}

// String returns the 10 digits.
func (n NHSNumber) String() string { return string(n) }

// Formatted returns the number in the 3-3-4 display form, e.g. "943 476 5919".
func (n NHSNumber) Formatted() string {
	if len(n) != 10 {
		return string(n)
	}
	return string(n[:3]) + " " + string(n[3:6]) + " " + string(n[6:])
}

// Masked returns the number with all but the last four digits hidden.
func (n NHSNumber) Masked() string {
	if len(n) < 4 {
		return strings.Repeat("*", len(n))
	}
	return "******" + string(n[len(n)-4:])
}

// LogValue implements slog.LogValuer: logs see only the masked form.
func (n NHSNumber) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// IsTestRange reports whether the number is in the 999 range reserved for
// test and synthetic data (never issued to a person).
func (n NHSNumber) IsTestRange() bool { return strings.HasPrefix(string(n), "999") }
