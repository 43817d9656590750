package e2e_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

// Against Graph as it really answers: small pages, lists that lag behind
// writes, entries written by services, terse refusals.

// Every view shows the result of a write, even while Graph's lists still
// show the state before it: the form fallback after its redirect, and the
// JSON API's list after the widget's save.
func TestWritesShowWhileListsLag(t *testing.T) {
	h := newHarness(t)
	h.graph.SetLag(time.Hour)
	h.graph.SetPageSize(1)
	b := h.signIn(demo.Innocenty.UPN)

	form := cardForm(t, b.get("/").body, demo.ExampleID)
	form.Set("spoken", "elementary")
	wantStatus(t, b.post("/languages/"+demo.ExampleID, form), http.StatusSeeOther)
	page := b.get("/").body
	if got := cardForm(t, page, demo.ExampleID).Get("spoken"); got != "elementary" {
		t.Errorf("after a save the page shows spoken %q, want the saved elementary", got)
	}

	r := b.post("/languages", map[string][]string{"tag": {"sv-SE"}, "displayName": {"Swedish"}, "allowedAudiences": {"organization"}})
	wantStatus(t, r, http.StatusSeeOther)
	if page := b.get("/").body; !strings.Contains(page, "Added Swedish.") || strings.Count(page, `<span class="tag">sv-SE</span>`) != 1 {
		t.Errorf("the added language is not on the page once")
	}

	wantStatus(t, b.post("/languages/"+demo.ExampleID+"/delete", nil), http.StatusSeeOther)
	if page := b.get("/").body; strings.Contains(page, `id="lang-`+demo.ExampleID+`"`) {
		t.Error("the deleted language is still on the page")
	}

	r = b.api("POST", "/api/me/languages", `{"tag":"da","displayName":"Danish"}`)
	wantStatus(t, r, http.StatusCreated)
	created := decode[langprof.LanguageProficiency](t, r)
	r = b.api("PATCH", "/api/me/languages/"+created.ID, `{"reading":"conversational"}`)
	wantStatus(t, r, http.StatusOK)
	list := decode[struct {
		Value []langprof.LanguageProficiency
	}](t, b.api("GET", "/api/me/languages", ""))
	var found bool
	for _, lp := range list.Value {
		found = found || lp.ID == created.ID && lp.Reading == langprof.Conversational
		if lp.ID == demo.ExampleID {
			t.Error("the API lists the deleted language")
		}
	}
	if !found {
		t.Errorf("the API's list %+v lacks the written Danish entry", list.Value)
	}
	// Graph's own list, read as langcard reads it, still shows the old
	// state: the deleted entry and not the added ones. The test did
	// exercise lag.
	var ids []string
	for _, lp := range graphList(t, h, demo.Innocenty.UPN) {
		ids = append(ids, lp.ID)
	}
	if !slices.Contains(ids, demo.ExampleID) || slices.Contains(ids, created.ID) {
		t.Errorf("Graph's list %v does not lag: the test proves nothing", ids)
	}
}

// graphList is upn's languages as Graph's list answers them, over HTTP,
// page by page (with Graph's lag, unlike the emulator's store).
func graphList(t *testing.T, h *harness, upn string) []langprof.LanguageProficiency {
	t.Helper()
	tok, err := h.app.Demo.IdP.Login(context.Background(), upn, "User.ReadWrite")
	if err != nil {
		t.Fatal(err)
	}
	var all []langprof.LanguageProficiency
	for next := h.app.Demo.GraphURL + "/me/profile/languages"; next != ""; {
		req, _ := http.NewRequest("GET", next, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Value []langprof.LanguageProficiency `json:"value"`
			Next  string                         `json:"@odata.nextLink"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("Graph's list: %d %v", resp.StatusCode, err)
		}
		all, next = append(all, page.Value...), page.Next
	}
	return all
}

// Entries written by services (null levels, source collections, the
// newer properties) show and can be edited; levels never set read "Not
// set", values langcard does not know read "Other: …" and are not sent
// back.
func TestServiceWrittenEntries(t *testing.T) {
	h := newHarness(t)
	const german = "c7b2e9d4-3f1a-4b8c-a6d5-9e0f1a2b3c4d"
	odd := langprof.LanguageProficiency{ID: "d1e2f3a4-0000-4000-8000-0000000000aa", Tag: "it", DisplayName: "Italian",
		Spoken: "expert", AllowedAudiences: "organization,everyone"}
	h.graph.Seed(demo.Megan.ID, odd)
	b := h.signIn(demo.Megan.UPN)
	page := b.get("/")
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{
		`<option value="" selected>Not set</option>`,
		`<option value="expert" selected>Other: expert</option>`,
		`<option value="organization,everyone" selected>Other: organization,everyone</option>`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	r := b.api("GET", "/api/me/languages/"+german, "")
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{`"spoken":null`, `"source":{"type":["User","MsGraph"]}`, `"isSearchable":true`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the API's entry %s lacks %s", r.body, want)
		}
	}

	// Saving one property of the odd entry sends that one alone.
	form := cardForm(t, page.body, odd.ID)
	form.Set("displayName", "Italiano")
	h.graph.ResetRequests()
	wantStatus(t, b.post("/languages/"+odd.ID, form), http.StatusSeeOther)
	if w := upstreamWrites(h); len(w) != 1 || string(w[0].Body) != `{"displayName":"Italiano"}` {
		t.Errorf("upstream got %+v, want only displayName", w)
	}
	all := h.graph.Languages(demo.Megan.ID)
	got := all[slices.IndexFunc(all, func(lp langprof.LanguageProficiency) bool { return lp.ID == odd.ID })]
	if got.Spoken != "expert" || got.AllowedAudiences != "organization,everyone" {
		t.Errorf("values langcard does not know were replaced: %+v", got)
	}
	// Setting a level on the service-written entry needs nothing else.
	form = cardForm(t, page.body, german)
	form.Set("spoken", "conversational")
	wantStatus(t, b.post("/languages/"+german, form), http.StatusSeeOther)
	// The browser-facing API stays strict.
	r = b.api("PATCH", "/api/me/languages/"+german, `{"spoken":null}`)
	wantStatus(t, r, http.StatusBadRequest)
	r = b.api("PATCH", "/api/me/languages/"+german, `{"spoken":"expert"}`)
	wantStatus(t, r, http.StatusBadRequest)
}

// One entry langcard cannot read does not take the page down.
func TestUnreadableEntryDoesNotTakeThePageDown(t *testing.T) {
	h := newHarness(t)
	h.graph.Seed(demo.Innocenty.ID, langprof.LanguageProficiency{ID: "bad id with spaces", Tag: "pl", DisplayName: "Polish"})
	b := h.signIn(demo.Innocenty.UPN)
	r := b.get("/")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, "could not be shown: “Polish”") || !strings.Contains(r.body, `id="lang-`+demo.ExampleID+`"`) {
		t.Errorf("the page does not show the others and name the bad one: %.2000s", r.body)
	}
	r = b.api("GET", "/api/me/languages", "")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, `"unreadable":[{"displayName":"Polish"}]`) {
		t.Errorf("the API's list does not name the unreadable entry: %s", r.body)
	}
}

// Graph's terse refusals become messages a person can act on, with
// Graph's request id; Graph's own words never reach the person.
func TestGraphRefusalsInPlainWords(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	reqID := regexp.MustCompile(`"request-id":"([0-9a-f-]{36})"`)
	tests := []struct {
		name       string
		fault      graphfake.Fault
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"terse 400", graphfake.Fault{Status: 400, Code: "UnknownError"}, 400, "UnknownError", "did not accept this change"},
		{"terse 404 on an entry that exists", graphfake.Fault{Status: 404, Code: "UnknownError"}, 400, "UnknownError", "did not accept this change"},
		{"raw text withheld", graphfake.Fault{Status: 400, Code: "BadRequest", Message: "spoken, written and reading are required."}, 400, "BadRequest", "did not accept this change"},
		{"500", graphfake.Fault{Status: 500, Code: "generalException", Message: "Internal stack trace at Microsoft.Profile"}, 502, "badGateway", "Microsoft 365 failed."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.graph.Inject(tt.fault)
			r := b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`)
			wantStatus(t, r, tt.wantStatus)
			e := decode[apiError](t, r)
			m := reqID.FindStringSubmatch(r.body)
			if e.Error.Code != tt.wantCode || !strings.Contains(e.Error.Message, tt.wantMsg) || m == nil || !strings.Contains(e.Error.Message, m[1]) {
				t.Errorf("got %s, want code %s, %q and Graph's request id in the message", r.body, tt.wantCode, tt.wantMsg)
			}
			if tt.fault.Message != "" && strings.Contains(r.body, tt.fault.Message) {
				t.Errorf("Graph's own words reached the person: %s", r.body)
			}
		})
	}
	t.Run("confirmed gone", func(t *testing.T) {
		r := b.api("PATCH", "/api/me/languages/0fb4c1e3-0000-4000-8000-00000000dead", `{"spoken":"elementary"}`)
		wantStatus(t, r, http.StatusNotFound)
		if e := decode[apiError](t, r); !strings.Contains(e.Error.Message, "deleted elsewhere") {
			t.Errorf("got %s", r.body)
		}
	})
}

// Holding every permission without a role langcard counts: Lee is a
// colleague on every route, and nothing he sends reaches Graph. Where an
// operator counts his role (People Administrator) but Graph does not
// honour it, Graph's refusal is explained as the role it is, and the
// form keeps his edit.
func TestAdministratorWithoutRole(t *testing.T) {
	const french = "a3e5f0c2-6d4b-4f1e-8c7a-2b9d1e0f3a44"
	t.Run("a role langcard does not count", func(t *testing.T) {
		h := newHarness(t)
		b := h.signIn(demo.Lee.UPN)
		h.graph.ResetRequests()
		r := b.api("PATCH", "/api/users/"+demo.Megan.UPN+"/languages/"+french, `{"spoken":"elementary"}`)
		wantStatus(t, r, http.StatusForbidden)
		if e := decode[apiError](t, r); e.Error.Code != "forbidden" || !strings.Contains(e.Error.Message, "administrator") {
			t.Errorf("got %s, want the colleague's refusal", r.body)
		}
		if n := len(upstreamWrites(h)); n != 0 {
			t.Errorf("%d writes reached Graph", n)
		}
		if page := b.get("/users/" + demo.Megan.UPN).body; strings.Contains(page, `class="card-form"`) {
			t.Error("Lee is offered a form on Megan's page")
		}
	})
	t.Run("a role Graph does not honour", func(t *testing.T) {
		h := newHarness(t, func(env map[string]string) { env["LANGCARD_ADMIN_ROLES"] = demo.PeopleAdministrator })
		b := h.signIn(demo.Lee.UPN)
		r := b.api("PATCH", "/api/users/"+demo.Megan.UPN+"/languages/"+french, `{"spoken":"elementary"}`)
		wantStatus(t, r, http.StatusForbidden)
		if e := decode[apiError](t, r); e.Error.Code != "ErrorAccessDeniedForRole" || !strings.Contains(e.Error.Message, "administrator role") {
			t.Errorf("got %s, want the role explained", r.body)
		}
		form := cardForm(t, b.get("/users/"+demo.Megan.UPN).body, french)
		form.Set("spoken", "elementary")
		r = b.post("/users/"+demo.Megan.UPN+"/languages/"+french, form)
		wantStatus(t, r, http.StatusForbidden)
		if !strings.Contains(r.body, "administrator role") || !strings.Contains(r.body, `<option value="elementary" selected>`) {
			t.Errorf("the form lost the edit or the reason: %.400s", r.body)
		}
	})
}

// A create Graph stored but did not confirm is neither repeated nor
// reported as not done.
func TestUnconfirmedCreate(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	h.graph.Inject(graphfake.Fault{Status: 504, AfterStoring: true})
	r := b.api("POST", "/api/me/languages", `{"tag":"sv","displayName":"Swedish"}`)
	wantStatus(t, r, http.StatusCreated) // found by reading back

	h.graph.SetLag(time.Hour)
	h.graph.Inject(graphfake.Fault{Status: 504, AfterStoring: true})
	r = b.api("POST", "/api/me/languages", `{"tag":"da","displayName":"Danish"}`)
	wantStatus(t, r, http.StatusBadGateway)
	if e := decode[apiError](t, r); e.Error.Code != "unconfirmed" || strings.Contains(e.Error.Message, "Nothing was") || !strings.Contains(e.Error.Message, "reload") {
		t.Errorf("got %s, want it unconfirmed, never 'nothing was changed'", r.body)
	}
	n := 0
	for _, lp := range h.graph.Languages(demo.Innocenty.ID) {
		if lp.Tag == "sv" || lp.Tag == "da" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d entries for two creates, want 2", n)
	}
}

// A PATCH Graph stored but answered unreadably is reported saved, with the
// entry read back.
func TestSavedButAnswerUnreadable(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	h.graph.Inject(graphfake.Fault{Body: []byte("not json")})
	r := b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[langprof.LanguageProficiency](t, r); got.Spoken != langprof.Elementary {
		t.Errorf("got %+v", got)
	}
	// Unreadable, and the read-back fails too: sent, outcome unknown.
	h.graph.Inject(graphfake.Fault{Body: []byte("not json")})
	h.graph.Inject(graphfake.Fault{Status: 500, Times: 4})
	r = b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"conversational"}`)
	wantStatus(t, r, http.StatusBadGateway)
	if e := decode[apiError](t, r); e.Error.Code != "unconfirmed" || strings.Contains(e.Error.Message, "Nothing was") {
		t.Errorf("got %s, want unconfirmed", r.body)
	}
}

// A no-JavaScript save during a Graph outage keeps what the person typed,
// with the real reason, even though the page cannot list the languages.
func TestFormSaveDuringOutageKeepsTheEdit(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	form := cardForm(t, b.get("/").body, demo.ExampleID)
	form.Set("displayName", "Bokmål, mitt språk")
	h.graph.Inject(graphfake.Fault{Status: 503, RetryAfter: "7", Times: 20})
	r := b.post("/languages/"+demo.ExampleID, form)
	wantStatus(t, r, http.StatusServiceUnavailable)
	if !strings.Contains(r.body, `value="Bokmål, mitt språk"`) || !strings.Contains(r.body, "busy") || strings.Contains(r.body, "no longer on the profile") {
		t.Errorf("the edit or the reason was lost: %.3000s", r.body)
	}
}

// One request id follows a failed save end to end: the person's error
// (X-Request-Id and innerError.client-request-id), langcard's log, and
// the client-request-id Graph received.
func TestRequestIDFollowsAFailedSave(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	h.graph.ResetRequests()
	h.graph.Inject(graphfake.Fault{Status: 500})
	r := b.api("PATCH", "/api/me/languages/"+demo.ExampleID, `{"spoken":"elementary"}`)
	wantStatus(t, r, http.StatusBadGateway)
	id := r.Header.Get("X-Request-Id")
	e := decode[struct {
		Error struct {
			InnerError struct {
				ClientRequestID string `json:"client-request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}](t, r)
	reqs := h.graph.Requests()
	if id == "" || e.Error.InnerError.ClientRequestID != id || len(reqs) == 0 || reqs[0].Header.Get("client-request-id") != id {
		t.Errorf("request id %q, in the error %q, at Graph %v", id, e.Error.InnerError.ClientRequestID, reqs)
	}
	if !strings.Contains(h.logs.String(), "request_id="+id) {
		t.Error("the log does not carry the request id")
	}
}
