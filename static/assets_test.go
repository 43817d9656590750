package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// budget is the widget's whole transfer, brotli: WebAssembly, its script
// (wasm_exec.js and the loader) and the stylesheet.
const budget = 480_000

// runtimeFloor is what Go's runtime alone weighs (brotli), for the report.
const runtimeFloor = 440_000

// built loads the assets with the widget built: without it the test is
// skipped, except under CI=true.
func built(t *testing.T) *Assets {
	t.Helper()
	a, err := Load(FS)
	if err != nil {
		t.Fatal(err)
	}
	if a.URL(Widget) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("the widget is not built (make widget); CI must check it")
		}
		t.Skip("the widget is not built; run make widget")
	}
	return a
}

func TestWidgetTransferBudget(t *testing.T) {
	a := built(t)
	total := 0
	for _, name := range []string{Widget, Script, CSS} {
		plain, br, gz := a.Sizes(name)
		if br == 0 || gz == 0 {
			t.Errorf("%s has no precompressed variant (br %d, gzip %d)", name, br, gz)
		}
		t.Logf("%-13s %8d plain %8d brotli %8d gzip", name, plain, br, gz)
		total += br
	}
	t.Logf("widget transfer %d bytes brotli: %.1f%% of the %d budget, %+d over Go's %d runtime floor", total, 100*float64(total)/budget, budget, total-runtimeFloor, runtimeFloor)
	if total > budget {
		t.Errorf("the widget transfers %d bytes brotli, over the %d budget", total, budget)
	}
}

func TestServeNegotiatesAndCaches(t *testing.T) {
	fsys := fstest.MapFS{
		"app.css":             {Data: []byte("body{}")},
		"dist/widget.wasm":    {Data: []byte("\x00asm plain")},
		"dist/widget.wasm.br": {Data: []byte("brotli")},
		"dist/widget.wasm.gz": {Data: []byte("gzip")},
		"dist/widget.js":      {Data: []byte("script")},
		"dist/widget.js.gz":   {Data: []byte("script gzip")},
	}
	a, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	wasm := a.URL(Widget)
	if !strings.HasPrefix(wasm, "/static/widget.") || !strings.HasSuffix(wasm, ".wasm") || len(wasm) != len("/static/widget.")+12+len(".wasm") {
		t.Fatalf("URL %q is not content-hashed", wasm)
	}
	if _, err := Load(fstest.MapFS{"dist/widget.wasm": {Data: []byte("x")}}); err == nil {
		t.Error("Load succeeded without the stylesheet")
	}
	tests := []struct {
		path, accept, wantEncoding, wantBody string
		wantStatus                           int
	}{
		{wasm, "gzip, deflate, br, zstd", "br", "brotli", 200},
		{wasm, "gzip;q=1, br;q=0", "gzip", "gzip", 200},
		{wasm, "identity", "", "\x00asm plain", 200},
		{a.URL(Script), "br, gzip", "gzip", "script gzip", 200},
		{"/static/widget.wasm", "br", "", "404 page not found\n", 404},
		{"/static/widget.000000000000.wasm", "br", "", "404 page not found\n", 404},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		r.Header.Set("Accept-Encoding", tt.accept)
		w := httptest.NewRecorder()
		a.ServeHTTP(w, r)
		if w.Code != tt.wantStatus || w.Header().Get("Content-Encoding") != tt.wantEncoding || w.Body.String() != tt.wantBody {
			t.Errorf("GET %s (%s): %d %q %q, want %d %q %q", tt.path, tt.accept, w.Code, w.Header().Get("Content-Encoding"), w.Body, tt.wantStatus, tt.wantEncoding, tt.wantBody)
		}
		if w.Code == http.StatusOK {
			if w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || w.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("GET %s: headers %v", tt.path, w.Header())
			}
			if tt.path == wasm && w.Header().Get("Content-Type") != "application/wasm" {
				t.Errorf("Content-Type %q, want application/wasm", w.Header().Get("Content-Type"))
			}
		}
	}
}

// The built embed.js names the widget's script, module and stylesheet by the URLs
// the BFF serves them under (the build computes them on its own), and its
// compressed variants are of the same text.
func TestEmbedNamesTheWidget(t *testing.T) {
	a := built(t)
	embed := a.byName[Embed]
	want := `"` + a.URL(Script) + " " + a.URL(Widget) + " " + a.URL(CSS) + `"`
	if !strings.Contains(string(embed.plain), want) {
		t.Errorf("embed.js does not name the widget as served, %s", want)
	}
	for enc, body := range map[string][]byte{"br": embed.br, "gzip": embed.gz} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", EmbedURL, nil)
		req.Header.Set("Accept-Encoding", enc)
		a.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != enc || rec.Body.Len() != len(body) {
			t.Errorf("embed.js with %s: %q, %d bytes", enc, rec.Header().Get("Content-Encoding"), rec.Body.Len())
		}
	}
	if got := decoded(t, embed.gz); got != string(embed.plain) {
		t.Error("embed.js's gzip variant is not the text served plain")
	}
	// Unbuilt, embed.js is the source, which names no widget.
	src, err := Load(fstest.MapFS{"app.css": {Data: []byte("x")}, "embed.js": {Data: []byte(`var widget = "__LANGCARD_WIDGET__";`)}})
	if err != nil || src.URL(Embed) != EmbedURL {
		t.Fatalf("unbuilt: %v, %q", err, src.URL(Embed))
	}
}

func decoded(t *testing.T, gz []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// embed.js keeps its URL, so it is revalidated rather than kept for good:
// a browser holding it asks with its ETag and gets 304 (no body) while it
// is the same, the new script once it changed; and it may use its copy
// at once while it asks (stale-while-revalidate). Over a real socket.
func TestStableAssetsRevalidate(t *testing.T) {
	serve := func(script string) *httptest.Server {
		a, err := Load(fstest.MapFS{"app.css": {Data: []byte("body{}")}, "embed.js": {Data: []byte(script)}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a)
		t.Cleanup(srv.Close)
		return srv
	}
	get := func(srv *httptest.Server, ifNoneMatch string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+EmbedURL, nil)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	v1 := serve("console.log(1)")
	resp, body := get(v1, "")
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || body != "console.log(1)" || !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("first GET: %d %q, ETag %q", resp.StatusCode, body, etag)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=300") || !strings.Contains(cc, "stale-while-revalidate=") || strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q: want fresh for minutes, then stale-while-revalidate", cc)
	}
	for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag, "*"} {
		resp, body := get(v1, inm)
		if resp.StatusCode != http.StatusNotModified || body != "" || resp.Header.Get("ETag") != etag || resp.Header.Get("Cache-Control") == "" {
			t.Errorf("If-None-Match %s: %d %q, ETag %q, Cache-Control %q; want 304, no body, the same validator and caching", inm, resp.StatusCode, body, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
		}
	}
	// A new version: the old validator no longer matches.
	v2 := serve("console.log(2)")
	resp, body = get(v2, etag)
	if resp.StatusCode != 200 || body != "console.log(2)" || resp.Header.Get("ETag") == etag {
		t.Errorf("changed script with the old ETag: %d %q, ETag %q (old %q); want 200, the new script, a new ETag", resp.StatusCode, body, resp.Header.Get("ETag"), etag)
	}
	if resp, _ := get(v2, `W/"000000000000"`); resp.StatusCode != 200 {
		t.Errorf("an unknown ETag got %d, want 200", resp.StatusCode)
	}
}
