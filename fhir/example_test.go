package fhir_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/pcnhub/pcnhub/fhir"
)

func ExampleMarshal() {
	london, _ := time.LoadLocation("Europe/London")
	start := time.Date(2026, 10, 26, 9, 0, 0, 0, london) // the day after the clocks go back
	slot := &fhir.Slot{
		ID:        "1584",
		Meta:      &fhir.Meta{Profile: []string{fhir.ProfileSlot}},
		Extension: []fhir.Extension{{URL: fhir.ExtDeliveryChannel, ValueCode: fhir.DeliveryChannelInPerson}},
		Schedule:  &fhir.Reference{Reference: "Schedule/14"},
		Status:    "free",
		Start:     fhir.NewInstant(start),
		End:       fhir.NewInstant(start.Add(10 * time.Minute)),
	}
	j, _ := fhir.Marshal(fhir.JSON, slot)
	x, _ := fhir.Marshal(fhir.XML, slot)
	fmt.Println(string(j))
	fmt.Println(string(x))
	// Output:
	// {"resourceType":"Slot","id":"1584","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1"]},"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2","valueCode":"In-person"}],"schedule":{"reference":"Schedule/14"},"status":"free","start":"2026-10-26T09:00:00+00:00","end":"2026-10-26T09:10:00+00:00"}
	// <Slot xmlns="http://hl7.org/fhir"><id value="1584"/><meta><profile value="https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1"/></meta><extension url="https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2"><valueCode value="In-person"/></extension><schedule><reference value="Schedule/14"/></schedule><status value="free"/><start value="2026-10-26T09:00:00+00:00"/><end value="2026-10-26T09:10:00+00:00"/></Slot>
}

func ExampleUnmarshalInto() {
	body := []byte(`{"resourceType":"Appointment","status":"booked","reason":[{"text":"cough"}],
		"participant":[{"actor":{"reference":"Patient/1"},"status":"accepted"},{"actor":{"reference":""},"status":"accepted"}]}`)
	var appt fhir.Appointment
	err := fhir.UnmarshalInto(fhir.JSON, body, &appt)
	var de *fhir.DecodeError
	if errors.As(err, &de) {
		// A provider answers 422 INVALID_RESOURCE with the diagnostic.
		fmt.Println(de.Path, "-", de.Msg)
	}
	// Output:
	// Appointment.participant[1].actor.reference - empty value (FHIR does not allow empty strings; leave the element out)
}
