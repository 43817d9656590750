// Package app wires the BFF from its configuration: in demo mode it starts
// the demo identity provider and Graph emulator first; with a tenant it
// discovers Entra ID. main and the end-to-end tests both build it here, so
// the tests run what ships.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/redis/go-redis/v9"

	"langcard/bff/auth"
	"langcard/bff/config"
	"langcard/bff/demo"
	"langcard/bff/graph"
	"langcard/bff/metrics"
	"langcard/bff/recent"
	"langcard/bff/server"
	"langcard/bff/session"
	"langcard/static"
	"langcard/templates"
)

// App is a wired BFF.
type App struct {
	Handler http.Handler
	// Metrics are served on the metrics listener (LANGCARD_METRICS_ADDR).
	Metrics  *metrics.Metrics
	server   *server.Server
	Sessions *scs.SessionManager
	// Demo is the demo environment (nil with a tenant).
	Demo  *demo.Env
	owned bool // Demo was started by this App
	// closers release what New opened (the Redis client).
	closers []func() error
}

// New builds the BFF described by cfg.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	return NewReplica(ctx, cfg, log, nil)
}

// NewReplica builds the BFF in demo mode on an existing demo environment,
// as another replica of the same deployment (env nil: start one).
func NewReplica(ctx context.Context, cfg config.Config, log *slog.Logger, env *demo.Env) (*App, error) {
	a := &App{Metrics: metrics.New()}
	var people []templates.DemoPerson
	if cfg.Demo {
		if env == nil {
			var err error
			if env, err = demo.Start(ctx, cfg.PublicURL.String()); err != nil {
				return nil, fmt.Errorf("starting demo mode: %w", err)
			}
			a.owned = true
		}
		a.Demo = env
		env.IdP.RegisterBFF(cfg.PublicURL.String())
		var err error
		if cfg, err = cfg.WithDemoPeers(env.IdP.Issuer(), env.IdP.ClientID(), env.IdP.ClientSecret(), env.GraphURL); err != nil {
			return nil, err
		}
		for _, p := range demo.People {
			note := ""
			switch {
			case p.Administrator():
				note = "signin.demoAdministrator"
			case len(p.Roles) > 1:
				note = "signin.demoPeopleAdministrator"
			}
			people = append(people, templates.DemoPerson{DisplayName: p.DisplayName, UPN: p.UPN, Note: note})
		}
	}
	var provider *oidc.Provider
	var err error
	if cfg.Demo {
		discoverCtx, cancel := context.WithTimeout(ctx, discoverTimeout)
		defer cancel()
		if provider, err = oidc.NewProvider(discoverCtx, cfg.Issuer()); err != nil {
			return nil, fmt.Errorf("discovering the identity provider at %s: %w", cfg.Issuer(), err)
		}
	} else if provider, _, err = Discover(ctx, cfg); err != nil {
		return nil, err
	}

	var store scs.Store = memstore.New()
	var locker auth.Locker
	var writes recent.Store
	var changes recent.Changes
	var created server.CreatedStore
	if cfg.RedisURL != "" {
		rc, err := redisClient(cfg.RedisURL)
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, rc.Close)
		store = goredisstore.NewWithPrefix(rc, "langcard:session:")
		locker = redisLocker{rc}
		writes = recent.NewRedis(rc, "langcard:recent:")
		changes = recent.NewRedisChanges(rc, "langcard:changes:", recent.TTL)
		created = server.RedisCreated{C: rc, Prefix: "langcard:created:"}
	}
	sm := session.New(store, cfg.SessionLifetime, cfg.SessionIdle)
	sm.Cookie.Name = "langcard"
	if cfg.Secure() {
		sm.Cookie.Name = "__Host-langcard"
	}
	sm.Cookie.HttpOnly, sm.Cookie.Secure, sm.Cookie.SameSite, sm.Cookie.Path = true, cfg.Secure(), http.SameSiteLaxMode, "/"
	a.Sessions = sm

	au, err := auth.New(auth.Options{
		Provider: provider, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Scopes: cfg.Scopes,
		PublicURL: cfg.PublicURL, Sessions: sm, Store: store, CookieKey: cfg.CookieKey, Secure: cfg.Secure(),
		EmbedOrigins: cfg.EmbedOrigins, Logger: log, IdPTimeout: cfg.IdPTimeout, Metrics: a.Metrics, Locker: locker,
		OptionalScopes: []string{auth.ScopeReadOthers},
		AdminRoles:     cfg.AdminRoles,
	})
	if err != nil {
		return nil, err
	}
	assets, err := static.Load(static.FS)
	if err != nil {
		return nil, fmt.Errorf("loading static assets: %w", err)
	}
	a.server = server.New(server.Options{
		Logger: log, Auth: au, Sessions: sm, SessionIdle: cfg.SessionIdle, GraphTimeout: cfg.GraphTimeout, Recent: writes, Changes: changes, Created: created,
		Graph: &graph.Client{BaseURL: cfg.GraphBaseURL, MaxWait: cfg.GraphMaxWait, Metrics: a.Metrics}, Metrics: a.Metrics,
		PublicURL: cfg.PublicURL, EmbedOrigins: cfg.EmbedOrigins, DemoPeople: people, Assets: assets,
		Ready: func(ctx context.Context) error {
			_, _, err := session.Ctx(sm.Store).FindCtx(ctx, "readiness-probe")
			return err
		},
	})
	a.Handler = a.server
	return a, nil
}

// Drain starts a graceful shutdown: /readyz answers 503 from now on.
func (a *App) Drain() { a.server.Drain() }

// Close stops what New started.
func (a *App) Close() error {
	var errs []error
	for _, c := range a.closers {
		errs = append(errs, c())
	}
	if a.owned {
		errs = append(errs, a.Demo.Close())
	}
	return errors.Join(errs...)
}

// redisClient connects to Redis with short timeouts, so a Redis outage
// answers 503 quickly rather than hanging requests.
func redisClient(url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("LANGCARD_REDIS_URL: %w", err)
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 2*time.Second, 2*time.Second, 2*time.Second
	// One retry of a command, and one dial of a connection: go-redis dials
	// five times by default, which made every operation wait most of a
	// second while Redis was down.
	opt.MaxRetries, opt.DialerRetries = 1, 1
	return redis.NewClient(opt), nil
}
