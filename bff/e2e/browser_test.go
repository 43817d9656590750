package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"langcard/bff/demo"
	"langcard/bff/dev/chromium"
)

// chromium starts Debian's chromium headless, with the flags it needs as
// root on a closed network, in a fresh profile. Without a browser the test
// is skipped, except under CI=true, where that is a failure.
func startChromium(t *testing.T, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	needs(t, chromiumTool)
	path := chromium.Path()
	opts := append(chromium.Options(path, t.TempDir()), flags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	// Keep what every page logs, so a test can tell that the widget did not
	// panic (a Go panic stops it for good).
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: consoleTrap}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

const consoleTrap = `window.__logged = [];
for (const k of ["error", "warn", "log"]) {
	const orig = console[k];
	console[k] = (...a) => { window.__logged.push(k + ": " + a.map(String).join(" ")); orig.apply(console, a); };
}
window.addEventListener("error", e => window.__logged.push("uncaught: " + e.message));`

// quietConsole fails the test when the current page logged anything.
func quietConsole(t *testing.T, ctx context.Context) {
	t.Helper()
	if got := read(t, ctx, chromedp.Evaluate[string](`(window.__logged || []).join("\n")`)); got != "" {
		t.Errorf("the page logged:\n%s", got)
	}
}

// step runs browser actions with a deadline, failing the test on error.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// submit clicks a submit button and waits for the page it leads to.
func submit(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(sctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		t.Fatalf("submitting %s: %v", css, err)
	}
}

// screenshot saves the page under $LANGCARD_SCREENSHOTS (make screenshots).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LANGCARD_SCREENSHOTS")
	png := read(t, ctx, chromedp.FullScreenshot(100))
	if len(png) < 1000 {
		t.Fatalf("screenshot of %d bytes", len(png))
	}
	if dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Everything the form fallback offers works with JavaScript switched off:
// read first, Edit opens one card (a link), a language chosen by name,
// errors summarised and focused, at 1280 and 320 pixels.
func TestBrowserNoJavaScript(t *testing.T) {
	h := newHarness(t)
	ctx := startChromium(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	card := "#lang-" + demo.ExampleID

	step(t, ctx, "open the sign-in page", chromedp.Navigate(h.url+"/"), chromedp.WaitVisible(chromedp.CSS("a.button.primary")))
	screenshot(t, ctx, "signin.png")
	submit(t, ctx, `a[href*="login_hint=innocenty"]`)
	step(t, ctx, "see the editor", chromedp.WaitVisible(chromedp.CSS(card)))
	if got := read(t, ctx, chromedp.Text(chromedp.CSS("h1"))); got != "Your languages" {
		t.Fatalf("heading %q", got)
	}
	// Read first: the summary in words, no form, an Edit named after the language.
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(card+" .summary"))); !strings.Contains(got, "Native or bilingual") || !strings.Contains(got, "Your organization can see this") {
		t.Errorf("summary %q", got)
	}
	if visible(t, ctx, card+" .card-form") {
		t.Error("the card opens as a form")
	}
	// Adding is behind one button (a disclosure: it needs no script).
	if js(t, ctx, `String(document.querySelector("section.add details").open)`) != "false" || !visible(t, ctx, "summary#new-heading") {
		t.Error("the form to add a language is open before anyone asked for it")
	}
	// The forms the page sends after its cards (in a <noscript>, for
	// browsers running scripts) are elements here, the one to add shown.
	if got := read(t, ctx, chromedp.Evaluate[string](`document.querySelectorAll("noscript.later form.card-form").length + " " + document.querySelectorAll("form.card-form").length`)); got == "" || strings.HasPrefix(got, "0 ") || strings.Fields(got)[0] != strings.Fields(got)[1] {
		t.Errorf("forms sent later, of all: %q", got)
	}
	if !visible(t, ctx, "section.add form.card-form") || visible(t, ctx, ".add-fallback") {
		t.Error("no form to add a language, or a link to it (for a browser running scripts)")
	}
	if got := read(t, ctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector("`+card+` a.edit"); return a.textContent.replace(/\s+/g, " ").trim(); })()`)); got != "Edit Norwegian Bokmål" {
		t.Errorf("Edit's accessible text %q", got)
	}

	// Edit opens that card alone; a level and the audience, saved.
	submit(t, ctx, card+" a.edit")
	if !visible(t, ctx, card+" .card-form") || visible(t, ctx, card+" .summary") {
		t.Fatal("Edit does not open the card's form")
	}
	step(t, ctx, "edit", chromedp.SetValue(chromedp.CSS(card+"-spoken"), "fullProfessional"), chromedp.SetValue(chromedp.CSS(card+"-allowedAudiences"), "everyone"))
	submit(t, ctx, card+" .card-form button[type=submit]")
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); got != "Saved Norwegian Bokmål." {
		t.Errorf("notice %q", got)
	}
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(card+` [data-for="spoken"] .value`))); got != "Full professional" {
		t.Errorf("spoken after saving %q", got)
	}
	screenshot(t, ctx, "editor.png")

	// A language nobody knows, and a level cleared: the page says so, in
	// words, with a summary focused and a title starting "Error:".
	h.graph.ResetRequests()
	submit(t, ctx, card+" a.edit")
	step(t, ctx, "type a bad language", chromedp.SetValue(chromedp.CSS(card+"-language"), "Klingonese"), chromedp.SetValue(chromedp.CSS(card+"-written"), "elementary"))
	submit(t, ctx, card+" .card-form button[type=submit]")
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(card+"-language-error"))); got != "We don’t know the language “Klingonese”. Choose a language from the list" {
		t.Errorf("language error %q", got)
	}
	if got := read(t, ctx, chromedp.Evaluate[string](`document.title`)); !strings.HasPrefix(got, "Error: ") {
		t.Errorf("title %q", got)
	}
	if got := read(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); got != "problems" {
		t.Errorf("focus on %q, want the error summary", got)
	}
	if got := read(t, ctx, chromedp.Value(chromedp.CSS(card+"-written"))); got != "elementary" {
		t.Errorf("written input after refusal %q", got)
	}
	if got := read(t, ctx, chromedp.Value(chromedp.CSS(card+"-language"))); got != "Klingonese" {
		t.Errorf("the language typed was not kept after the refusal: %q", got)
	}
	screenshot(t, ctx, "editor-invalid.png")
	if w := upstreamWrites(h); len(w) != 0 {
		t.Errorf("a refused form reached Graph: %+v", w)
	}
	noSidewaysScroll(t, ctx, "the refused form")

	// Add by name, in the language's own words; the name is suggested.
	// Adding is behind one button, which opens the form without
	// JavaScript too (a disclosure).
	if js(t, ctx, `String(document.querySelector("section.add details").open)`) != "true" {
		step(t, ctx, "Add a language", chromedp.Click(chromedp.CSS("#new-heading")))
	}
	step(t, ctx, "fill the new card",
		chromedp.SetValue(chromedp.CSS("#new-language"), "svenska"),
		chromedp.SetValue(chromedp.CSS("#new-spoken"), "conversational"), chromedp.SetValue(chromedp.CSS("#new-written"), "elementary"))
	submit(t, ctx, ".add button[type=submit]")
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); got != "Added Swedish." {
		t.Fatalf("notice %q", got)
	}
	langs := h.graph.Languages(demo.Innocenty.ID)
	if last := langs[len(langs)-1]; last.Tag != "sv" || last.DisplayName != "Swedish" {
		t.Errorf("added %q %q, want sv, Swedish", last.Tag, last.DisplayName)
	}
	swedish := "#lang-" + langs[len(langs)-1].ID
	submit(t, ctx, swedish+" a.edit")
	submit(t, ctx, swedish+" form.delete button")
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); got != "Language deleted." {
		t.Errorf("notice %q", got)
	}
	step(t, ctx, "the card is gone", chromedp.WaitNotPresent(chromedp.CSS(swedish)))

	// A phone: nothing scrolls sideways.
	phone(t, ctx)
	step(t, ctx, "reload narrow", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(card)))
	noSidewaysScroll(t, ctx, "the editor")
	submit(t, ctx, card+" a.edit")
	noSidewaysScroll(t, ctx, "the editor, editing")
	screenshot(t, ctx, "phone.png")

	// Sign out.
	submit(t, ctx, "header form button")
	step(t, ctx, "signed out", chromedp.WaitVisible(chromedp.CSS("a.button.primary")))
	if got := read(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); got != "You have signed out." {
		t.Errorf("after sign-out %q", got)
	}
	noSidewaysScroll(t, ctx, "the sign-in page")
}

// visible reports whether an element is rendered.
func visible(t *testing.T, ctx context.Context, css string) bool {
	t.Helper()
	return read(t, ctx, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+jsString(css)+`); return !!e && e.getClientRects().length > 0; })()`))
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// phone makes the window 320 CSS pixels wide.
func phone(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 320, Height: 800, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		t.Fatal(err)
	}
}

// noSidewaysScroll fails when the page is wider than its window, naming
// the widest element that sticks out.
func noSidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	got := read(t, ctx, chromedp.Evaluate[string](`(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return "";
		let worst = "";
		for (const e of document.querySelectorAll("body *")) {
			const r = e.getBoundingClientRect();
			if (r.right > w + 0.5 && e.getClientRects().length) worst = e.tagName + "." + e.className + "#" + e.id + " right " + Math.round(r.right);
		}
		return "page " + document.documentElement.scrollWidth + "px wide in " + w + "px; " + worst;
	})()`))
	if got != "" {
		t.Errorf("%s scrolls sideways: %s", what, got)
	}
}

// ciMode is true under CI, where browser tests may not skip.
func ciMode() bool { return os.Getenv("CI") == "true" }
