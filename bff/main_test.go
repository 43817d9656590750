package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"langcard/bff/auth/entrafake"
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
	var intranet string
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "demo intranet page embedding the widget: "); ok {
			intranet = u
			break
		}
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
