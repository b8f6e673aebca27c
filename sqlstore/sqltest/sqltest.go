// Package sqltest runs tests against every database engine pcnhub
// supports: always SQLite in a temporary directory, and PostgreSQL when
// PCNHUB_TEST_POSTGRES holds a DSN (each test gets a schema of its own,
// dropped at the end). Without the variable, PostgreSQL subtests are
// skipped with a printed reason.
package sqltest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// EnvPostgres names the variable that holds the PostgreSQL test DSN.
const EnvPostgres = "PCNHUB_TEST_POSTGRES"

// Engines lists the engine names in test order.
var Engines = []string{"sqlite", "postgres"}

var schemaSeq atomic.Int64

// Run runs fn as a subtest per engine with a fresh, migrated store.
func Run(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine, nil))
		})
	}
}

// Open returns a fresh, migrated store on the named engine, closed and
// removed when the test ends. clock may be nil. It skips the test when
// the engine is postgres and PCNHUB_TEST_POSTGRES is empty.
func Open(t testing.TB, engine string, clock pcnhub.Clock) *sqlstore.Store {
	t.Helper()
	dsn := DSN(t, engine)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{DataDir: t.TempDir(), Clock: clock})
	if err != nil {
		t.Fatalf("open %s store: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// DSN returns a DSN for a fresh, empty database on the named engine:
// an empty string for SQLite (the store then uses its data directory),
// or the PostgreSQL DSN with a new schema on its search_path.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return filepath.Join(t.TempDir(), "pcnhub.db")
	case "postgres":
		base := os.Getenv(EnvPostgres)
		if base == "" {
			t.Skipf("PostgreSQL tests skipped: set %s to a PostgreSQL DSN (as .ci/run does) to run them", EnvPostgres)
		}
		schema := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1_000_000, schemaSeq.Add(1))
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatalf("postgres: %v", err)
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatalf("postgres: create schema: %v", err)
		}
		t.Cleanup(func() {
			admin, err := sql.Open("pgx", base)
			if err != nil {
				return
			}
			defer admin.Close()
			admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("postgres: bad DSN in %s: %v", EnvPostgres, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}
