package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"langcard/bff/auth"
	"langcard/bff/graph"
	"langcard/templates/i18n"
	"langcard/web/langprof"
)

// Error is a failure with what the person (or the widget) may be told.
// Status, Code, Message, Target and Details go out in Graph's error shape;
// Err, when set, is logged and never sent.
type Error struct {
	Status     int
	Code       string
	Message    string
	Target     string
	Details    langprof.Problems
	RetryAfter time.Duration
	// RequestID is Graph's request-id, a reference for the helpdesk.
	RequestID string
	// Title heads the error page ("": the status's text).
	Title string
	// Key and Args are the words in the catalogue (every language; the
	// API's English too), for people ("": Message
	// is said as it is).
	Key  string
	Args []string
	Err  error
}

// Error is the English words (the catalogue's, for an error with a Key),
// and the cause: what the log says.
func (e *Error) Error() string {
	msg := e.Message
	if e.Key != "" {
		msg = say(i18n.English(), e)
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Header is the Retry-After value: whole seconds, rounded up.
func (e *Error) Header() string {
	return strconv.Itoa(int((e.RetryAfter + time.Second - 1) / time.Second))
}

// invalid is a 400 listing every problem; the first names the target.
func invalid(ps langprof.Problems) *Error {
	e := &Error{Status: http.StatusBadRequest, Code: "invalidRequest", Message: ps.Error(), Details: ps}
	if len(ps) == 1 {
		e.Target = ps[0].Target
	}
	return e
}

func badSegment(target, msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "invalidRequest", Target: target, Message: msg,
		Details: langprof.Problems{{Code: langprof.CodeInvalidValue, Target: target, Message: msg}}}
}

var errSignedOut = &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Key: "err.unauthenticated"}

// classify turns any error into an *Error fit to send. What Graph said
// is never passed on: its messages are terse or technical (docs/graph.md), so
// each case gets words a person can act on, with Graph's request id as a
// reference for the helpdesk.
func classify(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var (
		ge          *graph.Error
		unconfirmed *graph.UnconfirmedError
		unreadable  *graph.UnreadableError
	)
	var le *auth.LoginError
	switch {
	case errors.As(err, &le):
		return &Error{Status: le.Status, Code: "signInFailed", Title: "errtitle.signInFailed", Message: le.Message, Key: le.Key, Args: le.Args}
	case errors.Is(err, auth.ErrSignedOut):
		return errSignedOut
	case errors.Is(err, auth.ErrStoreUnavailable):
		return errSessionStore(err)
	case errors.Is(err, auth.ErrRefreshUnavailable):
		return &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable", RetryAfter: 5 * time.Second, Err: err, Key: "err.refreshUnavailable"}
	case errors.Is(err, graph.ErrInvalidID):
		return badSegment("id", graph.ErrInvalidID.Error())
	case errors.As(err, &unconfirmed):
		e := &Error{Status: http.StatusBadGateway, Code: "unconfirmed", Err: err, Key: "err.unconfirmed.update"}
		if unconfirmed.Op == "create" {
			e.Key = "err.unconfirmed.create"
		}
		return e
	case errors.As(err, &ge):
		return fromGraph(ge)
	case errors.As(err, &unreadable):
		return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Key: "err.unreadable"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Key: "err.timeout"}
	}
	return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Key: "err.unreachable"}
}

// Graph's error codes that change what a person is told.
const codeAccessDeniedForRole = "ErrorAccessDeniedForRole"

func fromGraph(ge *graph.Error) *Error {
	e := &Error{Status: ge.Status, Code: ge.Code, Err: ge, RequestID: ge.RequestID}
	switch {
	case ge.Status == http.StatusTooManyRequests || ge.Status == http.StatusServiceUnavailable:
		e.RetryAfter = max(ge.RetryAfter, time.Second)
		e.Key = "err.busy"
		if ge.Status == http.StatusTooManyRequests {
			e.Key = "err.busyNothingSaved"
		}
		e.Args = []string{"seconds", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds())))}
		return e
	case ge.Status == http.StatusUnauthorized:
		return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Err: ge, Key: "err.signInAgain"}
	case ge.WrongSegment():
		// Graph does not know the path: the configured base URL is not
		// Graph's beta endpoint (v1.0 has no profile). Nothing a person can do.
		e.Status, e.Code, e.Key = http.StatusBadGateway, "graphMisconfigured", "err.graphURL"
		e.Err = fmt.Errorf("LANGCARD_GRAPH_BASE_URL does not serve profiles: it must be Graph's beta endpoint (such as https://graph.microsoft.com/beta): %w", ge)
		return e
	case ge.Status == http.StatusForbidden && ge.Code == codeAccessDeniedForRole:
		e.Key = "err.role"
	case ge.Status == http.StatusForbidden:
		e.Key = "err.forbidden"
	case ge.Status == http.StatusNotFound && ge.NoSuchUser:
		e.Code = "userNotFound"
		e.Key = "err.noSuchUser"
	case ge.Status == http.StatusNotFound && ge.Missing:
		e.Code = "notFound"
		e.Key = "err.missing"
	case ge.Status/100 == 4:
		// Including a 404 that a read did not confirm: the profile service
		// also answers 404 to a body it does not take.
		e.Status = http.StatusBadRequest
		if langprof.PropIndex(ge.Target) >= 0 {
			e.Target = ge.Target // Graph named the property: the message goes beside it
		}
		e.Key = "err.notAccepted"
	default:
		e.Status, e.Code, e.Key = http.StatusBadGateway, "badGateway", "err.failed"
	}
	return e
}

// errSessionStore answers a request the session store failed (err, for
// the log).
func errSessionStore(err error) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable", RetryAfter: 5 * time.Second, Err: err,
		Key: "err.sessionStore"}
}
