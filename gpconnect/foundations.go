package gpconnect

import (
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/spine"
)

// metadata answers the CapabilityStatement of the practice's service root.
func (p *Provider) metadata(rq *request) (*response, error) {
	return &response{resource: p.capabilityStatement(rq.practice)}, nil
}

// findable reports whether a patient record may be found or read over
// Foundations: an active registration (any type), not sensitive, not
// deceased, not superseded or merged (§1.10). Dissent is not applied to
// Foundations and Appointments.
func findable(pt *pcnhub.Patient) bool {
	return pt.Registration.Status == pcnhub.RegActive && !pt.Sensitive && !pt.Deceased() &&
		pt.SupersededBy == "" && pt.MergedInto == ""
}

// patientOfPractice loads a patient record of the practice by logical id
// for reads: 404 PATIENT_NOT_FOUND when unknown, of another practice, or
// not findable.
func (p *Provider) patientOfPractice(rq *request, id string) (*pcnhub.Patient, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, spineError(SpinePatientNotFound, "no patient with id %s", id)
	}
	pt, err := p.Store.PatientByID(rq.ctx, n)
	if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND || (err == nil && (pt.OrganisationID != rq.practice.ID || !findable(pt))) {
		return nil, spineError(SpinePatientNotFound, "no patient with id %s", id)
	}
	if err != nil {
		return nil, err
	}
	rq.patient = pt.NHSNumber
	return pt, nil
}

func (p *Provider) readPatient(rq *request) (*response, error) {
	pt, err := p.patientOfPractice(rq, rq.params["id"])
	if err != nil {
		return nil, err
	}
	return &response{resource: p.patientResource(rq, pt), etag: versionID(pt.Version), modified: pt.Updated}, nil
}

func (p *Provider) searchPatient(rq *request) (*response, error) {
	value, err := identifierParam(rq.r.URL.Query(), fhir.SystemNHSNumber)
	if err != nil {
		return nil, err
	}
	nhs, err := pcnhub.ParseNHSNumber(value)
	if err != nil {
		return nil, spineError(SpineInvalidNHSNumber, "%s", pcnhub.ErrorMessage(err))
	}
	rq.patient = nhs
	var found []fhir.Resource
	pt, err := p.Store.PatientByNHSNumber(rq.ctx, rq.practice.ID, nhs)
	switch {
	case err == nil && findable(pt):
		found = append(found, p.patientResource(rq, pt))
	case err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND:
		return nil, err
	}
	return &response{resource: searchset(rq, found...)}, nil
}

// registerPatient registers a patient temporarily after tracing them in
// the PDS-like register (§1.10): 200 with a searchset Bundle holding the
// Patient. Errors: 422 INVALID_RESOURCE for a bad body; 400
// INVALID_NHS_NUMBER, INVALID_PATIENT_DEMOGRAPHICS when the trace or
// verification fails; 409 DUPLICATE_REJECTED when already registered.
func (p *Provider) registerPatient(rq *request) (*response, error) {
	body, err := readBody(rq.r)
	if err != nil {
		return nil, err
	}
	format, _ := bodyFormat(rq.r)
	in, err := decodeRegisterPatient(format, body)
	if err != nil {
		return nil, err
	}
	rq.patient = in.NHSNumber
	reg := &spine.Register{Store: p.Store}
	stored, err := p.Store.PersonByNHSNumber(rq.ctx, in.NHSNumber)
	if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
		return nil, spineError(SpineInvalidDemographics, "the NHS number is not known to the demographic register")
	} else if err != nil {
		return nil, err
	}
	if stored.Invalidated || stored.SupersededBy != "" {
		return nil, spineError(SpineInvalidNHSNumber, "the NHS number has been superseded or invalidated on the demographic register")
	}
	person, err := reg.Retrieve(rq.ctx, in.NHSNumber)
	if err != nil {
		return nil, err
	}
	switch {
	case stored.Sensitive:
		return nil, spineError(SpineInvalidDemographics, "the patient's record is restricted (sensitive) on the demographic register")
	case !person.DeceasedDate.IsZero():
		return nil, spineError(SpineInvalidDemographics, "the demographic register records the patient as deceased")
	case person.BirthDate != in.BirthDate:
		return nil, spineError(SpineInvalidDemographics, "the birth date does not match the demographic register")
	case !strings.EqualFold(strings.TrimSpace(person.Name.Family), strings.TrimSpace(in.Name.Family)):
		return nil, spineError(SpineInvalidDemographics, "the family name does not match the demographic register")
	}

	existing, err := p.Store.PatientByNHSNumber(rq.ctx, rq.practice.ID, in.NHSNumber)
	if err == nil && existing.Registration.Status == pcnhub.RegActive {
		return nil, spineError(SpineDuplicateRejected, "the patient is already registered here")
	} else if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
		return nil, err
	}
	today := pcnhub.DateOf(p.Clock.Now().In(pcnhub.London))
	pt := pcnhub.Patient{
		OrganisationID: rq.practice.ID, NHSNumber: in.NHSNumber,
		Name: person.Name, BirthDate: person.BirthDate, Gender: person.Gender,
		Address: in.Address, Telecom: in.Telecom, Language: in.Language, InterpreterRequired: in.InterpreterRequired,
		Registration: pcnhub.Registration{Type: pcnhub.RegTemporary, Status: pcnhub.RegActive, Start: today},
	}
	if pt.Gender == "" {
		pt.Gender = in.Gender
	}
	if pt.Address.IsZero() {
		pt.Address = person.Address
	}
	if len(pt.Telecom) == 0 {
		pt.Telecom = person.Telecom
	}
	saved, err := p.Store.UpsertPatient(rq.ctx, &pt)
	if err != nil {
		return nil, err
	}
	return &response{resource: searchset(rq, p.patientResource(rq, saved))}, nil
}

func (p *Provider) readPractitioner(rq *request) (*response, error) {
	n, err := strconv.ParseInt(rq.params["id"], 10, 64)
	if err != nil {
		return nil, spineError(SpinePractitionerNotFound, "no practitioner with id %s", rq.params["id"])
	}
	pr, err := p.Store.PractitionerByID(rq.ctx, n)
	if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
		return nil, spineError(SpinePractitionerNotFound, "no practitioner with id %s", rq.params["id"])
	} else if err != nil {
		return nil, err
	}
	return &response{resource: practitionerResource(pr), etag: "1"}, nil
}

func (p *Provider) searchPractitioner(rq *request) (*response, error) {
	value, err := identifierParam(rq.r.URL.Query(), fhir.SystemSDSUserID)
	if err != nil {
		return nil, err
	}
	prs, err := p.Store.PractitionersBySDSUserIDAnywhere(rq.ctx, value)
	if err != nil {
		return nil, err
	}
	var found []fhir.Resource
	for _, pr := range prs {
		found = append(found, practitionerResource(pr))
	}
	return &response{resource: searchset(rq, found...)}, nil
}

func (p *Provider) readOrganization(rq *request) (*response, error) {
	n, err := strconv.ParseInt(rq.params["id"], 10, 64)
	if err != nil {
		return nil, spineError(SpineOrganisationNotFound, "no organisation with id %s", rq.params["id"])
	}
	o, err := p.Store.OrganisationByID(rq.ctx, n)
	if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
		return nil, spineError(SpineOrganisationNotFound, "no organisation with id %s", rq.params["id"])
	} else if err != nil {
		return nil, err
	}
	return &response{resource: organizationResource(o), etag: versionID(o.Updated.UnixMicro())}, nil
}

func (p *Provider) searchOrganization(rq *request) (*response, error) {
	value, err := identifierParam(rq.r.URL.Query(), fhir.SystemODSOrganization)
	if err != nil {
		return nil, err
	}
	ods, err := pcnhub.ParseODSCode(value)
	if err != nil || string(ods) != value {
		return nil, spineError(SpineInvalidParameter, "identifier value %q is not an ODS code", clipParam(value))
	}
	var found []fhir.Resource
	o, err := p.Store.OrganisationByODS(rq.ctx, ods)
	switch {
	case err == nil:
		found = append(found, organizationResource(o))
	case pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND:
		return nil, err
	}
	return &response{resource: searchset(rq, found...)}, nil
}

func (p *Provider) readLocation(rq *request) (*response, error) {
	if rq.params["id"] == visitLocationID {
		return &response{resource: visitLocation(rq.practice), etag: "1"}, nil
	}
	n, err := strconv.ParseInt(rq.params["id"], 10, 64)
	if err != nil {
		return nil, spineError(SpineNoRecordFound, "no location with id %s", rq.params["id"])
	}
	l, err := p.Store.LocationByID(rq.ctx, n)
	if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
		return nil, spineError(SpineNoRecordFound, "no location with id %s", rq.params["id"])
	} else if err != nil {
		return nil, err
	}
	org, err := p.Store.OrganisationByID(rq.ctx, l.OrganisationID)
	if err != nil {
		return nil, err
	}
	return &response{resource: locationResource(l, org), etag: "1"}, nil
}

// versionID renders a version number as a FHIR versionId.
func versionID(v int64) string { return strconv.FormatInt(v, 10) }
