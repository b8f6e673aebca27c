package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/seed/demo"
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

// encodePatientDetails must write exactly what encoding/json writes for
// the same document, whatever the patient holds.
func TestEncodePatientDetailsMatchesEncodingJSON(t *testing.T) {
	check := func(p *pcnhub.Patient) {
		t.Helper()
		want, err := json.Marshal((*patientDetailsOf)(p).details())
		if err != nil {
			t.Fatal(err)
		}
		if got := encodePatientDetails(p); got != string(want) {
			t.Fatalf("encodePatientDetails:\n got  %s\n want %s", got, want)
		}
		var back pcnhub.Patient
		if err := decodePatientDetails(string(want), &back); err != nil {
			t.Fatal(err)
		}
	}
	check(&pcnhub.Patient{})
	check(&pcnhub.Patient{Sensitive: true})
	check(&pcnhub.Patient{Name: pcnhub.HumanName{Given: []string{`Zoë "Jo"`, "<Anne>"}}, InTransit: true,
		Address: pcnhub.Address{Lines: []string{"Flat 1\\2", "Ty\u2028Newydd"}}, Language: "cy"})
	for p := range demo.Patients(7, 3000, 999_300_000, "A999910") {
		check(&p)
	}
	for _, p := range demo.Dataset().Patients {
		check(&p)
	}
}
