package sqlstore

import (
	"context"
	"fmt"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/seed"
)

// LoadStats counts what loading a data set did.
type LoadStats struct {
	Organisations, Groups, Practitioners, Locations int
	Patients, People                                UpsertStats
}

// LoadDataset writes a data set idempotently: organisations by ODS code,
// groups by name, practitioners and locations by their explicit ids,
// patients by (organisation, NHS number), register entries by NHS number.
// Loading the same data set again changes no patient or register entry.
// Patients and register entries are each written in one transaction.
// The load is audited (counts only).
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
	err := s.AppendAudit(ctx, &pcnhub.AuditEvent{Action: "seed.load", Actor: actor, Outcome: "ok",
		Detail: fmt.Sprintf("data set %s: %d organisations, %d patients (%d new, %d changed), %d register entries",
			d.Name, st.Organisations, st.Patients.Inserted+st.Patients.Updated+st.Patients.Unchanged,
			st.Patients.Inserted, st.Patients.Updated, st.People.Inserted+st.People.Updated+st.People.Unchanged)})
	return st, err
}
