package gpconnect

import (
	"encoding/base64"
	"github.com/pcnhub/pcnhub/fhir"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
)

var jwtNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// assuranceClaims is the default request identity of the NHS provider
// assurance scenarios (assurance.md Part B).
func assuranceClaims(now time.Time, scope string) map[string]any { return gpctest.Claims(scope, now) }

// makeToken encodes claims as an unsigned GP Connect JWT.
func makeToken(claims map[string]any) string { return gpctest.Encode(claims) }

func TestParseTokenAcceptsAssuranceIdentity(t *testing.T) {
	c, err := ParseToken(makeToken(assuranceClaims(jwtNow, "patient/*.read")), jwtNow, defaultFutureIAT)
	if err != nil {
		t.Fatal(err)
	}
	if c.OrganisationODS != "GPCA0001" || c.PractitionerSDSUserID != "GCASDS0001" || c.PractitionerRoleProfileID != "112233445566" ||
		c.Scope != "patient/*.read" || c.Confidentiality != "conf/N" || c.DeviceValue != "Client" ||
		c.PractitionerName != "Mr AssuranceTest AssurancePractitioner" {
		t.Fatalf("claims %+v", c)
	}
	// Variants the suite sends: UNK ids, no role profile and guid, the legacy ODS system,
	// a future iat (clock skew), conf/R.
	variants := map[string]func(m map[string]any){
		"UNK ids": func(m map[string]any) {
			p := m["requesting_practitioner"].(map[string]any)
			p["identifier"] = []any{map[string]any{"system": fhir.SystemSDSUserID, "value": "UNK"}, map[string]any{"system": fhir.SystemSDSRoleProfileID, "value": "UNK"}}
		},
		"no role profile": func(m map[string]any) {
			p := m["requesting_practitioner"].(map[string]any)
			p["identifier"] = []any{map[string]any{"system": fhir.SystemSDSUserID, "value": "GCASDS0001"}}
		},
		"legacy ODS system": func(m map[string]any) {
			m["requesting_organization"].(map[string]any)["identifier"] = []any{map[string]any{"system": fhir.SystemODSOrganizationLegacy, "value": "GPCA0001"}}
		},
		"future iat": func(m map[string]any) {
			iat := jwtNow.Add(200 * time.Second).Unix()
			m["iat"], m["exp"] = iat, iat+300
		},
		"conf/R": func(m map[string]any) { m["requested_scope"] = "patient/*.read conf/R" },
	}
	for name, change := range variants {
		m := assuranceClaims(jwtNow, "patient/*.read")
		change(m)
		if _, err := ParseToken(makeToken(m), jwtNow, defaultFutureIAT); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseTokenRejects(t *testing.T) {
	good := func() map[string]any { return assuranceClaims(jwtNow, "organization/*.read") }
	del := func(k string) func(m map[string]any) { return func(m map[string]any) { delete(m, k) } }
	set := func(k string, v any) func(m map[string]any) { return func(m map[string]any) { m[k] = v } }
	cases := []struct {
		name   string
		change func(m map[string]any)
		spine  string
	}{
		{"no iss", del("iss"), SpineBadRequest},
		{"no sub", del("sub"), SpineBadRequest},
		{"no aud", del("aud"), SpineBadRequest},
		{"no iat", del("iat"), SpineBadRequest},
		{"no exp", del("exp"), SpineBadRequest},
		{"null reason", set("reason_for_request", nil), SpineBadRequest},
		{"reason not directcare", set("reason_for_request", "curiosity"), SpineBadRequest},
		{"no scope", del("requested_scope"), SpineBadRequest},
		{"bad scope", set("requested_scope", "everything/*.*"), SpineBadRequest},
		{"no device", del("requesting_device"), SpineBadRequest},
		{"no organisation", del("requesting_organization"), SpineBadRequest},
		{"no practitioner", del("requesting_practitioner"), SpineBadRequest},
		{"exp = iat + 299", func(m map[string]any) { m["exp"] = m["iat"].(int64) + 299 }, SpineBadRequest},
		{"exp = iat + 301", func(m map[string]any) { m["exp"] = m["iat"].(int64) + 301 }, SpineBadRequest},
		{"expired", func(m map[string]any) {
			iat := jwtNow.Add(-301 * time.Second).Unix()
			m["iat"], m["exp"] = iat, iat+300
		}, SpineBadRequest},
		{"iat far in the future", func(m map[string]any) { iat := jwtNow.Add(time.Hour).Unix(); m["iat"], m["exp"] = iat, iat+300 }, SpineBadRequest},
		{"iat as a string", set("iat", "1700000000"), SpineBadRequest},
		{"sub differs from practitioner id", set("sub", "2"), SpineBadRequest},
		{"requested_record (0.x)", set("requested_record", map[string]any{"resourceType": "Patient"}), SpineBadRequest},
		{"device of wrong type", set("requesting_device", map[string]any{"resourceType": "Patient"}), SpineInvalidResource},
		{"organisation without ODS", set("requesting_organization", map[string]any{"resourceType": "Organization", "name": "x"}), SpineInvalidResource},
		{"practitioner as a string", set("requesting_practitioner", "Dr Who"), SpineInvalidResource},
		{"practitioner without SDS id", func(m map[string]any) {
			m["requesting_practitioner"].(map[string]any)["identifier"] = []any{}
		}, SpineInvalidResource},
	}
	for _, c := range cases {
		m := good()
		c.change(m)
		_, err := ParseToken(makeToken(m), jwtNow, defaultFutureIAT)
		var e *pcnhub.Error
		if err == nil || !asError(err, &e) || e.Spine != c.spine {
			t.Errorf("%s: got %v, want Spine %s", c.name, err, c.spine)
		}
	}
	// Structural problems.
	payload := strings.Split(makeToken(good()), ".")[1]
	for name, auth := range map[string]string{
		"missing":          "",
		"not Bearer":       "Basic abc",
		"two parts":        "Bearer abc.def",
		"signed":           "Bearer " + base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + ".sig",
		"alg HS256":        "Bearer " + base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + payload + ".",
		"extra header key": "Bearer " + base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT","kid":"1"}`)) + "." + payload + ".",
		"padded":           "Bearer " + base64.URLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + ".",
		"payload not JSON": "Bearer " + base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + base64.RawURLEncoding.EncodeToString([]byte("hello")) + ".",
		"payload not b64":  "Bearer " + base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + ".!!!.",
	} {
		_, err := ParseToken(auth, jwtNow, defaultFutureIAT)
		var e *pcnhub.Error
		if err == nil || !asError(err, &e) || e.Spine != SpineBadRequest {
			t.Errorf("%s: got %v, want BAD_REQUEST", name, err)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	f.Add(makeToken(assuranceClaims(jwtNow, "patient/*.read")))
	f.Add("Bearer a.b.")
	f.Add("Bearer ..")
	f.Fuzz(func(t *testing.T, auth string) {
		c, err := ParseToken(auth, jwtNow, defaultFutureIAT)
		if err != nil {
			var e *pcnhub.Error
			if !asError(err, &e) || (e.Spine != SpineBadRequest && e.Spine != SpineInvalidResource) {
				t.Fatalf("error without a Spine code: %v", err)
			}
			return
		}
		if c.Subject != c.PractitionerID || c.Expires.Sub(c.IssuedAt) != 300*time.Second || c.OrganisationODS == "" {
			t.Fatalf("accepted inconsistent claims %+v", c)
		}
	})
}
