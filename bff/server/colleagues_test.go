package server

import (
	"strconv"
	"testing"
	"time"

	"langcard/bff/graph"
	"langcard/web/langprof"
)

// The cache keeps viewers apart, forgets one viewer's entries alone,
// expires entries, drops an entry whose profile was written since it was
// read, and stays within its bound.
func TestColleagueCacheBounds(t *testing.T) {
	now := time.Unix(1000, 0)
	cc := newColleagueCache()
	cc.now = func() time.Time { return now }
	megan, _ := graph.User("megan@contoso.com")
	v := [2]int64{3, 1}
	cc.put("viewer-a", megan, graph.Listing{Value: []langprof.LanguageProficiency{{ID: "a"}}}, v)
	if _, ok := cc.get("viewer-b", megan, v); ok {
		t.Error("one viewer's entry served to another")
	}
	cc.put("viewer-b", megan, graph.Listing{}, v)
	cc.forget("viewer-a")
	if _, ok := cc.get("viewer-a", megan, v); ok {
		t.Error("forget kept the viewer's entry")
	}
	if _, ok := cc.get("viewer-b", megan, v); !ok {
		t.Error("forget dropped another viewer's entry")
	}
	for _, changed := range [][2]int64{{4, 1}, {3, 2}, {0, 0}} {
		if _, ok := cc.get("viewer-b", megan, changed); ok {
			t.Errorf("an entry read at versions %v was served at %v", v, changed)
		}
	}
	now = now.Add(colleagueTTL + time.Second)
	if _, ok := cc.get("viewer-b", megan, v); ok {
		t.Error("an expired entry was served")
	}
	for i := range maxCached + 50 {
		u, _ := graph.User("p" + strconv.Itoa(i) + "@contoso.com")
		cc.put("viewer-c", u, graph.Listing{}, v)
	}
	if cc.n > maxCached {
		t.Errorf("%d entries, over the bound of %d", cc.n, maxCached)
	}
}
