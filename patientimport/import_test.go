package patientimport_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/patientcsv"
	"github.com/pcnhub/pcnhub/patientimport"
	"github.com/pcnhub/pcnhub/seed/demo"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

var (
	ctx   = context.Background()
	today = pcnhub.Date{Year: 2026, Month: 11, Day: 21}
)

func setup(t *testing.T, s *sqlstore.Store) int64 {
	t.Helper()
	id, err := s.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: "A99991", Type: pcnhub.OrgGPPractice, Name: "Riverside", Hosted: true})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// demoCSV writes n demo patients in the import format.
func demoCSV(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := patientcsv.NewWriter(&b)
	for p := range demo.Patients(1, n, 999_500_000, "A999910") {
		if err := w.Write(&p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func count(t *testing.T, s *sqlstore.Store, org int64) int {
	t.Helper()
	total, _, err := s.CountPatients(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func TestImportThenReimportChangesNothing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := setup(t, s)
		file := demoCSV(t, 2500)
		var progressCalls int
		rep, err := patientimport.Import(ctx, s, "A99991", bytes.NewReader(file), patientimport.Options{
			Today: today, Progress: func(int64, int) { progressCalls++ }, Actor: "test", Source: "demo.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 2500 || rep.Valid != 2500 || rep.Invalid != 0 || !rep.Committed ||
			rep.Stats != (sqlstore.UpsertStats{Inserted: 2500}) {
			t.Fatalf("first import: %+v", rep)
		}
		if progressCalls == 0 {
			t.Error("progress was never reported")
		}
		rep, err = patientimport.Import(ctx, s, "A99991", bytes.NewReader(file), patientimport.Options{Today: today})
		if err != nil || rep.Stats != (sqlstore.UpsertStats{Unchanged: 2500}) {
			t.Fatalf("re-import: %+v %v", rep, err)
		}
		if n := count(t, s, org); n != 2500 {
			t.Fatalf("%d patients, want 2500", n)
		}
		// Export writes the same patients back, in the same format: importing
		// the export changes nothing either.
		var out bytes.Buffer
		n, err := patientimport.Export(ctx, s, "A99991", &out, "test")
		if err != nil || n != 2500 {
			t.Fatalf("export: %d %v", n, err)
		}
		rep, err = patientimport.Import(ctx, s, "A99991", &out, patientimport.Options{Today: today})
		if err != nil || rep.Stats != (sqlstore.UpsertStats{Unchanged: 2500}) {
			t.Fatalf("import of the export: %+v %v", rep, err)
		}
		// Both imports, the export and the last import were audited, without patient data.
		evs, err := s.AuditEvents(ctx, sqlstore.AuditFilter{OrgODS: "A99991"})
		if err != nil || len(evs) != 4 || evs[0].Action != "import.patients" || evs[2].Action != "export.patients" {
			t.Fatalf("audit: %+v %v", evs, err)
		}
		if !strings.Contains(evs[0].Detail, `"demo.csv"`) || !strings.Contains(evs[0].Detail, "2500 new") {
			t.Errorf("audit detail %q lacks source or counts", evs[0].Detail)
		}
	})
}

// badFile is a valid demo file with bad rows spliced in: an invalid NHS
// number, a duplicate NHS number, an impossible date, a missing column.
func badFile(t *testing.T) (file []byte, good int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(demoCSV(t, 50)), "\n"), "\n")
	header, rows := lines[0], lines[1:]
	fields := func(i int) []string { r, _ := csv.NewReader(strings.NewReader(rows[i])).Read(); return r }
	join := func(f []string) string {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(f)
		w.Flush()
		return strings.TrimSuffix(b.String(), "\n")
	}
	badNHS := fields(3)
	badNHS[0] = "9434765918" // check digit wrong
	dup := fields(4)
	dup[0] = fields(2)[0]
	badDate := fields(5)
	badDate[4] = "2023-02-29"
	short := fields(6)[:10]
	rows[3], rows[4], rows[5], rows[6] = join(badNHS), join(dup), join(badDate), join(short)
	return []byte(header + "\r\n" + strings.Join(rows, "\r\n") + "\r\n"), 46
}

func TestImportAllOrNothing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := setup(t, s)
		file, _ := badFile(t)
		rep, err := patientimport.Import(ctx, s, "A99991", bytes.NewReader(file), patientimport.Options{Today: today})
		if pcnhub.ErrorCode(err) != pcnhub.EINVALID || !errors.Is(err, patientimport.ErrInvalidRows) {
			t.Fatalf("err = %v, want EINVALID invalid rows", err)
		}
		if rep.Committed || rep.Rows != 50 || rep.Invalid != 4 || len(rep.Errors) != 4 {
			t.Fatalf("report %+v", rep)
		}
		// Lines: header is line 1, data row i is line i+2.
		want := []struct {
			line  int
			field string
		}{{5, "nhs_number"}, {6, "nhs_number"}, {7, "birth_date"}, {8, ""}}
		for i, w := range want {
			var re *patientcsv.RowError
			if !errors.As(rep.Errors[i], &re) || re.Line != w.line || re.Field != w.field {
				t.Errorf("error %d = %v, want line %d field %q", i, rep.Errors[i], w.line, w.field)
			}
		}
		if n := count(t, s, org); n != 0 {
			t.Fatalf("%d patients written by a failed all-or-nothing import", n)
		}
	})
}

func TestImportSkipInvalid(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := setup(t, s)
		file, good := badFile(t)
		var rejects bytes.Buffer
		rep, err := patientimport.Import(ctx, s, "A99991", bytes.NewReader(file),
			patientimport.Options{Today: today, SkipInvalid: true, Rejects: &rejects})
		if err != nil || !rep.Committed || rep.Valid != good || rep.Stats.Inserted != good {
			t.Fatalf("report %+v err %v", rep, err)
		}
		if n := count(t, s, org); n != good {
			t.Fatalf("%d patients, want exactly the %d good rows", n, good)
		}
		cr := csv.NewReader(&rejects)
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 5 || recs[0][len(recs[0])-1] != "error" || !strings.HasPrefix(recs[1][len(recs[1])-1], "line 5, column 1 (nhs_number)") ||
			len(recs[4]) != len(recs[0]) || !strings.HasPrefix(recs[4][len(recs[4])-1], "line 8") {
			t.Fatalf("rejects file: %q", recs)
		}
		// The duplicate's first occurrence was imported; the second was rejected.
		first := strings.Split(string(file), "\r\n")[3]
		nhs, _ := pcnhub.ParseNHSNumber(strings.Split(first, ",")[0])
		if _, err := s.PatientByNHSNumber(ctx, org, nhs); err != nil {
			t.Fatalf("first occurrence of the duplicate not imported: %v", err)
		}
	})
}

func TestImportBadHeaderAndUnknownPractice(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := setup(t, s)
		_, err := patientimport.Import(ctx, s, "A99991", strings.NewReader("nhs_number,family_name,surprise\n"), patientimport.Options{Today: today})
		var he *patientcsv.HeaderError
		if pcnhub.ErrorCode(err) != pcnhub.EINVALID || !errors.As(err, &he) {
			t.Fatalf("bad header: %v", err)
		}
		_, err = patientimport.Import(ctx, s, "A99999", bytes.NewReader(demoCSV(t, 3)), patientimport.Options{Today: today})
		if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("unknown practice: %v", err)
		}
		if n := count(t, s, org); n != 0 {
			t.Fatalf("%d patients after failed imports", n)
		}
	})
}

// A truncated file (cut inside a row) reports the cut row and imports nothing.
func TestImportTruncatedFile(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := setup(t, s)
		file := demoCSV(t, 20)
		cut := file[:len(file)-40]
		rep, err := patientimport.Import(ctx, s, "A99991", bytes.NewReader(cut), patientimport.Options{Today: today})
		if pcnhub.ErrorCode(err) != pcnhub.EINVALID || rep.Invalid != 1 {
			t.Fatalf("truncated: %+v %v", rep, err)
		}
		var re *patientcsv.RowError
		if !errors.As(rep.Errors[0], &re) || re.Line != 21 {
			t.Fatalf("error %v, want line 21", rep.Errors[0])
		}
		if n := count(t, s, org); n != 0 {
			t.Fatalf("%d patients after a truncated import", n)
		}
	})
}

// failingReader returns its data, then an I/O error: the import stops
// and nothing is written, though several batches were already sent.
type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, fmt.Errorf("disk on fire")
	}
	return n, err
}

func TestImportReadFailureWritesNothing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := setup(t, s)
		_, err := patientimport.Import(ctx, s, "A99991", &failingReader{bytes.NewReader(demoCSV(t, 3000))}, patientimport.Options{Today: today})
		if err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Fatalf("err = %v", err)
		}
		if n := count(t, s, org); n != 0 {
			t.Fatalf("%d patients after a failed read", n)
		}
	})
}

func TestImportCancelledWritesNothing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		org := setup(t, s)
		cctx, cancel := context.WithCancel(ctx)
		_, err := patientimport.Import(cctx, s, "A99991", bytes.NewReader(demoCSV(t, 10000)), patientimport.Options{
			Today: today, Progress: func(_ int64, rows int) {
				if rows >= 4096 {
					cancel()
				}
			}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n := count(t, s, org); n != 0 {
			t.Fatalf("%d patients after a cancelled import", n)
		}
	})
}
