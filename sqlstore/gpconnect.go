package sqlstore

import (
	"context"
	"fmt"

	"github.com/pcnhub/pcnhub"
)

// SetGPConnectEnabled switches a capability on or off for an
// organisation, and audits the change. ENOTFOUND for an unknown organisation.
func (s *Store) SetGPConnectEnabled(ctx context.Context, orgID int64, capability string, on bool, actor string) error {
	org, err := s.OrganisationByID(ctx, orgID)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO gpconnect_enablement (org_id, capability, enabled, updated_us)
		VALUES (?, ?, ?, ?) ON CONFLICT (org_id, capability) DO UPDATE SET enabled = excluded.enabled,
		updated_us = excluded.updated_us`), orgID, capability, on, s.clock.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("set GP Connect %s for %s: %w", capability, org.ODS, err)
	}
	state := "off"
	if on {
		state = "on"
	}
	return s.AppendAudit(ctx, &pcnhub.AuditEvent{Action: "gpconnect.enablement", Actor: actor, OrgODS: org.ODS,
		Outcome: "ok", Detail: capability + " " + state})
}

// GPConnectSwitches returns every switch of an organisation, by capability.
func (s *Store) GPConnectSwitches(ctx context.Context, orgID int64) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT capability, enabled FROM gpconnect_enablement WHERE org_id = ?`), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		var on bool
		if err := rows.Scan(&c, &on); err != nil {
			return nil, err
		}
		out[c] = on
	}
	return out, rows.Err()
}

// GPConnectPractice returns the organisation with that ODS code (without
// its sites) and the state of the two switches a GP Connect call needs —
// the practice-wide one and the capability's — in one query: it runs on
// every call. ENOTFOUND for an unknown organisation.
func (s *Store) GPConnectPractice(ctx context.Context, ods pcnhub.ODSCode, capability string) (org *pcnhub.Organisation, global, capOn bool, err error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+orgColumns+`,
		COALESCE((SELECT enabled FROM gpconnect_enablement e WHERE e.org_id = organisations.id AND e.capability = 'gpconnect'), FALSE),
		COALESCE((SELECT enabled FROM gpconnect_enablement e WHERE e.org_id = organisations.id AND e.capability = ?), FALSE)
		FROM organisations WHERE ods = ?`), capability, string(ods))
	org, err = scanOrganisation(scanFunc(func(dest ...any) error {
		return row.Scan(append(dest, &global, &capOn)...)
	}))
	if err != nil {
		return nil, false, false, notFound(err, "organisation %s not found", ods)
	}
	return org, global, capOn, nil
}

// scanFunc adapts a function to the Scan method scanners take.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
