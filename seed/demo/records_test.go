package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// recordSample yields the first n active patients of every practice and
// all of its inactive registrations (ended, some deceased).
func recordSample(n int) func(yield func(pcnhub.ODSCode, pcnhub.Patient) bool) {
	return func(yield func(pcnhub.ODSCode, pcnhub.Patient) bool) {
		for k := range practices {
			ods := practices[k].ods
			active := 0
			stopped := false
			practiceRecords(k, func(p pcnhub.Patient) bool {
				if p.Registration.Status == pcnhub.RegActive {
					if active == n {
						return true // skip to the inactive registrations
					}
					active++
				}
				if !yield(ods, p) {
					stopped = true
					return false
				}
				return true
			})
			if stopped {
				return
			}
		}
	}
}

// sdsIDs are the SDS user ids of each practice's practitioners.
func sdsIDs() map[pcnhub.ODSCode]map[string]bool {
	out := map[pcnhub.ODSCode]map[string]bool{}
	for _, p := range practitioners() {
		if out[p.OrgODS] == nil {
			out[p.OrgODS] = map[string]bool{}
		}
		out[p.OrgODS][p.SDSUserID] = true
	}
	return out
}

// dated is a date of a record with what it is, for the checks.
type dated struct {
	what string
	d    record.PartialDate
}

// recordDates lists the dates of a record that must lie in the patient's
// life up to the end of the record: everything but diary due dates and
// the planned ends of authorisations (an acute course issued yesterday
// ends next week; a repeat is reviewed next year).
func recordDates(r *record.Record) []dated {
	var out []dated
	add := func(id string, ds ...record.PartialDate) {
		for _, d := range ds {
			if !d.IsZero() {
				out = append(out, dated{id, d})
			}
		}
	}
	for _, x := range r.Allergies {
		add(x.ID, x.Recorded, x.Onset, x.Asserted, x.Ended)
	}
	for _, x := range r.Medications {
		add(x.ID, x.Recorded, x.Authorisation.Effective.Start, x.Statement.LastIssued)
		for _, is := range x.Issues {
			add(is.ID, is.Date)
		}
	}
	for _, x := range r.Problems {
		add(x.ID, x.Recorded, x.Onset, x.Abatement)
	}
	for _, x := range r.Consultations {
		add(x.ID, x.Recorded, x.Period.Start, x.Period.End)
	}
	for _, x := range r.Observations {
		add(x.ID, x.Recorded, x.Effective)
	}
	for _, x := range r.Immunisations {
		add(x.ID, x.Recorded, x.Date)
	}
	for _, x := range r.Investigations {
		add(x.ID, x.Recorded, x.Issued, x.Effective)
		for _, s := range x.Specimens {
			add(s.ID, s.Collected, s.Received)
		}
	}
	for _, x := range r.TestResults {
		add(x.ID, x.Recorded, x.Effective)
	}
	for _, x := range r.Referrals {
		add(x.ID, x.Recorded, x.Date)
	}
	for _, x := range r.DiaryEntries {
		add(x.ID, x.Recorded)
	}
	return out
}

// clinicians lists every clinician a record names, with the item naming them.
func clinicians(r *record.Record) []struct {
	id string
	c  record.Clinician
} {
	var out []struct {
		id string
		c  record.Clinician
	}
	add := func(id string, cs ...record.Clinician) {
		for _, c := range cs {
			if c != (record.Clinician{}) {
				out = append(out, struct {
					id string
					c  record.Clinician
				}{id, c})
			}
		}
	}
	for _, x := range r.Allergies {
		add(x.ID, x.Author)
	}
	for _, x := range r.Medications {
		add(x.ID, x.Author, x.Authorisation.Prescriber)
		for _, is := range x.Issues {
			add(is.ID, is.Prescriber)
		}
	}
	for _, x := range r.Problems {
		add(x.ID, x.Author)
	}
	for _, x := range r.Consultations {
		add(x.ID, x.Author, x.Clinician)
	}
	for _, x := range r.Observations {
		add(x.ID, x.Author, x.Performer)
	}
	for _, x := range r.Immunisations {
		add(x.ID, x.Author, x.Performer)
	}
	for _, x := range r.Investigations {
		add(x.ID, x.Author, x.Requester)
	}
	for _, x := range r.TestResults {
		add(x.ID, x.Author)
	}
	for _, x := range r.Referrals {
		add(x.ID, x.Author)
	}
	for _, x := range r.DiaryEntries {
		add(x.ID, x.Author)
	}
	return out
}

func hasProblem(r *record.Record, code record.Code) bool {
	return slices.ContainsFunc(r.Problems, func(p record.Problem) bool { return p.Code == code })
}

func hasActiveRepeat(r *record.Record, pred func(record.Code) bool) bool {
	return slices.ContainsFunc(r.Medications, func(m record.Medication) bool {
		return m.Authorisation.Type == record.PrescriptionRepeat && m.Authorisation.Status == "active" && pred(m.Drug)
	})
}

// checkRecord returns what is wrong with patient p's record r.
func checkRecord(ods pcnhub.ODSCode, p *pcnhub.Patient, r *record.Record, staff map[pcnhub.ODSCode]map[string]bool) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	if err := r.Validate(); err != nil {
		fail("Validate: %v", err)
	}
	if r.NHSNumber != p.NHSNumber || r.PracticeODS != ods || r.InTransit != p.InTransit {
		fail("record of %s at %s (in transit %v)", r.NHSNumber, r.PracticeODS, r.InTransit)
	}

	// Dates: within the patient's life, not after the reference date, nor
	// after an ended registration.
	last := ReferenceDate
	if !p.Registration.End.IsZero() && p.Registration.End.Before(last) {
		last = p.Registration.End
	}
	if !p.DeceasedDate.IsZero() && p.DeceasedDate.Before(last) {
		last = p.DeceasedDate
	}
	for _, d := range recordDates(r) {
		if !d.d.Overlaps(p.BirthDate, last) {
			fail("%s is dated %s, outside %s..%s", d.what, d.d, p.BirthDate, last)
		}
	}
	for _, x := range r.DiaryEntries {
		if x.Due.IsZero() || x.Due.Overlaps(pcnhub.Date{}, ReferenceDate) {
			fail("diary entry %s is due %s, not after %s", x.ID, x.Due, ReferenceDate)
		}
	}

	// Clinicians: the practice's own, by SDS user id.
	for _, c := range clinicians(r) {
		if c.c.OrganisationODS != ods || !staff[ods][c.c.PractitionerID] || c.c.Name == "" {
			fail("%s names clinician %+v, not one of %s's practitioners", c.id, c.c, ods)
		}
	}

	// Medication: every authorisation has issues within it, the last one
	// the statement's; an acute one has one.
	for _, m := range r.Medications {
		a := &m.Authorisation
		if len(m.Issues) == 0 {
			fail("medication %s (%s) has no issue", m.ID, a.Type)
			continue
		}
		if a.Type == record.PrescriptionAcute && len(m.Issues) != 1 {
			fail("acute medication %s has %d issues", m.ID, len(m.Issues))
		}
		if m.Drug.Text() == "" || a.Dosage == "" || a.Quantity.IsZero() {
			fail("medication %s lacks a drug, dosage or quantity", m.ID)
		}
		start, _ := a.Effective.Start.Interval()
		for _, is := range m.Issues {
			if s, _ := is.Date.Interval(); s.Before(start) || (!a.Effective.End.IsZero() && !is.Date.Overlaps(pcnhub.Date{}, dateOf(a.Effective.End))) {
				fail("issue %s on %s outside its authorisation %s..%s", is.ID, is.Date, a.Effective.Start, a.Effective.End)
			}
		}
		if m.Statement.LastIssued != m.Issues[len(m.Issues)-1].Date || m.Statement.Status != a.Status {
			fail("medication %s: statement %+v does not match its authorisation and issues", m.ID, m.Statement)
		}
		if a.Type == record.PrescriptionRepeat && a.RepeatsIssued != len(m.Issues) {
			fail("medication %s: %d repeats issued, %d issues", m.ID, a.RepeatsIssued, len(m.Issues))
		}
	}

	// Conditions and their treatment.
	if hasProblem(r, scDiabetes) {
		if !hasActiveRepeat(r, func(c record.Code) bool { return c.Code == rxMetformin.code.Code }) {
			fail("diabetic without an antidiabetic authorisation")
		}
		if !slices.ContainsFunc(r.TestResults, func(x record.TestResult) bool { return x.Code == scHbA1c && x.Value.Value != "" }) {
			fail("diabetic without an HbA1c result")
		}
	}
	if hasProblem(r, scAsthma) && !hasActiveRepeat(r, func(c record.Code) bool { return c == rxSalbutamol.code }) {
		fail("asthmatic without a reliever")
	}
	if hasProblem(r, scHypothyroid) && !hasActiveRepeat(r, func(c record.Code) bool { return strings.HasPrefix(c.Text(), "Levothyroxine") }) {
		fail("hypothyroidism without levothyroxine")
	}
	// No penicillin for the penicillin-allergic once the allergy is known.
	for _, a := range r.Allergies {
		if a.Status != record.AllergyActive || (a.Code != scPenicillinAllergy && a.Code != scAmoxicillinAllergy) {
			continue
		}
		known, _ := a.Asserted.Interval()
		for _, m := range r.Medications {
			if s, _ := m.Authorisation.Effective.Start.Interval(); m.Drug == rxAmoxicillin.code && !s.Before(known) {
				fail("amoxicillin %s prescribed on %s after allergy %s", m.ID, m.Authorisation.Effective.Start, a.ID)
			}
		}
	}
	for _, o := range r.Observations {
		if o.Code == scBloodPressure {
			if s, d, ok := o.BloodPressure(); !ok || s.Value == "" || d.Value == "" || s.UCUM != "mm[Hg]" {
				fail("blood pressure %s without systolic and diastolic values", o.ID)
			}
		}
	}

	// Links: problems link items that exist; consultations list items
	// recorded in them (or, for a report requested there, within days).
	recorded := map[string]record.PartialDate{}
	for _, d := range recordDates(r) {
		if _, ok := recorded[d.what]; !ok {
			recorded[d.what] = d.d // the first date listed is Recorded
		}
	}
	problems := map[string]bool{}
	for _, x := range r.Problems {
		problems[x.ID] = true
		for _, id := range x.LinkedItems {
			if _, ok := recorded[id]; !ok {
				fail("problem %s links %s, which does not exist", x.ID, id)
			}
		}
	}
	for _, c := range r.Consultations {
		if len(c.Topics) == 0 || c.Title == "" || c.Type.IsZero() {
			fail("consultation %s has no title, type or topic", c.ID)
		}
		cs, _ := c.Period.Start.Interval()
		for _, tp := range c.Topics {
			if tp.ProblemID != "" && !problems[tp.ProblemID] {
				fail("consultation %s names problem %s, which does not exist", c.ID, tp.ProblemID)
			}
			if len(tp.Headings) == 0 {
				fail("consultation %s has an empty topic %q", c.ID, tp.Title)
			}
			for _, h := range tp.Headings {
				if h.Code.Text() == "" || len(h.Items) == 0 {
					fail("consultation %s has an empty or untitled heading", c.ID)
				}
				for _, id := range h.Items {
					d, ok := recorded[id]
					if !ok {
						fail("consultation %s lists %s, which does not exist", c.ID, id)
						continue
					}
					if s, _ := d.Interval(); s.Before(cs) || s.Sub(cs) > 7*24*time.Hour {
						fail("consultation %s on %s lists %s recorded on %s", c.ID, c.Period.Start, id, d)
					}
				}
			}
		}
	}
	return bad
}

// dateOf is the calendar date of a day-precision PartialDate.
func dateOf(p record.PartialDate) pcnhub.Date {
	_, e := p.Interval()
	return pcnhub.DateOf(e.Add(-time.Nanosecond).In(pcnhub.London))
}

// plausible is the share, in per mille, of the sample a condition should
// have (England's QOF registers, all ages, roughly).
var plausible = map[record.Code][2]int{
	scHypertension:   {100, 200},
	scDiabetes:       {40, 90},
	scAsthma:         {50, 100},
	scCOPD:           {8, 30},
	scHypothyroid:    {20, 50},
	scDepression:     {60, 140},
	scAF:             {10, 35},
	scOsteoarthritis: {40, 120},
	scCKD3:           {20, 60},
}

func TestClinicalRecords(t *testing.T) {
	const perPractice = 2000
	staff := sdsIDs()
	var patients, adults, items, bytes, empty, confidential, withAllergy, nka, diary, referrals int
	var counts, sizes []int
	prevalence := map[record.Code]int{}
	failures := 0
	for ods, p := range recordSample(perPractice) {
		r := ClinicalRecord(ods, &p)
		if bad := checkRecord(ods, &p, &r, staff); len(bad) > 0 {
			failures++
			if failures <= 5 {
				t.Errorf("%s (%s, born %s, registered %s): %s", p.NHSNumber, ods, p.BirthDate, p.Registration.Start,
					strings.Join(bad[:min(len(bad), 8)], "; "))
			}
			continue
		}
		patients++
		if p.BirthDate.AgeOn(ReferenceDate) >= 18 {
			adults++
		}
		n := r.Items()
		b, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		items += n
		bytes += len(b)
		counts = append(counts, n)
		sizes = append(sizes, len(b))
		if n == 0 {
			empty++
		}
		seen := map[record.Code]bool{}
		for _, pr := range r.Problems {
			if _, ok := plausible[pr.Code]; ok && !seen[pr.Code] {
				seen[pr.Code] = true
				prevalence[pr.Code]++
			}
		}
		shared, _ := r.Shareable()
		if shared.Items() < n {
			confidential++
		}
		switch {
		case slices.ContainsFunc(r.Allergies, func(a record.Allergy) bool { return !a.NoKnownAllergies }):
			withAllergy++
		case len(r.Allergies) > 0:
			nka++
		}
		if len(r.DiaryEntries) > 0 {
			diary++
		}
		if len(r.Referrals) > 0 {
			referrals++
		}
	}
	if failures > 0 {
		t.Fatalf("%d of %d records fail the checks", failures, failures+patients)
	}
	if want := perPractice * len(practices); patients < want {
		t.Fatalf("checked %d patients, want at least %d", patients, want)
	}
	slices.Sort(counts)
	slices.Sort(sizes)
	t.Logf("%d patients (%d adults): %d items (median %d, p90 %d, max %d), %d JSON bytes (median %d, p90 %d, max %d)",
		patients, adults, items, counts[patients/2], counts[patients*9/10], counts[patients-1],
		bytes, sizes[patients/2], sizes[patients*9/10], sizes[patients-1])
	t.Logf("allergies %d (%.1f%%), no known allergies %d (%.1f%%), confidential items %d, diary entries %d, referrals %d, empty %d",
		withAllergy, pc(withAllergy, patients), nka, pc(nka, patients), confidential, diary, referrals, empty)
	t.Log("condition                          patients    % all  % adults")
	for _, c := range conditionCodes {
		n := prevalence[c]
		t.Logf("%-34s %8d  %6.1f  %6.1f", c.Display, n, pc(n, patients), pc(n, adults))
		if lim := plausible[c]; n*1000 < lim[0]*patients || n*1000 > lim[1]*patients {
			t.Errorf("%s: %d patients in %d, outside %d–%d per mille", c.Display, n, patients, lim[0], lim[1])
		}
	}
	if pm := withAllergy * 1000 / patients; pm < 120 || pm > 180 {
		t.Errorf("%d per mille have an allergy, want about 150", pm)
	}
	if nka == 0 || confidential == 0 || diary == 0 || referrals == 0 {
		t.Error("no explicit no-known-allergies, confidential item, diary entry or referral in the sample")
	}
	if empty*100 > patients {
		t.Errorf("%d of %d records are empty", empty, patients)
	}
}

func pc(n, of int) float64 { return 100 * float64(n) / float64(max(of, 1)) }

func TestClinicalRecordsAreDeterministic(t *testing.T) {
	var first []seed.ClinicalRecord
	for cr := range storedRecords {
		first = append(first, cr)
		if len(first) == min(150, recordsPerPractice) { // within the first practice
			break
		}
	}
	i := 0
	for ods, p := range patientRecords {
		if i == len(first) {
			break
		}
		again := ClinicalRecord(ods, &p)
		if first[i].OrgODS != ods || !reflect.DeepEqual(first[i].Record, again) {
			t.Fatalf("patient %s: the record differs between two calls", p.NHSNumber)
		}
		a, _ := json.Marshal(&first[i].Record)
		b, _ := json.Marshal(&again)
		if string(a) != string(b) {
			t.Fatalf("patient %s: the JSON differs between two calls", p.NHSNumber)
		}
		i++
	}
	// Different patients get different records.
	a, _ := json.Marshal(&first[0].Record.Problems)
	same := 0
	for _, cr := range first[1:] {
		if b, _ := json.Marshal(&cr.Record); string(b) == string(a) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d records equal the first", same)
	}
}

func TestStoredRecords(t *testing.T) {
	per := map[pcnhub.ODSCode]int{}
	for cr := range storedRecords {
		per[cr.OrgODS]++
	}
	for _, p := range practices {
		if per[p.ods] != recordsPerPractice {
			t.Errorf("%s: %d records stored, want %d", p.ods, per[p.ods], recordsPerPractice)
		}
	}
	ds := Dataset()
	if ds.RecordSource == nil || len(ds.Records) != 0 {
		t.Fatal("the demo data set does not carry its clinical records as a RecordSource")
	}
}

// TestDemoRecordsThroughTheStore loads the demo's clinical records into
// SQLite and reports the time and space they take.
func TestDemoRecordsThroughTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo's patients and clinical records")
	}
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Date(2026, 10, 1, 7, 0, 0, 0, pcnhub.London)
	s, err := sqlstore.Open(ctx, filepath.Join(dir, "pcnhub.db"), sqlstore.Options{Clock: pcnhub.FixedClock(now)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	full := Dataset()
	base := seed.Dataset{Name: "demo", Organisations: full.Organisations, Patients: full.Patients}
	if _, err := s.LoadDataset(ctx, base, "test"); err != nil {
		t.Fatal(err)
	}
	checkpoint := func() int64 {
		if _, err := s.DB().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
		return dirSize(t, dir)
	}
	before := checkpoint()
	recs := seed.Dataset{Name: "demo", Organisations: full.Organisations, RecordSource: full.RecordSource}
	start := time.Now()
	st, err := s.LoadDataset(ctx, recs, "test")
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	grew := checkpoint() - before
	want := recordsPerPractice * len(practices)
	t.Logf("SQLite: %d clinical records loaded in %v (%.1f ms each), database +%.1f MB (%.1f kB each)",
		st.Records, took.Round(time.Millisecond), float64(took.Milliseconds())/float64(max(st.Records, 1)),
		float64(grew)/(1<<20), float64(grew)/1024/float64(max(st.Records, 1)))
	if st.Records != want {
		t.Fatalf("%d records loaded, want %d", st.Records, want)
	}

	// What is stored is what the generator makes.
	var n int
	for cr := range full.RecordSource {
		if n++; n%997 != 1 {
			continue
		}
		org, err := s.OrganisationByODS(ctx, cr.OrgODS)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := s.PatientByNHSNumber(ctx, org.ID, cr.NHSNumber)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ClinicalRecord(ctx, pt.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(&cr.Record)
		if string(a) != string(b) {
			t.Fatalf("the stored record of %s differs from the generated one", cr.NHSNumber)
		}
	}

	// A record of a patient the practice does not hold, or an invalid
	// one, fails the load.
	var one seed.ClinicalRecord
	for cr := range full.RecordSource {
		one = cr
		break
	}
	stranger := one
	stranger.OrgODS = practices[1].ods
	invalid := one
	invalid.Problems = append(slices.Clone(invalid.Problems), record.Problem{Item: record.Item{ID: invalid.Problems[0].ID}})
	for _, tc := range []struct {
		cr   seed.ClinicalRecord
		code string
	}{{stranger, pcnhub.ENOTFOUND}, {invalid, pcnhub.EINVALID}} {
		_, err := s.LoadDataset(ctx, seed.Dataset{Name: "demo", Organisations: full.Organisations,
			RecordSource: slices.Values([]seed.ClinicalRecord{tc.cr})}, "test")
		if pcnhub.ErrorCode(err) != tc.code {
			t.Errorf("loading a bad record: %v, want %s", err, tc.code)
		}
	}

	// Loading again changes nothing.
	again, err := s.LoadDataset(ctx, recs, "test")
	if err != nil || again.Records != want {
		t.Fatalf("second load: %+v, %v", again, err)
	}
	var maxVersion int
	if err := s.DB().QueryRowContext(ctx, `SELECT MAX(version) FROM clinical_records`).Scan(&maxVersion); err != nil || maxVersion != 1 {
		t.Errorf("clinical record versions up to %d after a second load (%v)", maxVersion, err)
	}
}

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	err := filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestClinicalRecordVolumes measures the records of every demo patient
// (PCNHUB_DEMO_VOLUMES=1 go test -run Volumes -v ./seed/demo/): what
// storing them all would take.
func TestClinicalRecordVolumes(t *testing.T) {
	if os.Getenv("PCNHUB_DEMO_VOLUMES") == "" {
		t.Skip("set PCNHUB_DEMO_VOLUMES=1 to measure the records of all the demo's patients")
	}
	start := time.Now()
	var patients, items, bytes int
	for ods, p := range patientRecords {
		r := ClinicalRecord(ods, &p)
		b, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		patients++
		items += r.Items()
		bytes += len(b)
	}
	t.Logf("all %d patients: %d items (%.1f each), %.0f MB of JSON (%.1f kB each), generated and encoded in %v",
		patients, items, float64(items)/float64(patients), float64(bytes)/(1<<20), float64(bytes)/1024/float64(patients),
		time.Since(start).Round(time.Millisecond))
}

func BenchmarkClinicalRecord(b *testing.B) {
	var ps []pcnhub.Patient
	for p := range Patients(0xDE30_0000, 1000, activeBlock, practices[0].mainSite()) {
		ps = append(ps, p)
	}
	b.ReportAllocs()
	items, bytes := 0, 0
	for i := 0; b.Loop(); i++ {
		r := ClinicalRecord(practices[0].ods, &ps[i%len(ps)])
		data, _ := json.Marshal(&r)
		items += r.Items()
		bytes += len(data)
	}
	b.ReportMetric(float64(items)/float64(b.N), "items/record")
	b.ReportMetric(float64(bytes)/float64(b.N), "bytes/record")
}
