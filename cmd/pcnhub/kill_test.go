package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub/sqlstore"
)

// TestMain lets the test binary run as the pcnhub command, so that a test
// can start a real pcnhub process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("PCNHUB_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// An import killed with SIGKILL part-way leaves the database as it was and
// no rejects file, on both engines.
func TestKilledImportLeavesNothing(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			store := engineArgs(t, engine)
			ctx := context.Background()
			if err := run(ctx, append([]string{"seed", "assurance"}, store...), io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "big.csv")
			if _, err := writeBenchFile(file, 300_000); err != nil {
				t.Fatal(err)
			}
			// A few bad rows, so that --skip-invalid has rejects to write.
			f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("9434765918,Bad,Row,,1990-01-01,male" + strings.Repeat(",", len(strings.Split(firstLine(t, file), ","))-6) + "\n")
			f.Close()

			cmd := exec.Command(os.Args[0], append([]string{"import", "patients", "--practice", "B82617", "--skip-invalid",
				"--progress", "always", file}, store...)...)
			cmd.Env = append(os.Environ(), "PCNHUB_TEST_RUN_MAIN=1")
			stderr, _ := cmd.StderrPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Kill it once it has read a good part of the file.
			sc := bufio.NewScanner(stderr)
			sc.Split(scanCR)
			killed := false
			for sc.Scan() {
				if strings.Contains(sc.Text(), "%") && !strings.Contains(sc.Text(), "  0%") && !strings.Contains(sc.Text(), "100%") {
					time.Sleep(200 * time.Millisecond)
					cmd.Process.Signal(syscall.SIGKILL)
					killed = true
					break
				}
			}
			go io.Copy(io.Discard, stderr)
			err := cmd.Wait()
			if !killed {
				t.Fatalf("the import finished before it could be killed (%v)", err)
			}
			if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("import not killed: %v", err)
			}

			s := openEngine(t, store)
			org, err := s.OrganisationByODS(ctx, "B82617")
			if err != nil {
				t.Fatal(err)
			}
			total, _, err := s.CountPatients(ctx, org.ID)
			if err != nil || total != 20 {
				t.Fatalf("after the kill B82617 holds %d patients (err %v), want the 20 it had", total, err)
			}
			if _, err := os.Stat(filepath.Join(dir, "big.rejects.csv")); !os.IsNotExist(err) {
				t.Fatalf("a rejects file was left behind: %v", err)
			}
		})
	}
}

func firstLine(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	return strings.TrimSpace(line)
}

// scanCR splits on \r or \n, as a terminal progress bar redraws with \r.
func scanCR(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		if b == '\r' || b == '\n' {
			return i + 1, data[:i], nil
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// openEngine opens the store that the command-line flags name.
func openEngine(t *testing.T, args []string) *sqlstore.Store {
	t.Helper()
	opts := sqlstore.Options{}
	dsn := ""
	if args[0] == "--data-dir" {
		opts.DataDir = args[1]
	} else {
		dsn = args[1]
	}
	s, err := sqlstore.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
