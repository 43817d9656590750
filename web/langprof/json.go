//go:build !(js && wasm)

// The JSON codec of LanguageProficiency lives in the server's build only:
// the widget reads entries through the browser's JSON.parse, and linking
// encoding/json would cost it some 200 KB.

package langprof

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// errNotObject is why an entry that is not a JSON object cannot be read.
var errNotObject = errors.New("langprof: a languageProficiency must be a JSON object")

// UnmarshalJSON reads an entry as Graph sends it, tolerantly, by rule:
//
//   - it must be a JSON object; nothing else about it can fail;
//   - a string property (the editable ones, id) keeps any value as text:
//     null is "", a number or a boolean its literal ("8"), anything else
//     its JSON, so a value langcard does not know is shown as it came;
//   - a server-managed property of an unexpected shape is dropped (nil);
//   - OData annotations (@odata.context, x@odata.type) are dropped;
//   - every other property is kept, raw, in Extra.
//
// It reads the entry in one pass over its members (an entry is what the
// BFF reads most: every answer of Graph holds one or more).
func (lp *LanguageProficiency) UnmarshalJSON(data []byte) error {
	if !valid(data) {
		return errNotObject
	}
	*lp = LanguageProficiency{}
	ok := members(data, func(name, raw []byte) {
		switch string(name) {
		case "id":
			lp.ID = text(raw)
		case PropAllowedAudiences:
			lp.AllowedAudiences = Audience(text(raw))
		case PropDisplayName:
			lp.DisplayName = text(raw)
		case PropTag:
			lp.Tag = text(raw)
		case PropSpoken:
			lp.Spoken = Level(text(raw))
		case PropWritten:
			lp.Written = Level(text(raw))
		case PropReading:
			lp.Reading = Level(text(raw))
		case "createdDateTime":
			lp.CreatedDateTime = dateTime(raw)
		case "lastModifiedDateTime":
			lp.LastModifiedDateTime = dateTime(raw)
		case "createdBy":
			lp.CreatedBy = identitySet(raw)
		case "lastModifiedBy":
			lp.LastModifiedBy = identitySet(raw)
		case "source":
			lp.Source = dataSource(raw)
		case "inference":
			lp.Inference = inference(raw)
		default:
			if bytes.Contains(name, []byte("@")) {
				return // an annotation about Graph's answer, not the entry
			}
			if lp.Extra == nil {
				lp.Extra = map[string][]byte{}
			}
			lp.Extra[string(name)] = bytes.Clone(raw)
		}
	})
	if !ok {
		return errNotObject
	}
	return nil
}

// lenient are the options under which jsontext checks JSON as
// encoding/json does (json.Valid): a name may come twice, and a string
// may hold bytes that are not UTF-8.
var lenient = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}

// valid reports whether data is one JSON value, as json.Valid does, and
// faster (the BFF checks one on every answer of Graph; docs/performance.md).
func valid(data []byte) bool { return jsontext.Value(data).IsValid(lenient...) }

// members calls f with the name (unescaped) and the raw value of each
// member of the object data, which must be valid JSON, in order (a name
// given twice: f sees both, and the last one read wins, as encoding/json
// decides). It reports whether data is an object.
func members(data []byte, f func(name, raw []byte)) bool {
	i := space(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = space(data, i+1)
	for i < len(data) && data[i] == '"' {
		end := skip(data, i)
		name := data[i+1 : end-1]
		if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
			var s string
			json.Unmarshal(data[i:end], &s)
			name = []byte(s)
		}
		i = space(data, end)
		i = space(data, i+1) // the colon
		end = skip(data, i)
		f(name, data[i:end])
		i = space(data, end)
		if i < len(data) && data[i] == ',' {
			i = space(data, i+1)
		}
	}
	return true
}

// elements calls f with each element of the array data (valid JSON) and
// reports whether data is an array.
func elements(data []byte, f func(raw []byte)) bool {
	i := space(data, 0)
	if i >= len(data) || data[i] != '[' {
		return false
	}
	i = space(data, i+1)
	for i < len(data) && data[i] != ']' {
		end := skip(data, i)
		f(data[i:end])
		i = space(data, end)
		if i < len(data) && data[i] == ',' {
			i = space(data, i+1)
		}
	}
	return true
}

// space returns the index of the first byte at or after i that is not
// JSON white space.
func space(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skip returns the index just past the JSON value that starts at i (in
// valid JSON; in anything else it stops at the end without a panic).
func skip(data []byte, i int) int {
	if i >= len(data) {
		return len(data)
	}
	switch data[i] {
	case '"':
		for i++; i < len(data); i++ {
			switch data[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(data)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				i = skip(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(data)
	default: // a number, true, false or null
		for i < len(data) && !strings.ContainsRune(",}] \t\r\n", rune(data[i])) {
			i++
		}
		return i
	}
}

// text reads a property langcard shows as text, whatever its JSON type.
func text(raw []byte) string {
	if n := len(raw); n >= 2 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : n-1]) // a string as it is: no escapes to read
	}
	if string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		b.Reset()
		b.Write(raw)
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

func dateTime(raw []byte) *DateTime {
	if len(raw) == 0 || raw[0] != '"' {
		return nil
	}
	s := text(raw)
	if s == "" {
		return nil
	}
	d := DateTime(s)
	return &d
}

func identitySet(raw []byte) *IdentitySet {
	var set IdentitySet
	if !members(raw, func(name, raw []byte) {
		switch string(name) {
		case "application":
			set.Application = identity(raw)
		case "device":
			set.Device = identity(raw)
		case "user":
			set.User = identity(raw)
		}
	}) || set == (IdentitySet{}) {
		return nil
	}
	return &set
}

func identity(raw []byte) *Identity {
	var i Identity
	if !members(raw, func(name, raw []byte) {
		switch string(name) {
		case "displayName":
			i.DisplayName = text(raw)
		case "id":
			i.ID = text(raw)
		}
	}) {
		return nil
	}
	return &i
}

// dataSource reads source.type as a collection (the real service) or a
// single string (Graph's docs).
func dataSource(raw []byte) *PersonDataSource {
	var t []byte // the last "type" given
	if !members(raw, func(name, v []byte) {
		if string(name) == "type" {
			t = v
		}
	}) {
		return nil
	}
	switch {
	case string(t) == "null":
		return &PersonDataSource{Type: []string{}}
	case len(t) > 0 && t[0] == '[':
		ds := &PersonDataSource{Type: []string{}}
		elements(t, func(e []byte) { ds.Type = append(ds.Type, text(e)) })
		return ds
	case text(t) != "":
		return &PersonDataSource{Type: []string{text(t)}}
	}
	return &PersonDataSource{}
}

func inference(raw []byte) *InferenceData {
	var score, verified []byte // the last of each given
	if !members(raw, func(name, v []byte) {
		switch string(name) {
		case "confidenceScore":
			score = v
		case "userHasVerifiedAccuracy":
			verified = v
		}
	}) {
		return nil
	}
	var d InferenceData
	json.Unmarshal(score, &d.ConfidenceScore)
	json.Unmarshal(verified, &d.UserHasVerifiedAccuracy)
	return &d
}

var modelled = map[string]bool{
	"id": true, PropAllowedAudiences: true, "inference": true, "createdDateTime": true, "createdBy": true,
	"lastModifiedDateTime": true, "lastModifiedBy": true, "source": true, PropDisplayName: true,
	PropTag: true, PropSpoken: true, PropWritten: true, PropReading: true,
}

// MarshalJSON writes the entry with Graph's property names, null for what
// is not set, then the properties kept in Extra (in name order), as they
// came. It is AppendJSON.
func (lp LanguageProficiency) MarshalJSON() ([]byte, error) { return lp.AppendJSON(nil), nil }

// AppendJSON appends the entry's JSON to b: what encoding/json writes for
// it, compact and HTML-safe, written directly (an entry is what the JSON
// API answers most, and encoding/json checks and compacts again whatever
// a MarshalJSON returns).
func (lp LanguageProficiency) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = AppendString(b, lp.ID)
	b = append(b, `,"allowedAudiences":`...)
	b = appendNullable(b, string(lp.AllowedAudiences))
	b = append(b, `,"inference":`...)
	if d := lp.Inference; d == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"confidenceScore":`...)
		b = appendFloat(b, d.ConfidenceScore)
		b = append(b, `,"userHasVerifiedAccuracy":`...)
		b = strconv.AppendBool(b, d.UserHasVerifiedAccuracy)
		b = append(b, '}')
	}
	b = append(b, `,"createdDateTime":`...)
	b = appendDateTime(b, lp.CreatedDateTime)
	b = append(b, `,"createdBy":`...)
	b = appendIdentitySet(b, lp.CreatedBy)
	b = append(b, `,"lastModifiedDateTime":`...)
	b = appendDateTime(b, lp.LastModifiedDateTime)
	b = append(b, `,"lastModifiedBy":`...)
	b = appendIdentitySet(b, lp.LastModifiedBy)
	b = append(b, `,"source":`...)
	if src := lp.Source; src == nil {
		b = append(b, "null"...)
	} else if src.Type == nil {
		b = append(b, `{"type":null}`...)
	} else {
		b = append(b, `{"type":[`...)
		for i, t := range src.Type {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, t)
		}
		b = append(b, "]}"...)
	}
	for _, p := range [...]struct{ name, value string }{
		{PropDisplayName, lp.DisplayName}, {PropTag, lp.Tag},
		{PropSpoken, string(lp.Spoken)}, {PropWritten, string(lp.Written)}, {PropReading, string(lp.Reading)},
	} {
		b = append(append(append(b, ',', '"'), p.name...), '"', ':')
		b = appendNullable(b, p.value)
	}
	if len(lp.Extra) > 0 {
		var buf bytes.Buffer
		for _, name := range slices.Sorted(maps.Keys(lp.Extra)) {
			raw := lp.Extra[name]
			if modelled[name] || strings.Contains(name, "@") || !json.Valid(raw) {
				continue
			}
			buf.Reset()
			json.Compact(&buf, raw)
			b = AppendString(append(b, ','), name)
			b = append(b, ':')
			b = appendHTMLSafe(b, buf.Bytes())
		}
	}
	return append(b, '}')
}

// MarshalJSON writes an identity as Graph does: null for what it lacks
// (services appear as {"displayName":"MsGraph","id":null}).
func (i Identity) MarshalJSON() ([]byte, error) { return appendIdentity(nil, &i), nil }

func appendIdentitySet(b []byte, set *IdentitySet) []byte {
	if set == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"application":`...)
	b = appendIdentity(b, set.Application)
	b = append(b, `,"device":`...)
	b = appendIdentity(b, set.Device)
	b = append(b, `,"user":`...)
	b = appendIdentity(b, set.User)
	return append(b, '}')
}

func appendIdentity(b []byte, i *Identity) []byte {
	if i == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"displayName":`...)
	b = appendNullable(b, i.DisplayName)
	b = append(b, `,"id":`...)
	b = appendNullable(b, i.ID)
	return append(b, '}')
}

func appendDateTime(b []byte, d *DateTime) []byte {
	if d == nil {
		return append(b, "null"...)
	}
	return AppendString(b, string(*d))
}

// appendNullable writes s, or null when it is empty.
func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return AppendString(b, s)
}

// appendFloat writes f as encoding/json does (null when it is not finite,
// which JSON cannot say and Graph cannot have sent).
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 is written e-7
		b = b[:n-1]
	}
	return b
}

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string as encoding/json writes it: <,
// > and & escaped, and U+2028 and U+2029, and invalid UTF-8 as U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// appendHTMLSafe appends compact JSON with <, >, &, U+2028 and U+2029 in
// its strings escaped, as encoding/json leaves a MarshalJSON's output.
func appendHTMLSafe(b, compact []byte) []byte {
	var buf bytes.Buffer
	json.HTMLEscape(&buf, compact)
	return append(b, buf.Bytes()...)
}
