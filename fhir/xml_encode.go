package fhir

import (
	"fmt"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

func marshalXML(r Resource) ([]byte, error) {
	st, bp := newEncState()
	e := xmlEncoder{st}
	e.reserve(r)
	base, p, err := e.root(r)
	if err != nil {
		return nil, err
	}
	e.resource(p, base, true)
	return e.finish(bp)
}

type xmlEncoder struct{ encState }

// resource writes <Type>…</Type> (with the FHIR namespace on the root).
func (e *xmlEncoder) resource(p *plan, base unsafe.Pointer, root bool) {
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, p.resourceType...)
	if root {
		e.buf = append(e.buf, ` xmlns="`+NamespaceFHIR+`"`...)
	}
	e.buf = append(e.buf, '>')
	if !e.children(p, base) {
		e.buf = e.buf[:len(e.buf)-1]
		e.buf = append(e.buf, '/', '>')
		return
	}
	e.buf = append(e.buf, '<', '/')
	e.buf = append(e.buf, p.resourceType...)
	e.buf = append(e.buf, '>')
}

// element writes the struct at base as <name attrs>children</name> and
// reports whether it wrote anything; an element without attributes or
// children is not written at all.
func (e *xmlEncoder) element(name string, p *plan, base unsafe.Pointer) bool {
	start := len(e.buf)
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, name...)
	attrs := false
	if p.hasAttrs {
		for i := range p.fields {
			f := &p.fields[i]
			if !f.attr {
				continue
			}
			s := strAt(unsafe.Add(base, f.offset))
			if s == "" {
				continue
			}
			e.buf = append(e.buf, ' ')
			e.buf = append(e.buf, f.name...)
			e.buf = append(e.buf, '=', '"')
			e.buf = appendXMLAttr(e.buf, s)
			e.buf = append(e.buf, '"')
			attrs = true
		}
	}
	e.buf = append(e.buf, '>')
	if !e.children(p, base) {
		if !attrs {
			e.buf = e.buf[:start]
			return false
		}
		e.buf = e.buf[:len(e.buf)-1]
		e.buf = append(e.buf, '/', '>')
		return true
	}
	e.buf = append(e.buf, '<', '/')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '>')
	return true
}

// children writes the child elements of the struct at base and reports
// whether there were any.
func (e *xmlEncoder) children(p *plan, base unsafe.Pointer) bool {
	if e.depth++; e.depth > MaxDepth {
		e.fail(errTooDeep)
		e.depth--
		return false
	}
	wrote := false
	var choices uint64
	for i := range p.fields {
		f := &p.fields[i]
		if f.attr {
			continue
		}
		fp := unsafe.Add(base, f.offset)
		if f.emptyAt(fp) {
			continue
		}
		any := false
		if f.repeated {
			h := (*sliceHeader)(fp)
			for j := 0; j < h.len; j++ {
				if e.single(f, unsafe.Add(h.data, uintptr(j)*f.elemSize)) {
					any = true
				}
			}
		} else {
			any = e.single(f, fp)
		}
		if any {
			wrote = true
			e.choiceCheck(p, f, &choices)
		}
	}
	e.depth--
	return wrote
}

// single writes one value of the field stored at p and reports whether it
// wrote anything.
func (e *xmlEncoder) single(f *field, p unsafe.Pointer) bool {
	switch f.kind {
	case kStruct:
		if f.ptr {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return false
			}
		}
		return e.element(f.name, f.sub, p)
	case kResource:
		base, rp, err := e.resourceBase(*(*Resource)(p))
		if err != nil {
			e.fail(err)
			return false
		}
		if base == nil {
			return false
		}
		e.buf = append(e.buf, '<')
		e.buf = append(e.buf, f.name...)
		e.buf = append(e.buf, '>')
		e.resource(rp, base, false)
		e.buf = append(e.buf, '<', '/')
		e.buf = append(e.buf, f.name...)
		e.buf = append(e.buf, '>')
		return true
	case kBool:
		e.buf = append(e.buf, f.xmlValue...)
		if **(**bool)(p) {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
		e.buf = append(e.buf, '"', '/', '>')
		return true
	case kInteger, kUnsignedInt, kPositiveInt:
		e.buf = append(e.buf, f.xmlValue...)
		e.buf = strconv.AppendInt(e.buf, int64(**(**int)(p)), 10)
		e.buf = append(e.buf, '"', '/', '>')
		return true
	}
	s := strAt(p)
	if s == "" {
		return false
	}
	switch f.kind {
	case kXHTML:
		if msg := checkXHTML(s); msg != "" {
			e.fail(fmt.Errorf("fhir: cannot write the narrative div: %s", msg))
			return false
		}
		e.buf = append(e.buf, s...)
		return true
	case kDecimal, kDate, kDateTime, kInstant:
		e.buf = append(e.buf, f.xmlValue...)
		e.buf = append(e.buf, s...)
	default:
		e.buf = append(e.buf, f.xmlValue...)
		e.buf = appendXMLAttr(e.buf, s)
	}
	e.buf = append(e.buf, '"', '/', '>')
	return true
}

// appendXMLAttr appends s escaped for a double-quoted XML attribute. Tab, CR
// and LF are written as character references so that attribute value
// normalisation does not turn them into spaces; characters XML 1.0 cannot
// carry (and FHIR does not allow) are replaced by U+FFFD.
func appendXMLAttr(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			var esc string
			switch c {
			case '&':
				esc = "&amp;"
			case '<':
				esc = "&lt;"
			case '>':
				esc = "&gt;"
			case '"':
				esc = "&quot;"
			case '\t':
				esc = "&#x9;"
			case '\n':
				esc = "&#xA;"
			case '\r':
				esc = "&#xD;"
			default:
				if c >= 0x20 {
					i++
					continue
				}
				esc = "\uFFFD"
			}
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}
