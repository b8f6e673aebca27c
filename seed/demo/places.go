package demo

import (
	"strconv"
	"strings"
)

// The fictional geography of the demo PCN: three towns of the district of
// Riverside, 80 streets, postcodes in the fictional "RV" area, and phone
// numbers from the Ofcom ranges reserved for drama (01632 960000–960999,
// 07700 900000–900999), which are never allocated to a real line.

const district = "Riverside"

const (
	townRiverside = iota
	townMillbrook
	townAshfordGreen
	numTowns
)

var townNames = [numTowns]string{"Riverside", "Millbrook", "Ashford Green"}

// townDistricts are the postcode districts of each town (RV1 … RV8).
var townDistricts = [numTowns][]int{{1, 2, 3, 4}, {5, 6}, {7, 8}}

type street struct {
	name     string
	town     int
	houses   int     // highest house number
	flats    []uint8 // flats[h-1]: number of flats at house number h (0: a house)
	postcode []string
}

// houseBand is the number of consecutive house numbers sharing a postcode.
const houseBand = 24

var streetNames = [numTowns][]string{
	townRiverside: {
		"Riverside Way", "Willow Road", "Castle Street", "Station Road", "Northgate", "Church Street",
		"Market Street", "Bridge Street", "Victoria Road", "Albert Road", "Queen Street", "King Street",
		"Park Road", "Grove Road", "Chestnut Avenue", "Beech Avenue", "Oak Tree Close", "Elm Grove",
		"Sycamore Drive", "Hawthorn Crescent", "Kingfisher Way", "Wharf Road", "Canal Street",
		"Ferry Lane", "Quayside", "Abbey Lane", "Cromwell Road",
		"Nelson Street", "Wellington Road", "Jubilee Terrace", "Coronation Avenue", "Fairfield Road",
		"Meadow View", "Orchard Way", "Tannery Lane", "Foundry Street",
	},
	townMillbrook: {
		"Mill Lane", "High Street", "Brookside", "Millpond Close", "Watermill Way", "Weir Road",
		"Bramble Lane", "Foxglove Close", "Primrose Way", "Bluebell Drive", "Meadowsweet Avenue", "Kestrel Road",
		"Skylark Rise", "Lark Hill", "Cherry Tree Road", "Rowan Close", "Hazel Grove", "Ashdown Road",
		"School Lane", "Chapel Street", "Vicarage Road", "Bakers Row", "Mill Road", "Brook Street",
	},
	townAshfordGreen: {
		"Green Lane", "Old Forge Lane", "The Green", "Village Road", "Manor Road", "Manor Farm Close",
		"Ashford Road", "Common Lane", "Pound Lane", "Well Lane", "Blacksmiths Way", "Cornfield Road",
		"Harvest Close", "Windmill Hill", "Barley Mow Lane", "Saxon Way", "Long Acre", "Smithy Row",
		"Stonebridge Road", "Churchfield Road", "Hollybush Lane", "Sandpit Lane",
	},
}

// flatStreets are town-centre streets where many numbers are blocks of flats.
var flatStreets = map[string]bool{
	"Station Road": true, "Market Street": true, "Wharf Road": true, "Canal Street": true,
	"Quayside": true, "High Street": true, "Victoria Road": true, "Bridge Street": true,
	"Riverside Way": true, "Foundry Street": true, "Tannery Lane": true, "Kingfisher Way": true,
	"Watermill Way": true, "Weir Road": true, "Ashford Road": true, "Saxon Way": true,
}

// postcodeUnitLetters are the letters used in the inward code of a UK postcode.
const postcodeUnitLetters = "ABDEFGHJLNPQRSTUWXYZ"

// maxFlats is the largest number of flats at one house number.
const maxFlats = 16

// A dwelling is a house or a flat: street<<16 | house<<5 | flat (flat 0 is
// a whole house).
type dwelling uint32

func (d dwelling) street() int { return int(d >> 16) }
func (d dwelling) house() int  { return int(d>>5) & 0x7ff }
func (d dwelling) flat() int   { return int(d) & 0x1f }

// streets, townDwellings (every dwelling of each town) and the dwelling
// count are built once, deterministically.
var streets, townDwellings, numDwellings = buildStreets()

func buildStreets() ([]street, [numTowns][]dwelling, int) {
	var all []street
	var byTown [numTowns][]dwelling
	h := uint32(2166136261)
	next := func() int { // xorshift-multiply mixing: deterministic and well spread
		h ^= h >> 13
		h *= 16777619
		h ^= h >> 7
		h *= 2654435761
		h ^= h >> 15
		return int(h >> 4)
	}
	size := func(lo, hi int) int { return lo + next()%(hi-lo+1) }
	total := 0
	for t := 0; t < numTowns; t++ {
		for i, name := range streetNames[t] {
			s := street{name: name, town: t}
			switch {
			case strings.HasSuffix(name, "Close"), strings.HasSuffix(name, "Row"), strings.HasSuffix(name, "Rise"),
				strings.HasSuffix(name, "Walk"), strings.HasSuffix(name, "Terrace"), strings.HasPrefix(name, "The "):
				s.houses = size(16, 48)
			case strings.HasSuffix(name, "Road"), strings.HasSuffix(name, "Street"), strings.HasSuffix(name, "Avenue"):
				s.houses = size(200, 450)
			default:
				s.houses = size(100, 300)
			}
			s.flats = make([]uint8, s.houses)
			for j := range s.flats {
				switch {
				case flatStreets[name] && next()%100 < 12:
					s.flats[j] = uint8(size(4, 16)) // a block of flats
				case next()%100 < 4:
					s.flats[j] = uint8(size(2, 4)) // a house converted into flats
				}
			}
			si := len(all)
			for house := 1; house <= s.houses; house++ {
				if f := int(s.flats[house-1]); f > 0 {
					for flat := 1; flat <= f; flat++ {
						byTown[t] = append(byTown[t], dwelling(si<<16|house<<5|flat))
					}
				} else {
					byTown[t] = append(byTown[t], dwelling(si<<16|house<<5))
				}
			}
			d := townDistricts[t][i%len(townDistricts[t])]
			sector := next() % 10
			bands := (s.houses + houseBand - 1) / houseBand
			used := map[string]bool{}
			for b := 0; b < bands; b++ {
				var pc string
				for {
					l := postcodeUnitLetters
					pc = "RV" + strconv.Itoa(d) + " " + strconv.Itoa(sector) +
						string(l[next()%len(l)]) + string(l[next()%len(l)])
					if !used[pc] {
						break
					}
				}
				used[pc] = true
				s.postcode = append(s.postcode, pc)
			}
			all = append(all, s)
		}
		total += len(byTown[t])
	}
	return all, byTown, total
}

// streetIndex returns the index of the named street in town t, or panics.
func streetIndex(t int, name string) int {
	for i := range streets {
		if streets[i].town == t && streets[i].name == name {
			return i
		}
	}
	panic("demo: no street " + name)
}

// postcodeOf returns the postcode of house number house on street s.
func postcodeOf(s, house int) string { return streets[s].postcode[(house-1)/houseBand] }

// Phone numbers. 01632 960000–960099 are kept for organisations; patients'
// home phones use 960100–960999.
const (
	orgPhoneBase  = 0
	homePhoneBase = 100
)

var landlines, mobiles = func() (l, m [1000]string) {
	for i := range 1000 {
		s := strconv.Itoa(1000 + i)[1:] // three digits
		l[i] = "01632 960" + s
		m[i] = "07700 900" + s
	}
	return
}()
