//go:build !(js && wasm)

package langprof

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// FuzzUnmarshalAsBefore: the one-pass reader reads every input as the
// plain reader it replaced did (kept here as the reference: a map of raw
// members, each decoded again by encoding/json).
func FuzzUnmarshalAsBefore(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","source":{"type":["User","MsGraph"]},"spoken":null,"isSearchable":false}`,
		`{"id":1,"allowedAudiences":8,"createdBy":{"user":null,"application":{"displayName":"MsGraph","id":null}}}`,
		`{"id":"a","inference":{"confidenceScore":"x"},"source":"y","tag@odata.type":"z"}`, `null`, `[]`, `{"id":"a","x":[1,{"y":null}]}`,
		`{"id":"a","id":"b","tag":"d\u00e9","source":{"type":null},"createdBy":{"user":{"id":"1"},"user":3}}`,
		`{ "source" : { "type" : "User" } , "inference":{"confidenceScore":1e400,"userHasVerifiedAccuracy":true},"lastModifiedDateTime":7}`,
		"{\"displayName\":\"\xff ok\",\"x\\u0041\":[\"]\",{}],\"tag\":\"\\\"\",\"source\":{}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got, want LanguageProficiency
		gotErr := json.Unmarshal(data, &got)
		wantErr := json.Unmarshal(data, (*reference)(&want))
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: error %v, before %v", data, gotErr, wantErr)
		}
		if direct := new(LanguageProficiency); (direct.UnmarshalJSON(data) == nil) != (wantErr == nil) {
			t.Fatalf("%q: UnmarshalJSON called directly decides otherwise", data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", data, got, want)
		}
	})
}

// FuzzValid: valid decides every input as json.Valid does (duplicate
// names, bytes that are not UTF-8 and lone surrogates are all JSON to it).
func FuzzValid(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","id":"b"}`, "\"\xff\xfe\"", `"\ud800"`, `"\udc00\ud800x"`, `"\u00"`, ` {"a" : [1, -0.5e+7, true, null]} `, `{"a":1,}`, `[1,]`,
		`01`, `-`, `1.`, `.5`, `1e`, `"\x"`, "\"\t\"", `{"a"}`, `{1:2}`, `[`, ``, ` `, `nul`, `true false`, "\x00", `{"a":1}}`, `"a\/b"`, "\"\u2028\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := valid(data), json.Valid(data); got != want {
			t.Fatalf("valid(%q) = %v, json.Valid %v", data, got, want)
		}
	})
}

type reference LanguageProficiency

func (r *reference) UnmarshalJSON(data []byte) error {
	return referenceUnmarshal(data, (*LanguageProficiency)(r))
}

func referenceUnmarshal(data []byte, lp *LanguageProficiency) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return errNotObject
	}
	*lp = LanguageProficiency{}
	for name, raw := range m {
		switch name {
		case "id":
			lp.ID = ref_text(raw)
		case PropAllowedAudiences:
			lp.AllowedAudiences = Audience(ref_text(raw))
		case PropDisplayName:
			lp.DisplayName = ref_text(raw)
		case PropTag:
			lp.Tag = ref_text(raw)
		case PropSpoken:
			lp.Spoken = Level(ref_text(raw))
		case PropWritten:
			lp.Written = Level(ref_text(raw))
		case PropReading:
			lp.Reading = Level(ref_text(raw))
		case "createdDateTime":
			lp.CreatedDateTime = ref_dateTime(raw)
		case "lastModifiedDateTime":
			lp.LastModifiedDateTime = ref_dateTime(raw)
		case "createdBy":
			lp.CreatedBy = ref_identitySet(raw)
		case "lastModifiedBy":
			lp.LastModifiedBy = ref_identitySet(raw)
		case "source":
			lp.Source = ref_dataSource(raw)
		case "inference":
			lp.Inference = ref_inference(raw)
		default:
			if strings.Contains(name, "@") {
				continue // an annotation about Graph's answer, not the entry
			}
			if lp.Extra == nil {
				lp.Extra = map[string][]byte{}
			}
			lp.Extra[name] = bytes.Clone(raw)
		}
	}
	return nil
}

// text reads a property langcard shows as text, whatever its JSON type.
func ref_text(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s // null leaves s empty
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		b.Reset()
		b.Write(raw)
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

func ref_dateTime(raw json.RawMessage) *DateTime {
	var s string
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return nil
	}
	d := DateTime(s)
	return &d
}

func ref_object(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

func ref_identitySet(raw json.RawMessage) *IdentitySet {
	m := ref_object(raw)
	if m == nil {
		return nil
	}
	one := func(name string) *Identity {
		im := ref_object(m[name])
		if im == nil {
			return nil
		}
		return &Identity{DisplayName: ref_text(im["displayName"]), ID: ref_text(im["id"])}
	}
	set := &IdentitySet{Application: one("application"), Device: one("device"), User: one("user")}
	if *set == (IdentitySet{}) {
		return nil
	}
	return set
}

// dataSource reads source.type as a collection (the real service) or a
// single string (Graph's docs).
func ref_dataSource(raw json.RawMessage) *PersonDataSource {
	m := ref_object(raw)
	if m == nil {
		return nil
	}
	var types []json.RawMessage
	if json.Unmarshal(m["type"], &types) != nil {
		if t := ref_text(m["type"]); t != "" {
			return &PersonDataSource{Type: []string{t}}
		}
		return &PersonDataSource{}
	}
	ds := &PersonDataSource{Type: []string{}}
	for _, t := range types {
		ds.Type = append(ds.Type, ref_text(t))
	}
	return ds
}

func ref_inference(raw json.RawMessage) *InferenceData {
	m := ref_object(raw)
	if m == nil {
		return nil
	}
	var d InferenceData
	json.Unmarshal(m["confidenceScore"], &d.ConfidenceScore)
	json.Unmarshal(m["userHasVerifiedAccuracy"], &d.UserHasVerifiedAccuracy)
	return &d
}
