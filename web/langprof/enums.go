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

var levelLabels = map[Level]string{
	Elementary:          "Elementary",
	Conversational:      "Conversational",
	LimitedWorking:      "Limited working",
	ProfessionalWorking: "Professional working",
	FullProfessional:    "Full professional",
	NativeOrBilingual:   "Native or bilingual",
}

// Label returns the level's English label for a person, or the raw value
// when the level is not one a person may choose.
func (l Level) Label() string {
	if s, ok := levelLabels[l]; ok {
		return s
	}
	return string(l)
}

// Valid reports whether a person may choose l.
func (l Level) Valid() bool {
	_, ok := levelLabels[l]
	return ok
}

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

var audienceLabels = map[Audience]string{
	Me:                     "Only me",
	Family:                 "Family",
	Contacts:               "Contacts",
	GroupMembers:           "Group members",
	Organization:           "My organization",
	FederatedOrganizations: "Federated organizations",
	Everyone:               "Everyone",
}

// Label returns the audience's English label for a person, or the raw value.
func (a Audience) Label() string {
	if s, ok := audienceLabels[a]; ok {
		return s
	}
	return string(a)
}

// Valid reports whether a person may choose a. Graph's metadata declares
// allowedAudiences a flags enum, but combined values are unconfirmed, so
// only single members are valid.
func (a Audience) Valid() bool {
	_, ok := audienceLabels[a]
	return ok
}

// join lists enum values as Graph spells them, for messages.
func join[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
