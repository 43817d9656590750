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
	"slices"
	"strings"
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
func (lp *LanguageProficiency) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return errNotObject
	}
	*lp = LanguageProficiency{}
	for name, raw := range m {
		switch name {
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
func text(raw json.RawMessage) string {
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

func dateTime(raw json.RawMessage) *DateTime {
	var s string
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return nil
	}
	d := DateTime(s)
	return &d
}

func object(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

func identitySet(raw json.RawMessage) *IdentitySet {
	m := object(raw)
	if m == nil {
		return nil
	}
	one := func(name string) *Identity {
		im := object(m[name])
		if im == nil {
			return nil
		}
		return &Identity{DisplayName: text(im["displayName"]), ID: text(im["id"])}
	}
	set := &IdentitySet{Application: one("application"), Device: one("device"), User: one("user")}
	if *set == (IdentitySet{}) {
		return nil
	}
	return set
}

// dataSource reads source.type as a collection (the real service) or a
// single string (Graph's docs).
func dataSource(raw json.RawMessage) *PersonDataSource {
	m := object(raw)
	if m == nil {
		return nil
	}
	var types []json.RawMessage
	if json.Unmarshal(m["type"], &types) != nil {
		if t := text(m["type"]); t != "" {
			return &PersonDataSource{Type: []string{t}}
		}
		return &PersonDataSource{}
	}
	ds := &PersonDataSource{Type: []string{}}
	for _, t := range types {
		ds.Type = append(ds.Type, text(t))
	}
	return ds
}

func inference(raw json.RawMessage) *InferenceData {
	m := object(raw)
	if m == nil {
		return nil
	}
	var d InferenceData
	json.Unmarshal(m["confidenceScore"], &d.ConfidenceScore)
	json.Unmarshal(m["userHasVerifiedAccuracy"], &d.UserHasVerifiedAccuracy)
	return &d
}

// entryJSON is an entry as langcard writes it: Graph's property names,
// null for what is not set.
type entryJSON struct {
	ID                   string            `json:"id"`
	AllowedAudiences     nullable          `json:"allowedAudiences"`
	Inference            *InferenceData    `json:"inference"`
	CreatedDateTime      *DateTime         `json:"createdDateTime"`
	CreatedBy            *IdentitySet      `json:"createdBy"`
	LastModifiedDateTime *DateTime         `json:"lastModifiedDateTime"`
	LastModifiedBy       *IdentitySet      `json:"lastModifiedBy"`
	Source               *PersonDataSource `json:"source"`
	DisplayName          nullable          `json:"displayName"`
	Tag                  nullable          `json:"tag"`
	Spoken               nullable          `json:"spoken"`
	Written              nullable          `json:"written"`
	Reading              nullable          `json:"reading"`
}

// nullable is a string written as null when empty.
type nullable string

func (n nullable) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(n))
}

var modelled = map[string]bool{
	"id": true, PropAllowedAudiences: true, "inference": true, "createdDateTime": true, "createdBy": true,
	"lastModifiedDateTime": true, "lastModifiedBy": true, "source": true, PropDisplayName: true,
	PropTag: true, PropSpoken: true, PropWritten: true, PropReading: true,
}

// MarshalJSON writes the entry with Graph's property names, then the
// properties kept in Extra (in name order), as they came.
func (lp LanguageProficiency) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(entryJSON{
		ID: lp.ID, AllowedAudiences: nullable(lp.AllowedAudiences), Inference: lp.Inference,
		CreatedDateTime: lp.CreatedDateTime, CreatedBy: lp.CreatedBy,
		LastModifiedDateTime: lp.LastModifiedDateTime, LastModifiedBy: lp.LastModifiedBy, Source: lp.Source,
		DisplayName: nullable(lp.DisplayName), Tag: nullable(lp.Tag),
		Spoken: nullable(lp.Spoken), Written: nullable(lp.Written), Reading: nullable(lp.Reading),
	})
	if err != nil || len(lp.Extra) == 0 {
		return b, err
	}
	b = b[:len(b)-1]
	for _, name := range slices.Sorted(maps.Keys(lp.Extra)) {
		raw := lp.Extra[name]
		if modelled[name] || strings.Contains(name, "@") || !json.Valid(raw) {
			continue
		}
		k, _ := json.Marshal(name)
		b = append(append(append(append(b, ','), k...), ':'), raw...)
	}
	return append(b, '}'), nil
}

// MarshalJSON writes an identity as Graph does: null for what it lacks
// (services appear as {"displayName":"MsGraph","id":null}).
func (i Identity) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		DisplayName nullable `json:"displayName"`
		ID          nullable `json:"id"`
	}{nullable(i.DisplayName), nullable(i.ID)})
}
