package e2e_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"langcard/bff/app"
	"langcard/bff/config"
	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
)

// cookieKey is the login-cookie key of the test BFF, so tests can forge
// and read login cookies as an attacker who stole the key could.
var cookieKey = bytes.Repeat([]byte("k"), 32)

const embedOrigin = "http://127.0.0.1:1"

// harness is a BFF in demo mode on a real loopback listener, with its
// demo identity provider and Graph emulator, and its log in a buffer.
type harness struct {
	t     *testing.T
	url   string
	app   *app.App
	graph *graphfake.Server
	idp   *demo.IdP
	logs  *syncBuffer
	// seen collects every response body and header the tests received.
	seen *syncBuffer
	// transport trusts the BFF's test certificate (nil: plain http).
	transport http.RoundTripper
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// option changes a harness's configuration.
type option func(env map[string]string)

// withEmbedOrigin makes origin the embedding origin.
func withEmbedOrigin(origin string) option {
	return func(env map[string]string) { env["LANGCARD_EMBED_ORIGINS"] = origin }
}

// withRedis keeps sessions in the Redis server at url.
func withRedis(url string) option {
	return func(env map[string]string) { env["LANGCARD_REDIS_URL"] = url }
}

// withTLS serves the BFF over https, as in production: cookies are then
// Secure and carry the __Host- prefix.
func withTLS(env map[string]string) { env["tls"] = "1" }

func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	return startReplica(t, nil, opts...)
}

// replica starts another BFF of the same deployment as h: the same demo
// identity provider and Graph, its own listener and memory.
func (h *harness) replica(opts ...option) *harness {
	h.t.Helper()
	return startReplica(h.t, h.app.Demo, opts...)
}

func startReplica(t *testing.T, shared *demo.Env, opts ...option) *harness {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"LANGCARD_PUBLIC_URL":     "http://" + ln.Addr().String(),
		"LANGCARD_COOKIE_KEY":     base64.StdEncoding.EncodeToString(cookieKey),
		"LANGCARD_EMBED_ORIGINS":  embedOrigin,
		"LANGCARD_GRAPH_MAX_WAIT": "2s",
		"LANGCARD_LOG_LEVEL":      "debug",
	}
	for _, o := range opts {
		o(env)
	}
	if env["tls"] != "" {
		env["LANGCARD_PUBLIC_URL"] = "https://" + ln.Addr().String()
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, url: cfg.PublicURL.String(), logs: &syncBuffer{}, seen: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.NewReplica(ctx, cfg, log, shared)
	if err != nil {
		t.Fatal(err)
	}
	h.app, h.graph, h.idp = a, a.Demo.Graph, a.Demo.IdP
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: a.Handler}}
	if env["tls"] != "" {
		srv.StartTLS()
		h.transport = srv.Client().Transport
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		srv.Close()
		a.Close()
		cancel()
	})
	return h
}

// browser is a cookie-keeping HTTP client that does not follow redirects
// on its own, so tests see every hop.
type browser struct {
	h   *harness
	jar *cookiejar.Jar
	c   *http.Client
}

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{h: h, jar: jar, c: &http.Client{Jar: jar, Transport: h.transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	*http.Response
	body string
}

// do sends a request; path may be relative to the BFF or absolute.
func (b *browser) do(method, path string, body io.Reader, hdr map[string]string) response {
	b.h.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.h.url + path
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		b.h.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if strings.HasPrefix(u, b.h.url) {
		b.h.seen.Write(data)
		for k, vs := range resp.Header {
			if k != "Set-Cookie" {
				b.h.seen.Write([]byte(k + ": " + strings.Join(vs, ",") + "\n"))
			}
		}
	}
	return response{resp, string(data)}
}

func (b *browser) get(path string) response { return b.do("GET", path, nil, nil) }

// follow GETs path and follows redirects (across the IdP too) until a
// non-redirect answer, returning it and the URLs visited.
func (b *browser) follow(path string) (response, []string) {
	b.h.t.Helper()
	var visited []string
	r := b.get(path)
	for i := 0; r.StatusCode/100 == 3 && i < 10; i++ {
		loc, err := r.Request.URL.Parse(r.Header.Get("Location"))
		if err != nil {
			b.h.t.Fatal(err)
		}
		visited = append(visited, loc.String())
		r = b.get(loc.String())
	}
	return r, visited
}

// signIn signs in as upn through the demo identity provider.
func (h *harness) signIn(upn string) *browser {
	h.t.Helper()
	b := h.browser()
	r, _ := b.follow("/login?login_hint=" + url.QueryEscape(upn))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Signed in as") {
		h.t.Fatalf("sign-in as %s ended with %d %.300s", upn, r.StatusCode, r.body)
	}
	return b
}

// api sends a JSON API request the way the widget does, same-origin.
func (b *browser) api(method, path, body string) response {
	b.h.t.Helper()
	hdr := map[string]string{"Sec-Fetch-Site": "same-origin"}
	if method != "GET" {
		hdr["X-CSRF"] = "1"
		hdr["Content-Type"] = "application/json"
		hdr["Origin"] = b.h.url
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	return b.do(method, path, rd, hdr)
}

// post submits a form the way a browser does from the BFF's own page.
func (b *browser) post(path string, form url.Values) response {
	b.h.t.Helper()
	return b.do("POST", path, strings.NewReader(form.Encode()), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Origin": b.h.url, "Sec-Fetch-Site": "same-origin",
	})
}

func (b *browser) cookie(prefix string) *http.Cookie {
	u, _ := url.Parse(b.h.url)
	for _, c := range b.jar.Cookies(u) {
		if strings.HasPrefix(c.Name, prefix) {
			return c
		}
	}
	return nil
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("%s %s: got %d, want %d; body %.400s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.body)
	}
}
