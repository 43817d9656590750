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
	// Key and Args are Message in the catalogue, for people ("": Message
	// is said as it is).
	Key  string
	Args []string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
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

var errSignedOut = &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Key: "err.unauthenticated", Message: "You are not signed in, or your session has ended. Sign in again."}

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
		return &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable", RetryAfter: 5 * time.Second, Err: err, Key: "err.refreshUnavailable",
			Message: "Your sign-in could not be renewed because the identity provider is unreachable. Nothing was changed; try again shortly."}
	case errors.Is(err, graph.ErrInvalidID):
		return badSegment("id", graph.ErrInvalidID.Error())
	case errors.As(err, &unconfirmed):
		msg, key := "Your change was sent, but Microsoft 365’s answer was lost, so langcard cannot tell whether it was saved. Reload to see what is saved.", "err.unconfirmed.update"
		if unconfirmed.Op == "create" {
			msg, key = "Microsoft 365 did not confirm that the language was added. Wait a minute and reload before adding it again, so that it is not added twice.", "err.unconfirmed.create"
		}
		return &Error{Status: http.StatusBadGateway, Code: "unconfirmed", Err: err, Message: msg, Key: key}
	case errors.As(err, &ge):
		return fromGraph(ge)
	case errors.As(err, &unreadable):
		return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Key: "err.unreadable", Message: "Microsoft 365 sent an answer langcard cannot read. Reload to see what is saved, then try again."}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Key: "err.timeout", Message: "Microsoft 365 did not answer in time. Reload to see what is saved, then try again."}
	}
	return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Key: "err.unreachable", Message: "Microsoft 365 could not be reached. Reload to see what is saved, then try again."}
}

// Graph's error codes that change what a person is told.
const codeAccessDeniedForRole = "ErrorAccessDeniedForRole"

func fromGraph(ge *graph.Error) *Error {
	e := &Error{Status: ge.Status, Code: ge.Code, Err: ge, RequestID: ge.RequestID}
	switch {
	case ge.Status == http.StatusTooManyRequests || ge.Status == http.StatusServiceUnavailable:
		e.RetryAfter = max(ge.RetryAfter, time.Second)
		e.Message, e.Key = "Microsoft 365 is busy and asked langcard to slow down. Try again in "+seconds(e.RetryAfter)+".", "err.busy"
		if ge.Status == http.StatusTooManyRequests {
			e.Message, e.Key = "Microsoft 365 is busy and asked langcard to slow down. Nothing was saved; try again in "+seconds(e.RetryAfter)+".", "err.busyNothingSaved"
		}
		e.Args = []string{"seconds", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds())))}
		return e
	case ge.Status == http.StatusUnauthorized:
		return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Err: ge, Key: "err.signInAgain", Message: "Microsoft 365 no longer accepts your sign-in. Sign in again."}
	case ge.WrongSegment():
		// Graph does not know the path: the configured base URL is not
		// Graph's beta endpoint (v1.0 has no profile). Nothing a person can do.
		e.Status, e.Code, e.Key = http.StatusBadGateway, "graphMisconfigured", "err.graphURL"
		e.Message = "langcard is set up with a Microsoft Graph address that does not serve profiles. Tell your administrator."
		e.Err = fmt.Errorf("LANGCARD_GRAPH_BASE_URL does not serve profiles: it must be Graph's beta endpoint (such as https://graph.microsoft.com/beta): %w", ge)
		return e
	case ge.Status == http.StatusForbidden && ge.Code == codeAccessDeniedForRole:
		e.Key = "err.role"
		e.Message = withReference("Microsoft 365 refused: changing other people’s profiles needs an administrator role in Microsoft 365 as well as the permission langcard asked for. Ask your Microsoft 365 administrator for that role", ge.RequestID)
	case ge.Status == http.StatusForbidden:
		e.Message, e.Key = "Microsoft 365 refused: you may not change this profile.", "err.forbidden"
	case ge.Status == http.StatusNotFound && ge.NoSuchUser:
		e.Code = "userNotFound"
		e.Message, e.Key = "There is no such person in your organization: check the name or id.", "err.noSuchUser"
	case ge.Status == http.StatusNotFound && ge.Missing:
		e.Code = "notFound"
		e.Message, e.Key = "This language is no longer on the profile: it was deleted elsewhere. Reload to see what is saved.", "err.missing"
	case ge.Status/100 == 4:
		// Including a 404 that a read did not confirm: the profile service
		// also answers 404 to a body it does not take.
		e.Status = http.StatusBadRequest
		if langprof.PropIndex(ge.Target) >= 0 {
			e.Target = ge.Target // Graph named the property: the message goes beside it
		}
		e.Key = "err.notAccepted"
		e.Message = withReference("Microsoft 365 did not accept this change. Try again; if it keeps happening, tell your helpdesk", ge.RequestID)
	default:
		e.Status, e.Code, e.Key = http.StatusBadGateway, "badGateway", "err.failed"
		e.Message = withReference("Microsoft 365 failed ("+strconv.Itoa(ge.Status)+"). Reload to see what is saved, then try again; if it keeps happening, tell your helpdesk", ge.RequestID)
	}
	return e
}

// withReference ends msg with Graph's request id, for the helpdesk.
func withReference(msg, requestID string) string {
	if requestID == "" {
		return msg + "."
	}
	return msg + " (reference " + requestID + ")."
}

func seconds(d time.Duration) string {
	n := int(math.Ceil(d.Seconds()))
	if n == 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}

// errSessionStore answers a request the session store failed (err, for
// the log).
func errSessionStore(err error) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable", RetryAfter: 5 * time.Second, Err: err,
		Key: "err.sessionStore", Message: "langcard cannot reach its session store. Try again shortly."}
}
