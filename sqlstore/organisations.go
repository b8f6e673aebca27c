package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pcnhub/pcnhub"
)

// UpsertOrganisation creates or replaces the organisation with o.ODS, with
// its sites (sites no longer listed are removed). It validates o first
// (EINVALID) and returns the organisation's id. A site code that belongs to
// another organisation is ECONFLICT.
func (s *Store) UpsertOrganisation(ctx context.Context, o *pcnhub.Organisation) (int64, error) {
	if err := o.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now().UnixMicro()
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO organisations
			(ods, asid, type, subtype, name, address_lines, city, district, postcode, telecom,
			 list_size, list_size_date, pcn_ods, pcn_name, hosted, updated_us)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ods) DO UPDATE SET asid = excluded.asid, type = excluded.type,
			 subtype = excluded.subtype, name = excluded.name, address_lines = excluded.address_lines,
			 city = excluded.city, district = excluded.district, postcode = excluded.postcode,
			 telecom = excluded.telecom, list_size = excluded.list_size,
			 list_size_date = excluded.list_size_date, pcn_ods = excluded.pcn_ods,
			 pcn_name = excluded.pcn_name, hosted = excluded.hosted, updated_us = excluded.updated_us
			RETURNING id`),
			string(o.ODS), string(o.ASID), string(o.Type), o.Subtype, o.Name,
			joinLines(o.Address.Lines), o.Address.City, o.Address.District, o.Address.Postcode,
			encodeTelecom(o.Telecom), o.ListSize, o.ListSizeDate.String(), string(o.PCN), o.PCNName,
			o.Hosted, now).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM organisation_sites WHERE org_id = ?`), id); err != nil {
			return err
		}
		for _, site := range o.Sites {
			var owner int64
			err := tx.QueryRowContext(ctx, s.q(`SELECT org_id FROM organisation_sites WHERE ods = ?`), string(site.ODS)).Scan(&owner)
			if err == nil {
				return pcnhub.Errorf(pcnhub.ECONFLICT, "site %s already belongs to another organisation", site.ODS)
			} else if err != sql.ErrNoRows {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO organisation_sites
				(ods, org_id, name, address_lines, city, district, postcode) VALUES (?, ?, ?, ?, ?, ?, ?)`),
				string(site.ODS), id, site.Name, joinLines(site.Address.Lines), site.Address.City,
				site.Address.District, site.Address.Postcode); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("upsert organisation %s: %w", o.ODS, err)
	}
	return id, nil
}

const orgColumns = `id, ods, asid, type, subtype, name, address_lines, city, district, postcode, telecom,
	list_size, list_size_date, pcn_ods, pcn_name, hosted, updated_us`

func scanOrganisation(row interface{ Scan(...any) error }) (*pcnhub.Organisation, error) {
	var o pcnhub.Organisation
	var ods, asid, typ, lines, telecom, lsd, pcn string
	var updated int64
	err := row.Scan(&o.ID, &ods, &asid, &typ, &o.Subtype, &o.Name, &lines, &o.Address.City, &o.Address.District,
		&o.Address.Postcode, &telecom, &o.ListSize, &lsd, &pcn, &o.PCNName, &o.Hosted, &updated)
	if err != nil {
		return nil, err
	}
	o.ODS, o.ASID, o.Type, o.PCN = pcnhub.ODSCode(ods), pcnhub.ASID(asid), pcnhub.OrgType(typ), pcnhub.ODSCode(pcn)
	o.Address.Lines = splitLines(lines)
	if o.Telecom, err = decodeTelecom(telecom); err != nil {
		return nil, err
	}
	if o.ListSizeDate, err = parseDateColumn(lsd); err != nil {
		return nil, err
	}
	o.Updated = time.UnixMicro(updated).UTC()
	return &o, nil
}

// OrganisationByODS returns the organisation with that ODS code, with its
// sites. ENOTFOUND when there is none.
func (s *Store) OrganisationByODS(ctx context.Context, ods pcnhub.ODSCode) (*pcnhub.Organisation, error) {
	o, err := scanOrganisation(s.db.QueryRowContext(ctx, s.q(`SELECT `+orgColumns+` FROM organisations WHERE ods = ?`), string(ods)))
	if err != nil {
		return nil, notFound(err, "organisation %s not found", ods)
	}
	return o, s.loadSites(ctx, o)
}

// OrganisationByID returns the organisation with that id. ENOTFOUND.
func (s *Store) OrganisationByID(ctx context.Context, id int64) (*pcnhub.Organisation, error) {
	o, err := scanOrganisation(s.db.QueryRowContext(ctx, s.q(`SELECT `+orgColumns+` FROM organisations WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "organisation %d not found", id)
	}
	return o, s.loadSites(ctx, o)
}

// OrganisationBySite returns the organisation that owns an ODS site code. ENOTFOUND.
func (s *Store) OrganisationBySite(ctx context.Context, site pcnhub.ODSCode) (*pcnhub.Organisation, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT org_id FROM organisation_sites WHERE ods = ?`), string(site)).Scan(&id)
	if err != nil {
		return nil, notFound(err, "site %s not found", site)
	}
	return s.OrganisationByID(ctx, id)
}

// ListOrganisations returns every organisation ordered by ODS code, with sites.
func (s *Store) ListOrganisations(ctx context.Context) ([]*pcnhub.Organisation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+orgColumns+` FROM organisations ORDER BY ods`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*pcnhub.Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range out {
		if err := s.loadSites(ctx, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) loadSites(ctx context.Context, o *pcnhub.Organisation) error {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT ods, name, address_lines, city, district, postcode
		FROM organisation_sites WHERE org_id = ? ORDER BY ods`), o.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	o.Sites = nil
	for rows.Next() {
		var site pcnhub.Site
		var ods, lines string
		if err := rows.Scan(&ods, &site.Name, &lines, &site.Address.City, &site.Address.District, &site.Address.Postcode); err != nil {
			return err
		}
		site.ODS, site.Address.Lines = pcnhub.ODSCode(ods), splitLines(lines)
		o.Sites = append(o.Sites, site)
	}
	return rows.Err()
}

// UpsertGroup creates or replaces the organisation group named g.Name with
// exactly g's members, and returns its id. EINVALID for an empty name or
// an invalid member code.
func (s *Store) UpsertGroup(ctx context.Context, g *pcnhub.OrganisationGroup) (int64, error) {
	if g.Name == "" {
		return 0, pcnhub.Errorf(pcnhub.EINVALID, "an organisation group needs a name")
	}
	for _, m := range g.Members {
		if _, err := pcnhub.ParseODSCode(string(m)); err != nil {
			return 0, fmt.Errorf("group %q: %w", g.Name, err)
		}
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO organisation_groups (name, description) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET description = excluded.description RETURNING id`),
			g.Name, g.Description).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM organisation_group_members WHERE group_id = ?`), id); err != nil {
			return err
		}
		for _, m := range g.Members {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO organisation_group_members (group_id, ods) VALUES (?, ?)
				ON CONFLICT DO NOTHING`), id, string(m)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("upsert group %q: %w", g.Name, err)
	}
	return id, nil
}

// ListGroups returns every organisation group with its members, by name.
func (s *Store) ListGroups(ctx context.Context) ([]*pcnhub.OrganisationGroup, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT g.id, g.name, g.description, COALESCE(m.ods, '')
		FROM organisation_groups g LEFT JOIN organisation_group_members m ON m.group_id = g.id
		ORDER BY g.name, m.ods`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*pcnhub.OrganisationGroup
	for rows.Next() {
		var id int64
		var name, desc, ods string
		if err := rows.Scan(&id, &name, &desc, &ods); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, &pcnhub.OrganisationGroup{ID: id, Name: name, Description: desc})
		}
		if ods != "" {
			g := out[len(out)-1]
			g.Members = append(g.Members, pcnhub.ODSCode(ods))
		}
	}
	return out, rows.Err()
}

// GroupByName returns the named organisation group. ENOTFOUND.
func (s *Store) GroupByName(ctx context.Context, name string) (*pcnhub.OrganisationGroup, error) {
	groups, err := s.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.Name == name {
			return g, nil
		}
	}
	return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "organisation group %q not found", name)
}
