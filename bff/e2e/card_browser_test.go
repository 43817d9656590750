package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langcard/bff/demo"
)

// A language is chosen by name from suggestions (the WAI-ARIA combobox):
// by its English name, its own name or its code, with the keyboard.
func TestBrowserLanguageByName(t *testing.T) {
	requireWidget(t)
	h := newHarness(t)
	ctx := startChromium(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	suggestions := `[...document.querySelectorAll("#new-language-suggestions li")].map(li => li.textContent)`
	for _, tt := range []struct{ typed, first string }{
		{"norw", "Norwegian Bokmål"},
		{"bokmål", "Norwegian Bokmål"},
		{"nb", "Norwegian Bokmål"},
		{"deutsch", "German"},
	} {
		typeText(t, ctx, "#new-language", tt.typed)
		waitFor(t, ctx, "suggestions for "+tt.typed, `document.querySelector("#new-language").getAttribute("aria-expanded") === "true"`)
		if got := js(t, ctx, suggestions+`[0]`); !strings.HasPrefix(got, tt.first) {
			t.Errorf("typing %q suggests first %q, want %s; all: %s", tt.typed, got, tt.first, js(t, ctx, suggestions+`.join(" / ")`))
		}
	}
	if got := js(t, ctx, `document.querySelector("#new-language").getAttribute("role") + " " + document.querySelector("#new-language-suggestions").getAttribute("role")`); got != "combobox listbox" {
		t.Errorf("roles %q", got)
	}
	// Arrow down, Enter: chosen; the code and the name follow.
	typeText(t, ctx, "#new-language", "norw")
	step(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	if got := js(t, ctx, `document.querySelector("#new-language").getAttribute("aria-activedescendant")`); got != "new-language-suggestions-0" {
		t.Errorf("active descendant %q", got)
	}
	step(t, ctx, "enter", chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "the code", `document.querySelector("#new-tag").value === "nb"`)
	if got := js(t, ctx, `document.querySelector("#new-language").value + "|" + document.querySelector("#new-displayName").value + "|" + document.querySelector("#new-language").getAttribute("aria-expanded")`); got != "Norwegian Bokmål|Norwegian Bokmål|false" {
		t.Errorf("after choosing %q", got)
	}
	// Escape closes the suggestions, not the card.
	card := "#lang-" + demo.ExampleID
	openCard(t, ctx, card)
	typeText(t, ctx, card+"-language", "fren")
	waitFor(t, ctx, "suggestions", `document.querySelector("`+card+`-language").getAttribute("aria-expanded") === "true"`)
	step(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))
	if got := js(t, ctx, `document.querySelector("`+card+`-language").getAttribute("aria-expanded") + " " + document.querySelector("`+card+` .edit-area").hidden`); got != "false false" {
		t.Errorf("after Escape: expanded, form hidden = %s", got)
	}
	// A name nobody knows is said to be unknown; nothing is sent.
	h.graph.ResetRequests()
	typeText(t, ctx, card+"-language", "Klingonese")
	step(t, ctx, "leave", chromedp.KeyEvent(kb.Tab))
	waitFor(t, ctx, "the message", `document.querySelector("`+card+`-language-error").textContent.includes("Klingonese")`)
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+" .card-form button[type=submit]")))
	waitFor(t, ctx, "refused", status(card)+`.startsWith("Not saved")`)
	if n := len(upstreamWrites(h)); n != 0 {
		t.Errorf("%d writes for an unknown language", n)
	}
	if got := js(t, ctx, `document.querySelector("`+card+`-language").value`); got != "Klingonese" {
		t.Errorf("the language typed was not kept after the refusal: %q", got)
	}
	quietConsole(t, ctx)
}

// In Norwegian: the browser asks for it, every word follows, dates too.
func TestBrowserInNorwegian(t *testing.T) {
	needs(t, chromiumTool, axeCore, widget)
	requireWidget(t)
	h := newHarness(t)
	ctx := startChromium(t)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5"}}); err != nil {
		t.Fatal(err)
	}
	card := "#lang-" + demo.ExampleID
	step(t, ctx, "sign-in page", chromedp.Navigate(h.url+"/"))
	if got := js(t, ctx, `document.documentElement.lang + "|" + document.querySelector("h1").textContent`); got != "nb|Språkene dine, på profilen din" {
		t.Errorf("sign-in page %q", got)
	}
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	if got := js(t, ctx, `document.querySelector("h1").textContent + "|" + document.querySelector("`+card+` [data-for=spoken] .value").textContent + "|" + document.querySelector("`+card+` .summary .audience").textContent + "|" + document.querySelector("`+card+` a.edit").textContent.trim()`); got != "Språkene dine|Morsmål eller tospråklig|Organisasjonen din kan se dette|Endre Norwegian Bokmål" {
		t.Errorf("editor %q", got)
	}
	if got := js(t, ctx, `document.querySelector("`+card+` .summary time").textContent`); !strings.HasPrefix(got, "endret ") {
		t.Errorf("date %q", got)
	}
	openCard(t, ctx, card)
	pick(t, ctx, card+"-spoken", "fluent")
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+" .card-form button[type=submit]")))
	waitFor(t, ctx, "refused in Norwegian", status(card)+`.startsWith("Ikke lagret")`)
	if got := js(t, ctx, `document.querySelector("`+card+`-spoken-error").textContent`); got != "Velg hvor godt du snakker Norwegian Bokmål" {
		t.Errorf("message %q", got)
	}
	pick(t, ctx, card+"-spoken", "elementary")
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+" .card-form button[type=submit]")))
	waitFor(t, ctx, "saved in Norwegian", cardStatus(card)+` === "Lagret Norwegian Bokmål"`)
	if got := js(t, ctx, `document.querySelector("`+card+` [data-for=spoken] .value").textContent`); got != "Grunnleggende" {
		t.Errorf("summary after saving %q", got)
	}
	checkAxe(t, ctx, "the editor in Norwegian")
	quietConsole(t, ctx)
}

// axe-core finds nothing, with every default rule, on every state a
// person meets: at 1280 and 320 pixels, with JavaScript and without.
func TestBrowserAccessibleInEveryState(t *testing.T) {
	needs(t, chromiumTool, axeCore, widget)
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	card := "#lang-" + demo.ExampleID
	for _, width := range []int64{1280, 320} {
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: 900, DeviceScaleFactor: 1, Mobile: width < 600}); err != nil {
			t.Fatal(err)
		}
		at := func(what string) string {
			return what + " at " + map[int64]string{1280: "1280", 320: "320"}[width] + " px"
		}
		step(t, ctx, "sign-in page", chromedp.Navigate(h.url+"/"))
		waitFor(t, ctx, "the sign-in page", `!!document.querySelector("a.button.primary")`)
		checkAxe(t, ctx, at("the sign-in page"))
		noSidewaysScroll(t, ctx, at("the sign-in page"))
		signInBrowser(t, h, ctx, demo.Innocenty.UPN)
		checkAxe(t, ctx, at("the editor"))
		noSidewaysScroll(t, ctx, at("the editor"))
		openCard(t, ctx, card)
		checkAxe(t, ctx, at("a card open"))
		noSidewaysScroll(t, ctx, at("a card open"))
		typeText(t, ctx, card+"-tag", "no-NB")
		pick(t, ctx, card+"-written", "fluent")
		step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+" .card-form button[type=submit]")))
		waitFor(t, ctx, "refused", status(card)+`.startsWith("Not saved")`)
		typeText(t, ctx, "#new-language", "fre")
		step(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown)) // opens them if typing has not yet
		waitFor(t, ctx, "suggestions", `document.querySelector("#new-language").getAttribute("aria-expanded") === "true"`)
		// Nothing holds the suggestions in a contained box: the add section
		// is laid out like the rest (content-visibility there, measured,
		// put no card on screen sooner).
		if got := js(t, ctx, `getComputedStyle(document.querySelector("section.add")).contentVisibility`); got != "visible" {
			t.Errorf("%s: the add section's content-visibility is %q", at("suggestions"), got)
		}
		checkAxe(t, ctx, at("a card with errors, and suggestions open"))
		if width == 320 {
			screenshot(t, ctx, "phone.png")
		}
		step(t, ctx, "cancel", chromedp.Click(chromedp.CSS(card+" a.cancel")))
		step(t, ctx, "intranet page", chromedp.Navigate(host.URL+"/"))
		waitFor(t, ctx, "the cards", `[...document.querySelectorAll("language-card")].every(e => e.shadowRoot && e.shadowRoot.querySelector(".langcard"))`)
		checkAxe(t, ctx, at("the intranet page"))
		noSidewaysScroll(t, ctx, at("the intranet page"))
		step(t, ctx, "back", chromedp.Navigate(h.url+"/"))
		step(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
		waitFor(t, ctx, "signed out", `!!document.querySelector("a.button.primary")`)
	}
	// Without JavaScript, after a refused form: the error summary.
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "the editor without JavaScript", chromedp.Navigate(h.url+"/?edit="+demo.ExampleID))
	step(t, ctx, "a bad value", chromedp.SetValue(chromedp.CSS(card+"-language"), "Klingonese"))
	submit(t, ctx, card+" .card-form button[type=submit]")
	// axe-core needs scripts back; the page's own stay as they were
	// (not run: they were parsed with scripts off).
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	if got := js(t, ctx, `String(document.documentElement.hasAttribute("data-hydrated")) + " " + document.title`); !strings.HasPrefix(got, "false Error: ") {
		t.Fatalf("the page without JavaScript: %q", got)
	}
	checkAxe(t, ctx, "the no-JavaScript page after a refusal (320 px)")
	noSidewaysScroll(t, ctx, "the no-JavaScript page after a refusal (320 px)")
}

// Heading levels fit the host page: the element's heading-level.
func TestBrowserHeadingLevels(t *testing.T) {
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	step(t, ctx, "intranet page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "the cards", `[...document.querySelectorAll("language-card")].every(e => e.shadowRoot && e.shadowRoot.querySelector(".langcard"))`)
	got := js(t, ctx, `[...document.querySelectorAll("language-card")].map(e => (e.getAttribute("heading-level") || "-") + ":" + e.shadowRoot.querySelector(".embed-title").tagName + "/" + ((e.shadowRoot.querySelector(".card-title") || {}).tagName || "")).join(" ")`)
	if want := "-:H2/H3 3:H3/H4 3:H3/H4 3:H3/H4 3:H3/H4"; got != want {
		t.Errorf("headings %q, want %q", got, want)
	}
}
