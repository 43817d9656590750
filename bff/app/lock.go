package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"

	"github.com/gomodule/redigo/redis"
)

// redisLocker is auth.Locker over Redis: SET NX with an expiry, released
// only by its holder (compare-and-delete), so that one session's token is
// refreshed once across replicas.
type redisLocker struct{ pool *redis.Pool }

var unlockScript = redis.NewScript(1, `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`)

func (l redisLocker) Lock(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	c, err := l.pool.GetContext(ctx)
	if err != nil {
		return nil, false, err
	}
	defer c.Close()
	var b [16]byte
	rand.Read(b[:])
	token := base64.RawURLEncoding.EncodeToString(b[:])
	key = "langcard:lock:" + key
	_, err = redis.String(c.Do("SET", key, token, "NX", "PX", ttl.Milliseconds()))
	if errors.Is(err, redis.ErrNil) {
		return nil, false, nil // held by another replica
	}
	if err != nil {
		return nil, false, err
	}
	return func() {
		c := l.pool.Get()
		defer c.Close()
		unlockScript.Do(c, key, token) // if this fails, the lock expires by itself
	}, true, nil
}
