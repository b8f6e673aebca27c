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

func encodeTelecom(t []pcnhub.ContactPoint) string {
	if len(t) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(t) // a slice of plain string structs cannot fail
	return string(b)
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
