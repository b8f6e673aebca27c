package web

// Data sharing agreements: the agreements an organisation is a party to,
// a form to add one and a form per agreement to end it. As in the API
// (server/api.go addAgreement), sharing is granted by the organisation
// that shares: a manager records and ends only agreements in which their
// own organisation is the provider; an administrator any. The store
// audits every addition and ending ("agreement.add", "agreement.end",
// with the user as actor), so these handlers add no audit event of their
// own except for a refused attempt.

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/spine"
)

// cfgCapabilities are the capabilities an agreement covers, as staff say them.
var cfgCapabilities = []cfgOption{
	{string(spine.Appointments), "Appointments", "search and book the provider's appointment slots"},
	{string(spine.CareRecord), "Care record", "read the GP record of the provider's patients"},
	{string(spine.Tasks), "Tasks", "send tasks to the provider"},
	{string(spine.WriteBack), "Write-back", "send consultations back to the provider's record"},
}

func cfgCapabilityLabel(c spine.Capability) string {
	for _, o := range cfgCapabilities {
		if o.Value == string(c) {
			return o.Label
		}
	}
	return string(c)
}

// cfgAgreementRow is one agreement of the list.
type cfgAgreementRow struct {
	ID                               int64
	Provider, Consumer, Capability   string
	From, Until, Reference           string
	CreatedBy, Created               string
	Status                           string
	Ended                            bool
	CanEnd                           bool
	EndField, EndAction, EndLabelled string
}

// cfgAgreementsView is the agreements page.
type cfgAgreementsView struct {
	Scope        *configScope
	Rows         []cfgAgreementRow
	Form         *Form // adding
	End          *Form // ending: fields "until-ID"
	Capabilities []cfgOption
	Admin        bool
	ProviderName string
	Action       string
	InForce      int
}

func (u *UI) renderAgreements(w http.ResponseWriter, r *http.Request, status int, pg *Page, sc *configScope, add, end *Form) {
	ctx := r.Context()
	party := sc.Org.ODS
	if sc.Admin && !sc.Chosen {
		party = "" // every agreement
	}
	as, err := u.Store.Agreements(ctx, party)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	orgs, err := u.Store.ListOrganisations(ctx)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	names := map[pcnhub.ODSCode]string{}
	for _, o := range orgs {
		names[o.ODS] = o.Name
	}
	name := func(c pcnhub.ODSCode) string {
		if n, ok := names[c]; ok {
			return n + " (" + string(c) + ")"
		}
		return string(c)
	}
	today := u.today()
	v := &cfgAgreementsView{Scope: sc, Form: add, End: end, Capabilities: cfgCapabilities, Admin: sc.Admin,
		ProviderName: name(sc.Org.ODS), Action: "/config/agreements" + sc.Query()}
	for _, a := range as {
		row := cfgAgreementRow{ID: a.ID, Provider: name(a.Provider), Consumer: name(a.Consumer), Capability: cfgCapabilityLabel(a.Capability),
			From: cfgDate(a.From), Reference: a.Reference, CreatedBy: a.CreatedBy,
			EndField: "until-" + strconv.FormatInt(a.ID, 10), EndAction: "/config/agreements/" + strconv.FormatInt(a.ID, 10) + "/end" + sc.Query()}
		if !a.Created.IsZero() {
			row.Created = a.Created.In(pcnhub.London).Format("2 Jan 2006 15:04")
		}
		if !a.Until.IsZero() {
			row.Until = cfgDate(a.Until)
		}
		switch {
		case !a.Until.IsZero() && a.Until.Before(today):
			row.Status, row.Ended = "Ended", true
		case today.Before(a.From):
			row.Status = "Starts " + cfgDate(a.From)
		case !a.Until.IsZero():
			row.Status = "In force, ends " + cfgDate(a.Until)
			v.InForce++
		default:
			row.Status = "In force"
			v.InForce++
		}
		row.CanEnd = !row.Ended && (sc.Admin || a.Provider == pg.P.Membership.OrgODS)
		if row.CanEnd && end.Values.Get(row.EndField) == "" {
			end.Values.Set(row.EndField, today.String())
		}
		v.Rows = append(v.Rows, row)
	}
	pg.Title, pg.Data = "Data sharing agreements", v
	u.render(w, status, "config_agreements.html", pg)
}

// configAgreements (GET /config/agreements) lists the agreements and
// offers the forms.
func (u *UI) configAgreements(w http.ResponseWriter, r *http.Request, pg *Page) {
	sc, err := u.configOrg(r.Context(), r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	add := NewForm(url.Values{"provider": {string(sc.Org.ODS)}, "from": {u.today().String()},
		"capability": {string(spine.Appointments)}})
	u.renderAgreements(w, r, http.StatusOK, pg, sc, add, NewForm(nil))
}

// cfgParseODS reads an ODS code field that must name a known organisation.
func (u *UI) cfgParseODS(r *http.Request, f *Form, field, what string) pcnhub.ODSCode {
	v := strings.ToUpper(f.Get(field))
	if v == "" {
		f.Fail(field, "Enter the ODS code of the "+what+", like A99991")
		return ""
	}
	ods, err := pcnhub.ParseODSCode(v)
	if err != nil {
		f.Fail(field, "Enter a real ODS code, like A99991: "+pcnhub.ErrorMessage(err))
		return ""
	}
	if _, err := u.Store.OrganisationByODS(r.Context(), ods); err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND {
			f.Fail(field, fmt.Sprintf("No organisation has ODS code %s: check the code, or ask an administrator to add the organisation", ods))
		} else {
			f.Fail(field, "The organisation could not be looked up; try again")
		}
		return ""
	}
	return ods
}

// configAddAgreement (POST /config/agreements: provider (administrator
// only), consumer, capability, from, until, reference).
func (u *UI) configAddAgreement(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	r.ParseForm()
	f := NewForm(r.PostForm)
	a := spine.Agreement{Provider: sc.Org.ODS, CreatedBy: pg.P.User.Username}
	if sc.Admin {
		a.Provider = u.cfgParseODS(r, f, "provider", "organisation that shares")
	} else if p := strings.ToUpper(f.Get("provider")); p != "" && pcnhub.ODSCode(p) != pg.P.Membership.OrgODS {
		u.auditConfig(ctx, pg, "ui.config.agreement", pcnhub.ODSCode(p), pcnhub.EFORBIDDEN,
			fmt.Sprintf("refused: %s tried to grant %s's sharing", pg.P.Membership.OrgODS, p))
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EFORBIDDEN, "only %s can grant its own sharing; you can grant %s's sharing only", p, pg.P.Membership.OrgODS))
		return
	}
	a.Consumer = u.cfgParseODS(r, f, "consumer", "organisation that may use it")
	if a.Consumer != "" && a.Consumer == a.Provider {
		f.Fail("consumer", "An organisation needs no agreement with itself: enter another organisation's ODS code")
	}
	a.Capability = spine.Capability(f.Get("capability"))
	if !a.Capability.Valid() {
		f.Fail("capability", "Choose what is shared")
	}
	if v := f.Get("from"); v == "" {
		f.Fail("from", "Enter the date the agreement comes into force, like "+u.today().String())
	} else if a.From, err = pcnhub.ParseDate(v); err != nil {
		f.Fail("from", "The date it comes into force must be a real date, like "+u.today().String())
	}
	if v := f.Get("until"); v != "" {
		if a.Until, err = pcnhub.ParseDate(v); err != nil {
			f.Fail("until", "The last day must be a real date, like 2027-03-31, or empty for no end")
		} else if !a.From.IsZero() && a.Until.Before(a.From) {
			f.Fail("until", "The last day must be on or after the day it comes into force ("+cfgDate(a.From)+")")
		}
	}
	if a.Reference = f.Get("reference"); len(a.Reference) > 200 {
		f.Fail("reference", "The reference can be at most 200 characters")
	}
	if f.OK() {
		existing, err := u.Store.Agreements(ctx, a.Provider)
		if err != nil {
			u.fail(w, r, pg, err)
			return
		}
		for _, e := range existing {
			overlap := (e.Until.IsZero() || !e.Until.Before(a.From)) && (a.Until.IsZero() || !a.Until.Before(e.From))
			if e.Provider == a.Provider && e.Consumer == a.Consumer && e.Capability == a.Capability && overlap {
				f.Fail("capability", fmt.Sprintf("%s already shares %s with %s under agreement %d (%s): end that one first, or choose other dates",
					a.Provider, strings.ToLower(cfgCapabilityLabel(a.Capability)), a.Consumer, e.ID, e.String()))
				break
			}
		}
	}
	if f.OK() {
		err = u.Store.AddAgreement(ctx, &a)
		switch pcnhub.ErrorCode(err) {
		case "":
			configDone(w, r, "/config/agreements"+sc.Query(), fmt.Sprintf("Agreement %d added: %s shares %s with %s from %s",
				a.ID, a.Provider, strings.ToLower(cfgCapabilityLabel(a.Capability)), a.Consumer, cfgDate(a.From)))
			return
		case pcnhub.EINVALID, pcnhub.ENOTFOUND:
			f.Fail("consumer", upperFirst(pcnhub.ErrorMessage(err)))
		default:
			u.fail(w, r, pg, err)
			return
		}
	}
	u.renderAgreements(w, r, http.StatusUnprocessableEntity, pg, sc, f, NewForm(nil))
}

// configEndAgreement (POST /config/agreements/{id}/end: until-ID or until)
// sets the last day an agreement is in force.
func (u *UI) configEndAgreement(w http.ResponseWriter, r *http.Request, pg *Page) {
	ctx := r.Context()
	sc, err := u.configOrg(ctx, r, pg)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.ENOTFOUND, "there is no agreement %q", r.PathValue("id")))
		return
	}
	party := pg.P.Membership.OrgODS
	if sc.Admin {
		party = ""
	}
	as, err := u.Store.Agreements(ctx, party)
	if err != nil {
		u.fail(w, r, pg, err)
		return
	}
	var a *spine.Agreement
	for i := range as {
		if as[i].ID == id {
			a = &as[i]
		}
	}
	if a == nil {
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.ENOTFOUND, "there is no agreement %d that you manage", id))
		return
	}
	if !sc.Admin && a.Provider != pg.P.Membership.OrgODS {
		u.auditConfig(ctx, pg, "ui.config.agreement", a.Provider, pcnhub.EFORBIDDEN, fmt.Sprintf("refused: end agreement %d", id))
		u.fail(w, r, pg, pcnhub.Errorf(pcnhub.EFORBIDDEN, "only %s, which shares under agreement %d, can end it", a.Provider, id))
		return
	}
	r.ParseForm()
	field := "until-" + strconv.FormatInt(id, 10)
	end := NewForm(r.PostForm)
	if end.Get(field) == "" && end.Get("until") != "" {
		end.Values.Set(field, end.Get("until"))
	}
	var until pcnhub.Date
	if !a.Until.IsZero() && a.Until.Before(u.today()) {
		end.Fail(field, fmt.Sprintf("Agreement %d already ended on %s: add a new agreement to share again", id, cfgDate(a.Until)))
	} else if v := end.Get(field); v == "" {
		end.Fail(field, fmt.Sprintf("Enter the last day agreement %d is in force", id))
	} else if until, err = pcnhub.ParseDate(v); err != nil {
		end.Fail(field, "The last day must be a real date, like "+u.today().String())
	} else if until.Before(a.From) {
		end.Fail(field, fmt.Sprintf("The last day cannot be before the agreement came into force (%s)", cfgDate(a.From)))
	}
	if end.OK() {
		err = u.Store.EndAgreement(ctx, id, until, pg.P.User.Username)
		switch pcnhub.ErrorCode(err) {
		case "":
			configDone(w, r, "/config/agreements"+sc.Query(), fmt.Sprintf("Agreement %d ends after %s", id, cfgDate(until)))
			return
		case pcnhub.EINVALID:
			end.Fail(field, upperFirst(pcnhub.ErrorMessage(err)))
		default:
			u.fail(w, r, pg, err)
			return
		}
	}
	add := NewForm(url.Values{"provider": {string(sc.Org.ODS)}, "from": {u.today().String()}, "capability": {string(spine.Appointments)}})
	u.renderAgreements(w, r, http.StatusUnprocessableEntity, pg, sc, add, end)
}
