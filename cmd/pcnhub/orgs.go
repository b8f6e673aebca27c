package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pcnhub/pcnhub"
)

func cmdOrg(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return usageError("usage: pcnhub org add --ods ODS --type TYPE --name NAME [flags] | pcnhub org list")
	}
	if args[0] == "list" {
		f := newFlags("org list", "org list [flags]", stderr)
		sf := addStoreFlags(f)
		if err := f.Parse(args[1:]); err != nil {
			return err
		}
		store, err := sf.open(ctx)
		if err != nil {
			return err
		}
		defer store.Close()
		orgs, err := store.ListOrganisations(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ODS\tTYPE\tNAME\tASID\tLIST SIZE\tPCN\tHOSTED\tSITES")
		for _, o := range orgs {
			var sites []string
			for _, s := range o.Sites {
				sites = append(sites, string(s.ODS))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%t\t%s\n", o.ODS, o.Type, o.Name, o.ASID, thousands(int64(o.ListSize)),
				o.PCN, o.Hosted, strings.Join(sites, " "))
		}
		return tw.Flush()
	}

	f := newFlags("org add", "org add --ods ODS --type TYPE --name NAME [flags]", stderr)
	ods := f.String("ods", "", "ODS code (required)")
	typ := f.String("type", "", "gp-practice, urgent-care or pcn-hub (required)")
	name := f.String("name", "", "organisation name (required)")
	asid := f.String("asid", "", "Spine ASID of its GP Connect system (12 digits)")
	subtype := f.String("subtype", "", "free text, e.g. \"NHS 111\", \"CAS\", \"UTC\"")
	listSize := f.Int("list-size", 0, "registered list size")
	listDate := f.String("list-size-date", "", "date the list size was counted, YYYY-MM-DD")
	pcn := f.String("pcn", "", "ODS code of the PCN (U and five digits)")
	pcnName := f.String("pcn-name", "", "name of the PCN")
	address := f.String("address", "", "address lines separated by |, e.g. \"1 High Street|Riverside\"")
	postcode := f.String("postcode", "", "postcode")
	phone := f.String("phone", "", "work telephone number")
	sites := f.String("sites", "", "ODS site codes of its sites, comma-separated")
	hosted := f.Bool("hosted", true, "its books and records live in this pcnhub (false for a consumer such as NHS 111)")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	if *ods == "" || *typ == "" || *name == "" || f.NArg() > 0 {
		f.Usage()
		return usageError("org add needs --ods, --type and --name")
	}
	o := &pcnhub.Organisation{ODS: pcnhub.ODSCode(*ods), Type: pcnhub.OrgType(*typ), Name: *name,
		ASID: pcnhub.ASID(*asid), Subtype: *subtype, ListSize: *listSize, PCN: pcnhub.ODSCode(*pcn),
		PCNName: *pcnName, Hosted: *hosted}
	if *listDate != "" {
		d, err := pcnhub.ParseDate(*listDate)
		if err != nil {
			return err
		}
		o.ListSizeDate = d
	}
	if *address != "" {
		o.Address.Lines = strings.Split(*address, "|")
	}
	o.Address.Postcode = *postcode
	if *phone != "" {
		o.Telecom = []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: *phone}}
	}
	for _, s := range strings.Split(*sites, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.Sites = append(o.Sites, pcnhub.Site{ODS: pcnhub.ODSCode(s)})
		}
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.UpsertOrganisation(ctx, o); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "organisation %s saved\n", o.ODS)
	return nil
}

func cmdGroup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "set" && args[0] != "list") {
		return usageError("usage: pcnhub group set --name NAME ODS… | pcnhub group list")
	}
	f := newFlags("group "+args[0], "group set --name NAME [--description TEXT] ODS… | group list", stderr)
	name := f.String("name", "", "group name (set)")
	desc := f.String("description", "", "what the group is for (set)")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if args[0] == "list" {
		groups, err := store.ListGroups(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "GROUP\tMEMBERS\tDESCRIPTION")
		for _, g := range groups {
			var m []string
			for _, o := range g.Members {
				m = append(m, string(o))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", g.Name, strings.Join(m, " "), g.Description)
		}
		return tw.Flush()
	}
	if *name == "" {
		f.Usage()
		return usageError("group set needs --name and the member ODS codes")
	}
	g := &pcnhub.OrganisationGroup{Name: *name, Description: *desc}
	for _, a := range f.Args() {
		g.Members = append(g.Members, pcnhub.ODSCode(a))
	}
	if _, err := store.UpsertGroup(ctx, g); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "group %q saved with %d members\n", g.Name, len(g.Members))
	return nil
}
