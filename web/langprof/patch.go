package langprof

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Property names as Graph spells them.
const (
	PropAllowedAudiences = "allowedAudiences"
	PropDisplayName      = "displayName"
	PropTag              = "tag"
	PropSpoken           = "spoken"
	PropWritten          = "written"
	PropReading          = "reading"
)

// MaxDisplayName is the longest displayName, in characters, that langcard accepts.
const MaxDisplayName = 100

// MaxTag is the longest tag, in bytes, that langcard accepts. RFC 5646
// section 4.4.1 asks implementations to accept at least 35.
const MaxTag = 64

// Patch is a partial languageProficiency: a nil field is absent and left
// as it is; a non-nil one is present and sets the property.
type Patch struct {
	AllowedAudiences *Audience
	DisplayName      *string
	Tag              *string
	Spoken           *Level
	Written          *Level
	Reading          *Level
}

// OmitUnset returns p without the levels and audience a form left unset
// (""): a new entry needs a language and a name, and its levels may wait.
func (p Patch) OmitUnset() Patch {
	for _, l := range []**Level{&p.Spoken, &p.Written, &p.Reading} {
		if *l != nil && **l == "" {
			*l = nil
		}
	}
	if p.AllowedAudiences != nil && *p.AllowedAudiences == "" {
		p.AllowedAudiences = nil
	}
	return p
}

// Present returns the names of the properties present in p, in the
// order of Props.
func (p Patch) Present() []string {
	var names []string
	for _, prop := range Props {
		if _, ok := p.Get(prop); ok {
			names = append(names, prop)
		}
	}
	return names
}

// Empty reports whether no property is present.
func (p Patch) Empty() bool { return len(p.Present()) == 0 }

// Diff returns the properties of next that differ from prev: what a
// person changed, and so all that a partial PATCH should carry.
func Diff(prev, next Patch) Patch {
	var d Patch
	for _, prop := range Props {
		nv, present := next.Get(prop)
		if pv, was := prev.Get(prop); present && (!was || pv != nv) {
			d.Set(prop, nv)
		}
	}
	return d
}

// Problem is one thing wrong with a request, in the shape of one detail
// of Graph's error body: Target names the property at fault.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target,omitempty"`
	// Reason tells apart problems of one property and code for the
	// message a person reads (Key); "" when the code says it all. Detail
	// is what it is about (a subtag, a count, a character) and Value the
	// value refused: Text makes them the API's message.
	Reason string `json:"-"`
	Detail string `json:"-"`
	Value  string `json:"-"`
}

// Key is the message catalogue's key for what a person is told about p:
// "problem.<property>.<reason>", the reason being Reason, "required",
// or "invalid".
func (p Problem) Key() string {
	reason := p.Reason
	switch {
	case p.Target == PropTag && reason != "required" && reason != "":
		reason = "invalid" // one message for people, whatever the rule
	case reason != "":
	case p.Code == CodeRequired:
		reason = "required"
	default:
		reason = "invalid"
	}
	return "problem." + p.Target + "." + reason
}

// Problem codes.
const (
	CodeRequired     = "required"
	CodeInvalidValue = "invalidValue"
	CodeTooLong      = "tooLong"
	CodeInvalidTag   = "invalidTag"
	CodeUnknownProp  = "unknownProperty"
	CodeReadOnly     = "readOnlyProperty"
	CodeDuplicate    = "duplicateProperty"
	CodeInvalidType  = "invalidType"
	CodeInvalidBody  = "invalidBody"
)

// Problems is a list of problems; as an error it reads as all of them.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Text()
	}
	return strings.Join(s, "; ")
}

// For returns the first problem whose Target is prop, or nil.
func (ps Problems) For(prop string) *Problem {
	for i := range ps {
		if ps[i].Target == prop {
			return &ps[i]
		}
	}
	return nil
}

// Checks are the platform's parts of validation: the server passes
// x/text's (package bcp47), the browser Intl's and String.normalize. The
// rules themselves are langprof's, so both say the same.
type Checks struct {
	// Tag checks a BCP 47 tag.
	Tag TagCheck
	// NFC returns s in Unicode Normalization Form C.
	NFC func(s string) string
}

// TagCheck checks a BCP 47 tag. It returns the tag's canonical form, or
// what is wrong with it (for example the unknown subtag) and no tag.
type TagCheck func(tag string) (canonical string, problem TagProblem)

// Validate checks every property present in p and returns p with its tag
// in canonical form and its displayName in NFC, and a problem for each
// bad property. For a new entry (create), tag and displayName are required.
func (p Patch) Validate(create bool, check Checks) (Patch, Problems) {
	var ps Problems
	if p.AllowedAudiences != nil && !p.AllowedAudiences.Valid() {
		ps = append(ps, Problem{Code: CodeInvalidValue, Target: PropAllowedAudiences, Value: string(*p.AllowedAudiences)})
	}
	if p.DisplayName != nil {
		name := *p.DisplayName
		if utf8.ValidString(name) {
			name = check.NFC(name)
		}
		if code, reason, detail := displayNameProblem(name); code != "" {
			ps = append(ps, Problem{Code: code, Target: PropDisplayName, Reason: reason, Detail: detail})
		} else {
			p.DisplayName = &name
		}
	} else if create {
		ps = append(ps, Problem{Code: CodeRequired, Target: PropDisplayName})
	}
	if p.Tag != nil {
		canonical, problem := tagProblem(*p.Tag, check.Tag)
		if problem != "" {
			ps = append(ps, Problem{Code: CodeInvalidTag, Target: PropTag, Reason: problem.Reason(), Detail: problem.Detail(), Value: *p.Tag})
		} else {
			p.Tag = &canonical
		}
	} else if create {
		ps = append(ps, Problem{Code: CodeRequired, Target: PropTag})
	}
	for _, f := range []struct {
		name string
		v    *Level
	}{{PropSpoken, p.Spoken}, {PropWritten, p.Written}, {PropReading, p.Reading}} {
		if f.v != nil && !f.v.Valid() {
			ps = append(ps, Problem{Code: CodeInvalidValue, Target: f.name, Value: string(*f.v)})
		}
	}
	return p, ps
}

// displayNameProblem applies the rules for text people will read
// elsewhere (docs/security.md, rule 19): valid UTF-8, no surrounding spaces, at
// most MaxDisplayName characters, no control characters, no invisible or
// reordering format characters (Unicode category Cf, such as U+200B or
// U+202E) but the joiners that real scripts need inside words (ZWJ,
// ZWNJ), and at least one visible character.
func displayNameProblem(s string) (code, reason, detail string) {
	switch {
	case !utf8.ValidString(s):
		return CodeInvalidValue, "encoding", ""
	case strings.TrimSpace(s) == "":
		return CodeInvalidValue, "empty", ""
	case strings.TrimSpace(s) != s:
		return CodeInvalidValue, "spaces", ""
	case utf8.RuneCountInString(s) > MaxDisplayName:
		return CodeTooLong, "tooLong", strconv.Itoa(utf8.RuneCountInString(s))
	}
	visible := false
	var prev rune
	for i, r := range s {
		switch {
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError:
			return CodeInvalidValue, "control", ""
		case (r == '\u200c' || r == '\u200d') && inWord(prev) && inWord(nextRune(s[i+utf8.RuneLen(r):])):
			// A joiner inside a word, as Persian, Indic scripts and emoji use.
		case unicode.Is(unicode.Cf, r):
			return CodeInvalidValue, "invisible", string(r)
		case !unicode.IsSpace(r) && !unicode.Is(unicode.Mn, r):
			visible = true // not a space, a format character or a mark alone
		}
		prev = r
	}
	if !visible {
		return CodeInvalidValue, "notVisible", ""
	}
	return "", "", ""
}

// inWord reports whether r can stand beside a joiner inside a word:
// anything but spaces, ASCII punctuation, control and format characters.
// (Letter and symbol tables would cost the widget 16 KB.)
func inWord(r rune) bool {
	return r > ' ' && !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) &&
		!(r < 0x80 && !('0' <= r && r <= '9' || 'a' <= r|0x20 && r|0x20 <= 'z'))
}

func nextRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// codePoint writes r as U+XXXX.
func codePoint(r rune) string {
	const hex = "0123456789ABCDEF"
	b := []byte("U+")
	started := false
	for shift := 20; shift >= 0; shift -= 4 {
		d := (r >> shift) & 0xf
		if d != 0 || started || shift < 16 {
			b, started = append(b, hex[d]), true
		}
	}
	return string(b)
}

func tagProblem(s string, check TagCheck) (string, TagProblem) {
	switch {
	case s == "":
		return "", tagProblemOf(ReasonRequired, "")
	case len(s) > MaxTag:
		return "", tagProblemOf(ReasonTooLong, strconv.Itoa(len(s)))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", tagProblemOf(ReasonCharacters, "")
		}
	}
	return CheckTag(s, check)
}

// Quote quotes s for a message, cut to 40 characters: backslashes,
// double quotes and control characters are escaped as in Go.
func Quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:40]) + "…"
	}
	const hex = "0123456789abcdef"
	b := []byte{'"'}
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20 || r == 0x7f:
			b = append(b, '\\', 'x', hex[r>>4], hex[r&0xf])
		case r == utf8.RuneError:
			b = append(b, `\ufffd`...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return string(append(b, '"'))
}
