package gpconnect

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/structured"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/schedule"
)

// Access Record Structured 1.6 at /{ODS}/STU3/1/gpconnect/structured
// (§3). The answers are built by package structured from the patient's
// clinical record; this file finds the patient, applies the patient rules
// of §3.3 and the practice's clinical-area switches, and resolves the
// people and organisations the record names.

// Interaction ids of Access Record Structured (§1.5).
const (
	IDStructuredMetadata      = "urn:nhs:names:services:gpconnect:structured:fhir:rest:read:metadata-1"
	IDGetStructuredRecord     = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1"
	IDMigrateStructuredRecord = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1"
)

// StructuredSpecVersion is the Access Record Structured version served.
const StructuredSpecVersion = "1.6.0"

// structuredRoot is the routing segment of the structured service root,
// relative to the Foundations root.
const structuredRoot = "structured/"

// Operation definitions of the structured CapabilityStatement.
const (
	operationGetStructured     = "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-GetStructuredRecord-Operation-1"
	operationMigrateStructured = "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-MigrateStructuredRecord-Operation-1"
)

// StructuredAreaSwitch names the switch of one clinical area of Access
// Record Structured, by the parameter that asks for it (e.g.
// "structured:includeImmunisations"). Unlike the capability switches, an
// area is on unless its switch is set off (§6: per-area switches refine
// the Structured one).
func StructuredAreaSwitch(param string) string { return CapStructured + ":" + param }

// StructuredAreaParams are the clinical area parameters of
// $gpc.getstructuredrecord, each with its own switch.
var StructuredAreaParams = slices.Sorted(maps.Keys(structuredAreas))

// structuredMetadata answers GET structured/metadata (§3.5).
func (p *Provider) structuredMetadata(rq *request) (*response, error) {
	cs := p.capabilityStatement(rq.practice)
	cs.Version = StructuredSpecVersion
	cs.Name = "GP Connect Access Record Structured"
	cs.Description = "GP Connect Access Record Structured " + StructuredSpecVersion + " for " + rq.practice.Name + " (" + string(rq.practice.ODS) + ")"
	cs.Profile = nil
	for _, pr := range []string{fhir.ProfileStructuredRecordBundle, fhir.ProfilePatient, fhir.ProfileOrganization,
		fhir.ProfilePractitioner, fhir.ProfilePractitionerRole, fhir.ProfileLocation, fhir.ProfileOperationOutcome,
		fhir.ProfileAllergyIntolerance, fhir.ProfileMedication, fhir.ProfileMedicationStatement,
		fhir.ProfileMedicationRequest, fhir.ProfileList} {
		cs.Profile = append(cs.Profile, fhir.Reference{Reference: pr})
	}
	rest := &cs.Rest[0]
	rest.Resource = []fhir.CapabilityStatementRestResource{}
	rest.Operation = []fhir.CapabilityStatementRestOperation{
		{Name: "gpc.getstructuredrecord", Definition: &fhir.Reference{Reference: operationGetStructured}},
		{Name: "gpc.migratestructuredrecord", Definition: &fhir.Reference{Reference: operationMigrateStructured}},
	}
	return &response{resource: cs, etag: ""}, nil
}

// getStructuredRecord answers POST structured/Patient/$gpc.getstructuredrecord.
func (p *Provider) getStructuredRecord(rq *request) (*response, error) {
	params, err := p.structuredParameters(rq)
	if err != nil {
		return nil, err
	}
	today := pcnhub.DateOf(p.Clock.Now().In(pcnhub.London))
	q, warnings, err := ParseStructuredQuery(params, today)
	if err != nil {
		return nil, err
	}
	rq.patient = q.NHSNumber
	pt, rec, err := p.sharedPatient(rq, q.NHSNumber, today, -1) // Structured: deceased → 404 (§3.3)
	if err != nil {
		return nil, err
	}
	switches, err := p.Store.GPConnectSwitches(rq.ctx, rq.practice.ID)
	if err != nil {
		return nil, err
	}
	var disabled []string
	for _, param := range StructuredAreaParams {
		if on, set := switches[StructuredAreaSwitch(param)]; set && !on && asked(q, param) {
			disabled = append(disabled, param)
		}
	}
	sub, dir, err := p.structuredSubject(rq, pt, rec)
	if err != nil {
		return nil, err
	}
	b, err := structured.Build(rec, q, sub, dir, structured.Options{Today: today, Disabled: disabled, Warnings: warnings})
	if err != nil {
		return nil, err
	}
	return &response{resource: b}, nil
}

// asked reports whether the query asks for the area of a parameter.
func asked(q *StructuredQuery, param string) bool {
	switch param {
	case paramAllergies:
		return q.Allergies != nil
	case paramMedication:
		return q.Medication != nil
	case paramConsultations:
		return q.Consultations != nil
	case paramProblems:
		return q.Problems != nil
	case paramImmunisations:
		return q.Immunisations != nil
	case paramUncategorised:
		return q.Uncategorised != nil
	case paramInvestigations:
		return q.Investigations != nil
	case paramReferrals:
		return q.Referrals != nil
	case paramDiaryEntries:
		return q.DiaryEntries != nil
	}
	return false
}

// migrateStructuredRecord answers POST
// structured/Patient/$gpc.migratestructuredrecord (§3.3): the whole
// record for the practice the patient has moved to. The requester must be
// the patient's registered practice on the demographic register (403
// NO_RELATIONSHIP); the clinical-area switches do not apply.
func (p *Provider) migrateStructuredRecord(rq *request) (*response, error) {
	params, err := p.structuredParameters(rq)
	if err != nil {
		return nil, err
	}
	q, err := ParseMigrateQuery(params, rq.claims.Scope+" "+rq.claims.Confidentiality)
	if err != nil {
		return nil, err
	}
	rq.patient = q.NHSNumber
	person, err := p.Store.PersonByNHSNumber(rq.ctx, q.NHSNumber)
	switch {
	case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
		return nil, spineError(SpinePatientNotFound, "no patient with NHS number %s is on the demographic register", q.NHSNumber)
	case err != nil:
		return nil, err
	case person.GPPractice != rq.claims.OrganisationODS:
		return nil, spineError(SpineNoRelationship, "the requesting organisation %s is not the patient's registered practice", rq.claims.OrganisationODS)
	}
	pt, rec, err := p.migratingPatient(rq, q.NHSNumber)
	if err != nil {
		return nil, err
	}
	sub, dir, err := p.structuredSubject(rq, pt, rec)
	if err != nil {
		return nil, err
	}
	today := pcnhub.DateOf(p.Clock.Now().In(pcnhub.London))
	b, err := structured.Migrate(rec, q.IncludeSensitiveInformation, sub, dir, structured.Options{Today: today})
	if err != nil {
		return nil, err
	}
	return &response{resource: b}, nil
}

// structuredParameters reads and decodes a Parameters body in its
// Content-Type's format.
func (p *Provider) structuredParameters(rq *request) (*fhir.Parameters, error) {
	format, err := bodyFormat(rq.r)
	if err != nil {
		return nil, err
	}
	body, err := readBody(rq.r)
	if err != nil {
		return nil, err
	}
	return DecodeStructuredParameters(format, body)
}

// sharedPatient finds the patient of an access-record request and their
// record (§3.3, §4): unknown, not GMS-registered here, sensitive,
// superseded, merged, not on the demographic register (the NHS number is
// not "present and verified"), inactive, or deceased → 404
// PATIENT_NOT_FOUND, never saying which; dissent from sharing → 403
// NO_PATIENT_CONSENT. A deceased patient's record is still shared for
// deceasedDays after death (negative: never) if they were registered here
// when they died. A patient with no record yet has an empty one; a
// patient whose record is in transit (GP2GP) has it marked so.
func (p *Provider) sharedPatient(rq *request, nhs pcnhub.NHSNumber, today pcnhub.Date, deceasedDays int) (*pcnhub.Patient, *record.Record, error) {
	notFound := spineError(SpinePatientNotFound, "no patient with NHS number %s whose record %s can share", nhs, rq.practice.ODS)
	pt, err := p.Store.PatientByNHSNumber(rq.ctx, rq.practice.ID, nhs)
	if err != nil {
		if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			return nil, nil, err
		}
		return nil, nil, notFound
	}
	if pt.Sensitive || pt.Registration.Type != pcnhub.RegGMS || pt.SupersededBy != "" || pt.MergedInto != "" {
		return nil, nil, notFound
	}
	if pt.Deceased() {
		reg := pt.Registration
		atDeath := reg.End.IsZero() || !reg.End.Before(pt.DeceasedDate)
		if deceasedDays < 0 || !atDeath || pt.DeceasedDate.AddDays(deceasedDays).Before(today) {
			return nil, nil, notFound
		}
	} else if pt.Registration.Status != pcnhub.RegActive {
		return nil, nil, notFound
	}
	if _, err := p.Store.PersonByNHSNumber(rq.ctx, nhs); err != nil {
		if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			return nil, nil, err
		}
		return nil, nil, notFound
	}
	if pt.DissentFromSharing {
		return nil, nil, spineError(SpineNoPatientConsent, "the patient has dissented from sharing their record")
	}
	rec, err := p.patientRecord(rq.ctx, pt, rq.practice.ODS)
	return pt, rec, err
}

// migratingPatient finds the patient of a migrate request: the practice
// must hold a GMS record for them (active or ended by the move), not
// sensitive; dissent does not stop a migration, which is the record
// following the patient.
func (p *Provider) migratingPatient(rq *request, nhs pcnhub.NHSNumber) (*pcnhub.Patient, *record.Record, error) {
	pt, err := p.Store.PatientByNHSNumber(rq.ctx, rq.practice.ID, nhs)
	if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
		return nil, nil, err
	}
	if err != nil || pt.Sensitive || pt.Registration.Type != pcnhub.RegGMS || pt.SupersededBy != "" || pt.MergedInto != "" {
		return nil, nil, spineError(SpinePatientNotFound, "no patient with NHS number %s whose record %s can share", nhs, rq.practice.ODS)
	}
	rec, err := p.patientRecord(rq.ctx, pt, rq.practice.ODS)
	return pt, rec, err
}

func (p *Provider) patientRecord(ctx context.Context, pt *pcnhub.Patient, ods pcnhub.ODSCode) (*record.Record, error) {
	rec, err := p.Store.ClinicalRecord(ctx, pt.ID)
	switch {
	case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND && p.RecordFallback != nil:
		rec = p.RecordFallback(ods, pt)
	case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
		rec = &record.Record{NHSNumber: pt.NHSNumber, PracticeODS: ods}
	case err != nil:
		return nil, err
	}
	rec.InTransit = rec.InTransit || pt.InTransit
	return rec, nil
}

// structuredSubject resolves the Patient, the practice and everyone the
// record names. A clinician id of digits is a local practitioner id;
// anything else an SDS user id. Names the store does not know are left to
// the builder, which answers them from the record.
func (p *Provider) structuredSubject(rq *request, pt *pcnhub.Patient, rec *record.Record) (structured.Subject, structured.Directory, error) {
	patient := p.patientResource(rq, pt)
	practiceRef := ref("Organization", rq.practice.ID)
	patient.GeneralPractitioner = []fhir.Reference{*practiceRef}
	sub := structured.Subject{Patient: patient, Practice: organizationResource(rq.practice)}
	dir := structured.Directory{
		Practitioners: map[string]*fhir.Practitioner{},
		Roles:         map[string][]*fhir.PractitionerRole{},
		Organizations: map[pcnhub.ODSCode]*fhir.Organization{rq.practice.ODS: sub.Practice},
	}
	people, orgs := rec.Clinicians()
	for _, id := range people {
		pr, err := p.clinician(rq.ctx, id)
		if err != nil {
			return sub, dir, err
		}
		if pr == nil {
			continue
		}
		dir.Practitioners[id] = practitionerResource(pr)
		if role := practitionerRole(pr, rq.practice.ID); role != nil {
			dir.Roles[id] = []*fhir.PractitionerRole{role}
		}
	}
	for _, ods := range orgs {
		if _, ok := dir.Organizations[ods]; ok {
			continue
		}
		o, err := p.Store.OrganisationByODS(rq.ctx, ods)
		switch {
		case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
			continue
		case err != nil:
			return sub, dir, err
		}
		dir.Organizations[ods] = organizationResource(o)
	}
	return sub, dir, nil
}

// clinician finds a practitioner a record names; nil when unknown or
// ambiguous.
func (p *Provider) clinician(ctx context.Context, id string) (*pcnhub.Practitioner, error) {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && !strings.HasPrefix(id, "0") {
		pr, err := p.Store.PractitionerByID(ctx, n)
		if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
			return nil, nil
		}
		return pr, err
	}
	prs, err := p.Store.PractitionersBySDSUserIDAnywhere(ctx, id)
	if err != nil || len(prs) != 1 {
		return nil, err
	}
	return prs[0], nil
}

// practitionerRole is a practitioner's role at their organisation, from
// their SDS job role; nil when none is recorded.
func practitionerRole(pr *pcnhub.Practitioner, practiceID int64) *fhir.PractitionerRole {
	if pr.JobRoleCode == "" {
		return nil
	}
	role := &fhir.PractitionerRole{
		ID:           "role-" + idOf(pr.ID),
		Meta:         meta(fhir.ProfilePractitionerRole, "1"),
		Practitioner: ref("Practitioner", pr.ID),
		Code: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CodeSystemSDSJobRoleName,
			Code: pr.JobRoleCode, Display: schedule.JobRoleDisplays[pr.JobRoleCode]}}}},
	}
	if pr.OrganisationID == practiceID { // the one organisation the Bundle surely holds
		role.Organization = ref("Organization", pr.OrganisationID)
	}
	return role
}
