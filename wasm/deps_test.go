//go:build !js

package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// forbidden are packages the widget must never link: each costs from
// 37 KB (time) to 1.5 MB (net/http) of WebAssembly, and templ would mean
// a second copy of the markup.
var forbidden = []string{"net/http", "fmt", "encoding/json", "github.com/a-h/templ", "golang.org/x/text", "time", "reflect"}

// wasmDeps lists what a package links when built for the browser.
func wasmDeps(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

func offending(deps []string) []string {
	var bad []string
	for _, d := range deps {
		for _, f := range forbidden {
			if d == f || strings.HasPrefix(d, f+"/") {
				bad = append(bad, d)
			}
		}
	}
	return bad
}

func TestWidgetLinksNoForbiddenPackage(t *testing.T) {
	deps := wasmDeps(t, ".")
	if len(deps) < 5 || !slices.Contains(deps, "syscall/js") || !slices.Contains(deps, "langcard/web/langprof") {
		t.Fatalf("go list found %v; the check is not looking at the widget", deps)
	}
	if bad := offending(deps); len(bad) > 0 {
		t.Errorf("the widget links %v", bad)
	}
	// The check itself sees a forbidden package where there is one.
	if bad := offending(wasmDeps(t, "langcard/bff/dev/widgetbuild")); !slices.Contains(bad, "fmt") {
		t.Errorf("the check missed fmt in bff/dev/widgetbuild: %v", bad)
	}
}
