package hub

import (
	"context"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/structimport"
	"github.com/pcnhub/pcnhub/gpconnect/structured"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

// A clinician reads a patient's GP record from the practice the
// demographic register says the patient is registered with, through GP
// Connect Access Record: Structured 1.6 for the lists a clinician works
// from (allergies, medications, problems) and HTML 0.7 for the practice's
// own views of the record, section by section. The practice's provider
// applies the data sharing agreement and the patient's choices, and
// audits; the hub requires staff.ViewRecord and audits each call too.

// RecordAreas are the clinical areas the hub asks for: allergies with
// the ended ones, medications with their prescription issues, and
// problems (which bring the items linked to them).
var RecordAreas = client.StructuredQuery{
	Allergies:  &client.AllergiesQuery{IncludeResolved: true},
	Medication: &client.MedicationQuery{IncludePrescriptionIssues: true},
	Problems:   &client.ProblemsQuery{},
}

// List warning codes (CareConnect-ListWarningCode-1, gpconnect.md §3.2).
const (
	WarningConfidential   = "confidential-items"
	WarningInTransit      = "data-in-transit"
	WarningAwaitingFiling = "data-awaiting-filing"
)

// The words of the warnings, as the NHS fixtures and our provider write
// them in List.note; shown when a provider sent the code without them.
const (
	textConfidential   = "Items excluded due to confidentiality and/or patient preferences."
	textInTransit      = "Patient record transfer from previous GP practice not yet complete; information recorded before the transfer may be missing."
	textAwaitingFiling = "Patient data may be incomplete as there is data supplied by a third party awaiting review before becoming available."
)

// warningStarts are how each warning's sentence begins in a List.note
// that holds several, in the order of their codes.
var warningStarts = map[string]string{
	WarningConfidential:   "Items excluded due to confidentiality",
	WarningInTransit:      "Patient record transfer from previous GP practice",
	WarningAwaitingFiling: "Patient data may be incomplete",
}

// ListWarning is a warning a List of the record carries (§3.2, §3.3):
// something the practice left out, or could not yet include, which the
// page must say.
type ListWarning struct {
	Area record.Area // the clinical area of the List; "" for one the hub does not place
	List string      // the List's title
	Code string      // WarningConfidential, WarningInTransit or WarningAwaitingFiling
	Text string      // the provider's words for it
}

// PatientRecord is what a practice shares of a patient's record.
type PatientRecord struct {
	NHSNumber pcnhub.NHSNumber
	// Name, BirthDate and Gender are as the practice holds them.
	Name         pcnhub.HumanName
	BirthDate    pcnhub.Date
	Gender       pcnhub.Gender
	Practice     pcnhub.ODSCode
	PracticeName string
	// Record holds what was shared: the areas asked for (RecordAreas)
	// and the items linked to the problems.
	Record *record.Record
	// Report says what the import read and left out.
	Report *structimport.Report
	// Shared marks the areas whose List came back. An area asked for
	// but not shared (the practice switched it off) is absent: its items
	// are unknown, not none.
	Shared map[record.Area]bool
	// Warnings are the Lists' warnings, each code once per area.
	Warnings []ListWarning
	// Notices are what the provider said it could not do (§3.4), in
	// its words: areas switched off, parameters it does not know.
	Notices []string
}

// WarningsFor returns the warnings of an area.
func (r *PatientRecord) WarningsFor(a record.Area) []ListWarning {
	var out []ListWarning
	for _, w := range r.Warnings {
		if w.Area == a {
			out = append(out, w)
		}
	}
	return out
}

// PatientRecord reads a patient's record from their registered practice
// (the demographic register says which) with Access Record Structured:
// RecordAreas, imported into the record model, with the Lists' warnings
// kept for display. Requires staff.ViewRecord; it makes no call without
// it. It audits the call as "hub.record".
//
// Errors, each with a message a clinician understands: EINVALID for a bad
// NHS number; ENOTFOUND when the register does not hold the patient, or
// shows no registered practice (deceased, moved away), or the practice
// holds no record it can share (PATIENT_NOT_FOUND); EFORBIDDEN without the
// permission, for a patient the register marks sensitive (no call is
// made), and when the practice refuses (the patient dissented, no data
// sharing agreement, GP Connect off there); ENOTIMPLEMENTED when the
// practice does not offer the interaction. Any other refusal stays a
// *client.ProviderError.
func (h *Hub) PatientRecord(ctx context.Context, p *staff.Principal, nhs pcnhub.NHSNumber) (*PatientRecord, error) {
	person, practice, err := h.recordPractice(ctx, p, nhs)
	if err != nil {
		return nil, err
	}
	name := h.nameOf(ctx, practice)
	c, org, err := h.clientFor(ctx, p)
	if err != nil {
		return nil, err
	}
	e, err := h.Directory.ResolveEndpoint(ctx, practice, spine.ServiceStructured, h.BaseURL)
	if err != nil {
		return nil, recordRefusal(err, name, org.Name)
	}
	q := RecordAreas
	b, _, err := c.GetStructuredRecord(ctx, client.Endpoint{Base: e.URL, ASID: string(e.ASID)}, person.NHSNumber, &q)
	h.audit(ctx, p, "hub.record", practice, person.NHSNumber, "structured: allergies, medications, problems", err)
	if err != nil {
		return nil, recordRefusal(err, name, org.Name)
	}
	rec, rep, err := structimport.Import(b)
	if err != nil {
		return nil, err
	}
	out := &PatientRecord{NHSNumber: person.NHSNumber, Practice: practice, PracticeName: name, Record: rec, Report: rep,
		Shared: map[record.Area]bool{}}
	out.Name, out.BirthDate, out.Gender = person.Name, person.BirthDate, person.Gender
	for _, pt := range bundleResources[*fhir.Patient](b) {
		if client.NHSNumberOf(pt) == person.NHSNumber {
			demographics(out, pt)
		}
	}
	seen := map[ListWarning]bool{}
	for _, l := range bundleResources[*fhir.List](b) {
		area, primary := listArea(l)
		if primary {
			out.Shared[area] = true
		}
		for _, w := range ListWarnings(l) {
			w.Area = area
			key := ListWarning{Area: w.Area, Code: w.Code}
			if !seen[key] {
				seen[key] = true
				out.Warnings = append(out.Warnings, w)
			}
		}
	}
	for _, w := range client.BundleWarnings(b) {
		out.Notices = append(out.Notices, strings.TrimSpace(w.Text))
	}
	return out, nil
}

// RecordSection is one section of a patient's record as the practice's
// Access Record HTML renders it.
type RecordSection struct {
	Practice     pcnhub.ODSCode
	PracticeName string
	Code, Title  string
	// XHTML is the section exactly as the practice's system sent it: it
	// comes from another organisation and must be sanitised before it
	// is shown.
	XHTML string
}

// CareRecordSection reads one section of a patient's record (a code of
// carerecord.Sections: SUM, ENC, CLI, PRB, ALL, MED, REF, OBS, IMM, ADM)
// from their registered practice with Access Record HTML, at the HTML
// root beside the practice's Foundations root in the endpoint directory.
// Requires staff.ViewRecord. It audits the call as "hub.record-section".
// Errors are those of PatientRecord, and EINVALID for a section that is
// not one of the ten.
func (h *Hub) CareRecordSection(ctx context.Context, p *staff.Principal, nhs pcnhub.NHSNumber, section string) (*RecordSection, error) {
	person, practice, err := h.recordPractice(ctx, p, nhs)
	if err != nil {
		return nil, err
	}
	name := h.nameOf(ctx, practice)
	c, org, err := h.clientFor(ctx, p)
	if err != nil {
		return nil, err
	}
	ep, err := h.htmlEndpoint(ctx, practice)
	if err != nil {
		return nil, recordRefusal(err, name, org.Name)
	}
	sec, err := c.GetCareRecord(ctx, ep, person.NHSNumber, section)
	if pcnhub.ErrorCode(err) == pcnhub.EINVALID {
		return nil, err // a bad section: no call was made
	}
	h.audit(ctx, p, "hub.record-section", practice, person.NHSNumber, "html: "+section, err)
	if err != nil {
		return nil, recordRefusal(err, name, org.Name)
	}
	return &RecordSection{Practice: practice, PracticeName: name, Code: sec.Code, Title: sec.Title, XHTML: sec.XHTML}, nil
}

// recordPractice checks the permission and the NHS number, and finds the
// patient's registered practice on the demographic register.
func (h *Hub) recordPractice(ctx context.Context, p *staff.Principal, nhs pcnhub.NHSNumber) (*pcnhub.Person, pcnhub.ODSCode, error) {
	if err := p.Require(staff.ViewRecord); err != nil {
		return nil, "", pcnhub.Errorf(pcnhub.EFORBIDDEN, "only clinicians can view GP records")
	}
	n, err := pcnhub.ParseNHSNumber(string(nhs))
	if err != nil {
		return nil, "", err
	}
	person, err := h.Register.Retrieve(ctx, n)
	switch {
	case pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
		return nil, "", pcnhub.Errorf(pcnhub.ENOTFOUND, "the demographic register has no patient with NHS number %s", n.Formatted())
	case err != nil:
		return nil, "", err
	case person.Sensitive:
		// The register withholds a sensitive patient's practice, and a
		// consumer never asks for their record (gpconnect.md §4).
		err := pcnhub.Errorf(pcnhub.EFORBIDDEN, "this patient's record is restricted (they are marked sensitive on the demographic register): it cannot be viewed through GP Connect")
		h.audit(ctx, p, "hub.record", "", n, "refused: sensitive on the register", err)
		return nil, "", err
	case person.GPPractice == "":
		return nil, "", pcnhub.Errorf(pcnhub.ENOTFOUND, "the demographic register shows no registered practice for this patient, so there is no GP record to view")
	}
	return person, person.GPPractice, nil
}

// htmlEndpoint is the Access Record HTML root of a practice: its
// Foundations root with the DSTU2 line in place of STU3
// (/{ODS}/DSTU2/1/gpconnect), with the same ASID. ENOTIMPLEMENTED when the
// directory's root does not have the usual shape.
func (h *Hub) htmlEndpoint(ctx context.Context, ods pcnhub.ODSCode) (client.Endpoint, error) {
	ep, err := h.endpoint(ctx, ods)
	if err != nil {
		return client.Endpoint{}, err
	}
	root, ok := strings.CutSuffix(ep.Base, gpconnect.RootPrefix)
	if !ok {
		return client.Endpoint{}, pcnhub.Errorf(pcnhub.ENOTIMPLEMENTED, "the endpoint directory has no Access Record HTML root for %s", ods)
	}
	return client.Endpoint{Base: root + gpconnect.HTMLRootPrefix, ASID: ep.ASID}, nil
}

// recordRefusal says in plain words why a practice did not share a record.
func recordRefusal(err error, practice, requester string) error {
	shared := func(code string, why string) error {
		return &pcnhub.Error{Code: code, Err: err, Message: practice + " did not share this record: " + why}
	}
	pe, isProvider := client.IsProviderError(err)
	switch {
	case client.IsSpineCode(err, "NO_PATIENT_CONSENT"):
		return shared(pcnhub.EFORBIDDEN, "the patient has asked for their record not to be shared")
	case client.IsSpineCode(err, client.SpineNoOrganisationalConsent, client.SpineNoOrganisationConsent):
		return shared(pcnhub.EFORBIDDEN, "there is no data sharing agreement in force that lets "+requester+" see its patients' records")
	case client.IsSpineCode(err, client.SpineAccessDenied):
		return shared(pcnhub.EFORBIDDEN, "it has not switched on GP Connect access to its records")
	case client.IsSpineCode(err, client.SpinePatientNotFound):
		return shared(pcnhub.ENOTFOUND, "it holds no record of this patient that it can share (the patient may not be registered there, or their record may be restricted)")
	case isProvider && pe.Status == 501, client.IsSpineCode(err, client.SpineNotImplemented):
		return &pcnhub.Error{Code: pcnhub.ENOTIMPLEMENTED, Err: err, Message: practice + "'s system does not offer this view of the record"}
	case isProvider && pe.Status == 403:
		return shared(pcnhub.EFORBIDDEN, "access was refused ("+cmpOr(pe.SpineCode, "HTTP 403")+")")
	case !isProvider && pcnhub.ErrorCode(err) == pcnhub.ENOTFOUND:
		return &pcnhub.Error{Code: pcnhub.ENOTFOUND, Err: err, Message: practice + " is not in the endpoint directory, so its records cannot be read from here"}
	}
	return err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// listArea is the clinical area of a List by its code, and whether it is
// the area's primary List (structured.ListArea).
func listArea(l *fhir.List) (record.Area, bool) {
	if l.Code == nil {
		return "", false
	}
	for _, c := range l.Code.Coding {
		if area, primary, ok := structured.ListArea(c.Code); ok {
			return area, primary
		}
	}
	return "", false
}

// ListWarnings are the warnings a List carries (its ListWarningCode
// extensions), each with its sentence from List.note: the provider's words
// when its note holds a sentence for the code, else the usual words.
func ListWarnings(l *fhir.List) []ListWarning {
	var codes []string
	for _, x := range l.Extension {
		if x.URL != structured.ExtListWarningCode {
			continue
		}
		code := x.ValueCode
		if code == "" && x.ValueCoding != nil {
			code = x.ValueCoding.Code
		}
		if code != "" {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return nil
	}
	var note []string
	for _, n := range l.Note {
		note = append(note, strings.TrimSpace(n.Text))
	}
	text := strings.Join(note, " ")
	var out []ListWarning
	for _, code := range codes {
		out = append(out, ListWarning{List: l.Title, Code: code, Text: warningSentence(code, text)})
	}
	return out
}

// warningSentence finds the sentence of a warning in a List's note: from
// its usual start to the start of another warning's sentence, or the end.
func warningSentence(code, note string) string {
	start, known := warningStarts[code]
	if known {
		if i := strings.Index(note, start); i >= 0 {
			rest := note[i:]
			end := len(rest)
			for _, other := range warningStarts {
				if j := strings.Index(rest[1:], other); j >= 0 && j+1 < end {
					end = j + 1
				}
			}
			return strings.TrimSpace(rest[:end])
		}
	}
	switch code {
	case WarningConfidential:
		return textConfidential
	case WarningInTransit:
		return textInTransit
	case WarningAwaitingFiling:
		return textAwaitingFiling
	}
	return "The practice's system marked this list: " + code
}

// demographics copies the practice's name, birth date and gender of the
// patient; the register's stay where the practice sent none.
func demographics(r *PatientRecord, pt *fhir.Patient) {
	var name *fhir.HumanName
	for i := range pt.Name {
		if name == nil || pt.Name[i].Use == "official" && name.Use != "official" {
			name = &pt.Name[i]
		}
	}
	if name != nil && (name.Family != "" || len(name.Given) > 0) {
		r.Name = pcnhub.HumanName{Family: name.Family, Given: name.Given}
		if len(name.Prefix) > 0 {
			r.Name.Prefix = name.Prefix[0]
		}
	}
	if d, err := pcnhub.ParseDate(pt.BirthDate.String()); err == nil && !d.IsZero() {
		r.BirthDate = d
	}
	if pt.Gender != "" {
		r.Gender = pcnhub.Gender(pt.Gender)
	}
}

// bundleResources are the resources of type T in a Bundle, in order.
func bundleResources[T fhir.Resource](b *fhir.Bundle) []T {
	var out []T
	for _, e := range b.Entry {
		if r, ok := e.Resource.(T); ok {
			out = append(out, r)
		}
	}
	return out
}
