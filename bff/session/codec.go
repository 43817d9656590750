package session

import (
	"maps"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

// Codec is an scs.Codec that remembers, by the bytes themselves, what it
// decoded and encoded, so a session read again and again decodes once per
// process (gob compiles a decoder for every type of every session it
// decodes, which made decoding the largest cost of a request). Equal bytes
// decode to equal values, so what it remembers is never another session's.
//
// It hands out copies of the remembered map; the values in it are shared,
// so they must not be changed in place (scs's Put replaces a value, and
// the BFF keeps only strings, numbers and structs of them in sessions).
type Codec struct {
	inner scs.Codec
	seen  *Memo[decoded]
}

type decoded struct {
	deadline time.Time
	values   map[string]any
}

// MaxRemembered bounds what a Codec remembers (and a Memo holds).
const MaxRemembered = 4096

// NewCodec returns a Codec over inner.
func NewCodec(inner scs.Codec) Codec { return Codec{inner, NewMemo[decoded](MaxRemembered)} }

func (c Codec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b, err := c.inner.Encode(deadline, values)
	if err == nil {
		c.seen.Put(b, decoded{deadline, maps.Clone(values)})
	}
	return b, err
}

func (c Codec) Decode(b []byte) (time.Time, map[string]any, error) {
	if d, ok := c.seen.Get(b); ok {
		return d.deadline, maps.Clone(d.values), nil
	}
	deadline, values, err := c.inner.Decode(b)
	if err == nil {
		c.seen.Put(b, decoded{deadline, maps.Clone(values)})
	}
	return deadline, values, err
}

// Memo remembers values by the bytes they were read from, up to a bound
// (past it, an arbitrary entry is forgotten for each new one).
type Memo[V any] struct {
	mu  sync.Mutex
	m   map[string]V
	max int
}

// NewMemo returns a Memo of at most max entries.
func NewMemo[V any](max int) *Memo[V] { return &Memo[V]{m: map[string]V{}, max: max} }

// Get returns what b was remembered as.
func (m *Memo[V]) Get(b []byte) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[string(b)]
	return v, ok
}

// Put remembers b as v.
func (m *Memo[V]) Put(b []byte, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[string(b)]; !ok && len(m.m) >= m.max {
		for k := range m.m {
			delete(m.m, k)
			break
		}
	}
	m.m[string(b)] = v
}
