package auth

import "testing"

func TestSafeReturnTo(t *testing.T) {
	origins := []string{"https://intranet.contoso.example", "http://127.0.0.1:8081"}
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/users/megan.bowen@contoso.example", "/users/megan.bowen@contoso.example"},
		{"/?notice=1#top", "/?notice=1#top"},
		{"https://intranet.contoso.example/people/me", "https://intranet.contoso.example/people/me"},
		{"http://127.0.0.1:8081/", "http://127.0.0.1:8081/"},
		// Hostile: absolute, scheme-relative, backslash, whitespace, control characters.
		{"https://evil.example/", "/"},
		{"https://intranet.contoso.example.evil.example/", "/"},
		{"https://intranet.contoso.example@evil.example/", "/"},
		{"https://user@intranet.contoso.example/", "/"},
		{"http://intranet.contoso.example/", "/"},
		{"https://intranet.contoso.example:444/", "/"},
		{"//evil.example", "/"},
		{"//evil.example/%2F..", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\tevil.example", "/"},
		{"/ /evil.example", "/"},
		{" /x", "/"},
		{"\t//evil.example", "/"},
		{"/\r\nLocation: https://evil.example", "/"},
		{"/\x00", "/"},
		{"/x\u2028y", "/"},
		{"/\u00a0/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript://%0aalert(1)", "/"},
		{"data:text/html,<script>alert(1)</script>", "/"},
		{"evil.example", "/"},
		{"https:evil.example", "/"},
		{"https:/evil.example", "/"},
		{"ftp://intranet.contoso.example/", "/"},
		{"http://127.0.0.1:8081@evil.example/", "/"},
	}
	for _, tt := range tests {
		if got := SafeReturnTo(tt.in, origins); got != tt.want {
			t.Errorf("SafeReturnTo(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
