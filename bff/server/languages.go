package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"langcard/bff/graph"
	"langcard/bff/session"
	"langcard/web/langprof"
)

// The operations on a person's languages, as pages, the JSON API and
// embedded cards all do them: list, create, update, remove. A colleague
// is shown only what is shared with them; the session's recent writes
// are put over Graph's lagging lists; every write is counted for the
// colleagues' caches and, when it is someone else's profile, audited.

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
	if c.read != nil {
		// One request, one read of each person (an intranet page's cards).
		return c.read.once(c.target, func() (listing, error) { return s.listAfresh(c) })
	}
	return s.listAfresh(c)
}

func (s *Server) listAfresh(c *call) (listing, error) {
	if c.colleague {
		l, err := s.colleagueList(c)
		if err != nil {
			return listing{}, err
		}
		return onlyShared(l), nil
	}
	gl, err := s.Graph.List(c.ctx, c.token, c.target)
	if err != nil {
		if !c.target.IsMe() {
			err = s.othersRead(c, err)
		}
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

// create, update and remove write through Graph and remember the result.

func (s *Server) create(c *call, p langprof.Patch) (langprof.LanguageProficiency, error) {
	if err := s.mayWrite(c); err != nil {
		return langprof.LanguageProficiency{}, err
	}
	lp, err := s.Graph.Create(c.ctx, c.token, c.target, p)
	session.Keep(c.ctx) // the answer reports this write, whatever the session store does
	s.changed(c)
	s.audit(c, "create", lp.ID, p, err)
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
	session.Keep(c.ctx) // the answer reports this write, whatever the session store does
	s.changed(c)
	s.audit(c, "update", c.id, p, err)
	if err != nil {
		err = s.organizationOwned(c, err)
	}
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
	session.Keep(c.ctx) // the answer reports this write, whatever the session store does
	s.changed(c)
	s.audit(c, "delete", c.id, langprof.Patch{}, err)
	if missing(err) {
		err = nil
	}
	if err != nil {
		err = s.organizationOwned(c, err)
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

// audit logs a change an administrator made to someone else's profile:
// who, whose, which entry, which properties (never their values), the
// request id, and whether Graph took it.
func (s *Server) audit(c *call, op, id string, p langprof.Patch, err error) {
	if c.target.IsMe() {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "failed"
	}
	s.Logger.Info("audit: a change to another person's profile", "audit", true, "op", op,
		"by", c.viewer, "by_upn", c.viewerUPN, "profile", c.target.String(), "entry", id,
		"properties", p.Present(), "outcome", outcome, "request_id", graph.RequestID(c.ctx))
}

// errOrganizationOwned answers a write Graph refused to an entry that
// comes from the organization's systems (langprof.OrganizationOwned).
var errOrganizationOwned = &Error{Status: http.StatusForbidden, Code: "organizationOwned", Key: "err.organizationOwned"}

// organizationOwned explains a write Graph refused (a 4xx other than a
// confirmed missing entry or throttling) when the entry is one the
// organization owns: one read, on the failure path only.
func (s *Server) organizationOwned(c *call, err error) error {
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status/100 != 4 || ge.Missing || ge.Status == http.StatusTooManyRequests || ge.Status == http.StatusUnauthorized {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.ctx), 5*time.Second)
	defer cancel()
	lp, gerr := s.Graph.Get(ctx, c.token, c.target, c.id)
	if gerr != nil || !lp.OrganizationOwned() {
		return err
	}
	e := *errOrganizationOwned
	e.Err, e.RequestID = err, ge.RequestID
	return &e
}

// reads are one request's reads of people, each done once.
type reads struct {
	mu sync.Mutex
	m  map[string]*readResult
}

type readResult struct {
	done chan struct{}
	l    listing
	err  error
}

// once returns t's listing: read by read the first time, then the same.
func (rs *reads) once(t graph.Target, read func() (listing, error)) (listing, error) {
	k := targetKey(t)
	rs.mu.Lock()
	if r, ok := rs.m[k]; ok {
		rs.mu.Unlock()
		<-r.done
		return r.l, r.err
	}
	r := &readResult{done: make(chan struct{})}
	rs.m[k] = r
	rs.mu.Unlock()
	r.l, r.err = read()
	close(r.done)
	return r.l, r.err
}

// put records t's listing read elsewhere (a batch).
func (rs *reads) put(t graph.Target, l listing, err error) {
	r := &readResult{done: make(chan struct{}), l: l, err: err}
	close(r.done)
	rs.mu.Lock()
	rs.m[targetKey(t)] = r
	rs.mu.Unlock()
}
