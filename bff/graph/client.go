// Package graph is langcard's typed Microsoft Graph client for the five
// profile-language operations (beta languageProficiency): list, get,
// create, update (a partial PATCH of exactly the present properties) and
// delete. It validates and escapes every path segment, maps Graph's error
// body to *Error, and retries 429, 503 and 504 as the official SDK does,
// within a bounded total wait.
package graph

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"langcard/bff/ident"
	"langcard/bff/metrics"
	"langcard/bff/wire"
	"langcard/web/langprof"
)

// maxResponse bounds how much of a Graph response the client reads.
const maxResponse = 4 << 20

// Client calls Graph. Its zero value is not usable; set BaseURL.
type Client struct {
	// BaseURL is Graph's versioned root, such as
	// https://graph.microsoft.com/beta.
	BaseURL *url.URL
	// MaxWait bounds the total time spent waiting between attempts; when
	// the next wait would pass it, the client gives up. Default 10 s.
	MaxWait time.Duration
	// BackoffBase is the first back-off when Graph sends no Retry-After;
	// later ones double (plus jitter). Default 3 s, as the official SDK.
	BackoffBase time.Duration
	// Metrics counts calls, retries and waits (nil: none).
	Metrics *metrics.Metrics
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the request being served:
// the client sends it to Graph as client-request-id, so that one failed
// save can be followed from the person's error, through langcard's log,
// to Graph.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the id WithRequestID put in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// maxRetries is how many times a 429, 503 or 504 is retried, as the
// official SDK does.
const maxRetries = 3

// Listing is a person's languages as Graph listed them: the entries
// langcard can show, and the ones it cannot (so one bad entry never takes
// the others down).
type Listing struct {
	Value []langprof.LanguageProficiency
	// Unreadable are the entries Graph sent that cannot be shown or edited.
	Unreadable []Unreadable
	// Owner is the display name of whose profile it is, when it was read
	// with it (another person's, in a batch); "" otherwise.
	Owner string
}

// Unreadable is an entry of a list that langcard cannot use, with what
// little can be said of it.
type Unreadable struct {
	// ID and Name (its displayName, or else its tag) are whatever Graph
	// gave; either may be "".
	ID, Name string
	// Reason says why, for the log.
	Reason string
}

type listBody struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// List returns every language on t's profile, following @odata.nextLink
// when Graph sends one (only to Graph's own base URL).
func (c *Client) List(ctx context.Context, token string, t Target) (Listing, error) {
	l, err := c.listFrom(ctx, token, c.url(t.escapedPath()))
	noSuchUser(err)
	return l, err
}

// Name returns another person's display name (GET /users/{user}
// ?$select=displayName, which User.ReadBasic.All allows): what people
// see instead of an address or an id.
func (c *Client) Name(ctx context.Context, token string, t Target) (string, error) {
	data, err := c.do(ctx, token, http.MethodGet, c.url(t.userPath()+"?$select=displayName"), nil, retryable)
	if err != nil {
		return "", err
	}
	return displayName(data), nil
}

// displayName reads a user's displayName, tolerantly: "" when absent.
func displayName(data []byte) string {
	var u struct {
		DisplayName any `json:"displayName"`
	}
	if json.Unmarshal(data, &u) != nil {
		return ""
	}
	s, _ := u.DisplayName.(string)
	return s
}

// noSuchUser marks a list's 404: the person does not exist.
func noSuchUser(err error) {
	var ge *Error
	if errors.As(err, &ge) && ge.Status == http.StatusNotFound {
		ge.NoSuchUser = true
	}
}

// listFrom lists from u, page after page.
func (c *Client) listFrom(ctx context.Context, token, u string) (Listing, error) {
	all := Listing{Value: []langprof.LanguageProficiency{}}
	for page := 0; u != ""; page++ {
		if page == 100 {
			return Listing{}, errors.New("graph: list: more than 100 pages")
		}
		data, err := c.do(ctx, token, http.MethodGet, u, nil, retryable)
		if err != nil {
			return Listing{}, err
		}
		l, next, err := listPage(data)
		if err != nil {
			return Listing{}, err
		}
		all.Value, all.Unreadable = append(all.Value, l.Value...), append(all.Unreadable, l.Unreadable...)
		u = ""
		if next != "" {
			if u, err = c.sameOrigin(next); err != nil {
				return Listing{}, err
			}
		}
	}
	return all, nil
}

// listPage reads one page of a list, and the link to the next.
func listPage(data []byte) (Listing, string, error) {
	var b listBody
	if err := json.Unmarshal(data, &b); err != nil {
		return Listing{}, "", &UnreadableError{Op: "list", Err: err}
	}
	l := Listing{Value: []langprof.LanguageProficiency{}}
	for _, raw := range b.Value {
		lp, err := entry(raw)
		if err != nil {
			l.Unreadable = append(l.Unreadable, unreadable(lp, err))
			continue
		}
		l.Value = append(l.Value, lp)
	}
	return l, b.NextLink, nil
}

// entry decodes one entry Graph sent; it fails only when the entry is not
// an object or has no id langcard can put in a path.
func entry(raw []byte) (langprof.LanguageProficiency, error) {
	var lp langprof.LanguageProficiency
	if err := lp.UnmarshalJSON(raw); err != nil { // it checks raw is JSON: no second pass
		return lp, err
	}
	switch {
	case lp.ID == "":
		return lp, errors.New("the entry has no id")
	case !ident.ValidID(lp.ID):
		return lp, errors.New("the entry's id is not one langcard can address")
	}
	return lp, nil
}

func unreadable(lp langprof.LanguageProficiency, err error) Unreadable {
	u := Unreadable{Name: lp.DisplayName, Reason: err.Error()}
	if u.Name == "" {
		u.Name = lp.Tag
	}
	if ident.ValidID(lp.ID) {
		u.ID = lp.ID
	}
	return u
}

// Get returns one language.
func (c *Client) Get(ctx context.Context, token string, t Target, id string) (langprof.LanguageProficiency, error) {
	u, err := c.item(t, id)
	if err != nil {
		return langprof.LanguageProficiency{}, err
	}
	data, err := c.do(ctx, token, http.MethodGet, u, nil, retryable)
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && ge.Status == http.StatusNotFound {
			ge.Missing = true
		}
		return langprof.LanguageProficiency{}, err
	}
	lp, err := entry(data)
	if err != nil {
		return langprof.LanguageProficiency{}, &UnreadableError{Op: "get", Err: err}
	}
	return lp, nil
}

// Create adds a language built from the properties present in p.
//
// A create is not repeated blindly: only a 429 (which Graph answers before
// doing anything) is retried. After an answer that leaves it unknown
// whether Graph stored the entry (a 5xx, a timeout, a 2xx it cannot read),
// Create looks for it in the list (same tag and name, created since the
// request began) and returns it when found; else an *UnconfirmedError.
func (c *Client) Create(ctx context.Context, token string, t Target, p langprof.Patch) (langprof.LanguageProficiency, error) {
	body, err := wire.Encode(p)
	if err != nil {
		return langprof.LanguageProficiency{}, err
	}
	start := time.Now()
	data, err := c.do(ctx, token, http.MethodPost, c.url(t.escapedPath()), body, throttled)
	if err == nil {
		lp, derr := entry(data)
		if derr == nil {
			return lp, nil
		}
		err = &UnreadableError{Op: "create", Err: derr}
	} else if !ambiguous(err) {
		return langprof.LanguageProficiency{}, err
	}
	lookCtx, cancel := lookupContext(ctx)
	defer cancel()
	if lp, ok := c.findCreated(lookCtx, token, t, p, start); ok {
		return lp, nil
	}
	return langprof.LanguageProficiency{}, &UnconfirmedError{Op: "create", Err: err}
}

// lookupTimeout bounds the read that checks what an unconfirmed write did.
const lookupTimeout = 10 * time.Second

// lookupContext is the context of such a read: it goes on when the
// request that asked gave up (its outcome decides what to tell), bounded.
func lookupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
}

// createdSkew allows for clocks: an entry created this long before the
// request began still counts as the one it created.
const createdSkew = 2 * time.Minute

// findCreated looks for the entry a create may have stored.
func (c *Client) findCreated(ctx context.Context, token string, t Target, p langprof.Patch, start time.Time) (langprof.LanguageProficiency, bool) {
	l, err := c.List(ctx, token, t)
	if err != nil || p.Tag == nil || p.DisplayName == nil {
		return langprof.LanguageProficiency{}, false
	}
	var found langprof.LanguageProficiency
	var newest time.Time
	for _, lp := range l.Value {
		if !strings.EqualFold(lp.Tag, *p.Tag) || lp.DisplayName != *p.DisplayName || lp.CreatedDateTime == nil {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, string(*lp.CreatedDateTime))
		if err == nil && !at.Before(start.Add(-createdSkew)) && !at.Before(newest) {
			found, newest = lp, at
		}
	}
	return found, found.ID != ""
}

// Update sends a PATCH holding exactly the properties present in p, and
// returns the whole updated language. When Graph took the PATCH but its
// answer cannot be read, Update reads the entry back; a 404 is checked
// with a read too, so Error.Missing says whether the entry is really gone.
func (c *Client) Update(ctx context.Context, token string, t Target, id string, p langprof.Patch) (langprof.LanguageProficiency, error) {
	u, err := c.item(t, id)
	if err != nil {
		return langprof.LanguageProficiency{}, err
	}
	body, err := wire.Encode(p)
	if err != nil {
		return langprof.LanguageProficiency{}, err
	}
	data, err := c.do(ctx, token, http.MethodPatch, u, body, retryable)
	if err != nil {
		c.confirmMissing(ctx, token, t, id, err)
		return langprof.LanguageProficiency{}, err
	}
	lp, derr := entry(data)
	if derr == nil {
		return lp, nil
	}
	lookCtx, cancel := lookupContext(ctx)
	defer cancel()
	if lp, err := c.Get(lookCtx, token, t, id); err == nil {
		return lp, nil
	}
	return langprof.LanguageProficiency{}, &UnconfirmedError{Op: "update", Err: &UnreadableError{Op: "update", Err: derr}}
}

// Delete removes a language. A 404 is checked with a read, so
// Error.Missing says whether the entry is gone.
func (c *Client) Delete(ctx context.Context, token string, t Target, id string) error {
	u, err := c.item(t, id)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, token, http.MethodDelete, u, nil, retryable)
	c.confirmMissing(ctx, token, t, id, err)
	return err
}

// confirmMissing sets Missing on a write's 404 when a read confirms that
// the entry is gone: the profile service also answers 404 to bodies it
// does not like (docs/graph.md), so a 404 alone proves nothing.
func (c *Client) confirmMissing(ctx context.Context, token string, t Target, id string, err error) {
	var ge *Error
	if !errors.As(err, &ge) || ge.Status != http.StatusNotFound {
		return
	}
	lookCtx, cancel := lookupContext(ctx)
	defer cancel()
	_, gerr := c.Get(lookCtx, token, t, id)
	var ge2 *Error
	ge.Missing = errors.As(gerr, &ge2) && ge2.Missing
}

func (c *Client) url(escapedPath string) string {
	return c.BaseURL.String() + escapedPath
}

func (c *Client) item(t Target, id string) (string, error) {
	if !ident.ValidID(id) {
		return "", ErrInvalidID
	}
	return c.url(t.escapedPath() + "/" + url.PathEscape(id)), nil
}

func (c *Client) sameOrigin(link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != c.BaseURL.Scheme || u.Host != c.BaseURL.Host {
		return "", errors.New("graph: list: @odata.nextLink leaves Graph's base URL")
	}
	return u.String(), nil
}

// do sends one operation, retrying the statuses retry accepts as the
// official SDK does, and returns the body of a successful answer.
func (c *Client) do(ctx context.Context, token, method, u string, body []byte, retry func(status int) bool) ([]byte, error) {
	requestID := RequestID(ctx)
	if requestID == "" {
		requestID = uuid.NewString()
	}
	op := operation(method, u)
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("graph: %s: %w", method, err)
		}
		if body == nil {
			req.Body, req.ContentLength = http.NoBody, 0
		} else {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("client-request-id", requestID)
		if attempt > 0 {
			req.Header.Set("Retry-Attempt", strconv.Itoa(attempt))
		}
		resp, err := httpClient.Do(req)
		if err != nil {
			c.Metrics.GraphCall(op, 0)
			// The URL holds no secret, but url.Error repeats it; keep only the cause.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return nil, fmt.Errorf("graph: %s %s: %w", method, "profile/languages", err)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
		resp.Body.Close()
		c.Metrics.GraphCall(op, resp.StatusCode)
		if resp.StatusCode/100 == 2 {
			if err != nil {
				return nil, &UnreadableError{Op: method, Err: err}
			}
			return data, nil
		}
		gerr := responseError(resp, data, time.Now())
		gerr.Attempts, gerr.body = attempt+1, data
		if !retry(resp.StatusCode) || attempt >= maxRetries {
			return nil, gerr
		}
		wait := cmp.Or(gerr.RetryAfter, c.backoff(attempt))
		switch err := c.pause(ctx, &waited, wait); {
		case errors.Is(err, errOverBudget):
			gerr.Message += " (gave up rather than wait " + wait.Round(time.Millisecond).String() + " more)"
			return nil, gerr
		case err != nil:
			return nil, err
		}
	}
}

// operation names a request for the metrics.
func operation(method, u string) string {
	switch {
	case strings.HasSuffix(u, "/$batch"):
		return "batch"
	case method == http.MethodPost:
		return "create"
	case method == http.MethodPatch:
		return "update"
	case method == http.MethodDelete:
		return "delete"
	case strings.Contains(u, "/languages?") || strings.HasSuffix(u, "/languages"):
		return "list"
	}
	return "get"
}

// retryable are the statuses the official SDK retries.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// throttled is what a create retries: Graph answers 429 before it acts.
func throttled(status int) bool { return status == http.StatusTooManyRequests }

// ambiguous reports whether, after err, a write may have been carried out.
func ambiguous(err error) bool {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.Status >= 500
	}
	return !errors.Is(err, context.Canceled) // a timeout or a broken connection
}

// errOverBudget: waiting once more would pass the client's wait budget.
var errOverBudget = errors.New("graph: over the wait budget")

// pause waits d before a retry, within the client's budget for the
// operation (*waited so far): errOverBudget, without waiting, when d
// would pass it; ctx's error when the request ends first.
func (c *Client) pause(ctx context.Context, waited *time.Duration, d time.Duration) error {
	if *waited+d > c.maxWait() {
		return errOverBudget
	}
	*waited += d
	c.Metrics.GraphRetry(d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) backoff(attempt int) time.Duration {
	base := c.BackoffBase
	if base <= 0 {
		base = 3 * time.Second
	}
	d := base << attempt
	return d + rand.N(d/4+1)
}

// httpClient sends every request to Graph. Its transport keeps enough
// idle connections for a busy BFF (Go's default keeps two a host, and a
// BFF under load then opens and closes connections all the time).
var httpClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
	Proxy:               http.ProxyFromEnvironment,
	DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	ForceAttemptHTTP2:   true,
	MaxIdleConns:        256,
	MaxIdleConnsPerHost: 128,
	IdleConnTimeout:     90 * time.Second,
	TLSHandshakeTimeout: 10 * time.Second,
}}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return 10 * time.Second
}
