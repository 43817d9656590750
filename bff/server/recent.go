package server

import (
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"langcard/bff/graph"
	"langcard/bff/session"
	"langcard/web/langprof"
)

// Graph's lists are not read-after-write consistent (graph.md): a list
// made just after a save may still show the old entry. So each session
// remembers its own recent writes, as Graph answered them, and every list
// it is shown (pages, embedded cards, the JSON API) puts them over what
// Graph listed, until Graph catches up or recentTTL passes.
//
// They are a record of their own in the session store, beside the
// session's tokens and under the same reference, not a value in the
// session: a write then saves a few hundred bytes, not the whole session
// (and a Set-Cookie), and a slow request that read the session before the
// write cannot put it back without the write.

const (
	recentTTL = 10 * time.Minute
	maxRecent = 32
)

func recentKey(ref string) string { return "recent:" + ref }

// recentWrite is one write a session made.
type recentWrite struct {
	At     time.Time                     `json:"at"`
	Target string                        `json:"target"` // "me", or the user
	ID     string                        `json:"id"`
	Entry  *langprof.LanguageProficiency `json:"entry,omitempty"` // nil: deleted
}

// recentWrites is the type earlier versions kept in the session itself:
// registered so that sessions they saved still decode (the value is not
// read).
type recentWrites []recentWrite

func init() { gob.Register(recentWrites{}) }

// MarshalJSON writes the record as encoding/json would, the entries
// written directly (langprof's AppendJSON), not checked and compacted again.
func (ws recentWrites) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 512*len(ws)+2)
	b = append(b, '[')
	for i, w := range ws {
		if i > 0 {
			b = append(b, ',')
		}
		at, err := w.At.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(append(b, `{"at":`...), at...)
		b = langprof.AppendString(append(b, `,"target":`...), w.Target)
		b = langprof.AppendString(append(b, `,"id":`...), w.ID)
		if w.Entry != nil {
			b = w.Entry.AppendJSON(append(b, `,"entry":`...))
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// recentLocks make one process's writes of a session's record follow one
// another (replicas writing the same session's record at the same moment
// may still lose one of two writes from the overlay, as before: it only
// shortens how long a lagging list is covered).
var recentLocks [64]sync.Mutex

// recentRecords remembers what records decoded to (and were encoded
// from), by their bytes: the record a process wrote is read back without
// decoding.
var recentRecords = session.NewMemo[[]recentWrite](session.MaxRemembered)

func (s *Server) recent(c *call) []recentWrite {
	data, found, err := session.Ctx(s.Sessions.Store).FindCtx(c.ctx, recentKey(c.session))
	if err != nil || !found {
		return nil
	}
	ws, ok := recentRecords.Get(data)
	if !ok {
		if json.Unmarshal(data, &ws) != nil {
			return nil
		}
		recentRecords.Put(data, ws)
	}
	// The entries are shared with the memo: they are read, never changed.
	return slices.DeleteFunc(slices.Clone(ws), func(w recentWrite) bool { return time.Since(w.At) > recentTTL })
}

// remember records a write the session made (lp nil: a delete).
func (s *Server) remember(c *call, id string, lp *langprof.LanguageProficiency) {
	h := fnv.New32a()
	h.Write([]byte(c.session))
	mu := &recentLocks[h.Sum32()%uint32(len(recentLocks))]
	mu.Lock()
	defer mu.Unlock()
	// The latest write of an entry is all that needs showing.
	ws := slices.DeleteFunc(s.recent(c), func(w recentWrite) bool { return w.ID == id && w.Target == c.target.String() })
	ws = append(ws, recentWrite{At: time.Now(), Target: c.target.String(), ID: id, Entry: lp})
	if len(ws) > maxRecent {
		ws = ws[len(ws)-maxRecent:]
	}
	data, err := recentWrites(ws).MarshalJSON()
	if err == nil {
		recentRecords.Put(data, ws)
		err = session.Ctx(s.Sessions.Store).CommitCtx(context.WithoutCancel(c.ctx), recentKey(c.session), data, time.Now().Add(recentTTL))
	}
	if err != nil {
		s.Metrics.StoreError()
		s.Logger.Warn("recent write not kept", "error", err)
	}
}

// listing is what a viewer is shown of a profile.
type listing struct {
	graph.Listing
	// NotShared counts the entries of a colleague not shared with the viewer.
	NotShared int
}

// list lists the target's languages as the viewer of c may see them. A
// colleague sees only what is shared with them (read briefly cached). The
// owner and editors see every entry, with the session's recent writes put
// over what Graph listed: a write shows unless Graph lists a newer version.
func (s *Server) list(c *call) (listing, error) {
	if c.colleague {
		l, err := s.colleagueList(c)
		if err != nil {
			return listing{}, err
		}
		l, hidden := onlyShared(l)
		return listing{Listing: l, NotShared: hidden}, nil
	}
	gl, err := s.Graph.List(c.ctx, c.token, c.target)
	if err != nil {
		return listing{}, err
	}
	l := listing{Listing: gl}
	for _, w := range s.recent(c) {
		if w.Target != c.target.String() {
			continue
		}
		i := slices.IndexFunc(l.Value, func(lp langprof.LanguageProficiency) bool { return lp.ID == w.ID })
		switch {
		case w.Entry == nil && i >= 0:
			l.Value = slices.Delete(l.Value, i, i+1)
		case w.Entry == nil:
		case i < 0:
			l.Value = append(l.Value, *w.Entry)
		case !newer(l.Value[i], *w.Entry):
			l.Value[i] = *w.Entry
		}
	}
	return l, nil
}

// mayWrite refuses colleagues' writes, and drops what the viewer had
// cached of colleagues (a write may change what they see).
func (s *Server) mayWrite(c *call) error {
	if c.colleague {
		return errReadOnly
	}
	s.colleagues.forget(c.viewer)
	return nil
}

// newer reports whether a was modified after b.
func newer(a, b langprof.LanguageProficiency) bool {
	ta, tb := modified(a), modified(b)
	return !ta.IsZero() && !tb.IsZero() && ta.After(tb)
}

func modified(lp langprof.LanguageProficiency) time.Time {
	if lp.LastModifiedDateTime == nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, string(*lp.LastModifiedDateTime))
	return t
}

// create, update and remove write through Graph and remember the result.

func (s *Server) create(c *call, p langprof.Patch) (langprof.LanguageProficiency, error) {
	if err := s.mayWrite(c); err != nil {
		return langprof.LanguageProficiency{}, err
	}
	lp, err := s.Graph.Create(c.ctx, c.token, c.target, p)
	if err == nil {
		s.remember(c, lp.ID, &lp)
	}
	return lp, err
}

func (s *Server) update(c *call, p langprof.Patch) (langprof.LanguageProficiency, error) {
	if err := s.mayWrite(c); err != nil {
		return langprof.LanguageProficiency{}, err
	}
	lp, err := s.Graph.Update(c.ctx, c.token, c.target, c.id, p)
	if err == nil {
		s.remember(c, lp.ID, &lp)
	}
	return lp, err
}

// remove deletes the entry; one that Graph confirms is gone already
// counts as deleted.
func (s *Server) remove(c *call) error {
	if err := s.mayWrite(c); err != nil {
		return err
	}
	err := s.Graph.Delete(c.ctx, c.token, c.target, c.id)
	if missing(err) {
		err = nil
	}
	if err == nil {
		s.remember(c, c.id, nil)
	}
	return err
}

// missing reports whether err is Graph confirming the entry does not exist.
func missing(err error) bool {
	var ge *graph.Error
	return errors.As(err, &ge) && ge.Missing
}
