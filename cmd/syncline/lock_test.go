package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

// TestApplyWaitsForTheLockThenNamesTheHolder holds the apply lock the way a
// running apply does, and checks that a second apply waits -lock-timeout,
// fails naming the holder and lock ID, and succeeds after state unlock.
func TestApplyWaitsForTheLockThenNamesTheHolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": `schedule "s" { every = "1h" }`})
	location := filepath.Join(dir, ".syncline", "state.db")
	ctx := context.Background()
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lock, err := st.LockAcquire(ctx, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	res := runCLI(t, "", "apply", "-auto-approve", "-lock-timeout", "300ms", dir)
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("apply gave up after %s, before -lock-timeout", waited)
	}
	if res.code != 1 {
		t.Fatalf("apply under a held lock: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "stderr", res.stderr, lock.ID, lock.Holder, "syncline state unlock "+lock.ID)
	if snap, _ := st.Snapshot(ctx); len(snap.Definitions) != 0 {
		t.Fatalf("apply wrote under a held lock: %v", snap.Definitions)
	}

	res = runCLI(t, "", "state", "unlock", "-state", location, lock.ID)
	if res.code != 0 || !strings.Contains(res.stdout, "Removed the lock "+lock.ID) {
		t.Fatalf("state unlock: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, "", "apply", "-auto-approve", dir)
	if res.code != 0 {
		t.Fatalf("apply after unlock: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}
