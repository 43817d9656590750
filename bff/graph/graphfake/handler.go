package graphfake

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"langcard/web/langprof"
	"langcard/web/wire"
)

const maxBody = 1 << 20

type caller struct {
	id     string
	scopes map[string]bool
}

// ServeHTTP answers one Graph request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := uuid.NewString()
	w.Header().Set("request-id", requestID)
	if id := r.Header.Get("client-request-id"); id != "" {
		w.Header().Set("client-request-id", id)
	}
	e := errorWriter{w: w, requestID: requestID, clientRequestID: r.Header.Get("client-request-id")}

	body, err := readBody(r)
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, EscapedPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	})
	fault, faulted := s.nextFault()
	s.mu.Unlock()

	if faulted {
		if fault.Delay > 0 {
			sleep(r.Context(), fault.Delay)
		}
		if fault.Status != 0 {
			if fault.RetryAfter != "" {
				w.Header().Set("Retry-After", fault.RetryAfter)
			}
			msg := fault.Message
			if msg == "" {
				msg = "The emulator was told to fail this request."
			}
			e.target = fault.Target
			e.write(fault.Status, fault.Code, msg)
			return
		}
	}
	if err != nil {
		e.write(http.StatusBadRequest, "BadRequest", err.Error())
		return
	}

	c, ok := s.authenticate(r)
	if !ok {
		e.write(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience, signature or expired token.")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/beta/")
	if !ok {
		e.write(http.StatusNotFound, "BadRequest", "Invalid version.")
		return
	}
	target, id, status, msg := s.route(rest, c)
	if status != 0 {
		code := map[int]string{400: "Request_BadRequest", 403: "Authorization_RequestDenied", 404: "Request_ResourceNotFound"}[status]
		e.write(status, code, msg)
		return
	}
	write := r.Method != http.MethodGet
	if !c.allowed(target.ID, write) {
		e.write(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPatch) && !isJSON(r.Header.Get("Content-Type")) {
		e.write(http.StatusUnsupportedMediaType, "BadRequest", "Content-Type must be application/json.")
		return
	}
	s.serve(w, r, e, c, target, id, body)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, e errorWriter, c caller, target *Person, id string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.people[strings.ToLower(target.ID)]
	idx := -1
	if id != "" {
		for i := range p.langs {
			if p.langs[i].ID == id {
				idx = i
			}
		}
		if idx < 0 {
			e.write(http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
			return
		}
	}
	switch {
	case id == "" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"value": append([]langprof.LanguageProficiency{}, p.langs...)})
	case id == "" && r.Method == http.MethodPost:
		lp := langprof.LanguageProficiency{ID: uuid.NewString()}
		if !s.apply(e, &lp, body, true, c) {
			return
		}
		lp.CreatedBy, lp.CreatedDateTime = lp.LastModifiedBy, lp.LastModifiedDateTime
		p.langs = append(p.langs, lp)
		writeJSON(w, http.StatusCreated, lp)
	case id != "" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, p.langs[idx])
	case id != "" && r.Method == http.MethodPatch:
		lp := p.langs[idx]
		if !s.apply(e, &lp, body, false, c) {
			return
		}
		p.langs[idx] = lp
		writeJSON(w, http.StatusOK, lp)
	case id != "" && r.Method == http.MethodDelete:
		p.langs = append(p.langs[:idx], p.langs[idx+1:]...)
		w.WriteHeader(http.StatusNoContent)
	default:
		e.write(http.StatusMethodNotAllowed, "BadRequest", "The "+r.Method+" method is not allowed here.")
	}
}

// apply decodes body onto lp and sets the server-managed properties.
func (s *Server) apply(e errorWriter, lp *langprof.LanguageProficiency, body []byte, create bool, c caller) bool {
	b, ps := wire.Decode(body, wire.Application)
	if len(ps) == 0 {
		b.Patch, ps = b.Patch.Validate(create, func(tag string) (string, string) { return tag, "" })
	}
	if len(ps) == 0 && create && (b.Spoken == nil || b.Written == nil || b.Reading == nil) {
		// Graph stores absent levels as null; langcard always sends them.
		ps = langprof.Problems{{Code: "BadRequest", Message: "spoken, written and reading are required."}}
	}
	if len(ps) == 0 && b.Patch.Empty() && b.Inference == nil && b.Source == nil {
		ps = langprof.Problems{{Code: "BadRequest", Message: "Empty Payload. JSON content expected."}}
	}
	if len(ps) != 0 {
		e.write(http.StatusBadRequest, "BadRequest", ps[0].Message)
		return false
	}
	if b.Inference != nil && json.Unmarshal(b.Inference, &lp.Inference) != nil {
		e.write(http.StatusBadRequest, "BadRequest", "Invalid value for property 'inference'.")
		return false
	}
	if b.Source != nil && json.Unmarshal(b.Source, &lp.Source) != nil {
		e.write(http.StatusBadRequest, "BadRequest", "Invalid value for property 'source'.")
		return false
	}
	lp.Apply(b.Patch)
	now := langprof.DateTime(s.now().UTC().Format("2006-01-02T15:04:05.0000000Z"))
	by := s.people[strings.ToLower(c.id)]
	lp.LastModifiedDateTime = &now
	lp.LastModifiedBy = &langprof.IdentitySet{User: &langprof.Identity{DisplayName: by.DisplayName, ID: by.ID}}
	return true
}

// route resolves {user}/profile/languages[/{id}] below /beta/.
func (s *Server) route(rest string, c caller) (target *Person, id string, status int, msg string) {
	segs := strings.Split(rest, "/")
	var key string
	switch {
	case segs[0] == "me":
		key = c.id
		segs = segs[1:]
	case segs[0] == "users" && len(segs) > 1:
		k, err := url.PathUnescape(segs[1])
		if err != nil {
			return nil, "", 400, "Invalid request URL."
		}
		if strings.HasPrefix(k, "$") {
			return nil, "", 400, "Invalid object identifier '" + k + "'."
		}
		key, segs = k, segs[2:]
	case strings.HasPrefix(segs[0], "users("):
		k, err := url.PathUnescape(segs[0])
		inner, ok := strings.CutPrefix(k, "users('")
		inner, ok2 := strings.CutSuffix(inner, "')")
		if err != nil || !ok || !ok2 {
			return nil, "", 400, "Invalid request URL."
		}
		key, segs = strings.ReplaceAll(inner, "''", "'"), segs[1:]
	default:
		return nil, "", 404, "Resource not found for the segment '" + segs[0] + "'."
	}
	if len(segs) < 2 || len(segs) > 3 || segs[0] != "profile" || segs[1] != "languages" {
		return nil, "", 404, "Resource not found for the segment."
	}
	if len(segs) == 3 {
		var err error
		if id, err = url.PathUnescape(segs[2]); err != nil || id == "" {
			return nil, "", 400, "Invalid request URL."
		}
	}
	p := s.lookup(key)
	if p == nil {
		return nil, "", 404, "Resource '" + key + "' does not exist or one of its queried reference-property objects are not present."
	}
	return p, id, 0, ""
}

func (s *Server) lookup(key string) *Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.people[strings.ToLower(key)]; p != nil {
		return &p.Person
	}
	for _, p := range s.people {
		if strings.EqualFold(p.UPN, key) {
			return &p.Person
		}
	}
	return nil
}

func (s *Server) authenticate(r *http.Request) (caller, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return caller{}, false
	}
	tok, err := s.verifier.Verify(r.Context(), raw)
	if err != nil {
		return caller{}, false
	}
	var claims struct {
		OID string `json:"oid"`
		Scp string `json:"scp"`
	}
	if tok.Claims(&claims) != nil || claims.OID == "" || s.lookup(claims.OID) == nil {
		return caller{}, false
	}
	c := caller{id: claims.OID, scopes: map[string]bool{}}
	for _, sc := range strings.Fields(claims.Scp) {
		c.scopes[sc] = true
	}
	return c, true
}

// allowed applies Graph's delegated permissions: a person's own profile
// needs User.ReadWrite (or User.Read to read); another's, the .All ones.
func (c caller) allowed(targetID string, write bool) bool {
	if c.scopes[ScopeReadWriteAll] || (!write && c.scopes["User.Read.All"]) {
		return true
	}
	if !strings.EqualFold(targetID, c.id) {
		return false
	}
	return c.scopes[ScopeReadWrite] || (!write && c.scopes["User.Read"])
}

func readBody(r *http.Request) ([]byte, error) {
	var rd io.Reader = http.MaxBytesReader(nil, r.Body, maxBody)
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, errBody("The request body is too large or unreadable.")
	}
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return data, errBody("The gzip request body is corrupt.")
		}
		plain, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
		if err != nil || len(plain) > maxBody {
			return data, errBody("The gzip request body is corrupt or too large.")
		}
		return plain, nil
	}
	return data, nil
}

type errBody string

func (e errBody) Error() string { return string(e) }

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type errorWriter struct {
	w                          http.ResponseWriter
	requestID, clientRequestID string
	target                     string
}

// write sends Graph's error shape; message is never empty.
func (e errorWriter) write(status int, code, message string) {
	if code == "" {
		code = map[int]string{429: "TooManyRequests", 503: "serviceNotAvailable", 504: "GatewayTimeout", 500: "generalException"}[status]
		if code == "" {
			code = "UnknownError"
		}
	}
	if message == "" {
		message = http.StatusText(status)
	}
	inner := map[string]any{
		"code": code, "message": message,
		"innerError": map[string]string{
			"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": e.requestID, "client-request-id": e.clientRequestID,
		},
	}
	if e.target != "" {
		inner["target"] = e.target
	}
	body := map[string]any{"error": inner}
	writeJSON(e.w, status, body)
}
