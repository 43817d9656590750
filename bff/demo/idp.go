package demo

import (
	"crypto/rand"
	"net"
	"net/http"
	"strings"
	"time"

	"langcard/bff/auth/entrafake"
)

// The demo tenant: its id and domain, and the one app registration.
const (
	TenantID     = "5f1a7c2e-9b3d-4e6f-8a0b-1c2d3e4f5a6b"
	TenantDomain = "contoso.example"
	clientID     = "9d4c1f3a-6e2b-4a7d-b8c9-0e1f2a3b4c5d"
)

// IdP is the demo identity provider: the same Entra-shaped server the
// tenant-mode tests sign in against (entrafake), for one demo tenant that
// has consented, tenant-wide, to every permission langcard asks for, and
// whose app registration asks for directory roles in the ID token. It is
// the closer of the two providers langcard had to Entra (issuer per
// tenant, x5c keys, AADSTS errors, single-use rotating refresh tokens,
// exact redirect URIs, PKCE required), so demo mode, the end-to-end tests
// and tenant mode exercise one provider.
type IdP struct {
	*entrafake.Server
	srv *http.Server
}

// StartIdP serves a demo identity provider on ln until Close.
func StartIdP(ln net.Listener, people []Person) (*IdP, error) {
	o := entrafake.Options{
		TenantID: TenantID, Domain: TenantDomain, ClientID: clientID, ClientSecret: randomSecret(),
		Consented:             []string{"User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All"},
		GroupMembershipClaims: "DirectoryRole",
		AccountPicker:         true,
	}
	for _, p := range people {
		o.Users = append(o.Users, entrafake.User{ID: p.ID, Name: p.DisplayName, UPN: p.UPN, Roles: p.Roles})
	}
	s, err := entrafake.New(o)
	if err != nil {
		return nil, err
	}
	s.SetAuthority("http://" + ln.Addr().String())
	idp := &IdP{Server: s, srv: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}}
	go idp.srv.Serve(ln)
	return idp, nil
}

// RegisterBFF adds a BFF's callback and sign-out return to the app
// registration, as an administrator lists each address langcard is
// served at.
func (idp *IdP) RegisterBFF(publicURL string) {
	base := strings.TrimSuffix(publicURL, "/")
	idp.Register(base+"/auth/callback", base+"/")
}

// Close stops the identity provider.
func (idp *IdP) Close() error { return idp.srv.Close() }

func randomSecret() string { return rand.Text() }
