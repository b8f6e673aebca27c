// Package gpad maps a practice's appointments to the national dimensions
// of NHS England's "Appointments in General Practice" (GPAD): national
// category, service setting, appointment mode, HCP type, time from booking
// to appointment and status, with the exact published strings
// (nhs-interop.md §3). It holds rules, not I/O.
//
// A practice maps each of its slot types to a national category and a
// service setting, as in the clinical systems' "National Slot Mapping";
// appointments of a slot type nobody mapped count as "Unmapped".
package gpad

import (
	"sort"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/schedule"
)

// The national categories of care-related encounters, exactly as published.
var Categories = []string{
	"General Consultation Routine",
	"General Consultation Acute",
	"Clinical Triage",
	"Planned Clinics",
	"Planned Clinical Procedure",
	"Unplanned Clinical Activity",
	"Home Visit",
	"Care Home Visit",
	"Patient contact during Care Home Round",
	"Care Home Needs Assessment & Personalised Care and Support Planning",
	"Structured Medication Review",
	"Social Prescribing Service",
	"Service provided by organisation external to the practice",
	"Non-contractual chargeable work",
	"Group Consultation and Group Education",
	"Walk-in",
	"Care Related Encounter but does not fit into any other category",
}

// Data-quality buckets of the published data.
const (
	Unmapped            = "Unmapped"
	InconsistentMapping = "Inconsistent Mapping"
)

// Settings are the service settings a slot type can be mapped to.
var Settings = []string{"General Practice", "Primary Care Network", "Extended Access Provision", "Other"}

// legacyCategories are older spellings found in earlier extracts.
var legacyCategories = map[string]string{
	"scheduled/planned clinical activity":     "Planned Clinics",
	"scheduled/planned clinical procedure":    "Planned Clinical Procedure",
	"unscheduled/unplanned clinical activity": "Unplanned Clinical Activity",
	"home visit and care home visit":          "Home Visit",
	"triage":                                  "Clinical Triage",
}

func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Category returns the published name of a national category written
// with any case or spacing, or in a legacy spelling; ok is false for a
// name that is not a category.
func Category(s string) (string, bool) {
	f := fold(s)
	for _, c := range Categories {
		if fold(c) == f {
			return c, true
		}
	}
	c, ok := legacyCategories[f]
	return c, ok
}

// Setting returns the published name of a service setting; ok is false
// for anything else.
func Setting(s string) (string, bool) {
	for _, v := range Settings {
		if fold(v) == fold(s) {
			return v, true
		}
	}
	return "", false
}

// Mapping maps one slot type of a practice.
type Mapping struct {
	SlotType string
	Category string
	Setting  string
}

// Mode is the published appointment mode of a delivery channel.
func Mode(c schedule.DeliveryChannel) string {
	switch c {
	case schedule.InPerson:
		return "Face-to-Face"
	case schedule.Telephone:
		return "Telephone"
	case schedule.Video:
		return "Video Conference/Online"
	case schedule.Visit:
		return "Home Visit"
	}
	return "Unknown"
}

// gpRoles are the SDS job roles counted as GP.
var gpRoles = map[string]bool{"R0260": true, "R6200": true, "R6300": true}

// HCPType is the published HCP type of an SDS job role.
func HCPType(jobRole string) string {
	switch {
	case jobRole == "":
		return "Unknown"
	case gpRoles[jobRole]:
		return "GP"
	}
	return "Other Practice staff"
}

// Status is the published status of an appointment: Attended (fulfilled
// or arrived), DNA (did not attend), or Unknown.
func Status(s schedule.AppointmentStatus) string {
	switch s {
	case schedule.Fulfilled, schedule.Arrived:
		return "Attended"
	case schedule.NoShow:
		return "DNA"
	}
	return "Unknown"
}

// TimeBetween is the published bucket of the days between booking and
// appointment (UK calendar days). The published labels carry double spaces.
func TimeBetween(booked, appointment time.Time) string {
	if booked.IsZero() || appointment.IsZero() {
		return "Unknown / Data Quality"
	}
	b, a := pcnhub.DateOf(booked.In(pcnhub.London)), pcnhub.DateOf(appointment.In(pcnhub.London))
	days := int(a.Time(time.UTC).Sub(b.Time(time.UTC)).Hours() / 24)
	switch {
	case days < 0:
		return "Unknown / Data Quality"
	case days == 0:
		return "Same Day"
	case days == 1:
		return "1 Day"
	case days <= 7:
		return "2 to 7 Days"
	case days <= 14:
		return "8  to 14 Days"
	case days <= 21:
		return "15  to 21 Days"
	case days <= 28:
		return "22  to 28 Days"
	}
	return "More than 28 Days"
}

// Row is one line of the practice-level crosstab.
type Row struct {
	GPCode, GPName, Supplier, PCNCode, PCNName string
	MonthStart                                 string // e.g. 01NOV2026
	HCPType, Mode, Category, TimeBetween       string
	Count                                      int
	Status                                     string
}

// Columns are the crosstab's column names, in the published order.
var Columns = []string{"GP_CODE", "GP_NAME", "SUPPLIER", "PCN_CODE", "PCN_NAME", "SUB_ICB_LOCATION_CODE",
	"SUB_ICB_LOCATION_NAME", "APPOINTMENT_MONTH_START_DATE", "HCP_TYPE", "APPT_MODE", "NATIONAL_CATEGORY",
	"TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS", "APPT_STATUS"}

// Fields returns the row's values in Columns order (the sub-ICB location
// is not held by pcnhub and is left empty).
func (r Row) Fields() []string {
	return []string{r.GPCode, r.GPName, r.Supplier, r.PCNCode, r.PCNName, "", "", r.MonthStart, r.HCPType, r.Mode,
		r.Category, r.TimeBetween, itoa(r.Count), r.Status}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

// Extract builds a practice's crosstab for the month that starts on
// month (its first day): every appointment starting in the month that
// was not cancelled, counted by HCP type, mode, national category, time
// between booking and appointment, and status. Appointments of an
// unmapped slot type count under "Unmapped".
func Extract(org *pcnhub.Organisation, month pcnhub.Date, appts []schedule.Appointment, mappings map[string]Mapping) []Row {
	first := pcnhub.Date{Year: month.Year, Month: month.Month, Day: 1}
	start, end := first.Time(pcnhub.London), first.Time(pcnhub.London).AddDate(0, 1, 0)
	label := strings.ToUpper(first.Time(time.UTC).Format("02Jan2006"))
	counts := map[Row]int{}
	for _, a := range appts {
		if a.Status == schedule.Cancelled || a.Start.Before(start) || !a.Start.Before(end) {
			continue
		}
		category := Unmapped
		if m, ok := mappings[a.ServiceType]; ok {
			category = m.Category
		}
		key := Row{GPCode: string(org.ODS), GPName: org.Name, Supplier: "pcnhub", PCNCode: string(org.PCN), PCNName: org.PCNName,
			MonthStart: label, HCPType: HCPType(a.PractitionerRoleCode), Mode: Mode(a.DeliveryChannel), Category: category,
			TimeBetween: TimeBetween(a.Created, a.Start), Status: Status(a.Status)}
		counts[key]++
	}
	out := make([]Row, 0, len(counts))
	for r, n := range counts {
		r.Count = n
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Fields(), out[j].Fields()
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
	return out
}

// UnmappedTypes returns the slot types in use that have no mapping, sorted.
func UnmappedTypes(inUse []string, mappings map[string]Mapping) []string {
	var out []string
	for _, t := range inUse {
		if _, ok := mappings[t]; !ok && t != "" {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}
