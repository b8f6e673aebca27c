package web_test

import "testing"

func testConfig(t *testing.T, e *env) { t.Skip("not written yet") }

