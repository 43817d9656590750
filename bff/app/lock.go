package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisLocker is auth.Locker over Redis: SET NX with an expiry, released
// only by its holder (compare-and-delete), so that one session's token is
// refreshed once across replicas.
type redisLocker struct{ c *redis.Client }

var unlockScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`)

func (l redisLocker) Lock(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	var b [16]byte
	rand.Read(b[:])
	token := base64.RawURLEncoding.EncodeToString(b[:])
	key = "langcard:lock:" + key
	ok, err := l.c.SetNX(ctx, key, token, ttl).Result()
	if err != nil || !ok {
		return nil, false, err // !ok: held by another replica
	}
	return func() {
		// If this fails, the lock expires by itself.
		unlockScript.Run(context.WithoutCancel(ctx), l.c, []string{key}, token)
	}, true, nil
}
