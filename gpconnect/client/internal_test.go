package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestPOSTNeverRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") == "" {
			t.Errorf("%s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := &Client{Retries: 5, Backoff: time.Millisecond}
	_, err := c.do(context.Background(), http.MethodPost, Endpoint{Base: srv.URL}, "/Appointment", "",
		"urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1", "patient/*.write", []byte(`{}`))
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Status != 503 {
		t.Errorf("error %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("POST sent %d times, want once", calls.Load())
	}
}

func TestTransportErrorRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // connection refused from now on
	var n atomic.Int32
	hc := &http.Client{Transport: countingTransport{&n}}
	c := &Client{HTTP: hc, Retries: 2, Backoff: time.Millisecond}
	if _, err := c.do(context.Background(), http.MethodGet, Endpoint{Base: base}, "/metadata", "", "x", "organization/*.read", nil); err == nil {
		t.Fatal("no error from a closed server")
	}
	if n.Load() != 3 {
		t.Errorf("%d attempts, want 3", n.Load())
	}
}

type countingTransport struct{ n *atomic.Int32 }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}
