package sqlstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
	"github.com/pcnhub/pcnhub/staff"
)

// A cheap stand-in for an argon2id hash: the store keeps whatever hash it
// is given, and these tests are about the store.
const fakeHash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$a2V5"

func TestStaffUsers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		mustOrg(t, s, "A99991")
		mustOrg(t, s, "A99992")
		u := &staff.User{Username: " Rosa.Patel ", DisplayName: "Rosa Patel", SDSUserID: "999900002001", PasswordHash: fakeHash,
			Memberships: []staff.Membership{{OrgODS: "A99991", Role: staff.Receptionist}}}
		if err := s.CreateStaffUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Username != "rosa.patel" {
			t.Fatalf("created %+v", u)
		}
		dup := &staff.User{Username: "ROSA.PATEL", PasswordHash: fakeHash}
		if err := s.CreateStaffUser(ctx, dup); pcnhub.ErrorCode(err) != pcnhub.ECONFLICT {
			t.Fatalf("duplicate user name: %v", err)
		}
		if err := s.CreateStaffUser(ctx, &staff.User{Username: "nopassword"}); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("a person without a password: %v", err)
		}
		bad := &staff.User{Username: "someone", PasswordHash: fakeHash, Memberships: []staff.Membership{{OrgODS: "A99991", Role: "porter"}}}
		if err := s.CreateStaffUser(ctx, bad); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("unknown role: %v", err)
		}
		if _, err := s.StaffUserByName(ctx, "someone"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("a refused user was half-created: %v", err)
		}
		if err := s.SetStaffMembership(ctx, u.ID, staff.Membership{OrgODS: "A99992", Role: staff.Clinician, RoleProfileID: "999900002011"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStaffMembership(ctx, u.ID, staff.Membership{OrgODS: "Z99999", Role: staff.Clinician}); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("membership of an unknown organisation: %v", err)
		}
		got, err := s.StaffUserByName(ctx, "rosa.patel")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Memberships) != 2 || got.Memberships[1].OrgODS != "A99992" || got.Memberships[1].Role != staff.Clinician ||
			got.Memberships[1].RoleProfileID != "999900002011" || got.Memberships[0].OrgName == "" || got.SDSUserID != "999900002001" {
			t.Fatalf("read back %+v", got)
		}
		all, err := s.ListStaffUsers(ctx)
		if err != nil || len(all) != 1 || len(all[0].Memberships) != 2 {
			t.Fatalf("list: %+v %v", all, err)
		}
	})
}

// Concurrent wrong passwords all count: the fifth locks the account.
func TestSignInLockout(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		u := &staff.User{Username: "locky", PasswordHash: fakeHash}
		if err := s.CreateStaffUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		locks := make(chan bool, staff.MaxFailedLogins)
		for range staff.MaxFailedLogins {
			wg.Add(1)
			go func() {
				defer wg.Done()
				locked, err := s.RecordSignIn(ctx, u.ID, false, now)
				if err != nil {
					t.Error(err)
				}
				locks <- locked
			}()
		}
		wg.Wait()
		close(locks)
		n := 0
		for l := range locks {
			if l {
				n++
			}
		}
		got, err := s.StaffUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || !got.Locked(now) || got.Locked(now.Add(staff.LockFor)) {
			t.Fatalf("after %d concurrent failures: locked reported %d times, user %+v", staff.MaxFailedLogins, n, got)
		}
		if err := s.SetStaffPassword(ctx, u.ID, fakeHash); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.StaffUserByID(ctx, u.ID); got.Locked(now) {
			t.Fatal("a new password does not unlock")
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		mustOrg(t, s, "A99991")
		u := &staff.User{Username: "sam", PasswordHash: fakeHash, Memberships: []staff.Membership{{OrgODS: "A99991", Role: staff.Clinician}}}
		if err := s.CreateStaffUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		token, hash := staff.NewToken(staff.SessionPrefix)
		se := &staff.Session{TokenHash: hash, CSRF: "c", UserID: u.ID, OrgODS: "A99991", Created: now, Expires: now.Add(staff.SessionIdle)}
		if err := s.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
		got, err := s.SessionByToken(ctx, staff.HashToken(token), now.Add(time.Hour))
		if err != nil || got.UserID != u.ID || !got.Expires.Equal(now.Add(time.Hour+staff.SessionIdle)) {
			t.Fatalf("session after an hour: %+v %v", got, err)
		}
		// Used every few hours, it still ends SessionMax after it began.
		if got, err = s.SessionByToken(ctx, hash, now.Add(8*time.Hour)); err != nil || !got.Expires.Equal(now.Add(staff.SessionMax)) {
			t.Fatalf("session after eight hours: %+v %v", got, err)
		}
		// An abandoned session goes when someone next signs in after it
		// expired.
		_, hash2 := staff.NewToken(staff.SessionPrefix)
		later := now.Add(staff.SessionMax + time.Minute)
		if err := s.CreateSession(ctx, &staff.Session{TokenHash: hash2, CSRF: "d", UserID: u.ID, OrgODS: "A99991", Created: later,
			Expires: later.Add(staff.SessionIdle)}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_sessions`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d sessions stored after the first expired (%v)", n, err)
		}
		if _, err := s.SessionByToken(ctx, hash, now.Add(staff.SessionMax)); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("expired session: %v", err)
		}
		if _, err := s.SessionByToken(ctx, hash, now); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("an expired session is deleted: %v", err)
		}

		apiToken, apiHash := staff.NewToken(staff.APITokenPrefix)
		tok := &staff.APIToken{Hash: apiHash, Name: "111 CAS", UserID: u.ID, OrgODS: "A99991", Created: now, Expires: now.Add(24 * time.Hour)}
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAPIToken(ctx, &staff.APIToken{Hash: "x", Name: "elsewhere", UserID: u.ID, OrgODS: "A99992", Created: now}); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("a token for an organisation the user is not in: %v", err)
		}
		if got, err := s.APITokenByHash(ctx, staff.HashToken(apiToken), now.Add(time.Hour)); err != nil || got.ID != tok.ID || got.OrgODS != "A99991" {
			t.Fatalf("token: %+v %v", got, err)
		}
		if _, err := s.APITokenByHash(ctx, apiHash, now.Add(24*time.Hour)); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("expired token: %v", err)
		}
		if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.APITokenByHash(ctx, apiHash, now); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("revoked token: %v", err)
		}
		if err := s.SetStaffDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
	})
}
