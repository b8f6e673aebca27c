package carerecord

import (
	"time"
	"unicode/utf8"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/record"
)

// xhtmlNS is the XHTML namespace of FHIR narrative.
const xhtmlNS = "http://www.w3.org/1999/xhtml"

// xw writes XHTML of the FHIR narrative subset. Element names and
// attribute values are this package's constants; all other text goes
// through text, which escapes it, drops characters XML cannot hold and
// turns line breaks into <br/>. The output holds no "\r".
type xw struct{ b []byte }

func (w *xw) raw(s string) { w.b = append(w.b, s...) }

func (w *xw) open(tag string) { w.b = append(append(append(w.b, '<'), tag...), '>') }

// openA opens tag with one attribute (id or class).
func (w *xw) openA(tag, attr, val string) {
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, ' ')
	w.b = append(w.b, attr...)
	w.b = append(w.b, `="`...)
	w.escape(val, false)
	w.b = append(w.b, `">`...)
}

func (w *xw) close(tag string) { w.b = append(append(append(w.b, "</"...), tag...), '>') }

// elem writes <tag>text</tag>.
func (w *xw) elem(tag, text string) {
	w.open(tag)
	w.text(text)
	w.close(tag)
}

// text writes escaped character data; "\r\n", "\r" and "\n" become <br/>.
func (w *xw) text(s string) { w.escape(s, true) }

func (w *xw) escape(s string, breaks bool) {
	// Fast path: printable ASCII without markup characters.
	i := 0
	for i < len(s) {
		c := s[i]
		if c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' {
			break
		}
		i++
	}
	w.b = append(w.b, s[:i]...)
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			w.b = append(w.b, "&amp;"...)
		case r == '<':
			w.b = append(w.b, "&lt;"...)
		case r == '>':
			w.b = append(w.b, "&gt;"...)
		case r == '"':
			w.b = append(w.b, "&quot;"...)
		case r == '\r' || r == '\n':
			if r == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				n = 2
			}
			if breaks {
				w.b = append(w.b, "<br/>"...)
			} else {
				w.b = append(w.b, ' ')
			}
		case r == '\t':
			w.b = append(w.b, ' ')
		case r == utf8.RuneError && n == 1, !xmlChar(r):
			w.b = append(w.b, "\uFFFD"...)
		default:
			w.b = append(w.b, s[i:i+n]...)
		}
		i += n
	}
}

// xmlChar reports whether r may appear in an XML 1.0 document (tab and
// line breaks are handled by the caller).
func xmlChar(r rune) bool {
	return (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

var monthAbbr = [13]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// appendDate appends a date as dd-Mmm-yyyy ("05-Mar-2024").
func appendDate(b []byte, d pcnhub.Date) []byte {
	if d.Day >= 1 && d.Day <= 31 {
		b = append(b, byte('0'+d.Day/10), byte('0'+d.Day%10), '-')
	}
	return appendMonthYear(b, d.Month, d.Year)
}

func appendMonthYear(b []byte, m time.Month, y int) []byte {
	if m >= time.January && m <= time.December {
		b = append(b, monthAbbr[m]...)
		b = append(b, '-')
	}
	return appendYear(b, y)
}

func appendYear(b []byte, y int) []byte {
	if y < 0 || y > 9999 {
		return append(b, itoa(y)...)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
}

// appendPartial appends a recorded date in the date-column form: dd-Mmm-yyyy
// for a day or an instant (its Europe/London date), Mmm-yyyy for a month,
// yyyy for a year, and textUnknownDate when none was recorded.
func appendPartial(b []byte, p record.PartialDate) []byte {
	switch p.Precision {
	case record.DateYear:
		return appendYear(b, p.Year)
	case record.DateMonth:
		return appendMonthYear(b, p.Month, p.Year)
	case record.DateDay, record.DateTime:
		return appendDate(b, pcnhub.Date{Year: p.Year, Month: p.Month, Day: p.Day})
	}
	return append(b, textUnknownDate...)
}
