package assurance

import (
	"context"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// The clinical records meet Part A's conditions, and load on both engines.
func TestClinicalRecords(t *testing.T) {
	byNHS := map[pcnhub.NHSNumber]record.Record{}
	for _, cr := range records() {
		if cr.OrgODS != ORG1 || cr.PracticeODS != ORG1 {
			t.Fatalf("record of %s at %s", cr.NHSNumber, cr.OrgODS)
		}
		if err := cr.Record.Validate(); err != nil {
			t.Fatalf("%s: %v", cr.NHSNumber, err)
		}
		byNHS[cr.NHSNumber] = cr.Record
	}
	p1 := byNHS[Patient1]
	if len(p1.Allergies) != 0 || len(p1.Medications) != 0 {
		t.Error("patient1 must have no allergies (not even no-known-allergies) and no medications")
	}
	p2 := byNHS[Patient2]
	areas := map[string]int{"allergies": len(p2.Allergies), "medications": len(p2.Medications), "problems": len(p2.Problems),
		"consultations": len(p2.Consultations), "observations": len(p2.Observations), "immunisations": len(p2.Immunisations),
		"investigations": len(p2.Investigations), "referrals": len(p2.Referrals), "diary": len(p2.DiaryEntries), "documents": len(p2.Documents)}
	for a, n := range areas {
		if n == 0 {
			t.Errorf("patient2 has no %s", a)
		}
	}
	confidentialMed, threeYears, parentChild, topicProblem, reportLinked, referralLinked, decade := false, false, false, false, false, false, false
	for _, m := range p2.Medications {
		confidentialMed = confidentialMed || m.Confidential
		s, _ := m.Authorisation.Effective.Start.Interval()
		threeYears = threeYears || s.Year() <= 2023
	}
	linked := map[string]bool{}
	for _, pr := range p2.Problems {
		for _, l := range pr.Related {
			parentChild = parentChild || l.Relation == record.RelationChild
		}
		for _, id := range pr.LinkedItems {
			linked[id] = true
		}
	}
	for _, c := range p2.Consultations {
		for _, tp := range c.Topics {
			topicProblem = topicProblem || tp.ProblemID != ""
		}
	}
	for _, inv := range p2.Investigations {
		reportLinked = reportLinked || linked[inv.ID]
	}
	for _, r := range p2.Referrals {
		referralLinked = referralLinked || linked[r.ID]
	}
	for _, d := range p2.DiaryEntries {
		s, _ := d.Due.Interval()
		decade = decade || s.Year() >= 2035
	}
	if !confidentialMed || !threeYears || !parentChild || !topicProblem || !reportLinked || !referralLinked || !decade || p2.Documents[0].Size > 100<<20 {
		t.Errorf("patient2: confidential med %v, 3 years back %v, parent/child %v, topic→problem %v, report→problem %v, referral→problem %v, diary 10 years %v",
			confidentialMed, threeYears, parentChild, topicProblem, reportLinked, referralLinked, decade)
	}
	if p3 := byNHS[Patient3]; len(p3.Problems) != 0 || len(p3.Documents) != 0 || len(p3.Allergies) == 0 || len(p3.Medications) == 0 ||
		len(p3.Consultations) == 0 || len(p3.Investigations) == 0 || len(p3.DiaryEntries) == 0 {
		t.Error("patient3: every area but problems and documents")
	}
	if p4 := byNHS[Patient4]; len(p4.Documents) != 1 || p4.Documents[0].Size <= 5<<20 || len(p4.Allergies) == 0 {
		t.Error("patient4: allergies and a document over 5 MB")
	}
	if p5 := byNHS[Patient5]; len(p5.Allergies) != 1 || !p5.Allergies[0].NoKnownAllergies || len(p5.Medications) < 2 {
		t.Error("patient5: no known allergies and current and repeat medications")
	}
	for _, nhs := range []pcnhub.NHSNumber{Patient6, Patient7, Patient8} {
		if r := byNHS[nhs]; len(r.Allergies) == 0 || len(r.Problems) != 0 {
			t.Errorf("%s: allergies and no problems", nhs)
		}
	}
	if !byNHS[Patient13].InTransit {
		t.Error("patient13 is in transit")
	}
	conf, noReason := false, false
	for _, a := range byNHS[Patient16].Allergies {
		conf = conf || a.Confidential
		noReason = noReason || a.Status == record.AllergyResolved && a.EndReason == ""
	}
	endedAll := len(byNHS[Patient17].Allergies) > 0
	for _, a := range byNHS[Patient17].Allergies {
		endedAll = endedAll && a.Status == record.AllergyResolved
	}
	if !conf || !noReason || !endedAll {
		t.Errorf("patient16 confidential %v, ended without a reason %v; patient17 ended %v", conf, noReason, endedAll)
	}

	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := sqltest.Open(t, engine, nil)
			ds := Dataset()
			ds.People = nil
			st, err := s.LoadDataset(ctx, ds, "test")
			if err != nil {
				t.Fatal(err)
			}
			if st.Records != len(records()) {
				t.Fatalf("%d records loaded", st.Records)
			}
			org, _ := s.OrganisationByODS(ctx, ORG1)
			pt, err := s.PatientByNHSNumber(ctx, org.ID, Patient2)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.ClinicalRecord(ctx, pt.ID)
			if err != nil || len(got.Problems) != 3 || got.Items() != p2.Items() {
				t.Fatalf("patient2's stored record: %d items (%v)", got.Items(), err)
			}
		})
	}
}
