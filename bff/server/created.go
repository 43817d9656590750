package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"langcard/bff/graph"
	"langcard/web/langprof"
)

// An add carries an idempotency key: the widget's stays the same across
// its retries of one add, the form's is rendered with the form. The entry
// Graph created for a key is remembered for createdTTL, in this process
// (which a session store outage does not touch) and in the shared store
// (which a retry through another replica reads), so a retry of the same
// add answers that entry instead of adding the language twice
// (docs/security.md, rule 25). Graph failures keep their own guard: a
// create whose answer was lost is looked for in the list (graph.Client).

// createdTTL is how long an add's key is remembered.
const createdTTL = 10 * time.Minute

// maxCreated bounds the keys this process remembers.
const maxCreated = 10000

// CreatedStore is the shared memory of adds by key (nil: this process's
// alone).
type CreatedStore interface {
	Get(ctx context.Context, key string) (langprof.LanguageProficiency, bool, error)
	Put(ctx context.Context, key string, lp langprof.LanguageProficiency) error
}

// validKey reports whether an idempotency key is one langcard accepts:
// 8 to 64 letters, digits, '-' or '_'.
func validKey(k string) bool {
	if len(k) < 8 || len(k) > 64 {
		return false
	}
	for _, c := range k {
		if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

type createdMemo struct {
	mu     sync.Mutex
	m      map[string]createdEntry
	flight singleflight.Group
	now    func() time.Time
}

type createdEntry struct {
	at time.Time
	lp langprof.LanguageProficiency
}

func newCreatedMemo() *createdMemo {
	return &createdMemo{m: map[string]createdEntry{}, now: time.Now}
}

func (cm *createdMemo) get(key string) (langprof.LanguageProficiency, bool) {
	cm.mu.Lock()
	defer cm.mu.Unlock()
	e, ok := cm.m[key]
	if !ok || cm.now().Sub(e.at) > createdTTL {
		return langprof.LanguageProficiency{}, false
	}
	return e.lp, true
}

func (cm *createdMemo) put(key string, lp langprof.LanguageProficiency) {
	cm.mu.Lock()
	defer cm.mu.Unlock()
	if len(cm.m) >= maxCreated {
		for k, e := range cm.m {
			if cm.now().Sub(e.at) > createdTTL {
				delete(cm.m, k)
			}
		}
		if len(cm.m) >= maxCreated {
			cm.m = map[string]createdEntry{}
		}
	}
	cm.m[key] = createdEntry{at: cm.now(), lp: lp}
}

// createOnce is create for an add with an idempotency key ("": none): a
// key already answered gets the same entry, with no Graph call; a key in
// flight waits for it.
func (s *Server) createOnce(c *call, idem string, p langprof.Patch) (langprof.LanguageProficiency, error) {
	if idem == "" {
		return s.create(c, p)
	}
	key := c.viewer + "\x00" + c.target.String() + "\x00" + idem
	v, err, _ := s.created.flight.Do(key, func() (any, error) {
		if lp, ok := s.created.get(key); ok {
			return lp, nil
		}
		if s.Created != nil {
			lp, ok, err := s.Created.Get(c.ctx, key)
			if err != nil {
				s.Logger.Warn("remembered adds not read", "request_id", graph.RequestID(c.ctx), "error", err)
			}
			if ok {
				s.created.put(key, lp)
				return lp, nil
			}
		}
		lp, err := s.create(c, p)
		if err != nil {
			return lp, err
		}
		s.created.put(key, lp)
		if s.Created != nil {
			if err := s.Created.Put(context.WithoutCancel(c.ctx), key, lp); err != nil {
				s.Logger.Warn("an add not remembered in the shared store; this replica remembers it", "request_id", graph.RequestID(c.ctx), "error", err)
			}
		}
		return lp, nil
	})
	lp, _ := v.(langprof.LanguageProficiency)
	return lp, err
}

// newKey is a fresh idempotency key for a form to add a language.
func newKey() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// idempotencyKey is the add's key from the form (idempotency) or the
// API's query (?idempotency=); a malformed one is refused.
func idempotencyKey(r *http.Request) (string, error) {
	k := r.URL.Query().Get("idempotency")
	if r.PostForm != nil && r.PostForm.Get("idempotency") != "" {
		k = r.PostForm.Get("idempotency")
	}
	if k != "" && !validKey(k) {
		return "", badSegment("idempotency", "idempotency must be 8 to 64 letters, digits, '-' or '_'")
	}
	return k, nil
}

// RedisCreated is a CreatedStore in Redis, shared by every replica.
type RedisCreated struct {
	C      *redis.Client
	Prefix string
}

func (rc RedisCreated) Get(ctx context.Context, key string) (langprof.LanguageProficiency, bool, error) {
	data, err := rc.C.Get(ctx, rc.Prefix+key).Bytes()
	if err == redis.Nil {
		return langprof.LanguageProficiency{}, false, nil
	}
	if err != nil {
		return langprof.LanguageProficiency{}, false, err
	}
	var lp langprof.LanguageProficiency
	if err := json.Unmarshal(data, &lp); err != nil {
		return lp, false, nil
	}
	return lp, true, nil
}

func (rc RedisCreated) Put(ctx context.Context, key string, lp langprof.LanguageProficiency) error {
	return rc.C.Set(ctx, rc.Prefix+key, lp.AppendJSON(nil), createdTTL).Err()
}
