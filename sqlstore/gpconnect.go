package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pcnhub/pcnhub"
)

// GPConnectEnabled reports whether the organisation has switched the GP
// Connect capability on. Off when never set.
func (s *Store) GPConnectEnabled(ctx context.Context, orgID int64, capability string) (bool, error) {
	var on bool
	err := s.db.QueryRowContext(ctx, s.q(`SELECT enabled FROM gpconnect_enablement WHERE org_id = ? AND capability = ?`),
		orgID, capability).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return on, err
}

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
