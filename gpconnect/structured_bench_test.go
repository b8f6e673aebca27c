package gpconnect_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/record/recordtest"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// everyArea asks for every clinical area, ended allergies and issues
// included (immunisation parts may not come with includeConsultations).
var everyArea = []string{allergiesParam,
	`{"name":"includeMedication","part":[{"name":"includePrescriptionIssues","valueBoolean":true}]}`,
	`{"name":"includeConsultations"}`, `{"name":"includeProblems"}`,
	`{"name":"includeImmunisations"}`,
	`{"name":"includeUncategorisedData"}`, `{"name":"includeInvestigations"}`, `{"name":"includeReferrals"}`,
	`{"name":"includeDiaryEntries"}`}

// BenchmarkGetStructuredRecord measures $gpc.getstructuredrecord for every
// area of a record of 10,000 clinical items, through the provider's
// handler (no network), per engine and response format. Besides ns/op and
// B/op (memory per request) it reports the p50 and p99 latency of the
// iterations and the response size.
//
//	go test -run '^$' -bench GetStructuredRecord -benchmem ./gpconnect/
func BenchmarkGetStructuredRecord(b *testing.B) {
	for _, engine := range sqltest.Engines {
		b.Run(engine, func(b *testing.B) {
			clock := pcnhub.FixedClock(testNow)
			s := sqltest.Open(b, engine, clock)
			if _, err := s.LoadDataset(ctx, assurance.Dataset(), "bench"); err != nil {
				b.Fatal(err)
			}
			org1, err := s.OrganisationByODS(ctx, assurance.ORG1)
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range []string{gpconnect.CapGlobal, gpconnect.CapStructured} {
				if err := s.SetGPConnectEnabled(ctx, org1.ID, c, true, "bench"); err != nil {
					b.Fatal(err)
				}
			}
			pt, err := s.PatientByNHSNumber(ctx, org1.ID, assurance.Patient2)
			if err != nil {
				b.Fatal(err)
			}
			rec := recordtest.Large(assurance.Patient2, assurance.ORG1, "G11111116", pcnhub.DateOf(testNow), 10_000)
			if err := s.PutClinicalRecord(ctx, pt.ID, rec); err != nil {
				b.Fatal(err)
			}
			p := &gpconnect.Provider{Store: s, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
				SoftwareName: "pcnhub", SoftwareVersion: "bench", SoftwareRelease: testNow}
			body := structuredBody(assurance.Patient2, everyArea...)
			for _, format := range []string{fhir.MIMEJSON, fhir.MIMEXML} {
				name := "json"
				if format == fhir.MIMEXML {
					name = "xml"
				}
				b.Run(name, func(b *testing.B) {
					var took []time.Duration
					size := 0
					b.ReportAllocs()
					for b.Loop() {
						req := httptest.NewRequest("POST", structuredRoot+"/Patient/$gpc.getstructuredrecord", bytes.NewReader(body))
						h := req.Header
						h.Set("Ssp-TraceID", "09a01679-2564-0fb4-5129-aecc81ea2706")
						h.Set("Ssp-From", "200000000359")
						h.Set("Ssp-To", providerASID)
						h.Set("Ssp-InteractionID", gpconnect.IDGetStructuredRecord)
						h.Set("Authorization", token("patient/*.read"))
						h.Set("Content-Type", fhir.MIMEJSON)
						h.Set("Accept", format)
						w := &countingWriter{header: http.Header{}}
						start := time.Now()
						p.ServeHTTP(w, req)
						took = append(took, time.Since(start))
						if w.code != http.StatusOK {
							b.Fatalf("status %d: %.300s", w.code, w.first)
						}
						size = w.n
					}
					slices.Sort(took)
					b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
					b.ReportMetric(float64(size), "resp-bytes")
				})
			}
		})
	}
}

// countingWriter is a ResponseWriter that keeps only the status, the size
// and the start of the body, as a network connection would not hold the
// answer either (httptest.ResponseRecorder's growing buffer would be
// measured otherwise).
type countingWriter struct {
	header http.Header
	code   int
	n      int
	first  []byte
}

func (w *countingWriter) Header() http.Header  { return w.header }
func (w *countingWriter) WriteHeader(code int) { w.code = code }
func (w *countingWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	if len(w.first) < 300 {
		w.first = append(w.first, b[:min(len(b), 300)]...)
	}
	w.n += len(b)
	return len(b), nil
}
