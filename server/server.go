// Package server assembles pcnhub's HTTP surface: the operational
// endpoints (/healthz, /readyz, /metrics), request logging and metrics,
// and the mounts of the capability handlers (GP Connect, staff UI) as they
// land. Handlers read top to bottom: parse, validate, call the domain,
// respond.
package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/staff"
	"github.com/pcnhub/pcnhub/web"
)

// Server is pcnhub's HTTP handler.
type Server struct {
	// Calendar holds the bank holidays of the duty reports (default:
	// England and Wales 2026–2027).
	Calendar duty.Calendar
	// Hub, when set, answers the consumer API (federated search, booking
	// across organisations).
	Hub *hub.Hub
	// BaseURL is the scheme and host this server is reached on ("":
	// unknown); https makes cookies Secure.
	BaseURL string
	// Clock is the time of sessions and tokens (default: the system's).
	Clock pcnhub.Clock
	// UI is the staff web UI, mounted at / (Assemble gives it the hub,
	// calendar and clock too).
	UI *web.UI

	store    *sqlstore.Store
	log      *slog.Logger
	mux      *http.ServeMux
	handler  http.Handler
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New builds the handler. reg receives pcnhub's metrics (use a fresh
// prometheus.NewRegistry in tests).
func New(store *sqlstore.Store, log *slog.Logger, reg *prometheus.Registry) *Server {
	s := &Server{store: store, log: log, mux: http.NewServeMux(), Calendar: duty.NewCalendar(duty.EnglandAndWales2026To2027)}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pcnhub_http_requests_total", Help: "HTTP requests answered, by route pattern and status code.",
	}, []string{"route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "pcnhub_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 3},
	}, []string{"route"})
	reg.MustRegister(s.requests, s.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(store.DB(), string(store.Dialect())))

	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /api/reports/111", s.api(staff.ViewReports, func(w http.ResponseWriter, r *http.Request, _ *staff.Principal) { s.report111(w, r) }))
	s.mux.HandleFunc("GET /api/reports/enhanced-access", s.api(staff.ViewReports, func(w http.ResponseWriter, r *http.Request, _ *staff.Principal) { s.reportEA(w, r) }))
	s.routesAPI()
	s.UI = &web.UI{Store: store, Sessions: s, Calendar: s.Calendar, Log: log}
	s.UI.Routes(s.mux)
	s.handler = s.observe(s.mux)
	return s
}

// GPConnectObserver returns the hook that counts GP Connect calls by
// interaction (the last part of its id, e.g. "search:slot-1") and outcome
// (ok or the Spine code), and times them by interaction.
func (s *Server) GPConnectObserver(reg *prometheus.Registry) func(interaction, outcome string, elapsed time.Duration) {
	calls := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pcnhub_gpconnect_requests_total", Help: "GP Connect calls answered, by interaction and outcome (ok or Spine code).",
	}, []string{"interaction", "outcome"})
	took := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "pcnhub_gpconnect_request_duration_seconds", Help: "Time to answer GP Connect calls, by interaction.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 3},
	}, []string{"interaction"})
	reg.MustRegister(calls, took)
	return func(interaction, outcome string, elapsed time.Duration) {
		name := "unknown"
		if i := strings.Index(interaction, ":rest:"); i >= 0 {
			name = interaction[i+len(":rest:"):]
		} else if i := strings.Index(interaction, ":operation:"); i >= 0 {
			name = interaction[i+len(":operation:"):]
		}
		calls.WithLabelValues(name, outcome).Inc()
		took.WithLabelValues(name).Observe(elapsed.Seconds())
	}
}

// Handle mounts a capability's handler under a pattern.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// healthz answers 200 while the process runs.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database answers within two seconds, 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}

// report111 answers the NHS 111 direct-booking duty as JSON:
// ?from=YYYY-MM-DD&to=YYYY-MM-DD (default today and 13 days on) and
// optionally practice=ODS (repeatable). No patient data: counts only.
func (s *Server) report111(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from := pcnhub.DateOf(time.Now().In(pcnhub.London))
	if v := q.Get("from"); v != "" {
		d, err := pcnhub.ParseDate(v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		from = d
	}
	to := from.AddDays(13)
	if v := q.Get("to"); v != "" {
		d, err := pcnhub.ParseDate(v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		to = d
	}
	var only []pcnhub.ODSCode
	for _, p := range q["practice"] {
		ods, err := pcnhub.ParseODSCode(p)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		only = append(only, ods)
	}
	rows, err := duty.Load111(r.Context(), s.store, from, to, s.Calendar, only)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []duty.Day111{}
	}
	short := 0
	for _, d := range rows {
		if d.Shortfall > 0 {
			short++
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(struct {
		From      string        `json:"from"`
		To        string        `json:"to"`
		Days      []duty.Day111 `json:"days"`
		ShortDays int           `json:"shortDays"`
	}{from.String(), to.String(), rows, short})
}

// reportEA answers the hubs' enhanced-access minutes by week as JSON:
// ?from=YYYY-MM-DD&to=YYYY-MM-DD (default today and four weeks on).
func (s *Server) reportEA(w http.ResponseWriter, r *http.Request) {
	from := pcnhub.DateOf(time.Now().In(pcnhub.London))
	if v := r.URL.Query().Get("from"); v != "" {
		d, err := pcnhub.ParseDate(v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		from = d
	}
	to := from.AddDays(27)
	if v := r.URL.Query().Get("to"); v != "" {
		d, err := pcnhub.ParseDate(v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		to = d
	}
	rows, err := duty.LoadEA(r.Context(), s.store, from, to, s.Calendar)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []duty.WeekEA{}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(rows)
}

// fail is the one place an error becomes an answer: JSON
// ({"error": {"code", "message"}}) on the API, plain text elsewhere; the
// safe message for application errors, and for internal errors a generic
// one (the error itself is logged, never sent).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := pcnhub.ErrorCode(err)
	status := map[string]int{pcnhub.EINVALID: 400, pcnhub.EUNAUTHORIZED: 401, pcnhub.EFORBIDDEN: 403,
		pcnhub.ENOTFOUND: 404, pcnhub.ECONFLICT: 409, pcnhub.ENOTIMPLEMENTED: 501}[code]
	if status == 0 {
		status, code = 500, pcnhub.EINTERNAL
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": pcnhub.ErrorMessage(err)}})
		return
	}
	http.Error(w, pcnhub.ErrorMessage(err), status)
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe logs every request (method, route pattern, path without query,
// status, duration — never the query string, which may hold an NHS
// number) and records its metrics under the route pattern, so that ids in
// paths do not multiply the series.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		s.duration.WithLabelValues(route).Observe(elapsed.Seconds())
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method),
			slog.String("route", route), slog.Int("status", rec.status), slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000))
	})
}
