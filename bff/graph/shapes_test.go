package graph_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"langcard/bff/demo"
	"langcard/bff/graph"
	"langcard/bff/graph/graphfake"
	"langcard/bff/ident"
	"langcard/web/langprof"
)

// realService answers every request with body, as a stand-in for shapes
// the emulator does not send (over a real socket all the same).
func realService(t *testing.T, status int, body func(r *http.Request) string) *graph.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body(r)))
	}))
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL + "/beta")
	return &graph.Client{BaseURL: base, BackoffBase: time.Millisecond}
}

// Every operation reads answers shaped like the real service's, whatever
// the properties langcard does not edit look like.
func TestReadsRealShapes(t *testing.T) {
	entry := `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#users('x')/profile/languages/$entity",` +
		`"id":"b1c0e3a2-0000-4000-8000-000000000001","allowedAudiences":"organization,everyone","inference":null,` +
		`"createdDateTime":"2025-01-02T03:04:05Z","createdBy":{"user":null,"application":{"displayName":"MsGraph","id":null},"device":null},` +
		`"lastModifiedBy":{"user":{"displayName":"A","id":"1"},"application":null,"device":null},"source":{"type":["User","MsGraph"]},` +
		`"sources":[{"sourceId":"s","isDefaultSource":true,"properties":[]}],"isSearchable":false,"thumbnailUrl":null,"proficiency":null,` +
		`"displayName":null,"tag":"de-DE","spoken":null,"written":"expert","reading":"8"}`
	ctx := context.Background()
	for _, op := range []string{"get", "create", "update"} {
		t.Run(op, func(t *testing.T) {
			c := realService(t, 200, func(*http.Request) string { return entry })
			var lp langprof.LanguageProficiency
			var err error
			switch op {
			case "get":
				lp, err = c.Get(ctx, "t", graph.Me, "b1c0e3a2-0000-4000-8000-000000000001")
			case "create":
				lp, err = c.Create(ctx, "t", graph.Me, langprof.Patch{Tag: ptr("de-DE"), DisplayName: ptr("German")})
			case "update":
				lp, err = c.Update(ctx, "t", graph.Me, "b1c0e3a2-0000-4000-8000-000000000001", langprof.Patch{Written: ptr(langprof.Elementary)})
			}
			if err != nil {
				t.Fatal(err)
			}
			if lp.Written != "expert" || lp.Reading != "8" || lp.AllowedAudiences != "organization,everyone" || lp.Spoken != "" || len(lp.Source.Type) != 2 || string(lp.Extra["isSearchable"]) != "false" {
				t.Errorf("got %+v, want every value kept as Graph sent it", lp)
			}
		})
	}
	t.Run("list", func(t *testing.T) {
		c := realService(t, 200, func(r *http.Request) string {
			if r.URL.Query().Get("$skiptoken") == "" {
				return `{"@odata.context":"x","@odata.nextLink":"http://` + r.Host + r.URL.Path + `?$skiptoken=2","value":[` + entry + `,"not an entry",{"displayName":"No id"}]}`
			}
			return `{"value":[` + strings.Replace(entry, "000000000001", "000000000002", 1) + `,{"id":"has/slash","tag":"fr"}]}`
		})
		l, err := c.List(ctx, "t", graph.Me)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Value) != 2 || l.Value[1].ID != "b1c0e3a2-0000-4000-8000-000000000002" {
			t.Errorf("got %+v, want the two readable entries over both pages", l.Value)
		}
		if len(l.Unreadable) != 3 || l.Unreadable[1].Name != "No id" || l.Unreadable[2].Name != "fr" || l.Unreadable[2].ID != "" {
			t.Errorf("unreadable %+v, want the three bad entries, named where they can be", l.Unreadable)
		}
	})
}

// Paging runs in every list against the emulator when its pages are small.
func TestListFollowsPages(t *testing.T) {
	f := setup(t)
	f.graph.SetPageSize(1)
	for _, tag := range []string{"sv", "da", "fi"} {
		if _, err := f.client.Create(context.Background(), f.me, graph.Me, langprof.Patch{Tag: ptr(tag), DisplayName: ptr(tag)}); err != nil {
			t.Fatal(err)
		}
	}
	f.graph.ResetRequests()
	l, err := f.client.List(context.Background(), f.me, graph.Me)
	if err != nil || len(l.Value) != 5 {
		t.Fatalf("got %d entries, %v; want 5", len(l.Value), err)
	}
	if n := len(f.graph.Requests()); n != 5 {
		t.Errorf("%d requests, want one per page", n)
	}
}

// A create that Graph stored but answered 503 or 504 (or whose answer was
// unreadable) is found, not sent again: no language twice.
func TestCreateNeverDuplicates(t *testing.T) {
	for _, fault := range []graphfake.Fault{
		{Status: 504, AfterStoring: true},
		{Status: 503, AfterStoring: true, RetryAfter: "0"},
		{Body: []byte(`<html>upstream hiccup</html>`)},
	} {
		t.Run(string(fault.Body)+http.StatusText(fault.Status), func(t *testing.T) {
			f := setup(t)
			f.graph.Inject(fault)
			lp, err := f.client.Create(context.Background(), f.me, graph.Me, langprof.Patch{Tag: ptr("sv"), DisplayName: ptr("Swedish")})
			if err != nil || lp.Tag != "sv" || !ident.ValidID(lp.ID) {
				t.Fatalf("got %+v, %v; want the stored entry", lp, err)
			}
			if n := count(f.graph.Languages(demo.Innocenty.ID), "sv"); n != 1 {
				t.Errorf("%d Swedish entries, want 1", n)
			}
		})
	}
	t.Run("lagging list: unconfirmed, not repeated", func(t *testing.T) {
		f := setup(t)
		f.graph.SetLag(time.Minute)
		f.graph.Inject(graphfake.Fault{Status: 504, AfterStoring: true})
		_, err := f.client.Create(context.Background(), f.me, graph.Me, langprof.Patch{Tag: ptr("sv"), DisplayName: ptr("Swedish")})
		var ue *graph.UnconfirmedError
		if !errors.As(err, &ue) || ue.Op != "create" {
			t.Fatalf("got %v, want an *UnconfirmedError", err)
		}
		if n := count(f.graph.Languages(demo.Innocenty.ID), "sv"); n != 1 {
			t.Errorf("%d Swedish entries, want 1", n)
		}
	})
	t.Run("429 is retried: Graph did nothing", func(t *testing.T) {
		f := setup(t)
		f.graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "0.01"})
		if _, err := f.client.Create(context.Background(), f.me, graph.Me, langprof.Patch{Tag: ptr("sv"), DisplayName: ptr("Swedish")}); err != nil {
			t.Fatal(err)
		}
		if n := count(f.graph.Languages(demo.Innocenty.ID), "sv"); n != 1 {
			t.Errorf("%d Swedish entries, want 1", n)
		}
	})
}

func count(langs []langprof.LanguageProficiency, tag string) int {
	n := 0
	for _, lp := range langs {
		if lp.Tag == tag {
			n++
		}
	}
	return n
}

// A PATCH Graph stored but answered with a body that cannot be used is
// read back, not reported as failed.
func TestUpdateReadsBackAnUnreadableAnswer(t *testing.T) {
	f := setup(t)
	f.graph.Inject(graphfake.Fault{Body: []byte(`{"truncated":`)})
	lp, err := f.client.Update(context.Background(), f.me, graph.Me, demo.ExampleID, langprof.Patch{Written: ptr(langprof.Elementary)})
	if err != nil || lp.Written != langprof.Elementary || lp.ID != demo.ExampleID {
		t.Fatalf("got %+v, %v; want the entry as stored", lp, err)
	}
}

// A 404 to a write means "gone" only when a read agrees.
func TestWriteNotFoundIsConfirmed(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.graph.Inject(graphfake.Fault{Status: 404, Code: "UnknownError"})
	_, err := f.client.Update(ctx, f.me, graph.Me, demo.ExampleID, langprof.Patch{Written: ptr(langprof.Elementary)})
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status != 404 || ge.Missing {
		t.Fatalf("terse 404 on an entry that exists: got %#v, want a 404 not marked missing", err)
	}
	if err := f.client.Delete(ctx, f.me, graph.Me, demo.ExampleID); err != nil {
		t.Fatal(err)
	}
	_, err = f.client.Update(ctx, f.me, graph.Me, demo.ExampleID, langprof.Patch{Written: ptr(langprof.Elementary)})
	if !errors.As(err, &ge) || ge.Status != 404 || !ge.Missing {
		t.Fatalf("404 on a deleted entry: got %#v, want it marked missing", err)
	}
}

// Holding User.ReadWrite.All without an administrator role: Graph's 403
// comes back with its code, for the BFF to explain.
func TestScopeWithoutRole(t *testing.T) {
	f := setup(t)
	target, _ := graph.User(demo.Megan.UPN)
	if _, err := f.client.List(context.Background(), f.lee, target); err != nil {
		t.Fatalf("reading: %v", err)
	}
	_, err := f.client.Create(context.Background(), f.lee, target, langprof.Patch{Tag: ptr("sv"), DisplayName: ptr("Swedish")})
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status != 403 || ge.Code != "ErrorAccessDeniedForRole" {
		t.Fatalf("got %v, want 403 ErrorAccessDeniedForRole", err)
	}
}

// ListMany reads many people with JSON batches of at most 20 requests
// (their languages and their names: 10 people a batch), one result each:
// a person who does not exist fails alone, and a request throttled inside
// a batch is sent again.
func TestListManyBatches(t *testing.T) {
	f := setup(t)
	var targets []graph.Target
	for i := range 25 {
		who := []string{demo.Megan.UPN, demo.Innocenty.ID, demo.Lee.UPN}[i%3]
		if i == 7 {
			who = "nobody@contoso.example"
		}
		tg, err := graph.User(who)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	f.graph.ResetRequests()
	f.graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "0.05"})
	results := f.client.ListMany(context.Background(), f.admin, targets)
	for i, r := range results {
		switch {
		case i == 7:
			var ge *graph.Error
			if !errors.As(r.Err, &ge) || ge.Status != 404 {
				t.Errorf("result %d: got %v, want 404", i, r.Err)
			}
		case r.Err != nil:
			t.Errorf("result %d: %v", i, r.Err)
		case i%3 == 0 && (len(r.Listing.Value) != 3 || r.Listing.Owner != demo.Megan.DisplayName):
			t.Errorf("result %d: %d of Megan's languages, want 3, owner %q", i, len(r.Listing.Value), r.Listing.Owner)
		}
	}
	var batches int
	for _, r := range f.graph.Requests() {
		if r.EscapedPath != "/beta/$batch" {
			t.Errorf("a request outside a batch: %s %s", r.Method, r.EscapedPath)
		}
		batches++
	}
	if batches != 4 { // 10 + 10 + 5 people, and the throttled one again
		t.Errorf("%d batches, want 4", batches)
	}
}

// A batch whose envelope is not 200 (older throttling docs: 424 Failed
// Dependency when items were throttled) is read item by item: the items
// that succeeded stand, and the throttled one is sent again.
func TestBatchEnvelopeNot200(t *testing.T) {
	f := setup(t)
	f.graph.SetBatchEnvelope(http.StatusFailedDependency)
	f.graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "0.05"})
	var targets []graph.Target
	for _, who := range []string{demo.Megan.UPN, demo.Lee.UPN, demo.Adele.UPN} {
		tg, _ := graph.User(who)
		targets = append(targets, tg)
	}
	f.graph.ResetRequests()
	for i, r := range f.client.ListMany(context.Background(), f.admin, targets) {
		if r.Err != nil || len(r.Listing.Value) == 0 {
			t.Errorf("result %d: %v, %d entries; want the languages", i, r.Err, len(r.Listing.Value))
		}
	}
	batches := 0
	for _, r := range f.graph.Requests() {
		if r.EscapedPath == "/beta/$batch" {
			batches++
		}
	}
	if batches != 2 {
		t.Errorf("%d batches, want 2: the first, then the throttled item again", batches)
	}
}

// One ListMany has at most MaxBatchesInFlight batches in flight: held,
// no further batch is sent until one answers.
func TestBatchesInFlightBounded(t *testing.T) {
	f := setup(t)
	release := f.graph.HoldBatches()
	defer release()
	var targets []graph.Target
	for range 10 * (graph.MaxBatchesInFlight + 2) {
		tg, _ := graph.User(demo.Megan.UPN)
		targets = append(targets, tg)
	}
	done := make(chan []graph.Result, 1)
	go func() { done <- f.client.ListMany(context.Background(), f.admin, targets) }()
	isBatch := func(r graphfake.Request) bool { return r.EscapedPath == "/beta/$batch" }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := f.graph.Await(ctx, graph.MaxBatchesInFlight, isBatch); err != nil {
		t.Fatalf("the first %d batches did not come: %v", graph.MaxBatchesInFlight, err)
	}
	// While those are held, one more would come at once if nothing bounded
	// them; none may come at all.
	more, cancelMore := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancelMore()
	if got, err := f.graph.Await(more, graph.MaxBatchesInFlight+1, isBatch); err == nil {
		t.Fatalf("%d batches in flight at once, want at most %d", len(got), graph.MaxBatchesInFlight)
	}
	release()
	for i, r := range <-done {
		if r.Err != nil {
			t.Fatalf("result %d: %v", i, r.Err)
		}
	}
}

// Graph's 400 for a path segment it does not know (the base URL is v1.0,
// which has no profile) comes back as such, for the BFF to name the
// configuration.
func TestWrongBaseURL(t *testing.T) {
	f := setup(t)
	v1 := *f.client.BaseURL
	v1.Path = strings.Replace(v1.Path, "/beta", "/v1.0", 1)
	c := &graph.Client{BaseURL: &v1}
	_, err := c.List(context.Background(), f.me, graph.Me)
	var ge *graph.Error
	if !errors.As(err, &ge) || !ge.WrongSegment() || ge.Status != 400 {
		t.Fatalf("got %v, want Graph's 400 for an unknown segment", err)
	}
}
