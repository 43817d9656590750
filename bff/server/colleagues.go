package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"langcard/bff/auth"
	"langcard/bff/graph"
	"langcard/bff/recent"
	"langcard/web/langprof"
)

// Colleagues see a person's languages read-only, and only the entries
// whose audience lets them: enforced here, for every route, whatever
// Graph returns.

// self reports whether user names the signed-in person.
func self(u auth.User, user string) bool {
	return strings.EqualFold(user, u.ID) || strings.EqualFold(user, u.UserPrincipalName)
}

// shownToColleague is the rule of what a colleague in the organization
// may see of someone else's profile: an entry shared with the
// organization or more broadly, by what allowedAudiences means
// (docs/graph.md, "Audiences"); never anything langcard cannot read.
func shownToColleague(lp langprof.LanguageProficiency) bool {
	return lp.AllowedAudiences.SharedWithOrganization()
}

// onlyShared is what a colleague is shown of l: the entries shared with
// them, and how many others there are.
func onlyShared(l graph.Listing) listing {
	out := listing{Listing: graph.Listing{Value: []langprof.LanguageProficiency{}, Owner: l.Owner}}
	for _, lp := range l.Value {
		if shownToColleague(lp) {
			out.Value = append(out.Value, lp)
		} else {
			out.NotShared++
		}
	}
	// An unreadable entry's audience is unknown: it is not even named.
	out.NotShared += len(l.Unreadable)
	return out
}

// errReadOnly refuses a colleague's write.
var errReadOnly = &Error{Status: http.StatusForbidden, Code: "forbidden", Target: "user",
	Key: "err.readOnly"}

// colleagueTTL is how long a colleague's languages are kept for a viewer.
const colleagueTTL = 60 * time.Second

// maxCached bounds the cache.
const maxCached = 10000

// colleagueCache keeps colleagues' languages briefly, per viewer (never
// shared between viewers, never a person's own), and lets concurrent
// identical reads share one Graph call. A viewer's writes drop their
// entries; an owner's writes make every copy of their profile stale at
// its next read, on every replica: each copy keeps the profile's count of
// writes (recent.Changes) from before it was read, and is used only while
// the count is the same.
type colleagueCache struct {
	mu sync.Mutex
	// byViewer holds, per viewer, their cached colleagues by target.
	byViewer map[string]map[string]cached
	n        int // entries in all
	flight   singleflight.Group
	now      func() time.Time
}

type cached struct {
	at      time.Time
	listing graph.Listing
	// versions are the profile's counts of writes (as it was asked for,
	// and recent.Everyone) from before it was read.
	versions [2]int64
}

func newColleagueCache() *colleagueCache {
	return &colleagueCache{byViewer: map[string]map[string]cached{}, now: time.Now}
}

// targetKey names a profile as it was asked for, in the cache, among
// the changes and in a request's reads.
func targetKey(t graph.Target) string { return recent.Key(t.String()) }

// cacheKey names one viewer's read of one colleague, for shared flights.
func cacheKey(viewer string, t graph.Target) string { return viewer + "\x00" + targetKey(t) }

// get is the viewer's copy of t's languages, when it is younger than
// colleagueTTL and t has had no write since it was read (versions: t's
// counts now).
func (cc *colleagueCache) get(viewer string, t graph.Target, versions [2]int64) (graph.Listing, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.byViewer[viewer][targetKey(t)]
	if !ok || cc.now().Sub(e.at) > colleagueTTL || e.versions != versions {
		return graph.Listing{}, false
	}
	return e.listing, true
}

func (cc *colleagueCache) put(viewer string, t graph.Target, l graph.Listing, versions [2]int64) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.n >= maxCached {
		// Full: drop what has expired, and if that is not enough, everything.
		for v, m := range cc.byViewer {
			for k, e := range m {
				if cc.now().Sub(e.at) > colleagueTTL {
					delete(m, k)
					cc.n--
				}
			}
			if len(m) == 0 {
				delete(cc.byViewer, v)
			}
		}
		if cc.n >= maxCached {
			cc.byViewer, cc.n = map[string]map[string]cached{}, 0
		}
	}
	m := cc.byViewer[viewer]
	if m == nil {
		m = map[string]cached{}
		cc.byViewer[viewer] = m
	}
	if _, ok := m[targetKey(t)]; !ok {
		cc.n++
	}
	m[targetKey(t)] = cached{at: cc.now(), listing: l, versions: versions}
}

// forget drops everything cached for viewer.
func (cc *colleagueCache) forget(viewer string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.n -= len(cc.byViewer[viewer])
	delete(cc.byViewer, viewer)
}

// versions are the counts of writes of each target (by targetKey, and
// recent.Everyone: writes whose owner is known by another name), read in
// one round trip; ok is false when they cannot be read (nothing is then
// taken from the cache or put in it).
func (s *Server) versions(c *call, targets ...graph.Target) ([][2]int64, bool) {
	keys := make([]string, 0, len(targets)+1)
	keys = append(keys, recent.Everyone)
	for _, t := range targets {
		keys = append(keys, targetKey(t))
	}
	vs, err := s.Changes.Versions(c.ctx, keys...)
	if err != nil {
		s.Metrics.StoreError()
		s.Logger.Warn("profile changes not read; colleagues read afresh", "request_id", graph.RequestID(c.ctx), "error", err)
		return nil, false
	}
	out := make([][2]int64, len(targets))
	for i := range targets {
		out[i] = [2]int64{vs[i+1], vs[0]}
	}
	return out, true
}

// changed counts a write to c's profile, whatever its outcome (one that
// failed may have been stored): every cached copy of it is stale now.
func (s *Server) changed(c *call) {
	keys := []string{targetKey(c.target)}
	if c.target.IsMe() {
		// Colleagues name the owner by object id or userPrincipalName.
		keys = []string{recent.Key(c.viewer), recent.Key(c.viewerUPN)}
	} else {
		// Known here by one name only: every cached profile is stale.
		keys = append(keys, recent.Everyone)
	}
	if err := s.Changes.Bump(context.WithoutCancel(c.ctx), keys...); err != nil {
		s.Metrics.StoreError()
		s.Logger.Error("a write was not counted: colleagues may see the old entry until their copy expires", "request_id", graph.RequestID(c.ctx), "max_age", colleagueTTL, "error", err)
	}
}

// colleagueList is a colleague's languages for the viewer of c: from the
// cache, or one Graph call shared by concurrent identical reads.
func (s *Server) colleagueList(c *call) (graph.Listing, error) {
	vs, ok := s.versions(c, c.target)
	if ok {
		if l, hit := s.colleagues.get(c.viewer, c.target, vs[0]); hit {
			return l, nil
		}
	}
	v, err, _ := s.colleagues.flight.Do(cacheKey(c.viewer, c.target), func() (any, error) {
		l, err := s.Graph.List(c.ctx, c.token, c.target)
		if err == nil && ok {
			s.colleagues.put(c.viewer, c.target, l, vs[0])
		}
		return l, err
	})
	if err != nil {
		return graph.Listing{}, s.othersRead(c, err)
	}
	return v.(graph.Listing), nil
}

// colleagueLists reads several colleagues for one viewer: cached ones
// from the cache, the others in Graph JSON batches.
func (s *Server) colleagueLists(c *call, targets []graph.Target) []graph.Result {
	results := make([]graph.Result, len(targets))
	vs, ok := s.versions(c, targets...)
	var missing []graph.Target
	var at []int
	for i, t := range targets {
		if ok {
			if l, hit := s.colleagues.get(c.viewer, t, vs[i]); hit {
				results[i].Listing = l
				continue
			}
		}
		missing, at = append(missing, t), append(at, i)
	}
	if len(missing) == 0 {
		return results
	}
	for k, r := range s.Graph.ListMany(c.ctx, c.token, missing) {
		if r.Err != nil {
			r.Err = s.othersRead(c, r.Err)
		} else if ok {
			s.colleagues.put(c.viewer, missing[k], r.Listing, vs[at[k]])
		}
		results[at[k]] = r
	}
	return results
}

// errNotShown answers a colleague's read of one entry that is not shared
// with them or does not exist: the same either way.
var errNotShown = &Error{Status: http.StatusNotFound, Code: "notFound", Key: "err.notShown"}

// errColleaguesNotAllowed is the answer when langcard may not read other
// people's profiles: its sign-in lacks the permission, or Graph refused
// it (docs/graph.md, "Permissions").
var errColleaguesNotAllowed = &Error{Status: http.StatusForbidden, Code: "colleaguesNotAllowed", Target: "user", Key: "err.colleaguesNotAllowed"}

// othersRead turns Graph's refusal to read someone else's profile into
// what a person and an administrator can act on: a read is not a write,
// and the permission is named in the log.
func (s *Server) othersRead(c *call, err error) error {
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status != http.StatusForbidden {
		return err
	}
	s.Logger.Warn("Graph refused to read another person's profile: langcard needs the delegated permission "+auth.ScopeReadOthers+" with admin consent (User.ReadBasic.All does not read profiles)",
		"request_id", graph.RequestID(c.ctx), "graph_code", ge.Code, "graph_request_id", ge.RequestID)
	e := *errColleaguesNotAllowed
	e.Err = err
	return &e
}

// ownerName is another person's display name, or "" when Graph will not
// say (the page then shows what it was asked for).
func (s *Server) ownerName(c *call) string {
	name, err := s.Graph.Name(c.ctx, c.token, c.target)
	if err != nil {
		s.Logger.Debug("no display name", "target", c.target.String(), "error", err)
		return ""
	}
	return name
}

// prefetchColleagues reads the other people among calls (colleagues, or
// the profiles an administrator opens) in Graph JSON batches, each once,
// into the request's reads; it returns who could not be read.
func (s *Server) prefetchColleagues(calls []*call) map[string]error {
	var lead, admin *call
	var targets, others []graph.Target
	seen := map[string]bool{}
	for _, c := range calls {
		if c == nil || c.target.IsMe() || seen[targetKey(c.target)] {
			continue
		}
		seen[targetKey(c.target)] = true
		if c.colleague {
			lead, targets = c, append(targets, c.target)
		} else {
			admin, others = c, append(others, c.target)
		}
	}
	failed := map[string]error{}
	if lead != nil {
		for i, r := range s.colleagueLists(lead, targets) {
			if r.Err != nil {
				failed[targets[i].String()] = r.Err
			}
			lead.read.put(targets[i], onlyShared(r.Listing), r.Err)
		}
	}
	if admin != nil {
		for i, r := range s.Graph.ListMany(admin.ctx, admin.token, others) {
			if r.Err != nil {
				r.Err = s.othersRead(admin, r.Err)
				failed[others[i].String()] = r.Err
			}
			admin.read.put(others[i], listing{Listing: r.Listing}, r.Err)
		}
	}
	return failed
}
