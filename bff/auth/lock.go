package auth

import (
	"context"
	"time"
)

// Locker takes a lock shared by every replica of the deployment, so that
// one session's token is refreshed once across replicas (a refresh token
// rotates: two refreshes with the same one sign the person out).
type Locker interface {
	// Lock takes key for at most ttl. ok is false when another holder has
	// it; unlock releases it (only if still held by this caller).
	Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error)
}

// refreshLockTTL bounds how long one replica may hold a session's refresh
// lock: past it, another may refresh (the holder has died or hung).
const refreshLockTTL = 15 * time.Second

// waitForRefresh waits, when another replica holds the refresh lock, for
// it to store new tokens, and returns them; ok is false when none came in
// time (the caller then refreshes itself).
func (a *Auth) waitForRefresh(ctx context.Context, ref string, stale tokenRecord) (tokenRecord, bool) {
	deadline := time.NewTimer(a.idp.Timeout + time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return tokenRecord{}, false
		case <-deadline.C:
			return tokenRecord{}, false
		case <-tick.C:
			if rec, ok := a.loadTokens(ctx, ref); ok && replaced(rec, stale) {
				return rec, true
			}
		}
	}
}

// replaced reports whether rec holds other tokens than stale (compared by
// expiry too: a provider may sign the same token twice in one second).
func replaced(rec, stale tokenRecord) bool {
	return rec.AccessToken != stale.AccessToken || !rec.Expiry.Equal(stale.Expiry)
}
