package gpconnect

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/structured"
)

// This file validates the Parameters bodies of Access Record Structured
// 1.6: $gpc.getstructuredrecord (§3.1, §3.4) and
// $gpc.migratestructuredrecord (§3.3). The functions are pure: no store,
// no HTTP. Their errors are the Spine errors the provider answers with.

// Parameter and part names of $gpc.getstructuredrecord (§3.1) and
// $gpc.migratestructuredrecord (§3.3).
const (
	paramPatientNHSNumber = "patientNHSNumber"

	paramAllergies                = "includeAllergies"
	partIncludeResolvedAllergies  = "includeResolvedAllergies"
	paramMedication               = "includeMedication"
	partIncludePrescriptionIssues = "includePrescriptionIssues"
	partMedicationSearchFromDate  = "medicationSearchFromDate"
	paramConsultations            = "includeConsultations"
	partConsultationSearchPeriod  = "consultationSearchPeriod"
	partIncludeNumberOfMostRecent = "includeNumberOfMostRecent"
	paramProblems                 = "includeProblems"
	partFilterStatus              = "filterStatus"
	partFilterSignificance        = "filterSignificance"
	paramImmunisations            = "includeImmunisations"
	partIncludeNotGiven           = "includeNotGiven"
	partIncludeStatus             = "includeStatus"
	paramUncategorised            = "includeUncategorisedData"
	partUncategorisedSearchPeriod = "uncategorisedDataSearchPeriod"
	paramInvestigations           = "includeInvestigations"
	partInvestigationSearchPeriod = "investigationSearchPeriod"
	paramReferrals                = "includeReferrals"
	partReferralSearchPeriod      = "referralSearchPeriod"
	paramDiaryEntries             = "includeDiaryEntries"
	partDiaryEntriesSearchDate    = "diaryEntriesSearchDate"

	paramIncludeFullRecord          = "includeFullRecord"
	partIncludeSensitiveInformation = "includeSensitiveInformation"
)

// The validated requests are defined in package structured, which builds
// the answers; these names keep the parser's vocabulary.
type (
	StructuredQuery    = structured.Query
	AllergiesQuery     = structured.AllergiesQuery
	MedicationQuery    = structured.MedicationQuery
	ConsultationsQuery = structured.ConsultationsQuery
	ProblemsQuery      = structured.ProblemsQuery
	ImmunisationsQuery = structured.ImmunisationsQuery
	PeriodQuery        = structured.PeriodQuery
	DiaryQuery         = structured.DiaryQuery
	DatePeriod         = structured.DatePeriod
	StructuredWarning  = structured.Warning
	MigrateQuery       = structured.MigrateQuery
)

func unrecognised(name string) StructuredWarning {
	return StructuredWarning{Text: name + " is an unrecognised parameter", Diagnostics: name}
}

// value kinds a part takes, named as the value[x] element on the wire.
const (
	vBoolean     = "valueBoolean"
	vDate        = "valueDate"
	vPeriod      = "valuePeriod"
	vPositiveInt = "valuePositiveInt"
	vCode        = "valueCode"
	vIdentifier  = "valueIdentifier"
)

// structuredAreas maps each clinical area parameter to its parts and
// their value kinds (§3.1).
var structuredAreas = map[string]map[string]string{
	paramAllergies:      {partIncludeResolvedAllergies: vBoolean},
	paramMedication:     {partIncludePrescriptionIssues: vBoolean, partMedicationSearchFromDate: vDate},
	paramConsultations:  {partConsultationSearchPeriod: vPeriod, partIncludeNumberOfMostRecent: vPositiveInt},
	paramProblems:       {partFilterStatus: vCode, partFilterSignificance: vCode},
	paramImmunisations:  {partIncludeNotGiven: vBoolean, partIncludeStatus: vBoolean},
	paramUncategorised:  {partUncategorisedSearchPeriod: vPeriod},
	paramInvestigations: {partInvestigationSearchPeriod: vPeriod},
	paramReferrals:      {partReferralSearchPeriod: vPeriod},
	paramDiaryEntries:   {partDiaryEntriesSearchDate: vDate},
}

// notWithConsultations are the parts that may not be sent with
// includeConsultations; with includeProblems, all but filterStatus (§3.1).
var notWithConsultations = []struct{ param, part string }{
	{paramMedication, partMedicationSearchFromDate},
	{paramUncategorised, partUncategorisedSearchPeriod},
	{paramProblems, partFilterStatus},
	{paramReferrals, partReferralSearchPeriod},
	{paramDiaryEntries, partDiaryEntriesSearchDate},
	{paramImmunisations, partIncludeNotGiven},
	{paramImmunisations, partIncludeStatus},
}

func invalidParameter(format string, args ...any) error {
	return spineError(SpineInvalidParameter, format, args...)
}

// ParseStructuredQuery validates a $gpc.getstructuredrecord body (§3.1)
// against today, the Europe/London date. Unrecognised parameters and
// parts are not errors but warnings (§3.4), one per distinct name: the
// unrecognised parameters in body order, then the unrecognised parts. Errors are Spine errors: 422 INVALID_RESOURCE,
// 422 INVALID_PARAMETER or 400 INVALID_NHS_NUMBER, their diagnostics
// naming the parameter.
func ParseStructuredQuery(p *fhir.Parameters, today pcnhub.Date) (*StructuredQuery, []StructuredWarning, error) {
	if p == nil {
		return nil, nil, invalidResource("the body is not a Parameters resource")
	}
	var warnings []StructuredWarning
	warned := map[string]bool{}
	warn := func(name string) {
		if !warned[name] {
			warned[name] = true
			warnings = append(warnings, unrecognised(name))
		}
	}

	known := map[string]*fhir.ParametersParameter{}
	for i := range p.Parameter {
		pp := &p.Parameter[i]
		if pp.Name == "" {
			return nil, nil, invalidResource("Parameters.parameter[%d] has no name", i)
		}
		if pp.Name != paramPatientNHSNumber && structuredAreas[pp.Name] == nil {
			warn(pp.Name)
			continue
		}
		if known[pp.Name] != nil {
			return nil, nil, invalidParameter("%s may be given only once", pp.Name)
		}
		known[pp.Name] = pp
	}
	if len(known) == 0 {
		return nil, nil, invalidParameter("the request has no recognised parameters (it needs at least %s)", paramPatientNHSNumber)
	}
	nhs, err := nhsNumberParam(known[paramPatientNHSNumber])
	if err != nil {
		return nil, nil, err
	}
	q := &StructuredQuery{NHSNumber: nhs}

	// parts[param][part] holds the recognised parts sent, once each.
	parts := map[string]map[string]*fhir.ParametersParameter{}
	for i := range p.Parameter {
		pp := &p.Parameter[i]
		if known[pp.Name] != pp || pp.Name == paramPatientNHSNumber {
			continue
		}
		got, unknown, err := areaParts(pp, structuredAreas[pp.Name])
		if err != nil {
			return nil, nil, err
		}
		for _, u := range unknown {
			warn(pp.Name + "." + u)
		}
		parts[pp.Name] = got
	}

	if got, ok := parts[paramAllergies]; ok {
		pt := got[partIncludeResolvedAllergies]
		if pt == nil {
			return nil, nil, invalidParameter("%s.%s is required", paramAllergies, partIncludeResolvedAllergies)
		}
		q.Allergies = &AllergiesQuery{IncludeResolved: *pt.ValueBoolean}
	}
	if got, ok := parts[paramMedication]; ok {
		m := &MedicationQuery{IncludePrescriptionIssues: true}
		if pt := got[partIncludePrescriptionIssues]; pt != nil {
			m.IncludePrescriptionIssues = *pt.ValueBoolean
		}
		if pt := got[partMedicationSearchFromDate]; pt != nil {
			name := paramMedication + "." + partMedicationSearchFromDate
			d, err := wholeDate(name, pt.ValueDate)
			if err != nil {
				return nil, nil, err
			}
			if today.Before(d) {
				return nil, nil, invalidParameter("%s (%s) must not be in the future", name, d)
			}
			m.SearchFrom = d
		}
		q.Medication = m
	}
	if got, ok := parts[paramConsultations]; ok {
		c := &ConsultationsQuery{}
		period, recent := got[partConsultationSearchPeriod], got[partIncludeNumberOfMostRecent]
		if period != nil && recent != nil {
			return nil, nil, invalidResource("%s.%s and %s.%s may not both be given", paramConsultations,
				partConsultationSearchPeriod, paramConsultations, partIncludeNumberOfMostRecent)
		}
		if period != nil {
			if c.SearchPeriod, err = searchPeriod(paramConsultations+"."+partConsultationSearchPeriod, period.ValuePeriod, today); err != nil {
				return nil, nil, err
			}
		}
		if recent != nil {
			n := *recent.ValuePositiveInt
			if n < 1 {
				return nil, nil, invalidParameter("%s.%s must be a positive integer, not %d", paramConsultations, partIncludeNumberOfMostRecent, n)
			}
			c.MostRecent = n
		}
		q.Consultations = c
	}
	if got, ok := parts[paramProblems]; ok {
		pq := &ProblemsQuery{}
		if pt := got[partFilterStatus]; pt != nil {
			if v := pt.ValueCode; v != "active" && v != "inactive" {
				return nil, nil, invalidParameter("%s.%s must be active or inactive, not %q", paramProblems, partFilterStatus, clipParam(v))
			}
			pq.Status = pt.ValueCode
		}
		if pt := got[partFilterSignificance]; pt != nil {
			if v := pt.ValueCode; v != "major" && v != "minor" {
				return nil, nil, invalidParameter("%s.%s must be major or minor, not %q", paramProblems, partFilterSignificance, clipParam(v))
			}
			pq.Significance = pt.ValueCode
		}
		q.Problems = pq
	}
	if got, ok := parts[paramImmunisations]; ok {
		im := &ImmunisationsQuery{IncludeStatus: true}
		if pt := got[partIncludeNotGiven]; pt != nil {
			im.IncludeNotGiven = *pt.ValueBoolean
		}
		if pt := got[partIncludeStatus]; pt != nil {
			im.IncludeStatus = *pt.ValueBoolean
		}
		q.Immunisations = im
	}
	for _, a := range []struct {
		param, part string
		dst         **PeriodQuery
	}{
		{paramUncategorised, partUncategorisedSearchPeriod, &q.Uncategorised},
		{paramInvestigations, partInvestigationSearchPeriod, &q.Investigations},
		{paramReferrals, partReferralSearchPeriod, &q.Referrals},
	} {
		got, ok := parts[a.param]
		if !ok {
			continue
		}
		pq := &PeriodQuery{}
		if pt := got[a.part]; pt != nil {
			if pq.Period, err = searchPeriod(a.param+"."+a.part, pt.ValuePeriod, today); err != nil {
				return nil, nil, err
			}
		}
		*a.dst = pq
	}
	if got, ok := parts[paramDiaryEntries]; ok {
		dq := &DiaryQuery{}
		if pt := got[partDiaryEntriesSearchDate]; pt != nil {
			name := paramDiaryEntries + "." + partDiaryEntriesSearchDate
			d, err := wholeDate(name, pt.ValueDate)
			if err != nil {
				return nil, nil, err
			}
			if d.Before(today) {
				return nil, nil, invalidParameter("%s (%s) must not be in the past", name, d)
			}
			dq.SearchDate = d
		}
		q.DiaryEntries = dq
	}

	// Combinations the specification forbids (§3.1).
	for _, f := range notWithConsultations {
		if parts[f.param][f.part] == nil {
			continue
		}
		if q.Consultations != nil {
			return nil, nil, invalidParameter("%s.%s may not be combined with %s", f.param, f.part, paramConsultations)
		}
		if q.Problems != nil && f.part != partFilterStatus {
			return nil, nil, invalidParameter("%s.%s may not be combined with %s", f.param, f.part, paramProblems)
		}
	}
	return q, warnings, nil
}

// ParseMigrateQuery validates a $gpc.migratestructuredrecord body (§3.3)
// against the requested_scope claim of the token ("patient/*.read
// conf/R"; a bare "conf/N" or "conf/R" works too; conf/N when none).
// Unlike ParseStructuredQuery it is strict: an unrecognised parameter or
// part is 422 INVALID_PARAMETER. Sensitive information (the default)
// under conf/N is 400 CONFLICTING_VALUES.
func ParseMigrateQuery(p *fhir.Parameters, scope string) (*MigrateQuery, error) {
	if p == nil {
		return nil, invalidResource("the body is not a Parameters resource")
	}
	known := map[string]*fhir.ParametersParameter{}
	for i := range p.Parameter {
		pp := &p.Parameter[i]
		switch pp.Name {
		case "":
			return nil, invalidResource("Parameters.parameter[%d] has no name", i)
		case paramPatientNHSNumber, paramIncludeFullRecord:
		default:
			return nil, invalidParameter("%s is an unrecognised parameter", clipParam(pp.Name))
		}
		if known[pp.Name] != nil {
			return nil, invalidParameter("%s may be given only once", pp.Name)
		}
		known[pp.Name] = pp
	}
	if len(known) == 0 {
		return nil, invalidParameter("the request has no recognised parameters (it needs %s and %s)", paramPatientNHSNumber, paramIncludeFullRecord)
	}
	nhs, err := nhsNumberParam(known[paramPatientNHSNumber])
	if err != nil {
		return nil, err
	}
	full := known[paramIncludeFullRecord]
	if full == nil {
		return nil, invalidParameter("%s is required", paramIncludeFullRecord)
	}
	allowed := map[string]string{partIncludeSensitiveInformation: vBoolean}
	got, unknown, err := areaParts(full, allowed)
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		return nil, invalidParameter("%s.%s is an unrecognised parameter", paramIncludeFullRecord, clipParam(unknown[0]))
	}
	mq := &MigrateQuery{NHSNumber: nhs, IncludeSensitiveInformation: true}
	if pt := got[partIncludeSensitiveInformation]; pt != nil {
		mq.IncludeSensitiveInformation = *pt.ValueBoolean
	}
	conf := "conf/N"
	for _, f := range strings.Fields(scope) {
		if f == "conf/N" || f == "conf/R" {
			conf = f
		}
	}
	if mq.IncludeSensitiveInformation && conf != "conf/R" {
		return nil, spineError(SpineConflictingValues, "%s.%s is true (or absent, default true) but the requested_scope is %s: sensitive information needs conf/R",
			paramIncludeFullRecord, partIncludeSensitiveInformation, conf)
	}
	return mq, nil
}

// nhsNumberParam reads patientNHSNumber: 422 INVALID_PARAMETER when it is
// missing or not an NHS number identifier, 400 INVALID_NHS_NUMBER when
// the number is not a valid NHS number (10 digits, Modulus 11).
func nhsNumberParam(pp *fhir.ParametersParameter) (pcnhub.NHSNumber, error) {
	if pp == nil {
		return "", invalidParameter("%s is required", paramPatientNHSNumber)
	}
	if err := noExtras(paramPatientNHSNumber, pp); err != nil {
		return "", err
	}
	if len(pp.Part) > 0 {
		return "", invalidParameter("%s takes a valueIdentifier, not parts", paramPatientNHSNumber)
	}
	if err := valueKind(paramPatientNHSNumber, pp, vIdentifier); err != nil {
		return "", err
	}
	id := pp.ValueIdentifier
	if id.System != fhir.SystemNHSNumber {
		return "", invalidParameter("%s must have the system %s, not %q", paramPatientNHSNumber, fhir.SystemNHSNumber, clipParam(id.System))
	}
	if id.Value == "" {
		return "", invalidParameter("%s has no value", paramPatientNHSNumber)
	}
	n, err := pcnhub.ParseNHSNumber(id.Value)
	if err == nil && string(n) != id.Value {
		err = pcnhub.Errorf(pcnhub.EINVALID, "NHS number must be 10 digits without spaces or hyphens")
	}
	if err != nil {
		return "", spineError(SpineInvalidNHSNumber, "%s: %s", paramPatientNHSNumber, pcnhub.ErrorMessage(err))
	}
	return n, nil
}

// noExtras refuses what no parameter of these operations takes.
func noExtras(name string, pp *fhir.ParametersParameter) error {
	if len(pp.ModifierExtension) > 0 {
		return invalidParameter("%s carries a modifierExtension, which is not understood", name)
	}
	return nil
}

// areaParts checks a clinical area parameter: no value, no resource,
// each recognised part at most once with a value of its kind and no
// parts of its own. It returns the recognised parts by name and the
// names of the others.
func areaParts(pp *fhir.ParametersParameter, allowed map[string]string) (map[string]*fhir.ParametersParameter, []string, error) {
	if err := noExtras(pp.Name, pp); err != nil {
		return nil, nil, err
	}
	if set := valuesSet(pp); len(set) > 0 {
		return nil, nil, invalidParameter("%s takes parts only, not a %s", pp.Name, set[0])
	}
	got := map[string]*fhir.ParametersParameter{}
	var unknown []string
	for i := range pp.Part {
		pt := &pp.Part[i]
		if pt.Name == "" {
			return nil, nil, invalidResource("a part of %s has no name", pp.Name)
		}
		kind, ok := allowed[pt.Name]
		if !ok {
			unknown = append(unknown, pt.Name)
			continue
		}
		name := pp.Name + "." + pt.Name
		if got[pt.Name] != nil {
			return nil, nil, invalidParameter("%s may be given only once", name)
		}
		if err := noExtras(name, pt); err != nil {
			return nil, nil, err
		}
		if len(pt.Part) > 0 {
			return nil, nil, invalidParameter("%s takes a %s, not parts", name, kind)
		}
		if err := valueKind(name, pt, kind); err != nil {
			return nil, nil, err
		}
		got[pt.Name] = pt
	}
	return got, unknown, nil
}

// valueKind checks that the parameter holds exactly a value of kind.
func valueKind(name string, pp *fhir.ParametersParameter, kind string) error {
	set := valuesSet(pp)
	switch {
	case len(set) == 0:
		return invalidParameter("%s has no value (it takes a %s)", name, kind)
	case set[0] != kind:
		return invalidParameter("%s must be a %s, not a %s", name, kind, set[0])
	}
	return nil
}

// valuesSet lists the value[x] (and resource) elements a parameter holds.
// The decoder allows at most one value[x], but a resource may come too.
func valuesSet(pp *fhir.ParametersParameter) []string {
	var set []string
	add := func(ok bool, name string) {
		if ok {
			set = append(set, name)
		}
	}
	add(pp.ValueBoolean != nil, vBoolean)
	add(pp.ValueInteger != nil, "valueInteger")
	add(!pp.ValueDecimal.IsZero(), "valueDecimal")
	add(pp.ValueBase64Binary != "", "valueBase64Binary")
	add(!pp.ValueInstant.IsZero(), "valueInstant")
	add(pp.ValueString != "", "valueString")
	add(pp.ValueURI != "", "valueUri")
	add(!pp.ValueDate.IsZero(), vDate)
	add(!pp.ValueDateTime.IsZero(), "valueDateTime")
	add(pp.ValueTime != "", "valueTime")
	add(pp.ValueCode != "", vCode)
	add(pp.ValueOID != "", "valueOid")
	add(pp.ValueID != "", "valueId")
	add(pp.ValueUnsignedInt != nil, "valueUnsignedInt")
	add(pp.ValuePositiveInt != nil, vPositiveInt)
	add(pp.ValueMarkdown != "", "valueMarkdown")
	add(pp.ValueAnnotation != nil, "valueAnnotation")
	add(pp.ValueAttachment != nil, "valueAttachment")
	add(pp.ValueIdentifier != nil, vIdentifier)
	add(pp.ValueCodeableConcept != nil, "valueCodeableConcept")
	add(pp.ValueCoding != nil, "valueCoding")
	add(pp.ValueQuantity != nil, "valueQuantity")
	add(pp.ValueRange != nil, "valueRange")
	add(pp.ValuePeriod != nil, vPeriod)
	add(pp.ValueRatio != nil, "valueRatio")
	add(pp.ValueSignature != nil, "valueSignature")
	add(pp.ValueHumanName != nil, "valueHumanName")
	add(pp.ValueAddress != nil, "valueAddress")
	add(pp.ValueContactPoint != nil, "valueContactPoint")
	add(pp.ValueReference != nil, "valueReference")
	add(pp.ValueMeta != nil, "valueMeta")
	add(pp.ValueContactDetail != nil, "valueContactDetail")
	add(pp.ValueUsageContext != nil, "valueUsageContext")
	add(pp.Resource != nil, "resource")
	return set
}

// wholeDate checks a valueDate is a whole date (yyyy-mm-dd).
func wholeDate(name string, d fhir.Date) (pcnhub.Date, error) {
	if d.Precision() != fhir.PrecisionDay {
		return pcnhub.Date{}, invalidParameter("%s must be a whole date yyyy-mm-dd, not %q", name, clipParam(d.String()))
	}
	out, err := pcnhub.ParseDate(d.String())
	if err != nil {
		return pcnhub.Date{}, invalidParameter("%s: %s", name, pcnhub.ErrorMessage(err))
	}
	return out, nil
}

// wholeDateTime checks a Period end is a whole date with no time or offset.
func wholeDateTime(name string, d fhir.DateTime) (pcnhub.Date, error) {
	if d.HasOffset() {
		return pcnhub.Date{}, invalidParameter("%s must be a whole date yyyy-mm-dd without a time, not %q", name, clipParam(d.String()))
	}
	if d.Precision() != fhir.PrecisionDay {
		return pcnhub.Date{}, invalidParameter("%s must be a whole date yyyy-mm-dd, not %q", name, clipParam(d.String()))
	}
	out, err := pcnhub.ParseDate(d.String())
	if err != nil {
		return pcnhub.Date{}, invalidParameter("%s: %s", name, pcnhub.ErrorMessage(err))
	}
	return out, nil
}

// searchPeriod checks a search period: whole dates, neither after today,
// start not after end. Either end may be absent, not both.
func searchPeriod(name string, p *fhir.Period, today pcnhub.Date) (DatePeriod, error) {
	var out DatePeriod
	if p.Start.IsZero() && p.End.IsZero() {
		return out, invalidParameter("%s has neither a start nor an end", name)
	}
	var err error
	if !p.Start.IsZero() {
		if out.Start, err = wholeDateTime(name+".start", p.Start); err != nil {
			return out, err
		}
		if today.Before(out.Start) {
			return out, invalidParameter("%s.start (%s) must not be in the future", name, out.Start)
		}
	}
	if !p.End.IsZero() {
		if out.End, err = wholeDateTime(name+".end", p.End); err != nil {
			return out, err
		}
		if today.Before(out.End) {
			return out, invalidParameter("%s.end (%s) must not be in the future", name, out.End)
		}
	}
	if !out.Start.IsZero() && !out.End.IsZero() && out.End.Before(out.Start) {
		return out, invalidParameter("%s.start (%s) is after its end (%s)", name, out.Start, out.End)
	}
	return out, nil
}

// DecodeStructuredParameters decodes the body of $gpc.getstructuredrecord
// or $gpc.migratestructuredrecord. A body that is not a valid Parameters
// resource is 422 INVALID_RESOURCE, except that a parameter whose date
// the FHIR decoder refuses (a valueDate with a time, a Period end that is
// not a dateTime, a date that does not exist) or whose valueBoolean,
// valueCode or valuePositiveInt is malformed (0, "yes", a JSON string for
// a boolean) is 422 INVALID_PARAMETER naming the parameter: §3.1 asks
// that for timed dates, and §1.8 for bad operation parameter values.
func DecodeStructuredParameters(format fhir.Format, body []byte) (*fhir.Parameters, error) {
	var p fhir.Parameters
	err := fhir.UnmarshalInto(format, body, &p)
	if err == nil {
		return &p, nil
	}
	var de *fhir.DecodeError
	if errors.As(err, &de) {
		if m := dateValuePath.FindStringSubmatch(de.Path); m != nil {
			name := parameterNameAt(format, body, m[1], m[2])
			if name == "" {
				name = de.Path
			} else if m[4] != "" {
				name += "." + m[4]
			}
			return nil, invalidParameter("%s has an invalid %s: %s", name, m[3], de.Msg)
		}
		return nil, invalidResource("the body is not a valid Parameters resource: %s", de.Error())
	}
	return nil, invalidResource("the body is not a valid Parameters resource")
}

// dateValuePath matches decoder paths of the values of the kinds the
// operations take, inside parameters and parts.
var dateValuePath = regexp.MustCompile(`^Parameters\.parameter\[(\d+)\](?:\.part\[(\d+)\])?\.(valueDate|valueBoolean|valueCode|valuePositiveInt|valuePeriod\.(start|end))$`)

// parameterNameAt finds the name of parameter[i] (or parameter[i].part[j],
// as "param.part") by a lenient second reading of a body the FHIR decoder
// refused. It returns "" when it cannot.
func parameterNameAt(format fhir.Format, body []byte, i, j string) string {
	type named struct {
		Name string
		Part []named
	}
	var params []named
	switch format {
	case fhir.JSON:
		type jNamed struct {
			Name string   `json:"name"`
			Part []jNamed `json:"part"`
		}
		var doc struct {
			Parameter []jNamed `json:"parameter"`
		}
		_ = json.Unmarshal(body, &doc) // partial results are fine
		for _, p := range doc.Parameter {
			n := named{Name: p.Name}
			for _, pt := range p.Part {
				n.Part = append(n.Part, named{Name: pt.Name})
			}
			params = append(params, n)
		}
	case fhir.XML:
		type xName struct {
			Value string `xml:"value,attr"`
		}
		type xNamed struct {
			Name xName    `xml:"name"`
			Part []xNamed `xml:"part"`
		}
		var doc struct {
			Parameter []xNamed `xml:"parameter"`
		}
		_ = xml.Unmarshal(body, &doc)
		for _, p := range doc.Parameter {
			n := named{Name: p.Name.Value}
			for _, pt := range p.Part {
				n.Part = append(n.Part, named{Name: pt.Name.Value})
			}
			params = append(params, n)
		}
	}
	pi, err := strconv.Atoi(i)
	if err != nil || pi >= len(params) || params[pi].Name == "" {
		return ""
	}
	name := clipParam(params[pi].Name)
	if j == "" {
		return name
	}
	pj, err := strconv.Atoi(j)
	if err != nil || pj >= len(params[pi].Part) || params[pi].Part[pj].Name == "" {
		return ""
	}
	return name + "." + clipParam(params[pi].Part[pj].Name)
}
