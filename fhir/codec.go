package fhir

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Content types of the two FHIR STU3 formats, as GP Connect sends them.
const (
	MIMEJSON = "application/fhir+json"
	MIMEXML  = "application/fhir+xml"
)

// Namespaces of FHIR XML and of the narrative XHTML.
const (
	NamespaceFHIR  = "http://hl7.org/fhir"
	NamespaceXHTML = "http://www.w3.org/1999/xhtml"
)

// MaxDepth is the deepest nesting of complex elements (a resource counts as
// one) that Unmarshal accepts and Marshal writes: JSON objects, or XML
// elements other than primitives and the wrappers of resources
// (<contained>, <resource>). Both formats count the same way, so what one
// format accepts the other can carry. A narrative div may nest its own
// XHTML MaxDepth levels deep.
const MaxDepth = 100

// Format is a FHIR wire format.
type Format int

// The formats.
const (
	JSON Format = iota
	XML
)

func (f Format) String() string {
	switch f {
	case JSON:
		return "JSON"
	case XML:
		return "XML"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// MIMEType returns the content type of the format.
func (f Format) MIMEType() string {
	if f == XML {
		return MIMEXML
	}
	return MIMEJSON
}

// Resource is a FHIR resource: a pointer to one of this package's resource
// structs (or to a struct of the same kind elsewhere, for Marshal).
type Resource interface {
	ResourceType() string
}

// ResourceType returns "Patient".
func (*Patient) ResourceType() string { return "Patient" }

// ResourceType returns "Practitioner".
func (*Practitioner) ResourceType() string { return "Practitioner" }

// ResourceType returns "PractitionerRole".
func (*PractitionerRole) ResourceType() string { return "PractitionerRole" }

// ResourceType returns "Organization".
func (*Organization) ResourceType() string { return "Organization" }

// ResourceType returns "Location".
func (*Location) ResourceType() string { return "Location" }

// ResourceType returns "Schedule".
func (*Schedule) ResourceType() string { return "Schedule" }

// ResourceType returns "Slot".
func (*Slot) ResourceType() string { return "Slot" }

// ResourceType returns "Appointment".
func (*Appointment) ResourceType() string { return "Appointment" }

// ResourceType returns "Device".
func (*Device) ResourceType() string { return "Device" }

// ResourceType returns "Bundle".
func (*Bundle) ResourceType() string { return "Bundle" }

// ResourceType returns "OperationOutcome".
func (*OperationOutcome) ResourceType() string { return "OperationOutcome" }

// ResourceType returns "Parameters".
func (*Parameters) ResourceType() string { return "Parameters" }

// ResourceType returns "CapabilityStatement".
func (*CapabilityStatement) ResourceType() string { return "CapabilityStatement" }

// registry maps a resourceType to a constructor, for decoding.
var registry = map[string]func() Resource{
	"Patient":             func() Resource { return new(Patient) },
	"Practitioner":        func() Resource { return new(Practitioner) },
	"PractitionerRole":    func() Resource { return new(PractitionerRole) },
	"Organization":        func() Resource { return new(Organization) },
	"Location":            func() Resource { return new(Location) },
	"Schedule":            func() Resource { return new(Schedule) },
	"Slot":                func() Resource { return new(Slot) },
	"Appointment":         func() Resource { return new(Appointment) },
	"Device":              func() Resource { return new(Device) },
	"Bundle":              func() Resource { return new(Bundle) },
	"OperationOutcome":    func() Resource { return new(OperationOutcome) },
	"Parameters":          func() Resource { return new(Parameters) },
	"CapabilityStatement": func() Resource { return new(CapabilityStatement) },
	// Access Record Structured (clinical.go).
	"AllergyIntolerance":    func() Resource { return new(AllergyIntolerance) },
	"Medication":            func() Resource { return new(Medication) },
	"MedicationStatement":   func() Resource { return new(MedicationStatement) },
	"MedicationRequest":     func() Resource { return new(MedicationRequest) },
	"Condition":             func() Resource { return new(Condition) },
	"Encounter":             func() Resource { return new(Encounter) },
	"List":                  func() Resource { return new(List) },
	"Observation":           func() Resource { return new(Observation) },
	"Immunization":          func() Resource { return new(Immunization) },
	"DiagnosticReport":      func() Resource { return new(DiagnosticReport) },
	"Specimen":              func() Resource { return new(Specimen) },
	"ProcedureRequest":      func() Resource { return new(ProcedureRequest) },
	"ReferralRequest":       func() Resource { return new(ReferralRequest) },
	"DocumentReference":     func() Resource { return new(DocumentReference) },
	"HealthcareService":     func() Resource { return new(HealthcareService) },
	"QuestionnaireResponse": func() Resource { return new(QuestionnaireResponse) },
}

// ResourceTypes returns the resource types Unmarshal knows.
func ResourceTypes() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// newResource returns a new zero resource of the type, or nil.
func newResource(resourceType string) Resource {
	if c, ok := registry[resourceType]; ok {
		return c()
	}
	return nil
}

// DecodeError is the error of Unmarshal and UnmarshalInto: the document is
// not a valid FHIR resource of a supported type. Path names the element in
// FHIRPath style, rooted at the resource type, with 0-based indexes, e.g.
// "Appointment.participant[1].actor.reference"; it is empty when the problem
// is the document as a whole (not JSON/XML, no or unknown resource type).
type DecodeError struct {
	Path string
	Msg  string
}

func (e *DecodeError) Error() string {
	if e.Path == "" {
		return "fhir: " + e.Msg
	}
	return "fhir: " + e.Path + ": " + e.Msg
}

// pathSeg is one step of a decoding path.
type pathSeg struct {
	name  string
	index int // -1 when not repeated
}

func formatPath(segs []pathSeg) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
		if s.index >= 0 {
			fmt.Fprintf(&b, "[%d]", s.index)
		}
	}
	return b.String()
}

// Marshal encodes r in the format. It fails when r is nil, when a choice
// element (value[x]) has more than one value set, when a narrative div is not
// a well-formed XHTML <div> (see the package documentation), when nesting
// exceeds MaxDepth, or when r is not a struct this package can describe.
func Marshal(f Format, r Resource) ([]byte, error) {
	switch f {
	case JSON:
		return marshalJSON(r)
	case XML:
		return marshalXML(r)
	}
	return nil, fmt.Errorf("fhir: unknown format %v", f)
}

// Unmarshal decodes a resource of any type this package knows, chosen by the
// JSON resourceType or the XML root element. Every error is a *DecodeError.
func Unmarshal(f Format, data []byte) (Resource, error) {
	data = trimBOM(data)
	switch f {
	case JSON:
		return unmarshalJSON(data, nil)
	case XML:
		return unmarshalXML(data, nil)
	}
	return nil, &DecodeError{Msg: fmt.Sprintf("unknown format %v", f)}
}

// UnmarshalInto decodes the document into r, a non-nil pointer to a
// resource struct, which is reset first. The document must be a resource of
// r's type. Every error is a *DecodeError.
func UnmarshalInto(f Format, data []byte, r Resource) error {
	if r == nil {
		return &DecodeError{Msg: "UnmarshalInto: nil resource"}
	}
	v := reflect.ValueOf(r)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return &DecodeError{Msg: fmt.Sprintf("UnmarshalInto: %T is not a non-nil pointer to a struct", r)}
	}
	data = trimBOM(data)
	var err error
	switch f {
	case JSON:
		_, err = unmarshalJSON(data, r)
	case XML:
		_, err = unmarshalXML(data, r)
	default:
		err = &DecodeError{Msg: fmt.Sprintf("unknown format %v", f)}
	}
	return err
}

// prepareInto checks that into (if any) has the resourceType rt, resets it and
// returns it; otherwise it returns a new resource of type rt.
func prepareInto(into Resource, rt string) (Resource, *DecodeError) {
	if into != nil {
		if into.ResourceType() != rt {
			return nil, &DecodeError{Msg: fmt.Sprintf("expected resourceType %s, found %s", into.ResourceType(), rt)}
		}
		v := reflect.ValueOf(into).Elem()
		v.Set(reflect.Zero(v.Type()))
		return into, nil
	}
	r := newResource(rt)
	if r == nil {
		return nil, &DecodeError{Msg: fmt.Sprintf("unknown or unsupported resourceType %q", rt)}
	}
	return r, nil
}

func trimBOM(data []byte) []byte {
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
}
