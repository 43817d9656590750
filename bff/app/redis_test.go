package app_test

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
// is 401 and a Redis outage 503, never 500 (security.md rule 16).
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
