package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// The benchmark's practice, and the consumer that calls it (an NHS 111
// service: organisation type urgent-care).
const (
	benchPracticeODS  = "B99991"
	benchPracticeASID = "999900000991"
	benchConsumerODS  = "A99911"
	benchConsumerASID = "200000000359"
	benchSearchWindow = 14  // days, tomorrow to tomorrow+13
	benchSessionSlots = 17  // ten-minute slots per clinician per day in the window
	benchPoolPerDay   = 120 // five-minute slots per clinician per day in the booking pool (08:00–18:00)
)

const benchGPConnectHelp = `bench gpconnect [flags]

Measures GP Connect slot search and booking over HTTP on a loopback
listener, against a practice with --clinicians clinicians and 14 days of
free slots (17 ten-minute slots per clinician per day, from tomorrow in
Europe/London). Each measurement runs --duration with a fixed number of
clients in a closed loop (every client sends its next request when the
previous one is answered):

  slot search              the search real consumers send: status=free,
                           _include=Slot:schedule and the three
                           _include:recurse, start=ge{tomorrow},
                           end=le{tomorrow+13}, searchFilter urgent-care
                           and the consumer's ODS code
  slot search from memory  the same response bytes served by a trivial
                           handler on a second listener: the ceiling
                           set by HTTP and the client on this machine
  booking                  POST Appointment, every request a different
                           free slot (from a pool outside the search
                           window, so the search is not disturbed)

Set-up is not timed. Any answer other than 200 (201 for a booking) counts
as an error; a run with errors exits non-zero after printing the table.`

func cmdBenchGPConnect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("bench gpconnect", benchGPConnectHelp, stderr)
	db := f.String("db", "", "empty for SQLite in a new temporary directory, or a postgres:// URL (the benchmark works in a schema of its own and drops it)")
	clientsList := f.String("clients", "16,64", "comma-separated numbers of concurrent clients; slot search (real and from memory) is measured at each")
	duration := f.String("duration", "10s", "how long each measurement lasts")
	clinicians := f.Int("clinicians", 25, "clinicians at the practice: one schedule each, 17 free slots a day for 14 days")
	bookClients := f.Int("book-clients", 16, "concurrent clients of the booking measurement")
	bookSlots := f.Int("book-slots", 0, "free slots in the booking pool; 0 sizes it to 3,000 bookings a second for --duration (the run stops early when the pool runs out)")
	useGzip := f.Bool("gzip", false, "send Accept-Encoding: gzip (the server compresses every answer; the memory handler serves the compressed bytes)")
	cpuprofile := f.String("cpuprofile", "", "write a CPU profile of the slot-search measurements (server and client, one process) to this file")
	if err := f.Parse(args); err != nil {
		return err
	}
	d, err := time.ParseDuration(*duration)
	if err != nil || d <= 0 {
		return usageError(fmt.Sprintf("--duration %q: want a positive duration such as 10s", *duration))
	}
	clients, err := benchParseClients(*clientsList)
	if err != nil {
		return err
	}
	if *clinicians < 1 || *clinicians > 1000 {
		return usageError("--clinicians must be between 1 and 1,000")
	}
	if *bookClients < 1 || *bookClients > 4096 {
		return usageError("--book-clients must be between 1 and 4,096")
	}
	if *bookSlots < 0 {
		return usageError("--book-slots cannot be negative")
	}
	poolSize := *bookSlots
	if poolSize == 0 {
		poolSize = max(1000, int(math.Ceil(3000*d.Seconds()))+*bookClients)
	}

	// ---- Set-up (not timed).
	tmp, err := os.MkdirTemp("", "pcnhub-bench-gpconnect-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dsn, cleanup, err := benchDSN(ctx, *db)
	if err != nil {
		return err
	}
	defer cleanup()
	clock := pcnhub.SystemClock{}
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{DataDir: tmp, Clock: clock})
	if err != nil {
		return err
	}
	defer store.Close()
	setupStart := time.Now()
	fx, err := benchGPConnectSetup(ctx, store, clock, *clinicians, poolSize)
	if err != nil {
		return fmt.Errorf("bench gpconnect set-up: %w", err)
	}
	fmt.Fprintf(stderr, "set-up: %s free slots in the window, %s in the booking pool, %s\n",
		thousands(int64(fx.windowSlots)), thousands(int64(len(fx.pool))), time.Since(setupStart).Round(time.Millisecond))

	provider := &gpconnect.Provider{Store: store, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SoftwareName: "pcnhub", SoftwareVersion: "bench", SoftwareRelease: time.Now()}
	realURL, stopReal, err := benchServe(provider)
	if err != nil {
		return err
	}
	defer stopReal()

	searchPath := "/" + benchPracticeODS + gpconnect.RootPrefix + "/Slot?" + benchSlotQuery(fx.tomorrow)
	readTokens := &benchTokens{scope: "organization/*.read"}
	writeTokens := &benchTokens{scope: "patient/*.write"}
	searchReq := func(base string) *benchRequest {
		return &benchRequest{method: "GET", url: base + searchPath, interaction: gpconnect.IDSearchSlots,
			tokens: readTokens, gzip: *useGzip, want: http.StatusOK}
	}

	// The response once, uncompressed, to check it and to know its size;
	// then as the measured clients receive it, for the memory handler.
	probe := benchNewClient(1)
	plain := searchReq(realURL)
	plain.gzip = false
	status, hdr, body, err := probe.fetch(ctx, plain, nil, 0)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("bench gpconnect: the slot search answered %d: %s", status, benchClip(body, 300))
	}
	if n := bytes.Count(body, []byte(`"resourceType":"Slot"`)); n != fx.windowSlots {
		return fmt.Errorf("bench gpconnect: the slot search returned %d slots, want %d", n, fx.windowSlots)
	}
	responseSize, wireSize := len(body), len(body)
	if *useGzip {
		if _, hdr, body, err = probe.fetch(ctx, searchReq(realURL), nil, 0); err != nil {
			return err
		}
		if hdr.Get("Content-Encoding") != "gzip" {
			return fmt.Errorf("bench gpconnect: --gzip: the server did not compress the slot search")
		}
		wireSize = len(body)
	}
	probe.close()
	memURL, stopMem, err := benchServe(benchMemoryHandler(hdr, body))
	if err != nil {
		return err
	}
	defer stopMem()

	// ---- Measurements.
	var rows []benchRow
	var searches []benchResult
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
	for _, c := range clients {
		fmt.Fprintf(stderr, "slot search, %d clients …\n", c)
		searches = append(searches, benchMeasure(ctx, c, d, benchRequester(searchReq(realURL), nil)))
	}
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	for i, c := range clients {
		fmt.Fprintf(stderr, "slot search from memory, %d clients …\n", c)
		mem := benchMeasure(ctx, c, d, benchRequester(searchReq(memURL), nil))
		search := searches[i]
		rows = append(rows,
			benchRow{name: "slot search", clients: c, res: &search},
			benchRow{name: "slot search from memory", clients: c, res: &mem},
			benchRow{name: "ratio real/memory", clients: c, ratio: benchRatio(search.perSec(), mem.perSec())})
	}
	fmt.Fprintf(stderr, "booking, %d clients …\n", *bookClients)
	var next atomic.Int64
	bookReq := &benchRequest{method: "POST", url: realURL + "/" + benchPracticeODS + gpconnect.RootPrefix + "/Appointment",
		interaction: gpconnect.IDBookAppointment, tokens: writeTokens, gzip: *useGzip, want: http.StatusCreated}
	booking := benchMeasure(ctx, *bookClients, d, benchRequester(bookReq, func() ([]byte, bool) {
		i := next.Add(1) - 1
		if i >= int64(len(fx.pool)) {
			return nil, false
		}
		return benchBookingBody(&fx.pool[i], fx.patientID, fx.locationID), true
	}))
	rows = append(rows, benchRow{name: "booking", clients: *bookClients, res: &booking})

	if err := ctx.Err(); err != nil {
		return err
	}

	// ---- Report.
	size := fmt.Sprintf("response %.1f MB", float64(responseSize)/1e6)
	if *useGzip {
		size += fmt.Sprintf(" (%.2f MB gzipped)", float64(wireSize)/1e6)
	}
	fmt.Fprintf(stdout, "\npcnhub bench gpconnect — %s, %s free slots in the window (%d clinicians × %d days), %s, GOMAXPROCS %d, %s\n",
		store.Dialect(), thousands(int64(fx.windowSlots)), *clinicians, benchSearchWindow, size,
		runtime.GOMAXPROCS(0), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(stdout, "search: GET %s\n", searchPath)
	fmt.Fprintf(stdout, "each measurement %s, closed loop; booking pool %s slots outside the window\n\n", d, thousands(int64(len(fx.pool))))
	fmt.Fprintf(stdout, "%-26s %7s %9s %9s %8s %8s %7s %11s %9s %8s\n", "measurement", "clients", "requests", "req/s", "p50 ms", "p99 ms", "errors",
		"CPU ms/req", "others %", "peak MB")
	totalErrors := 0
	for _, r := range rows {
		if r.res == nil {
			fmt.Fprintf(stdout, "%-26s %7d %9s %9s\n", r.name, r.clients, "", benchFmtRatio(r.ratio))
			continue
		}
		res := r.res
		totalErrors += res.errors
		others := "–"
		if res.othersShare >= 0 {
			others = fmt.Sprintf("%.0f", 100*res.othersShare)
		}
		fmt.Fprintf(stdout, "%-26s %7d %9s %9.1f %8.1f %8.1f %7d %11.2f %9s %8.0f\n", r.name, r.clients, thousands(int64(res.n)),
			res.perSec(), benchMS(res.p50), benchMS(res.p99), res.errors, res.cpuPerRequest(), others, res.peakMB)
	}
	fmt.Fprintf(stdout, "\nCPU ms/req: CPU time of this process (HTTP server and clients together) per request.\n"+
		"others %%: share of the machine's CPU (%d cores) busy outside this process during the measurement; when it is\n"+
		"high, another load competed for the cores and latencies are pessimistic. peak MB: peak resident set of this process.", runtime.NumCPU())
	if store.Dialect() == sqlstore.Postgres {
		fmt.Fprintf(stdout, " The PostgreSQL server's own work is in others %%.")
	}
	fmt.Fprintln(stdout)
	if booking.exhausted {
		fmt.Fprintf(stdout, "\nbooking stopped after %.1f s: the pool of %s slots ran out (raise --book-slots)\n",
			booking.elapsed.Seconds(), thousands(int64(len(fx.pool))))
	}
	for _, r := range rows {
		if r.res != nil && r.res.errors > 0 {
			fmt.Fprintf(stdout, "\nerrors in %s at %d clients:\n", r.name, r.clients)
			for _, e := range r.res.errorSamples {
				fmt.Fprintf(stdout, "  %s\n", e)
			}
		}
	}

	fmt.Fprintf(stdout, "\naims at 16 clients on this machine:\n")
	var search16, mem16 *benchResult
	for _, r := range rows {
		if r.clients == 16 && r.name == "slot search" {
			search16 = r.res
		}
		if r.clients == 16 && r.name == "slot search from memory" {
			mem16 = r.res
		}
	}
	aim := func(what string, measured bool, value string, met bool) {
		switch {
		case !measured:
			fmt.Fprintf(stdout, "  %-44s not measured (no run at 16 clients)\n", what)
		case met:
			fmt.Fprintf(stdout, "  %-44s %-12s met\n", what, value)
		default:
			fmt.Fprintf(stdout, "  %-44s %-12s NOT met\n", what, value)
		}
	}
	if search16 != nil {
		aim("slot search p99 ≤ 100 ms", true, fmt.Sprintf("%.1f ms", benchMS(search16.p99)), search16.p99 <= 100*time.Millisecond && search16.errors == 0)
		rt := benchRatio(search16.perSec(), mem16.perSec())
		aim("slot search req/s real/memory ≥ 0.5", true, benchFmtRatio(rt), rt >= 0.5 && search16.errors == 0)
	} else {
		aim("slot search p99 ≤ 100 ms", false, "", false)
		aim("slot search req/s real/memory ≥ 0.5", false, "", false)
	}
	aim("booking p99 ≤ 50 ms", *bookClients == 16, fmt.Sprintf("%.1f ms", benchMS(booking.p99)), booking.p99 <= 50*time.Millisecond && booking.errors == 0)
	fmt.Fprintf(stdout, "GP Connect §6 limits (every client count): query SHALL < 3,000 ms, command SHALL < 250 ms\n")
	for _, r := range rows {
		if r.res == nil || r.name == "slot search from memory" {
			continue
		}
		limit := 3000 * time.Millisecond
		if r.name == "booking" {
			limit = 250 * time.Millisecond
		}
		verdict := "within"
		if r.res.p99 >= limit {
			verdict = "OVER"
		}
		fmt.Fprintf(stdout, "  %-26s %3d clients  p99 %8.1f ms  %s %s ms\n", r.name, r.clients, benchMS(r.res.p99), verdict, thousands(limit.Milliseconds()))
	}
	if totalErrors > 0 {
		fmt.Fprintf(stdout, "\nTHIS RUN HAD %d ERRORS: its figures are not valid.\n", totalErrors)
		return fmt.Errorf("bench gpconnect: %d requests failed", totalErrors)
	}
	return nil
}

func benchParseClients(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > 4096 {
			return nil, usageError(fmt.Sprintf("--clients %q: want a comma-separated list of numbers from 1 to 4,096", s))
		}
		out = append(out, n)
	}
	return out, nil
}

// ---- Set-up

// benchFixture is what the set-up made.
type benchFixture struct {
	orgID, locationID, patientID int64
	tomorrow                     pcnhub.Date // first day of the search window (Europe/London)
	windowSlots                  int         // free slots in the search window
	pool                         []schedule.Slot
}

// benchGPConnectSetup creates the practice (GP Connect and Appointments
// on), its location, the clinicians with one schedule each, the slots of
// the search window, the booking pool after the window, and a patient.
func benchGPConnectSetup(ctx context.Context, s *sqlstore.Store, clock pcnhub.Clock, clinicians, poolSize int) (*benchFixture, error) {
	org := &pcnhub.Organisation{ODS: benchPracticeODS, ASID: benchPracticeASID, Type: pcnhub.OrgGPPractice,
		Name: "Benchmark Medical Centre", Hosted: true, ListSize: 12000,
		Address: pcnhub.Address{Lines: []string{"1 Bench Street"}, City: "Leeds", Postcode: "LS1 4AP"},
		Telecom: []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: "0113 496 0000"}}}
	orgID, err := s.UpsertOrganisation(ctx, org)
	if err != nil {
		return nil, err
	}
	for _, c := range []string{gpconnect.CapGlobal, gpconnect.CapAppointments} {
		if err := s.SetGPConnectEnabled(ctx, orgID, c, true, "bench"); err != nil {
			return nil, err
		}
	}
	// The consumer (the assurance identity's organisation) and its data
	// sharing agreement with the practice.
	if _, err := s.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: "GPCA0001", ASID: gpctest.ConsumerASID,
		Type: pcnhub.OrgUrgentCare, Name: "GP Connect Assurance"}); err != nil {
		return nil, err
	}
	if err := s.AddAgreement(ctx, &spine.Agreement{Provider: benchPracticeODS, Consumer: "GPCA0001", Capability: spine.Appointments,
		From: pcnhub.Date{Year: 2020, Month: 1, Day: 1}, CreatedBy: "bench"}); err != nil {
		return nil, err
	}
	locID, err := s.UpsertLocation(ctx, &pcnhub.Location{OrganisationID: orgID, Name: "Benchmark Medical Centre",
		Address: org.Address, Telecom: org.Telecom})
	if err != nil {
		return nil, err
	}
	today := pcnhub.DateOf(clock.Now().In(pcnhub.London))
	fx := &benchFixture{orgID: orgID, locationID: locID, tomorrow: today.AddDays(1)}
	poolDays := (poolSize + clinicians*benchPoolPerDay - 1) / (clinicians * benchPoolPerDay)
	lastDay := fx.tomorrow.AddDays(benchSearchWindow + poolDays)

	families := []string{"Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones",
		"Khan", "Lewis", "Morgan", "Nolan", "Owen", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Usman", "Vaughan",
		"Walker", "Young", "Zhang"}
	givens := []string{"Amira", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Harry", "Isla", "James"}
	scheduleIDs := make([]int64, clinicians)
	for i := range clinicians {
		gender := pcnhub.GenderFemale
		if i%2 == 1 {
			gender = pcnhub.GenderMale
		}
		prID, err := s.UpsertPractitioner(ctx, &pcnhub.Practitioner{OrganisationID: orgID,
			SDSUserID: fmt.Sprintf("G%08d", 91000001+i), RoleProfileIDs: []string{fmt.Sprintf("%012d", 910000000001+int64(i))},
			Name:   pcnhub.HumanName{Prefix: "Dr", Given: []string{givens[i%len(givens)]}, Family: families[i%len(families)]},
			Gender: gender, JobRoleCode: "R0260"})
		if err != nil {
			return nil, err
		}
		scheduleIDs[i], err = s.UpsertSchedule(ctx, &schedule.Schedule{OrganisationID: orgID, LocationID: locID, PractitionerID: prID,
			ServiceCategory: "Morning surgery", PractitionerRoleCode: "R0260", PractitionerRoleDisplay: schedule.JobRoleDisplays["R0260"],
			PlanningStart: fx.tomorrow.Time(pcnhub.London), PlanningEnd: lastDay.Time(pcnhub.London)})
		if err != nil {
			return nil, err
		}
	}

	w, err := s.BeginSlotWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer w.Rollback()
	channels := []schedule.DeliveryChannel{schedule.InPerson, schedule.InPerson, schedule.InPerson, schedule.Telephone, schedule.Video}
	add := func(sc int64, day pcnhub.Date, minute, length int, channel schedule.DeliveryChannel) error {
		start := time.Date(day.Year, day.Month, day.Day, 0, minute, 0, 0, pcnhub.London)
		return w.Add(ctx, &schedule.Slot{ScheduleID: sc, Start: start, End: start.Add(time.Duration(length) * time.Minute),
			Status: schedule.SlotFree, ServiceType: "Routine GP appointment", DeliveryChannel: channel, Bookable: true})
	}
	// The search window: 08:30 to 11:20, ten-minute slots.
	for day := range benchSearchWindow {
		for i, sc := range scheduleIDs {
			for k := range benchSessionSlots {
				if err := add(sc, fx.tomorrow.AddDays(day), 8*60+30+10*k, 10, channels[(i+k)%len(channels)]); err != nil {
					return nil, err
				}
			}
		}
	}
	// The booking pool: after the window, 08:00 to 18:00, five-minute slots.
	added := 0
	for day := 0; added < poolSize; day++ {
		for _, sc := range scheduleIDs {
			for k := 0; k < benchPoolPerDay && added < poolSize; k++ {
				if err := add(sc, fx.tomorrow.AddDays(benchSearchWindow+day), 8*60+5*k, 5, schedule.InPerson); err != nil {
					return nil, err
				}
				added++
			}
		}
	}
	if _, err := w.Commit(ctx); err != nil {
		return nil, err
	}
	windowEnd := fx.tomorrow.AddDays(benchSearchWindow).Time(pcnhub.London)
	inWindow, err := s.FreeSlots(ctx, orgID, fx.tomorrow.Time(pcnhub.London), windowEnd)
	if err != nil {
		return nil, err
	}
	fx.windowSlots = len(inWindow)
	if fx.pool, err = s.FreeSlots(ctx, orgID, windowEnd, lastDay.AddDays(1).Time(pcnhub.London)); err != nil {
		return nil, err
	}
	if len(fx.pool) != poolSize {
		return nil, fmt.Errorf("booking pool: %d slots, want %d", len(fx.pool), poolSize)
	}

	var nhs pcnhub.NHSNumber
	for prefix := uint32(999_000_100); nhs == ""; prefix++ {
		nhs, _ = pcnhub.NHSNumberFromPrefix(prefix)
	}
	pt, err := s.UpsertPatient(ctx, &pcnhub.Patient{OrganisationID: orgID, NHSNumber: nhs,
		Name:      pcnhub.HumanName{Prefix: "Ms", Given: []string{"Bench"}, Family: "Patient"},
		BirthDate: pcnhub.Date{Year: 1980, Month: time.March, Day: 14}, Gender: pcnhub.GenderFemale,
		Address:      pcnhub.Address{Lines: []string{"2 Bench Street"}, City: "Leeds", Postcode: "LS1 4AP"},
		Registration: pcnhub.Registration{Type: pcnhub.RegGMS, Status: pcnhub.RegActive, Start: today.AddDays(-365)}})
	if err != nil {
		return nil, err
	}
	fx.patientID = pt.ID
	return fx, nil
}

// benchSlotQuery is the slot search real consumers send (NHS 111: type
// urgent-care and its ODS code), over the 14 days from tomorrow.
func benchSlotQuery(tomorrow pcnhub.Date) string {
	return "status=free&_include=Slot:schedule" +
		"&_include:recurse=Schedule:actor:Practitioner&_include:recurse=Schedule:actor:Location" +
		"&_include:recurse=Location:managingOrganization" +
		"&start=ge" + tomorrow.String() + "&end=le" + tomorrow.AddDays(benchSearchWindow-1).String() +
		"&searchFilter=" + url.QueryEscape("https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|urgent-care") +
		"&searchFilter=" + url.QueryEscape("https://fhir.nhs.uk/Id/ods-organization-code|"+benchConsumerODS)
}

// benchBookingBody is a consumer's booking of one slot, as in the
// specification's example.
func benchBookingBody(sl *schedule.Slot, patientID, locationID int64) []byte {
	uk := func(t time.Time) string { return t.In(pcnhub.London).Format("2006-01-02T15:04:05-07:00") }
	return []byte(`{"resourceType":"Appointment","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"]},` +
		`"contained":[{"resourceType":"Organization","id":"1","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"]},` +
		`"identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"` + benchConsumerODS + `"}],` +
		`"type":[{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1","code":"urgent-care"}]}],` +
		`"name":"Benchmark 111","telecom":[{"system":"phone","value":"01134960111"}]}],` +
		`"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1","valueReference":{"reference":"#1"}}],` +
		`"status":"booked","description":"Sore throat, booked by 111","start":"` + uk(sl.Start) + `","end":"` + uk(sl.End) + `",` +
		`"slot":[{"reference":"Slot/` + strconv.FormatInt(sl.ID, 10) + `"}],"created":"` + uk(time.Now()) + `","comment":"Please call on arrival",` +
		`"participant":[{"actor":{"reference":"Patient/` + strconv.FormatInt(patientID, 10) + `"},"status":"accepted"},` +
		`{"actor":{"reference":"Location/` + strconv.FormatInt(locationID, 10) + `"},"status":"accepted"}]}`)
}

// ---- Servers

// benchServe serves h on a new loopback listener and returns its base URL.
func benchServe(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ErrorLog: log.New(io.Discard, "", 0), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// benchMemoryHandler answers every request with the given body and the
// headers the provider sent with it.
func benchMemoryHandler(from http.Header, body []byte) http.Handler {
	ctype, enc, length := from.Get("Content-Type"), from.Get("Content-Encoding"), strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Cache-Control", "no-store")
		if enc != "" {
			h.Set("Content-Encoding", enc)
		}
		h.Set("Content-Length", length)
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
}

// ---- Client

// benchTokens hands out GP Connect bearer tokens for one scope, issued
// afresh every minute (a token lives 300 s).
type benchTokens struct {
	scope string
	mu    sync.Mutex
	token string
	iat   time.Time
}

func (t *benchTokens) get() string {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.token == "" || now.Sub(t.iat) > time.Minute {
		t.iat = now.Add(-time.Second)
		t.token = benchToken(t.scope, t.iat)
	}
	return t.token
}

// benchToken is an unsigned GP Connect JWT (the assurance identity)
// issued at issued.
func benchToken(scope string, issued time.Time) string {
	return gpctest.Token(scope, issued.Add(2*time.Second))
}

// benchRequest is one kind of GP Connect call.
type benchRequest struct {
	method, url, interaction string
	tokens                   *benchTokens
	gzip                     bool
	want                     int // the status of success
}

type benchClient struct{ http *http.Client }

// benchNewClient is a client for n concurrent callers of one host. It
// never decompresses: with --gzip the caller asks for gzip itself and
// reads the compressed bytes, so that the client costs the same for the
// real server and the memory handler.
func benchNewClient(n int) *benchClient {
	tr := &http.Transport{MaxIdleConns: n, MaxIdleConnsPerHost: n, DisableCompression: true,
		IdleConnTimeout: time.Minute, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	return &benchClient{http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

func (c *benchClient) close() { c.http.CloseIdleConnections() }

// fetch sends one request and reads the whole answer; with keep > 0 it
// keeps at most keep bytes of the body (the rest is read and dropped).
func (c *benchClient) fetch(ctx context.Context, r *benchRequest, body []byte, keep int) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	h := req.Header
	h.Set("Ssp-TraceID", benchTraceID())
	h.Set("Ssp-From", benchConsumerASID)
	h.Set("Ssp-To", benchPracticeASID)
	h.Set("Ssp-InteractionID", r.interaction)
	h.Set("Authorization", r.tokens.get())
	h.Set("Accept", fhir.MIMEJSON)
	if body != nil {
		h.Set("Content-Type", fhir.MIMEJSON+";charset=utf-8")
	}
	if r.gzip {
		h.Set("Accept-Encoding", "gzip")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	if keep <= 0 {
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, int64(keep)))
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	return resp.StatusCode, resp.Header, b, err
}

var benchTraceSeq atomic.Uint64

// benchTraceID is a fresh trace id in UUID form.
func benchTraceID() string {
	n := benchTraceSeq.Add(1)
	return fmt.Sprintf("b3c0a7e1-0000-4000-8000-%012x", n)
}

// ---- Measurement

// benchCall is one closed-loop request of a client; stop reports that
// there is nothing left to do (the booking pool ran out).
type benchCall func(ctx context.Context, c *benchClient) (ok bool, errText string, stop bool)

// benchRequester makes a benchCall of r; bodies, when not nil, gives
// each request its body (false: no more).
func benchRequester(r *benchRequest, bodies func() ([]byte, bool)) benchCall {
	return func(ctx context.Context, c *benchClient) (bool, string, bool) {
		var body []byte
		if bodies != nil {
			var more bool
			if body, more = bodies(); !more {
				return false, "", true
			}
		}
		status, _, b, err := c.fetch(ctx, r, body, 400)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return false, "", true
			}
			return false, err.Error(), false
		case status != r.want:
			return false, fmt.Sprintf("HTTP %d: %s", status, benchClip(b, 300)), false
		}
		return true, "", false
	}
}

type benchResult struct {
	n, errors    int
	elapsed      time.Duration
	p50, p99     time.Duration
	exhausted    bool
	errorSamples []string
	cpu          time.Duration // CPU time of this process (server and client) during the run
	othersShare  float64       // share of the machine's CPU used by other processes, -1 unknown
	peakMB       float64       // peak resident set of this process during the run, 0 unknown
}

// cpuPerRequest is this process's CPU time per request in ms, 0 unknown.
func (r *benchResult) cpuPerRequest() float64 {
	if r.n == 0 || r.cpu <= 0 {
		return 0
	}
	return benchMS(r.cpu) / float64(r.n)
}

func (r *benchResult) perSec() float64 {
	if r == nil || r.elapsed <= 0 {
		return 0
	}
	return float64(r.n) / r.elapsed.Seconds()
}

// benchRow is a line of the table: a measurement, or a ratio.
type benchRow struct {
	name    string
	clients int
	res     *benchResult
	ratio   float64
}

// benchMeasure runs `clients` goroutines, each first sending one request
// to warm up (its connection, the caches; not counted), then, from a
// common start, requests in a closed loop until d has passed. Every
// latency is recorded; requests that answer after the deadline count, and
// the elapsed time runs until the last answer.
func benchMeasure(ctx context.Context, clients int, d time.Duration, call benchCall) benchResult {
	c := benchNewClient(clients)
	defer c.close()
	debug.FreeOSMemory() // a collection, and the heap of the last run back to the system, so that peak RSS is this run's
	resetPeakRSS()
	var (
		warm, done sync.WaitGroup
		start      = make(chan struct{})
		deadline   time.Time
		exhausted  atomic.Bool
		mu         sync.Mutex
		errCount   int
		samples    = map[string]int{}
		lats       = make([][]time.Duration, clients)
	)
	noteErr := func(text string) {
		mu.Lock()
		errCount++
		if _, ok := samples[text]; ok || len(samples) < 5 {
			samples[text]++
		}
		mu.Unlock()
	}
	perClient := max(256, int(d.Seconds()*20000)/clients)
	for w := range clients {
		warm.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ok, text, stop := call(ctx, c)
			if !ok && !stop {
				noteErr("warm-up: " + text)
			}
			warm.Done()
			<-start
			if stop {
				exhausted.Store(true)
				return
			}
			lat := make([]time.Duration, 0, perClient)
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				ok, text, stop := call(ctx, c)
				if stop {
					exhausted.Store(ctx.Err() == nil)
					break
				}
				lat = append(lat, time.Since(t0))
				if !ok {
					noteErr(text)
				}
			}
			lats[w] = lat
		}()
	}
	warm.Wait()
	cpu0, machine0 := benchProcessCPU(), benchMachineCPU()
	t0 := time.Now()
	deadline = t0.Add(d)
	close(start)
	done.Wait()
	res := benchResult{elapsed: time.Since(t0), exhausted: exhausted.Load(), errors: errCount, othersShare: -1, peakMB: peakRSSMB()}
	cpu1, machine1 := benchProcessCPU(), benchMachineCPU()
	if cpu0 >= 0 && cpu1 >= 0 {
		res.cpu = time.Duration(cpu1-cpu0) * time.Second / benchClockTicks
	}
	if machine0.total > 0 && machine1.total > machine0.total && cpu0 >= 0 && cpu1 >= 0 {
		others := float64(machine1.busy-machine0.busy) - float64(cpu1-cpu0)
		res.othersShare = max(0, others/float64(machine1.total-machine0.total))
	}
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	slices.Sort(all)
	res.n = len(all)
	res.p50, res.p99 = benchPercentile(all, 0.50), benchPercentile(all, 0.99)
	for text, n := range samples {
		res.errorSamples = append(res.errorSamples, fmt.Sprintf("%d × %s", n, text))
	}
	slices.Sort(res.errorSamples)
	return res
}

// benchClockTicks is USER_HZ, the unit of the CPU times in /proc (100 on
// every Linux architecture Go supports).
const benchClockTicks = 100

// benchProcessCPU is this process's user + system CPU time in clock ticks, from
// /proc/self/stat; -1 where /proc is not available.
func benchProcessCPU() int64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return -1
	}
	// Fields after the command name (in parentheses): state is field 3,
	// utime 14, stime 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return u + s
}

type benchCPUTimes struct{ busy, total int64 }

// benchMachineCPU is the machine's busy and total CPU time (all cores) in
// clock ticks, from /proc/stat; zero where /proc is not available.
func benchMachineCPU() benchCPUTimes {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return benchCPUTimes{}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return benchCPUTimes{}
	}
	var t benchCPUTimes
	for i, v := range f[1:] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return benchCPUTimes{}
		}
		if i >= 8 { // guest and guest_nice are already in user and nice
			break
		}
		t.total += n
		if i != 3 && i != 4 { // idle, iowait
			t.busy += n
		}
	}
	return t
}

// percentile is the nearest-rank percentile of sorted latencies.
func benchPercentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func benchMS(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func benchRatio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func benchFmtRatio(r float64) string {
	if math.IsNaN(r) {
		return "–"
	}
	return fmt.Sprintf("%.2f", r)
}

func benchClip(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
