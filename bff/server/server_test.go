package server

import "testing"

func TestContentSecurityPolicy(t *testing.T) {
	tests := []struct {
		embed      []string
		endSession string
		want       string
	}{
		{nil, "", "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
		{[]string{"https://intranet.contoso.com", "https://wiki.contoso.com"}, "https://login.microsoftonline.com/t/oauth2/v2.0/logout",
			"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self' https://login.microsoftonline.com; frame-ancestors https://intranet.contoso.com https://wiki.contoso.com; base-uri 'none'"},
	}
	for _, tt := range tests {
		if got := contentSecurityPolicy(tt.embed, tt.endSession); got != tt.want {
			t.Errorf("contentSecurityPolicy(%v, %q)\n got %s\nwant %s", tt.embed, tt.endSession, got, tt.want)
		}
	}
}
