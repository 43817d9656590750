package static

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The typed descriptions served beside embed.js say what the element
// does: the attributes it observes, the events the scripts send, the
// custom properties and parts the stylesheet and the markup offer.
func TestElementDescriptions(t *testing.T) {
	a, err := Load(FS)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, wantType string) string {
		w := httptest.NewRecorder()
		a.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 || w.Header().Get("Content-Type") != wantType {
			t.Fatalf("%s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		}
		return w.Body.String()
	}
	var cem struct {
		Modules []struct {
			Declarations []struct {
				TagName    string
				Attributes []struct{ Name string }
				Events     []struct{ Name string }
				CSSProps   []struct{ Name string } `json:"cssProperties"`
				CSSParts   []struct{ Name string } `json:"cssParts"`
			}
		}
	}
	if err := json.Unmarshal([]byte(get("/static/custom-elements.json", "application/json")), &cem); err != nil {
		t.Fatal(err)
	}
	dts := get("/static/language-card.d.ts", "application/typescript; charset=utf-8")
	d := cem.Modules[0].Declarations[0]
	names := func(list []struct{ Name string }) []string {
		var out []string
		for _, x := range list {
			out = append(out, x.Name)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	read := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	embed, loader, css := read("embed.js"), read("langcard.js"), read("app.css")
	observed := regexp.MustCompile(`observedAttributes\(\) \{ return \[([^\]]*)\]`).FindStringSubmatch(embed)
	var attrs []string
	for _, q := range regexp.MustCompile(`"([a-z-]+)"`).FindAllStringSubmatch(observed[1], -1) {
		attrs = append(attrs, q[1])
	}
	slices.Sort(attrs)
	if got := names(d.Attributes); d.TagName != "language-card" || !slices.Equal(got, attrs) {
		t.Errorf("manifest attributes %v, embed.js observes %v", got, attrs)
	}
	// The host page's events are the ones sent with emit (CustomEvents
	// that leave the shadow root); plain Events between the loader and
	// the widget stay inside.
	var sent []string
	for _, m := range regexp.MustCompile(`emit\([^,]+, "(langcard-[a-z-]+)"`).FindAllStringSubmatch(embed+loader, -1) {
		sent = append(sent, m[1])
	}
	slices.Sort(sent)
	sent = slices.Compact(sent)
	if got := names(d.Events); !slices.Equal(got, sent) {
		t.Errorf("manifest events %v, the scripts send %v", got, sent)
	}
	for _, p := range d.CSSProps {
		if !strings.Contains(css, "var("+p.Name+",") || !strings.Contains(dts, p.Name) {
			t.Errorf("custom property %s is not used by app.css or not in the .d.ts", p.Name)
		}
	}
	for _, p := range d.CSSParts {
		if !strings.Contains(dts, " "+p.Name+",") && !strings.Contains(dts, " "+p.Name+".") {
			t.Errorf("part %s is not in the .d.ts", p.Name)
		}
	}
	for _, e := range sent {
		if !strings.Contains(dts, `"`+e+`"`) {
			t.Errorf("event %s is not in the .d.ts", e)
		}
	}
}
