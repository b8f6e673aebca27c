package sqlstore_test

import (
	"testing"

	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

func TestGPADMappings(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		b := newBook(t, s, "A99991")
		other := newBook(t, s, "A99992")
		slots := slotsFrom(b.sched, london(2026, 12, 1, 9, 0), 2)
		slots[1].ServiceType = "Blood test"
		writeSlots(t, s, slots)
		m := gpad.Mapping{SlotType: "Routine GP appointment", Category: "General Consultation Routine", Setting: "General Practice"}
		if err := s.SetGPADMapping(ctx, b.org, m); err != nil {
			t.Fatal(err)
		}
		m.Category = "General Consultation Acute" // a change replaces it
		if err := s.SetGPADMapping(ctx, b.org, m); err != nil {
			t.Fatal(err)
		}
		got, err := s.GPADMappings(ctx, b.org)
		if err != nil || len(got) != 1 || got["Routine GP appointment"] != m {
			t.Fatalf("mappings %v %v", got, err)
		}
		if got, _ := s.GPADMappings(ctx, other.org); len(got) != 0 {
			t.Fatalf("another practice's mappings leaked: %v", got)
		}
		inUse, err := s.SlotTypesInUse(ctx, b.org)
		if err != nil || len(inUse) != 2 || inUse[0] != "Blood test" || inUse[1] != "Routine GP appointment" {
			t.Fatalf("slot types in use %v %v", inUse, err)
		}
		if u := gpad.UnmappedTypes(inUse, got); len(u) != 1 || u[0] != "Blood test" {
			t.Fatalf("unmapped %v", u)
		}
	})
}
