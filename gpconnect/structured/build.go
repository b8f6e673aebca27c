package structured

import (
	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// Subject is who and where an answer is about, resolved by the provider
// before building: the Patient resource (id, meta and the references to
// Practice and UsualGP already set), the registered practice, and the
// usual GP with their roles. UsualGP may be nil.
type Subject struct {
	Patient      *fhir.Patient
	Practice     *fhir.Organization
	UsualGP      *fhir.Practitioner
	UsualGPRoles []*fhir.PractitionerRole
}

// Directory resolves the people and organisations a record names, keyed
// as the record names them: practitioners by record.Clinician.PractitionerID,
// organisations by ODS code. A name the directory lacks is answered from
// what the record itself holds (record.Clinician.Name).
type Directory struct {
	Practitioners map[string]*fhir.Practitioner
	Roles         map[string][]*fhir.PractitionerRole
	Organizations map[pcnhub.ODSCode]*fhir.Organization
}

// Options are the circumstances of one answer.
type Options struct {
	// Today is the Europe/London date of the request. It is the date of
	// every List, so that an answer depends on nothing but its inputs.
	Today pcnhub.Date
	// Disabled are the area parameters (e.g. "includeImmunisations") the
	// practice has switched off: each gets a "<param> has been disabled"
	// warning and no data (§3.4).
	Disabled []string
	// Warnings are the unrecognised parameters the parser found (§3.4).
	Warnings []Warning
}

// Build answers $gpc.getstructuredrecord: the collection Bundle of §3.2
// for the areas q asks for, from the patient's whole record (Build
// applies the confidentiality rules of §3.3 and the query's filters
// itself).
//
// The Bundle holds the Patient, the practice, the usual GP and their
// PractitionerRole (none when they have several: §3.2 known issue); an
// OperationOutcome with one warning per unrecognised parameter and per
// disabled area; for each area asked for and not disabled, its primary
// List and the resources it lists; the secondary Lists of the items that
// come in only through a problem or consultation (§3.2); every
// Practitioner, PractitionerRole, Organization and Location those
// resources name, each once. Every reference in it resolves to an entry
// (or, for the ended allergies, to a contained resource).
//
// Filters (§3.1), on the items that may be shared:
//   - allergies: the active ones; with includeResolvedAllergies the ended
//     ones too, contained in the "Ended allergies" List;
//   - medication: the courses record.MedicationActiveFrom returns for
//     medicationSearchFromDate, each with its MedicationStatement, its
//     authorisation (MedicationRequest intent plan), its issues
//     (MedicationRequest intent order; all of them, unless
//     includePrescriptionIssues is false) and its Medication, one per drug;
//   - consultations: those whose date (start, else end, else record
//     date; both ends when known) meets consultationSearchPeriod, or the
//     includeNumberOfMostRecent latest (by that date, unknown dates last),
//     each as an Encounter with its consultation, topic and category Lists
//     and everything they list;
//   - problems: by filterStatus and filterSignificance, with what they
//     link (problems, consultations as their Encounter, items);
//   - immunisations: those given; not given with includeNotGiven; status
//     records (as Observations) with includeStatus;
//   - uncategorised data, investigations (by effective date, else issue
//     date), referrals: whose date meets the search period;
//   - diary entries: due on or before diaryEntriesSearchDate.
//
// Unknown dates always match; partial dates match as their whole year or
// month (record.PartialDate.Overlaps). Whatever an item brings in through
// a link is complete: an investigation with its results and specimens, a
// medication with its authorisation, issues and drug, and the people
// they name. A problem linked to an item of a primary List, or named by a
// returned consultation, comes in too, in the List "problems - linked
// problems not relating to the primary query", whatever the areas asked.
//
// A disabled area has no List at all (§3.4 makes an empty one optional),
// and its items are not brought in by links either.
//
// Warnings (§3.3): every List of an area from which an item was withheld
// (record.Shareable) carries confidential-items and/or
// data-awaiting-filing; a secondary List carries them when a returned
// problem or consultation lost a link to an item of its area; with
// Record.InTransit every primary and secondary List carries
// data-in-transit. The consultation structure Lists carry none. A List
// with no entries has emptyReason no-content-recorded.
//
// The resources given in sub and dir go into the Bundle as they are, but
// for any reference among them that the Bundle cannot resolve, which is
// removed from a copy (e.g. a Patient's preferred branch surgery Location
// the directory does not hold); the given ones they reference come too.
//
// Ids are deterministic (the same record and query give the same
// Bundle, byte for byte): an item id that is a valid FHIR id is its
// resource's id; any other is sanitised and hashed. Resources of one
// Bundle share their immutable parts (meta, fixed codings, references to
// the Patient and practitioners): treat the Bundle as read-only.
//
// Build returns EINTERNAL when the Subject has no Patient (with an id) or
// no practice, and EINVALID when q is nil.
func Build(rec *record.Record, q *Query, sub Subject, dir Directory, opt Options) (*fhir.Bundle, error) {
	if q == nil {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "structured: no query")
	}
	if rec == nil {
		rec = &record.Record{}
	}
	shared, w := rec.Shareable()
	return build(rec, shared, w, q, sub, dir, opt)
}

// Migrate answers $gpc.migratestructuredrecord: every area in full
// (ended allergies, prescription issues, immunisations not given and
// status records included). With includeSensitive, confidential items are
// kept; without, they are withheld as Build withholds them. Items
// awaiting filing are never sent.
//
// The Bundle is shaped as Build shapes it, for a query asking for every
// area with no filter. The practice's clinical-area switches do not apply
// to a migration (§3.3), so opt.Disabled is ignored. Errors as Build.
func Migrate(rec *record.Record, includeSensitive bool, sub Subject, dir Directory, opt Options) (*fhir.Bundle, error) {
	if rec == nil {
		rec = &record.Record{}
	}
	src := rec
	if includeSensitive {
		src = rec.Disclosed()
	}
	shared, w := src.Shareable()
	opt.Disabled = nil
	return build(src, shared, w, fullQuery(rec.NHSNumber), sub, dir, opt)
}

// fullQuery asks for every area in full.
func fullQuery(nhs pcnhub.NHSNumber) *Query {
	return &Query{
		NHSNumber:      nhs,
		Allergies:      &AllergiesQuery{IncludeResolved: true},
		Medication:     &MedicationQuery{IncludePrescriptionIssues: true},
		Consultations:  &ConsultationsQuery{},
		Problems:       &ProblemsQuery{},
		Immunisations:  &ImmunisationsQuery{IncludeNotGiven: true, IncludeStatus: true},
		Uncategorised:  &PeriodQuery{},
		Investigations: &PeriodQuery{},
		Referrals:      &PeriodQuery{},
		DiaryEntries:   &DiaryQuery{},
	}
}

func build(src, rec *record.Record, w record.Withholdings, q *Query, sub Subject, dir Directory, opt Options) (*fhir.Bundle, error) {
	if sub.Patient == nil || sub.Patient.ID == "" {
		return nil, pcnhub.Errorf(pcnhub.EINTERNAL, "structured: the subject has no Patient id")
	}
	if sub.Practice == nil || sub.Practice.ID == "" {
		return nil, pcnhub.Errorf(pcnhub.EINTERNAL, "structured: the subject has no practice")
	}
	b := newBuilder(src, rec, w, q, sub, dir, opt)
	b.index()
	b.selectItems()
	b.header()
	b.emit()
	return b.bundle(), nil
}
