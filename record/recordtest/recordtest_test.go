package recordtest

import (
	"testing"

	"github.com/pcnhub/pcnhub"
)

func TestLarge(t *testing.T) {
	for _, n := range []int{50, 1000, 10000} {
		r := Large("9990000018", "A99991", "G1000001", pcnhub.Date{Year: 2026, Month: 11, Day: 24}, n)
		if err := r.Validate(); err != nil {
			t.Fatalf("%d: %v", n, err)
		}
		if got := r.Items(); got < n || got > n+5 {
			t.Errorf("Large(%d) has %d items", n, got)
		}
		shared, w := r.Shareable()
		if shared.Items() >= r.Items() || len(w) == 0 {
			t.Errorf("Large(%d): %d of %d items shareable; withholdings %v", n, shared.Items(), r.Items(), w)
		}
		if len(r.Problems) == 0 || len(r.Consultations) == 0 || len(r.Investigations) == 0 || len(r.DiaryEntries) == 0 {
			t.Errorf("Large(%d) leaves an area empty", n)
		}
	}
}
