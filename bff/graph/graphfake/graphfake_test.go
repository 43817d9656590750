package graphfake_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
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
		{"unknown id", "GET", langs + "/nope", me, "", nil, 404, "Request_ResourceNotFound"},
		{"unknown segment", "GET", env.GraphURL + "/me/profile/skills", me, "", nil, 404, "Request_ResourceNotFound"},
		{"not json", "PATCH", langs + "/" + demo.ExampleID, me, `spoken=elementary`, map[string]string{"Content-Type": "text/plain"}, 415, "BadRequest"},
		{"unknown property", "PATCH", langs + "/" + demo.ExampleID, me, `{"fluency":"x"}`, jsonCT, 400, "BadRequest"},
		{"bad enum", "PATCH", langs + "/" + demo.ExampleID, me, `{"spoken":"fluent"}`, jsonCT, 400, "BadRequest"},
		{"empty patch", "PATCH", langs + "/" + demo.ExampleID, me, `{}`, jsonCT, 400, "BadRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, data := call(t, tt.method, tt.url, tt.tok, strings.NewReader(tt.body), tt.hdr)
			var ge graphError
			if err := json.Unmarshal(data, &ge); err != nil {
				t.Fatalf("body %s is not Graph's error shape: %v", data, err)
			}
			if status != tt.wantStatus || ge.Error.Code != tt.wantCode || ge.Error.Message == "" || ge.Error.InnerError["request-id"] == "" {
				t.Errorf("got %d %s, want %d %s with a message and a request-id", status, data, tt.wantStatus, tt.wantCode)
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
