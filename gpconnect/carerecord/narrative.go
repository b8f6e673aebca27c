package carerecord

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// narrativeElements are the XHTML elements FHIR narrative allows.
var narrativeElements = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em
		h1 h2 h3 h4 h5 h6 hr i img li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var`) {
		narrativeElements[e] = true
	}
}

// narrativeAttributes may appear on any element: no event handlers, no
// style, no links (Render writes only id and class).
var narrativeAttributes = map[string]bool{"id": true, "class": true, "title": true, "lang": true, "dir": true,
	"colspan": true, "rowspan": true, "scope": true, "alt": true}

const maxNarrativeDepth = 32

// checkDiv checks that div is one XHTML <div> of the FHIR narrative
// subset, written in the plain XML that Render writes, and returns it with
// the XHTML namespace declared on the <div> (added when missing). Accepted:
// lower-case narrativeElements; attributes of narrativeAttributes in double
// quotes, and xmlns="http://www.w3.org/1999/xhtml" on the root only;
// character data of XML characters with the five predefined entities and
// numeric character references. Refused: anything else, including
// comments, CDATA sections, processing instructions, DOCTYPE, "\r", "]]>",
// and text or markup after the </div>. One pass, no allocation.
func checkDiv(div string) (string, error) {
	p := narrativeScanner{s: div}
	hasNS, err := p.document()
	if err != nil {
		return "", err
	}
	if !hasNS {
		return `<div xmlns="` + xhtmlNS + `"` + div[len("<div"):], nil
	}
	return div, nil
}

type narrativeScanner struct {
	s     string
	i     int
	stack []string
}

func (p *narrativeScanner) fail(what string) error {
	return errors.New(what + " at byte " + itoa(p.i))
}

func (p *narrativeScanner) document() (hasNS bool, err error) {
	if !strings.HasPrefix(p.s, "<div") {
		return false, errors.New("it does not start with <div")
	}
	var stackBuf [maxNarrativeDepth]string
	p.stack = stackBuf[:0]
	for {
		if p.i >= len(p.s) {
			return false, p.fail("unexpected end, <" + p.top() + "> is not closed")
		}
		if p.s[p.i] != '<' {
			if len(p.stack) == 0 {
				return false, p.fail("text outside the <div>")
			}
			if err := p.text(); err != nil {
				return false, err
			}
			continue
		}
		if strings.HasPrefix(p.s[p.i:], "</") {
			if err := p.endTag(); err != nil {
				return false, err
			}
		} else {
			root := p.i == 0
			ns, err := p.startTag(root)
			if err != nil {
				return false, err
			}
			if root {
				hasNS = ns
			}
		}
		if len(p.stack) == 0 {
			if p.i != len(p.s) {
				return false, p.fail("text or markup after the </div>")
			}
			return hasNS, nil
		}
	}
}

func (p *narrativeScanner) top() string {
	if len(p.stack) == 0 {
		return "div"
	}
	return p.stack[len(p.stack)-1]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

func (p *narrativeScanner) skipSpace() bool {
	j := p.i
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
	return p.i > j
}

// name reads [a-z][a-z0-9]* (elements) or [a-z][a-z:]* (attributes).
func (p *narrativeScanner) name(colon bool) string {
	j := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c >= 'a' && c <= 'z' || (p.i > j && (c >= '0' && c <= '9' && !colon || c == ':' && colon)) {
			p.i++
			continue
		}
		break
	}
	return p.s[j:p.i]
}

// startTag reads <name attr="v" …> or <name …/>; root allows xmlns.
func (p *narrativeScanner) startTag(root bool) (hasNS bool, err error) {
	p.i++ // <
	el := p.name(false)
	if !narrativeElements[el] {
		return false, p.fail("element <" + clip(el) + "> is not allowed in FHIR narrative")
	}
	if root && el != "div" {
		return false, p.fail("the root element is not <div>")
	}
	var seen [8]string
	nseen := 0
	for {
		sp := p.skipSpace()
		if p.i >= len(p.s) {
			return false, p.fail("unterminated tag <" + el + ">")
		}
		switch {
		case p.s[p.i] == '>':
			p.i++
			if len(p.stack) == maxNarrativeDepth {
				return false, p.fail("elements nested too deeply")
			}
			p.stack = append(p.stack, el)
			return hasNS, nil
		case strings.HasPrefix(p.s[p.i:], "/>"):
			p.i += 2
			return hasNS, nil
		case !sp:
			return false, p.fail("malformed tag <" + el + ">")
		}
		an := p.name(true)
		if !strings.HasPrefix(p.s[p.i:], `="`) {
			return false, p.fail("attribute " + clip(an) + " has no double-quoted value")
		}
		p.i += 2
		vs := p.i
		for p.i < len(p.s) && p.s[p.i] != '"' {
			if p.s[p.i] == '<' {
				return false, p.fail("'<' in an attribute value")
			}
			if err := p.char(); err != nil {
				return false, err
			}
		}
		if p.i >= len(p.s) {
			return false, p.fail("unterminated attribute value")
		}
		val := p.s[vs:p.i]
		p.i++ // "
		switch {
		case an == "xmlns" && root:
			if val != xhtmlNS {
				return false, p.fail("the <div> is not in the XHTML namespace")
			}
			hasNS = true
		case !narrativeAttributes[an]:
			return false, p.fail("attribute " + clip(an) + " is not allowed in FHIR narrative")
		}
		for _, s := range seen[:nseen] {
			if s == an {
				return false, p.fail("attribute " + an + " is repeated")
			}
		}
		if nseen == len(seen) {
			return false, p.fail("too many attributes")
		}
		seen[nseen] = an
		nseen++
	}
}

func (p *narrativeScanner) endTag() error {
	p.i += 2 // </
	el := p.name(false)
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != '>' {
		return p.fail("malformed end tag")
	}
	p.i++
	if len(p.stack) == 0 || p.stack[len(p.stack)-1] != el {
		return p.fail("</" + clip(el) + "> does not close <" + p.top() + ">")
	}
	p.stack = p.stack[:len(p.stack)-1]
	return nil
}

// text reads character data up to the next '<'.
func (p *narrativeScanner) text() error {
	for p.i < len(p.s) && p.s[p.i] != '<' {
		if strings.HasPrefix(p.s[p.i:], "]]>") {
			return p.fail("']]>' in text")
		}
		if err := p.char(); err != nil {
			return err
		}
	}
	return nil
}

// char reads one character or entity reference.
func (p *narrativeScanner) char() error {
	c := p.s[p.i]
	switch {
	case c == '&':
		return p.entity()
	case c == '\r':
		return p.fail("carriage return")
	case c < 0x80:
		if c < 0x20 && c != '\t' && c != '\n' {
			return p.fail("control character")
		}
		p.i++
		return nil
	}
	r, n := utf8.DecodeRuneInString(p.s[p.i:])
	if r == utf8.RuneError && n == 1 || !xmlChar(r) {
		return p.fail("invalid character")
	}
	p.i += n
	return nil
}

func (p *narrativeScanner) entity() error {
	rest := p.s[p.i:]
	for _, e := range [...]string{"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"} {
		if strings.HasPrefix(rest, e) {
			p.i += len(e)
			return nil
		}
	}
	if !strings.HasPrefix(rest, "&#") {
		return p.fail("unknown entity")
	}
	j, base := 2, 10
	if len(rest) > 2 && rest[2] == 'x' {
		j, base = 3, 16
	}
	v, k := 0, j
	for ; k < len(rest) && k < j+8; k++ {
		d := digitVal(rest[k], base)
		if d < 0 {
			break
		}
		v = v*base + d
	}
	if k == j || k >= len(rest) || rest[k] != ';' || !(v == '\t' || v == '\n' || v == '\r' || xmlChar(rune(v))) {
		return p.fail("bad character reference")
	}
	p.i += k + 1
	return nil
}

func digitVal(c byte, base int) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
