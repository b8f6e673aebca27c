package assurance

import (
	"time"

	"github.com/pcnhub/pcnhub"
)

// NHS numbers of the patients (Data/NHSNoMap.csv, 1.5/1.6 column). Every
// patient is a GMS patient of ORG1; the condition each one represents, from
// the "Patients" sheet of Test Suite Prerequisites.xlsx, follows its
// number. Conditions about the clinical record (allergies, medications,
// documents …) are not part of a seed.Dataset; only the demographic and
// registration conditions are represented here.
const (
	// Patient1 (patient1) is 9690937278: no current allergies, no medications.
	Patient1 pcnhub.NHSNumber = "9690937278"
	// Patient2 (patient2) is 9690937286: the "rich" record.
	Patient2 pcnhub.NHSNumber = "9690937286"
	// Patient3 (patient3) is 9690937294: allergies, past meds, no problems, no documents.
	Patient3 pcnhub.NHSNumber = "9690937294"
	// Patient4 (patient4) is 9690937308: allergies, one document over 5 MB.
	Patient4 pcnhub.NHSNumber = "9690937308"
	// Patient5 (patient5) is 9690937375: "No Known Allergies", current and repeat meds.
	Patient5 pcnhub.NHSNumber = "9690937375"
	// Patient6 (patient6) is 9690937383: allergies, no problems.
	Patient6 pcnhub.NHSNumber = "9690937383"
	// Patient7 (patient7) is 9690937391: allergies, no problems.
	Patient7 pcnhub.NHSNumber = "9690937391"
	// Patient8 (patient8) is 9690937405: allergies, no problems.
	Patient8 pcnhub.NHSNumber = "9690937405"
	// Patient9 (patient9) is 9690938533: sensitive (PDS S-flag).
	Patient9 pcnhub.NHSNumber = "9690938533"
	// Patient10 (patient10) is 9690938541: sensitive (PDS S-flag).
	Patient10 pcnhub.NHSNumber = "9690938541"
	// Patient11 (patient11) is 9690938622: a superseded NHS number, replaced
	// by Patient11SupersededBy.
	Patient11 pcnhub.NHSNumber = "9690938622"
	// Patient12 (patient12) is 9690938614: a merged record, merged into
	// Patient12MergedInto.
	Patient12 pcnhub.NHSNumber = "9690938614"
	// Patient13 (patient13) is 9690938096: record in transit (GP2GP).
	Patient13 pcnhub.NHSNumber = "9690938096"
	// Patient14 (patient14) is 9476718943: held by the provider but NOT on
	// PDS/Spine, so absent from the People register.
	Patient14 pcnhub.NHSNumber = "9476718943"
	// Patient15 (patient15) is 9690938576: dissent from sharing (opted out).
	Patient15 pcnhub.NHSNumber = "9690938576"
	// Patient16 (patient16) is 9690938118: a confidential allergy, an allergy with no end reason.
	Patient16 pcnhub.NHSNumber = "9690938118"
	// Patient17 (patient17) is 9690938126: ended allergies.
	Patient17 pcnhub.NHSNumber = "9690938126"
	// Patient18 (patient18) is 9690938681: deceased, part of a multiple birth.
	Patient18 pcnhub.NHSNumber = "9690938681"
	// PatientNoAppointments (patientNoAppointments) is 9690938134: no appointments.
	PatientNoAppointments pcnhub.NHSNumber = "9690938134"
	// Patient21 (patient21) is 9690938142: inactive registration.
	Patient21 pcnhub.NHSNumber = "9690938142"

	// PatientNotInSystem (patientNotInSystem) is 9999999999: it must not
	// exist anywhere, neither as a patient nor in the People register.
	PatientNotInSystem pcnhub.NHSNumber = "9999999999"

	// Patient11SupersededBy is the number that replaced Patient11. The map
	// gives none; it is a synthetic 999-range number (the last digits echo
	// patient11's). The People register holds a person with it and the same
	// demographics.
	Patient11SupersededBy pcnhub.NHSNumber = "9990938628"
	// Patient12MergedInto is the record Patient12 was merged into. The map
	// gives none; it is a synthetic 999-range number, held by no patient and
	// no person.
	Patient12MergedInto pcnhub.NHSNumber = "9990938601"
)

// patient18DeathDate is the date of death of patient18; the registration
// ends on it.
var patient18DeathDate = pcnhub.Date{Year: 2025, Month: 11, Day: 20}

// patient21RegistrationEnd is the end of patient21's inactive registration.
var patient21RegistrationEnd = pcnhub.Date{Year: 2025, Month: 6, Day: 30}

// patients returns the patient records of ORG1, in the order of the map.
func patients() []pcnhub.Patient {
	type row struct {
		nhs     pcnhub.NHSNumber
		prefix  string
		given   []string
		family  string
		born    pcnhub.Date
		gender  pcnhub.Gender
		line    string
		post    string
		phone   string
		mobile  string
		regFrom pcnhub.Date
	}
	d := func(y, m, day int) pcnhub.Date { return pcnhub.Date{Year: y, Month: time.Month(m), Day: day} }
	F, M := pcnhub.GenderFemale, pcnhub.GenderMale
	rows := []row{
		{Patient1, "Mrs", []string{"Amelia"}, "Hartley", d(1962, 3, 14), F, "14 Briggate Terrace", "LS6 2AB", "0113 496 0101", "", d(1995, 4, 3)},
		{Patient2, "Mr", []string{"Benjamin", "James"}, "Ashworth", d(1954, 7, 21), M, "7 Otley Road", "LS6 3PX", "0113 496 0102", "07700 900102", d(1988, 9, 12)},
		{Patient3, "Ms", []string{"Chloe"}, "Pemberton", d(1988, 11, 2), F, "21 Headingley Lane", "LS6 1BN", "0113 496 0103", "", d(2012, 1, 16)},
		{Patient4, "Mr", []string{"Daniel"}, "Whitcombe", d(1975, 5, 30), M, "3 Cardigan Road", "LS6 3AG", "0113 496 0104", "", d(2003, 6, 2)},
		{Patient5, "Miss", []string{"Eleanor", "Rose"}, "Fairbairn", d(1999, 9, 9), F, "58 Kirkstall Lane", "LS5 3BE", "0113 496 0105", "07700 900105", d(1999, 9, 20)},
		{Patient6, "Mr", []string{"Frederick"}, "Langley", d(1941, 1, 17), M, "2 Spen Lane", "LS16 5BR", "0113 496 0106", "", d(1979, 2, 5)},
		{Patient7, "Mrs", []string{"Georgina"}, "Thistlewood", d(1970, 12, 5), F, "9 Ash Road", "LS6 3HD", "0113 496 0107", "", d(2001, 11, 19)},
		{Patient8, "Mr", []string{"Harold"}, "Kettering", d(1983, 4, 11), M, "16 Vesper Road", "LS5 3NU", "0113 496 0108", "07700 900108", d(2010, 3, 8)},
		{Patient9, "Ms", []string{"Isabel"}, "Marchbank", d(1992, 6, 23), F, "41 Moor Road", "LS6 4BH", "0113 496 0109", "", d(2016, 7, 4)},
		{Patient10, "Mr", []string{"Jacob"}, "Ravensworth", d(1968, 8, 8), M, "5 Weetwood Lane", "LS16 5NS", "0113 496 0110", "", d(1998, 10, 26)},
		{Patient11, "Mrs", []string{"Katherine"}, "Oldroyd", d(1958, 2, 19), F, "27 Grove Lane", "LS6 2AP", "0113 496 0111", "", d(1990, 5, 14)},
		{Patient12, "Mr", []string{"Lewis"}, "Brackenbury", d(1979, 10, 31), M, "12 Wood Lane", "LS6 2AZ", "0113 496 0112", "07700 900112", d(2007, 8, 20)},
		{Patient13, "Ms", []string{"Megan"}, "Holdsworth", d(2001, 3, 3), F, "8 Broomfield Road", "LS6 3DE", "0113 496 0113", "07700 900113", d(2026, 8, 24)},
		{Patient14, "Mr", []string{"Nathan"}, "Fenwick", d(1986, 7, 7), M, "33 Bainbrigge Road", "LS6 3AD", "0113 496 0114", "", d(2014, 2, 10)},
		{Patient15, "Mrs", []string{"Olivia"}, "Cartwright", d(1965, 5, 12), F, "19 Shire Oak Road", "LS6 2DD", "0113 496 0115", "", d(1993, 3, 29)},
		{Patient16, "Mr", []string{"Patrick"}, "Summerhill", d(1950, 9, 28), M, "6 North Lane", "LS6 3HE", "0113 496 0116", "", d(1984, 12, 3)},
		{Patient17, "Miss", []string{"Rebecca"}, "Goodall", d(1995, 1, 15), F, "44 Victoria Road", "LS6 1DL", "0113 496 0117", "07700 900117", d(2013, 9, 23)},
		// patient18 is part of a multiple birth (a twin); pcnhub has no
		// field for multiple birth, so only the death is represented.
		{Patient18, "Mr", []string{"Samuel"}, "Rowntree", d(1990, 4, 4), M, "10 St Michael's Lane", "LS6 3BR", "0113 496 0118", "", d(1990, 4, 30)},
		{PatientNoAppointments, "Ms", []string{"Tamsin"}, "Ellerby", d(1977, 8, 16), F, "25 Hyde Park Road", "LS6 1AH", "0113 496 0119", "", d(2005, 4, 18)},
		{Patient21, "Mr", []string{"Victor"}, "Applegarth", d(1960, 12, 1), M, "3 Alma Road", "LS6 2AH", "0113 496 0121", "", d(1992, 7, 6)},
	}
	out := make([]pcnhub.Patient, 0, len(rows))
	for _, r := range rows {
		tel := []pcnhub.ContactPoint{{System: "phone", Use: "home", Value: r.phone}}
		if r.mobile != "" {
			tel = append(tel, pcnhub.ContactPoint{System: "phone", Use: "mobile", Value: r.mobile})
		}
		p := pcnhub.Patient{
			NHSNumber: r.nhs,
			Name:      pcnhub.HumanName{Prefix: r.prefix, Given: append([]string(nil), r.given...), Family: r.family},
			BirthDate: r.born,
			Gender:    r.gender,
			Address: pcnhub.Address{
				Lines:    []string{r.line},
				City:     "Leeds",
				District: "West Yorkshire",
				Postcode: r.post,
			},
			Telecom:  tel,
			Language: "en",
			Registration: pcnhub.Registration{
				Type:   pcnhub.RegGMS,
				Status: pcnhub.RegActive,
				Start:  r.regFrom,
			},
		}
		switch r.nhs {
		case Patient9, Patient10:
			p.Sensitive = true
		case Patient11:
			p.SupersededBy = Patient11SupersededBy
		case Patient12:
			p.MergedInto = Patient12MergedInto
		case Patient13:
			p.InTransit = true
		case Patient15:
			p.DissentFromSharing = true
		case Patient18:
			// GMS-registered at death: the registration ends on that day.
			p.DeceasedDate = patient18DeathDate
			p.Registration.Status = pcnhub.RegInactive
			p.Registration.End = patient18DeathDate
		case Patient21:
			p.Registration.Status = pcnhub.RegInactive
			p.Registration.End = patient21RegistrationEnd
		}
		out = append(out, p)
	}
	return out
}

// patientPeople returns the People register entries of the patients: every
// patient except patient14 (not on PDS), with the same demographics, plus
// the person holding patient11's new number, right after patient11.
func patientPeople() []pcnhub.Person {
	var out []pcnhub.Person
	for _, p := range patients() {
		if p.NHSNumber == Patient14 {
			continue
		}
		person := personOf(p)
		if p.NHSNumber == Patient11 {
			person.SupersededBy = Patient11SupersededBy
		}
		out = append(out, person)
		if p.NHSNumber == Patient11 {
			successor := personOf(p)
			successor.NHSNumber = Patient11SupersededBy
			out = append(out, successor)
		}
	}
	return out
}

// personOf is what PDS says about a patient of ORG1: registered at ORG1
// (even when the local registration is inactive, as for patient21), or at
// no practice when deceased.
func personOf(p pcnhub.Patient) pcnhub.Person {
	person := pcnhub.Person{
		NHSNumber:    p.NHSNumber,
		Name:         pcnhub.HumanName{Prefix: p.Name.Prefix, Given: append([]string(nil), p.Name.Given...), Family: p.Name.Family},
		BirthDate:    p.BirthDate,
		Gender:       p.Gender,
		Address:      pcnhub.Address{Lines: append([]string(nil), p.Address.Lines...), City: p.Address.City, District: p.Address.District, Postcode: p.Address.Postcode},
		Telecom:      append([]pcnhub.ContactPoint(nil), p.Telecom...),
		GPPractice:   ORG1,
		Sensitive:    p.Sensitive,
		DeceasedDate: p.DeceasedDate,
	}
	if p.Deceased() {
		person.GPPractice = ""
	}
	return person
}
