package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

// routesAPI mounts the JSON API of staff and machine consumers (API.md
// documents it).
func (s *Server) routesAPI() {
	s.mux.HandleFunc("POST /api/session", s.signIn)
	s.mux.HandleFunc("GET /api/session", s.api("", s.sessionInfo))
	s.mux.HandleFunc("DELETE /api/session", s.api("", s.signOut))
	s.mux.HandleFunc("PUT /api/session/organisation", s.api("", s.switchOrganisation))

	s.mux.HandleFunc("GET /api/slots", s.api(staff.SearchSlots, s.searchSlots))
	s.mux.HandleFunc("POST /api/bookings", s.api(staff.BookAppointments, s.book))
	s.mux.HandleFunc("PATCH /api/bookings/{practice}/{id}", s.api(staff.BookAppointments, s.amend))
	s.mux.HandleFunc("POST /api/bookings/{practice}/{id}/cancel", s.api(staff.BookAppointments, s.cancel))
	s.mux.HandleFunc("GET /api/patients/{nhs}/appointments", s.api(staff.FindPatients, s.patientAppointments))
	s.mux.HandleFunc("GET /api/patients/{nhs}/registered-practice", s.api(staff.FindPatients, s.registeredPractice))
	s.mux.HandleFunc("POST /api/appointments/{id}/outcome", s.api(staff.RecordOutcomes, s.recordOutcome))

	s.mux.HandleFunc("GET /api/endpoints", s.api(staff.ManageDirectory, s.listEndpoints))
	s.mux.HandleFunc("PUT /api/endpoints", s.api(staff.ManageDirectory, s.putEndpoint))
	s.mux.HandleFunc("GET /api/agreements", s.api(staff.ManageAgreements, s.listAgreements))
	s.mux.HandleFunc("POST /api/agreements", s.api(staff.ManageAgreements, s.addAgreement))
	s.mux.HandleFunc("POST /api/agreements/{id}/end", s.api(staff.ManageAgreements, s.endAgreement))
}

func (s *Server) hubOrFail(w http.ResponseWriter, r *http.Request) *hub.Hub {
	if s.Hub == nil {
		s.fail(w, r, pcnhub.Errorf(pcnhub.ENOTIMPLEMENTED, "this server is not set up as a GP Connect consumer"))
	}
	return s.Hub
}

// searchSlots (GET /api/slots?from=&to=&group=&practice=…&channel=&slotType=&role=&limit=)
// is the federated free-slot search: the earliest limit slots (default
// 1,000), with the total found.
func (s *Server) searchSlots(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	h := s.hubOrFail(w, r)
	if h == nil {
		return
	}
	q := r.URL.Query()
	var search hub.SlotSearch
	var err error
	if search.From, err = pcnhub.ParseDate(q.Get("from")); err != nil {
		s.fail(w, r, pcnhub.Errorf(pcnhub.EINVALID, "from: %s", pcnhub.ErrorMessage(err)))
		return
	}
	search.To = search.From
	if v := q.Get("to"); v != "" {
		if search.To, err = pcnhub.ParseDate(v); err != nil {
			s.fail(w, r, pcnhub.Errorf(pcnhub.EINVALID, "to: %s", pcnhub.ErrorMessage(err)))
			return
		}
	}
	search.Group, search.Channel, search.SlotType, search.Role = q.Get("group"), q.Get("channel"), q.Get("slotType"), q.Get("role")
	search.Limit = 1000
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			s.fail(w, r, pcnhub.Errorf(pcnhub.EINVALID, "limit must be 1 to 100000"))
			return
		}
		search.Limit = n
	}
	for _, v := range q["practice"] {
		for _, c := range strings.Split(v, ",") {
			ods, err := pcnhub.ParseODSCode(strings.TrimSpace(c))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			search.Practices = append(search.Practices, ods)
		}
	}
	res, err := h.SearchSlots(r.Context(), p, search)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// book (POST /api/bookings, a hub.BookRequest) books across organisations.
func (s *Server) book(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	h := s.hubOrFail(w, r)
	if h == nil {
		return
	}
	var in hub.BookRequest
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := h.Book(r.Context(), p, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

// amend (PATCH /api/bookings/{practice}/{id}, {"description", "comment"}).
func (s *Server) amend(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	h := s.hubOrFail(w, r)
	if h == nil {
		return
	}
	var in struct{ Description, Comment string }
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := h.Amend(r.Context(), p, pcnhub.ODSCode(r.PathValue("practice")), r.PathValue("id"), in.Description, in.Comment)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// cancel (POST /api/bookings/{practice}/{id}/cancel, {"reason"}).
func (s *Server) cancel(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	h := s.hubOrFail(w, r)
	if h == nil {
		return
	}
	var in struct{ Reason string }
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := h.Cancel(r.Context(), p, pcnhub.ODSCode(r.PathValue("practice")), r.PathValue("id"), in.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// patientAppointments (GET /api/patients/{nhs}/appointments?group=&practice=&days=)
// lists a patient's future appointments across practices.
func (s *Server) patientAppointments(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	h := s.hubOrFail(w, r)
	if h == nil {
		return
	}
	q := r.URL.Query()
	var practices []pcnhub.ODSCode
	for _, v := range q["practice"] {
		for _, c := range strings.Split(v, ",") {
			practices = append(practices, pcnhub.ODSCode(strings.TrimSpace(c)))
		}
	}
	days := 42
	if v := q.Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			s.fail(w, r, pcnhub.Errorf(pcnhub.EINVALID, "days must be 1 to 366"))
			return
		}
		days = n
	}
	appts, down, err := h.PatientAppointments(r.Context(), p, pcnhub.NHSNumber(r.PathValue("nhs")), q.Get("group"), practices, days)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if appts == nil {
		appts = []hub.Booking{}
	}
	if down == nil {
		down = []hub.Unavailable{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"appointments": appts, "unavailable": down})
}

// registeredPractice (GET /api/patients/{nhs}/registered-practice) is the
// 111 flow's trace: the practice the demographic register names.
func (s *Server) registeredPractice(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	h := s.hubOrFail(w, r)
	if h == nil {
		return
	}
	person, err := h.RegisteredPractice(r.Context(), p, pcnhub.NHSNumber(r.PathValue("nhs")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := string(person.GPPractice)
	if o, err := s.store.OrganisationByODS(r.Context(), person.GPPractice); err == nil {
		name = o.Name
	}
	writeJSON(w, http.StatusOK, map[string]any{"practice": person.GPPractice, "name": name})
}

// recordOutcome (POST /api/appointments/{id}/outcome, {"outcome", "at",
// "reason"}) records what became of an appointment of the user's own
// organisation: arrived, attended, dna, cancelled-by-patient,
// cancelled-by-practice.
func (s *Server) recordOutcome(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	var in struct {
		Outcome string
		At      time.Time
		Reason  string
	}
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := schedule.ParseOutcome(in.Outcome)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, pcnhub.Errorf(pcnhub.ENOTFOUND, "no appointment %q", r.PathValue("id")))
		return
	}
	a, err := s.store.AppointmentByID(r.Context(), id)
	if err != nil || a.OrganisationID != p.Membership.OrgID {
		s.fail(w, r, pcnhub.Errorf(pcnhub.ENOTFOUND, "%s has no appointment %d", p.Membership.OrgODS, id))
		return
	}
	now := s.now()
	at := in.At
	if at.IsZero() {
		at = now
	}
	a.CancellationReason = in.Reason
	if err := a.RecordOutcome(o, at, now); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.UpdateAppointment(r.Context(), a, a.Version); err != nil {
		s.fail(w, r, err)
		return
	}
	ev := &pcnhub.AuditEvent{At: now, Action: "appointment.outcome", Actor: p.User.Username, OrgODS: p.Membership.OrgODS,
		RequesterODS: p.Membership.OrgODS, Practitioner: p.User.SDSUserID, Outcome: "ok", Detail: "appointment " + strconv.FormatInt(id, 10) + ": " + string(o)}
	if pt, err := s.store.PatientByID(r.Context(), a.PatientID); err == nil {
		ev.NHSNumber = pt.NHSNumber
	}
	s.store.AppendAudit(r.Context(), ev)
	writeJSON(w, http.StatusOK, map[string]any{"id": a.ID, "status": a.Status, "outcome": o, "version": a.Version})
}

// listEndpoints (GET /api/endpoints) is the endpoint directory.
func (s *Server) listEndpoints(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	eps, err := s.store.Endpoints(r.Context(), s.BaseURL)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, eps)
}

// putEndpoint (PUT /api/endpoints, {"ODS", "Service", "URL", "ASID"}) adds
// or replaces a remote organisation's endpoint.
func (s *Server) putEndpoint(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	var e spine.Endpoint
	if err := decodeJSON(r, &e); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.PutEndpoint(r.Context(), &e); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// listAgreements (GET /api/agreements?party=ODS).
func (s *Server) listAgreements(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	as, err := s.store.Agreements(r.Context(), pcnhub.ODSCode(r.URL.Query().Get("party")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if as == nil {
		as = []spine.Agreement{}
	}
	writeJSON(w, http.StatusOK, as)
}

// addAgreement (POST /api/agreements, a spine.Agreement). Sharing is
// granted by the organisation that shares: a manager may only record
// agreements in which their organisation is the provider; an
// administrator any.
func (s *Server) addAgreement(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	var a spine.Agreement
	if err := decodeJSON(r, &a); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Membership.Role != staff.Administrator && a.Provider != p.Membership.OrgODS {
		s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "only %s's own sharing can be granted from %s", a.Provider, p.Membership.OrgODS))
		return
	}
	a.ID, a.CreatedBy = 0, p.User.Username
	if err := s.store.AddAgreement(r.Context(), &a); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// endAgreement (POST /api/agreements/{id}/end, {"until": "YYYY-MM-DD"}).
func (s *Server) endAgreement(w http.ResponseWriter, r *http.Request, p *staff.Principal) {
	var in struct{ Until pcnhub.Date }
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, pcnhub.Errorf(pcnhub.ENOTFOUND, "no agreement %q", r.PathValue("id")))
		return
	}
	// As with granting: only the sharing organisation ends its sharing
	// (an administrator any).
	if p.Membership.Role != staff.Administrator {
		own, err := s.store.Agreements(r.Context(), p.Membership.OrgODS)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		i := slices.IndexFunc(own, func(a spine.Agreement) bool { return a.ID == id })
		if i < 0 {
			s.fail(w, r, pcnhub.Errorf(pcnhub.ENOTFOUND, "%s is party to no agreement %d", p.Membership.OrgODS, id))
			return
		}
		if own[i].Provider != p.Membership.OrgODS {
			s.fail(w, r, pcnhub.Errorf(pcnhub.EFORBIDDEN, "only %s's own sharing can be ended from %s", own[i].Provider, p.Membership.OrgODS))
			return
		}
	}
	if err := s.store.EndAgreement(r.Context(), id, in.Until, p.User.Username); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
