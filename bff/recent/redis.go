package recent

import (
	"context"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"

	"langcard/bff/session"
)

// Redis is a Store in Redis, shared by every replica: a hash per session,
// a field per entry, written and given TTL to live in one round trip.
type Redis struct {
	c      *redis.Client
	prefix string
	seen   *session.Memo[Write]
}

// NewRedis returns a Store over c whose keys start with prefix.
func NewRedis(c *redis.Client, prefix string) *Redis {
	return &Redis{c: c, prefix: prefix, seen: session.NewMemo[Write](session.MaxRemembered)}
}

func (s *Redis) Put(ctx context.Context, session string, w Write) error {
	data, err := w.MarshalJSON()
	if err != nil {
		return err
	}
	s.seen.Put(data, w)
	key := s.prefix + session
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, w.key(), data)
		p.PExpire(ctx, key, TTL)
		return nil
	})
	return err
}

func (s *Redis) List(ctx context.Context, session string) ([]Write, error) {
	fields, err := s.c.HGetAll(ctx, s.prefix+session).Result()
	if err != nil {
		return nil, err
	}
	ws := make([]Write, 0, len(fields))
	for _, v := range fields {
		w, ok := s.seen.Get([]byte(v))
		if !ok {
			if json.Unmarshal([]byte(v), &w) != nil {
				continue // not one of ours: shown as Graph lists it
			}
			s.seen.Put([]byte(v), w)
		}
		ws = append(ws, w)
	}
	return latest(ws, time.Now()), nil
}
