// Package recent keeps each session's recent writes. Graph's lists are not
// read-after-write consistent (docs/graph.md): a list made just after a save
// may still show the old entry. So each session remembers its own recent
// writes, as Graph answered them, and every list it is shown puts them
// over what Graph listed, until Graph catches up or the writes age out.
//
// A write is kept by its entry: the latest write of an entry replaces the
// one before, in one step, with no read first (so a session's writes made
// at the same moment, on one replica or several, all stay).
package recent

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"langcard/web/langprof"
)

// TTL is how long a write is put over Graph's lists.
const TTL = 10 * time.Minute

// Max bounds the writes a session is shown: the latest ones.
const Max = 32

// Write is one write a session made.
type Write struct {
	At     time.Time                     `json:"at"`
	Target string                        `json:"target"` // "me", or the user
	ID     string                        `json:"id"`
	Entry  *langprof.LanguageProficiency `json:"entry,omitempty"` // nil: deleted
}

// key names the entry a write is of.
func (w Write) key() string { return w.Target + "\x00" + w.ID }

// MarshalJSON writes w as encoding/json would, the entry written directly
// (langprof's AppendJSON), not checked and compacted again.
func (w Write) MarshalJSON() ([]byte, error) {
	at, err := w.At.MarshalJSON()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 640)
	b = append(append(b, `{"at":`...), at...)
	b = langprof.AppendString(append(b, `,"target":`...), w.Target)
	b = langprof.AppendString(append(b, `,"id":`...), w.ID)
	if w.Entry != nil {
		b = w.Entry.AppendJSON(append(b, `,"entry":`...))
	}
	return append(b, '}'), nil
}

// Store keeps sessions' recent writes, by session (the reference of its
// token record).
type Store interface {
	// Put keeps w as the latest write of its entry in the session.
	Put(ctx context.Context, session string, w Write) error
	// List returns the session's writes younger than TTL, the latest Max,
	// oldest first.
	List(ctx context.Context, session string) ([]Write, error)
}

// latest is what List returns of ws: the young ones, the latest Max,
// oldest first (writes at the same moment in the order of their entries,
// so that a store's own order never shows).
func latest(ws []Write, now time.Time) []Write {
	ws = slices.DeleteFunc(ws, func(w Write) bool { return now.Sub(w.At) > TTL })
	slices.SortFunc(ws, func(a, b Write) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.key(), b.key())) })
	return ws[max(0, len(ws)-Max):]
}

// Memory is a Store in this process (one replica).
type Memory struct {
	mu   sync.Mutex
	m    map[string]*writes
	puts int
}

type writes struct {
	expires time.Time
	byEntry map[string]Write
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{m: map[string]*writes{}} }

func (s *Memory) Put(_ context.Context, session string, w Write) error {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.puts++; s.puts%1024 == 0 { // now and then, forget sessions gone quiet
		for k, ws := range s.m {
			if now.After(ws.expires) {
				delete(s.m, k)
			}
		}
	}
	ws := s.m[session]
	if ws == nil || now.After(ws.expires) {
		ws = &writes{byEntry: map[string]Write{}}
		s.m[session] = ws
	}
	ws.expires = now.Add(TTL)
	ws.byEntry[w.key()] = w
	if len(ws.byEntry) > 2*Max { // keep the latest Max
		keep := latest(slices.Collect(maps.Values(ws.byEntry)), now)
		clear(ws.byEntry)
		for _, w := range keep {
			ws.byEntry[w.key()] = w
		}
	}
	return nil
}

func (s *Memory) List(_ context.Context, session string) ([]Write, error) {
	now := time.Now()
	s.mu.Lock()
	ws := s.m[session]
	var out []Write
	if ws != nil && !now.After(ws.expires) {
		out = slices.Collect(maps.Values(ws.byEntry))
	}
	s.mu.Unlock()
	return latest(out, now), nil
}
