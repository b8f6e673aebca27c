package assurance

import (
	"fmt"
	"iter"
	"strconv"

	"github.com/pcnhub/pcnhub"
)

// Register patients (Data/RegisterPatients.csv): the people the
// registration scenarios pick from. They must be findable on PDS (the
// People register) and absent from the provider (no organisation holds a
// patient record for them). The suite picks one at random that a Patient
// search does not find, then registers it.
//
// The published file lists 158 people from 9651258500 to 9651260246 with
// family name, given name, gender and date of birth. It is not available
// here, so the data set holds EVERY valid NHS number in that inclusive range
// (159 numbers, one more than the file) as a person with deterministic
// synthetic demographics and no GP practice. A real RegisterPatients.csv
// can be loaded over them later: the People register is upserted by NHS
// number, so its rows replace the synthetic names, genders and birth dates.
const (
	registerFirst pcnhub.NHSNumber = "9651258500"
	registerLast  pcnhub.NHSNumber = "9651260246"
)

// RegisterPatientRange returns the first and last NHS numbers of
// RegisterPatients.csv, 9651258500 and 9651260246 (inclusive). Every valid
// NHS number between them is a person of the People register with
// GPPractice "" and no patient record anywhere.
func RegisterPatientRange() (first, last pcnhub.NHSNumber) {
	return registerFirst, registerLast
}

var (
	registerFamilies = []string{
		"Abbott", "Barraclough", "Calloway", "Dunmore", "Eastwood",
		"Fothergill", "Gaskell", "Hebden", "Ingleby", "Jessop",
		"Kershaw", "Lockwood", "Mottram", "Netherwood", "Ormerod",
		"Priestley", "Quarmby", "Ramsden", "Sutcliffe", "Tetley",
	}
	registerFemale = []string{
		"Abigail", "Bethany", "Charlotte", "Deborah", "Emily", "Fiona",
		"Grace", "Hannah", "Imogen", "Joanna", "Lucy", "Natalie",
	}
	registerMale = []string{
		"Adam", "Callum", "David", "Edward", "George", "Henry",
		"Jack", "Liam", "Matthew", "Oliver", "Robert", "William",
	}
	registerFemalePrefixes = []string{"Mrs", "Ms", "Miss"}
	registerStreets        = []string{
		"Deansgate", "Oxford Road", "Wilmslow Road", "Stockport Road",
		"Bury New Road", "Chorlton Road", "Barlow Moor Road",
		"Palatine Road", "Hyde Road", "Ashton Old Road", "Rochdale Road",
		"Cheetham Hill Road", "Princess Road",
	}
	registerPostcodes = []string{
		"M1 4BT", "M13 9PL", "M14 5RX", "M19 3AN", "M8 0RH", "M16 7PL",
		"M20 6RB", "M20 2WQ", "M12 5LN", "M11 1LE", "M9 8AJ", "M8 8EX", "M15 5PB",
	}
)

// registerNumbers yields every valid NHS number from registerFirst to
// registerLast inclusive, in ascending order.
func registerNumbers() iter.Seq[pcnhub.NHSNumber] {
	return func(yield func(pcnhub.NHSNumber) bool) {
		lo, _ := strconv.ParseUint(string(registerFirst[:9]), 10, 32)
		hi, _ := strconv.ParseUint(string(registerLast[:9]), 10, 32)
		for prefix := uint32(lo); prefix <= uint32(hi); prefix++ {
			n, ok := pcnhub.NHSNumberFromPrefix(prefix)
			if !ok || n < registerFirst || n > registerLast {
				continue
			}
			if !yield(n) {
				return
			}
		}
	}
}

// registerPeople yields the register patients with synthetic demographics
// derived from their position i in the range: the birth dates are 149 days
// apart (so family name and birth date single out one person), gender
// alternates, and the address is in Manchester.
func registerPeople() iter.Seq[pcnhub.Person] {
	return func(yield func(pcnhub.Person) bool) {
		i := 0
		for n := range registerNumbers() {
			p := pcnhub.Person{
				NHSNumber: n,
				BirthDate: pcnhub.Date{Year: 1938, Month: 3, Day: 7}.AddDays(149 * i),
				Address: pcnhub.Address{
					Lines:    []string{fmt.Sprintf("%d %s", i%97+1, registerStreets[i%len(registerStreets)])},
					City:     "Manchester",
					District: "Greater Manchester",
					Postcode: registerPostcodes[i%len(registerPostcodes)],
				},
				Telecom: []pcnhub.ContactPoint{{System: "phone", Use: "home", Value: fmt.Sprintf("0161 496 0%03d", i)}},
			}
			family := registerFamilies[i%len(registerFamilies)]
			if i%2 == 0 {
				p.Gender = pcnhub.GenderFemale
				p.Name = pcnhub.HumanName{
					Prefix: registerFemalePrefixes[(i/2)%len(registerFemalePrefixes)],
					Given:  []string{registerFemale[(i/2)%len(registerFemale)]},
					Family: family,
				}
			} else {
				p.Gender = pcnhub.GenderMale
				p.Name = pcnhub.HumanName{
					Prefix: "Mr",
					Given:  []string{registerMale[(i/2)%len(registerMale)]},
					Family: family,
				}
			}
			if !yield(p) {
				return
			}
			i++
		}
	}
}
