package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/rota"
)

const assuranceBook = `organisation: B82617
sessions:
  - name: greenhalgh-am
    days: [Mon, Tue, Wed, Thu, Fri]
    start: 08:30
    end: "12:00"
    practitioner: G13579135
    location: Assurance Practice 1 Main Surgery
    slot_minutes: 10
    slot_type: Routine GP appointment
    session_name: Morning surgery
    channel: In-person
    role: R0260
    gpad_category: General Consultation Routine
    slots:
      - at: "09:00"
        slot_type: NHS 111 direct booking appointment
        bookable: true
        restrictions: {org_types: [urgent-care]}
        gpad_category: General Consultation Acute
`

// A practice's book goes in as YAML, comes back out as YAML or JSON that
// imports again to the same book, and a bad book is refused with every
// problem and its line, changing nothing.
func TestBookCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := []string{"--data-dir", filepath.Join(dir, "data")}
	if err := run(ctx, append([]string{"seed", "assurance"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "b82617.yaml")
	if err := os.WriteFile(file, []byte(assuranceBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, append([]string{"rota", "validate", file}, store...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "is valid (1 session)") {
		t.Fatalf("validate: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, append([]string{"rota", "import", file, "--dry-run", "--weeks", "1"}, store...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "dry run, nothing written") {
		t.Fatalf("dry run: %v %q", err, out.String())
	}
	if err := run(ctx, append([]string{"rota", "export", "--practice", "B82617"}, store...), io.Discard, io.Discard); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
		t.Fatalf("export before any import: %v", err)
	}
	out.Reset()
	if err := run(ctx, append([]string{"rota", "import", file, "--weeks", "2"}, store...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "B82617: 1 session,") || !strings.Contains(out.String(), "— done") {
		t.Fatalf("import: %v %q", err, out.String())
	}
	// Export as JSON; the export reads back as the same (normalized) book.
	jsonFile := filepath.Join(dir, "b82617.json")
	if err := run(ctx, append([]string{"rota", "export", "--practice", "B82617", jsonFile}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	exported, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := rota.Decode(exported, rota.JSON)
	if err != nil {
		t.Fatal(err)
	}
	original, err := rota.Decode([]byte(assuranceBook), rota.YAML)
	if err != nil {
		t.Fatal(err)
	}
	rota.Normalize(original)
	original.Sessions[0].Line = 0
	a, _ := rota.Encode(original, rota.JSON)
	b, _ := rota.Encode(fromJSON, rota.JSON)
	if !bytes.Equal(a, b) {
		t.Fatalf("exported book differs:\n%s\nwant\n%s", b, a)
	}
	out.Reset()
	if err := run(ctx, append([]string{"rota", "import", jsonFile, "--weeks", "2"}, store...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "0 new, 0 updated, 0 removed — already up to date") {
		t.Fatalf("re-import of the export: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, append([]string{"schedule", "extend", "--weeks", "2"}, store...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "B82617") || !strings.Contains(out.String(), "already up to date") {
		t.Fatalf("extend: %v %q", err, out.String())
	}
	out.Reset()
	// (The assurance seed's own slot types stay unmapped, so status fails.)
	run(ctx, append([]string{"gpad", "status", "--practice", "B82617"}, store...), &out, io.Discard)
	if !strings.Contains(out.String(), "NHS 111 direct booking appointment  General Consultation Acute") ||
		!strings.Contains(out.String(), "Routine GP appointment              General Consultation Routine") {
		t.Fatalf("the book's GPAD categories are not mapped: %q", out.String())
	}

	// A bad book: every problem, with the session's line, and no change.
	bad := strings.Replace(assuranceBook, "slot_minutes: 10", "slot_minutes: 25", 1)
	bad = strings.Replace(bad, "location: Assurance Practice 1 Main Surgery", "location: The Moon", 1)
	badFile := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badFile, []byte(bad), 0o644)
	err = run(ctx, append([]string{"rota", "import", badFile}, store...), io.Discard, io.Discard)
	msg := describe(err)
	if exitCode(err) != 2 || !strings.Contains(msg, "3 problems; nothing was changed") || !strings.Contains(msg, "slots[0].at: no slot starts at 09:00") ||
		!strings.Contains(msg, `line 3: session "greenhalgh-am": slot_minutes: 25-minute slots do not divide`) ||
		!strings.Contains(msg, `no location named "The Moon"`) {
		t.Fatalf("bad book: exit %d\n%s", exitCode(err), msg)
	}
	out.Reset()
	if err := run(ctx, append([]string{"rota", "export", "--practice", "B82617", "--format", "yaml"}, store...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "slot_minutes: 10") {
		t.Fatalf("the refused book changed the stored one: %v\n%s", err, out.String())
	}
	// A file that is not a book says where.
	os.WriteFile(badFile, []byte("organisation: B82617\nsessions:\n  - name: x\n    slot_minute: 10\n"), 0o644)
	err = run(ctx, append([]string{"rota", "validate", badFile}, store...), io.Discard, io.Discard)
	if exitCode(err) != 2 || !strings.Contains(describe(err), "line 4") || !strings.Contains(describe(err), "slot_minute") {
		t.Fatalf("unknown field: %v", err)
	}
	if err := run(ctx, append([]string{"rota"}, store...), io.Discard, io.Discard); exitCode(err) != 2 {
		t.Fatalf("book without a verb: %v", err)
	}
}

// Endpoints and agreements from the command line: added, listed, ended,
// and refused when wrong.
func TestEndpointAndAgreementCommands(t *testing.T) {
	ctx := context.Background()
	store := []string{"--data-dir", t.TempDir()}
	if err := run(ctx, append([]string{"seed", "assurance"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"org", "add", "--ods", "A81001", "--type", "gp-practice", "--name", "High Street Surgery", "--hosted=false", "--asid", "200000000610"},
		{"endpoint", "add", "--ods", "A81001", "--url", "https://gpc.example.nhs.uk/A81001/STU3/1/gpconnect", "--asid", "200000000610"},
		{"group", "set", "--name", "Neighbours", "A81001", "B82617"},
	} {
		if err := run(ctx, append(args, store...), io.Discard, io.Discard); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	var out bytes.Buffer
	if err := run(ctx, append([]string{"endpoint", "list", "--base-url", "https://hub.example"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "https://hub.example/B82617/STU3/1/gpconnect") ||
		!strings.Contains(out.String(), "A81001  gpconnect  200000000610  false   https://gpc.example.nhs.uk/A81001/STU3/1/gpconnect") {
		t.Fatalf("endpoint list:\n%s", out.String())
	}
	for _, bad := range [][]string{
		{"endpoint", "add", "--ods", "A81001", "--url", "ftp://x", "--asid", "200000000610"},
		{"endpoint", "add", "--ods", "B82617", "--url", "https://x.example/B82617/STU3/1/gpconnect", "--asid", "918999198738"},
		{"agreement", "add", "--provider", "B82617", "--consumer", "A81001", "--capability", "gossip"},
		{"agreement", "add", "--provider", "B82617", "--consumer", "B82617", "--capability", "appointments"},
		{"agreement", "add", "--provider", "B82617", "--consumer", "Z99999", "--capability", "appointments"},
	} {
		err := run(ctx, append(bad, store...), io.Discard, io.Discard)
		if code := pcnhub.ErrorCode(err); code != pcnhub.EINVALID && code != pcnhub.ENOTFOUND {
			t.Errorf("%v: %v", bad, err)
		}
	}
	out.Reset()
	if err := run(ctx, append([]string{"agreement", "add", "--provider", "B82617", "--consumer-group", "Neighbours",
		"--capability", "appointments,care-record", "--from", "2026-01-01", "--both-ways", "--reference", "DSA-7"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 4 { // two capabilities, both ways, one other member
		t.Fatalf("added %d agreements:\n%s", n, out.String())
	}
	out.Reset()
	if err := run(ctx, append([]string{"agreement", "list", "--party", "A81001"}, store...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), "DSA-7") != 4 || !strings.Contains(out.String(), "true") {
		t.Fatalf("agreement list:\n%s", out.String())
	}
	id := strings.Fields(strings.Split(out.String(), "\n")[1])[0]
	if err := run(ctx, append([]string{"agreement", "end", "--id", id, "--until", "2026-02-01"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	run(ctx, append([]string{"agreement", "list", "--party", "A81001"}, store...), &out, io.Discard)
	if !strings.Contains(out.String(), "2026-02-01  false") {
		t.Fatalf("ended agreement:\n%s", out.String())
	}
}

// Staff users from the command line: a person with a password from
// standard input, a role elsewhere, a token, the list.
func TestStaffCommands(t *testing.T) {
	ctx := context.Background()
	store := []string{"--data-dir", t.TempDir()}
	if err := run(ctx, append([]string{"seed", "assurance"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	defer func(old io.Reader) { stdin = old }(stdin)
	stdin = strings.NewReader("too short\n")
	err := run(ctx, append([]string{"staff", "add", "--username", "rosa", "--name", "Rosa Patel", "--org", "B82617", "--role", "receptionist"}, store...), io.Discard, io.Discard)
	if pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Fatalf("a short password: %v", err)
	}
	stdin = strings.NewReader("a long enough passphrase\n")
	if err := run(ctx, append([]string{"staff", "add", "--username", "rosa", "--name", "Rosa Patel", "--org", "B82617", "--role", "receptionist"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append([]string{"staff", "grant", "--username", "rosa", "--org", "R1A14", "--role", "porter"}, store...), io.Discard, io.Discard); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Fatalf("an unknown role: %v", err)
	}
	if err := run(ctx, append([]string{"staff", "grant", "--username", "rosa", "--org", "R1A14", "--role", "clinician"}, store...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, append([]string{"staff", "token", "--username", "rosa", "--org", "R1A14", "--name", "test rig"}, store...), &out, io.Discard); err != nil ||
		!strings.HasPrefix(out.String(), "pct_") {
		t.Fatalf("token: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, append([]string{"staff", "list"}, store...), &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "receptionist@B82617 clinician@R1A14") || !strings.Contains(out.String(), "Rosa Patel") {
		t.Fatalf("list: %v\n%s", err, out.String())
	}
}
