package e2e_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
	return v
}

type apiError struct {
	Error struct {
		Code, Message, Target string
		Details               []struct{ Code, Message, Target string }
	}
}

func TestAPICRUD(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)

	r := b.api("GET", "/api/session", "")
	wantStatus(t, r, 200)
	if got := r.body; !strings.Contains(got, `"signedIn":true`) || !strings.Contains(got, `"userPrincipalName":"innocenty.popov@contoso.example"`) || !strings.Contains(got, `"canEditOthers":false`) {
		t.Errorf("session = %s", got)
	}
	for _, hdr := range []string{"Content-Type", "Cache-Control"} {
		if want := map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"}[hdr]; r.Header.Get(hdr) != want {
			t.Errorf("%s = %q, want %q", hdr, r.Header.Get(hdr), want)
		}
	}

	r = b.api("GET", "/api/me/languages", "")
	wantStatus(t, r, 200)
	list := decode[struct {
		Value []langprof.LanguageProficiency
	}](t, r)
	if len(list.Value) != 2 {
		t.Fatalf("got %d languages, want the 2 seeded", len(list.Value))
	}

	r = b.api("POST", "/api/me/languages", `{"tag":"DE-de","displayName":"German","spoken":"elementary","written":"elementary","reading":"conversational","allowedAudiences":"organization"}`)
	wantStatus(t, r, 201)
	created := decode[langprof.LanguageProficiency](t, r)
	if created.Tag != "de-DE" || created.ID == "" || created.CreatedBy == nil {
		t.Fatalf("created %+v, want the canonical tag de-DE and server-managed properties", created)
	}

	wantStatus(t, b.api("GET", "/api/me/languages/"+created.ID, ""), 200)

	h.graph.ResetRequests()
	r = b.api("PATCH", "/api/me/languages/"+created.ID, `{"written":"limitedWorking"}`)
	wantStatus(t, r, 200)
	if got := decode[langprof.LanguageProficiency](t, r); got.Written != langprof.LimitedWorking || got.Spoken != langprof.Elementary || got.DisplayName != "German" {
		t.Errorf("updated %+v, want written changed and the rest whole", got)
	}
	if reqs := h.graph.Requests(); len(reqs) != 1 || string(reqs[0].Body) != `{"written":"limitedWorking"}` {
		t.Errorf("upstream got %+v, want one PATCH of written alone", reqs)
	}

	r = b.api("DELETE", "/api/me/languages/"+created.ID, "")
	wantStatus(t, r, 204)
	r = b.api("GET", "/api/me/languages/"+created.ID, "")
	wantStatus(t, r, 404)
	if e := decode[apiError](t, r); e.Error.Code != "notFound" || !strings.Contains(e.Error.Message, "no longer on the profile") {
		t.Errorf("got %s, want notFound saying the language is gone", r.body)
	}
}

// The upstream page's example: PATCH {"allowedAudiences":"organization"}
// answered with the example response (server-managed times aside).
func TestSeedExample(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	r := b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"allowedAudiences":"organization"}`)
	wantStatus(t, r, 200)
	var got, want map[string]any
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/seed-response.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["lastModifiedDateTime"].(string); !ok {
		t.Errorf("lastModifiedDateTime = %v, want a time", got["lastModifiedDateTime"])
	}
	delete(got, "lastModifiedDateTime")
	delete(want, "lastModifiedDateTime")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("response differs from the upstream example (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.body, "Norwegian Bokmål") {
		t.Errorf("display name did not round-trip as UTF-8: %s", r.body)
	}
}

func TestAPIValidationSendsNothing(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	item := "/api/me/languages/" + demo.ExampleID
	tests := []struct {
		name, method, path, body string
		contentType              string
		wantStatus               int
		wantTargets              []string
		wantInMsg                string
	}{
		{"unknown subtag", "PATCH", item, `{"tag":"no-NB"}`, "", 400, []string{"tag"}, `"NB"`},
		{"bad enums", "PATCH", item, `{"spoken":"fluent","allowedAudiences":"world"}`, "", 400, []string{"allowedAudiences", "spoken"}, "must be one of"},
		{"sentinel", "PATCH", item, `{"reading":"unknownFutureValue"}`, "", 400, []string{"reading"}, "placeholder"},
		{"server-managed", "PATCH", item, `{"id":"x","lastModifiedBy":null}`, "", 400, []string{"id", "lastModifiedBy"}, "set by the server"},
		{"duplicate", "PATCH", item, `{"spoken":"elementary","spoken":"nativeOrBilingual"}`, "", 400, []string{"spoken"}, "more than once"},
		{"unknown", "PATCH", item, `{"proficiency":"high"}`, "", 400, []string{"proficiency"}, "not a property"},
		{"empty", "PATCH", item, `{}`, "", 400, []string{""}, "no property"},
		{"not an object", "PATCH", item, `["spoken"]`, "", 400, []string{""}, "one JSON object"},
		{"bad utf8", "PATCH", item, "{\"displayName\":\"Bokm\xe5l\"}", "", 400, []string{""}, "UTF-8"},
		{"too long name", "PATCH", item, `{"displayName":"` + strings.Repeat("x", 101) + `"}`, "", 400, []string{"displayName"}, "limit is 100"},
		{"create without tag", "POST", "/api/me/languages", `{"displayName":"French","spoken":"elementary","written":"elementary","reading":"elementary"}`, "", 400, []string{"tag"}, "required"},
		{"not json", "PATCH", item, `spoken=elementary`, "application/x-www-form-urlencoded", 415, nil, "application/json"},
		{"too large", "PATCH", item, `{"displayName":"` + strings.Repeat("x", 17<<10) + `"}`, "", 413, nil, "16 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.graph.ResetRequests()
			hdr := map[string]string{"X-CSRF": "1", "Content-Type": "application/json", "Origin": h.url}
			if tt.contentType != "" {
				hdr["Content-Type"] = tt.contentType
			}
			r := b.do(tt.method, tt.path, strings.NewReader(tt.body), hdr)
			wantStatus(t, r, tt.wantStatus)
			e := decode[apiError](t, r)
			if !strings.Contains(e.Error.Message, tt.wantInMsg) {
				t.Errorf("message %q does not say %q", e.Error.Message, tt.wantInMsg)
			}
			var targets []string
			for _, d := range e.Error.Details {
				targets = append(targets, d.Target)
			}
			if tt.wantTargets != nil && !cmp.Equal(targets, tt.wantTargets) {
				t.Errorf("detail targets %q, want %q", targets, tt.wantTargets)
			}
			if n := len(h.graph.Requests()); n != 0 {
				t.Errorf("%d requests reached Graph, want none", n)
			}
		})
	}
}

func TestAdminEditsOthers(t *testing.T) {
	h := newHarness(t)
	admin := h.signIn(demo.Adele.UPN)
	if r := admin.api("GET", "/api/session", ""); !strings.Contains(r.body, `"canEditOthers":true`) {
		t.Fatalf("admin session = %s", r.body)
	}
	for _, who := range []string{demo.Megan.UPN, demo.Megan.ID} {
		r := admin.api("GET", "/api/users/"+who+"/languages", "")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `"tag":"fr"`) {
			t.Errorf("Megan's languages by %s = %s", who, r.body)
		}
	}
	r := admin.api("PATCH", "/api/users/"+demo.Megan.UPN+"/languages/a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44", `{"written":"conversational"}`)
	wantStatus(t, r, 200)
	if by := decode[langprof.LanguageProficiency](t, r).LastModifiedBy; by == nil || by.User.ID != demo.Adele.ID {
		t.Errorf("lastModifiedBy = %+v, want Adele", by)
	}

	// A colleague reads, and may not write.
	megan := h.signIn(demo.Megan.UPN)
	r = megan.api("GET", "/api/users/"+demo.Adele.UPN+"/languages", "")
	wantStatus(t, r, 200)
	h.graph.ResetRequests()
	r = megan.api("POST", "/api/users/"+demo.Adele.UPN+"/languages", `{"tag":"fr","displayName":"French"}`)
	wantStatus(t, r, 403)
	if n := len(h.graph.Requests()); n != 0 {
		t.Errorf("%d requests reached Graph for a colleague's write, want none", n)
	}
}

func TestGraphFailuresReachTheWidget(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	tests := []struct {
		fault          graphfake.Fault
		wantStatus     int
		wantRetryAfter string
	}{
		{graphfake.Fault{Status: 429, RetryAfter: "30"}, 429, "30"},
		{graphfake.Fault{Status: 503, RetryAfter: "2.5"}, 503, "3"},
		{graphfake.Fault{Status: 500}, 502, ""},
		{graphfake.Fault{Status: 504}, 502, ""},
	}
	for _, tt := range tests {
		h.graph.Inject(tt.fault)
		r := b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`)
		wantStatus(t, r, tt.wantStatus)
		if got := r.Header.Get("Retry-After"); got != tt.wantRetryAfter {
			t.Errorf("fault %d: Retry-After %q, want %q", tt.fault.Status, got, tt.wantRetryAfter)
		}
		if e := decode[apiError](t, r); e.Error.Message == "" || e.Error.Code == "" {
			t.Errorf("fault %d: body %s lacks code or message", tt.fault.Status, r.body)
		}
	}
}

// Two sessions changing different properties of one entry at once both
// keep their change.
func TestConcurrentSessionsKeepBothChanges(t *testing.T) {
	h := newHarness(t)
	one, two := h.signIn(demo.Innocenty.UPN), h.signIn(demo.Innocenty.UPN)
	var wg sync.WaitGroup
	for _, x := range []struct {
		b    *browser
		body string
	}{{one, `{"spoken":"conversational"}`}, {two, `{"allowedAudiences":"everyone"}`}} {
		wg.Go(func() {
			if r := x.b.api("PATCH", "/api/me/languages/"+demo.ExampleID, x.body); r.StatusCode != http.StatusOK {
				t.Errorf("PATCH %s: %d %s", x.body, r.StatusCode, r.body)
			}
		})
	}
	wg.Wait()
	got := decode[langprof.LanguageProficiency](t, one.api("GET", "/api/me/languages/"+demo.ExampleID, ""))
	if got.Spoken != langprof.Conversational || got.AllowedAudiences != langprof.Everyone || got.Written != langprof.NativeOrBilingual {
		t.Errorf("got %+v, want both changes kept", got)
	}
}
