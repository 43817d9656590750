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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"

	"langcard/templates/i18n"
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
	script := strip(append(append(execJS, '\n'), loader...))
	if err := os.WriteFile(filepath.Join(out, "widget.js"), script, 0o644); err != nil {
		return err
	}
	// embed.js names the widget's script, module and stylesheet (their
	// content-hashed URLs, as static.Load names them), so that a host page
	// starts loading them at once, not after the cards have arrived.
	wasmBytes, err := os.ReadFile(filepath.Join(out, "widget.wasm"))
	if err != nil {
		return err
	}
	embed, err := os.ReadFile("static/embed.js")
	if err != nil {
		return err
	}
	const placeholder = "__LANGCARD_WIDGET__"
	if bytes.Count(embed, []byte(placeholder)) != 1 {
		return fmt.Errorf("static/embed.js must hold %s once", placeholder)
	}
	css, err := os.ReadFile("static/app.css")
	if err != nil {
		return err
	}
	// The stylesheet as it ships: without its comments, which are for
	// readers of the source (the widget's transfer budget counts it).
	css = stripCSS(css)
	if err := os.WriteFile(filepath.Join(out, "app.css"), css, 0o644); err != nil {
		return err
	}
	embed = bytes.Replace(embed, []byte(placeholder), []byte(hashedURL("widget.js", script)+" "+hashedURL("widget.wasm", wasmBytes)+" "+hashedURL("app.css", css)), 1)
	// And embed.js's own words (a card it could not fill), from the
	// catalogues, in each language: {"en": {...}, "nb": {...}}.
	const wordsPlaceholder = `"__LANGCARD_WORDS__"`
	if bytes.Count(embed, []byte(wordsPlaceholder)) != 1 {
		return fmt.Errorf("static/embed.js must hold %s once", wordsPlaceholder)
	}
	words := map[string]map[string]string{}
	for _, tag := range []string{"en", "nb"} {
		L, _ := i18n.Match("", tag)
		words[tag] = L.Subset("embed.unreachable", "embed.openLangcard")
	}
	wordsJSON, err := json.Marshal(words)
	if err != nil {
		return err
	}
	embed = bytes.Replace(embed, []byte(wordsPlaceholder), wordsJSON, 1)
	if err := os.WriteFile(filepath.Join(out, "embed.js"), embed, 0o644); err != nil {
		return err
	}
	total := 0
	for _, src := range []string{filepath.Join(out, "widget.wasm"), filepath.Join(out, "widget.js"), filepath.Join(out, "app.css"), filepath.Join(out, "embed.js")} {
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

// hashedURL is the URL static.Load serves an asset of this name and
// content under (static's TestEmbedNamesTheWidget holds them equal).
func hashedURL(name string, content []byte) string {
	sum := sha256.Sum256(content)
	ext := path.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
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

// stripCSS takes the /* comments */ out of a stylesheet, and the blank
// lines they leave (no string in it holds "/*").
func stripCSS(css []byte) []byte {
	var out []byte
	for {
		i := bytes.Index(css, []byte("/*"))
		if i < 0 {
			out = append(out, css...)
			break
		}
		out = append(out, css[:i]...)
		j := bytes.Index(css[i:], []byte("*/"))
		if j < 0 {
			break
		}
		css = css[i+j+2:]
	}
	var lines [][]byte
	for _, l := range bytes.Split(out, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			lines = append(lines, bytes.TrimRight(l, " \t"))
		}
	}
	return append(bytes.Join(lines, []byte("\n")), '\n')
}

// strip takes out what only a reader needs from the widget's script:
// indentation, blank lines, and comments on lines of their own, except the
// licence at the top of Go's wasm_exec.js. Lines stay lines, so no
// statement changes; a line inside a template literal (odd backticks
// before it) is kept as it is.
func strip(js []byte) []byte {
	var out []byte
	licence, inTemplate := true, false
	for _, line := range bytes.Split(js, []byte("\n")) {
		if inTemplate {
			out = append(append(out, line...), '\n')
			inTemplate = bytes.Count(line, []byte("`"))%2 == 0
			continue
		}
		t := bytes.TrimSpace(line)
		comment := bytes.HasPrefix(t, []byte("//"))
		if licence && !comment {
			licence = false
		}
		if len(t) == 0 || comment && !licence {
			continue
		}
		out = append(append(out, t...), '\n')
		inTemplate = bytes.Count(t, []byte("`"))%2 == 1
	}
	return out
}
