package fhir

import (
	"encoding/xml"
	"io"
	"strings"
)

const xmlNamespaceURL = "http://www.w3.org/XML/1998/namespace"

// checkXHTML reports why s cannot be a Narrative.div ("" when it can): it
// must be exactly one well-formed <div> element in the XHTML namespace, which
// it declares itself (so that the markup means the same when copied into
// another document), with every element inside in that namespace too, no
// processing instructions or DTD, nothing before or after the element, and
// nesting no deeper than MaxDepth.
func checkXHTML(s string) string {
	if msg := checkString(s); msg != "" {
		return msg
	}
	const bad = "the narrative div must be a single <div xmlns=\"http://www.w3.org/1999/xhtml\"> element"
	if s[0] != '<' || s[len(s)-1] != '>' {
		return bad
	}
	d := xml.NewDecoder(strings.NewReader(s))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if depth != 0 {
				return bad
			}
			return ""
		}
		if err != nil {
			return "the narrative div is not well-formed XML: " + err.Error()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 && t.Name.Local != "div" {
				return bad
			}
			if t.Name.Space != NamespaceXHTML {
				if depth == 0 {
					return bad
				}
				return "element <" + t.Name.Local + "> in the narrative is not in the XHTML namespace"
			}
			for _, a := range t.Attr {
				switch a.Name.Space {
				case "", "xmlns", xmlNamespaceURL, "xml":
				default:
					return "attribute " + a.Name.Local + " in the narrative has an undeclared or foreign namespace"
				}
			}
			depth++
			if depth > MaxDepth {
				return "the narrative is nested deeper than the limit"
			}
		case xml.EndElement:
			depth--
			if depth == 0 && d.InputOffset() != int64(len(s)) {
				return bad
			}
		case xml.CharData:
			if depth == 0 {
				return bad
			}
		case xml.Comment:
			if depth == 0 {
				return bad
			}
		case xml.ProcInst, xml.Directive:
			return "the narrative div cannot hold processing instructions or DTDs"
		}
	}
}
