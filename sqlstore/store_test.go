package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

var ctx = context.Background()

func practice(ods string) *pcnhub.Organisation {
	return &pcnhub.Organisation{
		ODS: pcnhub.ODSCode(ods), ASID: "918999198738", Type: pcnhub.OrgGPPractice, Name: "Test Surgery " + ods,
		Address:  pcnhub.Address{Lines: []string{"1 High Street", "Upper Floor"}, City: "Leeds", Postcode: "LS1 6AE"},
		Telecom:  []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: "01632 960001"}},
		ListSize: 5823, ListSizeDate: pcnhub.Date{Year: 2026, Month: 10, Day: 1}, PCN: "U99990", PCNName: "Test PCN",
		Hosted: true,
		Sites:  []pcnhub.Site{{ODS: pcnhub.ODSCode(ods + "1"), Name: "Main", Address: pcnhub.Address{City: "Leeds"}}},
	}
}

func mustOrg(t *testing.T, s *sqlstore.Store, ods string) int64 {
	t.Helper()
	id, err := s.UpsertOrganisation(ctx, practice(ods))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestOrganisations(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		id := mustOrg(t, s, "A99991")
		got, err := s.OrganisationByODS(ctx, "A99991")
		if err != nil {
			t.Fatal(err)
		}
		want := practice("A99991")
		if got.ID != id || got.Name != want.Name || got.ASID != want.ASID || got.Type != want.Type ||
			got.ListSize != 5823 || got.ListSizeDate != want.ListSizeDate || got.PCN != "U99990" || !got.Hosted ||
			fmt.Sprint(got.Address) != fmt.Sprint(want.Address) || fmt.Sprint(got.Telecom) != fmt.Sprint(want.Telecom) ||
			len(got.Sites) != 1 || got.Sites[0].ODS != "A999911" {
			t.Fatalf("read back %+v, want %+v", got, want)
		}
		// Upsert replaces fields and the site list, and keeps the id.
		o := practice("A99991")
		o.Name, o.ListSize = "Renamed Surgery", 9027
		o.Sites = []pcnhub.Site{{ODS: "A999912", Name: "Branch"}}
		id2, err := s.UpsertOrganisation(ctx, o)
		if err != nil || id2 != id {
			t.Fatalf("second upsert: id %d err %v, want id %d", id2, err, id)
		}
		got, _ = s.OrganisationByID(ctx, id)
		if got.Name != "Renamed Surgery" || got.ListSize != 9027 || len(got.Sites) != 1 || got.Sites[0].ODS != "A999912" {
			t.Fatalf("after update: %+v", got)
		}
		if bySite, err := s.OrganisationBySite(ctx, "A999912"); err != nil || bySite.ID != id {
			t.Fatalf("by site: %v %v", bySite, err)
		}
		// A site cannot belong to two organisations.
		other := practice("A99992")
		other.Sites = []pcnhub.Site{{ODS: "A999912"}}
		if _, err := s.UpsertOrganisation(ctx, other); pcnhub.ErrorCode(err) != pcnhub.ECONFLICT {
			t.Fatalf("shared site: got %v, want ECONFLICT", err)
		}
		if _, err := s.OrganisationByODS(ctx, "A99992"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("failed upsert left a row behind: %v", err)
		}
		bad := practice("a9999")
		if _, err := s.UpsertOrganisation(ctx, bad); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("bad ODS: got %v, want EINVALID", err)
		}
		hub := practice("A99993")
		hub.Type = pcnhub.OrgPCNHub
		if _, err := s.UpsertOrganisation(ctx, hub); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("hub without Y-code: got %v, want EINVALID", err)
		}
		if _, err := s.OrganisationByODS(ctx, "INVOC1"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("unknown ODS: got %v, want ENOTFOUND", err)
		}
		all, err := s.ListOrganisations(ctx)
		if err != nil || len(all) != 1 {
			t.Fatalf("list: %d organisations, err %v; want 1", len(all), err)
		}
	})
}

func TestGroups(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		g := &pcnhub.OrganisationGroup{Name: "111 direct booking", Description: "NHS 111", Members: []pcnhub.ODSCode{"Y99911", "A99991"}}
		id, err := s.UpsertGroup(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		g.Members = []pcnhub.ODSCode{"Y99911"}
		if id2, err := s.UpsertGroup(ctx, g); err != nil || id2 != id {
			t.Fatalf("re-upsert: %d %v", id2, err)
		}
		if _, err := s.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: "Empty"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.GroupByName(ctx, "111 direct booking")
		if err != nil || fmt.Sprint(got.Members) != "[Y99911]" || got.Description != "NHS 111" {
			t.Fatalf("got %+v %v", got, err)
		}
		all, _ := s.ListGroups(ctx)
		if len(all) != 2 || all[0].Name != "111 direct booking" || len(all[1].Members) != 0 {
			t.Fatalf("list: %+v", all)
		}
		if _, err := s.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: "x", Members: []pcnhub.ODSCode{"bad code"}}); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("bad member: %v", err)
		}
		if _, err := s.GroupByName(ctx, "nope"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("missing group: %v", err)
		}
	})
}

func TestPractitionersAndLocations(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := mustOrg(t, s, "B82617")
		for _, id := range []int64{4, 5} {
			p := &pcnhub.Practitioner{ID: id, OrganisationID: org, SDSUserID: "G22222226", RoleProfileIDs: []string{"100000000401"},
				Name: pcnhub.HumanName{Prefix: "Dr", Given: []string{"Ann", "Marie"}, Family: fmt.Sprint("Doc", id)}, Gender: pcnhub.GenderFemale, JobRoleCode: "R0260"}
			if got, err := s.UpsertPractitioner(ctx, p); err != nil || got != id {
				t.Fatalf("upsert practitioner %d: %d %v", id, got, err)
			}
		}
		// A practitioner without an explicit id gets one past the explicit ones.
		newID, err := s.UpsertPractitioner(ctx, &pcnhub.Practitioner{OrganisationID: org, Name: pcnhub.HumanName{Family: "New"}})
		if err != nil || newID <= 5 {
			t.Fatalf("new practitioner id %d, err %v; want > 5", newID, err)
		}
		two, err := s.PractitionersBySDSUserID(ctx, org, "G22222226")
		if err != nil || len(two) != 2 || two[0].ID != 4 || two[1].Name.Family != "Doc5" ||
			fmt.Sprint(two[0].Name.Given) != "[Ann Marie]" || fmt.Sprint(two[0].RoleProfileIDs) != "[100000000401]" {
			t.Fatalf("by SDS id: %+v %v", two, err)
		}
		if none, _ := s.PractitionersBySDSUserID(ctx, org, "G99999999"); len(none) != 0 {
			t.Fatalf("G99999999 found: %+v", none)
		}
		if _, err := s.PractitionerByID(ctx, 999); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("missing practitioner: %v", err)
		}
		if _, err := s.UpsertPractitioner(ctx, &pcnhub.Practitioner{OrganisationID: org}); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("nameless practitioner: %v", err)
		}
		loc := &pcnhub.Location{ID: 8, OrganisationID: org, SiteODS: "Z33432", Name: "Room 8",
			Address: pcnhub.Address{Lines: []string{"2 Road"}, Postcode: "LS1 1AA"}}
		if _, err := s.UpsertLocation(ctx, loc); err != nil {
			t.Fatal(err)
		}
		newLoc, err := s.UpsertLocation(ctx, &pcnhub.Location{OrganisationID: org, Name: "Annexe"})
		if err != nil || newLoc <= 8 {
			t.Fatalf("new location id %d err %v", newLoc, err)
		}
		got, err := s.LocationByID(ctx, 8)
		if err != nil || got.SiteODS != "Z33432" || got.OrganisationID != org || got.Address.Postcode != "LS1 1AA" {
			t.Fatalf("location: %+v %v", got, err)
		}
		if all, _ := s.ListLocations(ctx, org); len(all) != 2 {
			t.Fatalf("list locations: %d", len(all))
		}
		if _, err := s.UpsertLocation(ctx, &pcnhub.Location{OrganisationID: 12345, Name: "Nowhere"}); err == nil {
			t.Fatal("location of an unknown organisation was stored")
		}
	})
}

// testPatient returns a fully populated patient with the i-th valid NHS
// number of the 999 range.
func testPatient(t testing.TB, org int64, i int) pcnhub.Patient {
	t.Helper()
	nhs := nthNHS(t, i)
	return pcnhub.Patient{
		OrganisationID: org, NHSNumber: nhs,
		Name:      pcnhub.HumanName{Prefix: "Ms", Given: []string{"Jane", "Ann"}, Family: fmt.Sprint("Jackson", i)},
		BirthDate: pcnhub.Date{Year: 1952, Month: 5, Day: 31}, Gender: pcnhub.GenderFemale,
		Address:  pcnhub.Address{Lines: []string{"Trevelyan Square", "Boar Ln"}, City: "Leeds", District: "West Yorkshire", Postcode: "LS1 6AE"},
		Telecom:  []pcnhub.ContactPoint{{System: "phone", Use: "home", Value: "01632 960123"}, {System: "email", Use: "home", Value: "j@example.com"}},
		Language: "bn", InterpreterRequired: true,
		Registration: pcnhub.Registration{Type: pcnhub.RegGMS, Status: pcnhub.RegActive,
			Start: pcnhub.Date{Year: 2001, Month: 1, Day: 2}, PreferredBranch: "A999911"},
		Sensitive: i%7 == 0, InTransit: i%11 == 0, DissentFromSharing: i%13 == 0,
	}
}

func nthNHS(t testing.TB, i int) pcnhub.NHSNumber {
	t.Helper()
	for prefix := uint32(999_100_000 + i*2); ; prefix++ {
		if n, ok := pcnhub.NHSNumberFromPrefix(prefix); ok {
			if prefix >= uint32(999_100_000+i*2+2) {
				t.Fatalf("no valid NHS number for %d", i)
			}
			return n
		}
	}
}

func writePatients(t *testing.T, s *sqlstore.Store, ps []pcnhub.Patient) sqlstore.UpsertStats {
	t.Helper()
	w, err := s.BeginPatientWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	for i := range ps {
		if err := w.Add(ctx, &ps[i]); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPatientWriteIsIdempotent(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := mustOrg(t, s, "A99991")
		const n = 1003 // more than two batches, and a partial one
		ps := make([]pcnhub.Patient, n)
		for i := range ps {
			ps[i] = testPatient(t, org, i)
		}
		if st := writePatients(t, s, ps); st != (sqlstore.UpsertStats{Inserted: n}) {
			t.Fatalf("first write: %+v", st)
		}
		if st := writePatients(t, s, ps); st != (sqlstore.UpsertStats{Unchanged: n}) {
			t.Fatalf("second write of the same patients: %+v, want all unchanged", st)
		}
		ps[500].Address.Postcode = "LS2 7AA"
		ps[501].DeceasedDate = pcnhub.Date{Year: 2025, Month: 1, Day: 1}
		if st := writePatients(t, s, ps); st != (sqlstore.UpsertStats{Updated: 2, Unchanged: n - 2}) {
			t.Fatalf("write with two changes: %+v", st)
		}
		total, active, err := s.CountPatients(ctx, org)
		if err != nil || total != n || active != n {
			t.Fatalf("count: %d %d %v", total, active, err)
		}
		got, err := s.PatientByNHSNumber(ctx, org, ps[500].NHSNumber)
		if err != nil || got.Version != 2 || got.Address.Postcode != "LS2 7AA" {
			t.Fatalf("changed patient: %+v %v", got, err)
		}
		same, _ := s.PatientByNHSNumber(ctx, org, ps[3].NHSNumber)
		if same.Version != 1 {
			t.Fatalf("unchanged patient has version %d, want 1", same.Version)
		}
	})
}

func TestPatientRoundTrip(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := mustOrg(t, s, "A99991")
		p := testPatient(t, org, 7)
		p.DeceasedDate = pcnhub.Date{Year: 2024, Month: 2, Day: 29}
		p.SupersededBy, p.MergedInto = nthNHS(t, 8), nthNHS(t, 9)
		p.Registration = pcnhub.Registration{Type: pcnhub.RegTemporary, Status: pcnhub.RegInactive,
			Start: pcnhub.Date{Year: 2020, Month: 3, Day: 1}, End: pcnhub.Date{Year: 2024, Month: 2, Day: 29}}
		got, err := s.UpsertPatient(ctx, &p)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == 0 || got.Version != 1 || got.Updated.IsZero() {
			t.Fatalf("stored patient lacks id/version/updated: %+v", got)
		}
		p.ID, p.Version, p.Updated = got.ID, got.Version, got.Updated
		if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", p) {
			t.Fatalf("round trip:\n got  %+v\n want %+v", *got, p)
		}
		byID, err := s.PatientByID(ctx, got.ID)
		if err != nil || byID.NHSNumber != p.NHSNumber {
			t.Fatalf("by id: %v %v", byID, err)
		}
		// The same NHS number may be held by a second organisation.
		org2 := mustOrg(t, s, "Y99990")
		p2 := p
		p2.OrganisationID = org2
		if _, err := s.UpsertPatient(ctx, &p2); err != nil {
			t.Fatal(err)
		}
		all, err := s.PatientsByNHSNumber(ctx, p.NHSNumber)
		if err != nil || len(all) != 2 || all[0].OrganisationID != org || all[1].OrganisationID != org2 {
			t.Fatalf("records across organisations: %v %v", all, err)
		}
		if _, err := s.PatientByNHSNumber(ctx, org, "9999999999"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("unknown patient: %v", err)
		}
	})
}

func TestPatientWriteRollbackLeavesNothing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := mustOrg(t, s, "A99991")
		w, err := s.BeginPatientWrite(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 900; i++ { // two full batches already flushed inside the transaction
			p := testPatient(t, org, i)
			if err := w.Add(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Rollback(); err != nil {
			t.Fatal(err)
		}
		if total, _, _ := s.CountPatients(ctx, org); total != 0 {
			t.Fatalf("%d patients after rollback, want 0", total)
		}
		// A write naming an unknown organisation fails and writes nothing.
		w, _ = s.BeginPatientWrite(ctx)
		good, bad := testPatient(t, org, 1), testPatient(t, 424242, 2)
		w.Add(ctx, &good)
		w.Add(ctx, &bad)
		if _, err := w.Commit(ctx); err == nil {
			t.Fatal("commit with an unknown organisation succeeded")
		}
		if total, _, _ := s.CountPatients(ctx, org); total != 0 {
			t.Fatalf("%d patients after failed commit, want 0", total)
		}
	})
}

// Two writers upserting the same patients at once end with one record per
// patient and no error, on both engines.
func TestConcurrentPatientWrites(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := mustOrg(t, s, "A99991")
		ps := make([]pcnhub.Patient, 600)
		for i := range ps {
			ps[i] = testPatient(t, org, i)
		}
		var wg sync.WaitGroup
		stats := make([]sqlstore.UpsertStats, 4)
		errs := make([]error, 4)
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w, err := s.BeginPatientWrite(ctx)
				if err != nil {
					errs[g] = err
					return
				}
				defer w.Rollback()
				for i := range ps {
					p := ps[i]
					if err := w.Add(ctx, &p); err != nil {
						errs[g] = err
						return
					}
				}
				stats[g], errs[g] = w.Commit(ctx)
			}()
		}
		wg.Wait()
		inserted := 0
		for g := range errs {
			if errs[g] != nil {
				t.Fatalf("writer %d: %v", g, errs[g])
			}
			inserted += stats[g].Inserted
			if stats[g].Updated != 0 {
				t.Fatalf("writer %d updated %d identical rows", g, stats[g].Updated)
			}
		}
		if inserted != len(ps) {
			t.Fatalf("writers inserted %d in all, want %d", inserted, len(ps))
		}
		if total, _, _ := s.CountPatients(ctx, org); total != len(ps) {
			t.Fatalf("%d patients, want %d", total, len(ps))
		}
	})
}

func TestAuditChain(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					errs <- s.AppendAudit(ctx, &pcnhub.AuditEvent{Action: "test", Actor: fmt.Sprint("g", g),
						NHSNumber: "9434765919", Outcome: "ok", Detail: fmt.Sprint(i)})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.VerifyAudit(ctx)
		if err != nil || n != 40 {
			t.Fatalf("verify: %d events, %v; want 40, nil", n, err)
		}
		evs, err := s.AuditEvents(ctx, sqlstore.AuditFilter{NHSNumber: "9434765919", Limit: 100})
		if err != nil || len(evs) != 40 || evs[0].Seq != 1 || evs[39].Seq != 40 {
			t.Fatalf("events: %d %v", len(evs), err)
		}
		// Tampering with a past event is detected.
		if _, err := s.DB().Exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 17`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyAudit(ctx); err == nil {
			t.Fatal("tampered chain verified")
		}
	})
}

func TestMigrationsAreRerunnable(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqltest.DSN(t, engine)
			for i := 0; i < 2; i++ {
				s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
				if err != nil {
					t.Fatalf("open %d: %v", i, err)
				}
				if err := s.Ping(ctx); err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
