package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/sqlstore"
)

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("audit", "audit [flags]", stderr)
	nhs := f.String("nhs", "", "only events about this NHS number")
	org := f.String("org", "", "only events about this organisation (ODS code)")
	action := f.String("action", "", "only events of this action, e.g. import.patients")
	since := f.String("since", "", "only events at or after this time (RFC 3339 or YYYY-MM-DD)")
	limit := f.Int("limit", 100, "at most this many events")
	verify := f.Bool("verify", false, "verify the whole hash chain instead of listing events")
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	filter := sqlstore.AuditFilter{Action: *action, Limit: *limit}
	if *nhs != "" {
		n, err := pcnhub.ParseNHSNumber(*nhs)
		if err != nil {
			return err
		}
		filter.NHSNumber = n
	}
	if *org != "" {
		o, err := pcnhub.ParseODSCode(*org)
		if err != nil {
			return err
		}
		filter.OrgODS = o
	}
	if *since != "" {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			d, derr := pcnhub.ParseDate(*since)
			if derr != nil {
				return usageError(fmt.Sprintf("--since %q: use RFC 3339 (2026-11-21T09:00:00Z) or YYYY-MM-DD", *since))
			}
			t = d.Time(pcnhub.London)
		}
		filter.From = t
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if *verify {
		n, err := store.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "audit chain intact: %d events verified\n", n)
		return nil
	}
	events, err := store.AuditEvents(ctx, filter)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME (UK)\tACTION\tACTOR\tORG\tREQUESTER\tPRACTITIONER\tPATIENT\tOUTCOME\tTRACE\tDETAIL")
	for _, e := range events {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.At.In(pcnhub.London).Format("2006-01-02 15:04:05"),
			shortAction(e.Action), e.Actor, e.OrgODS, e.RequesterODS, e.Practitioner, e.NHSNumber.Masked(), e.Outcome, e.TraceID, e.Detail)
	}
	return tw.Flush()
}

// shortAction drops the common prefix of GP Connect interaction ids.
func shortAction(a string) string {
	return strings.TrimPrefix(a, "urn:nhs:names:services:gpconnect:fhir:")
}
