package langprof

import "strings"

// allowedAudiences is a flags enum in Graph's beta metadata (docs/graph.md,
// "Audiences"): each member a bit, "me" none. Answers have carried
// numeric strings ("8"); the metadata allows combinations
// ("organization,everyone", or 40). People still choose one named member.

// audienceBits are the members' values, in the order of Audiences, then
// unknownFutureValue.
var audienceBits = [...]struct {
	a    Audience
	bits uint8
}{
	{Me, 0}, {Family, 1}, {Contacts, 2}, {GroupMembers, 4}, {Organization, 8},
	{FederatedOrganizations, 16}, {Everyone, 32}, {AudienceUnknownFutureValue, 64},
}

// allBits are the bits a member names; any other bit is a value langcard
// cannot read.
const allBits = 127

// organizationWide are the members that include everyone in the viewer's
// organization: the organization itself and the broader audiences.
const organizationWide = 8 | 16 | 32

// Flags reads a as Graph's flags enum: member names (as Graph spells
// them: OData's enum members are case-sensitive), numbers,
// or a comma-separated combination of either. ok is false for anything
// else, "" included: a value langcard cannot read.
func (a Audience) Flags() (flags uint8, ok bool) {
	if strings.TrimSpace(string(a)) == "" {
		return 0, false
	}
	for _, part := range strings.Split(string(a), ",") {
		part = strings.TrimSpace(part)
		bits, ok := memberBits(part)
		if !ok {
			if bits, ok = number(part); !ok {
				return 0, false
			}
		}
		flags |= bits
	}
	return flags, true
}

func memberBits(name string) (uint8, bool) {
	for _, m := range audienceBits {
		if name == string(m.a) {
			return m.bits, true
		}
	}
	return 0, false
}

// number reads a decimal flags value within the members' bits.
func number(s string) (uint8, bool) {
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n > allBits {
		return 0, false
	}
	return uint8(n), true
}

// Named is the one member a stands for, however Graph spelled it ("8" or
// "organization"): ok is false for a combination of members, for
// unknownFutureValue and for a value langcard cannot read.
func (a Audience) Named() (Audience, bool) {
	flags, ok := a.Flags()
	if !ok {
		return "", false
	}
	for _, m := range audienceBits[:len(Audiences)] {
		if m.bits == flags {
			return m.a, true
		}
	}
	return "", false
}

// Members lists the named members of a combination, narrowest first (nil
// when a cannot be read).
func (a Audience) Members() []Audience {
	flags, ok := a.Flags()
	if !ok {
		return nil
	}
	if flags == 0 {
		return []Audience{Me}
	}
	var out []Audience
	for _, m := range audienceBits[1:] {
		if flags&m.bits != 0 {
			out = append(out, m.a)
		}
	}
	return out
}

// SharedWithOrganization reports whether an entry with audience a may be
// shown to a colleague in the owner's organization: only when it names
// the organization or a broader audience (federated organizations,
// everyone). Audiences that need a relationship langcard cannot establish
// (family, contacts, group members), "me", and values it cannot read are
// not.
func (a Audience) SharedWithOrganization() bool {
	flags, ok := a.Flags()
	return ok && flags&organizationWide != 0
}
