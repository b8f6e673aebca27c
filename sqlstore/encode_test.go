package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/pcnhub/pcnhub"
)

// encodeTelecom must write exactly what encoding/json writes, so that a
// stored value compares equal however it was written.
func TestEncodeTelecomMatchesEncodingJSON(t *testing.T) {
	cases := [][]pcnhub.ContactPoint{
		nil,
		{{System: "phone", Use: "home", Value: "01632 960123"}},
		{{System: "email", Use: "home", Value: `a"b\c<d>&e@example.com`}, {System: "phone", Use: "mobile", Value: "07700 900123"}},
		{{System: "phone", Value: "café \u2028 \x01"}},
	}
	for _, c := range cases {
		want := "[]"
		if len(c) > 0 {
			b, _ := json.Marshal(c)
			want = string(b)
		}
		if got := encodeTelecom(c); got != want {
			t.Errorf("encodeTelecom(%q) = %s, want %s", c, got, want)
		}
		back, err := decodeTelecom(encodeTelecom(c))
		if err != nil || len(back) != len(c) {
			t.Errorf("decode: %v %v", back, err)
		}
	}
}
