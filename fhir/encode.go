package fhir

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"
)

// The encoders are on the hot path (a slot search writes thousands of
// resources), so they read struct fields through unsafe pointers at the
// offsets recorded in the plans rather than through reflect.Value (the
// decoders, which write, use reflect, except to check required elements).
// This relies on these layouts:
//   - string-kind fields are Go strings;
//   - Decimal, Date, DateTime and Instant are structs of one string, so their
//     memory is a string;
//   - *bool, *int and *struct fields are pointers;
//   - repeated fields are slices (sliceHeader) of elements of elemSize bytes;
//   - Resource fields are interface values, read as Resource.
// buildPlan only accepts fields of these Go types.

type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// Decimal and the date types must be exactly one string.
var _ = [1]struct{}{}[unsafe.Sizeof(Decimal{})-unsafe.Sizeof("")]
var _ = [1]struct{}{}[unsafe.Sizeof(Date{})-unsafe.Sizeof("")]
var _ = [1]struct{}{}[unsafe.Sizeof(DateTime{})-unsafe.Sizeof("")]
var _ = [1]struct{}{}[unsafe.Sizeof(Instant{})-unsafe.Sizeof("")]

func strAt(p unsafe.Pointer) string { return *(*string)(p) }

// emptyAt reports whether the field at p is absent.
func (f *field) emptyAt(p unsafe.Pointer) bool {
	switch {
	case f.repeated:
		return (*sliceHeader)(p).len == 0
	case f.kind.isString(), f.kind == kDecimal, f.kind.isTemporal():
		return len(strAt(p)) == 0
	case f.ptr:
		return *(*unsafe.Pointer)(p) == nil
	case f.kind == kResource:
		r := *(*Resource)(p)
		if r == nil {
			return true
		}
		rv := reflect.ValueOf(r)
		return rv.Kind() == reflect.Pointer && rv.IsNil()
	}
	return false // a struct value: decided by its content
}

// encState is what the JSON and XML encoders share: the output buffer, the
// nesting depth, the first error met, and the plan of the last resource type
// seen (a Bundle's entries are mostly of one type).
type encState struct {
	buf      []byte
	depth    int
	err      error
	lastType reflect.Type
	lastPlan *plan
}

func (e *encState) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

var errTooDeep = fmt.Errorf("fhir: nesting deeper than %d levels", MaxDepth)

// resourceBase returns the address and plan of the struct behind r, or a nil
// address when r is nil or a nil pointer.
func (e *encState) resourceBase(r Resource) (unsafe.Pointer, *plan, error) {
	if r == nil {
		return nil, nil, nil
	}
	rv := reflect.ValueOf(r)
	var t reflect.Type
	var base unsafe.Pointer
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, nil, nil
		}
		t, base = rv.Type().Elem(), rv.UnsafePointer()
	} else {
		c := reflect.New(rv.Type())
		c.Elem().Set(rv)
		t, base = rv.Type(), c.UnsafePointer()
	}
	if t == e.lastType {
		return base, e.lastPlan, nil
	}
	p, err := planFor(t)
	if err != nil {
		return nil, nil, err
	}
	if p.resourceType == "" {
		return nil, nil, fmt.Errorf("fhir: %v is not a resource", t)
	}
	e.lastType, e.lastPlan = t, p
	return base, p, nil
}

// root returns the address and plan of the resource to marshal.
func (e *encState) root(r Resource) (unsafe.Pointer, *plan, error) {
	base, p, err := e.resourceBase(r)
	if err != nil {
		return nil, nil, err
	}
	if base == nil {
		return nil, nil, errors.New("fhir: Marshal of a nil resource")
	}
	return base, p, nil
}

// choiceCheck records that a member of p's choice group f.choice was written
// and fails if one already was.
func (e *encState) choiceCheck(p *plan, f *field, choices *uint64) {
	if f.choice == 0 {
		return
	}
	bit := uint64(1) << (f.choice - 1)
	if *choices&bit != 0 {
		e.fail(fmt.Errorf("fhir: %v: more than one %s[x] element is set", p.typ, p.choiceNames[f.choice-1]))
	}
	*choices |= bit
}

// bufPool recycles encoding buffers of small answers; Marshal returns a
// copy of exactly the right size, so a pooled buffer never escapes.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// largeOutput is the size from which Marshal hands its buffer over
// instead of copying it: copying a large answer costs as much again, and
// a large buffer would not stay pooled anyway (a pool is emptied by the
// collections that large answers cause).
const largeOutput = 1 << 20

// finish returns the output (or the error) and recycles the buffer: a
// copy of a small output, the buffer itself for a large one.
func (e *encState) finish(bp *[]byte) ([]byte, error) {
	if e.err == nil && len(e.buf) >= largeOutput {
		return e.buf, nil
	}
	var out []byte
	if e.err == nil {
		out = append([]byte(nil), e.buf...)
	}
	if cap(e.buf) <= 64<<20 {
		*bp = e.buf[:0]
		bufPool.Put(bp)
	}
	return out, e.err
}

// bytesPerEntry is the buffer Marshal starts with for each entry of a
// Bundle, about what an entry of a structured record takes: growing a
// buffer by doubling to tens of megabytes copies it many times over.
const bytesPerEntry = 1 << 10

// reserve grows the buffer ahead of encoding r when r is a Bundle with
// many entries.
func (e *encState) reserve(r Resource) {
	if b, ok := r.(*Bundle); ok {
		if need := len(b.Entry) * bytesPerEntry; need > cap(e.buf) {
			e.buf = make([]byte, 0, need)
		}
	}
}

func newEncState() (encState, *[]byte) {
	bp := bufPool.Get().(*[]byte)
	return encState{buf: (*bp)[:0]}, bp
}
