//go:build js && wasm

// Package jsdom is package dom over syscall/js: the real browser.
package jsdom

import (
	"strings"
	"syscall/js"

	"langcard/wasm/dom"
)

type node struct{ v js.Value }

func wrap(v js.Value) dom.Node {
	if v.IsNull() || v.IsUndefined() {
		return nil
	}
	return node{v}
}

func (n node) Query(sel string) dom.Node { return wrap(n.v.Call("querySelector", sel)) }

func (n node) QueryAll(sel string) []dom.Node {
	list := n.v.Call("querySelectorAll", sel)
	out := make([]dom.Node, list.Length())
	for i := range out {
		out[i] = node{list.Index(i)}
	}
	return out
}

func (n node) Attr(name string) string {
	v := n.v.Call("getAttribute", name)
	if v.IsNull() {
		return ""
	}
	return v.String()
}

func (n node) SetAttr(name, value string) { n.v.Call("setAttribute", name, value) }
func (n node) RemoveAttr(name string)     { n.v.Call("removeAttribute", name) }
func (n node) Value() string              { return n.v.Get("value").String() }
func (n node) SetValue(s string)          { n.v.Set("value", s) }
func (n node) SetText(s string)           { n.v.Set("textContent", s) }
func (n node) Focus()                     { n.v.Call("focus") }
func (n node) Remove()                    { n.v.Call("remove") }
func (n node) AppendChild(c dom.Node)     { n.v.Call("appendChild", c.(node).v) }

func (n node) CloneTemplate() dom.Node {
	return wrap(n.v.Get("content").Get("firstElementChild").Call("cloneNode", true))
}

// listeners are the widget's js.Funcs by scope: the document or shadow
// root the loader saw them added in (io.on), so that Release can free
// those of an element that left the page.
var listeners = map[int][]js.Func{}

func (n node) On(event string, fn func(dom.Event)) {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		fn(ev{args[0]})
		return nil
	})
	scope := io().Call("on", n.v, event, f).Int()
	listeners[scope] = append(listeners[scope], f)
}

// Release removes every listener the widget added in root's document or
// shadow root (io.off), and frees them.
func (b *Browser) Release(root dom.Node) {
	scope := io().Call("off", root.(node).v).Int()
	for _, f := range listeners[scope] {
		f.Release()
	}
	delete(listeners, scope)
}

type ev struct{ v js.Value }

func (e ev) PreventDefault() { e.v.Call("preventDefault") }

func (e ev) Key() string {
	if k := e.v.Get("key"); k.Type() == js.TypeString {
		return k.String()
	}
	return ""
}

type value struct{ v js.Value }

func (j value) Get(key string) dom.Value {
	if j.v.Type() != js.TypeObject || j.v.IsNull() {
		return value{js.Undefined()}
	}
	return value{j.v.Get(key)}
}

func (j value) Index(i int) dom.Value {
	if j.Len() <= i {
		return value{js.Undefined()}
	}
	return value{j.v.Index(i)}
}

func (j value) Len() int {
	if !isArray(j.v) {
		return 0
	}
	return j.v.Length()
}

func (j value) String() string {
	if j.v.Type() != js.TypeString {
		return ""
	}
	return j.v.String()
}

func (j value) IsObject() bool {
	return j.v.Type() == js.TypeObject && !j.v.IsNull() && !isArray(j.v)
}

func isArray(v js.Value) bool { return global.Get("Array").Call("isArray", v).Bool() }

var global = js.Global()

// Browser is the page's window.
type Browser struct{}

// New returns the browser the widget runs in.
func New() *Browser { return &Browser{} }

// Document returns the page's root element.
func (b *Browser) Document() dom.Node { return node{global.Get("document").Get("documentElement")} }

// Wrap makes a JavaScript element a Node (a root to hydrate).
func Wrap(v js.Value) dom.Node { return wrap(v) }

// Fetch sends a JSON request with the API's CSRF header, through the
// loader's window.langcard.io.fetch.
func (b *Browser) Fetch(method, url, body string, done func(dom.Response)) {
	var cb js.Func
	cb = js.FuncOf(func(_ js.Value, a []js.Value) any {
		cb.Release()
		r := dom.Response{Status: a[0].Int(), RetryAfter: a[1].String()}
		if !a[3].IsNull() {
			r.Err = js.Error{Value: a[3]}
		} else if text := a[2].String(); text != "" {
			r.Body = b.Parse(text)
		}
		done(r)
		return nil
	})
	io().Call("fetch", method, url, body, cb)
}

func io() js.Value { return global.Get("langcard").Get("io") }

// Tag asks the loader's window.langcard.io.tag.
func (b *Browser) Tag(tag string) string {
	return io().Call("tag", tag).String()
}

// NFC runs String.prototype.normalize("NFC").
func (b *Browser) NFC(s string) string {
	return io().Call("nfc", s).String()
}

// Stringify returns fields as a JSON object.
// UI calls window.langcard.ui[action](card, arg).
func (b *Browser) UI(action string, card dom.Node, arg string) string {
	return io().Call("ui", action, card.(node).v, arg).String()
}

func (b *Browser) Stringify(fields map[string]string) string {
	m := make(map[string]any, len(fields))
	for k, v := range fields {
		m[k] = v
	}
	return global.Get("JSON").Call("stringify", m).String()
}

// Parse parses JSON, returning nil when it is not.
func (b *Browser) Parse(s string) dom.Value {
	v := io().Call("parse", s)
	if v.IsUndefined() {
		return nil
	}
	return value{v}
}

// Load reads localStorage ("" when absent or unavailable).
func (b *Browser) Load(key string) string {
	return io().Call("load", key).String()
}

// Store writes localStorage (quietly nothing when unavailable).
func (b *Browser) Store(key, value string) { io().Call("store", key, value) }

// Forget removes a localStorage key.
func (b *Browser) Forget(key string) { io().Call("store", key, js.Null()) }

// Keys lists the localStorage keys that start with prefix.
func (b *Browser) Keys(prefix string) []string {
	keys := io().Call("keys", prefix).String()
	if keys == "" {
		return nil
	}
	return strings.Split(keys, "\n")
}

// Now is Date.now().
func (b *Browser) Now() int { return global.Get("Date").Call("now").Int() }

// Path is the page's path and query.
func (b *Browser) Path() string {
	loc := global.Get("location")
	return loc.Get("pathname").String() + loc.Get("search").String()
}

// Href is the page's whole URL.
func (b *Browser) Href() string { return global.Get("location").Get("href").String() }

// Go navigates the window.
func (b *Browser) SignIn(login, back string) { io().Call("signIn", login, back) }

// Mark records a performance mark.
func (b *Browser) Mark(name string) { io().Call("mark", name) }
