package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"langcard/bff/auth"
	"langcard/bff/bcp47"
	"langcard/bff/wire"
	"langcard/web/langprof"
)

// maxBody bounds request bodies, JSON and forms alike.
const maxBody = 16 << 10

// defaultGraphTimeout bounds one operation against Graph, retries
// included, when Options.GraphTimeout does not say.
const defaultGraphTimeout = 13 * time.Second

type sessionBody struct {
	SignedIn      bool      `json:"signedIn"`
	User          auth.User `json:"user"`
	CanEditOthers bool      `json:"canEditOthers"`
}

func (s *Server) apiSession(w http.ResponseWriter, r *http.Request) error {
	sess, ok := s.Auth.Current(r.Context())
	if !ok {
		return errSignedOut
	}
	writeJSON(w, http.StatusOK, sessionBody{SignedIn: true, User: sess.User, CanEditOthers: sess.EditsOthers})
	return nil
}

type listBody struct {
	Value []langprof.LanguageProficiency `json:"value"`
	// Unreadable are the entries Graph sent that cannot be shown.
	Unreadable []unreadableEntry `json:"unreadable,omitempty"`
	// NotShared counts a colleague's entries not shared with the viewer.
	NotShared int `json:"notShared,omitempty"`
}

// unreadableEntry names an entry Graph sent that langcard cannot show.
type unreadableEntry struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	l, err := s.list(c)
	if err != nil {
		return err
	}
	b := listBody{Value: l.Value, NotShared: l.NotShared}
	for _, u := range l.Unreadable {
		s.Logger.Warn("unreadable entry", "path", logPath(r), "id", u.ID, "reason", u.Reason)
		b.Unreadable = append(b.Unreadable, unreadableEntry{ID: u.ID, DisplayName: u.Name})
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) apiGet(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	lp, err := s.Graph.Get(c.ctx, c.token, c.target, c.id)
	if c.colleague && (err == nil && !shownToColleague(lp) || missing(err)) {
		// Not shared, or not there: one answer, so that a colleague cannot
		// tell a hidden entry from a missing one (docs/security.md, rule 24).
		err = errNotShown
	}
	if err != nil {
		if !c.target.IsMe() {
			err = s.othersRead(c, err)
		}
		return err
	}
	writeJSON(w, http.StatusOK, lp)
	return nil
}

func (s *Server) apiCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	p, err := readPatch(w, r, true)
	if err != nil {
		return err
	}
	idem, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	lp, err := s.createOnce(c, idem, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, lp)
	return nil
}

func (s *Server) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	p, err := readPatch(w, r, false)
	if err != nil {
		return err
	}
	lp, err := s.update(c, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, lp)
	return nil
}

func (s *Server) apiDelete(w http.ResponseWriter, r *http.Request) error {
	c, err := s.prepare(r)
	if err != nil {
		return err
	}
	defer c.cancel()
	if err := s.remove(c); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readPatch reads and validates a JSON body: application/json, at most
// maxBody bytes, one object of known, person-editable properties, each
// valid; the tag comes back in canonical form.
func readPatch(w http.ResponseWriter, r *http.Request, create bool) (langprof.Patch, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return langprof.Patch{}, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupportedMediaType", Message: "The body must be JSON, sent with Content-Type: application/json."}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return langprof.Patch{}, &Error{Status: http.StatusRequestEntityTooLarge, Code: "requestTooLarge", Message: "The body is larger than 16 KiB."}
		}
		return langprof.Patch{}, &Error{Status: http.StatusBadRequest, Code: "invalidRequest", Message: "The body could not be read."}
	}
	b, ps := wire.Decode(data, wire.Person)
	if len(ps) == 0 {
		b.Patch, ps = b.Patch.Validate(create, bcp47.Checks)
	}
	if len(ps) == 0 && b.Patch.Empty() {
		ps = langprof.Problems{{Code: langprof.CodeInvalidBody, Message: "The body names no property to change."}}
	}
	if len(ps) > 0 {
		return langprof.Patch{}, invalid(ps)
	}
	return b.Patch, nil
}
