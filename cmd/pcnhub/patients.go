package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/patientimport"
)

func cmdImportPatients(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("import patients", "import patients --practice ODS [flags] FILE.csv", stderr)
	practice := f.String("practice", "", "ODS code of the practice the patients are registered with (required)")
	skip := f.Bool("skip-invalid", false, "import the valid rows and write the invalid ones to --rejects; without it one invalid row means nothing is imported")
	rejectsPath := f.String("rejects", "", "where --skip-invalid writes the invalid rows (default FILE.rejects.csv)")
	progress := f.String("progress", "auto", "progress bar on stderr: auto (on a terminal), always or never")
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if *practice == "" || f.NArg() != 1 {
		f.Usage()
		return usageError("usage: pcnhub import patients --practice ODS FILE.csv")
	}
	ods, err := pcnhub.ParseODSCode(*practice)
	if err != nil {
		return err
	}
	path := f.Arg(0)
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()

	opt := patientimport.Options{SkipInvalid: *skip, Actor: actor(), Source: filepath.Base(path)}
	// The rejects file is written beside its final name and renamed into
	// place only when the import commits, so a failed or killed import
	// never leaves a rejects file that describes a half-done import.
	var rejects *os.File
	if *skip {
		if *rejectsPath == "" {
			*rejectsPath = strings.TrimSuffix(path, filepath.Ext(path)) + ".rejects.csv"
		}
		rejects, err = os.CreateTemp(filepath.Dir(*rejectsPath), "."+filepath.Base(*rejectsPath)+".tmp-*")
		if err != nil {
			return err
		}
		defer os.Remove(rejects.Name())
		defer rejects.Close()
		opt.Rejects = rejects
	}
	showProgress := *progress == "always" || (*progress == "auto" && isTerminal(stderr))
	bar := &progressBar{w: stderr, total: info.Size(), start: time.Now()}
	if showProgress {
		opt.Progress = bar.update
	}
	rep, err := patientimport.Import(ctx, store, ods, in, opt)
	if showProgress {
		bar.finish()
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(stderr, e)
	}
	if rep.Invalid > len(rep.Errors) {
		fmt.Fprintf(stderr, "… and %d more invalid rows\n", rep.Invalid-len(rep.Errors))
	}
	if err != nil {
		return err
	}
	if rejects != nil {
		if err := rejects.Close(); err != nil {
			return err
		}
		if rep.Invalid > 0 {
			if err := os.Rename(rejects.Name(), *rejectsPath); err != nil {
				return err
			}
		}
	}
	t := func(n int) string { return thousands(int64(n)) }
	fmt.Fprintf(stdout, "%s: %s rows read, %s imported (%s new, %s changed, %s unchanged), %s invalid",
		ods, t(rep.Rows), t(rep.Valid), t(rep.Stats.Inserted), t(rep.Stats.Updated), t(rep.Stats.Unchanged), t(rep.Invalid))
	if rep.Invalid > 0 {
		fmt.Fprintf(stdout, " (written to %s)", *rejectsPath)
	}
	fmt.Fprintf(stdout, " in %s\n", time.Since(bar.start).Round(time.Millisecond))
	return nil
}

func cmdExportPatients(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("export patients", "export patients --practice ODS [flags] [FILE.csv]", stderr)
	practice := f.String("practice", "", "ODS code of the organisation whose patients to export (required)")
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if *practice == "" || f.NArg() > 1 {
		f.Usage()
		return usageError("usage: pcnhub export patients --practice ODS [FILE.csv] (standard output without FILE)")
	}
	ods, err := pcnhub.ParseODSCode(*practice)
	if err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if f.NArg() == 0 {
		_, err := patientimport.Export(ctx, store, ods, stdout, actor())
		return err
	}
	// Write to a temporary file and rename, so FILE is whole or absent.
	path := f.Arg(0)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := patientimport.Export(ctx, store, ods, tmp, actor())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: %d patients written to %s\n", ods, n, path)
	return nil
}

// progressBar draws "[####......]  45%  450,000 rows  120,000 rows/s" on a terminal.
type progressBar struct {
	w     io.Writer
	total int64
	start time.Time
	drawn bool
}

func (b *progressBar) update(done int64, rows int) {
	frac := 1.0
	if b.total > 0 {
		frac = min(float64(done)/float64(b.total), 1)
	}
	const width = 30
	filled := int(frac * width)
	rate := float64(rows) / max(time.Since(b.start).Seconds(), 1e-3)
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%%  %s rows  %s rows/s ", strings.Repeat("#", filled),
		strings.Repeat(".", width-filled), frac*100, thousands(int64(rows)), thousands(int64(rate)))
	b.drawn = true
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}

// thousands formats n with comma separators: 1234567 → "1,234,567".
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
