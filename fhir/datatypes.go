package fhir

// Data types of FHIR STU3, with their elements in STU3 order. Every data type
// carries the Element id (an XML attribute) and extensions.
//
// Struct tags: `fhir:"name,options"`. Options: attr (an XML attribute rather
// than an element); the primitive type of a string (code, id, uri, markdown,
// oid, base64Binary, time, xhtml; string by default) or of an *int
// (unsignedInt, positiveInt; integer by default); choice=x (one of the x[x]
// elements, of which at most one may be present); enum=a|b|c (a required
// binding); req (minimum cardinality 1 in the base specification).

// Extension is a FHIR extension: a url and either a value[x] or nested
// extensions.
type Extension struct {
	ID string `fhir:"id,attr"`
	// URL is declared before Extension (STU3: id, extension, url, value[x])
	// so that JSON shows it first; in XML it is an attribute either way.
	URL       string      `fhir:"url,attr,uri,req"`
	Extension []Extension `fhir:"extension"`

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
}

// Coding is a code defined by a terminology system.
type Coding struct {
	ID           string      `fhir:"id,attr"`
	Extension    []Extension `fhir:"extension"`
	System       string      `fhir:"system,uri"`
	Version      string      `fhir:"version"`
	Code         string      `fhir:"code,code"`
	Display      string      `fhir:"display"`
	UserSelected *bool       `fhir:"userSelected"`
}

// CodeableConcept is a concept given by codings and/or text.
type CodeableConcept struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`
	Coding    []Coding    `fhir:"coding"`
	Text      string      `fhir:"text"`
}

// Identifier is a business identifier. Its extensions carry, for example,
// the NHS number verification status.
type Identifier struct {
	ID        string           `fhir:"id,attr"`
	Extension []Extension      `fhir:"extension"`
	Use       string           `fhir:"use,code,enum=usual|official|temp|secondary"`
	Type      *CodeableConcept `fhir:"type"`
	System    string           `fhir:"system,uri"`
	Value     string           `fhir:"value"`
	Period    *Period          `fhir:"period"`
	Assigner  *Reference       `fhir:"assigner"`
}

// HumanName is a person's name.
type HumanName struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`
	Use       string      `fhir:"use,code,enum=usual|official|temp|nickname|anonymous|old|maiden"`
	Text      string      `fhir:"text"`
	Family    string      `fhir:"family"`
	Given     []string    `fhir:"given"`
	Prefix    []string    `fhir:"prefix"`
	Suffix    []string    `fhir:"suffix"`
	Period    *Period     `fhir:"period"`
}

// ContactPoint is a phone number, e-mail address, etc.
type ContactPoint struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`
	System    string      `fhir:"system,code,enum=phone|fax|email|pager|url|sms|other"`
	Value     string      `fhir:"value"`
	Use       string      `fhir:"use,code,enum=home|work|temp|old|mobile"`
	Rank      *int        `fhir:"rank,positiveInt"`
	Period    *Period     `fhir:"period"`
}

// Address is a postal or physical address.
type Address struct {
	ID         string      `fhir:"id,attr"`
	Extension  []Extension `fhir:"extension"`
	Use        string      `fhir:"use,code,enum=home|work|temp|old"`
	Type       string      `fhir:"type,code,enum=postal|physical|both"`
	Text       string      `fhir:"text"`
	Line       []string    `fhir:"line"`
	City       string      `fhir:"city"`
	District   string      `fhir:"district"`
	State      string      `fhir:"state"`
	PostalCode string      `fhir:"postalCode"`
	Country    string      `fhir:"country"`
	Period     *Period     `fhir:"period"`
}

// Period is a time range; either end may be open.
type Period struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`
	Start     DateTime    `fhir:"start"`
	End       DateTime    `fhir:"end"`
}

// Reference points at another resource, e.g. "Patient/1" or "#1" for a
// contained resource.
type Reference struct {
	ID         string      `fhir:"id,attr"`
	Extension  []Extension `fhir:"extension"`
	Reference  string      `fhir:"reference"`
	Identifier *Identifier `fhir:"identifier"`
	Display    string      `fhir:"display"`
}

// Meta is the metadata of a resource.
type Meta struct {
	ID          string      `fhir:"id,attr"`
	Extension   []Extension `fhir:"extension"`
	VersionID   string      `fhir:"versionId,id"`
	LastUpdated Instant     `fhir:"lastUpdated"`
	Profile     []string    `fhir:"profile,uri"`
	Security    []Coding    `fhir:"security"`
	Tag         []Coding    `fhir:"tag"`
}

// Narrative is the human-readable summary of a resource. Div is the raw
// XHTML of a single <div xmlns="http://www.w3.org/1999/xhtml"> element.
type Narrative struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`
	Status    string      `fhir:"status,code,enum=generated|extensions|additional|empty,req"`
	Div       string      `fhir:"div,xhtml,req"`
}

// Quantity is a measured amount. STU3's Count, Distance, Money and
// SimpleQuantity have the same shape and use this type; Age and Duration
// have types of their own (clinical.go), as the schema tests map each Go
// type to one schema definition.
type Quantity struct {
	ID         string      `fhir:"id,attr"`
	Extension  []Extension `fhir:"extension"`
	Value      Decimal     `fhir:"value"`
	Comparator string      `fhir:"comparator,code,enum=<|<=|>=|>"`
	Unit       string      `fhir:"unit"`
	System     string      `fhir:"system,uri"`
	Code       string      `fhir:"code,code"`
}

// Range is a set of ordered quantities.
type Range struct {
	ID        string      `fhir:"id,attr"`
	Extension []Extension `fhir:"extension"`
	Low       *Quantity   `fhir:"low"`
	High      *Quantity   `fhir:"high"`
}

// Ratio is a ratio of two quantities.
type Ratio struct {
	ID          string      `fhir:"id,attr"`
	Extension   []Extension `fhir:"extension"`
	Numerator   *Quantity   `fhir:"numerator"`
	Denominator *Quantity   `fhir:"denominator"`
}

// Annotation is a text note with its author and time.
type Annotation struct {
	ID              string      `fhir:"id,attr"`
	Extension       []Extension `fhir:"extension"`
	AuthorReference *Reference  `fhir:"authorReference,choice=author"`
	AuthorString    string      `fhir:"authorString,choice=author"`
	Time            DateTime    `fhir:"time"`
	Text            string      `fhir:"text,req"`
}

// Attachment is content in a format defined elsewhere.
type Attachment struct {
	ID          string      `fhir:"id,attr"`
	Extension   []Extension `fhir:"extension"`
	ContentType string      `fhir:"contentType,code"`
	Language    string      `fhir:"language,code"`
	Data        string      `fhir:"data,base64Binary"`
	URL         string      `fhir:"url,uri"`
	Size        *int        `fhir:"size,unsignedInt"`
	Hash        string      `fhir:"hash,base64Binary"`
	Title       string      `fhir:"title"`
	Creation    DateTime    `fhir:"creation"`
}

// Signature is a digital signature (Bundle.signature).
type Signature struct {
	ID                  string      `fhir:"id,attr"`
	Extension           []Extension `fhir:"extension"`
	Type                []Coding    `fhir:"type,req"`
	When                Instant     `fhir:"when,req"`
	WhoURI              string      `fhir:"whoUri,uri,choice=who"`
	WhoReference        *Reference  `fhir:"whoReference,choice=who"`
	OnBehalfOfURI       string      `fhir:"onBehalfOfUri,uri,choice=onBehalfOf"`
	OnBehalfOfReference *Reference  `fhir:"onBehalfOfReference,choice=onBehalfOf"`
	ContentType         string      `fhir:"contentType,code"`
	Blob                string      `fhir:"blob,base64Binary"`
}

// ContactDetail is a name and ways to contact (CapabilityStatement.contact).
type ContactDetail struct {
	ID        string         `fhir:"id,attr"`
	Extension []Extension    `fhir:"extension"`
	Name      string         `fhir:"name"`
	Telecom   []ContactPoint `fhir:"telecom"`
}

// UsageContext describes the context a conformance resource is meant for.
type UsageContext struct {
	ID                   string           `fhir:"id,attr"`
	Extension            []Extension      `fhir:"extension"`
	Code                 *Coding          `fhir:"code,req"`
	ValueCodeableConcept *CodeableConcept `fhir:"valueCodeableConcept,choice=value"`
	ValueQuantity        *Quantity        `fhir:"valueQuantity,choice=value"`
	ValueRange           *Range           `fhir:"valueRange,choice=value"`
}
