package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed/demo"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// cmdBenchBooks measures generating appointment books and the duty reports
// that read them: the demo PCN's nine books, topped up to the asked number
// of practitioners with extra GP sessions, generated weeks ahead into a new
// database.
func cmdBenchBooks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("bench books", "bench books [flags]", stderr)
	weeks := f.Int("weeks", 12, "weeks of slots to generate")
	staff := f.Int("practitioners", 150, "practitioners across the nine organisations (at least the demo's)")
	reports := f.Int("reports", 20, "how many times to run each duty report")
	db := f.String("db", "", "empty for SQLite in a new temporary directory, or a postgres:// URL (the benchmark works in a schema of its own and drops it)")
	cpuprofile := f.String("cpuprofile", "", "write a CPU profile of the first generation to this file")
	if err := f.Parse(args); err != nil {
		return err
	}
	if *weeks < 1 || *weeks > 52 || *reports < 1 {
		return usageError("--weeks must be 1 to 52 and --reports at least 1")
	}
	tmp, err := os.MkdirTemp("", "pcnhub-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dsn, cleanup, err := benchDSN(ctx, *db)
	if err != nil {
		return err
	}
	defer cleanup()
	// A Monday at 07:00, so that every week is whole.
	now := time.Date(2027, 1, 4, 7, 0, 0, 0, pcnhub.London)
	clock := &benchClock{t: now}
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{DataDir: tmp, Clock: clock})
	if err != nil {
		return err
	}
	defer store.Close()

	fmt.Fprintln(stderr, "loading the demo organisations and patients …")
	ds := demo.Dataset()
	appts := ds.Appointments
	ds.People, ds.Books, ds.Appointments = nil, nil, nil
	if _, err := store.LoadDataset(ctx, ds, "bench"); err != nil {
		return err
	}
	books, extra, err := benchBooks(ctx, store, *staff)
	if err != nil {
		return err
	}
	holidays := map[pcnhub.Date]bool{}
	for _, d := range demo.BankHolidays {
		holidays[d] = true
	}
	opts := sqlstore.BookOptions{Weeks: *weeks, BankHolidays: holidays, Actor: "bench"}
	engine := string(store.Dialect())
	type row struct {
		phase          string
		n              int
		took           time.Duration
		unit, comments string
	}
	var rows []row

	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
	}
	start := time.Now()
	sessions, inserted := 0, 0
	for i := range books {
		res, err := store.ImportBook(ctx, &books[i], opts)
		if err != nil {
			return err
		}
		sessions += res.Sessions
		inserted += res.Inserted
	}
	pprof.StopCPUProfile()
	rows = append(rows, row{fmt.Sprintf("generate %d weeks, %d books, %d practitioners, %d sessions", *weeks, len(books),
		demoStaff()+extra, sessions), inserted, time.Since(start), "slots", ""})

	start = time.Now()
	res, err := store.ExtendBooks(ctx, "", opts)
	if err != nil {
		return err
	}
	rows = append(rows, row{"generate again (nothing to do)", changedSlots(res), time.Since(start), "slots changed", ""})

	clock.set(now.AddDate(0, 0, 7))
	start = time.Now()
	if res, err = store.ExtendBooks(ctx, "", opts); err != nil {
		return err
	}
	rows = append(rows, row{"a week later: extend by one week", changedSlots(res), time.Since(start), "slots changed", ""})
	clock.set(now)

	// Reception bookings, so that the reports have appointments to read.
	ds = demo.Dataset()
	ds.People, ds.Patients, ds.Books, ds.Groups, ds.Practitioners, ds.Locations = nil, nil, nil, nil, nil, nil
	ds.Appointments = appts
	st, err := store.LoadDataset(ctx, ds, "bench")
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "booked %s appointments\n", thousands(int64(st.Appointments.Inserted)))

	cal := duty.NewCalendar(demo.BankHolidays)
	from := pcnhub.DateOf(now)
	to := from.AddDays(29)
	var lat []time.Duration
	var days int
	for range *reports {
		start = time.Now()
		got, err := duty.Load111(ctx, store, from, to, cal, nil)
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
		days = len(got)
	}
	p50, p99 := percentiles(lat)
	rows = append(rows, row{fmt.Sprintf("111 report, %s to %s, %d practices", from, to, len(books)-1), days, p50, "practice-days",
		fmt.Sprintf("p99 %s over %d runs", p99.Round(time.Microsecond), *reports)})
	lat = lat[:0]
	for range *reports {
		start = time.Now()
		got, err := duty.LoadEA(ctx, store, from, to, cal)
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
		days = len(got)
	}
	p50, p99 = percentiles(lat)
	rows = append(rows, row{fmt.Sprintf("enhanced-access report, %s to %s", from, to), days, p50, "hub-weeks",
		fmt.Sprintf("p99 %s over %d runs", p99.Round(time.Microsecond), *reports)})

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENGINE\tPHASE\tCOUNT\tTIME (p50 for reports)\tPER SECOND\tNOTES")
	for _, r := range rows {
		rate := ""
		if r.took > 0 && r.n > 0 {
			rate = thousands(int64(float64(r.n)/r.took.Seconds())) + " " + r.unit + "/s"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\t%s\t%s\n", engine, r.phase, thousands(int64(r.n)), r.unit,
			r.took.Round(time.Millisecond), rate, r.comments)
	}
	return tw.Flush()
}

func changedSlots(rs []sqlstore.BookResult) int {
	n := 0
	for _, r := range rs {
		n += r.Changed()
	}
	return n
}

func percentiles(d []time.Duration) (time.Duration, time.Duration) {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}

func demoStaff() int { return len(demo.Dataset().Practitioners) }

// benchBooks returns the demo books with extra sessional GPs (stored as
// practitioners of the eight practices in turn) up to staff practitioners
// in all, each with a morning and an afternoon surgery four days a week.
func benchBooks(ctx context.Context, store *sqlstore.Store, staff int) ([]rota.Book, int, error) {
	books := demo.Books()
	extra := max(0, staff-demoStaff())
	for i := range extra {
		b := &books[i%(len(books)-1)]
		org, err := store.OrganisationByODS(ctx, b.Organisation)
		if err != nil {
			return nil, 0, err
		}
		sds := "99990000" + strconv.Itoa(5000+i)
		if _, err := store.UpsertPractitioner(ctx, &pcnhub.Practitioner{ID: int64(5000 + i), OrganisationID: org.ID,
			SDSUserID: sds, Name: pcnhub.HumanName{Prefix: "Dr", Given: []string{"Bench"}, Family: "Locum" + strconv.Itoa(i)},
			JobRoleCode: "R6300"}); err != nil {
			return nil, 0, err
		}
		loc := b.Sessions[0].Location
		off := rota.Weekday(1 + i%5)
		days := slices.DeleteFunc([]rota.Weekday{1, 2, 3, 4, 5}, func(w rota.Weekday) bool { return w == off })
		for _, s := range []struct {
			suffix     string
			start, end rota.ClockTime
		}{{"am", 8*60 + 30, 12 * 60}, {"pm", 14 * 60, 18 * 60}} {
			b.Sessions = append(b.Sessions, rota.Session{Name: "locum-" + strconv.Itoa(i) + "-" + s.suffix, Days: days,
				Start: s.start, End: s.end, Practitioner: sds, Location: loc, SlotMinutes: 10,
				SlotType: "Routine GP appointment", SessionName: "Locum surgery", Channel: schedule.InPerson, Role: "R6300"})
		}
	}
	return books, extra, nil
}

// benchClock is a settable clock.
type benchClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *benchClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *benchClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
