package e2e_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"langcard/bff/app"
	"langcard/bff/auth/entrafake"
	"langcard/bff/config"
	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

// Tenant mode, end to end: the same wiring as production, against an
// Entra-shaped identity provider and a Graph emulator in the real
// service's shape, with the BFF on https (Secure, __Host- cookies).

const (
	tenantGUID   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	tenantDomain = "contoso.onmicrosoft.com"
	clientID     = "5f1c1e6a-1b2c-4d3e-8f90-a1b2c3d4e5f6"
	clientSecret = "Q~secret.value-for-tests"
)

type tenant struct {
	*harness
	entra *entrafake.Server
}

type tenantOption func(env map[string]string, o *entrafake.Options)

func newTenant(t *testing.T, opts ...tenantOption) *tenant {
	t.Helper()
	bffLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	public := "https://" + bffLn.Addr().String()
	eo := entrafake.Options{
		TenantID: tenantGUID, Domain: tenantDomain, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURIs: []string{public + "/auth/callback", public + "/"},
		Consented:    []string{"User.ReadWrite", "User.Read.All", "User.ReadWrite.All"},
		// The registration asks Entra for directory roles in the ID token.
		GroupMembershipClaims: "DirectoryRole",
		AccessTTL:             time.Minute, // inside the refresh margin: every request refreshes
	}
	for _, p := range demo.People {
		eo.Users = append(eo.Users, entrafake.User{ID: p.ID, Name: p.DisplayName, UPN: p.UPN, Roles: p.Roles})
	}
	env := map[string]string{
		"LANGCARD_TENANT_ID": tenantGUID, "LANGCARD_CLIENT_ID": clientID, "LANGCARD_CLIENT_SECRET": clientSecret,
		"LANGCARD_PUBLIC_URL": public, "LANGCARD_COOKIE_KEY": base64.StdEncoding.EncodeToString(cookieKey),
		"LANGCARD_GRAPH_MAX_WAIT": "2s",
	}
	for _, o := range opts {
		o(env, &eo)
	}
	entra, err := entrafake.New(eo)
	if err != nil {
		t.Fatal(err)
	}
	idp := httptest.NewServer(entra)
	t.Cleanup(idp.Close)
	entra.SetAuthority(idp.URL)

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dir := make([]graphfake.Person, len(demo.People))
	for i, p := range demo.People {
		dir[i] = p.Person
	}
	keys := oidc.NewRemoteKeySet(ctx, entra.JWKSURL())
	g := graphfake.New(graphfake.Signed(keys, entra.AccessTokenIssuer(), entrafake.GraphAppID), dir...)
	g.Seed(demo.Innocenty.ID, demo.Example())
	g.SetPageSize(1)
	gsrv := httptest.NewServer(g)
	t.Cleanup(gsrv.Close)

	env["LANGCARD_AUTHORITY"] = idp.URL
	// An option may name another path of the emulator (a wrong version).
	env["LANGCARD_GRAPH_BASE_URL"] = gsrv.URL + cmp.Or(env["LANGCARD_GRAPH_BASE_URL"], "/beta")
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, url: public, graph: g, logs: &syncBuffer{}, seen: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
	srv := &httptest.Server{Listener: bffLn, Config: &http.Server{Handler: a.Handler}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	h.transport = srv.Client().Transport
	return &tenant{harness: h, entra: entra}
}

// signInTenant signs in through the Entra-shaped provider.
func (tn *tenant) signIn(upn string) (*browser, response) {
	tn.t.Helper()
	b := tn.browser()
	r, _ := b.follow("/login?login_hint=" + url.QueryEscape(upn))
	return b, r
}

func TestTenantSignInEditRefreshSignOut(t *testing.T) {
	tn := newTenant(t)
	b := tn.browser()
	r, _ := b.follow("/login?login_hint=" + url.QueryEscape(demo.Innocenty.UPN))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Signed in as") || !strings.Contains(r.body, "Norwegian Bokmål") {
		t.Fatalf("sign-in ended with %d %.400s", r.StatusCode, r.body)
	}
	// The login cookie went out __Host-, Secure and HttpOnly, and so did
	// the session cookie the callback set.
	r = b.get("/login?login_hint=" + url.QueryEscape(demo.Innocenty.UPN))
	idp := b.get(r.Header.Get("Location"))
	r = b.get(idp.Header.Get("Location"))
	var names []string
	for _, c := range r.Cookies() {
		if c.MaxAge >= 0 && (!strings.HasPrefix(c.Name, "__Host-") || !c.Secure || !c.HttpOnly || c.Domain != "" || c.Path != "/") {
			t.Errorf("cookie %s: want __Host-, Secure, HttpOnly, Path=/, no Domain", c)
		}
		names = append(names, c.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "__Host-langcard ") && !strings.HasSuffix(strings.Join(names, " "), "__Host-langcard") {
		t.Errorf("the callback set %v, want the session cookie", names)
	}
	// Edit: a partial PATCH reaches Graph with Entra's access token.
	tn.graph.ResetRequests()
	r = b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"written":"fullProfessional"}`)
	wantStatus(t, r, http.StatusOK)
	if got := tn.graph.Languages(demo.Innocenty.ID)[0]; got.Written != langprof.FullProfessional {
		t.Errorf("Graph holds %+v", got)
	}
	// Each request above refreshed (tokens live a minute, inside the
	// margin): with rotation, every refresh used the newest refresh token,
	// and every one sent the granted scopes.
	wantStatus(t, b.api("GET", "/api/me/languages", ""), http.StatusOK)
	scopes := tn.entra.RefreshScopes()
	if len(scopes) < 2 {
		t.Fatalf("%d refreshes, want one per request", len(scopes))
	}
	for _, sc := range scopes {
		if !strings.Contains(" "+sc+" ", " User.ReadWrite ") {
			t.Errorf("refresh sent scope %q, want the granted scopes", sc)
		}
	}
	// Sign-out: the session ends, Entra's end-session endpoint sends the
	// browser back to the registered URI.
	r = b.do("POST", "/logout", nil, map[string]string{"Origin": tn.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded"})
	wantStatus(t, r, http.StatusSeeOther)
	loc, _ := url.Parse(r.Header.Get("Location"))
	if back := loc.Query().Get("post_logout_redirect_uri"); back != tn.url+"/" {
		t.Errorf("post_logout_redirect_uri %q", back)
	}
	if r := b.get(loc.String()); r.StatusCode != http.StatusFound || r.Header.Get("Location") != tn.url+"/" || tn.entra.Logouts() != 1 {
		t.Errorf("Entra did not send the browser back: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	wantStatus(t, b.api("GET", "/api/session", ""), http.StatusUnauthorized)
	for _, secret := range []string{"eyJ", "1.AQ", clientSecret} {
		if strings.Contains(tn.logs.String(), secret) || strings.Contains(tn.seen.String(), secret) {
			t.Errorf("%q appeared in a log or a response", secret)
		}
	}
}

// A grant Entra revoked (invalid_grant at refresh) ends the session.
func TestTenantRevokedGrantEndsSession(t *testing.T) {
	tn := newTenant(t)
	b, _ := tn.signIn(demo.Megan.UPN)
	if r := b.api("GET", "/api/me/languages", ""); r.StatusCode != 200 {
		t.Fatalf("%d %s\n%s", r.StatusCode, r.body, tn.logs.String())
	}
	tn.entra.Revoke(demo.Megan.UPN)
	r := b.api("GET", "/api/me/languages", "")
	wantStatus(t, r, http.StatusUnauthorized)
	if r := b.get("/"); !strings.Contains(r.body, "Sign in") {
		t.Errorf("after invalid_grant the page is not the sign-in page: %.300s", r.body)
	}
	if !strings.Contains(tn.logs.String(), "aadsts=50173") {
		t.Error("the log does not say which AADSTS error ended the session")
	}
}

// A domain as the tenant id is resolved to the tenant's GUID issuer, and
// sign-in verifies tokens against it.
func TestTenantByDomain(t *testing.T) {
	tn := newTenant(t, func(env map[string]string, _ *entrafake.Options) { env["LANGCARD_TENANT_ID"] = tenantDomain })
	if _, r := tn.signIn(demo.Innocenty.UPN); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Signed in as") {
		t.Fatalf("sign-in with a domain tenant ended with %d %.300s", r.StatusCode, r.body)
	}
	cfg, _ := config.Load(func(k string) string {
		return map[string]string{"LANGCARD_TENANT_ID": "fabrikam.onmicrosoft.com", "LANGCARD_CLIENT_ID": clientID, "LANGCARD_CLIENT_SECRET": "x",
			"LANGCARD_PUBLIC_URL": "https://langcard.example", "LANGCARD_COOKIE_KEY": base64.StdEncoding.EncodeToString(cookieKey),
			"LANGCARD_AUTHORITY": strings.TrimSuffix(tn.entra.Issuer(), "/"+tenantGUID+"/v2.0")}[k]
	})
	if _, _, err := app.Discover(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "does not know this tenant") {
		t.Errorf("an unknown domain: got %v, want a clear refusal", err)
	}
}

// Sign-in failures an administrator can fix say how.
func TestTenantSignInFailuresSayWhatToCheck(t *testing.T) {
	t.Run("no admin consent", func(t *testing.T) {
		tn := newTenant(t, func(env map[string]string, o *entrafake.Options) {
			env["LANGCARD_SCOPES"] = "User.ReadWrite User.ReadWrite.All"
			o.Consented = []string{"User.ReadWrite"}
		})
		_, r := tn.signIn(demo.Adele.UPN)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "admin consent") {
			t.Errorf("got %d %.600s", r.StatusCode, r.body)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		tn := newTenant(t, func(env map[string]string, _ *entrafake.Options) { env["LANGCARD_CLIENT_SECRET"] = "an old secret" })
		_, r := tn.signIn(demo.Adele.UPN)
		if r.StatusCode != http.StatusBadGateway || !strings.Contains(r.body, "client secret") {
			t.Errorf("got %d %.600s", r.StatusCode, r.body)
		}
	})
}

// A slow request that saves the session (a form save setting its notice)
// must not put back the tokens it read before another request refreshed
// them: with rotating refresh tokens that would sign the person out
// (docs/security.md, rule 18).
func TestTenantSlowSaveKeepsRefreshedTokens(t *testing.T) {
	tn := newTenant(t)
	b, _ := tn.signIn(demo.Innocenty.UPN)
	form := cardForm(t, b.get("/").body, demo.ExampleID)
	form.Set("spoken", "elementary")
	tn.graph.ResetRequests()
	tn.graph.Inject(graphfake.Fault{Delay: time.Second})
	done := make(chan response)
	go func() { done <- b.post("/languages/"+demo.ExampleID, form) }()
	wait, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := tn.graph.Await(wait, 1, func(r graphfake.Request) bool { return r.Method != http.MethodGet }); err != nil {
		t.Fatal("the slow save never reached Graph")
	}
	before := len(tn.entra.RefreshScopes())
	wantStatus(t, b.api("GET", "/api/me/languages", ""), http.StatusOK) // refreshes while the save waits
	if len(tn.entra.RefreshScopes()) == before {
		t.Fatal("the interleaved request did not refresh")
	}
	if r := <-done; r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the slow save answered %d", r.StatusCode)
	}
	if r := b.api("GET", "/api/me/languages", ""); r.StatusCode != http.StatusOK {
		t.Fatalf("after the slow save: %d %s (the refreshed tokens were written back over)", r.StatusCode, r.body)
	}
}

// A tenant that has not consented to reading colleagues' profiles still
// signs people in, for their own languages; colleagues' cards say why
// they cannot be shown.
func TestTenantWithoutConsentToReadColleagues(t *testing.T) {
	tn := newTenant(t, func(_ map[string]string, o *entrafake.Options) { o.Consented = []string{"User.ReadWrite"} })
	b, r := tn.signIn(demo.Innocenty.UPN)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Norwegian Bokmål") {
		t.Fatalf("sign-in without the optional scope ended with %d %.300s", r.StatusCode, r.body)
	}
	r = b.api("GET", "/api/users/"+demo.Megan.UPN+"/languages", "")
	wantStatus(t, r, http.StatusForbidden)
	if !strings.Contains(r.body, "not allowed to show colleagues’ languages yet") {
		t.Errorf("got %s", r.body)
	}
	wantStatus(t, b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`), http.StatusOK)
}

// Roles from Entra, end to end: with the registration's
// groupMembershipClaims, the ID token's wids claim makes a User
// Administrator an administrator in langcard; a role langcard does not
// count, or no claim at all, leaves everyone a colleague, whatever their
// token's scopes.
func TestTenantRolesFromEntra(t *testing.T) {
	allScopes := func(env map[string]string, _ *entrafake.Options) {
		env["LANGCARD_SCOPES"] = "User.ReadWrite User.Read.All User.ReadWrite.All"
	}
	seed := func(tn *tenant) {
		for _, lp := range []langprof.LanguageProficiency{
			{ID: "e1a2b3c4-0000-4000-8000-00000000ad01", Tag: "es", DisplayName: "Spanish", AllowedAudiences: langprof.Everyone},
			{ID: "e1a2b3c4-0000-4000-8000-00000000ad03", Tag: "fi", DisplayName: "Finnish", AllowedAudiences: langprof.Me},
		} {
			tn.graph.Seed(demo.Megan.ID, lp)
		}
	}
	finnish := "/api/users/" + demo.Megan.UPN + "/languages/e1a2b3c4-0000-4000-8000-00000000ad03"
	t.Run("with the claim", func(t *testing.T) {
		tn := newTenant(t, allScopes)
		seed(tn)
		admin, r := tn.signIn(demo.Adele.UPN)
		wantStatus(t, r, http.StatusOK)
		if r := admin.api("GET", "/api/session", ""); !strings.Contains(r.body, `"canEditOthers":true`) {
			t.Errorf("a User Administrator's session: %s", r.body)
		}
		if r := admin.api("GET", "/api/users/"+demo.Megan.UPN+"/languages", ""); !strings.Contains(r.body, "Finnish") {
			t.Errorf("the administrator does not see the hidden entry: %s", r.body)
		}
		r = admin.api("PATCH", finnish, `{"spoken":"elementary"}`)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(tn.logs.String(), "audit: a change to another person's profile") {
			t.Error("the administrator's change was not audited")
		}
		// People Administrator is a role, but not one langcard counts.
		lee, _ := tn.signIn(demo.Lee.UPN)
		if r := lee.api("GET", "/api/session", ""); !strings.Contains(r.body, `"canEditOthers":false`) {
			t.Errorf("a People Administrator's session: %s", r.body)
		}
		if r := lee.api("GET", "/api/users/"+demo.Megan.UPN+"/languages", ""); strings.Contains(r.body, "Finnish") || !strings.Contains(r.body, "Spanish") {
			t.Errorf("Lee, whose role langcard does not count, sees %s", r.body)
		}
	})
	t.Run("without the claim", func(t *testing.T) {
		tn := newTenant(t, allScopes, func(_ map[string]string, o *entrafake.Options) { o.GroupMembershipClaims = "None" })
		seed(tn)
		admin, _ := tn.signIn(demo.Adele.UPN)
		if r := admin.api("GET", "/api/session", ""); !strings.Contains(r.body, `"canEditOthers":false`) {
			t.Errorf("without wids, the session: %s", r.body)
		}
		if r := admin.api("GET", "/api/users/"+demo.Megan.UPN+"/languages", ""); strings.Contains(r.body, "Finnish") {
			t.Errorf("without wids, a scope alone showed a hidden entry: %s", r.body)
		}
		tn.graph.ResetRequests()
		wantStatus(t, admin.api("PATCH", finnish, `{"spoken":"elementary"}`), http.StatusForbidden)
		if n := len(upstreamWrites(tn.harness)); n != 0 {
			t.Errorf("%d writes reached Graph", n)
		}
	})
}

// The profile under Graph's v1.0 (a wrong LANGCARD_GRAPH_BASE_URL) is
// named as the configuration it is, to the administrator in the log, and
// to the person in words.
func TestTenantWrongGraphVersion(t *testing.T) {
	tn := newTenant(t, func(env map[string]string, _ *entrafake.Options) { env["LANGCARD_GRAPH_BASE_URL"] = "/v1.0" })
	b, r := tn.signIn(demo.Innocenty.UPN)
	if r.StatusCode != http.StatusBadGateway || !strings.Contains(r.body, "does not serve profiles") {
		t.Errorf("the page: %d %.300s", r.StatusCode, r.body)
	}
	r = b.api("GET", "/api/me/languages", "")
	if e := decode[apiError](t, r); r.StatusCode != http.StatusBadGateway || e.Error.Code != "graphMisconfigured" {
		t.Errorf("the API: %d %s", r.StatusCode, r.body)
	}
	if !strings.Contains(tn.logs.String(), "LANGCARD_GRAPH_BASE_URL does not serve profiles") {
		t.Error("the log does not name the setting")
	}
}
