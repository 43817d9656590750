package server

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"langcard/bff/auth"
	"langcard/bff/graph"
	"langcard/templates/i18n"
)

// classify gives every failure a status and words a person can act on,
// and never passes Graph's own text on.
func TestClassify(t *testing.T) {
	const graphText = "Internal stack trace at Microsoft.Profile"
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantCode   string
		wantIn     string
	}{
		{"throttled", &graph.Error{Status: 429, Code: "TooManyRequests", Message: graphText, RetryAfter: 20 * time.Second}, 429, "TooManyRequests", "try again in 20 seconds"},
		{"busy", &graph.Error{Status: 503, Message: graphText}, 503, "", "Try again in 1 second"},
		{"terse 400", &graph.Error{Status: 400, Code: "UnknownError", RequestID: "r-1"}, 400, "UnknownError", "did not accept this change. Try again; if it keeps happening, tell your helpdesk."},
		{"terse 404 not confirmed", &graph.Error{Status: 404, Code: "UnknownError", Message: graphText}, 400, "UnknownError", "did not accept"},
		{"404 confirmed", &graph.Error{Status: 404, Code: "UnknownError", Missing: true}, 404, "notFound", "deleted elsewhere"},
		{"no such person", &graph.Error{Status: 404, Code: "Request_ResourceNotFound", NoSuchUser: true, Message: graphText}, 404, "userNotFound", "no such person"},
		{"role", &graph.Error{Status: 403, Code: "ErrorAccessDeniedForRole", Message: graphText}, 403, "ErrorAccessDeniedForRole", "administrator role"},
		{"forbidden", &graph.Error{Status: 403, Code: "Authorization_RequestDenied", Message: graphText}, 403, "Authorization_RequestDenied", "may not change this profile"},
		{"graph 401", &graph.Error{Status: 401, Message: graphText}, 401, "unauthenticated", "Sign in again"},
		{"graph 500", &graph.Error{Status: 500, Message: graphText}, 502, "badGateway", "Microsoft 365 failed."},
		{"unconfirmed create", &graph.UnconfirmedError{Op: "create", Err: errors.New("x")}, 502, "unconfirmed", "so that it is not added twice"},
		{"unconfirmed update", &graph.UnconfirmedError{Op: "update", Err: errors.New("x")}, 502, "unconfirmed", "cannot tell whether it was saved"},
		{"unreadable", &graph.UnreadableError{Op: "list", Err: errors.New(graphText)}, 502, "badGateway", "cannot read"},
		{"timeout", context.DeadlineExceeded, 502, "badGateway", "did not answer in time"},
		{"unreachable", errors.New("dial tcp: connection refused " + graphText), 502, "badGateway", "could not be reached"},
		{"signed out", auth.ErrSignedOut, 401, "unauthenticated", "Sign in again"},
		{"refresh unavailable", auth.ErrRefreshUnavailable, 503, "serviceNotAvailable", "is unreachable"},
		{"sign-in", &auth.LoginError{Status: 403, Message: "An administrator must grant admin consent"}, 403, "signInFailed", "admin consent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := classify(tt.err)
			words := say(i18n.English(), e) // what the API and an English page say
			if e.Status != tt.wantStatus || (tt.wantCode != "" && e.Code != tt.wantCode) || !strings.Contains(words, tt.wantIn) {
				t.Errorf("got %d %s %q, want %d %s containing %q", e.Status, e.Code, words, tt.wantStatus, tt.wantCode, tt.wantIn)
			}
			if strings.Contains(words, graphText) || strings.Contains(e.Message, graphText) {
				t.Errorf("Graph's own words in %q", words)
			}
			if ge, ok := tt.err.(*graph.Error); ok && ge.RequestID != "" && e.RequestID != ge.RequestID {
				t.Errorf("Graph's reference %q not kept for the helpdesk", ge.RequestID)
			}
			if (e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable) && e.Header() == "0" {
				t.Error("no Retry-After")
			}
		})
	}
}

// Every error's words are the catalogue's: each key an error names in
// the code is in English (and so, TestCataloguesComplete holds, in every
// language), and no keyed error carries English words of its own.
func TestErrorKeysHaveWords(t *testing.T) {
	files, _ := filepath.Glob("../*/*.go")
	key := regexp.MustCompile(`Key: +"((err|login)\.[A-Za-z.]+)"|e\.Key = "((err|login)\.[A-Za-z.]+)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(data), -1) {
			k := m[1] + m[3]
			if got := i18n.English().T(k); got == k || got == "" {
				t.Errorf("%s names %s, which the catalogue does not have", f, k)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d keys found: the pattern no longer matches the code", n)
	}
}
