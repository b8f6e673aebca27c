package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/seed/demo"
)

// Signing in and out, the organisation switcher, CSRF on forms, and a
// signed-out visitor being sent to sign in (and back afterwards).
func testSignIn(t *testing.T, e *env) {
	b := e.browser(t)
	// A page asks a signed-out visitor to sign in, and remembers where
	// they were going.
	code, page := b.get("/duties")
	if code != 200 || !strings.Contains(page, `action="/sign-in"`) || !strings.Contains(page, `name="next" value="/duties"`) {
		t.Fatalf("signed out /duties = %d, want the sign-in page keeping next=/duties:\n%s", code, page)
	}
	// Empty fields: messages next to each field, and a summary.
	code, page = b.post("/sign-in", url.Values{"username": {""}, "password": {""}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "Enter your user name") || !strings.Contains(text(page), "Enter your password") ||
		!strings.Contains(page, `href="#username"`) {
		t.Fatalf("empty sign-in = %d\n%s", code, text(page))
	}
	// A wrong password says so, without saying which part was wrong, and
	// does not echo the password back.
	code, page = b.post("/sign-in", url.Values{"username": {"pm.riverside"}, "password": {"not-the-password"}, "next": {"/duties"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "The user name or password is wrong") ||
		strings.Contains(page, "not-the-password") || !strings.Contains(page, `value="pm.riverside"`) {
		t.Fatalf("wrong password = %d\n%s", code, text(page))
	}
	// The right one goes where the visitor was going.
	code, page = b.post("/sign-in", url.Values{"username": {"pm.riverside"}, "password": {demo.DemoPassword}, "next": {"/duties"}})
	if code != 200 || !strings.Contains(page, `id="signed-in-as"`) || !strings.Contains(page, "Helen Marsh") || !strings.Contains(page, `id="duty-111"`) {
		t.Fatalf("sign in should land on /duties, where the visitor was going: %d\n%s", code, text(page))
	}
	// next may not leave the site.
	b2 := e.browser(t)
	b2.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("POST", e.URL+"/sign-in", strings.NewReader(url.Values{"username": {"hub.reception"},
		"password": {demo.DemoPassword}, "next": {"//evil.example/x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b2.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("sign in with next=//evil.example: %d Location %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
	}

	// A form without this session's CSRF token is refused, and nothing
	// happens (the user is still signed in).
	code, page = b.post("/sign-out", url.Values{"csrf": {"forged"}})
	if code != http.StatusForbidden || !strings.Contains(text(page), "This form has expired") {
		t.Fatalf("sign out with a forged CSRF token = %d\n%s", code, text(page))
	}
	if code, page = b.get("/"); code != 200 || !strings.Contains(page, `id="signed-in-as"`) {
		t.Fatalf("after a refused sign-out the user should still be signed in: %d", code)
	}

	// A clinician working at two organisations switches between them.
	gp := e.signIn(t, "gp.riverside")
	_, page = gp.get("/")
	if !strings.Contains(page, `<select id="organisation"`) || !strings.Contains(text(page), "acting for Riverside Medical Centre (A99991)") {
		t.Fatalf("the clinician's start page lacks the switcher or Riverside:\n%s", text(page))
	}
	code, page = gp.post("/organisation", url.Values{"organisation": {"Y99990"}})
	if code != 200 || !strings.Contains(text(page), "(Y99990)") {
		t.Fatalf("switch to the hub = %d\n%s", code, text(page))
	}
	// Not to an organisation they do not work for.
	code, page = gp.post("/organisation", url.Values{"organisation": {"A99992"}})
	if code != http.StatusForbidden || !strings.Contains(text(page), "does not work for A99992") {
		t.Fatalf("switch to A99992 = %d\n%s", code, text(page))
	}

	// Signing out ends the session: the next page asks to sign in again.
	if code, _ := b.post("/sign-out", nil); code != 200 {
		t.Fatalf("sign out = %d", code)
	}
	if _, page = b.get("/"); !strings.Contains(page, `action="/sign-in"`) {
		t.Fatalf("after sign-out / should be the sign-in page:\n%s", text(page))
	}
	// Static assets are served (the NHS.UK styles, htmx, uPlot).
	// They may be cached for a day (max-age is in seconds).
	resp, err = http.Get(e.URL + "/static/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Cache-Control"); got != "public, max-age=86400" {
		t.Errorf("static asset Cache-Control = %q, want public, max-age=86400", got)
	}
	for _, p := range []string{"/static/nhsuk-frontend.min.css", "/static/htmx.min.js", "/static/uPlot.iife.min.js", "/static/app.css", "/assets/images/nhsuk-icon-cross.svg"} {
		if code, body := b.get(p); code != 200 || len(body) < 100 {
			t.Errorf("%s = %d (%d bytes)", p, code, len(body))
		}
	}
}
