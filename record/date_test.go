package record

import (
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) pcnhub.Date {
	d, err := pcnhub.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// UK clock changes: 2024-03-31 01:00 GMT → 02:00 BST; 2024-10-27 02:00 BST →
// 01:00 GMT. Expected instants are written in UTC from those rules.
func TestInterval(t *testing.T) {
	tests := []struct {
		in         string
		start, end string
	}{
		{"2024", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"},
		{"2024-03", "2024-03-01T00:00:00Z", "2024-03-31T23:00:00Z"},    // ends in BST
		{"2024-04", "2024-03-31T23:00:00Z", "2024-04-30T23:00:00Z"},    // wholly BST
		{"2024-10", "2024-09-30T23:00:00Z", "2024-11-01T00:00:00Z"},    // starts in BST
		{"2024-12", "2024-12-01T00:00:00Z", "2025-01-01T00:00:00Z"},    // year wraps
		{"2024-03-31", "2024-03-31T00:00:00Z", "2024-03-31T23:00:00Z"}, // 23 hours
		{"2024-10-27", "2024-10-26T23:00:00Z", "2024-10-28T00:00:00Z"}, // 25 hours
		{"2024-07-01", "2024-06-30T23:00:00Z", "2024-07-01T23:00:00Z"},
		{"2024-02-29", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"},
		{"2024-07-01T11:50:40+01:00", "2024-07-01T10:50:40Z", "2024-07-01T10:50:40.000000001Z"},
	}
	for _, tt := range tests {
		p, err := ParsePartialDate(tt.in)
		if err != nil {
			t.Fatalf("ParsePartialDate(%q): %v", tt.in, err)
		}
		s, e := p.Interval()
		if !s.Equal(utc(tt.start)) || !e.Equal(utc(tt.end)) {
			t.Errorf("%s: Interval() = [%s, %s), want [%s, %s)", tt.in, s.UTC().Format(time.RFC3339Nano), e.UTC().Format(time.RFC3339Nano), tt.start, tt.end)
		}
		if got := p.String(); got != tt.in {
			t.Errorf("String() = %q, want %q", got, tt.in)
		}
	}
	if s, e := (PartialDate{}).Interval(); !s.IsZero() || !e.IsZero() {
		t.Errorf("unknown date: Interval() = [%v, %v), want zero", s, e)
	}
}

func TestOverlaps(t *testing.T) {
	tests := []struct {
		date     string
		from, to string // "" = open
		want     bool
	}{
		{"", "2024-01-01", "2024-01-01", true}, // unknown always matches
		{"2019", "2019-12-31", "", true},
		{"2019", "2020-01-01", "", false},
		{"2019", "", "2019-01-01", true},
		{"2019", "", "2018-12-31", false},
		{"2019", "2018-06-01", "2020-06-01", true}, // period wider than the year
		{"2019", "2019-06-01", "2019-06-01", true}, // one day inside the year
		{"2020-02", "2020-02-29", "2020-02-29", true},
		{"2020-02", "2020-03-01", "", false},
		{"2020-02", "", "2020-01-31", false},
		{"2024-05-10", "2024-05-10", "2024-05-10", true},
		{"2024-05-10", "2024-05-11", "", false},
		{"2024-05-10", "", "2024-05-09", false},
		// 2024-03-31T23:30Z is 00:30 BST on 1 April.
		{"2024-03-31T23:30:00Z", "2024-04-01", "2024-04-01", true},
		{"2024-03-31T23:30:00Z", "2024-03-31", "2024-03-31", false},
		// 2024-10-26T23:30Z is 00:30 BST on 27 October.
		{"2024-10-26T23:30:00Z", "2024-10-27", "", true},
		{"2024-10-26T23:30:00Z", "", "2024-10-26", false},
		// 2024-10-27T23:30Z is 23:30 GMT on 27 October (clocks went back).
		{"2024-10-27T23:30:00Z", "", "2024-10-27", true},
		{"2024-10-27T23:30:00Z", "2024-10-28", "", false},
		{"2024-01-15T00:00:00Z", "2024-01-15", "2024-01-15", true}, // GMT midnight is the day's first instant
		{"2024-01-14T23:59:59Z", "2024-01-15", "", false},
	}
	for _, tt := range tests {
		p, err := ParsePartialDate(tt.date)
		if err != nil {
			t.Fatal(err)
		}
		var from, to pcnhub.Date
		if tt.from != "" {
			from = day(tt.from)
		}
		if tt.to != "" {
			to = day(tt.to)
		}
		if got := p.Overlaps(from, to); got != tt.want {
			t.Errorf("%q.Overlaps(%s, %s) = %v, want %v", tt.date, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestParsePartialDateRejects(t *testing.T) {
	for _, s := range []string{"19", "+201", "2019-13", "2019-00", "2019-+1", "2019-02-30", "2019-07-01T10:00:00", "yesterday", "2019/07"} {
		if _, err := ParsePartialDate(s); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Errorf("ParsePartialDate(%q) error = %v, want EINVALID", s, err)
		}
	}
	p, err := ParsePartialDate("")
	if err != nil || !p.IsZero() {
		t.Errorf(`ParsePartialDate("") = %v, %v; want unknown, nil`, p, err)
	}
}

func TestPeriodOverlaps(t *testing.T) {
	pd := func(s string) PartialDate {
		p, err := ParsePartialDate(s)
		if err != nil {
			panic(err)
		}
		return p
	}
	tests := []struct {
		start, end string
		from, to   string
		want       bool
	}{
		{"", "", "2024-01-01", "2024-01-31", true},
		{"2024-01-10", "", "2024-02-01", "2024-02-02", true},  // still going
		{"2024-01-10", "", "2024-01-01", "2024-01-09", false}, // starts after
		{"", "2024-01-10", "2024-01-10", "", true},            // ends on from
		{"", "2024-01-10", "2024-01-11", "", false},
		{"2023", "2023-06", "2023-06-30", "", true},
		{"2023", "2023-06", "2023-07-01", "", false},
	}
	for _, tt := range tests {
		var from, to pcnhub.Date
		if tt.from != "" {
			from = day(tt.from)
		}
		if tt.to != "" {
			to = day(tt.to)
		}
		p := Period{pd(tt.start), pd(tt.end)}
		if got := p.Overlaps(from, to); got != tt.want {
			t.Errorf("Period{%q, %q}.Overlaps(%s, %s) = %v, want %v", tt.start, tt.end, tt.from, tt.to, got, tt.want)
		}
	}
}
