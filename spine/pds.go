// Package spine is pcnhub's trust layer: the PDS-like demographic register
// (trace by NHS number or by demographics), and later the endpoint
// directory and data sharing agreements. It holds rules, not I/O: the
// storage it needs is declared as interfaces.
package spine

import (
	"context"
	"strings"

	"github.com/pcnhub/pcnhub"
)

// PeopleStore is the storage the register needs.
type PeopleStore interface {
	// PersonByNHSNumber returns the stored entry; ENOTFOUND when absent.
	PersonByNHSNumber(ctx context.Context, nhs pcnhub.NHSNumber) (*pcnhub.Person, error)
	// PeopleBornOn returns entries born on a date whose family name equals
	// (or with prefix, starts with) family, case-insensitively.
	PeopleBornOn(ctx context.Context, birth pcnhub.Date, family string, prefix bool, limit int) ([]*pcnhub.Person, error)
}

// MaxTraceResults is the most matches a demographic trace returns, as for
// a healthcare worker on PDS.
const MaxTraceResults = 50

// Register is the PDS-like demographic register. It applies PDS's rules
// on top of the stored entries:
//   - invalidated entries are never returned;
//   - retrieving a superseded number returns the superseding entry;
//   - a sensitive (S-flag) person's address, telecom and GP are withheld,
//     and a trace that uses a postcode never returns them.
type Register struct {
	Store PeopleStore
}

// maxSupersededHops bounds the chain followed from a superseded number.
const maxSupersededHops = 5

// Retrieve returns the current register entry for an NHS number,
// following supersession. ENOTFOUND when the number is unknown or invalidated.
func (r *Register) Retrieve(ctx context.Context, nhs pcnhub.NHSNumber) (*pcnhub.Person, error) {
	p, err := r.Store.PersonByNHSNumber(ctx, nhs)
	for hops := 0; err == nil && p.SupersededBy != "" && hops < maxSupersededHops; hops++ {
		p, err = r.Store.PersonByNHSNumber(ctx, p.SupersededBy)
	}
	if err != nil {
		return nil, err
	}
	if p.Invalidated {
		return nil, pcnhub.Errorf(pcnhub.ENOTFOUND, "NHS number not found in the demographic register")
	}
	return restrict(p), nil
}

// Trace searches the register by demographics. The query needs at least
// a family name and a birth date (EINVALID otherwise); matches on every
// other field given are required. Each match scores 1.0 when every name
// given matched exactly, 0.8 when a wildcard was needed. Results are at
// most MaxTraceResults, best first.
func (r *Register) Trace(ctx context.Context, q pcnhub.TraceQuery) ([]pcnhub.TraceMatch, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	family, famWild := strings.CutSuffix(strings.TrimSpace(q.Family), "*")
	candidates, err := r.Store.PeopleBornOn(ctx, q.BirthDate, family, famWild, 1000)
	if err != nil {
		return nil, err
	}
	given, givenWild := strings.CutSuffix(strings.ToLower(strings.TrimSpace(q.Given)), "*")
	postcode := normalisePostcode(q.Postcode)
	var out, inexact []pcnhub.TraceMatch
	for _, p := range candidates {
		if p.Invalidated || p.SupersededBy != "" {
			continue
		}
		if q.Gender != "" && p.Gender != q.Gender {
			continue
		}
		if postcode != "" && (p.Sensitive || normalisePostcode(p.Address.Postcode) != postcode) {
			continue
		}
		if given != "" && !givenMatches(p.Name.Given, given, givenWild) {
			continue
		}
		m := pcnhub.TraceMatch{Person: *restrict(p), Score: 1.0}
		if famWild || givenWild {
			m.Score = 0.8
			inexact = append(inexact, m)
		} else {
			out = append(out, m)
		}
	}
	out = append(out, inexact...)
	if len(out) > MaxTraceResults {
		out = out[:MaxTraceResults]
	}
	return out, nil
}

func givenMatches(names []string, want string, prefix bool) bool {
	for _, n := range names {
		n = strings.ToLower(n)
		if n == want || (prefix && strings.HasPrefix(n, want)) {
			return true
		}
	}
	return false
}

func normalisePostcode(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// restrict withholds a sensitive person's address, telecom and GP.
func restrict(p *pcnhub.Person) *pcnhub.Person {
	if !p.Sensitive {
		return p
	}
	c := *p
	c.Address, c.Telecom, c.GPPractice = pcnhub.Address{}, nil, ""
	return &c
}
