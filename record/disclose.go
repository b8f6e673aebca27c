package record

// Disclosed returns a copy of the record in which no item is marked
// Confidential, for a GP Connect migration that includes sensitive
// information ($gpc.migratestructuredrecord with
// includeSensitiveInformation, §3.3): confidential items move with the
// record, so Shareable of the copy withholds only the items awaiting
// filing, which are never sent. Every other field, AwaitingFiling included,
// is kept. The copy shares the nested slices (manifestations, issues,
// links, topics, components, specimens) with the receiver, which is not
// modified; Shareable deep-copies what it returns.
func (r *Record) Disclosed() *Record {
	out := *r
	out.Allergies = disclose(r.Allergies, func(x *Allergy) *Item { return &x.Item })
	out.Medications = disclose(r.Medications, func(x *Medication) *Item { return &x.Item })
	out.Problems = disclose(r.Problems, func(x *Problem) *Item { return &x.Item })
	out.Consultations = disclose(r.Consultations, func(x *Consultation) *Item { return &x.Item })
	out.Observations = disclose(r.Observations, func(x *Observation) *Item { return &x.Item })
	out.Immunisations = disclose(r.Immunisations, func(x *Immunisation) *Item { return &x.Item })
	out.Investigations = disclose(r.Investigations, func(x *Investigation) *Item { return &x.Item })
	out.TestResults = disclose(r.TestResults, func(x *TestResult) *Item { return &x.Item })
	out.Referrals = disclose(r.Referrals, func(x *Referral) *Item { return &x.Item })
	out.DiaryEntries = disclose(r.DiaryEntries, func(x *DiaryEntry) *Item { return &x.Item })
	out.Documents = disclose(r.Documents, func(x *Document) *Item { return &x.Item })
	return &out
}

// disclose copies xs with the Confidential flag of every item cleared; nil
// stays nil.
func disclose[T any](xs []T, item func(*T) *Item) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, len(xs))
	copy(out, xs)
	for i := range out {
		item(&out[i]).Confidential = false
	}
	return out
}
