package hub

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
)

// A federated search decodes tens of megabytes of slot-search Bundles per
// search (40 practices × 2,000 slots is about 45 MB of FHIR JSON). The
// general FHIR codec reads ~75 MB/s; FlattenJSON reads only what a search
// row needs, with a small scanner that allocates nothing for what it
// skips, and is several times faster. It is exact or it fails: any JSON it
// does not expect returns an error, and the caller decodes the answer the
// general way (FlattenFallback).

// errUnexpected sends a caller to the general decoder.
var errUnexpected = errors.New("hub: unexpected slot-search JSON")

// FlattenJSON is Flatten of a slot-search answer's raw JSON.
func FlattenJSON(raw []byte, ods pcnhub.ODSCode, name string) ([]FoundSlot, error) {
	if !utf8.Valid(raw) {
		return nil, errUnexpected
	}
	s := &scanner{b: raw, interned: map[string]string{}}
	resources := make([]rawResource, 0, bytes.Count(raw, []byte(`"resourceType"`)))
	isBundle := false
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "resourceType":
			v, err := s.str()
			isBundle = v == "Bundle"
			return err
		case "entry":
			return s.array(func() error {
				return s.object(func(key []byte) error {
					if string(key) != "resource" {
						return s.skip()
					}
					var r rawResource
					if err := r.read(s); err != nil {
						return err
					}
					resources = append(resources, r)
					return nil
				})
			})
		}
		return s.skip()
	})
	if err != nil {
		return nil, err
	}
	s.ws()
	if s.i != len(s.b) || !isBundle {
		return nil, errUnexpected
	}
	return flattenRaw(resources, ods, name)
}

// rawResource holds the fields a search row needs of a Slot, Schedule,
// Location or Practitioner.
type rawResource struct {
	kind, id, status, start, end string
	schedule, serviceType        string
	channel, roleCode, roleDisp  string
	category                     string
	actors                       []string
	name                         string // Location.name, or the Practitioner's name
}

func (r *rawResource) read(s *scanner) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "resourceType":
			r.kind, err = s.str()
		case "id":
			r.id, err = s.unique()
		case "status":
			r.status, err = s.str()
		case "start":
			r.start, err = s.str()
		case "end":
			r.end, err = s.str()
		case "schedule":
			err = s.object(func(k []byte) error {
				if string(k) == "reference" {
					r.schedule, err = s.str()
					return err
				}
				return s.skip()
			})
		case "serviceType":
			first := true
			err = s.array(func() error {
				if !first {
					return s.skip()
				}
				first = false
				return s.object(func(k []byte) error {
					if string(k) == "text" {
						r.serviceType, err = s.str()
						return err
					}
					return s.skip()
				})
			})
		case "serviceCategory":
			err = s.object(func(k []byte) error {
				if string(k) == "text" {
					r.category, err = s.str()
					return err
				}
				return s.skip()
			})
		case "extension":
			err = s.array(func() error { return r.extension(s) })
		case "actor":
			err = s.array(func() error {
				return s.object(func(k []byte) error {
					if string(k) == "reference" {
						ref, err := s.str()
						r.actors = append(r.actors, ref)
						return err
					}
					return s.skip()
				})
			})
		case "name":
			err = r.readName(s)
		default:
			err = s.skip()
		}
		return err
	})
}

// extension reads a DeliveryChannel (valueCode) or PractitionerRole
// (valueCodeableConcept) extension; others are skipped.
func (r *rawResource) extension(s *scanner) error {
	var url, code, roleCode, roleDisp string
	err := s.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "url":
			url, err = s.str()
		case "valueCode":
			code, err = s.str()
		case "valueCodeableConcept":
			err = s.object(func(k []byte) error {
				if string(k) != "coding" {
					return s.skip()
				}
				first := true
				return s.array(func() error {
					if !first {
						return s.skip()
					}
					first = false
					return s.object(func(k []byte) error {
						var err error
						switch string(k) {
						case "code":
							roleCode, err = s.str()
						case "display":
							roleDisp, err = s.str()
						default:
							err = s.skip()
						}
						return err
					})
				})
			})
		default:
			err = s.skip()
		}
		return err
	})
	switch url {
	case fhir.ExtDeliveryChannel:
		r.channel = code
	case fhir.ExtPractitionerRole:
		r.roleCode, r.roleDisp = roleCode, roleDisp
	}
	return err
}

// readName reads Location.name (a string) or Practitioner.name (the first
// HumanName, as "prefix given family").
func (r *rawResource) readName(s *scanner) error {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '"' {
		v, err := s.str()
		r.name = v
		return err
	}
	first := true
	return s.array(func() error {
		if !first {
			return s.skip()
		}
		first = false
		var family string
		var given, prefix []string
		err := s.object(func(k []byte) error {
			var err error
			switch string(k) {
			case "family":
				family, err = s.str()
			case "given":
				err = s.array(func() error { v, err := s.str(); given = append(given, v); return err })
			case "prefix":
				err = s.array(func() error { v, err := s.str(); prefix = append(prefix, v); return err })
			default:
				err = s.skip()
			}
			return err
		})
		r.name = strings.TrimSpace(strings.Join(append(append(prefix, given...), family), " "))
		return err
	})
}

// flattenRaw is Flatten over the scanned resources.
func flattenRaw(rs []rawResource, ods pcnhub.ODSCode, name string) ([]FoundSlot, error) {
	byRef := map[string]*rawResource{}
	slots := 0
	for i := range rs {
		r := &rs[i]
		switch r.kind {
		case "Schedule", "Location", "Practitioner":
			byRef[r.kind+"/"+r.id] = r
		case "Slot":
			slots++
		}
	}
	out := make([]FoundSlot, 0, slots)
	times := map[string]time.Time{} // the same start is written by many schedules
	parse := func(v string) (time.Time, error) {
		if t, ok := times[v]; ok {
			return t, nil
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return t, errUnexpected
		}
		times[v] = t
		return t, nil
	}
	for i := range rs {
		r := &rs[i]
		if r.kind != "Slot" || r.status != "free" {
			continue
		}
		f := FoundSlot{Practice: ods, PracticeName: name, SlotID: r.id, SlotType: r.serviceType, Channel: r.channel}
		var err error
		if f.Start, err = parse(r.start); err != nil {
			return nil, err
		}
		if f.End, err = parse(r.end); err != nil {
			return nil, err
		}
		f.ScheduleID = strings.TrimPrefix(r.schedule, "Schedule/")
		if sc := byRef[r.schedule]; sc != nil && r.schedule != "" {
			f.SessionName, f.RoleCode, f.Role = sc.category, sc.roleCode, sc.roleDisp
			for _, a := range sc.actors {
				switch {
				case strings.HasPrefix(a, "Location/"):
					f.LocationID = strings.TrimPrefix(a, "Location/")
					if l := byRef[a]; l != nil {
						f.Location = l.name
					}
				case strings.HasPrefix(a, "Practitioner/"):
					f.PractitionerID = strings.TrimPrefix(a, "Practitioner/")
					if p := byRef[a]; p != nil {
						f.Practitioner = p.name
					}
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// scanner is a minimal JSON reader over a byte slice.
type scanner struct {
	b        []byte
	i        int
	interned map[string]string
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// object reads an object, calling fn with each key (valid until the next
// read) positioned at its value, which fn must consume.
func (s *scanner) object(fn func(key []byte) error) error {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return errUnexpected
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		key, err := s.rawString()
		if err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return errUnexpected
		}
		s.i++
		if err := fn(key); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return errUnexpected
		}
		switch s.b[s.i] {
		case ',':
			s.i++
			s.ws()
		case '}':
			s.i++
			return nil
		default:
			return errUnexpected
		}
	}
}

// array reads an array, calling fn positioned at each element.
func (s *scanner) array(fn func() error) error {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '[' {
		return errUnexpected
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return errUnexpected
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return errUnexpected
		}
	}
}

// rawString reads a string without escapes and returns its bytes (a key
// or value with an escape sends the caller to the general decoder, except
// through str).
func (s *scanner) rawString() ([]byte, error) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, errUnexpected
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return s.b[start:j], nil
		case c == '\\' || c < 0x20:
			return nil, errUnexpected
		}
	}
	return nil, errUnexpected
}

// unique reads a string value that is not worth interning (an id).
func (s *scanner) unique() (string, error) {
	start := s.i
	if v, err := s.rawString(); err == nil {
		return string(v), nil
	}
	s.i = start
	return s.str()
}

// str reads a string value, unescaping it when needed.
func (s *scanner) str() (string, error) {
	s.ws()
	start := s.i
	if v, err := s.rawString(); err == nil {
		// Slot search answers repeat the same few texts (types,
		// channels, references, times) thousands of times: one copy each.
		if str, ok := s.interned[string(v)]; ok {
			return str, nil
		}
		str := string(v)
		if len(s.interned) < 1<<16 {
			s.interned[str] = str
		}
		return str, nil
	}
	s.i = start
	if err := s.skipString(); err != nil {
		return "", err
	}
	v, err := strconv.Unquote(string(s.b[start:s.i]))
	if err != nil {
		return "", errUnexpected // a JSON escape Go does not read the same way (\/): use the general decoder
	}
	return v, nil
}

func (s *scanner) skipString() error {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return errUnexpected
	}
	for j := s.i + 1; j < len(s.b); j++ {
		switch s.b[j] {
		case '\\':
			j++
		case '"':
			s.i = j + 1
			return nil
		}
	}
	return errUnexpected
}

// skip skips any value.
func (s *scanner) skip() error {
	s.ws()
	if s.i >= len(s.b) {
		return errUnexpected
	}
	switch c := s.b[s.i]; {
	case c == '"':
		return s.skipString()
	case c == '{':
		return s.object(func([]byte) error { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == 't' && bytes.HasPrefix(s.b[s.i:], []byte("true")):
		s.i += 4
	case c == 'f' && bytes.HasPrefix(s.b[s.i:], []byte("false")):
		s.i += 5
	case c == 'n' && bytes.HasPrefix(s.b[s.i:], []byte("null")):
		s.i += 4
	case c == '-' || c >= '0' && c <= '9':
		j := s.i + 1
		for j < len(s.b) && strings.IndexByte("0123456789.eE+-", s.b[j]) >= 0 {
			j++
		}
		if _, err := strconv.ParseFloat(string(s.b[s.i:j]), 64); err != nil {
			return errUnexpected
		}
		s.i = j
	default:
		return errUnexpected
	}
	return nil
}
