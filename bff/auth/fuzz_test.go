package auth

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeReturnTo: whatever comes in, what goes out is "/", a local path
// that cannot leave the site, or a URL on an embedding origin.
func FuzzSafeReturnTo(f *testing.F) {
	origins := []string{"https://intranet.contoso.com"}
	for _, s := range []string{"/users/x", "//evil.example", "/\\evil.example", "https://intranet.contoso.com/page", "https://intranet.contoso.com.evil/", "\t/x", "/%2F%2Fevil", "https://user@intranet.contoso.com/", "javascript:alert(1)", "/x\u2028y", "http:/evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := SafeReturnTo(raw, origins)
		if got != "/" && got != raw {
			t.Fatalf("SafeReturnTo(%q) = %q: neither raw nor /", raw, got)
		}
		if len(got) > 2048 {
			t.Fatalf("SafeReturnTo let %d bytes through", len(got))
		}
		for _, r := range got {
			if r < 0x21 || r == 0x7f || r == '\\' {
				t.Fatalf("SafeReturnTo(%q) kept %q", raw, r)
			}
		}
		if strings.HasPrefix(got, "/") {
			if strings.HasPrefix(got, "//") {
				t.Fatalf("SafeReturnTo(%q) = %q: scheme-relative", raw, got)
			}
			return
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme+"://"+u.Host != origins[0] || u.User != nil {
			t.Fatalf("SafeReturnTo(%q) = %q: not on the embedding origin", raw, got)
		}
	})
}
