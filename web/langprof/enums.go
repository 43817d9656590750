package langprof

import "strings"

// Level is a languageProficiencyLevel, spelled exactly as Graph spells it.
type Level string

// The languageProficiencyLevel members, weakest first.
const (
	Elementary          Level = "elementary"
	Conversational      Level = "conversational"
	LimitedWorking      Level = "limitedWorking"
	ProfessionalWorking Level = "professionalWorking"
	FullProfessional    Level = "fullProfessional"
	NativeOrBilingual   Level = "nativeOrBilingual"
	// LevelUnknownFutureValue is Graph's evolvable-enum sentinel: a server
	// may return it for members added later; a client never chooses it.
	LevelUnknownFutureValue Level = "unknownFutureValue"
)

// Levels lists the levels a person may choose, weakest first.
var Levels = []Level{Elementary, Conversational, LimitedWorking, ProfessionalWorking, FullProfessional, NativeOrBilingual}

// Valid reports whether a person may choose l. (Words for people are in
// the message catalogue, keyed by the value.)
func (l Level) Valid() bool { return member(Levels, l) }

// Audience is an allowedAudiences value, spelled exactly as Graph spells it.
type Audience string

// The allowedAudiences members, narrowest first.
const (
	Me                     Audience = "me"
	Family                 Audience = "family"
	Contacts               Audience = "contacts"
	GroupMembers           Audience = "groupMembers"
	Organization           Audience = "organization"
	FederatedOrganizations Audience = "federatedOrganizations"
	Everyone               Audience = "everyone"
	// AudienceUnknownFutureValue is Graph's evolvable-enum sentinel.
	AudienceUnknownFutureValue Audience = "unknownFutureValue"
)

// Audiences lists the audiences a person may choose, narrowest first.
var Audiences = []Audience{Me, Family, Contacts, GroupMembers, Organization, FederatedOrganizations, Everyone}

// Valid reports whether a person may choose a. Graph's metadata declares
// allowedAudiences a flags enum, but combined values are unconfirmed, so
// only single members are valid.
func (a Audience) Valid() bool { return member(Audiences, a) }

// member reports whether v is one of values (a loop, not a map: maps cost
// the widget's WebAssembly more).
func member[T comparable](values []T, v T) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}

// join lists enum values as Graph spells them, for messages.
func join[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
