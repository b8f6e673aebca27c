package gpconnect_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

const structuredRoot = root + "/structured"

// structuredEnv is newEnv with Access Record Structured switched on at ORG1.
func structuredEnv(t testing.TB, engine string) *env {
	e := newEnv(t, engine)
	if err := e.store.SetGPConnectEnabled(ctx, e.org1.ID, gpconnect.CapStructured, true, "test"); err != nil {
		t.Fatal(err)
	}
	return e
}

// structuredBody is a $gpc.getstructuredrecord Parameters body for a
// patient with the given area parameters (JSON objects).
func structuredBody(nhs pcnhub.NHSNumber, params ...string) []byte {
	all := append([]string{fmt.Sprintf(`{"name":"patientNHSNumber","valueIdentifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":%q}}`, nhs)}, params...)
	return []byte(`{"resourceType":"Parameters","parameter":[` + strings.Join(all, ",") + `]}`)
}

const allergiesParam = `{"name":"includeAllergies","part":[{"name":"includeResolvedAllergies","valueBoolean":true}]}`

func (e *env) getStructured(body []byte, header map[string]string) *result {
	return e.do(call{method: "POST", path: structuredRoot + "/Patient/$gpc.getstructuredrecord",
		interaction: gpconnect.IDGetStructuredRecord, scope: "patient/*.read", body: body, header: header})
}

// tokenWith is the assurance token with claims changed.
func tokenWith(scope string, change func(map[string]any)) string {
	c := gpctest.Claims(scope, testNow)
	change(c)
	return gpctest.Encode(c)
}

// spineSystem returns the coding system of an OperationOutcome's Spine code.
func spineSystem(t *testing.T, r *result) string {
	t.Helper()
	var oo struct {
		Issue []struct {
			Details struct {
				Coding []struct{ System string }
			}
		}
	}
	if err := json.Unmarshal(r.body, &oo); err != nil || len(oo.Issue) == 0 || len(oo.Issue[0].Details.Coding) == 0 {
		t.Fatalf("not an OperationOutcome: %s", r.body)
	}
	return oo.Issue[0].Details.Coding[0].System
}

func TestStructuredMetadata(t *testing.T) {
	e := structuredEnv(t, "sqlite")
	r := e.do(call{method: "GET", path: structuredRoot + "/metadata", interaction: gpconnect.IDStructuredMetadata})
	cs, ok := e.ok(r).(*fhir.CapabilityStatement)
	if !ok {
		t.Fatalf("not a CapabilityStatement: %s", r.body)
	}
	if cs.Version != gpconnect.StructuredSpecVersion || cs.FHIRVersion != "3.0.1" || cs.Software == nil || cs.Software.Name == "" {
		t.Errorf("version %q, fhirVersion %q, software %+v", cs.Version, cs.FHIRVersion, cs.Software)
	}
	ops := map[string]string{}
	for _, op := range cs.Rest[0].Operation {
		ops[op.Name] = op.Definition.Reference
	}
	if !strings.HasSuffix(ops["gpc.getstructuredrecord"], "GPConnect-GetStructuredRecord-Operation-1") ||
		!strings.HasSuffix(ops["gpc.migratestructuredrecord"], "GPConnect-MigrateStructuredRecord-Operation-1") {
		t.Errorf("operations %v", ops)
	}
	for _, p := range cs.Profile {
		if p.Reference == fhir.ProfileSlot {
			t.Errorf("the structured statement lists the Slot profile")
		}
	}
	// The Foundations interaction id is not this root's.
	r = e.do(call{method: "GET", path: structuredRoot + "/metadata", interaction: gpconnect.IDMetadata})
	e.outcome(r, 400, gpconnect.SpineBadRequest)
	// Foundations paths do not exist under the structured root.
	r = e.do(call{method: "GET", path: structuredRoot + "/Patient/2", interaction: gpconnect.IDReadPatient, scope: "patient/*.read"})
	e.outcome(r, 404, gpconnect.SpineNoRecordFound)
}

// TestStructuredRefusals covers what is refused before any record is read:
// the switch, agreements, token, parameters, and the patient rules of §3.3.
func TestStructuredRefusals(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			body := structuredBody(assurance.Patient2, allergiesParam)

			// Structured is off until switched on: 403 ACCESS DENIED.
			r := e.getStructured(body, nil)
			e.outcome(r, 403, gpconnect.SpineAccessDenied)
			if got := spineSystem(t, r); got != fhir.CodeSystemSpineErrorOrWarningCode {
				t.Errorf("structured error coding system %q, want the CodeSystem URL", got)
			}
			if err := e.store.SetGPConnectEnabled(ctx, e.org1.ID, gpconnect.CapStructured, true, "test"); err != nil {
				t.Fatal(err)
			}

			cases := []struct {
				name   string
				body   []byte
				header map[string]string
				status int
				spine  string
			}{
				{"sensitive patient9", structuredBody(assurance.Patient9, allergiesParam), nil, 404, gpconnect.SpinePatientNotFound},
				{"sensitive patient10", structuredBody(assurance.Patient10, allergiesParam), nil, 404, gpconnect.SpinePatientNotFound},
				{"deceased patient18", structuredBody(assurance.Patient18, allergiesParam), nil, 404, gpconnect.SpinePatientNotFound},
				{"inactive patient21", structuredBody(assurance.Patient21, allergiesParam), nil, 404, gpconnect.SpinePatientNotFound},
				{"not on PDS patient14", structuredBody(assurance.Patient14, allergiesParam), nil, 404, gpconnect.SpinePatientNotFound},
				{"superseded patient11", structuredBody(assurance.Patient11, allergiesParam), nil, 404, gpconnect.SpinePatientNotFound},
				{"not in system", structuredBody(assurance.PatientNotInSystem, allergiesParam), nil, 404, gpconnect.SpinePatientNotFound},
				{"dissent patient15", structuredBody(assurance.Patient15, allergiesParam), nil, 403, gpconnect.SpineNoPatientConsent},
				{"invalid NHS number", structuredBody("9690937287", allergiesParam), nil, 400, gpconnect.SpineInvalidNHSNumber},
				{"no parameters", []byte(`{"resourceType":"Parameters"}`), nil, 422, gpconnect.SpineInvalidParameter},
				{"not Parameters", []byte(`{"resourceType":"Patient"}`), nil, 422, gpconnect.SpineInvalidResource},
				{"migration reason", body, map[string]string{"Authorization": tokenWith("patient/*.read", func(c map[string]any) {
					c["reason_for_request"] = "migration"
				})}, 400, gpconnect.SpineBadRequest},
				{"organisation scope", body, map[string]string{"Authorization": token("organization/*.read")}, 400, gpconnect.SpineBadRequest},
				{"unknown confidentiality scope", body, map[string]string{"Authorization": token("patient/*.read conf/X")}, 400, gpconnect.SpineBadRequest},
				{"no care-record agreement", body, map[string]string{"Authorization": tokenFor("Y99999", "patient/*.read")}, 403, gpconnect.SpineNoOrganisationalConsent},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					r := e.getStructured(c.body, c.header)
					e.outcome(r, c.status, c.spine)
				})
			}
			// Every refusal is audited with its outcome and the patient.
			events, err := e.store.AuditEvents(ctx, sqlstore.AuditFilter{Action: gpconnect.IDGetStructuredRecord, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var consent bool
			for _, ev := range events {
				if ev.Outcome == gpconnect.SpineNoPatientConsent && ev.NHSNumber == assurance.Patient15 {
					consent = true
				}
			}
			if len(events) < len(cases)+1 || !consent {
				t.Errorf("%d audit events for %d refusals; NO_PATIENT_CONSENT for patient15 audited: %v", len(events), len(cases)+1, consent)
			}
		})
	}
}

func (e *env) migrate(body []byte, scope string, change func(map[string]any)) *result {
	tok := tokenWith(scope, func(c map[string]any) {
		c["reason_for_request"] = "migration"
		if change != nil {
			change(c)
		}
	})
	return e.do(call{method: "POST", path: structuredRoot + "/Patient/$gpc.migratestructuredrecord",
		interaction: gpconnect.IDMigrateStructuredRecord, scope: scope, body: body, header: map[string]string{"Authorization": tok}})
}

func migrateBody(nhs pcnhub.NHSNumber, sensitive bool) []byte {
	return []byte(fmt.Sprintf(`{"resourceType":"Parameters","parameter":[
		{"name":"patientNHSNumber","valueIdentifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":%q}},
		{"name":"includeFullRecord","part":[{"name":"includeSensitiveInformation","valueBoolean":%v}]}]}`, nhs, sensitive))
}

func TestMigrateRefusals(t *testing.T) {
	e := newEnv(t, "sqlite") // Structured off: migration ignores the switch
	// The assurance consumer is not patient2's registered practice.
	r := e.migrate(migrateBody(assurance.Patient2, false), "patient/*.read conf/N", nil)
	e.outcome(r, 403, gpconnect.SpineNoRelationship)
	// conf/N with sensitive information asked for.
	r = e.migrate(migrateBody(assurance.Patient2, true), "patient/*.read conf/N", nil)
	e.outcome(r, 400, gpconnect.SpineConflictingValues)
	// Unknown parameters are errors here, unlike get.
	r = e.migrate([]byte(`{"resourceType":"Parameters","parameter":[
		{"name":"patientNHSNumber","valueIdentifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9690937286"}},
		{"name":"includeAllergies"}]}`), "patient/*.read conf/R", nil)
	e.outcome(r, 422, gpconnect.SpineInvalidParameter)
	// The directcare reason is refused.
	r = e.migrate(migrateBody(assurance.Patient2, false), "patient/*.read conf/N", func(c map[string]any) {
		c["reason_for_request"] = "directcare"
	})
	e.outcome(r, 400, gpconnect.SpineBadRequest)
	// Someone not on the demographic register.
	r = e.migrate(migrateBody(assurance.Patient14, false), "patient/*.read conf/N", nil)
	e.outcome(r, 404, gpconnect.SpinePatientNotFound)
}
