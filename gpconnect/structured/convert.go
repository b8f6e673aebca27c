package structured

import (
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// Profiles of Access Record Structured that package fhir does not name.
const (
	ProfileCondition         = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-ProblemHeader-Condition-1"
	ProfileEncounter         = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Encounter-1"
	ProfileObservation       = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Observation-1"
	ProfileImmunization      = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Immunization-1"
	ProfileDiagnosticReport  = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-DiagnosticReport-1"
	ProfileSpecimen          = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Specimen-1"
	ProfileProcedureRequest  = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-ProcedureRequest-1"
	ProfileReferralRequest   = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-ReferralRequest-1"
	ProfileDocumentReference = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-DocumentReference-1"
)

// Extensions, as the NHS example bundles write them. The fixtures spell
// two of the problem extensions both with fhir.nhs.uk and fhir.hl7.org.uk;
// we use the fhir.hl7.org.uk form of the CareConnect extensions, as the
// majority of the fixtures and the 1.5+ pages do.
const (
	ExtClinicalSetting        = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-ClinicalSetting-1"
	ExtListWarningCode        = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-ListWarningCode-1"
	ExtAllergyIntoleranceEnd  = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-AllergyIntoleranceEnd-1"
	ExtAssociatedEncounter    = "http://hl7.org/fhir/StructureDefinition/encounter-associatedEncounter"
	ExtLastIssueDate          = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MedicationStatementLastIssueDate-1"
	ExtPrescribingAgency      = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-PrescribingAgency-1"
	ExtPrescriptionType       = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-PrescriptionType-1"
	ExtRepeatInformation      = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MedicationRepeatInformation-1"
	ExtMedicationStatusReason = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MedicationStatusReason-1"
	ExtMedicationQuantityText = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MedicationQuantityText-1"
	ExtRelatedProblemHeader   = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedProblemHeader-1"
	ExtRelatedClinicalContent = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1"
	ExtProblemSignificance    = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ProblemSignificance-1"
	ExtDateRecorded           = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-DateRecorded-1"
	ExtVaccinationProcedure   = "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1"
)

// Code systems.
const (
	// CodeSystemListWarningCode is the system of the List warning codes.
	// The ListWarningCode extension carries a bare valueCode, as every
	// fixture writes it, so the system appears nowhere in the Bundle.
	CodeSystemListWarningCode   = "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-ListWarningCode-1"
	CodeSystemSecondaryList     = "https://fhir.hl7.org.uk/STU3/CodeSystem/GPConnect-SecondaryListValues-1"
	CodeSystemListEmptyReason   = "http://hl7.org/fhir/list-empty-reason"
	CodeSystemListOrder         = "http://hl7.org/fhir/list-order"
	CodeSystemPrescribingAgency = "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-PrescribingAgency-1"
	CodeSystemPrescriptionType  = "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-PrescriptionType-1"
	CodeSystemConditionCat      = "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1"
	CodeSystemParticipation     = "http://hl7.org/fhir/v3/ParticipationType"
	CodeSystemGPCParticipant    = "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-ParticipantType-1"
	CodeSystemNullFlavor        = "http://hl7.org/fhir/v3/NullFlavor"
	CodeSystemPractitionerRole  = "http://hl7.org/fhir/v2/0443"
	CodeSystemInterpretation    = "http://hl7.org/fhir/v2/0078"
	CodeSystemObservationCat    = "http://hl7.org/fhir/observation-category"
	CodeSystemUCUM              = "http://unitsofmeasure.org"
)

// IdentifierSystem is the namespace of the identifiers of the clinical
// resources pcnhub writes; the practice's ODS code follows it
// ("https://pcnhub.example/Id/clinical-item/A81001"), and the value is
// the record's own item id, so that it is persistent between requests.
const IdentifierSystem = "https://pcnhub.example/Id/clinical-item"

// List warning texts (List.note), worded as the NHS fixtures word them.
const (
	noteConfidential   = "Items excluded due to confidentiality and/or patient preferences."
	noteAwaitingFiling = "Patient data may be incomplete as there is data supplied by a third party awaiting review before becoming available."
	noteEmpty          = "Information not available"
)

// noteInTransit is the data-in-transit text for a transfer registered on d.
func noteInTransit(d pcnhub.Date) string {
	if d.IsZero() {
		return "Patient record transfer from previous GP practice not yet complete; information recorded before the transfer may be missing."
	}
	return "Patient record transfer from previous GP practice not yet complete; information recorded before " +
		d.Time(time.UTC).Format("02-Jan-2006") + " may be missing."
}

func meta(profile string) *fhir.Meta { return &fhir.Meta{Profile: []string{profile}} }

func reference(ref string) *fhir.Reference {
	if ref == "" {
		return nil
	}
	return &fhir.Reference{Reference: ref}
}

func references(refs ...string) []fhir.Reference {
	var out []fhir.Reference
	for _, r := range refs {
		if r != "" {
			out = append(out, fhir.Reference{Reference: r})
		}
	}
	return out
}

// concept renders a recorded code; nil when none was recorded. The text
// is the original text when it differs from the display, or the display
// of a code recorded without a concept id.
func concept(c record.Code) *fhir.CodeableConcept {
	if c.IsZero() {
		return nil
	}
	if c.Code == "" {
		if t := c.Text(); t != "" {
			return &fhir.CodeableConcept{Text: t}
		}
		return nil
	}
	// The concept and its one coding in one allocation.
	v := &struct {
		cc     fhir.CodeableConcept
		coding [1]fhir.Coding
	}{}
	v.coding[0] = fhir.Coding{System: c.System, Code: c.Code, Display: c.Display}
	v.cc.Coding = v.coding[:]
	v.cc.Text = c.OriginalText
	return &v.cc
}

func textConcept(s string) *fhir.CodeableConcept {
	if s == "" {
		return nil
	}
	return &fhir.CodeableConcept{Text: s}
}

func coding(system, code, display string) *fhir.CodeableConcept {
	return &fhir.CodeableConcept{Coding: []fhir.Coding{{System: system, Code: code, Display: display}}}
}

// dateTime renders a recorded date at its precision: "2019", "2019-07",
// "2019-07-01" or an instant in Europe/London with its offset.
func dateTime(p record.PartialDate) fhir.DateTime {
	var buf [10]byte
	var s []byte
	switch p.Precision {
	case record.DateTime:
		return fhir.NewDateTime(p.At.In(pcnhub.London))
	case record.DateYear:
		s = appendYear(buf[:0], p.Year)
	case record.DateMonth:
		s = append2(append(appendYear(buf[:0], p.Year), '-'), int(p.Month))
	case record.DateDay:
		s = append2(append(append2(append(appendYear(buf[:0], p.Year), '-'), int(p.Month)), '-'), p.Day)
	default:
		return fhir.DateTime{}
	}
	d, err := fhir.ParseDateTime(string(s)) // checks the date exists
	if err != nil {
		return fhir.DateTime{}
	}
	return d
}

// appendYear writes a year of four digits (out of range years fail the
// parse that follows).
func appendYear(b []byte, y int) []byte {
	if y < 0 || y > 9999 {
		return append(b, '?')
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
}

func append2(b []byte, n int) []byte {
	if n < 0 || n > 99 {
		return append(b, '?')
	}
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// instant renders a date known to the day or better as an instant: a day
// is its midnight in Europe/London. Partial and unknown dates give the
// zero (absent) instant.
func instant(p record.PartialDate) fhir.Instant {
	switch p.Precision {
	case record.DateTime:
		return fhir.NewInstant(p.At.In(pcnhub.London))
	case record.DateDay:
		return fhir.NewInstant(time.Date(p.Year, p.Month, p.Day, 0, 0, 0, 0, pcnhub.London))
	}
	return fhir.Instant{}
}

func fhirDate(d pcnhub.Date) fhir.DateTime {
	if d.IsZero() {
		return fhir.DateTime{}
	}
	v, err := fhir.ParseDateTime(d.String())
	if err != nil {
		return fhir.DateTime{}
	}
	return v
}

func period(start, end record.PartialDate) *fhir.Period {
	p := &fhir.Period{Start: dateTime(start), End: dateTime(end)}
	if p.Start.IsZero() && p.End.IsZero() {
		return nil
	}
	return p
}

// quantity renders a recorded amount. A value that is not a FHIR decimal
// is left out (its unit stays); nil when nothing remains.
func quantity(q record.Quantity) *fhir.Quantity {
	if q.IsZero() {
		return nil
	}
	out := &fhir.Quantity{Unit: q.Unit}
	if d, err := fhir.ParseDecimal(q.Value); err == nil {
		out.Value = d
	}
	switch q.Comparator {
	case "<", "<=", ">=", ">":
		out.Comparator = q.Comparator
	}
	if q.UCUM != "" {
		out.System, out.Code = CodeSystemUCUM, q.UCUM
	}
	if out.Value.IsZero() && out.Unit == "" && out.Code == "" {
		return nil
	}
	return out
}

// quantityText is a recorded amount as text, for when its value is not a
// decimal.
func quantityText(q record.Quantity) string {
	s := q.Comparator + q.Value
	if q.Unit != "" {
		if s != "" {
			s += " "
		}
		s += q.Unit
	}
	return s
}

func isDecimal(s string) bool {
	_, err := fhir.ParseDecimal(s)
	return err == nil
}

func notes(texts ...string) []fhir.Annotation {
	var out []fhir.Annotation
	for _, t := range texts {
		if t != "" {
			out = append(out, fhir.Annotation{Text: t})
		}
	}
	return out
}

func referenceRange(r *record.ReferenceRange) []fhir.ObservationReferenceRange {
	if r == nil {
		return nil
	}
	rr := fhir.ObservationReferenceRange{Low: quantity(r.Low), High: quantity(r.High), Text: r.Text}
	if rr.Low == nil && rr.High == nil && rr.Text == "" {
		return nil
	}
	return []fhir.ObservationReferenceRange{rr}
}

// interpretation renders "high", "low" or "abnormal" with its HL7 v2 0078
// code, anything else as text.
func interpretation(s string) *fhir.CodeableConcept {
	switch s {
	case "":
		return nil
	case "high", "High", "H":
		return &fhir.CodeableConcept{Coding: []fhir.Coding{{System: CodeSystemInterpretation, Code: "H", Display: "High"}}}
	case "low", "Low", "L":
		return &fhir.CodeableConcept{Coding: []fhir.Coding{{System: CodeSystemInterpretation, Code: "L", Display: "Low"}}}
	case "abnormal", "Abnormal", "A":
		return &fhir.CodeableConcept{Coding: []fhir.Coding{{System: CodeSystemInterpretation, Code: "A", Display: "Abnormal"}}}
	case "normal", "Normal", "N":
		return &fhir.CodeableConcept{Coding: []fhir.Coding{{System: CodeSystemInterpretation, Code: "N", Display: "Normal"}}}
	}
	return &fhir.CodeableConcept{Text: s}
}

// oneOf returns s when it is one of the codes, else def.
func oneOf(s, def string, codes ...string) string {
	for _, c := range codes {
		if s == c {
			return s
		}
	}
	return def
}
