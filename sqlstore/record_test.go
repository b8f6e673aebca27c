package sqlstore_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

func TestClinicalRecordRoundTrip(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := mustOrg(t, s, "A99991")
		p := testPatient(t, org, 1)
		pt, err := s.UpsertPatient(ctx, &p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClinicalRecord(ctx, pt.ID); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("no record yet: %v", err)
		}
		bp := record.Observation{Item: record.Item{ID: "obs1", Recorded: record.At(time.Date(2026, 3, 29, 10, 30, 0, 0, pcnhub.London))},
			Code: record.SNOMEDCode("75367002", "Blood pressure")}
		r := &record.Record{NHSNumber: pt.NHSNumber, PracticeODS: "A99991",
			Allergies: []record.Allergy{{Item: record.Item{ID: "al1", Recorded: record.YearMonth(2019, time.May), Confidential: true},
				Code: record.SNOMEDCode("294505008", "Amoxicillin allergy"), Status: record.AllergyActive}},
			Problems: []record.Problem{{Item: record.Item{ID: "pr1", Recorded: record.YearOnly(2015)}, Code: record.SNOMEDCode("38341003", "Hypertension"),
				LinkedItems: []string{"obs1"}}},
			Observations: []record.Observation{bp},
		}
		if err := s.PutClinicalRecord(ctx, pt.ID, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClinicalRecord(ctx, pt.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(r)
		b, _ := json.Marshal(got)
		if string(a) != string(b) {
			t.Fatalf("round trip:\n got %s\nwant %s", b, a)
		}
		if !got.Observations[0].Recorded.At.Equal(bp.Recorded.At) || !got.Allergies[0].Confidential {
			t.Fatalf("read back %+v", got)
		}
		// A record whose links do not resolve, or of another patient, is refused.
		bad := *r
		bad.Problems = []record.Problem{{Item: record.Item{ID: "pr1"}, LinkedItems: []string{"nope"}}}
		if err := s.PutClinicalRecord(ctx, pt.ID, &bad); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("dangling link: %v", err)
		}
		other := *r
		other.NHSNumber = nthNHS(t, 99)
		if err := s.PutClinicalRecord(ctx, pt.ID, &other); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("another patient's record: %v", err)
		}
	})
}
