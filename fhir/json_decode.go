package fhir

import (
	"fmt"
	"reflect"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// jsonDecoder is a strict recursive-descent FHIR JSON parser that decodes
// straight into the plan of each struct. Every function that returns an error
// returns a *DecodeError.
type jsonDecoder struct {
	data  []byte
	pos   int
	depth int
	path  []pathSeg
	// types holds the resourceType of objects that peekResourceType skipped
	// over, by offset, so that a resource whose resourceType is not its first
	// member is scanned once more, not once more per enclosing resource.
	types map[int]string
}

func unmarshalJSON(data []byte, into Resource) (Resource, error) {
	d := jsonDecoder{data: data, path: make([]pathSeg, 0, 16)}
	d.ws()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		return nil, d.syntax("a FHIR JSON resource must be a JSON object")
	}
	rt, err := d.peekResourceType()
	if err != nil {
		return nil, err
	}
	r, derr := prepareInto(into, rt)
	if derr != nil {
		return nil, derr
	}
	v, p, perr := resourceValue(reflect.ValueOf(&r).Elem())
	if perr != nil {
		return nil, &DecodeError{Msg: perr.Error()}
	}
	d.path = append(d.path, pathSeg{rt, -1})
	if err := d.object(p, v); err != nil {
		return nil, err
	}
	d.ws()
	if d.pos != len(d.data) {
		d.path = d.path[:0]
		return nil, d.syntax("unexpected data after the resource")
	}
	return r, nil
}

// errorf returns a DecodeError at the current path.
func (d *jsonDecoder) errorf(format string, args ...any) *DecodeError {
	return &DecodeError{Path: formatPath(d.path), Msg: fmt.Sprintf(format, args...)}
}

// syntax returns a DecodeError for malformed JSON, with the byte offset.
func (d *jsonDecoder) syntax(msg string) *DecodeError {
	return d.errorf("invalid JSON at offset %d: %s", d.pos, msg)
}

func (d *jsonDecoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte (0 at the end).
func (d *jsonDecoder) next() byte {
	d.ws()
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

func (d *jsonDecoder) expect(c byte) *DecodeError {
	if d.next() != c {
		if d.pos >= len(d.data) {
			return d.syntax("unexpected end of input, expected '" + string(c) + "'")
		}
		return d.syntax("expected '" + string(c) + "', found " + d.describe())
	}
	d.pos++
	return nil
}

// describe names the value starting at the current position, for messages.
func (d *jsonDecoder) describe() string {
	if d.pos >= len(d.data) {
		return "end of input"
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	default:
		return strconv.QuoteRune(rune(c))
	}
}

func (d *jsonDecoder) enter() *DecodeError {
	d.depth++
	if d.depth > MaxDepth {
		return d.errorf("nesting deeper than %d levels", MaxDepth)
	}
	return nil
}

// peekResourceType finds the "resourceType" member of the object at the
// current position without consuming anything.
func (d *jsonDecoder) peekResourceType() (string, *DecodeError) {
	d.ws()
	if rt, ok := d.types[d.pos]; ok {
		return rt, nil
	}
	save := d.pos
	defer func() { d.pos = save }()
	if err := d.expect('{'); err != nil {
		return "", err
	}
	if d.next() == '}' {
		return "", d.errorf("missing resourceType")
	}
	for {
		key, err := d.str()
		if err != nil {
			return "", err
		}
		if err := d.expect(':'); err != nil {
			return "", err
		}
		if key == "resourceType" {
			if d.next() != '"' {
				return "", d.errorf("resourceType must be a string")
			}
			rt, err := d.str()
			if err != nil {
				return "", err
			}
			return rt, nil
		}
		if err := d.skip(2 * d.depth); err != nil {
			return "", err
		}
		switch d.next() {
		case ',':
			d.pos++
		case '}':
			return "", d.errorf("missing resourceType")
		default:
			return "", d.syntax("expected ',' or '}' after an object member")
		}
	}
}

// maxSkipNesting bounds the nesting of objects and arrays that skip walks
// through: valid FHIR JSON never nests more than two of them (an array and an
// object) per complex element, and the real depth check happens when the
// value is decoded.
const maxSkipNesting = 2*MaxDepth + 2

// skip skips one JSON value, checking its syntax.
func (d *jsonDecoder) skip(nest int) *DecodeError {
	switch c := d.next(); {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{' || c == '[':
		if nest++; nest > maxSkipNesting {
			return d.errorf("nesting deeper than %d levels", MaxDepth)
		}
		objStart := d.pos
		d.pos++
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		if d.next() == end {
			d.pos++
			return nil
		}
		for {
			skipValue := true
			if c == '{' {
				if d.next() != '"' {
					return d.syntax("expected a member name")
				}
				key, err := d.str()
				if err != nil {
					return err
				}
				if err := d.expect(':'); err != nil {
					return err
				}
				if key == "resourceType" && d.next() == '"' {
					// Remember it, so that decoding this object later
					// need not scan it again.
					rt, err := d.str()
					if err != nil {
						return err
					}
					if _, dup := d.types[objStart]; !dup {
						if d.types == nil {
							d.types = map[int]string{}
						}
						d.types[objStart] = rt
					}
					skipValue = false
				}
			}
			if skipValue {
				if err := d.skip(nest); err != nil {
					return err
				}
			}
			switch d.next() {
			case ',':
				d.pos++
			case end:
				d.pos++
				return nil
			default:
				return d.syntax("expected ',' or '" + string(end) + "'")
			}
		}
	case c == 't' || c == 'f':
		_, err := d.boolean()
		return err
	case c == 'n':
		if d.literal("null") {
			return nil
		}
		return d.syntax("invalid literal")
	case c == '-' || c >= '0' && c <= '9':
		_, err := d.number()
		return err
	case c == 0:
		return d.syntax("unexpected end of input")
	default:
		return d.syntax("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

func (d *jsonDecoder) literal(lit string) bool {
	if len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	return false
}

func (d *jsonDecoder) boolean() (bool, *DecodeError) {
	if d.literal("true") {
		return true, nil
	}
	if d.literal("false") {
		return false, nil
	}
	return false, d.syntax("invalid literal")
}

// number reads a JSON number and returns its text.
func (d *jsonDecoder) number() (string, *DecodeError) {
	start := d.pos
	i := d.pos
	if i < len(d.data) && d.data[i] == '-' {
		i++
	}
	switch {
	case i < len(d.data) && d.data[i] == '0':
		i++
	case i < len(d.data) && d.data[i] >= '1' && d.data[i] <= '9':
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
		}
	default:
		d.pos = i
		return "", d.syntax("invalid number")
	}
	if i < len(d.data) && d.data[i] == '.' {
		i++
		j := i
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
		}
		if i == j {
			d.pos = i
			return "", d.syntax("invalid number")
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		j := i
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
		}
		if i == j {
			d.pos = i
			return "", d.syntax("invalid number")
		}
	}
	d.pos = i
	return string(d.data[start:i]), nil
}

// str reads a JSON string (the current byte must be '"'). It rejects
// invalid UTF-8 and lone surrogates.
func (d *jsonDecoder) str() (string, *DecodeError) {
	if d.next() != '"' {
		return "", d.syntax("expected a string, found " + d.describe())
	}
	d.pos++
	start := d.pos
	// Fast path: printable ASCII without escapes.
	for i := start; i < len(d.data); i++ {
		c := d.data[i]
		if c == '"' {
			d.pos = i + 1
			return string(d.data[start:i]), nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
	}
	var b []byte
	i := start
	for {
		if i >= len(d.data) {
			d.pos = i
			return "", d.syntax("unterminated string")
		}
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return string(b), nil
		case c < 0x20:
			d.pos = i
			return "", d.syntax("control character in a string (it must be escaped)")
		case c == '\\':
			if i+1 >= len(d.data) {
				d.pos = i
				return "", d.syntax("unterminated string")
			}
			esc := d.data[i+1]
			i += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d.data, i)
				if !ok {
					d.pos = i
					return "", d.syntax("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+6 <= len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
						r2, ok = hex4(d.data, i+2)
					}
					dec := utf16.DecodeRune(r, r2)
					if !ok || dec == utf8.RuneError {
						d.pos = i
						return "", d.syntax("invalid UTF-16 surrogate pair in a \\u escape")
					}
					i += 6
					r = dec
				}
				b = utf8.AppendRune(b, r)
			default:
				d.pos = i - 1
				return "", d.syntax("invalid escape in a string")
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(d.data[i:])
			if r == utf8.RuneError && size == 1 {
				d.pos = i
				return "", d.syntax("invalid UTF-8")
			}
			b = append(b, d.data[i:i+size]...)
			i += size
		}
	}
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// object decodes a JSON object into the struct v of plan p. A resource's
// object has a "resourceType" member, already checked by peekResourceType.
func (d *jsonDecoder) object(p *plan, v reflect.Value) *DecodeError {
	if err := d.expect('{'); err != nil {
		return err
	}
	if err := d.enter(); err != nil {
		return err
	}
	defer func() { d.depth-- }()
	var seen [2]uint64
	var choices uint64
	sawType := false
	count := 0
	if d.next() == '}' {
		d.pos++
		if p.resourceType == "" {
			return d.errorf("empty object (FHIR does not allow empty elements; leave the element out)")
		}
		return nil
	}
	for {
		if d.next() != '"' {
			return d.syntax("expected a member name, found " + d.describe())
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		idx, ok := p.byName[key]
		switch {
		case ok:
			f := &p.fields[idx]
			d.path = append(d.path, pathSeg{f.name, -1})
			if seen[idx>>6]&(1<<(idx&63)) != 0 {
				return d.errorf("element appears twice")
			}
			seen[idx>>6] |= 1 << (idx & 63)
			if f.choice != 0 {
				bit := uint64(1) << (f.choice - 1)
				if choices&bit != 0 {
					return d.errorf("more than one %s[x] element", p.choiceNames[f.choice-1])
				}
				choices |= bit
			}
			present, err := d.value(f, v.Field(f.index))
			if err != nil {
				return err
			}
			d.path = d.path[:len(d.path)-1]
			if present {
				count++
			}
		case key == "resourceType" && p.resourceType != "":
			if sawType {
				d.path = append(d.path, pathSeg{key, -1})
				return d.errorf("element appears twice")
			}
			sawType = true
			rt, err := d.str()
			if err != nil {
				return err
			}
			if rt != p.resourceType {
				return d.errorf("resourceType %q does not match %s", rt, p.resourceType)
			}
		case len(key) > 1 && key[0] == '_':
			if _, isElem := p.byName[key[1:]]; isElem {
				d.path = append(d.path, pathSeg{key, -1})
				return d.errorf("extensions and ids on primitive elements (%q) are not supported", key)
			}
			d.path = append(d.path, pathSeg{key, -1})
			return d.errorf("unknown element")
		default:
			d.path = append(d.path, pathSeg{key, -1})
			return d.errorf("unknown element")
		}
		switch d.next() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			if count == 0 && p.resourceType == "" {
				return d.errorf("empty object (FHIR does not allow empty elements; leave the element out)")
			}
			return d.checkRequired(p, v)
		default:
			return d.syntax("expected ',' or '}' after an object member, found " + d.describe())
		}
	}
}

// checkRequired reports the first element the base specification requires
// that the struct v lacks.
func (d *jsonDecoder) checkRequired(p *plan, v reflect.Value) *DecodeError {
	if name := missingRequired(p, v); name != "" {
		d.path = append(d.path, pathSeg{name, -1})
		return d.errorf("missing required element")
	}
	return nil
}

// missingRequired returns the name of the first required element the
// struct v (addressable) lacks, or "".
func missingRequired(p *plan, v reflect.Value) string {
	if len(p.required) == 0 {
		return ""
	}
	base := v.Addr().UnsafePointer()
	for _, i := range p.required {
		f := &p.fields[i]
		if f.emptyAt(unsafe.Add(base, f.offset)) {
			return f.name
		}
	}
	return ""
}

// value decodes the JSON value of field f into v and reports whether it was
// present (an empty array is read as absent).
func (d *jsonDecoder) value(f *field, v reflect.Value) (bool, *DecodeError) {
	if !f.repeated {
		if d.next() == '[' {
			return false, d.errorf("expected a single value, found an array")
		}
		return true, d.single(f, v)
	}
	if d.next() != '[' {
		return false, d.errorf("expected an array (the element repeats), found %s", d.describe())
	}
	d.pos++
	if d.next() == ']' {
		d.pos++
		return false, nil
	}
	seg := len(d.path) - 1 // an index: nested decoding may reallocate d.path
	for n := 0; ; n++ {
		d.path[seg].index = n
		if d.next() == '[' {
			return false, d.errorf("expected a single value, found an array")
		}
		v.Grow(1)
		v.SetLen(n + 1)
		if err := d.single(f, v.Index(n)); err != nil {
			return false, err
		}
		switch d.next() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			d.path[seg].index = -1
			return true, nil
		default:
			return false, d.syntax("expected ',' or ']' in an array, found " + d.describe())
		}
	}
}

// single decodes one value of the field's kind into v.
func (d *jsonDecoder) single(f *field, v reflect.Value) *DecodeError {
	c := d.next()
	if c == 'n' {
		return d.errorf("null is not allowed (leave the element out)")
	}
	switch f.kind {
	case kStruct:
		if c != '{' {
			return d.errorf("expected an object, found %s", d.describe())
		}
		if f.ptr {
			nv := reflect.New(f.elem)
			if err := d.object(f.sub, nv.Elem()); err != nil {
				return err
			}
			v.Set(nv)
			return nil
		}
		return d.object(f.sub, v)
	case kResource:
		if c != '{' {
			return d.errorf("expected a resource (an object), found %s", d.describe())
		}
		rt, err := d.peekResourceType()
		if err != nil {
			return err
		}
		r := newResource(rt)
		if r == nil {
			return d.errorf("unknown or unsupported resourceType %q", rt)
		}
		rv := reflect.ValueOf(r).Elem()
		if err := d.object(mustPlan(rv.Type()), rv); err != nil {
			return err
		}
		v.Set(reflect.ValueOf(r))
		return nil
	case kBool:
		if c != 't' && c != 'f' {
			return d.errorf("expected a boolean, found %s", d.describe())
		}
		b, err := d.boolean()
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(&b))
		return nil
	case kInteger, kUnsignedInt, kPositiveInt, kDecimal:
		if c != '-' && (c < '0' || c > '9') {
			return d.errorf("expected a number (%s), found %s", kindNames[f.kind], d.describe())
		}
		s, err := d.number()
		if err != nil {
			return err
		}
		return d.setNumber(f, v, s)
	}
	// string kinds and dates: a JSON string
	if c != '"' {
		if f.kind == kString {
			return d.errorf("expected a string, found %s", d.describe())
		}
		return d.errorf("expected a string (%s), found %s", kindNames[f.kind], d.describe())
	}
	s, err := d.str()
	if err != nil {
		return err
	}
	if msg := setString(f, v, s); msg != "" {
		return d.errorf("%s", msg)
	}
	return nil
}

func (d *jsonDecoder) setNumber(f *field, v reflect.Value, s string) *DecodeError {
	if msg := setNumber(f, v, s); msg != "" {
		return d.errorf("%s", msg)
	}
	return nil
}

// setNumber validates the text of an integer or decimal and stores it in v;
// it returns why the text is invalid, or "".
func setNumber(f *field, v reflect.Value, s string) string {
	if f.kind == kDecimal {
		if !isDecimal(s) {
			return "invalid decimal " + strconv.Quote(s) + " (STU3 decimals have no exponent)"
		}
		*v.Addr().Interface().(*Decimal) = Decimal{s}
		return ""
	}
	min := int64(-1 << 31)
	switch f.kind {
	case kUnsignedInt:
		min = 0
	case kPositiveInt:
		min = 1
	}
	n, msg := parseInteger(s, min)
	if msg != "" {
		return "invalid " + kindNames[f.kind] + " " + strconv.Quote(s) + ": " + msg
	}
	v.Set(reflect.ValueOf(&n))
	return ""
}

// setString validates s as a value of the field's string or date kind and
// stores it in v; it returns why s is invalid, or "".
func setString(f *field, v reflect.Value, s string) string {
	if msg := checkString(s); msg != "" {
		return msg
	}
	switch f.kind {
	case kDate:
		if _, err := parseTemporal(s, kindDate); err != nil {
			return "invalid date " + strconv.Quote(s) + ": " + err.Error()
		}
		*v.Addr().Interface().(*Date) = Date{s}
		return ""
	case kDateTime:
		if _, err := parseTemporal(s, kindDateTime); err != nil {
			return "invalid dateTime " + strconv.Quote(s) + ": " + err.Error()
		}
		*v.Addr().Interface().(*DateTime) = DateTime{s}
		return ""
	case kInstant:
		if _, err := parseTemporal(s, kindInstant); err != nil {
			return "invalid instant " + strconv.Quote(s) + ": " + err.Error()
		}
		*v.Addr().Interface().(*Instant) = Instant{s}
		return ""
	case kXHTML:
		if msg := checkXHTML(s); msg != "" {
			return msg
		}
	default:
		if msg := checkPrimitive(f.kind, s); msg != "" {
			return "invalid " + kindNames[f.kind] + " " + strconv.Quote(s) + ": " + msg
		}
		if !f.enumOK(s) {
			return "code " + strconv.Quote(s) + " is not one of " + joinEnum(f.enum)
		}
	}
	v.SetString(s)
	return ""
}

func joinEnum(e []string) string {
	s := ""
	for i, x := range e {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}
