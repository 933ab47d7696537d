package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the command's goroutine
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls b until it holds want after position from, or fails t.
func waitFor(t *testing.T, b *syncBuffer, from int, want string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s := b.String()
		if i := strings.Index(s[from:], want); i >= 0 {
			return from + i + len(want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %q in the output after %d bytes:\n%s", want, from, b.String())
	return 0
}

const watchResource = `resource "hr" {
  connector = "csv"
  connection {
    path       = "data/%s.csv"
    identifier = "id"
  }
}
`

// TestWatchReplansOnSave: watch plans at start, plans again after a file
// is saved (also through a rename, as editors do), reports an invalid
// configuration without planning, never writes the state, and ends
// cleanly when its context is cancelled.
func TestWatchReplansOnSave(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": strings.Replace(watchResource, "%s", "hr", 1)})
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"syncline", "watch", dir}, strings.NewReader(""), &stdout, &stderr)
	}()
	pos := waitFor(t, &stdout, 0, "The configuration is valid.")
	pos = waitFor(t, &stdout, pos, `data/hr.csv`)

	// A save through a rename, as many editors do.
	writeFiles(t, dir, map[string]string{".main.hcl.swp": strings.Replace(watchResource, "%s", "people", 1)})
	if err := os.Rename(dir+"/.main.hcl.swp", dir+"/main.hcl"); err != nil {
		t.Fatal(err)
	}
	pos = waitFor(t, &stdout, pos, "────")
	pos = waitFor(t, &stdout, pos, `data/people.csv`)

	// An invalid configuration is reported, not planned.
	writeFiles(t, dir, map[string]string{"main.hcl": `resource "hr" {`})
	pos = waitFor(t, &stdout, pos, "────")
	waitFor(t, &stderr, 0, "Error")

	// And a fix is planned again.
	writeFiles(t, dir, map[string]string{"main.hcl": strings.Replace(watchResource, "%s", "staff", 1)})
	waitFor(t, &stdout, pos, `data/staff.csv`)

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("watch exited %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("watch did not stop after its context was cancelled")
	}
	if _, err := os.Stat(dir + "/.syncline/state.db"); err == nil {
		t.Error("watch created the state store")
	}
}
