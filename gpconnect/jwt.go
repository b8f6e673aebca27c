package gpconnect

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"github.com/pcnhub/pcnhub/fhir"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
)

// Claims are the validated claims of a GP Connect bearer token (§1.3).
type Claims struct {
	Issuer, Subject, Audience string
	IssuedAt, Expires         time.Time
	Reason                    string // "directcare" or "migration"
	Scope                     string // "patient/*.read", "patient/*.write" or "organization/*.read"
	Confidentiality           string // "conf/N" (default) or "conf/R"

	DeviceSystem, DeviceValue, DeviceModel, DeviceVersion string
	OrganisationODS                                       pcnhub.ODSCode
	OrganisationName                                      string
	PractitionerID                                        string
	PractitionerSDSUserID                                 string // or "UNK"
	PractitionerRoleProfileID                             string // or "UNK", or "" when absent
	PractitionerName                                      string
}

// Identifier systems accepted in the JWT claims.
const (
	systemSDSUserIDLegacy        = "http://fhir.nhs.net/Id/sds-user-id" // DSTU2
	systemSDSRoleProfileIDLegacy = "http://fhir.nhs.net/Id/sds-role-profile-id"

	tokenLifetime    = 300 // seconds: exp must be exactly iat + 300
	maxTokenBytes    = 16 << 10
	defaultFutureIAT = 600 * time.Second
)

// jwtError is a 400 BAD_REQUEST about the token.
func jwtError(format string, args ...any) error {
	e := pcnhub.Errorf(pcnhub.EINVALID, "JWT: "+format, args...)
	e.Spine = SpineBadRequest
	return e
}

// jwtResourceError is a 422 INVALID_RESOURCE about a claim that should
// hold a FHIR resource. (The reference implementation answers 422 with
// BAD_REQUEST; the specification says INVALID_RESOURCE, which we follow.)
func jwtResourceError(format string, args ...any) error {
	e := pcnhub.Errorf(pcnhub.EINVALID, "JWT: "+format, args...)
	e.Spine = SpineInvalidResource
	return e
}

// ParseToken validates an Authorization header value ("Bearer <jwt>") by
// the GP Connect rules: an unsigned token with header exactly
// {"alg":"none","typ":"JWT"}, unpadded base64url parts, an empty
// signature, every required claim, exp = iat + 300 and not passed, iat at
// most maxFuture ahead of now, sub equal to the practitioner's id, and
// claim resources of the right type. Errors are *pcnhub.Error with Spine
// BAD_REQUEST (400) or INVALID_RESOURCE (422 for a malformed claim resource).
func ParseToken(authorization string, now time.Time, maxFuture time.Duration) (*Claims, error) {
	return parseToken(authorization, now, maxFuture, false)
}

// ParseTokenDSTU2 is ParseToken for the DSTU2 line (Access Record HTML
// 0.7): the claim resources are DSTU2 ones — a name's family is an array
// and identifiers use the http://fhir.nhs.net/Id/ systems — and the STU3
// forms are accepted too.
func ParseTokenDSTU2(authorization string, now time.Time, maxFuture time.Duration) (*Claims, error) {
	return parseToken(authorization, now, maxFuture, true)
}

func parseToken(authorization string, now time.Time, maxFuture time.Duration, dstu2 bool) (*Claims, error) {
	token, ok := strings.CutPrefix(authorization, "Bearer ")
	if authorization == "" {
		return nil, jwtError("the Authorization header is missing")
	}
	if !ok || token == "" {
		return nil, jwtError("the Authorization header must be \"Bearer\" followed by the token")
	}
	if len(token) > maxTokenBytes {
		return nil, jwtError("the token is longer than %d bytes", maxTokenBytes)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, jwtError("the token must have three parts separated by dots (the last one empty)")
	}
	if parts[2] != "" {
		return nil, jwtError("the token must be unsigned: its signature part must be empty")
	}
	header, err := decodePart(parts[0])
	if err != nil {
		return nil, jwtError("header: %v", err)
	}
	var h map[string]any
	if err := json.Unmarshal(header, &h); err != nil {
		return nil, jwtError("header is not a JSON object")
	}
	if len(h) != 2 || h["alg"] != "none" || h["typ"] != "JWT" {
		return nil, jwtError(`header must be exactly {"alg":"none","typ":"JWT"}`)
	}
	payload, err := decodePart(parts[1])
	if err != nil {
		return nil, jwtError("payload: %v", err)
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, jwtError("payload is not a JSON object")
	}
	if _, ok := raw["requested_record"]; ok {
		return nil, jwtError("the requested_record claim belongs to GP Connect 0.x and is not accepted")
	}
	c := &Claims{}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"iss", &c.Issuer}, {"sub", &c.Subject}, {"aud", &c.Audience}, {"reason_for_request", &c.Reason}} {
		if err := stringClaim(raw, f.name, f.dst); err != nil {
			return nil, err
		}
	}
	var scope string
	if err := stringClaim(raw, "requested_scope", &scope); err != nil {
		return nil, err
	}
	if c.Scope, c.Confidentiality, err = parseScope(scope); err != nil {
		return nil, err
	}
	if c.Reason != "directcare" && c.Reason != "migration" {
		return nil, jwtError("reason_for_request must be directcare (or migration for migrate interactions)")
	}
	iat, err := timeClaim(raw, "iat")
	if err != nil {
		return nil, err
	}
	exp, err := timeClaim(raw, "exp")
	if err != nil {
		return nil, err
	}
	if exp-iat != tokenLifetime {
		return nil, jwtError("exp must be exactly iat + 300 seconds (it is iat + %d)", exp-iat)
	}
	c.IssuedAt, c.Expires = time.Unix(iat, 0), time.Unix(exp, 0)
	if !now.Before(c.Expires) {
		return nil, jwtError("the token has expired")
	}
	if c.IssuedAt.Sub(now) > maxFuture {
		return nil, jwtError("iat is more than %s in the future", maxFuture)
	}
	if err := parseDevice(raw, c); err != nil {
		return nil, err
	}
	if err := parseOrganisation(raw, c); err != nil {
		return nil, err
	}
	if err := parsePractitioner(raw, c, dstu2); err != nil {
		return nil, err
	}
	if c.Subject != c.PractitionerID {
		return nil, jwtError("sub must equal requesting_practitioner.id")
	}
	return c, nil
}

// decodePart decodes an unpadded base64url token part.
func decodePart(s string) ([]byte, error) {
	if strings.ContainsRune(s, '=') {
		return nil, errorString("must be base64url without padding")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errorString("is not valid base64url")
	}
	return b, nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

func stringClaim(raw map[string]json.RawMessage, name string, dst *string) error {
	v, ok := raw[name]
	if !ok || string(v) == "null" {
		return jwtError("the %s claim is missing", name)
	}
	if err := json.Unmarshal(v, dst); err != nil || strings.TrimSpace(*dst) == "" {
		return jwtError("the %s claim must be a non-empty string", name)
	}
	return nil
}

func timeClaim(raw map[string]json.RawMessage, name string) (int64, error) {
	v, ok := raw[name]
	if !ok || string(v) == "null" {
		return 0, jwtError("the %s claim is missing", name)
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return 0, jwtError("the %s claim must be a number of seconds", name)
	}
	i, err := n.Int64()
	if err != nil || i <= 0 {
		return 0, jwtError("the %s claim must be a whole, positive number of seconds", name)
	}
	return i, nil
}

// parseScope splits "patient/*.read conf/N" into the scope and the
// confidentiality (default conf/N).
func parseScope(s string) (scope, conf string, err error) {
	conf = "conf/N"
	for _, f := range strings.Fields(s) {
		switch f {
		case "patient/*.read", "patient/*.write", "organization/*.read", "organization/*.write":
			if scope != "" {
				return "", "", jwtError("requested_scope names more than one scope")
			}
			scope = f
		case "conf/N", "conf/R":
			conf = f
		default:
			return "", "", jwtError("requested_scope %q is not a GP Connect scope", f)
		}
	}
	if scope == "" {
		return "", "", jwtError("requested_scope names no scope")
	}
	return scope, conf, nil
}

type claimIdentifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

func claimObject(raw map[string]json.RawMessage, name, resourceType string, dst any) error {
	v, ok := raw[name]
	if !ok || string(v) == "null" {
		return jwtError("the %s claim is missing", name)
	}
	var probe struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(v, &probe); err != nil {
		return jwtResourceError("the %s claim must be a FHIR %s resource", name, resourceType)
	}
	if probe.ResourceType != resourceType {
		return jwtResourceError("the %s claim must be a FHIR %s resource, not %q", name, resourceType, probe.ResourceType)
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return jwtResourceError("the %s claim is not a valid %s: %v", name, resourceType, err)
	}
	return nil
}

func parseDevice(raw map[string]json.RawMessage, c *Claims) error {
	var d struct {
		Identifier []claimIdentifier `json:"identifier"`
		Model      string            `json:"model"`
		Version    string            `json:"version"`
	}
	if err := claimObject(raw, "requesting_device", "Device", &d); err != nil {
		return err
	}
	if len(d.Identifier) == 0 || d.Identifier[0].System == "" || d.Identifier[0].Value == "" {
		return jwtResourceError("requesting_device needs an identifier with system and value")
	}
	if d.Model == "" || d.Version == "" {
		return jwtResourceError("requesting_device needs a model and a version")
	}
	c.DeviceSystem, c.DeviceValue, c.DeviceModel, c.DeviceVersion = d.Identifier[0].System, d.Identifier[0].Value, d.Model, d.Version
	return nil
}

func parseOrganisation(raw map[string]json.RawMessage, c *Claims) error {
	var o struct {
		Name       string            `json:"name"`
		Identifier []claimIdentifier `json:"identifier"`
	}
	if err := claimObject(raw, "requesting_organization", "Organization", &o); err != nil {
		return err
	}
	for _, id := range o.Identifier {
		if id.System == fhir.SystemODSOrganization || id.System == fhir.SystemODSOrganizationLegacy {
			ods, err := pcnhub.ParseODSCode(id.Value)
			if err != nil {
				return jwtResourceError("requesting_organization: %s", pcnhub.ErrorMessage(err))
			}
			c.OrganisationODS, c.OrganisationName = ods, o.Name
			return nil
		}
	}
	return jwtResourceError("requesting_organization needs an identifier with system %s", fhir.SystemODSOrganization)
}

func parsePractitioner(raw map[string]json.RawMessage, c *Claims, dstu2 bool) error {
	var p struct {
		ID   string `json:"id"`
		Name []struct {
			Family any      `json:"family"` // string in STU3; an array in DSTU2 (rejected below)
			Given  []string `json:"given"`
			Prefix []string `json:"prefix"`
		} `json:"name"`
		Identifier []claimIdentifier `json:"identifier"`
	}
	if err := claimObject(raw, "requesting_practitioner", "Practitioner", &p); err != nil {
		return err
	}
	if p.ID == "" {
		return jwtResourceError("requesting_practitioner needs an id")
	}
	if len(p.Name) == 0 {
		return jwtResourceError("requesting_practitioner needs a name")
	}
	family, ok := p.Name[0].Family.(string)
	if parts, isList := p.Name[0].Family.([]any); dstu2 && isList {
		var names []string
		for _, part := range parts {
			if s, isString := part.(string); isString && s != "" {
				names = append(names, s)
			}
		}
		family, ok = strings.Join(names, " "), len(names) == len(parts)
	}
	if !ok || family == "" {
		return jwtResourceError("requesting_practitioner.name[0].family must be a string")
	}
	name := append(append(append([]string{}, p.Name[0].Prefix...), p.Name[0].Given...), family)
	c.PractitionerID, c.PractitionerName = p.ID, strings.Join(name, " ")
	for _, id := range p.Identifier {
		switch {
		case id.System == fhir.SystemSDSUserID, dstu2 && id.System == systemSDSUserIDLegacy:
			c.PractitionerSDSUserID = id.Value
		case id.System == fhir.SystemSDSRoleProfileID, dstu2 && id.System == systemSDSRoleProfileIDLegacy:
			c.PractitionerRoleProfileID = id.Value
		}
	}
	if c.PractitionerSDSUserID == "" {
		return jwtResourceError("requesting_practitioner needs an identifier with system %s (its value may be UNK)", fhir.SystemSDSUserID)
	}
	return nil
}
