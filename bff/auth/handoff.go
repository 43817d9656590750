package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"golang.org/x/oauth2"

	"langcard/bff/session"
)

// A sign-in handoff brings a session to an embedded card on a host of
// another site (SharePoint Online's contoso.sharepoint.com, say), where
// the card cannot use langcard's own cookie and where Entra's sign-in
// page cannot be framed. docs/embedding.md says why this mechanism, with
// its sources.
//
//  1. The card makes a secret, keeps it, and opens a popup on langcard's
//     own page with the secret's SHA-256 (HandoffPage).
//  2. The popup asks its opener for the secret (postMessage), and posts
//     it with the opener's origin (StartHandoff): the hash must match, and
//     the origin be an embedding origin (or langcard's own, for the
//     frame). A link to the popup alone, opened by someone else, goes no
//     further: it has no opener that holds the secret.
//  3. The popup signs in (a top-level window, first-party; the handoff
//     rides in its login cookie, so nothing is kept on the server before
//     a sign-in); the callback keeps the tokens server-side under the
//     secret's hash, without touching the popup's own session
//     (parkHandoff).
//  4. The card redeems its secret (RedeemHandoff, a CORS call with the
//     CSRF header, from the origin that started it): once, within
//     handoffTTL. That request's answer sets the session cookie,
//     partitioned by the host's site (session.PartitionedKey).
//
// No token ever reaches the browser: the secret names a record in the
// session store, which holds a reference to the tokens.

// handoffTTL bounds a handoff, from the popup's start to the redemption.
const handoffTTL = 5 * time.Minute

// handoffRecord is a signed-in handoff in the store.
type handoffRecord struct {
	// Origin is the page that started it: an embedding origin, or
	// langcard's own (the frame).
	Origin string `json:"origin"`
	// Session is the session to hand over.
	Session Session `json:"session"`
}

func handoffKey(hash string) string { return "handoff:" + hash }

// HandoffHash is the handoff's name for a secret: its SHA-256, base64url.
func HandoffHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ValidHandoffHash reports whether h can be a HandoffHash.
func ValidHandoffHash(h string) bool {
	b, err := base64.RawURLEncoding.DecodeString(h)
	return err == nil && len(b) == sha256.Size
}

// validSecret is the shape of a card's secret: 32 to 128 base64url
// characters (the card makes 32 random bytes).
func validSecret(s string) bool {
	if len(s) < 32 || len(s) > 128 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// StartHandoff is POST /auth/handoff, from the popup: it checks the
// secret against its hash and the origin of the page that holds it,
// records the handoff, and returns the identity provider's URL for a
// sign-in bound to it.
func (a *Auth) StartHandoff(w http.ResponseWriter, r *http.Request) (string, error) {
	hash, secret, origin := r.PostFormValue("hash"), r.PostFormValue("secret"), r.PostFormValue("origin")
	if !ValidHandoffHash(hash) || !validSecret(secret) || HandoffHash(secret) != hash {
		return "", &LoginError{Status: http.StatusBadRequest, Key: "login.handoffInvalid"}
	}
	if !a.embedder(origin) {
		a.log.Warn("a sign-in handoff from an origin that is not an embedding origin was refused", "origin", origin)
		return "", &LoginError{Status: http.StatusForbidden, Key: "login.handoffOrigin", Args: []string{"origin", origin}}
	}
	// Nothing is kept on the server until someone has signed in: the
	// handoff rides in the login cookie, as every sign-in's state does.
	return a.startLogin(w, r, loginOptions{returnTo: HandoffDonePath, handoff: hash, handoffOrigin: origin})
}

// HandoffDonePath is the popup's last page.
const HandoffDonePath = "/auth/handoff/done"

// embedder reports whether origin may hold a handoff: an embedding
// origin, or langcard's own (the frame, on another site's page).
func (a *Auth) embedder(origin string) bool {
	return origin != "" && (origin == a.publicURL.Scheme+"://"+a.publicURL.Host || slices.Contains(a.origins, origin))
}

// parkHandoff keeps a handoff's sign-in: its tokens (until it is redeemed,
// no longer than the handoff) and the session to hand over.
func (a *Auth) parkHandoff(ctx context.Context, hash, origin string, user verified, tok *oauth2.Token) (string, error) {
	unlock := a.lockKey(ctx, handoffKey(hash), &a.handoffs)
	defer unlock()
	if _, taken := a.handoff(ctx, hash); taken || !a.embedder(origin) {
		return "", &LoginError{Status: http.StatusBadRequest, Key: "login.handoffExpired"}
	}
	sess, err := a.keepTokens(ctx, user, tok, "", handoffTTL)
	if err != nil {
		return "", err
	}
	rec := handoffRecord{Origin: origin, Session: sess}
	data, _ := json.Marshal(rec)
	if err := a.store.CommitCtx(context.WithoutCancel(ctx), handoffKey(hash), data, a.now().Add(handoffTTL)); err != nil {
		return "", err
	}
	a.log.Info("signed in for an embedded card", "user", user.ID, "origin", rec.Origin)
	return HandoffDonePath, nil
}

func (a *Auth) handoff(ctx context.Context, hash string) (handoffRecord, bool) {
	var rec handoffRecord
	data, found, err := a.store.FindCtx(ctx, handoffKey(hash))
	if err != nil || !found || json.Unmarshal(data, &rec) != nil {
		return handoffRecord{}, false
	}
	return rec, true
}

// The refusals of RedeemHandoff.
var (
	// ErrHandoffUnknown: no such handoff (not signed in yet, expired, or
	// redeemed already).
	ErrHandoffUnknown = errors.New("auth: no such sign-in handoff")
	// ErrHandoffElsewhere: the handoff was started by another origin.
	ErrHandoffElsewhere = errors.New("auth: the sign-in handoff belongs to another page")
)

// RedeemHandoff redeems a card's secret (POST /api/handoff/redeem, from
// origin): once the window has signed in, this request's session becomes
// the handed-over one, in a partitioned cookie. Before that the handoff
// is unknown (nothing is kept for it until a sign-in). A handoff is
// redeemed once.
func (a *Auth) RedeemHandoff(ctx context.Context, secret, origin string) error {
	if !validSecret(secret) {
		return ErrHandoffUnknown
	}
	hash := HandoffHash(secret)
	unlock := a.lockKey(ctx, handoffKey(hash), &a.handoffs)
	defer unlock()
	rec, ok := a.handoff(ctx, hash)
	switch {
	case !ok || rec.Session.TokenRef == "":
		return ErrHandoffUnknown
	case rec.Origin != origin:
		return ErrHandoffElsewhere
	}
	if err := a.store.DeleteCtx(context.WithoutCancel(ctx), handoffKey(hash)); err != nil {
		return err
	}
	// This context's session, if any, is replaced (rule 26), and the new
	// one gets a fresh id.
	if old, ok := a.Current(ctx); ok {
		a.end(ctx, old.TokenRef)
		a.metrics.Session("ended")
	}
	if err := a.sessions.RenewToken(ctx); err != nil {
		return err
	}
	tr, ok := a.loadTokens(ctx, rec.Session.TokenRef)
	if !ok {
		return ErrHandoffUnknown
	}
	tr.Session, tr.Since = a.sessions.Token(ctx), a.now()
	if err := a.saveTokens(ctx, rec.Session.TokenRef, tr); err != nil {
		return err
	}
	a.sessions.Put(ctx, sessionKey, rec.Session)
	a.sessions.Put(ctx, session.PartitionedKey, true)
	a.metrics.Session("created")
	a.log.Info("sign-in handed to an embedded card", "user", rec.Session.User.ID, "origin", origin)
	return nil
}
