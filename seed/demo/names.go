package demo

// Names of a diverse, fictional English town. Names are grouped by the
// naming tradition of a household so that a family's given names, family
// name and main language agree (a Bangladeshi grandmother is not called
// "Kenneth Nowak"). British given names change with the generations: an
// eighty-year-old is a Dorothy or a Kenneth, a five-year-old an Isla or an
// Alfie.

// era indexes the given-name lists of a group by year of birth.
const (
	eraOlder  = 0 // born before 1960
	eraMiddle = 1 // born 1960–1994
	eraModern = 2 // born 1995 or later
)

func eraOf(birthYear int) int {
	switch {
	case birthYear < 1960:
		return eraOlder
	case birthYear < 1995:
		return eraMiddle
	}
	return eraModern
}

// nameGroup is a naming tradition.
type nameGroup struct {
	name   string
	weight int // households per 1,000
	// male and female given names by era; groups without eras repeat one list.
	male, female [3][]string
	// family names; familyFemale[i] is the form a woman of family i bears
	// (Kowalski → Kowalska, Singh → Kaur), equal to family[i] otherwise.
	family, familyFemale []string
	// languages other than English, with the probability (per mille) that
	// an adult's main language is one of them; familyLang, when set, picks
	// the language by family name instead (Punjabi for Sandhu, Gujarati for Patel).
	langs      []string
	familyLang []string
	nonEnglish int
	// borrow is the per-mille chance that a given name is a British one
	// (Caribbean and Irish families, British-born Chinese children …).
	borrow int
}

// same repeats one list for the three eras.
func same(l []string) [3][]string { return [3][]string{l, l, l} }

// polishFemale turns -ski/-cki surnames into their feminine -ska/-cka form.
func polishFemale(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		if n := len(s); n > 3 && (s[n-3:] == "ski" || s[n-3:] == "cki") {
			s = s[:n-1] + "a"
		}
		out[i] = s
	}
	return out
}

// withFemale copies family and replaces the feminine form of the names in m.
func withFemale(family []string, m map[string]string) []string {
	out := make([]string, len(family))
	for i, s := range family {
		if f, ok := m[s]; ok {
			s = f
		}
		out[i] = s
	}
	return out
}

const (
	grpBritish = iota
	grpIrish
	grpPolish
	grpRomanian
	grpPakistani
	grpBangladeshi
	grpIndian
	grpAfrican
	grpSomali
	grpCaribbean
	grpArabic
	grpChinese
)

var britishFamily = []string{
	"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
	"Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
	"Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
	"Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James",
	"Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
	"Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murray", "Cox", "Richards",
	"Fisher", "Marshall", "Adams", "Webb", "Ellis", "Mason", "Holmes", "Barker", "Chapman", "Fletcher",
	"Hunt", "Lloyd", "Pearson", "Stevens", "Atkinson",
}

var britishMale = [3][]string{
	{ // older
		"Kenneth", "Ronald", "Dennis", "Trevor", "Alan", "Brian", "Colin", "Derek", "Geoffrey", "Keith",
		"Graham", "Roy", "Raymond", "Leonard", "Stanley", "Frank", "Harold", "Albert", "Walter", "Norman",
		"Bernard", "Clifford", "Malcolm", "Barry", "Terence", "Gordon", "Roger", "Maurice", "Douglas", "Eric",
		"John", "David", "Peter", "Michael",
	},
	{ // middle
		"David", "John", "Michael", "Paul", "Mark", "Andrew", "Richard", "Robert", "Peter", "Stephen",
		"Christopher", "Matthew", "Gary", "Kevin", "Ian", "Simon", "Neil", "Lee", "Craig", "Dean",
		"Liam", "Ryan", "Daniel", "James", "Jamie", "Luke", "Adam", "Ben", "Scott", "Darren",
		"Wayne", "Jason", "Carl", "Nathan", "Gareth",
	},
	{ // modern
		"Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William",
		"Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander", "Joseph",
		"Edward", "Samuel", "Max", "Arthur", "Lucas", "Mason", "Logan", "Theo", "Reuben", "Teddy",
		"Finley", "Harrison", "Tyler", "Riley", "Dylan", "James", "Jacob",
	},
}

var britishFemale = [3][]string{
	{ // older
		"Margaret", "Patricia", "Barbara", "Joan", "Dorothy", "Jean", "Brenda", "Sheila", "Maureen", "Pauline",
		"Valerie", "Irene", "Doreen", "Sylvia", "Christine", "Susan", "Linda", "Carol", "Janet", "Elaine",
		"Gillian", "Beryl", "Audrey", "Eileen", "Joyce", "Marjorie", "Hazel", "Shirley", "Ann", "Wendy",
		"Mary", "Elizabeth",
	},
	{ // middle
		"Sarah", "Emma", "Claire", "Rachel", "Nicola", "Lisa", "Joanne", "Michelle", "Karen", "Helen",
		"Louise", "Kelly", "Laura", "Rebecca", "Amy", "Gemma", "Hayley", "Kirsty", "Natalie", "Victoria",
		"Donna", "Tracey", "Julie", "Deborah", "Amanda", "Samantha", "Katie", "Jennifer", "Stacey", "Zoe",
		"Leanne", "Kerry", "Angela", "Caroline", "Jane",
	},
	{ // modern
		"Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Sophia", "Grace",
		"Freya", "Florence", "Willow", "Poppy", "Evie", "Emily", "Ella", "Charlotte", "Sienna", "Daisy",
		"Ruby", "Phoebe", "Matilda", "Elsie", "Rosie", "Harper", "Evelyn", "Alice", "Millie", "Jessica",
		"Chloe", "Holly", "Lucy", "Megan", "Hannah",
	},
}

var polishFamily = []string{
	"Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kowalczyk", "Kaminski", "Lewandowski", "Zielinski",
	"Szymanski", "Wozniak", "Dabrowski", "Mazur", "Krawczyk", "Jankowski",
}

var indianFamily = []string{
	"Patel", "Patel", "Shah", "Mistry", "Sharma", "Gupta", "Parmar", "Chauhan", "Joshi", "Desai",
	"Solanki", "Lad", "Sandhu", "Gill", "Dhillon", "Bains", "Singh", "Singh",
}

// indianLang: Punjabi for Sikh family names, Gujarati for the others.
var indianLang = func() []string {
	out := make([]string, len(indianFamily))
	for i, f := range indianFamily {
		switch f {
		case "Sandhu", "Gill", "Dhillon", "Bains", "Singh":
			out[i] = "pa"
		default:
			out[i] = "gu"
		}
	}
	return out
}()

// bangladeshiFemaleFamily: many Bangladeshi women bear Begum or Khatun
// rather than their husband's or father's name.
var bangladeshiFemaleFamily = []string{"Begum", "Begum", "Begum", "Khatun"}

var groups = [...]nameGroup{
	grpBritish: {
		name: "British", weight: 600,
		male: britishMale, female: britishFemale,
		family: britishFamily, familyFemale: britishFamily,
	},
	grpIrish: {
		name: "Irish", weight: 35, borrow: 450,
		male:   same([]string{"Sean", "Patrick", "Declan", "Ciaran", "Niall", "Conor", "Eoin", "Padraig", "Kieran", "Cormac", "Fergal", "Donal"}),
		female: same([]string{"Siobhan", "Aoife", "Niamh", "Ciara", "Roisin", "Sinead", "Orla", "Grainne", "Maeve", "Caoimhe", "Bridget", "Nuala"}),
		family: []string{"Murphy", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill", "Doyle", "McCarthy",
			"Gallagher", "Quinn", "Brennan", "Flynn", "Kavanagh", "Kennedy"},
	},
	grpPolish: {
		name: "Polish", weight: 45, borrow: 40,
		male:   same([]string{"Piotr", "Tomasz", "Krzysztof", "Marek", "Pawel", "Jakub", "Kacper", "Lukasz", "Michal", "Wojciech", "Bartosz", "Szymon"}),
		female: same([]string{"Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Anna", "Monika", "Ewa", "Zuzanna", "Natalia", "Aleksandra", "Justyna", "Marta"}),
		family: polishFamily, familyFemale: polishFemale(polishFamily),
		langs: []string{"pl"}, nonEnglish: 450,
	},
	grpRomanian: {
		name: "Romanian", weight: 25, borrow: 30,
		male:   same([]string{"Andrei", "Ionut", "Mihai", "Florin", "Alexandru", "Stefan", "Gabriel", "Cristian", "Vasile", "Bogdan"}),
		female: same([]string{"Ioana", "Elena", "Andreea", "Alina", "Mihaela", "Cristina", "Denisa", "Roxana", "Georgiana", "Larisa"}),
		family: []string{"Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Munteanu", "Constantin", "Rusu"},
		langs:  []string{"ro"}, nonEnglish: 450,
	},
	grpPakistani: {
		name: "Pakistani", weight: 65, borrow: 10,
		male: same([]string{"Muhammad", "Ali", "Hassan", "Imran", "Bilal", "Usman", "Zain", "Hamza", "Adnan", "Tariq",
			"Asif", "Rizwan", "Zubair", "Khalid", "Ibrahim", "Yusuf", "Haroon", "Waqas"}),
		female: same([]string{"Ayesha", "Fatima", "Zainab", "Maryam", "Amina", "Sana", "Nadia", "Saima", "Rubina", "Hina",
			"Iqra", "Aleena", "Samina", "Nasreen", "Shazia", "Khadija", "Mehwish"}),
		family: []string{"Khan", "Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Akhtar", "Malik", "Mahmood", "Shah",
			"Rashid", "Butt", "Raza", "Qureshi", "Javed", "Aslam"},
		langs: []string{"ur", "ur", "pa"}, nonEnglish: 300,
	},
	grpBangladeshi: {
		name: "Bangladeshi", weight: 45, borrow: 10,
		male: same([]string{"Mohammed", "Abdul", "Rahim", "Shafiq", "Jamal", "Mizanur", "Anwar", "Rashid", "Arif", "Sohel",
			"Ayaan", "Rayyan", "Shahid", "Kamrul"}),
		female: same([]string{"Nusrat", "Rokeya", "Shahana", "Taslima", "Sultana", "Jahanara", "Farzana", "Ruksana", "Nazia", "Sumaiya",
			"Tahmina", "Halima", "Rehana", "Shirin"}),
		family: []string{"Miah", "Rahman", "Islam", "Uddin", "Ahmed", "Hossain", "Chowdhury", "Ali", "Hoque", "Alam", "Choudhury", "Sarkar"},
		langs:  []string{"bn"}, nonEnglish: 400,
	},
	grpIndian: {
		name: "Indian", weight: 65, borrow: 30,
		male: same([]string{"Raj", "Sanjay", "Vijay", "Amit", "Rohan", "Arjun", "Nikhil", "Aarav", "Vivek", "Rakesh",
			"Sunil", "Hitesh", "Kamal", "Gurdeep", "Jaspal", "Manjit", "Sukhdev", "Harjit", "Dilip", "Pranav"}),
		female: same([]string{"Priya", "Anjali", "Pooja", "Neha", "Sunita", "Kavita", "Meena", "Hema", "Asha", "Deepa",
			"Jaspreet", "Harpreet", "Gurpreet", "Manpreet", "Simran", "Amrit", "Kiran", "Anaya", "Bhavna", "Nisha"}),
		family: indianFamily, familyFemale: withFemale(indianFamily, map[string]string{"Singh": "Kaur"}),
		familyLang: indianLang, nonEnglish: 250,
	},
	grpAfrican: {
		name: "West African", weight: 38, borrow: 200,
		male: same([]string{"Chinedu", "Emeka", "Oluwaseun", "Tunde", "Kwame", "Kofi", "Samuel", "Emmanuel", "Ayodele", "Femi",
			"Obinna", "Kwabena", "Chukwudi", "Yaw", "Babajide", "Kojo"}),
		female: same([]string{"Chioma", "Ngozi", "Adaeze", "Folake", "Yewande", "Abena", "Akosua", "Blessing", "Comfort", "Esther",
			"Faith", "Nkechi", "Ama", "Funmilayo", "Ifeoma", "Efua"}),
		family: []string{"Okafor", "Adeyemi", "Okonkwo", "Mensah", "Boateng", "Owusu", "Adebayo", "Eze", "Obi", "Nwosu",
			"Asante", "Osei", "Afolabi", "Oyelaran", "Ogunleye", "Appiah"},
	},
	grpSomali: {
		name: "Somali", weight: 12, borrow: 10,
		male:   same([]string{"Abdi", "Mohamed", "Abdirahman", "Ahmed", "Hassan", "Yusuf", "Omar", "Abdullahi", "Mustafe", "Liban"}),
		female: same([]string{"Hodan", "Amina", "Fadumo", "Hawa", "Sahra", "Ifrah", "Asha", "Nimco", "Deeqa", "Ubah"}),
		family: []string{"Abdi", "Mohamed", "Ali", "Hassan", "Warsame", "Farah", "Osman", "Jama", "Ahmed", "Yusuf", "Hersi", "Nur"},
	},
	grpCaribbean: {
		name: "Caribbean", weight: 25, borrow: 600,
		male:   same([]string{"Marcus", "Delroy", "Winston", "Leroy", "Jermaine", "Tyrone", "Andre", "Devon", "Clive", "Errol", "Courtney", "Everton"}),
		female: same([]string{"Marcia", "Sonia", "Paulette", "Jacqueline", "Janice", "Beverley", "Yvonne", "Simone", "Shanice", "Tiana", "Hyacinth", "Precious"}),
		family: []string{"Campbell", "Francis", "Grant", "Henry", "Powell", "Reid", "Dixon", "Forbes", "Samuels", "McKenzie", "Brown", "Williams"},
	},
	grpArabic: {
		name: "Arabic", weight: 20, borrow: 20,
		male:   same([]string{"Omar", "Ahmad", "Youssef", "Karim", "Samir", "Hussein", "Mahmoud", "Walid", "Nabil", "Faisal", "Tarek", "Rami"}),
		female: same([]string{"Layla", "Noor", "Yasmin", "Rania", "Huda", "Salma", "Mariam", "Hala", "Lina", "Dina", "Rasha", "Amal"}),
		family: []string{"Haddad", "Hassan", "Abdullah", "Mansour", "Nasser", "Saleh", "Khalil", "Farah", "Aziz", "Karimi", "Darwish", "Haddadin"},
		langs:  []string{"ar"}, nonEnglish: 400,
	},
	grpChinese: {
		name: "Chinese", weight: 25, borrow: 550,
		male:   same([]string{"Wei", "Jun", "Hao", "Ming", "Jian", "Yong", "Lei", "Bo", "Kai", "Chun"}),
		female: same([]string{"Mei", "Xin", "Ying", "Hui", "Fang", "Jing", "Lan", "Xiu", "Yan", "Ling"}),
		family: []string{"Wang", "Li", "Zhang", "Chen", "Liu", "Wong", "Chan", "Lam", "Cheung", "Ng", "Lau", "Ho"},
	},
}

// groupCum is the cumulative household weight of the groups (total 1,000).
var groupCum = func() [len(groups)]int {
	var c [len(groups)]int
	t := 0
	for i := range groups {
		if groups[i].familyFemale == nil {
			groups[i].familyFemale = groups[i].family
		}
		t += groups[i].weight
		c[i] = t
	}
	if t != 1000 {
		panic("demo: name group weights must total 1000")
	}
	return c
}()
