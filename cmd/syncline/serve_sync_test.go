package main

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/webhook"
	"github.com/syncline/syncline/internal/gittest"
)

func serveSyncConfig(repo, table string) string {
	return `syncline {
  sync {
    repository     = "` + repo + `"
    branch         = "main"
    policy         = "auto_apply"
    webhook_secret = "s3cret"
    poll_interval  = "1h"
  }
}
resource "hr" {
  connector = "csv"
  connection {
    path       = "data/` + table + `.csv"
    identifier = "id"
  }
}
`
}

// waitUntil polls cond every 50ms until it holds, or fails after timeout.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeSyncWebhook: serve -sync -listen applies a commit within seconds
// of a GitHub-signed push, and a forged push gets 401 and applies nothing.
func TestServeSyncWebhook(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": serveSyncConfig(r.Dir, "hr")})
	first := r.Commit("HR")
	state := filepath.Join(t.TempDir(), "state.db")
	res := mustRun(t, "sync", "-repo", r.Dir, "-state", state)
	checkContains(t, "first sync", res.stdout, "Recorded revision "+config.ShortCommit(first))

	serve := startServeInProcess(t, "-sync", "-listen", "127.0.0.1:0", "-poll", "200ms", "-grace", "1s", "-state", state, r.Dir)
	stdout, stderr, done := &serve.stdout, &serve.stderr, serve.done
	defer func() {
		serve.stop(t)
		if strings.Contains(stderr.String(), "s3cret") || strings.Contains(stdout.String(), "s3cret") {
			t.Errorf("serve printed the secret:\n%s\n%s", stdout.String(), stderr.String())
		}
	}()
	addrRE := regexp.MustCompile(`webhook listening on (http://\S+)`)
	var url string
	waitUntil(t, 10*time.Second, "the webhook to listen", func() bool {
		if m := addrRE.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
			return true
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s\n%s", code, stdout.String(), stderr.String())
		default:
		}
		return false
	})
	// The start-up sync finds nothing new.
	waitUntil(t, 10*time.Second, "the start-up sync", func() bool { return strings.Contains(stderr.String(), "already at") })

	r.Write(map[string]string{"main.hcl": serveSyncConfig(r.Dir, "people")})
	second := r.Commit("People")
	body := `{"ref": "refs/heads/main", "after": "` + second + `"}`
	post := func(sig, delivery string) int {
		t.Helper()
		req, err := http.NewRequest("POST", url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-GitHub-Event", "push")
		req.Header.Set("X-GitHub-Delivery", delivery)
		req.Header.Set("X-Hub-Signature-256", "sha256="+sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	history := func() string { return runCLI(t, "", "state", "history", "-state", state).stdout }

	if code := post(webhook.Sign([]byte("forged"), []byte(body)), "forged-1"); code != http.StatusUnauthorized {
		t.Fatalf("forged push: %d, want 401", code)
	}
	time.Sleep(500 * time.Millisecond)
	if h := history(); strings.Contains(h, config.ShortCommit(second)) {
		t.Fatalf("a forged push applied %s:\n%s", config.ShortCommit(second), h)
	}

	if code := post(webhook.Sign([]byte("s3cret"), []byte(body)), "real-1"); code != http.StatusAccepted {
		t.Fatalf("signed push: %d, want 202", code)
	}
	waitUntil(t, 10*time.Second, "the pushed commit in the history", func() bool {
		return strings.Contains(history(), config.ShortCommit(second))
	})
	if code := post(webhook.Sign([]byte("s3cret"), []byte(body)), "real-1"); code != http.StatusOK {
		t.Errorf("duplicate delivery: %d, want 200", code)
	}
}

// TestServeSyncNeedsSecret: -listen without webhook_secret refuses to start.
func TestServeSyncNeedsSecret(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": strings.Replace(serveSyncConfig(r.Dir, "hr"), `webhook_secret = "s3cret"`, "", 1)})
	r.Commit("HR")
	state := filepath.Join(t.TempDir(), "state.db")
	res := runCLI(t, "", "serve", "-sync", "-listen", "127.0.0.1:0", "-state", state, r.Dir)
	if res.code != 1 || !strings.Contains(res.stderr, "needs a webhook secret") {
		t.Errorf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
}

// followConfig is a repository's configuration for
// TestServeSyncRunsTheSyncedRevision: a sync block and a task that appends
// marker.txt — read from its configuration directory — to out.
func followConfig(repo, poll, out, note string) string {
	return `syncline {
  sync {
    repository     = "` + repo + `"
    branch         = "main"
    policy         = "auto_apply"
    webhook_secret = "s3cret"
    poll_interval  = "` + poll + `"
  }
}
task "tick" {
  schedule {
    every = "1s"
  }
  activity "exec" {
    command = "sh"
    args    = ["-c", "cat marker.txt >> '` + out + `' # ` + note + `"]
  }
}
`
}

// postPush sends a GitHub-signed push of branch main to url.
func postPush(t *testing.T, url, secret, delivery string) int {
	t.Helper()
	body := `{"ref": "refs/heads/main", "after": "0000000000000000000000000000000000000000"}`
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-GitHub-Delivery", delivery)
	req.Header.Set("X-Hub-Signature-256", "sha256="+webhook.Sign([]byte(secret), []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeSyncRunsTheSyncedRevision: serve -sync runs the definitions of
// the revision it applied, with files relative to the configuration read
// from that revision's checkout (DIR holds only the sync block), and
// follows the sync block of each applied revision: a push that shortens
// poll_interval makes the next commit arrive by polling alone.
func TestServeSyncRunsTheSyncedRevision(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve for several seconds")
	}
	t.Parallel()
	out := filepath.Join(t.TempDir(), "ticks.log")
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": followConfig(r.Dir, "1h", out, "1"), "marker.txt": "v1\n"})
	r.Commit("First")
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": strings.SplitAfter(followConfig(r.Dir, "1h", out, ""), "\n}\n")[0]})
	state := filepath.Join(t.TempDir(), "state.db")

	serve := startServeInProcess(t, "-sync", "-listen", "127.0.0.1:0", "-poll", "200ms", "-grace", "1s", "-state", state, dir)
	defer serve.stop(t)
	stdout, stderr := &serve.stdout, &serve.stderr
	ticks := func() string { b, _ := os.ReadFile(out); return string(b) }
	waitUntil(t, 20*time.Second, "a run reading v1 from the checkout", func() bool { return strings.Contains(ticks(), "v1") })
	url := regexp.MustCompile(`webhook listening on (http://\S+)`).FindStringSubmatch(stdout.String())[1]

	r.Write(map[string]string{"main.hcl": followConfig(r.Dir, "1s", out, "2"), "marker.txt": "v2\n"})
	r.Commit("Second, polling every second")
	if code := postPush(t, url, "s3cret", "push-2"); code != http.StatusAccepted {
		t.Fatalf("push: %d, want 202", code)
	}
	waitUntil(t, 20*time.Second, "a run reading v2", func() bool { return strings.Contains(ticks(), "v2") })
	checkContains(t, "log", stderr.String(), "sync settings changed", "poll_interval 1h0m0s -> 1s")

	r.Write(map[string]string{"main.hcl": followConfig(r.Dir, "1s", out, "3"), "marker.txt": "v3\n"})
	r.Commit("Third, no webhook")
	waitUntil(t, 20*time.Second, "a run reading v3, synced by polling", func() bool { return strings.Contains(ticks(), "v3") })
	if _, err := os.Stat(filepath.Join(dir, "marker.txt")); err == nil {
		t.Error("serve wrote into DIR")
	}
}

// TestServeSyncHTTPCredentials: serve -sync fetches an http repository with
// the user name and password of DIR's sync block, and logs neither.
func TestServeSyncHTTPCredentials(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": syncConfig("auto_apply", "hr")})
	commit := r.Commit("HR")
	srv := gittest.ServeHTTP(t, r.Dir, gittest.HTTPOptions{Username: "bot", Password: "pa55word"})
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": `syncline {
  sync {
    repository = "` + srv.URL + `"
    policy     = "auto_apply"
    username   = "bot"
    password   = "pa55word"
  }
}
`})
	state := filepath.Join(t.TempDir(), "state.db")
	serve := startServeInProcess(t, "-sync", "-poll", "200ms", "-grace", "1s", "-state", state, dir)
	stdout, stderr := &serve.stdout, &serve.stderr
	waitUntil(t, 20*time.Second, "the start-up sync", func() bool {
		return strings.Contains(stderr.String(), "Recorded revision "+config.ShortCommit(commit)) || strings.Contains(stderr.String(), "sync failed")
	})
	serve.stop(t)
	if strings.Contains(stderr.String()+stdout.String(), "pa55word") {
		t.Errorf("serve logged the password:\n%s", stderr.String())
	}
	checkContains(t, "log", stderr.String(), "Apply complete! 1 added")
}
