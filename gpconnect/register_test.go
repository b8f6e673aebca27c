package gpconnect_test

import (
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/seed/assurance"
)

// registerBody is a $gpc.registerpatient Parameters for a person.
func registerBody(nhs pcnhub.NHSNumber, family, given, birth, gender string) []byte {
	return []byte(`{"resourceType":"Parameters","parameter":[{"name":"registerPatient","resource":{"resourceType":"Patient",
	"meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1"]},
	"identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"` + string(nhs) + `"}],
	"name":[{"use":"official","family":"` + family + `","given":["` + given + `"]}],
	"telecom":[{"system":"phone","value":"01632 960777","use":"home"}],
	"gender":"` + gender + `","birthDate":"` + birth + `",
	"address":[{"use":"home","line":["1 Test Street"],"city":"Leeds","postalCode":"LS1 1AA"}]}}]}`)
}

func TestRegisterPatient(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			register := func(body []byte) *result {
				return e.do(call{method: "POST", path: root + "/Patient/$gpc.registerpatient", interaction: gpconnect.IDRegisterPatient,
					scope: "patient/*.write", body: body})
			}
			first, _ := assurance.RegisterPatientRange()
			person, err := e.store.PersonByNHSNumber(ctx, first)
			if err != nil {
				t.Fatal(err)
			}
			given := person.Name.Given[0]
			body := registerBody(first, person.Name.Family, given, person.BirthDate.String(), string(person.Gender))

			// A person on the register but not at the practice is registered temporarily.
			b := bundle(t, e.ok(register(body)))
			if len(b.Entry) != 1 {
				t.Fatalf("register: %d entries", len(b.Entry))
			}
			pt := b.Entry[0].Resource.(*fhir.Patient)
			if pt.Identifier[0].Value != string(first) || pt.ID == "" {
				t.Fatalf("registered patient %+v", pt)
			}
			var regType string
			for _, ext := range pt.Extension {
				for _, sub := range ext.Extension {
					if sub.URL == "registrationType" {
						regType = sub.ValueCodeableConcept.Coding[0].Code
					}
				}
			}
			if regType != "T" {
				t.Errorf("registration type %q, want T (temporary)", regType)
			}
			// Now findable, and a second registration is a duplicate.
			found := bundle(t, e.ok(e.do(call{method: "GET", path: root + "/Patient?identifier=" + q("https://fhir.nhs.uk/Id/nhs-number|"+string(first)),
				interaction: gpconnect.IDSearchPatient, scope: "patient/*.read"})))
			if len(found.Entry) != 1 {
				t.Fatalf("registered patient not findable")
			}
			e.outcome(register(body), 409, "DUPLICATE_REJECTED")

			// Trace failures.
			second := nextRegisterPerson(t, e, first)
			p2, _ := e.store.PersonByNHSNumber(ctx, second)
			wrongDOB := p2.BirthDate.AddDays(1).String()
			e.outcome(register(registerBody(second, p2.Name.Family, p2.Name.Given[0], wrongDOB, string(p2.Gender))), 400, "INVALID_PATIENT_DEMOGRAPHICS")
			e.outcome(register(registerBody(second, "Nobody", p2.Name.Given[0], p2.BirthDate.String(), string(p2.Gender))), 400, "INVALID_PATIENT_DEMOGRAPHICS")
			e.outcome(register(registerBody(assurance.Patient14, "Any", "Body", "1980-01-01", "male")), 400, "INVALID_PATIENT_DEMOGRAPHICS") // not on the register
			dead, _ := e.store.PersonByNHSNumber(ctx, assurance.Patient18)
			e.outcome(register(registerBody(assurance.Patient18, dead.Name.Family, dead.Name.Given[0], dead.BirthDate.String(), string(dead.Gender))), 400, "INVALID_PATIENT_DEMOGRAPHICS")
			sens, _ := e.store.PersonByNHSNumber(ctx, assurance.Patient9)
			e.outcome(register(registerBody(assurance.Patient9, sens.Name.Family, sens.Name.Given[0], sens.BirthDate.String(), string(sens.Gender))), 400, "INVALID_PATIENT_DEMOGRAPHICS")
			old, _ := e.store.PersonByNHSNumber(ctx, assurance.Patient11)
			e.outcome(register(registerBody(assurance.Patient11, old.Name.Family, old.Name.Given[0], old.BirthDate.String(), string(old.Gender))), 400, "INVALID_NHS_NUMBER")
			e.outcome(register(registerBody("9000000008", "X", "Y", "1980-01-01", "male")), 400, "INVALID_NHS_NUMBER")
			// Bad bodies.
			e.outcome(register([]byte(`{"resourceType":"Parameters","parameter":[{"name":"somethingElse"}]}`)), 422, "INVALID_RESOURCE")
			e.outcome(register([]byte(strings.Replace(string(registerBody(second, p2.Name.Family, p2.Name.Given[0], p2.BirthDate.String(), "female")),
				`"gender"`, `"maritalStatus":{"text":"single"},"gender"`, 1))), 422, "INVALID_RESOURCE")
			e.outcome(register([]byte(`not json`)), 422, "INVALID_RESOURCE")
		})
	}
}

// nextRegisterPerson returns a register-patient person after n.
func nextRegisterPerson(t testing.TB, e *env, n pcnhub.NHSNumber) pcnhub.NHSNumber {
	t.Helper()
	_, last := assurance.RegisterPatientRange()
	for prefix := mustPrefix(n) + 1; ; prefix++ {
		cand, ok := pcnhub.NHSNumberFromPrefix(prefix)
		if !ok {
			continue
		}
		if cand > last {
			t.Fatal("no second register person")
		}
		if _, err := e.store.PersonByNHSNumber(ctx, cand); err == nil {
			return cand
		}
	}
}

func mustPrefix(n pcnhub.NHSNumber) uint32 {
	var p uint32
	for _, c := range string(n[:9]) {
		p = p*10 + uint32(c-'0')
	}
	return p
}
