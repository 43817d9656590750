package server

import (
	"context"
	"net/http"

	"langcard/bff/session"
)

// sessionLoaded marks a request whose session was loaded.
type sessionLoaded struct{}

func withSession(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), sessionLoaded{}, true))
		mux.ServeHTTP(w, r)
		if note, ok := r.Context().Value(routeNoteKey{}).(*routeNote); ok {
			note.pattern = r.Pattern // set by mux as it served r
		}
	})
}

// hasSession reports whether r's session was loaded (it is not on static
// assets, health checks, or when the session store failed).
func hasSession(r *http.Request) bool { return r.Context().Value(sessionLoaded{}) != nil }

// routes is the whole surface. Only the routes that need a session load
// it: static assets and health checks never read, extend or set the
// session cookie, and keep answering while the session store is down.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux() // everything that needs the session
	root := http.NewServeMux()
	s.root, s.sessioned = root, mux
	root.Handle("/", session.LoadAndSave(s.Sessions, s.sessionStoreFailed, s.sessionLostAfterWrite)(session.Touch(s.Sessions, s.SessionIdle)(withSession(mux))))

	// Health and static assets: no session.
	root.HandleFunc("GET /healthz", s.healthz)
	root.HandleFunc("GET /readyz", s.readyz)
	root.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.allowEmbedder(w, r, false) // the widget's WebAssembly is fetched with CORS
		s.Assets.ServeHTTP(w, r)
	}))

	// Pages and their form fallback.
	mux.Handle("GET /{$}", s.page(s.editor))
	mux.Handle("GET /users", s.page(s.openUser))
	mux.Handle("GET /users/{user}", s.page(s.editor))
	for _, base := range []string{"", "/users/{user}"} {
		mux.Handle("POST "+base+"/languages", s.form(s.createForm))
		mux.Handle("POST "+base+"/languages/{id}", s.form(s.saveForm))
		mux.Handle("POST "+base+"/languages/{id}/delete", s.form(s.deleteForm))
	}

	// Sign-in and sign-out.
	mux.Handle("GET /login", s.page(s.Auth.Login))
	mux.Handle("GET /auth/callback", s.page(s.callback))
	mux.Handle("POST /logout", s.form(s.logout))
	// A card on another site signs in through langcard's own window.
	mux.Handle("GET /auth/handoff", s.page(s.handoffPage))
	mux.Handle("POST /auth/handoff", s.form(s.startHandoff))
	mux.Handle("GET /auth/handoff/done", s.page(s.handoffDone))
	mux.Handle("/api/handoff/redeem", s.api(methods{"POST": s.redeemHandoff}))

	// Embedding on intranet pages.
	mux.HandleFunc("GET /embed/cards", s.embedCards)
	root.HandleFunc("GET /embed/choices", s.embedChoices) // the same for everyone: no session
	mux.HandleFunc("GET /embed/frame", s.embedFrame)

	// The JSON API for the widget; s.api answers preflights, 405s and
	// CSRF checks for every route in one place.
	mux.Handle("/api/session", s.api(methods{"GET": s.apiSession, "DELETE": s.apiEndSession}))
	for _, base := range []string{"/api/me", "/api/users/{user}"} {
		mux.Handle(base+"/languages", s.api(methods{"GET": s.apiList, "POST": s.apiCreate}))
		mux.Handle(base+"/languages/{id}", s.api(methods{"GET": s.apiGet, "PATCH": s.apiUpdate, "DELETE": s.apiDelete}))
	}
	mux.Handle("/api/", s.api(nil))
	return root
}
