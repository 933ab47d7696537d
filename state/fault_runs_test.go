package state

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestFinishRunFailingFollowUpKeepsTheRunRunning fails the insert of a
// follow-up: the run must still be running under its worker (so recovery
// or a retried finish sees it), and no follow-up exists.
func TestFinishRunFailingFollowUpKeepsTheRunRunning(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	injected := errors.New("disk full")
	b.store.testHookAfterStatement = func(stmt string) error {
		if strings.HasPrefix(stmt, "INSERT INTO runs") {
			return injected
		}
		return nil
	}
	retry := Run{Task: "a", Trigger: TriggerRetry, RetryOf: r.ID, Attempt: 2}
	err := b.store.RunFinish(b.ctx, r.ID, "w", RunFailed, "exit status 1", nil, time.Time{}, []Run{retry})
	if !errors.Is(err, injected) {
		t.Fatalf("FinishRun = %v; want the injected failure", err)
	}
	b.store.testHookAfterStatement = nil
	if got := b.run(t, r.ID); got.State != RunRunning || got.ClaimedBy != "w" || got.Error != "" {
		t.Fatalf("after the failed finish: %+v; want still running under w", got)
	}
	if runs, _ := b.store.RunList(b.ctx, RunFilter{}); len(runs) != 1 {
		t.Fatalf("%d runs; want no follow-up", len(runs))
	}
}

// TestRunWritesFailingAtAnyStatementChangeNothing fails each write on
// tasks and runs after its first statement, its second, and so on until
// it succeeds, checking every time that the store is as it was.
func TestRunWritesFailingAtAnyStatementChangeNothing(t *testing.T) {
	t.Parallel()
	tests := map[string]func(b *bundle, running *Run) error{
		"FinishRun with follow-ups": func(b *bundle, r *Run) error {
			return b.store.RunFinish(b.ctx, r.ID, "w", RunFailed, "boom",
				[]ActivityResult{{Name: "x", State: RunFailed}}, time.Time{},
				[]Run{{Task: "a", Trigger: TriggerRetry, RetryOf: r.ID}, {Task: "gone", Trigger: TriggerAfter}})
		},
		"AdvanceSchedule": func(b *bundle, _ *Run) error {
			_, err := b.store.TaskAdvanceSchedule(b.ctx, "a", time.Time{}, at(time.Hour), "k",
				[]Run{{Trigger: TriggerSchedule}, {Trigger: TriggerSchedule, State: RunSkipped}})
			return err
		},
		"ClaimRun": func(b *bundle, _ *Run) error {
			_, err := b.store.RunClaim(b.ctx, "w2", b.clock.Now())
			return err
		},
		"CancelRun": func(b *bundle, r *Run) error {
			_, err := b.store.RunCancel(b.ctx, r.ID, "alice", b.clock.Now())
			return err
		},
		"RecoverRuns": func(b *bundle, _ *Run) error {
			_, err := b.store.RunRecover(b.ctx, b.clock.Now(), b.clock.Now().Add(time.Second), nil)
			return err
		},
		"RecoverRunsAndRequeue": func(b *bundle, _ *Run) error {
			_, err := b.store.RunRecoverAndRequeue(b.ctx, b.clock.Now(), b.clock.Now().Add(time.Second), nil,
				func(r Run) []Run { return []Run{{Task: r.Task, Trigger: TriggerRecovery, RetryOf: r.ID}} })
			return err
		},
		"SuspendTask": func(b *bundle, _ *Run) error {
			return b.store.TaskSuspend(b.ctx, "a", "r", "alice")
		},
	}
	for name, write := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.applyTasks(t, "a", "gone")
			running := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
			b.enqueue(t, Run{Task: "a"})
			req := b.request(t)
			req.Deletes = []string{"task.gone"}
			b.apply(t, req)
			failAtEveryStatement(t, b, func() error { return write(b, running) })
		})
	}
}

// failAtEveryStatement runs write with a failure injected after its
// first statement, then its second, … until it succeeds, and checks that
// every failed attempt left the store exactly as it was.
func failAtEveryStatement(t *testing.T, b *bundle, write func() error) {
	t.Helper()
	before := b.dump(t)
	injected := errors.New("injected failure")
	defer func() { b.store.testHookAfterStatement = nil }()
	for n := 1; ; n++ {
		count := 0
		b.store.testHookAfterStatement = func(string) error {
			count++
			if count == n {
				return injected
			}
			return nil
		}
		err := write()
		if err == nil {
			if n == 1 {
				t.Fatal("the write ran no statement through the hook")
			}
			return
		}
		if !errors.Is(err, injected) {
			t.Fatalf("statement %d: err = %v; want the injected failure", n, err)
		}
		if after := b.dump(t); after != before {
			t.Fatalf("failing after statement %d changed the state:\n%s\nwas:\n%s", n, after, before)
		}
	}
}
