// Command bff is langcard's backend-for-frontend: it signs people in,
// keeps their tokens on the server, serves the editor pages and the
// widget's JSON API, and forwards validated partial PATCHes to Microsoft
// Graph. With no tenant configured it runs in demo mode.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"langcard/bff/app"
	"langcard/bff/config"
	"langcard/bff/demo"
	"langcard/bff/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "langcard:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet(args[0], flag.ContinueOnError)
	flags.SetOutput(stderr)
	check := flags.Bool("check", false, "validate the configuration, print it, and exit")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	if *check {
		if !cfg.Demo {
			// The truth about the tenant needs its identity provider.
			_, issuer, err := app.Discover(ctx, cfg)
			if err != nil {
				return fmt.Errorf("configuration:\n%w", err)
			}
			cfg = cfg.WithIssuer(issuer)
		}
		fmt.Fprint(stdout, cfg.Describe())
		fmt.Fprintf(stdout, "configuration is valid (demo mode: %v, public URL: %s)\n", cfg.Demo, cfg.PublicURL)
		return nil
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	if cfg.LogJSON {
		handler = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	}
	log := slog.New(handler)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return listenError("LANGCARD_ADDR", cfg.Addr, err)
	}
	defer ln.Close()
	var intranet net.Listener
	var intranetAddr net.Addr
	if cfg.Demo && cfg.DemoIntranetAddr != "" {
		if intranet, err = net.Listen("tcp", cfg.DemoIntranetAddr); err != nil {
			return listenError("LANGCARD_DEMO_INTRANET_ADDR", cfg.DemoIntranetAddr, err)
		}
		defer intranet.Close()
		intranetAddr = intranet.Addr()
	}
	cfg = cfg.Listening(ln.Addr(), intranetAddr)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()

	fmt.Fprintf(stdout, "langcard listening on %s\n", cfg.PublicURL)
	if len(cfg.EmbedOrigins) > 0 {
		fmt.Fprintf(stdout, "intranet pages that may embed the cards (LANGCARD_EMBED_ORIGINS): %s\n", strings.Join(cfg.EmbedOrigins, " "))
	} else {
		fmt.Fprintf(stdout, "no intranet page may embed the cards yet: list their origins in LANGCARD_EMBED_ORIGINS\n")
	}
	if cfg.Demo {
		log.Warn("demo mode: plain http on loopback, so cookies are not Secure and drop the __Host- prefix; never expose this address")
		fmt.Fprintf(stdout, "demo mode: no tenant configured; sign in as one of:\n")
		for _, p := range demo.People {
			fmt.Fprintf(stdout, "  %s/login?login_hint=%s\n", cfg.PublicURL, p.UPN)
		}
		if intranet != nil {
			fmt.Fprintf(stdout, "demo intranet page embedding the widget: http://%s/\n", intranet.Addr())
			isrv := &http.Server{Handler: demo.Intranet(cfg.PublicURL.String()), ReadHeaderTimeout: 10 * time.Second}
			go isrv.Serve(intranet)
			defer isrv.Close()
		}
	}
	srv := &http.Server{
		Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("the metrics listener: %w", err)
		}
		msrv := &http.Server{Handler: metricsMux(a), ReadHeaderTimeout: 10 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
		fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", mln.Addr())
	}
	return serve(ctx, a, srv, ln, cfg, log)
}

// listenError says which variable moves a listener whose address is taken.
func listenError(variable, addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s is in use by another program: stop it, or set %s to another address (such as 127.0.0.1:0 for any free port)", addr, variable)
	}
	return fmt.Errorf("listening on %s (%s): %w", addr, variable, err)
}

// serve serves until ctx ends (SIGTERM), then shuts down gracefully: it
// says "not ready" for the drain delay, so load balancers stop sending
// requests, then stops accepting, and lets the requests in flight finish
// within the shutdown timeout.
func serve(ctx context.Context, a *app.App, srv *http.Server, ln net.Listener, cfg config.Config, log *slog.Logger) error {
	// Requests live in a context of their own: at shutdown, one still in
	// flight just before the deadline is told so and answered (503),
	// rather than cut (the configuration makes every request fit, with
	// ShutdownMargin to spare).
	base, stop := context.WithCancelCause(context.WithoutCancel(ctx))
	defer stop(nil)
	srv.BaseContext = func(net.Listener) context.Context { return base }
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Drain()
	log.Info("shutting down", "drain_delay", cfg.DrainDelay, "timeout", cfg.ShutdownTimeout)
	time.Sleep(cfg.DrainDelay)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	late := time.AfterFunc(max(cfg.ShutdownTimeout-config.ShutdownMargin/2, 0), func() { stop(server.ErrShuttingDown) })
	defer late.Stop()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// metricsMux serves /metrics (and nothing else) for the metrics listener.
func metricsMux(a *app.App) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.Metrics.Handler())
	return mux
}
