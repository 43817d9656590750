package langprof

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The API's messages: what a problem says to a developer, in English and
// Graph's terms (people read the message catalogue instead, by Key). Only
// the server calls these, so the widget's WebAssembly links none of them.

// TagProblem is what is wrong with a tag, as data: a reason and what it
// is about ("unknownSubtag:NB", "replaced:tlh"); "" when nothing is.
type TagProblem string

// The reasons a tag is refused.
const (
	ReasonRequired   = "required"
	ReasonTooLong    = "tooLong"    // detail: its length
	ReasonCharacters = "characters" // not letters, digits and hyphens
	ReasonIllFormed  = "illFormed"
	ReasonUnknown    = "unknownSubtag" // detail: the subtag
	ReasonNoLanguage = "noLanguage"    // und, mis, qaa, x-… only
	ReasonReplaced   = "replaced"      // detail: the preferred tag
	ReasonPrivateUse = "privateUse"    // detail: the private-use region
)

func tagProblemOf(reason, detail string) TagProblem { return TagProblem(reason + ":" + detail) }

// TagProblemOf is a tag problem: a reason (Reason…) and its detail.
func TagProblemOf(reason, detail string) TagProblem { return tagProblemOf(reason, detail) }

// Reason is the problem's reason.
func (p TagProblem) Reason() string { r, _, _ := strings.Cut(string(p), ":"); return r }

// Detail is what the problem is about: a subtag, a tag, a length.
func (p TagProblem) Detail() string { _, d, _ := strings.Cut(string(p), ":"); return d }

// Message says what is wrong with tag, for the API.
func (p TagProblem) Message(tag string) string {
	q, d := Quote(tag), p.Detail()
	switch p.Reason() {
	case ReasonRequired:
		return "tag is required: a BCP 47 language tag such as en-US or nb-NO"
	case ReasonTooLong:
		return "tag is " + d + " characters long; the limit is " + strconv.Itoa(MaxTag)
	case ReasonCharacters:
		return "tag " + q + " is not a BCP 47 language tag: only letters, digits and hyphens are allowed"
	case ReasonUnknown:
		return "tag " + q + " uses the subtag " + Quote(d) + ", which is not in the IANA language subtag registry"
	case ReasonNoLanguage:
		return "tag " + q + " does not name a language"
	case ReasonReplaced:
		return "tag " + q + " is an old form of " + Quote(d) + "; use " + d
	case ReasonPrivateUse:
		return "tag " + q + " uses the subtag " + Quote(d) + ", which is reserved for private use and names no place"
	}
	return "tag " + q + " is not a well-formed BCP 47 language tag (for example en-US or nb-NO)"
}

// Text is the problem's message for the API: Message when it has one,
// else what its code, reason and detail say.
func (p Problem) Text() string {
	if p.Message != "" {
		return p.Message
	}
	switch p.Target {
	case PropTag:
		if p.Code == CodeRequired {
			return "tag is required"
		}
		return TagProblem(p.Reason + ":" + p.Detail).Message(p.Value)
	case PropDisplayName:
		switch p.Reason {
		case "encoding":
			return "displayName is not valid UTF-8"
		case "empty":
			return "displayName must not be empty"
		case "spaces":
			return "displayName must not start or end with spaces"
		case "tooLong":
			return "displayName is " + p.Detail + " characters long; the limit is " + strconv.Itoa(MaxDisplayName)
		case "control":
			return "displayName must not contain control characters"
		case "invisible":
			r, _ := utf8.DecodeRuneInString(p.Detail)
			return "displayName must not contain invisible or reordering characters (" + codePoint(r) + ")"
		case "notVisible":
			return "displayName must have a visible character"
		}
		return "displayName is required"
	case PropSpoken, PropWritten, PropReading:
		return enumText(p.Target, p.Value, join(Levels))
	case PropAllowedAudiences:
		return enumText(p.Target, p.Value, join(Audiences))
	}
	return p.Code
}

func enumText(prop, got, allowed string) string {
	switch {
	case got == "":
		return prop + " is required: choose one of " + allowed
	case got == string(LevelUnknownFutureValue):
		return prop + " cannot be set to unknownFutureValue, Graph's placeholder for values added later; choose one of " + allowed
	}
	return prop + " must be one of " + allowed + "; got " + Quote(got)
}
