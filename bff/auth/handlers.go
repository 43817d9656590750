package auth

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"langcard/bff/ident"
	"langcard/bff/logsafe"
	"langcard/templates/i18n"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// loginTTL is how long a login transaction may take.
const loginTTL = 10 * time.Minute

// maxLogins bounds the login cookies a browser may hold at once (one per
// tab signing in); past it, older ones are dropped so headers stay small.
const maxLogins = 4

// LoginError is a failed callback, for the caller to show as a page. Its
// Message is safe to show; it never holds a code, token or cookie.
type LoginError struct {
	Status  int
	Message string
	// Key and Args are Message in the message catalogue (templates/i18n),
	// for people: "login.<key>".
	Key  string
	Args []string
}

// Error is the English words: the catalogue's, for an error with a Key.
func (e *LoginError) Error() string {
	if e.Key != "" {
		return i18n.English().T(e.Key, e.Args...)
	}
	return e.Message
}

// Login starts a sign-in: it records the transaction in a login cookie
// keyed by a fresh state and sends the browser to the identity provider.
func (a *Auth) Login(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	to, err := a.startLogin(w, r, loginOptions{
		returnTo: SafeReturnTo(q.Get("returnTo"), a.origins), hint: q.Get("login_hint"),
		// Without the optional scopes: the identity provider refused them
		// once (no consent), and the person still signs in, for their own
		// languages.
		minimal: q.Get("scopes") == "minimal",
	})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}

// loginOptions are what a login transaction remembers besides its
// secrets.
type loginOptions struct {
	returnTo, hint string
	minimal        bool
	// handoff is the hash of a sign-in handoff's secret, and
	// handoffOrigin the page that holds the secret: the sign-in is for an
	// embedded card on another site (handoff.go).
	handoff, handoffOrigin string
}

// startLogin records a login transaction in a login cookie keyed by a
// fresh state, and returns the identity provider's URL to send the
// browser to.
func (a *Auth) startLogin(w http.ResponseWriter, r *http.Request, o loginOptions) (string, error) {
	state, nonce := randomString(), randomString()
	verifier := oauth2.GenerateVerifier()
	if !ident.IsUPN(o.hint) {
		o.hint = ""
	}
	a.makeRoomForLogin(w, r)
	sess, _ := a.login.New(r, a.loginPrefix+state)
	sess.Values["started"] = a.stamp()
	sess.Values["state"] = state
	sess.Values["verifier"] = verifier
	sess.Values["nonce"] = nonce
	sess.Values["returnTo"] = o.returnTo
	sess.Values["handoff"] = o.handoff
	sess.Values["handoffOrigin"] = o.handoffOrigin
	sess.Values["minimal"] = o.minimal
	sess.Values["hint"] = o.hint
	if err := sess.Save(r, w); err != nil {
		return "", fmt.Errorf("auth: saving the login cookie: %w", err)
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)}
	if o.minimal {
		opts = append(opts, oauth2.SetAuthURLParam("scope", strings.Join(a.requiredScopes(), " ")))
	}
	if o.hint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", o.hint))
	}
	return a.oauth.AuthCodeURL(state, opts...), nil
}

// maxLoginCookiesRead bounds how many login cookies one request reads, so
// a flood of them costs a bounded amount of work (and of Set-Cookie lines).
const maxLoginCookiesRead = 16

// makeRoomForLogin keeps the browser's login cookies (one per tab signing
// in) under maxLogins: it expires only the oldest, so sign-ins still in
// flight in other tabs go on. A cookie that cannot be read counts as the
// oldest. It reads at most maxLoginCookiesRead of them.
func (a *Auth) makeRoomForLogin(w http.ResponseWriter, r *http.Request) {
	type held struct {
		name    string
		started int64
	}
	var logins []held
	for _, c := range r.Cookies() {
		if !strings.HasPrefix(c.Name, a.loginPrefix) {
			continue
		}
		if len(logins) == maxLoginCookiesRead {
			break
		}
		h := held{name: c.Name}
		if sess, err := a.login.Get(r, c.Name); err == nil && !sess.IsNew {
			h.started, _ = sess.Values["started"].(int64)
		}
		logins = append(logins, h)
	}
	if len(logins) < maxLogins {
		return
	}
	slices.SortStableFunc(logins, func(x, y held) int { return cmp.Compare(x.started, y.started) })
	for _, h := range logins[:len(logins)-(maxLogins-1)] {
		a.expireCookie(w, h.name)
	}
}

// Callback finishes a sign-in. On success it starts a fresh session (new
// id) and returns where to send the browser; the login cookie is deleted
// whatever happens.
func (a *Auth) Callback(w http.ResponseWriter, r *http.Request) (string, error) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" || len(state) > 128 || strings.ContainsAny(state, " ;,=\"\\") {
		return "", &LoginError{Status: http.StatusBadRequest, Key: "login.noState"}
	}
	name := a.loginPrefix + state
	defer a.expireCookie(w, name)
	sess, err := a.login.Get(r, name)
	stored, _ := sess.Values["state"].(string)
	verifier, _ := sess.Values["verifier"].(string)
	nonce, _ := sess.Values["nonce"].(string)
	returnTo, _ := sess.Values["returnTo"].(string)
	minimal, _ := sess.Values["minimal"].(bool)
	hint, _ := sess.Values["hint"].(string)
	handoff, _ := sess.Values["handoff"].(string)
	handoffOrigin, _ := sess.Values["handoffOrigin"].(string)
	if err != nil || sess.IsNew || verifier == "" || nonce == "" || subtle.ConstantTimeCompare([]byte(stored), []byte(state)) != 1 {
		return "", &LoginError{Status: http.StatusBadRequest, Key: "login.expired"}
	}
	if e := q.Get("error"); e != "" {
		if !minimal && len(a.requiredScopes()) < len(a.oauth.Scopes) && scopeRefused(e, q.Get("error_description")) {
			// Sign in again without the optional scopes (reading colleagues):
			// the person keeps their own languages, and is told about the rest.
			a.log.Info("an optional scope was refused; signing in without it", "error", oauthCode(e))
			again := url.Values{"scopes": {"minimal"}, "returnTo": {returnTo}}
			if hint != "" {
				again.Set("login_hint", hint)
			}
			if handoff != "" {
				// A handoff goes on in a transaction of its own: /login
				// never takes one from a URL.
				return a.startLogin(w, r, loginOptions{returnTo: returnTo, hint: hint, minimal: true, handoff: handoff, handoffOrigin: handoffOrigin})
			}
			return "/login?" + again.Encode(), nil
		}
		return "", refusal(e, q.Get("error_description"))
	}
	code := q.Get("code")
	if code == "" {
		return "", &LoginError{Status: http.StatusBadRequest, Key: "login.noCode"}
	}
	exchangeCtx, cancel := context.WithTimeout(context.WithValue(r.Context(), oauth2.HTTPClient, a.idp), a.idp.Timeout)
	defer cancel()
	tok, err := a.oauth.Exchange(exchangeCtx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		a.log.Warn("code exchange failed", "error", scrub(err))
		return "", exchangeError(err)
	}
	user, err := a.verifyIDToken(r, tok, nonce)
	if err != nil {
		a.log.Warn("ID token refused", "error", logsafe.Text(err.Error()))
		le := &LoginError{Status: http.StatusBadGateway, Key: "login.unverified"}
		if strings.Contains(err.Error(), "expired") || strings.Contains(err.Error(), "before") || strings.Contains(err.Error(), "future") {
			le.Key, le.Message = "login.clock", "The identity provider's answer could not be verified: its time stamps do not fit this server's clock. An administrator should check that the server's clock is synchronised, then start again."
		}
		return "", le
	}
	if handoff != "" {
		// Signed in for an embedded card on another site: the session is
		// handed over there (RedeemHandoff), not made here.
		return a.parkHandoff(r.Context(), handoff, handoffOrigin, user, tok)
	}
	// Signing in again replaces this browser's session, its tokens with
	// it: sign-ins in one browser never pile up against the person's
	// limit (docs/security.md, rule 26).
	if old, ok := a.Current(r.Context()); ok {
		a.end(r.Context(), old.TokenRef)
		a.metrics.Session("ended")
	}
	// A fresh session id at login: no fixation.
	if err := a.sessions.RenewToken(r.Context()); err != nil {
		return "", err
	}
	sess2, err := a.keepTokens(r.Context(), user, tok, a.sessions.Token(r.Context()), a.sessions.Lifetime)
	if err != nil {
		return "", err
	}
	a.sessions.Put(r.Context(), sessionKey, sess2)
	a.metrics.Session("created")
	a.log.Info("signed in", "user", user.ID, "admin", sess2.EditsOthers, "scopes", sess2.Scopes)
	if returnTo == "" {
		returnTo = "/"
	}
	return returnTo, nil
}

// keepTokens saves a sign-in's tokens for the session named sessionToken
// (for ttl), counts the session against the person's limit, and returns
// the session's value: who, what they may do, and the tokens' reference.
func (a *Auth) keepTokens(ctx context.Context, user verified, tok *oauth2.Token, sessionToken string, ttl time.Duration) (Session, error) {
	granted, _ := tok.Extra("scope").(string)
	ref := newRef()
	rec := tokenRecord{Tokens: Tokens{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry}, Session: sessionToken, Since: a.now()}
	if err := a.saveTokensFor(ctx, ref, rec, ttl); err != nil {
		return Session{}, err
	}
	a.register(ctx, user.ID, ref)
	return Session{
		User: user.User, EditsOthers: a.isAdmin(user.Roles) && hasScope(granted, ScopeEditOthers), Scopes: granted, TokenRef: ref,
		CanReadOthers: hasScope(granted, ScopeReadOthers) || hasScope(granted, ScopeEditOthers),
	}, nil
}

// verified is who the verified ID token says signed in, with the
// directory roles it states.
type verified struct {
	User
	// Roles are the wids claim's role template ids (none when the app
	// registration does not ask Entra for them).
	Roles []string
}

func (a *Auth) verifyIDToken(r *http.Request, tok *oauth2.Token, nonce string) (verified, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return verified{}, errors.New("no id_token in the token response")
	}
	idt, err := a.verifier.Verify(r.Context(), raw)
	if err != nil {
		return verified{}, err
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return verified{}, errors.New("nonce mismatch")
	}
	var c struct {
		OID               string `json:"oid"`
		Name              string `json:"name"`
		PreferredUsername string `json:"preferred_username"`
		// WIDs is tolerant: a claim of another shape states no role.
		WIDs any `json:"wids"`
	}
	if err := idt.Claims(&c); err != nil {
		return verified{}, err
	}
	if c.OID == "" {
		return verified{}, errors.New("no oid claim")
	}
	v := verified{User: User{ID: c.OID, DisplayName: c.Name, UserPrincipalName: c.PreferredUsername}}
	if ws, ok := c.WIDs.([]any); ok {
		for _, w := range ws {
			if s, ok := w.(string); ok {
				v.Roles = append(v.Roles, s)
			}
		}
	}
	return v, nil
}

// isAdmin reports whether roles (the wids claim) hold one that langcard
// counts as an administrator's. Roles are template ids, the same in every
// tenant; an ID token without the claim states none.
func (a *Auth) isAdmin(roles []string) bool {
	for _, r := range roles {
		for _, want := range a.adminRoles {
			if strings.EqualFold(strings.TrimSpace(r), want) {
				return true
			}
		}
	}
	return false
}

// End ends ctx's session and its tokens, and no more: an embedded card's
// own session (handed to it) ends this way, as its context cannot go to
// the identity provider's end-session page.
func (a *Auth) End(ctx context.Context) error {
	if s, ok := a.Current(ctx); ok {
		a.end(ctx, s.TokenRef)
		a.metrics.Session("ended")
	}
	return a.sessions.Destroy(ctx)
}

// Logout destroys the session (Entra ID has no revocation endpoint): the
// store forgets it and the cookie is expired, so any later session gets a
// new id. It returns where to send the browser: the identity provider's end-session
// endpoint, which comes back to returnTo, or returnTo itself.
func (a *Auth) Logout(w http.ResponseWriter, r *http.Request) (string, error) {
	returnTo := SafeReturnTo(r.FormValue("returnTo"), a.origins)
	if err := a.End(r.Context()); err != nil {
		return "", err
	}
	if a.endSession == "" {
		return returnTo, nil
	}
	back := returnTo
	if strings.HasPrefix(back, "/") {
		back = a.publicURL.String() + back
	}
	u, err := url.Parse(a.endSession)
	if err != nil {
		return returnTo, nil
	}
	q := u.Query()
	q.Set("post_logout_redirect_uri", back)
	q.Set("client_id", a.oauth.ClientID)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (a *Auth) expireCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.login.Options.Secure, SameSite: http.SameSiteLaxMode,
	})
}

func randomString() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// scopeRefused reports whether the identity provider refused the scopes
// asked for: no consent (AADSTS65001) or a scope it does not offer.
func scopeRefused(code, description string) bool {
	aadsts, _, _ := strings.Cut(description, ":")
	return code == "consent_required" || code == "invalid_scope" || aadsts == "AADSTS65001" || aadsts == "AADSTS70011"
}

// refusal explains an error the identity provider sent the browser back
// with. Entra's description starts with its AADSTS number, which alone is
// read from it (the rest may repeat request details).
func refusal(code, description string) *LoginError {
	aadsts, _, _ := strings.Cut(description, ":")
	switch {
	case code == "consent_required" || aadsts == "AADSTS65001":
		return &LoginError{Status: http.StatusForbidden, Key: "login.consent"}
	case code == "access_denied":
		return &LoginError{Status: http.StatusForbidden, Key: "login.cancelled"}
	case code == "interaction_required" || code == "login_required":
		return &LoginError{Status: http.StatusForbidden, Key: "login.again"}
	}
	return &LoginError{Status: http.StatusForbidden, Key: "login.refused", Args: []string{"code", oauthCode(code)}}
}

// exchangeError explains a failed code exchange.
func exchangeError(err error) *LoginError {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode == "invalid_client" {
		return &LoginError{Status: http.StatusBadGateway, Key: "login.secret"}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &LoginError{Status: http.StatusGatewayTimeout, Key: "login.timeout"}
	}
	return &LoginError{Status: http.StatusBadGateway, Key: "login.notAccepted"}
}

// oauthCode returns e when it looks like an OAuth error code, else "error".
func oauthCode(e string) string {
	if len(e) > 64 {
		return "error"
	}
	for _, c := range e {
		if !(c == '_' || c >= 'a' && c <= 'z') {
			return "error"
		}
	}
	return e
}

// stamp is when a sign-in started, in nanoseconds, strictly after every
// stamp this process gave before: two sign-ins begun within one tick of
// the clock still have an order (makeRoomForLogin expires the oldest).
func (a *Auth) stamp() int64 {
	now := a.now().UnixNano()
	for {
		last := a.lastStamp.Load()
		next := max(now, last+1)
		if a.lastStamp.CompareAndSwap(last, next) {
			return next
		}
	}
}
