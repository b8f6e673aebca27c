package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// BenchmarkPatientByNHSNumber looks up random patients of a practice
// holding 100,000, on each engine: go test -bench PatientByNHSNumber ./sqlstore/
func BenchmarkPatientByNHSNumber(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			s := sqltest.Open(b, engine, nil)
			org, err := s.UpsertOrganisation(ctx, practice("A99991"))
			if err != nil {
				b.Fatal(err)
			}
			const n = 100_000
			numbers := make([]pcnhub.NHSNumber, 0, n)
			w, _ := s.BeginPatientWrite(ctx)
			for i := 0; i < n; i++ {
				p := testPatient(b, org, i)
				numbers = append(numbers, p.NHSNumber)
				if err := w.Add(ctx, &p); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := w.Commit(ctx); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
				for pb.Next() {
					if _, err := s.PatientByNHSNumber(ctx, org, numbers[rng.IntN(n)]); err != nil {
						panic(fmt.Sprint("lookup: ", err))
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
		})
	}
}

// BenchmarkPatientWrite measures the bulk upsert alone (no CSV), in rows/s.
func BenchmarkPatientWrite(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			s := sqltest.Open(b, engine, nil)
			org, _ := s.UpsertOrganisation(ctx, practice("A99991"))
			ps := make([]pcnhub.Patient, 20_000)
			for i := range ps {
				ps[i] = testPatient(b, org, i)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w, _ := s.BeginPatientWrite(ctx)
				for j := range ps {
					ps[j].Registration.Start = pcnhub.Date{Year: 2000 + i%20, Month: 1, Day: 1} // a change every round
					if err := w.Add(ctx, &ps[j]); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := w.Commit(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(ps))/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
