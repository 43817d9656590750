package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
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
	// Since is when the session signed in (zero in records saved before
	// it was kept).
	Since time.Time `json:"since,omitzero"`
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
	return a.saveTokensFor(ctx, ref, rec, a.sessions.Lifetime)
}

// saveTokensFor is saveTokens for a shorter time (a handoff not yet
// redeemed).
func (a *Auth) saveTokensFor(ctx context.Context, ref string, rec tokenRecord, ttl time.Duration) error {
	ctx = context.WithoutCancel(ctx)
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return a.store.CommitCtx(ctx, tokenKey(ref), data, a.now().Add(ttl))
}

// register records a new session of a person and ends their oldest
// live sessions past MaxSessionsPerPerson. It holds the person's lock
// (across replicas, with a Locker), so that concurrent sign-ins cannot
// each read the list before the other wrote it and leave more alive.
func (a *Auth) register(ctx context.Context, oid, ref string) {
	ctx = context.WithoutCancel(ctx)
	unlock := a.lockPerson(ctx, oid)
	defer unlock()
	var p personRecord
	if data, found, err := a.store.FindCtx(ctx, personKey(oid)); err == nil && found {
		json.Unmarshal(data, &p)
	}
	// Count live sessions only: a session that ended on its own (its
	// tokens expired, or the session itself idled out) is forgotten.
	p.Refs = slices.DeleteFunc(p.Refs, func(r string) bool { return r != ref && !a.live(ctx, r) })
	if !slices.Contains(p.Refs, ref) {
		p.Refs = append(p.Refs, ref)
	}
	for len(p.Refs) > MaxSessionsPerPerson {
		a.end(ctx, p.Refs[0])
		a.metrics.Session("ended")
		p.Refs = p.Refs[1:]
	}
	if data, err := json.Marshal(p); err == nil {
		a.store.CommitCtx(ctx, personKey(oid), data, a.now().Add(a.sessions.Lifetime))
	}
}

// live reports whether the session of token record ref is still alive:
// its tokens, and the session they belong to, are both in the store.
func (a *Auth) live(ctx context.Context, ref string) bool {
	rec, ok := a.loadTokens(ctx, ref)
	if !ok {
		return false
	}
	if rec.Session == "" || a.now().Sub(rec.Since) < sessionSettles {
		return true // a sign-in's session is saved as its answer starts
	}
	_, found, err := a.store.FindCtx(ctx, rec.Session)
	return err != nil || found // unreadable: counted, not ended
}

// sessionSettles is how long after a sign-in its session counts as live
// before the store holds it.
const sessionSettles = time.Minute

// personLockTTL bounds how long a sign-in may hold a person's lock.
const personLockTTL = 5 * time.Second

// lockPerson takes oid's lock: the Locker's across replicas (waiting
// while another holds it, at most personLockTTL), or this process's.
func (a *Auth) lockPerson(ctx context.Context, oid string) (unlock func()) {
	return a.lockKey(ctx, "person:"+oid, &a.persons)
}

// lockKey takes key's lock across replicas (a Locker), or mu.
func (a *Auth) lockKey(ctx context.Context, key string, mu *sync.Mutex) (unlock func()) {
	if a.locker == nil {
		mu.Lock()
		return mu.Unlock
	}
	deadline := a.now().Add(personLockTTL)
	for wait := 5 * time.Millisecond; ; wait = min(wait*2, 100*time.Millisecond) {
		unlock, ok, err := a.locker.Lock(ctx, key, personLockTTL)
		switch {
		case err != nil:
			a.log.Warn("a lock cannot be taken; going on without it", "lock", key, "error", err)
			return func() {}
		case ok:
			return unlock
		case a.now().After(deadline):
			a.log.Warn("a lock is still held; going on without it", "lock", key)
			return func() {}
		}
		time.Sleep(wait)
	}
}

// end ends the session whose tokens are ref: both records go, and a
// tombstone stays a while, so that a refresh in flight that saves new
// tokens after this deletes them again (saveRefreshed).
func (a *Auth) end(ctx context.Context, ref string) {
	ctx = context.WithoutCancel(ctx)
	a.store.CommitCtx(ctx, endedKey(ref), []byte{1}, a.now().Add(refreshLockTTL+a.idp.Timeout))
	if rec, ok := a.loadTokens(ctx, ref); ok && rec.Session != "" {
		a.store.DeleteCtx(ctx, rec.Session)
	}
	a.store.DeleteCtx(ctx, tokenKey(ref))
}

func endedKey(ref string) string { return "ended:" + ref }

// saveRefreshed saves a refresh's tokens, unless the session ended while
// the refresh was in flight: saved first, then the tombstone read, so
// that whichever of end and this comes last, no record is left behind.
func (a *Auth) saveRefreshed(ctx context.Context, ref string, rec tokenRecord) error {
	if err := a.saveTokens(ctx, ref, rec); err != nil {
		return err
	}
	if _, ended, err := a.store.FindCtx(context.WithoutCancel(ctx), endedKey(ref)); err == nil && ended {
		a.store.DeleteCtx(context.WithoutCancel(ctx), tokenKey(ref))
		return ErrSignedOut
	}
	return nil
}
