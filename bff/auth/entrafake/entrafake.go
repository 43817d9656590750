// Package entrafake is an identity provider shaped like Microsoft Entra ID
// (the v2.0 endpoints of one tenant), for tenant-mode tests: discovery at
// {authority}/{tenant}/v2.0 for the tenant's GUID and for its domain (both
// name the GUID issuer), RS256 tokens whose keys carry x5c certificates,
// Entra's token response fields, AADSTS error bodies, client_secret_post,
// exact redirect URIs, PKCE, single-use and rotating refresh tokens, a
// refresh grant that requires scope, consent, and an end-session endpoint
// that accepts only registered return URIs. It does not import testing.
package entrafake

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"golang.org/x/oauth2"
)

// GraphAppID is Microsoft Graph's application id: the audience of the
// access tokens Entra issues for Graph.
const GraphAppID = "00000003-0000-0000-c000-000000000000"

// oidcScopes need no consent and are not Graph's.
var oidcScopes = []string{"openid", "profile", "email", "offline_access"}

// User is a person of the tenant.
type User struct {
	ID, Name, UPN string
	// Roles are the directory roles the person holds (role template ids),
	// stated in the wids claim of tokens for an app registration whose
	// GroupMembershipClaims asks for them.
	Roles []string
}

// Options describe the tenant and its one app registration.
type Options struct {
	// TenantID is the tenant's GUID; Domain its verified domain.
	TenantID, Domain string
	// ClientID and ClientSecret are the app registration's.
	ClientID, ClientSecret string
	// RedirectURIs are the registered redirect URIs (the sign-in callback
	// and the sign-out return), matched exactly.
	RedirectURIs []string
	// Consented are the delegated Graph scopes an administrator consented
	// to; asking for another fails with AADSTS65001.
	Consented []string
	Users     []User
	// AccessTTL is the lifetime of access tokens (default one hour).
	AccessTTL time.Duration
	// GroupMembershipClaims is the app manifest's setting: "DirectoryRole"
	// or "All" put the wids claim (the user's directory role template
	// ids) in the app's ID tokens; "" or "None" do not. Graph's access
	// tokens follow Graph's own manifest and always carry it.
	GroupMembershipClaims string
	// AccountPicker signs in the first user when an authorization request
	// names no login_hint, as a person choosing their account in Entra's
	// picker would (demo mode's plain "Sign in").
	AccountPicker bool
}

// maxGrants bounds the authorization codes and the refresh tokens the
// server holds (each): past it the oldest go, as an unused code expires
// and a refresh token ages out, so a long-running demo stays bounded.
const maxGrants = 1000

// Server is the fake Entra ID; serve it under its authority's origin.
type Server struct {
	o      Options
	key    *rsa.PrivateKey
	kid    string
	x5c    string
	issuer string // set by SetAuthority

	mu        sync.Mutex
	authority string
	codes     map[string]grant // authorization code → grant
	refreshes map[string]grant // refresh token → grant
	revoked   map[string]bool  // users whose grants were revoked
	// refreshScopes records the scope of each refresh request, in order.
	refreshScopes []string
	// idFault, when set, breaks the next ID token issued; lastNonce is
	// the nonce of the latest sign-in, for a replay.
	idFault   IDTokenFault
	lastNonce string
	// tokenFailures answer the next token requests instead (FailToken).
	tokenFailures []tokenFailure
	logouts       int
	now           func() time.Time
	// codeOrder and refreshOrder list codes and refresh tokens oldest
	// first (some already used), for maxGrants.
	codeOrder, refreshOrder []string
	// tokenDelay holds each token request before it is answered;
	// arrived counts token requests by grant type as they arrive (before
	// the delay), answered as they are answered; arrival is closed at
	// each arrival (AwaitGrant's wake-up).
	tokenDelay time.Duration
	arrived    map[string]int
	answered   map[string]int
	arrival    chan struct{}
}

type grant struct {
	user             User
	scopes           []string
	nonce, challenge string
	redirectURI      string
}

// New returns a fake Entra tenant.
func New(o Options) (*Server, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "accounts.accesscontrol.windows.net"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	thumb := sha1.Sum(der)
	if o.AccessTTL == 0 {
		o.AccessTTL = time.Hour
	}
	return &Server{o: o, key: key, kid: base64.RawURLEncoding.EncodeToString(thumb[:]), x5c: base64.StdEncoding.EncodeToString(der),
		codes: map[string]grant{}, refreshes: map[string]grant{}, revoked: map[string]bool{}, now: time.Now,
		arrived: map[string]int{}, answered: map[string]int{}}, nil
}

// SetAuthority tells the server the origin it is served at (such as
// http://127.0.0.1:4321), which its issuer and endpoints name.
func (s *Server) SetAuthority(authority string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authority = strings.TrimSuffix(authority, "/")
	s.issuer = s.authority + "/" + s.o.TenantID + "/v2.0"
}

// Issuer is the tenant's v2.0 issuer, always in its GUID form.
func (s *Server) Issuer() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issuer
}

// AccessTokenIssuer is the issuer of access tokens for Graph (v1 form).
func (s *Server) AccessTokenIssuer() string { return "https://sts.windows.net/" + s.o.TenantID + "/" }

// JWKSURL is where the signing keys are published.
func (s *Server) JWKSURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authority + "/" + s.o.TenantID + "/discovery/v2.0/keys"
}

// RefreshScopes returns the scope parameter of every refresh request so far.
func (s *Server) RefreshScopes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.refreshScopes)
}

// Logouts is how many times the end-session endpoint sent a browser back.
func (s *Server) Logouts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logouts
}

// Revoke revokes every grant of the user (their refresh tokens then fail
// with invalid_grant, as after a password reset).
func (s *Server) Revoke(upn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[strings.ToLower(upn)] = true
}

// IDTokenFault is one way an ID token can be wrong, for tests of the
// relying party's checks.
type IDTokenFault string

// The ID token faults BreakNextIDToken knows.
const (
	WrongAudience IDTokenFault = "wrong audience"
	WrongIssuer   IDTokenFault = "wrong issuer"
	Expired       IDTokenFault = "expired"
	NotYetValid   IDTokenFault = "not yet valid"
	ForeignKey    IDTokenFault = "signed by a key not in the JWKS"
	AlgNone       IDTokenFault = "alg none"
	ReplayedNonce IDTokenFault = "the nonce of an earlier sign-in"
)

// IDTokenFaults lists every fault, for tests that try them all.
var IDTokenFaults = []IDTokenFault{WrongAudience, WrongIssuer, Expired, NotYetValid, ForeignKey, AlgNone, ReplayedNonce}

// BreakNextIDToken makes the next ID token the server issues wrong in the
// way f says; the rest of the token response is as usual.
func (s *Server) BreakNextIDToken(f IDTokenFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idFault = f
}

type tokenFailure struct {
	status int
	body   string
}

// FailToken makes the next token request (a code exchange or a refresh)
// answer status with body, as it stands: for tests of what the relying
// party does with an error body it did not expect (one that carries a
// secret, say).
func (s *Server) FailToken(status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenFailures = append(s.tokenFailures, tokenFailure{status, body})
}

// Refuse makes the next token request fail with an OAuth error code
// (such as invalid_grant or temporarily_unavailable) in Entra's body.
func (s *Server) Refuse(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenFailures = append(s.tokenFailures, tokenFailure{http.StatusBadRequest, string(s.aadBody(code, 50000, "The server was told to refuse this request."))})
}

// Register adds redirect URIs to the app registration (another replica's
// callback and sign-out return, say).
func (s *Server) Register(uris ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range uris {
		if !slices.Contains(s.o.RedirectURIs, u) {
			s.o.RedirectURIs = append(s.o.RedirectURIs, u)
		}
	}
}

// ClientID and ClientSecret are the app registration's credentials.
func (s *Server) ClientID() string     { return s.o.ClientID }
func (s *Server) ClientSecret() string { return s.o.ClientSecret }

// SetAccessTTL sets the lifetime of the access tokens issued next (a
// negative one issues expired tokens).
func (s *Server) SetAccessTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.o.AccessTTL = d
}

// SetTokenDelay holds every token request for d before answering it.
func (s *Server) SetTokenDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenDelay = d
}

// Grants is how many token requests of a grant type (such as
// "refresh_token") the server has answered.
func (s *Server) Grants(grantType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered[grantType]
}

// AwaitGrant waits until n token requests of grantType have arrived (a
// held one counts as it arrives), or ctx ends.
func (s *Server) AwaitGrant(ctx context.Context, grantType string, n int) error {
	for {
		s.mu.Lock()
		if s.arrived[grantType] >= n {
			s.mu.Unlock()
			return nil
		}
		if s.arrival == nil {
			s.arrival = make(chan struct{})
		}
		ch := s.arrival
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Held is how many authorization codes and refresh tokens the server
// holds (bounded by maxGrants each).
func (s *Server) Held() (codes, refreshTokens int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.codes), len(s.refreshes)
}

// ServeHTTP serves the tenant's endpoints below /{tenant GUID or domain}/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tenant, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if tenant != s.o.TenantID && !strings.EqualFold(tenant, s.o.Domain) {
		s.aadError(w, http.StatusBadRequest, "invalid_tenant", 90002, "Tenant '"+tenant+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
		return
	}
	switch rest {
	case "v2.0/.well-known/openid-configuration":
		s.discovery(w)
	case "discovery/v2.0/keys":
		s.keys(w)
	case "oauth2/v2.0/authorize":
		s.authorize(w, r)
	case "oauth2/v2.0/token":
		s.token(w, r)
	case "oauth2/v2.0/logout":
		s.logout(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) discovery(w http.ResponseWriter) {
	s.mu.Lock()
	base := s.authority + "/" + s.o.TenantID
	issuer := s.issuer
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                issuer,
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   "microsoftonline.com",
	})
}

func (s *Server) keys(w http.ResponseWriter) {
	pub := s.key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "kid": s.kid, "x5t": s.kid,
		"n":   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		"x5c": []string{s.x5c}, "issuer": s.Issuer(),
	}}})
}

// authorize signs the login_hint user in at once (no UI) and sends the
// browser back with a code, or with Entra's error parameters.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	s.mu.Lock()
	registered := slices.Contains(s.o.RedirectURIs, redirect)
	s.mu.Unlock()
	switch {
	case q.Get("client_id") != s.o.ClientID:
		s.errorPage(w, 700016, "Application with identifier '"+q.Get("client_id")+"' was not found in the directory.")
		return
	case !registered:
		s.errorPage(w, 50011, "The redirect URI '"+redirect+"' specified in the request does not match the redirect URIs configured for the application.")
		return
	}
	back := func(v url.Values) {
		v.Set("state", q.Get("state"))
		http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
	}
	if q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		back(url.Values{"error": {"invalid_request"}, "error_description": {"AADSTS900144: The request must use the code flow with PKCE (S256)."}})
		return
	}
	hint := q.Get("login_hint")
	if hint == "" && s.o.AccountPicker && len(s.o.Users) > 0 {
		hint = s.o.Users[0].UPN
	}
	user, ok := s.user(hint)
	if !ok {
		s.errorPage(w, 50034, "The user account does not exist in the directory.")
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	for _, sc := range scopes {
		if !slices.Contains(oidcScopes, sc) && !slices.Contains(s.o.Consented, sc) {
			back(url.Values{"error": {"consent_required"}, "error_description": {"AADSTS65001: The user or administrator has not consented to use the application with ID '" + s.o.ClientID + "'. Send an interactive authorization request for this user and resource."}})
			return
		}
	}
	code := randomToken()
	s.mu.Lock()
	s.codes[code] = grant{user: user, scopes: scopes, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirectURI: redirect}
	s.codeOrder = bound(s.codes, append(s.codeOrder, code))
	s.mu.Unlock()
	back(url.Values{"code": {code}, "session_state": {uuid.NewString()}})
}

func (s *Server) user(hint string) (User, bool) {
	for _, u := range s.o.Users {
		if strings.EqualFold(u.UPN, hint) {
			return u, true
		}
	}
	return User{}, false
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		s.aadError(w, http.StatusBadRequest, "invalid_request", 900561, "The endpoint only accepts POST requests.")
		return
	}
	f := r.PostForm
	if _, _, basic := r.BasicAuth(); basic || f.Get("client_secret") == "" {
		// The app is registered for client_secret_post.
		s.aadError(w, http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	}
	if f.Get("client_id") != s.o.ClientID || f.Get("client_secret") != s.o.ClientSecret {
		s.aadError(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
		return
	}
	if !s.hold(r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answered[f.Get("grant_type")]++
	if len(s.tokenFailures) > 0 {
		tf := s.tokenFailures[0]
		s.tokenFailures = s.tokenFailures[1:]
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(tf.status)
		w.Write([]byte(tf.body))
		return
	}
	var g grant
	switch f.Get("grant_type") {
	case "authorization_code":
		var ok bool
		g, ok = s.codes[f.Get("code")]
		delete(s.codes, f.Get("code")) // single use
		switch {
		case !ok:
			s.aadError(w, http.StatusBadRequest, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.")
			return
		case f.Get("redirect_uri") != g.redirectURI:
			s.aadError(w, http.StatusBadRequest, "invalid_grant", 500112, "The reply address does not match the reply address provided when requesting the authorization code.")
			return
		case challenge(f.Get("code_verifier")) != g.challenge:
			s.aadError(w, http.StatusBadRequest, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
			return
		}
	case "refresh_token":
		s.refreshScopes = append(s.refreshScopes, f.Get("scope"))
		if f.Get("scope") == "" {
			s.aadError(w, http.StatusBadRequest, "invalid_request", 90014, "The required field 'scope' is missing from the credential. Ensure that you have all the necessary parameters for the login request.")
			return
		}
		var ok bool
		g, ok = s.refreshes[f.Get("refresh_token")]
		switch {
		case !ok:
			s.aadError(w, http.StatusBadRequest, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.")
			return
		case s.revoked[strings.ToLower(g.user.UPN)]:
			s.aadError(w, http.StatusBadRequest, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed.")
			return
		}
		for _, sc := range strings.Fields(f.Get("scope")) {
			if !slices.Contains(g.scopes, sc) && !slices.Contains(oidcScopes, sc) {
				s.aadError(w, http.StatusBadRequest, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid.")
				return
			}
		}
		delete(s.refreshes, f.Get("refresh_token")) // rotation: each refresh token is used once
		g.nonce = ""
	default:
		s.aadError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
		return
	}
	s.issue(w, g)
}

// hold counts a token request's arrival and holds it for the token
// delay; false if the client went away meanwhile.
func (s *Server) hold(r *http.Request) bool {
	s.mu.Lock()
	s.arrived[r.PostForm.Get("grant_type")]++
	if s.arrival != nil {
		close(s.arrival)
		s.arrival = nil
	}
	delay := s.tokenDelay
	s.mu.Unlock()
	if delay <= 0 {
		return true
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// bound drops the oldest of order (and its entry in m) while m holds more
// than maxGrants, and forgets entries of order already gone from m.
func bound(m map[string]grant, order []string) []string {
	for len(m) > maxGrants || (len(order) > 0 && !has(m, order[0])) {
		delete(m, order[0])
		order = order[1:]
	}
	if len(order) > 4*maxGrants { // used entries pile up in the middle
		order = slices.DeleteFunc(order, func(k string) bool { return !has(m, k) })
	}
	return order
}

func has(m map[string]grant, k string) bool { _, ok := m[k]; return ok }

// issue answers tokens for g as Entra does. s.mu is held.
func (s *Server) issue(w http.ResponseWriter, g grant) {
	now := s.now()
	var graphScopes []string
	for _, sc := range g.scopes {
		if !slices.Contains(oidcScopes, sc) {
			graphScopes = append(graphScopes, sc)
		}
	}
	access, err := s.sign(jwt.MapClaims{
		"aud": GraphAppID, "iss": s.AccessTokenIssuer(), "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(s.o.AccessTTL).Unix(),
		"oid": g.user.ID, "tid": s.o.TenantID, "scp": strings.Join(graphScopes, " "), "upn": g.user.UPN, "name": g.user.Name,
		"appid": s.o.ClientID, "ver": "1.0", "sub": g.user.ID, "wids": g.user.Roles,
	})
	if err != nil {
		s.aadError(w, http.StatusInternalServerError, "server_error", 50000, "There was an error issuing a token.")
		return
	}
	body := map[string]any{
		"token_type": "Bearer", "scope": strings.Join(append(graphScopes, "openid", "profile", "email"), " "),
		"expires_in": int(s.o.AccessTTL / time.Second), "ext_expires_in": int(s.o.AccessTTL / time.Second),
		"access_token": access,
	}
	if slices.Contains(g.scopes, "offline_access") {
		rt := randomToken()
		s.refreshes[rt] = g
		s.refreshOrder = bound(s.refreshes, append(s.refreshOrder, rt))
		body["refresh_token"] = rt
	}
	if slices.Contains(g.scopes, "openid") {
		claims := jwt.MapClaims{
			"aud": s.o.ClientID, "iss": s.issuer, "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
			"name": g.user.Name, "oid": g.user.ID, "preferred_username": g.user.UPN, "sub": uuid.NewSHA1(uuid.NameSpaceOID, []byte(g.user.ID)).String(),
			"tid": s.o.TenantID, "ver": "2.0",
		}
		if g.nonce != "" {
			claims["nonce"] = g.nonce
		}
		if (s.o.GroupMembershipClaims == "DirectoryRole" || s.o.GroupMembershipClaims == "All") && len(g.user.Roles) > 0 {
			claims["wids"] = g.user.Roles
		}
		fault := s.idFault
		s.idFault = ""
		if g.nonce != "" {
			if fault == ReplayedNonce && s.lastNonce != "" {
				claims["nonce"] = s.lastNonce
			}
			s.lastNonce = g.nonce
		}
		if body["id_token"], err = s.signID(claims, fault, now); err != nil {
			s.aadError(w, http.StatusInternalServerError, "server_error", 50000, "There was an error issuing a token.")
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

// signID signs an ID token's claims, broken as fault says ("": not).
func (s *Server) signID(claims jwt.MapClaims, fault IDTokenFault, now time.Time) (string, error) {
	switch fault {
	case WrongAudience:
		claims["aud"] = "00000000-0000-0000-0000-0000000000aa"
	case WrongIssuer:
		claims["iss"] = strings.Replace(s.issuer, s.o.TenantID, "00000000-0000-0000-0000-0000000000bb", 1)
	case Expired:
		claims["iat"], claims["nbf"], claims["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-2*time.Hour).Unix(), now.Add(-time.Hour).Unix()
	case NotYetValid:
		claims["iat"], claims["nbf"], claims["exp"] = now.Add(time.Hour).Unix(), now.Add(time.Hour).Unix(), now.Add(2*time.Hour).Unix()
	case ForeignKey:
		other, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return "", err
		}
		t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		t.Header["kid"], t.Header["x5t"] = s.kid, s.kid // claims to be ours
		return t.SignedString(other)
	case AlgNone:
		return jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	}
	return s.sign(claims)
}

func (s *Server) sign(claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"], t.Header["x5t"] = s.kid, s.kid
	return t.SignedString(s.key)
}

// logout returns the browser to a registered post_logout_redirect_uri.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	back := r.URL.Query().Get("post_logout_redirect_uri")
	s.mu.Lock()
	registered := slices.Contains(s.o.RedirectURIs, back)
	s.mu.Unlock()
	if !registered {
		s.errorPage(w, 50011, "The post logout redirect URI '"+back+"' is not registered for the application.")
		return
	}
	s.mu.Lock()
	s.logouts++
	s.mu.Unlock()
	http.Redirect(w, r, back, http.StatusFound)
}

// aadError answers the token endpoint's error body: Entra's fields.
func (s *Server) aadError(w http.ResponseWriter, status int, code string, aadsts int, text string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(s.aadBody(code, aadsts, text))
}

func (s *Server) aadBody(code string, aadsts int, text string) []byte {
	b, _ := json.Marshal(map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", aadsts, text, uuid.NewString(), uuid.NewString(), s.now().UTC().Format("2006-01-02 15:04:05Z")),
		"error_codes":       []int{aadsts},
		"timestamp":         s.now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id":          uuid.NewString(),
		"correlation_id":    uuid.NewString(),
	})
	return b
}

// errorPage is what Entra shows in the browser when it cannot send the
// browser back (an unknown app, an unregistered redirect URI).
func (s *Server) errorPage(w http.ResponseWriter, aadsts int, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<!doctype html><title>Sign in to your account</title><p>AADSTS%d: %s</p>", aadsts, text)
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func randomToken() string {
	var b [48]byte
	rand.Read(b[:])
	return "1.AQ" + base64.RawURLEncoding.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Login runs the authorization code flow with PKCE over HTTP, as a
// browser and a confidential client would, for the user with the given
// UPN, and returns their tokens. It stops at the redirect back (to the
// first registered redirect URI, which it never calls), so that tests can
// call Graph with a real token and no relying party in between.
func (s *Server) Login(ctx context.Context, upn string, scopes ...string) (*oauth2.Token, error) {
	s.mu.Lock()
	base := s.authority + "/" + s.o.TenantID + "/oauth2/v2.0/"
	var redirect string
	if len(s.o.RedirectURIs) > 0 {
		redirect = s.o.RedirectURIs[0]
	}
	s.mu.Unlock()
	conf := &oauth2.Config{
		ClientID: s.o.ClientID, ClientSecret: s.o.ClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: base + "authorize", TokenURL: base + "token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: redirect,
		Scopes:      append([]string{"openid", "profile", "offline_access"}, scopes...),
	}
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("state", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("login_hint", upn))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return nil, fmt.Errorf("entrafake: authorize answered %s without a redirect", resp.Status)
	}
	if e := loc.Query().Get("error"); e != "" {
		return nil, fmt.Errorf("entrafake: authorize: %s: %s", e, loc.Query().Get("error_description"))
	}
	return conf.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
}
