package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentAppliesSerialize has two Store handles on one file apply
// at the same time, each from its own snapshot: every apply either
// succeeds or is refused as stale, and the result is a consistent store
// whose serial counts the successes.
func TestConcurrentAppliesSerialize(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if _, _, err := b.store.Init(b.ctx); err != nil {
		t.Fatal(err)
	}
	const rounds = 15
	var (
		wg             sync.WaitGroup
		mu             sync.Mutex
		applied, stale int
	)
	for w := range 2 {
		s := b.open(t)
		wg.Go(func() {
			for i := range rounds {
				ok, err := applyFromSnapshot(b, s, fmt.Sprintf("w%d", w), fmt.Sprint(i))
				mu.Lock()
				switch {
				case ok:
					applied++
				case errors.As(err, new(*StaleError)):
					stale++
				default:
					t.Errorf("writer %d round %d: %v", w, i, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	t.Logf("%d applied, %d stale", applied, stale)
	checkConsistent(t, b, applied)
}

// applyFromSnapshot applies one change to task.name computed against a
// fresh snapshot, as a plan would be.
func applyFromSnapshot(b *bundle, s *Store, name, hash string) (bool, error) {
	snap, err := s.Snapshot(b.ctx)
	if err != nil {
		return false, err
	}
	_, err = s.Apply(b.ctx, ApplyRequest{Lineage: snap.Lineage, Serial: snap.Serial,
		Upserts: []*Definition{def("task", name, hash)}})
	return err == nil, err
}

func checkConsistent(t *testing.T, b *bundle, applied int) {
	t.Helper()
	var integrity string
	if b.store.dialect != dialectSQLite {
		// PostgreSQL has no integrity_check; the checks below stand.
	} else if err := b.store.db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check = %q, %v", integrity, err)
	}
	snap := b.snapshot(t)
	history, err := b.store.ApplyHistory(b.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Serial != int64(applied) || len(history) != applied {
		t.Fatalf("serial %d, %d history records; want %d of each", snap.Serial, len(history), applied)
	}
	for i, r := range history {
		if r.Serial != int64(applied-i) {
			t.Fatalf("history record %d has serial %d; want %d", i, r.Serial, applied-i)
		}
	}
}

// applyRounds runs in a child process started by
// TestConcurrentAppliesAcrossProcesses: it applies rounds times, each
// from a fresh snapshot, and prints how many applies succeeded.
func applyRounds(rounds, path string) int {
	n, err := strconv.Atoi(rounds)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	b := &bundle{ctx: context.Background(), path: path, clock: newFakeClock()}
	s, err := Open(b.ctx, path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	applied := 0
	for i := range n {
		ok, err := applyFromSnapshot(b, s, "child", strconv.Itoa(i))
		if err != nil && !errors.As(err, new(*StaleError)) {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if ok {
			applied++
		}
	}
	fmt.Printf("APPLIED %d\n", applied)
	return 0
}

// TestConcurrentAppliesAcrossProcesses is TestConcurrentAppliesSerialize
// with the second writer in another OS process.
func TestConcurrentAppliesAcrossProcesses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if _, _, err := b.store.Init(b.ctx); err != nil {
		t.Fatal(err)
	}
	const rounds = 15
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STATE_TEST_APPLY_ROUNDS="+strconv.Itoa(rounds), "STATE_TEST_PATH="+b.path)
	cmd.Stderr = os.Stderr
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	applied := 0
	for i := range rounds {
		ok, err := applyFromSnapshot(b, b.store, "parent", strconv.Itoa(i))
		if err != nil && !errors.As(err, new(*StaleError)) {
			t.Fatalf("round %d: %v", i, err)
		}
		if ok {
			applied++
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	var childApplied int
	if _, err := fmt.Sscanf(out.String(), "APPLIED %d", &childApplied); err != nil {
		t.Fatalf("child printed %q: %v", out.String(), err)
	}
	t.Logf("parent applied %d, child %d", applied, childApplied)
	checkConsistent(t, b, applied+childApplied)
}
