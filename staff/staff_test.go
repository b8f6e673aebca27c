package staff

import (
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
)

func TestOnlyCliniciansSeeRecords(t *testing.T) {
	for _, r := range Roles {
		if got, want := r.Can(ViewRecord), r == Clinician; got != want {
			t.Errorf("%s can view records: %v, want %v", r, got, want)
		}
	}
	if CallHandler.Can(ManageStaff) || Receptionist.Can(ManageBooks) || !PracticeManager.Can(ManageBooks) ||
		!CallHandler.Can(BookAppointments) || Administrator.Can(BookAppointments) {
		t.Error("grants are not what the roles need")
	}
	if Role("porter").Valid() || Role("porter").Can(SearchSlots) {
		t.Error("an unknown role grants something")
	}
	var nobody *Principal
	if nobody.Can(SearchSlots) || pcnhub.ErrorCode(nobody.Require(SearchSlots)) != pcnhub.EFORBIDDEN {
		t.Error("no principal may do anything")
	}
	p := &Principal{User: &User{}, Membership: Membership{OrgODS: "A99991", Role: Receptionist}}
	err := p.Require(ViewRecord)
	if pcnhub.ErrorCode(err) != pcnhub.EFORBIDDEN || !strings.Contains(err.Error(), "a receptionist may not view record") {
		t.Errorf("receptionist viewing a record: %v", err)
	}
	if r := p.Requester("t-1"); r.PractitionerSDS != "UNK" || r.RoleProfileID != "UNK" || r.OrganisationODS != "A99991" || r.Role != "receptionist" {
		t.Errorf("requester %+v", r)
	}
}

func TestPasswords(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q", h)
	}
	if !CheckPassword(h, "correct horse battery staple") || CheckPassword(h, "correct horse battery stapLe") || CheckPassword(h, "") {
		t.Error("password check")
	}
	if h2 := HashPassword("correct horse battery staple"); h2 == h || !CheckPassword(h2, "correct horse battery staple") {
		t.Error("two hashes of one password must differ (salt) and both match")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=65536,t=3,p=2$xx", "$bcrypt$…", strings.Replace(h, "v=19", "v=18", 1),
		strings.Replace(h, "m=65536", "m=0", 1), strings.Replace(h, "t=3", "t=99", 1)} {
		if CheckPassword(bad, "correct horse battery staple") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
	for pw, ok := range map[string]bool{"short": false, "twelve chars": true, "my name is jsmith!": false, strings.Repeat("x", 1025): false} {
		if err := CheckPasswordPolicy(pw, "jsmith"); (err == nil) != ok {
			t.Errorf("policy(%q) = %v", pw, err)
		}
	}
}

func TestLockout(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	u := &User{}
	for i := 1; i < MaxFailedLogins; i++ {
		if u.Failed(now) || u.Locked(now) {
			t.Fatalf("locked after %d failures", i)
		}
	}
	if !u.Failed(now) || !u.Locked(now) || !u.Locked(now.Add(LockFor-time.Second)) || u.Locked(now.Add(LockFor)) {
		t.Fatalf("lock after %d failures: %+v", MaxFailedLogins, u)
	}
}

func TestTokensAndNames(t *testing.T) {
	a, ha := NewToken(SessionPrefix)
	b, hb := NewToken(SessionPrefix)
	if a == b || ha == hb || !strings.HasPrefix(a, "pcs_") || len(a) != 4+43 || HashToken(a) != ha || strings.Contains(ha, a) {
		t.Errorf("tokens %q %q", a, b)
	}
	for in, want := range map[string]string{" J.Smith@Riverside ": "j.smith@riverside", "ab": "", "a b c": "", "rosa_p-1": "rosa_p-1"} {
		got, err := ParseUsername(in)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("ParseUsername(%q) = %q, %v", in, got, err)
		}
	}
}
