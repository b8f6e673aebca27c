package pcnhub

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestParseNHSNumber(t *testing.T) {
	tests := []struct {
		in   string
		want NHSNumber // "" when invalid
		why  string    // part of the error message when invalid
	}{
		{"9434765919", "9434765919", ""},
		{"9000000009", "9000000009", ""},
		{"943 476 5919", "9434765919", ""},
		{"943-476-5919", "9434765919", ""},
		{" 9434765919 ", "9434765919", ""},
		{"9690937278", "9690937278", ""},
		{"4010232137", "4010232137", ""},
		{"0000000000", "0000000000", ""}, // check digit 11 → 0

		{"9000000008", "", "check digit is wrong"},
		{"9434765918", "", "check digit is wrong"},
		{"999999999", "", "10 digits, not 9"},
		{"90000000090", "", "10 digits"},
		{"943 476 591", "", "10 digits, not 9"},
		{"hello", "", "only digits"},
		{"943.476.5919", "", "only digits"},
		{"9434765919\n", "", "only digits"},
		{"９４３４７６５９１９", "", "only digits"},         // full-width digits
		{"1000000010", "", "can never be issued"}, // check digit would be 10
		{"1000000019", "", "can never be issued"},
		{"", "", "10 digits, not 0"},
		{"   ", "", "10 digits, not 0"},
	}
	for _, tt := range tests {
		got, err := ParseNHSNumber(tt.in)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseNHSNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != "" {
			t.Errorf("ParseNHSNumber(%q) = %q, %v; want an error", tt.in, got, err)
			continue
		}
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.why) {
			t.Errorf("ParseNHSNumber(%q): error %q (%s), want EINVALID containing %q", tt.in, err, ErrorCode(err), tt.why)
		}
		if len(tt.in) >= 4 && strings.Contains(err.Error(), tt.in) {
			t.Errorf("ParseNHSNumber(%q): error %q repeats the input", tt.in, err)
		}
	}
}

func TestNHSNumberFormats(t *testing.T) {
	tests := []struct {
		n         NHSNumber
		formatted string
		masked    string
	}{
		{"9434765919", "943 476 5919", "******5919"},
		{"9000000009", "900 000 0009", "******0009"},
		{"", "", ""},
		{"123", "123", "***"},
		{"12345", "12345", "******2345"},
	}
	for _, tt := range tests {
		if got := tt.n.Formatted(); got != tt.formatted {
			t.Errorf("%q.Formatted() = %q, want %q", string(tt.n), got, tt.formatted)
		}
		if got := tt.n.Masked(); got != tt.masked {
			t.Errorf("%q.Masked() = %q, want %q", string(tt.n), got, tt.masked)
		}
		if got := tt.n.String(); got != string(tt.n) {
			t.Errorf("%q.String() = %q", string(tt.n), got)
		}
	}
}

func TestNHSNumberIsTestRange(t *testing.T) {
	for n, want := range map[NHSNumber]bool{"9990000018": true, "9434765919": false, "": false} {
		if got := n.IsTestRange(); got != want {
			t.Errorf("%q.IsTestRange() = %v, want %v", string(n), got, want)
		}
	}
}

// TestNHSNumberLogValue logs NHS numbers in the ways code does and checks
// that the JSON never holds the whole number.
func TestNHSNumberLogValue(t *testing.T) {
	n := NHSNumber("9434765919")
	if v := n.LogValue(); v.Kind() != slog.KindString || v.String() != "******5919" {
		t.Errorf("LogValue() = %v (%v), want the string ******5919", v, v.Kind())
	}
	logs := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"key-value", func(l *slog.Logger) { l.Info("found", "nhs", n) }},
		{"Any", func(l *slog.Logger) { l.Info("found", slog.Any("nhs", n)) }},
		{"pointer", func(l *slog.Logger) { l.Info("found", slog.Any("nhs", &n)) }},
		{"group", func(l *slog.Logger) { l.Info("found", slog.Group("patient", "nhs", n, "age", 44)) }},
		{"With", func(l *slog.Logger) { l.With("nhs", n).Warn("found") }},
		{"WithGroup", func(l *slog.Logger) { l.WithGroup("p").Error("found", "nhs", n) }},
	}
	for _, tt := range logs {
		var buf bytes.Buffer
		tt.log(slog.New(slog.NewJSONHandler(&buf, nil)))
		out := buf.String()
		if strings.Contains(out, "9434765919") || strings.Contains(out, "943 476 5919") {
			t.Errorf("%s: the log holds the whole number: %s", tt.name, out)
		}
		if !strings.Contains(out, `"******5919"`) {
			t.Errorf("%s: the log does not hold the masked number: %s", tt.name, out)
		}
	}
}

func TestNHSNumberFromPrefix(t *testing.T) {
	// For each prefix, exactly the digit completed by NHSNumberFromPrefix
	// must make a valid number; when it reports !ok, no digit may.
	check := func(prefix uint32) {
		t.Helper()
		got, ok := NHSNumberFromPrefix(prefix)
		var valid []NHSNumber
		p := string(padNine(prefix))
		for d := byte('0'); d <= '9'; d++ {
			if n, err := ParseNHSNumber(p + string(d)); err == nil {
				valid = append(valid, n)
			}
		}
		switch {
		case ok && (len(valid) != 1 || valid[0] != got):
			t.Errorf("NHSNumberFromPrefix(%d) = %q; ParseNHSNumber accepts %q", prefix, got, valid)
		case !ok && (len(valid) != 0 || got != ""):
			t.Errorf("NHSNumberFromPrefix(%d) = %q, false; ParseNHSNumber accepts %q", prefix, got, valid)
		}
	}
	for p := uint32(0); p < 2000; p++ {
		check(p)
	}
	for p := uint32(943476591); p < 943476591+2000; p++ {
		check(p)
	}
	for p := uint64(0); p < 1_000_000_000; p += 999_983 { // a prime stride across the range
		check(uint32(p))
	}
	check(999_999_999)

	if n, ok := NHSNumberFromPrefix(943476591); !ok || n != "9434765919" {
		t.Errorf("NHSNumberFromPrefix(943476591) = %q, %v; want 9434765919", n, ok)
	}
	for _, p := range []uint32{1_000_000_000, 4_294_967_295} {
		if n, ok := NHSNumberFromPrefix(p); ok || n != "" {
			t.Errorf("NHSNumberFromPrefix(%d) = %q, %v; want \"\", false", p, n, ok)
		}
	}
}

// padNine writes p as nine digits.
func padNine(p uint32) []byte {
	b := make([]byte, 9)
	for i := 8; i >= 0; i-- {
		b[i] = byte('0' + p%10)
		p /= 10
	}
	return b
}

// mod11 computes the Modulus 11 check digit of nine digits, as the NHS
// specifies it, independently of nhsCheckDigit: weights 10 down to 2, the
// remainder of the sum by 11 subtracted from 11; 11 means 0 and 10 means
// the number is invalid (-1).
func mod11(nine string) int {
	weights := [9]int{10, 9, 8, 7, 6, 5, 4, 3, 2}
	total := 0
	for i := 0; i < 9; i++ {
		total += weights[i] * int(nine[i]-'0')
	}
	switch c := 11 - total%11; c {
	case 11:
		return 0
	case 10:
		return -1
	default:
		return c
	}
}

func FuzzParseNHSNumber(f *testing.F) {
	for _, s := range []string{"9434765919", "943 476 5919", "943-476-5919", "9000000008", "1000000010", "", "hello", "94347659190"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNHSNumber(s)
		if err != nil {
			if n != "" || ErrorCode(err) != EINVALID {
				t.Fatalf("ParseNHSNumber(%q) = %q, %v (%s)", s, n, err, ErrorCode(err))
			}
			return
		}
		if len(n) != 10 {
			t.Fatalf("ParseNHSNumber(%q) = %q: not 10 characters", s, n)
		}
		for i := 0; i < 10; i++ {
			if n[i] < '0' || n[i] > '9' {
				t.Fatalf("ParseNHSNumber(%q) = %q: not all digits", s, n)
			}
		}
		if c := mod11(string(n[:9])); c != int(n[9]-'0') {
			t.Fatalf("ParseNHSNumber(%q) = %q: check digit should be %d", s, n, c)
		}
		if again, err := ParseNHSNumber(string(n)); err != nil || again != n {
			t.Fatalf("ParseNHSNumber(%q) = %q, %v; want it unchanged", string(n), again, err)
		}
		if again, err := ParseNHSNumber(n.Formatted()); err != nil || again != n {
			t.Fatalf("ParseNHSNumber(%q) = %q, %v; want %q", n.Formatted(), again, err, n)
		}
	})
}
