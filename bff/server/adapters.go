package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// This file holds the three adapters every route goes through (pages,
// their form fallback, and the JSON API) and the CORS answer for the
// embedding origins: what each checks before a handler runs.

// page serves a page or a form post; its error becomes the error page.
func (s *Server) page(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.respond(w, r, err)
		}
	})
}

// methods maps a method to its API handler.
type methods map[string]func(http.ResponseWriter, *http.Request) error

// api serves one API route: CORS for the embedding origins, preflights,
// 405 for other methods, the CSRF check on writes, and every error in
// Graph's shape.
func (s *Server) api(ms methods) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.allowEmbedder(w, r, true)
		if ms == nil {
			s.respond(w, r, &Error{Status: http.StatusNotFound, Code: "notFound", Message: "There is no such API route."})
			return
		}
		if r.Method == http.MethodOptions {
			s.preflight(w, r, ms)
			return
		}
		h, ok := ms[r.Method]
		if !ok {
			w.Header().Set("Allow", allow(ms))
			s.respond(w, r, &Error{Status: http.StatusMethodNotAllowed, Code: "methodNotAllowed", Message: r.Method + " is not allowed here; use " + allow(ms) + "."})
			return
		}
		if r.Method != http.MethodGet {
			if e := s.checkCSRF(r); e != nil {
				s.respond(w, r, e)
				return
			}
		} else if r.Header.Get("Sec-Fetch-Site") == "cross-site" && !s.embed[r.Header.Get("Origin")] {
			// A read from another site that is no embedding origin's CORS
			// call (a no-cors fetch, a navigation) spends the person's
			// Graph reads for an answer it cannot read: a card's
			// partitioned session comes with every request from its host's
			// site, other tenants' pages on it included (rule 27).
			s.respond(w, r, &Error{Status: http.StatusForbidden, Code: "crossSiteRefused", Key: "err.embedRefused"})
			return
		}
		if err := h(w, r); err != nil {
			s.respond(w, r, err)
		}
	})
}

func allow(ms methods) string {
	var names []string
	for m := range ms {
		names = append(names, m)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// preflight answers a CORS preflight: only for the embedding origins.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request, ms methods) {
	want := r.Header.Get("Access-Control-Request-Method")
	if _, ok := ms[want]; !ok || !s.embed[r.Header.Get("Origin")] {
		s.respond(w, r, &Error{Status: http.StatusForbidden, Code: "corsRejected", Message: "This origin may not call the langcard API."})
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", allow(ms))
	h.Set("Access-Control-Allow-Headers", "Content-Type, X-CSRF")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// checkCSRF is the API's CSRF rule: the X-CSRF: 1 header (which a
// cross-origin page can only send after a preflight the BFF answers for
// its embedding origins alone), and an Origin and Sec-Fetch-Site that are
// the BFF's own or a configured embedding origin's. Origin "null" never is.
func (s *Server) checkCSRF(r *http.Request) *Error {
	refuse := func(why string) *Error {
		return &Error{Status: http.StatusForbidden, Code: "csrfRejected", Message: "Request refused: " + why + "."}
	}
	if r.Header.Get("X-CSRF") != "1" {
		return refuse("writes need the X-CSRF: 1 header")
	}
	origin := r.Header.Get("Origin")
	if origin != "" && origin != s.self && !s.embed[origin] {
		return refuse("origin " + strconv.Quote(origin) + " is not allowed")
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		if !s.embed[origin] {
			return refuse("cross-site requests must come from a configured embedding origin")
		}
	}
	return nil
}

// form serves a form post of the fallback page: it must pass
// net/http.CrossOriginProtection, and its body is bounded.
func (s *Server) form(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return s.cop.Handler(s.page(func(w http.ResponseWriter, r *http.Request) error {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			return &Error{Status: http.StatusRequestEntityTooLarge, Code: "tooLarge", Message: "The form is too large or unreadable."}
		}
		return h(w, r)
	}))
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
