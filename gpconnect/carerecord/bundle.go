package carerecord

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
)

// Subject is who and what the answer is about, besides the narrative: the
// patient, the practice that holds the record, the usual GP and the
// answering system. Logical ids must match [A-Za-z0-9\-\.]{1,64}.
type Subject struct {
	Patient  Patient
	Practice Practice
	GP       *Practitioner // the usual GP; nil when none is recorded
	Device   Device        // the answering system; zero fields take defaults
}

// Patient is the patient's demographics as the record holds them.
type Patient struct {
	ID           string // logical id of the Patient resource
	NHSNumber    pcnhub.NHSNumber
	Name         pcnhub.HumanName
	Gender       pcnhub.Gender
	BirthDate    pcnhub.Date
	DeceasedDate pcnhub.Date // zero while alive
	Address      pcnhub.Address
}

// Practice is the organisation that holds the record (the custodian).
type Practice struct {
	ID   string // logical id of the Organization resource
	ODS  pcnhub.ODSCode
	Name string
}

// Practitioner is the patient's usual GP.
type Practitioner struct {
	ID        string // logical id of the Practitioner resource
	SDSUserID string // e.g. G13579135; omitted from the identifier list when ""
	Name      pcnhub.HumanName
}

// Device is the system that built the answer (Composition.author).
type Device struct {
	ID           string // default "pcnhub"
	Manufacturer string // default "pcnhub"
	Model        string // default "pcnhub GP Connect provider"
	Version      string // default "0.7"
}

// Profiles and codes of the 0.7 DSTU2 resources.
const (
	profileComposition   = "http://fhir.nhs.net/StructureDefinition/gpconnect-carerecord-composition-1"
	profilePatient       = "http://fhir.nhs.net/StructureDefinition/gpconnect-patient-1"
	profileOrganization  = "http://fhir.nhs.net/StructureDefinition/gpconnect-organization-1"
	profilePractitioner  = "http://fhir.nhs.net/StructureDefinition/gpconnect-practitioner-1"
	profileDevice        = "http://fhir.nhs.net/StructureDefinition/gpconnect-device-1"
	profileOutcome       = "http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1"
	compositionTitle     = "Patient Care Record"
	systemSNOMED         = "http://snomed.info/sct"
	compositionTypeCode  = "425173008" // UNVERIFIED: record extract (record artifact)
	compositionTypeText  = "record extract (record artifact)"
	compositionClassCode = "700232004" // UNVERIFIED: general medical service (qualifier value)
	compositionClassText = "general medical service (qualifier value)"
	deviceTypeCode       = "462240000" // UNVERIFIED: Patient health record information system (physical object)
	deviceTypeText       = "Patient health record information system (physical object)"
)

// dateTimeLayout writes FHIR dateTimes with an explicit UK offset
// (+00:00 or +01:00), never "Z".
const dateTimeLayout = "2006-01-02T15:04:05-07:00"

// ---- DSTU2 wire shapes: fields in FHIR element order; JSON names. The
// XML encoder below walks the same structs, so both formats carry the same
// content. Every string field is a FHIR primitive; xhtml is the narrative.

type xhtml string

type wMeta struct {
	LastUpdated string   `json:"lastUpdated,omitempty"`
	Profile     []string `json:"profile,omitempty"`
}

type wCoding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

type wCodeableConcept struct {
	Coding []wCoding `json:"coding,omitempty"`
	Text   string    `json:"text,omitempty"`
}

type wIdentifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

type wReference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

type wHumanName struct {
	Use    string   `json:"use,omitempty"`
	Text   string   `json:"text,omitempty"`
	Family []string `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
	Prefix []string `json:"prefix,omitempty"`
}

type wAddress struct {
	Use        string   `json:"use,omitempty"`
	Line       []string `json:"line,omitempty"`
	City       string   `json:"city,omitempty"`
	District   string   `json:"district,omitempty"`
	PostalCode string   `json:"postalCode,omitempty"`
}

type wNarrative struct {
	Status string `json:"status"`
	Div    xhtml  `json:"div"`
}

type wSection struct {
	Title string           `json:"title"`
	Code  wCodeableConcept `json:"code"`
	Text  wNarrative       `json:"text"`
}

type wComposition struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Meta         wMeta             `json:"meta"`
	Date         string            `json:"date"`
	Type         wCodeableConcept  `json:"type"`
	Class        *wCodeableConcept `json:"class,omitempty"`
	Title        string            `json:"title"`
	Status       string            `json:"status"`
	Subject      wReference        `json:"subject"`
	Author       []wReference      `json:"author"`
	Custodian    wReference        `json:"custodian"`
	Section      []wSection        `json:"section"`
}

type wPatient struct {
	ResourceType         string        `json:"resourceType"`
	ID                   string        `json:"id"`
	Meta                 wMeta         `json:"meta"`
	Identifier           []wIdentifier `json:"identifier"`
	Name                 []wHumanName  `json:"name,omitempty"`
	Gender               string        `json:"gender,omitempty"`
	BirthDate            string        `json:"birthDate,omitempty"`
	DeceasedDateTime     string        `json:"deceasedDateTime,omitempty"`
	Address              []wAddress    `json:"address,omitempty"`
	CareProvider         []wReference  `json:"careProvider,omitempty"`
	ManagingOrganization *wReference   `json:"managingOrganization,omitempty"`
}

type wOrganization struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id"`
	Meta         wMeta         `json:"meta"`
	Identifier   []wIdentifier `json:"identifier,omitempty"`
	Name         string        `json:"name,omitempty"`
}

type wPractitioner struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id"`
	Meta         wMeta         `json:"meta"`
	Identifier   []wIdentifier `json:"identifier,omitempty"`
	Name         *wHumanName   `json:"name,omitempty"`
}

type wDevice struct {
	ResourceType string           `json:"resourceType"`
	ID           string           `json:"id"`
	Meta         wMeta            `json:"meta"`
	Type         wCodeableConcept `json:"type"`
	Manufacturer string           `json:"manufacturer,omitempty"`
	Model        string           `json:"model,omitempty"`
	Version      string           `json:"version,omitempty"`
}

type wEntry struct {
	Resource any `json:"resource"`
}

type wBundle struct {
	ResourceType string   `json:"resourceType"`
	ID           string   `json:"id"`
	Meta         wMeta    `json:"meta"`
	Type         string   `json:"type"`
	Entry        []wEntry `json:"entry"`
}

type wIssue struct {
	Severity    string            `json:"severity"`
	Code        string            `json:"code"`
	Details     *wCodeableConcept `json:"details,omitempty"`
	Diagnostics string            `json:"diagnostics,omitempty"`
}

type wOperationOutcome struct {
	ResourceType string   `json:"resourceType"`
	Meta         wMeta    `json:"meta"`
	Issue        []wIssue `json:"issue"`
}

// ---- Response ----

// Response encodes the 200 answer to a $gpc.getcarerecord request: a DSTU2
// Bundle of type searchset whose entries are, in order, the Composition
// (profile gpconnect-carerecord-composition-1, title "Patient Care
// Record", status final, date now in Europe/London, subject → Patient,
// author → Device, custodian → Organization, one section with the section
// title, its code in http://fhir.nhs.net/ValueSet/gpconnect-record-section-1
// and text.status generated with div), the Patient (NHS number under
// http://fhir.nhs.net/Id/nhs-number, deceasedDateTime when a date of death
// is known, careProvider → Practitioner, managingOrganization →
// Organization), the Organization (ODS code under
// http://fhir.nhs.net/Id/ods-organization-code), the Practitioner (SDS
// user id under http://fhir.nhs.net/Id/sds-user-id; left out when sub.GP is
// nil) and the Device. Bundle and Composition ids are derived from the
// request and now, so a repeat of the same call at the same instant gives
// the same ids.
//
// div is the narrative from Render. It must be one <div> of the FHIR
// narrative subset in the plain XML Render writes: lower-case narrative
// elements, double-quoted id, class (and a few other harmless) attributes,
// the predefined entities, and no comments, CDATA, "\r" or event and
// style attributes (checkDiv in narrative.go); an xmlns declaration for
// XHTML is added when missing. In XML the div is embedded as XHTML; in JSON it is
// the string value of text.div. The output has no "\r" and no trailing
// newline. Errors are *Error with status 500 (bad arguments).
func Response(format Format, req *Request, sub Subject, div string, now time.Time) ([]byte, error) {
	if req == nil || !req.Section.Valid() {
		return nil, internalError("Response needs a request for a valid section")
	}
	if sub.Patient.NHSNumber != req.NHSNumber {
		return nil, internalError("Response: the subject is not the patient requested")
	}
	if now.IsZero() {
		return nil, internalError("Response needs the time")
	}
	ids := []struct{ what, id string }{{"patient", sub.Patient.ID}, {"practice", sub.Practice.ID}}
	if sub.GP != nil {
		ids = append(ids, struct{ what, id string }{"GP", sub.GP.ID})
	}
	if sub.Device.ID != "" {
		ids = append(ids, struct{ what, id string }{"device", sub.Device.ID})
	}
	for _, x := range ids {
		if !validID(x.id) {
			return nil, internalError("Response: the %s's logical id %q is not [A-Za-z0-9-.]{1,64}", x.what, clip(x.id))
		}
	}
	div, err := checkDiv(div)
	if err != nil {
		return nil, internalError("Response: the narrative is not valid: %v", err)
	}
	b := buildBundle(req, sub, xhtml(div), now)
	return encode(format, b)
}

func buildBundle(req *Request, sub Subject, div xhtml, now time.Time) *wBundle {
	stamp := now.In(pcnhub.London).Format(dateTimeLayout)
	seed := string(req.NHSNumber) + "|" + string(req.Section) + "|" + req.Period.Start.String() + "|" + req.Period.End.String() + "|" + now.UTC().Format(time.RFC3339Nano)

	dev := sub.Device
	if dev.ID == "" {
		dev.ID = "pcnhub"
	}
	if dev.Manufacturer == "" {
		dev.Manufacturer = "pcnhub"
	}
	if dev.Model == "" {
		dev.Model = "pcnhub GP Connect provider"
	}
	if dev.Version == "" {
		dev.Version = "0.7"
	}
	patientRef := wReference{Reference: "Patient/" + sub.Patient.ID}
	orgRef := wReference{Reference: "Organization/" + sub.Practice.ID}
	deviceRef := wReference{Reference: "Device/" + dev.ID}

	title := req.Section.Title()
	comp := &wComposition{
		ResourceType: "Composition",
		ID:           nameID("composition|" + seed),
		Meta:         wMeta{Profile: []string{profileComposition}},
		Date:         stamp,
		Type: wCodeableConcept{Coding: []wCoding{{System: systemSNOMED, Code: compositionTypeCode, Display: compositionTypeText}},
			Text: compositionTypeText},
		Class: &wCodeableConcept{Coding: []wCoding{{System: systemSNOMED, Code: compositionClassCode, Display: compositionClassText}},
			Text: compositionClassText},
		Title:     compositionTitle,
		Status:    "final",
		Subject:   patientRef,
		Author:    []wReference{deviceRef},
		Custodian: orgRef,
		Section: []wSection{{
			Title: title,
			Code:  wCodeableConcept{Coding: []wCoding{{System: SystemRecordSection, Code: string(req.Section), Display: title}}, Text: title},
			Text:  wNarrative{Status: "generated", Div: div},
		}},
	}

	p := sub.Patient
	pat := &wPatient{
		ResourceType:         "Patient",
		ID:                   p.ID,
		Meta:                 wMeta{Profile: []string{profilePatient}},
		Identifier:           []wIdentifier{{System: SystemNHSNumber, Value: string(p.NHSNumber)}},
		Gender:               clean(string(p.Gender)),
		BirthDate:            p.BirthDate.String(),
		DeceasedDateTime:     p.DeceasedDate.String(),
		ManagingOrganization: &orgRef,
	}
	if n := humanName(p.Name, "official"); n != nil {
		pat.Name = []wHumanName{*n}
	}
	if !p.Address.IsZero() {
		pat.Address = []wAddress{{Use: "home", Line: cleanAll(p.Address.Lines), City: clean(p.Address.City),
			District: clean(p.Address.District), PostalCode: clean(p.Address.Postcode)}}
	}

	org := &wOrganization{ResourceType: "Organization", ID: sub.Practice.ID, Meta: wMeta{Profile: []string{profileOrganization}},
		Name: clean(sub.Practice.Name)}
	if sub.Practice.ODS != "" {
		org.Identifier = []wIdentifier{{System: SystemODSOrgCode, Value: clean(string(sub.Practice.ODS))}}
	}

	entries := []wEntry{{comp}, {pat}, {org}}
	if gp := sub.GP; gp != nil {
		pat.CareProvider = []wReference{{Reference: "Practitioner/" + gp.ID}}
		pr := &wPractitioner{ResourceType: "Practitioner", ID: gp.ID, Meta: wMeta{Profile: []string{profilePractitioner}},
			Name: humanName(gp.Name, "usual")}
		if gp.SDSUserID != "" {
			pr.Identifier = []wIdentifier{{System: SystemSDSUserID, Value: clean(gp.SDSUserID)}}
		}
		entries = append(entries, wEntry{pr})
	}
	entries = append(entries, wEntry{&wDevice{
		ResourceType: "Device", ID: dev.ID, Meta: wMeta{Profile: []string{profileDevice}},
		Type:         wCodeableConcept{Coding: []wCoding{{System: systemSNOMED, Code: deviceTypeCode, Display: deviceTypeText}}, Text: deviceTypeText},
		Manufacturer: clean(dev.Manufacturer), Model: clean(dev.Model), Version: clean(dev.Version),
	}})
	return &wBundle{
		ResourceType: "Bundle",
		ID:           nameID("bundle|" + seed),
		Meta:         wMeta{LastUpdated: stamp},
		Type:         "searchset",
		Entry:        entries,
	}
}

func humanName(n pcnhub.HumanName, use string) *wHumanName {
	if n.Family == "" && len(n.Given) == 0 && n.Prefix == "" {
		return nil
	}
	w := &wHumanName{Use: use, Given: cleanAll(n.Given)}
	parts := append([]string(nil), n.Given...)
	if n.Family != "" {
		w.Family = []string{clean(n.Family)}
		parts = append(parts, strings.ToUpper(n.Family))
	}
	if n.Prefix != "" {
		w.Prefix = []string{clean(n.Prefix)}
		parts = append([]string{n.Prefix}, parts...)
	}
	w.Text = clean(strings.Join(parts, " "))
	return w
}

// nameID derives a UUID-shaped id (RFC 9562 version 8) from a name.
func nameID(name string) string {
	h := sha256.Sum256([]byte(name))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	s := hex.EncodeToString(h[:16])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// validID checks a FHIR logical id: [A-Za-z0-9\-\.]{1,64}.
func validID(id string) bool {
	if len(id) < 1 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// clean makes a string safe for both encodings: invalid UTF-8 and
// characters XML cannot hold become U+FFFD, and "\r\n" or "\r" become "\n".
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r':
			b.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				n = 2
			}
		case r == '\t' || r == '\n':
			b.WriteRune(r)
		case r == utf8.RuneError && n == 1, !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func cleanAll(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return out
}

// ---- OperationOutcome ----

// OperationOutcome encodes e as a DSTU2 OperationOutcome with profile
// http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1 and
// one issue: severity error, code e.IssueCode, details.coding[0] = e.Code
// and e.Display in http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1,
// and diagnostics. Empty fields of e are filled from NewError(e.Code);
// a nil e encodes INTERNAL_SERVER_ERROR. Any format other than XML gives
// JSON (a 415 answer has no agreed format). The caller sends it with
// e.Status.
func OperationOutcome(format Format, e *Error) ([]byte, error) {
	if format != XML {
		format = JSON
	}
	if e == nil {
		e = internalError("an unexpected error occurred")
	}
	full := *e
	if full.Code == "" {
		full.Code = CodeInternalServerError
	}
	def := NewError(full.Code, "")
	if full.Display == "" {
		full.Display = def.Display
	}
	if full.IssueCode == "" {
		full.IssueCode = def.IssueCode
	}
	oo := &wOperationOutcome{
		ResourceType: "OperationOutcome",
		Meta:         wMeta{Profile: []string{profileOutcome}},
		Issue: []wIssue{{
			Severity: "error",
			Code:     clean(full.IssueCode),
			Details: &wCodeableConcept{Coding: []wCoding{{System: SystemErrorCode, Code: clean(full.Code),
				Display: clean(full.Display)}}},
			Diagnostics: clean(full.Diagnostics),
		}},
	}
	return encode(format, oo)
}

// ---- encoders ----

func encode(format Format, resource any) ([]byte, error) {
	var buf bytes.Buffer
	switch format {
	case JSON:
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(resource); err != nil {
			return nil, internalError("encoding JSON: %v", err)
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
	case XML:
		buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
		xmlResource(&buf, resource, true)
		return buf.Bytes(), nil
	}
	return nil, internalError("unknown format %d", format)
}
