// Package templates holds langcard's server-rendered views (templ): the
// page layout, the sign-in page, the editor page with its language cards,
// and the error page. Their markup is the only markup of a card: the
// widget hydrates it rather than rendering its own. Every word a person
// reads comes from the message catalogue (package i18n).
package templates

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"langcard/templates/i18n"
	"langcard/web/langprof"
)

// Chrome is what every page's frame needs.
type Chrome struct {
	// L is the catalogue of the person's language.
	L *i18n.Catalog
	// Viewer is the signed-in person's display name ("" when signed out).
	Viewer string
	// ViewerUPN is the signed-in person's userPrincipalName.
	ViewerUPN string
	// ViewerID is the signed-in person's object id.
	ViewerID string
	// CSS is the stylesheet's URL.
	CSS string
	// Widget are the widget's assets; empty when it is not built, and the
	// page then works through its forms alone.
	Widget Widget
}

// Widget are the URLs of the widget's assets (content-hashed): its
// script and its WebAssembly.
type Widget struct {
	Script, WASM string
}

// CardOf returns the card of a saved language, in L's words.
func CardOf(L *i18n.Catalog, lp langprof.LanguageProficiency) Card {
	v := langprof.ValuesOf(lp)
	c := Card{ID: lp.ID, Values: v, Orig: v, Organization: lp.OrganizationOwned()}
	if a, ok := lp.AllowedAudiences.Named(); ok {
		// The card shows, and its form offers, the member Graph's spelling
		// stands for ("8" is organization), as the value it was saved
		// with: an untouched audience is not sent back.
		c.Values.Set(langprof.PropAllowedAudiences, string(a))
		c.Orig.Set(langprof.PropAllowedAudiences, string(a))
	}
	c.named(L)
	if lp.LastModifiedDateTime.Known() { // year 1 is Graph's "no date"

		if t, err := time.Parse(time.RFC3339Nano, string(*lp.LastModifiedDateTime)); err == nil {
			c.Changed, c.ChangedISO = L.Date(t), t.UTC().Format(time.RFC3339)
		}
	}
	return c
}

// ShowTag reports whether the card shows its language code: only where
// the code says more than the name, a region or a script the name does
// not give ("nb-NO" beside "Norwegian Bokmål"; not "en-US" beside
// "English (United States)", nor "fr" beside "French").
func (c Card) ShowTag() bool {
	tag, name := c.Orig.Get(langprof.PropTag), c.Orig.Get(langprof.PropDisplayName)
	return strings.Contains(tag, "-") && !strings.Contains(name, "(")
}

// named sets the card's heading from its saved values: the name on the
// profile, and the language's own name when it says something more.
func (c *Card) named(L *i18n.Catalog) {
	tag := c.Orig.Get(langprof.PropTag)
	c.Heading = c.Orig.Get(langprof.PropDisplayName)
	if c.Heading == "" {
		c.Heading = L.LanguageName(tag)
	}
	if c.Heading == "" {
		c.Heading = L.T("card.unnamed")
	}
	c.Self = L.SelfName(tag)
	if i18n.Fold(c.Self) == i18n.Fold(c.Heading) {
		c.Self = ""
	}
	if c.Language == "" {
		c.Language = L.LanguageName(c.Values.Get(langprof.PropTag))
		if c.Language == "" {
			c.Language = c.Values.Get(langprof.PropTag)
		}
	}
}

// Card is one language card: its summary, and its forms to save and to
// delete. The card for a new language has no ID.
type Card struct {
	ID     string
	Values langprof.Values
	// Orig are the values the form was rendered with; the server sends
	// Graph only what differs from them.
	Orig langprof.Values
	// Language is the language field's text: the language's name, or
	// what the person typed.
	Language string
	// Problems maps a field's name (a property, or "language") to what is
	// wrong with it, in the person's words.
	Problems map[string]string
	// Heading is the card's title (the saved name), Self the language's
	// own name when it differs.
	Heading, Self string
	// Changed is when it was last changed, in words and as RFC 3339.
	Changed, ChangedISO string
	// Organization is set for an entry from the organization's systems
	// (langprof.OrganizationOwned): shown, never offered for editing.
	Organization bool
	// Editing opens the card's form (the no-JS edit state, or a refused
	// save); otherwise the card shows its summary.
	Editing bool
}

// Prefix is the prefix of the card's element ids.
func (c Card) Prefix() string {
	if c.ID == "" {
		return "new"
	}
	return "lang-" + c.ID
}

// Profile is one person's languages as every view shows them: the
// editor page, an embedded card's fragment and the frame each hold one,
// built in one step by the BFF.
type Profile struct {
	Chrome
	// Subject names whose profile this is; Others is true when it is not
	// the viewer's own.
	Subject string
	Others  bool
	// Base is the path the forms post below: "" for me, "/users/{user}".
	Base string
	// Notice is a one-time message after a successful change.
	Notice string
	// Error is a page-level problem (Graph failed, for example);
	// ErrorCode and Reference are its details, for the helpdesk.
	Error, ErrorCode, Reference string
	// Unreadable names the entries Graph sent that cannot be shown (by
	// name, or "" when Graph gave none).
	Unreadable []string
	// AddKey is the idempotency key of the form to add a language: a
	// resubmitted form never adds it twice.
	AddKey string
	Cards  []Card
	New    Card
	// Choices is the list of languages to choose from as ChoiceList renders
	// it for L, which the server renders once per catalogue: rendering it
	// for each page (420 names, each folded to compare it with its own
	// name) was 40% of the editor page's CPU. Empty: rendered here.
	Choices string
	// Place is where the view runs: langcard's own page (its zero value)
	// or an intranet page.
	Place
	// ReadOnly shows a colleague's languages: summaries, no forms.
	// NotShared counts their entries not shared with the viewer.
	ReadOnly  bool
	NotShared int
	// Level is the heading level of the editor's title (1 on langcard's
	// page; an embedding page chooses); the cards' headings are one below.
	Level int
	// Later sends the forms of the cards not being edited, the form to add
	// a language and the new card's template in a <noscript class="later">
	// (langcard's own page, as first loaded): a browser without JavaScript
	// shows them as ever; one running scripts reads them as text, which it
	// does not build into elements before it draws the cards, and the
	// loader makes them into the page's elements once the first frame is
	// on screen, or at once when a card is opened before that: the page's
	// first card waits for less (go run ./bff/dev/bench -part editor
	// measures it; docs/performance.md).
	Later bool
	// Adding is set when the person asked for the form to add a language
	// (?add): it is then sent as elements, whatever Later says. Later
	// offers a link to it, for a browser that runs scripts but did not
	// run the loader.
	Adding bool
}

// Place is where a profile's view runs: langcard's own page, with the
// zero value, or an intranet page (an embedded card or the frame).
type Place struct {
	// Origin prefixes form actions with the BFF's origin, and API and
	// Login are the widget's API collection and sign-in URL: all three set
	// only in the embedded fragment, which runs on another origin.
	Origin, API, Login string
	// Compact asks for the compact layout (embedded cards).
	Compact bool
	// ChoicesURL, in the embedded fragment, is where embed.js fetches the
	// list of languages to choose from, once per page and language and
	// after the cards show, instead of the fragment carrying it: there
	// JavaScript is running by definition, and the lists would be the
	// larger part of the answer, holding the first card back.
	ChoicesURL string
	// ReturnTo, in the embedded fragment, is the intranet page a form post
	// returns to.
	ReturnTo string
	// Landmark tells apart the landmarks of several cards of one person on
	// a page (" (2)"); "" for the first.
	Landmark string
}

// Editor is langcard's editor page: a profile, and for administrators
// the form to open someone else's.
type Editor struct {
	Profile
	// CanEditOthers offers the form to open someone else's profile.
	CanEditOthers bool
}

// Embed is what one <language-card> shows, or the frame: a profile's
// cards, or instead a sign-in link or a message.
type Embed struct {
	Profile
	SignIn, Message string
	// Handoff signs in through langcard's own window, handed to the card
	// (a host of another site, where the card cannot use langcard's own
	// cookie); the link, without JavaScript, opens langcard's page.
	Handoff bool
	// SignOut offers to sign out of the card's own session (one handed
	// to it, which langcard's page cannot end).
	SignOut bool
	// SignInAbove, on a page's later signed-out cards, says where the
	// page's one sign-in is instead of offering another.
	SignInAbove bool
	// EditURL, on a colleague's card an administrator sees, is their
	// profile on langcard's own page, where they may change it.
	EditURL string
}

// level is the title's heading level, 1 to 5.
func (e Profile) level() int { return min(max(e.Level, 1), 5) }

// cardLevel is the cards' heading level.
func (e Profile) cardLevel() int { return e.level() + 1 }

// Title is the page's <title>: "Error: …" when the page has errors.
func (e Profile) Title() string {
	t := e.L.T("title.mine")
	if e.Others {
		t = e.L.T("title.others", "person", e.Subject)
	}
	if len(e.Problems()) > 0 || e.Error != "" {
		t = e.L.T("title.error", "title", t)
	}
	return t
}

// editURL opens one card for editing without JavaScript.
func (e Profile) editURL(c Card) string {
	return e.pageURL() + "?edit=" + c.ID + "#" + c.Prefix()
}

// addURL is the editor page with the form to add a language as elements.
func (e Profile) addURL() string { return e.pageURL() + "?add#new-heading" }

// pageURL is langcard's editor page of this profile.
func (e Profile) pageURL() string {
	if e.Base == "" {
		return e.Origin + "/"
	}
	return e.Origin + e.Base
}

// listID is the id of the page's list of languages to choose from.
func (e Profile) listID() string { return choicesID }

const choicesID = "language-choices"

// valueText is a level or an audience in words: "Not set" when Graph has
// none, "Other: …" for a value langcard does not know.
func valueText[T enum](L *i18n.Catalog, kind string, v T) string {
	switch {
	case v == "":
		return L.T("value.notSet")
	case !v.Valid():
		return L.T("value.other", "value", string(v))
	}
	return L.T(kind + "." + string(v))
}

// step is a level's place on the 6-step scale (0: none).
func step(v string) string {
	for i, l := range langprof.Levels {
		if string(l) == v {
			return strconv.Itoa(i + 1)
		}
	}
	return "0"
}

// audienceText says who can see a language, in a sentence.
func audienceText(L *i18n.Catalog, v string) string {
	if v == "" {
		return L.T("audience.notSet.sees")
	}
	a := langprof.Audience(v)
	if n, ok := a.Named(); ok {
		return L.T("audience." + string(n) + ".sees")
	}
	if ms := a.Members(); len(ms) > 0 && !slices.Contains(ms, langprof.AudienceUnknownFutureValue) {
		// A combination: each member in words.
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = L.T("audience." + string(m))
		}
		return L.T("audience.other.sees", "value", strings.Join(names, ", "))
	}
	return L.T("audience.other.sees", "value", v)
}

// notSharedText says how many entries are not shown, without naming them.
func notSharedText(L *i18n.Catalog, n int) string { return L.N("card.notShared", n) }

// unreadableText says which entries Graph sent that cannot be shown.
func unreadableText(L *i18n.Catalog, names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		if n == "" {
			n = L.T("card.noName")
		} else {
			n = "“" + n + "”"
		}
		quoted[i] = n
	}
	return L.N("card.unreadable", len(names), "names", strings.Join(quoted, ", "))
}

// Forms is where a card's forms post, and where they return.
type Forms struct {
	// Base prefixes the form actions: the BFF's origin (embedded) and
	// the profile's path ("" or /users/{user}).
	Base string
	// ReturnTo is the intranet page to come back to ("" on the BFF's pages).
	ReturnTo string
}

func (e Profile) forms() Forms { return Forms{Base: e.Origin + e.Base, ReturnTo: e.ReturnTo} }

// fields are the names of a card's fields, in the order of its form.
var fields = append([]string{"language"}, langprof.Props[:]...)

// Problems returns every problem on the page, for the summary at its top.
func (e Profile) Problems() []PageProblem {
	var out []PageProblem
	for _, c := range append(append([]Card{}, e.Cards...), e.New) {
		for _, f := range fields {
			if msg := c.Problems[f]; msg != "" {
				out = append(out, PageProblem{Field: c.Prefix() + "-" + f, Message: msg})
			}
		}
	}
	return out
}

// PageProblem links a problem to its field.
type PageProblem struct{ Field, Message string }

// DemoPerson is a person one can sign in as in demo mode.
type DemoPerson struct {
	DisplayName, UPN string
	// Note is the catalogue key of what is special about them ("": nothing).
	Note string
}

type option struct{ Value, Label string }

// enum is a langprof enum: Level or Audience.
type enum interface {
	~string
	Valid() bool
}

// options lists the choices of an enum select. A current value that is
// not a choice comes first, kept as it is: "Not set" when Graph has none,
// "Other: …" for a value langcard does not know (it is sent back only if
// the person chooses another).
func options[T enum](L *i18n.Catalog, kind, current string, all []T) []option {
	var out []option
	if !T(current).Valid() {
		out = append(out, option{current, valueText(L, kind, T(current))})
	}
	for _, v := range all {
		out = append(out, option{string(v), L.T(kind + "." + string(v))})
	}
	return out
}

func levelOptions(L *i18n.Catalog, current string) []option {
	return options(L, "level", current, langprof.Levels)
}

func audienceOptions(L *i18n.Catalog, current string) []option {
	return options(L, "audience", current, langprof.Audiences)
}

// widgetTexts caches widgetText per catalogue: it is the same for every
// page in a language.
var widgetTexts sync.Map

// widgetText are the messages the widget shows, as JSON for the page (the
// WebAssembly carries no text of its own).
func widgetText(L *i18n.Catalog) string {
	if s, ok := widgetTexts.Load(L); ok {
		return s.(string)
	}
	data, _ := json.Marshal(L.Subset("@plural", "widget.", "problem.", "level.", "audience.", "value.", "card.", "error.details", "error.reference", "error.code"))
	if L.Shared() { // not one About someone: made per request
		widgetTexts.Store(L, string(data))
	}
	return string(data)
}
