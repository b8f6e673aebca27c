package gpconnect_test

import (
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// tokenFor is the assurance token with another requesting organisation.
func tokenFor(ods pcnhub.ODSCode, scope string) string {
	c := gpctest.Claims(scope, testNow)
	c["requesting_organization"] = map[string]any{"resourceType": "Organization", "name": "Elsewhere",
		"identifier": []any{map[string]any{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": string(ods)}}}
	return gpctest.Encode(c)
}

// The provider makes the data sharing agreement check the Spine Secure
// Proxy makes: no agreement in force, no data — 403
// NO_ORGANISATIONAL_CONSENT, audited; the CapabilityStatement needs none;
// Appointment Management needs an appointments agreement, the other
// Foundations interactions any.
func TestDataSharingAgreements(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			const other pcnhub.ODSCode = "A99999"
			if _, err := e.store.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: other, ASID: "200000000999",
				Type: pcnhub.OrgGPPractice, Name: "Another practice"}); err != nil {
				t.Fatal(err)
			}
			as := func(scope string, c call) call {
				c.header = map[string]string{"Authorization": tokenFor(other, scope), "Ssp-From": "200000000999"}
				return c
			}
			slots := as("organization/*.read", call{method: "GET", interaction: gpconnect.IDSearchSlots,
				path: root + "/Slot?status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-26"})
			patient := as("patient/*.read", call{method: "GET", interaction: gpconnect.IDSearchPatient, scope: "patient/*.read",
				path: root + "/Patient?identifier=" + q("https://fhir.nhs.uk/Id/nhs-number|9690937278")})
			meta := as("organization/*.read", call{method: "GET", path: root + "/metadata", interaction: gpconnect.IDMetadata})

			e.outcome(e.do(slots), 403, gpconnect.SpineNoOrganisationalConsent)
			e.outcome(e.do(patient), 403, gpconnect.SpineNoOrganisationalConsent)
			// Claiming to be the practice itself, from another system's
			// ASID, does not get round the check.
			self := patient
			self.header = map[string]string{"Authorization": tokenFor(assurance.ORG1, "patient/*.read"), "Ssp-From": "200000000999"}
			e.outcome(e.do(self), 403, gpconnect.SpineAccessDenied)
			if r := e.do(meta); r.status != 200 {
				t.Fatalf("metadata without an agreement: %d", r.status)
			}
			// A care-record agreement opens Foundations, not appointments.
			if err := e.store.AddAgreement(ctx, &spine.Agreement{Provider: assurance.ORG1, Consumer: other,
				Capability: spine.CareRecord, From: pcnhub.Date{Year: 2026, Month: 1, Day: 1}}); err != nil {
				t.Fatal(err)
			}
			if r := e.do(patient); r.status != 200 {
				t.Fatalf("find patient with a care-record agreement: %d %s", r.status, r.body)
			}
			e.outcome(e.do(slots), 403, gpconnect.SpineNoOrganisationalConsent)
			// An appointments agreement from tomorrow is not yet in force.
			a := &spine.Agreement{Provider: assurance.ORG1, Consumer: other, Capability: spine.Appointments,
				From: pcnhub.Date{Year: 2026, Month: 11, Day: 25}}
			if err := e.store.AddAgreement(ctx, a); err != nil {
				t.Fatal(err)
			}
			e.outcome(e.do(slots), 403, gpconnect.SpineNoOrganisationalConsent)
			if err := e.store.AddAgreement(ctx, &spine.Agreement{Provider: assurance.ORG1, Consumer: other,
				Capability: spine.Appointments, From: pcnhub.Date{Year: 2026, Month: 11, Day: 1}}); err != nil {
				t.Fatal(err)
			}
			if r := e.do(slots); r.status != 200 {
				t.Fatalf("slot search with an agreement in force: %d %s", r.status, r.body)
			}
			// The refusals are in the audit trail, with their code.
			events, err := e.store.AuditEvents(ctx, sqlstore.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			refused := 0
			for _, ev := range events {
				if ev.RequesterODS == other && ev.Outcome == gpconnect.SpineNoOrganisationalConsent &&
					strings.Contains(ev.Action, "gpconnect") {
					refused++
				}
			}
			if refused != 4 {
				t.Fatalf("%d refusals audited, want 4", refused)
			}
			// The practice itself, from its own ASID, needs no agreement.
			self.header["Ssp-From"] = providerASID
			if r := e.do(self); r.status != 200 {
				t.Fatalf("the practice as its own consumer: %d %s", r.status, r.body)
			}
		})
	}
}
