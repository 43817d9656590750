package e2e_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"langcard/bff/demo"
	"langcard/web/langprof"
)

var laterPart = regexp.MustCompile(`(?s)<noscript class="later">(.*?)</noscript>`)

// The forms come after the cards for a browser opening the page
// (Sec-Fetch-Dest: document) and as elements for every other client, so
// that a program reading GET / finds them as it always did; ?add sends the
// form to add as elements to both.
func TestFormsLaterOnlyForBrowsers(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Megan.UPN)
	nav := map[string]string{"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
	all := h.graph.Languages(demo.Megan.ID)
	if len(all) < 3 || !slices.ContainsFunc(all, func(lp langprof.LanguageProficiency) bool { return lp.ID == demo.OrganizationID }) {
		t.Fatalf("Megan has %d languages, want several, one of them the organization's", len(all))
	}
	cards := len(all) - 1 // the organization's entry has no forms
	addForm := `action="/languages" novalidate`

	plain := b.get("/")
	wantStatus(t, plain, http.StatusOK)
	if strings.Contains(plain.body, `class="later"`) || strings.Contains(plain.body, "add-fallback") || strings.Count(plain.body, `class="card-form"`) != cards+2 {
		t.Errorf("fetched by a program, the page sends %d parts later and %d forms, want none and %d", len(laterPart.FindAllString(plain.body, -1)), strings.Count(plain.body, `class="card-form"`), cards+2)
	}
	if !strings.Contains(strings.Join(plain.Header.Values("Vary"), ","), "Sec-Fetch-Dest") {
		t.Errorf("Vary %q does not name Sec-Fetch-Dest", plain.Header.Values("Vary"))
	}

	opened := b.do("GET", "/", nil, nav)
	wantStatus(t, opened, http.StatusOK)
	parts := laterPart.FindAllStringSubmatch(opened.body, -1)
	if len(parts) != cards+2 {
		t.Fatalf("opened in a browser, the page sends %d parts later, want %d (each card's form, the one to add, the template)", len(parts), cards+2)
	}
	if !strings.Contains(parts[cards][1], addForm) || !strings.Contains(opened.body, "add-fallback") {
		t.Error("the form to add is not sent later, or has no link standing in for it")
	}

	adding := b.do("GET", "/?add", nil, nav)
	wantStatus(t, adding, http.StatusOK)
	if n := len(laterPart.FindAllString(adding.body, -1)); n != cards+1 {
		t.Errorf("asked for the form to add, the page sends %d parts later, want %d (each card's form, the template)", n, cards+1)
	}
	if !strings.Contains(laterPart.ReplaceAllString(adding.body, ""), addForm) || strings.Contains(adding.body, "add-fallback") {
		t.Error("asked for, the form to add is not sent as elements, or a link to it is there")
	}
}
