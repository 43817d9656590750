package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
	{"the cards' hidden edit forms", [][2]string{{`<div class="edit-area" hidden>`, `</article>`}}},
	{"the header and the page's title", [][2]string{{`<a class="skip"`, `</header>`}, {`<h1>`, `</h1>`}}},
	{"the loader script", [][2]string{{`<script `, `</script>`}}},
	{"the language list and the new card's template", [][2]string{{`<noscript class="choices"`, `</noscript>`}, {`<template id="card-template">`, `</template>`}}},
}

// cutPage returns page without the parts of editorCuts[i], or, for i ==
// len(editorCuts), without all of them: the cards alone.
func cutPage(page string, i int) (string, error) {
	cuts := editorCuts
	if i < len(editorCuts) {
		cuts = editorCuts[i : i+1]
	}
	for _, c := range cuts {
		for _, p := range c.parts {
			n := 0
			for {
				// Only what comes before the new card's template.
				limit := strings.Index(page, `<template id="card-template">`)
				if limit < 0 || strings.HasPrefix(p[0], `<template`) {
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

// editorCut serves, at /bench/editor/{i}, the editor page as the BFF
// renders it for the request's session, without the parts of
// editorCuts[i] (or all of them), with the BFF's own headers.
func editorCut(bff http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(r.PathValue("i"))
		if err != nil || i < 0 || i > len(editorCuts) {
			http.NotFound(w, r)
			return
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Header = r.Header.Clone()
		rec := httptest.NewRecorder()
		bff.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			http.Error(w, "the editor page: "+strconv.Itoa(rec.Code), http.StatusBadGateway)
			return
		}
		page, err := cutPage(rec.Body.String(), i)
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

// editorBench loads the editor page as served, the same page without each
// of editorCuts' parts, the cards alone, and the plain-JS baseline,
// interleaved and cold, and prints when each one's first card became
// visible, against the page as served and against the baseline.
func editorBench(ctx context.Context, base string, runs int) error {
	type page struct{ name, url string }
	pages := []page{{"the editor page as served", base + "/"}}
	for i, c := range editorCuts {
		pages = append(pages, page{"without " + c.name, base + "/bench/editor/" + strconv.Itoa(i)})
	}
	pages = append(pages,
		page{"the cards alone (all of the above left out)", base + "/bench/editor/" + strconv.Itoa(len(editorCuts))},
		page{"plain-JS baseline", base + "/bench/baseline"})
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
	visible := map[string][]float64{}
	for range runs {
		for _, p := range pages {
			v, err := measureColdVisible(ctx, p.url)
			if err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			visible[p.name] = append(visible[p.name], v)
		}
	}
	fmt.Printf("What the editor's first card waits for: the page with parts of it left out (not pages anyone is served), cold, median of %d runs:\n\n", runs)
	fmt.Printf("| page | first visible card (ms) | to the page as served | to the plain-JS baseline |\n|---|---:|---:|---:|\n")
	served, baseline := visible[pages[0].name], visible[pages[len(pages)-1].name]
	for _, p := range pages {
		fmt.Printf("| %s | %.0f | %s | %s |\n", p.name, median(visible[p.name]), ratioCell(visible[p.name], served), ratioCell(visible[p.name], baseline))
	}
	return nil
}

// measureColdVisible loads url in a new tab with a cold cache and returns
// when its first card became visible (Element Timing), in ms since
// navigation.
func measureColdVisible(ctx context.Context, url string) (float64, error) {
	tab, closeTab, err := openLoad(ctx, url, true)
	if err != nil {
		return 0, err
	}
	defer closeTab()
	tctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	return chromedp.Run(tctx, chromedp.Poll[float64](`window.__visible || null`, chromedp.WithPollingInterval(10*time.Millisecond)))
}
