package demo

import (
	"fmt"
	"hash/fnv"
	"iter"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/seed"
)

var postcodeRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

// hashPatients hashes every field of every record of the sequence.
func hashPatients(seq iter.Seq2[pcnhub.ODSCode, pcnhub.Patient]) (uint64, int) {
	h := fnv.New64a()
	n := 0
	for ods, p := range seq {
		fmt.Fprintf(h, "%s|%+v\n", ods, p)
		n++
	}
	return h.Sum64(), n
}

func hashPeople(seq iter.Seq[pcnhub.Person]) (uint64, int) {
	h := fnv.New64a()
	n := 0
	for p := range seq {
		fmt.Fprintf(h, "%+v\n", p)
		n++
	}
	return h.Sum64(), n
}

func TestDatasetIsDeterministic(t *testing.T) {
	a, b := Dataset(), Dataset()
	if !reflect.DeepEqual(a.Organisations, b.Organisations) {
		t.Error("organisations differ between two calls")
	}
	if !reflect.DeepEqual(a.Groups, b.Groups) {
		t.Error("groups differ between two calls")
	}
	if !reflect.DeepEqual(a.Practitioners, b.Practitioners) {
		t.Error("practitioners differ between two calls")
	}
	if !reflect.DeepEqual(a.Locations, b.Locations) {
		t.Error("locations differ between two calls")
	}

	first := func(ds seed.Dataset) []pcnhub.Patient {
		var out []pcnhub.Patient
		for _, p := range ds.Patients {
			out = append(out, p)
			if len(out) == 1000 {
				break
			}
		}
		return out
	}
	fa, fb := first(a), first(b)
	if len(fa) != 1000 {
		t.Fatalf("got %d patients, want at least 1000", len(fa))
	}
	for i := range fa {
		if !reflect.DeepEqual(fa[i], fb[i]) {
			t.Fatalf("patient %d differs:\n%+v\n%+v", i, fa[i], fb[i])
		}
	}

	ha, na := hashPatients(a.Patients)
	hb, nb := hashPatients(b.Patients)
	if ha != hb || na != nb {
		t.Errorf("patients: hash/count %x/%d then %x/%d", ha, na, hb, nb)
	}
	pa, ma := hashPeople(a.People)
	pb, mb := hashPeople(b.People)
	if pa != pb || ma != mb {
		t.Errorf("people: hash/count %x/%d then %x/%d", pa, ma, pb, mb)
	}
}

func TestPatientsDependsOnSeed(t *testing.T) {
	collect := func(seed uint64) []pcnhub.Patient {
		var out []pcnhub.Patient
		for p := range Patients(seed, 200, 999000000, "A999910") {
			out = append(out, p)
		}
		return out
	}
	a, b, c := collect(7), collect(7), collect(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different patients")
	}
	same := 0
	for i := range a {
		if reflect.DeepEqual(a[i].Name, c[i].Name) && a[i].BirthDate == c[i].BirthDate {
			same++
		}
	}
	if same > 5 {
		t.Errorf("seeds 7 and 8 gave %d identical patients out of %d", same, len(a))
	}
}

func TestPatientsNHSNumbersAndStreaming(t *testing.T) {
	const first = 999000000
	var got []pcnhub.NHSNumber
	for p := range Patients(1, 50, first, "X1") {
		got = append(got, p.NHSNumber)
	}
	if len(got) != 50 {
		t.Fatalf("got %d patients, want 50", len(got))
	}
	// Consecutive valid numbers: exactly the valid completions of the prefixes in order.
	prefix := uint32(first)
	for i, n := range got {
		for {
			want, ok := pcnhub.NHSNumberFromPrefix(prefix)
			prefix++
			if ok {
				if n != want {
					t.Fatalf("number %d: got %s, want %s", i, n, want)
				}
				break
			}
		}
	}

	// Early stop is honoured.
	count := 0
	for range Patients(1, 1000, first, "X1") {
		count++
		if count == 10 {
			break
		}
	}
	if count != 10 {
		t.Errorf("after break: got %d, want 10", count)
	}

	// The sequence ends when the prefixes run out.
	count = 0
	for p := range Patients(1, 100, 999_999_990, "X1") {
		if _, err := pcnhub.ParseNHSNumber(string(p.NHSNumber)); err != nil {
			t.Errorf("%s: %v", p.NHSNumber, err)
		}
		count++
	}
	if count == 0 || count > 10 {
		t.Errorf("got %d patients from the last 10 prefixes, want 1..10", count)
	}
}

func TestOrganisations(t *testing.T) {
	ds := Dataset()
	if ds.Name != "demo" {
		t.Errorf("Name: got %q, want demo", ds.Name)
	}
	byODS := map[pcnhub.ODSCode]pcnhub.Organisation{}
	asids := map[pcnhub.ASID]bool{}
	sites := map[pcnhub.ODSCode]bool{}
	total, practicesSeen, branches := 0, 0, 0
	for _, o := range ds.Organisations {
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", o.ODS, err)
		}
		if _, dup := byODS[o.ODS]; dup {
			t.Errorf("%s appears twice", o.ODS)
		}
		byODS[o.ODS] = o
		if asids[o.ASID] {
			t.Errorf("%s: ASID %s used twice", o.ODS, o.ASID)
		}
		asids[o.ASID] = true
		for _, tel := range o.Telecom {
			if !strings.HasPrefix(tel.Value, "01632 960") {
				t.Errorf("%s: phone %q is not in the drama range", o.ODS, tel.Value)
			}
		}
		for _, s := range o.Sites {
			if sites[s.ODS] {
				t.Errorf("site %s appears twice", s.ODS)
			}
			sites[s.ODS] = true
			if !postcodeRE.MatchString(s.Address.Postcode) {
				t.Errorf("site %s: postcode %q", s.ODS, s.Address.Postcode)
			}
		}
		if o.Type != pcnhub.OrgGPPractice {
			continue
		}
		practicesSeen++
		if len(o.Sites) < 1 || o.Sites[0].ODS != o.ODS+"0" {
			t.Errorf("%s: main site should be %s0, sites %+v", o.ODS, o.ODS, o.Sites)
		}
		if len(o.Sites) == 2 {
			branches++
		}
		if o.ListSize < 2900 || o.ListSize > 20500 {
			t.Errorf("%s: list size %d outside 2,900–20,500", o.ODS, o.ListSize)
		}
		total += o.ListSize
		if o.ListSizeDate != ReferenceDate {
			t.Errorf("%s: ListSizeDate %v, want %v", o.ODS, o.ListSizeDate, ReferenceDate)
		}
		if o.PCN != "U99990" || o.PCNName != "Riverside PCN" || !o.Hosted {
			t.Errorf("%s: PCN %q %q hosted %v", o.ODS, o.PCN, o.PCNName, o.Hosted)
		}
		if !strings.HasPrefix(string(o.ODS), "A9999") || !strings.HasPrefix(string(o.ASID), "9999000001") {
			t.Errorf("practice %s has ASID %s", o.ODS, o.ASID)
		}
	}
	if practicesSeen != 8 {
		t.Errorf("got %d practices, want 8", practicesSeen)
	}
	if branches < 2 || branches > 3 {
		t.Errorf("got %d branch surgeries, want 2 or 3", branches)
	}
	if total < 75000 || total > 85000 {
		t.Errorf("total list size %d outside 75,000–85,000", total)
	}
	hub := byODS["Y99990"]
	if hub.Type != pcnhub.OrgPCNHub || !hub.Hosted || hub.ASID != "999900000100" || hub.PCN != "U99990" || hub.ListSize != 0 || hub.Address.IsZero() || len(hub.Telecom) == 0 {
		t.Errorf("hub: %+v", hub)
	}
	nhs111 := byODS["Y99911"]
	if nhs111.Type != pcnhub.OrgUrgentCare || nhs111.Subtype != "NHS 111" || nhs111.Hosted || nhs111.ASID != "999900000200" {
		t.Errorf("111: %+v", nhs111)
	}
	if len(ds.Organisations) != 10 {
		t.Errorf("got %d organisations, want 10", len(ds.Organisations))
	}

	wantGroups := map[string]int{"Enhanced access booking": 9, "111 direct booking": 1, "Riverside PCN practices": 8}
	if len(ds.Groups) != len(wantGroups) {
		t.Errorf("got %d groups, want %d", len(ds.Groups), len(wantGroups))
	}
	for _, g := range ds.Groups {
		if n, ok := wantGroups[g.Name]; !ok || len(g.Members) != n {
			t.Errorf("group %q has %d members", g.Name, len(g.Members))
		}
		if g.Description == "" {
			t.Errorf("group %q has no description", g.Name)
		}
		for _, m := range g.Members {
			if _, ok := byODS[m]; !ok {
				t.Errorf("group %q: member %s is not in the data set", g.Name, m)
			}
		}
	}
}

func TestPractitionersAndLocations(t *testing.T) {
	ds := Dataset()
	orgs := map[pcnhub.ODSCode]pcnhub.Organisation{}
	sites := map[pcnhub.ODSCode]pcnhub.ODSCode{}
	for _, o := range ds.Organisations {
		orgs[o.ODS] = o
		for _, s := range o.Sites {
			sites[s.ODS] = o.ODS
		}
	}
	allowed := map[string]bool{"R0260": true, "R1290": true, "R1480": true, "R6200": true, "R6300": true, "R0680": true, "R0600": true}
	ids := map[int64]bool{}
	sds := map[string]bool{}
	names := map[string]bool{}
	roles := map[pcnhub.ODSCode]map[string]int{}
	for _, p := range ds.Practitioners {
		if p.ID < 1001 || ids[p.ID] {
			t.Errorf("practitioner ID %d is below 1001 or repeated", p.ID)
		}
		ids[p.ID] = true
		if _, ok := orgs[p.OrgODS]; !ok {
			t.Errorf("practitioner %d: organisation %s not in the data set", p.ID, p.OrgODS)
		}
		if !allowed[p.JobRoleCode] {
			t.Errorf("practitioner %d: job role %q", p.ID, p.JobRoleCode)
		}
		if len(p.SDSUserID) != 12 || !strings.HasPrefix(p.SDSUserID, "9999") || sds[p.SDSUserID] {
			t.Errorf("practitioner %d: SDS user id %q", p.ID, p.SDSUserID)
		}
		sds[p.SDSUserID] = true
		if n := len(p.RoleProfileIDs); n < 1 || n > 2 {
			t.Errorf("practitioner %d: %d role profiles", p.ID, n)
		}
		for _, rp := range p.RoleProfileIDs {
			if len(rp) != 12 || !strings.HasPrefix(rp, "9998") || sds[rp] {
				t.Errorf("practitioner %d: role profile id %q", p.ID, rp)
			}
			sds[rp] = true
		}
		isDoctor := p.JobRoleCode == "R0260" || p.JobRoleCode == "R6200" || p.JobRoleCode == "R6300"
		if isDoctor != (p.Name.Prefix == "Dr") {
			t.Errorf("practitioner %d (%s): title %q", p.ID, p.JobRoleCode, p.Name.Prefix)
		}
		if p.Gender != pcnhub.GenderMale && p.Gender != pcnhub.GenderFemale {
			t.Errorf("practitioner %d: gender %q", p.ID, p.Gender)
		}
		if len(p.Name.Given) == 0 || p.Name.Family == "" {
			t.Errorf("practitioner %d: name %+v", p.ID, p.Name)
		}
		key := strings.Join(p.Name.Given, " ") + " " + p.Name.Family
		if names[key] {
			t.Errorf("two practitioners are called %s", key)
		}
		names[key] = true
		if roles[p.OrgODS] == nil {
			roles[p.OrgODS] = map[string]int{}
		}
		roles[p.OrgODS][p.JobRoleCode]++
	}
	for _, o := range ds.Organisations {
		r := roles[o.ODS]
		switch o.Type {
		case pcnhub.OrgGPPractice:
			want := max(2, (o.ListSize+900)/1800)
			if r["R0260"] != want {
				t.Errorf("%s (%d patients): %d GPs, want %d", o.ODS, o.ListSize, r["R0260"], want)
			}
			if r["R1290"] < 1 || r["R1480"] < 1 || r["R0600"] < 1 {
				t.Errorf("%s: roles %v, want a pharmacist, a nurse and a healthcare assistant", o.ODS, r)
			}
			if o.ListSize >= 8000 && r["R6200"]+r["R6300"]+r["R0680"] == 0 {
				t.Errorf("%s: roles %v, want a registrar, sessional GP or midwife", o.ODS, r)
			}
		case pcnhub.OrgPCNHub:
			if r["R6300"] != 4 || r["R1290"] != 1 || r["R0600"] != 1 || len(r) != 3 {
				t.Errorf("hub roles %v, want 4 R6300, 1 R1290 and 1 R0600", r)
			}
		}
	}

	locIDs := map[int64]bool{}
	perSite := map[pcnhub.ODSCode]int{}
	hubLocs := 0
	for _, l := range ds.Locations {
		if l.ID < 1001 || locIDs[l.ID] {
			t.Errorf("location ID %d is below 1001 or repeated", l.ID)
		}
		locIDs[l.ID] = true
		if _, ok := orgs[l.OrgODS]; !ok {
			t.Errorf("location %d: organisation %s not in the data set", l.ID, l.OrgODS)
		}
		if l.Name == "" || !postcodeRE.MatchString(l.Address.Postcode) {
			t.Errorf("location %d: name %q postcode %q", l.ID, l.Name, l.Address.Postcode)
		}
		if l.OrgODS == "Y99990" {
			hubLocs++
			if l.SiteODS != "" {
				t.Errorf("hub location %d has site %s", l.ID, l.SiteODS)
			}
			continue
		}
		if sites[l.SiteODS] != l.OrgODS {
			t.Errorf("location %d: site %q is not a site of %s", l.ID, l.SiteODS, l.OrgODS)
		}
		perSite[l.SiteODS]++
	}
	if hubLocs != 2 {
		t.Errorf("hub has %d locations, want 2", hubLocs)
	}
	for s := range sites {
		if perSite[s] != 1 {
			t.Errorf("site %s has %d locations, want 1", s, perSite[s])
		}
	}
}

// checkPatient reports what is wrong with one patient record.
func checkPatient(t *testing.T, ods pcnhub.ODSCode, p pcnhub.Patient, sites map[pcnhub.ODSCode]pcnhub.ODSCode) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s %s: %s", ods, p.NHSNumber, fmt.Sprintf(format, args...))
	}
	if n, err := pcnhub.ParseNHSNumber(string(p.NHSNumber)); err != nil || n != p.NHSNumber || !n.IsTestRange() {
		fail("NHS number invalid or outside the 999 range (%v)", err)
	}
	if p.BirthDate.IsZero() || !p.BirthDate.Before(ReferenceDate) {
		fail("birth date %v not before %v", p.BirthDate, ReferenceDate)
	}
	if a := p.BirthDate.AgeOn(ReferenceDate); a < 0 || a > 100 {
		fail("age %d", a)
	}
	if _, err := pcnhub.ParseDate(p.BirthDate.String()); err != nil {
		fail("birth date %v: %v", p.BirthDate, err)
	}
	r := p.Registration
	if !p.BirthDate.Before(r.Start) || ReferenceDate.Before(r.Start) {
		fail("registration start %v not between birth %v and %v", r.Start, p.BirthDate, ReferenceDate)
	}
	if r.Type != pcnhub.RegGMS {
		fail("registration type %q", r.Type)
	}
	switch r.Status {
	case pcnhub.RegActive:
		if !r.End.IsZero() || p.Deceased() {
			fail("active with end %v, deceased %v", r.End, p.DeceasedDate)
		}
	case pcnhub.RegInactive:
		if r.End.IsZero() || r.End.Before(r.Start) || ReferenceDate.Before(r.End) {
			fail("inactive: start %v end %v", r.Start, r.End)
		}
		if p.Deceased() && (p.DeceasedDate.Before(p.BirthDate) || r.End.Before(p.DeceasedDate) || ReferenceDate.Before(p.DeceasedDate)) {
			fail("deceased %v, born %v, registration ended %v", p.DeceasedDate, p.BirthDate, r.End)
		}
	default:
		fail("registration status %q", r.Status)
	}
	if sites[r.PreferredBranch] != ods {
		fail("preferred branch %q is not a site of %s", r.PreferredBranch, ods)
	}
	if !postcodeRE.MatchString(p.Address.Postcode) {
		fail("postcode %q", p.Address.Postcode)
	}
	if len(p.Address.Lines) == 0 || p.Address.City == "" || p.Address.District != "Riverside" {
		fail("address %+v", p.Address)
	}
	if p.Name.Family == "" || len(p.Name.Given) == 0 || p.Name.Given[0] == "" {
		fail("name %+v", p.Name)
	}
	if p.Gender != pcnhub.GenderMale && p.Gender != pcnhub.GenderFemale {
		fail("gender %q", p.Gender)
	}
	switch p.Name.Prefix {
	case "":
	case "Mr", "Master":
		if p.Gender != pcnhub.GenderMale {
			fail("title %s for %s", p.Name.Prefix, p.Gender)
		}
	case "Mrs", "Ms", "Miss":
		if p.Gender != pcnhub.GenderFemale {
			fail("title %s for %s", p.Name.Prefix, p.Gender)
		}
	case "Dr":
		if p.BirthDate.AgeOn(ReferenceDate) < 25 {
			fail("Dr aged %d", p.BirthDate.AgeOn(ReferenceDate))
		}
	default:
		fail("title %q", p.Name.Prefix)
	}
	for _, c := range p.Telecom {
		switch {
		case c.System == "phone" && c.Use == "home" && strings.HasPrefix(c.Value, "01632 960") && len(c.Value) == 12:
		case c.System == "phone" && c.Use == "mobile" && strings.HasPrefix(c.Value, "07700 900") && len(c.Value) == 12:
		case c.System == "email" && strings.HasSuffix(c.Value, "@example.com") && strings.Count(c.Value, ".") == 2:
		default:
			fail("contact %+v", c)
		}
	}
	switch p.Language {
	case "en":
		if p.InterpreterRequired {
			fail("interpreter for an English speaker")
		}
	case "bn", "ur", "pl", "pa", "gu", "ro", "ar":
	default:
		fail("language %q", p.Language)
	}
}

func TestPatientsAndPeople(t *testing.T) {
	ds := Dataset()
	listSize := map[pcnhub.ODSCode]int{}
	sites := map[pcnhub.ODSCode]pcnhub.ODSCode{}
	for _, o := range ds.Organisations {
		listSize[o.ODS] = o.ListSize
		for _, s := range o.Sites {
			sites[s.ODS] = o.ODS
		}
	}

	seen := map[pcnhub.NHSNumber]bool{}
	active := map[pcnhub.ODSCode]int{}
	preferBranch := map[pcnhub.ODSCode]int{}
	var total, inactive, deceased, children, over80, adults2070, elderly int
	var sensitive, dissent, transit, nonEnglish, interpreter, withEmail, flats int
	languages := map[string]int{}
	households := map[string]int{}
	homePhone := map[string]string{}
	var people []pcnhub.Person // expected register entries for the PCN's patients
	for ods, p := range ds.Patients {
		if _, ok := listSize[ods]; !ok || ods[0] != 'A' {
			t.Fatalf("patient %s held by %s, not a demo practice", p.NHSNumber, ods)
		}
		checkPatient(t, ods, p, sites)
		if seen[p.NHSNumber] {
			t.Errorf("NHS number %s used twice", p.NHSNumber)
		}
		seen[p.NHSNumber] = true
		total++
		gp := ods
		if p.Registration.Status == pcnhub.RegActive {
			active[ods]++
			if p.Registration.PreferredBranch != ods+"0" {
				preferBranch[ods]++
			}
		} else {
			inactive++
			gp = ""
			if p.Deceased() {
				deceased++
			}
		}
		people = append(people, pcnhub.Person{NHSNumber: p.NHSNumber, Name: p.Name, BirthDate: p.BirthDate, Gender: p.Gender,
			Address: p.Address, Telecom: p.Telecom, GPPractice: gp, Sensitive: p.Sensitive, DeceasedDate: p.DeceasedDate})
		age := p.BirthDate.AgeOn(ReferenceDate)
		switch {
		case age < 16:
			children++
		case age >= 80:
			over80++
		}
		if age >= 20 && age < 70 {
			adults2070++
		}
		if age >= 70 {
			elderly++
		}
		if p.Sensitive {
			sensitive++
		}
		if p.DissentFromSharing {
			dissent++
		}
		if p.InTransit {
			transit++
		}
		if p.Language != "en" {
			nonEnglish++
			languages[p.Language]++
		}
		if p.InterpreterRequired {
			interpreter++
		}
		for _, c := range p.Telecom {
			if c.System == "email" {
				withEmail++
			}
		}
		if len(p.Address.Lines) > 1 {
			flats++
		}
		addr := strings.Join(p.Address.Lines, ", ") + ", " + p.Address.Postcode
		households[addr]++
		if p.Registration.Status == pcnhub.RegActive {
			// One household per address within a practice: they share
			// the home phone (or lack of one).
			home := "none"
			for _, c := range p.Telecom {
				if c.Use == "home" && c.System == "phone" {
					home = c.Value
				}
			}
			key := string(ods) + "|" + addr
			if prev, ok := homePhone[key]; ok && prev != home {
				t.Errorf("%s: two households at %s (home phones %s and %s)", ods, addr, prev, home)
			}
			homePhone[key] = home
		}
	}

	for ods, want := range listSize {
		if got := active[ods]; got != want {
			t.Errorf("%s: %d active patients, want ListSize %d", ods, got, want)
		}
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(total) }
	t.Logf("%d patients (%d inactive, %d deceased); children under 16 %.1f%%, over 80 %.1f%%, 20–69 %.1f%%, 70+ %.1f%%",
		total, inactive, deceased, pct(children), pct(over80), pct(adults2070), pct(elderly))
	t.Logf("sensitive %d, dissent %d, in transit %d, non-English %d %v, interpreter %d, e-mail %d, flats %d, addresses %d",
		sensitive, dissent, transit, nonEnglish, languages, interpreter, withEmail, flats, len(households))
	if c := pct(children); c < 15 || c > 25 {
		t.Errorf("children under 16: %.1f%%, want 15–25%%", c)
	}
	if o := pct(over80); o >= 8 {
		t.Errorf("over-80s: %.1f%%, want under 8%%", o)
	}
	if adults2070 <= 2*elderly {
		t.Errorf("%d adults aged 20–69 and %d aged 70+: want many more adults", adults2070, elderly)
	}
	within := func(name string, n int, lo, hi float64) {
		if p := pct(n); p < lo || p > hi {
			t.Errorf("%s: %d (%.2f%%), want %.2f–%.2f%%", name, n, p, lo, hi)
		}
	}
	within("inactive registrations", inactive, 0.2, 0.4)
	within("sensitive", sensitive, 0.15, 0.5)
	within("dissent from sharing", dissent, 0.08, 0.35)
	within("in transit", transit, 0.03, 0.2)
	within("non-English main language", nonEnglish, 2, 15)
	if deceased == 0 || deceased == inactive {
		t.Errorf("%d of %d inactive registrations are deceased, want some but not all", deceased, inactive)
	}
	for _, l := range []string{"bn", "ur", "pl", "pa", "gu", "ro", "ar"} {
		if languages[l] == 0 {
			t.Errorf("no patient speaks %q", l)
		}
	}
	if interpreter == 0 || interpreter >= nonEnglish {
		t.Errorf("%d need an interpreter out of %d non-English speakers", interpreter, nonEnglish)
	}
	for _, o := range ds.Organisations {
		if len(o.Sites) == 2 && preferBranch[o.ODS] == 0 {
			t.Errorf("%s: no patient prefers its branch surgery", o.ODS)
		}
	}
	// Families share a home: there are clearly fewer addresses than patients.
	if len(households) > total*9/10 || len(households) < total/5 {
		t.Errorf("%d addresses for %d patients", len(households), total)
	}

	// People: every patient, in the same order, then 300 more.
	i, unregistered, outOfArea := 0, 0, 0
	for p := range ds.People {
		if i < len(people) {
			if !reflect.DeepEqual(p, people[i]) {
				t.Fatalf("person %d:\n got %+v\nwant %+v", i, p, people[i])
			}
			i++
			continue
		}
		i++
		if _, err := pcnhub.ParseNHSNumber(string(p.NHSNumber)); err != nil || !p.NHSNumber.IsTestRange() {
			t.Errorf("person %s: %v", p.NHSNumber, err)
		}
		if seen[p.NHSNumber] {
			t.Errorf("NHS number %s used twice", p.NHSNumber)
		}
		seen[p.NHSNumber] = true
		if !p.BirthDate.Before(ReferenceDate) || !postcodeRE.MatchString(p.Address.Postcode) {
			t.Errorf("person %s: born %v, postcode %q", p.NHSNumber, p.BirthDate, p.Address.Postcode)
		}
		switch p.GPPractice {
		case "":
			unregistered++
		case "B99999":
			outOfArea++
		default:
			t.Errorf("person %s: GP practice %s, want none or B99999", p.NHSNumber, p.GPPractice)
		}
	}
	if i != len(people)+300 {
		t.Errorf("got %d people, want %d patients + 300", i, len(people))
	}
	if unregistered != 150 || outOfArea != 150 {
		t.Errorf("%d unregistered and %d out-of-area people, want 150 and 150", unregistered, outOfArea)
	}
}

func TestNameLists(t *testing.T) {
	male, female, family := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, g := range groups {
		for era := range 3 {
			for _, n := range g.male[era] {
				male[n] = true
			}
			for _, n := range g.female[era] {
				female[n] = true
			}
		}
		for i := range g.family {
			family[g.family[i]] = true
			family[g.familyFemale[i]] = true
		}
	}
	for _, n := range bangladeshiFemaleFamily {
		family[n] = true
	}
	if len(male) < 100 || len(female) < 100 || len(family) < 150 {
		t.Errorf("got %d male, %d female given names and %d family names; want 100, 100, 150", len(male), len(female), len(family))
	}
	for _, want := range []string{"Smith", "Jones", "Khan", "Patel", "Begum", "Nowak", "Okafor", "Kaur", "Murphy"} {
		if !family[want] {
			t.Errorf("family name %s is missing", want)
		}
	}
	if len(streets) < 75 || len(streets) > 85 {
		t.Errorf("got %d streets, want about 80", len(streets))
	}
}

func TestDayNumbers(t *testing.T) {
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 60_000; d += 7 {
		tm := start.AddDate(0, 0, d)
		want := pcnhub.DateOf(tm)
		z := int(tm.Unix() / 86400)
		if got := dateOfDay(z); got != want {
			t.Fatalf("dateOfDay(%d) = %v, want %v", z, got, want)
		}
		if got := dayNumber(want); got != z {
			t.Fatalf("dayNumber(%v) = %d, want %d", want, got, z)
		}
		if got, want := weekday(z), int(tm.Weekday()); got != want {
			t.Fatalf("weekday(%v) = %d, want %d", tm, got, want)
		}
	}
}

func BenchmarkPatients(b *testing.B) {
	const n = 100_000
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for p := range Patients(42, n, 999_000_000, "A999910") {
			if p.NHSNumber != "" {
				count++
			}
		}
		if count != n {
			b.Fatalf("got %d patients, want %d", count, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "patients/s")
}
