// Package auth signs people in and keeps their tokens on the server: the
// authorization code grant with PKCE (S256), state and an OIDC nonce
// (golang.org/x/oauth2, ID token verified with go-oidc); the login
// transaction in a short-lived encrypted cookie (gorilla/sessions) keyed by
// the state; tokens only in the server-side session (scs), whose cookie
// holds an opaque id; refresh before expiry, one at a time per session;
// and logout that destroys the session and ends the one at the identity
// provider.
package auth

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gorilla/sessions"
	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"

	"langcard/bff/ident"
	"langcard/bff/logsafe"
	"langcard/bff/metrics"
	"langcard/bff/session"
)

// ScopeEditOthers is the delegated permission Graph asks for writing
// other people's profiles. It says what the app may do, never who the
// person is: with tenant-wide consent every employee's token holds it,
// so it counts only with an administrator role (Session.EditsOthers).
const ScopeEditOthers = "User.ReadWrite.All"

// ScopeReadOthers is the delegated permission Graph asks for reading
// other people's profiles (admin consent): Microsoft's own person card
// asked for it, and people holding only User.ReadBasic.All were refused
// (docs/graph.md, "Permissions").
const ScopeReadOthers = "User.Read.All"

// User is the signed-in person, from the verified ID token.
type User struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	UserPrincipalName string `json:"userPrincipalName"`
}

// Session is what the server-side session holds for a signed-in person.
// It never leaves the server. Its tokens are kept apart (Tokens), under
// TokenRef, which never changes during the session.
type Session struct {
	User User
	// EditsOthers says the person sees and edits every entry of other
	// people's profiles: an administrator role that Entra states (the ID
	// token's wids claim names one of Options.AdminRoles) and the permission to
	// write them (ScopeEditOthers), never the permission alone. (Sessions
	// saved before roles were read had CanEditOthers from the scope alone:
	// that field is gone, so they decode without it.)
	EditsOthers bool
	// CanReadOthers says the token may read colleagues' profiles.
	CanReadOthers bool
	// Scopes are the scopes the token response granted (space-separated),
	// sent again on each refresh.
	Scopes   string
	TokenRef string
}

func init() { gob.Register(Session{}) }

const sessionKey = "auth"

// ErrSignedOut means there is no usable session: the person must sign in.
var ErrSignedOut = errors.New("auth: not signed in")

// Auth is the sign-in machinery. Build it with New.
type Auth struct {
	oauth       *oauth2.Config
	verifier    *oidc.IDTokenVerifier
	endSession  string
	sessions    *scs.SessionManager
	store       scs.CtxStore // the session store, which also holds the tokens
	records     *session.Memo[tokenRecord]
	login       *sessions.CookieStore
	loginPrefix string
	publicURL   *url.URL
	origins     []string
	log         *slog.Logger
	refreshes   singleflight.Group
	idp         *http.Client // to the token endpoint, with a timeout
	metrics     *metrics.Metrics
	locker      Locker
	optional    []string
	adminRoles  []string
	now         func() time.Time
	// lastStamp is the latest sign-in start given (stamp).
	lastStamp atomic.Int64
	// persons serialises sign-ins' counting of sessions (register) in
	// one process without a Locker.
	persons sync.Mutex
	// handoffs serialises redemptions of sign-in handoffs likewise.
	handoffs sync.Mutex
}

// Options configures New.
type Options struct {
	// Provider is the discovered OIDC provider (Entra ID or the demo IdP).
	Provider *oidc.Provider
	// ClientID and ClientSecret identify langcard at the provider.
	ClientID, ClientSecret string
	// Scopes are the Graph scopes to ask for, besides openid, profile and
	// offline_access.
	Scopes []string
	// PublicURL is where browsers reach the BFF; the redirect URI is
	// PublicURL + "/auth/callback".
	PublicURL *url.URL
	// Sessions is the server-side session manager.
	Sessions *scs.SessionManager
	// Store keeps a session's tokens and a person's list of sessions, with
	// the lifetime of a session (default Sessions.Store; give the store
	// beneath it when Sessions.Store shortens what it saves, as an idle
	// timeout does: tokens are saved only at sign-in and refresh).
	Store scs.Store
	// CookieKey (at least 32 bytes) signs and encrypts the login cookie.
	CookieKey []byte
	// Secure marks cookies Secure and gives them the __Host- prefix; only
	// plain-http demo mode on loopback turns it off.
	Secure bool
	// EmbedOrigins may be returned to after login and logout.
	EmbedOrigins []string
	Logger       *slog.Logger
	// IdPTimeout bounds each call to the token endpoint. Default 10s.
	IdPTimeout time.Duration
	// Metrics counts refreshes and sessions (nil: none).
	Metrics *metrics.Metrics
	// Locker, with several replicas, makes a session's refresh happen once
	// across them (nil: one process, singleflight alone).
	Locker Locker
	// OptionalScopes are among Scopes, and a sign-in goes on without them
	// when the identity provider refuses them (no consent yet).
	OptionalScopes []string
	// AdminRoles are the Entra role template ids that make a person an
	// administrator in langcard, when the ID token's wids claim names one.
	AdminRoles []string
}

// New returns an Auth.
func New(o Options) (*Auth, error) {
	if len(o.CookieKey) < 32 {
		return nil, errors.New("auth: cookie key must be at least 32 bytes")
	}
	var claims struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := o.Provider.Claims(&claims); err != nil {
		return nil, err
	}
	// Separate keys for signing and for encrypting, both from CookieKey.
	hashKey := sha256.Sum256(append([]byte("langcard login cookie: hash\x00"), o.CookieKey...))
	encKey := sha256.Sum256(append([]byte("langcard login cookie: encrypt\x00"), o.CookieKey...))
	login := sessions.NewCookieStore(hashKey[:], encKey[:])
	login.MaxAge(int(loginTTL / time.Second)) // also bounds the codec's timestamp check
	login.Options.Path = "/"
	login.Options.HttpOnly = true
	login.Options.Secure = o.Secure
	login.Options.SameSite = http.SameSiteLaxMode
	prefix := "langcard-login-"
	if o.Secure {
		prefix = "__Host-" + prefix
	}
	return &Auth{
		oauth: &oauth2.Config{
			ClientID: o.ClientID, ClientSecret: o.ClientSecret,
			Endpoint:    withAuthStyle(o.Provider.Endpoint()),
			RedirectURL: o.PublicURL.JoinPath("/auth/callback").String(),
			Scopes:      append([]string{oidc.ScopeOpenID, "profile", oidc.ScopeOfflineAccess}, o.Scopes...),
		},
		verifier:    o.Provider.Verifier(&oidc.Config{ClientID: o.ClientID}),
		endSession:  claims.EndSession,
		sessions:    o.Sessions,
		store:       session.Ctx(cmp.Or[scs.Store](o.Store, o.Sessions.Store)),
		records:     session.NewMemo[tokenRecord](session.MaxRemembered),
		login:       login,
		loginPrefix: prefix,
		publicURL:   o.PublicURL,
		origins:     o.EmbedOrigins,
		log:         o.Logger,
		idp:         &http.Client{Timeout: cmp.Or(o.IdPTimeout, defaultIdPTimeout)},
		metrics:     o.Metrics,
		locker:      o.Locker,
		optional:    o.OptionalScopes,
		adminRoles:  o.AdminRoles,
		now:         time.Now,
	}, nil
}

func withAuthStyle(e oauth2.Endpoint) oauth2.Endpoint {
	e.AuthStyle = oauth2.AuthStyleInParams
	return e
}

// EndSessionURL is the identity provider's end-session endpoint ("" if none).
func (a *Auth) EndSessionURL() string { return a.endSession }

// Current returns the signed-in person's session, if any.
func (a *Auth) Current(ctx context.Context) (Session, bool) {
	s, ok := a.sessions.Get(ctx, sessionKey).(Session)
	return s, ok && s.TokenRef != ""
}

// requiredScopes are the scopes asked for, less the optional ones.
func (a *Auth) requiredScopes() []string {
	var out []string
	for _, s := range a.oauth.Scopes {
		if !slices.Contains(a.optional, s) {
			out = append(out, s)
		}
	}
	return out
}

// refreshMargin is how long before expiry an access token is refreshed.
const refreshMargin = 2 * time.Minute

// AccessToken returns a valid access token for the signed-in person,
// refreshing it first when it expires within two minutes. Concurrent
// requests of one session share a single refresh. A refresh refused with
// invalid_grant ends the session (ErrSignedOut); a network error does not.
func (a *Auth) AccessToken(ctx context.Context) (string, error) {
	s, ok := a.Current(ctx)
	if !ok {
		return "", ErrSignedOut
	}
	rec, ok, err := a.readTokens(ctx, s.TokenRef)
	if err != nil {
		return "", err
	}
	if !ok {
		// Ended elsewhere: signed out on another replica, or past the
		// person's session limit.
		a.sessions.Destroy(ctx)
		return "", ErrSignedOut
	}
	if a.now().Add(refreshMargin).Before(rec.Expiry) {
		return rec.AccessToken, nil
	}
	if rec.RefreshToken == "" {
		return a.expired(ctx, rec)
	}
	scopes := refreshScopes(s.Scopes, a.oauth.Scopes)
	// Concurrent requests of the session share one refresh, which runs
	// apart from any one request; a request that gives up stops waiting
	// without cancelling it for the others.
	ch := a.refreshes.DoChan(s.TokenRef, func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		if a.locker != nil {
			unlock, ok, err := a.locker.Lock(ctx, "refresh:"+s.TokenRef, refreshLockTTL)
			if err == nil && !ok {
				// Another replica is refreshing this session: use its tokens.
				if next, ok := a.waitForRefresh(ctx, s.TokenRef, rec); ok {
					return next, nil
				}
			}
			if err == nil && ok {
				defer unlock()
				// It may have refreshed just before we took the lock.
				if cur, ok := a.loadTokens(ctx, s.TokenRef); ok && replaced(cur, rec) {
					return cur, nil
				}
			}
		}
		tok, err := a.refreshGrant(ctx, rec.RefreshToken, scopes)
		if err != nil {
			var te *TokenError
			if errors.As(err, &te) && te.Code == "invalid_grant" {
				a.metrics.Refresh("invalid_grant")
				a.metrics.Session("ended")
			} else {
				a.metrics.Refresh("failed")
			}
			return nil, err
		}
		a.metrics.Refresh("ok")
		next := tokenRecord{Tokens: Tokens{AccessToken: tok.AccessToken, RefreshToken: rec.RefreshToken, Expiry: tok.expiry(a.now())}, Session: rec.Session, Since: rec.Since}
		if tok.RefreshToken != "" {
			next.RefreshToken = tok.RefreshToken // rotation: the old one is spent
		}
		// Only this code writes tokens: no request's end-of-request save
		// can put older ones back.
		return next, a.saveRefreshed(ctx, s.TokenRef, next)
	})
	var res singleflight.Result
	select {
	case res = <-ch:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if err := res.Err; err != nil {
		if errors.Is(err, ErrSignedOut) { // signed out while the refresh was in flight
			a.sessions.Destroy(ctx)
			return "", ErrSignedOut
		}
		var te *TokenError
		if errors.As(err, &te) && te.Code == "invalid_grant" {
			a.log.Info("refresh refused; session ended", "user", s.User.ID, "error_code", te.Code, "aadsts", te.AADSTS)
			a.end(ctx, s.TokenRef)
			a.sessions.Destroy(ctx)
			return "", ErrSignedOut
		}
		a.log.Warn("token refresh failed", "user", s.User.ID, "error", scrub(err))
		if a.now().Before(rec.Expiry) {
			return rec.AccessToken, nil
		}
		return "", ErrRefreshUnavailable
	}
	return res.Val.(tokenRecord).AccessToken, nil
}

// ErrRefreshUnavailable means the token expired and the identity provider
// could not be reached to refresh it; the session is kept.
var ErrRefreshUnavailable = errors.New("auth: the identity provider is unreachable and the access token has expired")

func (a *Auth) expired(ctx context.Context, rec tokenRecord) (string, error) {
	if a.now().Before(rec.Expiry) {
		return rec.AccessToken, nil
	}
	a.sessions.Destroy(ctx)
	return "", ErrSignedOut
}

// scrub keeps an error's text from repeating URLs (which may carry codes)
// by reducing *url.Error to its cause.
func scrub(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return "token endpoint answered " + re.Response.Status + " " + oauthCode(re.ErrorCode)
	}
	return logsafe.Text(err.Error())
}

// refreshScopes are the scopes a refresh asks for: those the session was
// granted (Entra's token response lists the Graph ones and openid,
// profile, email), with openid, profile and offline_access, so that the
// refresh returns a new refresh token and ID token as the first did. With
// none granted on record, the configured ones.
func refreshScopes(granted string, configured []string) string {
	if strings.TrimSpace(granted) == "" {
		return strings.Join(configured, " ")
	}
	scopes := strings.Fields(granted)
	for _, sc := range []string{oidc.ScopeOpenID, "profile", oidc.ScopeOfflineAccess} {
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	return strings.Join(scopes, " ")
}

// hasScope reports whether granted (a token response's scope) holds
// want, written short ("User.Read") or as Graph's full URI
// ("https://graph.microsoft.com/User.Read"), case aside.
func hasScope(granted string, want string) bool {
	return ident.HasScope(strings.Fields(granted), want)
}
