package auth

import (
	"net/url"
	"strings"
)

// SafeReturnTo returns where to send the browser after login or logout:
// raw when it is a local path (one leading '/', not '//' or '/\', no
// control characters, whitespace or backslashes) or an absolute URL on one
// of origins (exact scheme://host[:port] match); otherwise "/".
func SafeReturnTo(raw string, origins []string) string {
	if raw == "" || len(raw) > 2048 {
		return "/"
	}
	for _, r := range raw {
		if r < 0x21 || r == 0x7f || r == '\\' || (r >= 0x80 && r <= 0x9f) || r == '\u2028' || r == '\u2029' || r == '\u00a0' || r == '\ufeff' {
			return "/"
		}
	}
	if strings.HasPrefix(raw, "/") {
		if strings.HasPrefix(raw, "//") {
			return "/"
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			return "/"
		}
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "/"
	}
	origin := u.Scheme + "://" + u.Host
	for _, o := range origins {
		if o == origin {
			return raw
		}
	}
	return "/"
}
