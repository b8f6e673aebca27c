package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
)

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "ea" {
		return cmdReportEA(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "gpad" {
		return cmdReportGPAD(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "111" {
		return usageError("usage: pcnhub report 111|ea [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|csv|json] | pcnhub report gpad --month YYYY-MM")
	}
	f := newFlags("report 111", "report 111 [flags]", stderr)
	fromS := f.String("from", "", "first day (default today)")
	toS := f.String("to", "", "last day (default two weeks from the first)")
	practices := f.String("practice", "", "only these practices (ODS codes, comma-separated); default every hosted GP practice")
	format := f.String("format", "table", "table, csv or json")
	calendar := holidaysFlag(f)
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usageError(fmt.Sprintf("--format %q: use table, csv or json", *format))
	}
	from, err := dateFlag("from", *fromS, pcnhub.DateOf(time.Now().In(pcnhub.London)))
	if err != nil {
		return err
	}
	to, err := dateFlag("to", *toS, from.AddDays(13))
	if err != nil {
		return err
	}
	cal, err := calendar()
	if err != nil {
		return err
	}
	var only []pcnhub.ODSCode
	for _, p := range strings.Split(*practices, ",") {
		if p = strings.TrimSpace(p); p != "" {
			ods, err := pcnhub.ParseODSCode(p)
			if err != nil {
				return err
			}
			only = append(only, ods)
		}
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	rows, err := duty.Load111(ctx, store, from, to, cal, only)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report111JSON(from, to, rows))
	case "csv":
		w := csv.NewWriter(stdout)
		w.Write([]string{"date", "ods", "practice", "list_size", "required", "offered", "booked_by_111", "shortfall"})
		for _, r := range rows {
			w.Write([]string{r.Date, string(r.ODS), r.Practice, strconv.Itoa(r.ListSize), strconv.Itoa(r.Required),
				strconv.Itoa(r.Offered), strconv.Itoa(r.Booked111), strconv.Itoa(r.Shortfall)})
		}
		w.Flush()
		return w.Error()
	}
	return writeReport111Table(stdout, from, to, rows, isTerminal(stdout))
}

// report111 is the JSON form of the report (the CLI's and the endpoint's).
type report111 struct {
	From          string         `json:"from"`
	To            string         `json:"to"`
	Days          []duty.Day111  `json:"days"`
	ShortDays     int            `json:"shortDays"`
	ShortBy       int            `json:"shortBy"`
	ShortPractice map[string]int `json:"shortDaysByPractice"`
}

func report111JSON(from, to pcnhub.Date, rows []duty.Day111) report111 {
	r := report111{From: from.String(), To: to.String(), Days: rows, ShortPractice: map[string]int{}}
	if r.Days == nil {
		r.Days = []duty.Day111{}
	}
	for _, d := range rows {
		if d.Shortfall > 0 {
			r.ShortDays++
			r.ShortBy += d.Shortfall
			r.ShortPractice[string(d.ODS)]++
		}
	}
	return r
}

// writeReport111Table prints the report with shortfalls marked (in red on a terminal).
func writeReport111Table(w io.Writer, from, to pcnhub.Date, rows []duty.Day111, color bool) error {
	fmt.Fprintf(w, "NHS 111 direct booking — slots offered in core hours (Mon–Fri 08:00–18:30) against the duty max(1, list/3000), %s to %s\n\n", from, to)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tODS\tPRACTICE\tLIST SIZE\tREQUIRED\tOFFERED\tBOOKED BY 111\t")
	for _, r := range rows {
		mark := ""
		if r.Shortfall > 0 {
			mark = fmt.Sprintf("SHORT BY %d", r.Shortfall)
			if color {
				mark = "\x1b[1;31m" + mark + "\x1b[0m"
			}
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.Date, weekday(r.Date), r.ODS, r.Practice,
			thousands(int64(r.ListSize)), r.Required, r.Offered, r.Booked111, mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	sum := report111JSON(from, to, rows)
	if sum.ShortDays == 0 {
		fmt.Fprintf(w, "\nEvery practice met the duty on every core day (%d practice-days).\n", len(rows))
		return nil
	}
	fmt.Fprintf(w, "\n%d of %d practice-days short, %d slots in all:", sum.ShortDays, len(rows), sum.ShortBy)
	for ods, n := range sum.ShortPractice {
		fmt.Fprintf(w, " %s %d days;", ods, n)
	}
	fmt.Fprintln(w)
	return nil
}

func weekday(date string) string {
	d, err := pcnhub.ParseDate(date)
	if err != nil {
		return ""
	}
	return d.Time(time.UTC).Weekday().String()[:3]
}

// cmdReportEA prints the enhanced-access duty of each hosted hub by week.
func cmdReportEA(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("report ea", "report ea [flags]", stderr)
	fromS := f.String("from", "", "first day (default today); weeks starting on a Monday from then are reported")
	toS := f.String("to", "", "last day (default four weeks from the first)")
	format := f.String("format", "table", "table, csv or json")
	calendar := holidaysFlag(f)
	sf := addStoreFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usageError(fmt.Sprintf("--format %q: use table, csv or json", *format))
	}
	from, err := dateFlag("from", *fromS, pcnhub.DateOf(time.Now().In(pcnhub.London)))
	if err != nil {
		return err
	}
	to, err := dateFlag("to", *toS, from.AddDays(27))
	if err != nil {
		return err
	}
	cal, err := calendar()
	if err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	rows, err := duty.LoadEA(ctx, store, from, to, cal)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		if rows == nil {
			rows = []duty.WeekEA{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		w := csv.NewWriter(stdout)
		w.Write([]string{"week_of", "ods", "hub", "population", "required_minutes", "offered_minutes", "booked_minutes", "shortfall_minutes"})
		for _, r := range rows {
			w.Write([]string{r.WeekOf, string(r.ODS), r.Hub, strconv.Itoa(r.Population), strconv.Itoa(r.Required),
				strconv.Itoa(r.Offered), strconv.Itoa(r.Booked), strconv.Itoa(r.Shortfall)})
		}
		w.Flush()
		return w.Error()
	}
	fmt.Fprintf(stdout, "Enhanced access — minutes offered in Network Standard Hours (Mon–Fri 18:30–20:00, Sat 09:00–17:00) against %d per 1,000 population a week\n\n", duty.MinutesPer1000)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WEEK OF\tODS\tHUB\tPOPULATION\tREQUIRED\tOFFERED\tBOOKED\t")
	color := isTerminal(stdout)
	for _, r := range rows {
		mark := ""
		if r.Shortfall > 0 {
			mark = fmt.Sprintf("SHORT BY %d MIN", r.Shortfall)
			if color {
				mark = "\x1b[1;31m" + mark + "\x1b[0m"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.WeekOf, r.ODS, r.Hub, thousands(int64(r.Population)), r.Required, r.Offered, r.Booked, mark)
	}
	return tw.Flush()
}
