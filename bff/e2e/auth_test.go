package e2e_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"langcard/bff/demo"
)

// loginCodecs are the login cookie's codecs, derived from cookieKey as the
// BFF derives them: what an attacker holding the key could forge.
func loginCodecs() []securecookie.Codec {
	hash := sha256.Sum256(append([]byte("langcard login cookie: hash\x00"), cookieKey...))
	enc := sha256.Sum256(append([]byte("langcard login cookie: encrypt\x00"), cookieKey...))
	return securecookie.CodecsFromPairs(hash[:], enc[:])
}

func loginCookies(resp *http.Response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "langcard-login-") {
			out[c.Name] = c
		}
	}
	return out
}

func TestSignInFlow(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	r := b.get("/login?login_hint=" + demo.Megan.UPN + "&returnTo=%2F%3Ftab%3D1")
	wantStatus(t, r, http.StatusFound)
	loc, _ := url.Parse(r.Header.Get("Location"))
	q := loc.Query()
	for k, want := range map[string]string{
		"response_type": "code", "code_challenge_method": "S256", "redirect_uri": h.url + "/auth/callback", "login_hint": demo.Megan.UPN,
	} {
		if q.Get(k) != want {
			t.Errorf("authorize %s = %q, want %q", k, q.Get(k), want)
		}
	}
	state, nonce := q.Get("state"), q.Get("nonce")
	if len(q.Get("code_challenge")) != 43 || len(state) < 43 || len(nonce) < 43 {
		t.Errorf("challenge %q, state %q, nonce %q: want S256 challenge and 256-bit state and nonce", q.Get("code_challenge"), state, nonce)
	}
	if scope := q.Get("scope"); !strings.Contains(scope, "openid") || !strings.Contains(scope, "offline_access") || !strings.Contains(scope, "User.ReadWrite") {
		t.Errorf("scope %q", scope)
	}
	lc := loginCookies(r.Response)["langcard-login-"+state]
	if lc == nil {
		t.Fatalf("no login cookie keyed by the state in %v", r.Header["Set-Cookie"])
	}
	if !lc.HttpOnly || lc.SameSite != http.SameSiteLaxMode || lc.Path != "/" || lc.MaxAge <= 0 || lc.MaxAge > 600 || lc.Domain != "" {
		t.Errorf("login cookie %+v: want HttpOnly, SameSite=Lax, Path=/, no Domain, Max-Age within 10 minutes", lc)
	}
	raw, _ := base64.URLEncoding.DecodeString(lc.Value)
	if strings.Contains(lc.Value, nonce) || strings.Contains(string(raw), nonce) || strings.Contains(string(raw), "returnTo") {
		t.Error("login cookie is readable; want it encrypted")
	}

	// Through the identity provider and back.
	idp := b.get(loc.String())
	cb, _ := url.Parse(idp.Header.Get("Location"))
	r = b.get(cb.String())
	wantStatus(t, r, http.StatusSeeOther)
	if got := r.Header.Get("Location"); got != "/?tab=1" {
		t.Errorf("callback sent the browser to %q, want the returnTo /?tab=1", got)
	}
	if c := loginCookies(r.Response)["langcard-login-"+state]; c == nil || c.MaxAge >= 0 {
		t.Errorf("login cookie not deleted after the callback: %+v", c)
	}
	var sc *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == "langcard" {
			sc = c
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Domain != "" || len(sc.Value) < 32 {
		t.Fatalf("session cookie %+v: want an opaque id, HttpOnly, SameSite=Lax, Path=/, no Domain", sc)
	}
	if strings.Contains(sc.Value, "eyJ") {
		t.Error("session cookie holds a token")
	}
	if r := b.get("/"); !strings.Contains(r.body, "Signed in as <strong>Megan Bowen</strong>") {
		t.Errorf("page after sign-in: %.300s", r.body)
	}
}

func TestSessionFixation(t *testing.T) {
	h := newHarness(t)
	attacker := h.signIn(demo.Megan.UPN)
	planted := attacker.cookie("langcard").Value

	victim := h.browser()
	u, _ := url.Parse(h.url)
	victim.jar.SetCookies(u, []*http.Cookie{{Name: "langcard", Value: planted, Path: "/"}})
	r, _ := victim.follow("/login?login_hint=" + demo.Innocenty.UPN)
	wantStatus(t, r, 200)
	if got := victim.cookie("langcard").Value; got == planted {
		t.Fatal("the session id was not renewed at sign-in")
	}
	if r := victim.api("GET", "/api/session", ""); !strings.Contains(r.body, demo.Innocenty.UPN) {
		t.Errorf("victim session = %s", r.body)
	}
	if r := attacker.api("GET", "/api/session", ""); r.StatusCode != 401 {
		t.Errorf("the planted id still answers %d %s, want 401", r.StatusCode, r.body)
	}
}

func TestLogout(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	old := b.cookie("langcard").Value

	// Forced logout from another site is refused; so is GET.
	r := b.do("POST", "/logout", nil, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	wantStatus(t, r, 403)
	wantStatus(t, b.get("/logout"), 405)
	wantStatus(t, b.api("GET", "/api/session", ""), 200)

	r = b.post("/logout", url.Values{"returnTo": {"https://evil.example/"}})
	wantStatus(t, r, http.StatusSeeOther)
	loc, _ := url.Parse(r.Header.Get("Location"))
	endSession := strings.TrimSuffix(h.idp.Issuer(), "/v2.0") + "/oauth2/v2.0/logout"
	if loc.Scheme+"://"+loc.Host+loc.Path != endSession || loc.Query().Get("post_logout_redirect_uri") != h.url+"/" {
		t.Errorf("logout sent the browser to %s, want the end-session endpoint coming back to %s/", loc, h.url)
	}
	if r := b.get(loc.String()); r.StatusCode != http.StatusFound || r.Header.Get("Location") != h.url+"/" {
		t.Errorf("end-session answered %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	wantStatus(t, b.api("GET", "/api/session", ""), 401)
	replay := h.browser()
	u, _ := url.Parse(h.url)
	replay.jar.SetCookies(u, []*http.Cookie{{Name: "langcard", Value: old, Path: "/"}})
	wantStatus(t, replay.api("GET", "/api/me/languages", ""), 401)
}

func TestLoginCSRF(t *testing.T) {
	h := newHarness(t)
	// begin starts a login and returns the browser, the state and the
	// authorize URL.
	begin := func() (*browser, string, *url.URL) {
		b := h.browser()
		r := b.get("/login")
		loc, _ := url.Parse(r.Header.Get("Location"))
		return b, loc.Query().Get("state"), loc
	}
	forge := func(b *browser, state string, values map[any]any) {
		v, err := securecookie.EncodeMulti("langcard-login-"+state, values, loginCodecs()...)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(h.url)
		b.jar.SetCookies(u, []*http.Cookie{{Name: "langcard-login-" + state, Value: v, Path: "/"}})
	}
	decodeLogin := func(b *browser, state string) map[any]any {
		values := map[any]any{}
		if err := securecookie.DecodeMulti("langcard-login-"+state, b.cookie("langcard-login-"+state).Value, &values, loginCodecs()...); err != nil {
			t.Fatal(err)
		}
		return values
	}
	tests := []struct {
		name       string
		callback   func() (*browser, string)
		wantStatus int
	}{
		{"no state", func() (*browser, string) { b, _, _ := begin(); return b, "/auth/callback?code=x" }, 400},
		{"state without a cookie", func() (*browser, string) {
			return h.browser(), "/auth/callback?code=x&state=" + strings.Repeat("a", 43)
		}, 400},
		{"mismatched state", func() (*browser, string) {
			b, _, _ := begin()
			return b, "/auth/callback?code=x&state=" + strings.Repeat("b", 43)
		}, 400},
		{"tampered cookie", func() (*browser, string) {
			b, state, _ := begin()
			c := b.cookie("langcard-login-" + state)
			u, _ := url.Parse(h.url)
			b.jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: "A" + c.Value[1:], Path: "/"}})
			return b, "/auth/callback?code=x&state=" + state
		}, 400},
		{"missing verifier", func() (*browser, string) {
			b, state, _ := begin()
			forge(b, state, map[any]any{"state": state, "nonce": "n", "returnTo": "/"})
			return b, "/auth/callback?code=x&state=" + state
		}, 400},
		{"identity provider refused", func() (*browser, string) {
			b, state, _ := begin()
			return b, "/auth/callback?error=access_denied&error_description=%3Cscript%3E&state=" + state
		}, 403},
		{"nonce mismatch", func() (*browser, string) {
			b, state, loc := begin()
			values := decodeLogin(b, state)
			values["nonce"] = "not-the-nonce-the-idp-saw"
			forge(b, state, values)
			cb := b.get(loc.String()).Header.Get("Location")
			return b, cb
		}, 502},
		{"verifier mismatch", func() (*browser, string) {
			b, state, loc := begin()
			values := decodeLogin(b, state)
			values["verifier"] = strings.Repeat("v", 43)
			forge(b, state, values)
			return b, b.get(loc.String()).Header.Get("Location")
		}, 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, cb := tt.callback()
			r := b.get(cb)
			wantStatus(t, r, tt.wantStatus)
			if strings.Contains(r.body, "<script>") {
				t.Error("the error description was reflected into the page")
			}
			cbURL, _ := url.Parse(cb)
			if state := cbURL.Query().Get("state"); state != "" && b.cookie("langcard-login-"+state) != nil {
				t.Error("the callback's login cookie was left behind after a failure")
			}
			if r := b.api("GET", "/api/session", ""); r.StatusCode != 401 {
				t.Errorf("a failed callback signed the browser in: %d", r.StatusCode)
			}
		})
	}
}

func TestTwoTabsSignInAtOnce(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	first := b.get("/login?returnTo=%2Fone")
	second := b.get("/login?returnTo=%2Ftwo")
	for _, x := range []struct {
		r    response
		want string
	}{{second, "/two"}, {first, "/one"}} {
		cb := b.get(x.r.Header.Get("Location")).Header.Get("Location")
		r := b.get(cb)
		wantStatus(t, r, http.StatusSeeOther)
		if got := r.Header.Get("Location"); got != x.want {
			t.Errorf("tab finished at %q, want %q", got, x.want)
		}
	}
}

// Unfinished logins cannot pile up cookies until headers overflow.
func TestLoginCookiesStayBounded(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	for range 20 {
		b.get("/login")
	}
	u, _ := url.Parse(h.url)
	n, size := 0, 0
	for _, c := range b.jar.Cookies(u) {
		n++
		size += len(c.Name) + len(c.Value)
	}
	if n != 4 || size > 4096 {
		t.Errorf("%d login cookies of %d bytes after 20 unfinished logins; want the 4 newest, within 4 KiB", n, size)
	}
}

func TestReturnTo(t *testing.T) {
	h := newHarness(t)
	for in, want := range map[string]string{
		"/users/x":                 "/users/x",
		embedOrigin + "/page":      embedOrigin + "/page",
		"https://evil.example/":    "/",
		"//evil.example/":          "/",
		"/\\evil.example":          "/",
		"/%09/evil.example":        "/%09/evil.example",
		"\t/evil.example":          "/",
		"http://127.0.0.1:1.evil/": "/",
	} {
		b := h.browser()
		r := b.get("/login?returnTo=" + url.QueryEscape(in))
		cb := b.get(r.Header.Get("Location")).Header.Get("Location")
		if got := b.get(cb).Header.Get("Location"); got != want {
			t.Errorf("returnTo %q: went to %q, want %q", in, got, want)
		}
	}
}

func TestRefresh(t *testing.T) {
	h := newHarness(t)
	// Tokens that expire within the refresh margin are refreshed on use.
	h.idp.SetAccessTTL(time.Minute)
	b := h.signIn(demo.Innocenty.UPN)

	// Many requests of one session at once share one refresh.
	h.idp.SetTokenDelay(300 * time.Millisecond)
	before := h.idp.Grants("refresh_token")
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if r := b.api("GET", "/api/me/languages", ""); r.StatusCode != 200 {
				t.Errorf("during refresh: %d %s", r.StatusCode, r.body)
			}
		})
	}
	wg.Wait()
	if got := h.idp.Grants("refresh_token") - before; got != 1 {
		t.Errorf("%d refreshes for 6 concurrent requests of one session, want 1", got)
	}
	h.idp.SetTokenDelay(0)

	// The refreshed token is stored: with a long-lived one, no more refreshes.
	h.idp.SetAccessTTL(time.Hour)
	wantStatus(t, b.api("GET", "/api/me/languages", ""), 200)
	before = h.idp.Grants("refresh_token")
	h.graph.ResetRequests()
	wantStatus(t, b.api("GET", "/api/me/languages", ""), 200)
	wantStatus(t, b.api("GET", "/api/me/languages", ""), 200)
	if got := h.idp.Grants("refresh_token") - before; got != 0 {
		t.Errorf("%d refreshes with a fresh stored token, want 0", got)
	}
	if reqs := h.graph.Requests(); len(reqs) != 2 || reqs[0].Header.Get("Authorization") != reqs[1].Header.Get("Authorization") {
		t.Error("the refreshed token was not reused")
	}
}

func TestRefreshErrors(t *testing.T) {
	h := newHarness(t)
	h.idp.SetAccessTTL(time.Minute)
	b := h.signIn(demo.Innocenty.UPN)

	// A transient failure keeps the session and the still-valid token.
	h.idp.Refuse("temporarily_unavailable")
	wantStatus(t, b.api("GET", "/api/me/languages", ""), 200)
	wantStatus(t, b.api("GET", "/api/session", ""), 200)

	// invalid_grant ends the session: 401, then 401.
	h.idp.Refuse("invalid_grant")
	r := b.api("GET", "/api/me/languages", "")
	wantStatus(t, r, 401)
	if r.Header.Get("Location") != "" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("401 should be JSON without a redirect, got %v", r.Header)
	}
	wantStatus(t, b.api("GET", "/api/session", ""), 401)
}

// Served over https, every cookie is Secure with the __Host- prefix (so
// no Domain and Path=/): only plain-http demo mode on loopback drops them.
func TestCookiesOverHTTPS(t *testing.T) {
	h := newHarness(t, withTLS)
	b := h.browser()
	r := b.get("/login")
	wantStatus(t, r, http.StatusFound)
	var login *http.Cookie
	for _, c := range r.Cookies() {
		login = c
	}
	if login == nil || !strings.HasPrefix(login.Name, "__Host-langcard-login-") || !login.Secure || !login.HttpOnly || login.Path != "/" || login.Domain != "" {
		t.Fatalf("login cookie %+v", login)
	}
	idp := b.get(r.Header.Get("Location"))
	r = b.get(idp.Header.Get("Location"))
	wantStatus(t, r, http.StatusSeeOther)
	var sess *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == "__Host-langcard" {
			sess = c
		}
	}
	if sess == nil || !sess.Secure || !sess.HttpOnly || sess.Path != "/" || sess.Domain != "" || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v in %v", sess, r.Header["Set-Cookie"])
	}
	wantStatus(t, b.api("GET", "/api/session", ""), 200)
}

// Over https every Set-Cookie of a __Host- cookie, deletions included,
// carries Secure, Path=/ and no Domain: a browser ignores a __Host-
// cookie without them, so a deletion without Secure would never delete.
// The raw headers are read, since Go's cookie jar does not apply the
// prefix rules (docs/security.md, rules 2 and 3).
func TestHostCookiesEvenWhenDeleted(t *testing.T) {
	h := newHarness(t, withTLS)
	b := h.browser()
	var raw []string
	keep := func(r response) response { raw = append(raw, r.Header.Values("Set-Cookie")...); return r }
	// Five sign-ins begun at once: the oldest login cookie is deleted
	// (at most four are kept).
	var idp response
	for range 5 {
		r := keep(b.get("/login"))
		idp = b.get(r.Header.Get("Location"))
	}
	// The last one finishes: its login cookie is deleted, the session set.
	keep(b.get(idp.Header.Get("Location")))
	wantStatus(t, b.api("GET", "/api/session", ""), http.StatusOK)
	// A callback that fails deletes its login cookie too.
	keep(b.get("/auth/callback?state=nosuchstate&code=x"))
	// Sign-out replaces the session cookie.
	keep(b.do("POST", "/logout", nil, map[string]string{"Origin": h.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded"}))
	deletions := 0
	for _, c := range raw {
		name, _, _ := strings.Cut(c, "=")
		if !strings.HasPrefix(name, "__Host-") {
			t.Errorf("over https, a cookie without the __Host- prefix: %s", c)
			continue
		}
		attrs := strings.ToLower(c)
		if !strings.Contains(attrs, "; secure") || !strings.Contains(attrs, "; path=/") || strings.Contains(attrs, "domain=") {
			t.Errorf("%s: want Secure, Path=/ and no Domain", c)
		}
		if strings.Contains(attrs, "max-age=0") || strings.Contains(attrs, "expires=thu, 01 jan 1970") {
			deletions++
		}
	}
	// The oldest login cookie, the finished one's and the failed one's
	// (sign-out gives the browser a new session id rather than none).
	if deletions != 3 {
		t.Errorf("%d deletions seen, want 3: %q", deletions, raw)
	}
}
