package fhir

// Bundle is a STU3 Bundle (a Resource, not a DomainResource: it has no text,
// contained or extensions). GP Connect answers searches with a searchset
// Bundle (GPConnect-Searchset-Bundle-1).
type Bundle struct {
	ID            string `fhir:"id,id"`
	Meta          *Meta  `fhir:"meta"`
	ImplicitRules string `fhir:"implicitRules,uri"`
	Language      string `fhir:"language,code"`

	Identifier *Identifier   `fhir:"identifier"`
	Type       string        `fhir:"type,code,enum=document|message|transaction|transaction-response|batch|batch-response|history|searchset|collection,req"`
	Total      *int          `fhir:"total,unsignedInt"`
	Link       []BundleLink  `fhir:"link"`
	Entry      []BundleEntry `fhir:"entry"`
	Signature  *Signature    `fhir:"signature"`
}

// BundleLink is Bundle.link and Bundle.entry.link.
type BundleLink struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Relation string `fhir:"relation,req"`
	URL      string `fhir:"url,uri,req"`
}

// BundleEntry is Bundle.entry.
type BundleEntry struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Link     []BundleLink         `fhir:"link"`
	FullURL  string               `fhir:"fullUrl,uri"`
	Resource Resource             `fhir:"resource"`
	Search   *BundleEntrySearch   `fhir:"search"`
	Request  *BundleEntryRequest  `fhir:"request"`
	Response *BundleEntryResponse `fhir:"response"`
}

// BundleEntrySearch is Bundle.entry.search.
type BundleEntrySearch struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Mode  string  `fhir:"mode,code,enum=match|include|outcome"`
	Score Decimal `fhir:"score"`
}

// BundleEntryRequest is Bundle.entry.request.
type BundleEntryRequest struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Method          string  `fhir:"method,code,enum=GET|POST|PUT|DELETE,req"`
	URL             string  `fhir:"url,uri,req"`
	IfNoneMatch     string  `fhir:"ifNoneMatch"`
	IfModifiedSince Instant `fhir:"ifModifiedSince"`
	IfMatch         string  `fhir:"ifMatch"`
	IfNoneExist     string  `fhir:"ifNoneExist"`
}

// BundleEntryResponse is Bundle.entry.response.
type BundleEntryResponse struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Status       string   `fhir:"status,req"`
	Location     string   `fhir:"location,uri"`
	Etag         string   `fhir:"etag"`
	LastModified Instant  `fhir:"lastModified"`
	Outcome      Resource `fhir:"outcome"`
}

// Parameters is a STU3 Parameters resource (a Resource, not a
// DomainResource), the body of operations such as $gpc.registerpatient.
type Parameters struct {
	ID            string `fhir:"id,id"`
	Meta          *Meta  `fhir:"meta"`
	ImplicitRules string `fhir:"implicitRules,uri"`
	Language      string `fhir:"language,code"`

	Parameter []ParametersParameter `fhir:"parameter"`
}

// ParametersParameter is Parameters.parameter: a name and a value[x], a
// resource, or parts.
type ParametersParameter struct {
	ID                string      `fhir:"id,attr"`
	Extension         []Extension `fhir:"extension"`
	ModifierExtension []Extension `fhir:"modifierExtension"`

	Name string `fhir:"name,req"`

	ValueBoolean         *bool            `fhir:"valueBoolean,choice=value"`
	ValueInteger         *int             `fhir:"valueInteger,choice=value"`
	ValueDecimal         Decimal          `fhir:"valueDecimal,choice=value"`
	ValueBase64Binary    string           `fhir:"valueBase64Binary,base64Binary,choice=value"`
	ValueInstant         Instant          `fhir:"valueInstant,choice=value"`
	ValueString          string           `fhir:"valueString,choice=value"`
	ValueURI             string           `fhir:"valueUri,uri,choice=value"`
	ValueDate            Date             `fhir:"valueDate,choice=value"`
	ValueDateTime        DateTime         `fhir:"valueDateTime,choice=value"`
	ValueTime            string           `fhir:"valueTime,time,choice=value"`
	ValueCode            string           `fhir:"valueCode,code,choice=value"`
	ValueOID             string           `fhir:"valueOid,oid,choice=value"`
	ValueID              string           `fhir:"valueId,id,choice=value"`
	ValueUnsignedInt     *int             `fhir:"valueUnsignedInt,unsignedInt,choice=value"`
	ValuePositiveInt     *int             `fhir:"valuePositiveInt,positiveInt,choice=value"`
	ValueMarkdown        string           `fhir:"valueMarkdown,markdown,choice=value"`
	ValueAnnotation      *Annotation      `fhir:"valueAnnotation,choice=value"`
	ValueAttachment      *Attachment      `fhir:"valueAttachment,choice=value"`
	ValueIdentifier      *Identifier      `fhir:"valueIdentifier,choice=value"`
	ValueCodeableConcept *CodeableConcept `fhir:"valueCodeableConcept,choice=value"`
	ValueCoding          *Coding          `fhir:"valueCoding,choice=value"`
	ValueQuantity        *Quantity        `fhir:"valueQuantity,choice=value"`
	ValueRange           *Range           `fhir:"valueRange,choice=value"`
	ValuePeriod          *Period          `fhir:"valuePeriod,choice=value"`
	ValueRatio           *Ratio           `fhir:"valueRatio,choice=value"`
	ValueSignature       *Signature       `fhir:"valueSignature,choice=value"`
	ValueHumanName       *HumanName       `fhir:"valueHumanName,choice=value"`
	ValueAddress         *Address         `fhir:"valueAddress,choice=value"`
	ValueContactPoint    *ContactPoint    `fhir:"valueContactPoint,choice=value"`
	ValueReference       *Reference       `fhir:"valueReference,choice=value"`
	ValueMeta            *Meta            `fhir:"valueMeta,choice=value"`
	ValueContactDetail   *ContactDetail   `fhir:"valueContactDetail,choice=value"`
	ValueUsageContext    *UsageContext    `fhir:"valueUsageContext,choice=value"`

	Resource Resource              `fhir:"resource"`
	Part     []ParametersParameter `fhir:"part"`
}
