// Package dom is the widget's thin seam over the browser: the few things
// it asks of the DOM, fetch, Intl, localStorage and timers. The real one
// (package jsdom) is built on syscall/js; tests use a fake over parsed
// HTML, so the widget's logic builds and tests natively.
package dom

// Node is an element. Nodes must not be compared with ==: the real ones
// hold a js.Value, which is not comparable, and the comparison panics.
type Node interface {
	// Query returns the first descendant matching a CSS selector, or nil.
	Query(selector string) Node
	// QueryAll returns every descendant matching a CSS selector.
	QueryAll(selector string) []Node
	Attr(name string) string
	SetAttr(name, value string)
	RemoveAttr(name string)
	// Value and SetValue are a form control's current value.
	Value() string
	SetValue(v string)
	SetText(s string)
	Focus()
	// On calls fn for each event of the type dispatched to the node.
	On(event string, fn func(Event))
	// CloneTemplate returns a deep copy of a <template>'s first element.
	CloneTemplate() Node
	AppendChild(child Node)
	Remove()
}

// Event is a DOM event.
type Event interface {
	PreventDefault()
	// Key is a keyboard event's key ("Escape"); "" for other events.
	Key() string
}

// Value is parsed JSON.
type Value interface {
	// Get returns an object's member (a missing one reads as "" and 0).
	Get(key string) Value
	Index(i int) Value
	Len() int
	// String is a string's value ("" for anything else).
	String() string
	// IsObject reports whether the value is a JSON object.
	IsObject() bool
}

// Response is an answer to Fetch.
type Response struct {
	Status     int
	RetryAfter string // the Retry-After header
	Body       Value  // nil when empty or not JSON
	Err        error  // the request did not complete (network down)
}

// Browser is the page's window.
type Browser interface {
	Document() Node
	// Fetch sends a JSON request with the browser's cookies (to the BFF,
	// same-origin or from an embedding page) and calls done with the answer.
	Fetch(method, url, body string, done func(Response))
	// Tag is the browser's verdict on a BCP 47 tag: its canonical form
	// (Intl.getCanonicalLocales) when every language, script and region
	// subtag is one Intl.DisplayNames knows; "?" and the first that is
	// not; "!" when it is not well-formed.
	Tag(tag string) string
	// NFC returns s in Unicode Normalization Form C (String.normalize).
	NFC(s string) string
	// UI runs one of the loader's presentation behaviours
	// (window.langcard.ui, static/langcard.js) on a card: "open" (arg
	// "quiet": without moving focus), "saved" (arg: what to say),
	// "summary" (arg: the values, JSON), "deleteFailed" (arg: why); and
	// looks in the page's list of languages: "name" (arg: a tag; its name,
	// or ""), "find" (arg: what a person typed; the tag and name they
	// mean, on two lines, or "").
	UI(action string, card Node, arg string) string
	// Release removes and frees every listener the widget added in root's
	// document or shadow root (its element left the page).
	Release(root Node)
	// Stringify returns fields as a JSON object of strings; Parse parses JSON.
	Stringify(fields map[string]string) string
	Parse(s string) Value
	// Load, Store and Forget use localStorage; Load returns "" when absent.
	// Keys lists its keys that start with prefix.
	Load(key string) string
	Store(key, value string)
	Forget(key string)
	Keys(prefix string) []string
	// Now is Date.now(): milliseconds since 1970.
	Now() int
	// Path is location.pathname + location.search, Href the whole URL.
	Path() string
	Href() string
	// SignIn sends the window to login with returnTo=back (escaped).
	SignIn(login, back string)
	// Mark records a performance mark.
	Mark(name string)
}
