package demo

import (
	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/gpad"
	"github.com/pcnhub/pcnhub/seed"
)

// slotCategories is the demo's national slot mapping: each slot type's
// GPAD category and setting, the same at every practice; the hub's types
// are Extended Access Provision.
var slotCategories = []gpad.Mapping{
	{SlotType: typeRoutineGP, Category: "General Consultation Routine", Setting: "General Practice"},
	{SlotType: typeSameDayGP, Category: "General Consultation Acute", Setting: "General Practice"},
	{SlotType: typeRegistrar, Category: "General Consultation Routine", Setting: "General Practice"},
	{SlotType: type111, Category: "General Consultation Acute", Setting: "General Practice"},
	{SlotType: typePharmacist, Category: "Structured Medication Review", Setting: "General Practice"},
	{SlotType: typeHCA, Category: "Planned Clinics", Setting: "General Practice"},
	{SlotType: typeBloodTest, Category: "Planned Clinical Procedure", Setting: "General Practice"},
	{SlotType: typeAntenatal, Category: "Planned Clinics", Setting: "General Practice"},
	{SlotType: typeHomeVisit, Category: "Home Visit", Setting: "General Practice"},
	{SlotType: typeEnhancedGP, Category: "General Consultation Routine", Setting: "Extended Access Provision"},
	{SlotType: typeEnhancedPharm, Category: "Structured Medication Review", Setting: "Extended Access Provision"},
}

func gpadMappings() []seed.GPADMapping {
	orgs := []pcnhub.ODSCode{hubODS}
	for _, p := range practices {
		orgs = append(orgs, p.ods)
	}
	var out []seed.GPADMapping
	for _, ods := range orgs {
		for _, m := range slotCategories {
			out = append(out, seed.GPADMapping{OrgODS: ods, Mapping: m})
		}
	}
	return out
}
