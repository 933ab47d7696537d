package main

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const serveConsoleConfig = `syncline {
  console {
    token "ops" {
      role   = "operator"
      secret = "console-secret-0123456789"
    }
  }
}
task "hello" {
  activity "exec" {
    command = "true"
  }
}
`

// TestServeListenServesTheConsole: serve -listen (without -sync) serves
// the health checks to anyone, the API to a token of the console block,
// and never prints the token's secret.
func TestServeListenServesTheConsole(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": serveConsoleConfig})
	state := filepath.Join(t.TempDir(), "state.db")
	mustRun(t, "apply", "-state", state, "-auto-approve", dir)
	serve := startServeInProcess(t, "-listen", "127.0.0.1:0", "-poll", "200ms", "-grace", "1s", "-state", state, dir)
	defer func() {
		serve.stop(t)
		if strings.Contains(serve.stdout.String()+serve.stderr.String(), "console-secret") {
			t.Errorf("serve printed the token's secret")
		}
	}()
	var base string
	waitUntil(t, 10*time.Second, "the console to listen", func() bool {
		serve.alive(t)
		if m := regexp.MustCompile(`console listening on (http://\S+)/`).FindStringSubmatch(serve.stdout.String()); m != nil {
			base = m[1]
			return true
		}
		return false
	})
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("/healthz", ""); code != http.StatusOK {
		t.Errorf("healthz: %d", code)
	}
	waitUntil(t, 10*time.Second, "readiness", func() bool { code, _ := get("/readyz", ""); return code == http.StatusOK })
	if code, _ := get("/api/v1/tasks", ""); code != http.StatusUnauthorized {
		t.Errorf("tasks without a token: %d", code)
	}
	if code, body := get("/api/v1/tasks", "console-secret-0123456789"); code != http.StatusOK || !strings.Contains(body, `"hello"`) {
		t.Errorf("tasks: %d\n%s", code, body)
	}
	if code, _ := get("/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("metrics without a token: %d", code)
	}
	if code, body := get("/metrics", "console-secret-0123456789"); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Errorf("metrics: %d\n%.300s", code, body)
	}
}
