package widget

import (
	"strings"

	"langcard/wasm/dom"
	"langcard/web/langprof"
)

// Checks are the browser's validation checks: TagCheck, and the
// browser's own NFC.
func Checks(b dom.Browser) langprof.Checks {
	return langprof.Checks{Tag: TagCheck(b), NFC: b.NFC}
}

// TagCheck is the browser's BCP 47 check: Intl.getCanonicalLocales for
// well-formedness and the canonical form, Intl.DisplayNames for whether the
// language, script and region subtags exist. Its answers must agree with
// the server's (x/text) on bff/bcp47/testdata/vectors.json; the server
// stays the authority.
func TagCheck(b dom.Browser) langprof.TagCheck {
	return func(tag string) (string, string) {
		canonical, ok := b.Canonical(tag)
		if !ok {
			if len(tag) > 1 && tag[0]|0x20 == 'x' && tag[1] == '-' {
				return "", langprof.TagNoLanguage(tag)
			}
			return "", langprof.TagIllFormed(tag)
		}
		subtags := strings.Split(canonical, "-")
		lang := subtags[0]
		if lang == "und" || lang == "root" {
			return "", langprof.TagNoLanguage(tag)
		}
		if !b.Known("language", lang) {
			return "", langprof.TagUnknownSubtag(tag, lang)
		}
		for _, s := range subtags[1:] {
			switch {
			case len(s) == 1: // an extension or private use: the rest is not registry subtags
				return canonical, ""
			case len(s) == 4 && isAlpha(s):
				if !b.Known("script", s) {
					return "", langprof.TagUnknownSubtag(tag, s)
				}
			case len(s) == 2 && isAlpha(s) || len(s) == 3 && isDigits(s):
				if !b.Known("region", s) {
					return "", langprof.TagUnknownSubtag(tag, s)
				}
			}
		}
		return canonical, ""
	}
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
