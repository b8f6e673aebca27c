package demo

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/seed"
)

// Clinical records of the demo patients.
//
// Every demo patient has a GP record generated from their age, sex,
// registration and NHS number (which seeds the generator, so the same
// patient always gets the same record): chronic conditions drawn with
// age- and sex-specific prevalences close to England's QOF registers, the
// repeat medication they call for (authorised at the last annual review,
// issued every 28 or 56 days since), acute courses, allergies, blood
// pressures, weights and smoking status, consultations with topics and
// History/Examination/Plan headings, immunisations (childhood, seasonal
// flu, COVID-19), laboratory investigations, the odd referral, recalls
// due in the future, and a few confidential items.
//
// Dates are relative to ReferenceDate (or to the end of an ended
// registration); consultations cover the last three years (less for
// recent registrations). Conditions that began before the patient joined
// the practice were summarised into the record on the day they joined.
//
// The SNOMED CT concepts are real ones with their UK preferred terms; the
// codes are the ones the assurance seed uses, or that appear in the NHS
// GP Connect demonstrator's structured-record examples, or well-known
// international concepts. Three drugs for which no verified dm+d code is
// to hand are recorded as free text (Code with OriginalText only):
// levothyroxine, beclometasone and apixaban.

func sct(code, display string) record.Code { return record.SNOMEDCode(code, display) }

// freeText is an uncoded entry: the text as recorded, no concept.
func freeText(s string) record.Code { return record.Code{OriginalText: s} }

// Conditions, findings, procedures.
var (
	scHypertension   = sct("38341003", "Hypertensive disorder")
	scAsthma         = sct("195967001", "Asthma")
	scDiabetes       = sct("44054006", "Type 2 diabetes mellitus")
	scCOPD           = sct("13645005", "Chronic obstructive lung disease")
	scHypothyroid    = sct("40930008", "Hypothyroidism")
	scDepression     = sct("35489007", "Depressive disorder")
	scAF             = sct("49436004", "Atrial fibrillation")
	scOsteoarthritis = sct("396275006", "Osteoarthritis")
	scCKD3           = sct("433144002", "Chronic kidney disease stage 3")

	scURTI           = sct("54150009", "Upper respiratory infection")
	scCold           = sct("82272006", "Common cold")
	scLRTI           = sct("50417007", "Lower respiratory tract infection")
	scBronchitis     = sct("10509002", "Acute bronchitis")
	scSinusitis      = sct("36971009", "Sinusitis")
	scOtitisMedia    = sct("65363002", "Otitis media")
	scSoreThroat     = sct("162397003", "Pain in throat")
	scBackPain       = sct("279039007", "Low back pain")
	scKneePain       = sct("30989003", "Knee pain")
	scNeckPain       = sct("81680005", "Neck pain")
	scHeadache       = sct("25064002", "Headache")
	scConjunctivitis = sct("9826008", "Conjunctivitis")
	scTATT           = sct("267032009", "Tired all the time")
	scChestPain      = sct("29857009", "Chest pain")
	scLegSwelling    = sct("449614009", "Swelling of lower limb")
	scIngrowingNail  = sct("400097005", "Ingrowing nail")
	scPlantarFasc    = sct("202882003", "Plantar fasciitis")
	scPostviralCough = sct("445241004", "Postviral cough")
	scCough          = sct("49727002", "Cough")

	scBloodPressure = sct("75367002", "Blood pressure")
	scWeight        = sct("27113001", "Body weight")
	scHeight        = sct("248333004", "Standing height")
	scBMI           = sct("60621009", "Body mass index")
	scTemperature   = sct("703421000", "Temperature")
	scRespRate      = sct("86290005", "Respiratory rate")
	scSats          = sct("442476006", "Arterial oxygen saturation")
	scPulseIrreg    = sct("163000006", "On examination - pulse irregularly irregular")
	scNeverSmoked   = sct("266919005", "Never smoked tobacco")
	scExSmoker      = sct("8517006", "Ex-smoker")
	scSmoker        = sct("77176002", "Smoker")
	scAlcohol       = sct("1082641000000106", "Alcohol units consumed per week")
	scAsthmaCheck   = sct("270442000", "Asthma monitoring check done")
	scMedReview     = sct("182836005", "Review of medication")
	scComment       = sct("37331000000100", "Comment note")
	scFollowUp      = sct("390906007", "Follow-up encounter")

	// Consultation types.
	scSymptomVisit = sct("185345009", "Encounter for symptom")
	scTelephone    = sct("185317003", "Telephone encounter")
	scCheckUp      = sct("185349003", "Encounter for check up")
	scHomeVisit    = sct("439708006", "Home visit")

	// Consultation headings: GP Connect codes every heading List as
	// "Category (EHR)" and names it in its title.
	headHistory     = headingCode("History")
	headExamination = headingCode("Examination")
	headPlan        = headingCode("Plan")
	headProblem     = headingCode("Problem")

	// Laboratory.
	scHbA1c         = sct("999791000000106", "Haemoglobin A1c level - International Federation of Clinical Chemistry and Laboratory Medicine standardised")
	scRenal         = sct("1015971000000100", "Renal function tests")
	scSodium        = sct("1000661000000107", "Serum sodium level")
	scCreatinine    = sct("1000731000000107", "Serum creatinine level")
	scLipids        = sct("1005661000000103", "Serum lipids level")
	scCholesterol   = sct("1005671000000105", "Serum cholesterol level")
	scHDL           = sct("1005681000000107", "Serum high density lipoprotein cholesterol level")
	scLDL           = sct("1022191000000100", "Serum low density lipoprotein cholesterol level")
	scFBC           = sct("26604007", "Full blood count")
	scHaemoglobin   = sct("1022431000000105", "Haemoglobin estimation")
	scPlatelets     = sct("1022651000000100", "Platelet count")
	scWhiteCells    = sct("1022541000000102", "Total white cell count")
	scBloodSpecimen = sct("119297000", "Blood specimen")

	// Allergies.
	scPenicillinAllergy    = sct("91936005", "Allergy to penicillin")
	scAmoxicillinAllergy   = sct("294505008", "Amoxicillin allergy")
	scAspirinReaction      = sct("292044008", "Aspirin adverse reaction")
	scErythromycinReaction = sct("419056004", "Erythromycin adverse reaction")
	scPeanutAllergy        = sct("91935009", "Allergy to peanuts")
	scLatexAllergy         = sct("300916003", "Latex allergy")
	scCatAllergy           = sct("232346004", "Allergy to cat dander")
	scNoKnownAllergy       = sct("716186003", "No known allergy")
	scRash                 = sct("271807003", "Eruption of skin")
	scUrticaria            = sct("126485001", "Urticaria")
	scAngioedema           = sct("41291007", "Angioedema")
	scAnaphylaxis          = sct("39579001", "Anaphylaxis")
	scWheezing             = sct("56018004", "Wheezing")

	// Immunisations.
	scFlu    = sct("822851000000102", "Seasonal influenza vaccination")
	scCovid1 = sct("1324681000000101", "Administration of first dose of severe acute respiratory syndrome coronavirus 2 vaccine")
	scCovid2 = sct("1324691000000104", "Administration of second dose of severe acute respiratory syndrome coronavirus 2 vaccine")
	scMMR    = sct("38598009", "Administration of measles and mumps and rubella vaccine")
	scMenC1  = sct("314414007", "Administration of first dose of meningitis C vaccine")
	scMenC2  = sct("314415008", "Administration of second dose of meningitis C vaccine")
)

func headingCode(title string) record.Code {
	c := sct("24781000000107", "Category (EHR)")
	c.OriginalText = title
	return c
}

// rxDrug is a medicinal product as prescribed.
type rxDrug struct {
	code   record.Code
	dosage string
	qty    string
	unit   string
	supply int // days one issue lasts
}

var (
	rxAmlodipine5      = rxDrug{sct("319283006", "Amlodipine 5mg tablets"), "One tablet once a day", "28", "tablet", 28}
	rxAmlodipine10     = rxDrug{sct("319284000", "Amlodipine 10mg tablets"), "One tablet once a day", "28", "tablet", 28}
	rxRamipril         = rxDrug{sct("408052000", "Ramipril 10mg tablets"), "One tablet once a day", "28", "tablet", 28}
	rxBendro           = rxDrug{sct("317919004", "Bendroflumethiazide 2.5mg tablets"), "One tablet in the morning", "28", "tablet", 28}
	rxAtorvastatin     = rxDrug{sct("39733011000001106", "Atorvastatin 20mg tablets"), "One tablet at night", "28", "tablet", 28}
	rxMetformin        = rxDrug{sct("325278007", "Metformin 500mg tablets"), "One tablet twice a day with meals", "56", "tablet", 28}
	rxMetformin2       = rxDrug{sct("325278007", "Metformin 500mg tablets"), "Two tablets twice a day with meals", "112", "tablet", 28}
	rxSalbutamol       = rxDrug{sct("320176004", "Salbutamol 100micrograms/dose inhaler CFC free"), "Two puffs up to four times a day when required", "1", "inhaler", 60}
	rxBeclometasone    = rxDrug{freeText("Beclometasone 100micrograms/dose inhaler CFC free"), "Two puffs twice a day", "1", "inhaler", 50}
	rxLevothyroxine50  = rxDrug{freeText("Levothyroxine sodium 50microgram tablets"), "One tablet once a day before breakfast", "28", "tablet", 28}
	rxLevothyroxine100 = rxDrug{freeText("Levothyroxine sodium 100microgram tablets"), "One tablet once a day before breakfast", "28", "tablet", 28}
	rxSertraline       = rxDrug{sct("321958001", "Sertraline 50mg tablets"), "One tablet once a day", "28", "tablet", 28}
	rxCitalopram       = rxDrug{sct("321987003", "Citalopram 20mg tablets"), "One tablet once a day", "28", "tablet", 28}
	rxFluoxetine       = rxDrug{sct("321949006", "Fluoxetine 20mg capsules"), "One capsule once a day", "28", "capsule", 28}
	rxBisoprolol       = rxDrug{sct("318591005", "Bisoprolol 10mg tablets"), "Half a tablet once a day", "14", "tablet", 28}
	rxApixaban         = rxDrug{freeText("Apixaban 5mg tablets"), "One tablet twice a day", "56", "tablet", 28}
	rxParacetamol      = rxDrug{sct("322236009", "Paracetamol 500mg tablets"), "Two tablets up to four times a day when required", "100", "tablet", 25}
	rxCocodamol        = rxDrug{sct("3805611000001109", "Co-codamol 15mg/500mg tablets"), "One or two tablets up to four times a day when required", "100", "tablet", 25}

	rxAmoxicillin      = rxDrug{sct("323510009", "Amoxicillin 500mg capsules"), "One capsule three times a day", "15", "capsule", 5}
	rxClarithromycin   = rxDrug{sct("324238009", "Clarithromycin 250mg tablets"), "One tablet twice a day", "14", "tablet", 7}
	rxPrednisolone     = rxDrug{sct("325443009", "Prednisolone 5mg gastro-resistant tablets"), "Six tablets once a day for five days", "30", "tablet", 5}
	rxParacetamolAcute = rxDrug{sct("322236009", "Paracetamol 500mg tablets"), "Two tablets up to four times a day when required", "32", "tablet", 4}
)

// Chronic conditions, in the order they are drawn.
type condition int

const (
	condDiabetes condition = iota
	condHypertension
	condAsthma
	condCOPD
	condHypothyroid
	condDepression
	condAF
	condOsteoarthritis
	condCKD
	numConditions
)

var conditionCodes = [numConditions]record.Code{
	condDiabetes: scDiabetes, condHypertension: scHypertension, condAsthma: scAsthma, condCOPD: scCOPD,
	condHypothyroid: scHypothyroid, condDepression: scDepression, condAF: scAF, condOsteoarthritis: scOsteoarthritis,
	condCKD: scCKD3,
}

// conditionNames name the conditions in recall notes (and tests).
var conditionNames = [numConditions]string{
	condDiabetes: "diabetes", condHypertension: "hypertension", condAsthma: "asthma", condCOPD: "COPD",
	condHypothyroid: "hypothyroidism", condDepression: "depression", condAF: "atrial fibrillation",
	condOsteoarthritis: "osteoarthritis", condCKD: "CKD",
}

// band returns v[i] for the first of the age limits the age is under,
// or the last value.
func band(age int, limits []int, v []int) int {
	for i, l := range limits {
		if age < l {
			return v[i]
		}
	}
	return v[len(v)-1]
}

var decades = []int{18, 30, 40, 50, 60, 70, 80}

// prevalencePermille is the chance, per mille, that a patient of this age
// and sex has the condition, given the conditions drawn before it and
// smoking (0 never, 1 ex, 2 current).
func prevalencePermille(c condition, age int, female bool, has *[numConditions]bool, smoking int) int {
	p := 0
	switch c {
	case condDiabetes:
		p = band(age, decades, []int{0, 4, 15, 45, 95, 150, 190, 170})
		if female {
			p = p * 8 / 10
		} else {
			p = p * 5 / 4
		}
	case condHypertension:
		p = band(age, decades, []int{0, 8, 30, 90, 190, 320, 470, 560})
		if has[condDiabetes] {
			p = p * 3 / 2
		}
	case condAsthma:
		switch {
		case age < 3:
			p = 0
		case age < 18:
			p = 80
		default:
			p = 65
			if female {
				p = 80
			}
		}
	case condCOPD:
		if smoking > 0 {
			p = band(age, []int{40, 50, 60, 70, 80}, []int{0, 20, 60, 100, 150, 160})
		}
	case condHypothyroid:
		p = band(age, []int{18, 40, 60, 80}, []int{1, 20, 60, 110, 130})
		if !female {
			p /= 5
		}
	case condDepression:
		switch {
		case age < 12:
			p = 0
		case age < 18:
			p = 25
		case female:
			p = 180
		default:
			p = 100
		}
	case condAF:
		p = band(age, []int{40, 50, 60, 70, 80}, []int{0, 3, 10, 30, 75, 140})
		if !female {
			p = p * 13 / 10
		}
	case condOsteoarthritis:
		p = band(age, []int{40, 50, 60, 70, 80}, []int{0, 20, 60, 120, 190, 250})
		if female {
			p = p * 13 / 10
		}
	case condCKD:
		p = band(age, []int{40, 60, 70, 80}, []int{0, 10, 35, 100, 230})
		if has[condDiabetes] {
			p *= 2
		} else if has[condHypertension] {
			p = p * 3 / 2
		}
	}
	return min(p, 900)
}

// onsetRange gives the youngest age of onset and the longest duration in
// years of a condition.
var onsetRange = [numConditions]struct{ minAge, maxYears int }{
	condDiabetes: {30, 25}, condHypertension: {25, 30}, condAsthma: {2, 60}, condCOPD: {40, 15},
	condHypothyroid: {18, 30}, condDepression: {14, 25}, condAF: {40, 15}, condOsteoarthritis: {40, 20},
	condCKD: {40, 10},
}

// ---- Staff

// recordStaff are the clinicians of a practice who write in its records.
type recordStaff struct {
	gps, nurses, hcas, pharmacists []record.Clinician
	mainSite, branchSite           string
	branchODS                      pcnhub.ODSCode
}

var recordStaffByPractice = sync.OnceValue(func() map[pcnhub.ODSCode]*recordStaff {
	out := map[pcnhub.ODSCode]*recordStaff{}
	for i := range practices {
		p := &practices[i]
		st := &recordStaff{mainSite: p.name}
		if p.branch != nil {
			st.branchSite, st.branchODS = p.branch.name, p.branch.ods
		}
		out[p.ods] = st
	}
	for _, p := range practitioners() {
		st := out[p.OrgODS]
		if st == nil {
			continue // the hub's staff write no practice records
		}
		name := strings.TrimSpace(p.Name.Prefix + " " + strings.Join(p.Name.Given, " ") + " " + p.Name.Family)
		c := record.Clinician{PractitionerID: p.SDSUserID, OrganisationODS: p.OrgODS, Name: name}
		switch p.JobRoleCode {
		case roleGP, roleRegistrar, roleSessional:
			st.gps = append(st.gps, c)
		case roleNurse:
			st.nurses = append(st.nurses, c)
		case roleHCA:
			st.hcas = append(st.hcas, c)
		case rolePharmacist:
			st.pharmacists = append(st.pharmacists, c)
		}
	}
	return out
})

// ---- The generator

// id prefixes, one counter each.
const (
	kAllergy = iota
	kMedication
	kProblem
	kConsultation
	kObservation
	kImmunisation
	kInvestigation
	kResult
	kReferral
	kDiary
	numKinds
)

var kindPrefix = [numKinds]string{"all", "med", "prb", "con", "obs", "imm", "inv", "res", "ref", "dia"}

type recProblem struct {
	has    bool
	onset  int // day number
	active bool
	abate  int // day number the problem ended, if inactive
	idx    int // index in rec.Problems
}

// recGen builds one patient's record.
type recGen struct {
	r           rng
	rec         record.Record
	st          *recordStaff
	female      bool
	age         int
	birth       int
	reg         int
	end         int // last day of the record (ReferenceDate, or the end of the registration)
	active      bool
	win         int // first day of the consultation window
	location    string
	usualGP     record.Clinician
	next        [numKinds]int
	cond        [numConditions]recProblem
	smoking     int // 0 never, 1 ex-smoker, 2 smoker
	penAllergic bool
	height      float64 // metres
	bmi         float64
	reviews     []int // annual review days, latest first
}

// ClinicalRecord returns the demo clinical record of patient p at
// practice ods. It depends only on the patient (and is seeded by the NHS
// number): the same patient always gets the same record.
func ClinicalRecord(ods pcnhub.ODSCode, p *pcnhub.Patient) record.Record {
	g := &recGen{st: recordStaffByPractice()[ods]}
	if g.st == nil {
		g.st = &recordStaff{}
	}
	n, _ := strconv.ParseUint(string(p.NHSNumber), 10, 64)
	g.r.seed(n^0xC1_1A1C_A15E, n*0x9E3779B97F4A7C15+0x5EED)
	g.rec = record.Record{NHSNumber: p.NHSNumber, PracticeODS: ods, InTransit: p.InTransit}
	g.female = p.Gender == pcnhub.GenderFemale
	g.birth = dayNumber(p.BirthDate)
	g.reg = dayNumber(p.Registration.Start)
	g.end = dayNumber(ReferenceDate)
	g.active = p.Registration.Status == pcnhub.RegActive
	if !p.Registration.End.IsZero() {
		g.end = min(g.end, dayNumber(p.Registration.End))
	}
	if !p.DeceasedDate.IsZero() {
		g.end = min(g.end, dayNumber(p.DeceasedDate))
		g.active = false
	}
	if g.reg > g.end {
		g.reg = g.end
	}
	g.age = p.BirthDate.AgeOn(dateOfDay(g.end))
	g.win = max(g.reg, g.end-3*365)
	g.location = g.st.mainSite
	if g.st.branchODS != "" && p.Registration.PreferredBranch == g.st.branchODS {
		g.location = g.st.branchSite
	}
	g.usualGP = g.pickFrom(g.st.gps)
	g.generate()
	return g.rec
}

// recordsPerPractice is how many patients of each practice, the first of
// its list, have their clinical record stored when the data set is
// loaded: 1,600 records, about 47 MB in SQLite. Storing all 81,000
// would add about a minute and 2.3 GB to the demo's first start; the
// records of the other patients are ClinicalRecord's to generate when
// they are read (Dataset.GenerateRecord).
const recordsPerPractice = 200

// storedRecords yields the clinical records that loading the data set
// stores, generated as they are iterated: those of the first
// recordsPerPractice patients of each practice.
func storedRecords(yield func(seed.ClinicalRecord) bool) {
	for k := range practices {
		ods := practices[k].ods
		n, stopped := 0, false
		practiceRecords(k, func(p pcnhub.Patient) bool {
			if n == recordsPerPractice {
				return false
			}
			n++
			if !yield(seed.ClinicalRecord{OrgODS: ods, Record: ClinicalRecord(ods, &p)}) {
				stopped = true
				return false
			}
			return true
		})
		if stopped {
			return
		}
	}
}

func (g *recGen) pickFrom(l []record.Clinician) record.Clinician {
	if len(l) == 0 {
		return record.Clinician{}
	}
	return l[g.r.intn(len(l))]
}

// gp is the usual GP two times in three, else another GP of the practice.
func (g *recGen) gp() record.Clinician {
	if g.r.intn(3) < 2 {
		return g.usualGP
	}
	return g.pickFrom(g.st.gps)
}

func (g *recGen) nurse() record.Clinician {
	if len(g.st.nurses) == 0 {
		return g.gp()
	}
	return g.pickFrom(g.st.nurses)
}

func (g *recGen) hca() record.Clinician {
	if len(g.st.hcas) == 0 {
		return g.nurse()
	}
	return g.pickFrom(g.st.hcas)
}

func (g *recGen) pharmacist() record.Clinician {
	if len(g.st.pharmacists) == 0 {
		return g.gp()
	}
	return g.pickFrom(g.st.pharmacists)
}

func (g *recGen) id(k int) string {
	g.next[k]++
	return kindPrefix[k] + strconv.Itoa(g.next[k])
}

func day(z int) record.PartialDate { return record.OnDate(dateOfDay(z)) }

func (g *recGen) item(k int, recorded int, who record.Clinician) record.Item {
	return record.Item{ID: g.id(k), Recorded: day(recorded), Author: who}
}

// between returns a working day in [lo, hi] (hi if lo > hi).
func (g *recGen) between(lo, hi int) int {
	if lo >= hi {
		return hi
	}
	return workingDay(lo+g.r.intn(hi-lo+1), hi)
}

func (g *recGen) poisson(lambda float64) int {
	l := math.Exp(-lambda)
	k, p := 0, 1.0
	for {
		p *= g.r.float()
		if p <= l || k >= 40 {
			return k
		}
		k++
	}
}

func fmt1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func (g *recGen) normal(mean, sd float64) float64 {
	// Irwin–Hall approximation: cheap and bounded.
	s := 0.0
	for range 4 {
		s += g.r.float()
	}
	return mean + (s-2)*sd*math.Sqrt(3)
}

// link records item id against a condition's problem.
func (g *recGen) link(c condition, id string) {
	if g.cond[c].has {
		p := &g.rec.Problems[g.cond[c].idx]
		p.LinkedItems = append(p.LinkedItems, id)
	}
}

// ---- Building blocks

func (g *recGen) observation(code record.Code, z int, who record.Clinician) *record.Observation {
	g.rec.Observations = append(g.rec.Observations, record.Observation{Item: g.item(kObservation, z, who), Code: code,
		Effective: day(z), Performer: who})
	return &g.rec.Observations[len(g.rec.Observations)-1]
}

func (g *recGen) quantityObs(code record.Code, z int, who record.Clinician, value, unit, ucum string) string {
	o := g.observation(code, z, who)
	o.Value = record.Quantity{Value: value, Unit: unit, UCUM: ucum}
	return o.ID
}

func (g *recGen) textObs(code record.Code, z int, who record.Clinician, text string) string {
	o := g.observation(code, z, who)
	o.ValueText = text
	return o.ID
}

func (g *recGen) bloodPressure(z int, who record.Clinician) string {
	sys, dia := g.normal(112+0.45*float64(g.age), 9), g.normal(70+0.12*float64(g.age), 6)
	if g.cond[condHypertension].has {
		sys, dia = g.normal(142, 9), g.normal(84, 6)
	}
	if sys < dia+25 {
		sys = dia + 25
	}
	o := g.observation(scBloodPressure, z, who)
	mm := func(v float64) record.Quantity {
		return record.Quantity{Value: strconv.Itoa(int(math.Round(v))), Unit: "mm[Hg]", UCUM: "mm[Hg]"}
	}
	o.Components = []record.Component{{Code: record.SystolicCode, Value: mm(sys)}, {Code: record.DiastolicCode, Value: mm(dia)}}
	if sys >= 140 || dia >= 90 {
		o.Interpretation = "high"
	}
	g.link(condHypertension, o.ID)
	return o.ID
}

// weightAndBMI records weight (and height, the first time) and BMI.
func (g *recGen) weightAndBMI(z int, who record.Clinician, withHeight bool) []string {
	bmi := g.bmi + g.normal(0, 0.6)
	w := bmi * g.height * g.height
	ids := []string{}
	if withHeight {
		ids = append(ids, g.quantityObs(scHeight, z, who, fmt1(g.height*100), "cm", "cm"))
	}
	ids = append(ids, g.quantityObs(scWeight, z, who, fmt1(w), "kg", "kg"))
	ids = append(ids, g.quantityObs(scBMI, z, who, fmt1(bmi), "kg/m2", "kg/m2"))
	return ids
}

func (g *recGen) smokingStatus(z int, who record.Clinician) string {
	code := [...]record.Code{scNeverSmoked, scExSmoker, scSmoker}[g.smoking]
	o := g.observation(code, z, who)
	return o.ID
}

func (g *recGen) comment(z int, who record.Clinician, text string) string {
	return g.textObs(scComment, z, who, text)
}

// medication adds an authorisation of drug d from start, issued every
// supply days (with a little slack) from start until last; acute courses
// are issued once. It returns the medication's id.
func (g *recGen) medication(d rxDrug, typ record.PrescriptionType, start, last int, who record.Clinician, ended bool) string {
	qty := record.Quantity{Value: d.qty, Unit: d.unit}
	m := record.Medication{Item: g.item(kMedication, start, who), Drug: d.code,
		Authorisation: record.Authorisation{Type: typ, Effective: record.Period{Start: day(start)}, Status: "active",
			Quantity: qty, SupplyDays: d.supply, Dosage: d.dosage, Prescriber: who}}
	lastIssue := start
	issue := func(z int) {
		lastIssue = z
		m.Issues = append(m.Issues, record.Issue{ID: m.ID + "-" + strconv.Itoa(len(m.Issues)+1), Date: day(z), Quantity: qty,
			SupplyDays: d.supply, Prescriber: who})
	}
	if typ == record.PrescriptionAcute {
		issue(start)
		stop := start + d.supply - 1
		m.Authorisation.Effective.End = day(stop)
		if stop < g.end {
			m.Authorisation.Status = "completed"
		}
	} else {
		m.Authorisation.RepeatsAllowed = (365 + d.supply - 1) / d.supply
		for z := start; z <= last && len(m.Issues) < m.Authorisation.RepeatsAllowed; z += d.supply - 3 + g.r.intn(7) {
			issue(workingDay(z, last))
		}
		m.Authorisation.RepeatsIssued = len(m.Issues)
		if ended {
			m.Authorisation.Status = "completed"
			m.Authorisation.Effective.End = day(min(g.end, lastIssue+d.supply-1))
		} else {
			m.Authorisation.ReviewDate = day(start + 365)
		}
	}
	m.Statement = record.Statement{Status: m.Authorisation.Status, LastIssued: m.Issues[len(m.Issues)-1].Date}
	g.rec.Medications = append(g.rec.Medications, m)
	return m.ID
}

// investigation adds a laboratory report of blood tests taken on day z,
// with its results, and returns its id.
func (g *recGen) investigation(code record.Code, z int, who record.Clinician, results ...labResult) string {
	issued := min(z+1+g.r.intn(2), g.end)
	inv := record.Investigation{Item: g.item(kInvestigation, issued, who), Code: code, Issued: day(issued), Effective: day(z),
		Status: "final", Requester: who, Performer: "Riverside Pathology"}
	spec := inv.ID + "-spec"
	inv.Specimens = []record.Specimen{{ID: spec, Type: scBloodSpecimen, Collected: day(z), Received: day(z)}}
	for _, lr := range results {
		tr := record.TestResult{Item: g.item(kResult, issued, who), Kind: record.ResultValue, Code: lr.code, Effective: day(z),
			Value: record.Quantity{Value: lr.value, Unit: lr.unit, UCUM: lr.unit}, SpecimenID: spec}
		if lr.low != "" || lr.high != "" {
			tr.Range = &record.ReferenceRange{}
			if lr.low != "" {
				tr.Range.Low = record.Quantity{Value: lr.low, Unit: lr.unit, UCUM: lr.unit}
			}
			if lr.high != "" {
				tr.Range.High = record.Quantity{Value: lr.high, Unit: lr.unit, UCUM: lr.unit}
			}
		}
		tr.Interpretation = lr.interp
		g.rec.TestResults = append(g.rec.TestResults, tr)
		inv.Results = append(inv.Results, tr.ID)
	}
	g.rec.Investigations = append(g.rec.Investigations, inv)
	return inv.ID
}

func bySex(female bool, f, m float64) float64 {
	if female {
		return f
	}
	return m
}

type labResult struct {
	code                   record.Code
	value, unit, low, high string
	interp                 string
}

// lab returns a result drawn from a normal distribution, flagged against
// its range.
func (g *recGen) lab(code record.Code, mean, sd float64, decimals int, unit string, low, high float64) labResult {
	v := g.normal(mean, sd)
	if v < 0.1 {
		v = 0.1
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', decimals, 64) }
	lr := labResult{code: code, value: f(v), unit: unit}
	if low > 0 {
		lr.low = f(low)
	}
	if high > 0 {
		lr.high = f(high)
	}
	switch {
	case low > 0 && v < low:
		lr.interp = "low"
	case high > 0 && v > high:
		lr.interp = "high"
	}
	return lr
}

func (g *recGen) hba1c(z int, who record.Clinician) string {
	return g.investigation(scHbA1c, z, who, g.lab(scHbA1c, 56, 9, 0, "mmol/mol", 20, 41))
}

func (g *recGen) renal(z int, who record.Clinician) string {
	creat := 78.0
	if !g.female {
		creat = 90
	}
	if g.cond[condCKD].has {
		creat = 145
	}
	return g.investigation(scRenal, z, who, g.lab(scSodium, 140, 2.2, 0, "mmol/L", 133, 146),
		g.lab(scCreatinine, creat, 12, 0, "umol/L", 0, bySex(g.female, 97, 115)))
}

func (g *recGen) lipids(z int, who record.Clinician) string {
	chol := 5.2
	if g.cond[condDiabetes].has {
		chol = 4.3
	}
	return g.investigation(scLipids, z, who, g.lab(scCholesterol, chol, 0.7, 1, "mmol/L", 0, 5),
		g.lab(scHDL, 1.35, 0.25, 1, "mmol/L", 1, 0), g.lab(scLDL, chol-2.1, 0.5, 1, "mmol/L", 0, 3))
}

func (g *recGen) fbc(z int, who record.Clinician) string {
	hb := 148.0
	if g.female {
		hb = 132
	}
	return g.investigation(scFBC, z, who, g.lab(scHaemoglobin, hb, 9, 0, "g/L", bySex(g.female, 115, 130),
		bySex(g.female, 165, 180)), g.lab(scWhiteCells, 6.8, 1.2, 1, "10*9/L", 4, 11),
		g.lab(scPlatelets, 260, 45, 0, "10*9/L", 150, 400))
}

func (g *recGen) referral(z int, who record.Clinician, reason record.Code, service, priority string) string {
	status := "completed"
	if z > g.end-60 {
		status = "active"
	}
	f := record.Referral{Item: g.item(kReferral, z, who), Date: day(z), Reason: reason, Priority: priority, Status: status,
		Service: service}
	g.rec.Referrals = append(g.rec.Referrals, f)
	return f.ID
}

// consultation starts a consultation; add appends it to the record.
func (g *recGen) consultation(z int, who record.Clinician, typ record.Code, title string) record.Consultation {
	loc := g.location
	if typ == scTelephone || typ == scHomeVisit {
		loc = ""
	}
	return record.Consultation{Item: g.item(kConsultation, z, who), Period: record.Period{Start: day(z)}, Clinician: who,
		Location: loc, Type: typ, Title: title}
}

// topic builds a topic from headings, leaving out empty ones.
func topic(title string, code record.Code, problemID string, headings ...record.Heading) record.Topic {
	t := record.Topic{Title: title, Code: code, ProblemID: problemID}
	for _, h := range headings {
		if len(h.Items) > 0 {
			t.Headings = append(t.Headings, h)
		}
	}
	return t
}

func heading(code record.Code, ids ...string) record.Heading {
	return record.Heading{Code: code, Items: ids}
}

// ---- The record

// recDrug is a long-term medication of a condition.
type recDrug struct {
	d     rxDrug
	c     condition
	start int  // day first prescribed
	cur   int  // day the current authorisation started
	done  bool // the current authorisation has been written
}

// events of the consultation window.
const (
	evDiagnosis = iota
	evReview
	evAcute
	evExacerbation
	evCheck
	evSexualHealth
)

type recEvent struct{ day, kind, arg int }

func (g *recGen) generate() {
	g.drawPatient()
	g.allergies()
	drugs := g.drugs()
	g.scheduleReviews()
	for i := range drugs {
		d := &drugs[i]
		d.cur = max(d.start, g.reg)
		if len(g.reviews) > 0 && g.reviews[0] >= d.cur {
			d.cur = g.reviews[0]
		} else if d.cur < g.end-365 {
			d.cur = g.between(g.end-365, g.end-300) // re-authorised, outside a consultation
		}
	}

	var events []recEvent
	for c := range numConditions {
		if p := g.cond[c]; p.has && p.onset >= g.win && p.onset >= g.reg && p.onset < g.end {
			events = append(events, recEvent{p.onset, evDiagnosis, int(c)})
		}
	}
	for k, z := range g.reviews {
		events = append(events, recEvent{z, evReview, k})
	}
	events = append(events, g.acuteEvents()...)
	if g.age >= 16 && g.reg >= g.win && g.reg < g.end-7 && g.r.permille(700) {
		events = append(events, recEvent{g.between(g.reg+7, min(g.reg+40, g.end-1)), evCheck, 0})
	} else if g.age >= 40 && g.age < 75 && len(g.reviews) == 0 && g.win < g.end-30 && g.r.permille(450) {
		events = append(events, recEvent{g.between(g.win, g.end-1), evCheck, 1})
	}
	if g.age >= 16 && g.age <= 45 && g.win < g.end-7 && g.r.permille(25) {
		events = append(events, recEvent{g.between(g.win, g.end-1), evSexualHealth, 0})
	}
	slices.SortStableFunc(events, func(a, b recEvent) int { return a.day - b.day })

	smokingRecorded := false
	for _, ev := range events {
		switch ev.kind {
		case evDiagnosis:
			g.diagnosis(condition(ev.arg), ev.day, drugs)
		case evReview:
			g.review(ev.arg, ev.day, drugs)
			smokingRecorded = smokingRecorded || g.age >= 16
		case evAcute:
			g.acute(&episodes[ev.arg], ev.day)
		case evExacerbation:
			g.exacerbation(condition(ev.arg), ev.day)
		case evCheck:
			g.healthCheck(ev.day, ev.arg == 0)
			smokingRecorded = true
		case evSexualHealth:
			g.sexualHealth(ev.day)
		}
	}
	// Current authorisations not written in a consultation.
	for i := range drugs {
		if d := &drugs[i]; !d.done {
			d.done = true
			who := g.gp()
			if d.cur > g.reg && g.r.permille(400) {
				who = g.pharmacist()
			}
			g.link(d.c, g.medication(d.d, record.PrescriptionRepeat, d.cur, g.end, who, false))
		}
	}
	if dm := g.cond[condDiabetes]; dm.has && !slices.ContainsFunc(g.rec.TestResults, func(tr record.TestResult) bool {
		return tr.Code == scHbA1c
	}) {
		// Every diabetic has an HbA1c: one taken when they joined, or soon
		// after the diagnosis.
		z := min(max(dm.onset+7, g.reg), g.end)
		g.link(condDiabetes, g.hba1c(z, g.nurse()))
	}
	if g.age >= 16 && !smokingRecorded {
		g.smokingStatus(max(g.reg, g.birth+16*365), g.hca())
	}
	g.immunisations()
	g.diary()
	g.withholdWithProblems()
	g.sortAreas()
}

// withholdWithProblems marks confidential the medications and referrals
// recorded against a confidential problem.
func (g *recGen) withholdWithProblems() {
	var ids map[string]bool
	for _, p := range g.rec.Problems {
		if p.Confidential {
			if ids == nil {
				ids = map[string]bool{}
			}
			for _, id := range p.LinkedItems {
				ids[id] = true
			}
		}
	}
	if ids == nil {
		return
	}
	for i := range g.rec.Medications {
		if ids[g.rec.Medications[i].ID] {
			g.rec.Medications[i].Confidential = true
		}
	}
	for i := range g.rec.Referrals {
		if ids[g.rec.Referrals[i].ID] {
			g.rec.Referrals[i].Confidential = true
		}
	}
}

// drawPatient draws smoking, build and the chronic conditions, and adds
// their problems.
func (g *recGen) drawPatient() {
	if g.age >= 16 {
		cur := band(g.age, []int{25, 50, 65}, []int{120, 160, 140, 80})
		ex := band(g.age, []int{25, 50, 65}, []int{60, 180, 300, 400})
		switch u := g.r.intn(1000); {
		case u < cur:
			g.smoking = 2
		case u < cur+ex:
			g.smoking = 1
		}
	}
	if g.female {
		g.height = g.normal(1.62, 0.065)
	} else {
		g.height = g.normal(1.76, 0.07)
	}
	g.bmi = math.Max(17.5, math.Min(45, g.normal(27, 4.5)))

	var has [numConditions]bool
	for c := range numConditions {
		if p := prevalencePermille(c, g.age, g.female, &has, g.smoking); p > 0 && g.r.permille(p) {
			has[c] = true
		}
	}
	if has[condDiabetes] {
		g.bmi += 4
	}
	for c := range numConditions {
		if has[c] {
			g.addProblem(c)
		}
	}
	// CKD follows diabetes or hypertension.
	if ckd := g.cond[condCKD]; ckd.has {
		parent := condDiabetes
		if !g.cond[parent].has {
			parent = condHypertension
		}
		if pp := g.cond[parent]; pp.has {
			rel, back := record.RelationParent, record.RelationChild
			if parent == condHypertension {
				rel, back = record.RelationSibling, record.RelationSibling
			}
			g.rec.Problems[ckd.idx].Related = []record.ProblemLink{{Relation: rel, ProblemID: g.rec.Problems[pp.idx].ID}}
			g.rec.Problems[pp.idx].Related = []record.ProblemLink{{Relation: back, ProblemID: g.rec.Problems[ckd.idx].ID}}
		}
	}
}

func (g *recGen) addProblem(c condition) {
	or := onsetRange[c]
	span := max(0, min(g.age-or.minAge, or.maxYears))
	latest := g.end - 14
	onset := latest - int(g.r.float()*float64(span*365+180))
	earliest := min(g.birth+or.minAge*365, latest)
	onset = max(onset, earliest, g.birth+1)
	recorded := max(onset, g.reg)
	who := g.gp()
	if onset < g.reg {
		who = g.usualGP // summarised when the patient joined
	}
	p := record.Problem{Item: g.item(kProblem, recorded, who), Code: conditionCodes[c], Status: record.ProblemActive,
		Significance: record.Major, Onset: day(onset)}
	if c == condOsteoarthritis {
		p.Significance = record.Minor
	}
	if onset < g.reg {
		d := dateOfDay(onset)
		switch u := g.r.intn(10); {
		case u < 5:
			p.Onset = record.YearOnly(d.Year)
		case u < 7:
			p.Onset = record.YearMonth(d.Year, d.Month)
		}
	}
	active, abatement := true, 0
	if c == condDepression {
		recent := onset >= g.end-3*365
		if !(recent && g.r.permille(700)) && !(!recent && g.r.permille(350)) {
			if abate := onset + 180 + g.r.intn(540); abate <= g.end-30 {
				active, abatement = false, abate
				p.Status, p.Significance, p.Abatement = record.ProblemInactive, record.Minor, day(abate)
			}
		}
		p.Confidential = g.r.permille(40)
	}
	g.cond[c] = recProblem{has: true, onset: onset, active: active, abate: abatement, idx: len(g.rec.Problems)}
	g.rec.Problems = append(g.rec.Problems, p)
}

// drugs chooses the long-term medication of the patient's conditions, and
// writes the courses that have ended.
func (g *recGen) drugs() []recDrug {
	var out []recDrug
	add := func(c condition, d rxDrug, delay int) {
		start := min(g.cond[c].onset+delay, g.end-7)
		out = append(out, recDrug{d: d, c: c, start: start})
	}
	r := &g.r
	if g.cond[condDiabetes].has {
		add(condDiabetes, []rxDrug{rxMetformin, rxMetformin2}[r.intn(2)], 0)
	}
	if g.cond[condHypertension].has && r.permille(900) {
		first, second := rxAmlodipine5, rxRamipril
		if g.age < 55 || g.cond[condDiabetes].has {
			first, second = rxRamipril, rxAmlodipine5
		} else if r.permille(250) {
			first = rxAmlodipine10
		}
		add(condHypertension, first, 0)
		if r.permille(350) {
			if g.age >= 60 && r.permille(400) {
				second = rxBendro
			}
			add(condHypertension, second, 200+r.intn(900))
		}
	}
	switch {
	case g.cond[condDiabetes].has && g.age >= 40 && r.permille(750):
		add(condDiabetes, rxAtorvastatin, 30+r.intn(300))
	case g.cond[condHypertension].has && g.age >= 55 && r.permille(350):
		add(condHypertension, rxAtorvastatin, 100+r.intn(600))
	}
	if g.cond[condAsthma].has {
		add(condAsthma, rxSalbutamol, 0)
		if r.permille(650) {
			add(condAsthma, rxBeclometasone, r.intn(400))
		}
	}
	if g.cond[condCOPD].has && !g.cond[condAsthma].has {
		add(condCOPD, rxSalbutamol, 0)
	}
	if g.cond[condHypothyroid].has {
		add(condHypothyroid, []rxDrug{rxLevothyroxine50, rxLevothyroxine100}[min(1, r.intn(5)/2)], 0)
	}
	if dep := g.cond[condDepression]; dep.has && r.permille(850) {
		d := rxSertraline
		switch u := r.intn(100); {
		case u < 35:
			d = rxCitalopram
		case u < 55:
			d = rxFluoxetine
		}
		if dep.active {
			add(condDepression, d, 0)
		} else if dep.onset >= g.end-6*365 {
			// a course that ended with the episode
			abate := dep.abate
			start := max(dep.onset, g.reg)
			if start < abate-28 {
				id := g.medication(d, record.PrescriptionRepeat, start, min(abate, start+6*28), g.gp(), true)
				g.rec.Medications[len(g.rec.Medications)-1].Confidential = g.rec.Problems[dep.idx].Confidential
				g.link(condDepression, id)
			}
		}
	}
	if g.cond[condAF].has {
		if r.permille(700) {
			add(condAF, rxBisoprolol, 0)
		}
		if r.permille(800) {
			add(condAF, rxApixaban, 0)
		}
	}
	if g.cond[condOsteoarthritis].has {
		switch u := r.intn(10); {
		case u < 5:
			add(condOsteoarthritis, rxParacetamol, r.intn(200))
		case u < 7 && g.age >= 50:
			add(condOsteoarthritis, rxCocodamol, r.intn(400))
		}
	}
	return out
}

// scheduleReviews sets the annual chronic disease reviews in the window.
func (g *recGen) scheduleReviews() {
	first := -1
	for _, c := range []condition{condDiabetes, condHypertension, condAsthma, condCOPD, condHypothyroid, condAF, condCKD, condDepression} {
		if p := g.cond[c]; p.has && p.active && (first < 0 || p.onset < first) {
			first = p.onset
		}
	}
	if first < 0 {
		return
	}
	lo := max(g.reg+14, first+14)
	hi := g.end - 10
	if lo > hi {
		return
	}
	r0 := g.between(max(lo, g.end-350), hi)
	g.reviews = append(g.reviews, r0)
	for k := 1; ; k++ {
		z := workingDay(r0-365*k+g.r.intn(41)-20, r0)
		if z < max(g.win, lo) {
			break
		}
		g.reviews = append(g.reviews, z)
	}
}

// startDrugs writes the authorisations of condition c's drugs first
// prescribed on day z, in a consultation by who, and returns their ids.
func (g *recGen) startDrugs(c condition, z int, who record.Clinician, drugs []recDrug) []string {
	var ids []string
	for i := range drugs {
		d := &drugs[i]
		if d.c != c || d.start != z {
			continue
		}
		if d.cur == z && !d.done {
			d.done = true
			ids = append(ids, g.medication(d.d, record.PrescriptionRepeat, z, g.end, who, false))
		} else if d.cur > z {
			// the first authorisation, renewed at a later review
			ids = append(ids, g.medication(d.d, record.PrescriptionRepeat, z, min(d.cur-1, z+5*d.d.supply), who, true))
		}
		g.link(c, ids[len(ids)-1])
	}
	return ids
}

// diagnosis is the consultation at which condition c was diagnosed.
func (g *recGen) diagnosis(c condition, z int, drugs []recDrug) {
	p := &g.rec.Problems[g.cond[c].idx]
	who := p.Author
	con := g.consultation(z, who, scSymptomVisit, "Surgery consultation")
	con.Confidential = p.Confidential
	var exam, plan []string
	switch c {
	case condHypertension, condCKD, condAF, condDiabetes:
		if g.age >= 16 {
			exam = append(exam, g.bloodPressure(z, who))
		}
	}
	if c == condAF {
		exam = append(exam, g.observation(scPulseIrreg, z, who).ID)
		g.link(c, exam[len(exam)-1])
	}
	if c == condDiabetes {
		exam = append(exam, g.weightAndBMI(z, who, false)...)
		if z-7 >= g.reg && z-7 > g.birth {
			id := g.hba1c(z-7, who)
			g.link(c, id)
		}
	}
	plan = append(plan, g.startDrugs(c, z, who, drugs)...)
	switch {
	case c == condDepression && g.r.permille(500):
		plan = append(plan, g.referral(z, who, scDepression, "NHS Talking Therapies", "routine"))
		g.link(c, plan[len(plan)-1])
	case c == condDiabetes && g.r.permille(400):
		plan = append(plan, g.referral(z, who, scDiabetes, "Diabetes structured education (DESMOND)", "routine"))
		g.link(c, plan[len(plan)-1])
	case c == condOsteoarthritis && g.r.permille(300):
		plan = append(plan, g.referral(z, who, scOsteoarthritis, "Physiotherapy", "routine"))
		g.link(c, plan[len(plan)-1])
	}
	if len(plan) == 0 {
		plan = append(plan, g.comment(z, who, "Diagnosis discussed; leaflet given. Review in four weeks."))
	}
	con.Topics = []record.Topic{topic(p.Code.Display, p.Code, p.ID, heading(headProblem, p.ID), heading(headExamination, exam...),
		heading(headPlan, plan...))}
	g.rec.Consultations = append(g.rec.Consultations, con)
}

// review is annual review k (0 the latest) of the chronic conditions.
func (g *recGen) review(k, z int, drugs []recDrug) {
	who := g.nurse()
	con := g.consultation(z, who, scFollowUp, "")
	var names []string
	var topics []record.Topic
	reviewed := func(c condition) bool {
		p := g.cond[c]
		return p.has && p.active && p.onset <= z && !g.rec.Problems[p.idx].Confidential
	}
	bpIn := condition(-1) // the topic the blood pressure is recorded in
	if reviewed(condHypertension) {
		bpIn = condHypertension
	}
	for _, c := range []condition{condDiabetes, condHypertension, condCKD, condAsthma, condCOPD, condAF, condHypothyroid, condDepression} {
		if !reviewed(c) {
			continue
		}
		p := g.cond[c]
		names = append(names, conditionNames[c])
		pr := &g.rec.Problems[p.idx]
		var hist, exam, plan []string
		if len(topics) == 0 && bpIn < 0 {
			bpIn = c
		}
		if c == bpIn && g.age >= 16 {
			exam = append(exam, g.bloodPressure(z, who))
		}
		if len(topics) == 0 {
			if g.age >= 16 {
				hist = append(hist, g.smokingStatus(z, who))
				exam = append(exam, g.weightAndBMI(z, who, k == len(g.reviews)-1)...)
			}
			if k == 0 {
				plan = append(plan, g.textObs(scMedReview, z, who, "Medication reviewed with patient."))
				if g.smoking == 2 && g.r.permille(150) {
					plan = append(plan, g.referral(z, who, scSmoker, "Stop smoking service", "routine"))
				}
			}
		}
		switch c {
		case condAsthma:
			hist = append(hist, g.observation(scAsthmaCheck, z, who).ID)
			g.link(c, hist[len(hist)-1])
		case condAF:
			exam = append(exam, g.observation(scPulseIrreg, z, who).ID)
			g.link(c, exam[len(exam)-1])
		}
		// Bloods a week before the review.
		if bz := z - 5 - g.r.intn(5); bz >= g.reg && bz > g.birth {
			switch {
			case c == condDiabetes && k <= 1:
				g.link(c, g.hba1c(bz, who))
				if k == 0 {
					g.link(c, g.renal(bz, who))
					g.link(c, g.lipids(bz, who))
				}
			case c == condHypertension && k == 0 && !g.cond[condDiabetes].has:
				g.link(c, g.renal(bz, who))
			case c == condCKD && k <= 1 && !g.cond[condDiabetes].has && (k == 1 || !g.cond[condHypertension].has):
				g.link(c, g.renal(bz, who))
			}
		}
		if k == 0 {
			for i := range drugs {
				if d := &drugs[i]; d.c == c && d.cur == z && !d.done {
					d.done = true
					id := g.medication(d.d, record.PrescriptionRepeat, z, g.end, who, false)
					g.link(c, id)
					plan = append(plan, id)
				}
			}
		}
		if len(hist)+len(exam)+len(plan) == 0 {
			plan = append(plan, g.comment(z, who, "Stable. Continue current management."))
		}
		topics = append(topics, topic(pr.Code.Display, pr.Code, pr.ID, heading(headHistory, hist...),
			heading(headExamination, exam...), heading(headPlan, plan...)))
	}
	if len(topics) == 0 {
		// Every condition confidential or not yet diagnosed: a medication review only.
		con.Title = "Medication review"
		con.Topics = []record.Topic{topic("Medication review", record.Code{}, "",
			heading(headPlan, g.textObs(scMedReview, z, who, "Medication reviewed with patient.")))}
		g.rec.Consultations = append(g.rec.Consultations, con)
		return
	}
	con.Title = "Annual review: " + strings.Join(names, ", ")
	if k == 0 && g.active {
		// The next review, in the diary and in the plan.
		d := record.DiaryEntry{Item: g.item(kDiary, z, who), Code: scFollowUp, Due: day(z + 365), Status: "active",
			Note: "Annual review: " + strings.Join(names, ", ")}
		g.rec.DiaryEntries = append(g.rec.DiaryEntries, d)
		h := &topics[0].Headings
		if n := len(*h); n > 0 && (*h)[n-1].Code == headPlan {
			(*h)[n-1].Items = append((*h)[n-1].Items, d.ID)
		} else {
			*h = append(*h, heading(headPlan, d.ID))
		}
	}
	con.Topics = topics
	g.rec.Consultations = append(g.rec.Consultations, con)
}

// ---- Acute consultations

// Examinations of an episode.
const (
	exTemp = 1 << iota
	exBP
	exResp
)

// Treatments of an episode.
const (
	txNone = iota
	txAntibiotic
	txAnalgesic
)

// episodeDef is a kind of acute consultation.
type episodeDef struct {
	code            record.Code
	symptom         record.Code // the History item; zero for a comment
	history         string      // the History comment when there is no symptom
	minAge, maxAge  int
	weights         [3]int // relative frequency for children, adults under 65, older adults
	exam            int
	tx, txPermille  int
	service         string // referral
	priority        string
	referPermille   int
	problemPermille int // recorded as a minor problem
	phonePermille   int
	fbc             bool
	advice          string
}

var episodes = []episodeDef{
	{code: scURTI, symptom: scCough, maxAge: 120, weights: [3]int{30, 20, 15}, exam: exTemp, phonePermille: 500,
		advice: "Self-care advice given; return if worse or not settling in a week."},
	{code: scCold, history: "Coryzal symptoms for four days.", maxAge: 120, weights: [3]int{14, 6, 3}, phonePermille: 600,
		advice: "Reassured; fluids and paracetamol as needed."},
	{code: scLRTI, symptom: scCough, maxAge: 120, weights: [3]int{3, 8, 15}, exam: exTemp | exResp, tx: txAntibiotic,
		txPermille: 850, problemPermille: 400, advice: "Safety-netting advice given."},
	{code: scBronchitis, symptom: scCough, minAge: 16, maxAge: 120, weights: [3]int{0, 5, 6}, exam: exTemp,
		tx: txAntibiotic, txPermille: 300, advice: "Advised cough may last three weeks."},
	{code: scSinusitis, history: "Facial pain and blocked nose for ten days.", minAge: 12, maxAge: 120,
		weights: [3]int{1, 5, 3}, tx: txAntibiotic, txPermille: 200, phonePermille: 500, advice: "Steam inhalation and analgesia."},
	{code: scOtitisMedia, history: "Earache and fever since yesterday.", maxAge: 12, weights: [3]int{14, 0, 0}, exam: exTemp,
		advice: "Analgesia; no antibiotic needed at present."},
	{code: scSoreThroat, symptom: scSoreThroat, maxAge: 120, weights: [3]int{10, 6, 2}, exam: exTemp, tx: txAntibiotic,
		txPermille: 150, phonePermille: 400, advice: "Self-care advice given."},
	{code: scBackPain, symptom: scBackPain, minAge: 18, maxAge: 120, weights: [3]int{0, 8, 6}, tx: txAnalgesic,
		txPermille: 500, service: "Physiotherapy", priority: "routine", referPermille: 150, problemPermille: 300,
		advice: "Keep active; exercise sheet given."},
	{code: scKneePain, symptom: scKneePain, minAge: 12, maxAge: 120, weights: [3]int{1, 4, 6}, tx: txAnalgesic,
		txPermille: 400, service: "Physiotherapy", priority: "routine", referPermille: 150, problemPermille: 200},
	{code: scNeckPain, symptom: scNeckPain, minAge: 16, maxAge: 120, weights: [3]int{0, 3, 2}, tx: txAnalgesic, txPermille: 400},
	{code: scHeadache, symptom: scHeadache, minAge: 8, maxAge: 120, weights: [3]int{2, 5, 2}, exam: exBP,
		advice: "No red flag features. Headache diary."},
	{code: scConjunctivitis, history: "Sticky red eye for two days.", maxAge: 120, weights: [3]int{5, 2, 2}, phonePermille: 500,
		advice: "Eye hygiene advice."},
	{code: scTATT, symptom: scTATT, minAge: 16, maxAge: 120, weights: [3]int{0, 4, 3}, exam: exBP, fbc: true,
		advice: "Bloods requested; review with results."},
	{code: scChestPain, symptom: scChestPain, minAge: 30, maxAge: 120, weights: [3]int{0, 2, 3}, exam: exBP | exResp,
		service: "Rapid access chest pain clinic", priority: "urgent", referPermille: 300},
	{code: scLegSwelling, symptom: scLegSwelling, minAge: 50, maxAge: 120, weights: [3]int{0, 1, 3}, exam: exBP},
	{code: scIngrowingNail, symptom: scIngrowingNail, minAge: 10, maxAge: 120, weights: [3]int{1, 2, 1}},
	{code: scPlantarFasc, symptom: scPlantarFasc, minAge: 30, maxAge: 75, weights: [3]int{0, 2, 1}, tx: txAnalgesic, txPermille: 300},
	{code: scPostviralCough, symptom: scCough, maxAge: 120, weights: [3]int{2, 3, 3}, phonePermille: 500},
}

// acuteEvents draws the acute consultations of the window: a few a year,
// more for young children, the old and the chronically ill.
func (g *recGen) acuteEvents() []recEvent {
	years := float64(g.end-g.win) / 365
	if years <= 0 {
		return nil
	}
	rate := 1.3
	switch {
	case g.age < 5:
		rate = 2.5
	case g.age < 16:
		rate = 1.0
	case g.age < 45:
		if g.female {
			rate = 1.6
		}
	case g.age < 65:
		rate = 1.7
	case g.age < 75:
		rate = 2.3
	default:
		rate = 3.0
	}
	chronic := 0
	for c := range numConditions {
		if g.cond[c].has && g.cond[c].active {
			chronic++
		}
	}
	rate += 0.5 * float64(chronic)
	n := min(g.poisson(rate*years), 14)
	grp := 1
	switch {
	case g.age < 16:
		grp = 0
	case g.age >= 65:
		grp = 2
	}
	total := 0
	for i := range episodes {
		if e := &episodes[i]; g.age >= e.minAge && g.age <= e.maxAge {
			total += e.weights[grp]
		}
	}
	var out []recEvent
	for range n {
		u := g.r.intn(total)
		for i := range episodes {
			e := &episodes[i]
			if g.age < e.minAge || g.age > e.maxAge {
				continue
			}
			if u < e.weights[grp] {
				out = append(out, recEvent{g.between(g.win, g.end-1), evAcute, i})
				break
			}
			u -= e.weights[grp]
		}
	}
	// Exacerbations of COPD and asthma.
	for _, x := range []struct {
		c       condition
		perYear float64
	}{{condCOPD, 0.45}, {condAsthma, 0.12}} {
		c, perYear := x.c, x.perYear
		if p := g.cond[c]; p.has {
			lo := max(g.win, p.onset+30)
			if lo < g.end-1 {
				for range g.poisson(perYear * float64(g.end-lo) / 365) {
					out = append(out, recEvent{g.between(lo, g.end-1), evExacerbation, int(c)})
				}
			}
		}
	}
	return out
}

func (g *recGen) antibiotic() rxDrug {
	if g.penAllergic {
		return rxClarithromycin
	}
	return rxAmoxicillin
}

func (g *recGen) temperature(z int, who record.Clinician, fever bool) string {
	t := g.normal(36.8, 0.3)
	if fever {
		t = g.normal(38.0, 0.4)
	}
	return g.quantityObs(scTemperature, z, who, fmt1(t), "degrees C", "Cel")
}

func (g *recGen) acute(e *episodeDef, z int) {
	who := g.gp()
	typ, title := scSymptomVisit, "Surgery consultation"
	phone := g.r.permille(e.phonePermille)
	if phone {
		typ, title = scTelephone, "Telephone consultation"
	} else if g.age >= 85 && g.r.permille(300) {
		typ, title = scHomeVisit, "Home visit"
	}
	con := g.consultation(z, who, typ, title)
	var hist, exam, plan []string
	if !e.symptom.IsZero() {
		hist = append(hist, g.observation(e.symptom, z, who).ID)
	} else {
		hist = append(hist, g.comment(z, who, e.history))
	}
	if !phone {
		if e.exam&exTemp != 0 {
			exam = append(exam, g.temperature(z, who, e.code == scLRTI || e.code == scOtitisMedia || g.r.permille(300)))
		}
		if e.exam&exResp != 0 {
			exam = append(exam, g.quantityObs(scRespRate, z, who, strconv.Itoa(14+g.r.intn(8)), "/min", "/min"),
				g.quantityObs(scSats, z, who, strconv.Itoa(94+g.r.intn(6)), "%", "%"))
		}
		if e.exam&exBP != 0 && g.age >= 16 {
			exam = append(exam, g.bloodPressure(z, who))
		}
	}
	var probID string
	if e.problemPermille > 0 && g.r.permille(e.problemPermille) {
		p := record.Problem{Item: g.item(kProblem, z, who), Code: e.code, Status: record.ProblemActive, Significance: record.Minor,
			Onset: day(z)}
		if ab := z + 14 + g.r.intn(30); ab < g.end {
			p.Status, p.Abatement = record.ProblemInactive, day(ab)
		}
		probID = p.ID
		g.rec.Problems = append(g.rec.Problems, p)
	}
	linkHere := func(id string) {
		if probID != "" {
			p := &g.rec.Problems[len(g.rec.Problems)-1]
			p.LinkedItems = append(p.LinkedItems, id)
		}
	}
	if e.tx != txNone && g.r.permille(e.txPermille) && (e.tx != txAntibiotic || g.age >= 12) {
		d := g.antibiotic()
		if e.tx == txAnalgesic {
			d = rxParacetamolAcute
		}
		id := g.medication(d, record.PrescriptionAcute, z, z, who, false)
		plan = append(plan, id)
		linkHere(id)
	}
	if e.fbc {
		id := g.fbc(min(z+2, g.end), who)
		plan = append(plan, id)
		linkHere(id)
	}
	if e.service != "" && g.r.permille(e.referPermille) {
		id := g.referral(z, who, e.code, e.service, e.priority)
		plan = append(plan, id)
		linkHere(id)
	}
	if e.advice != "" {
		plan = append(plan, g.comment(z, who, e.advice))
	}
	var probHeading record.Heading
	if probID != "" {
		probHeading = heading(headProblem, probID)
	}
	con.Topics = []record.Topic{topic(e.code.Display, e.code, probID, probHeading, heading(headHistory, hist...),
		heading(headExamination, exam...), heading(headPlan, plan...))}
	g.rec.Consultations = append(g.rec.Consultations, con)
}

// exacerbation is a flare of COPD or asthma treated with a steroid burst
// (and, for COPD, an antibiotic).
func (g *recGen) exacerbation(c condition, z int) {
	who := g.gp()
	con := g.consultation(z, who, scSymptomVisit, "Surgery consultation")
	hist := []string{g.observation(scCough, z, who).ID}
	exam := []string{g.temperature(z, who, g.r.permille(400)),
		g.quantityObs(scRespRate, z, who, strconv.Itoa(18+g.r.intn(8)), "/min", "/min"),
		g.quantityObs(scSats, z, who, strconv.Itoa(91+g.r.intn(6)), "%", "%")}
	plan := []string{g.medication(rxPrednisolone, record.PrescriptionAcute, z, z, who, false)}
	if c == condCOPD {
		plan = append(plan, g.medication(g.antibiotic(), record.PrescriptionAcute, z, z, who, false))
	}
	for _, id := range plan {
		g.link(c, id)
	}
	plan = append(plan, g.comment(z, who, "Exacerbation; rescue treatment given. Review in 48 hours if not improving."))
	p := &g.rec.Problems[g.cond[c].idx]
	con.Title = "Surgery consultation"
	con.Topics = []record.Topic{topic("Exacerbation of "+conditionNames[c], p.Code, p.ID, heading(headHistory, hist...),
		heading(headExamination, exam...), heading(headPlan, plan...))}
	g.rec.Consultations = append(g.rec.Consultations, con)
}

// healthCheck is a new patient check (newPatient) or an NHS Health Check.
func (g *recGen) healthCheck(z int, newPatient bool) {
	who := g.hca()
	title := "NHS Health Check"
	if newPatient {
		title = "New patient health check"
	}
	con := g.consultation(z, who, scCheckUp, title)
	hist := []string{g.smokingStatus(z, who)}
	if g.age >= 18 {
		units := []int{0, 0, 2, 4, 6, 8, 10, 14, 18, 24}[g.r.intn(10)]
		hist = append(hist, g.quantityObs(scAlcohol, z, who, strconv.Itoa(units), "/wk", "/wk"))
	}
	exam := append([]string{g.bloodPressure(z, who)}, g.weightAndBMI(z, who, true)...)
	var plan []string
	if !newPatient {
		plan = append(plan, g.lipids(z, who))
	}
	plan = append(plan, g.comment(z, who, "Lifestyle advice given."))
	con.Topics = []record.Topic{topic(title, record.Code{}, "", heading(headHistory, hist...), heading(headExamination, exam...),
		heading(headPlan, plan...))}
	g.rec.Consultations = append(g.rec.Consultations, con)
}

// sexualHealth is a consultation the practice marked confidential.
func (g *recGen) sexualHealth(z int) {
	who := g.gp()
	if g.r.permille(500) {
		who = g.nurse()
	}
	con := g.consultation(z, who, scSymptomVisit, "Sexual health consultation")
	con.Confidential = true
	id := g.comment(z, who, "Attended for sexual health screening. Advice given; results to follow by text.")
	g.rec.Observations[len(g.rec.Observations)-1].Confidential = true
	con.Topics = []record.Topic{topic("Sexual health", record.Code{}, "", heading(headHistory, id))}
	g.rec.Consultations = append(g.rec.Consultations, con)
}

// ---- Allergies, immunisations, diary

type allergyDef struct {
	code           record.Code
	category       string
	manifestations []record.Code
	weight, minAge int
}

var allergyDefs = []allergyDef{
	{scPenicillinAllergy, "medication", []record.Code{scRash}, 45, 0},
	{scAmoxicillinAllergy, "medication", []record.Code{scUrticaria}, 10, 0},
	{scAspirinReaction, "medication", []record.Code{scAngioedema}, 6, 16},
	{scErythromycinReaction, "medication", []record.Code{scRash}, 4, 0},
	{scPeanutAllergy, "food", []record.Code{scUrticaria, scAnaphylaxis}, 12, 0},
	{scLatexAllergy, "environment", []record.Code{scUrticaria}, 6, 16},
	{scCatAllergy, "environment", []record.Code{scWheezing}, 12, 0},
}

// allergies records allergies for about 15% of patients, an explicit "no
// known allergies" for about a third of the rest, and nothing otherwise.
func (g *recGen) allergies() {
	u := g.r.intn(1000)
	switch {
	case u < 150 && g.age >= 1:
		n := 1
		if g.r.permille(150) {
			n = 2
		}
		used := -1
		for range n {
			total := 0
			for i, a := range allergyDefs {
				if i != used && g.age >= a.minAge {
					total += a.weight
				}
			}
			v := g.r.intn(total)
			for i, a := range allergyDefs {
				if i == used || g.age < a.minAge {
					continue
				}
				if v < a.weight {
					used = i
					g.allergy(&a)
					break
				}
				v -= a.weight
			}
		}
	case u < 480:
		z := g.reg
		if z <= g.birth {
			z = g.birth + 1
		}
		who := g.gp()
		a := record.Allergy{Item: g.item(kAllergy, z, who), NoKnownAllergies: true, Code: scNoKnownAllergy,
			Asserted: day(z), Status: record.AllergyActive}
		g.rec.Allergies = append(g.rec.Allergies, a)
	}
}

func (g *recGen) allergy(def *allergyDef) {
	by := dateOfDay(g.birth).Year
	ey := dateOfDay(g.end).Year
	y := by + g.r.intn(ey-by+1)
	z := max(daysFromCivil(y, 1, 1)+g.r.intn(365), g.birth+1, g.reg)
	z = min(z, g.end)
	who := g.usualGP
	if z > g.reg {
		who = g.gp()
	}
	a := record.Allergy{Item: g.item(kAllergy, z, who), Code: def.code, Category: def.category,
		Manifestations: def.manifestations, Onset: record.YearOnly(y),
		Asserted: day(z), Status: record.AllergyActive}
	if def.category == "medication" && g.r.permille(50) && z < g.end-60 {
		a.Status, a.Ended, a.EndReason = record.AllergyResolved, day(g.between(z+30, g.end-1)), "Allergy testing negative"
	}
	if a.Status == record.AllergyActive && (def.code == scPenicillinAllergy || def.code == scAmoxicillinAllergy) {
		g.penAllergic = true
	}
	g.rec.Allergies = append(g.rec.Allergies, a)
}

func (g *recGen) immunisation(code record.Code, z, dose int, batch string, here bool) {
	if z <= g.birth || z > g.end {
		return
	}
	who := g.nurse()
	recorded := max(z, g.reg)
	im := record.Immunisation{Item: g.item(kImmunisation, recorded, who), Kind: record.ImmunisationGiven, Vaccine: code,
		Date: day(z), Dose: dose, Batch: batch}
	if here {
		im.Performer = who
	}
	g.rec.Immunisations = append(g.rec.Immunisations, im)
}

func (g *recGen) immunisations() {
	r := &g.r
	by := dateOfDay(g.birth)
	// Childhood: MenC at 3 and 4 months (born September 2006 to May
	// 2013), MMR at one year and at three years four months.
	if g.age < 18 {
		if g.birth >= daysFromCivil(2006, 9, 1) && g.birth < daysFromCivil(2013, 6, 1) && r.permille(930) {
			g.immunisation(scMenC1, g.birth+84+r.intn(21), 1, "", g.birth+84 >= g.reg)
			g.immunisation(scMenC2, g.birth+112+r.intn(21), 2, "", g.birth+112 >= g.reg)
		}
		if r.permille(900) {
			g.immunisation(scMMR, g.birth+365+r.intn(60), 1, "", g.birth+365 >= g.reg)
			if r.permille(940) {
				g.immunisation(scMMR, g.birth+3*365+120+r.intn(90), 2, "", g.birth+3*365+120 >= g.reg)
			}
		}
	}
	// COVID-19: two doses in 2021, by age cohort.
	ageIn2021 := 2021 - by.Year
	if ageIn2021 >= 12 {
		uptake := 700
		from, span := daysFromCivil(2021, 5, 15), 60
		switch {
		case ageIn2021 >= 80:
			from, span, uptake = daysFromCivil(2020, 12, 10), 50, 930
		case ageIn2021 >= 70:
			from, span, uptake = daysFromCivil(2021, 1, 15), 30, 920
		case ageIn2021 >= 65 || g.cond[condDiabetes].has || g.cond[condCOPD].has || g.cond[condCKD].has:
			from, span, uptake = daysFromCivil(2021, 2, 1), 27, 900
		case ageIn2021 >= 50:
			from, span, uptake = daysFromCivil(2021, 3, 1), 45, 880
		case ageIn2021 >= 40:
			from, span, uptake = daysFromCivil(2021, 4, 15), 45, 780
		case ageIn2021 < 18:
			from, span, uptake = daysFromCivil(2021, 9, 1), 90, 500
		}
		if r.permille(uptake) {
			d1 := from + r.intn(span)
			g.immunisation(scCovid1, d1, 1, "", false)
			if r.permille(950) {
				g.immunisation(scCovid2, d1+56+r.intn(28), 2, "", false)
			}
		}
	}
	// Seasonal flu: the over-65s, the at-risk and children of 2 to 16.
	atRisk := g.cond[condDiabetes].has || g.cond[condCOPD].has || g.cond[condCKD].has ||
		(g.cond[condAsthma].has && g.age >= 16)
	accepts := r.permille(750)
	for season := 2023; season <= 2026; season++ {
		ageThen := season - by.Year
		if season == 2026 && r.permille(750) {
			continue // not yet had this season's
		}
		eligible, p := false, 0
		switch {
		case ageThen >= 65:
			eligible, p = true, 900
		case atRisk:
			eligible, p = true, 700
		case ageThen >= 2 && ageThen <= 16:
			eligible, p = true, 650
		}
		if !accepts {
			p /= 8
		}
		if !eligible || !r.permille(p) {
			continue
		}
		z := daysFromCivil(season, 9, 15) + r.intn(90)
		if season == 2026 {
			z = daysFromCivil(season, 9, 10) + r.intn(21)
		}
		z = workingDay(z, g.end)
		if z < g.reg {
			continue
		}
		g.immunisation(scFlu, z, 1, "FL"+strconv.Itoa(season%100)+strconv.Itoa(1000+r.intn(9000)), true)
	}
}

// diary adds recalls beyond the annual review: a six-monthly medication
// review for the polypharmacy patients.
func (g *recGen) diary() {
	if !g.active || len(g.reviews) == 0 {
		return
	}
	repeats := 0
	for _, m := range g.rec.Medications {
		if m.Authorisation.Type == record.PrescriptionRepeat && m.Authorisation.Status == "active" {
			repeats++
		}
	}
	if repeats >= 4 {
		z := g.reviews[0]
		who := g.pharmacist()
		g.rec.DiaryEntries = append(g.rec.DiaryEntries, record.DiaryEntry{Item: g.item(kDiary, z, who), Code: scMedReview,
			Due: day(max(z+182, g.end+14)), Status: "active", Note: "Structured medication review (four or more repeats)"})
	}
}

// sortAreas puts every area in the order the items were recorded.
func (g *recGen) sortAreas() {
	sortByRecorded(g.rec.Allergies, func(x *record.Allergy) record.PartialDate { return x.Recorded })
	sortByRecorded(g.rec.Medications, func(x *record.Medication) record.PartialDate { return x.Recorded })
	sortByRecorded(g.rec.Problems, func(x *record.Problem) record.PartialDate { return x.Recorded })
	sortByRecorded(g.rec.Consultations, func(x *record.Consultation) record.PartialDate { return x.Recorded })
	sortByRecorded(g.rec.Observations, func(x *record.Observation) record.PartialDate { return x.Recorded })
	sortByRecorded(g.rec.Immunisations, func(x *record.Immunisation) record.PartialDate { return x.Recorded })
	sortByRecorded(g.rec.Investigations, func(x *record.Investigation) record.PartialDate { return x.Recorded })
	sortByRecorded(g.rec.Referrals, func(x *record.Referral) record.PartialDate { return x.Recorded })
}

func sortByRecorded[T any](s []T, at func(*T) record.PartialDate) {
	key := func(p record.PartialDate) int { return p.Year*10000 + int(p.Month)*100 + p.Day }
	slices.SortStableFunc(s, func(a, b T) int { return key(at(&a)) - key(at(&b)) })
}
