package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
)

// AppendAudit adds e to the audit chain and fills in its Seq, At (from
// the store's clock when zero), PrevHash and Hash. It returns once the
// event is committed. Concurrent calls are committed together (group
// commit): one goroutine takes every event waiting, up to maxAuditBatch,
// and appends them in one transaction that moves the single audit_head
// row once — which serialises appenders on both engines and across
// replicas, without one transaction per event.
func (s *Store) AppendAudit(ctx context.Context, e *pcnhub.AuditEvent) error {
	req := &auditRequest{event: e, done: make(chan error, 1)}
	select {
	case s.audits <- req:
	case <-s.closing:
		return fmt.Errorf("append audit event: the store is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // the event may still be committed
	}
}

// maxAuditBatch bounds the events committed in one transaction.
const maxAuditBatch = 256

type auditRequest struct {
	event *pcnhub.AuditEvent
	done  chan error
}

// auditWriter commits waiting audit events in batches until the store closes.
func (s *Store) auditWriter() {
	defer close(s.auditStopped)
	batch := make([]*auditRequest, 0, maxAuditBatch)
	for {
		select {
		case req := <-s.audits:
			batch = append(batch[:0], req)
		case <-s.closing:
			return
		}
	more:
		for len(batch) < maxAuditBatch {
			select {
			case req := <-s.audits:
				batch = append(batch, req)
			default:
				break more
			}
		}
		err := s.commitAudit(batch)
		for _, req := range batch {
			req.done <- err
		}
	}
}

// commitAudit appends a batch of events to the chain in one transaction.
func (s *Store) commitAudit(batch []*auditRequest) error {
	ctx := context.Background()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var last int64
		var prev string
		if err := tx.QueryRowContext(ctx, s.q(`UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash`), len(batch)).
			Scan(&last, &prev); err != nil {
			return err
		}
		seq := last - int64(len(batch))
		const cols = 14
		args := make([]any, 0, cols*len(batch))
		for _, req := range batch {
			e := req.event
			if e.At.IsZero() {
				e.At = s.clock.Now()
			}
			seq++
			e.At = time.UnixMicro(e.At.UnixMicro()).UTC()
			e.Seq, e.PrevHash = seq, prev
			e.Hash = e.ComputeHash()
			prev = e.Hash
			args = append(args, e.Seq, e.At.UnixMicro(), e.TraceID, e.Action, e.Actor, string(e.OrgODS), string(e.RequesterODS),
				e.Practitioner, e.Device, string(e.NHSNumber), e.Outcome, e.Detail, e.PrevHash, e.Hash)
		}
		rows := strings.TrimSuffix(strings.Repeat("("+strings.TrimSuffix(strings.Repeat("?, ", cols), ", ")+"), ", len(batch)), ", ")
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO audit_events (seq, at_us, trace_id, action, actor, org_ods,
			requester_ods, practitioner, device, nhs_number, outcome, detail, prev_hash, hash) VALUES `+rows), args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE audit_head SET hash = ? WHERE id = 1`), prev)
		return err
	})
	if err != nil {
		return fmt.Errorf("append audit events: %w", err)
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
