// Package graph is langcard's typed Microsoft Graph client for the five
// profile-language operations (beta languageProficiency): list, get,
// create, update (a partial PATCH of exactly the present properties) and
// delete. It validates and escapes every path segment, maps Graph's error
// body to *Error, and retries 429, 503 and 504 as the official SDK does,
// within a bounded total wait.
package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"

	"langcard/web/langprof"
	"langcard/web/wire"
)

// DefaultBaseURL is Graph's beta endpoint in the global cloud.
const DefaultBaseURL = "https://graph.microsoft.com/beta"

// maxResponse bounds how much of a Graph response the client reads.
const maxResponse = 4 << 20

// Client calls Graph. Its zero value is not usable; set BaseURL.
type Client struct {
	// BaseURL is Graph's versioned root, such as DefaultBaseURL.
	BaseURL *url.URL
	// HTTP sends the requests. Default: a client with a 30 s timeout.
	HTTP *http.Client
	// MaxRetries is how many times a 429, 503 or 504 is retried. Default 3.
	MaxRetries int
	// MaxWait bounds the total time spent waiting between attempts; when
	// the next wait would pass it, the client gives up. Default 10 s.
	MaxWait time.Duration
	// BackoffBase is the first back-off when Graph sends no Retry-After;
	// later ones double (plus jitter). Default 3 s, as the official SDK.
	BackoffBase time.Duration
	// Now tells the time (Retry-After dates). Default time.Now.
	Now func() time.Time
}

// Page is a list response.
type listBody struct {
	Value    []langprof.LanguageProficiency `json:"value"`
	NextLink string                         `json:"@odata.nextLink"`
}

// List returns every language on t's profile, following @odata.nextLink
// when Graph sends one (only to Graph's own base URL).
func (c *Client) List(ctx context.Context, token string, t Target) ([]langprof.LanguageProficiency, error) {
	u := c.url(t.escapedPath())
	all := []langprof.LanguageProficiency{}
	for page := 0; u != ""; page++ {
		if page == 100 {
			return nil, errors.New("graph: list: more than 100 pages")
		}
		var b listBody
		if err := c.do(ctx, token, http.MethodGet, u, nil, &b); err != nil {
			return nil, err
		}
		all = append(all, b.Value...)
		u = ""
		if b.NextLink != "" {
			next, err := c.sameOrigin(b.NextLink)
			if err != nil {
				return nil, err
			}
			u = next
		}
	}
	return all, nil
}

// Get returns one language.
func (c *Client) Get(ctx context.Context, token string, t Target, id string) (langprof.LanguageProficiency, error) {
	var lp langprof.LanguageProficiency
	u, err := c.item(t, id)
	if err != nil {
		return lp, err
	}
	err = c.do(ctx, token, http.MethodGet, u, nil, &lp)
	return lp, err
}

// Create adds a language built from the properties present in p.
func (c *Client) Create(ctx context.Context, token string, t Target, p langprof.Patch) (langprof.LanguageProficiency, error) {
	var lp langprof.LanguageProficiency
	body, err := wire.Encode(p)
	if err != nil {
		return lp, err
	}
	err = c.do(ctx, token, http.MethodPost, c.url(t.escapedPath()), body, &lp)
	return lp, err
}

// Update sends a PATCH holding exactly the properties present in p, and
// returns the whole updated language.
func (c *Client) Update(ctx context.Context, token string, t Target, id string, p langprof.Patch) (langprof.LanguageProficiency, error) {
	var lp langprof.LanguageProficiency
	u, err := c.item(t, id)
	if err != nil {
		return lp, err
	}
	body, err := wire.Encode(p)
	if err != nil {
		return lp, err
	}
	err = c.do(ctx, token, http.MethodPatch, u, body, &lp)
	return lp, err
}

// Delete removes a language.
func (c *Client) Delete(ctx context.Context, token string, t Target, id string) error {
	u, err := c.item(t, id)
	if err != nil {
		return err
	}
	return c.do(ctx, token, http.MethodDelete, u, nil, nil)
}

func (c *Client) url(escapedPath string) string {
	return c.BaseURL.String() + escapedPath
}

func (c *Client) item(t Target, id string) (string, error) {
	if !ValidID(id) {
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

// do sends one operation, retrying as the official SDK does, and decodes
// a successful answer into out (when out is not nil).
func (c *Client) do(ctx context.Context, token, method, u string, body []byte, out any) error {
	requestID := uuid.NewString()
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("graph: %s: %w", method, err)
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
		resp, err := c.httpClient().Do(req)
		if err != nil {
			// The URL holds no secret, but url.Error repeats it; keep only the cause.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return fmt.Errorf("graph: %s %s: %w", method, "profile/languages", err)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("graph: reading response: %w", err)
		}
		if resp.StatusCode/100 == 2 {
			if out == nil || resp.StatusCode == http.StatusNoContent {
				return nil
			}
			if err := json.Unmarshal(data, out); err != nil {
				return fmt.Errorf("graph: decoding response: %w", err)
			}
			return nil
		}
		gerr := responseError(resp, data, c.now())
		gerr.Attempts = attempt + 1
		if !retryable(resp.StatusCode) || attempt >= c.maxRetries() {
			return gerr
		}
		wait := gerr.RetryAfter
		if wait == 0 {
			wait = c.backoff(attempt)
		}
		if waited+wait > c.maxWait() {
			gerr.Message += " (gave up rather than wait " + wait.Round(time.Millisecond).String() + " more)"
			return gerr
		}
		waited += wait
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

func (c *Client) backoff(attempt int) time.Duration {
	base := c.BackoffBase
	if base <= 0 {
		base = 3 * time.Second
	}
	d := base << attempt
	return d + rand.N(d/4+1)
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

func (c *Client) maxRetries() int {
	if c.MaxRetries > 0 {
		return c.MaxRetries
	}
	return 3
}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return 10 * time.Second
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
