package assurance

import (
	"fmt"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/seed"
)

// The clinical records of the assurance patients, as Part A's
// "Other Requirements" column asks (assurance.md Part A):
//
//   - patient1: no current allergies (and no "no known allergies" entry), no
//     medications; a blood pressure.
//   - patient2: data in every area: a medication marked confidential,
//     medications from three years back, a parent and a child problem,
//     consultations whose topics name problems, an investigation and a
//     referral linked to a problem, diary entries up to ten years ahead, a
//     document.
//   - patient3: allergies, past medications, every area but problems and
//     documents.
//   - patient4: allergies and one document over 5 MB.
//   - patient5: an explicit "no known allergies", current and repeat
//     medications.
//   - patients 6, 7 and 8: allergies, no problems.
//   - patient13: a record in transit (GP2GP).
//   - patient16: a confidential allergy and an ended allergy without an end
//     reason; patient17: ended allergies.
//
// The SNOMED CT concepts are real ones chosen to look like a GP record;
// the dates are fixed, the future ones in 2027–2036.

var (
	gp1 = record.Clinician{PractitionerID: "2", OrganisationODS: ORG1, Name: "Dr Martin Pennington"}

	penicillin  = record.SNOMEDCode("91936005", "Allergy to penicillin")
	amoxicillin = record.SNOMEDCode("294505008", "Amoxicillin allergy")
	peanut      = record.SNOMEDCode("91935009", "Allergy to peanuts")
	latex       = record.SNOMEDCode("300916003", "Latex allergy")
	rash        = record.SNOMEDCode("271807003", "Eruption of skin")
	noKnown     = record.SNOMEDCode("716186003", "No known allergy")

	hypertension = record.SNOMEDCode("38341003", "Hypertensive disorder")
	diabetes     = record.SNOMEDCode("44054006", "Type 2 diabetes mellitus")
	retinopathy  = record.SNOMEDCode("4855003", "Diabetic retinopathy")
	asthma       = record.SNOMEDCode("195967001", "Asthma")

	amlodipine = record.SNOMEDCode("319283006", "Amlodipine 5mg tablets")
	metformin  = record.SNOMEDCode("325278007", "Metformin 500mg tablets")
	salbutamol = record.SNOMEDCode("320176004", "Salbutamol 100micrograms/dose inhaler CFC free")
	sertraline = record.SNOMEDCode("321958001", "Sertraline 50mg tablets")
	amoxCaps   = record.SNOMEDCode("323510009", "Amoxicillin 500mg capsules")

	bloodPressure = record.SNOMEDCode("75367002", "Blood pressure")
	hba1c         = record.SNOMEDCode("999791000000106", "Haemoglobin A1c level - International Federation of Clinical Chemistry and Laboratory Medicine standardised")
	fbc           = record.SNOMEDCode("26604007", "Full blood count")
	haemoglobin   = record.SNOMEDCode("1022431000000105", "Haemoglobin estimation")
	flu           = record.SNOMEDCode("822851000000102", "Seasonal influenza vaccination")
	bloodSpecimen = record.SNOMEDCode("119297000", "Blood specimen")
	recall        = record.SNOMEDCode("390906007", "Follow-up encounter")
	gpConsult     = record.SNOMEDCode("185317003", "Telephone encounter")
	surgery       = record.SNOMEDCode("185345009", "Encounter for symptom")
	history       = record.SNOMEDCode("371529009", "History taking")
	examination   = record.SNOMEDCode("5880005", "Physical examination procedure")
	letter        = record.SNOMEDCode("371525003", "Clinical procedure report")
)

func on(y int, m time.Month, d int) record.PartialDate {
	return record.OnDate(pcnhub.Date{Year: y, Month: m, Day: d})
}

func item(id string, when record.PartialDate) record.Item {
	return record.Item{ID: id, Recorded: when, Author: gp1}
}

func allergy(id string, code record.Code, onset record.PartialDate) record.Allergy {
	return record.Allergy{Item: item(id, onset), Code: code, Category: "medication", Onset: onset, Asserted: onset,
		Status: record.AllergyActive, Manifestations: []record.Code{rash}}
}

func ended(a record.Allergy, when record.PartialDate, reason string) record.Allergy {
	a.Status, a.Ended, a.EndReason = record.AllergyResolved, when, reason
	return a
}

func medication(id string, drug record.Code, kind record.PrescriptionType, from, to record.PartialDate, dosage string, issues ...record.PartialDate) record.Medication {
	m := record.Medication{Item: item(id, from), Drug: drug,
		Statement: record.Statement{Status: "active"},
		Authorisation: record.Authorisation{Type: kind, Effective: record.Period{Start: from, End: to}, Status: "active", Dosage: dosage,
			Quantity: record.Quantity{Value: "28", Unit: "tablet"}, SupplyDays: 28, Prescriber: gp1}}
	if !to.IsZero() {
		m.Statement.Status, m.Authorisation.Status = "completed", "completed"
	}
	for i, d := range issues {
		m.Issues = append(m.Issues, record.Issue{ID: fmt.Sprintf("%s-issue%d", id, i+1), Date: d, Quantity: m.Authorisation.Quantity,
			SupplyDays: 28, Prescriber: gp1})
	}
	if len(issues) > 0 {
		m.Statement.LastIssued = issues[len(issues)-1]
	}
	return m
}

func bp(id string, when record.PartialDate, sys, dia string) record.Observation {
	return record.Observation{Item: item(id, when), Code: bloodPressure, Effective: when, Performer: gp1, Components: []record.Component{
		{Code: record.SystolicCode, Value: record.Quantity{Value: sys, Unit: "mm[Hg]", UCUM: "mm[Hg]"}},
		{Code: record.DiastolicCode, Value: record.Quantity{Value: dia, Unit: "mm[Hg]", UCUM: "mm[Hg]"}},
	}}
}

func vaccination(id string, when record.PartialDate) record.Immunisation {
	return record.Immunisation{Item: item(id, when), Kind: record.ImmunisationGiven, Vaccine: flu, Date: when, Dose: 1, Performer: gp1}
}

// fbcReport is an investigation with a test group of one result.
func fbcReport(prefix string, when record.PartialDate) (record.Investigation, []record.TestResult) {
	inv := record.Investigation{Item: item(prefix+"-report", when), Code: fbc, Issued: when, Effective: when, Status: "final",
		Specimens: []record.Specimen{{ID: prefix + "-specimen", Type: bloodSpecimen, Collected: when}},
		Results:   []string{prefix + "-group"}, Requester: gp1, Performer: "Riverside Pathology"}
	results := []record.TestResult{
		{Item: item(prefix+"-group", when), Kind: record.ResultGroup, Code: fbc, Effective: when, Members: []string{prefix + "-hb"}},
		{Item: item(prefix+"-hb", when), Kind: record.ResultValue, Code: haemoglobin, Effective: when, SpecimenID: prefix + "-specimen",
			Value: record.Quantity{Value: "138", Unit: "g/L", UCUM: "g/L"}, Range: &record.ReferenceRange{
				Low: record.Quantity{Value: "115", Unit: "g/L"}, High: record.Quantity{Value: "165", Unit: "g/L"}}},
	}
	return inv, results
}

func records() []seed.ClinicalRecord {
	rec := func(nhs pcnhub.NHSNumber, r record.Record) seed.ClinicalRecord {
		r.NHSNumber, r.PracticeODS = nhs, ORG1
		return seed.ClinicalRecord{OrgODS: ORG1, Record: r}
	}

	// patient2: everything.
	inv2, res2 := fbcReport("p2-fbc", on(2026, time.March, 12))
	confidential := medication("p2-med-sertraline", sertraline, record.PrescriptionRepeat, on(2025, time.January, 6), record.PartialDate{}, "One tablet daily",
		on(2025, time.January, 6))
	confidential.Confidential = true
	p2 := record.Record{
		Allergies: []record.Allergy{allergy("p2-allergy-penicillin", penicillin, record.YearMonth(2001, time.May))},
		Medications: []record.Medication{
			medication("p2-med-amlodipine", amlodipine, record.PrescriptionRepeat, on(2023, time.April, 3), record.PartialDate{}, "One tablet once a day",
				on(2023, time.April, 3), on(2024, time.April, 2), on(2025, time.April, 1), on(2026, time.March, 31)),
			medication("p2-med-metformin", metformin, record.PrescriptionRepeat, on(2023, time.November, 20), record.PartialDate{}, "One tablet twice a day with meals",
				on(2023, time.November, 20), on(2026, time.October, 1)),
			medication("p2-med-amoxicillin", amoxCaps, record.PrescriptionAcute, on(2023, time.February, 14), on(2023, time.February, 21), "One capsule three times a day",
				on(2023, time.February, 14)),
			confidential,
		},
		Problems: []record.Problem{
			{Item: item("p2-problem-diabetes", on(2019, time.June, 4)), Code: diabetes, Status: record.ProblemActive, Significance: record.Major,
				Onset: on(2019, time.June, 4), Related: []record.ProblemLink{{Relation: record.RelationChild, ProblemID: "p2-problem-retinopathy"}},
				LinkedItems: []string{"p2-med-metformin", "p2-fbc-report", "p2-referral-eyes"}},
			{Item: item("p2-problem-retinopathy", on(2024, time.September, 9)), Code: retinopathy, Status: record.ProblemActive, Significance: record.Minor,
				Onset: on(2024, time.September, 9), Related: []record.ProblemLink{{Relation: record.RelationParent, ProblemID: "p2-problem-diabetes"}}},
			{Item: item("p2-problem-hypertension", on(2018, time.February, 2)), Code: hypertension, Status: record.ProblemActive, Significance: record.Major,
				Onset: record.YearOnly(2018), LinkedItems: []string{"p2-med-amlodipine", "p2-bp-1"}},
		},
		Consultations: []record.Consultation{{Item: item("p2-consultation-1", on(2026, time.March, 10)),
			Period: record.Period{Start: on(2026, time.March, 10)}, Clinician: gp1, Location: "Assurance Practice 1 Main Surgery", Type: surgery,
			Title: "Diabetes review", Topics: []record.Topic{{Title: "Diabetes", ProblemID: "p2-problem-diabetes", Headings: []record.Heading{
				{Code: history, Items: []string{"p2-bp-1"}}, {Code: examination, Items: []string{"p2-fbc-report"}}}}}}},
		Observations:   []record.Observation{bp("p2-bp-1", on(2026, time.March, 10), "142", "88")},
		Immunisations:  []record.Immunisation{vaccination("p2-flu-2025", on(2025, time.October, 14))},
		Investigations: []record.Investigation{inv2},
		TestResults:    res2,
		Referrals: []record.Referral{{Item: item("p2-referral-eyes", on(2024, time.September, 10)), Date: on(2024, time.September, 10),
			Reason: retinopathy, Priority: "routine", Status: "active", Service: "Ophthalmology", Recipient: record.Clinician{OrganisationODS: "R1A14"}}},
		DiaryEntries: []record.DiaryEntry{
			{Item: item("p2-diary-review", on(2026, time.November, 2)), Code: recall, Due: on(2027, time.March, 10), Status: "active", Note: "Annual diabetes review"},
			{Item: item("p2-diary-decade", on(2026, time.November, 2)), Code: recall, Due: on(2036, time.March, 1), Status: "active", Note: "Retinal screening recall"},
		},
		Documents: []record.Document{{Item: item("p2-document-1", on(2024, time.October, 1)), Type: letter, Title: "Ophthalmology clinic letter",
			Created: on(2024, time.October, 1), Custodian: ORG1, ContentType: "application/pdf", Size: 348_211}},
	}

	// patient3: every area but problems and documents.
	inv3, res3 := fbcReport("p3-fbc", on(2025, time.July, 2))
	p3 := record.Record{
		Allergies: []record.Allergy{allergy("p3-allergy-amoxicillin", amoxicillin, record.YearOnly(2010))},
		Medications: []record.Medication{medication("p3-med-amoxicillin", amoxCaps, record.PrescriptionAcute, on(2022, time.January, 5),
			on(2022, time.January, 12), "One capsule three times a day", on(2022, time.January, 5))},
		Consultations: []record.Consultation{{Item: item("p3-consultation-1", on(2025, time.July, 1)), Period: record.Period{Start: on(2025, time.July, 1)},
			Clinician: gp1, Type: gpConsult, Title: "Telephone consultation", Topics: []record.Topic{{Title: "Tiredness",
				Headings: []record.Heading{{Code: history, Items: []string{"p3-bp-1"}}}}}}},
		Observations:   []record.Observation{bp("p3-bp-1", on(2025, time.July, 1), "128", "79")},
		Immunisations:  []record.Immunisation{vaccination("p3-flu-2024", on(2024, time.October, 2))},
		Investigations: []record.Investigation{inv3},
		TestResults:    res3,
		Referrals: []record.Referral{{Item: item("p3-referral-1", on(2025, time.July, 3)), Date: on(2025, time.July, 3),
			Reason: record.SNOMEDCode("84229001", "Fatigue"), Priority: "routine", Status: "completed", Service: "Haematology"}},
		DiaryEntries: []record.DiaryEntry{{Item: item("p3-diary-1", on(2025, time.July, 3)), Code: recall, Due: on(2027, time.July, 1), Status: "active"}},
	}

	out := []seed.ClinicalRecord{
		rec(Patient1, record.Record{Observations: []record.Observation{bp("p1-bp-1", on(2025, time.May, 20), "121", "76")}}),
		rec(Patient2, p2),
		rec(Patient3, p3),
		rec(Patient4, record.Record{
			Allergies: []record.Allergy{allergy("p4-allergy-peanut", peanut, record.YearOnly(1999))},
			Documents: []record.Document{{Item: item("p4-document-scan", on(2023, time.June, 6)), Type: letter, Title: "Scanned hospital record",
				Created: on(2023, time.June, 6), Custodian: ORG1, ContentType: "application/pdf", Size: 6_291_456}}}),
		rec(Patient5, record.Record{
			Allergies: []record.Allergy{{Item: item("p5-no-known-allergies", on(2020, time.January, 15)), NoKnownAllergies: true, Code: noKnown,
				Asserted: on(2020, time.January, 15), Status: record.AllergyActive}},
			Medications: []record.Medication{
				medication("p5-med-salbutamol", salbutamol, record.PrescriptionRepeat, on(2021, time.March, 1), record.PartialDate{}, "Two puffs when required",
					on(2021, time.March, 1), on(2026, time.September, 9)),
				medication("p5-med-amoxicillin", amoxCaps, record.PrescriptionAcute, on(2026, time.November, 2), on(2026, time.November, 9),
					"One capsule three times a day", on(2026, time.November, 2)),
			},
			Problems: []record.Problem{{Item: item("p5-problem-asthma", on(2021, time.March, 1)), Code: asthma, Status: record.ProblemActive,
				Significance: record.Major, Onset: record.YearOnly(2004), LinkedItems: []string{"p5-med-salbutamol"}}}}),
		rec(Patient13, record.Record{InTransit: true, Allergies: []record.Allergy{allergy("p13-allergy-latex", latex, record.YearOnly(2015))}}),
		rec(Patient16, record.Record{Allergies: []record.Allergy{
			func() record.Allergy {
				a := allergy("p16-allergy-confidential", peanut, record.YearOnly(2012))
				a.Confidential = true
				return a
			}(),
			ended(allergy("p16-allergy-ended", amoxicillin, record.YearOnly(2008)), record.YearOnly(2019), ""),
			allergy("p16-allergy-penicillin", penicillin, record.YearOnly(2001)),
		}}),
		rec(Patient17, record.Record{Allergies: []record.Allergy{
			ended(allergy("p17-allergy-penicillin", penicillin, record.YearOnly(1995)), on(2020, time.February, 3), "Tolerated a course without reaction"),
			ended(allergy("p17-allergy-latex", latex, record.YearOnly(2001)), record.YearMonth(2018, time.August), "Allergy testing negative"),
		}}),
	}
	for i, nhs := range []pcnhub.NHSNumber{Patient6, Patient7, Patient8} {
		id := fmt.Sprintf("p%d-allergy", 6+i)
		out = append(out, rec(nhs, record.Record{Allergies: []record.Allergy{allergy(id, []record.Code{penicillin, peanut, latex}[i], record.YearOnly(2000+i))}}))
	}
	return out
}
