package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
)

// JWT requested_scope values of the patient interactions (gpconnect.md §1.3).
const (
	scopePatientRead  = "patient/*.read"
	scopePatientWrite = "patient/*.write"
)

// FindPatient finds the patient with an NHS number at the provider (GET
// [base]/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}, the
// pipe percent-encoded; gpconnect.md §1.10). It returns (nil, nil) when
// the provider holds no active record for the number (an empty
// searchset), and an error when it answers more than one Patient or a
// Patient with another NHS number. An invalid NHS number is refused here,
// without a call.
func (c *Client) FindPatient(ctx context.Context, ep Endpoint, nhs pcnhub.NHSNumber) (*fhir.Patient, error) {
	n, err := pcnhub.ParseNHSNumber(string(nhs))
	if err != nil {
		return nil, err
	}
	q := "identifier=" + url.QueryEscape(fhir.SystemNHSNumber+"|"+string(n))
	resp, err := c.do(ctx, http.MethodGet, ep, "/Patient", q, gpconnect.IDSearchPatient, scopePatientRead, nil)
	if err != nil {
		return nil, err
	}
	b, err := decodeBundle(resp, "find patient")
	if err != nil {
		return nil, err
	}
	pts := entries[*fhir.Patient](b)
	switch len(pts) {
	case 0:
		return nil, nil
	case 1:
	default:
		return nil, fmt.Errorf("gpconnect find patient: the provider answered %d patients for one NHS number", len(pts))
	}
	if got := NHSNumberOf(pts[0]); got != n {
		return nil, fmt.Errorf("gpconnect find patient: asked for NHS number %s, the provider answered a patient with %q", n.Masked(), got.Masked())
	}
	return pts[0], nil
}

// NHSNumberOf is the NHS number identifier of a Patient, or "".
func NHSNumberOf(p *fhir.Patient) pcnhub.NHSNumber {
	if p == nil {
		return ""
	}
	for _, id := range p.Identifier {
		if id.System == fhir.SystemNHSNumber {
			return pcnhub.NHSNumber(id.Value)
		}
	}
	return ""
}

// RegisterRequest is a temporary registration ($gpc.registerpatient,
// gpconnect.md §1.10). NHSNumber, Family, Given and BirthDate are
// required; the provider traces them on PDS. The rest is optional.
type RegisterRequest struct {
	NHSNumber pcnhub.NHSNumber
	Family    string
	Given     []string
	Prefix    string        // "" = not sent
	Gender    pcnhub.Gender // "" = not sent (the specification says SHOULD)
	BirthDate pcnhub.Date
	// Address is sent as the one home address when not zero.
	Address pcnhub.Address
	// Telecom: at most one per system and use (one home, work and mobile
	// phone, one email).
	Telecom []pcnhub.ContactPoint
}

// RegisterPatient registers a patient temporarily at the provider (POST
// [base]/Patient/$gpc.registerpatient with a Parameters body holding one
// registerPatient CareConnect-GPC-Patient-1) and returns the registered
// Patient from the answer's searchset Bundle. A patient already
// registered is 409 DUPLICATE_REJECTED; a failed PDS trace 400
// INVALID_PATIENT_DEMOGRAPHICS. It is never retried.
func (c *Client) RegisterPatient(ctx context.Context, ep Endpoint, r RegisterRequest) (*fhir.Patient, error) {
	params, err := RegisterParameters(r)
	if err != nil {
		return nil, err
	}
	body, err := fhir.Marshal(fhir.JSON, params)
	if err != nil {
		return nil, fmt.Errorf("gpconnect register patient: %w", err)
	}
	resp, err := c.do(ctx, http.MethodPost, ep, "/Patient/$gpc.registerpatient", "", gpconnect.IDRegisterPatient, scopePatientWrite, body)
	if err != nil {
		return nil, err
	}
	b, err := decodeBundle(resp, "register patient")
	if err != nil {
		return nil, err
	}
	pts := entries[*fhir.Patient](b)
	if len(pts) != 1 {
		return nil, fmt.Errorf("gpconnect register patient: the answer holds %d patients, want 1", len(pts))
	}
	want := NHSNumberOf(params.Parameter[0].Resource.(*fhir.Patient))
	if got := NHSNumberOf(pts[0]); got != want {
		return nil, fmt.Errorf("gpconnect register patient: registered NHS number %s, the provider answered %q", want.Masked(), got.Masked())
	}
	return pts[0], nil
}

// RegisterParameters is the body of a registration: Parameters with the
// single parameter registerPatient, a Patient with the NHS number, one
// official name, gender, birth date, and the home address and telecom
// when given. Nothing the operation forbids is sent.
func RegisterParameters(r RegisterRequest) (*fhir.Parameters, error) {
	n, err := pcnhub.ParseNHSNumber(string(r.NHSNumber))
	if err != nil {
		return nil, err
	}
	var given []string
	for _, g := range r.Given {
		if g = strings.TrimSpace(g); g != "" {
			given = append(given, g)
		}
	}
	switch {
	case strings.TrimSpace(r.Family) == "" || len(given) == 0:
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "registration needs a family and a given name")
	case r.BirthDate.IsZero():
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "registration needs a birth date")
	}
	name := fhir.HumanName{Use: "official", Family: strings.TrimSpace(r.Family), Given: given}
	if p := strings.TrimSpace(r.Prefix); p != "" {
		name.Prefix = []string{p}
	}
	pt := &fhir.Patient{
		Meta:       &fhir.Meta{Profile: []string{fhir.ProfilePatient}},
		Identifier: []fhir.Identifier{{System: fhir.SystemNHSNumber, Value: string(n)}},
		Name:       []fhir.HumanName{name},
		Gender:     string(r.Gender),
		BirthDate:  fhir.NewDate(r.BirthDate.Year, r.BirthDate.Month, r.BirthDate.Day),
	}
	seen := map[string]bool{}
	for _, t := range r.Telecom {
		key := t.System + "/" + t.Use
		if seen[key] {
			return nil, pcnhub.Errorf(pcnhub.EINVALID, "registration may send one %s %s only", t.Use, t.System)
		}
		seen[key] = true
		pt.Telecom = append(pt.Telecom, fhir.ContactPoint{System: t.System, Value: t.Value, Use: t.Use})
	}
	if a := r.Address; !a.IsZero() {
		pt.Address = []fhir.Address{{Use: "home", Line: a.Lines, City: a.City, District: a.District, PostalCode: a.Postcode}}
	}
	return &fhir.Parameters{Parameter: []fhir.ParametersParameter{{Name: "registerPatient", Resource: pt}}}, nil
}

// decodeBundle decodes an answer that must be a Bundle.
func decodeBundle(resp *response, what string) (*fhir.Bundle, error) {
	res, err := decode(resp)
	if err != nil {
		return nil, err
	}
	b, ok := res.(*fhir.Bundle)
	if !ok {
		return nil, fmt.Errorf("gpconnect %s: got a %s, want a Bundle", what, res.ResourceType())
	}
	return b, nil
}

// entries are the resources of type T in a Bundle, in order.
func entries[T fhir.Resource](b *fhir.Bundle) []T {
	var out []T
	for _, e := range b.Entry {
		if r, ok := e.Resource.(T); ok {
			out = append(out, r)
		}
	}
	return out
}
