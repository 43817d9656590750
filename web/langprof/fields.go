package langprof

// The one list of the person-editable properties. Everything that walks
// them (forms, cards, the JSON codec, the widget, Diff, Apply) derives
// from Props and the four accessors below: adding a property is a change
// here (its constant, Props, the accessors, its struct fields and its
// validation) and in its view.

// Props are the person-editable properties, by Graph's names, in the
// order of a card's form.
var Props = [...]string{PropTag, PropDisplayName, PropSpoken, PropWritten, PropReading, PropAllowedAudiences}

// PropIndex returns prop's place in Props, or -1.
func PropIndex(prop string) int {
	for i, p := range Props {
		if p == prop {
			return i
		}
	}
	return -1
}

// Get returns the value of prop in p, and whether it is present.
func (p Patch) Get(prop string) (string, bool) {
	var v *string
	switch prop {
	case PropTag:
		v = p.Tag
	case PropDisplayName:
		v = p.DisplayName
	case PropSpoken:
		v = (*string)(p.Spoken)
	case PropWritten:
		v = (*string)(p.Written)
	case PropReading:
		v = (*string)(p.Reading)
	case PropAllowedAudiences:
		v = (*string)(p.AllowedAudiences)
	}
	if v == nil {
		return "", false
	}
	return *v, true
}

// Set makes prop present in p with value.
func (p *Patch) Set(prop, value string) {
	switch prop {
	case PropTag:
		p.Tag = &value
	case PropDisplayName:
		p.DisplayName = &value
	case PropSpoken:
		p.Spoken = (*Level)(&value)
	case PropWritten:
		p.Written = (*Level)(&value)
	case PropReading:
		p.Reading = (*Level)(&value)
	case PropAllowedAudiences:
		p.AllowedAudiences = (*Audience)(&value)
	}
}

// Get returns the value of prop in lp, as text.
func (lp LanguageProficiency) Get(prop string) string {
	switch prop {
	case PropTag:
		return lp.Tag
	case PropDisplayName:
		return lp.DisplayName
	case PropSpoken:
		return string(lp.Spoken)
	case PropWritten:
		return string(lp.Written)
	case PropReading:
		return string(lp.Reading)
	case PropAllowedAudiences:
		return string(lp.AllowedAudiences)
	}
	return ""
}

// Set sets prop in lp.
func (lp *LanguageProficiency) Set(prop, value string) {
	switch prop {
	case PropTag:
		lp.Tag = value
	case PropDisplayName:
		lp.DisplayName = value
	case PropSpoken:
		lp.Spoken = Level(value)
	case PropWritten:
		lp.Written = Level(value)
	case PropReading:
		lp.Reading = Level(value)
	case PropAllowedAudiences:
		lp.AllowedAudiences = Audience(value)
	}
}

// Values are what a form or a card holds: each editable property as text,
// exactly as a person sent it or as Graph holds it, in the order of Props.
type Values [len(Props)]string

// ValuesOf returns the values of lp.
func ValuesOf(lp LanguageProficiency) Values {
	var v Values
	for i, p := range Props {
		v[i] = lp.Get(p)
	}
	return v
}

// Get returns the value of prop.
func (v *Values) Get(prop string) string {
	if i := PropIndex(prop); i >= 0 {
		return v[i]
	}
	return ""
}

// Set sets prop.
func (v *Values) Set(prop, value string) {
	if i := PropIndex(prop); i >= 0 {
		v[i] = value
	}
}

// Patch returns the values as a Patch with every property present.
func (v Values) Patch() Patch {
	var p Patch
	for i, prop := range Props {
		p.Set(prop, v[i])
	}
	return p
}
