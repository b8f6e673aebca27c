package fhir

import (
	"fmt"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

func marshalJSON(r Resource) ([]byte, error) {
	st, bp := newEncState()
	e := jsonEncoder{st}
	e.reserve(r)
	base, p, err := e.root(r)
	if err != nil {
		return nil, err
	}
	e.object(p, base)
	return e.finish(bp)
}

type jsonEncoder struct{ encState }

// object writes the struct at base as a JSON object and reports whether it
// wrote anything; an empty object is not written at all. A resource always
// gets its resourceType, so it is never empty.
func (e *jsonEncoder) object(p *plan, base unsafe.Pointer) bool {
	if e.depth++; e.depth > MaxDepth {
		e.fail(errTooDeep)
		e.depth--
		return false
	}
	start := len(e.buf)
	e.buf = append(e.buf, '{')
	n := 0
	if p.resourceType != "" {
		e.buf = append(e.buf, `"resourceType":"`...)
		e.buf = append(e.buf, p.resourceType...)
		e.buf = append(e.buf, '"')
		n = 1
	}
	var choices uint64
	for i := range p.fields {
		f := &p.fields[i]
		fp := unsafe.Add(base, f.offset)
		if f.emptyAt(fp) {
			continue
		}
		mark := len(e.buf)
		if n > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, f.jsonKey...)
		if !e.value(f, fp) {
			e.buf = e.buf[:mark]
			continue
		}
		e.choiceCheck(p, f, &choices)
		n++
	}
	e.depth--
	if n == 0 {
		e.buf = e.buf[:start]
		return false
	}
	e.buf = append(e.buf, '}')
	return true
}

// value writes a non-empty field at fp and reports whether it wrote anything.
func (e *jsonEncoder) value(f *field, fp unsafe.Pointer) bool {
	if !f.repeated {
		return e.single(f, fp)
	}
	h := (*sliceHeader)(fp)
	start := len(e.buf)
	e.buf = append(e.buf, '[')
	n := 0
	for i := 0; i < h.len; i++ {
		ep := unsafe.Add(h.data, uintptr(i)*f.elemSize)
		mark := len(e.buf)
		if n > 0 {
			e.buf = append(e.buf, ',')
		}
		if !e.single(f, ep) {
			e.buf = e.buf[:mark]
			continue
		}
		n++
	}
	if n == 0 {
		e.buf = e.buf[:start]
		return false
	}
	e.buf = append(e.buf, ']')
	return true
}

// single writes one value of the field's kind (not a slice) stored at p, and
// reports whether it wrote anything.
func (e *jsonEncoder) single(f *field, p unsafe.Pointer) bool {
	switch f.kind {
	case kStruct:
		if f.ptr {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return false
			}
		}
		return e.object(f.sub, p)
	case kResource:
		base, rp, err := e.resourceBase(*(*Resource)(p))
		if err != nil {
			e.fail(err)
			return false
		}
		if base == nil {
			return false
		}
		return e.object(rp, base)
	case kBool:
		if **(**bool)(p) {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
		return true
	case kInteger, kUnsignedInt, kPositiveInt:
		e.buf = strconv.AppendInt(e.buf, int64(**(**int)(p)), 10)
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
		e.buf = appendJSONString(e.buf, s)
	case kDecimal:
		e.buf = append(e.buf, s...)
	case kDate, kDateTime, kInstant:
		e.buf = append(e.buf, '"')
		e.buf = append(e.buf, s...)
		e.buf = append(e.buf, '"')
	default:
		e.buf = appendJSONString(e.buf, s)
	}
	return true
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Characters FHIR does not
// allow in strings are replaced by U+FFFD (see the package documentation).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, "\uFFFD"...)
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == 0xFFFE, r == 0xFFFF:
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
		case r == '\u2028' || r == '\u2029':
			// Valid JSON, but not valid JavaScript: escape, as encoding/json does.
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
