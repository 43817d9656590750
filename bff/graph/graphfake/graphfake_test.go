package graphfake_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

func start(t *testing.T) *demo.Env {
	t.Helper()
	env, err := demo.Start(context.Background(), "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

func token(t *testing.T, env *demo.Env, upn string, scopes ...string) string {
	t.Helper()
	tok, err := env.IdP.Login(context.Background(), upn, scopes...)
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

type graphError struct {
	Error struct {
		Code       string            `json:"code"`
		Message    string            `json:"message"`
		InnerError map[string]string `json:"innerError"`
	} `json:"error"`
}

func call(t *testing.T, method, url, tok string, body io.Reader, hdr map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func TestErrors(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	meAll := token(t, env, demo.Adele.UPN, "User.ReadWrite", "User.ReadWrite.All")
	readOnly := token(t, env, demo.Megan.UPN)
	leeAll := token(t, env, demo.Lee.UPN, "User.ReadWrite", "User.ReadWrite.All")
	basic := token(t, env, demo.Innocenty.UPN, "User.ReadWrite", "User.ReadBasic.All")
	tampered := me[:len(me)-4] + map[bool]string{true: "AAAA", false: "BBBB"}[!strings.HasSuffix(me, "AAAA")]
	env.IdP.SetAccessTTL(-time.Minute)
	expired := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	jsonCT := map[string]string{"Content-Type": "application/json"}
	langs := env.GraphURL + "/me/profile/languages"
	tests := []struct {
		name, method, url, tok, body string
		hdr                          map[string]string
		wantStatus                   int
		wantCode                     string
	}{
		{"no token", "GET", langs, "", "", nil, 401, "InvalidAuthenticationToken"},
		{"tampered signature", "GET", langs, tampered, "", nil, 401, "InvalidAuthenticationToken"},
		{"expired", "GET", langs, expired, "", nil, 401, "InvalidAuthenticationToken"},
		{"no write scope", "PATCH", langs + "/" + demo.ExampleID, readOnly, `{"spoken":"elementary"}`, jsonCT, 403, "Authorization_RequestDenied"},
		{"other user without .All", "GET", env.GraphURL + "/users/" + demo.Megan.UPN + "/profile/languages", me, "", nil, 403, "Authorization_RequestDenied"},
		{"plain $ UPN", "GET", env.GraphURL + "/users/$svc@contoso.example/profile/languages", meAll, "", nil, 400, "Request_BadRequest"},
		{"unknown user", "GET", env.GraphURL + "/users/nobody@contoso.example/profile/languages", meAll, "", nil, 404, "Request_ResourceNotFound"},
		{"unknown id", "GET", langs + "/nope", me, "", nil, 404, "UnknownError"},
		{"unknown segment", "GET", env.GraphURL + "/me/profile/skills", me, "", nil, 400, "BadRequest"},
		{"the profile under v1.0", "GET", strings.Replace(env.GraphURL, "/beta", "/v1.0", 1) + "/me/profile/languages", me, "", nil, 400, "BadRequest"},
		{"another's profile with the basic profile's scope", "GET", env.GraphURL + "/users/" + demo.Megan.UPN + "/profile/languages", basic, "", nil, 403, "ErrorInsufficientPermissionsInAccessToken"},
		{"an entry the organization owns", "PATCH", env.GraphURL + "/users/" + demo.Megan.ID + "/profile/languages/" + demo.OrganizationID, meAll, `{"spoken":"elementary"}`, jsonCT, 403, "UnknownError"},
		{"not json", "PATCH", langs + "/" + demo.ExampleID, me, `spoken=elementary`, map[string]string{"Content-Type": "text/plain"}, 415, "BadRequest"},
		{"unknown property", "PATCH", langs + "/" + demo.ExampleID, me, `{"fluency":"x"}`, jsonCT, 400, "UnknownError"},
		{"bad enum", "PATCH", langs + "/" + demo.ExampleID, me, `{"spoken":"fluent"}`, jsonCT, 400, "UnknownError"},
		{"number for a string", "PATCH", langs + "/" + demo.ExampleID, me, `{"tag":7}`, jsonCT, 400, "UnknownError"},
		{"server-managed property", "PATCH", langs + "/" + demo.ExampleID, me, `{"id":"x"}`, jsonCT, 400, "UnknownError"},
		{"not an object", "POST", langs, me, `[]`, jsonCT, 400, "UnknownError"},
		{"scope without the role", "PATCH", env.GraphURL + "/users/" + demo.Megan.ID + "/profile/languages/a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44", leeAll, `{"spoken":"elementary"}`, jsonCT, 403, "ErrorAccessDeniedForRole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, data := call(t, tt.method, tt.url, tt.tok, strings.NewReader(tt.body), tt.hdr)
			var ge graphError
			if err := json.Unmarshal(data, &ge); err != nil {
				t.Fatalf("body %s is not Graph's error shape: %v", data, err)
			}
			// The profile service's own errors are terse: UnknownError
			// with an empty message (docs/graph.md); Graph's others have one.
			terse := tt.wantCode == "UnknownError"
			if status != tt.wantStatus || ge.Error.Code != tt.wantCode || (ge.Error.Message == "") != terse || ge.Error.InnerError["request-id"] == "" {
				t.Errorf("got %d %s, want %d %s (terse: %v) with a request-id", status, data, tt.wantStatus, tt.wantCode, terse)
			}
		})
	}
}

func TestGzipBodyAndDollarKeyForm(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"@odata.type":"#microsoft.graph.languageProficiency","written":"elementary"}`))
	zw.Close()
	status, data := call(t, "PATCH", env.GraphURL+"/me/profile/languages/"+demo.ExampleID, me, &buf,
		map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"})
	if status != 200 || !strings.Contains(string(data), `"written":"elementary"`) {
		t.Fatalf("got %d %s, want 200 with written changed", status, data)
	}
	// The key form finds a person by UPN too.
	admin := token(t, env, demo.Adele.UPN, "User.ReadWrite.All")
	status, data = call(t, "GET", env.GraphURL+"/users('"+demo.Megan.UPN+"')/profile/languages", admin, nil, nil)
	if status != 200 || !strings.Contains(string(data), `"tag":"fr"`) {
		t.Fatalf("got %d %s, want Megan's languages", status, data)
	}
}

func TestFaultsThenRecovers(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	env.Graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "1"})
	status, data := call(t, "GET", env.GraphURL+"/me/profile/languages", me, nil, nil)
	if status != 429 || !strings.Contains(string(data), "TooManyRequests") {
		t.Fatalf("got %d %s, want 429 TooManyRequests", status, data)
	}
	if status, _ := call(t, "GET", env.GraphURL+"/me/profile/languages", me, nil, nil); status != 200 {
		t.Fatalf("after the fault: %d, want 200", status)
	}
}

// Two people changing different properties of one entry at once both keep
// their change: PATCH is partial, so neither overwrites the other.
func TestConcurrentPartialPatches(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	url := env.GraphURL + "/me/profile/languages/" + demo.ExampleID
	var wg sync.WaitGroup
	for _, body := range []string{`{"spoken":"elementary"}`, `{"allowedAudiences":"everyone"}`, `{"reading":"conversational"}`} {
		wg.Go(func() {
			if status, data := call(t, "PATCH", url, me, strings.NewReader(body), map[string]string{"Content-Type": "application/json"}); status != 200 {
				t.Errorf("PATCH %s: %d %s", body, status, data)
			}
		})
	}
	wg.Wait()
	got := env.Graph.Languages(demo.Innocenty.ID)[0]
	if got.Spoken != langprof.Elementary || got.AllowedAudiences != langprof.Everyone || got.Reading != langprof.Conversational || got.Written != langprof.NativeOrBilingual {
		t.Errorf("got %+v, want all three changes kept and written untouched", got)
	}
}

// Answers are shaped like the real service's: @odata.context, the newer
// properties, source as a collection, null for levels never set; lists
// come in pages linked by @odata.nextLink.
func TestRealShapesAndPaging(t *testing.T) {
	env := start(t)
	env.Graph.SetPageSize(1)
	admin := token(t, env, demo.Adele.UPN, "User.ReadWrite.All")
	next := env.GraphURL + "/users/" + demo.Megan.ID + "/profile/languages"
	var got []map[string]json.RawMessage
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		status, data := call(t, "GET", next, admin, nil, nil)
		var page struct {
			Context string                       `json:"@odata.context"`
			Next    string                       `json:"@odata.nextLink"`
			Value   []map[string]json.RawMessage `json:"value"`
		}
		if status != 200 || json.Unmarshal(data, &page) != nil || len(page.Value) != 1 || !strings.Contains(page.Context, "$metadata#users(") {
			t.Fatalf("page %d: %d %s", pages, status, data)
		}
		got, next = append(got, page.Value...), page.Next
	}
	if len(got) != 3 {
		t.Fatalf("got %d entries over the pages, want Megan's 3", len(got))
	}
	synced := got[1]
	for name, want := range map[string]string{
		"source": `{"type":["User","MsGraph"]}`, "spoken": "null", "isSearchable": "true", "thumbnailUrl": "null",
		"createdBy": `{"application":{"displayName":"MsGraph","id":null},"device":null,"user":null}`,
	} {
		if string(synced[name]) != want {
			t.Errorf("%s = %s, want %s", name, synced[name], want)
		}
	}
}

// What the emulator does not check, the real service is not known to
// check either: levels may be absent on create, and null clears one.
func TestLenientLikeTheService(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	jsonCT := map[string]string{"Content-Type": "application/json"}
	status, data := call(t, "POST", env.GraphURL+"/me/profile/languages", me, strings.NewReader(`{"tag":"sv","displayName":"Swedish"}`), jsonCT)
	var lp map[string]json.RawMessage
	if status != 201 || json.Unmarshal(data, &lp) != nil || string(lp["spoken"]) != "null" || string(lp["source"]) != `{"type":["User"]}` || string(lp["isSearchable"]) != "false" {
		t.Fatalf("create without levels: %d %s", status, data)
	}
	status, data = call(t, "PATCH", env.GraphURL+"/me/profile/languages/"+demo.ExampleID, me, strings.NewReader(`{"written":null}`), jsonCT)
	if status != 200 || !strings.Contains(string(data), `"written":null`) {
		t.Fatalf("null level: %d %s", status, data)
	}
}

func TestLagShowsWritesInListsLater(t *testing.T) {
	env := start(t)
	env.Graph.SetLag(300 * time.Millisecond)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	status, data := call(t, "POST", env.GraphURL+"/me/profile/languages", me, strings.NewReader(`{"tag":"sv","displayName":"Swedish"}`), map[string]string{"Content-Type": "application/json"})
	var lp struct{ ID string }
	if status != 201 || json.Unmarshal(data, &lp) != nil {
		t.Fatalf("create: %d %s", status, data)
	}
	count := func() int {
		_, data := call(t, "GET", env.GraphURL+"/me/profile/languages", me, nil, nil)
		return strings.Count(string(data), `"tag":`)
	}
	if n := count(); n != 2 {
		t.Errorf("the list shows %d entries at once, want the 2 from before the write", n)
	}
	if status, _ := call(t, "GET", env.GraphURL+"/me/profile/languages/"+lp.ID, me, nil, nil); status != 200 {
		t.Errorf("get of the new entry: %d, want 200 at once", status)
	}
	deadline := time.Now().Add(5 * time.Second)
	for count() != 3 {
		if time.Now().After(deadline) {
			t.Fatal("the write never shows in the list")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestStoreThenFail(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	env.Graph.Inject(graphfake.Fault{Status: 504, AfterStoring: true})
	status, _ := call(t, "POST", env.GraphURL+"/me/profile/languages", me, strings.NewReader(`{"tag":"sv","displayName":"Swedish"}`), map[string]string{"Content-Type": "application/json"})
	if n := len(env.Graph.Languages(demo.Innocenty.ID)); status != 504 || n != 3 {
		t.Fatalf("got %d with %d entries, want 504 with the entry stored anyway", status, n)
	}
}

// The request log keeps the latest requests only, and never a token.
func TestRequestLogBoundedWithoutTokens(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	for i := range 1005 {
		call(t, "GET", env.GraphURL+"/me/profile/languages/nope"+fmt.Sprint(i), me, nil, nil)
	}
	reqs := env.Graph.Requests()
	if len(reqs) != 1000 {
		t.Errorf("the log holds %d requests, want the latest 1000", len(reqs))
	}
	for i, r := range reqs { // the latest, oldest first
		if want := "/beta/me/profile/languages/nope" + fmt.Sprint(i+5); r.EscapedPath != want {
			t.Fatalf("request %d of the log is %s, want %s", i, r.EscapedPath, want)
		}
	}
	for _, r := range reqs {
		if a := r.Header.Get("Authorization"); strings.Contains(a, me) || strings.Contains(a, me[len(me)-20:]) || !strings.HasPrefix(a, "fingerprint ") {
			t.Fatalf("the log kept %q", a)
		}
	}
}

// Await returns a request that arrives after it started waiting, and
// gives up at its context's deadline when too few match.
func TestAwait(t *testing.T) {
	env := start(t)
	me := token(t, env, demo.Innocenty.UPN, "User.ReadWrite")
	isLate := func(r graphfake.Request) bool { return strings.HasSuffix(r.EscapedPath, "/late") }
	got := make(chan graphfake.Request, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rs, _ := env.Graph.Await(ctx, 1, isLate)
		got <- append(rs, graphfake.Request{})[0]
	}()
	call(t, "GET", env.GraphURL+"/me/profile/languages/early", me, nil, nil)
	call(t, "GET", env.GraphURL+"/me/profile/languages/late", me, nil, nil)
	if r := <-got; !isLate(r) {
		t.Errorf("Await returned %q", r.EscapedPath)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := env.Graph.Await(ctx, 2, isLate); err != context.DeadlineExceeded {
		t.Errorf("Await with no match: %v, want the deadline", err)
	}
}
