package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/seed/demo"
)

// EnvBrowserTest, when "required", makes TestBrowser fail instead of skip
// when Chromium, Node.js or playwright-core is missing (.ci/run sets it).
const EnvBrowserTest = "PCNHUB_BROWSER_TEST"

// TestBrowser runs the staff UI in a real browser: pcnhub serves the demo
// data on SQLite, exactly as `pcnhub serve --seed demo` does, and
// web/browsertest/flow.mjs (Playwright driving Debian's headless Chromium)
// signs in, finds a patient, searches slots across practices, books, sees
// the booking in the appointment book, cancels it, checks a receptionist
// cannot open a record, and visits every page, saving screenshots in
// test-artefacts/screenshots (or $PCNHUB_ARTEFACTS/screenshots).
func TestBrowser(t *testing.T) {
	root, _ := filepath.Abs("../..")
	dir := filepath.Join(root, "web", "browsertest")
	chromium := os.Getenv("PCNHUB_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	var missing []string
	if _, err := os.Stat(chromium); err != nil {
		missing = append(missing, chromium+" (apt-get install chromium)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node (apt-get install nodejs)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		missing = append(missing, "playwright-core (npm ci in web/browsertest)")
	}
	if len(missing) > 0 {
		if os.Getenv(EnvBrowserTest) == "required" {
			t.Fatalf("the browser test needs %s", strings.Join(missing, ", "))
		}
		t.Skipf("browser test skipped: needs %s (.ci/run installs them)", strings.Join(missing, ", "))
	}
	shots := filepath.Join(root, "test-artefacts", "screenshots")
	if a := os.Getenv("PCNHUB_ARTEFACTS"); a != "" {
		shots = filepath.Join(a, "screenshots")
	}
	os.RemoveAll(shots)

	base, stop := serveDemo(t)
	defer stop()

	// A Riverside patient who is registered, not sensitive, alive, sharing
	// their record, whose generated record has allergies, medication and
	// problems to show.
	var patient pcnhub.Patient
	n := 0
	for ods, p := range demo.Dataset().Patients {
		if ods != "A99991" || p.Registration.Status != pcnhub.RegActive || p.Sensitive || p.Deceased() || p.DissentFromSharing || p.InTransit {
			continue
		}
		if n++; n < 1200 {
			continue
		}
		rec := demo.ClinicalRecord(ods, &p)
		if len(rec.Allergies) > 0 && len(rec.Medications) > 0 && len(rec.Problems) > 0 {
			patient = p
			break
		}
	}
	if patient.NHSNumber == "" {
		t.Fatal("no demo patient with allergies, medication and problems")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "flow.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PCNHUB_URL="+base, "PCNHUB_NHS="+string(patient.NHSNumber), "PCNHUB_FAMILY="+patient.Name.Family,
		"PCNHUB_PASSWORD="+demo.DemoPassword, "PCNHUB_SHOTS="+shots, "PCNHUB_CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	t.Logf("browser flow (screenshots in %s):\n%s", shots, out)
	if err != nil {
		t.Fatalf("browser flow failed: %v", err)
	}
}

// serveDemo runs `pcnhub serve --seed demo` on SQLite in a temporary data
// directory on a free port, and returns its base URL and a stop function
// that shuts it down gracefully.
func serveDemo(t *testing.T) (string, func()) {
	t.Helper()
	args := []string{"serve", "--addr", "127.0.0.1:0", "--seed", "demo", "--log-format", "json", "--data-dir", t.TempDir()}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, io.Discard, pw); pw.Close() }()
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "pcnhub serving" {
				addrc <- line.Addr
			}
		}
		io.Copy(io.Discard, pr)
	}()
	stop := func() {
		cancel()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Error("serve did not stop")
		}
	}
	select {
	case addr := <-addrc:
		return "http://" + addr, stop
	case err := <-done:
		t.Fatalf("serve ended early: %v", err)
	case <-time.After(3 * time.Minute):
		stop()
		t.Fatal("serve did not start")
	}
	return "", stop
}
