package widget

import (
	"langcard/web/langprof"
)

// Card is the state of one card: what it was rendered with (Orig), what
// the form holds now, and what the server said was wrong.
type Card struct {
	// ID is the language's id; "" for the card that adds a new one.
	ID        string
	Orig, Now langprof.Values
	// NameTouched is set once the person types a display name, after
	// which a tag change no longer suggests one.
	NameTouched bool
	// Touched are the fields the person changed (problems show only there
	// on the new card, so an empty form is not a wall of errors).
	Touched [len(langprof.Props)]bool
	// Server holds the server's message for a property until it changes.
	Server map[string]string
}

// Changes returns what a save sends: the changed properties of a saved
// language, or every property a new one has (levels may be left unset).
func (c *Card) Changes() langprof.Patch {
	if c.ID == "" {
		return c.Now.Patch().OmitUnset()
	}
	return langprof.Diff(c.Orig.Patch(), c.Now.Patch())
}

// Dirty reports whether the form differs from what was rendered.
func (c *Card) Dirty() bool { return c.Orig != c.Now }

// Check validates the changes as the server will, returning them with the
// tag in canonical form, and the problem to show beside each field (a
// server's message has no Code: it is shown as it is).
func (c *Card) Check(tc langprof.Checks) (langprof.Patch, map[string]langprof.Problem) {
	p, ps := c.Changes().Validate(c.ID == "", tc)
	shown := map[string]langprof.Problem{}
	for _, pr := range ps {
		if i := langprof.PropIndex(pr.Target); i >= 0 && (c.ID != "" || c.Touched[i]) {
			if _, ok := shown[pr.Target]; !ok {
				shown[pr.Target] = pr
			}
		}
	}
	for prop, msg := range c.Server {
		if _, ok := shown[prop]; !ok {
			shown[prop] = langprof.Problem{Target: prop, Message: msg}
		}
	}
	if len(ps) > 0 && len(shown) == 0 {
		// Untouched required fields of a new card: not shown, still blocking.
		shown[""] = ps[0]
	}
	return p, shown
}

// Edit records the person's new value for prop.
func (c *Card) Edit(prop, value string) {
	c.Now.Set(prop, value)
	if i := langprof.PropIndex(prop); i >= 0 {
		c.Touched[i] = true
	}
	delete(c.Server, prop)
}
