// Package structured builds GP Connect Access Record Structured 1.6
// answers from pcnhub's clinical record model: the Bundle of
// $gpc.getstructuredrecord and $gpc.migratestructuredrecord (§3.2, §3.3),
// and the reverse, a record from a structured Bundle (the importer). It is
// pure: no store, no HTTP. The gpconnect package parses and checks the
// request (§3.1) into a Query and serves the answer.
package structured

import "github.com/pcnhub/pcnhub"

// Query is a validated $gpc.getstructuredrecord request. A nil
// area was not requested.
type Query struct {
	NHSNumber      pcnhub.NHSNumber
	Allergies      *AllergiesQuery
	Medication     *MedicationQuery
	Consultations  *ConsultationsQuery
	Problems       *ProblemsQuery
	Immunisations  *ImmunisationsQuery
	Uncategorised  *PeriodQuery // includeUncategorisedData.uncategorisedDataSearchPeriod
	Investigations *PeriodQuery // includeInvestigations.investigationSearchPeriod
	Referrals      *PeriodQuery // includeReferrals.referralSearchPeriod
	DiaryEntries   *DiaryQuery
}

// AllergiesQuery is includeAllergies.
type AllergiesQuery struct {
	IncludeResolved bool // includeResolvedAllergies (1..1, no default)
}

// MedicationQuery is includeMedication.
type MedicationQuery struct {
	IncludePrescriptionIssues bool        // default true
	SearchFrom                pcnhub.Date // medicationSearchFromDate; zero: the whole record
}

// ConsultationsQuery is includeConsultations: at most one of the two
// parts is set.
type ConsultationsQuery struct {
	SearchPeriod DatePeriod // consultationSearchPeriod; zero: no limit
	MostRecent   int        // includeNumberOfMostRecent; 0: no limit
}

// ProblemsQuery is includeProblems.
type ProblemsQuery struct {
	Status       string // filterStatus: "", "active" or "inactive"
	Significance string // filterSignificance (1.5): "", "major" or "minor"
}

// ImmunisationsQuery is includeImmunisations.
type ImmunisationsQuery struct {
	IncludeNotGiven bool // default false
	IncludeStatus   bool // default true (renamed from includeDissentConsent)
}

// PeriodQuery is an area whose only part is a search period.
type PeriodQuery struct {
	Period DatePeriod // zero: no limit
}

// DiaryQuery is includeDiaryEntries.
type DiaryQuery struct {
	SearchDate pcnhub.Date // diaryEntriesSearchDate, ≥ today; zero: no limit
}

// DatePeriod is a search period of whole dates, both ends inclusive. A
// zero end is open.
type DatePeriod struct {
	Start, End pcnhub.Date
}

// IsZero reports whether the period has neither end.
func (p DatePeriod) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// Warning is an unrecognised parameter or part of a
// $gpc.getstructuredrecord request (§3.4): one warning issue of the
// Bundle's OperationOutcome.
type Warning struct {
	Text        string // details.text: "<param> is an unrecognised parameter" or "<param>.<part> is an unrecognised parameter"
	Diagnostics string // the name: "<param>" or "<param>.<part>"
}

// MigrateQuery is a validated $gpc.migratestructuredrecord request.
type MigrateQuery struct {
	NHSNumber                   pcnhub.NHSNumber
	IncludeSensitiveInformation bool // includeFullRecord.includeSensitiveInformation, default true
}
