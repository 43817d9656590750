package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"
)

// GraphAudience is the audience of access tokens for Graph.
const GraphAudience = "https://graph.microsoft.com"

// IdP is the demo identity provider: mockoidc, served through a mux of
// our own so that it honours login_hint, issues Entra-like access tokens
// (oid, scp, aud = Graph; expires_in in seconds) and has an end-session
// endpoint. All calls into mockoidc are serialised, since its session
// store is a plain map.
type IdP struct {
	m           *mockoidc.MockOIDC
	mu          sync.Mutex
	people      []Person
	srv         *http.Server
	baseURL     string
	tokenErrors []string
	tokenDelay  time.Duration
	grants      map[string]int
	// sessionAt and sessionOrder track mockoidc's sessions, oldest first.
	sessionAt    map[string]time.Time
	sessionOrder []string
	// PostLogoutOrigin is the only origin post_logout_redirect_uri may
	// name (the BFF's), compared exactly.
	PostLogoutOrigin string
	// arrived counts token requests by grant type as they arrive (before
	// any delay); arrival is closed at each (AwaitGrant's wake-up).
	arrived map[string]int
	arrival chan struct{}
}

// AwaitGrant waits until n token requests of grantType have arrived (a
// delayed one counts as it arrives), or ctx ends.
func (idp *IdP) AwaitGrant(ctx context.Context, grantType string, n int) error {
	for {
		idp.mu.Lock()
		if idp.arrived[grantType] >= n {
			idp.mu.Unlock()
			return nil
		}
		if idp.arrival == nil {
			idp.arrival = make(chan struct{})
		}
		ch := idp.arrival
		idp.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// StartIdP serves a demo identity provider on ln until Close.
func StartIdP(ln net.Listener, people []Person) (*IdP, error) {
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		return nil, err
	}
	idp := &IdP{m: m, people: people, baseURL: "http://" + ln.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("/oidc/authorize", idp.authorize)
	mux.HandleFunc("/oidc/token", idp.token)
	mux.HandleFunc("/oidc/userinfo", idp.locked(m.Userinfo))
	mux.HandleFunc("/oidc/.well-known/jwks.json", idp.locked(m.JWKS))
	mux.HandleFunc("/oidc/.well-known/openid-configuration", idp.discovery)
	mux.HandleFunc("/oidc/logout", idp.logout)
	// mockoidc builds its issuer from Server.Addr; we serve it ourselves.
	idp.srv = &http.Server{Addr: ln.Addr().String(), Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	m.Server = idp.srv
	go idp.srv.Serve(ln)
	return idp, nil
}

// Close stops the identity provider.
func (idp *IdP) Close() error { return idp.srv.Close() }

// Issuer is the issuer URL (OIDC discovery lives below it).
func (idp *IdP) Issuer() string { return idp.m.Issuer() }

// ClientID and ClientSecret are the one client the IdP knows.
func (idp *IdP) ClientID() string     { return idp.m.ClientID }
func (idp *IdP) ClientSecret() string { return idp.m.ClientSecret }

// JWKSURL is where the IdP publishes its signing keys.
func (idp *IdP) JWKSURL() string { return idp.m.JWKSEndpoint() }

// SetAccessTTL sets the lifetime of the access tokens it issues next.
func (idp *IdP) SetAccessTTL(d time.Duration) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	idp.m.AccessTTL = d
}

// QueueError makes the next token request fail with an OAuth error such as
// "invalid_grant".
func (idp *IdP) QueueError(code string) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	idp.tokenErrors = append(idp.tokenErrors, code)
}

// Person returns the demo person with the given UPN.
func (idp *IdP) Person(upn string) (Person, bool) {
	for _, p := range idp.people {
		if strings.EqualFold(p.UPN, upn) {
			return p, true
		}
	}
	return Person{}, false
}

func (idp *IdP) locked(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		idp.mu.Lock()
		defer idp.mu.Unlock()
		h(w, r)
	}
}

func (idp *IdP) authorize(w http.ResponseWriter, r *http.Request) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	p, ok := idp.Person(r.FormValue("login_hint"))
	if !ok {
		p = idp.people[0]
	}
	// mockoidc takes the next queued user only once it has validated the
	// request: whatever it did not take must not sign in someone later.
	q := idp.m.UserQueue
	q.Lock()
	q.Queue = []mockoidc.User{oidcUser{p}}
	q.Unlock()
	idp.m.Authorize(w, r)
	q.Lock()
	q.Queue = nil
	q.Unlock()
	idp.boundSessions()
}

// Sessions is how many sessions mockoidc holds.
func (idp *IdP) Sessions() int {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	return len(idp.m.SessionStore.Store)
}

// maxSessions bounds the sessions mockoidc keeps (it never frees them):
// past it, the oldest go, and with them their refresh tokens.
const maxSessions = 1000

// boundSessions forgets mockoidc's oldest sessions past maxSessions.
// idp.mu is held.
func (idp *IdP) boundSessions() {
	store := idp.m.SessionStore.Store
	if idp.sessionAt == nil {
		idp.sessionAt = map[string]time.Time{}
	}
	for id := range store {
		if _, ok := idp.sessionAt[id]; !ok {
			idp.sessionAt[id] = time.Now()
			idp.sessionOrder = append(idp.sessionOrder, id)
		}
	}
	for len(idp.sessionOrder) > maxSessions {
		id := idp.sessionOrder[0]
		idp.sessionOrder = idp.sessionOrder[1:]
		delete(store, id)
		delete(idp.sessionAt, id)
	}
}

// SetTokenDelay makes the token endpoint answer after d.
func (idp *IdP) SetTokenDelay(d time.Duration) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	idp.tokenDelay = d
}

// Grants returns how many token requests of a grant type (such as
// "refresh_token") the IdP has received.
func (idp *IdP) Grants(grantType string) int {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	return idp.grants[grantType]
}

func (idp *IdP) token(w http.ResponseWriter, r *http.Request) {
	idp.mu.Lock()
	delay := idp.tokenDelay
	if idp.arrived == nil {
		idp.arrived = map[string]int{}
	}
	idp.arrived[r.FormValue("grant_type")]++
	if idp.arrival != nil {
		close(idp.arrival)
		idp.arrival = nil
	}
	idp.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return
	}
	idp.mu.Lock()
	defer idp.mu.Unlock()
	if idp.grants == nil {
		idp.grants = map[string]int{}
	}
	idp.grants[r.FormValue("grant_type")]++
	if len(idp.tokenErrors) > 0 {
		code := idp.tokenErrors[0]
		idp.tokenErrors = idp.tokenErrors[1:]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "The demo IdP was told to refuse this request."})
		return
	}
	rec := httptest.NewRecorder()
	idp.m.Token(rec, r)
	var body map[string]any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
		copyResponse(w, rec)
		return
	}
	access, _ := body["access_token"].(string)
	// The token was just signed; parse it without its time checks, so the
	// IdP can be told to issue already-expired tokens (SetAccessTTL).
	tok, err := jwt.NewParser(jwt.WithoutClaimsValidation()).Parse(access, func(*jwt.Token) (any, error) {
		return idp.m.Keypair.PublicKey, nil
	})
	if err != nil {
		http.Error(w, "demo IdP: cannot re-sign token", http.StatusInternalServerError)
		return
	}
	claims := tok.Claims.(jwt.MapClaims)
	jti, _ := claims["jti"].(string)
	sess, err := idp.m.SessionStore.GetSessionByID(jti)
	if err != nil {
		http.Error(w, "demo IdP: unknown session", http.StatusInternalServerError)
		return
	}
	u := sess.User.(oidcUser)
	granted := grantedScopes(sess.Scopes)
	claims["oid"], claims["scp"], claims["aud"] = u.ID(), strings.Join(granted, " "), GraphAudience
	if body["access_token"], err = idp.m.Keypair.SignJWT(claims); err != nil {
		http.Error(w, "demo IdP: cannot sign token", http.StatusInternalServerError)
		return
	}
	body["scope"] = strings.Join(granted, " ")
	body["expires_in"] = int(idp.m.AccessTTL / time.Second)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(body)
}

// grantedScopes is what Entra grants where an administrator consented,
// tenant-wide, to every permission asked for: all of them, to everyone.
func grantedScopes(requested []string) []string {
	var out []string
	for _, s := range requested {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (idp *IdP) discovery(w http.ResponseWriter, r *http.Request) {
	idp.mu.Lock()
	rec := httptest.NewRecorder()
	idp.m.Discovery(rec, r)
	idp.mu.Unlock()
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		http.Error(w, "demo IdP: discovery", http.StatusInternalServerError)
		return
	}
	doc["end_session_endpoint"] = idp.baseURL + "/oidc/logout"
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(doc)
}

// logout is the end-session endpoint: it sends the browser on to the
// post_logout_redirect_uri when it belongs to the registered client.
func (idp *IdP) logout(w http.ResponseWriter, r *http.Request) {
	to := r.FormValue("post_logout_redirect_uri")
	u, err := url.Parse(to)
	if to == "" || idp.PostLogoutOrigin == "" || err != nil || u.User != nil || u.Scheme+"://"+u.Host != idp.PostLogoutOrigin {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("You are signed out of the demo identity provider.\n"))
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// oidcUser makes a demo Person a mockoidc.User with Entra-like ID token
// claims: oid, name and preferred_username.
type oidcUser struct{ Person }

func (u oidcUser) ID() string { return u.Person.ID }

func (u oidcUser) Userinfo(scope []string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": u.Person.ID, "name": u.DisplayName, "preferred_username": u.UPN, "email": u.UPN})
}

func (u oidcUser) Claims(scope []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if base == nil {
		return nil, errors.New("demo: no base claims")
	}
	return idClaims{IDTokenClaims: base, OID: u.Person.ID, Name: u.DisplayName, PreferredUsername: u.UPN, WIDs: u.Roles}, nil
}

type idClaims struct {
	*mockoidc.IDTokenClaims
	OID               string `json:"oid"`
	Name              string `json:"name"`
	PreferredUsername string `json:"preferred_username"`
	// WIDs are the person's directory roles, as Entra states them when
	// the app registration's groupMembershipClaims asks for them.
	WIDs []string `json:"wids,omitempty"`
}

// Login runs the authorization code flow (with PKCE) against the IdP over
// HTTP, as a browser and a confidential client would, and returns the
// token for the person with the given UPN. Tests use it to call Graph
// without a BFF in between.
func (idp *IdP) Login(ctx context.Context, upn string, scopes ...string) (*oauth2.Token, error) {
	conf := &oauth2.Config{
		ClientID: idp.ClientID(), ClientSecret: idp.ClientSecret(),
		Endpoint: oauth2.Endpoint{
			AuthURL: idp.m.AuthorizationEndpoint(), TokenURL: idp.m.TokenEndpoint(),
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: "http://127.0.0.1/callback",
		Scopes:      append([]string{"openid", "profile", "offline_access"}, scopes...),
	}
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("state", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("login_hint", upn))
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return nil, fmt.Errorf("demo: authorize answered %s without a redirect", resp.Status)
	}
	return conf.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
}

// mockoidc refuses scopes outside its ScopesSupported list; the demo IdP
// also issues the ones langcard asks Entra for.
func init() {
	for _, s := range []string{"offline_access", "User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All"} {
		if !slices.Contains(mockoidc.ScopesSupported, s) {
			mockoidc.ScopesSupported = append(mockoidc.ScopesSupported, s)
		}
	}
}
