package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// The audit view: a sign-in shows up; the NHS number and action filters
// work; a practice manager sees only their own organisation's events;
// paging goes from the newest to older events; viewing is itself
// audited; the hash chain's state is shown; the filter validates; a
// receptionist may not see it.
func testAudit(t *testing.T, e *env) {
	// Events of this test only: two patients (NHS numbers in a range the
	// demo does not use), one event at another practice (A99992), one
	// that Riverside (A99991) requested.
	var numbers []pcnhub.NHSNumber
	for p := uint32(999_850_001); len(numbers) < 2; p++ {
		if n, ok := pcnhub.NHSNumberFromPrefix(p); ok {
			numbers = append(numbers, n)
		}
	}
	nhsOther, nhsRiverside := numbers[0], numbers[1]
	for _, ev := range []*pcnhub.AuditEvent{
		{Action: "test.web-audit", Actor: "audit-test", OrgODS: "A99992", RequesterODS: "Y99990", NHSNumber: nhsOther, Outcome: "ok", Detail: "web audit test at Mill Lane"},
		{Action: "test.web-audit", Actor: "audit-test", OrgODS: "A99993", RequesterODS: "A99991", NHSNumber: nhsRiverside, Outcome: "EFORBIDDEN", Detail: "web audit test requested by Riverside"},
	} {
		if err := e.Store.AppendAudit(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	// An action that audits: a sign-in.
	e.signIn(t, "hub.reception")

	hm := e.signIn(t, "hub.manager")
	code, page := hm.get("/audit")
	table := auditTable(t, page)
	if code != http.StatusOK || !strings.Contains(text(table), "hub.reception") || !strings.Contains(table, "staff.sign-in") ||
		!strings.Contains(text(table), "web audit test at Mill Lane") {
		t.Fatalf("hub.manager /audit = %d, want the sign-in and the test events:\n%s", code, text(page))
	}
	if !regexp.MustCompile(`Audit trail intact: \d+ events verified`).MatchString(text(page)) {
		t.Errorf("the chain check is not shown:\n%s", text(page))
	}
	// Newest first: the hub manager's own sign-in comes before
	// hub.reception's, which comes before the test events.
	txt := text(table)
	if i, j, k := strings.Index(txt, "hub.manager"), strings.Index(txt, "hub.reception"), strings.Index(txt, "web audit test at Mill Lane"); i < 0 || !(i < j && j < k) {
		t.Errorf("events are not newest first (%d, %d, %d)", i, j, k)
	}
	// The row of the Riverside-requested event: London time, names,
	// formatted NHS number, outcome.
	if !strings.Contains(txt, nhsRiverside.Formatted()) || !strings.Contains(txt, "EFORBIDDEN") || !strings.Contains(txt, "A99991 Riverside Medical Centre") {
		t.Errorf("the event's row lacks its NHS number, outcome or requester:\n%s", txt)
	}

	// By NHS number (written with spaces): that patient's events only.
	code, page = hm.get("/audit?nhs=" + url.QueryEscape(nhsOther.Formatted()))
	table = auditTable(t, page)
	if code != http.StatusOK || !strings.Contains(text(table), "web audit test at Mill Lane") || strings.Contains(text(table), "requested by Riverside") ||
		strings.Contains(table, "staff.sign-in") || auditRows(table) != 1 {
		t.Errorf("filter by NHS number = %d, %d rows:\n%s", code, auditRows(table), text(table))
	}
	// Viewing with an NHS number is audited with it.
	views, err := e.Store.AuditEvents(ctx, sqlstore.AuditFilter{Action: "ui.audit.view", NHSNumber: nhsOther})
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 || views[0].Actor != "hub.manager" || views[0].OrgODS != "Y99990" || views[0].Outcome != "ok" {
		t.Errorf("the view by NHS number was not audited as it should be: %+v", views)
	}

	// By action: sign-ins only.
	_, page = hm.get("/audit?action=staff.sign-in")
	table = auditTable(t, page)
	if n := auditRows(table); n < 2 || strings.Count(table, `<span class="app-action">staff.sign-in<wbr></span>`) != n ||
		!strings.Contains(text(table), "hub.reception") {
		t.Errorf("filter by action: %d rows:\n%s", n, text(table))
	}
	// By organisation: acted on or requesting.
	_, page = hm.get("/audit?org=A99991")
	table = auditTable(t, page)
	if !strings.Contains(text(table), "web audit test requested by Riverside") || strings.Contains(text(table), "web audit test at Mill Lane") {
		t.Errorf("filter by organisation A99991:\n%s", text(table))
	}

	// A practice manager sees only their organisation's events.
	pm := e.signIn(t, "pm.riverside")
	code, page = pm.get("/audit")
	table = auditTable(t, page)
	if code != http.StatusOK || !strings.Contains(text(table), "web audit test requested by Riverside") ||
		strings.Contains(text(table), "web audit test at Mill Lane") || strings.Contains(text(table), "hub.reception") {
		t.Errorf("pm.riverside /audit = %d:\n%s", code, text(table))
	}
	for _, row := range regexp.MustCompile(`(?s)<tr class="nhsuk-table__row" id="audit-\d+">(.*?)</tr>`).FindAllStringSubmatch(table, -1) {
		cells := dutyCells(row[1])
		if !strings.HasPrefix(cells[3], "A99991") && !strings.HasPrefix(cells[4], "A99991") {
			t.Errorf("pm.riverside sees an event of another organisation: %q", cells)
		}
	}
	_, page = pm.get("/audit?nhs=" + string(nhsOther))
	if auditRows(auditTable(t, page)) != 0 {
		t.Errorf("pm.riverside sees Mill Lane's patient's events")
	}
	code, page = pm.get("/audit?org=A99992")
	if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), "You can see the events of Riverside Medical Centre (A99991) only") {
		t.Errorf("pm.riverside ?org=A99992 = %d:\n%s", code, text(page))
	}

	// Paging: 100 a page, newest first, then the older ones.
	for i := 0; i < 105; i++ {
		if err := e.Store.AppendAudit(ctx, &pcnhub.AuditEvent{Action: "test.web-audit-page", Actor: "audit-test", Outcome: "ok",
			Detail: "page event " + strconv.Itoa(i) + "."}); err != nil {
			t.Fatal(err)
		}
	}
	_, page = hm.get("/audit?action=test.web-audit-page")
	table = auditTable(t, page)
	first := regexp.MustCompile(`page event (\d+)\.`).FindAllStringSubmatch(text(table), -1)
	if len(first) != 100 || first[0][1] != "104" || first[99][1] != "5" {
		t.Fatalf("first page: %d events, from %v", len(first), first[:min(1, len(first))])
	}
	next := regexp.MustCompile(`href="([^"]+)" id="audit-older"`).FindStringSubmatch(page)
	if next == nil {
		t.Fatalf("no link to older events")
	}
	_, page = hm.get(html.UnescapeString(next[1]))
	rest := regexp.MustCompile(`page event (\d+)\.`).FindAllStringSubmatch(text(auditTable(t, page)), -1)
	if len(rest) != 5 || rest[0][1] != "4" || rest[4][1] != "0" || strings.Contains(page, `id="audit-older"`) || !strings.Contains(page, `id="audit-newest"`) {
		t.Errorf("second page: %v", rest)
	}

	// Validation.
	for q, msg := range map[string]string{
		"/audit?nhs=943+476+5918":              "NHS number check digit is wrong",
		"/audit?nhs=12345":                     "NHS number must have 10 digits",
		"/audit?from=2026-13-01":               "The first day must be a real date, like ",
		"/audit?from=2026-11-20&to=2026-11-10": "The last day must be the same as or after the first day",
		"/audit?org=Z00000":                    "Choose an organisation from the list",
	} {
		code, page := hm.get(q)
		if code != http.StatusUnprocessableEntity || !strings.Contains(text(page), msg) || strings.Contains(page, `id="audit-events"`) {
			t.Errorf("%s = %d, want 422 with %q:\n%s", q, code, msg, text(page))
		}
	}

	// A receptionist may not see the audit trail.
	rec := e.signIn(t, "rosa.reception")
	if code, page := rec.get("/audit"); code != http.StatusForbidden || strings.Contains(page, `id="audit-events"`) {
		t.Errorf("receptionist /audit = %d, want 403", code)
	}
}

var auditTablePattern = regexp.MustCompile(`(?s)<table[^>]*id="audit-events">.*?</table>`)

// auditTable is the page's table of events.
func auditTable(t *testing.T, page string) string {
	t.Helper()
	m := auditTablePattern.FindString(page)
	if m == "" {
		t.Fatalf("no audit table:\n%s", text(page))
	}
	return m
}

// auditRows counts the events in the table.
func auditRows(table string) int {
	return len(regexp.MustCompile(`<tr class="nhsuk-table__row" id="audit-\d+">`).FindAllString(table, -1))
}
