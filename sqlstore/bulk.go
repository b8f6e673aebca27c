package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// bulkTable describes a table that rows are upserted into in batches by a
// natural key. A row whose compared columns are all equal to the stored
// row is left untouched (its version does not move), so re-importing the
// same data changes nothing.
type bulkTable struct {
	name     string
	key      []string // conflict columns
	compared []string // columns replaced on conflict, and compared to detect a change
	stamped  string   // column set to the import time on insert or change
}

// columns is the insert column list: key, compared, stamp.
func (t *bulkTable) columns() []string {
	cols := append(append([]string{}, t.key...), t.compared...)
	return append(cols, t.stamped)
}

// upsertSQL is a multi-row INSERT … ON CONFLICT DO UPDATE … WHERE changed
// RETURNING version, for n rows. The same text works on SQLite and
// PostgreSQL once rebound.
func (t *bulkTable) upsertSQL(n int) string {
	cols := t.columns()
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", t.name, strings.Join(cols, ", "))
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	fmt.Fprintf(&b, " ON CONFLICT (%s) DO UPDATE SET ", strings.Join(t.key, ", "))
	for _, c := range t.compared {
		fmt.Fprintf(&b, "%s = excluded.%s, ", c, c)
	}
	fmt.Fprintf(&b, "%s = excluded.%s, version = %s.version + 1 WHERE ", t.stamped, t.stamped, t.name)
	for i, c := range t.compared {
		if i > 0 {
			b.WriteString(" OR ")
		}
		fmt.Fprintf(&b, "%s.%s <> excluded.%s", t.name, c, c)
	}
	b.WriteString(" RETURNING version")
	return b.String()
}

// UpsertStats counts what a bulk upsert did.
type UpsertStats struct {
	Inserted  int // new rows
	Updated   int // rows that existed and changed
	Unchanged int // rows that existed and were equal
}

// bulkWriter upserts rows into a bulkTable inside one transaction, in
// batches of batchRows. Nothing is visible to others before Commit.
type bulkWriter struct {
	s        *Store
	t        *bulkTable
	tx       *writeTx
	full     *sql.Stmt // prepared statement for a full batch
	args     []any
	rows     int
	perRow   int
	batchMax int
	stats    UpsertStats
	done     bool
	inBatch  map[string]struct{} // keys queued in the current batch
}

// batchRows is the number of rows per INSERT. SQLite allows 32,766 bound
// parameters and PostgreSQL 65,535; 400 rows of ~27 columns stays well
// inside both and measured fastest (see the import benchmark).
const batchRows = 400

func (s *Store) newBulkWriter(ctx context.Context, t *bulkTable) (*bulkWriter, error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	w := &bulkWriter{s: s, t: t, tx: tx, perRow: len(t.columns()), batchMax: batchRows}
	w.full, err = tx.PrepareContext(ctx, s.q(t.upsertSQL(batchRows)))
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	w.args = make([]any, 0, batchRows*w.perRow)
	w.inBatch = make(map[string]struct{}, batchRows)
	return w, nil
}

// add queues one row's values (in columns() order) and flushes a full
// batch. key identifies the row; a key already queued in this batch
// flushes the batch first (one INSERT may not touch a row twice).
func (w *bulkWriter) add(ctx context.Context, key string, values ...any) error {
	if len(values) != w.perRow {
		return fmt.Errorf("bulk %s: %d values for %d columns", w.t.name, len(values), w.perRow)
	}
	if _, dup := w.inBatch[key]; dup {
		if err := w.flush(ctx); err != nil {
			return err
		}
	}
	w.inBatch[key] = struct{}{}
	w.args = append(w.args, values...)
	w.rows++
	if w.rows == w.batchMax {
		return w.flush(ctx)
	}
	return nil
}

func (w *bulkWriter) flush(ctx context.Context) error {
	if w.rows == 0 {
		return nil
	}
	var rows *sql.Rows
	var err error
	if w.rows == w.batchMax {
		rows, err = w.full.QueryContext(ctx, w.args...)
	} else {
		rows, err = w.tx.QueryContext(ctx, w.s.q(w.t.upsertSQL(w.rows)), w.args...)
	}
	if err != nil {
		return fmt.Errorf("bulk upsert into %s: %w", w.t.name, err)
	}
	changed := 0
	for rows.Next() {
		var version int64
		if err := rows.Scan(&version); err != nil {
			rows.Close()
			return err
		}
		changed++
		if version == 1 {
			w.stats.Inserted++
		} else {
			w.stats.Updated++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("bulk upsert into %s: %w", w.t.name, err)
	}
	w.stats.Unchanged += w.rows - changed
	w.args = w.args[:0]
	w.rows = 0
	clear(w.inBatch)
	return nil
}

// commit flushes the last batch and commits; on error everything is rolled back.
func (w *bulkWriter) commit(ctx context.Context) (UpsertStats, error) {
	if w.done {
		return w.stats, fmt.Errorf("bulk %s: already finished", w.t.name)
	}
	w.done = true
	if err := w.flush(ctx); err != nil {
		w.full.Close()
		w.tx.Rollback()
		return UpsertStats{}, err
	}
	w.full.Close()
	if err := w.tx.Commit(); err != nil {
		return UpsertStats{}, err
	}
	return w.stats, nil
}

// rollback abandons everything written; safe to call after commit.
func (w *bulkWriter) rollback() error {
	if w.done {
		return nil
	}
	w.done = true
	w.full.Close()
	return w.tx.Rollback()
}
