package pcnhub

import (
	"context"
	"time"
	_ "time/tzdata" // Europe/London must load on machines without a zone database
)

// Clock tells the time. Domain code takes a Clock instead of calling
// time.Now, so that tests can fix the day (BST change days included).
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock always answers the same instant.
type FixedClock time.Time

func (c FixedClock) Now() time.Time { return time.Time(c) }

// London is the Europe/London zone in which GP Connect times are rendered.
// The zone database is embedded (time/tzdata), so this works on machines
// without /usr/share/zoneinfo.
var London = mustLoadLocation("Europe/London")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("pcnhub: cannot load time zone " + name + ": " + err.Error())
	}
	return loc
}

// Requester is who is asking: the organisation, the practitioner and role,
// the device, and the trace id of the request. Handlers put it in the
// context; audit and access rules read it from there.
type Requester struct {
	OrganisationODS  ODSCode
	OrganisationASID ASID
	PractitionerSDS  string // SDS user id, or "UNK"
	RoleProfileID    string // SDS role profile id, or "UNK"
	Role             string // pcnhub role name (receptionist, clinician, …)
	Device           string
	TraceID          string
}

type requesterKey struct{}

// WithRequester returns a context carrying r.
func WithRequester(ctx context.Context, r Requester) context.Context {
	return context.WithValue(ctx, requesterKey{}, r)
}

// RequesterFrom returns the requester in ctx; ok is false when there is none.
func RequesterFrom(ctx context.Context) (Requester, bool) {
	r, ok := ctx.Value(requesterKey{}).(Requester)
	return r, ok
}
