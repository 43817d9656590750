package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"langcard/bff/graph"
	"langcard/templates"
	"langcard/templates/i18n"
)

// Handlers return errors; respond is the one place that turns an error
// into an answer (pkgsite's shape): Graph's JSON error shape for the API,
// the error page for everything else. It logs the error once, and sends
// only what classify made fit for a person: never upstream text.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(context.Cause(r.Context()), ErrShuttingDown) {
		err = &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable", RetryAfter: 5 * time.Second, Err: err, Key: "err.shuttingDown"}
	}
	e := classify(err)
	s.logError(r, e)
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", e.Header())
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		b := bodyOf(e)
		if e.Key != "" {
			L := lang(r, "")
			b.Error.Message = say(L, e)
			if e.RequestID != "" {
				b.Error.Message += " " + L.T("error.reference", "reference", e.RequestID)
			}
		}
		if id := graph.RequestID(r.Context()); id != "" {
			if b.Error.InnerError == nil {
				b.Error.InnerError = &innerError{}
			}
			b.Error.InnerError.ClientRequestID = id
		}
		writeJSON(w, e.Status, b)
		return
	}
	c := s.chrome(r)
	title := c.L.T("errtitle.other")
	switch {
	case e.Title != "":
		title = c.L.T(e.Title)
	case e.Status == http.StatusUnauthorized:
		title = c.L.T("errtitle.signedOut")
	case e.Status == http.StatusNotFound:
		title = c.L.T("errtitle.notFound")
	}
	ref := graph.RequestID(r.Context())
	if e.RequestID != "" {
		ref = e.RequestID
	}
	s.render(w, r, e.Status, templates.ErrorPage(c, title, say(c.L, e), ref))
}

// say is what a person is told about e, in L's words.
func say(L *i18n.Catalog, e *Error) string {
	if e.Key == "" {
		return e.Message
	}
	args := slices.Clone(e.Args)
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == "seconds" {
			n, _ := strconv.Atoi(args[i+1])
			args[i+1] = L.N("seconds", n)
		}
	}
	return L.T(e.Key, args...)
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target,omitempty"`
}

type errorBody struct {
	Error struct {
		Code       string        `json:"code"`
		Message    string        `json:"message"`
		Target     string        `json:"target,omitempty"`
		Details    []errorDetail `json:"details,omitempty"`
		InnerError *innerError   `json:"innerError,omitempty"`
	} `json:"error"`
}

// innerError carries Graph's request id, as Graph's own errors do, and
// langcard's own (also sent to Graph as client-request-id), so that a
// helpdesk can follow one failed save through both logs.
type innerError struct {
	RequestID       string `json:"request-id,omitempty"`
	ClientRequestID string `json:"client-request-id,omitempty"`
}

// bodyOf is e in Graph's error shape.
func bodyOf(e *Error) errorBody {
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Target = e.Code, e.Message, e.Target
	for _, d := range e.Details {
		b.Error.Details = append(b.Error.Details, errorDetail{Code: d.Code, Message: d.Text(), Target: d.Target})
	}
	if e.RequestID != "" {
		b.Error.InnerError = &innerError{RequestID: e.RequestID}
	}
	return b
}

// logError logs what an answer does not say: the cause behind it.
func (s *Server) logError(r *http.Request, e *Error) {
	if e.Err == nil {
		return
	}
	level := slog.LevelWarn
	if e.Status >= 500 {
		level = slog.LevelError
	}
	s.Logger.Log(r.Context(), level, "request failed", "request_id", graph.RequestID(r.Context()), "path", logPath(r), "status", e.Status, "error", e.Err)
}

// jsonAppender writes its own JSON, compact and HTML-safe, as
// encoding/json would (an entry: langprof.LanguageProficiency.AppendJSON).
type jsonAppender interface{ AppendJSON([]byte) []byte }

func writeJSON(w http.ResponseWriter, status int, v any) {
	var data []byte
	var err error
	if a, ok := v.(jsonAppender); ok {
		data = a.AppendJSON(make([]byte, 0, 512))
	} else {
		data, err = json.Marshal(v)
	}
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}

// buffers hold pages and streamed parts while they are rendered: an editor
// page is ~70 KB, and a buffer grown to it for every page was the largest
// part of rendering one after the templates themselves (clearing and
// collecting it; pprof).
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

// putBuffer gives buf back, unless an unusual answer grew it past 1 MB
// (the pool would keep it, and its memory, for every later page).
func putBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		buf.Reset()
		buffers.Put(buf)
	}
}

// render renders c into a buffer first, so a failing component never
// sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		s.Logger.Error("render", "path", logPath(r), "error", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("Internal error.\n"))
		return
	}
	startHTML(w, status)
	w.Write(buf.Bytes())
}

// startHTML sends the status and headers of an HTML answer that no cache
// keeps: a page, or the embedded cards.
func startHTML(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

// ErrShuttingDown is the cause with which requests still in flight near
// the shutdown deadline are cancelled: they are answered 503.
var ErrShuttingDown = errors.New("langcard is shutting down")
