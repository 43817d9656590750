package e2e_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
	"langcard/web/langprof"
)

// recordParsed notes, for each page, what the editor holds when it has
// been parsed: its forms as elements and its parts sent later (as text).
// On a page opened at #early it then presses the first card's Edit at
// once, before the loader has built the forms after the first frame, and
// notes what that did.
const recordParsed = `window.__later = {};
document.addEventListener("DOMContentLoaded", () => {
  const n = (sel, root) => (root || document).querySelectorAll(sel).length;
  __later.parsed = n("form.card-form") + " " + n("noscript.later") + " " + n("section.cards article.card a.edit");
  if (location.hash !== "#early") return;
  const card = document.querySelector("section.cards article.card");
  const before = n("noscript.later", card);
  card.querySelector("a.edit").click();
  const area = card.querySelector(".edit-area");
  __later.early = [before, n("noscript.later", card), !!area && !area.hidden,
    document.activeElement.id === card.id + "-language", n("noscript.later") > 0].join(" ");
});`

// The editor's forms come after its cards: while the page is parsed they
// are text (a <noscript class="later">), which the loader makes into the
// forms the server renders once the first frame is drawn, or at once for
// a card opened before that. A name that looks like markup stays a name.
// The WebAssembly is kept out: this is the loader's work.
func TestBrowserFormsComeAfterTheCards(t *testing.T) {
	needs(t, chromiumTool, widget)
	h := newHarness(t)
	const oddID = "c0ffee00-0000-4000-8000-0000000000bb"
	odd := `</noscript><img src=x onerror="document.title='owned'"><b>Bold</b> &amp; </NOSCRIPT >`
	h.graph.Seed(demo.Megan.ID, langprof.LanguageProficiency{ID: oddID, Tag: "it", DisplayName: odd, AllowedAudiences: langprof.Organization})
	ctx := startChromium(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordParsed}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/static/widget.*.wasm", Block: true}}}); err != nil {
		t.Fatal(err)
	}
	built := `document.querySelectorAll("noscript.later").length === 0`
	step(t, ctx, "sign in", chromedp.Navigate(h.url+"/login?login_hint="+demo.Megan.UPN))
	waitFor(t, ctx, "the forms", `document.querySelector("section.cards") && `+built)

	// Parsed: no form yet; each editable card's, the one to add and the
	// template sent later. Built: every editable card's form and the one
	// to add. (Megan's entry from the organization's records has none.)
	parsed := strings.Fields(js(t, ctx, `__later.parsed`))
	cards, _ := strconv.Atoi(parsed[2])
	if all := js(t, ctx, `String(document.querySelectorAll("section.cards article.card").length)`); all != strconv.Itoa(cards+1) {
		t.Errorf("%s cards, %d of them editable: want one from the organization's records", all, cards)
	}
	if cards < 2 || parsed[0] != "0" || parsed[1] != strconv.Itoa(cards+2) {
		t.Errorf("parsed, the page held %v (forms, parts sent later, editable cards), want 0, %d, %d", parsed, cards+2, cards)
	}
	if got, want := js(t, ctx, `document.querySelectorAll("form.card-form").length + " " + !!document.getElementById("card-template") + " " + document.querySelectorAll("form.delete").length`), strconv.Itoa(cards+1)+" true "+strconv.Itoa(cards); got != want {
		t.Errorf("built, the page holds %q (forms, template, delete forms), want %q", got, want)
	}
	if got := js(t, ctx, `document.querySelectorAll("img, b").length + " " + (document.title === "owned") + " " + document.getElementById("lang-`+oddID+`-displayName").value`); got != "0 false "+odd {
		t.Errorf("the odd name built as %q", got)
	}
	if !visible(t, ctx, "section.add form.card-form") || js(t, ctx, `String(document.querySelectorAll(".add-fallback").length)`) != "0" {
		t.Error("the form to add a language does not show, or the link that stands in for it stays")
	}

	// The forms built are the ones the server renders as elements for a
	// card being edited (?edit=).
	form := `document.querySelector("#lang-` + oddID + ` form.card-form").outerHTML`
	later := js(t, ctx, form)
	step(t, ctx, "open by link", chromedp.Navigate(h.url+"/?edit="+oddID))
	waitFor(t, ctx, "the page", `document.querySelector("#lang-`+oddID+`.editing") && `+built)
	if now := js(t, ctx, form); now != later {
		t.Errorf("the form built later:\n%s\nthe form rendered as elements:\n%s", later, now)
	}

	// Edit pressed before the forms are built builds that card's at once
	// and puts focus in it; the rest follow.
	step(t, ctx, "edit early", chromedp.Navigate(h.url+"/#early"))
	waitFor(t, ctx, "the forms", `window.__later && __later.early && `+built)
	if got := js(t, ctx, `__later.early`); got != "1 0 true true true" {
		t.Errorf("Edit pressed at once: %q (the card's parts sent later before and after, its form shown, focus in it, others still later), want %q", got, "1 0 true true true")
	}
	if got := js(t, ctx, `document.querySelectorAll("section.cards article.card.editing").length + " " + document.activeElement.id`); !strings.HasPrefix(got, "1 lang-") || !strings.HasSuffix(got, "-language") {
		t.Errorf("after the rest were built: %q (cards open, focus), want the early card open with focus kept", got)
	}
}

// A browser that runs scripts but not the loader (blocked here) still
// offers everything: after a while a link to the form to add a language,
// which opens it as elements; Edit opens a card's form by its link.
func TestBrowserEditorWithoutItsLoader(t *testing.T) {
	h := newHarness(t)
	ctx := startChromium(t)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/static/widget.*", Block: true}}}); err != nil {
		t.Fatal(err)
	}
	card := "#lang-" + demo.ExampleID
	step(t, ctx, "sign in", chromedp.Navigate(h.url+"/login?login_hint="+demo.Innocenty.UPN), chromedp.WaitVisible(chromedp.CSS(card)))
	if got := js(t, ctx, `String(!!window.langcard) + " " + document.querySelectorAll("noscript.later").length`); got == "" || strings.HasPrefix(got, "true") || strings.HasSuffix(got, " 0") {
		t.Fatalf("loader, parts sent later: %q, want no loader and the forms still text", got)
	}
	shown := `getComputedStyle(document.querySelector(".add-fallback")).visibility === "visible" && document.querySelector(".add-fallback").getClientRects().length > 0`

	submit(t, ctx, card+" a.edit")
	if !visible(t, ctx, card+" .card-form") {
		t.Fatal("Edit does not open the card's form")
	}
	step(t, ctx, "Add a language", chromedp.Click(chromedp.CSS("#new-heading")))
	waitFor(t, ctx, "the link to the form to add", shown)
	submit(t, ctx, ".add-fallback a")
	if !visible(t, ctx, "section.add form.card-form") || visible(t, ctx, ".add-fallback") {
		t.Fatal("the link does not open the form to add a language, or stays")
	}
	step(t, ctx, "add", chromedp.SetValue(chromedp.CSS("#new-language"), "svenska"), chromedp.SetValue(chromedp.CSS("#new-spoken"), "conversational"))
	submit(t, ctx, ".add button[type=submit]")
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); got != "Added Swedish." {
		t.Fatalf("notice %q", got)
	}
	if langs := h.graph.Languages(demo.Innocenty.ID); langs[len(langs)-1].Tag != "sv" {
		t.Errorf("Graph holds %+v, want Swedish last", langs)
	}
}
