package wire

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"langcard/web/langprof"
)

func TestDecodeHostile(t *testing.T) {
	tests := []struct {
		name, body string
		mode       Mode
		wantTarget string
		wantInMsg  string
	}{
		{"array", `[{"tag":"fr"}]`, Person, "", "one JSON object"},
		{"two objects", `{"tag":"fr"}{"tag":"de"}`, Person, "", "nothing after it"},
		{"trailing garbage", `{"tag":"fr"} x`, Person, "", "nothing after it"},
		{"truncated", `{"tag":"fr"`, Person, "", "not valid JSON"},
		{"empty", ``, Person, "", "one JSON object"},
		{"string", `"fr"`, Person, "", "one JSON object"},
		{"bad utf8", "{\"displayName\":\"Bokm\xe5l\"}", Person, "", "UTF-8"},
		{"duplicate", `{"spoken":"elementary","spoken":"nativeOrBilingual"}`, Person, "spoken", "more than once"},
		{"unknown", `{"fluency":"high"}`, Person, "fluency", "not a property"},
		{"wrong case", `{"Spoken":"elementary"}`, Person, "Spoken", "not a property"},
		{"id", `{"id":"x"}`, Person, "id", "set by the server"},
		{"createdBy", `{"createdBy":{}}`, Person, "createdBy", "set by the server"},
		{"lastModifiedDateTime", `{"lastModifiedDateTime":"2020-01-01T00:00:00Z"}`, Person, "lastModifiedDateTime", "set by the server"},
		{"inference from a person", `{"inference":null}`, Person, "inference", "application"},
		{"null level", `{"spoken":null}`, Person, "spoken", "cannot be null"},
		{"number", `{"tag":42}`, Person, "tag", "must be a string"},
		{"object", `{"displayName":{"a":1}}`, Person, "displayName", "must be a string"},
		{"wrong odata type", `{"@odata.type":"#microsoft.graph.user"}`, Person, "@odata.type", "must be"},
		{"inference from an app", `{"inference":{"confidenceScore":0.5}}`, Application, "-", ""},
		{"odata type ok", `{"@odata.type":"#microsoft.graph.languageProficiency","tag":"fr"}`, Person, "-", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := Decode([]byte(tt.body), tt.mode)
			if tt.wantTarget == "-" {
				if len(ps) != 0 {
					t.Fatalf("got %v, want no problems", ps)
				}
				return
			}
			if len(ps) != 1 {
				t.Fatalf("got %d problems %v, want 1", len(ps), ps)
			}
			if ps[0].Target != tt.wantTarget || !strings.Contains(ps[0].Text(), tt.wantInMsg) {
				t.Errorf("got %+v, want target %q and message containing %q", ps[0], tt.wantTarget, tt.wantInMsg)
			}
		})
	}
}

func TestDecodeKeepsUnicode(t *testing.T) {
	b, ps := Decode([]byte(`{"displayName":"Norwegian Bokm\u00e5l","tag":"nb-NO"}`), Person)
	if len(ps) != 0 {
		t.Fatal(ps)
	}
	if *b.DisplayName != "Norwegian Bokmål" || *b.Tag != "nb-NO" {
		t.Errorf("got %q %q", *b.DisplayName, *b.Tag)
	}
}

func TestEncodeOnlyPresent(t *testing.T) {
	a := langprof.Organization
	got, err := Encode(langprof.Patch{AllowedAudiences: &a})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"allowedAudiences":"organization"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := Encode(langprof.Patch{}); err == nil {
		t.Error("Encode(empty) succeeded, want an error")
	}
}

// FuzzDecodeAsBefore: Decode reads every body as the encoding/json reader
// it replaced did: the same patch, metadata and problems.
func FuzzDecodeAsBefore(f *testing.F) {
	for _, s := range []string{
		`{"spoken":"elementary"}`, `{"tag":"nb-NO","displayName":"Norsk bokmål"}`, `{"spoken":null}`, `{"a":1}`, ` { "t\u0061g" : "fr" , "x" : [ 1 , {} ] } `,
		`{"spoken":"x","spoken":"y"}`, `[]`, `{}`, `{"displayName":"\ud800"}`, `{"tag":1e400}`, `{"@odata.type":"#microsoft.graph.languageProficiency"}`,
		"{\"displayName\":\"\xff\"}", `{"spoken":"elementary"} {}`, `{"tag":"fr"} x`, `{"tag":"fr"`, `{"tag"}`, `{1:2}`, `{"a":1,}`, `{,}`, ``, `null`,
		`{"inference":{"confidenceScore":0.5, "x": [true,false,null]},"source":{"type":["User"]}}`, `{"createdBy":{},"id":"x","Spoken":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range []Mode{Person, Application} {
			got, gotProblems := Decode(data, mode)
			want, wantProblems := decodeBefore(data, mode)
			if !reflect.DeepEqual(gotProblems, wantProblems) {
				t.Fatalf("%q (mode %d): problems %v, before %v", data, mode, gotProblems, wantProblems)
			}
			if len(wantProblems) == 0 && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q (mode %d):\n got %+v\nwant %+v", data, mode, got, want)
			}
		}
	})
}

// decodeBefore is Decode as it was, on encoding/json's Decoder: the
// reference FuzzDecodeAsBefore holds Decode to.
func decodeBefore(data []byte, mode Mode) (Body, langprof.Problems) {
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
		if p := setBefore(&b, name, raw, mode); p != nil {
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

// setBefore is the field handling Decode had, written again here from
// its rules (encoding/json, the property names spelled out), so that the
// reference does not run the code it checks.
func setBefore(b *Body, name string, raw json.RawMessage, mode Mode) *langprof.Problem {
	text := func() (string, *langprof.Problem) {
		if string(raw) == "null" {
			return "", &langprof.Problem{Code: langprof.CodeInvalidType, Target: name, Message: name + " cannot be null"}
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", &langprof.Problem{Code: langprof.CodeInvalidType, Target: name, Message: name + " must be a string"}
		}
		return s, nil
	}
	switch name {
	case "tag", "displayName", "spoken", "written", "reading", "allowedAudiences":
		s, p := text()
		if p != nil {
			return p
		}
		switch name {
		case "tag":
			b.Patch.Tag = &s
		case "displayName":
			b.Patch.DisplayName = &s
		case "spoken", "written", "reading":
			l := langprof.Level(s)
			*map[string]**langprof.Level{"spoken": &b.Patch.Spoken, "written": &b.Patch.Written, "reading": &b.Patch.Reading}[name] = &l
		default:
			a := langprof.Audience(s)
			b.Patch.AllowedAudiences = &a
		}
	case "@odata.type":
		var s string
		if json.Unmarshal(raw, &s) != nil || s != "#microsoft.graph.languageProficiency" {
			return &langprof.Problem{Code: langprof.CodeInvalidValue, Target: name, Message: "@odata.type must be #microsoft.graph.languageProficiency"}
		}
	case "inference", "source":
		if mode != Application {
			return &langprof.Problem{Code: langprof.CodeReadOnly, Target: name, Message: name + " is written by the application that inferred or synced the entry, not through langcard"}
		}
		if name == "inference" {
			b.Inference = append(json.RawMessage(nil), raw...)
		} else {
			b.Source = append(json.RawMessage(nil), raw...)
		}
	case "id", "createdBy", "createdDateTime", "lastModifiedBy", "lastModifiedDateTime":
		return &langprof.Problem{Code: langprof.CodeReadOnly, Target: name, Message: name + " is set by the server and cannot be written"}
	default:
		return &langprof.Problem{Code: langprof.CodeUnknownProp, Target: name, Message: langprof.Quote(name) + " is not a property of languageProficiency"}
	}
	return nil
}
