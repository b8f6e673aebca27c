package pcnhub

import (
	"strings"
	"testing"
)

func TestParseODSCode(t *testing.T) {
	tests := []struct {
		in   string
		want ODSCode // "" when invalid
		why  string
	}{
		{"A81001", "A81001", ""},
		{"Y03079", "Y03079", ""},
		{"U59980", "U59980", ""},
		{"R1A14", "R1A14", ""},
		{"R1A14 ", "R1A14", ""}, // published ODS files carry trailing spaces
		{" A81001\t", "A81001", ""},
		{"01K", "01K", ""},
		{"ABCDEFGHIJ", "ABCDEFGHIJ", ""},

		{"", "", "empty"},
		{"   ", "", "empty"},
		{"a81001", "", "upper-case"},
		{"A81-001", "", "upper-case letters and digits"},
		{"A81 001", "", "upper-case letters and digits"},
		{"A8100É", "", "upper-case letters and digits"},
		{"AB", "", "3 to 10"},
		{"ABCDEFGHIJK", "", "3 to 10"},
	}
	for _, tt := range tests {
		got, err := ParseODSCode(tt.in)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseODSCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != "" || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.why) {
			t.Errorf("ParseODSCode(%q) = %q, %v; want an EINVALID error containing %q", tt.in, got, err, tt.why)
		}
	}
}

func TestODSCodeKinds(t *testing.T) {
	tests := []struct {
		code      ODSCode
		ycode, pc bool
	}{
		{"Y03079", true, false},
		{"U59980", false, true},
		{"A81001", false, false},
		{"Y0307", false, false},
		{"Y030790", false, false},
		{"Y0307A", false, false},
		{"YY3079", false, false},
		{"U5998", false, false},
		{"U5998X", false, false},
		{"u59980", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := tt.code.IsYCode(); got != tt.ycode {
			t.Errorf("%q.IsYCode() = %v, want %v", string(tt.code), got, tt.ycode)
		}
		if got := tt.code.IsPCNCode(); got != tt.pc {
			t.Errorf("%q.IsPCNCode() = %v, want %v", string(tt.code), got, tt.pc)
		}
	}
}

func TestParseASID(t *testing.T) {
	tests := []struct {
		in   string
		want ASID
	}{
		{"200000000359", "200000000359"},
		{" 918999198993\n", "918999198993"},
		{"", ""},
		{"20000000035", ""},
		{"2000000003590", ""},
		{"20000000035X", ""},
		{"200 000 000 359", ""},
		{"-20000000035", ""},
	}
	for _, tt := range tests {
		got, err := ParseASID(tt.in)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseASID(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != "" || ErrorCode(err) != EINVALID {
			t.Errorf("ParseASID(%q) = %q, %v; want an EINVALID error", tt.in, got, err)
		}
	}
}

func FuzzParseODSCode(f *testing.F) {
	for _, s := range []string{"A81001", "R1A14 ", "a81001", "AB", "ABCDEFGHIJK", "", "Y03079", "A8100É"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseODSCode(s)
		if err != nil {
			if c != "" || ErrorCode(err) != EINVALID {
				t.Fatalf("ParseODSCode(%q) = %q, %v", s, c, err)
			}
			return
		}
		if string(c) != strings.TrimSpace(s) {
			t.Fatalf("ParseODSCode(%q) = %q, want the input trimmed", s, c)
		}
		if len(c) < 3 || len(c) > 10 {
			t.Fatalf("ParseODSCode(%q) = %q: length %d", s, c, len(c))
		}
		for i := 0; i < len(c); i++ {
			if !('A' <= c[i] && c[i] <= 'Z' || '0' <= c[i] && c[i] <= '9') {
				t.Fatalf("ParseODSCode(%q) = %q: holds %q", s, c, c[i])
			}
		}
		if again, err := ParseODSCode(string(c)); err != nil || again != c {
			t.Fatalf("ParseODSCode(%q) = %q, %v; want it unchanged", string(c), again, err)
		}
	})
}

func TestOrganisationValidate(t *testing.T) {
	valid := func() Organisation {
		return Organisation{
			ODS:   "A81001",
			ASID:  "200000000359",
			Type:  OrgGPPractice,
			Name:  "The Densham Surgery",
			PCN:   "U59980",
			Sites: []Site{{ODS: "A81001001", Name: "Branch"}},
		}
	}
	tests := []struct {
		name   string
		change func(o *Organisation)
		why    string // part of the message; "" when valid
	}{
		{"valid", func(o *Organisation) {}, ""},
		{"no ASID, PCN or sites", func(o *Organisation) { o.ASID, o.PCN, o.Sites = "", "", nil }, ""},
		{"urgent care", func(o *Organisation) { o.Type = OrgUrgentCare; o.Subtype = "NHS 111" }, ""},
		{"hub with a Y-code", func(o *Organisation) { o.Type, o.ODS = OrgPCNHub, "Y03079" }, ""},
		{"zero list size", func(o *Organisation) { o.ListSize = 0 }, ""},

		{"bad ODS code", func(o *Organisation) { o.ODS = "a81001" }, "upper-case"},
		{"empty ODS code", func(o *Organisation) { o.ODS = "" }, "empty"},
		{"ODS code with a space", func(o *Organisation) { o.ODS = "A81001 " }, "white space"},
		{"unknown type", func(o *Organisation) { o.Type = "hospital" }, "type"},
		{"empty type", func(o *Organisation) { o.Type = "" }, "type"},
		{"hub without a Y-code", func(o *Organisation) { o.Type = OrgPCNHub }, "Y-code"},
		{"bad ASID", func(o *Organisation) { o.ASID = "12345" }, "12 digits"},
		{"ASID with a space", func(o *Organisation) { o.ASID = "200000000359 " }, "white space"},
		{"no name", func(o *Organisation) { o.Name = "" }, "name is required"},
		{"negative list size", func(o *Organisation) { o.ListSize = -1 }, "list size"},
		{"bad PCN", func(o *Organisation) { o.PCN = "Y03079" }, "PCN code"},
		{"bad site", func(o *Organisation) { o.Sites = append(o.Sites, Site{ODS: "x"}) }, "site"},
		{"site with a space", func(o *Organisation) { o.Sites = []Site{{ODS: " A81001001"}} }, "white space"},
	}
	for _, tt := range tests {
		o := valid()
		tt.change(&o)
		err := o.Validate()
		if tt.why == "" {
			if err != nil {
				t.Errorf("%s: got %v, want no error", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.why) {
			t.Errorf("%s: got %v, want EINVALID containing %q", tt.name, err, tt.why)
		}
	}
}

func TestOrgTypeValid(t *testing.T) {
	for typ, want := range map[OrgType]bool{OrgGPPractice: true, OrgUrgentCare: true, OrgPCNHub: true, "": false, "GP-PRACTICE": false} {
		if got := typ.Valid(); got != want {
			t.Errorf("%q.Valid() = %v, want %v", string(typ), got, want)
		}
	}
}

func TestAddressIsZero(t *testing.T) {
	if !(Address{}).IsZero() {
		t.Error("the zero Address is not zero")
	}
	for _, a := range []Address{{Lines: []string{"1 High St"}}, {City: "Leeds"}, {District: "W Yorks"}, {Postcode: "LS1 4AP"}} {
		if a.IsZero() {
			t.Errorf("%+v.IsZero() = true", a)
		}
	}
}
