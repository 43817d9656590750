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
	e := Editor{Subject: "Megan", Cards: cards}
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
	if got := laterRE.ReplaceAllString(later, "$1"); got != now {
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
