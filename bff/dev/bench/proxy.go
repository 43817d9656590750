package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"langcard/bff/demo"
)

// proxyConcurrency is how many PATCHes are in flight at once.
const proxyConcurrency = 32

// load is one measured stretch of PATCHes against one endpoint.
type load struct {
	n         int64
	latencies []time.Duration
	errors    int64
	elapsed   time.Duration
}

// bareName is the bare proxy's row; balancedName, the same proxy behind
// the replicas' kind of balancer.
const (
	bareName     = "bare reverse proxy"
	balancedName = "bare reverse proxy behind the same balancer"
)

// setup is one BFF setup to measure: its row's name, its public URL (a
// replica set: its balancer's), and whether it sits behind a balancer, in
// which case it is compared with the bare proxy behind the same kind of
// balancer (the hop costs both alike) and no goal applies.
type setup struct {
	name, url string
	balanced  bool
}

// proxyBench measures a PATCH through the BFF setups against the same
// PATCH through a bare token-adding reverse proxy to the same Graph
// emulator, with the same token, interleaved round after round, and prints
// throughput and p50/p99 for each.
func proxyBench(ctx context.Context, env *demo.Env, bffs []setup, rounds int, round time.Duration) error {
	tok, err := env.IdP.Login(ctx, demo.Innocenty.UPN, "User.ReadWrite")
	if err != nil {
		return err
	}
	graphURL, _ := url.Parse(env.GraphURL)
	// The bare proxy: the same path rewrite and token, a tuned transport.
	bare := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(graphURL)
			id := strings.TrimPrefix(r.In.URL.Path, "/api/me/languages/")
			r.Out.URL.Path = graphURL.Path + "/me/profile/languages/" + id
			r.Out.URL.RawPath = ""
			r.Out.Header = http.Header{"Authorization": {"Bearer " + tok.AccessToken}, "Content-Type": {"application/json"}}
		},
		Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second},
	}
	pln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	psrv := &http.Server{Handler: bare}
	go psrv.Serve(pln)
	defer psrv.Close()
	plain := func(base string) func() (*http.Client, string, error) {
		return func() (*http.Client, string, error) {
			return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}, base, nil
		}
	}
	targets := map[string]func() (*http.Client, string, error){bareName: plain("http://" + pln.Addr().String())}
	order := []string{bareName}
	if slices.ContainsFunc(bffs, func(b setup) bool { return b.balanced }) {
		// Two origins, as for the replicas: both the one bare proxy.
		lbln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		stop := balancer(lbln, []string{"http://" + pln.Addr().String(), "http://" + pln.Addr().String()})
		defer stop()
		targets[balancedName] = plain("http://" + lbln.Addr().String())
		order = append(order, balancedName)
	}
	for _, b := range bffs {
		targets[b.name] = func() (*http.Client, string, error) {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
			resp, err := c.Get(b.url + "/login?login_hint=" + demo.Innocenty.UPN)
			if err != nil {
				return nil, "", err
			}
			resp.Body.Close()
			return c, b.url, nil
		}
		order = append(order, b.name)
	}
	clients := map[string]*http.Client{}
	bases := map[string]string{}
	for _, name := range order {
		c, base, err := targets[name]()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		clients[name], bases[name] = c, base
	}
	results := map[string]*load{}
	for r := range rounds {
		for _, name := range order {
			l := run32(ctx, clients[name], bases[name], round, r)
			agg := results[name]
			if agg == nil {
				agg = &load{}
				results[name] = agg
			}
			agg.n += l.n
			agg.errors += l.errors
			agg.elapsed += l.elapsed
			agg.latencies = append(agg.latencies, l.latencies...)
		}
	}
	fmt.Printf("\nA PATCH, %d in flight, %d interleaved rounds of %s each, against the demo's Graph emulator:\n\n", proxyConcurrency, rounds, round)
	fmt.Printf("| path | PATCHes/s | p50 | p99 | errors |\n|---|---:|---:|---:|---:|\n")
	for _, name := range order {
		l := results[name]
		slices.Sort(l.latencies)
		fmt.Printf("| %s | %.0f | %.2f ms | %.2f ms | %d |\n", name, l.rate(), ms(pct(l.latencies, .5)), ms(pct(l.latencies, .99)), l.errors)
	}
	for _, b := range bffs {
		l, base, against, goal := results[b.name], results[bareName], "the bare proxy", " (goal ≥ 0.8x, p99 ≤ +1 ms)"
		if b.balanced {
			base, against = results[balancedName], "the bare proxy behind the same balancer"
			goal = " (no goal: it adds Redis round trips on the same two cores)"
		}
		fmt.Printf("\n%s: %.2fx %s's throughput, p50 %+.2f ms, p99 %+.2f ms%s.\n", b.name, l.rate()/base.rate(), against,
			ms(pct(l.latencies, .5)-pct(base.latencies, .5)), ms(pct(l.latencies, .99)-pct(base.latencies, .99)), goal)
	}
	return nil
}

// rate is the PATCHes a second.
func (l *load) rate() float64 { return float64(l.n) / l.elapsed.Seconds() }

// run32 sends PATCHes from proxyConcurrency workers for d.
func run32(ctx context.Context, c *http.Client, base string, d time.Duration, round int) *load {
	l := &load{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	start := time.Now()
	levels := []string{"elementary", "conversational"}
	for w := range proxyConcurrency {
		wg.Go(func() {
			for i := 0; time.Now().Before(stop) && ctx.Err() == nil; i++ {
				body := `{"written":"` + levels[(i+w+round)%2] + `"}`
				req, _ := http.NewRequestWithContext(ctx, "PATCH", base+"/api/me/languages/"+demo.ExampleID, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-CSRF", "1")
				req.Header.Set("Origin", base)
				t := time.Now()
				resp, err := c.Do(req)
				lat := time.Since(t)
				ok := err == nil && resp.StatusCode == 200
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				atomic.AddInt64(&l.n, 1)
				if !ok {
					atomic.AddInt64(&l.errors, 1)
				}
				mu.Lock()
				l.latencies = append(l.latencies, lat)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	l.elapsed = time.Since(start)
	return l
}

// balancer serves, on ln, a round-robin loopback balancer in front of
// origins, until stop is called.
func balancer(ln net.Listener, origins []string) (stop func()) {
	var next atomic.Uint64
	var urls []*url.URL
	for _, o := range origins {
		u, _ := url.Parse(o)
		urls = append(urls, u)
	}
	lb := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(urls[next.Add(1)%uint64(len(urls))])
			r.Out.Host = r.In.Host
			r.SetXForwarded()
		},
		Transport: &http.Transport{MaxIdleConnsPerHost: 256},
	}
	srv := &http.Server{Handler: lb}
	go srv.Serve(ln)
	return func() { srv.Close() }
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
