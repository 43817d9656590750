package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"langcard/bff/config"
	"langcard/bff/ident"
)

// discoverTimeout bounds discovery of the identity provider at start-up.
const discoverTimeout = 30 * time.Second

// Discover finds the tenant's identity provider. A tenant given as a
// domain (contoso.onmicrosoft.com) is resolved to its GUID first: Entra's
// discovery document for a domain names the GUID issuer, and tokens are
// verified against that issuer. It returns the provider and its issuer.
func Discover(ctx context.Context, cfg config.Config) (*oidc.Provider, string, error) {
	ctx, cancel := context.WithTimeout(ctx, discoverTimeout)
	defer cancel()
	issuer := cfg.Issuer()
	if !ident.IsGUID(cfg.TenantID) {
		var err error
		if issuer, err = resolveTenant(ctx, cfg); err != nil {
			return nil, "", err
		}
	}
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, "", fmt.Errorf("discovering the identity provider at %s: %w", issuer, err)
	}
	return p, issuer, nil
}

// resolveTenant reads the issuer that the discovery document of a domain
// tenant names, and checks it is {authority}/{tenant GUID}/v2.0.
func resolveTenant(ctx context.Context, cfg config.Config) (string, error) {
	doc := cfg.Issuer() + "/.well-known/openid-configuration"
	fail := func(why string) error {
		return fmt.Errorf("LANGCARD_TENANT_ID %q: %s (set the tenant's GUID instead: Entra admin center → Overview → Tenant ID)", cfg.TenantID, why)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, doc, nil)
	if err != nil {
		return "", fail(err.Error())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fail("the identity provider could not be reached to resolve it: " + err.Error())
	}
	defer resp.Body.Close()
	var d struct {
		Issuer string `json:"issuer"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&d) != nil {
		return "", fail(fmt.Sprintf("the identity provider does not know this tenant (%s answered %d)", doc, resp.StatusCode))
	}
	rest, ok := strings.CutPrefix(d.Issuer, cfg.Authority.String()+"/")
	guid, version, _ := strings.Cut(rest, "/")
	if !ok || version != "v2.0" || !ident.IsGUID(guid) {
		return "", fail(fmt.Sprintf("its discovery document names the issuer %q, which is not a tenant of %s", d.Issuer, cfg.Authority))
	}
	return d.Issuer, nil
}
