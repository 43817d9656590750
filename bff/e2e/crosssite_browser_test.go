package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
	"langcard/bff/dev/chromium"
)

// clickAsPerson clicks what expr finds, with the user activation a
// person's click carries (a sign-in window may open only on one).
func clickAsPerson(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	gesture := true
	step(t, ctx, what, chromedp.Evaluate[chromedp.Void](expr+".click()", func(p *runtime.EvaluateParams) { p.UserGesture = &gesture }))
}

// otherSiteHost serves an intranet page on localhost, another site than
// langcard's 127.0.0.1: "/" has the two lines of embedding (the viewer's
// card and a colleague's), "/frame" the frame. bff is read per request.
func otherSiteHost(t *testing.T, bff *string) string {
	t.Helper()
	hostSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title>
<script src="%s/static/embed.js" async></script></head><body><h1>Intranet</h1>
<language-card></language-card>
<language-card user="%s" layout="compact"></language-card></body></html>`, *bff, demo.Megan.UPN)
		case "/frame":
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head><body>
<iframe src="%s/embed/frame" title="Your languages" style="width:760px;height:820px"></iframe></body></html>`, *bff)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(hostSrv.Close)
	return strings.Replace(hostSrv.URL, "127.0.0.1", "localhost", 1)
}

// strictChromium is Chromium blocking third-party cookies as a strict
// browser does, trusting the test's certificates.
func strictChromium(t *testing.T) context.Context {
	t.Helper()
	return startChromium(t, chromedp.Flag("test-third-party-cookie-phaseout", true), chromedp.Flag("ignore-certificate-errors", true),
		// The cross-site frame in the page's own process, where the test
		// can reach it (an out-of-process frame's own target stops
		// answering chromedp after its first command). Cookies and their
		// partitions are the network's, not the process's.
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", chromium.DisabledFeatures+",IsolateOrigins,site-per-process"))
}

// On a host of another site (the host on localhost, langcard on
// 127.0.0.1: two sites), in a Chromium that blocks third-party cookies as
// a strict browser does, the two lines of embedding and the frame work:
// sign in from the card, see one's languages, save an edit Graph
// receives, see a colleague's card, sign out; then the same in
// /embed/frame, an iframe on that host.
func TestBrowserCrossSite(t *testing.T) {
	requireWidget(t)
	var bff string
	host := otherSiteHost(t, &bff)
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

	ctx := strictChromium(t)
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
	step(t, ctx, "edit", chromedp.Evaluate[chromedp.Void](inCard(0, saveLevel("c", card, "written", "limitedWorking"))))
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

	// The frame on the same host (SharePoint's Embed web part): the same.
	step(t, ctx, "open the framed page", chromedp.Navigate(host+"/frame"))
	inFrame := func(what, cond string) { waitInFrame(t, ctx, bff, what, cond) }
	inFrame("the frame's sign-in link", `!!document.querySelector("a[data-handoff]")`)
	clickInFrame(t, ctx, bff, "sign in from the frame", `document.querySelector("a[data-handoff]")`)
	inFrame("signed in, the frame hydrated", `!!document.querySelector("[data-hydrated] `+card+`")`)
	inFrame("edit in the frame", saveLevel("document", card, "written", "professionalWorking"))
	inFrame("saved in the frame", `document.querySelector("`+card+` .card-status").textContent === "Saved Norwegian Bokmål"`)
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Written; got != "professionalWorking" {
		t.Errorf("written on Graph from the frame %q", got)
	}
	clickInFrame(t, ctx, bff, "sign out of the frame", `document.querySelector("[data-signout]")`)
	inFrame("the frame signed out", `!!document.querySelector("a[data-handoff]")`)
}

// frameEval evaluates expr in the page's frame whose URL starts with
// prefix (in a world of its own: the frame's DOM, not its globals), with
// the user activation of a person's click when gesture is set.
func frameEval[T any](ctx context.Context, prefix, expr string, gesture bool) (T, error) {
	var zero T
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return zero, err
	}
	var id cdp.FrameID
	for _, f := range tree.FrameTree.ChildFrames {
		if strings.HasPrefix(f.Frame.URL, prefix) {
			id = f.Frame.ID
		}
	}
	if id == "" {
		return zero, fmt.Errorf("no frame at %s", prefix)
	}
	world, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: id, WorldName: "test"})
	if err != nil {
		return zero, err
	}
	yes := true
	p := runtime.EvaluateParams{Expression: expr, ContextID: world.ExecutionContextID, ReturnByValue: &yes}
	if gesture {
		p.UserGesture = &yes
	}
	r, err := chromedp.Call(ctx, runtime.Evaluate, p)
	switch {
	case err != nil:
		return zero, err
	case r.ExceptionDetails != nil:
		return zero, fmt.Errorf("%s", r.ExceptionDetails.Text)
	}
	var v T
	err = json.Unmarshal(r.Result.Value, &v)
	return v, err
}

// waitInFrame waits until cond holds in the frame at prefix.
func waitInFrame(t *testing.T, ctx context.Context, prefix, what, cond string) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var ok bool
		if ok, err = frameEval[bool](ctx, prefix, cond, false); ok {
			return
		}
	}
	t.Fatalf("waiting in the frame for %s: %v", what, err)
}

// clickInFrame clicks what expr finds in the frame at prefix, as a person.
func clickInFrame(t *testing.T, ctx context.Context, prefix, what, expr string) {
	t.Helper()
	if _, err := frameEval[bool](ctx, prefix, "("+expr+".click(), true)", true); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// A browser that refuses even the partitioned cookie (here: the answer
// that sets it reaches the page without its Set-Cookie) gets a card that
// says so and links to langcard's own page, not a Sign in that loops.
func TestBrowserCrossSiteCookieRefused(t *testing.T) {
	requireWidget(t)
	var bff string
	host := otherSiteHost(t, &bff)
	h := newHarness(t, withTLS, withEmbedOrigin(host))
	bff = h.url
	ctx := strictChromium(t)
	// The redemption goes to langcard from here, with the browser's
	// headers and body; the browser gets its answer without the cookie.
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/handoff/redeem"}}}); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: h.transport}
	if err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			var body []byte
			for _, p := range e.Request.PostDataEntries {
				body = append(body, p.Bytes...)
			}
			req, _ := http.NewRequest(e.Request.Method, e.Request.URL, bytes.NewReader(body))
			for k, v := range e.Request.Headers {
				req.Header.Set(k, fmt.Sprint(v))
			}
			resp, err := client.Do(req)
			if err != nil {
				chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonFailed})
				return
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var headers []*fetch.HeaderEntry
			for k, vs := range resp.Header {
				for _, v := range vs {
					if !strings.EqualFold(k, "Set-Cookie") {
						headers = append(headers, &fetch.HeaderEntry{Name: k, Value: v})
					}
				}
			}
			chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: int64(resp.StatusCode), ResponseHeaders: headers, Body: got})
		}()
	}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "open the host page", chromedp.Navigate(host+"/"))
	waitFor(t, ctx, "the sign-in link", inCard(0, `!!(c && c.querySelector("a[data-handoff]"))`))
	clickAsPerson(t, ctx, "sign in from the card", inCard(0, `c.querySelector("a[data-handoff]")`))
	waitFor(t, ctx, "the card says the browser refused", inCard(0, `(() => { const p = c.querySelector(".handoff-problem"); return !p.hidden && p.textContent.includes("does not let langcard keep you signed in") && p.querySelector("a").href === "`+bff+`/"; })()`))
	if got := js(t, ctx, inCard(0, `String(!!c.querySelector("a[data-handoff]") && !c.querySelector("section.cards"))`)); got != "true" {
		t.Errorf("after a refused cookie the card shows %s, want its sign-in and no cards", got)
	}
}
