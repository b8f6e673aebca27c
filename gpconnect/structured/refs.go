package structured

import (
	"reflect"
	"strings"
	"sync"

	"github.com/pcnhub/pcnhub/fhir"
)

// The resources the caller gives the builder (the Patient, the practice,
// the directory's practitioners, roles and organisations) are copied into
// the Bundle as they are, except that a reference among them to something
// the Bundle cannot hold is removed, so that every reference in the Bundle
// resolves. These helpers walk any package fhir struct by reflection; they
// run on a handful of resources per answer.

var (
	referenceType = reflect.TypeOf(fhir.Reference{})
	extensionType = reflect.TypeOf(fhir.Extension{})
)

// eachReference calls f with every Reference in r, contained resources
// included.
func eachReference(r fhir.Resource, f func(*fhir.Reference)) {
	if r == nil {
		return
	}
	walkRefs(reflect.ValueOf(r), f)
}

func walkRefs(v reflect.Value, f func(*fhir.Reference)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkRefs(v.Elem(), f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkRefs(v.Index(i), f)
		}
	case reflect.Struct:
		if v.Type() == referenceType && v.CanAddr() {
			f(v.Addr().Interface().(*fhir.Reference))
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkRefs(v.Field(i), f)
			}
		}
	}
}

// withResolvableRefs returns r, or, when r holds a reference that neither
// resolves nor names one of r's contained resources, a deep copy of r
// without it: a repeated element holding such a
// reference is removed from its list, a single one is cleared, and an
// element left without a required child, or an extension left without a
// value, goes with it.
func withResolvableRefs(r fhir.Resource, resolves func(string) bool) fhir.Resource {
	contained := containedIDs(r)
	keep := func(ref string) bool {
		if strings.HasPrefix(ref, "#") {
			return ref == "#" || contained[ref[1:]]
		}
		return resolves(ref)
	}
	bad := false
	eachReference(r, func(ref *fhir.Reference) {
		if ref.Reference != "" && !keep(ref.Reference) {
			bad = true
		}
	})
	if !bad {
		return r
	}
	c := deepCopy(reflect.ValueOf(r))
	prune(c.Elem(), keep)
	return c.Interface().(fhir.Resource)
}

// deepCopy copies a value of a package fhir type: structs, pointers,
// slices and interfaces are copied; strings (and the string-backed
// Decimal, Date, DateTime and Instant) are immutable and shared.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(deepCopy(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				n.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return n
	}
	return v
}

// prune removes the references keep refuses from v, a settable struct,
// and reports whether v itself must go: it is such a reference, an
// element that lost a required child, or an extension left empty.
func prune(v reflect.Value, keep func(string) bool) (drop bool) {
	t := v.Type()
	if t == referenceType {
		ref := v.Addr().Interface().(*fhir.Reference)
		if ref.Reference != "" && !keep(ref.Reference) {
			return true
		}
	}
	req := requiredFields(t)
	for i := 0; i < v.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Pointer:
			if fv.IsNil() || fv.Elem().Kind() != reflect.Struct {
				continue
			}
			if prune(fv.Elem(), keep) {
				fv.Set(reflect.Zero(fv.Type()))
				if req[i] {
					drop = true
				}
			}
		case reflect.Struct:
			if prune(fv, keep) {
				fv.Set(reflect.Zero(fv.Type()))
				if req[i] {
					drop = true
				}
			}
		case reflect.Slice:
			if fv.IsNil() {
				continue
			}
			if fv.Type().Elem().Kind() == reflect.Interface {
				for j := 0; j < fv.Len(); j++ {
					if e := fv.Index(j); !e.IsNil() && e.Elem().Kind() == reflect.Pointer && e.Elem().Elem().Kind() == reflect.Struct {
						prune(e.Elem().Elem(), keep) // a contained resource stays
					}
				}
				continue
			}
			if fv.Type().Elem().Kind() != reflect.Struct {
				continue
			}
			n := 0
			for j := 0; j < fv.Len(); j++ {
				if !prune(fv.Index(j), keep) {
					fv.Index(n).Set(fv.Index(j))
					n++
				}
			}
			if n < fv.Len() {
				if n == 0 {
					fv.Set(reflect.Zero(fv.Type()))
					if req[i] {
						drop = true
					}
				} else {
					fv.SetLen(n)
				}
			}
		case reflect.Interface:
			if !fv.IsNil() && fv.Elem().Kind() == reflect.Pointer && fv.Elem().Elem().Kind() == reflect.Struct {
				prune(fv.Elem().Elem(), keep) // a contained resource stays
			}
		}
	}
	if t == extensionType && !drop {
		ext := v.Addr().Interface().(*fhir.Extension)
		if len(ext.Extension) == 0 && !extensionHasValue(v) {
			drop = true
		}
	}
	return drop
}

// extensionHasValue reports whether an Extension holds a value[x].
func extensionHasValue(v reflect.Value) bool {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if strings.HasPrefix(t.Field(i).Name, "Value") && !v.Field(i).IsZero() {
			return true
		}
	}
	return false
}

var requiredCache sync.Map // reflect.Type → []bool

// requiredFields reports, per field of t, whether its fhir tag says req.
func requiredFields(t reflect.Type) []bool {
	if r, ok := requiredCache.Load(t); ok {
		return r.([]bool)
	}
	req := make([]bool, t.NumField())
	for i := range req {
		tag := t.Field(i).Tag.Get("fhir")
		for _, o := range strings.Split(tag, ",")[1:] {
			if o == "req" {
				req[i] = true
			}
		}
	}
	requiredCache.Store(t, req)
	return req
}

// containedIDs returns the ids of a resource's contained resources.
func containedIDs(r fhir.Resource) map[string]bool {
	v := reflect.ValueOf(r)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Contained")
	if !f.IsValid() || f.Kind() != reflect.Slice {
		return nil
	}
	out := map[string]bool{}
	for i := 0; i < f.Len(); i++ {
		if c, ok := f.Index(i).Interface().(fhir.Resource); ok && c != nil {
			out[fhir.LogicalID(c)] = true
		}
	}
	return out
}
