//go:build js && wasm

// Command wasm is the langcard widget: it hydrates the cards the server
// rendered into the page. All its logic is in package widget.
package main

import (
	"langcard/wasm/dom/jsdom"
	"langcard/wasm/widget"
)

func main() {
	b := jsdom.New()
	widget.Hydrate(b, b.Document())
	select {}
}
