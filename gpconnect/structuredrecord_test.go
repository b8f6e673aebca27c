package gpconnect_test

import (
	"encoding/json"
	"fmt"
	"slices"
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

// structuredBundle decodes a 200 collection Bundle and indexes it.
type structuredAnswer struct {
	bundle *fhir.Bundle
	raw    map[string]any
	lists  map[string]*fhir.List // by SNOMED code
	types  map[string]int        // resource type → count
}

func (e *env) structuredOK(r *result) *structuredAnswer {
	e.t.Helper()
	res := e.ok(r)
	b, ok := res.(*fhir.Bundle)
	if !ok || b.Type != "collection" || b.Meta == nil || b.Meta.Profile[0] != fhir.ProfileStructuredRecordBundle {
		e.t.Fatalf("not a structured record Bundle: %.500s", r.body)
	}
	a := &structuredAnswer{bundle: b, lists: map[string]*fhir.List{}, types: map[string]int{}}
	json.Unmarshal(r.body, &a.raw)
	for _, en := range b.Entry {
		a.types[en.Resource.ResourceType()]++
		if l, ok := en.Resource.(*fhir.List); ok && l.Code != nil && len(l.Code.Coding) > 0 {
			a.lists[l.Code.Coding[0].Code] = l
		}
	}
	// Every reference resolves to an entry.
	have := map[string]bool{}
	for _, en := range b.Entry {
		have[en.Resource.ResourceType()+"/"+fhir.LogicalID(en.Resource)] = true
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && k == "reference" && !strings.HasPrefix(s, "#") && !have[s] {
					e.t.Errorf("reference %s does not resolve", s)
				}
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(a.raw)
	return a
}

func listWarnings(l *fhir.List) []string {
	var out []string
	for _, x := range l.Extension {
		if strings.HasSuffix(x.URL, "Extension-CareConnect-GPC-ListWarningCode-1") {
			out = append(out, x.ValueCode)
		}
	}
	return out
}

func TestGetStructuredRecord(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			e := structuredEnv(t, engine)
			// patient2: every area; the confidential sertraline is left out
			// and its List says so.
			a := e.structuredOK(e.getStructured(structuredBody(assurance.Patient2, everyArea...), nil))
			for code, title := range map[string]string{"886921000000105": "Allergies and adverse reactions", "933361000000108": "Medications and medical devices",
				"717711000000103": "Problems", "1149501000000101": "List of consultations", "1102181000000102": "Immunisations",
				"826501000000100": "Miscellaneous record", "887191000000108": "Investigations and results", "792931000000107": "Outbound referral",
				"714311000000108": "Patient recall administration"} {
				if a.lists[code] == nil {
					t.Errorf("no List %s (%s)", code, title)
				}
			}
			if meds := a.lists["933361000000108"]; meds == nil || !slices.Contains(listWarnings(meds), "confidential-items") {
				t.Errorf("the medications List has no confidential-items warning")
			}
			body := string(e.getStructured(structuredBody(assurance.Patient2, everyArea...), nil).body)
			if strings.Contains(body, "Sertraline") {
				t.Errorf("the confidential medication is in the answer")
			}
			if a.types["Patient"] != 1 || a.types["MedicationStatement"] == 0 || a.types["Condition"] == 0 || a.types["Encounter"] == 0 {
				t.Errorf("resource counts %v", a.types)
			}

			// patient3 has no problems: an empty List with its reason.
			a = e.structuredOK(e.getStructured(structuredBody(assurance.Patient3, `{"name":"includeProblems"}`), nil))
			if l := a.lists["717711000000103"]; l == nil || len(l.Entry) != 0 || l.EmptyReason == nil || l.EmptyReason.Coding[0].Code != "no-content-recorded" {
				t.Errorf("patient3 problems List: %+v", l)
			}
			// patient13's record is in transit.
			a = e.structuredOK(e.getStructured(structuredBody(assurance.Patient13, allergiesParam), nil))
			if l := a.lists["886921000000105"]; l == nil || !slices.Contains(listWarnings(l), "data-in-transit") {
				t.Errorf("patient13: no data-in-transit warning")
			}
			// An unknown parameter and a disabled area: 200 with warnings.
			if err := e.store.SetGPConnectEnabled(ctx, e.org1.ID, gpconnect.StructuredAreaSwitch("includeImmunisations"), false, "test"); err != nil {
				t.Fatal(err)
			}
			a = e.structuredOK(e.getStructured(structuredBody(assurance.Patient2, allergiesParam, `{"name":"includeImmunisations"}`,
				`{"name":"includeEverything"}`), nil))
			var texts []string
			for _, en := range a.bundle.Entry {
				if oo, ok := en.Resource.(*fhir.OperationOutcome); ok {
					for _, is := range oo.Issue {
						if is.Severity != "warning" || is.Code != "not-supported" {
							t.Errorf("warning issue %+v", is)
						}
						texts = append(texts, is.Details.Text)
					}
				}
			}
			slices.Sort(texts)
			if want := []string{"includeEverything is an unrecognised parameter", "includeImmunisations has been disabled"}; !slices.Equal(texts, want) {
				t.Errorf("warnings %q, want %q", texts, want)
			}
			if a.lists["1102181000000102"] != nil && len(a.lists["1102181000000102"].Entry) > 0 {
				t.Errorf("the disabled area answered data")
			}
			// XML, and the 1.6 confidentiality scope.
			r := e.getStructured(structuredBody(assurance.Patient5, allergiesParam), map[string]string{"Accept": fhir.MIMEXML,
				"Authorization": token("patient/*.read conf/N")})
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), fhir.MIMEXML) || !strings.Contains(string(r.body), "716186003") {
				t.Errorf("XML answer for patient5 (no known allergies): %d %.300s", r.status, r.body)
			}
		})
	}
}

// Migration: the patient's registered practice gets the whole record; the
// confidential items only with conf/R and includeSensitiveInformation.
func TestMigrateStructuredRecord(t *testing.T) {
	e := newEnv(t, "sqlite")
	asPractice := func(c map[string]any) {
		c["requesting_organization"] = map[string]any{"resourceType": "Organization", "name": "Practice",
			"identifier": []any{map[string]any{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": string(assurance.ORG1)}}}
	}
	migrate := func(sensitive bool, scope string) *result {
		tok := tokenWith(scope, func(c map[string]any) { c["reason_for_request"] = "migration"; asPractice(c) })
		return e.do(call{method: "POST", path: structuredRoot + "/Patient/$gpc.migratestructuredrecord",
			interaction: gpconnect.IDMigrateStructuredRecord, body: migrateBody(assurance.Patient2, sensitive),
			header: map[string]string{"Authorization": tok, "Ssp-From": string(e.org1.ASID)}})
	}
	full := e.structuredOK(migrate(true, "patient/*.read conf/R"))
	if !strings.Contains(string(migrate(true, "patient/*.read conf/R").body), "Sertraline") {
		t.Errorf("conf/R with sensitive information leaves the confidential medication out")
	}
	plain := migrate(false, "patient/*.read conf/N")
	if plain.status != 200 || strings.Contains(string(plain.body), "Sertraline") {
		t.Errorf("conf/N: %d, confidential medication present: %v", plain.status, strings.Contains(string(plain.body), "Sertraline"))
	}
	if full.types["MedicationStatement"] <= e.structuredOK(plain).types["MedicationStatement"] {
		t.Errorf("the full migration holds no more medications than the one without sensitive information")
	}
}

// Every assurance patient (assurance.md Part A) gets the answer its
// condition calls for, from both access-record interactions: the record,
// or 404 PATIENT_NOT_FOUND, or 403 NO_PATIENT_CONSENT.
func TestAccessRecordForEveryAssurancePatient(t *testing.T) {
	e := structuredEnv(t, "sqlite")
	if err := e.store.SetGPConnectEnabled(ctx, e.org1.ID, gpconnect.CapHTML, true, "test"); err != nil {
		t.Fatal(err)
	}
	ok, notFound, dissent := 200, 404, 403
	patients := []struct {
		name string
		nhs  pcnhub.NHSNumber
		want int
	}{
		{"patient1", assurance.Patient1, ok}, {"patient2", assurance.Patient2, ok}, {"patient3", assurance.Patient3, ok},
		{"patient4", assurance.Patient4, ok}, {"patient5", assurance.Patient5, ok}, {"patient6", assurance.Patient6, ok},
		{"patient7", assurance.Patient7, ok}, {"patient8", assurance.Patient8, ok},
		{"patient9 sensitive", assurance.Patient9, notFound}, {"patient10 sensitive", assurance.Patient10, notFound},
		{"patient11 superseded", assurance.Patient11, notFound}, {"patient12 merged", assurance.Patient12, notFound},
		{"patient13 in transit", assurance.Patient13, ok}, {"patient14 not on PDS", assurance.Patient14, notFound},
		{"patient15 dissent", assurance.Patient15, dissent}, {"patient16", assurance.Patient16, ok}, {"patient17", assurance.Patient17, ok},
		{"patient18 deceased", assurance.Patient18, notFound}, {"patientNoAppointments", assurance.PatientNoAppointments, ok},
		{"patient21 inactive", assurance.Patient21, notFound}, {"patientNotInSystem", assurance.PatientNotInSystem, notFound},
	}
	for _, p := range patients {
		t.Run(p.name, func(t *testing.T) {
			r := e.getStructured(structuredBody(p.nhs, everyArea...), nil)
			if r.status != p.want {
				t.Errorf("structured: %d, want %d: %.300s", r.status, p.want, r.body)
			} else if p.want == ok {
				e.structuredOK(r)
			}
			for _, section := range []string{"SUM", "ALL", "MED"} {
				if h := e.careRecord(careRecordBody(p.nhs, section, ""), nil); h.status != p.want {
					t.Errorf("HTML %s: %d, want %d: %.300s", section, h.status, p.want, h.body)
				}
			}
		})
	}
}
