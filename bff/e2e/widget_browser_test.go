package e2e_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
)

// requireWidget fails (or, outside CI, skips) when the widget is not built.
func requireWidget(t *testing.T) {
	t.Helper()
	needs(t, widget)
}

// waitFor polls a JavaScript condition in the page until it holds,
// across navigations.
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithDeadline(ctx, deadline)
		_, err = chromedp.Run(sctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "navigated") && !strings.Contains(err.Error(), "context") && !strings.Contains(err.Error(), "Execution context") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText.slice(0, 1500) : document.body.innerText.slice(0, 800)`))
	t.Fatalf("waiting for %s (%s): %v\npage: %s", what, cond, err, state)
}

func js(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	return read(t, ctx, chromedp.Evaluate[string](expr))
}

// pick sets a form control as a person would, firing input and change.
func pick(t *testing.T, ctx context.Context, css, value string) {
	t.Helper()
	step(t, ctx, "pick "+value, chromedp.Evaluate[chromedp.Void](`(() => {
		const e = document.querySelector(`+strconv.Quote(css)+`);
		e.value = `+strconv.Quote(value)+`;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true}));
	})()`))
}

// typeText replaces a text field's content by typing.
func typeText(t *testing.T, ctx context.Context, css, text string) {
	t.Helper()
	reveal(t, ctx, css)
	step(t, ctx, "type "+text, chromedp.Evaluate[chromedp.Void](`document.querySelector(`+strconv.Quote(css)+`).select()`),
		chromedp.SendKeys(chromedp.CSS(css), kb.Delete+text))
}

// reveal opens the disclosures around css, as a person does before they
// type in what is behind one ("Add a language", "Language code and name
// on the profile"): each closed <details> around it, outermost first, by
// a click on its summary.
func reveal(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	step(t, ctx, "open what "+css+" is behind", chromedp.Evaluate[chromedp.Void](`(() => {
		const closed = [];
		for (let d = document.querySelector(`+strconv.Quote(css)+`).closest("details"); d; d = d.parentElement.closest("details")) if (!d.open) closed.unshift(d);
		closed.forEach(d => d.querySelector(":scope > summary").click());
	})()`))
}

func status(card string) string {
	return `((document.querySelector("` + card + ` .status") || {}).textContent || "")`
}

func signInBrowser(t *testing.T, h *harness, ctx context.Context, upn string) {
	t.Helper()
	step(t, ctx, "sign in", chromedp.Navigate(h.url+"/login?login_hint="+upn))
	waitFor(t, ctx, "the widget", `document.documentElement.hasAttribute("data-hydrated")`)
}

// cardStatus is what a card says after it closes ("Saved …").
func cardStatus(card string) string {
	return `((document.querySelector("` + card + ` .card-status") || {}).textContent || "")`
}

// openCard presses a card's Edit and waits for its form.
func openCard(t *testing.T, ctx context.Context, card string) {
	t.Helper()
	step(t, ctx, "edit "+card, chromedp.Click(chromedp.CSS(card+" a.edit")))
	waitFor(t, ctx, "the form of "+card, `document.querySelector("`+card+` .edit-area").hidden === false && document.activeElement === document.querySelector("`+card+`-language")`)
}

func TestBrowserWidget(t *testing.T) {
	requireWidget(t)
	h := newHarness(t)
	ctx := startChromium(t)
	card := "#lang-" + demo.ExampleID
	save := card + ` .card-form button[type=submit]`
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)

	// Read first: summaries; Edit opens one card with focus in it.
	if js(t, ctx, `String(document.querySelector("`+card+` .edit-area").hidden)`) != "true" {
		t.Error("a card opens as a form")
	}
	openCard(t, ctx, card)
	if js(t, ctx, `String(document.querySelector("`+save+`").disabled)`) != "false" {
		t.Error("Save is disabled: it must stay enabled and say what is wrong")
	}

	// Edit a level and the audience: Save sends only those, the card
	// closes, says so, and gives focus back to Edit.
	pick(t, ctx, card+"-spoken", "professionalWorking")
	pick(t, ctx, card+"-allowedAudiences", "everyone")
	screenshot(t, ctx, "editing.png")
	h.graph.ResetRequests()
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(save)))
	waitFor(t, ctx, "saved", cardStatus(card)+` === "Saved Norwegian Bokmål"`)
	if w := upstreamWrites(h); len(w) != 1 || w[0].Method != http.MethodPatch || !strings.Contains(string(w[0].Body), `"spoken":"professionalWorking"`) || !strings.Contains(string(w[0].Body), `"allowedAudiences":"everyone"`) || strings.Contains(string(w[0].Body), "tag") {
		t.Errorf("upstream %+v, want one PATCH of spoken and allowedAudiences only", w)
	}
	if got := js(t, ctx, `document.activeElement.matches("`+card+` a.edit") + " " + document.querySelector("`+card+` [data-for=spoken] .value").textContent + " " + document.querySelector("`+card+` .summary .audience").textContent`); got != "true Professional working Everyone can see this" {
		t.Errorf("after saving: %q", got)
	}
	step(t, ctx, "reload", chromedp.Reload())
	waitFor(t, ctx, "the widget", `document.documentElement.hasAttribute("data-hydrated")`)
	if got := js(t, ctx, `document.querySelector("`+card+`-spoken").value + " " + document.querySelector("`+card+`-allowedAudiences").value`); got != "professionalWorking everyone" {
		t.Errorf("after reload %q", got)
	}

	// The levels say what they mean: a sentence each, behind "What the
	// levels mean", describing every level field.
	openCard(t, ctx, card)
	got := js(t, ctx, `(() => {
		const help = document.querySelector("`+card+`-levels-help"), d = help.closest("details");
		const described = ["spoken", "written", "reading"].every(p => document.querySelector("`+card+`-" + p).getAttribute("aria-describedby").split(" ").includes(help.id));
		d.querySelector("summary").click();
		return [d.querySelector("summary").textContent, described, help.querySelectorAll("dt").length, help.querySelector("dt").textContent + ": " + help.querySelector("dd").textContent, help.getClientRects().length > 0].join(" | ");
	})()`)
	if got != "What the levels mean | true | 6 | Elementary: You can manage greetings, simple questions and everyday phrases. | true" {
		t.Errorf("the levels' explanation: %q", got)
	}
	checkAxe(t, ctx, "a card open with its levels explained")
	step(t, ctx, "cancel", chromedp.Click(chromedp.CSS(card+" a.cancel")))

	// An unknown code: the message once the person leaves the field (not
	// while they type), between the hint and the field, nothing sent.
	openCard(t, ctx, card)
	h.graph.ResetRequests()
	typeText(t, ctx, card+"-tag", "no-NB")
	seen := `(() => { const e = document.querySelector("` + card + `-tag-error"); return !e.hidden && getComputedStyle(e).visibility === "visible"; })()`
	if js(t, ctx, `String(`+seen+`)`) != "false" {
		t.Error("the tag's message shows while the person is still typing")
	}
	step(t, ctx, "leave the field", chromedp.KeyEvent(kb.Tab))
	waitFor(t, ctx, "the tag's message", seen)
	if got := js(t, ctx, `(() => { const f = document.querySelector("`+card+`-tag"), h = document.querySelector("`+card+`-tag-hint").getBoundingClientRect(), e = document.querySelector("`+card+`-tag-error").getBoundingClientRect(), i = f.getBoundingClientRect(); return String(h.bottom <= e.top + 1 && e.bottom <= i.top + 1); })()`); got != "true" {
		t.Error("the tag's message is not between its hint and its field")
	}
	step(t, ctx, "back to the field", chromedp.Evaluate[chromedp.Void](`document.querySelector("`+card+`-tag").focus()`))
	if got := js(t, ctx, `document.querySelector("`+card+`-tag-error").textContent`); got != "We don’t know the language code no-NB. Choose a language from the list" {
		t.Errorf("tag message %q", got)
	}
	if js(t, ctx, `document.querySelector("`+card+`-tag").getAttribute("aria-invalid")`) != "true" {
		t.Error("the invalid field is not marked")
	}
	step(t, ctx, "submit anyway", chromedp.Click(chromedp.CSS(save)))
	waitFor(t, ctx, "refusal", status(card)+`.startsWith("Not saved: 1 thing to fix")`)
	if got := js(t, ctx, `document.activeElement.id`); got != "lang-"+demo.ExampleID+"-tag" {
		t.Errorf("focus on %q, want the field at fault", got)
	}
	if n := len(h.graph.Requests()); n != 0 {
		t.Errorf("%d requests reached Graph for an invalid tag", n)
	}
	step(t, ctx, "cancel", chromedp.Click(chromedp.CSS(card+" a.cancel")))
	waitFor(t, ctx, "dropped", `document.querySelector("`+card+`-tag").value === "nb-NO"`)
	openCard(t, ctx, card)

	// The server refuses: the edit stays, the message sits beside its field.
	h.graph.Inject(graphfake.Fault{Status: 400, Code: "BadRequest", Target: "displayName", Message: "displayName is taken by another entry"})
	typeText(t, ctx, card+"-displayName", "Bokmål")
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(save)))
	waitFor(t, ctx, "the server's message", `document.querySelector("`+card+`-displayName-error").textContent.includes("did not accept")`)
	if strings.Contains(js(t, ctx, `document.body.textContent`), "taken by another entry") {
		t.Error("Graph's own words reached the person")
	}
	if got := js(t, ctx, `document.querySelector("`+card+`-displayName").value`); got != "Bokmål" {
		t.Errorf("the edit was lost: %q", got)
	}

	// Throttled: the widget counts down Retry-After and saves again.
	h.graph.ResetRequests()
	h.graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "3"})
	typeText(t, ctx, card+"-displayName", "Norsk bokmål")
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(save)))
	waitFor(t, ctx, "the countdown", status(card)+`.includes("Trying again in")`)
	waitFor(t, ctx, "saved after the countdown", cardStatus(card)+` === "Saved Norsk bokmål"`)
	if w := upstreamWrites(h); len(w) != 2 {
		t.Errorf("%d PATCHes, want the throttled one and its retry", len(w))
	}
	if got := js(t, ctx, `document.querySelector("`+card+` .card-title .name").textContent`); got != "Norsk bokmål" {
		t.Errorf("heading %q, want it re-rendered from the server's answer", got)
	}

	// A refusal a retry cannot change: a styled message that says what
	// happened first, the helpdesk's reference and the code under
	// Details, and no Try again.
	h.graph.Inject(graphfake.Fault{Status: 403, Code: "accessDenied", Message: "Insufficient privileges to complete the operation."})
	openCard(t, ctx, card)
	pick(t, ctx, card+"-reading", "limitedWorking")
	step(t, ctx, "save, refused", chromedp.Click(chromedp.CSS(save)))
	refused := `document.querySelector("` + card + ` .card-form .status")`
	waitFor(t, ctx, "the refusal", `!!`+refused+`.querySelector("details")`)
	got = js(t, ctx, `(() => { const s = `+refused+`, d = s.querySelector("details"); return [s.firstChild.textContent.trim(), d.querySelector("summary").textContent, d.open, [...d.querySelectorAll("p")].map(p => p.textContent).join(" / "), document.querySelector("`+card+` button.retry").hidden, getComputedStyle(s).backgroundColor].join(" | "); })()`)
	parts := strings.Split(got, " | ")
	if len(parts) != 6 || strings.Contains(parts[0], "Reference") || parts[0] == "" || parts[1] != "Details" || parts[2] != "false" ||
		!strings.Contains(parts[3], "Reference for your helpdesk: ") || !strings.Contains(parts[3], "Code: accessDenied") || parts[4] != "true" || parts[5] == "rgba(0, 0, 0, 0)" {
		t.Errorf("the refusal reads %q, want a first sentence, Details (closed) with the reference and the code, no Try again, a styled box", got)
	}
	// A failure a retry can change keeps Try again.
	h.graph.Inject(graphfake.Fault{Status: 502, Code: "badGateway"})
	step(t, ctx, "save, Graph unreachable", chromedp.Click(chromedp.CSS(save)))
	waitFor(t, ctx, "Try again", `!document.querySelector("`+card+` button.retry").hidden`)
	step(t, ctx, "cancel", chromedp.Click(chromedp.CSS(card+" a.cancel")))

	// Unsaved edits survive a reload: the card opens with them.
	openCard(t, ctx, card)
	pick(t, ctx, card+"-reading", "elementary")
	step(t, ctx, "reload", chromedp.Reload())
	waitFor(t, ctx, "the widget", `document.documentElement.hasAttribute("data-hydrated")`)
	if got := js(t, ctx, `document.querySelector("`+card+`-reading").value + " " + document.querySelector("`+card+` .edit-area").hidden`); got != "elementary false" {
		t.Errorf("reading after reload %q, want the unsaved edit restored in an open card", got)
	}
	waitFor(t, ctx, "restored notice", status(card)+`.includes("restored")`)
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(save)))
	waitFor(t, ctx, "saved", cardStatus(card)+`.startsWith("Saved")`)
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Reading; got != "elementary" {
		t.Errorf("reading on Graph %q", got)
	}

	// Add by name, typed in the language's own words: the code and the
	// name follow; focus goes to the new card.
	typeText(t, ctx, "#new-language", "svenska")
	step(t, ctx, "leave the field", chromedp.Evaluate[chromedp.Void](`document.querySelector("#new-language").dispatchEvent(new Event("change", {bubbles: true}))`))
	waitFor(t, ctx, "the code", `document.querySelector("#new-tag").value === "sv"`)
	// The code and the name on the profile are filled in from the choice,
	// behind their disclosure; the chips of the saved cards show a code
	// only where it says more than the name (nb-NO beside Norwegian
	// Bokmål; not en-US beside English (United States)).
	if got := js(t, ctx, `document.querySelector("#new-tag").closest("details.more").open + " " + [...document.querySelectorAll("section.cards .card-head .tag")].map(t => t.hidden ? "-" : t.textContent).join(",")`); got != "false nb-NO,-" {
		t.Errorf("the add form's details and the saved cards' codes: %q, want closed and nb-NO,-", got)
	}
	if got := js(t, ctx, `document.querySelector("#new-displayName").value`); got != "Swedish" {
		t.Errorf("suggested name %q", got)
	}
	pick(t, ctx, "#new-spoken", "conversational")
	pick(t, ctx, "#new-written", "elementary")
	pick(t, ctx, "#new-reading", "limitedWorking")
	step(t, ctx, "add", chromedp.Click(chromedp.CSS(".add button[type=submit]")))
	waitFor(t, ctx, "the new card", `document.querySelectorAll("section.cards article.card").length === 3`)
	langs := h.graph.Languages(demo.Innocenty.ID)
	added := "#lang-" + langs[len(langs)-1].ID
	if got := js(t, ctx, `document.querySelector("`+added+` .card-title .name").textContent + "|" + document.querySelector("`+added+`-tag").value + "|" + document.querySelector("#new-tag").value + "|" + document.activeElement.id + "|" + document.querySelector("#announcer").textContent`); got != "Swedish|sv||"+strings.TrimPrefix(added, "#")+"-heading|Added Swedish" {
		t.Errorf("new card %q, want it rendered from the server's answer, focused and announced, and the add form reset", got)
	}
	// "Added Swedish" shows on the new card, as "Saved French" does; its
	// code, which says no more than its name, is no chip.
	if got := js(t, ctx, `document.querySelector("`+added+` .card-status").textContent + "|" + document.querySelector("`+added+` .card-head .tag").hidden`); got != "Added Swedish|true" {
		t.Errorf("the new card shows %q, want Added Swedish and no code", got)
	}

	// Delete asks first, can be undone, then goes; focus moves on. The
	// undone delete's countdown would have ended before the one started
	// after it: once that one has gone, the undone one is known not sent
	// (no sleep standing in for the countdown).
	openCard(t, ctx, added)
	saveShown := func() string {
		return js(t, ctx, `String(document.querySelector("`+added+` .card-form button[type=submit]").getClientRects().length > 0)`)
	}
	step(t, ctx, "delete", chromedp.Click(chromedp.CSS(added+" button.start")))
	if saveShown() != "false" {
		t.Error("Save is offered while the delete is asked about")
	}
	step(t, ctx, "confirm", chromedp.Click(chromedp.CSS(added+" button.confirm")))
	if saveShown() != "false" {
		t.Error("Save is offered while the delete is counted down")
	}
	step(t, ctx, "undo", chromedp.Click(chromedp.CSS(added+" button.undo")))
	waitFor(t, ctx, "kept", status(added)+`.startsWith("Kept")`)
	// After Undo, focus is back on the card, and Save with it.
	if got := js(t, ctx, `document.activeElement.id + " " + (document.querySelector("`+added+` .card-form button[type=submit]").getClientRects().length > 0)`); got != strings.TrimPrefix(added, "#")+"-heading true" {
		t.Errorf("after Undo: focus and Save %q, want the card's heading and Save shown", got)
	}
	english := "#lang-5d1c0a7e-9b7c-4d0b-9a55-0c2f4d6b8e11"
	openCard(t, ctx, english)
	step(t, ctx, "delete English", chromedp.Click(chromedp.CSS(english+" button.start")))
	step(t, ctx, "confirm English", chromedp.Click(chromedp.CSS(english+" button.confirm")))
	waitFor(t, ctx, "English gone", `!document.querySelector("`+english+`")`)
	if got := h.graph.Languages(demo.Innocenty.ID); len(got) != 2 || got[1].ID != strings.TrimPrefix(added, "#lang-") {
		t.Fatalf("Graph holds %d languages after the later delete: the undone one was sent, or the later one was not", len(got))
	}
	step(t, ctx, "delete", chromedp.Click(chromedp.CSS(added+" button.start")))
	step(t, ctx, "confirm", chromedp.Click(chromedp.CSS(added+" button.confirm")))
	waitFor(t, ctx, "the card gone", `!document.querySelector("`+added+`")`)
	if got := js(t, ctx, `document.querySelector("#announcer").textContent + "|" + document.activeElement.id`); got != "Deleted Swedish|new-heading" {
		t.Errorf("after deleting %q", got)
	}
	if len(h.graph.Languages(demo.Innocenty.ID)) != 1 {
		t.Error("not deleted on Graph")
	}

	// Escape closes an open card without saving, and without losing the
	// edit: the card says it has it, Edit goes on with it, and Cancel (the
	// one way to drop edits) drops it. Twice Escape (the suggestions, then
	// the card) loses nothing either.
	openCard(t, ctx, card)
	pick(t, ctx, card+"-written", "conversational")
	step(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "closed", `document.querySelector("`+card+` .edit-area").hidden && document.activeElement.matches("`+card+` a.edit")`)
	if got := js(t, ctx, `document.querySelector("`+card+` .card-status").textContent === "Your unsaved changes to " + document.querySelector("`+card+` .card-title .name").textContent + " are kept. Press Edit to go on with them, or Cancel there to drop them." ? "said" : document.querySelector("`+card+` .card-status").textContent`); got != "said" {
		t.Errorf("after Escape with an edit, the card says %q", got)
	}
	openCard(t, ctx, card)
	if got := js(t, ctx, `document.querySelector("`+card+`-written").value`); got != "conversational" {
		t.Errorf("Escape lost the edit: written %q", got)
	}
	step(t, ctx, "cancel", chromedp.Click(chromedp.CSS(card+" a.cancel")))
	waitFor(t, ctx, "dropped", `document.querySelector("`+card+` .edit-area").hidden && document.querySelector("`+card+`-written").value === "nativeOrBilingual"`)

	// A phone: nothing scrolls sideways, reading or editing.
	phone(t, ctx)
	noSidewaysScroll(t, ctx, "the editor at 320 pixels")
	openCard(t, ctx, card)
	noSidewaysScroll(t, ctx, "an open card at 320 pixels")
	quietConsole(t, ctx)
}

// The browser's tag check and the server's agree on the shared vectors.
func TestBrowserTagVectors(t *testing.T) {
	requireWidget(t)
	h := newHarness(t)
	ctx := startChromium(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	data, err := os.ReadFile("../../bff/bcp47/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		In            string `json:"in"`
		Canonical     string `json:"canonical"`
		UnknownSubtag string `json:"unknownSubtag"`
		Invalid       bool   `json:"invalid"`
		ReplacedBy    string `json:"replacedBy"`
	}
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	for _, v := range vectors {
		pick(t, ctx, "#new-tag", v.In)
		// The person reads plain words; the rule broken is in data-detail.
		got := js(t, ctx, `document.querySelector("#new-tag").value + "|" + (document.querySelector("#new-tag-error").hidden ? "" : document.querySelector("#new-tag-error").dataset.detail)`)
		value, problem, _ := strings.Cut(got, "|")
		switch {
		case v.Canonical != "":
			if value != v.Canonical || problem != "" {
				t.Errorf("%q: the browser made %q with problem %q; the server makes %q", v.In, value, problem, v.Canonical)
			}
		case v.ReplacedBy != "":
			if problem != "replaced:"+v.ReplacedBy {
				t.Errorf("%q: the browser said %q; the server points to %q", v.In, problem, v.ReplacedBy)
			}
		case v.UnknownSubtag != "":
			if !strings.EqualFold(problem, "unknownSubtag:"+v.UnknownSubtag) && !strings.EqualFold(problem, "privateUse:"+v.UnknownSubtag) {
				t.Errorf("%q: the browser said %q; the server names the unknown subtag %q", v.In, problem, v.UnknownSubtag)
			}
		default:
			if problem == "" {
				t.Errorf("%q: the browser accepted it; the server refuses it", v.In)
			}
		}
	}
	quietConsole(t, ctx)
}

// A person using only the keyboard can change a level and save; and an
// expired session sends them through sign-in and back with the edit kept.
func TestBrowserKeyboardAndExpiredSession(t *testing.T) {
	requireWidget(t)
	h := newHarness(t)
	ctx := startChromium(t)
	card := "#lang-" + demo.ExampleID
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)

	step(t, ctx, "keyboard", chromedp.Focus(chromedp.CSS(card+" a.edit")), chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "the card open, focus in it", `document.activeElement === document.querySelector("`+card+`-language")`)
	// From the last level, Tab reaches what the levels mean, then who can
	// see it, then Save.
	step(t, ctx, "keyboard", chromedp.Focus(chromedp.CSS(card+"-reading")), chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.Tab))
	if got := js(t, ctx, `document.activeElement.matches("`+card+` .level-help summary") + ""`); got != "true" {
		t.Errorf("after the last level, Tab does not reach what the levels mean")
	}
	step(t, ctx, "two more tabs", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	if got := js(t, ctx, `document.activeElement.matches("`+card+` .card-form button[type=submit]") + " " + document.activeElement.disabled`); got != "true false" {
		t.Fatalf("after a level change and three tabs the focus is on Save and it is enabled? %s", got)
	}
	step(t, ctx, "enter", chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "saved", cardStatus(card)+`.startsWith("Saved")`)
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Reading; got != "fullProfessional" {
		t.Errorf("reading on Graph %q, want fullProfessional", got)
	}

	// The session ends on the server; the next save goes through sign-in.
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{h.url}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies.Cookies {
		if c.Name == "langcard" {
			if err := h.app.Sessions.Store.Delete(c.Value); err != nil {
				t.Fatal(err)
			}
		}
	}
	openCard(t, ctx, card)
	pick(t, ctx, card+"-written", "elementary")
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+" .card-form button[type=submit]")))
	waitFor(t, ctx, "back from sign-in with the edit restored", `document.documentElement.hasAttribute("data-hydrated") && document.querySelector("`+card+`-written").value === "elementary" && `+status(card)+`.includes("restored")`)
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+" .card-form button[type=submit]")))
	waitFor(t, ctx, "saved", cardStatus(card)+`.startsWith("Saved")`)
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Written; got != "elementary" {
		t.Errorf("written on Graph %q", got)
	}
	quietConsole(t, ctx)
}

// Unsaved edits kept in the browser go at sign-out, on langcard's page and
// on an intranet page (docs/security.md, rule 21).
func TestBrowserDraftsGoAtSignOut(t *testing.T) {
	requireWidget(t)
	host, h, ctx := onIntranet(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	card := "#lang-" + demo.ExampleID
	waitFor(t, ctx, "hydrated", `!!document.querySelector("[data-hydrated]")`)
	openCard(t, ctx, card)
	typeText(t, ctx, card+"-displayName", "Bokmål, unsaved")
	drafts := `String(Object.keys(localStorage).filter(k => k.startsWith("langcard:draft:")).length)`
	if got := js(t, ctx, drafts); got != "1" {
		t.Fatalf("%s drafts while editing, want 1", got)
	}
	step(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	waitFor(t, ctx, "signed out", `location.pathname === "/" && !!document.querySelector("a[href^='/login']")`)
	if got := js(t, ctx, drafts); got != "0" {
		t.Errorf("%s drafts after sign-out, want 0", got)
	}

	// On an intranet page, a signed-out card removes what someone left.
	step(t, ctx, "leave a draft on the intranet origin", chromedp.Navigate(host.URL+"/"),
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("langcard:draft:someone:/api/me/languages:x", "{}")`),
		chromedp.Reload())
	waitFor(t, ctx, "the sign-in link", inCard(0, `!!(c && c.querySelector("a.button"))`))
	if got := js(t, ctx, drafts); got != "0" {
		t.Errorf("%s drafts on the intranet page signed out, want 0", got)
	}
}

// A save in the widget still shows after a reload while Graph's lists lag
// behind the write.
func TestBrowserWidgetSaveShowsWhileListsLag(t *testing.T) {
	requireWidget(t)
	h := newHarness(t)
	h.graph.SetLag(time.Hour)
	ctx := startChromium(t)
	signInBrowser(t, h, ctx, demo.Innocenty.UPN)
	card := "#lang-" + demo.ExampleID
	openCard(t, ctx, card)
	pick(t, ctx, card+"-written", "limitedWorking")
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(card+` .card-form button[type=submit]`)))
	waitFor(t, ctx, "saved", cardStatus(card)+`.startsWith("Saved")`)
	step(t, ctx, "reload", chromedp.Reload())
	waitFor(t, ctx, "the widget", `document.documentElement.hasAttribute("data-hydrated")`)
	if got := js(t, ctx, `document.querySelector("`+card+`-written").value`); got != "limitedWorking" {
		t.Errorf("after a reload the card shows %q, want the saved limitedWorking", got)
	}
	quietConsole(t, ctx)
}
