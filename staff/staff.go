// Package staff is who works in pcnhub and what they may do: staff users
// bound to organisations with role profiles, the permissions of each role,
// passwords (argon2id), the lockout rule, and the tokens of sessions and of
// machine consumers. It holds no I/O; sqlstore keeps users, sessions and
// tokens.
//
// Smartcards are out of reach here, but a user carries an SDS user id and
// each membership an SDS role profile id, so that an NHS CIS2 login can
// later stand in for the password without changing what the rest of
// pcnhub sees: a user, an organisation, a role.
package staff

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
)

// Role is a role profile in pcnhub's terms.
type Role string

const (
	Receptionist    Role = "receptionist"
	Clinician       Role = "clinician"
	PracticeManager Role = "practice-manager"
	HubManager      Role = "hub-manager"
	CallHandler     Role = "111-call-handler"
	Administrator   Role = "administrator"
)

// Roles are every role, in the order people read them.
var Roles = []Role{Receptionist, Clinician, CallHandler, PracticeManager, HubManager, Administrator}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Permission is something a role may do.
type Permission string

const (
	SearchSlots         Permission = "search-slots"      // search free slots, here and across practices
	BookAppointments    Permission = "book-appointments" // book, amend and cancel; register temporarily
	FindPatients        Permission = "find-patients"     // find a patient by NHS number or trace by name and birth date
	RecordOutcomes      Permission = "record-outcomes"   // arrived, attended, did not attend
	ViewRecord          Permission = "view-record"       // read a patient's GP record
	ViewReports         Permission = "view-reports"      // 111, enhanced access, GPAD
	ManageBooks         Permission = "manage-books"      // session templates and slot rules
	ManageAgreements    Permission = "manage-agreements" // data sharing agreements
	ManageDirectory     Permission = "manage-directory"  // the endpoint directory
	ManageStaff         Permission = "manage-staff"      // staff users and roles
	ViewAudit           Permission = "view-audit"        // the audit trail
	ManageOrganisations Permission = "manage-organisations"
)

// grants are the permissions of each role. Only clinicians see records.
var grants = map[Role][]Permission{
	Receptionist:    {SearchSlots, BookAppointments, FindPatients, RecordOutcomes},
	Clinician:       {SearchSlots, BookAppointments, FindPatients, RecordOutcomes, ViewRecord},
	CallHandler:     {SearchSlots, BookAppointments, FindPatients},
	PracticeManager: {SearchSlots, BookAppointments, FindPatients, RecordOutcomes, ViewReports, ManageBooks, ManageAgreements, ManageStaff, ViewAudit},
	HubManager:      {SearchSlots, BookAppointments, FindPatients, RecordOutcomes, ViewReports, ManageBooks, ManageAgreements, ManageDirectory, ManageStaff, ViewAudit},
	Administrator:   {ViewReports, ManageBooks, ManageAgreements, ManageDirectory, ManageStaff, ViewAudit, ManageOrganisations},
}

// Can reports whether the role grants p.
func (r Role) Can(p Permission) bool { return slices.Contains(grants[r], p) }

// Permissions are the role's permissions.
func (r Role) Permissions() []Permission { return slices.Clone(grants[r]) }

// Membership binds a user to an organisation in a role.
type Membership struct {
	OrgID         int64
	OrgODS        pcnhub.ODSCode
	OrgName       string
	Role          Role
	RoleProfileID string // SDS role profile id; "" when not known
}

// User is a staff user (a person) or a service user (a machine consumer,
// which signs in with API tokens only).
type User struct {
	ID           int64
	Username     string // unique, lower case
	DisplayName  string
	Family       string
	Given        string
	Prefix       string
	SDSUserID    string // "" when not known
	Service      bool   // a machine consumer: no password, tokens only
	PasswordHash string // argon2id PHC string; "" for service users
	Disabled     bool
	FailedLogins int
	LockedUntil  time.Time
	Memberships  []Membership
}

// Membership returns the user's membership of an organisation.
func (u *User) Membership(ods pcnhub.ODSCode) (Membership, bool) {
	for _, m := range u.Memberships {
		if m.OrgODS == ods {
			return m, true
		}
	}
	return Membership{}, false
}

// ParseUsername checks and normalizes a user name: 3 to 64 characters of
// letters, digits and . _ - @, compared without case. EINVALID.
func ParseUsername(s string) (string, error) {
	u := strings.ToLower(strings.TrimSpace(s))
	if len(u) < 3 || len(u) > 64 {
		return "", pcnhub.Errorf(pcnhub.EINVALID, "a user name has 3 to 64 characters")
	}
	for _, c := range u {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("._-@", c)) {
			return "", pcnhub.Errorf(pcnhub.EINVALID, "a user name may hold letters, digits and . _ - @ only")
		}
	}
	return u, nil
}

// Lockout: after MaxFailedLogins wrong passwords in a row an account is
// locked for LockFor; a right password resets the count.
const (
	MaxFailedLogins = 5
	LockFor         = 15 * time.Minute
)

// Locked reports whether the account is locked at now.
func (u *User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

// Failed records a wrong password at now and reports whether the account
// is now locked.
func (u *User) Failed(now time.Time) bool {
	u.FailedLogins++
	if u.FailedLogins >= MaxFailedLogins {
		u.LockedUntil = now.Add(LockFor)
		u.FailedLogins = 0
		return true
	}
	return false
}

// Session is a signed-in user's server-side session: the token is the
// cookie value (only its hash is stored), the CSRF token guards every
// state-changing request, and the current organisation is the one the
// user acts for.
type Session struct {
	TokenHash string
	CSRF      string
	UserID    int64
	OrgODS    pcnhub.ODSCode
	Created   time.Time
	Expires   time.Time
}

// Session lifetimes: idle sessions end after SessionIdle, every session
// after SessionMax.
const (
	SessionIdle = 8 * time.Hour
	SessionMax  = 12 * time.Hour
)

// NewToken returns a fresh random token with a prefix naming its kind
// ("pcs_" for sessions, "pct_" for API tokens) and its SHA-256 hash, the
// only form stored.
func NewToken(prefix string) (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("staff: no randomness: %v", err)) // crypto/rand does not fail on Linux
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Token prefixes.
const (
	SessionPrefix  = "pcs_"
	APITokenPrefix = "pct_"
)

// APIToken is a machine consumer's bearer token (only its hash is
// stored), acting as its user at one organisation.
type APIToken struct {
	ID       int64
	Hash     string
	Name     string // what it is for, e.g. "NHS 111 CAS integration"
	UserID   int64
	OrgODS   pcnhub.ODSCode
	Created  time.Time
	Expires  time.Time // zero: never
	Revoked  bool
	LastUsed time.Time
}

// Principal is who is acting on a request: a user at one of their
// organisations in one role. Handlers check permissions on it.
type Principal struct {
	User       *User
	Membership Membership
	ViaToken   bool // an API token rather than a browser session
}

// Can reports whether the principal may do p.
func (p *Principal) Can(perm Permission) bool { return p != nil && p.Membership.Role.Can(perm) }

// Require returns EFORBIDDEN unless the principal may do p.
func (p *Principal) Require(perm Permission) error {
	if p.Can(perm) {
		return nil
	}
	role := Role("nobody")
	if p != nil {
		role = p.Membership.Role
	}
	return pcnhub.Errorf(pcnhub.EFORBIDDEN, "a %s may not %s", role, strings.ReplaceAll(string(perm), "-", " "))
}

// Requester is the principal as the rest of pcnhub sees a requester (the
// identity a GP Connect call carries).
func (p *Principal) Requester(traceID string) pcnhub.Requester {
	sds, profile := p.User.SDSUserID, p.Membership.RoleProfileID
	if sds == "" {
		sds = "UNK"
	}
	if profile == "" {
		profile = "UNK"
	}
	return pcnhub.Requester{OrganisationODS: p.Membership.OrgODS, PractitionerSDS: sds, RoleProfileID: profile,
		Role: string(p.Membership.Role), Device: "pcnhub", TraceID: traceID}
}
