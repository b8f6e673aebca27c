// Package assurance is the data set for the NHS GP Connect provider
// assurance scenarios: `pcnhub serve --seed assurance`.
//
// The scenarios refer to symbolic names (patient2, ORG1, SIT3,
// practitioner2 …) that the published CSVs of the provider test suite map
// to real identifiers. This package holds the feature/1.6.0 map (the
// 1.5/1.6 values, ORG1 = B82617), not the 1.2.x values of the master
// branch. Every symbol of the map is an exported constant below whose doc
// comment names the symbol, and the tests check the data set against them
// and against the conditions of "Test Suite Prerequisites.xlsx".
//
// Identifiers are exact; everything else (names, addresses, telephone
// numbers, dates) is synthetic. Telephone numbers are taken from the Ofcom
// ranges reserved for drama (0113 496 0xxx, 0114 496 0xxx, 0115 496 0xxx,
// 0161 496 0xxx, 07700 900xxx), so none of them rings anyone.
//
// The slot requirements of the suite (rolling free slots ORG1 ≥ 30, ORG2
// ≥ 20, ORG3 0 in the next 14 days; the fixed historic ORG1 slots) are met
// by the Schedules and Slots of the data set (slots.go). It holds no
// appointments: the suite books its own (and patientNoAppointments must
// have none).
package assurance

import (
	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/spine"
)

// Name is the name of the data set, as given to `pcnhub serve --seed`.
const Name = "assurance"

// ReferenceDate is the fixed "today" the synthetic dates were chosen
// against: every birth, registration and death date is before it. The data
// set never reads the clock.
var ReferenceDate = pcnhub.Date{Year: 2026, Month: 10, Day: 1}

// Organisations and sites (Data/ODSCodeMap.csv and
// Data/OrganizationSiteCodeMap.csv on feature/1.6.0).
const (
	// ORG1 is the main provider practice, B82617 (1.2.x: A20047). It holds
	// every patient and practitioner of the suite. Site: SIT1.
	ORG1 pcnhub.ODSCode = "B82617"
	// ORG2 is R1A14. The published CSV holds "R1A14 " with a trailing
	// space; it is stored trimmed. Sites: SIT2 and SIT4.
	ORG2 pcnhub.ODSCode = "R1A14"
	// ORG3 is X12345. Site: SIT3.
	ORG3 pcnhub.ODSCode = "X12345"

	// SIT1 is Z26556, the site of ORG1.
	SIT1 pcnhub.ODSCode = "Z26556"
	// SIT2 is Z33432, the first site of ORG2.
	SIT2 pcnhub.ODSCode = "Z33432"
	// SIT3 is Z33433, the site of ORG3.
	SIT3 pcnhub.ODSCode = "Z33433"
	// SIT4 is Z99899, the second site of ORG2 (it has no Location).
	SIT4 pcnhub.ODSCode = "Z99899"

	// UnknownORG (unknownORG) is INVOC1: it must not exist anywhere.
	UnknownORG pcnhub.ODSCode = "INVOC1"
	// UnknownSIT (unknownSIT) is INVSC1: it must not exist anywhere.
	UnknownSIT pcnhub.ODSCode = "INVSC1"

	// LOC1 is L113467 in the ODS code map. No scenario of this data set
	// needs it and no Location carries it; it is recorded here only so the
	// whole map is in one place.
	LOC1 pcnhub.ODSCode = "L113467"

	// Consumer is GPCA0001, "GP Connect Assurance": the
	// requesting_organization of every assurance request (Part B). It is a
	// known, non-hosted urgent-care organisation.
	Consumer pcnhub.ODSCode = "GPCA0001"
)

// ASIDs (Part B).
const (
	// ProviderASID is the Ssp-To ASID of the scenarios, 918999198738; all
	// three hosted organisations carry it.
	ProviderASID pcnhub.ASID = "918999198738"
	// ConsumerASID is the Ssp-From ASID of the scenarios, 200000000359,
	// carried by the Consumer organisation.
	ConsumerASID pcnhub.ASID = "200000000359"
)

// Location logical ids (Data/LocationLogicalIdentifierMap.csv). The
// "Locations" sheet asks for 11 Locations: SIT1 has id 1; SIT2 has ids 8
// and 2; SIT3 has ids 3, 4, 5, 6, 7, 9, 10 and 11.
const (
	SIT1LocationID int64 = 1 // SIT1 → 1
	SIT2LocationID int64 = 8 // SIT2 → 8 (the second SIT2 location is 2)
	SIT3LocationID int64 = 3 // SIT3 → 3 (seven more SIT3 locations: 4–7, 9–11)
)

// SDS user ids of the practitioners (Data/PractitionerCodeMap.csv). All
// practitioners belong to ORG1. Practitioner logical ids follow the NHS
// demonstrator: practitioner1 → id 1, practitioner2 → id 2,
// practitioner3 → id 3, and the "multiple results" pair ids 4 and 5 both
// carry Practitioner5SDS.
const (
	// Practitioner1SDS (practitioner1) is G13579135, with no role profile ids.
	Practitioner1SDS = "G13579135"
	// Practitioner2SDS (practitioner2) is G11111116, with one role profile id.
	Practitioner2SDS = "G11111116"
	// Practitioner3SDS (practitioner3) is G22345655, with two role profile ids.
	Practitioner3SDS = "G22345655"
	// Practitioner4SDS (practitioner4) is G99999999: it must NOT exist.
	// (Practitioner id 4 is not practitioner4; it is the first of the two
	// Practitioner5SDS practitioners.)
	Practitioner4SDS = "G99999999"
	// Practitioner5SDS (practitioner5) is G22222226, carried by two
	// practitioners (ids 4 and 5), with one role profile id each, for the
	// "multiple results" search scenarios.
	Practitioner5SDS = "G22222226"
)

// JobRoleGP is the SDS job role of every practitioner: R0260 "General
// Medical Practitioner".
const JobRoleGP = "R0260"

// Dataset returns the assurance data set. It is deterministic: every call
// returns equal, freshly built data, and the sequences yield the same
// values in the same order each time they are ranged over.
func Dataset() seed.Dataset {
	return seed.Dataset{
		Name:          Name,
		Organisations: organisations(),
		Groups:        groups(),
		Agreements:    agreements(),
		Records:       records(),
		Practitioners: practitioners(),
		Locations:     locations(),
		Patients: func(yield func(pcnhub.ODSCode, pcnhub.Patient) bool) {
			for _, p := range patients() {
				if !yield(ORG1, p) {
					return
				}
			}
		},
		People: func(yield func(pcnhub.Person) bool) {
			for _, p := range patientPeople() {
				if !yield(p) {
					return
				}
			}
			for p := range registerPeople() {
				if !yield(p) {
					return
				}
			}
		},
		Schedules: schedules(),
		Slots:     slots,
	}
}

func phone(use, value string) []pcnhub.ContactPoint {
	return []pcnhub.ContactPoint{{System: "phone", Use: use, Value: value}}
}

func organisations() []pcnhub.Organisation {
	listDate := pcnhub.Date{Year: 2026, Month: 9, Day: 1}
	return []pcnhub.Organisation{
		{
			ODS:  ORG1,
			ASID: ProviderASID,
			Type: pcnhub.OrgGPPractice,
			Name: "GP Connect Assurance Practice 1 (ORG1)",
			Address: pcnhub.Address{
				Lines:    []string{"Assurance House", "1 Kirkgate"},
				City:     "Leeds",
				District: "West Yorkshire",
				Postcode: "LS2 7DJ",
			},
			Telecom:      phone("work", "0113 496 0000"),
			ListSize:     6000,
			ListSizeDate: listDate,
			Hosted:       true,
			Sites: []pcnhub.Site{{
				ODS:  SIT1,
				Name: "Assurance Practice 1 Main Surgery (SIT1)",
				Address: pcnhub.Address{
					Lines:    []string{"Assurance House", "1 Kirkgate"},
					City:     "Leeds",
					District: "West Yorkshire",
					Postcode: "LS2 7DJ",
				},
			}},
		},
		{
			ODS:  ORG2,
			ASID: ProviderASID,
			Type: pcnhub.OrgGPPractice,
			Name: "GP Connect Assurance Practice 2 (ORG2)",
			Address: pcnhub.Address{
				Lines:    []string{"2 Norfolk Row"},
				City:     "Sheffield",
				District: "South Yorkshire",
				Postcode: "S1 2PA",
			},
			Telecom:      phone("work", "0114 496 0000"),
			ListSize:     4500,
			ListSizeDate: listDate,
			Hosted:       true,
			Sites: []pcnhub.Site{
				{
					ODS:  SIT2,
					Name: "Assurance Practice 2 Main Surgery (SIT2)",
					Address: pcnhub.Address{
						Lines:    []string{"2 Norfolk Row"},
						City:     "Sheffield",
						District: "South Yorkshire",
						Postcode: "S1 2PA",
					},
				},
				{
					ODS:  SIT4,
					Name: "Assurance Practice 2 Branch Surgery (SIT4)",
					Address: pcnhub.Address{
						Lines:    []string{"44 Abbeydale Road"},
						City:     "Sheffield",
						District: "South Yorkshire",
						Postcode: "S7 1FD",
					},
				},
			},
		},
		{
			ODS:  ORG3,
			ASID: ProviderASID,
			Type: pcnhub.OrgGPPractice,
			Name: "GP Connect Assurance Practice 3 (ORG3)",
			Address: pcnhub.Address{
				Lines:    []string{"3 Castle Gate"},
				City:     "Nottingham",
				District: "Nottinghamshire",
				Postcode: "NG1 6AF",
			},
			Telecom:      phone("work", "0115 496 0000"),
			ListSize:     3200,
			ListSizeDate: listDate,
			Hosted:       true,
			Sites: []pcnhub.Site{{
				ODS:  SIT3,
				Name: "Assurance Practice 3 Health Centre (SIT3)",
				Address: pcnhub.Address{
					Lines:    []string{"3 Castle Gate"},
					City:     "Nottingham",
					District: "Nottinghamshire",
					Postcode: "NG1 6AF",
				},
			}},
		},
		{
			ODS:     Consumer,
			ASID:    ConsumerASID,
			Type:    pcnhub.OrgUrgentCare,
			Subtype: "Assurance test consumer",
			Name:    "GP Connect Assurance",
			Hosted:  false,
		},
	}
}

func groups() []pcnhub.OrganisationGroup {
	return []pcnhub.OrganisationGroup{{
		Name:        "Assurance consumers",
		Description: "The requesting organisation of the NHS GP Connect provider assurance scenarios.",
		Members:     []pcnhub.ODSCode{Consumer},
	}}
}

func practitioners() []seed.Practitioner {
	gp := func(id int64, sds string, roles []string, prefix, given, family string, g pcnhub.Gender) seed.Practitioner {
		return seed.Practitioner{
			OrgODS: ORG1,
			Practitioner: pcnhub.Practitioner{
				ID:             id,
				SDSUserID:      sds,
				RoleProfileIDs: roles,
				Name:           pcnhub.HumanName{Prefix: prefix, Given: []string{given}, Family: family},
				Gender:         g,
				JobRoleCode:    JobRoleGP,
			},
		}
	}
	return []seed.Practitioner{
		// practitioner1: no role profile ids.
		gp(1, Practitioner1SDS, nil, "Dr", "Alison", "Greenhalgh", pcnhub.GenderFemale),
		// practitioner2: one role profile id.
		gp(2, Practitioner2SDS, []string{"100000000201"}, "Dr", "Martin", "Pennington", pcnhub.GenderMale),
		// practitioner3: two role profile ids.
		gp(3, Practitioner3SDS, []string{"100000000301", "100000000302"}, "Dr", "Priya", "Sharma", pcnhub.GenderFemale),
		// practitioner5, twice (ids 4 and 5): "multiple results".
		gp(4, Practitioner5SDS, []string{"100000000401"}, "Dr", "Thomas", "Ainsworth", pcnhub.GenderMale),
		gp(5, Practitioner5SDS, []string{"100000000501"}, "Dr", "Rachel", "Brennan", pcnhub.GenderFemale),
	}
}

func locations() []seed.Location {
	loc := func(id int64, org, site pcnhub.ODSCode, name string, addr pcnhub.Address, tel string) seed.Location {
		return seed.Location{
			OrgODS: org,
			Location: pcnhub.Location{
				ID:      id,
				SiteODS: site,
				Name:    name,
				Address: addr,
				Telecom: phone("work", tel),
			},
		}
	}
	sit1 := func() pcnhub.Address {
		return pcnhub.Address{Lines: []string{"Assurance House", "1 Kirkgate"}, City: "Leeds", District: "West Yorkshire", Postcode: "LS2 7DJ"}
	}
	sit2 := func() pcnhub.Address {
		return pcnhub.Address{Lines: []string{"2 Norfolk Row"}, City: "Sheffield", District: "South Yorkshire", Postcode: "S1 2PA"}
	}
	sit3 := func() pcnhub.Address {
		return pcnhub.Address{Lines: []string{"3 Castle Gate"}, City: "Nottingham", District: "Nottinghamshire", Postcode: "NG1 6AF"}
	}
	// In id order.
	return []seed.Location{
		loc(1, ORG1, SIT1, "Assurance Practice 1 Main Surgery", sit1(), "0113 496 0001"),
		loc(2, ORG2, SIT2, "Assurance Practice 2 Treatment Room", sit2(), "0114 496 0002"),
		loc(3, ORG3, SIT3, "Assurance Practice 3 Main Surgery", sit3(), "0115 496 0003"),
		loc(4, ORG3, SIT3, "Assurance Practice 3 Treatment Room", sit3(), "0115 496 0004"),
		loc(5, ORG3, SIT3, "Assurance Practice 3 Nurse Clinic", sit3(), "0115 496 0005"),
		loc(6, ORG3, SIT3, "Assurance Practice 3 Minor Surgery Suite", sit3(), "0115 496 0006"),
		loc(7, ORG3, SIT3, "Assurance Practice 3 Phlebotomy Room", sit3(), "0115 496 0007"),
		loc(8, ORG2, SIT2, "Assurance Practice 2 Main Surgery", sit2(), "0114 496 0008"),
		loc(9, ORG3, SIT3, "Assurance Practice 3 Telephone Consulting Hub", sit3(), "0115 496 0009"),
		loc(10, ORG3, SIT3, "Assurance Practice 3 Video Consulting Room", sit3(), "0115 496 0010"),
		loc(11, ORG3, SIT3, "Assurance Practice 3 Community Room", sit3(), "0115 496 0011"),
	}
}

// agreements let the assurance consumer use the three practices'
// appointment books and records: the Spine Secure Proxy would refuse the
// scenarios without one, and so does the provider.
func agreements() []spine.Agreement {
	var out []spine.Agreement
	for _, org := range []pcnhub.ODSCode{ORG1, ORG2, ORG3} {
		for _, c := range []spine.Capability{spine.Appointments, spine.CareRecord} {
			out = append(out, spine.Agreement{Provider: org, Consumer: Consumer, Capability: c,
				From: pcnhub.Date{Year: 2020, Month: 1, Day: 1}, Reference: "GP Connect provider assurance"})
		}
	}
	return out
}
