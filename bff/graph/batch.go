package graph

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBatch is how many requests Graph takes in one JSON batch.
const maxBatch = 20

// Result is one person's languages from ListMany, or why they could not
// be read.
type Result struct {
	Listing Listing
	Err     error
}

type batchRequest struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	URL    string `json:"url"`
}

type batchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// MaxBatchesInFlight bounds how many batches of one ListMany are sent at
// once: the profile service's limits are not documented (docs/graph.md,
// "Batches").
const MaxBatchesInFlight = 3

// ListMany lists the languages of several people with Graph's JSON
// batching ($batch): at most 20 requests a batch, at most
// MaxBatchesInFlight batches in flight. Each person's result stands alone:
// one who cannot be read does not fail the others. Requests throttled
// inside a batch (429, 503 or 504 with Retry-After) are sent again, in a
// later batch, within the client's wait budget, as the official SDK
// retries.
func (c *Client) ListMany(ctx context.Context, token string, targets []Target) []Result {
	results := make([]Result, len(targets))
	var wg sync.WaitGroup
	slots := make(chan struct{}, MaxBatchesInFlight)
	// Each person takes two requests: their languages and their name.
	const perBatch = maxBatch / 2
	for start := 0; start < len(targets); start += perBatch {
		idx := make([]int, 0, perBatch)
		for i := start; i < min(start+perBatch, len(targets)); i++ {
			idx = append(idx, i)
		}
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			c.batch(ctx, token, targets, idx, results)
		})
	}
	wg.Wait()
	return results
}

// batch sends the requests of targets[idx...] as one batch, and again the
// ones Graph throttled.
func (c *Client) batch(ctx context.Context, token string, targets []Target, idx []int, results []Result) {
	var waited time.Duration
	// Names are asked once, with the first attempt, and are best effort:
	// without one, a person is shown by what the page asked for.
	names := map[int]string{}
	defer func() {
		for i, n := range names {
			if results[i].Err == nil {
				results[i].Listing.Owner = n
			}
		}
	}()
	for attempt := 0; len(idx) > 0; attempt++ {
		reqs := make([]batchRequest, 0, 2*len(idx))
		for _, i := range idx {
			reqs = append(reqs, batchRequest{ID: strconv.Itoa(i), Method: http.MethodGet, URL: targets[i].escapedPath()})
			if attempt == 0 {
				reqs = append(reqs, batchRequest{ID: "n" + strconv.Itoa(i), Method: http.MethodGet, URL: targets[i].userPath() + "?$select=displayName"})
			}
		}
		body, _ := json.Marshal(map[string]any{"requests": reqs})
		data, err := c.do(ctx, token, http.MethodPost, c.url("/$batch"), body, retryable)
		var answer struct {
			Responses []batchResponse `json:"responses"`
		}
		var ge *Error
		switch {
		case err == nil && json.Unmarshal(data, &answer) != nil:
			err = &UnreadableError{Op: "batch", Err: errNotBatch}
		case errors.As(err, &ge) && json.Unmarshal(ge.body, &answer) == nil && len(answer.Responses) > 0:
			// The envelope failed (older docs: 424 when items were
			// throttled), but its items say how each went: read them.
			err = nil
		}
		if err != nil {
			for _, i := range idx {
				results[i].Err = err
			}
			return
		}
		var again []int
		var wait time.Duration
		seen := map[int]bool{}
		for _, r := range answer.Responses {
			if n, ok := strings.CutPrefix(r.ID, "n"); ok {
				if i, err := strconv.Atoi(n); err == nil && slices.Contains(idx, i) && r.Status == http.StatusOK {
					names[i] = displayName(r.Body)
				}
				continue
			}
			i, err := strconv.Atoi(r.ID)
			if err != nil || !slices.Contains(idx, i) || seen[i] {
				continue
			}
			seen[i] = true
			if retryable(r.Status) && attempt < maxRetries {
				again = append(again, i)
				wait = max(wait, parseRetryAfter(header(r.Headers, "Retry-After"), time.Now()))
				results[i].Err = subError(r)
				continue
			}
			results[i] = c.subResult(ctx, token, r)
		}
		for _, i := range idx {
			if !seen[i] {
				results[i].Err = &UnreadableError{Op: "batch", Err: errNotBatch}
			}
		}
		if len(again) == 0 {
			return
		}
		switch err := c.pause(ctx, &waited, cmp.Or(wait, c.backoff(attempt))); {
		case errors.Is(err, errOverBudget):
			return // the throttled ones keep their 429, with its Retry-After
		case err != nil:
			for _, i := range again {
				results[i].Err = err
			}
			return
		}
		idx = again
	}
}

// errNotBatch is a batch answer that is not Graph's shape.
var errNotBatch = errors.New("the answer is not a batch of responses")

// subResult reads one answer of a batch: a list (following its pages), or
// Graph's error.
func (c *Client) subResult(ctx context.Context, token string, r batchResponse) Result {
	if r.Status/100 != 2 {
		err := subError(r)
		noSuchUser(err)
		return Result{Err: err}
	}
	l, next, err := listPage(r.Body)
	if err != nil {
		return Result{Err: err}
	}
	if next != "" {
		u, err := c.sameOrigin(next)
		if err != nil {
			return Result{Err: err}
		}
		more, err := c.listFrom(ctx, token, u)
		if err != nil {
			return Result{Err: err}
		}
		l.Value, l.Unreadable = append(l.Value, more.Value...), append(l.Unreadable, more.Unreadable...)
	}
	return Result{Listing: l}
}

// subError is the *Error of one answer of a batch.
func subError(r batchResponse) *Error {
	resp := &http.Response{StatusCode: r.Status, Header: http.Header{}}
	for k, v := range r.Headers {
		resp.Header.Set(k, v)
	}
	return responseError(resp, r.Body, time.Now())
}

func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
