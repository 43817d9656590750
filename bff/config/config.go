// Package config reads langcard's configuration from the environment and
// validates it in one pass, reporting every problem at once.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"langcard/bff/ident"
)

// Config is the BFF's configuration. Each field names its variable and default.
type Config struct {
	// Addr is where the BFF listens. LANGCARD_ADDR, default 127.0.0.1:8080.
	Addr string
	// PublicURL is where browsers reach the BFF (scheme://host[:port], no
	// path). LANGCARD_PUBLIC_URL; default http://<Addr> in demo mode;
	// required, and https, with a tenant.
	PublicURL *url.URL
	// Demo is true when no tenant is configured: the BFF then runs its own
	// identity provider and Graph emulator on loopback.
	Demo bool
	// TenantID, ClientID, ClientSecret identify the Entra ID app.
	// LANGCARD_TENANT_ID, LANGCARD_CLIENT_ID, LANGCARD_CLIENT_SECRET. In
	// demo mode the client is the demo identity provider's (WithDemoPeers).
	TenantID, ClientID, ClientSecret string
	// issuer, once known, is the issuer tokens are verified against: the
	// demo identity provider's (WithDemoPeers), or a domain tenant's GUID
	// issuer (WithIssuer).
	issuer string
	// Authority is Entra ID's login host. LANGCARD_AUTHORITY, default
	// https://login.microsoftonline.com (national clouds differ).
	Authority *url.URL
	// GraphBaseURL is Graph's beta root. LANGCARD_GRAPH_BASE_URL, default
	// https://graph.microsoft.com/beta.
	GraphBaseURL *url.URL
	// Scopes are the Graph scopes requested at sign-in. LANGCARD_SCOPES
	// (space-separated), default "User.ReadWrite User.Read.All" (your own
	// languages; colleagues' read-only, once an administrator consents to
	// User.Read.All: Graph refuses other people's profiles to
	// User.ReadBasic.All, docs/graph.md); add User.ReadWrite.All to let
	// administrators edit other people's profiles. Demo mode asks for all
	// three, as its people include administrators.
	Scopes []string
	// AdminRoles are the Entra directory roles (role template ids, as the
	// ID token's wids claim states them) whose holders see and edit every
	// entry of other people's profiles; a scope never makes anyone an
	// administrator. LANGCARD_ADMIN_ROLES (comma- or space-separated, or
	// "none"), default Global Administrator and User Administrator: roles
	// that can reset a person's password can already act as that person.
	// The claim needs the app registration's groupMembershipClaims.
	AdminRoles []string
	// CookieKey signs and encrypts the login cookie; every replica needs the
	// same one. LANGCARD_COOKIE_KEY (base64, at least 32 bytes); required
	// with a tenant, random per start in demo mode.
	CookieKey []byte
	// publicURLSet records that LANGCARD_PUBLIC_URL was given (else, in
	// demo mode, the public URL follows the address bound: Listening).
	publicURLSet bool
	// embedOriginsSet records that LANGCARD_EMBED_ORIGINS was given (else,
	// in demo mode, the demo intranet page is the embedding origin).
	embedOriginsSet bool
	// EmbedOrigins are the exact origins of intranet pages allowed to embed
	// the widget (CORS, frame-ancestors, returnTo). LANGCARD_EMBED_ORIGINS,
	// comma-separated, default none.
	EmbedOrigins []string
	// SessionLifetime is the absolute session lifetime.
	// LANGCARD_SESSION_LIFETIME, default 12h.
	SessionLifetime time.Duration
	// SessionIdle ends a session unused this long. LANGCARD_SESSION_IDLE, default 2h.
	SessionIdle time.Duration
	// GraphMaxWait bounds the time spent waiting on Graph's throttling
	// before the person is told. LANGCARD_GRAPH_MAX_WAIT, default 8s.
	GraphMaxWait time.Duration
	// IdPTimeout bounds every call to the identity provider's token
	// endpoint (code exchange, refresh). LANGCARD_IDP_TIMEOUT, default 10s.
	IdPTimeout time.Duration
	// GraphTimeout bounds one operation against Graph, its retries and
	// throttling waits included. LANGCARD_GRAPH_TIMEOUT, default 13s; more
	// than LANGCARD_GRAPH_MAX_WAIT.
	GraphTimeout time.Duration
	// LogLevel is debug, info, warn or error. LANGCARD_LOG_LEVEL, default info.
	LogLevel slog.Level
	// LogJSON writes the log as JSON lines. LANGCARD_LOG_FORMAT=json
	// (default text).
	LogJSON bool
	// MetricsAddr, when set, serves Prometheus metrics on a listener of
	// its own (never on the public one). LANGCARD_METRICS_ADDR, default off.
	MetricsAddr string
	// DrainDelay is how long, on SIGTERM, /readyz answers 503 before the
	// BFF stops accepting requests, so load balancers can stop sending
	// them. LANGCARD_DRAIN_DELAY, default 5s (demo mode: 0).
	DrainDelay time.Duration
	// ShutdownTimeout bounds how long requests in flight may take to
	// finish at shutdown. LANGCARD_SHUTDOWN_TIMEOUT, default 25s; at least
	// LANGCARD_IDP_TIMEOUT + LANGCARD_GRAPH_TIMEOUT + 2s, so that every
	// request accepted before shutdown can finish (ShutdownMargin).
	ShutdownTimeout time.Duration
	// RedisURL, when set, keeps sessions in Redis so that several replicas
	// share them (redis:// or rediss://, with password and database number
	// as needed). LANGCARD_REDIS_URL, default none: sessions in memory.
	RedisURL string
	// DemoIntranetAddr is where demo mode serves a sample intranet page that
	// embeds the widget (and, unless LANGCARD_EMBED_ORIGINS says otherwise,
	// its origin is the embedding origin). LANGCARD_DEMO_INTRANET_ADDR,
	// default 127.0.0.1:8081; "off" serves none. Demo mode only.
	DemoIntranetAddr string
}

// Issuer returns the OIDC issuer: the configured tenant's (a domain
// tenant is resolved to its GUID issuer at start-up), or the demo's.
func (c Config) Issuer() string {
	if c.issuer != "" || c.Demo {
		return c.issuer
	}
	return c.Authority.JoinPath(c.TenantID, "v2.0").String()
}

// WithIssuer records the issuer the tenant's discovery named (a domain
// tenant's GUID issuer).
func (c Config) WithIssuer(issuer string) Config {
	c.issuer = issuer
	return c
}

// Listening finishes the configuration with the addresses actually bound
// (":0" picks a free port): in demo mode, an unset public URL follows the
// BFF's address, and the demo intranet page is the embedding origin
// beside those LANGCARD_EMBED_ORIGINS names. intranet may be nil.
func (c Config) Listening(bff, intranet net.Addr) Config {
	if c.Demo && !c.publicURLSet {
		u := *c.PublicURL
		u.Host = bff.String()
		c.PublicURL = &u
	}
	if c.Demo && intranet != nil {
		// The demo intranet page keeps working beside the origins an
		// operator names (LANGCARD_EMBED_ORIGINS in demo mode adds).
		own := "http://" + intranet.String()
		switch {
		case !c.embedOriginsSet:
			c.EmbedOrigins = []string{own}
		case !slices.Contains(c.EmbedOrigins, own):
			c.EmbedOrigins = append(slices.Clone(c.EmbedOrigins), own)
		}
	}
	return c
}

// WithDemoPeers finishes a demo configuration with its identity provider
// (issuer and client) and Graph emulator, once they listen.
func (c Config) WithDemoPeers(issuer, clientID, clientSecret, graphBaseURL string) (Config, error) {
	g, err := parseURL(graphBaseURL)
	if err != nil {
		return c, err
	}
	c.issuer, c.ClientID, c.ClientSecret, c.GraphBaseURL = issuer, clientID, clientSecret, g
	return c, nil
}

// Secure reports whether cookies must be Secure with the __Host- prefix:
// always, but for plain-http demo mode on loopback.
func (c Config) Secure() bool { return c.PublicURL.Scheme == "https" }

// Load reads the configuration through getenv.
func Load(getenv func(string) string) (Config, error) {
	r := &reader{getenv: getenv}
	var c Config
	c.loadIdentity(r)
	c.loadURLs(r)
	c.loadSessions(r)
	c.loadOperations(r)
	if len(r.errs) > 0 {
		return c, errors.Join(r.errs...)
	}
	return c, nil
}

// reader reads the environment for Load, and collects every problem of
// every area into one report (oauth2-proxy's validation does the same).
type reader struct {
	getenv func(string) string
	errs   []error
}

func (r *reader) bad(name, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s: "+format, append([]any{name}, args...)...))
}

// get is the variable's value, trimmed, or def when it is unset.
func (r *reader) get(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	return duration(r.getenv, name, def, r.bad)
}

// loadIdentity reads who langcard is at the identity provider and what it
// asks for: the tenant and app (or demo mode), the scopes, the roles that
// make an administrator, the authority.
func (c *Config) loadIdentity(r *reader) {
	c.TenantID, c.ClientID, c.ClientSecret = r.get("LANGCARD_TENANT_ID", ""), r.get("LANGCARD_CLIENT_ID", ""), r.getenv("LANGCARD_CLIENT_SECRET")
	c.Demo = c.TenantID == "" && c.ClientID == "" && c.ClientSecret == ""
	if !c.Demo {
		for _, v := range []struct{ name, value string }{{"LANGCARD_TENANT_ID", c.TenantID}, {"LANGCARD_CLIENT_ID", c.ClientID}, {"LANGCARD_CLIENT_SECRET", c.ClientSecret}} {
			if v.value == "" {
				r.bad(v.name, "is required with a tenant (set all three of LANGCARD_TENANT_ID, LANGCARD_CLIENT_ID and LANGCARD_CLIENT_SECRET, or none for demo mode)")
			}
		}
		if c.TenantID != "" && !isTenant(c.TenantID) {
			r.bad("LANGCARD_TENANT_ID", "%q is not a tenant id (a GUID) or a domain", c.TenantID)
		}
	}
	defScopes := "User.ReadWrite User.Read.All"
	if c.Demo {
		defScopes = "User.ReadWrite User.Read.All User.ReadWrite.All"
	}
	c.Scopes = strings.Fields(r.get("LANGCARD_SCOPES", defScopes))
	if roles := r.get("LANGCARD_ADMIN_ROLES", GlobalAdministrator+" "+UserAdministrator); !strings.EqualFold(roles, "none") {
		for _, role := range strings.FieldsFunc(roles, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if !ident.IsGUID(role) {
				r.bad("LANGCARD_ADMIN_ROLES", "%q is not a role template id (a GUID, such as %s for User Administrator), or none", role, UserAdministrator)
				continue
			}
			c.AdminRoles = append(c.AdminRoles, strings.ToLower(role))
		}
	}
	var err error
	if c.Authority, err = parseURL(r.get("LANGCARD_AUTHORITY", "https://login.microsoftonline.com")); err != nil {
		r.bad("LANGCARD_AUTHORITY", "%v", err)
	}
}

// loadURLs reads where langcard listens and is reached, where Graph is,
// and which pages may embed it.
func (c *Config) loadURLs(r *reader) {
	c.Addr = r.get("LANGCARD_ADDR", "127.0.0.1:8080")
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		r.bad("LANGCARD_ADDR", "%q is not host:port", c.Addr)
	}
	if c.Demo {
		if c.DemoIntranetAddr = r.get("LANGCARD_DEMO_INTRANET_ADDR", "127.0.0.1:8081"); c.DemoIntranetAddr == "off" {
			c.DemoIntranetAddr = ""
		} else if _, _, err := net.SplitHostPort(c.DemoIntranetAddr); err != nil {
			r.bad("LANGCARD_DEMO_INTRANET_ADDR", "%q is not host:port (or off)", c.DemoIntranetAddr)
		}
	}
	var err error
	defPublic := ""
	if c.Demo {
		defPublic = "http://" + c.Addr
	}
	c.publicURLSet = strings.TrimSpace(r.getenv("LANGCARD_PUBLIC_URL")) != ""
	if c.PublicURL, err = parseOrigin(r.get("LANGCARD_PUBLIC_URL", defPublic)); err != nil {
		r.bad("LANGCARD_PUBLIC_URL", "%v", err)
	} else if c.PublicURL.Scheme != "https" && !(c.Demo && isLoopback(c.PublicURL.Hostname())) {
		r.bad("LANGCARD_PUBLIC_URL", "must be https (plain http is only for demo mode on loopback)")
	}
	if c.GraphBaseURL, err = parseURL(r.get("LANGCARD_GRAPH_BASE_URL", "https://graph.microsoft.com/beta")); err != nil {
		r.bad("LANGCARD_GRAPH_BASE_URL", "%v", err)
	}
	for _, o := range strings.Split(r.getenv("LANGCARD_EMBED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		u, err := parseOrigin(o)
		if err != nil || u.String() != o {
			r.bad("LANGCARD_EMBED_ORIGINS", "%q is not an origin like https://intranet.contoso.com (scheme, host, optional port; no path, no trailing slash)", o)
			continue
		}
		if !c.Demo && u.Scheme != "https" && !isLoopback(u.Hostname()) {
			r.bad("LANGCARD_EMBED_ORIGINS", "%q must be https: a page on plain http can be changed on its way, and would write with the person's session (loopback aside, for trying it out)", o)
			continue
		}
		c.EmbedOrigins = append(c.EmbedOrigins, o)
	}
	c.embedOriginsSet = len(c.EmbedOrigins) > 0
	if c.Demo && !c.embedOriginsSet && c.DemoIntranetAddr != "" {
		c.EmbedOrigins = []string{"http://" + c.DemoIntranetAddr}
	}
}

// loadSessions reads how sessions are kept: the login cookie's key,
// Redis for replicas, and how long a session lives.
func (c *Config) loadSessions(r *reader) {
	if key := r.getenv("LANGCARD_COOKIE_KEY"); key != "" {
		var err error
		if c.CookieKey, err = base64.StdEncoding.DecodeString(key); err != nil || len(c.CookieKey) < 32 {
			r.bad("LANGCARD_COOKIE_KEY", "must be base64 of at least 32 random bytes (openssl rand -base64 32)")
		}
	} else if !c.Demo {
		r.bad("LANGCARD_COOKIE_KEY", "is required with a tenant: base64 of at least 32 random bytes, the same on every replica (openssl rand -base64 32)")
	} else {
		c.CookieKey = make([]byte, 32)
		rand.Read(c.CookieKey) // demo mode: a fresh key each start
	}
	if c.RedisURL = r.getenv("LANGCARD_REDIS_URL"); c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			r.bad("LANGCARD_REDIS_URL", "must be a redis:// or rediss:// URL with a host")
		}
	}
	c.SessionLifetime = r.duration("LANGCARD_SESSION_LIFETIME", 12*time.Hour)
	c.SessionIdle = r.duration("LANGCARD_SESSION_IDLE", 2*time.Hour)
}

// loadOperations reads how langcard runs: its waits on its peers, logs,
// metrics, and shutdown (which must leave a request in flight the time it
// may take).
func (c *Config) loadOperations(r *reader) {
	c.GraphMaxWait = r.duration("LANGCARD_GRAPH_MAX_WAIT", 8*time.Second)
	c.IdPTimeout = r.duration("LANGCARD_IDP_TIMEOUT", 10*time.Second)
	c.GraphTimeout = r.duration("LANGCARD_GRAPH_TIMEOUT", 13*time.Second)
	if c.GraphMaxWait >= c.GraphTimeout {
		r.bad("LANGCARD_GRAPH_MAX_WAIT", "%v must be shorter than LANGCARD_GRAPH_TIMEOUT (%v): a save waits on throttling inside the time it may take", c.GraphMaxWait, c.GraphTimeout)
	}
	if err := c.LogLevel.UnmarshalText([]byte(r.get("LANGCARD_LOG_LEVEL", "info"))); err != nil {
		r.bad("LANGCARD_LOG_LEVEL", "must be debug, info, warn or error")
	}
	switch f := r.get("LANGCARD_LOG_FORMAT", "text"); f {
	case "text":
	case "json":
		c.LogJSON = true
	default:
		r.bad("LANGCARD_LOG_FORMAT", "%q is not text or json", f)
	}
	if c.MetricsAddr = r.get("LANGCARD_METRICS_ADDR", ""); c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			r.bad("LANGCARD_METRICS_ADDR", "%q is not host:port", c.MetricsAddr)
		}
	}
	defDrain := 5 * time.Second
	if c.Demo {
		defDrain = 0
	}
	c.DrainDelay = durationOrZero(r.getenv, "LANGCARD_DRAIN_DELAY", defDrain, r.bad)
	c.ShutdownTimeout = r.duration("LANGCARD_SHUTDOWN_TIMEOUT", 25*time.Second)
	if need := c.IdPTimeout + c.GraphTimeout + ShutdownMargin; c.ShutdownTimeout < need {
		r.bad("LANGCARD_SHUTDOWN_TIMEOUT", "%v is shorter than a request may take (LANGCARD_IDP_TIMEOUT %v + LANGCARD_GRAPH_TIMEOUT %v + %v): a save in flight at shutdown would be cut; set at least %v, or shorten those", c.ShutdownTimeout, c.IdPTimeout, c.GraphTimeout, ShutdownMargin, need)
	}
}

// durationOrZero is duration, but 0 is allowed.
func durationOrZero(getenv func(string) string, name string, def time.Duration, bad func(string, string, ...any)) time.Duration {
	if v := getenv(name); v == "0" || v == "0s" {
		return 0
	}
	return duration(getenv, name, def, bad)
}

func duration(getenv func(string) string, name string, def time.Duration, bad func(string, string, ...any)) time.Duration {
	v := getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		bad(name, "%q is not a positive duration such as 90s or 2h", v)
		return def
	}
	return d
}

func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

func parseOrigin(s string) (*url.URL, error) {
	u, err := parseURL(s)
	if err != nil {
		return nil, err
	}
	if u.Path != "" {
		return nil, fmt.Errorf("%q must have no path", s)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isTenant(s string) bool {
	for _, c := range s {
		if !(c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return len(s) <= 256
}

// Entra's built-in role template ids (the same in every tenant) that
// LANGCARD_ADMIN_ROLES names by default.
const (
	GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
	UserAdministrator   = "fe930be7-5e62-47db-91af-98c3a49a38b1"
)

// ShutdownMargin is what a request needs at shutdown beyond its calls to
// the identity provider and Graph (rendering, the session's save).
const ShutdownMargin = 2 * time.Second
