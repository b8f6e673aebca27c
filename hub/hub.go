// Package hub is pcnhub as a GP Connect consumer: a staff user of one
// organisation searches the free slots of many practices at once, books,
// amends and cancels across organisations, and lists a patient's
// appointments across a group — always through the GP Connect wire
// protocol (package gpconnect/client), whether the practice is hosted by
// this deployment or by another system. The practice's own provider checks
// the data sharing agreement; this package checks what the user's role
// allows.
package hub

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

// Directory is what the hub reads of the world: where organisations
// answer GP Connect, their details, and organisation groups.
type Directory interface {
	ResolveEndpoint(ctx context.Context, ods pcnhub.ODSCode, service spine.Service, base string) (*spine.Endpoint, error)
	OrganisationByODS(ctx context.Context, ods pcnhub.ODSCode) (*pcnhub.Organisation, error)
	GroupByName(ctx context.Context, name string) (*pcnhub.OrganisationGroup, error)
	AppendAudit(ctx context.Context, e *pcnhub.AuditEvent) error
}

// Register is the PDS-like demographic register (spine.Register).
type Register interface {
	Retrieve(ctx context.Context, nhs pcnhub.NHSNumber) (*pcnhub.Person, error)
}

// Hub runs consumer work for staff users.
type Hub struct {
	Directory Directory
	Register  Register
	// Client is the consumer client; its Identity is replaced by the
	// acting user's on every call.
	Client *client.Client
	// BaseURL is this deployment's scheme and host (hosted practices'
	// service roots) and the JWT issuer.
	BaseURL string
	// Timeout bounds each provider's answer in a federated search
	// (default 3 s); a practice slower than that is shown as unavailable.
	Timeout time.Duration
	Clock   pcnhub.Clock
}

func (h *Hub) now() time.Time {
	if h.Clock == nil {
		return time.Now()
	}
	return h.Clock.Now()
}

func (h *Hub) timeout() time.Duration {
	if h.Timeout <= 0 {
		return 3 * time.Second
	}
	return h.Timeout
}

// clientFor is the consumer client acting as the principal: the JWT's
// requesting practitioner, organisation and device, Ssp-From the
// organisation's ASID.
func (h *Hub) clientFor(ctx context.Context, p *staff.Principal) (*client.Client, *pcnhub.Organisation, error) {
	org, err := h.Directory.OrganisationByODS(ctx, p.Membership.OrgODS)
	if err != nil {
		return nil, nil, err
	}
	if org.ASID == "" {
		return nil, nil, pcnhub.Errorf(pcnhub.EINVALID, "%s has no ASID, so it cannot call GP Connect; set one with pcnhub org add --asid", org.ODS)
	}
	c := *h.Client
	c.Identity = client.Identity{
		OrgODS: org.ODS, OrgName: org.Name,
		PractitionerID: "user-" + strconv.FormatInt(p.User.ID, 10), PractitionerSDSUserID: p.User.SDSUserID,
		PractitionerRoleProfileID: p.Membership.RoleProfileID,
		PractitionerFamily:        cmp.Or(p.User.Family, p.User.Username), PractitionerGiven: p.User.Given,
		DeviceSystem: "https://pcnhub.example/Id/device", DeviceValue: "pcnhub", DeviceModel: "pcnhub", DeviceVersion: "1",
		ASID: string(org.ASID), Issuer: h.BaseURL,
	}
	return &c, org, nil
}

// endpoint is where a practice answers Foundations and Appointments.
func (h *Hub) endpoint(ctx context.Context, ods pcnhub.ODSCode) (client.Endpoint, error) {
	e, err := h.Directory.ResolveEndpoint(ctx, ods, spine.ServiceGPConnect, h.BaseURL)
	if err != nil {
		return client.Endpoint{}, err
	}
	return client.Endpoint{Base: e.URL, ASID: string(e.ASID)}, nil
}

// ---- Federated slot search

// SlotSearch is what a user asks for: the practices (a group's members
// and/or named practices), a date range, and optional filters.
type SlotSearch struct {
	Group     string
	Practices []pcnhub.ODSCode
	From, To  pcnhub.Date
	Channel   string // In-person, Telephone, Video; "" any
	SlotType  string // exact slot type text; "" any
	Role      string // SDS job role code or display; "" any
	// Limit, when positive, keeps only the earliest Limit slots (the
	// result's Total still counts them all).
	Limit int
}

// FoundSlot is one free slot as the practice's provider described it.
type FoundSlot struct {
	Practice       pcnhub.ODSCode `json:"practice"`
	PracticeName   string         `json:"practiceName"`
	SlotID         string         `json:"slotId"`
	Start          time.Time      `json:"start"`
	End            time.Time      `json:"end"`
	SlotType       string         `json:"slotType"`
	SessionName    string         `json:"sessionName"`
	Channel        string         `json:"channel"`
	RoleCode       string         `json:"roleCode"`
	Role           string         `json:"role"`
	Practitioner   string         `json:"practitioner"`
	PractitionerID string         `json:"practitionerId"`
	Location       string         `json:"location"`
	LocationID     string         `json:"locationId"`
	ScheduleID     string         `json:"scheduleId"`
}

// Unavailable is a practice that could not be searched, and why.
type Unavailable struct {
	Practice pcnhub.ODSCode `json:"practice"`
	Name     string         `json:"name"`
	Reason   string         `json:"reason"`
}

// SearchResult is a federated search's answer: slots by start (then
// practice), and the practices that did not answer.
type SearchResult struct {
	Slots       []FoundSlot   `json:"slots"`
	Total       int           `json:"total"` // slots found, before any limit
	Unavailable []Unavailable `json:"unavailable"`
	Searched    int           `json:"searched"`
}

// MaxSearchDays is the longest federated search window (the GP Connect
// limit for a slot search is 14 days).
const MaxSearchDays = 14

// SearchSlots searches every practice of the query at once, each bounded by
// the hub's timeout, and merges what they answer. A practice that fails,
// refuses or is slow is listed as unavailable; it never fails the search
// or delays it beyond the timeout. Requires staff.SearchSlots. EINVALID for
// an empty or over-long window or no practices.
func (h *Hub) SearchSlots(ctx context.Context, p *staff.Principal, q SlotSearch) (*SearchResult, error) {
	if err := p.Require(staff.SearchSlots); err != nil {
		return nil, err
	}
	if q.From.IsZero() || q.To.Before(q.From) {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "give a date range: from on or before to")
	}
	if q.From.AddDays(MaxSearchDays - 1).Before(q.To) {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "a search covers at most %d days", MaxSearchDays)
	}
	targets, err := h.targets(ctx, q.Group, q.Practices)
	if err != nil {
		return nil, err
	}
	c, org, err := h.clientFor(ctx, p)
	if err != nil {
		return nil, err
	}
	query := client.SlotQuery{From: q.From, To: q.To, OrgType: org.Type, ConsumerODS: org.ODS}
	if org.Type == pcnhub.OrgPCNHub {
		// GP Connect's organisation types are gp-practice and
		// urgent-care; a hub books as a practice would.
		query.OrgType = pcnhub.OrgGPPractice
	}
	type answer struct {
		slots []FoundSlot
		down  *Unavailable
	}
	answers := make([]answer, len(targets))
	// One deadline for every practice, from now: the search answers
	// within the timeout (and the merging) however many practices hang.
	sctx, cancel := context.WithTimeout(ctx, h.timeout())
	defer cancel()
	var wg sync.WaitGroup
	for i, ods := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := h.nameOf(ctx, ods)
			slots, err := h.searchOne(sctx, c, ods, name, query)
			if err != nil {
				answers[i].down = &Unavailable{Practice: ods, Name: name, Reason: reasonOf(err, h.timeout())}
				return
			}
			answers[i].slots = slots
		}()
	}
	wg.Wait()
	res := &SearchResult{Searched: len(targets), Unavailable: []Unavailable{}}
	lists := make([][]FoundSlot, 0, len(answers))
	for _, a := range answers {
		if a.down != nil {
			res.Unavailable = append(res.Unavailable, *a.down)
		}
		if q.Channel != "" || q.SlotType != "" || q.Role != "" {
			a.slots = slices.DeleteFunc(a.slots, func(s FoundSlot) bool { return !q.matches(&s) })
		}
		lists = append(lists, a.slots) // in practice (ODS) order, so ties go to the lower code
	}
	res.Slots, res.Total = mergeByStart(lists, q.Limit)
	// A search touches no patient: its audit event need not hold up the
	// answer (it is still written, in the background).
	detail := fmt.Sprintf("%d practices, %d slots, %d unavailable", len(targets), res.Total, len(res.Unavailable))
	go h.audit(context.WithoutCancel(ctx), p, "hub.search-slots", "", "", detail, nil)
	return res, nil
}

func (q *SlotSearch) matches(s *FoundSlot) bool {
	return (q.Channel == "" || strings.EqualFold(q.Channel, s.Channel)) &&
		(q.SlotType == "" || strings.EqualFold(q.SlotType, s.SlotType)) &&
		(q.Role == "" || strings.EqualFold(q.Role, s.RoleCode) || strings.EqualFold(q.Role, s.Role))
}

// targets are the practices of a group and the named ones, de-duplicated,
// in ODS order.
func (h *Hub) targets(ctx context.Context, group string, named []pcnhub.ODSCode) ([]pcnhub.ODSCode, error) {
	out := slices.Clone(named)
	if group != "" {
		g, err := h.Directory.GroupByName(ctx, group)
		if err != nil {
			return nil, err
		}
		out = append(out, g.Members...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "name the practices to search, or a group of them")
	}
	return out, nil
}

func (h *Hub) nameOf(ctx context.Context, ods pcnhub.ODSCode) string {
	if o, err := h.Directory.OrganisationByODS(ctx, ods); err == nil {
		return o.Name
	}
	return string(ods)
}

// searchOne searches one practice (ctx carries the search's deadline).
func (h *Hub) searchOne(ctx context.Context, c *client.Client, ods pcnhub.ODSCode, name string, q client.SlotQuery) ([]FoundSlot, error) {
	ep, err := h.endpoint(ctx, ods)
	if err != nil {
		return nil, err
	}
	raw, err := c.SearchSlotsRaw(ctx, ep, q)
	if err != nil {
		return nil, err
	}
	if slots, err := FlattenJSON(raw, ods, name); err == nil {
		return sortedByStart(slots), nil
	}
	b, err := client.DecodeSlotSearch(raw) // the general way, for anything unexpected
	if err != nil {
		return nil, err
	}
	return sortedByStart(Flatten(b, ods, name)), nil
}

// sortedByStart sorts one practice's slots by start (providers usually
// answer in that order already).
func sortedByStart(s []FoundSlot) []FoundSlot {
	if !slices.IsSortedFunc(s, byStart) {
		slices.SortStableFunc(s, byStart)
	}
	return s
}

func byStart(a, b FoundSlot) int { return a.Start.Compare(b.Start) }

// mergeByStart merges practices' slot lists, each sorted by start, into
// one sorted by start and then by practice (the order of lists), moving
// each slot once: a k-way merge over a heap of the lists' heads. With a
// positive limit it stops after the earliest limit slots. It also returns
// the number of slots in all the lists.
func mergeByStart(lists [][]FoundSlot, limit int) ([]FoundSlot, int) {
	n := 0
	type head struct {
		at   int64 // the head's start, Unix nanoseconds
		list int
		pos  int
	}
	var h []head
	for i, l := range lists {
		n += len(l)
		if len(l) > 0 {
			h = append(h, head{l[0].Start.UnixNano(), i, 0})
		}
	}
	less := func(a, b head) bool { return a.at < b.at || a.at == b.at && a.list < b.list }
	down := func(i int) {
		for {
			c := 2*i + 1
			if c >= len(h) {
				return
			}
			if c+1 < len(h) && less(h[c+1], h[c]) {
				c++
			}
			if !less(h[c], h[i]) {
				return
			}
			h[i], h[c] = h[c], h[i]
			i = c
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	want := n
	if limit > 0 && limit < n {
		want = limit
	}
	out := make([]FoundSlot, 0, want)
	for len(h) > 0 && len(out) < want {
		top := &h[0]
		l := lists[top.list]
		out = append(out, l[top.pos])
		if top.pos++; top.pos < len(l) {
			top.at = l[top.pos].Start.UnixNano()
		} else {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		down(0)
	}
	return out, n
}

// reasonOf says in a sentence why a practice could not be searched.
func reasonOf(err error, timeout time.Duration) string {
	var pe *client.ProviderError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("did not answer within %s", timeout)
	case client.IsAccessRefused(err):
		return "refused: no data sharing agreement in force, or GP Connect is switched off there"
	case errors.As(err, &pe):
		return pe.Error()
	case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
		return "not in the endpoint directory"
	}
	return "could not be reached: " + err.Error()
}

// Flatten turns a slot-search Bundle into one row per free slot, resolving
// each slot's schedule, location and practitioner.
func Flatten(b *fhir.Bundle, ods pcnhub.ODSCode, name string) []FoundSlot {
	schedules := map[string]*fhir.Schedule{}
	practitioners := map[string]*fhir.Practitioner{}
	locations := map[string]*fhir.Location{}
	var slots []*fhir.Slot
	for _, e := range b.Entry {
		switch r := e.Resource.(type) {
		case *fhir.Schedule:
			schedules["Schedule/"+r.ID] = r
		case *fhir.Practitioner:
			practitioners["Practitioner/"+r.ID] = r
		case *fhir.Location:
			locations["Location/"+r.ID] = r
		case *fhir.Slot:
			slots = append(slots, r)
		}
	}
	out := make([]FoundSlot, 0, len(slots))
	for _, s := range slots {
		if s.Status != "free" {
			continue
		}
		f := FoundSlot{Practice: ods, PracticeName: name, SlotID: s.ID, Start: s.Start.Time(), End: s.End.Time()}
		if len(s.ServiceType) > 0 {
			f.SlotType = s.ServiceType[0].Text
		}
		for _, x := range s.Extension {
			if x.URL == fhir.ExtDeliveryChannel {
				f.Channel = x.ValueCode
			}
		}
		if s.Schedule != nil {
			f.ScheduleID = strings.TrimPrefix(s.Schedule.Reference, "Schedule/")
			if sc := schedules[s.Schedule.Reference]; sc != nil {
				if sc.ServiceCategory != nil {
					f.SessionName = sc.ServiceCategory.Text
				}
				for _, x := range sc.Extension {
					if x.URL == fhir.ExtPractitionerRole && x.ValueCodeableConcept != nil && len(x.ValueCodeableConcept.Coding) > 0 {
						f.RoleCode, f.Role = x.ValueCodeableConcept.Coding[0].Code, x.ValueCodeableConcept.Coding[0].Display
					}
				}
				for _, a := range sc.Actor {
					switch {
					case strings.HasPrefix(a.Reference, "Location/"):
						f.LocationID = strings.TrimPrefix(a.Reference, "Location/")
						if l := locations[a.Reference]; l != nil {
							f.Location = l.Name
						}
					case strings.HasPrefix(a.Reference, "Practitioner/"):
						f.PractitionerID = strings.TrimPrefix(a.Reference, "Practitioner/")
						if pr := practitioners[a.Reference]; pr != nil && len(pr.Name) > 0 {
							n := pr.Name[0]
							f.Practitioner = strings.TrimSpace(strings.Join(append(append(slices.Clone(n.Prefix), n.Given...), n.Family), " "))
						}
					}
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// audit records a consumer action of the hub: who, for which patient,
// at which practice, and how it ended.
func (h *Hub) audit(ctx context.Context, p *staff.Principal, action string, practice pcnhub.ODSCode, nhs pcnhub.NHSNumber, detail string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = pcnhub.ErrorCode(err)
		var pe *client.ProviderError
		if errors.As(err, &pe) && pe.SpineCode != "" {
			outcome = pe.SpineCode
		}
	}
	trace := ""
	if r, ok := pcnhub.RequesterFrom(ctx); ok {
		trace = r.TraceID
	}
	h.Directory.AppendAudit(ctx, &pcnhub.AuditEvent{At: h.now(), TraceID: trace, Action: action, Actor: p.User.Username,
		OrgODS: practice, RequesterODS: p.Membership.OrgODS, Practitioner: p.User.SDSUserID, Device: "pcnhub",
		NHSNumber: nhs, Outcome: outcome, Detail: detail})
}
