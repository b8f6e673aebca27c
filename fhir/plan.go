package fhir

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// A plan describes how one Go struct type maps to FHIR elements. Plans are
// built once per type from the `fhir` struct tags and cached; the JSON and XML
// encoders and decoders all walk them.

// kind is the FHIR type of a field.
type kind uint8

const (
	// string kinds
	kString kind = iota
	kCode
	kID
	kURI
	kMarkdown
	kOID
	kBase64
	kTime
	kXHTML
	// other primitives
	kBool
	kInteger
	kUnsignedInt
	kPositiveInt
	kDecimal
	kDate
	kDateTime
	kInstant
	// complex
	kStruct
	kResource
)

func (k kind) isString() bool   { return k <= kXHTML }
func (k kind) isInt() bool      { return k == kInteger || k == kUnsignedInt || k == kPositiveInt }
func (k kind) isTemporal() bool { return k == kDate || k == kDateTime || k == kInstant }

var kindNames = map[kind]string{
	kString: "string", kCode: "code", kID: "id", kURI: "uri", kMarkdown: "markdown",
	kOID: "oid", kBase64: "base64Binary", kTime: "time", kXHTML: "xhtml", kBool: "boolean",
	kInteger: "integer", kUnsignedInt: "unsignedInt", kPositiveInt: "positiveInt",
	kDecimal: "decimal", kDate: "date", kDateTime: "dateTime", kInstant: "instant",
}

// field is one element (or XML attribute) of a plan.
type field struct {
	name     string
	index    int  // Go struct field index
	kind     kind // FHIR type
	repeated bool // a Go slice
	ptr      bool // a Go pointer (*struct, *bool, *int)
	attr     bool // an XML attribute (Element.id, Extension.url)
	required bool
	choice   int      // 1-based choice group (value[x]); 0 when none
	enum     []string // required binding, if any
	sub      *plan    // for kStruct
	elem     reflect.Type

	// For reading fields through unsafe pointers (see encode.go).
	offset   uintptr // of the Go field in its struct
	elemSize uintptr // of one element, for repeated fields

	jsonKey  []byte // "name":
	xmlValue []byte // <name value="
}

// plan is the element list of one struct type, in STU3 order.
type plan struct {
	typ          reflect.Type
	resourceType string // set for resources
	fields       []field
	byName       map[string]int
	choiceNames  []string // group names, index choice-1
	required     []int
	hasAttrs     bool
}

var (
	planCache sync.Map // reflect.Type -> *plan
	planMu    sync.Mutex

	resourceIface = reflect.TypeFor[Resource]()
	typDecimal    = reflect.TypeFor[Decimal]()
	typDate       = reflect.TypeFor[Date]()
	typDateTime   = reflect.TypeFor[DateTime]()
	typInstant    = reflect.TypeFor[Instant]()
)

// planFor returns the plan of struct type t.
func planFor(t reflect.Type) (*plan, error) {
	if p, ok := planCache.Load(t); ok {
		return p.(*plan), nil
	}
	planMu.Lock()
	defer planMu.Unlock()
	if p, ok := planCache.Load(t); ok {
		return p.(*plan), nil
	}
	building := map[reflect.Type]*plan{}
	p, err := buildPlan(t, building)
	if err != nil {
		return nil, err
	}
	for bt, bp := range building {
		planCache.Store(bt, bp)
	}
	return p, nil
}

// mustPlan returns the plan of a type of this package, whose tags the tests check.
func mustPlan(t reflect.Type) *plan {
	p, err := planFor(t)
	if err != nil {
		panic(err)
	}
	return p
}

func buildPlan(t reflect.Type, building map[reflect.Type]*plan) (*plan, error) {
	if p, ok := building[t]; ok {
		return p, nil
	}
	if p, ok := planCache.Load(t); ok {
		return p.(*plan), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("fhir: %v is not a struct", t)
	}
	p := &plan{typ: t, byName: map[string]int{}}
	building[t] = p
	if reflect.PointerTo(t).Implements(resourceIface) {
		p.resourceType = reflect.New(t).Interface().(Resource).ResourceType()
	}
	choices := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("fhir")
		if !ok || tag == "-" {
			continue
		}
		if !sf.IsExported() {
			return nil, fmt.Errorf("fhir: %v.%s: tagged field is not exported", t, sf.Name)
		}
		opts := strings.Split(tag, ",")
		f := field{name: opts[0], index: i, kind: 255}
		for _, o := range opts[1:] {
			switch {
			case o == "attr":
				f.attr = true
			case o == "req":
				f.required = true
			case strings.HasPrefix(o, "choice="):
				g := o[len("choice="):]
				n, ok := choices[g]
				if !ok {
					p.choiceNames = append(p.choiceNames, g)
					n = len(p.choiceNames)
					choices[g] = n
				}
				f.choice = n
			case strings.HasPrefix(o, "enum="):
				f.enum = strings.Split(o[len("enum="):], "|")
			default:
				k, ok := kindByName(o)
				if !ok {
					return nil, fmt.Errorf("fhir: %v.%s: unknown tag option %q", t, sf.Name, o)
				}
				f.kind = k
			}
		}
		ft := sf.Type
		if ft.Kind() == reflect.Slice {
			f.repeated = true
			ft = ft.Elem()
		}
		f.elem = ft
		switch {
		case ft.Kind() == reflect.String:
			if f.kind == 255 {
				f.kind = kString
			} else if !f.kind.isString() {
				return nil, fmt.Errorf("fhir: %v.%s: a string cannot be %s", t, sf.Name, kindNames[f.kind])
			}
		case ft == resourceIface:
			f.kind = kResource
		case ft == typDecimal:
			f.kind = kDecimal
		case ft == typDate:
			f.kind = kDate
		case ft == typDateTime:
			f.kind = kDateTime
		case ft == typInstant:
			f.kind = kInstant
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Bool && !f.repeated:
			f.kind, f.ptr = kBool, true
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Int && !f.repeated:
			if f.kind == 255 {
				f.kind = kInteger
			} else if !f.kind.isInt() {
				return nil, fmt.Errorf("fhir: %v.%s: an int cannot be %s", t, sf.Name, kindNames[f.kind])
			}
			f.ptr = true
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && !f.repeated:
			f.kind, f.ptr = kStruct, true
			f.elem = ft.Elem()
		case ft.Kind() == reflect.Struct:
			f.kind = kStruct
		default:
			return nil, fmt.Errorf("fhir: %v.%s: unsupported Go type %v", t, sf.Name, sf.Type)
		}
		f.offset = sf.Offset
		if f.repeated {
			f.elemSize = sf.Type.Elem().Size()
		}
		if f.kind == kStruct {
			sub, err := buildPlan(f.elem, building)
			if err != nil {
				return nil, err
			}
			f.sub = sub
		}
		if f.attr && (!f.kind.isString() || f.repeated) {
			return nil, fmt.Errorf("fhir: %v.%s: only a single string can be an attribute", t, sf.Name)
		}
		if _, dup := p.byName[f.name]; dup || f.name == "" || f.name == "resourceType" {
			return nil, fmt.Errorf("fhir: %v.%s: bad or repeated element name %q", t, sf.Name, f.name)
		}
		f.jsonKey = []byte(`"` + f.name + `":`)
		f.xmlValue = []byte(`<` + f.name + ` value="`)
		if f.attr {
			p.hasAttrs = true
		}
		p.byName[f.name] = len(p.fields)
		if f.required {
			p.required = append(p.required, len(p.fields))
		}
		p.fields = append(p.fields, f)
	}
	if len(p.fields) > 128 {
		return nil, fmt.Errorf("fhir: %v has more than 128 elements", t)
	}
	if len(p.choiceNames) > 64 {
		return nil, fmt.Errorf("fhir: %v has more than 64 choice elements", t)
	}
	return p, nil
}

func kindByName(s string) (kind, bool) {
	for k, n := range kindNames {
		if n == s {
			return k, true
		}
	}
	return 0, false
}

// enumOK reports whether s is in the field's value set.
func (f *field) enumOK(s string) bool {
	if f.enum == nil {
		return true
	}
	for _, e := range f.enum {
		if e == s {
			return true
		}
	}
	return false
}

// resourceValue returns the struct value and plan of a Resource held in an
// interface value.
func resourceValue(v reflect.Value) (reflect.Value, *plan, error) {
	e := v.Elem()
	if e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	p, err := planFor(e.Type())
	if err != nil {
		return reflect.Value{}, nil, err
	}
	if p.resourceType == "" {
		return reflect.Value{}, nil, fmt.Errorf("fhir: %v is not a resource", e.Type())
	}
	return e, p, nil
}
