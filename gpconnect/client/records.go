package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/carerecord"
	"github.com/pcnhub/pcnhub/gpconnect/structured"
)

// Access Record: Structured 1.6 ($gpc.getstructuredrecord, gpconnect.md
// §3) on the structured service root, and HTML 0.7 ($gpc.getcarerecord,
// §4) on the DSTU2 root. Both are POSTs that only read, and like every
// POST they are never retried.

// The areas of a structured record request, as package structured (and
// so our provider's parser) names them: a nil area is not asked for.
type (
	StructuredQuery    = structured.Query
	AllergiesQuery     = structured.AllergiesQuery
	MedicationQuery    = structured.MedicationQuery
	ConsultationsQuery = structured.ConsultationsQuery
	ProblemsQuery      = structured.ProblemsQuery
	ImmunisationsQuery = structured.ImmunisationsQuery
	PeriodQuery        = structured.PeriodQuery
	DiaryQuery         = structured.DiaryQuery
	DatePeriod         = structured.DatePeriod
)

// GetStructuredRecord reads a patient's record from a practice's
// structured service root (POST [base]/Patient/$gpc.getstructuredrecord,
// the root ending in /structured) and returns the Bundle and its raw JSON.
// q names the clinical areas; its NHSNumber may be left empty (nhs is
// sent). The provider checks the patient rules: dissent is 403
// NO_PATIENT_CONSENT, an unknown, sensitive or deceased patient 404
// PATIENT_NOT_FOUND, no data sharing agreement 403
// NO_ORGANISATIONAL_CONSENT, each a *ProviderError.
//
// An invalid NHS number, or a q naming another patient, is EINVALID with
// no call. The answer must hold a Patient with the NHS number asked for
// and no Patient with another one: a Bundle about someone else is an
// error, never a record.
func (c *Client) GetStructuredRecord(ctx context.Context, ep Endpoint, nhs pcnhub.NHSNumber, q *StructuredQuery) (*fhir.Bundle, []byte, error) {
	n, err := pcnhub.ParseNHSNumber(string(nhs))
	if err != nil {
		return nil, nil, err
	}
	var query StructuredQuery
	if q != nil {
		query = *q
	}
	if query.NHSNumber != "" && query.NHSNumber != n {
		return nil, nil, pcnhub.Errorf(pcnhub.EINVALID, "the query names another patient than %s", n.Masked())
	}
	query.NHSNumber = n
	body, err := fhir.Marshal(fhir.JSON, StructuredParameters(&query))
	if err != nil {
		return nil, nil, fmt.Errorf("gpconnect structured record: %w", err)
	}
	resp, err := c.do(ctx, http.MethodPost, ep, "/Patient/$gpc.getstructuredrecord", "", gpconnect.IDGetStructuredRecord, scopePatientRead, body)
	if err != nil {
		return nil, nil, err
	}
	b, err := decodeBundle(resp, "structured record")
	if err != nil {
		return nil, resp.body, err
	}
	var mine bool
	for _, pt := range entries[*fhir.Patient](b) {
		switch got := NHSNumberOf(pt); got {
		case n:
			mine = true
		case "":
		default:
			return nil, resp.body, fmt.Errorf("gpconnect structured record: asked for NHS number %s, the answer holds a patient with %s", n.Masked(), got.Masked())
		}
	}
	if !mine {
		return nil, resp.body, fmt.Errorf("gpconnect structured record: the answer holds no patient with NHS number %s", n.Masked())
	}
	return b, resp.body, nil
}

// StructuredParameters is the body of a $gpc.getstructuredrecord request
// (§3.1): patientNHSNumber, then one parameter per area asked for, with
// its parts. Parts at their default are not sent, except
// includeResolvedAllergies (1..1) and includePrescriptionIssues; zero
// dates and periods are not sent.
func StructuredParameters(q *StructuredQuery) *fhir.Parameters {
	p := &fhir.Parameters{Parameter: []fhir.ParametersParameter{{Name: "patientNHSNumber",
		ValueIdentifier: &fhir.Identifier{System: fhir.SystemNHSNumber, Value: string(q.NHSNumber)}}}}
	area := func(name string, parts ...fhir.ParametersParameter) {
		p.Parameter = append(p.Parameter, fhir.ParametersParameter{Name: name, Part: parts})
	}
	boolean := func(name string, v bool) fhir.ParametersParameter {
		return fhir.ParametersParameter{Name: name, ValueBoolean: fhir.Bool(v)}
	}
	date := func(name string, d pcnhub.Date) fhir.ParametersParameter {
		return fhir.ParametersParameter{Name: name, ValueDate: fhir.NewDate(d.Year, d.Month, d.Day)}
	}
	period := func(name string, dp DatePeriod) []fhir.ParametersParameter {
		if dp.IsZero() {
			return nil
		}
		v := &fhir.Period{}
		if !dp.Start.IsZero() {
			v.Start, _ = fhir.ParseDateTime(dp.Start.String())
		}
		if !dp.End.IsZero() {
			v.End, _ = fhir.ParseDateTime(dp.End.String())
		}
		return []fhir.ParametersParameter{{Name: name, ValuePeriod: v}}
	}
	if a := q.Allergies; a != nil {
		area("includeAllergies", boolean("includeResolvedAllergies", a.IncludeResolved))
	}
	if m := q.Medication; m != nil {
		parts := []fhir.ParametersParameter{boolean("includePrescriptionIssues", m.IncludePrescriptionIssues)}
		if !m.SearchFrom.IsZero() {
			parts = append(parts, date("medicationSearchFromDate", m.SearchFrom))
		}
		area("includeMedication", parts...)
	}
	if cq := q.Consultations; cq != nil {
		parts := period("consultationSearchPeriod", cq.SearchPeriod)
		if cq.MostRecent > 0 {
			n := cq.MostRecent
			parts = append(parts, fhir.ParametersParameter{Name: "includeNumberOfMostRecent", ValuePositiveInt: &n})
		}
		area("includeConsultations", parts...)
	}
	if pq := q.Problems; pq != nil {
		var parts []fhir.ParametersParameter
		if pq.Status != "" {
			parts = append(parts, fhir.ParametersParameter{Name: "filterStatus", ValueCode: pq.Status})
		}
		if pq.Significance != "" {
			parts = append(parts, fhir.ParametersParameter{Name: "filterSignificance", ValueCode: pq.Significance})
		}
		area("includeProblems", parts...)
	}
	if iq := q.Immunisations; iq != nil {
		var parts []fhir.ParametersParameter
		if iq.IncludeNotGiven {
			parts = append(parts, boolean("includeNotGiven", true))
		}
		if !iq.IncludeStatus {
			parts = append(parts, boolean("includeStatus", false))
		}
		area("includeImmunisations", parts...)
	}
	if u := q.Uncategorised; u != nil {
		area("includeUncategorisedData", period("uncategorisedDataSearchPeriod", u.Period)...)
	}
	if x := q.Investigations; x != nil {
		area("includeInvestigations", period("investigationSearchPeriod", x.Period)...)
	}
	if r := q.Referrals; r != nil {
		area("includeReferrals", period("referralSearchPeriod", r.Period)...)
	}
	if d := q.DiaryEntries; d != nil {
		var parts []fhir.ParametersParameter
		if !d.SearchDate.IsZero() {
			parts = append(parts, date("diaryEntriesSearchDate", d.SearchDate))
		}
		area("includeDiaryEntries", parts...)
	}
	return p
}

// OutcomeWarning is a warning issue of the OperationOutcome a structured
// record Bundle may hold (§3.4): a parameter the provider did not
// recognise, or a clinical area it has switched off.
type OutcomeWarning struct {
	Code        string // the Spine code, e.g. NOT_IMPLEMENTED
	Text        string // details.text: "includeAllergies has been disabled"
	Diagnostics string // the parameter: "includeAllergies"
}

// BundleWarnings are the warning issues of the OperationOutcomes in a
// structured record Bundle, in order.
func BundleWarnings(b *fhir.Bundle) []OutcomeWarning {
	var out []OutcomeWarning
	for _, oo := range entries[*fhir.OperationOutcome](b) {
		for _, is := range oo.Issue {
			if is.Severity != "warning" && is.Severity != "information" {
				continue
			}
			w := OutcomeWarning{Diagnostics: is.Diagnostics}
			if d := is.Details; d != nil {
				w.Text = d.Text
				if len(d.Coding) > 0 {
					w.Code = d.Coding[0].Code
				}
			}
			out = append(out, w)
		}
	}
	return out
}

// CareRecordSection is one section of a patient's record as Access Record
// HTML renders it: the Composition's one section.
type CareRecordSection struct {
	Code  string // the section code asked for, e.g. "SUM"
	Title string // e.g. "Summary"
	// XHTML is the section's text.div exactly as the provider sent it.
	// It comes from another organisation's system: sanitise it before
	// showing it.
	XHTML string
}

// GetCareRecord reads one section of a patient's record from a practice's
// Access Record HTML root (POST [base]/Patient/$gpc.getcarerecord, the
// root ending in /DSTU2/1/gpconnect) the way a 0.7 consumer does: a DSTU2
// token (TokenDSTU2), application/json+fhir both ways, a DSTU2 Parameters
// body with patientNHSNumber and recordSection. section is one of the ten
// codes of carerecord.Sections (SUM, ENC, CLI, PRB, ALL, MED, REF, OBS,
// IMM, ADM), upper case.
//
// Refusals are *ProviderError as for the other interactions (dissent 403
// NO_PATIENT_CONSENT, unknown or sensitive 404 PATIENT_NOT_FOUND, …). An
// invalid NHS number or section is EINVALID with no call. The answer's
// Patient must carry the NHS number asked for and its Composition the
// section asked for; otherwise it is an error.
func (c *Client) GetCareRecord(ctx context.Context, ep Endpoint, nhs pcnhub.NHSNumber, section string) (*CareRecordSection, error) {
	n, err := pcnhub.ParseNHSNumber(string(nhs))
	if err != nil {
		return nil, err
	}
	if !carerecord.Section(section).Valid() {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "%q is not a record section (SUM, ENC, CLI, PRB, ALL, MED, REF, OBS, IMM, ADM)", clipText(section, 20))
	}
	body := CareRecordParameters(n, section)
	resp, err := c.postDSTU2(ctx, ep, "/Patient/$gpc.getcarerecord", gpconnect.IDGetCareRecord, scopePatientRead, body)
	if err != nil {
		return nil, err
	}
	return decodeCareRecord(resp, n, section)
}

// CareRecordParameters is the DSTU2 JSON body of a $gpc.getcarerecord
// request for one section, with no time period (all relevant items).
func CareRecordParameters(nhs pcnhub.NHSNumber, section string) []byte {
	type identifier struct {
		System string `json:"system"`
		Value  string `json:"value"`
	}
	type coding struct {
		System string `json:"system"`
		Code   string `json:"code"`
	}
	type concept struct {
		Coding []coding `json:"coding"`
	}
	type param struct {
		Name                 string      `json:"name"`
		ValueIdentifier      *identifier `json:"valueIdentifier,omitempty"`
		ValueCodeableConcept *concept    `json:"valueCodeableConcept,omitempty"`
	}
	doc := struct {
		ResourceType string  `json:"resourceType"`
		Parameter    []param `json:"parameter"`
	}{"Parameters", []param{
		{Name: carerecord.ParamNHSNumber, ValueIdentifier: &identifier{carerecord.SystemNHSNumber, string(nhs)}},
		{Name: carerecord.ParamSection, ValueCodeableConcept: &concept{[]coding{{carerecord.SystemRecordSection, section}}}},
	}}
	b, _ := json.Marshal(doc)
	return b
}

// mimeDSTU2 is the JSON media type of the DSTU2 line.
const mimeDSTU2 = "application/json+fhir"

// postDSTU2 sends one POST to a DSTU2 root with the 0.7 token and media
// types. It is never retried. A non-2xx answer is a *ProviderError.
func (c *Client) postDSTU2(ctx context.Context, ep Endpoint, path, interaction, scope string, body []byte) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(ep.Base, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	now := time.Now
	if c.Clock != nil {
		now = c.Clock
	}
	req.Header.Set("Ssp-TraceID", newUUID())
	req.Header.Set("Ssp-From", c.Identity.ASID)
	req.Header.Set("Ssp-To", ep.ASID)
	req.Header.Set("Ssp-InteractionID", interaction)
	req.Header.Set("Authorization", "Bearer "+c.TokenDSTU2(ep, scope, now()))
	req.Header.Set("Accept", mimeDSTU2)
	req.Header.Set("Content-Type", mimeDSTU2+";charset=utf-8")
	req.Header.Set("Cache-Control", "no-cache")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return nil, err
	}
	resp := &response{status: res.StatusCode, header: res.Header, body: b}
	if resp.status < 200 || resp.status > 299 {
		return nil, dstu2ProviderError(resp)
	}
	return resp, nil
}

// TokenDSTU2 is the unsigned JWT of the DSTU2 line (Access Record HTML
// 0.7) for a call to ep with scope, issued at now: the claims of Token,
// with DSTU2 claim resources — the practitioner's family name an array,
// identifiers under http://fhir.nhs.net/Id/.
func (c *Client) TokenDSTU2(ep Endpoint, scope string, now time.Time) string {
	return c.token(ep, scope, now, tokenLine{
		family: []any{c.Identity.PractitionerFamily}, odsSystem: carerecord.SystemODSOrgCode,
		sdsUserSystem: carerecord.SystemSDSUserID, roleProfileSystem: "http://fhir.nhs.net/Id/sds-role-profile-id",
	})
}

// dstu2Outcome is what a consumer reads of a DSTU2 OperationOutcome.
type dstu2Outcome struct {
	ResourceType string `json:"resourceType"`
	Issue        []struct {
		Details *struct {
			Coding []struct {
				Code    string `json:"code"`
				Display string `json:"display"`
			} `json:"coding"`
			Text string `json:"text"`
		} `json:"details"`
		Diagnostics string `json:"diagnostics"`
	} `json:"issue"`
}

// outcomeError fills a *ProviderError from a DSTU2 OperationOutcome body;
// nil when the body is not one.
func outcomeError(status int, body []byte) *ProviderError {
	var oo dstu2Outcome
	if json.Unmarshal(body, &oo) != nil || oo.ResourceType != "OperationOutcome" {
		return nil
	}
	pe := &ProviderError{Status: status}
	if len(oo.Issue) > 0 {
		is := oo.Issue[0]
		pe.Diagnostics = is.Diagnostics
		if d := is.Details; d != nil {
			if len(d.Coding) > 0 {
				pe.SpineCode, pe.Display = d.Coding[0].Code, d.Coding[0].Display
			}
			if pe.Diagnostics == "" {
				pe.Diagnostics = d.Text
			}
		}
	}
	return pe
}

// dstu2ProviderError is the *ProviderError of a non-2xx DSTU2 answer.
func dstu2ProviderError(resp *response) error {
	if pe := outcomeError(resp.status, resp.body); pe != nil {
		return pe
	}
	pe := &ProviderError{Status: resp.status, Diagnostics: clipText(strings.TrimSpace(string(resp.body)), 200)}
	return pe
}

// decodeCareRecord reads a $gpc.getcarerecord answer: a DSTU2 searchset
// Bundle whose Composition holds the section, about the patient asked for.
func decodeCareRecord(resp *response, nhs pcnhub.NHSNumber, section string) (*CareRecordSection, error) {
	if pe := outcomeError(resp.status, resp.body); pe != nil {
		return nil, pe
	}
	var b struct {
		ResourceType string `json:"resourceType"`
		Entry        []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(resp.body, &b); err != nil || b.ResourceType != "Bundle" {
		return nil, fmt.Errorf("gpconnect care record: the HTTP %d answer is not a DSTU2 Bundle in JSON", resp.status)
	}
	var out *CareRecordSection
	var mine bool
	for _, e := range b.Entry {
		var r struct {
			ResourceType string `json:"resourceType"`
			Identifier   []struct {
				System string `json:"system"`
				Value  string `json:"value"`
			} `json:"identifier"`
			Section []struct {
				Title string `json:"title"`
				Code  struct {
					Coding []struct {
						System string `json:"system"`
						Code   string `json:"code"`
					} `json:"coding"`
				} `json:"code"`
				Text struct {
					Div string `json:"div"`
				} `json:"text"`
			} `json:"section"`
		}
		if json.Unmarshal(e.Resource, &r) != nil {
			continue
		}
		switch r.ResourceType {
		case "Patient":
			for _, id := range r.Identifier {
				if id.System != carerecord.SystemNHSNumber && id.System != fhir.SystemNHSNumber {
					continue
				}
				if pcnhub.NHSNumber(id.Value) != nhs {
					return nil, fmt.Errorf("gpconnect care record: asked for NHS number %s, the answer holds a patient with %s",
						nhs.Masked(), pcnhub.NHSNumber(id.Value).Masked())
				}
				mine = true
			}
		case "Composition":
			if out != nil || len(r.Section) != 1 {
				return nil, fmt.Errorf("gpconnect care record: the answer must hold one Composition with one section")
			}
			s := r.Section[0]
			code := ""
			for _, c := range s.Code.Coding {
				if c.System == carerecord.SystemRecordSection {
					code = c.Code
				}
			}
			if code != section {
				return nil, fmt.Errorf("gpconnect care record: asked for section %s, the answer holds %q", section, clipText(code, 20))
			}
			out = &CareRecordSection{Code: code, Title: s.Title, XHTML: s.Text.Div}
		}
	}
	switch {
	case out == nil:
		return nil, fmt.Errorf("gpconnect care record: the answer holds no Composition")
	case !mine:
		return nil, fmt.Errorf("gpconnect care record: the answer holds no patient with NHS number %s", nhs.Masked())
	}
	return out, nil
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
