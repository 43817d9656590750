package graphfake

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"langcard/bff/wire"
	"langcard/web/langprof"
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
	s.record(r, body)
	s.mu.Unlock()
	if r.Method == http.MethodPost && r.URL.EscapedPath() == "/beta/$batch" {
		s.serveBatch(w, r, e, body, err)
		return
	}
	s.serveOne(w, r, e, body, err)
}

// serveOne answers one request, or applies the next fault to it.
func (s *Server) serveOne(w http.ResponseWriter, r *http.Request, e errorWriter, body []byte, err error) {
	s.mu.Lock()
	fault, faulted := s.nextFault()
	s.mu.Unlock()

	if faulted && fault.Delay > 0 {
		sleep(r.Context(), fault.Delay)
	}
	if faulted && fault.Status != 0 && !fault.AfterStoring {
		s.fail(e, fault)
		return
	}
	if faulted && (fault.AfterStoring || fault.Body != nil) {
		// Carry the operation out, then lose (or garble) its answer.
		cw := &captureWriter{header: http.Header{}}
		s.answer(cw, r, errorWriter{w: cw, requestID: e.requestID}, body, err)
		if fault.Status != 0 {
			s.fail(e, fault)
			return
		}
		w.WriteHeader(cw.status)
		w.Write(fault.Body)
		return
	}
	s.answer(w, r, e, body, err)
}

// maxBatch is how many requests Graph takes in one JSON batch.
const maxBatch = 20

// serveBatch answers a JSON batch ($batch): each request in it is served
// as if sent alone, with the batch's token, and its faults (a throttled
// request inside a batch answers 429 with Retry-After in its headers).
// The batch itself consumes no fault.
func (s *Server) serveBatch(w http.ResponseWriter, r *http.Request, e errorWriter, body []byte, err error) {
	s.mu.Lock()
	hold := s.batches
	s.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	if _, ok := s.authenticate(r); !ok {
		e.write(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience, signature or expired token.")
		return
	}
	var batch struct {
		Requests []struct {
			ID     string `json:"id"`
			Method string `json:"method"`
			URL    string `json:"url"`
		} `json:"requests"`
	}
	if err != nil || json.Unmarshal(body, &batch) != nil || len(batch.Requests) == 0 {
		e.write(http.StatusBadRequest, "BadRequest", "Invalid batch payload format.")
		return
	}
	if len(batch.Requests) > maxBatch {
		e.write(http.StatusBadRequest, "BadRequest", "The number of requests in the batch exceeds 20.")
		return
	}
	type answer struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers,omitempty"`
		Body    json.RawMessage   `json:"body,omitempty"`
	}
	var answers []answer
	for _, sub := range batch.Requests {
		u := sub.URL
		if !strings.HasPrefix(u, "/") {
			u = "/" + u
		}
		req, err := http.NewRequestWithContext(r.Context(), sub.Method, "http://"+r.Host+"/beta"+u, nil)
		if err != nil || sub.Method != http.MethodGet {
			answers = append(answers, answer{ID: sub.ID, Status: http.StatusBadRequest})
			continue
		}
		req.Host = r.Host
		req.Header.Set("Authorization", r.Header.Get("Authorization"))
		rec := httptest.NewRecorder()
		s.serveOne(rec, req, errorWriter{w: rec, requestID: uuid.NewString()}, nil, nil)
		a := answer{ID: sub.ID, Status: rec.Code, Headers: map[string]string{"Content-Type": rec.Header().Get("Content-Type")}}
		if ra := rec.Header().Get("Retry-After"); ra != "" {
			a.Headers["Retry-After"] = ra
		}
		if json.Valid(rec.Body.Bytes()) {
			a.Body = rec.Body.Bytes()
		}
		answers = append(answers, a)
	}
	envelope := http.StatusOK
	s.mu.Lock()
	if s.batchEnvelope != 0 {
		envelope = s.batchEnvelope
	}
	s.mu.Unlock()
	writeJSON(w, envelope, map[string]any{"responses": answers})
}

func (s *Server) fail(e errorWriter, fault Fault) {
	if fault.RetryAfter != "" {
		e.w.Header().Set("Retry-After", fault.RetryAfter)
	}
	if fault.Code == "UnknownError" {
		e.terse(fault.Status) // the profile service's own refusals say nothing
		return
	}
	msg := fault.Message
	if msg == "" {
		msg = "The emulator was told to fail this request."
	}
	e.target = fault.Target
	e.write(fault.Status, fault.Code, msg)
}

// record keeps the request for tests, without its bearer token. s.mu is held.
func (s *Server) record(r *http.Request, body []byte) {
	h := r.Header.Clone()
	if a := h.Get("Authorization"); a != "" {
		h.Set("Authorization", Fingerprint(a))
	}
	req := Request{Method: r.Method, EscapedPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: h, Body: body}
	if s.arrived != nil {
		close(s.arrived)
		s.arrived = nil
	}
	if len(s.requests) < maxRequests {
		s.requests = append(s.requests, req)
		return
	}
	// Full: the oldest gives way, in place (no copying of the log under
	// the lock every request holds).
	s.requests[s.oldest] = req
	s.oldest = (s.oldest + 1) % maxRequests
}

// Fingerprint is what the request log keeps of an Authorization header:
// enough to tell two apart, nothing to replay.
func Fingerprint(authorization string) string {
	sum := sha256.Sum256([]byte(authorization))
	return "fingerprint " + hex.EncodeToString(sum[:8])
}

// captureWriter keeps an answer that a fault will replace.
type captureWriter struct {
	header http.Header
	status int
}

func (c *captureWriter) Header() http.Header         { return c.header }
func (c *captureWriter) WriteHeader(status int)      { c.status = status }
func (c *captureWriter) Write(b []byte) (int, error) { return len(b), nil }

// answer carries out one request.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, e errorWriter, body []byte, bodyErr error) {
	if bodyErr != nil {
		e.write(http.StatusBadRequest, "BadRequest", bodyErr.Error())
		return
	}
	c, ok := s.authenticate(r)
	if !ok {
		e.write(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience, signature or expired token.")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/beta/")
	if v1, isV1 := strings.CutPrefix(r.URL.EscapedPath(), "/v1.0/"); isV1 {
		// v1.0 has users, but no profile: the real service names the
		// segment it does not know, with a 400 (docs/graph.md, "Errors").
		segs := strings.Split(v1, "/")
		seg := segs[len(segs)-1]
		if i := slices.Index(segs, "profile"); i >= 0 {
			seg = "profile"
		}
		e.write(http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+seg+"'.")
		return
	}
	if !ok {
		e.write(http.StatusNotFound, "BadRequest", "Invalid version.")
		return
	}
	if r.Method == http.MethodGet {
		if p, ok := s.user(rest); ok {
			s.serveUser(w, e, c, p)
			return
		}
	}
	target, id, status, msg := s.route(rest, c)
	if status != 0 {
		code := map[int]string{400: "Request_BadRequest", 403: "Authorization_RequestDenied", 404: "Request_ResourceNotFound"}[status]
		if strings.HasPrefix(msg, "Resource not found for the segment") {
			code = "BadRequest"
		}
		e.write(status, code, msg)
		return
	}
	write := r.Method != http.MethodGet
	if !c.allowed(target.ID, write) {
		if !write && c.scopes["User.ReadBasic.All"] {
			// The basic profile's scope does not read the profile service
			// (microsoft-graph-toolkit #1488; docs/graph.md, "Permissions").
			e.write(http.StatusForbidden, "ErrorInsufficientPermissionsInAccessToken", "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ProfileAccessDeniedException' was thrown.")
			return
		}
		e.write(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	if write && !strings.EqualFold(target.ID, c.id) && !s.hasRole(c.id) {
		// Seen on the real service: the scope without a directory role
		// (microsoft-graph-docs-contrib #736).
		e.write(http.StatusForbidden, "ErrorAccessDeniedForRole", "Access is denied to the requested resource. The user might not have enough permission.")
		return
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPatch) && !isJSON(r.Header.Get("Content-Type")) {
		e.write(http.StatusUnsupportedMediaType, "BadRequest", "Content-Type must be application/json.")
		return
	}
	s.serve(w, r, e, c, target, id, body)
}

// user resolves users/{key} or users('{key}') alone (a person, not their
// profile): ok is false for any other path; p is nil for no such person.
func (s *Server) user(rest string) (p *Person, ok bool) {
	segs := strings.Split(rest, "/")
	var key string
	switch {
	case len(segs) == 2 && segs[0] == "users":
		key = segs[1]
	case len(segs) == 1 && strings.HasPrefix(segs[0], "users('") && strings.HasSuffix(segs[0], "')"):
		key = strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(segs[0], "users('"), "')"), "''", "'")
	default:
		return nil, false
	}
	key, err := url.PathUnescape(key)
	if err != nil || key == "" {
		return nil, false
	}
	return s.lookup(key), true
}

// serveUser answers GET /users/{user}: the basic profile User.ReadBasic.All
// lets anyone in the organization read (id, displayName,
// userPrincipalName, whatever $select asks).
func (s *Server) serveUser(w http.ResponseWriter, e errorWriter, c caller, p *Person) {
	switch {
	case p == nil:
		e.write(http.StatusNotFound, "Request_ResourceNotFound", "Resource does not exist or one of its queried reference-property objects are not present.")
	case !c.allowed(p.ID, false) && !c.scopes["User.ReadBasic.All"]:
		e.write(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	default:
		writeJSON(w, http.StatusOK, map[string]any{
			"@odata.context":    "https://graph.microsoft.com/beta/$metadata#users(displayName)/$entity",
			"id":                p.ID,
			"displayName":       p.DisplayName,
			"userPrincipalName": p.UPN,
		})
	}
}

func (s *Server) hasRole(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.people[strings.ToLower(id)]
	return p != nil && p.Role
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, e errorWriter, c caller, target *Person, id string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.people[strings.ToLower(target.ID)]
	now := s.now()
	idx := -1
	if id != "" {
		idx = slices.IndexFunc(p.langs, func(lp langprof.LanguageProficiency) bool { return lp.ID == id })
		if idx < 0 {
			e.terse(http.StatusNotFound)
			return
		}
	}
	base := "http://" + r.Host + "/beta"
	context := base + "/$metadata#users('" + target.ID + "')/profile/languages"
	if idx >= 0 && r.Method != http.MethodGet && p.langs[idx].OrganizationOwned() {
		// People cannot edit what the organization's systems own; the
		// real service's answer is not documented: the profile service's
		// terse refusal (docs/graph.md, "Entries the organization owns").
		e.terse(http.StatusForbidden)
		return
	}
	switch {
	case id == "" && r.Method == http.MethodGet:
		s.list(w, r, e, p.list(now, s.lag), base, context)
	case id == "" && r.Method == http.MethodPost:
		lp := langprof.LanguageProficiency{ID: uuid.NewString()}
		lp.Source, lp.Extra = APIWritten()
		if !s.apply(e, &lp, body, c, now) {
			return
		}
		lp.CreatedBy, lp.CreatedDateTime = lp.LastModifiedBy, lp.LastModifiedDateTime
		p.write(now, s.lag, func() { p.langs = append(p.langs, lp) })
		writeEntity(w, http.StatusCreated, context, lp)
	case id != "" && r.Method == http.MethodGet:
		writeEntity(w, http.StatusOK, context, p.langs[idx])
	case id != "" && r.Method == http.MethodPatch:
		lp := p.langs[idx]
		if !s.apply(e, &lp, body, c, now) {
			return
		}
		p.write(now, s.lag, func() { p.langs[idx] = lp })
		writeEntity(w, http.StatusOK, context, lp)
	case id != "" && r.Method == http.MethodDelete:
		p.write(now, s.lag, func() { p.langs = slices.Delete(slices.Clone(p.langs), idx, idx+1) })
		w.WriteHeader(http.StatusNoContent)
	default:
		e.write(http.StatusMethodNotAllowed, "BadRequest", "The "+r.Method+" method is not allowed here.")
	}
}

// APIWritten returns what the real service adds to an entry written
// through the API (docs/graph.md): source "User" (as a collection), and the
// newer, undocumented properties: not searchable, a sources entry,
// thumbnailUrl and proficiency null.
func APIWritten() (*langprof.PersonDataSource, map[string][]byte) {
	return &langprof.PersonDataSource{Type: []string{"User"}}, map[string][]byte{
		"isSearchable": []byte("false"),
		"thumbnailUrl": []byte("null"),
		"proficiency":  []byte("null"),
		"sources":      []byte(`[{"sourceId":"` + uuid.NewString() + `","isDefaultSource":true,"properties":[]}]`),
	}
}

// list answers one page of a list; $skiptoken is the offset of the page.
func (s *Server) list(w http.ResponseWriter, r *http.Request, e errorWriter, langs []langprof.LanguageProficiency, base, context string) {
	from := 0
	if t := r.URL.Query().Get("$skiptoken"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > len(langs) {
			e.terse(http.StatusBadRequest)
			return
		}
		from = n
	}
	to := min(from+s.pageSize, len(langs))
	page := map[string]any{"@odata.context": context, "value": append([]langprof.LanguageProficiency{}, langs[from:to]...)}
	if to < len(langs) {
		page["@odata.nextLink"] = base + strings.TrimPrefix(r.URL.EscapedPath(), "/beta") + "?$skiptoken=" + strconv.Itoa(to)
	}
	writeJSON(w, http.StatusOK, page)
}

// apply decodes body onto lp as leniently as the real service is known to
// (null clears a property; levels may be absent) and sets the
// server-managed properties. A body it cannot take gets the profile
// service's terse 400.
func (s *Server) apply(e errorWriter, lp *langprof.LanguageProficiency, body []byte, c caller, now time.Time) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m == nil {
		e.terse(http.StatusBadRequest)
		return false
	}
	next := *lp
	for name, raw := range m {
		if !set(&next, name, raw) {
			e.terse(http.StatusBadRequest)
			return false
		}
	}
	at := langprof.DateTime(now.UTC().Format("2006-01-02T15:04:05.0000000Z"))
	by := s.people[strings.ToLower(c.id)]
	next.LastModifiedDateTime = &at
	next.LastModifiedBy = &langprof.IdentitySet{User: &langprof.Identity{DisplayName: by.DisplayName, ID: by.ID}}
	*lp = next
	return true
}

// set sets one property from a request body; false: Graph refuses it.
func set(lp *langprof.LanguageProficiency, name string, raw json.RawMessage) bool {
	var s *string
	if string(raw) != "null" {
		s = new(string)
		if json.Unmarshal(raw, s) != nil && name != "inference" && name != "source" {
			return false
		}
	}
	str := func() string {
		if s == nil {
			return ""
		}
		return *s
	}
	member := func(valid bool) bool { return s == nil || valid || *s == "unknownFutureValue" }
	switch name {
	case "@odata.type":
		return s != nil && *s == wire.ODataType
	case langprof.PropTag:
		lp.Tag = str()
	case langprof.PropDisplayName:
		lp.DisplayName = str()
	case langprof.PropSpoken, langprof.PropWritten, langprof.PropReading:
		l := langprof.Level(str())
		if !member(l.Valid()) {
			return false
		}
		*map[string]*langprof.Level{langprof.PropSpoken: &lp.Spoken, langprof.PropWritten: &lp.Written, langprof.PropReading: &lp.Reading}[name] = l
	case langprof.PropAllowedAudiences:
		a := langprof.Audience(str())
		if !member(a.Valid()) {
			return false
		}
		lp.AllowedAudiences = a
	case "inference":
		lp.Inference = nil
		return string(raw) == "null" || json.Unmarshal(raw, &lp.Inference) == nil
	case "source":
		var one struct{ Type string }
		var many struct{ Type []string }
		switch {
		case string(raw) == "null":
			lp.Source = nil
		case json.Unmarshal(raw, &many) == nil:
			lp.Source = &langprof.PersonDataSource{Type: many.Type}
		case json.Unmarshal(raw, &one) == nil:
			lp.Source = &langprof.PersonDataSource{Type: []string{one.Type}}
		default:
			return false
		}
	default:
		return false // unknown, or set by the server
	}
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
		return nil, "", 400, "Resource not found for the segment '" + segs[0] + "'."
	}
	if len(segs) < 2 || len(segs) > 3 || segs[0] != "profile" || segs[1] != "languages" {
		seg := "profile"
		switch {
		case len(segs) > 0 && segs[0] != "profile":
			seg = segs[0]
		case len(segs) > 1 && segs[1] != "languages":
			seg = segs[1]
		}
		return nil, "", 400, "Resource not found for the segment '" + seg + "'."
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
	oid, scopes, err := s.tokens.VerifyToken(r.Context(), raw)
	if err != nil || oid == "" || s.lookup(oid) == nil {
		return caller{}, false
	}
	c := caller{id: oid, scopes: map[string]bool{}}
	for _, sc := range scopes {
		c.scopes[sc] = true
	}
	return c, true
}

// allowed applies Graph's delegated permissions: a person's own profile
// needs User.ReadWrite (or User.Read to read); another's, User.Read.All to
// read and User.ReadWrite.All to write (User.ReadBasic.All reads only the
// basic profile, serveUser).
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

// writeEntity answers one entry, with its @odata.context as Graph does.
func writeEntity(w http.ResponseWriter, status int, context string, lp langprof.LanguageProficiency) {
	data, _ := json.Marshal(lp)
	ctx, _ := json.Marshal(context + "/$entity")
	writeRaw(w, status, append(append([]byte(`{"@odata.context":`), ctx...), append([]byte{','}, data[1:]...)...))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, _ := json.Marshal(v)
	writeRaw(w, status, data)
}

func writeRaw(w http.ResponseWriter, status int, data []byte) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
}

type errorWriter struct {
	w                          http.ResponseWriter
	requestID, clientRequestID string
	target                     string
}

// terse sends the profile service's own error, which says nothing:
// {"code":"UnknownError","message":""} (docs/graph.md: seen for 400s and for
// 404s, including a 404 to a PATCH whose body was wrong).
func (e errorWriter) terse(status int) {
	e.send(status, "UnknownError", "")
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
	e.send(status, code, message)
}

func (e errorWriter) send(status int, code, message string) {
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
