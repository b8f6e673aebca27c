package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/server"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
	"github.com/pcnhub/pcnhub/staff"
)

// /readyz follows the database: ready while it answers, 503 once it is gone;
// /healthz stays 200 either way.
func TestReadinessFollowsTheDatabase(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			store := sqltest.Open(t, engine, nil)
			srv := server.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
			get := func(path string) int {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				return rec.Code
			}
			if got := get("/readyz"); got != http.StatusOK {
				t.Fatalf("/readyz with the database up = %d", got)
			}
			store.Close()
			if got := get("/readyz"); got != http.StatusServiceUnavailable {
				t.Fatalf("/readyz with the database closed = %d, want 503", got)
			}
			if got := get("/healthz"); got != http.StatusOK {
				t.Fatalf("/healthz = %d", got)
			}
			// Signing in fails cleanly, without leaking the cause.
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/sign-in", strings.NewReader("username=someone&password=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			srv.ServeHTTP(rec, req)
			if rec.Code != 500 || strings.Contains(rec.Body.String(), "sql") || !strings.Contains(rec.Body.String(), "Sorry, something went wrong") {
				t.Fatalf("sign in with the database closed = %d %q", rec.Code, rec.Body.String())
			}
			// Methods other than GET are refused.
			rec = httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/healthz", nil))
			if rec.Code != http.StatusMethodNotAllowed {
				t.Fatalf("POST /healthz = %d, want 405", rec.Code)
			}
		})
	}
}

// The 111 duty report answers JSON, and bad dates are 400.
func TestReport111Endpoint(t *testing.T) {
	store := sqltest.Open(t, "sqlite", nil)
	srv := server.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if _, err := store.UpsertOrganisation(context.Background(), &pcnhub.Organisation{ODS: "A99991", Type: pcnhub.OrgGPPractice,
		Name: "Riverside", ListSize: 6000, Hosted: true}); err != nil {
		t.Fatal(err)
	}
	token := apiToken(t, store, "A99991", staff.PracticeManager)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		srv.ServeHTTP(rec, req)
		return rec
	}
	rec := get("/api/reports/111?from=2026-11-23&to=2026-11-29")
	var got struct {
		Days []struct {
			Date      string
			Required  int
			Shortfall int
		}
		ShortDays int
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if len(got.Days) != 5 || got.Days[0].Required != 2 || got.Days[0].Shortfall != 2 || got.ShortDays != 5 {
		t.Fatalf("report %+v", got)
	}
	rec = get("/api/reports/enhanced-access?from=2026-11-23&to=2026-11-29")
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Fatalf("enhanced access without hubs: %d %s", rec.Code, rec.Body.String())
	}
	rec = get("/api/reports/111?from=2026-02-30")
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "does not exist") {
		t.Fatalf("bad date: %d %s", rec.Code, rec.Body.String())
	}
}

// A server built with New alone has no GP Connect consumer: the pages
// that work across practices say so (501) instead of failing.
func TestUIWithoutConsumer(t *testing.T) {
	store := sqltest.Open(t, "sqlite", nil)
	if _, err := store.UpsertOrganisation(context.Background(), &pcnhub.Organisation{ODS: "A99991", Type: pcnhub.OrgGPPractice,
		Name: "Riverside", Hosted: true}); err != nil {
		t.Fatal(err)
	}
	u := &staff.User{Username: "gp.test", DisplayName: "Dr Test", PasswordHash: staff.HashPassword("a long test password"),
		Memberships: []staff.Membership{{OrgODS: "A99991", Role: staff.Clinician}}}
	if err := store.CreateStaffUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry()))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(srv.URL+"/sign-in", url.Values{"username": {"gp.test"}, "password": {"a long test password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	nhs, _ := pcnhub.NHSNumberFromPrefix(999_000_001)
	for _, path := range []string{"/patients/" + string(nhs) + "/record", "/patients/" + string(nhs)} {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotImplemented || !strings.Contains(string(body), "not set up to work across practices") {
			t.Errorf("GET %s = %d\n%.300s", path, resp.StatusCode, body)
		}
	}
}
