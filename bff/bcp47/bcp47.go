// Package bcp47 is the server's BCP 47 check: tags are parsed with
// golang.org/x/text/language against the IANA subtag registry and returned
// in canonical form. It is a langprof.TagCheck; the widget has its own,
// built on the browser's Intl.getCanonicalLocales, and both must agree on
// the vectors in testdata/vectors.json.
package bcp47

import (
	"errors"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"langcard/web/langprof"
)

// Checks are the server's validation checks: Check for tags, x/text's
// NFC for names.
var Checks = langprof.Checks{Tag: Check, NFC: norm.NFC.String}

// Check returns the canonical form of tag, or why it is not a valid BCP
// 47 language tag (with the unknown subtag when the tag is well-formed but
// uses one the registry does not know).
func Check(tag string) (canonical string, problem langprof.TagProblem) {
	t, err := language.Parse(tag)
	if err != nil {
		var ve language.ValueError
		if errors.As(err, &ve) {
			return "", langprof.TagProblemOf(langprof.ReasonUnknown, ve.Subtag())
		}
		return "", langprof.TagProblemOf(langprof.ReasonIllFormed, "")
	}
	if _, conf := t.Base(); conf != language.Exact {
		return "", langprof.TagProblemOf(langprof.ReasonNoLanguage, "")
	}
	return t.String(), ""
}
