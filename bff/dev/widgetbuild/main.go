// Command build builds the widget's assets into static/dist: the
// WebAssembly (GOOS=js GOARCH=wasm, no inlining: measured smaller), its
// script (Go's own wasm_exec.js, taken from the installed Go and never
// vendored, followed by the loader static/langcard.js), and brotli and gzip
// variants of every asset the widget sends. It prints the
// transfer sizes. Run it from the module root: go run ./bff/dev/widgetbuild.
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

func main() {
	if err := run("static/dist"); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	build := exec.Command("go", "build", "-trimpath", "-gcflags=all=-l", "-ldflags=-s -w", "-o", filepath.Join(out, "widget.wasm"), "./wasm")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the widget: %w", err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	execJS, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	loader, err := os.ReadFile("static/langcard.js")
	if err != nil {
		return err
	}
	// One script, loaded async: wasm_exec.js defines Go, the loader runs it.
	script := append(append(execJS, '\n'), loader...)
	if err := os.WriteFile(filepath.Join(out, "widget.js"), script, 0o644); err != nil {
		return err
	}
	total := 0
	for _, src := range []string{filepath.Join(out, "widget.wasm"), filepath.Join(out, "widget.js"), "static/app.css", "static/embed.js"} {
		n, err := compress(src, filepath.Join(out, filepath.Base(src)))
		if err != nil {
			return err
		}
		if filepath.Base(src) != "embed.js" { // only embedded pages load it
			total += n
		}
	}
	fmt.Printf("widget transfer (brotli): %d bytes (%.1f KB)\n", total, float64(total)/1000)
	return nil
}

// compress writes dst.br and dst.gz and returns the brotli size.
func compress(src, dst string) (int, error) {
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: 11, LGWin: 24})
	bw.Write(data)
	if err := bw.Close(); err != nil {
		return 0, err
	}
	var gz bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	gw.Write(data)
	if err := gw.Close(); err != nil {
		return 0, err
	}
	if err := os.WriteFile(dst+".br", br.Bytes(), 0o644); err != nil {
		return 0, err
	}
	if err := os.WriteFile(dst+".gz", gz.Bytes(), 0o644); err != nil {
		return 0, err
	}
	fmt.Printf("  %-14s %8d plain %8d brotli %8d gzip\n", filepath.Base(src), len(data), br.Len(), gz.Len())
	return br.Len(), nil
}
