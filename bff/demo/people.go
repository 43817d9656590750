// Package demo is langcard's demo mode: an identity provider shaped like
// Entra ID (entrafake, for one demo tenant) and the Graph emulator, each on its
// own loopback listener, seeded with demo people. make run uses it, and so
// do the end-to-end tests, so that both exercise the same real peers.
package demo

import (
	"slices"

	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

// Person is a demo person: who they are in the directory, and the Entra
// directory roles the identity provider states for them (role template
// ids, in the ID token's wids claim, as Entra does when the app
// registration asks for them).
//
// The demo tenant has consented, tenant-wide, to every permission langcard
// asks for: everyone's token holds them, as in a real tenant, so only a
// role makes an administrator.
type Person struct {
	graphfake.Person
	Roles []string
}

// Entra's built-in role template ids the demo people hold.
const (
	UserAdministrator   = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	PeopleAdministrator = "024906de-61e5-49c8-8572-40335f1e0e10"
	// member is the template id Entra puts in every member's wids (the
	// Zero Trust guide's "standard member" entry): no role.
	member = "b79fbf4d-3ef9-4689-8143-76b194e85509"
)

// The demo people. The first is the default.
var (
	Innocenty = Person{Person: graphfake.Person{ID: "db789417-4ccb-41d1-a0a9-47b01a09ea49", DisplayName: "Innocenty Popov", UPN: "innocenty.popov@contoso.example"}, Roles: []string{member}}
	Megan     = Person{Person: graphfake.Person{ID: "48d31887-5fad-4d73-a9f5-3c356e68a038", DisplayName: "Megan Bowen", UPN: "megan.bowen@contoso.example"}, Roles: []string{member}}
	// Adele is a User Administrator: langcard counts the role, and Graph
	// lets her change other people's profiles.
	Adele = Person{Person: graphfake.Person{ID: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", DisplayName: "Adele Vance", UPN: "adele.vance@contoso.example", Role: true}, Roles: []string{member, UserAdministrator}}
	// Lee holds every permission (as everyone does) and the People
	// Administrator role, which langcard does not count by default and
	// which does not let him change others' profiles in Graph: where an
	// operator counts it anyway, Graph answers 403 ErrorAccessDeniedForRole.
	Lee    = Person{Person: graphfake.Person{ID: "3f0c2b1e-7d6a-4e59-b8c4-1a2d3e4f5a60", DisplayName: "Lee Gu", UPN: "lee.gu@contoso.example"}, Roles: []string{member, PeopleAdministrator}}
	People = []Person{Innocenty, Megan, Adele, Lee}
)

// Administrator reports whether p holds a role langcard counts by default.
func (p Person) Administrator() bool { return slices.Contains(p.Roles, UserAdministrator) }

// ExampleID is the id of the upstream page's example entry.
const ExampleID = "0fb4c1e3-c1e3-0fb4-e3c1-b40fe3c1b40f"

// Example returns the upstream page's example entry exactly as its
// response shows it, with the display name in correct UTF-8.
func Example() langprof.LanguageProficiency {
	at := langprof.DateTime("2020-07-06T06:34:12.2294868Z")
	by := &langprof.IdentitySet{User: &langprof.Identity{DisplayName: Innocenty.DisplayName, ID: Innocenty.ID}}
	return langprof.LanguageProficiency{
		ID:               ExampleID,
		AllowedAudiences: langprof.Organization,
		CreatedDateTime:  &at, CreatedBy: by,
		LastModifiedDateTime: &at, LastModifiedBy: by,
		DisplayName: "Norwegian Bokmål",
		Tag:         "nb-NO",
		Spoken:      langprof.NativeOrBilingual,
		Written:     langprof.NativeOrBilingual,
		Reading:     langprof.NativeOrBilingual,
	}
}

// Seed stores the demo people's languages in g.
func Seed(g *graphfake.Server) {
	g.Seed(Innocenty.ID, Example())
	at := langprof.DateTime("2024-03-18T09:12:40Z")
	by := &langprof.IdentitySet{User: &langprof.Identity{DisplayName: Innocenty.DisplayName, ID: Innocenty.ID}}
	src, extra := graphfake.APIWritten()
	g.Seed(Innocenty.ID, langprof.LanguageProficiency{
		ID: "5d1c0a7e-9b7c-4d0b-9a55-0c2f4d6b8e11", AllowedAudiences: langprof.Organization,
		CreatedDateTime: &at, CreatedBy: by, LastModifiedDateTime: &at, LastModifiedBy: by,
		DisplayName: "English (United States)", Tag: "en-US",
		Spoken: langprof.FullProfessional, Written: langprof.ProfessionalWorking, Reading: langprof.FullProfessional,
		Source: src, Extra: extra,
	})
	mb := &langprof.IdentitySet{User: &langprof.Identity{DisplayName: Megan.DisplayName, ID: Megan.ID}}
	src, extra = graphfake.APIWritten()
	g.Seed(Megan.ID, langprof.LanguageProficiency{
		ID: "a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44", AllowedAudiences: langprof.Organization,
		CreatedDateTime: &at, CreatedBy: mb, LastModifiedDateTime: &at, LastModifiedBy: mb,
		DisplayName: "French", Tag: "fr",
		Spoken: langprof.Conversational, Written: langprof.Elementary, Reading: langprof.LimitedWorking,
		Source: src, Extra: extra,
	})
	// Colleagues with a mix of audiences: what a colleague is shown and
	// what is kept from them.
	for _, x := range []struct {
		who                   Person
		id, tag, name         string
		audience              langprof.Audience
		spoken, written, read langprof.Level
	}{
		{Adele, "e1a2b3c4-0000-4000-8000-00000000ad01", "es", "Spanish", langprof.Everyone, langprof.FullProfessional, langprof.ProfessionalWorking, langprof.FullProfessional},
		{Adele, "e1a2b3c4-0000-4000-8000-00000000ad02", "pt-BR", "Portuguese (Brazil)", langprof.Family, langprof.Conversational, langprof.Elementary, langprof.Conversational},
		{Adele, "e1a2b3c4-0000-4000-8000-00000000ad03", "fi", "Finnish", langprof.Me, langprof.Elementary, "", langprof.Elementary},
		// Shared with federated organizations: broader than the
		// organization, so colleagues see it.
		{Lee, "e1a2b3c4-0000-4000-8000-00000000ee01", "ko", "Korean", langprof.FederatedOrganizations, langprof.NativeOrBilingual, langprof.NativeOrBilingual, langprof.NativeOrBilingual},
		{Lee, "e1a2b3c4-0000-4000-8000-00000000ee02", "ja", "Japanese", langprof.Contacts, langprof.LimitedWorking, langprof.Elementary, langprof.LimitedWorking},
	} {
		by := &langprof.IdentitySet{User: &langprof.Identity{DisplayName: x.who.DisplayName, ID: x.who.ID}}
		src, extra := graphfake.APIWritten()
		g.Seed(x.who.ID, langprof.LanguageProficiency{
			ID: x.id, Tag: x.tag, DisplayName: x.name, AllowedAudiences: x.audience, Spoken: x.spoken, Written: x.written, Reading: x.read,
			CreatedDateTime: &at, CreatedBy: by, LastModifiedDateTime: &at, LastModifiedBy: by, Source: src, Extra: extra,
		})
	}
	// Synced by a Microsoft service, as the real service returns such
	// entries (docs/graph.md): written by an application with no user, a
	// source collection, searchable, and levels never set (null).
	synced := langprof.DateTime("2025-11-02T17:40:03.1180000Z")
	app := &langprof.IdentitySet{Application: &langprof.Identity{DisplayName: "MsGraph"}}
	g.Seed(Megan.ID, langprof.LanguageProficiency{
		// The audience as a number, as real answers have carried it
		// ("8": organization).
		ID: "c7b2e9d4-3f1a-4b8c-a6d5-9e0f1a2b3c4d", AllowedAudiences: "8",
		CreatedDateTime: &synced, CreatedBy: app, LastModifiedDateTime: &synced, LastModifiedBy: app,
		DisplayName: "German", Tag: "de-DE", Reading: langprof.ProfessionalWorking,
		Source: &langprof.PersonDataSource{Type: []string{"User", "MsGraph"}},
		Extra: map[string][]byte{
			"isSearchable": []byte("true"), "thumbnailUrl": []byte("null"), "proficiency": []byte("null"),
			"sources": []byte(`[{"sourceId":"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9","isDefaultSource":true,"properties":["tag","displayName"]}]`),
		},
	})
	// Synced from Entra ID, as the docs' profile example shows such an
	// entry: created by the application "AAD" with no user, and year-1
	// times (no date). The organization owns it: shown, never offered for
	// editing (docs/graph.md, "Entries the organization owns").
	never := langprof.DateTime("0001-01-01T00:00:00Z")
	aad := &langprof.IdentitySet{Application: &langprof.Identity{DisplayName: "AAD"}}
	g.Seed(Megan.ID, langprof.LanguageProficiency{
		ID: OrganizationID, AllowedAudiences: langprof.Organization,
		CreatedDateTime: &never, CreatedBy: aad, LastModifiedDateTime: &never, LastModifiedBy: aad,
		DisplayName: "English (United Kingdom)", Tag: "en-GB",
	})
}

// OrganizationID is the id of Megan's entry that the organization owns.
const OrganizationID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f00000aad"
