package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/server"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
	"github.com/pcnhub/pcnhub/staff"
)

var ctx = context.Background()

// apiToken makes a service user with a role at an organisation and
// returns an API token acting as it.
func apiToken(t *testing.T, s *sqlstore.Store, ods pcnhub.ODSCode, role staff.Role) string {
	t.Helper()
	u := &staff.User{Username: "svc-" + strings.ToLower(string(ods)) + "-" + string(role), Service: true,
		Memberships: []staff.Membership{{OrgODS: ods, Role: role}}}
	if err := s.CreateStaffUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	token, hash := staff.NewToken(staff.APITokenPrefix)
	if err := s.CreateAPIToken(ctx, &staff.APIToken{Hash: hash, Name: "test", UserID: u.ID, OrgODS: ods, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return token
}

// browser is a client with a cookie jar, like a browser.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func (b *browser) do(method, path string, body any, csrf bool) (int, map[string]any) {
	b.t.Helper()
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, b.base+path, r)
	if csrf {
		req.Header.Set(server.CSRFHeader, b.csrf)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func errCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// Sign in, act, switch organisation, sign out; wrong passwords lock the
// account; state-changing calls need the CSRF token; roles decide.
func TestStaffSessions(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			s := sqltest.Open(t, engine, nil)
			for _, ods := range []pcnhub.ODSCode{"A99991", "A99992"} {
				if _, err := s.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: ods, Type: pcnhub.OrgGPPractice, Name: "Practice " + string(ods),
					ListSize: 6000, Hosted: true}); err != nil {
					t.Fatal(err)
				}
			}
			u := &staff.User{Username: "rosa", DisplayName: "Rosa Patel", PasswordHash: staff.HashPassword("correct horse battery"),
				Memberships: []staff.Membership{{OrgODS: "A99991", Role: staff.Receptionist}, {OrgODS: "A99992", Role: staff.PracticeManager}}}
			if err := s.CreateStaffUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(server.New(s, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry()))
			defer srv.Close()
			jar := newJar()
			b := &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar}}

			if code, out := b.do("GET", "/api/session", nil, false); code != 401 || errCode(out) != pcnhub.EUNAUTHORIZED {
				t.Fatalf("not signed in: %d %v", code, out)
			}
			if code, out := b.do("POST", "/api/session", map[string]string{"username": "rosa", "password": "wrong password!"}, false); code != 401 ||
				!strings.Contains(out["error"].(map[string]any)["message"].(string), "user name or password is wrong") {
				t.Fatalf("wrong password: %d %v", code, out)
			}
			if code, out := b.do("POST", "/api/session", map[string]string{"username": "nobody", "password": "correct horse battery"}, false); code != 401 {
				t.Fatalf("unknown user: %d %v", code, out)
			}
			code, out := b.do("POST", "/api/session", map[string]string{"username": "ROSA", "password": "correct horse battery"}, false)
			if code != 200 || out["organisation"] != "A99991" || out["role"] != "receptionist" || out["csrf"] == "" {
				t.Fatalf("sign in: %d %v", code, out)
			}
			b.csrf = out["csrf"].(string)
			// A receptionist may not read the duty reports.
			if code, out := b.do("GET", "/api/reports/111?from=2026-11-23&to=2026-11-27", nil, false); code != 403 || errCode(out) != pcnhub.EFORBIDDEN {
				t.Fatalf("receptionist reading reports: %d %v", code, out)
			}
			// Switching organisation needs the CSRF token.
			if code, out := b.do("PUT", "/api/session/organisation", map[string]string{"organisation": "A99992"}, false); code != 403 ||
				!strings.Contains(out["error"].(map[string]any)["message"].(string), "CSRF") {
				t.Fatalf("switch without CSRF: %d %v", code, out)
			}
			if code, out := b.do("PUT", "/api/session/organisation", map[string]string{"organisation": "A99993"}, true); code != 403 {
				t.Fatalf("switch to an organisation she does not work for: %d %v", code, out)
			}
			if code, out := b.do("PUT", "/api/session/organisation", map[string]string{"organisation": "A99992"}, true); code != 200 || out["role"] != "practice-manager" {
				t.Fatalf("switch: %d %v", code, out)
			}
			if code, out := b.do("GET", "/api/reports/111?from=2026-11-23&to=2026-11-27", nil, false); code != 200 {
				t.Fatalf("manager reading reports: %d %v", code, out)
			}
			if code, _ := b.do("DELETE", "/api/session", nil, true); code != 204 {
				t.Fatalf("sign out: %d", code)
			}
			if code, _ := b.do("GET", "/api/session", nil, false); code != 401 {
				t.Fatalf("after signing out: %d", code)
			}
			// Five wrong passwords lock the account, even for the right one.
			for i := 1; i <= staff.MaxFailedLogins; i++ {
				code, out := b.do("POST", "/api/session", map[string]string{"username": "rosa", "password": "not it at all"}, false)
				if i < staff.MaxFailedLogins && code != 401 || i == staff.MaxFailedLogins && code != 403 {
					t.Fatalf("wrong password %d: %d %v", i, code, out)
				}
			}
			if code, out := b.do("POST", "/api/session", map[string]string{"username": "rosa", "password": "correct horse battery"}, false); code != 403 ||
				!strings.Contains(out["error"].(map[string]any)["message"].(string), "locked") {
				t.Fatalf("locked account: %d %v", code, out)
			}
			events, err := s.AuditEvents(ctx, sqlstore.AuditFilter{Action: "staff.sign-in"})
			if err != nil {
				t.Fatal(err)
			}
			outcomes := map[string]int{}
			for _, e := range events {
				outcomes[e.Outcome]++
			}
			if outcomes["ok"] != 1 || outcomes["wrong-password"] != 1+staff.MaxFailedLogins || outcomes["unknown-user"] != 1 || outcomes["locked"] != 1 {
				t.Fatalf("sign-ins audited: %v", outcomes)
			}
			// An API token needs no CSRF token, and a bad one is 401.
			token := apiToken(t, s, "A99991", staff.Receptionist)
			req, _ := http.NewRequest("GET", srv.URL+"/api/session", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("API token: %v %v", resp, err)
			}
			resp.Body.Close()
			req.Header.Set("Authorization", "Bearer pct_forged")
			resp, _ = http.DefaultClient.Do(req)
			if resp.StatusCode != 401 {
				t.Fatalf("forged API token: %d", resp.StatusCode)
			}
			resp.Body.Close()
		})
	}
}

// A manager ends only their own organisation's sharing, as they grant
// only their own; an administrator may end any.
func TestEndAgreementOnlyOwnSharing(t *testing.T) {
	store := sqltest.Open(t, "sqlite", nil)
	srv := server.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	for _, ods := range []pcnhub.ODSCode{"A99991", "A99992", "Y99990"} {
		if _, err := store.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: ods, Type: pcnhub.OrgGPPractice, Name: string(ods), Hosted: true}); err != nil {
			t.Fatal(err)
		}
	}
	a := &spine.Agreement{Provider: "A99992", Consumer: "A99991", Capability: spine.Appointments, From: pcnhub.Date{Year: 2026, Month: 1, Day: 1}, CreatedBy: "test"}
	if err := store.AddAgreement(ctx, a); err != nil {
		t.Fatal(err)
	}
	end := func(token string) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/agreements/%d/end", a.ID), strings.NewReader(`{"until":"2026-12-31"}`))
		req.Header.Set("Authorization", "Bearer "+token)
		srv.ServeHTTP(rec, req)
		return rec.Code
	}
	until := func() pcnhub.Date {
		as, err := store.Agreements(ctx, "A99992")
		if err != nil || len(as) != 1 {
			t.Fatalf("agreements: %v %v", as, err)
		}
		return as[0].Until
	}
	if code := end(apiToken(t, store, "A99991", staff.PracticeManager)); code != http.StatusForbidden || !until().IsZero() {
		t.Fatalf("the consumer's manager ending the provider's sharing: %d, until %v", code, until())
	}
	if code := end(apiToken(t, store, "Y99990", staff.HubManager)); code != http.StatusNotFound || !until().IsZero() {
		t.Fatalf("a third organisation's manager: %d, until %v", code, until())
	}
	if code := end(apiToken(t, store, "A99992", staff.PracticeManager)); code != http.StatusNoContent || until().String() != "2026-12-31" {
		t.Fatalf("the provider's manager: %d, until %v", code, until())
	}
}
