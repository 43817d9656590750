// Package graphfake is an in-memory Microsoft Graph emulator for the five
// profile-language operations, faithful to what langcard relies on:
// Graph's paths (/me and /users/{id|upn}, with the /users('$x') key form),
// status codes, error shape (always with a message), server-managed
// properties, bearer-token checks (signature, issuer, audience, expiry and
// scopes) and gzip request bodies. Tests and demo mode serve it over real
// HTTP; tests can make it throttle, slow down or fail on demand, and read
// back every request it received. It does not import testing.
package graphfake

import (
	"context"
	"net/http"
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
}

// Request is what the emulator received, for tests to inspect.
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
	verifier *oidc.IDTokenVerifier

	mu       sync.Mutex
	people   map[string]*profile // by object id
	faults   []Fault
	requests []Request
	now      func() time.Time
}

type profile struct {
	Person
	langs []langprof.LanguageProficiency
}

// New returns an emulator whose directory holds people and that accepts
// bearer tokens verify accepts. Tokens must carry the caller's object id
// ("oid") and the granted scopes ("scp", space-separated), as Entra's do.
func New(verify *oidc.IDTokenVerifier, people ...Person) *Server {
	s := &Server{verifier: verify, people: map[string]*profile{}, now: time.Now}
	for _, p := range people {
		s.people[strings.ToLower(p.ID)] = &profile{Person: p}
	}
	return s
}

// Verifier returns a token verifier for the emulator: RS256 tokens signed
// by keys, from issuer, for audience.
func Verifier(keys oidc.KeySet, issuer, audience string) *oidc.IDTokenVerifier {
	return oidc.NewVerifier(issuer, keys, &oidc.Config{ClientID: audience})
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

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
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
