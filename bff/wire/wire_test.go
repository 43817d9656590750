package wire

import (
	"strings"
	"testing"

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
