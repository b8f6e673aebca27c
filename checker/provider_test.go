package checker_test

import (
	"context"
	"testing"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/checker"
	"github.com/pcnhub/pcnhub/gpconnect/client"
	"github.com/pcnhub/pcnhub/gpconnect/client/clienttest"
)

// Our own provider's answer has no problems, whatever the filters.
func TestOwnProvider(t *testing.T) {
	pnow := time.Date(2026, 11, 24, 9, 0, 0, 0, pcnhub.London)
	first := pcnhub.DateOf(pnow).AddDays(1)
	ep := clienttest.Provider(t, pnow, first)
	c := &client.Client{Clock: func() time.Time { return pnow }, Identity: client.Identity{
		OrgODS: "Y99911", OrgName: "Test 111", PractitionerID: "1", PractitionerFamily: "Tester",
		DeviceSystem: "https://pcnhub.example/Id/device", DeviceValue: "checker-test", DeviceModel: "pcnhub", DeviceVersion: "test",
		ASID: "200000000359", Issuer: "https://consumer.example"}}
	last := first.AddDays(6)
	for _, q := range []client.SlotQuery{
		{From: first, To: last},
		{From: first, To: last, OrgType: pcnhub.OrgUrgentCare, ConsumerODS: "Y99911"},
		{From: first, To: last, OrgType: pcnhub.OrgGPPractice},
	} {
		b, raw, err := c.SearchSlots(context.Background(), ep, q)
		if err != nil {
			t.Fatal(err)
		}
		r := checker.Analyse(raw, b, first.Time(pcnhub.London), last.AddDays(1).Time(pcnhub.London), pnow)
		if len(r.Problems) != 0 {
			t.Errorf("%+v: problems %+v", q, r.Problems)
		}
		if r.Slots < clienttest.BookSlots || r.ByDay[first.String()] < clienttest.BookSlots ||
			r.BySession["Morning surgery"] != clienttest.BookSlots || r.ByChannel["In-person"] < clienttest.BookSlots {
			t.Errorf("%+v: report %+v", q, r)
		}
	}
}
