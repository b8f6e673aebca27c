package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/patientcsv"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed/demo"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// engineArgs returns the store flags that put a command on the engine.
func engineArgs(t *testing.T, engine string) []string {
	dsn := sqltest.DSN(t, engine)
	if engine == "sqlite" {
		return []string{"--data-dir", filepath.Dir(dsn)}
	}
	return []string{"--db", dsn}
}

// TestServeWithDemoData runs the README's command — serve with the demo
// data — on a real listener, checks the operational endpoints, and shuts
// it down as SIGTERM would.
func TestServeWithDemoData(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--seed", "demo", "--log-format", "json"}, engineArgs(t, engine)...)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() { done <- run(ctx, args, io.Discard, pw); pw.Close() }()

			// The log says where it listens; read it as an operator would.
			addrc := make(chan string, 1)
			extended := make(chan struct{}, 1)
			var logged bytes.Buffer
			go func() {
				sc := bufio.NewScanner(pr)
				for sc.Scan() {
					logged.Write(sc.Bytes())
					logged.WriteByte('\n')
					var line struct{ Msg, Addr string }
					if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "pcnhub serving" {
						addrc <- line.Addr
					}
					if line.Msg == "appointment books extended" {
						select {
						case extended <- struct{}{}:
						default:
						}
					}
				}
			}()
			var base string
			select {
			case addr := <-addrc:
				base = "http://" + addr
			case err := <-done:
				t.Fatalf("serve ended early: %v", err)
			case <-time.After(3 * time.Minute):
				t.Fatal("serve did not start")
			}
			get := func(path string) (int, string) {
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			if code, body := get("/healthz"); code != 200 || body != "ok\n" {
				t.Errorf("/healthz = %d %q", code, body)
			}
			if code, body := get("/readyz"); code != 200 || body != "ready\n" {
				t.Errorf("/readyz = %d %q", code, body)
			}
			if code, body := get("/"); code != 200 || !strings.Contains(body, "Sign in to pcnhub") {
				t.Errorf("/ = %d, want the staff UI's sign-in page", code)
			}
			if code, _ := get("/nope"); code != 404 {
				t.Errorf("/nope = %d, want 404", code)
			}
			// GP Connect answers at a seeded practice (enabled by the seed).
			req, _ := http.NewRequest("GET", base+"/A99991/STU3/1/gpconnect/metadata", nil)
			gpctest.SetHeaders(req, gpconnect.IDMetadata, "organization/*.read", "999900000101", time.Now())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/fhir+json;charset=utf-8" {
				t.Errorf("GP Connect metadata at A99991: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			// The hub reads the record of a patient whose record the seed did
			// not store: it is generated, and shared under the demo's
			// care-record agreement.
			var nhs pcnhub.NHSNumber
			var problem string // a SNOMED code the generated record holds
			n := 0
			for ods, p := range demo.Dataset().Patients {
				if ods != "A99991" || p.Registration.Status != pcnhub.RegActive || p.Sensitive || p.Deceased() || p.DissentFromSharing {
					continue
				}
				if n++; n < 900 {
					continue
				}
				if rec := demo.ClinicalRecord(ods, &p); len(rec.Problems) > 0 && !rec.Problems[0].Confidential {
					nhs, problem = p.NHSNumber, rec.Problems[0].Code.Code
					break
				}
			}
			claims := gpctest.Claims("patient/*.read", time.Now())
			claims["requesting_organization"] = map[string]any{"resourceType": "Organization", "name": "Riverside PCN Hub",
				"identifier": []any{map[string]any{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "Y99990"}}}
			req, _ = http.NewRequest("POST", base+"/A99991/STU3/1/gpconnect/structured/Patient/$gpc.getstructuredrecord",
				strings.NewReader(`{"resourceType":"Parameters","parameter":[{"name":"patientNHSNumber","valueIdentifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"`+
					string(nhs)+`"}},{"name":"includeProblems"},{"name":"includeMedication"}]}`))
			gpctest.SetHeaders(req, gpconnect.IDGetStructuredRecord, "patient/*.read", "999900000101", time.Now())
			req.Header.Set("Ssp-From", "999900000100")
			req.Header.Set("Authorization", gpctest.Encode(claims))
			req.Header.Set("Content-Type", "application/fhir+json")
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			rb, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(rb), `"717711000000103"`) || !strings.Contains(string(rb), `"`+problem+`"`) {
				t.Errorf("structured record of demo patient %s from the hub: %d %.400s", nhs, resp.StatusCode, rb)
			}
			code, body := get("/metrics")
			if !strings.Contains(body, `pcnhub_gpconnect_requests_total{interaction="read:metadata-1",outcome="ok"} 1`) {
				t.Errorf("/metrics lacks the GP Connect counter:\n%s", grep(body, "pcnhub_gpconnect"))
			}
			if code != 200 || !strings.Contains(body, `pcnhub_http_requests_total{code="200",route="GET /healthz"} 1`) ||
				!strings.Contains(body, `route="unmatched"`) {
				t.Errorf("/metrics = %d, lacks request counters:\n%s", code, grep(body, "pcnhub_http_requests_total"))
			}
			// Let the book job's first run (at start) finish.
			select {
			case <-extended:
			case <-time.After(3 * time.Minute):
				t.Error("the book extension job did not run")
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("graceful shutdown: %v", err)
				}
			case <-time.After(time.Minute):
				t.Fatal("serve did not stop")
			}
			if !strings.Contains(logged.String(), `"patients_new":80962`) {
				t.Errorf("demo data not loaded; log:\n%s", logged.String())
			}
			// The background job ran at start over the nine books the
			// seed imported, with nothing left to do.
			if !strings.Contains(logged.String(), `"msg":"appointment books extended","books":9,"weeks":6,"slots_changed":0`) {
				t.Errorf("the book extension job did not run; log:\n%s", logged.String())
			}
			if strings.Contains(logged.String(), "?") {
				t.Errorf("a query string reached the log:\n%s", logged.String())
			}
		})
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestImportExportCommands(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			store := engineArgs(t, engine)
			dir := t.TempDir()
			if err := run(ctx, append([]string{"seed", "assurance", "--log-format", "text"}, store...), io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			// A file with one bad row: nothing is imported, the error names line and column.
			var good bytes.Buffer
			w := patientcsv.NewWriter(&good)
			for p := range demo.Patients(3, 30, 999_700_000, "") {
				w.Write(&p)
			}
			w.Flush()
			bad := strings.Replace(good.String(), "\n999", "\n998", 1) // first data row: check digit now wrong
			in := filepath.Join(dir, "patients.csv")
			os.WriteFile(in, []byte(bad), 0o600)
			var stderr bytes.Buffer
			err := run(ctx, append([]string{"import", "patients", "--practice", "B82617", in}, store...), io.Discard, &stderr)
			if pcnhub.ErrorCode(err) != pcnhub.EINVALID || exitCode(err) != 2 {
				t.Fatalf("bad file: err %v (exit %d)", err, exitCode(err))
			}
			if !strings.Contains(stderr.String(), "line 2, column 1 (nhs_number)") {
				t.Fatalf("stderr lacks the row error: %q", stderr.String())
			}
			// --skip-invalid imports the 29 good rows and writes the rejects file.
			var stdout bytes.Buffer
			err = run(ctx, append([]string{"import", "patients", "--practice", "B82617", "--skip-invalid", in}, store...), &stdout, io.Discard)
			if err != nil || !strings.Contains(stdout.String(), "29 imported (29 new") {
				t.Fatalf("skip-invalid: %v %q", err, stdout.String())
			}
			rej, err := os.ReadFile(filepath.Join(dir, "patients.rejects.csv"))
			if err != nil || strings.Count(string(rej), "\n") != 2 {
				t.Fatalf("rejects file: %q %v", rej, err)
			}
			// The export holds the 20 assurance patients and the 29 imported ones.
			out := filepath.Join(dir, "export.csv")
			if err := run(ctx, append([]string{"export", "patients", "--practice", "B82617", out}, store...), io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			exported, _ := os.ReadFile(out)
			if n := strings.Count(string(exported), "\n"); n != 1+20+29 {
				t.Fatalf("export has %d lines, want 50", n)
			}
			// Unknown practice and bad ODS codes are clear errors.
			err = run(ctx, append([]string{"import", "patients", "--practice", "INVOC1", in}, store...), io.Discard, io.Discard)
			if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND || describe(err) != "organisation INVOC1 not found" {
				t.Fatalf("unknown practice: %v", err)
			}
			err = run(ctx, append([]string{"export", "patients", "--practice", "b82617"}, store...), io.Discard, io.Discard)
			if pcnhub.ErrorCode(err) != pcnhub.EINVALID {
				t.Fatalf("lower-case ODS: %v", err)
			}
			// The audit command lists the imports and verifies the chain.
			stdout.Reset()
			if err := run(ctx, append([]string{"audit", "--verify"}, store...), &stdout, io.Discard); err != nil ||
				!strings.Contains(stdout.String(), "audit chain intact: 22 events") { // 6 agreements, seed, 12 GP Connect switches (3 practices × 4), failed import, import, export
				t.Fatalf("audit verify: %v %q", err, stdout.String())
			}
		})
	}
}

func TestFlagsHaveEnvironmentTwins(t *testing.T) {
	f := newFlags("serve", "serve", io.Discard)
	f.env = func(k string) string {
		return map[string]string{"PCNHUB_DB": "postgres://x", "PCNHUB_DATA_DIR": "/srv/pcnhub", "PCNHUB_SKIP_INVALID": "true"}[k]
	}
	db := f.String("db", "", "database")
	dir := f.String("data-dir", "data", "dir")
	addr := f.String("addr", ":8080", "addr")
	skip := f.Bool("skip-invalid", false, "skip")
	if err := f.Parse([]string{"--addr", ":9090"}); err != nil {
		t.Fatal(err)
	}
	if *db != "postgres://x" || *dir != "/srv/pcnhub" || *addr != ":9090" || !*skip {
		t.Fatalf("db %q dir %q addr %q skip %v", *db, *dir, *addr, *skip)
	}
	// A flag on the command line wins over its environment twin.
	f2 := newFlags("serve", "serve", io.Discard)
	f2.env = func(k string) string { return map[string]string{"PCNHUB_DATA_DIR": "/srv/pcnhub"}[k] }
	dir2 := f2.String("data-dir", "data", "dir")
	f2.Parse([]string{"--data-dir", "/tmp/x"})
	if *dir2 != "/tmp/x" {
		t.Fatalf("flag did not win: %q", *dir2)
	}
	// --help names every environment variable.
	var help bytes.Buffer
	err := run(context.Background(), []string{"serve", "--help"}, io.Discard, &help)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, v := range []string{"PCNHUB_ADDR", "PCNHUB_DB", "PCNHUB_DATA_DIR", "PCNHUB_SEED", "PCNHUB_LOG_LEVEL", "PCNHUB_LOG_FORMAT"} {
		if !strings.Contains(help.String(), v) {
			t.Errorf("serve --help does not mention %s", v)
		}
	}
}

func TestUnknownCommandsAndSeeds(t *testing.T) {
	ctx := context.Background()
	if err := run(ctx, []string{"frobnicate"}, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("unknown command: %v", err)
	}
	err := run(ctx, []string{"seed", "nonsense", "--data-dir", t.TempDir()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "assurance|demo") {
		t.Errorf("unknown seed: %v", err)
	}
	var out bytes.Buffer
	run(ctx, nil, &out, io.Discard)
	if !strings.Contains(out.String(), "pcnhub import patients") {
		t.Errorf("usage: %q", out.String())
	}
}

// A fresh deployment creates its practice with the CLI, then imports into it.
func TestOrgAndGroupCommands(t *testing.T) {
	ctx := context.Background()
	store := []string{"--data-dir", t.TempDir()}
	var out bytes.Buffer
	err := run(ctx, append([]string{"org", "add", "--ods", "A81001", "--type", "gp-practice", "--name", "High St Surgery",
		"--asid", "999900000999", "--list-size", "9027", "--list-size-date", "2026-10-01", "--pcn", "U59980",
		"--sites", "A810010, A810011", "--address", "1 High St|Town"}, store...), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, append([]string{"org", "list"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "A81001") || !strings.Contains(out.String(), "9,027") || !strings.Contains(out.String(), "A810010 A810011") {
		t.Fatalf("org list:\n%s", out.String())
	}
	for _, bad := range [][]string{
		{"--ods", "a81001", "--type", "gp-practice", "--name", "x"},
		{"--ods", "A81002", "--type", "hospital", "--name", "x"},
		{"--ods", "A81003", "--type", "pcn-hub", "--name", "x"},
		{"--ods", "A81004", "--type", "gp-practice", "--name", "x", "--asid", "123"},
		{"--ods", "A81005", "--type", "gp-practice", "--name", "x", "--list-size-date", "2026-02-30"},
	} {
		err := run(ctx, append(append([]string{"org", "add"}, bad...), store...), io.Discard, io.Discard)
		if pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Errorf("org add %v: %v, want EINVALID", bad, err)
		}
	}
	out.Reset()
	if err := run(ctx, append([]string{"group", "set", "--name", "111 direct booking", "Y99911", "A81001"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	run(ctx, append([]string{"group", "list"}, store...), &out, io.Discard)
	if !strings.Contains(out.String(), "Y99911 A81001") && !strings.Contains(out.String(), "A81001 Y99911") {
		t.Fatalf("group list:\n%s", out.String())
	}
}

func TestReport111Command(t *testing.T) {
	ctx := context.Background()
	store := []string{"--data-dir", t.TempDir()}
	if err := run(ctx, append([]string{"seed", "assurance"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	tomorrow := time.Now().In(pcnhub.London).AddDate(0, 0, 1).Format("2006-01-02")
	if err := run(ctx, append([]string{"report", "111", "--from", tomorrow, "--to", tomorrow, "--format", "csv", "--practice", "B82617,X12345"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if lines[0] != "date,ods,practice,list_size,required,offered,booked_by_111,shortfall" {
		t.Fatalf("csv header %q", lines[0])
	}
	// Tomorrow may be a weekend: then no rows; on a core day B82617 offers its
	// urgent-care slots and X12345, with none, is short.
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if f[1] == "X12345" && f[7] == "0" {
			t.Errorf("X12345 has no slots but no shortfall: %s", l)
		}
	}
	out.Reset()
	if err := run(ctx, append([]string{"report", "111", "--from", "2026-11-23", "--to", "2026-11-27"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "SHORT BY") || !strings.Contains(out.String(), "practice-days short") {
		t.Errorf("table lacks the shortfall marks:\n%s", out.String())
	}
	out.Reset()
	if err := run(ctx, append([]string{"report", "ea", "--from", "2026-11-23", "--to", "2026-11-29", "--format", "json"}, store...), &out, io.Discard); err != nil ||
		strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("report ea without hubs: %v %q", err, out.String())
	}
	if err := run(ctx, append([]string{"report", "111", "--format", "xml"}, store...), io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("--format xml: %v", err)
	}
	if err := run(ctx, append([]string{"report", "111", "--from", "2026-11-30", "--to", "2026-11-01"}, store...), io.Discard, io.Discard); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Errorf("reversed period: %v", err)
	}
}

func TestGPADCommands(t *testing.T) {
	ctx := context.Background()
	store := []string{"--data-dir", t.TempDir()}
	if err := run(ctx, append([]string{"seed", "assurance"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The assurance practice's slot types are not mapped yet: status says so and fails.
	var out bytes.Buffer
	err := run(ctx, append([]string{"gpad", "status", "--practice", "B82617"}, store...), &out, io.Discard)
	if pcnhub.ErrorCode(err) != pcnhub.EINVALID || !strings.Contains(out.String(), "UNMAPPED") {
		t.Fatalf("status before mapping: %v\n%s", err, out.String())
	}
	for _, typ := range []string{"Routine GP appointment", "Telephone consultation", "Urgent GP appointment"} {
		if err := run(ctx, append([]string{"gpad", "map", "--practice", "B82617", "--slot-type", typ,
			"--category", "general consultation  routine"}, store...), io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(ctx, append([]string{"gpad", "map", "--practice", "B82617", "--slot-type", "X", "--category", "Screening"}, store...), io.Discard, io.Discard); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Errorf("mapping to Screening: %v", err)
	}
	out.Reset()
	var stderr bytes.Buffer
	file := filepath.Join(t.TempDir(), "gpad.csv")
	if err := run(ctx, append([]string{"report", "gpad", "--month", time.Now().In(pcnhub.London).Format("2006-01"), file}, store...), &out, &stderr); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(b), "GP_CODE,GP_NAME,SUPPLIER,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,APPOINTMENT_MONTH_START_DATE,HCP_TYPE,APPT_MODE,NATIONAL_CATEGORY,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS,APPT_STATUS\n") {
		t.Fatalf("extract header: %q", string(b))
	}
	if err := run(ctx, append([]string{"report", "gpad", "--month", "2026-13"}, store...), io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("bad month: %v", err)
	}
}

func TestAppointmentOutcomeCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := []string{"--data-dir", dir}
	if err := run(ctx, append([]string{"seed", "assurance"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	s := openEngine(t, store)
	org, _ := s.OrganisationByODS(ctx, "B82617")
	from := time.Now().Add(24 * time.Hour)
	free, err := s.FreeSlots(ctx, org.ID, from, from.Add(72*time.Hour))
	if err != nil || len(free) == 0 {
		t.Fatalf("no free slot: %v", err)
	}
	pt, _ := s.PatientByNHSNumber(ctx, org.ID, "9690937278")
	scs, _ := s.SchedulesByID(ctx, []int64{free[0].ScheduleID})
	a := &schedule.Appointment{PatientID: pt.ID, Description: "Desk booking", BookedVia: schedule.BookedViaPractice,
		BookingOrganisation: schedule.BookingOrganisation{ODS: "B82617", Name: "Reception"}}
	a.SetSlots(scs[free[0].ScheduleID], free[:1])
	if err := s.BookAppointment(ctx, a); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(a.ID, 10)
	var out bytes.Buffer
	if err := run(ctx, append([]string{"appointment", "outcome", "--id", id, "--outcome", "cancelled-by-practice", "--reason", "GP unwell"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	got, _ := s.AppointmentByID(ctx, a.ID)
	if got.Status != schedule.Cancelled || got.CancelledBy != "practice" || got.CancellationReason != "GP unwell" {
		t.Fatalf("after the command: %+v", got)
	}
	err = run(ctx, append([]string{"appointment", "outcome", "--id", id, "--outcome", "attended"}, store...), io.Discard, io.Discard)
	if pcnhub.ErrorCode(err) != pcnhub.EINVALID || exitCode(err) != 2 {
		t.Fatalf("an outcome of a cancelled appointment: %v", err)
	}
	evs, _ := s.AuditEvents(ctx, sqlstore.AuditFilter{Action: "appointment.outcome"})
	if len(evs) != 1 || evs[0].NHSNumber != "9690937278" {
		t.Fatalf("audit: %+v", evs)
	}
}
