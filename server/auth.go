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

// authenticate finds who is asking: an API token (Authorization: Bearer
// pct_…) or a browser session (the cookie). It returns the principal and,
// for a session, the session; EUNAUTHORIZED when neither is valid.
func (s *Server) authenticate(r *http.Request) (*staff.Principal, *staff.Session, error) {
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
		p, se, err := s.authenticate(r)
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
// membership)}. A wrong password counts towards the lockout; an unknown
// user takes as long as a known one; the answer does not say which was
// wrong. Sign-ins are audited (never the password).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username, Password string
		Organisation       pcnhub.ODSCode
	}
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now()
	wrong := pcnhub.Errorf(pcnhub.EUNAUTHORIZED, "the user name or password is wrong")
	u, err := s.store.StaffUserByName(r.Context(), in.Username)
	if err != nil || u.Service {
		staff.CheckUnknown(in.Password)
		s.auditSignIn(r, in.Username, "unknown-user")
		s.fail(w, r, wrong)
		return
	}
	if u.Locked(now) {
		s.auditSignIn(r, u.Username, "locked")
		s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "this account is locked after %d wrong passwords; try again after %s or ask an administrator",
			staff.MaxFailedLogins, u.LockedUntil.In(pcnhub.London).Format("15:04")))
		return
	}
	ok := staff.CheckPassword(u.PasswordHash, in.Password)
	locked, err := s.store.RecordSignIn(r.Context(), u.ID, ok, now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.auditSignIn(r, u.Username, "wrong-password")
		if locked {
			s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "that was the %dth wrong password: the account is locked for %d minutes",
				staff.MaxFailedLogins, int(staff.LockFor.Minutes())))
			return
		}
		s.fail(w, r, wrong)
		return
	}
	if u.Disabled {
		s.auditSignIn(r, u.Username, "disabled")
		s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "this account is disabled"))
		return
	}
	if len(u.Memberships) == 0 {
		s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s works for no organisation yet; ask an administrator", u.Username))
		return
	}
	m := u.Memberships[0]
	if in.Organisation != "" {
		var member bool
		if m, member = u.Membership(in.Organisation); !member {
			s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s does not work for %s", u.Username, in.Organisation))
			return
		}
	}
	token, hash := staff.NewToken(staff.SessionPrefix)
	csrf, _ := staff.NewToken("")
	se := &staff.Session{TokenHash: hash, CSRF: csrf, UserID: u.ID, OrgODS: m.OrgODS, Created: now, Expires: now.Add(staff.SessionIdle)}
	if err := s.store.CreateSession(r.Context(), se); err != nil {
		s.fail(w, r, err)
		return
	}
	s.auditSignIn(r, u.Username, "ok")
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, Expires: now.Add(staff.SessionMax)})
	writeJSON(w, http.StatusOK, viewOf(&staff.Principal{User: u, Membership: m}, csrf))
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
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.store.DeleteSession(r.Context(), staff.HashToken(c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

// switchOrganisation (PUT /api/session/organisation, {"organisation"})
// makes the session act for another of the user's organisations.
func (s *Server) switchOrganisation(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	var in struct{ Organisation pcnhub.ODSCode }
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	m, ok := p.User.Membership(in.Organisation)
	if !ok {
		s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "%s does not work for %s", p.User.Username, in.Organisation))
		return
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || p.ViaToken {
		s.fail(w, r, pcnhub.Errorf(pcnhub.EINVALID, "an API token acts for one organisation; use a token made for the other"))
		return
	}
	if err := s.store.SetSessionOrganisation(r.Context(), staff.HashToken(c.Value), m.OrgODS); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(&staff.Principal{User: p.User, Membership: m}, ""))
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
