// Command pcnhub runs the pcnhub server and its operational tools.
//
// Every flag has an environment twin: --db is PCNHUB_DB, --data-dir is
// PCNHUB_DATA_DIR, and so on; a flag given on the command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"os/user"
	"strings"
	"syscall"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/sqlstore"
)

const usage = `pcnhub — GP practices, their PCN hub and NHS 111 working as one.

Usage:
  pcnhub serve [flags]                         run the HTTP server
  pcnhub seed demo|assurance [flags]           load a data set (idempotent)
  pcnhub import patients --practice ODS FILE   import a demographics CSV
  pcnhub export patients --practice ODS [FILE] export a practice's patients as CSV
  pcnhub record import --practice ODS FILE    load a patient's record from a GP Connect structured Bundle
  pcnhub org add --ods ODS --type T --name N   add or update an organisation
  pcnhub org list                              list organisations
  pcnhub group set --name NAME ODS…            set an organisation group's members
  pcnhub group list                            list organisation groups
  pcnhub gpconnect enable|disable|status --practice ODS   GP Connect switches
  pcnhub gpconnect token [--scope S]           a test token with the assurance identity
  pcnhub staff add|grant|password|token|list   staff users, their roles and API tokens
  pcnhub slots search --token T --group G      search free slots across practices (through a server's API)
  pcnhub book [amend|cancel|list] --token T    book, amend, cancel across practices; a patient's appointments
  pcnhub endpoint add|list|remove              the endpoint directory (where other organisations answer GP Connect)
  pcnhub agreement add|list|end                data sharing agreements between organisations
  pcnhub rota import|validate FILE             apply (or only check) a practice's appointment book, YAML or JSON
  pcnhub rota export --practice ODS [FILE]     write a practice's appointment book
  pcnhub schedule extend [--weeks N]           generate every book's slots N weeks ahead (idempotent)
  pcnhub report 111 [--from D --to D]          the NHS 111 direct-booking duty per practice and day
  pcnhub report ea [--from D --to D]           the hub's enhanced-access minutes per week
  pcnhub report gpad --month YYYY-MM [FILE]    the monthly GPAD extract (national dimensions) as CSV
  pcnhub gpad map|status|categories            map slot types to GPAD national categories
  pcnhub appointment outcome --id N --outcome O record arrived, attended, dna or a cancellation
  pcnhub audit [--nhs N] [--verify]            list or verify the audit trail
  pcnhub migrate [flags]                       bring the database schema up to date
  pcnhub check slots --endpoint URL [flags]    a consumer's view of a provider's free slots, with problems
  pcnhub bench import [--rows N]               measure import and lookup speed
  pcnhub bench gpconnect [flags]               measure GP Connect slot search and booking
  pcnhub bench books [--weeks 12]              measure generating appointment books and the duty reports
  pcnhub bench federated [--providers 40]      measure the hub's federated slot search

Run "pcnhub COMMAND --help" for the flags of a command. Every flag has an
environment twin: --db is PCNHUB_DB, --data-dir is PCNHUB_DATA_DIR, …

Storage: SQLite in --data-dir (default ./data) unless --db names a
PostgreSQL server (postgres://user:pass@host/db).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "pcnhub:", describe(err))
		os.Exit(exitCode(err))
	}
}

// run dispatches a command line; it is main without the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, rest, stdout, stderr)
	case "import":
		if len(rest) == 0 || rest[0] != "patients" {
			return usageError("usage: pcnhub import patients --practice ODS FILE.csv")
		}
		return cmdImportPatients(ctx, rest[1:], stdout, stderr)
	case "export":
		if len(rest) == 0 || rest[0] != "patients" {
			return usageError("usage: pcnhub export patients --practice ODS [FILE.csv]")
		}
		return cmdExportPatients(ctx, rest[1:], stdout, stderr)
	case "audit":
		return cmdAudit(ctx, rest, stdout, stderr)
	case "record":
		return cmdRecord(ctx, rest, stdout, stderr)
	case "gpconnect":
		return cmdGPConnect(ctx, rest, stdout, stderr)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr)
	case "rota":
		return cmdRota(ctx, rest, stdout, stderr)
	case "endpoint":
		return cmdEndpoint(ctx, rest, stdout, stderr)
	case "staff":
		return cmdStaff(ctx, rest, stdin, stdout, stderr)
	case "slots":
		return cmdSlots(ctx, rest, stdout, stderr)
	case "book":
		return cmdBooking(ctx, rest, stdout, stderr)
	case "agreement":
		return cmdAgreement(ctx, rest, stdout, stderr)
	case "schedule":
		return cmdSchedule(ctx, rest, stdout, stderr)
	case "gpad":
		return cmdGPAD(ctx, rest, stdout, stderr)
	case "appointment":
		return cmdAppointment(ctx, rest, stdout, stderr)
	case "org":
		return cmdOrg(ctx, rest, stdout, stderr)
	case "group":
		return cmdGroup(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "check":
		return cmdCheck(ctx, rest, stdout, stderr)
	case "bench":
		switch {
		case len(rest) > 0 && rest[0] == "import":
			return cmdBenchImport(ctx, rest[1:], stdout, stderr)
		case len(rest) > 0 && rest[0] == "gpconnect":
			return cmdBenchGPConnect(ctx, rest[1:], stdout, stderr)
		case len(rest) > 0 && rest[0] == "books":
			return cmdBenchBooks(ctx, rest[1:], stdout, stderr)
		case len(rest) > 0 && rest[0] == "federated":
			return cmdBenchFederated(ctx, rest[1:], stdout, stderr)
		}
		return usageError("usage: pcnhub bench import [--rows N] | pcnhub bench gpconnect [flags] | pcnhub bench books [flags] | pcnhub bench federated [flags]")
	}
	return usageError(fmt.Sprintf("unknown command %q; run pcnhub --help", cmd))
}

// stdin is where commands read secrets (passwords); tests replace it.
var stdin io.Reader = os.Stdin

type usageError string

func (e usageError) Error() string { return string(e) }

// describe turns an error into the line a person reads: the safe message
// for application errors, the full text for anything else (the CLI user
// is the operator, who needs the cause).
func describe(err error) string {
	var e *pcnhub.Error
	if errors.As(err, &e) && e.Code != pcnhub.EINTERNAL {
		var problems rota.Problems
		if errors.As(err, &problems) {
			return e.Message + ":\n  " + strings.ReplaceAll(problems.Error(), "\n", "\n  ")
		}
		return e.Message
	}
	return err.Error()
}

// exitCode: 2 for usage errors and invalid input, 1 for everything else.
func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || pcnhub.ErrorCode(err) == pcnhub.EINVALID {
		return 2
	}
	return 1
}

// flags is a FlagSet whose every flag defaults to its PCNHUB_* environment twin.
type flags struct {
	*flag.FlagSet
	env func(string) string
}

func newFlags(name, synopsis string, stderr io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &flags{FlagSet: fs, env: os.Getenv}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: pcnhub %s\n\nFlags (each also read from its environment variable):\n", synopsis)
		fs.PrintDefaults()
	}
	return f
}

// envName is the environment twin of a flag: data-dir → PCNHUB_DATA_DIR.
func envName(flagName string) string {
	return "PCNHUB_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Parse parses flags wherever they stand among the arguments
// ("import patients FILE --practice X" works too); "--" ends the flags.
func (f *flags) Parse(args []string) error {
	var positional []string
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			return err
		}
		rest := f.FlagSet.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	return f.FlagSet.Parse(append([]string{"--"}, positional...))
}

func (f *flags) String(name, def, help string) *string {
	if v := f.env(envName(name)); v != "" {
		def = v
	}
	return f.FlagSet.String(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}

func (f *flags) Bool(name string, def bool, help string) *bool {
	if v := f.env(envName(name)); v != "" {
		def = v == "1" || strings.EqualFold(v, "true") || strings.EqualFold(v, "yes")
	}
	return f.FlagSet.Bool(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}

func (f *flags) Int(name string, def int, help string) *int {
	if v := f.env(envName(name)); v != "" {
		fmt.Sscan(v, &def)
	}
	return f.FlagSet.Int(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}

// storeFlags are the database flags every command that opens the store has.
type storeFlags struct {
	db, dataDir *string
}

func addStoreFlags(f *flags) storeFlags {
	return storeFlags{
		db:      f.String("db", "", "database: empty for SQLite in --data-dir, or a postgres:// URL"),
		dataDir: f.String("data-dir", "data", "directory of the embedded SQLite database (created if missing)"),
	}
}

func (sf storeFlags) open(ctx context.Context) (*sqlstore.Store, error) {
	return sqlstore.Open(ctx, *sf.db, sqlstore.Options{DataDir: *sf.dataDir})
}

// logFlags configure the structured logger.
type logFlags struct{ level, format *string }

func addLogFlags(f *flags) logFlags {
	return logFlags{
		level:  f.String("log-level", "info", "log level: debug, info, warn or error"),
		format: f.String("log-format", "auto", "log format: json, text, or auto (text on a terminal, JSON otherwise)"),
	}
}

func (lf logFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(*lf.level)); err != nil {
		return nil, usageError(fmt.Sprintf("--log-level %q: use debug, info, warn or error", *lf.level))
	}
	opts := &slog.HandlerOptions{Level: level}
	switch *lf.format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "auto":
		if isTerminal(w) {
			return slog.New(slog.NewTextHandler(w, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError(fmt.Sprintf("--log-format %q: use json, text or auto", *lf.format))
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// actor names the person running a CLI command, for the audit trail.
func actor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

// dateFlag reads the value of a date flag, def when it was not given; the
// error names the flag (EINVALID).
func dateFlag(name, value string, def pcnhub.Date) (pcnhub.Date, error) {
	if value == "" {
		return def, nil
	}
	d, err := pcnhub.ParseDate(value)
	if err != nil {
		return pcnhub.Date{}, pcnhub.Errorf(pcnhub.EINVALID, "--%s: %s", name, pcnhub.ErrorMessage(err))
	}
	return d, nil
}

// holidaysFlag adds --bank-holidays and returns the function that reads
// it as a calendar.
func holidaysFlag(f *flags) func() (duty.Calendar, error) {
	v := f.String("bank-holidays", "", "bank holidays, comma-separated YYYY-MM-DD (default: England and Wales 2026–2027)")
	return func() (duty.Calendar, error) { return duty.ParseBankHolidays(*v) }
}
