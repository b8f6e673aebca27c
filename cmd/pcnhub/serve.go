package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/seed/demo"
	"github.com/pcnhub/pcnhub/server"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// version and releaseDate name this build in the GP Connect CapabilityStatement.
var (
	version     = "0.1.0"
	releaseDate = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
)

// datasets are the data sets --seed can load, by name.
var datasets = map[string]func() seed.Dataset{
	"demo":      demo.Dataset,
	"assurance": assurance.Dataset,
}

func datasetNames() string {
	var names []string
	for n := range datasets {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, "|")
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("serve", "serve [flags]", stderr)
	addr := f.String("addr", ":8080", "address to listen on, host:port")
	seedName := f.String("seed", "", "load a data set before serving ("+datasetNames()+"); loading is idempotent")
	shutdown := f.String("shutdown-timeout", "30s", "how long to let requests finish after SIGTERM")
	calendar := holidaysFlag(f)
	extendEvery := f.String("extend-every", "1h", "how often to generate the appointment books' slots ahead (0: never)")
	weeks := f.Int("weeks", defaultWeeks, "how many weeks ahead the appointment books' slots are published")
	timeout := f.String("provider-timeout", "3s", "how long a federated search waits for each practice's provider")
	baseURL := f.String("base-url", "", "scheme and host by which consumers reach this server, for Location headers (default: from each request)")
	sf := addStoreFlags(f)
	lf := addLogFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError(fmt.Sprintf("serve takes no arguments, got %q", f.Args()))
	}
	grace, err := time.ParseDuration(*shutdown)
	if err != nil {
		return usageError(fmt.Sprintf("--shutdown-timeout %q: %v", *shutdown, err))
	}
	providerTimeout, err := time.ParseDuration(*timeout)
	if err != nil || providerTimeout <= 0 {
		return usageError(fmt.Sprintf("--provider-timeout %q: a duration such as 3s", *timeout))
	}
	every, err := time.ParseDuration(*extendEvery)
	if err != nil || every < 0 {
		return usageError(fmt.Sprintf("--extend-every %q: a duration such as 1h or 30m, or 0", *extendEvery))
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
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
	log.Info("database ready", "engine", store.Dialect())
	var seeded seed.Dataset // what --seed loaded, if anything
	if *seedName != "" {
		if seeded, err = loadSeed(ctx, store, *seedName, log); err != nil {
			return err
		}
	}

	if every > 0 {
		// The job stops before the store closes (defers run last-first).
		jobCtx, stopJob := context.WithCancel(ctx)
		jobDone := make(chan struct{})
		go func() { defer close(jobDone); extendBooksEvery(jobCtx, store, every, *weeks, cal, log) }()
		defer func() { stopJob(); <-jobDone }()
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	reg := prometheus.NewRegistry()
	// This deployment's own address, for the service roots of the
	// practices it hosts: the hub reaches them over GP Connect like any
	// other provider.
	self := *baseURL
	if self == "" {
		self = "http://" + loopbackAddr(ln.Addr())
	}
	d := deployment{calendar: cal, self: self, publicBase: *baseURL, providerTimeout: providerTimeout, clock: pcnhub.SystemClock{},
		records: seeded.GenerateRecord}
	handler := newHandler(store, log, reg, d)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("pcnhub serving", "addr", ln.Addr().String())

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// loadSeed loads a named data set and logs what it did.
func loadSeed(ctx context.Context, store *sqlstore.Store, name string, log *slog.Logger) (seed.Dataset, error) {
	make, ok := datasets[name]
	if !ok {
		return seed.Dataset{}, usageError(fmt.Sprintf("unknown data set %q: use %s", name, datasetNames()))
	}
	start := time.Now()
	d := make()
	st, err := store.LoadDataset(ctx, d, actor())
	if err != nil {
		return d, err
	}
	if err := server.EnableSeeded(ctx, store, d); err != nil {
		return d, err
	}
	log.Info("data set loaded", "name", name, "organisations", st.Organisations, "practitioners", st.Practitioners,
		"locations", st.Locations, "patients_new", st.Patients.Inserted, "patients_changed", st.Patients.Updated,
		"patients_unchanged", st.Patients.Unchanged, "register_entries",
		st.People.Inserted+st.People.Updated+st.People.Unchanged, "schedules", st.Schedules,
		"slots_new", st.Slots.Inserted, "slots_kept", st.Slots.Unchanged, "appointments_new", st.Appointments.Inserted,
		"took", time.Since(start).Round(time.Millisecond).String())
	return d, nil
}

func cmdSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("seed", "seed "+datasetNames()+" [flags]", stderr)
	sf := addStoreFlags(f)
	lf := addLogFlags(f)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		f.Usage()
		return usageError("name a data set: " + datasetNames())
	}
	name := args[0]
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	_, err = loadSeed(ctx, store, name, log)
	return err
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("migrate", "migrate [flags]", stderr)
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	store, err := sf.open(ctx) // Open migrates
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(stdout, "schema up to date (%s)\n", store.Dialect())
	return nil
}

// loopbackAddr is host:port of a listener, with an unspecified host
// (":8080", "[::]:8080") replaced by 127.0.0.1 so that it can be called.
func loopbackAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// deployment is how one pcnhub server is set up.
type deployment struct {
	calendar        duty.Calendar
	self            string // scheme and host this server is reached on (hosted service roots)
	publicBase      string // the --base-url of Location headers; "": from each request
	providerTimeout time.Duration
	clock           pcnhub.Clock
	// records generates the clinical records the seeded data set did not
	// store (seed.Dataset.GenerateRecord); nil: none.
	records func(pcnhub.ODSCode, *pcnhub.Patient) *record.Record
}

// newHandler assembles a pcnhub server (server.Assemble).
func newHandler(store *sqlstore.Store, log *slog.Logger, reg *prometheus.Registry, d deployment) *server.Server {
	return server.Assemble(store, log, reg, server.Deployment{Calendar: d.calendar, Self: d.self, PublicBase: d.publicBase,
		ProviderTimeout: d.providerTimeout, Clock: d.clock, Records: d.records, SoftwareVersion: version, SoftwareRelease: releaseDate})
}
