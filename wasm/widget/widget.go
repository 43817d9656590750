// Package widget is the langcard widget's logic: it hydrates the cards the
// server rendered (it never renders markup of its own), opens one card at
// a time for editing, validates as the person types with the server's
// rules, saves only what changed, keeps every edit through failures and
// reloads, moves focus where the person expects it, and announces what
// happens, in the words the page gives it (its message catalogue).
// It reaches the browser only through package dom, so it builds and tests
// natively; wasm/main.go wires it to the real browser.
package widget

import (
	"strconv"
	"strings"

	"langcard/wasm/dom"
	"langcard/web/langprof"
)

// widgets are the editors hydrated on this page: cards of one person in
// several of them are kept alike after every change.
var widgets []*Widget

// Widget drives the cards of one editor.
type Widget struct {
	b      dom.Browser
	check  langprof.Checks
	root   dom.Node // the element holding the cards and the add form
	api    string   // the API collection: /api/me/languages or /api/users/{user}/languages
	login  string   // where to sign in again
	cards  dom.Node // section.cards
	viewer string   // the signed-in person's object id
	text   dom.Value
	views  []*view
}

// Hydrate takes over the editor below root: every server-rendered card
// and the add form. It returns nil when root holds no editor.
func Hydrate(b dom.Browser, root dom.Node) *Widget {
	cards := root.Query("section.cards")
	if cards == nil {
		return nil
	}
	w := &Widget{b: b, check: Checks(b), root: root, cards: cards}
	w.text = b.Parse(cards.Attr("data-text"))
	// On the BFF's own page the API is relative; embedded on an intranet
	// page, the server gives absolute URLs (data-api, data-login).
	w.api, w.login = cards.Attr("data-api"), cards.Attr("data-login")
	if w.api == "" {
		w.api = "/api/me/languages"
		if base := cards.Attr("data-base"); base != "" {
			w.api = "/api" + base + "/languages"
		}
	}
	if w.login == "" {
		w.login = "/login"
	}
	w.viewer = cards.Attr("data-viewer")
	w.sweepDrafts()
	// (Sign-out on langcard's own page removes every draft: the loader.)
	// (The loader marks "langcard-interactive": Edit and typing work
	// before the widget runs.)
	for _, article := range cards.QueryAll("article.card") {
		w.bind(article, article.Attr("data-id"))
	}
	if add := root.Query("section.add form.card-form"); add != nil {
		w.bind(add, "")
	}
	widgets = append(widgets, w)
	hydrated++
	root.SetAttr("data-hydrated", strconv.Itoa(hydrated))
	b.Mark("langcard-hydrated")
	b.UI("ready", cards, "")
	return w
}

// hydrated counts the roots hydrated, to name each (data-hydrated).
var hydrated int

// Forget lets go of the editor at root, whose element left the page: its
// listeners, and its part in keeping the page's cards alike. Hydrate takes
// it over again if the element comes back.
func Forget(b dom.Browser, root dom.Node) {
	id := root.Attr("data-hydrated")
	if id == "" {
		return
	}
	for i := len(widgets) - 1; i >= 0; i-- {
		if widgets[i].root.Attr("data-hydrated") == id {
			widgets = append(widgets[:i], widgets[i+1:]...)
		}
	}
	root.RemoveAttr("data-hydrated")
	b.Release(root)
}

// t is a message of the page's catalogue with its {placeholders} filled
// from args (name, value pairs).
func (w *Widget) t(key string, args ...string) string {
	msg := key
	if w.text != nil {
		if s := w.text.Get(key).String(); s != "" {
			msg = s
		}
	}
	for i := 0; i+1 < len(args); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+args[i]+"}", args[i+1])
	}
	return msg
}

// n is t for a count, by the catalogue's plural rule.
func (w *Widget) n(key string, n int, args ...string) string {
	form := "other"
	switch rule := w.t("@plural"); {
	case rule == "one-other" && n == 1, rule == "zero-one-other" && (n == 0 || n == 1):
		form = "one"
	}
	return w.t(key+"."+form, append([]string{"n", strconv.Itoa(n)}, args...)...)
}

// view is one hydrated card: its state and its elements.
type view struct {
	w       *Widget
	card    Card
	el      dom.Node // the article (or the add form)
	form    dom.Node
	fields  [len(langprof.Props)]dom.Node
	errors  [len(langprof.Props)]dom.Node
	lang    dom.Node // the language field, and its error
	langErr dom.Node
	// unknown is what the language field holds when it names no language.
	unknown string
	save    dom.Node
	status  dom.Node
	retry   dom.Node
	discard dom.Node
	// shown and langShown are the problems shown beside the fields.
	shown     [len(langprof.Props)]string
	langShown string
	busy      bool
	// addKey is the idempotency key of the add in progress (the add form's
	// view): the same for each try, new for the next add.
	addKey string
}

func (w *Widget) bind(el dom.Node, id string) *view {
	v := &view{w: w, el: el, form: el}
	if id != "" {
		v.form = el.Query("form.card-form")
		if v.form == nil {
			return nil
		}
	}
	v.card.ID = id
	for i, p := range langprof.Props {
		v.fields[i] = v.form.Query(`[name="` + p + `"]`)
		v.errors[i] = v.form.Query(`.error[data-for="` + p + `"]`)
		if v.fields[i] == nil || v.errors[i] == nil {
			return nil
		}
		v.card.Now[i] = v.fields[i].Value()
		v.card.Orig[i] = v.card.Now[i]
		if o := v.form.Query(`[name="orig.` + p + `"]`); o != nil {
			v.card.Orig[i] = o.Value()
		}
	}
	v.lang, v.langErr = v.form.Query(`[name="language"]`), v.form.Query(`.error[data-for="language"]`)
	v.save = v.form.Query(`button[type="submit"]`)
	v.status = v.form.Query(".status")
	v.retry = v.form.Query("button.retry")
	v.discard = v.form.Query("button.discard")
	v.card.NameTouched = v.card.Now.Get(langprof.PropDisplayName) != ""
	w.views = append(w.views, v)

	for i, f := range v.fields {
		prop := langprof.Props[i]
		f.On("input", func(dom.Event) { v.edited(prop, true) })
		f.On("change", func(dom.Event) { v.edited(prop, false) })
	}
	if v.lang != nil {
		// Resolved when chosen or left, not at each key: "no" and "bo"
		// are codes on the way to "norsk" and "bokmål".
		v.lang.On("change", func(dom.Event) { v.languageTyped() })
	}
	v.form.On("submit", func(e dom.Event) {
		e.PreventDefault()
		v.submit()
	})
	// Cancel (the loader's langcard-cancel) drops the unsaved edits.
	v.form.On("langcard-cancel", func(dom.Event) {
		if v.card.Dirty() {
			v.discardEdits()
		}
	})
	if v.retry != nil {
		v.retry.On("click", func(dom.Event) { v.submit() })
	}
	v.form.On("langcard-retry", func(dom.Event) { v.submit() })
	if v.discard != nil {
		v.discard.On("click", func(dom.Event) { v.discardEdits() })
	}
	if id != "" {
		v.bindDelete()
	}
	if v.restoreDraft() && id != "" {
		w.b.UI("open", el, "quiet") // the restored edits show
	}
	v.render()
	return v
}

// edited reads a field the person changed.
func (v *view) edited(prop string, typed bool) {
	i := langprof.PropIndex(prop)
	value := v.fields[i].Value()
	if prop == langprof.PropTag && !typed {
		// Leaving the field: show the tag as it will be saved (en-us → en-US).
		if canonical, problem := langprof.CheckTag(value, v.w.check.Tag); problem == "" && canonical != value {
			v.fields[i].SetValue(canonical)
			value = canonical
		}
	}
	if value == v.card.Now[i] {
		return
	}
	v.card.Edit(prop, value)
	switch {
	case prop == langprof.PropDisplayName && typed:
		v.card.NameTouched = value != ""
	case prop == langprof.PropTag:
		if !v.card.NameTouched {
			v.suggestName()
		}
		if v.lang != nil && !typed {
			name := v.w.b.UI("name", v.el, v.card.Now.Get(langprof.PropTag))
			if name == "" {
				name = v.card.Now.Get(langprof.PropTag)
			}
			v.lang.SetValue(name)
			v.unknown = ""
		}
	}
	v.saveDraft()
	v.say("")
	v.render()
}

// languageTyped follows the language field: a name from the list (in
// the person's language, English or its own) or its code chooses the
// language; on leaving the field, a code not on the list is taken as
// typed, and anything else is said to be unknown.
func (v *view) languageTyped() {
	typed := strings.TrimSpace(v.lang.Value())
	tag, name, _ := strings.Cut(v.w.b.UI("find", v.el, typed), "\n")
	if tag == "" && typed != "" {
		tag, _ = langprof.CheckTag(typed, v.w.check.Tag)
	}
	v.unknown = ""
	if tag == "" {
		v.unknown = typed
		v.render()
		return
	}
	v.fields[langprof.PropIndex(langprof.PropTag)].SetValue(tag)
	v.edited(langprof.PropTag, true)
	if name != "" && !v.card.NameTouched {
		v.fields[langprof.PropIndex(langprof.PropDisplayName)].SetValue(name)
		v.edited(langprof.PropDisplayName, false)
		v.card.NameTouched = false
	}
}

// suggestName fills in the display name for a new tag from the list, in
// the person's own language, unless they typed one themselves.
func (v *view) suggestName() {
	if name := v.w.b.UI("name", v.el, v.card.Now.Get(langprof.PropTag)); name != "" {
		v.fields[langprof.PropIndex(langprof.PropDisplayName)].SetValue(name)
		v.card.Edit(langprof.PropDisplayName, name)
	}
}

// name is what the card's messages call its language.
func (v *view) name() string {
	if n := v.card.Now.Get(langprof.PropDisplayName); n != "" {
		return n
	}
	if n := v.card.Orig.Get(langprof.PropDisplayName); n != "" {
		return n
	}
	return v.w.t("problem.thisLanguage")
}

// message is a problem in the person's words.
func (v *view) message(p langprof.Problem) string {
	if p.Code == "" {
		return p.Message // the server's, already in their words
	}
	return v.w.t(p.Key(), "language", v.name(), "tag", v.card.Now.Get(langprof.PropTag), "max", strconv.Itoa(langprof.MaxDisplayName))
}

// render shows each problem beside its field (a tag the person did not
// type is the language field's), and Discard when something changed.
// Save stays enabled: it says what is wrong when pressed.
func (v *view) render() {
	_, shown := v.card.Check(v.w.check)
	langMsg := ""
	if v.unknown != "" {
		langMsg = v.w.t("problem.language.unknown", "typed", v.unknown)
	}
	for i, p := range langprof.Props {
		pr, bad := shown[p]
		msg := ""
		if bad {
			msg = v.message(pr)
		}
		if p == langprof.PropTag && v.lang != nil && msg != "" && (pr.Reason == "required" || v.card.Now.Get(langprof.PropTag) == "") {
			langMsg, msg = msg, ""
		}
		// The rule broken ("unknownSubtag:NB"), for the check that the
		// browser and the server agree.
		v.errors[i].SetAttr("data-detail", pr.Reason+":"+pr.Detail)
		v.shown[i] = msg
		showError(v.fields[i], v.errors[i], msg)
	}
	v.langShown = ""
	if v.lang != nil && v.langErr != nil {
		v.langShown = langMsg
		showError(v.lang, v.langErr, langMsg)
	}
	setHidden(v.discard, !v.card.Dirty() || v.busy)
}

func showError(field, errorEl dom.Node, msg string) {
	errorEl.SetText(msg)
	if msg == "" {
		errorEl.SetAttr("hidden", "")
		field.RemoveAttr("aria-invalid")
	} else {
		errorEl.RemoveAttr("hidden")
		field.SetAttr("aria-invalid", "true")
	}
}

func (v *view) say(msg string) {
	if v.status != nil {
		v.status.SetText(msg)
	}
}

func setHidden(n dom.Node, hidden bool) {
	if n == nil {
		return
	}
	if hidden {
		n.SetAttr("hidden", "")
	} else {
		n.RemoveAttr("hidden")
	}
}

// setValues puts values into the form.
func (v *view) setValues(vals langprof.Values) {
	for i := range langprof.Props {
		v.fields[i].SetValue(vals[i])
	}
	v.card.Now = vals
	if v.lang != nil {
		name := v.w.b.UI("name", v.el, vals.Get(langprof.PropTag))
		if name == "" {
			name = vals.Get(langprof.PropTag)
		}
		v.lang.SetValue(name)
		v.unknown = ""
	}
}

func (v *view) discardEdits() {
	v.stopCountdown()
	v.setValues(v.card.Orig)
	v.card.Server, v.card.Touched = nil, [len(langprof.Props)]bool{}
	v.card.NameTouched = v.card.Now.Get(langprof.PropDisplayName) != ""
	v.w.b.Forget(v.draftKey())
	v.addKey = ""
	setHidden(v.retry, true)
	v.say(v.w.t("widget.discarded"))
	v.render()
}

func (v *view) stopCountdown() { v.w.b.UI("stopCountdown", v.el, "") }
