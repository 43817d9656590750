package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"langcard/bff/auth"
	"langcard/bff/demo"
	"langcard/bff/dev/redistest"
)

// Static assets and health checks never touch the session: no cookie on
// a public, immutable answer, and they keep serving while the session
// store is down (docs/security.md, rule 17).
func TestAssetsAndHealthLeaveTheSessionAlone(t *testing.T) {
	u, redis := redistest.Server(t)
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

// A person holds at most auth.MaxSessionsPerPerson sessions: signing in
// once more ends the oldest, so sign-in floods do not grow the store.
func TestSessionsPerPersonBounded(t *testing.T) {
	h := newHarness(t)
	var browsers []*browser
	for range auth.MaxSessionsPerPerson + 1 {
		browsers = append(browsers, h.signIn(demo.Megan.UPN))
	}
	if r := browsers[0].api("GET", "/api/me/languages", ""); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the oldest session answered %d, want 401", r.StatusCode)
	}
	for i, b := range browsers[1:] {
		if r := b.api("GET", "/api/me/languages", ""); r.StatusCode != http.StatusOK {
			t.Errorf("session %d answered %d, want 200", i+1, r.StatusCode)
		}
	}
	// Other people are not affected.
	if r := h.signIn(demo.Innocenty.UPN).api("GET", "/api/me/languages", ""); r.StatusCode != http.StatusOK {
		t.Errorf("another person's session answered %d", r.StatusCode)
	}
}

// A hung identity provider does not hang the session: a refresh is
// bounded, a request that gives up does not cancel it for the others, and
// while the access token is still valid the requests go on with it.
func TestHungIdentityProvider(t *testing.T) {
	h := newHarness(t, func(env map[string]string) { env["LANGCARD_IDP_TIMEOUT"] = "500ms" })
	h.idp.SetAccessTTL(time.Minute) // inside the refresh margin
	b := h.signIn(demo.Innocenty.UPN)
	h.idp.SetTokenDelay(time.Hour)

	impatient := &http.Client{Jar: b.jar, Timeout: 100 * time.Millisecond}
	req, _ := http.NewRequest("GET", h.url+"/api/me/languages", nil)
	if _, err := impatient.Do(req); err == nil {
		t.Fatal("the impatient request did not give up")
	}
	start := time.Now()
	patient := &http.Client{Jar: b.jar, Timeout: 5 * time.Second}
	resp, err := patient.Get(h.url + "/api/me/languages")
	if err != nil {
		t.Fatalf("a request of the session hung with the identity provider: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("answered %d, want 200 with the still-valid token", resp.StatusCode)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

// A long path is not reflected: the sign-in page's return path goes
// through the returnTo check, bounded, and the log keeps a bounded path.
func TestLongPathsAreNotReflected(t *testing.T) {
	h := newHarness(t)
	long := "/users/" + strings.Repeat("a", 60<<10)
	r := h.browser().get(long)
	wantStatus(t, r, http.StatusOK)
	if len(r.body) > 32<<10 || strings.Contains(r.body, strings.Repeat("a", 300)) {
		t.Errorf("the sign-in page is %d bytes and reflects the path", len(r.body))
	}
	if !strings.Contains(r.body, "Sign in") {
		t.Errorf("no sign-in page: %.300s", r.body)
	}
	if strings.Contains(h.logs.String(), strings.Repeat("a", 300)) {
		t.Error("the log holds the whole path")
	}
	// A short path still comes back after sign-in.
	r = h.browser().get("/users/megan.bowen@contoso.example")
	if !strings.Contains(r.body, "returnTo=%2Fusers%2Fmegan.bowen%40contoso.example") {
		t.Errorf("the return path was lost: %.2000s", r.body)
	}
}

// Login cookies stay bounded without dropping sign-ins in flight: a fifth
// tab's sign-in expires only the oldest, and a flood of login cookies gets
// a bounded answer.
func TestLoginCookiesExpireOnlyTheOldest(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	var idp []string // where each tab's sign-in went
	for range 5 {
		r := b.get("/login?login_hint=" + url.QueryEscape(demo.Megan.UPN))
		wantStatus(t, r, http.StatusFound)
		idp = append(idp, r.Header.Get("Location"))
	}
	u, _ := url.Parse(h.url)
	n := 0
	for _, c := range b.jar.Cookies(u) {
		if strings.HasPrefix(c.Name, "langcard-login-") {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d login cookies after 5 sign-ins, want 4", n)
	}
	// The oldest is gone; the others finish.
	finish := func(to string) int {
		cb := b.get(to).Header.Get("Location")
		return b.get(cb).StatusCode
	}
	if got := finish(idp[0]); got != http.StatusBadRequest {
		t.Errorf("the oldest sign-in finished with %d, want 400 (its cookie was expired)", got)
	}
	if got := finish(idp[4]); got != http.StatusSeeOther {
		t.Errorf("the newest sign-in finished with %d, want 303", got)
	}

	// A flood of forged login cookies: bounded work, bounded answer.
	var cookies []string
	for i := range 3000 {
		cookies = append(cookies, "langcard-login-"+strconv.Itoa(i)+"=x")
	}
	r := h.browser().do("GET", "/login", nil, map[string]string{"Cookie": strings.Join(cookies, "; ")})
	if sc := r.Header.Values("Set-Cookie"); len(sc) > 16+1 {
		t.Errorf("%d Set-Cookie lines for a flood of login cookies, want at most 17", len(sc))
	}
}

// The demo identity provider validates before it acts: a request without
// PKCE gets an error and no code, and does not change who signs in next;
// sign-out returns only to an address registered for the BFF; the codes
// and refresh tokens it holds are bounded.
func TestDemoIdentityProviderPeers(t *testing.T) {
	h := newHarness(t)
	authorize := strings.TrimSuffix(h.idp.Issuer(), "/v2.0") + "/oauth2/v2.0/authorize"
	query := func(upn, challenge string) string {
		q := url.Values{"login_hint": {upn}, "client_id": {h.idp.ClientID()}, "response_type": {"code"}, "scope": {"openid"}, "state": {"s"}, "redirect_uri": {h.url + "/auth/callback"}}
		if challenge != "" {
			q.Set("code_challenge", challenge)
			q.Set("code_challenge_method", "S256")
		}
		return authorize + "?" + q.Encode()
	}
	r := h.browser().get(query(demo.Adele.UPN, ""))
	if back, _ := url.Parse(r.Header.Get("Location")); back == nil || back.Query().Get("code") != "" || back.Query().Get("error") != "invalid_request" {
		t.Fatalf("an authorize request without PKCE was answered %d %q, want an invalid_request error and no code", r.StatusCode, r.Header.Get("Location"))
	}
	b := h.signIn(demo.Megan.UPN)
	if s := b.api("GET", "/api/session", "").body; !strings.Contains(s, demo.Megan.UPN) {
		t.Errorf("signed in as %s, want Megan", s)
	}

	logout := strings.TrimSuffix(h.idp.Issuer(), "/v2.0") + "/oauth2/v2.0/logout?post_logout_redirect_uri="
	for _, to := range []string{h.url + ".evil.example/", "http://evil.example/" + h.url, strings.Replace(h.url, "http://", "http://user@", 1) + "/", h.url + "/elsewhere"} {
		if r := h.browser().get(logout + url.QueryEscape(to)); r.StatusCode/100 == 3 {
			t.Errorf("sign-out sent the browser to %s", r.Header.Get("Location"))
		}
	}
	if r := h.browser().get(logout + url.QueryEscape(h.url+"/")); r.StatusCode != http.StatusFound {
		t.Errorf("sign-out to the BFF answered %d", r.StatusCode)
	}

	for range 1010 {
		h.browser().get(query(demo.Megan.UPN, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
	}
	if codes, _ := h.idp.Held(); codes != 1000 {
		t.Errorf("the demo identity provider holds %d codes after 1010 sign-ins, want the latest 1000", codes)
	}
}

// After sign-out the sign-in page says so, once; every page has an icon
// (no favicon 404).
func TestSignedOutNoticeAndIcon(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	r := b.post("/logout", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	page, _ := b.follow(r.Header.Get("Location"))
	if !strings.Contains(page.body, "You have signed out.") || !strings.Contains(page.body, `rel="icon" href="data:image/svg+xml,`) {
		t.Errorf("after sign-out: %.600s", page.body)
	}
	if again := b.get("/"); strings.Contains(again.body, "You have signed out.") {
		t.Error("the notice stays after it was shown")
	}
}

// The demo intranet page answers the icon browsers ask for on their own:
// no 404 for the console to log.
func TestDemoIntranetIcon(t *testing.T) {
	srv := httptest.NewServer(demo.Intranet("http://127.0.0.1:1"))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
		t.Errorf("/favicon.ico: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
