package carerecord

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func TestCheckDiv(t *testing.T) {
	ns := `<div xmlns="http://www.w3.org/1999/xhtml">`
	for _, ok := range []string{
		`<div></div>`,
		`<div/>`,
		ns + `</div>`,
		`<div><h1>A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;</h1><br/><br /><p class="x" id="y">t</p></div>`,
		"<div>\n\t<p>multi\nline ></p>\n</div>",
		`<div><table id="t"><thead><tr><th class="date-column">D</th></tr></thead><tbody><tr><td colspan="2">é ✓ 𝄞</td></tr></tbody></table></div>`,
		`<div><a title="x">link</a><img alt="y"/></div>`,
	} {
		got, err := checkDiv(ok)
		if err != nil {
			t.Errorf("%q refused: %v", ok, err)
			continue
		}
		if !strings.HasPrefix(got, ns) && !strings.HasPrefix(got, `<div xmlns="http://www.w3.org/1999/xhtml"/>`) {
			t.Errorf("%q: namespace not declared: %q", ok, got)
		}
	}
	for _, bad := range []string{
		``, `<p/>`, `<DIV></DIV>`, `<div>`, `<div></p>`, `<div><p></div>`, `<div></div><div></div>`, `<div></div>x`, `<div></div> `,
		`<div><script>x</script></div>`, `<div><style>x</style></div>`, `<div><iframe/></div>`, `<div><form/></div>`,
		`<div onclick="x"></div>`, `<div style="x"></div>`, `<div><a href="javascript:x">x</a></div>`, `<div class='x'></div>`,
		`<div class=x></div>`, `<div class="x" class="y"></div>`, `<div class="<"></div>`, `<div class="x></div>`,
		`<div xmlns="http://hl7.org/fhir"></div>`, `<div><p xmlns="http://www.w3.org/1999/xhtml"/></div>`,
		`<div><!-- c --></div>`, `<div><![CDATA[x]]></div>`, `<div><?pi x?></div>`, `<!DOCTYPE div><div/>`,
		`<div>&nbsp;</div>`, `<div>&amp</div>`, `<div>&#0;</div>`, `<div>&#xD800;</div>`, `<div>&#;</div>`, `<div>a & b</div>`,
		"<div>\r\n</div>", "<div>\x00</div>", "<div>\xff</div>", "<div>\uFFFE</div>", `<div>]]></div>`,
		`<div><p>` + strings.Repeat("<div>", 40) + `</div>`,
	} {
		if _, err := checkDiv(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzCheckDiv: whatever checkDiv accepts is well-formed XML — one XHTML
// <div> of narrative elements, attributes from the allowed list.
func FuzzCheckDiv(f *testing.F) {
	f.Add(`<div><h1>A &amp; B</h1><br/><p class="x">t</p></div>`)
	f.Add(`<div xmlns="http://www.w3.org/1999/xhtml"><table id="t"><tr><td>&#65;</td></tr></table></div>`)
	f.Add(`<div><p>]]&gt;</p></div>`)
	f.Fuzz(func(t *testing.T, div string) {
		got, err := checkDiv(div)
		if err != nil {
			return
		}
		d := xml.NewDecoder(strings.NewReader(got))
		d.Strict = true
		depth, roots := 0, 0
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("accepted %q, but XML says %v", div, err)
			}
			switch x := tok.(type) {
			case xml.StartElement:
				if depth == 0 {
					roots++
				}
				if x.Name.Space != xhtmlNS || !narrativeElements[x.Name.Local] || (depth == 0 && x.Name.Local != "div") {
					t.Fatalf("accepted %q with element %v", div, x.Name)
				}
				for _, a := range x.Attr {
					if !(a.Name.Local == "xmlns" && depth == 0) && !narrativeAttributes[a.Name.Local] {
						t.Fatalf("accepted %q with attribute %v", div, a.Name)
					}
				}
				depth++
			case xml.EndElement:
				depth--
			case xml.CharData:
				if depth == 0 {
					t.Fatalf("accepted %q with text outside", div)
				}
			default:
				t.Fatalf("accepted %q with %T", div, tok)
			}
		}
		if roots != 1 {
			t.Fatalf("accepted %q with %d roots", div, roots)
		}
	})
}
