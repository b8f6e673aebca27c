// Package patientcsv reads and writes the demographics CSV that practices
// send to the hub (pcnhub import patients) and that the hub exports
// (pcnhub export patients).
//
// The Reader streams: it holds at most two batches of rows (512 rows or
// 256 KiB of CSV each) besides the set of NHS numbers already seen, which
// costs about 12 to 30 bytes per row. When there is more than one
// processor it checks one batch on a second goroutine while it parses the
// next; no goroutine outlives a call to Next.
//
// # File format
//
// Encoding and syntax:
//
//   - The file is UTF-8, with or without a byte order mark (which is
//     ignored). A UTF-16 file is rejected with a header error.
//   - Lines end in LF or CRLF. Fields are separated by commas and quoted as in
//     RFC 4180: a field in double quotes may hold commas, newlines and
//     doubled quotes (""), which stand for one quote. The opening quote must
//     be the first character of the field; a quote anywhere else in an
//     unquoted field is an error.
//   - Blank lines, and rows whose fields are all empty (such as ",,,,"
//     left at the end of a spreadsheet), are skipped.
//   - A row may not be longer than MaxRowBytes (1 MiB); a longer row (usually
//     a quote that is never closed) stops the import.
//
// The first row is the header. Header names are matched case-insensitively
// after trimming spaces, and may come in any order. Every required column
// must be present; an unknown column, a column without a name, or a column
// given twice is an error. A first row with none of the column names is
// taken to be a patient and reported as a missing header, without quoting
// it. Optional columns may be left out, which is the same as leaving their
// fields empty. Every row must have as many fields as the header.
//
// Every field is trimmed of surrounding white space before it is checked.
// Text fields (family_name, given_names, title, address_line_1 to 3, city,
// district) must be valid UTF-8, hold at most 100 characters and contain no
// control characters (tabs and line breaks included).
//
// Booleans: "", "false", "no", "n" and "0" mean false; "true", "yes", "y"
// and "1" mean true, in any case; anything else is an error.
//
// Dates are written YYYY-MM-DD and must exist (2023-02-29 does not).
// "Today" is the date given to NewReader: the day of the import.
//
// The columns, in the order in which the Writer writes them:
//
//	nhs_number             required. 10 digits with a valid Modulus 11
//	                       check digit; spaces and hyphens between digit
//	                       groups are allowed ("943 476 5919").
//	                       A number may appear on one row only: a later
//	                       row with the same number is rejected, even when
//	                       the first was rejected for another reason.
//	family_name            required, text, not empty.
//	given_names            required, text, not empty. Several given names
//	                       are separated by spaces ("Mary Jane").
//	title                  optional, text ("Mrs", "Dr").
//	birth_date             required, date, not after today and not before
//	                       1880-01-01.
//	gender                 required: male, female, other, unknown, or M, F,
//	                       O, U (any case).
//	address_line_1         optional, text.
//	address_line_2         optional, text.
//	address_line_3         optional, text (empty lines are dropped).
//	city                   optional, text.
//	district               optional, text.
//	postcode               optional. A UK postcode, in any case, with or
//	                       without spaces; stored upper case with one space
//	                       before the last three characters ("SW1A 1AA"),
//	                       which must then match
//	                       ^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$.
//	home_phone             optional. Digits and spaces with an optional
//	                       leading +; 10 to 15 digits.
//	mobile_phone           optional, as home_phone.
//	email                  optional. Exactly one @ with text on both sides,
//	                       no spaces or control characters, at most 254
//	                       bytes.
//	language               optional. ISO 639-1 code of the main language:
//	                       two letters ("en", "bn"); upper case is lowered.
//	interpreter_required   optional, boolean.
//	registration_type      optional: GMS (also "regular") or temporary
//	                       (also "temp", "t"), any case; empty means GMS.
//	registration_status    optional: active or inactive, any case; empty
//	                       means active.
//	registration_date      optional date: not after today, not before
//	                       birth_date.
//	registration_end_date  optional date: not before registration_date (or
//	                       birth_date when there is no registration_date).
//	preferred_branch       optional. ODS site code of the preferred branch
//	                       surgery: 3 to 10 upper-case letters and digits.
//	sensitive              optional, boolean.
//	deceased_date          optional date: not before birth_date, not after
//	                       today.
//	superseded_by          optional NHS number, different from nhs_number.
//	merged_into            optional NHS number, different from nhs_number.
//	in_transit             optional, boolean.
//	dissent_from_sharing   optional, boolean.
//
// # Errors
//
// NewReader returns a *HeaderError when the header is wrong. Next returns a
// *RowError for a row that is wrong, naming its line and the first wrong
// column (columns are checked in the order above), and carries on with the
// next row when called again. Error messages never hold names, addresses,
// phone numbers, e-mail addresses or NHS numbers; they may quote a wrong
// code (gender, registration type or status, language, ODS code) or date.
package patientcsv

import (
	"github.com/pcnhub/pcnhub"
)

// Columns are the column names in their canonical order, the order in which
// the Writer writes them.
var Columns = []string{
	"nhs_number",
	"family_name",
	"given_names",
	"title",
	"birth_date",
	"gender",
	"address_line_1",
	"address_line_2",
	"address_line_3",
	"city",
	"district",
	"postcode",
	"home_phone",
	"mobile_phone",
	"email",
	"language",
	"interpreter_required",
	"registration_type",
	"registration_status",
	"registration_date",
	"registration_end_date",
	"preferred_branch",
	"sensitive",
	"deceased_date",
	"superseded_by",
	"merged_into",
	"in_transit",
	"dissent_from_sharing",
}

// Indexes into Columns.
const (
	colNHS = iota
	colFamily
	colGiven
	colTitle
	colBirth
	colGender
	colAddr1
	colAddr2
	colAddr3
	colCity
	colDistrict
	colPostcode
	colHomePhone
	colMobile
	colEmail
	colLanguage
	colInterpreter
	colRegType
	colRegStatus
	colRegDate
	colRegEnd
	colBranch
	colSensitive
	colDeceased
	colSuperseded
	colMerged
	colInTransit
	colDissent
	numCols
)

// required reports whether a column must appear in the header.
func required(col int) bool {
	switch col {
	case colNHS, colFamily, colGiven, colBirth, colGender:
		return true
	}
	return false
}

// MaxRowBytes is the longest row the Reader accepts, in bytes. A longer
// row, which is almost always an opening quote that is never closed, is a
// fatal error: it keeps the memory used by a Reader bounded.
const MaxRowBytes = 1 << 20

// MaxTextLen is the maximum length of a text field, in characters.
const MaxTextLen = 100

// earliestBirth is the earliest birth date accepted.
var earliestBirth = pcnhub.Date{Year: 1880, Month: 1, Day: 1}
