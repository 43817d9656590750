package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"langcard/bff/auth"
	"langcard/bff/bcp47"
	"langcard/bff/graph"
	"langcard/templates"
	"langcard/templates/i18n"
	"langcard/web/langprof"
)

const (
	noticeKey = "notice"
	// signedOutKey marks a fresh, empty session after sign-out, so that the
	// sign-in page says "You have signed out".
	signedOutKey = "signedOut"
)

// editor is GET / and GET /users/{user}: the cards, or the sign-in page.
// ?edit={id} opens one card's form, for browsers without JavaScript, and
// ?add sends the form to add a language as elements, for a browser whose
// scripts run but whose loader did not.
func (s *Server) editor(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.Auth.Current(r.Context()); !ok {
		// The path comes back after sign-in: checked and bounded like any
		// returnTo before it is put in the page.
		back := auth.SafeReturnTo(r.URL.EscapedPath(), nil)
		signedOut := s.Sessions.PopBool(r.Context(), signedOutKey)
		s.render(w, r, http.StatusOK, templates.SignIn(s.chrome(r), url.QueryEscape(back), s.DemoPeople, signedOut))
		return nil
	}
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	// Opened in a browser, the forms come after the cards (a page that
	// answers a post shows the person's input and problems at once), but
	// for the one the person asked for. Programs that fetch the page (no
	// Sec-Fetch-Dest) read them as elements, as ever.
	v := view{editing: r.URL.Query().Get("edit"), later: r.Header.Get("Sec-Fetch-Dest") == "document"}
	_, v.adding = r.URL.Query()["add"]
	if v.notice = s.Sessions.PopString(r.Context(), noticeKey); v.notice == "" && r.URL.Query().Get("saved") == "1" {
		// The change was stored, but its notice could not be kept in the
		// session (session.LoadAndSave).
		v.notice = lang(r, c.lang).T("notice.savedWithoutSession")
	}
	p, err := s.profile(r, c, v, nil)
	if err != nil {
		return err
	}
	w.Header().Add("Vary", "Sec-Fetch-Dest")
	s.render(w, r, http.StatusOK, templates.EditorPage(templates.Editor{Profile: p, CanEditOthers: c.sess.EditsOthers}))
	return nil
}

// userPath is the editor page of another user.
func userPath(user string) string { return "/users/" + url.PathEscape(user) }

// openUser is the administrators' "edit someone else's" form.
func (s *Server) openUser(w http.ResponseWriter, r *http.Request) error {
	user := strings.TrimSpace(r.URL.Query().Get("user"))
	if _, err := graph.User(user); err != nil {
		return badSegment("user", langprof.Quote(user)+" is not an object id or a userPrincipalName.")
	}
	http.Redirect(w, r, userPath(user), http.StatusSeeOther)
	return nil
}

// formValues reads a card's form (prefix "orig." for the values it was
// rendered with); names and tags are trimmed.
func formValues(r *http.Request, prefix string) langprof.Values {
	var v langprof.Values
	for i, prop := range langprof.Props {
		v[i] = r.PostForm.Get(prefix + prop)
		if prop == langprof.PropTag || prop == langprof.PropDisplayName {
			v[i] = strings.TrimSpace(v[i])
		}
	}
	return v
}

// posted is a card's form as the person sent it.
type posted struct {
	next, orig langprof.Values
	// language is what the language field held; codeTyped is set when
	// the person typed the code by hand (it then wins over the name).
	language  string
	codeTyped bool
	// unknown is set when language names nothing langcard knows.
	unknown bool
}

// readCard reads a card's form and works out the tag the person meant:
// the code when they typed one; else the language they named, by its name
// in their language, in English or in its own, or by its code; a name for
// a new language is suggested from it when none was typed.
func readCard(L *i18n.Catalog, r *http.Request) posted {
	p := posted{next: formValues(r, ""), orig: formValues(r, "orig."), language: strings.TrimSpace(r.PostForm.Get("language"))}
	tag, origTag := p.next.Get(langprof.PropTag), p.orig.Get(langprof.PropTag)
	switch {
	case !strings.EqualFold(tag, origTag) || tag != "" && p.language == "":
		p.codeTyped = true
	case p.language == "":
	case tag != "" && i18n.Fold(p.language) == i18n.Fold(L.LanguageName(tag)):
		// The name of the language already there: unchanged.
	default:
		t, ok := L.Resolve(p.language)
		if !ok {
			if canonical, problem := langprof.CheckTag(p.language, bcp47.Checks.Tag); problem == "" {
				t, ok = canonical, true
			}
		}
		if !ok {
			p.unknown = true
			break
		}
		p.next.Set(langprof.PropTag, t)
	}
	if p.next.Get(langprof.PropDisplayName) == "" && !r.PostForm.Has("orig."+langprof.PropTag) && !p.unknown {
		p.next.Set(langprof.PropDisplayName, L.LanguageName(p.next.Get(langprof.PropTag)))
	}
	return p
}

// problems says each problem in L's words, beside the field it is about:
// a tag the person did not type is the language field's problem.
func (p posted) problems(L *i18n.Catalog, ps langprof.Problems) map[string]string {
	out := map[string]string{}
	if p.unknown {
		out["language"] = L.T("problem.language.unknown", "typed", p.language)
	}
	name := p.next.Get(langprof.PropDisplayName)
	if n := L.LanguageName(p.next.Get(langprof.PropTag)); n != "" {
		name = n
	}
	if name == "" {
		name = L.T("problem.thisLanguage")
	}
	for _, pr := range ps {
		field := pr.Target
		if field == langprof.PropTag && (!p.codeTyped || p.next.Get(langprof.PropTag) == "") {
			field = "language"
		}
		if field == "" || out[field] != "" {
			continue
		}
		msg := pr.Message // from Graph: already in the person's words
		if pr.Code != "" {
			msg = L.T(pr.Key(), "language", name, "tag", p.next.Get(langprof.PropTag), "max", strconv.Itoa(langprof.MaxDisplayName))
		}
		out[field] = msg
	}
	return out
}

// saveForm is POST [/users/{user}]/languages/{id}: it sends Graph only
// what the person changed from the values the form was rendered with.
func (s *Server) saveForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	L := lang(r, "")
	in := readCard(L, r)
	diff := langprof.Diff(in.orig.Patch(), in.next.Patch())
	if diff.Empty() && !in.unknown {
		return s.done(w, r, c, L.T("notice.nothing"))
	}
	diff, ps := diff.Validate(false, bcp47.Checks)
	if len(ps) == 0 && !in.unknown {
		var lp langprof.LanguageProficiency
		if lp, err = s.update(c, diff); err == nil {
			return s.done(w, r, c, L.T("notice.saved", "language", templates.CardOf(L, lp).Heading))
		}
	}
	return s.refuse(w, r, c, in, ps, err, func(e *templates.Profile, problems map[string]string, msg string) {
		if missing(err) {
			e.Error = L.T("err.missingOnSave") + " " + msg
			return
		}
		card := templates.Card{ID: c.id, Values: in.next, Orig: in.orig, Problems: problems, Language: in.language, Editing: true}
		for i := range e.Cards {
			if e.Cards[i].ID == c.id {
				card.Heading, card.Self, card.Changed, card.ChangedISO = e.Cards[i].Heading, e.Cards[i].Self, e.Cards[i].Changed, e.Cards[i].ChangedISO
				e.Cards[i] = card
				return
			}
		}
		// Graph could not list it (it failed, or lags): the person's card
		// still comes back, as posted.
		card.Heading = in.orig.Get(langprof.PropDisplayName)
		e.Cards = append(e.Cards, card)
	})
}

// createForm is POST [/users/{user}]/languages.
func (s *Server) createForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	L := lang(r, "")
	in := readCard(L, r)
	p, ps := in.next.Patch().OmitUnset().Validate(true, bcp47.Checks)
	idem, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	if len(ps) == 0 && !in.unknown {
		var lp langprof.LanguageProficiency
		if lp, err = s.createOnce(c, idem, p); err == nil {
			return s.done(w, r, c, L.T("notice.added", "language", templates.CardOf(L, lp).Heading))
		}
	}
	return s.refuse(w, r, c, in, ps, err, func(e *templates.Profile, problems map[string]string, _ string) {
		e.New.Values, e.New.Problems, e.New.Language = in.next, problems, in.language
	})
}

// deleteForm is POST [/users/{user}]/languages/{id}/delete.
func (s *Server) deleteForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	if err := s.remove(c); err != nil {
		return s.refuse(w, r, c, posted{}, nil, err, func(*templates.Profile, map[string]string, string) {})
	}
	return s.done(w, r, c, lang(r, "").T("notice.deletedOne"))
}

// done ends a successful form post: post/redirect/get with a notice.
func (s *Server) done(w http.ResponseWriter, r *http.Request, c *call, notice string) error {
	s.Sessions.Put(r.Context(), noticeKey, notice)
	to := "/"
	if !c.target.IsMe() {
		to = userPath(c.target.String())
	}
	// A form of an embedded card goes back to its intranet page.
	if back := auth.SafeReturnTo(r.PostForm.Get("returnTo"), s.EmbedOrigins); !strings.HasPrefix(back, "/") {
		to = back
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// refuse re-renders the editor after a refused form post, keeping the
// person's input: 422 with each problem beside its field, or Graph's
// status with its message. keep puts the input back.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, c *call, in posted, ps langprof.Problems, err error,
	keep func(e *templates.Profile, problems map[string]string, msg string)) error {
	status, msg, code, ref := http.StatusUnprocessableEntity, "", "", ""
	L := lang(r, "")
	if err != nil {
		ge := classify(err)
		if ge.Status == http.StatusUnauthorized || errors.Is(err, auth.ErrSignedOut) {
			return err
		}
		s.logError(r, ge)
		status, msg, code, ref = ge.Status, say(L, ge), ge.Code, ge.RequestID
		if langprof.PropIndex(ge.Target) >= 0 {
			ps = langprof.Problems{{Target: ge.Target, Message: L.T("problem.notAccepted")}}
		}
		if ge.RetryAfter > 0 {
			w.Header().Set("Retry-After", ge.Header())
		}
	}
	problems := in.problems(L, ps)
	e, _ := s.profile(r, c, view{failed: true}, func(e *templates.Profile) {
		keep(e, problems, msg)
		if e.Error == "" && msg != "" && len(problems) == 0 {
			e.Error, e.ErrorCode, e.Reference = msg, code, ref
		}
	})
	s.render(w, r, status, templates.EditorPage(templates.Editor{Profile: e, CanEditOthers: c.sess.EditsOthers}))
	return nil
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request) error {
	to, err := s.Auth.Callback(w, r)
	var le *auth.LoginError
	if err != nil && !errors.As(err, &le) {
		err = &Error{Status: http.StatusInternalServerError, Code: "internal", Title: "errtitle.signInFailed", Key: "err.signInFailed", Err: err}
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	// Drafts the widget kept in this origin's storage go with the session.
	w.Header().Set("Clear-Site-Data", `"storage"`)
	to, err := s.Auth.Logout(w, r)
	if err != nil {
		return &Error{Status: http.StatusInternalServerError, Code: "internal", Key: "err.signOutFailed", Err: err}
	}
	s.Sessions.Put(r.Context(), signedOutKey, true) // a new session: it holds nothing else
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.draining.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("draining\n"))
		return
	}
	if s.Ready != nil {
		if err := s.Ready(r.Context()); err != nil {
			s.Logger.Warn("not ready", "error", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("not ready\n"))
			return
		}
	}
	w.Write([]byte("ready\n"))
}
