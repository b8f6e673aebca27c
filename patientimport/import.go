// Package patientimport loads a practice's demographics CSV (the format of
// package patientcsv) into the store: streaming, validating every row,
// and writing either everything or nothing.
package patientimport

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/patientcsv"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// Options control an import.
type Options struct {
	// SkipInvalid imports the valid rows and writes the invalid ones to
	// Rejects. Without it, one invalid row means nothing is imported.
	SkipInvalid bool
	// Rejects receives, with SkipInvalid, the invalid rows as CSV: the
	// file's header plus an "error" column. May be nil.
	Rejects io.Writer
	// Progress, when set, is called every few thousand rows and at the
	// end with the number of bytes read so far.
	Progress func(bytesRead int64, rows int)
	// KeepErrors is how many row errors the report keeps (all are
	// counted); 0 means 100.
	KeepErrors int
	// Today bounds dates (birth, registration, death); zero means the
	// store's clock.
	Today pcnhub.Date
	// Actor names who ran the import, for the audit trail.
	Actor string
	// Source names the file, for the audit trail (never its content).
	Source string
}

// Report says what an import found and did.
type Report struct {
	Rows      int                  // data rows read
	Valid     int                  // rows that passed validation
	Invalid   int                  // rows that did not
	Errors    []error              // the first KeepErrors errors (*patientcsv.RowError)
	Stats     sqlstore.UpsertStats // what the write changed (zero unless committed)
	Committed bool
}

// ErrInvalidRows is returned (wrapped in an EINVALID *pcnhub.Error) when
// an all-or-nothing import found invalid rows and imported nothing.
var ErrInvalidRows = errors.New("invalid rows")

// Import reads CSV from r and upserts its patients into the records of
// the organisation with ODS code ods, in one transaction.
//
// Errors: ENOTFOUND for an unknown organisation; EINVALID for a bad
// header (nothing read) or, without SkipInvalid, for any invalid row
// (nothing written; the report lists the rows); any other error is an
// I/O or database failure, after which nothing was written either.
func Import(ctx context.Context, s *sqlstore.Store, ods pcnhub.ODSCode, r io.Reader, opt Options) (rep Report, err error) {
	org, err := s.OrganisationByODS(ctx, ods)
	if err != nil {
		return rep, err
	}
	if opt.KeepErrors == 0 {
		opt.KeepErrors = 100
	}
	today := opt.Today
	if today.IsZero() {
		today = pcnhub.DateOf(pcnhub.SystemClock{}.Now().In(pcnhub.London))
	}
	defer func() { audit(ctx, s, org.ODS, opt, &rep, err) }()

	cr, err := patientcsv.NewReader(r, today)
	if err != nil {
		var he *patientcsv.HeaderError
		if errors.As(err, &he) {
			return rep, &pcnhub.Error{Code: pcnhub.EINVALID, Message: he.Error(), Err: err}
		}
		return rep, err
	}
	header := cr.Header()
	var rejects *csv.Writer
	if opt.SkipInvalid && opt.Rejects != nil {
		rejects = csv.NewWriter(opt.Rejects)
		if err := rejects.Write(append(append([]string{}, header...), "error")); err != nil {
			return rep, fmt.Errorf("write rejects: %w", err)
		}
	}
	w, err := s.BeginPatientWrite(ctx)
	if err != nil {
		return rep, err
	}
	defer w.Rollback()

	// Parsing runs in its own goroutine and hands over batches of rows, so
	// that reading and validating the CSV overlaps with writing to the
	// database; the channel's capacity bounds the rows in flight.
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	batches := make(chan []parsed, 4)
	go readBatches(rctx, cr, batches)

	for batch := range batches {
		for _, item := range batch {
			if item.err != nil && !isRowError(item.err) {
				return rep, fmt.Errorf("read line %d: %w", rep.Rows+2, item.err)
			}
			rep.Rows++
			var rowErr *patientcsv.RowError
			if errors.As(item.err, &rowErr) {
				rep.Invalid++
				if len(rep.Errors) < opt.KeepErrors {
					rep.Errors = append(rep.Errors, rowErr)
				}
				if rejects != nil {
					// Short rows are padded so that the error column lines up.
					fields := append([]string{}, rowErr.Fields...)
					for len(fields) < len(header) {
						fields = append(fields, "")
					}
					if err := rejects.Write(append(fields, rowErr.Error())); err != nil {
						return rep, fmt.Errorf("write rejects: %w", err)
					}
				}
				continue
			}
			rep.Valid++
			// All-or-nothing and already failed: keep validating, stop writing.
			if rep.Invalid == 0 || opt.SkipInvalid {
				item.row.Patient.OrganisationID = org.ID
				if err := w.Add(ctx, &item.row.Patient); err != nil {
					return rep, fmt.Errorf("line %d: %w", item.row.Line, err)
				}
			}
		}
		if opt.Progress != nil {
			opt.Progress(batch[len(batch)-1].bytesRead, rep.Rows)
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if rejects != nil {
		rejects.Flush()
		if err := rejects.Error(); err != nil {
			return rep, fmt.Errorf("write rejects: %w", err)
		}
	}
	if rep.Invalid > 0 && !opt.SkipInvalid {
		return rep, &pcnhub.Error{Code: pcnhub.EINVALID, Err: ErrInvalidRows,
			Message: fmt.Sprintf("%d of %d rows are invalid; nothing was imported", rep.Invalid, rep.Rows)}
	}
	if rep.Stats, err = w.Commit(ctx); err != nil {
		return rep, err
	}
	rep.Committed = true
	return rep, nil
}

// parsed is one row, or the error in reading it.
type parsed struct {
	row       patientcsv.Row
	err       error
	bytesRead int64
}

func isRowError(err error) bool {
	var re *patientcsv.RowError
	return errors.As(err, &re)
}

// batchSize is how many rows the reader hands over at a time.
const batchSize = 512

// readBatches reads every row of cr and sends them in batches; it ends the
// channel after the last row or after a fatal read error (sent as the last
// item). It stops early when ctx is cancelled.
func readBatches(ctx context.Context, cr *patientcsv.Reader, out chan<- []parsed) {
	defer close(out)
	batch := make([]parsed, 0, batchSize)
	send := func() bool {
		select {
		case out <- batch:
			batch = make([]parsed, 0, batchSize)
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		row, err := cr.Next()
		if err == io.EOF {
			break
		}
		batch = append(batch, parsed{row: row, err: err, bytesRead: cr.BytesRead()})
		if err != nil && !isRowError(err) {
			break
		}
		if len(batch) == batchSize && !send() {
			return
		}
	}
	if len(batch) > 0 {
		send()
	}
}

// audit records the import: organisation, counts and file name only.
func audit(ctx context.Context, s *sqlstore.Store, ods pcnhub.ODSCode, opt Options, rep *Report, err error) {
	outcome := "ok"
	if err != nil {
		outcome = pcnhub.ErrorCode(err)
	}
	s.AppendAudit(context.WithoutCancel(ctx), &pcnhub.AuditEvent{
		Action: "import.patients", Actor: opt.Actor, OrgODS: ods, Outcome: outcome,
		Detail: fmt.Sprintf("source %q: %d rows, %d valid, %d invalid; %d new, %d changed, %d unchanged; committed %t",
			opt.Source, rep.Rows, rep.Valid, rep.Invalid, rep.Stats.Inserted, rep.Stats.Updated, rep.Stats.Unchanged, rep.Committed),
	})
}

// Export writes every patient held by the organisation as CSV in the
// import format, in NHS-number order, and audits it. It returns the number
// of patients written. ENOTFOUND for an unknown organisation.
func Export(ctx context.Context, s *sqlstore.Store, ods pcnhub.ODSCode, w io.Writer, actor string) (n int, err error) {
	org, err := s.OrganisationByODS(ctx, ods)
	if err != nil {
		return 0, err
	}
	defer func() {
		outcome := "ok"
		if err != nil {
			outcome = pcnhub.ErrorCode(err)
		}
		s.AppendAudit(context.WithoutCancel(ctx), &pcnhub.AuditEvent{Action: "export.patients", Actor: actor,
			OrgODS: org.ODS, Outcome: outcome, Detail: fmt.Sprintf("%d patients", n)})
	}()
	cw := patientcsv.NewWriter(w)
	err = s.EachPatient(ctx, org.ID, func(p *pcnhub.Patient) error {
		n++
		return cw.Write(p)
	})
	if err != nil {
		return n, err
	}
	return n, cw.Flush()
}
