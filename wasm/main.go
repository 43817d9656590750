//go:build js && wasm

// Command wasm is the langcard widget: it hydrates the cards the server
// rendered, on langcard's own page or in <language-card> elements on an
// intranet page. All its logic is in package widget.
//
// The page's loader keeps the roots to hydrate in window.langcard.roots;
// once running, the widget hydrates them and sets window.langcard.hydrate
// for roots that arrive later. One WebAssembly instance serves them all.
package main

import (
	"syscall/js"

	"langcard/wasm/dom/jsdom"
	"langcard/wasm/widget"
)

func main() {
	b := jsdom.New()
	reg := js.Global().Get("langcard")
	if reg.IsUndefined() {
		reg = js.Global().Get("Object").New()
		reg.Set("roots", js.Global().Get("Array").New())
		js.Global().Set("langcard", reg)
	}
	hydrate := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 {
			if root := jsdom.Wrap(args[0]); root != nil {
				widget.Hydrate(b, root)
			}
		}
		return nil
	})
	roots := reg.Get("roots")
	for i := 0; i < roots.Length(); i++ {
		hydrate.Invoke(roots.Index(i))
	}
	reg.Set("hydrate", hydrate)
	// An element that left the page lets its editor go (embed.js).
	reg.Set("release", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 {
			if root := jsdom.Wrap(args[0]); root != nil {
				widget.Forget(b, root)
			}
		}
		return nil
	}))
	// collect runs the widget's garbage collector: the Go runtime holds
	// the page's nodes it used until it collects (syscall/js releases them
	// by finalizers), so a page that counts its nodes (the browser tests'
	// leak check) asks for a collection first.
	reg.Set("collect", js.FuncOf(func(js.Value, []js.Value) any {
		// Allocating past the heap's goal makes the runtime collect
		// (runtime.GC would cost the widget more than it is worth).
		var past [][]byte
		for range 32 {
			past = append(past, make([]byte, 1<<19))
		}
		return len(past)
	}))
	select {}
}
