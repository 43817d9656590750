// Package session builds the BFF's server-side sessions on scs, shaped for
// the request that only reads its session, which is nearly every one:
//
//   - No write back on every request. scs's IdleTimeout saves every
//     session at the end of every request (an encode, a store write and a
//     Set-Cookie each time). Here the idle timeout is the store's: a save
//     gives the stored session idle to live, and Touch saves a session in
//     use at most once every idle/4 (a minute at most), so a session ends
//     between idle-idle/4 and idle after its last use.
//   - Decoding once. A session's stored bytes decode once per process: the
//     codec remembers what it decoded and encoded, by the bytes themselves.
package session

import (
	"context"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
)

// New returns a session manager over store: sessions live at most
// lifetime, and end when unused for idle (0: no idle timeout).
func New(store scs.Store, lifetime, idle time.Duration) *scs.SessionManager {
	sm := scs.New()
	sm.Lifetime = lifetime
	sm.Store = store
	if idle > 0 {
		sm.Store = idleStore{Ctx(store), idle}
	}
	sm.Codec = NewCodec(scs.GobCodec{})
	return sm
}

// seenKey holds when a session was last saved by Touch (Unix milliseconds).
const seenKey = "seen"

// Touch keeps sessions in use alive under an idle timeout of idle: it must
// run inside sm.LoadAndSave. It marks a stored session for saving when its
// last save is idle/4 (at most a minute) old; a request without a stored
// session is left alone (no session is made for anonymous visitors).
func Touch(sm *scs.SessionManager, idle time.Duration) func(http.Handler) http.Handler {
	step := min(idle/4, time.Minute)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ctx := r.Context(); idle > 0 && sm.Token(ctx) != "" {
				now := time.Now()
				if last, _ := sm.Get(ctx, seenKey).(int64); now.Sub(time.UnixMilli(last)) >= step {
					sm.Put(ctx, seenKey, now.UnixMilli())
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Ctx returns store's context-taking methods: its own, or its plain ones
// (a store without them ignores the context).
func Ctx(store scs.Store) scs.CtxStore {
	if cs, ok := store.(scs.CtxStore); ok {
		return cs
	}
	return plainStore{store}
}

type plainStore struct{ scs.Store }

func (p plainStore) FindCtx(_ context.Context, token string) ([]byte, bool, error) {
	return p.Find(token)
}

func (p plainStore) CommitCtx(_ context.Context, token string, b []byte, expiry time.Time) error {
	return p.Commit(token, b, expiry)
}

func (p plainStore) DeleteCtx(_ context.Context, token string) error { return p.Delete(token) }

// idleStore gives every saved session at most idle to live. scs calls its
// context-taking methods; the plain ones (some stores have them only to
// panic) use the context-taking ones.
type idleStore struct {
	store scs.CtxStore
	idle  time.Duration
}

func (s idleStore) cap(expiry time.Time) time.Time {
	if e := time.Now().Add(s.idle); e.Before(expiry) {
		return e
	}
	return expiry
}

func (s idleStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.store.FindCtx(ctx, token)
}

func (s idleStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.store.CommitCtx(ctx, token, b, s.cap(expiry))
}

func (s idleStore) DeleteCtx(ctx context.Context, token string) error {
	return s.store.DeleteCtx(ctx, token)
}

func (s idleStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s idleStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s idleStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
