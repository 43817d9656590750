package langprof_test

import (
	"encoding/json"
	"strings"
	"testing"

	"langcard/bff/bcp47"
	"langcard/web/langprof"
)

// FuzzUnmarshal: whatever Graph sends decodes without a panic, and what
// decoded writes back and decodes to the same values.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","source":{"type":["User","MsGraph"]},"spoken":null,"isSearchable":false}`,
		`{"id":1,"allowedAudiences":8,"createdBy":{"user":null,"application":{"displayName":"MsGraph","id":null}}}`,
		`{"id":"a","inference":{"confidenceScore":"x"},"source":"y","tag@odata.type":"z"}`, `null`, `[]`, `{"id":"a","x":[1,{"y":null}]}`,
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
