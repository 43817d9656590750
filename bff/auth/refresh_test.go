package auth

import (
	"encoding/json"
	"testing"
	"time"
)

// expires_in comes as a number from Entra's v2.0 endpoint and as a string
// from v1; either is read, and anything else means an hour.
func TestExpiresIn(t *testing.T) {
	now := time.Unix(1000, 0)
	for in, want := range map[string]time.Duration{
		`{"expires_in":3599}`: 3599 * time.Second, `{"expires_in":"3599"}`: 3599 * time.Second,
		`{}`: time.Hour, `{"expires_in":"soon"}`: time.Hour, `{"expires_in":-5}`: time.Hour,
	} {
		var tr tokenResponse
		if err := json.Unmarshal([]byte(in), &tr); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := tr.expiry(now).Sub(now); got != want {
			t.Errorf("%s: %v, want %v", in, got, want)
		}
	}
}
