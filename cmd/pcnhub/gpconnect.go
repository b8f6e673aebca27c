package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/gpctest"
	"github.com/pcnhub/pcnhub/server"
)

// capabilities are the GP Connect switches a practice has.
var capabilities = server.GPConnectCapabilities

func cmdGPConnect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "token" {
		f := newFlags("gpconnect token", "gpconnect token [--scope SCOPE]", stderr)
		scope := f.String("scope", "organization/*.read", "requested_scope: organization/*.read, patient/*.read or patient/*.write")
		if err := f.Parse(args[1:]); err != nil {
			return err
		}
		// The assurance identity (GPCA0001, practitioner GCASDS0001), valid five minutes.
		fmt.Fprintln(stdout, gpctest.Token(*scope, time.Now()))
		return nil
	}
	if len(args) == 0 || (args[0] != "enable" && args[0] != "disable" && args[0] != "status") {
		return usageError("usage: pcnhub gpconnect enable|disable|status --practice ODS [--capability gpconnect|appointments|structured|structured:AREA|html|all] | pcnhub gpconnect token [--scope S]")
	}
	verb := args[0]
	f := newFlags("gpconnect "+verb, "gpconnect "+verb+" --practice ODS [flags]", stderr)
	practice := f.String("practice", "", "ODS code of the practice (required)")
	capability := f.String("capability", "all", "gpconnect (the practice-wide switch), appointments, structured (Access Record Structured), html (Access Record HTML),\n"+
		"structured:AREA for one clinical area (AREA a $gpc.getstructuredrecord parameter such as includeImmunisations;\n"+
		"areas are on unless switched off), or all")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	if *practice == "" {
		f.Usage()
		return usageError("--practice is required")
	}
	ods, err := pcnhub.ParseODSCode(*practice)
	if err != nil {
		return err
	}
	caps := capabilities
	if *capability != "all" {
		known := slices.Contains(capabilities, *capability)
		for _, a := range gpconnect.StructuredAreaParams {
			known = known || *capability == gpconnect.StructuredAreaSwitch(a)
		}
		if !known {
			return usageError(fmt.Sprintf("--capability %q: use gpconnect, appointments, structured, structured:AREA (AREA one of %s), html or all",
				*capability, strings.Join(gpconnect.StructuredAreaParams, ", ")))
		}
		caps = []string{*capability}
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	org, err := store.OrganisationByODS(ctx, ods)
	if err != nil {
		return err
	}
	if verb != "status" {
		for _, c := range caps {
			if err := store.SetGPConnectEnabled(ctx, org.ID, c, verb == "enable", actor()); err != nil {
				return err
			}
		}
	}
	switches, err := store.GPConnectSwitches(ctx, org.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tCAPABILITY\tSTATE\n", org.ODS)
	names := append([]string{}, capabilities...)
	for c := range switches {
		if !slices.Contains(names, c) {
			names = append(names, c) // clinical-area switches, shown once set
		}
	}
	sort.Strings(names)
	for _, c := range names {
		state := "off"
		if switches[c] {
			state = "on"
		}
		fmt.Fprintf(tw, "\t%s\t%s\n", c, state)
	}
	return tw.Flush()
}
