package e2e_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"langcard/bff/demo"
	"langcard/bff/graph/graphfake"
	"langcard/web/langprof"
)

// cardForm returns the form values of a card as the page rendered them.
func cardForm(t *testing.T, page, id string) url.Values {
	t.Helper()
	i := strings.Index(page, `id="lang-`+id+`"`)
	if i < 0 {
		t.Fatalf("no card %s on the page", id)
	}
	card := page[i:]
	card = card[:strings.Index(card, "</article>")]
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(card, -1) {
		v.Set(m[1], m[2])
		v.Set(strings.TrimPrefix(m[1], "orig."), m[2])
	}
	if v.Get("orig.tag") == "" {
		t.Fatalf("card %s has no original values", id)
	}
	return v
}

func upstreamWrites(h *harness) []graphfake.Request {
	var out []graphfake.Request
	for _, r := range h.graph.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

func TestFormsCRUD(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	page := b.get("/").body

	// Save sends only what changed.
	form := cardForm(t, page, demo.ExampleID)
	form.Set("spoken", "fullProfessional")
	h.graph.ResetRequests()
	r := b.post("/languages/"+demo.ExampleID, form)
	wantStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != "/" {
		t.Errorf("Location %q", r.Header.Get("Location"))
	}
	if w := upstreamWrites(h); len(w) != 1 || w[0].Method != "PATCH" || string(w[0].Body) != `{"spoken":"fullProfessional"}` {
		t.Errorf("upstream writes %+v, want one PATCH of spoken", w)
	}
	page = b.get("/").body
	if !strings.Contains(page, `role="status">Saved Norwegian Bokmål.`) {
		t.Errorf("no notice after saving: %.2000s", page)
	}
	if strings.Contains(b.get("/").body, "Saved Norwegian") {
		t.Error("the notice showed twice")
	}

	// Add.
	r = b.post("/languages", url.Values{"tag": {" pt-br "}, "displayName": {"Portuguese (Brazil)"}, "spoken": {"conversational"}, "written": {"elementary"}, "reading": {"limitedWorking"}, "allowedAudiences": {"organization"}})
	wantStatus(t, r, http.StatusSeeOther)
	langs := h.graph.Languages(demo.Innocenty.ID)
	added := langs[len(langs)-1]
	if added.Tag != "pt-BR" || added.DisplayName != "Portuguese (Brazil)" || added.Reading != langprof.LimitedWorking {
		t.Errorf("added %+v", added)
	}
	if page := b.get("/").body; !strings.Contains(page, "Added Portuguese (Brazil).") || !strings.Contains(page, `id="lang-`+added.ID+`"`) {
		t.Error("the new card or its notice is missing")
	}

	// Delete.
	r = b.post("/languages/"+added.ID+"/delete", nil)
	wantStatus(t, r, http.StatusSeeOther)
	if len(h.graph.Languages(demo.Innocenty.ID)) != 2 {
		t.Error("not deleted")
	}

	// Nothing changed: nothing sent.
	h.graph.ResetRequests()
	wantStatus(t, b.post("/languages/"+demo.ExampleID, cardForm(t, b.get("/").body, demo.ExampleID)), http.StatusSeeOther)
	if w := upstreamWrites(h); len(w) != 0 {
		t.Errorf("an unchanged form sent %+v", w)
	}
}

func TestFormsRejectKeepInput(t *testing.T) {
	h := newHarness(t)
	b := h.signIn(demo.Innocenty.UPN)
	form := cardForm(t, b.get("/").body, demo.ExampleID)
	form.Set("tag", "no-NB")
	form.Set("displayName", "Norsk <bokmål>")
	form.Set("spoken", "fluent")
	h.graph.ResetRequests()
	r := b.post("/languages/"+demo.ExampleID, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	p := "lang-" + demo.ExampleID
	for _, want := range []string{
		`value="no-NB"`, `value="Norsk &lt;bokmål&gt;"`, // input kept, escaped
		// In plain words, naming the language; the code was typed by hand,
		// so its problem sits beside the code.
		`id="` + p + `-tag-error" data-for="tag" aria-live="polite">We don’t know the language code no-NB. Choose a language from the list`,
		`aria-describedby="` + p + `-tag-hint ` + p + `-tag-error"`,
		`aria-invalid="true"`,
		`id="` + p + `-spoken-error" data-for="spoken" aria-live="polite">Choose how well you speak Norsk &lt;bokmål&gt;`,
		`href="#` + p + `-tag"`, // the summary links to the field
		`<title>Error: Your languages · langcard</title>`,
		`class="card editing"`, // the refused card stays open
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("422 page lacks %s", want)
		}
	}
	if w := upstreamWrites(h); len(w) != 0 {
		t.Errorf("refused input reached Graph: %+v", w)
	}

	// A language name langcard does not know, typed on an existing card,
	// is kept with its problem beside it; nothing goes upstream.
	form = cardForm(t, b.get("/").body, demo.ExampleID)
	form.Set("language", "Klingonese")
	h.graph.ResetRequests()
	r = b.post("/languages/"+demo.ExampleID, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, want := range []string{`id="` + p + `-language" name="language" type="text" list="language-choices" value="Klingonese"`, `We don’t know the language “Klingonese”`, `class="card editing"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the 422 for an unknown name lacks %s", want)
		}
	}
	if w := upstreamWrites(h); len(w) != 0 {
		t.Errorf("an unknown name reached Graph: %+v", w)
	}

	// A new language with problems keeps what was typed.
	r = b.post("/languages", url.Values{"tag": {"xx"}, "displayName": {""}, "spoken": {""}, "written": {"elementary"}, "reading": {"elementary"}, "allowedAudiences": {"family"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, want := range []string{`id="new-tag" name="tag" type="text" value="xx"`, `id="new-displayName-error"`, `<option value="" selected>Not set</option>`, `<option value="family" selected>`,
		`data-for="tag" aria-live="polite">We don’t know the language code xx. Choose a language from the list`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("422 page for a new language lacks %s", want)
		}
	}
	if strings.Contains(r.body, `data-for="spoken">spoken`) {
		t.Error("a level left unset was refused: levels are optional")
	}

	// Graph throttling: the person's input stays, with the reason.
	form = cardForm(t, b.get("/").body, demo.ExampleID)
	form.Set("written", "elementary")
	h.graph.Inject(graphfake.Fault{Status: 429, RetryAfter: "30"})
	r = b.post("/languages/"+demo.ExampleID, form)
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") != "30" || !strings.Contains(r.body, "try again in 30 seconds") || !regexp.MustCompile(`<option value="elementary" selected>`).MatchString(r.body) {
		t.Errorf("throttled save lost the input or the reason: %.300s", r.body)
	}
}

// Two people with the same page open change different properties: both
// changes survive, because each form sends only its own change.
func TestFormsConcurrentEdits(t *testing.T) {
	h := newHarness(t)
	one, two := h.signIn(demo.Innocenty.UPN), h.signIn(demo.Innocenty.UPN)
	f1, f2 := cardForm(t, one.get("/").body, demo.ExampleID), cardForm(t, two.get("/").body, demo.ExampleID)
	f1.Set("reading", "elementary")
	f2.Set("allowedAudiences", "contacts")
	var wg sync.WaitGroup
	for _, x := range []struct {
		b *browser
		f url.Values
	}{{one, f1}, {two, f2}} {
		wg.Go(func() {
			if r := x.b.post("/languages/"+demo.ExampleID, x.f); r.StatusCode != http.StatusSeeOther {
				t.Errorf("save: %d", r.StatusCode)
			}
		})
	}
	wg.Wait()
	got := h.graph.Languages(demo.Innocenty.ID)[0]
	if got.Reading != langprof.Elementary || got.AllowedAudiences != langprof.Contacts {
		t.Errorf("got %+v, want both changes", got)
	}
}

func TestFormsForOthers(t *testing.T) {
	h := newHarness(t)
	admin := h.signIn(demo.Adele.UPN)
	if page := admin.get("/").body; !strings.Contains(page, `action="/users"`) {
		t.Error("administrators are not offered to open someone else's profile")
	}
	r := admin.get("/users?user=" + url.QueryEscape(demo.Megan.UPN))
	wantStatus(t, r, http.StatusSeeOther)
	megan := r.Header.Get("Location")
	page := admin.get(megan).body
	if !strings.Contains(page, "Languages on Megan Bowen’s profile") {
		t.Errorf("page %.500s", page)
	}
	form := cardForm(t, page, meganEntry)
	form.Set("spoken", "professionalWorking")
	r = admin.post(megan+"/languages/"+meganEntry, form)
	wantStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != megan {
		t.Errorf("back to %q, want %q", r.Header.Get("Location"), megan)
	}
	if got := h.graph.Languages(demo.Megan.ID)[0].Spoken; got != langprof.ProfessionalWorking {
		t.Errorf("Megan's spoken = %s", got)
	}
	wantStatus(t, admin.get("/users?user=..%2Fme"), http.StatusBadRequest)

	// Not an administrator: a colleague reads, read-only; writes are
	// refused with nothing upstream.
	b := h.signIn(demo.Megan.UPN)
	if r := b.get("/users/" + demo.Adele.UPN); r.StatusCode != http.StatusOK || strings.Contains(r.body, "<form method=\"post\" class=\"card-form\"") {
		t.Errorf("a colleague's page: %d, with forms: %v", r.StatusCode, strings.Contains(r.body, "card-form"))
	}
	h.graph.ResetRequests()
	wantStatus(t, b.post("/users/"+demo.Adele.UPN+"/languages", url.Values{"tag": {"fr"}, "displayName": {"French"}}), http.StatusForbidden)
	if w := upstreamWrites(h); len(w) != 0 {
		t.Errorf("%d writes reached Graph", len(w))
	}
}
