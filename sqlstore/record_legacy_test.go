package sqlstore

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// A record stored as JSON before migration 0012 (doc NULL) is still read,
// and the next write replaces it with a gob document.
func TestClinicalRecordStoredAsJSONBefore0012(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "", Options{DataDir: t.TempDir(), Clock: pcnhub.FixedClock(time.Date(2026, 11, 24, 9, 0, 0, 0, pcnhub.London))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	orgID, err := s.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: "A99991", Name: "Test Practice", Type: pcnhub.OrgGPPractice, Hosted: true})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := s.UpsertPatient(ctx, &pcnhub.Patient{OrganisationID: orgID, NHSNumber: "9990000018",
		Name: pcnhub.HumanName{Family: "Legacy", Given: []string{"Jay"}}, Gender: pcnhub.GenderMale,
		BirthDate:    pcnhub.Date{Year: 1980, Month: 1, Day: 1},
		Registration: pcnhub.Registration{Type: pcnhub.RegGMS, Status: pcnhub.RegActive, Start: pcnhub.Date{Year: 2020, Month: 1, Day: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	r := &record.Record{NHSNumber: pt.NHSNumber, PracticeODS: "A99991", Problems: []record.Problem{{
		Item: record.Item{ID: "p1", Recorded: record.YearOnly(2015)}, Code: record.SNOMEDCode("38341003", "Hypertensive disorder"),
		Status: record.ProblemActive}}}
	body, _ := json.Marshal(r)
	if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO clinical_records (patient_id, body, items, updated_us) VALUES (?, ?, 1, 0)`), pt.ID, string(body)); err != nil {
		t.Fatal(err)
	}
	got, err := s.ClinicalRecord(ctx, pt.ID)
	if err != nil || len(got.Problems) != 1 || got.Problems[0].Code.Code != "38341003" || got.Problems[0].Recorded != record.YearOnly(2015) {
		t.Fatalf("legacy JSON record: %+v, %v", got, err)
	}
	if err := s.PutClinicalRecord(ctx, pt.ID, got); err != nil {
		t.Fatal(err)
	}
	var doc []byte
	var version int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT doc, version FROM clinical_records WHERE patient_id = ?`), pt.ID).Scan(&doc, &version); err != nil || doc == nil || version != 2 {
		t.Fatalf("after a write: doc %d bytes, version %d, %v", len(doc), version, err)
	}
}
