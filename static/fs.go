// Package static embeds langcard's static assets: the stylesheet now,
// and the widget's loader and WebAssembly later. Tests serve this FS, so
// what is tested is what ships.
package static

import "embed"

// FS holds the assets, served under /static/.
//
//go:embed *.css
var FS embed.FS
