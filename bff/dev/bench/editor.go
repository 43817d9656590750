package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// editorCuts are the parts of the editor page that -part editor leaves
// out, one at a time and then all together, to say what the page's first
// card waits for. Each part runs from a marker of the templates' markup to
// the end marker after it (included, except a card's own </article>); a
// part the page no longer has fails the run rather than measuring the page
// as it is under another name.
var editorCuts = []struct {
	name  string
	parts [][2]string
}{
	{"the form to add a language", [][2]string{{`<section class="add"`, `</section>`}}},
	// Every card's; the new card's template keeps its own.
	{"the cards' hidden edit forms", [][2]string{{`<noscript class="later"><div class="edit-area" hidden>`, `</article>`}}},
	{"the header and the page's title", [][2]string{{`<a class="skip"`, `</header>`}, {`<h1>`, `</h1>`}}},
	{"the loader script", [][2]string{{`<script `, `</script>`}}},
	{"the language list and the new card's template", [][2]string{{`<noscript class="choices"`, `</noscript>`}, {`<noscript class="later"><template id="card-template">`, `</template></noscript>`}}},
}

// editorCombos are sets of editorCuts that -part editor also leaves out
// together: no one part moves the first card by more than the runs' noise,
// but two or three of them together may.
var editorCombos = [][]int{{0, 1}, {0, 1, 3}, {0, 1, 4}}

// cutPage returns page without the parts of the editorCuts named by
// which (indexes).
func cutPage(page string, which []int) (string, error) {
	for _, i := range which {
		if i < 0 || i >= len(editorCuts) {
			return "", fmt.Errorf("no part %d to leave out", i)
		}
		c := editorCuts[i]
		for _, p := range c.parts {
			n := 0
			for {
				// Only what comes before the new card's template.
				limit := strings.Index(page, `<template id="card-template">`)
				if limit < 0 || strings.Contains(p[0], `<template`) {
					limit = len(page)
				}
				from := strings.Index(page[:limit], p[0])
				if from < 0 {
					break
				}
				to := strings.Index(page[from:], p[1])
				if to < 0 {
					return "", fmt.Errorf("%s: %q has no %q after it", c.name, p[0], p[1])
				}
				end := from + to
				if p[1] != `</article>` {
					end += len(p[1])
				}
				page = page[:from] + page[end:]
				n++
			}
			if n == 0 {
				return "", fmt.Errorf("%s: the page has no %q", c.name, p[0])
			}
		}
	}
	return page, nil
}

// cutPath and cutName are the URL path and the name of the editor page
// without the parts named by which.
func cutPath(which []int) string {
	s := make([]string, len(which))
	for i, w := range which {
		s[i] = strconv.Itoa(w)
	}
	return "/bench/editor/" + strings.Join(s, "+")
}

func cutName(which []int) string {
	if len(which) == len(editorCuts) {
		return "the cards alone (all of the above left out)"
	}
	s := make([]string, len(which))
	for i, w := range which {
		s[i] = editorCuts[w].name
	}
	if len(s) == 1 {
		return "without " + s[0]
	}
	return "without " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// elementsPath serves the editor page with the forms it sends after the
// cards as elements among them, as it was before it sent them later
// (templates' Editor.Later).
const elementsPath = "/bench/editor/elements"

var laterRE = regexp.MustCompile(`(?s)<noscript class="later">(.*?)</noscript>`)

// withElements is page with its parts sent later as elements in their
// place.
func withElements(page string) (string, error) {
	if !laterRE.MatchString(page) {
		return "", fmt.Errorf("the page sends nothing later")
	}
	return laterRE.ReplaceAllString(page, "$1"), nil
}

// editorCut serves, at /bench/editor/{cuts}, the editor page as the BFF
// renders it for the request's session, without the parts of the
// editorCuts that cuts names ("0", "0+1+3"), or at elementsPath with its
// forms as elements, with the BFF's own headers.
func editorCut(bff http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cut := withElements
		if r.URL.Path != elementsPath {
			var which []int
			for _, f := range strings.Split(r.PathValue("cuts"), "+") {
				i, err := strconv.Atoi(f)
				if err != nil || i < 0 || i >= len(editorCuts) {
					http.NotFound(w, r)
					return
				}
				which = append(which, i)
			}
			cut = func(page string) (string, error) { return cutPage(page, which) }
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Header = r.Header.Clone()
		// The page as a browser opening it gets it (the bench also fetches
		// these pages from a script, to check them before it measures).
		req.Header.Set("Sec-Fetch-Dest", "document")
		rec := httptest.NewRecorder()
		bff.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			http.Error(w, "the editor page: "+strconv.Itoa(rec.Code), http.StatusBadGateway)
			return
		}
		page, err := cut(rec.Body.String())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		io.WriteString(w, page)
	}
}

// editorBench loads the editor page as served, the same with its forms as
// elements, the page as served without each
// of editorCuts' parts, without editorCombos' sets of them, the cards
// alone, and the plain-JS baseline, interleaved and cold. It prints when
// each one's first card became visible, against the page as served and
// against the baseline, and then each one's milestones.
func editorBench(ctx context.Context, base string, runs int) error {
	type page struct{ name, url string }
	pages := []page{{"the editor page as served", base + "/"}, {"the same with its forms sent as elements among the cards (as before)", base + elementsPath}}
	all := make([]int, len(editorCuts))
	for i := range editorCuts {
		all[i] = i
		pages = append(pages, page{cutName([]int{i}), base + cutPath([]int{i})})
	}
	for _, c := range append(slices.Clone(editorCombos), all) {
		pages = append(pages, page{cutName(c), base + cutPath(c)})
	}
	pages = append(pages, page{"plain-JS baseline", base + "/bench/baseline"})
	// A page that cannot be cut says so before anything is measured.
	for _, p := range pages {
		msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(p.url)+`).then(async r => r.ok ? "" : r.status + " " + await r.text())`, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		if msg != "" {
			return fmt.Errorf("%s: %s", p.name, strings.TrimSpace(msg))
		}
	}
	// Each page's own milestones, in ms since navigation.
	steps := map[string]map[string][]float64{}
	for range runs {
		for _, p := range pages {
			m, err := measureColdVisible(ctx, p.url)
			if err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			if steps[p.name] == nil {
				steps[p.name] = map[string][]float64{}
			}
			for _, s := range milestones {
				steps[p.name][s.key] = append(steps[p.name][s.key], m[s.key])
			}
		}
	}
	visible := func(name string) []float64 { return steps[name]["card"] }
	fmt.Printf("What the editor's first card waits for: the page with parts of it left out (not pages anyone is served), cold, median of %d runs:\n\n", runs)
	fmt.Printf("| page | first visible card (ms) | to the page as served | to the plain-JS baseline |\n|---|---:|---:|---:|\n")
	served, baseline := visible(pages[0].name), visible(pages[len(pages)-1].name)
	for _, p := range pages {
		fmt.Printf("| %s | %.0f | %s | %s |\n", p.name, median(visible(p.name)), ratioCell(visible(p.name), served), ratioCell(visible(p.name), baseline))
	}
	fmt.Printf("\nThe same loads, step by step (median ms since navigation; the baseline's first paint is its page before its card):\n\n| page |")
	for _, s := range milestones {
		fmt.Printf(" %s |", s.name)
	}
	fmt.Printf("\n|---|%s\n", strings.Repeat("---:|", len(milestones)))
	for _, p := range pages {
		fmt.Printf("| %s |", p.name)
		for _, s := range milestones {
			fmt.Printf(" %.0f |", median(steps[p.name][s.key]))
		}
		fmt.Println()
	}
	return nil
}

// milestones are the steps of a load that -part editor reports: the
// page's response, the end of its parsing, DOMContentLoaded (after the
// deferred loader ran), the first frame painted, and its first card on
// screen.
var milestones = []struct{ key, name string }{
	{"response", "response received"},
	{"parsed", "parsed (domInteractive)"},
	{"dcl", "DOMContentLoaded done"},
	{"paint", "first paint"},
	{"card", "first card visible"},
}

// measureColdVisible loads url in a new tab with a cold cache and returns
// its milestones, in ms since navigation; "card" is when its first card
// became visible (Element Timing).
func measureColdVisible(ctx context.Context, url string) (map[string]float64, error) {
	tab, closeTab, err := openLoad(ctx, url, true)
	if err != nil {
		return nil, err
	}
	defer closeTab()
	tctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	// The card's frame is on screen once its time is known; the rest of
	// the load has ended by then, or soon after.
	const steps = `(() => {
		const n = performance.getEntriesByType("navigation")[0], p = performance.getEntriesByType("paint")[0];
		if (!window.__visible || !n || !n.domContentLoadedEventEnd || !p) return null;
		return {response: n.responseEnd, parsed: n.domInteractive, dcl: n.domContentLoadedEventEnd, paint: p.startTime, card: window.__visible};
	})()`
	return chromedp.Run(tctx, chromedp.Poll[map[string]float64](steps, chromedp.WithPollingInterval(10*time.Millisecond)))
}
