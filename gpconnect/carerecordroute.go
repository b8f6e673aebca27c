package gpconnect

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpconnect/carerecord"
)

// Access Record HTML 0.7 (§4) at /{ODS}/DSTU2/1/gpconnect: the DSTU2
// line, with its own content types (application/json+fhir,
// application/xml+fhir), identifier systems and OperationOutcome. The
// checks are the same as on the STU3 roots, in the same order; the
// section is rendered by package carerecord from the record's shareable
// part.

// HTMLRootPrefix is what follows the ODS code in an Access Record HTML
// service root.
const HTMLRootPrefix = "/DSTU2/1/gpconnect"

// Interaction ids of Access Record HTML 0.7 (no "-1" suffix, §1.5).
const (
	IDCareRecordMetadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata"
	IDGetCareRecord      = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord"
)

// CapHTML is the switch of Access Record HTML.
const CapHTML = "html"

// DeceasedShareDays is how long after death a record stays available on
// Access Record HTML (§4: configurable, 28 days by default).
const DeceasedShareDays = 28

var htmlInteractions = []interaction{
	{IDCareRecordMetadata, "GET", "metadata", scopeOrgRead, CapHTML, nil, ""},
	{IDGetCareRecord, "POST", "Patient/$gpc.getcarerecord", scopePatientRead, CapHTML, nil, ""},
}

// isHTMLPath reports whether a path is under an Access Record HTML root.
func isHTMLPath(path string) bool {
	_, _, ok := splitRoot(path, HTMLRootPrefix)
	return ok
}

// serveHTML answers a request under /{ODS}/DSTU2/1/gpconnect/.
func (p *Provider) serveHTML(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w.Header().Set("Cache-Control", "no-store")
	rq := &request{r: r, ctx: r.Context(), traceID: r.Header.Get("Ssp-TraceID")}
	format, ferr := negotiateDSTU2(r)
	body, err := p.careRecord(rq, format, ferr)
	if err != nil {
		p.writeHTMLError(w, rq, format, err)
	} else {
		p.send(w, r, http.StatusOK, format.ContentType(), &answer{body: body})
	}
	p.done(rq, err, start)
}

// careRecord runs the checks of §1.8 in order and then the interaction.
func (p *Provider) careRecord(rq *request, format carerecord.Format, formatErr error) ([]byte, error) {
	if err := p.route(rq, dstu2Line, formatErr); err != nil {
		return nil, err
	}
	practice := rq.practice
	if rq.interaction.id == IDCareRecordMetadata {
		return carerecord.Conformance(format, carerecord.Software{Name: p.SoftwareName, Version: p.SoftwareVersion, Release: p.SoftwareRelease},
			carerecord.Practice{ID: idOf(practice.ID), ODS: practice.ODS, Name: practice.Name})
	}
	bodyFormat, _ := carerecord.ParseFormat(rq.r.Header.Get("Content-Type")) // admitted by dstu2Line
	return p.getCareRecord(rq, format, bodyFormat)
}

// dstu2Line is the DSTU2 side of the checks: 0.7 tokens and media types.
var dstu2Line = line{
	root:       HTMLRootPrefix,
	table:      htmlInteractions,
	parseToken: ParseTokenDSTU2,
	bodyFormat: func(r *http.Request) error {
		if ct := r.Header.Get("Content-Type"); !isDSTU2(ct) {
			return spineError(SpineUnsupportedMediaType, "Content-Type %q is not supported: use application/json+fhir or application/xml+fhir", ct)
		}
		return nil
	},
}

func isDSTU2(mediaType string) bool { _, ok := carerecord.ParseFormat(mediaType); return ok }

// getCareRecord answers $gpc.getcarerecord: one section of the record.
func (p *Provider) getCareRecord(rq *request, format, bodyFormat carerecord.Format) ([]byte, error) {
	body, err := readBody(rq.r)
	if err != nil {
		return nil, err
	}
	req, err := carerecord.ParseRequest(bodyFormat, body)
	if err != nil {
		return nil, fromCareRecord(err)
	}
	rq.patient = req.NHSNumber
	now := p.Clock.Now()
	today := pcnhub.DateOf(now.In(pcnhub.London))
	pt, rec, err := p.sharedPatient(rq, req.NHSNumber, today, DeceasedShareDays)
	if err != nil {
		return nil, err
	}
	shared, withheld := rec.Shareable()
	sub := carerecord.Subject{
		Patient: carerecord.Patient{ID: idOf(pt.ID), NHSNumber: pt.NHSNumber, Name: pt.Name, Gender: pt.Gender,
			BirthDate: pt.BirthDate, DeceasedDate: pt.DeceasedDate, Address: pt.Address},
		Practice: carerecord.Practice{ID: idOf(rq.practice.ID), ODS: rq.practice.ODS, Name: rq.practice.Name},
		Device:   carerecord.Device{Version: p.SoftwareVersion},
	}
	div, err := carerecord.Render(shared, withheld, req, sub, today)
	if err != nil {
		return nil, fromCareRecord(err)
	}
	out, err := carerecord.Response(format, req, sub, div, now)
	if err != nil {
		return nil, fromCareRecord(err)
	}
	return out, nil
}

// fromCareRecord turns a carerecord error into the provider's own error
// carrying its Spine code; 500s stay internal (logged, never shown).
func fromCareRecord(err error) error {
	var e *carerecord.Error
	if !errors.As(err, &e) || e.Status >= 500 {
		return err
	}
	return spineError(e.Code, "%s", e.Diagnostics)
}

// writeHTMLError answers an error on the HTML root: a DSTU2
// OperationOutcome in the negotiated format (JSON when negotiation
// failed), with the status of the Spine code. Internal errors are logged
// and their text never leaves.
func (p *Provider) writeHTMLError(w http.ResponseWriter, rq *request, format carerecord.Format, err error) {
	spine, sc, diagnostics := classify(err)
	if sc.status >= 500 {
		p.Log.Error("gpconnect internal error", "interaction", interactionID(rq), "trace_id", rq.traceID, "err", err)
	}
	if spine == SpineUnsupportedMediaType {
		format = carerecord.JSON
	}
	body, merr := carerecord.OperationOutcome(format, &carerecord.Error{Status: sc.status, Code: spine, Display: sc.display,
		IssueCode: sc.issue, Diagnostics: diagnostics})
	if merr != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.send(w, rq.r, sc.status, format.ContentType(), &answer{body: body})
}

// negotiateDSTU2 chooses the response format of the HTML root as
// negotiate does for STU3 (§1.4), with the DSTU2 media types; _format
// also takes "json" and "xml".
func negotiateDSTU2(r *http.Request) (carerecord.Format, error) {
	unsupported := func(what, v string) error {
		return spineError(SpineUnsupportedMediaType, "%s %q is not supported: use application/json+fhir or application/xml+fhir", what, v)
	}
	parse := func(v string) (carerecord.Format, bool) {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "json":
			return carerecord.JSON, true
		case "xml":
			return carerecord.XML, true
		}
		return carerecord.ParseFormat(v)
	}
	if fs := r.URL.Query()["_format"]; len(fs) > 0 {
		f, ok := parse(fs[0])
		if !ok {
			return carerecord.JSON, unsupported("_format", fs[0])
		}
		return f, nil
	}
	if accept := r.Header.Get("Accept"); accept != "" {
		for _, part := range strings.Split(accept, ",") {
			if f, ok := parse(part); ok {
				return f, nil
			}
			if mt, _, _ := strings.Cut(strings.TrimSpace(part), ";"); mt == "*/*" {
				return carerecord.JSON, nil
			}
		}
		return carerecord.JSON, unsupported("Accept", accept)
	}
	if f, ok := parse(r.Header.Get("Content-Type")); ok {
		return f, nil
	}
	return carerecord.JSON, nil
}
