package graph

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"langcard/bff/logsafe"
)

// Error is an error answered by Graph, or the client's own account of why
// it gave up. Code and Message come from Graph's error body.
type Error struct {
	// Status is Graph's HTTP status (0 when Graph was not reached).
	Status int
	// Code is Graph's error code, such as "Request_ResourceNotFound".
	Code string
	// Message is Graph's message, or the client's when Graph gave none.
	Message string
	// Target names the property at fault, when Graph said.
	Target string
	// RetryAfter is how long Graph asked the caller to wait (429, 503).
	RetryAfter time.Duration
	// RequestID is Graph's request-id, for support cases.
	RequestID string
	// Attempts is how many requests were sent.
	Attempts int
	// Missing is set on a 404 when a read confirmed that the entry does
	// not exist (the profile service answers 404 for other reasons too).
	Missing bool
	// NoSuchUser is set on a 404 to a list: the person does not exist.
	NoSuchUser bool
	// body is the answer's body (bounded), for a batch whose envelope
	// failed but whose items may still speak.
	body []byte
}

// WrongSegment reports whether Graph refused the path itself: the real
// service answers 400 BadRequest "Resource not found for the segment
// '…'" for a segment it does not know, as the profile is under v1.0 (a
// wrong base URL), not a 404 (docs/graph.md, "Errors").
func (e *Error) WrongSegment() bool {
	return e.Status == 400 && strings.HasPrefix(e.Message, "Resource not found for the segment")
}

func (e *Error) Error() string {
	s := "graph: " + strconv.Itoa(e.Status) + " " + e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Attempts > 1 {
		s += " (after " + strconv.Itoa(e.Attempts) + " attempts)"
	}
	return s
}

// UnreadableError is a successful answer from Graph that langcard cannot
// use: not JSON, not an object, an entry without an id.
type UnreadableError struct {
	Op  string
	Err error
}

func (e *UnreadableError) Error() string {
	return "graph: " + e.Op + ": the answer cannot be read: " + e.Err.Error()
}

func (e *UnreadableError) Unwrap() error { return e.Err }

// UnconfirmedError is a write that Graph may have carried out, but whose
// outcome langcard could not establish: its answer was lost or unreadable,
// and reading back did not find the result. Never report such a write as
// not done.
type UnconfirmedError struct {
	Op  string // "create" or "update"
	Err error
}

func (e *UnconfirmedError) Error() string {
	return "graph: " + e.Op + " sent, outcome unknown: " + e.Err.Error()
}

func (e *UnconfirmedError) Unwrap() error { return e.Err }

type errorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		Target     string `json:"target"`
		InnerError struct {
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// responseError maps an unsuccessful Graph response to an *Error.
func responseError(resp *http.Response, body []byte, now time.Time) *Error {
	e := &Error{Status: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now)}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		// Graph's words reach the log: nothing token-like survives.
		e.Code, e.Message, e.Target = logsafe.Text(eb.Error.Code), logsafe.Text(eb.Error.Message), eb.Error.Target
		e.RequestID = eb.Error.InnerError.RequestID
	}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("request-id")
	}
	if e.Code == "" {
		e.Code = strings.ReplaceAll(http.StatusText(resp.StatusCode), " ", "")
	}
	if e.Message == "" {
		e.Message = "Graph answered " + strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
	}
	return e
}

// parseRetryAfter reads a Retry-After header: delta seconds, possibly
// fractional ("2.128"), or an HTTP date. It returns 0 when absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || secs > 24*3600 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
