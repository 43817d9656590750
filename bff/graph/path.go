package graph

import (
	"errors"
	"net/url"
	"strings"
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
	if !IsGUID(idOrUPN) && !IsUPN(idOrUPN) {
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
	switch {
	case t.user == "":
		return "/me/profile/languages"
	case strings.HasPrefix(t.user, "$"):
		// Graph refuses /users/$x; such UPNs go in the key form, with
		// single quotes doubled as OData strings require.
		return "/users('" + url.PathEscape(strings.ReplaceAll(t.user, "'", "''")) + "')/profile/languages"
	default:
		return "/users/" + url.PathEscape(t.user) + "/profile/languages"
	}
}

// IsGUID reports whether s is a GUID in its 8-4-4-4-12 hexadecimal form.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// IsUPN reports whether s is a legal userPrincipalName: a local part of
// A-Z a-z 0-9 ' . - _ ! # ^ ~ (optionally after one leading $), one @, and
// a DNS domain. '/', '%', '?' and whitespace never occur.
func IsUPN(s string) bool {
	if len(s) > 113 {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(domain, "@") {
		return false
	}
	local = strings.TrimPrefix(local, "$")
	if local == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !isAlnum(c) && !strings.ContainsRune("'.-_!#^~", rune(c)) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	return true
}

// ValidID reports whether id is a plain opaque identifier: 1 to 128 of
// letters, digits, '-', '_' and '=', not starting with '-'. Dots, slashes,
// percent signs and everything else are refused before any upstream call.
func ValidID(id string) bool {
	if id == "" || len(id) > 128 || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isAlnum(c) && c != '-' && c != '_' && c != '=' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
