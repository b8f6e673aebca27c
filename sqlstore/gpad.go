package sqlstore

import (
	"context"
	"fmt"

	"github.com/pcnhub/pcnhub/gpad"
)

// SetGPADMapping maps one of an organisation's slot types to a national
// category and setting (replacing any earlier mapping). The caller
// validates the names (gpad.Category, gpad.Setting).
func (s *Store) SetGPADMapping(ctx context.Context, orgID int64, m gpad.Mapping) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO gpad_mappings (org_id, slot_type, category, setting, updated_us)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, slot_type) DO UPDATE SET category = excluded.category,
		setting = excluded.setting, updated_us = excluded.updated_us
		WHERE gpad_mappings.category <> excluded.category OR gpad_mappings.setting <> excluded.setting`),
		orgID, m.SlotType, m.Category, m.Setting, s.clock.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("set GPAD mapping: %w", err)
	}
	return nil
}

// GPADMappings returns an organisation's mappings by slot type.
func (s *Store) GPADMappings(ctx context.Context, orgID int64) (map[string]gpad.Mapping, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT slot_type, category, setting FROM gpad_mappings WHERE org_id = ?`), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]gpad.Mapping{}
	for rows.Next() {
		var m gpad.Mapping
		if err := rows.Scan(&m.SlotType, &m.Category, &m.Setting); err != nil {
			return nil, err
		}
		out[m.SlotType] = m
	}
	return out, rows.Err()
}

// SlotTypesInUse returns the distinct slot types of an organisation's slots, sorted.
func (s *Store) SlotTypesInUse(ctx context.Context, orgID int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT service_type FROM slots WHERE org_id = ? AND service_type <> '' ORDER BY service_type`), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
