package server

import (
	"strconv"
	"testing"
	"time"

	"langcard/bff/graph"
	"langcard/web/langprof"
)

func TestShared(t *testing.T) {
	for a, want := range map[langprof.Audience]bool{
		"organization": true, "everyone": true, "organization,everyone": true, "me, everyone": true,
		"me": false, "family": false, "contacts": false, "groupMembers": false, "federatedOrganizations": false,
		"unknownFutureValue": false, "partners": false, "": false, "Organization": false,
	} {
		if got := shared(a); got != want {
			t.Errorf("shared(%q) = %v, want %v", a, got, want)
		}
	}
}

// The cache keeps viewers apart, forgets one viewer's entries alone,
// expires entries, and stays within its bound.
func TestColleagueCacheBounds(t *testing.T) {
	now := time.Unix(1000, 0)
	cc := newColleagueCache()
	cc.now = func() time.Time { return now }
	megan, _ := graph.User("megan@contoso.com")
	cc.put("viewer-a", megan, graph.Listing{Value: []langprof.LanguageProficiency{{ID: "a"}}})
	if _, ok := cc.get("viewer-b", megan); ok {
		t.Error("one viewer's entry served to another")
	}
	cc.put("viewer-b", megan, graph.Listing{})
	cc.forget("viewer-a")
	if _, ok := cc.get("viewer-a", megan); ok {
		t.Error("forget kept the viewer's entry")
	}
	if _, ok := cc.get("viewer-b", megan); !ok {
		t.Error("forget dropped another viewer's entry")
	}
	now = now.Add(colleagueTTL + time.Second)
	if _, ok := cc.get("viewer-b", megan); ok {
		t.Error("an expired entry was served")
	}
	for i := range maxCached + 50 {
		u, _ := graph.User("p" + strconv.Itoa(i) + "@contoso.com")
		cc.put("viewer-c", u, graph.Listing{})
	}
	if cc.n > maxCached {
		t.Errorf("%d entries, over the bound of %d", cc.n, maxCached)
	}
}
