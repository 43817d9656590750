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
	"syscall"
	"time"

	"langcard/bff/app"
	"langcard/bff/config"
	"langcard/bff/demo"
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
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var intranet net.Listener
	var intranetAddr net.Addr
	if cfg.Demo && cfg.DemoIntranetAddr != "" {
		if intranet, err = net.Listen("tcp", cfg.DemoIntranetAddr); err != nil {
			return fmt.Errorf("the demo intranet page: %w", err)
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
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
