package langprof_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"langcard/bff/bcp47"
	"langcard/web/langprof"
)

// FuzzUnmarshal: whatever Graph sends decodes without a panic, what
// decoded writes back as encoding/json would write it, and decodes to the
// same values.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","source":{"type":["User","MsGraph"]},"spoken":null,"isSearchable":false}`,
		`{"id":1,"allowedAudiences":8,"createdBy":{"user":null,"application":{"displayName":"MsGraph","id":null}}}`,
		`{"id":"a","inference":{"confidenceScore":"x"},"source":"y","tag@odata.type":"z"}`, `null`, `[]`, `{"id":"a","x":[1,{"y":null}]}`,
		`{"id":"<a>&\u2028","tag":"\u0001\b\f\n\r\t\"\\","inference":{"confidenceScore":1e-7,"userHasVerifiedAccuracy":true},"x":{ "y" : "<\u2029>" }}`,
		"{\"displayName\":\"\xff\xfe ok \xe2\x80\xa8\",\"inference\":{\"confidenceScore\":1e21}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var lp langprof.LanguageProficiency
		if json.Unmarshal(data, &lp) != nil {
			return
		}
		out, err := json.Marshal(lp)
		if err != nil {
			t.Fatalf("Marshal after Unmarshal(%s): %v", data, err)
		}
		if got, want := string(lp.AppendJSON(nil)), reference(t, lp); got != want || string(out) != want {
			t.Fatalf("AppendJSON differs from encoding/json:\n got %s\nwant %s", got, want)
		}
		var again langprof.LanguageProficiency
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("%s does not decode again: %v", out, err)
		}
		if again.ID != lp.ID || again.Tag != lp.Tag || again.DisplayName != lp.DisplayName || again.Spoken != lp.Spoken ||
			again.Written != lp.Written || again.Reading != lp.Reading || again.AllowedAudiences != lp.AllowedAudiences || len(again.Extra) != len(lp.Extra) {
			t.Fatalf("round trip changed values:\n%+v\n%+v", lp, again)
		}
	})
}

// reference writes lp with encoding/json alone, as langcard's JSON of an
// entry must read: Graph's names in order, null for what is not set, then
// the kept properties by name.
func reference(t *testing.T, lp langprof.LanguageProficiency) string {
	t.Helper()
	null := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	type identity struct {
		DisplayName *string `json:"displayName"`
		ID          *string `json:"id"`
	}
	type set struct {
		Application *identity `json:"application"`
		Device      *identity `json:"device"`
		User        *identity `json:"user"`
	}
	one := func(i *langprof.Identity) *identity {
		if i == nil {
			return nil
		}
		return &identity{null(i.DisplayName), null(i.ID)}
	}
	sets := func(s *langprof.IdentitySet) *set {
		if s == nil {
			return nil
		}
		return &set{one(s.Application), one(s.Device), one(s.User)}
	}
	b, err := json.Marshal(struct {
		ID                   string                     `json:"id"`
		AllowedAudiences     *string                    `json:"allowedAudiences"`
		Inference            *langprof.InferenceData    `json:"inference"`
		CreatedDateTime      *langprof.DateTime         `json:"createdDateTime"`
		CreatedBy            *set                       `json:"createdBy"`
		LastModifiedDateTime *langprof.DateTime         `json:"lastModifiedDateTime"`
		LastModifiedBy       *set                       `json:"lastModifiedBy"`
		Source               *langprof.PersonDataSource `json:"source"`
		DisplayName          *string                    `json:"displayName"`
		Tag                  *string                    `json:"tag"`
		Spoken               *string                    `json:"spoken"`
		Written              *string                    `json:"written"`
		Reading              *string                    `json:"reading"`
	}{lp.ID, null(string(lp.AllowedAudiences)), lp.Inference, lp.CreatedDateTime, sets(lp.CreatedBy),
		lp.LastModifiedDateTime, sets(lp.LastModifiedBy), lp.Source, null(lp.DisplayName), null(lp.Tag),
		null(string(lp.Spoken)), null(string(lp.Written)), null(string(lp.Reading))})
	if err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(string(b), "}")
	for _, name := range slices.Sorted(maps.Keys(lp.Extra)) {
		k, _ := json.Marshal(name)
		v, err := json.Marshal(json.RawMessage(lp.Extra[name]))
		if err != nil {
			t.Fatal(err)
		}
		out += "," + string(k) + ":" + string(v)
	}
	return out + "}"
}

// FuzzCheckTag: no tag panics the check, and a canonical form is itself
// accepted unchanged.
func FuzzCheckTag(f *testing.F) {
	for _, s := range []string{"en-US", "i-klingon", "zh-min-nan", "de-1996-1996", "en-XX", "x-private", "und", "sgn-BE-FR", "en--", "-", "en-a-bbb-x-a-ccc", "ZH-hant-tw"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		canonical, problem := langprof.CheckTag(tag, bcp47.Check)
		if problem != "" {
			if canonical != "" {
				t.Fatalf("CheckTag(%q) = %q and problem %q", tag, canonical, problem)
			}
			return
		}
		if again, problem := langprof.CheckTag(canonical, bcp47.Check); again != canonical || problem != "" {
			t.Fatalf("CheckTag(%q) = %q, but CheckTag(%q) = %q, %q", tag, canonical, canonical, again, problem)
		}
		if strings.ContainsAny(canonical, " /?#%") {
			t.Fatalf("canonical %q", canonical)
		}
	})
}
