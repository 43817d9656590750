package i18n

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"
)

// Choice is a language a person can pick by name.
type Choice struct {
	// Tag is its BCP 47 tag; Name its name in the catalogue's language,
	// Self its own name ("" when CLDR has none). A person finds it by
	// either, by its English name or by its tag (Resolve; the loader's
	// combobox alike).
	Tag, Name, Self string
}

// Choices are the languages offered by name, sorted by name in the
// catalogue's language: every ISO 639-1 language CLDR names, alone and
// with the region it is most likely from (Norwegian Bokmål (Norway)), and
// every regional or script variant CLDR has a locale for (French
// (Canada), Chinese (Traditional), …). Others can be typed as a code.
func (c *Catalog) Choices() []Choice {
	c = c.or().root()
	c.once.Do(func() {
		seen := map[string]bool{}
		add := func(t language.Tag) {
			s := t.String()
			if seen[s] {
				return
			}
			name := c.LanguageName(s)
			if name == "" || name == s {
				return
			}
			seen[s] = true
			c.choices = append(c.choices, Choice{Tag: s, Name: name, Self: c.SelfName(s)})
		}
		for a := 'a'; a <= 'z'; a++ {
			for b := 'a'; b <= 'z'; b++ {
				if base, err := language.ParseBase(string([]rune{a, b})); err == nil && display.English.Languages().Name(base) != "" {
					t := language.Make(base.String())
					add(t)
					// With the region it is most likely from (nb-NO, fr-FR):
					// the region a profile most often names.
					if r, conf := t.Region(); conf >= language.Low && r.IsCountry() {
						if withRegion, err := language.Compose(base, r); err == nil {
							add(withRegion)
						}
					}
				}
			}
		}
		for _, t := range display.Supported.Tags() {
			if _, conf := t.Region(); conf == language.Exact {
				add(t)
			} else if _, conf := t.Script(); conf == language.Exact {
				add(t)
			}
		}
		col := collate.New(c.tag, collate.Loose)
		slices.SortStableFunc(c.choices, func(a, b Choice) int { return col.CompareString(a.Name, b.Name) })
		// What a person may type for each, folded; the first in the list's
		// order wins a key two share.
		c.byKey = map[string]string{}
		for _, ch := range c.choices {
			for _, k := range []string{ch.Name, ch.Self, English().LanguageName(ch.Tag), ch.Tag} {
				if k = Fold(k); k != "" {
					if _, taken := c.byKey[k]; !taken {
						c.byKey[k] = ch.Tag
					}
				}
			}
		}
	})
	return c.choices
}

// LanguageName names a tag in the catalogue's language: its language, and
// in brackets its script and region ("French (Canada)"); "" when CLDR
// does not know the language.
func (c *Catalog) LanguageName(tag string) string {
	c = c.or()
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	base, _ := t.Base()
	name := c.names.Name(language.Make(base.String()))
	if name == "" {
		name = English().names.Name(language.Make(base.String()))
	}
	if name == "" {
		return ""
	}
	var extra []string
	if s, conf := t.Script(); conf == language.Exact {
		if n := display.Scripts(c.tag).Name(s); n != "" {
			extra = append(extra, n)
		}
	}
	if r, conf := t.Region(); conf == language.Exact {
		if n := display.Regions(c.tag).Name(r); n != "" {
			extra = append(extra, n)
		}
	}
	name = upperFirst(name)
	if len(extra) > 0 {
		name += " (" + strings.Join(extra, ", ") + ")"
	}
	return name
}

// SelfName is a language's own name for itself ("norsk bokmål"), by its
// base language; "" when CLDR has none.
func (c *Catalog) SelfName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	base, _ := t.Base()
	return display.Self.Name(language.Make(base.String()))
}

// Resolve finds the tag a person meant by what they typed in the language
// field: a name (in the catalogue's language, English or the language's
// own), or a tag. ok is false when it names no language langcard offers
// and is not a tag.
func (c *Catalog) Resolve(typed string) (tag string, ok bool) {
	c = c.or().root()
	f := Fold(strings.TrimSpace(typed))
	if f == "" {
		return "", false
	}
	c.Choices() // builds byKey
	tag, ok = c.byKey[f]
	return tag, ok
}

// Fold is a string as the language search compares it: lower case,
// without accents (the widget folds a query the same way in the browser).
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
