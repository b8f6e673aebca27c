// Package structimport reads a GP Connect Access Record Structured Bundle
// (FHIR STU3, as returned by $gpc.getstructuredrecord) into a pcnhub clinical
// record (package record), with a Report that says, for a person checking
// the import, what was read, what was left out and why.
//
// Mapping, in short (the per-area files say more):
//
//   - AllergyIntolerance (including the resolved ones contained in the
//     "Ended allergies" List) → Allergy;
//   - MedicationStatement + MedicationRequest intent plan (authorisation) +
//     intent order (issues, linked to the plan by basedOn, else by
//     groupIdentifier) + Medication → Medication;
//   - Condition (ProblemHeader) → Problem, with related problems and the
//     items its extensions name;
//   - Encounter + the consultation, topic and category Lists → Consultation;
//   - Observation → TestResult when a DiagnosticReport reaches it (directly
//     or through has-member), Immunisation status when the Immunisations
//     List names it, else uncategorised Observation;
//   - Immunization → Immunisation; DiagnosticReport + Specimen →
//     Investigation; ReferralRequest → Referral; ProcedureRequest →
//     DiaryEntry (unless it is the request of a DiagnosticReport);
//     DocumentReference → Document.
//
// Record ids are the FHIR logical ids; where two mapped resources of
// different types share a logical id, both get "Type/id". Links between items
// that cannot be resolved are dropped and noted in the Report, so the record
// always passes record.Validate.
package structimport

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// Report says what Import read and what it left out, for a person checking
// an import.
type Report struct {
	// Read counts, by resource type, the resources that went into the
	// record: clinical items and the resources they refer to (Patient,
	// Practitioner, Organization, Medication, Specimen, structure Lists…).
	Read map[string]int
	// Skipped lists the resources left out of the record, each with why.
	Skipped []Entry
	// Notes lists what a person should know about resources that were
	// read: List warnings (confidential-items, data-in-transit,
	// data-awaiting-filing), links that could not be resolved, values that
	// could not be read or have no place in the record.
	Notes []Entry
}

// Entry is one line of a Report: a resource and what happened to it.
type Entry struct {
	ResourceType string
	ID           string
	Reason       string
}

// String returns "Type/id: reason".
func (e Entry) String() string {
	id := e.ID
	if id == "" {
		id = "(no id)"
	}
	return e.ResourceType + "/" + id + ": " + e.Reason
}

// String summarises the report on several lines.
func (r *Report) String() string {
	var b strings.Builder
	types := make([]string, 0, len(r.Read))
	for t := range r.Read {
		types = append(types, t)
	}
	sort.Strings(types)
	b.WriteString("read:")
	for _, t := range types {
		fmt.Fprintf(&b, " %s=%d", t, r.Read[t])
	}
	fmt.Fprintf(&b, "\nskipped: %d\n", len(r.Skipped))
	for _, e := range r.Skipped {
		b.WriteString("  " + e.String() + "\n")
	}
	fmt.Fprintf(&b, "notes: %d\n", len(r.Notes))
	for _, e := range r.Notes {
		b.WriteString("  " + e.String() + "\n")
	}
	return b.String()
}

// SNOMED concept ids of the List codes the importer reads.
const (
	listConsultation  = "325851000000107" // Consultation (one per Encounter)
	listTopic         = "25851000000105"  // Topic (EHR)
	listCategory      = "24781000000107"  // Category (EHR): a heading
	listImmunisations = "1102181000000102"
	listEndedAllergy  = "1103671000000101"
	conceptComment    = "37331000000100" // Comment note: a filing comment in a report
)

// Identifier systems.
const (
	systemNHSNumber = "https://fhir.nhs.uk/Id/nhs-number"
	systemSDSUser   = "https://fhir.nhs.uk/Id/sds-user-id"
	systemODS       = "https://fhir.nhs.uk/Id/ods-organization-code"
	systemODSLegacy = "http://fhir.nhs.net/Id/ods-organization-code"
	systemUCUM      = "http://unitsofmeasure.org"
)

// Import reads a GP Connect Access Record Structured Bundle (STU3, as
// returned by $gpc.getstructuredrecord) into a clinical record for the
// patient it is about.
//
// It fails, with an EINVALID error naming the problem, only when there is no
// Bundle, the Bundle holds no Patient, or its Patient has no valid NHS number
// (identifier system https://fhir.nhs.uk/Id/nhs-number). Every other resource
// that cannot be mapped is left out and listed in the Report with the reason;
// links that cannot be resolved are dropped and noted. The record returned
// passes record.Validate.
func Import(b *fhir.Bundle) (*record.Record, *Report, error) {
	if b == nil {
		return nil, nil, pcnhub.Errorf(pcnhub.EINVALID, "no Bundle to import")
	}
	im := newImporter(b)
	if err := im.findPatient(); err != nil {
		return nil, nil, err
	}
	im.run()
	return im.rec, im.rep, nil
}

// node is a resource of the Bundle: an entry's resource, or a resource
// contained in one.
type node struct {
	key       string // "Type/id", unique in the importer (see index)
	typ, id   string
	r         fhir.Resource
	container string // key of the containing resource, for contained ones
}

type importer struct {
	b   *fhir.Bundle
	rep *Report
	rec *record.Record

	nodes     []*node
	byKey     map[string]*node
	byURL     map[string]string // entry fullUrl → key
	contained map[string]string // container key + "#" + local id → key

	patient *node
	others  map[string]bool           // keys of Patients about someone else
	roleODS map[string]pcnhub.ODSCode // Practitioner key → its role's ODS code

	// done marks the nodes already accounted for (read or skipped), so
	// that each appears in the Report once.
	done  map[string]bool
	noted map[Entry]bool

	// ids: key → record id, for every node that becomes an item, an issue
	// or a specimen. linkTo: key → the record item id that a link to the
	// node names (a plan or order names its medication).
	ids    map[string]string
	linkTo map[string]string

	// Area-specific state.
	problemIdx map[string]int // Condition key → index in rec.Problems
	consIdx    map[string]int // Encounter key → index in rec.Consultations
	resultIdx  map[string]int // Observation key → index in rec.TestResults
	specimenOf map[string]string
	lists      listInfo
	obsKind    map[string]record.ResultKind // Observations reached from a DiagnosticReport
	immStatus  map[string]bool              // Observations named by the Immunisations List
	drRequests map[string]bool              // ProcedureRequests that are a DiagnosticReport's request

	// links to resolve once every item has an id.
	problemLinks []problemLinks
	invLinks     []invLinks
	resultLinks  []resultLinks
}

func newImporter(b *fhir.Bundle) *importer {
	im := &importer{
		b:          b,
		rep:        &Report{Read: map[string]int{}},
		rec:        &record.Record{},
		byKey:      map[string]*node{},
		byURL:      map[string]string{},
		contained:  map[string]string{},
		others:     map[string]bool{},
		done:       map[string]bool{},
		noted:      map[Entry]bool{},
		ids:        map[string]string{},
		linkTo:     map[string]string{},
		problemIdx: map[string]int{},
		consIdx:    map[string]int{},
		resultIdx:  map[string]int{},
		specimenOf: map[string]string{},
		obsKind:    map[string]record.ResultKind{},
		immStatus:  map[string]bool{},
		drRequests: map[string]bool{},
	}
	im.index()
	return im
}

// isNil reports whether r is nil or a typed nil pointer.
func isNil(r fhir.Resource) bool {
	if r == nil {
		return true
	}
	v := reflect.ValueOf(r)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// containedOf returns the contained resources of a DomainResource.
func containedOf(r fhir.Resource) []fhir.Resource {
	v := reflect.ValueOf(r)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Contained")
	if !f.IsValid() {
		return nil
	}
	c, _ := f.Interface().([]fhir.Resource)
	return c
}

// index records every entry resource and every resource contained in one.
// Keys are "Type/id"; a later entry with a key already taken is a duplicate
// and is skipped; a contained resource whose key is taken (its id is only
// local) gets a container-qualified key.
func (im *importer) index() {
	for i, e := range im.b.Entry {
		if isNil(e.Resource) {
			im.rep.Skipped = append(im.rep.Skipped, Entry{"Bundle.entry", strconv.Itoa(i), "entry without a resource"})
			continue
		}
		typ, id := e.Resource.ResourceType(), fhir.LogicalID(e.Resource)
		key := typ + "/" + id
		if id == "" {
			key = typ + "/#entry" + strconv.Itoa(i)
		}
		if _, dup := im.byKey[key]; dup {
			im.skip2(typ, id, "a second entry with the same type and id; the first was used")
			continue
		}
		im.add(&node{key: key, typ: typ, id: id, r: e.Resource})
		if e.FullURL != "" {
			im.byURL[e.FullURL] = key
		}
	}
	// Contained resources after all entries, so that an entry keeps its
	// key even when a contained resource elsewhere has the same type and id.
	entries := len(im.nodes)
	for _, n := range im.nodes[:entries] {
		key := n.key
		for j, c := range containedOf(n.r) {
			if isNil(c) {
				continue
			}
			ct, cid := c.ResourceType(), fhir.LogicalID(c)
			ck := ct + "/" + cid
			if _, taken := im.byKey[ck]; taken || cid == "" {
				ck = key + "#" + cid + "#" + strconv.Itoa(j)
			}
			cn := &node{key: ck, typ: ct, id: cid, r: c, container: key}
			im.add(cn)
			if cid != "" {
				im.contained[key+"#"+cid] = ck
			}
		}
	}
}

func (im *importer) add(n *node) {
	im.nodes = append(im.nodes, n)
	im.byKey[n.key] = n
}

// refKey turns a reference into the key of the resource it names, resolved
// from the resource with key from (for "#id" references to contained
// resources). It returns the key, or for a resource not in the Bundle the
// "Type/id" it names (or the reference as written), and whether it is in the
// Bundle.
func (im *importer) refKey(ref *fhir.Reference, from string) (string, bool) {
	if ref == nil || ref.Reference == "" {
		return "", false
	}
	s := ref.Reference
	if strings.HasPrefix(s, "#") {
		owner := from
		if n := im.byKey[from]; n != nil && n.container != "" {
			owner = n.container // a contained resource refers to its siblings
		}
		if k, ok := im.contained[owner+"#"+s[1:]]; ok {
			return k, true
		}
		return s, false
	}
	if k, ok := im.byURL[s]; ok {
		return k, true
	}
	if i := strings.Index(s, "/_history/"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, "/")
	if len(parts) >= 2 {
		s = parts[len(parts)-2] + "/" + parts[len(parts)-1]
	}
	_, ok := im.byKey[s]
	return s, ok
}

// resolve returns the node a reference names, or nil.
func (im *importer) resolve(ref *fhir.Reference, from string) *node {
	if k, ok := im.refKey(ref, from); ok {
		return im.byKey[k]
	}
	return nil
}

// read counts a node as read.
func (im *importer) read(n *node) {
	if im.done[n.key] {
		return
	}
	im.done[n.key] = true
	im.rep.Read[n.typ]++
}

// skip leaves a node out of the record, with the reason.
func (im *importer) skip(n *node, reason string) {
	if im.done[n.key] {
		return
	}
	im.done[n.key] = true
	im.skip2(n.typ, n.id, reason)
}

func (im *importer) skip2(typ, id, reason string) {
	im.rep.Skipped = append(im.rep.Skipped, Entry{typ, id, reason})
}

// note adds a note about a node, once.
func (im *importer) note(n *node, format string, args ...any) {
	e := Entry{n.typ, n.id, fmt.Sprintf(format, args...)}
	if im.noted[e] {
		return
	}
	im.noted[e] = true
	im.rep.Notes = append(im.rep.Notes, e)
}

// findPatient picks the Patient the Bundle is about: the first Patient
// entry, which must carry a valid NHS number. Other Patients with another
// NHS number are someone else: they, and the items about them, are skipped.
func (im *importer) findPatient() error {
	var patients []*node
	for _, n := range im.nodes {
		if _, ok := n.r.(*fhir.Patient); ok && n.container == "" {
			patients = append(patients, n)
		}
	}
	if len(patients) == 0 {
		return pcnhub.Errorf(pcnhub.EINVALID, "the Bundle holds no Patient, so there is no one to import a record for")
	}
	p := patients[0]
	nhs, err := nhsNumber(p.r.(*fhir.Patient))
	if err != nil {
		return pcnhub.Errorf(pcnhub.EINVALID, "Patient/%s: %s", p.id, err.Error())
	}
	im.patient = p
	im.rec.NHSNumber = nhs
	im.read(p)
	for _, o := range patients[1:] {
		if other, err := nhsNumber(o.r.(*fhir.Patient)); err == nil && other == nhs {
			im.read(o)
			continue
		}
		im.others[o.key] = true
		im.skip(o, "a second Patient with another or no NHS number: items about this Patient are left out")
	}
	return nil
}

// nhsNumber returns the Patient's NHS number.
func nhsNumber(p *fhir.Patient) (pcnhub.NHSNumber, error) {
	found := ""
	for _, id := range p.Identifier {
		if id.System == systemNHSNumber {
			if id.Value == "" {
				continue
			}
			n, err := pcnhub.ParseNHSNumber(id.Value)
			if err == nil {
				return n, nil
			}
			found = pcnhub.ErrorMessage(err)
		}
	}
	if found != "" {
		return "", fmt.Errorf("the Patient's NHS number (identifier system %s) is not valid: %s", systemNHSNumber, found)
	}
	return "", fmt.Errorf("the Patient has no NHS number (identifier system %s)", systemNHSNumber)
}

// aboutOther reports whether a reference to the subject of an item names a
// Patient other than the record's, and notes a subject that is not in the
// Bundle.
func (im *importer) aboutOther(n *node, subject *fhir.Reference) bool {
	if subject == nil || subject.Reference == "" {
		return false
	}
	k, ok := im.refKey(subject, n.key)
	switch {
	case !ok:
		if strings.HasPrefix(k, "Patient/") {
			im.note(n, "its subject %s is not in the Bundle; read as about the Bundle's Patient", k)
		}
		return false
	case im.others[k]:
		im.skip(n, "about "+k+", not the Patient the record is for")
		return true
	}
	return false
}

// run maps the Bundle, in three passes: classify resources whose role
// depends on others (observations, requests, lists); map each resource to
// record items; then resolve the links between items.
func (im *importer) run() {
	im.practiceODS()
	im.classify()
	im.allocateIDs()
	for _, n := range im.nodes {
		if im.done[n.key] {
			continue
		}
		switch r := n.r.(type) {
		case *fhir.Patient:
			// the record's Patient was read; others were skipped
		case *fhir.AllergyIntolerance:
			im.allergy(n, r)
		case *fhir.Condition:
			im.problem(n, r)
		case *fhir.Encounter:
			im.encounter(n, r)
		case *fhir.Observation:
			im.observation(n, r)
		case *fhir.Immunization:
			im.immunization(n, r)
		case *fhir.DiagnosticReport:
			im.diagnosticReport(n, r)
		case *fhir.ReferralRequest:
			im.referral(n, r)
		case *fhir.ProcedureRequest:
			im.procedureRequest(n, r)
		case *fhir.DocumentReference:
			im.document(n, r)
		case *fhir.MedicationStatement, *fhir.MedicationRequest:
			// mapped together by medications
		case *fhir.Medication, *fhir.Specimen:
			// read when an item refers to them; see finish
		case *fhir.Practitioner, *fhir.PractitionerRole, *fhir.Organization,
			*fhir.Location, *fhir.HealthcareService:
			im.read(n) // reference data for clinicians, places and services
		case *fhir.List:
			// read by lists (below)
		case *fhir.OperationOutcome:
			im.skip(n, "an OperationOutcome is not clinical data"+outcomeText(r))
		case *fhir.QuestionnaireResponse:
			im.skip(n, "a QuestionnaireResponse (consultation questionnaire) has no place in the record")
		default:
			im.skip(n, "resource type "+n.typ+" is not part of a structured record")
		}
	}
	im.medications()
	im.readLists()
	im.resolveLinks()
	im.finish()
}

func outcomeText(o *fhir.OperationOutcome) string {
	var parts []string
	for _, is := range o.Issue {
		t := is.Diagnostics
		if is.Details != nil && is.Details.Text != "" {
			t = is.Details.Text
		}
		if t != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, "; ")
}

// finish accounts for the resources no item referred to.
func (im *importer) finish() {
	for _, n := range im.nodes {
		if im.done[n.key] {
			continue
		}
		switch n.r.(type) {
		case *fhir.Medication:
			im.skip(n, "no medication statement or request refers to this Medication")
		case *fhir.Specimen:
			im.skip(n, "no DiagnosticReport in the Bundle names this Specimen")
		case *fhir.List:
			if l := n.r.(*fhir.List); hasCode(l.Code, record.SNOMED, listTopic) || hasCode(l.Code, record.SNOMED, listCategory) {
				im.note(n, "a consultation topic or heading List that no consultation List reaches: its items are not placed in a consultation")
			}
			im.read(n)
		default:
			im.skip(n, "not mapped")
		}
	}
}

// practiceODS sets the record's practice: the ODS code of the Patient's
// generalPractitioner Organization, else its managingOrganization, else the
// Organization of the generalPractitioner Practitioner's PractitionerRole.
func (im *importer) practiceODS() {
	p := im.patient.r.(*fhir.Patient)
	var orgs []*fhir.Reference
	for i := range p.GeneralPractitioner {
		orgs = append(orgs, &p.GeneralPractitioner[i])
	}
	orgs = append(orgs, p.ManagingOrganization)
	for _, ref := range orgs {
		if n := im.resolve(ref, im.patient.key); n != nil {
			if o, ok := n.r.(*fhir.Organization); ok {
				if ods := odsOf(o); ods != "" {
					im.rec.PracticeODS = ods
					return
				}
			}
		}
	}
	for i := range p.GeneralPractitioner {
		if n := im.resolve(&p.GeneralPractitioner[i], im.patient.key); n != nil {
			if _, ok := n.r.(*fhir.Practitioner); ok {
				if ods := im.practitionerOrg(n.key); ods != "" {
					im.rec.PracticeODS = ods
					return
				}
			}
		}
	}
	im.note(im.patient, "no ODS code found for the registered practice (generalPractitioner / managingOrganization)")
}

// odsOf returns an Organization's ODS code, or "".
func odsOf(o *fhir.Organization) pcnhub.ODSCode {
	for _, id := range o.Identifier {
		if id.System == systemODS || id.System == systemODSLegacy {
			if c, err := pcnhub.ParseODSCode(id.Value); err == nil {
				return c
			}
		}
	}
	return ""
}

// mapped reports whether resources of the type become record items, issues
// or specimens, and so need a record id.
func mapped(typ string) bool {
	switch typ {
	case "AllergyIntolerance", "MedicationStatement", "MedicationRequest", "Condition",
		"Encounter", "Observation", "Immunization", "DiagnosticReport", "Specimen",
		"ReferralRequest", "ProcedureRequest", "DocumentReference":
		return true
	}
	return false
}

// allocateIDs gives every resource that may become an item, issue or
// specimen its record id: its logical id, or "Type/id" when resources of
// different types share the logical id. Resources without an id (only
// possible outside GP Connect) get "Type/#n".
func (im *importer) allocateIDs() {
	count := map[string]int{}
	for _, n := range im.nodes {
		if mapped(n.typ) && n.id != "" {
			count[n.id]++
		}
	}
	used := map[string]bool{}
	for i, n := range im.nodes {
		if !mapped(n.typ) {
			continue
		}
		id := n.id
		switch {
		case id == "":
			id = n.typ + "/#" + strconv.Itoa(i)
		case count[id] > 1:
			id = n.typ + "/" + n.id
		}
		for j := 2; used[id]; j++ {
			id = n.typ + "/" + n.id + "#" + strconv.Itoa(j)
		}
		used[id] = true
		im.ids[n.key] = id
	}
}

// itemLink returns the record item id a link to the resource with the key
// names, or "".
func (im *importer) itemLink(key string) string { return im.linkTo[key] }

// emit records that the node became the record item with the id.
func (im *importer) emit(n *node, id string) {
	im.linkTo[n.key] = id
	im.read(n)
}
