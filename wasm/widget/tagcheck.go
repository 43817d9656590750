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

// TagCheck is the browser's BCP 47 check: the loader's verdict
// (Intl.getCanonicalLocales for well-formedness and the canonical form,
// Intl.DisplayNames for whether the language, script and region subtags
// exist), as a langprof.TagProblem. Its answers must agree with the server's
// (x/text) on bff/bcp47/testdata/vectors.json; the server stays the
// authority.
func TagCheck(b dom.Browser) langprof.TagCheck {
	return func(tag string) (string, langprof.TagProblem) {
		r := b.Tag(tag)
		switch {
		case r == "!" && len(tag) > 1 && tag[0]|0x20 == 'x' && tag[1] == '-':
			return "", langprof.TagProblemOf(langprof.ReasonNoLanguage, "") // private use only
		case r == "" || r == "!":
			return "", langprof.TagProblemOf(langprof.ReasonIllFormed, "")
		case r[0] == '?':
			return "", langprof.TagProblemOf(langprof.ReasonUnknown, r[1:])
		}
		if lang, _, _ := strings.Cut(r, "-"); lang == "und" || lang == "root" {
			return "", langprof.TagProblemOf(langprof.ReasonNoLanguage, "")
		}
		return r, ""
	}
}
