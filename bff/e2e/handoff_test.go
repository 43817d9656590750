package e2e_test

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"langcard/bff/auth"
	"langcard/bff/demo"
)

// handoffSecret is a card's secret and its hash, as embed.js makes them.
func handoffSecret() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, auth.HandoffHash(secret)
}

// popupSignIn runs the sign-in window's part of a handoff for origin
// (its opener's), over HTTP: the form post, the identity provider, the
// callback; it returns the window's last answer.
func popupSignIn(t *testing.T, h *harness, popup *browser, secret, hash, origin string) response {
	t.Helper()
	r := popup.post("/auth/handoff", url.Values{"hash": {hash}, "secret": {secret}, "origin": {origin}})
	if r.StatusCode != http.StatusSeeOther {
		return r
	}
	last, _ := popup.follow(r.Header.Get("Location"))
	return last
}

// redeem is the card's redemption, a CORS call from origin on a host of
// another site.
func redeem(card *browser, secret, origin string, csrf bool) response {
	hdr := map[string]string{"Origin": origin, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}
	if csrf {
		hdr["X-CSRF"] = "1"
	}
	return card.do("POST", "/api/handoff/redeem", strings.NewReader(`{"secret":"`+secret+`"}`), hdr)
}

// A card on a host of another site is handed a session: once, only to the
// origin that started it, only for the secret that matches the hash the
// sign-in window was opened with, and only with the CSRF header; the
// session lives in a partitioned cookie, ends with the card's sign-out,
// and never carries a token to the browser.
func TestHandoffToACardOnAnotherSite(t *testing.T) {
	// Two embedding origins: a handoff one of them started is not the
	// other's to redeem.
	const wiki = "https://wiki.contoso.example"
	h := newHarness(t, withTLS, withEmbedOrigin(embedOrigin+","+wiki))
	secret, hash := handoffSecret()
	card, popup := h.browser(), h.browser()
	crossSite := map[string]string{"Origin": embedOrigin, "Sec-Fetch-Site": "cross-site"}

	// Nothing to redeem before the window signs in; a secret of no
	// handoff is unknown.
	wantStatus(t, redeem(card, secret, embedOrigin, true), http.StatusNotFound)

	// The window: a secret that is not the hash's, or an origin that may
	// not embed, goes no further; the window's page names the origin.
	other, _ := handoffSecret()
	wantStatus(t, popupSignIn(t, h, popup, other, hash, embedOrigin), http.StatusBadRequest)
	r := popupSignIn(t, h, popup, secret, hash, "https://evil.example")
	wantStatus(t, r, http.StatusForbidden)
	if !strings.Contains(r.body, "https://evil.example") || !strings.Contains(r.body, "LANGCARD_EMBED_ORIGINS") {
		t.Errorf("the refusal of an unlisted origin does not name it and the setting: %.400s", r.body)
	}
	if r := h.browser().get("/auth/handoff?hash=" + url.QueryEscape("not a hash")); r.StatusCode != http.StatusBadRequest {
		t.Errorf("the sign-in window for a malformed hash answered %d", r.StatusCode)
	}
	if r := h.browser().get("/auth/handoff?hash=" + hash); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `id="langcard-handoff"`) {
		t.Errorf("the sign-in window answered %d", r.StatusCode)
	}

	// Started, not signed in: nothing is kept for it yet (the handoff
	// rides in the window's login cookie), so nothing can be redeemed.
	popup2 := h.browser()
	secret2, hash2 := handoffSecret()
	wantStatus(t, popup2.post("/auth/handoff", url.Values{"hash": {hash2}, "secret": {secret2}, "origin": {embedOrigin}}), http.StatusSeeOther)
	if r := redeem(card, secret2, embedOrigin, true); r.StatusCode != http.StatusNotFound {
		t.Errorf("a handoff whose window has not signed in answered %d, want 404", r.StatusCode)
	}

	if r := popupSignIn(t, h, popup, secret, hash, embedOrigin); r.StatusCode != http.StatusOK || r.Request.URL.Path != auth.HandoffDonePath {
		t.Fatalf("the sign-in window ended at %s with %d", r.Request.URL, r.StatusCode)
	}
	// The window's own browser context holds no session: it was for the card.
	wantStatus(t, popup.api("GET", "/api/session", ""), http.StatusUnauthorized)

	// Another origin cannot redeem it, nor can a request without the CSRF
	// header (a form, or a simple request).
	wantStatus(t, redeem(card, secret, "http://127.0.0.1:9", true), http.StatusForbidden)
	if r := redeem(card, secret, wiki, true); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "handoffElsewhere") {
		t.Errorf("another embedding origin redeemed the handoff: %d %s", r.StatusCode, r.body)
	}
	wantStatus(t, redeem(card, secret, embedOrigin, false), http.StatusForbidden)

	r = redeem(card, secret, embedOrigin, true)
	wantStatus(t, r, http.StatusNoContent)
	var set string
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "__Host-langcard=") {
			set = c
		}
	}
	for _, want := range []string{"Partitioned", "SameSite=None", "Secure", "HttpOnly", "Path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("the card's session cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(r.body, "token") || strings.Contains(set, "eyJ") {
		t.Errorf("the redemption carries a token: %q %q", r.body, set)
	}
	// Once only.
	wantStatus(t, redeem(h.browser(), secret, embedOrigin, true), http.StatusNotFound)

	// The card's session is a session like any other: its calls carry the
	// cookie, writes keep the CSRF rules, and a listed origin alone reads.
	s := card.do("GET", "/api/session", nil, crossSite)
	if s.StatusCode != http.StatusOK || !strings.Contains(s.body, demo.Innocenty.UPN) {
		t.Fatalf("the card's session: %d %s", s.StatusCode, s.body)
	}
	patch := `{"displayName":"Norsk (bokmål)"}`
	path := "/api/me/languages/" + demo.ExampleID
	wantStatus(t, card.do("PATCH", path, strings.NewReader(patch), map[string]string{"Origin": embedOrigin, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}), http.StatusForbidden)
	wantStatus(t, card.do("PATCH", path, strings.NewReader(patch), map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json", "X-CSRF": "1"}), http.StatusForbidden)
	wantStatus(t, card.do("PATCH", path, strings.NewReader(patch), map[string]string{"Origin": embedOrigin, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json", "X-CSRF": "1"}), http.StatusOK)
	if r := card.do("GET", "/embed/cards", nil, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); r.StatusCode != http.StatusForbidden || strings.Contains(r.body, "Norsk") {
		t.Errorf("an unlisted origin read the card's languages: %d", r.StatusCode)
	}
	// Every page of the host's site gets the partitioned cookie (on
	// SharePoint Online, other tenants' pages too): an API read from one
	// that is not an embedding origin's CORS call reads nothing from Graph.
	h.graph.ResetRequests()
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://fabrikam.example"}, // another tenant's CORS call
		{"Sec-Fetch-Site": "cross-site"},                                       // a no-cors fetch, a navigation
	} {
		wantStatus(t, card.do("GET", "/api/me/languages", nil, hdr), http.StatusForbidden)
	}
	if n := len(h.graph.Requests()); n != 0 {
		t.Errorf("%d Graph requests for reads from other pages of the host's site", n)
	}
	wantStatus(t, card.do("GET", "/api/me/languages", nil, crossSite), http.StatusOK)
	frag := card.do("GET", "/embed/cards", nil, crossSite)
	if !strings.Contains(frag.body, "data-signout") {
		t.Errorf("the card's own session offers no sign-out: %.300s", frag.body)
	}

	// Sign-out ends it (its tokens with it), and deletes the partitioned
	// cookie in its partition.
	out := card.do("DELETE", "/api/session", nil, map[string]string{"Origin": embedOrigin, "Sec-Fetch-Site": "cross-site", "X-CSRF": "1"})
	wantStatus(t, out, http.StatusNoContent)
	if c := strings.Join(out.Header.Values("Set-Cookie"), "\n"); !strings.Contains(c, "Max-Age=0") || !strings.Contains(c, "Partitioned") {
		t.Errorf("sign-out did not delete the partitioned cookie: %q", c)
	}
	wantStatus(t, card.do("GET", "/api/session", nil, crossSite), http.StatusUnauthorized)
	signin := card.do("GET", "/embed/cards", nil, crossSite).body
	if !strings.Contains(signin, "data-handoff") {
		t.Errorf("signed out on another site, the card does not sign in through langcard's window: %.300s", signin)
	}
	// The frame on another site's page signs in the same way, with
	// langcard's own origin as the opener's (the frame's).
	if frame := h.browser().do("GET", "/embed/frame", nil, map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "iframe"}).body; !strings.Contains(frame, "data-handoff") || !strings.Contains(frame, `/static/embed.js"`) {
		t.Errorf("the frame on another site does not sign in through langcard's window: %.400s", frame)
	}
	secret3, hash3 := handoffSecret()
	if r := popupSignIn(t, h, h.browser(), secret3, hash3, h.url); r.StatusCode != http.StatusOK {
		t.Errorf("the frame's handoff (origin %s) ended with %d", h.url, r.StatusCode)
	}
	frameCard := h.browser()
	wantStatus(t, frameCard.do("POST", "/api/handoff/redeem", strings.NewReader(`{"secret":"`+secret3+`"}`), map[string]string{"Origin": h.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json", "X-CSRF": "1"}), http.StatusNoContent)
	wantStatus(t, frameCard.api("GET", "/api/session", ""), http.StatusOK)
	// A same-site page keeps today's sign-in link.
	if same := h.browser().do("GET", "/embed/cards", nil, map[string]string{"Origin": embedOrigin, "Sec-Fetch-Site": "same-site"}).body; strings.Contains(same, "data-handoff") || !strings.Contains(same, "/login?returnTo=") {
		t.Errorf("a same-site page's card signs in another way: %.300s", same)
	}
}
