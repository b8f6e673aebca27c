package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// PutClinicalRecord stores (or replaces) the clinical record of a patient
// record. The record must be valid (record.Validate, EINVALID) and belong
// to the patient (its NHS number); ENOTFOUND for an unknown patient.
func (s *Store) PutClinicalRecord(ctx context.Context, patientID int64, r *record.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	pt, err := s.PatientByID(ctx, patientID)
	if err != nil {
		return err
	}
	if r.NHSNumber != pt.NHSNumber {
		return pcnhub.Errorf(pcnhub.EINVALID, "the record is of NHS number %s, the patient's is %s", r.NHSNumber.Masked(), pt.NHSNumber.Masked())
	}
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("put clinical record: %w", err)
	}
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO clinical_records (patient_id, body, items, updated_us) VALUES (?, ?, ?, ?)
		ON CONFLICT (patient_id) DO UPDATE SET body = excluded.body, items = excluded.items,
		updated_us = excluded.updated_us, version = clinical_records.version + 1
		WHERE clinical_records.body <> excluded.body`), patientID, string(body), r.Items(), s.clock.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("put clinical record: %w", err)
	}
	return nil
}

// ClinicalRecord returns a patient record's clinical record; ENOTFOUND
// when none is stored (a record with nothing in it).
func (s *Store) ClinicalRecord(ctx context.Context, patientID int64) (*record.Record, error) {
	var body string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT body FROM clinical_records WHERE patient_id = ?`), patientID).Scan(&body)
	if err != nil {
		return nil, notFound(err, "no clinical record for patient %d", patientID)
	}
	var r record.Record
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return nil, fmt.Errorf("clinical record of patient %d: %w", patientID, err)
	}
	return &r, nil
}
