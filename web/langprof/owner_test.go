package langprof_test

import (
	"testing"

	"langcard/web/langprof"
)

// Entries from the organization's systems are told apart by what Graph
// sends: a source without "User", or, with no source, a creating
// application and no user.
func TestOrganizationOwned(t *testing.T) {
	app := func(name string) *langprof.IdentitySet {
		return &langprof.IdentitySet{Application: &langprof.Identity{DisplayName: name}}
	}
	person := &langprof.IdentitySet{User: &langprof.Identity{DisplayName: "Megan Bowen", ID: "48d31887-5fad-4d73-a9f5-3c356e68a038"}}
	src := func(types ...string) *langprof.PersonDataSource { return &langprof.PersonDataSource{Type: types} }
	for _, c := range []struct {
		name string
		lp   langprof.LanguageProficiency
		want bool
	}{
		{"written through the API", langprof.LanguageProficiency{Source: src("User"), CreatedBy: person}, false},
		{"written through the API, with MsGraph", langprof.LanguageProficiency{Source: src("User", "MsGraph"), CreatedBy: app("MsGraph")}, false},
		{"source in another case", langprof.LanguageProficiency{Source: src("user")}, false},
		{"synced from Entra ID (the docs' example)", langprof.LanguageProficiency{CreatedBy: app("AAD")}, true},
		{"an Entra ID source", langprof.LanguageProficiency{Source: src("AAD"), CreatedBy: app("AAD")}, true},
		{"an HR system's source", langprof.LanguageProficiency{Source: src("HR")}, true},
		{"no source, by a person", langprof.LanguageProficiency{CreatedBy: person}, false},
		{"no source, nobody", langprof.LanguageProficiency{}, false},
		{"an empty source collection", langprof.LanguageProficiency{Source: src(), CreatedBy: person}, false},
		{"an application with no name", langprof.LanguageProficiency{CreatedBy: app(" ")}, false},
	} {
		if got := c.lp.OrganizationOwned(); got != c.want {
			t.Errorf("%s: OrganizationOwned() = %v, want %v", c.name, got, c.want)
		}
	}
}

// Graph's year-1 timestamps mean no date.
func TestDateKnown(t *testing.T) {
	for d, want := range map[langprof.DateTime]bool{
		"2020-07-06T06:34:12.2294868Z": true, "0001-01-01T00:00:00Z": false, "0001-01-01T00:00:00+00:00": false, "": false,
	} {
		if got := (&d).Known(); got != want {
			t.Errorf("%q.Known() = %v, want %v", d, got, want)
		}
	}
	var none *langprof.DateTime
	if none.Known() {
		t.Error("a nil time is known")
	}
}
