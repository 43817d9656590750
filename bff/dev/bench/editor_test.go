package main

import (
	"slices"
	"strings"
	"testing"
)

// page is the editor page's shape, as far as editorCuts goes: two cards
// with their edit forms, the form to add one, the list and the template,
// the forms and the template sent later (templates' Editor.Later).
const editorPage = `<html><head><script src="/w.js" defer></script></head><body><a class="skip" href="#main">Skip</a><header class="top">who</header><main><h1>Your languages</h1>` +
	`<section class="cards"><article class="card" id="a"><h2>A</h2><div class="summary">A's levels</div><noscript class="later"><div class="edit-area" hidden><form>A's form</form></div></noscript></article>` +
	`<article class="card" id="b"><h2>B</h2><div class="summary">B's levels</div><noscript class="later"><div class="edit-area" hidden><form>B's form</form></div></noscript></article></section>` +
	`<section class="add"><h2>Add a language</h2><noscript class="later"><form>new</form></noscript></section><noscript class="choices"><datalist></datalist></noscript>` +
	`<noscript class="later"><template id="card-template"><article class="card"><h2></h2><div class="edit-area" hidden><form>template's form</form></div></article></template></noscript></main></body></html>`

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
	var sets [][]int
	all := []int{}
	for i := range editorCuts {
		sets = append(sets, []int{i})
		all = append(all, i)
	}
	sets = append(append(sets, editorCombos...), all)
	for _, i := range sets {
		got, err := cutPage(editorPage, i)
		if err != nil {
			t.Fatalf("cut %v: %v", i, err)
		}
		for j, texts := range gone {
			for _, s := range texts {
				if want := slices.Contains(i, j); strings.Contains(got, s) == want {
					t.Errorf("cut %v: %q there: %v, want %v\n%s", i, s, !want, !want, got)
				}
			}
		}
		// Whole elements go: no end tag is left without its start.
		for _, tag := range []string{"section", "header", "h1", "script", "noscript", "template", "article", "div", "form"} {
			if open, end := strings.Count(got, "<"+tag+">")+strings.Count(got, "<"+tag+" "), strings.Count(got, "</"+tag+">"); open != end {
				t.Errorf("cut %v: %d <%s> and %d </%s>\n%s", i, open, tag, end, tag, got)
			}
		}
		// What is never cut: both cards, whole, with their summaries.
		for _, s := range []string{`<h2>A</h2><div class="summary">A's levels</div>`, `</article><article class="card" id="b"><h2>B</h2><div class="summary">B's levels</div>`, "</section>", "</main></body></html>"} {
			if !strings.Contains(got, s) {
				t.Errorf("cut %v: %q lost\n%s", i, s, got)
			}
		}
	}
	// A page without one of the parts fails the run.
	if _, err := cutPage(strings.Replace(editorPage, `<section class="add">`, `<section>`, 1), []int{0}); err == nil {
		t.Error("a page without the form to add a language was cut without error")
	}
}

// The pages -part editor serves are named and found alike.
func TestCutPathName(t *testing.T) {
	if got := cutPath([]int{0, 1, 3}); got != "/bench/editor/0+1+3" {
		t.Errorf("path %q", got)
	}
	if got, want := cutName([]int{0, 3}), "without "+editorCuts[0].name+" and "+editorCuts[3].name; got != want {
		t.Errorf("name %q, want %q", got, want)
	}
	if _, err := cutPage(editorPage, []int{len(editorCuts)}); err == nil {
		t.Error("a part that does not exist was left out without error")
	}
}

// The page as it was before the forms were sent later: each part in its
// place, as elements, and nothing else changed.
func TestWithElements(t *testing.T) {
	got, err := withElements(editorPage)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "later") || strings.Count(got, "<noscript") != 1 || strings.Count(got, "</noscript>") != 1 {
		t.Errorf("parts sent later remain:\n%s", got)
	}
	for _, s := range []string{`<div class="summary">A's levels</div><div class="edit-area" hidden><form>A's form</form></div></article>`, `<h2>Add a language</h2><form>new</form></section>`, `</noscript><template id="card-template">`, `</template></main>`} {
		if !strings.Contains(got, s) {
			t.Errorf("%q not in place:\n%s", s, got)
		}
	}
	if _, err := withElements(got); err == nil {
		t.Error("a page that sends nothing later was served as one that did")
	}
}
