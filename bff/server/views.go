package server

import (
	"bytes"
	"cmp"
	"context"
	"net/http"
	"net/url"

	"langcard/static"
	"langcard/templates"
	"langcard/templates/i18n"
	"langcard/web/langprof"
)

// This file builds the view models: what every view of a person's
// languages is made of (templates.Profile), in one step, and the chrome
// of the page around it.

// chrome is what every page's frame needs: the stylesheet, the catalogue,
// the viewer and the widget's assets.
func (s *Server) chrome(r *http.Request) templates.Chrome {
	c := templates.Chrome{CSS: s.Assets.URL(static.CSS), L: lang(r, "")}
	if !hasSession(r) {
		return c // the session store failed: an error page names no one
	}
	if sess, ok := s.Auth.Current(r.Context()); ok {
		c.Viewer, c.ViewerUPN, c.ViewerID = sess.User.DisplayName, sess.User.UserPrincipalName, sess.User.ID
	}
	if wasm := s.Assets.URL(static.Widget); wasm != "" {
		c.Widget = templates.Widget{Script: s.Assets.URL(static.Script), WASM: wasm}
	}
	return c
}

// view is what a profile's builder needs to know of the view it is for:
// langcard's editor page (a zero place) or an embedded card or the frame.
type view struct {
	place templates.Place
	// level is the title's heading level (0: the page's, 1).
	level int
	// readOnly shows the cards read-only even to an administrator.
	readOnly bool
	// choicesByURL has the widget fetch the list of languages to choose
	// from (an embedded fragment) instead of the view carrying it.
	choicesByURL bool
	notice       string
	// editing is the card opened for editing; later and adding are the
	// editor page's (templates.Profile).
	editing       string
	later, adding bool
	// failed shows a failed list as the view's own error, instead of
	// returning it.
	failed bool
}

// profile builds one view of a person's languages from Graph's list, in
// one step; keep, when not nil, puts back a person's input and problems
// after a refused form post.
func (s *Server) profile(r *http.Request, c *call, v view, keep func(*templates.Profile)) (templates.Profile, error) {
	e := templates.Profile{
		Chrome: s.chrome(r), Subject: c.sess.User.DisplayName, Place: v.place, Level: max(v.level, 1),
		Notice: v.notice, Later: v.later, Adding: v.adding,
	}
	if e.Origin != "" { // on an intranet page: every URL is the BFF's
		e.Chrome = s.absolute(e.Chrome)
	}
	e.L = lang(r, c.lang)
	e.New = newCard()
	if !c.target.IsMe() {
		e.Subject, e.Others, e.Base = c.target.String(), true, userPath(c.target.String())
	}
	if e.Origin != "" {
		e.API = e.Origin + "/api" + cmp.Or(e.Base, "/me") + "/languages"
	}
	e.ReadOnly = c.colleague || v.readOnly
	if !e.ReadOnly {
		e.AddKey = newKey() // the form to add a language is rendered
	}
	l, err := s.list(c)
	if err != nil && !v.failed {
		return e, err
	}
	if err != nil {
		ce := classify(err)
		e.Error, e.ErrorCode, e.Reference = say(e.L, ce), ce.Code, ce.RequestID
	}
	for _, lp := range l.Value {
		card := templates.CardOf(e.L, lp)
		card.Editing = v.editing != "" && card.ID == v.editing
		e.Cards = append(e.Cards, card)
	}
	e.NotShared = l.NotShared
	if e.Others {
		// A name, not the address or id in the URL: it came with a batch
		// of colleagues, or is asked for now (pages only; the API has no
		// use for it).
		if l.Owner == "" {
			l.Owner = s.ownerName(c)
		}
		if l.Owner != "" {
			e.Subject = l.Owner
		}
		// The cards speak of their profile: "Megan Bowen’s organization
		// can see this", "Name on Megan Bowen’s profile".
		e.L = e.L.About(e.Subject)
	}
	for _, u := range l.Unreadable {
		s.Logger.Warn("unreadable entry", "path", logPath(r), "id", u.ID, "reason", u.Reason)
		e.Unreadable = append(e.Unreadable, u.Name)
	}
	if keep != nil {
		keep(&e)
	}
	if v.choicesByURL {
		e.ChoicesURL = s.choicesURL(e.L)
	} else {
		e.Choices = s.choices(e.L).body
	}
	return e, nil
}

// newCard is the card that adds a language: shared with the organization
// unless the person chooses otherwise.
func newCard() templates.Card {
	var c templates.Card
	c.Values.Set(langprof.PropAllowedAudiences, string(langprof.Organization))
	return c
}

// absolute makes the asset URLs absolute: embedded, they load from the
// intranet page's origin.
func (s *Server) absolute(c templates.Chrome) templates.Chrome {
	for _, u := range []*string{&c.CSS, &c.Widget.Script, &c.Widget.WASM} {
		if *u != "" {
			*u = s.self + *u
		}
	}
	return c
}

// headingLevel is an element's heading-level, 1 to 5; 2 when unset.
func headingLevel(n int) int {
	if n < 1 || n > 5 {
		return 2
	}
	return n
}

// choiceList is the list of languages to choose from in one catalogue's
// words, rendered once, and the version its URL names.
type choiceList struct {
	body    string
	version string
}

// choices is the list in L's words.
func (s *Server) choices(L *i18n.Catalog) *choiceList {
	if L == nil {
		L = i18n.English()
	}
	if c, ok := s.choiceLists.Load(L.Lang()); ok {
		return c.(*choiceList)
	}
	var buf bytes.Buffer
	_ = templates.ChoiceList(L).Render(context.Background(), &buf) // writing to a buffer does not fail
	c, _ := s.choiceLists.LoadOrStore(L.Lang(), &choiceList{body: buf.String(), version: static.Version(buf.Bytes())})
	return c.(*choiceList)
}

// choicesURL is where an embedded fragment's list of languages to choose
// from is fetched: one URL per catalogue and version, cached for good.
func (s *Server) choicesURL(L *i18n.Catalog) string {
	return s.self + "/embed/choices?" + url.Values{"lang": {L.Lang()}, "v": {s.choices(L).version}}.Encode()
}
