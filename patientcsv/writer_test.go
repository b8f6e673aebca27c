package patientcsv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pcnhub/pcnhub"
	"pgregory.net/rapid"
)

func TestWriterHeaderOnly(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil { // a second Flush does not repeat the header
		t.Fatal(err)
	}
	if want := strings.Join(Columns, ",") + "\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestWriterRow(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	p := basePatient()
	p.Name.Family = `O"Brien, Jr`
	p.Registration.End = pcnhub.Date{Year: 2024, Month: 3, Day: 1}
	p.SupersededBy = "9000000009"
	if err := w.Write(&p); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(Columns, ",") + "\n" +
		`9434765919,"O""Brien, Jr",Mary Jane,Mrs,1980-05-17,female,1 High Street,Headingley,,Leeds,West Yorkshire,LS6 3AP,` +
		`0113 496 0000,+44 7700 900123,mary@example.com,en,false,GMS,active,2001-01-01,2024-03-01,B86001,false,,9000000009,,false,true` + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriterRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *pcnhub.Patient)
		want   string // part of the message
	}{
		{"four address lines", func(p *pcnhub.Patient) { p.Address.Lines = []string{"a", "b", "c", "d"} }, "4 address lines"},
		{"work phone", func(p *pcnhub.Patient) {
			p.Telecom = append(p.Telecom, pcnhub.ContactPoint{System: "phone", Use: "work", Value: "0113 496 0001"})
		}, "phone/work"},
		{"fax", func(p *pcnhub.Patient) {
			p.Telecom = []pcnhub.ContactPoint{{System: "fax", Use: "home", Value: "0113 496 0001"}}
		}, "fax/home"},
		{"two home phones", func(p *pcnhub.Patient) {
			p.Telecom = append(p.Telecom, pcnhub.ContactPoint{System: "phone", Use: "home", Value: "0113 496 0001"})
		}, "more than one home_phone"},
		{"two e-mail addresses", func(p *pcnhub.Patient) {
			p.Telecom = append(p.Telecom, pcnhub.ContactPoint{System: "email", Value: "b@example.com"})
		}, "more than one email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := NewWriter(&b)
			p := basePatient()
			tt.change(&p)
			err := w.Write(&p)
			if pcnhub.ErrorCode(err) != pcnhub.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want EINVALID containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), string(p.NHSNumber)) {
				t.Errorf("error %q holds the whole NHS number", err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if want := strings.Join(Columns, ",") + "\n"; b.String() != want {
				t.Errorf("wrote %q, want the header only", b.String())
			}
		})
	}
}

// TestWriterEmailWithoutUse: an e-mail address without a use is written,
// and reads back as a home e-mail address.
func TestWriterEmailWithoutUse(t *testing.T) {
	p := basePatient()
	p.Telecom = []pcnhub.ContactPoint{{System: "email", Value: "a@example.com"}}
	got := roundTrip(t, []pcnhub.Patient{p})
	if want := []pcnhub.ContactPoint{{System: "email", Use: "home", Value: "a@example.com"}}; !reflect.DeepEqual(got[0].Telecom, want) {
		t.Errorf("got %v, want %v", got[0].Telecom, want)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriterError(t *testing.T) {
	failure := errors.New("disk full")
	w := NewWriter(failWriter{failure})
	p := basePatient()
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = w.Write(&p)
	}
	if err == nil {
		err = w.Flush()
	}
	if !errors.Is(err, failure) {
		t.Errorf("got %v, want the write error", err)
	}
}

// fataler is what roundTrip needs of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// roundTrip writes patients with a Writer and reads them back.
func roundTrip(t fataler, patients []pcnhub.Patient) []pcnhub.Patient {
	t.Helper()
	var b bytes.Buffer
	w := NewWriter(&b)
	for i := range patients {
		if err := w.Write(&patients[i]); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	r, err := NewReader(&b, today)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var out []pcnhub.Patient
	for {
		row, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if want := len(out) + 2; row.Line != want {
			t.Fatalf("Line = %d, want %d", row.Line, want)
		}
		out = append(out, row.Patient)
	}
}

// Generators of valid patients.

var (
	// textRune is a character of a name or address: letters, digits,
	// punctuation (quotes and commas included), symbols and marks from all
	// of Unicode, but no white space or control characters.
	textRune = rapid.RuneFrom([]rune{'a', 'Z', 'é', 'ß', '\'', '-', '"', ',', '.', '\u00e9'}, unicode.L, unicode.N, unicode.P, unicode.S, unicode.M)
	word     = rapid.StringOfN(textRune, 1, 12, -1)
	// text is one to four words separated by single spaces.
	text = rapid.Custom(func(t *rapid.T) string {
		return strings.Join(rapid.SliceOfN(word, 1, 4).Draw(t, "words"), " ")
	})
	optText = rapid.OneOf(rapid.Just(""), text)

	nhsNumber = rapid.Custom(func(t *rapid.T) pcnhub.NHSNumber {
		for {
			if n, ok := pcnhub.NHSNumberFromPrefix(rapid.Uint32Range(0, 999_999_999).Draw(t, "prefix")); ok {
				return n
			}
		}
	})

	upper    = rapid.SampledFrom([]rune("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	digit    = rapid.SampledFrom([]rune("0123456789"))
	alnum    = rapid.SampledFrom([]rune("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
	postcode = rapid.Custom(func(t *rapid.T) string {
		s := rapid.StringOfN(upper, 1, 2, -1).Draw(t, "area") + string(digit.Draw(t, "district")) +
			rapid.StringOfN(alnum, 0, 1, -1).Draw(t, "sub") + " " + string(digit.Draw(t, "sector")) +
			rapid.StringOfN(upper, 2, 2, -1).Draw(t, "unit")
		return s
	})
	phone = rapid.Custom(func(t *rapid.T) string {
		var b strings.Builder
		if rapid.Bool().Draw(t, "plus") {
			b.WriteByte('+')
		}
		n := rapid.IntRange(10, 15).Draw(t, "digits")
		for i := 0; i < n; i++ {
			if i > 0 && rapid.IntRange(0, 3).Draw(t, "space") == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(digit.Draw(t, "digit"))
		}
		return b.String()
	})
	emailRune = rapid.RuneFrom([]rune(`abcXYZ019.-_+'",!#ñ中`))
	email     = rapid.Custom(func(t *rapid.T) string {
		return rapid.StringOfN(emailRune, 1, 30, -1).Draw(t, "local") + "@" + rapid.StringOfN(emailRune, 1, 30, -1).Draw(t, "domain")
	})
	lower    = rapid.SampledFrom([]rune("abcdefghijklmnopqrstuvwxyz"))
	odsCode  = rapid.StringOfN(alnum, 3, 10, -1)
	earliest = earliestBirth
	maxDays  = dayNumber(today) - dayNumber(earliest)

	patientGen = rapid.Custom(func(t *rapid.T) pcnhub.Patient {
		var p pcnhub.Patient
		p.NHSNumber = nhsNumber.Draw(t, "nhs")
		p.Name.Family = text.Draw(t, "family")
		p.Name.Given = rapid.SliceOfN(word, 1, 3).Draw(t, "given")
		p.Name.Prefix = rapid.OneOf(rapid.Just(""), word).Draw(t, "prefix")
		p.BirthDate = earliest.AddDays(rapid.IntRange(0, maxDays).Draw(t, "birth"))
		p.Gender = rapid.SampledFrom([]pcnhub.Gender{pcnhub.GenderMale, pcnhub.GenderFemale, pcnhub.GenderOther, pcnhub.GenderUnknown}).Draw(t, "gender")
		p.Address.Lines = rapid.SliceOfN(text, 0, 3).Draw(t, "lines")
		if len(p.Address.Lines) == 0 {
			p.Address.Lines = nil
		}
		p.Address.City = optText.Draw(t, "city")
		p.Address.District = optText.Draw(t, "district")
		p.Address.Postcode = rapid.OneOf(rapid.Just(""), postcode).Draw(t, "postcode")
		if rapid.Bool().Draw(t, "home") {
			p.Telecom = append(p.Telecom, pcnhub.ContactPoint{System: "phone", Use: "home", Value: phone.Draw(t, "homePhone")})
		}
		if rapid.Bool().Draw(t, "mobile") {
			p.Telecom = append(p.Telecom, pcnhub.ContactPoint{System: "phone", Use: "mobile", Value: phone.Draw(t, "mobilePhone")})
		}
		if rapid.Bool().Draw(t, "hasEmail") {
			p.Telecom = append(p.Telecom, pcnhub.ContactPoint{System: "email", Use: "home", Value: email.Draw(t, "email")})
		}
		p.Language = rapid.OneOf(rapid.Just(""), rapid.StringOfN(lower, 2, 2, -1)).Draw(t, "language")
		p.InterpreterRequired = rapid.Bool().Draw(t, "interpreter")
		p.Registration.Type = rapid.SampledFrom([]pcnhub.RegistrationType{pcnhub.RegGMS, pcnhub.RegTemporary}).Draw(t, "regType")
		p.Registration.Status = rapid.SampledFrom([]pcnhub.RegistrationStatus{pcnhub.RegActive, pcnhub.RegInactive}).Draw(t, "regStatus")
		sinceBirth := dayNumber(today) - dayNumber(p.BirthDate)
		if rapid.Bool().Draw(t, "hasStart") {
			p.Registration.Start = p.BirthDate.AddDays(rapid.IntRange(0, sinceBirth).Draw(t, "start"))
		}
		if rapid.Bool().Draw(t, "hasEnd") {
			from := p.BirthDate
			if !p.Registration.Start.IsZero() {
				from = p.Registration.Start
			}
			p.Registration.End = from.AddDays(rapid.IntRange(0, 20000).Draw(t, "end"))
		}
		p.Registration.PreferredBranch = pcnhub.ODSCode(rapid.OneOf(rapid.Just(""), odsCode).Draw(t, "branch"))
		p.Sensitive = rapid.Bool().Draw(t, "sensitive")
		if rapid.Bool().Draw(t, "deceased") {
			p.DeceasedDate = p.BirthDate.AddDays(rapid.IntRange(0, sinceBirth).Draw(t, "deceasedDate"))
		}
		other := func(label string) pcnhub.NHSNumber {
			if !rapid.Bool().Draw(t, label) {
				return ""
			}
			n := nhsNumber.Filter(func(n pcnhub.NHSNumber) bool { return n != p.NHSNumber }).Draw(t, label+"Number")
			return n
		}
		p.SupersededBy = other("superseded")
		p.MergedInto = other("merged")
		p.InTransit = rapid.Bool().Draw(t, "inTransit")
		p.DissentFromSharing = rapid.Bool().Draw(t, "dissent")
		return p
	})
)

// dayNumber counts days from 0001-01-01, for date arithmetic in generators.
func dayNumber(d pcnhub.Date) int {
	const day = 24 * 60 * 60
	return int(d.Time(time.UTC).Unix()/day) + 719162
}

// TestRoundTrip writes valid patients and reads them back equal.
func TestRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		patients := rapid.SliceOfNDistinct(patientGen, 0, 30, func(p pcnhub.Patient) pcnhub.NHSNumber { return p.NHSNumber }).Draw(t, "patients")
		got := roundTrip(t, patients)
		if len(patients) == 0 {
			patients = nil
		}
		if !reflect.DeepEqual(got, patients) {
			for i := range patients {
				if i < len(got) && !reflect.DeepEqual(got[i], patients[i]) {
					t.Fatalf("patient %d:\ngot  %+v\nwant %+v", i, got[i], patients[i])
				}
			}
			t.Fatalf("got %d patients, want %d", len(got), len(patients))
		}
	})
}

// TestRoundTripMany goes through several batches of the Reader.
func TestRoundTripMany(t *testing.T) {
	var patients []pcnhub.Patient
	r, err := NewReader(bytes.NewReader(realisticCSV(2500, 11)), today)
	if err != nil {
		t.Fatal(err)
	}
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		patients = append(patients, row.Patient)
	}
	if len(patients) != 2500 {
		t.Fatalf("read %d patients, want 2500", len(patients))
	}
	got := roundTrip(t, patients)
	for i := range patients {
		if !reflect.DeepEqual(got[i], patients[i]) {
			t.Fatalf("patient %d:\ngot  %+v\nwant %+v", i, got[i], patients[i])
		}
	}
}

func TestDayNumber(t *testing.T) {
	a := pcnhub.Date{Year: 2024, Month: 2, Day: 28}
	for _, n := range []int{0, 1, 2, 365, 366, 10000} {
		if got := dayNumber(a.AddDays(n)) - dayNumber(a); got != n {
			t.Errorf("dayNumber difference over %d days = %d", n, got)
		}
	}
	if got := fmt.Sprint(dayNumber(pcnhub.Date{Year: 1, Month: 1, Day: 1})); got != "0" {
		t.Errorf("dayNumber(0001-01-01) = %s, want 0", got)
	}
}
