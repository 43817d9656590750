package widget

import (
	"strconv"
	"strings"

	"langcard/web/langprof"
)

// Drafts keep unsaved edits in localStorage, per signed-in person, editor
// and card, until they are saved or discarded: a reload, or a trip through
// sign-in after the session ended, loses nothing. A draft holds the value
// each field had when the person started editing and what they made of
// it, so that restoring it changes only what they changed.
//
// They never outlive their use (docs/security.md, rule 21): sign-out removes
// them, a page signed in as someone else removes the others', and none is
// kept longer than DraftTTL.

// DraftTTL is how long, in milliseconds, a draft is kept: a sign-in's
// lifetime (12 hours).
var DraftTTL = 12 * 60 * 60 * 1000

const draftPrefix = "langcard:draft:"

func (v *view) draftKey() string {
	id := v.card.ID
	if id == "" {
		id = "new"
	}
	return draftPrefix + v.w.viewer + ":" + v.w.api + ":" + id
}

// sweepDrafts removes the drafts of anyone but viewer, and old ones.
func (w *Widget) sweepDrafts() {
	now := w.b.Now()
	for _, key := range w.b.Keys(draftPrefix) {
		who, _, _ := strings.Cut(strings.TrimPrefix(key, draftPrefix), ":")
		at := -1
		if d := w.b.Parse(w.b.Load(key)); d != nil && d.IsObject() {
			at = digits(d.Get("at").String())
		}
		if who != w.viewer || at < 0 || now-at > DraftTTL {
			w.b.Forget(key)
		}
	}
}

// digits reads a non-negative decimal number, or -1. (strconv.Atoi would
// link strconv's quoting, some 20 KB of WebAssembly, for its errors.)
func digits(s string) int {
	if s == "" || len(s) > 18 {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func (v *view) saveDraft() {
	if !v.card.Dirty() {
		v.w.b.Forget(v.draftKey())
		return
	}
	m := map[string]string{"at": strconv.Itoa(v.w.b.Now())}
	for i, p := range langprof.Props {
		m["orig."+p] = v.card.Orig[i]
		m["now."+p] = v.card.Now[i]
	}
	v.w.b.Store(v.draftKey(), v.w.b.Stringify(m))
}

func (v *view) restoreDraft() bool {
	s := v.w.b.Load(v.draftKey())
	if s == "" {
		return false
	}
	d := v.w.b.Parse(s)
	if d == nil || !d.IsObject() {
		v.w.b.Forget(v.draftKey())
		return false
	}
	restored := false
	for i, p := range langprof.Props {
		orig, now := d.Get("orig."+p).String(), d.Get("now."+p).String()
		if orig != now && now != v.card.Now[i] {
			v.fields[i].SetValue(now)
			v.card.Edit(p, now)
			restored = true
		}
	}
	if restored {
		v.card.NameTouched = true
		if name := v.w.b.UI("name", v.el, v.card.Now.Get(langprof.PropTag)); name != "" && v.lang != nil {
			v.lang.SetValue(name)
		}
		v.say(v.w.t("widget.restored"))
	} else {
		v.w.b.Forget(v.draftKey())
	}
	return restored
}
