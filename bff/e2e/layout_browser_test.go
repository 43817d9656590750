package e2e_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
)

// rowsOutOfLine lists, for every card under root (a JS expression for a
// document or a shadow root), what breaks its summary's grid: level
// labels, scales or values not in one column (unless the levels share
// one line, as a compact card with room shows them); a "·" left at the end of a
// title's line; a date broken across lines. "" is a card laid out well.
func rowsOutOfLine(t *testing.T, ctx context.Context, root string) string {
	t.Helper()
	return js(t, ctx, `(() => {
		const out = [];
		for (const card of (`+root+`).querySelectorAll("article.card")) {
			const rows = [...card.querySelectorAll(".summary .level")];
			// A compact card with room puts its levels on one line: no grid.
			const oneLine = new Set(rows.map(r => Math.round(r.getBoundingClientRect().top))).size === 1;
			for (const sel of oneLine ? [] : ["dt", ".scale", ".value"]) {
				const xs = new Set(rows.map(r => { const b = r.querySelector(sel).getBoundingClientRect(); return b.width ? Math.round(b.left) : "none"; }));
				if (xs.size > 1) out.push(card.id + " " + sel + " at " + [...xs].join(","));
			}
			// Each row's parts side by side or stacked as the others are.
			const shapes = new Set(rows.map(r => { const a = r.querySelector("dt").getBoundingClientRect(), v = r.querySelector(".value").getBoundingClientRect(); return v.left > a.right - 1 ? "beside" : "below"; }));
			if (shapes.size > 1) out.push(card.id + " rows laid out differently");
			const self = card.querySelector(".card-title .self");
			if (self && !self.hidden) {
				const dot = self.firstElementChild.getBoundingClientRect(), name = self.querySelector(".self-name").getClientRects()[0];
				if (Math.abs(dot.top - name.top) > 2) out.push(card.id + " a dangling ·");
			}
			const time = card.querySelector(".changed time");
			if (time && time.getClientRects().length > 1) out.push(card.id + " the date broken");
		}
		return out.join("; ");
	})()`)
}

// At 320 CSS pixels, in English and Norwegian, the level rows keep one
// grid (label, scale and value line up from row to row, and change layout
// together), a title that wraps leaves no "·" behind, and dates stay
// whole: on one's own editor page, on a colleague's page, and in the
// compact cards of an intranet page. The same holds at full width.
func TestBrowserRowsAlignedAtEveryWidth(t *testing.T) {
	requireWidget(t)
	var bff string
	host := intranet(t, &bff)
	h := newHarness(t, withEmbedOrigin(host.URL))
	bff = h.url
	ctx := startChromium(t)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	for _, lang := range []string{"en", "nb"} {
		if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}}); err != nil {
			t.Fatal(err)
		}
		for _, narrow := range []bool{false, true} {
			if narrow {
				phone(t, ctx)
			}
			for _, page := range []string{h.url + "/", h.url + "/users/" + url.PathEscape(demo.Megan.UPN)} {
				step(t, ctx, "open "+page, chromedp.Navigate(page))
				waitFor(t, ctx, "cards", `document.querySelectorAll("article.card").length > 0`)
				if got := rowsOutOfLine(t, ctx, "document"); got != "" {
					t.Errorf("%s, %s, narrow %v: %s", page, lang, narrow, got)
				}
			}
			step(t, ctx, "open the intranet page", chromedp.Navigate(host.URL+"/"))
			waitFor(t, ctx, "the compact cards", `[...document.querySelectorAll("language-card")].every(e => e.shadowRoot && e.shadowRoot.querySelector("article.card"))`)
			for i := range 5 {
				if got := rowsOutOfLine(t, ctx, `document.querySelectorAll("language-card")[`+string(rune('0'+i))+`].shadowRoot`); got != "" {
					t.Errorf("intranet card %d, %s, narrow %v: %s", i, lang, narrow, got)
				}
			}
			if narrow {
				noSidewaysScroll(t, ctx, "the intranet page at 320 px in "+lang)
			}
		}
		// Back to full width for the next language.
		if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
	}
}
