package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"langcard/bff/app"
	"langcard/bff/auth/entrafake"
	"langcard/bff/config"
	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
)

func TestRunDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := map[string]string{"LANGCARD_ADDR": "127.0.0.1:0", "LANGCARD_DEMO_INTRANET_ADDR": "127.0.0.1:0"}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"bff"}, func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var base string
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "langcard listening on "); ok {
			base = u
			break
		}
	}
	var intranet, origins string
	for lines.Scan() {
		if o, ok := strings.CutPrefix(lines.Text(), "intranet pages that may embed the cards (LANGCARD_EMBED_ORIGINS): "); ok {
			origins = o
		}
		if u, ok := strings.CutPrefix(lines.Text(), "demo intranet page embedding the widget: "); ok {
			intranet = u
			break
		}
	}
	// Start-up says which pages may embed the cards: the demo intranet's.
	if strings.TrimSuffix(intranet, "/") == "" || origins != strings.TrimSuffix(intranet, "/") {
		t.Errorf("start-up names the embedding origins %q, want the demo intranet's %q", origins, intranet)
	}
	go io.Copy(io.Discard, pr)
	if base == "" || intranet == "" {
		t.Fatalf("run printed no address (%q, %q); it returned %v", base, intranet, <-done)
	}
	resp, err := http.Get(intranet)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `<script src="`+base+`/static/embed.js" async>`) || !strings.Contains(string(page), "<language-card>") {
		t.Errorf("the intranet page does not embed langcard: %.300s", page)
	}
	// The intranet's origin is an embedding origin: it may read the API's CORS answers.
	req, _ := http.NewRequest("GET", base+"/embed/cards", nil)
	req.Header.Set("Origin", strings.TrimSuffix(intranet, "/"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != strings.TrimSuffix(intranet, "/") {
		t.Errorf("the demo intranet origin is not allowed to embed: Access-Control-Allow-Origin %q", got)
	}
	for _, path := range []string{"/healthz", "/readyz", "/"} {
		var resp *http.Response
		var err error
		for range 50 {
			if resp, err = http.Get(base + path); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after shutdown, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop")
	}
}

// A port in use names the variable that moves it.
func TestRunNamesTheVariableOfAPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, v := range []string{"LANGCARD_ADDR", "LANGCARD_DEMO_INTRANET_ADDR"} {
		env := map[string]string{"LANGCARD_ADDR": "127.0.0.1:0", "LANGCARD_DEMO_INTRANET_ADDR": "127.0.0.1:0"}
		env[v] = busy.Addr().String()
		err := run(context.Background(), []string{"bff"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), v) {
			t.Errorf("with %s on a port in use, run said %v", v, err)
		}
	}
}

func TestRunReportsEveryConfigProblem(t *testing.T) {
	env := map[string]string{"LANGCARD_CLIENT_ID": "app", "LANGCARD_LOG_LEVEL": "loud"}
	err := run(context.Background(), []string{"bff"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "LANGCARD_TENANT_ID") || !strings.Contains(err.Error(), "LANGCARD_LOG_LEVEL") {
		t.Errorf("got %v, want every problem", err)
	}
}

func TestRunCheck(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"bff", "-check"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "configuration is valid (demo mode: true") {
		t.Errorf("got %q", out.String())
	}
}

// -check tells the truth about the tenant: a domain is resolved to the
// tenant's GUID issuer at the identity provider, and an unknown one fails.
func TestCheckResolvesTheTenant(t *testing.T) {
	entra, err := entrafake.New(entrafake.Options{TenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47", Domain: "contoso.onmicrosoft.com", ClientID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(entra)
	defer srv.Close()
	entra.SetAuthority(srv.URL)
	for _, tt := range []struct{ tenant, want string }{
		{"contoso.onmicrosoft.com", "issuer:                    " + srv.URL + "/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0\n"},
		{"fabrikam.onmicrosoft.com", `LANGCARD_TENANT_ID "fabrikam.onmicrosoft.com": the identity provider does not know this tenant`},
	} {
		env := map[string]string{
			"LANGCARD_TENANT_ID": tt.tenant, "LANGCARD_CLIENT_ID": "c", "LANGCARD_CLIENT_SECRET": "s", "LANGCARD_AUTHORITY": srv.URL,
			"LANGCARD_PUBLIC_URL": "https://langcard.example", "LANGCARD_COOKIE_KEY": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
		}
		var out strings.Builder
		err := run(context.Background(), []string{"bff", "-check"}, func(k string) string { return env[k] }, &out, io.Discard)
		got := out.String()
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("-check with %s: got %q, want %q", tt.tenant, got, tt.want)
		}
	}
}

// Metrics are served on their own listener, and not on the public one.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := map[string]string{"LANGCARD_ADDR": "127.0.0.1:0", "LANGCARD_DEMO_INTRANET_ADDR": "off", "LANGCARD_METRICS_ADDR": "127.0.0.1:0"}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"bff"}, func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var base, metricsURL string
	for (base == "" || metricsURL == "") && lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "langcard listening on "); ok {
			base = u
		}
		if u, ok := strings.CutPrefix(lines.Text(), "metrics on "); ok {
			metricsURL = u
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" || metricsURL == "" {
		t.Fatalf("run printed no addresses (%q, %q); it returned %v", base, metricsURL, <-done)
	}
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get(base + "/healthz")
	// Routes are named by the pattern that served them, on either route
	// table (the session's routes are served by a second one).
	get(base + "/api/me/languages/0fb4c1e3-c1e3-0fb4-e3c1-b40fe3c1b40f")
	get(base + "/api/me/languages/0fb4c1e3-c1e3-0fb4-e3c1-b40fe3c1b40f")
	get(base + "/api/nowhere")
	status, body := get(metricsURL)
	for _, want := range []string{`langcard_http_requests_total{route="GET /healthz",status="200"} 1`,
		`langcard_http_requests_total{route="/api/me/languages/{id}",status="401"} 2`,
		`langcard_http_requests_total{route="/api/",status="404"} 1`,
		"langcard_http_request_duration_seconds_bucket", "go_goroutines"} {
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics (%d) lack %s", status, want)
		}
	}
	if status, body := get(base + "/metrics"); status == 200 || strings.Contains(body, "langcard_http_requests_total") {
		t.Errorf("the public listener serves metrics: %d", status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

// shutdownRig is a BFF served by serve, with a signed-in client whose
// save Graph holds for delay, waiting at Graph when it returns.
type shutdownRig struct {
	a       *app.App
	base    string
	sigterm func()
	done    chan error
	saved   chan saveAnswer // the save's answer, when it comes
}

type saveAnswer struct {
	status int
	err    error
}

// startShutdownRig serves a BFF configured by env (then change, when set)
// and sends one save that Graph holds for delay. When serve returns, the
// server's connections are closed, as a process exiting closes them.
func startShutdownRig(t *testing.T, env map[string]string, change func(*config.Config), delay time.Duration) *shutdownRig {
	t.Helper()
	env["LANGCARD_ADDR"], env["LANGCARD_DEMO_INTRANET_ADDR"] = "127.0.0.1:0", "off"
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&cfg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg = cfg.Listening(ln.Addr(), nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := &http.Server{Handler: a.Handler}
	ctx, sigterm := context.WithCancel(context.Background())
	t.Cleanup(sigterm)
	rig := &shutdownRig{a: a, base: cfg.PublicURL.String(), sigterm: sigterm, done: make(chan error, 1), saved: make(chan saveAnswer, 1)}
	go func() {
		err := serve(ctx, a, srv, ln, cfg, log)
		srv.Close() // the process exits: what is still open is cut
		rig.done <- err
	}()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if resp, err := c.Get(rig.base + "/login?login_hint=" + demo.Innocenty.UPN); err != nil || resp.StatusCode != 200 {
		t.Fatalf("sign-in: %v %v", err, resp)
	}
	a.Demo.Graph.Inject(graphfake.Fault{Delay: delay})
	go func() {
		req, _ := http.NewRequest("PATCH", rig.base+"/api/me/languages/"+demo.ExampleID, strings.NewReader(`{"written":"elementary"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF", "1")
		req.Header.Set("Origin", rig.base)
		resp, err := c.Do(req)
		if err != nil {
			rig.saved <- saveAnswer{0, err}
			return
		}
		resp.Body.Close()
		rig.saved <- saveAnswer{resp.StatusCode, nil}
	}()
	wait, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := a.Demo.Graph.Await(wait, 1, func(r graphfake.Request) bool { return r.Method == http.MethodPatch }); err != nil {
		t.Fatal("the save never reached Graph")
	}
	return rig
}

// SIGTERM during a slow save: /readyz says 503 while draining, the save
// finishes, then the server stops.
func TestShutdownFinishesASlowSave(t *testing.T) {
	rig := startShutdownRig(t, map[string]string{"LANGCARD_DRAIN_DELAY": "300ms"}, nil, time.Second)
	rig.sigterm()
	// Draining begins as serve sees the signal: /readyz says so from then
	// on, while the listener still accepts (the drain delay).
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(rig.base + "/readyz")
		if err != nil {
			t.Fatalf("readyz while draining: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz never said it was draining: %d", resp.StatusCode)
		}
	}
	if got := <-rig.saved; got.status != http.StatusOK {
		t.Errorf("the slow save answered %d %v, want 200", got.status, got.err)
	}
	if err := <-rig.done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if got := rig.a.Demo.Graph.Languages(demo.Innocenty.ID)[0].Written; got != "elementary" {
		t.Errorf("written %q", got)
	}
}

// A request still in flight near the shutdown deadline is answered, not
// cut: here the deadline is forced shorter than the save (the
// configuration refuses that), and the process closes its connections as
// it would on exit; the save's client still gets an answer.
func TestShutdownAnswersWhatItCannotFinish(t *testing.T) {
	rig := startShutdownRig(t, map[string]string{"LANGCARD_DRAIN_DELAY": "100ms",
		"LANGCARD_IDP_TIMEOUT": "1s", "LANGCARD_GRAPH_MAX_WAIT": "1s", "LANGCARD_GRAPH_TIMEOUT": "5s", "LANGCARD_SHUTDOWN_TIMEOUT": "8s"},
		func(c *config.Config) { c.ShutdownTimeout = time.Second }, // past the check: a save that cannot finish in time
		4*time.Second)
	rig.sigterm()
	if r := <-rig.saved; r.err != nil || r.status != http.StatusServiceUnavailable {
		t.Errorf("the save in flight got %d %v, want an answer (503), not a cut connection", r.status, r.err)
	}
	<-rig.done
}
