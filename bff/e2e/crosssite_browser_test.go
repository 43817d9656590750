package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
)

// clickAsPerson clicks what expr finds, with the user activation a
// person's click carries (a sign-in window may open only on one).
func clickAsPerson(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	gesture := true
	step(t, ctx, what, chromedp.Evaluate[chromedp.Void](expr+".click()", func(p *runtime.EvaluateParams) { p.UserGesture = &gesture }))
}

// On a host of another site (the host on localhost, langcard on
// 127.0.0.1: two sites), in a Chromium that blocks third-party cookies as
// a strict browser does, the two lines of embedding
// works: sign in from the card, see one's languages, save an edit Graph
// receives, see a colleague's card, sign out. (The frame's own handoff is
// checked over HTTP in TestHandoffToACardOnAnotherSite; driving a click
// inside a cross-site iframe's own target is still to do.)
func TestBrowserCrossSite(t *testing.T) {
	requireWidget(t)
	var bff string
	hostSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title>
<script src="%s/static/embed.js" async></script></head><body><h1>Intranet</h1>
<language-card></language-card>
<language-card user="%s" layout="compact"></language-card></body></html>`, bff, demo.Megan.UPN)
		case "/frame":
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head><body>
<iframe src="%s/embed/frame" title="Your languages" style="width:760px;height:820px"></iframe></body></html>`, bff)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(hostSrv.Close)
	host := strings.Replace(hostSrv.URL, "127.0.0.1", "localhost", 1)
	h := newHarness(t, withTLS, withEmbedOrigin(host))
	bff = h.url

	// The control: a cookie that is not partitioned, set first-party on
	// 127.0.0.1, does not come along from the host page.
	probe := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			w.Header().Set("Set-Cookie", "probe=1; SameSite=None; Secure; Path=/")
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", host)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		_, err := r.Cookie("probe")
		fmt.Fprint(w, err == nil)
	}))
	t.Cleanup(probe.Close)

	ctx := startChromium(t, chromedp.Flag("test-third-party-cookie-phaseout", true), chromedp.Flag("ignore-certificate-errors", true))
	step(t, ctx, "set the probe's cookie first-party", chromedp.Navigate(probe.URL+"/set"))
	if got := js(t, ctx, `document.cookie`); got != "probe=1" {
		t.Fatalf("the probe's cookie was not set first-party: %q", got)
	}
	step(t, ctx, "open the host page", chromedp.Navigate(host+"/"))
	if got := read(t, ctx, chromedp.Evaluate[string](`fetch("`+probe.URL+`/", {credentials: "include"}).then(r => r.text())`, chromedp.EvalAwaitPromise)); got != "false" {
		t.Fatalf("a third-party cookie came along from the host page (%s): the browser does not block them", got)
	}

	// Signed out: the card signs in through langcard's window.
	waitFor(t, ctx, "the sign-in link", inCard(0, `!!(c && c.querySelector("a[data-handoff]"))`))
	waitFor(t, ctx, "the colleague's card asks too", inCard(1, `!!(c && c.querySelector(".signin"))`))
	clickAsPerson(t, ctx, "sign in from the card", inCard(0, `c.querySelector("a[data-handoff]")`))
	card := "#lang-" + demo.ExampleID
	waitFor(t, ctx, "signed in, the card hydrated", inCard(0, `!!(c && c.querySelector(".langcard[data-hydrated] `+card+`"))`))
	waitFor(t, ctx, "the colleague's card", inCard(1, `!!(c && c.querySelector(".readonly-cards"))`))

	// Edit and save: Graph receives it.
	step(t, ctx, "edit", chromedp.Evaluate[chromedp.Void](inCard(0, `(() => {
		c.querySelector("`+card+` a.edit").click();
		const s = c.querySelector("`+card+`-written"); s.value = "limitedWorking";
		s.dispatchEvent(new Event("input", {bubbles: true})); s.dispatchEvent(new Event("change", {bubbles: true}));
		c.querySelector("`+card+` .card-form button[type=submit]").click();
	})()`)))
	waitFor(t, ctx, "saved", inCard(0, `c.querySelector("`+card+` .card-status").textContent === "Saved Norwegian Bokmål"`))
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Written; got != "limitedWorking" {
		t.Errorf("written on Graph %q", got)
	}

	// Sign out: the card is signed out again, and so is the session.
	clickAsPerson(t, ctx, "sign out", inCard(0, `c.querySelector("[data-signout]")`))
	waitFor(t, ctx, "signed out", inCard(0, `!!(c && c.querySelector("a[data-handoff]"))`))
	if got := read(t, ctx, chromedp.Evaluate[int](`fetch("`+bff+`/api/session", {credentials: "include"}).then(r => r.status)`, chromedp.EvalAwaitPromise)); got != http.StatusUnauthorized {
		t.Errorf("after sign-out the card's session answers %d", got)
	}
	quietConsole(t, ctx)
}
