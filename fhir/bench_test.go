package fhir_test

import (
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
)

// The slot search answer that is encoded on every search: 6,000 free slots
// plus 25 Schedules, Practitioners and Locations and the Organization.
const (
	benchSlots     = 6000
	benchSchedules = 25
)

func benchmarkMarshal(b *testing.B, f fhir.Format) {
	bundle := slotBundle(benchSlots, benchSchedules)
	out, err := fhir.Marshal(f, bundle)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := fhir.Marshal(f, bundle); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/bundle")
}

func BenchmarkMarshalSlotBundleJSON(b *testing.B) { benchmarkMarshal(b, fhir.JSON) }
func BenchmarkMarshalSlotBundleXML(b *testing.B)  { benchmarkMarshal(b, fhir.XML) }

func benchmarkUnmarshal(b *testing.B, f fhir.Format) {
	data, err := fhir.Marshal(f, slotBundle(benchSlots, benchSchedules))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := fhir.Unmarshal(f, data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/bundle")
}

func BenchmarkUnmarshalSlotBundleJSON(b *testing.B) { benchmarkUnmarshal(b, fhir.JSON) }
func BenchmarkUnmarshalSlotBundleXML(b *testing.B)  { benchmarkUnmarshal(b, fhir.XML) }
