package langprof

import "strings"

// OrganizationOwned reports whether the entry comes from a system the
// organization runs (Entra ID, an HR system, a connector) rather than from
// the person: Graph does not let people edit such entries (docs/graph.md,
// "Entries the organization owns"). The rule, from what Graph sends:
//
//   - source.type naming "User" (any case) is the person's: entries
//     written through the profile API carry it, alone or with "MsGraph";
//   - otherwise a source.type naming anything else is the organization's
//     (the docs' entry synced from Entra ID);
//   - with no source, an entry created by an application with no user
//     (createdBy {"application":{"displayName":"AAD"},"user":null}) is
//     the organization's;
//   - anything else is the person's: when in doubt, Edit is offered, and a
//     refusal from Graph is explained in plain words.
func (lp LanguageProficiency) OrganizationOwned() bool {
	if lp.Source != nil && len(lp.Source.Type) > 0 {
		for _, t := range lp.Source.Type {
			if strings.EqualFold(strings.TrimSpace(t), "User") {
				return false
			}
		}
		return true
	}
	by := lp.CreatedBy
	return by != nil && by.User == nil && by.Application != nil && strings.TrimSpace(by.Application.DisplayName) != ""
}

// Known reports whether d is a real time: Graph writes entries synced
// from the directory with "0001-01-01T00:00:00Z", which means no date.
func (d *DateTime) Known() bool {
	return d != nil && len(*d) >= 4 && !strings.HasPrefix(string(*d), "0001") && !strings.HasPrefix(string(*d), "0000")
}
