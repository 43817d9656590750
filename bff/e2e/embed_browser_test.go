package e2e_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langcard/bff/demo"
	"langcard/web/langprof"
)

// intranet serves the demo intranet page on an origin of its own; bff is
// read when a page is served, so it can be set after the BFF starts.
func intranet(t *testing.T, bff *string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		demo.Intranet(*bff).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// onIntranet starts a BFF whose embedding origin is a demo intranet page,
// and Chromium.
func onIntranet(t *testing.T) (*httptest.Server, *harness, context.Context) {
	t.Helper()
	var bff string
	host := intranet(t, &bff)
	h := newHarness(t, withEmbedOrigin(host.URL))
	bff = h.url
	return host, h, startChromium(t)
}

// saveLevel is a script that opens card (under root, a JS expression for
// a document or a shadow root), sets one of its levels (prop: spoken,
// written or reading), and presses Save, as a person does; it evaluates
// to true.
func saveLevel(root, card, prop, level string) string {
	return `((r) => {
		r.querySelector("` + card + ` a.edit").click();
		const s = r.querySelector("` + card + `-` + prop + `"); s.value = "` + level + `";
		s.dispatchEvent(new Event("input", {bubbles: true})); s.dispatchEvent(new Event("change", {bubbles: true}));
		r.querySelector("` + card + ` .card-form button[type=submit]").click();
		return true;
	})(` + root + `)`
}

// inCard evaluates a JavaScript expression with `c` bound to the shadow
// root of the n-th <language-card>.
func inCard(n int, expr string) string {
	return `(() => { const c = document.querySelectorAll("language-card")[` + string(rune('0'+n)) + `].shadowRoot; return ` + expr + `; })()`
}

func TestBrowserEmbedded(t *testing.T) {
	requireWidget(t)
	var bff string
	host, other := intranet(t, &bff), intranet(t, &bff)
	h := newHarness(t, withEmbedOrigin(host.URL))
	bff = h.url
	ctx := startChromium(t)
	card := "#lang-" + demo.ExampleID

	// Signed out, each card offers Sign in; it returns to the host page.
	step(t, ctx, "open the intranet page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "the sign-in link", inCard(0, `!!(c && c.querySelector("a.button"))`))
	if got := js(t, ctx, inCard(0, `c.querySelector("a.button").target + " " + c.querySelector("a.button").href`)); !strings.HasPrefix(got, "_top "+h.url+"/login?returnTo=") {
		t.Errorf("sign-in link %q", got)
	}
	step(t, ctx, "sign in", chromedp.Evaluate[chromedp.Void](inCard(0, `c.querySelector("a.button").click()`)))
	waitFor(t, ctx, "back on the intranet page, both cards hydrated", `location.origin === "`+host.URL+`" && [...document.querySelectorAll("language-card:not([user])")].every(e => e.shadowRoot && e.shadowRoot.querySelector(".langcard[data-hydrated]"))`)

	// Two elements, one WebAssembly instance.
	if got := js(t, ctx, `performance.getEntriesByType("resource").filter(e => e.name.endsWith(".wasm")).length + " " + document.querySelectorAll("script[data-embedded]").length`); got != "1 1" {
		t.Errorf("wasm fetches and widget scripts: %s, want 1 1", got)
	}
	if got := js(t, ctx, inCard(1, `c.querySelector(".langcard").className`)); got != "langcard compact" {
		t.Errorf("second card's layout %q", got)
	}

	// Edit and save from the intranet page.
	step(t, ctx, "edit", chromedp.Evaluate[chromedp.Void](inCard(0, saveLevel("c", card, "written", "limitedWorking"))))
	waitFor(t, ctx, "saved", inCard(0, `c.querySelector("`+card+` .card-status").textContent === "Saved Norwegian Bokmål"`))
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Written; got != "limitedWorking" {
		t.Errorf("written on Graph %q", got)
	}
	// One truth per page: the compact card of the same person shows it.
	waitFor(t, ctx, "the other card agrees", inCard(1, `c.querySelector("`+card+` [data-for=written] .value").textContent === "Limited working"`))
	// A language chosen by name on the intranet page: the list of languages
	// came after the cards, once for the page's two editable cards.
	step(t, ctx, "Add a language, focus the language", chromedp.Evaluate[chromedp.Void](inCard(0, `(c.querySelector("#new-heading").click(), c.querySelector("#new-language").focus())`)))
	step(t, ctx, "type norw", chromedp.KeyEvent("norw"))
	waitFor(t, ctx, "suggestions in the card", inCard(0, `c.querySelector("#new-language").getAttribute("aria-expanded") === "true"`))
	step(t, ctx, "arrow down, enter", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "the code", inCard(0, `c.querySelector("#new-tag").value === "nb"`))
	if got := js(t, ctx, inCard(0, `c.querySelector("#new-language").value + "|" + c.querySelector("#new-displayName").value`)); got != "Norwegian Bokmål|Norwegian Bokmål" {
		t.Errorf("chosen on the intranet page: %q", got)
	}
	if got := js(t, ctx, `performance.getEntriesByType("resource").filter(e => e.name.includes("/embed/choices")).length + " " + document.querySelectorAll("language-card")[1].shadowRoot.querySelectorAll("noscript.choices, datalist#language-choices").length`); got != "1 1" {
		t.Errorf("lists of languages fetched, and in the second card: %s, want 1 1", got)
	}
	// The compact card in its sidebar: the summary alone, nothing cut off.
	if got := js(t, ctx, inCard(1, `(() => { const r = c.querySelector(".langcard"); return [r.scrollWidth <= r.clientWidth, !!c.querySelector("`+card+` .edit-area[hidden]"), getComputedStyle(c.host).width].join(" "); })()`)); !strings.HasPrefix(got, "true true") {
		t.Errorf("compact card: fits, summary only, width: %s", got)
	}

	// Isolation: host styles do not reach the card, the card's do not leak
	// out, and its ids stay in its shadow root.
	if got := js(t, ctx, inCard(0, `getComputedStyle(c.querySelector("`+card+` .card-form button[type=submit]")).backgroundColor + "|" + getComputedStyle(c.querySelector("`+card+` .card-title")).fontFamily + "|" + getComputedStyle(c.querySelector("`+card+`")).borderTopStyle`)); strings.Contains(got, "255, 105, 180") || strings.Contains(got, "Georgia") || strings.Contains(got, "dotted") {
		t.Errorf("host styles reached the card: %s", got)
	}
	if got := js(t, ctx, `getComputedStyle(document.querySelector("button.card")).backgroundColor + "|" + getComputedStyle(document.querySelector("button.card")).borderTopStyle`); got != "rgb(255, 105, 180)|dotted" { // the host's own .card rule, not langcard's
		t.Errorf("the card's styles reached the host: %s", got)
	}
	if got := js(t, ctx, `String(document.getElementById("lang-`+demo.ExampleID+`") === null && document.getElementById("announcer") === null)`); got != "true" {
		t.Error("the card's ids are visible to the host page")
	}
	screenshot(t, ctx, "intranet.png")
	quietConsole(t, ctx)

	// A page on an origin that is not configured reads and changes nothing.
	h.graph.ResetRequests()
	step(t, ctx, "open the other origin", chromedp.Navigate(other.URL+"/"))
	waitFor(t, ctx, "the refusal", inCard(0, `!!(c && c.textContent.includes("could not be loaded"))`))
	// Its author learns why: the console names the page's origin and the
	// setting, and so does the BFF's log.
	if got := js(t, ctx, `(window.__logged || []).join("\n")`); !strings.Contains(got, other.URL) || !strings.Contains(got, "LANGCARD_EMBED_ORIGINS") {
		t.Errorf("the console does not say why the cards were refused: %q", got)
	}
	if !strings.Contains(h.logs.String(), "origin="+other.URL) {
		t.Error("the BFF did not log the refused origin")
	}
	// The card says it in its own language.
	step(t, ctx, "the card in Norwegian", chromedp.Evaluate[chromedp.Void](`document.querySelector("language-card").setAttribute("lang", "nb")`))
	waitFor(t, ctx, "the refusal in Norwegian", inCard(0, `c.textContent.includes("Språkene dine kunne ikke lastes inn her.") && c.querySelector("a").textContent === "Åpne langcard"`))
	got := read(t, ctx, chromedp.Evaluate[string](`(async () => {
		const api = "`+h.url+`/api/me/languages/`+demo.ExampleID+`";
		const out = [];
		try { await fetch(api, {credentials: "include"}); out.push("read"); } catch (e) { out.push("no read"); }
		try { await fetch(api, {method: "PATCH", credentials: "include", headers: {"X-CSRF": "1", "Content-Type": "application/json"}, body: '{"spoken":"elementary"}'}); out.push("patched"); } catch (e) { out.push("no patch"); }
		await fetch(api, {method: "POST", mode: "no-cors", credentials: "include", headers: {"Content-Type": "text/plain"}, body: '{"spoken":"elementary"}'});
		return out.join(",");
	})()`, chromedp.EvalAwaitPromise))
	if got != "no read,no patch" {
		t.Errorf("from an unconfigured origin: %s", got)
	}
	if w := upstreamWrites(h); len(w) != 0 {
		t.Errorf("an unconfigured origin changed Graph: %+v", w)
	}
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Spoken; got != "nativeOrBilingual" {
		t.Errorf("spoken %q", got)
	}

	// A returnTo on an unconfigured origin falls back to /.
	step(t, ctx, "sign in from elsewhere", chromedp.Navigate(h.url+"/login?returnTo="+other.URL+"/"))
	waitFor(t, ctx, "landed on langcard", `location.href === "`+h.url+`/" && document.documentElement.hasAttribute("data-hydrated")`)
}

// The widget cached by langcard's own page must still load on the intranet
// page: its responses vary by Origin as well as by encoding.
func TestBrowserEmbeddedAfterTheEditor(t *testing.T) {
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	step(t, ctx, "open the intranet page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "both cards hydrated", `[...document.querySelectorAll("language-card:not([user])")].every(e => e.shadowRoot && e.shadowRoot.querySelector(".langcard[data-hydrated]"))`)
	quietConsole(t, ctx)
}

// The forms of an embedded card work without the widget: posted from the
// intranet's origin (trusted because it is an embedding origin), they
// come back to the intranet page with the change made.
func TestBrowserEmbeddedFormsWithoutTheWidget(t *testing.T) {
	host, h, ctx := onIntranet(t)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/static/widget.*", Block: true}}}); err != nil {
		t.Fatal(err)
	}
	card := "#lang-" + demo.ExampleID
	step(t, ctx, "open the intranet page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "the sign-in link", inCard(0, `!!(c && c.querySelector("a.button"))`))
	step(t, ctx, "sign in", chromedp.Evaluate[chromedp.Void](inCard(0, `c.querySelector("a.button").click()`)))
	waitFor(t, ctx, "the cards, not hydrated", `location.origin === "`+host.URL+`" && !!document.querySelector("language-card").shadowRoot.querySelector("`+card+`")`)
	if js(t, ctx, inCard(0, `String(!!c.querySelector(".langcard[data-hydrated]"))`)) != "false" {
		t.Fatal("the widget ran although it was blocked")
	}
	step(t, ctx, "change and submit the plain form", chromedp.Evaluate[chromedp.Void](inCard(0, `(() => {
		window.__before = true;
		c.querySelector("`+card+`-written").value = "elementary";
		c.querySelector("`+card+` .card-form").requestSubmit();
	})()`)))
	waitFor(t, ctx, "a new page", `!window.__before && document.readyState === "complete"`)
	if got := js(t, ctx, `location.href`); !strings.HasPrefix(got, host.URL) {
		t.Fatalf("the form post ended on %s: %.500s", got, js(t, ctx, `document.body.innerText`))
	}
	waitFor(t, ctx, "back on the intranet page with the change", `location.origin === "`+host.URL+`" && (() => { const c = document.querySelector("language-card").shadowRoot; const s = c && c.querySelector("`+card+`-written"); return !!s && s.value === "elementary"; })()`)
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Written; got != "elementary" {
		t.Errorf("written on Graph %q", got)
	}
	if got := js(t, ctx, inCard(0, `c.querySelector(".notice") ? c.querySelector(".notice").textContent : ""`)); !strings.Contains(got, "Saved") {
		t.Errorf("notice %q, want Saved", got)
	}
}

// The demo intranet page's team section: three colleagues' cards,
// read-only, each showing only what its owner shares and how many more
// are not shared; one request from the page for all its cards; no
// accessibility violation (axe-core, default rules).
// signedInWithTeam opens the intranet page, signs in from its first card
// and waits for the team section's three read-only cards; it returns the
// expression for those cards' elements.
func signedInWithTeam(t *testing.T, ctx context.Context, host *httptest.Server) string {
	t.Helper()
	step(t, ctx, "open the intranet page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "the sign-in link", inCard(0, `!!(c && c.querySelector("a.button"))`))
	// One sign-in for the page's five cards; the others say where it is.
	waitFor(t, ctx, "every card signed out", `[...document.querySelectorAll("language-card")].every(e => e.shadowRoot && e.shadowRoot.querySelector(".signin"))`)
	if got := js(t, ctx, `[...document.querySelectorAll("language-card")].map(e => e.shadowRoot.querySelectorAll("a.button").length + (e.shadowRoot.querySelector(".signin-above") ? "above" : "")).join(" ")`); got != "1 0above 0above 0above 0above" {
		t.Errorf("sign-in offers per card: %s, want one on the first card", got)
	}
	// A colleague's card speaks of them, by the name the page gave.
	if got := js(t, ctx, `document.querySelector("language-card[user]").shadowRoot.querySelector(".signin-above").textContent`); got != "Sign in on the first language card of this page to see "+demo.Megan.UPN+"’s languages." {
		t.Errorf("a signed-out colleague's card says %q", got)
	}
	step(t, ctx, "sign in", chromedp.Evaluate[chromedp.Void](inCard(0, `c.querySelector("a.button").click()`)))
	team := `[...document.querySelectorAll("language-card[user]")]`
	waitFor(t, ctx, "the team's cards", `location.origin === "`+host.URL+`" && `+team+`.length === 3 && `+team+`.every(e => e.shadowRoot && e.shadowRoot.querySelector(".readonly-cards"))`)
	return team
}

func TestBrowserTeamSection(t *testing.T) {
	needs(t, chromiumTool, axeCore, widget)
	requireWidget(t)
	host, _, ctx := onIntranet(t)
	team := signedInWithTeam(t, ctx, host)
	got := js(t, ctx, team+`.map(e => [...e.shadowRoot.querySelectorAll("article .name")].map(n => n.textContent).join("+") + "|" + (e.shadowRoot.querySelector(".not-shared") || {textContent: ""}).textContent).join(" / ")`)
	want := "French+German+English (United Kingdom)| / Spanish|2 more languages on this profile are not shared with you. / Korean|1 more language on this profile is not shared with you."
	if got != want {
		t.Errorf("the team shows %q, want %q", got, want)
	}
	if n := js(t, ctx, `String(`+team+`.reduce((n, e) => n + e.shadowRoot.querySelectorAll("form, input, select, button").length, 0))`); n != "0" {
		t.Errorf("%s controls in the read-only cards", n)
	}
	if n := js(t, ctx, `String(performance.getEntriesByType("resource").filter(e => e.name.includes("/embed/cards")).length)`); n != "1" {
		t.Errorf("%s requests for the page's cards, want 1", n)
	}
	checkAxe(t, ctx, "the intranet page with the team section")
	quietConsole(t, ctx)
}

// embed.js parses each card's part of the answer on its own, cutting the
// answer where the next <template data-el="i"> starts. A name that spells
// such a marker (and markup) must stay text on its own card, and the
// cards after it must still be theirs.
func TestBrowserEmbeddedPartsStayApart(t *testing.T) {
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	odd := `<template data-el="3"><b>Bold</b></template>`
	h.graph.Seed(demo.Megan.ID, langprof.LanguageProficiency{
		ID: "c0ffee00-0000-4000-8000-000000000001", Tag: "it", DisplayName: odd, AllowedAudiences: langprof.Organization,
	})
	team := signedInWithTeam(t, ctx, host)
	got := js(t, ctx, team+`.map(e => [...e.shadowRoot.querySelectorAll("article .name")].map(n => n.textContent).join("+") + "|" + e.shadowRoot.querySelectorAll("b").length).join(" / ")`)
	if want := "French+German+English (United Kingdom)+" + odd + "|0 / Spanish|0 / Korean|0"; got != want {
		t.Errorf("the team shows %q, want %q", got, want)
	}
	quietConsole(t, ctx)
}

// paced stands between the intranet page and the BFF, passing everything
// on, except that it sends the page's cards (/embed/cards, once armed) the
// way a slow render and a bad network would: the first card's part in two
// pieces, then the next part's opening tag cut in two, then nothing until
// it is let go, and then it cuts the connection. With cut, it cuts the
// connection after the first piece instead.
type paced struct {
	srv     *httptest.Server
	armed   chan struct{} // one receive arms it for one answer
	held    chan struct{} // closed once the answer waits
	letGo   chan struct{}
	firstIn string // the first card's part, as the BFF sent it
	cut     bool
	// received, when set, waits until the browser has received n bytes
	// of the answer: each piece goes out only once the one before it has
	// arrived, so the browser reads them apart.
	received func(n int)
}

// receivedBy returns a wait for how many bytes of path's answer the
// browser of ctx has received, from Chromium's network events (a
// deadline of ten seconds).
func receivedBy(t *testing.T, ctx context.Context, path string) func(n int) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	changed := make(chan struct{}, 1)
	ids := map[network.RequestID]bool{}
	got := 0
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if strings.Contains(e.Request.URL, path) {
				ids[e.RequestID], got = true, 0
			}
		case *network.EventDataReceived:
			if ids[e.RequestID] {
				got += int(e.DataLength)
				select {
				case changed <- struct{}{}:
				default:
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	return func(n int) {
		deadline := time.After(10 * time.Second)
		for {
			mu.Lock()
			have := got
			mu.Unlock()
			if have >= n {
				return
			}
			select {
			case <-changed:
			case <-deadline:
				t.Errorf("the browser received %d bytes of %s, want %d", have, path, n)
				return
			}
		}
	}
}

func newPaced(t *testing.T, bff string) *paced {
	t.Helper()
	p := &paced{armed: make(chan struct{}, 1), held: make(chan struct{}), letGo: make(chan struct{})}
	up, err := url.Parse(bff)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(up)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/embed/cards" {
			proxy.ServeHTTP(w, r)
			return
		}
		select {
		case <-p.armed:
		default:
			proxy.ServeHTTP(w, r)
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, bff+r.URL.RequestURI(), nil)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("the cards from the BFF: %v", err)
			panic(http.ErrAbortHandler)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for k, v := range resp.Header {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(resp.StatusCode)
		next := `<template data-el="1">`
		end := bytes.Index(body, []byte(next))
		if end < 0 {
			t.Errorf("no second part in the cards: %.200s", body)
			panic(http.ErrAbortHandler)
		}
		p.firstIn = string(body[:end])
		rc := http.NewResponseController(w)
		sent := 0
		send := func(b []byte) {
			w.Write(b)
			rc.Flush()
			if sent += len(b); p.received != nil {
				p.received(sent) // the next piece only once this one has arrived
			}
		}
		// The first piece ends inside the first card, after its first
		// language's name: a card put in from it would lack the rest.
		mid := bytes.Index(body, []byte(`class="name"`)) + 20
		send(body[:mid])
		if p.cut {
			close(p.held)
			<-p.letGo
			panic(http.ErrAbortHandler)
		}
		send(body[mid : end+len(next)/2])
		send(body[end+len(next)/2 : end+len(next)])
		close(p.held)
		<-p.letGo
		panic(http.ErrAbortHandler)
	}))
	t.Cleanup(p.srv.Close)
	t.Cleanup(func() {
		select {
		case <-p.letGo:
		default:
			close(p.letGo)
		}
	})
	return p
}

// The BFF sends each card's part as soon as it is rendered; embed.js puts
// the page's first card in once its part is whole, before the answer
// ends, whatever pieces the network cuts it into. If the answer is cut
// off, what came whole stays and the other cards say they could not be
// loaded; a part that did not come whole is not shown half.
func TestBrowserEmbeddedStreamed(t *testing.T) {
	requireWidget(t)
	var bff string
	host := intranet(t, &bff)
	h := newHarness(t, withEmbedOrigin(host.URL))
	ctx := startChromium(t)
	var want []string
	for _, l := range h.graph.Languages(demo.Innocenty.ID) {
		want = append(want, l.DisplayName)
	}
	names := inCard(0, `c && [...c.querySelectorAll("section.cards article .card-title .name")].map(n => n.textContent).join("+")`)
	others := `[...document.querySelectorAll("language-card")].slice(1).map(e => e.shadowRoot.textContent.includes("could not be loaded") ? "cut" : e.shadowRoot.querySelector(".langcard") ? "shown" : "empty").join(" ")`

	received := receivedBy(t, ctx, "/embed/cards")
	for _, cut := range []bool{false, true} {
		p := newPaced(t, h.url)
		p.cut, p.received = cut, received
		bff = p.srv.URL
		if !cut {
			signedInWithTeam(t, ctx, host) // through the proxy, not yet armed
		}
		p.armed <- struct{}{}
		step(t, ctx, "open the intranet page", chromedp.Navigate(host.URL+"/"))
		<-p.held
		if !cut {
			waitFor(t, ctx, "the first card, while the answer is still open", names+` === "`+strings.Join(want, "+")+`"`)
			if got := js(t, ctx, others); got != "empty empty empty empty" {
				t.Errorf("the other cards before their parts came: %s", got)
			}
			if !strings.Contains(p.firstIn, `<template data-el="0">`) || !strings.HasSuffix(p.firstIn, "</template>") {
				t.Errorf("the first part as sent: %.80s…%s", p.firstIn, p.firstIn[max(0, len(p.firstIn)-40):])
			}
		}
		close(p.letGo)
		if cut {
			waitFor(t, ctx, "every card cut off", inCard(0, `c.textContent.includes("could not be loaded")`)+` && `+others+` === "cut cut cut cut"`)
			if got := js(t, ctx, inCard(0, `String(c.querySelectorAll("article").length)`)); got != "0" {
				t.Errorf("%s languages shown from half a part", got)
			}
			continue
		}
		waitFor(t, ctx, "the other cards cut off", others+` === "cut cut cut cut"`)
		if got := js(t, ctx, names); got != strings.Join(want, "+") {
			t.Errorf("the first card after the cut: %q", got)
		}
		waitFor(t, ctx, "the first card in use", inCard(0, `!!c.querySelector(".langcard[data-hydrated]")`))
	}
}

// Embedded on an intranet page, colleagues' cards are read-only for an
// administrator too; each links to the colleague's profile on langcard's
// own page, where the administrator may change it.
func TestBrowserTeamSectionForAnAdministrator(t *testing.T) {
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	step(t, ctx, "sign in as Adele, back to the intranet page", chromedp.Navigate(h.url+"/login?login_hint="+url.QueryEscape(demo.Adele.UPN)+"&returnTo="+url.QueryEscape(host.URL+"/")))
	// Her own card in the team section is hers to edit; her colleagues'
	// are not.
	team := `[...document.querySelectorAll("language-card[user]")].filter(e => e.getAttribute("user") !== "` + demo.Adele.UPN + `")`
	waitFor(t, ctx, "the team's cards", `location.origin === "`+host.URL+`" && `+team+`.length === 2 && `+team+`.every(e => e.shadowRoot && e.shadowRoot.querySelector(".readonly-cards"))`)
	if n := js(t, ctx, `String(`+team+`.reduce((n, e) => n + e.shadowRoot.querySelectorAll("form, input, select, button, a.edit").length, 0))`); n != "0" {
		t.Errorf("%s controls in the colleagues' cards an administrator sees", n)
	}
	got := js(t, ctx, team+`.map(e => { const a = e.shadowRoot.querySelector(".admin-edit a"); return a ? a.getAttribute("href") + " " + a.textContent : "none"; }).join(" | ")`)
	want := h.url + "/users/" + url.PathEscape(demo.Megan.UPN) + " Change Megan Bowen’s languages on langcard (as an administrator)"
	if !strings.HasPrefix(got, want+" | ") || !strings.Contains(got, "/users/"+url.PathEscape(demo.Lee.UPN)) {
		t.Errorf("the administrator's links: %q, want first %q", got, want)
	}
}
