package client_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
	"github.com/pcnhub/pcnhub/gpconnect/structimport"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/seed/assurance"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

// recordProvider is our provider with the assurance data set, GP Connect,
// Access Record Structured and Access Record HTML switched on at ORG1, and
// a care-record agreement with the consumer the tests act for. It returns
// ORG1's structured and HTML endpoints and the store.
type recordProvider struct {
	structured, html client.Endpoint
	store            *sqlstore.Store
	org1             *pcnhub.Organisation
}

func newRecordProvider(t *testing.T) *recordProvider {
	t.Helper()
	clock := pcnhub.FixedClock(testNow)
	s := sqltest.Open(t, "sqlite", clock)
	if _, err := s.LoadDataset(ctx, assurance.Dataset(), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertOrganisation(ctx, &pcnhub.Organisation{ODS: clienttest.ConsumerODS, ASID: "200000000359",
		Type: pcnhub.OrgUrgentCare, Name: "Test NHS 111"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAgreement(ctx, &spine.Agreement{Provider: assurance.ORG1, Consumer: clienttest.ConsumerODS,
		Capability: spine.CareRecord, From: pcnhub.Date{Year: 2020, Month: 1, Day: 1}}); err != nil {
		t.Fatal(err)
	}
	org1, err := s.OrganisationByODS(ctx, assurance.ORG1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{gpconnect.CapGlobal, gpconnect.CapStructured, gpconnect.CapHTML} {
		if err := s.SetGPConnectEnabled(ctx, org1.ID, c, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	p := &gpconnect.Provider{Store: s, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SoftwareName: "pcnhub", SoftwareVersion: "test", SoftwareRelease: testNow}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return &recordProvider{
		structured: client.Endpoint{Base: srv.URL + "/B82617/STU3/1/gpconnect/structured", ASID: clienttest.ProviderASID},
		html:       client.Endpoint{Base: srv.URL + "/B82617/DSTU2/1/gpconnect", ASID: clienttest.ProviderASID},
		store:      s, org1: org1,
	}
}

// allAreas asks for what the staff record page shows.
func allAreas() *client.StructuredQuery {
	return &client.StructuredQuery{
		Allergies:  &client.AllergiesQuery{IncludeResolved: true},
		Medication: &client.MedicationQuery{IncludePrescriptionIssues: true},
		Problems:   &client.ProblemsQuery{},
	}
}

// listWarnings are the warning codes of the Lists of a Bundle, by title.
func listWarnings(b *fhir.Bundle) map[string][]string {
	out := map[string][]string{}
	for _, e := range b.Entry {
		l, ok := e.Resource.(*fhir.List)
		if !ok {
			continue
		}
		for _, x := range l.Extension {
			if strings.HasSuffix(x.URL, "ListWarningCode-1") {
				out[l.Title] = append(out[l.Title], x.ValueCode)
			}
		}
	}
	return out
}

func TestStructuredRecordOurProvider(t *testing.T) {
	rp := newRecordProvider(t)
	c := newClient()

	// Patient 5: "no known allergies", a repeat and an acute medication
	// with their issues, and asthma.
	b, raw, err := c.GetStructuredRecord(ctx, rp.structured, assurance.Patient5, allAreas())
	if err != nil {
		t.Fatal(err)
	}
	if b.Type != "collection" || !strings.Contains(string(raw), `"collection"`) {
		t.Errorf("bundle type %q", b.Type)
	}
	rec, _, err := structimport.Import(b)
	if err != nil {
		t.Fatal(err)
	}
	if rec.NHSNumber != assurance.Patient5 || len(rec.Allergies) != 1 || !rec.Allergies[0].NoKnownAllergies {
		t.Errorf("allergies of patient 5: %+v", rec.Allergies)
	}
	var drugs []string
	issues := 0
	for _, m := range rec.Medications {
		drugs = append(drugs, m.Drug.Text())
		issues += len(m.Issues)
	}
	slices.Sort(drugs)
	if want := []string{"Amoxicillin 500mg capsules", "Salbutamol 100micrograms/dose inhaler CFC free"}; !slices.Equal(drugs, want) || issues != 3 {
		t.Errorf("medications %q with %d issues; want %q with 3", drugs, issues, want)
	}
	if len(rec.Problems) != 1 || rec.Problems[0].Code.Text() != "Asthma" || rec.Problems[0].Significance != record.Major {
		t.Errorf("problems %+v", rec.Problems)
	}
	if w := client.BundleWarnings(b); len(w) != 0 {
		t.Errorf("warnings %+v, want none", w)
	}

	// Without prescription issues, none come back.
	q := allAreas()
	q.Medication.IncludePrescriptionIssues = false
	b, _, err = c.GetStructuredRecord(ctx, rp.structured, assurance.Patient5, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Entry {
		if mr, ok := e.Resource.(*fhir.MedicationRequest); ok && mr.Intent == "order" {
			t.Errorf("an issue came back without includePrescriptionIssues: %s", mr.ID)
		}
	}

	// Patient 16: a confidential allergy is left out and its List says
	// so; the ended allergy is in the "Ended allergies" List.
	b, _, err = c.GetStructuredRecord(ctx, rp.structured, assurance.Patient16, allAreas())
	if err != nil {
		t.Fatal(err)
	}
	if w := listWarnings(b); !slices.Contains(w["Allergies and adverse reactions"], "confidential-items") {
		t.Errorf("list warnings %v, want confidential-items on the allergies List", w)
	}
	rec, _, _ = structimport.Import(b)
	var active, ended []string
	for _, a := range rec.Allergies {
		if a.Status == record.AllergyResolved {
			ended = append(ended, a.ID)
		} else {
			active = append(active, a.ID)
		}
	}
	if !slices.Equal(active, []string{"p16-allergy-penicillin"}) || !slices.Equal(ended, []string{"p16-allergy-ended"}) {
		t.Errorf("patient 16 allergies: active %v ended %v", active, ended)
	}
	// Patient 13: the record is in transit; every List says so.
	b, _, err = c.GetStructuredRecord(ctx, rp.structured, assurance.Patient13, allAreas())
	if err != nil {
		t.Fatal(err)
	}
	if w := listWarnings(b); len(w) < 3 || !slices.Contains(w["Problems"], "data-in-transit") {
		t.Errorf("patient 13 list warnings %v, want data-in-transit on every List", w)
	}

	// The provider's refusals are ProviderErrors with their Spine codes.
	for _, tc := range []struct {
		nhs    pcnhub.NHSNumber
		status int
		code   string
	}{
		{assurance.Patient15, 403, "NO_PATIENT_CONSENT"},
		{assurance.Patient9, 404, "PATIENT_NOT_FOUND"},
		{assurance.PatientNotInSystem, 404, "PATIENT_NOT_FOUND"},
	} {
		_, _, err := c.GetStructuredRecord(ctx, rp.structured, tc.nhs, allAreas())
		if pe, ok := client.IsProviderError(err); !ok || pe.Status != tc.status || pe.SpineCode != tc.code {
			t.Errorf("%s: %v, want %d %s", tc.nhs, err, tc.status, tc.code)
		}
	}
	// An organisation without a care-record agreement is refused.
	other := newClient()
	other.Identity.OrgODS, other.Identity.ASID = "Y99912", "200000000360"
	_, _, err = other.GetStructuredRecord(ctx, rp.structured, assurance.Patient5, allAreas())
	if !client.IsSpineCode(err, client.SpineNoOrganisationalConsent) {
		t.Errorf("no agreement: %v", err)
	}
	// An area switched off at the practice: the rest comes back, with a
	// warning naming the area.
	if err := rp.store.SetGPConnectEnabled(ctx, rp.org1.ID, gpconnect.StructuredAreaSwitch("includeProblems"), false, "test"); err != nil {
		t.Fatal(err)
	}
	b, _, err = c.GetStructuredRecord(ctx, rp.structured, assurance.Patient5, allAreas())
	if err != nil {
		t.Fatal(err)
	}
	if w := client.BundleWarnings(b); len(w) != 1 || w[0].Diagnostics != "includeProblems" || !strings.Contains(w[0].Text, "disabled") {
		t.Errorf("warnings with problems switched off: %+v", w)
	}
	// Checked before any call: a bad NHS number, a query about someone else.
	if _, _, err := c.GetStructuredRecord(ctx, rp.structured, "9000000008", allAreas()); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Errorf("bad NHS number: %v", err)
	}
	q = allAreas()
	q.NHSNumber = assurance.Patient1
	if _, _, err := c.GetStructuredRecord(ctx, rp.structured, assurance.Patient5, q); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Errorf("query about another patient: %v", err)
	}
}

// StructuredParameters writes what our provider's parser reads back as
// the same query.
func TestStructuredParametersRoundTrip(t *testing.T) {
	today := pcnhub.DateOf(testNow)
	for _, q := range []client.StructuredQuery{
		{NHSNumber: assurance.Patient2, Allergies: &client.AllergiesQuery{IncludeResolved: true},
			Medication: &client.MedicationQuery{IncludePrescriptionIssues: true}, Problems: &client.ProblemsQuery{}},
		{NHSNumber: assurance.Patient2, Allergies: &client.AllergiesQuery{},
			Medication:    &client.MedicationQuery{SearchFrom: pcnhub.Date{Year: 2024, Month: 2, Day: 29}},
			Immunisations: &client.ImmunisationsQuery{IncludeNotGiven: true},
			Uncategorised: &client.PeriodQuery{Period: client.DatePeriod{Start: pcnhub.Date{Year: 2020, Month: 1, Day: 1}}},
			Investigations: &client.PeriodQuery{Period: client.DatePeriod{Start: pcnhub.Date{Year: 2020, Month: 1, Day: 1},
				End: pcnhub.Date{Year: 2025, Month: 12, Day: 31}}},
			Referrals:    &client.PeriodQuery{},
			DiaryEntries: &client.DiaryQuery{SearchDate: today.AddDays(30)}},
		{NHSNumber: assurance.Patient3, Consultations: &client.ConsultationsQuery{MostRecent: 3},
			Immunisations: &client.ImmunisationsQuery{IncludeStatus: true}, Problems: &client.ProblemsQuery{Significance: "major"}},
		{NHSNumber: assurance.Patient3, Problems: &client.ProblemsQuery{Status: "active"}},
	} {
		got, warnings, err := gpconnect.ParseStructuredQuery(client.StructuredParameters(&q), today)
		if err != nil || len(warnings) != 0 {
			t.Errorf("%+v: %v, warnings %v", q, err, warnings)
			continue
		}
		if !reflect.DeepEqual(&q, got) {
			t.Errorf("round trip: sent %s, parsed %s", show(&q), show(got))
		}
	}
}

func TestCareRecordOurProvider(t *testing.T) {
	rp := newRecordProvider(t)
	c := newClient()
	sec, err := c.GetCareRecord(ctx, rp.html, assurance.Patient5, "SUM")
	if err != nil {
		t.Fatal(err)
	}
	if sec.Code != "SUM" || sec.Title != "Summary" || !strings.HasPrefix(sec.XHTML, "<div") ||
		!strings.Contains(sec.XHTML, "Salbutamol 100micrograms/dose inhaler CFC free") || !strings.Contains(sec.XHTML, "Asthma") {
		t.Errorf("summary of patient 5: %s %q\n%s", sec.Code, sec.Title, sec.XHTML)
	}
	sec, err = c.GetCareRecord(ctx, rp.html, assurance.Patient16, "ALL")
	if err != nil {
		t.Fatal(err)
	}
	if sec.Title != "Allergies and Adverse Reactions" || !strings.Contains(sec.XHTML, `class="exclusion-banner"`) ||
		!strings.Contains(sec.XHTML, `id="all-tab-hist"`) || strings.Contains(sec.XHTML, "Allergy to peanuts") {
		t.Errorf("allergies of patient 16: %q\n%s", sec.Title, sec.XHTML)
	}
	for _, tc := range []struct {
		nhs    pcnhub.NHSNumber
		status int
		code   string
	}{
		{assurance.Patient15, 403, "NO_PATIENT_CONSENT"},
		{assurance.Patient9, 404, "PATIENT_NOT_FOUND"},
	} {
		_, err := c.GetCareRecord(ctx, rp.html, tc.nhs, "SUM")
		if pe, ok := client.IsProviderError(err); !ok || pe.Status != tc.status || pe.SpineCode != tc.code || pe.Diagnostics == "" {
			t.Errorf("%s: %v, want %d %s", tc.nhs, err, tc.status, tc.code)
		}
	}
	// Access Record HTML switched off at the practice: 403 ACCESS DENIED.
	if err := rp.store.SetGPConnectEnabled(ctx, rp.org1.ID, gpconnect.CapHTML, false, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCareRecord(ctx, rp.html, assurance.Patient5, "SUM"); !client.IsSpineCode(err, client.SpineAccessDenied) {
		t.Errorf("HTML switched off: %v", err)
	}
	// Checked before any call.
	for _, section := range []string{"sum", "", "INV", "SUM "} {
		if _, err := c.GetCareRecord(ctx, rp.html, assurance.Patient5, section); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Errorf("section %q: %v", section, err)
		}
	}
	if _, err := c.GetCareRecord(ctx, rp.html, "9000000008", "SUM"); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
		t.Errorf("bad NHS number: %v", err)
	}
}

// The DSTU2 token is what our provider's DSTU2 parser accepts and its
// STU3 parser refuses: the practitioner's family name is an array.
func TestTokenDSTU2(t *testing.T) {
	c := newClient()
	c.Identity.PractitionerSDSUserID = "G13579135"
	ep := client.Endpoint{Base: "https://provider.example/B82617/DSTU2/1/gpconnect", ASID: "1"}
	tok := c.TokenDSTU2(ep, "patient/*.read", testNow)
	claims, err := gpconnect.ParseTokenDSTU2("Bearer "+tok, testNow, 0)
	if err != nil {
		t.Fatal(err)
	}
	if claims.OrganisationODS != "Y99911" || claims.PractitionerSDSUserID != "G13579135" || claims.PractitionerName != "Tess Tester" ||
		claims.Audience != ep.Base || claims.Scope != "patient/*.read" {
		t.Errorf("claims %+v", claims)
	}
	if _, err := gpconnect.ParseToken("Bearer "+tok, testNow, 0); err == nil {
		t.Error("the STU3 parser accepted a DSTU2 token")
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	var p struct {
		RequestingPractitioner struct {
			Name []struct{ Family []string }
		} `json:"requesting_practitioner"`
	}
	if err := json.Unmarshal(payload, &p); err != nil || len(p.RequestingPractitioner.Name) != 1 ||
		!slices.Equal(p.RequestingPractitioner.Name[0].Family, []string{"Tester"}) {
		t.Errorf("family name in %s", payload)
	}
}

// A provider that answers about another patient, or with something that
// is not FHIR, never yields a record; the DSTU2 request carries the 0.7
// media types.
func TestRecordAnswersChecked(t *testing.T) {
	var answer atomic.Value
	var got atomic.Pointer[http.Request]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Clone(ctx))
		a := answer.Load().([2]string)
		w.Header().Set("Content-Type", "application/json+fhir")
		if a[0] == "502" {
			w.WriteHeader(502)
		}
		io.WriteString(w, a[1])
	}))
	defer srv.Close()
	ep := client.Endpoint{Base: srv.URL, ASID: "918999198738"}
	c := newClient()

	careBundle := func(nhs, section string) string {
		return `{"resourceType":"Bundle","type":"searchset","entry":[` +
			`{"resource":{"resourceType":"Composition","section":[{"title":"Summary","code":{"coding":[{"system":"http://fhir.nhs.net/ValueSet/gpconnect-record-section-1","code":"` + section + `"}]},"text":{"status":"generated","div":"<div>x</div>"}}]}},` +
			`{"resource":{"resourceType":"Patient","identifier":[{"system":"http://fhir.nhs.net/Id/nhs-number","value":"` + nhs + `"}]}}]}`
	}
	answer.Store([2]string{"200", careBundle(string(assurance.Patient5), "SUM")})
	sec, err := c.GetCareRecord(ctx, ep, assurance.Patient5, "SUM")
	if err != nil || sec.XHTML != "<div>x</div>" {
		t.Fatalf("%+v, %v", sec, err)
	}
	r := got.Load()
	if r.Method != "POST" || r.URL.Path != "/Patient/$gpc.getcarerecord" || r.Header.Get("Accept") != "application/json+fhir" ||
		r.Header.Get("Content-Type") != "application/json+fhir;charset=utf-8" || r.Header.Get("Ssp-InteractionID") != gpconnect.IDGetCareRecord ||
		r.Header.Get("Ssp-To") != "918999198738" || r.Header.Get("Ssp-From") != "200000000359" {
		t.Errorf("request %s %s %v", r.Method, r.URL.Path, r.Header)
	}

	for name, a := range map[string][2]string{
		"another patient":       {"200", careBundle(string(assurance.Patient1), "SUM")},
		"another section":       {"200", careBundle(string(assurance.Patient5), "MED")},
		"no patient":            {"200", `{"resourceType":"Bundle","entry":[]}`},
		"not JSON":              {"200", `<html>oops</html>`},
		"a gateway's HTML page": {"502", `<html>Bad gateway</html>`},
	} {
		answer.Store(a)
		sec, err := c.GetCareRecord(ctx, ep, assurance.Patient5, "SUM")
		if err == nil {
			t.Errorf("%s: %+v, want an error", name, sec)
		}
		if pe, ok := client.IsProviderError(err); a[0] == "502" && (!ok || pe.Status != 502 || !strings.Contains(pe.Diagnostics, "Bad gateway")) {
			t.Errorf("%s: %v", name, err)
		}
	}

	// Structured: a Bundle about someone else is refused.
	answer.Store([2]string{"200", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"1",` +
		`"identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"` + string(assurance.Patient1) + `"}]}}]}`})
	if _, _, err := c.GetStructuredRecord(ctx, ep, assurance.Patient5, allAreas()); err == nil || errors.As(err, new(*client.ProviderError)) {
		t.Errorf("structured record about another patient: %v", err)
	}
	r = got.Load()
	if r.URL.Path != "/Patient/$gpc.getstructuredrecord" || r.Header.Get("Ssp-InteractionID") != gpconnect.IDGetStructuredRecord ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), fhir.MIMEJSON) {
		t.Errorf("structured request %s %v", r.URL.Path, r.Header)
	}
}

func show(q *client.StructuredQuery) string {
	b, _ := json.Marshal(q)
	return string(b)
}
