package assurance

// Conformance checks of the data set against Part A of the assurance
// reference (feature/1.6.0 map). The expected values are written out as
// literals from the reference, not taken from the package's constants, so
// that a wrong constant fails here.

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/seed"
)

type patientRow struct {
	org pcnhub.ODSCode
	p   pcnhub.Patient
}

func collectPatients(t *testing.T, d seed.Dataset) []patientRow {
	t.Helper()
	var out []patientRow
	for org, p := range d.Patients {
		out = append(out, patientRow{org, p})
	}
	return out
}

func collectPeople(t *testing.T, d seed.Dataset) []pcnhub.Person {
	t.Helper()
	var out []pcnhub.Person
	for p := range d.People {
		out = append(out, p)
	}
	return out
}

func patientByNumber(t *testing.T, rows []patientRow, n string) (patientRow, bool) {
	t.Helper()
	for _, r := range rows {
		if string(r.p.NHSNumber) == n {
			return r, true
		}
	}
	return patientRow{}, false
}

func personByNumber(people []pcnhub.Person, n string) (pcnhub.Person, bool) {
	for _, p := range people {
		if string(p.NHSNumber) == n {
			return p, true
		}
	}
	return pcnhub.Person{}, false
}

func TestName(t *testing.T) {
	if got, want := Dataset().Name, "assurance"; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
}

func TestOrganisations(t *testing.T) {
	type want struct {
		hosted  bool
		typ     pcnhub.OrgType
		asid    pcnhub.ASID
		subtype string
		name    string
		sites   []pcnhub.ODSCode
	}
	wants := map[pcnhub.ODSCode]want{
		"B82617":   {true, pcnhub.OrgGPPractice, "918999198738", "", "", []pcnhub.ODSCode{"Z26556"}},
		"R1A14":    {true, pcnhub.OrgGPPractice, "918999198738", "", "", []pcnhub.ODSCode{"Z33432", "Z99899"}},
		"X12345":   {true, pcnhub.OrgGPPractice, "918999198738", "", "", []pcnhub.ODSCode{"Z33433"}},
		"GPCA0001": {false, pcnhub.OrgUrgentCare, "200000000359", "Assurance test consumer", "GP Connect Assurance", nil},
	}
	orgs := Dataset().Organisations
	if got := len(orgs); got != len(wants) {
		t.Errorf("%d organisations, want %d", got, len(wants))
	}
	seen := map[pcnhub.ODSCode]bool{}
	for _, o := range orgs {
		if seen[o.ODS] {
			t.Errorf("organisation %s appears twice", o.ODS)
		}
		seen[o.ODS] = true
		w, ok := wants[o.ODS]
		if !ok {
			t.Errorf("unexpected organisation %q", o.ODS)
			continue
		}
		if err := o.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v", o.ODS, err)
		}
		if got, err := pcnhub.ParseODSCode(string(o.ODS)); err != nil || got != o.ODS {
			t.Errorf("%s: ODS code not in canonical (trimmed) form: %q, %v", o.ODS, got, err)
		}
		if o.Hosted != w.hosted {
			t.Errorf("%s: Hosted = %v, want %v", o.ODS, o.Hosted, w.hosted)
		}
		if o.Type != w.typ {
			t.Errorf("%s: Type = %q, want %q", o.ODS, o.Type, w.typ)
		}
		if o.ASID != w.asid {
			t.Errorf("%s: ASID = %q, want %q", o.ODS, o.ASID, w.asid)
		}
		if o.Subtype != w.subtype {
			t.Errorf("%s: Subtype = %q, want %q", o.ODS, o.Subtype, w.subtype)
		}
		if w.name != "" && o.Name != w.name {
			t.Errorf("%s: Name = %q, want %q", o.ODS, o.Name, w.name)
		}
		var sites []pcnhub.ODSCode
		for _, s := range o.Sites {
			sites = append(sites, s.ODS)
			if s.Name == "" || s.Address.IsZero() {
				t.Errorf("%s: site %s has no name or address", o.ODS, s.ODS)
			}
		}
		if !slices.Equal(sites, w.sites) {
			t.Errorf("%s: sites = %v, want %v", o.ODS, sites, w.sites)
		}
		if o.Hosted {
			if o.Address.IsZero() || len(o.Telecom) == 0 || o.ListSize <= 0 || o.ListSizeDate.IsZero() {
				t.Errorf("%s: hosted practice lacks address, phone or list size: %+v", o.ODS, o)
			}
			if !o.ListSizeDate.Before(ReferenceDate) {
				t.Errorf("%s: ListSizeDate %s not before %s", o.ODS, o.ListSizeDate, ReferenceDate)
			}
		}
	}
	// ORG2 is published as "R1A14 " (trailing space): stored trimmed.
	if code, err := pcnhub.ParseODSCode("R1A14 "); err != nil || !seen[code] {
		t.Errorf(`ORG2 "R1A14 " (trimmed %q, %v) is not an organisation`, code, err)
	}
}

func TestGroups(t *testing.T) {
	gs := Dataset().Groups
	if len(gs) != 1 {
		t.Fatalf("%d groups, want 1", len(gs))
	}
	if got, want := gs[0].Name, "Assurance consumers"; got != want {
		t.Errorf("group name = %q, want %q", got, want)
	}
	if got, want := gs[0].Members, []pcnhub.ODSCode{"GPCA0001"}; !slices.Equal(got, want) {
		t.Errorf("group members = %v, want %v", got, want)
	}
}

func TestLocations(t *testing.T) {
	type want struct{ org, site pcnhub.ODSCode }
	wants := map[int64]want{
		1: {"B82617", "Z26556"},
		8: {"R1A14", "Z33432"}, 2: {"R1A14", "Z33432"},
		3: {"X12345", "Z33433"}, 4: {"X12345", "Z33433"}, 5: {"X12345", "Z33433"}, 6: {"X12345", "Z33433"},
		7: {"X12345", "Z33433"}, 9: {"X12345", "Z33433"}, 10: {"X12345", "Z33433"}, 11: {"X12345", "Z33433"},
	}
	d := Dataset()
	sitesOf := map[pcnhub.ODSCode][]pcnhub.ODSCode{}
	for _, o := range d.Organisations {
		for _, s := range o.Sites {
			sitesOf[o.ODS] = append(sitesOf[o.ODS], s.ODS)
		}
	}
	if got := len(d.Locations); got != 11 {
		t.Errorf("%d locations, want 11", got)
	}
	seen := map[int64]bool{}
	names := map[string]bool{}
	perSite := map[pcnhub.ODSCode]int{}
	for _, l := range d.Locations {
		if seen[l.ID] {
			t.Errorf("location id %d appears twice", l.ID)
		}
		seen[l.ID] = true
		w, ok := wants[l.ID]
		if !ok {
			t.Errorf("unexpected location id %d", l.ID)
			continue
		}
		if l.OrgODS != w.org || l.SiteODS != w.site {
			t.Errorf("location %d: org %s site %s, want org %s site %s", l.ID, l.OrgODS, l.SiteODS, w.org, w.site)
		}
		if !slices.Contains(sitesOf[l.OrgODS], l.SiteODS) {
			t.Errorf("location %d: site %s is not a site of %s", l.ID, l.SiteODS, l.OrgODS)
		}
		if l.Name == "" || l.Address.IsZero() {
			t.Errorf("location %d has no name or address", l.ID)
		}
		if names[l.Name] {
			t.Errorf("location name %q is used twice", l.Name)
		}
		names[l.Name] = true
		perSite[l.SiteODS]++
	}
	// LocationLogicalIdentifierMap.csv: SIT1→1, SIT2→8, SIT3→3.
	for id, site := range map[int64]pcnhub.ODSCode{1: "Z26556", 8: "Z33432", 3: "Z33433"} {
		if !seen[id] || wants[id].site != site {
			t.Errorf("mapped location %d of site %s is missing", id, site)
		}
	}
	if got, want := perSite, (map[pcnhub.ODSCode]int{"Z26556": 1, "Z33432": 2, "Z33433": 8}); !reflect.DeepEqual(got, want) {
		t.Errorf("locations per site = %v, want %v", got, want)
	}
}

func TestPractitioners(t *testing.T) {
	type want struct {
		sds   string
		roles int
	}
	wants := map[int64]want{
		1: {"G13579135", 0},
		2: {"G11111116", 1},
		3: {"G22345655", 2},
		4: {"G22222226", 1},
		5: {"G22222226", 1},
	}
	ps := Dataset().Practitioners
	if got := len(ps); got != len(wants) {
		t.Errorf("%d practitioners, want %d", got, len(wants))
	}
	seen := map[int64]bool{}
	roleIDs := map[string]bool{}
	bySDS := map[string]int{}
	for _, p := range ps {
		if seen[p.ID] {
			t.Errorf("practitioner id %d appears twice", p.ID)
		}
		seen[p.ID] = true
		w, ok := wants[p.ID]
		if !ok {
			t.Errorf("unexpected practitioner id %d", p.ID)
			continue
		}
		bySDS[p.SDSUserID]++
		if p.OrgODS != "B82617" {
			t.Errorf("practitioner %d: organisation %s, want B82617", p.ID, p.OrgODS)
		}
		if p.SDSUserID != w.sds {
			t.Errorf("practitioner %d: SDS user id %q, want %q", p.ID, p.SDSUserID, w.sds)
		}
		if len(p.RoleProfileIDs) != w.roles {
			t.Errorf("practitioner %d: %d role profile ids, want %d", p.ID, len(p.RoleProfileIDs), w.roles)
		}
		for _, r := range p.RoleProfileIDs {
			if len(r) != 12 || strings.Trim(r, "0123456789") != "" {
				t.Errorf("practitioner %d: role profile id %q is not 12 digits", p.ID, r)
			}
			if roleIDs[r] {
				t.Errorf("role profile id %q is used twice", r)
			}
			roleIDs[r] = true
		}
		if p.JobRoleCode != "R0260" {
			t.Errorf("practitioner %d: job role %q, want R0260", p.ID, p.JobRoleCode)
		}
		if p.Name.Prefix != "Dr" || len(p.Name.Given) == 0 || p.Name.Family == "" {
			t.Errorf("practitioner %d: name %+v, want Dr with given and family names", p.ID, p.Name)
		}
		if p.Gender != pcnhub.GenderFemale && p.Gender != pcnhub.GenderMale {
			t.Errorf("practitioner %d: gender %q", p.ID, p.Gender)
		}
	}
	if got := bySDS["G22222226"]; got != 2 {
		t.Errorf("G22222226 on %d practitioners, want 2 (multiple results)", got)
	}
}

// The 1.5/1.6 column of Data/NHSNoMap.csv and each condition.
type condition int

const (
	plain condition = iota
	sensitive
	superseded
	merged
	inTransit
	notOnPDS
	dissent
	deceased
	inactive
)

var patientMap = []struct {
	symbol string
	nhs    string
	cond   condition
}{
	{"patient1", "9690937278", plain},
	{"patient2", "9690937286", plain},
	{"patient3", "9690937294", plain},
	{"patient4", "9690937308", plain},
	{"patient5", "9690937375", plain},
	{"patient6", "9690937383", plain},
	{"patient7", "9690937391", plain},
	{"patient8", "9690937405", plain},
	{"patient9", "9690938533", sensitive},
	{"patient10", "9690938541", sensitive},
	{"patient11", "9690938622", superseded},
	{"patient12", "9690938614", merged},
	{"patient13", "9690938096", inTransit},
	{"patient14", "9476718943", notOnPDS},
	{"patient15", "9690938576", dissent},
	{"patient16", "9690938118", plain},
	{"patient17", "9690938126", plain},
	{"patient18", "9690938681", deceased},
	{"patientNoAppointments", "9690938134", plain},
	{"patient21", "9690938142", inactive},
}

func TestPatients(t *testing.T) {
	rows := collectPatients(t, Dataset())
	if got := len(rows); got != len(patientMap) {
		t.Errorf("%d patients, want %d", got, len(patientMap))
	}
	seen := map[pcnhub.NHSNumber]bool{}
	for _, r := range rows {
		if seen[r.p.NHSNumber] {
			t.Errorf("patient %s appears twice", r.p.NHSNumber)
		}
		seen[r.p.NHSNumber] = true
		if n, err := pcnhub.ParseNHSNumber(string(r.p.NHSNumber)); err != nil || n != r.p.NHSNumber {
			t.Errorf("patient NHS number %q: %v", r.p.NHSNumber, err)
		}
	}
	for _, m := range patientMap {
		t.Run(m.symbol, func(t *testing.T) {
			if _, err := pcnhub.ParseNHSNumber(m.nhs); err != nil {
				t.Fatalf("%s %s: %v", m.symbol, m.nhs, err)
			}
			r, ok := patientByNumber(t, rows, m.nhs)
			if !ok {
				t.Fatalf("%s %s is not a patient", m.symbol, m.nhs)
			}
			p := r.p
			if r.org != "B82617" {
				t.Errorf("held by %s, want B82617", r.org)
			}
			if p.Name.Family == "" || len(p.Name.Given) == 0 || p.Name.Prefix == "" {
				t.Errorf("name %+v lacks family, given or prefix", p.Name)
			}
			if p.BirthDate.IsZero() || !p.BirthDate.Before(ReferenceDate) {
				t.Errorf("birth date %s", p.BirthDate)
			}
			if p.Gender != pcnhub.GenderFemale && p.Gender != pcnhub.GenderMale {
				t.Errorf("gender %q", p.Gender)
			}
			if len(p.Address.Lines) == 0 || p.Address.Postcode == "" {
				t.Errorf("address %+v", p.Address)
			}
			if len(p.Telecom) == 0 || p.Telecom[0].System != "phone" || p.Telecom[0].Value == "" {
				t.Errorf("telecom %+v", p.Telecom)
			}
			if p.Language != "en" {
				t.Errorf("language %q, want en", p.Language)
			}
			if p.Registration.Type != pcnhub.RegGMS {
				t.Errorf("registration type %q, want GMS", p.Registration.Type)
			}
			if p.Registration.Start.IsZero() || p.Registration.Start.Before(p.BirthDate) || !p.Registration.Start.Before(ReferenceDate) {
				t.Errorf("registration start %s (born %s)", p.Registration.Start, p.BirthDate)
			}

			wantStatus := pcnhub.RegActive
			if m.cond == deceased || m.cond == inactive {
				wantStatus = pcnhub.RegInactive
			}
			if p.Registration.Status != wantStatus {
				t.Errorf("registration status %q, want %q", p.Registration.Status, wantStatus)
			}
			if wantStatus == pcnhub.RegActive && !p.Registration.End.IsZero() {
				t.Errorf("active registration has end date %s", p.Registration.End)
			}
			if got, want := p.Sensitive, m.cond == sensitive; got != want {
				t.Errorf("Sensitive = %v, want %v", got, want)
			}
			if got, want := p.SupersededBy != "", m.cond == superseded; got != want {
				t.Errorf("SupersededBy = %q, want set: %v", p.SupersededBy, want)
			}
			if got, want := p.MergedInto != "", m.cond == merged; got != want {
				t.Errorf("MergedInto = %q, want set: %v", p.MergedInto, want)
			}
			if got, want := p.InTransit, m.cond == inTransit; got != want {
				t.Errorf("InTransit = %v, want %v", got, want)
			}
			if got, want := p.DissentFromSharing, m.cond == dissent; got != want {
				t.Errorf("DissentFromSharing = %v, want %v", got, want)
			}
			if got, want := p.Deceased(), m.cond == deceased; got != want {
				t.Errorf("Deceased() = %v, want %v", got, want)
			}
			switch m.cond {
			case superseded, merged:
				to := p.SupersededBy + p.MergedInto
				if n, err := pcnhub.ParseNHSNumber(string(to)); err != nil || n != to || !to.IsTestRange() {
					t.Errorf("new number %q must be a valid 999-range NHS number (%v)", to, err)
				}
				if _, ok := patientByNumber(t, rows, string(to)); ok {
					t.Errorf("new number %s is also a patient", to)
				}
			case deceased:
				if p.Registration.End.IsZero() || p.Registration.End.Before(p.BirthDate) || p.DeceasedDate.Before(p.BirthDate) || !p.DeceasedDate.Before(ReferenceDate) {
					t.Errorf("deceased %s, registration end %s, born %s", p.DeceasedDate, p.Registration.End, p.BirthDate)
				}
			case inactive:
				if !p.Registration.End.IsZero() && p.Registration.End.Before(p.Registration.Start) {
					t.Errorf("registration ends %s before it starts %s", p.Registration.End, p.Registration.Start)
				}
			}
		})
	}
	if a, b := mustPatient(t, rows, "9690938622").SupersededBy, mustPatient(t, rows, "9690938614").MergedInto; a == b {
		t.Errorf("patient11's new number and patient12's merge target are both %s", a)
	}
}

func mustPatient(t *testing.T, rows []patientRow, n string) pcnhub.Patient {
	t.Helper()
	r, ok := patientByNumber(t, rows, n)
	if !ok {
		t.Fatalf("%s is not a patient", n)
	}
	return r.p
}

// RandomPatientSteps.cs draws "any normal patient" from patients 1–8, 13,
// 16 and 17: each must be present and traceable on the People register.
func TestRandomNormalPatients(t *testing.T) {
	d := Dataset()
	rows, people := collectPatients(t, d), collectPeople(t, d)
	for _, n := range []string{
		"9690937278", "9690937286", "9690937294", "9690937308", "9690937375", "9690937383",
		"9690937391", "9690937405", "9690938096", "9690938118", "9690938126",
	} {
		p := mustPatient(t, rows, n)
		if p.Registration.Status != pcnhub.RegActive || p.Deceased() || p.Sensitive {
			t.Errorf("%s is not a normal patient: %+v", n, p)
		}
		if _, ok := personByNumber(people, n); !ok {
			t.Errorf("%s is not on the People register", n)
		}
	}
}

func TestPatientPeople(t *testing.T) {
	d := Dataset()
	rows, people := collectPatients(t, d), collectPeople(t, d)
	if _, ok := personByNumber(people, "9476718943"); ok {
		t.Errorf("patient14 9476718943 is on the People register; it must not be on PDS")
	}
	for _, m := range patientMap {
		if m.cond == notOnPDS {
			continue
		}
		p := mustPatient(t, rows, m.nhs)
		person, ok := personByNumber(people, m.nhs)
		if !ok {
			t.Errorf("%s %s is not on the People register", m.symbol, m.nhs)
			continue
		}
		if !reflect.DeepEqual(person.Name, p.Name) || person.BirthDate != p.BirthDate || person.Gender != p.Gender ||
			!reflect.DeepEqual(person.Address, p.Address) || !reflect.DeepEqual(person.Telecom, p.Telecom) {
			t.Errorf("%s: person %+v differs from patient %+v", m.symbol, person, p)
		}
		wantGP := pcnhub.ODSCode("B82617")
		if m.cond == deceased {
			wantGP = ""
		}
		if person.GPPractice != wantGP {
			t.Errorf("%s: GPPractice %q, want %q", m.symbol, person.GPPractice, wantGP)
		}
		if person.Sensitive != p.Sensitive || person.DeceasedDate != p.DeceasedDate {
			t.Errorf("%s: Sensitive/DeceasedDate %v/%s, patient %v/%s", m.symbol, person.Sensitive, person.DeceasedDate, p.Sensitive, p.DeceasedDate)
		}
		if person.Invalidated {
			t.Errorf("%s: person is invalidated", m.symbol)
		}
		if m.cond == superseded {
			if person.SupersededBy == "" || person.SupersededBy != p.SupersededBy {
				t.Errorf("%s: person SupersededBy %q, patient %q", m.symbol, person.SupersededBy, p.SupersededBy)
			}
			next, ok := personByNumber(people, string(p.SupersededBy))
			if !ok {
				t.Errorf("%s: no person holds the new number %s", m.symbol, p.SupersededBy)
				continue
			}
			if next.SupersededBy != "" || next.GPPractice != "B82617" || !reflect.DeepEqual(next.Name, p.Name) ||
				next.BirthDate != p.BirthDate || next.Gender != p.Gender {
				t.Errorf("%s: successor %+v does not carry the same demographics", m.symbol, next)
			}
		} else if person.SupersededBy != "" {
			t.Errorf("%s: person SupersededBy %q", m.symbol, person.SupersededBy)
		}
	}
}

func TestRegisterPatients(t *testing.T) {
	first, last := RegisterPatientRange()
	if first != "9651258500" || last != "9651260246" {
		t.Fatalf("RegisterPatientRange() = %s, %s, want 9651258500, 9651260246", first, last)
	}
	// Every valid number in the inclusive range, by brute force.
	var want []pcnhub.NHSNumber
	for n := 9651258500; n <= 9651260246; n++ {
		if v, err := pcnhub.ParseNHSNumber(strconv.Itoa(n)); err == nil {
			want = append(want, v)
		}
	}
	if len(want) < 158 {
		t.Fatalf("only %d valid numbers in the range; RegisterPatients.csv has 158", len(want))
	}

	d := Dataset()
	rows, people := collectPatients(t, d), collectPeople(t, d)
	var got []pcnhub.NHSNumber
	dobs := map[pcnhub.Date]bool{}
	for _, p := range people {
		if p.NHSNumber < first || p.NHSNumber > last {
			continue
		}
		got = append(got, p.NHSNumber)
		if _, err := pcnhub.ParseNHSNumber(string(p.NHSNumber)); err != nil {
			t.Errorf("register person %s: %v", p.NHSNumber, err)
		}
		if p.GPPractice != "" {
			t.Errorf("register person %s has GP practice %s", p.NHSNumber, p.GPPractice)
		}
		if p.Name.Family == "" || len(p.Name.Given) == 0 || p.BirthDate.IsZero() || !p.BirthDate.Before(ReferenceDate) ||
			(p.Gender != pcnhub.GenderFemale && p.Gender != pcnhub.GenderMale) {
			t.Errorf("register person %s lacks demographics: %+v", p.NHSNumber, p)
		}
		if p.Sensitive || !p.DeceasedDate.IsZero() || p.SupersededBy != "" || p.Invalidated {
			t.Errorf("register person %s must be plainly registrable: %+v", p.NHSNumber, p)
		}
		if err := (pcnhub.TraceQuery{Family: p.Name.Family, BirthDate: p.BirthDate}).Validate(); err != nil {
			t.Errorf("register person %s is not traceable: %v", p.NHSNumber, err)
		}
		if dobs[p.BirthDate] {
			t.Errorf("register person %s shares birth date %s", p.NHSNumber, p.BirthDate)
		}
		dobs[p.BirthDate] = true
		if _, ok := patientByNumber(t, rows, string(p.NHSNumber)); ok {
			t.Errorf("register person %s is a patient; it must be absent from the provider", p.NHSNumber)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("register people = %d numbers, want every valid number in range (%d)", len(got), len(want))
	}
	if len(got) != 159 {
		t.Errorf("%d register people, want 159", len(got))
	}
	for _, r := range rows {
		if r.p.NHSNumber >= first && r.p.NHSNumber <= last {
			t.Errorf("patient %s (%s) is in the register range", r.p.NHSNumber, r.org)
		}
	}
}

func TestPeopleValidAndUnique(t *testing.T) {
	people := collectPeople(t, Dataset())
	seen := map[pcnhub.NHSNumber]bool{}
	for _, p := range people {
		if n, err := pcnhub.ParseNHSNumber(string(p.NHSNumber)); err != nil || n != p.NHSNumber {
			t.Errorf("person NHS number %q: %v", p.NHSNumber, err)
		}
		if seen[p.NHSNumber] {
			t.Errorf("person %s appears twice", p.NHSNumber)
		}
		seen[p.NHSNumber] = true
		if p.SupersededBy != "" {
			if _, err := pcnhub.ParseNHSNumber(string(p.SupersededBy)); err != nil {
				t.Errorf("person %s superseded by invalid %q", p.NHSNumber, p.SupersededBy)
			}
		}
	}
	// 19 patients on PDS + patient11's new number + 159 register patients.
	if got, want := len(people), 19+1+159; got != want {
		t.Errorf("%d people, want %d", got, want)
	}
}

// Identifiers that Part A says must not exist, anywhere.
func TestMustNotExist(t *testing.T) {
	d := Dataset()
	const (
		notInSystem = "9999999999"
		invOrg      = "INVOC1"
		invSite     = "INVSC1"
		invSDS      = "G99999999"
	)
	codes := map[pcnhub.ODSCode]bool{invOrg: true, invSite: true}
	for _, o := range d.Organisations {
		if codes[o.ODS] || codes[o.PCN] {
			t.Errorf("organisation %s / PCN %s must not exist", o.ODS, o.PCN)
		}
		for _, s := range o.Sites {
			if codes[s.ODS] {
				t.Errorf("site %s must not exist", s.ODS)
			}
		}
	}
	for _, g := range d.Groups {
		for _, m := range g.Members {
			if codes[m] {
				t.Errorf("group member %s must not exist", m)
			}
		}
	}
	for _, l := range d.Locations {
		if codes[l.OrgODS] || codes[l.SiteODS] {
			t.Errorf("location %d refers to %s/%s", l.ID, l.OrgODS, l.SiteODS)
		}
	}
	for _, p := range d.Practitioners {
		if p.SDSUserID == invSDS || codes[p.OrgODS] {
			t.Errorf("practitioner %d: %s at %s must not exist", p.ID, p.SDSUserID, p.OrgODS)
		}
	}
	for org, p := range d.Patients {
		if codes[org] || codes[p.Registration.PreferredBranch] {
			t.Errorf("patient %s refers to %s/%s", p.NHSNumber, org, p.Registration.PreferredBranch)
		}
		if p.NHSNumber == notInSystem || p.SupersededBy == notInSystem || p.MergedInto == notInSystem {
			t.Errorf("patient %s refers to %s", p.NHSNumber, notInSystem)
		}
	}
	for p := range d.People {
		if p.NHSNumber == notInSystem || p.SupersededBy == notInSystem {
			t.Errorf("person %s refers to %s", p.NHSNumber, notInSystem)
		}
		if codes[p.GPPractice] {
			t.Errorf("person %s registered at %s", p.NHSNumber, p.GPPractice)
		}
	}
}

// Every organisation named by a location, practitioner, patient or person
// is one of the data set.
func TestReferencesResolve(t *testing.T) {
	d := Dataset()
	orgs := map[pcnhub.ODSCode]bool{}
	for _, o := range d.Organisations {
		orgs[o.ODS] = true
	}
	for _, g := range d.Groups {
		for _, m := range g.Members {
			if !orgs[m] {
				t.Errorf("group %q: member %s is not an organisation", g.Name, m)
			}
		}
	}
	for _, p := range d.Practitioners {
		if !orgs[p.OrgODS] {
			t.Errorf("practitioner %d: %s is not an organisation", p.ID, p.OrgODS)
		}
	}
	for org, p := range d.Patients {
		if !orgs[org] {
			t.Errorf("patient %s: %s is not an organisation", p.NHSNumber, org)
		}
	}
	for p := range d.People {
		if p.GPPractice != "" && !orgs[p.GPPractice] {
			t.Errorf("person %s: %s is not an organisation", p.NHSNumber, p.GPPractice)
		}
	}
}

type snapshot struct {
	Name          string
	Organisations []pcnhub.Organisation
	Groups        []pcnhub.OrganisationGroup
	Practitioners []seed.Practitioner
	Locations     []seed.Location
	Patients      []patientRow
	People        []pcnhub.Person
}

func snap(t *testing.T, d seed.Dataset) snapshot {
	t.Helper()
	return snapshot{d.Name, d.Organisations, d.Groups, d.Practitioners, d.Locations, collectPatients(t, d), collectPeople(t, d)}
}

func TestDeterministic(t *testing.T) {
	d1, d2 := Dataset(), Dataset()
	a, b := snap(t, d1), snap(t, d2)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls of Dataset() differ")
	}
	// Ranging over the same sequences again yields the same values.
	if c := snap(t, d1); !reflect.DeepEqual(a, c) {
		t.Fatal("ranging over the sequences twice gives different values")
	}
	// Calls do not share mutable data.
	d1.Organisations[0].Sites[0].Name = "changed"
	d1.Practitioners[2].RoleProfileIDs[0] = "changed"
	if reflect.DeepEqual(snap(t, Dataset()), snap(t, d1)) {
		t.Fatal("Dataset() calls share slices")
	}
	if !reflect.DeepEqual(snap(t, Dataset()), b) {
		t.Fatal("changing one data set changed another")
	}
}

func TestSequencesStopEarly(t *testing.T) {
	d := Dataset()
	n := 0
	for range d.Patients {
		n++
		break
	}
	for range d.People {
		n++
		break
	}
	// The register part of People stops too.
	i := 0
	for range d.People {
		i++
		if i == 25 {
			break
		}
	}
	if n != 2 || i != 25 {
		t.Errorf("early stop: n=%d i=%d", n, i)
	}
}
