package watch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatcherRounds: a saved configuration file starts a round; a data
// file the round writes itself does not start another; saving a file
// with unchanged content starts none; a configuration file created
// later is seen; the watcher ends when its context does.
func TestWatcherRounds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	if err := os.Mkdir(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "main.hcl")
	data := filepath.Join(dataDir, "hr.csv")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(conf, "a")
	write(data, "1")

	rounds := make(chan int, 10)
	ready := make(chan struct{})
	n := 0
	w := &Watcher{
		Dir:      dir,
		Debounce: 20 * time.Millisecond,
		Files: func() Files {
			return Files{Config: ConfigFiles(dir, ".hcl"), Data: []string{data}}
		},
		Errors: func(err error) { t.Errorf("watch error: %v", err) },
		Ready:  func() { close(ready) },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- w.Run(ctx, func(context.Context) {
			n++
			write(data, "written by round") // a run's own write
			rounds <- n
		})
	}()
	wait := func(want int) {
		t.Helper()
		select {
		case got := <-rounds:
			if got != want {
				t.Fatalf("round %d, want round %d", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no round %d", want)
		}
	}
	<-ready
	write(conf, "b")
	wait(1)
	write(conf, readFile(t, conf)) // the same content: no round
	write(filepath.Join(dir, "second.hcl"), "new file")
	wait(2)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 0 {
		t.Errorf("%d rounds more than expected", len(rounds))
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRunFailsWithoutDir(t *testing.T) {
	t.Parallel()
	w := &Watcher{Dir: filepath.Join(t.TempDir(), "missing"), Files: func() Files { return Files{} }}
	if err := w.Run(context.Background(), func(context.Context) { t.Error("round without a directory") }); err == nil {
		t.Fatal("Run watched a directory that does not exist")
	}
}

func TestAfterRound(t *testing.T) {
	t.Parallel()
	atStart := digests{"config:a.hcl": "1", "data:hr.csv": "x"}
	now := digests{"config:a.hcl": "2", "data:hr.csv": "y", "config:new.hcl": "3"}
	got := afterRound(atStart, now)
	want := digests{"config:a.hcl": "1", "data:hr.csv": "y", "config:new.hcl": "3"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
