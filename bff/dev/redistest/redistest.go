// Package redistest starts a real redis-server for tests.
package redistest

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server starts a real redis-server on a free loopback port for the
// test and returns its URL. Without one the test is skipped, except under
// CI=true, where that is a failure.
func Server(t testing.TB) (string, *exec.Cmd) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short (make check) leaves out the tests that need redis-server; make test runs them")
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server not found: Redis tests may not be skipped in CI (apt-get install redis-server)")
		}
		t.Skip("redis-server not found; make test installs it (apt-get install redis-server)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	return start(t, bin, port)
}

// Again starts a new, empty redis-server at url, where one was stopped:
// a store that comes back after an outage, its data gone.
func Again(t testing.TB, url string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal(err)
	}
	_, cmd := start(t, bin, strings.TrimSuffix(url[strings.LastIndex(url, ":")+1:], "/0"))
	return cmd
}

func start(t testing.TB, bin, port string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	u := "redis://127.0.0.1:" + port + "/0"
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port, MaxRetries: -1})
	defer c.Close()
	for i := 0; ; i++ {
		err := c.Ping(context.Background()).Err()
		if err == nil {
			return u, cmd
		}
		if i == 100 {
			t.Fatalf("redis-server did not answer: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
