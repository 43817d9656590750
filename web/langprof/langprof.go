// Package langprof is langcard's domain: the languageProficiency facet of a
// Microsoft Graph profile, its two enums, a Patch that knows which properties
// are present, and validation that names each bad property and says why.
//
// Both the BFF and the WebAssembly widget import it, so it imports neither
// net/http nor syscall/js, and it stays clear of fmt, encoding/json and
// x/text so the widget stays small. The BCP 47 check is passed in as a
// TagCheck: the server uses golang.org/x/text/language (package bcp47), the
// browser uses Intl.getCanonicalLocales.
package langprof

// LanguageProficiency is one language on a person's profile, with the
// properties Graph returns (beta, microsoft.graph.languageProficiency).
// Pointer fields are null in Graph's JSON when absent; so are the string
// properties when "" (Graph stores levels a person never set as null).
//
// Graph's answers are decoded tolerantly (json.go): a value langcard does
// not know (a future enum member, a flags combination, a number) is kept
// as Graph's text, and the properties langcard does not model are kept in
// Extra, never sent back to Graph.
type LanguageProficiency struct {
	ID                   string            `json:"id"`
	AllowedAudiences     Audience          `json:"allowedAudiences"`
	Inference            *InferenceData    `json:"inference"`
	CreatedDateTime      *DateTime         `json:"createdDateTime"`
	CreatedBy            *IdentitySet      `json:"createdBy"`
	LastModifiedDateTime *DateTime         `json:"lastModifiedDateTime"`
	LastModifiedBy       *IdentitySet      `json:"lastModifiedBy"`
	Source               *PersonDataSource `json:"source"`
	DisplayName          string            `json:"displayName"`
	Tag                  string            `json:"tag"`
	Spoken               Level             `json:"spoken"`
	Written              Level             `json:"written"`
	Reading              Level             `json:"reading"`
	// Extra holds the properties Graph sent that langcard does not model
	// (sources, isSearchable, …), each as its raw JSON, by name.
	Extra map[string][]byte `json:"-"`
}

// TemplateID stands for the id in the server-rendered <template> of a new
// card; the widget puts the id Graph gave in its place.
const TemplateID = "__ID__"

// DateTime is a time as Graph writes it: RFC 3339 in UTC, such as
// "2020-07-06T06:34:12.2294868Z". It is kept as Graph's text (the widget
// must not import package time, which costs 37 KB of WebAssembly).
type DateTime string

// InferenceData says how sure the creating application was of an inferred entry.
type InferenceData struct {
	ConfidenceScore         float64 `json:"confidenceScore"`
	UserHasVerifiedAccuracy bool    `json:"userHasVerifiedAccuracy"`
}

// PersonDataSource names the services an entry came from. Graph's docs
// call type a string; the real service and the SDKs' models send a
// collection, such as ["User","MsGraph"].
type PersonDataSource struct {
	Type []string `json:"type"`
}

// IdentitySet is who created or last modified an entry.
type IdentitySet struct {
	Application *Identity `json:"application"`
	Device      *Identity `json:"device"`
	User        *Identity `json:"user"`
}

// Identity is one member of an IdentitySet.
type Identity struct {
	DisplayName string `json:"displayName"`
	ID          string `json:"id"`
}

// Apply sets every property present in p on lp. It does not validate.
func (lp *LanguageProficiency) Apply(p Patch) {
	for _, prop := range Props {
		if v, ok := p.Get(prop); ok {
			lp.Set(prop, v)
		}
	}
}
