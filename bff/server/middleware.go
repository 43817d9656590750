package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
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
		// Health checks and static files are logged at debug: they come
		// by the dozen and would scroll away what matters (demo mode's
		// sign-in links among it).
		level := slog.LevelInfo
		if p := r.URL.Path; sw.status < 400 && (strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" || p == "/favicon.ico") {
			level = slog.LevelDebug
		}
		if h := s.Logger.Handler(); h.Enabled(r.Context(), level) {
			rec := slog.NewRecord(time.Now(), level, "request", 0)
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

// withScope gives every request its scope.
func withScope(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), scopeKey{}, &requestScope{})))
	})
}
