// Package chromium finds Debian's Chromium and starts it headless the way
// this project's browser tests and benchmark need: as root, on a closed
// network, in a fresh profile. No browser is downloaded.
package chromium

import (
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// Path returns $LANGCARD_CHROMIUM, else the chromium on PATH, else "".
func Path() string {
	if p := os.Getenv("LANGCARD_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// DisabledFeatures is the browser's --disable-features list (a caller
// that adds one appends to it: the flag takes one list).
const DisabledFeatures = "Translate,BlinkGenPropertyTrees,WebUIOmniboxPopup,WebUIOmniboxAimPopup"

// Options are the allocator options for a headless Chromium at path with
// a fresh profile in dir. Its temporary files go in dir too: a Chromium
// that is stopped, as chromedp stops it, leaves its own temporary folders
// (org.chromium.Chromium.*) behind, which filled the machine's /tmp by
// the thousand.
func Options(path, dir string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(dir), chromedp.Env("TMPDIR="+dir),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		// The flag replaces chromedp's list, so its two features come first.
		// Then the omnibox popup's WebUI, which Chromium 156 otherwise loads
		// in renderers of its own beside every new tab (two pages, fetching
		// some hundred chrome:// scripts while the page under test loads),
		// though a headless browser shows no omnibox: every page measured
		// was ~40% slower for it. Puppeteer turns the same two off by default.
		chromedp.Flag("disable-features", DisabledFeatures),
		chromedp.WindowSize(1100, 900),
	)
}
