package hub

import (
	"context"
	"errors"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/structured"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/staff"
)

func warnedList(title, code string, note string, warnings ...string) *fhir.List {
	l := &fhir.List{Title: title, Code: &fhir.CodeableConcept{Coding: []fhir.Coding{{System: record.SNOMED, Code: code}}}}
	for _, w := range warnings {
		l.Extension = append(l.Extension, fhir.Extension{URL: structured.ExtListWarningCode, ValueCode: w})
	}
	if note != "" {
		l.Note = []fhir.Annotation{{Text: note}}
	}
	return l
}

// Each warning gets its own sentence of the List's note, in the
// provider's words, or the usual words when the note has none.
func TestListWarnings(t *testing.T) {
	const (
		conf    = "Items excluded due to confidentiality and/or patient preferences."
		transit = "Patient record transfer from previous GP practice not yet complete; information recorded before 15-Oct-2020 may be missing."
		filing  = "Patient data may be incomplete as there is data supplied by a third party awaiting review before becoming available."
	)
	for _, tc := range []struct {
		name     string
		list     *fhir.List
		want     []string
		wantArea record.Area
		primary  bool
	}{
		{"the NHS fixtures' combined note", warnedList("Allergies and adverse reactions", "886921000000105", conf+" "+transit,
			WarningConfidential, WarningInTransit), []string{conf, transit}, record.AreaAllergies, true},
		{"three warnings, empty List", warnedList("Problems", "717711000000103", "Information not available "+conf+" "+transit+" "+filing,
			WarningConfidential, WarningInTransit, WarningAwaitingFiling), []string{conf, transit, filing}, record.AreaProblems, true},
		{"no note: the usual words", warnedList("Medications and medical devices", "933361000000108", "",
			WarningInTransit, WarningAwaitingFiling), []string{textInTransit, textAwaitingFiling}, record.AreaMedications, true},
		{"another supplier's words", warnedList("Ended allergies", "1103671000000101", "Some items are hidden.", WarningConfidential),
			[]string{textConfidential}, record.AreaAllergies, false},
		{"a secondary List", warnedList("Problems - medications related to problems", "problems-medications-related-to-problems", conf,
			WarningConfidential), []string{conf}, record.AreaProblems, false},
		{"no warning", warnedList("Problems", "717711000000103", "Information not available"), nil, record.AreaProblems, true},
	} {
		got := ListWarnings(tc.list)
		var texts []string
		for i, w := range got {
			texts = append(texts, w.Text)
			if w.List != tc.list.Title || w.Code != tc.list.Extension[i].ValueCode {
				t.Errorf("%s: warning %+v", tc.name, w)
			}
		}
		if len(texts) != len(tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, texts, tc.want)
			continue
		}
		for i := range texts {
			if texts[i] != tc.want[i] {
				t.Errorf("%s: warning %d = %q, want %q", tc.name, i, texts[i], tc.want[i])
			}
		}
		if area, primary := listArea(tc.list); area != tc.wantArea || primary != tc.primary {
			t.Errorf("%s: area %q primary %v", tc.name, area, primary)
		}
	}
}

// A practice's refusals in words a clinician understands, keeping the
// provider's error underneath.
func TestRecordRefusal(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code string
		msg  string
	}{
		{&client.ProviderError{Status: 403, SpineCode: "NO_PATIENT_CONSENT"}, pcnhub.EFORBIDDEN,
			"Mill Lane Surgery did not share this record: the patient has asked for their record not to be shared"},
		{&client.ProviderError{Status: 403, SpineCode: "NO_ORGANISATIONAL_CONSENT"}, pcnhub.EFORBIDDEN,
			"Mill Lane Surgery did not share this record: there is no data sharing agreement in force that lets Riverside PCN Enhanced Access Hub see its patients' records"},
		{&client.ProviderError{Status: 403, SpineCode: "ACCESS DENIED"}, pcnhub.EFORBIDDEN,
			"Mill Lane Surgery did not share this record: it has not switched on GP Connect access to its records"},
		{&client.ProviderError{Status: 404, SpineCode: "PATIENT_NOT_FOUND"}, pcnhub.ENOTFOUND,
			"Mill Lane Surgery did not share this record: it holds no record of this patient that it can share (the patient may not be registered there, or their record may be restricted)"},
		{&client.ProviderError{Status: 501, SpineCode: "NOT_IMPLEMENTED"}, pcnhub.ENOTIMPLEMENTED,
			"Mill Lane Surgery's system does not offer this view of the record"},
		{&client.ProviderError{Status: 403, SpineCode: "ASID_CHECK_FAILED_MESSAGESENDER_1"}, pcnhub.EFORBIDDEN,
			"Mill Lane Surgery did not share this record: access was refused (ASID_CHECK_FAILED_MESSAGESENDER_1)"},
		{pcnhub.Errorf(pcnhub.ENOTFOUND, "the directory has no structured endpoint for A99992"), pcnhub.ENOTFOUND,
			"Mill Lane Surgery is not in the endpoint directory, so its records cannot be read from here"},
	} {
		got := recordRefusal(tc.err, "Mill Lane Surgery", "Riverside PCN Enhanced Access Hub")
		if pcnhub.ErrorCode(got) != tc.code || pcnhub.ErrorMessage(got) != tc.msg || !errors.Is(got, tc.err) {
			t.Errorf("%v → %s %q", tc.err, pcnhub.ErrorCode(got), pcnhub.ErrorMessage(got))
		}
	}
	// Anything else stays as it was (the page says the practice's system refused).
	pe := &client.ProviderError{Status: 500, SpineCode: "INTERNAL_SERVER_ERROR"}
	if got := recordRefusal(pe, "Mill Lane Surgery", "the hub"); got != error(pe) {
		t.Errorf("500 → %v", got)
	}
}

type fakeDirectory struct{ Directory }

func (fakeDirectory) ResolveEndpoint(_ context.Context, ods pcnhub.ODSCode, s spine.Service, base string) (*spine.Endpoint, error) {
	switch ods {
	case "A99992":
		return &spine.Endpoint{URL: "https://gp.example/A99992/STU3/1/gpconnect", ASID: "918999198999"}, nil
	case "A99993":
		return &spine.Endpoint{URL: "https://other.example/fhir/gpc", ASID: "918999198998"}, nil
	}
	return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "no endpoint")
}

// The Access Record HTML root sits beside the Foundations root.
func TestHTMLEndpoint(t *testing.T) {
	h := &Hub{Directory: fakeDirectory{}}
	ep, err := h.htmlEndpoint(context.Background(), "A99992")
	if err != nil || ep.Base != "https://gp.example/A99992/DSTU2/1/gpconnect" || ep.ASID != "918999198999" {
		t.Errorf("A99992: %+v, %v", ep, err)
	}
	if _, err := h.htmlEndpoint(context.Background(), "A99993"); pcnhub.ErrorCode(err) != pcnhub.ENOTIMPLEMENTED {
		t.Errorf("an unusual root: %v", err)
	}
}

// Without the permission nothing is looked up, let alone called.
func TestRecordNeedsViewRecord(t *testing.T) {
	h := &Hub{} // a nil Directory and Register: any use would panic
	p := &staff.Principal{User: &staff.User{Username: "rosa"}, Membership: staff.Membership{Role: staff.Receptionist}}
	if _, err := h.PatientRecord(context.Background(), p, "9990033595"); pcnhub.ErrorCode(err) != pcnhub.EFORBIDDEN ||
		pcnhub.ErrorMessage(err) != "only clinicians can view GP records" {
		t.Errorf("PatientRecord: %v", err)
	}
	if _, err := h.CareRecordSection(context.Background(), p, "9990033595", "SUM"); pcnhub.ErrorCode(err) != pcnhub.EFORBIDDEN {
		t.Errorf("CareRecordSection: %v", err)
	}
}
