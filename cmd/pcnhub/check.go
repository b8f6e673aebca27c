package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/checker"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/client"
)

const checkUsage = "usage: pcnhub check slots --endpoint URL --ods ODS --as urgent-care|gp-practice --consumer-ods ODS " +
	"[--from YYYY-MM-DD --to YYYY-MM-DD] [--asid PROVIDER_ASID] [--format table|json]"

// checkNow is the clock of pcnhub check: the JWT times, the default window and "past".
var checkNow = time.Now

// cmdCheck is "pcnhub check slots": a consumer's view of a provider's
// free slots, as the NHS GP Connect Appointment Checker shows them, with
// the configuration defects that hide or mislabel slots.
func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "slots" {
		return usageError(checkUsage)
	}
	f := newFlags("check slots", "check slots --endpoint URL --ods ODS --as urgent-care|gp-practice --consumer-ods ODS [flags]\n\n"+
		"Calls the provider's /metadata, then searches its free slots as a GP Connect consumer would\n"+
		"(the query of the NHS Appointment Checker), and reports the slot counts by day, delivery channel,\n"+
		"slot type, session, practitioner role and location, and every configuration problem found.\n"+
		"Exits 2 when the provider answers with an error or a problem is found.", stderr)
	endpoint := f.String("endpoint", "", "the provider's GP Connect service root, e.g. http://127.0.0.1:8080/B82617/STU3/1/gpconnect")
	ods := f.String("ods", "", "the provider's ODS code (the practice whose slots are checked)")
	as := f.String("as", "", "the consumer's organisation type, sent as a searchFilter: urgent-care or gp-practice")
	consumerODS := f.String("consumer-ods", "", "the consumer's ODS code: sent as a searchFilter and as the JWT requesting organisation")
	fromS := f.String("from", "", "first day searched, YYYY-MM-DD (default tomorrow, UK time)")
	toS := f.String("to", "", "last day searched, YYYY-MM-DD (default six days after --from: one week)")
	asid := f.String("asid", "918999198738", "the provider's ASID, sent as Ssp-To")
	consumerASID := f.String("consumer-asid", "200000000359", "the consumer's ASID, sent as Ssp-From")
	format := f.String("format", "table", "output: table or json")
	timeout := f.Int("timeout", 30, "seconds allowed for each call")
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	if len(f.Args()) > 0 {
		return usageError(checkUsage)
	}
	if *endpoint == "" || *ods == "" || *as == "" || *consumerODS == "" {
		return usageError("--endpoint, --ods, --as and --consumer-ods are required\n" + checkUsage)
	}
	providerODS, err := pcnhub.ParseODSCode(*ods)
	if err != nil {
		return err
	}
	cons, err := pcnhub.ParseODSCode(*consumerODS)
	if err != nil {
		return err
	}
	orgType := pcnhub.OrgType(*as)
	if orgType != pcnhub.OrgUrgentCare && orgType != pcnhub.OrgGPPractice {
		return usageError(fmt.Sprintf("--as %q: use urgent-care or gp-practice", *as))
	}
	if *format != "table" && *format != "json" {
		return usageError(fmt.Sprintf("--format %q: use table or json", *format))
	}
	now := checkNow().In(pcnhub.London)
	from := pcnhub.DateOf(now).AddDays(1)
	if *fromS != "" {
		if from, err = pcnhub.ParseDate(*fromS); err != nil {
			return err
		}
	}
	to := from.AddDays(6)
	if *toS != "" {
		if to, err = pcnhub.ParseDate(*toS); err != nil {
			return err
		}
	}
	if to.Before(from) {
		return usageError("--to is before --from")
	}

	c := &client.Client{
		HTTP:  &http.Client{Timeout: time.Duration(*timeout) * time.Second},
		Clock: checkNow,
		Identity: client.Identity{
			OrgODS: cons, OrgName: "pcnhub check (" + string(cons) + ")",
			PractitionerID: "pcnhub-check", PractitionerFamily: "Check", PractitionerGiven: "pcnhub",
			DeviceSystem: "https://pcnhub.org/Id/device-identifier", DeviceValue: "pcnhub check",
			DeviceModel: "pcnhub check", DeviceVersion: "1",
			ASID: *consumerASID, Issuer: "https://pcnhub.org/check",
		},
	}
	ep := client.Endpoint{Base: *endpoint, ASID: *asid}
	out := checkOutput{Provider: string(providerODS), Endpoint: ep.Base, ASID: ep.ASID,
		Query: checkQuery{From: from.String(), To: to.String(), OrgType: string(orgType), ConsumerODS: string(cons)}}

	cs, err := c.Metadata(ctx, ep)
	if err != nil {
		var pe *client.ProviderError
		if !errors.As(err, &pe) {
			return fmt.Errorf("metadata: %w", err)
		}
		out.Error = &checkError{Step: "metadata", Status: pe.Status, Code: pe.SpineCode, Display: pe.Display, Diagnostics: pe.Diagnostics}
		return out.print(stdout, *format)
	}
	out.Capability = capabilityOf(cs)

	q := client.SlotQuery{From: from, To: to, OrgType: orgType, ConsumerODS: cons}
	b, raw, err := c.SearchSlots(ctx, ep, q)
	if err != nil {
		var pe *client.ProviderError
		switch {
		case errors.As(err, &pe):
			out.Error = &checkError{Step: "slot search", Status: pe.Status, Code: pe.SpineCode, Display: pe.Display, Diagnostics: pe.Diagnostics}
			return out.print(stdout, *format)
		case raw == nil:
			return fmt.Errorf("slot search: %w", err)
		}
		b = nil // the body came back but is not FHIR: Analyse says so
	}
	r := checker.Analyse(raw, b, from.Time(pcnhub.London), to.AddDays(1).Time(pcnhub.London), now)
	out.Report = &r
	return out.print(stdout, *format)
}

type checkQuery struct {
	From        string `json:"from"`
	To          string `json:"to"`
	OrgType     string `json:"orgType"`
	ConsumerODS string `json:"consumerOds"`
}

type checkCapability struct {
	Version     string   `json:"version"`
	FHIRVersion string   `json:"fhirVersion"`
	Software    string   `json:"software"`
	Publisher   string   `json:"publisher"`
	Formats     []string `json:"formats"`
	SlotSearch  bool     `json:"slotSearch"`
}

type checkError struct {
	Step        string `json:"step"`
	Status      int    `json:"status"`
	Code        string `json:"code"`
	Display     string `json:"display"`
	Diagnostics string `json:"diagnostics"`
}

type checkOutput struct {
	Provider   string           `json:"provider"`
	Endpoint   string           `json:"endpoint"`
	ASID       string           `json:"asid"`
	Query      checkQuery       `json:"query"`
	Capability *checkCapability `json:"capability,omitempty"`
	Error      *checkError      `json:"error,omitempty"`
	Report     *checker.Report  `json:"report,omitempty"`
}

func capabilityOf(cs *fhir.CapabilityStatement) *checkCapability {
	c := &checkCapability{Version: cs.Version, FHIRVersion: cs.FHIRVersion, Publisher: cs.Publisher, Formats: cs.Format}
	if cs.Software != nil {
		c.Software = strings.TrimSpace(cs.Software.Name + " " + cs.Software.Version)
	}
	for _, rest := range cs.Rest {
		for _, res := range rest.Resource {
			if res.Type != "Slot" {
				continue
			}
			for _, in := range res.Interaction {
				if in.Code == "search-type" {
					c.SlotSearch = true
				}
			}
		}
	}
	return c
}

// print writes the result and returns the error that sets the exit
// status: EINVALID when the provider refused or a problem was found.
func (o *checkOutput) print(w io.Writer, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(o); err != nil {
			return err
		}
	} else {
		o.table(w)
	}
	switch {
	case o.Error != nil:
		return pcnhub.Errorf(pcnhub.EINVALID, "%s: the provider answered HTTP %d %s", o.Error.Step, o.Error.Status, o.Error.Code)
	case o.Report != nil && len(o.Report.Problems) > 0:
		return pcnhub.Errorf(pcnhub.EINVALID, "%d problem(s) found", len(o.Report.Problems))
	}
	return nil
}

func (o *checkOutput) table(w io.Writer) {
	fmt.Fprintf(w, "Provider %s at %s (ASID %s)\n", o.Provider, o.Endpoint, o.ASID)
	fmt.Fprintf(w, "Search   %s .. %s as %s, consumer %s\n", o.Query.From, o.Query.To, o.Query.OrgType, o.Query.ConsumerODS)
	if c := o.Capability; c != nil {
		slot := "declared"
		if !c.SlotSearch {
			slot = "NOT declared"
		}
		fmt.Fprintf(w, "Capability: GP Connect %s, FHIR %s, software %q, publisher %q, formats %s, Slot search %s\n",
			c.Version, c.FHIRVersion, c.Software, c.Publisher, strings.Join(c.Formats, " "), slot)
	}
	if e := o.Error; e != nil {
		fmt.Fprintf(w, "Error at %s: HTTP %d: The error returned was %q\n", e.Step, e.Status, fmt.Sprintf("%s (%s)", e.Display, e.Code))
		if e.Diagnostics != "" {
			fmt.Fprintf(w, "  diagnostics: %s\n", e.Diagnostics)
		}
		return
	}
	r := o.Report
	if r == nil {
		return
	}
	fmt.Fprintf(w, "\n%d free slot(s) found, %d past slot(s) found (%d slot(s) in the bundle)\n", r.Free, r.Past, r.Slots)
	if r.Slots == 0 {
		fmt.Fprintln(w, "No available appointment slots found")
	}
	if !r.Earliest.IsZero() {
		fmt.Fprintf(w, "Earliest free slot %s; %d in the next 24h, %d in the next 72h\n",
			r.Earliest.In(pcnhub.London).Format("Mon 2006-01-02 15:04"), r.Next24h, r.Next72h)
	}
	for _, t := range []struct {
		title string
		m     map[string]int
	}{
		{"By day", r.ByDay}, {"By delivery channel", r.ByChannel}, {"By slot type", r.ByType},
		{"By session", r.BySession}, {"By practitioner role", r.ByRole}, {"By location", r.ByLocation},
	} {
		if len(t.m) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", t.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range checker.Sorted(t.m) {
			fmt.Fprintf(tw, "  %s\t%d\t\n", c.Key, c.N)
		}
		tw.Flush()
	}
	if len(r.Problems) == 0 {
		fmt.Fprintln(w, "\nProblems: none")
		return
	}
	fmt.Fprintf(w, "\nProblems (%d)\n", len(r.Problems))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range r.Problems {
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", p.Code, p.Count, p.Message)
	}
	tw.Flush()
}
