package sqlstore

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// A clinical record is one encoding/gob document per patient (migration
// 0012: a whole record is read on every Access Record request, and gob
// decodes it about eight times faster than JSON). gob matches fields by
// name: a renamed field of package record reads back empty, so rename
// with a migration of the documents. Rows from before 0012 hold JSON in
// body and are still read.

// upsertClinicalRecord stores a record (patient id, gob document, item
// count, time), leaving an unchanged one — and its version — alone.
const upsertClinicalRecord = `INSERT INTO clinical_records (patient_id, body, doc, items, updated_us) VALUES (?, '', ?, ?, ?)
	ON CONFLICT (patient_id) DO UPDATE SET body = '', doc = excluded.doc, items = excluded.items,
	updated_us = excluded.updated_us, version = clinical_records.version + 1
	WHERE clinical_records.doc IS NULL OR clinical_records.doc <> excluded.doc`

// encodeRecord is the stored form of a record.
func encodeRecord(r *record.Record) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(r); err != nil {
		return nil, fmt.Errorf("encode clinical record: %w", err)
	}
	return b.Bytes(), nil
}

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
	doc, err := encodeRecord(r)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, s.q(upsertClinicalRecord), patientID, doc, r.Items(), s.clock.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("put clinical record: %w", err)
	}
	return nil
}

// ClinicalRecord returns a patient record's clinical record; ENOTFOUND
// when none is stored (a record with nothing in it).
func (s *Store) ClinicalRecord(ctx context.Context, patientID int64) (*record.Record, error) {
	var body string
	var doc []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT body, doc FROM clinical_records WHERE patient_id = ?`), patientID).Scan(&body, &doc)
	if err != nil {
		return nil, notFound(err, "no clinical record for patient %d", patientID)
	}
	var r record.Record
	if doc != nil {
		err = gob.NewDecoder(bytes.NewReader(doc)).Decode(&r)
	} else {
		err = json.Unmarshal([]byte(body), &r)
	}
	if err != nil {
		return nil, fmt.Errorf("clinical record of patient %d: %w", patientID, err)
	}
	return &r, nil
}
