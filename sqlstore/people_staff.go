package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pcnhub/pcnhub"
)

// UpsertPractitioner stores p. With p.ID set it creates or replaces the
// practitioner with that id (seeds use stable ids); with p.ID zero it
// creates a new one. It returns the id. EINVALID without a family name or
// organisation.
func (s *Store) UpsertPractitioner(ctx context.Context, p *pcnhub.Practitioner) (int64, error) {
	if p.Name.Family == "" || p.OrganisationID == 0 {
		return 0, pcnhub.Errorf(pcnhub.EINVALID, "a practitioner needs a family name and an organisation")
	}
	id := p.ID
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		args := []any{p.OrganisationID, p.SDSUserID, joinWords(p.RoleProfileIDs), p.Name.Prefix,
			joinWords(p.Name.Given), p.Name.Family, string(p.Gender), p.JobRoleCode}
		const cols = `org_id, sds_user_id, role_profile_ids, prefix, given, family, gender, job_role_code`
		if id == 0 {
			return tx.QueryRowContext(ctx, s.q(`INSERT INTO practitioners (`+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				args...).Scan(&id)
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO practitioners (id, `+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, sds_user_id = excluded.sds_user_id,
			 role_profile_ids = excluded.role_profile_ids, prefix = excluded.prefix, given = excluded.given,
			 family = excluded.family, gender = excluded.gender, job_role_code = excluded.job_role_code`),
			append([]any{id}, args...)...)
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, tx, "practitioners")
	})
	if err != nil {
		return 0, fmt.Errorf("upsert practitioner: %w", err)
	}
	return id, nil
}

const practitionerColumns = `id, org_id, sds_user_id, role_profile_ids, prefix, given, family, gender, job_role_code`

func scanPractitioner(row interface{ Scan(...any) error }) (*pcnhub.Practitioner, error) {
	var p pcnhub.Practitioner
	var roles, given, gender string
	if err := row.Scan(&p.ID, &p.OrganisationID, &p.SDSUserID, &roles, &p.Name.Prefix, &given,
		&p.Name.Family, &gender, &p.JobRoleCode); err != nil {
		return nil, err
	}
	p.RoleProfileIDs, p.Name.Given, p.Gender = splitWords(roles), splitWords(given), pcnhub.Gender(gender)
	return &p, nil
}

// PractitionerByID returns the practitioner. ENOTFOUND.
func (s *Store) PractitionerByID(ctx context.Context, id int64) (*pcnhub.Practitioner, error) {
	p, err := scanPractitioner(s.db.QueryRowContext(ctx, s.q(`SELECT `+practitionerColumns+` FROM practitioners WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "practitioner %d not found", id)
	}
	return p, nil
}

// PractitionersBySDSUserID returns the practitioners of an organisation
// with that SDS user id (there may be several), by id.
func (s *Store) PractitionersBySDSUserID(ctx context.Context, orgID int64, sdsUserID string) ([]*pcnhub.Practitioner, error) {
	return s.queryPractitioners(ctx, `WHERE org_id = ? AND sds_user_id = ? ORDER BY id`, orgID, sdsUserID)
}

// ListPractitioners returns the practitioners of an organisation, by id.
func (s *Store) ListPractitioners(ctx context.Context, orgID int64) ([]*pcnhub.Practitioner, error) {
	return s.queryPractitioners(ctx, `WHERE org_id = ? ORDER BY id`, orgID)
}

func (s *Store) queryPractitioners(ctx context.Context, where string, args ...any) ([]*pcnhub.Practitioner, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+practitionerColumns+` FROM practitioners `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*pcnhub.Practitioner
	for rows.Next() {
		p, err := scanPractitioner(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// UpsertLocation stores l like UpsertPractitioner stores a practitioner:
// by explicit id when l.ID is set, else as a new location. EINVALID
// without a name or managing organisation.
func (s *Store) UpsertLocation(ctx context.Context, l *pcnhub.Location) (int64, error) {
	if l.Name == "" || l.OrganisationID == 0 {
		return 0, pcnhub.Errorf(pcnhub.EINVALID, "a location needs a name and a managing organisation")
	}
	id := l.ID
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		args := []any{l.OrganisationID, string(l.SiteODS), l.Name, joinLines(l.Address.Lines), l.Address.City,
			l.Address.District, l.Address.Postcode, encodeTelecom(l.Telecom)}
		const cols = `org_id, site_ods, name, address_lines, city, district, postcode, telecom`
		if id == 0 {
			return tx.QueryRowContext(ctx, s.q(`INSERT INTO locations (`+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				args...).Scan(&id)
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO locations (id, `+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, site_ods = excluded.site_ods,
			 name = excluded.name, address_lines = excluded.address_lines, city = excluded.city,
			 district = excluded.district, postcode = excluded.postcode, telecom = excluded.telecom`),
			append([]any{id}, args...)...)
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, tx, "locations")
	})
	if err != nil {
		return 0, fmt.Errorf("upsert location: %w", err)
	}
	return id, nil
}

const locationColumns = `id, org_id, site_ods, name, address_lines, city, district, postcode, telecom`

func scanLocation(row interface{ Scan(...any) error }) (*pcnhub.Location, error) {
	var l pcnhub.Location
	var site, lines, telecom string
	err := row.Scan(&l.ID, &l.OrganisationID, &site, &l.Name, &lines, &l.Address.City, &l.Address.District,
		&l.Address.Postcode, &telecom)
	if err != nil {
		return nil, err
	}
	l.SiteODS, l.Address.Lines = pcnhub.ODSCode(site), splitLines(lines)
	l.Telecom, err = decodeTelecom(telecom)
	return &l, err
}

// LocationByID returns the location. ENOTFOUND.
func (s *Store) LocationByID(ctx context.Context, id int64) (*pcnhub.Location, error) {
	l, err := scanLocation(s.db.QueryRowContext(ctx, s.q(`SELECT `+locationColumns+` FROM locations WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "location %d not found", id)
	}
	return l, nil
}

// ListLocations returns the locations managed by an organisation, by id.
func (s *Store) ListLocations(ctx context.Context, orgID int64) ([]*pcnhub.Location, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+locationColumns+` FROM locations WHERE org_id = ? ORDER BY id`), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*pcnhub.Location
	for rows.Next() {
		l, err := scanLocation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
