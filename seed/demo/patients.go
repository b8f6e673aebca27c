package demo

import (
	"iter"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"

	"github.com/pcnhub/pcnhub"
)

// ReferenceDate is the fixed "today" of the data set (2026-10-01): ages,
// registration dates and list-size dates are computed from it.
var ReferenceDate = pcnhub.Date{Year: 2026, Month: 10, Day: 1}

// Patients yields n synthetic patients registered (GMS, active) at a
// practice whose main site is siteODS, with NHS numbers from consecutive
// valid numbers starting at the nine-digit prefix firstPrefix (prefixes with
// no valid check digit are skipped; the sequence ends early if the prefixes
// run past 999999999: the 999 test range holds only 909,091 valid numbers,
// so a million patients need a lower firstPrefix). It is deterministic for
// a given seed and streams: memory does not grow with n.
//
// When siteODS is the main or branch site of a demo practice, most patients
// live in that practice's town; otherwise they are spread over the three
// towns of the district.
func Patients(seed uint64, n int, firstPrefix uint32, siteODS pcnhub.ODSCode) iter.Seq[pcnhub.Patient] {
	return func(yield func(pcnhub.Patient) bool) {
		g := newGenerator(seed, siteODS)
		prefix := firstPrefix
		for range n {
			var nhs pcnhub.NHSNumber
			for {
				if prefix >= 1_000_000_000 {
					return
				}
				var ok bool
				nhs, ok = pcnhub.NHSNumberFromPrefix(prefix)
				prefix++
				if ok {
					break
				}
			}
			p := g.next()
			p.NHSNumber = nhs
			if !yield(p) {
				return
			}
		}
	}
}

// rng is a PCG generator with the few draws the generator needs, called
// directly rather than through rand.Rand's Source interface.
type rng struct{ pcg rand.PCG }

func (r *rng) seed(a, b uint64) { r.pcg.Seed(a, b) }

// intn returns a number in [0, n) (Lemire's multiply-shift; the bias is
// negligible for the small n used here).
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.pcg.Uint64(), uint64(n))
	return int(hi)
}

// permille reports true with probability p/1000.
func (r *rng) permille(p int) bool { return r.intn(1000) < p }

// per10k reports true with probability p/10000.
func (r *rng) per10k(p int) bool { return r.intn(10000) < p }

func (r *rng) pick(l []string) string { return l[r.intn(len(l))] }

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.pcg.Uint64()>>11) / (1 << 53) }

// Age structure of a registered list, after the ONS mid-year estimates for
// England: weights per five-year band (the last band is 95–100).
var ageBands = [...]struct{ lo, hi, weight int }{
	{0, 4, 540}, {5, 9, 600}, {10, 14, 610}, {15, 19, 570}, {20, 24, 600},
	{25, 29, 660}, {30, 34, 690}, {35, 39, 670}, {40, 44, 630}, {45, 49, 640},
	{50, 54, 690}, {55, 59, 680}, {60, 64, 590}, {65, 69, 500}, {70, 74, 500},
	{75, 79, 360}, {80, 84, 240}, {85, 89, 150}, {90, 94, 60}, {95, 100, 15},
}

const maxAge = 100

// ageCum[a] is the cumulative weight of ages 0..a.
var ageCum = func() (c [maxAge + 1]int) {
	t := 0
	for _, b := range ageBands {
		years := b.hi - b.lo + 1
		for a := b.lo; a <= b.hi; a++ {
			t += b.weight * 60 / years // 60 is divisible by 5 and 6
			c[a] = t
		}
	}
	return
}()

// Household roles.
const (
	roleHead = iota
	rolePartner
	roleChild
)

// household is a home shared by several patients: address, landline,
// family name and naming tradition.
type household struct {
	line, flat, postcode, city string
	town                       int
	group                      int
	family                     int // index into groups[group].family
	phone                      int // index into landlines, or -1
	lang                       string
	headAge                    int
	headFemale                 bool
	adults, kids               int
}

const poolSize = 32

// generator makes patients one after another. It keeps a small pool of
// recent households that later patients join as partners or children, so
// that families share an address, a surname and a home phone.
type generator struct {
	r            rng
	site         pcnhub.ODSCode
	home, branch int // towns of the practice's main and branch sites, -1 if unknown
	ref          int // day number of ReferenceDate
	refDate      pcnhub.Date
	pool         [poolSize]household
	filled, slot int
	occupied     []uint64 // bitmap of dwellings given to a household
}

func newGenerator(seed uint64, site pcnhub.ODSCode) *generator {
	g := &generator{site: site, home: -1, branch: -1, refDate: ReferenceDate}
	g.r.seed(seed, 0x9e3779b97f4a7c15^seed<<1)
	g.ref = dayNumber(g.refDate)
	for _, p := range practices {
		if site == p.ods+"0" || (p.branch != nil && site == p.branch.ods) {
			g.home = p.town
			if p.branch != nil {
				g.branch = p.branch.town
			}
			break
		}
	}
	return g
}

func (g *generator) age() int {
	u := g.r.intn(ageCum[maxAge])
	lo, hi := 0, maxAge
	for lo < hi {
		m := (lo + hi) / 2
		if ageCum[m] > u {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// town picks where a new household lives: mostly near the practice.
func (g *generator) town() int {
	r := &g.r
	u := r.intn(100)
	switch {
	case g.home >= 0 && g.branch >= 0 && u < 55:
		return g.home
	case g.home >= 0 && g.branch >= 0 && u < 77:
		return g.branch
	case g.home >= 0 && g.branch < 0 && u < 60:
		return g.home
	}
	// anywhere in the district, in proportion to the towns' sizes
	u = r.intn(numDwellings)
	t := 0
	for u >= len(townDwellings[t]) {
		u -= len(townDwellings[t])
		t++
	}
	return t
}

var flatLabels = func() (l [maxFlats]string) {
	for i := range l {
		l[i] = "Flat " + strconv.Itoa(i+1)
	}
	return
}()

// townOffset[t] is the index of town t's first dwelling in the generator's
// bitmap of occupied dwellings.
var townOffset = func() (o [numTowns]int) {
	n := 0
	for t := range numTowns {
		o[t] = n
		n += len(townDwellings[t])
	}
	return
}()

// dwelling picks a home in town t that this generator has not yet given to
// another household, so that a practice's list does not put two unrelated
// families at one address. Once the town is nearly full (only in very
// large runs) homes are shared.
func (g *generator) dwelling(t int) dwelling {
	if g.occupied == nil {
		g.occupied = make([]uint64, (numDwellings+63)/64)
	}
	ds := townDwellings[t]
	var i int
	for try := 0; try < 40; try++ {
		i = g.r.intn(len(ds))
		k := townOffset[t] + i
		if g.occupied[k/64]&(1<<(k%64)) == 0 {
			g.occupied[k/64] |= 1 << (k % 64)
			break
		}
	}
	return ds[i]
}

// household finds a household for a patient of the given age, joining a
// recent one when that is plausible and starting a new one otherwise.
func (g *generator) household(age int, female bool) (*household, int) {
	r := &g.r
	if g.filled > 0 {
		start := r.intn(g.filled)
		switch {
		case age < 18 && r.permille(950):
			for k := range g.filled {
				h := &g.pool[(start+k)%g.filled]
				if h.kids < 4 && h.headAge >= age+18 && h.headAge <= age+48 {
					h.kids++
					return h, roleChild
				}
			}
		case age >= 18 && r.permille(520):
			for k := range g.filled {
				h := &g.pool[(start+k)%g.filled]
				if h.adults <= 1 && h.headAge >= 18 && h.headAge-age <= 8 && age-h.headAge <= 8 &&
					(h.headFemale != female || r.permille(60)) {
					h.adults++
					return h, rolePartner
				}
			}
		case age >= 18 && age <= 25 && r.permille(450):
			for k := range g.filled {
				h := &g.pool[(start+k)%g.filled]
				if h.kids < 4 && h.adults > 0 && h.headAge >= age+18 && h.headAge <= age+45 {
					h.kids++
					return h, roleChild
				}
			}
		}
	}

	var h *household
	if g.filled < poolSize {
		h = &g.pool[g.filled]
		g.filled++
	} else {
		h = &g.pool[g.slot]
		g.slot = (g.slot + 1) % poolSize
	}
	*h = household{phone: -1, headFemale: female}
	u := r.intn(1000)
	for u >= groupCum[h.group] {
		h.group++
	}
	grp := &groups[h.group]
	h.family = r.intn(len(grp.family))
	switch {
	case grp.familyLang != nil:
		h.lang = grp.familyLang[h.family]
	case grp.langs != nil:
		h.lang = r.pick(grp.langs)
	}
	h.town = g.town()
	d := g.dwelling(h.town)
	st := &streets[d.street()]
	h.line = strconv.Itoa(d.house()) + " " + st.name
	if f := d.flat(); f > 0 {
		h.flat = flatLabels[f-1]
	}
	h.postcode = postcodeOf(d.street(), d.house())
	h.city = townNames[h.town]
	if age < 18 {
		// a child whose parents are registered elsewhere (or not yet)
		h.headAge = age + 22 + r.intn(16)
		h.headFemale = r.permille(500)
		h.kids = 1
	} else {
		h.headAge = age
		h.adults = 1
	}
	landline := 380
	if h.headAge >= 60 {
		landline = 800
	}
	if r.permille(landline) {
		h.phone = homePhoneBase + r.intn(1000-homePhoneBase)
	}
	return h, roleHead
}

func (g *generator) givenName(grp *nameGroup, female bool, era int) string {
	lists := &grp.male
	if female {
		lists = &grp.female
	}
	if grp.borrow > 0 && g.r.permille(grp.borrow) {
		lists = &britishMale
		if female {
			lists = &britishFemale
		}
	}
	return g.r.pick(lists[era])
}

// next returns the next patient, without NHS number.
func (g *generator) next() pcnhub.Patient {
	r := &g.r
	age := g.age()
	female := r.permille(505)
	if age >= 80 {
		female = r.permille(600)
	}
	h, role := g.household(age, female)
	grp := &groups[h.group]

	// Dates.
	birth := g.birthDay(age)
	bd := dateOfDay(birth)
	start := g.registrationDay(age, birth)

	// Name.
	fam := h.family
	if role == rolePartner && r.permille(250) {
		fam = r.intn(len(grp.family)) // keeps their own surname
	}
	family := grp.family[fam]
	if female {
		family = grp.familyFemale[fam]
		if h.group == grpBangladeshi && r.permille(450) {
			family = r.pick(bangladeshiFemaleFamily)
		}
	}
	era := eraOf(bd.Year)
	first := g.givenName(grp, female, era)
	middleRate := 150
	if h.group == grpBritish || h.group == grpIrish || h.group == grpAfrican || h.group == grpCaribbean {
		middleRate = 380
	}
	var given []string
	if r.permille(middleRate) {
		middle := g.givenName(grp, female, era)
		if middle == first {
			given = []string{first}
		} else {
			given = []string{first, middle}
		}
	} else {
		given = []string{first}
	}

	// Language.
	lang := "en"
	interpreter := false
	if h.lang != "" {
		p := grp.nonEnglish
		switch {
		case age < 18:
			p = 30
		case age >= 50:
			p = p * 3 / 2
		}
		if r.permille(p) {
			lang = h.lang
			switch {
			case age >= 60:
				interpreter = r.permille(450)
			case age >= 18:
				interpreter = r.permille(180)
			}
		}
	}

	// Contact details.
	mobile := age >= 13 && r.permille(map80(age, 880, 450))
	email := age >= 16 && r.permille(map80(age, 420, 120))
	n := 0
	if h.phone >= 0 {
		n++
	}
	if mobile {
		n++
	}
	if email {
		n++
	}
	var telecom []pcnhub.ContactPoint
	if n > 0 {
		telecom = make([]pcnhub.ContactPoint, 0, n)
		if h.phone >= 0 {
			telecom = append(telecom, pcnhub.ContactPoint{System: "phone", Use: "home", Value: landlines[h.phone]})
		}
		if mobile {
			telecom = append(telecom, pcnhub.ContactPoint{System: "phone", Use: "mobile", Value: mobiles[r.intn(1000)]})
		}
		if email {
			telecom = append(telecom, pcnhub.ContactPoint{System: "email", Use: "home", Value: emailAddress(first, family, 1+r.intn(99))})
		}
	}

	var lines []string
	if h.flat != "" {
		lines = []string{h.flat, h.line}
	} else {
		lines = []string{h.line}
	}

	p := pcnhub.Patient{
		Name:                pcnhub.HumanName{Prefix: g.title(age, female, role, fam == h.family), Given: given, Family: family},
		BirthDate:           bd,
		Gender:              pcnhub.GenderMale,
		Address:             pcnhub.Address{Lines: lines, City: h.city, District: district, Postcode: h.postcode},
		Telecom:             telecom,
		Language:            lang,
		InterpreterRequired: interpreter,
		Registration: pcnhub.Registration{
			Type:            pcnhub.RegGMS,
			Status:          pcnhub.RegActive,
			PreferredBranch: g.site,
		},
		Sensitive:          r.per10k(30),
		DissentFromSharing: r.per10k(20),
		InTransit:          r.per10k(10),
	}
	if female {
		p.Gender = pcnhub.GenderFemale
	}
	if p.InTransit {
		// a record still on its way by GP2GP: the patient joined this month
		if s := workingDay(g.ref-3-r.intn(25), g.ref); s > birth {
			start = s
		}
	}
	p.Registration.Start = dateOfDay(start)
	return p
}

// map80 returns under if age is under 80, over otherwise.
func map80(age, under, over int) int {
	if age >= 80 {
		return over
	}
	return under
}

// birthDay draws a birth day number for someone aged age on ReferenceDate.
func (g *generator) birthDay(age int) int {
	y, m, d := g.refDate.Year, int(g.refDate.Month), g.refDate.Day
	hi := daysFromCivil(y-age, m, d)       // birthday today
	lo := daysFromCivil(y-age-1, m, d) + 1 // turns age+1 tomorrow… a year on
	if hi > g.ref-10 {
		hi = g.ref - 10 // newborns are at least ten days old
	}
	return lo + g.r.intn(hi-lo+1)
}

// registrationDay draws the day a patient joined the practice: after birth,
// not after ReferenceDate, on a working day.
func (g *generator) registrationDay(age, birth int) int {
	r := &g.r
	last := g.ref - 1
	var s int
	switch {
	case age < 1 || (age < 16 && r.permille(550)):
		// registered as a newborn
		s = birth + 7 + r.intn(50)
	default:
		earliest := birth + 30
		mean := 4.0
		if age >= 18 {
			earliest = daysFromCivil(dateOfDay(birth).Year+16, 1, 1)
			if e := g.ref - 60*365; earliest < e {
				earliest = e
			}
			mean = 9.0
		}
		if earliest > last {
			earliest = last
		}
		d := int(-math.Log(1-r.float()) * mean * 365.25)
		s = last - d
		if s < earliest {
			s = earliest + r.intn(last-earliest+1)
		}
	}
	if s > last {
		s = last
	}
	if s <= birth {
		s = birth + 1
	}
	return workingDay(s, last)
}

// title picks a plausible title; children under 16 usually have none.
func (g *generator) title(age int, female bool, role int, sharesSurname bool) string {
	r := &g.r
	if age >= 28 && r.per10k(40) {
		return "Dr"
	}
	if !female {
		if age < 16 {
			if r.permille(80) {
				return "Master"
			}
			return ""
		}
		return "Mr"
	}
	if age < 16 {
		if r.permille(60) {
			return "Miss"
		}
		return ""
	}
	u := r.intn(100)
	switch {
	case role == rolePartner && sharesSurname && age >= 20:
		if u < 85 {
			return "Mrs"
		}
		return "Ms"
	case age < 25:
		if u < 75 {
			return "Miss"
		}
		return "Ms"
	case age < 45:
		switch {
		case u < 45:
			return "Mrs"
		case u < 75:
			return "Ms"
		}
		return "Miss"
	}
	switch {
	case u < 70:
		return "Mrs"
	case u < 90:
		return "Ms"
	}
	return "Miss"
}

// emailAddress returns given.family{n}@example.com in lower case, letters only.
func emailAddress(given, family string, n int) string {
	b := make([]byte, 0, len(given)+len(family)+16)
	b = appendLowerLetters(b, given)
	b = append(b, '.')
	b = appendLowerLetters(b, family)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, "@example.com"...)
	return string(b)
}

func appendLowerLetters(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z':
			b = append(b, c)
		}
	}
	return b
}
