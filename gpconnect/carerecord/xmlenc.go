package carerecord

import (
	"bytes"
	"reflect"
	"strings"
)

// FHIR XML from the wire structs of bundle.go, by their JSON names: the
// first field of a resource (resourceType) names its element; a string is
// an element with a value attribute; a struct is an element holding its
// fields; a slice repeats; an interface field holds a contained resource
// (Bundle.entry.resource); an xhtml string is written as it is (checkDiv
// made sure it is one XHTML <div> with its namespace). Empty values are
// left out, as omitempty leaves them out of the JSON.

var xhtmlType = reflect.TypeFor[xhtml]()

func xmlResource(b *bytes.Buffer, res any, root bool) {
	v := reflect.ValueOf(res)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	name := v.Field(0).String()
	b.WriteByte('<')
	b.WriteString(name)
	if root {
		b.WriteString(` xmlns="` + fhirNS + `"`)
	}
	b.WriteByte('>')
	xmlFields(b, v, 1)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

func xmlFields(b *bytes.Buffer, v reflect.Value, from int) {
	t := v.Type()
	for i := from; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		xmlValue(b, name, v.Field(i))
	}
}

func xmlValue(b *bytes.Buffer, name string, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if s == "" {
			return
		}
		if v.Type() == xhtmlType {
			b.WriteString(s)
			return
		}
		b.WriteByte('<')
		b.WriteString(name)
		b.WriteString(` value="`)
		escapeAttr(b, s)
		b.WriteString(`"/>`)
	case reflect.Pointer:
		if !v.IsNil() {
			xmlValue(b, name, v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			xmlValue(b, name, v.Index(i))
		}
	case reflect.Struct:
		b.WriteByte('<')
		b.WriteString(name)
		b.WriteByte('>')
		xmlFields(b, v, 0)
		b.WriteString("</")
		b.WriteString(name)
		b.WriteByte('>')
	case reflect.Interface:
		if !v.IsNil() {
			b.WriteByte('<')
			b.WriteString(name)
			b.WriteByte('>')
			xmlResource(b, v.Interface(), false)
			b.WriteString("</")
			b.WriteString(name)
			b.WriteByte('>')
		}
	}
}

// escapeAttr writes s as an attribute value. Strings were cleaned, so
// every character is one XML may hold; line breaks and tabs are written as
// character references so that they survive attribute normalisation.
func escapeAttr(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#xA;")
		case '\t':
			b.WriteString("&#x9;")
		default:
			b.WriteByte(c)
		}
	}
}
