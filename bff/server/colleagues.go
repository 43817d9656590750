package server

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"langcard/bff/auth"
	"langcard/bff/graph"
	"langcard/web/langprof"
)

// Colleagues see a person's languages read-only, and only the entries
// whose audience lets them: enforced here, for every route, whatever
// Graph returns.

// self reports whether user names the signed-in person.
func self(u auth.User, user string) bool {
	return strings.EqualFold(user, u.ID) || strings.EqualFold(user, u.UserPrincipalName)
}

// shared reports whether an entry with audience a may be shown to a
// colleague: only when it names the organization or everyone. Audiences
// that need a relationship langcard cannot establish (family, contacts,
// group members, federated organizations), "me", and values langcard does
// not know are not shown. A flags value ("organization,everyone") is
// shown when one of its members is.
func shared(a langprof.Audience) bool {
	for _, m := range strings.Split(string(a), ",") {
		switch langprof.Audience(strings.TrimSpace(m)) {
		case langprof.Organization, langprof.Everyone:
			return true
		}
	}
	return false
}

// onlyShared keeps the entries shared with colleagues, and counts the rest.
func onlyShared(l graph.Listing) (graph.Listing, int) {
	out := graph.Listing{Value: []langprof.LanguageProficiency{}, Owner: l.Owner}
	hidden := 0
	for _, lp := range l.Value {
		if shared(lp.AllowedAudiences) {
			out.Value = append(out.Value, lp)
		} else {
			hidden++
		}
	}
	// An unreadable entry's audience is unknown: it is not even named.
	hidden += len(l.Unreadable)
	return out, hidden
}

// errReadOnly refuses a colleague's write.
var errReadOnly = &Error{Status: http.StatusForbidden, Code: "forbidden", Target: "user",
	Key: "err.readOnly", Message: "You can see these languages, but only the person they belong to (or an administrator) can change them."}

// colleagueTTL is how long a colleague's languages are kept for a viewer.
const colleagueTTL = 60 * time.Second

// maxCached bounds the cache.
const maxCached = 10000

// colleagueCache keeps colleagues' languages briefly, per viewer (never
// shared between viewers, never a person's own), and lets concurrent
// identical reads share one Graph call. A viewer's writes drop their
// entries.
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
}

func newColleagueCache() *colleagueCache {
	return &colleagueCache{byViewer: map[string]map[string]cached{}, now: time.Now}
}

func targetKey(t graph.Target) string { return strings.ToLower(t.String()) }

// cacheKey names one viewer's read of one colleague, for shared flights.
func cacheKey(viewer string, t graph.Target) string { return viewer + "\x00" + targetKey(t) }

func (cc *colleagueCache) get(viewer string, t graph.Target) (graph.Listing, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.byViewer[viewer][targetKey(t)]
	if !ok || cc.now().Sub(e.at) > colleagueTTL {
		return graph.Listing{}, false
	}
	return e.listing, true
}

func (cc *colleagueCache) put(viewer string, t graph.Target, l graph.Listing) {
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
	m[targetKey(t)] = cached{at: cc.now(), listing: l}
}

// forget drops everything cached for viewer.
func (cc *colleagueCache) forget(viewer string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.n -= len(cc.byViewer[viewer])
	delete(cc.byViewer, viewer)
}

// colleagueList is a colleague's languages for the viewer of c: from the
// cache, or one Graph call shared by concurrent identical reads.
func (s *Server) colleagueList(c *call) (graph.Listing, error) {
	if l, ok := s.colleagues.get(c.viewer, c.target); ok {
		return l, nil
	}
	v, err, _ := s.colleagues.flight.Do(cacheKey(c.viewer, c.target), func() (any, error) {
		l, err := s.Graph.List(c.ctx, c.token, c.target)
		if err == nil {
			s.colleagues.put(c.viewer, c.target, l)
		}
		return l, err
	})
	if err != nil {
		return graph.Listing{}, err
	}
	return v.(graph.Listing), nil
}

// colleagueLists reads several colleagues for one viewer: cached ones
// from the cache, the others in Graph JSON batches.
func (s *Server) colleagueLists(c *call, targets []graph.Target) []graph.Result {
	results := make([]graph.Result, len(targets))
	var missing []graph.Target
	var at []int
	for i, t := range targets {
		if l, ok := s.colleagues.get(c.viewer, t); ok {
			results[i].Listing = l
			continue
		}
		missing, at = append(missing, t), append(at, i)
	}
	if len(missing) == 0 {
		return results
	}
	for k, r := range s.Graph.ListMany(c.ctx, c.token, missing) {
		results[at[k]] = r
		if r.Err == nil {
			s.colleagues.put(c.viewer, missing[k], r.Listing)
		}
	}
	return results
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
