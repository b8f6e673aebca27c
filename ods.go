package pcnhub

import "strings"

// ODSCode is an Organisation Data Service code: a GP practice (A81001), a
// hub or other prescribing cost centre (Y03079), a PCN (U59980), a trust
// (R1A14), a site (Z26556), a sub-ICB (01K). Codes are upper case letters
// and digits, 3 to 10 characters.
type ODSCode string

// ParseODSCode validates s as an ODS code. Surrounding white space is
// trimmed (published ODS files carry trailing spaces); lower case is
// rejected rather than folded, because GP Connect URLs are case-sensitive.
// Returns EINVALID with the reason.
func ParseODSCode(s string) (ODSCode, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Errorf(EINVALID, "ODS code is empty")
	}
	if len(s) < 3 || len(s) > 10 {
		return "", Errorf(EINVALID, "ODS code %q must have 3 to 10 characters", clip(s, 20))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return "", Errorf(EINVALID, "ODS code %q may hold only upper-case letters and digits", clip(s, 20))
		}
	}
	return ODSCode(s), nil
}

// IsYCode reports whether the code has the "Y + 5 digits" form of a prescribing
// cost centre such as an enhanced-access hub.
func (c ODSCode) IsYCode() bool { return len(c) == 6 && c[0] == 'Y' && allDigits(string(c[1:])) }

// IsPCNCode reports whether the code has the "U + 5 digits" form of a PCN.
func (c ODSCode) IsPCNCode() bool { return len(c) == 6 && c[0] == 'U' && allDigits(string(c[1:])) }

func (c ODSCode) String() string { return string(c) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clip shortens s for inclusion in an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ASID is a 12-digit Spine Accredited System ID.
type ASID string

// ParseASID validates s as an ASID: exactly 12 digits. Returns EINVALID.
func ParseASID(s string) (ASID, error) {
	s = strings.TrimSpace(s)
	if len(s) != 12 || !allDigits(s) {
		return "", Errorf(EINVALID, "ASID %q must be exactly 12 digits", clip(s, 20))
	}
	return ASID(s), nil
}

func (a ASID) String() string { return string(a) }
