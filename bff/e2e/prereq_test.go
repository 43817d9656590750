package e2e_test

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"langcard/bff/dev/chromium"
	"langcard/static"
)

// The end-to-end tests' prerequisites, found once before any test runs:
// a test that needs one says so on its first line (needs), so that a
// missing one skips it whole with how to get it (outside CI) or fails it
// (CI=true), never half-way through.
type prereq struct {
	name string
	// missing says how to get it; "" when it is there.
	missing string
}

var (
	chromiumTool = &prereq{name: "Debian's chromium"}
	axeCore      = &prereq{name: "axe-core"}
	widget       = &prereq{name: "the built widget"}
	redisServer  = &prereq{name: "redis-server"}
)

func TestMain(m *testing.M) {
	if chromium.Path() == "" {
		chromiumTool.missing = "make test installs it (apt-get install chromium), or set LANGCARD_CHROMIUM"
	}
	if _, err := os.Stat(axeScript); err != nil {
		axeCore.missing = "make test installs it (make axe)"
	}
	if assets, err := static.Load(static.FS); err != nil || assets.URL(static.Widget) == "" {
		widget.missing = "run make widget"
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		redisServer.missing = "make test installs it (apt-get install redis-server)"
	}
	os.Exit(m.Run())
}

// needs skips the test, or fails it under CI=true, when one of ps is
// missing. Call it first.
func needs(t *testing.T, ps ...*prereq) {
	t.Helper()
	for _, p := range ps {
		if testing.Short() && (p == chromiumTool || p == redisServer) {
			t.Skipf("-short (make check) leaves out the tests that need %s; make test runs them", p.name)
		}
		if p.missing == "" {
			continue
		}
		msg := fmt.Sprintf("%s is missing: %s", p.name, p.missing)
		if ciMode() {
			t.Fatal(msg + " (tests may not be skipped in CI)")
		}
		t.Skip(msg)
	}
}
