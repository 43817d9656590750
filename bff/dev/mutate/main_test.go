package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every mutation's text is still in its file, once: code that moves
// (a function into another file, a line reworded) must take its mutation
// along, or make mutate would quietly stop breaking that rule. This runs
// in make check; make mutate itself runs the tests that should notice.
func TestMutationsPointAtTheirCode(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	for _, m := range mutations {
		data, err := os.ReadFile(filepath.Join(root, m.file))
		if err != nil {
			t.Errorf("%s: %v", m.rule, err)
			continue
		}
		if n := strings.Count(string(data), m.old); n != 1 {
			t.Errorf("%s: its text is in %s %d times, want once: %q", m.rule, m.file, n, m.old)
		}
	}
}
