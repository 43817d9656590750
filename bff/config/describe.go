package config

import (
	"fmt"
	"strings"

	"langcard/bff/ident"
)

// Describe lists every setting that will run, one a line, in a fixed
// order, with secrets masked: what -check prints.
func (c Config) Describe() string {
	mode := "tenant"
	if c.Demo {
		mode = "demo (its identity provider and Graph emulator start with it, on loopback ports of their own)"
	}
	or := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	issuer, client, graph := c.Issuer(), c.ClientID, ""
	if c.GraphBaseURL != nil {
		graph = c.GraphBaseURL.String()
	}
	secret := mask(c.ClientSecret)
	if c.Demo && c.issuer == "" {
		issuer, client, secret = "the demo identity provider's", "the demo identity provider's", "the demo identity provider's"
		graph = "the demo Graph emulator's"
	}
	lines := []struct{ name, value string }{
		{"mode", mode},
		{"listen", c.Addr},
		{"public URL", c.PublicURL.String()},
		{"issuer", issuer},
		{"client id", client},
		{"client secret", secret},
		{"Graph", graph},
		{"scopes", strings.Join(c.Scopes, " ")},
		{"colleagues' cards", c.colleaguesFeature()},
		{"administrator roles", or(strings.Join(c.AdminRoles, ", "), "none: nobody sees or edits others' hidden entries")},
		{"administrators' edits", c.adminFeature()},
		{"cookie key", mask(string(c.CookieKey))},
		{"embedding origins", or(strings.Join(c.EmbedOrigins, ", "), "none")},
		{"sessions", or(maskURL(c.RedisURL), "in memory")},
		{"session lifetime", c.SessionLifetime.String()},
		{"session idle timeout", c.SessionIdle.String()},
		{"Graph throttling wait", c.GraphMaxWait.String()},
		{"identity provider timeout", c.IdPTimeout.String()},
		{"Graph timeout", c.GraphTimeout.String()},
		{"log level", c.LogLevel.String()},
		{"log format", map[bool]string{true: "json", false: "text"}[c.LogJSON]},
		{"metrics", or(c.MetricsAddr, "off")},
		{"drain delay", c.DrainDelay.String()},
		{"shutdown timeout", c.ShutdownTimeout.String()},
	}
	if c.Demo {
		lines = append(lines, struct{ name, value string }{"demo intranet page", or(c.DemoIntranetAddr, "off")})
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%-26s %s\n", l.name+":", l.value)
	}
	return b.String()
}

func mask(secret string) string {
	if secret == "" {
		return "(none)"
	}
	return "(set, " + fmt.Sprint(len(secret)) + " bytes, not shown)"
}

// maskURL hides a password in a Redis URL.
func maskURL(u string) string {
	if i := strings.Index(u, "@"); i >= 0 {
		if j := strings.Index(u, "://"); j >= 0 && j < i {
			return u[:j+3] + "…@" + u[i+1:]
		}
	}
	return u
}

// colleaguesFeature says whether the scopes let colleagues' cards work,
// naming the permission Graph asks for (docs/graph.md, "Permissions").
func (c Config) colleaguesFeature() string {
	switch {
	case c.hasScope("User.Read.All") || c.hasScope("User.ReadWrite.All"):
		return "on, once an administrator consents to User.Read.All for the tenant (without it, people get their own card and are told an administrator can allow colleagues')"
	case c.hasScope("User.ReadBasic.All"):
		return "off: User.ReadBasic.All does not read other people's profiles; ask for User.Read.All (admin consent)"
	}
	return "off: add User.Read.All (admin consent) to LANGCARD_SCOPES"
}

// adminFeature says what administrators may do with these settings.
func (c Config) adminFeature() string {
	switch {
	case len(c.AdminRoles) == 0:
		return "off: LANGCARD_ADMIN_ROLES is none"
	case !c.hasScope("User.ReadWrite.All"):
		return "off: add User.ReadWrite.All (admin consent) to LANGCARD_SCOPES"
	}
	return "on for holders of the roles above, stated in the ID token's wids claim: the app registration needs groupMembershipClaims DirectoryRole (or All); without it, nobody is an administrator in langcard"
}

func (c Config) hasScope(want string) bool { return ident.HasScope(c.Scopes, want) }
