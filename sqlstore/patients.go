package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/pcnhub/pcnhub"
)

var patientsTable = &bulkTable{
	name: "patients",
	key:  []string{"org_id", "nhs_number"},
	compared: []string{"prefix", "given", "family", "birth_date", "gender", "address_lines", "city", "district",
		"postcode", "telecom", "language", "interpreter_required", "reg_type", "reg_status", "reg_start", "reg_end",
		"preferred_branch", "sensitive", "deceased_date", "superseded_by", "merged_into", "in_transit", "dissent"},
	stamped: "updated_us",
}

// PatientWriter upserts many patients in a single transaction, keyed by
// (organisation, NHS number): all of them become visible at Commit, or
// none (Rollback, a failed Commit, or the process dying first).
type PatientWriter struct {
	w   *bulkWriter
	now int64
}

// BeginPatientWrite starts a bulk upsert of patients.
func (s *Store) BeginPatientWrite(ctx context.Context) (*PatientWriter, error) {
	w, err := s.newBulkWriter(ctx, patientsTable)
	if err != nil {
		return nil, fmt.Errorf("begin patient write: %w", err)
	}
	return &PatientWriter{w: w, now: s.clock.Now().UnixMicro()}, nil
}

// Add queues p for upsert into the records of p.OrganisationID (which
// must exist; a foreign-key error surfaces here or at Commit). p.ID and
// p.Version are ignored.
func (pw *PatientWriter) Add(ctx context.Context, p *pcnhub.Patient) error {
	if p.OrganisationID == 0 {
		return pcnhub.Errorf(pcnhub.EINVALID, "patient write: no organisation")
	}
	r := &p.Registration
	return pw.w.add(ctx, strconv.FormatInt(p.OrganisationID, 10)+"/"+string(p.NHSNumber),
		p.OrganisationID, string(p.NHSNumber), p.Name.Prefix, joinWords(p.Name.Given), p.Name.Family,
		p.BirthDate.String(), string(p.Gender), joinLines(p.Address.Lines), p.Address.City, p.Address.District,
		p.Address.Postcode, encodeTelecom(p.Telecom), p.Language, p.InterpreterRequired, string(r.Type),
		string(r.Status), r.Start.String(), r.End.String(), string(r.PreferredBranch), p.Sensitive,
		p.DeceasedDate.String(), string(p.SupersededBy), string(p.MergedInto), p.InTransit, p.DissentFromSharing,
		pw.now)
}

// Commit writes the last batch and commits. It returns what changed.
func (pw *PatientWriter) Commit(ctx context.Context) (UpsertStats, error) { return pw.w.commit(ctx) }

// Rollback abandons the write; it is safe to call after Commit.
func (pw *PatientWriter) Rollback() error { return pw.w.rollback() }

// UpsertPatient creates or updates one patient of p.OrganisationID, keyed
// by NHS number, and returns the stored record (with ID and Version).
func (s *Store) UpsertPatient(ctx context.Context, p *pcnhub.Patient) (*pcnhub.Patient, error) {
	pw, err := s.BeginPatientWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer pw.Rollback()
	if err := pw.Add(ctx, p); err != nil {
		return nil, err
	}
	if _, err := pw.Commit(ctx); err != nil {
		return nil, err
	}
	return s.PatientByNHSNumber(ctx, p.OrganisationID, p.NHSNumber)
}

const patientColumns = `id, org_id, nhs_number, prefix, given, family, birth_date, gender, address_lines, city,
	district, postcode, telecom, language, interpreter_required, reg_type, reg_status, reg_start, reg_end,
	preferred_branch, sensitive, deceased_date, superseded_by, merged_into, in_transit, dissent, version, updated_us`

func scanPatient(row interface{ Scan(...any) error }) (*pcnhub.Patient, error) {
	var p pcnhub.Patient
	var nhs, given, birth, gender, lines, telecom, regType, regStatus, regStart, regEnd, branch, deceased, superseded, merged string
	var updated int64
	err := row.Scan(&p.ID, &p.OrganisationID, &nhs, &p.Name.Prefix, &given, &p.Name.Family, &birth, &gender,
		&lines, &p.Address.City, &p.Address.District, &p.Address.Postcode, &telecom, &p.Language,
		&p.InterpreterRequired, &regType, &regStatus, &regStart, &regEnd, &branch, &p.Sensitive, &deceased,
		&superseded, &merged, &p.InTransit, &p.DissentFromSharing, &p.Version, &updated)
	if err != nil {
		return nil, err
	}
	p.NHSNumber, p.Name.Given, p.Gender = pcnhub.NHSNumber(nhs), splitWords(given), pcnhub.Gender(gender)
	p.Address.Lines = splitLines(lines)
	p.Registration.Type, p.Registration.Status = pcnhub.RegistrationType(regType), pcnhub.RegistrationStatus(regStatus)
	p.Registration.PreferredBranch = pcnhub.ODSCode(branch)
	p.SupersededBy, p.MergedInto = pcnhub.NHSNumber(superseded), pcnhub.NHSNumber(merged)
	p.Updated = time.UnixMicro(updated).UTC()
	if p.Telecom, err = decodeTelecom(telecom); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		dst *pcnhub.Date
		src string
	}{{&p.BirthDate, birth}, {&p.Registration.Start, regStart}, {&p.Registration.End, regEnd}, {&p.DeceasedDate, deceased}} {
		if *d.dst, err = parseDateColumn(d.src); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// PatientByNHSNumber returns the record that orgID holds for an NHS
// number. ENOTFOUND when it holds none.
func (s *Store) PatientByNHSNumber(ctx context.Context, orgID int64, nhs pcnhub.NHSNumber) (*pcnhub.Patient, error) {
	p, err := scanPatient(s.db.QueryRowContext(ctx, s.q(`SELECT `+patientColumns+` FROM patients
		WHERE org_id = ? AND nhs_number = ?`), orgID, string(nhs)))
	if err != nil {
		return nil, notFound(err, "patient not found")
	}
	return p, nil
}

// PatientByID returns a patient record by its id. ENOTFOUND.
func (s *Store) PatientByID(ctx context.Context, id int64) (*pcnhub.Patient, error) {
	p, err := scanPatient(s.db.QueryRowContext(ctx, s.q(`SELECT `+patientColumns+` FROM patients WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "patient not found")
	}
	return p, nil
}

// PatientsByNHSNumber returns every organisation's record for an NHS number.
func (s *Store) PatientsByNHSNumber(ctx context.Context, nhs pcnhub.NHSNumber) ([]*pcnhub.Patient, error) {
	var out []*pcnhub.Patient
	err := s.eachPatient(ctx, `WHERE nhs_number = ? ORDER BY org_id`, []any{string(nhs)}, func(p *pcnhub.Patient) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// EachPatient calls fn for every patient held by orgID, in NHS-number
// order, streaming from the database. It stops at fn's first error.
func (s *Store) EachPatient(ctx context.Context, orgID int64, fn func(*pcnhub.Patient) error) error {
	return s.eachPatient(ctx, `WHERE org_id = ? ORDER BY nhs_number`, []any{orgID}, fn)
}

func (s *Store) eachPatient(ctx context.Context, where string, args []any, fn func(*pcnhub.Patient) error) error {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+patientColumns+` FROM patients `+where), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPatient(rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountPatients returns how many records orgID holds, and how many of them
// are active registrations.
func (s *Store) CountPatients(ctx context.Context, orgID int64) (total, active int, err error) {
	err = s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN reg_status = 'active' THEN 1 ELSE 0 END), 0)
		FROM patients WHERE org_id = ?`), orgID).Scan(&total, &active)
	return total, active, err
}
