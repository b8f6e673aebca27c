package gpconnect_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
)

// FuzzProvider sends arbitrary paths, queries and bodies through the whole
// provider: every answer is 2xx FHIR or an OperationOutcome, never a 5xx
// or a panic.
func FuzzProvider(f *testing.F) {
	f.Add("Slot", "status=free&_include=Slot:schedule&start=ge2026-11-25&end=le2026-11-25", 9, "")
	f.Add("Appointment", "", 11, `{"resourceType":"Appointment","status":"booked"}`)
	f.Add("Patient/$gpc.registerpatient", "", 8, `{"resourceType":"Parameters"}`)
	f.Add("Patient", "identifier=https://fhir.nhs.uk/Id/nhs-number|9690937278", 2, "")
	f.Add("Appointment/1", "", 12, `<Appointment xmlns="http://hl7.org/fhir"><status value="booked"/></Appointment>`)
	e := newEnv(f, "sqlite")
	e.makeBook()
	ids := []string{gpconnect.IDMetadata, gpconnect.IDReadPatient, gpconnect.IDSearchPatient, gpconnect.IDReadPractitioner,
		gpconnect.IDSearchPractitioner, gpconnect.IDReadOrganization, gpconnect.IDSearchOrganization, gpconnect.IDReadLocation,
		gpconnect.IDRegisterPatient, gpconnect.IDSearchSlots, gpconnect.IDReadAppointment, gpconnect.IDBookAppointment,
		gpconnect.IDAmendAppointment, gpconnect.IDCancelAppointment, gpconnect.IDPatientAppointments}
	scopes := map[string]string{gpconnect.IDRegisterPatient: "patient/*.write", gpconnect.IDBookAppointment: "patient/*.write",
		gpconnect.IDAmendAppointment: "patient/*.write", gpconnect.IDCancelAppointment: "patient/*.write",
		gpconnect.IDReadPatient: "patient/*.read", gpconnect.IDSearchPatient: "patient/*.read",
		gpconnect.IDReadAppointment: "patient/*.read", gpconnect.IDPatientAppointments: "patient/*.read"}
	f.Fuzz(func(t *testing.T, path, query string, which int, body string) {
		if which < 0 {
			which = -which
		}
		id := ids[which%len(ids)]
		method := "GET"
		switch id {
		case gpconnect.IDRegisterPatient, gpconnect.IDBookAppointment:
			method = "POST"
		case gpconnect.IDAmendAppointment, gpconnect.IDCancelAppointment:
			method = "PUT"
		}
		target := root + "/" + path
		if query != "" {
			target += "?" + query
		}
		if strings.ContainsAny(target, " \t\r\n#") {
			return
		}
		req, err := http.NewRequest(method, "http://provider"+target, bytes.NewReader([]byte(body)))
		if err != nil {
			return
		}
		scope := scopes[id]
		if scope == "" {
			scope = "organization/*.read"
		}
		req.Header.Set("Ssp-TraceID", "fuzz")
		req.Header.Set("Ssp-From", "200000000359")
		req.Header.Set("Ssp-To", providerASID)
		req.Header.Set("Ssp-InteractionID", id)
		req.Header.Set("Authorization", token(scope))
		ct := fhir.MIMEJSON
		if strings.HasPrefix(strings.TrimSpace(body), "<") {
			ct = fhir.MIMEXML
		}
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body.String())
		}
		format := fhir.JSON
		if strings.HasPrefix(rec.Header().Get("Content-Type"), fhir.MIMEXML) {
			format = fhir.XML
		}
		if rec.Body.Len() == 0 {
			return
		}
		res, err := fhir.Unmarshal(format, rec.Body.Bytes())
		if err != nil {
			t.Fatalf("%s %s: answer is not FHIR: %v", method, target, err)
		}
		if rec.Code >= 400 && res.ResourceType() != "OperationOutcome" {
			t.Fatalf("%s %s: %d with a %s", method, target, rec.Code, res.ResourceType())
		}
	})
}
