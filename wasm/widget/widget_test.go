package widget

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"langcard/templates"
	"langcard/wasm/dom"
	"langcard/web/langprof"
)

const nbID = "0fb4c1e3-c1e3-0fb4-e3c1-b40fe3c1b40f"

var nb = langprof.ValuesOf(langprof.LanguageProficiency{Tag: "nb-NO", DisplayName: "Norwegian Bokmål", Spoken: langprof.NativeOrBilingual,
	Written: langprof.NativeOrBilingual, Reading: langprof.NativeOrBilingual, AllowedAudiences: langprof.Organization})

const nbName = "Norwegian Bokmål"

// page renders the real editor page, as the server does.
func page(t *testing.T, base string) string {
	t.Helper()
	var b strings.Builder
	e := templates.Editor{
		Chrome: templates.Chrome{Viewer: "Innocenty Popov", ViewerID: "db789417"}, Subject: "Innocenty Popov", Base: base,
		Cards: []templates.Card{{ID: nbID, Values: nb, Orig: nb, Heading: nbName}},
		New:   templates.Card{Values: langprof.ValuesOf(langprof.LanguageProficiency{AllowedAudiences: langprof.Organization})},
	}
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
	if !f.disabled(card+" button[type=submit]") || !f.disabled(".add button[type=submit]") {
		t.Error("Save is enabled before anything changed")
	}
	if _, ok := attr(f.b.Document().(fnode).n, "data-hydrated"); !ok || strings.Join(f.b.marks, ",") != "langcard-interactive,langcard-hydrated" {
		t.Errorf("hydration not marked: %v", f.b.marks)
	}
	if len(f.b.fetches) != 0 {
		t.Errorf("hydrating fetched %d times; the markup has all it needs", len(f.b.fetches))
	}
}

func TestSaveSendsOnlyChanges(t *testing.T) {
	f := hydrate(t, "")
	f.set(card+"-spoken", "conversational")
	if f.disabled(card + " button[type=submit]") {
		t.Fatal("Save stays disabled after a valid change")
	}
	if f.hidden(card + " button.discard") {
		t.Error("no way to discard the change")
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
	if f.text(card+" .status") != "Saving…" || !f.disabled(card+" button[type=submit]") {
		t.Error("saving is not announced, or Save stays enabled while saving")
	}
	f.b.respond(200, "", `{"id":"`+nbID+`","tag":"nb-NO","displayName":"Norsk bokmål","spoken":"conversational","written":"nativeOrBilingual","reading":"nativeOrBilingual","allowedAudiences":"organization"}`)
	if f.text(card+" .status") != "Saved." {
		t.Errorf("status %q", f.text(card+" .status"))
	}
	// The card re-renders from the server's answer.
	if f.text(card+" h2 .name") != "Norsk bokmål" || f.el(card+"-displayName").Value() != "Norsk bokmål" || f.el(card+` [name="orig.spoken"]`).Value() != "conversational" {
		t.Error("the card does not show the server's answer")
	}
	if !f.disabled(card + " button[type=submit]") {
		t.Error("Save enabled after saving")
	}
	if len(f.b.store) != 0 {
		t.Errorf("a draft outlived the save: %v", f.b.store)
	}
}

func TestInvalidInputIsShownAndNotSent(t *testing.T) {
	f := hydrate(t, "")
	f.typeText(card+"-tag", "no-NB")
	if f.hidden(card+"-tag-error") || !strings.Contains(f.text(card+"-tag-error"), `uses the subtag "NB"`) {
		t.Fatalf("tag message %q hidden=%v", f.text(card+"-tag-error"), f.hidden(card+"-tag-error"))
	}
	if f.el(card+"-tag").Attr("aria-invalid") != "true" || !f.disabled(card+" button[type=submit]") {
		t.Error("the field is not marked invalid, or Save is enabled")
	}
	f.set(card+"-written", "fluent")
	if !strings.Contains(f.text(card+"-written-error"), "written must be one of elementary") {
		t.Errorf("written message %q", f.text(card+"-written-error"))
	}
	f.submit(card + " form.card-form")
	if len(f.b.fetches) != 0 {
		t.Error("invalid input was sent")
	}
	if !strings.HasPrefix(f.text(card+" .status"), "Not saved") {
		t.Errorf("status %q", f.text(card+" .status"))
	}
	// Fixing it clears the message.
	f.set(card+"-tag", "en-us")
	f.set(card+"-written", "elementary")
	if !f.hidden(card+"-tag-error") || f.el(card+"-tag").Value() != "en-US" || f.disabled(card+" button[type=submit]") {
		t.Errorf("after fixing: error hidden=%v, tag %q, save disabled=%v", f.hidden(card+"-tag-error"), f.el(card+"-tag").Value(), f.disabled(card+" button[type=submit]"))
	}
}

func TestFailuresKeepEdits(t *testing.T) {
	f := hydrate(t, "")
	f.typeText(card+"-displayName", "Bokmål")
	f.submit(card + " form.card-form")
	f.b.respond(400, "", `{"error":{"code":"invalidRequest","message":"x","details":[{"code":"invalidValue","target":"displayName","message":"displayName is taken"}]}}`)
	if f.text(card+"-displayName-error") != "displayName is taken" || f.el(card+"-displayName").Value() != "Bokmål" || f.hidden(card+" button.retry") {
		t.Errorf("after a 400: message %q, value %q", f.text(card+"-displayName-error"), f.el(card+"-displayName").Value())
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
	f.b.respond(502, "", `{"error":{"code":"badGateway","message":"Microsoft Graph failed (500)."}}`)
	if got := f.text(card + " .status"); got != "Not saved: Microsoft Graph failed (500)." {
		t.Errorf("status %q", got)
	}
	if f.el(card+"-displayName").Value() != "Bokmål (Norge)" {
		t.Error("the edit was lost")
	}
}

type errNetwork struct{}

func (errNetwork) Error() string { return "TypeError: Failed to fetch" }

func TestThrottledSaveCountsDown(t *testing.T) {
	f := hydrate(t, "")
	f.set(card+"-reading", "elementary")
	f.submit(card + " form.card-form")
	f.b.respond(429, "3", `{"error":{"code":"TooManyRequests","message":"busy"}}`)
	if got := f.text(card + " .status"); got != "Microsoft Graph is busy. Saving again in 3 seconds…" {
		t.Errorf("status %q", got)
	}
	f.b.advance(1000)
	if got := f.text(card + " .status"); got != "Microsoft Graph is busy. Saving again in 2 seconds…" {
		t.Errorf("status %q", got)
	}
	f.b.advance(1999)
	if len(f.b.fetches) != 0 {
		t.Fatal("saved again before the countdown ended")
	}
	f.b.advance(1)
	if len(f.b.fetches) != 1 || body(t, f.b.fetches[0])["reading"] != "elementary" {
		t.Fatalf("after the countdown: %d fetches", len(f.b.fetches))
	}
}

func TestExpiredSessionKeepsEditsThroughSignIn(t *testing.T) {
	f := hydrate(t, "")
	f.b.path = "/?x=1"
	f.set(card+"-written", "elementary")
	f.submit(card + " form.card-form")
	f.b.respond(401, "", `{"error":{"code":"unauthenticated","message":"Sign in again."}}`)
	if f.b.went != "/login?returnTo=/%3Fx%3D1" {
		t.Errorf("went to %q", f.b.went)
	}
	// Back from sign-in: a new page, the same storage.
	b := newFakeBrowser(page(t, ""))
	b.store = f.b.store
	g := hydrateIn(t, b)
	if g.el(card+"-written").Value() != "elementary" || !strings.Contains(g.text(card+" .status"), "restored") || g.disabled(card+" button[type=submit]") {
		t.Errorf("after sign-in: written %q, status %q", g.el(card+"-written").Value(), g.text(card+" .status"))
	}
	g.click(card + " button.discard")
	if g.el(card+"-written").Value() != "nativeOrBilingual" || len(g.b.store) != 0 {
		t.Error("discard did not restore the saved values and forget the draft")
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

func TestAddSuggestsANameAndMakesACard(t *testing.T) {
	f := hydrate(t, "/users/megan.bowen@contoso.example")
	f.typeText("#new-tag", "sv-SE")
	if got := f.el("#new-displayName").Value(); got != "Swedish (Sweden)" {
		t.Errorf("suggested %q", got)
	}
	f.typeText("#new-displayName", "Svenska")
	f.typeText("#new-tag", "fr")
	if got := f.el("#new-displayName").Value(); got != "Svenska" {
		t.Errorf("a typed name was replaced by %q", got)
	}
	if f.disabled(".add button[type=submit]") || !f.hidden("#new-spoken-error") {
		t.Error("levels are optional: a language and a name are enough to add one")
	}
	f.set("#new-written", "elementary")
	f.submit(".add form.card-form")
	req := f.b.fetches[0]
	sent := body(t, req)
	if req.method != "POST" || req.url != "/api/users/megan.bowen@contoso.example/languages" || len(sent) != 4 || sent["written"] != "elementary" {
		t.Fatalf("%s %s %s: want tag, displayName, written and allowedAudiences, and no unset level", req.method, req.url, req.body)
	}
	f.b.respond(201, "", `{"id":"new-1","tag":"fr","displayName":"Svenska","spoken":null,"written":"elementary","reading":null,"allowedAudiences":"organization"}`)
	added := "#lang-new-1"
	if f.text(added+" h2 .name") != "Svenska" || f.el(added+"-tag").Value() != "fr" || f.el(added+" label").Attr("for") != "lang-new-1-tag" {
		t.Error("the new card is not filled from the server's answer, or kept the template's ids")
	}
	if f.el(added+" form.card-form").Attr("action") != "/users/megan.bowen@contoso.example/languages/new-1" {
		t.Errorf("form action %q", f.el(added+" form.card-form").Attr("action"))
	}
	if f.el("#new-tag").Value() != "" || f.el("#new-displayName").Value() != "" {
		t.Error("the add form was not reset")
	}
	// The new card works like the others.
	f.set(added+"-spoken", "conversational")
	f.submit(added + " form.card-form")
	if r := f.b.fetches[0]; r.method != "PATCH" || r.url != "/api/users/megan.bowen@contoso.example/languages/new-1" {
		t.Errorf("%s %s", r.method, r.url)
	}
}

func TestDeleteConfirmsAndCanBeUndone(t *testing.T) {
	f := hydrate(t, "")
	f.click(card + " button.start")
	if !f.hidden(card+" button.start") || f.hidden(card+" button.confirm") || f.hidden(card+" button.keep") {
		t.Fatal("Delete does not ask for confirmation")
	}
	f.click(card + " button.keep")
	if f.hidden(card + " button.start") {
		t.Fatal("Keep does not go back")
	}
	f.click(card + " button.start")
	f.click(card + " button.confirm")
	f.b.advance(UndoWindow - 1)
	f.click(card + " button.undo")
	f.b.advance(UndoWindow * 2)
	if len(f.b.fetches) != 0 {
		t.Fatal("an undone delete was sent")
	}
	f.click(card + " button.start")
	f.click(card + " button.confirm")
	f.b.advance(UndoWindow)
	if len(f.b.fetches) != 1 || f.b.fetches[0].method != "DELETE" || f.b.fetches[0].url != "/api/me/languages/"+nbID {
		t.Fatalf("fetches %v", f.b.fetches)
	}
	f.b.respond(204, "", "")
	if f.b.Document().Query(card) != nil {
		t.Error("the card stayed")
	}
	if got := f.text("#announcer"); got != "Deleted Norwegian Bokmål." {
		t.Errorf("announcer %q", got)
	}
}

func TestRetryAfter(t *testing.T) {
	for in, want := range map[string]int{"": 1, "0": 1, "1": 1, "3": 3, "2.128": 3, "2.0": 2, " 7 ": 7, "999": 300, "Wed, 21 Oct 2015 07:28:00 GMT": 1, "-5": 1} {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestTagCheck(t *testing.T) {
	check := TagCheck(newFakeBrowser("<html></html>"))
	tests := []struct{ in, canonical, problem string }{
		{"EN-us", "en-US", ""},
		{"zh-hant-tw", "zh-Hant-TW", ""},
		{"en-US-u-co-phonebk", "en-US-u-co-phonebk", ""},
		{"no-NB", "", `uses the subtag "NB"`},
		{"xx", "", `uses the subtag "xx"`},
		{"zh-Hanx-TW", "", `uses the subtag "Hanx"`},
		{"und", "", "does not name a language"},
		{"x-private", "", "does not name a language"},
		{"en--US", "", "not a well-formed"},
	}
	for _, tt := range tests {
		got, problem := check(tt.in)
		if got != tt.canonical || !strings.Contains(problem, tt.problem) || (tt.problem == "") != (problem == "") {
			t.Errorf("check(%q) = %q, %q; want %q, %q", tt.in, got, problem, tt.canonical, tt.problem)
		}
	}
}

// Embedded on an intranet page, the widget calls the BFF by absolute URLs
// and sends an expired session through the BFF's sign-in back to the page.
func TestEmbeddedUsesTheBFFsURLs(t *testing.T) {
	var b strings.Builder
	e := templates.Editor{
		Chrome: templates.Chrome{ViewerID: "db789417"}, Origin: "https://langcard.example",
		API: "https://langcard.example/api/me/languages", Login: "https://langcard.example/login",
		Cards: []templates.Card{{ID: nbID, Values: nb, Orig: nb, Heading: nbName}},
	}
	if err := templates.EmbedFragment(e, "", "").Render(context.Background(), &b); err != nil {
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
// the widget starts, and sign-out removes them all.
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
	f.b.doc.fire(f.el(`form[action="/logout"]`), "submit")
	if _, ok := b.store["langcard:draft:db789417:/api/me/languages:"+nbID]; ok || b.store["unrelated"] != "kept" {
		t.Errorf("after sign-out storage holds %v", b.store)
	}
}
