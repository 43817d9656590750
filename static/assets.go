package static

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// The logical names of the assets.
const (
	CSS = "app.css"
	// Script is Go's wasm_exec.js followed by the loader (langcard.js),
	// joined by the build so the page loads one async script.
	Script = "widget.js"
	Widget = "widget.wasm"
	// Embed is the script intranet pages include; its URL is stable
	// (/static/embed.js) and it is fresh for minutes, not a year. So are
	// the typed descriptions of its element served beside it, for editors
	// and linters.
	Embed    = "embed.js"
	Types    = "language-card.d.ts"
	Manifest = "custom-elements.json"
)

// stable are the assets served under their own names (/static/name),
// fresh for minutes and then revalidated (an ETag of their content):
// pages outside langcard refer to them by name.
var stable = map[string]string{Embed: "text/javascript; charset=utf-8", Types: "application/typescript; charset=utf-8", Manifest: "application/json"}

// EmbedURL is the stable URL of embed.js.
const EmbedURL = "/static/embed.js"

// asset is one file and its precompressed variants.
type asset struct {
	url         string // /static/name.<hash>.ext
	contentType string
	plain       []byte
	br, gz      []byte
	etag        string // a stable asset's validator: W/"<hash of plain>"
}

// Assets serves the assets under content-hashed names.
type Assets struct {
	byName map[string]*asset
	byURL  map[string]*asset
}

// Version is the short content hash that names one version of what a URL
// serves, so that the URL can be cached for good.
func Version(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:6])
}

// The Cache-Control of a URL that names its version (kept for good) and
// of one that does not: fresh for five minutes; after that, for a day,
// the cached copy is used at once while the browser asks in the
// background whether it changed (stale-while-revalidate), so that an
// intranet page seen again an hour later does not wait for embed.js. A
// new version reaches a page within five minutes of a deploy, or one
// load late when its copy was already stale; what an older embed.js
// names stays servable or falls back (see embed.js).
const (
	CacheVersioned = "public, max-age=31536000, immutable"
	CacheStable    = "public, max-age=300, stale-while-revalidate=86400"
)

// Load reads the assets from fsys (FS, or a test's). Built assets that
// are missing are simply absent: the pages then work through their forms.
func Load(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byURL: map[string]*asset{}}
	for name, file := range map[string]string{CSS: "dist/" + CSS, Embed: "dist/" + Embed, Types: Types, Manifest: Manifest, Script: "dist/" + Script, Widget: "dist/" + Widget} {
		plain, err := fs.ReadFile(fsys, file)
		if (name == Embed || name == CSS) && err != nil {
			// Not built: the source (embed.js then names no widget, and
			// the cards name it when they arrive; the stylesheet keeps
			// its comments).
			plain, err = fs.ReadFile(fsys, name)
		}
		if err != nil {
			continue
		}
		ext := path.Ext(name)
		as := &asset{
			url:         "/static/" + strings.TrimSuffix(name, ext) + "." + Version(plain) + ext,
			contentType: mime.TypeByExtension(ext),
			plain:       plain,
		}
		as.br, _ = fs.ReadFile(fsys, "dist/"+name+".br")
		as.gz, _ = fs.ReadFile(fsys, "dist/"+name+".gz")
		if ct, ok := stable[name]; ok {
			as.url, as.contentType = "/static/"+name, ct
			// Weak: the brotli, gzip and plain bodies are the same content.
			as.etag = `W/"` + Version(plain) + `"`
		}
		a.byName[name], a.byURL[as.url] = as, as
	}
	if a.byName[CSS] == nil {
		return nil, fs.ErrNotExist
	}
	return a, nil
}

// URL returns the content-hashed URL of a logical name, or "" when the
// asset is not built.
func (a *Assets) URL(name string) string {
	if as := a.byName[name]; as != nil {
		return as.url
	}
	return ""
}

// Sizes returns the bytes of an asset as sent plain, with brotli and with gzip.
func (a *Assets) Sizes(name string) (plain, br, gz int) {
	if as := a.byName[name]; as != nil {
		return len(as.plain), len(as.br), len(as.gz)
	}
	return 0, 0, 0
}

// ServeHTTP serves an asset by its hashed URL, precompressed as the
// browser accepts (brotli, then gzip), cached for a year as immutable.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	as := a.byURL[r.URL.Path]
	if as == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.contentType)
	h.Add("Vary", "Accept-Encoding")
	if as.etag == "" {
		h.Set("Cache-Control", CacheVersioned)
	} else {
		h.Set("Cache-Control", CacheStable)
		h.Set("ETag", as.etag)
		if matches(r.Header.Get("If-None-Match"), as.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	body := as.plain
	switch accept := r.Header.Get("Accept-Encoding"); {
	case as.br != nil && accepts(accept, "br"):
		h.Set("Content-Encoding", "br")
		body = as.br
	case as.gz != nil && accepts(accept, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = as.gz
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// matches reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks of If-None-Match), or is "*".
func matches(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || (tag != "" && strings.TrimPrefix(tag, "W/") == want) {
			return true
		}
	}
	return false
}

// accepts reports whether an Accept-Encoding header allows coding
// (listed, and not with q=0).
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		f, err := strconv.ParseFloat(q, 64)
		return err == nil && f > 0
	}
	return false
}
