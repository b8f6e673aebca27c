package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir/fhirtest"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// "pcnhub record import" loads an NHS example structured Bundle as the
// record of a patient registered at the practice: a dry run stores
// nothing, an unregistered patient is a clear error, a registered one gets
// the record with as many items as the Bundle holds clinical resources.
func TestRecordImportCommand(t *testing.T) {
	fixture := fhirtest.SharedPath(t, "fixtures/structured-records/Problems_ConsumerData_v0_2.json")
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	// The NHS number of the Bundle's Patient, read here independently.
	var b struct {
		Entry []struct {
			Resource struct {
				ResourceType string
				Identifier   []struct{ System, Value string }
			}
		}
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	var nhs pcnhub.NHSNumber
	conditions := 0
	for _, e := range b.Entry {
		switch e.Resource.ResourceType {
		case "Patient":
			for _, id := range e.Resource.Identifier {
				if id.System == "https://fhir.nhs.uk/Id/nhs-number" {
					nhs = pcnhub.NHSNumber(id.Value)
				}
			}
		case "Condition":
			conditions++
		}
	}
	ctx := context.Background()
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			args := engineArgs(t, engine)
			if err := run(ctx, append([]string{"seed", "assurance"}, args...), io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := run(ctx, append([]string{"record", "import", "--practice", "B82617", "--dry-run", fixture}, args...), &out, io.Discard); err != nil {
				t.Fatalf("dry run: %v", err)
			}
			if !strings.Contains(out.String(), "dry run:") || !strings.Contains(out.String(), string(nhs)) {
				t.Errorf("dry run output:\n%s", out.String())
			}
			err := run(ctx, append([]string{"record", "import", "--practice", "B82617", fixture}, args...), io.Discard, io.Discard)
			if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND || !strings.Contains(describe(err), "register them first") {
				t.Fatalf("unregistered patient: %v", err)
			}
			// Not a Bundle: a clear error naming the file.
			bad := filepath.Join(t.TempDir(), "patient.json")
			os.WriteFile(bad, []byte(`{"resourceType":"Patient","id":"1"}`), 0o600)
			err = run(ctx, append([]string{"record", "import", "--practice", "B82617", bad}, args...), io.Discard, io.Discard)
			if pcnhub.ErrorCode(err) != pcnhub.EINVALID || !strings.Contains(describe(err), "patient.json holds a Patient, not a Bundle") {
				t.Fatalf("not a Bundle: %v", err)
			}

			store := openStore(t, args)
			org, err := store.OrganisationByODS(ctx, "B82617")
			if err != nil {
				t.Fatal(err)
			}
			pt, err := store.UpsertPatient(ctx, &pcnhub.Patient{OrganisationID: org.ID, NHSNumber: nhs,
				Name: pcnhub.HumanName{Family: "Fixture", Given: []string{"Problems"}}, Gender: pcnhub.GenderFemale,
				BirthDate:    pcnhub.Date{Year: 1970, Month: 1, Day: 1},
				Registration: pcnhub.Registration{Type: pcnhub.RegGMS, Status: pcnhub.RegActive, Start: pcnhub.Date{Year: 2020, Month: 1, Day: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			store.Close()
			out.Reset()
			if err := run(ctx, append([]string{"record", "import", "--practice", "B82617", fixture}, args...), &out, io.Discard); err != nil {
				t.Fatalf("import: %v", err)
			}
			store = openStore(t, args)
			defer store.Close()
			rec, err := store.ClinicalRecord(ctx, pt.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.NHSNumber != nhs || rec.PracticeODS != "B82617" || len(rec.Problems) == 0 || len(rec.Problems) > conditions {
				t.Errorf("stored record: NHS %s, practice %s, %d problems (the Bundle has %d Conditions)", rec.NHSNumber, rec.PracticeODS, len(rec.Problems), conditions)
			}
			events, err := store.AuditEvents(ctx, sqlstore.AuditFilter{Action: "record.import", NHSNumber: nhs})
			if err != nil || len(events) != 1 {
				t.Errorf("audit of the import: %d events, %v", len(events), err)
			}
		})
	}
}

// openStore opens the store that engineArgs names, as the commands do.
func openStore(t *testing.T, args []string) *sqlstore.Store {
	t.Helper()
	f := newFlags("test", "test", io.Discard)
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		t.Fatal(err)
	}
	s, err := sf.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}
