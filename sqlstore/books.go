package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
)

// BookOptions say how far ahead a book's slots are generated and against
// which calendar.
type BookOptions struct {
	// Now is the instant of the generation; slots that have started are
	// never touched. Zero: the store's clock.
	Now time.Time
	// Weeks is how far ahead slots are generated, from Now's date
	// (London); at least 1.
	Weeks int
	// BankHolidays are the days on which a book closed on bank holidays
	// runs no session.
	BankHolidays map[pcnhub.Date]bool
	// DryRun validates and works out the changes, then rolls back.
	DryRun bool
	// Actor is who acts, for the audit trail (e.g. "cli", a user name).
	Actor string
}

// BookResult is what importing or extending a book did (or, on a dry run,
// would do).
type BookResult struct {
	Organisation pcnhub.ODSCode
	From, To     pcnhub.Date // slots were generated for From ≤ date < To
	Sessions     int
	Inserted     int
	Updated      int
	Deleted      int
	Conflicts    []rota.Conflict
	DryRun       bool
}

// Changed reports whether any slot changed.
func (r *BookResult) Changed() int { return r.Inserted + r.Updated + r.Deleted }

// ImportBook validates b against what the store knows (the organisation,
// its practitioners and locations, every ODS code and group), and when it
// is valid stores it as the organisation's book, records the GPAD mapping
// of its slot types, and generates its slots opts.Weeks ahead — all in one
// transaction. An invalid book changes nothing: the error is EINVALID and
// wraps rota.Problems listing every problem. ENOTFOUND when the book's
// organisation does not exist.
func (s *Store) ImportBook(ctx context.Context, b *rota.Book, opts BookOptions) (*BookResult, error) {
	var res *BookResult
	err := s.withBookTx(ctx, opts.DryRun, func(tx *sql.Tx) error {
		org, err := orgByODSTx(ctx, s, tx, b.Organisation)
		if err != nil {
			return err
		}
		dir, ids, err := s.bookDirectory(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		if problems := rota.Validate(b, dir); len(problems) > 0 {
			noun := "problems"
			if len(problems) == 1 {
				noun = "problem"
			}
			return &pcnhub.Error{Code: pcnhub.EINVALID, Err: problems,
				Message: fmt.Sprintf("the book of %s has %d %s; nothing was changed", b.Organisation, len(problems), noun)}
		}
		rota.Normalize(b)
		if err := s.saveBook(ctx, tx, org.ID, b); err != nil {
			return err
		}
		for _, m := range rota.GPADMappings(b) {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO gpad_mappings (org_id, slot_type, category, setting, updated_us)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, slot_type) DO UPDATE SET category = excluded.category,
				setting = excluded.setting, updated_us = excluded.updated_us
				WHERE gpad_mappings.category <> excluded.category OR gpad_mappings.setting <> excluded.setting`),
				org.ID, m.SlotType, m.Category, m.Setting, s.clock.Now().UnixMicro()); err != nil {
				return err
			}
		}
		res, err = s.applyBook(ctx, tx, org, b, dir, ids, opts)
		return err
	})
	if err != nil {
		var pe *pcnhub.Error
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("import book of %s: %w", b.Organisation, err)
	}
	s.auditBook(ctx, "book.import", b.Organisation, res, opts)
	return res, nil
}

// ExtendBooks generates every stored book's slots opts.Weeks ahead (the
// background job of serve, and pcnhub schedule extend): idempotent, so
// running it again changes nothing until a day passes or something else
// changes. Each organisation is one transaction; a book that no longer
// validates (a practitioner it names was removed, say) is skipped with its
// problems in the returned error, and the others are still extended.
func (s *Store) ExtendBooks(ctx context.Context, only pcnhub.ODSCode, opts BookOptions) ([]BookResult, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT o.ods FROM books b JOIN organisations o ON o.id = b.org_id ORDER BY o.ods`))
	if err != nil {
		return nil, fmt.Errorf("extend books: %w", err)
	}
	var codes []pcnhub.ODSCode
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, fmt.Errorf("extend books: %w", err)
		}
		if only == "" || pcnhub.ODSCode(c) == only {
			codes = append(codes, pcnhub.ODSCode(c))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("extend books: %w", err)
	}
	if only != "" && len(codes) == 0 {
		return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "%s has no appointment book; import one with pcnhub rota import", only)
	}
	var out []BookResult
	var errs []error
	for _, ods := range codes {
		var res *BookResult
		err := s.withBookTx(ctx, opts.DryRun, func(tx *sql.Tx) error {
			org, err := orgByODSTx(ctx, s, tx, ods)
			if err != nil {
				return err
			}
			b, _, err := s.storedBookTx(ctx, tx, org.ID)
			if err != nil {
				return err
			}
			dir, ids, err := s.bookDirectory(ctx, tx, org.ID)
			if err != nil {
				return err
			}
			if problems := rota.Validate(b, dir); len(problems) > 0 {
				return &pcnhub.Error{Code: pcnhub.EINVALID, Err: problems,
					Message: fmt.Sprintf("the stored book of %s no longer validates; fix and import it again", ods)}
			}
			res, err = s.applyBook(ctx, tx, org, b, dir, ids, opts)
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ods, err))
			continue
		}
		out = append(out, *res)
		if res.Changed() > 0 || len(res.Conflicts) > 0 {
			s.auditBook(ctx, "book.extend", ods, res, opts)
		}
	}
	return out, errors.Join(errs...)
}

// Book returns an organisation's stored book and its version; ENOTFOUND
// when it has none.
func (s *Store) Book(ctx context.Context, ods pcnhub.ODSCode) (*rota.Book, int64, error) {
	org, err := s.OrganisationByODS(ctx, ods)
	if err != nil {
		return nil, 0, err
	}
	var body string
	var version int64
	err = s.db.QueryRowContext(ctx, s.q(`SELECT body, version FROM books WHERE org_id = ?`), org.ID).Scan(&body, &version)
	if err != nil {
		return nil, 0, notFound(err, "%s has no appointment book", ods)
	}
	var b rota.Book
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, 0, fmt.Errorf("book of %s: %w", ods, err)
	}
	return &b, version, nil
}

// withBookTx runs fn in a write transaction, committing unless dryRun.
func (s *Store) withBookTx(ctx context.Context, dryRun bool, fn func(tx *sql.Tx) error) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx.Tx); err != nil {
		tx.Rollback()
		return err
	}
	if dryRun {
		return tx.Rollback()
	}
	return tx.Commit()
}

func orgByODSTx(ctx context.Context, s *Store, tx *sql.Tx, ods pcnhub.ODSCode) (*pcnhub.Organisation, error) {
	var org pcnhub.Organisation
	err := tx.QueryRowContext(ctx, s.q(`SELECT id, ods FROM organisations WHERE ods = ?`), string(ods)).Scan(&org.ID, &org.ODS)
	if err != nil {
		return nil, notFound(err, "no organisation has ODS code %s", ods)
	}
	return &org, nil
}

func (s *Store) storedBookTx(ctx context.Context, tx *sql.Tx, orgID int64) (*rota.Book, int64, error) {
	var body string
	var version int64
	err := tx.QueryRowContext(ctx, s.q(`SELECT body, version FROM books WHERE org_id = ?`), orgID).Scan(&body, &version)
	if err != nil {
		return nil, 0, notFound(err, "no appointment book")
	}
	var b rota.Book
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, 0, err
	}
	return &b, version, nil
}

func (s *Store) saveBook(ctx context.Context, tx *sql.Tx, orgID int64, b *rota.Book) error {
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO books (org_id, body, updated_us) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET body = excluded.body, updated_us = excluded.updated_us,
		version = books.version + 1 WHERE books.body <> excluded.body`), orgID, string(body), s.clock.Now().UnixMicro())
	return err
}

// bookIDs resolve a book's names to row ids: practitioners by SDS user id,
// locations by name and by ODS site code.
type bookIDs struct {
	practitioners map[string]int64
	locations     map[string]int64
}

// bookDirectory reads, inside tx, what validating a book of orgID needs.
func (s *Store) bookDirectory(ctx context.Context, tx *sql.Tx, orgID int64) (rota.Directory, bookIDs, error) {
	dir := rota.Directory{Organisations: map[pcnhub.ODSCode]bool{}, Groups: map[string][]pcnhub.ODSCode{},
		Practitioners: map[string]bool{}, Locations: map[string]bool{}}
	ids := bookIDs{practitioners: map[string]int64{}, locations: map[string]int64{}}
	each := func(query string, scan func(*sql.Rows) error, args ...any) error {
		rows, err := tx.QueryContext(ctx, s.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := each(`SELECT ods FROM organisations`, func(r *sql.Rows) error {
		var c string
		err := r.Scan(&c)
		dir.Organisations[pcnhub.ODSCode(c)] = true
		return err
	})
	if err == nil {
		err = each(`SELECT g.name, COALESCE(m.ods, '') FROM organisation_groups g
			LEFT JOIN organisation_group_members m ON m.group_id = g.id ORDER BY g.name, m.ods`, func(r *sql.Rows) error {
			var name, ods string
			err := r.Scan(&name, &ods)
			members := dir.Groups[name]
			if ods != "" {
				members = append(members, pcnhub.ODSCode(ods))
			}
			dir.Groups[name] = members
			return err
		})
	}
	if err == nil {
		err = each(`SELECT id, sds_user_id FROM practitioners WHERE org_id = ? AND sds_user_id <> '' ORDER BY id`,
			func(r *sql.Rows) error {
				var id int64
				var sds string
				err := r.Scan(&id, &sds)
				if _, dup := ids.practitioners[sds]; !dup {
					ids.practitioners[sds] = id
				}
				dir.Practitioners[sds] = true
				return err
			}, orgID)
	}
	if err == nil {
		err = each(`SELECT id, name, site_ods FROM locations WHERE org_id = ? ORDER BY id`, func(r *sql.Rows) error {
			var id int64
			var name, site string
			err := r.Scan(&id, &name, &site)
			for _, k := range []string{name, site} {
				if _, dup := ids.locations[k]; k != "" && !dup {
					ids.locations[k] = id
					dir.Locations[k] = true
				}
			}
			return err
		}, orgID)
	}
	if err != nil {
		return rota.Directory{}, bookIDs{}, fmt.Errorf("read book directory: %w", err)
	}
	return dir, ids, nil
}

// applyBook brings the slots of a valid, normalized book's schedules in
// line with it over [today, today + weeks), inside tx. Sessions no longer
// in the book keep their schedule; their future free slots go.
func (s *Store) applyBook(ctx context.Context, tx *sql.Tx, org *pcnhub.Organisation, b *rota.Book, dir rota.Directory,
	ids bookIDs, opts BookOptions) (*BookResult, error) {
	now := opts.Now
	if now.IsZero() {
		now = s.clock.Now()
	}
	weeks := max(1, opts.Weeks)
	from := pcnhub.DateOf(now.In(pcnhub.London))
	to := from.AddDays(7 * weeks)
	res := &BookResult{Organisation: org.ODS, From: from, To: to, Sessions: len(b.Sessions), DryRun: opts.DryRun}

	// The schedule of every session, made on first sight.
	known := map[string]int64{}
	err := func() error {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT name, schedule_id FROM book_sessions WHERE org_id = ?`), org.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var id int64
			if err := rows.Scan(&name, &id); err != nil {
				return err
			}
			known[name] = id
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, err
	}
	stamp := now.UnixMicro()
	scheduleOf := make([]int64, len(b.Sessions))
	inBook := map[string]bool{}
	for i := range b.Sessions {
		sess := &b.Sessions[i]
		inBook[sess.Name] = true
		sc := &schedule.Schedule{ID: known[sess.Name], OrganisationID: org.ID, LocationID: ids.locations[sess.Location],
			PractitionerID: ids.practitioners[sess.Practitioner], ServiceCategory: sess.SessionName,
			PractitionerRoleCode: sess.Role, PractitionerRoleDisplay: sess.RoleDisplayText()}
		if !sess.From.IsZero() {
			sc.PlanningStart = sess.From.Time(pcnhub.London)
		}
		if !sess.Until.IsZero() {
			sc.PlanningEnd = sess.Until.AddDays(1).Time(pcnhub.London)
		}
		id, err := s.upsertScheduleTx(ctx, tx, sc, stamp)
		if err != nil {
			return nil, fmt.Errorf("session %q: %w", sess.Name, err)
		}
		if sc.ID == 0 {
			sc.ID = id
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO book_sessions (org_id, name, schedule_id) VALUES (?, ?, ?)`),
				org.ID, sess.Name, id); err != nil {
				return nil, fmt.Errorf("session %q: %w", sess.Name, err)
			}
		}
		scheduleOf[i] = sc.ID
	}

	// Which days to bring in line: while nothing the slots were made from
	// has changed (same fingerprint), the days already generated are in
	// line and only later ones are made; otherwise every day from today to
	// the furthest day ever generated.
	fp := bookFingerprint(b, dir.Groups, opts.BankHolidays)
	var through, oldFP string
	if err := tx.QueryRowContext(ctx, s.q(`SELECT generated_through, generated_fingerprint FROM books WHERE org_id = ?`),
		org.ID).Scan(&through, &oldFP); err != nil {
		return nil, err
	}
	genFrom, genTo := from, to
	oldThrough, _ := pcnhub.ParseDate(through)
	switch {
	case oldFP == fp && from.Before(oldThrough):
		genFrom = oldThrough
	case to.Before(oldThrough):
		genTo = oldThrough
	}
	newThrough := to
	if to.Before(oldThrough) {
		newThrough = oldThrough
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE books SET generated_through = ?, generated_fingerprint = ? WHERE org_id = ?`),
		newThrough.String(), fp, org.ID); err != nil {
		return nil, err
	}
	if !genFrom.Before(genTo) {
		return res, nil // every day of the horizon is already in line
	}
	first := genFrom.Time(pcnhub.London)
	if first.Before(now) {
		first = now
	}

	// What the schedules hold on those days.
	have := map[int64][]schedule.Slot{}
	err = func() error {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT `+slotColumns+` FROM slots WHERE org_id = ? AND start_us > ? AND start_us < ?
			AND schedule_id IN (SELECT schedule_id FROM book_sessions WHERE org_id = ?) ORDER BY schedule_id, start_us`),
			org.ID, first.UnixMicro(), genTo.Time(pcnhub.London).UnixMicro(), org.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sl schedule.Slot
			if err := scanSlot(rows, &sl); err != nil {
				return err
			}
			have[sl.ScheduleID] = append(have[sl.ScheduleID], sl)
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, err
	}

	want := rota.Generate(b, genFrom, genTo, rota.Env{BankHolidays: opts.BankHolidays, Groups: dir.Groups})
	w, err := s.newSlotWriter(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer w.full.Close()
	var ch slotChanges
	for i := range b.Sessions {
		c, conflicts := rota.Reconcile(b.Sessions[i].Name, want[i], have[scheduleOf[i]], now)
		for k := range c.Insert {
			c.Insert[k].ScheduleID = scheduleOf[i]
			if err := w.Add(ctx, &c.Insert[k]); err != nil {
				return nil, err
			}
		}
		ch.add(c, b.Sessions[i].Name)
		res.Conflicts = append(res.Conflicts, conflicts...)
	}
	for name, id := range known {
		if !inBook[name] {
			c, conflicts := rota.Reconcile(name, nil, have[id], now)
			ch.add(c, name)
			res.Conflicts = append(res.Conflicts, conflicts...)
		}
	}
	if err := w.flush(ctx); err != nil {
		return nil, err
	}
	res.Inserted = w.stats.Inserted
	if err := s.writeSlotChanges(ctx, tx, &ch, res); err != nil {
		return nil, err
	}
	return res, nil
}

type slotChanges struct {
	update  []schedule.Slot
	session map[int64]string // slot id → session name, for conflicts
	delete  []int64
}

func (c *slotChanges) add(ch rota.Changes, session string) {
	if c.session == nil {
		c.session = map[int64]string{}
	}
	c.update = append(c.update, ch.Update...)
	c.delete = append(c.delete, ch.Delete...)
	for _, u := range ch.Update {
		c.session[u.ID] = session
	}
}

// writeSlotChanges updates and deletes slots. Every statement is guarded
// by the version read, so a slot booked meanwhile (by another replica on
// PostgreSQL) is left alone and reported as a conflict.
func (s *Store) writeSlotChanges(ctx context.Context, tx *sql.Tx, ch *slotChanges, res *BookResult) error {
	if len(ch.update) > 0 {
		upd, err := tx.PrepareContext(ctx, s.q(`UPDATE slots SET end_us = ?, status = ?, service_type = ?, delivery_channel = ?,
			bookable = ?, org_types = ?, ods_codes = ?, booking_window_us = ?, embargo_us = ?, version = version + 1
			WHERE id = ? AND version = ?`))
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, u := range ch.update {
			r, err := upd.ExecContext(ctx, u.End.UnixMicro(), string(u.Status), u.ServiceType, string(u.DeliveryChannel),
				u.Bookable, joinWords(orgTypeWords(u.OrgTypes)), joinWords(odsWords(u.ODSCodes)),
				u.BookingWindow.Microseconds(), u.Embargo.Microseconds(), u.ID, u.Version)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 1 {
				res.Updated++
			} else {
				res.Conflicts = append(res.Conflicts, rota.Conflict{Session: ch.session[u.ID], SlotID: u.ID, Start: u.Start, End: u.End,
					Reason: "changed (booked or freed) while the book was applied; run the generation again"})
			}
		}
	}
	if len(ch.delete) > 0 {
		// A slot an appointment ever held (a cancelled one) cannot be
		// deleted; it becomes entered-in-error, which no search returns.
		del, err := tx.PrepareContext(ctx, s.q(`DELETE FROM slots WHERE id = ? AND status <> 'busy'
			AND NOT EXISTS (SELECT 1 FROM appointment_slots a WHERE a.slot_id = slots.id)`))
		if err != nil {
			return err
		}
		defer del.Close()
		retire, err := tx.PrepareContext(ctx, s.q(`UPDATE slots SET status = 'entered-in-error', version = version + 1
			WHERE id = ? AND status NOT IN ('busy', 'entered-in-error')`))
		if err != nil {
			return err
		}
		defer retire.Close()
		for _, id := range ch.delete {
			r, err := del.ExecContext(ctx, id)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 1 {
				res.Deleted++
				continue
			}
			if r, err = retire.ExecContext(ctx, id); err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 1 {
				res.Deleted++
			}
		}
	}
	return nil
}

func orgTypeWords(ts []pcnhub.OrgType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

func odsWords(cs []pcnhub.ODSCode) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// auditBook records a book change: counts only.
func (s *Store) auditBook(ctx context.Context, action string, ods pcnhub.ODSCode, res *BookResult, opts BookOptions) {
	if opts.DryRun || res == nil {
		return
	}
	actor := opts.Actor
	if actor == "" {
		actor = "system"
	}
	detail := fmt.Sprintf("sessions=%d inserted=%d updated=%d deleted=%d conflicts=%d through=%s",
		res.Sessions, res.Inserted, res.Updated, res.Deleted, len(res.Conflicts), res.To.AddDays(-1))
	// The book is configuration, not patient data; an audit failure is
	// reported by the audit writer and does not undo the change.
	_ = s.AppendAudit(ctx, &pcnhub.AuditEvent{At: s.clock.Now(), Action: action, Actor: actor, OrgODS: ods,
		Outcome: "ok", Detail: strings.TrimSpace(detail)})
}

// bookFingerprint is a digest of everything a book's slots are made from:
// the book itself, the members of the groups it names, and the bank
// holidays.
func bookFingerprint(b *rota.Book, groups map[string][]pcnhub.ODSCode, holidays map[pcnhub.Date]bool) string {
	h := sha256.New()
	body, _ := json.Marshal(b)
	h.Write(body)
	named := map[string]bool{}
	add := func(r rota.Restrictions) {
		for _, g := range r.Groups {
			named[g] = true
		}
	}
	for _, sess := range b.Sessions {
		add(sess.Restrictions)
		for _, r := range sess.Slots {
			if r.Restrictions != nil {
				add(*r.Restrictions)
			}
		}
	}
	for _, g := range slices.Sorted(maps.Keys(named)) {
		members := slices.Clone(groups[g])
		slices.Sort(members)
		fmt.Fprintf(h, "\x00group %q %v", g, members)
	}
	days := make([]string, 0, len(holidays))
	for d, on := range holidays {
		if on {
			days = append(days, d.String())
		}
	}
	slices.Sort(days)
	fmt.Fprintf(h, "\x00holidays %v", days)
	return hex.EncodeToString(h.Sum(nil))
}
