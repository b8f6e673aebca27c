package pcnhub

import "time"

// OrgType is the kind of organisation. The first two are the values of the
// GP Connect CodeSystem GPConnect-OrganisationType-1; a hub is a pcnhub
// type of its own (GP Connect consumers see it as a provider of slots).
type OrgType string

const (
	OrgGPPractice OrgType = "gp-practice"
	OrgUrgentCare OrgType = "urgent-care" // NHS 111, CAS, UTC
	OrgPCNHub     OrgType = "pcn-hub"     // enhanced-access hub (ODS Y-code)
)

// Valid reports whether t is one of the known organisation types.
func (t OrgType) Valid() bool {
	return t == OrgGPPractice || t == OrgUrgentCare || t == OrgPCNHub
}

// Address is a postal address in FHIR's shape.
type Address struct {
	Lines    []string // house and street, up to three lines
	City     string
	District string
	Postcode string
}

// IsZero reports whether no part of the address is known.
func (a Address) IsZero() bool {
	return len(a.Lines) == 0 && a.City == "" && a.District == "" && a.Postcode == ""
}

// ContactPoint is a telephone number or e-mail address (FHIR ContactPoint).
type ContactPoint struct {
	System string // phone | email
	Use    string // home | work | mobile | temp
	Value  string
}

// Organisation is a GP practice, an enhanced-access hub or an urgent-care
// provider. Hosted organisations have their books and records in this
// pcnhub; others are known by code only (for directory and groups).
type Organisation struct {
	ID           int64
	ODS          ODSCode
	ASID         ASID // Spine ASID of the organisation's GP Connect system
	Type         OrgType
	Subtype      string // free text, e.g. "NHS 111", "CAS", "UTC"
	Name         string
	Address      Address
	Telecom      []ContactPoint
	ListSize     int  // registered list size
	ListSizeDate Date // date the list size was counted
	PCN          ODSCode
	PCNName      string
	Hosted       bool // its books and records live in this pcnhub
	Sites        []Site
	Updated      time.Time
}

// Site is a branch surgery or other site of an organisation (ODS site code).
type Site struct {
	ODS     ODSCode
	Name    string
	Address Address
}

// Validate checks the organisation's own fields; it returns EINVALID naming
// the first field that is wrong.
func (o *Organisation) Validate() error {
	if c, err := ParseODSCode(string(o.ODS)); err != nil {
		return err
	} else if c != o.ODS {
		return Errorf(EINVALID, "organisation %q: ODS code has surrounding white space", clip(string(o.ODS), 20))
	}
	if !o.Type.Valid() {
		return Errorf(EINVALID, "organisation %s: type %q is not one of gp-practice, urgent-care, pcn-hub", o.ODS, o.Type)
	}
	if o.Type == OrgPCNHub && !o.ODS.IsYCode() {
		return Errorf(EINVALID, "organisation %s: a PCN hub's ODS code must be a Y-code (Y and five digits)", o.ODS)
	}
	if o.ASID != "" {
		if a, err := ParseASID(string(o.ASID)); err != nil {
			return err
		} else if a != o.ASID {
			return Errorf(EINVALID, "organisation %s: ASID has surrounding white space", o.ODS)
		}
	}
	if o.Name == "" {
		return Errorf(EINVALID, "organisation %s: name is required", o.ODS)
	}
	if o.ListSize < 0 {
		return Errorf(EINVALID, "organisation %s: list size cannot be negative", o.ODS)
	}
	if o.PCN != "" && !o.PCN.IsPCNCode() {
		return Errorf(EINVALID, "organisation %s: PCN code %q must be U and five digits", o.ODS, o.PCN)
	}
	for _, s := range o.Sites {
		if c, err := ParseODSCode(string(s.ODS)); err != nil {
			return Errorf(EINVALID, "organisation %s: site: %s", o.ODS, ErrorMessage(err))
		} else if c != s.ODS {
			return Errorf(EINVALID, "organisation %s: site ODS code has surrounding white space", o.ODS)
		}
	}
	return nil
}

// OrganisationGroup is a named set of organisations, such as "111 direct
// booking" or "Enhanced access booking". Members are ODS codes so that a
// group may include organisations this pcnhub does not host.
type OrganisationGroup struct {
	ID          int64
	Name        string
	Description string
	Members     []ODSCode
}

// HumanName is a person's name (FHIR HumanName, official use).
type HumanName struct {
	Prefix string   // Mr, Mrs, Miss, Ms, Dr …
	Given  []string // given names in order
	Family string
}

// Practitioner is a member of staff known to SDS: a GP, nurse, pharmacist …
type Practitioner struct {
	ID             int64
	OrganisationID int64
	SDSUserID      string   // e.g. G13579135
	RoleProfileIDs []string // SDS role profile ids (0..n)
	Name           HumanName
	Gender         Gender
	JobRoleCode    string // SDS job role, e.g. R0260 General Medical Practitioner
}

// Location is a physical place where care is given (a consulting site),
// managed by an organisation.
type Location struct {
	ID             int64
	OrganisationID int64   // managing organisation
	SiteODS        ODSCode // ODS site code, when it has one
	Name           string
	Address        Address
	Telecom        []ContactPoint
}
