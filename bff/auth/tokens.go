package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Tokens are a session's tokens. They live in a record of their own in
// the session store, apart from the session, and only the code that
// obtains or refreshes them writes it: the session store saves a whole
// session at the end of every request that changed it, so tokens kept in
// the session would be put back, stale, by any slow request that read
// them before a refresh (docs/security.md, rule 18).
type Tokens struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	Expiry       time.Time `json:"expiry"`
}

// tokenRecord is a session's record in the store: its tokens, and the
// session it belongs to (so the oldest sessions of a person can be ended).
type tokenRecord struct {
	Tokens
	Session string `json:"session"`
}

// personRecord lists a person's sessions, oldest first.
type personRecord struct {
	Refs []string `json:"refs"`
}

// MaxSessionsPerPerson bounds the sessions one person holds: signing in
// once more ends the oldest (a person rarely uses more than a few browsers
// and devices; sign-in floods do not grow the store without end).
const MaxSessionsPerPerson = 10

func tokenKey(ref string) string  { return "tokens:" + ref }
func personKey(oid string) string { return "person:" + oid }
func newRef() string {
	var b [24]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// loadTokens reads a session's token record. A record decodes once per
// process (a.records remembers it by its bytes): every request reads it.
// A store that cannot be read is not a missing record (see readTokens).
func (a *Auth) loadTokens(ctx context.Context, ref string) (tokenRecord, bool) {
	rec, ok, _ := a.readTokens(ctx, ref)
	return rec, ok
}

// readTokens is loadTokens with the store's error (ErrStoreUnavailable).
func (a *Auth) readTokens(ctx context.Context, ref string) (tokenRecord, bool, error) {
	data, found, err := a.store.FindCtx(ctx, tokenKey(ref))
	if err != nil {
		return tokenRecord{}, false, fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
	}
	if !found {
		return tokenRecord{}, false, nil
	}
	rec, ok := a.records.Get(data)
	if !ok {
		if json.Unmarshal(data, &rec) != nil {
			return tokenRecord{}, false, nil
		}
		a.records.Put(data, rec)
	}
	return rec, rec.AccessToken != "", nil
}

// ErrStoreUnavailable means the session store could not be read: the
// session is kept, and the request can be tried again.
var ErrStoreUnavailable = errors.New("auth: the session store cannot be reached")

// The writes below finish even when the request that asked for them has
// gone: a sign-out or a refresh is not half done.

func (a *Auth) saveTokens(ctx context.Context, ref string, rec tokenRecord) error {
	ctx = context.WithoutCancel(ctx)
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return a.store.CommitCtx(ctx, tokenKey(ref), data, a.now().Add(a.sessions.Lifetime))
}

// register records a new session of a person and ends their oldest
// sessions past MaxSessionsPerPerson.
func (a *Auth) register(ctx context.Context, oid, ref string) {
	ctx = context.WithoutCancel(ctx)
	var p personRecord
	if data, found, err := a.store.FindCtx(ctx, personKey(oid)); err == nil && found {
		json.Unmarshal(data, &p)
	}
	// Forget sessions that ended on their own.
	p.Refs = slices.DeleteFunc(p.Refs, func(r string) bool {
		_, ok := a.loadTokens(ctx, r)
		return !ok
	})
	p.Refs = append(p.Refs, ref)
	for len(p.Refs) > MaxSessionsPerPerson {
		a.end(ctx, p.Refs[0])
		a.metrics.Session("ended")
		p.Refs = p.Refs[1:]
	}
	if data, err := json.Marshal(p); err == nil {
		a.store.CommitCtx(ctx, personKey(oid), data, a.now().Add(a.sessions.Lifetime))
	}
}

// end ends the session whose tokens are ref: both records go.
func (a *Auth) end(ctx context.Context, ref string) {
	ctx = context.WithoutCancel(ctx)
	if rec, ok := a.loadTokens(ctx, ref); ok && rec.Session != "" {
		a.store.DeleteCtx(ctx, rec.Session)
	}
	a.store.DeleteCtx(ctx, tokenKey(ref))
}
