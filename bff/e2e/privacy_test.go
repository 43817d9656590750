package e2e_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"langcard/bff/demo"
	"langcard/bff/dev/redistest"
	"langcard/bff/graph/graphfake"
)

// Who may see and change what, as the tenant decides it (docs/graph.md,
// "Permissions"; docs/security.md, rules 23 and 24).

const (
	finnish = "e1a2b3c4-0000-4000-8000-00000000ad03" // Adele's, shared with "me"
	spanish = "e1a2b3c4-0000-4000-8000-00000000ad01" // Adele's, shared with everyone
)

// A token with User.ReadWrite.All and no administrator role (what
// tenant-wide consent gives every employee) gets a colleague's view on
// every route: no hidden entry, no form, no write; a User Administrator
// sees and edits all, and each change is audited without its values.
func TestScopeIsNotARole(t *testing.T) {
	h := newHarness(t)
	adele := "/users/" + demo.Adele.UPN
	for _, upn := range []string{demo.Innocenty.UPN, demo.Lee.UPN} {
		b := h.signIn(upn)
		if r := b.api("GET", "/api/session", ""); !strings.Contains(r.body, `"canEditOthers":false`) {
			t.Errorf("%s: session %s", upn, r.body)
		}
		if !regexp.MustCompile(`msg="signed in" user=\S+ admin=false scopes="[^"]*User.ReadWrite.All`).MatchString(h.logs.String()) {
			t.Fatal("the demo's sign-in did not grant User.ReadWrite.All: the test proves nothing")
		}
		views := map[string]string{
			"the API's list":   b.api("GET", "/api"+adele+"/languages", "").body,
			"the page":         b.get(adele).body,
			"an embedded card": b.do("GET", "/embed/cards?el="+url.QueryEscape("full:"+demo.Adele.UPN), nil, map[string]string{"Origin": embedOrigin}).body,
			"the frame":        b.get("/embed/frame?user=" + url.QueryEscape(demo.Adele.UPN)).body,
		}
		for route, body := range views {
			if !strings.Contains(body, "Spanish") || strings.Contains(body, "Finnish") || strings.Contains(body, "Portuguese") {
				t.Errorf("%s, %s: want Spanish alone: %.600s", upn, route, body)
			}
			if strings.Contains(body, `class="card-form"`) || strings.Contains(body, `class="delete"`) {
				t.Errorf("%s, %s offers a form", upn, route)
			}
		}
		h.graph.ResetRequests()
		writes := []response{
			b.api("PATCH", "/api"+adele+"/languages/"+spanish, `{"spoken":"elementary"}`),
			b.api("DELETE", "/api"+adele+"/languages/"+spanish, ""),
			b.api("POST", "/api"+adele+"/languages", `{"tag":"sv","displayName":"Swedish"}`),
			b.post(adele+"/languages/"+spanish, url.Values{"orig.tag": {"es"}, "tag": {"es"}, "spoken": {"elementary"}}),
			b.post(adele+"/languages/"+spanish+"/delete", url.Values{}),
		}
		for i, r := range writes {
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("%s: write %d answered %d, want 403", upn, i, r.StatusCode)
			}
		}
		if n := len(upstreamWrites(h)); n != 0 {
			t.Errorf("%s: %d writes reached Graph", upn, n)
		}
	}

	admin := h.signIn(demo.Adele.UPN)
	megan := h.signIn(demo.Megan.UPN)
	wantStatus(t, megan.api("PATCH", "/api/me/languages/a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44", `{"allowedAudiences":"me","displayName":"Français secret"}`), http.StatusOK)
	r := admin.api("GET", "/api/users/"+demo.Megan.UPN+"/languages", "")
	if !strings.Contains(r.body, "Français secret") {
		t.Errorf("the administrator does not see Megan's hidden entry: %s", r.body)
	}
	before := len(h.logs.String())
	r = admin.api("PATCH", "/api/users/"+demo.Megan.UPN+"/languages/a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44", `{"written":"fullProfessional"}`)
	wantStatus(t, r, http.StatusOK)
	log := h.logs.String()[before:]
	audit := regexp.MustCompile(`(?m)^.*audit: a change to another person's profile.*$`).FindString(log)
	for _, want := range []string{"op=update", "by=" + demo.Adele.ID, "profile=" + demo.Megan.UPN, "entry=a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44", "properties=[written]", "outcome=ok", "request_id="} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit line %q lacks %q", audit, want)
		}
	}
	if strings.Contains(log, "Français secret") || strings.Contains(log, "fullProfessional") {
		t.Errorf("the log holds an entry's values: %s", log)
	}
}

// Each audience value a colleague could meet, as names, numbers,
// combinations and values langcard cannot read, is covered by
// TestColleaguesSeeOnlyWhatIsShared; here the demo's own: German as "8"
// and Korean shared with federated organizations are shown.
func TestDemoAudiencesByMeaning(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	for who, want := range map[string]string{demo.Megan.UPN: "German", demo.Lee.UPN: "Korean"} {
		if r := b.api("GET", "/api/users/"+who+"/languages", ""); !strings.Contains(r.body, want) {
			t.Errorf("%s's %s is hidden from a colleague: %s", who, want, r.body)
		}
	}
	// The owner reads "8" in words, and the form offers the member it is.
	page := h.signIn(demo.Megan.UPN).get("/").body
	card := page[strings.Index(page, `id="lang-c7b2e9d4-3f1a-4b8c-a6d5-9e0f1a2b3c4d"`):]
	card = card[:strings.Index(card, "</article>")]
	if !strings.Contains(card, "Your organization can see this") || !strings.Contains(card, `<option value="organization" selected>`) || strings.Contains(card, "Other: 8") {
		t.Errorf("German's audience \"8\" is not shown as the organization: %s", card)
	}
}

// A colleague's request for a hidden entry and for one that does not
// exist answer alike: the same status, the same body.
func TestHiddenAndMissingAlike(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	strip := regexp.MustCompile(`"client-request-id":"[^"]*"`)
	hidden := b.api("GET", "/api/users/"+demo.Adele.UPN+"/languages/"+finnish, "")
	missing := b.api("GET", "/api/users/"+demo.Adele.UPN+"/languages/e1a2b3c4-0000-4000-8000-0000000000ff", "")
	if hidden.StatusCode != http.StatusNotFound || missing.StatusCode != hidden.StatusCode {
		t.Fatalf("hidden %d, missing %d; want 404 both", hidden.StatusCode, missing.StatusCode)
	}
	if a, b := strip.ReplaceAllString(hidden.body, ""), strip.ReplaceAllString(missing.body, ""); a != b {
		t.Errorf("hidden and missing differ:\n%s\n%s", a, b)
	}
	if strings.Contains(hidden.body, "Finnish") {
		t.Error("the hidden entry's name leaked")
	}
	if e := decode[apiError](t, hidden); e.Error.Message != "This language is not on this profile, or it is not shared with you." {
		t.Errorf("the answer says %q", e.Error.Message)
	}
}

// When Graph refuses to read someone else's profile (the tenant did not
// consent to User.Read.All), the person reads that langcard may not show
// colleagues' languages yet and that an administrator can allow it: on
// the API, the page and an embedded card; never "you may not change",
// and the log names the permission.
func TestColleaguesRefusedByGraph(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	refuse := graphfake.Fault{Status: 403, Code: "ErrorInsufficientPermissionsInAccessToken",
		Message: "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ProfileAccessDeniedException' was thrown."}
	words := "not allowed to show colleagues’ languages yet. Your Microsoft 365 administrator can allow it"
	h.graph.Inject(refuse)
	r := b.api("GET", "/api/users/"+demo.Megan.UPN+"/languages", "")
	if e := decode[apiError](t, r); r.StatusCode != http.StatusForbidden || e.Error.Code != "colleaguesNotAllowed" || !strings.Contains(e.Error.Message, words) {
		t.Errorf("the API: %d %s", r.StatusCode, r.body)
	}
	h.graph.Inject(refuse)
	if r := b.get("/users/" + demo.Lee.UPN); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, words) || strings.Contains(r.body, "change") {
		t.Errorf("the page: %d %.500s", r.StatusCode, r.body)
	}
	h.graph.Inject(refuse) // the batch's first item
	frag := b.do("GET", "/embed/cards?"+url.Values{"el": {"compact:" + demo.Adele.UPN}}.Encode(), nil, map[string]string{"Origin": embedOrigin}).body
	if !strings.Contains(frag, words) || strings.Contains(frag, "may not change") {
		t.Errorf("the embedded cards: %.800s", frag)
	}
	if !strings.Contains(h.logs.String(), "needs the delegated permission User.Read.All") {
		t.Error("the log does not name the permission")
	}
}

// An entry the organization owns is shown as coming from it, with no Edit
// or Delete and no made-up date; a write Graph refuses to it anyway is
// explained in plain words, and the form keeps what was typed.
func TestOrganizationOwnedEntry(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Megan.UPN)
	page := b.get("/").body
	i := strings.Index(page, `id="lang-`+demo.OrganizationID+`"`)
	if i < 0 {
		t.Fatal("the organization's entry is not on the page")
	}
	card := page[i:]
	card = card[:strings.Index(card, "</article>")]
	if !strings.Contains(card, "from your organization’s records") || strings.Contains(card, `class="button edit"`) ||
		strings.Contains(card, "card-form") || strings.Contains(card, `class="delete"`) || strings.Contains(card, "0001") || !regexp.MustCompile(`class="changed" hidden`).MatchString(card) {
		t.Errorf("the organization's card: %s", card)
	}
	words := "comes from your organization’s records (such as the HR system), so it can only be changed there"
	r := b.api("PATCH", "/api/me/languages/"+demo.OrganizationID, `{"spoken":"elementary"}`)
	if e := decode[apiError](t, r); r.StatusCode != http.StatusForbidden || e.Error.Code != "organizationOwned" || !strings.Contains(e.Error.Message, words) {
		t.Errorf("the API's write: %d %s", r.StatusCode, r.body)
	}
	form := url.Values{"orig.tag": {"en-GB"}, "orig.displayName": {"English (United Kingdom)"}, "tag": {"en-GB"}, "displayName": {"English (United Kingdom)"},
		"orig.spoken": {""}, "spoken": {"conversational"}}
	r = b.post("/languages/"+demo.OrganizationID, form)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, words) || !strings.Contains(r.body, `<option value="conversational" selected>`) {
		t.Errorf("the form's write: %d %.600s", r.StatusCode, r.body)
	}
	r = b.post("/languages/"+demo.OrganizationID+"/delete", url.Values{})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, words) {
		t.Errorf("the form's delete: %d", r.StatusCode)
	}
	if n := len(h.graph.Languages(demo.Megan.ID)); n != 3 {
		t.Errorf("Megan has %d entries, want the 3 seeded", n)
	}
}

// An owner's change of who may see an entry holds for every viewer's
// next read, though the viewer's copy is cached: in one process, and
// across two replicas sharing Redis.
func TestHiddenAtOnce(t *testing.T) {
	const french = "a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44"
	check := func(t *testing.T, owner, viewer *browser, graph *graphfake.Server) {
		t.Helper()
		list := "/api/users/" + demo.Megan.UPN + "/languages"
		if r := viewer.api("GET", list, ""); !strings.Contains(r.body, "French") {
			t.Fatalf("before: %s", r.body)
		}
		graph.ResetRequests()
		if r := viewer.api("GET", list, ""); !strings.Contains(r.body, "French") || len(graph.Requests()) != 0 {
			t.Fatalf("the second read was not served from the cache (%d Graph calls): the test proves nothing", len(graph.Requests()))
		}
		for i, audience := range []string{"me", "everyone", "contacts"} {
			wantStatus(t, owner.api("PATCH", "/api/me/languages/"+french, fmt.Sprintf(`{"allowedAudiences":%q}`, audience)), http.StatusOK)
			shown := strings.Contains(viewer.api("GET", list, "").body, "French")
			if want := audience == "everyone"; shown != want {
				t.Errorf("change %d to %q: the colleague is shown French: %v, want %v", i, audience, shown, want)
			}
			frag := viewer.do("GET", "/embed/cards?el="+url.QueryEscape("compact:"+demo.Megan.UPN), nil, map[string]string{"Origin": embedOrigin}).body
			if strings.Contains(frag, "French") != (audience == "everyone") {
				t.Errorf("change %d to %q: the embedded card disagrees", i, audience)
			}
		}
	}
	t.Run("one process", func(t *testing.T) {
		h := newHarness(t)
		check(t, h.signIn(demo.Megan.UPN), h.signIn(demo.Innocenty.UPN), h.graph)
	})
	t.Run("two replicas and Redis", func(t *testing.T) {
		redisURL, _ := redistest.Server(t)
		a := newHarness(t, withRedis(redisURL))
		b := a.replica(withRedis(redisURL))
		owner := a.signIn(demo.Megan.UPN)
		viewer := b.signIn(demo.Innocenty.UPN)
		check(t, owner, viewer, a.graph)
	})
}
