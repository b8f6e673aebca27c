package carerecord

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

func req(sec Section, p Period) *Request {
	return &Request{NHSNumber: richNHS, Section: sec, Period: p}
}

func year(y int) Period { return Period{date(y, 1, 1), date(y, 12, 31)} }

func wantEq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// Every section renders, for an empty record and for a rich one, as valid
// narrative with its title, and an empty record says so in each subsection.
func TestRenderAllSections(t *testing.T) {
	empty := &record.Record{NHSNumber: richNHS}
	for _, sec := range Sections {
		for _, rec := range []*record.Record{empty, richRecord()} {
			var p Period
			if sec.AllowsPeriod() {
				p = Period{Start: date(2000, 1, 1)}
			}
			_, v := render(t, rec, req(sec, p))
			if v.h1 != sec.Title() {
				t.Errorf("%s: h1 %q", sec, v.h1)
			}
			if rec == empty {
				if len(v.tables) != 0 {
					t.Errorf("%s: empty record has tables %v", sec, v.tables)
				}
				for _, para := range v.paras {
					if !strings.HasPrefix(para, "No '") && !strings.HasSuffix(para, "cannot be provided by this system.") {
						t.Errorf("%s: paragraph %q", sec, para)
					}
				}
				if len(v.paras) == 0 {
					t.Errorf("%s: no empty fragment", sec)
				}
				if len(v.banners[classExclusion]) != 0 || len(v.banners[classGPTransfer]) != 0 {
					t.Errorf("%s: banners on an empty record: %v", sec, v.banners)
				}
			} else if len(v.tables) == 0 {
				t.Errorf("%s: rich record has no table", sec)
			}
		}
	}
}

func TestRenderEmptyFragments(t *testing.T) {
	_, v := render(t, &record.Record{NHSNumber: richNHS}, req(Problems, Period{}))
	wantEq(t, "h2", v.h2, []string{titleActiveProblems, titleMajorInactive, titleOtherInactive})
	wantEq(t, "paras", v.paras, []string{
		"No 'Active Problems and Issues' data is recorded for this patient.",
		"No 'Major Inactive Problems and Issues' data is recorded for this patient.",
		"No 'Other Inactive Problems and Issues' data is recorded for this patient.",
	})
	_, v = render(t, &record.Record{NHSNumber: richNHS}, req(Encounters, Period{}))
	wantEq(t, "encounters", v.paras, []string{"No 'Encounters' data is recorded for this patient."})
	if len(v.h2) != 0 {
		t.Errorf("single-table section has h2 %v", v.h2)
	}
}

func TestRenderEncounters(t *testing.T) {
	_, v := render(t, richRecord(), req(Encounters, Period{}))
	enc := v.tables[idEncounters]
	wantEq(t, "all encounters, most recent first, confidential left out",
		enc.col(t, "Title"), []string{"Asthma review", "Telephone consultation", "Chest pain", "Covid assessment", "Old paper record"})
	wantEq(t, "dates", enc.col(t, "Date"), []string{"10-Feb-2024", "01-Jun-2023", "20-Nov-2022", "05-May-2020", "Unknown"})
	wantEq(t, "date banner", v.banners[classDateBanner], []string{"All relevant items"})
	wantEq(t, "exclusion banner", v.banners[classExclusion], []string{textExclusion})
	if got := enc.rows[0][4]; got != "Type: Surgery consultation\nAsthma: History: Peak flow 400 L/min; Plan: Asthma review recall, Salbutamol 100micrograms inhaler" {
		t.Errorf("details %q", got)
	}
	if enc.rows[0][2] != "Dr Ann Jones" || enc.rows[0][3] != "Main Surgery" {
		t.Errorf("clinician/location %q", enc.rows[0])
	}
	for i, c := range enc.classes {
		if c[0] != classDateColumn {
			t.Errorf("row %d date cell class %q", i, c[0])
		}
	}
	if enc.headClass[0] != classDateColumn {
		t.Errorf("date heading class %q", enc.headClass[0])
	}

	_, v = render(t, richRecord(), req(Encounters, year(2020)))
	wantEq(t, "2020 (undated always shown)", v.tables[idEncounters].col(t, "Title"), []string{"Covid assessment", "Old paper record"})
	wantEq(t, "date banner", v.banners[classDateBanner], []string{"Data items between 01-Jan-2020 and 31-Dec-2020"})

	_, v = render(t, richRecord(), req(Encounters, Period{Start: date(2023, 6, 1)}))
	wantEq(t, "from", v.tables[idEncounters].col(t, "Title"), []string{"Asthma review", "Telephone consultation", "Old paper record"})
	wantEq(t, "from banner", v.banners[classDateBanner], []string{"Data items from 01-Jun-2023"})

	_, v = render(t, richRecord(), req(Encounters, Period{End: date(2022, 11, 19)}))
	wantEq(t, "until", v.tables[idEncounters].col(t, "Title"), []string{"Covid assessment", "Old paper record"})
	wantEq(t, "until banner", v.banners[classDateBanner], []string{"Data items until 19-Nov-2022"})
}

func TestRenderProblems(t *testing.T) {
	_, v := render(t, richRecord(), req(Problems, Period{}))
	wantEq(t, "active", v.tables[idProblemsActive].col(t, "Entry"), []string{"Eczema", "Asthma"})
	wantEq(t, "active significance", v.tables[idProblemsActive].col(t, "Significance"), []string{"Minor", "Major"})
	wantEq(t, "active dates", v.tables[idProblemsActive].col(t, "Start Date"), []string{"2015", "01-Apr-2010"})
	wantEq(t, "major inactive", v.tables[idProblemsMajInact].col(t, "Entry"), []string{"Fractured radius"})
	wantEq(t, "major inactive end", v.tables[idProblemsMajInact].col(t, "End Date"), []string{"01-Sep-2019"})
	wantEq(t, "other inactive", v.tables[idProblemsOthInact].col(t, "Entry"), []string{"Tonsillitis", "Back pain"})
	wantEq(t, "other inactive dates", v.tables[idProblemsOthInact].col(t, "Start Date"), []string{"01-Feb-2021", "Mar-2016"})
	wantEq(t, "banners", v.banners[classDateBanner], []string{"All relevant items"})
	wantEq(t, "exclusion", v.banners[classExclusion], []string{textExclusion})

	_, v = render(t, richRecord(), req(Problems, year(2019)))
	wantEq(t, "active unfiltered", v.tables[idProblemsActive].col(t, "Entry"), []string{"Eczema", "Asthma"})
	wantEq(t, "major inactive 2019", v.tables[idProblemsMajInact].col(t, "Entry"), []string{"Fractured radius"})
	if v.tables[idProblemsOthInact] != nil {
		t.Error("other inactive should be empty in 2019")
	}
	wantEq(t, "paras", v.paras, []string{"No 'Other Inactive Problems and Issues' data is recorded for this patient."})
	wantEq(t, "banners", v.banners[classDateBanner], []string{"Data items between 01-Jan-2019 and 31-Dec-2019", "Date filter not applied"})

	// A problem that spans the period is in it.
	_, v = render(t, richRecord(), req(Problems, Period{date(2019, 7, 1), date(2019, 7, 31)}))
	wantEq(t, "spanning", v.tables[idProblemsMajInact].col(t, "Entry"), []string{"Fractured radius"})
}

func TestRenderAllergies(t *testing.T) {
	_, v := render(t, richRecord(), req(Allergies, Period{}))
	cur := v.tables[idAllergiesCurrent]
	wantEq(t, "current", cur.col(t, "Entry"), []string{"Penicillin allergy"})
	wantEq(t, "current details", cur.col(t, "Details"), []string{"Substance: Penicillin; Reaction: Rash; Category: medication"})
	hist := v.tables[idAllergiesHist]
	wantEq(t, "historical", hist.col(t, "Entry"), []string{"Egg allergy"})
	wantEq(t, "historical end", hist.col(t, "End Date"), []string{"2000"})
	wantEq(t, "historical details", hist.col(t, "Details"), []string{"Reason: Outgrown"})
	wantEq(t, "date banner", v.banners[classDateBanner], []string{"All relevant items"})
	if len(v.banners[classExclusion]) != 0 {
		t.Error("no allergy was withheld, but an exclusion banner shows")
	}
	// No known allergies.
	rec := &record.Record{NHSNumber: richNHS, Allergies: []record.Allergy{{Item: record.Item{ID: "nka"}, NoKnownAllergies: true, Asserted: day(2020, 1, 1)}}}
	_, v = render(t, rec, req(Allergies, Period{}))
	wantEq(t, "NKA", v.tables[idAllergiesCurrent].col(t, "Entry"), []string{"No known allergies"})
}

func TestRenderMedications(t *testing.T) {
	_, v := render(t, richRecord(), req(Medications, Period{}))
	wantEq(t, "h2", v.h2, []string{titleAcuteMedication, titleCurrentRepeats, titleDiscontinued, titleAllMedication, titleAllIssues})
	acute := v.tables[idMedAcute]
	wantEq(t, "acute last 12 months", acute.col(t, "Medication Item"), []string{"Amoxicillin 500mg capsules"})
	wantEq(t, "acute row", acute.rows[0], []string{"Acute", "10-Jan-2024", "Amoxicillin 500mg capsules", "One three times a day", "21 capsule", "17-Jan-2024", "7", ""})
	if acute.classes[0][2] != classMedItemColumn || acute.headClass[2] != classMedItemColumn || acute.classes[0][1] != classDateColumn {
		t.Errorf("acute classes %q / %q", acute.classes[0], acute.headClass)
	}
	cur := v.tables[idMedCurrentRepeat]
	wantEq(t, "current repeats", cur.col(t, "Medication Item"), []string{"Metformin 500mg tablets", "Salbutamol 100micrograms inhaler"})
	wantEq(t, "current types", cur.col(t, "Type"), []string{"Repeat dispensing", "Repeat"})
	wantEq(t, "last issued", cur.col(t, "Last Issued Date"), []string{"", "01-Feb-2024"})
	wantEq(t, "issued count", cur.col(t, "Number of Prescriptions Issued"), []string{"", "3"})
	wantEq(t, "max issues", cur.col(t, "Max Issues"), []string{"", "6"})
	wantEq(t, "review", cur.col(t, "Review Date"), []string{"", "01-Jun-2024"})
	dis := v.tables[idMedDiscontinued]
	wantEq(t, "discontinued", dis.col(t, "Medication Item"), []string{"Ramipril 5mg capsules"})
	wantEq(t, "discontinued row", dis.rows[0], []string{"Repeat", "01-Jun-2021", "Ramipril 5mg capsules", "", "", "30-Jun-2021", "Cough", ""})
	all := v.tables[idMedAll]
	wantEq(t, "all medication", all.col(t, "Medication Item"), []string{"Amoxicillin 500mg capsules", "Prednisolone 5mg tablets",
		"Metformin 500mg tablets", "Hospital antibiotic", "Ramipril 5mg capsules", "Salbutamol 100micrograms inhaler"})
	wantEq(t, "discontinuation details", all.col(t, "Discontinuation Details"), []string{"", "", "", "", "Stopped 30-Jun-2021: Cough", ""})
	wantEq(t, "additional", all.col(t, "Additional Information"), []string{"", "", "", "Prescribed elsewhere", "", ""})
	iss := v.tables[idMedAllIssues]
	wantEq(t, "issues", iss.col(t, "Issue Date"), []string{"01-Feb-2024", "10-Jan-2024", "01-Dec-2023", "01-Jun-2021", "01-May-2020", "01-Jun-2019"})
	wantEq(t, "issue quantity", iss.col(t, "Quantity"), []string{"", "21 capsule", "", "", "28 capsule", ""})
	wantEq(t, "banners", v.banners[classDateBanner], []string{"All relevant items", "Data items in the last 12 months, between 05-Mar-2023 and 05-Mar-2024"})

	_, v = render(t, richRecord(), req(Medications, year(2020)))
	wantEq(t, "acute unfiltered", v.tables[idMedAcute].col(t, "Medication Item"), []string{"Amoxicillin 500mg capsules"})
	wantEq(t, "current unfiltered", v.tables[idMedCurrentRepeat].col(t, "Medication Item"), []string{"Metformin 500mg tablets", "Salbutamol 100micrograms inhaler"})
	wantEq(t, "discontinued unfiltered", v.tables[idMedDiscontinued].col(t, "Medication Item"), []string{"Ramipril 5mg capsules"})
	wantEq(t, "all medication 2020", v.tables[idMedAll].col(t, "Medication Item"), []string{"Metformin 500mg tablets", "Ramipril 5mg capsules", "Salbutamol 100micrograms inhaler"})
	wantEq(t, "issues 2020", v.tables[idMedAllIssues].col(t, "Medication Item"), []string{"Ramipril 5mg capsules"})
	wantEq(t, "banners 2020", v.banners[classDateBanner], []string{"Data items between 01-Jan-2020 and 31-Dec-2020",
		"Data items in the last 12 months, between 05-Mar-2023 and 05-Mar-2024", "Date filter not applied", "Date filter not applied"})

	// An acute with no end is in All Medication only on its start day.
	_, v = render(t, richRecord(), req(Medications, Period{date(2022, 5, 2), date(2022, 12, 31)}))
	wantEq(t, "acute without end", v.tables[idMedAll].col(t, "Medication Item"), []string{"Metformin 500mg tablets", "Salbutamol 100micrograms inhaler"})
}

func TestRenderMedicationsCurrentByDate(t *testing.T) {
	rec := &record.Record{NHSNumber: richNHS, Medications: []record.Medication{
		{Item: record.Item{ID: "ended"}, Drug: snomed("Ended yesterday"), Authorisation: record.Authorisation{Type: record.PrescriptionRepeat,
			Effective: record.Period{Start: day(2020, 1, 1), End: record.OnDate(today.AddDays(-1))}}},
		{Item: record.Item{ID: "ends"}, Drug: snomed("Ends today"), Authorisation: record.Authorisation{Type: record.PrescriptionRepeat,
			Effective: record.Period{Start: day(2020, 1, 1), End: record.OnDate(today)}}},
		{Item: record.Item{ID: "acute-old"}, Drug: snomed("Acute 13 months ago"), Authorisation: record.Authorisation{Type: record.PrescriptionAcute,
			Effective: record.Period{Start: day(2023, 2, 1)}}},
		{Item: record.Item{ID: "acute-edge"}, Drug: snomed("Acute a year ago today"), Authorisation: record.Authorisation{Type: record.PrescriptionAcute,
			Effective: record.Period{Start: day(2023, 3, 5)}}},
		{Item: record.Item{ID: "acute-undated"}, Drug: snomed("Acute undated"), Authorisation: record.Authorisation{Type: record.PrescriptionAcute}},
	}}
	_, v := render(t, rec, req(Medications, Period{}))
	wantEq(t, "current", v.tables[idMedCurrentRepeat].col(t, "Medication Item"), []string{"Ends today"})
	wantEq(t, "discontinued", v.tables[idMedDiscontinued].col(t, "Medication Item"), []string{"Ended yesterday"})
	wantEq(t, "acute", v.tables[idMedAcute].col(t, "Medication Item"), []string{"Acute a year ago today", "Acute undated"})
}

func TestRenderClinicalItemsAndObservations(t *testing.T) {
	_, v := render(t, richRecord(), req(ClinicalItems, Period{}))
	cli := v.tables[idClinicalItems]
	wantEq(t, "clinical items", cli.col(t, "Entry"), []string{"Filing comment", "Full blood count", `<script>alert("x")</script> & Sons`, "Smoker"})
	wantEq(t, "details", cli.col(t, "Details"), []string{"Normal, no action", "Investigation report; Status: final; Laboratory: Leeds Pathology", "Comment: line1\nline2\nline3", ""})
	wantEq(t, "content banner (awaiting filing)", v.banners[classContentBanner], []string{textAwaitingFiling})
	if len(v.banners[classExclusion]) != 0 {
		t.Error("exclusion banner without confidential items")
	}

	_, v = render(t, richRecord(), req(Observations, Period{}))
	obs := v.tables[idObservations]
	wantEq(t, "observations", obs.col(t, "Entry"), []string{"Peak flow", "Blood pressure", "HbA1c", "Haemoglobin"})
	wantEq(t, "values", obs.col(t, "Value"), []string{"400 L/min", "130/85 mmHg", "48 mmol/mol", "135 g/L"})
	wantEq(t, "details", obs.col(t, "Details"), []string{"", "", "Range: 20 - 41 mmol/mol; Interpretation: high", ""})

	_, v = render(t, richRecord(), req(Observations, year(2022)))
	wantEq(t, "observations 2022", v.tables[idObservations].col(t, "Entry"), []string{"HbA1c", "Haemoglobin"})
	_, v = render(t, richRecord(), req(ClinicalItems, year(2022)))
	wantEq(t, "clinical items 2022", v.tables[idClinicalItems].col(t, "Entry"), []string{"Filing comment", "Full blood count"})
}

func TestRenderReferralsImmunisationsAdministrative(t *testing.T) {
	_, v := render(t, richRecord(), req(Referrals, Period{}))
	ref := v.tables[idReferrals]
	wantEq(t, "referral rows", ref.rows[0], []string{"04-Apr-2023", "Dr Ann Jones", "Cardiology", "Urgent", "Reason: Chest pain"})
	wantEq(t, "referrals", ref.col(t, "To"), []string{"Cardiology", "Physiotherapy"})
	_, v = render(t, richRecord(), req(Referrals, Period{End: date(2020, 1, 1)}))
	wantEq(t, "referrals to 2020", v.tables[idReferrals].col(t, "To"), []string{"Physiotherapy"})

	_, v = render(t, richRecord(), req(Immunisations, Period{}))
	imm := v.tables[idImmunisations]
	wantEq(t, "immunisations", imm.rows[0], []string{"01-Oct-2023", "Influenza vaccine", "Dose 1", "Batch: AB12"})
	wantEq(t, "not given", imm.rows[1], []string{"2001", "MMR vaccine", "", "Not given; Reason: Parent declined"})

	_, v = render(t, richRecord(), req(Administrative, Period{}))
	adm := v.tables[idAdministrative]
	wantEq(t, "admin", adm.col(t, "Entry"), []string{"Asthma review recall", "Discharge summary"})
	wantEq(t, "admin details", adm.col(t, "Details"), []string{"Diary entry; Status: planned", "Document; Type: Discharge letter; Held by: RR8"})
	_, v = render(t, richRecord(), req(Administrative, Period{Start: date(2024, 6, 1)}))
	wantEq(t, "future recall", v.tables[idAdministrative].col(t, "Entry"), []string{"Asthma review recall"})
}

func TestRenderSummary(t *testing.T) {
	_, v := render(t, richRecord(), req(Summary, Period{}))
	wantEq(t, "h2", v.h2, []string{titleActiveProblems, titleCurrentAllergies, titleAcuteMedication, titleCurrentRepeats, titleLastEncounters, titleEmergencyCodes})
	wantEq(t, "last 3 encounters", v.tables[idEncounters].col(t, "Title"), []string{"Asthma review", "Telephone consultation", "Chest pain"})
	wantEq(t, "active problems", v.tables[idProblemsActive].col(t, "Entry"), []string{"Eczema", "Asthma"})
	wantEq(t, "current allergies", v.tables[idAllergiesCurrent].col(t, "Entry"), []string{"Penicillin allergy"})
	wantEq(t, "acute", v.tables[idMedAcute].col(t, "Medication Item"), []string{"Amoxicillin 500mg capsules"})
	wantEq(t, "repeats", v.tables[idMedCurrentRepeat].col(t, "Medication Item"), []string{"Metformin 500mg tablets", "Salbutamol 100micrograms inhaler"})
	for _, id := range []string{idAllergiesHist, idMedDiscontinued, idMedAll, idMedAllIssues, idProblemsMajInact} {
		if v.tables[id] != nil {
			t.Errorf("summary has table %s", id)
		}
	}
	wantEq(t, "date banners", v.banners[classDateBanner], []string{"Data items in the last 12 months, between 05-Mar-2023 and 05-Mar-2024"})
	wantEq(t, "exclusion", v.banners[classExclusion], []string{textExclusion})
	wantEq(t, "paras", v.paras, []string{"'Emergency Codes' data cannot be provided by this system."})
}

func TestRenderBanners(t *testing.T) {
	rec := richRecord()
	rec.InTransit = true
	for _, sec := range Sections {
		_, v := render(t, rec, req(sec, Period{}))
		wantEq(t, string(sec)+" transfer", v.banners[classGPTransfer], []string{textTransfer})
	}
	// Exclusion banners follow the areas withheld.
	want := map[Section]bool{Summary: true, Encounters: true, Problems: true}
	for _, sec := range Sections {
		_, v := render(t, richRecord(), req(sec, Period{}))
		if got := len(v.banners[classExclusion]) == 1; got != want[sec] {
			t.Errorf("%s: exclusion banner %v, want %v", sec, got, want[sec])
		}
		if len(v.banners[classGPTransfer]) != 0 {
			t.Errorf("%s: transfer banner on a record not in transit", sec)
		}
	}
	// A confidential immunisation shows in IMM only.
	rec = &record.Record{NHSNumber: richNHS, Immunisations: []record.Immunisation{{Item: record.Item{ID: "x", Confidential: true}}}}
	for _, sec := range Sections {
		_, v := render(t, rec, req(sec, Period{}))
		if got := len(v.banners[classExclusion]) == 1; got != (sec == Immunisations) {
			t.Errorf("%s: exclusion banner %v", sec, got)
		}
	}
	// Banner order: transfer, content, exclusion, date.
	rec = richRecord()
	rec.InTransit = true
	rec.Observations[0].Confidential = true
	_, v := render(t, rec, req(Observations, Period{}))
	var classes []string
	for _, n := range v.root.kids {
		if c := n.attrs["class"]; strings.HasSuffix(c, "-banner") {
			classes = append(classes, c)
		}
	}
	wantEq(t, "banner order", classes, []string{classGPTransfer, classContentBanner, classExclusion, classDateBanner})
}

func TestRenderEscaping(t *testing.T) {
	div, v := render(t, richRecord(), req(ClinicalItems, Period{}))
	if !strings.Contains(div, `&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons`) {
		t.Error("script text not escaped")
	}
	if v.tables[idClinicalItems].rows[2][1] != `<script>alert("x")</script> & Sons` {
		t.Errorf("text does not round-trip: %q", v.tables[idClinicalItems].rows[2][1])
	}
	// Control characters and invalid UTF-8 never break the XML.
	rec := &record.Record{NHSNumber: richNHS, Observations: []record.Observation{{Item: record.Item{ID: "o"},
		Code: snomed("bad\x00\x07\xff\ufffe text\t<b>"), Comment: "]]> <![CDATA[ x ]]>"}}}
	div, v = render(t, rec, req(ClinicalItems, Period{}))
	if got := v.tables[idClinicalItems].rows[0][1]; got != "bad\ufffd\ufffd\ufffd\ufffd text <b>" {
		t.Errorf("cleaned text %q", got)
	}
	if strings.Contains(div, "<b>") {
		t.Error("markup in data became an element")
	}
}

func TestRenderDates(t *testing.T) {
	cases := []struct {
		d    record.PartialDate
		want string
	}{
		{day(2024, 3, 5), "05-Mar-2024"},
		{day(1999, 12, 31), "31-Dec-1999"},
		{record.YearMonth(2016, 3), "Mar-2016"},
		{record.YearOnly(2005), "2005"},
		{record.PartialDate{}, "Unknown"},
		// 23:30 UTC on 31 May is 00:30 on 1 June in London.
		{record.At(timeUTC(2021, 5, 31, 23, 30)), "01-Jun-2021"},
	}
	for _, c := range cases {
		if got := string(appendPartial(nil, c.d)); got != c.want {
			t.Errorf("%v: got %q want %q", c.d, got, c.want)
		}
	}
	if got := string(appendDate(nil, date(2020, 1, 2))); got != "02-Jan-2020" {
		t.Errorf("appendDate %q", got)
	}
}

func TestRenderRefuses(t *testing.T) {
	rec := richRecord()
	sub := subjectFor(richNHS)
	// The record has not been through Shareable.
	_, err := Render(rec, nil, req(Summary, Period{}), sub, today)
	var e *Error
	if !errors.As(err, &e) || e.Status != 500 {
		t.Fatalf("unshared record: %v", err)
	}
	shared, w := rec.Shareable()
	for name, c := range map[string]struct {
		req *Request
		sub Subject
		rec *record.Record
	}{
		"other patient in request": {&Request{NHSNumber: "9990000026", Section: Summary}, sub, shared},
		"other patient in subject": {req(Summary, Period{}), subjectFor("9990000026"), shared},
		"bad section":              {&Request{NHSNumber: richNHS, Section: "sum"}, sub, shared},
		"period on SUM":            {req(Summary, year(2020)), sub, shared},
		"start after end":          {req(Encounters, Period{date(2021, 1, 1), date(2020, 1, 1)}), sub, shared},
		"nil request":              {nil, sub, shared},
		"nil record":               {req(Summary, Period{}), sub, nil},
	} {
		if _, err := Render(c.rec, w, c.req, c.sub, today); !errors.As(err, &e) || e.Status != 500 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Render(shared, w, req(Summary, Period{}), sub, pcnhub.Date{}); err == nil {
		t.Error("zero today accepted")
	}
}
