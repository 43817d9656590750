package recent

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Changes counts the writes made to each profile, so that a copy of a
// profile kept for a while (a colleague's cached view) can tell, at its
// next read, that the owner has written since: hidden at once, on every
// replica (docs/security.md, rule 24). A key is a profile as langcard
// names it (an object id or a userPrincipalName, in lower case), or
// Everyone for writes whose owner is known only by the name the writer
// used.
type Changes interface {
	// Versions returns each key's count of writes (0: none known).
	Versions(ctx context.Context, keys ...string) ([]int64, error)
	// Bump counts one more write for each key.
	Bump(ctx context.Context, keys ...string) error
}

// Everyone is the key every cached profile also checks.
const Everyone = "*"

// Key is how a profile is named among the changes.
func Key(profile string) string { return strings.ToLower(profile) }

// maxChanged bounds the profiles the memory store counts; past it, it
// starts again, counting one write for Everyone, so that nothing cached
// before looks current.
const maxChanged = 100_000

// MemoryChanges are Changes of one process.
type MemoryChanges struct {
	mu sync.Mutex
	n  map[string]int64
	// base is added to every key's count: raised when the map starts again.
	base int64
}

// NewMemoryChanges returns Changes kept in this process.
func NewMemoryChanges() *MemoryChanges { return &MemoryChanges{n: map[string]int64{}} }

func (m *MemoryChanges) Versions(_ context.Context, keys ...string) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = m.base + m.n[k]
	}
	return out, nil
}

func (m *MemoryChanges) Bump(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.n)+len(keys) > maxChanged {
		// Every count moves past what it was: no stale copy survives.
		high := int64(0)
		for _, v := range m.n {
			high = max(high, v)
		}
		m.base += high + 1
		m.n = map[string]int64{}
	}
	for _, k := range keys {
		m.n[k]++
	}
	return nil
}

// RedisChanges are Changes shared by every replica: a counter per key.
type RedisChanges struct {
	c      *redis.Client
	prefix string
	ttl    time.Duration
}

// NewRedisChanges returns Changes in Redis, under keys starting with
// prefix. A counter lives ttl after its last write; ttl must outlive
// whatever is cached against it (a counter that expired reads 0 again).
func NewRedisChanges(c *redis.Client, prefix string, ttl time.Duration) *RedisChanges {
	return &RedisChanges{c: c, prefix: prefix, ttl: ttl}
}

func (r *RedisChanges) Versions(ctx context.Context, keys ...string) ([]int64, error) {
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = r.prefix + k
	}
	vals, err := r.c.MGet(ctx, full...).Result()
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(keys))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i], _ = strconv.ParseInt(s, 10, 64) // not a count: none known
		}
	}
	return out, nil
}

func (r *RedisChanges) Bump(ctx context.Context, keys ...string) error {
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Incr(ctx, r.prefix+k)
			p.PExpire(ctx, r.prefix+k, r.ttl)
		}
		return nil
	})
	return err
}
