// Package sqlstore is pcnhub's one storage adapter: hand-written SQL over
// database/sql, on SQLite (modernc.org/sqlite, the embedded default) or
// PostgreSQL (pgx), with embedded migrations per dialect.
//
// Conventions: SQL is written once with ? placeholders and rebound for
// PostgreSQL; a public method owns its transaction and private helpers take
// the *sql.Tx; text columns are never NULL (” means unknown); dates are
// 'YYYY-MM-DD' text; instants are microseconds since the epoch (UTC).
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"

	"github.com/pcnhub/pcnhub"
)

// Dialect names a database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations
var migrationsFS embed.FS

// Store is the database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect Dialect
	clock   pcnhub.Clock
	rebinds sync.Map // query with ? → query with $n (PostgreSQL)

	// The audit writer: AppendAudit hands events to one goroutine that
	// commits them in batches (see audit.go).
	audits       chan *auditRequest
	closing      chan struct{}
	auditStopped chan struct{}
	closeOnce    sync.Once

	// writeSem serialises write transactions on SQLite inside this
	// process, in arrival order: SQLite has one writer at a time, and
	// left to its busy handler, waiting writers sleep and retry with a
	// growing back-off that makes the tail of booking latency. Nil on
	// PostgreSQL, whose row locks do this properly.
	writeSem chan struct{}
}

// Options configure Open.
type Options struct {
	// DataDir holds the SQLite database file (pcnhub.db) when DSN is not a
	// PostgreSQL URL; it is created if missing.
	DataDir string
	Clock   pcnhub.Clock // defaults to the system clock
}

// IsPostgresDSN reports whether dsn names a PostgreSQL server.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn and brings its schema up to
// date. An empty dsn means SQLite in opts.DataDir; a postgres:// URL means
// PostgreSQL; anything else is taken as the path of a SQLite file.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{clock: opts.Clock}
	if s.clock == nil {
		s.clock = pcnhub.SystemClock{}
	}
	var err error
	if IsPostgresDSN(dsn) {
		s.dialect = Postgres
		s.db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.db.SetMaxOpenConns(16)
		s.db.SetMaxIdleConns(16)
		s.db.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		s.dialect = SQLite
		path := dsn
		if path == "" {
			dir := opts.DataDir
			if dir == "" {
				dir = "data"
			}
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			path = filepath.Join(dir, "pcnhub.db")
		}
		// WAL for concurrent readers, foreign keys on, a busy timeout so
		// writers queue rather than fail, and IMMEDIATE transactions so a
		// transaction that will write takes the write lock up front (no
		// deadlock from upgrading a read lock).
		q := "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(30000)" +
			"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-8000)&_txlock=immediate"
		s.db, err = sql.Open("sqlite", "file:"+path+q)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		s.db.SetMaxOpenConns(8)
		s.db.SetMaxIdleConns(8)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connect to %s: %w", s.dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if s.dialect == SQLite {
		s.writeSem = make(chan struct{}, 1)
	}
	s.audits, s.closing, s.auditStopped = make(chan *auditRequest), make(chan struct{}), make(chan struct{})
	go s.auditWriter()
	return s, nil
}

// Close stops the audit writer (after the batch it is committing) and
// closes the database. It is safe to call more than once.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closing)
		<-s.auditStopped
		err = s.db.Close()
	})
	return err
}

// Dialect tells which engine the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the pool for metrics collectors; callers must not write.
func (s *Store) DB() *sql.DB { return s.db }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// q rebinds a query written with ? placeholders for the store's dialect.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	if v, ok := s.rebinds.Load(query); ok {
		return v.(string)
	}
	r := rebindDollar(query)
	s.rebinds.Store(query, r)
	return r
}

// rebindDollar replaces each ? outside string literals with $1, $2, …
func rebindDollar(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction. On PostgreSQL an advisory lock keeps replicas that start
// together from racing.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if s.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7316001)"); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7316001)")
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations/" + string(s.dialect)
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: bad migration file name %q", name)
		}
		var applied int
		err = conn.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), v).Scan(&applied)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if applied > 0 {
			continue
		}
		body, err := fs.ReadFile(migrationsFS, dir+"/"+name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)"),
			v, name, s.clock.Now().UnixMicro()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// writeTx is a write transaction. On SQLite it holds the store's write
// semaphore from beginWrite until Commit or Rollback (whichever comes
// first releases it; both are safe to call more than once).
type writeTx struct {
	*sql.Tx
	release func()
}

func (t *writeTx) Commit() error {
	err := t.Tx.Commit()
	t.release()
	return err
}

func (t *writeTx) Rollback() error {
	err := t.Tx.Rollback()
	t.release()
	return err
}

// beginWrite starts a write transaction, waiting its turn on SQLite.
// A caller must not start another write while it holds one.
func (s *Store) beginWrite(ctx context.Context) (*writeTx, error) {
	release := func() {}
	if s.writeSem != nil {
		select {
		case s.writeSem <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		var once sync.Once
		release = func() { once.Do(func() { <-s.writeSem }) }
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		release()
		return nil, err
	}
	return &writeTx{Tx: tx, release: release}, nil
}

// withTx runs fn in a write transaction and commits it when fn returns nil.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx.Tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// notFound turns sql.ErrNoRows into an ENOTFOUND error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return pcnhub.Errorf(pcnhub.ENOTFOUND, format, args...)
	}
	return err
}

// syncIdentity moves a PostgreSQL identity sequence past the largest id,
// after rows were inserted with explicit ids.
func (s *Store) syncIdentity(ctx context.Context, tx *sql.Tx, table string) error {
	if s.dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf(
		`SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT MAX(id) FROM %s), 1))`, table, table))
	return err
}
