package bcp47

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"langcard/web/langprof"
)

// vector is one case that every BCP 47 check in langcard (this one and
// the widget's) must agree on.
type vector struct {
	In            string `json:"in"`
	Canonical     string `json:"canonical"`
	UnknownSubtag string `json:"unknownSubtag"`
	Invalid       bool   `json:"invalid"`
	ReplacedBy    string `json:"replacedBy"`
}

func TestCheckVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 10 {
		t.Fatalf("got %d vectors, want at least 10", len(vs))
	}
	for _, v := range vs {
		t.Run(v.In, func(t *testing.T) {
			got, problem := langprof.CheckTag(v.In, Check)
			switch {
			case v.Canonical != "":
				if got != v.Canonical || problem != "" {
					t.Errorf("Check(%q) = %q, %q; want %q, no problem", v.In, got, problem, v.Canonical)
				}
			case v.UnknownSubtag != "":
				// Unknown, or (a private-use region) reserved: named either way.
				if got != "" || problem.Reason() != langprof.ReasonUnknown && problem.Reason() != langprof.ReasonPrivateUse || !strings.EqualFold(problem.Detail(), v.UnknownSubtag) ||
					!strings.Contains(problem.Message(v.In), `"`+problem.Detail()+`"`) {
					t.Errorf("Check(%q) = %q, %q; want a problem naming subtag %q", v.In, got, problem, v.UnknownSubtag)
				}
			case v.ReplacedBy != "":
				if got != "" || problem.Reason() != langprof.ReasonReplaced || problem.Detail() != v.ReplacedBy || !strings.Contains(problem.Message(v.In), "use "+v.ReplacedBy) {
					t.Errorf("Check(%q) = %q, %q; want a problem pointing to %q", v.In, got, problem, v.ReplacedBy)
				}
			case v.Invalid:
				if got != "" || problem == "" {
					t.Errorf("Check(%q) = %q, %q; want a problem", v.In, got, problem)
				}
			default:
				t.Fatalf("vector %q says nothing", v.In)
			}
		})
	}
}
