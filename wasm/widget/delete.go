package widget

import (
	"strconv"

	"langcard/wasm/dom"
	"langcard/web/langprof"
)

// bindDelete makes Delete ask for confirmation, then wait UndoWindow
// (with Undo) before the DELETE is sent.
func (v *view) bindDelete() {
	form := v.el.Query("form.delete")
	if form == nil {
		return
	}
	del, confirm, keep, undo := form.Query("button.start"), form.Query("button.confirm"), form.Query("button.keep"), form.Query("button.undo")
	if del == nil || confirm == nil || keep == nil || undo == nil {
		return
	}
	name := func() string { return v.card.Orig.Get(langprof.PropDisplayName) }
	// show shows one step's buttons (Nodes are not comparable: js.Value
	// is not, so an == between them would panic and stop the widget).
	show := func(visible dom.Node, withKeep bool) {
		for _, b := range []dom.Node{del, confirm, keep, undo} {
			setHidden(b, true)
		}
		setHidden(visible, false)
		setHidden(keep, !withKeep)
		visible.Focus()
	}
	var pending func()
	form.On("submit", func(e dom.Event) { e.PreventDefault() })
	del.On("click", func(e dom.Event) {
		e.PreventDefault()
		show(confirm, true)
		v.say("Delete " + name() + "? Confirm, or keep it.")
	})
	keep.On("click", func(dom.Event) {
		show(del, false)
		v.say("")
	})
	confirm.On("click", func(e dom.Event) {
		e.PreventDefault()
		show(undo, false)
		v.el.SetAttr("data-deleting", "")
		v.say("Deleting " + name() + " in " + seconds(UndoWindow/1000) + ". Undo keeps it.")
		pending = v.w.b.After(UndoWindow, func() {
			pending = nil
			setDisabled(undo, true)
			v.say("Deleting " + name() + "…")
			v.w.b.Fetch("DELETE", v.w.api+"/"+v.card.ID, "", func(r dom.Response) {
				setDisabled(undo, false)
				if r.Err == nil && (r.Status == 204 || r.Status == 404) {
					v.w.deleted(v, name())
					return
				}
				v.el.RemoveAttr("data-deleting")
				show(del, false)
				msg := "Not deleted: langcard could not be reached. Try again."
				if r.Err == nil {
					msg = "Not deleted (the server answered " + strconv.Itoa(r.Status) + "). Try again."
					if r.Body != nil {
						if m := r.Body.Get("error").Get("message").String(); m != "" {
							msg = "Not deleted: " + m
						}
					}
				}
				v.say(msg)
			})
		})
	})
	undo.On("click", func(dom.Event) {
		if pending != nil {
			pending()
			pending = nil
		}
		v.el.RemoveAttr("data-deleting")
		show(del, false)
		v.say("Kept " + name() + ".")
	})
}

// deleted removes a card, tells the person, and moves focus on.
func (w *Widget) deleted(v *view, name string) {
	w.b.Forget(v.draftKey())
	v.el.Remove()
	if a := w.root.Query("#announcer"); a != nil {
		a.SetText("Deleted " + name + ".")
	}
	if h := w.root.Query("section.add h2"); h != nil {
		h.Focus()
	}
}
