package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/duty"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/hub"
	"github.com/pcnhub/pcnhub/record"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// Deployment is how one pcnhub server is set up.
type Deployment struct {
	Calendar        duty.Calendar
	Self            string // scheme and host this server is reached on (hosted service roots)
	PublicBase      string // the --base-url of Location headers; "": from each request
	ProviderTimeout time.Duration
	Clock           pcnhub.Clock
	// Records generates the clinical records the seeded data set did not
	// store (seed.Dataset.GenerateRecord); nil: none.
	Records         func(pcnhub.ODSCode, *pcnhub.Patient) *record.Record
	SoftwareVersion string
	SoftwareRelease time.Time
}

// Assemble builds a whole pcnhub server: the operational endpoints, the
// staff API and web UI with the hub as GP Connect consumer, and every
// hosted practice's GP Connect provider.
func Assemble(store *sqlstore.Store, log *slog.Logger, reg *prometheus.Registry, d Deployment) *Server {
	s := New(store, log, reg)
	s.Calendar, s.BaseURL, s.Clock = d.Calendar, d.Self, d.Clock
	s.Hub = &hub.Hub{Directory: store, Register: &spine.Register{Store: store}, BaseURL: d.Self, Timeout: d.ProviderTimeout,
		Clock: d.Clock, Client: &client.Client{HTTP: &http.Client{Timeout: 2 * d.ProviderTimeout}, Clock: d.Clock.Now}}
	s.UI.Hub, s.UI.Calendar, s.UI.Clock = s.Hub, d.Calendar, d.Clock
	provider := &gpconnect.Provider{Store: store, Clock: d.Clock, Log: log,
		SoftwareName: "pcnhub", SoftwareVersion: d.SoftwareVersion, SoftwareRelease: d.SoftwareRelease, BaseURL: d.PublicBase,
		Observe: s.GPConnectObserver(reg), RecordFallback: d.Records}
	s.Handle("/{ods}"+gpconnect.RootPrefix+"/", provider)     // Foundations, Appointments, Structured
	s.Handle("/{ods}"+gpconnect.HTMLRootPrefix+"/", provider) // Access Record HTML
	return s
}
