// Package i18n is langcard's message catalogue: every string a person can
// see, one JSON file per language (en.json, nb.json, …). Adding a language
// is adding its file: its messages, its plural rule and its date format.
// Language names come from CLDR (x/text) in the catalogue's language.
//
// The server renders the messages; the widget receives the ones it needs
// from the page (Widget), so the WebAssembly links no text packages.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

//go:embed *.json
var files embed.FS

// Catalog is one language's messages.
type Catalog struct {
	tag    language.Tag
	msgs   map[string]string
	plural func(n int) string
	months []string
	names  display.Namer

	once    sync.Once
	choices []Choice
	byKey   map[string]string // folded name, own name, English name or tag → tag

	// base, on a catalogue About someone, is the catalogue it was made
	// from (its choices and caches are the base's).
	base *Catalog
}

// About returns the catalogue speaking of person's profile rather than
// the reader's own: each message whose key has a twin "<key>@others"
// ("{person}’s organization can see this") reads as that twin, with
// {person} filled in. The words of one's own profile stay the default.
func (c *Catalog) About(person string) *Catalog {
	c = c.or().root()
	d := &Catalog{tag: c.tag, plural: c.plural, months: c.months, names: c.names, base: c, msgs: make(map[string]string, len(c.msgs))}
	for k, v := range c.msgs {
		d.msgs[k] = v
	}
	for k, v := range c.msgs {
		if b, ok := strings.CutSuffix(k, othersSuffix); ok {
			d.msgs[b] = fill(v, []string{"person", person})
		}
	}
	return d
}

// othersSuffix marks a message's twin about someone else's profile.
const othersSuffix = "@others"

// Shared reports whether c is one of the catalogues (not one About
// someone): a cache may keep what it builds from it.
func (c *Catalog) Shared() bool { return c.or().base == nil }

func (c *Catalog) root() *Catalog {
	if c.base != nil {
		return c.base
	}
	return c
}

// The keys of a catalogue file that are not messages.
const (
	keyPlural = "@plural" // the plural rule: one of pluralRules
	keyDate   = "@date"   // a date: {day}, {month} (a name from @months), {year}
	keyMonths = "@months" // the twelve month names, comma-separated
)

// pluralRules are the CLDR plural rules a catalogue may name: each gives
// the category ("one" or "other") of a count.
var pluralRules = map[string]func(int) string{
	"one-other": func(n int) string { // English, Norwegian, German, Swedish, …
		if n == 1 {
			return "one"
		}
		return "other"
	},
	"zero-one-other": func(n int) string { // French, Portuguese: 0 and 1 are "one"
		if n == 0 || n == 1 {
			return "one"
		}
		return "other"
	},
	"other": func(int) string { return "other" }, // Japanese, Chinese, …
}

var (
	catalogs []*Catalog
	matcher  language.Matcher
)

func init() {
	var err error
	catalogs, err = load()
	if err != nil {
		panic(err) // the files are embedded: Test catches this first
	}
	tags := make([]language.Tag, len(catalogs))
	for i, c := range catalogs {
		tags[i] = c.tag
	}
	matcher = language.NewMatcher(tags)
}

// load reads every catalogue; English comes first (the fallback).
func load() ([]*Catalog, error) {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var out []*Catalog
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		c, err := parse(strings.TrimSuffix(e.Name(), path.Ext(e.Name())), data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b *Catalog) int {
		switch {
		case a.tag == language.English:
			return -1
		case b.tag == language.English:
			return 1
		}
		return strings.Compare(a.tag.String(), b.tag.String())
	})
	if len(out) == 0 || out[0].tag != language.English {
		return nil, fmt.Errorf("no English catalogue")
	}
	return out, nil
}

func parse(name string, data []byte) (*Catalog, error) {
	tag, err := language.Parse(name)
	if err != nil {
		return nil, err
	}
	c := &Catalog{tag: tag, msgs: map[string]string{}, names: display.Tags(tag)}
	if err := json.Unmarshal(data, &c.msgs); err != nil {
		return nil, err
	}
	if c.plural = pluralRules[c.msgs[keyPlural]]; c.plural == nil {
		return nil, fmt.Errorf("%s is %q, not one of the known plural rules", keyPlural, c.msgs[keyPlural])
	}
	if c.months = strings.Split(c.msgs[keyMonths], ","); len(c.months) != 12 {
		return nil, fmt.Errorf("%s must name twelve months", keyMonths)
	}
	return c, nil
}

// English is the fallback catalogue.
func English() *Catalog { return catalogs[0] }

// Match picks the catalogue for a request: the override (an embed
// element's lang attribute) when it names one, else the best match for
// the Accept-Language header, else English. ok is false when a non-empty
// override matched no catalogue.
func Match(acceptLanguage, override string) (c *Catalog, ok bool) {
	if override != "" {
		if t, err := language.Parse(override); err == nil {
			if _, i, conf := matcher.Match(t); conf >= language.High {
				return catalogs[i], true
			}
		}
		ok = false
	} else {
		ok = true
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return catalogs[0], ok
	}
	_, i, conf := matcher.Match(tags...)
	if conf < language.High {
		return catalogs[0], ok
	}
	return catalogs[i], ok
}

// or is c, or English when c is nil: a page built without a catalogue
// still reads in English.
func (c *Catalog) or() *Catalog {
	if c == nil {
		return catalogs[0]
	}
	return c
}

// Lang is the catalogue's language, for <html lang>.
func (c *Catalog) Lang() string { return c.or().tag.String() }

// T returns the message key with its {placeholders} filled from args,
// given as name, value pairs. A key missing from the catalogue falls back
// to English (Test makes sure none is).
func (c *Catalog) T(key string, args ...string) string {
	c = c.or()
	msg, ok := c.msgs[key]
	if !ok {
		msg, ok = catalogs[0].msgs[key]
	}
	if !ok {
		return key
	}
	return fill(msg, args)
}

// N is T for a count: the key's plural form for n ("key.one", "key.other"
// by the catalogue's rule), with {n} filled too.
func (c *Catalog) N(key string, n int, args ...string) string {
	c = c.or()
	return c.T(key+"."+c.plural(n), append([]string{"n", strconv.Itoa(n)}, args...)...)
}

func fill(msg string, args []string) string {
	if !strings.Contains(msg, "{") {
		return msg
	}
	for i := 0; i+1 < len(args); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+args[i]+"}", args[i+1])
	}
	return msg
}

// Date formats a day in the catalogue's format (the browser shows it in
// the viewer's own locale once the widget runs).
func (c *Catalog) Date(t time.Time) string {
	c = c.or()
	return fill(c.msgs[keyDate], []string{"day", strconv.Itoa(t.Day()), "month", c.months[t.Month()-1], "year", strconv.Itoa(t.Year())})
}

// Subset returns the messages whose keys start with one of prefixes, in
// the catalogue's language (English where it has none).
func (c *Catalog) Subset(prefixes ...string) map[string]string {
	c = c.or()
	out := map[string]string{}
	for _, cat := range []*Catalog{catalogs[0], c} {
		for k, v := range cat.msgs {
			if strings.HasSuffix(k, othersSuffix) {
				continue // read through About
			}
			for _, p := range prefixes {
				if strings.HasPrefix(k, p) {
					out[k] = v
				}
			}
		}
	}
	return out
}
