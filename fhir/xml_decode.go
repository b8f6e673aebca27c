package fhir

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"unicode/utf8"
)

const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// xmlDecoder decodes FHIR XML with encoding/xml's tokenizer (which checks
// well-formedness and resolves namespaces) into the plan of each struct,
// accepting elements only in STU3 order. Every function that returns an
// error returns a *DecodeError.
type xmlDecoder struct {
	data     []byte
	d        *xml.Decoder
	tokStart int64 // input offset where the last token began
	depth    int
	path     []pathSeg
}

func unmarshalXML(data []byte, into Resource) (Resource, error) {
	if !utf8.Valid(data) {
		return nil, &DecodeError{Msg: "invalid XML: the document is not valid UTF-8"}
	}
	x := xmlDecoder{data: data, d: xml.NewDecoder(bytes.NewReader(data)), path: make([]pathSeg, 0, 16)}
	root, err := x.root()
	if err != nil {
		return nil, err
	}
	rt := root.Name.Local
	r, derr := prepareInto(into, rt)
	if derr != nil {
		return nil, derr
	}
	v, p, perr := resourceValue(reflect.ValueOf(&r).Elem())
	if perr != nil {
		return nil, &DecodeError{Msg: perr.Error()}
	}
	x.path = append(x.path, pathSeg{rt, -1})
	if err := x.element(p, v, root); err != nil {
		return nil, err
	}
	x.path = x.path[:0]
	for {
		tok, err := x.token()
		if err == io.EOF {
			return r, nil
		}
		if err != nil {
			return nil, x.syntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isBlank(t) {
				return nil, x.errorf("text after the root element")
			}
		case xml.StartElement:
			return nil, x.errorf("a second root element <%s>", t.Name.Local)
		}
	}
}

func (x *xmlDecoder) errorf(format string, args ...any) *DecodeError {
	return &DecodeError{Path: formatPath(x.path), Msg: fmt.Sprintf(format, args...)}
}

func (x *xmlDecoder) syntax(err error) *DecodeError {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return x.errorf("invalid XML at line %d: %s", se.Line, se.Msg)
	}
	if err == io.EOF {
		return x.errorf("invalid XML: unexpected end of the document")
	}
	return x.errorf("invalid XML: %v", err)
}

// token returns the next token that matters: comments and processing
// instructions are dropped; a DTD is refused.
func (x *xmlDecoder) token() (xml.Token, error) {
	for {
		x.tokStart = x.d.InputOffset()
		tok, err := x.d.Token()
		if err != nil {
			return nil, err
		}
		switch tok.(type) {
		case xml.Comment, xml.ProcInst:
			continue
		case xml.Directive:
			return nil, errors.New("DTDs and other directives are not allowed")
		}
		return tok, nil
	}
}

// root returns the root element, which must be a resource in the FHIR namespace.
func (x *xmlDecoder) root() (xml.StartElement, *DecodeError) {
	for {
		tok, err := x.token()
		if err == io.EOF {
			return xml.StartElement{}, x.errorf("invalid XML: no root element")
		}
		if err != nil {
			return xml.StartElement{}, x.syntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isBlank(t) {
				return xml.StartElement{}, x.errorf("text before the root element")
			}
		case xml.StartElement:
			if t.Name.Space != NamespaceFHIR {
				return xml.StartElement{}, x.errorf("the root element <%s> is not in the FHIR namespace %s", t.Name.Local, NamespaceFHIR)
			}
			return t, nil
		default:
			return xml.StartElement{}, x.errorf("invalid XML: unexpected %T before the root element", tok)
		}
	}
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// ignorableAttr reports whether an attribute carries no FHIR data: a
// namespace declaration or an XML Schema instance attribute.
func ignorableAttr(a xml.Attr) bool {
	return a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" || a.Name.Space == xsiNamespace
}

func (x *xmlDecoder) enter() *DecodeError {
	x.depth++
	if x.depth > MaxDepth {
		return x.errorf("nesting deeper than %d levels", MaxDepth)
	}
	return nil
}

// element decodes the content of start (attributes and children) into the
// struct v of plan p, and consumes its end tag.
func (x *xmlDecoder) element(p *plan, v reflect.Value, start xml.StartElement) *DecodeError {
	if err := x.enter(); err != nil {
		return err
	}
	defer func() { x.depth-- }()
	count := 0
	var seenAttr [2]uint64
	for _, a := range start.Attr {
		if ignorableAttr(a) {
			continue
		}
		idx, ok := p.byName[a.Name.Local]
		if a.Name.Space != "" || !ok || !p.fields[idx].attr {
			return x.errorf("unknown attribute %q", attrName(a))
		}
		if seenAttr[idx>>6]&(1<<(idx&63)) != 0 {
			return x.errorf("attribute %q appears twice", a.Name.Local)
		}
		seenAttr[idx>>6] |= 1 << (idx & 63)
		f := &p.fields[idx]
		if msg := setString(f, v.Field(f.index), a.Value); msg != "" {
			x.path = append(x.path, pathSeg{f.name, -1})
			return x.errorf("%s", msg)
		}
		count++
	}
	last := -1 // index of the last field seen, for the order check
	n := 0     // occurrences of the last field
	var choices uint64
	for {
		tok, err := x.token()
		if err != nil {
			return x.syntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isBlank(t) {
				return x.errorf("text content is not allowed here (FHIR values go in value attributes)")
			}
			continue
		case xml.EndElement:
			if count == 0 && p.resourceType == "" {
				return x.errorf("empty element (FHIR does not allow empty elements; leave the element out)")
			}
			if name := missingRequired(p, v); name != "" {
				x.path = append(x.path, pathSeg{name, -1})
				return x.errorf("missing required element")
			}
			return nil
		case xml.StartElement:
			idx, ok := p.byName[t.Name.Local]
			if ok {
				f := &p.fields[idx]
				if f.attr {
					ok = false
				} else if f.kind == kXHTML {
					ok = t.Name.Space == NamespaceXHTML
				} else {
					ok = t.Name.Space == NamespaceFHIR
				}
			}
			if !ok {
				x.path = append(x.path, pathSeg{t.Name.Local, -1})
				if idx, isDiv := p.byName[t.Name.Local]; isDiv && p.fields[idx].kind == kXHTML {
					return x.errorf("the narrative div must be in the XHTML namespace %s", NamespaceXHTML)
				}
				if t.Name.Space != NamespaceFHIR {
					return x.errorf("unknown element (in namespace %q)", t.Name.Space)
				}
				return x.errorf("unknown element")
			}
			f := &p.fields[idx]
			switch {
			case idx < last:
				x.path = append(x.path, pathSeg{t.Name.Local, -1})
				return x.errorf("element out of order: <%s> must come before <%s>", t.Name.Local, p.fields[last].name)
			case idx == last && !f.repeated:
				x.path = append(x.path, pathSeg{t.Name.Local, -1})
				return x.errorf("element appears twice")
			case idx == last:
				n++
			default:
				last, n = idx, 0
				if f.choice != 0 {
					bit := uint64(1) << (f.choice - 1)
					if choices&bit != 0 {
						x.path = append(x.path, pathSeg{t.Name.Local, -1})
						return x.errorf("more than one %s[x] element", p.choiceNames[f.choice-1])
					}
					choices |= bit
				}
			}
			seg := pathSeg{f.name, -1}
			fv := v.Field(f.index)
			if f.repeated {
				seg.index = n
				fv.Grow(1)
				fv.SetLen(n + 1)
				fv = fv.Index(n)
			}
			x.path = append(x.path, seg)
			if err := x.value(f, fv, t); err != nil {
				return err
			}
			x.path = x.path[:len(x.path)-1]
			count++
		}
	}
}

func attrName(a xml.Attr) string {
	if a.Name.Space == "" {
		return a.Name.Local
	}
	return a.Name.Space + ":" + a.Name.Local
}

// value decodes one child element of field f into v (a slice element for
// repeated fields).
func (x *xmlDecoder) value(f *field, v reflect.Value, start xml.StartElement) *DecodeError {
	switch f.kind {
	case kStruct:
		if f.ptr {
			nv := reflect.New(f.elem)
			if err := x.element(f.sub, nv.Elem(), start); err != nil {
				return err
			}
			v.Set(nv)
			return nil
		}
		return x.element(f.sub, v, start)
	case kResource:
		return x.resource(v, start)
	case kXHTML:
		return x.xhtml(v)
	}
	// A primitive: <name value="…"/>.
	val, has := "", false
	for _, a := range start.Attr {
		if ignorableAttr(a) {
			continue
		}
		switch {
		case a.Name.Space == "" && a.Name.Local == "value":
			if has {
				return x.errorf("attribute \"value\" appears twice")
			}
			val, has = a.Value, true
		case a.Name.Space == "" && a.Name.Local == "id":
			return x.errorf("ids on primitive elements are not supported")
		default:
			return x.errorf("unknown attribute %q", attrName(a))
		}
	}
	if !has {
		return x.errorf("missing value attribute (extensions on primitive elements are not supported)")
	}
	if err := x.endOfLeaf(start); err != nil {
		return err
	}
	var msg string
	switch f.kind {
	case kBool:
		switch val {
		case "true":
			v.Set(reflect.ValueOf(Bool(true)))
		case "false":
			v.Set(reflect.ValueOf(Bool(false)))
		default:
			msg = "invalid boolean " + strconv.Quote(val) + " (must be true or false)"
		}
	case kInteger, kUnsignedInt, kPositiveInt, kDecimal:
		msg = setNumber(f, v, val)
	default:
		msg = setString(f, v, val)
	}
	if msg != "" {
		return x.errorf("%s", msg)
	}
	return nil
}

// endOfLeaf consumes the end of an element that must have no children.
func (x *xmlDecoder) endOfLeaf(start xml.StartElement) *DecodeError {
	for {
		tok, err := x.token()
		if err != nil {
			return x.syntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isBlank(t) {
				return x.errorf("text content is not allowed (the value goes in the value attribute)")
			}
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Local == "extension" {
				return x.errorf("extensions on primitive elements are not supported")
			}
			x.path = append(x.path, pathSeg{t.Name.Local, -1})
			return x.errorf("unknown element")
		}
	}
}

// resource decodes a wrapper element holding one resource:
// <contained><Organization>…</Organization></contained>.
func (x *xmlDecoder) resource(v reflect.Value, start xml.StartElement) *DecodeError {
	for _, a := range start.Attr {
		if !ignorableAttr(a) {
			return x.errorf("unknown attribute %q", attrName(a))
		}
	}
	var r Resource
	for {
		tok, err := x.token()
		if err != nil {
			return x.syntax(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !isBlank(t) {
				return x.errorf("text content is not allowed here")
			}
		case xml.EndElement:
			if r == nil {
				return x.errorf("empty element (it must hold a resource)")
			}
			v.Set(reflect.ValueOf(r))
			return nil
		case xml.StartElement:
			if r != nil {
				return x.errorf("more than one resource in one element")
			}
			if t.Name.Space != NamespaceFHIR {
				return x.errorf("resource element <%s> is not in the FHIR namespace", t.Name.Local)
			}
			r = newResource(t.Name.Local)
			if r == nil {
				return x.errorf("unknown or unsupported resource type %q", t.Name.Local)
			}
			rv := reflect.ValueOf(r).Elem()
			if err := x.element(mustPlan(rv.Type()), rv, t); err != nil {
				return err
			}
		}
	}
}

// xhtml captures the narrative <div> that was just started, verbatim.
func (x *xmlDecoder) xhtml(v reflect.Value) *DecodeError {
	begin := x.tokStart
	depth := 1
	for depth > 0 {
		tok, err := x.d.Token()
		if err != nil {
			return x.syntax(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxDepth {
				return x.errorf("nesting deeper than %d levels", MaxDepth)
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return x.errorf("DTDs and other directives are not allowed")
		}
	}
	end := x.d.InputOffset()
	if begin < 0 || end > int64(len(x.data)) || begin >= end {
		return x.errorf("cannot locate the narrative div in the input")
	}
	s := string(x.data[begin:end])
	if msg := checkXHTML(s); msg != "" {
		return x.errorf("%s", msg)
	}
	v.SetString(s)
	return nil
}
