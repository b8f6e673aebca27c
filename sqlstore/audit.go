package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pcnhub/pcnhub"
)

// AppendAudit adds e to the audit chain and fills in its Seq, At (from
// the store's clock when zero), PrevHash and Hash. Appends are serialised
// by the single audit_head row, on both engines and across replicas.
func (s *Store) AppendAudit(ctx context.Context, e *pcnhub.AuditEvent) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if e.At.IsZero() {
			e.At = s.clock.Now()
		}
		e.At = time.UnixMicro(e.At.UnixMicro()).UTC()
		if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).
			Scan(&e.Seq, &e.PrevHash); err != nil {
			return err
		}
		e.Hash = e.ComputeHash()
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO audit_events (seq, at_us, trace_id, action, actor, org_ods,
			requester_ods, practitioner, device, nhs_number, outcome, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			e.Seq, e.At.UnixMicro(), e.TraceID, e.Action, e.Actor, string(e.OrgODS), string(e.RequesterODS),
			e.Practitioner, e.Device, string(e.NHSNumber), e.Outcome, e.Detail, e.PrevHash, e.Hash); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE audit_head SET hash = ? WHERE id = 1`), e.Hash)
		return err
	})
	if err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	return nil
}

// AuditFilter selects audit events; zero fields do not filter.
type AuditFilter struct {
	NHSNumber pcnhub.NHSNumber
	OrgODS    pcnhub.ODSCode
	Action    string
	From, To  time.Time // At in [From, To)
	AfterSeq  int64
	Limit     int // default 1000
}

// AuditEvents returns the events that match f, oldest first.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]pcnhub.AuditEvent, error) {
	where, args := "WHERE seq > ?", []any{f.AfterSeq}
	if f.NHSNumber != "" {
		where, args = where+" AND nhs_number = ?", append(args, string(f.NHSNumber))
	}
	if f.OrgODS != "" {
		where, args = where+" AND org_ods = ?", append(args, string(f.OrgODS))
	}
	if f.Action != "" {
		where, args = where+" AND action = ?", append(args, f.Action)
	}
	if !f.From.IsZero() {
		where, args = where+" AND at_us >= ?", append(args, f.From.UnixMicro())
	}
	if !f.To.IsZero() {
		where, args = where+" AND at_us < ?", append(args, f.To.UnixMicro())
	}
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT seq, at_us, trace_id, action, actor, org_ods, requester_ods,
		practitioner, device, nhs_number, outcome, detail, prev_hash, hash FROM audit_events `+where+
		` ORDER BY seq LIMIT ?`), append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pcnhub.AuditEvent
	for rows.Next() {
		var e pcnhub.AuditEvent
		var at int64
		var org, req, nhs string
		if err := rows.Scan(&e.Seq, &at, &e.TraceID, &e.Action, &e.Actor, &org, &req, &e.Practitioner, &e.Device,
			&nhs, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, e.OrgODS, e.RequesterODS, e.NHSNumber = time.UnixMicro(at).UTC(), pcnhub.ODSCode(org), pcnhub.ODSCode(req), pcnhub.NHSNumber(nhs)
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain and returns the number of events
// checked, and an error naming the first event whose hash, link or
// sequence is wrong (a sign of tampering).
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	var prev string
	var n, last int64
	for {
		events, err := s.AuditEvents(ctx, AuditFilter{AfterSeq: last, Limit: 5000})
		if err != nil {
			return n, err
		}
		if len(events) == 0 {
			break
		}
		for i := range events {
			e := &events[i]
			switch {
			case e.Seq != last+1:
				return n, fmt.Errorf("audit chain broken: event %d follows event %d", e.Seq, last)
			case e.PrevHash != prev:
				return n, fmt.Errorf("audit chain broken at event %d: it does not link to event %d", e.Seq, last)
			case e.ComputeHash() != e.Hash:
				return n, fmt.Errorf("audit chain broken at event %d: its content does not match its hash", e.Seq)
			}
			prev, last = e.Hash, e.Seq
			n++
		}
	}
	var headSeq int64
	var headHash string
	if err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return n, err
	}
	if headSeq != last || headHash != prev {
		return n, fmt.Errorf("audit chain broken: the chain ends at event %d but the head says %d", last, headSeq)
	}
	return n, nil
}
