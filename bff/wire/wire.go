// Package wire reads and writes languageProficiency JSON strictly: one JSON
// object, UTF-8, no unknown, duplicated or server-managed properties, each
// value of the right type: how the BFF reads what browsers send. (What
// Graph sends is read tolerantly, by langprof's codec.)
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"langcard/web/langprof"
)

// ODataType is the @odata.type the official SDKs send in bodies.
const ODataType = "#microsoft.graph.languageProficiency"

// Body is a decoded request body: the editable properties, and the facet
// metadata that only applications write (kept raw; nil when absent).
type Body struct {
	langprof.Patch
	Inference json.RawMessage
	Source    json.RawMessage
}

// Mode says who is decoding.
type Mode int

const (
	// Person accepts only what a person edits; inference and source are refused.
	Person Mode = iota
	// Application also accepts inference and source, as Graph does.
	Application
)

var serverManaged = map[string]bool{
	"id": true, "createdBy": true, "createdDateTime": true,
	"lastModifiedBy": true, "lastModifiedDateTime": true,
}

// Decode decodes data as a languageProficiency body. Problems name each
// bad property; when there are any, the Body must not be used.
func Decode(data []byte, mode Mode) (Body, langprof.Problems) {
	var b Body
	if !utf8.Valid(data) {
		return b, bodyProblem("the body is not valid UTF-8")
	}
	// jsontext reads JSON as encoding/json does under these options (a
	// name given twice is a problem of its own below), in a third of the
	// time (FuzzDecodeAsBefore holds it to the encoding/json reader).
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return b, bodyProblem("the body must be one JSON object")
	}
	var ps langprof.Problems
	seen := map[string]bool{}
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return b, bodyProblem("the body is not valid JSON")
		}
		name := tok.String()
		raw, err := dec.ReadValue()
		if err != nil {
			return b, bodyProblem("the body is not valid JSON")
		}
		if seen[name] {
			ps = append(ps, langprof.Problem{Code: langprof.CodeDuplicate, Target: name, Message: name + " appears more than once"})
			continue
		}
		seen[name] = true
		if p := b.set(name, json.RawMessage(raw), mode); p != nil { // raw is the decoder's until its next read
			ps = append(ps, *p)
		}
	}
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '}' {
		return b, bodyProblem("the body is not valid JSON")
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return b, bodyProblem("the body must hold one JSON object and nothing after it")
	}
	return b, ps
}

func (b *Body) set(name string, raw json.RawMessage, mode Mode) *langprof.Problem {
	if langprof.PropIndex(name) >= 0 {
		return str(name, raw, func(s string) { b.Patch.Set(name, s) })
	}
	switch name {
	case "@odata.type":
		if s, ok := unquote(raw); !ok || s != ODataType {
			return &langprof.Problem{Code: langprof.CodeInvalidValue, Target: name, Message: "@odata.type must be " + ODataType}
		}
	case "inference", "source":
		if mode != Application {
			return &langprof.Problem{Code: langprof.CodeReadOnly, Target: name, Message: name + " is written by the application that inferred or synced the entry, not through langcard"}
		}
		if name == "inference" {
			b.Inference = bytes.Clone(raw)
		} else {
			b.Source = bytes.Clone(raw)
		}
	default:
		if serverManaged[name] {
			return &langprof.Problem{Code: langprof.CodeReadOnly, Target: name, Message: name + " is set by the server and cannot be written"}
		}
		return &langprof.Problem{Code: langprof.CodeUnknownProp, Target: name, Message: langprof.Quote(name) + " is not a property of languageProficiency"}
	}
	return nil
}

func str(name string, raw json.RawMessage, set func(string)) *langprof.Problem {
	if bytes.Equal(raw, []byte("null")) {
		return &langprof.Problem{Code: langprof.CodeInvalidType, Target: name, Message: name + " cannot be null"}
	}
	s, ok := unquote(raw)
	if !ok {
		return &langprof.Problem{Code: langprof.CodeInvalidType, Target: name, Message: name + " must be a string"}
	}
	set(s)
	return nil
}

// unquote reads raw, one JSON value of a body Decode has checked, as a
// string: a string without escapes as it is, any other through
// encoding/json (ok is false for a value that is not a string).
func unquote(raw []byte) (s string, ok bool) {
	if n := len(raw); n >= 2 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : n-1]), true
	}
	return s, json.Unmarshal(raw, &s) == nil
}

func bodyProblem(msg string) langprof.Problems {
	return langprof.Problems{{Code: langprof.CodeInvalidBody, Message: msg}}
}

// Encode returns p as a JSON object holding exactly the properties present
// in p, in the order of langprof.Props.
func Encode(p langprof.Patch) ([]byte, error) {
	if p.Empty() {
		return nil, errors.New("wire: empty patch")
	}
	b := []byte{'{'}
	for _, prop := range langprof.Props {
		v, ok := p.Get(prop)
		if !ok {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(prop)
		s, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), s...)
	}
	return append(b, '}'), nil
}
