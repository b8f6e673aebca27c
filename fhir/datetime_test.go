package fhir_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub/fhir"
)

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		in        string
		prec      fhir.Precision
		hasOffset bool
		z         bool
		want      time.Time // Time(); zero to skip
		offset    int       // of Time(), seconds east of UTC
		err       string    // substring of the error; "" for valid
	}{
		{in: "2017", prec: fhir.PrecisionYear, want: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)},
		{in: "2017-05", prec: fhir.PrecisionMonth, want: time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)},
		{in: "2017-05-30", prec: fhir.PrecisionDay, want: time.Date(2017, 5, 30, 0, 0, 0, 0, time.UTC)},
		{in: "2017-05-30T10:00:00+01:00", prec: fhir.PrecisionSecond, hasOffset: true,
			want: time.Date(2017, 5, 30, 9, 0, 0, 0, time.UTC), offset: 3600},
		{in: "2017-12-30T10:00:00+00:00", prec: fhir.PrecisionSecond, hasOffset: true,
			want: time.Date(2017, 12, 30, 10, 0, 0, 0, time.UTC), offset: 0},
		{in: "2017-05-30T10:00:00Z", prec: fhir.PrecisionSecond, hasOffset: true, z: true,
			want: time.Date(2017, 5, 30, 10, 0, 0, 0, time.UTC)},
		{in: "2017-05-30T10:00:00.5-05:30", prec: fhir.PrecisionFraction, hasOffset: true,
			want: time.Date(2017, 5, 30, 15, 30, 0, 500000000, time.UTC), offset: -5*3600 - 1800},
		{in: "2017-05-30T10:00:00.1234567891234Z", prec: fhir.PrecisionFraction, hasOffset: true, z: true,
			want: time.Date(2017, 5, 30, 10, 0, 0, 123456789, time.UTC)},
		{in: "2016-02-29", prec: fhir.PrecisionDay},
		{in: "2000-02-29", prec: fhir.PrecisionDay},
		{in: "2017-01-01T23:59:59+14:00", prec: fhir.PrecisionSecond, hasOffset: true},
		{in: "2017-01-01T00:00:00-13:59", prec: fhir.PrecisionSecond, hasOffset: true},
		{in: "-0044-03-15", prec: fhir.PrecisionDay, want: time.Date(-44, 3, 15, 0, 0, 0, 0, time.UTC)},

		{in: "2017-13-01", err: "does not match"},
		{in: "2017-00", err: "does not match"},
		{in: "2017-02-30", err: "does not exist"},
		{in: "1900-02-29", err: "does not exist"},
		{in: "2017-04-31", err: "does not exist"},
		{in: "2017-05-00", err: "does not exist"},
		{in: "2017-05-32", err: "does not match"},
		{in: "2017-05-30T10:00:00", err: "offset"},
		{in: "2017-05-30T10:00+01:00", err: "does not match"},
		{in: "2017-05-30T24:00:00Z", err: "does not match"},
		{in: "2017-05-30T10:60:00Z", err: "does not match"},
		{in: "2017-05-30T10:00:60Z", err: "does not match"},
		{in: "2017-05-30T10:00:00.Z", err: "does not match"},
		{in: "2017-05-30T10:00:00+1:00", err: "offset"},
		{in: "2017-05-30T10:00:00+0100", err: "offset"},
		{in: "2017-05-30T10:00:00+14:01", err: "offset"},
		{in: "2017-05-30T10:00:00+15:00", err: "offset"},
		{in: "2017-05-30T10:00:00z", err: "does not match"},
		{in: "2017-05-30T10:00:00Z ", err: "does not match"},
		{in: "2017-05T10:00:00Z", err: "does not match"},
		{in: "2017-05-30 10:00:00Z", err: "does not match"},
		{in: "17-05-30", err: "does not match"},
		{in: "20170530", err: "does not match"},
		{in: "2017-5-30", err: "does not match"},
		{in: " 2017", err: "does not match"},
		{in: "", err: "does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := fhir.ParseDateTime(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseDateTime(%q) = %v, %v; want an error containing %q", tt.in, d, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.String() != tt.in {
				t.Errorf("String() = %q, want %q (the exact text is kept)", d.String(), tt.in)
			}
			if d.Precision() != tt.prec {
				t.Errorf("Precision() = %v, want %v", d.Precision(), tt.prec)
			}
			if d.HasOffset() != tt.hasOffset || d.IsZ() != tt.z {
				t.Errorf("HasOffset() = %v, IsZ() = %v; want %v, %v", d.HasOffset(), d.IsZ(), tt.hasOffset, tt.z)
			}
			if !tt.want.IsZero() {
				got := d.Time()
				if !got.Equal(tt.want) {
					t.Errorf("Time() = %v, want %v", got, tt.want)
				}
				if _, off := got.Zone(); off != tt.offset {
					t.Errorf("Time() offset = %d, want %d", off, tt.offset)
				}
			}
			// Marshalled in both formats, it is written back as it was read.
			assertRoundTrips(t, &fhir.Patient{DeceasedDateTime: d})
		})
	}
}

func TestParseDateAndInstant(t *testing.T) {
	for _, s := range []string{"2017", "2017-05", "2017-05-30", "2024-02-29"} {
		d, err := fhir.ParseDate(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"2017-05-30T10:00:00Z", "2017-02-29", "2017-05-30 ", "2017-5"} {
		if d, err := fhir.ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", s, d)
		}
	}
	for _, s := range []string{"2017-05-30T10:00:00+01:00", "2017-05-30T10:00:00.123Z", "2017-05-30T10:00:00-00:00"} {
		i, err := fhir.ParseInstant(s)
		if err != nil || i.String() != s || !i.HasOffset() {
			t.Errorf("ParseInstant(%q) = %v, %v", s, i, err)
		}
		if i.DateTime().String() != s {
			t.Errorf("Instant.DateTime() = %v", i.DateTime())
		}
	}
	for _, s := range []string{"2017", "2017-05-30", "2017-05-30T10:00:00"} {
		if i, err := fhir.ParseInstant(s); err == nil {
			t.Errorf("ParseInstant(%q) = %v, want an error", s, i)
		}
	}
	i, _ := fhir.ParseInstant("2017-05-30T10:00:00.120Z")
	if i.Precision() != fhir.PrecisionFraction || !i.IsZ() || i.Time().Nanosecond() != 120000000 {
		t.Errorf("instant with a fraction: %v %v %v", i.Precision(), i.IsZ(), i.Time())
	}
}

// TestNewDateTimeLondon checks the offsets written for UK local times,
// including the days the clocks change in 2026 (29 March: 01:00 GMT becomes
// 02:00 BST; 25 October: 02:00 BST becomes 01:00 GMT).
func TestNewDateTimeLondon(t *testing.T) {
	tests := []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC), "2026-01-15T09:30:00+00:00"},
		{time.Date(2026, 7, 15, 9, 30, 0, 0, time.UTC), "2026-07-15T10:30:00+01:00"},
		// Spring forward.
		{time.Date(2026, 3, 29, 0, 59, 59, 0, time.UTC), "2026-03-29T00:59:59+00:00"},
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "2026-03-29T02:00:00+01:00"},
		{time.Date(2026, 3, 29, 9, 0, 0, 0, time.UTC), "2026-03-29T10:00:00+01:00"},
		// Fall back: 01:30 local happens twice.
		{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "2026-10-25T01:30:00+01:00"},
		{time.Date(2026, 10, 25, 0, 59, 59, 0, time.UTC), "2026-10-25T01:59:59+01:00"},
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), "2026-10-25T01:00:00+00:00"},
		{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "2026-10-25T01:30:00+00:00"},
		{time.Date(2026, 10, 25, 9, 0, 0, 0, time.UTC), "2026-10-25T09:00:00+00:00"},
	}
	for _, tt := range tests {
		local := tt.utc.In(london)
		dt := fhir.NewDateTime(local)
		in := fhir.NewInstant(local)
		if dt.String() != tt.want || in.String() != tt.want {
			t.Errorf("NewDateTime(%v) = %s, NewInstant = %s; want %s", local, dt, in, tt.want)
		}
		if !dt.Time().Equal(tt.utc) || !in.Time().Equal(tt.utc) {
			t.Errorf("%s: Time() = %v, want the instant %v", tt.want, dt.Time(), tt.utc)
		}
		if dt.IsZ() || !dt.HasOffset() || dt.Precision() != fhir.PrecisionSecond {
			t.Errorf("%s: IsZ %v, HasOffset %v, Precision %v", tt.want, dt.IsZ(), dt.HasOffset(), dt.Precision())
		}
		// Parsing what we write gives the same value back.
		if p, err := fhir.ParseDateTime(dt.String()); err != nil || p != dt {
			t.Errorf("ParseDateTime(%s) = %v, %v", dt, p, err)
		}
	}
}

func TestNewDateTimeOtherZones(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 5, 1, 10, 0, 0, 999999999, time.UTC), "2026-05-01T10:00:00+00:00"}, // UTC: +00:00, never Z; fraction dropped
		{time.Date(2026, 5, 1, 10, 0, 0, 0, time.FixedZone("", -(3*3600+30*60))), "2026-05-01T10:00:00-03:30"},
		{time.Date(2026, 5, 1, 10, 0, 0, 0, time.FixedZone("", 14*3600)), "2026-05-01T10:00:00+14:00"},
		{time.Date(1847, 5, 1, 10, 0, 0, 0, time.FixedZone("LMT", -75)), "1847-05-01T10:00:15-00:01"}, // offset rounded to the minute, same instant
		{time.Date(-44, 3, 15, 12, 0, 0, 0, time.UTC), "-0044-03-15T12:00:00+00:00"},
	}
	for _, tt := range tests {
		if got := fhir.NewDateTime(tt.t).String(); got != tt.want {
			t.Errorf("NewDateTime(%v) = %s, want %s", tt.t, got, tt.want)
		}
		if _, err := fhir.ParseDateTime(tt.want); err != nil {
			t.Errorf("%s does not parse: %v", tt.want, err)
		}
	}
	if d := fhir.NewDateTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)); !d.IsZero() {
		t.Errorf("NewDateTime of year 10000 = %v, want the zero DateTime", d)
	}
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		d    fhir.Date
		want string
	}{
		{fhir.NewDate(2017, time.May, 30), "2017-05-30"},
		{fhir.NewDate(2017, 2, 30), "2017-03-02"}, // normalised like time.Date
		{fhir.NewDate(7, 1, 2), "0007-01-02"},
		{fhir.DateOf(time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC).In(london)), "2026-03-29"},
		{fhir.DateOf(time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC).In(london)), "2026-10-25"}, // 00:30 BST
		{fhir.NewDate(12000, 1, 1), ""},
	}
	for _, tt := range tests {
		if tt.d.String() != tt.want {
			t.Errorf("got %s, want %s", tt.d, tt.want)
		}
	}
	d := fhir.NewDate(2017, 5, 30)
	if d.Precision() != fhir.PrecisionDay || !d.Time().Equal(time.Date(2017, 5, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("%v: %v %v", d, d.Precision(), d.Time())
	}
}

func TestZeroValues(t *testing.T) {
	var d fhir.Date
	var dt fhir.DateTime
	var in fhir.Instant
	var dec fhir.Decimal
	if !d.IsZero() || !dt.IsZero() || !in.IsZero() || !dec.IsZero() {
		t.Error("zero values are not zero")
	}
	if !d.Time().IsZero() || !dt.Time().IsZero() || !in.Time().IsZero() {
		t.Error("Time() of a zero value is not the zero time")
	}
	if d.Precision() != fhir.PrecisionNone || dt.Precision() != fhir.PrecisionNone || in.Precision() != fhir.PrecisionNone {
		t.Error("Precision() of a zero value")
	}
	if dt.HasOffset() || in.HasOffset() || dt.IsZ() || in.IsZ() {
		t.Error("offset of a zero value")
	}
	if fhir.PrecisionFraction.String() != "fraction" || fhir.Precision(9).String() != "Precision(9)" {
		t.Error("Precision.String")
	}
}

func TestTextMarshalling(t *testing.T) {
	var dt fhir.DateTime
	if err := dt.UnmarshalText([]byte("2017-05-30T10:00:00+01:00")); err != nil || dt.String() != "2017-05-30T10:00:00+01:00" {
		t.Errorf("UnmarshalText: %v %v", dt, err)
	}
	if err := dt.UnmarshalText([]byte("2017-05-30T10:00:00")); err == nil {
		t.Error("UnmarshalText accepted a time without offset")
	}
	if b, _ := dt.MarshalText(); string(b) != "2017-05-30T10:00:00+01:00" {
		t.Errorf("MarshalText = %s", b)
	}
	var d fhir.Date
	var in fhir.Instant
	var dec fhir.Decimal
	if d.UnmarshalText([]byte("2017-02")) != nil || in.UnmarshalText([]byte("2017-02-03T04:05:06Z")) != nil || dec.UnmarshalText([]byte("-0.50")) != nil {
		t.Error("UnmarshalText of valid values failed")
	}
	if d.UnmarshalText([]byte("2017-02-29")) == nil || in.UnmarshalText([]byte("2017")) == nil || dec.UnmarshalText([]byte("1e3")) == nil {
		t.Error("UnmarshalText of invalid values succeeded")
	}
	if d.UnmarshalText(nil) != nil || !d.IsZero() {
		t.Error("UnmarshalText of empty text")
	}
}

func TestDecimal(t *testing.T) {
	for _, s := range []string{"0", "-0", "1.50", "-123.000", "0.001", "12345678901234567890.5"} {
		d, err := fhir.ParseDecimal(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDecimal(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"", "01", "1.", ".5", "1e5", "+1", "- 1", "1.5.5", "NaN"} {
		if d, err := fhir.ParseDecimal(s); err == nil {
			t.Errorf("ParseDecimal(%q) = %v, want an error", s, d)
		}
	}
	if got := fhir.NewDecimal(0.1).String(); got != "0.1" {
		t.Errorf("NewDecimal(0.1) = %s", got)
	}
	if got := fhir.NewDecimal(1e21).String(); got != "1000000000000000000000" {
		t.Errorf("NewDecimal(1e21) = %s", got)
	}
	if got := fhir.NewDecimal(-53.8); got.Float64() != -53.8 {
		t.Errorf("NewDecimal(-53.8).Float64() = %v", got.Float64())
	}
}
