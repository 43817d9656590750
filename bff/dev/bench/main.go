// Command bench measures the langcard editor page in headless Chromium
// against a plain-JavaScript card written only as the baseline, in the
// same run: the time from navigation to the first visible card (Element
// Timing), to the first card that accepts input (the "langcard-interactive"
// mark: the loader's Edit works and what is typed is kept), and to the
// widget's hydration (validation as one types, saving in place), with a
// cold cache and a warm one, median of the runs; then the ratios and the
// transfer sizes. make bench runs it.
package main

import (
	"context"
	_ "embed"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"langcard/bff/app"
	"langcard/bff/config"
	"langcard/bff/demo"
	"langcard/bff/dev/chromium"
	"langcard/bff/graph/graphfake"
	"langcard/static"
	"langcard/web/langprof"
)

//go:embed baseline.js
var baselineJS []byte

// observe records, in every page, when the first card became visible.
const observe = `window.__visible = 0;
new PerformanceObserver(list => {
	for (const e of list.getEntries()) if (e.identifier === "card" && !window.__visible) window.__visible = e.renderTime || e.loadTime;
}).observe({type: "element", buffered: true});
window.__logged = [];
for (const k of ["error", "warn"]) { const o = console[k]; console[k] = (...a) => { window.__logged.push(a.map(String).join(" ")); o.apply(console, a); }; }`

func main() {
	// 45 loads of each page in each state: a single load moves by tens of
	// milliseconds here, and with 15 the same code's ratio to the baseline
	// moved by ±0.15 from run to run; with 45 its interval is half as wide.
	runs := flag.Int("runs", 45, "runs of each page in each cache state (at least 7)")
	part := flag.String("part", "all", "what to measure: all, proxy (the BFF against a bare proxy), browser, or editor (what the editor page's first card waits for: not part of all)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*runs, *part); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(runs int, part string) error {
	if runs < 7 {
		return errors.New("-runs must be at least 7")
	}
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	// The embedded card runs on an intranet page of its own origin.
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	env := map[string]string{
		"LANGCARD_PUBLIC_URL": "http://" + ln.Addr().String(), "LANGCARD_COOKIE_KEY": base64.StdEncoding.EncodeToString(make([]byte, 32)),
		"LANGCARD_EMBED_ORIGINS": "http://" + iln.Addr().String(),
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	// The demo's people, and 20 colleagues for the team page.
	people := append([]demo.Person{}, demo.People...)
	for i := range teamSize {
		people = append(people, demo.Person{Person: graphfake.Person{ID: fmt.Sprintf("7e57c0de-0000-4000-8000-%012d", i), DisplayName: fmt.Sprintf("Colleague %d", i), UPN: fmt.Sprintf("colleague%d@contoso.example", i)}})
	}
	denv, err := demo.StartWith(ctx, "http://"+ln.Addr().String(), people)
	if err != nil {
		return err
	}
	defer denv.Close()
	for _, p := range people[len(demo.People):] {
		denv.Graph.Seed(p.ID, langprof.LanguageProficiency{ID: "b0" + p.ID[2:], Tag: "de", DisplayName: "German", AllowedAudiences: langprof.Organization, Spoken: langprof.Conversational})
	}
	a, err := app.NewReplica(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), denv)
	if err != nil {
		return err
	}
	assets, err := static.Load(static.FS)
	if err != nil || assets.URL(static.Widget) == "" {
		return errors.New("the widget is not built: run make widget")
	}
	mux := http.NewServeMux()
	mux.Handle("/", a.Handler)
	// The baseline page gets the same security headers as langcard's pages.
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	mux.HandleFunc("GET /bench/baseline", func(w http.ResponseWriter, r *http.Request) {
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			w.Header().Set(h, rec.Header().Get(h))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>baseline</title><link rel="stylesheet" href="%s"><script src="/bench/baseline.js" defer></script></head><body><main id="cards"></main></body></html>`, assets.URL(static.CSS))
	})
	// The same plain-JavaScript card on the demo intranet page, in place of
	// the viewer's <language-card> (the page's others left out): what the
	// host page's own first frame costs any card on it.
	mux.HandleFunc("GET /bench/intranet-baseline", func(w http.ResponseWriter, r *http.Request) {
		page := intranetWith("", `<link rel="stylesheet" href="`+assets.URL(static.CSS)+`"><script src="/bench/baseline.js" defer></script>`, `<div id="cards" data-mark></div>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	mux.HandleFunc("GET /bench/baseline.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Cache-Control", static.CacheVersioned)
		w.Write(baselineJS)
	})
	mux.HandleFunc("GET /bench/editor/{cuts}", editorCut(a.Handler))
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	base := cfg.PublicURL.String()
	imux := http.NewServeMux()
	imux.Handle("/", demo.Intranet(base))
	imux.HandleFunc("GET /team/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		n = min(teamSize, max(1, n))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Team</title><script src="%s/static/embed.js" async></script></head><body><main>`, base)
		for i := range n {
			fmt.Fprintf(w, `<language-card user="%s" layout="compact"></language-card>`, people[len(demo.People)+i].UPN)
		}
		fmt.Fprint(w, `</main></body></html>`)
	})
	// The same plain-JavaScript card embedded as langcard's card is: on the
	// intranet's origin, one async script from the BFF's in place of
	// embed.js, drawing in the viewer's <language-card> (the others left
	// out, as above).
	imux.HandleFunc("GET /bench/plain-embedded", func(w http.ResponseWriter, r *http.Request) {
		tag := fmt.Sprintf(`<script src="%s/bench/baseline.js" data-embedded data-css="%s%s" async></script>`, base, base, assets.URL(static.CSS))
		page := intranetWith(base, tag, `<language-card></language-card>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	isrv := &http.Server{Handler: imux}
	go isrv.Serve(iln)
	defer isrv.Close()

	if part == "all" || part == "proxy" {
		if err := proxyPart(ctx, denv, env, base); err != nil {
			return err
		}
		if part == "proxy" {
			return nil
		}
	}
	bctx, cancel, err := browser(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/login?login_hint="+demo.Innocenty.UPN)); err != nil {
		return err
	}
	if part == "editor" {
		return editorBench(bctx, base, runs)
	}
	if ui, err := browserPages(bctx, base+"/bench/baseline"); err != nil {
		return err
	} else if len(ui) > 0 {
		fmt.Printf("**Warning: Chromium loads pages of its own beside each tab (%s); they take the same two cores, so the figures below are slower and noisier than they should be. Turn them off in bff/dev/chromium.**\n\n", strings.Join(ui, ", "))
	}

	pages := []struct{ name, url string }{
		{"langcard editor", base + "/"},
		{"embedded card", "http://" + iln.Addr().String() + "/"},
		{"plain-JS baseline", base + "/bench/baseline"},
		{"plain-JS card in the intranet page's head", base + "/bench/intranet-baseline"},
		{"plain-JS card embedded the same way", "http://" + iln.Addr().String() + "/bench/plain-embedded"},
	}
	// Pages alternate within each run, so drift on a shared machine falls
	// on both alike.
	results := map[string][3][]float64{}
	for _, cold := range []bool{true, false} {
		cache := map[bool]string{true: " cold", false: " warm"}[cold]
		if !cold {
			// Prime the cache as a person would: open each page and stay a
			// few seconds (Chromium writes its WebAssembly code cache once
			// the module has tiered up, a moment after it starts).
			for _, p := range pages {
				if _, _, _, err := measure(bctx, p.url, false, 4*time.Second); err != nil {
					return fmt.Errorf("%s: %w", p.name, err)
				}
			}
		}
		for range runs {
			for _, p := range pages {
				v, i, h, err := measure(bctx, p.url, cold, 0)
				if err != nil {
					return fmt.Errorf("%s: %w", p.name, err)
				}
				r := results[p.name+cache]
				results[p.name+cache] = [3][]float64{append(r[0], v), append(r[1], i), append(r[2], h)}
			}
		}
	}

	fmt.Printf("Headless Chromium, loopback, median of %d runs (ms from navigation):\n\n", runs)
	fmt.Printf("| page | cache | first visible card | first interactive card | widget hydrated |\n|---|---|---:|---:|---:|\n")
	for _, cache := range []string{"cold", "warm"} {
		for _, p := range pages {
			r := results[p.name+" "+cache]
			fmt.Printf("| %s | %s | %.0f | %.0f | %.0f |\n", p.name, cache, median(r[0]), median(r[1]), median(r[2]))
		}
	}
	// A load's time moves by tens of milliseconds on a shared machine: each
	// ratio comes with the 90% interval of its bootstrap (both sets of loads
	// resampled), so that one run says how far its figure can be trusted.
	fmt.Printf("\n| ratio to the baseline | cold | warm | goal |\n|---|---:|---:|---|\n")
	for _, p := range pages[:2] {
		for i, what := range []string{"first visible card", "first interactive card", "widget hydrated"} {
			// The baseline's card is whole when it is interactive.
			base := min(i, 1)
			var cells [2]string
			for j, cache := range []string{" cold", " warm"} {
				cells[j] = ratioCell(results[p.name+cache][i], results["plain-JS baseline"+cache][base])
			}
			goal := []string{"≤ 1.1", "≤ 2.5 cold, ≤ 2 warm", "(none: what the WebAssembly adds)"}[i]
			fmt.Printf("| %s: %s | %s | %s | %s |\n", p.name, what, cells[0], cells[1], goal)
		}
	}
	// The embedded card against the same plain-JS card on the same page,
	// all timed by the frame their cards are inserted in: put in the host
	// page's head (its stylesheet holds the page's first frame until its
	// card is drawn), and embedded as langcard's card is (one async script
	// from the BFF, a shadow root, nothing holding the host page back).
	for _, b := range []struct{ page, goal string }{
		{"plain-JS card in the intranet page's head", ""},
		{"plain-JS card embedded the same way", "≤ 1.1"},
	} {
		var cells [2]string
		for j, cache := range []string{" cold", " warm"} {
			cells[j] = ratioCell(results["embedded card"+cache][0], results[b.page+cache][0])
		}
		fmt.Printf("| embedded card: first visible card, to the %s | %s | %s | %s |\n", b.page, cells[0], cells[1], b.goal)
	}
	if err := teamBench(bctx, "http://"+iln.Addr().String(), denv.Graph, runs); err != nil {
		return err
	}
	fmt.Printf("\nWidget transfer (brotli bytes):\n\n| asset | plain | brotli | gzip |\n|---|---:|---:|---:|\n")
	total := 0
	for _, name := range []string{static.Widget, static.Script, static.CSS} {
		plain, br, gz := assets.Sizes(name)
		total += br
		fmt.Printf("| %s | %d | %d | %d |\n", name, plain, br, gz)
	}
	fmt.Printf("| **total** | | **%d** (%.1f KB; budget 480 KB; Go runtime alone 440 KB) | |\n", total, float64(total)/1000)
	return nil
}

// intranetWith is the demo intranet page (embedding the BFF at base) with
// script in place of embed.js's tag and card in place of the viewer's
// <language-card>, the page's other cards left out.
func intranetWith(base, script, card string) string {
	rec := httptest.NewRecorder()
	demo.Intranet(base).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	page := strings.Replace(rec.Body.String(), `<script src="`+base+`/static/embed.js" async></script>`, script, 1)
	page = strings.Replace(page, `<language-card></language-card>`, "\x00", 1)
	page = regexp.MustCompile(`<language-card[^>]*></language-card>`).ReplaceAllString(page, "")
	return strings.Replace(page, "\x00", card, 1)
}

// proxyPart measures the BFF, and two replicas of it on one Redis behind
// a loopback balancer, against a bare token-adding reverse proxy.
func proxyPart(ctx context.Context, denv *demo.Env, env map[string]string, base string) error {
	bffs := []setup{{name: "langcard BFF", url: base}}
	if redisURL, stop, err := startRedis(); err != nil {
		fmt.Printf("\n(two replicas not measured: %v)\n", err)
	} else {
		defer stop()
		lbln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		lb := "http://" + lbln.Addr().String()
		var origins []string
		for range 2 {
			renv := maps.Clone(env)
			renv["LANGCARD_PUBLIC_URL"], renv["LANGCARD_REDIS_URL"] = lb, redisURL
			cfg, err := config.Load(func(k string) string { return renv[k] })
			if err != nil {
				return err
			}
			a, err := app.NewReplica(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), denv)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			srv := &http.Server{Handler: a.Handler}
			go srv.Serve(ln)
			defer srv.Close()
			origins = append(origins, "http://"+ln.Addr().String())
		}
		defer balancer(lbln, origins)()
		bffs = append(bffs, setup{name: "two replicas (Redis, loopback balancer)", url: lb, balanced: true})
	}
	return proxyBench(ctx, denv, bffs, 5, 2*time.Second)
}

// startRedis starts a redis-server on a free loopback port.
func startRedis() (string, func(), error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", nil, errors.New("redis-server not found")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	dir, err := os.MkdirTemp("", "langcard-bench-redis")
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait(); os.RemoveAll(dir) }
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			c.Close()
			return "redis://127.0.0.1:" + port + "/0", stop, nil
		}
		if i == 100 {
			stop()
			return "", nil, errors.New("redis-server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// teamSize is how many colleagues the team page shows.
const teamSize = 20

// teamBench loads a page of one colleague's card and one of 20, and says
// how many Graph requests each made (the first load, nothing cached) and
// when its first card became visible (median, the BFF's 60-second
// colleague cache warm after the first load).
func teamBench(ctx context.Context, intranet string, g *graphfake.Server, runs int) error {
	fmt.Printf("\nColleagues' cards on an intranet page (read-only, one request from the page):\n\n| page | Graph requests (first load) | first visible card (ms, median) |\n|---|---:|---:|\n")
	var times [2][]float64
	for i, n := range []int{1, teamSize} {
		g.ResetRequests()
		for run := range runs {
			v, err := measureVisible(ctx, fmt.Sprintf("%s/team/%d", intranet, n))
			if err != nil {
				return fmt.Errorf("team page of %d: %w", n, err)
			}
			if run == 0 {
				reqs := g.Requests()
				batches := 0
				for _, r := range reqs {
					if r.EscapedPath == "/beta/$batch" {
						batches++
					}
				}
				fmt.Printf("| %d colleague(s) | %d (%d JSON batch) | ", n, len(reqs), batches)
			}
			times[i] = append(times[i], v)
		}
		fmt.Printf("%.0f |\n", median(times[i]))
	}
	fmt.Printf("| ratio, 20 to 1 | | %.2fx |\n", median(times[1])/median(times[0]))
	return nil
}

// measureVisible loads url in a new tab and returns when its first card
// became visible, in ms since navigation.
func measureVisible(ctx context.Context, url string) (float64, error) {
	tab, closeTab := chromedp.NewContext(ctx)
	defer closeTab()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		return 0, err
	}
	tctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	return chromedp.Run(tctx, chromedp.Poll[float64](`(performance.getEntriesByName("langcard-visible")[0] || {}).startTime || null`, chromedp.WithPollingInterval(10*time.Millisecond)))
}

// measure loads url once in a new tab and returns when its first card
// became visible and when it first accepted input, in ms since navigation;
// the tab stays open for dwell after that.
func measure(ctx context.Context, url string, cold bool, dwell time.Duration) (visible, interactive, hydrated float64, err error) {
	tab, closeTab, err := openLoad(ctx, url, cold)
	if err != nil {
		return 0, 0, 0, err
	}
	defer closeTab()
	tctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	for {
		res, err := chromedp.Run(tctx, chromedp.Poll[[]float64](`(() => {
			const m = performance.getEntriesByName("langcard-interactive")[0];
			// The baseline has no widget to hydrate: its card is whole at once.
			const h = window.langcard ? performance.getEntriesByName("langcard-hydrated")[0] : m;
			// Element Timing does not see into shadow roots: the embedded card
			// (and the plain-JS one on the same page) marks the frame it is
			// inserted in instead.
			const v = (performance.getEntriesByName("langcard-visible")[0] || {}).startTime || window.__visible;
			return v && m && h ? [v, m.startTime, h.startTime] : null;
		})()`, chromedp.WithPollingInterval(10*time.Millisecond)))
		if err == nil {
			time.Sleep(dwell)
			return res[0], res[1], res[2], nil
		}
		// The page may still be swapping its execution context; ask again.
		if tctx.Err() != nil || !strings.Contains(err.Error(), "context") {
			state, _ := chromedp.Run(tab, chromedp.Evaluate[string](`location.href + " " + JSON.stringify(performance.getEntriesByType("mark").map(m => m.name)) + " " + window.__visible + " " + JSON.stringify(window.__logged) + " " + document.querySelectorAll("script[data-embedded]").length + " " + JSON.stringify(window.langcard && window.langcard.roots.length)`))
			return 0, 0, 0, fmt.Errorf("%w (page: %s)", err, state)
		}
	}
}

// openLoad opens url in a new tab, the browser's cache emptied first if cold,
// with observe in the page; the tab is closed by the function returned.
func openLoad(ctx context.Context, url string, cold bool) (context.Context, func(), error) {
	if cold {
		if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
			return nil, nil, err
		}
	}
	// Each load in a tab of its own, so that every page starts alike (the
	// renderer process a tab gets depends on what it showed before).
	tab, closeTab := chromedp.NewContext(ctx)
	if err := chromedp.Do(tab); err != nil {
		closeTab()
		return nil, nil, err
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: observe}); err != nil {
		closeTab()
		return nil, nil, err
	}
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		closeTab()
		return nil, nil, err
	}
	return tab, closeTab, nil
}

// browserPages opens url in a new tab, as each measured load does, and
// returns the pages Chromium loads of its own beside it (its WebUI:
// chrome:// URLs, such as the omnibox popup that Chromium 156 loads twice
// for every new tab even when headless).
func browserPages(ctx context.Context, url string) ([]string, error) {
	tab, closeTab, err := openLoad(ctx, url, false)
	if err != nil {
		return nil, err
	}
	defer closeTab()
	// Chromium starts its own pages in the moments after a tab opens.
	time.Sleep(time.Second)
	res, err := chromedp.CallBrowser(tab, target.GetTargets, target.GetTargetsParams{})
	if err != nil {
		return nil, err
	}
	var ui []string
	for _, t := range res.TargetInfos {
		if strings.HasPrefix(t.URL, "chrome://") || t.Type == "browser_ui" {
			ui = append(ui, t.URL)
		}
	}
	return ui, nil
}

// ratioCell is median(a)/median(b) with its 90% interval, as the tables
// print it.
func ratioCell(a, b []float64) string {
	lo, hi := ratioInterval(a, b)
	return fmt.Sprintf("%.2fx (%.2f–%.2f)", median(a)/median(b), lo, hi)
}

// ratioInterval is the 90% bootstrap interval of median(a)/median(b):
// both samples drawn again with replacement, 2,000 times.
func ratioInterval(a, b []float64) (lo, hi float64) {
	r := rand.New(rand.NewPCG(1, 2))
	draw := func(xs []float64) float64 {
		s := make([]float64, len(xs))
		for i := range s {
			s[i] = xs[r.IntN(len(xs))]
		}
		return median(s)
	}
	const n = 2000
	ratios := make([]float64, n)
	for i := range ratios {
		ratios[i] = draw(a) / draw(b)
	}
	slices.Sort(ratios)
	return ratios[n*5/100], ratios[n*95/100]
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func browser(ctx context.Context) (context.Context, func(), error) {
	path := chromium.Path()
	if path == "" {
		return nil, nil, errors.New("chromium not found (apt-get install chromium)")
	}
	dir, err := os.MkdirTemp("", "langcard-bench-")
	if err != nil {
		return nil, nil, err
	}
	opts := chromium.Options(path, dir)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	return bctx, func() { bcancel(); acancel(); os.RemoveAll(dir) }, nil
}
