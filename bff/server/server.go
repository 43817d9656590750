// Package server is the BFF's HTTP surface: the editor pages and their
// form fallback, sign-in and sign-out, the JSON API for the widget, health
// checks and static assets, behind the middleware that keeps docs/security.md's
// rules (CSRF, CORS, security headers, no tokens in logs or responses).
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"

	"langcard/bff/auth"
	"langcard/bff/graph"
	"langcard/bff/metrics"
	"langcard/bff/recent"
	"langcard/static"
	"langcard/templates"
)

// Options holds the server's dependencies.
type Options struct {
	Logger   *slog.Logger
	Auth     *auth.Auth
	Sessions *scs.SessionManager
	// SessionIdle is the sessions' idle timeout (session.Touch).
	SessionIdle time.Duration
	// GraphTimeout bounds one operation against Graph (default 13s).
	GraphTimeout time.Duration
	// Recent keeps sessions' recent writes (nil: in this process; with
	// several replicas, in their shared store).
	Recent recent.Store
	// Changes counts writes to profiles, so that colleagues' cached views
	// are dropped at once (nil: in this process; with several replicas,
	// in their shared store).
	Changes recent.Changes
	// Created remembers adds by idempotency key across replicas (nil:
	// this process alone).
	Created CreatedStore
	Graph   *graph.Client
	// PublicURL is the BFF's own origin.
	PublicURL *url.URL
	// EmbedOrigins are the exact origins allowed to embed the widget.
	EmbedOrigins []string
	// DemoPeople, when not empty, are offered on the sign-in page.
	DemoPeople []templates.DemoPerson
	// Assets are the static assets served under /static/.
	Assets *static.Assets
	// Ready reports whether the server can serve (readiness probe).
	Ready func(context.Context) error
	// Metrics records requests and session-store failures (nil: none).
	Metrics *metrics.Metrics
}

// Server is the BFF's handler; build it with New.
type Server struct {
	Options
	self     string
	embed    map[string]bool
	cop      *http.CrossOriginProtection
	csp      string // every page: framing refused
	frameCSP string // /embed/frame: framing by the embedding origins
	handler  http.Handler
	// colleagues caches colleagues' languages briefly, per viewer.
	colleagues *colleagueCache
	// created remembers this process's adds by idempotency key.
	created *createdMemo
	// root and sessioned are the route tables (for the metrics' routes).
	root, sessioned *http.ServeMux
	// draining is set once shutdown begins: /readyz then answers 503.
	draining atomic.Bool
	// choiceLists are the lists of languages to choose from, by catalogue
	// (*choiceList), rendered when first asked for.
	choiceLists sync.Map
}

// New returns the BFF's handler.
func New(o Options) *Server {
	if o.Recent == nil {
		o.Recent = recent.NewMemory()
	}
	if o.Changes == nil {
		o.Changes = recent.NewMemoryChanges()
	}
	s := &Server{Options: o, self: o.PublicURL.Scheme + "://" + o.PublicURL.Host, embed: map[string]bool{}, cop: http.NewCrossOriginProtection(), colleagues: newColleagueCache(), created: newCreatedMemo()}
	for _, origin := range o.EmbedOrigins {
		s.embed[origin] = true
		// The forms of embedded cards post from the intranet's origin.
		if err := s.cop.AddTrustedOrigin(origin); err != nil {
			o.Logger.Error("embedding origin not trusted for forms", "origin", origin, "error", err)
		}
	}
	// Refusals of the form CSRF check and of the session store answer as
	// every other error does.
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.respond(w, r, &Error{Status: http.StatusForbidden, Code: "csrfRejected",
			Key: "err.crossSite"})
	}))
	o.Sessions.ErrorFunc = s.sessionStoreFailed
	s.csp = contentSecurityPolicy(nil, o.Auth.EndSessionURL())
	s.frameCSP = contentSecurityPolicy(o.EmbedOrigins, o.Auth.EndSessionURL())
	s.handler = withScope(s.logRequests(s.recoverPanics(s.securityHeaders(s.routes()))))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Drain marks the server as shutting down: /readyz answers 503 so that
// load balancers stop sending it requests, while it finishes the ones it has.
func (s *Server) Drain() { s.draining.Store(true) }

// route names r's route for the metrics: the pattern that serves it. The
// root mux set r's Pattern as it served r; the sessioned mux serves a copy
// of r (with the session in its context), whose pattern withSession notes.
// Where that mux did not run (the session store failed, or a handler
// panicked) it is asked which pattern would have served r.
func (s *Server) route(r *http.Request, note *routeNote) string {
	p := r.Pattern
	if p == "/" {
		if p = note.pattern; p == "" {
			_, p = s.sessioned.Handler(r)
		}
	}
	if p == "" {
		return "unmatched"
	}
	return p
}

// routeNote carries the sessioned mux's pattern out to logRequests.
type routeNote struct{ pattern string }

type routeNoteKey struct{}

// contentSecurityPolicy is the policy of a page: scripts only from the
// BFF (and WebAssembly compiled from them), no inline anything, forms only
// to the BFF (and the identity provider's sign-out, which logout redirects
// to), framing only by the given origins (none: 'none').
func contentSecurityPolicy(embed []string, endSession string) string {
	frame := "'none'"
	if len(embed) > 0 {
		frame = strings.Join(embed, " ")
	}
	formAction := "'self'"
	if u, err := url.Parse(endSession); err == nil && u.Host != "" {
		formAction += " " + u.Scheme + "://" + u.Host
	}
	return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; form-action " + formAction + "; frame-ancestors " + frame + "; base-uri 'none'"
}

// sessionStoreFailed answers a request whose session could not be read or
// saved (the store is down), before anything else was written.
func (s *Server) sessionStoreFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.Metrics.StoreError()
	s.respond(w, r, errSessionStore(fmt.Errorf("session store: %w", err)))
}

// sessionLostAfterWrite logs a session that could not be saved after a
// write Graph stored: the answer reports the write; the session's change
// (a notice, a renewed idle time) is what is lost.
func (s *Server) sessionLostAfterWrite(r *http.Request, err error) {
	s.Metrics.StoreError()
	s.Logger.Error("the session could not be saved after a write Graph stored; the answer reports the write", "request_id", graph.RequestID(r.Context()), "path", logPath(r), "error", err)
}
