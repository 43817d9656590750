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

func (n node) On(event string, fn func(dom.Event)) {
	n.v.Call("addEventListener", event, js.FuncOf(func(_ js.Value, args []js.Value) any {
		fn(ev{args[0]})
		return nil
	}))
}

type ev struct{ v js.Value }

func (e ev) PreventDefault() { e.v.Call("preventDefault") }

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
type Browser struct {
	known map[string]js.Value
}

// New returns the browser the widget runs in.
func New() *Browser { return &Browser{known: map[string]js.Value{}} }

// Document returns the page's root element.
func (b *Browser) Document() dom.Node { return node{global.Get("document").Get("documentElement")} }

// Wrap makes a JavaScript element a Node (a root to hydrate).
func Wrap(v js.Value) dom.Node { return wrap(v) }

// try calls f, turning a JavaScript exception into ok == false.
func try(f func()) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	f()
	return true
}

// Fetch sends a same-origin request with the API's CSRF header.
func (b *Browser) Fetch(method, url, body string, done func(dom.Response)) {
	headers := map[string]any{"X-CSRF": "1", "Accept": "application/json"}
	opts := map[string]any{"method": method, "credentials": "include", "mode": "cors", "headers": headers}
	if body != "" {
		headers["Content-Type"] = "application/json"
		opts["body"] = body
	}
	var onResponse, onText, onError js.Func
	release := func() { onResponse.Release(); onText.Release(); onError.Release() }
	var status int
	var retryAfter string
	onText = js.FuncOf(func(_ js.Value, args []js.Value) any {
		r := dom.Response{Status: status, RetryAfter: retryAfter}
		if text := args[0].String(); text != "" {
			if v := b.Parse(text); v != nil {
				r.Body = v
			}
		}
		release()
		done(r)
		return nil
	})
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		release()
		done(dom.Response{Err: js.Error{Value: args[0]}})
		return nil
	})
	onResponse = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resp := args[0]
		status = resp.Get("status").Int()
		if ra := resp.Get("headers").Call("get", "Retry-After"); !ra.IsNull() {
			retryAfter = ra.String()
		}
		resp.Call("text").Call("then", onText, onError)
		return nil
	})
	global.Call("fetch", url, opts).Call("then", onResponse, onError)
}

// Canonical runs Intl.getCanonicalLocales.
func (b *Browser) Canonical(tag string) (canonical string, ok bool) {
	ok = try(func() { canonical = global.Get("Intl").Call("getCanonicalLocales", tag).Index(0).String() })
	return canonical, ok
}

// NFC runs String.prototype.normalize("NFC").
func (b *Browser) NFC(s string) string {
	out := s
	try(func() { out = js.ValueOf(s).Call("normalize", "NFC").String() })
	return out
}

// Known asks Intl.DisplayNames, with no fallback, whether a code exists.
func (b *Browser) Known(kind, code string) bool {
	dn, ok := b.known[kind]
	if !ok {
		opts := map[string]any{"type": kind, "fallback": "none"}
		dn = global.Get("Intl").Get("DisplayNames").New([]any{"en"}, opts)
		b.known[kind] = dn
	}
	var name js.Value
	return try(func() { name = dn.Call("of", code) }) && name.Type() == js.TypeString
}

// LanguageName names a language in the person's languages.
func (b *Browser) LanguageName(tag string) string {
	var name string
	try(func() {
		langs := global.Get("navigator").Get("languages")
		dn := global.Get("Intl").Get("DisplayNames").New(langs, map[string]any{"type": "language"})
		name = dn.Call("of", tag).String()
	})
	return name
}

// Stringify returns fields as a JSON object.
func (b *Browser) Stringify(fields map[string]string) string {
	m := make(map[string]any, len(fields))
	for k, v := range fields {
		m[k] = v
	}
	return global.Get("JSON").Call("stringify", m).String()
}

// Parse parses JSON, returning nil when it is not.
func (b *Browser) Parse(s string) dom.Value {
	var v js.Value
	if !try(func() { v = global.Get("JSON").Call("parse", s) }) {
		return nil
	}
	return value{v}
}

func (b *Browser) storage() js.Value { return global.Get("localStorage") }

// Load reads localStorage ("" when absent or unavailable).
func (b *Browser) Load(key string) string {
	var s string
	try(func() {
		if v := b.storage().Call("getItem", key); !v.IsNull() {
			s = v.String()
		}
	})
	return s
}

// Store writes localStorage (quietly nothing when unavailable).
func (b *Browser) Store(key, value string) { try(func() { b.storage().Call("setItem", key, value) }) }

// Forget removes a localStorage key.
func (b *Browser) Forget(key string) { try(func() { b.storage().Call("removeItem", key) }) }

// Keys lists the localStorage keys that start with prefix.
func (b *Browser) Keys(prefix string) []string {
	var keys []string
	try(func() {
		st := b.storage()
		for i := 0; i < st.Get("length").Int(); i++ {
			if k := st.Call("key", i); k.Type() == js.TypeString && strings.HasPrefix(k.String(), prefix) {
				keys = append(keys, k.String())
			}
		}
	})
	return keys
}

// Now is Date.now().
func (b *Browser) Now() int { return global.Get("Date").Call("now").Int() }

// After runs fn after d.
func (b *Browser) After(ms int, fn func()) func() {
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		f.Release()
		fn()
		return nil
	})
	id := global.Call("setTimeout", f, ms)
	return func() {
		global.Call("clearTimeout", id)
		f.Release()
	}
}

// Path is the page's path and query.
func (b *Browser) Path() string {
	loc := global.Get("location")
	return loc.Get("pathname").String() + loc.Get("search").String()
}

// Href is the page's whole URL.
func (b *Browser) Href() string { return global.Get("location").Get("href").String() }

// Go navigates the window.
func (b *Browser) Go(url string) { global.Get("location").Call("assign", url) }

// Mark records a performance mark.
func (b *Browser) Mark(name string) { try(func() { global.Get("performance").Call("mark", name) }) }
