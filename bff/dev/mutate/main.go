// Command mutate breaks the BFF's security rules one at a time, in the
// smallest way, and runs the tests that should notice: a mutation no test
// fails "survives", and the rule it broke has no test that holds it.
// make mutate runs it from the module root (go run ./bff/dev/mutate); it
// works on a copy of the tracked files (the widget's build output
// included), never on the tree itself, and prints one line per mutation
// and what survived. It is not part of make test: it takes minutes.
//
// The list is ours, aimed at bff/auth, bff/server and what they rely on,
// each mutation naming the rule of docs/security.md it breaks; a mutation
// whose text is no longer in its file is reported as stale, so the list
// cannot quietly stop testing anything.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// mutation replaces old, which must occur once in file, with new, and
// expects go test -run run in pkg to fail.
type mutation struct {
	rule          string
	file, old, nw string
	pkg, run      string
}

var mutations = []mutation{
	// Sign-in (rule 1): each check of the ID token, the state, PKCE.
	{"1 ID token audience", "bff/auth/auth.go", "oidc.Config{ClientID: o.ClientID}", "oidc.Config{ClientID: o.ClientID, SkipClientIDCheck: true}", "./bff/e2e", "TestTenantIDTokenChecks"},
	{"1 ID token issuer", "bff/auth/auth.go", "oidc.Config{ClientID: o.ClientID}", "oidc.Config{ClientID: o.ClientID, SkipIssuerCheck: true}", "./bff/e2e", "TestTenantIDTokenChecks"},
	{"1 ID token expiry", "bff/auth/auth.go", "oidc.Config{ClientID: o.ClientID}", "oidc.Config{ClientID: o.ClientID, SkipExpiryCheck: true}", "./bff/e2e", "TestTenantIDTokenChecks"},
	{"1 ID token signature", "bff/auth/auth.go", "oidc.Config{ClientID: o.ClientID}", "oidc.Config{ClientID: o.ClientID, InsecureSkipSignatureCheck: true}", "./bff/e2e", "TestTenantIDTokenChecks"},
	{"1 nonce", "bff/auth/handlers.go", "if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {", "if false {", "./bff/e2e", "TestTenantIDTokenChecks"},
	// (The state is held twice: the login cookie is named by it, and its
	// value compared; breaking either alone is caught by the other.)
	{"1 PKCE", "bff/auth/handlers.go", "a.oauth.Exchange(exchangeCtx, code, oauth2.VerifierOption(verifier))", "a.oauth.Exchange(exchangeCtx, code)", "./bff/e2e", "TestSignInFlow|TestTenantSignInEditRefreshSignOut"},
	// Cookies (rules 2, 3).
	{"2 login cookie deleted without Secure", "bff/auth/handlers.go", "HttpOnly: true, Secure: a.login.Options.Secure, SameSite: http.SameSiteLaxMode,", "HttpOnly: true, SameSite: http.SameSiteLaxMode,", "./bff/e2e", "TestHostCookiesEvenWhenDeleted"},
	{"2 login cookie readable by scripts", "bff/auth/auth.go", "login.Options.HttpOnly = true", "login.Options.HttpOnly = false", "./bff/e2e", "TestCookiesOverHTTPS"},
	{"4 no new session id at sign-in", "bff/auth/handlers.go", "if err := a.sessions.RenewToken(r.Context()); err != nil {", "if err := error(nil); err != nil {", "./bff/e2e", "TestSessionFixation"},
	// Secrets in logs (rule 7).
	{"7 the IdP's error code logged as sent", "bff/auth/auth.go", `re.Response.Status + " " + oauthCode(re.ErrorCode)`, `re.Response.Status + " " + re.ErrorCode`, "./bff/e2e", "TestSecretsInPeersErrorsStayOutOfTheLog"},
	{"7 Graph's error message logged as sent", "bff/graph/error.go", "logsafe.Text(eb.Error.Code), logsafe.Text(eb.Error.Message)", "logsafe.Text(eb.Error.Code), eb.Error.Message", "./bff/e2e", "TestSecretsInPeersErrorsStayOutOfTheLog"},
	// CSRF and CORS (rules 8, 9).
	{"8 no X-CSRF header needed", "bff/server/adapters.go", `if r.Header.Get("X-CSRF") != "1" {`, "if false {", "./bff/e2e", "TestCSRFOnEveryWriteRoute"},
	{"8 Origin ignored", "bff/server/adapters.go", `if origin != "" && origin != s.self && !s.embed[origin] {`, "if false {", "./bff/e2e", "TestCSRFOnEveryWriteRoute"},
	{"8 Sec-Fetch-Site ignored", "bff/server/adapters.go", `switch r.Header.Get("Sec-Fetch-Site") {`, `switch "" {`, "./bff/e2e", "TestCSRFOnEveryWriteRoute"},
	{"9 CORS for any origin", "bff/server/adapters.go", "	if s.embed[origin] {\n		w.Header().Set(\"Access-Control-Allow-Origin\", origin)", "	if origin != \"\" {\n		w.Header().Set(\"Access-Control-Allow-Origin\", origin)", "./bff/e2e", "TestCORS"},
	// The partitioned session of a card on another site (rule 3).
	{"3 every session partitioned", "bff/session/save.go", "writeCookie(sm, w, token, expiry, sm.GetBool(ctx, PartitionedKey))", "writeCookie(sm, w, token, expiry, true)", "./bff/e2e", "TestCookiesOverHTTPS|TestHandoffToACardOnAnotherSite"},
	{"3 a handoff redeemed twice", "bff/auth/handoff.go", "if err := a.store.DeleteCtx(context.WithoutCancel(ctx), handoffKey(hash)); err != nil {", "if err := error(nil); err != nil {", "./bff/e2e", "TestHandoffToACardOnAnotherSite"},
	{"3 a handoff from any origin", "bff/auth/handoff.go", "	case rec.Origin != origin:\n", "	case false:\n", "./bff/e2e", "TestHandoffToACardOnAnotherSite"},
	{"3 a handoff without its secret", "bff/auth/handoff.go", "|| HandoffHash(secret) != hash {", "{", "./bff/e2e", "TestHandoffToACardOnAnotherSite"},
	// Return paths (rule 10).
	{"10 an origin's look-alike", "bff/auth/returnto.go", "		if o == origin {", "		if strings.HasPrefix(origin, o) {", "./bff/auth", "TestSafeReturnTo"},
	// Responses (rule 15).
	{"15 API answers cacheable", "bff/server/middleware.go", `h.Set("Cache-Control", "no-store")`, `h.Set("Cache-Control", "private")`, "./bff/e2e", "TestSecurityHeaders"},
	// Who may see what (rules 23, 24).
	{"23 a scope makes an administrator", "bff/auth/handlers.go", "EditsOthers: a.isAdmin(user.Roles) && hasScope(granted, ScopeEditOthers)", "EditsOthers: hasScope(granted, ScopeEditOthers)", "./bff/e2e", "TestScopeIsNotARole"},
	{"23 any role counts", "bff/auth/handlers.go", "if strings.EqualFold(strings.TrimSpace(r), want) {", "if r != \"\" || want != \"\" {", "./bff/e2e", "TestTenantRolesFromEntra|TestScopeIsNotARole"},
	{"23 colleagues may write", "bff/server/languages.go", "	if c.colleague {\n		return errReadOnly", "	if false {\n		return errReadOnly", "./bff/e2e", "TestColleaguesCannotWrite|TestScopeIsNotARole"},
	{"24 colleagues see everything", "bff/server/colleagues.go", "	return lp.AllowedAudiences.SharedWithOrganization()", "	return true", "./bff/e2e", "TestColleaguesSeeOnlyWhatIsShared"},
	{"24 federated organizations hidden", "web/langprof/audience.go", "const organizationWide = 8 | 16 | 32", "const organizationWide = 8 | 32", "./bff/e2e", "TestColleaguesSeeOnlyWhatIsShared"},
	{"24 hidden and missing differ", "bff/server/api.go", "|| missing(err)) {", ") {", "./bff/e2e", "TestHiddenAndMissingAlike"},
	{"24 stale copies served", "bff/server/colleagues.go", "|| e.versions != versions {", "{", "./bff/e2e", "TestHiddenAtOnce"},
	{"24 owners' writes not counted", "bff/server/colleagues.go", "s.Changes.Bump(context.WithoutCancel(c.ctx), keys...)", "s.Changes.Bump(context.WithoutCancel(c.ctx), keys[:0]...)", "./bff/e2e", "TestHiddenAtOnce"},
	{"24 counts not shared by replicas", "bff/app/app.go", `changes = recent.NewRedisChanges(rc, "langcard:changes:", recent.TTL)`, "_ = rc", "./bff/e2e", "TestHiddenAtOnce"},
	// Bounded work (rule 27).
	{"27 API reads from any page of another site", "bff/server/adapters.go", `} else if r.Header.Get("Sec-Fetch-Site") == "cross-site" && !s.embed[r.Header.Get("Origin")] {`, "} else if false {", "./bff/e2e", "TestHandoffToACardOnAnotherSite"},
}

func main() {
	only := flag.String("only", "", "run the mutations whose rule contains this text")
	flag.Parse()
	if err := run(*only, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

func run(only string, out io.Writer) error {
	tmp, err := os.MkdirTemp("", "langcard-mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := copyTree(tmp); err != nil {
		return err
	}
	var survived, stale []string
	caught := 0
	start := time.Now()
	for _, m := range mutations {
		if only != "" && !strings.Contains(m.rule, only) {
			continue
		}
		path := filepath.Join(tmp, m.file)
		orig, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if n := bytes.Count(orig, []byte(m.old)); n != 1 {
			stale = append(stale, m.rule)
			fmt.Fprintf(out, "stale     %-40s (%s holds its text %d times)\n", m.rule, m.file, n)
			continue
		}
		if err := os.WriteFile(path, bytes.Replace(orig, []byte(m.old), []byte(m.nw), 1), 0o644); err != nil {
			return err
		}
		cmd := exec.Command("go", "test", "-count=1", "-run", m.run, m.pkg)
		cmd.Dir = tmp
		res, testErr := cmd.CombinedOutput()
		if err := os.WriteFile(path, orig, 0o644); err != nil {
			return err
		}
		switch {
		case testErr == nil:
			survived = append(survived, m.rule)
			fmt.Fprintf(out, "SURVIVED  %-40s %s -run '%s'\n", m.rule, m.pkg, m.run)
		case bytes.Contains(res, []byte("[build failed]")) || bytes.Contains(res, []byte("[setup failed]")):
			stale = append(stale, m.rule)
			fmt.Fprintf(out, "stale     %-40s (the mutation does not build)\n", m.rule)
		default:
			caught++
			fmt.Fprintf(out, "caught    %-40s %s\n", m.rule, firstFailure(res))
		}
	}
	fmt.Fprintf(out, "%d mutations in %s: %d caught, %d survived, %d stale\n", caught+len(survived)+len(stale), time.Since(start).Round(time.Second), caught, len(survived), len(stale))
	if len(survived) > 0 || len(stale) > 0 {
		return fmt.Errorf("survived: %v; stale: %v", survived, stale)
	}
	return nil
}

// firstFailure is the first failing test's name in go test's output.
func firstFailure(out []byte) string {
	for _, line := range strings.Split(string(out), "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "--- FAIL: ") {
			return strings.Fields(t)[2]
		}
	}
	return "(the package failed)"
}

// copyTree copies the files git tracks or would (untracked, not ignored),
// and the widget's build output
// (static/dist, which the tests serve), into dir.
func copyTree(dir string) error {
	ls, err := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	files := strings.Split(strings.TrimRight(string(ls), "\x00"), "\x00")
	dist, _ := filepath.Glob("static/dist/*")
	for _, f := range append(files, dist...) {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // deleted in the working tree
		}
		dst := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	// The tests' own caches (axe-core) are found relative to the tree.
	if _, err := os.Stat(".cache"); err == nil {
		if err := os.Symlink(filepath.Join(mustAbs("."), ".cache"), filepath.Join(dir, ".cache")); err != nil {
			return err
		}
	}
	return nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return a
}
