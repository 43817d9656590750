package graph_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"langcard/bff/demo"
	"langcard/bff/graph"
	"langcard/bff/graph/graphfake"
	"langcard/bff/ident"
	"langcard/web/langprof"
)

var dollar = demo.Person{Person: graphfake.Person{ID: "2f1a0c6e-0000-4000-8000-00000000d011", DisplayName: "Service Account", UPN: "$svc#1@contoso.example"}}

type fixture struct {
	graph  *graphfake.Server
	client *graph.Client
	me     string // Innocenty's token
	admin  string // Adele's token
	megan  string
	lee    string // User.ReadWrite.All without the role
}

// setup serves the Graph emulator, seeded with the demo people, with fixed
// tokens: the client's tests need no identity provider.
func setup(t *testing.T) *fixture {
	t.Helper()
	people := append(append([]demo.Person{}, demo.People...), dollar)
	dir := make([]graphfake.Person, len(people))
	for i, p := range people {
		dir[i] = p.Person
	}
	own, all := []string{"User.ReadWrite"}, []string{"User.ReadWrite", "User.ReadWrite.All"}
	g := graphfake.New(graphfake.Tokens{
		"me": {OID: demo.Innocenty.ID, Scopes: own}, "megan": {OID: demo.Megan.ID, Scopes: own},
		"admin": {OID: demo.Adele.ID, Scopes: all}, "lee": {OID: demo.Lee.ID, Scopes: all},
	}, dir...)
	demo.Seed(g)
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL + "/beta")
	return &fixture{graph: g, client: &graph.Client{BaseURL: base, BackoffBase: 10 * time.Millisecond, MaxWait: 2 * time.Second},
		me: "me", admin: "admin", megan: "megan", lee: "lee"}
}

func ptr[T any](v T) *T { return &v }

func TestCRUDMe(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	l, err := f.client.List(ctx, f.me, graph.Me)
	if err != nil {
		t.Fatal(err)
	}
	if list := l.Value; len(list) != 2 || list[0].ID != demo.ExampleID || list[0].DisplayName != "Norwegian Bokmål" || len(l.Unreadable) != 0 {
		t.Fatalf("got %+v, want the seeded two with the example first", l)
	}
	created, err := f.client.Create(ctx, f.me, graph.Me, langprof.Patch{
		Tag: ptr("fr-CA"), DisplayName: ptr("French (Canada)"),
		Spoken: ptr(langprof.Conversational), Written: ptr(langprof.Elementary), Reading: ptr(langprof.Elementary),
		AllowedAudiences: ptr(langprof.Organization),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !ident.ValidID(created.ID) || created.CreatedBy == nil || created.CreatedBy.User.ID != demo.Innocenty.ID || created.CreatedDateTime == nil {
		t.Fatalf("server-managed properties not set: %+v", created)
	}
	f.graph.ResetRequests()
	updated, err := f.client.Update(ctx, f.me, graph.Me, created.ID, langprof.Patch{Spoken: ptr(langprof.FullProfessional)})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Spoken != langprof.FullProfessional || updated.Written != langprof.Elementary || updated.Tag != "fr-CA" {
		t.Errorf("got %+v, want spoken changed and the rest kept", updated)
	}
	reqs := f.graph.Requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodPatch || string(reqs[0].Body) != `{"spoken":"fullProfessional"}` {
		t.Fatalf("upstream got %+v, want one PATCH with only spoken", reqs)
	}
	if h := reqs[0].Header; h.Get("client-request-id") == "" || h.Get("Content-Type") != "application/json" || !strings.HasPrefix(h.Get("Authorization"), "fingerprint ") {
		t.Errorf("upstream headers %v lack client-request-id, Content-Type or Authorization", h)
	}
	got, err := f.client.Get(ctx, f.me, graph.Me, created.ID)
	if err != nil || got.Spoken != langprof.FullProfessional {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if err := f.client.Delete(ctx, f.me, graph.Me, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.client.Get(ctx, f.me, graph.Me, created.ID)
	var gerr *graph.Error
	if !errors.As(err, &gerr) || gerr.Status != http.StatusNotFound || gerr.Code != "UnknownError" || gerr.Message == "" || !gerr.Missing {
		t.Fatalf("Get after delete: got %#v, want the profile service's terse 404, read as missing, with a message of the client's", err)
	}
}

func TestOtherUsers(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for _, who := range []string{demo.Megan.UPN, demo.Megan.ID, strings.ToUpper(demo.Megan.UPN), dollar.UPN} {
		target, err := graph.User(who)
		if err != nil {
			t.Fatalf("User(%q): %v", who, err)
		}
		if _, err := f.client.List(ctx, f.admin, target); err != nil {
			t.Errorf("admin List(%q): %v", who, err)
		}
	}
	target, _ := graph.User(demo.Adele.UPN)
	_, err := f.client.List(ctx, f.megan, target)
	var gerr *graph.Error
	if !errors.As(err, &gerr) || gerr.Status != http.StatusForbidden {
		t.Fatalf("Megan listing Adele's: got %v, want 403", err)
	}
	// The $ UPN travels in the key form, with # escaped.
	f.graph.ResetRequests()
	target, _ = graph.User(dollar.UPN)
	f.client.List(ctx, f.admin, target)
	if reqs := f.graph.Requests(); len(reqs) != 1 || reqs[0].EscapedPath != "/beta/users('$svc%231@contoso.example')/profile/languages" {
		t.Errorf("got %+v, want the /users('$x') form with %%23", reqs)
	}
}

func TestInvalidSegmentsSendNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for _, user := range []string{"", "me", "../me", "a/b@c.d", "x@y.z?$select=id", "x@y.z#frag", "%2e%2e@contoso.example", "a b@contoso.example", "$", "x@@y.z", "x@y", ".x@y.z", "x@-y.z", "user@contoso.example/../../me"} {
		if _, err := graph.User(user); !errors.Is(err, graph.ErrInvalidUser) {
			t.Errorf("User(%q) = %v, want ErrInvalidUser", user, err)
		}
	}
	for _, id := range []string{"", ".", "..", "a/b", "a%2Fb", "a?b", "a#b", "a b", "-x", strings.Repeat("a", 129), "é"} {
		if _, err := f.client.Get(ctx, f.me, graph.Me, id); !errors.Is(err, graph.ErrInvalidID) {
			t.Errorf("Get(%q) = %v, want ErrInvalidID", id, err)
		}
		if _, err := f.client.Update(ctx, f.me, graph.Me, id, langprof.Patch{Spoken: ptr(langprof.Elementary)}); !errors.Is(err, graph.ErrInvalidID) {
			t.Errorf("Update(%q) = %v, want ErrInvalidID", id, err)
		}
		if err := f.client.Delete(ctx, f.me, graph.Me, id); !errors.Is(err, graph.ErrInvalidID) {
			t.Errorf("Delete(%q) = %v, want ErrInvalidID", id, err)
		}
	}
	if n := len(f.graph.Requests()); n != 0 {
		t.Errorf("emulator received %d requests, want 0", n)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name         string
		fault        graphfake.Fault
		wantAttempts int
		wantStatus   int // 0: success
		wantMinWait  time.Duration
	}{
		{"429 seconds", graphfake.Fault{Status: 429, RetryAfter: "1", Times: 1}, 2, 0, time.Second},
		{"429 fractional seconds", graphfake.Fault{Status: 429, RetryAfter: "0.25", Times: 2}, 3, 0, 500 * time.Millisecond},
		{"429 http date", graphfake.Fault{Status: 429, RetryAfter: "date+2s", Times: 1}, 2, 0, 900 * time.Millisecond},
		{"503 without Retry-After backs off", graphfake.Fault{Status: 503, Times: 2}, 3, 0, 30 * time.Millisecond},
		{"504 is retried", graphfake.Fault{Status: 504, Times: 1}, 2, 0, 0},
		{"500 is not retried", graphfake.Fault{Status: 500, Times: 1}, 1, 500, 0},
		{"403 is not retried", graphfake.Fault{Status: 403, Code: "ErrorAccessDeniedForRole", Times: 1}, 1, 403, 0},
		{"gives up after 3 retries", graphfake.Fault{Status: 429, RetryAfter: "0.01", Times: 10}, 4, 429, 0},
		{"gives up rather than wait past the budget", graphfake.Fault{Status: 429, RetryAfter: "30", Times: 1}, 1, 429, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			if tt.fault.RetryAfter == "date+2s" {
				tt.fault.RetryAfter = time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
			}
			f.graph.Inject(tt.fault)
			start := time.Now()
			_, err := f.client.Update(context.Background(), f.me, graph.Me, demo.ExampleID, langprof.Patch{Written: ptr(langprof.FullProfessional)})
			elapsed := time.Since(start)
			reqs := f.graph.Requests()
			if len(reqs) != tt.wantAttempts {
				t.Errorf("got %d attempts, want %d", len(reqs), tt.wantAttempts)
			}
			for i, r := range reqs {
				if r.Header.Get("client-request-id") != reqs[0].Header.Get("client-request-id") {
					t.Errorf("attempt %d changed client-request-id", i)
				}
				if want := map[bool]string{true: "", false: string(rune('0' + i))}[i == 0]; r.Header.Get("Retry-Attempt") != want {
					t.Errorf("attempt %d: Retry-Attempt %q, want %q", i, r.Header.Get("Retry-Attempt"), want)
				}
				if string(r.Body) != `{"written":"fullProfessional"}` {
					t.Errorf("attempt %d: body %s, want the PATCH replayed", i, r.Body)
				}
			}
			if elapsed < tt.wantMinWait {
				t.Errorf("took %v, want at least %v (Retry-After honoured)", elapsed, tt.wantMinWait)
			}
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			var gerr *graph.Error
			if !errors.As(err, &gerr) || gerr.Status != tt.wantStatus || gerr.Message == "" || gerr.Attempts != tt.wantAttempts {
				t.Fatalf("got %#v, want *graph.Error %d with a message after %d attempts", err, tt.wantStatus, tt.wantAttempts)
			}
			if tt.fault.RetryAfter == "30" && gerr.RetryAfter != 30*time.Second {
				t.Errorf("RetryAfter = %v, want 30s passed on to the caller", gerr.RetryAfter)
			}
		})
	}
}

func TestSlowGraphHonoursContext(t *testing.T) {
	f := setup(t)
	f.graph.Inject(graphfake.Fault{Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := f.client.List(ctx, f.me, graph.Me)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
}
