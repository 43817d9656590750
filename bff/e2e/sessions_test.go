package e2e_test

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"langcard/bff/auth"
	"langcard/bff/demo"
	"langcard/bff/dev/redistest"
)

// A browser holds one session (docs/security.md, rule 26): signing in
// again in it replaces the session and its tokens, so a dozen sign-ins in
// one browser (which a page elsewhere can drive with single sign-on) never
// sign the person out on their other devices.
func TestSignInAgainReplaces(t *testing.T) {
	redisURL, _ := redistest.Server(t)
	h := newHarness(t, withRedis(redisURL))
	phone := h.signIn(demo.Megan.UPN)
	b := h.signIn(demo.Megan.UPN)
	first := *b.cookie("langcard")
	for range auth.MaxSessionsPerPerson + 2 {
		b.follow("/login?login_hint=" + demo.Megan.UPN)
	}
	wantStatus(t, b.api("GET", "/api/session", ""), http.StatusOK)
	if r := phone.api("GET", "/api/me/languages", ""); r.StatusCode != http.StatusOK {
		t.Errorf("the other device was signed out: %d", r.StatusCode)
	}
	// The browser's first session is gone, its tokens with it.
	old := h.browser()
	u, _ := url.Parse(h.url)
	old.jar.SetCookies(u, []*http.Cookie{&first})
	wantStatus(t, old.api("GET", "/api/session", ""), http.StatusUnauthorized)
	if n := tokenRecords(t, redisURL); n != 2 {
		t.Errorf("%d token records in the store, want 2 (the phone's, the browser's latest)", n)
	}
}

// The limit of sessions a person holds counts live sessions and holds
// under concurrent sign-ins: 40 at once leave at most 10 alive, in memory
// and with two replicas sharing Redis.
func TestSessionLimitUnderConcurrency(t *testing.T) {
	run := func(t *testing.T, hs ...*harness) {
		var wg sync.WaitGroup
		browsers := make([]*browser, 40)
		for i := range browsers {
			// A sign-in may be ended by the ones after it before its page
			// loads: that is the limit at work, so none is required to last.
			browsers[i] = hs[i%len(hs)].browser()
			wg.Go(func() { browsers[i].follow("/login?login_hint=" + demo.Megan.UPN) })
		}
		wg.Wait()
		alive := 0
		for _, b := range browsers {
			if b.api("GET", "/api/me/languages", "").StatusCode == http.StatusOK {
				alive++
			}
		}
		if alive < 1 || alive > auth.MaxSessionsPerPerson {
			t.Errorf("%d of 40 concurrent sign-ins alive, want 1 to %d", alive, auth.MaxSessionsPerPerson)
		}
	}
	t.Run("memory", func(t *testing.T) { run(t, newHarness(t)) })
	t.Run("redis, two replicas", func(t *testing.T) {
		redisURL, _ := redistest.Server(t)
		a := newHarness(t, withRedis(redisURL))
		run(t, a, a.replica(withRedis(redisURL)))
	})
}

// A sign-out while a refresh is in flight leaves no token record behind:
// the refresh that ends after it does not put its tokens back.
func TestSignOutDuringRefresh(t *testing.T) {
	redisURL, _ := redistest.Server(t)
	h := newHarness(t, withRedis(redisURL), func(env map[string]string) { env["LANGCARD_IDP_TIMEOUT"] = "5s" })
	h.idp.SetAccessTTL(time.Minute) // inside the refresh margin: the next request refreshes
	b := h.signIn(demo.Innocenty.UPN)
	h.idp.SetTokenDelay(500 * time.Millisecond)
	before := h.idp.Grants("refresh_token") // signing in refreshed already
	done := make(chan int, 1)
	go func() { done <- b.api("GET", "/api/me/languages", "").StatusCode }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.idp.AwaitGrant(ctx, "refresh_token", before+1); err != nil {
		t.Fatal("no refresh began")
	}
	wantStatus(t, b.post("/logout", nil), http.StatusSeeOther)
	<-done
	if n := h.idp.Grants("refresh_token"); n != before+1 {
		t.Fatalf("%d refreshes answered, want the one in flight", n-before)
	}
	if n := tokenRecords(t, redisURL); n != 0 {
		t.Errorf("%d token records left after sign-out", n)
	}
}

// tokenRecords counts the sessions' token records in Redis.
func tokenRecords(t *testing.T, redisURL string) int {
	t.Helper()
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	keys, err := c.Keys(context.Background(), "langcard:session:tokens:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	return len(keys)
}
