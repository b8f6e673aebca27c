// Package fhir holds FHIR STU3 (3.0.1) wire types and their codec, in JSON
// and XML, as GP Connect needs them. It knows nothing of pcnhub and imports
// only the standard library.
//
// # Types
//
// Resources and data types are plain Go structs whose fields follow the STU3
// element order. An element is absent when its field holds the zero value:
// "" for strings, nil for pointers and slices, the zero Date, DateTime,
// Instant or Decimal. Booleans and integers are pointers (see Bool and Int),
// because false and 0 are values. Element names and properties are declared
// in a `fhir:"name,options"` struct tag, from which the codec builds one plan
// per Go type (see plan.go).
//
// Polymorphic fields (contained resources, Bundle.entry.resource,
// Parameters.parameter.resource, Bundle.entry.response.outcome) hold a
// Resource; Unmarshal fills them with pointers to the types registered in
// this package.
//
// # Codec
//
// Marshal writes compact FHIR JSON or FHIR XML and never writes an empty
// string, object or array: an element whose content is empty is left out.
// Strings are written as valid UTF-8; a character FHIR does not allow in a
// string (an invalid UTF-8 byte, a control character other than tab, CR and
// LF, U+FFFE or U+FFFF) is replaced by U+FFFD, so that what Marshal writes
// Unmarshal reads back.
//
// Unmarshal is strict, so that a provider can answer 422 INVALID_RESOURCE
// with a useful diagnostic: unknown elements, empty strings and objects,
// null, duplicate elements, two values of one choice element (value[x]),
// values that do not match their FHIR type (dates, codes, ids, integers,
// decimals), codes outside a required value set, missing elements the base
// STU3 specification requires (Extension.url, Narrative.div, Slot.start, …),
// primitive extensions (the JSON "_name" form and extensions on XML
// primitives, which this codec does not support), and, in XML, elements out
// of the STU3 order. Every failure is a *DecodeError naming the element, for
// example "Appointment.participant[1].actor.reference".
//
// One leniency: an empty JSON array ("entry": []) is read as an absent
// element. It is invalid FHIR, but the GP Connect specification's own
// examples of empty search results are written that way, so real providers
// send it.
//
// Both decoders bound their work: nesting deeper than MaxDepth is refused and
// the work is linear in the size of the input (in JSON, a resource whose
// resourceType is not its first member costs one more scan of that object;
// the resource types found on the way are remembered, so nested resources
// are not scanned again).
//
// Narrative.div is kept as raw XHTML markup. It must be a single, well formed
// <div> element in the XHTML namespace that declares that namespace itself,
// so that it can be copied verbatim between JSON and XML.
package fhir
