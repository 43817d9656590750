package server

import (
	"net/http"
	"net/url"

	"langcard/bff/auth"
	"langcard/templates"
)

// embedView builds the embedded cards for <language-card> and the frame:
// the cards as the editor renders them, with absolute URLs (they run on
// the intranet's origin), or a sign-in link that returns to the host page.
func (s *Server) embedView(r *http.Request) (e templates.Editor, signIn, message string, status int) {
	defer func() { e.Chrome = s.absolute(e.Chrome) }()
	q := r.URL.Query()
	returnTo := auth.SafeReturnTo(q.Get("returnTo"), s.EmbedOrigins)
	if returnTo == "/" {
		returnTo = s.self + "/"
	}
	if _, ok := s.Auth.Current(r.Context()); !ok {
		e.Chrome = s.chrome(r)
		return e, s.self + "/login?returnTo=" + url.QueryEscape(returnTo), "", http.StatusOK
	}
	var user *string
	if q.Has("user") {
		u := q.Get("user")
		user = &u
	}
	c, err := s.prepareFor(r.Context(), user, nil)
	if err != nil {
		e.Chrome = s.chrome(r)
		ce := classify(err)
		s.logError(r, ce)
		return e, "", ce.Message, ce.Status
	}
	defer c.cancel()
	e, err = s.editorView(r, c, nil)
	if err != nil {
		ce := classify(err)
		s.logError(r, ce)
		return e, "", ce.Message, ce.Status
	}
	e.Origin, e.Login = s.self, s.self+"/login"
	if returnTo != s.self+"/" {
		e.ReturnTo = returnTo // forms come back to the intranet page
	}
	e.Notice = s.Sessions.PopString(r.Context(), noticeKey)
	e.API = s.self + "/api/me/languages"
	if !c.target.IsMe() {
		e.API = s.self + "/api" + e.Base + "/languages"
	}
	e.Compact = q.Get("layout") == "compact"
	return e, "", "", http.StatusOK
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

// embedCards is GET /embed/cards: the HTML fragment embed.js puts in each
// <language-card>'s shadow root. Only the embedding origins may read it
// (CORS, with credentials).
func (s *Server) embedCards(w http.ResponseWriter, r *http.Request) {
	s.allowEmbedder(w, r, true)
	e, signIn, msg, status := s.embedView(r)
	s.render(w, r, status, templates.EmbedFragment(e, signIn, msg))
}

// embedFrame is GET /embed/frame: the same cards as a page, for hosts that
// prefer an iframe; its frame-ancestors are the embedding origins.
func (s *Server) embedFrame(w http.ResponseWriter, r *http.Request) {
	e, signIn, msg, status := s.embedView(r)
	w.Header().Set("Content-Security-Policy", s.frameCSP)
	s.render(w, r, status, templates.FramePage(e, signIn, msg))
}

// allowEmbedder answers CORS for a configured embedding origin (exact
// match); any other origin gets no CORS header and so reads nothing.
func (s *Server) allowEmbedder(w http.ResponseWriter, r *http.Request, credentials bool) {
	origin := r.Header.Get("Origin")
	w.Header().Add("Vary", "Origin")
	if s.embed[origin] {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		if credentials {
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
	}
}
