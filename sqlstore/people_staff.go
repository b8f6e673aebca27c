package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
	id, err := s.upsertWithID(ctx, "practitioners", p.ID,
		[]string{"org_id", "sds_user_id", "role_profile_ids", "prefix", "given", "family", "gender", "job_role_code"},
		[]any{p.OrganisationID, p.SDSUserID, joinWords(p.RoleProfileIDs), p.Name.Prefix, joinWords(p.Name.Given),
			p.Name.Family, string(p.Gender), p.JobRoleCode})
	if err != nil {
		return 0, fmt.Errorf("upsert practitioner: %w", err)
	}
	return id, nil
}

// upsertWithID inserts a row into table and returns its id: a new id from
// the database when id is 0, else exactly id, replacing the row that has it
// (seeds use stable ids). cols and args exclude the id.
func (s *Store) upsertWithID(ctx context.Context, table string, id int64, cols []string, args []any) (int64, error) {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
		if id == 0 {
			return tx.QueryRowContext(ctx, s.q(fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s) RETURNING id`,
				table, strings.Join(cols, ", "), marks)), args...).Scan(&id)
		}
		set := make([]string, len(cols))
		for i, c := range cols {
			set[i] = c + " = excluded." + c
		}
		if _, err := tx.ExecContext(ctx, s.q(fmt.Sprintf(`INSERT INTO %s (id, %s) VALUES (?, %s) ON CONFLICT (id) DO UPDATE SET %s`,
			table, strings.Join(cols, ", "), marks, strings.Join(set, ", "))), append([]any{id}, args...)...); err != nil {
			return err
		}
		return s.syncIdentity(ctx, tx, table)
	})
	return id, err
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
	id, err := s.upsertWithID(ctx, "locations", l.ID,
		[]string{"org_id", "site_ods", "name", "address_lines", "city", "district", "postcode", "telecom"},
		[]any{l.OrganisationID, string(l.SiteODS), l.Name, joinLines(l.Address.Lines), l.Address.City,
			l.Address.District, l.Address.Postcode, encodeTelecom(l.Telecom)})
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

// PractitionersBySDSUserIDAnywhere returns the practitioners of any
// organisation with that SDS user id (there may be several), by id.
func (s *Store) PractitionersBySDSUserIDAnywhere(ctx context.Context, sdsUserID string) ([]*pcnhub.Practitioner, error) {
	return s.queryPractitioners(ctx, `WHERE sds_user_id = ? ORDER BY id`, sdsUserID)
}

// PractitionersByID returns the practitioners with those ids, by id;
// ids not found are absent from the map.
func (s *Store) PractitionersByID(ctx context.Context, ids []int64) (map[int64]*pcnhub.Practitioner, error) {
	out := make(map[int64]*pcnhub.Practitioner, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	prs, err := s.queryPractitioners(ctx, `WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	for _, p := range prs {
		out[p.ID] = p
	}
	return out, nil
}
