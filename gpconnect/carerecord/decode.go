package carerecord

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// This file reads a DSTU2 Parameters body, JSON or XML, into []param.
// Only what $gpc.getcarerecord needs is read: each parameter's name, which
// value[x] it carries, and the contents of valueIdentifier,
// valueCodeableConcept and valuePeriod. Other elements (id, extension,
// part, resource) are ignored. Syntax errors, a resource other than
// Parameters, and elements of the wrong JSON type are 422 INVALID_RESOURCE.

// fhirNS is the namespace of FHIR XML.
const fhirNS = "http://hl7.org/fhir"

// isValueX reports whether an element name is a value[x] choice
// ("valueIdentifier", "valueString", …).
func isValueX(name string) bool {
	return len(name) > 5 && strings.HasPrefix(name, "value") && name[5] >= 'A' && name[5] <= 'Z'
}

// ---- JSON ----

type jsonIdentifier struct {
	System *string `json:"system"`
	Value  *string `json:"value"`
}

type jsonCoding struct {
	System *string `json:"system"`
	Code   *string `json:"code"`
}

type jsonCodeableConcept struct {
	Coding []jsonCoding `json:"coding"`
}

type jsonPeriod struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

func optOf(p *string) opt {
	if p == nil {
		return opt{}
	}
	return opt{set: true, v: *p}
}

func decodeJSON(body []byte) ([]param, *Error) {
	if !utf8.Valid(body) {
		return nil, invalidResource("the body is not valid UTF-8 JSON")
	}
	var root map[string]json.RawMessage
	if err := json.Unmarshal(body, &root); err != nil {
		return nil, invalidResource("the body is not a JSON Parameters resource: %s", jsonProblem(err))
	}
	var rt string
	if raw, ok := root["resourceType"]; !ok || json.Unmarshal(raw, &rt) != nil || rt != "Parameters" {
		if rt != "" {
			return nil, invalidResource("the body is a %s resource, not Parameters", clip(rt))
		}
		return nil, invalidResource("the body has no resourceType Parameters")
	}
	var list []map[string]json.RawMessage
	if raw, ok := root["parameter"]; ok {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, invalidResource("Parameters.parameter must be an array of objects")
		}
	}
	out := make([]param, 0, len(list))
	for i, obj := range list {
		var p param
		if raw, ok := obj["name"]; ok {
			if err := json.Unmarshal(raw, &p.name); err != nil {
				return nil, invalidResource("Parameters.parameter[%d].name must be a string", i)
			}
		}
		for k := range obj {
			if isValueX(k) {
				p.kinds = append(p.kinds, k)
			}
		}
		sortStrings(p.kinds)
		if len(p.kinds) == 1 {
			k := p.kinds[0]
			raw := obj[k]
			var err error
			switch k {
			case "valueIdentifier":
				var v jsonIdentifier
				if err = json.Unmarshal(raw, &v); err == nil {
					p.ident = &identifier{system: optOf(v.System), value: optOf(v.Value)}
				}
			case "valueCodeableConcept":
				var v jsonCodeableConcept
				if err = json.Unmarshal(raw, &v); err == nil {
					p.cc = &codeableConcept{}
					for _, c := range v.Coding {
						p.cc.codings = append(p.cc.codings, coding{system: optOf(c.System), code: optOf(c.Code)})
					}
				}
			case "valuePeriod":
				var v jsonPeriod
				if err = json.Unmarshal(raw, &v); err == nil {
					p.per = &period{start: optOf(v.Start), end: optOf(v.End)}
				}
			}
			if err != nil {
				return nil, invalidResource("%s (Parameters.parameter[%d]) has a malformed %s: %s", paramLabel(p.name), i, k, jsonProblem(err))
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// jsonProblem describes a JSON decoding error without quoting the body.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + itoa(int(se.Offset))
	case errors.As(err, &te):
		if te.Field != "" {
			return clip(te.Field) + " has the wrong JSON type"
		}
		return "a value has the wrong JSON type"
	}
	return "invalid JSON"
}

func paramLabel(name string) string {
	if name == "" {
		return "a parameter"
	}
	return clip(name)
}

// ---- XML ----

// maxXMLDepth bounds element nesting; a Parameters body for this operation
// needs six levels.
const maxXMLDepth = 64

// xnode is an element of a parsed XML document.
type xnode struct {
	name  xml.Name
	value opt // the value attribute
	kids  []*xnode
}

func (n *xnode) children(local string) []*xnode {
	var out []*xnode
	for _, k := range n.kids {
		if k.name.Local == local && k.name.Space == fhirNS {
			out = append(out, k)
		}
	}
	return out
}

// single returns the value of the only child element named local, or an
// error when it is repeated.
func (n *xnode) single(local, where string) (opt, *Error) {
	ks := n.children(local)
	switch len(ks) {
	case 0:
		return opt{}, nil
	case 1:
		// An element with no value attribute is present but empty.
		return opt{set: true, v: ks[0].value.v}, nil
	}
	return opt{}, invalidResource("%s.%s is repeated", where, local)
}

// parseXML reads a whole document into a tree of elements. Character data
// and comments are ignored; DOCTYPE is refused.
func parseXML(body []byte) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var root *xnode
	var stack []*xnode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, errors.New("elements are nested too deeply")
			}
			n := &xnode{name: t.Name}
			for _, a := range t.Attr {
				if a.Name.Space == "" && a.Name.Local == "value" {
					n.value = opt{set: true, v: a.Value}
				}
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		case xml.Directive:
			return nil, errors.New("DOCTYPE and other directives are not allowed")
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

func decodeXML(body []byte) ([]param, *Error) {
	root, err := parseXML(body)
	if err != nil {
		return nil, invalidResource("the body is not a well-formed XML Parameters resource: %s", xmlProblem(err))
	}
	if root.name.Local != "Parameters" {
		return nil, invalidResource("the body is a %s resource, not Parameters", clip(root.name.Local))
	}
	if root.name.Space != fhirNS {
		return nil, invalidResource("Parameters is not in the FHIR namespace %s", fhirNS)
	}
	var out []param
	for i, pn := range root.children("parameter") {
		var p param
		where := "Parameters.parameter[" + itoa(i) + "]"
		names := pn.children("name")
		if len(names) > 1 {
			return nil, invalidResource("%s.name is repeated", where)
		}
		if len(names) == 1 {
			p.name = names[0].value.v
		}
		var vn *xnode
		for _, k := range pn.kids {
			if k.name.Space == fhirNS && isValueX(k.name.Local) {
				p.kinds = append(p.kinds, k.name.Local)
				vn = k
			}
		}
		if len(p.kinds) == 1 {
			vw := paramLabel(p.name) + "." + vn.name.Local
			var e *Error
			switch vn.name.Local {
			case "valueIdentifier":
				p.ident = &identifier{}
				if p.ident.system, e = vn.single("system", vw); e == nil {
					p.ident.value, e = vn.single("value", vw)
				}
			case "valueCodeableConcept":
				p.cc = &codeableConcept{}
				for _, cn := range vn.children("coding") {
					var c coding
					if c.system, e = cn.single("system", vw+".coding"); e == nil {
						c.code, e = cn.single("code", vw+".coding")
					}
					if e != nil {
						break
					}
					p.cc.codings = append(p.cc.codings, c)
				}
			case "valuePeriod":
				p.per = &period{}
				if p.per.start, e = vn.single("start", vw); e == nil {
					p.per.end, e = vn.single("end", vw)
				}
			}
			if e != nil {
				return nil, e
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// xmlProblem describes an XML decoding error without quoting the body.
func xmlProblem(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "syntax error on line " + itoa(se.Line)
	}
	return clip(err.Error())
}
