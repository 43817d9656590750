package recent

import (
	"context"
	"testing"
)

// Past its bound, the memory store starts again with every count above
// any it gave before: nothing cached earlier can look current.
func TestMemoryChangesBound(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryChanges()
	m.Bump(ctx, "a", "a", "a")
	before, _ := m.Versions(ctx, "a", "b", Everyone)
	for i := 0; len(m.n) < maxChanged; i++ {
		m.Bump(ctx, string(rune('c'+i%20))+string(rune(i)))
	}
	m.Bump(ctx, "z")
	after, _ := m.Versions(ctx, "a", "b", Everyone)
	for i := range before {
		if after[i] <= before[i] {
			t.Errorf("key %d: %d after starting again, %d before", i, after[i], before[i])
		}
	}
	if len(m.n) > maxChanged {
		t.Errorf("%d keys, over the bound", len(m.n))
	}
}
