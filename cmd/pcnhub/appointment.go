package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// cmdAppointment records an appointment's outcome, as staff at the desk do.
func cmdAppointment(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "outcome" {
		return usageError("usage: pcnhub appointment outcome --id N --outcome arrived|attended|dna|cancelled-by-patient|cancelled-by-practice [--at TIME]")
	}
	f := newFlags("appointment outcome", "appointment outcome --id N --outcome OUTCOME [flags]", stderr)
	id := f.Int("id", 0, "the appointment's id (required)")
	outcome := f.String("outcome", "", "arrived, attended, dna, cancelled-by-patient or cancelled-by-practice (required)")
	atS := f.String("at", "", "when it happened, RFC 3339 (default now)")
	reason := f.String("reason", "", "for a cancellation: the reason")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	if *id <= 0 || *outcome == "" {
		f.Usage()
		return usageError("--id and --outcome are required")
	}
	o, err := schedule.ParseOutcome(*outcome)
	if err != nil {
		return err
	}
	now := time.Now()
	at := now
	if *atS != "" {
		if at, err = time.Parse(time.RFC3339, *atS); err != nil {
			return usageError(fmt.Sprintf("--at %q: use RFC 3339, e.g. 2026-11-25T10:05:00Z", *atS))
		}
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	a, err := store.AppointmentByID(ctx, int64(*id))
	if err != nil {
		return err
	}
	a.CancellationReason = *reason
	if err := a.RecordOutcome(o, at, now); err != nil {
		return err
	}
	if err := store.UpdateAppointment(ctx, a, a.Version); err != nil {
		return err
	}
	org, _ := store.OrganisationByID(ctx, a.OrganisationID)
	pt, _ := store.PatientByID(ctx, a.PatientID)
	ev := &pcnhub.AuditEvent{Action: "appointment.outcome", Actor: actor(), Outcome: "ok", Detail: fmt.Sprintf("appointment %d: %s", a.ID, o)}
	if org != nil {
		ev.OrgODS = org.ODS
	}
	if pt != nil {
		ev.NHSNumber = pt.NHSNumber
	}
	if err := store.AppendAudit(ctx, ev); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "appointment %d: %s (status %s)\n", a.ID, o, a.Status)
	return nil
}
