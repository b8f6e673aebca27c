package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// Appointment books: schedules, slots, appointments (migration 0002).
//
// Booking takes each slot with
//
//	UPDATE slots SET status = 'busy', version = version + 1 WHERE id = ? AND status = 'free'
//
// and a rows-affected check, in the transaction that inserts the
// appointment: on PostgreSQL a second booker waits on the row lock and then
// finds the slot busy; on SQLite transactions are IMMEDIATE, so bookers
// queue on the write lock. Either way exactly one wins. A partial unique
// index on appointment_slots (slot_id WHERE active) backs the rule that a
// slot is held by at most one live appointment.

// usOf and timeOf convert instants to and from the microsecond columns;
// the zero time is stored as 0 ("not stated").
func usOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func timeOf(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// nullID stores an optional reference: 0 is NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// ---- Schedules

var scheduleCols = []string{"org_id", "location_id", "practitioner_id", "service_category",
	"practitioner_role_code", "practitioner_role_display", "planning_start_us", "planning_end_us"}

// UpsertSchedule stores sc and returns its id. With sc.ID set it creates
// or replaces the schedule with that id (seeds use stable ids); with
// sc.ID zero it creates a new one. The version moves only when a field
// changes, so storing the same schedule again changes nothing. When the
// organisation changes, the schedule's slots follow it. EINVALID without
// an organisation or location; a reference to an unknown organisation,
// location or practitioner fails on the foreign key.
func (s *Store) UpsertSchedule(ctx context.Context, sc *schedule.Schedule) (int64, error) {
	if sc.OrganisationID == 0 || sc.LocationID == 0 {
		return 0, pcnhub.Errorf(pcnhub.EINVALID, "a schedule needs an organisation and a location")
	}
	if !sc.PlanningEnd.IsZero() && !sc.PlanningStart.IsZero() && sc.PlanningEnd.Before(sc.PlanningStart) {
		return 0, pcnhub.Errorf(pcnhub.EINVALID, "schedule %d: planning horizon ends before it starts", sc.ID)
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.upsertScheduleTx(ctx, tx, sc, s.clock.Now().UnixMicro()); err != nil {
			return err
		}
		if sc.ID != 0 {
			return s.syncIdentity(ctx, tx, "schedules")
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("upsert schedule: %w", err)
	}
	return id, nil
}

// upsertScheduleTx is UpsertSchedule's work inside tx, without moving the
// PostgreSQL identity past an explicit id (the caller does that once).
func (s *Store) upsertScheduleTx(ctx context.Context, tx *sql.Tx, sc *schedule.Schedule, now int64) (int64, error) {
	args := []any{sc.OrganisationID, sc.LocationID, nullID(sc.PractitionerID), sc.ServiceCategory,
		sc.PractitionerRoleCode, sc.PractitionerRoleDisplay, usOf(sc.PlanningStart), usOf(sc.PlanningEnd)}
	cols := strings.Join(scheduleCols, ", ")
	id := sc.ID
	if id == 0 {
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO schedules (`+cols+`, updated_us) VALUES (`+
			placeholders(len(scheduleCols)+1)+`) RETURNING id`), append(args, now)...).Scan(&id)
		return id, err
	}
	set := make([]string, len(scheduleCols))
	changed := make([]string, len(scheduleCols))
	for i, c := range scheduleCols {
		set[i] = c + " = excluded." + c
		changed[i] = "schedules." + c + " IS DISTINCT FROM excluded." + c
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schedules (id, `+cols+`, updated_us) VALUES (`+
		placeholders(len(scheduleCols)+2)+`) ON CONFLICT (id) DO UPDATE SET `+strings.Join(set, ", ")+
		`, updated_us = excluded.updated_us, version = schedules.version + 1 WHERE `+strings.Join(changed, " OR ")),
		append(append([]any{id}, args...), now)...); err != nil {
		return 0, err
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE slots SET org_id = ? WHERE schedule_id = ? AND org_id <> ?`),
		sc.OrganisationID, id, sc.OrganisationID)
	return id, err
}

const scheduleColumns = `id, org_id, location_id, practitioner_id, service_category, practitioner_role_code,
	practitioner_role_display, planning_start_us, planning_end_us, version`

func scanSchedule(row interface{ Scan(...any) error }) (*schedule.Schedule, error) {
	var sc schedule.Schedule
	var pract sql.NullInt64
	var start, end int64
	if err := row.Scan(&sc.ID, &sc.OrganisationID, &sc.LocationID, &pract, &sc.ServiceCategory, &sc.PractitionerRoleCode,
		&sc.PractitionerRoleDisplay, &start, &end, &sc.Version); err != nil {
		return nil, err
	}
	sc.PractitionerID, sc.PlanningStart, sc.PlanningEnd = pract.Int64, timeOf(start), timeOf(end)
	return &sc, nil
}

// ScheduleByID returns the schedule. ENOTFOUND.
func (s *Store) ScheduleByID(ctx context.Context, id int64) (*schedule.Schedule, error) {
	sc, err := scanSchedule(s.db.QueryRowContext(ctx, s.q(`SELECT `+scheduleColumns+` FROM schedules WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "schedule %d not found", id)
	}
	return sc, nil
}

// SchedulesByID returns the schedules with the given ids that exist, by
// id; unknown ids are left out.
func (s *Store) SchedulesByID(ctx context.Context, ids []int64) (map[int64]*schedule.Schedule, error) {
	out := make(map[int64]*schedule.Schedule, len(ids))
	for chunk := range slices.Chunk(dedupe(ids), 500) {
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+scheduleColumns+` FROM schedules WHERE id IN (`+
			placeholders(len(chunk))+`)`), int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			sc, err := scanSchedule(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[sc.ID] = sc
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func dedupe(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// ---- Slots

const slotColumns = `id, schedule_id, start_us, end_us, status, service_type, delivery_channel, bookable,
	org_types, ods_codes, booking_window_us, embargo_us, version`

func scanSlot(row interface{ Scan(...any) error }, sl *schedule.Slot) error {
	var start, end, window, embargo int64
	var status, channel, types, ods string
	if err := row.Scan(&sl.ID, &sl.ScheduleID, &start, &end, &status, &sl.ServiceType, &channel, &sl.Bookable,
		&types, &ods, &window, &embargo, &sl.Version); err != nil {
		return err
	}
	sl.Start, sl.End, sl.Status, sl.DeliveryChannel = timeOf(start), timeOf(end), schedule.SlotStatus(status), schedule.DeliveryChannel(channel)
	sl.BookingWindow, sl.Embargo = time.Duration(window)*time.Microsecond, time.Duration(embargo)*time.Microsecond
	sl.OrgTypes, sl.ODSCodes = nil, nil
	for _, t := range splitWords(types) {
		sl.OrgTypes = append(sl.OrgTypes, pcnhub.OrgType(t))
	}
	for _, c := range splitWords(ods) {
		sl.ODSCodes = append(sl.ODSCodes, pcnhub.ODSCode(c))
	}
	return nil
}

func (s *Store) querySlots(ctx context.Context, query string, args ...any) ([]schedule.Slot, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schedule.Slot
	for rows.Next() {
		var sl schedule.Slot
		if err := scanSlot(rows, &sl); err != nil {
			return nil, err
		}
		out = append(out, sl)
	}
	return out, rows.Err()
}

// FreeSlots returns the free slots of an organisation's schedules that lie
// wholly inside [from, to] (start ≥ from, end ≤ to), by start then id.
// Whether a consumer may see them is the caller's business
// (schedule.Slot.VisibleTo).
func (s *Store) FreeSlots(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Slot, error) {
	out, err := s.querySlots(ctx, `SELECT `+slotColumns+` FROM slots
		WHERE org_id = ? AND status = 'free' AND start_us >= ? AND start_us < ? AND end_us <= ?
		ORDER BY start_us, id`, orgID, from.UnixMicro(), to.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("free slots: %w", err)
	}
	return out, nil
}

// SlotsByID returns the slots with the given ids that exist, by id;
// unknown ids are left out (schedule.MatchSlots finds them).
func (s *Store) SlotsByID(ctx context.Context, ids []int64) ([]schedule.Slot, error) {
	var out []schedule.Slot
	for chunk := range slices.Chunk(dedupe(ids), 500) {
		got, err := s.querySlots(ctx, `SELECT `+slotColumns+` FROM slots WHERE id IN (`+placeholders(len(chunk))+`) ORDER BY id`,
			int64Args(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("slots by id: %w", err)
		}
		out = append(out, got...)
	}
	return out, nil
}

// slotInsertCols are the columns a slot write sets, in Add's order.
var slotInsertCols = []string{"schedule_id", "org_id", "start_us", "end_us", "status", "service_type",
	"delivery_channel", "bookable", "org_types", "ods_codes", "booking_window_us", "embargo_us"}

// slotBatchRows is the number of slots per INSERT (12 parameters each).
const slotBatchRows = 400

func slotInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO slots (" + strings.Join(slotInsertCols, ", ") + ") VALUES ")
	row := "(" + placeholders(len(slotInsertCols)) + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(" ON CONFLICT (schedule_id, start_us) DO NOTHING")
	return b.String()
}

// SlotWriter inserts many slots in one transaction, keyed by (schedule,
// start). A slot whose key is already stored is left exactly as it is —
// its status (a booked slot stays booked), type, channel and restrictions
// — and counted as unchanged. Nothing is visible to others before Commit.
type SlotWriter struct {
	s     *Store
	tx    *writeTx // owned: committed by Commit; nil inside another write
	db    *sql.Tx  // where the rows go
	full  *sql.Stmt
	args  []any
	rows  int
	orgOf map[int64]int64 // schedule id → organisation id
	// batchOrgs are the organisations of the rows waiting in args.
	batchOrgs map[int64]bool
	stats     UpsertStats
	done      bool
}

// BeginSlotWrite starts a bulk insert of slots.
func (s *Store) BeginSlotWrite(ctx context.Context) (*SlotWriter, error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin slot write: %w", err)
	}
	w, err := s.newSlotWriter(ctx, tx.Tx)
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin slot write: %w", err)
	}
	w.tx = tx
	return w, nil
}

// newSlotWriter is a SlotWriter adding rows to tx, a write transaction its
// caller owns (the caller calls flush, never Commit).
func (s *Store) newSlotWriter(ctx context.Context, tx *sql.Tx) (*SlotWriter, error) {
	full, err := tx.PrepareContext(ctx, s.q(slotInsertSQL(slotBatchRows)))
	if err != nil {
		return nil, err
	}
	return &SlotWriter{s: s, db: tx, full: full, args: make([]any, 0, slotBatchRows*len(slotInsertCols)),
		orgOf: map[int64]int64{}, batchOrgs: map[int64]bool{}}, nil
}

// Add queues sl (its ID and Version are ignored; an empty Status means
// free). EINVALID when the slot has no schedule, does not end after it
// starts, has an unknown status or channel, or is a bookable Visit slot;
// ENOTFOUND when its schedule does not exist.
func (w *SlotWriter) Add(ctx context.Context, sl *schedule.Slot) error {
	if w.done {
		return fmt.Errorf("slot write: already finished")
	}
	status := sl.Status
	if status == "" {
		status = schedule.SlotFree
	}
	switch {
	case sl.ScheduleID == 0:
		return pcnhub.Errorf(pcnhub.EINVALID, "slot write: a slot needs a schedule")
	case !sl.End.After(sl.Start):
		return pcnhub.Errorf(pcnhub.EINVALID, "slot write: a slot of schedule %d at %s does not end after it starts", sl.ScheduleID, sl.Start)
	case !status.Valid():
		return pcnhub.Errorf(pcnhub.EINVALID, "slot write: status %q", sl.Status)
	case !sl.DeliveryChannel.Valid():
		return pcnhub.Errorf(pcnhub.EINVALID, "slot write: delivery channel %q", sl.DeliveryChannel)
	case sl.DeliveryChannel == schedule.Visit && sl.Bookable:
		return pcnhub.Errorf(pcnhub.EINVALID, "slot write: a Visit slot can never be GP Connect bookable")
	case sl.BookingWindow < 0 || sl.Embargo < 0:
		return pcnhub.Errorf(pcnhub.EINVALID, "slot write: negative booking window or embargo")
	}
	org, ok := w.orgOf[sl.ScheduleID]
	if !ok {
		err := w.db.QueryRowContext(ctx, w.s.q(`SELECT org_id FROM schedules WHERE id = ?`), sl.ScheduleID).Scan(&org)
		if err != nil {
			return notFound(err, "slot write: schedule %d not found", sl.ScheduleID)
		}
		w.orgOf[sl.ScheduleID] = org
	}
	types := make([]string, len(sl.OrgTypes))
	for i, t := range sl.OrgTypes {
		types[i] = string(t)
	}
	ods := make([]string, len(sl.ODSCodes))
	for i, c := range sl.ODSCodes {
		ods[i] = string(c)
	}
	w.batchOrgs[org] = true
	w.args = append(w.args, sl.ScheduleID, org, sl.Start.UnixMicro(), sl.End.UnixMicro(), string(status), sl.ServiceType,
		string(sl.DeliveryChannel), sl.Bookable, joinWords(types), joinWords(ods),
		sl.BookingWindow.Microseconds(), sl.Embargo.Microseconds())
	w.rows++
	if w.rows == slotBatchRows {
		return w.flush(ctx)
	}
	return nil
}

func (w *SlotWriter) flush(ctx context.Context) error {
	if w.rows == 0 {
		return nil
	}
	// RowsAffected counts the rows inserted (DO NOTHING skips the rest) on
	// both engines; RETURNING would cost SQLite a temporary table.
	var r sql.Result
	var err error
	if w.rows == slotBatchRows {
		r, err = w.full.ExecContext(ctx, w.args...)
	} else {
		r, err = w.db.ExecContext(ctx, w.s.q(slotInsertSQL(w.rows)), w.args...)
	}
	if err != nil {
		return fmt.Errorf("slot write: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return fmt.Errorf("slot write: %w", err)
	}
	if n > 0 && w.s.dialect != Postgres {
		// SQLite has no statement trigger to move the book versions
		// (migration 0008); this is it.
		for org := range w.batchOrgs {
			if _, err := w.db.ExecContext(ctx, `UPDATE cache_versions SET version = version + 1 WHERE scope = ?`,
				"book:"+strconv.FormatInt(org, 10)); err != nil {
				return fmt.Errorf("slot write: %w", err)
			}
		}
	}
	clear(w.batchOrgs)
	inserted := int(n)
	w.stats.Inserted += inserted
	w.stats.Unchanged += w.rows - inserted
	w.args, w.rows = w.args[:0], 0
	return nil
}

// Commit writes the last batch and commits; it returns how many slots
// were inserted and how many already existed (Unchanged). On error
// nothing is written.
func (w *SlotWriter) Commit(ctx context.Context) (UpsertStats, error) {
	if w.done {
		return w.stats, fmt.Errorf("slot write: already finished")
	}
	w.done = true
	defer w.full.Close()
	if err := w.flush(ctx); err != nil {
		w.tx.Rollback()
		return UpsertStats{}, err
	}
	if err := w.tx.Commit(); err != nil {
		return UpsertStats{}, fmt.Errorf("slot write: %w", err)
	}
	return w.stats, nil
}

// Rollback abandons the write; it is safe to call after Commit.
func (w *SlotWriter) Rollback() error {
	if w.done {
		return nil
	}
	w.done = true
	w.full.Close()
	return w.tx.Rollback()
}

// ---- Appointments

// bookingOrgDoc and identifierDoc are the JSON documents in
// appointments.booking_org and appointments.identifiers: a storage format.
type bookingOrgDoc struct {
	ODS     string                `json:"ods,omitempty"`
	Name    string                `json:"name,omitempty"`
	Telecom []pcnhub.ContactPoint `json:"telecom,omitempty"`
	Type    string                `json:"type,omitempty"`
}

type identifierDoc struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

func encodeBookingOrg(o schedule.BookingOrganisation) string {
	b, _ := json.Marshal(bookingOrgDoc{string(o.ODS), o.Name, o.Telecom, string(o.Type)})
	return string(b)
}

func encodeIdentifiers(ids []schedule.Identifier) string {
	docs := make([]identifierDoc, len(ids))
	for i, id := range ids {
		docs[i] = identifierDoc(id)
	}
	b, _ := json.Marshal(docs)
	return string(b)
}

const appointmentColumns = `id, org_id, patient_id, location_id, practitioner_id, schedule_id, start_us, end_us,
	status, description, comment, cancellation_reason, created_us, booking_org, identifiers, service_type,
	service_category, delivery_channel, practitioner_role_code, practitioner_role_display, booked_via,
	version, updated_us, arrived_us, outcome_us, cancelled_by`

func scanAppointment(row interface{ Scan(...any) error }) (*schedule.Appointment, error) {
	var a schedule.Appointment
	var pract sql.NullInt64
	var start, end, created, updated, arrived, outcome int64
	var status, org, ids, channel string
	if err := row.Scan(&a.ID, &a.OrganisationID, &a.PatientID, &a.LocationID, &pract, &a.ScheduleID, &start, &end,
		&status, &a.Description, &a.Comment, &a.CancellationReason, &created, &org, &ids, &a.ServiceType,
		&a.ServiceCategory, &channel, &a.PractitionerRoleCode, &a.PractitionerRoleDisplay, &a.BookedVia,
		&a.Version, &updated, &arrived, &outcome, &a.CancelledBy); err != nil {
		return nil, err
	}
	if arrived != 0 {
		a.ArrivedAt = timeOf(arrived)
	}
	if outcome != 0 {
		a.OutcomeAt = timeOf(outcome)
	}
	a.PractitionerID, a.Start, a.End, a.Created, a.Updated = pract.Int64, timeOf(start), timeOf(end), timeOf(created), timeOf(updated)
	a.Status, a.DeliveryChannel = schedule.AppointmentStatus(status), schedule.DeliveryChannel(channel)
	var o bookingOrgDoc
	if err := json.Unmarshal([]byte(org), &o); err != nil {
		return nil, fmt.Errorf("appointment %d booking organisation: %w", a.ID, err)
	}
	a.BookingOrganisation = schedule.BookingOrganisation{ODS: pcnhub.ODSCode(o.ODS), Name: o.Name, Telecom: o.Telecom, Type: pcnhub.OrgType(o.Type)}
	var docs []identifierDoc
	if err := json.Unmarshal([]byte(ids), &docs); err != nil {
		return nil, fmt.Errorf("appointment %d identifiers: %w", a.ID, err)
	}
	for _, d := range docs {
		a.Identifiers = append(a.Identifiers, schedule.Identifier(d))
	}
	return &a, nil
}

// BookAppointment stores a new appointment and takes its slots, in one
// transaction: each slot goes from free to busy (its version moves) or
// nothing is written. It fills in a.ID, a.Version (1), a.Updated, a.Status
// (booked when empty) and a.Created (now when zero).
//
// It checks only what keeps the book consistent; the GP Connect rules
// (schedule.CheckSlotsForBooking) are the caller's. Errors: ECONFLICT with
// Spine code DUPLICATE_REJECTED when a slot is no longer free; EINVALID
// for a missing organisation, patient, location, schedule or slot, a slot
// that does not exist or is named twice, an end not after the start, a
// status that is cancelled or unknown, or an unknown BookedVia.
func (s *Store) BookAppointment(ctx context.Context, a *schedule.Appointment) error {
	if a.Status == "" {
		a.Status = schedule.Booked
	}
	switch {
	case a.OrganisationID == 0 || a.PatientID == 0 || a.LocationID == 0 || a.ScheduleID == 0:
		return pcnhub.Errorf(pcnhub.EINVALID, "an appointment needs an organisation, a patient, a location and a schedule")
	case len(a.SlotIDs) == 0:
		return pcnhub.Errorf(pcnhub.EINVALID, "an appointment needs at least one slot")
	case len(dedupe(a.SlotIDs)) != len(a.SlotIDs):
		return pcnhub.Errorf(pcnhub.EINVALID, "an appointment names a slot twice")
	case !a.End.After(a.Start):
		return pcnhub.Errorf(pcnhub.EINVALID, "an appointment must end after it starts")
	case !a.Status.Valid() || a.Status == schedule.Cancelled:
		return pcnhub.Errorf(pcnhub.EINVALID, "a new appointment cannot have status %q", a.Status)
	case a.BookedVia != schedule.BookedViaGPConnect && a.BookedVia != schedule.BookedViaPractice:
		return pcnhub.Errorf(pcnhub.EINVALID, "booked via %q: want %s or %s", a.BookedVia, schedule.BookedViaGPConnect, schedule.BookedViaPractice)
	case a.DeliveryChannel != "" && !a.DeliveryChannel.Valid():
		return pcnhub.Errorf(pcnhub.EINVALID, "delivery channel %q", a.DeliveryChannel)
	}
	now := timeOf(s.clock.Now().UnixMicro()) // as stored: UTC, whole microseconds
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.bookTx(ctx, tx, a, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("book appointment: %w", err)
	}
	a.ID, a.Version, a.Updated = id, 1, now
	if a.Created.IsZero() {
		a.Created = now
	}
	return nil
}

// bookTx takes a's slots (in id order, so that two bookers never wait on
// each other crosswise) and inserts the appointment and its slot links.
func (s *Store) bookTx(ctx context.Context, tx *sql.Tx, a *schedule.Appointment, now time.Time) (int64, error) {
	for _, slot := range dedupe(a.SlotIDs) {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE slots SET status = 'busy', version = version + 1 WHERE id = ? AND status = 'free'`), slot)
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, err
		} else if n != 1 {
			var exists int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM slots WHERE id = ?`), slot).Scan(&exists); err != nil {
				return 0, err
			}
			if exists == 0 {
				return 0, pcnhub.Errorf(pcnhub.EINVALID, "slot %d does not exist", slot)
			}
			return 0, &pcnhub.Error{Code: pcnhub.ECONFLICT, Spine: "DUPLICATE_REJECTED",
				Message: "slot " + strconv.FormatInt(slot, 10) + " is no longer free"}
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, s.q(appointmentInsertSQL(1)+` RETURNING id`), appointmentArgs(nil, a, now)...).Scan(&id)
	if err != nil {
		return 0, err
	}
	for _, slot := range a.SlotIDs {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO appointment_slots (appointment_id, slot_id, active) VALUES (?, ?, ?)`),
			id, slot, true); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// appointmentInsertCols are the columns of a new appointment, in
// appointmentArgs order.
var appointmentInsertCols = []string{"org_id", "patient_id", "location_id", "practitioner_id", "schedule_id",
	"start_us", "end_us", "status", "description", "comment", "cancellation_reason", "created_us", "booking_org",
	"identifiers", "service_type", "service_category", "delivery_channel", "practitioner_role_code",
	"practitioner_role_display", "booked_via", "version", "updated_us"}

// appointmentInsertSQL inserts n appointments.
func appointmentInsertSQL(n int) string {
	row := "(" + placeholders(len(appointmentInsertCols)) + ")"
	return "INSERT INTO appointments (" + strings.Join(appointmentInsertCols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// appointmentArgs appends the values of a new appointment (version 1,
// created now when a.Created is zero, updated now).
func appointmentArgs(args []any, a *schedule.Appointment, now time.Time) []any {
	created := a.Created
	if created.IsZero() {
		created = now
	}
	return append(args, a.OrganisationID, a.PatientID, a.LocationID, nullID(a.PractitionerID), a.ScheduleID,
		a.Start.UnixMicro(), a.End.UnixMicro(), string(a.Status), a.Description, a.Comment, a.CancellationReason,
		created.UnixMicro(), encodeBookingOrg(a.BookingOrganisation), encodeIdentifiers(a.Identifiers), a.ServiceType,
		a.ServiceCategory, string(a.DeliveryChannel), a.PractitionerRoleCode, a.PractitionerRoleDisplay, a.BookedVia,
		1, now.UnixMicro())
}

// AppointmentByID returns the appointment with its slot ids. ENOTFOUND.
func (s *Store) AppointmentByID(ctx context.Context, id int64) (*schedule.Appointment, error) {
	a, err := scanAppointment(s.db.QueryRowContext(ctx, s.q(`SELECT `+appointmentColumns+` FROM appointments WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "appointment %d not found", id)
	}
	ids, err := s.slotIDsOf(ctx, `appointment_id = ?`, id)
	if err != nil {
		return nil, err
	}
	a.SlotIDs = ids[id]
	return a, nil
}

// slotIDsOf returns the slot ids of the appointments matching where (a
// condition on appointment_slots), by appointment, each in slot id order.
// A cancelled appointment keeps the ids of the slots it held.
func (s *Store) slotIDsOf(ctx context.Context, where string, args ...any) (map[int64][]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT appointment_id, slot_id FROM appointment_slots WHERE `+where+
		` ORDER BY appointment_id, slot_id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var a, sl int64
		if err := rows.Scan(&a, &sl); err != nil {
			return nil, err
		}
		out[a] = append(out[a], sl)
	}
	return out, rows.Err()
}

// AppointmentsForPatient returns every appointment (any status, cancelled
// included) of the patient record whose start is in [from, to), by start
// then id, with their slot ids.
func (s *Store) AppointmentsForPatient(ctx context.Context, patientID int64, from, to time.Time) ([]schedule.Appointment, error) {
	out, err := s.appointmentsWhere(ctx, `patient_id = ? AND start_us >= ? AND start_us < ?`, patientID, from.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("appointments for patient: %w", err)
	}
	return out, nil
}

// AppointmentsBetween returns every appointment (any status) of an
// organisation whose start is in [from, to), by start.
func (s *Store) AppointmentsBetween(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Appointment, error) {
	out, err := s.appointmentsWhere(ctx, `org_id = ? AND start_us >= ? AND start_us < ?`, orgID, from.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("appointments between: %w", err)
	}
	return out, nil
}

// SlotsBetween returns every slot (any status) of an organisation lying
// wholly inside [from, to], by start.
func (s *Store) SlotsBetween(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Slot, error) {
	out, err := s.querySlots(ctx, `SELECT `+slotColumns+` FROM slots
		WHERE org_id = ? AND start_us >= ? AND start_us < ? AND end_us <= ? ORDER BY start_us, id`,
		orgID, from.UnixMicro(), to.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("slots between: %w", err)
	}
	return out, nil
}

// BookableSlotsBetween is SlotsBetween for the GP Connect bookable slots
// only: what the NHS 111 duty report needs, read through a small index.
func (s *Store) BookableSlotsBetween(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Slot, error) {
	bookable := "bookable = 1"
	if s.dialect == Postgres {
		bookable = "bookable"
	}
	out, err := s.querySlots(ctx, `SELECT `+slotColumns+` FROM slots
		WHERE org_id = ? AND `+bookable+` AND start_us >= ? AND start_us < ? AND end_us <= ? ORDER BY start_us, id`,
		orgID, from.UnixMicro(), to.UnixMicro(), to.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("bookable slots between: %w", err)
	}
	return out, nil
}

// appointmentsWhere returns the appointments matching a condition on the
// appointments table, by start, each with its slot ids.
func (s *Store) appointmentsWhere(ctx context.Context, where string, args ...any) ([]schedule.Appointment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+appointmentColumns+` FROM appointments
		WHERE `+where+` ORDER BY start_us, id`), args...)
	if err != nil {
		return nil, err
	}
	var out []schedule.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	ids, err := s.slotIDsOf(ctx, `appointment_id IN (SELECT id FROM appointments WHERE `+where+`)`, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].SlotIDs = ids[out[i].ID]
	}
	return out, nil
}

// UpdateAppointment writes a's Description, Comment, Status and
// CancellationReason to the stored appointment a.ID, if its version is
// ifVersion (0: no check). It bumps the version and sets a.Version and
// a.Updated. When the status becomes cancelled, the slots the appointment
// held are freed (status free, version + 1) in the same transaction, so
// they can be booked again; the appointment keeps their ids.
//
// Errors: ENOTFOUND; ECONFLICT with Spine code FHIR_CONSTRAINT_VIOLATION
// when the stored version is not ifVersion; EINVALID for an unknown status
// or for reinstating a cancelled appointment.
func (s *Store) UpdateAppointment(ctx context.Context, a *schedule.Appointment, ifVersion int64) error {
	if !a.Status.Valid() {
		return pcnhub.Errorf(pcnhub.EINVALID, "appointment status %q", a.Status)
	}
	now := timeOf(s.clock.Now().UnixMicro())
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var version int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, s.q(`SELECT status, version FROM appointments WHERE id = ?`+lock), a.ID).Scan(&status, &version)
		if err != nil {
			return notFound(err, "appointment %d not found", a.ID)
		}
		if ifVersion != 0 && version != ifVersion {
			return &pcnhub.Error{Code: pcnhub.ECONFLICT, Spine: "FHIR_CONSTRAINT_VIOLATION",
				Message: fmt.Sprintf("appointment %d has changed: it is at version %d, not %d", a.ID, version, ifVersion)}
		}
		old := schedule.AppointmentStatus(status)
		if old == schedule.Cancelled && a.Status != schedule.Cancelled {
			return pcnhub.Errorf(pcnhub.EINVALID, "appointment %d is cancelled; it cannot be reinstated (book a new one)", a.ID)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE appointments SET description = ?, comment = ?, status = ?,
			cancellation_reason = ?, arrived_us = ?, outcome_us = ?, cancelled_by = ?, version = version + 1,
			updated_us = ? WHERE id = ?`),
			a.Description, a.Comment, string(a.Status), a.CancellationReason, microsOrZero(a.ArrivedAt),
			microsOrZero(a.OutcomeAt), a.CancelledBy, now.UnixMicro(), a.ID); err != nil {
			return err
		}
		if a.Status == schedule.Cancelled && old != schedule.Cancelled {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE slots SET status = 'free', version = version + 1
				WHERE status = 'busy' AND id IN (SELECT slot_id FROM appointment_slots WHERE appointment_id = ? AND active = ?)`),
				a.ID, true); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE appointment_slots SET active = ? WHERE appointment_id = ? AND active = ?`),
				false, a.ID, true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update appointment: %w", err)
	}
	a.Version, a.Updated = version+1, now
	return nil
}

// SlotSearchVersion returns a value that changes whenever anything a
// slot search at the organisation reads changes: its slots and
// schedules, or any organisation, practitioner or location (database
// triggers move it in the writing transaction; see migration 0004).
func (s *Store) SlotSearchVersion(ctx context.Context, orgID int64) (string, error) {
	var book, dir int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT
		COALESCE((SELECT version FROM cache_versions WHERE scope = ?), 0),
		COALESCE((SELECT version FROM cache_versions WHERE scope = 'directory'), 0)`), "book:"+strconv.FormatInt(orgID, 10)).Scan(&book, &dir)
	if err != nil {
		return "", fmt.Errorf("slot search version: %w", err)
	}
	return strconv.FormatInt(book, 10) + "." + strconv.FormatInt(dir, 10), nil
}

// microsOrZero stores a zero time as 0.
func microsOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}
