package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"langcard/bff/auth"
	"langcard/bff/bcp47"
	"langcard/bff/graph"
	"langcard/static"
	"langcard/templates"
	"langcard/web/langprof"
)

const (
	noticeKey = "notice"
	// signedOutKey marks a fresh, empty session after sign-out, so that the
	// sign-in page says "You have signed out".
	signedOutKey = "signedOut"
)

func (s *Server) chrome(r *http.Request) templates.Chrome {
	c := templates.Chrome{CSS: s.Assets.URL(static.CSS)}
	if !hasSession(r) {
		return c // the session store failed: an error page names no one
	}
	if sess, ok := s.Auth.Current(r.Context()); ok {
		c.Viewer, c.ViewerUPN, c.ViewerID = sess.User.DisplayName, sess.User.UserPrincipalName, sess.User.ID
	}
	if wasm := s.Assets.URL(static.Widget); wasm != "" {
		c.Widget = templates.Widget{Script: s.Assets.URL(static.Script), WASM: wasm}
	}
	return c
}

// editor is GET / and GET /users/{user}: the cards, or the sign-in page.
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
	e, err := s.editorView(r, c, nil)
	if err != nil {
		return err
	}
	e.Notice = s.Sessions.PopString(r.Context(), noticeKey)
	s.render(w, r, http.StatusOK, templates.EditorPage(e))
	return nil
}

// editorView builds the editor from Graph's list; edit, when not nil,
// changes it (to put back a person's input and problems).
func (s *Server) editorView(r *http.Request, c *call, edit func(*templates.Editor)) (templates.Editor, error) {
	sess, _ := s.Auth.Current(r.Context())
	e := templates.Editor{
		Chrome: s.chrome(r), Subject: sess.User.DisplayName, CanEditOthers: sess.CanEditOthers,
		New: newCard(),
	}
	if !c.target.IsMe() {
		e.Subject, e.Others, e.Base = c.target.String(), true, userPath(c.target.String())
	}
	e.ReadOnly = c.colleague
	l, err := s.list(c)
	if err != nil && edit == nil {
		return e, err
	}
	if err != nil {
		e.Error = classify(err).Message
	}
	for _, lp := range l.Value {
		e.Cards = append(e.Cards, templates.CardOf(lp))
	}
	e.NotShared = l.NotShared
	for _, u := range l.Unreadable {
		s.Logger.Warn("unreadable entry", "path", logPath(r), "id", u.ID, "reason", u.Reason)
		e.Unreadable = append(e.Unreadable, u.Name)
	}
	if edit != nil {
		edit(&e)
	}
	return e, nil
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

// newCard is the card that adds a language: shared with the organization
// unless the person chooses otherwise.
func newCard() templates.Card {
	var c templates.Card
	c.Values.Set(langprof.PropAllowedAudiences, string(langprof.Organization))
	return c
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

// saveForm is POST [/users/{user}]/languages/{id}: it sends Graph only
// what the person changed from the values the form was rendered with.
func (s *Server) saveForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	next := formValues(r, "")
	diff := langprof.Diff(formValues(r, "orig.").Patch(), next.Patch())
	if diff.Empty() {
		return s.done(w, r, c, "Nothing to save: no changes.")
	}
	diff, ps := diff.Validate(false, bcp47.Checks)
	if len(ps) == 0 {
		var lp langprof.LanguageProficiency
		if lp, err = s.update(c, diff); err == nil {
			return s.done(w, r, c, "Saved "+templates.CardOf(lp).Heading+".")
		}
	}
	orig := formValues(r, "orig.")
	return s.refuse(w, r, c, ps, err, func(e *templates.Editor, problems map[string]string, msg string) {
		if missing(err) {
			e.Error = "This language is no longer on the profile; your changes were not saved. " + msg
			return
		}
		posted := templates.Card{ID: c.id, Values: next, Orig: orig, Problems: problems, Heading: orig.Get(langprof.PropDisplayName)}
		for i := range e.Cards {
			if e.Cards[i].ID == c.id {
				posted.Heading = e.Cards[i].Heading
				e.Cards[i] = posted
				return
			}
		}
		// Graph could not list it (it failed, or lags): the person's card
		// still comes back, as posted.
		e.Cards = append(e.Cards, posted)
	})
}

// createForm is POST [/users/{user}]/languages.
func (s *Server) createForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	next := formValues(r, "")
	p, ps := next.Patch().OmitUnset().Validate(true, bcp47.Checks)
	if len(ps) == 0 {
		var lp langprof.LanguageProficiency
		if lp, err = s.create(c, p); err == nil {
			return s.done(w, r, c, "Added "+templates.CardOf(lp).Heading+".")
		}
	}
	return s.refuse(w, r, c, ps, err, func(e *templates.Editor, problems map[string]string, _ string) {
		e.New.Values, e.New.Problems = next, problems
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
		return s.refuse(w, r, c, nil, err, func(*templates.Editor, map[string]string, string) {})
	}
	return s.done(w, r, c, "Language deleted.")
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
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, c *call, ps langprof.Problems, err error,
	keep func(e *templates.Editor, problems map[string]string, msg string)) error {
	status, msg := http.StatusUnprocessableEntity, ""
	if err != nil {
		ge := classify(err)
		if ge.Status == http.StatusUnauthorized || errors.Is(err, auth.ErrSignedOut) {
			return err
		}
		s.logError(r, ge)
		status, msg = ge.Status, ge.Message
		if ge.Target != "" {
			ps = langprof.Problems{{Target: ge.Target, Message: ge.Message}}
		}
		if ge.RetryAfter > 0 {
			w.Header().Set("Retry-After", ge.Header())
		}
	}
	problems := map[string]string{}
	for _, p := range ps {
		if p.Target == "" {
			msg = p.Message
			continue
		}
		if problems[p.Target] == "" {
			problems[p.Target] = p.Message
		}
	}
	e, _ := s.editorView(r, c, func(e *templates.Editor) { keep(e, problems, msg) })
	if e.Error == "" {
		e.Error = msg
	}
	s.render(w, r, status, templates.EditorPage(e))
	return nil
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request) error {
	to, err := s.Auth.Callback(w, r)
	var le *auth.LoginError
	if err != nil && !errors.As(err, &le) {
		err = &Error{Status: http.StatusInternalServerError, Code: "internal", Title: "Sign-in failed", Message: "Sign-in failed. Start again.", Err: err}
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
		return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "Sign-out failed. Try again.", Err: err}
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
