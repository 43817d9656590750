package langprof_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"langcard/web/langprof"
)

// Graph's answers decode tolerantly: whatever shape a property has, the
// entry is read; values langcard does not know are kept as text.
func TestUnmarshalTolerant(t *testing.T) {
	tests := []struct {
		name string
		json string
		want func(lp langprof.LanguageProficiency) string // "" when right
	}{
		{"source as a collection", `{"id":"a","source":{"type":["User","MsGraph"]}}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff(&langprof.PersonDataSource{Type: []string{"User", "MsGraph"}}, lp.Source)
		}},
		{"source as the docs' string", `{"id":"a","source":{"type":"User"}}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff(&langprof.PersonDataSource{Type: []string{"User"}}, lp.Source)
		}},
		{"source of another shape", `{"id":"a","source":"LinkedIn"}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff((*langprof.PersonDataSource)(nil), lp.Source)
		}},
		{"null levels and name", `{"id":"a","spoken":null,"written":null,"reading":null,"displayName":null,"tag":"de"}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff(langprof.LanguageProficiency{ID: "a", Tag: "de"}, lp)
		}},
		{"future enum member", `{"id":"a","spoken":"expert","allowedAudiences":"partners"}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff([]string{"expert", "partners"}, []string{string(lp.Spoken), string(lp.AllowedAudiences)})
		}},
		{"flags combination", `{"id":"a","allowedAudiences":"organization,everyone"}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff(langprof.Audience("organization,everyone"), lp.AllowedAudiences)
		}},
		{"number string and number", `{"id":"a","allowedAudiences":"8","reading":3}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff([]string{"8", "3"}, []string{string(lp.AllowedAudiences), string(lp.Reading)})
		}},
		{"array where a string was", `{"id":"a","allowedAudiences":["organization", "everyone"]}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff(langprof.Audience(`["organization","everyone"]`), lp.AllowedAudiences)
		}},
		{"service identity", `{"id":"a","createdBy":{"user":null,"application":{"displayName":"MsGraph","id":null},"device":null}}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff(&langprof.IdentitySet{Application: &langprof.Identity{DisplayName: "MsGraph"}}, lp.CreatedBy)
		}},
		{"identity of another shape", `{"id":"a","lastModifiedBy":"someone","createdDateTime":12}`, func(lp langprof.LanguageProficiency) string {
			if lp.LastModifiedBy != nil || lp.CreatedDateTime != nil {
				return "kept a server-managed property of an unknown shape"
			}
			return ""
		}},
		{"inference of another shape", `{"id":"a","inference":{"confidenceScore":"high","userHasVerifiedAccuracy":true}}`, func(lp langprof.LanguageProficiency) string {
			return cmp.Diff(&langprof.InferenceData{UserHasVerifiedAccuracy: true}, lp.Inference)
		}},
		{"newer properties kept, annotations dropped", `{"@odata.context":"x","id":"a","isSearchable":false,"sources":[{"sourceId":"s"}],"thumbnailUrl":null,"proficiency":{"x":1},"tag@odata.type":"y"}`, func(lp langprof.LanguageProficiency) string {
			got := map[string]string{}
			for k, v := range lp.Extra {
				got[k] = string(v)
			}
			return cmp.Diff(map[string]string{"isSearchable": "false", "sources": `[{"sourceId":"s"}]`, "thumbnailUrl": "null", "proficiency": `{"x":1}`}, got)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lp langprof.LanguageProficiency
			if err := json.Unmarshal([]byte(tt.json), &lp); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if diff := tt.want(lp); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestUnmarshalRefusesNonObjects(t *testing.T) {
	for _, in := range []string{`null`, `"x"`, `[]`, `7`} {
		var lp langprof.LanguageProficiency
		if err := json.Unmarshal([]byte(in), &lp); err == nil {
			t.Errorf("%s decoded as an entry", in)
		}
	}
}

// What was read is written back the same: values kept verbatim, null for
// what is not set, the newer properties passed on, annotations not.
func TestMarshalRoundTrip(t *testing.T) {
	in := `{"@odata.context":"x","id":"a","allowedAudiences":"organization,everyone","displayName":"Deutsch","tag":"de","spoken":"expert","written":null,"source":{"type":["User","MsGraph"]},"isSearchable":true,"sources":[{"sourceId":"s"}]}`
	var lp langprof.LanguageProficiency
	if err := json.Unmarshal([]byte(in), &lp); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(lp)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(out, &got)
	want := map[string]any{
		"id": "a", "allowedAudiences": "organization,everyone", "displayName": "Deutsch", "tag": "de",
		"spoken": "expert", "written": nil, "reading": nil, "source": map[string]any{"type": []any{"User", "MsGraph"}},
		"isSearchable": true, "sources": []any{map[string]any{"sourceId": "s"}},
		"inference": nil, "createdBy": nil, "createdDateTime": nil, "lastModifiedBy": nil, "lastModifiedDateTime": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if strings.Contains(string(out), "@odata") {
		t.Errorf("annotations passed on: %s", out)
	}
}
