package fhir_test

import (
	"fmt"
	"strconv"
	"time"
)

func itoa(i int) string                         { return strconv.Itoa(i) }
func fmtAny(v any) string                       { return fmt.Sprintf("%v", v) }
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

var testTime = time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC)
