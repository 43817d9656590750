package graph

import (
	"errors"
	"net/url"
	"strings"

	"langcard/bff/ident"
)

// Target is whose profile an operation reads or writes: the signed-in
// person ("me") or another user named by object id or userPrincipalName.
// The zero Target is Me.
type Target struct {
	user string // "" for me; else a validated object id or UPN
}

// Me is the signed-in person.
var Me = Target{}

// ErrInvalidUser is returned for a user that is neither a GUID nor a legal
// userPrincipalName.
var ErrInvalidUser = errors.New("user must be an object id (GUID) or a userPrincipalName")

// ErrInvalidID is returned for an entry id that is not a plain opaque identifier.
var ErrInvalidID = errors.New("id must be a plain identifier of letters, digits, '-', '_' or '=' (at most 128)")

// User returns the Target for another user, or ErrInvalidUser.
func User(idOrUPN string) (Target, error) {
	if !ident.IsGUID(idOrUPN) && !ident.IsUPN(idOrUPN) {
		return Target{}, ErrInvalidUser
	}
	return Target{user: idOrUPN}, nil
}

// IsMe reports whether t is the signed-in person.
func (t Target) IsMe() bool { return t.user == "" }

// String returns "me" or the user's id or UPN.
func (t Target) String() string {
	if t.user == "" {
		return "me"
	}
	return t.user
}

// escapedPath returns the escaped path of t's languages collection, below
// the Graph base URL.
func (t Target) escapedPath() string {
	if t.user == "" {
		return "/me/profile/languages"
	}
	return t.userPath() + "/profile/languages"
}

// userPath is the person's own path: /me, /users/{user}, or for a UPN
// starting with "$" the key form /users('{user}').
func (t Target) userPath() string {
	switch {
	case t.user == "":
		return "/me"
	case strings.HasPrefix(t.user, "$"):
		// Graph refuses /users/$x; such UPNs go in the key form, with
		// single quotes doubled as OData strings require.
		return "/users('" + url.PathEscape(strings.ReplaceAll(t.user, "'", "''")) + "')"
	default:
		return "/users/" + url.PathEscape(t.user)
	}
}
