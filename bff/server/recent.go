package server

import (
	"context"
	"encoding/gob"
	"time"

	"langcard/bff/graph"
	"langcard/bff/recent"
	"langcard/web/langprof"
)

// A session's recent writes (package recent) are put over every list it
// is shown (pages, embedded cards, the JSON API): Graph's lists lag behind
// its writes.

// recentWrites is the type earlier versions kept in the session itself:
// registered so that sessions they saved still decode (the value is not
// read).
type recentWrites []recent.Write

func init() { gob.Register(recentWrites{}) }

func (s *Server) recent(c *call) []recent.Write {
	ws, err := s.Recent.List(c.ctx, c.session)
	if err != nil {
		s.Metrics.StoreError()
		s.Logger.Warn("recent writes not read", "request_id", graph.RequestID(c.ctx), "error", err)
	}
	return ws
}

// remember records a write the session made (lp nil: a delete). It is
// kept even when the request that made it has gone: the write has.
func (s *Server) remember(c *call, id string, lp *langprof.LanguageProficiency) {
	w := recent.Write{At: time.Now(), Target: c.target.String(), ID: id, Entry: lp}
	if err := s.Recent.Put(context.WithoutCancel(c.ctx), c.session, w); err != nil {
		s.Metrics.StoreError()
		s.Logger.Warn("recent write not kept", "request_id", graph.RequestID(c.ctx), "error", err)
	}
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
