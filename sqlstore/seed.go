package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

// LoadStats counts what loading a data set did.
type LoadStats struct {
	Organisations, Groups, Practitioners, Locations, Schedules, Books, Agreements, Staff, Records int
	Patients, People, Slots, Appointments                                                         UpsertStats
}

// LoadDataset writes a data set idempotently: organisations by ODS code,
// groups by name, practitioners, locations and schedules by their
// explicit ids, patients by (organisation, NHS number), register entries
// by NHS number, slots by (schedule, start) — a stored slot is never
// changed, so a booked slot stays booked — and appointments only into
// slots that are free and were never booked. Slots and appointments are
// generated for today, the store clock's date in Europe/London.
// Loading the same data set again on the same day changes nothing; on a
// later day it adds the new days' slots and appointments and leaves the
// earlier ones alone. Patients, register entries, slots and appointments
// are each written in one transaction. The load is audited (counts only).
func (s *Store) LoadDataset(ctx context.Context, d seed.Dataset, actor string) (LoadStats, error) {
	var st LoadStats
	orgIDs := map[pcnhub.ODSCode]int64{}
	for i := range d.Organisations {
		id, err := s.UpsertOrganisation(ctx, &d.Organisations[i])
		if err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
		orgIDs[d.Organisations[i].ODS] = id
		st.Organisations++
	}
	orgID := func(ods pcnhub.ODSCode, what string) (int64, error) {
		id, ok := orgIDs[ods]
		if !ok {
			return 0, fmt.Errorf("seed %s: %s names organisation %s, which the data set does not hold", d.Name, what, ods)
		}
		return id, nil
	}
	for i := range d.Groups {
		if _, err := s.UpsertGroup(ctx, &d.Groups[i]); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
		st.Groups++
	}
	for _, p := range d.Practitioners {
		id, err := orgID(p.OrgODS, fmt.Sprintf("practitioner %d", p.ID))
		if err != nil {
			return st, err
		}
		p.Practitioner.OrganisationID = id
		if _, err := s.UpsertPractitioner(ctx, &p.Practitioner); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
		st.Practitioners++
	}
	for _, l := range d.Locations {
		id, err := orgID(l.OrgODS, fmt.Sprintf("location %d", l.ID))
		if err != nil {
			return st, err
		}
		l.Location.OrganisationID = id
		if _, err := s.UpsertLocation(ctx, &l.Location); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
		st.Locations++
	}
	if d.Patients != nil {
		pw, err := s.BeginPatientWrite(ctx)
		if err != nil {
			return st, err
		}
		defer pw.Rollback()
		for ods, p := range d.Patients {
			if p.OrganisationID, err = orgID(ods, "a patient"); err != nil {
				return st, err
			}
			if err = pw.Add(ctx, &p); err != nil {
				return st, fmt.Errorf("seed %s: %w", d.Name, err)
			}
		}
		if st.Patients, err = pw.Commit(ctx); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
	}
	if d.People != nil {
		rw, err := s.BeginPeopleWrite(ctx)
		if err != nil {
			return st, err
		}
		defer rw.Rollback()
		for p := range d.People {
			if err = rw.Add(ctx, &p); err != nil {
				return st, fmt.Errorf("seed %s: %w", d.Name, err)
			}
		}
		if st.People, err = rw.Commit(ctx); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
	}
	schedules := map[int64]*schedule.Schedule{}
	if len(d.Schedules) > 0 {
		now := s.clock.Now().UnixMicro()
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			for _, sc := range d.Schedules {
				id, err := orgID(sc.OrgODS, fmt.Sprintf("schedule %d", sc.ID))
				if err != nil {
					return err
				}
				if sc.ID == 0 {
					return fmt.Errorf("a schedule has no explicit id")
				}
				if sc.LocationID == 0 {
					return pcnhub.Errorf(pcnhub.EINVALID, "schedule %d has no location", sc.ID)
				}
				sc.Schedule.OrganisationID = id
				if _, err := s.upsertScheduleTx(ctx, tx, &sc.Schedule, now); err != nil {
					return fmt.Errorf("schedule %d: %w", sc.ID, err)
				}
				schedules[sc.ID] = &sc.Schedule
				st.Schedules++
			}
			return s.syncIdentity(ctx, tx, "schedules")
		})
		if err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
	}
	today := pcnhub.DateOf(s.clock.Now().In(pcnhub.London))
	if d.Slots != nil {
		w, err := s.BeginSlotWrite(ctx)
		if err != nil {
			return st, err
		}
		defer w.Rollback()
		for sl := range d.Slots(today) {
			if err := w.Add(ctx, &sl); err != nil {
				return st, fmt.Errorf("seed %s: %w", d.Name, err)
			}
		}
		if st.Slots, err = w.Commit(ctx); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
	}
	if len(d.Agreements) > 0 {
		have, err := s.Agreements(ctx, "")
		if err != nil {
			return st, err
		}
		type key struct {
			provider, consumer pcnhub.ODSCode
			capability         spine.Capability
			from, until        pcnhub.Date
		}
		stored := map[key]bool{}
		for _, a := range have {
			stored[key{a.Provider, a.Consumer, a.Capability, a.From, a.Until}] = true
		}
		for _, a := range d.Agreements {
			if stored[key{a.Provider, a.Consumer, a.Capability, a.From, a.Until}] {
				continue
			}
			a.CreatedBy = actor
			if err := s.AddAgreement(ctx, &a); err != nil {
				return st, fmt.Errorf("seed %s: %w", d.Name, err)
			}
			st.Agreements++
		}
	}
	for i := range d.Records {
		cr := &d.Records[i]
		org, err := orgID(cr.OrgODS, "a clinical record")
		if err != nil {
			return st, err
		}
		pt, err := s.PatientByNHSNumber(ctx, org, cr.NHSNumber)
		if err != nil {
			return st, fmt.Errorf("seed %s: the clinical record of %s: %w", d.Name, cr.NHSNumber.Masked(), err)
		}
		if err := s.PutClinicalRecord(ctx, pt.ID, &cr.Record); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
		st.Records++
	}
	if d.RecordSource != nil {
		n, err := s.loadRecords(ctx, d.RecordSource, orgID)
		st.Records += n
		if err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
	}
	for _, su := range d.Staff {
		if _, err := s.StaffUserByName(ctx, su.Username); err == nil {
			continue
		} else if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			return st, err
		}
		u := su.User
		if !u.Service {
			u.PasswordHash = staff.HashPassword(su.Password)
		}
		if err := s.CreateStaffUser(ctx, &u); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
		st.Staff++
	}
	if len(d.Books) > 0 {
		holidays := map[pcnhub.Date]bool{}
		for _, h := range d.BankHolidays {
			holidays[h] = true
		}
		for i := range d.Books {
			res, err := s.ImportBook(ctx, &d.Books[i], BookOptions{Now: s.clock.Now(), Weeks: d.BookWeeks,
				BankHolidays: holidays, Actor: actor})
			if err != nil {
				return st, fmt.Errorf("seed %s: %w", d.Name, err)
			}
			st.Books++
			st.Schedules += res.Sessions
			st.Slots.Inserted += res.Inserted
			st.Slots.Updated += res.Updated + res.Deleted
		}
	}
	if d.Appointments != nil {
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			var err error
			st.Appointments, err = s.loadAppointments(ctx, tx, d.Appointments(today), schedules, orgIDs)
			return err
		})
		if err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
	}
	for _, m := range d.GPADMappings {
		id, err := orgID(m.OrgODS, "a GPAD mapping")
		if err != nil {
			return st, err
		}
		if err := s.SetGPADMapping(ctx, id, m.Mapping); err != nil {
			return st, fmt.Errorf("seed %s: %w", d.Name, err)
		}
	}
	if s.dialect == Postgres && st.Slots.Inserted+st.Appointments.Inserted > 0 {
		// Fresh statistics, so that the planner does not take the tables
		// for the empty ones it last saw.
		if _, err := s.db.ExecContext(ctx, `ANALYZE slots, appointments, appointment_slots`); err != nil {
			return st, fmt.Errorf("seed %s: analyze: %w", d.Name, err)
		}
	}
	err := s.AppendAudit(ctx, &pcnhub.AuditEvent{Action: "seed.load", Actor: actor, Outcome: "ok",
		Detail: fmt.Sprintf("data set %s: %d organisations, %d patients (%d new, %d changed), %d register entries, "+
			"%d schedules, %d slots (%d new), %d appointments (%d new)",
			d.Name, st.Organisations, st.Patients.Inserted+st.Patients.Updated+st.Patients.Unchanged,
			st.Patients.Inserted, st.Patients.Updated, st.People.Inserted+st.People.Updated+st.People.Unchanged,
			st.Schedules, st.Slots.Inserted+st.Slots.Unchanged, st.Slots.Inserted,
			st.Appointments.Inserted+st.Appointments.Unchanged, st.Appointments.Inserted)})
	return st, err
}

// loadRecords stores the clinical records of seq as PutClinicalRecord
// does, each checked and replacing the patient's stored record unless
// equal to it, but in transactions of recordBatch records with the
// patients looked up together. It returns the number of records stored.
func (s *Store) loadRecords(ctx context.Context, seq iter.Seq[seed.ClinicalRecord],
	orgID func(pcnhub.ODSCode, string) (int64, error)) (int, error) {
	const recordBatch = 250
	type row struct {
		org   int64
		nhs   pcnhub.NHSNumber
		doc   []byte
		items int
	}
	rows := make([]row, 0, recordBatch)
	stored := 0
	flush := func() error {
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			byOrg := map[int64][]any{}
			for _, r := range rows {
				byOrg[r.org] = append(byOrg[r.org], string(r.nhs))
			}
			type key struct {
				org int64
				nhs pcnhub.NHSNumber
			}
			ids := make(map[key]int64, len(rows))
			for org, nhs := range byOrg {
				q, err := tx.QueryContext(ctx, s.q(`SELECT nhs_number, id FROM patients WHERE org_id = ? AND nhs_number IN (`+
					placeholders(len(nhs))+`)`), append([]any{org}, nhs...)...)
				if err != nil {
					return err
				}
				for q.Next() {
					var n string
					var id int64
					if err := q.Scan(&n, &id); err != nil {
						q.Close()
						return err
					}
					ids[key{org, pcnhub.NHSNumber(n)}] = id
				}
				q.Close()
				if err := q.Err(); err != nil {
					return err
				}
			}
			put, err := tx.PrepareContext(ctx, s.q(upsertClinicalRecord))
			if err != nil {
				return err
			}
			defer put.Close()
			now := s.clock.Now().UnixMicro()
			for _, r := range rows {
				id := ids[key{r.org, r.nhs}]
				if id == 0 {
					return pcnhub.Errorf(pcnhub.ENOTFOUND, "the clinical record of %s: the organisation holds no such patient", r.nhs.Masked())
				}
				if _, err := put.ExecContext(ctx, id, r.doc, r.items, now); err != nil {
					return fmt.Errorf("put clinical record: %w", err)
				}
			}
			return nil
		})
		if err == nil {
			stored += len(rows)
		}
		rows = rows[:0]
		return err
	}
	var err error
	for cr := range seq {
		var org int64
		if org, err = orgID(cr.OrgODS, "a clinical record"); err != nil {
			break
		}
		if err = cr.Record.Validate(); err != nil {
			err = fmt.Errorf("the clinical record of %s: %w", cr.NHSNumber.Masked(), err)
			break
		}
		var doc []byte
		if doc, err = encodeRecord(&cr.Record); err != nil {
			break
		}
		rows = append(rows, row{org, cr.NHSNumber, doc, cr.Record.Items()})
		if len(rows) == recordBatch {
			if err = flush(); err != nil {
				break
			}
		}
	}
	if err == nil && len(rows) > 0 {
		err = flush()
	}
	return stored, err
}

// loadAppointments books the data set's appointments inside tx, in
// batches. One whose slots are not all free, or were ever held by an
// appointment, is counted as unchanged and skipped. An appointment whose
// patient does not exist, or whose slots do not tile [Start, End) of its
// schedule, is an error of the data set.
func (s *Store) loadAppointments(ctx context.Context, tx *sql.Tx, seq iter.Seq[seed.Appointment],
	schedules map[int64]*schedule.Schedule, orgIDs map[pcnhub.ODSCode]int64) (UpsertStats, error) {
	var st UpsertStats
	var all []seed.Appointment
	type sessionKey struct {
		org  pcnhub.ODSCode
		name string
	}
	sessions := map[sessionKey]int64{}
	loadNow := s.clock.Now()
	for a := range seq {
		if a.Session != "" {
			k := sessionKey{a.OrgODS, a.Session}
			id, ok := sessions[k]
			if !ok {
				err := tx.QueryRowContext(ctx, s.q(`SELECT schedule_id FROM book_sessions WHERE org_id = ? AND name = ?`),
					orgIDs[a.OrgODS], a.Session).Scan(&id)
				if err != nil {
					return st, notFound(err, "an appointment names session %q of %s, which its book does not hold", a.Session, a.OrgODS)
				}
				sc, err := scanSchedule(tx.QueryRowContext(ctx, s.q(`SELECT `+scheduleColumns+` FROM schedules WHERE id = ?`), id))
				if err != nil {
					return st, err
				}
				sessions[k], schedules[id] = id, sc
			}
			a.ScheduleID = id
			if !a.Start.After(loadNow) {
				continue // its slot has started; a book makes no such slots
			}
		}
		if _, ok := schedules[a.ScheduleID]; !ok {
			return st, fmt.Errorf("an appointment at %s names schedule %d, which the data set does not hold", a.Start, a.ScheduleID)
		}
		all = append(all, a)
	}
	if len(all) == 0 {
		return st, nil
	}

	// Patient ids, by organisation and NHS number.
	type patientKey struct {
		org int64
		nhs pcnhub.NHSNumber
	}
	patients := map[patientKey]int64{}
	byOrg := map[int64][]any{}
	for _, a := range all {
		org := schedules[a.ScheduleID].OrganisationID
		if _, ok := patients[patientKey{org, a.Patient}]; !ok {
			patients[patientKey{org, a.Patient}] = 0
			byOrg[org] = append(byOrg[org], string(a.Patient))
		}
	}
	for org, nhs := range byOrg {
		for chunk := range slices.Chunk(nhs, 500) {
			rows, err := tx.QueryContext(ctx, s.q(`SELECT nhs_number, id FROM patients WHERE org_id = ? AND nhs_number IN (`+
				placeholders(len(chunk))+`)`), append([]any{org}, chunk...)...)
			if err != nil {
				return st, err
			}
			for rows.Next() {
				var n string
				var id int64
				if err := rows.Scan(&n, &id); err != nil {
					rows.Close()
					return st, err
				}
				patients[patientKey{org, pcnhub.NHSNumber(n)}] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return st, err
			}
		}
	}

	// The slots each schedule has in the span of its appointments, and
	// whether they were ever taken.
	type heldSlot struct {
		schedule.Slot
		taken bool
	}
	span := map[int64][2]int64{}
	for _, a := range all {
		sp, ok := span[a.ScheduleID]
		if !ok || a.Start.UnixMicro() < sp[0] {
			sp[0] = a.Start.UnixMicro()
		}
		if a.End.UnixMicro() > sp[1] {
			sp[1] = a.End.UnixMicro()
		}
		span[a.ScheduleID] = sp
	}
	slotsOf := map[int64][]heldSlot{}
	for sched, sp := range span {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT `+slotColumns+` FROM slots
			WHERE schedule_id = ? AND start_us >= ? AND start_us < ? ORDER BY start_us`), sched, sp[0], sp[1])
		if err != nil {
			return st, err
		}
		for rows.Next() {
			var h heldSlot
			if err := scanSlot(rows, &h.Slot); err != nil {
				rows.Close()
				return st, err
			}
			// Every booking moves a slot's version, and a slot write
			// never changes a stored slot: a slot at version 1 is one
			// that no appointment ever held.
			h.taken = h.Status != schedule.SlotFree || h.Version != 1
			slotsOf[sched] = append(slotsOf[sched], h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return st, err
		}
	}

	// Which appointments to book.
	now := timeOf(s.clock.Now().UnixMicro())
	var book []schedule.Appointment
	for _, sa := range all {
		a := sa.Appointment
		sc := schedules[a.ScheduleID]
		pid := patients[patientKey{sc.OrganisationID, sa.Patient}]
		if pid == 0 {
			return st, pcnhub.Errorf(pcnhub.ENOTFOUND, "an appointment at %s is for patient %s, whom the schedule's organisation does not hold",
				a.Start, sa.Patient.Masked())
		}
		held := slotsOf[a.ScheduleID]
		i, _ := slices.BinarySearchFunc(held, a.Start.UnixMicro(), func(h heldSlot, us int64) int {
			return cmpInt(h.Start.UnixMicro(), us)
		})
		j := i
		for j < len(held) && held[j].Start.Before(a.End) {
			j++
		}
		var slots []schedule.Slot
		taken := false
		for k := i; k < j; k++ {
			slots = append(slots, held[k].Slot)
			taken = taken || held[k].taken
		}
		if !tiles(slots, a.Start, a.End) {
			return st, fmt.Errorf("the slots of schedule %d do not cover an appointment at %s exactly", a.ScheduleID, a.Start)
		}
		if taken {
			st.Unchanged++
			continue
		}
		for k := i; k < j; k++ {
			held[k].taken = true // a later appointment of the data set may not take it again
		}
		a.SetSlots(sc, slots)
		a.PatientID = pid
		if a.Status == "" {
			a.Status = schedule.Booked
		}
		if a.BookedVia == "" {
			a.BookedVia = schedule.BookedViaPractice
		}
		book = append(book, a)
	}

	// Book them in batches: take the slots, insert the appointments, link them.
	for chunk := range slices.Chunk(book, 400) {
		var slotIDs []any
		args := make([]any, 0, len(chunk)*len(appointmentInsertCols))
		for i := range chunk {
			for _, id := range chunk[i].SlotIDs {
				slotIDs = append(slotIDs, id)
			}
			args = appointmentArgs(args, &chunk[i], now)
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE slots SET status = 'busy', version = version + 1
			WHERE status = 'free' AND id IN (`+placeholders(len(slotIDs))+`)`), slotIDs...)
		if err != nil {
			return st, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return st, err
		} else if n != int64(len(slotIDs)) {
			return st, &pcnhub.Error{Code: pcnhub.ECONFLICT, Spine: "DUPLICATE_REJECTED",
				Message: "slots were booked while the data set was loading; load it again"}
		}
		rows, err := tx.QueryContext(ctx, s.q(appointmentInsertSQL(len(chunk))+` RETURNING id, schedule_id, start_us`), args...)
		if err != nil {
			return st, err
		}
		type key struct{ sched, start int64 }
		ids := make(map[key]int64, len(chunk))
		for rows.Next() {
			var id int64
			var k key
			if err := rows.Scan(&id, &k.sched, &k.start); err != nil {
				rows.Close()
				return st, err
			}
			ids[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return st, err
		}
		links := make([]any, 0, 3*len(slotIDs))
		for i := range chunk {
			id := ids[key{chunk[i].ScheduleID, chunk[i].Start.UnixMicro()}]
			for _, sl := range chunk[i].SlotIDs {
				links = append(links, id, sl, true)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO appointment_slots (appointment_id, slot_id, active) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(links)/3), ", ")), links...); err != nil {
			return st, err
		}
		st.Inserted += len(chunk)
	}
	return st, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// tiles reports whether slots (by start) cover [start, end) exactly.
func tiles(slots []schedule.Slot, start, end time.Time) bool {
	if len(slots) == 0 || !slots[0].Start.Equal(start) || !slots[len(slots)-1].End.Equal(end) {
		return false
	}
	for i := 1; i < len(slots); i++ {
		if !slots[i].Start.Equal(slots[i-1].End) {
			return false
		}
	}
	return true
}
