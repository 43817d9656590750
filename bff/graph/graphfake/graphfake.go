// Package graphfake is an in-memory Microsoft Graph emulator for the five
// profile-language operations, built from what the real service sends
// (docs/graph.md records each shape and where it was seen), not only
// from the docs: Graph's paths (/me and /users/{id|upn}, with the
// /users('$x') key form), @odata.context, entries with source collections
// and the newer properties (sources, isSearchable, thumbnailUrl,
// proficiency), null levels, paging with @odata.nextLink, the profile
// service's terse errors ({"code":"UnknownError","message":""} for 400
// and 404), 403 ErrorAccessDeniedForRole for people who hold
// User.ReadWrite.All without an administrator role, 403
// ErrorInsufficientPermissionsInAccessToken for other people's profiles
// read with User.ReadBasic.All, 400 "Resource not found for the segment"
// for paths it does not know (v1.0 included), entries the organization
// owns refused to writes, batch envelopes of any status, optional
// read-after-write lag in lists, bearer-token checks (signature, issuer,
// audience, expiry and scopes) and gzip request bodies. It validates no
// more than the real service is known to.
//
// Tests and demo mode serve it over real HTTP; tests can make it throttle,
// slow down, fail, or fail after storing, on demand, and read back the
// latest requests it received (bounded, bearer tokens replaced by a
// fingerprint). It does not import testing.
package graphfake

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"langcard/web/langprof"
)

// Scopes the emulator checks, as Graph names them.
const (
	ScopeReadWrite    = "User.ReadWrite"
	ScopeReadWriteAll = "User.ReadWrite.All"
)

// Person is a user in the emulator's directory.
type Person struct {
	ID          string // object id (GUID)
	DisplayName string
	UPN         string // userPrincipalName
	// Role is set for people who hold a directory role that lets them
	// change other people's profiles; User.ReadWrite.All alone is not
	// enough (Graph answers 403 ErrorAccessDeniedForRole).
	Role bool
}

// Fault is a misbehaviour the emulator applies to the next Times requests.
type Fault struct {
	// Status, when not 0, is answered instead of the operation, with
	// Graph's error body (Code, or one Graph uses for Status; Message, or
	// a generic one; Target, when set).
	Status  int
	Code    string
	Message string
	Target  string
	// RetryAfter, when not "", is sent as the Retry-After header.
	RetryAfter string
	// Delay is waited before answering (or until the request is cancelled).
	Delay time.Duration
	// Times is how many requests the fault applies to (at least 1).
	Times int
	// AfterStoring carries out the operation first, then answers Status
	// (or Body): a write Graph stored but whose answer was lost.
	AfterStoring bool
	// Body, when not nil, is sent as the answer's body, with the
	// operation's own status (a 2xx whose body cannot be used).
	Body []byte
}

// Request is what the emulator received, for tests to inspect. Its
// Authorization header holds a fingerprint of the bearer token, never
// the token.
type Request struct {
	Method      string
	EscapedPath string
	RawQuery    string
	Header      http.Header
	Body        []byte
}

// Server is the emulator; it is an http.Handler serving Graph's beta
// endpoint under /beta.
type Server struct {
	tokens TokenVerifier

	mu       sync.Mutex
	people   map[string]*profile // by object id
	faults   []Fault
	requests []Request // the latest maxRequests, a ring from oldest
	oldest   int       // where the ring starts once it is full
	now      func() time.Time
	pageSize int
	lag      time.Duration
	// batches, when not nil, holds JSON batches until it is closed.
	batches chan struct{}
	// batchEnvelope, when not 0, is the status of every batch's envelope.
	batchEnvelope int
	// arrived, when not nil, is closed (and dropped) when a request is
	// recorded: Await's wake-up.
	arrived chan struct{}
}

// maxRequests bounds the request log, so a long-running demo does not grow.
const maxRequests = 1000

// DefaultPageSize is how many entries a list page holds unless SetPageSize
// says otherwise.
const DefaultPageSize = 100

type profile struct {
	Person
	langs []langprof.LanguageProficiency // what Graph holds: gets and writes see it
	// listed is what lists showed before the writes in history; with lag,
	// a write shows in lists only lag after it was made.
	listed  []langprof.LanguageProficiency
	history []snapshot
}

// snapshot is a profile's languages after a write.
type snapshot struct {
	at    time.Time
	langs []langprof.LanguageProficiency
}

// write makes a change, remembering for lists that lag behind what they
// showed before it.
func (p *profile) write(now time.Time, lag time.Duration, change func()) {
	if lag > 0 && len(p.history) == 0 {
		p.listed = slices.Clone(p.langs)
	}
	change()
	if lag > 0 {
		p.history = append(p.history, snapshot{at: now, langs: slices.Clone(p.langs)})
	}
}

// list returns what a list shows at now: the writes made at least lag ago.
func (p *profile) list(now time.Time, lag time.Duration) []langprof.LanguageProficiency {
	for len(p.history) > 0 && !p.history[0].at.Add(lag).After(now) {
		p.listed, p.history = p.history[0].langs, p.history[1:]
	}
	if len(p.history) == 0 {
		p.listed = nil
		return p.langs
	}
	return p.listed
}

// New returns an emulator whose directory holds people and that accepts
// bearer tokens verify accepts. Tokens must carry the caller's object id
// ("oid") and the granted scopes ("scp", space-separated), as Entra's do.
func New(tokens TokenVerifier, people ...Person) *Server {
	s := &Server{tokens: tokens, people: map[string]*profile{}, now: time.Now, pageSize: DefaultPageSize}
	for _, p := range people {
		s.people[strings.ToLower(p.ID)] = &profile{Person: p}
	}
	return s
}

// TokenVerifier checks a bearer token and says who calls (their object
// id) and with which delegated scopes.
type TokenVerifier interface {
	VerifyToken(ctx context.Context, raw string) (oid string, scopes []string, err error)
}

// Signed verifies access tokens as Graph does: RS256, signed by keys,
// from issuer, for audience, carrying the caller's "oid" and the granted
// scopes in "scp" (space-separated), as Entra's do.
func Signed(keys oidc.KeySet, issuer, audience string) TokenVerifier {
	return signed{oidc.NewVerifier(issuer, keys, &oidc.Config{ClientID: audience})}
}

type signed struct{ v *oidc.IDTokenVerifier }

func (s signed) VerifyToken(ctx context.Context, raw string) (string, []string, error) {
	tok, err := s.v.Verify(ctx, raw)
	if err != nil {
		return "", nil, err
	}
	var claims struct {
		OID string `json:"oid"`
		Scp string `json:"scp"`
	}
	if err := tok.Claims(&claims); err != nil {
		return "", nil, err
	}
	return claims.OID, strings.Fields(claims.Scp), nil
}

// Tokens are fixed bearer tokens and their callers, for tests that need
// no identity provider.
type Tokens map[string]Caller

// Caller is who presents a token: an object id and the granted scopes.
type Caller struct {
	OID    string
	Scopes []string
}

// VerifyToken looks the token up.
func (t Tokens) VerifyToken(_ context.Context, raw string) (string, []string, error) {
	c, ok := t[raw]
	if !ok {
		return "", nil, errors.New("graphfake: unknown token")
	}
	return c.OID, c.Scopes, nil
}

// Seed stores lp on the profile of the person with object id userID, as
// it is (server-managed properties included).
func (s *Server) Seed(userID string, lp langprof.LanguageProficiency) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.people[strings.ToLower(userID)]; p != nil {
		p.langs = append(p.langs, lp)
	}
}

// SetPageSize sets how many entries a list page holds (at least 1).
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = max(n, 1)
}

// SetLag makes writes show in lists only d after they were made, as the
// real service's lists have been seen to lag (0: at once). Gets of one
// entry see every write at once.
func (s *Server) SetLag(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lag = d
}

// Languages returns a copy of the languages on a person's profile.
func (s *Server) Languages(userID string) []langprof.LanguageProficiency {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.people[strings.ToLower(userID)]; p != nil {
		return append([]langprof.LanguageProficiency(nil), p.langs...)
	}
	return nil
}

// Inject queues a fault for the next requests.
func (s *Server) Inject(f Fault) {
	if f.Times < 1 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// HoldBatches makes JSON batches wait from now until release is called
// (or their request ends), for tests of what is answered before them.
func (s *Server) HoldBatches() (release func()) {
	hold := make(chan struct{})
	s.mu.Lock()
	s.batches = hold
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.batches = nil
			s.mu.Unlock()
			close(hold)
		})
	}
}

// SetBatchEnvelope makes every JSON batch answer status (0: 200) around
// its items, as older throttling docs describe (424 Failed Dependency
// when items were throttled).
func (s *Server) SetBatchEnvelope(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batchEnvelope = status
}

// Requests returns the latest requests received (at most 1,000).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(append([]Request(nil), s.requests[s.oldest:]...), s.requests[:s.oldest]...)
}

// Await waits until the request log holds n requests that match accepts,
// and returns them, or returns ctx's error: tests wait for the emulator's
// requests with a deadline instead of sleeping.
func (s *Server) Await(ctx context.Context, n int, match func(Request) bool) ([]Request, error) {
	for {
		s.mu.Lock()
		var got []Request
		for _, r := range s.requests {
			if match(r) {
				got = append(got, r)
			}
		}
		if len(got) >= n {
			s.mu.Unlock()
			return got, nil
		}
		if s.arrived == nil {
			s.arrived = make(chan struct{})
		}
		arrived := s.arrived
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.oldest = nil, 0
}

// nextFault takes the fault for this request, if any.
func (s *Server) nextFault() (Fault, bool) {
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0]
	s.faults[0].Times--
	if s.faults[0].Times == 0 {
		s.faults = s.faults[1:]
	}
	return f, true
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
