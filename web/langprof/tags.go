package langprof

import "strings"

// The rules for language tags that are langcard's own, applied before the
// platform's BCP 47 check (x/text on the server, Intl in the browser) so
// that both sides decide these cases alike, by RFC 5646 and the IANA
// language subtag registry:
//
//   - grandfathered tags (i-klingon, zh-min-nan, en-GB-oed, sgn-BE-FR, …)
//     are refused with their preferred modern tag, when the registry has
//     one: browsers do not accept the irregular ones at all;
//   - special-purpose languages name no language on a profile: und
//     (undetermined), mis (uncoded), mul (multiple), zxx (no linguistic
//     content), and the private-use range qaa–qtz;
//   - private-use regions (AA, QM–QZ, XA–XZ, ZZ) name no place;
//   - a variant may not appear twice (RFC 5646 section 2.2.5).

// grandfathered lists the registry's grandfathered tags, lower case, each
// with its preferred value (empty where the registry has none). A string,
// not a map: a map literal costs the widget several KB.
const grandfathered = ";en-gb-oed=en-GB-oxendict;i-ami=ami;i-bnn=bnn;i-default=;i-enochian=;i-hak=hak;" +
	"i-klingon=tlh;i-lux=lb;i-mingo=;i-navajo=nv;i-pwn=pwn;i-tao=tao;i-tay=tay;i-tsu=tsu;sgn-be-fr=sfb;" +
	"sgn-be-nl=vgt;sgn-ch-de=sgg;art-lojban=jbo;cel-gaulish=;no-bok=nb;no-nyn=nn;zh-guoyu=cmn;zh-hakka=hak;" +
	"zh-min=;zh-min-nan=nan;zh-xiang=hsn;"

// preferredFor returns the preferred value of a grandfathered tag.
func preferredFor(lower string) (preferred string, ok bool) {
	i := strings.Index(grandfathered, ";"+lower+"=")
	if i < 0 {
		return "", false
	}
	rest := grandfathered[i+len(lower)+2:]
	return rest[:strings.IndexByte(rest, ';')], true
}

// CheckTag checks a language tag by langcard's own rules, then by the
// platform's check, and returns its canonical form or what is wrong.
// The rules hold for the canonical form too (x/text makes "aa-qaa", an
// extended language, into "qaa").
func CheckTag(tag string, check TagCheck) (canonical string, problem TagProblem) {
	if _, problem := rules(tag); problem != "" {
		return "", problem
	}
	canonical, problem = check(tag)
	if problem != "" {
		return "", problem
	}
	if _, problem := rules(canonical); problem != "" {
		return "", problem
	}
	return canonical, ""
}

// rules applies langcard's own rules; ok means the platform decides.
func rules(tag string) (ok bool, problem TagProblem) {
	lower, ok := asciiLower(tag)
	if !ok {
		return true, "" // not letters, digits and hyphens: the platform says why
	}
	if preferred, ok := preferredFor(lower); ok {
		if preferred == "" {
			return false, tagProblemOf(ReasonNoLanguage, "")
		}
		return false, tagProblemOf(ReasonReplaced, preferred)
	}
	lang, rest, _ := strings.Cut(lower, "-")
	if lang == "und" || lang == "mis" || lang == "mul" || lang == "zxx" || len(lang) == 3 && lang >= "qaa" && lang <= "qtz" {
		return false, tagProblemOf(ReasonNoLanguage, "")
	}
	var variants []string
	for start := len(lang) + 1; rest != ""; {
		var sub string
		sub, rest, _ = strings.Cut(rest, "-")
		switch {
		case len(sub) == 1:
			return true, "" // an extension or private use: what follows is not registry subtags
		case len(sub) == 2 && isLetters(sub) && privateRegion(sub):
			return false, tagProblemOf(ReasonPrivateUse, tag[start:start+2])
		case isVariant(sub):
			for _, v := range variants {
				if v == sub {
					return false, tagProblemOf(ReasonIllFormed, "")
				}
			}
			variants = append(variants, sub)
		}
		start += len(sub) + 1
	}
	return true, ""
}

// asciiLower lower-cases a tag of ASCII letters, digits and hyphens; ok
// is false for any other character. (strings.ToLower would link Unicode's
// case tables into the widget.)
func asciiLower(s string) (string, bool) {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-':
		default:
			return "", false
		}
	}
	return string(b), true
}

func privateRegion(r string) bool {
	return r == "aa" || r == "zz" || r[0] == 'q' && r[1] >= 'm' || r[0] == 'x'
}

// isVariant reports whether s is a variant subtag: 5–8 alphanumerics, or
// 4 starting with a digit.
func isVariant(s string) bool {
	return len(s) >= 5 && len(s) <= 8 || len(s) == 4 && s[0] >= '0' && s[0] <= '9'
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
