package gpconnect

import (
	"strings"
	"testing"
)

func TestAnswerCacheBudgetAndVersions(t *testing.T) {
	c := newAnswerCache(1000)
	a := &answer{key: "a", version: "1.1", body: []byte(strings.Repeat("x", 100))}
	b := &answer{key: "b", version: "1.1", body: []byte(strings.Repeat("y", 100))}
	c.put(a)
	c.put(b)
	if c.get("a", "1.1") != a || c.get("b", "1.1") != b {
		t.Fatal("answers not kept")
	}
	if c.get("a", "2.1") != nil || c.get("a", "1.1") != nil {
		t.Fatal("an answer of an old version was served")
	}
	// Too large for the budget: not kept.
	huge := &answer{key: "h", version: "1", body: make([]byte, 300)}
	c.put(huge)
	if c.get("h", "1") != nil {
		t.Fatal("an answer over a quarter of the budget was kept")
	}
	// Filling the budget evicts the least recently used.
	for i := 0; i < 10; i++ {
		c.put(&answer{key: string(rune('c' + i)), version: "1", body: make([]byte, 100)})
	}
	if c.used > c.budget {
		t.Fatalf("used %d over budget %d", c.used, c.budget)
	}
	if c.get("b", "1.1") != nil {
		t.Fatal("the least recently used answer survived")
	}
	if c.get(string(rune('c'+9)), "1") == nil {
		t.Fatal("the newest answer was evicted")
	}
	// An answer's gzip form made after it was stored does not upset the
	// accounting: removing everything brings the count back to zero.
	for _, el := range c.entries {
		el.Value.(*answer).gzipped()
	}
	for c.lru.Len() > 0 {
		c.remove(c.lru.Back())
	}
	if c.used != 0 {
		t.Fatalf("used %d bytes with the cache empty, want 0", c.used)
	}
}
