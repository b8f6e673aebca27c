package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/staff"
)

// SessionCookie is the name of the browser session cookie. It holds the
// session token (only its hash is stored), is HttpOnly, SameSite=Lax,
// and Secure when the server is reached over HTTPS.
const SessionCookie = "pcnhub_session"

// CSRFHeader carries a cookie-authenticated request's CSRF token (the
// form field "csrf" works too).
const CSRFHeader = "X-CSRF-Token"

// Authenticate finds who is asking: an API token (Authorization: Bearer
// pct_…) or a browser session (the cookie). It returns the principal and,
// for a session, the session; EUNAUTHORIZED when neither is valid.
func (s *Server) Authenticate(r *http.Request) (*staff.Principal, *staff.Session, error) {
	now := s.now()
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || !strings.HasPrefix(token, staff.APITokenPrefix) {
			return nil, nil, pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "use Authorization: Bearer with a pcnhub API token")
		}
		t, err := s.store.APITokenByHash(r.Context(), staff.HashToken(token), now)
		if err != nil {
			return nil, nil, pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "the API token is not valid (unknown, revoked or expired)")
		}
		p, err := s.principal(r.Context(), t.UserID, t.OrgODS)
		if err != nil {
			return nil, nil, err
		}
		p.ViaToken = true
		return p, nil, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil, pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "sign in first")
	}
	se, err := s.store.SessionByToken(r.Context(), staff.HashToken(c.Value), now)
	if err != nil {
		return nil, nil, pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "your session has ended; sign in again")
	}
	p, err := s.principal(r.Context(), se.UserID, se.OrgODS)
	if err != nil {
		return nil, nil, err
	}
	return p, se, nil
}

// principal is a user acting at one of their organisations.
func (s *Server) principal(ctx context.Context, userID int64, ods pcnhub.ODSCode) (*staff.Principal, error) {
	u, err := s.store.StaffUserByID(ctx, userID)
	if err != nil || u.Disabled {
		return nil, pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "this account is disabled")
	}
	m, ok := u.Membership(ods)
	if !ok {
		return nil, pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s no longer works for %s", u.Username, ods)
	}
	return &staff.Principal{User: u, Membership: m}, nil
}

// api wraps a JSON API handler: it authenticates the request, checks the
// permission (none when perm is ""), checks the CSRF token of a
// state-changing request made with a session cookie, puts the requester in
// the context, and hands the principal to h.
func (s *Server) api(perm staff.Permission, h func(w http.ResponseWriter, r *http.Request, p *staff.Principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, se, err := s.Authenticate(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if se != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
			token := r.Header.Get(CSRFHeader)
			if token == "" {
				token = r.FormValue("csrf")
			}
			if subtle.ConstantTimeCompare([]byte(token), []byte(se.CSRF)) != 1 {
				s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "the request lacks this session's CSRF token"))
				return
			}
		}
		if perm != "" {
			if err := p.Require(perm); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		ctx := pcnhub.WithRequester(r.Context(), p.Requester(r.Header.Get("X-Request-ID")))
		h(w, r.WithContext(ctx), p)
	}
}

// sessionView is what the API says about the signed-in user.
type sessionView struct {
	User          string             `json:"user"`
	Name          string             `json:"name"`
	Organisation  pcnhub.ODSCode     `json:"organisation"`
	Role          staff.Role         `json:"role"`
	Permissions   []staff.Permission `json:"permissions"`
	Organisations []membershipView   `json:"organisations"`
	CSRF          string             `json:"csrf,omitempty"`
}

type membershipView struct {
	ODS  pcnhub.ODSCode `json:"ods"`
	Name string         `json:"name"`
	Role staff.Role     `json:"role"`
}

func viewOf(p *staff.Principal, csrf string) sessionView {
	v := sessionView{User: p.User.Username, Name: p.User.DisplayName, Organisation: p.Membership.OrgODS, Role: p.Membership.Role,
		Permissions: p.Membership.Role.Permissions(), CSRF: csrf}
	for _, m := range p.User.Memberships {
		v.Organisations = append(v.Organisations, membershipView{m.OrgODS, m.OrgName, m.Role})
	}
	return v
}

// signIn (POST /api/session) checks a user name and password and starts a
// session: {"username", "password", "organisation" (optional: the first
// membership)}, through SignIn.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username, Password string
		Organisation       pcnhub.ODSCode
	}
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, csrf, err := s.startSession(w, r, in.Username, in.Password, in.Organisation)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(p, csrf))
}

// SignIn checks a user name and password and starts a session acting for
// org ("": the user's first organisation), setting the session cookie. A
// wrong password counts towards the lockout; an unknown user takes as long
// as a known one; the error does not say which was wrong. Sign-ins are
// audited (never the password). EUNAUTHORIZED for a wrong name or
// password; EFORBIDDEN for a locked or disabled account, one with no
// organisation, or an organisation the user does not work for.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request, username, password string, org pcnhub.ODSCode) (*staff.Principal, error) {
	p, _, err := s.startSession(w, r, username, password, org)
	return p, err
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, username, password string, org pcnhub.ODSCode) (*staff.Principal, string, error) {
	now := s.now()
	wrong := pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "the user name or password is wrong")
	u, err := s.store.StaffUserByName(r.Context(), username)
	if err != nil && pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
		return nil, "", err
	}
	if err != nil || u.Service {
		staff.CheckUnknown(password)
		s.auditSignIn(r, username, "unknown-user")
		return nil, "", wrong
	}
	if u.Locked(now) {
		s.auditSignIn(r, u.Username, "locked")
		return nil, "", pcnhub.Errorf(pcnhub.EFORBIDDEN, "this account is locked after %d wrong passwords; try again after %s or ask an administrator",
			staff.MaxFailedLogins, u.LockedUntil.In(pcnhub.London).Format("15:04"))
	}
	ok := staff.CheckPassword(u.PasswordHash, password)
	locked, err := s.store.RecordSignIn(r.Context(), u.ID, ok, now)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		s.auditSignIn(r, u.Username, "wrong-password")
		if locked {
			return nil, "", pcnhub.Errorf(pcnhub.EFORBIDDEN, "that was the %dth wrong password: the account is locked for %d minutes",
				staff.MaxFailedLogins, int(staff.LockFor.Minutes()))
		}
		return nil, "", wrong
	}
	if u.Disabled {
		s.auditSignIn(r, u.Username, "disabled")
		return nil, "", pcnhub.Errorf(pcnhub.EFORBIDDEN, "this account is disabled")
	}
	if len(u.Memberships) == 0 {
		return nil, "", pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s works for no organisation yet; ask an administrator", u.Username)
	}
	m := u.Memberships[0]
	if org != "" {
		var member bool
		if m, member = u.Membership(org); !member {
			return nil, "", pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s does not work for %s", u.Username, org)
		}
	}
	token, hash := staff.NewToken(staff.SessionPrefix)
	csrf, _ := staff.NewToken("")
	se := &staff.Session{TokenHash: hash, CSRF: csrf, UserID: u.ID, OrgODS: m.OrgODS, Created: now, Expires: now.Add(staff.SessionIdle)}
	if err := s.store.CreateSession(r.Context(), se); err != nil {
		return nil, "", err
	}
	s.auditSignIn(r, u.Username, "ok")
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, Expires: now.Add(staff.SessionMax)})
	return &staff.Principal{User: u, Membership: m}, csrf, nil
}

func (s *Server) auditSignIn(r *http.Request, username, outcome string) {
	if len(username) > 64 {
		username = username[:64]
	}
	s.store.AppendAudit(r.Context(), &pcnhub.AuditEvent{At: s.now(), Action: "staff.sign-in", Actor: username, Outcome: outcome,
		Device: r.UserAgent()})
}

// secure reports whether cookies should be Secure: the request came over
// TLS, or the configured base URL is https.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.BaseURL, "https://")
}

// sessionInfo (GET /api/session) says who is signed in, where, and with
// which CSRF token.
func (s *Server) sessionInfo(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	csrf := ""
	if c, err := r.Cookie(SessionCookie); err == nil {
		if se, err := s.store.SessionByToken(r.Context(), staff.HashToken(c.Value), s.now()); err == nil {
			csrf = se.CSRF
		}
	}
	writeJSON(w, http.StatusOK, viewOf(p, csrf))
}

// signOut (DELETE /api/session) ends the session.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	s.SignOut(w, r)
	w.WriteHeader(http.StatusNoContent)
}

// SignOut ends the request's session, if any, and clears the cookie.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.store.DeleteSession(r.Context(), staff.HashToken(c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// switchOrganisation (PUT /api/session/organisation, {"organisation"})
// makes the session act for another of the user's organisations.
func (s *Server) switchOrganisation(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	var in struct{ Organisation pcnhub.ODSCode }
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.SwitchOrganisation(r, p, in.Organisation); err != nil {
		s.fail(w, r, err)
		return
	}
	m, _ := p.User.Membership(in.Organisation)
	writeJSON(w, http.StatusOK, viewOf(&staff.Principal{User: p.User, Membership: m}, ""))
}

// SwitchOrganisation makes the request's session act for another of the
// user's organisations (audited). EFORBIDDEN when the user does not work
// there; EINVALID for an API token, which acts for one organisation only.
func (s *Server) SwitchOrganisation(r *http.Request, p *staff.Principal, ods pcnhub.ODSCode) error {
	m, ok := p.User.Membership(ods)
	if !ok {
		return pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s does not work for %s", p.User.Username, ods)
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || p.ViaToken {
		return pcnhub.Errorf(pcnhub.EINVALID, "an API token acts for one organisation; use a token made for the other")
	}
	if err := s.store.SetSessionOrganisation(r.Context(), staff.HashToken(c.Value), m.OrgODS); err != nil {
		return err
	}
	s.store.AppendAudit(r.Context(), &pcnhub.AuditEvent{At: s.now(), Action: "staff.switch-organisation", Actor: p.User.Username,
		OrgODS: m.OrgODS, RequesterODS: p.Membership.OrgODS, Outcome: "ok", Device: r.UserAgent()})
	return nil
}

// decodeJSON reads a request's JSON body strictly (unknown fields are
// errors), at most 1 MB. EINVALID.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return pcnhub.Errorf(pcnhub.EINVALID, "the request body is not the JSON expected: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) now() time.Time {
	if s.Clock != nil {
		return s.Clock.Now()
	}
	return time.Now()
}
