package sqlstore

import (
	"encoding/json"
	"strings"

	"github.com/pcnhub/pcnhub"
)

// Column encodings shared by every table. Each pair round-trips exactly.

func joinLines(lines []string) string { return strings.Join(lines, "\n") }

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func joinWords(words []string) string { return strings.Join(words, " ") }

func splitWords(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}

// encodeTelecom writes t as the JSON that json.Marshal would write, by
// hand: it runs for every row of an import, and reflection was a tenth of
// the import's time.
func encodeTelecom(t []pcnhub.ContactPoint) string {
	if len(t) == 0 {
		return "[]"
	}
	b := make([]byte, 0, 64*len(t))
	b = append(b, '[')
	for i, c := range t {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"System":`...)
		b = appendJSONString(b, c.System)
		b = append(b, `,"Use":`...)
		b = appendJSONString(b, c.Use)
		b = append(b, `,"Value":`...)
		b = appendJSONString(b, c.Value)
		b = append(b, '}')
	}
	return string(append(b, ']'))
}

// appendJSONString appends s as a JSON string; anything but plain
// printable ASCII goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func decodeTelecom(s string) ([]pcnhub.ContactPoint, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var t []pcnhub.ContactPoint
	err := json.Unmarshal([]byte(s), &t)
	return t, err
}

func parseDateColumn(s string) (pcnhub.Date, error) {
	if s == "" {
		return pcnhub.Date{}, nil
	}
	return pcnhub.ParseDate(s)
}
