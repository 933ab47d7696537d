package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestRunDeliversItsNotification: syncline run of a task that fails
// posts the outcome to the task's webhook before it exits and says so; a
// receiver that refuses leaves it queued, and runs show lists both
// deliveries.
func TestRunDeliversItsNotification(t *testing.T) {
	t.Parallel()
	var (
		mu     sync.Mutex
		bodies []string
		status = http.StatusServiceUnavailable
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(body))
		code := status
		mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(hook.Close)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": `
task "nightly" {
  activity "exec" {
    command = "sh"
    args    = ["-c", "exit 3"]
  }
  notify {
    on      = ["failed"]
    webhook = "` + hook.URL + `/alerts"
  }
}
`})
	if res := runCLI(t, "", "apply", "-auto-approve", dir); res.code != 0 {
		t.Fatalf("apply: %s%s", res.stdout, res.stderr)
	}
	first := runCLI(t, "", "run", "nightly", dir)
	if first.code != 1 || !strings.Contains(first.stderr, "Notification of run 1 (failed) to webhook 127.0.0.1") ||
		!strings.Contains(first.stderr, "not delivered: the webhook answered 503 Service Unavailable") ||
		!strings.Contains(first.stderr, "It stays queued") {
		t.Fatalf("first run: exit %d\n%s%s", first.code, first.stdout, first.stderr)
	}
	mu.Lock()
	status = http.StatusOK
	mu.Unlock()
	second := runCLI(t, "", "run", "nightly", dir)
	if !strings.Contains(second.stdout, "Notification of run 2 (failed) to webhook 127.0.0.1") || !strings.Contains(second.stdout, "delivered (200 OK)") {
		t.Fatalf("second run: exit %d\n%s%s", second.code, second.stdout, second.stderr)
	}
	mu.Lock()
	n := len(bodies)
	mu.Unlock()
	if n != 2 {
		t.Errorf("the webhook got %d posts, want 2: run 1's (refused) and run 2's; run 1's retry is not due yet", n)
	}
	show := runCLI(t, "", "runs", "show", "1", dir)
	if !strings.Contains(show.stdout, "Notifications\n  notify 1 (on failed): pending, 1 attempt; next attempt") ||
		!strings.Contains(show.stdout, "last error: the webhook answered 503 Service Unavailable") {
		t.Errorf("runs show 1:\n%s", show.stdout)
	}
	show = runCLI(t, "", "runs", "show", "-json", "2", dir)
	if !strings.Contains(show.stdout, `"notifications": [`) || !strings.Contains(show.stdout, `"state": "delivered"`) {
		t.Errorf("runs show -json 2:\n%s", show.stdout)
	}
}
