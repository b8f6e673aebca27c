package web

// The configuration pages for managers: session templates and who may
// book them (config_templates.go), data sharing agreements
// (config_agreements.go), staff users and roles (config_staff.go).
//
// Every page works on one organisation: the user's own (a hub manager's
// hub, a practice manager's practice). An administrator may choose any
// hosted organisation with ?org=ODS; the forms of a page carry the same
// query, so a POST acts on the organisation the page showed.

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/staff"
)

// configBookWeeks is how far ahead a saved book's slots are generated (the CLI's
// default, and what serve's background job keeps published).
const configBookWeeks = 6

// routesConfig mounts the configuration pages.
func (u *UI) routesConfig(mux *http.ServeMux) {
	mux.HandleFunc("GET /config", u.page("", u.configIndex))

	mux.HandleFunc("GET /config/templates", u.page(staff.ManageBooks, u.configTemplates))
	mux.HandleFunc("GET /config/templates/bookability", u.page(staff.ManageBooks, u.configBookabilityPage))
	mux.HandleFunc("POST /config/templates/bookability", u.page(staff.ManageBooks, u.configSaveBookability))
	mux.HandleFunc("GET /config/templates/new", u.page(staff.ManageBooks, u.configNewTemplatePage))
	mux.HandleFunc("POST /config/templates/new", u.page(staff.ManageBooks, u.configAddTemplate))

	mux.HandleFunc("GET /config/agreements", u.page(staff.ManageAgreements, u.configAgreements))
	mux.HandleFunc("POST /config/agreements", u.page(staff.ManageAgreements, u.configAddAgreement))
	mux.HandleFunc("POST /config/agreements/{id}/end", u.page(staff.ManageAgreements, u.configEndAgreement))

	mux.HandleFunc("GET /config/staff", u.page(staff.ManageStaff, u.configStaff))
	mux.HandleFunc("POST /config/staff", u.page(staff.ManageStaff, u.configAddStaff))
	mux.HandleFunc("POST /config/staff/grant", u.page(staff.ManageStaff, u.configGrantStaff))
	mux.HandleFunc("POST /config/staff/{id}/role", u.page(staff.ManageStaff, u.configStaffRole))
	mux.HandleFunc("POST /config/staff/{id}/disable", u.page(staff.ManageStaff, u.configDisableStaff))
	mux.HandleFunc("POST /config/staff/{id}/enable", u.page(staff.ManageStaff, u.configEnableStaff))
	mux.HandleFunc("GET /config/staff/{id}/password", u.page(staff.ManageStaff, u.configPasswordPage))
	mux.HandleFunc("POST /config/staff/{id}/password", u.page(staff.ManageStaff, u.configResetPassword))
}

// configPerms are the permissions of the configuration sections.
var configPerms = []staff.Permission{staff.ManageBooks, staff.ManageAgreements, staff.ManageStaff}

// configIndexView is the index of the sections the role allows.
type configIndexView struct {
	Org                          *pcnhub.Organisation
	Templates, Agreements, Staff bool
	Admin                        bool
}

// configIndex (GET /config) links the sections the user's role allows.
func (u *UI) configIndex(w http.ResponseWriter, r *http.Request, pg *Page) {
	allowed := false
	for _, p := range configPerms {
		allowed = allowed || pg.P.Can(p)
	}
	if !allowed {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EFORBIDDEN, "your role (%s at %s) does not allow this page",
			roleName(pg.P.Membership.Role), pg.P.Membership.OrgName))
		return
	}
	org, err := u.Store.OrganisationByODS(r.Context(), pg.P.Membership.OrgODS)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	pg.Title = "Configuration"
	pg.Data = configIndexView{Org: org, Templates: pg.P.Can(staff.ManageBooks), Agreements: pg.P.Can(staff.ManageAgreements),
		Staff: pg.P.Can(staff.ManageStaff), Admin: configIsAdmin(pg.P)}
	u.render(w, http.StatusOK, "config.html", pg)
}

func configIsAdmin(p *staff.Principal) bool {
	return p != nil && p.Membership.Role == staff.Administrator
}

// configScope is the organisation a configuration page works on.
type configScope struct {
	Org    *pcnhub.Organisation
	Chosen bool // an administrator named it with ?org=
	Admin  bool
	// Hosted are the organisations an administrator may choose from.
	Hosted []*pcnhub.Organisation
}

// Query is the ?org= query that keeps an administrator's choice on links
// and forms ("" when the page shows the user's own organisation).
func (s *configScope) Query() string {
	if !s.Chosen {
		return ""
	}
	return "?org=" + url.QueryEscape(string(s.Org.ODS))
}

// And is Query to append to a URL that already has a query.
func (s *configScope) And() string {
	if !s.Chosen {
		return ""
	}
	return "&org=" + url.QueryEscape(string(s.Org.ODS))
}

// configOrg resolves the organisation of a configuration page: the user's
// own, or for an administrator the hosted organisation ?org= names.
// EFORBIDDEN when anyone else names another organisation; ENOTFOUND for an
// unknown one; EINVALID for one this deployment does not host.
func (u *UI) configOrg(ctx context.Context, r *http.Request, pg *Page) (*configScope, error) {
	own := pg.P.Membership.OrgODS
	want := own
	chosen := false
	if v := strings.TrimSpace(r.URL.Query().Get("org")); v != "" {
		ods, err := pcnhub.ParseODSCode(strings.ToUpper(v))
		if err != nil {
			return nil, err
		}
		want, chosen = ods, ods != own
	}
	admin := configIsAdmin(pg.P)
	if want != own && !admin {
		return nil, pcnhub.Errorf(pcnhub.EFORBIDDEN, "you manage %s (%s) only; an administrator can manage other organisations",
			pg.P.Membership.OrgName, own)
	}
	org, err := u.Store.OrganisationByODS(ctx, want)
	if err != nil {
		return nil, err
	}
	if chosen && !org.Hosted {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "%s (%s) is not hosted by this pcnhub: its configuration lives in its own system", org.Name, org.ODS)
	}
	sc := &configScope{Org: org, Chosen: chosen, Admin: admin}
	if admin {
		all, err := u.Store.ListOrganisations(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range all {
			if o.Hosted {
				sc.Hosted = append(sc.Hosted, o)
			}
		}
	}
	return sc, nil
}

// auditConfig records a configuration change (never a password).
func (u *UI) auditConfig(ctx context.Context, pg *Page, action string, org pcnhub.ODSCode, outcome, detail string) {
	req := pg.P.Requester("")
	if rq, ok := pcnhub.RequesterFrom(ctx); ok {
		req = rq
	}
	if err := u.Store.AppendAudit(ctx, &pcnhub.AuditEvent{At: u.now(), TraceID: req.TraceID, Action: action, Actor: pg.P.User.Username,
		OrgODS: org, RequesterODS: pg.P.Membership.OrgODS, Practitioner: pg.P.User.SDSUserID, Device: "pcnhub web",
		Outcome: outcome, Detail: detail}); err != nil {
		u.Log.Error("audit failed", "action", action, "err", err)
	}
}

// done redirects to target with a confirmation for the page's banner.
func configDone(w http.ResponseWriter, r *http.Request, target, message string) {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	redirect(w, r, target+sep+"done="+url.QueryEscape(message))
}
