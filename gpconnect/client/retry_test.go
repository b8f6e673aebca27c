package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/fhir"
	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/gpconnect/client"
)

// counter is a provider that answers every request with one status (or,
// with status 0, drops the connection) and counts the requests by method.
type counter struct {
	mu     sync.Mutex
	calls  map[string]int
	status int
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.calls[r.Method+" "+r.Header.Get("Ssp-InteractionID")]++
	status := c.status
	c.mu.Unlock()
	if status == 0 {
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("no hijacker")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	w.WriteHeader(status)
}

func (c *counter) count(method, interaction string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method+" "+interaction]
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.calls {
		n += v
	}
	return n
}

// TestWritesNeverRetried: a booking, registration, amendment or
// cancellation answered 502, 503 or 504, or whose connection drops, is
// sent exactly once, however many retries the client allows; the reads
// are retried.
func TestWritesNeverRetried(t *testing.T) {
	appt := &fhir.Appointment{ID: "9", Meta: &fhir.Meta{VersionID: "3"}, Status: "booked", Description: "x",
		Participant: []fhir.AppointmentParticipant{{Actor: &fhir.Reference{Reference: "Patient/1"}, Status: "accepted"}}}
	book := client.BookingRequest{PatientID: "1", SlotIDs: []string{"5"}, LocationID: "2", Description: "Review",
		Start: bookDay, End: bookDay.Add(10 * time.Minute), Organisation: bookingOrg()}
	reg := client.RegisterRequest{NHSNumber: "9000000009", Family: "Test", Given: []string{"Tess"}, BirthDate: pcnhub.Date{Year: 1980, Month: 1, Day: 2}}
	writes := []struct {
		method, interaction string
		call                func(*client.Client, client.Endpoint) error
	}{
		{"POST", gpconnect.IDBookAppointment, func(c *client.Client, ep client.Endpoint) error {
			_, err := c.BookAppointment(ctx, ep, book)
			return err
		}},
		{"POST", gpconnect.IDRegisterPatient, func(c *client.Client, ep client.Endpoint) error {
			_, err := c.RegisterPatient(ctx, ep, reg)
			return err
		}},
		{"PUT", gpconnect.IDAmendAppointment, func(c *client.Client, ep client.Endpoint) error {
			_, err := c.AmendAppointment(ctx, ep, appt, "")
			return err
		}},
		{"PUT", gpconnect.IDCancelAppointment, func(c *client.Client, ep client.Endpoint) error {
			_, err := c.CancelAppointment(ctx, ep, appt, "", "no longer needed")
			return err
		}},
	}
	reads := []struct {
		interaction string
		call        func(*client.Client, client.Endpoint) error
	}{
		{gpconnect.IDSearchPatient, func(c *client.Client, ep client.Endpoint) error {
			_, err := c.FindPatient(ctx, ep, "9000000009")
			return err
		}},
		{gpconnect.IDReadAppointment, func(c *client.Client, ep client.Endpoint) error {
			_, _, err := c.ReadAppointment(ctx, ep, "9")
			return err
		}},
		{gpconnect.IDPatientAppointments, func(c *client.Client, ep client.Endpoint) error {
			_, err := c.PatientAppointments(ctx, ep, "1", pcnhub.DateOf(bookDay), pcnhub.DateOf(bookDay).AddDays(7))
			return err
		}},
	}
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, 0} {
		srv := &counter{calls: map[string]int{}, status: status}
		hs := httptest.NewServer(srv)
		ep := client.Endpoint{Base: hs.URL, ASID: "1"}
		c := newClient()
		c.Retries = 4
		for _, w := range writes {
			err := w.call(c, ep)
			if err == nil {
				t.Errorf("%d: %s succeeded", status, w.interaction)
			}
			if pe, ok := client.IsProviderError(err); status != 0 && (!ok || pe.Status != status) {
				t.Errorf("%d: %s: error %v, want a ProviderError %d", status, w.interaction, err, status)
			}
			if n := srv.count(w.method, w.interaction); n != 1 {
				t.Errorf("answer %d: %s %s sent %d times, want once", status, w.method, w.interaction, n)
			}
		}
		for _, r := range reads {
			if err := r.call(c, ep); err == nil {
				t.Errorf("%d: %s succeeded", status, r.interaction)
			}
			if n := srv.count("GET", r.interaction); n != 1+c.Retries {
				t.Errorf("answer %d: GET %s sent %d times, want %d", status, r.interaction, n, 1+c.Retries)
			}
		}
		if n := srv.total(); n != len(writes)+len(reads)*(1+c.Retries) {
			t.Errorf("answer %d: %d requests in all", status, n)
		}
		hs.Close()
	}
}

// TestRetryStopsOnCancel: a read being retried stops when its context ends.
func TestRetryStopsOnCancel(t *testing.T) {
	srv := &counter{calls: map[string]int{}, status: http.StatusServiceUnavailable}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c := newClient()
	c.Retries, c.Backoff = 5, time.Hour
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		_, _, err := c.ReadAppointment(cctx, client.Endpoint{Base: hs.URL}, "9")
		done <- err
	}()
	for srv.total() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if n := srv.total(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}
