package widget

import (
	"langcard/wasm/dom"
	"langcard/web/langprof"
)

// bindDelete sends a card's DELETE when the loader says its Undo window
// has passed ("langcard-delete": the loader asks first and offers Undo).
func (v *view) bindDelete() {
	form := v.el.Query("form.delete")
	if form == nil {
		return
	}
	form.On("submit", func(e dom.Event) { e.PreventDefault() })
	form.On("langcard-delete", func(dom.Event) {
		name := v.card.Orig.Get(langprof.PropDisplayName)
		v.w.b.Fetch("DELETE", v.w.api+"/"+v.card.ID, "", func(r dom.Response) {
			if r.Err == nil && (r.Status == 204 || r.Status == 404) {
				v.w.sync(v.card.ID, func(o *view) { o.w.deleted(o, name, o == v) })
				return
			}
			msg := v.w.t("widget.notDeleted")
			if r.Err == nil {
				msg = v.w.t("widget.failed")
				if r.Body != nil {
					if m := r.Body.Get("error").Get("message").String(); m != "" {
						msg = v.w.t("widget.notDeletedBecause", "message", m)
					}
				}
			}
			v.w.b.UI("deleteFailed", v.el, msg)
		})
	})
}

// deleted removes a card and, where the person deleted it (here), tells
// them and moves focus to the next card, or to the Add heading.
func (w *Widget) deleted(v *view, name string, here bool) {
	w.b.Forget(v.draftKey())
	var next dom.Node
	after := false
	for _, a := range w.cards.QueryAll("article.card") {
		if after {
			next = a
			break
		}
		after = a.Attr("data-id") == v.card.ID
	}
	if here {
		w.b.UI("deleted", v.el, "") // while the host page can still hear it
	}
	v.el.Remove()
	for i, o := range w.views {
		if o == v {
			w.views = append(w.views[:i], w.views[i+1:]...)
			break
		}
	}
	if !here {
		return
	}
	w.announce(w.t("widget.deleted", "language", name))
	if next != nil {
		if h := next.Query(".card-title"); h != nil {
			h.Focus()
			return
		}
	}
	if h := w.root.Query("#new-heading"); h != nil {
		h.Focus()
	}
}
