package widget

// Drafts keep unsaved edits in localStorage, per signed-in person, editor
// and card, until they are saved or discarded: a reload, or a trip through
// sign-in after the session ended, loses nothing. A draft holds the value
// each field had when the person started editing and what they made of
// it, so that restoring it changes only what they changed.

func (v *view) draftKey() string {
	id := v.card.ID
	if id == "" {
		id = "new"
	}
	return "langcard:draft:" + v.w.root.Query("section.cards").Attr("data-viewer") + ":" + v.w.api + ":" + id
}

func (v *view) saveDraft() {
	if !v.card.Dirty() {
		v.w.b.Forget(v.draftKey())
		return
	}
	m := map[string]string{}
	for i, p := range props {
		m["orig."+p] = v.card.Orig[i]
		m["now."+p] = v.card.Now[i]
	}
	v.w.b.Store(v.draftKey(), v.w.b.Stringify(m))
}

func (v *view) restoreDraft() {
	s := v.w.b.Load(v.draftKey())
	if s == "" {
		return
	}
	d := v.w.b.Parse(s)
	if d == nil || !d.IsObject() {
		v.w.b.Forget(v.draftKey())
		return
	}
	restored := false
	for i, p := range props {
		orig, now := d.Get("orig."+p).String(), d.Get("now."+p).String()
		if orig != now && now != v.card.Now[i] {
			v.fields[i].SetValue(now)
			v.card.Edit(p, now)
			restored = true
		}
	}
	if restored {
		v.card.NameTouched = true
		v.say("Unsaved changes restored. Save them, or discard them.")
	} else {
		v.w.b.Forget(v.draftKey())
	}
}
