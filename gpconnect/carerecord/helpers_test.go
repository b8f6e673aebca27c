package carerecord

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// ---- parsing a narrative for assertions ----

type node struct {
	name  string
	attrs map[string]string
	kids  []*node
	text  string // character data directly inside, in order with <br/> as "\n"
}

// textOf is all the text under n, <br/> as "\n".
func (n *node) textOf() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		b.WriteString(n.text)
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(n)
	return b.String()
}

// all returns the nodes under n (n included) that match.
func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(n *node) {
		if match(n) {
			out = append(out, n)
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(n)
	return out
}

var allowedElements = map[string]bool{"div": true, "h1": true, "h2": true, "p": true, "table": true, "thead": true,
	"tbody": true, "tr": true, "th": true, "td": true, "br": true, "b": true, "i": true, "span": true, "ul": true, "li": true}

// parseNarrative checks that div is well-formed XHTML of our subset — only
// allowed elements, only id and class attributes, one root <div> in the
// XHTML namespace, no carriage return, no <script — and returns its tree.
// Text is kept in document order: each element's text field holds its own
// character data, and a <br/> adds "\n" to its parent.
func parseNarrative(t *testing.T, div string) *node {
	t.Helper()
	if strings.Contains(div, "\r") {
		t.Fatal("narrative holds \\r")
	}
	if strings.Contains(strings.ToLower(div), "<script") || strings.Contains(strings.ToLower(div), "<style") {
		t.Fatal("narrative holds a script or style element")
	}
	d := xml.NewDecoder(strings.NewReader(div))
	d.Strict = true
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("narrative is not well-formed: %v\n%s", err, div)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if x.Name.Space != xhtmlNS {
				t.Fatalf("element %s outside the XHTML namespace", x.Name.Local)
			}
			if !allowedElements[x.Name.Local] {
				t.Fatalf("element <%s> not allowed", x.Name.Local)
			}
			n := &node{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				switch {
				case a.Name.Local == "xmlns" && len(stack) == 0:
				case a.Name.Space == "" && (a.Name.Local == "id" || a.Name.Local == "class"):
					n.attrs[a.Name.Local] = a.Value
				default:
					t.Fatalf("attribute %s:%s not allowed", a.Name.Space, a.Name.Local)
				}
			}
			if len(stack) == 0 {
				if root != nil || n.name != "div" {
					t.Fatal("narrative is not one <div>")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
				if n.name == "br" {
					// keep the break in the text flow of the parent
					p.text += "\n"
				}
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if strings.TrimSpace(string(x)) != "" {
					t.Fatal("text outside the <div>")
				}
				continue
			}
			stack[len(stack)-1].text += string(x)
		default:
			if _, ok := tok.(xml.Comment); !ok {
				t.Fatalf("unexpected token %T", tok)
			}
		}
	}
	if root == nil {
		t.Fatal("empty narrative")
	}
	return root
}

// view is what a test looks at in a narrative.
type view struct {
	root    *node
	h1      string
	h2      []string
	banners map[string][]string // class → texts
	tables  map[string]*tbl     // id → table
	paras   []string            // <p> outside banners and cells
}

type tbl struct {
	head      []string
	headClass []string
	rows      [][]string
	classes   [][]string
}

// col returns the cells of the column with the heading.
func (tb *tbl) col(t *testing.T, head string) []string {
	t.Helper()
	if tb == nil {
		return nil
	}
	for i, h := range tb.head {
		if h == head {
			var out []string
			for _, r := range tb.rows {
				out = append(out, r[i])
			}
			return out
		}
	}
	t.Fatalf("no column %q in %v", head, tb.head)
	return nil
}

func render(t *testing.T, rec *record.Record, req *Request) (string, *view) {
	t.Helper()
	shared, withheld := rec.Shareable()
	div, err := Render(shared, withheld, req, subjectFor(rec.NHSNumber), today)
	if err != nil {
		t.Fatalf("Render %s: %v", req.Section, err)
	}
	return div, inspect(t, div)
}

func inspect(t *testing.T, div string) *view {
	t.Helper()
	root := parseNarrative(t, div)
	v := &view{root: root, banners: map[string][]string{}, tables: map[string]*tbl{}}
	for _, n := range root.all(func(n *node) bool { return n.name == "h1" }) {
		v.h1 = n.textOf()
	}
	for _, n := range root.all(func(n *node) bool { return n.name == "h2" }) {
		v.h2 = append(v.h2, n.textOf())
	}
	inBanner := map[*node]bool{}
	for _, n := range root.all(func(n *node) bool { return strings.HasSuffix(n.attrs["class"], "-banner") }) {
		v.banners[n.attrs["class"]] = append(v.banners[n.attrs["class"]], n.textOf())
		for _, p := range n.all(func(*node) bool { return true }) {
			inBanner[p] = true
		}
	}
	for _, n := range root.all(func(n *node) bool { return n.name == "p" && !inBanner[n] }) {
		v.paras = append(v.paras, n.textOf())
	}
	for _, n := range root.all(func(n *node) bool { return n.name == "table" }) {
		id := n.attrs["id"]
		if _, dup := v.tables[id]; dup || id == "" {
			t.Fatalf("table id %q missing or repeated", id)
		}
		tb := &tbl{}
		for _, th := range n.all(func(n *node) bool { return n.name == "th" }) {
			tb.head = append(tb.head, th.textOf())
			tb.headClass = append(tb.headClass, th.attrs["class"])
		}
		for _, tr := range n.all(func(n *node) bool { return n.name == "tr" }) {
			var row, cls []string
			for _, td := range tr.kids {
				if td.name == "td" {
					row = append(row, td.textOf())
					cls = append(cls, td.attrs["class"])
				}
			}
			if row == nil {
				continue // the head row
			}
			if len(row) != len(tb.head) {
				t.Fatalf("table %s: row of %d cells under %d headings", id, len(row), len(tb.head))
			}
			tb.rows = append(tb.rows, row)
			tb.classes = append(tb.classes, cls)
		}
		v.tables[id] = tb
	}
	return v
}

// ---- records ----

var today = date(2024, 3, 5)

func subjectFor(n pcnhub.NHSNumber) Subject {
	return Subject{
		Patient: Patient{ID: "p1", NHSNumber: n, Name: pcnhub.HumanName{Prefix: "Mrs", Given: []string{"Jane", "Ann"}, Family: "Smith"},
			Gender: pcnhub.GenderFemale, BirthDate: date(1960, 7, 14),
			Address: pcnhub.Address{Lines: []string{"1 High Street"}, City: "Leeds", Postcode: "LS1 1AA"}},
		Practice: Practice{ID: "org1", ODS: "A81001", Name: "The Surgery & Health Centre"},
		GP:       &Practitioner{ID: "gp1", SDSUserID: "G13579135", Name: pcnhub.HumanName{Prefix: "Dr", Given: []string{"Ann"}, Family: "Jones"}},
	}
}

func day(y, m, d int) record.PartialDate { return record.OnDate(date(y, m, d)) }

func snomed(display string) record.Code { return record.SNOMEDCode("1", display) }

func q(v, unit string) record.Quantity { return record.Quantity{Value: v, Unit: unit} }

const richNHS = pcnhub.NHSNumber("9990000018")

// richRecord holds items of every area at known dates (today is
// 05-Mar-2024); ids say what each is. Withheld items: a confidential
// consultation and problem, and an observation awaiting filing.
func richRecord() *record.Record {
	it := func(id string) record.Item { return record.Item{ID: id} }
	conf := func(id string) record.Item { return record.Item{ID: id, Confidential: true} }
	dr := record.Clinician{Name: "Dr Ann Jones"}
	return &record.Record{
		NHSNumber:   richNHS,
		PracticeODS: "A81001",
		Consultations: []record.Consultation{
			{Item: it("c3"), Period: record.Period{Start: day(2022, 11, 20)}, Title: "Chest pain", Clinician: dr},
			{Item: it("c1"), Period: record.Period{Start: record.At(time.Date(2024, 2, 10, 9, 30, 0, 0, time.UTC))},
				Title: "Asthma review", Clinician: dr, Location: "Main Surgery", Type: snomed("Surgery consultation"),
				Topics: []record.Topic{{Title: "Asthma", ProblemID: "p1", Headings: []record.Heading{
					{Code: snomed("History"), Items: []string{"o5"}},
					{Code: snomed("Plan"), Items: []string{"d1", "m3"}},
				}}}},
			{Item: it("c2"), Period: record.Period{Start: day(2023, 6, 1)}, Title: "Telephone consultation"},
			{Item: it("c4"), Period: record.Period{Start: day(2020, 5, 5)}, Title: "Covid assessment"},
			{Item: it("c5"), Title: "Old paper record"},
			{Item: conf("c6"), Period: record.Period{Start: day(2023, 1, 1)}, Title: "Sexual health"},
		},
		Problems: []record.Problem{
			{Item: it("p1"), Code: snomed("Asthma"), Status: record.ProblemActive, Significance: record.Major, Onset: day(2010, 4, 1)},
			{Item: it("p2"), Code: snomed("Eczema"), Status: record.ProblemActive, Significance: record.Minor, Onset: record.YearOnly(2015)},
			{Item: it("p3"), Code: snomed("Fractured radius"), Status: record.ProblemInactive, Significance: record.Major, Onset: day(2019, 6, 1), Abatement: day(2019, 9, 1)},
			{Item: it("p4"), Code: snomed("Tonsillitis"), Status: record.ProblemInactive, Significance: record.Minor, Onset: day(2021, 2, 1), Abatement: day(2021, 2, 14)},
			{Item: it("p5"), Code: snomed("Back pain"), Status: record.ProblemInactive, Onset: record.YearMonth(2016, 3), Abatement: record.YearMonth(2016, 5)},
			{Item: conf("p6"), Code: snomed("Depression"), Status: record.ProblemActive, Significance: record.Major, Onset: day(2018, 1, 1)},
		},
		Allergies: []record.Allergy{
			{Item: it("a1"), Code: snomed("Penicillin allergy"), Substance: snomed("Penicillin"), Manifestations: []record.Code{snomed("Rash")},
				Onset: record.YearOnly(2005), Status: record.AllergyActive, Category: "medication"},
			{Item: it("a2"), Code: snomed("Egg allergy"), Onset: record.YearOnly(1990), Status: record.AllergyResolved, Ended: record.YearOnly(2000), EndReason: "Outgrown"},
		},
		Medications: []record.Medication{
			{Item: it("m1"), Drug: snomed("Amoxicillin 500mg capsules"), Authorisation: record.Authorisation{Type: record.PrescriptionAcute,
				Effective: record.Period{Start: day(2024, 1, 10), End: day(2024, 1, 17)}, Status: "completed", Dosage: "One three times a day",
				Quantity: q("21", "capsule"), SupplyDays: 7}, Issues: []record.Issue{{ID: "m1i1", Date: day(2024, 1, 10)}}},
			{Item: it("m2"), Drug: snomed("Prednisolone 5mg tablets"), Authorisation: record.Authorisation{Type: record.PrescriptionAcute,
				Effective: record.Period{Start: day(2022, 5, 1)}}},
			{Item: it("m3"), Drug: snomed("Salbutamol 100micrograms inhaler"), Authorisation: record.Authorisation{Type: record.PrescriptionRepeat,
				Effective: record.Period{Start: day(2015, 1, 1)}, Status: "active", Dosage: "Two puffs when required", RepeatsAllowed: 6,
				ReviewDate: day(2024, 6, 1)},
				Issues: []record.Issue{{ID: "m3i1", Date: day(2019, 6, 1)}, {ID: "m3i2", Date: day(2023, 12, 1)}, {ID: "m3i3", Date: day(2024, 2, 1)}}},
			{Item: it("m4"), Drug: snomed("Ramipril 5mg capsules"), Authorisation: record.Authorisation{Type: record.PrescriptionRepeat,
				Effective: record.Period{Start: day(2018, 1, 1), End: day(2021, 6, 30)}, Status: "stopped", StoppedReason: "Cough"},
				Issues: []record.Issue{{ID: "m4i1", Date: day(2020, 5, 1), Quantity: q("28", "capsule")}, {ID: "m4i2", Date: day(2021, 6, 1)}}},
			{Item: it("m5"), Drug: snomed("Metformin 500mg tablets"), Authorisation: record.Authorisation{Type: record.PrescriptionRepeatDispensing,
				Effective: record.Period{Start: day(2020, 1, 1)}, Status: "active"}},
			{Item: it("m6"), Drug: snomed("Hospital antibiotic"), Authorisation: record.Authorisation{Type: record.PrescriptionAcute,
				PrescribedElsewhere: true, Effective: record.Period{Start: day(2019, 3, 1), End: day(2019, 3, 8)}}},
		},
		Observations: []record.Observation{
			{Item: it("o1"), Code: snomed("Blood pressure"), Effective: day(2023, 11, 1), Components: []record.Component{
				{Code: record.SystolicCode, Value: q("130", "mmHg")}, {Code: record.DiastolicCode, Value: q("85", "mmHg")}}},
			{Item: it("o2"), Code: snomed("HbA1c"), Effective: day(2022, 2, 2), Value: q("48", "mmol/mol"),
				Range: &record.ReferenceRange{Low: q("20", "mmol/mol"), High: q("41", "mmol/mol")}, Interpretation: "high"},
			{Item: it("o3"), Code: snomed("Smoker"), Effective: day(2020, 7, 7)},
			{Item: it("o4"), Code: snomed(`<script>alert("x")</script> & Sons`), Effective: day(2021, 1, 1), Comment: "line1\r\nline2\rline3"},
			{Item: it("o5"), Code: snomed("Peak flow"), Effective: day(2024, 2, 10), Value: q("400", "L/min")},
			{Item: record.Item{ID: "o6", AwaitingFiling: true}, Code: snomed("Lab report pending"), Effective: day(2024, 3, 1)},
		},
		Investigations: []record.Investigation{
			{Item: it("inv1"), Code: snomed("Full blood count"), Effective: day(2022, 2, 2), Status: "final", Results: []string{"tr1", "fc1"},
				Performer: "Leeds Pathology"},
		},
		TestResults: []record.TestResult{
			{Item: it("tr1"), Kind: record.ResultValue, Code: snomed("Haemoglobin"), Effective: day(2022, 2, 2), Value: q("135", "g/L")},
			{Item: it("fc1"), Kind: record.ResultFilingComment, Effective: day(2022, 2, 3), Comment: "Normal, no action"},
		},
		Immunisations: []record.Immunisation{
			{Item: it("i1"), Kind: record.ImmunisationGiven, Vaccine: snomed("Influenza vaccine"), Date: day(2023, 10, 1), Dose: 1, Batch: "AB12"},
			{Item: it("i2"), Kind: record.ImmunisationNotGiven, Vaccine: snomed("MMR vaccine"), Date: record.YearOnly(2001), Reason: snomed("Parent declined")},
		},
		Referrals: []record.Referral{
			{Item: record.Item{ID: "r1", Author: dr}, Date: day(2023, 4, 4), Service: "Cardiology", Priority: "urgent", Reason: snomed("Chest pain")},
			{Item: it("r2"), Date: day(2019, 9, 9), Service: "Physiotherapy", Priority: "routine"},
		},
		DiaryEntries: []record.DiaryEntry{
			{Item: it("d1"), Code: snomed("Asthma review recall"), Due: day(2024, 9, 1), Status: "planned"},
		},
		Documents: []record.Document{
			{Item: it("doc1"), Title: "Discharge summary", Type: snomed("Discharge letter"), Created: day(2021, 3, 3), Custodian: "RR8"},
		},
	}
}

func timeUTC(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC)
}
