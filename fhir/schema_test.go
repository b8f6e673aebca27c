package fhir

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/fhir/fhirtest"
)

// schemaDefinition maps each struct of the package to its definition in the
// STU3 JSON schema.
var schemaDefinition = map[string]string{
	"Extension": "Extension", "Coding": "Coding", "CodeableConcept": "CodeableConcept", "Identifier": "Identifier",
	"HumanName": "HumanName", "ContactPoint": "ContactPoint", "Address": "Address", "Period": "Period",
	"Reference": "Reference", "Meta": "Meta", "Narrative": "Narrative", "Quantity": "Quantity", "Range": "Range",
	"Ratio": "Ratio", "Annotation": "Annotation", "Attachment": "Attachment", "Signature": "Signature",
	"ContactDetail": "ContactDetail", "UsageContext": "UsageContext",

	"Patient": "Patient", "PatientContact": "Patient_Contact", "PatientAnimal": "Patient_Animal",
	"PatientCommunication": "Patient_Communication", "PatientLink": "Patient_Link",
	"Practitioner": "Practitioner", "PractitionerQualification": "Practitioner_Qualification",
	"PractitionerRole": "PractitionerRole", "PractitionerRoleAvailableTime": "PractitionerRole_AvailableTime",
	"PractitionerRoleNotAvailable": "PractitionerRole_NotAvailable",
	"Organization":                 "Organization", "OrganizationContact": "Organization_Contact",
	"Location": "Location", "LocationPosition": "Location_Position",
	"Schedule": "Schedule", "Slot": "Slot", "Appointment": "Appointment", "AppointmentParticipant": "Appointment_Participant",
	"Device": "Device", "DeviceUDI": "Device_Udi",
	"OperationOutcome": "OperationOutcome", "OperationOutcomeIssue": "OperationOutcome_Issue",
	"Bundle": "Bundle", "BundleLink": "Bundle_Link", "BundleEntry": "Bundle_Entry", "BundleEntrySearch": "Bundle_Search",
	"BundleEntryRequest": "Bundle_Request", "BundleEntryResponse": "Bundle_Response",
	"Parameters": "Parameters", "ParametersParameter": "Parameters_Parameter",
	"CapabilityStatement": "CapabilityStatement", "CapabilityStatementSoftware": "CapabilityStatement_Software",
	"CapabilityStatementImplementation": "CapabilityStatement_Implementation", "CapabilityStatementRest": "CapabilityStatement_Rest",
	"CapabilityStatementRestSecurity": "CapabilityStatement_Security", "CapabilityStatementRestSecurityCertificate": "CapabilityStatement_Certificate",
	"CapabilityStatementRestResource": "CapabilityStatement_Resource", "CapabilityStatementRestResourceInteraction": "CapabilityStatement_Interaction",
	"CapabilityStatementSearchParam": "CapabilityStatement_SearchParam", "CapabilityStatementRestInteraction": "CapabilityStatement_Interaction1",
	"CapabilityStatementRestOperation": "CapabilityStatement_Operation", "CapabilityStatementMessaging": "CapabilityStatement_Messaging",
	"CapabilityStatementMessagingEndpoint": "CapabilityStatement_Endpoint", "CapabilityStatementMessagingSupportedMessage": "CapabilityStatement_SupportedMessage",
	"CapabilityStatementMessagingEvent": "CapabilityStatement_Event", "CapabilityStatementDocument": "CapabilityStatement_Document",

	// Access Record Structured (clinical.go).
	"AllergyIntolerance": "AllergyIntolerance", "Age": "Age",
	"AllergyIntoleranceReaction": "AllergyIntolerance_Reaction", "Medication": "Medication",
	"MedicationIngredient": "Medication_Ingredient", "MedicationPackage": "Medication_Package",
	"MedicationContent": "Medication_Content", "MedicationBatch": "Medication_Batch",
	"MedicationStatement": "MedicationStatement", "Dosage": "Dosage", "Timing": "Timing",
	"TimingRepeat": "Timing_Repeat", "Duration": "Duration", "MedicationRequest": "MedicationRequest",
	"MedicationRequestRequester":       "MedicationRequest_Requester",
	"MedicationRequestDispenseRequest": "MedicationRequest_DispenseRequest",
	"MedicationRequestSubstitution":    "MedicationRequest_Substitution", "Condition": "Condition",
	"ConditionStage": "Condition_Stage", "ConditionEvidence": "Condition_Evidence", "Encounter": "Encounter",
	"EncounterStatusHistory": "Encounter_StatusHistory", "EncounterClassHistory": "Encounter_ClassHistory",
	"EncounterParticipant": "Encounter_Participant", "EncounterDiagnosis": "Encounter_Diagnosis",
	"EncounterHospitalization": "Encounter_Hospitalization", "EncounterLocation": "Encounter_Location",
	"List": "List", "ListEntry": "List_Entry", "Observation": "Observation", "SampledData": "SampledData",
	"ObservationReferenceRange": "Observation_ReferenceRange", "ObservationRelated": "Observation_Related",
	"ObservationComponent": "Observation_Component", "Immunization": "Immunization",
	"ImmunizationPractitioner": "Immunization_Practitioner",
	"ImmunizationExplanation":  "Immunization_Explanation", "ImmunizationReaction": "Immunization_Reaction",
	"ImmunizationVaccinationProtocol": "Immunization_VaccinationProtocol", "DiagnosticReport": "DiagnosticReport",
	"DiagnosticReportPerformer": "DiagnosticReport_Performer", "DiagnosticReportImage": "DiagnosticReport_Image",
	"Specimen": "Specimen", "SpecimenCollection": "Specimen_Collection",
	"SpecimenProcessing": "Specimen_Processing", "SpecimenContainer": "Specimen_Container",
	"ProcedureRequest": "ProcedureRequest", "ProcedureRequestRequester": "ProcedureRequest_Requester",
	"ReferralRequest": "ReferralRequest", "ReferralRequestRequester": "ReferralRequest_Requester",
	"DocumentReference": "DocumentReference", "DocumentReferenceRelatesTo": "DocumentReference_RelatesTo",
	"DocumentReferenceContent": "DocumentReference_Content",
	"DocumentReferenceContext": "DocumentReference_Context",
	"DocumentReferenceRelated": "DocumentReference_Related", "HealthcareService": "HealthcareService",
	"HealthcareServiceAvailableTime": "HealthcareService_AvailableTime",
	"HealthcareServiceNotAvailable":  "HealthcareService_NotAvailable",
	"QuestionnaireResponse":          "QuestionnaireResponse", "QuestionnaireResponseItem": "QuestionnaireResponse_Item",
	"QuestionnaireResponseAnswer": "QuestionnaireResponse_Answer",
}

// incomplete lists the structs that leave out some STU3 elements on purpose:
// the value[x] types no GP Connect payload uses.
var incomplete = map[string]bool{"Extension": true, "ParametersParameter": true}

// primitiveKinds maps schema primitive definitions to our kinds.
var primitiveKinds = map[string]kind{
	"string": kString, "code": kCode, "id": kID, "uri": kURI, "markdown": kMarkdown, "oid": kOID,
	"base64Binary": kBase64, "time": kTime, "xhtml": kXHTML, "boolean": kBool, "integer": kInteger,
	"unsignedInt": kUnsignedInt, "positiveInt": kPositiveInt, "decimal": kDecimal, "date": kDate,
	"dateTime": kDateTime, "instant": kInstant,
}

type schemaProp struct {
	Ref   string      `json:"$ref"`
	Type  string      `json:"type"`
	Enum  []string    `json:"enum"`
	Items *schemaProp `json:"items"`
}

// orderedProps reads the property names of a definition in document order
// (encoding/json maps lose it).
func orderedProps(t *testing.T, raw json.RawMessage) ([]string, map[string]schemaProp) {
	var def struct {
		Properties json.RawMessage `json:"properties"`
		AllOf      []struct {
			Properties json.RawMessage `json:"properties"`
		} `json:"allOf"`
	}
	if err := json.Unmarshal(raw, &def); err != nil {
		t.Fatal(err)
	}
	props := def.Properties
	for _, a := range def.AllOf {
		if a.Properties != nil {
			props = a.Properties
		}
	}
	var m map[string]schemaProp
	if err := json.Unmarshal(props, &m); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(props)))
	dec.Token() // {
	var names []string
	for dec.More() {
		tok, _ := dec.Token()
		names = append(names, tok.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	return names, m
}

// TestElementsMatchSchema checks every struct reachable from the registered
// resources against the STU3 JSON schema: each element exists, elements come
// in STU3 order (which the XML codec relies on), repeating elements are
// slices, primitive types and required-binding value sets agree, and (except
// for the structs listed in incomplete) no STU3 element is missing.
func TestElementsMatchSchema(t *testing.T) {
	path := fhirtest.SharedPath(t, fhirtest.SchemaPath)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	seen := map[*plan]bool{}
	var visit func(p *plan)
	visit = func(p *plan) {
		if seen[p] {
			return
		}
		seen[p] = true
		goName := p.typ.Name()
		defName, ok := schemaDefinition[goName]
		if !ok {
			t.Errorf("%s: no schema definition mapped", goName)
			return
		}
		raw, ok := schema.Definitions[defName]
		if !ok {
			t.Errorf("%s: schema has no definition %s", goName, defName)
			return
		}
		order, props := orderedProps(t, raw)
		pos := map[string]int{}
		for i, n := range order {
			pos[n] = i
		}
		last := -1
		have := map[string]bool{}
		for i := range p.fields {
			f := &p.fields[i]
			have[f.name] = true
			sp, ok := props[f.name]
			if !ok {
				t.Errorf("%s.%s: not an element of %s", goName, f.name, defName)
				continue
			}
			if !f.attr { // XML attributes may be declared anywhere
				if pos[f.name] < last {
					t.Errorf("%s.%s: out of STU3 order", goName, f.name)
				}
				last = pos[f.name]
			}
			if (sp.Type == "array") != f.repeated {
				t.Errorf("%s.%s: repeated = %v, schema type %q", goName, f.name, f.repeated, sp.Type)
			}
			if sp.Items != nil {
				sp = *sp.Items
			}
			ref := strings.TrimPrefix(sp.Ref, "#/definitions/")
			switch {
			case sp.Enum != nil:
				if f.kind != kCode || !reflect.DeepEqual(f.enum, sp.Enum) {
					t.Errorf("%s.%s: kind %s enum %v, schema enum %v", goName, f.name, kindNames[f.kind], f.enum, sp.Enum)
				}
			case ref == "ResourceList":
				if f.kind != kResource {
					t.Errorf("%s.%s: should be a Resource", goName, f.name)
				}
			case ref != "":
				if k, ok := primitiveKinds[ref]; ok {
					if f.kind != k {
						t.Errorf("%s.%s: kind %s, schema %s", goName, f.name, kindNames[f.kind], ref)
					}
				} else if f.kind != kStruct || schemaDefinition[f.sub.typ.Name()] != ref {
					t.Errorf("%s.%s: type %v, schema %s", goName, f.name, f.elem, ref)
				}
			default: // an inline choice primitive: check the JSON type
				quoted := f.kind != kBool && !f.kind.isInt() && f.kind != kDecimal
				want := map[string]bool{"boolean": f.kind == kBool, "number": !quoted, "string": quoted}
				if !want[sp.Type] {
					t.Errorf("%s.%s: kind %s, schema type %q", goName, f.name, kindNames[f.kind], sp.Type)
				}
			}
			// daysOfWeek has a required binding in STU3 that the schema does not spell out.
			if f.enum != nil && sp.Enum == nil && f.name != "daysOfWeek" {
				t.Errorf("%s.%s: enum %v where the schema has none", goName, f.name, f.enum)
			}
		}
		if !incomplete[goName] {
			var missing []string
			for _, n := range order {
				if !strings.HasPrefix(n, "_") && n != "resourceType" && !have[n] {
					missing = append(missing, n)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s lacks STU3 elements %v", goName, missing)
			}
		}
		for i := range p.fields {
			if p.fields[i].sub != nil {
				visit(p.fields[i].sub)
			}
		}
	}
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		visit(mustPlan(reflect.TypeOf(registry[n]()).Elem()))
	}
	if len(seen) != len(schemaDefinition) {
		t.Errorf("visited %d structs, schemaDefinition maps %d", len(seen), len(schemaDefinition))
	}
}
