package spine

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
)

// Capability is what a data sharing agreement lets one organisation use
// of another's: its appointment book, its patients' records, tasks sent to
// it, consultations written back to it.
type Capability string

const (
	Appointments Capability = "appointments"
	CareRecord   Capability = "care-record"
	Tasks        Capability = "tasks"
	WriteBack    Capability = "write-back"
)

// Capabilities are every capability an agreement can cover.
var Capabilities = []Capability{Appointments, CareRecord, Tasks, WriteBack}

// Valid reports whether c is a known capability.
func (c Capability) Valid() bool { return slices.Contains(Capabilities, c) }

// Agreement is a data sharing agreement: Provider shares Capability with
// Consumer from From to Until (inclusive dates; zero Until: open-ended).
// Agreements are one-way; the usual PCN agreement is recorded both ways.
type Agreement struct {
	ID         int64          `json:"id"`
	Provider   pcnhub.ODSCode `json:"provider"`
	Consumer   pcnhub.ODSCode `json:"consumer"`
	Capability Capability     `json:"capability"`
	From       pcnhub.Date    `json:"from"`
	Until      pcnhub.Date    `json:"until,omitzero"`
	Reference  string         `json:"reference,omitempty"` // the signed agreement's reference, for people
	Created    time.Time      `json:"created,omitzero"`
	CreatedBy  string         `json:"createdBy,omitempty"`
}

// InForce reports whether the agreement covers day d.
func (a *Agreement) InForce(d pcnhub.Date) bool {
	return !d.Before(a.From) && (a.Until.IsZero() || !a.Until.Before(d))
}

// Validate checks an agreement before it is stored (EINVALID).
func (a *Agreement) Validate() error {
	switch {
	case a.Provider == "" || a.Consumer == "":
		return pcnhub.Errorf(pcnhub.EINVALID, "an agreement names the organisation that shares and the one that may use it")
	case a.Provider == a.Consumer:
		return pcnhub.Errorf(pcnhub.EINVALID, "an organisation needs no agreement with itself")
	case !a.Capability.Valid():
		return pcnhub.Errorf(pcnhub.EINVALID, "%q is not a capability (%s)", a.Capability, capabilityList())
	case a.From.IsZero():
		return pcnhub.Errorf(pcnhub.EINVALID, "an agreement needs the date it comes into force")
	case !a.Until.IsZero() && a.Until.Before(a.From):
		return pcnhub.Errorf(pcnhub.EINVALID, "the agreement ends (%s) before it starts (%s)", a.Until, a.From)
	}
	return nil
}

func capabilityList() string {
	var s []string
	for _, c := range Capabilities {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// ParseCapabilities reads a comma-separated list of capabilities (EINVALID).
func ParseCapabilities(s string) ([]Capability, error) {
	var out []Capability
	for _, f := range strings.Split(s, ",") {
		c := Capability(strings.TrimSpace(strings.ToLower(f)))
		if !c.Valid() {
			return nil, pcnhub.Errorf(pcnhub.EINVALID, "%q is not a capability (%s)", strings.TrimSpace(f), capabilityList())
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Allowed reports whether consumer may use provider's capability on day d
// under the agreements: an organisation always may use its own; otherwise
// an agreement in force must cover it.
func Allowed(agreements []Agreement, provider, consumer pcnhub.ODSCode, c Capability, d pcnhub.Date) bool {
	if provider == consumer {
		return true
	}
	for i := range agreements {
		a := &agreements[i]
		if a.Provider == provider && a.Consumer == consumer && a.Capability == c && a.InForce(d) {
			return true
		}
	}
	return false
}

// Service is a GP Connect capability with a service root of its own
// (gpconnect.md §1.1): Foundations and Appointment Management share one.
type Service string

const (
	ServiceGPConnect  Service = "gpconnect"
	ServiceStructured Service = "structured"
)

// Valid reports whether s is a known service.
func (s Service) Valid() bool { return s == ServiceGPConnect || s == ServiceStructured }

// Endpoint is where an organisation answers a GP Connect service: its
// service root and ASID, as SDS would give them (gpconnect.md §1.1,
// nhs-interop.md §6.2). Hosted endpoints are this deployment's own.
type Endpoint struct {
	ODS     pcnhub.ODSCode `json:"ods"`
	Service Service        `json:"service"`
	URL     string         `json:"url"` // service root, no trailing slash
	ASID    pcnhub.ASID    `json:"asid"`
	Hosted  bool           `json:"hosted"`
	Updated time.Time      `json:"updated,omitzero"`
}

// Validate checks an endpoint before it is stored (EINVALID).
func (e *Endpoint) Validate() error {
	if _, err := pcnhub.ParseODSCode(string(e.ODS)); err != nil {
		return err
	}
	if !e.Service.Valid() {
		return pcnhub.Errorf(pcnhub.EINVALID, "%q is not a service (gpconnect, structured)", e.Service)
	}
	u, err := url.Parse(e.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return pcnhub.Errorf(pcnhub.EINVALID, "%q is not a service root URL (https://host/ODS/STU3/1/gpconnect)", e.URL)
	}
	if strings.HasSuffix(e.URL, "/") {
		return pcnhub.Errorf(pcnhub.EINVALID, "a service root has no trailing slash: %q", e.URL)
	}
	if _, err := pcnhub.ParseASID(string(e.ASID)); err != nil {
		return err
	}
	return nil
}

// HostedRoot is the service root of a hosted organisation on a deployment
// reachable at base (scheme and host, e.g. http://127.0.0.1:8080).
func HostedRoot(base string, ods pcnhub.ODSCode, s Service) string {
	root := strings.TrimSuffix(base, "/") + "/" + string(ods) + "/STU3/1/gpconnect"
	if s == ServiceStructured {
		root += "/structured"
	}
	return root
}

// String describes an agreement for people.
func (a *Agreement) String() string {
	until := "open-ended"
	if !a.Until.IsZero() {
		until = "until " + a.Until.String()
	}
	return fmt.Sprintf("%s shares %s with %s from %s, %s", a.Provider, a.Capability, a.Consumer, a.From, until)
}
