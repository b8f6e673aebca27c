package structured

import (
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/record"
)

// Parts that many resources of one Bundle hold alike (meta, the Patient
// reference, fixed codings) are made once per Bundle and shared, which
// halves the allocations of a large answer. The Bundle Build returns is
// therefore to be treated as read-only: change one resource's meta and
// every resource of that profile changes.

// metas are the meta elements of each profile.
type metas struct {
	allergy, medication, statement, request, condition, encounter, list, observation,
	immunization, report, specimen, procedure, referral, document, practitioner,
	organization, location *fhir.Meta
}

func newMetas() metas {
	return metas{
		allergy:      meta(fhir.ProfileAllergyIntolerance),
		medication:   meta(fhir.ProfileMedication),
		statement:    meta(fhir.ProfileMedicationStatement),
		request:      meta(fhir.ProfileMedicationRequest),
		condition:    meta(ProfileCondition),
		encounter:    meta(ProfileEncounter),
		list:         meta(fhir.ProfileList),
		observation:  meta(ProfileObservation),
		immunization: meta(ProfileImmunization),
		report:       meta(ProfileDiagnosticReport),
		specimen:     meta(ProfileSpecimen),
		procedure:    meta(ProfileProcedureRequest),
		referral:     meta(ProfileReferralRequest),
		document:     meta(ProfileDocumentReference),
		practitioner: meta(fhir.ProfilePractitioner),
		organization: meta(fhir.ProfileOrganization),
		location:     meta(fhir.ProfileLocation),
	}
}

// fixedCodes are the fixed codings the resources use.
type fixedCodes struct {
	clinicalSetting, orderedBy, emptyReason                  *fhir.CodeableConcept
	consultationList, topicList, categoryList                *fhir.CodeableConcept
	problemCategory, laboratory, commentNote, unknownVaccine *fhir.CodeableConcept
	administering                                            *fhir.CodeableConcept
	performerTypes, recorderTypes                            []fhir.CodeableConcept
	agencyPractice, agencyElsewhere                          []fhir.Extension
	prescriptionTypes                                        map[record.PrescriptionType][]fhir.Extension
	listProblemCategory                                      []fhir.CodeableConcept
	laboratoryCategory                                       []fhir.CodeableConcept
}

func newFixedCodes() fixedCodes {
	f := fixedCodes{
		clinicalSetting:  coding(record.SNOMED, "1060971000000108", "General practice service"),
		orderedBy:        coding(CodeSystemListOrder, "system", "Sorted by System"),
		emptyReason:      coding(CodeSystemListEmptyReason, "no-content-recorded", "No Content Recorded"),
		consultationList: coding(record.SNOMED, "325851000000107", "Consultation"),
		topicList:        coding(record.SNOMED, "25851000000105", "Topic (EHR)"),
		categoryList:     coding(record.SNOMED, "24781000000107", "Category (EHR)"),
		problemCategory:  coding(CodeSystemConditionCat, "problem-list-item", "Problem List Item"),
		laboratory:       coding(CodeSystemObservationCat, "laboratory", "Laboratory"),
		commentNote:      coding(record.SNOMED, "37331000000100", "Comment note"),
		unknownVaccine:   coding(CodeSystemNullFlavor, "UNK", "unknown"),
		administering:    coding(CodeSystemPractitionerRole, "AP", "Administering Provider"),
		performerTypes:   []fhir.CodeableConcept{*coding(CodeSystemParticipation, "PPRF", "primary performer")},
		recorderTypes:    []fhir.CodeableConcept{*coding(CodeSystemGPCParticipant, "REC", "recorder")},
		agencyPractice: []fhir.Extension{{URL: ExtPrescribingAgency,
			ValueCodeableConcept: coding(CodeSystemPrescribingAgency, "prescribed-at-gp-practice", "Prescribed at GP practice")}},
		agencyElsewhere: []fhir.Extension{{URL: ExtPrescribingAgency,
			ValueCodeableConcept: coding(CodeSystemPrescribingAgency, "prescribed-by-another-organisation", "Prescribed by another organisation")}},
		prescriptionTypes: map[record.PrescriptionType][]fhir.Extension{},
	}
	f.listProblemCategory = []fhir.CodeableConcept{*f.problemCategory}
	f.laboratoryCategory = []fhir.CodeableConcept{*f.laboratory}
	for _, t := range []record.PrescriptionType{record.PrescriptionAcute, record.PrescriptionRepeat, record.PrescriptionRepeatDispensing} {
		f.prescriptionTypes[t] = []fhir.Extension{*prescriptionType(t)}
	}
	return f
}

// refTo returns a Reference to ref, shared by every resource that names
// it; nil for "".
func (b *builder) refTo(ref string) *fhir.Reference {
	if ref == "" {
		return nil
	}
	if r, ok := b.sharedRefs[ref]; ok {
		return r
	}
	r := &fhir.Reference{Reference: ref}
	b.sharedRefs[ref] = r
	return r
}

// Values that recur across a record (dates, codes, quantities) are
// converted once per Bundle.
type caches struct {
	dates      map[int64]fhir.DateTime
	codes      map[record.Code]*fhir.CodeableConcept
	quantities map[record.Quantity]*fhir.Quantity
	dispensed  map[record.Quantity]*fhir.Quantity
	supplies   map[int]*fhir.Duration
	requesters map[record.Clinician]*fhir.MedicationRequestRequester
	instants   map[int64]fhir.Instant
	refSlab    []fhir.Reference
}

func newCaches() caches {
	return caches{
		dates:      map[int64]fhir.DateTime{},
		codes:      map[record.Code]*fhir.CodeableConcept{},
		quantities: map[record.Quantity]*fhir.Quantity{},
		dispensed:  map[record.Quantity]*fhir.Quantity{},
		supplies:   map[int]*fhir.Duration{},
		requesters: map[record.Clinician]*fhir.MedicationRequestRequester{},
		instants:   map[int64]fhir.Instant{},
	}
}

// date is dateTime, cached for dates known to the day or less.
func (b *builder) date(p record.PartialDate) fhir.DateTime {
	if p.Precision == record.DateUnknown || p.Precision == record.DateTime {
		return dateTime(p)
	}
	key := int64(p.Precision)<<40 | int64(p.Year)<<16 | int64(p.Month)<<8 | int64(p.Day)
	if d, ok := b.c.dates[key]; ok {
		return d
	}
	d := dateTime(p)
	b.c.dates[key] = d
	return d
}

// instantOf is instant, cached for dates known to the day.
func (b *builder) instantOf(p record.PartialDate) fhir.Instant {
	if p.Precision != record.DateDay {
		return instant(p)
	}
	key := int64(p.Year)<<16 | int64(p.Month)<<8 | int64(p.Day)
	if v, ok := b.c.instants[key]; ok {
		return v
	}
	v := instant(p)
	b.c.instants[key] = v
	return v
}

// code is concept, shared by every resource naming the same code.
func (b *builder) code(c record.Code) *fhir.CodeableConcept {
	if c.IsZero() {
		return nil
	}
	if cc, ok := b.c.codes[c]; ok {
		return cc
	}
	cc := concept(c)
	b.c.codes[c] = cc
	return cc
}

// codeOr is code, or a concept of text alone when no code was recorded
// (for required elements).
func (b *builder) codeOr(c record.Code, text string) *fhir.CodeableConcept {
	if cc := b.code(c); cc != nil {
		return cc
	}
	return &fhir.CodeableConcept{Text: text}
}

// codes is concepts, of shared concepts.
func (b *builder) codes(cs ...record.Code) []fhir.CodeableConcept {
	var out []fhir.CodeableConcept
	for _, c := range cs {
		if cc := b.code(c); cc != nil {
			out = append(out, *cc)
		}
	}
	return out
}

// qty is quantity, shared.
func (b *builder) qty(q record.Quantity) *fhir.Quantity {
	if q.IsZero() {
		return nil
	}
	if fq, ok := b.c.quantities[q]; ok {
		return fq
	}
	fq := quantity(q)
	b.c.quantities[q] = fq
	return fq
}

// period is period, with cached dates.
func (b *builder) period(start, end record.PartialDate) *fhir.Period {
	p := fhir.Period{Start: b.date(start), End: b.date(end)}
	if p.Start.IsZero() && p.End.IsZero() {
		return nil
	}
	return &p
}

// newRef returns a Reference cut from a slab (one allocation per 256).
func (b *builder) newRef(ref string) *fhir.Reference {
	if len(b.c.refSlab) == 0 {
		b.c.refSlab = make([]fhir.Reference, 256)
	}
	r := &b.c.refSlab[0]
	b.c.refSlab = b.c.refSlab[1:]
	r.Reference = ref
	return r
}
