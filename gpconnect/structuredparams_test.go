package gpconnect

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
)

// structuredToday is the Europe/London date the tests parse against.
var structuredToday = pcnhub.Date{Year: 2026, Month: time.March, Day: 15}

const structuredNHS = "9690937286" // assurance patient2

// Builders of JSON Parameters bodies, as a consumer writes them.

func sqBody(params ...string) []byte {
	return []byte(`{"resourceType":"Parameters","parameter":[` + strings.Join(params, ",") + `]}`)
}

func sqNHS(value string) string {
	return `{"name":"patientNHSNumber","valueIdentifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"` + value + `"}}`
}

// sqParam is a parameter with parts (or none).
func sqParam(name string, parts ...string) string {
	if len(parts) == 0 {
		return `{"name":"` + name + `"}`
	}
	return `{"name":"` + name + `","part":[` + strings.Join(parts, ",") + `]}`
}

// sqPart is a part with one value element, e.g. sqPart("x", `"valueBoolean":true`).
func sqPart(name, value string) string { return `{"name":"` + name + `",` + value + `}` }

func sqBool(b bool) string {
	if b {
		return `"valueBoolean":true`
	}
	return `"valueBoolean":false`
}
func sqDate(d string) string { return `"valueDate":"` + d + `"` }
func sqPeriod(start, end string) string {
	var f []string
	if start != "" {
		f = append(f, `"start":"`+start+`"`)
	}
	if end != "" {
		f = append(f, `"end":"`+end+`"`)
	}
	return `"valuePeriod":{` + strings.Join(f, ",") + `}`
}

// parseStructuredBody decodes body as the wire delivers it and parses it.
func parseStructuredBody(format fhir.Format, body []byte, today pcnhub.Date) (*StructuredQuery, []StructuredWarning, error) {
	p, err := DecodeStructuredParameters(format, body)
	if err != nil {
		return nil, nil, err
	}
	return ParseStructuredQuery(p, today)
}

// wantSpine checks err is the Spine error code, answered with status,
// whose diagnostic mentions every one of names.
func wantSpine(t *testing.T, err error, code string, status int, names ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	var e *pcnhub.Error
	if !errors.As(err, &e) || e.Spine != code {
		t.Fatalf("error %v, want Spine code %s", err, code)
	}
	spine, sc, diag := classify(err)
	if spine != code || sc.status != status || statusOf(err) != status {
		t.Fatalf("%v answered as %s %d, want %s %d", err, spine, sc.status, code, status)
	}
	for _, n := range names {
		if !strings.Contains(diag, n) {
			t.Errorf("diagnostic %q does not name %q", diag, n)
		}
	}
}

func TestStructuredHappyPaths(t *testing.T) {
	d := func(y int, m time.Month, day int) pcnhub.Date { return pcnhub.Date{Year: y, Month: m, Day: day} }
	cases := []struct {
		name string
		body []byte
		want StructuredQuery
	}{
		{"nhs number only", sqBody(sqNHS(structuredNHS)), StructuredQuery{NHSNumber: structuredNHS}},
		{"every area without parts, defaults",
			sqBody(sqNHS(structuredNHS), sqParam(paramMedication), sqParam(paramConsultations), sqParam(paramProblems),
				sqParam(paramImmunisations), sqParam(paramUncategorised), sqParam(paramInvestigations), sqParam(paramReferrals),
				sqParam(paramDiaryEntries)),
			StructuredQuery{NHSNumber: structuredNHS,
				Medication:    &MedicationQuery{IncludePrescriptionIssues: true},
				Consultations: &ConsultationsQuery{}, Problems: &ProblemsQuery{},
				Immunisations: &ImmunisationsQuery{IncludeNotGiven: false, IncludeStatus: true},
				Uncategorised: &PeriodQuery{}, Investigations: &PeriodQuery{}, Referrals: &PeriodQuery{}, DiaryEntries: &DiaryQuery{}}},
		{"allergies resolved",
			sqBody(sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(true))), sqNHS(structuredNHS)),
			StructuredQuery{NHSNumber: structuredNHS, Allergies: &AllergiesQuery{IncludeResolved: true}}},
		{"allergies not resolved",
			sqBody(sqNHS(structuredNHS), sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(false)))),
			StructuredQuery{NHSNumber: structuredNHS, Allergies: &AllergiesQuery{}}},
		{"medication with parts, from today",
			sqBody(sqNHS(structuredNHS), sqParam(paramMedication, sqPart(partIncludePrescriptionIssues, sqBool(false)),
				sqPart(partMedicationSearchFromDate, sqDate("2026-03-15")))),
			StructuredQuery{NHSNumber: structuredNHS, Medication: &MedicationQuery{SearchFrom: d(2026, 3, 15)}}},
		{"consultations period ending today",
			sqBody(sqNHS(structuredNHS), sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2020-01-01", "2026-03-15")))),
			StructuredQuery{NHSNumber: structuredNHS, Consultations: &ConsultationsQuery{SearchPeriod: DatePeriod{Start: d(2020, 1, 1), End: d(2026, 3, 15)}}}},
		{"consultations start only, single day",
			sqBody(sqNHS(structuredNHS), sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2026-03-15", "")))),
			StructuredQuery{NHSNumber: structuredNHS, Consultations: &ConsultationsQuery{SearchPeriod: DatePeriod{Start: d(2026, 3, 15)}}}},
		{"consultations most recent",
			sqBody(sqNHS(structuredNHS), sqParam(paramConsultations, sqPart(partIncludeNumberOfMostRecent, `"valuePositiveInt":3`))),
			StructuredQuery{NHSNumber: structuredNHS, Consultations: &ConsultationsQuery{MostRecent: 3}}},
		{"consultations with the parts problems and consultations allow",
			sqBody(sqNHS(structuredNHS), sqParam(paramConsultations), sqParam(paramProblems),
				sqParam(paramMedication, sqPart(partIncludePrescriptionIssues, sqBool(true))),
				sqParam(paramInvestigations, sqPart(partInvestigationSearchPeriod, sqPeriod("", "2025-12-31"))),
				sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(true)))),
			StructuredQuery{NHSNumber: structuredNHS, Consultations: &ConsultationsQuery{}, Problems: &ProblemsQuery{},
				Medication:     &MedicationQuery{IncludePrescriptionIssues: true},
				Investigations: &PeriodQuery{Period: DatePeriod{End: d(2025, 12, 31)}},
				Allergies:      &AllergiesQuery{IncludeResolved: true}}},
		{"problems filters",
			sqBody(sqNHS(structuredNHS), sqParam(paramProblems, sqPart(partFilterStatus, `"valueCode":"inactive"`),
				sqPart(partFilterSignificance, `"valueCode":"major"`))),
			StructuredQuery{NHSNumber: structuredNHS, Problems: &ProblemsQuery{Status: "inactive", Significance: "major"}}},
		{"problems with its own filterStatus and immunisations without parts",
			sqBody(sqNHS(structuredNHS), sqParam(paramProblems, sqPart(partFilterStatus, `"valueCode":"active"`)), sqParam(paramImmunisations)),
			StructuredQuery{NHSNumber: structuredNHS, Problems: &ProblemsQuery{Status: "active"}, Immunisations: &ImmunisationsQuery{IncludeStatus: true}}},
		{"immunisations parts",
			sqBody(sqNHS(structuredNHS), sqParam(paramImmunisations, sqPart(partIncludeNotGiven, sqBool(true)), sqPart(partIncludeStatus, sqBool(false)))),
			StructuredQuery{NHSNumber: structuredNHS, Immunisations: &ImmunisationsQuery{IncludeNotGiven: true}}},
		{"period areas",
			sqBody(sqNHS(structuredNHS),
				sqParam(paramUncategorised, sqPart(partUncategorisedSearchPeriod, sqPeriod("2019-02-28", "2019-02-28"))),
				sqParam(paramInvestigations, sqPart(partInvestigationSearchPeriod, sqPeriod("2024-02-29", ""))),
				sqParam(paramReferrals, sqPart(partReferralSearchPeriod, sqPeriod("", "2026-03-15")))),
			StructuredQuery{NHSNumber: structuredNHS,
				Uncategorised:  &PeriodQuery{Period: DatePeriod{Start: d(2019, 2, 28), End: d(2019, 2, 28)}},
				Investigations: &PeriodQuery{Period: DatePeriod{Start: d(2024, 2, 29)}},
				Referrals:      &PeriodQuery{Period: DatePeriod{End: d(2026, 3, 15)}}}},
		{"diary today", sqBody(sqNHS(structuredNHS), sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2026-03-15")))),
			StructuredQuery{NHSNumber: structuredNHS, DiaryEntries: &DiaryQuery{SearchDate: d(2026, 3, 15)}}},
		{"diary ten years ahead", sqBody(sqNHS(structuredNHS), sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2036-03-15")))),
			StructuredQuery{NHSNumber: structuredNHS, DiaryEntries: &DiaryQuery{SearchDate: d(2036, 3, 15)}}},
		{"forbidden parts are fine without consultations and problems",
			sqBody(sqNHS(structuredNHS),
				sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2025-01-01"))),
				sqParam(paramImmunisations, sqPart(partIncludeNotGiven, sqBool(false))),
				sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2026-04-01")))),
			StructuredQuery{NHSNumber: structuredNHS,
				Medication:    &MedicationQuery{IncludePrescriptionIssues: true, SearchFrom: d(2025, 1, 1)},
				Immunisations: &ImmunisationsQuery{IncludeStatus: true},
				DiaryEntries:  &DiaryQuery{SearchDate: d(2026, 4, 1)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, w, err := parseStructuredBody(fhir.JSON, c.body, structuredToday)
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if len(w) != 0 {
				t.Errorf("warnings %v", w)
			}
			if !reflect.DeepEqual(*q, c.want) {
				t.Errorf("got  %+v\nwant %+v", *q, c.want)
			}
		})
	}
}

func TestStructuredErrors(t *testing.T) {
	nhs := sqNHS(structuredNHS)
	const (
		badParam = SpineInvalidParameter
		badRes   = SpineInvalidResource
		badNHS   = SpineInvalidNHSNumber
	)
	cases := []struct {
		name   string
		body   string // JSON
		code   string
		status int
		names  []string // the diagnostic names these
	}{
		// Body and recognition.
		{"not Parameters", `{"resourceType":"Patient"}`, badRes, 422, nil},
		{"not JSON", `{"resourceType":"Parameters",`, badRes, 422, nil},
		{"unknown element", `{"resourceType":"Parameters","parameter":[{"name":"patientNHSNumber","valueThing":1}]}`, badRes, 422, nil},
		{"no parameters", `{"resourceType":"Parameters"}`, badParam, 422, []string{"no recognised parameters"}},
		{"only unknown parameters", string(sqBody(sqParam("includeEverything"))), badParam, 422, []string{"no recognised parameters"}},

		// patientNHSNumber.
		{"missing patientNHSNumber", string(sqBody(sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(true))))), badParam, 422, []string{paramPatientNHSNumber}},
		{"patientNHSNumber as string", string(sqBody(`{"name":"patientNHSNumber","valueString":"9690937286"}`)), badParam, 422, []string{paramPatientNHSNumber, "valueIdentifier", "valueString"}},
		{"patientNHSNumber without value", string(sqBody(`{"name":"patientNHSNumber"}`)), badParam, 422, []string{paramPatientNHSNumber}},
		{"patientNHSNumber wrong system", string(sqBody(`{"name":"patientNHSNumber","valueIdentifier":{"system":"https://example.org/id","value":"9690937286"}}`)), badParam, 422, []string{paramPatientNHSNumber, fhir.SystemNHSNumber}},
		{"patientNHSNumber no identifier value", string(sqBody(`{"name":"patientNHSNumber","valueIdentifier":{"system":"https://fhir.nhs.uk/Id/nhs-number"}}`)), badParam, 422, []string{paramPatientNHSNumber}},
		{"patientNHSNumber twice", string(sqBody(nhs, nhs)), badParam, 422, []string{paramPatientNHSNumber, "once"}},
		{"bad check digit", string(sqBody(sqNHS("9690937287"))), badNHS, 400, []string{paramPatientNHSNumber}},
		{"nine digits", string(sqBody(sqNHS("999999999"))), badNHS, 400, []string{paramPatientNHSNumber}},
		{"eleven digits", string(sqBody(sqNHS("90000000090"))), badNHS, 400, []string{paramPatientNHSNumber}},
		{"letters", string(sqBody(sqNHS("hello"))), badNHS, 400, []string{paramPatientNHSNumber}},
		{"spaced", string(sqBody(sqNHS("969 093 7286"))), badNHS, 400, []string{paramPatientNHSNumber}},

		// Allergies.
		{"includeResolvedAllergies missing", string(sqBody(nhs, sqParam(paramAllergies))), badParam, 422, []string{"includeAllergies.includeResolvedAllergies"}},
		{"includeResolvedAllergies missing, unknown part", string(sqBody(nhs, sqParam(paramAllergies, sqPart(partIncludePrescriptionIssues, sqBool(true))))), badParam, 422, []string{"includeAllergies.includeResolvedAllergies"}},
		{"includeResolvedAllergies without value", string(sqBody(nhs, sqParam(paramAllergies, `{"name":"includeResolvedAllergies"}`))), badParam, 422, []string{"includeAllergies.includeResolvedAllergies", "no value"}},
		{"includeResolvedAllergies as code", string(sqBody(nhs, sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, `"valueCode":"true"`)))), badParam, 422, []string{"includeAllergies.includeResolvedAllergies", "valueBoolean"}},
		{"includeResolvedAllergies twice", string(sqBody(nhs, sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(true)), sqPart(partIncludeResolvedAllergies, sqBool(false))))), badParam, 422, []string{"includeAllergies.includeResolvedAllergies"}},
		{"includeAllergies twice", string(sqBody(nhs, sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(true))), sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(true))))), badParam, 422, []string{"includeAllergies"}},
		{"includeAllergies with a value", string(sqBody(nhs, `{"name":"includeAllergies","valueBoolean":true}`)), badParam, 422, []string{"includeAllergies"}},
		{"part with parts", string(sqBody(nhs, sqParam(paramAllergies, `{"name":"includeResolvedAllergies","part":[{"name":"x","valueBoolean":true}]}`))), badParam, 422, []string{"includeAllergies.includeResolvedAllergies"}},

		// Medication dates.
		{"medicationSearchFromDate tomorrow", string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2026-03-16"))))), badParam, 422, []string{"includeMedication.medicationSearchFromDate", "future"}},
		{"medicationSearchFromDate year", string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2020"))))), badParam, 422, []string{"includeMedication.medicationSearchFromDate"}},
		{"medicationSearchFromDate year-month", string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2020-06"))))), badParam, 422, []string{"includeMedication.medicationSearchFromDate"}},
		{"medicationSearchFromDate timed", string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2020-06-01T10:00:00+01:00"))))), badParam, 422, []string{"includeMedication.medicationSearchFromDate"}},
		{"medicationSearchFromDate as dateTime", string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, `"valueDateTime":"2020-06-01T10:00:00+01:00"`)))), badParam, 422, []string{"includeMedication.medicationSearchFromDate", "valueDate"}},
		{"medicationSearchFromDate negative year", string(sqBody(nhs, sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("-0001-01-01"))))), badParam, 422, []string{"includeMedication.medicationSearchFromDate"}},
		{"includePrescriptionIssues as string", string(sqBody(nhs, sqParam(paramMedication, sqPart(partIncludePrescriptionIssues, `"valueString":"false"`)))), badParam, 422, []string{"includeMedication.includePrescriptionIssues"}},

		// Consultations.
		{"both consultation parts", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2020-01-01", "")), sqPart(partIncludeNumberOfMostRecent, `"valuePositiveInt":3`)))), badRes, 422, []string{"consultationSearchPeriod", "includeNumberOfMostRecent"}},
		{"consultation period start in future", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2026-03-16", ""))))), badParam, 422, []string{"includeConsultations.consultationSearchPeriod.start"}},
		{"consultation period end in future", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2026-01-01", "2026-12-31"))))), badParam, 422, []string{"includeConsultations.consultationSearchPeriod.end"}},
		{"consultation period reversed", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2025-01-02", "2025-01-01"))))), badParam, 422, []string{"includeConsultations.consultationSearchPeriod", "after"}},
		{"consultation period timed start", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2025-01-02T00:00:00+00:00", ""))))), badParam, 422, []string{"includeConsultations.consultationSearchPeriod.start"}},
		{"consultation period partial end", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("", "2025-01"))))), badParam, 422, []string{"includeConsultations.consultationSearchPeriod.end"}},
		{"consultation period malformed", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, sqPeriod("2025-01-02T10:00", ""))))), badParam, 422, []string{"includeConsultations.consultationSearchPeriod.start"}},
		{"consultation period without ends", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partConsultationSearchPeriod, `"valuePeriod":{"id":"p"}`)))), badParam, 422, []string{"includeConsultations.consultationSearchPeriod"}},
		{"most recent zero", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partIncludeNumberOfMostRecent, `"valuePositiveInt":0`)))), badParam, 422, []string{"includeConsultations.includeNumberOfMostRecent"}},
		{"most recent as integer", string(sqBody(nhs, sqParam(paramConsultations, sqPart(partIncludeNumberOfMostRecent, `"valueInteger":3`)))), badParam, 422, []string{"includeConsultations.includeNumberOfMostRecent", "valuePositiveInt"}},

		// Problems.
		{"filterStatus other", string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterStatus, `"valueCode":"resolved"`)))), badParam, 422, []string{"includeProblems.filterStatus", "resolved"}},
		{"filterStatus wrong case", string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterStatus, `"valueCode":"Active"`)))), badParam, 422, []string{"includeProblems.filterStatus"}},
		{"filterStatus as string", string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterStatus, `"valueString":"active"`)))), badParam, 422, []string{"includeProblems.filterStatus"}},
		{"filterSignificance other", string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterSignificance, `"valueCode":"medium"`)))), badParam, 422, []string{"includeProblems.filterSignificance"}},

		// Immunisations.
		{"includeNotGiven as code", string(sqBody(nhs, sqParam(paramImmunisations, sqPart(partIncludeNotGiven, `"valueCode":"yes"`)))), badParam, 422, []string{"includeImmunisations.includeNotGiven"}},
		{"includeStatus without value", string(sqBody(nhs, sqParam(paramImmunisations, `{"name":"includeStatus"}`))), badParam, 422, []string{"includeImmunisations.includeStatus"}},

		// Period areas.
		{"uncategorised future end", string(sqBody(nhs, sqParam(paramUncategorised, sqPart(partUncategorisedSearchPeriod, sqPeriod("", "2026-03-16"))))), badParam, 422, []string{"includeUncategorisedData.uncategorisedDataSearchPeriod.end"}},
		{"uncategorised reversed", string(sqBody(nhs, sqParam(paramUncategorised, sqPart(partUncategorisedSearchPeriod, sqPeriod("2024-03-01", "2024-02-29"))))), badParam, 422, []string{"includeUncategorisedData.uncategorisedDataSearchPeriod"}},
		{"investigations partial", string(sqBody(nhs, sqParam(paramInvestigations, sqPart(partInvestigationSearchPeriod, sqPeriod("2024", ""))))), badParam, 422, []string{"includeInvestigations.investigationSearchPeriod.start"}},
		{"investigations future", string(sqBody(nhs, sqParam(paramInvestigations, sqPart(partInvestigationSearchPeriod, sqPeriod("2027-01-01", ""))))), badParam, 422, []string{"includeInvestigations.investigationSearchPeriod.start"}},
		{"investigations as date", string(sqBody(nhs, sqParam(paramInvestigations, sqPart(partInvestigationSearchPeriod, sqDate("2024-01-01"))))), badParam, 422, []string{"includeInvestigations.investigationSearchPeriod", "valuePeriod"}},
		{"referrals future", string(sqBody(nhs, sqParam(paramReferrals, sqPart(partReferralSearchPeriod, sqPeriod("2026-03-01", "2026-03-20"))))), badParam, 422, []string{"includeReferrals.referralSearchPeriod.end"}},
		{"referrals timed end", string(sqBody(nhs, sqParam(paramReferrals, sqPart(partReferralSearchPeriod, sqPeriod("2026-03-01", "2026-03-02T00:00:00Z"))))), badParam, 422, []string{"includeReferrals.referralSearchPeriod.end"}},

		// Diary entries.
		{"diary yesterday", string(sqBody(nhs, sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2026-03-14"))))), badParam, 422, []string{"includeDiaryEntries.diaryEntriesSearchDate", "past"}},
		{"diary partial", string(sqBody(nhs, sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2027"))))), badParam, 422, []string{"includeDiaryEntries.diaryEntriesSearchDate"}},
		{"diary timed", string(sqBody(nhs, sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2027-01-01T00:00:00+00:00"))))), badParam, 422, []string{"includeDiaryEntries.diaryEntriesSearchDate"}},
		{"diary impossible date", string(sqBody(nhs, sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2027-02-30"))))), badParam, 422, []string{"includeDiaryEntries.diaryEntriesSearchDate"}},
		{"boolean as JSON string", string(sqBody(nhs, sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, `"valueBoolean":"true"`)))), badParam, 422, []string{"includeAllergies.includeResolvedAllergies"}},
		{"code with spaces", string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterStatus, `"valueCode":" active"`)))), badParam, 422, []string{"includeProblems.filterStatus"}},
		{"unknown value element", string(sqBody(nhs, sqParam(paramProblems, sqPart(partFilterStatus, `"valueActive":"active"`)))), badRes, 422, nil},
	}
	// Forbidden combinations (§3.1), each forbidden part with each of
	// includeConsultations and includeProblems.
	forbidden := []struct{ param, part, value string }{
		{paramMedication, partMedicationSearchFromDate, sqDate("2025-01-01")},
		{paramUncategorised, partUncategorisedSearchPeriod, sqPeriod("2025-01-01", "")},
		{paramProblems, partFilterStatus, `"valueCode":"active"`},
		{paramReferrals, partReferralSearchPeriod, sqPeriod("2025-01-01", "")},
		{paramDiaryEntries, partDiaryEntriesSearchDate, sqDate("2026-04-01")},
		{paramImmunisations, partIncludeNotGiven, sqBool(false)},
		{paramImmunisations, partIncludeStatus, sqBool(true)},
	}
	for _, f := range forbidden {
		for _, with := range []string{paramConsultations, paramProblems} {
			if with == paramProblems && f.part == partFilterStatus {
				continue // allowed: a happy path
			}
			params := []string{nhs, sqParam(f.param, sqPart(f.part, f.value))}
			if f.param != with {
				params = append(params, sqParam(with))
			}
			cases = append(cases, struct {
				name   string
				body   string
				code   string
				status int
				names  []string
			}{f.part + " with " + with, string(sqBody(params...)), badParam, 422, []string{f.param + "." + f.part, with}})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, _, err := parseStructuredBody(fhir.JSON, []byte(c.body), structuredToday)
			if err == nil {
				t.Fatalf("accepted: %+v", q)
			}
			wantSpine(t, err, c.code, c.status, c.names...)
		})
	}
}

func TestStructuredWarnings(t *testing.T) {
	nhs := sqNHS(structuredNHS)
	cases := []struct {
		name string
		body []byte
		want []StructuredWarning
		ok   func(*StructuredQuery) bool
	}{
		{"unknown part of allergies (suite)",
			sqBody(nhs, sqParam(paramAllergies, sqPart(partIncludeResolvedAllergies, sqBool(false)), sqPart(partIncludePrescriptionIssues, sqBool(true)))),
			[]StructuredWarning{{Text: "includeAllergies.includePrescriptionIssues is an unrecognised parameter", Diagnostics: "includeAllergies.includePrescriptionIssues"}},
			func(q *StructuredQuery) bool { return q.Allergies != nil && !q.Allergies.IncludeResolved }},
		{"unknown parameter (suite)",
			sqBody(nhs, sqParam("inlcudeUnknownAllergies", sqPart("x", sqBool(true))), sqParam(paramMedication)),
			[]StructuredWarning{{Text: "inlcudeUnknownAllergies is an unrecognised parameter", Diagnostics: "inlcudeUnknownAllergies"}},
			func(q *StructuredQuery) bool { return q.Medication != nil && q.Allergies == nil }},
		{"wrong case is unknown, repeated once, parts after parameters",
			sqBody(`{"name":"IncludeAllergies"}`, nhs, sqParam(paramImmunisations, sqPart("includeDissentConsent", sqBool(true))),
				`{"name":"IncludeAllergies"}`, `{"name":"futureParam","valueString":"x"}`),
			[]StructuredWarning{
				{Text: "IncludeAllergies is an unrecognised parameter", Diagnostics: "IncludeAllergies"},
				{Text: "futureParam is an unrecognised parameter", Diagnostics: "futureParam"},
				{Text: "includeImmunisations.includeDissentConsent is an unrecognised parameter", Diagnostics: "includeImmunisations.includeDissentConsent"},
			},
			func(q *StructuredQuery) bool { return q.Immunisations != nil && q.Immunisations.IncludeStatus }},
		{"unknown part with a bad value is not checked",
			sqBody(nhs, sqParam(paramMedication, sqPart("medicationSearchToDate", sqDate("2099")))),
			[]StructuredWarning{{Text: "includeMedication.medicationSearchToDate is an unrecognised parameter", Diagnostics: "includeMedication.medicationSearchToDate"}},
			func(q *StructuredQuery) bool { return q.Medication != nil && q.Medication.SearchFrom.IsZero() }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, w, err := parseStructuredBody(fhir.JSON, c.body, structuredToday)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(w, c.want) {
				t.Errorf("warnings %q\nwant     %q", w, c.want)
			}
			if !c.ok(q) {
				t.Errorf("query %+v", *q)
			}
		})
	}
}

func TestStructuredXML(t *testing.T) {
	const head = `<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="patientNHSNumber"/><valueIdentifier><system value="https://fhir.nhs.uk/Id/nhs-number"/><value value="9690937286"/></valueIdentifier></parameter>`
	const tail = `</Parameters>`
	ok := head +
		`<parameter><name value="includeAllergies"/><part><name value="includeResolvedAllergies"/><valueBoolean value="true"/></part></parameter>` +
		`<parameter><name value="includeMedication"/><part><name value="medicationSearchFromDate"/><valueDate value="2025-11-30"/></part></parameter>` +
		`<parameter><name value="includeUncategorisedData"/><part><name value="uncategorisedDataSearchPeriod"/><valuePeriod><start value="2020-01-01"/><end value="2026-03-15"/></valuePeriod></part></parameter>` +
		`<parameter><name value="includeDiaryEntries"/><part><name value="diaryEntriesSearchDate"/><valueDate value="2026-03-15"/></part></parameter>` +
		`<parameter><name value="includeWhatever"/></parameter>` + tail
	q, w, err := parseStructuredBody(fhir.XML, []byte(ok), structuredToday)
	if err != nil {
		t.Fatal(err)
	}
	want := StructuredQuery{NHSNumber: structuredNHS, Allergies: &AllergiesQuery{IncludeResolved: true},
		Medication:    &MedicationQuery{IncludePrescriptionIssues: true, SearchFrom: pcnhub.Date{Year: 2025, Month: 11, Day: 30}},
		Uncategorised: &PeriodQuery{Period: DatePeriod{Start: pcnhub.Date{Year: 2020, Month: 1, Day: 1}, End: structuredToday}},
		DiaryEntries:  &DiaryQuery{SearchDate: structuredToday}}
	if !reflect.DeepEqual(*q, want) {
		t.Errorf("got  %+v\nwant %+v", *q, want)
	}
	if len(w) != 1 || w[0].Text != "includeWhatever is an unrecognised parameter" || w[0].Diagnostics != "includeWhatever" {
		t.Errorf("warnings %q", w)
	}

	for _, c := range []struct {
		name, body, code string
		status           int
		names            []string
	}{
		{"timed valueDate", head + `<parameter><name value="includeMedication"/><part><name value="medicationSearchFromDate"/><valueDate value="2025-11-30T10:00:00+00:00"/></part></parameter>` + tail,
			SpineInvalidParameter, 422, []string{"includeMedication.medicationSearchFromDate"}},
		{"timed period start", head + `<parameter><name value="includeReferrals"/><part><name value="referralSearchPeriod"/><valuePeriod><start value="2025-11-30T10:00:00+00:00"/></valuePeriod></part></parameter>` + tail,
			SpineInvalidParameter, 422, []string{"includeReferrals.referralSearchPeriod.start"}},
		{"missing includeResolvedAllergies", head + `<parameter><name value="includeAllergies"/></parameter>` + tail,
			SpineInvalidParameter, 422, []string{"includeAllergies.includeResolvedAllergies"}},
		{"bad NHS number", strings.Replace(head, "9690937286", "9690937287", 1) + tail, SpineInvalidNHSNumber, 400, []string{paramPatientNHSNumber}},
		{"forbidden combination", head + `<parameter><name value="includeConsultations"/></parameter><parameter><name value="includeDiaryEntries"/><part><name value="diaryEntriesSearchDate"/><valueDate value="2026-04-01"/></part></parameter>` + tail,
			SpineInvalidParameter, 422, []string{"includeDiaryEntries.diaryEntriesSearchDate", "includeConsultations"}},
		{"elements out of order", `<Parameters xmlns="http://hl7.org/fhir"><parameter><valueIdentifier><system value="https://fhir.nhs.uk/Id/nhs-number"/><value value="9690937286"/></valueIdentifier><name value="patientNHSNumber"/></parameter>` + tail,
			SpineInvalidResource, 422, nil},
		{"not XML", `<Parameters`, SpineInvalidResource, 422, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := parseStructuredBody(fhir.XML, []byte(c.body), structuredToday)
			wantSpine(t, err, c.code, c.status, c.names...)
		})
	}
}

// The date rules follow the today argument, not the clock.
func TestStructuredTodayArgument(t *testing.T) {
	body := sqBody(sqNHS(structuredNHS), sqParam(paramMedication, sqPart(partMedicationSearchFromDate, sqDate("2026-03-16"))))
	if _, _, err := parseStructuredBody(fhir.JSON, body, structuredToday); err == nil {
		t.Error("a date after today accepted")
	}
	if _, _, err := parseStructuredBody(fhir.JSON, body, structuredToday.AddDays(1)); err != nil {
		t.Errorf("today's date refused: %v", err)
	}
	diary := sqBody(sqNHS(structuredNHS), sqParam(paramDiaryEntries, sqPart(partDiaryEntriesSearchDate, sqDate("2026-03-15"))))
	if _, _, err := parseStructuredBody(fhir.JSON, diary, structuredToday.AddDays(1)); err == nil {
		t.Error("a diary date before today accepted")
	}
}

func TestStructuredNilParameters(t *testing.T) {
	_, _, err := ParseStructuredQuery(nil, structuredToday)
	wantSpine(t, err, SpineInvalidResource, 422)
	_, err = ParseMigrateQuery(nil, "patient/*.read conf/R")
	wantSpine(t, err, SpineInvalidResource, 422)
}

func TestStructuredMigrate(t *testing.T) {
	nhs := sqNHS(structuredNHS)
	full := func(parts ...string) string { return sqParam(paramIncludeFullRecord, parts...) }
	sensitive := func(b bool) string { return sqPart(partIncludeSensitiveInformation, sqBool(b)) }
	ok := []struct {
		name, body, scope string
		want              MigrateQuery
	}{
		{"conf/R default sensitive", string(sqBody(nhs, full())), "patient/*.read conf/R", MigrateQuery{NHSNumber: structuredNHS, IncludeSensitiveInformation: true}},
		{"conf/R sensitive", string(sqBody(full(sensitive(true)), nhs)), "patient/*.read conf/R", MigrateQuery{NHSNumber: structuredNHS, IncludeSensitiveInformation: true}},
		{"conf/R not sensitive", string(sqBody(nhs, full(sensitive(false)))), "patient/*.read conf/R", MigrateQuery{NHSNumber: structuredNHS, IncludeSensitiveInformation: false}},
		{"conf/N not sensitive", string(sqBody(nhs, full(sensitive(false)))), "patient/*.read conf/N", MigrateQuery{NHSNumber: structuredNHS, IncludeSensitiveInformation: false}},
		{"no conf not sensitive", string(sqBody(nhs, full(sensitive(false)))), "patient/*.read", MigrateQuery{NHSNumber: structuredNHS, IncludeSensitiveInformation: false}},
		{"bare confidentiality", string(sqBody(nhs, full())), "conf/R", MigrateQuery{NHSNumber: structuredNHS, IncludeSensitiveInformation: true}},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			p, err := DecodeStructuredParameters(fhir.JSON, []byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			q, err := ParseMigrateQuery(p, c.scope)
			if err != nil {
				t.Fatal(err)
			}
			if *q != c.want {
				t.Errorf("got %+v, want %+v", *q, c.want)
			}
		})
	}
	bad := []struct {
		name, body, scope, code string
		status                  int
		names                   []string
	}{
		{"conf/N sensitive", string(sqBody(nhs, full(sensitive(true)))), "patient/*.read conf/N", SpineConflictingValues, 400, []string{"includeFullRecord.includeSensitiveInformation", "conf/N"}},
		{"conf/N default sensitive", string(sqBody(nhs, full())), "patient/*.read conf/N", SpineConflictingValues, 400, []string{"includeFullRecord.includeSensitiveInformation"}},
		{"no conf default sensitive", string(sqBody(nhs, full())), "patient/*.read", SpineConflictingValues, 400, []string{"includeFullRecord.includeSensitiveInformation"}},
		{"unknown parameter", string(sqBody(nhs, full(), sqParam(paramAllergies))), "conf/R", SpineInvalidParameter, 422, []string{"includeAllergies is an unrecognised parameter"}},
		{"unknown part", string(sqBody(nhs, full(sqPart("includeDocuments", sqBool(true))))), "conf/R", SpineInvalidParameter, 422, []string{"includeFullRecord.includeDocuments is an unrecognised parameter"}},
		{"missing includeFullRecord", string(sqBody(nhs)), "conf/R", SpineInvalidParameter, 422, []string{paramIncludeFullRecord}},
		{"missing patientNHSNumber", string(sqBody(full())), "conf/R", SpineInvalidParameter, 422, []string{paramPatientNHSNumber}},
		{"no parameters", `{"resourceType":"Parameters"}`, "conf/R", SpineInvalidParameter, 422, []string{"no recognised parameters"}},
		{"bad NHS number", string(sqBody(sqNHS("9690937287"), full())), "conf/R", SpineInvalidNHSNumber, 400, []string{paramPatientNHSNumber}},
		{"sensitive as string", string(sqBody(nhs, full(sqPart(partIncludeSensitiveInformation, `"valueString":"true"`)))), "conf/R", SpineInvalidParameter, 422, []string{"includeFullRecord.includeSensitiveInformation"}},
		{"includeFullRecord twice", string(sqBody(nhs, full(), full())), "conf/R", SpineInvalidParameter, 422, []string{paramIncludeFullRecord}},
		{"includeFullRecord with a value", string(sqBody(nhs, `{"name":"includeFullRecord","valueBoolean":true}`)), "conf/R", SpineInvalidParameter, 422, []string{paramIncludeFullRecord}},
		{"unparseable", `{"resourceType":"Parameters","parameter":{}}`, "conf/R", SpineInvalidResource, 422, nil},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			p, err := DecodeStructuredParameters(fhir.JSON, []byte(c.body))
			if err == nil {
				_, err = ParseMigrateQuery(p, c.scope)
			}
			wantSpine(t, err, c.code, c.status, c.names...)
		})
	}
}
