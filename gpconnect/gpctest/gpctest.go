// Package gpctest builds GP Connect requests as the NHS provider
// assurance scenarios send them (assurance.md Part B), for tests and
// benchmarks: the unsigned JWT and the Ssp headers.
package gpctest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"
)

// ConsumerASID is the assurance consumer's ASID.
const ConsumerASID = "200000000359"

// Token returns "Bearer <jwt>" with the assurance default identity for
// a scope, issued two seconds before now.
func Token(scope string, now time.Time) string { return Encode(Claims(scope, now)) }

// Claims are the claims of the assurance default identity for a scope,
// issued two seconds before now; tests change them to make bad tokens.
func Claims(scope string, now time.Time) map[string]any {
	iat := now.Add(-2 * time.Second).Unix()
	return map[string]any{
		"iss": "https://ConsumerSystemURL", "sub": "1", "aud": "https://authorize.fhir.nhs.net/token/",
		"iat": iat, "exp": iat + 300, "reason_for_request": "directcare", "requested_scope": scope,
		"requesting_device": map[string]any{"resourceType": "Device", "model": "v1", "version": "1.1",
			"identifier": []any{map[string]any{"system": "GPConnectTestSystem", "value": "Client"}}},
		"requesting_organization": map[string]any{"resourceType": "Organization", "name": "GP Connect Assurance",
			"identifier": []any{map[string]any{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "GPCA0001"}}},
		"requesting_practitioner": map[string]any{"resourceType": "Practitioner", "id": "1",
			"name": []any{map[string]any{"family": "AssurancePractitioner", "given": []any{"AssuranceTest"}, "prefix": []any{"Mr"}}},
			"identifier": []any{
				map[string]any{"system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "GCASDS0001"},
				map[string]any{"system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": "112233445566"},
				map[string]any{"system": "https://consumersupplier.com/Id/user-guid", "value": "98ed4f78-814d-4266-8d5b-cde742f3093c"}}},
	}
}

// Encode makes "Bearer <jwt>" of claims: an unsigned GP Connect token.
func Encode(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return "Bearer " + base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(b) + "."
}

// SetHeaders sets the Ssp headers, the token and Accept on a request to a
// provider with ASID providerASID.
func SetHeaders(r *http.Request, interaction, scope, providerASID string, now time.Time) {
	r.Header.Set("Ssp-TraceID", "09a01679-2564-0fb4-5129-aecc81ea2706")
	r.Header.Set("Ssp-From", ConsumerASID)
	r.Header.Set("Ssp-To", providerASID)
	r.Header.Set("Ssp-InteractionID", interaction)
	r.Header.Set("Authorization", Token(scope, now))
	r.Header.Set("Accept", "application/fhir+json")
}
