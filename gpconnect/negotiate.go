package gpconnect

import (
	"mime"
	"net/http"
	"strings"

	"github.com/pcnhub/pcnhub/fhir"
)

// formatOf maps a media type (parameters ignored) or a _format value to a
// FHIR format. ok is false for anything we do not serve.
func formatOf(v string) (fhir.Format, bool) {
	mt := strings.TrimSpace(v)
	if parsed, _, err := mime.ParseMediaType(v); err == nil {
		mt = parsed
	}
	switch strings.ToLower(mt) {
	case fhir.MIMEJSON, "json":
		return fhir.JSON, true
	case fhir.MIMEXML, "xml":
		return fhir.XML, true
	}
	return fhir.JSON, false
}

// negotiate chooses the response format (§1.4): _format wins over Accept;
// without either, the request's Content-Type; with nothing, JSON. An Accept
// listing several types is satisfied by the first FHIR one; "*/*" means
// JSON. Returns an UNSUPPORTED_MEDIA_TYPE error (415) for anything else.
func negotiate(r *http.Request) (fhir.Format, error) {
	if fs := r.URL.Query()["_format"]; len(fs) > 0 {
		f, ok := formatOf(fs[0])
		if !ok {
			return fhir.JSON, spineError(SpineUnsupportedMediaType, "_format %q is not supported: use %s or %s", fs[0], fhir.MIMEJSON, fhir.MIMEXML)
		}
		return f, nil
	}
	if accept := r.Header.Get("Accept"); accept != "" {
		for _, part := range strings.Split(accept, ",") {
			if f, ok := formatOf(part); ok {
				return f, nil
			}
			if mt, _, _ := mime.ParseMediaType(part); mt == "*/*" {
				return fhir.JSON, nil
			}
		}
		return fhir.JSON, spineError(SpineUnsupportedMediaType, "Accept %q is not supported: use %s or %s", accept, fhir.MIMEJSON, fhir.MIMEXML)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if f, ok := formatOf(ct); ok {
			return f, nil
		}
	}
	return fhir.JSON, nil
}

// bodyFormat returns the format of a request body from Content-Type: 415
// when it is missing or not FHIR JSON/XML.
func bodyFormat(r *http.Request) (fhir.Format, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return fhir.JSON, spineError(SpineUnsupportedMediaType, "Content-Type is missing: send %s or %s", fhir.MIMEJSON, fhir.MIMEXML)
	}
	f, ok := formatOf(ct)
	if !ok {
		return fhir.JSON, spineError(SpineUnsupportedMediaType, "Content-Type %q is not supported: use %s or %s", ct, fhir.MIMEJSON, fhir.MIMEXML)
	}
	return f, nil
}

// contentType is the Content-Type of a response in format f (no space
// before charset, as the specification's examples).
func contentType(f fhir.Format) string {
	if f == fhir.XML {
		return fhir.MIMEXML + ";charset=utf-8"
	}
	return fhir.MIMEJSON + ";charset=utf-8"
}
