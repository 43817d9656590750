package main

import (
	"strings"
	"testing"
)

// page is the editor page's shape, as far as editorCuts goes: two cards
// with their edit forms, the form to add one, the list and the template.
const editorPage = `<html><head><script src="/w.js" defer></script></head><body><a class="skip" href="#main">Skip</a><header class="top">who</header><main><h1>Your languages</h1>` +
	`<section class="cards"><article class="card" id="a"><h2>A</h2><div class="summary">A's levels</div><div class="edit-area" hidden><form>A's form</form></div></article>` +
	`<article class="card" id="b"><h2>B</h2><div class="summary">B's levels</div><div class="edit-area" hidden><form>B's form</form></div></article></section>` +
	`<section class="add"><h2>Add a language</h2><form>new</form></section><noscript class="choices"><datalist></datalist></noscript>` +
	`<template id="card-template"><article class="card"><h2></h2><div class="edit-area" hidden><form>template's form</form></div></article></template></main></body></html>`

func TestCutPage(t *testing.T) {
	gone := [][]string{
		{"Add a language", "new"},
		{"A's form", "B's form"},
		{"Skip", "who", "Your languages"},
		{"/w.js"},
		{"<datalist>", "template's form"},
	}
	if len(gone) != len(editorCuts) {
		t.Fatalf("%d cuts, %d expected", len(editorCuts), len(gone))
	}
	for i := range len(editorCuts) + 1 {
		got, err := cutPage(editorPage, i)
		if err != nil {
			t.Fatalf("cut %d: %v", i, err)
		}
		for j, texts := range gone {
			for _, s := range texts {
				if want := i == j || i == len(editorCuts); strings.Contains(got, s) == want {
					t.Errorf("cut %d: %q there: %v, want %v\n%s", i, s, !want, !want, got)
				}
			}
		}
		// Whole elements go: no end tag is left without its start.
		for _, tag := range []string{"section", "header", "h1", "script", "noscript", "template", "article", "div", "form"} {
			if open, end := strings.Count(got, "<"+tag+">")+strings.Count(got, "<"+tag+" "), strings.Count(got, "</"+tag+">"); open != end {
				t.Errorf("cut %d: %d <%s> and %d </%s>\n%s", i, open, tag, end, tag, got)
			}
		}
		// What is never cut: both cards, whole, with their summaries.
		for _, s := range []string{`<h2>A</h2><div class="summary">A's levels</div>`, `</div></article><article class="card" id="b"><h2>B</h2><div class="summary">B's levels</div>`, "</section>", "</main></body></html>"} {
			if !strings.Contains(got, s) {
				t.Errorf("cut %d: %q lost\n%s", i, s, got)
			}
		}
	}
	// A page without one of the parts fails the run.
	if _, err := cutPage(strings.Replace(editorPage, `<section class="add">`, `<section>`, 1), 0); err == nil {
		t.Error("a page without the form to add a language was cut without error")
	}
}
