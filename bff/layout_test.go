package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The architecture the README describes holds: who may import whom.
func TestLayout(t *testing.T) {
	rules := []struct {
		pkg       string
		forbidden []string // import path prefixes
	}{
		// The shared domain: no server, no browser, nothing of the BFF.
		{"langcard/web/langprof", []string{"langcard/bff", "langcard/templates", "langcard/wasm", "net/http", "syscall/js"}},
		// The widget links none of the server.
		{"langcard/wasm/widget", []string{"langcard/bff", "langcard/templates", "net/http"}},
		// Sign-in knows nothing of Graph; the Graph client nothing of sessions or pages.
		{"langcard/bff/auth", []string{"langcard/bff/graph", "langcard/bff/server", "langcard/bff/app"}},
		{"langcard/bff/graph", []string{"langcard/bff/auth", "langcard/bff/server", "langcard/bff/app", "langcard/templates"}},
		// Sessions and recent writes are storage: no sign-in, Graph or pages.
		{"langcard/bff/session", []string{"langcard/bff/auth", "langcard/bff/graph", "langcard/bff/server", "langcard/bff/app", "langcard/templates"}},
		{"langcard/bff/recent", []string{"langcard/bff/auth", "langcard/bff/graph", "langcard/bff/server", "langcard/bff/app", "langcard/templates"}},
		// The views know the domain, not the server.
		{"langcard/templates", []string{"langcard/bff"}},
		// No production package needs a development tool.
		{"langcard/bff", []string{"langcard/bff/dev"}},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", r.pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", r.pkg, err)
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, r.pkg) {
			t.Fatalf("go list %s found %v", r.pkg, deps)
		}
		for _, d := range deps {
			for _, f := range r.forbidden {
				if d == f || strings.HasPrefix(d, f+"/") {
					t.Errorf("%s imports %s", r.pkg, d)
				}
			}
		}
	}
}
