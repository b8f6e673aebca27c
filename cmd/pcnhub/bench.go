package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/patientcsv"
	"github.com/pcnhub/pcnhub/patientimport"
	"github.com/pcnhub/pcnhub/seed/demo"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// benchFirstPrefix starts the benchmark's NHS numbers. The 999 test range
// holds only 909,091 valid numbers, so a million-row file starts in the
// 998 range, which is never issued either (England issues 4xx, 6xx, 7xx).
const benchFirstPrefix = 998_900_000

func cmdBenchImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("bench import", "bench import [flags]", stderr)
	rows := f.Int("rows", 1_000_000, "rows in the generated demographics file (at most 1,100,000)")
	lookupTime := f.String("lookup-time", "5s", "how long each patient-lookup run lasts")
	file := f.String("file", "", "use this CSV instead of generating one (its NHS numbers are then not looked up)")
	db := f.String("db", "", "empty for SQLite in a new temporary directory, or a postgres:// URL (the benchmark works in a schema of its own and drops it)")
	cpuprofile := f.String("cpuprofile", "", "write a CPU profile of the import phases to this file")
	if err := f.Parse(args); err != nil {
		return err
	}
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	lt, err := time.ParseDuration(*lookupTime)
	if err != nil {
		return usageError(fmt.Sprintf("--lookup-time %q: %v", *lookupTime, err))
	}
	if *rows < 1 || *rows > 1_100_000 {
		return usageError("--rows must be between 1 and 1,100,000")
	}
	tmp, err := os.MkdirTemp("", "pcnhub-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	path := *file
	if path == "" {
		path = filepath.Join(tmp, "patients.csv")
		start := time.Now()
		size, err := writeBenchFile(path, *rows)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "generated %s rows (%.0f MB) in %s\n", thousands(int64(*rows)), float64(size)/1e6, time.Since(start).Round(time.Millisecond))
	}

	dsn, cleanup, err := benchDSN(ctx, *db)
	if err != nil {
		return err
	}
	defer cleanup()
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{DataDir: tmp})
	if err != nil {
		return err
	}
	defer store.Close()
	org := &pcnhub.Organisation{ODS: "B99990", Type: pcnhub.OrgGPPractice, Name: "Benchmark Surgery", Hosted: true}
	orgID, err := store.UpsertOrganisation(ctx, org)
	if err != nil {
		return err
	}

	type result struct {
		phase        string
		n            int
		secs, perSec float64
		peakMB       float64
	}
	var results []result
	for _, phase := range []string{"import (new)", "re-import (unchanged)"} {
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		runtime.GC()
		resetPeakRSS()
		start := time.Now()
		rep, err := patientimport.Import(ctx, store, org.ODS, in, patientimport.Options{Actor: actor(), Source: "bench"})
		secs := time.Since(start).Seconds()
		in.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", phase, err)
		}
		results = append(results, result{phase, rep.Rows, secs, float64(rep.Rows) / secs, peakRSSMB()})
		fmt.Fprintf(stderr, "%s: %+v\n", phase, rep.Stats)
	}

	if *file == "" {
		numbers := benchNumbers(*rows)
		for _, workers := range []int{1, 4 * runtime.GOMAXPROCS(0)} {
			resetPeakRSS()
			n, secs, err := benchLookups(ctx, store, orgID, numbers, workers, lt)
			if err != nil {
				return err
			}
			results = append(results, result{fmt.Sprintf("lookup by NHS number, %d clients", workers), n, secs, float64(n) / secs, peakRSSMB()})
		}
	}

	fmt.Fprintf(stdout, "\npcnhub bench import — %s, %s rows, GOMAXPROCS %d, %s\n\n", store.Dialect(),
		thousands(int64(*rows)), runtime.GOMAXPROCS(0), time.Now().UTC().Format("2006-01-02"))
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\toperations\tseconds\tper second\tpeak RSS (MB)\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%.0f\t\n", r.phase, thousands(int64(r.n)), r.secs, thousands(int64(r.perSec)), r.peakMB)
	}
	return tw.Flush()
}

// writeBenchFile writes n synthetic patients in the import format.
func writeBenchFile(path string, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := patientcsv.NewWriter(bw)
	for p := range demo.Patients(20261121, n, benchFirstPrefix, "A999910") {
		if err := w.Write(&p); err != nil {
			return 0, err
		}
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), f.Close()
}

// benchNumbers lists the NHS numbers writeBenchFile used.
func benchNumbers(n int) []pcnhub.NHSNumber {
	out := make([]pcnhub.NHSNumber, 0, n)
	for prefix := uint32(benchFirstPrefix); len(out) < n && prefix < 1_000_000_000; prefix++ {
		if nhs, ok := pcnhub.NHSNumberFromPrefix(prefix); ok {
			out = append(out, nhs)
		}
	}
	return out
}

// benchLookups runs PatientByNHSNumber for random numbers from `workers`
// goroutines for duration d, and returns the lookups done and seconds taken.
func benchLookups(ctx context.Context, s *sqlstore.Store, orgID int64, numbers []pcnhub.NHSNumber, workers int, d time.Duration) (int, float64, error) {
	var done atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for time.Now().Before(deadline) {
				nhs := numbers[rng.IntN(len(numbers))]
				if _, err := s.PatientByNHSNumber(ctx, orgID, nhs); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(done.Load()), time.Since(start).Seconds(), firstErr
}

// benchDSN returns the DSN to benchmark on: "" (SQLite in the temporary
// directory) or the PostgreSQL URL with a fresh schema on its search path.
func benchDSN(ctx context.Context, db string) (string, func(), error) {
	if !sqlstore.IsPostgresDSN(db) {
		if db != "" {
			return "", nil, usageError("bench import: --db must be empty (SQLite) or a postgres:// URL")
		}
		return "", func() {}, nil
	}
	admin, err := sql.Open("pgx", db)
	if err != nil {
		return "", nil, err
	}
	schema := fmt.Sprintf("pcnhub_bench_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create benchmark schema: %w", err)
	}
	cleanup := func() {
		admin.ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}
	u, err := url.Parse(db)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), cleanup, nil
}

// resetPeakRSS resets the kernel's peak-RSS mark (VmHWM) of this process.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB reads VmHWM, the peak resident set size since the last reset,
// in MB; 0 where /proc is not available.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}
