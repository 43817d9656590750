package server

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"langcard/bff/auth"
	"langcard/bff/logsafe"
	"langcard/static"
	"langcard/templates"
	"langcard/templates/i18n"
)

// embedded is one <language-card> asked for: whose (nil: the viewer's own)
// and in which layout.
type embedded struct {
	user    *string
	compact bool
	// lang is the element's lang attribute; level its heading-level;
	// readonly shows even the viewer's own languages without forms.
	lang     string
	level    int
	readonly bool
}

// parseEmbedded reads one element's el parameter: its layout, optionally
// its lang and heading level, a colon, then its user or nothing for the
// viewer ("compact,nb,3:megan@contoso.com", "full,,2,ro:", "full:").
func parseEmbedded(v string) embedded {
	head, user, _ := strings.Cut(v, ":")
	parts := strings.SplitN(head, ",", 4)
	el := embedded{compact: parts[0] == "compact"}
	if len(parts) > 1 {
		el.lang = parts[1]
	}
	if len(parts) > 2 {
		el.level, _ = strconv.Atoi(parts[2])
	}
	el.readonly = len(parts) > 3 && parts[3] == "ro"
	if user != "" {
		el.user = &user
	}
	return el
}

// embedPart is what one <language-card> shows: the cards, a sign-in link,
// or a message.
type embedPart struct {
	e      templates.Embed
	status int
}

// embedView builds the embedded cards for one <language-card> or the
// frame, from the query's user and layout.
func (s *Server) embedView(r *http.Request, fragment bool) embedPart {
	q := r.URL.Query()
	el := embedded{compact: q.Get("layout") == "compact", lang: q.Get("lang")}
	el.level, _ = strconv.Atoi(q.Get("heading-level"))
	if q.Has("user") {
		u := q.Get("user")
		el.user = &u
	}
	part, done := s.embedViews(r, []embedded{el}, fragment)
	defer done()
	return part(0)
}

// embedViews builds the embedded cards of several <language-card>s: the
// cards as the editor renders them, with absolute URLs (they run on the
// intranet's origin), or a sign-in link that returns to the host page.
// It returns at once: part builds element i's (call it once for each, in
// order), and done ends what is left when the caller has them all.
// Colleagues' languages are read all together, in Graph JSON batches,
// while the viewer's own cards are built: a page's own card does not wait
// for its colleagues' (one Graph round trip sooner), and each colleague's
// card waits for the batch. One who cannot be read gets a message and the
// others show.
// fragment says the cards go into a page's <language-card>s (else the
// frame, a page of its own).
func (s *Server) embedViews(r *http.Request, els []embedded, fragment bool) (part func(i int) embedPart, done func()) {
	returnTo := auth.SafeReturnTo(r.URL.Query().Get("returnTo"), s.EmbedOrigins)
	if returnTo == "/" {
		returnTo = s.self + "/"
	}
	if _, ok := s.Auth.Current(r.Context()); !ok {
		signIn := s.self + "/login?returnTo=" + url.QueryEscape(returnTo)
		return func(i int) embedPart {
			e := s.bare(r, els[i])
			// One sign-in per page: the first card offers it, the others
			// say where it is.
			e.SignInAbove = i > 0
			// On a host of another site, langcard's own cookie never
			// comes with the card: it signs in through langcard's window
			// instead, handed to it (bff/auth/handoff.go). The frame
			// always does: its own reload is same-origin, wherever it is
			// framed, and a same-site frame that is signed out needs a
			// sign-in that stays in the frame too.
			e.SignIn, e.Handoff = signIn, !fragment || r.Header.Get("Sec-Fetch-Site") == "cross-site"
			return embedPart{e: e, status: http.StatusOK}
		}, func() {}
	}
	calls := make([]*call, len(els))
	unready := make([]error, len(els)) // why element i has no call
	landmark := make([]string, len(els))
	nth := map[string]int{} // cards of one person so far, for unique landmark names
	shared := &reads{m: map[string]*readResult{}}
	people := map[string]bool{}
	for i, el := range els {
		c, err := s.prepareFor(r.Context(), el.user, nil)
		if err != nil {
			unready[i] = err
			continue
		}
		if who := targetKey(c.target); !people[who] && len(people) == maxPeople {
			c.cancel()
			unready[i] = errTooManyPeople
			continue
		} else {
			people[who] = true
		}
		c.lang, c.read = el.lang, shared
		calls[i] = c
		if nth[c.target.String()]++; nth[c.target.String()] > 1 {
			landmark[i] = " (" + strconv.Itoa(nth[c.target.String()]) + ")"
		}
	}
	// Read every colleague at once (the cache then serves each card).
	read := make(chan map[string]error, 1)
	go func() { read <- s.prefetchColleagues(calls) }()
	colleagues := sync.OnceValue(func() map[string]error { return <-read })
	notice := s.Sessions.PopString(r.Context(), noticeKey)
	partitioned := s.partitioned(r)
	part = func(i int) embedPart {
		c := calls[i]
		if c == nil {
			return s.embedFailure(r, els[i], unready[i])
		}
		if !c.target.IsMe() { // read in the request's batches
			if err := colleagues()[c.target.String()]; err != nil {
				return s.embedFailure(r, els[i], err)
			}
		}
		v := view{
			place: templates.Place{
				Origin: s.self, Login: s.self + "/login",
				Compact: els[i].compact, Landmark: landmark[i],
			},
			// A colleague's card on an intranet page is read-only for
			// everyone, administrators included: they change other
			// people's languages on langcard's own page, linked below.
			level: headingLevel(els[i].level), readOnly: els[i].readonly || !c.target.IsMe(),
			choicesByURL: fragment, notice: notice,
		}
		if returnTo != s.self+"/" {
			v.place.ReturnTo = returnTo // forms come back to the intranet page
		}
		p, err := s.profile(r, c, v, nil)
		if err != nil {
			return s.embedFailure(r, els[i], err)
		}
		e := templates.Embed{Profile: p, SignOut: partitioned}
		if !c.target.IsMe() && c.sess.EditsOthers {
			e.EditURL = s.self + userPath(c.target.String())
		}
		return embedPart{e: e, status: http.StatusOK}
	}
	done = func() {
		colleagues() // the batch ends before the calls' deadlines are let go
		for _, c := range calls {
			if c != nil {
				c.cancel()
			}
		}
	}
	return part, done
}

// maxPeople bounds the distinct people one request reads: a card past it
// says so instead (the same person's cards, any number up to maxEmbedded,
// are one read).
const maxPeople = 50

var errTooManyPeople = &Error{Status: http.StatusRequestEntityTooLarge, Code: "tooManyPeople", Key: "err.tooManyPeople"}

// embedFailure is the message a card shows when it cannot show languages.
func (s *Server) embedFailure(r *http.Request, el embedded, err error) embedPart {
	ce := classify(err)
	s.logError(r, ce)
	e := s.bare(r, el)
	e.Message = say(e.L, ce)
	if ce.Code == "userNotFound" && el.user != nil {
		e.Message = e.L.T("err.embedNoSuchUser", "person", *el.user)
	}
	return embedPart{e: e, status: ce.Status}
}

// bare is an element's frame without cards: a sign-in link or a message.
func (s *Server) bare(r *http.Request, el embedded) templates.Embed {
	e := templates.Embed{Profile: templates.Profile{Chrome: s.absolute(s.chrome(r)), Level: headingLevel(el.level), Place: templates.Place{Origin: s.self}}}
	e.L = lang(r, el.lang)
	if el.user != nil && *el.user != "" {
		// Someone else's card speaks of them, by the name the page gave
		// (their own is not known before a sign-in).
		e.Subject, e.Others = *el.user, true
		e.L = e.L.About(*el.user)
	}
	return e
}

// embedCards is GET /embed/cards: the HTML fragment embed.js puts in each
// <language-card>'s shadow root. Only the embedding origins may read it
// (CORS, with credentials).
//
// With el parameters (layout, a colon, then the user or nothing for the
// viewer: "compact:megan@contoso.com"), it answers every card of a page
// at once, each in a <template data-el="i">: one request from the page,
// and one Graph batch for the colleagues on it.
func (s *Server) embedCards(w http.ResponseWriter, r *http.Request) {
	s.allowEmbedder(w, r, true)
	if origin := r.Header.Get("Origin"); origin != "" && origin != s.self && !s.embed[origin] {
		// The browser would hide the answer anyway: read nothing for it.
		// The page's author learns why from the log (and the console).
		s.Logger.Warn("cards asked for by a page whose origin is not in LANGCARD_EMBED_ORIGINS", "origin", logsafe.Text(origin))
		s.respond(w, r, &Error{Status: http.StatusForbidden, Code: "corsRejected", Key: "err.embedRefused"})
		return
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" && !s.embed[r.Header.Get("Origin")] {
		// The cards go to the page that asked for them (a CORS request
		// from an embedding origin, or langcard's own pages), never to a
		// navigation or a no-cors request from another site, which would
		// spend the person's Graph reads (docs/security.md, rule 27).
		s.respond(w, r, &Error{Status: http.StatusForbidden, Code: "crossSiteRefused", Key: "err.embedRefused"})
		return
	}
	q := r.URL.Query()
	if !q.Has("el") {
		p := s.embedView(r, true)
		s.render(w, r, p.status, templates.EmbedFragment(p.e))
		return
	}
	var els []embedded
	for _, v := range q["el"] {
		if len(els) == maxEmbedded {
			break
		}
		els = append(els, parseEmbedded(v))
	}
	// The widget's script and module, named before the cards, so that
	// embed.js loads the script while it reads and lays them out: when
	// one of them is the viewer's own (editable, unless it failed).
	c := s.absolute(s.chrome(r))
	if wd := c.Widget; wd.Script != "" && c.Viewer != "" && slices.ContainsFunc(els, func(el embedded) bool { return el.user == nil && !el.readonly }) {
		w.Header().Set(widgetHeader, wd.Script+" "+wd.WASM)
		w.Header().Set("Access-Control-Expose-Headers", widgetHeader)
	}
	part, done := s.embedViews(r, els, true)
	defer done()
	s.streamParts(w, r, len(els), part)
}

// streamParts writes each card's part, <template data-el="i">, as soon as
// it is rendered, the page's first card first: embed.js puts that card
// in while the others are still being rendered. Each part goes out with
// the next one's opening tag, which is how embed.js knows that a part is
// whole (the last one is whole when the answer ends). A part that fails
// to render goes out empty, and its card says it could not be loaded.
func (s *Server) streamParts(w http.ResponseWriter, r *http.Request, n int, part func(i int) embedPart) {
	startHTML(w, http.StatusOK)
	rc := http.NewResponseController(w)
	buf := getBuffer()
	defer putBuffer(buf)
	open := func(i int) {
		buf.WriteString(`<template data-el="`)
		buf.WriteString(strconv.Itoa(i))
		buf.WriteString(`">`)
	}
	open(0)
	for i := range n {
		p := part(i)
		start := buf.Len()
		if err := templates.EmbedFragment(p.e).Render(r.Context(), buf); err != nil {
			s.Logger.Error("render", "path", logPath(r), "part", i, "error", err)
			buf.Truncate(start)
		}
		buf.WriteString("</template>")
		if i+1 < n {
			open(i + 1)
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return // the page has gone
		}
		_ = rc.Flush() // a writer that cannot flush sends it all at the end
		buf.Reset()
	}
}

// widgetHeader names, on an answer with editable cards, the widget's
// script and module ("<script URL> <module URL>").
const widgetHeader = "Langcard-Widget"

// maxEmbedded bounds the cards one request may ask for.
const maxEmbedded = 100

// embedFrame is GET /embed/frame: the same cards as a page, for hosts that
// prefer an iframe; its frame-ancestors are the embedding origins.
func (s *Server) embedFrame(w http.ResponseWriter, r *http.Request) {
	p := s.embedView(r, false)
	w.Header().Set("Content-Security-Policy", s.frameCSP)
	s.render(w, r, p.status, templates.FramePage(p.e))
}

// embedChoices is GET /embed/choices: the <datalist> of the languages to
// choose from, in the catalogue lang names, for embed.js to put beside
// the embedded cards once they show. It is the same for everyone (no
// session, no credentials); the embedding origins may read it. The
// version a fragment names is cached for good; any other for a while.
func (s *Server) embedChoices(w http.ResponseWriter, r *http.Request) {
	s.allowEmbedder(w, r, false)
	L, _ := i18n.Match("", r.URL.Query().Get("lang"))
	c := s.choices(L)
	if r.URL.Query().Get("v") == c.version {
		w.Header().Set("Cache-Control", static.CacheVersioned)
	} else {
		w.Header().Set("Cache-Control", static.CacheStable)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, c.body)
}
