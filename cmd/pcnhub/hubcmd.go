package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/hub"
)

// The consumer commands call a running pcnhub server's staff API with an
// API token (pcnhub staff token), as any machine consumer would.

type apiFlags struct {
	server, token *string
}

func addAPIFlags(f *flags) apiFlags {
	return apiFlags{
		server: f.String("server", "http://localhost:8080", "the pcnhub server to call"),
		token:  f.String("token", "", "an API token (pcnhub staff token); required"),
	}
}

// call makes one API request and decodes the answer into out; an API
// error comes back as a *pcnhub.Error with its code and message.
func (a apiFlags) call(ctx context.Context, method, path string, body, out any) error {
	if *a.token == "" {
		return usageError("--token (or PCNHUB_TOKEN) is required: make one with pcnhub staff token")
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(*a.server, "/")+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+*a.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("call %s: %w", *a.server, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		var e struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(data, &e) == nil && e.Error.Code != "" {
			return &pcnhub.Error{Code: e.Error.Code, Message: e.Error.Message}
		}
		return fmt.Errorf("%s answered HTTP %d", *a.server, resp.StatusCode)
	}
	if out != nil && len(data) > 0 {
		return json.Unmarshal(data, out)
	}
	return nil
}

// cmdSlots is pcnhub slots search: the federated free-slot search.
func cmdSlots(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "search" {
		return usageError("usage: pcnhub slots search --token T (--group NAME | --practice ODS,…) --from DATE [--to DATE] [filters]")
	}
	f := newFlags("slots search", "slots search [flags]", stderr)
	api := addAPIFlags(f)
	group := f.String("group", "", "search every practice of this organisation group")
	practices := f.String("practice", "", "and/or these practices (ODS codes, comma-separated)")
	fromS := f.String("from", "", "first day (default tomorrow)")
	toS := f.String("to", "", "last day (default the first; at most 14 days)")
	channel := f.String("channel", "", "only this delivery channel: In-person, Telephone or Video")
	slotType := f.String("slot-type", "", "only this slot type")
	role := f.String("role", "", "only this practitioner role (SDS code or name)")
	limit := f.Int("limit", 100, "show the earliest this many slots")
	format := f.String("format", "table", "table or json")
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	from, err := dateFlag("from", *fromS, pcnhub.DateOf(time.Now().In(pcnhub.London)).AddDays(1))
	if err != nil {
		return err
	}
	to, err := dateFlag("to", *toS, from)
	if err != nil {
		return err
	}
	q := url.Values{"from": {from.String()}, "to": {to.String()}, "limit": {fmt.Sprint(*limit)}}
	for k, v := range map[string]string{"group": *group, "practice": *practices, "channel": *channel, "slotType": *slotType, "role": *role} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var res hub.SearchResult
	if err := api.call(ctx, "GET", "/api/slots?"+q.Encode(), nil, &res); err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tPRACTICE\tSLOT\tTYPE\tCHANNEL\tWITH\tSESSION\tLOCATION")
	for _, s := range res.Slots {
		who := s.Practitioner
		if s.Role != "" {
			who += " (" + s.Role + ")"
		}
		fmt.Fprintf(tw, "%s–%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Start.In(pcnhub.London).Format("Mon 2 Jan 15:04"),
			s.End.In(pcnhub.London).Format("15:04"), s.Practice, s.SlotID, s.SlotType, s.Channel, who, s.SessionName, s.Location)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d of %d free slots at %d practices", len(res.Slots), res.Total, res.Searched)
	if len(res.Unavailable) > 0 {
		var names []string
		for _, u := range res.Unavailable {
			names = append(names, fmt.Sprintf("%s (%s): %s", u.Name, u.Practice, u.Reason))
		}
		fmt.Fprintf(stdout, "; unavailable: %s", strings.Join(names, "; "))
	}
	fmt.Fprintln(stdout)
	return nil
}

const bookingUsage = `usage:
  pcnhub book --token T --practice ODS --date DATE --slot ID[,ID…] --nhs N --description TEXT [--comment TEXT]
  pcnhub book amend --token T --practice ODS --id ID [--description TEXT] [--comment TEXT]
  pcnhub book cancel --token T --practice ODS --id ID --reason TEXT
  pcnhub book list --token T --nhs N (--group NAME | --practice ODS,…) [--days N]`

// cmdBooking books, amends and cancels appointments across organisations
// and lists a patient's appointments.
func cmdBooking(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	verb := "create"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	if verb != "create" && verb != "amend" && verb != "cancel" && verb != "list" {
		return usageError(bookingUsage)
	}
	f := newFlags("book "+verb, "book "+verb+" [flags]", stderr)
	api := addAPIFlags(f)
	practice := f.String("practice", "", "the practice's ODS code")
	dateS := f.String("date", "", "create: the day of the slot")
	slots := f.String("slot", "", "create: the slot's logical id (several contiguous ones comma-separated)")
	nhs := f.String("nhs", "", "create, list: the patient's NHS number")
	description := f.String("description", "", "create, amend: what the appointment is for (non-clinical)")
	comment := f.String("comment", "", "create, amend: a comment for the practice")
	id := f.String("id", "", "amend, cancel: the appointment's logical id at the practice")
	reason := f.String("reason", "", "cancel: why")
	group := f.String("group", "", "list: every practice of this group")
	days := f.Int("days", 42, "list: how many days ahead")
	if err := f.Parse(args); err != nil {
		return err
	}
	var b hub.Booking
	switch verb {
	case "amend":
		if err := api.call(ctx, "PATCH", "/api/bookings/"+*practice+"/"+*id, map[string]string{"description": *description, "comment": *comment}, &b); err != nil {
			return err
		}
	case "cancel":
		if err := api.call(ctx, "POST", "/api/bookings/"+*practice+"/"+*id+"/cancel", map[string]string{"reason": *reason}, &b); err != nil {
			return err
		}
	case "list":
		q := url.Values{"days": {fmt.Sprint(*days)}}
		if *group != "" {
			q.Set("group", *group)
		}
		if *practice != "" {
			q.Set("practice", *practice)
		}
		var res struct {
			Appointments []hub.Booking
			Unavailable  []hub.Unavailable
		}
		if err := api.call(ctx, "GET", "/api/patients/"+*nhs+"/appointments?"+q.Encode(), nil, &res); err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "WHEN\tPRACTICE\tAPPOINTMENT\tSTATUS\tDESCRIPTION\tBOOKED BY")
		for _, a := range res.Appointments {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Start.In(pcnhub.London).Format("Mon 2 Jan 2006 15:04"), a.Practice,
				a.AppointmentID, a.Status, a.Description, a.BookedBy)
		}
		tw.Flush()
		for _, u := range res.Unavailable {
			fmt.Fprintf(stdout, "unavailable: %s (%s): %s\n", u.Name, u.Practice, u.Reason)
		}
		return nil
	default:
		d, err := pcnhub.ParseDate(*dateS)
		if err != nil {
			return usageError("--date is required: the day of the slot, YYYY-MM-DD")
		}
		ids := strings.Split(*slots, ",")
		var res hub.SearchResult
		q := url.Values{"practice": {*practice}, "from": {d.String()}, "to": {d.String()}, "limit": {"100000"}}
		if err := api.call(ctx, "GET", "/api/slots?"+q.Encode(), nil, &res); err != nil {
			return err
		}
		req := hub.BookRequest{Practice: pcnhub.ODSCode(*practice), NHSNumber: pcnhub.NHSNumber(*nhs), Description: *description, Comment: *comment}
		for _, want := range ids {
			found := false
			for _, s := range res.Slots {
				if s.SlotID == strings.TrimSpace(want) {
					if req.Start.IsZero() || s.Start.Before(req.Start) {
						req.Start = s.Start
					}
					if s.End.After(req.End) {
						req.End = s.End
					}
					req.LocationID, req.PractitionerID = s.LocationID, s.PractitionerID
					req.SlotIDs = append(req.SlotIDs, s.SlotID)
					found = true
				}
			}
			if !found {
				return pcnhub.Errorf(pcnhub.ECONFLICT, "slot %s is not free at %s on %s (taken, or not yours to book)", want, *practice, d)
			}
		}
		if err := api.call(ctx, "POST", "/api/bookings", req, &b); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%s appointment %s at %s, %s–%s: %s", b.Status, b.AppointmentID, b.Practice,
		b.Start.In(pcnhub.London).Format("Mon 2 Jan 2006 15:04"), b.End.In(pcnhub.London).Format("15:04"), b.Description)
	if b.Registered {
		fmt.Fprint(stdout, " (registered there temporarily)")
	}
	fmt.Fprintln(stdout)
	return nil
}
