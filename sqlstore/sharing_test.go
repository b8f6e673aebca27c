package sqlstore_test

import (
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

func TestEndpointDirectory(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		mustOrg(t, s, "A99991") // hosted
		remote := &spine.Endpoint{ODS: "A81001", Service: spine.ServiceGPConnect,
			URL: "https://gpc.example.nhs.uk/A81001/STU3/1/gpconnect", ASID: "200000000610"}
		if err := s.PutEndpoint(ctx, remote); err != nil {
			t.Fatal(err)
		}
		remote.URL = "https://gpc2.example.nhs.uk/A81001/STU3/1/gpconnect"
		if err := s.PutEndpoint(ctx, remote); err != nil {
			t.Fatal(err)
		}
		got, err := s.ResolveEndpoint(ctx, "A81001", spine.ServiceGPConnect, "http://hub.example")
		if err != nil || got.URL != remote.URL || got.ASID != "200000000610" || got.Hosted {
			t.Fatalf("remote: %+v %v", got, err)
		}
		hosted, err := s.ResolveEndpoint(ctx, "A99991", spine.ServiceGPConnect, "http://hub.example")
		if err != nil || hosted.URL != "http://hub.example/A99991/STU3/1/gpconnect" || !hosted.Hosted {
			t.Fatalf("hosted: %+v %v", hosted, err)
		}
		if _, err := s.ResolveEndpoint(ctx, "A81001", spine.ServiceStructured, "http://hub.example"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("no structured endpoint: %v", err)
		}
		if err := s.PutEndpoint(ctx, &spine.Endpoint{ODS: "A99991", Service: spine.ServiceGPConnect, URL: "https://x.example/A", ASID: "200000000611"}); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("endpoint for a hosted organisation: %v", err)
		}
		all, err := s.Endpoints(ctx, "http://hub.example")
		if err != nil || len(all) != 2 || !all[0].Hosted || all[1].ODS != "A81001" {
			t.Fatalf("directory %+v %v", all, err)
		}
		if err := s.DeleteEndpoint(ctx, "A81001", spine.ServiceGPConnect); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteEndpoint(ctx, "A81001", spine.ServiceGPConnect); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("second delete: %v", err)
		}
	})
}

func TestAgreementsInForce(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		mustOrg(t, s, "A99991")
		mustOrg(t, s, "A99992")
		a := &spine.Agreement{Provider: "A99991", Consumer: "A99992", Capability: spine.Appointments,
			From: pcnhub.Date{Year: 2026, Month: 4, Day: 1}, Until: pcnhub.Date{Year: 2027, Month: 3, Day: 31}}
		if err := s.AddAgreement(ctx, a); err != nil {
			t.Fatal(err)
		}
		for d, want := range map[pcnhub.Date]int{
			{Year: 2026, Month: 3, Day: 31}: 0, {Year: 2026, Month: 4, Day: 1}: 1, {Year: 2027, Month: 3, Day: 31}: 1, {Year: 2027, Month: 4, Day: 1}: 0,
		} {
			got, err := s.SharingCapabilities(ctx, "A99991", "A99992", d)
			if err != nil || len(got) != want {
				t.Errorf("%s: %v %v, want %d", d, got, err, want)
			}
			if back, _ := s.SharingCapabilities(ctx, "A99992", "A99991", d); len(back) != 0 {
				t.Errorf("%s: an agreement is one-way, got %v back", d, back)
			}
		}
		if err := s.EndAgreement(ctx, a.ID, pcnhub.Date{Year: 2026, Month: 3, Day: 1}, "test"); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
			t.Fatalf("ending before the start: %v", err)
		}
		if err := s.EndAgreement(ctx, a.ID, pcnhub.Date{Year: 2026, Month: 6, Day: 30}, "test"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SharingCapabilities(ctx, "A99991", "A99992", pcnhub.Date{Year: 2026, Month: 7, Day: 1}); len(got) != 0 {
			t.Fatalf("after the end: %v", got)
		}
		if err := s.AddAgreement(ctx, &spine.Agreement{Provider: "A99991", Consumer: "Q99999", Capability: spine.Appointments,
			From: pcnhub.Date{Year: 2026, Month: 4, Day: 1}}); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Fatalf("unknown consumer: %v", err)
		}
	})
}
