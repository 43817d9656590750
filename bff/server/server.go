// Package server is the BFF's HTTP surface: the editor pages and their
// form fallback, sign-in and sign-out, the JSON API for the widget, health
// checks and static assets, behind the middleware that keeps security.md's
// rules (CSRF, CORS, security headers, no tokens in logs or responses).
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/alexedwards/scs/v2"

	"langcard/bff/auth"
	"langcard/bff/graph"
	"langcard/static"
	"langcard/templates"
)

// Options holds the server's dependencies.
type Options struct {
	Logger   *slog.Logger
	Auth     *auth.Auth
	Sessions *scs.SessionManager
	Graph    *graph.Client
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
}

// New returns the BFF's handler.
func New(o Options) *Server {
	s := &Server{Options: o, self: o.PublicURL.Scheme + "://" + o.PublicURL.Host, embed: map[string]bool{}, cop: http.NewCrossOriginProtection(), colleagues: newColleagueCache()}
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
			Message: "langcard refused this form because it was sent from another site. Go back to langcard and try again."})
	}))
	o.Sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.respond(w, r, &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable", Err: fmt.Errorf("session store: %w", err),
			Message: "langcard cannot reach its session store. Try again shortly."})
	}
	s.csp = contentSecurityPolicy(nil, o.Auth.EndSessionURL())
	s.frameCSP = contentSecurityPolicy(o.EmbedOrigins, o.Auth.EndSessionURL())
	s.handler = s.logRequests(s.recoverPanics(s.securityHeaders(s.routes())))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

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
