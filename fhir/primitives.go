package fhir

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Bool returns a pointer to b, for the optional boolean elements.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to n, for the optional integer elements.
func Int(n int) *int { return &n }

// Decimal is a FHIR decimal kept as its exact decimal text (so 1.50 stays
// 1.50: FHIR decimals have implicit precision). The zero value is absent.
type Decimal struct{ s string }

// ParseDecimal parses a FHIR decimal: -?(0|[1-9][0-9]*)(\.[0-9]+)?
func ParseDecimal(s string) (Decimal, error) {
	if !isDecimal(s) {
		return Decimal{}, &syntaxError{"decimal", s}
	}
	return Decimal{s}, nil
}

// NewDecimal returns f as a decimal with the fewest digits that read back as
// f. NaN and infinities have no FHIR form: for them it returns the zero
// (absent) Decimal.
func NewDecimal(f float64) Decimal {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}
	}
	return Decimal{strconv.FormatFloat(f, 'f', -1, 64)}
}

// String returns the decimal's text, or "" when absent.
func (d Decimal) String() string { return d.s }

// IsZero reports whether the decimal is absent (not whether it equals 0).
func (d Decimal) IsZero() bool { return d.s == "" }

// Float64 returns the decimal's value (0 when absent).
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.s, 64)
	return f
}

// MarshalText implements encoding.TextMarshaler.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.s), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text is the zero Decimal.
func (d *Decimal) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Decimal{}
		return nil
	}
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

type syntaxError struct{ typ, s string }

func (e *syntaxError) Error() string {
	return "invalid " + e.typ + " " + strconv.Quote(e.s)
}

// isDecimal matches -?(0|[1-9][0-9]*)(\.[0-9]+)? (STU3: no exponent).
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	j := intDigits(s, i)
	if j < 0 {
		return false
	}
	if j == len(s) {
		return true
	}
	if s[j] != '.' || j+1 == len(s) {
		return false
	}
	for k := j + 1; k < len(s); k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return true
}

// intDigits matches 0|[1-9][0-9]* at s[i:] and returns the index after it, or -1.
func intDigits(s string, i int) int {
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return -1
	}
	if s[i] == '0' {
		return i + 1
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// parseInteger checks s against -?(0|[1-9][0-9]*) and the 32-bit range of a
// FHIR integer, then against the lower bound min (0 for unsignedInt, 1 for
// positiveInt, math.MinInt32 for integer).
func parseInteger(s string, min int64) (int, string) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if intDigits(s, i) != len(s) {
		return 0, "not an integer"
	}
	if len(s) > 11 {
		return 0, "out of the 32-bit range of a FHIR integer"
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt32 || n < math.MinInt32 {
		return 0, "out of the 32-bit range of a FHIR integer"
	}
	if n < min {
		if min == 1 {
			return 0, "must be a positive integer"
		}
		return 0, "must not be negative"
	}
	return int(n), ""
}

// checkString reports why s is not a valid FHIR string ("" when it is): it
// must be non-empty valid UTF-8 and hold no character XML 1.0 cannot carry
// (control characters other than tab, LF and CR; U+FFFE; U+FFFF).
func checkString(s string) string {
	if s == "" {
		return "empty value (FHIR does not allow empty strings; leave the element out)"
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return "control character " + strconv.QuoteRune(rune(c)) + " is not allowed"
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "invalid UTF-8"
		}
		if r == 0xFFFE || r == 0xFFFF {
			return "character " + strconv.QuoteRune(r) + " is not allowed"
		}
		i += size
	}
	return ""
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// checkPrimitive reports why s is not a valid value of the primitive kind k
// ("" when it is). s has passed checkString.
func checkPrimitive(k kind, s string) string {
	switch k {
	case kCode:
		// [^\s]+([\s]?[^\s]+)*
		if isSpace(s[0]) || isSpace(s[len(s)-1]) {
			return "a code cannot begin or end with white space"
		}
		for i := 1; i < len(s); i++ {
			if isSpace(s[i]) && isSpace(s[i-1]) {
				return "a code cannot hold two white space characters in a row"
			}
		}
	case kID:
		// [A-Za-z0-9\-\.]{1,64}
		if len(s) > 64 {
			return "an id is at most 64 characters"
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
				return "an id may hold only letters, digits, '-' and '.'"
			}
		}
	case kURI:
		// \S*
		for i := 0; i < len(s); i++ {
			if isSpace(s[i]) {
				return "a uri cannot hold white space"
			}
		}
	case kOID:
		// urn:oid:(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*
		const p = "urn:oid:"
		if len(s) <= len(p) || s[:len(p)] != p {
			return "an oid must be urn:oid: followed by numbers separated by dots"
		}
		i := len(p)
		for {
			j := intDigits(s, i)
			if j < 0 {
				return "an oid must be urn:oid: followed by numbers separated by dots"
			}
			if j == len(s) {
				break
			}
			if s[j] != '.' {
				return "an oid must be urn:oid: followed by numbers separated by dots"
			}
			i = j + 1
		}
	case kBase64:
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=':
				n++
			case isSpace(c):
			default:
				return "not base64"
			}
		}
		if n == 0 {
			return "not base64"
		}
	case kTime:
		// ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?
		h, ok1 := digits(s, 0, 2)
		m, ok2 := digits(s, 3, 2)
		sec, ok3 := digits(s, 6, 2)
		if !ok1 || !ok2 || !ok3 || s[2] != ':' || s[5] != ':' || h > 23 || m > 59 || sec > 59 {
			return "a time must be hh:mm:ss"
		}
		if len(s) > 8 {
			if s[8] != '.' || len(s) == 9 {
				return "a time must be hh:mm:ss"
			}
			for i := 9; i < len(s); i++ {
				if s[i] < '0' || s[i] > '9' {
					return "a time must be hh:mm:ss"
				}
			}
		}
	}
	return ""
}
