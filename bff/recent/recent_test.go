package recent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"langcard/bff/dev/redistest"
	"langcard/bff/recent"
	"langcard/web/langprof"
)

// Every store keeps what the BFF needs of it: run against the memory
// store and a real Redis.
func TestStores(t *testing.T) {
	t.Run("memory", func(t *testing.T) { storeTests(t, func() recent.Store { return recent.NewMemory() }) })
	t.Run("redis", func(t *testing.T) {
		c := redisClient(t)
		n := 0
		storeTests(t, func() recent.Store { n++; return recent.NewRedis(c, fmt.Sprintf("test%d:", n)) })
	})
}

func storeTests(t *testing.T, open func() recent.Store) {
	ctx := context.Background()
	entry := func(id, spoken string) *langprof.LanguageProficiency {
		return &langprof.LanguageProficiency{ID: id, Tag: "nb-NO", DisplayName: "Norsk <bokmål>", Spoken: langprof.Level(spoken),
			Extra: map[string][]byte{"isSearchable": []byte("true")}}
	}

	t.Run("latest write of each entry, per session", func(t *testing.T) {
		s := open()
		now := time.Now()
		s.Put(ctx, "a", recent.Write{At: now.Add(-3 * time.Second), Target: "me", ID: "1", Entry: entry("1", "elementary")})
		s.Put(ctx, "a", recent.Write{At: now.Add(-2 * time.Second), Target: "adele@contoso.example", ID: "1", Entry: entry("1", "expert")})
		s.Put(ctx, "a", recent.Write{At: now.Add(-1 * time.Second), Target: "me", ID: "1", Entry: entry("1", "conversational")})
		s.Put(ctx, "a", recent.Write{At: now, Target: "me", ID: "2"}) // a delete
		s.Put(ctx, "b", recent.Write{At: now, Target: "me", ID: "3", Entry: entry("3", "fluent")})
		ws, err := s.List(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, w := range ws {
			got += fmt.Sprintf("%s/%s:", w.Target, w.ID)
			if w.Entry != nil {
				got += string(w.Entry.Spoken) + "," + w.Entry.DisplayName + "," + string(w.Entry.Extra["isSearchable"])
			}
			got += " "
		}
		if want := "adele@contoso.example/1:expert,Norsk <bokmål>,true me/1:conversational,Norsk <bokmål>,true me/2: "; got != want {
			t.Errorf("session a lists\n %s\nwant\n %s", got, want)
		}
		if ws, _ := s.List(ctx, "nobody"); len(ws) != 0 {
			t.Errorf("a session that wrote nothing lists %v", ws)
		}
	})

	t.Run("writes at the same moment all stay", func(t *testing.T) {
		s := open()
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				if err := s.Put(ctx, "a", recent.Write{At: time.Now(), Target: "me", ID: fmt.Sprint(i % 20), Entry: entry(fmt.Sprint(i%20), "fluent")}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ws, _ := s.List(ctx, "a"); len(ws) != 20 {
			t.Errorf("20 entries written at once, %d listed", len(ws))
		}
	})

	t.Run("old writes go, and no more than Max are shown", func(t *testing.T) {
		s := open()
		now := time.Now()
		s.Put(ctx, "a", recent.Write{At: now.Add(-recent.TTL - time.Second), Target: "me", ID: "old"})
		for i := range recent.Max + 8 {
			s.Put(ctx, "a", recent.Write{At: now.Add(time.Duration(i) * time.Millisecond), Target: "me", ID: fmt.Sprint(i)})
		}
		ws, _ := s.List(ctx, "a")
		if len(ws) != recent.Max || ws[0].ID != "8" || ws[len(ws)-1].ID != fmt.Sprint(recent.Max+7) {
			t.Errorf("listed %d writes, %v … %v; want the latest %d, oldest first", len(ws), ws[0].ID, ws[len(ws)-1].ID, recent.Max)
		}
	})
}

// A write is stored as encoding/json writes it, and reads back the same.
func TestWriteJSON(t *testing.T) {
	modified := langprof.DateTime("2026-11-28T01:02:03.1234567Z")
	for _, w := range []recent.Write{
		{At: time.Date(2026, 11, 28, 1, 2, 3, 400, time.UTC), Target: "me", ID: "a1", Entry: &langprof.LanguageProficiency{
			ID: "a1", Tag: "nb-NO", DisplayName: "Norsk <bokmål> & \u2028", Spoken: "nativeOrBilingual", LastModifiedDateTime: &modified,
			Extra: map[string][]byte{"isSearchable": []byte(" true "), "sources": []byte(`[{"x":"<y>"}]`)},
		}},
		{At: time.Date(2026, 11, 28, 1, 2, 4, 0, time.FixedZone("", 3600)), Target: "adele\"v@contoso.example", ID: "b2"},
	} {
		got, err := w.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		type plain recent.Write // encoding/json's own way
		want, err := json.Marshal(plain(w))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("write\n got %s\nwant %s", got, want)
		}
		var back recent.Write
		if err := json.Unmarshal(got, &back); err != nil || !back.At.Equal(w.At) || back.Target != w.Target || (back.Entry == nil) != (w.Entry == nil) ||
			(w.Entry != nil && back.Entry.DisplayName != w.Entry.DisplayName) {
			t.Errorf("read back %+v, %v", back, err)
		}
	}
}

// Changes count each profile's writes, in memory and in a real Redis
// shared by replicas: a count never comes back to a value it had while a
// copy could still be cached against it.
func TestChanges(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, a, b recent.Changes) {
		vs, err := a.Versions(ctx, "megan", recent.Everyone)
		if err != nil || vs[0] != 0 || vs[1] != 0 {
			t.Fatalf("before any write: %v %v", vs, err)
		}
		if err := a.Bump(ctx, "megan", "megan@contoso.com"); err != nil {
			t.Fatal(err)
		}
		if err := b.Bump(ctx, "megan"); err != nil {
			t.Fatal(err)
		}
		vs, err = b.Versions(ctx, "megan", "megan@contoso.com", "lee", recent.Everyone)
		if err != nil || fmt.Sprint(vs) != "[2 1 0 0]" {
			t.Errorf("after writes: %v %v, want [2 1 0 0]", vs, err)
		}
	}
	t.Run("memory", func(t *testing.T) {
		m := recent.NewMemoryChanges()
		check(t, m, m)
	})
	t.Run("redis", func(t *testing.T) {
		c := redisClient(t)
		// Two replicas' stores over one Redis.
		check(t, recent.NewRedisChanges(c, "changes:", time.Minute), recent.NewRedisChanges(c, "changes:", time.Minute))
	})
}

// redisClient is a client of a real redis-server started for the test.
func redisClient(t *testing.T) *redis.Client {
	u, _ := redistest.Server(t)
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}
