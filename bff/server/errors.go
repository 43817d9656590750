package server

import (
	"context"
	"errors"
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
	Err        error
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

var errSignedOut = &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: "You are not signed in, or your session has ended. Sign in again."}

// classify turns any error into an *Error fit to send.
func classify(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ge *graph.Error
	switch {
	case errors.Is(err, auth.ErrSignedOut):
		return errSignedOut
	case errors.Is(err, auth.ErrRefreshUnavailable):
		return &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable", RetryAfter: 5 * time.Second, Err: err,
			Message: "Your sign-in could not be renewed because the identity provider is unreachable. Nothing was changed; try again shortly."}
	case errors.Is(err, graph.ErrInvalidID):
		return badSegment("id", graph.ErrInvalidID.Error())
	case errors.As(err, &ge):
		return fromGraph(ge)
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Message: "Microsoft Graph did not answer in time. Nothing was changed; try again."}
	}
	return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: err, Message: "Microsoft Graph could not be reached. Nothing was changed; try again."}
}

func fromGraph(ge *graph.Error) *Error {
	switch ge.Status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		wait := max(ge.RetryAfter, time.Second)
		return &Error{Status: ge.Status, Code: ge.Code, RetryAfter: wait, Err: ge,
			Message: "Microsoft Graph is busy and asked langcard to slow down. Nothing was saved; try again in " + seconds(wait) + "."}
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict:
		e := &Error{Status: ge.Status, Code: ge.Code, Message: ge.Message, Target: ge.Target, Err: ge}
		if ge.Status == http.StatusNotFound {
			e.Message = "That language is not on the profile (it may have been deleted elsewhere)."
		}
		if ge.Status == http.StatusForbidden {
			e.Message = "Microsoft Graph refused: you may not change this profile."
		}
		return e
	case http.StatusUnauthorized:
		return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Err: ge, Message: "Microsoft Graph no longer accepts your sign-in. Sign in again."}
	}
	return &Error{Status: http.StatusBadGateway, Code: "badGateway", Err: ge,
		Message: "Microsoft Graph failed (" + strconv.Itoa(ge.Status) + "). Nothing was saved; try again."}
}

func seconds(d time.Duration) string {
	n := int(math.Ceil(d.Seconds()))
	if n == 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}
