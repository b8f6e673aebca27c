// Package carerecord is GP Connect Access Record HTML 0.7.x: the
// $gpc.getcarerecord operation of the DSTU2 line (reference §4). It is pure:
// no store, no HTTP, no clock. It imports only the standard library, the
// root package and package record; the STU3 packages gpconnect and fhir are
// deliberately not used, because this interaction has its own DSTU2 wire
// shapes and identifier systems under http://fhir.nhs.net/.
//
// A provider answers one request in four steps:
//
//	req, err := carerecord.ParseRequest(format, body)        // 400/422 *Error
//	shared, withheld := rec.Shareable()                      // never render confidential items
//	div, err := carerecord.Render(shared, withheld, req, subject, today)
//	out, err := carerecord.Response(format, req, subject, div, now)
//
// and encodes any *Error (its own or one made with NewError, such as
// PATIENT_NOT_FOUND) with OperationOutcome.
//
// The wording of banners, subsection titles, column headings and fixed
// fragments is kept in text.go. The NHS 0.7.4 page fragments were not
// available when this package was written; those texts are our own choice
// and are marked there as unverified.
package carerecord
