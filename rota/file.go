package rota

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pcnhub/pcnhub"
)

// Format is a book file's format.
type Format string

const (
	YAML Format = "yaml"
	JSON Format = "json"
)

// FormatOf picks the format from a file name: .json is JSON, anything else
// (.yaml, .yml) YAML.
func FormatOf(name string) Format {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return JSON
	}
	return YAML
}

// Decode reads a book. Unknown fields are errors (a misspelt field would
// otherwise be silently ignored); so is more than one document. Errors are
// *pcnhub.Error with code EINVALID and say where the fault is: a line for
// YAML, a line and column for JSON. Sessions decoded from YAML carry their
// line (Session.Line) for Validate's problems.
func Decode(data []byte, f Format) (*Book, error) {
	var b Book
	if f == JSON {
		if err := decodeJSON(data, &b); err != nil {
			return nil, err
		}
		return &b, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, pcnhub.Errorf(pcnhub.EINVALID, "the book file is empty")
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if !strings.Contains(msg, "line ") {
			// Errors of UnmarshalText (times, days, durations, dates)
			// come without a place; they quote the bad value, so find
			// the scalar that holds it.
			if line := yamlLineOf(data, quotedIn(msg)); line > 0 {
				msg = fmt.Sprintf("line %d: %s", line, msg)
			}
		}
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "%s", msg)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "the book file holds more than one YAML document; put one book in a file")
	}
	// A second pass over the node tree finds where each session starts.
	var root yaml.Node
	if yaml.Unmarshal(data, &root) == nil && len(root.Content) == 1 {
		doc := root.Content[0]
		for i := 0; i+1 < len(doc.Content); i += 2 {
			if doc.Content[i].Value == "sessions" && doc.Content[i+1].Kind == yaml.SequenceNode {
				for k, n := range doc.Content[i+1].Content {
					if k < len(b.Sessions) {
						b.Sessions[k].Line = n.Line
					}
				}
			}
		}
	}
	return &b, nil
}

func decodeJSON(data []byte, b *Book) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(b)
	if err == nil {
		if _, err2 := dec.Token(); !errors.Is(err2, io.EOF) {
			l, c := lineCol(data, dec.InputOffset())
			return pcnhub.Errorf(pcnhub.EINVALID, "line %d, column %d: unexpected data after the book", l, c)
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return pcnhub.Errorf(pcnhub.EINVALID, "the book file is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return pcnhub.Errorf(pcnhub.EINVALID, "the book file ends in the middle of the JSON")
	case errors.As(err, &syn):
		l, c := lineCol(data, syn.Offset-1) // Offset is just past the bad byte
		return pcnhub.Errorf(pcnhub.EINVALID, "line %d, column %d: %s", l, c, syn.Error())
	case errors.As(err, &typ):
		l, c := lineCol(data, typ.Offset)
		return pcnhub.Errorf(pcnhub.EINVALID, "line %d, column %d: %s must be %s, not a JSON %s", l, c, typ.Field, typ.Type, typ.Value)
	}
	// Unknown fields and errors of UnmarshalText carry no offset (the
	// decoder has read the whole value by then); they quote the field or
	// value, so find its first appearance as a JSON string.
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if q := quotedIn(msg); q != "" {
		if i := bytes.Index(data, []byte(strconv.Quote(q))); i >= 0 {
			l, c := lineCol(data, int64(i))
			return pcnhub.Errorf(pcnhub.EINVALID, "line %d, column %d: %s", l, c, msg)
		}
	}
	return pcnhub.Errorf(pcnhub.EINVALID, "%s", msg)
}

// quotedIn returns the first Go-quoted string in msg, unquoted ("" when
// there is none).
func quotedIn(msg string) string {
	i := strings.IndexByte(msg, '"')
	if i < 0 {
		return ""
	}
	q, err := strconv.QuotedPrefix(msg[i:])
	if err != nil {
		return ""
	}
	v, _ := strconv.Unquote(q)
	return v
}

// yamlLineOf returns the line of the first scalar of the YAML document
// whose value is v (0: none, or v empty).
func yamlLineOf(data []byte, v string) int {
	if v == "" {
		return 0
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return 0
	}
	var find func(n *yaml.Node) int
	find = func(n *yaml.Node) int {
		if n.Kind == yaml.ScalarNode && n.Value == v {
			return n.Line
		}
		for _, c := range n.Content {
			if l := find(c); l > 0 {
				return l
			}
		}
		return 0
	}
	return find(&root)
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Encode writes a book in the format: YAML with two-space indentation, or
// indented JSON. Decode(Encode(b)) gives b back (lines aside).
func Encode(b *Book, f Format) ([]byte, error) {
	if f == JSON {
		out, err := json.MarshalIndent(b, "", "  ")
		if err != nil {
			return nil, err
		}
		return append(out, '\n'), nil
	}
	var buf bytes.Buffer
	org := string(b.Organisation)
	if c, err := pcnhub.ParseODSCode(org); err != nil || string(c) != org {
		org = "an organisation" // not an ODS code: keep it out of the comment line
	}
	fmt.Fprintf(&buf, "# Appointment book of %s: pcnhub rota import validates it before it changes anything.\n", org)
	// The YAML is built from the JSON encoding (same field names, same
	// order), so that the style of every string is ours to choose:
	// yaml.Node.Encode would round-trip through YAML text and fail on the
	// very strings that need quoting.
	js, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	jd := json.NewDecoder(bytes.NewReader(js))
	jd.UseNumber()
	doc, err := nodeOf(jd)
	if err != nil {
		return nil, err
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// nodeOf reads one JSON value from dec as a YAML node. Strings holding a
// tab or another control character are double-quoted: in the plain or
// literal styles a tab at the start of a line does not read back.
func nodeOf(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if t == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		}
		for dec.More() {
			if n.Kind == yaml.MappingNode {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key.(string)})
			}
			v, err := nodeOf(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return n, nil
	case string:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}
		if strings.ContainsFunc(t, func(r rune) bool { return r < ' ' && r != '\n' || r == 0x7f || r == 0x2028 || r == 0x2029 }) {
			n.Style = yaml.DoubleQuotedStyle
		}
		return n, nil
	case json.Number:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("encode book: unexpected JSON token %v", tok)
}
