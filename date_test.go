package pcnhub

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date // zero when invalid
		why  string
	}{
		{"2024-02-29", Date{2024, time.February, 29}, ""},
		{"2000-02-29", Date{2000, time.February, 29}, ""},
		{"1980-05-17", Date{1980, time.May, 17}, ""},
		{"1880-01-01", Date{1880, time.January, 1}, ""},
		{"9999-12-31", Date{9999, time.December, 31}, ""},
		{"0001-01-01", Date{1, time.January, 1}, ""},

		{"2023-02-29", Date{}, "does not exist"},
		{"1900-02-29", Date{}, "does not exist"},
		{"2023-04-31", Date{}, "does not exist"},
		{"2023-13-01", Date{}, "does not exist"},
		{"2023-00-10", Date{}, "does not exist"},
		{"2023-01-00", Date{}, "does not exist"},
		{"2023-1-01", Date{}, "YYYY-MM-DD"},
		{"2023-01-1", Date{}, "YYYY-MM-DD"},
		{"23-01-01", Date{}, "YYYY-MM-DD"},
		{"2023/01/01", Date{}, "YYYY-MM-DD"},
		{"01/02/2023", Date{}, "YYYY-MM-DD"},
		{"2023-01-01T00:00:00Z", Date{}, "YYYY-MM-DD"},
		{" 2023-01-01", Date{}, "YYYY-MM-DD"},
		{"+023-01-01", Date{}, "YYYY-MM-DD"},
		{"2023-+1-01", Date{}, "YYYY-MM-DD"},
		{"", Date{}, "YYYY-MM-DD"},
		{"junk", Date{}, "YYYY-MM-DD"},
		{"yesterday!", Date{}, "YYYY-MM-DD"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.why == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !got.IsZero() || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.why) {
			t.Errorf("ParseDate(%q) = %v, %v; want an EINVALID error containing %q", tt.in, got, err, tt.why)
		}
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{Date{2024, time.February, 29}, "2024-02-29"},
		{Date{1880, time.January, 1}, "1880-01-01"},
		{Date{5, time.March, 7}, "0005-03-07"},
		{Date{9999, time.December, 31}, "9999-12-31"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	// 00:30 on 1 June in London is 23:30 on 31 May in UTC: DateOf uses the
	// time's own zone.
	t1 := time.Date(2025, time.June, 1, 0, 30, 0, 0, London)
	if got, want := DateOf(t1), (Date{2025, time.June, 1}); got != want {
		t.Errorf("DateOf(%v) = %v, want %v", t1, got, want)
	}
	if got, want := DateOf(t1.UTC()), (Date{2025, time.May, 31}); got != want {
		t.Errorf("DateOf(%v) = %v, want %v", t1.UTC(), got, want)
	}
	d := Date{2024, time.March, 31} // the day the clocks go forward
	if got := DateOf(d.Time(London)); got != d {
		t.Errorf("DateOf(%v.Time(London)) = %v", d, got)
	}
}

func TestDateAgeOn(t *testing.T) {
	tests := []struct {
		born, on Date
		want     int
	}{
		{Date{1980, time.May, 17}, Date{2025, time.May, 16}, 44},
		{Date{1980, time.May, 17}, Date{2025, time.May, 17}, 45},
		{Date{1980, time.May, 17}, Date{2025, time.June, 1}, 45},
		{Date{1980, time.May, 17}, Date{2025, time.April, 30}, 44},
		{Date{2000, time.February, 29}, Date{2001, time.February, 28}, 0},
		{Date{2000, time.February, 29}, Date{2001, time.March, 1}, 1},
		{Date{2000, time.February, 29}, Date{2004, time.February, 29}, 4},
		{Date{2024, time.June, 1}, Date{2024, time.June, 1}, 0},
		{Date{2024, time.June, 1}, Date{2025, time.May, 31}, 0},
		{Date{1999, time.December, 31}, Date{2000, time.January, 1}, 0},
	}
	for _, tt := range tests {
		if got := tt.born.AgeOn(tt.on); got != tt.want {
			t.Errorf("%v.AgeOn(%v) = %d, want %d", tt.born, tt.on, got, tt.want)
		}
	}
}

func TestDateAddDays(t *testing.T) {
	tests := []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2024, time.February, 28}, 1, Date{2024, time.February, 29}},
		{Date{2024, time.February, 28}, 2, Date{2024, time.March, 1}},
		{Date{2023, time.February, 28}, 1, Date{2023, time.March, 1}},
		{Date{2023, time.December, 31}, 1, Date{2024, time.January, 1}},
		{Date{2024, time.March, 1}, -1, Date{2024, time.February, 29}},
		{Date{2024, time.January, 1}, -1, Date{2023, time.December, 31}},
		{Date{2024, time.January, 1}, 366, Date{2025, time.January, 1}},
		{Date{2024, time.March, 31}, 1, Date{2024, time.April, 1}}, // BST starts
		{Date{2024, time.October, 27}, 0, Date{2024, time.October, 27}},
	}
	for _, tt := range tests {
		if got := tt.d.AddDays(tt.n); got != tt.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, tt.want)
		}
	}
}

func TestDateBefore(t *testing.T) {
	tests := []struct {
		d, e Date
		want bool
	}{
		{Date{2024, time.May, 1}, Date{2024, time.May, 2}, true},
		{Date{2024, time.May, 2}, Date{2024, time.May, 1}, false},
		{Date{2024, time.May, 1}, Date{2024, time.May, 1}, false},
		{Date{2024, time.April, 30}, Date{2024, time.May, 1}, true},
		{Date{2024, time.December, 31}, Date{2025, time.January, 1}, true},
		{Date{2025, time.January, 1}, Date{2024, time.December, 31}, false},
		{Date{2024, time.June, 1}, Date{2024, time.May, 31}, false},
		{Date{}, Date{1, time.January, 1}, true},
	}
	for _, tt := range tests {
		if got := tt.d.Before(tt.e); got != tt.want {
			t.Errorf("%v.Before(%v) = %v, want %v", tt.d, tt.e, got, tt.want)
		}
	}
}

func TestDateIsZero(t *testing.T) {
	if !(Date{}).IsZero() {
		t.Error("Date{}.IsZero() = false")
	}
	if (Date{2024, time.January, 1}).IsZero() {
		t.Error("2024-01-01 IsZero")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "2023-13-01", "2023-1-01", "", "junk", "0000-01-01", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() || ErrorCode(err) != EINVALID {
				t.Fatalf("ParseDate(%q) = %v, %v", s, d, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if got := DateOf(d.Time(time.UTC)); got != d {
			t.Fatalf("ParseDate(%q) = %#v, which is not a real date (it normalises to %#v)", s, d, got)
		}
		if d.AddDays(1).AddDays(-1) != d || !d.Before(d.AddDays(1)) {
			t.Fatalf("ParseDate(%q) = %v: AddDays and Before disagree", s, d)
		}
	})
}
