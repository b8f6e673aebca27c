package patientcsv

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reasons shared by several columns.
const (
	reasonEmpty    = "must not be empty"
	reasonBool     = "must be true or false (yes/no, y/n and 1/0 are also accepted)"
	reasonPostcode = "is not a UK postcode"
	reasonPhone    = "must be 10 to 15 digits, with optional spaces and a leading +"
	reasonEmail    = "must be an e-mail address: one @ with text on both sides, no spaces"
)

// checkText checks a text field: valid UTF-8, no control characters, at
// most MaxTextLen characters. It returns "" or the reason.
func checkText(s string) string {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return "must not contain control characters (such as tabs or line breaks)"
			}
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "is not valid UTF-8 text"
		}
		if unicode.IsControl(r) {
			return "must not contain control characters (such as tabs or line breaks)"
		}
		i += size
		n++
	}
	if n > MaxTextLen {
		return "must be at most 100 characters long"
	}
	return ""
}

// parseBool parses the boolean forms of the format.
func parseBool(s string) (v, ok bool) {
	switch s { // fast path for the usual spellings
	case "false", "":
		return false, true
	case "true":
		return true, true
	}
	switch len(s) {
	case 0:
		return false, true
	case 1:
		switch s[0] {
		case '0', 'n', 'N':
			return false, true
		case '1', 'y', 'Y':
			return true, true
		}
	case 2:
		return false, strings.EqualFold(s, "no")
	case 3:
		return true, strings.EqualFold(s, "yes")
	case 4:
		return true, strings.EqualFold(s, "true")
	case 5:
		return false, strings.EqualFold(s, "false")
	}
	return false, false
}

// normPostcode returns s upper case with spaces removed and one space
// before the last three characters; ok is false when the result does not
// have the UK shape ^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$. It returns s
// itself when s is already normal.
func normPostcode(s string) (string, bool) {
	var buf [8]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			continue
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if n == 7 {
			return "", false
		}
		buf[n] = c
		n++
	}
	if n < 5 {
		return "", false
	}
	// Outward code buf[:n-3]: letter, optional letter, digit, optional letter or digit.
	out := buf[:n-3]
	i := 0
	if !isUpper(out[i]) {
		return "", false
	}
	i++
	if i < len(out) && isUpper(out[i]) {
		i++
	}
	if i >= len(out) || !isDigit(out[i]) {
		return "", false
	}
	i++
	if i < len(out) && (isUpper(out[i]) || isDigit(out[i])) {
		i++
	}
	if i != len(out) {
		return "", false
	}
	// Inward code: digit, letter, letter.
	in := buf[n-3 : n]
	if !isDigit(in[0]) || !isUpper(in[1]) || !isUpper(in[2]) {
		return "", false
	}
	copy(buf[n-2:], in)
	buf[n-3] = ' '
	norm := buf[:n+1]
	if string(norm) == s {
		return s, true
	}
	return string(norm), true
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// checkPhone returns "" when s is digits and spaces with an optional
// leading +, holding 10 to 15 digits.
func checkPhone(s string) string {
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits++
		case c == ' ', c == '+' && i == 0:
		default:
			return reasonPhone
		}
	}
	if digits < 10 || digits > 15 {
		return reasonPhone
	}
	return ""
}

// checkEmail returns "" when s has exactly one @ with text on both sides,
// no white space or control characters, is valid UTF-8 and at most 254
// bytes long.
func checkEmail(s string) string {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return reasonEmail
	}
	if len(s) > 254 {
		return "must be at most 254 bytes long"
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f {
				return reasonEmail
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "is not valid UTF-8 text"
		}
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return reasonEmail
		}
		i += size
	}
	return ""
}

// normLanguage returns the two-letter code in lower case.
func normLanguage(s string) (string, bool) {
	if len(s) != 2 {
		return "", false
	}
	a, b := s[0], s[1]
	if isUpper(a) || isUpper(b) {
		return strings.ToLower(s), isLetter(a) && isLetter(b)
	}
	return s, isLetter(a) && isLetter(b)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// trim removes surrounding white space.
func trim(s string) string {
	// Only call TrimSpace when an end byte may be white space.
	if s != "" && (s[0] <= ' ' || s[0] >= utf8.RuneSelf || s[len(s)-1] <= ' ' || s[len(s)-1] >= utf8.RuneSelf) {
		return strings.TrimSpace(s)
	}
	return s
}
