package session

import (
	"context"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
)

// LoadAndSave is scs's LoadAndSave, with one answer per request whatever
// the store does (docs/security.md, rule 25). scs saves a changed session
// as the handler starts its answer, and when the save fails it writes a
// whole error answer into the same response, before the handler's own:
// two documents under one status, the handler's write reported as failed.
// Here:
//
//   - a save that fails before anything is written is answered by failed
//     alone (the handler's writes that follow are dropped);
//   - a save that fails after the handler marked its answer Kept (it
//     reports a write Graph stored) leaves that answer as it is: the
//     session change is lost, not the write. stored is told, for the log.
//     A redirect then carries saved=1, for the page to say the change was
//     saved (its notice was in the session).
func LoadAndSave(sm *scs.SessionManager, failed func(http.ResponseWriter, *http.Request, error), stored func(*http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Cookie")
			var token string
			if c, err := r.Cookie(sm.Cookie.Name); err == nil {
				token = c.Value
			}
			ctx, err := sm.Load(r.Context(), token)
			if err != nil {
				failed(w, r, err)
				return
			}
			kept := new(atomic.Bool)
			r = r.WithContext(context.WithValue(ctx, keptKey{}, kept))
			sw := &saveWriter{ResponseWriter: w, r: r, sm: sm, kept: kept, failed: failed, stored: stored, partitioned: sm.GetBool(ctx, PartitionedKey)}
			next.ServeHTTP(sw, r)
			sw.save(0)
		})
	}
}

type keptKey struct{}

// Keep marks the answer of ctx's request as reporting something done
// elsewhere, such as a write Graph stored: a session that cannot be saved
// then never replaces it.
func Keep(ctx context.Context) {
	if k, ok := ctx.Value(keptKey{}).(*atomic.Bool); ok {
		k.Store(true)
	}
}

type saveWriter struct {
	http.ResponseWriter
	r      *http.Request
	sm     *scs.SessionManager
	kept   *atomic.Bool
	failed func(http.ResponseWriter, *http.Request, error)
	stored func(*http.Request, error)
	saved  bool // the session was saved (or tried) once
	// dropped: failed answered the request; the handler's writes go nowhere.
	dropped bool
	// partitioned: the session loaded was a partitioned one (its cookie
	// is deleted as it was set).
	partitioned bool
}

// save saves the session once, before the answer starts (status is the
// answer's, 0 when the handler wrote nothing).
func (w *saveWriter) save(status int) {
	if w.saved {
		return
	}
	w.saved = true
	err := commit(w.sm, w.ResponseWriter, w.r, w.partitioned)
	switch {
	case err == nil:
	case w.kept.Load():
		w.stored(w.r, err)
		if status/100 == 3 {
			if u, perr := url.Parse(w.Header().Get("Location")); perr == nil {
				q := u.Query()
				q.Set("saved", "1")
				u.RawQuery = q.Encode()
				w.Header().Set("Location", u.String())
			}
		}
	default:
		w.failed(w.ResponseWriter, w.r, err)
		w.dropped = true
	}
}

func (w *saveWriter) WriteHeader(status int) {
	w.save(status)
	if !w.dropped {
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *saveWriter) Write(b []byte) (int, error) {
	w.save(http.StatusOK)
	if w.dropped {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what was written (streamed answers).
func (w *saveWriter) Flush() {
	w.save(http.StatusOK)
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.dropped {
		f.Flush()
	}
}

// commit is scs's: a changed session is saved and its cookie set; a
// destroyed one's cookie is deleted. wasPartitioned says the session
// loaded was a partitioned one.
func commit(sm *scs.SessionManager, w http.ResponseWriter, r *http.Request, wasPartitioned bool) error {
	ctx := r.Context()
	switch sm.Status(ctx) {
	case scs.Modified:
		token, expiry, err := sm.Commit(ctx)
		if err != nil {
			return err
		}
		writeCookie(sm, w, token, expiry, sm.GetBool(ctx, PartitionedKey))
	case scs.Destroyed:
		writeCookie(sm, w, "", time.Time{}, wasPartitioned)
	}
	return nil
}

// PartitionedKey marks a session that lives in an embedded card on a host
// of another site (auth's sign-in handoff): its cookie is SameSite=None,
// Secure and Partitioned (CHIPS), so the browser keeps it in the jar of
// that host's site only, and sends it only from there. Every other
// session's cookie stays SameSite=Lax.
const PartitionedKey = "partitioned"

// writeCookie is scs's WriteSessionCookie, partitioned when asked.
func writeCookie(sm *scs.SessionManager, w http.ResponseWriter, token string, expiry time.Time, partitioned bool) {
	c := &http.Cookie{
		Name: sm.Cookie.Name, Value: token, Domain: sm.Cookie.Domain, Path: sm.Cookie.Path,
		HttpOnly: sm.Cookie.HttpOnly, Secure: sm.Cookie.Secure, SameSite: sm.Cookie.SameSite, Partitioned: sm.Cookie.Partitioned,
	}
	if partitioned {
		c.SameSite, c.Secure, c.Partitioned = http.SameSiteNoneMode, true, true
	}
	if expiry.IsZero() {
		c.Expires, c.MaxAge = time.Unix(1, 0), -1
	} else if sm.Cookie.Persist {
		c.Expires = time.Unix(expiry.Unix()+1, 0)
		c.MaxAge = int(time.Until(expiry).Seconds() + 1)
	}
	w.Header().Add("Set-Cookie", c.String())
	w.Header().Add("Cache-Control", `no-cache="Set-Cookie"`)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *saveWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
