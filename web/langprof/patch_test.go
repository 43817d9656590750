package langprof_test

import (
	"github.com/google/go-cmp/cmp"

	"strings"
	"testing"

	"langcard/bff/bcp47"
	"langcard/web/langprof"
)

func ptr[T any](v T) *T { return &v }

func TestValidate(t *testing.T) {
	tests := []struct {
		name       string
		p          langprof.Patch
		create     bool
		wantTarget string // "" means valid
		wantInMsg  string
	}{
		{"audience ok", langprof.Patch{AllowedAudiences: ptr(langprof.Organization)}, false, "", ""},
		{"audience wrong case", langprof.Patch{AllowedAudiences: ptr(langprof.Audience("Organization"))}, false, "allowedAudiences", "must be one of me, family"},
		{"audience flags", langprof.Patch{AllowedAudiences: ptr(langprof.Audience("me,organization"))}, false, "allowedAudiences", "must be one of"},
		{"audience sentinel", langprof.Patch{AllowedAudiences: ptr(langprof.AudienceUnknownFutureValue)}, false, "allowedAudiences", "placeholder"},
		{"audience empty", langprof.Patch{AllowedAudiences: ptr(langprof.Audience(""))}, false, "allowedAudiences", "required"},
		{"spoken bad", langprof.Patch{Spoken: ptr(langprof.Level("fluent"))}, false, "spoken", `got "fluent"`},
		{"written sentinel", langprof.Patch{Written: ptr(langprof.LevelUnknownFutureValue)}, false, "written", "placeholder"},
		{"reading ok", langprof.Patch{Reading: ptr(langprof.NativeOrBilingual)}, false, "", ""},
		{"display name blank", langprof.Patch{DisplayName: ptr("   ")}, false, "displayName", "empty"},
		{"display name padded", langprof.Patch{DisplayName: ptr(" French")}, false, "displayName", "spaces"},
		{"display name too long", langprof.Patch{DisplayName: ptr(strings.Repeat("é", 101))}, false, "displayName", "101 characters long; the limit is 100"},
		{"display name 100 is fine", langprof.Patch{DisplayName: ptr(strings.Repeat("é", 100))}, false, "", ""},
		{"display name control", langprof.Patch{DisplayName: ptr("Fr\x00ench")}, false, "displayName", "control"},
		{"display name bidi newline", langprof.Patch{DisplayName: ptr("Fr\u2028ench")}, false, "displayName", "control"},
		{"display name bad utf8", langprof.Patch{DisplayName: ptr("Bokm\xe5l")}, false, "displayName", "UTF-8"},
		{"display name replacement char", langprof.Patch{DisplayName: ptr("Bokm\uFFFDl")}, false, "displayName", "control"},
		{"display name unicode", langprof.Patch{DisplayName: ptr("Norwegian Bokmål")}, false, "", ""},
		{"display name only zero-width space", langprof.Patch{DisplayName: ptr("\u200b")}, false, "displayName", "invisible or reordering characters (U+200B)"},
		{"display name right-to-left override", langprof.Patch{DisplayName: ptr("Fr\u202eench")}, false, "displayName", "U+202E"},
		{"display name isolate", langprof.Patch{DisplayName: ptr("French\u2066")}, false, "displayName", "U+2066"},
		{"display name soft hyphen", langprof.Patch{DisplayName: ptr("Fren\u00adch")}, false, "displayName", "U+00AD"},
		{"display name word joiner", langprof.Patch{DisplayName: ptr("Fr\u2060ench")}, false, "displayName", "U+2060"},
		{"display name BOM", langprof.Patch{DisplayName: ptr("\ufeffFrench")}, false, "displayName", "U+FEFF"},
		{"display name tag character", langprof.Patch{DisplayName: ptr("French\U000E0041")}, false, "displayName", "U+E0041"},
		{"display name ZWNJ inside a Persian word", langprof.Patch{DisplayName: ptr("فارسی\u200cها")}, false, "", ""},
		{"display name ZWJ inside a Devanagari word", langprof.Patch{DisplayName: ptr("क्\u200dष")}, false, "", ""},
		{"display name ZWJ in an emoji sequence", langprof.Patch{DisplayName: ptr("Sign 🧏\u200d♀️")}, false, "", ""},
		{"display name ZWJ at the start", langprof.Patch{DisplayName: ptr("\u200dFrench")}, false, "displayName", "U+200D"},
		{"display name ZWNJ between words", langprof.Patch{DisplayName: ptr("French \u200c German")}, false, "displayName", "U+200C"},
		{"display name only marks", langprof.Patch{DisplayName: ptr("\u0301\u0301")}, false, "displayName", "visible"},
		{"tag unknown region", langprof.Patch{Tag: ptr("no-NB")}, false, "tag", `"NB"`},
		{"tag ill-formed", langprof.Patch{Tag: ptr("en--US")}, false, "tag", "well-formed"},
		{"tag underscore", langprof.Patch{Tag: ptr("en_US")}, false, "tag", "only letters, digits and hyphens"},
		{"tag path", langprof.Patch{Tag: ptr("../etc")}, false, "tag", "only letters"},
		{"tag script", langprof.Patch{Tag: ptr("<script>")}, false, "tag", "only letters"},
		{"tag too long", langprof.Patch{Tag: ptr(strings.Repeat("a-", 40) + "a")}, false, "tag", "limit is 64"},
		{"tag empty", langprof.Patch{Tag: ptr("")}, false, "tag", "required"},
		{"create needs tag", langprof.Patch{DisplayName: ptr("French")}, true, "tag", "required"},
		{"create needs display name", langprof.Patch{Tag: ptr("fr")}, true, "displayName", "required"},
		{"create ok", langprof.Patch{Tag: ptr("fr"), DisplayName: ptr("French")}, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := tt.p.Validate(tt.create, bcp47.Checks)
			if tt.wantTarget == "" {
				if len(ps) != 0 {
					t.Fatalf("got problems %v, want none", ps)
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

func TestValidateNormalisesNames(t *testing.T) {
	p, ps := langprof.Patch{DisplayName: ptr("Norwegian Bokma\u030al")}.Validate(false, bcp47.Checks)
	if len(ps) != 0 || p.DisplayName == nil || *p.DisplayName != "Norwegian Bokmål" {
		t.Fatalf("got %q, problems %v; want the name in NFC", *p.DisplayName, ps)
	}
}

func TestValidateCanonicalisesTag(t *testing.T) {
	p, ps := langprof.Patch{Tag: ptr("EN-us")}.Validate(false, bcp47.Checks)
	if len(ps) != 0 || p.Tag == nil || *p.Tag != "en-US" {
		t.Fatalf("got tag %v, problems %v; want en-US and none", p.Tag, ps)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	p := langprof.Patch{Tag: ptr("xx"), Spoken: ptr(langprof.Level("x")), Written: ptr(langprof.Level("y")), AllowedAudiences: ptr(langprof.Audience("z"))}
	_, ps := p.Validate(true, bcp47.Checks)
	for _, target := range []string{"tag", "spoken", "written", "allowedAudiences", "displayName"} {
		if ps.For(target) == nil {
			t.Errorf("no problem for %s in %v", target, ps)
		}
	}
}

func TestDiff(t *testing.T) {
	prev := langprof.Patch{Tag: ptr("fr"), Spoken: ptr(langprof.Elementary), Written: ptr(langprof.Elementary)}
	next := langprof.Patch{Tag: ptr("fr"), Spoken: ptr(langprof.Conversational), Written: ptr(langprof.Elementary), Reading: ptr(langprof.Elementary)}
	d := langprof.Diff(prev, next)
	want := langprof.Patch{Spoken: ptr(langprof.Conversational), Reading: ptr(langprof.Elementary)}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("Diff (-want +got)\n%s", diff)
	}
}
