// Package static serves langcard's static assets from one go:embed: the
// stylesheet (committed; once built, served without its comments), and the widget's WebAssembly and its script
// (Go's wasm_exec.js and the loader langcard.js), with their brotli and
// gzip variants (built into dist/ by make widget, not committed). Each is served under a
// content-hashed name, precompressed, and cached as immutable. Tests serve
// this FS, so what is tested is what ships.
package static

import "embed"

// FS holds the assets.
//
//go:embed app.css embed.js language-card.d.ts custom-elements.json all:dist
var FS embed.FS
