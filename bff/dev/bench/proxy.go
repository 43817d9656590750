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

// proxyBench measures a PATCH through the BFF against the same PATCH
// through a bare token-adding reverse proxy to the same Graph emulator,
// with the same token, interleaved round after round, and prints
// throughput and p50/p99 for both. bffs name the BFF setups by their
// public URLs (a replica set: its balancer's).
func proxyBench(ctx context.Context, env *demo.Env, bffs [][2]string, rounds int, round time.Duration) error {
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

	targets := map[string]func() (*http.Client, string, error){
		"bare reverse proxy": func() (*http.Client, string, error) {
			return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}, "http://" + pln.Addr().String(), nil
		},
	}
	order := []string{"bare reverse proxy"}
	for _, b := range bffs {
		name, front := b[0], b[1]
		targets[name] = func() (*http.Client, string, error) {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
			resp, err := c.Get(front + "/login?login_hint=" + demo.Innocenty.UPN)
			if err != nil {
				return nil, "", err
			}
			resp.Body.Close()
			return c, front, nil
		}
		order = append(order, name)
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
	base := results["bare reverse proxy"]
	for _, name := range order {
		l := results[name]
		slices.Sort(l.latencies)
		fmt.Printf("| %s | %.0f | %.2f ms | %.2f ms | %d |\n", name, float64(l.n)/l.elapsed.Seconds(), ms(pct(l.latencies, .5)), ms(pct(l.latencies, .99)), l.errors)
	}
	for _, name := range order[1:] {
		l := results[name]
		fmt.Printf("\n%s: %.2fx the bare proxy's throughput, p50 %+.2f ms, p99 %+.2f ms (goal ≥ 0.8x, p99 ≤ +1 ms).\n", name,
			(float64(l.n)/l.elapsed.Seconds())/(float64(base.n)/base.elapsed.Seconds()),
			ms(pct(l.latencies, .5)-pct(base.latencies, .5)), ms(pct(l.latencies, .99)-pct(base.latencies, .99)))
	}
	return nil
}

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
// origins.
func balancer(ln net.Listener, origins []string) {
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
	go (&http.Server{Handler: lb}).Serve(ln)
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
