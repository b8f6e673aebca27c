package structimport

import (
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// clinician maps a reference to who recorded or did something:
//
//   - a Practitioner: PractitionerID is its SDS user id
//     (https://fhir.nhs.uk/Id/sds-user-id) if it has one, else
//     "Practitioner/<id>"; Name is its name; OrganisationODS is the ODS code
//     of the Organization of its PractitionerRole, when the Bundle has one;
//   - a PractitionerRole: its Practitioner and its Organization;
//   - an Organization: OrganisationODS, and Name its name;
//   - a HealthcareService: the ODS code of the Organization providing it,
//     and Name the service's name.
//
// A Practitioner or Organization not in the Bundle gives "Practitioner/<id>"
// (or no id) and the reference's display, and a note against from.
func (im *importer) clinician(ref *fhir.Reference, from *node) record.Clinician {
	if ref == nil || (ref.Reference == "" && ref.Display == "") {
		return record.Clinician{}
	}
	key, ok := im.refKey(ref, from.key)
	if !ok {
		c := record.Clinician{Name: ref.Display}
		if strings.HasPrefix(key, "Practitioner/") {
			c.PractitionerID = key
		}
		if key != "" {
			im.note(from, "refers to %s, which is not in the Bundle", key)
		}
		return c
	}
	n := im.byKey[key]
	switch r := n.r.(type) {
	case *fhir.Practitioner:
		return im.practitioner(n, r)
	case *fhir.PractitionerRole:
		var c record.Clinician
		if p := im.resolve(r.Practitioner, n.key); p != nil {
			if pr, ok := p.r.(*fhir.Practitioner); ok {
				c = im.practitioner(p, pr)
			}
		}
		if o := im.resolve(r.Organization, n.key); o != nil {
			if org, ok := o.r.(*fhir.Organization); ok {
				if ods := odsOf(org); ods != "" {
					c.OrganisationODS = ods
				}
			}
		}
		return c
	case *fhir.Organization:
		return record.Clinician{OrganisationODS: odsOf(r), Name: r.Name}
	case *fhir.HealthcareService:
		c := record.Clinician{Name: r.Name}
		if o := im.resolve(r.ProvidedBy, n.key); o != nil {
			if org, ok := o.r.(*fhir.Organization); ok {
				c.OrganisationODS = odsOf(org)
			}
		}
		return c
	}
	return record.Clinician{Name: ref.Display}
}

// practitioner maps a Practitioner of the Bundle.
func (im *importer) practitioner(n *node, p *fhir.Practitioner) record.Clinician {
	c := record.Clinician{PractitionerID: "Practitioner/" + p.ID, Name: humanName(p.Name)}
	for _, id := range p.Identifier {
		if id.System == systemSDSUser && id.Value != "" {
			c.PractitionerID = id.Value
			break
		}
	}
	c.OrganisationODS = im.practitionerOrg(n.key)
	return c
}

// practitionerOrg returns the ODS code of the Organization of the
// Practitioner's PractitionerRole (the first that has one), or "".
func (im *importer) practitionerOrg(key string) pcnhub.ODSCode {
	if im.roleODS == nil {
		im.roleODS = map[string]pcnhub.ODSCode{}
		for _, n := range im.nodes {
			pr, ok := n.r.(*fhir.PractitionerRole)
			if !ok {
				continue
			}
			p, _ := im.refKey(pr.Practitioner, n.key)
			if p == "" || im.roleODS[p] != "" {
				continue
			}
			if o := im.resolve(pr.Organization, n.key); o != nil {
				if org, ok := o.r.(*fhir.Organization); ok {
					im.roleODS[p] = odsOf(org)
				}
			}
		}
	}
	return im.roleODS[key]
}

// humanName formats the official (else first) name: its text, else prefix,
// given names and family name.
func humanName(names []fhir.HumanName) string {
	if len(names) == 0 {
		return ""
	}
	n := &names[0]
	for i := range names {
		if names[i].Use == "official" {
			n = &names[i]
			break
		}
	}
	if t := strings.TrimSpace(n.Text); t != "" {
		return t
	}
	var parts []string
	parts = append(parts, n.Prefix...)
	parts = append(parts, n.Given...)
	parts = append(parts, n.Family)
	parts = append(parts, n.Suffix...)
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}
