package gpconnect_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

const htmlRoot = "/B82617/DSTU2/1/gpconnect"

// careRecordBody is a DSTU2 $gpc.getcarerecord Parameters body.
func careRecordBody(nhs pcnhub.NHSNumber, section, period string) []byte {
	params := []string{
		fmt.Sprintf(`{"name":"patientNHSNumber","valueIdentifier":{"system":"http://fhir.nhs.net/Id/nhs-number","value":%q}}`, nhs),
		fmt.Sprintf(`{"name":"recordSection","valueCodeableConcept":{"coding":[{"system":"http://fhir.nhs.net/ValueSet/gpconnect-record-section-1","code":%q}]}}`, section),
	}
	if period != "" {
		params = append(params, `{"name":"timePeriod","valuePeriod":`+period+`}`)
	}
	return []byte(`{"resourceType":"Parameters","parameter":[` + strings.Join(params, ",") + `]}`)
}

// dstu2Token is a 0.7 consumer's token: DSTU2 claim resources (family
// names as arrays, http://fhir.nhs.net/Id/ identifier systems).
func dstu2Token(scope string) string {
	c := gpctest.Claims(scope, testNow)
	c["requesting_organization"] = map[string]any{"resourceType": "Organization", "name": "GP Connect Assurance",
		"identifier": []any{map[string]any{"system": "http://fhir.nhs.net/Id/ods-organization-code", "value": "GPCA0001"}}}
	c["requesting_practitioner"] = map[string]any{"resourceType": "Practitioner", "id": "1",
		"name": []any{map[string]any{"family": []any{"AssurancePractitioner"}, "given": []any{"AssuranceTest"}, "prefix": []any{"Mr"}}},
		"identifier": []any{map[string]any{"system": "http://fhir.nhs.net/Id/sds-user-id", "value": "GCASDS0001"},
			map[string]any{"system": "http://fhir.nhs.net/Id/sds-role-profile-id", "value": "112233445566"}}}
	return gpctest.Encode(c)
}

func (e *env) careRecord(body []byte, header map[string]string) *result {
	h := map[string]string{"Authorization": dstu2Token("patient/*.read"), "Accept": "application/json+fhir",
		"Content-Type": "application/json+fhir;charset=utf-8"}
	for k, v := range header {
		h[k] = v
	}
	return e.do(call{method: "POST", path: htmlRoot + "/Patient/$gpc.getcarerecord", interaction: gpconnect.IDGetCareRecord,
		body: body, header: h})
}

// dstu2Outcome checks a DSTU2 OperationOutcome: status, Spine code and the
// 0.7 coding system.
func dstu2Outcome(t *testing.T, r *result, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json+fhir") {
		t.Errorf("Content-Type %q", ct)
	}
	var oo struct {
		ResourceType string
		Issue        []struct {
			Details struct {
				Coding []struct{ System, Code string }
			}
			Diagnostics string
		}
	}
	if err := json.Unmarshal(r.body, &oo); err != nil || oo.ResourceType != "OperationOutcome" || len(oo.Issue) != 1 || len(oo.Issue[0].Details.Coding) != 1 {
		t.Fatalf("not a one-issue OperationOutcome: %s", r.body)
	}
	c := oo.Issue[0].Details.Coding[0]
	if c.Code != code || c.System != "http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1" || oo.Issue[0].Diagnostics == "" {
		t.Fatalf("coding %s|%s (%s), want %s", c.System, c.Code, oo.Issue[0].Diagnostics, code)
	}
}

type careRecordBundle struct {
	ResourceType, Type string
	Entry              []struct {
		Resource struct {
			ResourceType string
			Title        string
			Section      []struct {
				Title string
				Code  struct {
					Coding []struct{ System, Code string }
				}
				Text struct{ Status, Div string }
			}
			Identifier []struct{ System, Value string }
		}
	}
}

func TestAccessRecordHTML(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			// Off until switched on.
			r := e.careRecord(careRecordBody(assurance.Patient2, "SUM", ""), nil)
			dstu2Outcome(t, r, 403, gpconnect.SpineAccessDenied)
			if err := e.store.SetGPConnectEnabled(ctx, e.org1.ID, gpconnect.CapHTML, true, "test"); err != nil {
				t.Fatal(err)
			}

			// The Conformance statement.
			r = e.do(call{method: "GET", path: htmlRoot + "/metadata", interaction: gpconnect.IDCareRecordMetadata,
				header: map[string]string{"Authorization": dstu2Token("organization/*.read"), "Accept": "application/json+fhir"}})
			var conf struct {
				ResourceType string
				FHIRVersion  string `json:"fhirVersion"`
				Rest         []struct{ Operation []struct{ Name string } }
			}
			if r.status != 200 || json.Unmarshal(r.body, &conf) != nil || conf.FHIRVersion != "1.0.2" ||
				len(conf.Rest) != 1 || len(conf.Rest[0].Operation) != 1 || conf.Rest[0].Operation[0].Name != "gpc.getcarerecord" {
				t.Fatalf("metadata %d: %s", r.status, r.body)
			}

			// Every section of patient2 answers, Composition first, the
			// section's code and a generated XHTML div.
			for _, section := range []string{"SUM", "ENC", "CLI", "PRB", "ALL", "MED", "REF", "OBS", "IMM", "ADM"} {
				r := e.careRecord(careRecordBody(assurance.Patient2, section, ""), nil)
				if r.status != 200 || r.header.Get("Content-Type") != "application/json+fhir;charset=utf-8" {
					t.Fatalf("%s: %d %s: %s", section, r.status, r.header.Get("Content-Type"), r.body)
				}
				var b careRecordBundle
				if err := json.Unmarshal(r.body, &b); err != nil || b.ResourceType != "Bundle" || len(b.Entry) < 3 {
					t.Fatalf("%s: %v %s", section, err, r.body)
				}
				comp := b.Entry[0].Resource
				if comp.ResourceType != "Composition" || comp.Title != "Patient Care Record" || len(comp.Section) != 1 ||
					comp.Section[0].Code.Coding[0].Code != section || comp.Section[0].Text.Status != "generated" ||
					!strings.HasPrefix(comp.Section[0].Text.Div, "<div") {
					t.Fatalf("%s: first entry %+v", section, comp)
				}
				if err := xml.Unmarshal([]byte(comp.Section[0].Text.Div), new(struct{})); err != nil {
					t.Errorf("%s: the div is not well-formed XML: %v", section, err)
				}
				var patient bool
				for _, en := range b.Entry {
					for _, id := range en.Resource.Identifier {
						patient = patient || (en.Resource.ResourceType == "Patient" && id.System == "http://fhir.nhs.net/Id/nhs-number" && id.Value == string(assurance.Patient2))
					}
				}
				if !patient {
					t.Errorf("%s: no Patient with the NHS number in the http://fhir.nhs.net system", section)
				}
			}
			// patient2's confidential medication is not in MED, and the
			// exclusion banner says something was withheld.
			r = e.careRecord(careRecordBody(assurance.Patient2, "MED", ""), nil)
			if strings.Contains(string(r.body), "Sertraline") || !strings.Contains(string(r.body), "exclusion-banner") {
				t.Errorf("MED shows the confidential item or no exclusion banner")
			}
			// XML on request.
			r = e.careRecord(careRecordBody(assurance.Patient2, "ALL", ""), map[string]string{"Accept": "application/xml+fhir"})
			if r.status != 200 || r.header.Get("Content-Type") != "application/xml+fhir;charset=utf-8" ||
				!strings.Contains(string(r.body), `<Bundle xmlns="http://hl7.org/fhir">`) {
				t.Fatalf("XML: %d %s", r.status, r.body)
			}

			cases := []struct {
				name   string
				body   []byte
				header map[string]string
				status int
				code   string
			}{
				{"STU3 content type", careRecordBody(assurance.Patient2, "SUM", ""), map[string]string{"Content-Type": "application/fhir+json"}, 415, gpconnect.SpineUnsupportedMediaType},
				{"sensitive", careRecordBody(assurance.Patient9, "SUM", ""), nil, 404, gpconnect.SpinePatientNotFound},
				{"deceased long ago", careRecordBody(assurance.Patient18, "SUM", ""), nil, 404, gpconnect.SpinePatientNotFound},
				{"not on PDS", careRecordBody(assurance.Patient14, "SUM", ""), nil, 404, gpconnect.SpinePatientNotFound},
				{"dissent", careRecordBody(assurance.Patient15, "SUM", ""), nil, 403, gpconnect.SpineNoPatientConsent},
				{"invalid NHS number", careRecordBody("9690937287", "SUM", ""), nil, 400, gpconnect.SpineInvalidNHSNumber},
				{"period on ALL", careRecordBody(assurance.Patient2, "ALL", `{"start":"2020-01-01"}`), nil, 400, gpconnect.SpineBadRequest},
				{"lower-case section", careRecordBody(assurance.Patient2, "sum", ""), nil, 422, gpconnect.SpineInvalidParameter},
				{"start after end", careRecordBody(assurance.Patient2, "ENC", `{"start":"2020-02-01","end":"2020-01-01"}`), nil, 422, gpconnect.SpineInvalidParameter},
				{"not Parameters", []byte(`{"resourceType":"Patient"}`), nil, 422, gpconnect.SpineInvalidResource},
				{"STU3 scope", careRecordBody(assurance.Patient2, "SUM", ""), map[string]string{"Authorization": dstu2Token("organization/*.read")}, 400, gpconnect.SpineBadRequest},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					dstu2Outcome(t, e.careRecord(c.body, c.header), c.status, c.code)
				})
			}
			// Audited, with the patient.
			events, err := e.store.AuditEvents(ctx, sqlstore.AuditFilter{Action: gpconnect.IDGetCareRecord, NHSNumber: assurance.Patient15})
			if err != nil || len(events) != 1 || events[0].Outcome != gpconnect.SpineNoPatientConsent {
				t.Errorf("audit of the refusal: %+v %v", events, err)
			}
		})
	}
}
