package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/spine"
)

const endpointUsage = `usage:
  pcnhub endpoint add --ods ODS --url SERVICE_ROOT --asid ASID [--service gpconnect|structured]
  pcnhub endpoint list [--base-url URL]
  pcnhub endpoint remove --ods ODS [--service gpconnect|structured]`

// cmdEndpoint manages the endpoint directory: where organisations this
// deployment does not host answer GP Connect.
func cmdEndpoint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list" && args[0] != "remove") {
		return usageError(endpointUsage)
	}
	f := newFlags("endpoint "+args[0], "endpoint "+args[0]+" [flags]", stderr)
	ods := f.String("ods", "", "ODS code of the organisation")
	rawURL := f.String("url", "", "add: its service root, e.g. https://gpc.example.nhs.uk/A81001/STU3/1/gpconnect")
	asid := f.String("asid", "", "add: its Spine ASID (12 digits)")
	service := f.String("service", "gpconnect", "gpconnect (Foundations and Appointments) or structured")
	base := f.String("base-url", "http://localhost:8080", "list: the scheme and host this server is reached on, for hosted organisations")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "list":
		eps, err := store.Endpoints(ctx, *base)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ODS\tSERVICE\tASID\tHOSTED\tSERVICE ROOT")
		for _, e := range eps {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%s\n", e.ODS, e.Service, e.ASID, e.Hosted, e.URL)
		}
		return tw.Flush()
	case "remove":
		if err := store.DeleteEndpoint(ctx, pcnhub.ODSCode(*ods), spine.Service(*service)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed the %s endpoint of %s\n", *service, *ods)
		return nil
	}
	e := &spine.Endpoint{ODS: pcnhub.ODSCode(*ods), Service: spine.Service(*service), URL: strings.TrimSpace(*rawURL), ASID: pcnhub.ASID(*asid)}
	if err := store.PutEndpoint(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s answers %s at %s (ASID %s)\n", e.ODS, e.Service, e.URL, e.ASID)
	return nil
}

const agreementUsage = `usage:
  pcnhub agreement add --provider ODS (--consumer ODS | --consumer-group NAME) --capability C[,C…] --from DATE [--until DATE] [--reference TEXT] [--both-ways]
  pcnhub agreement list [--party ODS]
  pcnhub agreement end --id N --until DATE`

// cmdAgreement manages data sharing agreements.
func cmdAgreement(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list" && args[0] != "end") {
		return usageError(agreementUsage)
	}
	f := newFlags("agreement "+args[0], "agreement "+args[0]+" [flags]", stderr)
	provider := f.String("provider", "", "add: the organisation that shares (its book, its records)")
	consumer := f.String("consumer", "", "add: the organisation that may use what is shared")
	group := f.String("consumer-group", "", "add: every member of this organisation group may use it (one agreement each)")
	caps := f.String("capability", "", "add: appointments, care-record, tasks, write-back (comma-separated)")
	from := f.String("from", "", "add: first day in force, YYYY-MM-DD (default today)")
	until := f.String("until", "", "add, end: last day in force, YYYY-MM-DD (add: default open-ended)")
	reference := f.String("reference", "", "add: the signed agreement's reference")
	bothWays := f.Bool("both-ways", false, "add: also record the same sharing the other way round")
	party := f.String("party", "", "list: only agreements this organisation is a party to")
	id := f.Int("id", 0, "end: the agreement's number")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	today := pcnhub.DateOf(time.Now().In(pcnhub.London))
	switch args[0] {
	case "list":
		as, err := store.Agreements(ctx, pcnhub.ODSCode(*party))
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPROVIDER\tCONSUMER\tCAPABILITY\tFROM\tUNTIL\tIN FORCE\tREFERENCE")
		for _, a := range as {
			until := a.Until.String()
			if until == "" {
				until = "—"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%t\t%s\n", a.ID, a.Provider, a.Consumer, a.Capability, a.From, until, a.InForce(today), a.Reference)
		}
		return tw.Flush()
	case "end":
		d, err := pcnhub.ParseDate(*until)
		if err != nil {
			return err
		}
		if *id <= 0 {
			return usageError("--id is required (pcnhub agreement list shows the numbers)")
		}
		if err := store.EndAgreement(ctx, int64(*id), d, actor()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "agreement %d ends on %s\n", *id, d)
		return nil
	}
	capabilities, err := spine.ParseCapabilities(*caps)
	if err != nil {
		return err
	}
	start, err := dateFlag("from", *from, today)
	if err != nil {
		return err
	}
	end, err := dateFlag("until", *until, pcnhub.Date{})
	if err != nil {
		return err
	}
	var consumers []pcnhub.ODSCode
	switch {
	case *consumer != "" && *group != "":
		return usageError("name a consumer or a consumer group, not both")
	case *consumer != "":
		consumers = []pcnhub.ODSCode{pcnhub.ODSCode(*consumer)}
	case *group != "":
		g, err := store.GroupByName(ctx, *group)
		if err != nil {
			return err
		}
		for _, m := range g.Members {
			if m != pcnhub.ODSCode(*provider) {
				consumers = append(consumers, m)
			}
		}
	default:
		return usageError(agreementUsage)
	}
	var added []string
	for _, c := range consumers {
		for _, capability := range capabilities {
			pairs := [][2]pcnhub.ODSCode{{pcnhub.ODSCode(*provider), c}}
			if *bothWays {
				pairs = append(pairs, [2]pcnhub.ODSCode{c, pcnhub.ODSCode(*provider)})
			}
			for _, p := range pairs {
				a := &spine.Agreement{Provider: p[0], Consumer: p[1], Capability: capability, From: start, Until: end,
					Reference: *reference, CreatedBy: actor()}
				if err := store.AddAgreement(ctx, a); err != nil {
					return err
				}
				added = append(added, strconv.FormatInt(a.ID, 10)+": "+a.String())
			}
		}
	}
	fmt.Fprintln(stdout, strings.Join(added, "\n"))
	return nil
}
