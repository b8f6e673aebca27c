package patientcsv

import (
	"bytes"
	"io"
	"sync"
	"testing"
)

const benchRows = 100_000

var benchData = sync.OnceValue(func() []byte { return realisticCSV(benchRows, 1) })

// BenchmarkReader reads 100,000 realistic rows per iteration and reports
// rows per second.
func BenchmarkReader(b *testing.B) {
	data := benchData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), today)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	if rows != benchRows*b.N {
		b.Fatalf("read %d rows, want %d", rows, benchRows*b.N)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriter writes 100,000 realistic patients per iteration.
func BenchmarkWriter(b *testing.B) {
	data := benchData()
	r, err := NewReader(bytes.NewReader(data), today)
	if err != nil {
		b.Fatal(err)
	}
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		row.Fields = nil
		rows = append(rows, row)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(io.Discard)
		for i := range rows {
			if err := w.Write(&rows[i].Patient); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
}
