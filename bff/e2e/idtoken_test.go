package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"langcard/bff/auth/entrafake"
	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
)

// The ID token's every check, through the real sign-in over HTTP: the
// identity provider issues a token wrong in one way, and langcard refuses
// it with the person's message, stores nothing and sets no session
// (docs/security.md, rule 1). Each case fails when go-oidc's matching
// check is switched off (SkipClientIDCheck, SkipIssuerCheck,
// SkipExpiryCheck, InsecureSkipSignatureCheck) or when the nonce is not
// compared.
func TestTenantIDTokenChecks(t *testing.T) {
	tn := newTenant(t)
	// A first sign-in, whose nonce the replay case sends again.
	if _, r := tn.signIn(demo.Megan.UPN); r.StatusCode != http.StatusOK {
		t.Fatalf("the first sign-in: %d", r.StatusCode)
	}
	signedIn := func() int { return strings.Count(tn.logs.String(), `msg="signed in"`) }
	for _, f := range entrafake.IDTokenFaults {
		t.Run(string(f), func(t *testing.T) {
			before, logged := signedIn(), len(tn.logs.String())
			tn.entra.BreakNextIDToken(f)
			b := tn.browser()
			r, _ := b.follow("/login?login_hint=" + url.QueryEscape(demo.Innocenty.UPN))
			want := "could not be verified. Start again"
			if f == entrafake.Expired || f == entrafake.NotYetValid {
				want = "its time stamps do not fit this server’s clock"
			}
			if r.StatusCode != http.StatusBadGateway || !strings.Contains(r.body, want) {
				t.Errorf("got %d, want 502 saying %q: %.400s", r.StatusCode, want, r.body)
			}
			if c := b.cookie("__Host-langcard"); c != nil && c.Name == "__Host-langcard" {
				t.Error("a session cookie was set")
			}
			for _, c := range r.Cookies() {
				if c.Name == "__Host-langcard" {
					t.Errorf("the answer sets the session cookie %s", c)
				}
			}
			wantStatus(t, b.api("GET", "/api/session", ""), http.StatusUnauthorized)
			if n := signedIn(); n != before {
				t.Errorf("%d sign-ins recorded, want %d", n, before)
			}
			if !strings.Contains(tn.logs.String()[logged:], "ID token refused") {
				t.Error("the log does not say the ID token was refused")
			}
		})
	}
	// And a well-formed token still signs in: the cases failed for their
	// fault alone.
	if _, r := tn.signIn(demo.Innocenty.UPN); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Signed in as") {
		t.Errorf("a sound token after them: %d", r.StatusCode)
	}
}

// What an identity provider or Graph writes in an error body reaches the
// log without any credential it may carry: a code exchange and a refresh
// answered with secrets in every field, and Graph's error message holding
// a bearer token (docs/security.md, rule 7).
func TestSecretsInPeersErrorsStayOutOfTheLog(t *testing.T) {
	tn := newTenant(t)
	jwt := "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOiJ5ZXMifQ.U0VDUkVULXNpZ25hdHVyZS1TRUNSRVQtc2lnbmF0dXJl"
	rt := "1.AQSECRETrefreshTOKENabcdefghijklmnopqrstuvwxyz0123456789ABCDEF"
	body := `{"error":"invalid_request ` + rt + `","error_description":"AADSTS50000: the refresh_token ` + rt + ` and the access_token ` + jwt + ` were refused","access_token":"` + jwt + `","refresh_token":"` + rt + `"}`
	secrets := []string{jwt, rt, jwt[len(jwt)-20:], rt[len(rt)-20:]}
	leaked := func(where string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(tn.logs.String(), s) {
				t.Errorf("%s: the log holds %q", where, s)
			}
		}
	}

	// A code exchange answered with secrets.
	tn.entra.FailToken(http.StatusBadRequest, body)
	b := tn.browser()
	if r, _ := b.follow("/login?login_hint=" + url.QueryEscape(demo.Innocenty.UPN)); r.StatusCode/100 != 5 {
		t.Errorf("the failed exchange answered %d", r.StatusCode)
	}
	leaked("the code exchange")

	// A refresh answered with secrets (tokens live a minute here: every
	// request refreshes), as JSON and as a page.
	b, r := tn.signIn(demo.Innocenty.UPN)
	wantStatus(t, r, http.StatusOK)
	for _, answer := range []struct {
		status int
		body   string
	}{{http.StatusBadRequest, body}, {http.StatusInternalServerError, "<html>" + rt + " " + jwt + "</html>"}} {
		tn.entra.FailToken(answer.status, answer.body)
		b.api("GET", "/api/me/languages", "")
	}
	if !strings.Contains(tn.logs.String(), "token refresh failed") {
		t.Fatal("no refresh failed: the test proves nothing")
	}
	leaked("the refresh")

	// Graph's error message carrying the bearer token.
	tn.graph.Inject(graphfake.Fault{Status: http.StatusBadRequest, Code: "BadRequest " + jwt, Message: "Authorization: Bearer " + jwt + " refused " + rt})
	b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`)
	if !strings.Contains(tn.logs.String(), "request failed") {
		t.Fatal("the Graph failure was not logged: the test proves nothing")
	}
	leaked("Graph's error")
}
