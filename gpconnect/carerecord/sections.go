package carerecord

import (
	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// This file writes the subsections of each section (see Render).

// ---- SUM ----

func (r *renderer) summary() {
	r.problemsActive()
	r.allergies(false)
	r.medAcute()
	r.medCurrent()
	r.encounters(titleLastEncounters, lastEncountersCount, false)
	r.notProvided(titleEmergencyCodes)
}

// ---- item index (for encounter contents and related problems) ----

const (
	kAllergy uint8 = iota + 1
	kMedication
	kProblem
	kConsultation
	kObservation
	kImmunisation
	kInvestigation
	kTestResult
	kReferral
	kDiary
	kDocument
)

// itemRef locates a clinical item in the record.
type itemRef struct {
	kind uint8
	i    int32
}

func (r *renderer) buildIndex() {
	if r.index != nil {
		return
	}
	rec := r.rec
	r.index = make(map[string]itemRef, rec.Items())
	add := func(id string, k uint8, i int) { r.index[id] = itemRef{k, int32(i)} }
	for i := range rec.Allergies {
		add(rec.Allergies[i].ID, kAllergy, i)
	}
	for i := range rec.Medications {
		add(rec.Medications[i].ID, kMedication, i)
	}
	for i := range rec.Problems {
		add(rec.Problems[i].ID, kProblem, i)
	}
	for i := range rec.Consultations {
		add(rec.Consultations[i].ID, kConsultation, i)
	}
	for i := range rec.Observations {
		add(rec.Observations[i].ID, kObservation, i)
	}
	for i := range rec.Immunisations {
		add(rec.Immunisations[i].ID, kImmunisation, i)
	}
	for i := range rec.Investigations {
		add(rec.Investigations[i].ID, kInvestigation, i)
	}
	for i := range rec.TestResults {
		add(rec.TestResults[i].ID, kTestResult, i)
	}
	for i := range rec.Referrals {
		add(rec.Referrals[i].ID, kReferral, i)
	}
	for i := range rec.DiaryEntries {
		add(rec.DiaryEntries[i].ID, kDiary, i)
	}
	for i := range rec.Documents {
		add(rec.Documents[i].ID, kDocument, i)
	}
}

// itemText writes a short description of the item with the id: its
// concept, with the value of an observation or result.
func (r *renderer) itemText(id string) {
	r.buildIndex()
	ref, ok := r.index[id]
	if !ok {
		r.w.text(textUnknownEntry)
		return
	}
	rec, i := r.rec, ref.i
	switch ref.kind {
	case kAllergy:
		r.w.text(entry(rec.Allergies[i].Code))
	case kMedication:
		r.w.text(entry(rec.Medications[i].Drug))
	case kProblem:
		r.w.text(entry(rec.Problems[i].Code))
	case kConsultation:
		r.w.text(rec.Consultations[i].Title)
	case kObservation:
		o := &rec.Observations[i]
		r.w.text(entry(o.Code))
		if hasValue(o) {
			r.w.raw(" ")
			r.obsValue(o)
		}
	case kImmunisation:
		r.w.text(entry(rec.Immunisations[i].Vaccine))
	case kInvestigation:
		r.w.text(entry(rec.Investigations[i].Code))
	case kTestResult:
		t := &rec.TestResults[i]
		r.w.text(entry(t.Code))
		if !t.Value.IsZero() || t.ValueText != "" {
			r.w.raw(" ")
			r.resultValue(t)
		}
	case kReferral:
		r.w.text(entry(rec.Referrals[i].Reason))
	case kDiary:
		r.w.text(entry(rec.DiaryEntries[i].Code))
	case kDocument:
		d := &rec.Documents[i]
		if d.Title != "" {
			r.w.text(d.Title)
		} else {
			r.w.text(entry(d.Type))
		}
	}
}

// ---- ENC ----

func consultationDate(c *record.Consultation) record.PartialDate {
	return or(c.Period.Start, c.Recorded)
}

// consultationPeriod is when an encounter took place: its period, an
// encounter with only a start lasting that date, or its recorded date.
func consultationPeriod(c *record.Consultation) record.Period {
	p := c.Period
	if p.Start.IsZero() && p.End.IsZero() {
		return record.Period{Start: c.Recorded, End: c.Recorded}
	}
	if p.End.IsZero() {
		p.End = p.Start
	}
	return p
}

// encounters writes the encounters table: filtered by the requested period
// when filter is set, at most limit rows when limit > 0, under the <h2>
// title when it is not "".
func (r *renderer) encounters(title string, limit int, filter bool) {
	var rows []keyed
	for i := range r.rec.Consultations {
		c := &r.rec.Consultations[i]
		if filter && !r.inPeriod(consultationPeriod(c)) {
			continue
		}
		rows = append(rows, keyed{key: sortKey(consultationDate(c)), i: int32(i)})
	}
	sortRows(rows)
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	label := title
	if label == "" {
		label = Encounters.Title()
	}
	r.section(sub{title: title, label: label, id: idEncounters, cols: colsEncounters}, len(rows), func() {
		for _, k := range rows {
			c := &r.rec.Consultations[k.i]
			r.tr()
			r.tdDate(consultationDate(c))
			t := c.Title
			if t == "" {
				t = entry(c.Type)
			}
			r.td(t)
			name := c.Clinician.Name
			if name == "" {
				name = c.Author.Name
			}
			r.td(name)
			r.td(c.Location)
			r.parts()
			r.part(textType, c.Type.Text())
			for _, tp := range c.Topics {
				if !r.first {
					r.w.raw("<br/>")
				}
				r.first = false
				r.topic(&tp)
			}
			r.endParts()
			r.endTr()
		}
	})
}

// topic writes "Topic: Heading: item, item; Heading: item".
func (r *renderer) topic(t *record.Topic) {
	switch {
	case t.Title != "":
		r.w.text(t.Title)
	case !t.Code.IsZero():
		r.w.text(entry(t.Code))
	case t.ProblemID != "":
		r.itemText(t.ProblemID)
	}
	for hi, h := range t.Headings {
		if hi == 0 {
			r.w.raw(": ")
		} else {
			r.w.raw("; ")
		}
		r.w.text(entry(h.Code))
		r.w.raw(": ")
		for ii, id := range h.Items {
			if ii > 0 {
				r.w.raw(", ")
			}
			r.itemText(id)
		}
	}
}

// ---- PRB ----

func problemDate(p *record.Problem) record.PartialDate { return or(p.Onset, p.Recorded) }

func (r *renderer) problemsActive() {
	var rows []keyed
	for i := range r.rec.Problems {
		p := &r.rec.Problems[i]
		if p.Status != record.ProblemInactive {
			rows = append(rows, keyed{key: sortKey(problemDate(p)), i: int32(i)})
		}
	}
	sortRows(rows)
	s := sub{title: titleActiveProblems, label: titleActiveProblems, id: idProblemsActive, cols: colsProblemsActive, banner: bannerNotFiltered}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			p := &r.rec.Problems[k.i]
			r.tr()
			r.tdDate(problemDate(p))
			r.td(entry(p.Code))
			r.td(significance(p.Significance))
			r.problemDetails(p)
			r.endTr()
		}
	})
}

func (r *renderer) problems() {
	r.problemsActive()
	for _, major := range []bool{true, false} {
		var rows []keyed
		for i := range r.rec.Problems {
			p := &r.rec.Problems[i]
			if p.Status != record.ProblemInactive || (p.Significance == record.Major) != major {
				continue
			}
			if !r.inPeriod(record.Period{Start: problemDate(p), End: p.Abatement}) {
				continue
			}
			rows = append(rows, keyed{key: sortKey(problemDate(p)), i: int32(i)})
		}
		sortRows(rows)
		s := sub{title: titleMajorInactive, label: titleMajorInactive, id: idProblemsMajInact, cols: colsProblemsInact}
		if !major {
			s = sub{title: titleOtherInactive, label: titleOtherInactive, id: idProblemsOthInact, cols: colsProblemsInact}
		}
		r.section(s, len(rows), func() {
			for _, k := range rows {
				p := &r.rec.Problems[k.i]
				r.tr()
				r.tdDate(problemDate(p))
				r.tdDateOpt(p.Abatement)
				r.td(entry(p.Code))
				r.td(significance(p.Significance))
				r.problemDetails(p)
				r.endTr()
			}
		})
	}
}

func significance(s record.Significance) string {
	switch s {
	case record.Major:
		return textMajor
	case record.Minor:
		return textMinor
	}
	return ""
}

func (r *renderer) problemDetails(p *record.Problem) {
	r.parts()
	r.part("", p.Note)
	if len(p.Related) > 0 {
		r.sep()
		r.w.text(textRelatedProblems)
		for i, l := range p.Related {
			if i > 0 {
				r.w.raw(", ")
			}
			r.itemText(l.ProblemID)
		}
	}
	r.endParts()
}

// ---- ALL ----

func allergyDate(a *record.Allergy) record.PartialDate {
	return or(a.Onset, or(a.Asserted, a.Recorded))
}

// allergies writes current allergies, and historical ones when all is set.
func (r *renderer) allergies(all bool) {
	for _, hist := range []bool{false, true} {
		if hist && !all {
			return
		}
		var rows []keyed
		for i := range r.rec.Allergies {
			a := &r.rec.Allergies[i]
			if (a.Status == record.AllergyResolved) == hist {
				rows = append(rows, keyed{key: sortKey(allergyDate(a)), i: int32(i)})
			}
		}
		sortRows(rows)
		s := sub{title: titleCurrentAllergies, label: titleCurrentAllergies, id: idAllergiesCurrent, cols: colsAllergiesCurr}
		if hist {
			s = sub{title: titleHistoricalAllergies, label: titleHistoricalAllergies, id: idAllergiesHist, cols: colsAllergiesHist}
		}
		r.section(s, len(rows), func() {
			for _, k := range rows {
				a := &r.rec.Allergies[k.i]
				r.tr()
				r.tdDate(allergyDate(a))
				if hist {
					r.tdDateOpt(a.Ended)
				}
				switch {
				case a.NoKnownAllergies && a.Code.Text() == "":
					r.td(textNoKnownAllergies)
				default:
					r.td(entry(a.Code))
				}
				r.parts()
				if a.Substance.Text() != a.Code.Text() {
					r.part(textSubstance, a.Substance.Text())
				}
				if len(a.Manifestations) > 0 {
					r.sep()
					r.w.text(textReaction)
					for i, m := range a.Manifestations {
						if i > 0 {
							r.w.raw(", ")
						}
						r.w.text(entry(m))
					}
				}
				r.part(textCategory, a.Category)
				if hist {
					r.part(textReason, a.EndReason)
				}
				r.part("", a.Note)
				r.endParts()
				r.endTr()
			}
		})
	}
}

// ---- MED ----

func medType(t record.PrescriptionType) string {
	switch t {
	case record.PrescriptionAcute:
		return textAcute
	case record.PrescriptionRepeat:
		return textRepeat
	case record.PrescriptionRepeatDispensing:
		return textRepeatDispensing
	}
	return ""
}

func isRepeat(t record.PrescriptionType) bool {
	return t == record.PrescriptionRepeat || t == record.PrescriptionRepeatDispensing
}

func medStatus(m *record.Medication) string {
	if m.Authorisation.Status != "" {
		return m.Authorisation.Status
	}
	return m.Statement.Status
}

// discontinued reports whether an authorisation has stopped, completed or
// ended before today.
func (r *renderer) discontinued(m *record.Medication) bool {
	switch medStatus(m) {
	case "stopped", "completed":
		return true
	}
	end := m.Authorisation.Effective.End
	return !end.IsZero() && !end.Overlaps(r.today, pcnhub.Date{})
}

// acute12 reports whether an acute authorisation was active in the 12
// months up to today (record.MedicationActiveFrom, without its rule that
// medication prescribed elsewhere is always returned).
func (r *renderer) acute12(m *record.Medication) bool {
	if m.Authorisation.Type != record.PrescriptionAcute {
		return false
	}
	a := m.Authorisation
	a.PrescribedElsewhere = false
	return record.MedicationActiveFrom(a, r.acuteFrom())
}

func medStart(m *record.Medication) record.PartialDate {
	return or(m.Authorisation.Effective.Start, m.Recorded)
}

// medPeriod is the authorisation's period for filtering: an acute with no
// end lasts its start day.
func medPeriod(m *record.Medication) record.Period {
	p := m.Authorisation.Effective
	if p.Start.IsZero() {
		p.Start = m.Recorded
	}
	if p.End.IsZero() && m.Authorisation.Type == record.PrescriptionAcute {
		p.End = p.Start
	}
	return p
}

func lastIssued(m *record.Medication) record.PartialDate {
	if !m.Statement.LastIssued.IsZero() {
		return m.Statement.LastIssued
	}
	var last record.PartialDate
	for _, is := range m.Issues {
		if sortKey(is.Date) > sortKey(last) {
			last = is.Date
		}
	}
	return last
}

func issuedCount(m *record.Medication) int {
	if m.Authorisation.RepeatsIssued > 0 {
		return m.Authorisation.RepeatsIssued
	}
	return len(m.Issues)
}

func (r *renderer) medAdditional(m *record.Medication) {
	r.parts()
	if m.Authorisation.PrescribedElsewhere {
		r.part("", textPrescribedElsewhere)
	}
	r.part(textPatientNote, m.Authorisation.PatientNote)
	r.part(textNote, m.Statement.Note)
	r.endParts()
}

// medRows selects and orders medications.
func (r *renderer) medRows(keep func(*record.Medication) bool, date func(*record.Medication) record.PartialDate) []keyed {
	var rows []keyed
	for i := range r.rec.Medications {
		m := &r.rec.Medications[i]
		if keep(m) {
			rows = append(rows, keyed{key: sortKey(date(m)), i: int32(i)})
		}
	}
	sortRows(rows)
	return rows
}

func (r *renderer) medAcute() {
	rows := r.medRows(r.acute12, medStart)
	s := sub{title: titleAcuteMedication, label: titleAcuteMedication, id: idMedAcute, cols: colsMedAcute, banner: bannerLast12}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			m := &r.rec.Medications[k.i]
			a := &m.Authorisation
			r.tr()
			r.td(medType(a.Type))
			r.tdDate(medStart(m))
			r.tdClass(classMedItemColumn, entry(m.Drug))
			r.td(a.Dosage)
			r.tdQuantity(a.Quantity)
			r.tdDateOpt(a.Effective.End)
			r.tdInt(a.SupplyDays)
			r.medAdditional(m)
			r.endTr()
		}
	})
}

func (r *renderer) medCurrent() {
	rows := r.medRows(func(m *record.Medication) bool {
		return isRepeat(m.Authorisation.Type) && !r.discontinued(m)
	}, medStart)
	s := sub{title: titleCurrentRepeats, label: titleCurrentRepeats, id: idMedCurrentRepeat, cols: colsMedCurrent, banner: bannerNotFiltered}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			m := &r.rec.Medications[k.i]
			a := &m.Authorisation
			r.tr()
			r.td(medType(a.Type))
			r.tdDate(medStart(m))
			r.tdClass(classMedItemColumn, entry(m.Drug))
			r.td(a.Dosage)
			r.tdQuantity(a.Quantity)
			r.tdDateOpt(lastIssued(m))
			r.tdInt(issuedCount(m))
			r.tdInt(a.RepeatsAllowed)
			r.tdDateOpt(a.ReviewDate)
			r.medAdditional(m)
			r.endTr()
		}
	})
}

func (r *renderer) medications() {
	r.medAcute()
	r.medCurrent()

	disc := r.medRows(func(m *record.Medication) bool {
		return isRepeat(m.Authorisation.Type) && r.discontinued(m)
	}, func(m *record.Medication) record.PartialDate {
		return or(m.Authorisation.Effective.End, medStart(m))
	})
	s := sub{title: titleDiscontinued, label: titleDiscontinued, id: idMedDiscontinued, cols: colsMedDiscontinued, banner: bannerNotFiltered}
	r.section(s, len(disc), func() {
		for _, k := range disc {
			m := &r.rec.Medications[k.i]
			a := &m.Authorisation
			r.tr()
			r.td(medType(a.Type))
			r.tdDateOpt(lastIssued(m))
			r.tdClass(classMedItemColumn, entry(m.Drug))
			r.td(a.Dosage)
			r.tdQuantity(a.Quantity)
			r.tdDateOpt(a.Effective.End)
			r.td(a.StoppedReason)
			r.medAdditional(m)
			r.endTr()
		}
	})

	all := r.medRows(func(m *record.Medication) bool { return r.inPeriod(medPeriod(m)) }, medStart)
	s = sub{title: titleAllMedication, label: titleAllMedication, id: idMedAll, cols: colsMedAll}
	r.section(s, len(all), func() {
		for _, k := range all {
			m := &r.rec.Medications[k.i]
			a := &m.Authorisation
			r.tr()
			r.td(medType(a.Type))
			r.tdDate(medStart(m))
			r.tdClass(classMedItemColumn, entry(m.Drug))
			r.td(a.Dosage)
			r.tdQuantity(a.Quantity)
			r.tdDateOpt(lastIssued(m))
			r.tdInt(issuedCount(m))
			r.parts()
			if st := medStatus(m); st == "stopped" || (isRepeat(a.Type) && r.discontinued(m)) {
				r.sep()
				switch st {
				case "stopped":
					r.w.text(textStopped)
				case "completed":
					r.w.text(textCompleted)
				default:
					r.w.text(textEnded)
				}
				if !a.Effective.End.IsZero() {
					r.w.raw(" ")
					r.w.b = appendPartial(r.w.b, a.Effective.End)
				}
				if a.StoppedReason != "" {
					r.w.raw(": ")
					r.w.text(a.StoppedReason)
				}
			}
			r.endParts()
			r.medAdditional(m)
			r.endTr()
		}
	})

	var issues []keyed
	for i := range r.rec.Medications {
		for j := range r.rec.Medications[i].Issues {
			is := &r.rec.Medications[i].Issues[j]
			if r.in(is.Date) {
				issues = append(issues, keyed{key: sortKey(is.Date), i: int32(i), j: int32(j)})
			}
		}
	}
	sortRows(issues)
	s = sub{title: titleAllIssues, label: titleAllIssues, id: idMedAllIssues, cols: colsMedIssues}
	r.section(s, len(issues), func() {
		for _, k := range issues {
			m := &r.rec.Medications[k.i]
			a := &m.Authorisation
			is := &m.Issues[k.j]
			r.tr()
			r.td(medType(a.Type))
			r.tdDate(is.Date)
			r.tdClass(classMedItemColumn, entry(m.Drug))
			r.td(a.Dosage)
			if is.Quantity.IsZero() {
				r.tdQuantity(a.Quantity)
			} else {
				r.tdQuantity(is.Quantity)
			}
			r.tdInt(is.SupplyDays)
			r.parts()
			if a.PrescribedElsewhere {
				r.part("", textPrescribedElsewhere)
			}
			r.part(textPrescriber, is.Prescriber.Name)
			r.endParts()
			r.endTr()
		}
	})
}

// ---- CLI and OBS ----

// hasValue reports whether an uncategorised entry carries a value: it is
// then an observation (OBS) rather than a clinical item (CLI).
func hasValue(o *record.Observation) bool {
	return !o.Value.IsZero() || o.ValueText != "" || len(o.Components) > 0
}

func obsDate(o *record.Observation) record.PartialDate { return or(o.Effective, o.Recorded) }

func investigationDate(x *record.Investigation) record.PartialDate {
	return or(x.Effective, or(x.Issued, x.Recorded))
}

func resultDate(t *record.TestResult) record.PartialDate { return or(t.Effective, t.Recorded) }

func isResult(t *record.TestResult) bool {
	return t.Kind == record.ResultValue || (t.Kind == "" && (!t.Value.IsZero() || t.ValueText != ""))
}

const (
	rowObservation uint8 = iota
	rowInvestigation
	rowFilingComment
	rowTestResult
	rowDiary
	rowDocument
)

func (r *renderer) clinicalItems() {
	var rows []keyed
	for i := range r.rec.Observations {
		o := &r.rec.Observations[i]
		if !hasValue(o) && r.in(obsDate(o)) {
			rows = append(rows, keyed{key: sortKey(obsDate(o)), kind: rowObservation, i: int32(i)})
		}
	}
	for i := range r.rec.Investigations {
		x := &r.rec.Investigations[i]
		if r.in(investigationDate(x)) {
			rows = append(rows, keyed{key: sortKey(investigationDate(x)), kind: rowInvestigation, i: int32(i)})
		}
	}
	for i := range r.rec.TestResults {
		t := &r.rec.TestResults[i]
		if t.Kind == record.ResultFilingComment && r.in(resultDate(t)) {
			rows = append(rows, keyed{key: sortKey(resultDate(t)), kind: rowFilingComment, i: int32(i)})
		}
	}
	sortRows(rows)
	s := sub{label: ClinicalItems.Title(), id: idClinicalItems, cols: colsClinicalItems}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			r.tr()
			switch k.kind {
			case rowObservation:
				o := &r.rec.Observations[k.i]
				r.tdDate(obsDate(o))
				r.td(entry(o.Code))
				r.parts()
				r.part(textInterpretation, o.Interpretation)
				r.part(textComment, o.Comment)
				r.part(textPerformer, o.Performer.Name)
				r.endParts()
			case rowInvestigation:
				x := &r.rec.Investigations[k.i]
				r.tdDate(investigationDate(x))
				r.td(entry(x.Code))
				r.parts()
				r.part("", textInvestigation)
				r.part(textStatus, x.Status)
				for _, sp := range x.Specimens {
					r.part(textSpecimen, sp.Type.Text())
				}
				r.part(textLaboratory, x.Performer)
				r.part(textRequester, x.Requester.Name)
				r.endParts()
			case rowFilingComment:
				t := &r.rec.TestResults[k.i]
				r.tdDate(resultDate(t))
				r.td(textFilingComment)
				r.parts()
				r.part("", t.Comment)
				r.part("", t.ValueText)
				r.endParts()
			}
			r.endTr()
		}
	})
}

// obsValue writes an observation's value: a blood pressure as
// "120/80 mmHg", else the quantity, the text, or the components.
func (r *renderer) obsValue(o *record.Observation) {
	if sys, dia, ok := o.BloodPressure(); ok {
		r.w.text(sys.Comparator)
		r.w.text(sys.Value)
		if sys.Unit != dia.Unit {
			r.w.raw(" ")
			r.w.text(sys.Unit)
		}
		r.w.raw("/")
		r.quantity(dia)
		return
	}
	switch {
	case !o.Value.IsZero():
		r.quantity(o.Value)
	case o.ValueText != "":
		r.w.text(o.ValueText)
	default:
		for i, c := range o.Components {
			if i > 0 {
				r.w.raw("; ")
			}
			r.w.text(entry(c.Code))
			r.w.raw(": ")
			if c.Value.IsZero() {
				r.w.text(c.Text)
			} else {
				r.quantity(c.Value)
			}
		}
	}
}

func (r *renderer) resultValue(t *record.TestResult) {
	if !t.Value.IsZero() {
		r.quantity(t.Value)
		return
	}
	r.w.text(t.ValueText)
}

func (r *renderer) observations() {
	var rows []keyed
	for i := range r.rec.Observations {
		o := &r.rec.Observations[i]
		if hasValue(o) && r.in(obsDate(o)) {
			rows = append(rows, keyed{key: sortKey(obsDate(o)), kind: rowObservation, i: int32(i)})
		}
	}
	for i := range r.rec.TestResults {
		t := &r.rec.TestResults[i]
		if isResult(t) && r.in(resultDate(t)) {
			rows = append(rows, keyed{key: sortKey(resultDate(t)), kind: rowTestResult, i: int32(i)})
		}
	}
	sortRows(rows)
	s := sub{label: Observations.Title(), id: idObservations, cols: colsObservations}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			r.tr()
			if k.kind == rowObservation {
				o := &r.rec.Observations[k.i]
				r.tdDate(obsDate(o))
				r.td(entry(o.Code))
				r.w.open("td")
				r.obsValue(o)
				r.w.close("td")
				r.parts()
				r.partRange(o.Range)
				r.part(textInterpretation, o.Interpretation)
				r.part(textComment, o.Comment)
				r.part(textPerformer, o.Performer.Name)
				r.endParts()
			} else {
				t := &r.rec.TestResults[k.i]
				r.tdDate(resultDate(t))
				r.td(entry(t.Code))
				r.w.open("td")
				r.resultValue(t)
				r.w.close("td")
				r.parts()
				r.partRange(t.Range)
				r.part(textInterpretation, t.Interpretation)
				r.part(textComment, t.Comment)
				r.endParts()
			}
			r.endTr()
		}
	})
}

// ---- REF ----

func (r *renderer) referrals() {
	var rows []keyed
	for i := range r.rec.Referrals {
		x := &r.rec.Referrals[i]
		if d := or(x.Date, x.Recorded); r.in(d) {
			rows = append(rows, keyed{key: sortKey(d), i: int32(i)})
		}
	}
	sortRows(rows)
	s := sub{label: Referrals.Title(), id: idReferrals, cols: colsReferrals}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			x := &r.rec.Referrals[k.i]
			r.tr()
			r.tdDate(or(x.Date, x.Recorded))
			r.td(x.Author.Name)
			r.w.open("td")
			r.w.text(x.Recipient.Name)
			if x.Recipient.Name != "" && x.Service != "" {
				r.w.raw(", ")
			}
			r.w.text(x.Service)
			r.w.close("td")
			r.td(capitalise(x.Priority))
			r.parts()
			r.part(textReason, x.Reason.Text())
			r.part(textStatus, x.Status)
			r.part("", x.Note)
			r.endParts()
			r.endTr()
		}
	})
}

// capitalise upper-cases an initial ASCII letter ("urgent" → "Urgent").
func capitalise(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// ---- IMM ----

func (r *renderer) immunisations() {
	var rows []keyed
	for i := range r.rec.Immunisations {
		x := &r.rec.Immunisations[i]
		rows = append(rows, keyed{key: sortKey(or(x.Date, x.Recorded)), i: int32(i)})
	}
	sortRows(rows)
	s := sub{label: Immunisations.Title(), id: idImmunisations, cols: colsImmunisations}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			x := &r.rec.Immunisations[k.i]
			r.tr()
			r.tdDate(or(x.Date, x.Recorded))
			r.td(entry(x.Vaccine))
			r.w.open("td")
			if x.Dose > 0 {
				r.w.text(textDose)
				r.w.raw(itoa(x.Dose))
			}
			r.w.close("td")
			r.parts()
			switch x.Kind {
			case record.ImmunisationNotGiven:
				r.part("", textNotGiven)
				r.part(textReason, x.Reason.Text())
			case record.ImmunisationStatus:
				r.part(textStatus, x.Status.Text())
			}
			r.part(textBatch, x.Batch)
			r.part(textSite, x.Site.Text())
			r.part(textRoute, x.Route.Text())
			r.part(textGivenBy, x.Performer.Name)
			r.part("", x.Note)
			r.endParts()
			r.endTr()
		}
	})
}

// ---- ADM ----

func (r *renderer) administrative() {
	var rows []keyed
	for i := range r.rec.DiaryEntries {
		x := &r.rec.DiaryEntries[i]
		if d := or(x.Due, x.Recorded); r.in(d) {
			rows = append(rows, keyed{key: sortKey(d), kind: rowDiary, i: int32(i)})
		}
	}
	for i := range r.rec.Documents {
		x := &r.rec.Documents[i]
		if d := or(x.Created, x.Recorded); r.in(d) {
			rows = append(rows, keyed{key: sortKey(d), kind: rowDocument, i: int32(i)})
		}
	}
	sortRows(rows)
	s := sub{label: Administrative.Title(), id: idAdministrative, cols: colsAdministrative}
	r.section(s, len(rows), func() {
		for _, k := range rows {
			r.tr()
			if k.kind == rowDiary {
				x := &r.rec.DiaryEntries[k.i]
				r.tdDate(or(x.Due, x.Recorded))
				r.td(entry(x.Code))
				r.parts()
				r.part("", textDiaryEntry)
				r.part(textStatus, x.Status)
				r.part("", x.Note)
				r.endParts()
			} else {
				x := &r.rec.Documents[k.i]
				r.tdDate(or(x.Created, x.Recorded))
				if x.Title != "" {
					r.td(x.Title)
				} else {
					r.td(entry(x.Type))
				}
				r.parts()
				r.part("", textDocument)
				if x.Title != "" {
					r.part(textType, x.Type.Text())
				}
				r.part(textCustodian, string(x.Custodian))
				r.endParts()
			}
			r.endTr()
		}
	})
}
