package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/seed/demo"
	"github.com/pcnhub/pcnhub/server"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

var ctx = context.Background()

// env is a whole pcnhub (server, hub, GP Connect providers, UI) on one
// engine, loaded with the demo data set, on a real listener.
type env struct {
	Store *sqlstore.Store
	URL   string
	Demo  seed.Dataset
}

// uiTests are the UI's tests; each runs as a subtest of TestUI on every
// engine against one shared demo deployment (loading the demo takes
// seconds, so it is loaded once per engine). A test that changes data
// uses data no other test uses (its own patient, slot or user).
var uiTests = []struct {
	name string
	fn   func(t *testing.T, e *env)
}{
	{"sign-in", testSignIn},
	{"book", testBook},
	{"patients", testPatients},
	{"search", testSearch},
	{"record", testRecord},
	{"duties", testDuties},
	{"config", testConfig},
	{"audit", testAudit},
}

func TestUI(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			e := startEnv(t, engine)
			for _, tc := range uiTests {
				t.Run(tc.name, func(t *testing.T) { tc.fn(t, e) })
			}
		})
	}
}

func startEnv(t *testing.T, engine string) *env {
	t.Helper()
	s := sqltest.Open(t, engine, nil)
	d := demo.Dataset()
	if _, err := s.LoadDataset(ctx, d, "test"); err != nil {
		t.Fatal(err)
	}
	if err := server.EnableSeeded(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	self := "http://" + srv.Listener.Addr().String()
	srv.Config.Handler = server.Assemble(s, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry(),
		server.Deployment{Calendar: duty.NewCalendar(duty.EnglandAndWales2026To2027), Self: self, ProviderTimeout: 5 * time.Second,
			Clock: pcnhub.SystemClock{}, Records: d.GenerateRecord})
	srv.Start()
	t.Cleanup(srv.Close)
	return &env{Store: s, URL: self, Demo: d}
}

// browser is an HTTP client that keeps cookies and sends each page's
// CSRF token back with its forms, as a browser does.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: e.URL, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// signIn signs a demo user in with the demo password; it fails the test
// unless the start page follows.
func (e *env) signIn(t *testing.T, username string) *browser {
	t.Helper()
	b := e.browser(t)
	code, body := b.post("/sign-in", url.Values{"username": {username}, "password": {demo.DemoPassword}})
	if code != 200 || !strings.Contains(body, `id="signed-in-as"`) {
		t.Fatalf("sign in as %s: %d\n%s", username, code, body)
	}
	return b
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches a page (following redirects) and remembers its CSRF token.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	return b.do(http.MethodGet, path, nil, nil)
}

// post submits a form with the CSRF token of the last page (when the form
// does not carry its own "csrf").
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf"]; !set && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// htmx sends a request as htmx does (HX-Request, the CSRF header).
func (b *browser) htmx(method, path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	var body io.Reader
	h := map[string]string{"HX-Request": "true", "X-CSRF-Token": b.csrf}
	if form != nil {
		body = strings.NewReader(form.Encode())
		h["Content-Type"] = "application/x-www-form-urlencoded"
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data), resp.Header
}

func (b *browser) do(method, path string, body io.Reader, headers map[string]string) (int, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	page := string(data)
	if m := csrfField.FindStringSubmatch(page); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, page
}

// text is a page's visible text, tags removed and spaces collapsed, for
// assertions about what a person reads.
func text(page string) string {
	page = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>`).ReplaceAllString(page, " ")
	page = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, " ")
	return strings.Join(strings.Fields(html.UnescapeString(page)), " ")
}
