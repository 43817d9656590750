package e2e_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
)

// recordEvents keeps every langcard event the page hears, with its target
// and detail, in window.__events.
const recordEvents = `window.__events = [];
for (const name of ["langcard-ready", "langcard-saved", "langcard-added", "langcard-deleted", "langcard-error", "langcard-signin-required"])
	document.addEventListener(name, e => window.__events.push({name, target: e.target.tagName.toLowerCase(), detail: e.detail}));`

// hearEvents records the events of every page the tab opens from now on.
func hearEvents(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordEvents}); err != nil {
		t.Fatal(err)
	}
}

type heard struct {
	Name, Target string
	Detail       map[string]string
}

func events(t *testing.T, raw string) []heard {
	t.Helper()
	var out []heard
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("events %q: %v", raw, err)
	}
	return out
}

// The element's API, on the demo intranet page: the branded theme applies
// (and stays accessible), each event fires once with its detail, and the
// attributes change the live element.
func TestBrowserElementAPI(t *testing.T) {
	needs(t, chromiumTool, axeCore, widget)
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	hearEvents(t, ctx)
	step(t, ctx, "intranet page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "both cards hydrated", `[...document.querySelectorAll("language-card:not([user])")].every(e => e.shadowRoot && e.shadowRoot.querySelector(".langcard[data-hydrated]"))`)
	card := "#lang-" + demo.ExampleID

	// Theme: the branded card takes the host's properties and parts.
	got := js(t, ctx, `(() => { const c = document.querySelector("language-card.branded").shadowRoot;
		const s = getComputedStyle(c.querySelector("a.edit")), t = getComputedStyle(c.querySelector(".embed-title"));
		return [getComputedStyle(c.querySelector(".card")).borderTopLeftRadius, s.fontFamily.split(",")[0], t.fontVariantCaps, getComputedStyle(c.querySelector(".scale[data-step='6'] i")).backgroundColor].join("|"); })()`)
	if got != "2px|Georgia|small-caps|rgb(91, 42, 134)" {
		t.Errorf("the branded card: %q", got)
	}
	if got := js(t, ctx, inCard(0, `getComputedStyle(c.querySelector(".scale[data-step='6'] i")).backgroundColor`)); got != "rgb(11, 92, 173)" {
		t.Errorf("the default theme changed with the other: %q", got)
	}
	checkAxe(t, ctx, "the intranet page with its branded card")

	// Events: ready once per card; a save, an add, a delete, an error.
	waitFor(t, ctx, "ready from every card", `window.__events.filter(e => e.name === "langcard-ready").length === 5`)
	step(t, ctx, "save", chromedp.Evaluate[chromedp.Void](inCard(0, saveLevel("c", card, "written", "elementary"))))
	waitFor(t, ctx, "saved", `window.__events.some(e => e.name === "langcard-saved")`)
	step(t, ctx, "add", chromedp.Evaluate[chromedp.Void](inCard(0, `(() => {
		const l = c.querySelector("#new-language"); l.value = "Swedish";
		l.dispatchEvent(new Event("change", {bubbles: true}));
		c.querySelector(".add button[type=submit]").click();
	})()`)))
	waitFor(t, ctx, "added", `window.__events.some(e => e.name === "langcard-added")`)
	langs := h.graph.Languages(demo.Innocenty.ID)
	added := langs[len(langs)-1]
	h.graph.Inject(graphfake.Fault{Status: 500, Code: "generalException"})
	step(t, ctx, "a failing save", chromedp.Evaluate[chromedp.Void](inCard(0, saveLevel("c", card, "reading", "elementary"))))
	waitFor(t, ctx, "error", `window.__events.some(e => e.name === "langcard-error")`)
	all := events(t, js(t, ctx, `JSON.stringify(window.__events.filter(e => e.name !== "langcard-ready"))`))
	want := []heard{
		{"langcard-saved", "language-card", map[string]string{"id": demo.ExampleID, "tag": "nb-NO", "name": "Norwegian Bokmål"}},
		{"langcard-added", "language-card", map[string]string{"id": added.ID, "tag": "sv", "name": "Swedish"}},
	}
	if len(all) != 3 {
		t.Fatalf("heard %+v, want one saved, one added, one error", all)
	}
	for i, w := range want {
		if all[i].Name != w.Name || all[i].Target != w.Target || !equalMaps(all[i].Detail, w.Detail) {
			t.Errorf("event %d: %+v, want %+v", i, all[i], w)
		}
	}
	if e := all[2]; e.Name != "langcard-error" || e.Detail["code"] != "badGateway" || !strings.Contains(e.Detail["message"], "Microsoft 365 failed") || len(e.Detail) != 2 {
		t.Errorf("error event %+v", e)
	}
	raw := js(t, ctx, `JSON.stringify(window.__events)`)
	if strings.Contains(raw, "eyJ") || strings.Contains(strings.ToLower(raw), "token") {
		t.Errorf("an event carries a token: %s", raw)
	}

	// Delete: once, with the language.
	step(t, ctx, "delete", chromedp.Evaluate[chromedp.Void](inCard(0, `(() => {
		c.querySelector("#lang-`+added.ID+` a.edit").click();
		c.querySelector("#lang-`+added.ID+` button.start").click();
		c.querySelector("#lang-`+added.ID+` button.confirm").click();
	})()`)))
	waitFor(t, ctx, "deleted", `window.__events.some(e => e.name === "langcard-deleted")`)
	del := events(t, js(t, ctx, `JSON.stringify(window.__events.filter(e => e.name === "langcard-deleted"))`))
	if len(del) != 1 || !equalMaps(del[0].Detail, map[string]string{"id": added.ID, "tag": "sv", "name": "Swedish"}) {
		t.Errorf("deleted events %+v", del)
	}

	// Attributes change the live element; a value it cannot use falls back
	// with a warning that names the attribute.
	step(t, ctx, "to Norwegian", chromedp.Evaluate[chromedp.Void](`document.querySelector("language-card").setAttribute("lang", "nb")`))
	waitFor(t, ctx, "in Norwegian", inCard(0, `!!c.querySelector(".langcard[lang=nb]") && c.querySelector(".embed-title").textContent === "Språkene dine"`))
	listening, _ := strconv.Atoi(js(t, ctx, `String(window.langcard.io.listening())`))
	step(t, ctx, "to a colleague", chromedp.Evaluate[chromedp.Void](`document.querySelector("language-card").setAttribute("user", "`+demo.Megan.UPN+`")`))
	waitFor(t, ctx, "Megan's languages", inCard(0, `c.querySelector(".embed-title").textContent === "Språk på profilen til Megan Bowen"`))
	// Megan's card is read-only: the editor shown before holds nothing.
	if got, _ := strconv.Atoi(js(t, ctx, `String(window.langcard.io.listening())`)); got >= listening {
		t.Errorf("the editor shown before stayed behind: %d listeners, %d before", got, listening)
	}
	step(t, ctx, "back to me", chromedp.Evaluate[chromedp.Void](`document.querySelector("language-card").removeAttribute("user")`))
	waitFor(t, ctx, "my languages again", inCard(0, `c.querySelector(".embed-title").textContent === "Språkene dine" && !!c.querySelector(".langcard[data-hydrated]")`))
	step(t, ctx, "to readonly", chromedp.Evaluate[chromedp.Void](`document.querySelector("language-card").setAttribute("readonly", "")`))
	waitFor(t, ctx, "read-only", inCard(0, `!!c.querySelector(".readonly-cards") && !c.querySelector("a.edit, form")`))
	step(t, ctx, "a bad layout", chromedp.Evaluate[chromedp.Void](`document.querySelector("language-card").setAttribute("layout", "sideways")`))
	waitFor(t, ctx, "the warning", `(window.__logged || []).some(l => l.startsWith("warn: langcard: <language-card layout=\"sideways\">"))`)
	waitFor(t, ctx, "the full layout", inCard(0, `!!c.querySelector(".langcard:not(.compact)")`))
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Signed out, every card asks for sign-in, once.
func TestBrowserElementSignInRequired(t *testing.T) {
	requireWidget(t)
	host, _, ctx := onIntranet(t)
	hearEvents(t, ctx)
	step(t, ctx, "open", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "every card asks", `window.__events.filter(e => e.name === "langcard-signin-required" && e.target === "language-card").length === 5`)
	if n := js(t, ctx, `String(window.__events.length)`); n != "5" {
		t.Errorf("%s events signed out, want 5", n)
	}
}

// comeAndGo creates n <language-card> elements one after the other, each
// shown until the widget has it, then removed.
func comeAndGo(n int) string {
	return `(async () => {
		for (let i = 0; i < ` + strconv.Itoa(n) + `; i++) {
			const el = document.createElement("language-card");
			const ready = new Promise(r => el.addEventListener("langcard-ready", r, {once: true}));
			document.querySelector("main").appendChild(el);
			await ready;
			el.remove();
			await new Promise(r => setTimeout(r, 10));
		}
		return "done";
	})()`
}

// domCounters are the page's live nodes and event listeners, after a
// garbage collection.
func domCounters(t *testing.T, ctx context.Context) (nodes, listeners int64) {
	t.Helper()
	// The widget's Go runtime holds the nodes it used until it collects
	// (syscall/js lets them go by finalizers, which run once JavaScript
	// has run again): ask it to, twice, before Chromium collects.
	read(t, ctx, chromedp.Evaluate[string](`(async () => {
		for (let i = 0; i < 2; i++) {
			if (window.langcard && window.langcard.collect) window.langcard.collect();
			await new Promise(r => setTimeout(r));
		}
		return "collected";
	})()`, chromedp.EvalAwaitPromise))
	for range 3 {
		if _, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := chromedp.Call(ctx, memory.GetDOMCounters, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	return c.Nodes, c.JsEventListeners
}

// Elements a page creates, moves and removes (as React or Vue do) leave
// nothing behind: one WebAssembly instance however many come and go, and
// no growth in listeners or nodes; a moved element keeps working.
func TestBrowserElementsComeAndGo(t *testing.T) {
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	step(t, ctx, "intranet page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "hydrated", `[...document.querySelectorAll("language-card:not([user])")].every(e => e.shadowRoot && e.shadowRoot.querySelector(".langcard[data-hydrated]"))`)
	run := func(n int) {
		if got := read(t, ctx, chromedp.Evaluate[string](comeAndGo(n), chromedp.EvalAwaitPromise)); got != "done" {
			t.Fatalf("the loop: %q", got)
		}
	}
	run(3) // everything loaded and warm
	// The widget's own listeners (the loader keeps their count), and the
	// page's, as Chromium counts them.
	widgetListeners := `String(window.langcard.io.listening())`
	before := js(t, ctx, widgetListeners)
	nodes, listeners := domCounters(t, ctx)
	run(50)
	nodes2, listeners2 := domCounters(t, ctx)
	if after := js(t, ctx, widgetListeners); after != before {
		t.Errorf("the widget holds %s listeners after 50 elements came and went, %s before", after, before)
	}
	if listeners2 > listeners || nodes2 > nodes {
		t.Errorf("after 50 elements came and went: %d → %d listeners, %d → %d nodes", listeners, listeners2, nodes, nodes2)
	}
	if got := js(t, ctx, `performance.getEntriesByType("resource").filter(e => e.name.endsWith(".wasm")).length + " " + document.querySelectorAll("script[data-embedded]").length`); got != "1 1" {
		t.Errorf("WebAssembly fetches and widget scripts: %s, want 1 1", got)
	}

	// Moved to another part of the page, a card keeps working; removed and
	// added back later, it is taken over again.
	card := "#lang-" + demo.ExampleID
	step(t, ctx, "move", chromedp.Evaluate[chromedp.Void](`document.querySelector("aside").appendChild(document.querySelector("language-card"))`))
	step(t, ctx, "remove and add back", chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelectorAll("language-card")[1]; el.remove(); setTimeout(() => document.querySelector("main").appendChild(el), 50); })()`))
	waitFor(t, ctx, "taken over again", `[...document.querySelectorAll("language-card:not([user])")].every(e => e.isConnected && e.shadowRoot.querySelector(".langcard[data-hydrated]"))`)
	for i := range 2 {
		h.graph.ResetRequests()
		step(t, ctx, "save", chromedp.Evaluate[chromedp.Void](`(() => { const c = [...document.querySelectorAll("language-card:not([user])")][`+strconv.Itoa(i)+`].shadowRoot;
			c.querySelector("`+card+` a.edit").click();
			const s = c.querySelector("`+card+`-spoken"); s.value = ["elementary", "conversational"][`+strconv.Itoa(i)+`];
			s.dispatchEvent(new Event("change", {bubbles: true}));
			c.querySelector("`+card+` .card-form button[type=submit]").click(); })()`))
		waitFor(t, ctx, "saved", `[...document.querySelectorAll("language-card:not([user])")][`+strconv.Itoa(i)+`].shadowRoot.querySelector("`+card+` .card-status").textContent.startsWith("Saved")`)
		if w := upstreamWrites(h); len(w) != 1 {
			t.Errorf("card %d: %d writes, want 1", i, len(w))
		}
	}
	quietConsole(t, ctx)
}
