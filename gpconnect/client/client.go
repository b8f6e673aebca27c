// Package client is a GP Connect (STU3, 1.2.x) consumer: it calls a
// provider's service root the way the NHS GP Connect Appointment Checker
// does (assurance.md Part C §1.2), with a fresh unsigned JWT and the Ssp
// headers on every call, and decodes the answers with package fhir.
// Besides the CapabilityStatement and slot search it finds and registers
// patients (patients.go) and books, reads, amends, cancels and lists
// appointments (appointments.go). Only GETs are ever retried; a provider's
// refusal is a *ProviderError whose Spine code IsSpineCode tests.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
)

// Identity is who is asking: it fills the JWT claims and Ssp-From.
type Identity struct {
	OrgODS  pcnhub.ODSCode
	OrgName string

	PractitionerID            string // also the JWT sub
	PractitionerSDSUserID     string // "" is sent as UNK
	PractitionerRoleProfileID string // "" is sent as UNK
	PractitionerFamily        string
	PractitionerGiven         string

	DeviceSystem, DeviceValue, DeviceModel, DeviceVersion string

	ASID   string // consumer ASID, for Ssp-From
	Issuer string // iss: the consumer system URL
}

// Client calls GP Connect providers. The zero value works with
// http.DefaultClient, time.Now, two retries and a 200 ms backoff, but
// sends an empty identity.
type Client struct {
	HTTP     *http.Client
	Identity Identity
	Clock    func() time.Time
	// Retries is how many times an idempotent GET is retried after a
	// transport error or a 502/503/504: 0 means the default 2, a negative
	// value means never.
	Retries int
	// Backoff is the wait before the first retry (default 200 ms); it
	// doubles before each further retry.
	Backoff time.Duration
}

// Endpoint is a provider: its service root and ASID.
type Endpoint struct {
	Base string // service root, e.g. http://127.0.0.1:8080/B82617/STU3/1/gpconnect
	ASID string // provider ASID, for Ssp-To
}

// SlotQuery is a free-slot search (gpconnect.md §2.3).
type SlotQuery struct {
	From, To    pcnhub.Date
	OrgType     pcnhub.OrgType // "" = not sent
	ConsumerODS pcnhub.ODSCode // "" = not sent
}

// ProviderError is a provider's refusal: any non-2xx answer, or an
// OperationOutcome where a resource was expected. The Spine code, display
// and diagnostics come from issue[0] when the body is an OperationOutcome.
type ProviderError struct {
	Status      int
	SpineCode   string
	Display     string
	Diagnostics string
}

func (e *ProviderError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gpconnect provider answered HTTP %d", e.Status)
	switch {
	case e.Display != "" && e.SpineCode != "":
		fmt.Fprintf(&b, ": %s (%s)", e.Display, e.SpineCode)
	case e.SpineCode != "":
		fmt.Fprintf(&b, ": %s", e.SpineCode)
	case e.Display != "":
		fmt.Fprintf(&b, ": %s", e.Display)
	}
	if e.Diagnostics != "" {
		fmt.Fprintf(&b, ": %s", e.Diagnostics)
	}
	return b.String()
}

const (
	scopeOrgRead = "organization/*.read"
	maxBody      = 64 << 20
)

// Metadata reads the provider's CapabilityStatement (GET [base]/metadata).
// Like the NHS Appointment Checker (assurance.md Part C §1.2(3)), it stops
// only when the body is not JSON or is an OperationOutcome: a
// CapabilityStatement that is JSON but not valid STU3 (the specification's
// own example keeps the placeholder "[Provider Software Release Date]" in
// software.releaseDate) is read leniently, keeping the elements consumers
// look at.
func (c *Client) Metadata(ctx context.Context, ep Endpoint) (*fhir.CapabilityStatement, error) {
	resp, err := c.do(ctx, http.MethodGet, ep, "/metadata", "", gpconnect.IDMetadata, scopeOrgRead, nil)
	if err != nil {
		return nil, err
	}
	res, err := decode(resp)
	if err != nil {
		if _, ok := IsProviderError(err); !ok {
			if cs := lenientCapability(resp.body); cs != nil {
				return cs, nil
			}
		}
		return nil, err
	}
	cs, ok := res.(*fhir.CapabilityStatement)
	if !ok {
		return nil, fmt.Errorf("gpconnect metadata: got a %s, want a CapabilityStatement", res.ResourceType())
	}
	return cs, nil
}

// lenientCapability reads the version, name, publisher, software,
// fhirVersion, format and the REST resources (type, interactions, search
// includes and parameters) of a JSON CapabilityStatement that the strict
// decoder refused. It returns nil when the body is not JSON or not a
// CapabilityStatement.
func lenientCapability(body []byte) *fhir.CapabilityStatement {
	var doc struct {
		ResourceType string `json:"resourceType"`
		Version      string `json:"version"`
		Name         string `json:"name"`
		Status       string `json:"status"`
		Publisher    string `json:"publisher"`
		Kind         string `json:"kind"`
		Software     *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"software"`
		FHIRVersion   string   `json:"fhirVersion"`
		AcceptUnknown string   `json:"acceptUnknown"`
		Format        []string `json:"format"`
		Rest          []struct {
			Mode     string `json:"mode"`
			Resource []struct {
				Type        string `json:"type"`
				Interaction []struct {
					Code string `json:"code"`
				} `json:"interaction"`
				SearchInclude []string `json:"searchInclude"`
				SearchParam   []struct {
					Name string `json:"name"`
					Type string `json:"type"`
				} `json:"searchParam"`
			} `json:"resource"`
		} `json:"rest"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		// A value of the wrong JSON type is skipped; anything else is not JSON.
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil
		}
	}
	if doc.ResourceType != "CapabilityStatement" {
		return nil
	}
	cs := &fhir.CapabilityStatement{Version: doc.Version, Name: doc.Name, Status: doc.Status, Publisher: doc.Publisher,
		Kind: doc.Kind, FHIRVersion: doc.FHIRVersion, AcceptUnknown: doc.AcceptUnknown, Format: doc.Format}
	if doc.Software != nil {
		cs.Software = &fhir.CapabilityStatementSoftware{Name: doc.Software.Name, Version: doc.Software.Version}
	}
	for _, r := range doc.Rest {
		rest := fhir.CapabilityStatementRest{Mode: r.Mode}
		for _, res := range r.Resource {
			rr := fhir.CapabilityStatementRestResource{Type: res.Type, SearchInclude: res.SearchInclude}
			for _, in := range res.Interaction {
				rr.Interaction = append(rr.Interaction, fhir.CapabilityStatementRestResourceInteraction{Code: in.Code})
			}
			for _, sp := range res.SearchParam {
				rr.SearchParam = append(rr.SearchParam, fhir.CapabilityStatementSearchParam{Name: sp.Name, Type: sp.Type})
			}
			rest.Resource = append(rest.Resource, rr)
		}
		cs.Rest = append(cs.Rest, rest)
	}
	return cs
}

// SearchSlots searches free slots with the exact query of the NHS
// Appointment Checker and returns the searchset Bundle and its raw JSON.
func (c *Client) SearchSlots(ctx context.Context, ep Endpoint, q SlotQuery) (*fhir.Bundle, []byte, error) {
	resp, err := c.do(ctx, http.MethodGet, ep, "/Slot", SlotQueryString(q), gpconnect.IDSearchSlots, scopeOrgRead, nil)
	if err != nil {
		return nil, nil, err
	}
	res, err := decode(resp)
	if err != nil {
		return nil, resp.body, err
	}
	b, ok := res.(*fhir.Bundle)
	if !ok {
		return nil, resp.body, fmt.Errorf("gpconnect slot search: got a %s, want a Bundle", res.ResourceType())
	}
	return b, resp.body, nil
}

// SearchSlotsRaw is SearchSlots without decoding: the body of a
// successful answer, for a caller with a faster decoder of its own (a
// refusal is still a *ProviderError). The body may still be an
// OperationOutcome with a 2xx status; DecodeSlotSearch handles that.
func (c *Client) SearchSlotsRaw(ctx context.Context, ep Endpoint, q SlotQuery) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, ep, "/Slot", SlotQueryString(q), gpconnect.IDSearchSlots, scopeOrgRead, nil)
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// DecodeSlotSearch decodes a slot-search answer's body the general way:
// the Bundle, or the provider's refusal when it is an OperationOutcome.
func DecodeSlotSearch(body []byte) (*fhir.Bundle, error) {
	res, err := decode(&response{status: http.StatusOK, body: body})
	if err != nil {
		return nil, err
	}
	b, ok := res.(*fhir.Bundle)
	if !ok {
		return nil, fmt.Errorf("gpconnect slot search: got a %s, want a Bundle", res.ResourceType())
	}
	return b, nil
}

// SlotQueryString is the query of a slot search, parameters in the
// order the NHS Appointment Checker sends them (assurance.md Part C
// §1.2(4)).
func SlotQueryString(q SlotQuery) string {
	parts := []string{
		"status=free",
		"_include=Slot:schedule",
		"_include:recurse=Schedule:actor:Practitioner",
		"_include:recurse=Schedule:actor:Location",
		"_include:recurse=Location:managingOrganization",
		"start=" + url.QueryEscape("ge"+q.From.String()),
		"end=" + url.QueryEscape("le"+q.To.String()),
	}
	if q.ConsumerODS != "" {
		parts = append(parts, "searchFilter="+url.QueryEscape(fhir.SystemODSOrganization+"|"+string(q.ConsumerODS)))
	}
	if q.OrgType != "" {
		parts = append(parts, "searchFilter="+url.QueryEscape(fhir.CodeSystemOrganisationType+"|"+string(q.OrgType)))
	}
	return strings.Join(parts, "&")
}

// response is a provider's 2xx answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do makes one interaction, retrying GETs on transport errors and
// 502/503/504. A non-2xx answer is a *ProviderError.
func (c *Client) do(ctx context.Context, method string, ep Endpoint, path, rawQuery, interaction, scope string, body []byte) (*response, error) {
	return c.doWith(ctx, method, ep, path, rawQuery, interaction, scope, body, nil)
}

// doWith is do with extra request headers (If-Match). Only a GET is ever
// sent more than once: a POST or PUT that failed in transit, or was
// answered 502/503/504, may still have been applied by the provider, so
// it is reported and never repeated.
func (c *Client) doWith(ctx context.Context, method string, ep Endpoint, path, rawQuery, interaction, scope string, body []byte, extra http.Header) (*response, error) {
	u := strings.TrimRight(ep.Base, "/") + path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	retries := c.Retries
	if retries == 0 {
		retries = 2
	}
	if method != http.MethodGet || retries < 0 {
		retries = 0
	}
	wait := c.Backoff
	if wait <= 0 {
		wait = 200 * time.Millisecond
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.once(ctx, hc, method, u, ep, interaction, scope, body, extra)
		retryable := err != nil && ctx.Err() == nil
		if err == nil {
			switch resp.status {
			case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
				retryable = true
			}
		}
		if !retryable || attempt >= retries {
			if err != nil {
				return nil, err
			}
			if resp.status < 200 || resp.status > 299 {
				return nil, providerError(resp)
			}
			return resp, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
}

func (c *Client) once(ctx context.Context, hc *http.Client, method, u string, ep Endpoint, interaction, scope string, body []byte, extra http.Header) (*response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
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
	req.Header.Set("Authorization", "Bearer "+c.Token(ep, scope, now()))
	req.Header.Set("Accept", fhir.MIMEJSON)
	req.Header.Set("Cache-Control", "no-cache")
	if body != nil {
		req.Header.Set("Content-Type", fhir.MIMEJSON+";charset=utf-8")
	}
	for k, vs := range extra {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// Token is the unsigned GP Connect JWT (gpconnect.md §1.3) for a call to
// ep with scope, issued at now.
func (c *Client) Token(ep Endpoint, scope string, now time.Time) string {
	return c.token(ep, scope, now, tokenLine{
		family: c.Identity.PractitionerFamily, odsSystem: fhir.SystemODSOrganization,
		sdsUserSystem: fhir.SystemSDSUserID, roleProfileSystem: fhir.SystemSDSRoleProfileID,
	})
}

// tokenLine is what differs between the STU3 and DSTU2 tokens: the shape
// of the practitioner's family name and the identifier systems.
type tokenLine struct {
	family                                      any // a string (STU3) or an array of one (DSTU2)
	odsSystem, sdsUserSystem, roleProfileSystem string
}

func (c *Client) token(ep Endpoint, scope string, now time.Time, line tokenLine) string {
	id := c.Identity
	unk := func(s string) string {
		if s == "" {
			return "UNK"
		}
		return s
	}
	iat := now.Unix()
	name := map[string]any{"family": line.family}
	if id.PractitionerGiven != "" {
		name["given"] = []any{id.PractitionerGiven}
	}
	claims := map[string]any{
		"iss": id.Issuer, "sub": id.PractitionerID, "aud": ep.Base,
		"iat": iat, "exp": iat + 300, "reason_for_request": "directcare", "requested_scope": scope,
		"requesting_device": map[string]any{"resourceType": "Device", "model": id.DeviceModel, "version": id.DeviceVersion,
			"identifier": []any{map[string]any{"system": id.DeviceSystem, "value": id.DeviceValue}}},
		"requesting_organization": map[string]any{"resourceType": "Organization", "name": id.OrgName,
			"identifier": []any{map[string]any{"system": line.odsSystem, "value": string(id.OrgODS)}}},
		"requesting_practitioner": map[string]any{"resourceType": "Practitioner", "id": id.PractitionerID,
			"name": []any{name},
			"identifier": []any{
				map[string]any{"system": line.sdsUserSystem, "value": unk(id.PractitionerSDSUserID)},
				map[string]any{"system": line.roleProfileSystem, "value": unk(id.PractitionerRoleProfileID)}}},
	}
	b, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(b) + "."
}

// decode decodes a 2xx JSON body; an OperationOutcome is a *ProviderError.
func decode(resp *response) (fhir.Resource, error) {
	res, err := fhir.Unmarshal(fhir.JSON, resp.body)
	if err != nil {
		return nil, fmt.Errorf("gpconnect: HTTP %d answer is not FHIR JSON: %w", resp.status, err)
	}
	if oo, ok := res.(*fhir.OperationOutcome); ok {
		pe := &ProviderError{Status: resp.status}
		fillOutcome(pe, oo)
		return nil, pe
	}
	return res, nil
}

func providerError(resp *response) error {
	pe := &ProviderError{Status: resp.status}
	if res, err := fhir.Unmarshal(fhir.JSON, resp.body); err == nil {
		if oo, ok := res.(*fhir.OperationOutcome); ok {
			fillOutcome(pe, oo)
			return pe
		}
	}
	pe.Diagnostics = strings.TrimSpace(string(resp.body))
	if len(pe.Diagnostics) > 200 {
		pe.Diagnostics = pe.Diagnostics[:200] + "…"
	}
	return pe
}

func fillOutcome(pe *ProviderError, oo *fhir.OperationOutcome) {
	if len(oo.Issue) == 0 {
		return
	}
	is := oo.Issue[0]
	pe.Diagnostics = is.Diagnostics
	if is.Details != nil {
		if len(is.Details.Coding) > 0 {
			pe.SpineCode, pe.Display = is.Details.Coding[0].Code, is.Details.Coding[0].Display
		}
		if pe.Diagnostics == "" {
			pe.Diagnostics = is.Details.Text
		}
	}
}

// IsProviderError reports whether err is a provider's refusal, and returns it.
func IsProviderError(err error) (*ProviderError, bool) {
	var pe *ProviderError
	ok := errors.As(err, &pe)
	return pe, ok
}

// newUUID is a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
