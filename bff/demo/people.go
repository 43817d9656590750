// Package demo is langcard's demo mode: an identity provider (mockoidc,
// dressed to issue Entra-like tokens) and the Graph emulator, each on its
// own loopback listener, seeded with demo people. make run uses it, and so
// do the end-to-end tests, so that both exercise the same real peers.
package demo

import (
	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

// Person is a demo person: who they are in the directory and whether they
// administer profiles (User.ReadWrite.All).
type Person struct {
	graphfake.Person
	Admin bool
}

// The demo people. The first is the default.
var (
	Innocenty = Person{Person: graphfake.Person{ID: "db789417-4ccb-41d1-a0a9-47b01a09ea49", DisplayName: "Innocenty Popov", UPN: "innocenty.popov@contoso.example"}}
	Megan     = Person{Person: graphfake.Person{ID: "48d31887-5fad-4d73-a9f5-3c356e68a038", DisplayName: "Megan Bowen", UPN: "megan.bowen@contoso.example"}}
	Adele     = Person{Person: graphfake.Person{ID: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", DisplayName: "Adele Vance", UPN: "adele.vance@contoso.example"}, Admin: true}
	People    = []Person{Innocenty, Megan, Adele}
)

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

func seed(g *graphfake.Server) {
	g.Seed(Innocenty.ID, Example())
	at := langprof.DateTime("2024-03-18T09:12:40Z")
	by := &langprof.IdentitySet{User: &langprof.Identity{DisplayName: Innocenty.DisplayName, ID: Innocenty.ID}}
	g.Seed(Innocenty.ID, langprof.LanguageProficiency{
		ID: "5d1c0a7e-9b7c-4d0b-9a55-0c2f4d6b8e11", AllowedAudiences: langprof.Organization,
		CreatedDateTime: &at, CreatedBy: by, LastModifiedDateTime: &at, LastModifiedBy: by,
		DisplayName: "English (United States)", Tag: "en-US",
		Spoken: langprof.FullProfessional, Written: langprof.ProfessionalWorking, Reading: langprof.FullProfessional,
	})
	mb := &langprof.IdentitySet{User: &langprof.Identity{DisplayName: Megan.DisplayName, ID: Megan.ID}}
	g.Seed(Megan.ID, langprof.LanguageProficiency{
		ID: "a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44", AllowedAudiences: langprof.Organization,
		CreatedDateTime: &at, CreatedBy: mb, LastModifiedDateTime: &at, LastModifiedBy: mb,
		DisplayName: "French", Tag: "fr",
		Spoken: langprof.Conversational, Written: langprof.Elementary, Reading: langprof.LimitedWorking,
	})
}
