// Package logsafe makes text that came from a peer (an identity
// provider's or Graph's error body) fit for a log: no token survives in
// it (docs/security.md, rule 7).
package logsafe

import "regexp"

// tokenLike matches what could be a credential: a JWT (three base64url
// segments, the first a JSON object: "eyJ…"), a bearer credential, or a
// long opaque run such as a refresh token or an authorization code.
var tokenLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?|(?i:bearer)\s+\S+|[A-Za-z0-9_\-.~+/]{48,}={0,2}`)

// Text returns s with everything token-like replaced, and at most max
// bytes of the rest.
func Text(s string) string {
	const max = 300
	s = tokenLike.ReplaceAllString(s, "[redacted]")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
