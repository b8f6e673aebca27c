package patientcsv

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RowError is a row that cannot be imported. The Reader carries on with the
// next row after it. For a CSV syntax error (a stray or missing quote),
// Column is the field that was being read and Reason gives the line and
// byte at which the error was found; for a wrong number of fields, Column
// is 0.
type RowError struct {
	Line   int    // line on which the row starts (1-based)
	Column int    // 1-based column number in the file; 0 when the whole row is wrong
	Field  string // column name; "" when the whole row is wrong or the column is beyond the header
	Reason string // what is wrong; never holds names, addresses or contact details
	// Fields is a copy of the row's raw fields, for a file of rejected rows.
	// After a CSV syntax error it holds only the fields read before the
	// error. It holds patient data: do not log it.
	Fields []string
}

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(e.Line))
	if e.Column > 0 {
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(e.Column))
		if e.Field != "" {
			b.WriteString(" (")
			b.WriteString(e.Field)
			b.WriteString(")")
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// HeaderError is a header row that cannot be used: the file is not
// imported at all.
type HeaderError struct {
	Column int    // 1-based column number; 0 when no single column is at fault or the column is missing
	Field  string // the column name concerned, as written in the file or, for a missing column, as expected
	Reason string
}

func (e *HeaderError) Error() string {
	var b strings.Builder
	b.WriteString("header")
	if e.Column > 0 {
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(e.Column))
	}
	if e.Field != "" {
		b.WriteString(" (")
		b.WriteString(printable(e.Field))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// printable returns s as it is when it holds only printable characters and
// no more than 40 of them, or quoted and clipped otherwise.
func printable(s string) string {
	const max = 40
	plain := utf8.RuneCountInString(s) <= max
	for _, r := range s {
		if !unicode.IsPrint(r) || r == '"' || r == '(' || r == ')' {
			plain = false
			break
		}
	}
	if plain && s != "" {
		return s
	}
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	return strconv.Quote(s)
}
