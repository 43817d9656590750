package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"langcard/bff/graph"
)

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests gives each request an id (sent back as X-Request-Id, to
// Graph as client-request-id, and shown with errors), logs one line for
// it: id, method, path (never the query, which carries authorization
// codes), status and duration, and counts it.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := uuid.NewString()
		w.Header().Set("X-Request-Id", id)
		note := new(routeNote)
		r = r.WithContext(context.WithValue(graph.WithRequestID(r.Context(), id), routeNoteKey{}, note))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		d := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.Metrics.Request(s.route(r, note), sw.status, d)
		// The record is made here rather than by Logger.Info: the line
		// needs no caller (the handlers' options add no source), and
		// finding it cost more than writing the line (make bench's profile).
		if h := s.Logger.Handler(); h.Enabled(r.Context(), slog.LevelInfo) {
			rec := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
			rec.AddAttrs(slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", logPath(r)),
				slog.Int("status", sw.status), slog.Duration("duration", d.Round(time.Microsecond)))
			h.Handle(r.Context(), rec)
		}
	})
}

// logPath is the request's path for the log, bounded: a path is the
// client's to choose.
func logPath(r *http.Request) string {
	const max = 256
	if p := r.URL.Path; len(p) > max {
		return p[:max] + "…"
	}
	return r.URL.Path
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.respond(w, r, &Error{Status: http.StatusInternalServerError, Code: "internal", Key: "err.internal",
					Err: fmt.Errorf("panic: %v\n%s", v, debug.Stack())})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries; API responses
// also get no-store, pages their Content-Security-Policy.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		} else {
			h.Set("Content-Security-Policy", s.csp)
			// No Cross-Origin-Opener-Policy: its browsing-context-group
			// swap delays every page load (make bench shows it).
		}
		next.ServeHTTP(w, r)
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
