package widget

import (
	"strconv"
	"strings"

	"langcard/wasm/dom"
	"langcard/web/langprof"
)

// submit saves the card: a PATCH of what changed, or a POST for a new one.
func (v *view) submit() {
	if v.busy {
		return
	}
	v.stopCountdown()
	p, shown := v.card.Check(v.w.check)
	if len(shown) > 0 {
		for i := range v.card.Touched {
			v.card.Touched[i] = true
		}
		v.render()
		v.say("Not saved: fix the marked fields first.")
		v.focusFirstProblem()
		return
	}
	if p.Empty() {
		v.say("Nothing to save.")
		return
	}
	method, url := "PATCH", v.w.api+"/"+v.card.ID
	if v.card.ID == "" {
		method, url = "POST", v.w.api
	}
	v.busy = true
	setHidden(v.retry, true)
	v.say("Saving…")
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
		v.failed("Not saved: langcard could not be reached. Your changes are kept; try again.")
	case r.Status == 200 || r.Status == 201:
		v.saved(r.Body, r.Status == 201)
	case r.Status == 401:
		v.saveDraft()
		v.say("Your session has ended. Signing you in again; your changes are kept.")
		back := v.w.b.Path()
		if v.w.login[0] != '/' {
			back = v.w.b.Href() // embedded: back to the intranet page
		}
		v.w.b.Go(v.w.login + "?returnTo=" + queryEscape(back))
	case r.Status == 429 || r.Status == 503:
		v.countdown(retryAfter(r.RetryAfter))
	default:
		msg := "Not saved (the server answered " + strconv.Itoa(r.Status) + "). Your changes are kept; try again."
		if r.Body != nil {
			e := r.Body.Get("error")
			if m := e.Get("message").String(); m != "" {
				msg = "Not saved: " + m
				if e.Get("code").String() == "unconfirmed" {
					msg = m // it may well have been saved
				}
			}
			v.card.Server = map[string]string{}
			if t := e.Get("target").String(); langprof.PropIndex(t) >= 0 {
				v.card.Server[t] = e.Get("message").String()
			}
			details := e.Get("details")
			for i := 0; i < details.Len(); i++ {
				d := details.Index(i)
				if t := d.Get("target").String(); langprof.PropIndex(t) >= 0 {
					v.card.Server[t] = d.Get("message").String()
				}
			}
			if len(v.card.Server) > 0 {
				msg = "Not saved: fix the marked fields."
				v.render()
				v.focusFirstProblem()
			}
		}
		v.failed(msg)
	}
}

func (v *view) failed(msg string) {
	v.say(msg)
	setHidden(v.retry, false)
}

// countdown waits out Graph's Retry-After, saying so each second, then
// saves again. Retry saves at once; Discard stops it.
func (v *view) countdown(n int) {
	if n <= 0 {
		v.submit()
		return
	}
	v.say("Microsoft Graph is busy. Saving again in " + seconds(n) + "…")
	setHidden(v.retry, false)
	v.cancel = v.w.b.After(1000, func() {
		v.cancel = nil
		v.countdown(n - 1)
	})
}

// retryAfter reads Retry-After as whole seconds, rounded up, from 1 to
// 300. The BFF sends whole seconds; anything unreadable means 1.
func retryAfter(h string) int {
	whole, frac, _ := strings.Cut(strings.TrimSpace(h), ".")
	if whole == "" {
		return 1
	}
	n := 0
	for i := 0; i < len(whole); i++ {
		if whole[i] < '0' || whole[i] > '9' {
			return 1
		}
		n = min(n*10+int(whole[i]-'0'), 300)
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return 1
		}
		if frac[i] != '0' {
			n = min(n+1, 300)
			break
		}
	}
	return max(n, 1)
}

// saved re-renders the card from the server's answer.
func (v *view) saved(body dom.Value, created bool) {
	vals := valuesOf(body)
	v.w.b.Forget(v.draftKey())
	v.card.Server, v.card.Touched = nil, [len(langprof.Props)]bool{}
	if created {
		name := vals.Get(langprof.PropDisplayName)
		if nv := v.w.added(body.Get("id").String(), vals); nv != nil {
			nv.say("Added " + name + ".")
		}
		v.setValues(v.card.Orig)
		v.card.NameTouched = false
		v.say("Added " + name + ".")
		return
	}
	v.card.Orig = vals
	v.setValues(vals)
	v.card.NameTouched = vals.Get(langprof.PropDisplayName) != ""
	v.showSaved()
	v.say("Saved.")
}

// showSaved writes the saved values into the card's heading and the
// hidden fields the form fallback posts.
func (v *view) showSaved() {
	for _, n := range v.el.QueryAll(".name") {
		n.SetText(v.card.Orig.Get(langprof.PropDisplayName))
	}
	if t := v.el.Query("h2 .tag"); t != nil {
		t.SetText(v.card.Orig.Get(langprof.PropTag))
	}
	for i, p := range langprof.Props {
		if o := v.form.Query(`[name="orig.` + p + `"]`); o != nil {
			o.SetValue(v.card.Orig[i])
		}
	}
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
	el := tmpl.CloneTemplate()
	rewrite := func(n dom.Node) {
		for _, a := range []string{"id", "for", "aria-describedby", "aria-labelledby", "action", "data-id"} {
			if s := n.Attr(a); s != "" {
				if r := strings.ReplaceAll(s, langprof.TemplateID, id); r != s {
					n.SetAttr(a, r)
				}
			}
		}
	}
	rewrite(el)
	for _, n := range el.QueryAll("[id],[for],[aria-describedby],[aria-labelledby],[action],[data-id]") {
		rewrite(n)
	}
	for i, p := range langprof.Props {
		if f := el.Query(`[name="` + p + `"]`); f != nil {
			f.SetValue(vals[i])
		}
		if o := el.Query(`[name="orig.` + p + `"]`); o != nil {
			o.SetValue(vals[i])
		}
	}
	if empty := w.cards.Query(".empty"); empty != nil {
		empty.Remove()
	}
	w.cards.AppendChild(el)
	v := w.bind(el, id)
	if v != nil {
		v.showSaved()
	}
	return v
}

func (v *view) focusFirstProblem() {
	for i := range langprof.Props {
		if v.fields[i].Attr("aria-invalid") == "true" {
			v.fields[i].Focus()
			return
		}
	}
}

// queryEscape percent-encodes s for a query component.
func queryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}
