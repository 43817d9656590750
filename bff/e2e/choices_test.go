package e2e_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"langcard/bff/demo"
	"langcard/static"
)

// The embedded cards do not carry the list of languages to choose from:
// each editable card names where it is, in its own language, and that
// answer is the list the editor page carries, the same for everyone,
// readable by the embedding origins and cached for good under the
// version the cards name. Pages without JavaScript keep it inline.
func TestEmbeddedChoices(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	origin := map[string]string{"Origin": embedOrigin, "Accept-Language": "en"}

	frag := b.do("GET", "/embed/cards?el=compact,nb,3:&el=full,,2:", nil, origin)
	if frag.StatusCode != http.StatusOK || strings.Contains(frag.body, "<datalist") || strings.Contains(frag.body, "noscript") {
		t.Fatalf("the embedded cards carry the list (%d): %d bytes", frag.StatusCode, len(frag.body))
	}
	named := regexp.MustCompile(`data-choices="([^"]+)"`).FindAllStringSubmatch(frag.body, -1)
	if len(named) != 2 {
		t.Fatalf("editable cards naming their list: %d, want 2", len(named))
	}
	urls := map[string]string{}
	for _, lang := range []string{"nb", "en"} {
		for _, m := range named {
			if u := html.UnescapeString(m[1]); strings.HasPrefix(u, h.url+"/embed/choices?lang="+lang+"&v=") {
				urls[lang] = u
			}
		}
	}
	if len(urls) != 2 {
		t.Fatalf("the lists named: %q, want one in Norwegian and one in English", named)
	}
	if single := b.do("GET", "/embed/cards", nil, origin); !strings.Contains(single.body, `data-choices="`+html.EscapeString(urls["en"])+`"`) || strings.Contains(single.body, "<datalist") {
		t.Errorf("a single card's answer does not name the English list instead of carrying it")
	}

	anon := h.browser()
	for lang, u := range urls {
		page := b.do("GET", "/", nil, map[string]string{"Accept-Language": lang})
		inline := regexp.MustCompile(`(?s)<noscript class="choices">(.*?)</noscript>`).FindStringSubmatch(page.body)
		if inline == nil {
			t.Fatalf("the editor page in %s has no list for pages without JavaScript", lang)
		}
		r := anon.do("GET", u, nil, map[string]string{"Origin": embedOrigin})
		if r.StatusCode != http.StatusOK || r.body != inline[1] || !strings.HasPrefix(r.body, `<datalist id="language-choices">`) || strings.Count(r.body, "<option ") < 150 {
			t.Errorf("%s: the list served (%d, %d bytes) is not the editor page's (%d bytes)", lang, r.StatusCode, len(r.body), len(inline[1]))
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: served as %q without nosniff", lang, r.Header.Get("Content-Type"))
		}
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != embedOrigin {
			t.Errorf("%s: Access-Control-Allow-Origin %q for the embedding origin", lang, got)
		}
		if r.Header.Get("Access-Control-Allow-Credentials") != "" || len(r.Cookies()) != 0 {
			t.Errorf("%s: the list is answered with credentials or a cookie: %v", lang, r.Header)
		}
		if got := r.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q for the version the cards name", lang, got)
		}
		if other := anon.do("GET", u, nil, map[string]string{"Origin": "http://elsewhere.example"}); other.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: another origin may read the list", lang)
		}
	}
	if nb, en := anon.get(urls["nb"]).body, anon.get(urls["en"]).body; nb == en {
		t.Error("the Norwegian list is the English one")
	}

	// Another version (a page from before a deploy) gets today's list,
	// cached only for a while; an unknown language gets English.
	stale := anon.get(strings.Split(urls["en"], "&v=")[0] + "&v=000000000000")
	if stale.body != anon.get(urls["en"]).body || stale.Header.Get("Cache-Control") != static.CacheStable {
		t.Errorf("another version: Cache-Control %q", stale.Header.Get("Cache-Control"))
	}
	if unknown := anon.get("/embed/choices?lang=tlh"); unknown.StatusCode != http.StatusOK || unknown.body != anon.get(urls["en"]).body {
		t.Errorf("an unknown language: %d, not the English list", unknown.StatusCode)
	}

	// The frame is a page: it works without JavaScript, so it keeps the list.
	if frame := b.get("/embed/frame"); !strings.Contains(frame.body, `<noscript class="choices">`) || strings.Contains(frame.body, "data-choices") {
		t.Error("the frame page does not carry its list inline")
	}
}
