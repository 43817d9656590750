package graph

import (
	"net/url"
	"strings"
	"testing"

	"langcard/bff/ident"
)

// FuzzSegments: a user or an id that passes validation makes exactly the
// path it names: no extra segment, query or fragment, and it unescapes
// back to itself.
func FuzzSegments(f *testing.F) {
	for _, s := range []string{"megan@contoso.com", "$svc#1@contoso.com", "O'Brien@contoso.com", "48d31887-5fad-4d73-a9f5-3c356e68a038", "../me", "a/b", "a%2Fb", "me?x=1", "x#y", "a@b@c", "", "ü@x.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tg, err := User(s); err == nil {
			p := tg.escapedPath()
			seg, ok := strings.CutSuffix(p, "/profile/languages")
			if !ok || strings.ContainsAny(p, "?#") {
				t.Fatalf("User(%q) makes path %q", s, p)
			}
			if key, ok := strings.CutPrefix(seg, "/users('"); ok {
				// The key form: one segment, quotes doubled inside.
				key, ok = strings.CutSuffix(key, "')")
				got, err := url.PathUnescape(key)
				if !ok || err != nil || strings.Contains(key, "/") || strings.ReplaceAll(got, "''", "'") != s {
					t.Fatalf("User(%q) makes key segment %q", s, seg)
				}
			} else {
				key, ok := strings.CutPrefix(seg, "/users/")
				got, err := url.PathUnescape(key)
				if !ok || err != nil || strings.Contains(key, "/") || got != s {
					t.Fatalf("User(%q) makes segment %q", s, seg)
				}
			}
		}
		if ident.ValidID(s) && (url.PathEscape(s) != s || s == "." || s == "..") {
			t.Fatalf("ident.ValidID(%q) but it needs escaping or is a dot segment", s)
		}
	})
}
