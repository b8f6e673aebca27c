package demo

import (
	"hash/fnv"
	"iter"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/rota"
	"github.com/pcnhub/pcnhub/schedule"
	"github.com/pcnhub/pcnhub/seed"
)

// Bookings made at the practices: about one slot in twenty (half the home
// visits) is booked at reception for one of the practice's patients. NHS
// 111 slots are kept for 111. Whether a slot is booked, and by whom,
// depends only on its session and start, so loading on a later day agrees
// with what is stored.

// mix is a splitmix64 hash of two values: the deterministic "randomness"
// of a slot, from its schedule and start.
func mix(a, b uint64) uint64 {
	z := a*0x9e3779b97f4a7c15 ^ (b + 0x632be59bd9b4e019)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// bookedPerMille is how many slots in a thousand are booked at the
// practice; visitPerMille is the same for home visits.
const (
	bookedPerMille = 55
	visitPerMille  = 500
)

// patientInfo is what choosing a patient for a booking needs.
type patientInfo struct {
	nhs    pcnhub.NHSNumber
	female bool
	age    int
}

// activePatients returns the active list of practice k, in NHS number order.
func activePatients(k int) []patientInfo {
	p := &practices[k]
	out := make([]patientInfo, 0, p.listSize)
	for pt := range Patients(0xDE30_0000+uint64(k), p.listSize, uint32(activeBlock+k*blockSize), p.mainSite()) {
		out = append(out, patientInfo{pt.NHSNumber, pt.Gender == pcnhub.GenderFemale, pt.BirthDate.AgeOn(ReferenceDate)})
	}
	return out
}

// suits reports whether a patient is plausible for a slot type.
func suits(p *patientInfo, slotType string) bool {
	switch slotType {
	case typeAntenatal:
		return p.female && p.age >= 18 && p.age <= 44
	case typePharmacist, typeBloodTest:
		return p.age >= 18
	case typeHomeVisit:
		return p.age >= 70
	}
	return true
}

var descriptions = map[string]string{
	typeRoutineGP:  "Routine appointment booked at reception",
	typeSameDayGP:  "Same-day appointment booked at reception",
	typeRegistrar:  "Appointment with the GP registrar",
	typePharmacist: "Medication review",
	typeHCA:        "Healthcare assistant appointment",
	typeBloodTest:  "Blood test",
	typeAntenatal:  "Antenatal check",
	typeNurse:      "Practice nurse appointment",
	typeHomeVisit:  "Home visit",
}

// appointments yields the bookings made at the practices for the SlotDays
// days from today: each a single slot of a book's session, for a patient
// of the practice.
func appointments(today pcnhub.Date) iter.Seq[seed.Appointment] {
	return func(yield func(seed.Appointment) bool) {
		orgs := organisations()
		byODS := map[pcnhub.ODSCode]*pcnhub.Organisation{}
		for i := range orgs {
			byODS[orgs[i].ODS] = &orgs[i]
		}
		env := rota.Env{BankHolidays: map[pcnhub.Date]bool{}}
		for _, d := range BankHolidays {
			env.BankHolidays[d] = true
		}
		books := Books()
		for k := range practices {
			b := &books[k]
			var list []patientInfo // made on first use
			org := byODS[practices[k].ods]
			for i, slots := range rota.Generate(b, today, today.AddDays(SlotDays), env) {
				name := b.Sessions[i].Name
				h := fnv.New64a()
				h.Write([]byte(name))
				sessionHash := h.Sum64()
				for _, s := range slots {
					if s.Bookable && s.ServiceType == type111 || s.Status != schedule.SlotFree {
						continue // kept for NHS 111
					}
					h := mix(sessionHash, uint64(s.Start.Unix()))
					rate := uint64(bookedPerMille)
					if s.DeliveryChannel == schedule.Visit {
						rate = visitPerMille
					}
					if h%1000 >= rate {
						continue
					}
					if list == nil {
						list = activePatients(k)
					}
					p := int((h >> 20) % uint64(len(list)))
					for n := 0; n < len(list) && !suits(&list[p], s.ServiceType); n++ {
						p = (p + 1) % len(list)
					}
					a := seed.Appointment{OrgODS: org.ODS, Session: name, Patient: list[p].nhs, Appointment: schedule.Appointment{
						Start:       s.Start,
						End:         s.End,
						Status:      schedule.Booked,
						Description: descriptions[s.ServiceType],
						BookedVia:   schedule.BookedViaPractice,
						BookingOrganisation: schedule.BookingOrganisation{ODS: org.ODS, Name: org.Name,
							Telecom: org.Telecom, Type: pcnhub.OrgGPPractice},
					}}
					if s.DeliveryChannel == schedule.Visit {
						a.Comment = "Home visit: housebound patient"
					}
					if !yield(a) {
						return
					}
				}
			}
		}
	}
}
