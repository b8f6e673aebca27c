package gpconnect

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/schedule"
)

// ScheduleStore is the appointment-book storage the provider needs.
type ScheduleStore interface {
	SchedulesByID(ctx context.Context, ids []int64) (map[int64]*schedule.Schedule, error)
	FreeSlots(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.Slot, error)
	SlotsByID(ctx context.Context, ids []int64) ([]schedule.Slot, error)
	BookAppointment(ctx context.Context, a *schedule.Appointment) error
	AppointmentByID(ctx context.Context, id int64) (*schedule.Appointment, error)
	AppointmentsForPatient(ctx context.Context, patientID int64, from, to time.Time) ([]schedule.Appointment, error)
	UpdateAppointment(ctx context.Context, a *schedule.Appointment, ifVersion int64) error
	// SlotSearchVersion changes whenever anything a slot search at the
	// organisation reads changes (its slots and schedules; any
	// organisation, practitioner or location).
	SlotSearchVersion(ctx context.Context, orgID int64) (string, error)
}

// searchSlots answers a free-slot search (§2.3): the free slots of the
// practice wholly inside the window that the consumer's filters may see
// (§2.2), then their Schedules, the Practitioners and Locations asked
// for, and the Locations' managing Organizations whenever a slot is
// returned (consumers rely on it even without the include).
func (p *Provider) searchSlots(rq *request) (*response, error) {
	sq, err := parseSlotQuery(rq.r.URL.Query())
	if err != nil {
		return nil, err
	}
	// The answer depends only on the stored book and directory, never on
	// the time of asking: serve it rendered while its version stands. The
	// version is read before the data, so an answer is never kept under a
	// version newer than what it shows.
	version, err := p.Store.SlotSearchVersion(rq.ctx, rq.practice.ID)
	if err != nil {
		return nil, err
	}
	key := slotCacheKey(rq, sq)
	cache := p.answers()
	if a := cache.get(key, version); a != nil {
		return &response{encoded: a}, nil
	}
	bundle, err := p.slotBundle(rq, sq)
	if err != nil {
		return nil, err
	}
	body, err := fhir.Marshal(rq.format, bundle)
	if err != nil {
		return nil, err
	}
	a := &answer{key: key, version: version, body: body}
	cache.put(a)
	return &response{encoded: a}, nil
}

// slotBundle finds the free slots the consumer may see and builds the
// searchset Bundle with what the search includes.
func (p *Provider) slotBundle(rq *request, sq *slotQuery) (*fhir.Bundle, error) {
	slots, err := p.Store.FreeSlots(rq.ctx, rq.practice.ID, sq.from, sq.to)
	if err != nil {
		return nil, err
	}
	visible := slots[:0]
	scheduleIDs := []int64{}
	seen := map[int64]bool{}
	for i := range slots {
		if !slots[i].VisibleTo(sq.filter) {
			continue
		}
		visible = append(visible, slots[i])
		if id := slots[i].ScheduleID; !seen[id] {
			seen[id] = true
			scheduleIDs = append(scheduleIDs, id)
		}
	}
	if len(visible) == 0 {
		return searchset(rq), nil
	}
	sort.Slice(scheduleIDs, func(i, j int) bool { return scheduleIDs[i] < scheduleIDs[j] })
	schedules, err := p.Store.SchedulesByID(rq.ctx, scheduleIDs)
	if err != nil {
		return nil, err
	}

	entries := make([]fhir.Resource, 0, len(visible)+3*len(scheduleIDs)+1)
	for i := range visible {
		entries = append(entries, slotResource(&visible[i]))
	}
	var practitioners, locations, organisations []fhir.Resource
	var prIDs []int64
	donePr, doneLoc, doneOrg := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
	for _, id := range scheduleIDs {
		if sc := schedules[id]; sc != nil && sq.practitioner && sc.PractitionerID != 0 && !donePr[sc.PractitionerID] {
			donePr[sc.PractitionerID] = true
			prIDs = append(prIDs, sc.PractitionerID)
		}
	}
	prs, err := p.Store.PractitionersByID(rq.ctx, prIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range prIDs {
		if pr := prs[id]; pr != nil {
			practitioners = append(practitioners, practitionerResource(pr))
		}
	}
	for _, id := range scheduleIDs {
		sc := schedules[id]
		if sc == nil {
			return nil, pcnhub.Errorf(pcnhub.EINTERNAL, "schedule %d of a free slot is missing", id)
		}
		entries = append(entries, scheduleResource(sc))
		if doneLoc[sc.LocationID] {
			continue
		}
		doneLoc[sc.LocationID] = true
		l, err := p.Store.LocationByID(rq.ctx, sc.LocationID)
		if err != nil {
			return nil, err
		}
		org, err := p.Store.OrganisationByID(rq.ctx, l.OrganisationID)
		if err != nil {
			return nil, err
		}
		if sq.location {
			locations = append(locations, locationResource(l, org))
		}
		if !doneOrg[org.ID] {
			doneOrg[org.ID] = true
			organisations = append(organisations, organizationResource(org))
		}
	}
	entries = append(append(append(entries, practitioners...), locations...), organisations...)
	return searchset(rq, entries...), nil
}

// appointmentOfPractice loads an appointment of the practice that may be
// read or changed over GP Connect: 404 NO_RECORD_FOUND when unknown, of
// another practice, or past (history belongs to the record; today counts
// as future).
func (p *Provider) appointmentOfPractice(rq *request) (*schedule.Appointment, error) {
	id := rq.params["id"]
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, spineError(SpineNoRecordFound, "no appointment with id %s", id)
	}
	a, err := p.Store.AppointmentByID(rq.ctx, n)
	if pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND || (err == nil && a.OrganisationID != rq.practice.ID) {
		return nil, spineError(SpineNoRecordFound, "no appointment with id %s", id)
	} else if err != nil {
		return nil, err
	}
	today := pcnhub.DateOf(p.Clock.Now().In(pcnhub.London)).Time(pcnhub.London)
	if a.Start.Before(today) {
		return nil, spineError(SpineNoRecordFound, "appointment %s is in the past: past appointments belong to the clinical record", id)
	}
	if pt, err := p.Store.PatientByID(rq.ctx, a.PatientID); err == nil {
		rq.patient = pt.NHSNumber
	}
	return a, nil
}

func (p *Provider) readAppointment(rq *request) (*response, error) {
	a, err := p.appointmentOfPractice(rq)
	if err != nil {
		return nil, err
	}
	return &response{resource: appointmentResource(a), etag: versionID(a.Version), modified: a.Updated}, nil
}

// patientAppointments answers a patient's appointments in a date range,
// cancelled ones included (§2.5).
func (p *Provider) patientAppointments(rq *request) (*response, error) {
	pt, err := p.patientOfPractice(rq, rq.params["id"])
	if err != nil {
		return nil, err
	}
	for name := range rq.r.URL.Query() {
		if name != "start" && !tolerated[name] {
			return nil, spineError(SpineInvalidParameter, "unknown search parameter %q (the search takes start twice)", name)
		}
	}
	today := pcnhub.DateOf(p.Clock.Now().In(pcnhub.London))
	from, to, err := parseAppointmentRange(rq.r.URL.Query(), today)
	if err != nil {
		return nil, err
	}
	appts, err := p.Store.AppointmentsForPatient(rq.ctx, pt.ID, from, to)
	if err != nil {
		return nil, err
	}
	entries := make([]fhir.Resource, 0, len(appts))
	for i := range appts {
		entries = append(entries, appointmentResource(&appts[i]))
	}
	return &response{resource: searchset(rq, entries...)}, nil
}

// bookAppointment books a consumer's Appointment (§2.4): 201 with the
// stored Appointment and its Location; 409 DUPLICATE_REJECTED when a slot
// was taken meanwhile; 422 for a body that breaks the rules.
func (p *Provider) bookAppointment(rq *request) (*response, error) {
	in, err := p.decodeAppointment(rq)
	if err != nil {
		return nil, err
	}
	req, err := bookingRequest(in)
	if err != nil {
		return nil, err
	}
	pt, err := p.patientOfPractice(rq, req.patientID)
	if err != nil {
		if code := pcnhub.ErrorCode(err); code == pcnhub.EINTERNAL || code == "" {
			return nil, err // a failure here, not a bad request
		}
		return nil, spineError(SpineInvalidResource, "the patient participant Patient/%s is not a patient of %s", req.patientID, rq.practice.ODS)
	}
	slots, err := p.Store.SlotsByID(rq.ctx, req.slotIDs)
	if err != nil {
		return nil, err
	}
	if len(slots) != len(req.slotIDs) {
		return nil, spineError(SpineInvalidResource, "a slot the appointment names does not exist")
	}
	schedules, err := p.Store.SchedulesByID(rq.ctx, []int64{slots[0].ScheduleID})
	if err != nil {
		return nil, err
	}
	sc := schedules[slots[0].ScheduleID]
	if sc == nil || sc.OrganisationID != rq.practice.ID {
		return nil, spineError(SpineInvalidResource, "the slots are not in %s's appointment book", rq.practice.ODS)
	}
	now := p.Clock.Now()
	filter := schedule.SearchFilter{OrgType: req.booking.Type, ODS: req.booking.ODS}
	if err := schedule.CheckSlotsForBooking(slots, filter, now); err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.ECONFLICT {
			return nil, spineError(SpineDuplicateRejected, "%s", pcnhub.ErrorMessage(err))
		}
		return nil, spineError(SpineInvalidResource, "%s", pcnhub.ErrorMessage(err))
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i].Start.Before(slots[j].Start) })
	first, last := slots[0], slots[len(slots)-1]
	if !req.start.Equal(first.Start) || !req.end.Equal(last.End) {
		return nil, spineError(SpineInvalidResource, "start and end must be those of the slots (%s to %s)",
			ukTime(first.Start), ukTime(last.End))
	}
	a := &schedule.Appointment{
		OrganisationID: rq.practice.ID, PatientID: pt.ID, LocationID: sc.LocationID,
		PractitionerID: sc.PractitionerID, ScheduleID: sc.ID, SlotIDs: req.slotIDs,
		Start: first.Start, End: last.End, Status: schedule.Booked,
		Description: req.description, Comment: req.comment, Created: now,
		BookingOrganisation: req.booking, Identifiers: req.identifiers,
		ServiceType: first.ServiceType, ServiceCategory: sc.ServiceCategory, DeliveryChannel: first.DeliveryChannel,
		PractitionerRoleCode: sc.PractitionerRoleCode, PractitionerRoleDisplay: sc.PractitionerRoleDisplay,
		BookedVia: schedule.BookedViaGPConnect,
	}
	if err := p.Store.BookAppointment(rq.ctx, a); err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.ECONFLICT {
			return nil, spineError(SpineDuplicateRejected, "%s", pcnhub.ErrorMessage(err))
		}
		return nil, err
	}
	loc := rq.base + "/Appointment/" + strconv.FormatInt(a.ID, 10) + "/_history/" + versionID(a.Version)
	return &response{status: 201, resource: appointmentResource(a), etag: versionID(a.Version), location: loc, modified: a.Updated}, nil
}

// amendAppointment changes only description and comment (§2.6).
func (p *Provider) amendAppointment(rq *request) (*response, error) {
	return p.changeAppointment(rq, false)
}

// cancelAppointment sets the status to cancelled with a reason and frees
// the slots (§2.7).
func (p *Provider) cancelAppointment(rq *request) (*response, error) {
	return p.changeAppointment(rq, true)
}

func (p *Provider) changeAppointment(rq *request, cancel bool) (*response, error) {
	stored, err := p.appointmentOfPractice(rq)
	if err != nil {
		return nil, err
	}
	in, err := p.decodeAppointment(rq)
	if err != nil {
		return nil, err
	}
	if stored.Status == schedule.Cancelled {
		return nil, spineError(SpineInvalidResource, "appointment %d is cancelled and can no longer change", stored.ID)
	}
	if stored.DeliveryChannel == schedule.Visit {
		return nil, spineError(SpineInvalidResource, "visits cannot be changed over GP Connect")
	}
	ifVersion, err := ifMatch(rq, stored.Version)
	if err != nil {
		return nil, err
	}
	changed := *stored
	if cancel {
		reason, err := cancellationOnly(appointmentResource(stored), in)
		if err != nil {
			return nil, err
		}
		changed.Status, changed.CancellationReason = schedule.Cancelled, reason
	} else {
		desc, comment, err := amendmentOnly(appointmentResource(stored), in)
		if err != nil {
			return nil, err
		}
		changed.Description, changed.Comment = desc, comment
	}
	if err := p.Store.UpdateAppointment(rq.ctx, &changed, ifVersion); err != nil {
		if pcnhub.ErrorCode(err) == pcnhub.ECONFLICT {
			return nil, spineError(SpineConstraintViolation, "the appointment changed meanwhile: read it again")
		}
		return nil, err
	}
	return &response{resource: appointmentResource(&changed), etag: versionID(changed.Version), modified: changed.Updated}, nil
}

// ifMatch checks the If-Match header against the stored version: absent
// means no check (as providers do in practice, §1.7); a different version
// is 409 FHIR_CONSTRAINT_VIOLATION. It returns the version to check at write.
func ifMatch(rq *request, version int64) (int64, error) {
	h := rq.r.Header.Get("If-Match")
	if h == "" {
		return 0, nil
	}
	want := `W/"` + versionID(version) + `"`
	if h != want && h != `"`+versionID(version)+`"` {
		return 0, spineError(SpineConstraintViolation, "If-Match %s does not match the current version %s", clipParam(h), want)
	}
	return version, nil
}

// ukTime renders an instant as GP Connect wants it: UK local with offset.
func ukTime(t time.Time) string { return t.In(pcnhub.London).Format("2006-01-02T15:04:05-07:00") }
