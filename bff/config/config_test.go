package config

import (
	"net"
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

// -check prints what will run: every setting, secrets masked.
func TestDescribeMasksSecrets(t *testing.T) {
	env := map[string]string{
		"LANGCARD_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "LANGCARD_CLIENT_ID": "client", "LANGCARD_CLIENT_SECRET": "s3cr3t-value",
		"LANGCARD_PUBLIC_URL": "https://langcard.example", "LANGCARD_COOKIE_KEY": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
		"LANGCARD_REDIS_URL": "redis://:hunter2@redis.example:6379/0",
	}
	c, err := Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	d := c.Describe()
	for _, secret := range []string{"s3cr3t-value", "hunter2", "kkkk"} {
		if strings.Contains(d, secret) {
			t.Errorf("Describe shows a secret: %s", d)
		}
	}
	for _, want := range []string{"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", "redis://…@redis.example:6379/0", "User.ReadWrite User.Read.All\n",
		"colleagues' cards:         on, once an administrator consents to User.Read.All",
		"administrator roles:       62e90394-69f5-4237-9190-012177145e10, fe930be7-5e62-47db-91af-98c3a49a38b1\n",
		"administrators' edits:     off: add User.ReadWrite.All"} {
		if !strings.Contains(d, want) {
			t.Errorf("Describe lacks %q:\n%s", want, d)
		}
	}
}

// Problems come in a stable order, so -check says the same thing twice.
func TestProblemsInStableOrder(t *testing.T) {
	env := map[string]string{"LANGCARD_TENANT_ID": "x", "LANGCARD_SESSION_IDLE": "soon"}
	_, first := Load(func(k string) string { return env[k] })
	for range 20 {
		if _, err := Load(func(k string) string { return env[k] }); err == nil || err.Error() != first.Error() {
			t.Fatalf("problems changed order:\n%v\n%v", first, err)
		}
	}
}

// The demo's defaults follow the addresses actually bound.
func TestListeningFinishesDemoDefaults(t *testing.T) {
	c, err := Load(func(k string) string {
		return map[string]string{"LANGCARD_ADDR": "127.0.0.1:0", "LANGCARD_DEMO_INTRANET_ADDR": "127.0.0.1:0"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	bff, intranet := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4321}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4322}
	c = c.Listening(bff, intranet)
	if c.PublicURL.String() != "http://127.0.0.1:4321" || len(c.EmbedOrigins) != 1 || c.EmbedOrigins[0] != "http://127.0.0.1:4322" {
		t.Errorf("got %s and %v", c.PublicURL, c.EmbedOrigins)
	}
	set, _ := Load(func(k string) string {
		return map[string]string{"LANGCARD_PUBLIC_URL": "http://localhost:9000", "LANGCARD_EMBED_ORIGINS": "http://localhost:9001"}[k]
	})
	if set = set.Listening(bff, intranet); set.PublicURL.String() != "http://localhost:9000" || set.EmbedOrigins[0] != "http://localhost:9001" {
		t.Errorf("configured values were replaced: %s %v", set.PublicURL, set.EmbedOrigins)
	}
	// The demo intranet page keeps working beside the configured origins.
	if len(set.EmbedOrigins) != 2 || set.EmbedOrigins[1] != "http://127.0.0.1:4322" {
		t.Errorf("with LANGCARD_EMBED_ORIGINS set in demo mode, the origins are %v, want the demo intranet's too", set.EmbedOrigins)
	}
}

// LANGCARD_ADMIN_ROLES names role template ids (or none); the default is
// Global Administrator and User Administrator; -check says which
// permission each feature needs.
func TestAdminRoles(t *testing.T) {
	base := map[string]string{
		"LANGCARD_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "LANGCARD_CLIENT_ID": "client", "LANGCARD_CLIENT_SECRET": "s",
		"LANGCARD_PUBLIC_URL": "https://langcard.example", "LANGCARD_COOKIE_KEY": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
	}
	load := func(extra map[string]string) (Config, error) {
		return Load(func(k string) string {
			if v, ok := extra[k]; ok {
				return v
			}
			return base[k]
		})
	}
	for _, tt := range []struct {
		roles string
		want  []string
		bad   bool
	}{
		{"", []string{GlobalAdministrator, UserAdministrator}, false},
		{"none", nil, false},
		{"FE930BE7-5E62-47DB-91AF-98C3A49A38B1, 024906de-61e5-49c8-8572-40335f1e0e10", []string{UserAdministrator, "024906de-61e5-49c8-8572-40335f1e0e10"}, false},
		{"User Administrator", nil, true},
		{"fe930be7", nil, true},
	} {
		c, err := load(map[string]string{"LANGCARD_ADMIN_ROLES": tt.roles})
		if tt.bad {
			if err == nil || !strings.Contains(err.Error(), "LANGCARD_ADMIN_ROLES") {
				t.Errorf("%q: got %v, want LANGCARD_ADMIN_ROLES refused", tt.roles, err)
			}
			continue
		}
		if err != nil || strings.Join(c.AdminRoles, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%q: got %v, %v; want %v", tt.roles, c.AdminRoles, err, tt.want)
		}
	}
	for scopes, want := range map[string]string{
		"User.ReadWrite User.ReadBasic.All": "User.ReadBasic.All does not read other people's profiles",
		"User.ReadWrite":                    "off: add User.Read.All",
		"User.ReadWrite https://graph.microsoft.com/User.Read.All User.ReadWrite.All": "administrators' edits:     on for holders",
	} {
		c, err := load(map[string]string{"LANGCARD_SCOPES": scopes})
		if err != nil || !strings.Contains(c.Describe(), want) {
			t.Errorf("scopes %q: -check lacks %q:\n%s", scopes, want, c.Describe())
		}
	}
}

// A shutdown shorter than a request may take is refused: a save in flight
// at shutdown would be cut.
func TestShutdownFitsARequest(t *testing.T) {
	base := map[string]string{"LANGCARD_ADDR": "127.0.0.1:0"}
	load := func(extra map[string]string) (Config, error) {
		return Load(func(k string) string {
			if v, ok := extra[k]; ok {
				return v
			}
			return base[k]
		})
	}
	if c, err := load(nil); err != nil || c.IdPTimeout+c.GraphTimeout+ShutdownMargin > c.ShutdownTimeout {
		t.Errorf("the defaults do not fit: %v %+v", err, c)
	}
	for _, extra := range []map[string]string{
		{"LANGCARD_SHUTDOWN_TIMEOUT": "20s"},
		{"LANGCARD_GRAPH_TIMEOUT": "30s"},
		{"LANGCARD_IDP_TIMEOUT": "15s"},
	} {
		if _, err := load(extra); err == nil || !strings.Contains(err.Error(), "LANGCARD_SHUTDOWN_TIMEOUT") {
			t.Errorf("%v: got %v, want LANGCARD_SHUTDOWN_TIMEOUT refused", extra, err)
		}
	}
	if _, err := load(map[string]string{"LANGCARD_GRAPH_MAX_WAIT": "20s"}); err == nil || !strings.Contains(err.Error(), "LANGCARD_GRAPH_MAX_WAIT") {
		t.Errorf("a throttling wait longer than the Graph timeout: %v", err)
	}
}

// With a tenant, embedding origins are https, loopback aside.
func TestEmbedOriginsHTTPS(t *testing.T) {
	tenant := map[string]string{
		"LANGCARD_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "LANGCARD_CLIENT_ID": "client", "LANGCARD_CLIENT_SECRET": "s",
		"LANGCARD_PUBLIC_URL": "https://langcard.example", "LANGCARD_COOKIE_KEY": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
	}
	for origins, ok := range map[string]bool{
		"https://intranet.contoso.com":                          true,
		"http://127.0.0.1:8081, http://localhost:3000":          true,
		"http://intranet.contoso.com":                           false,
		"https://intranet.contoso.com, http://wiki.contoso.com": false,
	} {
		_, err := Load(func(k string) string {
			if k == "LANGCARD_EMBED_ORIGINS" {
				return origins
			}
			return tenant[k]
		})
		if (err == nil) != ok || (err != nil && !strings.Contains(err.Error(), "must be https")) {
			t.Errorf("%q: %v", origins, err)
		}
	}
}
