package pcnhub

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Gender is the FHIR administrative gender.
type Gender string

const (
	GenderMale    Gender = "male"
	GenderFemale  Gender = "female"
	GenderOther   Gender = "other"
	GenderUnknown Gender = "unknown"
)

// ParseGender accepts the FHIR codes and the common one-letter forms
// (M, F, O, U), in any case. Returns EINVALID.
func ParseGender(s string) (Gender, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "male", "m":
		return GenderMale, nil
	case "female", "f":
		return GenderFemale, nil
	case "other", "o":
		return GenderOther, nil
	case "unknown", "u":
		return GenderUnknown, nil
	}
	return "", Errorf(EINVALID, "gender %q must be one of male, female, other, unknown", clip(s, 20))
}

// RegistrationType is how a patient is registered at a practice.
type RegistrationType string

const (
	RegGMS       RegistrationType = "GMS"       // regular (permanent) registration
	RegTemporary RegistrationType = "temporary" // temporary resident / hub registration
)

// ParseRegistrationType accepts GMS or temporary (any case); "" means GMS.
func ParseRegistrationType(s string) (RegistrationType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "gms", "regular":
		return RegGMS, nil
	case "temporary", "t", "temp":
		return RegTemporary, nil
	}
	return "", Errorf(EINVALID, "registration type %q must be GMS or temporary", clip(s, 20))
}

// RegistrationStatus is whether the registration is current.
type RegistrationStatus string

const (
	RegActive   RegistrationStatus = "active"
	RegInactive RegistrationStatus = "inactive"
)

// ParseRegistrationStatus accepts active or inactive (any case); "" means active.
func ParseRegistrationStatus(s string) (RegistrationStatus, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "active":
		return RegActive, nil
	case "inactive":
		return RegInactive, nil
	}
	return "", Errorf(EINVALID, "registration status %q must be active or inactive", clip(s, 20))
}

// Registration is a patient's registration at the organisation that holds
// the record.
type Registration struct {
	Type            RegistrationType
	Status          RegistrationStatus
	Start           Date
	End             Date    // zero while open
	PreferredBranch ODSCode // ODS site code of the preferred branch surgery
}

// Patient is a patient record held by one organisation (a practice, or the
// hub for a temporary registration). The same NHS number may have records
// at several organisations, as in any hosted clinical system; within one
// organisation it is unique.
type Patient struct {
	ID                  int64
	OrganisationID      int64
	NHSNumber           NHSNumber
	Name                HumanName
	BirthDate           Date
	Gender              Gender
	Address             Address
	Telecom             []ContactPoint
	Language            string // ISO 639-1 code of the main language, e.g. "en", "bn"
	InterpreterRequired bool
	Registration        Registration

	Sensitive          bool      // PDS S-flag: address and contact withheld
	DeceasedDate       Date      // zero while alive
	SupersededBy       NHSNumber // set when this number was replaced
	MergedInto         NHSNumber // set when this record was merged into another
	InTransit          bool      // record in transit between practices (GP2GP)
	DissentFromSharing bool      // patient opted out of sharing their record

	Version int64 // increases on every change; GP Connect versionId
	Updated time.Time
}

// Deceased reports whether a date of death is recorded.
func (p *Patient) Deceased() bool { return !p.DeceasedDate.IsZero() }

// Person is an entry in the PDS-like demographic register: the national
// view of a person, used to trace patients and to register them
// temporarily. It is separate from the records that organisations hold.
type Person struct {
	NHSNumber    NHSNumber
	Name         HumanName
	BirthDate    Date
	Gender       Gender
	Address      Address
	Telecom      []ContactPoint
	GPPractice   ODSCode // registered GP practice; "" when not registered
	Sensitive    bool
	DeceasedDate Date
	SupersededBy NHSNumber
	Invalidated  bool // a redacted record; never returned by a trace
}

// TraceQuery is a demographic trace of the PDS-like register. Family name
// and birth date are the smallest search; given name, gender and postcode
// narrow it. A trailing "*" on a name (at least two letters before it) is
// a prefix wildcard. Matching is case-insensitive.
type TraceQuery struct {
	Family    string
	Given     string
	BirthDate Date
	Gender    Gender
	Postcode  string
}

// Validate returns EINVALID when the query is below the smallest search.
func (q TraceQuery) Validate() error {
	if strings.TrimSpace(q.Family) == "" || q.BirthDate.IsZero() {
		return Errorf(EINVALID, "a demographic trace needs at least a family name and a date of birth")
	}
	for _, s := range []string{q.Family, q.Given} {
		if i := strings.IndexByte(s, '*'); i >= 0 && (utf8.RuneCountInString(strings.TrimSpace(s[:i])) < 2 || i != len(s)-1) {
			return Errorf(EINVALID, "a wildcard must follow at least two letters and end the name (%q)", clip(s, 30))
		}
	}
	return nil
}

// TraceMatch is one result of a demographic trace with its score: 1.0 for
// an exact match on every field given, less for partial matches.
type TraceMatch struct {
	Person Person
	Score  float64
}
