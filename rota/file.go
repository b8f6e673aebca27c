package rota

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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
		return nil, pcnhub.Errorf(pcnhub.EINVALID, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
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
		l, c := lineCol(data, syn.Offset)
		return pcnhub.Errorf(pcnhub.EINVALID, "line %d, column %d: %s", l, c, syn.Error())
	case errors.As(err, &typ):
		l, c := lineCol(data, typ.Offset)
		return pcnhub.Errorf(pcnhub.EINVALID, "line %d, column %d: %s must be %s, not a JSON %s", l, c, typ.Field, typ.Type, typ.Value)
	}
	// Unknown fields and errors of UnmarshalText: the decoder has read up
	// to the fault.
	l, c := lineCol(data, dec.InputOffset())
	return pcnhub.Errorf(pcnhub.EINVALID, "near line %d, column %d: %s", l, c, strings.TrimPrefix(err.Error(), "json: "))
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
	fmt.Fprintf(&buf, "# Appointment book of %s: pcnhub book import validates it before it changes anything.\n", b.Organisation)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
