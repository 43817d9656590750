package e2e_test

import (
	"net/http"
	"strings"
	"testing"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
)

// The person's language follows their browser, an embed element's lang
// overrides it, and pages, fragments and the API's messages all follow;
// English is the fallback.
func TestPeoplesLanguage(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	nb := map[string]string{"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5"}

	page := b.do("GET", "/", nil, nb)
	for _, want := range []string{`<html lang="nb">`, "<h1>Språkene dine</h1>", "Morsmål eller tospråklig", "Organisasjonen din kan se dette", ">Legg til et språk<", "endret "} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page in Norwegian lacks %q", want)
		}
	}
	if en := b.do("GET", "/", nil, map[string]string{"Accept-Language": "sv-SE,de;q=0.8"}); !strings.Contains(en.body, `<html lang="en">`) || !strings.Contains(en.body, "<h1>Your languages</h1>") {
		t.Error("a language without a catalogue does not fall back to English")
	}

	// An element's lang and heading-level.
	frag := b.do("GET", "/embed/cards?el=compact,nb,3:&el=full,,2:", nil, map[string]string{"Accept-Language": "en"})
	first, second, _ := strings.Cut(frag.body, `<template data-el="1">`)
	if !strings.Contains(first, `lang="nb"`) || !strings.Contains(first, `<h3 class="embed-title" part="title">Språkene dine</h3>`) || !strings.Contains(first, `<h4 `) || strings.Contains(first, `<h2`) {
		t.Errorf("the Norwegian element at level 3: %.600s", first)
	}
	if !strings.Contains(second, `lang="en"`) || !strings.Contains(second, `<h2 class="embed-title" part="title">Your languages</h2>`) {
		t.Errorf("the English element at level 2: %.600s", second)
	}

	// The API's messages for people follow too; its shape and codes do not.
	h.graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "30", Times: 1})
	r := b.do("PATCH", "/api/me/languages/"+demo.ExampleID, strings.NewReader(`{"spoken":"elementary"}`),
		map[string]string{"Accept-Language": "nb", "Content-Type": "application/json", "X-CSRF": "1"})
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.body, `"code":"`) || !strings.Contains(r.body, "Microsoft 365 er opptatt") || !strings.Contains(r.body, "30 sekunder") {
		t.Errorf("a busy Graph in Norwegian: %d %s", r.StatusCode, r.body)
	}
}
