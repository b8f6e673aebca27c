package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestBenchGPConnectSmoke runs the GP Connect load driver with tiny
// settings on SQLite, so that it cannot rot: every row of the table is
// there and no request failed.
func TestBenchGPConnectSmoke(t *testing.T) {
	for _, v := range []string{"PCNHUB_DB", "PCNHUB_CLIENTS", "PCNHUB_DURATION", "PCNHUB_CLINICIANS", "PCNHUB_BOOK_CLIENTS",
		"PCNHUB_BOOK_SLOTS", "PCNHUB_GZIP", "PCNHUB_CPUPROFILE"} {
		t.Setenv(v, "")
	}
	var out, log bytes.Buffer
	err := run(context.Background(), []string{"bench", "gpconnect", "--clinicians", "2", "--duration", "200ms", "--clients", "2"}, &out, &log)
	if err != nil {
		t.Fatalf("bench gpconnect: %v\n%s\n%s", err, out.String(), log.String())
	}
	text := out.String()
	if !strings.Contains(text, "476 free slots in the window (2 clinicians × 14 days)") {
		t.Errorf("header does not give the slots in the window (2 × 14 × 17 = 476):\n%s", text)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		for _, name := range []string{"slot search from memory", "slot search", "ratio real/memory", "booking"} {
			if rest, ok := strings.CutPrefix(line, name+" "); ok {
				rows[name] = strings.Fields(rest)
				break
			}
		}
	}
	// clients, requests, req/s, p50, p99, errors, CPU ms/req, others %, peak MB; a ratio row has clients and the ratio.
	for name, want := range map[string]int{"slot search": 9, "slot search from memory": 9, "booking": 9, "ratio real/memory": 2} {
		f := rows[name]
		if len(f) != want {
			t.Errorf("row %q: fields %q, want %d\n%s", name, f, want, text)
			continue
		}
		if want == 9 {
			if f[5] != "0" {
				t.Errorf("row %q: %s errors\n%s", name, f[5], text)
			}
			if f[1] == "0" {
				t.Errorf("row %q: no requests\n%s", name, text)
			}
		}
	}
	if rows["slot search"] != nil && rows["slot search"][0] != "2" {
		t.Errorf("slot search at %s clients, want 2", rows["slot search"][0])
	}
	for _, s := range []string{"aims at 16 clients", "booking p99 ≤ 50 ms", "THIS RUN HAD"} {
		if got := strings.Contains(text, s); got != (s != "THIS RUN HAD") {
			t.Errorf("output contains %q: %v\n%s", s, got, text)
		}
	}

	t.Log("\n" + text)

	// --help explains the flags; bad flags are usage errors.
	var help bytes.Buffer
	if err := run(context.Background(), []string{"bench", "gpconnect", "--help"}, &out, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"-db", "-clients", "-duration", "-clinicians", "-cpuprofile", "-book-clients", "-gzip"} {
		if !strings.Contains(help.String(), f) {
			t.Errorf("--help does not mention %s", f)
		}
	}
	for _, args := range [][]string{{"--clients", "0"}, {"--clients", "16,x"}, {"--duration", "soon"}, {"--clinicians", "0"}} {
		var u usageError
		if err := run(context.Background(), append([]string{"bench", "gpconnect"}, args...), &out, &help); !errors.As(err, &u) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// TestBenchFederatedSmoke runs the federated-search load driver with tiny
// settings: three providers of 238 slots (one clinician's fortnight) each,
// a fourth that hangs.
func TestBenchFederatedSmoke(t *testing.T) {
	var out, log bytes.Buffer
	err := run(context.Background(), []string{"bench", "federated", "--providers", "3", "--slots", "200", "--runs", "2",
		"--delay", "5ms", "--timeout", "500ms"}, &out, &log)
	if err != nil {
		t.Fatalf("bench federated: %v\n%s\n%s", err, out.String(), log.String())
	}
	text := out.String()
	for _, want := range []string{"hub search  ", "API search  ", "hub search, one provider hanging", "did not answer within 500ms",
		"714 ", "aim: hub search p95"} { // 3 × 238 slots found
		if !strings.Contains(text, want) {
			t.Errorf("the table lacks %q:\n%s", want, text)
		}
	}
}
