package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// cmdGPAD maps slot types to national categories and shows the mapping.
func cmdGPAD(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "map" && args[0] != "status" && args[0] != "categories") {
		return usageError("usage: pcnhub gpad map --practice ODS --slot-type T --category C [--setting S] | gpad status --practice ODS | gpad categories")
	}
	if args[0] == "categories" {
		fmt.Fprintln(stdout, "National categories:")
		for _, c := range gpad.Categories {
			fmt.Fprintln(stdout, "  "+c)
		}
		fmt.Fprintln(stdout, "Service settings:")
		for _, s := range gpad.Settings {
			fmt.Fprintln(stdout, "  "+s)
		}
		return nil
	}
	f := newFlags("gpad "+args[0], "gpad "+args[0]+" --practice ODS [flags]", stderr)
	practice := f.String("practice", "", "ODS code of the practice or hub (required)")
	slotType := f.String("slot-type", "", "map: the slot type, as in Slot.serviceType.text")
	category := f.String("category", "", "map: the national category (see pcnhub gpad categories)")
	setting := f.String("setting", "General Practice", "map: the service setting")
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
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	org, err := store.OrganisationByODS(ctx, ods)
	if err != nil {
		return err
	}
	if args[0] == "map" {
		c, ok := gpad.Category(*category)
		if !ok {
			return pcnhub.Errorf(pcnhub.EINVALID, "%q is not a national category (pcnhub gpad categories lists them)", *category)
		}
		s, ok := gpad.Setting(*setting)
		if !ok {
			return pcnhub.Errorf(pcnhub.EINVALID, "%q is not a service setting: use %s", *setting, strings.Join(gpad.Settings, ", "))
		}
		if strings.TrimSpace(*slotType) == "" {
			return pcnhub.Errorf(pcnhub.EINVALID, "--slot-type is required")
		}
		if err := store.SetGPADMapping(ctx, org.ID, gpad.Mapping{SlotType: *slotType, Category: c, Setting: s}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %q → %s (%s)\n", org.ODS, *slotType, c, s)
		return nil
	}
	maps, err := store.GPADMappings(ctx, org.ID)
	if err != nil {
		return err
	}
	inUse, err := store.SlotTypesInUse(ctx, org.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLOT TYPE\tNATIONAL CATEGORY\tSETTING")
	for _, t := range inUse {
		m, ok := maps[t]
		if !ok {
			fmt.Fprintf(tw, "%s\tUNMAPPED\t\n", t)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t, m.Category, m.Setting)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if u := gpad.UnmappedTypes(inUse, maps); len(u) > 0 {
		return pcnhub.Errorf(pcnhub.EINVALID, "%d slot type(s) of %s have no national category: %s", len(u), org.ODS, strings.Join(u, "; "))
	}
	return nil
}

// cmdReportGPAD writes the monthly GPAD extract (practice-level crosstab) as CSV.
func cmdReportGPAD(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("report gpad", "report gpad --month YYYY-MM [--practice ODS,…] [FILE.csv]", stderr)
	monthS := f.String("month", "", "the month, YYYY-MM (default last month)")
	practices := f.String("practice", "", "only these organisations (ODS codes, comma-separated); default every hosted practice and hub")
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	now := time.Now().In(pcnhub.London)
	month := pcnhub.Date{Year: now.Year(), Month: now.Month(), Day: 1}.Time(pcnhub.London).AddDate(0, -1, 0)
	if *monthS != "" {
		m, err := time.ParseInLocation("2006-01", *monthS, pcnhub.London)
		if err != nil {
			return usageError(fmt.Sprintf("--month %q: write YYYY-MM", *monthS))
		}
		month = m
	}
	first := pcnhub.DateOf(month)
	want := map[pcnhub.ODSCode]bool{}
	for _, p := range strings.Split(*practices, ",") {
		if p = strings.TrimSpace(p); p != "" {
			ods, err := pcnhub.ParseODSCode(p)
			if err != nil {
				return err
			}
			want[ods] = true
		}
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	rows, unmapped, err := gpadExtract(ctx, store, first, want)
	if err != nil {
		return err
	}
	for _, u := range unmapped {
		fmt.Fprintln(stderr, "warning:", u)
	}
	out := stdout
	var tmp *os.File
	if f.NArg() == 1 {
		path := f.Arg(0)
		if tmp, err = os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*"); err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		out = tmp
	}
	w := csv.NewWriter(out)
	w.Write(gpad.Columns)
	for _, r := range rows {
		w.Write(r.Fields())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if tmp != nil {
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), f.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%d rows written to %s\n", len(rows), f.Arg(0))
	}
	return nil
}

// gpadExtract builds the crosstab of every hosted practice and hub (or
// those wanted) for a month, and says which slot types are unmapped.
func gpadExtract(ctx context.Context, store *sqlstore.Store, first pcnhub.Date, want map[pcnhub.ODSCode]bool) ([]gpad.Row, []string, error) {
	orgs, err := store.ListOrganisations(ctx)
	if err != nil {
		return nil, nil, err
	}
	start := first.Time(pcnhub.London)
	end := start.AddDate(0, 1, 0)
	var rows []gpad.Row
	var unmapped []string
	for _, o := range orgs {
		if !o.Hosted || (o.Type != pcnhub.OrgGPPractice && o.Type != pcnhub.OrgPCNHub) || (len(want) > 0 && !want[o.ODS]) {
			continue
		}
		appts, err := store.AppointmentsBetween(ctx, o.ID, start, end)
		if err != nil {
			return nil, nil, err
		}
		maps, err := store.GPADMappings(ctx, o.ID)
		if err != nil {
			return nil, nil, err
		}
		inUse, err := store.SlotTypesInUse(ctx, o.ID)
		if err != nil {
			return nil, nil, err
		}
		if u := gpad.UnmappedTypes(inUse, maps); len(u) > 0 {
			unmapped = append(unmapped, fmt.Sprintf("%s: slot types without a national category (counted as Unmapped): %s", o.ODS, strings.Join(u, "; ")))
		}
		rows = append(rows, gpad.Extract(o, first, appts, maps)...)
	}
	return rows, unmapped, nil
}
