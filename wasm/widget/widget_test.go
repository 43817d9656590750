package widget

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"langcard/templates"
	"langcard/templates/i18n"
	"langcard/wasm/dom"
	"langcard/web/langprof"
)

const nbID = "0fb4c1e3-c1e3-0fb4-e3c1-b40fe3c1b40f"

var nbLP = langprof.LanguageProficiency{ID: nbID, Tag: "nb-NO", DisplayName: "Norwegian Bokmål", Spoken: langprof.NativeOrBilingual,
	Written: langprof.NativeOrBilingual, Reading: langprof.NativeOrBilingual, AllowedAudiences: langprof.Organization}

var nb = langprof.ValuesOf(nbLP)

const nbName = "Norwegian Bokmål"

// page renders the real editor page, as the server does.
func page(t *testing.T, base string) string {
	t.Helper()
	var b strings.Builder
	L := i18n.English()
	e := templates.Editor{Profile: templates.Profile{
		Chrome: templates.Chrome{L: L, Viewer: "Innocenty Popov", ViewerID: "db789417"}, Subject: "Innocenty Popov", Base: base,
		Cards: []templates.Card{templates.CardOf(L, nbLP)},
		New:   templates.Card{Values: langprof.ValuesOf(langprof.LanguageProficiency{AllowedAudiences: langprof.Organization})},
	}}
	if err := templates.EditorPage(e).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

type fixture struct {
	t *testing.T
	b *fakeBrowser
	w *Widget
}

func hydrate(t *testing.T, base string) *fixture {
	t.Helper()
	b := newFakeBrowser(page(t, base))
	return hydrateIn(t, b)
}

func hydrateIn(t *testing.T, b *fakeBrowser) *fixture {
	t.Helper()
	widgets = nil // each test is a page of its own
	w := Hydrate(b, b.Document())
	if w == nil {
		t.Fatal("Hydrate found no editor")
	}
	return &fixture{t, b, w}
}

func (f *fixture) el(sel string) dom.Node {
	f.t.Helper()
	n := f.b.Document().Query(sel)
	if n == nil {
		f.t.Fatalf("no element %s", sel)
	}
	return n
}

// set changes a field as a person does: the value, then input and change.
func (f *fixture) set(sel, value string) {
	f.t.Helper()
	n := f.el(sel)
	n.SetValue(value)
	f.b.doc.fire(n, "input")
	f.b.doc.fire(n, "change")
}

func (f *fixture) typeText(sel, value string) {
	f.t.Helper()
	n := f.el(sel)
	n.SetValue(value)
	f.b.doc.fire(n, "input")
}

func (f *fixture) text(sel string) string { return f.el(sel).(fnode).Text() }

func (f *fixture) hidden(sel string) bool { _, ok := attr(f.el(sel).(fnode).n, "hidden"); return ok }

func (f *fixture) disabled(sel string) bool {
	_, ok := attr(f.el(sel).(fnode).n, "disabled")
	return ok
}

func (f *fixture) submit(formSel string) {
	f.t.Helper()
	if !f.b.doc.fire(f.el(formSel), "submit") {
		f.t.Fatal("the widget let the form submit itself")
	}
}

func (f *fixture) click(sel string) { f.b.doc.fire(f.el(sel), "click") }

func (f *fixture) focused() string {
	if f.b.doc.focused == nil {
		return ""
	}
	v, _ := attr(f.b.doc.focused, "id")
	if v == "" {
		v, _ = attr(f.b.doc.focused, "class")
	}
	return v
}

// edit opens a card as the loader does when a person presses its Edit
// (the browser tests press it).
func (f *fixture) edit(card string) {
	f.t.Helper()
	f.b.UI("open", f.el(card), "")
}

// asked is what the widget asked of the loader for a card, last first.
func (f *fixture) asked(card, action string) string {
	calls := f.b.ui[strings.TrimPrefix(card, "#")]
	for i := len(calls) - 1; i >= 0; i-- {
		if a, arg, _ := strings.Cut(calls[i], " "); a == action {
			return arg
		}
	}
	return ""
}

const card = "#lang-" + nbID

func body(t *testing.T, f *fetch) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal([]byte(f.body), &m); err != nil {
		t.Fatalf("body %q: %v", f.body, err)
	}
	return m
}

func TestHydrateTakesOverTheServersMarkup(t *testing.T) {
	f := hydrate(t, "")
	if f.disabled(card+" button[type=submit]") || f.disabled(".add button[type=submit]") {
		t.Error("a disabled button: Save and Add stay enabled and say what is wrong when pressed")
	}
	if !f.hidden(card+" .edit-area") || f.hidden(card+" .summary") {
		t.Error("a card does not start as its summary")
	}
	if _, ok := attr(f.b.Document().(fnode).n, "data-hydrated"); !ok || strings.Join(f.b.marks, ",") != "langcard-hydrated" {
		t.Errorf("hydration not marked: %v", f.b.marks)
	}
	if len(f.b.fetches) != 0 {
		t.Errorf("hydrating fetched %d times; the markup has all it needs", len(f.b.fetches))
	}
}

// Cancel (the loader's, which tells the widget with "langcard-cancel")
// drops the card's unsaved edits and their draft.
func TestCancelDropsEdits(t *testing.T) {
	f := hydrate(t, "")
	f.edit(card)
	if got := f.el(card + "-language").Value(); got != "Norwegian Bokmål (Norway)" {
		t.Errorf("language field %q", got)
	}
	f.set(card+"-spoken", "elementary")
	if len(f.b.store) != 1 {
		t.Fatal("no draft kept while editing")
	}
	f.b.doc.fire(f.el(card+" form.card-form"), "langcard-cancel")
	if f.el(card+"-spoken").Value() != "nativeOrBilingual" || len(f.b.store) != 0 {
		t.Error("Cancel kept the edit or its draft")
	}
}

func TestSaveSendsOnlyChanges(t *testing.T) {
	f := hydrate(t, "")
	f.edit(card)
	f.set(card+"-spoken", "conversational")
	if f.hidden(card + " a.cancel") {
		t.Error("no way to drop the change")
	}
	f.submit(card + " form.card-form")
	if len(f.b.fetches) != 1 {
		t.Fatalf("%d fetches", len(f.b.fetches))
	}
	req := f.b.fetches[0]
	if req.method != "PATCH" || req.url != "/api/me/languages/"+nbID {
		t.Errorf("%s %s", req.method, req.url)
	}
	if got := body(t, req); len(got) != 1 || got["spoken"] != "conversational" {
		t.Errorf("body %v, want spoken alone", got)
	}
	if f.text(card+" .status") != "Saving…" {
		t.Error("saving is not announced")
	}
	f.submit(card + " form.card-form")
	if len(f.b.fetches) != 1 {
		t.Error("a second Save while saving sent again")
	}
	f.b.respond(200, "", `{"id":"`+nbID+`","tag":"nb-NO","displayName":"Norsk bokmål","spoken":"conversational","written":"nativeOrBilingual","reading":"nativeOrBilingual","allowedAudiences":"everyone"}`)
	// The card closes saying so, and shows the server's answer.
	if got := f.asked(card, "saved"); got != "Saved Norsk bokmål" {
		t.Errorf("the card closed saying %q", got)
	}
	if got := f.asked(card, "summary"); got != `{"allowedAudiences":"everyone","displayName":"Norsk bokmål","reading":"nativeOrBilingual","spoken":"conversational","tag":"nb-NO","written":"nativeOrBilingual"}` {
		t.Errorf("summary of %s", got)
	}
	if f.el(card+"-displayName").Value() != "Norsk bokmål" || f.el(card+` [name="orig.spoken"]`).Value() != "conversational" {
		t.Error("the form does not hold the server's answer")
	}
	if len(f.b.store) != 0 {
		t.Errorf("a draft outlived the save: %v", f.b.store)
	}
	f.edit(card)
	f.submit(card + " form.card-form")
	if len(f.b.fetches) != 0 || f.text(card+" .status") != "Nothing to save: nothing was changed." {
		t.Errorf("saving nothing: %d fetches, status %q", len(f.b.fetches), f.text(card+" .status"))
	}
}

func TestInvalidInputIsShownAndNotSent(t *testing.T) {
	f := hydrate(t, "")
	f.edit(card)
	f.typeText(card+"-tag", "no-NB")
	if f.hidden(card+"-tag-error") || f.text(card+"-tag-error") != "We don’t know the language code no-NB. Choose a language from the list" {
		t.Fatalf("tag message %q hidden=%v", f.text(card+"-tag-error"), f.hidden(card+"-tag-error"))
	}
	if f.el(card+"-tag").Attr("aria-invalid") != "true" {
		t.Error("the field is not marked invalid")
	}
	f.set(card+"-written", "fluent")
	if got := f.text(card + "-written-error"); got != "Choose how well you write Norwegian Bokmål" {
		t.Errorf("written message %q", got)
	}
	f.submit(card + " form.card-form")
	if len(f.b.fetches) != 0 {
		t.Error("invalid input was sent")
	}
	if got := f.text(card + " .status"); got != "Not saved: 2 things to fix. We don’t know the language code no-NB. Choose a language from the list." {
		t.Errorf("status %q", got)
	}
	if f.focused() != "lang-"+nbID+"-tag" {
		t.Errorf("focus on %q, want the first field at fault", f.focused())
	}
	// Fixing it clears the message.
	f.set(card+"-tag", "en-us")
	f.set(card+"-written", "elementary")
	if !f.hidden(card+"-tag-error") || f.el(card+"-tag").Value() != "en-US" || f.el(card+"-language").Value() != "English (United States)" {
		t.Errorf("after fixing: error hidden=%v, tag %q, language %q", f.hidden(card+"-tag-error"), f.el(card+"-tag").Value(), f.el(card+"-language").Value())
	}
}

// The language is chosen by name (in English or its own), or by code, from
// the page's list; the name is suggested from it unless typed by hand; a
// name the list does not know is said to be unknown.
func TestLanguageByName(t *testing.T) {
	f := hydrate(t, "")
	for _, c := range [][2]string{{"French", "fr"}, {"norsk bokmål", "nb"}, {"NORSK BOKMAL", "nb"}, {"de", "de"}, {"Deutsch", "de"}} {
		typed, tag := c[0], c[1]
		f.set("#new-language", typed)
		if got := f.el("#new-tag").Value(); got != tag {
			t.Errorf("typed %q: tag %q, want %q", typed, got, tag)
		}
	}
	if got := f.el("#new-displayName").Value(); got != "German" {
		t.Errorf("suggested name %q", got)
	}
	f.typeText("#new-displayName", "Tysk")
	f.set("#new-language", "Swedish")
	if f.el("#new-displayName").Value() != "Tysk" || f.el("#new-tag").Value() != "sv" {
		t.Error("a typed name was replaced, or the tag not set")
	}
	f.set("#new-language", "Klingonese")
	if got := f.text("#new-language-error"); got != "We don’t know the language “Klingonese”. Choose a language from the list" {
		t.Errorf("unknown language: %q", got)
	}
	f.submit(".add form.card-form")
	if len(f.b.fetches) != 0 || f.focused() != "new-language" {
		t.Errorf("an unknown language: %d fetches, focus %q", len(f.b.fetches), f.focused())
	}
}

func TestFailuresKeepEdits(t *testing.T) {
	f := hydrate(t, "")
	f.edit(card)
	f.typeText(card+"-displayName", "Bokmål")
	f.submit(card + " form.card-form")
	f.b.respond(400, "", `{"error":{"code":"invalidRequest","message":"x","details":[{"code":"invalidValue","target":"displayName","message":"displayName is taken"}]}}`)
	if f.text(card+"-displayName-error") != "Microsoft 365 did not accept this. Choose another value" || f.el(card+"-displayName").Value() != "Bokmål" || f.hidden(card+" button.retry") {
		t.Errorf("after a 400: message %q, value %q", f.text(card+"-displayName-error"), f.el(card+"-displayName").Value())
	}
	if f.hidden(card + " .edit-area") {
		t.Error("a refused save closed the card")
	}
	// The server's message goes when the field changes.
	f.typeText(card+"-displayName", "Bokmål (Norge)")
	if !f.hidden(card + "-displayName-error") {
		t.Error("a stale server message stays")
	}

	f.submit(card + " form.card-form")
	f.b.fetches[0].done(dom.Response{Err: errNetwork{}})
	f.b.fetches = nil
	if !strings.Contains(f.text(card+" .status"), "could not be reached") || f.hidden(card+" button.retry") {
		t.Errorf("network failure: %q", f.text(card+" .status"))
	}
	f.click(card + " button.retry")
	if len(f.b.fetches) != 1 {
		t.Fatal("Retry sent nothing")
	}
	f.b.respond(502, "", `{"error":{"code":"badGateway","message":"Microsoft 365 failed."}}`)
	if got := f.text(card + " .status"); got != "Microsoft 365 failed." {
		t.Errorf("status %q", got)
	}
	if f.el(card+"-displayName").Value() != "Bokmål (Norge)" {
		t.Error("the edit was lost")
	}
}

type errNetwork struct{}

func (errNetwork) Error() string { return "TypeError: Failed to fetch" }

// Throttled: the loader counts Retry-After down (the browser tests watch
// it), then asks for the save again; the widget sends the same changes.
func TestThrottledSaveCountsDown(t *testing.T) {
	f := hydrate(t, "")
	f.edit(card)
	f.set(card+"-reading", "elementary")
	f.submit(card + " form.card-form")
	f.b.respond(429, "3", `{"error":{"code":"TooManyRequests","message":"busy"}}`)
	if got := f.asked(card, "countdown"); got != "3" || f.hidden(card+" button.retry") {
		t.Errorf("countdown of %q, Retry hidden %v", got, f.hidden(card+" button.retry"))
	}
	if len(f.b.fetches) != 0 {
		t.Fatal("saved again before the countdown ended")
	}
	f.b.doc.fire(f.el(card+" form.card-form"), "langcard-retry")
	if len(f.b.fetches) != 1 || body(t, f.b.fetches[0])["reading"] != "elementary" {
		t.Fatalf("after the countdown: %d fetches", len(f.b.fetches))
	}
}

func TestExpiredSessionKeepsEditsThroughSignIn(t *testing.T) {
	f := hydrate(t, "")
	f.b.path = "/?x=1"
	f.edit(card)
	f.set(card+"-written", "elementary")
	f.submit(card + " form.card-form")
	f.b.respond(401, "", `{"error":{"code":"unauthenticated","message":"Sign in again."}}`)
	if f.b.went != "/login?returnTo=/%3Fx%3D1" {
		t.Errorf("went to %q", f.b.went)
	}
	// Back from sign-in: a new page, the same storage; the card opens
	// with the edit in it.
	b := newFakeBrowser(page(t, ""))
	b.store = f.b.store
	g := hydrateIn(t, b)
	if g.el(card+"-written").Value() != "elementary" || !strings.Contains(g.text(card+" .status"), "restored") || g.hidden(card+" .edit-area") {
		t.Errorf("after sign-in: written %q, status %q", g.el(card+"-written").Value(), g.text(card+" .status"))
	}
	g.b.doc.fire(g.el(card+" form.card-form"), "langcard-cancel") // Cancel, the one way to drop edits
	if g.el(card+"-written").Value() != "nativeOrBilingual" || len(g.b.store) != 0 {
		t.Error("Cancel did not restore the saved values and forget the draft")
	}
}

// A draft restores only what the person changed: a field someone else
// changed meanwhile keeps its new saved value.
func TestDraftRestoresOnlyEdits(t *testing.T) {
	f := hydrate(t, "")
	f.set(card+"-written", "elementary")
	b := newFakeBrowser(strings.Replace(page(t, ""), `value="organization" selected`, `value="everyone" selected`, 1))
	b.store = f.b.store
	g := hydrateIn(t, b)
	if g.el(card+"-written").Value() != "elementary" {
		t.Error("the edit was not restored")
	}
	if got := g.el(card + "-allowedAudiences").Value(); got != "everyone" {
		t.Errorf("audience %q: the draft overwrote a change made elsewhere", got)
	}
}

func TestAddMakesACardAndFocusesIt(t *testing.T) {
	f := hydrate(t, "/users/megan.bowen@contoso.example")
	f.typeText("#new-tag", "sv-SE")
	if got := f.el("#new-displayName").Value(); got != "" && got != "Swedish (Sweden)" {
		t.Errorf("suggested %q", got)
	}
	f.typeText("#new-displayName", "Svenska")
	f.typeText("#new-tag", "fr")
	if got := f.el("#new-displayName").Value(); got != "Svenska" {
		t.Errorf("a typed name was replaced by %q", got)
	}
	if !f.hidden("#new-spoken-error") {
		t.Error("levels are optional: a language and a name are enough to add one")
	}
	f.set("#new-written", "elementary")
	f.submit(".add form.card-form")
	req := f.b.fetches[0]
	sent := body(t, req)
	if req.method != "POST" || req.url != "/api/users/megan.bowen@contoso.example/languages?idempotency=key-1-abcdef" || len(sent) != 4 || sent["written"] != "elementary" {
		t.Fatalf("%s %s %s: want tag, displayName, written and allowedAudiences, and no unset level", req.method, req.url, req.body)
	}
	f.b.respond(201, "", `{"id":"new-1","tag":"fr","displayName":"Svenska","spoken":null,"written":"elementary","reading":null,"allowedAudiences":"organization"}`)
	added := "#lang-new-1"
	if f.el(added+"-tag").Value() != "fr" || f.el(added+" form.card-form label").Attr("for") != "lang-new-1-language" {
		t.Error("the new card is not filled from the server's answer, or kept the template's ids")
	}
	if got := f.asked(added, "summary"); got != `{"allowedAudiences":"organization","displayName":"Svenska","reading":"","spoken":"","tag":"fr","written":"elementary"}` {
		t.Errorf("the new card's summary: %s", got)
	}
	if f.el(added+" form.card-form").Attr("action") != "/users/megan.bowen@contoso.example/languages/new-1" {
		t.Errorf("form action %q", f.el(added+" form.card-form").Attr("action"))
	}
	if f.focused() != "lang-new-1-heading" || f.text("#announcer") != "Added Svenska" {
		t.Errorf("after adding: focus %q, announced %q", f.focused(), f.text("#announcer"))
	}
	if f.el("#new-tag").Value() != "" || f.el("#new-displayName").Value() != "" || f.el("#new-language").Value() != "" {
		t.Error("the add form was not reset")
	}
	// The new card works like the others.
	f.edit(added)
	f.set(added+"-spoken", "conversational")
	f.submit(added + " form.card-form")
	if r := f.b.fetches[0]; r.method != "PATCH" || r.url != "/api/users/megan.bowen@contoso.example/languages/new-1" {
		t.Errorf("%s %s", r.method, r.url)
	}
}

// Every try of one add carries the same idempotency key, so that the BFF
// never adds it twice however often it is retried; the next add, or one
// discarded, gets a new one.
func TestAddRetriesWithTheSameKey(t *testing.T) {
	f := hydrate(t, "")
	f.typeText("#new-tag", "fr")
	f.typeText("#new-displayName", "Français")
	var urls []string
	for _, status := range []int{503, 0} {
		f.submit(".add form.card-form")
		urls = append(urls, f.b.fetches[0].url)
		if status == 0 {
			fetch := f.b.fetches[0]
			f.b.fetches = f.b.fetches[1:]
			fetch.done(dom.Response{Err: errNetwork{}}) // the answer lost
		} else {
			f.b.respond(status, "1", `{"error":{"code":"serviceNotAvailable","message":"busy"}}`)
		}
	}
	f.submit(".add form.card-form")
	urls = append(urls, f.b.fetches[0].url)
	f.b.respond(201, "", `{"id":"new-1","tag":"fr","displayName":"Français","allowedAudiences":"organization"}`)
	f.typeText("#new-tag", "de")
	f.typeText("#new-displayName", "Deutsch")
	f.submit(".add form.card-form")
	urls = append(urls, f.b.fetches[0].url)
	want := []string{"/api/me/languages?idempotency=key-1-abcdef", "/api/me/languages?idempotency=key-1-abcdef", "/api/me/languages?idempotency=key-1-abcdef", "/api/me/languages?idempotency=key-2-abcdef"}
	if strings.Join(urls, " ") != strings.Join(want, " ") {
		t.Errorf("adds sent to %q, want %q", urls, want)
	}
}

// The loader asks before a delete and offers Undo (the browser tests
// press its buttons); when the window has passed, the widget sends it,
// removes the card, says so and moves focus on; a refusal puts Delete back.
func TestDeleteSendsWhenTheLoaderSays(t *testing.T) {
	f := hydrate(t, "")
	f.b.doc.fire(f.el(card+" form.delete"), "langcard-delete")
	if len(f.b.fetches) != 1 || f.b.fetches[0].method != "DELETE" || f.b.fetches[0].url != "/api/me/languages/"+nbID {
		t.Fatalf("fetches %v", f.b.fetches)
	}
	f.b.respond(502, "", `{"error":{"code":"badGateway","message":"Microsoft 365 failed."}}`)
	if got := f.asked(card, "deleteFailed"); got != "Not deleted: Microsoft 365 failed." || f.b.Document().Query(card) == nil {
		t.Errorf("a refused delete: %q", got)
	}
	f.b.doc.fire(f.el(card+" form.delete"), "langcard-delete")
	f.b.respond(204, "", "")
	if f.b.Document().Query(card) != nil {
		t.Error("the card stayed")
	}
	if got := f.text("#announcer"); got != "Deleted Norwegian Bokmål" {
		t.Errorf("announcer %q", got)
	}
	if f.focused() != "new-heading" {
		t.Errorf("focus on %q after deleting the last card, want the Add heading", f.focused())
	}
}

// Two editors of one person on a page (two embedded cards) show the same
// after a save, an add and a delete made in either.
func TestOneTruthPerPage(t *testing.T) {
	b := newFakeBrowser(page(t, ""))
	first := hydrateIn(t, b)
	second := newFakeBrowser(page(t, ""))
	second.store = b.store
	w2 := Hydrate(second, second.Document())
	if w2 == nil {
		t.Fatal("no second editor")
	}
	g := &fixture{t, second, w2}
	first.edit(card)
	first.set(card+"-spoken", "elementary")
	first.submit(card + " form.card-form")
	first.b.respond(200, "", `{"id":"`+nbID+`","tag":"nb-NO","displayName":"Norwegian Bokmål","spoken":"elementary","written":"nativeOrBilingual","reading":"nativeOrBilingual","allowedAudiences":"organization"}`)
	if !strings.Contains(g.asked(card, "summary"), `"spoken":"elementary"`) || g.el(card+"-spoken").Value() != "elementary" {
		t.Error("the other card of the same person does not show the save")
	}
	first.set("#new-language", "French")
	first.submit(".add form.card-form")
	first.b.respond(201, "", `{"id":"fr-1","tag":"fr","displayName":"French","allowedAudiences":"organization"}`)
	if g.b.Document().Query("#lang-fr-1") == nil {
		t.Error("the other editor does not show the added language")
	}
	g.b.doc.fire(g.el("#lang-fr-1 form.delete"), "langcard-delete")
	g.b.respond(204, "", "")
	if first.b.Document().Query("#lang-fr-1") != nil || g.b.Document().Query("#lang-fr-1") != nil {
		t.Error("a deleted language stays in one of the editors")
	}
}

func TestTagCheck(t *testing.T) {
	check := TagCheck(newFakeBrowser("<html></html>"))
	tests := []struct {
		in, canonical string
		problem       langprof.TagProblem
	}{
		{"EN-us", "en-US", ""},
		{"zh-hant-tw", "zh-Hant-TW", ""},
		{"en-US-u-co-phonebk", "en-US-u-co-phonebk", ""},
		{"no-NB", "", "unknownSubtag:NB"},
		{"xx", "", "unknownSubtag:xx"},
		{"zh-Hanx-TW", "", "unknownSubtag:Hanx"},
		{"und", "", "noLanguage:"},
		{"x-private", "", "noLanguage:"},
		{"en--US", "", "illFormed:"},
	}
	for _, tt := range tests {
		got, problem := check(tt.in)
		if got != tt.canonical || problem != tt.problem {
			t.Errorf("check(%q) = %q, %q; want %q, %q", tt.in, got, problem, tt.canonical, tt.problem)
		}
	}
}

// Embedded on an intranet page, the widget calls the BFF by absolute URLs
// and sends an expired session through the BFF's sign-in back to the page.
func TestEmbeddedUsesTheBFFsURLs(t *testing.T) {
	var b strings.Builder
	e := templates.Embed{Profile: templates.Profile{
		Chrome: templates.Chrome{ViewerID: "db789417"},
		Place: templates.Place{Origin: "https://langcard.example",
			API: "https://langcard.example/api/me/languages", Login: "https://langcard.example/login"},
		Cards: []templates.Card{{ID: nbID, Values: nb, Orig: nb, Heading: nbName}},
	}}
	if err := templates.EmbedFragment(e).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	f := hydrateIn(t, newFakeBrowser("<html><body>"+b.String()+"</body></html>"))
	f.b.path = "/people/me?tab=2"
	if got := f.el(card + " form.card-form").Attr("action"); got != "https://langcard.example/languages/"+nbID {
		t.Errorf("form action %q", got)
	}
	f.set(card+"-spoken", "elementary")
	f.submit(card + " form.card-form")
	if r := f.b.fetches[0]; r.url != "https://langcard.example/api/me/languages/"+nbID {
		t.Errorf("PATCH to %q", r.url)
	}
	f.b.respond(401, "", "")
	if want := "https://langcard.example/login?returnTo=https%3A//intranet.example/people/me%3Ftab%3D2"; f.b.went != want {
		t.Errorf("went to %q, want %q", f.b.went, want)
	}
}

// Drafts never outlive their use: another person's and old ones go when
// the widget starts.
func TestDraftsDoNotOutliveTheirUse(t *testing.T) {
	b := newFakeBrowser(page(t, ""))
	b.now = 100 * 60 * 60 * 1000
	fresh := `{"at":"` + strconv.Itoa(b.now-60*1000) + `","orig.written":"nativeOrBilingual","now.written":"elementary"}`
	old := `{"at":"` + strconv.Itoa(b.now-DraftTTL-1) + `","orig.written":"nativeOrBilingual","now.written":"elementary"}`
	b.store = map[string]string{
		"langcard:draft:db789417:/api/me/languages:" + nbID:      fresh,
		"langcard:draft:db789417:/api/me/languages:new":          old,
		"langcard:draft:someone-else:/api/me/languages:" + nbID:  fresh,
		"langcard:draft:db789417:/api/users/x/languages:" + nbID: `{"orig.written":"a","now.written":"b"}`, // no time: from before
		"unrelated": "kept",
	}
	f := hydrateIn(t, b)
	if got := f.el(card + "-written").Value(); got != "elementary" {
		t.Errorf("the person's fresh draft was not restored: %q", got)
	}
	var keys []string
	for k := range b.store {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"langcard:draft:db789417:/api/me/languages:" + nbID, "unrelated"}; !slices.Equal(keys, want) {
		t.Errorf("storage holds %q, want %q", keys, want)
	}
	// (Sign-out removes them all: the loader does, TestBrowserDraftsGoAtSignOut.)
}

// An element that left the page lets its editor go: its listeners are
// freed and the other editors stop keeping it alike; it can be taken over
// again.
func TestForgetLetsAnEditorGo(t *testing.T) {
	b := newFakeBrowser(page(t, ""))
	first := hydrateIn(t, b)
	second := newFakeBrowser(page(t, ""))
	w2 := Hydrate(second, second.Document())
	if len(widgets) != 2 || w2 == nil {
		t.Fatalf("%d editors", len(widgets))
	}
	Forget(second, second.Document())
	if len(widgets) != 1 || len(second.released) != 1 || second.Document().Attr("data-hydrated") != "" {
		t.Fatalf("after Forget: %d editors, released %v", len(widgets), second.released)
	}
	first.edit(card)
	first.set(card+"-spoken", "elementary")
	first.submit(card + " form.card-form")
	first.b.respond(200, "", `{"id":"`+nbID+`","tag":"nb-NO","displayName":"Norwegian Bokmål","spoken":"elementary"}`)
	if got := (&fixture{t, second, w2}).asked(card, "summary"); got != "" {
		t.Errorf("a forgotten editor was kept alike: %s", got)
	}
	if Hydrate(second, second.Document()) == nil || len(widgets) != 2 {
		t.Error("a forgotten editor cannot be taken over again")
	}
}
