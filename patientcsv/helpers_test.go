package patientcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub"
)

// today is the import day used by the tests.
var today = pcnhub.Date{Year: 2025, Month: 6, Day: 1}

// baseRow is a valid row, by canonical column name.
func baseRow() map[string]string {
	return map[string]string{
		"nhs_number":            "9434765919",
		"family_name":           "Smith",
		"given_names":           "Mary Jane",
		"title":                 "Mrs",
		"birth_date":            "1980-05-17",
		"gender":                "F",
		"address_line_1":        "1 High Street",
		"address_line_2":        "",
		"address_line_3":        "Headingley",
		"city":                  "Leeds",
		"district":              "West Yorkshire",
		"postcode":              "ls6  3ap",
		"home_phone":            "0113 496 0000",
		"mobile_phone":          "+44 7700 900123",
		"email":                 "mary@example.com",
		"language":              "EN",
		"interpreter_required":  "no",
		"registration_type":     "",
		"registration_status":   "",
		"registration_date":     "2001-01-01",
		"registration_end_date": "",
		"preferred_branch":      "B86001",
		"sensitive":             "",
		"deceased_date":         "",
		"superseded_by":         "",
		"merged_into":           "",
		"in_transit":            "0",
		"dissent_from_sharing":  "Y",
	}
}

// basePatient is the patient that baseRow reads as.
func basePatient() pcnhub.Patient {
	return pcnhub.Patient{
		NHSNumber: "9434765919",
		Name:      pcnhub.HumanName{Prefix: "Mrs", Given: []string{"Mary", "Jane"}, Family: "Smith"},
		BirthDate: pcnhub.Date{Year: 1980, Month: 5, Day: 17},
		Gender:    pcnhub.GenderFemale,
		Address: pcnhub.Address{
			Lines:    []string{"1 High Street", "Headingley"},
			City:     "Leeds",
			District: "West Yorkshire",
			Postcode: "LS6 3AP",
		},
		Telecom: []pcnhub.ContactPoint{
			{System: "phone", Use: "home", Value: "0113 496 0000"},
			{System: "phone", Use: "mobile", Value: "+44 7700 900123"},
			{System: "email", Use: "home", Value: "mary@example.com"},
		},
		Language: "en",
		Registration: pcnhub.Registration{
			Type:            pcnhub.RegGMS,
			Status:          pcnhub.RegActive,
			Start:           pcnhub.Date{Year: 2001, Month: 1, Day: 1},
			PreferredBranch: "B86001",
		},
		DissentFromSharing: true,
	}
}

// record returns the fields of row in the order of cols.
func record(cols []string, row map[string]string) []string {
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = row[c]
	}
	return rec
}

// csvFile encodes a header and rows with encoding/csv.
func csvFile(t testing.TB, header []string, rows ...[]string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// result is what Next returned, flattened for comparisons.
type result struct {
	row Row
	err error
}

// readAll reads every row and error up to io.EOF or a fatal error (which is
// returned).
func readAll(t testing.TB, data string) ([]result, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(data), today)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var out []result
	for i := 0; ; i++ {
		if i > len(data)+2 {
			t.Fatalf("Next did not stop after %d calls", i)
		}
		row, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		var re *RowError
		if err != nil && !errors.As(err, &re) {
			return out, err
		}
		if err == nil {
			row.Fields = append([]string(nil), row.Fields...)
		}
		out = append(out, result{row, err})
	}
}

// rowErr returns err as a *RowError or fails.
func rowErr(t testing.TB, err error) *RowError {
	t.Helper()
	var re *RowError
	if !errors.As(err, &re) {
		t.Fatalf("got error %v (%T), want a *RowError", err, err)
	}
	return re
}

var (
	families = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
		"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "O'Brien", "Khan", "Begum", "Ahmed",
		"Nowak", "Kowalski", "Müller", "Ó Súilleabháin", "Van der Berg", "Hughes", "Edwards", "Clarke"}
	givens = []string{"Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar",
		"Amelia", "Olivia", "Isla", "Emily", "Poppy", "Ava", "Isabella", "Jessica", "Lily", "Sophie", "Zoë", "Siobhán",
		"Anne", "Mary", "James", "John", "Aisha", "Fatima", "Wojciech", "Chloé"}
	titles  = []string{"", "Mr", "Mrs", "Miss", "Ms", "Dr", "Mx"}
	streets = []string{"High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street",
		"London Road", "Victoria Road", "Green Lane", "Manor Road", "Church Lane", "Park Avenue", "The Avenue"}
	cities = []string{"Leeds", "Bradford", "Wakefield", "Huddersfield", "Halifax", "Harrogate", "York", "Sheffield"}
	langs  = []string{"en", "en", "en", "en", "en", "en", "pl", "ur", "bn", "pa", "ro", "ar"}
)

// realisticCSV returns a header and n valid rows that look like a
// practice export: quoted address fields with commas, a few empty
// optional fields, CRLF line ends.
func realisticCSV(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	must(w.Write(Columns))
	rec := make([]string, numCols)
	prefix := uint32(400_000_000)
	for i := 0; i < n; i++ {
		var nhs pcnhub.NHSNumber
		for {
			prefix += 7
			var ok bool
			if nhs, ok = pcnhub.NHSNumberFromPrefix(prefix); ok {
				break
			}
		}
		clear(rec)
		birth := pcnhub.Date{Year: 1930 + rng.IntN(94), Month: 1, Day: 1}.AddDays(rng.IntN(365))
		rec[colNHS] = nhs.Formatted()
		if rng.IntN(2) == 0 {
			rec[colNHS] = string(nhs)
		}
		rec[colFamily] = pick(families)
		rec[colGiven] = pick(givens)
		if rng.IntN(3) == 0 {
			rec[colGiven] += " " + pick(givens)
		}
		rec[colTitle] = pick(titles)
		rec[colBirth] = birth.String()
		rec[colGender] = []string{"male", "female", "M", "F", "unknown"}[rng.IntN(5)]
		if rng.IntN(4) == 0 {
			rec[colAddr1] = fmt.Sprintf("Flat %d, %d %s", 1+rng.IntN(20), 1+rng.IntN(200), pick(streets))
		} else {
			rec[colAddr1] = fmt.Sprintf("%d %s", 1+rng.IntN(200), pick(streets))
		}
		if rng.IntN(3) == 0 {
			rec[colAddr2] = pick(streets)
		}
		rec[colCity] = pick(cities)
		rec[colDistrict] = "West Yorkshire"
		rec[colPostcode] = fmt.Sprintf("LS%d %d%c%c", 1+rng.IntN(29), rng.IntN(10), 'A'+rng.IntN(26), 'A'+rng.IntN(26))
		if rng.IntN(2) == 0 {
			rec[colHomePhone] = fmt.Sprintf("0113 %03d %04d", rng.IntN(1000), rng.IntN(10000))
		}
		rec[colMobile] = fmt.Sprintf("07700 %06d", rng.IntN(1_000_000))
		if rng.IntN(2) == 0 {
			rec[colEmail] = fmt.Sprintf("%s.%d@example.com", strings.ToLower(pick(givens[:10])), rng.IntN(1000))
		}
		rec[colLanguage] = pick(langs)
		rec[colInterpreter] = "false"
		if rec[colLanguage] != "en" && rng.IntN(2) == 0 {
			rec[colInterpreter] = "true"
		}
		rec[colRegType] = "GMS"
		rec[colRegStatus] = "active"
		reg := birth.AddDays(rng.IntN(20000))
		if today.Before(reg) {
			reg = today
		}
		rec[colRegDate] = reg.String()
		if rng.IntN(3) == 0 {
			rec[colBranch] = "B86001"
		}
		rec[colSensitive] = "false"
		rec[colInTransit] = "false"
		rec[colDissent] = "false"
		if rng.IntN(50) == 0 {
			rec[colDissent] = "true"
		}
		must(w.Write(rec))
	}
	w.Flush()
	must(w.Error())
	return b.Bytes()
}

// must panics on an error that cannot happen (writing to a bytes.Buffer).
func must(err error) {
	if err != nil {
		panic(err)
	}
}
