// Package recordtest makes large synthetic clinical records for
// benchmarks and load tests: every area filled, problems and
// consultations linking items, investigations with test groups, results
// and specimens, a few items confidential or awaiting filing. The records
// are deterministic and pass record.Validate.
package recordtest

import (
	"fmt"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

var (
	hypertension = record.SNOMEDCode("38341003", "Hypertensive disorder")
	asthma       = record.SNOMEDCode("195967001", "Asthma")
	diabetes     = record.SNOMEDCode("44054006", "Type 2 diabetes mellitus")
	penicillin   = record.SNOMEDCode("91936005", "Allergy to penicillin")
	rash         = record.SNOMEDCode("271807003", "Eruption of skin")
	amlodipine   = record.SNOMEDCode("319283006", "Amlodipine 5mg tablets")
	metformin    = record.SNOMEDCode("325278007", "Metformin 500mg tablets")
	salbutamol   = record.SNOMEDCode("320176004", "Salbutamol 100micrograms/dose inhaler CFC free")
	bp           = record.SNOMEDCode("75367002", "Blood pressure")
	weight       = record.SNOMEDCode("27113001", "Body weight")
	flu          = record.SNOMEDCode("822851000000102", "Seasonal influenza vaccination")
	fbc          = record.SNOMEDCode("26604007", "Full blood count")
	haemoglobin  = record.SNOMEDCode("1022431000000105", "Haemoglobin estimation")
	blood        = record.SNOMEDCode("119297000", "Blood specimen")
	surgery      = record.SNOMEDCode("185345009", "Encounter for symptom")
	history      = record.SNOMEDCode("371529009", "History taking")
	recall       = record.SNOMEDCode("390906007", "Follow-up encounter")
	letter       = record.SNOMEDCode("371525003", "Clinical procedure report")
	referral     = record.SNOMEDCode("183444007", "Referral for further care")
)

// Large returns a record of about n clinical items (n ≥ 50) for the
// patient nhs at practice ods, authored by the practitioner with id
// author, dated in the ten years before today (diary entries after it).
// About a tenth of the items are observations and medications each, a
// fifth consultations' content; one item in a hundred (the seventh, the 107th …) is confidential.
func Large(nhs pcnhub.NHSNumber, ods pcnhub.ODSCode, author string, today pcnhub.Date, n int) *record.Record {
	n = max(n, 50)
	gp := record.Clinician{PractitionerID: author, OrganisationODS: ods, Name: "Dr Synthetic"}
	r := &record.Record{NHSNumber: nhs, PracticeODS: ods}
	count := 0
	day := func(i, span int) record.PartialDate {
		return record.OnDate(today.AddDays(-(i*37)%span - 1))
	}
	item := func(id string, when record.PartialDate) record.Item {
		count++
		return record.Item{ID: id, Recorded: when, Author: gp, Confidential: count%100 == 7}
	}
	// Problems: one per 200 items, each linking what follows it.
	problems := max(n/200, 3)
	for i := range problems {
		code := []record.Code{hypertension, asthma, diabetes}[i%3]
		status := record.ProblemActive
		if i%4 == 3 {
			status = record.ProblemInactive
		}
		p := record.Problem{Item: item(fmt.Sprintf("prob-%d", i), day(i, 3650)), Code: code, Status: status,
			Significance: record.Major, Onset: day(i, 3650)}
		if i > 0 && i%5 == 0 {
			p.Related = []record.ProblemLink{{Relation: record.RelationParent, ProblemID: fmt.Sprintf("prob-%d", i-1)}}
		}
		p.Item.Confidential = false // problems carry links; keep them all
		r.Problems = append(r.Problems, p)
	}
	link := func(i int, id string) {
		p := &r.Problems[i%len(r.Problems)]
		p.LinkedItems = append(p.LinkedItems, id)
	}
	for i := 0; count < n; i++ {
		when := day(i, 3650)
		switch i % 10 {
		case 0, 1:
			id := fmt.Sprintf("obs-%d", i)
			o := record.Observation{Item: item(id, when), Code: bp, Effective: when, Performer: gp, Components: []record.Component{
				{Code: record.SystolicCode, Value: record.Quantity{Value: fmt.Sprint(120 + i%30), Unit: "mm[Hg]", UCUM: "mm[Hg]"}},
				{Code: record.DiastolicCode, Value: record.Quantity{Value: fmt.Sprint(70 + i%20), Unit: "mm[Hg]", UCUM: "mm[Hg]"}}}}
			if i%10 == 1 {
				o = record.Observation{Item: o.Item, Code: weight, Effective: when, Performer: gp,
					Value: record.Quantity{Value: fmt.Sprintf("%d.%d", 60+i%40, i%10), Unit: "kg", UCUM: "kg"}}
			}
			r.Observations = append(r.Observations, o)
			link(i, id)
		case 2:
			id := fmt.Sprintf("med-%d", i)
			drug := []record.Code{amlodipine, metformin, salbutamol}[i%3]
			kind := record.PrescriptionRepeat
			if i%3 == 2 {
				kind = record.PrescriptionAcute
			}
			m := record.Medication{Item: item(id, when), Drug: drug, Statement: record.Statement{Status: "active", LastIssued: when},
				Authorisation: record.Authorisation{Type: kind, Effective: record.Period{Start: when}, Status: "active",
					Dosage: "One daily", Quantity: record.Quantity{Value: "28", Unit: "tablet"}, SupplyDays: 28, Prescriber: gp}}
			for k := range 3 {
				m.Issues = append(m.Issues, record.Issue{ID: fmt.Sprintf("%s-issue-%d", id, k), Date: when,
					Quantity: m.Authorisation.Quantity, SupplyDays: 28, Prescriber: gp})
			}
			r.Medications = append(r.Medications, m)
			link(i, id)
		case 3:
			r.Allergies = append(r.Allergies, record.Allergy{Item: item(fmt.Sprintf("all-%d", i), when), Code: penicillin,
				Category: "medication", Onset: when, Asserted: when, Status: record.AllergyActive, Manifestations: []record.Code{rash}})
		case 4:
			r.Immunisations = append(r.Immunisations, record.Immunisation{Item: item(fmt.Sprintf("imm-%d", i), when),
				Kind: record.ImmunisationGiven, Vaccine: flu, Date: when, Dose: 1, Performer: gp})
		case 5:
			// An investigation: report, group, two results, a specimen.
			p := fmt.Sprintf("inv-%d", i)
			inv := record.Investigation{Item: item(p, when), Code: fbc, Issued: when, Effective: when, Status: "final",
				Specimens: []record.Specimen{{ID: p + "-spec", Type: blood, Collected: when}},
				Results:   []string{p + "-group"}, Requester: gp, Performer: "Synthetic Pathology"}
			inv.Item.Confidential = false
			r.Investigations = append(r.Investigations, inv)
			group := record.TestResult{Item: item(p+"-group", when), Kind: record.ResultGroup, Code: fbc, Effective: when,
				Members: []string{p + "-hb1", p + "-hb2"}}
			group.Item.Confidential = false
			r.TestResults = append(r.TestResults, group)
			for _, suffix := range []string{"-hb1", "-hb2"} {
				res := record.TestResult{Item: item(p+suffix, when), Kind: record.ResultValue, Code: haemoglobin, Effective: when,
					SpecimenID: p + "-spec", Value: record.Quantity{Value: "138", Unit: "g/L", UCUM: "g/L"},
					Range: &record.ReferenceRange{Low: record.Quantity{Value: "115", Unit: "g/L"}, High: record.Quantity{Value: "165", Unit: "g/L"}}}
				res.Item.Confidential = false
				r.TestResults = append(r.TestResults, res)
			}
			link(i, p)
		case 6, 7:
			// A consultation holding the observations and medication just made.
			id := fmt.Sprintf("cons-%d", i)
			var items []string
			for _, o := range r.Observations[max(0, len(r.Observations)-2):] {
				items = append(items, o.ID)
			}
			c := record.Consultation{Item: item(id, when), Period: record.Period{Start: when, End: when}, Clinician: gp,
				Location: "Surgery", Type: surgery, Title: "Surgery consultation",
				Topics: []record.Topic{{Title: "Review", ProblemID: r.Problems[i%len(r.Problems)].ID,
					Headings: []record.Heading{{Code: history, Items: items}}}}}
			c.Item.Confidential = false
			r.Consultations = append(r.Consultations, c)
		case 8:
			if i%20 == 8 {
				r.Referrals = append(r.Referrals, record.Referral{Item: item(fmt.Sprintf("ref-%d", i), when), Date: when,
					Reason: referral, Priority: "routine", Status: "active", Service: "Cardiology", Recipient: gp})
			} else {
				r.Documents = append(r.Documents, record.Document{Item: item(fmt.Sprintf("doc-%d", i), when), Type: letter,
					Title: "Clinic letter", Created: when, Custodian: ods, ContentType: "application/pdf", Size: 120_000})
			}
		case 9:
			due := record.OnDate(today.AddDays(30 + i%3000))
			r.DiaryEntries = append(r.DiaryEntries, record.DiaryEntry{Item: item(fmt.Sprintf("diary-%d", i), due), Code: recall,
				Due: due, Status: "active"})
		}
	}
	return r
}
