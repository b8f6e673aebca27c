package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/sqlstore"
)

const rotaUsage = `usage:
  pcnhub rota import FILE [--dry-run] [--weeks N]   validate a book (YAML or JSON) and apply it
  pcnhub rota validate FILE                         check a book against the database; change nothing
  pcnhub rota export --practice ODS [--format yaml|json] [FILE]
                                                    write a practice's stored book`

// defaultWeeks is how far ahead books are generated unless told otherwise.
const defaultWeeks = 6

// cmdBook imports, validates and exports appointment books.
func cmdRota(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(rotaUsage)
	}
	switch args[0] {
	case "import", "validate":
		return cmdRotaImport(ctx, args[0], args[1:], stdout, stderr)
	case "export":
		return cmdRotaExport(ctx, args[1:], stdout, stderr)
	}
	return usageError(rotaUsage)
}

func cmdRotaImport(ctx context.Context, verb string, args []string, stdout, stderr io.Writer) error {
	f := newFlags("rota "+verb, "rota "+verb+" FILE [flags]", stderr)
	dryRun := f.Bool("dry-run", false, "validate and show what would change, then change nothing")
	weeks := f.Int("weeks", defaultWeeks, "generate slots this many weeks ahead")
	calendar := holidaysFlag(f)
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		f.Usage()
		return usageError("name one book file (.yaml, .yml or .json)")
	}
	name := f.Arg(0)
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	b, err := rota.Decode(data, rota.FormatOf(name))
	if err != nil {
		return pcnhub.Errorf(pcnhub.EINVALID, "%s: %s", name, describe(err))
	}
	cal, err := calendar()
	if err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := store.ImportBook(ctx, b, sqlstore.BookOptions{Weeks: *weeks, BankHolidays: cal.BankHolidays,
		DryRun: *dryRun || verb == "validate", Actor: actor()})
	if err != nil {
		return err
	}
	if verb == "validate" {
		fmt.Fprintf(stdout, "%s: the book of %s is valid (%s)\n", name, b.Organisation, plural(len(b.Sessions), "session"))
		return nil
	}
	printBookResult(stdout, res)
	return nil
}

// printBookResult says what an import or extension did, conflicts first
// among the details because staff must act on them.
func printBookResult(w io.Writer, r *sqlstore.BookResult) {
	verb := "already up to date"
	switch {
	case r.DryRun:
		verb = "dry run, nothing written"
	case r.Changed() > 0:
		verb = "done"
	}
	fmt.Fprintf(w, "%s: %s, slots %s to %s: %d new, %d updated, %d removed — %s\n", r.Organisation, plural(r.Sessions, "session"),
		r.From, r.To.AddDays(-1), r.Inserted, r.Updated, r.Deleted, verb)
	if len(r.Conflicts) == 0 {
		return
	}
	fmt.Fprintf(w, "  %d booked slots disagree with the book and were left as they are; move or cancel these appointments:\n", len(r.Conflicts))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range r.Conflicts {
		fmt.Fprintf(tw, "  slot %d\t%s\t%s\t%s\n", c.SlotID, c.Start.In(pcnhub.London).Format("Mon 2 Jan 2006 15:04"), c.Session, c.Reason)
	}
	tw.Flush()
}

func cmdRotaExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("rota export", "rota export --practice ODS [--format yaml|json] [FILE]", stderr)
	practice := f.String("practice", "", "ODS code of the practice or hub (required)")
	format := f.String("format", "", "yaml or json (default: from FILE's extension, else yaml)")
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if *practice == "" || f.NArg() > 1 {
		f.Usage()
		return usageError("--practice is required, and at most one file")
	}
	ods, err := pcnhub.ParseODSCode(*practice)
	if err != nil {
		return err
	}
	fm := rota.YAML
	switch {
	case *format == "json":
		fm = rota.JSON
	case *format == "yaml" || *format == "yml":
	case *format != "":
		return usageError(fmt.Sprintf("--format %q: use yaml or json", *format))
	case f.NArg() == 1:
		fm = rota.FormatOf(f.Arg(0))
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	b, _, err := store.Book(ctx, ods)
	if err != nil {
		return err
	}
	out, err := rota.Encode(b, fm)
	if err != nil {
		return err
	}
	if f.NArg() == 0 {
		_, err = stdout.Write(out)
		return err
	}
	return writeFileAtomic(f.Arg(0), out)
}

// writeFileAtomic writes data to name through a temporary file and a
// rename, so a reader never sees half a file.
func writeFileAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// cmdSchedule runs schedule maintenance: extend generates every book's
// slots ahead.
func cmdSchedule(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "extend" {
		return usageError("usage: pcnhub schedule extend [--weeks N] [--practice ODS] [--dry-run]")
	}
	f := newFlags("schedule extend", "schedule extend [flags]", stderr)
	weeks := f.Int("weeks", defaultWeeks, "generate slots this many weeks ahead of today")
	practice := f.String("practice", "", "only this practice or hub (ODS code); default every organisation with a book")
	dryRun := f.Bool("dry-run", false, "show what would change, then change nothing")
	calendar := holidaysFlag(f)
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	var only pcnhub.ODSCode
	if *practice != "" {
		ods, err := pcnhub.ParseODSCode(*practice)
		if err != nil {
			return err
		}
		only = ods
	}
	cal, err := calendar()
	if err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	results, err := store.ExtendBooks(ctx, only, sqlstore.BookOptions{Weeks: *weeks, BankHolidays: cal.BankHolidays,
		DryRun: *dryRun, Actor: actor()})
	for i := range results {
		printBookResult(stdout, &results[i])
	}
	if len(results) == 0 && err == nil {
		fmt.Fprintln(stdout, "no organisation has an appointment book yet; import one with pcnhub rota import FILE")
	}
	fmt.Fprintf(stdout, "took %s\n", time.Since(start).Round(time.Millisecond))
	return err
}

// extendBooksEvery runs ExtendBooks at start and then every interval until
// ctx ends: serve's background job that keeps weeks of slots published.
func extendBooksEvery(ctx context.Context, store *sqlstore.Store, every time.Duration, weeks int, cal duty.Calendar, log *slog.Logger) {
	for {
		start := time.Now()
		results, err := store.ExtendBooks(ctx, "", sqlstore.BookOptions{Weeks: weeks, BankHolidays: cal.BankHolidays, Actor: "serve"})
		changed, conflicts := 0, 0
		for _, r := range results {
			changed += r.Changed()
			conflicts += len(r.Conflicts)
		}
		if err != nil && ctx.Err() == nil {
			log.Warn("extending appointment books", "err", strings.ReplaceAll(err.Error(), "\n", "; "))
		}
		log.Info("appointment books extended", "books", len(results), "weeks", weeks, "slots_changed", changed,
			"conflicts", conflicts, "took", time.Since(start).Round(time.Millisecond).String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
