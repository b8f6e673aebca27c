package gpconnect

import (
	"errors"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
)

// structuredSeedsJSON are valid and invalid $gpc.getstructuredrecord bodies.
func structuredSeedsJSON() []string {
	nhs := sqNHS(structuredNHS)
	return []string{
		string(sqBody(nhs)),
		string(sqBody(nhs, sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(true))),
			sqParam(paramMedication, sqPart(partIncludePrescriptionIssues, sqBool(false)), sqPart(partMedicationSearchFromDate, sqDate("2025-01-01"))))),
		string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2020-01-01", "2026-03-15"))), sqParam(paramProblems))),
		string(sqBody(nhs, sqParam(paramConsultations, sqPart(partIncludeNumberOfMostRecent, `"valuePositiveInt":3`)))),
		string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterStatus, `"valueCode":"active"`), sqPart(partFilterSignificance, `"valueCode":"minor"`)))),
		string(sqBody(nhs, sqParam(paramImmunisations, sqPart(partIncludeNotGiven, sqBool(true)), sqPart(partIncludeStatus, sqBool(false))))),
		string(sqBody(nhs, sqParam(paramUncategorised, sqPart(partUncategorisedSearchPeriod, sqPeriod("2019-01-01", ""))),
			sqParam(paramInvestigations, sqPart(partInvestigationSearchPeriod, sqPeriod("", "2026-01-01"))),
			sqParam(paramReferrals, sqPart(partReferralSearchPeriod, sqPeriod("2026-03-15", "2026-03-15"))))),
		string(sqBody(nhs, sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2026-03-15"))))),
		string(sqBody(nhs, sqParam("inlcudeUnknownAllergies"), sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(false)), sqPart("x", `"valueString":"y"`)))),
		// invalid
		`{"resourceType":"Parameters"}`,
		string(sqBody(sqNHS("9690937287"))),
		string(sqBody(nhs, sqParam(paramAllergies))),
		string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2099-01-01"))))),
		string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2020-01-01T10:00:00+00:00"))))),
		string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2025-01-02", "2025-01-01"))))),
		string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2020", "")), sqPart(partIncludeNumberOfMostRecent, `"valuePositiveInt":1`)))),
		string(sqBody(nhs, sqParam(paramConsultations), sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2026-04-01"))))),
		string(sqBody(nhs, sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2020-04-01"))))),
		string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterStatus, `"valueCode":"resolved"`)))),
		`{"resourceType":"Parameters","parameter":[{"name":"patientNHSNumber","valueString":"9690937286"}]}`,
		`{"resourceType":"Parameters",`,
	}
}

func structuredSeedsXML() []string {
	const head = `<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="patientNHSNumber"/><valueIdentifier><system value="https://fhir.nhs.uk/Id/nhs-number"/><value value="9690937286"/></valueIdentifier></parameter>`
	const tail = `</Parameters>`
	return []string{
		head + tail,
		head + `<parameter><name value="includeAllergies"/><part><name value="includeResolvedAllergies"/><valueBoolean value="true"/></part></parameter>` + tail,
		head + `<parameter><name value="includeMedication"/><part><name value="medicationSearchFromDate"/><valueDate value="2025-11-30"/></part></parameter>` + tail,
		head + `<parameter><name value="includeConsultations"/><part><name value="consultationSearchPeriod"/><valuePeriod><start value="2020-01-01"/><end value="2026-03-15"/></valuePeriod></part></parameter>` + tail,
		head + `<parameter><name value="includeConsultations"/><part><name value="includeNumberOfMostRecent"/><valuePositiveInt value="2"/></part></parameter>` + tail,
		head + `<parameter><name value="includeProblems"/><part><name value="filterStatus"/><valueCode value="inactive"/></part></parameter>` + tail,
		head + `<parameter><name value="includeDiaryEntries"/><part><name value="diaryEntriesSearchDate"/><valueDate value="2026-03-20"/></part></parameter>` + tail,
		head + `<parameter><name value="includeReferrals"/><part><name value="referralSearchPeriod"/><valuePeriod><start value="2026-03-20"/></valuePeriod></part></parameter>` + tail,
		head + `<parameter><name value="includeMedication"/><part><name value="medicationSearchFromDate"/><valueDate value="2025-11-30T10:00:00+00:00"/></part></parameter>` + tail,
		head + `<parameter><name value="includeAllergies"/></parameter>` + tail,
		head + `<parameter><name value="unknown"/><part><name value="x"/></part></parameter>` + tail,
		`<Parameters xmlns="http://hl7.org/fhir"/>`,
		`<Parameters`,
	}
}

func FuzzStructuredParamsJSON(f *testing.F) {
	for _, s := range structuredSeedsJSON() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { checkStructuredBody(t, fhir.JSON, body) })
}

func FuzzStructuredParamsXML(f *testing.F) {
	for _, s := range structuredSeedsXML() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { checkStructuredBody(t, fhir.XML, body) })
}

// structuredCodes are the codes a $gpc.getstructuredrecord body may be
// refused with.
var structuredCodes = map[string]bool{SpineInvalidParameter: true, SpineInvalidResource: true, SpineInvalidNHSNumber: true}

// checkStructuredBody decodes and parses body: no panic, only the
// expected Spine codes, and an accepted query obeys the date rules.
func checkStructuredBody(t *testing.T, format fhir.Format, body string) {
	today := structuredToday
	p, err := DecodeStructuredParameters(format, []byte(body))
	if err != nil {
		var e *pcnhub.Error
		if !errors.As(err, &e) || (e.Spine != SpineInvalidResource && e.Spine != SpineInvalidParameter) {
			t.Fatalf("decode error without INVALID_RESOURCE/INVALID_PARAMETER: %v", err)
		}
		return
	}
	q, warnings, err := ParseStructuredQuery(p, today)
	// The migrate parser must not panic on the same input either.
	if _, merr := ParseMigrateQuery(p, "patient/*.read conf/N"); merr != nil {
		var e *pcnhub.Error
		if !errors.As(merr, &e) || (!structuredCodes[e.Spine] && e.Spine != SpineConflictingValues) {
			t.Fatalf("migrate error with an unexpected code: %v", merr)
		}
	}
	if err != nil {
		var e *pcnhub.Error
		if !errors.As(err, &e) || !structuredCodes[e.Spine] {
			t.Fatalf("error with an unexpected code: %v", err)
		}
		if statusOf(err) != 400 && statusOf(err) != 422 {
			t.Fatalf("error answered %d: %v", statusOf(err), err)
		}
		return
	}
	if q.NHSNumber == "" {
		t.Fatal("accepted without an NHS number")
	}
	if _, err := pcnhub.ParseNHSNumber(string(q.NHSNumber)); err != nil {
		t.Fatalf("accepted NHS number %q: %v", q.NHSNumber, err)
	}
	for _, w := range warnings {
		if w.Text != w.Diagnostics+" is an unrecognised parameter" {
			t.Fatalf("warning %+v", w)
		}
		if n, _, _ := strings.Cut(w.Diagnostics, "."); n == paramPatientNHSNumber {
			t.Fatalf("warning about a recognised parameter %+v", w)
		}
	}
	past := func(name string, d pcnhub.Date) {
		if !d.IsZero() && today.Before(d) {
			t.Fatalf("%s %s is in the future", name, d)
		}
	}
	period := func(name string, p DatePeriod) {
		past(name+".start", p.Start)
		past(name+".end", p.End)
		if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
			t.Fatalf("%s starts after it ends: %+v", name, p)
		}
	}
	if q.Medication != nil {
		past("medicationSearchFromDate", q.Medication.SearchFrom)
	}
	if q.Consultations != nil {
		period("consultationSearchPeriod", q.Consultations.SearchPeriod)
		if !q.Consultations.SearchPeriod.IsZero() && q.Consultations.MostRecent != 0 {
			t.Fatal("both consultation parts accepted")
		}
		if q.Consultations.MostRecent < 0 {
			t.Fatal("negative includeNumberOfMostRecent")
		}
		if q.Medication != nil && !q.Medication.SearchFrom.IsZero() || q.DiaryEntries != nil && !q.DiaryEntries.SearchDate.IsZero() ||
			q.Problems != nil && q.Problems.Status != "" {
			t.Fatal("forbidden combination with includeConsultations accepted")
		}
	}
	if q.Problems != nil {
		if s := q.Problems.Status; s != "" && s != "active" && s != "inactive" {
			t.Fatalf("filterStatus %q", s)
		}
		if s := q.Problems.Significance; s != "" && s != "major" && s != "minor" {
			t.Fatalf("filterSignificance %q", s)
		}
	}
	for name, pq := range map[string]*PeriodQuery{"uncategorised": q.Uncategorised, "investigations": q.Investigations, "referrals": q.Referrals} {
		if pq != nil {
			period(name, pq.Period)
		}
	}
	if q.DiaryEntries != nil && !q.DiaryEntries.SearchDate.IsZero() && q.DiaryEntries.SearchDate.Before(today) {
		t.Fatalf("diaryEntriesSearchDate %s is in the past", q.DiaryEntries.SearchDate)
	}
}

// The seeds pass the checks as plain tests too (go test runs them).
func TestStructuredFuzzSeeds(t *testing.T) {
	for _, s := range structuredSeedsJSON() {
		checkStructuredBody(t, fhir.JSON, s)
	}
	for _, s := range structuredSeedsXML() {
		checkStructuredBody(t, fhir.XML, s)
	}
}
