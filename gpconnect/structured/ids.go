package structured

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Logical ids. Record item ids may be anything; a FHIR id is
// [A-Za-z0-9\-\.]{1,64}. An item id that is already a valid FHIR id is
// used as it is, so that the same item has the same id in every answer;
// any other is sanitised (each other byte becomes '-') and suffixed with a
// hash of the original, cut to fit 64 characters. Should a candidate be
// taken by something else of the same resource type (a pathological
// record, or a practitioner id the directory already uses), further
// hashes are tried. Everything is deterministic: the same record and query
// give the same ids.

// maxID is the longest FHIR id.
const maxID = 64

// validID reports whether s is a FHIR id.
func validID(s string) bool {
	if len(s) == 0 || len(s) > maxID {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !idByte(s[i]) {
			return false
		}
	}
	return true
}

func idByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// hashed returns a valid id for want: its sanitised form (at most 43
// bytes) followed by "-" and 20 hex digits of the SHA-256 of want and salt.
func hashed(want string, salt int) string {
	h := sha256.New()
	h.Write([]byte(want))
	if salt > 0 {
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(salt)))
	}
	sum := hex.EncodeToString(h.Sum(nil))[:20]
	keep := maxID - len(sum) - 1
	b := make([]byte, 0, maxID)
	for i := 0; i < len(want) && len(b) < keep; i++ {
		c := want[i]
		if !idByte(c) {
			c = '-'
		}
		b = append(b, c)
	}
	if len(b) > 0 {
		b = append(b, '-')
	}
	return string(append(b, sum...))
}

// idKey names one thing to be given an id: its resource type and a key
// unique among the things of that type (a record item id, "drug|…", …).
type idKey struct{ typ, key string }

// ids hands out logical ids, one per thing, unique per resource type.
// The ids of the record's items are decided once, by the builder's index;
// items reports them, and get never hands one out, whatever the type.
type ids struct {
	memo  map[idKey]string
	taken map[idKey]bool // resource type and id in use
	items func(id string) bool
}

func newIDs(n int) *ids {
	return &ids{memo: make(map[idKey]string, n), taken: make(map[idKey]bool, n), items: func(string) bool { return false }}
}

// reserve marks an id of a resource type as in use by a resource given to
// the builder (the Patient, directory entries).
func (a *ids) reserve(typ, id string) {
	if id != "" {
		a.taken[idKey{typ, id}] = true
	}
}

// get returns the id of the thing key of resource type typ, allocating
// want (or a hashed variant) the first time.
func (a *ids) get(typ, key, want string) string {
	k := idKey{typ, key}
	if id, ok := a.memo[k]; ok {
		return id
	}
	id := want
	for salt := 0; !validID(id) || a.taken[idKey{typ, id}] || a.items(id); salt++ {
		id = hashed(want, salt)
	}
	a.memo[k] = id
	a.taken[idKey{typ, id}] = true
	return id
}

// fresh allocates an id (want, or a hashed variant) for a thing asked for
// once only, so not memoised.
func (a *ids) fresh(typ, want string) string {
	id := want
	for salt := 0; !validID(id) || a.taken[idKey{typ, id}] || a.items(id); salt++ {
		id = hashed(want, salt)
	}
	a.taken[idKey{typ, id}] = true
	return id
}
