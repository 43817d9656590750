// Package widget is the langcard widget's logic: it hydrates the cards the
// server rendered (it never renders markup of its own), validates as the
// person types with the server's rules, saves only what changed, keeps
// every edit through failures and reloads, and announces what happens.
// It reaches the browser only through package dom, so it builds and tests
// natively; wasm/main.go wires it to the real browser.
package widget

import (
	"strconv"
	"strings"

	"langcard/wasm/dom"
	"langcard/web/langprof"
)

// UndoWindow is how long, in milliseconds, a confirmed delete can be
// undone before it is sent.
var UndoWindow = 5000

// Widget drives the cards of one editor.
type Widget struct {
	b      dom.Browser
	check  langprof.Checks
	root   dom.Node // the element holding the cards and the add form
	api    string   // the API collection: /api/me/languages or /api/users/{user}/languages
	login  string   // where to sign in again
	cards  dom.Node // section.cards
	viewer string   // the signed-in person's object id
}

// Hydrate takes over the editor below root: every server-rendered card
// and the add form. It returns nil when root holds no editor.
func Hydrate(b dom.Browser, root dom.Node) *Widget {
	cards := root.Query("section.cards")
	if cards == nil {
		return nil
	}
	w := &Widget{b: b, check: Checks(b), root: root, cards: cards}
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
	// Sign-out on langcard's own page removes every draft first.
	if doc := b.Document(); doc != nil {
		for _, f := range doc.QueryAll(`form[action="/logout"]`) {
			f.On("submit", func(dom.Event) { w.forgetDrafts() })
		}
	}
	first := true
	bound := func() {
		if first {
			b.Mark("langcard-interactive") // the first card accepts input
			first = false
		}
	}
	for _, article := range cards.QueryAll("article.card") {
		w.bind(article, article.Attr("data-id"))
		bound()
	}
	if add := root.Query("section.add form.card-form"); add != nil {
		w.bind(add, "")
		bound()
	}
	root.SetAttr("data-hydrated", "")
	b.Mark("langcard-hydrated")
	return w
}

// view is one hydrated card: its state and its elements.
type view struct {
	w       *Widget
	card    Card
	el      dom.Node // the article (or the add form)
	form    dom.Node
	fields  [len(langprof.Props)]dom.Node
	errors  [len(langprof.Props)]dom.Node
	save    dom.Node
	status  dom.Node
	retry   dom.Node
	discard dom.Node
	cancel  func() // a pending countdown
	busy    bool
}

func (w *Widget) bind(el dom.Node, id string) *view {
	v := &view{w: w, el: el, form: el}
	if id != "" {
		v.form = el.Query("form.card-form")
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
	v.save = v.form.Query(`button[type="submit"]`)
	v.status = v.form.Query(".status")
	v.retry = v.form.Query("button.retry")
	v.discard = v.form.Query("button.discard")
	v.card.NameTouched = v.card.Now.Get(langprof.PropDisplayName) != ""
	v.restoreDraft()

	for i, f := range v.fields {
		prop := langprof.Props[i]
		f.On("input", func(dom.Event) { v.edited(prop, true) })
		f.On("change", func(dom.Event) { v.edited(prop, false) })
	}
	v.form.On("submit", func(e dom.Event) {
		e.PreventDefault()
		v.submit()
	})
	if v.retry != nil {
		v.retry.On("click", func(dom.Event) { v.submit() })
	}
	if v.discard != nil {
		v.discard.On("click", func(dom.Event) { v.discardEdits() })
	}
	if id != "" {
		v.bindDelete()
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
	case prop == langprof.PropTag && !v.card.NameTouched:
		v.suggestName()
	}

	v.saveDraft()
	v.say("")
	v.render()
}

// suggestName fills in the display name for a new tag, in the person's
// own language, unless they typed one themselves.
func (v *view) suggestName() {
	canonical, problem := langprof.CheckTag(strings.TrimSpace(v.card.Now.Get(langprof.PropTag)), v.w.check.Tag)
	if problem != "" {
		return
	}
	if name := v.w.b.LanguageName(canonical); name != "" {
		i := langprof.PropIndex(langprof.PropDisplayName)
		v.fields[i].SetValue(name)
		v.card.Edit(langprof.PropDisplayName, name)
	}
}

// render shows each problem beside its field and enables Save only when
// something changed and all is valid.
func (v *view) render() {
	_, shown := v.card.Check(v.w.check)
	for i, p := range langprof.Props {
		msg := shown[p]
		v.errors[i].SetText(msg)
		if msg == "" {
			v.errors[i].SetAttr("hidden", "")
			v.fields[i].RemoveAttr("aria-invalid")
		} else {
			v.errors[i].RemoveAttr("hidden")
			v.fields[i].SetAttr("aria-invalid", "true")
		}
	}
	setDisabled(v.save, v.busy || !v.card.CanSave(v.w.check))
	setHidden(v.discard, !v.card.Dirty() || v.busy)
}

func (v *view) say(msg string) {
	if v.status != nil {
		v.status.SetText(msg)
	}
}

func setDisabled(n dom.Node, disabled bool) {
	if n == nil {
		return
	}
	if disabled {
		n.SetAttr("disabled", "")
	} else {
		n.RemoveAttr("disabled")
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
}

func (v *view) discardEdits() {
	v.stopCountdown()
	v.setValues(v.card.Orig)
	v.card.Server, v.card.Touched = nil, [len(langprof.Props)]bool{}
	v.card.NameTouched = v.card.Now.Get(langprof.PropDisplayName) != ""
	v.w.b.Forget(v.draftKey())
	setHidden(v.retry, true)
	v.say("Changes discarded.")
	v.render()
}

func (v *view) stopCountdown() {
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
}

func seconds(n int) string {
	if n == 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}
