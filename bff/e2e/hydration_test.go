package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
)

// What a person does before the WebAssembly arrives is kept: the page's
// loader already opens a card (Edit), and what they type into the
// server-rendered form is what the widget saves once it takes over.
func TestBrowserInputBeforeTheWidgetIsKept(t *testing.T) {
	requireWidget(t)
	h := newHarness(t)
	ctx := startChromium(t)
	card := "#lang-" + demo.ExampleID
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)

	// Hold the WebAssembly back until the person has typed.
	paused := make(chan fetch.RequestID, 4)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case paused <- e.RequestID:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/static/widget.*.wasm"}}}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "reload", chromedp.Navigate(h.url+"/"))
	var held fetch.RequestID
	select {
	case held = <-paused:
	case <-time.After(20 * time.Second):
		t.Fatal("the WebAssembly was never requested")
	}
	if got := js(t, ctx, `String(document.documentElement.hasAttribute("data-hydrated"))`); got != "false" {
		t.Fatal("hydrated without its WebAssembly")
	}
	// The loader's Edit works already; type as a person does.
	step(t, ctx, "edit", chromedp.Click(chromedp.CSS(card+" a.edit")))
	waitFor(t, ctx, "the open card", `!document.querySelector("`+card+` .edit-area").hidden`)
	typeText(t, ctx, card+"-displayName", "Bokmål, typed early")
	pick(t, ctx, card+"-reading", "conversational")

	h.graph.ResetRequests()
	if _, err := chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: held}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "hydrated", `document.documentElement.hasAttribute("data-hydrated")`)
	if got := js(t, ctx, `document.querySelector("`+card+`-displayName").value + "|" + document.querySelector("`+card+`-reading").value`); got != "Bokmål, typed early|conversational" {
		t.Fatalf("after hydration the form holds %q", got)
	}
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+" .card-form button[type=submit]")))
	waitFor(t, ctx, "saved", cardStatus(card)+`.startsWith("Saved")`)
	w := upstreamWrites(h)
	if len(w) != 1 || !strings.Contains(string(w[0].Body), `"displayName":"Bokmål, typed early"`) || !strings.Contains(string(w[0].Body), `"reading":"conversational"`) {
		t.Errorf("upstream %+v, want one PATCH of what was typed before the widget", w)
	}
	quietConsole(t, ctx)
}
