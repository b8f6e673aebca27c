package patientcsv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/pcnhub/pcnhub"
)

func TestReadValidRow(t *testing.T) {
	data := csvFile(t, Columns, record(Columns, baseRow()))
	got, err := readAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].err != nil {
		t.Fatalf("got %+v, want one row", got)
	}
	if got[0].row.Line != 2 {
		t.Errorf("Line = %d, want 2", got[0].row.Line)
	}
	if want := basePatient(); !reflect.DeepEqual(got[0].row.Patient, want) {
		t.Errorf("Patient =\n%+v\nwant\n%+v", got[0].row.Patient, want)
	}
	if want := record(Columns, baseRow()); !reflect.DeepEqual(got[0].row.Fields, want) {
		t.Errorf("Fields = %q, want %q", got[0].row.Fields, want)
	}
}

// TestReadValues checks how single values are read: each case changes one
// column of a valid row and checks the field of the patient it affects.
func TestReadValues(t *testing.T) {
	tests := []struct {
		col, value string
		check      func(p *pcnhub.Patient) any
		want       any
	}{
		{"nhs_number", "943 476 5919", func(p *pcnhub.Patient) any { return p.NHSNumber }, pcnhub.NHSNumber("9434765919")},
		{"nhs_number", " 943-476-5919 ", func(p *pcnhub.Patient) any { return p.NHSNumber }, pcnhub.NHSNumber("9434765919")},
		{"given_names", "Mary", func(p *pcnhub.Patient) any { return p.Name.Given }, []string{"Mary"}},
		{"given_names", " Mary  Jane   Ann ", func(p *pcnhub.Patient) any { return p.Name.Given }, []string{"Mary", "Jane", "Ann"}},
		{"given_names", "Zoë\u00a0Siobhán", func(p *pcnhub.Patient) any { return p.Name.Given }, []string{"Zoë", "Siobhán"}},
		{"family_name", "  O'Brien-Smith ", func(p *pcnhub.Patient) any { return p.Name.Family }, "O'Brien-Smith"},
		{"family_name", strings.Repeat("é", 100), func(p *pcnhub.Patient) any { return p.Name.Family }, strings.Repeat("é", 100)},
		{"title", "", func(p *pcnhub.Patient) any { return p.Name.Prefix }, ""},
		{"gender", "MALE", func(p *pcnhub.Patient) any { return p.Gender }, pcnhub.GenderMale},
		{"gender", "u", func(p *pcnhub.Patient) any { return p.Gender }, pcnhub.GenderUnknown},
		{"gender", "Other", func(p *pcnhub.Patient) any { return p.Gender }, pcnhub.GenderOther},
		{"birth_date", "1880-01-01", func(p *pcnhub.Patient) any { return p.BirthDate }, pcnhub.Date{Year: 1880, Month: 1, Day: 1}},
		{"birth_date", "2000-02-29", func(p *pcnhub.Patient) any { return p.BirthDate }, pcnhub.Date{Year: 2000, Month: 2, Day: 29}},
		{"address_line_1", "", func(p *pcnhub.Patient) any { return p.Address.Lines }, []string{"Headingley"}},
		{"postcode", "SW1A1AA", func(p *pcnhub.Patient) any { return p.Address.Postcode }, "SW1A 1AA"},
		{"postcode", "m1 1ae", func(p *pcnhub.Patient) any { return p.Address.Postcode }, "M1 1AE"},
		{"postcode", "b33 8th", func(p *pcnhub.Patient) any { return p.Address.Postcode }, "B33 8TH"},
		{"postcode", "cr2 6xh", func(p *pcnhub.Patient) any { return p.Address.Postcode }, "CR2 6XH"},
		{"postcode", " d n 5 5 1 p t ", func(p *pcnhub.Patient) any { return p.Address.Postcode }, "DN55 1PT"},
		{"postcode", "", func(p *pcnhub.Patient) any { return p.Address.Postcode }, ""},
		{"home_phone", "", func(p *pcnhub.Patient) any { return len(p.Telecom) }, 2},
		{"home_phone", "+441134960000", func(p *pcnhub.Patient) any { return p.Telecom[0] }, pcnhub.ContactPoint{System: "phone", Use: "home", Value: "+441134960000"}},
		{"mobile_phone", "", func(p *pcnhub.Patient) any { return p.Telecom[1] }, pcnhub.ContactPoint{System: "email", Use: "home", Value: "mary@example.com"}},
		{"mobile_phone", "123456789012345", func(p *pcnhub.Patient) any { return p.Telecom[1].Value }, "123456789012345"},
		{"language", "bn", func(p *pcnhub.Patient) any { return p.Language }, "bn"},
		{"language", "Pl", func(p *pcnhub.Patient) any { return p.Language }, "pl"},
		{"language", "", func(p *pcnhub.Patient) any { return p.Language }, ""},
		{"interpreter_required", "YES", func(p *pcnhub.Patient) any { return p.InterpreterRequired }, true},
		{"interpreter_required", "y", func(p *pcnhub.Patient) any { return p.InterpreterRequired }, true},
		{"interpreter_required", "1", func(p *pcnhub.Patient) any { return p.InterpreterRequired }, true},
		{"interpreter_required", "True", func(p *pcnhub.Patient) any { return p.InterpreterRequired }, true},
		{"interpreter_required", "N", func(p *pcnhub.Patient) any { return p.InterpreterRequired }, false},
		{"interpreter_required", "FALSE", func(p *pcnhub.Patient) any { return p.InterpreterRequired }, false},
		{"interpreter_required", "", func(p *pcnhub.Patient) any { return p.InterpreterRequired }, false},
		{"registration_type", "Temporary", func(p *pcnhub.Patient) any { return p.Registration.Type }, pcnhub.RegTemporary},
		{"registration_type", "gms", func(p *pcnhub.Patient) any { return p.Registration.Type }, pcnhub.RegGMS},
		{"registration_status", "INACTIVE", func(p *pcnhub.Patient) any { return p.Registration.Status }, pcnhub.RegInactive},
		{"registration_date", "1980-05-17", func(p *pcnhub.Patient) any { return p.Registration.Start }, pcnhub.Date{Year: 1980, Month: 5, Day: 17}},
		{"registration_date", "2025-06-01", func(p *pcnhub.Patient) any { return p.Registration.Start }, today},
		{"registration_end_date", "2001-01-01", func(p *pcnhub.Patient) any { return p.Registration.End }, pcnhub.Date{Year: 2001, Month: 1, Day: 1}},
		{"registration_end_date", "2030-01-01", func(p *pcnhub.Patient) any { return p.Registration.End }, pcnhub.Date{Year: 2030, Month: 1, Day: 1}},
		{"preferred_branch", " B86001 ", func(p *pcnhub.Patient) any { return p.Registration.PreferredBranch }, pcnhub.ODSCode("B86001")},
		{"sensitive", "yes", func(p *pcnhub.Patient) any { return p.Sensitive }, true},
		{"deceased_date", "2025-06-01", func(p *pcnhub.Patient) any { return p.DeceasedDate }, today},
		{"superseded_by", "900 000 0009", func(p *pcnhub.Patient) any { return p.SupersededBy }, pcnhub.NHSNumber("9000000009")},
		{"merged_into", "9690937278", func(p *pcnhub.Patient) any { return p.MergedInto }, pcnhub.NHSNumber("9690937278")},
		{"in_transit", "TRUE", func(p *pcnhub.Patient) any { return p.InTransit }, true},
		{"dissent_from_sharing", "no", func(p *pcnhub.Patient) any { return p.DissentFromSharing }, false},
	}
	for _, tt := range tests {
		t.Run(tt.col+"="+tt.value, func(t *testing.T) {
			row := baseRow()
			row[tt.col] = tt.value
			got, err := readAll(t, csvFile(t, Columns, record(Columns, row)))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].err != nil {
				t.Fatalf("got %+v, want one valid row", got)
			}
			if v := tt.check(&got[0].row.Patient); !reflect.DeepEqual(v, tt.want) {
				t.Errorf("got %#v, want %#v", v, tt.want)
			}
		})
	}
}

// TestReadBadValues checks every rule: each case changes one column of a
// valid row; the row must be rejected with the right line, column and
// field, and the next (valid) row must still be read.
func TestReadBadValues(t *testing.T) {
	long := strings.Repeat("a", 101)
	tests := []struct {
		col, value string
		reason     string // part of the reason
	}{
		{"nhs_number", "", "must not be empty"},
		{"nhs_number", "9434765918", "check digit is wrong"},
		{"nhs_number", "hello", "only digits"},
		{"nhs_number", "943476591", "10 digits"},
		{"nhs_number", "94347659190", "10 digits"},
		{"nhs_number", "1000000010", "can never be issued"},
		{"family_name", "", "must not be empty"},
		{"family_name", "   ", "must not be empty"},
		{"family_name", "Sm\tith", "control characters"},
		{"family_name", "Sm\x7fith", "control characters"},
		{"family_name", "Sm\u0085ith", "control characters"},
		{"family_name", "Sm\xffith", "not valid UTF-8"},
		{"family_name", long, "at most 100 characters"},
		{"family_name", "Smith\nJones", "control characters"},
		{"given_names", "", "must not be empty"},
		{"given_names", long, "at most 100 characters"},
		{"given_names", "Ma\x00ry", "control characters"},
		{"title", "D\x01r", "control characters"},
		{"title", long, "at most 100 characters"},
		{"birth_date", "", "must not be empty"},
		{"birth_date", "2023-02-29", "does not exist"},
		{"birth_date", "1980-13-01", "does not exist"},
		{"birth_date", "1980-5-17", "YYYY-MM-DD"},
		{"birth_date", "17/05/1980", "YYYY-MM-DD"},
		{"birth_date", "2025-06-02", "must not be after today"},
		{"birth_date", "1879-12-31", "must not be before 1880-01-01"},
		{"gender", "", "must not be empty"},
		{"gender", "x", "must be one of"},
		{"address_line_1", "1\tHigh Street", "control characters"},
		{"address_line_2", long, "at most 100 characters"},
		{"address_line_3", "\xc3", "not valid UTF-8"},
		{"city", long, "at most 100 characters"},
		{"district", "West\rYorkshire", "control characters"},
		{"postcode", "SW1A 1A", "not a UK postcode"},
		{"postcode", "12345", "not a UK postcode"},
		{"postcode", "SW1A 1AAA", "not a UK postcode"},
		{"postcode", "SW1AB 1AA", "not a UK postcode"},
		{"postcode", "S 1AA", "not a UK postcode"},
		{"postcode", "SW1A-1AA", "not a UK postcode"},
		{"postcode", "SW1A 11A", "not a UK postcode"},
		{"home_phone", "0113 496", "10 to 15 digits"},
		{"home_phone", "0113-496-0000", "10 to 15 digits"},
		{"home_phone", "+44 +113 496 0000", "10 to 15 digits"},
		{"home_phone", "1234567890123456", "10 to 15 digits"},
		{"mobile_phone", "07700 90012x", "10 to 15 digits"},
		{"email", "mary.example.com", "one @"},
		{"email", "mary@@example.com", "one @"},
		{"email", "@example.com", "one @"},
		{"email", "mary@", "one @"},
		{"email", "mary smith@example.com", "one @"},
		{"email", "mary@exa\x00mple.com", "one @"},
		{"email", "m@" + strings.Repeat("x", 253), "254 bytes"},
		{"language", "eng", "ISO 639-1"},
		{"language", "e1", "ISO 639-1"},
		{"language", "é", "ISO 639-1"},
		{"interpreter_required", "maybe", "must be true or false"},
		{"interpreter_required", "2", "must be true or false"},
		{"registration_type", "private", "must be GMS or temporary"},
		{"registration_status", "gone", "must be active or inactive"},
		{"registration_date", "1979-01-01", "must not be before birth_date"},
		{"registration_date", "2025-06-02", "must not be after today"},
		{"registration_date", "2001-02-30", "does not exist"},
		{"registration_end_date", "2000-12-31", "must not be before registration_date"},
		{"registration_end_date", "20010101", "YYYY-MM-DD"},
		{"preferred_branch", "b86001", "upper-case"},
		{"preferred_branch", "B8", "3 to 10"},
		{"sensitive", "S", "must be true or false"},
		{"deceased_date", "1980-05-16", "must not be before birth_date"},
		{"deceased_date", "2025-06-02", "must not be after today"},
		{"superseded_by", "9434765919", "must differ from nhs_number"},
		{"superseded_by", "943 476 5919", "must differ from nhs_number"},
		{"superseded_by", "9000000008", "check digit"},
		{"merged_into", "9434765919", "must differ from nhs_number"},
		{"merged_into", "abc", "only digits"},
		{"in_transit", "x", "must be true or false"},
		{"dissent_from_sharing", "nope", "must be true or false"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%q", tt.col, tt.value), func(t *testing.T) {
			// The file's columns are in reverse order, so that the column
			// number differs from the canonical index.
			cols := make([]string, len(Columns))
			for i, c := range Columns {
				cols[len(cols)-1-i] = c
			}
			bad := baseRow()
			bad[tt.col] = tt.value
			good := baseRow()
			good["nhs_number"] = "9000000009"
			if tt.col == "nhs_number" || tt.col == "superseded_by" || tt.col == "merged_into" {
				good["nhs_number"] = "9690937278"
			}
			got, err := readAll(t, csvFile(t, cols, record(cols, bad), record(cols, good)))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Fatalf("got %d results, want 2: %+v", len(got), got)
			}
			re := rowErr(t, got[0].err)
			wantCol := 0
			for i, c := range cols {
				if c == tt.col {
					wantCol = i + 1
				}
			}
			if re.Line != 2 || re.Column != wantCol || re.Field != tt.col || !strings.Contains(re.Reason, tt.reason) {
				t.Errorf("got line %d, column %d, field %q, reason %q; want line 2, column %d, field %q, reason containing %q",
					re.Line, re.Column, re.Field, re.Reason, wantCol, tt.col, tt.reason)
			}
			if want := record(cols, bad); !reflect.DeepEqual(re.Fields, want) {
				t.Errorf("Fields = %q, want %q", re.Fields, want)
			}
			next := 3 + strings.Count(tt.value, "\n")
			if got[1].err != nil || got[1].row.Line != next {
				t.Errorf("the next row gave %v, line %d; want a patient on line %d", got[1].err, got[1].row.Line, next)
			}
		})
	}
}

// TestErrorsHideClinicalText checks that the reason for a wrong name,
// address, phone number or e-mail address does not repeat the value.
func TestErrorsHideClinicalText(t *testing.T) {
	secret := "Zebedee"
	for _, tt := range []struct{ col, value string }{
		{"family_name", secret + "\tX"},
		{"given_names", secret + strings.Repeat("x", 100)},
		{"title", secret + "\x01"},
		{"address_line_1", secret + "\x02"},
		{"city", secret + "\x03"},
		{"district", secret + "\x04"},
		{"postcode", secret},
		{"home_phone", secret},
		{"mobile_phone", secret},
		{"email", secret},
		{"nhs_number", secret},
	} {
		row := baseRow()
		row[tt.col] = tt.value
		got, err := readAll(t, csvFile(t, Columns, record(Columns, row)))
		if err != nil {
			t.Fatal(err)
		}
		re := rowErr(t, got[0].err)
		if strings.Contains(re.Error(), secret) {
			t.Errorf("%s: error %q holds the value", tt.col, re.Error())
		}
	}
}

func TestRowErrorString(t *testing.T) {
	tests := []struct {
		err  *RowError
		want string
	}{
		{&RowError{Line: 12, Column: 3, Field: "given_names", Reason: "must not be empty"}, "line 12, column 3 (given_names): must not be empty"},
		{&RowError{Line: 7, Reason: "row has 20 fields but the header has 23"}, "line 7: row has 20 fields but the header has 23"},
		{&RowError{Line: 7, Column: 30, Reason: "bad"}, "line 7, column 30: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestDuplicateNHSNumber(t *testing.T) {
	a := baseRow()
	b := baseRow()
	b["nhs_number"] = "9000000009"
	c := baseRow()
	c["nhs_number"] = "943 476 5919" // the same as a, written differently
	d := baseRow()
	d["nhs_number"] = "9000000009"
	d["gender"] = "bad" // a duplicate is reported before later problems
	e := baseRow()
	e["nhs_number"] = "9690937278"
	e["gender"] = "bad" // a wrong row still counts as seen
	f := baseRow()
	f["nhs_number"] = "9690937278"
	data := csvFile(t, Columns, record(Columns, a), record(Columns, b), record(Columns, c), record(Columns, d),
		record(Columns, e), record(Columns, f))
	got, err := readAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	type res struct {
		line   int
		reason string
	}
	var gotRes []res
	for _, g := range got {
		if g.err != nil {
			re := rowErr(t, g.err)
			gotRes = append(gotRes, res{re.Line, re.Field + ": " + re.Reason})
		} else {
			gotRes = append(gotRes, res{g.row.Line, ""})
		}
	}
	want := []res{
		{2, ""},
		{3, ""},
		{4, "nhs_number: NHS number already appears on line 2"},
		{5, "nhs_number: NHS number already appears on line 3"},
		{6, `gender: gender "bad" must be one of male, female, other, unknown`},
		{7, "nhs_number: NHS number already appears on line 6"},
	}
	if !reflect.DeepEqual(gotRes, want) {
		t.Errorf("got %v\nwant %v", gotRes, want)
	}
}

func TestHeader(t *testing.T) {
	required := []string{"nhs_number", "family_name", "given_names", "birth_date", "gender"}
	tests := []struct {
		name   string
		data   string
		want   *HeaderError // nil: the header is good
		header []string     // when good: Header()
	}{
		{"all columns", strings.Join(Columns, ",") + "\n", nil, Columns},
		{"required only, any order, any case, spaces",
			" Gender ,BIRTH_DATE,given_names,Family_Name,  nhs_number\n", nil,
			[]string{" Gender ", "BIRTH_DATE", "given_names", "Family_Name", "  nhs_number"}},
		{"quoted names", `"nhs_number","family_name","given_names","birth_date","gender"` + "\n", nil, required},
		{"BOM", "\ufeff" + strings.Join(required, ",") + "\n", nil, required},
		{"BOM and quotes", "\ufeff\"nhs_number\",family_name,given_names,birth_date,gender\r\n", nil, required},
		{"no newline", strings.Join(required, ","), nil, required},
		{"unknown column", "nhs_number,family_name,given_names,birth_date,gender,shoe_size\n",
			&HeaderError{Column: 6, Field: "shoe_size", Reason: "unknown column"}, nil},
		{"duplicate column", "nhs_number,family_name,given_names,birth_date,gender,City,city\n",
			&HeaderError{Column: 7, Field: "city", Reason: "the column appears twice (also column 6)"}, nil},
		{"missing required", "nhs_number,family_name,given_names,gender\n",
			&HeaderError{Field: "birth_date", Reason: "a required column is missing"}, nil},
		{"no header", "9434765919,Smith,Mary,1980-05-17,F\n",
			&HeaderError{Reason: "the first row is not a header: it has none of the column names (nhs_number, family_name, given_names, …)"}, nil},
		{"empty name", "nhs_number,family_name,,given_names,birth_date,gender\n",
			&HeaderError{Column: 3, Reason: "the column has no name"}, nil},
		{"empty file", "", &HeaderError{Reason: "the file is empty: the first row must be the header"}, nil},
		{"blank lines only", "\n\r\n\n", &HeaderError{Reason: "the file is empty: the first row must be the header"}, nil},
		{"BOM only", "\ufeff", &HeaderError{Reason: "the file is empty: the first row must be the header"}, nil},
		{"UTF-16", "\xff\xfen\x00h\x00", &HeaderError{Reason: "the file is UTF-16; save it as CSV UTF-8"}, nil},
		{"bare quote", "nhs_number,fam\"ily_name\n",
			&HeaderError{Column: 2, Reason: `a quote (") in a field that does not start with a quote (byte 15)`}, nil},
		{"unclosed quote", "nhs_number,\"family_name\n",
			&HeaderError{Column: 2, Reason: `a quoted field is not closed, or a quote inside it is not doubled ("") (byte 25)`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.data), today)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("NewReader: %v", err)
				}
				if got := r.Header(); !reflect.DeepEqual(got, tt.header) {
					t.Errorf("Header() = %q, want %q", got, tt.header)
				}
				if _, err := r.Next(); err != io.EOF {
					t.Errorf("Next on a header-only file: %v, want io.EOF", err)
				}
				return
			}
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("got %v (%T), want a *HeaderError", err, err)
			}
			if *he != *tt.want {
				t.Errorf("got %+v, want %+v", *he, *tt.want)
			}
		})
	}
}

func TestHeaderErrorString(t *testing.T) {
	tests := []struct {
		err  *HeaderError
		want string
	}{
		{&HeaderError{Column: 6, Field: "shoe_size", Reason: "unknown column"}, "header, column 6 (shoe_size): unknown column"},
		{&HeaderError{Field: "birth_date", Reason: "a required column is missing"}, "header (birth_date): a required column is missing"},
		{&HeaderError{Reason: "the file is empty"}, "header: the file is empty"},
		{&HeaderError{Column: 2, Field: "a\tb", Reason: "unknown column"}, `header, column 2 ("a\tb"): unknown column`},
		{&HeaderError{Column: 2, Field: strings.Repeat("x", 50), Reason: "unknown column"},
			`header, column 2 ("` + strings.Repeat("x", 40) + `…"): unknown column`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestNewReaderNeedsToday(t *testing.T) {
	_, err := NewReader(strings.NewReader(strings.Join(Columns, ",")), pcnhub.Date{})
	var he *HeaderError
	if err == nil || errors.As(err, &he) {
		t.Errorf("got %v, want a plain error", err)
	}
}

// summary describes what Next returned, for table comparisons: "ok 2" for
// a patient on line 2, "err 3:5 (family_name)" for a RowError.
func summary(t *testing.T, data string) []string {
	t.Helper()
	got, err := readAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range got {
		if g.err == nil {
			out = append(out, fmt.Sprintf("ok %d %s", g.row.Line, g.row.Patient.NHSNumber))
			continue
		}
		re := rowErr(t, g.err)
		out = append(out, fmt.Sprintf("err %d:%d (%s)", re.Line, re.Column, re.Field))
	}
	return out
}

// TestSyntax checks CSV syntax and line numbers. The header has the
// required columns only: nhs_number, family_name, given_names, birth_date,
// gender.
func TestSyntax(t *testing.T) {
	const h = "nhs_number,family_name,given_names,birth_date,gender\n"
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"plain", h + "9434765919,Smith,Mary,1980-05-17,F\n9000000009,Jones,Ann,1990-01-01,F\n",
			[]string{"ok 2 9434765919", "ok 3 9000000009"}},
		{"CRLF", strings.ReplaceAll(h, "\n", "\r\n") + "9434765919,Smith,Mary,1980-05-17,F\r\n9000000009,Jones,Ann,1990-01-01,F\r\n",
			[]string{"ok 2 9434765919", "ok 3 9000000009"}},
		{"no final newline", h + "9434765919,Smith,Mary,1980-05-17,F",
			[]string{"ok 2 9434765919"}},
		{"blank lines", h + "\n\n9434765919,Smith,Mary,1980-05-17,F\n\r\n\n9000000009,Jones,Ann,1990-01-01,F\n\n",
			[]string{"ok 4 9434765919", "ok 7 9000000009"}},
		{"rows of empty fields are skipped", h + ",,,,\n , ,,,\n9434765919,Smith,Mary,1980-05-17,F\n,,\n",
			[]string{"ok 4 9434765919"}},
		{"quoted fields", h + `"9434765919","O""Brien, Jr","Mary Ann","1980-05-17","F"` + "\n",
			[]string{"ok 2 9434765919"}},
		{"multi-line field, then rows", h + "9434765919,\"Smith\nJones\",Mary,1980-05-17,F\n9000000009,Jones,Ann,1990-01-01,F\n9690937278,,Ann,1990-01-01,F\n",
			[]string{"err 2:2 (family_name)", "ok 4 9000000009", "err 5:2 (family_name)"}},
		{"multi-line CRLF field", h + "9434765919,\"Smith\r\n\r\nJones\",Mary,1980-05-17,F\r\n9000000009,Jones,Ann,1990-01-01,F\r\n",
			[]string{"err 2:2 (family_name)", "ok 5 9000000009"}},
		{"too few fields", h + "9434765919,Smith,Mary,1980-05-17\n9000000009,Jones,Ann,1990-01-01,F\n",
			[]string{"err 2:0 ()", "ok 3 9000000009"}},
		{"too many fields", h + "9434765919,Smith,Mary,1980-05-17,F,\n9000000009,Jones,Ann,1990-01-01,F\n",
			[]string{"err 2:0 ()", "ok 3 9000000009"}},
		{"bare quote", h + "9434765919,Sm\"ith,Mary,1980-05-17,F\n9000000009,Jones,Ann,1990-01-01,F\n",
			[]string{"err 2:2 (family_name)", "ok 3 9000000009"}},
		{"text after closing quote", h + "9434765919,Smith,\"Mary\"x,1980-05-17,F\n9000000009,Jones,Ann,1990-01-01,F\n",
			[]string{"err 2:3 (given_names)", "ok 3 9000000009"}},
		{"space before opening quote", h + "9434765919, \"Smith\",Mary,1980-05-17,F\n9000000009,Jones,Ann,1990-01-01,F\n",
			[]string{"err 2:2 (family_name)", "ok 3 9000000009"}},
		{"bare quote beyond the header", h + "9434765919,Smith,Mary,1980-05-17,F,x\"\n",
			[]string{"err 2:6 ()"}},
		{"truncated in the middle of a row", h + "9434765919,Smith,Mary,1980-05-17,F\n9000000009,Jon",
			[]string{"ok 2 9434765919", "err 3:0 ()"}},
		{"truncated inside a quoted field", h + "9434765919,Smith,Mary,1980-05-17,F\n9000000009,\"Jon",
			[]string{"ok 2 9434765919", "err 3:2 (family_name)"}},
		{"truncated inside a multi-line quoted field", h + "9434765919,Smith,Mary,1980-05-17,F\n9000000009,Jones,\"Ann\n\nBeth",
			[]string{"ok 2 9434765919", "err 3:3 (given_names)"}},
		{"unclosed quote swallows the rest", h + "9434765919,\"Smith,Mary,1980-05-17,F\n9000000009,Jones,Ann,1990-01-01,F\n",
			[]string{"err 2:2 (family_name)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(t, tt.data); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSyntaxErrorReason(t *testing.T) {
	const h = "nhs_number,family_name,given_names,birth_date,gender\n"
	tests := []struct {
		data string
		want string
	}{
		{h + "9434765919,Sm\"ith,Mary,1980-05-17,F\n",
			`line 2, column 2 (family_name): a quote (") in a field that does not start with a quote (byte 14)`},
		{h + "9000000009,Jones,\"Ann\n\nBeth",
			`line 2, column 3 (given_names): a quoted field is not closed, or a quote inside it is not doubled ("") (line 4, byte 5)`},
		{h + "9434765919,Smith,Mary,1980-05-17\n",
			"line 2: row has 4 fields but the header has 5"},
	}
	for _, tt := range tests {
		got, err := readAll(t, tt.data)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].err == nil || got[0].err.Error() != tt.want {
			t.Errorf("got %+v, want the error %q", got, tt.want)
		}
	}
}

func TestBOMAndCRLFReadTheSame(t *testing.T) {
	plain := string(realisticCSV(50, 7))
	lf := strings.ReplaceAll(plain, "\r\n", "\n")
	want, err := readAll(t, lf)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 50 {
		t.Fatalf("read %d rows, want 50", len(want))
	}
	for _, data := range []string{plain, "\ufeff" + plain, "\ufeff" + lf} {
		got, err := readAll(t, data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("rows differ from the plain LF file")
		}
	}
}

// TestManyRows reads more rows than fit in a batch, with errors scattered
// through them, and checks that everything comes back in order.
func TestManyRows(t *testing.T) {
	data := realisticCSV(3000, 3)
	lines := strings.SplitAfter(string(data), "\r\n")
	// Break every 97th row (lines[0] is the header, lines[i] is row i
	// on line i+1).
	for i := 97; i < len(lines)-1; i += 97 {
		lines[i] = strings.Replace(lines[i], ",", ",\x01", 1)
	}
	got, err := readAll(t, strings.Join(lines, ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3000 {
		t.Fatalf("got %d results, want 3000", len(got))
	}
	for i, g := range got {
		line := i + 2
		if (i+1)%97 == 0 {
			re := rowErr(t, g.err)
			if re.Line != line || re.Field != "family_name" {
				t.Errorf("row %d: got %v, want an error on line %d", i, re, line)
			}
			continue
		}
		if g.err != nil || g.row.Line != line {
			t.Errorf("row %d: got %v, line %d; want a patient on line %d", i, g.err, g.row.Line, line)
		}
	}
}

func TestBytesRead(t *testing.T) {
	data := realisticCSV(2000, 5)
	r, err := NewReader(bytes.NewReader(data), today)
	if err != nil {
		t.Fatal(err)
	}
	prev := r.BytesRead()
	if prev <= 0 {
		t.Errorf("BytesRead after the header = %d, want > 0", prev)
	}
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n := r.BytesRead(); n < prev {
			t.Fatalf("BytesRead went back from %d to %d", prev, n)
		}
		prev = r.BytesRead()
	}
	if got := r.BytesRead(); got != int64(len(data)) {
		t.Errorf("BytesRead at the end = %d, want %d", got, len(data))
	}
}

// TestRowTooLong checks that a quote that is never closed does not make
// the Reader buffer the rest of the file: it stops with a fatal error.
func TestRowTooLong(t *testing.T) {
	const h = "nhs_number,family_name,given_names,birth_date,gender\n"
	var b strings.Builder
	b.WriteString(h)
	b.WriteString("9434765919,Smith,Mary,1980-05-17,F\n")
	b.WriteString("9000000009,\"Jones,Ann,1990-01-01,F\n")
	for b.Len() < 3*MaxRowBytes {
		b.WriteString("9690937278,Jones,Ann,1990-01-01,F\n")
	}
	r, err := NewReader(strings.NewReader(b.String()), today)
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.Next()
	if err != nil || row.Line != 2 {
		t.Fatalf("first row: %v, line %d", err, row.Line)
	}
	_, err = r.Next()
	var re *RowError
	if err == nil || err == io.EOF || errors.As(err, &re) {
		t.Fatalf("got %v, want a fatal error", err)
	}
	if !strings.Contains(err.Error(), "longer than") {
		t.Errorf("error %q does not say the row is too long", err)
	}
	if n := r.BytesRead(); n > 2*MaxRowBytes {
		t.Errorf("read %d bytes before giving up, want at most %d", n, 2*MaxRowBytes)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Errorf("the next call gave %v, want the same fatal error", err2)
	}
}

func TestReadError(t *testing.T) {
	data := realisticCSV(1000, 9)
	failure := errors.New("disk on fire")
	in := io.MultiReader(bytes.NewReader(data[:len(data)/2]), iotest.ErrReader(failure))
	r, err := NewReader(in, today)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for {
		_, err = r.Next()
		if err != nil {
			break
		}
		rows++
	}
	if !errors.Is(err, failure) {
		t.Fatalf("got %v, want the read error", err)
	}
	if rows < 400 || rows > 500 {
		t.Errorf("read %d rows before the error, want about 500", rows)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Errorf("the next call gave %v, want the same error", err2)
	}
	if _, err := NewReader(iotest.ErrReader(failure), today); !errors.Is(err, failure) {
		t.Errorf("NewReader on a failing reader: %v", err)
	}
}

func TestQuickDate(t *testing.T) {
	// quickDate must accept exactly the dates pcnhub.ParseDate accepts, with
	// the same result.
	check := func(s string) {
		d, ok := quickDate(s)
		want, err := pcnhub.ParseDate(s)
		if ok && (err != nil || d != want) {
			t.Errorf("quickDate(%q) = %v; ParseDate: %v, %v", s, d, want, err)
		}
		if !ok && err == nil {
			t.Errorf("quickDate(%q) rejects a date that ParseDate accepts", s)
		}
	}
	for _, y := range []int{0, 1, 4, 100, 400, 1600, 1700, 1800, 1880, 1899, 1900, 1996, 2000, 2023, 2024, 2100, 2400, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				check(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for y := 1880; y <= 2030; y++ {
		for _, md := range []string{"02-28", "02-29", "02-30", "04-30", "04-31", "12-31", "01-32"} {
			check(fmt.Sprintf("%04d-%s", y, md))
		}
	}
	for _, s := range []string{"", "2024-1-01", "2024-01-1", "2024/01/01", "+024-01-01", "2024-0a-01", "２０２４-01-01", "2024-01-01 "} {
		check(s)
	}
}

func FuzzQuickDate(f *testing.F) {
	f.Add("2024-02-29")
	f.Add("2023-02-29")
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := quickDate(s)
		want, err := pcnhub.ParseDate(s)
		if ok != (err == nil) || ok && d != want {
			t.Errorf("quickDate(%q) = %v, %v; ParseDate = %v, %v", s, d, ok, want, err)
		}
	})
}

func TestQuickGender(t *testing.T) {
	for _, s := range []string{"male", "M", "m", "Male", "female", "F", "f", "Female", "unknown", "U", "u", "Unknown",
		"other", "O", "o", "Other", "MALE", "x", "", "mal"} {
		g := quickGender(s)
		want, err := pcnhub.ParseGender(s)
		if g != "" && (err != nil || g != want) {
			t.Errorf("quickGender(%q) = %q; ParseGender: %q, %v", s, g, want, err)
		}
	}
}

// rowSource generates a demographics CSV of n rows on the fly, so that a
// test can read a file far larger than the memory it expects to use.
type rowSource struct {
	n, i   int
	prefix uint32
	header bool
	buf    []byte
}

func (s *rowSource) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		switch {
		case !s.header:
			s.header = true
			s.buf = []byte(strings.Join(Columns, ",") + "\r\n")
		case s.i == s.n:
			return 0, io.EOF
		default:
			s.i++
			var nhs pcnhub.NHSNumber
			for ok := false; !ok; {
				s.prefix++
				nhs, ok = pcnhub.NHSNumberFromPrefix(s.prefix)
			}
			s.buf = fmt.Appendf(s.buf[:0], "%s,Smith,Mary Jane,Mrs,1980-05-17,F,\"Flat %d, 1 High Street\",%s,,Leeds,West Yorkshire,"+
				"LS6 3AP,0113 496 0000,07700 900123,mary@example.com,en,false,GMS,active,2001-01-01,,B86001,false,,,,false,false\r\n",
				nhs, s.i, strings.Repeat("x", 60))
		}
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// TestMemoryBounded reads a 100 MB file and checks that what the Reader
// keeps is the duplicate set and not the file.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	const rows = 400_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	src := &rowSource{n: rows, prefix: 400_000_000}
	r, err := NewReader(src, today)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if n != rows {
		t.Fatalf("read %d rows, want %d", n, rows)
	}
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	limit := int64(8<<20 + 40*rows)
	t.Logf("file %d MB, %d rows, kept %.1f MB (%.0f bytes per row)", r.BytesRead()>>20, rows, float64(kept)/(1<<20), float64(kept)/rows)
	if kept > limit {
		t.Errorf("the Reader keeps %d bytes after reading %d bytes; want at most %d", kept, r.BytesRead(), limit)
	}
	runtime.KeepAlive(r)
}

// checkParseNHSNumber checks that parseNHSNumber agrees with
// pcnhub.ParseNHSNumber on s.
func checkParseNHSNumber(t *testing.T, s string) {
	t.Helper()
	got, err := parseNHSNumber(s)
	want, wantErr := pcnhub.ParseNHSNumber(s)
	if got != want || (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Errorf("parseNHSNumber(%q) = %q, %v; pcnhub.ParseNHSNumber: %q, %v", s, got, err, want, wantErr)
	}
}

func TestParseNHSNumber(t *testing.T) {
	for _, s := range []string{"9434765919", "9434765918", "1000000010", "1000000019", "0000000000", "943 476 5919",
		"943476591x", "94347659190", "", "hello"} {
		checkParseNHSNumber(t, s)
	}
	for p := uint32(0); p < 1_000_000_000; p += 99_991 {
		for d := 0; d < 10; d++ {
			checkParseNHSNumber(t, fmt.Sprintf("%09d%d", p, d))
		}
	}
}

func FuzzParseNHSNumber(f *testing.F) {
	f.Add("9434765919")
	f.Add("1000000010")
	f.Fuzz(func(t *testing.T, s string) { checkParseNHSNumber(t, s) })
}
