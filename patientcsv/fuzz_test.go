package patientcsv

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
)

// FuzzReader reads arbitrary bytes. It checks that the Reader never panics
// or loops, that every error is a *HeaderError, a *RowError or io.EOF, that
// row line numbers increase, and that every patient accepted, written by a
// Writer and read back, is the same patient.
func FuzzReader(f *testing.F) {
	const h = "nhs_number,family_name,given_names,birth_date,gender\n"
	f.Add([]byte(csvFile(f, Columns, record(Columns, baseRow()))))
	f.Add(realisticCSV(5, 1))
	f.Add([]byte("\ufeff" + h + "9434765919,\"O\"\"Brien, Jr\",Mary Ann,1980-05-17,F\r\n"))
	f.Add([]byte(h + "9434765919,\"Smith\nJones\",Mary,1980-05-17,F\n9000000009,Jones,Ann,1990-01-01,F\n"))
	f.Add([]byte(h + "9434765919,Sm\"ith,Mary,1980-05-17,F\n,,,,\n\n9000000009,\"Jon"))
	f.Add([]byte(h + "9434765919,Smith,Mary,1980-05-17\n9434765919,Smith,Mary,1980-05-17,F,x\n"))
	f.Add([]byte("gender,given_names,family_name,birth_date,nhs_number,postcode,email,home_phone,language\n" +
		"m,A  B,C,2000-02-29,943 476 5919,sw1a1aa,a@b,+44 113 496 0000,EN\n"))
	f.Add([]byte(""))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), today)
		if err != nil {
			var he *HeaderError
			if !errors.As(err, &he) && !(len(data) > MaxRowBytes && strings.Contains(err.Error(), "longer than")) {
				t.Fatalf("NewReader: got %v (%T), want a *HeaderError", err, err)
			}
			return
		}
		lastLine := 1
		for calls := 0; ; calls++ {
			if calls > len(data)+1 {
				t.Fatalf("Next has not stopped after %d calls on %d bytes", calls, len(data))
			}
			row, err := r.Next()
			if err == io.EOF {
				if _, err := r.Next(); err != io.EOF {
					t.Fatalf("Next after io.EOF: %v", err)
				}
				return
			}
			line := row.Line
			if err != nil {
				var re *RowError
				if !errors.As(err, &re) {
					if len(data) > MaxRowBytes && strings.Contains(err.Error(), "longer than") {
						return
					}
					t.Fatalf("Next: got %v (%T), want a *RowError or io.EOF", err, err)
				}
				if re.Reason == "" || re.Column < 0 || re.Column > len(re.Fields)+1 {
					t.Errorf("odd RowError %+v", re)
				}
				line = re.Line
			}
			if line <= lastLine {
				t.Fatalf("line %d after line %d", line, lastLine)
			}
			lastLine = line
			if err != nil {
				continue
			}
			got := roundTrip(t, []pcnhub.Patient{row.Patient})
			if len(got) != 1 || !reflect.DeepEqual(got[0], row.Patient) {
				t.Fatalf("round trip changed the patient:\nread    %+v\nwritten %+v\nfields %q", row.Patient, got, row.Fields)
			}
		}
	})
}

// FuzzReaderFields fuzzes the values of a row rather than the bytes of the
// file, so that most inputs give a patient, and checks that every patient
// accepted is written and read back unchanged, and that every rejection
// names a column.
func FuzzReaderFields(f *testing.F) {
	f.Add("9434765919", "Smith", "Mary Jane", "Mrs", "1980-05-17", "F", "1 High Street", "Leeds", "ls6 3ap",
		"0113 496 0000", "mary@example.com", "EN", "yes", "temp", "2001-01-01")
	f.Add(" 943-476-5919 ", "O\"Brien, Jr", " Zoë\u00a0 Ann ", "", "2000-02-29", "unknown", "", "", "SW1A1AA",
		"+44 7700 900123", "a@b", "", "", "", "")
	f.Fuzz(func(t *testing.T, nhs, family, given, title, birth, gender, addr, city, postcode, phone, email, lang, flag, regType, regDate string) {
		row := baseRow()
		for k, v := range map[string]string{
			"nhs_number": nhs, "family_name": family, "given_names": given, "title": title, "birth_date": birth,
			"gender": gender, "address_line_2": addr, "city": city, "postcode": postcode, "mobile_phone": phone,
			"email": email, "language": lang, "sensitive": flag, "registration_type": regType, "registration_date": regDate,
		} {
			row[k] = v
		}
		got, err := readAll(t, csvFile(t, Columns, record(Columns, row)))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("one row read as %d", len(got))
		}
		if got[0].err != nil {
			re := rowErr(t, got[0].err)
			if re.Field == "" && !strings.Contains(re.Reason, "fields but the header has") {
				t.Fatalf("error without a column: %v", re)
			}
			return
		}
		p := got[0].row.Patient
		back := roundTrip(t, []pcnhub.Patient{p})
		if len(back) != 1 || !reflect.DeepEqual(back[0], p) {
			t.Fatalf("round trip changed the patient:\nread    %+v\nwritten %+v", p, back)
		}
	})
}
