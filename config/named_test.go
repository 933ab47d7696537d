package config

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

// Decoding many blocks in parallel reports what decoding them one by one
// would, in the same order: an invalid name where it is, and a duplicate
// citing the first definition, whichever goroutine decoded it.
func TestDecodeNamedInParallelKeepsOrder(t *testing.T) {
	t.Parallel()
	var src strings.Builder
	for i := range 3 * parallelFrom {
		name := fmt.Sprintf("t%d", i)
		switch i {
		case 7:
			name = "7bad"
		case 150:
			name = "t10"
		}
		fmt.Fprintf(&src, "task %q {\n  priority = %d\n  activity \"exec\" {\n    command = \"true\"\n  }\n}\n", name, i%100+1)
	}
	cfg, diags := LoadFS(fstest.MapFS{"tasks.hcl": {Data: []byte(src.String())}}, "dir", LoadOptions{})
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s@%d", d.Summary, d.Subject.Start.Line))
	}
	want := []string{"Invalid name@43", "Duplicate task@901"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("diagnostics %v, want %v: %s", got, want, diags)
	}
	if !strings.Contains(diags[1].Detail, "dir/tasks.hcl:61") {
		t.Errorf("the duplicate cites %q, want the first t10 at line 61", diags[1].Detail)
	}
	if len(cfg.Tasks) != 3*parallelFrom-1 || cfg.Tasks["t10"].Priority != 11 {
		t.Errorf("%d tasks, t10 of priority %d: want every name but the duplicate, the first t10 kept", len(cfg.Tasks), cfg.Tasks["t10"].Priority)
	}
}

func TestInParallelCallsEachIndexOnce(t *testing.T) {
	t.Parallel()
	calls := make([]atomic.Int32, 1000)
	inParallel(len(calls), func(i int) { calls[i].Add(1) })
	for i := range calls {
		if n := calls[i].Load(); n != 1 {
			t.Fatalf("index %d called %d times", i, n)
		}
	}
}

// An evaluation limit ends the goroutine that runs out (budget.stop); the
// caller's goroutine must end the same way, so that runLimited reports it.
func TestInParallelEndsTheCallerAsAWorkerEnds(t *testing.T) {
	t.Parallel()
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one CPU: inParallel runs on the caller's goroutine")
	}
	var returned, exited atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { exited.Store(recover() == nil) }()
		inParallel(parallelFrom, func(i int) {
			if i == parallelFrom/2 {
				runtime.Goexit()
			}
		})
		returned.Store(true)
	}()
	<-done
	if returned.Load() || !exited.Load() {
		t.Errorf("returned %v, exited without a panic %v: want the caller ended by Goexit", returned.Load(), exited.Load())
	}
}

func TestInParallelRaisesAPanicOnTheCaller(t *testing.T) {
	t.Parallel()
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want the worker's panic", r)
		}
	}()
	inParallel(parallelFrom, func(i int) {
		if i == 3 {
			panic("boom")
		}
	})
	t.Error("inParallel returned")
}
