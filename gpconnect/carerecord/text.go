package carerecord

// The words of the HTML views. The NHS Access Record HTML 0.7.4 view pages
// (accessrecord_view_*.md) were not available when this was written: the
// section titles and table ids come from the reference (§4), but every
// banner text, subsection title, column heading and fixed fragment below
// is our own choice — UNVERIFIED against 0.7.4 — written as a GP would
// expect to read it. Change them here only.

// Banner texts (each is the <p> of a <div class="…-banner">).
const (
	// date-banner, section level, no timePeriod.
	textAllItems = "All relevant items"
	// date-banner, section level: "Data items between 01-Jan-2020 and 31-Dec-2020".
	textBetween   = "Data items between "
	textBetweenTo = " and "
	// date-banner, start only: "Data items from 01-Jan-2020".
	textFrom = "Data items from "
	// date-banner, end only: "Data items until 31-Dec-2020".
	textUntil = "Data items until "
	// date-banner on a subsection the requested period does not filter.
	textFilterNotApplied = "Date filter not applied"
	// date-banner on the fixed 12-month window of acute medication:
	// "Data items in the last 12 months, between 06-Mar-2023 and 05-Mar-2024".
	textLast12Months = "Data items in the last 12 months, between "
	// exclusion-banner.
	textExclusion = "Items excluded due to confidentiality and/or patient preferences."
	// gptransfer-banner.
	textTransfer = "Patient record transfer from previous GP practice not yet complete; information recorded before the transfer may be missing."
	// content-banner when items received but not yet filed were left out.
	textAwaitingFiling = "Some information has been received by the practice but not yet filed in the record; it is not shown."
)

// Fixed fragments.
const (
	// "No 'Active Problems and Issues' data is recorded for this patient."
	textNoDataPre  = "No '"
	textNoDataPost = "' data is recorded for this patient."
	// A subsection the system cannot technically provide.
	textNotProvidedPre  = "'"
	textNotProvidedPost = "' data cannot be provided by this system."
	// Cell text for a date that was not recorded.
	textUnknownDate = "Unknown"
)

// Subsection titles (<h2>). Single-table sections (ENC, CLI, REF, OBS,
// IMM, ADM) have no <h2>; their empty fragment uses the section title.
const (
	titleActiveProblems      = "Active Problems and Issues"
	titleMajorInactive       = "Major Inactive Problems and Issues"
	titleOtherInactive       = "Other Inactive Problems and Issues"
	titleCurrentAllergies    = "Current Allergies and Adverse Reactions"
	titleHistoricalAllergies = "Historical Allergies and Adverse Reactions"
	titleAcuteMedication     = "Acute Medication (Last 12 Months)"
	titleCurrentRepeats      = "Current Repeat Medication"
	titleDiscontinued        = "Discontinued Repeat Medication"
	titleAllMedication       = "All Medication"
	titleAllIssues           = "All Medication Issues"
	titleLastEncounters      = "Last 3 Encounters"
	titleEmergencyCodes      = "Emergency Codes"
)

// Table ids, as mandated (§4).
const (
	idEncounters        = "enc-tab"
	idProblemsActive    = "prb-tab-act"
	idProblemsMajInact  = "prb-tab-majinact"
	idProblemsOthInact  = "prb-tab-othinact"
	idAllergiesCurrent  = "all-tab-curr"
	idAllergiesHist     = "all-tab-hist"
	idMedAcute          = "med-tab-acu-med"
	idMedCurrentRepeat  = "med-tab-curr-rep"
	idMedDiscontinued   = "med-tab-dis-rep"
	idMedAll            = "med-tab-all-sum"
	idMedAllIssues      = "med-tab-all-iss"
	idClinicalItems     = "cli-tab"
	idObservations      = "obs-tab"
	idImmunisations     = "imm-tab"
	idReferrals         = "ref-tab"
	idAdministrative    = "adm-tab"
	classDateColumn     = "date-column"
	classMedItemColumn  = "med-item-column"
	classContentBanner  = "content-banner"
	classDateBanner     = "date-banner"
	classExclusion      = "exclusion-banner"
	classGPTransfer     = "gptransfer-banner"
	lastEncountersCount = 3
)

// column is a table column: its heading and the class of its cells.
type column struct {
	head  string
	class string // "", classDateColumn or classMedItemColumn
}

func dateCol(head string) column { return column{head, classDateColumn} }
func col(head string) column     { return column{head, ""} }

var medItem = column{"Medication Item", classMedItemColumn}

// Column sets of each table (UNVERIFIED).
var (
	colsEncounters      = []column{dateCol("Date"), col("Title"), col("Clinician"), col("Location"), col("Details")}
	colsProblemsActive  = []column{dateCol("Start Date"), col("Entry"), col("Significance"), col("Details")}
	colsProblemsInact   = []column{dateCol("Start Date"), dateCol("End Date"), col("Entry"), col("Significance"), col("Details")}
	colsAllergiesCurr   = []column{dateCol("Start Date"), col("Entry"), col("Details")}
	colsAllergiesHist   = []column{dateCol("Start Date"), dateCol("End Date"), col("Entry"), col("Details")}
	colsMedAcute        = []column{col("Type"), dateCol("Start Date"), medItem, col("Dosage Instruction"), col("Quantity"), dateCol("Scheduled End Date"), col("Days Duration"), col("Additional Information")}
	colsMedCurrent      = []column{col("Type"), dateCol("Start Date"), medItem, col("Dosage Instruction"), col("Quantity"), dateCol("Last Issued Date"), col("Number of Prescriptions Issued"), col("Max Issues"), dateCol("Review Date"), col("Additional Information")}
	colsMedDiscontinued = []column{col("Type"), dateCol("Last Issued Date"), medItem, col("Dosage Instruction"), col("Quantity"), dateCol("Discontinued Date"), col("Discontinuation Reason"), col("Additional Information")}
	colsMedAll          = []column{col("Type"), dateCol("Start Date"), medItem, col("Dosage Instruction"), col("Quantity"), dateCol("Last Issued Date"), col("Number of Prescriptions Issued"), col("Discontinuation Details"), col("Additional Information")}
	colsMedIssues       = []column{col("Type"), dateCol("Issue Date"), medItem, col("Dosage Instruction"), col("Quantity"), col("Days Duration"), col("Additional Information")}
	colsClinicalItems   = []column{dateCol("Date"), col("Entry"), col("Details")}
	colsObservations    = []column{dateCol("Date"), col("Entry"), col("Value"), col("Details")}
	colsImmunisations   = []column{dateCol("Date"), col("Vaccination"), col("Part"), col("Details")}
	colsReferrals       = []column{dateCol("Date"), col("From"), col("To"), col("Priority"), col("Details")}
	colsAdministrative  = []column{dateCol("Date"), col("Entry"), col("Details")}
)

// Words inside cells (UNVERIFIED).
const (
	textAcute               = "Acute"
	textRepeat              = "Repeat"
	textRepeatDispensing    = "Repeat dispensing"
	textPrescribedElsewhere = "Prescribed elsewhere"
	textNoKnownAllergies    = "No known allergies"
	textMajor               = "Major"
	textMinor               = "Minor"
	textDose                = "Dose "
	textNotGiven            = "Not given"
	textReason              = "Reason: "
	textReaction            = "Reaction: "
	textSubstance           = "Substance: "
	textCategory            = "Category: "
	textEnded               = "Ended"
	textStatus              = "Status: "
	textRange               = "Range: "
	textInterpretation      = "Interpretation: "
	textComment             = "Comment: "
	textPerformer           = "Performed by: "
	textRequester           = "Requested by: "
	textBatch               = "Batch: "
	textSite                = "Site: "
	textRoute               = "Route: "
	textGivenBy             = "Given by: "
	textType                = "Type: "
	textPatientNote         = "Patient note: "
	textNote                = "Note: "
	textSpecimen            = "Specimen: "
	textLaboratory          = "Laboratory: "
	textInvestigation       = "Investigation report"
	textFilingComment       = "Filing comment"
	textDiaryEntry          = "Diary entry"
	textDocument            = "Document"
	textCustodian           = "Held by: "
	textPrescriber          = "Prescriber: "
	textStopped             = "Stopped"
	textCompleted           = "Completed"
	textRelatedProblems     = "Related problems: "
	textUnknownEntry        = "(no description)"
)
