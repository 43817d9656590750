package langprof_test

import (
	"slices"
	"testing"

	"langcard/web/langprof"
)

// allowedAudiences is read as the flags enum Graph's metadata declares:
// names, numbers and combinations; colleagues in the organization see
// what is shared with it or anything broader, and nothing langcard
// cannot read.
func TestAudienceFlags(t *testing.T) {
	for _, c := range []struct {
		a      langprof.Audience
		flags  uint8
		ok     bool
		shared bool
		named  langprof.Audience // "" when not one member
	}{
		{"me", 0, true, false, "me"},
		{"0", 0, true, false, "me"},
		{"family", 1, true, false, "family"},
		{"contacts", 2, true, false, "contacts"},
		{"groupMembers", 4, true, false, "groupMembers"},
		{"4", 4, true, false, "groupMembers"},
		{"organization", 8, true, true, "organization"},
		{"8", 8, true, true, "organization"},
		{"federatedOrganizations", 16, true, true, "federatedOrganizations"},
		{"16", 16, true, true, "federatedOrganizations"},
		{"everyone", 32, true, true, "everyone"},
		{"32", 32, true, true, "everyone"},
		{"unknownFutureValue", 64, true, false, ""},
		{"64", 64, true, false, ""},
		{"organization,everyone", 40, true, true, ""},
		{"organization, everyone", 40, true, true, ""},
		{"40", 40, true, true, ""},
		{"me, everyone", 32, true, true, "everyone"},
		{"family,contacts", 3, true, false, ""},
		{"3", 3, true, false, ""},
		{"family,8", 9, true, true, ""},
		{"contacts,unknownFutureValue", 66, true, false, ""},
		{"72", 72, true, true, ""},
		{"127", 127, true, true, ""},
		// What langcard cannot read stays hidden.
		{"", 0, false, false, ""},
		{" ", 0, false, false, ""},
		{"128", 0, false, false, ""},
		{"-8", 0, false, false, ""},
		{"8.0", 0, false, false, ""},
		{"0x8", 0, false, false, ""},
		{"partners", 0, false, false, ""},
		{"Organization", 0, false, false, ""},
		{"organization,partners", 0, false, false, ""},
		{"organization,", 0, false, false, ""},
		{",", 0, false, false, ""},
		{"00008", 0, false, false, ""},
	} {
		flags, ok := c.a.Flags()
		if ok != c.ok || flags != c.flags {
			t.Errorf("%q.Flags() = %d, %v; want %d, %v", c.a, flags, ok, c.flags, c.ok)
		}
		if got := c.a.SharedWithOrganization(); got != c.shared {
			t.Errorf("%q.SharedWithOrganization() = %v, want %v", c.a, got, c.shared)
		}
		named, ok := c.a.Named()
		if named != c.named || ok != (c.named != "") {
			t.Errorf("%q.Named() = %q, %v; want %q", c.a, named, ok, c.named)
		}
	}
	if got := langprof.Audience("8,32,family").Members(); !slices.Equal(got, []langprof.Audience{"family", "organization", "everyone"}) {
		t.Errorf("Members = %v", got)
	}
	// The person's choices stay the named members.
	for _, a := range []langprof.Audience{"8", "organization,everyone", "unknownFutureValue"} {
		if a.Valid() {
			t.Errorf("%q is offered as a choice", a)
		}
	}
}
