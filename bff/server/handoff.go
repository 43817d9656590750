package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"langcard/bff/auth"
	"langcard/bff/logsafe"
	"langcard/bff/session"
	"langcard/templates"
)

// The sign-in handoff of an embedded card on a host of another site
// (bff/auth/handoff.go has the whole exchange; docs/embedding.md why).

// handoffPage is GET /auth/handoff?hash=: the sign-in window a card opens.
func (s *Server) handoffPage(w http.ResponseWriter, r *http.Request) error {
	hash := r.URL.Query().Get("hash")
	if !auth.ValidHandoffHash(hash) {
		return &auth.LoginError{Status: http.StatusBadRequest, Key: "login.handoffInvalid"}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, templates.HandoffPage(s.chrome(r), hash))
	return nil
}

// startHandoff is POST /auth/handoff, from the sign-in window.
func (s *Server) startHandoff(w http.ResponseWriter, r *http.Request) error {
	to, err := s.Auth.StartHandoff(w, r)
	if err != nil {
		var le *auth.LoginError
		if !errors.As(err, &le) {
			err = errSessionStore(err)
		}
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// handoffDone is the sign-in window's last page.
func (s *Server) handoffDone(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, templates.HandoffDone(s.chrome(r)))
	return nil
}

var (
	errHandoffUnknown   = &Error{Status: http.StatusNotFound, Code: "handoffUnknown", Key: "err.handoffUnknown"}
	errHandoffElsewhere = &Error{Status: http.StatusForbidden, Code: "handoffElsewhere", Key: "err.handoffElsewhere"}
)

// redeemHandoff is POST /api/handoff/redeem {"secret": "…"}, from the
// card that started the handoff: 204 once its window has signed in (this
// answer sets the card's partitioned session cookie); 404 before that,
// and when there is no such handoff (any more).
func (s *Server) redeemHandoff(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Secret string `json:"secret"`
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<10))
	if err != nil || json.Unmarshal(data, &body) != nil {
		return badSegment("secret", "the body must be {\"secret\": \"…\"}")
	}
	err = s.Auth.RedeemHandoff(r.Context(), body.Secret, r.Header.Get("Origin"))
	switch {
	case errors.Is(err, auth.ErrHandoffUnknown):
		return errHandoffUnknown
	case errors.Is(err, auth.ErrHandoffElsewhere):
		s.Logger.Warn("a sign-in handoff was redeemed from another origin than the one that started it", "origin", logsafe.Text(r.Header.Get("Origin")))
		return errHandoffElsewhere
	case err != nil:
		return errSessionStore(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiEndSession is DELETE /api/session: an embedded card's own session
// ends (its sign-out; langcard's page signs out with POST /logout).
func (s *Server) apiEndSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.Auth.End(r.Context()); err != nil {
		return errSessionStore(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// partitioned reports whether r's session is an embedded card's own.
func (s *Server) partitioned(r *http.Request) bool {
	return hasSession(r) && s.Sessions.GetBool(r.Context(), session.PartitionedKey)
}
