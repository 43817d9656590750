package server

import (
	"encoding/json"
	"testing"
	"time"

	"langcard/web/langprof"
)

// A session's record of recent writes is written as encoding/json writes
// it, and reads back the same.
func TestRecentRecordJSON(t *testing.T) {
	modified := langprof.DateTime("2026-11-28T01:02:03.1234567Z")
	ws := []recentWrite{
		{At: time.Date(2026, 11, 28, 1, 2, 3, 400, time.UTC), Target: "me", ID: "a1", Entry: &langprof.LanguageProficiency{
			ID: "a1", Tag: "nb-NO", DisplayName: "Norsk <bokmål> & \u2028", Spoken: "nativeOrBilingual", LastModifiedDateTime: &modified,
			Extra: map[string][]byte{"isSearchable": []byte(" true "), "sources": []byte(`[{"x":"<y>"}]`)},
		}},
		{At: time.Date(2026, 11, 28, 1, 2, 4, 0, time.FixedZone("", 3600)), Target: "adele\"v@contoso.example", ID: "b2"},
	}
	got, err := recentWrites(ws).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(ws) // []recentWrite: encoding/json's own way
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("record\n got %s\nwant %s", got, want)
	}
	var back []recentWrite
	if err := json.Unmarshal(got, &back); err != nil || len(back) != 2 || back[0].Entry.DisplayName != ws[0].Entry.DisplayName ||
		!back[1].At.Equal(ws[1].At) || back[1].Entry != nil || back[1].Target != ws[1].Target {
		t.Errorf("read back %+v, %v", back, err)
	}
}
