package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/staff"
)

// ---- Staff users

const staffUserColumns = `id, username, display_name, family, given, prefix, sds_user_id, service, password_hash,
	disabled, failed_logins, locked_until_us`

func scanStaffUser(row interface{ Scan(...any) error }) (*staff.User, error) {
	var u staff.User
	var locked int64
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Family, &u.Given, &u.Prefix, &u.SDSUserID, &u.Service,
		&u.PasswordHash, &u.Disabled, &u.FailedLogins, &locked); err != nil {
		return nil, err
	}
	if locked != 0 {
		u.LockedUntil = time.UnixMicro(locked).UTC()
	}
	return &u, nil
}

// CreateStaffUser stores a new user (its ID is set) with its memberships.
// EINVALID for a bad user name, a person without a password hash, or an
// unknown role; ECONFLICT when the user name is taken; ENOTFOUND when a
// membership names an organisation that does not exist.
func (s *Store) CreateStaffUser(ctx context.Context, u *staff.User) error {
	name, err := staff.ParseUsername(u.Username)
	if err != nil {
		return err
	}
	if !u.Service && u.PasswordHash == "" {
		return pcnhub.Errorf(pcnhub.EINVALID, "a staff user who signs in needs a password")
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var taken int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM staff_users WHERE username = ?`), name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return pcnhub.Errorf(pcnhub.ECONFLICT, "the user name %q is taken", name)
		}
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO staff_users (username, display_name, family, given, prefix, sds_user_id,
			service, password_hash, disabled, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			name, u.DisplayName, u.Family, u.Given, u.Prefix, u.SDSUserID, u.Service, u.PasswordHash, u.Disabled,
			s.clock.Now().UnixMicro()).Scan(&u.ID); err != nil {
			return err
		}
		for _, m := range u.Memberships {
			if err := s.setMembershipTx(ctx, tx, u.ID, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create staff user: %w", err)
	}
	u.Username = name
	return nil
}

func (s *Store) setMembershipTx(ctx context.Context, tx *sql.Tx, userID int64, m staff.Membership) error {
	if !m.Role.Valid() {
		return pcnhub.Errorf(pcnhub.EINVALID, "%q is not a role (%v)", m.Role, staff.Roles)
	}
	var orgID int64
	if err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM organisations WHERE ods = ?`), string(m.OrgODS)).Scan(&orgID); err != nil {
		return notFound(err, "no organisation has ODS code %s", m.OrgODS)
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO staff_memberships (user_id, org_id, role, role_profile_id) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, org_id) DO UPDATE SET role = excluded.role, role_profile_id = excluded.role_profile_id`),
		userID, orgID, string(m.Role), m.RoleProfileID)
	return err
}

// SetStaffMembership gives a user a role at an organisation (replacing
// the role they had there). ENOTFOUND for an unknown user or
// organisation; EINVALID for an unknown role.
func (s *Store) SetStaffMembership(ctx context.Context, userID int64, m staff.Membership) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM staff_users WHERE id = ?`), userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return pcnhub.Errorf(pcnhub.ENOTFOUND, "no staff user %d", userID)
		}
		return s.setMembershipTx(ctx, tx, userID, m)
	})
	if err != nil {
		return fmt.Errorf("set membership: %w", err)
	}
	return nil
}

// StaffUserByName returns a user with their memberships; ENOTFOUND.
func (s *Store) StaffUserByName(ctx context.Context, username string) (*staff.User, error) {
	name, err := staff.ParseUsername(username)
	if err != nil {
		return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "no staff user %q", username)
	}
	return s.staffUserWhere(ctx, `username = ?`, name)
}

// StaffUserByID returns a user with their memberships; ENOTFOUND.
func (s *Store) StaffUserByID(ctx context.Context, id int64) (*staff.User, error) {
	return s.staffUserWhere(ctx, `id = ?`, id)
}

func (s *Store) staffUserWhere(ctx context.Context, where string, arg any) (*staff.User, error) {
	u, err := scanStaffUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+staffUserColumns+` FROM staff_users WHERE `+where), arg))
	if err != nil {
		return nil, notFound(err, "no such staff user")
	}
	if u.Memberships, err = s.memberships(ctx, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Store) memberships(ctx context.Context, userID int64) ([]staff.Membership, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT m.org_id, o.ods, o.name, m.role, m.role_profile_id
		FROM staff_memberships m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY o.ods`), userID)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	defer rows.Close()
	var out []staff.Membership
	for rows.Next() {
		var m staff.Membership
		var ods, role string
		if err := rows.Scan(&m.OrgID, &ods, &m.OrgName, &role, &m.RoleProfileID); err != nil {
			return nil, err
		}
		m.OrgODS, m.Role = pcnhub.ODSCode(ods), staff.Role(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

// ListStaffUsers returns every user with their memberships, by user name.
func (s *Store) ListStaffUsers(ctx context.Context) ([]*staff.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+staffUserColumns+` FROM staff_users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	var out []*staff.User
	for rows.Next() {
		u, err := scanStaffUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, u := range out {
		if u.Memberships, err = s.memberships(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetStaffPassword replaces a user's password hash and unlocks the
// account. ENOTFOUND.
func (s *Store) SetStaffPassword(ctx context.Context, userID int64, hash string) error {
	return s.updateStaff(ctx, userID, `password_hash = ?, failed_logins = 0, locked_until_us = 0`, hash)
}

// SetStaffDisabled disables or re-enables a user; disabling ends their
// sessions. ENOTFOUND.
func (s *Store) SetStaffDisabled(ctx context.Context, userID int64, disabled bool) error {
	if err := s.updateStaff(ctx, userID, `disabled = ?`, disabled); err != nil {
		return err
	}
	if disabled {
		_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM staff_sessions WHERE user_id = ?`), userID)
		return err
	}
	return nil
}

func (s *Store) updateStaff(ctx context.Context, userID int64, set string, args ...any) error {
	r, err := s.db.ExecContext(ctx, s.q(`UPDATE staff_users SET `+set+` WHERE id = ?`), append(args, userID)...)
	if err != nil {
		return fmt.Errorf("update staff user: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return pcnhub.Errorf(pcnhub.ENOTFOUND, "no staff user %d", userID)
	}
	return nil
}

// RecordSignIn records the outcome of a password check at now, in one
// statement so that concurrent attempts all count: a success resets the
// failure count; the staff.MaxFailedLogins-th failure in a row locks the
// account for staff.LockFor. It returns whether the account is now locked.
func (s *Store) RecordSignIn(ctx context.Context, userID int64, ok bool, now time.Time) (bool, error) {
	if ok {
		return false, s.updateStaff(ctx, userID, `failed_logins = 0`)
	}
	var locked int64
	err := s.db.QueryRowContext(ctx, s.q(`UPDATE staff_users SET
		locked_until_us = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until_us END,
		failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END
		WHERE id = ? RETURNING locked_until_us`),
		staff.MaxFailedLogins, now.Add(staff.LockFor).UnixMicro(), staff.MaxFailedLogins, userID).Scan(&locked)
	if err != nil {
		return false, notFound(err, "no staff user %d", userID)
	}
	return locked > now.UnixMicro(), nil
}

// ---- Sessions

// CreateSession stores a session, and removes sessions that have expired
// (abandoned without signing out) so that the table does not grow.
func (s *Store) CreateSession(ctx context.Context, se *staff.Session) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM staff_sessions WHERE expires_us <= ?`), se.Created.UnixMicro()); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO staff_sessions (token_hash, csrf, user_id, org_ods, created_us, expires_us)
		VALUES (?, ?, ?, ?, ?, ?)`), se.TokenHash, se.CSRF, se.UserID, string(se.OrgODS), se.Created.UnixMicro(), se.Expires.UnixMicro())
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByToken returns the live session whose token hashes to hash at
// now, and moves its idle expiry on (at most staff.SessionMax after it was
// created). ENOTFOUND for an unknown or expired session (an expired one is
// deleted).
func (s *Store) SessionByToken(ctx context.Context, hash string, now time.Time) (*staff.Session, error) {
	var se staff.Session
	var org string
	var created, expires int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT token_hash, csrf, user_id, org_ods, created_us, expires_us
		FROM staff_sessions WHERE token_hash = ?`), hash).Scan(&se.TokenHash, &se.CSRF, &se.UserID, &org, &created, &expires)
	if err != nil {
		return nil, notFound(err, "no such session")
	}
	se.OrgODS, se.Created, se.Expires = pcnhub.ODSCode(org), time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
	if !now.Before(se.Expires) {
		s.db.ExecContext(ctx, s.q(`DELETE FROM staff_sessions WHERE token_hash = ?`), hash)
		return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "the session has expired")
	}
	// Slide the idle expiry, writing at most once a minute per session.
	next := now.Add(staff.SessionIdle)
	if limit := se.Created.Add(staff.SessionMax); next.After(limit) {
		next = limit
	}
	if next.Sub(se.Expires) > time.Minute {
		s.db.ExecContext(ctx, s.q(`UPDATE staff_sessions SET expires_us = ? WHERE token_hash = ?`), next.UnixMicro(), hash)
		se.Expires = next
	}
	return &se, nil
}

// SetSessionOrganisation switches the organisation a session acts for.
func (s *Store) SetSessionOrganisation(ctx context.Context, hash string, ods pcnhub.ODSCode) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE staff_sessions SET org_ods = ? WHERE token_hash = ?`), string(ods), hash)
	return err
}

// DeleteSession ends a session (signing out).
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM staff_sessions WHERE token_hash = ?`), hash)
	return err
}

// ---- API tokens

// CreateAPIToken stores a token (its ID is set). ENOTFOUND when the user
// does not exist; EINVALID when the user is not a member of the token's
// organisation.
func (s *Store) CreateAPIToken(ctx context.Context, t *staff.APIToken) error {
	u, err := s.StaffUserByID(ctx, t.UserID)
	if err != nil {
		return err
	}
	if _, ok := u.Membership(t.OrgODS); !ok {
		return pcnhub.Errorf(pcnhub.EINVALID, "%s is not a member of %s", u.Username, t.OrgODS)
	}
	var expires int64
	if !t.Expires.IsZero() {
		expires = t.Expires.UnixMicro()
	}
	err = s.db.QueryRowContext(ctx, s.q(`INSERT INTO api_tokens (token_hash, name, user_id, org_ods, created_us, expires_us)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), t.Hash, t.Name, t.UserID, string(t.OrgODS), t.Created.UnixMicro(), expires).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("create API token: %w", err)
	}
	return nil
}

// APITokenByHash returns the live token with that hash at now and marks it
// used (at most once a minute). ENOTFOUND for an unknown, revoked or
// expired token.
func (s *Store) APITokenByHash(ctx context.Context, hash string, now time.Time) (*staff.APIToken, error) {
	var t staff.APIToken
	var org string
	var created, expires, used int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, token_hash, name, user_id, org_ods, created_us, expires_us, revoked, last_used_us
		FROM api_tokens WHERE token_hash = ?`), hash).Scan(&t.ID, &t.Hash, &t.Name, &t.UserID, &org, &created, &expires, &t.Revoked, &used)
	if err != nil {
		return nil, notFound(err, "no such API token")
	}
	t.OrgODS, t.Created = pcnhub.ODSCode(org), time.UnixMicro(created).UTC()
	if expires != 0 {
		t.Expires = time.UnixMicro(expires).UTC()
	}
	if t.Revoked || !t.Expires.IsZero() && !now.Before(t.Expires) {
		return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "the API token is revoked or expired")
	}
	if now.UnixMicro()-used > int64(time.Minute/time.Microsecond) {
		s.db.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used_us = ? WHERE id = ?`), now.UnixMicro(), t.ID)
	}
	t.LastUsed = time.UnixMicro(used).UTC()
	return &t, nil
}

// RevokeAPIToken revokes a token by id. ENOTFOUND.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	r, err := s.db.ExecContext(ctx, s.q(`UPDATE api_tokens SET revoked = ? WHERE id = ?`), true, id)
	if err != nil {
		return fmt.Errorf("revoke API token: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return pcnhub.Errorf(pcnhub.ENOTFOUND, "no API token %d", id)
	}
	return nil
}
