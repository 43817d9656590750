package widget

import (
	"net/url"

	"golang.org/x/text/unicode/norm"

	"encoding/json"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"langcard/templates/i18n"
	"langcard/wasm/dom"
)

// A fake browser for native tests: the DOM is the server's real markup
// parsed with x/net/html, with a small CSS selector matcher; fetch and
// localStorage are recorded for the test to answer.

type fakeDoc struct {
	listeners map[*html.Node]map[string][]func(dom.Event)
	values    map[*html.Node]string
	focused   *html.Node
}

type fnode struct {
	n *html.Node
	d *fakeDoc
}

func (f fnode) wrap(n *html.Node) dom.Node {
	if n == nil {
		return nil
	}
	return fnode{n, f.d}
}

func elements(n *html.Node, yield func(*html.Node) bool) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !yield(c) {
			return false
		}
		if !elements(c, yield) {
			return false
		}
	}
	return true
}

func (f fnode) Query(sel string) dom.Node {
	var found *html.Node
	elements(f.n, func(n *html.Node) bool {
		if matches(n, sel) {
			found = n
			return false
		}
		return true
	})
	return f.wrap(found)
}

func (f fnode) QueryAll(sel string) []dom.Node {
	var out []dom.Node
	elements(f.n, func(n *html.Node) bool {
		if matches(n, sel) {
			out = append(out, fnode{n, f.d})
		}
		return true
	})
	return out
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func (f fnode) Attr(name string) string { v, _ := attr(f.n, name); return v }

func (f fnode) SetAttr(name, value string) {
	for i, a := range f.n.Attr {
		if a.Key == name {
			f.n.Attr[i].Val = value
			return
		}
	}
	f.n.Attr = append(f.n.Attr, html.Attribute{Key: name, Val: value})
}

func (f fnode) RemoveAttr(name string) {
	for i, a := range f.n.Attr {
		if a.Key == name {
			f.n.Attr = append(f.n.Attr[:i], f.n.Attr[i+1:]...)
			return
		}
	}
}

func (f fnode) Value() string {
	if v, ok := f.d.values[f.n]; ok {
		return v
	}
	if f.n.Data == "select" {
		first := ""
		for _, o := range f.QueryAll("option") {
			if first == "" {
				first = o.Attr("value")
			}
			if _, sel := attr(o.(fnode).n, "selected"); sel {
				return o.Attr("value")
			}
		}
		return first
	}
	return f.Attr("value")
}

func (f fnode) SetValue(v string) { f.d.values[f.n] = v }

func (f fnode) Text() string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(f.n)
	return b.String()
}

func (f fnode) SetText(s string) {
	for f.n.FirstChild != nil {
		f.n.RemoveChild(f.n.FirstChild)
	}
	f.n.AppendChild(&html.Node{Type: html.TextNode, Data: s})
}

func (f fnode) Focus() { f.d.focused = f.n }

func (f fnode) On(event string, fn func(dom.Event)) {
	if f.d.listeners[f.n] == nil {
		f.d.listeners[f.n] = map[string][]func(dom.Event){}
	}
	f.d.listeners[f.n][event] = append(f.d.listeners[f.n][event], fn)
}

func clone(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: append([]html.Attribute(nil), n.Attr...)}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.AppendChild(clone(k))
	}
	return c
}

func (f fnode) CloneTemplate() dom.Node {
	for c := f.n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return f.wrap(clone(c))
		}
	}
	return nil
}

func (f fnode) AppendChild(c dom.Node) { f.n.AppendChild(c.(fnode).n) }
func (f fnode) Remove()                { f.n.Parent.RemoveChild(f.n) }

type fevent struct {
	target    *html.Node
	d         *fakeDoc
	prevented bool
	key       string
}

func (e *fevent) PreventDefault() { e.prevented = true }
func (e *fevent) Key() string     { return e.key }

// fire dispatches an event at n, bubbling to its ancestors; it returns
// whether a handler prevented the default action.
func (d *fakeDoc) fire(n dom.Node, event string) bool { return d.fireKey(n, event, "") }

// fireKey dispatches a keyboard event with its key.
func (d *fakeDoc) fireKey(n dom.Node, event, key string) bool {
	e := &fevent{target: n.(fnode).n, d: d, key: key}
	for x := e.target; x != nil; x = x.Parent {
		for _, fn := range d.listeners[x][event] {
			fn(e)
		}
	}
	return e.prevented
}

// matches reports whether n matches a selector list: compound selectors
// (tag, #id, .class, [attr], [attr=value]) joined by descendant spaces.
func matches(n *html.Node, list string) bool {
	for _, sel := range strings.Split(list, ",") {
		parts := selectorParts(sel)
		if len(parts) == 0 || !compound(n, parts[len(parts)-1]) {
			continue
		}
		x, ok := n.Parent, true
		for i := len(parts) - 2; i >= 0 && ok; i-- {
			for x != nil && (x.Type != html.ElementNode || !compound(x, parts[i])) {
				x = x.Parent
			}
			if ok = x != nil; ok {
				x = x.Parent
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// selectorParts splits a selector at the spaces between compound selectors (not
// those inside [attr="…"]).
func selectorParts(sel string) []string {
	var out []string
	depth, start := 0, -1
	for i := 0; i <= len(sel); i++ {
		switch {
		case i == len(sel) || sel[i] == ' ' && depth == 0:
			if start >= 0 {
				out = append(out, sel[start:i])
				start = -1
			}
			continue
		case sel[i] == '[':
			depth++
		case sel[i] == ']':
			depth--
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

func compound(n *html.Node, s string) bool {
	for s != "" {
		switch s[0] {
		case '#', '.':
			end := strings.IndexAny(s[1:], "#.[")
			if end < 0 {
				end = len(s) - 1
			}
			name := s[1 : end+1]
			if s[0] == '#' {
				if v, _ := attr(n, "id"); v != name {
					return false
				}
			} else if v, _ := attr(n, "class"); !containsField(v, name) {
				return false
			}
			s = s[end+1:]
		case '[':
			end := strings.IndexByte(s, ']')
			key, want, hasValue := strings.Cut(s[1:end], "=")
			contains := strings.HasSuffix(key, "*")
			key = strings.TrimSuffix(key, "*")
			v, ok := attr(n, key)
			want = strings.Trim(want, `"'`)
			if !ok || hasValue && !contains && v != want || contains && !strings.Contains(v, want) {
				return false
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, "#.[")
			if end < 0 {
				end = len(s)
			}
			if n.Data != s[:end] {
				return false
			}
			s = s[end:]
		}
	}
	return true
}

func containsField(list, name string) bool {
	for _, f := range strings.Fields(list) {
		if f == name {
			return true
		}
	}
	return false
}

// fakeBrowser records what the widget asks of the window.
type fakeBrowser struct {
	doc     *fakeDoc
	root    fnode
	fetches []*fetch
	store   map[string]string
	now     int
	path    string
	went    string
	marks   []string
	// ui records the loader's behaviours the widget asked for, as
	// "action arg" per card id.
	ui map[string][]string
	// keys counts the idempotency keys the widget asked for.
	keys int
	// released are the roots whose listeners were freed.
	released []string
}

type fetch struct {
	method, url, body string
	done              func(dom.Response)
}

func newFakeBrowser(page string) *fakeBrowser {
	doc, err := html.ParseWithOptions(strings.NewReader(page), html.ParseOptionEnableScripting(false)) // the <noscript> list as the loader makes it
	if err != nil {
		panic(err)
	}
	d := &fakeDoc{listeners: map[*html.Node]map[string][]func(dom.Event){}, values: map[*html.Node]string{}}
	var root *html.Node
	elements(doc, func(n *html.Node) bool {
		if n.Data == "html" {
			root = n
			return false
		}
		return true
	})
	return &fakeBrowser{doc: d, root: fnode{root, d}, store: map[string]string{}, path: "/"}
}

func (b *fakeBrowser) Document() dom.Node { return b.root }

func (b *fakeBrowser) Fetch(method, url, body string, done func(dom.Response)) {
	b.fetches = append(b.fetches, &fetch{method, url, body, done})
}

// tags the fake Intl knows: input → canonical.
var fakeCanonical = map[string]string{"und": "und", "zh-hant-tw": "zh-Hant-TW", "zh-hanx-tw": "zh-Hanx-TW", "en-us-u-co-phonebk": "en-US-u-co-phonebk", "en-us": "en-US", "nb-no": "nb-NO", "no-nb": "no-NB", "sv-se": "sv-SE", "fr": "fr", "xx": "xx", "de": "de", "iw": "he"}

// Tag is the loader's io.tag over a small table of what Intl knows.
func (b *fakeBrowser) Tag(tag string) string {
	c, ok := fakeCanonical[strings.ToLower(tag)]
	if !ok {
		return "!"
	}
	subs := strings.Split(c, "-")
	if subs[0] == "und" || subs[0] == "root" {
		return c
	}
	if !fakeKnown["language:"+subs[0]] {
		return "?" + subs[0]
	}
	for _, s := range subs[1:] {
		if len(s) == 1 {
			break
		}
		kind := "region"
		if len(s) == 4 {
			kind = "script"
		}
		if len(s) != 8 && len(s) != 5 && !fakeKnown[kind+":"+s] {
			return "?" + s
		}
	}
	return c
}

var fakeKnown = map[string]bool{"language:zh": true, "script:Hant": true, "region:TW": true, "language:en": true, "language:nb": true, "language:no": true, "language:sv": true, "language:fr": true, "language:de": true, "language:he": true, "region:US": true, "region:NO": true, "region:SE": true}

func (b *fakeBrowser) NFC(s string) string { return norm.NFC.String(s) }

// Release stands in for freeing the listeners of a root: recorded.
func (b *fakeBrowser) Release(root dom.Node) { b.released = append(b.released, root.Attr("class")) }

// UI stands in for the loader's presentation (static/langcard.js, which
// the browser tests exercise): it records what was asked, opens and closes
// cards as the loader does, and looks languages up in the page's list.
func (b *fakeBrowser) UI(action string, card dom.Node, arg string) string {
	if b.ui == nil {
		b.ui = map[string][]string{}
	}
	b.ui[card.Attr("id")] = append(b.ui[card.Attr("id")], action+" "+arg)
	set := func(sel string, hidden bool) {
		if n := card.Query(sel); n != nil {
			if hidden {
				n.SetAttr("hidden", "")
			} else {
				n.RemoveAttr("hidden")
			}
		}
	}
	switch action {
	case "open", "saved":
		editing := action == "open"
		set(".edit-area", !editing)
		set(".summary", editing)
		set("a.edit", editing)
		if action == "saved" {
			card.Query(".card-status").SetText(arg)
		}
	case "key":
		b.keys++
		return "key-" + strconv.Itoa(b.keys) + "-abcdef"
	case "name":
		if o := b.root.Query(`datalist option[data-tag="` + arg + `"]`); o != nil {
			return o.Attr("value")
		}
	case "find":
		if f := i18n.Fold(strings.TrimSpace(arg)); f != "" {
			for _, o := range b.root.QueryAll("datalist option") {
				self, _, _ := strings.Cut(o.Attr("label"), " · ")
				keys := []string{o.Attr("value"), self, i18n.English().LanguageName(o.Attr("data-tag")), o.Attr("data-tag")}
				for _, k := range keys {
					if i18n.Fold(k) == f {
						return o.Attr("data-tag") + "\n" + o.Attr("value")
					}
				}
			}
		}
	}
	return ""
}

func (b *fakeBrowser) Stringify(fields map[string]string) string {
	data, _ := json.Marshal(fields)
	return string(data)
}

func (b *fakeBrowser) Parse(s string) dom.Value {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	return jv{v}
}

func (b *fakeBrowser) Load(key string) string { return b.store[key] }
func (b *fakeBrowser) Store(key, v string)    { b.store[key] = v }
func (b *fakeBrowser) Forget(key string)      { delete(b.store, key) }

func (b *fakeBrowser) Keys(prefix string) []string {
	var keys []string
	for k := range b.store {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	return keys
}

func (b *fakeBrowser) Now() int { return b.now }

func (b *fakeBrowser) Path() string { return b.path }
func (b *fakeBrowser) Href() string { return "https://intranet.example" + b.path }

// SignIn records where the loader's signIn would go (encodeURIComponent,
// with "/" kept).
func (b *fakeBrowser) SignIn(login, back string) {
	b.went = login + "?returnTo=" + strings.ReplaceAll(strings.ReplaceAll(url.QueryEscape(back), "+", "%20"), "%2F", "/")
}
func (b *fakeBrowser) Mark(name string) { b.marks = append(b.marks, name) }

// respond answers the oldest pending fetch.
func (b *fakeBrowser) respond(status int, retryAfter, body string) *fetch {
	f := b.fetches[0]
	b.fetches = b.fetches[1:]
	r := dom.Response{Status: status, RetryAfter: retryAfter}
	if body != "" {
		r.Body = b.Parse(body)
	}
	f.done(r)
	return f
}

// jv is parsed JSON.
type jv struct{ v any }

func (j jv) Get(key string) dom.Value {
	m, _ := j.v.(map[string]any)
	return jv{m[key]}
}

func (j jv) Index(i int) dom.Value {
	a, _ := j.v.([]any)
	if i >= len(a) {
		return jv{}
	}
	return jv{a[i]}
}

func (j jv) Len() int {
	a, _ := j.v.([]any)
	return len(a)
}

func (j jv) String() string { s, _ := j.v.(string); return s }

func (j jv) IsObject() bool { _, ok := j.v.(map[string]any); return ok }
