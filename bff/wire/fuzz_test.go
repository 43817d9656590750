package wire_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"langcard/bff/wire"
)

// FuzzDecode: no body panics the decoder, and a body it accepts
// round-trips through Encode to the same patch.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"spoken":"elementary"}`, `{"tag":"nb-NO","displayName":"Norsk bokmål"}`, `{"spoken":null}`, `{"a":1}`,
		`{"spoken":"x","spoken":"y"}`, `[]`, `{}`, `{"displayName":"\ud800"}`, `{"tag":1e400}`, `{"@odata.type":"#microsoft.graph.languageProficiency"}`,
		"{\"displayName\":\"\xff\"}", `{"spoken":"elementary"} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range []wire.Mode{wire.Person, wire.Application} {
			b, ps := wire.Decode(data, mode)
			if len(ps) > 0 || b.Patch.Empty() {
				continue
			}
			enc, err := wire.Encode(b.Patch)
			if err != nil {
				t.Fatalf("Encode(%+v): %v", b.Patch, err)
			}
			again, ps := wire.Decode(enc, wire.Person)
			if len(ps) > 0 {
				t.Fatalf("%s re-decoded with problems %v", enc, ps)
			}
			if diff := cmp.Diff(b.Patch, again.Patch); diff != "" {
				t.Fatalf("round trip (-first +again)\n%s", diff)
			}
		}
	})
}
