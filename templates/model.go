// Package templates holds langcard's server-rendered views (templ): the
// page layout, the sign-in page, the editor page with its language cards,
// and the error page. Their markup is the only markup of a card: the
// widget hydrates it rather than rendering its own.
package templates

import (
	"strconv"

	"langcard/web/langprof"
)

// Chrome is what every page's frame needs.
type Chrome struct {
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

// CardOf returns the card of a saved language.
func CardOf(lp langprof.LanguageProficiency) Card {
	v := langprof.ValuesOf(lp)
	heading := lp.DisplayName
	if heading == "" {
		heading = lp.Tag
	}
	if heading == "" {
		heading = "Unnamed language"
	}
	return Card{ID: lp.ID, Values: v, Orig: v, Heading: heading}
}

// Card is one language card: a form to save, and one to delete. The card
// for a new language has no ID.
type Card struct {
	ID     string
	Values langprof.Values
	// Orig are the values the form was rendered with; the server sends
	// Graph only what differs from them.
	Orig langprof.Values
	// Problems maps a property name to what is wrong with it.
	Problems map[string]string
	// Heading is the card's title: the saved display name.
	Heading string
}

// Prefix is the prefix of the card's element ids.
func (c Card) Prefix() string {
	if c.ID == "" {
		return "new"
	}
	return "lang-" + c.ID
}

// Editor is the editor page.
type Editor struct {
	Chrome
	// Subject names whose profile this is; Others is true when it is not
	// the viewer's own.
	Subject string
	Others  bool
	// Base is the path the forms post below: "" for me, "/users/{user}".
	Base string
	// Notice is a one-time message after a successful change.
	Notice string
	// Error is a page-level problem (Graph failed, for example).
	Error string
	// Unreadable names the entries Graph sent that cannot be shown (by
	// name, or "" when Graph gave none).
	Unreadable []string
	// CanEditOthers offers the form to open someone else's profile.
	CanEditOthers bool
	Cards         []Card
	New           Card
	// Origin prefixes form actions with the BFF's origin, and API and
	// Login are the widget's API collection and sign-in URL: all three set
	// only in the embedded fragment, which runs on another origin.
	Origin, API, Login string
	// Compact asks for the compact layout (embedded cards).
	Compact bool
	// ReturnTo, in the embedded fragment, is the intranet page a form post
	// returns to.
	ReturnTo string
	// Landmark tells apart the landmarks of several cards of one person on
	// a page (" (2)"); "" for the first.
	Landmark string
	// ReadOnly shows a colleague's languages: summaries, no forms.
	// NotShared counts their entries not shared with the viewer.
	ReadOnly  bool
	NotShared int
}

// valueText is a level or an audience in words: "Not set" when Graph has
// none, "Other: …" for a value langcard does not know.
func valueText[T enum](v T) string {
	switch {
	case v == "":
		return "Not set"
	case !v.Valid():
		return OtherLabel(string(v))
	}
	return v.Label()
}

// notSharedText says how many entries are not shown, without naming them.
func notSharedText(n int) string {
	if n == 1 {
		return "1 more language on this profile is not shared with you."
	}
	return strconv.Itoa(n) + " more languages on this profile are not shared with you."
}

// Forms is where a card's forms post, and where they return.
type Forms struct {
	// Base prefixes the form actions: the BFF's origin (embedded) and
	// the profile's path ("" or /users/{user}).
	Base string
	// ReturnTo is the intranet page to come back to ("" on the BFF's pages).
	ReturnTo string
}

func (e Editor) forms() Forms { return Forms{Base: e.Origin + e.Base, ReturnTo: e.ReturnTo} }

// Problems returns every problem on the page, for the summary at its top.
func (e Editor) Problems() []PageProblem {
	var out []PageProblem
	for _, c := range append(append([]Card{}, e.Cards...), e.New) {
		for _, prop := range langprof.Props {
			if msg := c.Problems[prop]; msg != "" {
				out = append(out, PageProblem{Field: c.Prefix() + "-" + prop, Message: msg})
			}
		}
	}
	return out
}

// PageProblem links a problem to its field.
type PageProblem struct{ Field, Message string }

// DemoPerson is a person one can sign in as in demo mode.
type DemoPerson struct {
	DisplayName, UPN, Note string
}

type option struct{ Value, Label string }

// enum is a langprof enum: Level or Audience.
type enum interface {
	~string
	Valid() bool
	Label() string
}

// options lists the choices of an enum select. A current value that is
// not a choice comes first, kept as it is: "Not set" when Graph has none,
// "Other: …" for a value langcard does not know (it is sent back only if
// the person chooses another).
func options[T enum](current string, all []T) []option {
	var out []option
	if !T(current).Valid() {
		out = append(out, option{current, valueText(T(current))})
	}
	for _, v := range all {
		out = append(out, option{string(v), v.Label()})
	}
	return out
}

// OtherLabel shows a value langcard does not know, as Graph sent it.
func OtherLabel(v string) string { return "Other: " + v }

func levelOptions(current string) []option {
	return options(current, langprof.Levels)
}

func audienceOptions(current string) []option {
	return options(current, langprof.Audiences)
}
