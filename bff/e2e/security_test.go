package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
)

const meganEntry = "a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44"

// Every state-changing route refuses cross-site requests and sends
// nothing upstream (docs/security.md, rule 8).
func TestCSRFOnEveryWriteRoute(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Adele.UPN)
	megan := "/users/" + demo.Megan.UPN
	apiRoutes := []struct{ method, path string }{
		{"POST", "/api/me/languages"},
		{"PATCH", "/api/me/languages/" + demo.ExampleID},
		{"DELETE", "/api/me/languages/" + demo.ExampleID},
		{"POST", "/api" + megan + "/languages"},
		{"PATCH", "/api" + megan + "/languages/" + meganEntry},
		{"DELETE", "/api" + megan + "/languages/" + meganEntry},
	}
	formRoutes := []string{
		"/languages", "/languages/" + demo.ExampleID, "/languages/" + demo.ExampleID + "/delete",
		megan + "/languages", megan + "/languages/" + meganEntry, megan + "/languages/" + meganEntry + "/delete",
		"/logout",
	}
	// Each attack sends X-CSRF: 1 unless it is the attack without it.
	type attack struct {
		name   string
		hdr    map[string]string
		noCSRF bool
	}
	attacks := []attack{
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, false},
		{"same-site sibling", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:9"}, false},
		{"foreign origin only", map[string]string{"Origin": "https://evil.example"}, false},
		{"null origin", map[string]string{"Origin": "null", "Sec-Fetch-Site": "cross-site"}, false},
		// Each signal alone: Sec-Fetch-Site without a foreign Origin (none,
		// or one naming the BFF itself), and a foreign Origin without
		// Sec-Fetch-Site (above).
		{"cross-site without Origin", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"cross-site naming our origin", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": h.url}, false},
		{"same-site without Origin", map[string]string{"Sec-Fetch-Site": "same-site"}, false},
	}
	body := `{"tag":"fr","displayName":"French","spoken":"elementary","written":"elementary","reading":"elementary"}`
	for _, rt := range apiRoutes {
		for _, a := range append(attacks, attack{"no X-CSRF header", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": h.url}, true}) {
			t.Run(rt.method+" "+rt.path+" "+a.name, func(t *testing.T) {
				h.graph.ResetRequests()
				hdr := map[string]string{"Content-Type": "application/json"}
				if !a.noCSRF {
					hdr["X-CSRF"] = "1"
				}
				for k, v := range a.hdr {
					hdr[k] = v
				}
				r := b.do(rt.method, rt.path, strings.NewReader(body), hdr)
				wantStatus(t, r, http.StatusForbidden)
				if !strings.Contains(r.body, `"code":"csrfRejected"`) {
					t.Errorf("body %s", r.body)
				}
				if n := len(h.graph.Requests()); n != 0 {
					t.Errorf("%d requests reached Graph", n)
				}
			})
		}
	}
	form := url.Values{"tag": {"fr"}, "displayName": {"French"}, "spoken": {"elementary"}, "written": {"elementary"}, "reading": {"elementary"}, "allowedAudiences": {"me"}}
	for _, path := range formRoutes {
		for _, a := range attacks {
			t.Run("form "+path+" "+a.name, func(t *testing.T) {
				h.graph.ResetRequests()
				hdr := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
				for k, v := range a.hdr {
					hdr[k] = v
				}
				r := b.do("POST", path, strings.NewReader(form.Encode()), hdr)
				wantStatus(t, r, http.StatusForbidden)
				if !strings.Contains(r.body, "sent from another site") || strings.Contains(r.body, "cross-origin request detected") {
					t.Errorf("the refusal is not langcard's own page: %.300s", r.body)
				}
				if n := len(h.graph.Requests()); n != 0 {
					t.Errorf("%d requests reached Graph", n)
				}
			})
		}
	}
	// Still signed in, nothing changed.
	wantStatus(t, b.api("GET", "/api/session", ""), 200)
	if got := len(h.graph.Languages(demo.Innocenty.ID)); got != 2 {
		t.Errorf("Innocenty has %d languages, want the 2 seeded", got)
	}
}

func TestCORS(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	r := b.do("GET", "/api/session", nil, map[string]string{"Origin": embedOrigin, "Sec-Fetch-Site": "cross-site"})
	wantStatus(t, r, 200)
	if r.Header.Get("Access-Control-Allow-Origin") != embedOrigin || r.Header.Get("Access-Control-Allow-Credentials") != "true" || !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Origin") {
		t.Errorf("embedding origin got %v", r.Header)
	}
	// A configured origin may write, after its preflight.
	pre := b.do("OPTIONS", "/api/me/languages/"+demo.ExampleID, nil, map[string]string{
		"Origin": embedOrigin, "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "content-type,x-csrf",
	})
	wantStatus(t, pre, http.StatusNoContent)
	if !strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "PATCH") || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "X-CSRF") {
		t.Errorf("preflight %v", pre.Header)
	}
	r = b.do("PATCH", "/api/me/languages/"+demo.ExampleID, strings.NewReader(`{"spoken":"elementary"}`), map[string]string{
		"Origin": embedOrigin, "Sec-Fetch-Site": "cross-site", "X-CSRF": "1", "Content-Type": "application/json",
	})
	wantStatus(t, r, 200)

	for _, origin := range []string{"https://evil.example", "null", embedOrigin + ".evil.example", "http://127.0.0.1:10", strings.ToUpper(embedOrigin)} {
		r := b.do("GET", "/api/me/languages", nil, map[string]string{"Origin": origin, "Sec-Fetch-Site": "cross-site"})
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("origin %q got Access-Control-Allow-Origin %q", origin, got)
		}
		pre := b.do("OPTIONS", "/api/me/languages", nil, map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST"})
		if pre.StatusCode != http.StatusForbidden || pre.Header.Get("Access-Control-Allow-Origin") != "" || pre.Header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("preflight from %q: %d %v", origin, pre.StatusCode, pre.Header)
		}
	}
	if strings.Contains(h.seen.String(), "Access-Control-Allow-Origin: *") {
		t.Error("a response allowed every origin")
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t)
	anon := h.browser()
	b := h.signIn(demo.Innocenty.UPN)
	pages := []response{
		anon.get("/"),
		b.get("/"),
		b.get("/users/" + demo.Megan.UPN), // 403 page
		b.post("/languages", url.Values{"tag": {"no-NB"}}),
		anon.get("/auth/callback"),
	}
	for _, r := range pages {
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval';", "frame-ancestors 'none';", "default-src 'none'", "base-uri 'none'", "form-action 'self' http://127.0.0.1:"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s (%d): CSP %q lacks %q", r.Request.URL.Path, r.StatusCode, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "*") {
			t.Errorf("CSP %q is too loose", csp)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "same-origin" || r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: headers %v", r.Request.URL.Path, r.Header)
		}
	}
	// Only the frame made for embedding may be framed, and only by the
	// embedding origins.
	for _, r := range []response{anon.get("/embed/frame"), b.get("/embed/frame?layout=compact")} {
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors "+embedOrigin+";") || !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") {
			t.Errorf("/embed/frame (%d): CSP %q", r.StatusCode, csp)
		}
	}
	for _, r := range []response{b.api("GET", "/api/me/languages", ""), anon.api("GET", "/api/session", ""), b.api("GET", "/api/nope", ""), b.api("PUT", "/api/me/languages", "")} {
		if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s (%d): headers %v", r.Request.Method, r.Request.URL.Path, r.StatusCode, r.Header)
		}
	}
}

// Ids and users are validated and escaped before any upstream call, and
// no query string from the browser passes through (rule 12).
func TestPathAndQueryInjection(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Adele.UPN)
	bad := []struct{ path, target string }{
		{"/api/users/..%2Fme/languages", "user"},
		{"/api/users/a%2Fb%40contoso.example/languages", "user"},
		{"/api/users/x%40contoso.example%3F%24select%3Did/languages", "user"},
		{"/api/users/megan.bowen%40contoso.example%23frag/languages", "user"},
		{"/api/users/%2e%2e/languages", "user"},
		{"/api/users/me/languages", "user"},
		{"/api/users/a%20b%40contoso.example/languages", "user"},
		{"/api/users/x%40y/languages", "user"},
		{"/api/users/%25%32%65%40contoso.example/languages", "user"},
		{"/api/me/languages/%2e%2e", "id"},
		{"/api/me/languages/a%2Fb", "id"},
		{"/api/me/languages/a%3Fb", "id"},
		{"/api/me/languages/a%23b", "id"},
		{"/api/me/languages/a%00b", "id"},
		{"/api/me/languages/%C3%A9", "id"},
		{"/api/me/languages/x%20y", "id"},
		{"/api/users/" + demo.Megan.UPN + "/languages/..%2F..%2Fme", "id"},
	}
	for _, tt := range bad {
		h.graph.ResetRequests()
		r := b.api("GET", tt.path, "")
		if r.StatusCode != 400 || !strings.Contains(r.body, `"target":"`+tt.target+`"`) {
			t.Errorf("GET %s: %d %s, want 400 naming %s", tt.path, r.StatusCode, r.body, tt.target)
		}
		if reqs := h.graph.Requests(); len(reqs) != 0 {
			t.Errorf("GET %s reached Graph as %s", tt.path, reqs[0].EscapedPath)
		}
	}
	// Literal dot segments are cleaned by the router: a redirect, nothing upstream.
	h.graph.ResetRequests()
	if r := b.api("GET", "/api/me/languages/../../users/x", ""); r.StatusCode/100 != 3 && r.StatusCode != 404 {
		t.Errorf("dot segments: %d", r.StatusCode)
	}
	if n := len(h.graph.Requests()); n != 0 {
		t.Errorf("dot segments reached Graph %d times", n)
	}

	// No query passes through; $ UPNs use the key form.
	h.graph.ResetRequests()
	wantStatus(t, b.api("GET", "/api/me/languages?$select=id&$filter=tag%20eq%20'x'&$top=1", ""), 200)
	b.api("GET", "/api/users/%24svc%40contoso.example/languages?x=1", "")
	reqs := h.graph.Requests()
	if len(reqs) != 2 || reqs[0].RawQuery != "" || reqs[1].RawQuery != "" || reqs[1].EscapedPath != "/beta/users('$svc@contoso.example')/profile/languages" {
		t.Errorf("upstream requests %+v", reqs)
	}
}

// Only the BFF's own Authorization goes upstream: not the browser's
// cookies, not any header it sent (rule 13).
func TestBrowserHeadersStayHome(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	h.graph.ResetRequests()
	r := b.do("PATCH", "/api/me/languages/"+demo.ExampleID, strings.NewReader(`{"spoken":"elementary"}`), map[string]string{
		"X-CSRF": "1", "Content-Type": "application/json", "Origin": h.url,
		"Authorization": "Bearer attacker", "X-Evil": "1", "X-Forwarded-For": "10.0.0.1", "Prefer": "return=minimal", "Cookie": "extra=1",
	})
	wantStatus(t, r, 200)
	reqs := h.graph.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d upstream requests", len(reqs))
	}
	got := reqs[0].Header
	// The emulator keeps a fingerprint of the Authorization header; the
	// 200 says it verified a real token, and it was not the browser's.
	if a := got.Get("Authorization"); a == "" || a == graphfake.Fingerprint("Bearer attacker") {
		t.Errorf("upstream Authorization %q, want the session's token", a)
	}
	for _, name := range []string{"Cookie", "X-Evil", "X-Forwarded-For", "Prefer", "X-Csrf", "Origin", "Sec-Fetch-Site"} {
		if v := got.Get(name); v != "" {
			t.Errorf("upstream got %s: %q", name, v)
		}
	}
}

func TestSignedOut(t *testing.T) {
	h := newHarness(t)
	anon := h.browser()
	for _, rt := range []struct{ method, path string }{{"GET", "/api/session"}, {"GET", "/api/me/languages"}, {"PATCH", "/api/me/languages/" + demo.ExampleID}, {"DELETE", "/api/users/" + demo.Megan.UPN + "/languages/" + meganEntry}} {
		r := anon.api(rt.method, rt.path, `{"spoken":"elementary"}`)
		wantStatus(t, r, 401)
		if r.Header.Get("Location") != "" || !strings.Contains(r.body, `"code":"unauthenticated"`) {
			t.Errorf("%s %s: %v %s, want JSON 401 without a redirect", rt.method, rt.path, r.Header, r.body)
		}
	}
	for _, path := range []string{"/", "/users/" + demo.Megan.UPN} {
		r := anon.get(path)
		if r.StatusCode != 200 || !strings.Contains(r.body, "Sign in with Microsoft") || !strings.Contains(r.body, "returnTo="+url.QueryEscape(path)) {
			t.Errorf("GET %s signed out: %d %.200s, want the sign-in page returning here", path, r.StatusCode, r.body)
		}
	}
	// A missing or expired session is 401, never 500.
	u, _ := url.Parse(h.url)
	anon.jar.SetCookies(u, []*http.Cookie{{Name: "langcard", Value: strings.Repeat("x", 43), Path: "/"}})
	wantStatus(t, anon.api("GET", "/api/me/languages", ""), 401)
}

// No token, code, verifier or cookie shows in a log line, a page or an
// API response (rule 7), through a whole session's life.
func TestNoSecretsLeak(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	r, visited := b.follow("/login?login_hint=" + demo.Adele.UPN)
	wantStatus(t, r, 200)
	var secrets []string
	for _, v := range visited {
		u, _ := url.Parse(v)
		// state and nonce travel in URLs by design; the code must go no further.
		if s := u.Query().Get("code"); s != "" {
			secrets = append(secrets, s)
		}
	}
	b.api("GET", "/api/me/languages", "")
	b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"tag":"no-NB"}`)
	b.api("PATCH", "/api/users/"+demo.Megan.UPN+"/languages/"+meganEntry, `{"spoken":"elementary"}`)
	h.graph.Inject(graphfake.Fault{Status: 401, Code: "InvalidAuthenticationToken"})
	b.api("GET", "/api/me/languages", "")
	b.post("/languages", url.Values{"tag": {"xx"}})
	u, _ := url.Parse(h.url)
	for _, c := range b.jar.Cookies(u) {
		secrets = append(secrets, c.Value)
	}
	for _, req := range h.graph.Requests() {
		secrets = append(secrets, strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer "))
	}
	b.post("/logout", nil)
	if len(secrets) < 6 {
		t.Fatalf("collected only %d secrets; the test is not looking", len(secrets))
	}
	logs, seen := h.logs.String(), h.seen.String()
	if !strings.Contains(logs, "path=/api/me/languages") {
		t.Fatal("the log captured nothing; the test is not looking")
	}
	for _, s := range secrets {
		if len(s) < 16 {
			continue
		}
		if strings.Contains(logs, s) {
			t.Errorf("log holds a secret %.12s…", s)
		}
		if strings.Contains(seen, s) {
			t.Errorf("a response holds a secret %.12s…", s)
		}
	}
	for name, text := range map[string]string{"log": logs, "responses": seen} {
		if strings.Contains(text, "eyJ") {
			t.Errorf("%s hold a JWT", name)
		}
	}
}
