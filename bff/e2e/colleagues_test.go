package e2e_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

// audienceCases are one entry per audience value Megan could hold, and
// whether a colleague is shown it.
var audienceCases = []struct {
	audience langprof.Audience
	shown    bool
}{
	// Named members: the organization and anything broader are shown.
	{"me", false}, {"family", false}, {"contacts", false}, {"groupMembers", false},
	{"organization", true}, {"federatedOrganizations", true}, {"everyone", true},
	{"unknownFutureValue", false},
	// Numeric strings, as real answers have carried them.
	{"0", false}, {"1", false}, {"2", false}, {"4", false}, {"8", true}, {"16", true}, {"32", true}, {"64", false},
	// Combinations (the metadata's flags).
	{"organization,everyone", true}, {"40", true}, {"family,organization", true}, {"me,family", false}, {"3", false}, {"contacts,unknownFutureValue", false},
	// What langcard cannot read stays hidden.
	{"partners", false}, {"Organization", false}, {"128", false}, {"organization,partners", false}, {"", false},
}

// seedAudiences gives Megan one entry per audience value.
func seedAudiences(h *harness) {
	for i, c := range audienceCases {
		h.graph.Seed(demo.Megan.ID, langprof.LanguageProficiency{
			ID: fmt.Sprintf("a0d1e2c3-0000-4000-8000-%012d", i), Tag: "fr", DisplayName: "Audience " + string(c.audience), AllowedAudiences: c.audience,
		})
	}
}

// Each audience value, seen by the owner, a colleague and an
// administrator, through the API, the page and the embedded card.
func TestColleaguesSeeOnlyWhatIsShared(t *testing.T) {
	h := newHarness(t)
	seedAudiences(h)
	owner, colleague, admin := h.signIn(demo.Megan.UPN), h.signIn(demo.Innocenty.UPN), h.signIn(demo.Adele.UPN)
	megan := "/users/" + demo.Megan.UPN
	all := len(h.graph.Languages(demo.Megan.ID))
	wantShown := 3 // Megan's own three (French, German as "8", English synced from Entra ID), shared with the organization
	for _, c := range audienceCases {
		if c.shown {
			wantShown++
		}
	}
	type list struct {
		Value     []langprof.LanguageProficiency
		NotShared int
	}
	for _, x := range []struct {
		who        string
		b          *browser
		path       string
		want, hide int
	}{
		{"owner", owner, "/api/me/languages", all, 0},
		{"owner by name", owner, "/api" + megan + "/languages", all, 0},
		{"colleague", colleague, "/api" + megan + "/languages", wantShown, all - wantShown},
		{"administrator", admin, "/api" + megan + "/languages", all, 0},
	} {
		l := decode[list](t, x.b.api("GET", x.path, ""))
		if len(l.Value) != x.want || l.NotShared != x.hide {
			t.Errorf("%s: %d entries and %d not shared, want %d and %d", x.who, len(l.Value), l.NotShared, x.want, x.hide)
		}
		if x.who != "colleague" {
			continue
		}
		for _, lp := range l.Value {
			for _, c := range audienceCases {
				if lp.DisplayName == "Audience "+string(c.audience) && !c.shown {
					t.Errorf("a colleague was shown an entry for %q", lp.AllowedAudiences)
				}
			}
		}
	}
	for i, c := range audienceCases {
		id := fmt.Sprintf("a0d1e2c3-0000-4000-8000-%012d", i)
		want := map[bool]int{true: 200, false: 404}[c.shown]
		if r := colleague.api("GET", "/api"+megan+"/languages/"+id, ""); r.StatusCode != want {
			t.Errorf("colleague GET of a %q entry: %d, want %d", c.audience, r.StatusCode, want)
		}
		page := colleague.get(megan).body
		if got := strings.Contains(page, "Audience "+string(c.audience)+"<"); got != c.shown {
			t.Errorf("the page shows the %q entry: %v, want %v", c.audience, got, c.shown)
		}
		frag := colleague.do("GET", "/embed/cards?el="+url.QueryEscape("compact:"+demo.Megan.UPN), nil, map[string]string{"Origin": embedOrigin}).body
		if got := strings.Contains(frag, "Audience "+string(c.audience)+"<"); got != c.shown {
			t.Errorf("the embedded card shows the %q entry: %v, want %v", c.audience, got, c.shown)
		}
	}
	page := colleague.get(megan).body
	if n := all - wantShown; !strings.Contains(page, fmt.Sprintf("%d more languages on this profile are not shared with you.", n)) || strings.Contains(page, `class="card-form"`) {
		t.Errorf("the colleague's page does not say what is not shared, or offers forms")
	}
}

// Colleagues may not write, through any route; nothing goes upstream.
func TestColleaguesCannotWrite(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	megan := "/users/" + demo.Megan.UPN
	const entry = "a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44"
	h.graph.ResetRequests()
	for _, r := range []response{
		b.api("POST", "/api"+megan+"/languages", `{"tag":"sv","displayName":"Swedish"}`),
		b.api("PATCH", "/api"+megan+"/languages/"+entry, `{"spoken":"elementary"}`),
		b.api("DELETE", "/api"+megan+"/languages/"+entry, ""),
		b.post(megan+"/languages", url.Values{"tag": {"sv"}, "displayName": {"Swedish"}}),
		b.post(megan+"/languages/"+entry, url.Values{"orig.spoken": {"conversational"}, "spoken": {"elementary"}}),
		b.post(megan+"/languages/"+entry+"/delete", nil),
	} {
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "only the person they belong to") {
			t.Errorf("%s %s: %d %.200s", r.Request.Method, r.Request.URL.Path, r.StatusCode, r.body)
		}
	}
	if w := upstreamWrites(h); len(w) != 0 {
		t.Errorf("%d writes reached Graph", len(w))
	}
}

// A page of 20 colleagues costs one request from the browser and one
// Graph batch; 25, two batches. A person who does not exist gets a
// message, a throttled request inside a batch is retried, and the others
// show.
func TestTeamPageOneRoundTrip(t *testing.T) {
	needs(t, widget)
	people := append([]demo.Person{}, demo.People...)
	for i := range 24 {
		people = append(people, demo.Person{Person: graphfake.Person{ID: fmt.Sprintf("7e57c0de-0000-4000-8000-%012d", i), DisplayName: fmt.Sprintf("Colleague %d", i), UPN: fmt.Sprintf("colleague%d@contoso.example", i)}})
	}
	env, err := demo.StartWith(context.Background(), "http://127.0.0.1:1", people)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	for _, p := range people[4:] {
		env.Graph.Seed(p.ID, langprof.LanguageProficiency{ID: "b0" + p.ID[2:], Tag: "de", DisplayName: "German of " + p.DisplayName, AllowedAudiences: langprof.Organization})
	}
	h := startReplica(t, env)
	b := h.signIn(demo.Innocenty.UPN)

	els := func(n int, extra ...string) string {
		q := url.Values{}
		for i := range n {
			q.Add("el", "compact:"+people[4+i].UPN)
		}
		for _, e := range extra {
			q.Add("el", e)
		}
		return "/embed/cards?" + q.Encode()
	}
	h.graph.ResetRequests()
	r := b.do("GET", els(20), nil, map[string]string{"Origin": embedOrigin})
	wantStatus(t, r, http.StatusOK)
	if n := strings.Count(r.body, "<template data-el="); n != 20 || strings.Count(r.body, "German of Colleague") != 20 {
		t.Errorf("%d fragments for 20 cards", n)
	}
	// Each person is two requests in a batch (their languages and their
	// name), so 20 people are two batches, sent together.
	reqs := h.graph.Requests()
	if len(reqs) != 2 || reqs[0].EscapedPath != "/beta/$batch" || reqs[1].EscapedPath != "/beta/$batch" {
		t.Errorf("Graph got %d requests for 20 people, want two batches", len(reqs))
	}
	// Colleagues' cards alone need no widget; with the viewer's own card,
	// the answer names the widget before the cards (readable by the host
	// page), and the cards name the same.
	if wd := r.Header.Get("Langcard-Widget"); wd != "" {
		t.Errorf("an answer of colleagues' cards names the widget: %q", wd)
	}
	own := b.do("GET", els(1, "full:"), nil, map[string]string{"Origin": embedOrigin})
	wd := strings.Fields(own.Header.Get("Langcard-Widget"))
	if len(wd) != 2 || !strings.Contains(wd[0], "/static/widget.") || !strings.HasSuffix(wd[0], ".js") || !strings.HasSuffix(wd[1], ".wasm") ||
		!strings.Contains(own.body, `data-script="`+wd[0]+`"`) || !strings.Contains(own.body, `data-wasm="`+wd[1]+`"`) {
		t.Errorf("the answer with the viewer's card names the widget %q", own.Header.Get("Langcard-Widget"))
	}
	if got := own.Header.Get("Access-Control-Expose-Headers"); got != "Langcard-Widget" {
		t.Errorf("Access-Control-Expose-Headers %q: the host page cannot read the widget's name", got)
	}

	if strings.Contains(r.body, "@contoso.example’s profile") {
		i := strings.Index(r.body, "@contoso.example’s profile")
		t.Errorf("a colleague's card is titled by their address, not their name: %s", r.body[max(0, i-300):i+30])
	}

	// 24 colleagues, one who does not exist, one throttled: three batches
	// and a retry, every known person shown.
	h.graph.ResetRequests()
	b2 := h.signIn(demo.Megan.UPN) // another viewer: nothing cached for them
	h.graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "0.05"})
	r = b2.do("GET", els(24, "compact:nobody@contoso.example"), nil, map[string]string{"Origin": embedOrigin})
	wantStatus(t, r, http.StatusOK)
	if n := strings.Count(r.body, "German of Colleague"); n != 24 {
		t.Errorf("%d of 24 colleagues shown", n)
	}
	if !strings.Contains(r.body, "could be found as “nobody@contoso.example”") {
		t.Error("no message naming the person who does not exist")
	}
	batches := 0
	for _, q := range h.graph.Requests() {
		if q.EscapedPath == "/beta/$batch" {
			batches++
		}
	}
	if batches != 4 {
		t.Errorf("%d batches for 25 people with one throttled, want 4", batches)
	}
}

// Colleague reads are cached per viewer: never one viewer's view for
// another, never the viewer's own, dropped on their writes; concurrent
// identical reads share one Graph call.
func TestColleagueCache(t *testing.T) {
	h := newHarness(t)
	seedAudiences(h)
	colleague, admin := h.signIn(demo.Innocenty.UPN), h.signIn(demo.Adele.UPN)
	megan := "/api/users/" + demo.Megan.UPN + "/languages"
	calls := func() int {
		n := 0
		for _, r := range h.graph.Requests() {
			if strings.Contains(r.EscapedPath, "/profile/languages") {
				n++
			}
		}
		return n
	}
	h.graph.ResetRequests()
	h.graph.Inject(graphfake.Fault{Delay: 200 * time.Millisecond})
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() { colleague.api("GET", megan, "") })
	}
	wg.Wait()
	if n := calls(); n != 1 {
		t.Errorf("5 concurrent reads made %d Graph calls, want 1", n)
	}
	colleague.api("GET", megan, "")
	if n := calls(); n != 1 {
		t.Errorf("a repeated read made %d Graph calls in all, want it cached", n)
	}
	// Another viewer is not served the colleague's view.
	r := admin.api("GET", megan, "")
	if n := calls(); n != 2 || strings.Contains(r.body, `"notShared"`) || !strings.Contains(r.body, `"allowedAudiences":"me"`) {
		t.Errorf("the administrator got a cached colleague's view: %d calls, %.300s", n, r.body)
	}
	// A write by the viewer drops what they had cached.
	colleague.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`)
	h.graph.ResetRequests()
	colleague.api("GET", megan, "")
	if n := calls(); n != 1 {
		t.Errorf("after the viewer's write, %d Graph calls, want a fresh read", n)
	}
	// The viewer's own cards are never cached.
	h.graph.ResetRequests()
	colleague.api("GET", "/api/me/languages", "")
	colleague.api("GET", "/api/me/languages", "")
	if n := calls(); n != 2 {
		t.Errorf("own reads made %d Graph calls, want 2", n)
	}
}

// A viewer whose sign-in lacks the scope to read colleagues is told so.
func TestColleaguesNeedTheScope(t *testing.T) {
	h := newHarness(t, func(env map[string]string) { env["LANGCARD_SCOPES"] = "User.ReadWrite" })
	b := h.signIn(demo.Innocenty.UPN)
	r := b.api("GET", "/api/users/"+demo.Megan.UPN+"/languages", "")
	wantStatus(t, r, http.StatusForbidden)
	if !regexp.MustCompile(`not allowed to show colleagues’ languages yet. Your Microsoft 365 administrator can allow it`).MatchString(r.body) || strings.Contains(r.body, "change") {
		t.Errorf("got %s", r.body)
	}
	if r := b.get("/users/" + demo.Megan.UPN); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "colleagues") {
		t.Errorf("the page: %d", r.StatusCode)
	}
}

// On an intranet page the viewer's own card does not wait for the
// colleagues': it is sent, whole, while their Graph batch is still
// unanswered, and theirs follow once it is.
func TestEmbeddedOwnCardBeforeColleagues(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	release := h.graph.HoldBatches()
	defer release()
	q := url.Values{"el": {"full:", "compact:" + demo.Megan.UPN}}
	// Held, the batch never answers: a BFF that waited for it would send
	// nothing, and the read below ends at this deadline instead.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", h.url+"/embed/cards?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", embedOrigin)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// Read until the second part opens: the first is then whole.
	var got []byte
	buf := make([]byte, 4096)
	for !strings.Contains(string(got), `<template data-el="1">`) {
		n, err := resp.Body.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("the answer ended (%v) before the viewer's card was whole: %q", err, got)
		}
	}
	if !strings.Contains(string(got), "Norwegian Bokmål") {
		t.Errorf("the first part is not the viewer's cards: %q", got)
	}
	// The batch may reach the emulator just after the first part reaches
	// us: wait for it (it is held, so it cannot have been answered).
	wait, cancelWait := context.WithTimeout(ctx, 5*time.Second)
	defer cancelWait()
	if _, err := h.graph.Await(wait, 1, func(r graphfake.Request) bool { return r.EscapedPath == "/beta/$batch" }); err != nil {
		t.Errorf("the colleagues' batch was not asked for while the viewer's card was sent: %v", err)
	}
	release()
	rest, err := io.ReadAll(resp.Body)
	if err != nil || !strings.Contains(string(rest), "Megan Bowen") || strings.Contains(string(rest), "could not") {
		t.Errorf("the colleague's card after the batch (%v): %q", err, rest)
	}
}

// One request, bounded work (docs/security.md, rule 27): identical
// elements are one read, each distinct person is read once (an
// administrator's cards of colleagues too, batched), at most 50 people a
// request, and the cards go only to the page that asked.
func TestEmbeddedCardsBoundedWork(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	admin := h.signIn(demo.Adele.UPN)
	many := func(n int, el string) string {
		q := url.Values{}
		for range n {
			q.Add("el", el)
		}
		return "/embed/cards?" + q.Encode()
	}
	cors := map[string]string{"Origin": embedOrigin, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}
	for _, x := range []struct {
		who  *browser
		el   string
		want string
	}{
		{b, "full:", "Norwegian Bokmål"},
		{b, "compact:" + demo.Megan.UPN, "French"},
		{admin, "compact:" + demo.Megan.UPN, "French"},
	} {
		h.graph.ResetRequests()
		r := x.who.do("GET", many(100, x.el), nil, cors)
		if r.StatusCode != http.StatusOK || strings.Count(r.body, x.want) < 100 {
			t.Errorf("%s: %d, %d cards showing %s", x.el, r.StatusCode, strings.Count(r.body, x.want), x.want)
		}
		if n := len(h.graph.Requests()); n != 1 {
			t.Errorf("100 identical %q elements cost %d Graph requests, want 1", x.el, n)
		}
	}
	// 51 people: the first 50 are read (in batches), the last is told.
	q := url.Values{}
	for i := range 51 {
		q.Add("el", fmt.Sprintf("compact:person%d@contoso.example", i))
	}
	h.graph.ResetRequests()
	r := b.do("GET", "/embed/cards?"+q.Encode(), nil, cors)
	if strings.Count(r.body, "more people’s cards than langcard reads at once") != 1 {
		t.Error("the 51st person's card does not say why it is empty")
	}
	if n := len(h.graph.Requests()); n != 5 {
		t.Errorf("%d Graph requests for 50 people, want 5 batches", n)
	}
	// Only to the page that asked.
	for name, hdr := range map[string]map[string]string{
		"a cross-site navigation":  {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
		"a same-site no-cors load": {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"},
		"a foreign page's fetch":   {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
	} {
		h.graph.ResetRequests()
		if r := b.do("GET", many(3, "full:"), nil, hdr); r.StatusCode != http.StatusForbidden || len(h.graph.Requests()) != 0 {
			t.Errorf("%s: %d, %d Graph requests; want 403 and none", name, r.StatusCode, len(h.graph.Requests()))
		}
	}
	if r := b.do("GET", many(1, "full:"), nil, map[string]string{"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}); r.StatusCode != http.StatusOK {
		t.Errorf("langcard's own page: %d", r.StatusCode)
	}
}
