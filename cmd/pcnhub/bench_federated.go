package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/staff"
)

const benchFederatedHelp = `bench federated [flags]

Measures the hub's federated slot search: a hub deployment searches the
free slots of --providers practices at once, each a fake GP Connect
provider on a loopback port that answers a real slot-search Bundle (made
by pcnhub's own provider, --slots free slots over 14 days) after a random
delay up to --delay. Rows:

  hub search          hub.SearchSlots in process: fan-out, HTTP, decoding,
                      merging in start order, the earliest 1,000 kept
  API search          GET /api/slots through the staff API, JSON answer
                      included
  with one hanging    the same with one more provider that never answers:
                      the answer must come within the timeout, naming it`

func cmdBenchFederated(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("bench federated", benchFederatedHelp, stderr)
	providers := f.Int("providers", 40, "fake provider endpoints")
	slotsEach := f.Int("slots", 2000, "at least this many free slots each in the 14-day window")
	delay := f.String("delay", "50ms", "each provider answers after a random delay up to this")
	runs := f.Int("runs", 40, "searches per measurement")
	timeout := f.String("timeout", "1s", "the hub's per-provider timeout")
	cpuprofile := f.String("cpuprofile", "", "write a CPU profile of the hub search measurement to this file")
	if err := f.Parse(args); err != nil {
		return err
	}
	maxDelay, err := time.ParseDuration(*delay)
	if err != nil || maxDelay < 0 {
		return usageError(fmt.Sprintf("--delay %q: a duration such as 50ms", *delay))
	}
	perProvider, err := time.ParseDuration(*timeout)
	if err != nil || perProvider <= 0 {
		return usageError(fmt.Sprintf("--timeout %q: a duration such as 1s", *timeout))
	}
	if *providers < 1 || *providers > 500 || *runs < 1 || *slotsEach < 1 {
		return usageError("--providers must be 1 to 500, --runs and --slots at least 1")
	}

	// ---- Set-up (not timed): one real slot-search answer, served by fakes.
	fmt.Fprintln(stderr, "making a slot-search answer with pcnhub's provider …")
	body, slotCount, first, err := benchSearchAnswer(ctx, *slotsEach)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "each provider answers %s free slots in %s of JSON\n", thousands(int64(slotCount)), benchBytes(len(body)))
	var fakes []*httptest.Server
	defer func() {
		for _, s := range fakes {
			s.Close()
		}
	}()
	for i := range *providers + 1 {
		hanging := i == *providers
		fakes = append(fakes, httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hanging {
				<-r.Context().Done()
				return
			}
			time.Sleep(time.Duration(rand.Int64N(int64(maxDelay)/2+1)) + maxDelay/2)
			w.Header().Set("Content-Type", "application/fhir+json;charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(body)
		})))
	}

	tmp, err := os.MkdirTemp("", "pcnhub-bench-federated-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	store, err := sqlstore.Open(ctx, "", sqlstore.Options{DataDir: tmp})
	if err != nil {
		return err
	}
	defer store.Close()
	const hubODS pcnhub.ODSCode = "Y99990"
	if _, err := store.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: hubODS, ASID: "999900000100", Type: pcnhub.OrgPCNHub,
		Name: "Bench hub", Hosted: true, Telecom: []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: "0113 496 0100"}}}); err != nil {
		return err
	}
	var members []pcnhub.ODSCode
	for i, s := range fakes {
		ods := pcnhub.ODSCode(fmt.Sprintf("F%05d", i+1))
		if _, err := store.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: ods, ASID: pcnhub.ASID(fmt.Sprintf("2000000%05d", i+1)),
			Type: pcnhub.OrgGPPractice, Name: "Practice " + string(ods)}); err != nil {
			return err
		}
		if err := store.PutEndpoint(ctx, &spine.Endpoint{ODS: ods, Service: spine.ServiceGPConnect,
			URL: spine.HostedRoot(s.URL, ods, spine.ServiceGPConnect), ASID: pcnhub.ASID(fmt.Sprintf("2000000%05d", i+1))}); err != nil {
			return err
		}
		members = append(members, ods)
	}
	for name, m := range map[string][]pcnhub.ODSCode{"bench": members[:*providers], "bench with a hanging one": members} {
		if _, err := store.UpsertGroup(ctx, &pcnhub.OrganisationGroup{Name: name, Members: m}); err != nil {
			return err
		}
	}
	u := &staff.User{Username: "bench.reception", Service: true, Family: "Bench", Memberships: []staff.Membership{{OrgODS: hubODS, Role: staff.Receptionist}}}
	if err := store.CreateStaffUser(ctx, u); err != nil {
		return err
	}
	token, hash := staff.NewToken(staff.APITokenPrefix)
	if err := store.CreateAPIToken(ctx, &staff.APIToken{Hash: hash, Name: "bench", UserID: u.ID, OrgODS: hubODS, Created: time.Now()}); err != nil {
		return err
	}
	api := httptest.NewUnstartedServer(nil)
	self := "http://" + api.Listener.Addr().String()
	handler := newHandler(store, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry(),
		deployment{calendar: duty.NewCalendar(nil), self: self, providerTimeout: perProvider, clock: pcnhub.SystemClock{}})
	api.Config.Handler = handler
	api.Start()
	defer api.Close()
	h := handler.Hub
	m, _ := u.Membership(hubODS)
	principal := &staff.Principal{User: u, Membership: m}
	// The earliest 1,000 slots, as the staff API answers by default.
	query := hub.SlotSearch{Group: "bench", From: first, To: first.AddDays(13), Limit: 1000}

	// ---- Measurements.
	type row struct {
		name           string
		lat            []time.Duration
		slots, missing int
		note           string
	}
	var rows []row
	measure := func(name string, search func() (int, int, string, error)) error {
		r := row{name: name}
		for range *runs {
			start := time.Now()
			n, miss, note, err := search()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			r.lat = append(r.lat, time.Since(start))
			r.slots, r.missing, r.note = n, miss, note
		}
		rows = append(rows, r)
		return nil
	}
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		pprof.StartCPUProfile(pf)
	}
	fmt.Fprintln(stderr, "hub search …")
	if err := measure("hub search", func() (int, int, string, error) {
		res, err := h.SearchSlots(ctx, principal, query)
		if err != nil {
			return 0, 0, "", err
		}
		return res.Total, len(res.Unavailable), fmt.Sprintf("%d returned", len(res.Slots)), nil
	}); err != nil {
		return err
	}
	pprof.StopCPUProfile()
	fmt.Fprintln(stderr, "API search …")
	path := fmt.Sprintf("%s/api/slots?group=bench&from=%s&to=%s", api.URL, first, first.AddDays(13))
	if err := measure("API search", func() (int, int, string, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, 0, "", err
		}
		defer resp.Body.Close()
		var res hub.SearchResult
		if resp.StatusCode != 200 {
			return 0, 0, "", fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		data, err := io.ReadAll(resp.Body)
		if err == nil {
			err = json.Unmarshal(data, &res)
		}
		return res.Total, len(res.Unavailable), fmt.Sprintf("%d returned, %s of JSON", len(res.Slots), benchBytes(len(data))), err
	}); err != nil {
		return err
	}
	query.Group = "bench with a hanging one"
	fmt.Fprintln(stderr, "with one hanging …")
	hangRuns := max(1, min(*runs, 5))
	r := row{name: "hub search, one provider hanging"}
	for range hangRuns {
		start := time.Now()
		res, err := h.SearchSlots(ctx, principal, query)
		if err != nil {
			return err
		}
		r.lat = append(r.lat, time.Since(start))
		r.slots, r.missing = res.Total, len(res.Unavailable)
		if len(res.Unavailable) != 1 || res.Unavailable[0].Practice != members[*providers] {
			return fmt.Errorf("with a hanging provider: unavailable %+v", res.Unavailable)
		}
		r.note = res.Unavailable[0].Reason
	}
	rows = append(rows, r)

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "SEARCH\tPROVIDERS\tRUNS\tSLOTS FOUND\tUNAVAILABLE\tP50\tP95\tP99\tNOTE\n")
	for _, r := range rows {
		s := slices.Clone(r.lat)
		slices.Sort(s)
		pct := func(p int) string { return fmt.Sprintf("%.1f", benchMS(s[min(len(s)-1, len(s)*p/100)])) }
		slots, missing := thousands(int64(r.slots)), fmt.Sprint(r.missing)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s ms\t%s ms\t%s ms\t%s\n", r.name, *providers, len(r.lat), slots, missing, pct(50), pct(95), pct(99), r.note)
	}
	tw.Flush()
	p95 := func(l []time.Duration) time.Duration {
		s := slices.Clone(l)
		slices.Sort(s)
		return s[min(len(s)-1, len(s)*95/100)]
	}
	fmt.Fprintf(stdout, "\naim: hub search p95 ≤ 300 ms with providers answering within %s: %s (%s ms)\n", maxDelay,
		yesNo(p95(rows[0].lat) <= 300*time.Millisecond), fmt.Sprintf("%.1f", benchMS(p95(rows[0].lat))))
	worst := slices.Max(rows[2].lat)
	fmt.Fprintf(stdout, "aim: with one hanging, every answer within the timeout + 50 ms (%s): %s (slowest %s ms)\n",
		perProvider+50*time.Millisecond, yesNo(worst <= perProvider+50*time.Millisecond), fmt.Sprintf("%.1f", benchMS(worst)))
	return nil
}

func yesNo(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func benchBytes(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f kB", float64(n)/1024)
}

// benchSearchAnswer makes a practice with enough clinicians for want free
// slots over 14 days, serves it with pcnhub's provider and returns its
// slot-search answer: the bytes, the number of free slots and the first
// day of the window.
func benchSearchAnswer(ctx context.Context, want int) ([]byte, int, pcnhub.Date, error) {
	tmp, err := os.MkdirTemp("", "pcnhub-bench-answer-")
	if err != nil {
		return nil, 0, pcnhub.Date{}, err
	}
	defer os.RemoveAll(tmp)
	clock := pcnhub.SystemClock{}
	s, err := sqlstore.Open(ctx, "", sqlstore.Options{DataDir: tmp, Clock: clock})
	if err != nil {
		return nil, 0, pcnhub.Date{}, err
	}
	defer s.Close()
	fx, err := benchGPConnectSetup(ctx, s, clock, (want+237)/238, 1)
	if err != nil {
		return nil, 0, pcnhub.Date{}, err
	}
	provider := &gpconnect.Provider{Store: s, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SoftwareName: "pcnhub", SoftwareVersion: "bench", SoftwareRelease: time.Now()}
	srv := httptest.NewServer(provider)
	defer srv.Close()
	c := &client.Client{Identity: client.Identity{OrgODS: "GPCA0001", OrgName: "GP Connect Assurance", PractitionerID: "1",
		PractitionerFamily: "Bench", DeviceSystem: "https://pcnhub.example/Id/device", DeviceValue: "bench", DeviceModel: "pcnhub",
		DeviceVersion: "1", ASID: gpctest.ConsumerASID, Issuer: "https://bench.example"}}
	ep := client.Endpoint{Base: srv.URL + "/" + benchPracticeODS + gpconnect.RootPrefix, ASID: benchPracticeASID}
	b, raw, err := c.SearchSlots(ctx, ep, client.SlotQuery{From: fx.tomorrow, To: fx.tomorrow.AddDays(13)})
	if err != nil {
		return nil, 0, pcnhub.Date{}, err
	}
	n := len(hub.Flatten(b, benchPracticeODS, ""))
	if n < want {
		return nil, 0, pcnhub.Date{}, fmt.Errorf("the answer holds %d free slots, want %d", n, want)
	}
	return raw, n, fx.tomorrow, nil
}
