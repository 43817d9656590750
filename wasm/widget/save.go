package widget

import (
	"strings"

	"langcard/wasm/dom"
	"langcard/web/langprof"
)

// submit saves the card: a PATCH of what changed, or a POST for a new one.
// With problems, nothing is sent: the status says how many and the first,
// and focus goes to the first field at fault.
func (v *view) submit() {
	if v.busy {
		return
	}
	v.stopCountdown()
	p, shown := v.card.Check(v.w.check)
	if len(shown) > 0 || v.unknown != "" {
		for i := range v.card.Touched {
			v.card.Touched[i] = true
		}
		v.render()
		_, shown = v.card.Check(v.w.check)
		n := len(shown)
		if v.unknown != "" {
			n++
		}
		first := v.firstProblem()
		v.say(v.w.n("widget.fix", n, "first", first))
		v.focusFirstProblem()
		return
	}
	if p.Empty() {
		v.say(v.w.t("widget.nothing"))
		return
	}
	method, url := "PATCH", v.w.api+"/"+v.card.ID
	if v.card.ID == "" {
		if v.addKey == "" {
			v.addKey = v.w.b.UI("key", v.el, "")
		}
		method, url = "POST", v.w.api+"?idempotency="+v.addKey
	}
	v.busy = true
	setHidden(v.retry, true)
	v.say(v.w.t("widget.saving"))
	v.render()
	v.w.b.Fetch(method, url, v.w.b.Stringify(fields(p)), func(r dom.Response) {
		v.busy = false
		v.answered(r)
		v.render()
	})
}

func fields(p langprof.Patch) map[string]string {
	m := map[string]string{}
	for _, prop := range langprof.Props {
		if v, ok := p.Get(prop); ok {
			m[prop] = v
		}
	}
	return m
}

// answered handles the server's answer to a save. Whatever went wrong,
// the person's edits stay in the form (and in the draft).
func (v *view) answered(r dom.Response) {
	switch {
	case r.Err != nil:
		v.failed("unreachable", v.w.t("widget.unreachable"))
	case r.Status == 200 || r.Status == 201:
		if r.Status == 201 {
			v.addKey = "" // the next add is another
		}
		v.saved(r.Body, r.Status == 201)
	case r.Status == 401:
		v.saveDraft()
		v.say(v.w.t("widget.sessionEnded"))
		v.w.b.UI("signin", v.el, "")
		back := v.w.b.Path()
		if v.w.login[0] != '/' {
			back = v.w.b.Href() // embedded: back to the intranet page
		}
		v.w.b.SignIn(v.w.login, back)
	case r.Status == 429 || r.Status == 503:
		// The loader counts Retry-After down, saying so each second, then
		// asks for the save again ("langcard-retry"); Retry saves at once,
		// Discard stops it.
		setHidden(v.retry, false)
		v.w.b.UI("countdown", v.el, r.RetryAfter)
	default:
		msg, code := v.w.t("widget.failed"), "failed"
		if r.Body != nil {
			e := r.Body.Get("error")
			if m := e.Get("message").String(); m != "" {
				msg, code = m, e.Get("code").String() // the server's message, in the person's language
			}
			v.card.Server = map[string]string{}
			details := e.Get("details")
			for i := -1; i < details.Len(); i++ {
				d := e
				if i >= 0 {
					d = details.Index(i)
				}
				if t := d.Get("target").String(); langprof.PropIndex(t) >= 0 {
					v.card.Server[t] = v.w.t("problem.notAccepted")
				}
			}
			if len(v.card.Server) > 0 {
				v.render()
				msg = v.w.n("widget.fix", len(v.card.Server), "first", v.firstProblem())
				v.focusFirstProblem()
			}
		}
		v.failed(code, msg)
	}
}

// failed says why a save failed, offers Retry, and tells the host page
// (code: the API's error code, or "unreachable").
func (v *view) failed(code, msg string) {
	v.say(msg)
	setHidden(v.retry, false)
	v.w.b.UI("error", v.el, code+"\n"+msg)
}

// saved shows what the server saved. A saved card closes, says "Saved …"
// for a while, and gives focus back to its Edit button; a new language
// becomes a card whose heading takes focus. Every other card of the same
// person on the page shows the same.
func (v *view) saved(body dom.Value, created bool) {
	vals := valuesOf(body)
	v.w.b.Forget(v.draftKey())
	v.card.Server, v.card.Touched = nil, [len(langprof.Props)]bool{}
	if created {
		id := body.Get("id").String()
		name := vals.Get(langprof.PropDisplayName)
		v.setValues(v.card.Orig)
		v.card.NameTouched = false
		v.say("")
		for _, w := range widgets {
			if w.api != v.w.api {
				continue
			}
			if nv := w.added(id, vals); nv != nil && w == v.w {
				w.announce(w.t("widget.added", "language", name))
				nv.el.Query(".card-title").Focus()
				w.b.UI("added", nv.el, "")
			}
		}
		return
	}
	// The saver's form holds the answer; update (below, for every card of
	// this language on the page) then takes it as saved.
	v.setValues(vals)
	v.card.NameTouched = vals.Get(langprof.PropDisplayName) != ""
	v.w.sync(v.card.ID, func(o *view) { o.update(vals) })
	v.w.b.UI("saved", v.el, v.w.t("widget.saved", "language", vals.Get(langprof.PropDisplayName)))
}

// sync calls fn for the card id in every editor of this person on the page.
func (w *Widget) sync(id string, fn func(*view)) {
	for _, other := range widgets {
		if other.api != w.api {
			continue
		}
		for _, o := range other.views {
			if o.card.ID == id && id != "" {
				fn(o)
			}
		}
	}
}

// update makes the card show saved values: its form's original values
// (its unsaved edits, if any, stay) and its summary.
func (v *view) update(vals langprof.Values) {
	dirty := v.card.Dirty()
	v.card.Orig = vals
	if !dirty {
		v.setValues(vals)
		v.card.NameTouched = vals.Get(langprof.PropDisplayName) != ""
	}
	v.showSaved()
	v.render()
}

// announce says msg in the editor's live region.
func (w *Widget) announce(msg string) {
	if a := w.root.Query("#announcer"); a != nil {
		a.SetText(msg)
	}
}

// showSaved shows the saved values in the card's heading and summary
// (the loader's words for them), and keeps them in the hidden fields the
// form fallback posts.
func (v *view) showSaved() {
	all := map[string]string{}
	for i, p := range langprof.Props {
		all[p] = v.card.Orig[i]
		if f := v.form.Query(`[name="orig.` + p + `"]`); f != nil {
			f.SetValue(v.card.Orig[i])
		}
	}
	// The summary says who can see it in words: "8" is organization.
	if a, ok := langprof.Audience(all[langprof.PropAllowedAudiences]).Named(); ok {
		all[langprof.PropAllowedAudiences] = string(a)
	}
	v.w.b.UI("summary", v.el, v.w.b.Stringify(all))
}

func valuesOf(body dom.Value) langprof.Values {
	var vals langprof.Values
	if body == nil {
		return vals
	}
	for i, p := range langprof.Props {
		vals[i] = body.Get(p).String()
	}
	return vals
}

// added makes a card for a new language from the page's <template> (the
// server's own markup), fills it and hydrates it.
func (w *Widget) added(id string, vals langprof.Values) *view {
	tmpl := w.root.Query("#card-template")
	if tmpl == nil || id == "" {
		return nil
	}
	for _, o := range w.views {
		if o.card.ID == id {
			return nil // already shown (a list that caught up)
		}
	}
	el := tmpl.CloneTemplate()
	rewrite := func(n dom.Node) {
		for _, a := range []string{"id", "for", "aria-describedby", "aria-labelledby", "action", "data-id", "href"} {
			if s := n.Attr(a); s != "" {
				if r := strings.ReplaceAll(s, langprof.TemplateID, id); r != s {
					n.SetAttr(a, r)
				}
			}
		}
	}
	rewrite(el)
	for _, n := range el.QueryAll("[id],[for],[aria-describedby],[aria-labelledby],[action],[data-id],[href]") {
		rewrite(n)
	}
	if empty := w.cards.Query(".empty"); empty != nil {
		empty.Remove()
	}
	w.cards.AppendChild(el)
	v := w.bind(el, id)
	if v != nil {
		v.card.Orig = vals
		v.setValues(vals)
		v.showSaved()
	}
	return v
}

// firstProblem is the message of the first field at fault.
func (v *view) firstProblem() string {
	for _, msg := range append([]string{v.langShown}, v.shown[:]...) {
		if msg != "" {
			return strings.TrimSuffix(msg, ".")
		}
	}
	return ""
}

func (v *view) focusFirstProblem() {
	if v.lang != nil && v.lang.Attr("aria-invalid") == "true" {
		v.lang.Focus()
		return
	}
	for i := range langprof.Props {
		if v.fields[i].Attr("aria-invalid") == "true" {
			v.fields[i].Focus()
			return
		}
	}
}
