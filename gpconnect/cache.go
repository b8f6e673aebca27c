package gpconnect

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"strconv"
	"sync"

	"github.com/pcnhub/pcnhub/fhir"
)

// answer is an encoded response body, shared by the requests that get
// the same answer; its gzip form is made once, on first need.
type answer struct {
	key, version string
	body         []byte
	gzOnce       sync.Once
	gz           []byte
	charged      int // bytes counted against the cache budget at put
}

func (a *answer) gzipped() []byte {
	a.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(a.body)
		zw.Close()
		a.gz = buf.Bytes()
	})
	return a.gz
}

// charge is what an answer counts against the budget: key and body, and
// as much again for the gzip form it may gain later.
func (a *answer) charge() int { return 2 * (len(a.key) + len(a.body)) }

// answerCache keeps rendered slot-search answers, least recently used
// first out, within a byte budget. An answer is served only while the
// version it was rendered at is still the store's version (SlotSearchVersion),
// so a change anywhere in what the search reads — in any replica — is seen
// at once. Safe for concurrent use.
type answerCache struct {
	mu      sync.Mutex
	budget  int
	used    int
	entries map[string]*list.Element // of *answer
	lru     list.List                // front: most recent
}

func newAnswerCache(budget int) *answerCache {
	return &answerCache{budget: budget, entries: map[string]*list.Element{}}
}

// get returns the answer for key rendered at version, or nil.
func (c *answerCache) get(key, version string) *answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil
	}
	a := el.Value.(*answer)
	if a.version != version {
		c.remove(el)
		return nil
	}
	c.lru.MoveToFront(el)
	return a
}

// put stores an answer, evicting the least recently used beyond the budget.
// An answer larger than a quarter of the budget is not kept.
func (c *answerCache) put(a *answer) {
	a.charged = a.charge()
	if a.charged*2 > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[a.key]; ok {
		c.remove(el)
	}
	c.entries[a.key] = c.lru.PushFront(a)
	c.used += a.charged
	for c.used > c.budget {
		c.remove(c.lru.Back())
	}
}

func (c *answerCache) remove(el *list.Element) {
	a := el.Value.(*answer)
	delete(c.entries, a.key)
	c.used -= a.charged // exactly what put added, whatever it gained since
	c.lru.Remove(el)
}

// slotCacheKey names a slot search's answer: practice, format, base URL
// (entries carry absolute fullUrls), window, filters and includes.
func slotCacheKey(rq *request, sq *slotQuery) string {
	b := make([]byte, 0, 160)
	b = strconv.AppendInt(b, rq.practice.ID, 10)
	b = append(b, '|')
	if rq.format == fhir.XML {
		b = append(b, 'x')
	} else {
		b = append(b, 'j')
	}
	b = append(b, '|')
	b = append(b, rq.base...)
	b = append(b, '|')
	b = strconv.AppendInt(b, sq.from.UnixMicro(), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, sq.to.UnixMicro(), 10)
	b = append(b, '|')
	b = append(b, sq.filter.OrgType...)
	b = append(b, '|')
	b = append(b, sq.filter.ODS...)
	b = append(b, '|')
	for _, inc := range []bool{sq.practitioner, sq.location, sq.organisation} {
		if inc {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
	}
	return string(b)
}
