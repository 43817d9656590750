package e2e_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
)

// On someone else's profile the words are theirs; an administrator
// editing it is told so, and finds the form to open another profile
// after the cards, under a heading of its own.
func TestBrowserPointOfView(t *testing.T) {
	needs(t, chromiumTool, axeCore, widget)
	requireWidget(t)
	h := newHarness(t)
	megan := h.url + "/users/" + url.PathEscape(demo.Megan.UPN)

	// A colleague reads Megan's words.
	ctx := startChromium(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	step(t, ctx, "Megan's page", chromedp.Navigate(megan))
	waitFor(t, ctx, "her cards", `document.querySelectorAll("article.card").length > 0`)
	if got := js(t, ctx, `[...document.querySelectorAll(".summary .audience")].map(a => a.textContent).join("|")`); !strings.Contains(got, "Megan Bowen’s organization can see this") || strings.Contains(got, "Your organization") {
		t.Errorf("a colleague reads %q on Megan's cards", got)
	}
	if n := js(t, ctx, `String(document.querySelectorAll(".admin-editing, section.others-section").length)`); n != "0" {
		t.Errorf("a colleague sees %s administrators' elements", n)
	}

	// An administrator edits Megan's languages, and is told so.
	actx := startChromium(t)
	signInBrowser(t, h, actx, demo.Adele.UPN)
	step(t, actx, "Megan's page as Adele", chromedp.Navigate(megan))
	waitFor(t, actx, "her editable cards", `document.documentElement.hasAttribute("data-hydrated") && !!document.querySelector("article.card a.edit")`)
	if got := js(t, actx, `document.querySelector("h1").textContent + " | " + document.querySelector(".admin-editing").textContent`); got != "Languages on Megan Bowen’s profile | You are changing Megan Bowen’s languages as an administrator. Each change is recorded with your name." {
		t.Errorf("Adele on Megan's page reads %q", got)
	}
	step(t, actx, "open a card", chromedp.Evaluate[chromedp.Void](`document.querySelector("article.card a.edit").click()`))
	waitFor(t, actx, "the form", `!!document.querySelector("article.card.editing .card-form, article.card .edit-area:not([hidden]) .card-form")`)
	got := js(t, actx, `(() => { const f = document.querySelector(".edit-area:not([hidden]) .card-form"); return f.querySelector("label[for$=-displayName]").textContent + " | " + [...f.querySelector("select[name=allowedAudiences]").options].map(o => o.textContent).join(", "); })()`)
	for _, want := range []string{"Name on Megan Bowen’s profile", "Only Megan Bowen", "Megan Bowen’s organization"} {
		if !strings.Contains(got, want) {
			t.Errorf("Adele's form for Megan lacks %q: %s", want, got)
		}
	}
	// The form to open someone else's profile follows the cards.
	if got := js(t, actx, `(() => { const o = document.querySelector("section.others-section"), c = document.querySelector("section.cards"); return o && (c.compareDocumentPosition(o) & Node.DOCUMENT_POSITION_FOLLOWING) ? o.querySelector("h2").textContent : "misplaced"; })()`); got != "Someone else’s languages" {
		t.Errorf("the administrators' form: %s", got)
	}
	checkAxe(t, actx, "an administrator on someone else's profile")
	// Her own page speaks to her.
	step(t, actx, "her own page", chromedp.Navigate(h.url+"/"))
	waitFor(t, actx, "her cards", `document.querySelectorAll("article.card").length > 0`)
	if got := js(t, actx, `String(!!document.querySelector(".admin-editing")) + " " + [...document.querySelectorAll(".summary .audience")].map(a => a.textContent).join("|")`); strings.HasPrefix(got, "true") || strings.Contains(got, "Adele Vance’s") {
		t.Errorf("on her own page Adele reads %q", got)
	}
}
