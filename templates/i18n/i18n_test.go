package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"langcard/web/langprof"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// Every catalogue says everything English says, with the same
// placeholders, and nothing else: a third language is one file that
// passes this test.
func TestCataloguesComplete(t *testing.T) {
	en := English()
	if len(catalogs) < 2 {
		t.Fatalf("%d catalogues, want English and Norwegian Bokmål at least", len(catalogs))
	}
	for _, c := range catalogs[1:] {
		for k, v := range en.msgs {
			got, ok := c.msgs[k]
			if !ok {
				t.Errorf("%s lacks %q", c.Lang(), k)
				continue
			}
			if strings.HasPrefix(k, "@") {
				continue
			}
			want, have := placeholder.FindAllString(v, -1), placeholder.FindAllString(got, -1)
			slices.Sort(want)
			slices.Sort(have)
			if !slices.Equal(want, have) {
				t.Errorf("%s %q has placeholders %v, English %v", c.Lang(), k, have, want)
			}
		}
		for k := range c.msgs {
			if _, ok := en.msgs[k]; !ok {
				t.Errorf("%s has %q, which English does not", c.Lang(), k)
			}
		}
	}
}

// Every problem the rules can find has words for people, in every
// catalogue, and no API identifier leaks into them.
func TestEveryProblemHasWords(t *testing.T) {
	var ps langprof.Problems
	_, p1 := langprof.Patch{}.Validate(true, langprof.Checks{Tag: func(string) (string, langprof.TagProblem) { return "", "illFormed:" }, NFC: func(s string) string { return s }})
	ps = append(ps, p1...)
	bad := "x"
	level := langprof.Level("fluent")
	aud := langprof.Audience("friends")
	for _, name := range []string{"", " a", strings.Repeat("a", langprof.MaxDisplayName+1), "a\x01", "a\u200bb", "\u0301", "\xff"} {
		_, more := langprof.Patch{DisplayName: &name, Tag: &bad, Spoken: &level, Written: &level, Reading: &level, AllowedAudiences: &aud}.Validate(false,
			langprof.Checks{Tag: func(string) (string, langprof.TagProblem) { return "", "unknownSubtag:x" }, NFC: func(s string) string { return s }})
		ps = append(ps, more...)
	}
	empty := ""
	_, more := langprof.Patch{Tag: &empty}.Validate(false, langprof.Checks{NFC: func(s string) string { return s }})
	ps = append(ps, more...)
	keys := map[string]bool{"problem.language.unknown": true, "problem.notAccepted": true}
	for _, p := range ps {
		keys[p.Key()] = true
	}
	if len(keys) < 14 {
		t.Errorf("only %d problem keys found: %v", len(keys), keys)
	}
	api := regexp.MustCompile(`displayName|allowedAudiences|nativeOrBilingual|BCP 47|well-formed|[a-z]+[A-Z][a-z]+`)
	for _, c := range catalogs {
		for k := range keys {
			msg, ok := c.msgs[k]
			if !ok {
				t.Errorf("%s has no words for %s", c.Lang(), k)
			}
			if api.MatchString(msg) {
				t.Errorf("%s %s speaks the API: %q", c.Lang(), k, msg)
			}
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct{ accept, override, want string }{
		{"nb-NO,nb;q=0.9,en;q=0.8", "", "nb"},
		{"no", "", "nb"}, // Norwegian: Bokmål is what it is written in
		{"sv-SE,sv;q=0.9", "", "en"},
		{"", "", "en"},
		{"en-GB", "nb", "nb"},
		{"nb", "en", "en"},
		{"nb", "xx-invalid-!!", "nb"},
	} {
		c, _ := Match(tt.accept, tt.override)
		if c.Lang() != tt.want {
			t.Errorf("Match(%q, %q) = %s, want %s", tt.accept, tt.override, c.Lang(), tt.want)
		}
	}
}

func TestWordsInEachLanguage(t *testing.T) {
	nb, _ := Match("nb", "")
	day := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ got, want string }{
		{English().Date(day), "3 Mar 2025"},
		{nb.Date(day), "3. mar. 2025"},
		{English().N("card.notShared", 1), "1 more language on this profile is not shared with you."},
		{English().N("card.notShared", 2), "2 more languages on this profile are not shared with you."},
		{English().LanguageName("nb-NO"), "Norwegian Bokmål (Norway)"},
		{nb.LanguageName("fr-CA"), "Fransk (Canada)"},
		{English().SelfName("nb"), "norsk bokmål"},
		{nb.T("problem.spoken.invalid", "language", "fransk"), "Velg hvor godt du snakker fransk"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// A person finds a language by its name in their language, in English, in
// its own, or by its code; nothing else resolves.
func TestResolve(t *testing.T) {
	nb, _ := Match("nb", "")
	for _, tt := range []struct {
		c     *Catalog
		typed string
		want  string
	}{
		{English(), "Norwegian Bokmål", "nb"},
		{English(), "norsk bokmal", "nb"},
		{English(), "NB", "nb"},
		{nb, "tysk", "de"},
		{nb, "German", "de"},
		{nb, "Deutsch", "de"},
		{English(), "French (Canada)", "fr-CA"},
		{English(), "Klingonese", ""},
		{English(), "", ""},
	} {
		got, ok := tt.c.Resolve(tt.typed)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s Resolve(%q) = %q, %v; want %q", tt.c.Lang(), tt.typed, got, ok, tt.want)
		}
	}
	if n := len(English().Choices()); n < 150 {
		t.Errorf("only %d languages to choose from", n)
	}
}
