package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"langcard/bff/demo"
)

// Words come from the catalogue in the reader's language and speak from
// the right point of view: the demo sign-in page's descriptions, the
// levels' labels (one part of speech in Norwegian: Snakke, Skrive, Lese),
// and a colleague's level they did not give ("Not given", not the
// editor's "Not set").
func TestWordsInTheReadersLanguage(t *testing.T) {
	h := newHarness(t)
	nb := map[string]string{"Accept-Language": "nb"}
	en := map[string]string{"Accept-Language": "en"}
	for lang, want := range map[string][]string{
		"nb": {"administrator (brukeradministrator): ser og endrer alles språk", "personadministrator, en rolle som ikke endrer andres språk"},
		"en": {"administrator (User Administrator): sees and changes everyone’s languages", "People Administrator, a role that does not change other people’s languages"},
	} {
		page := h.browser().do("GET", "/", nil, map[string]string{"Accept-Language": lang})
		wantStatus(t, page, http.StatusOK)
		for _, w := range want {
			if !strings.Contains(page.body, w) {
				t.Errorf("the %s sign-in page lacks %q", lang, w)
			}
		}
	}

	// Signed out, a colleague's card asks to sign in to see their
	// languages, not one's own.
	for lang, want := range map[string]string{"en": "Sign in to see " + demo.Megan.UPN + "’s languages.", "nb": "Logg inn for å se språkene til " + demo.Megan.UPN + "."} {
		r := h.browser().do("GET", "/embed/cards?user="+url.QueryEscape(demo.Megan.UPN), nil, map[string]string{"Accept-Language": lang, "Origin": embedOrigin})
		if !strings.Contains(r.body, want) || strings.Contains(r.body, "your profile") {
			t.Errorf("a signed-out colleague's card in %s lacks %q", lang, want)
		}
	}

	b := h.signIn(demo.Innocenty.UPN)
	megan := "/users/" + url.PathEscape(demo.Megan.UPN)
	no := b.do("GET", megan, nil, nb).body
	for _, w := range []string{"<dt>Snakke</dt>", "<dt>Skrive</dt>", "<dt>Lese</dt>", "Ikke oppgitt"} {
		if !strings.Contains(no, w) {
			t.Errorf("Megan's card in Norwegian lacks %q", w)
		}
	}
	if strings.Contains(no, "Ikke valgt") || strings.Contains(no, "Muntlig") {
		t.Error("Megan's card in Norwegian still says Ikke valgt or Muntlig")
	}
	english := b.do("GET", megan, nil, en).body
	if !strings.Contains(english, "Not given") || strings.Contains(english, "Not set") {
		t.Error("on a colleague's card, a level they did not give should read Not given")
	}
	// One's own card keeps the editor's words.
	if own := b.do("GET", "/", nil, en).body; !strings.Contains(own, "Not set") {
		t.Error("one's own editor lost Not set")
	}
}
