package e2e_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeScript is axe-core, installed from npm by make test (make axe).
const axeScript = "../../.cache/axe/node_modules/axe-core/axe.min.js"

// checkAxe runs axe-core with its default rules (best practices included)
// on the current page, shadow roots and all, and fails on any violation.
func checkAxe(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	src, err := os.ReadFile(axeScript)
	if err != nil {
		// Never a skip half-way: the test says needs(t, axeCore) first.
		t.Fatalf("axe-core cannot be read (a test that checks accessibility starts with needs(t, axeCore)): %v", err)
	}
	// DevTools evaluation is not subject to the page's CSP.
	read(t, ctx, chromedp.Evaluate[chromedp.Void](string(src)))
	out := read(t, ctx, chromedp.Evaluate[string](`axe.run(document).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)}))))`, chromedp.EvalAwaitPromise))
	var violations []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		t.Fatalf("axe-core answered %q: %v", out, err)
	}
	for _, v := range violations {
		t.Errorf("%s: axe-core %s (%s) at %v", what, v.ID, v.Help, v.Nodes)
	}
}
