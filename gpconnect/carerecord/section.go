package carerecord

import "github.com/pcnhub/pcnhub/record"

// Section is a care record section code of the value set
// http://fhir.nhs.net/ValueSet/gpconnect-record-section-1. Codes are upper
// case and case-sensitive.
type Section string

// The ten sections of Access Record HTML 0.7 (§4).
const (
	Summary        Section = "SUM"
	Encounters     Section = "ENC"
	ClinicalItems  Section = "CLI"
	Problems       Section = "PRB"
	Allergies      Section = "ALL"
	Medications    Section = "MED"
	Referrals      Section = "REF"
	Observations   Section = "OBS"
	Immunisations  Section = "IMM"
	Administrative Section = "ADM"
)

// Sections lists every section in the order of the §4 table.
var Sections = []Section{Summary, Encounters, ClinicalItems, Problems, Allergies, Medications, Referrals, Observations, Immunisations, Administrative}

// sectionInfo is what the package knows about a section.
type sectionInfo struct {
	title        string        // <h1>, Composition.section.title and code display
	allowsPeriod bool          // may the consumer send a timePeriod (§4 table)
	areas        []record.Area // record areas whose withholdings show in the section
}

var sectionInfos = map[Section]sectionInfo{
	Summary:        {"Summary", false, []record.Area{record.AreaProblems, record.AreaMedications, record.AreaAllergies, record.AreaConsultations}},
	Encounters:     {"Encounters", true, []record.Area{record.AreaConsultations}},
	ClinicalItems:  {"Clinical Items", true, []record.Area{record.AreaUncategorised, record.AreaInvestigations}},
	Problems:       {"Problems and Issues", true, []record.Area{record.AreaProblems}},
	Allergies:      {"Allergies and Adverse Reactions", false, []record.Area{record.AreaAllergies}},
	Medications:    {"Medications", true, []record.Area{record.AreaMedications}},
	Referrals:      {"Referrals", true, []record.Area{record.AreaReferrals}},
	Observations:   {"Observations", true, []record.Area{record.AreaUncategorised, record.AreaInvestigations}},
	Immunisations:  {"Immunisations", false, []record.Area{record.AreaImmunisations}},
	Administrative: {"Administrative Items", true, []record.Area{record.AreaDiaryEntries, record.AreaDocuments}},
}

// Valid reports whether s is one of the ten section codes (exact case).
func (s Section) Valid() bool { _, ok := sectionInfos[s]; return ok }

// Title returns the section's title ("Problems and Issues"), or "" for an
// invalid code.
func (s Section) Title() string { return sectionInfos[s].title }

// AllowsPeriod reports whether a timePeriod may be sent with the section:
// false for SUM, ALL and IMM (and invalid codes), true for the others.
func (s Section) AllowsPeriod() bool { return sectionInfos[s].allowsPeriod }

// Areas returns the record areas the section shows; withholdings in any of
// them produce the section's exclusion banner (confidential items) or
// content banner (items awaiting filing).
func (s Section) Areas() []record.Area {
	return append([]record.Area(nil), sectionInfos[s].areas...)
}
