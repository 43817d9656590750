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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return b, bodyProblem("the body must be one JSON object")
	}
	var ps langprof.Problems
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return b, bodyProblem("the body is not valid JSON")
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return b, bodyProblem("the body is not valid JSON")
		}
		if seen[name] {
			ps = append(ps, langprof.Problem{Code: langprof.CodeDuplicate, Target: name, Message: name + " appears more than once"})
			continue
		}
		seen[name] = true
		if p := b.set(name, raw, mode); p != nil {
			ps = append(ps, *p)
		}
	}
	if _, err := dec.Token(); err != nil {
		return b, bodyProblem("the body is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
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
		var s string
		if json.Unmarshal(raw, &s) != nil || s != ODataType {
			return &langprof.Problem{Code: langprof.CodeInvalidValue, Target: name, Message: "@odata.type must be " + ODataType}
		}
	case "inference", "source":
		if mode != Application {
			return &langprof.Problem{Code: langprof.CodeReadOnly, Target: name, Message: name + " is written by the application that inferred or synced the entry, not through langcard"}
		}
		if name == "inference" {
			b.Inference = raw
		} else {
			b.Source = raw
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
	var s string
	if bytes.Equal(raw, []byte("null")) {
		return &langprof.Problem{Code: langprof.CodeInvalidType, Target: name, Message: name + " cannot be null"}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return &langprof.Problem{Code: langprof.CodeInvalidType, Target: name, Message: name + " must be a string"}
	}
	set(s)
	return nil
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
