package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/pcnhub/pcnhub"
)

var patientsTable = &bulkTable{
	name:     "patients",
	key:      []string{"org_id", "nhs_number"},
	compared: []string{"family", "birth_date", "reg_status", "details"},
	stamped:  "updated_us",
}

// patientDetails is the JSON document in patients.details: every field of
// a patient that is not a column of its own. Its field names are a storage
// format: rename none without a migration. Empty fields are left out.
type patientDetails struct {
	Prefix              string                `json:"prefix,omitempty"`
	Given               []string              `json:"given,omitempty"`
	Gender              pcnhub.Gender         `json:"gender,omitempty"`
	AddressLines        []string              `json:"addressLines,omitempty"`
	City                string                `json:"city,omitempty"`
	District            string                `json:"district,omitempty"`
	Postcode            string                `json:"postcode,omitempty"`
	Telecom             []pcnhub.ContactPoint `json:"telecom,omitempty"`
	Language            string                `json:"language,omitempty"`
	InterpreterRequired bool                  `json:"interpreterRequired,omitempty"`
	RegType             string                `json:"regType,omitempty"`
	RegStart            string                `json:"regStart,omitempty"`
	RegEnd              string                `json:"regEnd,omitempty"`
	PreferredBranch     string                `json:"preferredBranch,omitempty"`
	Sensitive           bool                  `json:"sensitive,omitempty"`
	DeceasedDate        string                `json:"deceasedDate,omitempty"`
	SupersededBy        string                `json:"supersededBy,omitempty"`
	MergedInto          string                `json:"mergedInto,omitempty"`
	InTransit           bool                  `json:"inTransit,omitempty"`
	DissentFromSharing  bool                  `json:"dissentFromSharing,omitempty"`
}

func (p *patientDetailsOf) details() patientDetails {
	r := &p.Registration
	return patientDetails{
		Prefix: p.Name.Prefix, Given: p.Name.Given, Gender: p.Gender, AddressLines: p.Address.Lines,
		City: p.Address.City, District: p.Address.District, Postcode: p.Address.Postcode, Telecom: p.Telecom,
		Language: p.Language, InterpreterRequired: p.InterpreterRequired, RegType: string(r.Type),
		RegStart: r.Start.String(), RegEnd: r.End.String(), PreferredBranch: string(r.PreferredBranch),
		Sensitive: p.Sensitive, DeceasedDate: p.DeceasedDate.String(), SupersededBy: string(p.SupersededBy),
		MergedInto: string(p.MergedInto), InTransit: p.InTransit, DissentFromSharing: p.DissentFromSharing,
	}
}

// patientDetailsOf lets a Patient be turned into its details document.
type patientDetailsOf pcnhub.Patient

// encodePatientDetails writes p's details document: byte for byte what
// json.Marshal writes for patientDetails (a test holds it to that), but
// by hand, because it runs for every row of an import on the writer's
// critical path, where reflection cost a fifth of the time.
func encodePatientDetails(p *pcnhub.Patient) string {
	d := (*patientDetailsOf)(p).details()
	b := make([]byte, 0, 384)
	b = append(b, '{')
	first := true
	str := func(key, v string) {
		if v == "" {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		b = appendJSONString(b, v)
	}
	list := func(key string, vs []string) {
		if len(vs) == 0 {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, '"', ':', '[')
		for i, v := range vs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
	}
	flag := func(key string, v bool) {
		if !v {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `":true`...)
	}
	str("prefix", d.Prefix)
	list("given", d.Given)
	str("gender", string(d.Gender))
	list("addressLines", d.AddressLines)
	str("city", d.City)
	str("district", d.District)
	str("postcode", d.Postcode)
	if len(d.Telecom) > 0 {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `"telecom":`...)
		b = append(b, encodeTelecom(d.Telecom)...)
	}
	str("language", d.Language)
	flag("interpreterRequired", d.InterpreterRequired)
	str("regType", d.RegType)
	str("regStart", d.RegStart)
	str("regEnd", d.RegEnd)
	str("preferredBranch", d.PreferredBranch)
	flag("sensitive", d.Sensitive)
	str("deceasedDate", d.DeceasedDate)
	str("supersededBy", d.SupersededBy)
	str("mergedInto", d.MergedInto)
	flag("inTransit", d.InTransit)
	flag("dissentFromSharing", d.DissentFromSharing)
	return string(append(b, '}'))
}

func decodePatientDetails(s string, p *pcnhub.Patient) error {
	var d patientDetails
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return fmt.Errorf("patient %d details: %w", p.ID, err)
	}
	p.Name.Prefix, p.Name.Given, p.Gender = d.Prefix, d.Given, d.Gender
	p.Address = pcnhub.Address{Lines: d.AddressLines, City: d.City, District: d.District, Postcode: d.Postcode}
	p.Telecom, p.Language, p.InterpreterRequired = d.Telecom, d.Language, d.InterpreterRequired
	p.Registration.Type, p.Registration.PreferredBranch = pcnhub.RegistrationType(d.RegType), pcnhub.ODSCode(d.PreferredBranch)
	p.Sensitive, p.SupersededBy, p.MergedInto = d.Sensitive, pcnhub.NHSNumber(d.SupersededBy), pcnhub.NHSNumber(d.MergedInto)
	p.InTransit, p.DissentFromSharing = d.InTransit, d.DissentFromSharing
	var err error
	for _, f := range []struct {
		dst *pcnhub.Date
		src string
	}{{&p.Registration.Start, d.RegStart}, {&p.Registration.End, d.RegEnd}, {&p.DeceasedDate, d.DeceasedDate}} {
		if *f.dst, err = parseDateColumn(f.src); err != nil {
			return err
		}
	}
	return nil
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
	return pw.w.add(ctx, strconv.FormatInt(p.OrganisationID, 10)+"/"+string(p.NHSNumber),
		p.OrganisationID, string(p.NHSNumber), p.Name.Family, p.BirthDate.String(), string(p.Registration.Status),
		encodePatientDetails(p), pw.now)
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

const patientColumns = `id, org_id, nhs_number, family, birth_date, reg_status, details, version, updated_us`

func scanPatient(row interface{ Scan(...any) error }) (*pcnhub.Patient, error) {
	var p pcnhub.Patient
	var nhs, birth, status, details string
	var updated int64
	err := row.Scan(&p.ID, &p.OrganisationID, &nhs, &p.Name.Family, &birth, &status, &details, &p.Version, &updated)
	if err != nil {
		return nil, err
	}
	p.NHSNumber, p.Registration.Status = pcnhub.NHSNumber(nhs), pcnhub.RegistrationStatus(status)
	p.Updated = time.UnixMicro(updated).UTC()
	if p.BirthDate, err = parseDateColumn(birth); err != nil {
		return nil, err
	}
	if err := decodePatientDetails(details, &p); err != nil {
		return nil, err
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
