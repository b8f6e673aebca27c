// Package record is pcnhub's clinical record model: a patient's allergies,
// medications, problems, consultations, observations, immunisations,
// investigations, referrals, diary entries and document metadata, with the
// rules GP Connect Access Record (Structured 1.6 and HTML) needs — partial
// date matching, the medication "active" logic and confidentiality — and no
// knowledge of FHIR or of storage. It imports only the root package and the
// standard library.
//
// Every clinical item has an id that is stable and unique within the
// patient's record; links between items (problem → items, consultation →
// items, investigation → results) are by id. Validate checks that a record's
// links resolve; Shareable returns the part of a record that may be shared.
package record

import "github.com/pcnhub/pcnhub"

// SNOMED is the SNOMED CT code system URI.
const SNOMED = "http://snomed.info/sct"

// Code is a coded clinical concept: a SNOMED CT concept in the usual case,
// with the text the clinician saw or typed when it differs from the display.
type Code struct {
	System       string // code system URI; SNOMED for SNOMED CT
	Code         string // concept id
	Display      string // preferred term
	OriginalText string // optional: the text as recorded, if different
}

// SNOMEDCode returns a SNOMED CT code.
func SNOMEDCode(code, display string) Code { return Code{System: SNOMED, Code: code, Display: display} }

// IsZero reports whether no code was recorded.
func (c Code) IsZero() bool { return c == Code{} }

// Text returns the original text if recorded, else the display.
func (c Code) Text() string {
	if c.OriginalText != "" {
		return c.OriginalText
	}
	return c.Display
}

// Clinician identifies who recorded or performed something: a practitioner
// and the organisation they acted for. Either may be empty when unknown.
type Clinician struct {
	PractitionerID  string         // the practitioner's id (e.g. SDS user id or local id)
	OrganisationODS pcnhub.ODSCode // the organisation they acted for
	Name            string         // optional display name, for HTML views
}

// Item holds what every clinical item carries.
type Item struct {
	// ID is stable and unique within the patient's record (Validate).
	ID string
	// Recorded is when the item was entered in the record.
	Recorded PartialDate
	// Author is who recorded it.
	Author Clinician
	// Confidential marks an item that must not be shared: practice-marked
	// confidential, withheld at the patient's preference, or in the national
	// sensitive exclusion set. Shareable omits it (§3.3).
	Confidential bool
	// AwaitingFiling marks inbound data (e.g. a lab report or a GP2GP
	// item) not yet filed into the record by the practice. Shareable omits
	// it (§3.3 data-awaiting-filing). Items awaiting filing are held in the
	// same slices as filed items, with this flag set.
	AwaitingFiling bool
}

// Withheld reports whether Shareable omits the item.
func (it Item) Withheld() bool { return it.Confidential || it.AwaitingFiling }

// Record is a patient's whole clinical record at one practice.
type Record struct {
	NHSNumber   pcnhub.NHSNumber
	PracticeODS pcnhub.ODSCode // the practice that is data controller
	// InTransit is set while a record received by GP2GP is not yet fully
	// integrated: every list then carries data-in-transit (§3.3).
	InTransit bool

	Allergies      []Allergy
	Medications    []Medication
	Problems       []Problem
	Consultations  []Consultation
	Observations   []Observation // uncategorised data
	Immunisations  []Immunisation
	Investigations []Investigation
	TestResults    []TestResult // test groups, results and filing comments of investigations
	Referrals      []Referral
	DiaryEntries   []DiaryEntry
	Documents      []Document
}

// AllergyStatus is whether an allergy is current or has ended.
type AllergyStatus string

const (
	AllergyActive   AllergyStatus = "active"
	AllergyResolved AllergyStatus = "resolved" // ended; see Ended and EndReason
)

// Allergy is an allergy or adverse reaction, or a "no known allergies"
// statement (NoKnownAllergies set, Code holding the concept recorded, e.g.
// 716186003 "No known allergy").
type Allergy struct {
	Item
	NoKnownAllergies bool
	Code             Code   // the allergy/reaction concept as recorded
	Substance        Code   // optional: the causative agent
	Category         string // "medication", "food", "environment" or "" if not known
	Manifestations   []Code // reactions
	Onset            PartialDate
	Asserted         PartialDate
	Status           AllergyStatus
	Ended            PartialDate // when Status is AllergyResolved
	EndReason        string      // when Status is AllergyResolved
	Note             string
}

// PrescriptionType is the kind of authorisation.
type PrescriptionType string

const (
	PrescriptionUnknown          PrescriptionType = ""
	PrescriptionAcute            PrescriptionType = "acute"
	PrescriptionRepeat           PrescriptionType = "repeat"
	PrescriptionRepeatDispensing PrescriptionType = "repeat-dispensing"
)

// Medication is one medication or medical device course: what the record
// says the patient takes or took (Statement), the authorisation to
// prescribe it, and the prescriptions issued under that authorisation.
type Medication struct {
	Item
	Drug          Code
	Statement     Statement
	Authorisation Authorisation
	Issues        []Issue
}

// Statement is the patient-level view of a medication course.
type Statement struct {
	Status     string // "active", "completed" or "stopped"
	LastIssued PartialDate
	Note       string
}

// Authorisation is the plan to prescribe a medication.
type Authorisation struct {
	Type PrescriptionType
	// PrescribedElsewhere marks medication prescribed by another
	// organisation (hospital, OOH) and recorded here; it is always returned
	// by a medication search (§3.1).
	PrescribedElsewhere bool
	// Effective runs from the authorisation's start to its end (both
	// inclusive); an unknown End means no end was recorded.
	Effective      Period
	Status         string // "active", "completed" or "stopped"
	StoppedReason  string
	Quantity       Quantity
	SupplyDays     int // expected supply duration in days, 0 if not recorded
	Dosage         string
	PatientNote    string
	RepeatsAllowed int // 0 if not recorded
	RepeatsIssued  int
	ReviewDate     PartialDate
	Prescriber     Clinician
}

// Issue is one prescription issued under an authorisation.
type Issue struct {
	ID         string // unique within the record, like item ids
	Date       PartialDate
	Quantity   Quantity
	SupplyDays int
	Prescriber Clinician
}

// Quantity is a measured amount. Value is the decimal as recorded ("5.10"),
// so its precision survives; Unit is the human unit text and UCUM the UCUM
// code when known.
type Quantity struct {
	Value      string
	Comparator string // "", "<", "<=", ">=", ">"
	Unit       string
	UCUM       string
}

// IsZero reports whether no quantity was recorded.
func (q Quantity) IsZero() bool { return q == Quantity{} }

// ProblemStatus is whether a problem is active.
type ProblemStatus string

const (
	ProblemActive   ProblemStatus = "active"
	ProblemInactive ProblemStatus = "inactive"
)

// Significance is a problem's clinical significance.
type Significance string

const (
	Major Significance = "major"
	Minor Significance = "minor"
)

// ProblemRelation is how one problem relates to another.
type ProblemRelation string

const (
	RelationParent  ProblemRelation = "parent"  // the other problem is this one's parent
	RelationChild   ProblemRelation = "child"   // the other problem is this one's child
	RelationSibling ProblemRelation = "sibling" // related, neither above the other
)

// ProblemLink links a problem to another problem.
type ProblemLink struct {
	Relation  ProblemRelation
	ProblemID string
}

// Problem is a problem header: a condition the practice tracks, with the
// clinical items recorded against it.
type Problem struct {
	Item
	Code         Code
	Status       ProblemStatus
	Significance Significance
	Onset        PartialDate
	Abatement    PartialDate // when the problem ended
	Related      []ProblemLink
	LinkedItems  []string // ids of clinical items recorded against the problem
	Note         string
}

// Consultation is an encounter: when, who, where, and what was recorded,
// as topics holding headings holding item ids.
type Consultation struct {
	Item
	Period    Period
	Clinician Clinician
	Location  string // location name or id
	Type      Code   // e.g. surgery consultation, telephone
	Title     string
	Topics    []Topic
}

// Topic is a topic of a consultation, optionally about a problem.
type Topic struct {
	Title     string
	Code      Code   // optional
	ProblemID string // optional: the problem the topic is about
	Headings  []Heading
}

// Heading is a heading within a topic (History, Examination, Plan, …)
// listing the items recorded under it.
type Heading struct {
	Code  Code
	Items []string
}

// Systolic and diastolic arterial pressure, the components of a blood
// pressure Observation.
var (
	SystolicCode  = SNOMEDCode("72313002", "Systolic arterial pressure")
	DiastolicCode = SNOMEDCode("1091811000000102", "Diastolic arterial pressure")
)

// Component is one part of a multi-part observation.
type Component struct {
	Code  Code
	Value Quantity
	Text  string // a textual value, when not a quantity
}

// ReferenceRange is the normal range for a value; either bound may be empty.
type ReferenceRange struct {
	Low  Quantity
	High Quantity
	Text string
}

// Observation is an uncategorised clinical item: a finding, a measurement,
// a comment. A blood pressure has two Components, SystolicCode and
// DiastolicCode, with their units.
type Observation struct {
	Item
	Code           Code
	Effective      PartialDate
	Performer      Clinician
	Value          Quantity
	ValueText      string
	Components     []Component
	Range          *ReferenceRange
	Interpretation string // e.g. "high", "low", "abnormal"
	Comment        string
}

// BloodPressure returns the systolic and diastolic components of a blood
// pressure observation, if it has both.
func (o Observation) BloodPressure() (systolic, diastolic Quantity, ok bool) {
	var s, d bool
	for _, c := range o.Components {
		switch {
		case c.Code.System == SNOMED && c.Code.Code == SystolicCode.Code:
			systolic, s = c.Value, true
		case c.Code.System == SNOMED && c.Code.Code == DiastolicCode.Code:
			diastolic, d = c.Value, true
		}
	}
	return systolic, diastolic, s && d
}

// ImmunisationKind is what an immunisation item records.
type ImmunisationKind string

const (
	ImmunisationGiven    ImmunisationKind = "given"
	ImmunisationNotGiven ImmunisationKind = "not-given" // returned only with includeNotGiven
	// ImmunisationStatus is a status record — consent, dissent, declined,
	// contraindicated — returned only with includeStatus.
	ImmunisationStatus ImmunisationKind = "status"
)

// Immunisation is a vaccination given or not given, or an immunisation
// status (consent/dissent) record.
type Immunisation struct {
	Item
	Kind      ImmunisationKind
	Vaccine   Code
	Date      PartialDate
	Status    Code // for ImmunisationStatus: the status concept
	Reason    Code // for ImmunisationNotGiven: why not
	Dose      int  // dose sequence, 0 if not recorded
	Batch     string
	Site      Code
	Route     Code
	Performer Clinician
	Note      string
}

// Investigation is a test report: the request, specimens, and the result
// items (TestResults) it holds.
type Investigation struct {
	Item
	Code      Code
	Issued    PartialDate
	Effective PartialDate
	Status    string // e.g. "final"
	Specimens []Specimen
	// Results are the ids of the report's top-level TestResults (test
	// groups, results and filing comments).
	Results   []string
	Requester Clinician
	Performer string // performing laboratory name or ODS code
}

// Specimen is a sample a report's tests were run on.
type Specimen struct {
	ID        string // unique within the record
	Type      Code
	Collected PartialDate
	Received  PartialDate
	Note      string
}

// ResultKind is what a TestResult is.
type ResultKind string

const (
	ResultGroup         ResultKind = "group"  // a test group/battery; see Members
	ResultValue         ResultKind = "result" // a single test result
	ResultFilingComment ResultKind = "filing-comment"
)

// TestResult is a test group, a test result or a filing comment of an
// Investigation.
type TestResult struct {
	Item
	Kind           ResultKind
	Code           Code
	Effective      PartialDate
	Value          Quantity
	ValueText      string
	Range          *ReferenceRange
	Interpretation string
	SpecimenID     string
	Members        []string // for ResultGroup: ids of member TestResults
	Comment        string
}

// Referral is an outbound referral.
type Referral struct {
	Item
	Date      PartialDate
	Reason    Code
	Priority  string // "routine", "urgent", "asap", "stat"
	Status    string
	Service   string
	Recipient Clinician
	Note      string
}

// DiaryEntry is a planned future action or recall.
type DiaryEntry struct {
	Item
	Code   Code
	Due    PartialDate
	Status string
	Note   string
}

// Document is a document's metadata; its content is not held here.
type Document struct {
	Item
	Type        Code
	Title       string
	Created     PartialDate
	Custodian   pcnhub.ODSCode
	ContentType string
	Size        int64
}
