package structured

import (
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// People and places: the Patient, practice and usual GP that head every
// Bundle, and the Practitioners, PractitionerRoles, Organizations and
// Locations the clinical resources name, each written once.

// header writes the Patient, the practice, the usual GP and their role,
// and the OperationOutcome of the warnings.
func (b *builder) header() {
	var written []fhir.Resource
	put := func(r fhir.Resource) {
		if r := b.writeCaller(r, &b.head); r != nil {
			written = append(written, r)
		}
	}
	put(b.sub.Patient)
	put(b.sub.Practice)
	if b.usualGPRef != "" {
		put(b.sub.UsualGP)
		b.roleDone[b.usualGPRef] = true
		// §3.2 known issue: at most one PractitionerRole; with several, none.
		if len(b.sub.UsualGPRoles) == 1 && b.sub.UsualGPRoles[0] != nil && b.sub.UsualGPRoles[0].ID != "" {
			put(b.sub.UsualGPRoles[0])
		}
	}
	for _, r := range written {
		b.callerDeps(r)
	}
	if oo := b.operationOutcome(); oo != nil {
		b.head = append(b.head, oo)
	}
}

// operationOutcome is the one OperationOutcome of §3.4: an issue per
// unrecognised parameter, then one per disabled area; nil when none.
func (b *builder) operationOutcome() *fhir.OperationOutcome {
	if len(b.opt.Warnings) == 0 && len(b.opt.Disabled) == 0 {
		return nil
	}
	oo := &fhir.OperationOutcome{ID: "warnings", Meta: meta(fhir.ProfileOperationOutcome)}
	issue := func(text, diagnostics string) {
		oo.Issue = append(oo.Issue, fhir.OperationOutcomeIssue{
			Severity: "warning",
			Code:     "not-supported",
			Details: &fhir.CodeableConcept{
				Coding: []fhir.Coding{{System: fhir.CodeSystemSpineErrorOrWarningCode, Code: "NOT_IMPLEMENTED", Display: "Not implemented"}},
				Text:   text,
			},
			Diagnostics: diagnostics,
		})
	}
	for _, w := range b.opt.Warnings {
		issue(w.Text, w.Diagnostics)
	}
	for _, p := range b.opt.Disabled {
		issue(p+" has been disabled", p)
	}
	return oo
}

// addCaller writes a resource given to Build (to section), once, without
// any reference that cannot resolve, and then the given resources it
// references. It returns the resource's reference.
func (b *builder) addCaller(r fhir.Resource, section *[]fhir.Resource) string {
	if w := b.writeCaller(r, section); w != nil {
		b.callerDeps(w)
	}
	return r.ResourceType() + "/" + fhir.LogicalID(r)
}

// writeCaller writes a given resource unless already written, without its
// unresolvable references, and returns what it wrote (nil if nothing).
func (b *builder) writeCaller(r fhir.Resource, section *[]fhir.Resource) fhir.Resource {
	key := r.ResourceType() + "/" + fhir.LogicalID(r)
	if b.have[key] {
		return nil
	}
	b.have[key] = true
	r = withResolvableRefs(r, b.callerResolves)
	*section = append(*section, r)
	return r
}

// callerDeps writes the given resources that a written one references.
func (b *builder) callerDeps(r fhir.Resource) {
	var deps []fhir.Resource
	eachReference(r, func(ref *fhir.Reference) {
		if c := b.callers[ref.Reference]; c != nil && !b.have[ref.Reference] {
			deps = append(deps, c)
		}
	})
	for _, c := range deps {
		b.addCaller(c, &b.people)
	}
}

// callerResolves reports whether a reference in a given resource can
// resolve to another given resource.
func (b *builder) callerResolves(ref string) bool { return b.callers[ref] != nil }

// addEntry writes a resource the builder made.
func (b *builder) addEntry(section *[]fhir.Resource, r fhir.Resource) {
	key := r.ResourceType() + "/" + fhir.LogicalID(r)
	if b.have[key] {
		return
	}
	b.have[key] = true
	*section = append(*section, r)
}

// practitioner returns the reference of the Practitioner a clinician
// names ("" when none can be written), writing it, and its one
// PractitionerRole, on first use. The directory answers by
// PractitionerID; a practitioner it lacks is written from the name the
// record holds; one with neither is not referenced.
func (b *builder) practitioner(c record.Clinician) string {
	cache, key := b.prByID, c.PractitionerID
	if c.PractitionerID == "" {
		if c.Name == "" {
			return ""
		}
		cache, key = b.prByName, c.Name
	}
	if ref, ok := cache[key]; ok {
		return ref
	}
	ref := ""
	if p := b.dir.Practitioners[c.PractitionerID]; c.PractitionerID != "" && p != nil && p.ID != "" {
		ref = b.addCaller(p, &b.people)
		if !b.roleDone[ref] {
			b.roleDone[ref] = true
			roles := b.dir.Roles[c.PractitionerID]
			if ref == b.usualGPRef {
				roles = b.sub.UsualGPRoles
			}
			// §3.2 known issue: at most one PractitionerRole per
			// Practitioner; with several, none.
			if len(roles) == 1 && roles[0] != nil && roles[0].ID != "" {
				b.addCaller(roles[0], &b.people)
			}
		}
	} else if c.Name != "" {
		// Known by id to the record only, or by name only: the id, or the
		// name, names the Practitioner (the first name given wins).
		memo, want := "\x00id\x00"+c.PractitionerID, "pr-"+c.PractitionerID
		if c.PractitionerID == "" {
			memo, want = "\x00name\x00"+c.Name, "pr-name-"+c.Name
		}
		id := b.ids.get("Practitioner", memo, want)
		ref = "Practitioner/" + id
		b.addEntry(&b.people, &fhir.Practitioner{ID: id, Meta: b.m.practitioner, Name: []fhir.HumanName{{Text: c.Name}}})
	} else {
		return "" // not cached: a later mention may name them
	}
	cache[key] = ref
	return ref
}

// organisation returns the reference of the Organization of an ODS code,
// writing it on first use: the directory's, the practice's, or one that
// holds only the code.
func (b *builder) organisation(ods pcnhub.ODSCode) string {
	if ods == "" {
		return ""
	}
	if ref, ok := b.orgByODS[ods]; ok {
		return ref
	}
	var ref string
	switch o := b.dir.Organizations[ods]; {
	case o != nil && o.ID != "":
		ref = b.addCaller(o, &b.people)
	case ods == b.src.PracticeODS || hasODS(b.sub.Practice, ods):
		ref = b.practice
	default:
		id := b.ids.get("Organization", "ods-"+string(ods), "ods-"+string(ods))
		b.addEntry(&b.people, &fhir.Organization{ID: id, Meta: b.m.organization,
			Identifier: []fhir.Identifier{{System: fhir.SystemODSOrganization, Value: string(ods)}}})
		ref = "Organization/" + id
	}
	b.orgByODS[ods] = ref
	return ref
}

func hasODS(o *fhir.Organization, ods pcnhub.ODSCode) bool {
	for _, id := range o.Identifier {
		if id.System == fhir.SystemODSOrganization && id.Value == string(ods) {
			return true
		}
	}
	return false
}

// performer returns the reference of the Organization a performing
// laboratory names: by ODS code when it is one the directory or a valid
// code gives, else an Organization of that name.
func (b *builder) performer(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if ods, err := pcnhub.ParseODSCode(s); err == nil {
		return b.organisation(ods)
	}
	if ref, ok := b.orgByName[s]; ok {
		return ref
	}
	id := b.ids.get("Organization", "org-"+s, "org-"+s)
	b.addEntry(&b.people, &fhir.Organization{ID: id, Meta: b.m.organization, Name: s})
	ref := "Organization/" + id
	b.orgByName[s] = ref
	return ref
}

// clinician returns the references of a clinician's practitioner and
// organisation.
func (b *builder) clinician(c record.Clinician) (practitioner, organisation string) {
	return b.practitioner(c), b.organisation(c.OrganisationODS)
}

// actor returns the practitioner of a clinician, else their organisation.
func (b *builder) actor(c record.Clinician) string {
	if p := b.practitioner(c); p != "" {
		return p
	}
	return b.organisation(c.OrganisationODS)
}

// location returns the reference of a Location named by a consultation,
// managed by the practice, writing it on first use.
func (b *builder) location(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if ref, ok := b.locRefs[name]; ok {
		return ref
	}
	id := b.ids.get("Location", name, "loc-"+name)
	b.addEntry(&b.people, &fhir.Location{ID: id, Meta: b.m.location, Status: "active", Name: name,
		ManagingOrganization: b.refTo(b.practice)})
	ref := "Location/" + id
	b.locRefs[name] = ref
	return ref
}
