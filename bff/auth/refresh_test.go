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

func TestHasScope(t *testing.T) {
	for _, tt := range []struct {
		granted, want string
		ok            bool
	}{
		{"openid profile User.ReadWrite User.ReadBasic.All", "User.ReadBasic.All", true},
		{"https://graph.microsoft.com/User.ReadWrite.All openid", "User.ReadWrite.All", true},
		{"user.readwrite.all", "User.ReadWrite.All", true},
		{"User.ReadWrite", "User.ReadWrite.All", false},
		{"", "User.ReadWrite", false},
	} {
		if got := hasScope(tt.granted, tt.want); got != tt.ok {
			t.Errorf("hasScope(%q, %q) = %v, want %v", tt.granted, tt.want, got, tt.ok)
		}
	}
}
