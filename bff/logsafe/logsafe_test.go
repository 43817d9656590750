package logsafe

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	jwt := "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"
	refresh := "1.AQ" + strings.Repeat("x7Kq9-Zp_", 8)
	for _, secret := range []string{jwt, refresh, "Bearer abc.def"} {
		got := Text("refused: " + secret + " (try again)")
		if strings.Contains(got, secret) || strings.Contains(got, secret[len(secret)-8:]) || !strings.Contains(got, "refused:") {
			t.Errorf("Text kept %q: %q", secret, got)
		}
	}
	// What people and operators need stays: codes, GUIDs, sentences.
	keep := "AADSTS70008: The provided grant has expired. Trace ID: 72f988bf-86f1-41af-91ab-2d7cd011db47 Resource not found for the segment 'profile'."
	if got := Text(keep); got != keep {
		t.Errorf("Text changed %q to %q", keep, got)
	}
	if got := Text(strings.Repeat("a b ", 200)); len(got) > 310 {
		t.Errorf("Text kept %d bytes", len(got))
	}
}
