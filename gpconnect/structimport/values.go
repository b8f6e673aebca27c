package structimport

import (
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// extName is the name an extension URL is matched by: its last path
// segment without the "GPC-" infix and the version suffix, so that the
// fhir.nhs.uk and fhir.hl7.org.uk spellings that structured records mix
// ("Extension-CareConnect-GPC-ActualProblem-1",
// "Extension-CareConnect-ActualProblem-1") are the same extension.
func extName(url string) string {
	s := url[strings.LastIndexByte(url, '/')+1:]
	s = strings.Replace(s, "CareConnect-GPC-", "CareConnect-", 1)
	if i := strings.LastIndexByte(s, '-'); i > 0 {
		if _, err := strconv.Atoi(s[i+1:]); err == nil {
			s = s[:i]
		}
	}
	return s
}

// exts returns the extensions with the name (see extName).
func exts(list []fhir.Extension, name string) []*fhir.Extension {
	var out []*fhir.Extension
	for i := range list {
		if extName(list[i].URL) == name {
			out = append(out, &list[i])
		}
	}
	return out
}

// ext returns the first extension with the name, or nil.
func ext(list []fhir.Extension, name string) *fhir.Extension {
	if e := exts(list, name); len(e) > 0 {
		return e[0]
	}
	return nil
}

// sub returns the nested extension with the url (complex extensions name
// their parts by a bare url such as "endDate"), or nil.
func sub(e *fhir.Extension, url string) *fhir.Extension {
	if e == nil {
		return nil
	}
	for i := range e.Extension {
		if e.Extension[i].URL == url {
			return &e.Extension[i]
		}
	}
	return nil
}

// Extension names.
const (
	extActualProblem    = "Extension-CareConnect-ActualProblem"
	extRelatedContent   = "Extension-CareConnect-RelatedClinicalContent"
	extRelatedProblem   = "Extension-CareConnect-RelatedProblemHeader"
	extSignificance     = "Extension-CareConnect-ProblemSignificance"
	extAllergyEnd       = "Extension-CareConnect-AllergyIntoleranceEnd"
	extPrescriptionType = "Extension-CareConnect-PrescriptionType"
	extPrescribingAgent = "Extension-CareConnect-PrescribingAgency"
	extLastIssue        = "Extension-CareConnect-MedicationStatementLastIssueDate"
	extRepeatInfo       = "Extension-CareConnect-MedicationRepeatInformation"
	extStatusReason     = "Extension-CareConnect-MedicationStatusReason"
	extQuantityText     = "Extension-CareConnect-MedicationQuantityText"
	extDateRecorded     = "Extension-CareConnect-DateRecorded"
	extVaccinationProc  = "Extension-CareConnect-VaccinationProcedure"
	extListWarning      = "Extension-CareConnect-ListWarningCode"
	extSCTDescID        = "Extension-coding-sctdescid"
)

// nullFlavor reports whether a coding system is an HL7 NullFlavor system
// (codes such as UNK, NI: "no code").
func nullFlavor(system string) bool {
	return strings.HasSuffix(system, "/v3/NullFlavor") || strings.HasSuffix(system, "/v3-NullFlavor")
}

// code maps a CodeableConcept: the SNOMED CT coding (code and display) if
// there is one, else the first other coding that is not a null flavour, else
// the text alone. OriginalText keeps CodeableConcept.text when it differs
// from the display; without text, the SNOMED description term the clinician
// chose (the sctdescid extension) when it differs.
func code(cc *fhir.CodeableConcept) record.Code {
	if cc == nil {
		return record.Code{}
	}
	var pick *fhir.Coding
	for i := range cc.Coding {
		c := &cc.Coding[i]
		if c.System == record.SNOMED && c.Code != "" {
			pick = c
			break
		}
	}
	if pick == nil {
		for i := range cc.Coding {
			c := &cc.Coding[i]
			if c.Code != "" && !nullFlavor(c.System) {
				pick = c
				break
			}
		}
	}
	out := record.Code{}
	original := cc.Text
	if pick != nil {
		out = record.Code{System: pick.System, Code: pick.Code, Display: pick.Display}
		if original == "" {
			if d := sub(ext(pick.Extension, extSCTDescID), "descriptionDisplay"); d != nil {
				original = d.ValueString
			}
		}
	}
	if original != out.Display {
		out.OriginalText = original
	}
	return out
}

// hasCode reports whether the CodeableConcept has a coding of the system and
// code.
func hasCode(cc *fhir.CodeableConcept, system, c string) bool {
	if cc == nil {
		return false
	}
	for _, x := range cc.Coding {
		if x.System == system && x.Code == c {
			return true
		}
	}
	return false
}

// ccText returns a CodeableConcept's text, else the display or code of its
// first coding.
func ccText(cc *fhir.CodeableConcept) string {
	if cc == nil {
		return ""
	}
	if cc.Text != "" {
		return cc.Text
	}
	for _, c := range cc.Coding {
		if c.Display != "" {
			return c.Display
		}
	}
	for _, c := range cc.Coding {
		if c.Code != "" {
			return c.Code
		}
	}
	return ""
}

// date reads a FHIR date, dateTime or instant text into a PartialDate. An
// unreadable value is noted against the node and read as unknown.
func (im *importer) date(n *node, what, s string) record.PartialDate {
	if s == "" {
		return record.PartialDate{}
	}
	p, err := record.ParsePartialDate(s)
	if err != nil {
		im.note(n, "%s %q could not be read as a date; left unknown", what, s)
		return record.PartialDate{}
	}
	return p
}

// periodStart returns a Period's start, else its end.
func periodStart(p *fhir.Period) string {
	if p == nil {
		return ""
	}
	if !p.Start.IsZero() {
		return p.Start.String()
	}
	return p.End.String()
}

// period reads a Period.
func (im *importer) period(n *node, what string, p *fhir.Period) record.Period {
	if p == nil {
		return record.Period{}
	}
	return record.Period{
		Start: im.date(n, what+" start", p.Start.String()),
		End:   im.date(n, what+" end", p.End.String()),
	}
}

// quantity maps a Quantity: the decimal as written, the unit text (else the
// GP Connect quantity-text extension, else the code) and the UCUM code.
func quantity(q *fhir.Quantity) record.Quantity {
	if q == nil {
		return record.Quantity{}
	}
	out := record.Quantity{Value: q.Value.String(), Comparator: q.Comparator, Unit: q.Unit}
	if q.System == systemUCUM {
		out.UCUM = q.Code
	}
	if out.Unit == "" {
		if e := ext(q.Extension, extQuantityText); e != nil {
			out.Unit = e.ValueString
		}
	}
	if out.Unit == "" {
		out.Unit = q.Code
	}
	return out
}

// days returns a Duration in whole days, or 0 when it is not in days or
// weeks or not a whole number.
func days(d *fhir.Duration) int {
	if d == nil || d.Value.IsZero() {
		return 0
	}
	n, err := strconv.Atoi(d.Value.String())
	if err != nil || n < 0 {
		return 0
	}
	unit := d.Code
	if unit == "" {
		unit = strings.ToLower(d.Unit)
	}
	switch unit {
	case "d", "day", "days":
		return n
	case "wk", "week", "weeks":
		return 7 * n
	}
	return 0
}

// notes joins annotation texts, one per line.
func notes(as []fhir.Annotation) string {
	var parts []string
	for _, a := range as {
		if a.Text != "" {
			parts = append(parts, a.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// joinNonEmpty joins the non-empty strings with sep.
func joinNonEmpty(sep string, ss ...string) string {
	var parts []string
	for _, s := range ss {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep)
}

// confidential reports whether security labels mark a resource as not to be
// shared with the patient's record consumers (NOPAT, GP Connect's
// confidential marker), in meta.security or (DocumentReference)
// securityLabel.
func confidential(meta *fhir.Meta, labels ...fhir.CodeableConcept) bool {
	if meta != nil {
		for _, c := range meta.Security {
			if c.Code == "NOPAT" {
				return true
			}
		}
	}
	for _, l := range labels {
		for _, c := range l.Coding {
			if c.Code == "NOPAT" {
				return true
			}
		}
	}
	return false
}

// interpretation maps an Observation interpretation: the HL7 v2 0078 codes
// to "high", "low", "abnormal", "normal", else the text as given.
func interpretation(cc *fhir.CodeableConcept) string {
	if cc == nil {
		return ""
	}
	for _, c := range cc.Coding {
		switch c.Code {
		case "H", "HH", "HU", ">":
			return "high"
		case "L", "LL", "LU", "<":
			return "low"
		case "A", "AA":
			return "abnormal"
		case "N":
			return "normal"
		}
	}
	return ccText(cc)
}

// referenceRange picks the range to keep: the one typed "normal" (or the
// untyped one), else the first.
func referenceRange(rs []fhir.ObservationReferenceRange) *record.ReferenceRange {
	if len(rs) == 0 {
		return nil
	}
	pick := &rs[0]
	for i := range rs {
		t := strings.ToLower(ccText(rs[i].Type))
		if t == "" || t == "normal" || t == "normal range" {
			pick = &rs[i]
			break
		}
	}
	return &record.ReferenceRange{Low: quantity(pick.Low), High: quantity(pick.High), Text: pick.Text}
}
