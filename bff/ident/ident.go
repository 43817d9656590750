// Package ident is the syntax of the identifiers langcard puts in Graph's
// paths and takes from sign-in: object ids (GUIDs), userPrincipalNames and
// entry ids. Both the Graph client and the sign-in code check with it.
package ident

import "strings"

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

// HasScope reports whether scopes hold want, each written short
// ("User.Read") or as Graph's full URI ("https://graph.microsoft.com/User.Read"),
// case aside.
func HasScope(scopes []string, want string) bool {
	for _, s := range scopes {
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			s = s[i+1:]
		}
		if strings.EqualFold(s, want) {
			return true
		}
	}
	return false
}
