package fhir

import "testing"

func TestLogicalIDCoversEveryResourceType(t *testing.T) {
	for _, name := range ResourceTypes() {
		r, err := Unmarshal(JSON, []byte(`{"resourceType":"`+name+`","id":"x1"}`))
		if err != nil {
			continue // types whose minimal form needs more than an id
		}
		if got := LogicalID(r); got != "x1" {
			t.Errorf("LogicalID of a %s = %q, want x1", name, got)
		}
	}
	if got := LogicalID(&Slot{ID: "42"}); got != "42" {
		t.Errorf("LogicalID(Slot) = %q", got)
	}
}
