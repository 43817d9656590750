package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The configuration table in docs/operating.md and the configuration the
// code reads agree: every variable Load reads is in the table and every
// variable in the table is read; and a default the table gives, set
// explicitly, changes nothing that -check prints.
func TestConfigurationTableMatchesTheCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operating.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "\n## Configuration\n")
	if start < 0 {
		t.Fatal("docs/operating.md has no Configuration section")
	}
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	name := regexp.MustCompile("`(LANGCARD_[A-Z_]+)`")
	firstValue := regexp.MustCompile("^`([^`]*)`")
	type row struct {
		names []string
		def   string
	}
	var rows []row
	documented := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.Contains(cells[1], "LANGCARD_") {
			continue
		}
		var r row
		for _, m := range name.FindAllStringSubmatch(cells[1], -1) {
			r.names = append(r.names, m[1])
			documented[m[1]] = true
		}
		r.def = strings.TrimSpace(cells[2])
		rows = append(rows, r)
	}

	// What the code reads, in tenant and in demo mode.
	tenant := map[string]string{
		"LANGCARD_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "LANGCARD_CLIENT_ID": "client", "LANGCARD_CLIENT_SECRET": "s",
		"LANGCARD_PUBLIC_URL": "https://langcard.example", "LANGCARD_COOKIE_KEY": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
	}
	read := map[string]bool{}
	for _, env := range []map[string]string{tenant, {}} {
		Load(func(k string) string { read[k] = true; return env[k] })
	}
	for k := range read {
		if !documented[k] {
			t.Errorf("%s is read by the code but missing from the table in docs/operating.md", k)
		}
	}
	for k := range documented {
		if !read[k] {
			t.Errorf("%s is in the table in docs/operating.md but the code does not read it", k)
		}
	}

	// Each default, given explicitly, is what the code does without it.
	checked := 0
	for _, r := range rows {
		m := firstValue.FindStringSubmatch(r.def)
		if m == nil || len(r.names) != 1 || strings.Contains(m[1], "<") {
			continue // none, required, a placeholder, or a default in words
		}
		env := tenant
		if strings.Contains(r.def, "demo mode only") {
			env = map[string]string{}
		}
		without, err := Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatalf("%s: %v", r.names[0], err)
		}
		with, err := Load(func(k string) string {
			if k == r.names[0] {
				return m[1]
			}
			return env[k]
		})
		if err != nil {
			t.Errorf("%s: its documented default %q is refused: %v", r.names[0], m[1], err)
			continue
		}
		if a, b := without.Describe(), with.Describe(); a != b && !demoKeysOnly(a, b) {
			t.Errorf("%s: the documented default %q is not the code's:\n%s\nagainst\n%s", r.names[0], m[1], a, b)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("only %d defaults checked: the table's shape changed", checked)
	}
}

// demoKeysOnly reports whether a and b differ only in the demo mode's
// random cookie key line.
func demoKeysOnly(a, b string) bool {
	strip := func(s string) string {
		return regexp.MustCompile(`(?m)^cookie key:.*$`).ReplaceAllString(s, "")
	}
	return strip(a) == strip(b)
}
