package web

// Staff users and roles. A manager manages the memberships of their own
// organisation: adds users to it, gives existing users a role there,
// changes roles there. Disabling, enabling and resetting a password act
// on the whole account, so a manager may do them only to accounts that
// work at their organisation alone; an administrator to anyone. Nobody
// but an administrator gives or takes away the administrator role, and
// nobody disables their own account or changes their own role. Every
// change is audited as "ui.config.staff" (never a password).

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/staff"
)

// cfgStaffRow is one user of the list.
type cfgStaffRow struct {
	ID                    int64
	Username, Name, SDS   string
	Roles                 []string
	State                 string
	Disabled, Locked      bool
	Service, Self         bool
	RoleHere              staff.Role
	CanRole, CanAccount   bool
	AccountNote           string // why the account is not this user's to change
	RoleAction, RoleField string
	DisableAction         string
	EnableAction          string
	PasswordURL           string
}

// cfgStaffView is the staff page.
type cfgStaffView struct {
	Scope       *configScope
	Rows        []cfgStaffRow
	Form        *Form // adding a user
	Grant       *Form // giving an existing user a role here
	Roles       []cfgOption
	Action      string
	GrantAction string
	MinPassword int
	AllUsers    bool
}

// cfgGrantable are the roles p may give.
func cfgGrantable(p *staff.Principal) []cfgOption {
	var out []cfgOption
	for _, r := range staff.Roles {
		if r == staff.Administrator && !configIsAdmin(p) {
			continue
		}
		out = append(out, cfgOption{string(r), upperFirst(roleName(r)), ""})
	}
	return out
}

// cfgAccountRule says whether p may disable, enable or reset the password
// of u's account (EFORBIDDEN with the reason when not).
func cfgAccountRule(p *staff.Principal, u *staff.User) error {
	if configIsAdmin(p) {
		return nil
	}
	own := p.Membership.OrgODS
	if _, ok := u.Membership(own); !ok {
		return pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s does not work at %s", u.Username, own)
	}
	for _, m := range u.Memberships {
		if m.Role == staff.Administrator {
			return pcnhub.Errorf(pcnhub.EFORBIDDEN, "only an administrator can change an administrator's account")
		}
		if m.OrgODS != own {
			return pcnhub.Errorf(pcnhub.EFORBIDDEN, "this account also works at %s (%s): an administrator changes it", m.OrgName, m.OrgODS)
		}
	}
	return nil
}

// cfgRoleRule says whether p may give u the role at org (EFORBIDDEN or
// EINVALID with the reason when not).
func cfgRoleRule(p *staff.Principal, u *staff.User, org pcnhub.ODSCode, role staff.Role) error {
	admin := configIsAdmin(p)
	switch {
	case u.ID == p.User.ID:
		return pcnhub.Errorf(pcnhub.EFORBIDDEN, "you cannot change your own role: ask another manager or an administrator")
	case !role.Valid():
		return pcnhub.Errorf(pcnhub.EINVALID, "choose a role from the list")
	case role == staff.Administrator && !admin:
		return pcnhub.Errorf(pcnhub.EFORBIDDEN, "only an administrator can give the administrator role")
	}
	if m, ok := u.Membership(org); ok && m.Role == staff.Administrator && !admin {
		return pcnhub.Errorf(pcnhub.EFORBIDDEN, "only an administrator can change an administrator's role")
	}
	return nil
}

func (u *UI) renderStaff(w http.ResponseWriter, r *http.Request, status int, pg *Page, sc *configScope, add, grant *Form) {
	users, err := u.Store.ListStaffUsers(r.Context())
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	now := u.now()
	v := &cfgStaffView{Scope: sc, Form: add, Grant: grant, Roles: cfgGrantable(pg.P), Action: "/config/staff" + sc.Query(),
		GrantAction: "/config/staff/grant" + sc.Query(), MinPassword: staff.MinPasswordLength, AllUsers: sc.Admin}
	for _, su := range users {
		here, member := su.Membership(sc.Org.ODS)
		if !member && !sc.Admin {
			continue
		}
		id := strconv.FormatInt(su.ID, 10)
		row := cfgStaffRow{ID: su.ID, Username: su.Username, Name: su.DisplayName, SDS: su.SDSUserID, Service: su.Service,
			Self: su.ID == pg.P.User.ID, Disabled: su.Disabled, Locked: su.Locked(now),
			RoleAction: "/config/staff/" + id + "/role" + sc.Query(), RoleField: "role-" + id,
			DisableAction: "/config/staff/" + id + "/disable" + sc.Query(), EnableAction: "/config/staff/" + id + "/enable" + sc.Query(),
			PasswordURL: "/config/staff/" + id + "/password" + sc.Query()}
		for _, m := range su.Memberships {
			row.Roles = append(row.Roles, upperFirst(roleName(m.Role))+" at "+m.OrgName+" ("+string(m.OrgODS)+")")
		}
		switch {
		case su.Disabled:
			row.State = "Disabled"
		case row.Locked:
			row.State = "Locked until " + su.LockedUntil.In(pcnhub.London).Format("15:04") + " (too many wrong passwords)"
		default:
			row.State = "Active"
		}
		if su.Service {
			row.State += ", service user (API tokens only)"
		}
		if member {
			row.RoleHere = here.Role
			row.CanRole = cfgRoleRule(pg.P, su, sc.Org.ODS, here.Role) == nil
		}
		switch err := cfgAccountRule(pg.P, su); {
		case row.Self:
			row.AccountNote = "Your own account"
		case err != nil:
			row.AccountNote = upperFirst(pcnhub.ErrorMessage(err))
		default:
			row.CanAccount = true
		}
		v.Rows = append(v.Rows, row)
	}
	pg.Title, pg.Data = "Staff users and roles", v
	u.render(w, status, "config_staff.html", pg)
}

// configStaff (GET /config/staff) lists the organisation's staff (an
// administrator's: everyone) with the forms.
func (u *UI) configStaff(w http.ResponseWriter, r *http.Request, pg *Page) {
	sc, err := u.configOrg(r.Context(), r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	u.renderStaff(w, r, http.StatusOK, pg, sc, NewForm(url.Values{"role": {string(staff.Receptionist)}}),
		NewForm(url.Values{"grant_role": {string(staff.Receptionist)}}))
}

// configAddStaff (POST /config/staff: username, display_name, given,
// family, role, password, sds_user_id) adds a user with a role at the
// organisation.
func (u *UI) configAddStaff(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	r.ParseForm()
	f := NewForm(r.PostForm)
	nu := &staff.User{DisplayName: f.Get("display_name"), Given: f.Get("given"), Family: f.Get("family"), SDSUserID: f.Get("sds_user_id")}
	if v := f.Get("username"); v == "" {
		f.Fail("username", "Enter a user name, like jo.bloggs")
	} else if nu.Username, err = staff.ParseUsername(v); err != nil {
		f.Fail("username", upperFirst(pcnhub.ErrorMessage(err)))
	} else if _, err := u.Store.StaffUserByName(ctx, nu.Username); err == nil {
		f.Fail("username", fmt.Sprintf("The user name %s is taken: choose another", nu.Username))
	}
	switch {
	case nu.DisplayName == "":
		f.Fail("display_name", "Enter the person's name as staff see it, like Jo Bloggs")
	case len(nu.DisplayName) > 100:
		f.Fail("display_name", "The name can be at most 100 characters")
	}
	if len(nu.Given) > 100 {
		f.Fail("given", "Given names can be at most 100 characters")
	}
	if len(nu.Family) > 100 {
		f.Fail("family", "The family name can be at most 100 characters")
	}
	if nu.Given == "" && nu.Family == "" {
		if fields := strings.Fields(nu.DisplayName); len(fields) > 0 {
			nu.Family, nu.Given = fields[len(fields)-1], strings.Join(fields[:len(fields)-1], " ")
		}
	}
	role := staff.Role(f.Get("role"))
	switch {
	case !role.Valid():
		f.Fail("role", "Choose the person's role")
	case role == staff.Administrator && !sc.Admin:
		u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, pcnhub.EFORBIDDEN, fmt.Sprintf("refused: add user %q as administrator", f.Get("username")))
		f.Fail("role", "Only an administrator can give the administrator role: choose another role")
	}
	pw := f.Values.Get("password")
	if pw == "" {
		f.Fail("password", fmt.Sprintf("Enter a first password of at least %d characters", staff.MinPasswordLength))
	} else if err := staff.CheckPasswordPolicy(pw, nu.Username); err != nil {
		f.Fail("password", upperFirst(pcnhub.ErrorMessage(err)))
	}
	if nu.SDSUserID != "" {
		ok := len(nu.SDSUserID) <= 20
		for _, c := range nu.SDSUserID {
			ok = ok && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')
		}
		if !ok {
			f.Fail("sds_user_id", "An SDS user id has up to 20 letters and digits, like 555123456789; leave it empty when not known")
		}
	}
	if f.OK() {
		nu.PasswordHash = staff.HashPassword(pw)
		nu.Memberships = []staff.Membership{{OrgODS: sc.Org.ODS, Role: role}}
		err = u.Store.CreateStaffUser(ctx, nu)
		switch pcnhub.ErrorCode(err) {
		case "":
			u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, "ok", fmt.Sprintf("added user %s (%s) as %s at %s", nu.Username, nu.DisplayName, role, sc.Org.ODS))
			configDone(w, r, "/config/staff"+sc.Query(), fmt.Sprintf("%s added as %s: they can sign in as %s with the password you gave", nu.DisplayName, roleName(role), nu.Username))
			return
		case pcnhub.ECONFLICT, pcnhub.EINVALID:
			f.Fail("username", upperFirst(pcnhub.ErrorMessage(err)))
		default:
			u.fail(w, r, pg, err)
			return
		}
	}
	f.Values.Del("password")
	u.renderStaff(w, r, http.StatusUnprocessableEntity, pg, sc, f, NewForm(url.Values{"grant_role": {string(staff.Receptionist)}}))
}

// configGrantStaff (POST /config/staff/grant: grant_username, grant_role)
// gives an existing user a role at the organisation.
func (u *UI) configGrantStaff(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	r.ParseForm()
	g := NewForm(r.PostForm)
	var target *staff.User
	if v := g.Get("grant_username"); v == "" {
		g.Fail("grant_username", "Enter the user name of the person, like jo.bloggs")
	} else if target, err = u.Store.StaffUserByName(ctx, v); err != nil {
		if pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			u.fail(w, r, pg, err)
			return
		}
		g.Fail("grant_username", fmt.Sprintf("There is no user named %s: add them with the form above", v))
	}
	role := staff.Role(g.Get("grant_role"))
	if target != nil {
		if m, ok := target.Membership(sc.Org.ODS); ok {
			g.Fail("grant_username", fmt.Sprintf("%s already works here as %s: change their role in the list", target.Username, roleName(m.Role)))
		} else if err := cfgRoleRule(pg.P, target, sc.Org.ODS, role); err != nil {
			if pcnhub.ErrorCode(err) == pcnhub.EFORBIDDEN {
				u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, pcnhub.EFORBIDDEN, fmt.Sprintf("refused: give %s the role %s at %s", target.Username, role, sc.Org.ODS))
			}
			g.Fail("grant_role", upperFirst(pcnhub.ErrorMessage(err)))
		}
	} else if !role.Valid() {
		g.Fail("grant_role", "Choose a role from the list")
	}
	if g.OK() {
		if err := u.Store.SetStaffMembership(ctx, target.ID, staff.Membership{OrgODS: sc.Org.ODS, Role: role}); err != nil {
			u.fail(w, r, pg, err)
			return
		}
		u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, "ok", fmt.Sprintf("gave %s the role %s at %s", target.Username, role, sc.Org.ODS))
		configDone(w, r, "/config/staff"+sc.Query(), fmt.Sprintf("%s now works at %s as %s", target.DisplayName, sc.Org.Name, roleName(role)))
		return
	}
	u.renderStaff(w, r, http.StatusUnprocessableEntity, pg, sc, NewForm(url.Values{"role": {string(staff.Receptionist)}}), g)
}

// configTarget reads the user a staff action is about ({id}).
func (u *UI) configTarget(r *http.Request) (*staff.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "there is no staff user %q", r.PathValue("id"))
	}
	return u.Store.StaffUserByID(r.Context(), id)
}

// configStaffRole (POST /config/staff/{id}/role: role) changes a
// member's role at the organisation.
func (u *UI) configStaffRole(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	target, err := u.configTarget(r)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	current, ok := target.Membership(sc.Org.ODS)
	if !ok {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.ENOTFOUND, "%s does not work at %s", target.Username, sc.Org.Name))
		return
	}
	role := staff.Role(r.PostFormValue("role"))
	if err := cfgRoleRule(pg.P, target, sc.Org.ODS, role); err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.EFORBIDDEN {
			u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, pcnhub.EFORBIDDEN, fmt.Sprintf("refused: role of %s at %s %s→%s", target.Username, sc.Org.ODS, current.Role, role))
		}
		u.fail(w, r, pg, err)
		return
	}
	if role == current.Role {
		configDone(w, r, "/config/staff"+sc.Query(), fmt.Sprintf("%s is already %s here: nothing changed", target.DisplayName, roleName(role)))
		return
	}
	if err := u.Store.SetStaffMembership(ctx, target.ID, staff.Membership{OrgODS: sc.Org.ODS, Role: role, RoleProfileID: current.RoleProfileID}); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, "ok", fmt.Sprintf("role of %s at %s %s→%s", target.Username, sc.Org.ODS, current.Role, role))
	configDone(w, r, "/config/staff"+sc.Query(), fmt.Sprintf("%s is now %s at %s", target.DisplayName, roleName(role), sc.Org.Name))
}

func (u *UI) configDisableStaff(w http.ResponseWriter, r *http.Request, pg *Page) {
	u.configSetDisabled(w, r, pg, true)
}

func (u *UI) configEnableStaff(w http.ResponseWriter, r *http.Request, pg *Page) {
	u.configSetDisabled(w, r, pg, false)
}

// configSetDisabled (POST /config/staff/{id}/disable and …/enable)
// disables an account (ending its sessions) or enables it again.
func (u *UI) configSetDisabled(w http.ResponseWriter, r *http.Request, pg *Page, disable bool) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	target, err := u.configTarget(r)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	verb := "enable"
	if disable {
		verb = "disable"
	}
	if target.ID == pg.P.User.ID {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EFORBIDDEN, "you cannot %s your own account", verb))
		return
	}
	if err := cfgAccountRule(pg.P, target); err != nil {
		u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, pcnhub.EFORBIDDEN, fmt.Sprintf("refused: %s %s", verb, target.Username))
		u.fail(w, r, pg, err)
		return
	}
	if err := u.Store.SetStaffDisabled(ctx, target.ID, disable); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	u.auditConfig(ctx, pg, "ui.config.staff", sc.Org.ODS, "ok", fmt.Sprintf("%sd user %s", verb, target.Username))
	msg := target.DisplayName + " can sign in again"
	if disable {
		msg = target.DisplayName + " is disabled: they can no longer sign in, and any session they had has ended"
	}
	configDone(w, r, "/config/staff"+sc.Query(), msg)
}

// cfgPasswordView is the form that resets a user's password.
type cfgPasswordView struct {
	Scope       *configScope
	User        *staff.User
	Form        *Form
	Action      string
	Back        string
	MinPassword int
}

func (u *UI) configPasswordTarget(w http.ResponseWriter, r *http.Request, pg *Page) (*configScope, *staff.User, bool) {
	sc, err := u.configOrg(r.Context(), r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return nil, nil, false
	}
	target, err := u.configTarget(r)
	if err == nil && target.Service {
		err = pcnhub.Errorf(pcnhub.EINVALID, "%s is a service user: it signs in with API tokens, never a password", target.Username)
	}
	if err == nil {
		err = cfgAccountRule(pg.P, target)
	}
	if err != nil {
		u.fail(w, r, pg, err)
		return nil, nil, false
	}
	return sc, target, true
}

func (u *UI) renderPassword(w http.ResponseWriter, status int, pg *Page, sc *configScope, target *staff.User, f *Form) {
	id := strconv.FormatInt(target.ID, 10)
	pg.Title = "Reset the password of " + target.Username
	pg.Data = &cfgPasswordView{Scope: sc, User: target, Form: f, Action: "/config/staff/" + id + "/password" + sc.Query(),
		Back: "/config/staff" + sc.Query(), MinPassword: staff.MinPasswordLength}
	u.render(w, status, "config_password.html", pg)
}

// configPasswordPage (GET /config/staff/{id}/password) is the form that
// resets a user's password.
func (u *UI) configPasswordPage(w http.ResponseWriter, r *http.Request, pg *Page) {
	sc, target, ok := u.configPasswordTarget(w, r, pg)
	if !ok {
		return
	}
	u.renderPassword(w, http.StatusOK, pg, sc, target, NewForm(nil))
}

// configResetPassword (POST /config/staff/{id}/password: password,
// confirm) sets a new password and unlocks the account.
func (u *UI) configResetPassword(w http.ResponseWriter, r *http.Request, pg *Page) {
	sc, target, ok := u.configPasswordTarget(w, r, pg)
	if !ok {
		return
	}
	r.ParseForm()
	f := NewForm(r.PostForm)
	pw := f.Values.Get("password")
	if pw == "" {
		f.Fail("password", fmt.Sprintf("Enter a new password of at least %d characters", staff.MinPasswordLength))
	} else if err := staff.CheckPasswordPolicy(pw, target.Username); err != nil {
		f.Fail("password", upperFirst(pcnhub.ErrorMessage(err)))
	} else if f.Values.Get("confirm") != pw {
		f.Fail("confirm", "The two passwords are not the same: enter the new password twice")
	}
	if !f.OK() {
		f.Values.Del("password")
		f.Values.Del("confirm")
		u.renderPassword(w, http.StatusUnprocessableEntity, pg, sc, target, f)
		return
	}
	if err := u.Store.SetStaffPassword(r.Context(), target.ID, staff.HashPassword(pw)); err != nil {
		u.fail(w, r, pg, err)
		return
	}
	u.auditConfig(r.Context(), pg, "ui.config.staff", sc.Org.ODS, "ok", fmt.Sprintf("reset the password of %s (account unlocked)", target.Username))
	configDone(w, r, "/config/staff"+sc.Query(), fmt.Sprintf("The password of %s is changed and the account unlocked", target.Username))
}
