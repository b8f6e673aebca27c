// Package demo is the "demo" data set of pcnhub: Riverside PCN, a
// fictional Primary Care Network of eight GP practices (about 80,000
// patients), its enhanced-access hub and the NHS 111 service that books
// into them.
//
// Everything is synthetic and deterministic: NHS numbers are in the 999
// test range, ODS codes in unused A9999x/Y9999x blocks, phone numbers in the
// Ofcom drama ranges, e-mail addresses at example.com, and postcodes in the
// fictional "RV" area. The same data set comes out on every run; patients
// and people are generated on demand as they are iterated, never held in
// memory.
package demo

import (
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

const (
	pcnCode       pcnhub.ODSCode = "U99990"
	pcnName                      = "Riverside PCN"
	hubODS        pcnhub.ODSCode = "Y99990"
	nhs111ODS     pcnhub.ODSCode = "Y99911"
	outOfAreaGP   pcnhub.ODSCode = "B99999" // a practice outside the PCN
	firstStaffID                 = 1001
	firstLocation                = 1001

	activeBlock   = 999_000_000 // practice k (1-based) uses activeBlock + (k-1)*blockSize
	blockSize     = 100_000
	inactiveShift = 60_000      // inactive registrations: from the block start + inactiveShift
	peopleBlock   = 999_900_000 // people registered at no PCN practice
	otherPeople   = 300

	inactivePerMille = 3 // inactive registrations, per mille of the list size
)

// siteDef is a practice site.
type siteDef struct {
	ods    pcnhub.ODSCode
	name   string
	town   int
	street string
	house  int
}

// practiceDef is a practice of the PCN. Its main site code is ods + "0".
type practiceDef struct {
	ods      pcnhub.ODSCode
	name     string
	town     int
	street   string
	house    int
	listSize int
	branch   *siteDef
}

var practices = [...]practiceDef{
	{ods: "A99991", name: "Riverside Medical Centre", town: townRiverside, street: "Riverside Way", house: 2, listSize: 19_800,
		branch: &siteDef{ods: "A999911", name: "Ashford Green Branch Surgery", town: townAshfordGreen, street: "Green Lane", house: 7}},
	{ods: "A99992", name: "Mill Lane Surgery", town: townMillbrook, street: "Mill Lane", house: 11, listSize: 13_100,
		branch: &siteDef{ods: "A999921", name: "Station Road Surgery", town: townRiverside, street: "Station Road", house: 5}},
	{ods: "A99993", name: "The Willows Health Centre", town: townRiverside, street: "Willow Road", house: 1, listSize: 12_300},
	{ods: "A99994", name: "Castle Street Surgery", town: townRiverside, street: "Castle Street", house: 9, listSize: 10_400,
		branch: &siteDef{ods: "A999941", name: "Millbrook Village Surgery", town: townMillbrook, street: "High Street", house: 4}},
	{ods: "A99995", name: "Ashford Green Medical Practice", town: townAshfordGreen, street: "The Green", house: 3, listSize: 8_950},
	{ods: "A99996", name: "Northgate Family Practice", town: townRiverside, street: "Northgate", house: 12, listSize: 7_210},
	{ods: "A99997", name: "Brookside Surgery", town: townMillbrook, street: "Brookside", house: 6, listSize: 5_840},
	{ods: "A99998", name: "Old Forge Surgery", town: townAshfordGreen, street: "Old Forge Lane", house: 1, listSize: 3_120},
}

func (p *practiceDef) mainSite() pcnhub.ODSCode { return p.ods + "0" }

// address returns an organisation's address on a named street.
func address(town int, streetName string, house int) pcnhub.Address {
	si := streetIndex(town, streetName)
	return pcnhub.Address{
		Lines:    []string{strconv.Itoa(house) + " " + streetName},
		City:     townNames[town],
		District: district,
		Postcode: postcodeOf(si, house),
	}
}

func phone(i int) []pcnhub.ContactPoint {
	return []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: landlines[orgPhoneBase+i]}}
}

// Dataset returns the demo PCN. Deterministic.
func Dataset() seed.Dataset {
	return seed.Dataset{
		Name:          "demo",
		Organisations: organisations(),
		Groups:        organisationGroups(),
		Practitioners: practitioners(),
		Locations:     locations(),
		Patients:      patientRecords,
		People:        people,
		Books:         Books(),
		Agreements:    agreements(),
		Staff:         staffUsers(),
		BookWeeks:     BookWeeks,
		BankHolidays:  BankHolidays,
		Appointments:  appointments,
		RecordSource:  storedRecords,
		GenerateRecord: func(ods pcnhub.ODSCode, p *pcnhub.Patient) *record.Record {
			r := ClinicalRecord(ods, p)
			return &r
		},
	}
}

func organisations() []pcnhub.Organisation {
	var orgs []pcnhub.Organisation
	hubAddr := address(practices[0].town, practices[0].street, practices[0].house)
	orgs = append(orgs, pcnhub.Organisation{
		ODS:     hubODS,
		ASID:    "999900000100",
		Type:    pcnhub.OrgPCNHub,
		Name:    "Riverside PCN Enhanced Access Hub",
		Address: hubAddr,
		Telecom: phone(90),
		PCN:     pcnCode,
		PCNName: pcnName,
		Hosted:  true,
	})
	for k := range practices {
		p := &practices[k]
		main := pcnhub.Site{ODS: p.mainSite(), Name: p.name, Address: address(p.town, p.street, p.house)}
		sites := []pcnhub.Site{main}
		if b := p.branch; b != nil {
			sites = append(sites, pcnhub.Site{ODS: b.ods, Name: b.name, Address: address(b.town, b.street, b.house)})
		}
		orgs = append(orgs, pcnhub.Organisation{
			ODS:          p.ods,
			ASID:         pcnhub.ASID("9999000001" + strconv.Itoa(k + 1 + 100)[1:]),
			Type:         pcnhub.OrgGPPractice,
			Name:         p.name,
			Address:      address(p.town, p.street, p.house),
			Telecom:      phone(10 * (k + 1)),
			ListSize:     p.listSize,
			ListSizeDate: ReferenceDate,
			PCN:          pcnCode,
			PCNName:      pcnName,
			Hosted:       true,
			Sites:        sites,
		})
	}
	orgs = append(orgs, pcnhub.Organisation{
		ODS:     nhs111ODS,
		ASID:    "999900000200",
		Type:    pcnhub.OrgUrgentCare,
		Subtype: "NHS 111",
		Name:    "Riverside Integrated Urgent Care (NHS 111)",
		Address: pcnhub.Address{
			Lines:    []string{"Unit 4, Riverside Business Park", "Wharf Road"},
			City:     "Riverside",
			District: district,
			Postcode: postcodeOf(streetIndex(townRiverside, "Wharf Road"), 1),
		},
		Telecom: []pcnhub.ContactPoint{{System: "phone", Use: "work", Value: landlines[orgPhoneBase+99]}},
	})
	return orgs
}

func organisationGroups() []pcnhub.OrganisationGroup {
	var members []pcnhub.ODSCode
	for _, p := range practices {
		members = append(members, p.ods)
	}
	return []pcnhub.OrganisationGroup{
		{
			Name:        "Enhanced access booking",
			Description: "The Riverside PCN hub and its eight practices book enhanced-access appointments into each other's books.",
			Members:     append([]pcnhub.ODSCode{hubODS}, members...),
		},
		{
			Name:        "111 direct booking",
			Description: "NHS 111 services that may book patients directly into practice and hub appointment slots.",
			Members:     []pcnhub.ODSCode{nhs111ODS},
		},
		{
			Name:        "Riverside PCN practices",
			Description: "The eight GP practices of Riverside PCN, which share records for their registered patients.",
			Members:     members,
		},
	}
}

// SDS job roles used by the data set.
const (
	roleGP         = "R0260" // General Medical Practitioner
	roleRegistrar  = "R6200" // GP Registrar
	roleSessional  = "R6300" // Sessional GP
	rolePharmacist = "R1290" // Pharmacist
	roleHCA        = "R1480" // Healthcare Assistant
	roleMidwife    = "R0680" // Midwife
	roleNurse      = "R0600" // practice nurse (see schedule.JobRoleDisplays)
)

// staffGroupWeights are the per-mille weights of naming traditions among
// the PCN's staff (more South Asian and African names than the patients,
// as in NHS general practice).
var staffGroupWeights = [len(groups)]int{
	grpBritish: 500, grpIrish: 40, grpPolish: 30, grpRomanian: 10, grpPakistani: 100,
	grpBangladeshi: 40, grpIndian: 120, grpAfrican: 85, grpSomali: 15, grpCaribbean: 10, grpArabic: 20, grpChinese: 30,
}

// practitioners returns the staff of each practice and of the hub, with
// IDs from 1001 in a fixed order.
func practitioners() []seed.Practitioner {
	g := newGenerator(0xDE30_57AF, "")
	r := &g.r
	var out []seed.Practitioner
	seen := map[string]bool{}
	add := func(org pcnhub.ODSCode, role string, twoProfiles bool) {
		id := int64(firstStaffID + len(out))
		femalePermille := 550
		switch role {
		case roleHCA:
			femalePermille = 800
		case roleMidwife:
			femalePermille = 970
		case roleNurse:
			femalePermille = 880
		}
		var name pcnhub.HumanName
		var female bool
		for {
			female = r.permille(femalePermille)
			u, grp := r.intn(1000), 0
			for t := staffGroupWeights[0]; u >= t; t += staffGroupWeights[grp] {
				grp++
			}
			ng := &groups[grp]
			birthYear := 1962 + r.intn(36)
			if role == roleRegistrar {
				birthYear = 1990 + r.intn(8)
			}
			fam := r.intn(len(ng.family))
			family := ng.family[fam]
			if female {
				family = ng.familyFemale[fam]
			}
			name = pcnhub.HumanName{Given: []string{g.givenName(ng, female, eraOf(birthYear))}, Family: family}
			if key := name.Given[0] + " " + name.Family; !seen[key] {
				seen[key] = true
				break
			}
		}
		switch {
		case role == roleGP || role == roleRegistrar || role == roleSessional:
			name.Prefix = "Dr"
		case !female:
			name.Prefix = "Mr"
		default:
			name.Prefix = [...]string{"Mrs", "Mrs", "Ms", "Ms", "Miss"}[r.intn(5)]
		}
		gender := pcnhub.GenderMale
		if female {
			gender = pcnhub.GenderFemale
		}
		profiles := []string{"9998" + pad8(id*10+1)}
		if twoProfiles {
			profiles = append(profiles, "9998"+pad8(id*10+2))
		}
		out = append(out, seed.Practitioner{
			OrgODS: org,
			Practitioner: pcnhub.Practitioner{
				ID:             id,
				SDSUserID:      "9999" + pad8(id),
				RoleProfileIDs: profiles,
				Name:           name,
				Gender:         gender,
				JobRoleCode:    role,
			},
		})
	}
	for _, p := range practices {
		gps := max(2, (p.listSize+900)/1800)
		for i := range gps {
			add(p.ods, roleGP, i == 0) // the senior partner also holds a management profile
		}
		switch {
		case p.listSize >= 15_000:
			add(p.ods, roleRegistrar, false)
			add(p.ods, roleRegistrar, false)
			add(p.ods, roleSessional, true)
			add(p.ods, roleMidwife, false)
		case p.listSize >= 12_000:
			add(p.ods, roleRegistrar, false)
			add(p.ods, roleSessional, true)
			add(p.ods, roleMidwife, false)
		case p.listSize >= 10_000:
			add(p.ods, roleSessional, true)
		case p.listSize >= 8_000:
			add(p.ods, roleRegistrar, false)
		}
		pharmacists := 1
		if p.listSize >= 15_000 {
			pharmacists = 2
		}
		for range pharmacists {
			add(p.ods, rolePharmacist, false)
		}
		for range 1 + p.listSize/12_000 {
			add(p.ods, roleNurse, false)
		}
		for range 1 + p.listSize/10_000 {
			add(p.ods, roleHCA, false)
		}
	}
	for range 4 {
		add(hubODS, roleSessional, true)
	}
	add(hubODS, rolePharmacist, false)
	add(hubODS, roleNurse, false)
	return out
}

// pad8 formats n with at least eight digits.
func pad8(n int64) string {
	s := strconv.FormatInt(n, 10)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}

// locations returns one location per practice site and the hub's two
// consulting locations, with IDs from 1001.
func locations() []seed.Location {
	var out []seed.Location
	add := func(org, site pcnhub.ODSCode, name string, addr pcnhub.Address, tel int) {
		out = append(out, seed.Location{
			OrgODS: org,
			Location: pcnhub.Location{
				ID:      int64(firstLocation + len(out)),
				SiteODS: site,
				Name:    name,
				Address: addr,
				Telecom: phone(tel),
			},
		})
	}
	for k, p := range practices {
		add(p.ods, p.mainSite(), p.name, address(p.town, p.street, p.house), 10*(k+1))
		if b := p.branch; b != nil {
			add(p.ods, b.ods, b.name, address(b.town, b.street, b.house), 10*(k+1)+1)
		}
	}
	for _, k := range []int{0, 1} {
		p := &practices[k]
		add(hubODS, "", "Riverside PCN Hub at "+p.name, address(p.town, p.street, p.house), 90+k)
	}
	return out
}

// practiceRecords yields the patient records of practice k: its active list
// (exactly ListSize), then its inactive registrations.
func practiceRecords(k int, yield func(pcnhub.Patient) bool) bool {
	p := &practices[k]
	block := uint32(activeBlock + k*blockSize)
	for pt := range Patients(0xDE30_0000+uint64(k), p.listSize, block, p.mainSite()) {
		if b := p.branch; b != nil && pt.Address.City == townNames[b.town] {
			pt.Registration.PreferredBranch = b.ods
		}
		if !yield(pt) {
			return false
		}
	}
	var r rng
	r.seed(0xDE31_0000+uint64(k), 0x1DEAD)
	ref := dayNumber(ReferenceDate)
	n := (p.listSize*inactivePerMille + 500) / 1000
	for pt := range Patients(0xDE31_0000+uint64(k), n, block+inactiveShift, p.mainSite()) {
		retire(&pt, &r, ref)
		if !yield(pt) {
			return false
		}
	}
	return true
}

// retire turns an active registration into an ended one: the patient died
// (mostly the elderly) or moved away, within the last two years.
func retire(pt *pcnhub.Patient, r *rng, ref int) {
	age := pt.BirthDate.AgeOn(ReferenceDate)
	start := dayNumber(pt.Registration.Start)
	hi := ref - 1
	lo := max(start+1, ref-730)
	if lo > hi {
		lo = hi
	}
	d := lo + r.intn(hi-lo+1)
	pt.InTransit = false
	pt.Registration.Status = pcnhub.RegInactive
	if (age >= 60 && r.permille(850)) || (age >= 18 && r.permille(30)) {
		pt.DeceasedDate = dateOfDay(d)
		pt.Registration.End = dateOfDay(min(d+r.intn(15), hi))
		return
	}
	pt.Registration.End = dateOfDay(workingDay(d, hi))
}

// patientRecords yields every patient record of the data set with the ODS
// code of the practice that holds it.
func patientRecords(yield func(pcnhub.ODSCode, pcnhub.Patient) bool) {
	for k := range practices {
		ods := practices[k].ods
		if !practiceRecords(k, func(p pcnhub.Patient) bool { return yield(ods, p) }) {
			return
		}
	}
}

func personOf(p *pcnhub.Patient, gp pcnhub.ODSCode) pcnhub.Person {
	return pcnhub.Person{
		NHSNumber:    p.NHSNumber,
		Name:         p.Name,
		BirthDate:    p.BirthDate,
		Gender:       p.Gender,
		Address:      p.Address,
		Telecom:      p.Telecom,
		GPPractice:   gp,
		Sensitive:    p.Sensitive,
		DeceasedDate: p.DeceasedDate,
		SupersededBy: p.SupersededBy,
	}
}

// people yields the PDS-like register: every demo patient (registered at
// their practice while active, at none once inactive or deceased), then 300
// people registered at no PCN practice, half of them at an out-of-area
// practice, for hub temporary registrations.
func people(yield func(pcnhub.Person) bool) {
	for ods, p := range patientRecords {
		gp := ods
		if p.Registration.Status != pcnhub.RegActive || p.Deceased() {
			gp = ""
		}
		if !yield(personOf(&p, gp)) {
			return
		}
	}
	i := 0
	for p := range Patients(0xDE32_0000, otherPeople, peopleBlock, "") {
		gp := pcnhub.ODSCode("")
		if i%2 == 1 {
			gp = outOfAreaGP
		}
		i++
		if !yield(personOf(&p, gp)) {
			return
		}
	}
}

// agreements are the Riverside PCN data sharing agreement, from April
// 2026: every practice and the hub share their appointment books with each
// other and with NHS 111, and the practices share their patients' records
// with the hub's clinicians. (NHS 111 shares nothing: it holds no books.)
func agreements() []spine.Agreement {
	from := pcnhub.Date{Year: 2026, Month: 4, Day: 1}
	const ref = "Riverside PCN data sharing agreement 2026"
	members := []pcnhub.ODSCode{hubODS}
	for _, p := range practices {
		members = append(members, p.ods)
	}
	var out []spine.Agreement
	add := func(provider, consumer pcnhub.ODSCode, c spine.Capability) {
		out = append(out, spine.Agreement{Provider: provider, Consumer: consumer, Capability: c, From: from, Reference: ref})
	}
	for _, provider := range members {
		for _, consumer := range members {
			if provider != consumer {
				add(provider, consumer, spine.Appointments)
			}
		}
		add(provider, nhs111ODS, spine.Appointments)
		if provider != hubODS {
			add(provider, hubODS, spine.CareRecord)
		}
	}
	return out
}

// DemoPassword is the password of every demo staff user. The data are
// synthetic; never use it anywhere else.
const DemoPassword = "riverside-demo-2026"

// staffUsers are the demo's staff: a receptionist and a practice manager
// at Riverside Medical Centre, the hub's receptionist, clinician and
// manager, an NHS 111 call handler and an administrator.
func staffUsers() []seed.StaffUser {
	var hubGP, riversideGP pcnhub.Practitioner
	for _, p := range practitioners() {
		if p.OrgODS == hubODS && p.JobRoleCode == roleSessional && hubGP.ID == 0 {
			hubGP = p.Practitioner
		}
		if p.OrgODS == practices[0].ods && p.JobRoleCode == roleGP && riversideGP.ID == 0 {
			riversideGP = p.Practitioner
		}
	}
	user := func(name, display string, sds string, ms ...staff.Membership) seed.StaffUser {
		fields := strings.Fields(display)
		return seed.StaffUser{Password: DemoPassword, User: staff.User{Username: name, DisplayName: display, SDSUserID: sds,
			Family: fields[len(fields)-1], Given: strings.Join(fields[:len(fields)-1], " "), Memberships: ms}}
	}
	m := func(ods pcnhub.ODSCode, r staff.Role) staff.Membership { return staff.Membership{OrgODS: ods, Role: r} }
	return []seed.StaffUser{
		user("rosa.reception", "Rosa Okafor", "", m(practices[0].ods, staff.Receptionist)),
		user("pm.riverside", "Helen Marsh", "", m(practices[0].ods, staff.PracticeManager)),
		user("gp.riverside", strings.Join(riversideGP.Name.Given, " ")+" "+riversideGP.Name.Family, riversideGP.SDSUserID,
			m(practices[0].ods, staff.Clinician), m(hubODS, staff.Clinician)),
		user("hub.reception", "Tom Reilly", "", m(hubODS, staff.Receptionist)),
		user("hub.clinician", strings.Join(hubGP.Name.Given, " ")+" "+hubGP.Name.Family, hubGP.SDSUserID, m(hubODS, staff.Clinician)),
		user("hub.manager", "Priya Nair", "", m(hubODS, staff.HubManager)),
		user("nhs111.handler", "Sam Evans", "", m(nhs111ODS, staff.CallHandler)),
		user("admin", "PCN Administrator", "", m(hubODS, staff.Administrator)),
	}
}
