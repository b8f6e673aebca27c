package spine_test

import (
	"context"
	"testing"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/spine"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/sqlstore/sqltest"
)

var ctx = context.Background()

func nhs(t *testing.T, prefix uint32) pcnhub.NHSNumber {
	t.Helper()
	for ; ; prefix++ {
		if n, ok := pcnhub.NHSNumberFromPrefix(prefix); ok {
			return n
		}
	}
}

func load(t *testing.T, s *sqlstore.Store, people []pcnhub.Person) {
	t.Helper()
	w, err := s.BeginPeopleWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	for i := range people {
		if err := w.Add(ctx, &people[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRegister(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		dob := pcnhub.Date{Year: 1952, Month: 5, Day: 31}
		home := pcnhub.Address{Lines: []string{"1 Square"}, City: "Leeds", Postcode: "LS1 6AE"}
		phone := []pcnhub.ContactPoint{{System: "phone", Use: "home", Value: "01632 960555"}}
		jane, janet, brown, secret, old, current, gone := nhs(t, 999_800_000), nhs(t, 999_800_010), nhs(t, 999_800_020),
			nhs(t, 999_800_030), nhs(t, 999_800_040), nhs(t, 999_800_050), nhs(t, 999_800_060)
		load(t, s, []pcnhub.Person{
			{NHSNumber: jane, Name: pcnhub.HumanName{Given: []string{"Jane"}, Family: "Jackson"}, BirthDate: dob, Gender: pcnhub.GenderFemale, Address: home, Telecom: phone, GPPractice: "A99991"},
			{NHSNumber: janet, Name: pcnhub.HumanName{Given: []string{"Janet", "Mary"}, Family: "JACKSON"}, BirthDate: dob, Gender: pcnhub.GenderFemale, Address: pcnhub.Address{Postcode: "LS2 7AA"}},
			{NHSNumber: brown, Name: pcnhub.HumanName{Given: []string{"Jane"}, Family: "Jacks_on%"}, BirthDate: dob, Gender: pcnhub.GenderMale},
			{NHSNumber: secret, Name: pcnhub.HumanName{Given: []string{"Jane"}, Family: "Jackson"}, BirthDate: dob, Gender: pcnhub.GenderFemale, Address: home, Telecom: phone, GPPractice: "A99992", Sensitive: true},
			{NHSNumber: old, Name: pcnhub.HumanName{Given: []string{"Ann"}, Family: "Lee"}, BirthDate: dob, Gender: pcnhub.GenderFemale, SupersededBy: current},
			{NHSNumber: current, Name: pcnhub.HumanName{Given: []string{"Ann"}, Family: "Lee"}, BirthDate: dob, Gender: pcnhub.GenderFemale},
			{NHSNumber: gone, Name: pcnhub.HumanName{Given: []string{"Ann"}, Family: "Lee"}, BirthDate: dob, Gender: pcnhub.GenderFemale, Invalidated: true},
		})
		r := &spine.Register{Store: s}

		// Retrieve follows supersession and hides invalidated entries.
		if p, err := r.Retrieve(ctx, old); err != nil || p.NHSNumber != current {
			t.Errorf("retrieve superseded: %v %v, want %s", p, err, current)
		}
		if _, err := r.Retrieve(ctx, gone); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Errorf("retrieve invalidated: %v", err)
		}
		if _, err := r.Retrieve(ctx, "9999999999"); pcnhub.ErrorCode(err) != pcnhub.ENOTFOUND {
			t.Errorf("retrieve unknown: %v", err)
		}
		// A sensitive person's address, telecom and GP are withheld.
		p, err := r.Retrieve(ctx, secret)
		if err != nil || !p.Address.IsZero() || p.Telecom != nil || p.GPPractice != "" || p.Name.Family != "Jackson" {
			t.Errorf("retrieve sensitive: %+v %v", p, err)
		}
		if p, _ := r.Retrieve(ctx, jane); p.GPPractice != "A99991" || p.Address.Postcode != "LS1 6AE" {
			t.Errorf("retrieve ordinary: %+v", p)
		}

		numbers := func(ms []pcnhub.TraceMatch) (out []pcnhub.NHSNumber) {
			for _, m := range ms {
				out = append(out, m.Person.NHSNumber)
			}
			return out
		}
		cases := []struct {
			name  string
			q     pcnhub.TraceQuery
			want  []pcnhub.NHSNumber
			score float64
		}{
			{"family and dob, any case", pcnhub.TraceQuery{Family: "jackson", BirthDate: dob}, []pcnhub.NHSNumber{jane, janet, secret}, 1},
			{"given narrows", pcnhub.TraceQuery{Family: "Jackson", Given: "Janet", BirthDate: dob}, []pcnhub.NHSNumber{janet}, 1},
			{"second given name matches", pcnhub.TraceQuery{Family: "Jackson", Given: "mary", BirthDate: dob}, []pcnhub.NHSNumber{janet}, 1},
			{"wildcard family", pcnhub.TraceQuery{Family: "Jac*", Given: "Jane", BirthDate: dob, Gender: pcnhub.GenderFemale}, []pcnhub.NHSNumber{jane, secret}, 0.8},
			{"LIKE metacharacters are literal", pcnhub.TraceQuery{Family: "Jacks_on%", BirthDate: dob}, []pcnhub.NHSNumber{brown}, 1},
			{"postcode never returns sensitive people", pcnhub.TraceQuery{Family: "Jackson", BirthDate: dob, Postcode: "ls16ae"}, []pcnhub.NHSNumber{jane}, 1},
			{"superseded and invalidated are skipped", pcnhub.TraceQuery{Family: "Lee", BirthDate: dob}, []pcnhub.NHSNumber{current}, 1},
			{"wrong birth date", pcnhub.TraceQuery{Family: "Jackson", BirthDate: dob.AddDays(1)}, nil, 0},
		}
		for _, c := range cases {
			got, err := r.Trace(ctx, c.q)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if g, w := numbers(got), c.want; len(g) != len(w) || (len(g) > 0 && (g[0] != w[0] || g[len(g)-1] != w[len(w)-1])) {
				t.Errorf("%s: got %v, want %v", c.name, g, w)
			}
			for _, m := range got {
				if m.Score != c.score {
					t.Errorf("%s: score %v, want %v", c.name, m.Score, c.score)
				}
				if m.Person.Sensitive && (m.Person.GPPractice != "" || !m.Person.Address.IsZero()) {
					t.Errorf("%s: sensitive person's details returned", c.name)
				}
			}
		}
		for _, q := range []pcnhub.TraceQuery{{Family: "Jackson"}, {BirthDate: dob}, {Family: "J*", BirthDate: dob}, {Family: "Ja*son", BirthDate: dob}} {
			if _, err := r.Trace(ctx, q); pcnhub.ErrorCode(err) != pcnhub.EINVALID {
				t.Errorf("trace %+v: %v, want EINVALID", q, err)
			}
		}
	})
}
