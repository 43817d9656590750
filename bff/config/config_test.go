package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDemoDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Demo || c.Addr != "127.0.0.1:8080" || c.PublicURL.String() != "http://127.0.0.1:8080" || c.Secure() {
		t.Errorf("got demo=%v addr=%q public=%v secure=%v", c.Demo, c.Addr, c.PublicURL, c.Secure())
	}
}

func TestTenant(t *testing.T) {
	c, err := Load(env(map[string]string{
		"LANGCARD_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "LANGCARD_CLIENT_ID": "app", "LANGCARD_CLIENT_SECRET": "s",
		"LANGCARD_PUBLIC_URL": "https://langcard.contoso.com", "LANGCARD_COOKIE_KEY": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
		"LANGCARD_EMBED_ORIGINS":  "https://intranet.contoso.com, https://wiki.contoso.com:8443",
		"LANGCARD_GRAPH_BASE_URL": "https://graph.microsoft.us/beta", "LANGCARD_AUTHORITY": "https://login.microsoftonline.us",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Demo || !c.Secure() || c.Issuer() != "https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0" || len(c.EmbedOrigins) != 2 || c.GraphBaseURL.Host != "graph.microsoft.us" {
		t.Errorf("got %+v", c)
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{
		"LANGCARD_CLIENT_ID": "app", "LANGCARD_PUBLIC_URL": "http://langcard.contoso.com/x",
		"LANGCARD_COOKIE_KEY": "short", "LANGCARD_EMBED_ORIGINS": "https://intranet.contoso.com/, *",
		"LANGCARD_SESSION_IDLE": "forever", "LANGCARD_LOG_LEVEL": "loud", "LANGCARD_ADDR": "8080",
		"LANGCARD_REDIS_URL": "http://redis.contoso.com",
	}))
	if err == nil {
		t.Fatal("Load succeeded, want errors")
	}
	for _, want := range []string{"LANGCARD_TENANT_ID: is required", "LANGCARD_CLIENT_SECRET: is required", "LANGCARD_PUBLIC_URL", "LANGCARD_COOKIE_KEY", `"https://intranet.contoso.com/"`, `"*"`, "LANGCARD_SESSION_IDLE", "LANGCARD_LOG_LEVEL", "LANGCARD_ADDR", "LANGCARD_REDIS_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestPlainHTTPOnlyForDemoOnLoopback(t *testing.T) {
	for _, public := range []string{"http://0.0.0.0:8080", "http://langcard.contoso.com"} {
		if _, err := Load(env(map[string]string{"LANGCARD_PUBLIC_URL": public})); err == nil || !strings.Contains(err.Error(), "must be https") {
			t.Errorf("public URL %s: got %v, want must be https", public, err)
		}
	}
}
