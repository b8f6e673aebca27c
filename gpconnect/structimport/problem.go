package structimport

import (
	"strings"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

const profileProblemHeader = "CareConnect-GPC-ProblemHeader-Condition-1"

// problemLinks are a problem's links, resolved once every item has its id.
type problemLinks struct {
	n       *node
	idx     int                // index in rec.Problems
	items   []*fhir.Reference  // ActualProblem, then RelatedClinicalContent
	related []relatedReference // RelatedProblemHeader
}

type relatedReference struct {
	relation string
	target   *fhir.Reference
}

// isProblemHeader reports whether a Condition is a GP Connect problem
// header: its profile, or (for senders that leave profiles out) the
// problem-list-item category.
func isProblemHeader(c *fhir.Condition) bool {
	if c.Meta != nil {
		for _, p := range c.Meta.Profile {
			if strings.HasSuffix(p, "/"+profileProblemHeader) {
				return true
			}
		}
	}
	for _, cat := range c.Category {
		for _, x := range cat.Coding {
			if x.Code == "problem-list-item" {
				return true
			}
		}
	}
	return false
}

// problem maps a ProblemHeader Condition: code, clinicalStatus (active, else
// inactive), significance extension, onset, abatement, assertedDate as
// Recorded, asserter as Author, notes. Its LinkedItems are the record items
// its ActualProblem extension (the entry coded as the problem) and its
// RelatedClinicalContent extensions name; a link to an Encounter names the
// consultation, a link to a MedicationRequest the medication; links to
// Lists (consultation topics) and to what is not in the record are dropped.
// Its Related problems come from the RelatedProblemHeader extensions, whose
// type says what the target is to this problem (parent, child, sibling).
func (im *importer) problem(n *node, c *fhir.Condition) {
	if im.aboutOther(n, c.Subject) {
		return
	}
	if !isProblemHeader(c) {
		im.skip(n, "a Condition that is not a problem header (profile "+profileProblemHeader+" or category problem-list-item)")
		return
	}
	if c.VerificationStatus == "entered-in-error" || c.VerificationStatus == "refuted" {
		im.skip(n, "verificationStatus is "+c.VerificationStatus)
		return
	}
	p := record.Problem{
		Item: record.Item{
			ID:           im.ids[n.key],
			Recorded:     im.date(n, "assertedDate", c.AssertedDate.String()),
			Author:       im.clinician(c.Asserter, n),
			Confidential: confidential(c.Meta),
		},
		Code:      code(c.Code),
		Onset:     im.date(n, "onsetDateTime", c.OnsetDateTime.String()),
		Abatement: im.date(n, "abatementDateTime", c.AbatementDateTime.String()),
		Note:      notes(c.Note),
	}
	if p.Onset.IsZero() && c.OnsetPeriod != nil {
		p.Onset = im.date(n, "onsetPeriod", periodStart(c.OnsetPeriod))
	}
	if p.Abatement.IsZero() && c.AbatementPeriod != nil {
		p.Abatement = im.date(n, "abatementPeriod", c.AbatementPeriod.End.String())
	}
	switch c.ClinicalStatus {
	case "active", "recurrence":
		p.Status = record.ProblemActive
	case "inactive", "remission", "resolved":
		p.Status = record.ProblemInactive
	case "":
		p.Status = record.ProblemActive
		if !p.Abatement.IsZero() || (c.AbatementBoolean != nil && *c.AbatementBoolean) {
			p.Status = record.ProblemInactive
		}
	default:
		p.Status = record.ProblemActive
		im.note(n, "clinicalStatus %q read as active", c.ClinicalStatus)
	}
	if e := ext(c.Extension, extSignificance); e != nil {
		switch e.ValueCode {
		case "major":
			p.Significance = record.Major
		case "minor":
			p.Significance = record.Minor
		default:
			im.note(n, "problem significance %q is neither major nor minor; left out", e.ValueCode)
		}
	}
	links := problemLinks{n: n, idx: len(im.rec.Problems)}
	for _, e := range exts(c.Extension, extActualProblem) {
		links.items = append(links.items, e.ValueReference)
	}
	for _, e := range exts(c.Extension, extRelatedContent) {
		links.items = append(links.items, e.ValueReference)
	}
	for _, e := range exts(c.Extension, extRelatedProblem) {
		r := relatedReference{}
		if t := sub(e, "type"); t != nil {
			r.relation = t.ValueCode
		}
		if t := sub(e, "target"); t != nil {
			r.target = t.ValueReference
		}
		links.related = append(links.related, r)
	}
	im.problemIdx[n.key] = len(im.rec.Problems)
	im.rec.Problems = append(im.rec.Problems, p)
	im.problemLinks = append(im.problemLinks, links)
	im.emit(n, p.ID)
}

// resolveProblemLinks fills LinkedItems and Related.
func (im *importer) resolveProblemLinks(l problemLinks) {
	p := &im.rec.Problems[l.idx]
	seen := map[string]bool{}
	for _, ref := range l.items {
		if ref == nil {
			continue
		}
		key, ok := im.refKey(ref, l.n.key)
		if strings.HasPrefix(key, "List/") || (ok && im.byKey[key].typ == "List") {
			continue // a consultation topic: the consultation is linked too
		}
		id := ""
		if ok {
			id = im.itemLink(key)
		}
		switch {
		case id == "":
			im.note(l.n, "link to %s dropped: %s", refName(key, ref), im.why(key, ok))
		case id == p.ID || seen[id]:
		default:
			seen[id] = true
			p.LinkedItems = append(p.LinkedItems, id)
		}
	}
	for _, r := range l.related {
		rel := record.ProblemRelation(r.relation)
		if rel != record.RelationParent && rel != record.RelationChild && rel != record.RelationSibling {
			im.note(l.n, "related problem of type %q dropped: the type must be parent, child or sibling", r.relation)
			continue
		}
		key, ok := im.refKey(r.target, l.n.key)
		idx, isProblem := im.problemIdx[key]
		if !ok || !isProblem {
			im.note(l.n, "related problem %s dropped: %s", refName(key, r.target), im.why(key, ok))
			continue
		}
		link := record.ProblemLink{Relation: rel, ProblemID: im.rec.Problems[idx].ID}
		dup := false
		for _, x := range p.Related {
			dup = dup || x == link
		}
		if !dup {
			p.Related = append(p.Related, link)
		}
	}
}

// refName names a reference for a note.
func refName(key string, ref *fhir.Reference) string {
	if key != "" {
		return key
	}
	if ref != nil && ref.Display != "" {
		return "\"" + ref.Display + "\""
	}
	return "an empty reference"
}

// why says why a link to the resource with the key is not in the record.
func (im *importer) why(key string, inBundle bool) string {
	switch {
	case key == "":
		return "the reference is empty"
	case !inBundle:
		return "not in the Bundle"
	}
	for _, s := range im.rep.Skipped {
		if s.ResourceType+"/"+s.ID == key {
			return "it was skipped (" + s.Reason + ")"
		}
	}
	return "it is not a clinical item of the record"
}
