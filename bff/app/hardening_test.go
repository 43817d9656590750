package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"langcard/bff/demo"
)

// Static assets and health checks never touch the session: no cookie on
// a public, immutable answer, and they keep serving while the session
// store is down (security.md rule 17).
func TestAssetsAndHealthLeaveTheSessionAlone(t *testing.T) {
	u, redis := redisServer(t)
	h := newHarness(t, withRedis(u))
	b := h.signIn(demo.Innocenty.UPN)
	page := b.get("/").body
	assets := regexp.MustCompile(`/static/[a-z]+\.[0-9a-f]+\.(css|js|wasm)`).FindAllString(page, -1)
	if len(assets) == 0 {
		t.Fatalf("no hashed assets on the page")
	}
	check := func(when string) {
		t.Helper()
		for _, path := range append(assets, "/healthz", "/static/embed.js") {
			r := b.get(path)
			if r.StatusCode != http.StatusOK {
				t.Errorf("%s: %s answered %d", when, path, r.StatusCode)
			}
			if sc := r.Header.Values("Set-Cookie"); len(sc) != 0 {
				t.Errorf("%s: %s set %v", when, path, sc)
			}
		}
	}
	check("signed in")
	redis.Process.Kill()
	redis.Wait()
	check("with the session store down")
	if r := b.get("/"); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a page with the session store down answered %d, want 503", r.StatusCode)
	}
	if r := b.get("/readyz"); r.StatusCode != http.StatusServiceUnavailable || strings.Contains(r.body, "redis") {
		t.Errorf("readyz answered %d %q", r.StatusCode, r.body)
	}
}
