package e2e_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"langcard/bff/demo"
	"langcard/bff/dev/redistest"
)

// Two replicas sharing sessions in Redis: a session started on one works
// on the other; sign-out and expiry on one hold on both; a missing session
// is 401 and a Redis outage 503, never 500 (docs/security.md, rule 16).
func TestReplicasShareSessionsInRedis(t *testing.T) {
	redisURL, server := redistest.Server(t)
	a := newHarness(t, withRedis(redisURL))
	b := a.replica(withRedis(redisURL))

	// Sign in on replica A; the browser's cookie reaches B too (one host).
	br := a.signIn(demo.Innocenty.UPN)
	viaB := &browser{h: b, jar: br.jar, c: br.c}
	if r := viaB.api("GET", "/api/session", ""); r.StatusCode != 200 || !strings.Contains(r.body, demo.Innocenty.UPN) {
		t.Fatalf("replica B does not know the session started on A: %d %s", r.StatusCode, r.body)
	}
	// A save through B shows in a list through A while Graph's lists lag:
	// the session's recent writes are shared too.
	a.graph.SetLag(time.Hour)
	wantStatus(t, viaB.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`), 200)
	if got := a.graph.Languages(demo.Innocenty.ID)[0].Spoken; got != "elementary" {
		t.Errorf("spoken %q after a PATCH through B", got)
	}
	if r := br.api("GET", "/api/me/languages", ""); !strings.Contains(r.body, `"spoken":"elementary"`) {
		t.Errorf("replica A lists the entry as before the save through B: %s", r.body)
	}
	a.graph.SetLag(0)

	// Sign out on B: A refuses the session too.
	wantStatus(t, viaB.post("/logout", url.Values{}), http.StatusSeeOther)
	wantStatus(t, br.api("GET", "/api/session", ""), 401)
	wantStatus(t, br.api("GET", "/api/me/languages", ""), 401)

	// A session that expires in Redis is 401 on both, never 500.
	br = a.signIn(demo.Innocenty.UPN)
	token := br.cookie("langcard").Value
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	if n, err := c.Del(context.Background(), "langcard:session:"+token).Result(); err != nil || n != 1 {
		t.Fatalf("deleting the session key: %d %v (sessions are not where the test looks)", n, err)
	}
	wantStatus(t, br.api("GET", "/api/me/languages", ""), 401)
	viaB = &browser{h: b, jar: br.jar, c: br.c}
	wantStatus(t, viaB.api("GET", "/api/me/languages", ""), 401)

	// Redis down: not ready, and a clear 503 rather than a 500.
	wantStatus(t, br.get("/readyz"), 200)
	server.Process.Kill()
	server.Wait()
	if r := br.get("/readyz"); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Redis down: %d", r.StatusCode)
	}
	if r := br.api("GET", "/api/session", ""); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/api/session with Redis down: %d %s, want 503", r.StatusCode, r.body)
	}
}

// Two replicas on one Redis refresh a session's token once between them
// (counted at the identity provider), not once each.
func TestRefreshOnceAcrossReplicas(t *testing.T) {
	redisURL, _ := redistest.Server(t)
	a := newHarness(t, withRedis(redisURL))
	b := a.replica(withRedis(redisURL))
	a.idp.SetAccessTTL(time.Minute) // inside the refresh margin: the next request refreshes
	br := a.signIn(demo.Innocenty.UPN)
	viaB := &browser{h: b, jar: br.jar, c: br.c}
	a.idp.SetTokenDelay(300 * time.Millisecond)
	before := a.idp.Grants("refresh_token")
	var wg sync.WaitGroup
	for i := range 8 {
		via := br
		if i%2 == 1 {
			via = viaB
		}
		wg.Go(func() {
			if r := via.api("GET", "/api/me/languages", ""); r.StatusCode != 200 {
				t.Errorf("during the refresh: %d %s", r.StatusCode, r.body)
			}
		})
	}
	wg.Wait()
	if got := a.idp.Grants("refresh_token") - before; got != 1 {
		t.Errorf("%d refreshes across two replicas, want 1", got)
	}
}

// A token record the store cannot read (here Redis answers WRONGTYPE for
// it, while the session itself reads fine) is a 503 to try again: nothing
// reaches Graph, and the session is not ended, so once the record reads
// again the same browser carries on signed in.
func TestUnreadableTokenRecordIsRetried(t *testing.T) {
	redisURL, _ := redistest.Server(t)
	h := newHarness(t, withRedis(redisURL))
	br := h.signIn(demo.Innocenty.UPN)
	wantStatus(t, br.api("GET", "/api/me/languages", ""), 200)

	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx := context.Background()
	keys, err := c.Keys(ctx, "langcard:session:tokens:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("token records in Redis: %q %v (want one, where the test looks)", keys, err)
	}
	record, err := c.Get(ctx, keys[0]).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	ttl := c.PTTL(ctx, keys[0]).Val()
	if err := c.Del(ctx, keys[0]).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.HSet(ctx, keys[0], "not", "a string").Err(); err != nil {
		t.Fatal(err)
	}

	h.graph.ResetRequests()
	if r := br.get("/"); r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.body, "cannot reach its session store. Try again shortly.") {
		t.Errorf("the page with the token record unreadable: %d %.300s; want 503 saying to try again", r.StatusCode, r.body)
	}
	for _, r := range []response{
		br.api("GET", "/api/me/languages", ""),
		br.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`),
	} {
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || !strings.Contains(r.body, `"serviceNotAvailable"`) {
			t.Errorf("%s %s with the token record unreadable: %d Retry-After %q %s; want 503 serviceNotAvailable with Retry-After",
				r.Request.Method, r.Request.URL.Path, r.StatusCode, r.Header.Get("Retry-After"), r.body)
		}
	}
	if reqs := h.graph.Requests(); len(reqs) != 0 {
		t.Errorf("%d requests reached Graph without a readable token record", len(reqs))
	}
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Spoken; got == "elementary" {
		t.Errorf("the PATCH was applied without a readable token record")
	}

	// SET replaces the hash whatever its type.
	if err := c.Set(ctx, keys[0], record, ttl).Err(); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, br.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`), 200)
	if got := h.graph.Languages(demo.Innocenty.ID)[0].Spoken; got != "elementary" {
		t.Errorf("spoken %q after the record reads again", got)
	}
}
