package templates

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"langcard/templates/i18n"
	"langcard/web/langprof"
)

func render(t *testing.T, e Editor) string {
	t.Helper()
	var b strings.Builder
	if err := EditorPage(e).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var laterRE = regexp.MustCompile(`(?s)<noscript class="later">(.*?)</noscript>`)

// With Later, the page carries exactly the markup it does without, the
// forms of the cards not being edited, the form to add and the template
// wrapped in a <noscript class="later">; the card being edited keeps its
// form as elements; nothing in a wrapper can end it early, whatever the
// names Graph sends.
func TestLaterWrapsTheFormsAndNothingElse(t *testing.T) {
	L := i18n.English()
	odd := `</noscript><img src=x onerror="alert(1)">&amp; </NOSCRIPT >`
	cards := []Card{
		CardOf(L, langprof.LanguageProficiency{ID: "a1", Tag: "nb-NO", DisplayName: "Norsk", Spoken: "nativeOrBilingual"}),
		CardOf(L, langprof.LanguageProficiency{ID: "b2", Tag: "fr", DisplayName: odd}),
		CardOf(L, langprof.LanguageProficiency{ID: "c3", Tag: "de", DisplayName: "Deutsch"}),
	}
	cards[2].Editing = true
	e := Editor{Profile: Profile{Subject: "Megan", Cards: cards}}
	e.L = L
	now := render(t, e)
	e.Later = true
	later := render(t, e)

	wrapped := laterRE.FindAllStringSubmatch(later, -1)
	// Two cards not edited, the form to add, the template.
	if len(wrapped) != 4 {
		t.Fatalf("%d parts sent later, want 4", len(wrapped))
	}
	if strings.Contains(now, `class="later"`) {
		t.Error("without Later the page has parts sent later")
	}
	fallback := regexp.MustCompile(`<p class="add-fallback"><a href="/\?add#new-heading">[^<]+</a></p>`)
	if n := len(fallback.FindAllString(later, -1)); n != 1 {
		t.Errorf("%d links to the form to add, want 1", n)
	}
	if got := fallback.ReplaceAllString(laterRE.ReplaceAllString(later, "$1"), ""); got != now {
		t.Errorf("unwrapped, the page differs from the one without Later:\n%s\n---\n%s", got, now)
	}
	for i, w := range wrapped {
		if strings.Contains(strings.ToLower(w[1]), "</noscript") || strings.Contains(w[1], "<noscript") {
			t.Errorf("part %d holds a noscript of its own or its end", i)
		}
	}
	want := []string{`action="/languages/a1"`, `action="/languages/b2"`, `action="/languages"`, `id="card-template"`}
	for i, w := range want {
		if !strings.Contains(wrapped[i][1], w) {
			t.Errorf("part %d does not hold %s", i, w)
		}
	}
	// The card being edited, its form as elements.
	for _, w := range wrapped {
		if strings.Contains(w[1], `action="/languages/c3"`) {
			t.Error("the card being edited has its form sent later")
		}
	}
	if !strings.Contains(later, `action="/languages/c3"`) {
		t.Error("the card being edited has no form")
	}
}

// Asked for (?add), the form to add a language comes as elements, with no
// link to itself; the cards' forms still come later.
func TestAddingSendsTheFormToAdd(t *testing.T) {
	L := i18n.English()
	e := Editor{Profile: Profile{Subject: "Megan", Later: true, Adding: true, Cards: []Card{
		CardOf(L, langprof.LanguageProficiency{ID: "a1", Tag: "nb-NO", DisplayName: "Norsk"}),
	}}}
	e.L = L
	page := render(t, e)
	for _, w := range laterRE.FindAllStringSubmatch(page, -1) {
		if strings.Contains(w[1], `action="/languages"`) {
			t.Error("the form to add is sent later")
		}
	}
	if !strings.Contains(page, `action="/languages"`) || strings.Contains(page, "add-fallback") {
		t.Error("the form to add is missing, or a link to it is there")
	}
	if n := len(laterRE.FindAllString(page, -1)); n != 2 {
		t.Errorf("%d parts sent later, want the card's form and the template", n)
	}
}
