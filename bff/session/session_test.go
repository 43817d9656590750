package session_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	"langcard/bff/session"
)

// countingStore counts the saves that reach the store.
type countingStore struct {
	scs.Store
	commits atomic.Int64
}

func (c *countingStore) Commit(token string, b []byte, expiry time.Time) error {
	c.commits.Add(1)
	return c.Store.Commit(token, b, expiry)
}

// serve runs sessions over a real server: /login puts a name in the
// session, / answers it.
func serve(t *testing.T, idle time.Duration) (*http.Client, string, *countingStore) {
	t.Helper()
	store := &countingStore{Store: memstore.NewWithCleanupInterval(time.Hour)}
	sm := session.New(store, time.Hour, idle)
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) { sm.Put(r.Context(), "name", "Innocenty") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, sm.GetString(r.Context(), "name")) })
	srv := httptest.NewServer(sm.LoadAndSave(session.Touch(sm, idle)(mux)))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}, srv.URL, store
}

func get(t *testing.T, c *http.Client, url string) (string, *http.Response) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp
}

// A session in use outlives the idle timeout; one left alone ends after
// it. Reading a session saves it at most once every idle/4.
func TestIdleTimeout(t *testing.T) {
	const idle = 2 * time.Second
	c, url, store := serve(t, idle)
	get(t, c, url+"/login")
	start, saves := time.Now(), store.commits.Load()
	requests := 0
	for time.Since(start) < idle+idle/2 {
		if name, _ := get(t, c, url); name != "Innocenty" {
			t.Fatalf("after %v in use, the session is gone", time.Since(start).Round(time.Millisecond))
		}
		requests++
		time.Sleep(idle / 20)
	}
	if got, most := store.commits.Load()-saves, int64(time.Since(start)/(idle/4))+1; got > most {
		t.Errorf("%d requests saved the session %d times; want at most %d (once every %v)", requests, got, most, idle/4)
	}
	time.Sleep(idle + idle/4)
	if name, _ := get(t, c, url); name != "" {
		t.Errorf("unused for longer than the idle timeout, the session still holds %q", name)
	}
}

// A visitor without a session gets none: no cookie, nothing stored.
func TestNoSessionForAnonymousVisitors(t *testing.T) {
	c, url, store := serve(t, time.Minute)
	for range 3 {
		if _, resp := get(t, c, url); len(resp.Cookies()) > 0 {
			t.Fatalf("an anonymous visit set %v", resp.Cookies())
		}
	}
	if n := store.commits.Load(); n != 0 {
		t.Errorf("anonymous visits saved %d sessions", n)
	}
}

// The codec reads back what it wrote, and what it hands out is the
// reader's own: changing one request's values changes no other's.
func TestCodecRemembersCopies(t *testing.T) {
	c := session.NewCodec(scs.GobCodec{})
	deadline := time.Now().Add(time.Hour).UTC().Round(0)
	b, err := c.Encode(deadline, map[string]any{"name": "Innocenty", "n": 3})
	if err != nil {
		t.Fatal(err)
	}
	d1, v1, err := c.Decode(b)
	if err != nil || !d1.Equal(deadline) || v1["name"] != "Innocenty" || v1["n"] != 3 {
		t.Fatalf("Decode = %v, %v, %v", d1, v1, err)
	}
	v1["name"] = "Megan"
	delete(v1, "n")
	if _, v2, _ := c.Decode(b); v2["name"] != "Innocenty" || v2["n"] != 3 {
		t.Errorf("a change to one decoded session reached another: %v", v2)
	}
	// Bytes it never wrote decode as gob would.
	other, _ := scs.GobCodec{}.Encode(deadline, map[string]any{"name": "Adele"})
	if _, v3, err := c.Decode(other); err != nil || v3["name"] != "Adele" {
		t.Errorf("Decode(other) = %v, %v", v3, err)
	}
}

// A memo forgets past its bound, and keeps what it was last told.
func TestMemoBound(t *testing.T) {
	m := session.NewMemo[int](3)
	for i := range 10 {
		m.Put([]byte{byte(i)}, i)
	}
	held := 0
	for i := range 10 {
		if v, ok := m.Get([]byte{byte(i)}); ok {
			held++
			if v != i {
				t.Errorf("Get(%d) = %d", i, v)
			}
		}
	}
	if held != 3 {
		t.Errorf("holds %d entries, want 3", held)
	}
	if v, ok := m.Get([]byte{9}); !ok || v != 9 {
		t.Errorf("the latest entry is gone: %d, %v", v, ok)
	}
}
