package server

import (
	"cmp"
	"context"
	"net/http"
	"strings"

	"langcard/bff/auth"
	"langcard/bff/graph"
	"langcard/bff/ident"
	"langcard/web/langprof"
)

// What a request is about, worked out once: who is asking (the session),
// whose languages (the target), what the viewer may see and do of them
// (a colleague's view, or an administrator's) and a token; the person's
// language is negotiated once beside it (lang.go). Pages, the JSON API
// and embedded cards all start here.

// call is what every Graph operation needs: a validated target, an id
// (when the route has one), and a fresh access token. Everything is
// checked before anything is sent upstream.
type call struct {
	ctx    context.Context
	cancel context.CancelFunc
	token  string
	target graph.Target
	id     string
	// sess is the viewer's session; viewer is their object id, viewerUPN
	// their userPrincipalName.
	sess              auth.Session
	viewer, viewerUPN string
	// session names the viewer's session in the store (its token record's
	// reference): the key of the records kept beside the session.
	session string
	// colleague is set when the viewer reads someone else's profile
	// without the right to edit it: read-only, and only what is shared.
	colleague bool
	// lang, when set, is the language an embed element asked for.
	lang string
	// read, when set, is the request's reads of people, shared by its
	// calls: each person is read once (embedded cards).
	read *reads
}

// prepare checks the route's {user} and {id}, and the session, and gets
// a token: a refusal here sends nothing upstream.
func (s *Server) prepare(r *http.Request) (*call, error) {
	var user, id *string
	if strings.Contains(r.Pattern, "{user}") {
		u := r.PathValue("user")
		user = &u
	}
	if strings.Contains(r.Pattern, "{id}") {
		i := r.PathValue("id")
		id = &i
	}
	return s.prepareFor(r.Context(), user, id)
}

// prepareFor is prepare for a user and an id given apart from a route
// (nil: none; "me" is never a user).
func (s *Server) prepareFor(ctx context.Context, user, id *string) (*call, error) {
	sess, ok := s.Auth.Current(ctx)
	if !ok {
		return nil, errSignedOut
	}
	c := &call{target: graph.Me, sess: sess, viewer: sess.User.ID, viewerUPN: sess.User.UserPrincipalName, session: sess.TokenRef}
	if user != nil && !self(sess.User, *user) {
		t, err := graph.User(*user)
		if err != nil {
			return nil, badSegment("user", "user "+langprof.Quote(*user)+" is not an object id or a userPrincipalName")
		}
		// What a person may see of others follows the role Entra states,
		// never a scope alone (docs/security.md, rule 23).
		switch {
		case sess.EditsOthers:
		case sess.CanReadOthers:
			c.colleague = true
		default:
			s.Logger.Info("colleagues' languages asked for without the permission: langcard needs the delegated permission " + auth.ScopeReadOthers + " with admin consent")
			return nil, errColleaguesNotAllowed
		}
		c.target = t
	}
	if id != nil {
		if !ident.ValidID(*id) {
			return nil, badSegment("id", "id "+langprof.Quote(*id)+" is not a language id")
		}
		c.id = *id
	}
	token, err := s.Auth.AccessToken(ctx)
	if err != nil {
		return nil, err
	}
	c.token = token
	c.ctx, c.cancel = context.WithTimeout(ctx, cmp.Or(s.GraphTimeout, defaultGraphTimeout))
	return c, nil
}
