package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/pcnhub/pcnhub"
)

//go:embed templates
var templateFS embed.FS

// pages holds one template set per page file of templates/: the shared
// layout.html and partials.html, and the page's own file, which defines
// "content" (and any htmx partials it serves on their own).
var pages = mustParsePages()

// funcs are the template helpers; times are always shown in England's
// time, whatever the server's zone.
var funcs = template.FuncMap{
	"date":     func(t time.Time) string { return t.In(pcnhub.London).Format("Mon 2 Jan 2006") },
	"time":     func(t time.Time) string { return t.In(pcnhub.London).Format("15:04") },
	"datetime": func(t time.Time) string { return t.In(pcnhub.London).Format("2 Jan 2006 15:04") },
	"isodate":  func(t time.Time) string { return t.In(pcnhub.London).Format("2006-01-02") },
	"day":      func(d pcnhub.Date) string { return d.Time(pcnhub.London).Format("Mon 2 Jan 2006") },
	"nhs":      func(n pcnhub.NHSNumber) string { return n.Formatted() },
	"role":     roleName,
	// field is a form field's error (""), for "nhsuk-form-group--error".
	"field": func(f *Form, name string) string {
		if f == nil {
			return ""
		}
		return f.Errors[name]
	},
	// value is a form field's submitted value.
	"value": func(f *Form, name string) string {
		if f == nil {
			return ""
		}
		return f.Values.Get(name)
	},
	// dict builds a map for passing several values to a partial.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"lower":      strings.ToLower,
	"upperFirst": upperFirst,
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

func mustParsePages() map[string]*template.Template {
	base := template.Must(template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" || name == "partials.html" {
			continue
		}
		t := template.Must(base.Clone())
		out[name] = template.Must(t.ParseFS(templateFS, f))
	}
	return out
}
